/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Lifecycles, move checks, deadlines and filing warnings of claims, returns
 * and complaints (docs/claims.md). Pure functions: no storage. */

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "kl-claim-lifecycle.h"
#include "kl-enums-private.h"

G_DEFINE_QUARK (kl-claim-error-quark, kl_claim_error)

/* ---------------------------------------------------------------------- */
/* Vocabularies                                                            */

static const KlWord claim_kinds[] = {
  { "damage",    "货损", N_("Damage") },
  { "shortage",  "短少", N_("Shortage") },
  { "delay",     "延误", N_("Delay") },
  { "loss",      "丢失", N_("Loss") },
  { "return",    "退货", N_("Return") },
  { "complaint", "投诉", N_("Complaint") },
};
G_STATIC_ASSERT (G_N_ELEMENTS (claim_kinds) == KL_N_CLAIM_KINDS);
KL_DEFINE_VOCABULARY (KlClaimKind, kl_claim_kind, claim_kinds, KL_N_CLAIM_KINDS)

static const KlWord claim_statuses[] = {
  { "draft",         "草稿",     N_("Draft") },
  { "filed",         "已提交",   N_("Filed") },
  { "acknowledged",  "已受理",   N_("Acknowledged") },
  { "investigating", "调查中",   N_("Investigating") },
  { "approved",      "已批准",   N_("Approved") },
  { "declined",      "已拒赔",   N_("Declined") },
  { "paid",          "已赔付",   N_("Paid") },
  { "closed",        "已结案",   N_("Closed") },
  { "withdrawn",     "已撤回",   N_("Withdrawn") },
  { "requested",     "已申请",   N_("Requested") },
  { "authorized",    "已授权",   N_("Authorized") },
  { "in_transit",    "退回途中", N_("In transit") },
  { "received",      "已收货",   N_("Received") },
  { "inspected",     "已检验",   N_("Inspected") },
  { "resolved",      "已解决",   N_("Resolved") },
  { "rejected",      "已驳回",   N_("Rejected") },
  { "cancelled",     "已取消",   N_("Cancelled") },
  { "open",          "待处理",   N_("Open") },
};
G_STATIC_ASSERT (G_N_ELEMENTS (claim_statuses) == KL_N_CLAIM_STATUSES);
KL_DEFINE_VOCABULARY (KlClaimStatus, kl_claim_status, claim_statuses, KL_N_CLAIM_STATUSES)

static const KlWord claim_documents[] = {
  { "bill_of_lading",     "提单",       N_("Bill of lading") },
  { "proof_of_delivery",  "签收单",     N_("Proof of delivery") },
  { "packing_list",       "装箱单",     N_("Packing list") },
  { "commercial_invoice", "商业发票",   N_("Commercial invoice") },
  { "inspection_report",  "检验报告",   N_("Inspection report") },
  { "photos",             "照片",       N_("Photos") },
  { "repair_estimate",    "维修报价",   N_("Repair estimate") },
  { "carrier_response",   "承运人回复", N_("Carrier response") },
};
G_STATIC_ASSERT (G_N_ELEMENTS (claim_documents) == KL_N_CLAIM_DOCUMENTS);
KL_DEFINE_VOCABULARY (KlClaimDocument, kl_claim_document, claim_documents, KL_N_CLAIM_DOCUMENTS)

static const KlWord return_outcomes[] = {
  { "restocked", "重新入库", N_("Restocked") },
  { "refunded",  "已退款",   N_("Refunded") },
  { "replaced",  "已换货",   N_("Replaced") },
  { "repaired",  "已维修",   N_("Repaired") },
  { "disposed",  "已报废",   N_("Disposed of") },
};
G_STATIC_ASSERT (G_N_ELEMENTS (return_outcomes) == KL_N_RETURN_OUTCOMES);
KL_DEFINE_VOCABULARY (KlReturnOutcome, kl_return_outcome, return_outcomes, KL_N_RETURN_OUTCOMES)

/* ---------------------------------------------------------------------- */
/* Lifecycles                                                              */

typedef struct {
  KlClaimStatus from;
  KlClaimStatus to;
  gboolean      reopen;
} ClaimMove;

/* In menu order: for each status, forward moves before side exits. */
static const ClaimMove freight_moves[] = {
  { KL_CLAIM_STATUS_DRAFT,         KL_CLAIM_STATUS_FILED,         FALSE },
  { KL_CLAIM_STATUS_FILED,         KL_CLAIM_STATUS_ACKNOWLEDGED,  FALSE },
  { KL_CLAIM_STATUS_FILED,         KL_CLAIM_STATUS_WITHDRAWN,     FALSE },
  { KL_CLAIM_STATUS_ACKNOWLEDGED,  KL_CLAIM_STATUS_INVESTIGATING, FALSE },
  { KL_CLAIM_STATUS_ACKNOWLEDGED,  KL_CLAIM_STATUS_WITHDRAWN,     FALSE },
  { KL_CLAIM_STATUS_INVESTIGATING, KL_CLAIM_STATUS_APPROVED,      FALSE },
  { KL_CLAIM_STATUS_INVESTIGATING, KL_CLAIM_STATUS_DECLINED,      FALSE },
  { KL_CLAIM_STATUS_INVESTIGATING, KL_CLAIM_STATUS_WITHDRAWN,     FALSE },
  { KL_CLAIM_STATUS_APPROVED,      KL_CLAIM_STATUS_PAID,          FALSE },
  { KL_CLAIM_STATUS_PAID,          KL_CLAIM_STATUS_CLOSED,        FALSE },
  { KL_CLAIM_STATUS_DECLINED,      KL_CLAIM_STATUS_CLOSED,        FALSE },
  { KL_CLAIM_STATUS_DECLINED,      KL_CLAIM_STATUS_INVESTIGATING, TRUE },
  { KL_CLAIM_STATUS_CLOSED,        KL_CLAIM_STATUS_INVESTIGATING, TRUE },
};

