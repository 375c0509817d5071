/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Rollups: each shipment's contribution per docs/kpi.md, and the stored
 * rollups equal to a recomputation from facts after random changes. */

#include <math.h>

#include "kl-database-private.h"
#include "kl-customer-store.h"
#include "kl-database.h"
#include "kl-shipment-store.h"
#include "kl-shipment-store-private.h"
#include "kl-test-util.h"

typedef struct {
  char       *dir;
  KlDatabase *db;
  char       *customer_id[3];
} Fixture;

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  f->dir = kl_test_make_tmp_dir ("keyline-test-XXXXXX");
  path = g_build_filename (f->dir, "workspace.db", NULL);
  f->db = kl_test_create_workspace (path);
  g_assert_true (kl_rollup_set_timezone (f->db, "Asia/Shanghai", &error));
  kl_test_add_numbered_customers (f->db, f->customer_id, G_N_ELEMENTS (f->customer_id));
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  g_clear_object (&f->db);
  for (guint i = 0; i < G_N_ELEMENTS (f->customer_id); i++)
    g_free (f->customer_id[i]);
  g_assert_true (kl_test_remove_tree (f->dir));
  g_free (f->dir);
}

static KlShipment *
make_shipment (const char *waybill, const char *customer_id, const char *planned_pickup)
{
  KlShipment *s = kl_shipment_new ();

  s->waybill = g_strdup (waybill);
  s->customer_id = g_strdup (customer_id);
  s->status = KL_SHIPMENT_STATUS_DELIVERED;
  s->pieces = 10;
  s->planned_pickup_at = kl_test_unix_time (planned_pickup);
  s->planned_delivery_at = s->planned_pickup_at + 86400;
  return s;
}

