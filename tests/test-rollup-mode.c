/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Schema 6: the transit buckets, the rollup per customer, month and mode
 * against a recomputation from the shipments (after bulk adds, updates,
 * synced adds and removals), the bulk writer's back-office ids, and the
 * import of revenue and currency. */

#include <string.h>

#include "kl-agreement-store.h"
#include "kl-database-private.h"
#include "kl-import.h"
#include "kl-rollup-mode.h"
#include "kl-shipment-bulk.h"
#include "kl-shipment-store.h"
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

/* Buckets: ceil (days), 0 when ≤ 0, 31 beyond 30 days; from the pickup, or
 * the planned one when there was none on record. */
static void
test_transit_buckets (void)
{
  g_autoptr(KlShipment) s = kl_shipment_new ();
  const gint64 day = 86400, t0 = 1767571200;

  s->planned_pickup_at = t0;
  s->planned_delivery_at = t0 + day;
  g_assert_cmpint (kl_transit_bucket (s), ==, -1);            /* not delivered */

  s->picked_up_at = t0 + 3600;
  s->delivered_at = t0 + 3600 + 2 * day;                     /* exactly 48 h */
  g_assert_cmpint (kl_transit_bucket (s), ==, 2);
  s->delivered_at += 1;                                      /* one second more */
  g_assert_cmpint (kl_transit_bucket (s), ==, 3);
  s->delivered_at = t0 + 3600 + 1;
  g_assert_cmpint (kl_transit_bucket (s), ==, 1);
  s->delivered_at = t0 + 3600;                               /* no time at all */
  g_assert_cmpint (kl_transit_bucket (s), ==, 0);
  s->delivered_at = t0;                                      /* before the pickup */
  g_assert_cmpint (kl_transit_bucket (s), ==, 0);

  s->picked_up_at = KL_NO_TIME;                              /* from the planned pickup */
  s->delivered_at = t0 + 5 * day;
  g_assert_cmpint (kl_transit_bucket (s), ==, 5);
  s->delivered_at = t0 + 30 * day;
  g_assert_cmpint (kl_transit_bucket (s), ==, 30);
  s->delivered_at = t0 + 30 * day + 1;
  g_assert_cmpint (kl_transit_bucket (s), ==, 31);
  s->delivered_at = t0 + 400 * day;
  g_assert_cmpint (kl_transit_bucket (s), ==, 31);

  /* within L days = buckets 0..L */
  {
    KlRollupModeCounts c = { { 0 } };

    for (int i = 0; i < KL_TRANSIT_BUCKETS; i++)
      c.v[KL_RM_TRANSIT_0 + i] = i + 1;
    g_assert_cmpint (kl_rollup_mode_within_days (&c, 0), ==, 1);
    g_assert_cmpint (kl_rollup_mode_within_days (&c, 2), ==, 1 + 2 + 3);
    g_assert_cmpint (kl_rollup_mode_within_days (&c, 30), ==, 31 * 32 / 2);
    g_assert_cmpint (kl_rollup_mode_within_days (&c, 99), ==, 32 * 33 / 2);
  }

  /* a cancelled shipment counts nowhere */
  {
    KlRollupModeCounts c;

    s->status = KL_SHIPMENT_STATUS_CANCELLED;
    g_assert_false (kl_shipment_rollup_mode (s, 0, &c));
    g_assert_cmpint (c.v[KL_RM_SHIPMENTS], ==, 0);
  }
}

static const char * const currencies[] = { NULL, NULL, NULL, "CNY", "USD", "JPY" };

