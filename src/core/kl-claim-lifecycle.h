/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The pure rules of docs/claims.md: lifecycles of claims, returns and
 * complaints, the checks a move must pass, deadlines and filing warnings.
 * No storage here; the claim store, the window, the CLI and sync call these. */
#pragma once

#include <glib.h>

#include "kl-core-types.h"
#include "kl-enums.h"

G_BEGIN_DECLS

#define KL_CLAIM_ERROR (kl_claim_error_quark ())

typedef enum {
  KL_CLAIM_ERROR_BAD_MOVE,           /* the lifecycle has no such move */
  KL_CLAIM_ERROR_MISSING_DOCUMENTS,  /* approval without the documents it needs */
  KL_CLAIM_ERROR_AMOUNT,             /* an amount missing, negative or over its bound */
  KL_CLAIM_ERROR_MISSING_FIELD,      /* a reason, corrective action or return field */
} KlClaimError;

GQuark kl_claim_error_quark (void);

typedef enum {
  KL_CLAIM_KIND_DAMAGE,
  KL_CLAIM_KIND_SHORTAGE,
  KL_CLAIM_KIND_DELAY,
  KL_CLAIM_KIND_LOSS,
  KL_CLAIM_KIND_RETURN,
  KL_CLAIM_KIND_COMPLAINT,
  KL_N_CLAIM_KINDS
} KlClaimKind;

/* The statuses of all three lifecycles; which of them a case can take
 * depends on its kind (kl_claim_status_in_lifecycle()). */
typedef enum {
  /* freight claims */
  KL_CLAIM_STATUS_DRAFT,
  KL_CLAIM_STATUS_FILED,
  KL_CLAIM_STATUS_ACKNOWLEDGED,     /* also complaints */
  KL_CLAIM_STATUS_INVESTIGATING,    /* also complaints */
  KL_CLAIM_STATUS_APPROVED,
  KL_CLAIM_STATUS_DECLINED,
  KL_CLAIM_STATUS_PAID,
  KL_CLAIM_STATUS_CLOSED,           /* all three */
  KL_CLAIM_STATUS_WITHDRAWN,
  /* returns */
  KL_CLAIM_STATUS_REQUESTED,
  KL_CLAIM_STATUS_AUTHORIZED,
  KL_CLAIM_STATUS_IN_TRANSIT,
  KL_CLAIM_STATUS_RECEIVED,
  KL_CLAIM_STATUS_INSPECTED,
  KL_CLAIM_STATUS_RESOLVED,         /* also complaints */
  KL_CLAIM_STATUS_REJECTED,
  KL_CLAIM_STATUS_CANCELLED,
  /* complaints */
  KL_CLAIM_STATUS_OPEN,
  KL_N_CLAIM_STATUSES
} KlClaimStatus;

/* The document checklist of a case. */
typedef enum {
  KL_CLAIM_DOCUMENT_BILL_OF_LADING,
  KL_CLAIM_DOCUMENT_PROOF_OF_DELIVERY,
  KL_CLAIM_DOCUMENT_PACKING_LIST,
  KL_CLAIM_DOCUMENT_COMMERCIAL_INVOICE,
  KL_CLAIM_DOCUMENT_INSPECTION_REPORT,
  KL_CLAIM_DOCUMENT_PHOTOS,
  KL_CLAIM_DOCUMENT_REPAIR_ESTIMATE,
  KL_CLAIM_DOCUMENT_CARRIER_RESPONSE,
  KL_N_CLAIM_DOCUMENTS
} KlClaimDocument;

/* A set of documents present: KL_CLAIM_DOCUMENT_BIT (doc) or'ed together. */
typedef guint KlClaimDocuments;
#define KL_CLAIM_DOCUMENT_BIT(doc) (1u << (guint) (doc))
#define KL_CLAIM_DOCUMENTS_ALL     ((1u << KL_N_CLAIM_DOCUMENTS) - 1u)

/* What became of returned goods. */
typedef enum {
  KL_RETURN_OUTCOME_RESTOCKED,
  KL_RETURN_OUTCOME_REFUNDED,
  KL_RETURN_OUTCOME_REPLACED,
  KL_RETURN_OUTCOME_REPAIRED,
  KL_RETURN_OUTCOME_DISPOSED,
  KL_N_RETURN_OUTCOMES
} KlReturnOutcome;

/* _to_string gives the API token, _from_string takes the token or its
 * Chinese alias (any case, spaces trimmed), _to_label is translated and
 * _describe lists the accepted words for error messages (free it); the same
 * shape as the vocabularies of kl-enums.h. */
KL_DECLARE_VOCABULARY (KlClaimKind,     kl_claim_kind)
KL_DECLARE_VOCABULARY (KlClaimStatus,   kl_claim_status)
KL_DECLARE_VOCABULARY (KlClaimDocument, kl_claim_document)
KL_DECLARE_VOCABULARY (KlReturnOutcome, kl_return_outcome)