static void
test_contribution (void)
{
  g_autoptr(GTimeZone) tz = g_time_zone_new_identifier ("Asia/Shanghai");
  g_autoptr(KlShipment) s = kl_shipment_new ();
  KlRollupCounts c;
  int month;

  s->waybill = g_strdup ("W1");
  s->pieces = 7;
  s->weight_g = 1500;
  s->volume_cm3 = -1;
  /* 2026-09-30 16:30 UTC is 2026-10-01 00:30 in Shanghai: an October shipment. */
  s->planned_pickup_at = kl_test_unix_time ("2026-09-30T16:30:00Z");
  s->planned_delivery_at = kl_test_unix_time ("2026-10-02T10:00:00+08:00");

  g_assert_true (kl_shipment_rollup (s, tz, 0, 0, &month, &c));
  g_assert_cmpint (month, ==, 202610);
  g_assert_cmpint (c.v[KL_RC_SHIPMENTS], ==, 1);
  g_assert_cmpint (c.v[KL_RC_PIECES], ==, 7);
  g_assert_cmpint (c.v[KL_RC_WEIGHT_G], ==, 1500);
  g_assert_cmpint (c.v[KL_RC_VOLUME_CM3], ==, 0);
  g_assert_cmpint (c.v[KL_RC_DISPATCHED], ==, 0);
  g_assert_cmpint (c.v[KL_RC_DELIVERED], ==, 0);
  g_assert_cmpint (c.v[KL_RC_DOCS_KNOWN], ==, 0);

  /* Picked up exactly at the planned instant: on time (equality counts). */
  s->picked_up_at = s->planned_pickup_at;
  g_assert_true (kl_shipment_rollup (s, tz, 0, 0, &month, &c));
  g_assert_cmpint (c.v[KL_RC_DISPATCHED_ON_TIME], ==, 1);
  /* One second late without grace: late; with one minute of grace: on time. */
  s->picked_up_at = s->planned_pickup_at + 1;
  g_assert_true (kl_shipment_rollup (s, tz, 0, 0, &month, &c));
  g_assert_cmpint (c.v[KL_RC_DISPATCHED], ==, 1);
  g_assert_cmpint (c.v[KL_RC_DISPATCHED_ON_TIME], ==, 0);
  g_assert_true (kl_shipment_rollup (s, tz, 1, 0, &month, &c));
  g_assert_cmpint (c.v[KL_RC_DISPATCHED_ON_TIME], ==, 1);
  s->picked_up_at = s->planned_pickup_at + 61;
  g_assert_true (kl_shipment_rollup (s, tz, 1, 0, &month, &c));
  g_assert_cmpint (c.v[KL_RC_DISPATCHED_ON_TIME], ==, 0);

  /* Delivered on time with damage: not OTIF; damage counted. */
  s->delivered_at = s->planned_delivery_at + 30 * 60;
  s->damaged_pieces = 2;
  s->order_accurate = KL_TRI_UNKNOWN;
  g_assert_true (kl_shipment_rollup (s, tz, 0, 30, &month, &c));
  g_assert_cmpint (c.v[KL_RC_DELIVERED], ==, 1);
  g_assert_cmpint (c.v[KL_RC_DELIVERED_ON_TIME], ==, 1);
  g_assert_cmpint (c.v[KL_RC_DELIVERED_PIECES], ==, 7);
  g_assert_cmpint (c.v[KL_RC_DAMAGED_PIECES], ==, 2);
  g_assert_cmpint (c.v[KL_RC_DAMAGE_INCIDENTS], ==, 1);
  g_assert_cmpint (c.v[KL_RC_OTIF], ==, 0);
  s->damaged_pieces = 0;
  g_assert_true (kl_shipment_rollup (s, tz, 0, 30, &month, &c));
  g_assert_cmpint (c.v[KL_RC_OTIF], ==, 1);           /* order_accurate unknown is "not false" */
  s->order_accurate = KL_TRI_FALSE;
  g_assert_true (kl_shipment_rollup (s, tz, 0, 30, &month, &c));
  g_assert_cmpint (c.v[KL_RC_OTIF], ==, 0);
  g_assert_cmpint (c.v[KL_RC_ORDER_KNOWN], ==, 1);
  g_assert_cmpint (c.v[KL_RC_ORDER_OK], ==, 0);

  /* Damage on an undelivered shipment does not count. */
  s->delivered_at = KL_NO_TIME;
  s->short_pieces = 3;
  g_assert_true (kl_shipment_rollup (s, tz, 0, 30, &month, &c));
  g_assert_cmpint (c.v[KL_RC_SHORT_PIECES], ==, 0);
  g_assert_cmpint (c.v[KL_RC_SHORTAGE_INCIDENTS], ==, 0);

  s->status = KL_SHIPMENT_STATUS_CANCELLED;
  g_assert_false (kl_shipment_rollup (s, tz, 0, 0, &month, &c));
  g_assert_cmpint (c.v[KL_RC_SHIPMENTS], ==, 0);
}

static void
test_save_updates_rollups (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KlShipment) s = make_shipment ("SF123", f->customer_id[0], "2026-10-03T08:30:00+08:00");
  KlRollupCounts total;
  KlUpsertResult result;

  g_assert_true (kl_shipment_store_save (f->db, s, &result, &error));
  g_assert_no_error (error);
  g_assert_cmpint (result, ==, KL_UPSERT_NEW);
  g_assert_true (kl_rollup_read_total (f->db, f->customer_id[0], 202610, 202610, &total, &error));
  g_assert_cmpint (total.v[KL_RC_SHIPMENTS], ==, 1);
  g_assert_cmpint (total.v[KL_RC_PIECES], ==, 10);

  /* Same content again: unchanged. */
  g_assert_true (kl_shipment_store_save (f->db, s, &result, &error));
  g_assert_cmpint (result, ==, KL_UPSERT_UNCHANGED);

  /* Moving it to November moves its figures. */
  s->planned_pickup_at = kl_test_unix_time ("2026-11-01T08:00:00+08:00");
  g_assert_true (kl_shipment_store_save (f->db, s, &result, &error));
  g_assert_cmpint (result, ==, KL_UPSERT_UPDATED);
  g_assert_true (kl_rollup_read_total (f->db, f->customer_id[0], 202610, 202610, &total, &error));
  g_assert_cmpint (total.v[KL_RC_SHIPMENTS], ==, 0);
  g_assert_true (kl_rollup_read_total (f->db, NULL, 202611, 202611, &total, &error));
  g_assert_cmpint (total.v[KL_RC_SHIPMENTS], ==, 1);

  /* Cancelling it takes it out of every figure. */
  s->status = KL_SHIPMENT_STATUS_CANCELLED;
  g_assert_true (kl_shipment_store_save (f->db, s, &result, &error));
  g_assert_true (kl_rollup_read_total (f->db, NULL, 202601, 202612, &total, &error));
  g_assert_cmpint (total.v[KL_RC_SHIPMENTS], ==, 0);

  /* A customer that does not exist is refused by the foreign key. */
  g_free (s->customer_id);
  s->customer_id = g_strdup ("no-such-customer");
  s->status = KL_SHIPMENT_STATUS_BOOKED;
  g_assert_false (kl_shipment_store_save (f->db, s, &result, &error));
  g_assert_nonnull (error);
}