static void
randomize (KlShipment *s, GRand *rand, Fixture *f)
{
  gint64 base = kl_test_unix_time ("2025-01-01T00:00:00+08:00");
  const gint64 day = 86400;

  g_free (s->customer_id);
  s->customer_id = g_strdup (f->customer_id[g_rand_int_range (rand, 0, 3)]);
  s->status = g_rand_int_range (rand, 0, KL_N_SHIPMENT_STATUSES);
  s->mode = g_rand_int_range (rand, 0, KL_N_MODES);
  s->pieces = g_rand_int_range (rand, 0, 50);
  s->weight_g = g_rand_boolean (rand) ? g_rand_int_range (rand, 0, 100000) : -1;
  s->planned_pickup_at = base + g_rand_int_range (rand, 0, 400) * 3600 * 12;
  s->picked_up_at = g_rand_boolean (rand) ? s->planned_pickup_at + g_rand_int_range (rand, -1, 3) * 3600 : KL_NO_TIME;
  s->planned_delivery_at = s->planned_pickup_at + g_rand_int_range (rand, 1, 6) * day;
  switch (g_rand_int_range (rand, 0, 5))
    {
    case 0:
      s->delivered_at = KL_NO_TIME;
      break;
    case 1:   /* a whole number of days after the pickup, the edge of a bucket */
      s->delivered_at = (s->picked_up_at != KL_NO_TIME ? s->picked_up_at : s->planned_pickup_at) +
                        g_rand_int_range (rand, 0, 4) * day;
      break;
    case 2:   /* beyond 30 days */
      s->delivered_at = s->planned_pickup_at + g_rand_int_range (rand, 30, 40) * day + g_rand_int_range (rand, 0, 2);
      break;
    default:
      s->delivered_at = s->planned_delivery_at + g_rand_int_range (rand, -7200, 7200);
    }
  s->revenue_minor = g_rand_int_range (rand, 0, 4) == 0 ? -1 : g_rand_int_range (rand, 0, 10000000);
  g_free (s->currency);
  s->currency = g_strdup (currencies[g_rand_int_range (rand, 0, G_N_ELEMENTS (currencies))]);
}

/* The per-(customer, mode) sums recomputed from the shipments in SQL. */
static GHashTable *
recompute (Fixture *f)
{
  GHashTable *table = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  GString *sql = g_string_new ("SELECT c.id, coalesce(s.mode, ''), count(*), "
                               "sum(CASE WHEN s.weight_g > 0 THEN s.weight_g ELSE 0 END), "
                               "sum(CASE WHEN s.revenue_minor IS NOT NULL AND s.currency IS NULL THEN s.revenue_minor ELSE 0 END), "
                               "sum(s.revenue_minor IS NOT NULL AND s.currency IS NULL), "
                               "sum(s.revenue_minor IS NOT NULL AND s.currency IS NOT NULL), "
                               "sum(s.delivered_at IS NOT NULL), "
                               "sum(s.delivered_at IS NOT NULL AND s.delivered_at <= s.planned_delivery_at + "
                               "    coalesce((SELECT a.delivery_grace_min FROM agreements a WHERE a.customer_id = c.id), 0) * 60)");
  sqlite3_stmt *stmt;

  for (int i = 0; i < KL_TRANSIT_BUCKETS; i++)
    g_string_append_printf (sql, ", sum(s.delivered_at IS NOT NULL AND "
                                 "CASE WHEN s.delivered_at - coalesce(s.picked_up_at, s.planned_pickup_at) <= 0 THEN 0 "
                                 "ELSE min(31, (s.delivered_at - coalesce(s.picked_up_at, s.planned_pickup_at) + 86399) / 86400) END = %d)",
                            i);
  g_string_append (sql, " FROM shipments s JOIN customers c ON c.ref = s.customer_ref "
                        "WHERE s.status <> 'cancelled' GROUP BY 1, 2");
  g_assert_cmpint (sqlite3_prepare_v2 (kl_database_get_handle (f->db), sql->str, -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      KlRollupModeCounts *c = g_new0 (KlRollupModeCounts, 1);

      for (int i = 0; i < KL_RM_N; i++)
        c->v[i] = sqlite3_column_int64 (stmt, 2 + i);
      g_hash_table_insert (table, g_strdup_printf ("%s/%s", sqlite3_column_text (stmt, 0), sqlite3_column_text (stmt, 1)), c);
    }
  sqlite3_finalize (stmt);
  g_string_free (sql, TRUE);
  return table;
}

static void
assert_matches_recomputation (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) expected = recompute (f);
  g_autoptr(GArray) rows = kl_rollup_mode_query (f->db, NULL, 190001, 299912, &error);
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);

  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, g_hash_table_size (expected));
  for (guint r = 0; r < rows->len; r++)
    {
      KlRollupModeRow *row = &g_array_index (rows, KlRollupModeRow, r);
      g_autofree char *key = g_strdup_printf ("%s/%s", row->customer_id,
                                              row->mode == KL_MODE_NONE ? "" : kl_shipment_mode_to_string (row->mode));
      KlRollupModeCounts *c = g_hash_table_lookup (expected, key);

      g_assert_nonnull (c);
      for (int i = 0; i < KL_RM_N; i++)
        {
          if (c->v[i] != row->counts.v[i])
            g_test_message ("%s: %s is %" G_GINT64_FORMAT ", recomputed %" G_GINT64_FORMAT,
                            key, kl_rollup_mode_column_name (i), row->counts.v[i], c->v[i]);
          g_assert_cmpint (c->v[i], ==, row->counts.v[i]);
        }
    }

  /* one customer, as a report would ask */
  {
    g_autoptr(GArray) one = kl_rollup_mode_query (f->db, f->customer_id[1], 190001, 299912, &error);

    g_assert_no_error (error);
    for (guint r = 0; r < one->len; r++)
      g_assert_cmpstr (g_array_index (one, KlRollupModeRow, r).customer_id, ==, f->customer_id[1]);
  }

  g_assert_true (kl_rollup_check (f->db, problems, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < problems->len; i++)
    g_test_message ("%s", (char *) g_ptr_array_index (problems, i));
  g_assert_cmpuint (problems->len, ==, 0);
}