static const ClaimMove return_moves[] = {
  { KL_CLAIM_STATUS_REQUESTED,  KL_CLAIM_STATUS_AUTHORIZED, FALSE },
  { KL_CLAIM_STATUS_REQUESTED,  KL_CLAIM_STATUS_REJECTED,   FALSE },
  { KL_CLAIM_STATUS_REQUESTED,  KL_CLAIM_STATUS_CANCELLED,  FALSE },
  { KL_CLAIM_STATUS_AUTHORIZED, KL_CLAIM_STATUS_IN_TRANSIT, FALSE },
  { KL_CLAIM_STATUS_AUTHORIZED, KL_CLAIM_STATUS_CANCELLED,  FALSE },
  { KL_CLAIM_STATUS_IN_TRANSIT, KL_CLAIM_STATUS_RECEIVED,   FALSE },
  { KL_CLAIM_STATUS_RECEIVED,   KL_CLAIM_STATUS_INSPECTED,  FALSE },
  { KL_CLAIM_STATUS_INSPECTED,  KL_CLAIM_STATUS_RESOLVED,   FALSE },
  { KL_CLAIM_STATUS_RESOLVED,   KL_CLAIM_STATUS_CLOSED,     FALSE },
};

static const ClaimMove complaint_moves[] = {
  { KL_CLAIM_STATUS_OPEN,          KL_CLAIM_STATUS_ACKNOWLEDGED,  FALSE },
  { KL_CLAIM_STATUS_ACKNOWLEDGED,  KL_CLAIM_STATUS_INVESTIGATING, FALSE },
  { KL_CLAIM_STATUS_INVESTIGATING, KL_CLAIM_STATUS_RESOLVED,      FALSE },
  { KL_CLAIM_STATUS_RESOLVED,      KL_CLAIM_STATUS_CLOSED,        FALSE },
  { KL_CLAIM_STATUS_RESOLVED,      KL_CLAIM_STATUS_INVESTIGATING, TRUE },
  { KL_CLAIM_STATUS_CLOSED,        KL_CLAIM_STATUS_INVESTIGATING, TRUE },
};

static const KlClaimStatus freight_statuses[] = {
  KL_CLAIM_STATUS_DRAFT, KL_CLAIM_STATUS_FILED, KL_CLAIM_STATUS_ACKNOWLEDGED,
  KL_CLAIM_STATUS_INVESTIGATING, KL_CLAIM_STATUS_APPROVED, KL_CLAIM_STATUS_DECLINED,
  KL_CLAIM_STATUS_PAID, KL_CLAIM_STATUS_CLOSED, KL_CLAIM_STATUS_WITHDRAWN,
};

static const KlClaimStatus return_statuses[] = {
  KL_CLAIM_STATUS_REQUESTED, KL_CLAIM_STATUS_AUTHORIZED, KL_CLAIM_STATUS_IN_TRANSIT,
  KL_CLAIM_STATUS_RECEIVED, KL_CLAIM_STATUS_INSPECTED, KL_CLAIM_STATUS_RESOLVED,
  KL_CLAIM_STATUS_CLOSED, KL_CLAIM_STATUS_REJECTED, KL_CLAIM_STATUS_CANCELLED,
};

static const KlClaimStatus complaint_statuses[] = {
  KL_CLAIM_STATUS_OPEN, KL_CLAIM_STATUS_ACKNOWLEDGED, KL_CLAIM_STATUS_INVESTIGATING,
  KL_CLAIM_STATUS_RESOLVED, KL_CLAIM_STATUS_CLOSED,
};

static gboolean
kind_is_valid (KlClaimKind kind)
{
  return (int) kind >= 0 && kind < KL_N_CLAIM_KINDS;
}

static gboolean
status_is_valid (KlClaimStatus status)
{
  return (int) status >= 0 && status < KL_N_CLAIM_STATUSES;
}

static const ClaimMove *
moves_of_kind (KlClaimKind kind,
               guint      *out_n)
{
  switch (kind)
    {
    case KL_CLAIM_KIND_RETURN:
      *out_n = G_N_ELEMENTS (return_moves);
      return return_moves;
    case KL_CLAIM_KIND_COMPLAINT:
      *out_n = G_N_ELEMENTS (complaint_moves);
      return complaint_moves;
    case KL_CLAIM_KIND_DAMAGE:
    case KL_CLAIM_KIND_SHORTAGE:
    case KL_CLAIM_KIND_DELAY:
    case KL_CLAIM_KIND_LOSS:
    case KL_N_CLAIM_KINDS:
    default:
      *out_n = G_N_ELEMENTS (freight_moves);
      return freight_moves;
    }
}

