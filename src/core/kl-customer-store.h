/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Customers and what hangs off them: contacts, service agreements and
 * activities. Every function runs on the caller's thread against db; writes
 * join the caller's transaction or make their own. */
#pragma once

#include <glib.h>
#include "kl-database.h"
#include "kl-records.h"

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
 * last_month (yyyymm), as contracts/kpi.md defines it. */
gboolean     kl_customer_store_update_abc (KlDatabase *db, int last_month, GError **error);

/* Contacts. save creates when contact->id is NULL. */
GPtrArray   *kl_contact_store_list       (KlDatabase *db, const char *customer_id, GError **error);
gboolean     kl_contact_store_save       (KlDatabase *db, KlContact *contact, GError **error);
gboolean     kl_contact_store_delete     (KlDatabase *db, const char *id, GError **error);
KlContact   *kl_contact_store_get        (KlDatabase *db, const char *id, GError **error);

/* Service agreements. Saving or deleting one rebuilds the customer's rollups
 * (grace minutes decide what is on time). Periods of one customer may not
 * overlap. */
GPtrArray   *kl_agreement_store_list     (KlDatabase *db, const char *customer_id, GError **error);
gboolean     kl_agreement_store_save     (KlDatabase *db, KlAgreement *agreement, GError **error);
gboolean     kl_agreement_store_delete   (KlDatabase *db, const char *id, GError **error);
KlAgreement *kl_agreement_store_get      (KlDatabase *db, const char *id, GError **error);
/* The agreement in force on date ("YYYY-MM-DD"), or NULL (no error). */
KlAgreement *kl_agreement_store_in_force (KlDatabase *db, const char *customer_id,
                                          const char *date, GError **error);

/* Activities, newest first. */
GPtrArray   *kl_activity_store_list      (KlDatabase *db, const char *customer_id, GError **error);
/* Open follow-ups of every customer due before `before` (KL_NO_TIME: all). */
GPtrArray   *kl_activity_store_due       (KlDatabase *db, gint64 before, GError **error);
gboolean     kl_activity_store_save      (KlDatabase *db, KlActivity *activity, GError **error);
gboolean     kl_activity_store_delete    (KlDatabase *db, const char *id, GError **error);
KlActivity  *kl_activity_store_get       (KlDatabase *db, const char *id, GError **error);

G_END_DECLS
