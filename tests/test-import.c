/* SPDX-License-Identifier: GPL-3.0-or-later */
/* CSV import into a real workspace, with the files in tests/data/import:
 * values, errors and their line numbers, all-or-nothing writes, skip-bad,
 * dry runs, re-imports, encodings, delimiters, cancellation and progress. */

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include "kl-database-private.h"
#include "kl-agreement-store.h"
#include "kl-customer-store.h"
#include "kl-database.h"
#include "kl-import.h"
#include "kl-rollup.h"
#include "kl-shipment-store.h"
#include "kl-test-util.h"

typedef struct {
  char       *dir;
  KlDatabase *db;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KlCustomer) acme = kl_customer_new ();
  g_autofree char *path = NULL;
  KlUpsertResult upsert;

  f->dir = kl_test_make_tmp_dir ("keyline-import-XXXXXX");
  path = g_build_filename (f->dir, "workspace.db", NULL);
  f->db = kl_test_create_workspace (path);
  g_assert_true (kl_rollup_set_timezone (f->db, "Asia/Shanghai", &error));
  g_assert_no_error (error);

  acme->code = g_strdup ("ACME");
  acme->name = g_strdup ("ACME");
  g_assert_true (kl_customer_store_save (f->db, acme, KL_ORIGIN_LOCAL, &upsert, &error));
  g_assert_no_error (error);
  g_assert_cmpint (upsert, ==, KL_UPSERT_NEW);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_object (&f->db);
  g_assert_true (kl_test_remove_tree (f->dir));
  g_free (f->dir);
}

static GBytes *
load (const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "import", name, NULL);
  char *text = NULL;
  gsize len = 0;

  g_file_get_contents (path, &text, &len, &error);
  g_assert_no_error (error);
  return g_bytes_new_take (text, len);
}

static KlImportResult *
import_bytes (Fixture       *f,
              KlImportKind   kind,
              const char    *name,
              GBytes        *bytes,
              KlImportFlags  flags)
{
  g_autoptr(GError) error = NULL;
  KlImportResult *result = kl_import_run (f->db, kind, name, bytes, flags, NULL, NULL, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (result);
  return result;
}

static KlImportResult *
import_file (Fixture       *f,
             KlImportKind   kind,
             const char    *name,
             KlImportFlags  flags)
{
  g_autoptr(GBytes) bytes = load (name);

  return import_bytes (f, kind, name, bytes, flags);
}

/* Imports a file expected to fail as a whole; returns the error. */
static GError *
import_fails (Fixture      *f,
              KlImportKind  kind,
              const char   *name)
{
  g_autoptr(GBytes) bytes = load (name);
  GError *error = NULL;
  KlImportResult *result = kl_import_run (f->db, kind, name, bytes, KL_IMPORT_FLAGS_NONE,
                                          NULL, NULL, NULL, &error);

  g_assert_null (result);
  g_assert_nonnull (error);
  return error;
}

/* The integer in the first column of sql's first row. */
static gint64
query_int (Fixture    *f,
           const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  gint64 n;

  g_assert_cmpint (sqlite3_prepare_v2 (kl_database_get_handle (f->db), sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return n;
}

static gint64
count_rows (Fixture    *f,
            const char *table)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM %s", table);

  return query_int (f, sql);
}

/* The shipments' customer index is there, as the schema has it: an import
 * into an empty table drops it and builds it at the end, and a rolled-back
 * import must leave it too. */
static void
assert_customer_index (Fixture *f)
{
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (kl_database_get_handle (f->db),
                                       "SELECT sql FROM sqlite_schema WHERE type = 'index' AND name = 'shipments_customer'",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==,
                   "CREATE INDEX shipments_customer ON shipments((planned_pickup_at >> 21), customer_ref, planned_pickup_at)");
  sqlite3_finalize (stmt);
}

/* A shipment import turns foreign keys off and keeps statement journals in
 * memory for its own transaction only: both are back after it, written or
 * rolled back. */
static void
assert_pragmas_back (Fixture *f)
{
  g_assert_cmpint (query_int (f, "PRAGMA foreign_keys"), ==, 1);
  g_assert_cmpint (query_int (f, "PRAGMA temp_store"), ==, 0);
}

static KlShipment *
get_shipment (Fixture    *f,
              const char *waybill)
{
  g_autoptr(GError) error = NULL;
  KlShipment *s = kl_shipment_store_get (f->db, waybill, &error);

  g_assert_no_error (error);
  g_assert_nonnull (s);
  return s;
}

static KlCustomer *
get_customer (Fixture    *f,
              const char *code)
{
  g_autoptr(GError) error = NULL;
  KlCustomer *c = kl_customer_store_get_by_code (f->db, code, &error);

  g_assert_no_error (error);
  g_assert_nonnull (c);
  return c;
}

static gboolean
has_shipment (Fixture    *f,
              const char *waybill)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KlShipment) s = kl_shipment_store_get (f->db, waybill, &error);

  return s != NULL;
}

static gboolean
errors_contain (const KlImportResult *result,
                const char           *line)
{
  for (guint i = 0; i < result->errors->len; i++)
    if (g_strcmp0 (g_ptr_array_index (result->errors, i), line) == 0)
      return TRUE;
  return FALSE;
}

static void
assert_error_listed (const KlImportResult *result,
                     const char           *line)
{
  if (!errors_contain (result, line))
    {
      for (guint i = 0; i < result->errors->len; i++)
        g_test_message ("error: %s", (const char *) g_ptr_array_index (result->errors, i));
      g_error ("expected error not listed: %s", line);
    }
}

static void
test_shipments_values (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(KlImportResult) result = import_file (f, KL_IMPORT_SHIPMENTS, "shipments.csv", KL_IMPORT_FLAGS_NONE);
  g_autofree char *summary = kl_import_result_summary (result);
  g_autoptr(KlShipment) s1 = NULL;
  g_autoptr(KlShipment) s2 = NULL;
  g_autoptr(KlShipment) s3 = NULL;
  g_autoptr(KlShipment) s4 = NULL;
  g_autoptr(KlShipment) s5 = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *acme_id = kl_customer_store_lookup_code (f->db, "ACME", &error);

  g_assert_cmpstr (summary, ==, "new 5, updated 0, unchanged 0, bad 0");
  g_assert_true (result->written);
  g_assert_cmpuint (result->n_rows, ==, 5);
  g_assert_cmpuint (result->errors->len, ==, 0);
  g_assert_cmpuint (result->unknown_columns->len, ==, 0);
  g_assert_cmpstr (result->encoding, ==, "UTF-8");
  g_assert_cmpint (result->delimiter, ==, ',');
  g_assert_cmpint (count_rows (f, "shipments"), ==, 5);

  s1 = get_shipment (f, "SF1001");
  g_assert_cmpstr (s1->customer_id, ==, acme_id);
  g_assert_cmpint (s1->status, ==, KL_SHIPMENT_STATUS_DELIVERED);
  g_assert_cmpint (s1->mode, ==, KL_MODE_ROAD_FTL);
  g_assert_cmpstr (s1->origin_city, ==, "Shanghai");
  g_assert_cmpstr (s1->origin_region, ==, "华东");
  g_assert_cmpstr (s1->dest_city, ==, "Beijing");
  g_assert_cmpstr (s1->dest_region, ==, "华北");
  g_assert_cmpint (s1->pieces, ==, 10);
  g_assert_cmpint (s1->weight_g, ==, 1250500);
  g_assert_cmpint (s1->volume_cm3, ==, 3200000);
  g_assert_cmpint (s1->planned_pickup_at, ==, kl_test_unix_time ("2026-10-03T08:30:00+08:00"));
  g_assert_cmpint (s1->picked_up_at, ==, kl_test_unix_time ("2026-10-03T08:45:00+08:00"));
  g_assert_cmpint (s1->planned_delivery_at, ==, kl_test_unix_time ("2026-10-05T18:00:00+08:00"));
  g_assert_cmpint (s1->delivered_at, ==, kl_test_unix_time ("2026-10-05T16:10:00+08:00"));
  g_assert_cmpint (s1->documents_ok, ==, KL_TRI_TRUE);
  g_assert_cmpint (s1->order_accurate, ==, KL_TRI_TRUE);
  g_assert_false (s1->incident);

  /* Quoted thousands, the smallest volume, local times in the workspace zone. */
  s2 = get_shipment (f, "SF1002");
  g_assert_cmpint (s2->status, ==, KL_SHIPMENT_STATUS_IN_TRANSIT);
  g_assert_cmpint (s2->mode, ==, KL_MODE_AIR);
  g_assert_cmpint (s2->weight_g, ==, 1234567);
  g_assert_cmpint (s2->volume_cm3, ==, 1);
  g_assert_cmpint (s2->planned_pickup_at, ==, kl_test_unix_time ("2026-10-04T01:00:00Z"));
  g_assert_cmpint (s2->picked_up_at, ==, kl_test_unix_time ("2026-10-04T09:30:15+08:00"));
  g_assert_cmpint (s2->planned_delivery_at, ==, kl_test_unix_time ("2026-10-06T12:00:00+08:00"));
  g_assert_cmpint (s2->delivered_at, ==, KL_NO_TIME);
  g_assert_cmpint (s2->order_accurate, ==, KL_TRI_TRUE);
  g_assert_cmpint (s2->damaged_pieces, ==, 0);
  g_assert_cmpint (s2->short_pieces, ==, 0);
  g_assert_false (s2->incident);

  /* Empty is unknown, except where the contract gives a default. */
  s3 = get_shipment (f, "SF1003");
  g_assert_cmpint (s3->status, ==, KL_SHIPMENT_STATUS_BOOKED);
  g_assert_cmpint (s3->mode, ==, KL_MODE_NONE);
  g_assert_cmpint (s3->weight_g, ==, -1);
  g_assert_cmpint (s3->volume_cm3, ==, -1);
  g_assert_cmpint (s3->planned_pickup_at, ==, kl_test_unix_time ("2026-10-07T01:00:00Z"));
  g_assert_cmpint (s3->picked_up_at, ==, KL_NO_TIME);
  g_assert_cmpint (s3->documents_ok, ==, KL_TRI_UNKNOWN);
  g_assert_cmpint (s3->order_accurate, ==, KL_TRI_UNKNOWN);
  g_assert_cmpint (s3->damaged_pieces, ==, 0);
  g_assert_false (s3->incident);

  /* 0.0004 kg is 0.4 g and rounds to 0; slashes and one-digit days and hours. */
  s4 = get_shipment (f, "SF1004");
  g_assert_cmpint (s4->status, ==, KL_SHIPMENT_STATUS_CANCELLED);
  g_assert_cmpint (s4->mode, ==, KL_MODE_EXPRESS);
  g_assert_null (s4->origin_city);
  g_assert_cmpint (s4->pieces, ==, 0);
  g_assert_cmpint (s4->weight_g, ==, 0);
  g_assert_cmpint (s4->volume_cm3, ==, 500000);
  g_assert_cmpint (s4->planned_pickup_at, ==, kl_test_unix_time ("2026-10-08T08:05:00+08:00"));
  g_assert_cmpint (s4->documents_ok, ==, KL_TRI_FALSE);
  g_assert_cmpint (s4->order_accurate, ==, KL_TRI_FALSE);

  s5 = get_shipment (f, "SF1005");
  g_assert_cmpint (s5->mode, ==, KL_MODE_RAIL);
  g_assert_cmpstr (s5->origin_city, ==, "Xi'an");
  g_assert_cmpint (s5->weight_g, ==, 25000000);
  g_assert_cmpint (s5->volume_cm3, ==, 1000250000);
  g_assert_cmpint (s5->documents_ok, ==, KL_TRI_FALSE);
  g_assert_cmpint (s5->order_accurate, ==, KL_TRI_TRUE);
  g_assert_cmpint (s5->damaged_pieces, ==, 2);
  g_assert_cmpint (s5->short_pieces, ==, 1);
  g_assert_true (s5->incident);
}

