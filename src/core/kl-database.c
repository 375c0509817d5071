/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The workspace connection: opening, migrating, cached statements,
 * nested transactions and settings. */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kl-database-private.h"
#include "kl-migrations.h"
#include "kl-shipment-store.h"

struct _KlDatabase {
  GObject     parent_instance;

  sqlite3    *handle;
  char       *path;
  char       *backup_path;
  GHashTable *statements;   /* SQL text → sqlite3_stmt* */
  int         tx_depth;
  gboolean    tx_doomed;    /* an inner level rolled back */
  gboolean    is_new;
  char       *tz_name;
  GTimeZone  *tz;
};

G_DEFINE_FINAL_TYPE (KlDatabase, kl_database, G_TYPE_OBJECT)

G_DEFINE_QUARK (kl-database-error-quark, kl_database_error)

static void
finalize_statement (gpointer data)
{
  sqlite3_finalize (data);
}

static void
kl_database_finalize (GObject *object)
{
  KlDatabase *self = (KlDatabase *) object;

  g_clear_pointer (&self->statements, g_hash_table_unref);
  if (self->handle != NULL)
    {
      if (self->tx_depth > 0)
        sqlite3_exec (self->handle, "ROLLBACK", NULL, NULL, NULL);
      sqlite3_close_v2 (self->handle);
      self->handle = NULL;
    }
  g_clear_pointer (&self->path, g_free);
  g_clear_pointer (&self->backup_path, g_free);
  g_clear_pointer (&self->tz_name, g_free);
  g_clear_pointer (&self->tz, g_time_zone_unref);

  G_OBJECT_CLASS (kl_database_parent_class)->finalize (object);
}

static void
kl_database_class_init (KlDatabaseClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = kl_database_finalize;
}

/* The statement cache is looked up once per query, several times per
 * shipment saved: hashing whole SQL texts (a rollup upsert is over 1 KB)
 * byte by byte showed up as a tenth of an import. The length, the head and
 * the tail tell the cached statements apart; equal hashes fall back on
 * g_str_equal as before. */
static guint
sql_hash (gconstpointer key)
{
  const char *sql = key;
  gsize len = strlen (sql);
  guint h = (guint) len;
  gsize i;

  for (i = 0; i < len && i < 32; i++)
    h = h * 31 + (guchar) sql[i];
  for (i = MAX (i, len > 32 ? len - 32 : 0); i < len; i++)
    h = h * 31 + (guchar) sql[i];
  return h;
}

static void
kl_database_init (KlDatabase *self)
{
  self->statements = g_hash_table_new_full (sql_hash, g_str_equal, g_free,
                                            finalize_statement);
}

char *
kl_database_default_path (void)
{
  const char *env = g_getenv ("KEYLINE_WORKSPACE");

  if (env != NULL && *env != '\0')
    return g_strdup (env);
  return g_build_filename (g_get_user_data_dir (), "keyline", "workspace.db", NULL);
}

gboolean
kl_database_set_error (KlDatabase  *self,
                       GError     **error,
                       const char  *what)
{
  int code = sqlite3_extended_errcode (self->handle);
  int domain_code = KL_DATABASE_ERROR_SQL;

  if ((code & 0xff) == SQLITE_CONSTRAINT)
    domain_code = KL_DATABASE_ERROR_CONSTRAINT;

  g_set_error (error, KL_DATABASE_ERROR, domain_code,
               /* Translators: the first %s says what was being done, the second is SQLite's message */
               _("%s failed in workspace “%s”: %s"),
               what, self->path, sqlite3_errmsg (self->handle));
  return FALSE;
}

sqlite3_stmt *
kl_database_prepare (KlDatabase  *self,
                     const char  *sql,
                     GError     **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (KL_IS_DATABASE (self), NULL);
  g_return_val_if_fail (sql != NULL, NULL);

  stmt = g_hash_table_lookup (self->statements, sql);
  if (stmt != NULL)
    {
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
      return stmt;
    }

  if (sqlite3_prepare_v3 (self->handle, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL) != SQLITE_OK)
    {
      kl_database_set_error (self, error, _("Preparing a query"));
      g_debug ("failed SQL: %s", sql);
      return NULL;
    }
  g_hash_table_insert (self->statements, g_strdup (sql), stmt);
  return stmt;
}