/* Random bulk adds, updates, synced adds and removals, several
 * transactions: the rollup per mode is what the shipments give. With data
 * non-NULL the sums are added up on their own thread, as for the CSV
 * import; the shipments are then kept until a mark past them is waited
 * for. */
static void
test_bulk_matches_recomputation (Fixture *f, gconstpointer data)
{
  gboolean aside = data != NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (11);
  g_autoptr(GError) error = NULL;
  KlAgreement *ag = kl_agreement_new ();

  /* one customer has delivery grace */
  ag->customer_id = g_strdup (f->customer_id[0]);
  ag->effective_from = g_strdup ("2000-01-01");
  ag->delivery_grace_min = 90;
  g_assert_true (kl_agreement_store_save (f->db, ag, &error));
  g_assert_no_error (error);
  kl_agreement_free (ag);

  for (guint round = 0; round < 4; round++)
    {
      g_autoptr(KlShipmentBulk) bulk = NULL;
      g_autoptr(GPtrArray) kept = g_ptr_array_new_with_free_func ((GDestroyNotify) kl_shipment_free);
      guint64 mark = 0;

      g_assert_true (kl_database_begin (f->db, &error));
      bulk = kl_shipment_bulk_new (f->db, FALSE, &error);
      g_assert_no_error (error);
      if (aside)
        kl_shipment_bulk_sum_aside (bulk);
      for (guint i = 0; i < 400; i++)
        {
          g_autoptr(KlShipment) s = kl_shipment_new ();
          guint n = g_rand_int_range (rand, 0, 600);
          KlUpsertResult result;
          int op = g_rand_int_range (rand, 0, 10);

          s->waybill = g_strdup_printf ("WB%04u", n);
          randomize (s, rand, f);
          if (op == 0)
            {
              g_autofree char *uuid = g_strdup_printf ("00000000-0000-7000-8000-%012u", n);
              gboolean removed;

              g_assert_true (kl_shipment_bulk_remove_by_uuid (bulk, uuid, &removed, &error));
              g_assert_no_error (error);
            }
          else if (op < 3)
            {
              s->id = g_strdup_printf ("00000000-0000-7000-8000-%012u", n);
              g_assert_true (kl_shipment_bulk_add_synced (bulk, s, &result, &error));
            }
          else
            g_assert_true (kl_shipment_bulk_add (bulk, s, &result, &error));
          g_assert_no_error (error);
          if (aside)
            {
              /* Every 100 rows, those before the last mark can go. */
              g_ptr_array_add (kept, g_steal_pointer (&s));
              if (i % 100 == 99)
                {
                  kl_shipment_bulk_sums_wait (bulk, mark);
                  mark = kl_shipment_bulk_sums_mark (bulk);
                  g_ptr_array_remove_range (kept, 0, kept->len > 100 ? kept->len - 100 : 0);
                }
            }
        }
      /* The sums went through their thread (marks count its chunks), or
       * through none. */
      if (aside)
        g_assert_cmpuint (mark, >, 0);
      else
        g_assert_cmpuint (kl_shipment_bulk_sums_mark (bulk), ==, 0);
      g_assert_true (kl_shipment_bulk_finish (bulk, &error));
      g_clear_pointer (&bulk, kl_shipment_bulk_free);
      g_assert_true (kl_database_commit (f->db, &error));
      g_assert_no_error (error);
      assert_matches_recomputation (f);
    }

  /* the single-shipment store keeps it too */
  {
    g_autoptr(KlShipment) s = kl_shipment_store_get (f->db, "WB0001", NULL);

    if (s == NULL)
      {
        s = kl_shipment_new ();
        s->waybill = g_strdup ("WB0001");
      }
    randomize (s, rand, f);
    s->status = KL_SHIPMENT_STATUS_DELIVERED;
    g_assert_true (kl_shipment_store_save (f->db, s, NULL, &error));
    g_assert_no_error (error);
    assert_matches_recomputation (f);
    g_assert_true (kl_shipment_store_delete (f->db, "WB0001", &error));
    assert_matches_recomputation (f);
  }

  /* the workspace currency written out is stored as NULL */
  {
    sqlite3_stmt *stmt = kl_database_prepare (f->db, "SELECT count(*) FROM shipments WHERE currency = 'CNY'", &error);

    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
    g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, 0);
    sqlite3_reset (stmt);
  }
}