static void
test_shipments_reimport (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(KlImportResult) first = import_file (f, KL_IMPORT_SHIPMENTS, "shipments.csv", KL_IMPORT_FLAGS_NONE);
  g_autoptr(KlImportResult) again = import_file (f, KL_IMPORT_SHIPMENTS, "shipments.csv", KL_IMPORT_FLAGS_NONE);
  g_autofree char *summary = kl_import_result_summary (again);
  g_autoptr(GBytes) original = load ("shipments.csv");
  g_autofree char *text = g_strndup (g_bytes_get_data (original, NULL), g_bytes_get_size (original));
  g_autofree char *changed_text = NULL;
  g_autoptr(GBytes) changed = NULL;
  g_autoptr(KlImportResult) update = NULL;
  g_autoptr(KlShipment) s2 = NULL;
  g_auto(GStrv) parts = NULL;

  g_assert_cmpstr (summary, ==, "new 0, updated 0, unchanged 5, bad 0");
  g_assert_true (again->written);
  g_assert_cmpint (count_rows (f, "shipments"), ==, 5);

  /* SF1002 arrives: one update, the rest unchanged. */
  parts = g_strsplit (text, "SF1002,ACME,in_transit", 2);
  g_assert_cmpuint (g_strv_length (parts), ==, 2);
  changed_text = g_strjoin ("SF1002,ACME,delivered", parts[0], parts[1], NULL);
  changed = g_bytes_new (changed_text, strlen (changed_text));
  update = import_bytes (f, KL_IMPORT_SHIPMENTS, "shipments.csv", changed, KL_IMPORT_FLAGS_NONE);
  g_assert_cmpuint (update->n_new, ==, 0);
  g_assert_cmpuint (update->n_updated, ==, 1);
  g_assert_cmpuint (update->n_unchanged, ==, 4);
  g_assert_cmpint (count_rows (f, "shipments"), ==, 5);
  s2 = get_shipment (f, "SF1002");
  g_assert_cmpint (s2->status, ==, KL_SHIPMENT_STATUS_DELIVERED);
}

static const guint bad_lines[] = { 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 21, 22 };

static void
check_bad_file_errors (const KlImportResult *result)
{
  g_autoptr(GRegex) form = g_regex_new ("^shipments-bad\\.csv:([0-9]+): column [^:]+: .+ \\(got \"[^\"]*\"\\)$",
                                        0, 0, NULL);
  GHashTable *lines = g_hash_table_new (NULL, NULL);

  g_assert_cmpuint (result->n_rows, ==, 20);
  g_assert_cmpuint (result->n_bad, ==, G_N_ELEMENTS (bad_lines));
  /* Line 19 has two bad fields: two errors, one bad row. */
  g_assert_cmpuint (result->errors->len, ==, G_N_ELEMENTS (bad_lines) + 1);

  for (guint i = 0; i < result->errors->len; i++)
    {
      const char *message = g_ptr_array_index (result->errors, i);
      g_autoptr(GMatchInfo) match = NULL;
      g_autofree char *line = NULL;

      if (!g_regex_match (form, message, 0, &match))
        g_error ("not of the contract's form: %s", message);
      line = g_match_info_fetch (match, 1);
      g_hash_table_add (lines, GUINT_TO_POINTER ((guint) atoi (line)));
    }
  g_assert_cmpuint (g_hash_table_size (lines), ==, G_N_ELEMENTS (bad_lines));
  for (guint i = 0; i < G_N_ELEMENTS (bad_lines); i++)
    g_assert_true (g_hash_table_contains (lines, GUINT_TO_POINTER (bad_lines[i])));
  g_hash_table_unref (lines);

  assert_error_listed (result, "shipments-bad.csv:4: column customer_code: no customer in this workspace has "
                               "this code; import or add the customer first (got \"NOPE\")");
  assert_error_listed (result, "shipments-bad.csv:5: column status: not one of booked (已下单), in_transit (在途), "
                               "delivered (已签收), cancelled (已取消) (got \"lost\")");
  assert_error_listed (result, "shipments-bad.csv:6: column mode: not one of road_ftl (整车), road_ltl (零担), "
                               "rail (铁路), air (空运), sea (海运), express (快递) (got \"boat\")");
  assert_error_listed (result, "shipments-bad.csv:7: column pieces: must not be negative (got \"-3\")");
  assert_error_listed (result, "shipments-bad.csv:8: column pieces: not a whole number (got \"2.5\")");
  assert_error_listed (result, "shipments-bad.csv:9: column weight_kg: not a number; write it like 1234.5, "
                               "with . as the decimal point (got \"heavy\")");
  assert_error_listed (result, "shipments-bad.csv:10: column weight_kg: not a number; write it like 1234.5, "
                               "with . as the decimal point (got \"12,34\")");
  assert_error_listed (result, "shipments-bad.csv:11: column volume_m3: must not be negative (got \"-0.5\")");
  assert_error_listed (result, "shipments-bad.csv:12: column planned_pickup_at: not a time; write it like "
                               "2026-10-03 08:30 or 2026-10-03T08:30:00+08:00 (got \"03/10/2026 08:00\")");
  assert_error_listed (result, "shipments-bad.csv:13: column planned_delivery_at: a value is required (got \"\")");
  assert_error_listed (result, "shipments-bad.csv:14: column documents_ok: not a yes/no value; write "
                               "true/false, 1/0, yes/no, y/n or 是/否 (got \"maybe\")");
  assert_error_listed (result, "shipments-bad.csv:15: column incident: not a yes/no value; write "
                               "true/false, 1/0, yes/no, y/n or 是/否 (got \"2\")");
  assert_error_listed (result, "shipments-bad.csv:16: column damaged_pieces: not a whole number like 12 (got \"x\")");
  assert_error_listed (result, "shipments-bad.csv:17: column waybill: the same waybill is on line 2; "
                               "a file may list each waybill once (got \"SF100\")");
  assert_error_listed (result, "shipments-bad.csv:18: column waybill: a value is required (got \"\")");
  assert_error_listed (result, "shipments-bad.csv:19: column status: not one of booked (已下单), in_transit (在途), "
                               "delivered (已签收), cancelled (已取消) (got \"?\")");
  assert_error_listed (result, "shipments-bad.csv:19: column pieces: not a whole number like 12 (got \"many\")");
  assert_error_listed (result, "shipments-bad.csv:21: column 21: the line has more fields than the header "
                               "names (got \"surplus\")");
  assert_error_listed (result, "shipments-bad.csv:22: column planned_pickup_at: not a time; write it like "
                               "2026-10-03 08:30 or 2026-10-03T08:30:00+08:00 (got \"2026-10-33 08:00\")");
}

static void
test_bad_rows_write_nothing (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(KlImportResult) result = import_file (f, KL_IMPORT_SHIPMENTS, "shipments-bad.csv", KL_IMPORT_FLAGS_NONE);
  g_autofree char *summary = kl_import_result_summary (result);

  check_bad_file_errors (result);
  g_assert_false (result->written);
  g_assert_cmpstr (summary, ==, "new 0, updated 0, unchanged 0, bad 18");
  g_assert_cmpint (count_rows (f, "shipments"), ==, 0);
  assert_customer_index (f);
  assert_pragmas_back (f);
}

static void
test_skip_bad (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(KlImportResult) result = import_file (f, KL_IMPORT_SHIPMENTS, "shipments-bad.csv",
                                                  KL_IMPORT_FLAGS_SKIP_BAD);
  g_autofree char *summary = kl_import_result_summary (result);
  g_autoptr(KlShipment) s100 = NULL;
  g_autoptr(KlShipment) s115 = NULL;

  check_bad_file_errors (result);
  g_assert_true (result->written);
  g_assert_cmpstr (summary, ==, "new 2, updated 0, unchanged 0, bad 18");
  g_assert_cmpint (count_rows (f, "shipments"), ==, 2);
  assert_pragmas_back (f);

  /* The first SF100 is the one written; the repeat on line 17 is not. */
  s100 = get_shipment (f, "SF100");
  g_assert_cmpstr (s100->origin_city, ==, "Shanghai\nPudong");
  g_assert_cmpint (s100->pieces, ==, 10);
  s115 = get_shipment (f, "SF115");
  g_assert_cmpint (s115->mode, ==, KL_MODE_SEA);
  g_assert_null (s115->dest_region);
  g_assert_false (has_shipment (f, "SF101"));
}

static void
test_dry_run (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(KlImportResult) dry = import_file (f, KL_IMPORT_SHIPMENTS, "shipments.csv", KL_IMPORT_FLAGS_DRY_RUN);
  g_autoptr(KlImportResult) real = NULL;
  g_autoptr(KlImportResult) dry_again = NULL;
  g_autoptr(KlImportResult) dry_bad = NULL;
  g_autoptr(GBytes) original = load ("shipments.csv");
  g_autofree char *text = g_strndup (g_bytes_get_data (original, NULL), g_bytes_get_size (original));
  g_auto(GStrv) parts = g_strsplit (text, "SF1002,ACME,in_transit", 2);
  g_autofree char *changed_text = g_strjoin ("SF1002,ACME,delivered", parts[0], parts[1], NULL);
  g_autoptr(GBytes) changed = g_bytes_new (changed_text, strlen (changed_text));
  g_autoptr(KlShipment) s2 = NULL;
  gint64 outbox;

  g_assert_cmpuint (dry->n_new, ==, 5);
  g_assert_false (dry->written);
  g_assert_cmpint (count_rows (f, "shipments"), ==, 0);

  real = import_file (f, KL_IMPORT_SHIPMENTS, "shipments.csv", KL_IMPORT_FLAGS_NONE);
  g_assert_cmpuint (real->n_new, ==, 5);

  outbox = kl_database_outbox_count (f->db);
  dry_again = import_bytes (f, KL_IMPORT_SHIPMENTS, "shipments.csv", changed, KL_IMPORT_FLAGS_DRY_RUN);
  g_assert_cmpuint (dry_again->n_new, ==, 0);
  g_assert_cmpuint (dry_again->n_updated, ==, 1);
  g_assert_cmpuint (dry_again->n_unchanged, ==, 4);
  g_assert_false (dry_again->written);
  s2 = get_shipment (f, "SF1002");
  g_assert_cmpint (s2->status, ==, KL_SHIPMENT_STATUS_IN_TRANSIT);
  g_assert_cmpint (kl_database_outbox_count (f->db), ==, outbox);

  /* A dry run of a file with bad rows lists them and counts the good ones. */
  dry_bad = import_file (f, KL_IMPORT_SHIPMENTS, "shipments-bad.csv", KL_IMPORT_FLAGS_DRY_RUN);
  check_bad_file_errors (dry_bad);
  g_assert_cmpuint (dry_bad->n_new, ==, 2);
  g_assert_false (dry_bad->written);
  g_assert_cmpint (count_rows (f, "shipments"), ==, 5);
}

static void
test_semicolon (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(KlImportResult) result = import_file (f, KL_IMPORT_SHIPMENTS, "shipments-semicolon.csv",
                                                  KL_IMPORT_FLAGS_SKIP_BAD);
  g_autoptr(KlShipment) sc1 = NULL;
  g_autoptr(KlShipment) sc3 = NULL;

  g_assert_cmpint (result->delimiter, ==, ';');
  g_assert_cmpuint (result->n_new, ==, 2);
  g_assert_cmpuint (result->n_bad, ==, 1);
  g_assert_cmpuint (result->errors->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (result->errors, 0), ==,
                   "shipments-semicolon.csv:3: column weight_kg: a comma may only group thousands, and only "
                   "in a quoted field; write the number with . as the decimal point (got \"1,5\")");
  sc1 = get_shipment (f, "SC1");
  g_assert_cmpint (sc1->weight_g, ==, 1234500);
  sc3 = get_shipment (f, "SC3");
  g_assert_cmpint (sc3->weight_g, ==, 750);
  g_assert_false (has_shipment (f, "SC2"));
}

static void
test_tab_and_unknown_columns (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(KlImportResult) result = import_file (f, KL_IMPORT_SHIPMENTS, "shipments-tab.tsv", KL_IMPORT_FLAGS_NONE);
  g_autoptr(KlShipment) tb2 = NULL;

  g_assert_cmpint (result->delimiter, ==, '\t');
  g_assert_cmpuint (result->n_new, ==, 2);
  g_assert_cmpuint (result->n_bad, ==, 0);
  /* Header names match in any case and with spaces around them. */
  g_assert_cmpuint (result->unknown_columns->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (result->unknown_columns, 0), ==, "driver");
  g_assert_cmpstr (g_ptr_array_index (result->unknown_columns, 1), ==, "remark");
  tb2 = get_shipment (f, "TB2");
  g_assert_cmpint (tb2->pieces, ==, 6);
  g_assert_cmpint (tb2->status, ==, KL_SHIPMENT_STATUS_BOOKED);
}

static void
test_bom_crlf_line_numbers (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(KlImportResult) result = import_file (f, KL_IMPORT_SHIPMENTS, "shipments-bom-crlf.csv",
                                                  KL_IMPORT_FLAGS_SKIP_BAD);
  g_autoptr(KlShipment) bc1 = NULL;

  g_assert_cmpstr (result->encoding, ==, "UTF-8");
  g_assert_cmpuint (result->n_new, ==, 1);
  g_assert_cmpuint (result->n_bad, ==, 1);
  /* BC2 is the second record but starts on line 4. */
  g_assert_cmpuint (result->errors->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (result->errors, 0), ==,
                   "shipments-bom-crlf.csv:4: column pieces: not a whole number like 12 (got \"abc\")");
  bc1 = get_shipment (f, "BC1");
  g_assert_cmpstr (bc1->origin_city, ==, "Shanghai\nPudong");
}

