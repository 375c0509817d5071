/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Each schema step from the previous version, and the backup taken before
 * an existing workspace is upgraded. */

#include <string.h>
#include <glib/gstdio.h>
#include <sys/stat.h>

#include "kl-database-private.h"
#include "kl-claim-store.h"
#include "kl-migrations.h"
#include "kl-rollup-mode.h"
#include "kl-shipment-store.h"
#include "kl-test-util.h"

static gboolean
has_table (KlDatabase *db, const char *name)
{
  sqlite3_stmt *stmt = kl_database_prepare (db, "SELECT 1 FROM sqlite_master WHERE name = ?", NULL);
  gboolean found;

  kl_bind_text (stmt, 1, name);
  found = sqlite3_step (stmt) == SQLITE_ROW;
  sqlite3_reset (stmt);
  return found;
}

/* Step 1 creates the whole first schema. */
static void
test_step_1 (void)
{
  g_autofree char *dir = kl_test_make_tmp_dir ("keyline-test-XXXXXX");
  g_autofree char *path = g_build_filename (dir, "w.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(KlDatabase) db = _kl_database_open_at_version (path, KL_DATABASE_OPEN_CREATE, 1, &error);
  const char *tables[] = { "settings", "customers", "customer_search", "contacts", "agreements",
                           "shipments", "rollup_month", "rollup_month_region", "activities",
                           "outbox", "sync_cursors" };

  g_assert_no_error (error);
  g_assert_cmpint (kl_database_get_user_version (db), ==, 1);
  for (guint i = 0; i < G_N_ELEMENTS (tables); i++)
    g_assert_true (has_table (db, tables[i]));
  g_assert_null (_kl_database_get_backup_path (db));   /* a new file needs no backup */
  g_clear_object (&db);
  g_assert_true (kl_test_remove_tree (dir));
}

/* Every later step applies to a database left at the version before it,
 * holding data, and keeps that data. */
static void
test_each_step_from_previous (void)
{
  for (int v = 2; v <= kl_migrations_count (); v++)
    {
      g_autofree char *dir = kl_test_make_tmp_dir ("keyline-test-XXXXXX");
      g_autofree char *path = g_build_filename (dir, "w.db", NULL);
      g_autoptr(GError) error = NULL;
      g_autoptr(KlDatabase) db = _kl_database_open_at_version (path, KL_DATABASE_OPEN_CREATE, v - 1, &error);

      g_assert_no_error (error);
      g_assert_true (kl_database_set_setting (db, "marker", "kept", &error));
      g_clear_object (&db);

      db = _kl_database_open_at_version (path, 0, v, &error);
      g_assert_no_error (error);
      g_assert_cmpint (kl_database_get_user_version (db), ==, v);
      g_assert_nonnull (_kl_database_get_backup_path (db));
      {
        g_autofree char *marker = kl_database_get_setting (db, "marker");
        g_assert_cmpstr (marker, ==, "kept");
      }
      g_clear_object (&db);
      g_assert_true (kl_test_remove_tree (dir));
    }
}

/* Upgrading an existing workspace takes a private backup first, which is
 * the workspace as it was; a workspace already at the newest version is
 * left alone. */
static void
test_backup_before_upgrade (void)
{
  g_autofree char *dir = kl_test_make_tmp_dir ("keyline-test-XXXXXX");
  g_autofree char *path = g_build_filename (dir, "w.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(KlDatabase) db = _kl_database_open_at_version (path, KL_DATABASE_OPEN_CREATE, 1, &error);
  g_autoptr(KlDatabase) backup = NULL;
  g_autofree char *backup_path = NULL;
  struct stat st;

  g_assert_no_error (error);
  g_assert_true (kl_database_set_setting (db, "marker", "before", &error));
  g_clear_object (&db);

  db = kl_database_open (path, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpint (kl_database_get_user_version (db), ==, kl_migrations_count ());
  backup_path = g_strdup (_kl_database_get_backup_path (db));
  g_assert_nonnull (backup_path);
  g_assert_true (g_str_has_prefix (backup_path, path));
  g_assert_cmpint (g_stat (backup_path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_assert_true (kl_database_set_setting (db, "marker", "after", &error));
  g_clear_object (&db);

  backup = _kl_database_open_at_version (backup_path, 0, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (kl_database_get_user_version (backup), ==, 1);
  {
    g_autofree char *marker = kl_database_get_setting (backup, "marker");
    g_assert_cmpstr (marker, ==, "before");
  }
  g_clear_object (&backup);

  /* Already current: no backup. */
  db = kl_database_open (path, 0, &error);
  g_assert_no_error (error);
  g_assert_null (_kl_database_get_backup_path (db));
  g_clear_object (&db);
  g_assert_true (kl_test_remove_tree (dir));
}

static void
exec_ok (KlDatabase *db, const char *sql)
{
  char *message = NULL;

  if (sqlite3_exec (kl_database_get_handle (db), sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s: %s", sql, message);
}

/* Step 5 (claims): the schema-4 history of sentences becomes data; the
 * sentences of openings and moves stay as legacy text, the entries are
 * chained, and the guards now refuse INSERT OR REPLACE. */
static void
test_step_5_claim_history (void)
{
  g_autofree char *dir = kl_test_make_tmp_dir ("keyline-test-XXXXXX");
  g_autofree char *path = g_build_filename (dir, "w.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(KlDatabase) db = _kl_database_open_at_version (path, KL_DATABASE_OPEN_CREATE, 4, &error);
  g_autoptr(GPtrArray) history = NULL;
  g_autoptr(GPtrArray) findings = g_ptr_array_new_with_free_func (g_free);
  char *message = NULL;
  const struct {
    KlClaimChange  change;
    const char    *legacy;
    const char    *what;
  } expected[] = {
    { KL_CLAIM_CHANGE_CREATED,  "Opened CLM-2026-000001 as Filed, claiming 800.00 CNY", "Opened as Filed" },
    { KL_CLAIM_CHANGE_MOVED,    NULL, "Moved from Filed to Acknowledged" },
    { KL_CLAIM_CHANGE_MOVED,    "从 已受理 转为 调查中；原因：补充材料", "Moved from Acknowledged to Investigating" },
    { KL_CLAIM_CHANGE_FIELD,    NULL, "Changed the claimed amount from 800.00 CNY to 900.00 CNY" },
    { KL_CLAIM_CHANGE_DOCUMENT, NULL, "Received the Photos" },
    { KL_CLAIM_CHANGE_NOTE,     NULL, "Added a note" },
    { KL_CLAIM_CHANGE_FIELD,    NULL, "Set the owner to “王丽”" },
  };

  g_assert_no_error (error);
  exec_ok (db,
           "INSERT INTO customers (id, code, name, updated_at) VALUES ('cu1', 'ACME', 'ACME', 0);"
           "INSERT INTO claims (id, number, customer_id, kind, status, currency, claimed_minor, created_at, updated_at) "
           "  VALUES ('c1', 'CLM-2026-000001', 'cu1', 'damage', 'investigating', 'CNY', 90000, 0, 0);"
           "INSERT INTO claim_history (claim_id, at, by, what, field, old_value, new_value, note) VALUES "
           "  ('c1', 100, 'wang', 'Opened CLM-2026-000001 as Filed, claiming 800.00 CNY', 'status', NULL, 'filed', 'by phone'),"
           "  ('c1', 200, 'wang', 'Moved from Filed to Acknowledged', 'status', 'filed', 'acknowledged', NULL),"
           "  ('c1', 250, '李', '从 已受理 转为 调查中；原因：补充材料', 'status', 'acknowledged', 'investigating', NULL),"
           "  ('c1', 300, 'wang', 'Changed the claimed amount from 800.00 CNY to 900.00 CNY', 'claimed', '80000', '90000', NULL),"
           "  ('c1', 400, 'wang', 'Received the Photos', 'document:photos', 'no', 'yes', NULL),"
           "  ('c1', 500, 'wang', 'Added a note', NULL, NULL, NULL, 'client called'),"
           "  ('c1', 600, 'wang', 'Set the owner to “王丽”', 'owner', NULL, '王丽', NULL);"
           /* filing warnings: one case's shipment is on record, the other's is gone */
           "INSERT INTO shipments (id, waybill, customer_id, status, mode, pieces, planned_pickup_at, "
           "  planned_delivery_at, delivered_at, updated_at) "
           "  VALUES ('s1', 'SF1', 'cu1', 'delivered', 'air', 1, 0, 86400, 86400, 0);"
           "INSERT INTO claims (id, number, customer_id, kind, status, waybill, shipment_known, filed_at, "
           "  concealed_damage, warnings, created_at, updated_at) VALUES "
           "  ('c2', 'CLM-2026-000002', 'cu1', 'damage', 'filed', 'SF1', 1, 2592000, 1, 'old sentence', 0, 0),"
           "  ('c3', 'CLM-2026-000003', 'cu1', 'damage', 'filed', 'SF-GONE', 0, 2592000, 0, 'kept sentence', 0, 0);"
           "INSERT INTO claim_history (claim_id, at, by, what, field, old_value, new_value) VALUES "
           "  ('c2', 2592000, 'wang', 'Opened', 'status', NULL, 'filed'),"
           "  ('c3', 2592000, 'wang', 'Opened', 'status', NULL, 'filed');");
  g_clear_object (&db);

  db = _kl_database_open_at_version (path, 0, 5, &error);
  g_assert_no_error (error);
  g_assert_cmpint (kl_database_get_user_version (db), ==, 5);

  history = kl_claim_store_history (db, "c1", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (history->len, ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < history->len; i++)
    {
      KlClaimHistoryEntry *e = g_ptr_array_index (history, i);
      g_autofree char *what = kl_claim_history_entry_describe (e);

      g_assert_cmpint (e->change, ==, expected[i].change);
      g_assert_cmpstr (e->legacy_text, ==, expected[i].legacy);
      g_assert_true (g_str_has_prefix (what, expected[i].what));
      g_assert_cmpuint (strlen (e->hash), ==, 64);
      if (i == 0)
        g_assert_cmpstr (e->prev_hash, ==, "");
      else
        g_assert_cmpstr (e->prev_hash, ==, ((KlClaimHistoryEntry *) g_ptr_array_index (history, i - 1))->hash);
    }
  g_assert_cmpstr (((KlClaimHistoryEntry *) g_ptr_array_index (history, 0))->note, ==, "by phone");
  g_assert_cmpstr (((KlClaimHistoryEntry *) g_ptr_array_index (history, 3))->currency, ==, "CNY");

  g_assert_true (kl_claim_history_verify (db, findings, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (findings->len, ==, 0);

  /* filing warnings are worded on reading from the shipment's facts */
  {
    g_autoptr(KlClaim) c2 = kl_claim_store_get (db, "c2", 0, &error);
    g_autoptr(KlClaim) c3 = kl_claim_store_get (db, "c3", 0, &error);

    g_assert_no_error (error);
    g_assert_cmpint (c2->delivered_at, ==, 86400);
    g_assert_true (c2->shipment_air);
    g_assert_nonnull (c2->warnings[0]);
    g_assert_true (g_str_has_prefix (c2->warnings[0], "Damage on an air shipment"));
    g_assert_cmpint (c3->delivered_at, ==, KL_NO_TIME);
    g_assert_cmpstr (c3->warnings[0], ==, "kept sentence");
  }

  /* the guards are on */
  g_assert_cmpint (sqlite3_exec (kl_database_get_handle (db),
                                 "INSERT OR REPLACE INTO claim_history (seq, claim_id, at, by, change, prev_hash, hash) "
                                 "VALUES (1, 'c1', 0, 'x', 'note', '', '')", NULL, NULL, &message), !=, SQLITE_OK);
  g_assert_nonnull (strstr (message, "append-only"));
  sqlite3_free (message);
  message = NULL;
  g_assert_cmpint (sqlite3_exec (kl_database_get_handle (db), "UPDATE claim_history SET by = 'x'",
                                 NULL, NULL, &message), !=, SQLITE_OK);
  sqlite3_free (message);

  /* and the store appends to the migrated chain */
  {
    KlClaimMove m = KL_CLAIM_MOVE_INIT;

    m.to = KL_CLAIM_STATUS_WITHDRAWN;
    m.at = 700;
    g_assert_true (kl_claim_store_move (db, "c1", &m, &error));
    g_assert_no_error (error);
  }
  g_assert_true (kl_claim_history_verify (db, findings, &error));
  g_assert_cmpuint (findings->len, ==, 0);

  g_clear_object (&db);
  g_assert_true (kl_test_remove_tree (dir));
}


/* Step 6: shipments move to integer keys with their uuid kept, customers
 * get a ref, the rollups come out equal (plus revenue and the per-mode
 * rollup), and new customers and shipments still save. */
static void
test_step_6_integer_keys (void)
{
  g_autofree char *dir = kl_test_make_tmp_dir ("keyline-test-XXXXXX");
  g_autofree char *path = g_build_filename (dir, "w.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(KlDatabase) db = _kl_database_open_at_version (path, KL_DATABASE_OPEN_CREATE, 5, &error);
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(KlShipment) s1 = NULL;
  g_autoptr(GArray) modes = NULL;
  KlRollupCounts total;
  const gint64 expected[KL_RC_N] = {
    [KL_RC_SHIPMENTS] = 2, [KL_RC_PIECES] = 3, [KL_RC_WEIGHT_G] = 1000, [KL_RC_DISPATCHED] = 1,
    [KL_RC_DELIVERED] = 1, [KL_RC_DELIVERED_ON_TIME] = 1, [KL_RC_DELIVERED_PIECES] = 1,
    [KL_RC_INCIDENTS] = 1, [KL_RC_DOCS_KNOWN] = 1, [KL_RC_DOCS_OK] = 1, [KL_RC_OTIF] = 1,
  };

  g_assert_no_error (error);
  /* 2026-01-05T00:00Z = 1767571200 */
  exec_ok (db,
           "UPDATE settings SET value = 'UTC' WHERE key = 'timezone';"
           "INSERT INTO customers (id, code, name, updated_at) VALUES ('cu1', 'ACME', 'ACME', 0);"
           "INSERT INTO customers (id, code, name, updated_at) VALUES ('cu2', 'BETA', 'Beta', 0);"
           "INSERT INTO shipments (id, waybill, customer_id, status, mode, pieces, weight_g, planned_pickup_at, "
           "  picked_up_at, planned_delivery_at, delivered_at, documents_ok, updated_at) VALUES "
           "  ('s1', 'SF1', 'cu1', 'delivered', 'air', 1, 1000, 1767571200, 1767574800, 1767830400, 1767747600, 1, 5),"
           "  ('s2', 'SF2', 'cu1', 'in_transit', 'road_ftl', 2, NULL, 1767657600, NULL, 1768003200, NULL, NULL, 5),"
           "  ('s3', 'SF3', 'cu2', 'cancelled', NULL, 4, NULL, 1767657600, NULL, 1768003200, NULL, NULL, 5);"
           "UPDATE shipments SET incident = 1 WHERE id = 's2';"
           "INSERT INTO rollup_month (customer_id, month, shipments, pieces, weight_g, dispatched, delivered, "
           "  delivered_on_time, delivered_pieces, incidents, docs_known, docs_ok, otif) "
           "  VALUES ('cu1', 202601, 2, 3, 1000, 1, 1, 1, 1, 1, 1, 1, 1);");
  g_clear_object (&db);

  db = _kl_database_open_at_version (path, 0, 6, &error);
  g_assert_no_error (error);
  g_assert_cmpint (kl_database_get_user_version (db), ==, 6);

  /* the data, with the old id as the uuid */
  s1 = kl_shipment_store_get (db, "SF1", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (s1->id, ==, "s1");
  g_assert_cmpstr (s1->customer_id, ==, "cu1");
  g_assert_cmpint (s1->key, >, 0);
  g_assert_cmpint (s1->mode, ==, KL_MODE_AIR);
  g_assert_cmpint (s1->delivered_at, ==, 1767747600);
  g_assert_cmpint (s1->revenue_minor, ==, -1);
  g_assert_null (s1->currency);
  g_assert_cmpint (s1->updated_at, ==, 5);

  /* the rollups as they were, and in step with the facts */
  g_assert_true (kl_rollup_read_total (db, "cu1", 202601, 202601, &total, &error));
  for (guint i = 0; i < KL_RC_N; i++)
    g_assert_cmpint (total.v[i], ==, expected[i]);
  g_assert_true (kl_rollup_check (db, problems, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (problems->len, ==, 0);

  /* the per-mode rollup, built from the facts */
  modes = kl_rollup_mode_query (db, NULL, 202601, 202601, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (modes->len, ==, 2);
  {
    KlRollupModeRow *road = &g_array_index (modes, KlRollupModeRow, 0);
    KlRollupModeRow *air = &g_array_index (modes, KlRollupModeRow, 1);

    g_assert_cmpint (road->mode, ==, KL_MODE_ROAD_FTL);
    g_assert_cmpint (air->mode, ==, KL_MODE_AIR);
    g_assert_cmpstr (air->customer_id, ==, "cu1");
    g_assert_cmpint (air->counts.v[KL_RM_SHIPMENTS], ==, 1);
    g_assert_cmpint (air->counts.v[KL_RM_DELIVERED_ON_TIME], ==, 1);
    g_assert_cmpint (air->counts.v[KL_RM_TRANSIT_0 + 2], ==, 1);   /* exactly 48 h */
    g_assert_cmpint (road->counts.v[KL_RM_DELIVERED], ==, 0);
  }

  /* The rest writes through today's store: the later steps first. Step
   * 9 leaves the old rows' content hash unknown. */
  g_clear_object (&db);
  db = kl_database_open (path, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpint (kl_database_get_user_version (db), ==, kl_migrations_count ());
  g_assert_cmpint (kl_test_query_int (db, "SELECT count(*) FROM shipments WHERE content_hash IS NULL"), ==, 3);

  /* new customers get a ref; their shipments save */
  {
    g_autoptr(KlShipment) s = kl_shipment_new ();
    g_autofree char *id = kl_test_add_customer (db, "GAMMA", "Gamma");

    s->waybill = g_strdup ("SF4");
    s->customer_id = g_strdup (id);
    s->pieces = 1;
    s->planned_pickup_at = 1767571200;
    s->planned_delivery_at = 1767657600;
    g_assert_true (kl_shipment_store_save (db, s, NULL, &error));
    g_assert_no_error (error);
    g_assert_null (s->id);
    g_clear_pointer (&s1, kl_shipment_free);
    s1 = kl_shipment_store_get (db, "SF4", &error);
    g_assert_cmpstr (s1->customer_id, ==, id);
    /* a row written now carries its content hash */
    g_assert_cmpint (kl_test_query_int (db, "SELECT count(*) FROM shipments WHERE waybill = 'SF4' AND content_hash IS NOT NULL"), ==, 1);
    /* a change that does not know the hash clears it (step 9's trigger) */
    exec_ok (db, "UPDATE shipments SET dest_city = 'Elsewhere' WHERE waybill = 'SF4'");
    g_assert_cmpint (kl_test_query_int (db, "SELECT count(*) FROM shipments WHERE waybill = 'SF4' AND content_hash IS NULL"), ==, 1);
    /* and the store's next save sets it again */
    g_clear_pointer (&s1, kl_shipment_free);
    s1 = kl_shipment_store_get (db, "SF4", &error);
    s1->pieces = 2;
    g_assert_true (kl_shipment_store_save (db, s1, NULL, &error));
    g_assert_cmpint (kl_test_query_int (db, "SELECT count(*) FROM shipments WHERE waybill = 'SF4' AND content_hash IS NOT NULL"), ==, 1);
  }
  g_assert_true (kl_rollup_check (db, problems, &error));
  g_assert_cmpuint (problems->len, ==, 0);

  g_clear_object (&db);
  g_assert_true (kl_test_remove_tree (dir));
}

/* Step 10 rebuilds the shipments' customer index led by a time bucket,
 * also when the old one was lost; a customer's shipments read through it
 * are all there. */
static void
test_step_10_customer_buckets (gconstpointer data)
{
  gboolean index_lost = GPOINTER_TO_INT (data);
  g_autofree char *dir = kl_test_make_tmp_dir ("keyline-test-XXXXXX");
  g_autofree char *path = g_build_filename (dir, "w.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(KlDatabase) db = _kl_database_open_at_version (path, KL_DATABASE_OPEN_CREATE, 9, &error);
  g_autoptr(GPtrArray) listed = NULL;
  char *customer_id[2] = { NULL, NULL };
  sqlite3_stmt *stmt;

  g_assert_no_error (error);
  kl_test_add_numbered_customers (db, customer_id, G_N_ELEMENTS (customer_id));
  for (guint i = 0; i < 6; i++)
    {
      g_autoptr(KlShipment) s = kl_shipment_new ();
      KlUpsertResult result;

      s->waybill = g_strdup_printf ("M10-%u", i);
      s->customer_id = g_strdup (customer_id[i % 2]);
      s->status = KL_SHIPMENT_STATUS_BOOKED;
      s->pieces = 1;
      /* Two months apart: each in a bucket of its own. */
      s->planned_pickup_at = kl_test_unix_time ("2026-01-10T08:00:00Z") + (gint64) i * 61 * 86400;
      s->planned_delivery_at = s->planned_pickup_at + 86400;
      g_assert_true (kl_shipment_store_save (db, s, &result, &error));
      g_assert_no_error (error);
    }
  if (index_lost)
    g_assert_true (kl_database_exec (db, "DROP INDEX shipments_customer", &error));
  g_clear_object (&db);

  db = kl_database_open (path, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpint (kl_database_get_user_version (db), ==, kl_migrations_count ());
  stmt = kl_database_prepare (db, "SELECT sql FROM sqlite_schema WHERE name = 'shipments_customer'", &error);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==,
                   "CREATE INDEX shipments_customer ON shipments((planned_pickup_at >> 21), customer_ref, planned_pickup_at)");
  sqlite3_reset (stmt);

  listed = kl_shipment_store_list (db, customer_id[1], G_MININT64, G_MAXINT64, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (listed->len, ==, 3);
  g_assert_cmpstr (((KlShipment *) g_ptr_array_index (listed, 0))->waybill, ==, "M10-1");
  g_assert_cmpstr (((KlShipment *) g_ptr_array_index (listed, 2))->waybill, ==, "M10-5");

  g_clear_object (&db);
  g_free (customer_id[0]);
  g_free (customer_id[1]);
  g_assert_true (kl_test_remove_tree (dir));
}

int
main (int argc, char **argv)
{
  g_setenv ("TZ", "UTC", TRUE);
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/migrations/step-1", test_step_1);
  g_test_add_func ("/migrations/each-step", test_each_step_from_previous);
  g_test_add_func ("/migrations/backup", test_backup_before_upgrade);
  g_test_add_func ("/migrations/step-5-claim-history", test_step_5_claim_history);
  g_test_add_func ("/migrations/step-6-integer-keys", test_step_6_integer_keys);
  g_test_add_data_func ("/migrations/step-10-customer-buckets", GINT_TO_POINTER (FALSE), test_step_10_customer_buckets);
  g_test_add_data_func ("/migrations/step-10-customer-buckets-index-lost", GINT_TO_POINTER (TRUE),
                        test_step_10_customer_buckets);
  return g_test_run ();
}