static KlShipment *
plain_shipment (Fixture *f, const char *waybill)
{
  KlShipment *s = kl_shipment_new ();

  s->waybill = g_strdup (waybill);
  s->customer_id = g_strdup (f->customer_id[0]);
  s->status = KL_SHIPMENT_STATUS_DELIVERED;
  s->mode = KL_MODE_RAIL;
  s->pieces = 3;
  s->planned_pickup_at = kl_test_unix_time ("2026-03-02T09:00:00+08:00");
  s->picked_up_at = s->planned_pickup_at;
  s->planned_delivery_at = s->planned_pickup_at + 2 * 86400;
  s->delivered_at = s->planned_pickup_at + 2 * 86400;
  s->revenue_minor = 50000;
  return s;
}

static KlUpsertResult
bulk_one (Fixture *f, const KlShipment *s, gboolean synced)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KlShipmentBulk) bulk = NULL;
  KlUpsertResult result = KL_UPSERT_NEW;

  g_assert_true (kl_database_begin (f->db, &error));
  bulk = kl_shipment_bulk_new (f->db, FALSE, &error);
  if (synced)
    g_assert_true (kl_shipment_bulk_add_synced (bulk, s, &result, &error));
  else
    g_assert_true (kl_shipment_bulk_add (bulk, s, &result, &error));
  g_assert_no_error (error);
  g_assert_true (kl_shipment_bulk_finish (bulk, &error));
  g_clear_pointer (&bulk, kl_shipment_bulk_free);
  g_assert_true (kl_database_commit (f->db, &error));
  return result;
}

/* A synced shipment adopts the row of its waybill; found by its id
 * afterwards (a new waybill renames it); an import keeps the id; a
 * tombstone removes it and what it added. */