static void
test_customers_then_chinese_shipments (Fixture       *f,
                                       gconstpointer  data)
{
  g_autoptr(KlImportResult) before = NULL;
  g_autoptr(KlImportResult) customers = NULL;
  g_autoptr(KlImportResult) zh = NULL;
  g_autoptr(KlImportResult) gb = NULL;
  g_autoptr(KlShipment) z1 = NULL;
  g_autoptr(KlShipment) z2 = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *hxw_id = NULL;

  /* HXW is not a customer yet. */
  before = import_file (f, KL_IMPORT_SHIPMENTS, "shipments-zh.csv", KL_IMPORT_FLAGS_NONE);
  g_assert_cmpuint (before->n_bad, ==, 2);
  g_assert_false (before->written);
  assert_error_listed (before, "shipments-zh.csv:2: column 客户编码: no customer in this workspace has "
                               "this code; import or add the customer first (got \"HXW\")");

  customers = import_file (f, KL_IMPORT_CUSTOMERS, "customers.csv", KL_IMPORT_FLAGS_NONE);
  g_assert_true (customers->written);

  zh = import_file (f, KL_IMPORT_SHIPMENTS, "shipments-zh.csv", KL_IMPORT_FLAGS_NONE);
  g_assert_cmpuint (zh->n_new, ==, 3);
  g_assert_cmpuint (zh->n_bad, ==, 0);
  g_assert_true (zh->written);
  g_assert_cmpuint (zh->unknown_columns->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (zh->unknown_columns, 0), ==, "备注");

  hxw_id = kl_customer_store_lookup_code (f->db, "HXW", &error);
  g_assert_no_error (error);
  z1 = get_shipment (f, "ZH001");
  g_assert_cmpstr (z1->customer_id, ==, hxw_id);
  g_assert_cmpint (z1->status, ==, KL_SHIPMENT_STATUS_DELIVERED);
  g_assert_cmpint (z1->mode, ==, KL_MODE_ROAD_FTL);
  g_assert_cmpstr (z1->origin_city, ==, "深圳");
  g_assert_cmpstr (z1->dest_region, ==, "华中");
  g_assert_cmpint (z1->weight_g, ==, 860250);
  g_assert_cmpint (z1->volume_cm3, ==, 4500000);
  g_assert_cmpint (z1->documents_ok, ==, KL_TRI_TRUE);
  g_assert_false (z1->incident);
  z2 = get_shipment (f, "ZH002");
  g_assert_cmpint (z2->status, ==, KL_SHIPMENT_STATUS_IN_TRANSIT);
  g_assert_cmpint (z2->mode, ==, KL_MODE_ROAD_LTL);
  g_assert_cmpint (z2->order_accurate, ==, KL_TRI_FALSE);
  g_assert_cmpint (z2->damaged_pieces, ==, 1);

  /* The same file in GB18030 holds the same records. */
  gb = import_file (f, KL_IMPORT_SHIPMENTS, "shipments-gb18030.csv", KL_IMPORT_FLAGS_NONE);
  g_assert_cmpstr (gb->encoding, ==, "GB18030");
  g_assert_cmpuint (gb->n_new, ==, 0);
  g_assert_cmpuint (gb->n_updated, ==, 0);
  g_assert_cmpuint (gb->n_unchanged, ==, 3);
  g_assert_cmpuint (gb->n_bad, ==, 0);
  g_assert_cmpuint (gb->unknown_columns->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (gb->unknown_columns, 0), ==, "备注");
  g_assert_cmpint (count_rows (f, "shipments"), ==, 3);
}

static void
test_customers (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(KlImportResult) result = import_file (f, KL_IMPORT_CUSTOMERS, "customers.csv", KL_IMPORT_FLAGS_NONE);
  g_autoptr(KlImportResult) again = NULL;
  g_autoptr(KlCustomer) acme = NULL;
  g_autoptr(KlCustomer) hxw = NULL;
  g_autoptr(KlCustomer) city = NULL;
  g_autofree char *summary = kl_import_result_summary (result);
  g_autofree char *summary_again = NULL;

  /* ACME was made by the fixture: updated, not doubled. */
  g_assert_cmpstr (summary, ==, "new 2, updated 1, unchanged 0, bad 0");
  g_assert_true (result->written);
  g_assert_cmpuint (result->unknown_columns->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (result->unknown_columns, 0), ==, "crm_id");
  g_assert_cmpint (count_rows (f, "customers"), ==, 3);

  acme = get_customer (f, "ACME");
  g_assert_cmpstr (acme->name, ==, "ACME Industrial");
  g_assert_cmpstr (acme->legal_name, ==, "ACME Industrial Co. Ltd.");
  g_assert_cmpint (acme->relationship, ==, KL_RELATIONSHIP_PARTNER);
  g_assert_cmpstr (acme->account_manager, ==, "Li Wei");
  g_assert_cmpstr (acme->notes, ==, "Weekly call, Mondays");
  g_assert_nonnull (acme->tags);
  g_assert_cmpuint (g_strv_length (acme->tags), ==, 2);
  g_assert_cmpstr (acme->tags[0], ==, "key");
  g_assert_cmpstr (acme->tags[1], ==, "north");

  /* Chinese words for every vocabulary. */
  hxw = get_customer (f, "HXW");
  g_assert_cmpstr (hxw->name, ==, "华星电子");
  g_assert_cmpint (hxw->kind, ==, KL_CUSTOMER_KIND_ENTERPRISE);
  g_assert_cmpint (hxw->channel, ==, KL_CHANNEL_DISTRIBUTOR);
  g_assert_cmpint (hxw->relationship, ==, KL_RELATIONSHIP_PROACTIVE);
  g_assert_cmpint (hxw->status, ==, KL_CUSTOMER_STATUS_AT_RISK);
  g_assert_cmpstr (hxw->region, ==, "华南");
  g_assert_cmpuint (g_strv_length (hxw->tags), ==, 2);
  g_assert_cmpstr (hxw->tags[0], ==, "电子");
  g_assert_cmpstr (hxw->tags[1], ==, "重点");
  g_assert_null (hxw->notes);

  /* Empty vocabulary fields take the defaults of a new customer. */
  city = get_customer (f, "CITY");
  g_assert_cmpint (city->kind, ==, KL_CUSTOMER_KIND_PUBLIC);
  g_assert_cmpint (city->channel, ==, KL_CHANNEL_END_CUSTOMER);
  g_assert_cmpint (city->status, ==, KL_CUSTOMER_STATUS_PROSPECT);
  g_assert_null (city->legal_name);
  g_assert_true (city->tags == NULL || city->tags[0] == NULL);
  g_assert_cmpstr (city->notes, ==, "Donated transport\nquarterly");

  again = import_file (f, KL_IMPORT_CUSTOMERS, "customers.csv", KL_IMPORT_FLAGS_NONE);
  summary_again = kl_import_result_summary (again);
  g_assert_cmpstr (summary_again, ==, "new 0, updated 0, unchanged 3, bad 0");
  g_assert_cmpint (count_rows (f, "customers"), ==, 3);
}

static void
test_customers_partial_columns_keep_values (Fixture       *f,
                                            gconstpointer  data)
{
  g_autoptr(KlImportResult) full = import_file (f, KL_IMPORT_CUSTOMERS, "customers.csv", KL_IMPORT_FLAGS_NONE);
  g_autoptr(KlImportResult) dry = import_file (f, KL_IMPORT_CUSTOMERS, "customers-partial.csv",
                                               KL_IMPORT_FLAGS_DRY_RUN);
  g_autoptr(KlImportResult) partial = NULL;
  g_autoptr(KlImportResult) again = NULL;
  g_autoptr(KlCustomer) acme = NULL;

  g_assert_cmpuint (dry->n_updated, ==, 1);
  g_assert_false (dry->written);
  acme = get_customer (f, "ACME");
  g_assert_cmpstr (acme->region, ==, "华东");
  g_clear_pointer (&acme, kl_customer_free);

  partial = import_file (f, KL_IMPORT_CUSTOMERS, "customers-partial.csv", KL_IMPORT_FLAGS_NONE);
  g_assert_cmpuint (partial->n_updated, ==, 1);
  acme = get_customer (f, "ACME");
  g_assert_cmpstr (acme->region, ==, "华北");
  g_assert_cmpstr (acme->legal_name, ==, "ACME Industrial Co. Ltd.");
  g_assert_cmpstr (acme->account_manager, ==, "Li Wei");
  g_assert_cmpint (acme->relationship, ==, KL_RELATIONSHIP_PARTNER);
  g_assert_cmpstr (acme->notes, ==, "Weekly call, Mondays");
  g_assert_cmpuint (g_strv_length (acme->tags), ==, 2);

  again = import_file (f, KL_IMPORT_CUSTOMERS, "customers-partial.csv", KL_IMPORT_FLAGS_NONE);
  g_assert_cmpuint (again->n_unchanged, ==, 1);
  g_assert_cmpuint (again->n_updated, ==, 0);
}

static void
test_customers_bad (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(KlImportResult) result = import_file (f, KL_IMPORT_CUSTOMERS, "customers-bad.csv", KL_IMPORT_FLAGS_NONE);
  g_autoptr(KlImportResult) skip = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(KlCustomer) g1 = NULL;

  g_assert_cmpuint (result->n_rows, ==, 7);
  g_assert_cmpuint (result->n_bad, ==, 6);
  g_assert_cmpuint (result->errors->len, ==, 6);
  g_assert_false (result->written);
  g_assert_cmpint (count_rows (f, "customers"), ==, 1);
  assert_error_listed (result, "customers-bad.csv:3: column name: a value is required (got \"\")");
  assert_error_listed (result, "customers-bad.csv:4: column kind: not one of enterprise (企业), individual (个人), "
                               "public (公益) (got \"company\")");
  assert_error_listed (result, "customers-bad.csv:5: column channel: not one of end_customer (终端客户), "
                               "distributor (经销商) (got \"retail\")");
  assert_error_listed (result, "customers-bad.csv:8: column code: the same code is on line 2; a file may "
                               "list each customer once (got \"G1\")");

  skip = import_file (f, KL_IMPORT_CUSTOMERS, "customers-bad.csv", KL_IMPORT_FLAGS_SKIP_BAD);
  g_assert_cmpuint (skip->n_new, ==, 1);
  g_assert_true (skip->written);
  g1 = kl_customer_store_get_by_code (f->db, "G1", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (g1->name, ==, "Good One");
  g_assert_cmpint (g1->channel, ==, KL_CHANNEL_DISTRIBUTOR);
  g_assert_cmpint (count_rows (f, "customers"), ==, 2);
}

static void
test_file_errors (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) missing = import_fails (f, KL_IMPORT_SHIPMENTS, "shipments-missing-columns.csv");
  g_autoptr(GError) doubled = import_fails (f, KL_IMPORT_SHIPMENTS, "shipments-doubled-column.csv");
  g_autoptr(GError) syntax = import_fails (f, KL_IMPORT_SHIPMENTS, "shipments-unterminated.csv");
  g_autoptr(GError) encoding = import_fails (f, KL_IMPORT_SHIPMENTS, "not-text.csv");
  g_autoptr(GError) empty = import_fails (f, KL_IMPORT_SHIPMENTS, "empty.csv");
  g_autoptr(GError) customers = import_fails (f, KL_IMPORT_CUSTOMERS, "shipments.csv");

  g_assert_error (missing, KL_IMPORT_ERROR, KL_IMPORT_ERROR_HEADER);
  g_assert_cmpstr (missing->message, ==,
                   "shipments-missing-columns.csv:1: the header lacks the required columns "
                   "pieces (件数), planned_delivery_at (计划送达时间)");
  g_assert_error (doubled, KL_IMPORT_ERROR, KL_IMPORT_ERROR_HEADER);
  g_assert_nonnull (strstr (doubled->message, "运单号"));
  g_assert_error (syntax, KL_IMPORT_ERROR, KL_IMPORT_ERROR_SYNTAX);
  g_assert_true (g_str_has_prefix (syntax->message, "shipments-unterminated.csv:3: "));
  g_assert_error (encoding, KL_IMPORT_ERROR, KL_IMPORT_ERROR_ENCODING);
  g_assert_error (empty, KL_IMPORT_ERROR, KL_IMPORT_ERROR_EMPTY);
  /* A shipments file is no customers file: code and name are missing. */
  g_assert_error (customers, KL_IMPORT_ERROR, KL_IMPORT_ERROR_HEADER);
  g_assert_nonnull (strstr (customers->message, "code (客户编码)"));

  /* The good first row of the unterminated file was not written. */
  g_assert_cmpint (count_rows (f, "shipments"), ==, 0);
}