gboolean
kl_database_exec (KlDatabase  *self,
                  const char  *sql,
                  GError     **error)
{
  char *message = NULL;

  g_return_val_if_fail (KL_IS_DATABASE (self), FALSE);

  if (sqlite3_exec (self->handle, sql, NULL, NULL, &message) != SQLITE_OK)
    {
      g_set_error (error, KL_DATABASE_ERROR, KL_DATABASE_ERROR_SQL,
                   _("A workspace query failed in “%s”: %s"), self->path,
                   message ? message : sqlite3_errmsg (self->handle));
      sqlite3_free (message);
      return FALSE;
    }
  return TRUE;
}

gboolean
kl_database_step_done (KlDatabase    *self,
                       sqlite3_stmt  *stmt,
                       GError       **error)
{
  int rc = sqlite3_step (stmt);

  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    {
      kl_database_set_error (self, error, _("Writing to the workspace"));
      sqlite3_reset (stmt);
      return FALSE;
    }
  sqlite3_reset (stmt);
  return TRUE;
}

gboolean
_kl_database_begin_mode (KlDatabase  *self,
                         gboolean     write,
                         GError     **error)
{
  g_return_val_if_fail (KL_IS_DATABASE (self), FALSE);

  if (self->tx_depth == 0)
    {
      if (!kl_database_exec (self, write ? "BEGIN IMMEDIATE" : "BEGIN", error))
        return FALSE;
      self->tx_doomed = FALSE;
    }
  self->tx_depth++;
  return TRUE;
}

gboolean
kl_database_begin (KlDatabase  *self,
                   GError     **error)
{
  return _kl_database_begin_mode (self, TRUE, error);
}

gboolean
kl_database_commit (KlDatabase  *self,
                    GError     **error)
{
  g_return_val_if_fail (KL_IS_DATABASE (self), FALSE);
  g_return_val_if_fail (self->tx_depth > 0, FALSE);

  if (self->tx_depth > 1)
    {
      self->tx_depth--;
      return TRUE;
    }

  if (self->tx_doomed)
    {
      kl_database_exec (self, "ROLLBACK", NULL);
      self->tx_depth = 0;
      g_set_error (error, KL_DATABASE_ERROR, KL_DATABASE_ERROR_SQL,
                   _("The change was rolled back because part of it failed"));
      return FALSE;
    }

  if (!kl_database_exec (self, "COMMIT", error))
    {
      kl_database_exec (self, "ROLLBACK", NULL);
      self->tx_depth = 0;
      return FALSE;
    }
  self->tx_depth = 0;
  return TRUE;
}

void
kl_database_rollback (KlDatabase *self)
{
  g_return_if_fail (KL_IS_DATABASE (self));

  if (self->tx_depth == 0)
    return;
  if (self->tx_depth > 1)
    {
      self->tx_depth--;
      self->tx_doomed = TRUE;
      return;
    }
  kl_database_exec (self, "ROLLBACK", NULL);
  self->tx_depth = 0;
  self->tx_doomed = FALSE;
}

gboolean
kl_database_in_transaction (KlDatabase *self)
{
  return self->tx_depth > 0;
}

/* Settings */

char *
kl_database_get_setting (KlDatabase *self,
                         const char *key)
{
  sqlite3_stmt *stmt;
  char *value = NULL;

  g_return_val_if_fail (KL_IS_DATABASE (self), NULL);

  stmt = kl_database_prepare (self, "SELECT value FROM settings WHERE key = ?", NULL);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = kl_column_dup_text (stmt, 0);
  sqlite3_reset (stmt);
  return value;
}