static void
test_uuid_adoption_and_removal (Fixture *f, gconstpointer data)
{
  const char *uuid = "01890a5d-ac96-774b-bcce-b302099a8057";
  g_autoptr(GError) error = NULL;
  g_autoptr(KlShipment) s = plain_shipment (f, "SF100");
  g_autoptr(KlShipment) stored = NULL;
  gint64 key;
  KlRollupCounts total;

  g_assert_cmpint (bulk_one (f, s, FALSE), ==, KL_UPSERT_NEW);
  stored = kl_shipment_store_get (f->db, "SF100", &error);
  g_assert_null (stored->id);                 /* a file's shipment has no uuid */
  key = stored->key;
  g_clear_pointer (&stored, kl_shipment_free);

  s->id = g_strdup (uuid);
  g_assert_cmpint (bulk_one (f, s, TRUE), ==, KL_UPSERT_UPDATED);   /* adopts the uuid */
  stored = kl_shipment_store_get (f->db, "SF100", &error);
  g_assert_cmpstr (stored->id, ==, uuid);
  g_assert_cmpint (stored->key, ==, key);
  g_clear_pointer (&stored, kl_shipment_free);
  g_assert_cmpint (bulk_one (f, s, TRUE), ==, KL_UPSERT_UNCHANGED);

  /* an import of the same row keeps the uuid */
  g_clear_pointer (&s->id, g_free);
  g_assert_cmpint (bulk_one (f, s, FALSE), ==, KL_UPSERT_UNCHANGED);
  s->pieces = 4;
  g_assert_cmpint (bulk_one (f, s, FALSE), ==, KL_UPSERT_UPDATED);
  stored = kl_shipment_store_get (f->db, "SF100", &error);
  g_assert_cmpstr (stored->id, ==, uuid);
  g_clear_pointer (&stored, kl_shipment_free);

  /* the back office renamed the waybill: found by uuid */
  s->id = g_strdup (uuid);
  g_free (s->waybill);
  s->waybill = g_strdup ("SF100-B");
  g_assert_cmpint (bulk_one (f, s, TRUE), ==, KL_UPSERT_UPDATED);
  g_assert_null (kl_shipment_store_get (f->db, "SF100", NULL));
  stored = kl_shipment_store_get (f->db, "SF100-B", &error);
  g_assert_cmpint (stored->key, ==, key);
  g_clear_pointer (&stored, kl_shipment_free);
  g_assert_true (kl_rollup_read_total (f->db, NULL, 190001, 299912, &total, &error));
  g_assert_cmpint (total.v[KL_RC_SHIPMENTS], ==, 1);
  g_assert_cmpint (total.v[KL_RC_REVENUE_MINOR], ==, 50000);
  assert_matches_recomputation (f);

  /* the tombstone */
  {
    g_autoptr(KlShipmentBulk) bulk = NULL;
    gboolean removed = FALSE;

    g_assert_true (kl_database_begin (f->db, &error));
    bulk = kl_shipment_bulk_new (f->db, FALSE, &error);
    g_assert_true (kl_shipment_bulk_remove_by_uuid (bulk, uuid, &removed, &error));
    g_assert_true (removed);
    g_assert_true (kl_shipment_bulk_remove_by_uuid (bulk, uuid, &removed, &error));
    g_assert_false (removed);
    g_assert_true (kl_shipment_bulk_finish (bulk, &error));
    g_clear_pointer (&bulk, kl_shipment_bulk_free);
    g_assert_true (kl_database_commit (f->db, &error));
  }
  g_assert_null (kl_shipment_store_get (f->db, "SF100-B", NULL));
  g_assert_true (kl_rollup_read_total (f->db, NULL, 190001, 299912, &total, &error));
  g_assert_cmpint (total.v[KL_RC_SHIPMENTS], ==, 0);
  assert_matches_recomputation (f);
  {
    g_autoptr(GArray) rows = kl_rollup_mode_query (f->db, NULL, 190001, 299912, &error);

    g_assert_cmpuint (rows->len, ==, 0);
  }
}

