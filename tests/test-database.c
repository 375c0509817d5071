/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Opening, creating and configuring a workspace. */

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <sys/stat.h>
#include <unistd.h>

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

/* A statement that frees many pages inside a transaction, as the migration
 * to schema 10 drops the shipments' customer index: it must not fail with
 * "disk is full" (SQLite 3.40 did with statement journals kept in memory
 * past 256 KiB; kl-database.c, configure_sqlite ()). */
static void
test_large_drop (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KlDatabase) db = kl_database_open (f->path, KL_DATABASE_OPEN_CREATE, &error);
  sqlite3_stmt *stmt;

  g_assert_no_error (error);
  g_assert_true (kl_database_exec (db,
                                   "CREATE TABLE big (a INTEGER, b TEXT);"
                                   "WITH RECURSIVE n (i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 300000) "
                                   "INSERT INTO big SELECT i, printf ('%040d', i) FROM n;"
                                   "CREATE INDEX big_b ON big (b);", &error));
  g_assert_no_error (error);

  g_assert_true (kl_database_begin (db, &error));
  g_assert_true (kl_database_exec (db, "DROP INDEX big_b", &error));
  g_assert_no_error (error);
  g_assert_true (kl_database_exec (db, "CREATE INDEX big_b ON big (b, a)", &error));
  g_assert_true (kl_database_commit (db, &error));
  g_assert_no_error (error);

  stmt = kl_database_prepare (db, "SELECT sql FROM sqlite_schema WHERE name = 'big_b'", &error);
  g_assert_nonnull (stmt);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, "CREATE INDEX big_b ON big (b, a)");
  sqlite3_reset (stmt);
}

/* Writes bytes to path, making its folder. */
static void
write_bytes (const char *path, const char *bytes, gssize len)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (path, bytes, len, &error));
  g_assert_no_error (error);
}

static GBytes *
read_bytes (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;
  gsize len = 0;

  g_assert_true (g_file_get_contents (path, &contents, &len, &error));
  g_assert_no_error (error);
  return g_bytes_new_take (contents, len);
}

