/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The rules of docs/claims.md: every move of every lifecycle, the
 * checks on documents, amounts and fields, deadlines and filing warnings. */

#include "config.h"

#include <string.h>

#include <glib.h>

#include "kl-claim-lifecycle.h"

/* ---------------------------------------------------------------------- */
/* The lifecycles, written out again from the contract's diagrams, by token,
 * so that the tables in the code are checked against an independent copy. */

static const char *const freight_expected[] = {
  "draft>filed",
  "filed>acknowledged", "filed>withdrawn",
  "acknowledged>investigating", "acknowledged>withdrawn",
  "investigating>approved", "investigating>declined", "investigating>withdrawn",
  "approved>paid",
  "paid>closed",
  "declined>closed",
  "declined>investigating", "closed>investigating",
  NULL
};

static const char *const return_expected[] = {
  "requested>authorized", "requested>rejected", "requested>cancelled",
  "authorized>in_transit", "authorized>cancelled",
  "in_transit>received",
  "received>inspected",
  "inspected>resolved",
  "resolved>closed",
  NULL
};

static const char *const complaint_expected[] = {
  "open>acknowledged",
  "acknowledged>investigating",
  "investigating>resolved",
  "resolved>closed",
  "resolved>investigating", "closed>investigating",
  NULL
};

static const char *const freight_lifecycle[] = {
  "draft", "filed", "acknowledged", "investigating", "approved", "declined",
  "paid", "closed", "withdrawn", NULL
};
static const char *const return_lifecycle[] = {
  "requested", "authorized", "in_transit", "received", "inspected", "resolved",
  "closed", "rejected", "cancelled", NULL
};
static const char *const complaint_lifecycle[] = {
  "open", "acknowledged", "investigating", "resolved", "closed", NULL
};

static const char *const *
expected_moves (KlClaimKind kind)
{
  if (kind == KL_CLAIM_KIND_RETURN)
    return return_expected;
  if (kind == KL_CLAIM_KIND_COMPLAINT)
    return complaint_expected;
  return freight_expected;
}

static const char *const *
expected_lifecycle (KlClaimKind kind)
{
  if (kind == KL_CLAIM_KIND_RETURN)
    return return_lifecycle;
  if (kind == KL_CLAIM_KIND_COMPLAINT)
    return complaint_lifecycle;
  return freight_lifecycle;
}

static gboolean
expected_allowed (KlClaimKind   kind,
                  KlClaimStatus from,
                  KlClaimStatus to)
{
  g_autofree char *key = g_strdup_printf ("%s>%s", kl_claim_status_to_string (from),
                                          kl_claim_status_to_string (to));

  return g_strv_contains (expected_moves (kind), key);
}

/* A move check with everything any move could ask for. */
static KlClaimMoveCheck
complete_check (KlClaimKind   kind,
                KlClaimStatus from,
                KlClaimStatus to)
{
  KlClaimMoveCheck c = { 0 };

  c.kind = kind;
  c.from = from;
  c.to = to;
  c.documents = KL_CLAIM_DOCUMENTS_ALL;
  c.claimed_set = TRUE;
  c.claimed = 100000;
  c.approved_set = TRUE;
  c.approved = 80000;
  c.paid_set = TRUE;
  c.paid = 80000;
  c.reason = "carrier report received";
  c.corrective_action = "second driver on night runs";
  c.rma_number = "RMA-2026-000001";
  c.return_destination = "Shanghai DC 2";
  c.label_carrier = "SF Express";
  c.label_number = "SF1234567890";
  c.return_tracking = "SF1234567890";
  c.outcome_set = TRUE;
  c.outcome = KL_RETURN_OUTCOME_RESTOCKED;
  return c;
}

static char *
quoted_label (KlClaimStatus status)
{
  return g_strdup_printf ("“%s”", kl_claim_status_to_label (status));
}

static void
test_every_move (void)
{
  guint n_allowed = 0, n_refused = 0;

  for (KlClaimKind kind = 0; kind < KL_N_CLAIM_KINDS; kind++)
    for (KlClaimStatus from = 0; from < KL_N_CLAIM_STATUSES; from++)
      {
        g_autoptr(GArray) moves = kl_claim_allowed_moves (kind, from);
        guint n_expected = 0;

        for (KlClaimStatus to = 0; to < KL_N_CLAIM_STATUSES; to++)
          {
            gboolean want = expected_allowed (kind, from, to);
            KlClaimMoveCheck c = complete_check (kind, from, to);
            g_autoptr(GError) error = NULL;
            gboolean listed = FALSE;
            gboolean ok;

            for (guint i = 0; i < moves->len; i++)
              if (g_array_index (moves, KlClaimStatus, i) == to)
                listed = TRUE;

            if (listed != want || kl_claim_move_is_allowed (kind, from, to) != want)
              g_error ("%s: %s → %s should be %s",
                       kl_claim_kind_to_string (kind), kl_claim_status_to_string (from),
                       kl_claim_status_to_string (to), want ? "allowed" : "refused");

            ok = kl_claim_check_move (&c, &error);
            if (ok != want)
              g_error ("%s: check of %s → %s gave %s (%s)",
                       kl_claim_kind_to_string (kind), kl_claim_status_to_string (from),
                       kl_claim_status_to_string (to), ok ? "TRUE" : "FALSE",
                       error != NULL ? error->message : "no error");
            if (want)
              {
                g_assert_no_error (error);
                n_allowed++;
                n_expected++;
                continue;
              }

            n_refused++;
            g_assert_error (error, KL_CLAIM_ERROR, KL_CLAIM_ERROR_BAD_MOVE);
            {
              g_autofree char *from_q = quoted_label (from);

              /* the message names the current status ... */
              g_assert_nonnull (strstr (error->message, from_q));
              /* ... and every move allowed from it */
              for (guint i = 0; i < moves->len; i++)
                {
                  g_autofree char *q = quoted_label (g_array_index (moves, KlClaimStatus, i));
                  g_assert_nonnull (strstr (error->message, q));
                }
              if (moves->len == 0 && kl_claim_status_in_lifecycle (kind, from))
                g_assert_nonnull (strstr (error->message, "final"));
              if (!kl_claim_status_in_lifecycle (kind, from))
                g_assert_nonnull (strstr (error->message, "not a status"));
            }
          }
        g_assert_cmpuint (moves->len, ==, n_expected);
      }

  /* 4 freight kinds × 13 + 9 + 6 */
  g_assert_cmpuint (n_allowed, ==, 4 * 13 + 9 + 6);
  g_assert_cmpuint (n_allowed + n_refused, ==, KL_N_CLAIM_KINDS * KL_N_CLAIM_STATUSES * KL_N_CLAIM_STATUSES);
}

