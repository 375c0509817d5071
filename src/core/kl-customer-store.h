/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Customers. Every function runs on the caller's thread against db; writes
 * join the caller's transaction or make their own. Contacts, agreements and
 * activities have stores of their own (kl-contact-store.h, …). */
#pragma once

#include <glib.h>
#include "kl-database.h"
#include "kl-records.h"

/* Before the stores were split, this header declared all four. Kept so that
 * callers written against it still build; new code includes what it uses. */
#include "kl-contact-store.h"
#include "kl-agreement-store.h"
#include "kl-activity-store.h"

G_BEGIN_DECLS

typedef struct {
  const char       *search;          /* free text over code, names, contacts, tags */
  int               status;          /* KlCustomerStatus, or -1 for any */
  int               abc_class;       /* effective KlAbcClass, or -1 for any */
  int               relationship;    /* KlRelationship, or -1 for any */
  const char       *region;          /* NULL for any */
  gboolean          include_deleted;
} KlCustomerFilter;

#define KL_CUSTOMER_FILTER_INIT { NULL, -1, -1, -1, NULL, FALSE }

/* The effective ABC class: the override when set, else the computed one. */
KlAbcClass   kl_customer_effective_abc   (const KlCustomer *customer);

/* Creates or updates by code (a customer with an unknown id and a known code
 * updates that customer). Fills customer->id for a new one. Validates
 * (code and name required, tags without ';'). Local and import changes add an
 * outbox entry naming the changed fields. */
gboolean     kl_customer_store_save      (KlDatabase      *db,
                                          KlCustomer      *customer,
                                          KlOrigin         origin,
                                          KlUpsertResult  *out_result,
                                          GError         **error);
/* Soft delete (deleted = TRUE); kl_customer_store_restore undoes it. */
gboolean     kl_customer_store_delete    (KlDatabase *db, const char *id, GError **error);
gboolean     kl_customer_store_restore   (KlDatabase *db, const char *id, GError **error);

KlCustomer  *kl_customer_store_get       (KlDatabase *db, const char *id, GError **error);
KlCustomer  *kl_customer_store_get_by_code (KlDatabase *db, const char *code, GError **error);
/* The customer id for a code, or NULL (no error) when unknown. */
char        *kl_customer_store_lookup_code (KlDatabase *db, const char *code, GError **error);

/* Matching customers ordered by name (then code), offset/limit paging;
 * limit < 0 for all. Returns a GPtrArray of KlCustomer. */
GPtrArray   *kl_customer_store_list      (KlDatabase             *db,
                                          const KlCustomerFilter *filter,
                                          int                     offset,
                                          int                     limit,
                                          GError                **error);
gint64       kl_customer_store_count     (KlDatabase             *db,
                                          const KlCustomerFilter *filter,
                                          GError                **error);
/* Distinct customer regions, sorted. */
GStrv        kl_customer_store_regions   (KlDatabase *db, GError **error);
/* Shipments on record for a customer, cancelled left out. */
gint64       kl_customer_store_shipment_count (KlDatabase *db, const char *customer_id, GError **error);
/* Recomputes every customer's ABC class over the twelve months ending with
 * last_month (yyyymm), as docs/kpi.md defines it. */
gboolean     kl_customer_store_update_abc (KlDatabase *db, int last_month, GError **error);

G_END_DECLS