static void
test_workspace_time_zone (Fixture       *f,
                          gconstpointer  data)
{
  const char *text = "waybill,customer_code,status,pieces,planned_pickup_at,planned_delivery_at\n"
                     "TZ1,ACME,booked,1,2026-01-15 01:30,2026-07-15T10:00:00+02:00\n";
  g_autoptr(GBytes) bytes = g_bytes_new_static (text, strlen (text));
  g_autoptr(GError) error = NULL;
  g_autoptr(KlImportResult) result = NULL;
  g_autoptr(KlShipment) s = NULL;

  g_assert_true (kl_rollup_set_timezone (f->db, "Europe/Berlin", &error));
  g_assert_no_error (error);
  result = import_bytes (f, KL_IMPORT_SHIPMENTS, "tz.csv", bytes, KL_IMPORT_FLAGS_NONE);
  g_assert_cmpuint (result->n_new, ==, 1);
  s = get_shipment (f, "TZ1");
  /* Wall-clock time in Berlin (CET, +01:00); an explicit offset wins. */
  g_assert_cmpint (s->planned_pickup_at, ==, kl_test_unix_time ("2026-01-15T00:30:00Z"));
  g_assert_cmpint (s->planned_delivery_at, ==, kl_test_unix_time ("2026-07-15T08:00:00Z"));
}

static void
test_skip_bad_with_no_good_row (Fixture       *f,
                                gconstpointer  data)
{
  const char *text = "waybill,customer_code,status,pieces,planned_pickup_at,planned_delivery_at\n"
                     "\n"
                     "X1,NOBODY,booked,1,2026-01-15 01:30,2026-01-16 01:30\n"
                     "\n";
  g_autoptr(GBytes) bytes = g_bytes_new_static (text, strlen (text));
  g_autoptr(KlImportResult) result = import_bytes (f, KL_IMPORT_SHIPMENTS, "none.csv", bytes,
                                                   KL_IMPORT_FLAGS_SKIP_BAD);

  /* Blank lines are no rows; the bad row keeps its physical line. */
  g_assert_cmpuint (result->n_rows, ==, 1);
  g_assert_cmpuint (result->n_bad, ==, 1);
  g_assert_false (result->written);
  g_assert_cmpuint (result->errors->len, ==, 1);
  g_assert_true (g_str_has_prefix (g_ptr_array_index (result->errors, 0), "none.csv:3: column customer_code: "));
  g_assert_cmpint (count_rows (f, "shipments"), ==, 0);
}

static GBytes *
big_file (guint n_rows)
{
  GString *text = g_string_new ("waybill,customer_code,status,pieces,planned_pickup_at,planned_delivery_at\n");

  for (guint i = 0; i < n_rows; i++)
    g_string_append_printf (text, "BIG%06u,ACME,delivered,%u,2026-10-%02u 08:00,2026-10-%02u 18:00\n",
                            i, i % 50, 1 + i % 28, 1 + i % 28);
  return g_string_free_to_bytes (text);
}

typedef struct {
  GArray       *fractions;
  GCancellable *cancellable;
  double        cancel_at;
} Progress;

static void
on_progress (double   fraction,
             gpointer user_data)
{
  Progress *p = user_data;

  g_array_append_val (p->fractions, fraction);
  if (p->cancellable != NULL && fraction >= p->cancel_at)
    g_cancellable_cancel (p->cancellable);
}

static void
test_progress (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GBytes) bytes = big_file (3000);
  g_autoptr(GError) error = NULL;
  g_autoptr(KlImportResult) result = NULL;
  Progress p = { g_array_new (FALSE, FALSE, sizeof (double)), NULL, 2.0 };

  result = kl_import_run (f->db, KL_IMPORT_SHIPMENTS, "big.csv", bytes, KL_IMPORT_FLAGS_NONE,
                          on_progress, &p, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (result->n_new, ==, 3000);
  g_assert_cmpint (count_rows (f, "shipments"), ==, 3000);

  /* Roughly every 1 %, rising, ending at 1. */
  g_assert_cmpuint (p.fractions->len, >=, 50);
  g_assert_cmpuint (p.fractions->len, <=, 110);
  for (guint i = 1; i < p.fractions->len; i++)
    g_assert_cmpfloat (g_array_index (p.fractions, double, i), >, g_array_index (p.fractions, double, i - 1));
  g_assert_cmpfloat (g_array_index (p.fractions, double, p.fractions->len - 1), ==, 1.0);
  g_array_unref (p.fractions);
}

static void
test_cancel (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GBytes) bytes = big_file (3000);
  g_autoptr(GCancellable) before = g_cancellable_new ();
  g_autoptr(GCancellable) during = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) error2 = NULL;
  KlImportResult *result;
  Progress p = { g_array_new (FALSE, FALSE, sizeof (double)), during, 0.6 };

  g_cancellable_cancel (before);
  result = kl_import_run (f->db, KL_IMPORT_SHIPMENTS, "big.csv", bytes, KL_IMPORT_FLAGS_NONE,
                          NULL, NULL, before, &error);
  g_assert_null (result);
  g_assert_error (error, KL_IMPORT_ERROR, KL_IMPORT_ERROR_CANCELLED);
  g_assert_cmpint (count_rows (f, "shipments"), ==, 0);

  /* Cancelled half-way through writing: the transaction is rolled back. */
  result = kl_import_run (f->db, KL_IMPORT_SHIPMENTS, "big.csv", bytes, KL_IMPORT_FLAGS_NONE,
                          on_progress, &p, during, &error2);
  g_assert_null (result);
  g_assert_error (error2, KL_IMPORT_ERROR, KL_IMPORT_ERROR_CANCELLED);
  g_assert_cmpfloat (g_array_index (p.fractions, double, p.fractions->len - 1), >=, 0.6);
  g_assert_cmpint (count_rows (f, "shipments"), ==, 0);
  g_assert_false (kl_database_in_transaction (f->db));
  g_assert_false (has_shipment (f, "BIG000000"));
  g_array_unref (p.fractions);
}

static void
test_inside_caller_transaction (Fixture       *f,
                                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KlImportResult) result = NULL;

  g_assert_true (kl_database_begin (f->db, &error));
  result = import_file (f, KL_IMPORT_SHIPMENTS, "shipments.csv", KL_IMPORT_FLAGS_NONE);
  g_assert_cmpuint (result->n_new, ==, 5);
  g_assert_true (kl_database_in_transaction (f->db));
  kl_database_rollback (f->db);
  g_assert_cmpint (count_rows (f, "shipments"), ==, 0);
}

/* Issue 12 */

static KlImportResult *
import_file_flags_fails (Fixture       *f,
                         const char    *name,
                         KlImportFlags  flags,
                         GError       **error)
{
  g_autoptr(GBytes) bytes = load (name);

  return kl_import_run (f->db, KL_IMPORT_SHIPMENTS, name, bytes, flags, NULL, NULL, NULL, error);
}

/* Defect 2: the contract's bounds make bad rows. */
static void
test_bounds (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(KlImportResult) result = import_file (f, KL_IMPORT_SHIPMENTS, "shipments-bounds.csv",
                                                  KL_IMPORT_FLAGS_SKIP_BAD);
  g_autoptr(KlShipment) b1 = NULL;

  g_assert_cmpuint (result->n_new, ==, 1);
  g_assert_cmpuint (result->n_bad, ==, 7);
  assert_error_listed (result, "shipments-bounds.csv:3: column pieces: too large; at most 10000000 is accepted "
                               "(got \"10000001\")");
  assert_error_listed (result, "shipments-bounds.csv:4: column weight_kg: too large; at most 100000000 is accepted "
                               "(got \"100000000.001\")");
  assert_error_listed (result, "shipments-bounds.csv:5: column volume_m3: too large; at most 10000000 is accepted "
                               "(got \"10000000.000001\")");
  assert_error_listed (result, "shipments-bounds.csv:6: column damaged_pieces: too large; at most 10000000 is "
                               "accepted (got \"10000001\")");
  assert_error_listed (result, "shipments-bounds.csv:7: column short_pieces: too large; at most 10000000 is "
                               "accepted (got \"10000001\")");
  assert_error_listed (result, "shipments-bounds.csv:8: column pieces: too large; at most 10000000 is accepted "
                               "(got \"9223372036854775807\")");
  assert_error_listed (result, "shipments-bounds.csv:9: column pieces: too large; at most 10000000 is accepted "
                               "(got \"99999999999999999999999\")");

  /* The bounds themselves are accepted. */
  b1 = get_shipment (f, "B01");
  g_assert_cmpint (b1->pieces, ==, 10000000);
  g_assert_cmpint (b1->weight_g, ==, G_GINT64_CONSTANT (100000000000));
  g_assert_cmpint (b1->volume_cm3, ==, G_GINT64_CONSTANT (10000000000000));
  g_assert_cmpint (b1->damaged_pieces, ==, 10000000);
  g_assert_cmpint (b1->short_pieces, ==, 10000000);
}

/* Defect 2, the issue's reproduction: pieces 9223372036854775807 plus 1 in
 * the same month was imported, and the rollup turned into a REAL. */