static void
test_lifecycle_membership (void)
{
  for (KlClaimKind kind = 0; kind < KL_N_CLAIM_KINDS; kind++)
    {
      const char *const *lifecycle = expected_lifecycle (kind);

      for (KlClaimStatus s = 0; s < KL_N_CLAIM_STATUSES; s++)
        g_assert_cmpint (kl_claim_status_in_lifecycle (kind, s), ==,
                         g_strv_contains (lifecycle, kl_claim_status_to_string (s)));
    }

  g_assert_cmpint (kl_claim_kind_initial_status (KL_CLAIM_KIND_DAMAGE), ==, KL_CLAIM_STATUS_FILED);
  g_assert_cmpint (kl_claim_kind_initial_status (KL_CLAIM_KIND_SHORTAGE), ==, KL_CLAIM_STATUS_FILED);
  g_assert_cmpint (kl_claim_kind_initial_status (KL_CLAIM_KIND_DELAY), ==, KL_CLAIM_STATUS_FILED);
  g_assert_cmpint (kl_claim_kind_initial_status (KL_CLAIM_KIND_LOSS), ==, KL_CLAIM_STATUS_FILED);
  g_assert_cmpint (kl_claim_kind_initial_status (KL_CLAIM_KIND_RETURN), ==, KL_CLAIM_STATUS_REQUESTED);
  g_assert_cmpint (kl_claim_kind_initial_status (KL_CLAIM_KIND_COMPLAINT), ==, KL_CLAIM_STATUS_OPEN);

  g_assert_true (kl_claim_kind_is_freight (KL_CLAIM_KIND_LOSS));
  g_assert_false (kl_claim_kind_is_freight (KL_CLAIM_KIND_RETURN));
  g_assert_false (kl_claim_kind_is_freight (KL_CLAIM_KIND_COMPLAINT));

  /* final: nothing leads out; closed claims and complaints can be reopened */
  g_assert_true (kl_claim_status_is_final (KL_CLAIM_KIND_DAMAGE, KL_CLAIM_STATUS_WITHDRAWN));
  g_assert_false (kl_claim_status_is_final (KL_CLAIM_KIND_DAMAGE, KL_CLAIM_STATUS_CLOSED));
  g_assert_true (kl_claim_status_is_final (KL_CLAIM_KIND_RETURN, KL_CLAIM_STATUS_CLOSED));
  g_assert_true (kl_claim_status_is_final (KL_CLAIM_KIND_RETURN, KL_CLAIM_STATUS_REJECTED));
  g_assert_true (kl_claim_status_is_final (KL_CLAIM_KIND_RETURN, KL_CLAIM_STATUS_CANCELLED));
  g_assert_false (kl_claim_status_is_final (KL_CLAIM_KIND_COMPLAINT, KL_CLAIM_STATUS_CLOSED));

  g_assert_true (kl_claim_move_is_reopen (KL_CLAIM_KIND_LOSS, KL_CLAIM_STATUS_DECLINED, KL_CLAIM_STATUS_INVESTIGATING));
  g_assert_true (kl_claim_move_is_reopen (KL_CLAIM_KIND_LOSS, KL_CLAIM_STATUS_CLOSED, KL_CLAIM_STATUS_INVESTIGATING));
  g_assert_false (kl_claim_move_is_reopen (KL_CLAIM_KIND_LOSS, KL_CLAIM_STATUS_ACKNOWLEDGED, KL_CLAIM_STATUS_INVESTIGATING));
  g_assert_true (kl_claim_move_is_reopen (KL_CLAIM_KIND_COMPLAINT, KL_CLAIM_STATUS_RESOLVED, KL_CLAIM_STATUS_INVESTIGATING));
  g_assert_false (kl_claim_move_is_reopen (KL_CLAIM_KIND_RETURN, KL_CLAIM_STATUS_RESOLVED, KL_CLAIM_STATUS_INVESTIGATING));
}

static void
test_move_messages (void)
{
  KlClaimMoveCheck c = complete_check (KL_CLAIM_KIND_DAMAGE, KL_CLAIM_STATUS_FILED, KL_CLAIM_STATUS_PAID);
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) moves = NULL;

  g_assert_false (kl_claim_check_move (&c, &error));
  g_assert_error (error, KL_CLAIM_ERROR, KL_CLAIM_ERROR_BAD_MOVE);
  g_assert_cmpstr (error->message, ==,
                   "Cannot move from “Filed” to “Paid”. Moves allowed from “Filed”: “Acknowledged”, “Withdrawn”.");
  g_clear_error (&error);

  c = complete_check (KL_CLAIM_KIND_DAMAGE, KL_CLAIM_STATUS_INVESTIGATING, KL_CLAIM_STATUS_INVESTIGATING);
  g_assert_false (kl_claim_check_move (&c, &error));
  g_assert_cmpstr (error->message, ==,
                   "The case is already “Investigating”. Moves allowed from “Investigating”: “Approved”, “Declined”, “Withdrawn”.");
  g_clear_error (&error);

  c = complete_check (KL_CLAIM_KIND_RETURN, KL_CLAIM_STATUS_CANCELLED, KL_CLAIM_STATUS_REQUESTED);
  g_assert_false (kl_claim_check_move (&c, &error));
  g_assert_cmpstr (error->message, ==,
                   "Cannot move from “Cancelled” to “Requested”: “Cancelled” is final and allows no further moves.");
  g_clear_error (&error);

  c = complete_check (KL_CLAIM_KIND_COMPLAINT, KL_CLAIM_STATUS_FILED, KL_CLAIM_STATUS_ACKNOWLEDGED);
  g_assert_false (kl_claim_check_move (&c, &error));
  g_assert_error (error, KL_CLAIM_ERROR, KL_CLAIM_ERROR_BAD_MOVE);
  g_assert_nonnull (strstr (error->message, "“Filed”"));
  g_assert_nonnull (strstr (error->message, "“Complaint”"));
  g_clear_error (&error);

  /* forward moves come before side exits, for menus */
  moves = kl_claim_allowed_moves (KL_CLAIM_KIND_RETURN, KL_CLAIM_STATUS_REQUESTED);
  g_assert_cmpuint (moves->len, ==, 3);
  g_assert_cmpint (g_array_index (moves, KlClaimStatus, 0), ==, KL_CLAIM_STATUS_AUTHORIZED);
  g_assert_cmpint (g_array_index (moves, KlClaimStatus, 1), ==, KL_CLAIM_STATUS_REJECTED);
  g_assert_cmpint (g_array_index (moves, KlClaimStatus, 2), ==, KL_CLAIM_STATUS_CANCELLED);
}

/* ---------------------------------------------------------------------- */

static void
test_vocabularies (void)
{
  KlClaimKind kind;
  KlClaimStatus status;
  KlClaimDocument doc;
  KlReturnOutcome outcome;
  g_autofree char *described = NULL;

  for (KlClaimKind k = 0; k < KL_N_CLAIM_KINDS; k++)
    {
      g_assert_true (kl_claim_kind_from_string (kl_claim_kind_to_string (k), &kind));
      g_assert_cmpint (kind, ==, k);
      g_assert_cmpstr (kl_claim_kind_to_label (k), !=, "");
    }
  for (KlClaimStatus s = 0; s < KL_N_CLAIM_STATUSES; s++)
    {
      g_assert_true (kl_claim_status_from_string (kl_claim_status_to_string (s), &status));
      g_assert_cmpint (status, ==, s);
      g_assert_cmpstr (kl_claim_status_to_label (s), !=, "");
    }
  for (KlClaimDocument d = 0; d < KL_N_CLAIM_DOCUMENTS; d++)
    {
      g_assert_true (kl_claim_document_from_string (kl_claim_document_to_string (d), &doc));
      g_assert_cmpint (doc, ==, d);
    }
  for (KlReturnOutcome o = 0; o < KL_N_RETURN_OUTCOMES; o++)
    {
      g_assert_true (kl_return_outcome_from_string (kl_return_outcome_to_string (o), &outcome));
      g_assert_cmpint (outcome, ==, o);
    }

  g_assert_cmpstr (kl_claim_kind_to_string (KL_CLAIM_KIND_COMPLAINT), ==, "complaint");
  g_assert_cmpstr (kl_claim_status_to_string (KL_CLAIM_STATUS_IN_TRANSIT), ==, "in_transit");
  g_assert_cmpstr (kl_claim_status_to_label (KL_CLAIM_STATUS_IN_TRANSIT), ==, "In transit");
  g_assert_cmpstr (kl_claim_document_to_string (KL_CLAIM_DOCUMENT_PROOF_OF_DELIVERY), ==, "proof_of_delivery");
  g_assert_cmpstr (kl_claim_document_to_label (KL_CLAIM_DOCUMENT_PROOF_OF_DELIVERY), ==, "Proof of delivery");
  g_assert_cmpstr (kl_return_outcome_to_string (KL_RETURN_OUTCOME_DISPOSED), ==, "disposed");

  g_assert_true (kl_claim_status_from_string ("  Withdrawn ", &status));
  g_assert_cmpint (status, ==, KL_CLAIM_STATUS_WITHDRAWN);
  g_assert_true (kl_claim_kind_from_string ("货损", &kind));
  g_assert_cmpint (kind, ==, KL_CLAIM_KIND_DAMAGE);
  g_assert_false (kl_claim_kind_from_string ("breakage", &kind));
  g_assert_false (kl_claim_status_from_string (NULL, &status));
  g_assert_false (kl_claim_document_from_string ("invoice", &doc));

  described = kl_claim_kind_describe ();
  g_assert_nonnull (strstr (described, "shortage"));
  g_assert_nonnull (strstr (described, "complaint"));
}

