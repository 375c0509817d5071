/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Each schema step from the previous version, and the backup taken before
 * an existing workspace is upgraded. */

#include <glib/gstdio.h>
#include <sys/stat.h>

#include "kl-database-private.h"
#include "kl-migrations.h"
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

int
main (int argc, char **argv)
{
  g_setenv ("TZ", "UTC", TRUE);
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/migrations/step-1", test_step_1);
  g_test_add_func ("/migrations/each-step", test_each_step_from_previous);
  g_test_add_func ("/migrations/backup", test_backup_before_upgrade);
  return g_test_run ();
}