static const ClaimMove *
find_move (KlClaimKind   kind,
           KlClaimStatus from,
           KlClaimStatus to)
{
  guint n;
  const ClaimMove *moves = moves_of_kind (kind, &n);

  for (guint i = 0; i < n; i++)
    if (moves[i].from == from && moves[i].to == to)
      return &moves[i];
  return NULL;
}

gboolean
kl_claim_kind_is_freight (KlClaimKind kind)
{
  g_return_val_if_fail (kind_is_valid (kind), FALSE);

  return kind == KL_CLAIM_KIND_DAMAGE || kind == KL_CLAIM_KIND_SHORTAGE ||
         kind == KL_CLAIM_KIND_DELAY || kind == KL_CLAIM_KIND_LOSS;
}

KlClaimStatus
kl_claim_kind_initial_status (KlClaimKind kind)
{
  g_return_val_if_fail (kind_is_valid (kind), KL_CLAIM_STATUS_FILED);

  if (kind == KL_CLAIM_KIND_RETURN)
    return KL_CLAIM_STATUS_REQUESTED;
  if (kind == KL_CLAIM_KIND_COMPLAINT)
    return KL_CLAIM_STATUS_OPEN;
  return KL_CLAIM_STATUS_FILED;
}

gboolean
kl_claim_status_in_lifecycle (KlClaimKind   kind,
                              KlClaimStatus status)
{
  const KlClaimStatus *statuses;
  guint n;

  g_return_val_if_fail (kind_is_valid (kind), FALSE);

  if (kind == KL_CLAIM_KIND_RETURN)
    statuses = return_statuses, n = G_N_ELEMENTS (return_statuses);
  else if (kind == KL_CLAIM_KIND_COMPLAINT)
    statuses = complaint_statuses, n = G_N_ELEMENTS (complaint_statuses);
  else
    statuses = freight_statuses, n = G_N_ELEMENTS (freight_statuses);

  for (guint i = 0; i < n; i++)
    if (statuses[i] == status)
      return TRUE;
  return FALSE;
}

GArray *
kl_claim_allowed_moves (KlClaimKind   kind,
                        KlClaimStatus from)
{
  GArray *out = g_array_sized_new (FALSE, FALSE, sizeof (KlClaimStatus), 4);
  const ClaimMove *moves;
  guint n;

  g_return_val_if_fail (kind_is_valid (kind), out);

  moves = moves_of_kind (kind, &n);
  for (guint i = 0; i < n; i++)
    if (moves[i].from == from)
      g_array_append_val (out, moves[i].to);
  return out;
}

gboolean
kl_claim_status_is_final (KlClaimKind   kind,
                          KlClaimStatus status)
{
  g_autoptr(GArray) moves = NULL;

  g_return_val_if_fail (kind_is_valid (kind), FALSE);

  if (!kl_claim_status_in_lifecycle (kind, status))
    return FALSE;
  moves = kl_claim_allowed_moves (kind, status);
  return moves->len == 0;
}

gboolean
kl_claim_move_is_allowed (KlClaimKind   kind,
                          KlClaimStatus from,
                          KlClaimStatus to)
{
  g_return_val_if_fail (kind_is_valid (kind), FALSE);

  return find_move (kind, from, to) != NULL;
}

gboolean
kl_claim_move_is_reopen (KlClaimKind   kind,
                         KlClaimStatus from,
                         KlClaimStatus to)
{
  const ClaimMove *move;

  g_return_val_if_fail (kind_is_valid (kind), FALSE);

  move = find_move (kind, from, to);
  return move != NULL && move->reopen;
}

/* ---------------------------------------------------------------------- */
/* Documents                                                               */

#define DOC(d) KL_CLAIM_DOCUMENT_BIT (KL_CLAIM_DOCUMENT_##d)

KlClaimDocuments
kl_claim_documents_required (KlClaimKind kind)
{
  g_return_val_if_fail (kind_is_valid (kind), 0);

  switch (kind)
    {
    case KL_CLAIM_KIND_DAMAGE:
      return DOC (PROOF_OF_DELIVERY) | DOC (COMMERCIAL_INVOICE);
    case KL_CLAIM_KIND_SHORTAGE:
      return DOC (PROOF_OF_DELIVERY) | DOC (COMMERCIAL_INVOICE) | DOC (PACKING_LIST);
    case KL_CLAIM_KIND_DELAY:
      return DOC (PROOF_OF_DELIVERY);
    case KL_CLAIM_KIND_LOSS:
      return DOC (BILL_OF_LADING) | DOC (COMMERCIAL_INVOICE);
    case KL_CLAIM_KIND_RETURN:
    case KL_CLAIM_KIND_COMPLAINT:
    case KL_N_CLAIM_KINDS:
    default:
      return 0;
    }
}

KlClaimDocuments
kl_claim_missing_documents (KlClaimKind      kind,
                            KlClaimDocuments present)
{
  KlClaimDocuments missing;

  g_return_val_if_fail (kind_is_valid (kind), 0);

  missing = kl_claim_documents_required (kind) & ~present;
  if (kind == KL_CLAIM_KIND_DAMAGE &&
      (present & (DOC (PHOTOS) | DOC (INSPECTION_REPORT))) == 0)
    missing |= DOC (PHOTOS) | DOC (INSPECTION_REPORT);
  return missing;
}