/* ---------------------------------------------------------------------- */

static gboolean
check (const KlClaimMoveCheck *c,
       GQuark                  domain,
       int                     code,
       GError                **out_error)
{
  g_autoptr(GError) error = NULL;
  gboolean ok = kl_claim_check_move (c, &error);

  if (code < 0)
    {
      g_assert_no_error (error);
      g_assert_true (ok);
    }
  else
    {
      g_assert_false (ok);
      g_assert_error (error, domain, code);
    }
  if (out_error != NULL)
    *out_error = g_steal_pointer (&error);
  return ok;
}

#define EXPECT_OK(c)        check ((c), 0, -1, NULL)
#define EXPECT_FAIL(c, cd)  check ((c), KL_CLAIM_ERROR, KL_CLAIM_ERROR_##cd, NULL)

static void
test_approved_amount_bounds (void)
{
  KlClaimMoveCheck c = complete_check (KL_CLAIM_KIND_SHORTAGE, KL_CLAIM_STATUS_INVESTIGATING,
                                       KL_CLAIM_STATUS_APPROVED);
  g_autoptr(GError) error = NULL;

  c.claimed = 50000;
  c.approved_set = FALSE;
  c.paid_set = FALSE;

  c.amount_set = TRUE;
  c.amount = 50000;             /* equal to claimed */
  EXPECT_OK (&c);
  c.amount = 50001;             /* one minor unit over */
  check (&c, KL_CLAIM_ERROR, KL_CLAIM_ERROR_AMOUNT, &error);
  g_assert_nonnull (strstr (error->message, "claimed amount"));
  g_clear_error (&error);
  c.amount = 0;
  EXPECT_OK (&c);
  c.amount = -1;
  EXPECT_FAIL (&c, AMOUNT);

  /* required to enter approved */
  c.amount_set = FALSE;
  check (&c, KL_CLAIM_ERROR, KL_CLAIM_ERROR_AMOUNT, &error);
  g_assert_nonnull (strstr (error->message, "approved amount"));
  g_clear_error (&error);

  /* a recorded approved amount stands in for one given with the move */
  c.approved_set = TRUE;
  c.approved = 50000;
  EXPECT_OK (&c);
  c.approved = 50001;
  EXPECT_FAIL (&c, AMOUNT);

  /* no claimed amount: the bound cannot be checked, so the move is refused */
  c.approved = 100;
  c.claimed_set = FALSE;
  EXPECT_FAIL (&c, AMOUNT);
}

static void
test_paid_amount_bounds (void)
{
  KlClaimMoveCheck c = complete_check (KL_CLAIM_KIND_LOSS, KL_CLAIM_STATUS_APPROVED,
                                       KL_CLAIM_STATUS_PAID);

  c.claimed = 50000;
  c.approved = 40000;
  c.paid_set = FALSE;

  c.amount_set = TRUE;
  c.amount = 40000;             /* equal to approved */
  EXPECT_OK (&c);
  c.amount = 40001;
  EXPECT_FAIL (&c, AMOUNT);
  c.amount = -5;
  EXPECT_FAIL (&c, AMOUNT);

  c.amount_set = FALSE;         /* required to enter paid */
  EXPECT_FAIL (&c, AMOUNT);
  c.paid_set = TRUE;
  c.paid = 40000;
  EXPECT_OK (&c);
  c.paid = 40001;
  EXPECT_FAIL (&c, AMOUNT);

  c.paid = 100;
  c.approved_set = FALSE;       /* no approved amount to compare with */
  EXPECT_FAIL (&c, AMOUNT);
}

static void
test_amount_only_with_approved_or_paid (void)
{
  KlClaimMoveCheck c = complete_check (KL_CLAIM_KIND_DAMAGE, KL_CLAIM_STATUS_FILED,
                                       KL_CLAIM_STATUS_ACKNOWLEDGED);

  EXPECT_OK (&c);
  c.amount_set = TRUE;
  c.amount = 100;
  EXPECT_FAIL (&c, AMOUNT);

  c = complete_check (KL_CLAIM_KIND_RETURN, KL_CLAIM_STATUS_INSPECTED, KL_CLAIM_STATUS_RESOLVED);
  c.amount_set = TRUE;
  c.amount = 100;
  EXPECT_FAIL (&c, AMOUNT);
}

static KlClaimDocuments
bit (KlClaimDocument d)
{
  return KL_CLAIM_DOCUMENT_BIT (d);
}

static void
assert_documents_named (KlClaimKind      kind,
                        KlClaimDocuments present,
                        KlClaimDocuments expected_named)
{
  KlClaimMoveCheck c = complete_check (kind, KL_CLAIM_STATUS_INVESTIGATING, KL_CLAIM_STATUS_APPROVED);
  g_autoptr(GError) error = NULL;

  c.documents = present;
  c.amount_set = FALSE;
  c.approved_set = FALSE;       /* documents are checked before amounts */
  check (&c, KL_CLAIM_ERROR, KL_CLAIM_ERROR_MISSING_DOCUMENTS, &error);
  for (KlClaimDocument d = 0; d < KL_N_CLAIM_DOCUMENTS; d++)
    {
      g_autofree char *q = g_strdup_printf ("“%s”", kl_claim_document_to_label (d));
      gboolean named = strstr (error->message, q) != NULL;

      if (named != ((expected_named & bit (d)) != 0))
        g_error ("%s: %s should%s be named in: %s", kl_claim_kind_to_string (kind),
                 kl_claim_document_to_string (d), named ? " not" : "", error->message);
    }
}

