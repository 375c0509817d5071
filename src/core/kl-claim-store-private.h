/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the files of the claim store share: kl-claim.c (the record and
 * reading it), kl-claim-store.c (writing), kl-claim-history.c,
 * kl-claim-money.c and kl-claim-summary.c. Not for other layers. */
#pragma once

#include <sqlite3.h>

#include "kl-database-private.h"
#include "kl-claim-store.h"

G_BEGIN_DECLS

/* An entry to append; strings are borrowed. */
typedef struct {
  gint64         at;
  const char    *by;          /* NULL or blank: the user name */
  KlClaimChange  change;
  const char    *field;
  const char    *old_value;
  const char    *new_value;
  gboolean       amount_set;
  gint64         amount;
  const char    *currency;
  const char    *reason;
  const char    *corrective_action;
  const char    *rma_number;
  const char    *return_destination;
  const char    *label_carrier;
  const char    *label_number;
  const char    *return_tracking;
  const char    *outcome;
  const char    *note;        /* blank: none */
  const char    *legacy_text;
} KlClaimHistoryDraft;

/* Appends an entry to the case's chain (in the caller's transaction). */
gboolean  _kl_claim_history_append  (KlDatabase                 *db,
                                     const char                 *claim_id,
                                     const KlClaimHistoryDraft  *draft,
                                     GError                    **error);
/* Schema 5's work beyond SQL: chains the entries kept from schema 4 and
 * puts the append-only guards on. Runs in the migration's transaction. */
gboolean  _kl_claim_history_migrate_5 (KlDatabase  *db,
                                       GError     **error);
/* The guards, put back by kl_claim_store_clear_all. */
extern const char _kl_claim_history_guards[];

/* "800.00 CNY", or "none" (translated) when not set. */
char     *_kl_claim_amount_label    (gboolean    set,
                                     gint64      minor,
                                     const char *currency);

/* The case by id or number, deadlines not computed yet. */
KlClaim  *_kl_claim_read            (KlDatabase  *db,
                                     const char  *id_or_number,
                                     GError     **error);
void      _kl_claim_deadline_input  (const KlClaim        *claim,
                                     KlClaimStatus         status,
                                     gint64                last_update_at,
                                     KlClaimDeadlineInput *in);
/* The user name when by is blank. */
const char *_kl_claim_who           (const char *by);
gint64    _kl_claim_now             (void);

G_END_DECLS