static void
test_rollup_overflow (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(KlImportResult) result = import_file (f, KL_IMPORT_SHIPMENTS, "shipments-overflow.csv",
                                                  KL_IMPORT_FLAGS_NONE);
  g_autoptr(KlImportResult) skipped = NULL;
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;

  g_assert_cmpuint (result->n_bad, ==, 1);
  g_assert_false (result->written);
  assert_error_listed (result, "shipments-overflow.csv:2: column pieces: too large; at most 10000000 is accepted "
                               "(got \"9223372036854775807\")");
  g_assert_cmpint (count_rows (f, "shipments"), ==, 0);

  skipped = import_file (f, KL_IMPORT_SHIPMENTS, "shipments-overflow.csv", KL_IMPORT_FLAGS_SKIP_BAD);
  g_assert_cmpuint (skipped->n_new, ==, 1);
  g_assert_cmpint (count_rows (f, "rollup_month WHERE typeof(pieces) <> 'integer'"), ==, 0);
  g_assert_cmpint (count_rows (f, "rollup_month WHERE pieces = 1"), ==, 1);
  g_assert_true (kl_rollup_check (f->db, problems, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (problems->len, ==, 0);
}

/* Defect 2: sums never overflow, in C nor in SQL. */
static void
test_rollup_sums_checked (Fixture       *f,
                          gconstpointer  data)
{
  KlRollupCounts a = { 0 }, b = { 0 };
  g_autoptr(KlShipment) s1 = kl_shipment_new ();
  g_autoptr(KlShipment) s2 = kl_shipment_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) overflow = NULL;
  g_autofree char *acme_id = kl_customer_store_lookup_code (f->db, "ACME", &error);
  KlUpsertResult upsert;

  a.v[KL_RC_PIECES] = G_MAXINT64 - 1;
  b.v[KL_RC_PIECES] = 1;
  g_assert_true (kl_rollup_counts_add (&a, &b));
  g_assert_cmpint (a.v[KL_RC_PIECES], ==, G_MAXINT64);
  g_assert_false (kl_rollup_counts_add (&a, &b));
  g_assert_cmpint (a.v[KL_RC_PIECES], ==, G_MAXINT64);
  a.v[KL_RC_WEIGHT_G] = G_MININT64;
  b.v[KL_RC_WEIGHT_G] = -1;
  g_assert_false (kl_rollup_counts_add (&a, &b));
  g_assert_cmpint (a.v[KL_RC_WEIGHT_G], ==, G_MININT64);

  /* The store takes no bounds of its own; two huge shipments in one month
   * fail the second write instead of making the rollup a REAL. */
  g_assert_no_error (error);
  s1->waybill = g_strdup ("HUGE1");
  s1->customer_id = g_strdup (acme_id);
  s1->status = KL_SHIPMENT_STATUS_BOOKED;
  s1->pieces = G_MAXINT64 / 2 + 1;
  s1->planned_pickup_at = 1790000000;
  s1->planned_delivery_at = 1790003600;
  g_assert_true (kl_shipment_store_save (f->db, s1, &upsert, &error));
  g_assert_no_error (error);
  s2->waybill = g_strdup ("HUGE2");
  s2->customer_id = g_strdup (acme_id);
  s2->status = KL_SHIPMENT_STATUS_BOOKED;
  s2->pieces = G_MAXINT64 / 2 + 1;
  s2->planned_pickup_at = 1790000000;
  s2->planned_delivery_at = 1790003600;
  g_assert_false (kl_shipment_store_save (f->db, s2, &upsert, &overflow));
  g_assert_error (overflow, KL_DATABASE_ERROR, KL_DATABASE_ERROR_CONSTRAINT);
  g_assert_false (has_shipment (f, "HUGE2"));
  g_assert_cmpint (count_rows (f, "rollup_month WHERE typeof(pieces) <> 'integer'"), ==, 0);
  g_assert_cmpint (count_rows (f, "rollup_month_region WHERE typeof(pieces) <> 'integer'"), ==, 0);
}

/* Defect 7: times outside 2000..2099 (UTC) are bad rows, and no CRITICAL
 * (g_test_init makes one fatal). */
static void
test_time_range (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(KlImportResult) result = import_file (f, KL_IMPORT_SHIPMENTS, "shipments-time-range.csv",
                                                  KL_IMPORT_FLAGS_SKIP_BAD);
  const char *what = "out of range; a time must lie between 2000-01-01 and 2099-12-31 (UTC)";
  g_autofree char *e2 = g_strdup_printf ("shipments-time-range.csv:2: column planned_pickup_at: %s "
                                         "(got \"0000-06-01 08:00\")", what);
  g_autofree char *e3 = g_strdup_printf ("shipments-time-range.csv:3: column planned_delivery_at: %s "
                                         "(got \"9999-12-31T23:00:00-05:00\")", what);
  g_autofree char *e4 = g_strdup_printf ("shipments-time-range.csv:4: column planned_pickup_at: %s "
                                         "(got \"1999-12-31T23:59:59Z\")", what);
  g_autofree char *e6 = g_strdup_printf ("shipments-time-range.csv:6: column planned_delivery_at: %s "
                                         "(got \"2100-01-01T00:00:00Z\")", what);
  g_autofree char *e7 = g_strdup_printf ("shipments-time-range.csv:7: column planned_pickup_at: %s "
                                         "(got \"2099-12-31T23:59:59-01:00\")", what);
  g_autoptr(KlShipment) t4 = NULL;

  g_assert_cmpuint (result->n_bad, ==, 5);
  g_assert_cmpuint (result->n_new, ==, 1);
  assert_error_listed (result, e2);
  assert_error_listed (result, e3);
  assert_error_listed (result, e4);
  assert_error_listed (result, e6);
  assert_error_listed (result, e7);
  /* The store refuses such a time from any writer. */
  {
    g_autoptr(KlShipment) stored = get_shipment (f, "T04");
    g_autoptr(KlShipment) t0 = kl_shipment_copy (stored);
    g_autoptr(GError) error = NULL;
    KlUpsertResult upsert;

    g_free (t0->waybill);
    t0->waybill = g_strdup ("T00");
    g_clear_pointer (&t0->id, g_free);
    t0->planned_pickup_at = -62150000000;  /* in year 0 */
    g_assert_false (kl_shipment_store_save (f->db, t0, &upsert, &error));
    g_assert_error (error, KL_DATABASE_ERROR, KL_DATABASE_ERROR_INVALID);
    g_assert_false (has_shipment (f, "T00"));
  }

  t4 = get_shipment (f, "T04");
  g_assert_cmpint (t4->planned_pickup_at, ==, KL_IMPORT_MIN_TIME);
  g_assert_cmpint (t4->planned_delivery_at, ==, KL_IMPORT_MAX_TIME);
  /* Counted in its month. */
  g_assert_cmpint (count_rows (f, "rollup_month WHERE month = 200001"), ==, 1);
}

static void
assert_one_line (const char *line)
{
  for (const char *p = line; *p != '\0'; p++)
    if ((guchar) *p < 0x20 || *p == 0x7F)
      g_error ("a control character (0x%02X) in: %s", (guchar) *p, line);
}

/* Defect 8: every error is one line, with control characters escaped and
 * values cut to 60 characters; so are the file name and unknown headers. */
static void
test_errors_one_line (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GBytes) bytes = load ("shipments-hostile.csv");
  g_autoptr(GError) error = NULL;
  g_autoptr(KlImportResult) result = NULL;
  const char *unknown;

  result = kl_import_run (f->db, KL_IMPORT_SHIPMENTS, "evil\n\x1b[31mname.csv", bytes, KL_IMPORT_FLAGS_NONE,
                          NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (result->n_bad, ==, 3);
  for (guint i = 0; i < result->errors->len; i++)
    {
      const char *line = g_ptr_array_index (result->errors, i);

      assert_one_line (line);
      g_assert_true (g_str_has_prefix (line, "evil\\n\\x1B[31mname.csv:"));
      g_assert_cmpuint (g_utf8_strlen (line, -1), <, 300);
    }
  /* The header takes lines 1 and 2. */
  assert_error_listed (result, "evil\\n\\x1B[31mname.csv:3: column status: not one of booked (已下单), "
                               "in_transit (在途), delivered (已签收), cancelled (已取消) (got \"deli\\nvered\")");
  assert_error_listed (result, "evil\\n\\x1B[31mname.csv:5: column pieces: not a whole number like 12 "
                               "(got \"\\x1B[2J\\x1B]0;owned\\x07\")");
  {
    /* 60 characters of the value, then "…". */
    g_autofree char *cut = g_strnfill (60, 'x');
    g_autofree char *expected = g_strdup_printf ("evil\\n\\x1B[31mname.csv:6: column pieces: not a whole "
                                                 "number like 12 (got \"%s…\")", cut);

    assert_error_listed (result, expected);
  }
  g_assert_cmpuint (result->unknown_columns->len, ==, 1);
  unknown = g_ptr_array_index (result->unknown_columns, 0);
  assert_one_line (unknown);
  g_assert_cmpstr (unknown, ==, "bad\\ncol\\x1B[2J\\x1B]0;owned\\x07");
}

/* Defect 9: a UTF-8 file with one Latin-1 byte is refused, naming its
 * line, instead of being read as GB18030 (上海 becoming 涓婃捣). */
static void
test_encoding_rule (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) stray = NULL;
  g_autoptr(GError) forced_utf8 = NULL;
  g_autoptr(GError) forced_gb_error = NULL;
  g_autoptr(KlImportResult) customers = NULL;
  g_autoptr(KlImportResult) result = NULL;
  g_autoptr(KlImportResult) forced_gb = NULL;

  customers = import_file (f, KL_IMPORT_CUSTOMERS, "customers.csv", KL_IMPORT_FLAGS_NONE);
  g_assert_true (customers->written);

  result = import_file_flags_fails (f, "shipments-latin1-stray.csv", KL_IMPORT_FLAGS_NONE, &stray);
  g_assert_null (result);
  g_assert_error (stray, KL_IMPORT_ERROR, KL_IMPORT_ERROR_ENCODING);
  g_assert_true (g_str_has_prefix (stray->message, "shipments-latin1-stray.csv:3: "));
  g_assert_nonnull (strstr (stray->message, "0xE9"));
  g_assert_cmpint (count_rows (f, "shipments"), ==, 0);

  /* --encoding utf-8 on a GB18030 file: refused at its first line. */
  result = import_file_flags_fails (f, "shipments-gb18030.csv", KL_IMPORT_FLAGS_UTF8, &forced_utf8);
  g_assert_null (result);
  g_assert_error (forced_utf8, KL_IMPORT_ERROR, KL_IMPORT_ERROR_ENCODING);
  g_assert_true (g_str_has_prefix (forced_utf8->message, "shipments-gb18030.csv:1: "));

  /* --encoding gb18030 reads it as it is read anyway. */
  forced_gb = import_file_flags_fails (f, "shipments-gb18030.csv", KL_IMPORT_FLAGS_GB18030, &forced_gb_error);
  g_assert_no_error (forced_gb_error);
  g_assert_cmpstr (forced_gb->encoding, ==, "GB18030");
  g_assert_cmpuint (forced_gb->n_new, ==, 3);
}

/* Defect 9 with streaming: a byte that is not UTF-8 far beyond the sample
 * the encoding is decided from is refused, naming its line, and nothing is
 * written. */
static void
test_encoding_late_bad_byte (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(GString) text = g_string_new ("waybill,customer_code,status,pieces,planned_pickup_at,planned_delivery_at,note\n");
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  KlImportResult *result;
  guint n = 20000;

  for (guint i = 0; i < n; i++)
    g_string_append_printf (text, "LATE%06u,ACME,booked,1,2026-10-01 08:00,2026-10-02 08:00,上海 %u\n", i, i);
  g_assert_cmpuint (text->len, >, 1024 * 1024);
  g_string_append (text, "LATEBAD,ACME,booked,1,2026-10-01 08:00,2026-10-02 08:00,Ren\xe9" "e\n");
  bytes = g_string_free_to_bytes (g_steal_pointer (&text));

  result = kl_import_run (f->db, KL_IMPORT_SHIPMENTS, "late.csv", bytes, KL_IMPORT_FLAGS_NONE,
                          NULL, NULL, NULL, &error);
  g_assert_null (result);
  g_assert_error (error, KL_IMPORT_ERROR, KL_IMPORT_ERROR_ENCODING);
  g_assert_true (g_str_has_prefix (error->message, "late.csv:20002: "));
  g_assert_cmpint (count_rows (f, "shipments"), ==, 0);
}

/* Defect 10: importing a deleted customer's code brings it back. */
static void
test_customers_undelete (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = kl_customer_store_lookup_code (f->db, "ACME", &error);
  g_autoptr(KlImportResult) refused = NULL;
  g_autoptr(KlImportResult) dry = NULL;
  g_autoptr(KlImportResult) result = NULL;
  g_autoptr(KlImportResult) again = NULL;
  g_autoptr(KlImportResult) shipments = NULL;
  g_autoptr(KlCustomer) c = NULL;
  g_autofree char *back_id = NULL;

  g_assert_no_error (error);
  g_assert_true (kl_customer_store_delete (f->db, id, &error));
  g_assert_no_error (error);

  /* Deleted: its shipments are refused. */
  refused = import_file (f, KL_IMPORT_SHIPMENTS, "shipments-overflow.csv", KL_IMPORT_FLAGS_SKIP_BAD);
  g_assert_cmpuint (refused->n_bad, ==, 2);

  dry = import_file (f, KL_IMPORT_CUSTOMERS, "customers-undelete.csv", KL_IMPORT_FLAGS_DRY_RUN);
  g_assert_cmpuint (dry->n_updated, ==, 1);
  result = import_file (f, KL_IMPORT_CUSTOMERS, "customers-undelete.csv", KL_IMPORT_FLAGS_NONE);
  g_assert_cmpuint (result->n_new, ==, 0);
  g_assert_cmpuint (result->n_updated, ==, 1);
  c = get_customer (f, "ACME");
  g_assert_false (c->deleted);
  g_assert_cmpstr (c->id, ==, id);
  g_assert_cmpstr (c->name, ==, "ACME Reborn");
  back_id = kl_customer_store_lookup_code (f->db, "ACME", &error);
  g_assert_cmpstr (back_id, ==, id);

  again = import_file (f, KL_IMPORT_CUSTOMERS, "customers-undelete.csv", KL_IMPORT_FLAGS_NONE);
  g_assert_cmpuint (again->n_unchanged, ==, 1);

  /* Its shipments are accepted again. */
  shipments = import_file (f, KL_IMPORT_SHIPMENTS, "shipments-overflow.csv", KL_IMPORT_FLAGS_SKIP_BAD);
  g_assert_cmpuint (shipments->n_new, ==, 1);
  g_assert_cmpuint (shipments->n_bad, ==, 1);
  g_assert_true (has_shipment (f, "OV2"));
}

/* Defect 11: a header of 50 000 unknown columns is read in linear time
 * (only correctness is asserted here), each unknown name listed once. */
static void
test_many_unknown_columns (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(GString) text = g_string_new ("waybill,customer_code,status,pieces,planned_pickup_at,planned_delivery_at");
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(KlImportResult) result = NULL;
  g_autoptr(GCancellable) cancelled = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  KlImportResult *none;
  guint n = 50000;

  /* Every name twice: listed once. */
  for (guint i = 0; i < n; i++)
    g_string_append_printf (text, ",extra_%u", i % (n / 2));
  g_string_append (text, "\nW1,ACME,booked,1,2026-10-01 08:00,2026-10-02 08:00\n");
  bytes = g_string_free_to_bytes (g_steal_pointer (&text));

  result = import_bytes (f, KL_IMPORT_SHIPMENTS, "wide.csv", bytes, KL_IMPORT_FLAGS_NONE);
  g_assert_cmpuint (result->n_new, ==, 1);
  g_assert_cmpuint (result->unknown_columns->len, ==, n / 2);
  for (guint i = 0; i < n / 2; i += 997)
    {
      g_autofree char *name = g_strdup_printf ("extra_%u", i);

      g_assert_cmpstr (g_ptr_array_index (result->unknown_columns, i), ==, name);
    }

  /* And it can be cancelled. */
  g_cancellable_cancel (cancelled);
  none = kl_import_run (f->db, KL_IMPORT_SHIPMENTS, "wide.csv", bytes, KL_IMPORT_FLAGS_NONE,
                        NULL, NULL, cancelled, &error);
  g_assert_null (none);
  g_assert_error (error, KL_IMPORT_ERROR, KL_IMPORT_ERROR_CANCELLED);
}