static void
test_documents_per_kind (void)
{
  const struct {
    KlClaimKind kind;
    KlClaimDocuments required;
  } rules[] = {
    { KL_CLAIM_KIND_DAMAGE,   bit (KL_CLAIM_DOCUMENT_PROOF_OF_DELIVERY) | bit (KL_CLAIM_DOCUMENT_COMMERCIAL_INVOICE) },
    { KL_CLAIM_KIND_SHORTAGE, bit (KL_CLAIM_DOCUMENT_PROOF_OF_DELIVERY) | bit (KL_CLAIM_DOCUMENT_COMMERCIAL_INVOICE) |
                              bit (KL_CLAIM_DOCUMENT_PACKING_LIST) },
    { KL_CLAIM_KIND_DELAY,    bit (KL_CLAIM_DOCUMENT_PROOF_OF_DELIVERY) },
    { KL_CLAIM_KIND_LOSS,     bit (KL_CLAIM_DOCUMENT_BILL_OF_LADING) | bit (KL_CLAIM_DOCUMENT_COMMERCIAL_INVOICE) },
  };
  KlClaimDocuments photo_or_report = bit (KL_CLAIM_DOCUMENT_PHOTOS) | bit (KL_CLAIM_DOCUMENT_INSPECTION_REPORT);

  for (guint r = 0; r < G_N_ELEMENTS (rules); r++)
    {
      KlClaimKind kind = rules[r].kind;
      KlClaimDocuments minimal = rules[r].required;
      KlClaimMoveCheck c = complete_check (kind, KL_CLAIM_STATUS_INVESTIGATING, KL_CLAIM_STATUS_APPROVED);

      if (kind == KL_CLAIM_KIND_DAMAGE)
        minimal |= bit (KL_CLAIM_DOCUMENT_PHOTOS);

      /* exactly the required set is enough */
      c.documents = minimal;
      EXPECT_OK (&c);

      /* each required document missing is named, and only it */
      for (KlClaimDocument d = 0; d < KL_N_CLAIM_DOCUMENTS; d++)
        {
          if ((rules[r].required & bit (d)) == 0)
            continue;
          assert_documents_named (kind, KL_CLAIM_DOCUMENTS_ALL & ~bit (d), bit (d));
        }

      /* nothing present: all of them named */
      assert_documents_named (kind, 0,
                              rules[r].required | (kind == KL_CLAIM_KIND_DAMAGE ? photo_or_report : 0));
      g_assert_cmphex (kl_claim_missing_documents (kind, 0), ==,
                       rules[r].required | (kind == KL_CLAIM_KIND_DAMAGE ? photo_or_report : 0));

      /* only approval asks for documents */
      c = complete_check (kind, KL_CLAIM_STATUS_INVESTIGATING, KL_CLAIM_STATUS_DECLINED);
      c.documents = 0;
      EXPECT_OK (&c);
    }

  /* damage: photos or an inspection report, either is enough */
  {
    KlClaimDocuments base = bit (KL_CLAIM_DOCUMENT_PROOF_OF_DELIVERY) | bit (KL_CLAIM_DOCUMENT_COMMERCIAL_INVOICE);
    KlClaimMoveCheck c = complete_check (KL_CLAIM_KIND_DAMAGE, KL_CLAIM_STATUS_INVESTIGATING,
                                         KL_CLAIM_STATUS_APPROVED);
    g_autoptr(GError) error = NULL;

    c.documents = base | bit (KL_CLAIM_DOCUMENT_INSPECTION_REPORT);
    EXPECT_OK (&c);
    c.documents = base | bit (KL_CLAIM_DOCUMENT_PHOTOS);
    EXPECT_OK (&c);
    c.documents = base;
    check (&c, KL_CLAIM_ERROR, KL_CLAIM_ERROR_MISSING_DOCUMENTS, &error);
    g_assert_cmpstr (error->message, ==,
                     "Cannot approve the claim: documents missing: “Photos” or “Inspection report”. "
                     "Mark them received on the checklist first.");
    assert_documents_named (KL_CLAIM_KIND_DAMAGE, base, photo_or_report);
  }

  g_assert_cmphex (kl_claim_documents_required (KL_CLAIM_KIND_RETURN), ==, 0);
  g_assert_cmphex (kl_claim_missing_documents (KL_CLAIM_KIND_COMPLAINT, 0), ==, 0);
}

static void
assert_reason_required (KlClaimKind   kind,
                        KlClaimStatus from,
                        KlClaimStatus to)
{
  KlClaimMoveCheck c = complete_check (kind, from, to);

  EXPECT_OK (&c);
  c.reason = NULL;
  EXPECT_FAIL (&c, MISSING_FIELD);
  c.reason = "";
  EXPECT_FAIL (&c, MISSING_FIELD);
  c.reason = "  \t ";
  EXPECT_FAIL (&c, MISSING_FIELD);
}

static void
test_required_fields (void)
{
  KlClaimMoveCheck c;
  g_autoptr(GError) error = NULL;

  assert_reason_required (KL_CLAIM_KIND_DAMAGE, KL_CLAIM_STATUS_INVESTIGATING, KL_CLAIM_STATUS_DECLINED);
  assert_reason_required (KL_CLAIM_KIND_DELAY, KL_CLAIM_STATUS_DECLINED, KL_CLAIM_STATUS_INVESTIGATING);
  assert_reason_required (KL_CLAIM_KIND_DELAY, KL_CLAIM_STATUS_CLOSED, KL_CLAIM_STATUS_INVESTIGATING);
  assert_reason_required (KL_CLAIM_KIND_RETURN, KL_CLAIM_STATUS_REQUESTED, KL_CLAIM_STATUS_REJECTED);
  assert_reason_required (KL_CLAIM_KIND_COMPLAINT, KL_CLAIM_STATUS_RESOLVED, KL_CLAIM_STATUS_INVESTIGATING);
  assert_reason_required (KL_CLAIM_KIND_COMPLAINT, KL_CLAIM_STATUS_CLOSED, KL_CLAIM_STATUS_INVESTIGATING);

  c = complete_check (KL_CLAIM_KIND_LOSS, KL_CLAIM_STATUS_CLOSED, KL_CLAIM_STATUS_INVESTIGATING);
  c.reason = NULL;
  check (&c, KL_CLAIM_ERROR, KL_CLAIM_ERROR_MISSING_FIELD, &error);
  g_assert_nonnull (strstr (error->message, "reopen"));
  g_assert_nonnull (strstr (error->message, "“Closed”"));
  g_clear_error (&error);

  /* moves that need no reason */
  c = complete_check (KL_CLAIM_KIND_DAMAGE, KL_CLAIM_STATUS_FILED, KL_CLAIM_STATUS_WITHDRAWN);
  c.reason = NULL;
  EXPECT_OK (&c);
  c = complete_check (KL_CLAIM_KIND_RETURN, KL_CLAIM_STATUS_AUTHORIZED, KL_CLAIM_STATUS_CANCELLED);
  c.reason = NULL;
  EXPECT_OK (&c);
  c = complete_check (KL_CLAIM_KIND_COMPLAINT, KL_CLAIM_STATUS_ACKNOWLEDGED, KL_CLAIM_STATUS_INVESTIGATING);
  c.reason = NULL;
  EXPECT_OK (&c);

  /* authorized: destination and return label; the RMA number comes from the store */
  c = complete_check (KL_CLAIM_KIND_RETURN, KL_CLAIM_STATUS_REQUESTED, KL_CLAIM_STATUS_AUTHORIZED);
  c.rma_number = NULL;
  EXPECT_OK (&c);
  c.return_destination = " ";
  check (&c, KL_CLAIM_ERROR, KL_CLAIM_ERROR_MISSING_FIELD, &error);
  g_assert_nonnull (strstr (error->message, "return destination"));
  g_assert_null (strstr (error->message, "carrier"));
  g_clear_error (&error);
  c = complete_check (KL_CLAIM_KIND_RETURN, KL_CLAIM_STATUS_REQUESTED, KL_CLAIM_STATUS_AUTHORIZED);
  c.label_carrier = NULL;
  check (&c, KL_CLAIM_ERROR, KL_CLAIM_ERROR_MISSING_FIELD, &error);
  g_assert_nonnull (strstr (error->message, "carrier"));
  g_assert_null (strstr (error->message, "destination"));
  g_clear_error (&error);
  c.label_number = "";
  c.return_destination = NULL;
  check (&c, KL_CLAIM_ERROR, KL_CLAIM_ERROR_MISSING_FIELD, &error);
  g_assert_cmpstr (error->message, ==,
                   "To authorize the return, enter the return destination, the return label’s carrier, "
                   "the return label’s number.");
  g_clear_error (&error);

  /* in transit: the return tracking number */
  c = complete_check (KL_CLAIM_KIND_RETURN, KL_CLAIM_STATUS_AUTHORIZED, KL_CLAIM_STATUS_IN_TRANSIT);
  EXPECT_OK (&c);
  c.return_tracking = NULL;
  check (&c, KL_CLAIM_ERROR, KL_CLAIM_ERROR_MISSING_FIELD, &error);
  g_assert_nonnull (strstr (error->message, "tracking number"));
  g_clear_error (&error);
  c.return_tracking = " ";
  EXPECT_FAIL (&c, MISSING_FIELD);

  /* resolved return: an outcome */
  c = complete_check (KL_CLAIM_KIND_RETURN, KL_CLAIM_STATUS_INSPECTED, KL_CLAIM_STATUS_RESOLVED);
  c.corrective_action = NULL;   /* not asked of returns */
  for (KlReturnOutcome o = 0; o < KL_N_RETURN_OUTCOMES; o++)
    {
      c.outcome = o;
      EXPECT_OK (&c);
    }
  c.outcome_set = FALSE;
  check (&c, KL_CLAIM_ERROR, KL_CLAIM_ERROR_MISSING_FIELD, &error);
  g_assert_nonnull (strstr (error->message, "“Restocked”"));
  g_assert_nonnull (strstr (error->message, "“Disposed of”"));
  g_clear_error (&error);

  /* resolved complaint: a corrective action */
  c = complete_check (KL_CLAIM_KIND_COMPLAINT, KL_CLAIM_STATUS_INVESTIGATING, KL_CLAIM_STATUS_RESOLVED);
  c.outcome_set = FALSE;        /* not asked of complaints */
  EXPECT_OK (&c);
  c.corrective_action = "   ";
  check (&c, KL_CLAIM_ERROR, KL_CLAIM_ERROR_MISSING_FIELD, &error);
  g_assert_nonnull (strstr (error->message, "corrective action"));
  g_clear_error (&error);
}

