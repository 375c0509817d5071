/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Claims, returns and complaints in the workspace: numbering, moves,
 * history, deadlines, notes, outbox and period figures. */

#include <math.h>
#include <string.h>

#include "kl-database-private.h"
#include "kl-claim-store.h"
#include "kl-customer-store.h"
#include "kl-database.h"
#include "kl-demo-claims.h"
#include "kl-shipment-store.h"
#include "kl-test-util.h"

typedef struct {
  char       *dir;
  KlDatabase *db;
  char       *customer;
} Fixture;

static gint64
utc (int y, int mo, int d, int h, int mi)
{
  g_autoptr(GDateTime) dt = g_date_time_new_utc (y, mo, d, h, mi, 0);

  return g_date_time_to_unix (dt);
}

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  f->dir = kl_test_make_tmp_dir ("keyline-claims-XXXXXX");
  path = g_build_filename (f->dir, "workspace.db", NULL);
  f->db = kl_test_create_workspace (path);
  g_assert_true (kl_rollup_set_timezone (f->db, "UTC", &error));
  g_assert_no_error (error);
  f->customer = kl_test_add_customer (f->db, "ACME", "ACME Industrial 艾克美");
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  g_clear_object (&f->db);
  g_assert_true (kl_test_remove_tree (f->dir));
  g_free (f->dir);
  g_free (f->customer);
}

static void
add_shipment (Fixture *f, const char *waybill, KlShipmentMode mode, gint64 delivered_at)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KlShipment) s = kl_shipment_new ();

  s->waybill = g_strdup (waybill);
  s->customer_id = g_strdup (f->customer);
  s->status = KL_SHIPMENT_STATUS_DELIVERED;
  s->mode = mode;
  s->pieces = 10;
  s->planned_pickup_at = delivered_at - 3 * 86400;
  s->picked_up_at = delivered_at - 3 * 86400;
  s->planned_delivery_at = delivered_at;
  s->delivered_at = delivered_at;
  g_assert_true (kl_shipment_store_save (f->db, s, NULL, &error));
  g_assert_no_error (error);
}

static char *
create (Fixture *f, KlClaimKind kind, gint64 filed_at, gint64 claimed, const char *waybill)
{
  g_autoptr(GError) error = NULL;
  KlClaimNew in = KL_CLAIM_NEW_INIT;
  char *id;

  in.customer_id = f->customer;
  in.kind = kind;
  in.filed_at = filed_at;
  in.waybill = waybill;
  in.description = "3 cartons crushed";
  in.by = "tester";
  if (claimed >= 0)
    {
      in.claimed_set = TRUE;
      in.claimed = claimed;
      in.currency = "CNY";
    }
  id = kl_claim_store_create (f->db, &in, &error);
  g_assert_no_error (error);
  g_assert_nonnull (id);
  return id;
}

static KlClaim *
get (Fixture *f, const char *id, gint64 now)
{
  g_autoptr(GError) error = NULL;
  KlClaim *c = kl_claim_store_get (f->db, id, now, &error);

  g_assert_no_error (error);
  g_assert_nonnull (c);
  return c;
}

static guint
history_len (Fixture *f, const char *id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) h = kl_claim_store_history (f->db, id, &error);

  g_assert_no_error (error);
  return h->len;
}

static KlClaimHistoryEntry *
last_entry (Fixture *f, const char *id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) h = kl_claim_store_history (f->db, id, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (h->len, >, 0);
  return g_ptr_array_steal_index (h, h->len - 1);
}