gboolean
kl_database_set_setting (KlDatabase  *self,
                         const char  *key,
                         const char  *value,
                         GError     **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (KL_IS_DATABASE (self), FALSE);

  stmt = kl_database_prepare (self,
                              "INSERT INTO settings (key, value) VALUES (?, ?) "
                              "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                              error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, value, -1, SQLITE_TRANSIENT);
  return kl_database_step_done (self, stmt, error);
}

/* Time zones */

static gboolean
timezone_name_valid (const char *name)
{
  g_autoptr(GTimeZone) tz = NULL;

  if (name == NULL || *name == '\0')
    return FALSE;
  tz = g_time_zone_new_identifier (name);
  return tz != NULL;
}

char *
kl_local_timezone_name (void)
{
  const char *env = g_getenv ("TZ");
  g_autofree char *contents = NULL;
  g_autofree char *link = NULL;

  if (env != NULL && *env != '\0')
    {
      if (*env == ':')
        env++;
      if (timezone_name_valid (env))
        return g_strdup (env);
    }

  if (g_file_get_contents ("/etc/timezone", &contents, NULL, NULL))
    {
      g_strstrip (contents);
      if (timezone_name_valid (contents))
        return g_steal_pointer (&contents);
    }

  link = g_file_read_link ("/etc/localtime", NULL);
  if (link != NULL)
    {
      const char *zi = strstr (link, "zoneinfo/");

      if (zi != NULL && timezone_name_valid (zi + strlen ("zoneinfo/")))
        return g_strdup (zi + strlen ("zoneinfo/"));
    }

  return g_strdup ("UTC");
}

static void
load_timezone (KlDatabase *self)
{
  g_autofree char *name = kl_database_get_setting (self, "timezone");

  if (!timezone_name_valid (name))
    {
      g_free (name);
      name = g_strdup ("UTC");
    }
  g_clear_pointer (&self->tz, g_time_zone_unref);
  g_free (self->tz_name);
  self->tz_name = g_steal_pointer (&name);
  self->tz = g_time_zone_new_identifier (self->tz_name);
}

const char *
kl_database_get_timezone_name (KlDatabase *self)
{
  g_return_val_if_fail (KL_IS_DATABASE (self), NULL);
  return self->tz_name;
}

GTimeZone *
kl_database_get_timezone (KlDatabase *self)
{
  g_return_val_if_fail (KL_IS_DATABASE (self), NULL);
  return self->tz;
}

gboolean
kl_database_set_timezone (KlDatabase  *self,
                          const char  *tz_name,
                          GError     **error)
{
  g_autofree char *old_name = NULL;

  g_return_val_if_fail (KL_IS_DATABASE (self), FALSE);

  if (!timezone_name_valid (tz_name))
    {
      g_set_error (error, KL_DATABASE_ERROR, KL_DATABASE_ERROR_INVALID,
                   _("“%s” is not a known time zone; use a name such as Asia/Shanghai"),
                   tz_name ? tz_name : "");
      return FALSE;
    }
  if (g_strcmp0 (tz_name, self->tz_name) == 0)
    return TRUE;

  old_name = g_strdup (self->tz_name);
  if (!kl_database_begin (self, error))
    return FALSE;
  if (!kl_database_set_setting (self, "timezone", tz_name, error))
    goto fail;
  load_timezone (self);
  if (!kl_rollup_rebuild (self, NULL, error))
    goto fail;
  if (!kl_database_commit (self, error))
    goto fail_committed;
  return TRUE;

fail:
  kl_database_rollback (self);
fail_committed:
  load_timezone (self);
  return FALSE;
}

/* Opening and migrating */

int
kl_database_schema_version (void)
{
  return kl_migrations_count ();
}

int
kl_database_get_user_version (KlDatabase *self)
{
  sqlite3_stmt *stmt = NULL;
  int version = -1;

  if (sqlite3_prepare_v2 (self->handle, "PRAGMA user_version", -1, &stmt, NULL) == SQLITE_OK &&
      sqlite3_step (stmt) == SQLITE_ROW)
    version = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);
  return version;
}

static gboolean
take_backup (KlDatabase  *self,
             int          from_version,
             GError     **error)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%dT%H%M%S");
  g_autofree char *backup_path = g_strdup_printf ("%s.v%d-%s.bak", self->path, from_version, stamp);
  sqlite3 *dest = NULL;
  sqlite3_backup *backup;
  int fd, rc;

  fd = g_open (backup_path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      int saved = errno;
      g_set_error (error, KL_DATABASE_ERROR, KL_DATABASE_ERROR_MIGRATION,
                   _("Cannot write the backup “%s” taken before upgrading the workspace: %s"),
                   backup_path, g_strerror (saved));
      return FALSE;
    }
  close (fd);

  rc = sqlite3_open_v2 (backup_path, &dest, SQLITE_OPEN_READWRITE, NULL);
  if (rc == SQLITE_OK)
    {
      backup = sqlite3_backup_init (dest, "main", self->handle, "main");
      if (backup != NULL)
        {
          sqlite3_backup_step (backup, -1);
          sqlite3_backup_finish (backup);
        }
      rc = sqlite3_errcode (dest);
    }
  if (rc != SQLITE_OK)
    {
      g_set_error (error, KL_DATABASE_ERROR, KL_DATABASE_ERROR_MIGRATION,
                   _("Cannot write the backup “%s” taken before upgrading the workspace: %s"),
                   backup_path, dest ? sqlite3_errmsg (dest) : sqlite3_errstr (rc));
      sqlite3_close_v2 (dest);
      return FALSE;
    }
  sqlite3_close_v2 (dest);
  g_free (self->backup_path);
  self->backup_path = g_steal_pointer (&backup_path);
  return TRUE;
}