/* ---------------------------------------------------------------------- */
/* Deadlines */

static gint64
at (GTimeZone *tz, int y, int mo, int d, int h, int mi, int s)
{
  g_autoptr(GDateTime) dt = g_date_time_new (tz, y, mo, d, h, mi, (gdouble) s);

  g_assert_nonnull (dt);
  return g_date_time_to_unix (dt);
}

static KlClaimDeadlineInput
deadline_input (KlClaimKind kind, KlClaimStatus status, gint64 filed_at)
{
  KlClaimDeadlineInput in = { 0 };

  in.kind = kind;
  in.status = status;
  in.filed_at = filed_at;
  in.ack_days = 30;
  in.resolve_days = 120;
  in.last_update_at = KL_NO_TIME;
  return in;
}

static void
test_deadlines_utc (void)
{
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  gint64 filed = at (utc, 2026, 3, 1, 10, 0, 0);
  gint64 ack_by = at (utc, 2026, 3, 31, 23, 59, 59);
  gint64 resolve_by = at (utc, 2026, 6, 29, 23, 59, 59);
  KlClaimDeadlineInput in = deadline_input (KL_CLAIM_KIND_DAMAGE, KL_CLAIM_STATUS_FILED, filed);
  KlClaimDeadlines d;

  kl_claim_compute_deadlines (&in, utc, filed, &d);
  g_assert_cmpint (d.acknowledge_by, ==, ack_by);
  g_assert_cmpint (d.resolve_by, ==, resolve_by);
  g_assert_true (d.acknowledge_pending);
  g_assert_true (d.resolve_pending);
  g_assert_cmpint (d.update_due_by, ==, KL_NO_TIME);

  /* the last second of the day is still in time */
  g_assert_false (kl_claim_is_overdue (&in, utc, ack_by));
  g_assert_true (kl_claim_is_overdue (&in, utc, ack_by + 1));
  kl_claim_compute_deadlines (&in, utc, ack_by + 1, &d);
  g_assert_true (d.acknowledge_overdue);
  g_assert_false (d.resolve_overdue);

  /* acknowledged: the first deadline no longer applies */
  in.status = KL_CLAIM_STATUS_ACKNOWLEDGED;
  g_assert_false (kl_claim_is_overdue (&in, utc, ack_by + 1));
  g_assert_false (kl_claim_is_overdue (&in, utc, resolve_by));
  g_assert_true (kl_claim_is_overdue (&in, utc, resolve_by + 1));
  kl_claim_compute_deadlines (&in, utc, resolve_by + 1, &d);
  g_assert_false (d.acknowledge_pending);
  g_assert_false (d.acknowledge_overdue);
  g_assert_true (d.resolve_overdue);
  g_assert_cmpint (d.acknowledge_by, ==, ack_by);   /* still given, for display */

  /* other day counts; zero or less means the default */
  in.ack_days = 7;
  in.resolve_days = 10;
  kl_claim_compute_deadlines (&in, utc, filed, &d);
  g_assert_cmpint (d.acknowledge_by, ==, at (utc, 2026, 3, 8, 23, 59, 59));
  g_assert_cmpint (d.resolve_by, ==, at (utc, 2026, 3, 11, 23, 59, 59));
  in.ack_days = 0;
  in.resolve_days = -1;
  kl_claim_compute_deadlines (&in, utc, filed, &d);
  g_assert_cmpint (d.acknowledge_by, ==, ack_by);
  g_assert_cmpint (d.resolve_by, ==, resolve_by);

  /* a draft has not started the clock; an unknown filing time gives nothing */
  in = deadline_input (KL_CLAIM_KIND_DAMAGE, KL_CLAIM_STATUS_DRAFT, filed);
  g_assert_false (kl_claim_is_overdue (&in, utc, resolve_by + 86400 * 400));
  in = deadline_input (KL_CLAIM_KIND_DAMAGE, KL_CLAIM_STATUS_FILED, KL_NO_TIME);
  kl_claim_compute_deadlines (&in, utc, filed, &d);
  g_assert_cmpint (d.acknowledge_by, ==, KL_NO_TIME);
  g_assert_cmpint (d.resolve_by, ==, KL_NO_TIME);
  g_assert_false (kl_claim_is_overdue (&in, utc, resolve_by + 1));
}

static void
test_deadline_conditions_per_status (void)
{
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  gint64 filed = at (utc, 2026, 3, 1, 10, 0, 0);
  gint64 late = at (utc, 2027, 1, 1, 0, 0, 0);     /* past both deadlines */
  /* status, acknowledgement pending, resolution pending */
  const struct { const char *status; gboolean ack; gboolean resolve; } table[] = {
    { "draft", FALSE, FALSE },
    { "filed", TRUE, TRUE },
    { "acknowledged", FALSE, TRUE },
    { "investigating", FALSE, TRUE },
    { "approved", FALSE, FALSE },
    { "declined", FALSE, FALSE },
    { "paid", FALSE, FALSE },
    { "closed", FALSE, FALSE },
    { "withdrawn", FALSE, FALSE },
    { "requested", FALSE, TRUE },
    { "authorized", FALSE, TRUE },
    { "in_transit", FALSE, TRUE },
    { "received", FALSE, TRUE },
    { "inspected", FALSE, TRUE },
    { "resolved", FALSE, FALSE },
    { "rejected", FALSE, FALSE },
    { "cancelled", FALSE, FALSE },
    { "open", TRUE, TRUE },
  };

  G_STATIC_ASSERT (G_N_ELEMENTS (table) == KL_N_CLAIM_STATUSES);

  for (guint i = 0; i < G_N_ELEMENTS (table); i++)
    {
      KlClaimStatus status;
      KlClaimDeadlineInput in;
      KlClaimDeadlines d;

      g_assert_true (kl_claim_status_from_string (table[i].status, &status));
      in = deadline_input (KL_CLAIM_KIND_COMPLAINT, status, filed);
      kl_claim_compute_deadlines (&in, utc, late, &d);
      if (d.acknowledge_pending != table[i].ack || d.resolve_pending != table[i].resolve)
        g_error ("%s: pending ack %d resolve %d", table[i].status,
                 d.acknowledge_pending, d.resolve_pending);
      g_assert_cmpint (d.acknowledge_overdue, ==, table[i].ack);
      g_assert_cmpint (d.resolve_overdue, ==, table[i].resolve);
      g_assert_cmpint (kl_claim_is_overdue (&in, utc, late), ==, table[i].ack || table[i].resolve);
    }
}