char *
kl_claim_documents_describe (KlClaimKind      kind,
                             KlClaimDocuments missing)
{
  GString *list = g_string_new (NULL);

  g_return_val_if_fail (kind_is_valid (kind), g_string_free (list, FALSE));

  for (guint d = 0; d < KL_N_CLAIM_DOCUMENTS; d++)
    {
      if ((missing & KL_CLAIM_DOCUMENT_BIT (d)) == 0)
        continue;
      /* the alternative pair is named once, as one item */
      if (kind == KL_CLAIM_KIND_DAMAGE && d == KL_CLAIM_DOCUMENT_PHOTOS &&
          (missing & DOC (INSPECTION_REPORT)) != 0)
        continue;
      if (list->len > 0)
        g_string_append (list, ", ");
      if (kind == KL_CLAIM_KIND_DAMAGE && d == KL_CLAIM_DOCUMENT_INSPECTION_REPORT &&
          (missing & DOC (PHOTOS)) != 0)
        /* TRANSLATORS: either document is enough to approve a damage claim */
        g_string_append_printf (list, _("“%s” or “%s”"),
                                kl_claim_document_to_label (KL_CLAIM_DOCUMENT_PHOTOS),
                                kl_claim_document_to_label (KL_CLAIM_DOCUMENT_INSPECTION_REPORT));
      else
        g_string_append_printf (list, _("“%s”"), kl_claim_document_to_label (d));
    }
  return g_string_free (list, FALSE);
}

/* ---------------------------------------------------------------------- */
/* Move checks                                                             */

KlClaimMoveNeeds
kl_claim_move_needs (KlClaimKind   kind,
                     KlClaimStatus from,
                     KlClaimStatus to)
{
  KlClaimMoveNeeds needs = KL_CLAIM_MOVE_NEEDS_NOTHING;
  gboolean freight;

  g_return_val_if_fail (kind_is_valid (kind), needs);

  freight = kl_claim_kind_is_freight (kind);
  if (freight && (to == KL_CLAIM_STATUS_APPROVED || to == KL_CLAIM_STATUS_PAID))
    needs |= KL_CLAIM_MOVE_NEEDS_AMOUNT;
  if (freight && to == KL_CLAIM_STATUS_APPROVED)
    needs |= KL_CLAIM_MOVE_NEEDS_DOCUMENTS;
  if (to == KL_CLAIM_STATUS_DECLINED || to == KL_CLAIM_STATUS_REJECTED ||
      kl_claim_move_is_reopen (kind, from, to))
    needs |= KL_CLAIM_MOVE_NEEDS_REASON;
  if (kind == KL_CLAIM_KIND_COMPLAINT && to == KL_CLAIM_STATUS_RESOLVED)
    needs |= KL_CLAIM_MOVE_NEEDS_CORRECTIVE_ACTION;
  if (kind == KL_CLAIM_KIND_RETURN && to == KL_CLAIM_STATUS_AUTHORIZED)
    needs |= KL_CLAIM_MOVE_NEEDS_RETURN_LABEL;
  if (kind == KL_CLAIM_KIND_RETURN && to == KL_CLAIM_STATUS_IN_TRANSIT)
    needs |= KL_CLAIM_MOVE_NEEDS_RETURN_TRACKING;
  if (kind == KL_CLAIM_KIND_RETURN && to == KL_CLAIM_STATUS_RESOLVED)
    needs |= KL_CLAIM_MOVE_NEEDS_OUTCOME;
  return needs;
}

static void
append_quoted_status (GString       *s,
                      KlClaimStatus  status)
{
  if (s->len > 0)
    g_string_append (s, ", ");
  /* TRANSLATORS: a status name quoted inside a sentence */
  g_string_append_printf (s, _("“%s”"), kl_claim_status_to_label (status));
}

static gboolean
check_lifecycle (const KlClaimMoveCheck *in,
                 GError                **error)
{
  const char *from_label = kl_claim_status_to_label (in->from);
  const char *to_label = kl_claim_status_to_label (in->to);
  g_autoptr(GArray) moves = NULL;
  g_autoptr(GString) allowed = NULL;

  if (find_move (in->kind, in->from, in->to) != NULL)
    return TRUE;

  if (!kl_claim_status_in_lifecycle (in->kind, in->from))
    {
      g_set_error (error, KL_CLAIM_ERROR, KL_CLAIM_ERROR_BAD_MOVE,
                   _("Cannot move from “%s” to “%s”: “%s” is not a status of a case of kind “%s”, so no moves are allowed from it."),
                   from_label, to_label, from_label, kl_claim_kind_to_label (in->kind));
      return FALSE;
    }

  moves = kl_claim_allowed_moves (in->kind, in->from);
  if (moves->len == 0)
    {
      g_set_error (error, KL_CLAIM_ERROR, KL_CLAIM_ERROR_BAD_MOVE,
                   _("Cannot move from “%s” to “%s”: “%s” is final and allows no further moves."),
                   from_label, to_label, from_label);
      return FALSE;
    }

  allowed = g_string_new (NULL);
  for (guint i = 0; i < moves->len; i++)
    append_quoted_status (allowed, g_array_index (moves, KlClaimStatus, i));

  if (in->from == in->to)
    g_set_error (error, KL_CLAIM_ERROR, KL_CLAIM_ERROR_BAD_MOVE,
                 _("The case is already “%s”. Moves allowed from “%s”: %s."),
                 from_label, from_label, allowed->str);
  else
    g_set_error (error, KL_CLAIM_ERROR, KL_CLAIM_ERROR_BAD_MOVE,
                 _("Cannot move from “%s” to “%s”. Moves allowed from “%s”: %s."),
                 from_label, to_label, from_label, allowed->str);
  return FALSE;
}