static gboolean
migrate (KlDatabase  *self,
         int          target,
         GError     **error)
{
  int version = kl_database_get_user_version (self);

  if (version < 0)
    return kl_database_set_error (self, error, _("Reading the workspace version"));

  if (version > kl_migrations_count ())
    {
      g_set_error (error, KL_DATABASE_ERROR, KL_DATABASE_ERROR_TOO_NEW,
                   _("The workspace “%s” was written by a newer version of Keyline (schema %d; this version knows up to %d). Update Keyline to open it."),
                   self->path, version, kl_migrations_count ());
      return FALSE;
    }

  if (version < target && version > 0)
    {
      if (!take_backup (self, version, error))
        return FALSE;
    }

  for (int v = version + 1; v <= target; v++)
    {
      g_autofree char *set_version = g_strdup_printf ("PRAGMA user_version = %d", v);
      g_autoptr(GError) local_error = NULL;

      if (!kl_database_exec (self, "BEGIN IMMEDIATE", error))
        return FALSE;
      if (!kl_database_exec (self, kl_migrations_get (v), &local_error) ||
          (kl_migrations_get_func (v) != NULL && !kl_migrations_get_func (v) (self, &local_error)) ||
          !kl_database_exec (self, set_version, &local_error))
        {
          kl_database_exec (self, "ROLLBACK", NULL);
          g_set_error (error, KL_DATABASE_ERROR, KL_DATABASE_ERROR_MIGRATION,
                       _("Upgrading the workspace “%s” to schema %d failed: %s"),
                       self->path, v, local_error->message);
          return FALSE;
        }
      if (!kl_database_exec (self, "COMMIT", error))
        {
          kl_database_exec (self, "ROLLBACK", NULL);
          return FALSE;
        }
    }
  return TRUE;
}