/* Another program's database with a table named as one of Keyline's. */
static void
make_foreign_database (const char *path)
{
  g_autofree char *dir = g_path_get_dirname (path);
  sqlite3 *handle = NULL;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_assert_cmpint (sqlite3_open (path, &handle), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (handle,
                                 "CREATE TABLE customers (id INTEGER PRIMARY KEY, who TEXT);"
                                 "INSERT INTO customers (who) VALUES ('someone else');",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (handle);
}

/* A 0-byte file, a text file and another program's database are refused,
 * even by an open that may create, and not changed by a byte. */
static void
test_refuse_other_files (Fixture *f, gconstpointer data)
{
  for (guint kind = 0; kind < 4; kind++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(KlDatabase) db = NULL;
      g_autoptr(GBytes) before = NULL;
      g_autoptr(GBytes) after = NULL;
      g_autofree char *wal = g_strconcat (f->path, "-wal", NULL);

      g_remove (f->path);
      switch (kind)
        {
        case 0:
          write_bytes (f->path, "", 0);
          break;
        case 1:
          write_bytes (f->path, "this is not sqlite, just text that is long enough to be a header...", -1);
          break;
        case 2:
          make_foreign_database (f->path);
          break;
        default:
          {
            /* Another program's database marked with its own id. */
            sqlite3 *handle = NULL;

            make_foreign_database (f->path);
            g_assert_cmpint (sqlite3_open (f->path, &handle), ==, SQLITE_OK);
            g_assert_cmpint (sqlite3_exec (handle, "PRAGMA application_id = 1234; PRAGMA user_version = 2",
                                           NULL, NULL, NULL), ==, SQLITE_OK);
            sqlite3_close (handle);
          }
          break;
        }
      before = read_bytes (f->path);

      db = kl_database_open (f->path, KL_DATABASE_OPEN_CREATE, &error);
      g_assert_null (db);
      g_assert_error (error, KL_DATABASE_ERROR, KL_DATABASE_ERROR_NOT_WORKSPACE);
      g_assert_nonnull (strstr (error->message, f->path));
      g_clear_error (&error);
      db = kl_database_open (f->path, 0, &error);
      g_assert_error (error, KL_DATABASE_ERROR, KL_DATABASE_ERROR_NOT_WORKSPACE);

      after = read_bytes (f->path);
      g_assert_true (g_bytes_equal (before, after));
      g_assert_false (g_file_test (wal, G_FILE_TEST_EXISTS));
    }
}

/* A workspace made before application_id (0, Keyline's tables, an older
 * schema) opens, is upgraded and marked; one at the newest schema is
 * marked too. */
static void
test_legacy_workspace (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KlDatabase) db = NULL;
  sqlite3_stmt *stmt;

  for (int v = 1; v <= kl_database_schema_version (); v += kl_database_schema_version () - 1)
    {
      g_autofree char *marker = NULL;

      kl_test_remove_tree (f->dir);
      db = _kl_database_open_at_version (f->path, KL_DATABASE_OPEN_CREATE, v, &error);
      g_assert_no_error (error);
      g_assert_true (kl_database_set_setting (db, "marker", "old", &error));
      g_assert_true (kl_database_exec (db, "PRAGMA application_id = 0", &error));
      g_clear_object (&db);

      db = kl_database_open (f->path, 0, &error);
      g_assert_no_error (error);
      g_assert_cmpint (kl_database_get_user_version (db), ==, kl_database_schema_version ());
      stmt = kl_database_prepare (db, "PRAGMA application_id", &error);
      g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
      g_assert_cmpint (sqlite3_column_int64 (stmt, 0), ==, KL_DATABASE_APPLICATION_ID);
      sqlite3_reset (stmt);
      marker = kl_database_get_setting (db, "marker");
      g_assert_cmpstr (marker, ==, "old");
      g_clear_object (&db);
      if (kl_database_schema_version () == 1)
        break;
    }
}

typedef struct {
  const char *path;
  int         index;
  gboolean    created;
  char       *error;
} Racer;

static GMutex race_mutex;
static GCond  race_cond;
static int    race_waiting;

static void
race_start (int n)
{
  g_mutex_lock (&race_mutex);
  race_waiting++;
  if (race_waiting == n)
    g_cond_broadcast (&race_cond);
  while (race_waiting < n)
    g_cond_wait (&race_cond, &race_mutex);
  g_mutex_unlock (&race_mutex);
}

#define N_RACERS 4

static gpointer
race_create (gpointer data)
{
  Racer *r = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(KlDatabase) db = NULL;
  g_autofree char *key = g_strdup_printf ("racer-%d", r->index);

  race_start (N_RACERS);
  db = kl_database_open (r->path, KL_DATABASE_OPEN_CREATE, &error);
  if (db != NULL)
    {
      r->created = kl_database_is_new (db);
      kl_database_set_setting (db, key, "here", &error);
    }
  if (error != NULL)
    r->error = g_strdup (error->message);
  return NULL;
}

/* Several programs create the same new workspace at once: one makes it,
 * the others open that one, no one fails and nothing written is lost. */
static void
test_create_race (Fixture *f, gconstpointer data)
{
  for (int round = 0; round < 12; round++)
    {
      Racer racers[N_RACERS];
      GThread *threads[N_RACERS];
      g_autoptr(KlDatabase) db = NULL;
      g_autoptr(GError) error = NULL;
      int n_created = 0;

      kl_test_remove_tree (f->dir);
      race_waiting = 0;
      for (int i = 0; i < N_RACERS; i++)
        {
          racers[i] = (Racer) { f->path, i, FALSE, NULL };
          threads[i] = g_thread_new ("racer", race_create, &racers[i]);
        }
      for (int i = 0; i < N_RACERS; i++)
        g_thread_join (threads[i]);

      db = kl_database_open (f->path, 0, &error);
      g_assert_no_error (error);
      for (int i = 0; i < N_RACERS; i++)
        {
          g_autofree char *key = g_strdup_printf ("racer-%d", i);
          g_autofree char *value = kl_database_get_setting (db, key);

          g_assert_cmpstr (racers[i].error, ==, NULL);
          g_assert_cmpstr (value, ==, "here");
          n_created += racers[i].created;
        }
      g_assert_cmpint (n_created, ==, 1);
      /* No temporary file is left beside it. */
      {
        g_autofree char *dir = g_path_get_dirname (f->path);
        g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
        const char *name;

        while ((name = g_dir_read_name (d)) != NULL)
          g_assert_false (strstr (name, ".new-") != NULL);
      }
    }
}

static gpointer
race_upgrade (gpointer data)
{
  Racer *r = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(KlDatabase) db = NULL;

  race_start (N_RACERS);
  db = kl_database_open (r->path, 0, &error);
  if (error != NULL)
    r->error = g_strdup (error->message);
  return NULL;
}

/* Several programs open an old workspace at once: one upgrades it, no
 * step runs twice ("table already exists"). */
static void
test_upgrade_race (Fixture *f, gconstpointer data)
{
  for (int round = 0; round < 8; round++)
    {
      Racer racers[N_RACERS];
      GThread *threads[N_RACERS];
      g_autoptr(KlDatabase) db = NULL;
      g_autoptr(GError) error = NULL;

      kl_test_remove_tree (f->dir);
      db = _kl_database_open_at_version (f->path, KL_DATABASE_OPEN_CREATE, 1, &error);
      g_assert_no_error (error);
      g_assert_true (kl_database_exec (db, "PRAGMA application_id = 0", &error));
      g_clear_object (&db);

      race_waiting = 0;
      for (int i = 0; i < N_RACERS; i++)
        {
          racers[i] = (Racer) { f->path, i, FALSE, NULL };
          threads[i] = g_thread_new ("upgrader", race_upgrade, &racers[i]);
        }
      for (int i = 0; i < N_RACERS; i++)
        {
          g_thread_join (threads[i]);
          g_assert_cmpstr (racers[i].error, ==, NULL);
        }
      db = kl_database_open (f->path, 0, &error);
      g_assert_no_error (error);
      g_assert_cmpint (kl_database_get_user_version (db), ==, kl_database_schema_version ());
    }
}

/* The failed first import removes the workspace it created only while no
 * one else has written to it, and whoever had it open then finds it gone
 * instead of writing into a removed file. */
static void
test_discard_new (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  KlDatabase *creator;
  g_autoptr(KlDatabase) other = NULL;
  g_autofree char *value = NULL;

  /* Someone else wrote: the workspace stays. */
  creator = kl_database_open (f->path, KL_DATABASE_OPEN_CREATE, &error);
  g_assert_no_error (error);
  g_assert_true (kl_database_is_new (creator));
  other = kl_database_open (f->path, KL_DATABASE_OPEN_CREATE, &error);
  g_assert_no_error (error);
  g_assert_false (kl_database_is_new (other));
  g_assert_true (kl_database_set_setting (other, "theirs", "kept", &error));
  g_assert_false (kl_database_discard_new (creator));
  g_assert_true (g_file_test (f->path, G_FILE_TEST_EXISTS));
  value = kl_database_get_setting (other, "theirs");
  g_assert_cmpstr (value, ==, "kept");
  g_clear_object (&other);

  /* No one wrote: it goes, and a program that had it open cannot write. */
  kl_test_remove_tree (f->dir);
  creator = kl_database_open (f->path, KL_DATABASE_OPEN_CREATE, &error);
  g_assert_no_error (error);
  other = kl_database_open (f->path, 0, &error);
  g_assert_no_error (error);
  g_assert_true (kl_database_discard_new (creator));
  g_assert_false (g_file_test (f->path, G_FILE_TEST_EXISTS));
  g_assert_false (kl_database_begin (other, &error));
  g_assert_error (error, KL_DATABASE_ERROR, KL_DATABASE_ERROR_BUSY);
  g_clear_error (&error);
  g_clear_object (&other);
  g_assert_false (g_file_test (f->path, G_FILE_TEST_EXISTS));
}

/* A full disk is its own error, not a fault in Keyline. */
static void
test_disk_full (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KlDatabase) db = kl_test_create_workspace (f->path);
  g_autofree char *big = g_strnfill (64 * 1024, 'x');
  gboolean ok = TRUE;

  g_assert_true (kl_database_exec (db, "PRAGMA max_page_count = 40", &error));
  for (int i = 0; ok && i < 100; i++)
    {
      g_autofree char *key = g_strdup_printf ("big-%d", i);

      ok = kl_database_set_setting (db, key, big, &error);
    }
  g_assert_false (ok);
  g_assert_error (error, KL_DATABASE_ERROR, KL_DATABASE_ERROR_FULL);
  g_assert_nonnull (strstr (error->message, f->path));
}

