/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The import's reader without a workspace: checked records and the same
 * error lines as an import into a workspace. */

#include <string.h>

#include "kl-import-reader.h"
#include "kl-shipment-store.h"
#include "kl-test-util.h"

static const char shipments_csv[] =
  "运单号,客户编码,状态,件数,计划提货时间,计划送达时间,运费收入,币种,extra\n"
  "W1,C001,delivered,3,2026-03-02 09:00,2026-03-03 09:00,12.5,,x\n"      /* 2 */
  "W2,NOPE,booked,1,2026-03-02 09:00,2026-03-03 09:00,,,\n"              /* 3: unknown customer */
  "\n"
  "W3,C001,booked,-1,2026-03-02 09:00,2026-03-03 09:00,,,\n"             /* 5: negative */
  "W1,C001,booked,1,2026-03-02 09:00,2026-03-03 09:00,,,\n"              /* 6: waybill again */
  "W4,C001,in_transit,2,2026-03-02T09:00:00+08:00,2026-03-03 09:00,7,usd,\n"; /* 7 */

static const char *
lookup (const char  *code,
        gpointer     user_data,
        GError     **error)
{
  GHashTable *known = user_data;

  return g_hash_table_lookup (known, code);
}

static void
test_reader_shipments (void)
{
  g_autoptr(GBytes) bytes = g_bytes_new_static (shipments_csv, sizeof shipments_csv - 1);
  g_autoptr(GInputStream) stream = g_memory_input_stream_new_from_bytes (bytes);
  g_autoptr(GHashTable) known = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GTimeZone) tz = g_time_zone_new_identifier ("Asia/Shanghai");
  g_autoptr(KlImportReader) reader = NULL;
  g_autoptr(GError) error = NULL;
  KlImportReaderOptions options = { tz, "CNY", lookup, known };
  KlImportResult *result;
  KlImportRow row;
  gconstpointer record;
  guint good = 0;
  guint lines[8] = { 0 };

  g_hash_table_insert (known, "C001", "customer-1");
  reader = kl_import_reader_new (KL_IMPORT_SHIPMENTS, "s.csv", stream, KL_IMPORT_FLAGS_NONE,
                                 &options, NULL, &error);
  g_assert_no_error (error);

  while (kl_import_reader_next (reader, &row, &record, &error) && row != KL_IMPORT_ROW_END)
    {
      guint line = kl_import_reader_get_line (reader);

      g_assert_cmpuint (line, <, G_N_ELEMENTS (lines));
      lines[line] = row == KL_IMPORT_ROW_GOOD ? 1 : 2;
      if (row == KL_IMPORT_ROW_GOOD)
        {
          const KlShipment *s = record;

          good++;
          g_assert_cmpstr (s->customer_id, ==, "customer-1");
          if (strcmp (s->waybill, "W1") == 0)
            {
              g_assert_cmpint (s->pieces, ==, 3);
              g_assert_cmpint (s->revenue_minor, ==, 1250);
              g_assert_null (s->currency);
              g_assert_cmpint (s->planned_pickup_at, ==, kl_test_unix_time ("2026-03-02T09:00:00+08:00"));
            }
          else
            {
              g_assert_cmpstr (s->waybill, ==, "W4");
              g_assert_cmpstr (s->currency, ==, "USD");
              g_assert_cmpint (s->revenue_minor, ==, 700);
            }
        }
      else
        g_assert_null (record);
    }
  g_assert_no_error (error);
  g_assert_cmpuint (good, ==, 2);
  g_assert_cmpuint (lines[2], ==, 1);
  g_assert_cmpuint (lines[3], ==, 2);
  g_assert_cmpuint (lines[5], ==, 2);
  g_assert_cmpuint (lines[6], ==, 2);
  g_assert_cmpuint (lines[7], ==, 1);

  result = kl_import_reader_get_result (reader);
  g_assert_cmpuint (result->n_rows, ==, 5);
  g_assert_cmpuint (result->n_bad, ==, 3);
  g_assert_cmpuint (result->errors->len, ==, 3);
  g_assert_true (g_str_has_prefix (g_ptr_array_index (result->errors, 0), "s.csv:3: column 客户编码: no customer"));
  g_assert_true (g_str_has_prefix (g_ptr_array_index (result->errors, 1), "s.csv:5: column 件数: "));
  g_assert_true (g_str_has_prefix (g_ptr_array_index (result->errors, 2), "s.csv:6: column 运单号: the same waybill is on line 2"));
  g_assert_cmpuint (result->unknown_columns->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (result->unknown_columns, 0), ==, "extra");
  g_assert_cmpstr (result->encoding, ==, "UTF-8");
}

