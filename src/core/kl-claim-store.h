/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Claims, returns and complaints in the workspace: cases, their append-only
 * history and notes, deadlines read with the agreement in force, and the
 * period figures reports need. The rules are kl-claim-lifecycle's; this file
 * stores what they accept. Every function runs on the caller's thread. */
#pragma once

#include <glib-object.h>

#include "kl-claim-lifecycle.h"
#include "kl-database.h"

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
  char           **warnings;           /* NULL-terminated, never NULL */
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

/* One entry of a case's history: never edited, never deleted. */
typedef struct {
  gint64  seq;
  gint64  at;
  char   *by;
  char   *what;        /* a sentence for people */
  char   *field;       /* "status", "owner", "document:photos", … NULL for a plain note */
  char   *old_value;   /* API tokens or minor units as text; NULL when unset */
  char   *new_value;
  char   *note;
} KlClaimHistoryEntry;

void      kl_claim_history_entry_free (KlClaimHistoryEntry *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KlClaimHistoryEntry, kl_claim_history_entry_free)

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

/* Oldest first. A GPtrArray of KlClaimHistoryEntry. */
GPtrArray *kl_claim_store_history (KlDatabase  *db,
                                   const char  *id,
                                   GError     **error);
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

/* A sum of money in one currency. */
typedef struct {
  char   currency[4];
  gint64 amount_minor;
} KlClaimMoney;

/* Claims figures of a period [start, end), read from history so they do
 * not change with the day they are asked. */
typedef struct {
  guint   opened;              /* filed in the period */
  guint   closed;              /* moved to closed in the period (last closing counts) */
  guint   open_at_end;         /* filed before end, not closed/withdrawn/rejected/cancelled at end */
  guint   overdue_at_end;      /* of those, past a deadline at the end instant */
  GArray *claimed;             /* KlClaimMoney: claimed amounts of the cases filed in the period */
  GArray *settled;             /* KlClaimMoney: paid amounts of the cases paid in the period */
  double  mean_days_to_close;  /* filing → closing of the closed ones; NAN when none */
} KlClaimPeriodSummary;

void       kl_claim_period_summary_free (KlClaimPeriodSummary *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KlClaimPeriodSummary, kl_claim_period_summary_free)

KlClaimPeriodSummary *kl_claim_store_period_summary (KlDatabase  *db,
                                                     const char  *customer_id,
                                                     gint64       start,
                                                     gint64       end,
                                                     GError     **error);

/* Empties the claims tables, history included (for `demo --force`); the
 * append-only guard is lifted for this one transaction only. */
gboolean   kl_claim_store_clear_all (KlDatabase *db, GError **error);

/* Digits after the decimal point of a currency's minor unit (JPY, KRW: 0;
 * others: 2). */
int        kl_currency_decimals   (const char *currency);
/* "1234.50" in CNY → 123450; refuses more decimals than the currency has,
 * signs and anything that is not a plain decimal number. */
gboolean   kl_money_parse         (const char  *text,
                                   const char  *currency,
                                   gint64      *out_minor,
                                   GError     **error);
/* 123450, CNY → "1234.50". */
char      *kl_money_format        (gint64      minor,
                                   const char *currency);

G_END_DECLS
