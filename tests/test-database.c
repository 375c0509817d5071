/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Opening, creating and configuring a workspace. */

#include <glib/gstdio.h>
#include <sys/stat.h>

#include "kl-database-private.h"
#include "kl-rollup.h"
#include "kl-test-util.h"

typedef struct {
  char *dir;
  char *path;
} Fixture;

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  f->dir = kl_test_make_tmp_dir ("keyline-test-XXXXXX");
  f->path = g_build_filename (f->dir, "sub", "workspace.db", NULL);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  g_assert_true (kl_test_remove_tree (f->dir));
  g_free (f->dir);
  g_free (f->path);
}

static void
test_create (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KlDatabase) db = kl_database_open (f->path, KL_DATABASE_OPEN_CREATE, &error);
  sqlite3_stmt *stmt;
  struct stat st;

  g_assert_no_error (error);
  g_assert_nonnull (db);
  g_assert_true (kl_database_is_new (db));
  g_assert_cmpint (kl_database_get_user_version (db), ==, kl_database_schema_version ());

  g_assert_cmpint (g_stat (f->path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  stmt = kl_database_prepare (db, "PRAGMA journal_mode", &error);
  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, "wal");
  sqlite3_reset (stmt);

  stmt = kl_database_prepare (db, "PRAGMA foreign_keys", &error);
  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, 1);
  sqlite3_reset (stmt);

  /* The same SQL gives the same cached statement. */
  g_assert_true (kl_database_prepare (db, "PRAGMA foreign_keys", NULL) == stmt);

  g_clear_object (&db);
  db = kl_database_open (f->path, 0, &error);
  g_assert_no_error (error);
  g_assert_false (kl_database_is_new (db));
}

static void
test_missing (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KlDatabase) db = kl_database_open (f->path, 0, &error);

  g_assert_null (db);
  g_assert_error (error, KL_DATABASE_ERROR, KL_DATABASE_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, f->path));
  g_assert_false (g_file_test (f->path, G_FILE_TEST_EXISTS));
}

static void
test_not_a_database (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KlDatabase) db = NULL;
  g_autofree char *dir = g_path_get_dirname (f->path);

  g_mkdir_with_parents (dir, 0700);
  g_assert_true (g_file_set_contents (f->path, "this is not sqlite, just text that is long enough to be a header...", -1, NULL));
  db = kl_database_open (f->path, 0, &error);
  g_assert_null (db);
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, f->path));
}

static void
test_too_new (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KlDatabase) db = kl_test_create_workspace (f->path);
  g_assert_true (kl_database_exec (db, "PRAGMA user_version = 999", &error));
  g_clear_object (&db);
  db = kl_database_open (f->path, 0, &error);
  g_assert_null (db);
  g_assert_error (error, KL_DATABASE_ERROR, KL_DATABASE_ERROR_TOO_NEW);
}

static void
test_settings_and_timezone (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KlDatabase) db = kl_database_open (f->path, KL_DATABASE_OPEN_CREATE, &error);
  g_autofree char *value = NULL;

  g_assert_no_error (error);
  /* The test environment runs with TZ=UTC unless told otherwise. */
  g_assert_cmpstr (kl_database_get_timezone_name (db), ==, "UTC");

  g_assert_true (kl_database_set_setting (db, "company_name", "华东物流", &error));
  value = kl_database_get_setting (db, "company_name");
  g_assert_cmpstr (value, ==, "华东物流");
  g_assert_null (kl_database_get_setting (db, "nothing"));

  g_assert_true (kl_rollup_set_timezone (db, "Asia/Shanghai", &error));
  g_assert_no_error (error);
  g_assert_cmpstr (kl_database_get_timezone_name (db), ==, "Asia/Shanghai");
  g_assert_cmpint (g_time_zone_find_interval (kl_database_get_timezone (db), G_TIME_TYPE_UNIVERSAL, 0), >=, 0);

  g_assert_false (kl_rollup_set_timezone (db, "Mars/Olympus", &error));
  g_assert_error (error, KL_DATABASE_ERROR, KL_DATABASE_ERROR_INVALID);
  g_assert_cmpstr (kl_database_get_timezone_name (db), ==, "Asia/Shanghai");

  g_clear_object (&db);
  db = kl_database_open (f->path, 0, NULL);
  g_assert_cmpstr (kl_database_get_timezone_name (db), ==, "Asia/Shanghai");
}

static void
test_nested_transactions (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KlDatabase) db = kl_database_open (f->path, KL_DATABASE_OPEN_CREATE, &error);
  g_autofree char *value = NULL;

  g_assert_true (kl_database_begin (db, &error));
  g_assert_true (kl_database_set_setting (db, "a", "1", &error));
  g_assert_true (kl_database_begin (db, &error));
  g_assert_true (kl_database_set_setting (db, "b", "2", &error));
  kl_database_rollback (db);          /* the inner level fails … */
  g_assert_false (kl_database_commit (db, &error)); /* … so the whole is rolled back */
  g_assert_nonnull (error);
  g_assert_false (kl_database_in_transaction (db));
  value = kl_database_get_setting (db, "a");
  g_assert_null (value);
}

static void
test_default_path (void)
{
  g_autofree char *path = NULL;

  g_setenv ("KEYLINE_WORKSPACE", "/somewhere/w.db", TRUE);
  path = kl_database_default_path ();
  g_assert_cmpstr (path, ==, "/somewhere/w.db");
  g_unsetenv ("KEYLINE_WORKSPACE");
  g_free (path);
  path = kl_database_default_path ();
  g_assert_true (g_str_has_suffix (path, "/keyline/workspace.db"));
}

int
main (int argc, char **argv)
{
  g_setenv ("TZ", "UTC", TRUE);
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/database/create", Fixture, NULL, fixture_setup, test_create, fixture_teardown);
  g_test_add ("/database/missing", Fixture, NULL, fixture_setup, test_missing, fixture_teardown);
  g_test_add ("/database/not-a-database", Fixture, NULL, fixture_setup, test_not_a_database, fixture_teardown);
  g_test_add ("/database/too-new", Fixture, NULL, fixture_setup, test_too_new, fixture_teardown);
  g_test_add ("/database/settings-timezone", Fixture, NULL, fixture_setup, test_settings_and_timezone, fixture_teardown);
  g_test_add ("/database/nested-transactions", Fixture, NULL, fixture_setup, test_nested_transactions, fixture_teardown);
  g_test_add_func ("/database/default-path", test_default_path);
  return g_test_run ();
}