static void
test_status_update_due (void)
{
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  gint64 filed = at (utc, 2026, 3, 1, 10, 0, 0);
  gint64 resolve_by = at (utc, 2026, 6, 29, 23, 59, 59);
  gint64 first_update_due = at (utc, 2026, 8, 28, 23, 59, 59);   /* resolve_by + 60 days */
  KlClaimDeadlineInput in = deadline_input (KL_CLAIM_KIND_LOSS, KL_CLAIM_STATUS_INVESTIGATING, filed);
  KlClaimDeadlines d;

  /* before resolve_by passes there is no update due */
  kl_claim_compute_deadlines (&in, utc, resolve_by, &d);
  g_assert_cmpint (d.update_due_by, ==, KL_NO_TIME);
  g_assert_false (d.update_overdue);

  kl_claim_compute_deadlines (&in, utc, resolve_by + 1, &d);
  g_assert_cmpint (d.update_due_by, ==, first_update_due);
  g_assert_false (d.update_overdue);
  kl_claim_compute_deadlines (&in, utc, first_update_due + 1, &d);
  g_assert_true (d.update_overdue);

  /* an update before resolve_by does not move it */
  in.last_update_at = at (utc, 2026, 6, 1, 9, 0, 0);
  kl_claim_compute_deadlines (&in, utc, resolve_by + 1, &d);
  g_assert_cmpint (d.update_due_by, ==, first_update_due);

  /* an update after resolve_by restarts the 60 days from its day */
  in.last_update_at = at (utc, 2026, 7, 9, 9, 0, 0);
  kl_claim_compute_deadlines (&in, utc, first_update_due + 1, &d);
  g_assert_cmpint (d.update_due_by, ==, at (utc, 2026, 9, 7, 23, 59, 59));
  g_assert_false (d.update_overdue);
  /* still overdue as a case: the resolve deadline has passed */
  g_assert_true (d.resolve_overdue);
  g_assert_true (kl_claim_is_overdue (&in, utc, first_update_due + 1));
  kl_claim_compute_deadlines (&in, utc, at (utc, 2026, 9, 7, 23, 59, 59), &d);
  g_assert_false (d.update_overdue);
  kl_claim_compute_deadlines (&in, utc, at (utc, 2026, 9, 8, 0, 0, 0), &d);
  g_assert_true (d.update_overdue);

  /* once approved, no deadline and no update is due */
  in.status = KL_CLAIM_STATUS_APPROVED;
  kl_claim_compute_deadlines (&in, utc, at (utc, 2027, 1, 1, 0, 0, 0), &d);
  g_assert_cmpint (d.update_due_by, ==, KL_NO_TIME);
  g_assert_false (d.update_overdue);
  g_assert_false (kl_claim_is_overdue (&in, utc, at (utc, 2027, 1, 1, 0, 0, 0)));
}

static void
test_deadlines_time_zones (void)
{
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr(GTimeZone) shanghai = g_time_zone_new_identifier ("Asia/Shanghai");
  /* 1 March 17:30 UTC is already 2 March 01:30 in Shanghai */
  gint64 filed = at (utc, 2026, 3, 1, 17, 30, 0);
  KlClaimDeadlineInput in = deadline_input (KL_CLAIM_KIND_SHORTAGE, KL_CLAIM_STATUS_FILED, filed);
  KlClaimDeadlines d;
  gint64 utc_ack, cst_ack;

  g_assert_nonnull (shanghai);

  kl_claim_compute_deadlines (&in, utc, filed, &d);
  utc_ack = at (utc, 2026, 3, 31, 23, 59, 59);
  g_assert_cmpint (d.acknowledge_by, ==, utc_ack);

  kl_claim_compute_deadlines (&in, shanghai, filed, &d);
  cst_ack = at (shanghai, 2026, 4, 1, 23, 59, 59);
  g_assert_cmpint (d.acknowledge_by, ==, cst_ack);
  g_assert_cmpint (cst_ack, ==, at (utc, 2026, 4, 1, 15, 59, 59));
  g_assert_cmpint (d.resolve_by, ==, at (shanghai, 2026, 6, 30, 23, 59, 59));

  /* the same instant is overdue in one zone and not in the other */
  g_assert_true (kl_claim_is_overdue (&in, utc, utc_ack + 1));
  g_assert_false (kl_claim_is_overdue (&in, shanghai, utc_ack + 1));
  g_assert_false (kl_claim_is_overdue (&in, shanghai, cst_ack));
  g_assert_true (kl_claim_is_overdue (&in, shanghai, cst_ack + 1));
}

static void
test_deadlines_ignore_dst (void)
{
  g_autoptr(GTimeZone) ny = g_time_zone_new_identifier ("America/New_York");
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  KlClaimDeadlineInput in;
  KlClaimDeadlines d;
  gint64 filed;

  g_assert_nonnull (ny);

  /* across the autumn change (1 Nov 2026): 30 days of 24 hours would end on
   * 13 November local time; calendar days end on the 14th */
  filed = at (ny, 2026, 10, 15, 0, 30, 0);
  in = deadline_input (KL_CLAIM_KIND_DELAY, KL_CLAIM_STATUS_FILED, filed);
  kl_claim_compute_deadlines (&in, ny, filed, &d);
  g_assert_cmpint (d.acknowledge_by, ==, at (ny, 2026, 11, 14, 23, 59, 59));
  g_assert_cmpint (d.acknowledge_by, ==, at (utc, 2026, 11, 15, 4, 59, 59));   /* EST, UTC−5 */

  /* across the spring change (8 Mar 2026): ends 23:59:59 EDT, UTC−4 */
  filed = at (ny, 2026, 3, 1, 23, 30, 0);
  in = deadline_input (KL_CLAIM_KIND_DELAY, KL_CLAIM_STATUS_FILED, filed);
  kl_claim_compute_deadlines (&in, ny, filed, &d);
  g_assert_cmpint (d.acknowledge_by, ==, at (utc, 2026, 4, 1, 3, 59, 59));
}

/* ---------------------------------------------------------------------- */
/* Filing warnings */

static guint
count_containing (char *const *warnings, const char *needle)
{
  guint n = 0;

  for (guint i = 0; warnings[i] != NULL; i++)
    if (strstr (warnings[i], needle) != NULL)
      n++;
  return n;
}

