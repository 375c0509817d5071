/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Claims, returns and complaints in the workspace: cases, their append-only
 * history and notes, deadlines read with the agreement in force, and the
 * period figures reports need. The rules are kl-claim-lifecycle's; this file
 * stores what they accept. Every function runs on the caller's thread. */
#pragma once

#include <glib-object.h>

#include "kl-claim.h"
#include "kl-claim-history.h"
#include "kl-claim-lifecycle.h"
#include "kl-claim-money.h"
#include "kl-claim-summary.h"
#include "kl-database.h"

G_BEGIN_DECLS

typedef enum {
  KL_CLAIM_NOTE_INTERNAL,   /* the company's eyes only */
  KL_CLAIM_NOTE_CLIENT,     /* may be printed in the client's report */
} KlClaimNoteVisibility;

typedef struct {
  gint64                 seq;
  KlClaimNoteVisibility  visibility;
  char                  *text;
  gint64                 at;
  char                  *by;
} KlClaimNote;

void      kl_claim_note_free (KlClaimNote *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KlClaimNote, kl_claim_note_free)

/* What opening a case takes. */
typedef struct {
  const char  *customer_id;        /* required */
  KlClaimKind  kind;
  gboolean     draft;              /* freight claims only: start as draft */
  const char  *waybill;            /* NULL or "" for none; an unknown one is kept and flagged */
  const char  *incident_date;      /* "YYYY-MM-DD" or NULL */
  gboolean     claimed_set;        /* freight claims only */
  gint64       claimed;
  const char  *currency;           /* required with an amount */
  gint64       filed_at;           /* KL_NO_TIME: now; for a draft, when it was written
                                    * (a draft is filed by its move) */
  const char  *description;
  const char  *note;               /* kept on the history entry of the opening */
  const char  *by;                 /* who; NULL: the user name */
} KlClaimNew;

#define KL_CLAIM_NEW_INIT { NULL, KL_CLAIM_KIND_DAMAGE, FALSE, NULL, NULL, FALSE, 0, NULL, \
                            KL_NO_TIME, NULL, NULL, NULL }

/* A status move and what it carries. */
typedef struct {
  KlClaimStatus    to;
  gboolean         amount_set;         /* approved amount for approved, paid for paid */
  gint64           amount;
  const char      *reason;             /* declined, rejected, reopening */
  const char      *note;
  const char      *corrective_action;  /* complaint → resolved, when not recorded yet */
  const char      *return_destination; /* authorized */
  const char      *label_carrier;      /* authorized */
  const char      *label_number;       /* authorized */
  const char      *return_tracking;    /* in_transit */
  gboolean         outcome_set;        /* resolved (returns) */
  KlReturnOutcome  outcome;
  const char      *by;
  gint64           at;                 /* KL_NO_TIME: now */
} KlClaimMove;

#define KL_CLAIM_MOVE_INIT { KL_CLAIM_STATUS_DRAFT, FALSE, 0, NULL, NULL, NULL, NULL, NULL, \
                             NULL, NULL, FALSE, KL_RETURN_OUTCOME_RESTOCKED, NULL, KL_NO_TIME }

/* What the lifecycle checks @move against on @claim: the case as it would
 * stand after the move, the values given with the move merged over the
 * recorded ones. The store checks every move with this, and the window
 * asks the same before it offers the move. Strings are borrowed from
 * @claim and @move. */
void       kl_claim_move_check_init (KlClaimMoveCheck  *out,
                                     const KlClaim     *claim,
                                     const KlClaimMove *move);

/* Field changes; only what is flagged _set (or named in the document masks)
 * is changed. A text set to NULL or "" clears the field. */