/* The same file imported into a workspace reports the same lines. */
static void
test_reader_errors_as_import (void)
{
  g_autofree char *dir = kl_test_make_tmp_dir ("keyline-test-XXXXXX");
  g_autofree char *path = g_build_filename (dir, "w.db", NULL);
  g_autoptr(KlDatabase) db = kl_test_create_workspace (path);
  g_autoptr(GBytes) bytes = g_bytes_new_static (shipments_csv, sizeof shipments_csv - 1);
  g_autoptr(GInputStream) stream = g_memory_input_stream_new_from_bytes (bytes);
  g_autoptr(KlImportResult) imported = NULL;
  g_autoptr(KlImportReader) reader = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = kl_test_add_customer (db, "C001", "客户 1");
  g_autoptr(GHashTable) known = g_hash_table_new (g_str_hash, g_str_equal);
  KlImportReaderOptions options = { kl_database_get_timezone (db), "CNY", lookup, known };
  KlImportResult *result;
  KlImportRow row;

  g_hash_table_insert (known, "C001", id);
  imported = kl_import_run (db, KL_IMPORT_SHIPMENTS, "s.csv", bytes, KL_IMPORT_FLAGS_SKIP_BAD, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (imported->n_new, ==, 2);

  reader = kl_import_reader_new (KL_IMPORT_SHIPMENTS, "s.csv", stream, KL_IMPORT_FLAGS_NONE, &options, NULL, &error);
  while (kl_import_reader_next (reader, &row, NULL, &error) && row != KL_IMPORT_ROW_END)
    ;
  g_assert_no_error (error);
  result = kl_import_reader_get_result (reader);
  g_assert_cmpuint (result->errors->len, ==, imported->errors->len);
  for (guint i = 0; i < result->errors->len; i++)
    g_assert_cmpstr (g_ptr_array_index (result->errors, i), ==, g_ptr_array_index (imported->errors, i));

  g_clear_object (&db);
  g_assert_true (kl_test_remove_tree (dir));
}

static void
test_reader_customers (void)
{
  static const char csv[] =
    "code,name,status,tags\n"
    "C1,Acme,at_risk,a; b\n"
    "C2,,active,\n"
    "C3,Beta,nonsense,\n";
  g_autoptr(GBytes) bytes = g_bytes_new_static (csv, sizeof csv - 1);
  g_autoptr(GInputStream) stream = g_memory_input_stream_new_from_bytes (bytes);
  g_autoptr(KlImportReader) reader = NULL;
  g_autoptr(GError) error = NULL;
  KlImportRow row;
  gconstpointer record;
  const KlCustomer *c;

  reader = kl_import_reader_new (KL_IMPORT_CUSTOMERS, "c.csv", stream, KL_IMPORT_FLAGS_NONE, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (kl_import_reader_next (reader, &row, &record, &error));
  g_assert_cmpint (row, ==, KL_IMPORT_ROW_GOOD);
  c = record;
  g_assert_cmpstr (c->code, ==, "C1");
  g_assert_cmpint (c->status, ==, KL_CUSTOMER_STATUS_AT_RISK);
  g_assert_cmpstr (c->tags[1], ==, "b");
  {
    /* onto a stored customer: columns the file lacks keep their values */
    g_autoptr(KlCustomer) stored = kl_customer_new ();

    stored->notes = g_strdup ("kept");
    kl_import_reader_apply_customer (reader, stored);
    g_assert_cmpstr (stored->name, ==, "Acme");
    g_assert_cmpstr (stored->notes, ==, "kept");
  }
  g_assert_true (kl_import_reader_next (reader, &row, &record, &error));
  g_assert_cmpint (row, ==, KL_IMPORT_ROW_BAD);
  g_assert_true (kl_import_reader_next (reader, &row, &record, &error));
  g_assert_cmpint (row, ==, KL_IMPORT_ROW_BAD);
  g_assert_true (kl_import_reader_next (reader, &row, &record, &error));
  g_assert_cmpint (row, ==, KL_IMPORT_ROW_END);
  g_assert_cmpuint (kl_import_reader_get_result (reader)->n_bad, ==, 2);
}

/* A header without a required column fails as an import does. */
static void
test_reader_header (void)
{
  static const char csv[] = "waybill,status\nW1,booked\n";
  g_autoptr(GBytes) bytes = g_bytes_new_static (csv, sizeof csv - 1);
  g_autoptr(GInputStream) stream = g_memory_input_stream_new_from_bytes (bytes);
  g_autoptr(GError) error = NULL;
  KlImportReader *reader;

  reader = kl_import_reader_new (KL_IMPORT_SHIPMENTS, "h.csv", stream, KL_IMPORT_FLAGS_NONE, NULL, NULL, &error);
  g_assert_null (reader);
  g_assert_error (error, KL_IMPORT_ERROR, KL_IMPORT_ERROR_HEADER);
  g_assert_true (g_str_has_prefix (error->message, "h.csv:1: "));
}

int
main (int argc, char **argv)
{
  g_setenv ("TZ", "UTC", TRUE);
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/import-reader/shipments", test_reader_shipments);
  g_test_add_func ("/import-reader/errors-as-import", test_reader_errors_as_import);
  g_test_add_func ("/import-reader/customers", test_reader_customers);
  g_test_add_func ("/import-reader/header", test_reader_header);
  return g_test_run ();
}
