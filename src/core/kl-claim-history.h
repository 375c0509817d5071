/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The history of a case (docs/claims.md): what changed, from what to
 * what, kept as data and worded only when shown, in the reader's language.
 * Entries are append-only and chained: each stores the SHA-256 of its
 * content and of the entry before it, so `check` can tell an edited,
 * removed or replaced entry. */
#pragma once

#include <glib.h>

#include "kl-database.h"

G_BEGIN_DECLS

/* The kinds of change, as the `change` of docs/api.yaml. */
typedef enum {
  KL_CLAIM_CHANGE_CREATED,    /* field "status": NULL → the first status */
  KL_CLAIM_CHANGE_MOVED,      /* field "status": from → to */
  KL_CLAIM_CHANGE_FIELD,      /* owner, root_cause, corrective_action, claimed, salvage */
  KL_CLAIM_CHANGE_DOCUMENT,   /* field "document:NAME": "no" → "yes" or back */
  KL_CLAIM_CHANGE_NOTE,       /* a note on its own */
  KL_N_CLAIM_CHANGES
} KlClaimChange;

const char *kl_claim_change_to_string   (KlClaimChange change);

/* One entry of a case's history: never edited, never deleted. Strings are
 * owned and NULL when not given. */
typedef struct {
  gint64         seq;
  gint64         at;
  char          *by;
  KlClaimChange  change;
  char          *field;        /* "status", "owner", "claimed", "document:photos", …; NULL for a note */
  char          *old_value;    /* API tokens, or minor units as text; NULL when unset */
  char          *new_value;
  /* What an opening or a move carried. amount: the claimed amount of an
   * opening, the approved or paid amount of a move; currency also names
   * the currency of an amount field's old and new value. */
  gboolean       amount_set;
  gint64         amount;
  char          *currency;
  char          *reason;       /* declined, rejected, reopened */
  char          *corrective_action;
  char          *rma_number;
  char          *return_destination;
  char          *label_carrier;
  char          *label_number;
  char          *return_tracking;
  char          *outcome;      /* a KlReturnOutcome token */
  char          *note;
  /* The sentence an entry written before schema 5 was kept as, where the
   * data above does not hold all it said (openings and moves). */
  char          *legacy_text;
  char          *prev_hash;    /* "" for a case's first entry */
  char          *hash;         /* SHA-256, lower-case hex */
} KlClaimHistoryEntry;

void        kl_claim_history_entry_free (KlClaimHistoryEntry *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KlClaimHistoryEntry, kl_claim_history_entry_free)

/* The entry as one sentence for people, translated into the current
 * language ("Moved from Investigating to Approved; approved 800.00 CNY").
 * The note is not part of it. */
char       *kl_claim_history_entry_describe (const KlClaimHistoryEntry *self);

/* Oldest first. A GPtrArray of KlClaimHistoryEntry. */
GPtrArray  *kl_claim_store_history  (KlDatabase  *db,
                                     const char  *id,
                                     GError     **error);

/* Checks the history of every case in the workspace (deleted ones too):
 *
 *  - each entry's hash is the SHA-256 of its content and of the previous
 *    entry's hash, and its prev_hash is that previous hash ("" for the
 *    first), so an entry edited, removed, replaced or slipped in shows;
 *  - each case has a history, its first entry is its opening, and its
 *    status is the status its history last moved it to.
 *
 * Appends one translated line per finding to @findings_out (a GPtrArray of
 * strings the caller frees with g_free), naming the case by its number and
 * the entry by its seq, and saying what would fix it. Returns TRUE when the
 * check ran, whatever it found; FALSE with @error only when the workspace
 * could not be read. Reads only: run it in the caller's (read)
 * transaction to see one state of the workspace. */
gboolean    kl_claim_history_verify (KlDatabase  *db,
                                     GPtrArray   *findings_out,
                                     GError     **error);

G_END_DECLS