/* A damaged file is its own error too. */
static void
test_damaged (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KlDatabase) db = kl_test_create_workspace (f->path);
  g_autofree char *big = g_strnfill (3000, 'y');
  g_autofree char *junk = g_strnfill (16384 * 3, '\x5a');   /* three pages */
  GStatBuf st;
  int fd;

  for (int i = 0; i < 160; i++)
    {
      g_autofree char *key = g_strdup_printf ("k-%03d", i);
      g_assert_true (kl_database_set_setting (db, key, big, &error));
    }
  g_clear_object (&db);

  /* Scribble over pages after the first: the file still opens. */
  g_assert_cmpint (g_stat (f->path, &st), ==, 0);
  fd = g_open (f->path, O_WRONLY, 0);
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (pwrite (fd, junk, strlen (junk), st.st_size / 2), ==, (gssize) strlen (junk));
  close (fd);

  db = kl_database_open (f->path, 0, &error);
  if (db != NULL)
    {
      g_autoptr(GPtrArray) rows = NULL;
      sqlite3_stmt *stmt = kl_database_prepare (db, "SELECT count(*), sum(length(value)) FROM settings", &error);
      int rc;

      g_assert_no_error (error);
      rc = sqlite3_step (stmt);
      if (rc != SQLITE_ROW)
        kl_database_set_error (db, &error, "Reading settings");
      sqlite3_reset (stmt);
      if (rc == SQLITE_ROW)
        {
          g_assert_true (kl_database_exec (db, "PRAGMA quick_check", &error) || error != NULL);
        }
    }
  g_assert_error (error, KL_DATABASE_ERROR, KL_DATABASE_ERROR_CORRUPT);
  g_assert_nonnull (strstr (error->message, "backup"));
}