typedef struct {
  gboolean          owner_set;
  const char       *owner;
  gboolean          root_cause_set;
  const char       *root_cause;
  gboolean          corrective_action_set;
  const char       *corrective_action;
  KlClaimDocuments  documents_add;
  KlClaimDocuments  documents_remove;
  gboolean          claimed_set;       /* freight claims; not below the approved amount */
  gint64            claimed;
  const char       *currency;          /* with claimed when the case has none yet */
  gboolean          salvage_set;       /* freight claims; 0 … claimed */
  gint64            salvage;
  const char       *note;              /* kept on the first entry, or an entry of its own */
  const char       *by;
  gint64            at;                /* KL_NO_TIME: now */
} KlClaimUpdate;

#define KL_CLAIM_UPDATE_INIT { FALSE, NULL, FALSE, NULL, FALSE, NULL, 0, 0, FALSE, 0, NULL, \
                               FALSE, 0, NULL, NULL, KL_NO_TIME }

typedef struct {
  const char *customer_id;   /* NULL for any */
  int         kind;          /* KlClaimKind or -1 */
  int         status;        /* KlClaimStatus or -1 */
  const char *owner;         /* NULL for any */
  gboolean    overdue_only;
  const char  *search;       /* over number, waybill, description, customer name and code */
  gboolean    include_deleted;
} KlClaimFilter;

#define KL_CLAIM_FILTER_INIT { NULL, -1, -1, NULL, FALSE, NULL, FALSE }

/* Opens a case: assigns its number (per prefix and year of filing in the
 * workspace time zone), its initial status, flags an unknown waybill and
 * stores the filing warnings from the linked shipment. Returns the new id. */
char      *kl_claim_store_create  (KlDatabase        *db,
                                   const KlClaimNew  *input,
                                   GError           **error);

/* By id or by human number; deadlines computed at now. NOT_FOUND when
 * neither matches. */
KlClaim   *kl_claim_store_get     (KlDatabase  *db,
                                   const char  *id_or_number,
                                   gint64       now,
                                   GError     **error);

/* Matching cases: overdue first, then the nearest deadline, then the newest
 * filing. A GPtrArray of KlClaim. */
GPtrArray *kl_claim_store_list    (KlDatabase          *db,
                                   const KlClaimFilter *filter,
                                   gint64               now,
                                   GError             **error);

/* Moves a case to move->to. A move the lifecycle refuses returns its
 * KL_CLAIM_ERROR unchanged and writes nothing. One history entry names
 * the move and everything it carried (amount, reason, return fields). */
gboolean   kl_claim_store_move    (KlDatabase         *db,
                                   const char         *id,
                                   const KlClaimMove  *move,
                                   GError            **error);

/* Changes fields: one history entry per field that really changed (each
 * document is a field). Nothing changed and no note: nothing written. */
gboolean   kl_claim_store_update  (KlDatabase           *db,
                                   const char           *id,
                                   const KlClaimUpdate  *update,
                                   GError              **error);

/* A client note counts as a status update given to the client. at:
 * KL_NO_TIME for now. Notes are not history and are not synced. */
gboolean   kl_claim_store_add_note (KlDatabase            *db,
                                    const char            *id,
                                    KlClaimNoteVisibility  visibility,
                                    const char            *text,
                                    const char            *by,
                                    gint64                 at,
                                    GError               **error);

/* Oldest first; with client_only, internal notes are never read. A
 * GPtrArray of KlClaimNote. */
GPtrArray *kl_claim_store_notes   (KlDatabase  *db,
                                   const char  *id,
                                   gboolean     client_only,
                                   GError     **error);

/* The client notes written in [start, end) on the cases of a customer
 * (NULL: every customer), oldest first, as "CLM-2026-000012: text" strings.
 * Internal notes are never read. */
GPtrArray *kl_claim_store_client_notes_between (KlDatabase  *db,
                                                const char  *customer_id,
                                                gint64       start,
                                                gint64       end,
                                                GError     **error);

/* Empties the claims tables, history included (for `demo --force`); the
 * append-only guard is lifted for this one transaction only. */
gboolean   kl_claim_store_clear_all (KlDatabase *db, GError **error);

G_END_DECLS