/* An update without a server revision (import, local edit) keeps the
 * revision the stored copy is based on: sync needs it. */
static void
test_update_keeps_revision (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KlShipment) s = make_shipment ("REV1", f->customer_id[0], "2026-10-03T08:30:00+08:00");
  g_autoptr(KlShipment) stored = NULL;
  KlUpsertResult result;

  g_assert_true (kl_shipment_store_save (f->db, s, &result, &error));
  g_assert_no_error (error);
  g_assert_true (kl_database_exec (f->db, "UPDATE shipments SET revision = 7 WHERE waybill = 'REV1'", &error));

  s->revision = 0;
  s->pieces = 11;
  g_assert_true (kl_shipment_store_save (f->db, s, &result, &error));
  g_assert_cmpint (result, ==, KL_UPSERT_UPDATED);
  stored = kl_shipment_store_get (f->db, "REV1", &error);
  g_assert_no_error (error);
  g_assert_cmpint (stored->pieces, ==, 11);
  g_assert_cmpint (stored->revision, ==, 7);
}

/* One customer's shipments, read through the customer index bucket by
 * bucket (2^21 s each): every one of the span, none of another customer,
 * in pickup order, the bounds exact at a bucket's edges, through the index. */
static void
test_customer_span (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GPtrArray) part = NULL;
  g_autoptr(GPtrArray) none = NULL;
  g_autoptr(GString) plan = g_string_new (NULL);
  const gint64 bucket = (gint64) 1 << 21;
  /* A bucket's edge in 2026, then shipments over eight buckets (six months). */
  const gint64 edge = (kl_test_unix_time ("2026-03-01T00:00:00Z") / bucket) * bucket;
  const gint64 at[] = { edge - 1, edge, edge + 1, edge + bucket - 1, edge + bucket,
                        edge + 3 * bucket + 77, edge + 7 * bucket + 5, edge - 2 * bucket };
  sqlite3_stmt *stmt;
  KlUpsertResult result;

  for (guint i = 0; i < G_N_ELEMENTS (at); i++)
    for (guint c = 0; c < 2; c++)
      {
        g_autofree char *waybill = g_strdup_printf ("SPAN-%u-%u", c, i);
        g_autoptr(KlShipment) s = make_shipment (waybill, f->customer_id[c], "2026-03-01T00:00:00Z");

        s->planned_pickup_at = at[i] + c;
        s->planned_delivery_at = s->planned_pickup_at + 86400;
        g_assert_true (kl_shipment_store_save (f->db, s, &result, &error));
        g_assert_no_error (error);
      }

  all = kl_shipment_store_list (f->db, f->customer_id[0], G_MININT64, G_MAXINT64, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (all->len, ==, G_N_ELEMENTS (at));
  for (guint i = 0; i < all->len; i++)
    {
      KlShipment *s = g_ptr_array_index (all, i);

      g_assert_cmpstr (s->customer_id, ==, f->customer_id[0]);
      if (i > 0)
        g_assert_cmpint (s->planned_pickup_at, >, ((KlShipment *) g_ptr_array_index (all, i - 1))->planned_pickup_at);
    }
  g_assert_cmpint (((KlShipment *) g_ptr_array_index (all, 0))->planned_pickup_at, ==, edge - 2 * bucket);
  g_assert_cmpint (((KlShipment *) g_ptr_array_index (all, all->len - 1))->planned_pickup_at, ==, edge + 7 * bucket + 5);

  /* [edge, edge + bucket]: the bucket's first and last second, and the next one's first. */
  part = kl_shipment_store_list (f->db, f->customer_id[0], edge, edge + bucket + 1, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (part->len, ==, 4);
  g_assert_cmpint (((KlShipment *) g_ptr_array_index (part, 0))->planned_pickup_at, ==, edge);
  g_assert_cmpint (((KlShipment *) g_ptr_array_index (part, 3))->planned_pickup_at, ==, edge + bucket);
  g_clear_pointer (&part, g_ptr_array_unref);
  /* The same, two at most. */
  part = kl_shipment_store_list (f->db, f->customer_id[0], edge, edge + bucket + 1, 2, &error);
  g_assert_cmpuint (part->len, ==, 2);
  g_assert_cmpint (((KlShipment *) g_ptr_array_index (part, 1))->planned_pickup_at, ==, edge + 1);

  none = kl_shipment_store_list (f->db, "no-such-customer", G_MININT64, G_MAXINT64, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (none->len, ==, 0);

  /* The plan walks the index, never the whole table. */
  g_assert_cmpint (sqlite3_prepare_v2 (kl_database_get_handle (f->db),
                                       "EXPLAIN QUERY PLAN " SHIPMENT_CUSTOMER_SPAN_SQL, -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_string_append_printf (plan, "%s\n", (const char *) sqlite3_column_text (stmt, 3));
  sqlite3_finalize (stmt);
  g_assert_nonnull (strstr (plan->str, "SEARCH s USING INDEX shipments_customer"));
  g_assert_null (strstr (plan->str, "SCAN s\n"));
  g_assert_null (strstr (plan->str, "SCAN shipments\n"));
}

static void
test_agreement_grace_rebuilds (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KlShipment) s = make_shipment ("G1", f->customer_id[1], "2026-10-10T09:00:00+08:00");
  g_autoptr(KlAgreement) a = kl_agreement_new ();
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
  KlRollupCounts total;

  s->picked_up_at = s->planned_pickup_at + 20 * 60;
  g_assert_true (kl_shipment_store_save (f->db, s, NULL, &error));
  g_assert_true (kl_rollup_read_total (f->db, f->customer_id[1], 202610, 202610, &total, &error));
  g_assert_cmpint (total.v[KL_RC_DISPATCHED_ON_TIME], ==, 0);

  a->customer_id = g_strdup (f->customer_id[1]);
  a->effective_from = g_strdup ("2026-01-01");
  a->dispatch_grace_min = 30;
  g_assert_true (kl_agreement_store_save (f->db, a, &error));
  g_assert_no_error (error);
  g_assert_true (kl_rollup_read_total (f->db, f->customer_id[1], 202610, 202610, &total, &error));
  g_assert_cmpint (total.v[KL_RC_DISPATCHED_ON_TIME], ==, 1);

  /* An agreement ending before the service date does not apply. */
  g_free (a->effective_to);
  a->effective_to = g_strdup ("2026-10-09");
  g_assert_true (kl_agreement_store_save (f->db, a, &error));
  g_assert_true (kl_rollup_read_total (f->db, f->customer_id[1], 202610, 202610, &total, &error));
  g_assert_cmpint (total.v[KL_RC_DISPATCHED_ON_TIME], ==, 0);

  g_assert_true (kl_rollup_check (f->db, problems, &error));
  g_assert_cmpuint (problems->len, ==, 0);
}

static void
test_timezone_change_rebuilds (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  /* 2026-10-31 20:00 UTC: November in Shanghai, October in UTC. */
  g_autoptr(KlShipment) s = make_shipment ("TZ1", f->customer_id[2], "2026-10-31T20:00:00Z");
  KlRollupCounts total;

  g_assert_true (kl_shipment_store_save (f->db, s, NULL, &error));
  g_assert_true (kl_rollup_read_total (f->db, NULL, 202611, 202611, &total, &error));
  g_assert_cmpint (total.v[KL_RC_SHIPMENTS], ==, 1);
  g_assert_true (kl_rollup_set_timezone (f->db, "UTC", &error));
  g_assert_true (kl_rollup_read_total (f->db, NULL, 202611, 202611, &total, &error));
  g_assert_cmpint (total.v[KL_RC_SHIPMENTS], ==, 0);
  g_assert_true (kl_rollup_read_total (f->db, NULL, 202610, 202610, &total, &error));
  g_assert_cmpint (total.v[KL_RC_SHIPMENTS], ==, 1);
}

static const char * const regions[] = { "华东", "华南", "华北", "西南", NULL };

static void
randomize (KlShipment *s, GRand *rand, Fixture *f)
{
  gint64 base = kl_test_unix_time ("2025-01-01T00:00:00+08:00");

  g_free (s->customer_id);
  s->customer_id = g_strdup (f->customer_id[g_rand_int_range (rand, 0, 3)]);
  s->status = g_rand_int_range (rand, 0, KL_N_SHIPMENT_STATUSES);
  s->pieces = g_rand_int_range (rand, 0, 50);
  s->weight_g = g_rand_boolean (rand) ? g_rand_int_range (rand, 0, 100000) : -1;
  s->volume_cm3 = g_rand_boolean (rand) ? g_rand_int_range (rand, 0, 1000000) : -1;
  s->planned_pickup_at = base + g_rand_int_range (rand, 0, 730 * 86400);
  s->picked_up_at = g_rand_boolean (rand) ? s->planned_pickup_at + g_rand_int_range (rand, -3600, 7200) : KL_NO_TIME;
  s->planned_delivery_at = s->planned_pickup_at + g_rand_int_range (rand, 3600, 5 * 86400);
  s->delivered_at = g_rand_boolean (rand) ? s->planned_delivery_at + g_rand_int_range (rand, -7200, 7200) : KL_NO_TIME;
  s->documents_ok = g_rand_int_range (rand, -1, 2);
  s->order_accurate = g_rand_int_range (rand, -1, 2);
  s->damaged_pieces = g_rand_int_range (rand, 0, 10) == 0 ? g_rand_int_range (rand, 1, 3) : 0;
  s->short_pieces = g_rand_int_range (rand, 0, 10) == 0 ? g_rand_int_range (rand, 1, 3) : 0;
  s->incident = g_rand_int_range (rand, 0, 20) == 0;
  g_free (s->origin_region);
  g_free (s->dest_region);
  s->origin_region = g_strdup (regions[g_rand_int_range (rand, 0, 5)]);
  s->dest_region = g_strdup (regions[g_rand_int_range (rand, 0, 5)]);
  /* schema 6: mode, revenue in the workspace currency or another */
  s->mode = g_rand_int_range (rand, 0, KL_N_MODES);
  s->revenue_minor = g_rand_int_range (rand, 0, 4) == 0 ? -1 : g_rand_int_range (rand, 0, 1000000);
  g_free (s->currency);
  s->currency = g_rand_int_range (rand, 0, 5) == 0 ? g_strdup ("USD") : NULL;
}

static void
test_random_changes_match_facts (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (g_test_rand_int ());
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(KlAgreement) a = kl_agreement_new ();
  KlRollupCounts total;
  guint n_live = 0;
  gboolean live[400] = { FALSE };

  a->customer_id = g_strdup (f->customer_id[0]);
  a->effective_from = g_strdup ("2025-06-01");
  a->dispatch_grace_min = 15;
  a->delivery_grace_min = 60;
  g_assert_true (kl_agreement_store_save (f->db, a, &error));

  g_assert_true (kl_database_begin (f->db, &error));
  for (guint step = 0; step < 3000; step++)
    {
      guint n = g_rand_int_range (rand, 0, G_N_ELEMENTS (live));
      g_autofree char *waybill = g_strdup_printf ("WB%05u", n);
      int op = g_rand_int_range (rand, 0, 10);

      if (live[n] && op < 2)
        {
          g_assert_true (kl_shipment_store_delete (f->db, waybill, &error));
          g_assert_no_error (error);
          live[n] = FALSE;
        }
      else
        {
          g_autoptr(KlShipment) s = kl_shipment_new ();

          s->waybill = g_steal_pointer (&waybill);
          randomize (s, rand, f);
          g_assert_true (kl_shipment_store_save (f->db, s, NULL, &error));
          g_assert_no_error (error);
          live[n] = TRUE;
        }
    }
  g_assert_true (kl_database_commit (f->db, &error));

  for (guint i = 0; i < G_N_ELEMENTS (live); i++)
    n_live += live[i];

  g_assert_true (kl_rollup_check (f->db, problems, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < problems->len; i++)
    g_test_message ("%s", (char *) g_ptr_array_index (problems, i));
  g_assert_cmpuint (problems->len, ==, 0);

  /* The totals count every live shipment but the cancelled ones. */
  {
    sqlite3_stmt *stmt = kl_database_prepare (f->db, "SELECT count(*) FROM shipments WHERE status != 'cancelled'", &error);
    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
    g_assert_true (kl_rollup_read_total (f->db, NULL, 190001, 299912, &total, &error));
    g_assert_cmpint (total.v[KL_RC_SHIPMENTS], ==, sqlite3_column_int64 (stmt, 0));
    sqlite3_reset (stmt);
  }
  g_assert_cmpuint (n_live, >, 0);

  /* Corrupting one stored figure is found. */
  g_assert_true (kl_database_exec (f->db, "UPDATE rollup_month SET pieces = pieces + 1 WHERE month = "
                                         "(SELECT min(month) FROM rollup_month)", &error));
  g_assert_true (kl_rollup_check (f->db, problems, &error));
  g_assert_cmpuint (problems->len, >, 0);

  /* A rebuild repairs it. */
  g_ptr_array_set_size (problems, 0);
  g_assert_true (kl_rollup_rebuild (f->db, NULL, &error));
  g_assert_true (kl_rollup_check (f->db, problems, &error));
  g_assert_cmpuint (problems->len, ==, 0);

  /* A figure that overflowed into a float is found although its value,
   * read as an integer, would compare equal; a rebuild repairs it. */
  g_assert_true (kl_database_exec (f->db, "UPDATE rollup_month SET weight_g = 9223372036854775807 + 1.0 WHERE month = "
                                         "(SELECT min(month) FROM rollup_month)", &error));
  g_assert_true (kl_rollup_check (f->db, problems, &error));
  g_assert_cmpuint (problems->len, >, 0);
  g_assert_nonnull (strstr (g_ptr_array_index (problems, 0), "weight_g"));
  g_ptr_array_set_size (problems, 0);
  g_assert_true (kl_rollup_rebuild (f->db, NULL, &error));
  g_assert_true (kl_rollup_check (f->db, problems, &error));
  g_assert_cmpuint (problems->len, ==, 0);
}

/* A time zone that is not one changes nothing: setting and figures stay. */
static void
test_timezone_refused (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
  const char *before = kl_database_get_timezone_name (f->db);
  g_autofree char *saved = g_strdup (before);

  g_assert_false (kl_rollup_set_timezone (f->db, "Mars/Olympus", &error));
  g_assert_error (error, KL_DATABASE_ERROR, KL_DATABASE_ERROR_INVALID);
  g_assert_cmpstr (kl_database_get_timezone_name (f->db), ==, saved);
  g_assert_false (kl_database_in_transaction (f->db));
  g_assert_true (kl_rollup_check (f->db, problems, NULL));
  g_assert_cmpuint (problems->len, ==, 0);
}

int
main (int argc, char **argv)
{
  g_setenv ("TZ", "UTC", TRUE);
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/rollup/contribution", test_contribution);
  g_test_add ("/rollup/save-updates", Fixture, NULL, fixture_setup, test_save_updates_rollups, fixture_teardown);
  g_test_add ("/rollup/update-keeps-revision", Fixture, NULL, fixture_setup, test_update_keeps_revision, fixture_teardown);
  g_test_add ("/rollup/customer-span", Fixture, NULL, fixture_setup, test_customer_span, fixture_teardown);
  g_test_add ("/rollup/agreement-grace", Fixture, NULL, fixture_setup, test_agreement_grace_rebuilds, fixture_teardown);
  g_test_add ("/rollup/timezone-change", Fixture, NULL, fixture_setup, test_timezone_change_rebuilds, fixture_teardown);
  g_test_add ("/rollup/random-changes", Fixture, NULL, fixture_setup, test_random_changes_match_facts, fixture_teardown);
  g_test_add ("/rollup/timezone-refused", Fixture, NULL, fixture_setup, test_timezone_refused, fixture_teardown);
  return g_test_run ();
}