/* damage, shortage, delay and loss. */
gboolean      kl_claim_kind_is_freight        (KlClaimKind kind);
/* The status a new case starts in: filed (freight), requested (return),
 * open (complaint). Freight claims may also be created as drafts. */
KlClaimStatus kl_claim_kind_initial_status    (KlClaimKind kind);
/* TRUE when @status belongs to the lifecycle of @kind. */
gboolean      kl_claim_status_in_lifecycle    (KlClaimKind   kind,
                                               KlClaimStatus status);
/* TRUE when no move leads out of @status for @kind (withdrawn, rejected,
 * cancelled, a closed return). Closed freight claims and complaints can
 * be reopened, so they are not final. */
gboolean      kl_claim_status_is_final        (KlClaimKind   kind,
                                               KlClaimStatus status);

/* The statuses reachable in one move from @from, in the order a menu
 * should show them (forward first); empty when @from is final or not in
 * the lifecycle of @kind. A GArray of KlClaimStatus. */
GArray       *kl_claim_allowed_moves          (KlClaimKind   kind,
                                               KlClaimStatus from);
gboolean      kl_claim_move_is_allowed        (KlClaimKind   kind,
                                               KlClaimStatus from,
                                               KlClaimStatus to);
/* TRUE for the moves that reopen a case (declined/closed → investigating,
 * complaint resolved/closed → investigating); they require a reason. */
gboolean      kl_claim_move_is_reopen         (KlClaimKind   kind,
                                               KlClaimStatus from,
                                               KlClaimStatus to);

/* The documents @kind needs before it may be approved (0 for returns and
 * complaints). For damage, photos OR an inspection report is enough; that
 * pair is not in this mask — see kl_claim_missing_documents(). */
KlClaimDocuments kl_claim_documents_required  (KlClaimKind kind);
/* The documents (as a mask) still missing for approval given @present;
 * for damage with neither photos nor an inspection report both bits are
 * set in the result. */
KlClaimDocuments kl_claim_missing_documents   (KlClaimKind      kind,
                                               KlClaimDocuments present);

/* What a move asks for beyond the status: the store refuses the move
 * without it, and the window asks for exactly these. */
typedef enum {
  KL_CLAIM_MOVE_NEEDS_NOTHING           = 0,
  KL_CLAIM_MOVE_NEEDS_AMOUNT            = 1 << 0,  /* freight → approved, paid */
  KL_CLAIM_MOVE_NEEDS_REASON            = 1 << 1,  /* declined, rejected, reopening */
  KL_CLAIM_MOVE_NEEDS_CORRECTIVE_ACTION = 1 << 2,  /* complaint → resolved (unless recorded) */
  KL_CLAIM_MOVE_NEEDS_RETURN_LABEL      = 1 << 3,  /* return → authorized: destination, carrier, number */
  KL_CLAIM_MOVE_NEEDS_RETURN_TRACKING   = 1 << 4,  /* return → in_transit */
  KL_CLAIM_MOVE_NEEDS_OUTCOME           = 1 << 5,  /* return → resolved */
  KL_CLAIM_MOVE_NEEDS_DOCUMENTS         = 1 << 6,  /* freight → approved: the checklist */
} KlClaimMoveNeeds;

KlClaimMoveNeeds kl_claim_move_needs          (KlClaimKind   kind,
                                               KlClaimStatus from,
                                               KlClaimStatus to);

/* The documents of @missing as one translated list for a sentence, the
 * damage pair named once as an alternative: "“Proof of delivery”, “Photos”
 * or “Inspection report”". Free it. */
char         *kl_claim_documents_describe     (KlClaimKind      kind,
                                               KlClaimDocuments missing);

/* Everything a move is checked against. Documents and texts are the case
 * as it would stand after the move (recorded values merged with those given
 * with the move); strings may be NULL, and a string of only spaces counts as
 * missing. Amounts are integer minor units of the claim's currency: the
 * recorded ones, plus the amount given with the move on its own. */
typedef struct {
  KlClaimKind      kind;
  KlClaimStatus    from;
  KlClaimStatus    to;
  KlClaimDocuments documents;          /* the documents present */

  gboolean         claimed_set;
  gint64           claimed;
  gboolean         approved_set;       /* as recorded before the move */
  gint64           approved;
  gboolean         paid_set;           /* as recorded before the move */
  gint64           paid;
  /* The amount given with the move: the approved amount when moving to
   * approved, the paid amount when moving to paid. Refused with any other
   * move. When not set, the recorded approved/paid amount is used. */
  gboolean         amount_set;
  gint64           amount;

  const char      *reason;             /* declined, rejected, reopen */
  const char      *corrective_action;  /* complaint → resolved */

  /* returns */
  const char      *rma_number;         /* assigned by the store; not checked */
  const char      *return_destination; /* authorized */
  const char      *label_carrier;      /* authorized */
  const char      *label_number;       /* authorized */
  const char      *return_tracking;    /* in_transit */
  gboolean         outcome_set;        /* resolved */
  KlReturnOutcome  outcome;
} KlClaimMoveCheck;