static void
test_filing_air_limits (void)
{
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  gint64 delivered = at (utc, 2026, 6, 1, 10, 0, 0);   /* a Monday */
  gboolean concealed;

  {
    /* day 14, late in the day: still within */
    g_auto(GStrv) w = kl_claim_filing_warnings (KL_CLAIM_KIND_DAMAGE, TRUE, delivered,
                                                at (utc, 2026, 6, 15, 23, 59, 59), utc, &concealed);
    g_assert_cmpuint (count_containing (w, "air shipment"), ==, 0);
  }
  {
    g_auto(GStrv) w = kl_claim_filing_warnings (KL_CLAIM_KIND_DAMAGE, TRUE, delivered,
                                                at (utc, 2026, 6, 16, 0, 0, 0), utc, &concealed);
    g_assert_cmpuint (count_containing (w, "air shipment"), ==, 1);
    g_assert_cmpuint (count_containing (w, "15 days"), ==, 1);
    g_assert_cmpuint (count_containing (w, "within 14 days"), ==, 1);
    /* ten business days as well: concealed damage */
    g_assert_true (concealed);
    g_assert_cmpuint (count_containing (w, "Concealed damage"), ==, 1);
    g_assert_cmpuint (g_strv_length (w), ==, 2);
  }
  {
    /* not air: no air warning at 15 days */
    g_auto(GStrv) w = kl_claim_filing_warnings (KL_CLAIM_KIND_DAMAGE, FALSE, delivered,
                                                at (utc, 2026, 6, 16, 0, 0, 0), utc, &concealed);
    g_assert_cmpuint (count_containing (w, "air shipment"), ==, 0);
    g_assert_true (concealed);
  }
  {
    g_auto(GStrv) w = kl_claim_filing_warnings (KL_CLAIM_KIND_DELAY, TRUE, delivered,
                                                at (utc, 2026, 6, 22, 12, 0, 0), utc, &concealed);
    g_assert_cmpuint (g_strv_length (w), ==, 0);     /* day 21 */
    g_assert_false (concealed);                      /* only damage is concealed */
  }
  {
    g_auto(GStrv) w = kl_claim_filing_warnings (KL_CLAIM_KIND_DELAY, TRUE, delivered,
                                                at (utc, 2026, 6, 23, 12, 0, 0), utc, &concealed);
    g_assert_cmpuint (g_strv_length (w), ==, 1);     /* day 22 */
    g_assert_cmpuint (count_containing (w, "within 21 days"), ==, 1);
    g_assert_cmpuint (count_containing (w, "22 days"), ==, 1);
  }
  {
    g_auto(GStrv) w = kl_claim_filing_warnings (KL_CLAIM_KIND_DELAY, FALSE, delivered,
                                                at (utc, 2026, 6, 23, 12, 0, 0), utc, &concealed);
    g_assert_cmpuint (g_strv_length (w), ==, 0);
  }
  {
    /* the air rules are for damage and delay only */
    g_auto(GStrv) w = kl_claim_filing_warnings (KL_CLAIM_KIND_SHORTAGE, TRUE, delivered,
                                                at (utc, 2026, 7, 30, 12, 0, 0), utc, &concealed);
    g_assert_cmpuint (g_strv_length (w), ==, 0);
    g_assert_false (concealed);
  }
}

static gboolean
concealed_for (gint64 delivered, gint64 filed, GTimeZone *tz)
{
  gboolean concealed = 2;   /* neither TRUE nor FALSE: must be written */
  g_auto(GStrv) w = kl_claim_filing_warnings (KL_CLAIM_KIND_DAMAGE, FALSE, delivered, filed, tz, &concealed);

  g_assert_true (concealed == TRUE || concealed == FALSE);
  g_assert_cmpuint (count_containing (w, "Concealed damage"), ==, concealed ? 1 : 0);
  return concealed;
}

static void
test_filing_business_days (void)
{
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr(GTimeZone) shanghai = g_time_zone_new_identifier ("Asia/Shanghai");
  gint64 friday = at (utc, 2026, 6, 5, 9, 0, 0);
  gint64 saturday = at (utc, 2026, 6, 6, 9, 0, 0);
  gint64 delivered;
  gboolean concealed;

  /* delivered Friday: Mon–Fri of the next week are the five business days */
  g_assert_false (concealed_for (friday, at (utc, 2026, 6, 12, 18, 0, 0), utc));  /* Fri, 5 */
  g_assert_false (concealed_for (friday, at (utc, 2026, 6, 13, 18, 0, 0), utc));  /* Sat */
  g_assert_false (concealed_for (friday, at (utc, 2026, 6, 14, 18, 0, 0), utc));  /* Sun */
  g_assert_true (concealed_for (friday, at (utc, 2026, 6, 15, 0, 0, 0), utc));    /* Mon, 6 */

  /* delivered on a Saturday */
  g_assert_false (concealed_for (saturday, at (utc, 2026, 6, 12, 18, 0, 0), utc));
  g_assert_true (concealed_for (saturday, at (utc, 2026, 6, 15, 8, 0, 0), utc));

  /* same day and filing before delivery: no warnings at all */
  g_assert_false (concealed_for (friday, friday + 3600, utc));
  g_assert_false (concealed_for (friday, friday - 86400 * 30, utc));

  /* the days are local: Friday 20:00 UTC is Saturday in Shanghai, and
   * Sunday 17:00 UTC is Monday there */
  g_assert_nonnull (shanghai);
  delivered = at (utc, 2026, 6, 5, 20, 0, 0);
  g_assert_false (concealed_for (delivered, at (utc, 2026, 6, 14, 17, 0, 0), utc));
  g_assert_true (concealed_for (delivered, at (utc, 2026, 6, 14, 17, 0, 0), shanghai));

  /* no delivery time: nothing to warn about */
  {
    g_auto(GStrv) w = kl_claim_filing_warnings (KL_CLAIM_KIND_DAMAGE, TRUE, KL_NO_TIME,
                                                at (utc, 2027, 6, 1, 0, 0, 0), utc, &concealed);
    g_assert_nonnull (w);
    g_assert_cmpuint (g_strv_length (w), ==, 0);
    g_assert_false (concealed);
  }
}

static guint
nine_month_warnings (KlClaimKind kind, gint64 delivered, gint64 filed, GTimeZone *tz)
{
  g_auto(GStrv) w = kl_claim_filing_warnings (kind, FALSE, delivered, filed, tz, NULL);

  return count_containing (w, "9 months");
}

static void
test_filing_nine_months (void)
{
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr(GTimeZone) shanghai = g_time_zone_new_identifier ("Asia/Shanghai");
  gint64 d;

  /* 31 January + 9 months = 31 October */
  d = at (utc, 2026, 1, 31, 12, 0, 0);
  g_assert_cmpuint (nine_month_warnings (KL_CLAIM_KIND_SHORTAGE, d, at (utc, 2026, 10, 31, 23, 59, 59), utc), ==, 0);
  g_assert_cmpuint (nine_month_warnings (KL_CLAIM_KIND_SHORTAGE, d, at (utc, 2026, 11, 1, 0, 0, 0), utc), ==, 1);

  /* 31 May + 9 months = the end of February (28th, or 29th in a leap year) */
  d = at (utc, 2025, 5, 31, 12, 0, 0);
  g_assert_cmpuint (nine_month_warnings (KL_CLAIM_KIND_LOSS, d, at (utc, 2026, 2, 28, 12, 0, 0), utc), ==, 0);
  g_assert_cmpuint (nine_month_warnings (KL_CLAIM_KIND_LOSS, d, at (utc, 2026, 3, 1, 0, 0, 0), utc), ==, 1);
  d = at (utc, 2027, 5, 31, 12, 0, 0);
  g_assert_cmpuint (nine_month_warnings (KL_CLAIM_KIND_LOSS, d, at (utc, 2028, 2, 29, 12, 0, 0), utc), ==, 0);
  g_assert_cmpuint (nine_month_warnings (KL_CLAIM_KIND_LOSS, d, at (utc, 2028, 3, 1, 0, 0, 0), utc), ==, 1);

  /* an ordinary date: 15 March + 9 months = 15 December */
  d = at (utc, 2026, 3, 15, 12, 0, 0);
  g_assert_cmpuint (nine_month_warnings (KL_CLAIM_KIND_DELAY, d, at (utc, 2026, 12, 15, 12, 0, 0), utc), ==, 0);
  g_assert_cmpuint (nine_month_warnings (KL_CLAIM_KIND_DELAY, d, at (utc, 2026, 12, 16, 12, 0, 0), utc), ==, 1);

  /* local dates: 31 Oct 20:00 UTC is already 1 November in Shanghai */
  d = at (utc, 2026, 1, 31, 12, 0, 0);
  g_assert_nonnull (shanghai);
  g_assert_cmpuint (nine_month_warnings (KL_CLAIM_KIND_SHORTAGE, d, at (utc, 2026, 10, 31, 20, 0, 0), utc), ==, 0);
  g_assert_cmpuint (nine_month_warnings (KL_CLAIM_KIND_SHORTAGE, d, at (utc, 2026, 10, 31, 20, 0, 0), shanghai), ==, 1);

  /* only freight claims */
  d = at (utc, 2024, 1, 1, 12, 0, 0);
  g_assert_cmpuint (nine_month_warnings (KL_CLAIM_KIND_RETURN, d, at (utc, 2026, 1, 1, 0, 0, 0), utc), ==, 0);
  g_assert_cmpuint (nine_month_warnings (KL_CLAIM_KIND_COMPLAINT, d, at (utc, 2026, 1, 1, 0, 0, 0), utc), ==, 0);
  {
    gboolean concealed;
    g_auto(GStrv) w = kl_claim_filing_warnings (KL_CLAIM_KIND_RETURN, TRUE, d, at (utc, 2026, 1, 1, 0, 0, 0),
                                                utc, &concealed);
    g_assert_cmpuint (g_strv_length (w), ==, 0);
    g_assert_false (concealed);
  }
}