/* Runs the rest of a test as someone who is not the file's owner (root
 * ignores file modes). */
static void
drop_root (void)
{
  if (geteuid () != 0)
    return;
  g_assert_cmpint (setgid (65534), ==, 0);
  g_assert_cmpint (setuid (65534), ==, 0);
}

/* The window reads with a small page cache, an import with a large one:
 * the size asked is the connection's. */
static void
test_cache_size (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KlDatabase) db = kl_database_open (f->path, KL_DATABASE_OPEN_CREATE, &error);
  sqlite3_stmt *stmt;

  g_assert_no_error (error);
  g_assert_true (kl_database_set_cache_size (db, 1234, &error));
  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_prepare_v2 (kl_database_get_handle (db), "PRAGMA cache_size", -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  /* Negative: KiB, not pages. */
  g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, -1234);
  sqlite3_finalize (stmt);
}

/* A workspace the user may only read opens for reading: in a folder that
 * can be written, and in one that cannot (no WAL index can be made). */
static void
test_read_only (Fixture *f, gconstpointer data)
{
  g_autofree char *sub = g_path_get_dirname (f->path);

  if (g_test_subprocess ())
    {
      const char *mode = g_getenv ("KL_TEST_READ_ONLY_DIR");
      g_autoptr(GError) error = NULL;
      g_autoptr(KlDatabase) db = NULL;
      g_autofree char *value = NULL;

      /* This process's own fixture directory goes while it may. */
      kl_test_remove_tree (f->dir);
      drop_root ();
      db = kl_database_open (mode, 0, &error);
      g_assert_no_error (error);
      g_assert_true (kl_database_is_read_only (db));
      value = kl_database_get_setting (db, "marker");
      g_assert_cmpstr (value, ==, "readable");
      g_assert_false (kl_database_set_setting (db, "marker", "changed", &error));
      g_assert_error (error, KL_DATABASE_ERROR, KL_DATABASE_ERROR_READ_ONLY);
      g_clear_object (&db);
      exit (0);   /* the teardown could not remove what is gone already */
    }

  for (guint dir_writable = 0; dir_writable < 2; dir_writable++)
    {
      g_autoptr(KlDatabase) db = NULL;
      g_autoptr(GError) error = NULL;

      kl_test_remove_tree (f->dir);
      db = kl_test_create_workspace (f->path);
      g_assert_true (kl_database_set_setting (db, "marker", "readable", &error));
      g_clear_object (&db);
      g_assert_cmpint (g_chmod (f->dir, 0755), ==, 0);
      g_assert_cmpint (g_chmod (sub, dir_writable ? 0777 : 0555), ==, 0);
      g_assert_cmpint (g_chmod (f->path, 0444), ==, 0);

      g_setenv ("KL_TEST_READ_ONLY_DIR", f->path, TRUE);
      g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
      g_test_trap_assert_passed ();
      g_assert_cmpint (g_chmod (sub, 0700), ==, 0);
    }
}