/* TRUE when the move may be made. Otherwise FALSE with a KL_CLAIM_ERROR
 * whose translated message says what is wrong and what would fix it:
 * BAD_MOVE names the current status and the moves allowed from it,
 * MISSING_DOCUMENTS lists every missing document, AMOUNT and MISSING_FIELD
 * name the amount or field. Checks run in that order; the first failing
 * group is reported. */
gboolean      kl_claim_check_move             (const KlClaimMoveCheck *in,
                                               GError                **error);

/* Defaults of the agreement's claim_ack_days and claim_resolve_days. */
#define KL_CLAIM_DEFAULT_ACK_DAYS      30
#define KL_CLAIM_DEFAULT_RESOLVE_DAYS  120
/* Past the resolve deadline, a status update is due this often. */
#define KL_CLAIM_UPDATE_INTERVAL_DAYS  60

/* Deadlines are counted in calendar days in the given time zone and fall at
 * the last second (23:59:59) of their local day: filed on 1 March at any hour
 * with 30 days, acknowledge by 31 March 23:59:59. A deadline has passed when
 * now is strictly later. */
typedef struct {
  KlClaimKind   kind;
  KlClaimStatus status;               /* current status */
  gint64        filed_at;             /* KL_NO_TIME for a draft never filed */
  int           ack_days;             /* <= 0: the default, 30 */
  int           resolve_days;         /* <= 0: the default, 120 */
  /* The last status update the client was given: the latest status move or
   * client note. KL_NO_TIME when none. Only updates after the resolve
   * deadline move the next update due. */
  gint64        last_update_at;
} KlClaimDeadlineInput;

typedef struct {
  gint64   acknowledge_by;            /* always computed when filed_at is known */
  gint64   resolve_by;                /* always computed when filed_at is known */
  /* Past resolve_by while resolution is still pending: 60 days after the
   * later of resolve_by and last_update_at. KL_NO_TIME otherwise. */
  gint64   update_due_by;
  gboolean acknowledge_pending;       /* status is filed or open */
  gboolean resolve_pending;           /* not yet approved, declined, resolved,
                                       * rejected, withdrawn (nor past them) */
  gboolean acknowledge_overdue;       /* pending and now > acknowledge_by */
  gboolean resolve_overdue;           /* pending and now > resolve_by */
  gboolean update_overdue;            /* now > update_due_by */
} KlClaimDeadlines;

void          kl_claim_compute_deadlines      (const KlClaimDeadlineInput *in,
                                               GTimeZone                  *tz,
                                               gint64                      now,
                                               KlClaimDeadlines           *out);
/* Overdue per the contract: a deadline (acknowledge or resolve) has passed
 * while its condition still holds. A late status update implies the resolve
 * deadline has passed, so it is covered. */
gboolean      kl_claim_is_overdue             (const KlClaimDeadlineInput *in,
                                               GTimeZone                  *tz,
                                               gint64                      now);

/* Warnings to show when a case is opened, from the shipment it concerns.
 * Calendar days and months are counted between the local dates (in @tz) of
 * delivery and filing; business days are Monday to Friday after the day of
 * delivery up to and including the filing day (public holidays are not
 * known and count as business days). Returns a NULL-terminated array of
 * translated sentences (free with g_strfreev), empty when there is nothing
 * to say (NULL only for invalid arguments); *out_concealed is TRUE for a
 * damage claim filed more than 5 business days after delivery. No warnings
 * without a delivery time, for a filing on or before the day of delivery,
 * or for returns and complaints. */
char        **kl_claim_filing_warnings        (KlClaimKind  kind,
                                               gboolean     is_air,
                                               gint64       delivered_at,
                                               gint64       filed_at,
                                               GTimeZone   *tz,
                                               gboolean    *out_concealed);

/* The human number of a case: "CLM-2026-000123" for freight claims,
 * "RMA-…" for returns, "CMP-…" for complaints. At least six digits. */
char         *kl_claim_format_number          (KlClaimKind kind,
                                               int         year,
                                               gint64      seq);
/* The provisional number of a case opened in a workspace that syncs, until
 * the server accepts it and gives it its number: "CLM-2026-P000007". The
 * "P" keeps it apart from every number a server gives (digits only there),
 * so a provisional number never collides with a pulled one. */
char         *kl_claim_format_provisional_number (KlClaimKind kind,
                                                  int         year,
                                                  gint64      seq);
/* Whether number is a provisional one (kl_claim_format_provisional_number ()). */
gboolean      kl_claim_number_is_provisional  (const char *number);

G_END_DECLS