static char *
write_temp (Fixture    *f,
            const char *name,
            GBytes     *bytes)
{
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (f->dir, name, NULL);

  g_file_set_contents (path, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), &error);
  g_assert_no_error (error);
  return path;
}

/* Defect 12: only a regular file is read, and it is read as a stream. */
static void
test_run_file (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GBytes) bytes = big_file (20000);
  g_autofree char *path = write_temp (f, "big.csv", bytes);
  g_autofree char *fifo = g_build_filename (f->dir, "fifo.csv", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFile) dir = g_file_new_for_path (f->dir);
  g_autoptr(GFile) fifo_file = g_file_new_for_path (fifo);
  g_autoptr(GFile) missing = g_file_new_for_path ("/nonexistent/keyline.csv");
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) dir_error = NULL;
  g_autoptr(GError) fifo_error = NULL;
  g_autoptr(GError) zero_error = NULL;
  g_autoptr(GError) missing_error = NULL;
  g_autoptr(KlImportResult) result = NULL;
  Progress p = { g_array_new (FALSE, FALSE, sizeof (double)), NULL, 2.0 };

  /* Bigger than the sample the encoding is decided from. */
  g_assert_cmpuint (g_bytes_get_size (bytes), >, 1024 * 1024);
  result = kl_import_run_file (f->db, KL_IMPORT_SHIPMENTS, file, NULL, KL_IMPORT_FLAGS_NONE,
                               on_progress, &p, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (result->n_new, ==, 20000);
  g_assert_cmpint (count_rows (f, "shipments"), ==, 20000);
  g_assert_true (has_shipment (f, "BIG019999"));
  g_assert_cmpuint (p.fractions->len, >=, 50);
  for (guint i = 1; i < p.fractions->len; i++)
    g_assert_cmpfloat (g_array_index (p.fractions, double, i), >, g_array_index (p.fractions, double, i - 1));
  g_assert_cmpfloat (g_array_index (p.fractions, double, p.fractions->len - 1), ==, 1.0);
  g_array_unref (p.fractions);

  g_assert_null (kl_import_run_file (f->db, KL_IMPORT_SHIPMENTS, dir, "folder", KL_IMPORT_FLAGS_NONE,
                                     NULL, NULL, NULL, &dir_error));
  g_assert_error (dir_error, KL_IMPORT_ERROR, KL_IMPORT_ERROR_NOT_A_FILE);
  g_assert_true (g_str_has_prefix (dir_error->message, "folder "));

  /* A FIFO with no writer: refused, not waited on. */
  g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);
  g_assert_null (kl_import_run_file (f->db, KL_IMPORT_SHIPMENTS, fifo_file, NULL, KL_IMPORT_FLAGS_NONE,
                                     NULL, NULL, NULL, &fifo_error));
  g_assert_error (fifo_error, KL_IMPORT_ERROR, KL_IMPORT_ERROR_NOT_A_FILE);
  g_assert_nonnull (strstr (fifo_error->message, "fifo.csv"));

  if (g_file_test ("/dev/zero", G_FILE_TEST_EXISTS))
    {
      g_autoptr(GFile) zero = g_file_new_for_path ("/dev/zero");

      g_assert_null (kl_import_run_file (f->db, KL_IMPORT_SHIPMENTS, zero, NULL, KL_IMPORT_FLAGS_NONE,
                                         NULL, NULL, NULL, &zero_error));
      g_assert_error (zero_error, KL_IMPORT_ERROR, KL_IMPORT_ERROR_NOT_A_FILE);
      g_assert_true (g_str_has_prefix (zero_error->message, "/dev/zero "));
    }

  g_assert_null (kl_import_run_file (f->db, KL_IMPORT_SHIPMENTS, missing, NULL, KL_IMPORT_FLAGS_NONE,
                                     NULL, NULL, NULL, &missing_error));
  g_assert_error (missing_error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (missing_error->message, "/nonexistent/keyline.csv"));
}

/* A memory stream that cancels a cancellable once it has given its last
 * byte: the import then meets the cancellation while reading the header. */
typedef struct {
  GMemoryInputStream parent_instance;
  GCancellable      *at_end;
} CancelAtEndStream;

typedef struct {
  GMemoryInputStreamClass parent_class;
} CancelAtEndStreamClass;

static GType cancel_at_end_stream_get_type (void);
G_DEFINE_TYPE (CancelAtEndStream, cancel_at_end_stream, G_TYPE_MEMORY_INPUT_STREAM)

static gssize
cancel_at_end_read (GInputStream  *stream,
                    void          *buffer,
                    gsize          count,
                    GCancellable  *cancellable,
                    GError       **error)
{
  CancelAtEndStream *self = (CancelAtEndStream *) stream;
  gssize n = G_INPUT_STREAM_CLASS (cancel_at_end_stream_parent_class)->read_fn (stream, buffer, count,
                                                                                 cancellable, error);

  if (n == 0)
    g_cancellable_cancel (self->at_end);
  return n;
}

static void
cancel_at_end_stream_class_init (CancelAtEndStreamClass *klass)
{
  G_INPUT_STREAM_CLASS (klass)->read_fn = cancel_at_end_read;
}

static void
cancel_at_end_stream_init (CancelAtEndStream *self)
{
}

/* Defect 11: the header alone (no rows follow, so no row would notice) can
 * be cancelled. */
static void
test_cancel_in_header (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GString) text = g_string_new ("waybill,customer_code,status,pieces,planned_pickup_at,planned_delivery_at");
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) file_error = NULL;
  g_autofree char *path = NULL;
  g_autoptr(KlImportResult) result = NULL;
  CancelAtEndStream *stream;
  KlImportResult *none;

  for (guint i = 0; i < 5000; i++)
    g_string_append_printf (text, ",extra_%u", i);
  g_string_append_c (text, '\n');
  bytes = g_string_free_to_bytes (g_steal_pointer (&text));

  /* Not cancelled: the header alone is a file of no rows. */
  path = write_temp (f, "header-only.csv", bytes);
  file = g_file_new_for_path (path);
  result = kl_import_run_file (f->db, KL_IMPORT_SHIPMENTS, file, NULL, KL_IMPORT_FLAGS_NONE,
                               NULL, NULL, NULL, &file_error);
  g_assert_no_error (file_error);
  g_assert_cmpuint (result->n_rows, ==, 0);
  g_assert_cmpuint (result->unknown_columns->len, ==, 5000);

  /* Cancelled once the stream has been read: seen in the header. */
  stream = g_object_new (cancel_at_end_stream_get_type (), NULL);
  stream->at_end = cancellable;
  g_memory_input_stream_add_bytes (G_MEMORY_INPUT_STREAM (stream), bytes);
  none = kl_import_run_stream (f->db, KL_IMPORT_SHIPMENTS, "header-only.csv", G_INPUT_STREAM (stream),
                               KL_IMPORT_FLAGS_NONE, NULL, NULL, cancellable, &error);
  g_assert_true (g_cancellable_is_cancelled (cancellable));
  g_assert_null (none);
  g_assert_error (error, KL_IMPORT_ERROR, KL_IMPORT_ERROR_CANCELLED);
  g_object_unref (stream);
}

/* The bulk path (kl-shipment-bulk.c): a re-import with some rows changed,
 * some unchanged and some new gives the exact summary, and the rollups,
 * added up in memory and written once, equal a rebuild from the facts,
 * with the grace minutes of the agreement in force and months in the
 * workspace zone (Europe/Berlin: the file crosses a change to summer
 * time, and pickups lie near month ends). */

#define BULK_ROWS 400

typedef struct {
  guint n_new, n_updated, n_unchanged;
} BulkCounts;

static char *
bulk_time (gint64 t)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (t);

  return g_date_time_format (dt, "%Y-%m-%dT%H:%M:%SZ");
}

/* Row i of the first file (changed FALSE) or of the second (changed TRUE:
 * every fifth row changed in one of five ways, a quarter more rows new). */
static void
bulk_row (GString  *csv,
          guint     i,
          gboolean  changed)
{
  static const char * const regions[] = { "华东", "华南", "", "West" };
  const char *customer = i % 3 == 0 ? "BETA" : "ACME";
  const char *status = i % 11 == 3 ? "cancelled" : i % 13 == 4 ? "in_transit" : "delivered";
  const char *origin = regions[i % 4];
  const char *dest = regions[(i / 4) % 4];
  gint64 pickup = G_GINT64_CONSTANT (1769860800) + (gint64) i * 5 * 3600 + (i % 4) * 17 * 60;
  gint64 pieces = 1 + i % 50;
  /* Month ends at 23:30 UTC (22:30 in summer): the next month in Berlin. */
  static const gint64 month_ends[] = { G_GINT64_CONSTANT (1769902200), G_GINT64_CONSTANT (1772321400),
                                       G_GINT64_CONSTANT (1774996200) };
  g_autofree char *planned_pickup = NULL;
  g_autofree char *picked_up = NULL;
  g_autofree char *planned_delivery = NULL;
  g_autofree char *delivered = NULL;

  if (i % 10 == 9)
    pickup = month_ends[(i / 10) % 3] + (i % 4) * 60;
  /* The only shipment of its region: the region's rollup row goes. */
  if (i == 7)
    origin = changed ? "Solo2" : "Solo";

  if (changed && i < BULK_ROWS && i % 5 == 0)
    switch ((i / 5) % 5)
      {
      case 0: pieces += 7; break;
      case 1: status = g_str_equal (status, "cancelled") ? "delivered" : "cancelled"; break;
      case 2: origin = g_str_equal (origin, "") ? "华北" : ""; break;
      case 3: customer = g_str_equal (customer, "BETA") ? "ACME" : "BETA"; break;
      default: pickup += 40 * 86400; break;
      }

  planned_pickup = bulk_time (pickup);
  planned_delivery = bulk_time (pickup + 36 * 3600);
  if (!g_str_equal (status, "cancelled") || i % 2 == 0)
    picked_up = bulk_time (pickup + (i % 7) * 10 * 60);
  if (g_str_equal (status, "delivered"))
    delivered = bulk_time (pickup + 36 * 3600 + ((gint64) (i % 9) - 4) * 20 * 60);
  g_string_append_printf (csv, "W%05u,%s,%s,c%u,%s,d%u,%s,%" G_GINT64_FORMAT ",%u.5,,%s,%s,%s,%s,%s,%u\n",
                          i, customer, status, i % 5, origin, i % 6, dest, pieces, i % 100,
                          planned_pickup, picked_up ? picked_up : "", planned_delivery,
                          delivered ? delivered : "", i % 3 == 0 ? "" : i % 3 == 1 ? "yes" : "no",
                          i % 17 == 0 ? 1 : 0);
}

static GBytes *
bulk_file (gboolean    changed,
           const char *bad_row)
{
  GString *csv = g_string_new ("waybill,customer_code,status,origin_city,origin_region,dest_city,dest_region,"
                               "pieces,weight_kg,volume_m3,planned_pickup_at,picked_up_at,"
                               "planned_delivery_at,delivered_at,documents_ok,damaged_pieces\n");
  guint n = changed ? BULK_ROWS + BULK_ROWS / 4 : BULK_ROWS;

  for (guint i = 0; i < n; i++)
    {
      bulk_row (csv, i, changed);
      if (i == n / 2 && bad_row != NULL)
        g_string_append (csv, bad_row);
    }
  return g_string_free_to_bytes (csv);
}

static BulkCounts
bulk_expected (void)
{
  BulkCounts c = { BULK_ROWS / 4, 0, 0 };

  for (guint i = 0; i < BULK_ROWS; i++)
    if (i % 5 == 0 || i == 7)
      c.n_updated++;
    else
      c.n_unchanged++;
  return c;
}