/* Reading runs beside another connection's write transaction; writing
 * waits for it and says so. */
static void
test_begin_read_beside_writer (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KlDatabase) writer = kl_test_create_workspace (f->path);
  g_autoptr(KlDatabase) reader = NULL;
  g_autofree char *value = NULL;

  g_assert_true (kl_database_set_setting (writer, "marker", "committed", &error));
  reader = kl_database_open (f->path, 0, &error);
  g_assert_no_error (error);
  g_assert_true (kl_database_exec (reader, "PRAGMA busy_timeout = 0", &error));

  g_assert_true (kl_database_begin (writer, &error));
  g_assert_true (kl_database_set_setting (writer, "marker", "pending", &error));

  g_assert_true (kl_database_begin_read (reader, &error));
  g_assert_no_error (error);
  g_assert_true (kl_database_begin_read (reader, &error));    /* nests */
  value = kl_database_get_setting (reader, "marker");
  g_assert_cmpstr (value, ==, "committed");
  g_assert_true (kl_database_commit (reader, &error));
  g_assert_true (kl_database_commit (reader, &error));
  g_assert_false (kl_database_in_transaction (reader));

  g_assert_false (kl_database_begin (reader, &error));
  g_assert_error (error, KL_DATABASE_ERROR, KL_DATABASE_ERROR_BUSY);
  g_clear_error (&error);
  g_assert_true (kl_database_commit (writer, &error));
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
  g_test_add ("/database/large-drop", Fixture, NULL, fixture_setup, test_large_drop, fixture_teardown);
  g_test_add ("/database/refuse-other-files", Fixture, NULL, fixture_setup, test_refuse_other_files, fixture_teardown);
  g_test_add ("/database/legacy-workspace", Fixture, NULL, fixture_setup, test_legacy_workspace, fixture_teardown);
  g_test_add ("/database/create-race", Fixture, NULL, fixture_setup, test_create_race, fixture_teardown);
  g_test_add ("/database/upgrade-race", Fixture, NULL, fixture_setup, test_upgrade_race, fixture_teardown);
  g_test_add ("/database/discard-new", Fixture, NULL, fixture_setup, test_discard_new, fixture_teardown);
  g_test_add ("/database/disk-full", Fixture, NULL, fixture_setup, test_disk_full, fixture_teardown);
  g_test_add ("/database/damaged", Fixture, NULL, fixture_setup, test_damaged, fixture_teardown);
  g_test_add ("/database/read-only", Fixture, NULL, fixture_setup, test_read_only, fixture_teardown);
  g_test_add ("/database/begin-read-beside-writer", Fixture, NULL, fixture_setup, test_begin_read_beside_writer, fixture_teardown);
  g_test_add_func ("/database/default-path", test_default_path);
  g_test_add ("/database/cache-size", Fixture, NULL, fixture_setup, test_cache_size, fixture_teardown);
  return g_test_run ();
}
