/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The demo workspace: repeatable from its seed, and showing what a demo
 * should (regions, seasons, a falling account, open follow-ups, accounts
 * missing targets) with rollups that agree with the shipments. */

#include "config.h"

#include "kl-database-private.h"
#include "kl-customer-store.h"
#include "kl-demo.h"
#include "kl-rollup.h"
#include "kl-shipment-store.h"
#include "kl-test-util.h"

#define LAST_MONTH 202510

typedef struct {
  char       *dir;
  KlDatabase *db;
} Fixture;

static KlDatabase *
open_workspace (const char *dir,
                const char *name)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);

  return kl_test_create_workspace (path);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->dir = kl_test_make_tmp_dir ("keyline-test-demo-XXXXXX");
  f->db = open_workspace (f->dir, "workspace.db");
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->db);
  kl_test_remove_tree (f->dir);
  g_free (f->dir);
}

/* Every row of the data tables as text, in a stable order. */
static char *
dump (KlDatabase *db)
{
  static const char * const queries[] = {
    "SELECT * FROM customers ORDER BY id",
    "SELECT * FROM contacts ORDER BY id",
    "SELECT * FROM agreements ORDER BY id",
    "SELECT * FROM shipments ORDER BY id",
    "SELECT * FROM activities ORDER BY id",
    "SELECT * FROM rollup_month ORDER BY customer_id, month",
    "SELECT * FROM rollup_month_region ORDER BY customer_id, month, side, region",
    "SELECT count(*) FROM outbox",
  };
  GString *out = g_string_new (NULL);

  for (guint q = 0; q < G_N_ELEMENTS (queries); q++)
    {
      sqlite3_stmt *stmt = NULL;

      g_assert_cmpint (sqlite3_prepare_v2 (kl_database_get_handle (db), queries[q], -1, &stmt, NULL), ==, SQLITE_OK);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        {
          for (int c = 0; c < sqlite3_column_count (stmt); c++)
            {
              const char *text = (const char *) sqlite3_column_text (stmt, c);

              g_string_append_printf (out, "%s|", text ? text : "∅");
            }
          g_string_append_c (out, '\n');
        }
      sqlite3_finalize (stmt);
    }
  return g_string_free (out, FALSE);
}