static void
assert_rollups_match_facts (Fixture *f)
{
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;

  g_assert_true (kl_rollup_check (f->db, problems, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < problems->len; i++)
    g_test_message ("%s", (const char *) g_ptr_array_index (problems, i));
  g_assert_cmpuint (problems->len, ==, 0);
}

/* The rollup tables as text, to compare before and after. */
static char *
rollup_dump (Fixture *f)
{
  GString *out = g_string_new (NULL);
  const char *queries[] = {
    "SELECT * FROM rollup_month ORDER BY customer_id, month",
    "SELECT * FROM rollup_month_region ORDER BY customer_id, month, side, region",
  };

  for (guint q = 0; q < G_N_ELEMENTS (queries); q++)
    {
      sqlite3_stmt *stmt = NULL;

      g_assert_cmpint (sqlite3_prepare_v2 (kl_database_get_handle (f->db), queries[q], -1, &stmt, NULL), ==, SQLITE_OK);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        {
          for (int c = 0; c < sqlite3_column_count (stmt); c++)
            g_string_append_printf (out, "%s|", (const char *) sqlite3_column_text (stmt, c));
          g_string_append_c (out, '\n');
        }
      sqlite3_finalize (stmt);
    }
  return g_string_free (out, FALSE);
}

static void
bulk_setup (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KlCustomer) beta = kl_customer_new ();
  g_autoptr(KlAgreement) a = kl_agreement_new ();
  KlUpsertResult upsert;

  g_assert_true (kl_rollup_set_timezone (f->db, "Europe/Berlin", &error));
  g_assert_no_error (error);
  beta->code = g_strdup ("BETA");
  beta->name = g_strdup ("BETA");
  g_assert_true (kl_customer_store_save (f->db, beta, KL_ORIGIN_LOCAL, &upsert, &error));
  g_assert_no_error (error);
  /* ACME's grace applies from 1 March, local date, and changes on 1 April;
   * BETA's ends on 20 February. The bulk writer finds a row's grace by its
   * local day, and the month ends of bulk_row () cross these dates in local
   * time. */
  a->customer_id = kl_customer_store_lookup_code (f->db, "ACME", &error);
  g_assert_no_error (error);
  a->effective_from = g_strdup ("2026-03-01");
  a->effective_to = g_strdup ("2026-03-31");
  a->dispatch_grace_min = 30;
  a->delivery_grace_min = 60;
  g_assert_true (kl_agreement_store_save (f->db, a, &error));
  g_assert_no_error (error);
  {
    g_autoptr(KlAgreement) later = kl_agreement_new ();
    g_autoptr(KlAgreement) beta_terms = kl_agreement_new ();

    later->customer_id = g_strdup (a->customer_id);
    later->effective_from = g_strdup ("2026-04-01");
    later->dispatch_grace_min = 5;
    later->delivery_grace_min = 240;
    g_assert_true (kl_agreement_store_save (f->db, later, &error));
    g_assert_no_error (error);
    beta_terms->customer_id = kl_customer_store_lookup_code (f->db, "BETA", &error);
    beta_terms->effective_from = g_strdup ("2026-01-01");
    beta_terms->effective_to = g_strdup ("2026-02-20");
    beta_terms->dispatch_grace_min = 45;
    beta_terms->delivery_grace_min = 45;
    g_assert_true (kl_agreement_store_save (f->db, beta_terms, &error));
    g_assert_no_error (error);
  }
}

static void
test_bulk_reimport_changed (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(GBytes) first = bulk_file (FALSE, NULL);
  g_autoptr(GBytes) second = bulk_file (TRUE, NULL);
  g_autoptr(KlImportResult) r1 = NULL;
  g_autoptr(KlImportResult) dry = NULL;
  g_autoptr(KlImportResult) r2 = NULL;
  g_autoptr(KlImportResult) r3 = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *imported = NULL;
  g_autofree char *rebuilt = NULL;
  g_autofree char *summary = NULL;
  BulkCounts expected = bulk_expected ();

  bulk_setup (f);
  r1 = import_bytes (f, KL_IMPORT_SHIPMENTS, "first.csv", first, KL_IMPORT_FLAGS_NONE);
  g_assert_cmpuint (r1->n_new, ==, BULK_ROWS);
  g_assert_cmpuint (r1->n_bad, ==, 0);
  assert_rollups_match_facts (f);

  /* A dry run classifies the same way and writes nothing. */
  dry = import_bytes (f, KL_IMPORT_SHIPMENTS, "second.csv", second, KL_IMPORT_FLAGS_DRY_RUN);
  summary = kl_import_result_summary (dry);
  g_assert_cmpuint (dry->n_new, ==, expected.n_new);
  g_assert_cmpuint (dry->n_updated, ==, expected.n_updated);
  g_assert_cmpuint (dry->n_unchanged, ==, expected.n_unchanged);
  g_assert_false (dry->written);
  g_assert_cmpint (count_rows (f, "shipments"), ==, BULK_ROWS);

  r2 = import_bytes (f, KL_IMPORT_SHIPMENTS, "second.csv", second, KL_IMPORT_FLAGS_NONE);
  g_clear_pointer (&summary, g_free);
  summary = kl_import_result_summary (r2);
  {
    g_autofree char *want = g_strdup_printf ("new %u, updated %u, unchanged %u, bad 0",
                                             expected.n_new, expected.n_updated, expected.n_unchanged);
    g_assert_cmpstr (summary, ==, want);
  }
  g_assert_true (r2->written);
  g_assert_cmpint (count_rows (f, "shipments"), ==, BULK_ROWS + BULK_ROWS / 4);
  assert_rollups_match_facts (f);

  /* Exactly what a rebuild from the facts stores. */
  imported = rollup_dump (f);
  g_assert_true (kl_rollup_rebuild (f->db, NULL, &error));
  g_assert_no_error (error);
  rebuilt = rollup_dump (f);
  g_assert_cmpstr (imported, ==, rebuilt);

  /* And the same file again changes nothing. */
  r3 = import_bytes (f, KL_IMPORT_SHIPMENTS, "second.csv", second, KL_IMPORT_FLAGS_NONE);
  g_assert_cmpuint (r3->n_unchanged, ==, BULK_ROWS + BULK_ROWS / 4);
  g_assert_cmpuint (r3->n_new + r3->n_updated, ==, 0);
  g_clear_pointer (&imported, g_free);
  imported = rollup_dump (f);
  g_assert_cmpstr (imported, ==, rebuilt);
}

/* A re-import tells a changed row from an unchanged one by the stored
 * content hash: a change to any one field is an update, the same row again
 * is unchanged, and a row changed behind the store's back (the hash
 * cleared by the schema's trigger) is compared in full. */
#define HASH_HEADER "waybill,customer_code,status,mode,origin_city,origin_region,dest_city,dest_region,pieces," \
  "weight_kg,volume_m3,planned_pickup_at,picked_up_at,planned_delivery_at,delivered_at,documents_ok," \
  "order_accurate,damaged_pieces,short_pieces,incident,revenue,currency\n"

/* line after a row stored before: the bulk writer then looks the next
 * row up in place and compares by hash (a first row is tried as new). */
#define HASH_ANCHOR "W0,ACME,delivered,air,Shanghai,华东,Beijing,华北,1,1,1,2026-03-01 10:00,,2026-03-03 10:00,,,,,,,,\n"

static guint
import_line (Fixture    *f,
             const char *line,
             guint      *out_unchanged)
{
  g_autofree char *text = g_strconcat (HASH_HEADER, HASH_ANCHOR, line, "\n", NULL);
  g_autoptr(GBytes) bytes = g_bytes_new (text, strlen (text));
  g_autoptr(KlImportResult) r = import_bytes (f, KL_IMPORT_SHIPMENTS, "one.csv", bytes, KL_IMPORT_FLAGS_NONE);

  if (r->n_bad != 0)
    g_error ("bad row: %s", line);
  g_assert_cmpuint (r->n_new + r->n_updated + r->n_unchanged, ==, 2);
  g_assert_cmpuint (r->n_updated, <=, 1);
  /* the anchor is unchanged after the first import */
  *out_unchanged = r->n_unchanged - (r->n_new > 0 ? 0 : 1);
  return r->n_updated;
}

static void
test_bulk_reimport_each_field (Fixture       *f,
                               gconstpointer  data)
{
  const char *base =
    "W1,ACME,delivered,air,Shanghai,华东,Beijing,华北,10,100.5,1.5,2026-03-01 10:00,2026-03-01 11:00,"
    "2026-03-03 10:00,2026-03-03 09:00,true,true,0,0,false,100.00,";
  const char *variants[] = {
    "W1,BETA,delivered,air,Shanghai,华东,Beijing,华北,10,100.5,1.5,2026-03-01 10:00,2026-03-01 11:00,2026-03-03 10:00,2026-03-03 09:00,true,true,0,0,false,100.00,",
    "W1,ACME,in_transit,air,Shanghai,华东,Beijing,华北,10,100.5,1.5,2026-03-01 10:00,2026-03-01 11:00,2026-03-03 10:00,,true,true,0,0,false,100.00,",
    "W1,ACME,delivered,rail,Shanghai,华东,Beijing,华北,10,100.5,1.5,2026-03-01 10:00,2026-03-01 11:00,2026-03-03 10:00,2026-03-03 09:00,true,true,0,0,false,100.00,",
    "W1,ACME,delivered,,Shanghai,华东,Beijing,华北,10,100.5,1.5,2026-03-01 10:00,2026-03-01 11:00,2026-03-03 10:00,2026-03-03 09:00,true,true,0,0,false,100.00,",
    "W1,ACME,delivered,air,Shanghaj,华东,Beijing,华北,10,100.5,1.5,2026-03-01 10:00,2026-03-01 11:00,2026-03-03 10:00,2026-03-03 09:00,true,true,0,0,false,100.00,",
    "W1,ACME,delivered,air,,华东,Beijing,华北,10,100.5,1.5,2026-03-01 10:00,2026-03-01 11:00,2026-03-03 10:00,2026-03-03 09:00,true,true,0,0,false,100.00,",
    "W1,ACME,delivered,air,Shanghai,华南,Beijing,华北,10,100.5,1.5,2026-03-01 10:00,2026-03-01 11:00,2026-03-03 10:00,2026-03-03 09:00,true,true,0,0,false,100.00,",
    "W1,ACME,delivered,air,Shanghai,华东,Beijin,华北,10,100.5,1.5,2026-03-01 10:00,2026-03-01 11:00,2026-03-03 10:00,2026-03-03 09:00,true,true,0,0,false,100.00,",
    "W1,ACME,delivered,air,Shanghai,华东,Beijing,东北,10,100.5,1.5,2026-03-01 10:00,2026-03-01 11:00,2026-03-03 10:00,2026-03-03 09:00,true,true,0,0,false,100.00,",
    "W1,ACME,delivered,air,Shanghai,华东,Beijing,华北,11,100.5,1.5,2026-03-01 10:00,2026-03-01 11:00,2026-03-03 10:00,2026-03-03 09:00,true,true,0,0,false,100.00,",
    "W1,ACME,delivered,air,Shanghai,华东,Beijing,华北,10,100.501,1.5,2026-03-01 10:00,2026-03-01 11:00,2026-03-03 10:00,2026-03-03 09:00,true,true,0,0,false,100.00,",
    "W1,ACME,delivered,air,Shanghai,华东,Beijing,华北,10,,1.5,2026-03-01 10:00,2026-03-01 11:00,2026-03-03 10:00,2026-03-03 09:00,true,true,0,0,false,100.00,",
    "W1,ACME,delivered,air,Shanghai,华东,Beijing,华北,10,100.5,1.500001,2026-03-01 10:00,2026-03-01 11:00,2026-03-03 10:00,2026-03-03 09:00,true,true,0,0,false,100.00,",
    "W1,ACME,delivered,air,Shanghai,华东,Beijing,华北,10,100.5,,2026-03-01 10:00,2026-03-01 11:00,2026-03-03 10:00,2026-03-03 09:00,true,true,0,0,false,100.00,",
    "W1,ACME,delivered,air,Shanghai,华东,Beijing,华北,10,100.5,1.5,2026-03-01 10:01,2026-03-01 11:00,2026-03-03 10:00,2026-03-03 09:00,true,true,0,0,false,100.00,",
    "W1,ACME,delivered,air,Shanghai,华东,Beijing,华北,10,100.5,1.5,2026-03-01 10:00,2026-03-01 11:01,2026-03-03 10:00,2026-03-03 09:00,true,true,0,0,false,100.00,",
    "W1,ACME,delivered,air,Shanghai,华东,Beijing,华北,10,100.5,1.5,2026-03-01 10:00,,2026-03-03 10:00,2026-03-03 09:00,true,true,0,0,false,100.00,",
    "W1,ACME,delivered,air,Shanghai,华东,Beijing,华北,10,100.5,1.5,2026-03-01 10:00,2026-03-01 11:00,2026-03-03 10:01,2026-03-03 09:00,true,true,0,0,false,100.00,",
    "W1,ACME,delivered,air,Shanghai,华东,Beijing,华北,10,100.5,1.5,2026-03-01 10:00,2026-03-01 11:00,2026-03-03 10:00,2026-03-03 09:01,true,true,0,0,false,100.00,",
    "W1,ACME,delivered,air,Shanghai,华东,Beijing,华北,10,100.5,1.5,2026-03-01 10:00,2026-03-01 11:00,2026-03-03 10:00,2026-03-03 09:00,false,true,0,0,false,100.00,",
    "W1,ACME,delivered,air,Shanghai,华东,Beijing,华北,10,100.5,1.5,2026-03-01 10:00,2026-03-01 11:00,2026-03-03 10:00,2026-03-03 09:00,,true,0,0,false,100.00,",
    "W1,ACME,delivered,air,Shanghai,华东,Beijing,华北,10,100.5,1.5,2026-03-01 10:00,2026-03-01 11:00,2026-03-03 10:00,2026-03-03 09:00,true,false,0,0,false,100.00,",
    "W1,ACME,delivered,air,Shanghai,华东,Beijing,华北,10,100.5,1.5,2026-03-01 10:00,2026-03-01 11:00,2026-03-03 10:00,2026-03-03 09:00,true,,0,0,false,100.00,",
    "W1,ACME,delivered,air,Shanghai,华东,Beijing,华北,10,100.5,1.5,2026-03-01 10:00,2026-03-01 11:00,2026-03-03 10:00,2026-03-03 09:00,true,true,1,0,false,100.00,",
    "W1,ACME,delivered,air,Shanghai,华东,Beijing,华北,10,100.5,1.5,2026-03-01 10:00,2026-03-01 11:00,2026-03-03 10:00,2026-03-03 09:00,true,true,0,1,false,100.00,",
    "W1,ACME,delivered,air,Shanghai,华东,Beijing,华北,10,100.5,1.5,2026-03-01 10:00,2026-03-01 11:00,2026-03-03 10:00,2026-03-03 09:00,true,true,0,0,true,100.00,",
    "W1,ACME,delivered,air,Shanghai,华东,Beijing,华北,10,100.5,1.5,2026-03-01 10:00,2026-03-01 11:00,2026-03-03 10:00,2026-03-03 09:00,true,true,0,0,false,100.01,",
    "W1,ACME,delivered,air,Shanghai,华东,Beijing,华北,10,100.5,1.5,2026-03-01 10:00,2026-03-01 11:00,2026-03-03 10:00,2026-03-03 09:00,true,true,0,0,false,,",
    "W1,ACME,delivered,air,Shanghai,华东,Beijing,华北,10,100.5,1.5,2026-03-01 10:00,2026-03-01 11:00,2026-03-03 10:00,2026-03-03 09:00,true,true,0,0,false,100.00,USD",
  };
  guint unchanged;

  bulk_setup (f);
  g_assert_cmpuint (import_line (f, base, &unchanged), ==, 0);
  g_assert_cmpuint (unchanged, ==, 0);   /* both new */
  g_assert_cmpuint (import_line (f, base, &unchanged), ==, 0);
  g_assert_cmpuint (unchanged, ==, 1);
  for (guint i = 0; i < G_N_ELEMENTS (variants); i++)
    {
      g_test_message ("variant %u: %s", i, variants[i]);
      g_assert_cmpstr (variants[i], !=, base);
      g_assert_cmpuint (import_line (f, variants[i], &unchanged), ==, 1);
      g_assert_cmpuint (import_line (f, variants[i], &unchanged), ==, 0);
      g_assert_cmpuint (unchanged, ==, 1);
      g_assert_cmpuint (import_line (f, base, &unchanged), ==, 1);
    }
  assert_rollups_match_facts (f);

  /* Changed behind the store's back: the trigger clears the hash, and the
   * row is compared column by column. */
  {
    char *message = NULL;
    g_autoptr(KlShipment) s = NULL;

    g_assert_cmpint (sqlite3_exec (kl_database_get_handle (f->db),
                                   "UPDATE shipments SET origin_city = 'Raw' WHERE waybill = 'W1'",
                                   NULL, NULL, &message), ==, SQLITE_OK);
    g_assert_cmpuint (import_line (f, base, &unchanged), ==, 1);
    s = get_shipment (f, "W1");
    g_assert_cmpstr (s->origin_city, ==, "Shanghai");
    g_assert_cmpuint (import_line (f, base, &unchanged), ==, 0);
    g_assert_cmpuint (unchanged, ==, 1);

    /* A row without a hash (from before schema 9) is compared in full,
     * and gets its hash when found unchanged. */
    g_assert_cmpint (sqlite3_exec (kl_database_get_handle (f->db),
                                   "UPDATE shipments SET content_hash = NULL", NULL, NULL, &message), ==, SQLITE_OK);
    g_assert_cmpuint (import_line (f, base, &unchanged), ==, 0);
    g_assert_cmpuint (unchanged, ==, 1);
    g_assert_cmpint (count_rows (f, "shipments WHERE content_hash IS NULL"), ==, 0);
    g_assert_cmpuint (import_line (f, variants[0], &unchanged), ==, 1);
  }
  assert_rollups_match_facts (f);
}

