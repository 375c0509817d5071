/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A stored case: the record the claim store reads, with its deadlines. */
#pragma once

#include <glib-object.h>

#include "kl-claim-lifecycle.h"

G_BEGIN_DECLS

/* A stored case, with its deadlines computed on reading. Strings are owned;
 * amounts are minor units of currency and valid only when their _set flag
 * is TRUE. */
typedef struct {
  char            *id;
  char            *number;             /* CLM-2026-000123, RMA-…, CMP-… */
  char            *customer_id;
  char            *customer_name;      /* read from the customer, for lists */
  char            *customer_code;
  KlClaimKind      kind;
  KlClaimStatus    status;
  char            *waybill;            /* NULL when none was given */
  gboolean         shipment_known;     /* FALSE: the waybill is not on record */
  char            *incident_date;      /* "YYYY-MM-DD" or NULL */
  char            *description;
  char            *currency;           /* ISO 4217, NULL when no amount was ever set */
  gboolean         claimed_set;
  gint64           claimed;
  gboolean         approved_set;
  gint64           approved;
  gboolean         paid_set;
  gint64           paid;
  gboolean         salvage_set;
  gint64           salvage;
  char            *owner;
  char            *root_cause;
  char            *corrective_action;
  KlClaimDocuments documents;
  gint64           filed_at;           /* KL_NO_TIME for a draft */
  gint64           acknowledged_at;    /* when the case left filed/open */
  gint64           paid_at;
  gint64           closed_at;          /* cleared on reopening */
  gint64           last_update_at;     /* last status move or client note */
  /* returns */
  char            *rma_number;         /* assigned when authorized */
  char            *return_destination;
  char            *label_carrier;
  char            *label_number;
  char            *return_tracking;
  gboolean         outcome_set;
  KlReturnOutcome  outcome;
  /* filing */
  gboolean         concealed_damage;
  /* The linked shipment as known when the case was filed, which the
   * filing warnings are worked out from. */
  gint64           delivered_at;       /* KL_NO_TIME: unknown or not delivered */
  gboolean         shipment_air;
  /* The filing warnings, worded on reading in the current language;
   * NULL-terminated, never NULL. */
  char           **warnings;
  gint64           created_at;
  gint64           revision;           /* the server's; 0 before the first sync */
  gint64           updated_at;
  gboolean         deleted;

  /* Computed on reading, against the agreement in force on the filing date
   * (defaults without one), in the workspace time zone, at the "now" the
   * caller gave. */
  int              ack_days;
  int              resolve_days;
  KlClaimDeadlines deadlines;
  gboolean         overdue;
  /* The nearest deadline still pending (acknowledge, resolve or update),
   * KL_NO_TIME when none. */
  gint64           next_due;
} KlClaim;

#define KL_TYPE_CLAIM (kl_claim_get_type ())
GType     kl_claim_get_type (void) G_GNUC_CONST;
KlClaim  *kl_claim_copy     (const KlClaim *self);
void      kl_claim_free     (KlClaim *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KlClaim, kl_claim_free)

G_END_DECLS
