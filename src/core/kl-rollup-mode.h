/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The rollup per customer, month and transport mode (schema 6): what the
 * contribution classes and service standards of docs/analysis.md need,
 * kept exactly like the other rollups (in the same transaction as every
 * shipment change, rebuilt and checked by `check`).
 *
 * Per (customer, month, mode), over the customer's non-cancelled shipments
 * of that mode whose service date falls in the month (docs/kpi.md):
 *
 *  - shipments, weight_g;
 *  - revenue_minor: the sum of revenue in the workspace currency (a
 *    shipment whose currency is NULL, see kl_database_get_currency ()),
 *    in its minor units; revenue_shipments: how many carry such revenue;
 *    other_currency: how many carry revenue in another currency (left out
 *    of revenue_minor);
 *  - delivered and delivered_on_time: the denominator and numerator of
 *    the arrival on-time rate of docs/kpi.md (delivery grace of the
 *    agreement in force on the service date, equality on time);
 *  - transit[0..31]: delivered shipments by transit days, bucket =
 *    ceil ((delivered_at − start) / 86400 s) with start = picked_up_at, or
 *    planned_pickup_at when not picked up; 0 when that is ≤ 0; 31 means
 *    "more than 30 days". So "transit within L days" (L ≤ 30) is exactly
 *    the sum of buckets 0..L: kl_rollup_mode_within_days (). */
#pragma once

#include <glib.h>
#include "kl-core-types.h"
#include "kl-database.h"
#include "kl-records.h"

G_BEGIN_DECLS

#define KL_TRANSIT_BUCKETS 32
#define KL_TRANSIT_MAX_DAYS 30   /* the last bucket holds everything longer */

typedef enum {
  KL_RM_SHIPMENTS,
  KL_RM_WEIGHT_G,
  KL_RM_REVENUE_MINOR,
  KL_RM_REVENUE_SHIPMENTS,
  KL_RM_OTHER_CURRENCY,
  KL_RM_DELIVERED,
  KL_RM_DELIVERED_ON_TIME,
  KL_RM_TRANSIT_0,              /* … KL_RM_TRANSIT_0 + 31 */
  KL_RM_N = KL_RM_TRANSIT_0 + KL_TRANSIT_BUCKETS
} KlRollupModeColumn;

/* The counters of one row, indexed by KlRollupModeColumn. */
typedef struct {
  gint64 v[KL_RM_N];
} KlRollupModeCounts;

/* One result row of kl_rollup_mode_query (): a customer's sums over the
 * months asked for, in one mode (KL_MODE_NONE for shipments naming none). */
typedef struct {
  char               *customer_id;
  KlShipmentMode      mode;
  KlRollupModeCounts  counts;
} KlRollupModeRow;

/* The SQL column name of a counter ("shipments", "transit_3", …). */
const char *kl_rollup_mode_column_name (KlRollupModeColumn column);

/* The transit bucket of a delivered shipment (see above); -1 when it is
 * not delivered. */
int         kl_transit_bucket          (const KlShipment *shipment);

/* What one shipment adds to its (customer, month, mode) row, the delivery
 * grace given; FALSE for a cancelled shipment, which counts nowhere. The
 * month is the one kl_shipment_rollup () gives. */
gboolean    kl_shipment_rollup_mode    (const KlShipment   *shipment,
                                        int                 delivery_grace_min,
                                        KlRollupModeCounts *out);

/* Adds other into into with checked arithmetic (as kl_rollup_counts_add). */
gboolean    kl_rollup_mode_counts_add  (KlRollupModeCounts       *into,
                                        const KlRollupModeCounts *other);

/* Delivered shipments whose transit took at most days × 24 h (days 0..30;
 * larger values count every delivered shipment). */
gint64      kl_rollup_mode_within_days (const KlRollupModeCounts *counts,
                                        int                       days);

/* Sums per (customer, mode) over the months first_month..last_month
 * (yyyymm, inclusive) of customer_id's rows (NULL: every customer). Rows
 * are ordered by customer id, then mode in the order of KlShipmentMode
 * (KL_MODE_NONE first); a customer or mode with no shipments in the range
 * has no row. Reads in one read transaction. Returns a GArray of
 * KlRollupModeRow (its clear function frees customer_id), or NULL with
 * error. */
GArray     *kl_rollup_mode_query       (KlDatabase  *db,
                                        const char  *customer_id,
                                        int          first_month,
                                        int          last_month,
                                        GError     **error);

G_END_DECLS