/* revenue/运费收入 and currency/币种 per docs/import.md. */
static void
test_import_revenue (Fixture *f, gconstpointer data)
{
  static const char csv[] =
    "waybill,customer_code,status,mode,pieces,planned_pickup_at,planned_delivery_at,delivered_at,revenue,currency\n"
    "R1,C001,delivered,air,1,2026-03-02 09:00,2026-03-03 09:00,2026-03-03 08:00,1234.50,\n"      /* 2 */
    "R2,C001,delivered,air,1,2026-03-02 09:00,2026-03-03 09:00,2026-03-03 08:00,100,jpy\n"       /* 3 */
    "R3,C001,booked,rail,1,2026-03-02 09:00,2026-03-03 09:00,,1000000000,CNY\n"                  /* 4 */
    "R4,C001,booked,rail,1,2026-03-02 09:00,2026-03-03 09:00,,,\n"                               /* 5 */
    "R5,C001,booked,rail,1,2026-03-02 09:00,2026-03-03 09:00,,1.5,JPY\n"                         /* 6: bad */
    "R6,C001,booked,rail,1,2026-03-02 09:00,2026-03-03 09:00,,1000000000.01,\n"                  /* 7: bad */
    "R7,C001,booked,rail,1,2026-03-02 09:00,2026-03-03 09:00,,-5,\n"                             /* 8: bad */
    "R8,C001,booked,rail,1,2026-03-02 09:00,2026-03-03 09:00,,10,XYZ\n"                          /* 9: bad */
    "R9,C001,booked,rail,1,2026-03-02 09:00,2026-03-03 09:00,,12.345,\n"                         /* 10: bad */
    "R10,C001,booked,road_ltl,1,2026-03-02 09:00,2026-03-03 09:00,,\"1,200.5\",USD\n";           /* 11 */
  g_autoptr(GBytes) bytes = g_bytes_new_static (csv, sizeof csv - 1);
  g_autoptr(GError) error = NULL;
  g_autoptr(KlImportResult) result = NULL;
  static const guint bad_lines[] = { 6, 7, 8, 9, 10 };
  g_autoptr(KlShipment) r1 = NULL, r2 = NULL, r3 = NULL, r4 = NULL, r10 = NULL;
  KlRollupCounts total;

  result = kl_import_run (f->db, KL_IMPORT_SHIPMENTS, "rev.csv", bytes, KL_IMPORT_FLAGS_SKIP_BAD,
                          NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (result->n_new, ==, 5);
  g_assert_cmpuint (result->n_bad, ==, G_N_ELEMENTS (bad_lines));
  g_assert_cmpuint (result->errors->len, ==, G_N_ELEMENTS (bad_lines));
  for (guint i = 0; i < G_N_ELEMENTS (bad_lines); i++)
    {
      g_autofree char *prefix = g_strdup_printf ("rev.csv:%u: column ", bad_lines[i]);
      const char *line = g_ptr_array_index (result->errors, i);

      g_assert_true (g_str_has_prefix (line, prefix));
    }
  g_assert_nonnull (strstr (g_ptr_array_index (result->errors, 0), "column revenue"));
  g_assert_nonnull (strstr (g_ptr_array_index (result->errors, 3), "column currency"));

  r1 = kl_shipment_store_get (f->db, "R1", &error);
  r2 = kl_shipment_store_get (f->db, "R2", &error);
  r3 = kl_shipment_store_get (f->db, "R3", &error);
  r4 = kl_shipment_store_get (f->db, "R4", &error);
  r10 = kl_shipment_store_get (f->db, "R10", &error);
  g_assert_no_error (error);
  g_assert_cmpint (r1->revenue_minor, ==, 123450);
  g_assert_null (r1->currency);
  g_assert_cmpint (r2->revenue_minor, ==, 100);            /* JPY has no minor unit */
  g_assert_cmpstr (r2->currency, ==, "JPY");
  g_assert_cmpint (r3->revenue_minor, ==, 100000000000);   /* the bound, CNY as the workspace's */
  g_assert_null (r3->currency);
  g_assert_cmpint (r4->revenue_minor, ==, -1);
  g_assert_cmpint (r10->revenue_minor, ==, 120050);
  g_assert_cmpstr (r10->currency, ==, "USD");

  g_assert_true (kl_rollup_read_total (f->db, f->customer_id[0], 202603, 202603, &total, &error));
  g_assert_cmpint (total.v[KL_RC_REVENUE_MINOR], ==, 123450 + 100000000000);
  assert_matches_recomputation (f);

  /* importing it again changes nothing */
  g_clear_pointer (&result, kl_import_result_free);
  result = kl_import_run (f->db, KL_IMPORT_SHIPMENTS, "rev.csv", bytes, KL_IMPORT_FLAGS_SKIP_BAD,
                          NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (result->n_unchanged, ==, 5);
}


/* A total that would overflow fails the bulk write, naming the month;
 * nothing becomes a REAL. */
static void
test_bulk_overflow (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KlShipment) huge = kl_shipment_new ();
  g_autoptr(KlShipmentBulk) bulk = NULL;
  gint64 base = kl_test_unix_time ("2024-01-15T12:00:00+08:00");
  gboolean ok = TRUE;
  sqlite3_stmt *stmt;

  huge->waybill = g_strdup ("HUGE0");
  huge->customer_id = g_strdup (f->customer_id[0]);
  huge->pieces = G_MAXINT64 / 2 + 1;
  huge->planned_pickup_at = base + 20 * 31 * 86400;
  huge->planned_delivery_at = huge->planned_pickup_at + 86400;
  g_assert_true (kl_shipment_store_save (f->db, huge, NULL, &error));
  g_assert_no_error (error);

  g_assert_true (kl_database_begin (f->db, &error));
  bulk = kl_shipment_bulk_new (f->db, FALSE, &error);
  for (guint i = 0; i < 40; i++)   /* 40 months, one of them with HUGE0's */
    {
      g_autoptr(KlShipment) s = kl_shipment_new ();
      KlUpsertResult result;

      s->waybill = g_strdup_printf ("M%02u", i);
      s->customer_id = g_strdup (f->customer_id[0]);
      s->pieces = i == 20 ? G_MAXINT64 / 2 + 1 : 1;
      s->planned_pickup_at = base + (gint64) i * 31 * 86400;
      s->planned_delivery_at = s->planned_pickup_at + 86400;
      g_assert_true (kl_shipment_bulk_add (bulk, s, &result, &error));
    }
  ok = kl_shipment_bulk_finish (bulk, &error);
  g_assert_false (ok);
  g_assert_error (error, KL_DATABASE_ERROR, KL_DATABASE_ERROR_CONSTRAINT);
  g_assert_nonnull (strstr (error->message, "202509"));
  g_clear_pointer (&bulk, kl_shipment_bulk_free);
  kl_database_rollback (f->db);

  stmt = kl_database_prepare (f->db, "SELECT count(*) FROM rollup_month WHERE typeof(pieces) <> 'integer'", NULL);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, 0);
  sqlite3_reset (stmt);
  assert_matches_recomputation (f);
}