static gboolean
check_documents (const KlClaimMoveCheck *in,
                 GError                **error)
{
  KlClaimDocuments missing;
  g_autofree char *list = NULL;

  if ((kl_claim_move_needs (in->kind, in->from, in->to) & KL_CLAIM_MOVE_NEEDS_DOCUMENTS) == 0)
    return TRUE;

  missing = kl_claim_missing_documents (in->kind, in->documents);
  if (missing == 0)
    return TRUE;

  list = kl_claim_documents_describe (in->kind, missing);
  g_set_error (error, KL_CLAIM_ERROR, KL_CLAIM_ERROR_MISSING_DOCUMENTS,
               _("Cannot approve the claim: documents missing: %s. Mark them received on the checklist first."),
               list);
  return FALSE;
}

static gboolean
check_amounts (const KlClaimMoveCheck *in,
               GError                **error)
{
  gboolean takes_amount = (kl_claim_move_needs (in->kind, in->from, in->to) & KL_CLAIM_MOVE_NEEDS_AMOUNT) != 0;
  gint64 value;

  if (in->amount_set && !takes_amount)
    {
      g_set_error (error, KL_CLAIM_ERROR, KL_CLAIM_ERROR_AMOUNT,
                   _("An amount is only taken when a freight claim moves to “%s” or “%s”; leave it out when moving to “%s”."),
                   kl_claim_status_to_label (KL_CLAIM_STATUS_APPROVED),
                   kl_claim_status_to_label (KL_CLAIM_STATUS_PAID),
                   kl_claim_status_to_label (in->to));
      return FALSE;
    }
  if (!takes_amount)
    return TRUE;

  if (in->to == KL_CLAIM_STATUS_APPROVED)
    {
      if (!in->amount_set && !in->approved_set)
        {
          g_set_error (error, KL_CLAIM_ERROR, KL_CLAIM_ERROR_AMOUNT,
                       _("Enter the approved amount to approve the claim."));
          return FALSE;
        }
      value = in->amount_set ? in->amount : in->approved;
      if (value < 0)
        {
          g_set_error (error, KL_CLAIM_ERROR, KL_CLAIM_ERROR_AMOUNT,
                       _("The approved amount cannot be negative."));
          return FALSE;
        }
      if (!in->claimed_set)
        {
          g_set_error (error, KL_CLAIM_ERROR, KL_CLAIM_ERROR_AMOUNT,
                       _("Record the claimed amount before approving the claim; the approved amount may not exceed it."));
          return FALSE;
        }
      if (value > in->claimed)
        {
          g_set_error (error, KL_CLAIM_ERROR, KL_CLAIM_ERROR_AMOUNT,
                       _("The approved amount is more than the claimed amount; approve at most the claimed amount."));
          return FALSE;
        }
      return TRUE;
    }

  /* to paid */
  if (!in->amount_set && !in->paid_set)
    {
      g_set_error (error, KL_CLAIM_ERROR, KL_CLAIM_ERROR_AMOUNT,
                   _("Enter the paid amount to mark the claim paid."));
      return FALSE;
    }
  value = in->amount_set ? in->amount : in->paid;
  if (value < 0)
    {
      g_set_error (error, KL_CLAIM_ERROR, KL_CLAIM_ERROR_AMOUNT,
                   _("The paid amount cannot be negative."));
      return FALSE;
    }
  if (!in->approved_set)
    {
      g_set_error (error, KL_CLAIM_ERROR, KL_CLAIM_ERROR_AMOUNT,
                   _("The claim has no approved amount; the paid amount may not exceed it. Record the approved amount first."));
      return FALSE;
    }
  if (value > in->approved)
    {
      g_set_error (error, KL_CLAIM_ERROR, KL_CLAIM_ERROR_AMOUNT,
                   _("The paid amount is more than the approved amount; pay at most the approved amount."));
      return FALSE;
    }
  return TRUE;
}