KlDatabase *
_kl_database_open_at_version (const char           *path,
                              KlDatabaseOpenFlags   flags,
                              int                   version,
                              GError              **error)
{
  g_autoptr(KlDatabase) self = NULL;
  g_autofree char *dir = NULL;
  gboolean exists;
  int rc;

  g_return_val_if_fail (path != NULL, NULL);

  exists = g_file_test (path, G_FILE_TEST_EXISTS);
  if (!exists && !(flags & KL_DATABASE_OPEN_CREATE))
    {
      g_set_error (error, KL_DATABASE_ERROR, KL_DATABASE_ERROR_NOT_FOUND,
                   _("There is no workspace at “%s”. Create one with “keyline-cli demo” or an import, or give another with --workspace."),
                   path);
      return NULL;
    }

  self = g_object_new (KL_TYPE_DATABASE, NULL);
  self->path = g_strdup (path);

  if (!exists)
    {
      int fd;

      dir = g_path_get_dirname (path);
      if (g_mkdir_with_parents (dir, 0700) != 0)
        {
          int saved = errno;
          g_set_error (error, KL_DATABASE_ERROR, KL_DATABASE_ERROR_OPEN,
                       _("Cannot create the folder “%s” for the workspace: %s"),
                       dir, g_strerror (saved));
          return NULL;
        }
      /* Create the file ourselves so it is private from the first byte. */
      fd = g_open (path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
      if (fd < 0)
        {
          int saved = errno;
          g_set_error (error, KL_DATABASE_ERROR, KL_DATABASE_ERROR_OPEN,
                       _("Cannot create the workspace “%s”: %s"), path, g_strerror (saved));
          return NULL;
        }
      close (fd);
      self->is_new = TRUE;
    }

  rc = sqlite3_open_v2 (path, &self->handle,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL);
  if (rc != SQLITE_OK)
    {
      g_set_error (error, KL_DATABASE_ERROR, KL_DATABASE_ERROR_OPEN,
                   _("Cannot open the workspace “%s”: %s"), path,
                   self->handle ? sqlite3_errmsg (self->handle) : sqlite3_errstr (rc));
      return NULL;
    }
  sqlite3_extended_result_codes (self->handle, 1);

  if (!kl_database_exec (self, "PRAGMA busy_timeout = 5000", error))
    return NULL;
  /* A file that is not a database fails here with a clear message. */
  if (!kl_database_exec (self, "PRAGMA journal_mode = WAL", error) ||
      !kl_database_exec (self, "PRAGMA foreign_keys = ON", error) ||
      !kl_database_exec (self, "PRAGMA synchronous = NORMAL", error) ||
      /* 64 MiB of page cache instead of SQLite's 2 MiB: an import touches
       * every month's rollup rows over and over. */
      !kl_database_exec (self, "PRAGMA cache_size = -65536", error))
    {
      g_prefix_error (error, _("“%s” is not a Keyline workspace: "), path);
      return NULL;
    }

  if (!migrate (self, version, error))
    return NULL;

  if (self->is_new && version >= 1)
    {
      g_autofree char *tz = kl_local_timezone_name ();
      g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
      g_autofree char *created = g_date_time_format_iso8601 (now);

      if (!kl_database_set_setting (self, "timezone", tz, error) ||
          !kl_database_set_setting (self, "created_at", created, error))
        return NULL;
    }
  if (version >= 1)
    load_timezone (self);

  return g_steal_pointer (&self);
}

KlDatabase *
kl_database_open (const char           *path,
                  KlDatabaseOpenFlags   flags,
                  GError              **error)
{
  return _kl_database_open_at_version (path, flags, kl_migrations_count (), error);
}

const char *
_kl_database_get_backup_path (KlDatabase *self)
{
  return self->backup_path;
}

const char *
kl_database_get_path (KlDatabase *self)
{
  g_return_val_if_fail (KL_IS_DATABASE (self), NULL);
  return self->path;
}

gboolean
kl_database_is_new (KlDatabase *self)
{
  g_return_val_if_fail (KL_IS_DATABASE (self), FALSE);
  return self->is_new;
}

sqlite3 *
kl_database_get_handle (KlDatabase *self)
{
  g_return_val_if_fail (KL_IS_DATABASE (self), NULL);
  return self->handle;
}

/* Binding helpers */

void
kl_bind_text (sqlite3_stmt *stmt,
              int           idx,
              const char   *text)
{
  if (text == NULL)
    sqlite3_bind_null (stmt, idx);
  else
    sqlite3_bind_text (stmt, idx, text, -1, SQLITE_TRANSIENT);
}

void
kl_bind_time (sqlite3_stmt *stmt,
              int           idx,
              gint64        t)
{
  if (t == KL_NO_TIME)
    sqlite3_bind_null (stmt, idx);
  else
    sqlite3_bind_int64 (stmt, idx, t);
}

void
kl_bind_tri (sqlite3_stmt *stmt,
             int           idx,
             KlTri         v)
{
  if (v == KL_TRI_UNKNOWN)
    sqlite3_bind_null (stmt, idx);
  else
    sqlite3_bind_int (stmt, idx, v == KL_TRI_TRUE ? 1 : 0);
}

char *
kl_column_dup_text (sqlite3_stmt *stmt,
                    int           col)
{
  if (sqlite3_column_type (stmt, col) == SQLITE_NULL)
    return NULL;
  return g_strdup ((const char *) sqlite3_column_text (stmt, col));
}

gint64
kl_column_time (sqlite3_stmt *stmt,
                int           col)
{
  if (sqlite3_column_type (stmt, col) == SQLITE_NULL)
    return KL_NO_TIME;
  return sqlite3_column_int64 (stmt, col);
}

KlTri
kl_column_tri (sqlite3_stmt *stmt,
               int           col)
{
  if (sqlite3_column_type (stmt, col) == SQLITE_NULL)
    return KL_TRI_UNKNOWN;
  return sqlite3_column_int (stmt, col) ? KL_TRI_TRUE : KL_TRI_FALSE;
}

/* Outbox */

gboolean
kl_database_outbox_add (KlDatabase  *self,
                        const char  *collection,
                        const char  *record_id,
                        const char  *op,
                        const char  *fields,
                        gint64       base_revision,
                        GError     **error)
{
  sqlite3_stmt *stmt;
  g_autofree char *key = g_uuid_string_random ();

  stmt = kl_database_prepare (self,
                              "INSERT INTO outbox (collection, record_id, op, fields, base_revision, idempotency_key, created_at) "
                              "VALUES (?, ?, ?, ?, ?, ?, ?)",
                              error);
  if (stmt == NULL)
    return FALSE;
  kl_bind_text (stmt, 1, collection);
  kl_bind_text (stmt, 2, record_id);
  kl_bind_text (stmt, 3, op);
  kl_bind_text (stmt, 4, fields);
  sqlite3_bind_int64 (stmt, 5, base_revision);
  kl_bind_text (stmt, 6, key);
  sqlite3_bind_int64 (stmt, 7, g_get_real_time () / G_USEC_PER_SEC);
  return kl_database_step_done (self, stmt, error);
}

gint64
kl_database_outbox_count (KlDatabase *self)
{
  sqlite3_stmt *stmt = kl_database_prepare (self, "SELECT count(*) FROM outbox", NULL);
  gint64 n = -1;

  if (stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW)
    n = sqlite3_column_int64 (stmt, 0);
  if (stmt != NULL)
    sqlite3_reset (stmt);
  return n;
}