/* A mixed file with one bad row: without --skip-bad nothing of it is
 * written (though its good rows were written before the bad one was met),
 * with --skip-bad the rest is, with the exact summary. */
static void
test_bulk_mixed_bad_row (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GBytes) first = bulk_file (FALSE, NULL);
  g_autoptr(GBytes) second = bulk_file (TRUE, "WBAD,ACME,delivered,,,,,many,,,2026-03-01 10:00,,2026-03-02 10:00,,,\n");
  g_autoptr(KlImportResult) r1 = NULL;
  g_autoptr(KlImportResult) refused = NULL;
  g_autoptr(KlImportResult) skipped = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *summary = NULL;
  g_autofree char *want = NULL;
  BulkCounts expected = bulk_expected ();

  bulk_setup (f);
  r1 = import_bytes (f, KL_IMPORT_SHIPMENTS, "first.csv", first, KL_IMPORT_FLAGS_NONE);
  g_assert_cmpuint (r1->n_new, ==, BULK_ROWS);
  assert_customer_index (f);
  before = rollup_dump (f);

  refused = import_bytes (f, KL_IMPORT_SHIPMENTS, "second.csv", second, KL_IMPORT_FLAGS_NONE);
  summary = kl_import_result_summary (refused);
  g_assert_cmpstr (summary, ==, "new 0, updated 0, unchanged 0, bad 1");
  g_assert_false (refused->written);
  g_assert_cmpuint (refused->errors->len, ==, 1);
  g_assert_cmpint (count_rows (f, "shipments"), ==, BULK_ROWS);
  after = rollup_dump (f);
  g_assert_cmpstr (after, ==, before);
  assert_rollups_match_facts (f);

  skipped = import_bytes (f, KL_IMPORT_SHIPMENTS, "second.csv", second, KL_IMPORT_FLAGS_SKIP_BAD);
  g_clear_pointer (&summary, g_free);
  summary = kl_import_result_summary (skipped);
  want = g_strdup_printf ("new %u, updated %u, unchanged %u, bad 1",
                          expected.n_new, expected.n_updated, expected.n_unchanged);
  g_assert_cmpstr (summary, ==, want);
  g_assert_cmpint (count_rows (f, "shipments"), ==, BULK_ROWS + BULK_ROWS / 4);
  assert_rollups_match_facts (f);
}

/* Inside a caller's transaction the file is checked first and then written
 * through the same writer; nothing is rolled back behind the caller. */
static void
test_bulk_in_transaction (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GBytes) first = bulk_file (FALSE, NULL);
  g_autoptr(GBytes) second = bulk_file (TRUE, NULL);
  g_autoptr(GBytes) bad = bulk_file (TRUE, "WBAD,ACME,delivered,,,,,many,,,2026-03-01 10:00,,2026-03-02 10:00,,,\n");
  g_autoptr(KlImportResult) r1 = NULL;
  g_autoptr(KlImportResult) r2 = NULL;
  g_autoptr(KlImportResult) refused = NULL;
  g_autoptr(GError) error = NULL;
  BulkCounts expected = bulk_expected ();

  bulk_setup (f);
  g_assert_true (kl_database_begin (f->db, &error));
  g_assert_no_error (error);
  r1 = import_bytes (f, KL_IMPORT_SHIPMENTS, "first.csv", first, KL_IMPORT_FLAGS_NONE);
  g_assert_cmpuint (r1->n_new, ==, BULK_ROWS);
  refused = import_bytes (f, KL_IMPORT_SHIPMENTS, "second.csv", bad, KL_IMPORT_FLAGS_NONE);
  g_assert_cmpuint (refused->n_bad, ==, 1);
  g_assert_false (refused->written);
  r2 = import_bytes (f, KL_IMPORT_SHIPMENTS, "second.csv", second, KL_IMPORT_FLAGS_NONE);
  g_assert_cmpuint (r2->n_new, ==, expected.n_new);
  g_assert_cmpuint (r2->n_updated, ==, expected.n_updated);
  g_assert_cmpuint (r2->n_unchanged, ==, expected.n_unchanged);
  g_assert_true (kl_database_commit (f->db, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count_rows (f, "shipments"), ==, BULK_ROWS + BULK_ROWS / 4);
  assert_rollups_match_facts (f);
}

/* A cancelled import leaves nothing written, also after rows were. */
static void
bulk_cancel_late (double   fraction,
                  gpointer user_data)
{
  if (fraction >= 0.5)
    g_cancellable_cancel (user_data);
}

static void
test_bulk_cancel (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GBytes) first = bulk_file (FALSE, NULL);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  KlImportResult *result;

  bulk_setup (f);
  result = kl_import_run (f->db, KL_IMPORT_SHIPMENTS, "first.csv", first, KL_IMPORT_FLAGS_NONE,
                          bulk_cancel_late, cancellable, cancellable, &error);
  g_assert_null (result);
  g_assert_error (error, KL_IMPORT_ERROR, KL_IMPORT_ERROR_CANCELLED);
  g_assert_true (g_cancellable_is_cancelled (cancellable));
  g_assert_cmpint (count_rows (f, "shipments"), ==, 0);
  g_assert_cmpint (count_rows (f, "rollup_month"), ==, 0);
  g_assert_cmpint (count_rows (f, "rollup_month_region"), ==, 0);
  g_assert_false (kl_database_in_transaction (f->db));
  assert_customer_index (f);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/import/shipments/values", test_shipments_values);
  ADD ("/import/shipments/reimport", test_shipments_reimport);
  ADD ("/import/shipments/bad-rows-write-nothing", test_bad_rows_write_nothing);
  ADD ("/import/shipments/skip-bad", test_skip_bad);
  ADD ("/import/shipments/dry-run", test_dry_run);
  ADD ("/import/shipments/semicolon", test_semicolon);
  ADD ("/import/shipments/tab-unknown-columns", test_tab_and_unknown_columns);
  ADD ("/import/shipments/bom-crlf-line-numbers", test_bom_crlf_line_numbers);
  ADD ("/import/shipments/chinese-gb18030", test_customers_then_chinese_shipments);
  ADD ("/import/customers/values", test_customers);
  ADD ("/import/customers/partial-columns", test_customers_partial_columns_keep_values);
  ADD ("/import/customers/bad", test_customers_bad);
  ADD ("/import/file-errors", test_file_errors);
  ADD ("/import/shipments/workspace-time-zone", test_workspace_time_zone);
  ADD ("/import/shipments/skip-bad-nothing-good", test_skip_bad_with_no_good_row);
  ADD ("/import/progress", test_progress);
  ADD ("/import/cancel", test_cancel);
  ADD ("/import/caller-transaction", test_inside_caller_transaction);
  ADD ("/import/shipments/bounds", test_bounds);
  ADD ("/import/shipments/rollup-overflow", test_rollup_overflow);
  ADD ("/import/rollup-sums-checked", test_rollup_sums_checked);
  ADD ("/import/shipments/time-range", test_time_range);
  ADD ("/import/errors-one-line", test_errors_one_line);
  ADD ("/import/encoding-rule", test_encoding_rule);
  ADD ("/import/encoding-late-bad-byte", test_encoding_late_bad_byte);
  ADD ("/import/customers/undelete", test_customers_undelete);
  ADD ("/import/header/many-unknown-columns", test_many_unknown_columns);
  ADD ("/import/run-file", test_run_file);
  ADD ("/import/header/cancel", test_cancel_in_header);
  ADD ("/import/bulk/reimport-changed", test_bulk_reimport_changed);
  ADD ("/import/bulk/reimport-each-field", test_bulk_reimport_each_field);
  ADD ("/import/bulk/mixed-bad-row", test_bulk_mixed_bad_row);
  ADD ("/import/bulk/cancel", test_bulk_cancel);
  ADD ("/import/bulk/in-transaction", test_bulk_in_transaction);
#undef ADD

  return g_test_run ();
}