/* Sums added up on their own thread: two shipments whose month total
 * would overflow in memory fail a later add or the finish, naming the
 * month; the rest of the sums still go through the thread, and freeing
 * the writer stops it. */
static void
test_bulk_aside_overflow (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KlShipmentBulk) bulk = NULL;
  g_autoptr(GPtrArray) kept = g_ptr_array_new_with_free_func ((GDestroyNotify) kl_shipment_free);
  gint64 base = kl_test_unix_time ("2024-03-15T12:00:00+08:00");
  gboolean ok = TRUE;

  g_assert_true (kl_database_begin (f->db, &error));
  bulk = kl_shipment_bulk_new (f->db, FALSE, &error);
  g_assert_no_error (error);
  kl_shipment_bulk_sum_aside (bulk);
  for (guint i = 0; ok && i < 3000; i++)
    {
      KlShipment *s = kl_shipment_new ();
      KlUpsertResult result;

      s->waybill = g_strdup_printf ("A%04u", i);
      s->pieces = i == 5 || i == 6 ? G_MAXINT64 / 2 + 1 : 1;
      s->customer_id = g_strdup (f->customer_id[i == 5 || i == 6 ? 0 : i % 2]);
      s->planned_pickup_at = base + (gint64) (i % 7) * 3600;
      s->planned_delivery_at = s->planned_pickup_at + 86400;
      g_ptr_array_add (kept, s);
      ok = kl_shipment_bulk_add (bulk, s, &result, &error);
    }
  if (ok)
    ok = kl_shipment_bulk_finish (bulk, &error);
  g_assert_false (ok);
  g_assert_error (error, KL_DATABASE_ERROR, KL_DATABASE_ERROR_CONSTRAINT);
  g_assert_nonnull (strstr (error->message, "202403"));
  g_clear_pointer (&bulk, kl_shipment_bulk_free);
  kl_database_rollback (f->db);
  assert_matches_recomputation (f);
}

int
main (int argc, char **argv)
{
  g_setenv ("TZ", "UTC", TRUE);
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/rollup-mode/transit-buckets", test_transit_buckets);
  g_test_add ("/rollup-mode/bulk-matches-recomputation", Fixture, NULL, fixture_setup,
              test_bulk_matches_recomputation, fixture_teardown);
  g_test_add ("/rollup-mode/bulk-matches-recomputation-aside", Fixture, GINT_TO_POINTER (1), fixture_setup,
              test_bulk_matches_recomputation, fixture_teardown);
  g_test_add ("/rollup-mode/uuid-adoption-and-removal", Fixture, NULL, fixture_setup,
              test_uuid_adoption_and_removal, fixture_teardown);
  g_test_add ("/rollup-mode/import-revenue", Fixture, NULL, fixture_setup,
              test_import_revenue, fixture_teardown);
  g_test_add ("/rollup-mode/bulk-overflow", Fixture, NULL, fixture_setup,
              test_bulk_overflow, fixture_teardown);
  g_test_add ("/rollup-mode/bulk-aside-overflow", Fixture, NULL, fixture_setup,
              test_bulk_aside_overflow, fixture_teardown);
  return g_test_run ();
}
