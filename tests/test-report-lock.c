/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Reports read in a read transaction: a customer's report and the
 * portfolio are built while another connection holds the write lock. */

#include "kl-database-private.h"
#include "kl-database.h"
#include "kl-period.h"
#include "kl-portfolio.h"
#include "kl-report-model.h"
#include "kl-test-util.h"

static void
test_report_beside_writer (void)
{
  g_autofree char *dir = kl_test_make_tmp_dir ("keyline-test-XXXXXX");
  g_autofree char *path = g_build_filename (dir, "workspace.db", NULL);
  g_autoptr(KlDatabase) writer = kl_test_create_demo_workspace (path, 3, 1, 202510);
  g_autoptr(KlDatabase) reader = NULL;
  g_autoptr(KlPeriod) period = kl_period_new_month (2025, 10);
  g_autoptr(KlReportModel) model = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *code = NULL;
  sqlite3_stmt *stmt;

  stmt = kl_database_prepare (writer, "SELECT code FROM customers ORDER BY code LIMIT 1", &error);
  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  code = kl_column_dup_text (stmt, 0);
  sqlite3_reset (stmt);

  reader = kl_database_open (path, 0, &error);
  g_assert_no_error (error);
  /* Fail at once rather than after the busy timeout. */
  g_assert_true (kl_database_exec (reader, "PRAGMA busy_timeout = 0", &error));

  g_assert_true (kl_database_begin (writer, &error));
  g_assert_true (kl_database_set_setting (writer, "marker", "writing", &error));

  model = kl_report_build (reader, code, period, &error);
  g_assert_no_error (error);
  g_assert_nonnull (model);
  rows = kl_portfolio_rank (reader, 202510, &error);
  g_assert_no_error (error);
  g_assert_nonnull (rows);
  g_assert_cmpuint (rows->len, ==, 3);
  g_assert_false (kl_database_in_transaction (reader));

  g_assert_true (kl_database_commit (writer, &error));
  g_clear_object (&reader);
  g_clear_object (&writer);
  g_assert_true (kl_test_remove_tree (dir));
}

int
main (int argc, char **argv)
{
  g_setenv ("TZ", "UTC", TRUE);
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/report-lock/beside-writer", test_report_beside_writer);
  return g_test_run ();
}