static gboolean
check_fields (const KlClaimMoveCheck *in,
              GError                **error)
{
  if (kl_claim_move_is_reopen (in->kind, in->from, in->to))
    {
      if (kl_text_is_blank (in->reason))
        {
          g_set_error (error, KL_CLAIM_ERROR, KL_CLAIM_ERROR_MISSING_FIELD,
                       _("Give a reason to reopen the case from “%s”."),
                       kl_claim_status_to_label (in->from));
          return FALSE;
        }
      return TRUE;
    }

  switch (in->to)
    {
    case KL_CLAIM_STATUS_DECLINED:
      if (kl_text_is_blank (in->reason))
        {
          g_set_error (error, KL_CLAIM_ERROR, KL_CLAIM_ERROR_MISSING_FIELD,
                       _("Give a reason to decline the claim."));
          return FALSE;
        }
      break;

    case KL_CLAIM_STATUS_REJECTED:
      if (kl_text_is_blank (in->reason))
        {
          g_set_error (error, KL_CLAIM_ERROR, KL_CLAIM_ERROR_MISSING_FIELD,
                       _("Give a reason to reject the return."));
          return FALSE;
        }
      break;

    case KL_CLAIM_STATUS_AUTHORIZED:
      {
        g_autoptr(GString) missing = g_string_new (NULL);
        const struct { const char *value; const char *name; } fields[] = {
          { in->return_destination, N_("the return destination") },
          { in->label_carrier,      N_("the return label’s carrier") },
          { in->label_number,       N_("the return label’s number") },
        };

        for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
          {
            if (!kl_text_is_blank (fields[i].value))
              continue;
            if (missing->len > 0)
              g_string_append (missing, ", ");
            g_string_append (missing, _(fields[i].name));
          }
        if (missing->len > 0)
          {
            g_set_error (error, KL_CLAIM_ERROR, KL_CLAIM_ERROR_MISSING_FIELD,
                         _("To authorize the return, enter %s."), missing->str);
            return FALSE;
          }
      }
      break;

    case KL_CLAIM_STATUS_IN_TRANSIT:
      if (kl_text_is_blank (in->return_tracking))
        {
          g_set_error (error, KL_CLAIM_ERROR, KL_CLAIM_ERROR_MISSING_FIELD,
                       _("Enter the return tracking number to mark the return in transit."));
          return FALSE;
        }
      break;

    case KL_CLAIM_STATUS_RESOLVED:
      if (in->kind == KL_CLAIM_KIND_RETURN &&
          (!in->outcome_set || (int) in->outcome < 0 || in->outcome >= KL_N_RETURN_OUTCOMES))
        {
          g_autoptr(GString) outcomes = g_string_new (NULL);

          for (guint o = 0; o < KL_N_RETURN_OUTCOMES; o++)
            {
              if (outcomes->len > 0)
                g_string_append (outcomes, ", ");
              g_string_append_printf (outcomes, _("“%s”"), kl_return_outcome_to_label (o));
            }
          g_set_error (error, KL_CLAIM_ERROR, KL_CLAIM_ERROR_MISSING_FIELD,
                       _("Choose the outcome to resolve the return: %s."), outcomes->str);
          return FALSE;
        }
      if (in->kind == KL_CLAIM_KIND_COMPLAINT && kl_text_is_blank (in->corrective_action))
        {
          g_set_error (error, KL_CLAIM_ERROR, KL_CLAIM_ERROR_MISSING_FIELD,
                       _("Enter the corrective action (what will stop it happening again) to resolve the complaint."));
          return FALSE;
        }
      break;

    case KL_CLAIM_STATUS_DRAFT:
    case KL_CLAIM_STATUS_FILED:
    case KL_CLAIM_STATUS_ACKNOWLEDGED:
    case KL_CLAIM_STATUS_INVESTIGATING:
    case KL_CLAIM_STATUS_APPROVED:
    case KL_CLAIM_STATUS_PAID:
    case KL_CLAIM_STATUS_CLOSED:
    case KL_CLAIM_STATUS_WITHDRAWN:
    case KL_CLAIM_STATUS_REQUESTED:
    case KL_CLAIM_STATUS_RECEIVED:
    case KL_CLAIM_STATUS_INSPECTED:
    case KL_CLAIM_STATUS_CANCELLED:
    case KL_CLAIM_STATUS_OPEN:
    case KL_N_CLAIM_STATUSES:
    default:
      break;
    }
  return TRUE;
}

gboolean
kl_claim_check_move (const KlClaimMoveCheck *in,
                     GError                **error)
{
  g_return_val_if_fail (in != NULL, FALSE);
  g_return_val_if_fail (kind_is_valid (in->kind), FALSE);
  g_return_val_if_fail (status_is_valid (in->from), FALSE);
  g_return_val_if_fail (status_is_valid (in->to), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return check_lifecycle (in, error) &&
         check_documents (in, error) &&
         check_amounts (in, error) &&
         check_fields (in, error);
}

/* ---------------------------------------------------------------------- */
/* Deadlines                                                               */

/* The local calendar date of @instant in @tz. */
static gboolean
local_date (gint64     instant,
            GTimeZone *tz,
            GDate     *out_date)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (instant);
  g_autoptr(GDateTime) local = NULL;
  int y, m, d;

  if (utc == NULL)
    return FALSE;
  local = g_date_time_to_timezone (utc, tz);
  if (local == NULL)
    return FALSE;
  g_date_time_get_ymd (local, &y, &m, &d);
  g_date_clear (out_date, 1);
  g_date_set_dmy (out_date, (GDateDay) d, (GDateMonth) m, (GDateYear) y);
  return g_date_valid (out_date);
}

/* The last second of the local day @days calendar days after the local day
 * of @instant. Adding to the date, not to the instant, keeps daylight-saving
 * changes out of the count. */