/* A move that must pass: exactly one more history entry and one outbox entry. */
static void
move_ok (Fixture *f, const char *id, KlClaimMove *m, gint64 at)
{
  g_autoptr(GError) error = NULL;
  guint before = history_len (f, id);
  gint64 outbox = kl_database_outbox_count (f->db);
  g_autoptr(KlClaim) c = NULL;

  m->at = at;
  m->by = "tester";
  g_assert_true (kl_claim_store_move (f->db, id, m, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (history_len (f, id), ==, before + 1);
  g_assert_cmpint (kl_database_outbox_count (f->db), ==, outbox + 1);
  c = get (f, id, at);
  g_assert_cmpint (c->status, ==, m->to);
  g_assert_cmpint (c->last_update_at, ==, at);
}

static void
move_to (Fixture *f, const char *id, KlClaimStatus to, gint64 at)
{
  KlClaimMove m = KL_CLAIM_MOVE_INIT;

  m.to = to;
  move_ok (f, id, &m, at);
}

/* A move that must be refused with code, writing nothing. */
static void
move_refused (Fixture *f, const char *id, KlClaimMove *m, int code)
{
  g_autoptr(GError) error = NULL;
  guint before = history_len (f, id);
  gint64 outbox = kl_database_outbox_count (f->db);
  g_autoptr(KlClaim) old = get (f, id, 0);
  g_autoptr(KlClaim) now = NULL;

  g_assert_false (kl_claim_store_move (f->db, id, m, &error));
  g_assert_error (error, KL_CLAIM_ERROR, code);
  g_assert_cmpuint (history_len (f, id), ==, before);
  g_assert_cmpint (kl_database_outbox_count (f->db), ==, outbox);
  now = get (f, id, 0);
  g_assert_cmpint (now->status, ==, old->status);
  g_assert_cmpint (now->updated_at, ==, old->updated_at);
  g_assert_cmpint (now->approved_set, ==, old->approved_set);
}

static void
test_create_each_kind (Fixture *f, gconstpointer data)
{
  static const char *prefixes[] = { "CLM", "CLM", "CLM", "CLM", "RMA", "CMP" };
  gint64 filed = utc (2026, 5, 10, 9, 0);

  for (int k = 0; k < KL_N_CLAIM_KINDS; k++)
    {
      gint64 outbox = kl_database_outbox_count (f->db);
      g_autofree char *id = create (f, k, filed, kl_claim_kind_is_freight (k) ? 12345 : -1, NULL);
      g_autoptr(KlClaim) c = get (f, id, filed);
      g_autoptr(KlClaimHistoryEntry) e = last_entry (f, id);

      g_assert_cmpint (c->kind, ==, k);
      g_assert_cmpint (c->status, ==, kl_claim_kind_initial_status (k));
      g_assert_true (g_str_has_prefix (c->number, prefixes[k]));
      g_assert_true (g_str_has_prefix (c->number + 3, "-2026-"));
      g_assert_cmpint (c->filed_at, ==, filed);
      g_assert_cmpstr (c->customer_id, ==, f->customer);
      g_assert_cmpstr (c->customer_code, ==, "ACME");
      g_assert_cmpstr (c->description, ==, "3 cartons crushed");
      g_assert_cmpint (c->claimed_set, ==, kl_claim_kind_is_freight (k));
      if (kl_claim_kind_is_freight (k))
        {
          g_assert_cmpint (c->claimed, ==, 12345);
          g_assert_cmpstr (c->currency, ==, "CNY");
        }
      g_assert_false (c->approved_set);
      g_assert_false (c->paid_set);
      g_assert_cmpint (c->acknowledged_at, ==, KL_NO_TIME);
      g_assert_cmpint (c->closed_at, ==, KL_NO_TIME);
      g_assert_cmpuint (history_len (f, id), ==, 1);
      g_assert_cmpstr (e->field, ==, "status");
      g_assert_null (e->old_value);
      g_assert_cmpstr (e->new_value, ==, kl_claim_status_to_string (c->status));
      g_assert_cmpstr (e->by, ==, "tester");
      g_assert_cmpint (kl_database_outbox_count (f->db), ==, outbox + 1);
      /* by number too */
      {
        g_autoptr(KlClaim) again = get (f, c->number, filed);
        g_assert_cmpstr (again->id, ==, id);
      }
    }
}

static void
test_numbers (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *a = create (f, KL_CLAIM_KIND_DAMAGE, utc (2026, 1, 5, 0, 0), -1, NULL);
  g_autofree char *b = create (f, KL_CLAIM_KIND_LOSS, utc (2026, 2, 5, 0, 0), -1, NULL);
  g_autofree char *r = create (f, KL_CLAIM_KIND_RETURN, utc (2026, 2, 6, 0, 0), -1, NULL);
  g_autofree char *old = create (f, KL_CLAIM_KIND_DELAY, utc (2025, 12, 31, 12, 0), -1, NULL);
  g_autofree char *c3 = create (f, KL_CLAIM_KIND_SHORTAGE, utc (2026, 3, 1, 0, 0), -1, NULL);
  g_autofree char *late = NULL;
  g_autoptr(KlClaim) ca = get (f, a, 0), cb = get (f, b, 0), cr = get (f, r, 0);
  g_autoptr(KlClaim) cold = get (f, old, 0), cc3 = get (f, c3, 0), clate = NULL;
  g_autoptr(KlClaim) missing = NULL;

  g_assert_cmpstr (ca->number, ==, "CLM-2026-000001");
  g_assert_cmpstr (cb->number, ==, "CLM-2026-000002");
  g_assert_cmpstr (cr->number, ==, "RMA-2026-000001");
  g_assert_cmpstr (cold->number, ==, "CLM-2025-000001");
  g_assert_cmpstr (cc3->number, ==, "CLM-2026-000003");

  /* The year of filing is the workspace's local year: 31 Dec 20:00 UTC is
   * already 1 Jan in Shanghai. */
  g_assert_true (kl_rollup_set_timezone (f->db, "Asia/Shanghai", &error));
  g_assert_no_error (error);
  late = create (f, KL_CLAIM_KIND_DAMAGE, utc (2026, 12, 31, 20, 0), -1, NULL);
  clate = get (f, late, 0);
  g_assert_cmpstr (clate->number, ==, "CLM-2027-000001");

  missing = kl_claim_store_get (f->db, "CLM-2030-000001", 0, &error);
  g_assert_null (missing);
  g_assert_error (error, KL_DATABASE_ERROR, KL_DATABASE_ERROR_NOT_FOUND);
}

static void
test_freight_path (Fixture *f, gconstpointer data)
{
  gint64 t0 = utc (2026, 4, 1, 8, 0);
  g_autofree char *id = create (f, KL_CLAIM_KIND_DAMAGE, t0, 100000, NULL);
  KlClaimMove m = KL_CLAIM_MOVE_INIT;
  KlClaimUpdate u = KL_CLAIM_UPDATE_INIT;
  g_autoptr(GError) error = NULL;
  g_autoptr(KlClaim) c = NULL;
  g_autoptr(KlClaimHistoryEntry) e = NULL;

  /* not in the lifecycle / not allowed */
  m.to = KL_CLAIM_STATUS_PAID;
  move_refused (f, id, &m, KL_CLAIM_ERROR_BAD_MOVE);
  m.to = KL_CLAIM_STATUS_RECEIVED;
  move_refused (f, id, &m, KL_CLAIM_ERROR_BAD_MOVE);

  move_to (f, id, KL_CLAIM_STATUS_ACKNOWLEDGED, t0 + 86400);
  c = get (f, id, t0);
  g_assert_cmpint (c->acknowledged_at, ==, t0 + 86400);
  g_clear_pointer (&c, kl_claim_free);
  move_to (f, id, KL_CLAIM_STATUS_INVESTIGATING, t0 + 2 * 86400);

  /* documents rule through the store */
  m = (KlClaimMove) KL_CLAIM_MOVE_INIT;
  m.to = KL_CLAIM_STATUS_APPROVED;
  m.amount_set = TRUE;
  m.amount = 80000;
  move_refused (f, id, &m, KL_CLAIM_ERROR_MISSING_DOCUMENTS);
  u.documents_add = KL_CLAIM_DOCUMENT_BIT (KL_CLAIM_DOCUMENT_PROOF_OF_DELIVERY) |
                    KL_CLAIM_DOCUMENT_BIT (KL_CLAIM_DOCUMENT_COMMERCIAL_INVOICE);
  u.at = t0 + 3 * 86400;
  g_assert_true (kl_claim_store_update (f->db, id, &u, &error));
  g_assert_no_error (error);
  move_refused (f, id, &m, KL_CLAIM_ERROR_MISSING_DOCUMENTS);
  u = (KlClaimUpdate) KL_CLAIM_UPDATE_INIT;
  u.documents_add = KL_CLAIM_DOCUMENT_BIT (KL_CLAIM_DOCUMENT_PHOTOS);
  u.at = t0 + 3 * 86400;
  g_assert_true (kl_claim_store_update (f->db, id, &u, &error));
  g_assert_no_error (error);

  /* amount bounds */
  m.amount = 100001;
  move_refused (f, id, &m, KL_CLAIM_ERROR_AMOUNT);
  m.amount_set = FALSE;
  move_refused (f, id, &m, KL_CLAIM_ERROR_AMOUNT);
  m.amount_set = TRUE;
  m.amount = 80000;
  move_ok (f, id, &m, t0 + 4 * 86400);
  c = get (f, id, t0);
  g_assert_true (c->approved_set);
  g_assert_cmpint (c->approved, ==, 80000);
  g_clear_pointer (&c, kl_claim_free);
  /* one entry naming both the move and the amount */
  e = last_entry (f, id);
  g_assert_cmpstr (e->field, ==, "status");
  g_assert_cmpstr (e->old_value, ==, "investigating");
  g_assert_cmpstr (e->new_value, ==, "approved");
  g_assert_true (e->amount_set);
  g_assert_cmpint (e->amount, ==, 80000);
  {
    g_autofree char *what = kl_claim_history_entry_describe (e);
    g_assert_nonnull (strstr (what, "800.00 CNY"));
  }
  g_clear_pointer (&e, kl_claim_history_entry_free);

  m = (KlClaimMove) KL_CLAIM_MOVE_INIT;
  m.to = KL_CLAIM_STATUS_PAID;
  m.amount_set = TRUE;
  m.amount = 80001;
  move_refused (f, id, &m, KL_CLAIM_ERROR_AMOUNT);
  m.amount = 80000;
  m.note = "bank transfer";
  move_ok (f, id, &m, t0 + 5 * 86400);
  e = last_entry (f, id);
  g_assert_cmpstr (e->note, ==, "bank transfer");
  g_clear_pointer (&e, kl_claim_history_entry_free);

  move_to (f, id, KL_CLAIM_STATUS_CLOSED, t0 + 6 * 86400);
  c = get (f, id, t0);
  g_assert_true (c->paid_set);
  g_assert_cmpint (c->paid, ==, 80000);
  g_assert_cmpint (c->paid_at, ==, t0 + 5 * 86400);
  g_assert_cmpint (c->closed_at, ==, t0 + 6 * 86400);
  g_clear_pointer (&c, kl_claim_free);

  /* reopening needs a reason, and clears closed_at */
  m = (KlClaimMove) KL_CLAIM_MOVE_INIT;
  m.to = KL_CLAIM_STATUS_INVESTIGATING;
  move_refused (f, id, &m, KL_CLAIM_ERROR_MISSING_FIELD);
  m.reason = "client found more damage";
  move_ok (f, id, &m, t0 + 7 * 86400);
  c = get (f, id, t0);
  g_assert_cmpint (c->closed_at, ==, KL_NO_TIME);
  g_clear_pointer (&c, kl_claim_free);
  e = last_entry (f, id);
  g_assert_cmpstr (e->reason, ==, "client found more damage");
  {
    g_autofree char *what = kl_claim_history_entry_describe (e);
    g_assert_nonnull (strstr (what, "client found more damage"));
  }
  g_clear_pointer (&e, kl_claim_history_entry_free);

  /* declined needs a reason; then closed */
  m = (KlClaimMove) KL_CLAIM_MOVE_INIT;
  m.to = KL_CLAIM_STATUS_DECLINED;
  move_refused (f, id, &m, KL_CLAIM_ERROR_MISSING_FIELD);
  m.reason = "not covered";
  move_ok (f, id, &m, t0 + 8 * 86400);
  move_to (f, id, KL_CLAIM_STATUS_CLOSED, t0 + 9 * 86400);

  /* a draft is filed by its move, and can be withdrawn */
  {
    KlClaimNew in = KL_CLAIM_NEW_INIT;
    g_autofree char *draft = NULL;
    g_autoptr(KlClaim) d = NULL;

    in.customer_id = f->customer;
    in.kind = KL_CLAIM_KIND_LOSS;
    in.draft = TRUE;
    draft = kl_claim_store_create (f->db, &in, &error);
    g_assert_no_error (error);
    d = get (f, draft, t0);
    g_assert_cmpint (d->status, ==, KL_CLAIM_STATUS_DRAFT);
    g_assert_cmpint (d->filed_at, ==, KL_NO_TIME);
    g_clear_pointer (&d, kl_claim_free);
    move_to (f, draft, KL_CLAIM_STATUS_FILED, t0);
    d = get (f, draft, t0);
    g_assert_cmpint (d->filed_at, ==, t0);
    g_clear_pointer (&d, kl_claim_free);
    move_to (f, draft, KL_CLAIM_STATUS_WITHDRAWN, t0 + 86400);
    m = (KlClaimMove) KL_CLAIM_MOVE_INIT;
    m.to = KL_CLAIM_STATUS_INVESTIGATING;
    m.reason = "try";
    move_refused (f, draft, &m, KL_CLAIM_ERROR_BAD_MOVE);
  }
}

static void
test_return_path (Fixture *f, gconstpointer data)
{
  gint64 t0 = utc (2026, 6, 1, 8, 0);
  g_autofree char *id = create (f, KL_CLAIM_KIND_RETURN, t0, -1, NULL);
  g_autofree char *other = create (f, KL_CLAIM_KIND_RETURN, t0, -1, NULL);
  g_autofree char *third = create (f, KL_CLAIM_KIND_RETURN, t0, -1, NULL);
  KlClaimMove m = KL_CLAIM_MOVE_INIT;
  g_autoptr(KlClaim) c = NULL;

  m.to = KL_CLAIM_STATUS_AUTHORIZED;
  move_refused (f, id, &m, KL_CLAIM_ERROR_MISSING_FIELD);
  m.return_destination = "上海仓";
  m.label_carrier = "SF";
  move_refused (f, id, &m, KL_CLAIM_ERROR_MISSING_FIELD);
  m.label_number = "SF1234567";
  move_ok (f, id, &m, t0 + 86400);
  c = get (f, id, t0);
  g_assert_cmpstr (c->rma_number, ==, c->number);
  g_assert_cmpstr (c->return_destination, ==, "上海仓");
  g_assert_cmpstr (c->label_carrier, ==, "SF");
  g_assert_cmpstr (c->label_number, ==, "SF1234567");
  g_assert_cmpint (c->acknowledged_at, ==, KL_NO_TIME);
  g_clear_pointer (&c, kl_claim_free);

  m = (KlClaimMove) KL_CLAIM_MOVE_INIT;
  m.to = KL_CLAIM_STATUS_IN_TRANSIT;
  move_refused (f, id, &m, KL_CLAIM_ERROR_MISSING_FIELD);
  m.return_tracking = "SF7654321";
  move_ok (f, id, &m, t0 + 2 * 86400);
  move_to (f, id, KL_CLAIM_STATUS_RECEIVED, t0 + 3 * 86400);
  move_to (f, id, KL_CLAIM_STATUS_INSPECTED, t0 + 4 * 86400);
  m = (KlClaimMove) KL_CLAIM_MOVE_INIT;
  m.to = KL_CLAIM_STATUS_RESOLVED;
  move_refused (f, id, &m, KL_CLAIM_ERROR_MISSING_FIELD);
  m.outcome_set = TRUE;
  m.outcome = KL_RETURN_OUTCOME_REFUNDED;
  move_ok (f, id, &m, t0 + 5 * 86400);
  move_to (f, id, KL_CLAIM_STATUS_CLOSED, t0 + 6 * 86400);
  c = get (f, id, t0);
  g_assert_cmpstr (c->return_tracking, ==, "SF7654321");
  g_assert_true (c->outcome_set);
  g_assert_cmpint (c->outcome, ==, KL_RETURN_OUTCOME_REFUNDED);
  g_assert_cmpint (c->closed_at, ==, t0 + 6 * 86400);
  g_assert_true (kl_claim_status_is_final (c->kind, c->status));
  m = (KlClaimMove) KL_CLAIM_MOVE_INIT;
  m.to = KL_CLAIM_STATUS_RESOLVED;
  m.reason = "again";
  move_refused (f, id, &m, KL_CLAIM_ERROR_BAD_MOVE);

  /* rejected needs a reason; cancelled from requested */
  m = (KlClaimMove) KL_CLAIM_MOVE_INIT;
  m.to = KL_CLAIM_STATUS_REJECTED;
  move_refused (f, other, &m, KL_CLAIM_ERROR_MISSING_FIELD);
  m.reason = "outside the return window";
  move_ok (f, other, &m, t0 + 86400);
  move_to (f, third, KL_CLAIM_STATUS_CANCELLED, t0 + 86400);
}

static void
test_complaint_path (Fixture *f, gconstpointer data)
{
  gint64 t0 = utc (2026, 7, 1, 8, 0);
  g_autofree char *id = create (f, KL_CLAIM_KIND_COMPLAINT, t0, -1, NULL);
  KlClaimMove m = KL_CLAIM_MOVE_INIT;
  g_autoptr(KlClaim) c = NULL;

  move_to (f, id, KL_CLAIM_STATUS_ACKNOWLEDGED, t0 + 3600);
  move_to (f, id, KL_CLAIM_STATUS_INVESTIGATING, t0 + 7200);
  m.to = KL_CLAIM_STATUS_RESOLVED;
  move_refused (f, id, &m, KL_CLAIM_ERROR_MISSING_FIELD);
  m.corrective_action = "Driver briefing on delivery windows";
  move_ok (f, id, &m, t0 + 86400);
  c = get (f, id, t0);
  g_assert_cmpstr (c->corrective_action, ==, "Driver briefing on delivery windows");
  g_assert_cmpint (c->acknowledged_at, ==, t0 + 3600);
  g_clear_pointer (&c, kl_claim_free);
  move_to (f, id, KL_CLAIM_STATUS_CLOSED, t0 + 2 * 86400);
  m = (KlClaimMove) KL_CLAIM_MOVE_INIT;
  m.to = KL_CLAIM_STATUS_INVESTIGATING;
  move_refused (f, id, &m, KL_CLAIM_ERROR_MISSING_FIELD);
  m.reason = "it happened again";
  move_ok (f, id, &m, t0 + 3 * 86400);
  /* the recorded corrective action is enough the second time */
  move_to (f, id, KL_CLAIM_STATUS_RESOLVED, t0 + 4 * 86400);
  m = (KlClaimMove) KL_CLAIM_MOVE_INIT;
  m.to = KL_CLAIM_STATUS_APPROVED;
  move_refused (f, id, &m, KL_CLAIM_ERROR_BAD_MOVE);
}

static void
test_amounts (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  gint64 t0 = utc (2026, 4, 1, 8, 0);
  g_autofree char *id = create (f, KL_CLAIM_KIND_DELAY, t0, 50000, NULL);
  g_autofree char *cmp = create (f, KL_CLAIM_KIND_COMPLAINT, t0, -1, NULL);
  KlClaimUpdate u = KL_CLAIM_UPDATE_INIT;
  KlClaimMove m = KL_CLAIM_MOVE_INIT;
  KlClaimNew in = KL_CLAIM_NEW_INIT;
  guint before;
  gint64 minor = 0;
  g_autofree char *text = NULL;

  u.documents_add = KL_CLAIM_DOCUMENT_BIT (KL_CLAIM_DOCUMENT_PROOF_OF_DELIVERY);
  g_assert_true (kl_claim_store_update (f->db, id, &u, &error));
  g_assert_no_error (error);
  move_to (f, id, KL_CLAIM_STATUS_ACKNOWLEDGED, t0 + 10);
  move_to (f, id, KL_CLAIM_STATUS_INVESTIGATING, t0 + 20);
  m.to = KL_CLAIM_STATUS_APPROVED;
  m.amount_set = TRUE;
  m.amount = 30000;
  move_ok (f, id, &m, t0 + 30);

  before = history_len (f, id);
  u = (KlClaimUpdate) KL_CLAIM_UPDATE_INIT;
  u.claimed_set = TRUE;
  u.claimed = 29999;
  g_assert_false (kl_claim_store_update (f->db, id, &u, &error));
  g_assert_error (error, KL_CLAIM_ERROR, KL_CLAIM_ERROR_AMOUNT);
  g_clear_error (&error);
  u.claimed = -1;
  g_assert_false (kl_claim_store_update (f->db, id, &u, &error));
  g_assert_error (error, KL_CLAIM_ERROR, KL_CLAIM_ERROR_AMOUNT);
  g_clear_error (&error);
  u = (KlClaimUpdate) KL_CLAIM_UPDATE_INIT;
  u.salvage_set = TRUE;
  u.salvage = 50001;
  g_assert_false (kl_claim_store_update (f->db, id, &u, &error));
  g_assert_error (error, KL_CLAIM_ERROR, KL_CLAIM_ERROR_AMOUNT);
  g_clear_error (&error);
  u.salvage = 5000;
  u.claimed_set = TRUE;
  u.claimed = 60000;
  u.currency = "USD";
  g_assert_false (kl_claim_store_update (f->db, id, &u, &error));
  g_assert_error (error, KL_CLAIM_ERROR, KL_CLAIM_ERROR_AMOUNT);
  g_clear_error (&error);
  g_assert_cmpuint (history_len (f, id), ==, before);
  u.currency = NULL;
  g_assert_true (kl_claim_store_update (f->db, id, &u, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (history_len (f, id), ==, before + 2);
  {
    g_autoptr(KlClaim) c = get (f, id, t0);
    g_assert_cmpint (c->claimed, ==, 60000);
    g_assert_true (c->salvage_set);
    g_assert_cmpint (c->salvage, ==, 5000);
  }

  /* complaints carry no money */
  u = (KlClaimUpdate) KL_CLAIM_UPDATE_INIT;
  u.claimed_set = TRUE;
  u.claimed = 100;
  u.currency = "CNY";
  g_assert_false (kl_claim_store_update (f->db, cmp, &u, &error));
  g_assert_error (error, KL_CLAIM_ERROR, KL_CLAIM_ERROR_AMOUNT);
  g_clear_error (&error);
  in.customer_id = f->customer;
  in.kind = KL_CLAIM_KIND_COMPLAINT;
  in.claimed_set = TRUE;
  in.claimed = 1;
  in.currency = "CNY";
  g_assert_null (kl_claim_store_create (f->db, &in, &error));
  g_assert_error (error, KL_CLAIM_ERROR, KL_CLAIM_ERROR_AMOUNT);
  g_clear_error (&error);
  in.kind = KL_CLAIM_KIND_DAMAGE;
  in.incident_date = "2026-02-30";
  g_assert_null (kl_claim_store_create (f->db, &in, &error));
  g_assert_error (error, KL_CLAIM_ERROR, KL_CLAIM_ERROR_MISSING_FIELD);
  g_clear_error (&error);
  in.claimed_set = FALSE;
  in.customer_id = "no-such-customer";
  in.incident_date = "2026-02-28";
  g_assert_null (kl_claim_store_create (f->db, &in, &error));
  g_assert_error (error, KL_DATABASE_ERROR, KL_DATABASE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* decimal strings to minor units */
  g_assert_true (kl_money_parse ("123.45", "CNY", &minor, &error));
  g_assert_cmpint (minor, ==, 12345);
  g_assert_true (kl_money_parse ("123.4", "EUR", &minor, &error));
  g_assert_cmpint (minor, ==, 12340);
  g_assert_true (kl_money_parse ("7", "USD", &minor, &error));
  g_assert_cmpint (minor, ==, 700);
  g_assert_true (kl_money_parse ("1500", "JPY", &minor, &error));
  g_assert_cmpint (minor, ==, 1500);
  g_assert_no_error (error);
  g_assert_false (kl_money_parse ("1.5", "JPY", &minor, &error));
  g_assert_error (error, KL_CLAIM_ERROR, KL_CLAIM_ERROR_AMOUNT);
  g_clear_error (&error);
  g_assert_false (kl_money_parse ("1.234", "CNY", &minor, &error));
  g_clear_error (&error);
  g_assert_false (kl_money_parse ("-1", "CNY", &minor, &error));
  g_clear_error (&error);
  g_assert_false (kl_money_parse ("1,000", "CNY", &minor, &error));
  g_clear_error (&error);
  g_assert_false (kl_money_parse ("", "CNY", &minor, &error));
  g_clear_error (&error);
  g_assert_false (kl_money_parse ("99999999999999999999", "CNY", &minor, &error));
  g_clear_error (&error);
  text = kl_money_format (12345, "CNY");
  g_assert_cmpstr (text, ==, "123.45");
  g_free (text);
  text = kl_money_format (1500, "JPY");
  g_assert_cmpstr (text, ==, "1500");
}

static void
test_history (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  gint64 t0 = utc (2026, 4, 1, 8, 0);
  g_autofree char *id = create (f, KL_CLAIM_KIND_SHORTAGE, t0, 1000, NULL);
  KlClaimUpdate u = KL_CLAIM_UPDATE_INIT;
  g_autoptr(GPtrArray) h = NULL;
  gint64 outbox;
  sqlite3 *handle = kl_database_get_handle (f->db);
  char *message = NULL;

  u.owner_set = TRUE;
  u.owner = "王丽";
  u.root_cause_set = TRUE;
  u.root_cause = "Pallet not wrapped";
  u.documents_add = KL_CLAIM_DOCUMENT_BIT (KL_CLAIM_DOCUMENT_PACKING_LIST) |
                    KL_CLAIM_DOCUMENT_BIT (KL_CLAIM_DOCUMENT_PHOTOS);
  u.note = "from the call";
  u.by = "kam";
  u.at = t0 + 60;
  outbox = kl_database_outbox_count (f->db);
  g_assert_true (kl_claim_store_update (f->db, id, &u, &error));
  g_assert_no_error (error);
  h = kl_claim_store_history (f->db, id, &error);
  g_assert_cmpuint (h->len, ==, 5);
  g_assert_cmpint (kl_database_outbox_count (f->db), ==, outbox + 1);
  {
    KlClaimHistoryEntry *e = g_ptr_array_index (h, 1);
    g_assert_cmpstr (e->field, ==, "owner");
    g_assert_null (e->old_value);
    g_assert_cmpstr (e->new_value, ==, "王丽");
    g_assert_cmpstr (e->note, ==, "from the call");
    g_assert_cmpstr (e->by, ==, "kam");
    g_assert_cmpint (e->at, ==, t0 + 60);
    e = g_ptr_array_index (h, 3);
    g_assert_cmpstr (e->field, ==, "document:packing_list");
    g_assert_cmpstr (e->old_value, ==, "no");
    g_assert_cmpstr (e->new_value, ==, "yes");
    g_assert_null (e->note);
  }
  g_clear_pointer (&h, g_ptr_array_unref);

  /* the same again changes nothing and writes nothing */
  u.note = NULL;
  g_assert_true (kl_claim_store_update (f->db, id, &u, &error));
  g_assert_cmpuint (history_len (f, id), ==, 5);
  g_assert_cmpint (kl_database_outbox_count (f->db), ==, outbox + 1);

  /* one change, one entry: owner changed, photos removed */
  u = (KlClaimUpdate) KL_CLAIM_UPDATE_INIT;
  u.owner_set = TRUE;
  u.owner = "李强";
  u.documents_remove = KL_CLAIM_DOCUMENT_BIT (KL_CLAIM_DOCUMENT_PHOTOS) |
                       KL_CLAIM_DOCUMENT_BIT (KL_CLAIM_DOCUMENT_BILL_OF_LADING);
  g_assert_true (kl_claim_store_update (f->db, id, &u, &error));
  g_assert_cmpuint (history_len (f, id), ==, 7);
  {
    g_autoptr(KlClaim) c = get (f, id, t0);
    g_assert_cmpstr (c->owner, ==, "李强");
    g_assert_cmpuint (c->documents, ==, KL_CLAIM_DOCUMENT_BIT (KL_CLAIM_DOCUMENT_PACKING_LIST));
  }

  /* a note alone is one entry of its own */
  u = (KlClaimUpdate) KL_CLAIM_UPDATE_INIT;
  u.note = "client called again";
  g_assert_true (kl_claim_store_update (f->db, id, &u, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (history_len (f, id), ==, 8);
  {
    g_autoptr(KlClaimHistoryEntry) e = last_entry (f, id);
    g_assert_null (e->field);
    g_assert_cmpstr (e->note, ==, "client called again");
  }

  /* history can be neither edited nor deleted */
  g_assert_cmpint (sqlite3_exec (handle, "UPDATE claim_history SET note = 'x'", NULL, NULL, &message), !=, SQLITE_OK);
  g_assert_nonnull (strstr (message, "append-only"));
  sqlite3_free (message);
  message = NULL;
  g_assert_cmpint (sqlite3_exec (handle, "DELETE FROM claim_history", NULL, NULL, &message), !=, SQLITE_OK);
  sqlite3_free (message);
  g_assert_cmpuint (history_len (f, id), ==, 8);
}

static void
add_agreement (Fixture *f, const char *from, const char *to, int ack, int resolve)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KlAgreement) a = kl_agreement_new ();

  a->customer_id = g_strdup (f->customer);
  a->effective_from = g_strdup (from);
  a->effective_to = g_strdup (to);
  a->claim_ack_days = ack;
  a->claim_resolve_days = resolve;
  g_assert_true (kl_agreement_store_save (f->db, a, &error));
  g_assert_no_error (error);
}

static void
test_deadlines (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  /* Two agreements: ack within 10 days in the first half of 2026, 30 after. */
  g_autofree char *early = NULL, *late = NULL, *done = NULL;
  KlClaimFilter filter = KL_CLAIM_FILTER_INIT;
  g_autoptr(GPtrArray) list = NULL;

  add_agreement (f, "2026-01-01", "2026-06-30", 10, 40);
  add_agreement (f, "2026-07-01", NULL, 30, 120);
  early = create (f, KL_CLAIM_KIND_DAMAGE, utc (2026, 3, 1, 20, 0), -1, NULL);
  late = create (f, KL_CLAIM_KIND_DAMAGE, utc (2026, 7, 1, 20, 0), -1, NULL);
  done = create (f, KL_CLAIM_KIND_COMPLAINT, utc (2026, 3, 1, 20, 0), -1, NULL);
  move_to (f, done, KL_CLAIM_STATUS_ACKNOWLEDGED, utc (2026, 3, 2, 8, 0));

  {
    g_autoptr(KlClaim) c = get (f, early, utc (2026, 3, 11, 23, 0));
    g_assert_cmpint (c->ack_days, ==, 10);
    g_assert_cmpint (c->resolve_days, ==, 40);
    g_assert_cmpint (c->deadlines.acknowledge_by, ==, utc (2026, 3, 11, 23, 59) + 59);
    g_assert_cmpint (c->deadlines.resolve_by, ==, utc (2026, 4, 10, 23, 59) + 59);
    g_assert_false (c->overdue);
    g_assert_cmpint (c->next_due, ==, c->deadlines.acknowledge_by);
  }
  {
    g_autoptr(KlClaim) c = get (f, early, utc (2026, 3, 12, 0, 0));
    g_assert_true (c->overdue);
    g_assert_true (c->deadlines.acknowledge_overdue);
  }
  {
    g_autoptr(KlClaim) c = get (f, late, utc (2026, 7, 12, 0, 0));
    g_assert_cmpint (c->ack_days, ==, 30);
    g_assert_false (c->overdue);
  }
  {
    /* acknowledged: no acknowledge deadline pending; resolve (120 days
     * default with the first agreement's 40) passed on 10 April */
    g_autoptr(KlClaim) c = get (f, done, utc (2026, 3, 20, 0, 0));
    g_assert_false (c->deadlines.acknowledge_pending);
    g_assert_false (c->overdue);
  }

  /* listing: overdue first, then due soonest */
  list = kl_claim_store_list (f->db, &filter, utc (2026, 3, 20, 0, 0), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 3);
  g_assert_cmpstr (((KlClaim *) g_ptr_array_index (list, 0))->id, ==, early);
  g_assert_cmpstr (((KlClaim *) g_ptr_array_index (list, 1))->id, ==, done);
  g_assert_cmpstr (((KlClaim *) g_ptr_array_index (list, 2))->id, ==, late);
  g_clear_pointer (&list, g_ptr_array_unref);
  filter.overdue_only = TRUE;
  list = kl_claim_store_list (f->db, &filter, utc (2026, 3, 20, 0, 0), &error);
  g_assert_cmpuint (list->len, ==, 1);
  g_clear_pointer (&list, g_ptr_array_unref);
  filter = (KlClaimFilter) KL_CLAIM_FILTER_INIT;
  filter.kind = KL_CLAIM_KIND_COMPLAINT;
  list = kl_claim_store_list (f->db, &filter, utc (2026, 3, 20, 0, 0), &error);
  g_assert_cmpuint (list->len, ==, 1);
  g_clear_pointer (&list, g_ptr_array_unref);
  filter = (KlClaimFilter) KL_CLAIM_FILTER_INIT;
  filter.search = "艾克美";
  list = kl_claim_store_list (f->db, &filter, utc (2026, 3, 20, 0, 0), &error);
  g_assert_cmpuint (list->len, ==, 3);
  g_clear_pointer (&list, g_ptr_array_unref);
  filter.search = "CMP-2026";
  list = kl_claim_store_list (f->db, &filter, utc (2026, 3, 20, 0, 0), &error);
  g_assert_cmpuint (list->len, ==, 1);
}

static void
test_deadlines_time_zone (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  /* Filed 1 March 20:00 UTC: still 1 March in UTC, already 2 March in
   * Shanghai. 30 days: UTC deadline 31 March 23:59:59 UTC, Shanghai
   * deadline 1 April 23:59:59 +08 = 1 April 15:59:59 UTC. */
  g_autofree char *id = create (f, KL_CLAIM_KIND_LOSS, utc (2026, 3, 1, 20, 0), -1, NULL);
  gint64 now = utc (2026, 4, 1, 10, 0);

  {
    g_autoptr(KlClaim) c = get (f, id, now);
    g_assert_cmpint (c->deadlines.acknowledge_by, ==, utc (2026, 3, 31, 23, 59) + 59);
    g_assert_true (c->overdue);
  }
  g_assert_true (kl_rollup_set_timezone (f->db, "Asia/Shanghai", &error));
  g_assert_no_error (error);
  {
    g_autoptr(KlClaim) c = get (f, id, now);
    g_assert_cmpint (c->deadlines.acknowledge_by, ==, utc (2026, 4, 1, 15, 59) + 59);
    g_assert_false (c->overdue);
  }
  {
    g_autoptr(KlClaim) c = get (f, id, utc (2026, 4, 1, 16, 0));
    g_assert_true (c->overdue);
  }
}

static void
test_shipment_link (Fixture *f, gconstpointer data)
{
  gint64 delivered = utc (2026, 5, 4, 6, 0);   /* a Monday */
  g_autofree char *unknown = NULL, *air = NULL, *road = NULL, *ret = NULL;

  add_shipment (f, "SF100", KL_MODE_AIR, delivered);
  add_shipment (f, "SF200", KL_MODE_ROAD_FTL, delivered);
  unknown = create (f, KL_CLAIM_KIND_DAMAGE, delivered + 86400, -1, "NOPE-1");
  air = create (f, KL_CLAIM_KIND_DAMAGE, delivered + 20 * 86400, -1, "SF100");
  road = create (f, KL_CLAIM_KIND_DAMAGE, delivered + 2 * 86400, -1, " SF200 ");
  ret = create (f, KL_CLAIM_KIND_RETURN, delivered + 20 * 86400, -1, "SF100");

  {
    g_autoptr(KlClaim) c = get (f, unknown, 0);
    g_assert_cmpstr (c->waybill, ==, "NOPE-1");
    g_assert_false (c->shipment_known);
    g_assert_cmpuint (g_strv_length (c->warnings), ==, 0);
  }
  {
    /* 20 days after an air delivery: late for air damage and concealed */
    g_autoptr(KlClaim) c = get (f, air, 0);
    g_assert_true (c->shipment_known);
    g_assert_true (c->concealed_damage);
    g_assert_cmpuint (g_strv_length (c->warnings), >=, 2);
    /* kept as the shipment's facts and worded on reading, not stored as
     * sentences in the writer's language */
    g_assert_true (c->shipment_air);
    g_assert_cmpint (c->delivered_at, !=, KL_NO_TIME);
    {
      sqlite3_stmt *stmt = NULL;

      g_assert_cmpint (sqlite3_prepare_v2 (kl_database_get_handle (f->db),
                                           "SELECT warnings FROM claims WHERE id = ?", -1, &stmt, NULL), ==, SQLITE_OK);
      sqlite3_bind_text (stmt, 1, air, -1, SQLITE_TRANSIENT);
      g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
      g_assert_cmpint (sqlite3_column_type (stmt, 0), ==, SQLITE_NULL);
      sqlite3_finalize (stmt);
    }
  }
  {
    g_autoptr(KlClaim) c = get (f, road, 0);
    g_assert_cmpstr (c->waybill, ==, "SF200");
    g_assert_true (c->shipment_known);
    g_assert_false (c->concealed_damage);
    g_assert_cmpuint (g_strv_length (c->warnings), ==, 0);
  }
  {
    g_autoptr(KlClaim) c = get (f, ret, 0);
    g_assert_true (c->shipment_known);
    g_assert_false (c->concealed_damage);
    g_assert_cmpuint (g_strv_length (c->warnings), ==, 0);
  }
}

static void
test_notes (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  gint64 t0 = utc (2026, 4, 1, 8, 0);
  g_autofree char *id = create (f, KL_CLAIM_KIND_DAMAGE, t0, -1, NULL);
  g_autoptr(GPtrArray) all = NULL, client = NULL;
  gint64 outbox = kl_database_outbox_count (f->db);

  g_assert_true (kl_claim_store_add_note (f->db, id, KL_CLAIM_NOTE_INTERNAL, "承运商推卸责任，内部跟进",
                                          "kam", t0 + 10, &error));
  g_assert_true (kl_claim_store_add_note (f->db, id, KL_CLAIM_NOTE_CLIENT, "已收到照片，正在调查",
                                          "kam", t0 + 20, &error));
  g_assert_no_error (error);
  g_assert_false (kl_claim_store_add_note (f->db, id, KL_CLAIM_NOTE_CLIENT, "  ", "kam", t0, &error));
  g_assert_error (error, KL_CLAIM_ERROR, KL_CLAIM_ERROR_MISSING_FIELD);
  g_clear_error (&error);

  all = kl_claim_store_notes (f->db, id, FALSE, &error);
  client = kl_claim_store_notes (f->db, id, TRUE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (all->len, ==, 2);
  g_assert_cmpuint (client->len, ==, 1);
  g_assert_cmpstr (((KlClaimNote *) g_ptr_array_index (client, 0))->text, ==, "已收到照片，正在调查");
  g_assert_cmpint (((KlClaimNote *) g_ptr_array_index (client, 0))->visibility, ==, KL_CLAIM_NOTE_CLIENT);
  g_assert_cmpint (((KlClaimNote *) g_ptr_array_index (all, 0))->visibility, ==, KL_CLAIM_NOTE_INTERNAL);
  for (guint i = 0; i < client->len; i++)
    g_assert_null (strstr (((KlClaimNote *) g_ptr_array_index (client, i))->text, "内部"));
  {
    /* a client note is an update given to the client; an internal one is not */
    g_autoptr(KlClaim) c = get (f, id, t0);
    g_assert_cmpint (c->last_update_at, ==, t0 + 20);
  }
  /* notes are not history, but each is queued for the sync (api.yaml's
   * patch carries one note) */
  g_assert_cmpuint (history_len (f, id), ==, 1);
  g_assert_cmpint (kl_database_outbox_count (f->db), ==, outbox + 2);
}

static void
test_outbox (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  gint64 t0 = utc (2026, 4, 1, 8, 0);
  g_autofree char *id = NULL;
  sqlite3 *handle = kl_database_get_handle (f->db);
  sqlite3_stmt *stmt;
  int n = 0;

  id = create (f, KL_CLAIM_KIND_DAMAGE, t0, 100, NULL);
  move_to (f, id, KL_CLAIM_STATUS_ACKNOWLEDGED, t0 + 1);
  g_assert_cmpint (sqlite3_prepare_v2 (handle, "SELECT collection, record_id, op, fields FROM outbox "
                                               "WHERE collection = 'claims' ORDER BY seq", -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 1), ==, id);
      if (n == 0)
        g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 2), ==, "create");
      else
        {
          g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 2), ==, "update");
          g_assert_nonnull (strstr ((const char *) sqlite3_column_text (stmt, 3), "status"));
          g_assert_nonnull (strstr ((const char *) sqlite3_column_text (stmt, 3), "acknowledged_at"));
        }
      n++;
    }
  sqlite3_finalize (stmt);
  g_assert_cmpint (n, ==, 2);
}

static void
test_period_summary (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *other = kl_test_add_customer (f->db, "BETA", "Beta Trading");
  gint64 start = utc (2026, 10, 1, 0, 0), end = utc (2026, 11, 1, 0, 0);
  g_autofree char *a = NULL, *b = NULL, *c = NULL, *d = NULL, *e = NULL, *x = NULL;
  KlClaimMove m = KL_CLAIM_MOVE_INIT;
  KlClaimUpdate u = KL_CLAIM_UPDATE_INIT;
  g_autoptr(KlClaimPeriodSummary) s = NULL, all = NULL, none = NULL;

  /* a: filed in September, paid and closed in October after 40 days */
  a = create (f, KL_CLAIM_KIND_DELAY, utc (2026, 9, 10, 0, 0), 10000, NULL);
  u.documents_add = KL_CLAIM_DOCUMENT_BIT (KL_CLAIM_DOCUMENT_PROOF_OF_DELIVERY);
  g_assert_true (kl_claim_store_update (f->db, a, &u, &error));
  move_to (f, a, KL_CLAIM_STATUS_ACKNOWLEDGED, utc (2026, 9, 11, 0, 0));
  move_to (f, a, KL_CLAIM_STATUS_INVESTIGATING, utc (2026, 9, 12, 0, 0));
  m.to = KL_CLAIM_STATUS_APPROVED;
  m.amount_set = TRUE;
  m.amount = 8000;
  move_ok (f, a, &m, utc (2026, 10, 5, 0, 0));
  m.to = KL_CLAIM_STATUS_PAID;
  move_ok (f, a, &m, utc (2026, 10, 10, 0, 0));
  move_to (f, a, KL_CLAIM_STATUS_CLOSED, utc (2026, 10, 20, 0, 0));
  /* b: filed in October with 500.00, still filed and overdue at end (ack 30 days from 1 Oct) */
  b = create (f, KL_CLAIM_KIND_DAMAGE, utc (2026, 10, 1, 1, 0), 50000, NULL);
  /* c: complaint filed and closed in October, 10 days */
  c = create (f, KL_CLAIM_KIND_COMPLAINT, utc (2026, 10, 2, 0, 0), -1, NULL);
  move_to (f, c, KL_CLAIM_STATUS_ACKNOWLEDGED, utc (2026, 10, 3, 0, 0));
  move_to (f, c, KL_CLAIM_STATUS_INVESTIGATING, utc (2026, 10, 4, 0, 0));
  m = (KlClaimMove) KL_CLAIM_MOVE_INIT;
  m.to = KL_CLAIM_STATUS_RESOLVED;
  m.corrective_action = "new SOP";
  move_ok (f, c, &m, utc (2026, 10, 8, 0, 0));
  move_to (f, c, KL_CLAIM_STATUS_CLOSED, utc (2026, 10, 12, 0, 0));
  /* d: filed in October, closed only in November: open at end, not overdue */
  d = create (f, KL_CLAIM_KIND_RETURN, utc (2026, 10, 25, 0, 0), -1, NULL);
  move_to (f, d, KL_CLAIM_STATUS_CANCELLED, utc (2026, 11, 3, 0, 0));
  /* e: filed in November: not counted at all */
  e = create (f, KL_CLAIM_KIND_LOSS, utc (2026, 11, 2, 0, 0), 99900, NULL);
  /* x: another customer's, in USD */
  {
    KlClaimNew in = KL_CLAIM_NEW_INIT;
    in.customer_id = other;
    in.kind = KL_CLAIM_KIND_SHORTAGE;
    in.filed_at = utc (2026, 10, 15, 0, 0);
    in.claimed_set = TRUE;
    in.claimed = 2500;
    in.currency = "USD";
    x = kl_claim_store_create (f->db, &in, &error);
    g_assert_no_error (error);
  }

  s = kl_claim_store_period_summary (f->db, f->customer, start, end, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (s->opened, ==, 3);          /* b, c, d */
  g_assert_cmpuint (s->closed, ==, 2);          /* a, c */
  g_assert_cmpuint (s->open_at_end, ==, 2);     /* b, d */
  g_assert_cmpuint (s->overdue_at_end, ==, 1);  /* b: acknowledge by 31 Oct 23:59:59 passed at 1 Nov 00:00 */
  g_assert_cmpuint (s->claimed->len, ==, 1);
  g_assert_cmpstr (g_array_index (s->claimed, KlClaimMoney, 0).currency, ==, "CNY");
  g_assert_cmpint (g_array_index (s->claimed, KlClaimMoney, 0).amount_minor, ==, 50000);
  g_assert_cmpuint (s->settled->len, ==, 1);
  g_assert_cmpint (g_array_index (s->settled, KlClaimMoney, 0).amount_minor, ==, 8000);
  g_assert_cmpfloat_with_epsilon (s->mean_days_to_close, (40.0 + 10.0) / 2.0, 1e-9);

  all = kl_claim_store_period_summary (f->db, NULL, start, end, &error);
  g_assert_cmpuint (all->opened, ==, 4);
  g_assert_cmpuint (all->claimed->len, ==, 2);
  g_assert_cmpstr (g_array_index (all->claimed, KlClaimMoney, 0).currency, ==, "CNY");
  g_assert_cmpstr (g_array_index (all->claimed, KlClaimMoney, 1).currency, ==, "USD");
  g_assert_cmpint (g_array_index (all->claimed, KlClaimMoney, 1).amount_minor, ==, 2500);

  none = kl_claim_store_period_summary (f->db, f->customer, utc (2025, 1, 1, 0, 0), utc (2025, 2, 1, 0, 0), &error);
  g_assert_cmpuint (none->opened, ==, 0);
  g_assert_cmpuint (none->open_at_end, ==, 0);
  g_assert_true (isnan (none->mean_days_to_close));
}

static void
test_demo_claims (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL, *path = NULL;
  g_autoptr(KlDatabase) db = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  g_autoptr(GPtrArray) list = NULL;
  gint64 now = utc (2026, 11, 20, 9, 0);
  gboolean seen[KL_N_CLAIM_KINDS][KL_N_CLAIM_STATUSES] = { { FALSE } };
  gboolean any_overdue = FALSE, any_docs = FALSE, any_client = FALSE, any_internal = FALSE;
  KlClaimFilter filter = KL_CLAIM_FILTER_INIT;

  path = g_build_filename (f->dir, "demo.db", NULL);
  db = kl_test_create_demo_workspace (path, 6, 1, 202610);
  /* kl_demo_fill may add its own cases (at its own now); start from none */
  g_assert_true (kl_claim_store_clear_all (db, &error));
  {
    /* the history's four guards are back after emptying it */
    sqlite3_stmt *stmt = NULL;

    g_assert_cmpint (sqlite3_prepare_v2 (kl_database_get_handle (db),
                                         "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' "
                                         "AND tbl_name = 'claim_history'", -1, &stmt, NULL), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
    g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, 4);
    sqlite3_finalize (stmt);
  }
  g_assert_true (kl_demo_add_claims (db, rand, now, &error));
  g_assert_no_error (error);
  /* every demo case's history chains, and its status is its history's */
  {
    g_autoptr(GPtrArray) findings = g_ptr_array_new_with_free_func (g_free);

    g_assert_true (kl_claim_history_verify (db, findings, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (findings->len, ==, 0);
  }

  list = kl_claim_store_list (db, &filter, now, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, >, 20);
  for (guint i = 0; i < list->len; i++)
    {
      KlClaim *c = g_ptr_array_index (list, i);
      g_autoptr(GPtrArray) notes = kl_claim_store_notes (db, c->id, FALSE, &error);
      g_autoptr(GPtrArray) history = kl_claim_store_history (db, c->id, &error);

      seen[c->kind][c->status] = TRUE;
      any_overdue |= c->overdue;
      any_docs |= c->documents != 0;
      g_assert_cmpint (c->filed_at == KL_NO_TIME, ==, c->status == KL_CLAIM_STATUS_DRAFT);
      g_assert_cmpint (c->filed_at, <=, now);
      if (kl_claim_kind_is_freight (c->kind) && c->claimed_set)
        g_assert_cmpstr (c->currency, ==, "CNY");
      g_assert_cmpuint (history->len, >=, 1);
      for (guint j = 0; j < notes->len; j++)
        {
          KlClaimNote *n = g_ptr_array_index (notes, j);
          any_client |= n->visibility == KL_CLAIM_NOTE_CLIENT;
          any_internal |= n->visibility == KL_CLAIM_NOTE_INTERNAL;
        }
    }
  g_assert_true (any_overdue);
  g_assert_true (any_docs);
  g_assert_true (any_client);
  g_assert_true (any_internal);

  /* every status of every lifecycle */
  for (int k = 0; k < KL_N_CLAIM_KINDS; k++)
    {
      gboolean freight = kl_claim_kind_is_freight (k);

      for (int s = 0; s < KL_N_CLAIM_STATUSES; s++)
        {
          if (!kl_claim_status_in_lifecycle (k, s))
            continue;
          /* each lifecycle fully; the freight lifecycle on damage claims */
          if (freight && k != KL_CLAIM_KIND_DAMAGE)
            continue;
          if (!seen[k][s])
            g_error ("no demo %s claim in status %s", kl_claim_kind_to_string (k),
                     kl_claim_status_to_string (s));
        }
    }
  for (int k = 0; k < KL_N_CLAIM_KINDS; k++)
    {
      gboolean any = FALSE;
      for (int s = 0; s < KL_N_CLAIM_STATUSES; s++)
        any |= seen[k][s];
      g_assert_true (any);
    }

  /* the same seed and now give the same cases */
  {
    g_autofree char *path2 = g_build_filename (f->dir, "demo2.db", NULL);
    g_autoptr(KlDatabase) db2 = kl_test_create_demo_workspace (path2, 6, 1, 202610);
    g_autoptr(GRand) rand2 = g_rand_new_with_seed (7);
    g_autoptr(GPtrArray) list2 = NULL;

    g_assert_true (kl_claim_store_clear_all (db2, &error));
    g_assert_true (kl_demo_add_claims (db2, rand2, now, &error));
    g_assert_no_error (error);
    list2 = kl_claim_store_list (db2, &filter, now, &error);
    g_assert_cmpuint (list2->len, ==, list->len);
    for (guint i = 0; i < list->len; i++)
      {
        KlClaim *c1 = g_ptr_array_index (list, i), *c2 = g_ptr_array_index (list2, i);
        g_assert_cmpstr (c1->number, ==, c2->number);
        g_assert_cmpint (c1->status, ==, c2->status);
        g_assert_cmpint (c1->filed_at, ==, c2->filed_at);
        g_assert_cmpstr (c1->waybill, ==, c2->waybill);
      }
  }

  /* demo --force empties claims, history included */
  g_assert_true (kl_claim_store_clear_all (db, &error));
  g_assert_no_error (error);
  g_clear_pointer (&list, g_ptr_array_unref);
  list = kl_claim_store_list (db, &filter, now, &error);
  g_assert_cmpuint (list->len, ==, 0);
}

static guint
verify_findings (Fixture *f, GPtrArray **out)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) findings = g_ptr_array_new_with_free_func (g_free);

  g_assert_true (kl_claim_history_verify (f->db, findings, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < findings->len; i++)
    g_test_message ("finding: %s", (const char *) g_ptr_array_index (findings, i));
  if (out != NULL)
    *out = g_ptr_array_ref (findings);
  return findings->len;
}

static gboolean
findings_mention (GPtrArray *findings, const char *text)
{
  for (guint i = 0; i < findings->len; i++)
    if (strstr (g_ptr_array_index (findings, i), text) != NULL)
      return TRUE;
  return FALSE;
}

/* Issue 12, defect 4: INSERT OR REPLACE named an existing seq and replaced
 * entry 1, since the triggers guarded only UPDATE and DELETE. */
static void
test_history_replace_refused (Fixture *f, gconstpointer data)
{
  gint64 t0 = utc (2026, 3, 2, 9, 0);
  g_autofree char *id = create (f, KL_CLAIM_KIND_DAMAGE, t0, 100000, NULL);
  sqlite3 *handle = kl_database_get_handle (f->db);
  g_autoptr(GPtrArray) before = NULL;
  g_autoptr(GPtrArray) after = NULL;
  KlClaimHistoryEntry *first;
  g_autofree char *sql = NULL;
  char *message = NULL;
  const char *recursive[] = { "PRAGMA recursive_triggers = OFF", "PRAGMA recursive_triggers = ON" };

  move_to (f, id, KL_CLAIM_STATUS_ACKNOWLEDGED, t0 + 86400);
  before = kl_claim_store_history (f->db, id, NULL);
  g_assert_cmpuint (before->len, ==, 2);
  first = g_ptr_array_index (before, 0);

  for (guint r = 0; r < G_N_ELEMENTS (recursive); r++)
    {
      g_assert_cmpint (sqlite3_exec (handle, recursive[r], NULL, NULL, NULL), ==, SQLITE_OK);
      /* replacing the first, the last, or slipping one in before them */
      for (int k = 0; k < 3; k++)
        {
          gint64 seq = k == 0 ? first->seq
                     : k == 1 ? ((KlClaimHistoryEntry *) g_ptr_array_index (before, 1))->seq
                     : -1;

          g_free (sql);
          sql = g_strdup_printf ("INSERT OR REPLACE INTO claim_history (seq, claim_id, at, by, change, field, "
                                 "old_value, new_value, prev_hash, hash) VALUES (%" G_GINT64_FORMAT ", '%s', 0, "
                                 "'mallory', 'created', 'status', NULL, 'approved', '', '')", seq, id);
          g_assert_cmpint (sqlite3_exec (handle, sql, NULL, NULL, &message), !=, SQLITE_OK);
          g_assert_nonnull (strstr (message, "append-only"));
          sqlite3_free (message);
          message = NULL;
        }
    }

  after = kl_claim_store_history (f->db, id, NULL);
  g_assert_cmpuint (after->len, ==, 2);
  g_assert_cmpstr (((KlClaimHistoryEntry *) g_ptr_array_index (after, 0))->by, ==, first->by);
  g_assert_cmpstr (((KlClaimHistoryEntry *) g_ptr_array_index (after, 0))->hash, ==, first->hash);
  g_assert_cmpuint (verify_findings (f, NULL), ==, 0);

  /* the store still appends */
  move_to (f, id, KL_CLAIM_STATUS_INVESTIGATING, t0 + 2 * 86400);
  g_assert_cmpuint (history_len (f, id), ==, 3);
  g_assert_cmpuint (verify_findings (f, NULL), ==, 0);
}

/* Each entry carries the hash of its content and of the one before it;
 * the check finds an edited entry, a removed one, and a status changed
 * without history. */
static void
test_history_chain (Fixture *f, gconstpointer data)
{
  gint64 t0 = utc (2026, 3, 2, 9, 0);
  g_autofree char *id = create (f, KL_CLAIM_KIND_DAMAGE, t0, 100000, NULL);
  g_autofree char *other = create (f, KL_CLAIM_KIND_DELAY, t0, 5000, NULL);
  g_autoptr(GPtrArray) history = NULL;
  g_autoptr(GPtrArray) findings = NULL;
  g_autoptr(KlClaim) c = NULL;
  sqlite3 *handle = kl_database_get_handle (f->db);
  g_autofree char *sql = NULL;
  KlClaimHistoryEntry *e0, *e1;

  move_to (f, id, KL_CLAIM_STATUS_ACKNOWLEDGED, t0 + 86400);
  move_to (f, id, KL_CLAIM_STATUS_INVESTIGATING, t0 + 2 * 86400);
  history = kl_claim_store_history (f->db, id, NULL);
  g_assert_cmpuint (history->len, ==, 3);
  e0 = g_ptr_array_index (history, 0);
  e1 = g_ptr_array_index (history, 1);
  g_assert_cmpint (e0->change, ==, KL_CLAIM_CHANGE_CREATED);
  g_assert_cmpint (e1->change, ==, KL_CLAIM_CHANGE_MOVED);
  g_assert_cmpstr (e0->prev_hash, ==, "");
  g_assert_cmpuint (strlen (e0->hash), ==, 64);
  g_assert_cmpstr (e1->prev_hash, ==, e0->hash);
  g_assert_cmpuint (verify_findings (f, NULL), ==, 0);
  c = kl_claim_store_get (f->db, other, t0, NULL);

  /* An edit past the guards (they are dropped by hand) shows. */
  g_assert_cmpint (sqlite3_exec (handle,
                                 "DROP TRIGGER claim_history_no_update;"
                                 "DROP TRIGGER claim_history_no_delete;", NULL, NULL, NULL), ==, SQLITE_OK);
  sql = g_strdup_printf ("UPDATE claim_history SET by = 'mallory' WHERE seq = %" G_GINT64_FORMAT, e1->seq);
  g_assert_cmpint (sqlite3_exec (handle, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpuint (verify_findings (f, &findings), ==, 1);
  g_assert_true (findings_mention (findings, "was changed after it was written"));
  g_assert_true (findings_mention (findings, c->number) == FALSE);
  g_clear_pointer (&findings, g_ptr_array_unref);

  /* A removed entry breaks the chain after it. */
  g_free (sql);
  sql = g_strdup_printf ("DELETE FROM claim_history WHERE seq = %" G_GINT64_FORMAT, e1->seq);
  g_assert_cmpint (sqlite3_exec (handle, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpuint (verify_findings (f, &findings), ==, 1);
  g_assert_true (findings_mention (findings, "does not follow the entry before it"));
  g_clear_pointer (&findings, g_ptr_array_unref);

  /* A status changed in claims with no history entry shows. */
  g_assert_cmpint (sqlite3_exec (handle, "UPDATE claims SET status = 'paid' WHERE kind = 'delay'",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpuint (verify_findings (f, &findings), ==, 2);
  g_assert_true (findings_mention (findings, c->number));
  g_assert_true (findings_mention (findings, "without a history entry"));
  g_clear_pointer (&findings, g_ptr_array_unref);

  /* A case whose history is gone shows. */
  g_free (sql);
  sql = g_strdup_printf ("DELETE FROM claim_history WHERE claim_id = '%s'", other);
  g_assert_cmpint (sqlite3_exec (handle, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpuint (verify_findings (f, &findings), ==, 2);
  g_assert_true (findings_mention (findings, "has no history"));
}

/* History is data, worded when read in the reader's language; nothing of
 * the writer's language is stored. */
static void
test_history_as_data (Fixture *f, gconstpointer data)
{
  gint64 t0 = utc (2026, 3, 2, 9, 0);
  g_autofree char *id = create (f, KL_CLAIM_KIND_DAMAGE, t0, 123450, NULL);
  g_autoptr(GPtrArray) history = NULL;
  g_autoptr(GError) error = NULL;
  KlClaimUpdate u = KL_CLAIM_UPDATE_INIT;
  KlClaimMove m = KL_CLAIM_MOVE_INIT;
  const char *expected[] = {
    "Opened as Filed, claiming 1234.50 CNY",
    "Set the owner to “Wang”",
    "Received the Photos",
    "Changed the claimed amount from 1234.50 CNY to 1300.00 CNY",
    "Added a note",
    "Moved from Filed to Withdrawn; reason: settled directly",
  };

  u.owner_set = TRUE;
  u.owner = "Wang";
  g_assert_true (kl_claim_store_update (f->db, id, &u, &error));
  u = (KlClaimUpdate) KL_CLAIM_UPDATE_INIT;
  u.documents_add = KL_CLAIM_DOCUMENT_BIT (KL_CLAIM_DOCUMENT_PHOTOS);
  g_assert_true (kl_claim_store_update (f->db, id, &u, &error));
  u = (KlClaimUpdate) KL_CLAIM_UPDATE_INIT;
  u.claimed_set = TRUE;
  u.claimed = 130000;
  g_assert_true (kl_claim_store_update (f->db, id, &u, &error));
  u = (KlClaimUpdate) KL_CLAIM_UPDATE_INIT;
  u.note = "called";
  g_assert_true (kl_claim_store_update (f->db, id, &u, &error));
  m.to = KL_CLAIM_STATUS_WITHDRAWN;
  m.reason = "settled directly";
  g_assert_true (kl_claim_store_move (f->db, id, &m, &error));
  g_assert_no_error (error);

  history = kl_claim_store_history (f->db, id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (history->len, ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < history->len; i++)
    {
      KlClaimHistoryEntry *e = g_ptr_array_index (history, i);
      g_autofree char *what = kl_claim_history_entry_describe (e);

      g_assert_cmpstr (what, ==, expected[i]);
      g_assert_null (e->legacy_text);
    }
  g_assert_cmpint (((KlClaimHistoryEntry *) g_ptr_array_index (history, 1))->change, ==, KL_CLAIM_CHANGE_FIELD);
  g_assert_cmpint (((KlClaimHistoryEntry *) g_ptr_array_index (history, 2))->change, ==, KL_CLAIM_CHANGE_DOCUMENT);
  g_assert_cmpint (((KlClaimHistoryEntry *) g_ptr_array_index (history, 4))->change, ==, KL_CLAIM_CHANGE_NOTE);
  g_assert_cmpstr (((KlClaimHistoryEntry *) g_ptr_array_index (history, 5))->reason, ==, "settled directly");
  g_assert_cmpuint (verify_findings (f, NULL), ==, 0);
}

/* Issue 12, defect 14: claims.md requires an ISO 4217 code; "XYZ" passed
 * because any three capitals did. */
static void
test_currency_iso_4217 (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  KlClaimNew in = KL_CLAIM_NEW_INIT;
  g_autofree char *id = NULL;
  const char *bad[] = { "XYZ", "cny", "CN", "CNYY", "", "ABC", "XAU", "HRK" };
  const char *good[] = { "CNY", "USD", "EUR", "JPY", "KWD", "HKD" };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    g_assert_false (kl_currency_is_valid (bad[i]));
  g_assert_false (kl_currency_is_valid (NULL));
  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    g_assert_true (kl_currency_is_valid (good[i]));
  g_assert_cmpint (kl_currency_decimals ("JPY"), ==, 0);
  g_assert_cmpint (kl_currency_decimals ("KWD"), ==, 3);
  g_assert_cmpint (kl_currency_decimals ("CNY"), ==, 2);
  {
    g_autofree char *text = kl_money_format (1234567, "KWD");
    gint64 minor = 0;
    g_assert_cmpstr (text, ==, "1234.567");
    g_assert_true (kl_money_parse ("1234.567", "KWD", &minor, NULL));
    g_assert_cmpint (minor, ==, 1234567);
  }

  in.customer_id = f->customer;
  in.kind = KL_CLAIM_KIND_DAMAGE;
  in.claimed_set = TRUE;
  in.claimed = 100;
  in.currency = "XYZ";
  id = kl_claim_store_create (f->db, &in, &error);
  g_assert_null (id);
  g_assert_error (error, KL_CLAIM_ERROR, KL_CLAIM_ERROR_AMOUNT);
  g_assert_nonnull (strstr (error->message, "XYZ"));
  g_assert_nonnull (strstr (error->message, "ISO 4217"));
  g_clear_error (&error);

  /* and an update that sets the first amount */
  in.claimed_set = FALSE;
  in.currency = NULL;
  id = kl_claim_store_create (f->db, &in, &error);
  g_assert_no_error (error);
  {
    KlClaimUpdate u = KL_CLAIM_UPDATE_INIT;

    u.claimed_set = TRUE;
    u.claimed = 100;
    u.currency = "XYZ";
    g_assert_false (kl_claim_store_update (f->db, id, &u, &error));
    g_assert_error (error, KL_CLAIM_ERROR, KL_CLAIM_ERROR_AMOUNT);
    g_clear_error (&error);
    u.currency = "USD";
    g_assert_true (kl_claim_store_update (f->db, id, &u, &error));
    g_assert_no_error (error);
  }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, fn) g_test_add ("/claim-store/" path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
  ADD ("create-each-kind", test_create_each_kind);
  ADD ("numbers", test_numbers);
  ADD ("freight-path", test_freight_path);
  ADD ("return-path", test_return_path);
  ADD ("complaint-path", test_complaint_path);
  ADD ("amounts", test_amounts);
  ADD ("history", test_history);
  ADD ("deadlines", test_deadlines);
  ADD ("deadlines-time-zone", test_deadlines_time_zone);
  ADD ("shipment-link", test_shipment_link);
  ADD ("notes", test_notes);
  ADD ("outbox", test_outbox);
  ADD ("period-summary", test_period_summary);
  ADD ("demo-claims", test_demo_claims);
  ADD ("history-replace-refused", test_history_replace_refused);
  ADD ("history-chain", test_history_chain);
  ADD ("history-as-data", test_history_as_data);
  ADD ("currency-iso-4217", test_currency_iso_4217);
#undef ADD

  return g_test_run ();
}