/* ---------------------------------------------------------------------- */

static void
test_numbers (void)
{
  const struct { KlClaimKind kind; const char *prefix; } cases[] = {
    { KL_CLAIM_KIND_DAMAGE, "CLM" }, { KL_CLAIM_KIND_SHORTAGE, "CLM" },
    { KL_CLAIM_KIND_DELAY, "CLM" }, { KL_CLAIM_KIND_LOSS, "CLM" },
    { KL_CLAIM_KIND_RETURN, "RMA" }, { KL_CLAIM_KIND_COMPLAINT, "CMP" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *number = kl_claim_format_number (cases[i].kind, 2026, 123);
      g_autofree char *want = g_strdup_printf ("%s-2026-000123", cases[i].prefix);

      g_assert_cmpstr (number, ==, want);
    }

  {
    g_autofree char *big = kl_claim_format_number (KL_CLAIM_KIND_LOSS, 2027, 1234567);
    g_autofree char *first = kl_claim_format_number (KL_CLAIM_KIND_RETURN, 2026, 1);

    g_assert_cmpstr (big, ==, "CLM-2027-1234567");
    g_assert_cmpstr (first, ==, "RMA-2026-000001");
  }
}

/* kl_claim_move_needs() says what the window asks for; it must agree with
 * kl_claim_check_move() on every move: a move that needs nothing passes
 * bare, one that needs something fails bare and passes once given it. */
static void
test_move_needs_agree_with_check (void)
{
  for (guint k = 0; k < KL_N_CLAIM_KINDS; k++)
    for (guint from = 0; from < KL_N_CLAIM_STATUSES; from++)
      {
        g_autoptr(GArray) moves = kl_claim_allowed_moves (k, from);

        for (guint i = 0; i < moves->len; i++)
          {
            KlClaimStatus to = g_array_index (moves, KlClaimStatus, i);
            KlClaimMoveNeeds needs = kl_claim_move_needs (k, from, to);
            KlClaimMoveCheck bare = { 0 };
            KlClaimMoveCheck full;
            g_autoptr(GError) error = NULL;

            bare.kind = k;
            bare.from = from;
            bare.to = to;
            bare.claimed_set = TRUE;
            bare.claimed = 1000;
            bare.approved_set = to == KL_CLAIM_STATUS_PAID;
            bare.approved = 500;
            full = bare;
            full.documents = KL_CLAIM_DOCUMENTS_ALL;
            if (needs & KL_CLAIM_MOVE_NEEDS_AMOUNT)
              {
                full.amount_set = TRUE;
                full.amount = 100;
              }
            full.reason = "reason";
            full.corrective_action = "action";
            full.return_destination = "Shanghai DC";
            full.label_carrier = "SF";
            full.label_number = "SF123";
            full.return_tracking = "SF456";
            full.outcome_set = TRUE;
            full.outcome = KL_RETURN_OUTCOME_RESTOCKED;

            g_test_message ("%s: %s → %s", kl_claim_kind_to_string (k), kl_claim_status_to_string (from),
                            kl_claim_status_to_string (to));
            g_assert_cmpint (kl_claim_check_move (&bare, &error), ==, needs == KL_CLAIM_MOVE_NEEDS_NOTHING);
            g_clear_error (&error);
            g_assert_true (kl_claim_check_move (&full, &error));
            g_assert_no_error (error);
          }
      }
  g_assert_cmpint (kl_claim_move_needs (KL_CLAIM_KIND_DAMAGE, KL_CLAIM_STATUS_INVESTIGATING, KL_CLAIM_STATUS_APPROVED),
                   ==, KL_CLAIM_MOVE_NEEDS_AMOUNT | KL_CLAIM_MOVE_NEEDS_DOCUMENTS);
  g_assert_cmpint (kl_claim_move_needs (KL_CLAIM_KIND_DAMAGE, KL_CLAIM_STATUS_CLOSED, KL_CLAIM_STATUS_INVESTIGATING),
                   ==, KL_CLAIM_MOVE_NEEDS_REASON);
  g_assert_cmpint (kl_claim_move_needs (KL_CLAIM_KIND_RETURN, KL_CLAIM_STATUS_REQUESTED, KL_CLAIM_STATUS_AUTHORIZED),
                   ==, KL_CLAIM_MOVE_NEEDS_RETURN_LABEL);
}

static void
test_documents_describe (void)
{
  g_autofree char *damage = kl_claim_documents_describe (KL_CLAIM_KIND_DAMAGE,
                                                         kl_claim_missing_documents (KL_CLAIM_KIND_DAMAGE, 0));
  g_autofree char *loss = kl_claim_documents_describe (KL_CLAIM_KIND_LOSS,
                                                       kl_claim_missing_documents (KL_CLAIM_KIND_LOSS, 0));
  g_autofree char *none = kl_claim_documents_describe (KL_CLAIM_KIND_DELAY, 0);

  g_assert_cmpstr (damage, ==, "“Proof of delivery”, “Commercial invoice”, “Photos” or “Inspection report”");
  g_assert_cmpstr (loss, ==, "“Bill of lading”, “Commercial invoice”");
  g_assert_cmpstr (none, ==, "");
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/claim-lifecycle/every-move", test_every_move);
  g_test_add_func ("/claim-lifecycle/membership", test_lifecycle_membership);
  g_test_add_func ("/claim-lifecycle/move-messages", test_move_messages);
  g_test_add_func ("/claim-lifecycle/vocabularies", test_vocabularies);
  g_test_add_func ("/claim-lifecycle/amount/approved", test_approved_amount_bounds);
  g_test_add_func ("/claim-lifecycle/amount/paid", test_paid_amount_bounds);
  g_test_add_func ("/claim-lifecycle/amount/other-moves", test_amount_only_with_approved_or_paid);
  g_test_add_func ("/claim-lifecycle/documents", test_documents_per_kind);
  g_test_add_func ("/claim-lifecycle/required-fields", test_required_fields);
  g_test_add_func ("/claim-lifecycle/deadlines/utc", test_deadlines_utc);
  g_test_add_func ("/claim-lifecycle/deadlines/per-status", test_deadline_conditions_per_status);
  g_test_add_func ("/claim-lifecycle/deadlines/status-update", test_status_update_due);
  g_test_add_func ("/claim-lifecycle/deadlines/time-zones", test_deadlines_time_zones);
  g_test_add_func ("/claim-lifecycle/deadlines/dst", test_deadlines_ignore_dst);
  g_test_add_func ("/claim-lifecycle/filing/air", test_filing_air_limits);
  g_test_add_func ("/claim-lifecycle/filing/business-days", test_filing_business_days);
  g_test_add_func ("/claim-lifecycle/filing/nine-months", test_filing_nine_months);
  g_test_add_func ("/claim-lifecycle/numbers", test_numbers);
  g_test_add_func ("/claim-lifecycle/move-needs", test_move_needs_agree_with_check);
  g_test_add_func ("/claim-lifecycle/documents-describe", test_documents_describe);

  return g_test_run ();
}