static gint64
end_of_day_after (gint64     instant,
                  int        days,
                  GTimeZone *tz)
{
  g_autoptr(GDateTime) end = NULL;
  GDate date;

  if (instant == KL_NO_TIME || !local_date (instant, tz, &date))
    return KL_NO_TIME;
  g_date_add_days (&date, (guint) days);
  end = g_date_time_new (tz, g_date_get_year (&date), g_date_get_month (&date),
                         g_date_get_day (&date), 23, 59, 59);
  if (end == NULL)
    return KL_NO_TIME;
  return g_date_time_to_unix (end);
}

static gboolean
status_awaits_acknowledgement (KlClaimStatus status)
{
  return status == KL_CLAIM_STATUS_FILED || status == KL_CLAIM_STATUS_OPEN;
}

/* Resolution is pending until the case reaches an outcome (approved,
 * declined, resolved, rejected, withdrawn) or a status that only follows
 * one (paid, closed, cancelled). A draft has not started the clock. */
static gboolean
status_awaits_resolution (KlClaimStatus status)
{
  switch (status)
    {
    case KL_CLAIM_STATUS_FILED:
    case KL_CLAIM_STATUS_ACKNOWLEDGED:
    case KL_CLAIM_STATUS_INVESTIGATING:
    case KL_CLAIM_STATUS_REQUESTED:
    case KL_CLAIM_STATUS_AUTHORIZED:
    case KL_CLAIM_STATUS_IN_TRANSIT:
    case KL_CLAIM_STATUS_RECEIVED:
    case KL_CLAIM_STATUS_INSPECTED:
    case KL_CLAIM_STATUS_OPEN:
      return TRUE;
    case KL_CLAIM_STATUS_DRAFT:
    case KL_CLAIM_STATUS_APPROVED:
    case KL_CLAIM_STATUS_DECLINED:
    case KL_CLAIM_STATUS_PAID:
    case KL_CLAIM_STATUS_CLOSED:
    case KL_CLAIM_STATUS_WITHDRAWN:
    case KL_CLAIM_STATUS_RESOLVED:
    case KL_CLAIM_STATUS_REJECTED:
    case KL_CLAIM_STATUS_CANCELLED:
    case KL_N_CLAIM_STATUSES:
    default:
      return FALSE;
    }
}

void
kl_claim_compute_deadlines (const KlClaimDeadlineInput *in,
                            GTimeZone                  *tz,
                            gint64                      now,
                            KlClaimDeadlines           *out)
{
  int ack_days, resolve_days;

  g_return_if_fail (out != NULL);
  out->acknowledge_by = KL_NO_TIME;
  out->resolve_by = KL_NO_TIME;
  out->update_due_by = KL_NO_TIME;
  out->acknowledge_pending = FALSE;
  out->resolve_pending = FALSE;
  out->acknowledge_overdue = FALSE;
  out->resolve_overdue = FALSE;
  out->update_overdue = FALSE;

  g_return_if_fail (in != NULL);
  g_return_if_fail (tz != NULL);
  g_return_if_fail (kind_is_valid (in->kind));
  g_return_if_fail (status_is_valid (in->status));

  if (in->filed_at == KL_NO_TIME)
    return;

  ack_days = in->ack_days > 0 ? in->ack_days : KL_CLAIM_DEFAULT_ACK_DAYS;
  resolve_days = in->resolve_days > 0 ? in->resolve_days : KL_CLAIM_DEFAULT_RESOLVE_DAYS;

  out->acknowledge_by = end_of_day_after (in->filed_at, ack_days, tz);
  out->resolve_by = end_of_day_after (in->filed_at, resolve_days, tz);

  out->acknowledge_pending = status_awaits_acknowledgement (in->status);
  out->resolve_pending = status_awaits_resolution (in->status);

  out->acknowledge_overdue = out->acknowledge_pending &&
                             out->acknowledge_by != KL_NO_TIME &&
                             now > out->acknowledge_by;
  out->resolve_overdue = out->resolve_pending &&
                         out->resolve_by != KL_NO_TIME &&
                         now > out->resolve_by;

  if (out->resolve_overdue)
    {
      gint64 base = out->resolve_by;

      if (in->last_update_at != KL_NO_TIME && in->last_update_at > base)
        base = in->last_update_at;
      out->update_due_by = end_of_day_after (base, KL_CLAIM_UPDATE_INTERVAL_DAYS, tz);
      out->update_overdue = out->update_due_by != KL_NO_TIME && now > out->update_due_by;
    }
}

gboolean
kl_claim_is_overdue (const KlClaimDeadlineInput *in,
                     GTimeZone                  *tz,
                     gint64                      now)
{
  KlClaimDeadlines d;

  g_return_val_if_fail (in != NULL, FALSE);
  g_return_val_if_fail (tz != NULL, FALSE);

  kl_claim_compute_deadlines (in, tz, now, &d);
  return d.acknowledge_overdue || d.resolve_overdue;
}

/* ---------------------------------------------------------------------- */
/* Filing warnings                                                         */

#define FILING_LIMIT_MONTHS          9
#define AIR_DAMAGE_LIMIT_DAYS        14
#define AIR_DELAY_LIMIT_DAYS         21
#define CONCEALED_DAMAGE_BUSINESS_DAYS 5