static void
fill (KlDatabase *db,
      guint       n_customers,
      guint       years,
      guint32     seed)
{
  KlDemoOptions options = { n_customers, years, seed, LAST_MONTH };
  g_autoptr(GError) error = NULL;

  g_assert_true (kl_demo_fill (db, &options, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
}

static void
test_demo_deterministic (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(KlDatabase) other = open_workspace (f->dir, "other.db");
  g_autoptr(KlDatabase) third = open_workspace (f->dir, "third.db");
  g_autofree char *a = NULL, *b = NULL, *c = NULL;

  fill (f->db, 12, 1, 7);
  fill (other, 12, 1, 7);
  fill (third, 12, 1, 8);
  a = dump (f->db);
  b = dump (other);
  c = dump (third);
  g_assert_cmpuint (strlen (a), >, 10000);
  /* Same seed and month: the same bytes, ids and stamps included. */
  g_assert_cmpstr (a, ==, b);
  g_assert_cmpstr (a, !=, c);
}

static void
test_demo_portfolio (Fixture       *f,
                     gconstpointer  data)
{
  static const char * const regions[] = { "华东", "华南", "华北", "华中", "西南", "西北", "东北" };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) due = NULL;
  g_autoptr(KlCustomer) falling = NULL;
  KlRollupCounts last6 = { { 0 } }, prior6 = { { 0 } }, year = { { 0 } }, counts = { { 0 } };
  gint64 n_shipments, start = g_get_monotonic_time ();
  double autumn = 0.0;
  gint64 cutoff;
  gboolean overdue = FALSE, upcoming = FALSE;

  fill (f->db, 40, 3, 1);
  g_test_message ("default demo filled in %.2f s", (g_get_monotonic_time () - start) / 1e6);

  /* Counts */
  g_assert_cmpint (kl_test_query_int (f->db, "SELECT count(*) FROM customers"), ==, 40);
  g_assert_cmpint (kl_test_query_int (f->db, "SELECT min(n) FROM (SELECT count(ct.id) n FROM customers c "
                                     "LEFT JOIN contacts ct ON ct.customer_id = c.id GROUP BY c.id)"), >=, 1);
  g_assert_cmpint (kl_test_query_int (f->db, "SELECT max(n) FROM (SELECT count(*) n FROM contacts GROUP BY customer_id)"), <=, 4);
  g_assert_cmpint (kl_test_query_int (f->db, "SELECT count(*) FROM (SELECT customer_id FROM contacts "
                                     "GROUP BY customer_id HAVING sum(is_primary) != 1)"), ==, 0);
  g_assert_cmpint (kl_test_query_int (f->db, "SELECT count(*) FROM customers WHERE status != 'prospect' AND id NOT IN "
                                     "(SELECT customer_id FROM agreements)"), ==, 0);
  g_assert_cmpint (kl_test_query_int (f->db, "SELECT count(*) FROM customers WHERE status = 'lost' "
                                     "AND lost_reason IS NOT NULL AND lost_date IS NOT NULL"), >=, 1);
  g_assert_cmpint (kl_test_query_int (f->db, "SELECT count(*) FROM customers WHERE status = 'prospect'"), >=, 1);
  g_assert_cmpint (kl_test_query_int (f->db, "SELECT count(*) FROM customers WHERE status = 'at_risk'"), >=, 1);
  g_assert_cmpint (kl_test_query_int (f->db, "SELECT count(*) FROM customers WHERE status = 'active'"), >=, 25);
  g_assert_cmpint (kl_test_query_int (f->db, "SELECT count(*) FROM customers WHERE report_language = 'en'"), >=, 1);
  g_assert_cmpint (kl_test_query_int (f->db, "SELECT count(*) FROM customers WHERE abc_class = 'A'"), >=, 1);
  g_assert_cmpint (kl_test_query_int (f->db, "SELECT count(*) FROM outbox"), ==, 0);
  n_shipments = kl_test_query_int (f->db, "SELECT count(*) FROM shipments");
  g_assert_cmpint (n_shipments, >=, 100000);
  g_assert_cmpint (n_shipments, <=, 200000);
  g_assert_cmpint (kl_test_query_int (f->db, "SELECT count(*) FROM shipments WHERE status = 'cancelled'"), >, 0);
  g_assert_cmpint (kl_test_query_int (f->db, "SELECT count(*) FROM shipments WHERE documents_ok IS NULL"), >, 0);
  g_assert_cmpint (kl_test_query_int (f->db, "SELECT count(*) FROM shipments WHERE damaged_pieces > 0"), >, 0);
  /* Nothing before the first month or after the last. */
  g_assert_cmpint (kl_test_query_int (f->db, "SELECT min(month) FROM rollup_month"), ==, 202211);
  g_assert_cmpint (kl_test_query_int (f->db, "SELECT max(month) FROM rollup_month"), ==, LAST_MONTH);

  /* Every region has customers and receives shipments. */
  for (guint i = 0; i < G_N_ELEMENTS (regions); i++)
    {
      sqlite3_stmt *stmt = NULL;

      sqlite3_prepare_v2 (kl_database_get_handle (f->db),
                          "SELECT (SELECT count(*) FROM customers WHERE region = ?1), "
                          "(SELECT count(*) FROM rollup_month_region WHERE side = 'dest' AND region = ?1)",
                          -1, &stmt, NULL);
      sqlite3_bind_text (stmt, 1, regions[i], -1, SQLITE_STATIC);
      g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
      g_assert_cmpint (sqlite3_column_int (stmt, 0), >, 0);
      g_assert_cmpint (sqlite3_column_int (stmt, 1), >, 0);
      sqlite3_finalize (stmt);
    }

  /* Seasons: September to November above the year's monthly mean. */
  g_assert_true (kl_rollup_read_total (f->db, NULL, 202401, 202412, &year, &error));
  for (int m = 202409; m <= 202411; m++)
    {
      KlRollupCounts month = { { 0 } };

      g_assert_true (kl_rollup_read_total (f->db, NULL, m, m, &month, &error));
      autumn += month.v[KL_RC_SHIPMENTS] / 3.0;
    }
  g_assert_no_error (error);
  g_assert_cmpfloat (autumn, >, 1.1 * year.v[KL_RC_SHIPMENTS] / 12.0);

  /* The falling account: its last six months well below the six before. */
  falling = kl_customer_store_get_by_code (f->db, "C0004", &error);
  g_assert_no_error (error);
  g_assert_true (kl_rollup_read_total (f->db, falling->id, 202505, 202510, &last6, &error));
  g_assert_true (kl_rollup_read_total (f->db, falling->id, 202411, 202504, &prior6, &error));
  g_assert_cmpint (last6.v[KL_RC_SHIPMENTS], >, 0);
  g_assert_cmpfloat (last6.v[KL_RC_SHIPMENTS], <, 0.85 * prior6.v[KL_RC_SHIPMENTS]);

  /* Accounts that clearly miss targets: late arrivals, damage, documents. */
  {
    g_autoptr(KlCustomer) late = kl_customer_store_get_by_code (f->db, "C0007", &error);
    g_autoptr(KlCustomer) careless = kl_customer_store_get_by_code (f->db, "C0010", &error);
    g_autoptr(KlCustomer) sloppy = kl_customer_store_get_by_code (f->db, "C0013", &error);

    g_assert_true (kl_rollup_read_total (f->db, late->id, 202411, 202510, &counts, &error));
    g_assert_cmpfloat ((double) counts.v[KL_RC_DELIVERED_ON_TIME] / counts.v[KL_RC_DELIVERED], <, 0.92);
    memset (&counts, 0, sizeof counts);
    g_assert_true (kl_rollup_read_total (f->db, careless->id, 202411, 202510, &counts, &error));
    g_assert_cmpfloat ((double) counts.v[KL_RC_DAMAGED_PIECES] / counts.v[KL_RC_DELIVERED_PIECES], >, 0.001);
    memset (&counts, 0, sizeof counts);
    g_assert_true (kl_rollup_read_total (f->db, sloppy->id, 202411, 202510, &counts, &error));
    g_assert_cmpfloat ((double) counts.v[KL_RC_DOCS_OK] / counts.v[KL_RC_DOCS_KNOWN], <, 0.98);
    /* The biggest account keeps its arrival target. */
    memset (&counts, 0, sizeof counts);
    g_assert_true (kl_rollup_read_total (f->db, NULL, 202411, 202510, &counts, &error));
    g_assert_cmpfloat ((double) counts.v[KL_RC_DELIVERED_ON_TIME] / counts.v[KL_RC_DELIVERED], >, 0.94);
    g_assert_no_error (error);
  }

  /* Open follow-ups, some overdue at the month's turn and some still to come. */
  due = kl_activity_store_due (f->db, KL_NO_TIME, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (due->len, >=, 5);
  {
    g_autoptr(GDateTime) turn = g_date_time_new (kl_database_get_timezone (f->db), 2025, 11, 1, 0, 0, 0);

    cutoff = g_date_time_to_unix (turn);
  }
  for (guint i = 0; i < due->len; i++)
    {
      KlActivity *a = g_ptr_array_index (due, i);

      g_assert_false (a->done);
      overdue |= a->due_at < cutoff;
      upcoming |= a->due_at >= cutoff;
    }
  g_assert_true (overdue);
  g_assert_true (upcoming);

  /* Rollups agree with the facts. */
  g_assert_true (kl_rollup_check (f->db, problems, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < problems->len; i++)
    g_test_message ("%s", (const char *) g_ptr_array_index (problems, i));
  g_assert_cmpuint (problems->len, ==, 0);
}

static void
test_demo_refuses_customers (Fixture       *f,
                             gconstpointer  data)
{
  KlDemoOptions options = { 3, 1, 1, LAST_MONTH };
  g_autoptr(GError) error = NULL;

  fill (f->db, 3, 1, 1);
  g_assert_false (kl_demo_fill (f->db, &options, NULL, NULL, NULL, &error));
  g_assert_error (error, KL_DATABASE_ERROR, KL_DATABASE_ERROR_INVALID);
  g_assert_cmpint (kl_test_query_int (f->db, "SELECT count(*) FROM customers"), ==, 3);
}

static void
test_demo_clear (Fixture       *f,
                 gconstpointer  data)
{
  static const char * const tables[] = {
    "customers", "contacts", "agreements", "shipments", "activities", "rollup_month",
    "rollup_month_region", "customer_search", "outbox",
  };
  g_autoptr(GError) error = NULL;
  g_autofree char *first = NULL, *second = NULL;
  g_autofree char *tz = g_strdup (kl_database_get_timezone_name (f->db));

  fill (f->db, 5, 1, 3);
  first = dump (f->db);
  g_assert_true (kl_database_set_setting (f->db, "test.kept", "yes", &error));
  g_assert_true (kl_database_outbox_add (f->db, "customers", "x", "update", "name", 0, &error));

  g_assert_true (kl_demo_clear (f->db, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (tables); i++)
    {
      g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM %s", tables[i]);

      g_assert_cmpint (kl_test_query_int (f->db, sql), ==, 0);
    }
  /* Settings stay. */
  {
    g_autofree char *kept = kl_database_get_setting (f->db, "test.kept");

    g_assert_cmpstr (kept, ==, "yes");
    g_assert_cmpstr (kl_database_get_timezone_name (f->db), ==, tz);
  }
  /* And the emptied workspace takes the same demo again. */
  fill (f->db, 5, 1, 3);
  second = dump (f->db);
  g_assert_cmpstr (first, ==, second);
}

static void
on_progress (double   fraction,
             gpointer data)
{
  GArray *seen = data;

  g_array_append_val (seen, fraction);
}

static void
test_demo_progress (Fixture       *f,
                    gconstpointer  data)
{
  KlDemoOptions options = { 6, 1, 5, LAST_MONTH };
  g_autoptr(GArray) seen = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GError) error = NULL;

  g_assert_true (kl_demo_fill (f->db, &options, on_progress, seen, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (seen->len, >=, 5);
  for (guint i = 1; i < seen->len; i++)
    g_assert_cmpfloat (g_array_index (seen, double, i), >=, g_array_index (seen, double, i - 1));
  g_assert_cmpfloat (g_array_index (seen, double, seen->len - 1), ==, 1.0);
}

static void
cancel_halfway (double   fraction,
                gpointer data)
{
  if (fraction > 0.3)
    g_cancellable_cancel (data);
}

static void
test_demo_cancel (Fixture       *f,
                  gconstpointer  data)
{
  KlDemoOptions options = { 6, 2, 5, LAST_MONTH };
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;

  g_assert_false (kl_demo_fill (f->db, &options, cancel_halfway, cancellable, cancellable, &error));
  g_assert_error (error, KL_DATABASE_ERROR, KL_DATABASE_ERROR_CANCELLED);
  g_assert_false (kl_database_in_transaction (f->db));
  /* Nothing half-written. */
  g_assert_cmpint (kl_test_query_int (f->db, "SELECT count(*) FROM customers"), ==, 0);
  g_assert_cmpint (kl_test_query_int (f->db, "SELECT count(*) FROM shipments"), ==, 0);
  g_assert_cmpint (kl_test_query_int (f->db, "SELECT count(*) FROM rollup_month"), ==, 0);
  /* And the workspace still takes a demo. */
  g_clear_error (&error);
  fill (f->db, 2, 1, 5);
}

static void
test_demo_bad_options (Fixture       *f,
                       gconstpointer  data)
{
  KlDemoOptions no_customers = { 0, 1, 1, LAST_MONTH };
  KlDemoOptions bad_month = { 3, 1, 1, 202513 };
  g_autoptr(GError) error = NULL;

  g_assert_false (kl_demo_fill (f->db, &no_customers, NULL, NULL, NULL, &error));
  g_assert_error (error, KL_DATABASE_ERROR, KL_DATABASE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (kl_demo_fill (f->db, &bad_month, NULL, NULL, NULL, &error));
  g_assert_error (error, KL_DATABASE_ERROR, KL_DATABASE_ERROR_INVALID);
  g_assert_cmpint (kl_test_query_int (f->db, "SELECT count(*) FROM customers"), ==, 0);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/demo/deterministic", test_demo_deterministic);
  ADD ("/demo/portfolio", test_demo_portfolio);
  ADD ("/demo/refuses-customers", test_demo_refuses_customers);
  ADD ("/demo/clear", test_demo_clear);
  ADD ("/demo/progress", test_demo_progress);
  ADD ("/demo/cancel", test_demo_cancel);
  ADD ("/demo/bad-options", test_demo_bad_options);
#undef ADD

  return g_test_run ();
}
