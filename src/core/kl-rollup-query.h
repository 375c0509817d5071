/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the report engine reads, behind typed functions so that no SQL lives
 * outside src/core: month rollups grouped by month or by region, the month
 * rollups of every account in a range, the accounts of the portfolio, and the
 * service agreement in force for every account. Each function runs on the
 * caller's thread, inside whatever transaction the caller holds, and hands
 * each row to a callback. */
#pragma once

#include <glib.h>
#include "kl-core-types.h"
#include "kl-enums.h"
#include "kl-records.h"
#include "kl-rollup.h"

G_BEGIN_DECLS

/* One month's summed counters; month is yyyymm. */
typedef void (*KlRollupMonthFunc)   (int                   month,
                                     const KlRollupCounts *counts,
                                     gpointer              user_data);
/* One region's summed counters; region as stored ("" when not given). */
typedef void (*KlRollupRegionFunc)  (const char           *region,
                                     const KlRollupCounts *counts,
                                     gpointer              user_data);
/* One account's counters for one month (a row of rollup_month). */
typedef void (*KlRollupCustomerMonthFunc) (const char           *customer_id,
                                           int                   month,
                                           const KlRollupCounts *counts,
                                           gpointer              user_data);

/* An account as the portfolio lists it. */
typedef struct {
  const char       *id;
  const char       *code;
  const char       *name;
  const char       *region;      /* NULL when not given (never "") */
  KlCustomerStatus  status;
  KlAbcClass        abc_class;   /* effective: the override, else the computed class */
} KlRollupCustomer;

typedef void (*KlRollupCustomerFunc)  (const KlRollupCustomer *customer,
                                       gpointer                user_data);
/* The agreement in force for one account; only customer_id and targets
 * are filled. */
typedef void (*KlRollupAgreementFunc) (const KlAgreement *agreement,
                                       gpointer           user_data);

/* The counters of customer_id (NULL: every customer, soft-deleted ones
 * included, summed) for each month from from_month to to_month (inclusive,
 * yyyymm) that has a stored row, in no particular order. */
gboolean kl_rollup_query_months    (KlDatabase          *db,
                                    const char          *customer_id,
                                    int                  from_month,
                                    int                  to_month,
                                    KlRollupMonthFunc    func,
                                    gpointer             user_data,
                                    GError             **error);

/* The counters of customer_id (NULL: every customer summed) over the months
 * from_month to to_month, grouped by the side's region, in no particular
 * order. */
gboolean kl_rollup_query_regions   (KlDatabase          *db,
                                    const char          *customer_id,
                                    int                  from_month,
                                    int                  to_month,
                                    KlRegionSide         side,
                                    KlRollupRegionFunc   func,
                                    gpointer             user_data,
                                    GError             **error);

/* Every stored (customer, month) row from from_month to to_month of the
 * customers that are not deleted, grouped by customer. */
gboolean kl_rollup_query_customer_months (KlDatabase                *db,
                                          int                        from_month,
                                          int                        to_month,
                                          KlRollupCustomerMonthFunc  func,
                                          gpointer                   user_data,
                                          GError                   **error);

/* Every customer that is not deleted, in no particular order. */
gboolean kl_rollup_query_customers (KlDatabase           *db,
                                    KlRollupCustomerFunc  func,
                                    gpointer              user_data,
                                    GError              **error);

/* For every customer, the agreement in force on date ("YYYY-MM-DD"): as
 * kl_agreement_store_in_force, the latest start among those covering it.
 * Customers without one are not reported. */
gboolean kl_rollup_query_agreements_in_force (KlDatabase             *db,
                                              const char             *date,
                                              KlRollupAgreementFunc   func,
                                              gpointer                user_data,
                                              GError                **error);

G_END_DECLS