/* Monday to Friday after @from up to and including @to, counting no
 * further than @cap + 1 (only "more than @cap" matters). */
static int
business_days_between (const GDate *from,
                       const GDate *to,
                       int          cap)
{
  GDate day = *from;
  int count = 0;

  while (g_date_compare (&day, to) < 0 && count <= cap)
    {
      GDateWeekday wd;

      g_date_add_days (&day, 1);
      wd = g_date_get_weekday (&day);
      if (wd != G_DATE_SATURDAY && wd != G_DATE_SUNDAY)
        count++;
    }
  return count;
}

char **
kl_claim_filing_warnings (KlClaimKind  kind,
                          gboolean     is_air,
                          gint64       delivered_at,
                          gint64       filed_at,
                          GTimeZone   *tz,
                          gboolean    *out_concealed)
{
  GPtrArray *warnings;
  GDate delivered, filed, limit;
  char delivered_text[32];
  int days;

  if (out_concealed != NULL)
    *out_concealed = FALSE;

  g_return_val_if_fail (kind_is_valid (kind), NULL);
  g_return_val_if_fail (tz != NULL, NULL);

  warnings = g_ptr_array_new ();

  if (!kl_claim_kind_is_freight (kind) ||
      delivered_at == KL_NO_TIME || filed_at == KL_NO_TIME ||
      !local_date (delivered_at, tz, &delivered) ||
      !local_date (filed_at, tz, &filed) ||
      g_date_compare (&filed, &delivered) <= 0)
    {
      g_ptr_array_add (warnings, NULL);
      return (char **) g_ptr_array_free (warnings, FALSE);
    }

  days = g_date_days_between (&delivered, &filed);
  g_date_strftime (delivered_text, sizeof delivered_text, "%Y-%m-%d", &delivered);

  /* g_date_add_months clamps to the month's end: 31 May + 9 months is
   * 28 (or 29) February. */
  limit = delivered;
  g_date_add_months (&limit, FILING_LIMIT_MONTHS);
  if (g_date_compare (&filed, &limit) > 0)
    g_ptr_array_add (warnings,
                     g_strdup_printf (_("Filed more than 9 months after delivery (delivered %s): the carrier may refuse a claim this late."),
                                      delivered_text));

  if (is_air && kind == KL_CLAIM_KIND_DAMAGE && days > AIR_DAMAGE_LIMIT_DAYS)
    g_ptr_array_add (warnings,
                     g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                   "Damage on an air shipment reported %d day after delivery (delivered %s); air carriers expect notice within 14 days.",
                                                   "Damage on an air shipment reported %d days after delivery (delivered %s); air carriers expect notice within 14 days.",
                                                   (gulong) days),
                                      days, delivered_text));

  if (is_air && kind == KL_CLAIM_KIND_DELAY && days > AIR_DELAY_LIMIT_DAYS)
    g_ptr_array_add (warnings,
                     g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                   "Delay on an air shipment reported %d day after delivery (delivered %s); air carriers expect notice within 21 days.",
                                                   "Delay on an air shipment reported %d days after delivery (delivered %s); air carriers expect notice within 21 days.",
                                                   (gulong) days),
                                      days, delivered_text));

  if (kind == KL_CLAIM_KIND_DAMAGE &&
      business_days_between (&delivered, &filed, CONCEALED_DAMAGE_BUSINESS_DAYS) > CONCEALED_DAMAGE_BUSINESS_DAYS)
    {
      if (out_concealed != NULL)
        *out_concealed = TRUE;
      g_ptr_array_add (warnings,
                       g_strdup_printf (_("Concealed damage: reported more than 5 business days after delivery (delivered %s). The carrier may ask for proof that the damage happened in its care, such as an inspection report."),
                                        delivered_text));
    }

  g_ptr_array_add (warnings, NULL);
  return (char **) g_ptr_array_free (warnings, FALSE);
}

/* ---------------------------------------------------------------------- */
/* Numbers                                                                 */

char *
kl_claim_format_number (KlClaimKind kind,
                        int         year,
                        gint64      seq)
{
  const char *prefix;

  g_return_val_if_fail (kind_is_valid (kind), NULL);
  g_return_val_if_fail (seq >= 0, NULL);

  if (kind == KL_CLAIM_KIND_RETURN)
    prefix = "RMA";
  else if (kind == KL_CLAIM_KIND_COMPLAINT)
    prefix = "CMP";
  else
    prefix = "CLM";

  return g_strdup_printf ("%s-%04d-%06" G_GINT64_FORMAT, prefix, year, seq);
}

char *
kl_claim_format_provisional_number (KlClaimKind kind,
                                    int         year,
                                    gint64      seq)
{
  g_autofree char *sample = NULL;

  g_return_val_if_fail (kind_is_valid (kind), NULL);
  g_return_val_if_fail (seq >= 0, NULL);

  sample = kl_claim_format_number (kind, year, 0);
  return g_strdup_printf ("%.8s-P%06" G_GINT64_FORMAT, sample, seq);
}

gboolean
kl_claim_number_is_provisional (const char *number)
{
  /* "XXX-YYYY-P…" */
  return number != NULL && strlen (number) > 9 && number[3] == '-' && number[8] == '-' && number[9] == 'P';
}
