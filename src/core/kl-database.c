/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The workspace connection: opening, migrating, cached statements,
 * nested transactions and settings. */

/* renameat2 () */
#define _GNU_SOURCE 1
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <glib/gi18n-lib.h>
#include <string.h>
#include <glib/gstdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kl-database-private.h"
#include "kl-agreement-store-private.h"
#include "kl-migrations.h"

struct _KlDatabase {
  GObject     parent_instance;

  sqlite3    *handle;
  char       *path;
  char       *backup_path;
  GHashTable *statements;   /* SQL text → sqlite3_stmt* */
  GHashTable *static_statements; /* the address of static SQL → the same statements */
  int         tx_depth;
  gboolean    tx_doomed;    /* an inner level rolled back */
  gboolean    is_new;
  gboolean    read_only;
  gint64      data_version;  /* PRAGMA data_version right after opening */
  dev_t       dev;           /* the file at path when it was opened */
  ino_t       ino;
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

/* Whether path still names the file this connection opened. */
static gboolean
still_linked (KlDatabase *self)
{
  GStatBuf st;

  if (self->ino == 0)
    return TRUE;   /* not known (opening) */
  return g_stat (self->path, &st) == 0 && st.st_dev == self->dev && st.st_ino == self->ino;
}

static void
kl_database_finalize (GObject *object)
{
  KlDatabase *self = (KlDatabase *) object;

  g_clear_pointer (&self->static_statements, g_hash_table_unref);
  g_clear_pointer (&self->statements, g_hash_table_unref);
  if (self->handle != NULL)
    {
      if (self->tx_depth > 0)
        sqlite3_exec (self->handle, "ROLLBACK", NULL, NULL, NULL);
      /* When another program removed the workspace while this one had it
       * open, SQLite must not delete the -wal and -shm at this path on
       * closing: they may already be those of a new workspace there. */
      if (self->path != NULL && !still_linked (self))
        {
          int persist = 1;

          sqlite3_file_control (self->handle, "main", SQLITE_FCNTL_PERSIST_WAL, &persist);
        }
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
  self->static_statements = g_hash_table_new (g_direct_hash, g_direct_equal);
}

char *
kl_database_default_path (void)
{
  const char *env = g_getenv ("KEYLINE_WORKSPACE");

  if (env != NULL && *env != '\0')
    return g_strdup (env);
  return g_build_filename (g_get_user_data_dir (), "keyline", "workspace.db", NULL);
}

/* What kind of failure an SQLite result code is, so callers tell the
 * environment (a full disk, a read-only file, a damaged one, another
 * program at work) from faults in Keyline. */
static KlDatabaseError
error_code_for (sqlite3 *handle,
                int      rc)
{
  int sys_errno = handle != NULL ? sqlite3_system_errno (handle) : 0;

  switch (rc & 0xff)
    {
    case SQLITE_CONSTRAINT:
      return KL_DATABASE_ERROR_CONSTRAINT;
    case SQLITE_FULL:
      return KL_DATABASE_ERROR_FULL;
    case SQLITE_READONLY:
    case SQLITE_PERM:
      return KL_DATABASE_ERROR_READ_ONLY;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return KL_DATABASE_ERROR_CORRUPT;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return KL_DATABASE_ERROR_BUSY;
    case SQLITE_IOERR:
    case SQLITE_CANTOPEN:
      /* A write the file system refused: SQLite says SQLITE_FULL only for
       * ENOSPC, and its errno is often lost by the time it reports. */
      if (sys_errno == ENOSPC || sys_errno == EDQUOT || sys_errno == EFBIG ||
          rc == SQLITE_IOERR_WRITE)
        return KL_DATABASE_ERROR_FULL;
      if (sys_errno == EROFS || sys_errno == EACCES || sys_errno == EPERM)
        return KL_DATABASE_ERROR_READ_ONLY;
      return (rc & 0xff) == SQLITE_CANTOPEN ? KL_DATABASE_ERROR_OPEN : KL_DATABASE_ERROR_SQL;
    default:
      return KL_DATABASE_ERROR_SQL;
    }
}

static gboolean
set_error_for (KlDatabase  *self,
               GError     **error,
               int          rc,
               const char  *what,
               const char  *detail)
{
  KlDatabaseError code = error_code_for (self->handle, rc);

  if (detail == NULL)
    detail = self->handle != NULL ? sqlite3_errmsg (self->handle) : sqlite3_errstr (rc);

  switch (code)
    {
    case KL_DATABASE_ERROR_FULL:
      if ((rc & 0xff) == SQLITE_FULL)
        g_set_error (error, KL_DATABASE_ERROR, code,
                     _("Cannot write the workspace “%s”: the disk is full. Free some space and try again."),
                     self->path);
      else
        g_set_error (error, KL_DATABASE_ERROR, code,
                     /* Translators: %s: the workspace file, %s: SQLite's message */
                     _("Cannot write the workspace “%s”: the disk is full or refuses the write (%s). Free some space and try again."),
                     self->path, detail);
      break;
    case KL_DATABASE_ERROR_READ_ONLY:
      g_set_error (error, KL_DATABASE_ERROR, code,
                   _("Cannot write the workspace “%s”: it is read-only. Make the file and its folder writable, or give another workspace."),
                   self->path);
      break;
    case KL_DATABASE_ERROR_CORRUPT:
      g_set_error (error, KL_DATABASE_ERROR, code,
                   /* Translators: %s: the workspace file, %s: SQLite's message */
                   _("The workspace “%s” is damaged (%s): restore it from the backup beside it"),
                   self->path, detail);
      break;
    default:
      g_set_error (error, KL_DATABASE_ERROR, code,
                   /* Translators: the first %s says what was being done, the second is SQLite's message */
                   _("%s failed in workspace “%s”: %s"),
                   what, self->path, detail);
      break;
    }
  return FALSE;
}

gboolean
kl_database_set_error (KlDatabase  *self,
                       GError     **error,
                       const char  *what)
{
  return set_error_for (self, error, sqlite3_extended_errcode (self->handle), what, NULL);
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

sqlite3_stmt *
_kl_database_prepare_static (KlDatabase  *self,
                             const char  *sql,
                             GError     **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (KL_IS_DATABASE (self), NULL);
  g_return_val_if_fail (sql != NULL, NULL);

  stmt = g_hash_table_lookup (self->static_statements, sql);
  if (stmt != NULL)
    {
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
      return stmt;
    }
  stmt = kl_database_prepare (self, sql, error);
  if (stmt != NULL)
    g_hash_table_insert (self->static_statements, (gpointer) sql, stmt);
  return stmt;
}

gboolean
kl_database_exec (KlDatabase  *self,
                  const char  *sql,
                  GError     **error)
{
  char *message = NULL;
  int rc;

  g_return_val_if_fail (KL_IS_DATABASE (self), FALSE);

  rc = sqlite3_exec (self->handle, sql, NULL, NULL, &message);
  if (rc != SQLITE_OK)
    {
      g_autofree char *detail = g_strdup (message ? message : sqlite3_errmsg (self->handle));

      sqlite3_free (message);
      return set_error_for (self, error, sqlite3_extended_errcode (self->handle),
                            _("A workspace query"), detail);
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
      /* Another program may have removed a workspace it had just created
       * (a failed first import) while this one waited for the lock; what
       * would be written now would be lost with the file. */
      if (write && !still_linked (self))
        {
          kl_database_exec (self, "ROLLBACK", NULL);
          g_set_error (error, KL_DATABASE_ERROR, KL_DATABASE_ERROR_BUSY,
                       _("The workspace “%s” was removed by another program while this one had it open; run the command again"),
                       self->path);
          return FALSE;
        }
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
kl_database_begin_read (KlDatabase  *self,
                        GError     **error)
{
  return _kl_database_begin_mode (self, FALSE, error);
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

/* The name of the process's local time zone ($TZ, /etc/timezone or the
 * /etc/localtime link), "UTC" when nothing says. */
static char *
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
_kl_database_store_timezone (KlDatabase  *self,
                             const char  *tz_name,
                             GError     **error)
{
  g_return_val_if_fail (KL_IS_DATABASE (self), FALSE);

  if (!timezone_name_valid (tz_name))
    {
      g_set_error (error, KL_DATABASE_ERROR, KL_DATABASE_ERROR_INVALID,
                   _("“%s” is not a known time zone; use a name such as Asia/Shanghai"),
                   tz_name ? tz_name : "");
      return FALSE;
    }
  if (!kl_database_set_setting (self, "timezone", tz_name, error))
    return FALSE;
  load_timezone (self);
  return TRUE;
}

void
_kl_database_reload_timezone (KlDatabase *self)
{
  load_timezone (self);
}

char *
kl_database_get_currency (KlDatabase *self)
{
  char *code;

  g_return_val_if_fail (KL_IS_DATABASE (self), NULL);
  code = kl_database_get_setting (self, "currency");
  if (code == NULL || *code == '\0')
    {
      g_free (code);
      code = g_strdup ("CNY");
    }
  return code;
}

/* Opening and migrating */

int
kl_database_schema_version (void)
{
  return kl_migrations_count ();
}

/* One integer PRAGMA, or -1 with error set. */
static gint64
pragma_int (KlDatabase  *self,
            const char  *sql,
            GError     **error)
{
  sqlite3_stmt *stmt = NULL;
  gint64 value = -1;
  int rc;

  rc = sqlite3_prepare_v2 (self->handle, sql, -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    value = sqlite3_column_int64 (stmt, 0);
  else
    set_error_for (self, error, sqlite3_extended_errcode (self->handle),
                   _("Reading the workspace version"), NULL);
  sqlite3_finalize (stmt);
  return value;
}

int
kl_database_get_user_version (KlDatabase *self)
{
  return (int) pragma_int (self, "PRAGMA user_version", NULL);
}

static gboolean
take_backup (KlDatabase  *self,
             int          from_version,
             GError     **error)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%dT%H%M%S");
  /* Unique: two programs opening the same old workspace may both take one. */
  g_autofree char *backup_path = g_strdup_printf ("%s.v%d-%s-XXXXXX.bak", self->path, from_version, stamp);
  sqlite3 *dest = NULL;
  sqlite3_backup *backup;
  int fd, rc;

  fd = g_mkstemp_full (backup_path, O_RDWR | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      int saved = errno;
      g_set_error (error, KL_DATABASE_ERROR,
                   saved == ENOSPC || saved == EDQUOT ? KL_DATABASE_ERROR_FULL
                   : saved == EROFS || saved == EACCES || saved == EPERM ? KL_DATABASE_ERROR_READ_ONLY
                   : KL_DATABASE_ERROR_MIGRATION,
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
          rc = sqlite3_backup_step (backup, -1);
          if (rc == SQLITE_DONE)
            rc = SQLITE_OK;
          if (sqlite3_backup_finish (backup) != SQLITE_OK && rc == SQLITE_OK)
            rc = sqlite3_errcode (dest);
        }
      else
        rc = sqlite3_errcode (dest);
    }
  if (rc != SQLITE_OK)
    {
      g_set_error (error, KL_DATABASE_ERROR,
                   (rc & 0xff) == SQLITE_FULL ? KL_DATABASE_ERROR_FULL : KL_DATABASE_ERROR_MIGRATION,
                   _("Cannot write the backup “%s” taken before upgrading the workspace: %s"),
                   backup_path, dest ? sqlite3_errmsg (dest) : sqlite3_errstr (rc));
      sqlite3_close_v2 (dest);
      g_unlink (backup_path);
      return FALSE;
    }
  sqlite3_close_v2 (dest);
  g_free (self->backup_path);
  self->backup_path = g_steal_pointer (&backup_path);
  return TRUE;
}

static gboolean
apply_step (KlDatabase  *self,
            int          version,
            GError     **error)
{
  g_autofree char *set_version = g_strdup_printf ("PRAGMA user_version = %d", version);
  g_autoptr(GError) local_error = NULL;

  KlMigrationFunc func = kl_migrations_get_func (version);

  if (!kl_database_exec (self, kl_migrations_get (version), &local_error) ||
      (func != NULL && !func (self, &local_error)) ||
      !kl_database_exec (self, set_version, &local_error))
    {
      if (local_error->code == KL_DATABASE_ERROR_FULL ||
          local_error->code == KL_DATABASE_ERROR_READ_ONLY ||
          local_error->code == KL_DATABASE_ERROR_BUSY)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      g_set_error (error, KL_DATABASE_ERROR, KL_DATABASE_ERROR_MIGRATION,
                   _("Upgrading the workspace “%s” to schema %d failed: %s"),
                   self->path, version, local_error->message);
      return FALSE;
    }
  return TRUE;
}

static gboolean
set_application_id (KlDatabase  *self,
                    GError     **error)
{
  g_autofree char *sql = g_strdup_printf ("PRAGMA application_id = %d", (gint32) KL_DATABASE_APPLICATION_ID);

  return kl_database_exec (self, sql, error);
}

static gboolean
not_a_workspace (KlDatabase  *self,
                 GError     **error,
                 const char  *why)
{
  g_set_error (error, KL_DATABASE_ERROR, KL_DATABASE_ERROR_NOT_WORKSPACE,
               /* Translators: %s: a file, %s: why it is not a workspace */
               _("“%s” is not a Keyline workspace (%s); it was left as it is"),
               self->path, why);
  return FALSE;
}

/* Tells a Keyline workspace from any other file without writing to it:
 * its application_id, or for a workspace made before that was set, its
 * schema version and tables. */
static gboolean
identify (KlDatabase  *self,
          gint64      *out_version,
          gint64      *out_app_id,
          GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  gint64 app_id, version, tables;

  app_id = pragma_int (self, "PRAGMA application_id", &local_error);
  if (app_id < 0 && local_error != NULL)
    {
      if (local_error->code == KL_DATABASE_ERROR_CORRUPT &&
          (sqlite3_extended_errcode (self->handle) & 0xff) == SQLITE_NOTADB)
        return not_a_workspace (self, error, _("it is not an SQLite database, or its first page is damaged"));
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  app_id = (guint32) app_id;
  version = pragma_int (self, "PRAGMA user_version", error);
  if (version < 0)
    return FALSE;

  if (app_id == KL_DATABASE_APPLICATION_ID)
    ;
  else if (app_id != 0)
    return not_a_workspace (self, error, _("it belongs to another program"));
  else
    {
      tables = pragma_int (self,
                           "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name IN "
                           "('settings', 'customers', 'shipments', 'rollup_month', 'outbox')",
                           error);
      if (tables < 0)
        return FALSE;
      if (version == 0 && tables == 0)
        return not_a_workspace (self, error, _("it is empty"));
      if (version < 1 || version > kl_migrations_count () || tables != 5)
        return not_a_workspace (self, error, _("it is another program’s database"));
    }

  if (version > kl_migrations_count ())
    {
      g_set_error (error, KL_DATABASE_ERROR, KL_DATABASE_ERROR_TOO_NEW,
                   _("The workspace “%s” was written by a newer version of Keyline (schema %d; this version knows up to %d). Update Keyline to open it."),
                   self->path, (int) version, kl_migrations_count ());
      return FALSE;
    }
  *out_version = version;
  *out_app_id = app_id;
  return TRUE;
}

/* Brings an existing workspace to schema target, one step per write
 * transaction. Version and id are read again under the write lock, so two
 * programs opening an old workspace at once never both run a step. */
static gboolean
migrate (KlDatabase  *self,
         int          target,
         GError     **error)
{
  gint64 version, app_id;

  if (!identify (self, &version, &app_id, error))
    return FALSE;

  /* A workspace that cannot be written is read as it is, unmarked if it
   * was made before application_id; only an older schema stops it. */
  if (self->read_only && version >= target)
    return TRUE;
  if (self->read_only)
    {
      g_set_error (error, KL_DATABASE_ERROR, KL_DATABASE_ERROR_READ_ONLY,
                   _("The workspace “%s” needs upgrading but is read-only. Make the file and its folder writable and open it again."),
                   self->path);
      return FALSE;
    }
  /* The backup API cannot copy from inside a write transaction, so it is
   * taken just before; if another program upgrades meanwhile, the copy is
   * still the workspace as it was. */
  if (version < target && version > 0 && !take_backup (self, (int) version, error))
    return FALSE;

  while (version < target || app_id != KL_DATABASE_APPLICATION_ID)
    {
      if (!kl_database_begin (self, error))
        return FALSE;
      if (!identify (self, &version, &app_id, error))
        goto fail;
      if (version >= target && app_id == KL_DATABASE_APPLICATION_ID)
        {
          kl_database_rollback (self);
          break;
        }
      if (version < target && !apply_step (self, (int) version + 1, error))
        goto fail;
      /* Marking a workspace made before application_id is part of its
       * upgrade, in the same transaction. */
      if (app_id != KL_DATABASE_APPLICATION_ID && !set_application_id (self, error))
        goto fail;
      if (!kl_database_commit (self, error))
        return FALSE;
      if (!identify (self, &version, &app_id, error))
        return FALSE;
    }
  return TRUE;

fail:
  kl_database_rollback (self);
  return FALSE;
}

/* The collation "kl_locale": text in the order of the locale's collation
 * (LC_COLLATE, as g_utf8_collate () sees it) — pinyin order for
 * zh_CN.UTF-8 — so that lists sorted and paged in SQL read as people
 * expect. SQLite hands over text without a terminating NUL. */
static int
locale_collation (void       *unused,
                  int         len_a,
                  const void *a,
                  int         len_b,
                  const void *b)
{
  g_autofree char *text_a = g_strndup (a, (gsize) len_a);
  g_autofree char *text_b = g_strndup (b, (gsize) len_b);
  int cmp = g_utf8_collate (text_a, text_b);

  /* Equal in the locale's eyes is not equal: keep the order total. */
  return cmp != 0 ? cmp : strcmp (text_a, text_b);
}

/* Before SQLite's first use in the process: no memory statistics, which
 * nothing here reads and which take a global mutex on every allocation
 * SQLite makes (a bulk import makes several a row). Too late (another part
 * of the process started SQLite first) only keeps SQLite's defaults.
 *
 * Statement journals keep SQLite's 64 KiB spill threshold: with
 * SQLITE_CONFIG_STMTJRNL_SPILL at 256 KiB or more, SQLite 3.40 fails a DROP
 * INDEX of a large index inside a transaction with "database or disk is
 * full" (the migration to schema 10 does one; test-database's
 * /database/large-drop). */
static void
configure_sqlite (void)
{
  static gsize done = 0;

  if (g_once_init_enter (&done))
    {
      sqlite3_config (SQLITE_CONFIG_MEMSTATUS, 0);
      g_once_init_leave (&done, 1);
    }
}

static gboolean
open_handle (KlDatabase  *self,
             const char  *filename,
             int          flags,
             GError     **error)
{
  int rc;

  configure_sqlite ();
  rc = sqlite3_open_v2 (filename, &self->handle, flags | SQLITE_OPEN_NOMUTEX, NULL);

  if (rc != SQLITE_OK)
    {
      /* The file cannot be opened at all, not even for reading. */
      g_set_error (error, KL_DATABASE_ERROR, KL_DATABASE_ERROR_OPEN,
                   _("Cannot open the workspace “%s”: %s"), self->path,
                   self->handle ? sqlite3_errmsg (self->handle) : sqlite3_errstr (rc));
      sqlite3_close_v2 (self->handle);
      self->handle = NULL;
      return FALSE;
    }
  sqlite3_extended_result_codes (self->handle, 1);
  sqlite3_create_collation_v2 (self->handle, "kl_locale", SQLITE_UTF8, NULL,
                               locale_collation, NULL);
  return kl_database_exec (self, "PRAGMA busy_timeout = 5000", error);
}

/* Builds a new workspace at schema version in the file tmp_path, which
 * no one else knows: schema, id, version and first settings in one
 * transaction, then switched to WAL and closed. */
static gboolean
build_new (const char  *tmp_path,
           int          version,
           GError     **error)
{
  g_autoptr(KlDatabase) tmp = g_object_new (KL_TYPE_DATABASE, NULL);

  tmp->path = g_strdup (tmp_path);
  /* 16 KiB pages rather than SQLite's 4 KiB: shallower B-trees and fewer
   * WAL frames for a table of millions of shipments (about a tenth less
   * CPU on a fresh import, bench/README.md). Set before the first table;
   * a workspace keeps the page size it was made with. */
  if (!open_handle (tmp, tmp_path, SQLITE_OPEN_READWRITE, error) ||
      !kl_database_exec (tmp, "PRAGMA page_size = 16384", error) ||
      !kl_database_exec (tmp, "PRAGMA foreign_keys = ON", error) ||
      !kl_database_begin (tmp, error))
    return FALSE;
  for (int v = 1; v <= version; v++)
    if (!apply_step (tmp, v, error))
      goto fail;
  if (!set_application_id (tmp, error))
    goto fail;
  if (version >= 1)
    {
      g_autofree char *tz = kl_local_timezone_name ();
      g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
      g_autofree char *created = g_date_time_format_iso8601 (now);

      if (!kl_database_set_setting (tmp, "timezone", tz, error) ||
          !kl_database_set_setting (tmp, "created_at", created, error))
        goto fail;
    }
  if (!kl_database_commit (tmp, error))
    return FALSE;
  /* WAL is recorded in the file; closing the only connection folds the
   * log back in and removes it. */
  return kl_database_exec (tmp, "PRAGMA journal_mode = WAL", error);

fail:
  kl_database_rollback (tmp);
  return FALSE;
}

/* Puts tmp_path at path unless something is there already. TRUE with
 * *out_linked FALSE when another program got there first. */
static gboolean
link_into_place (const char  *tmp_path,
                 const char  *path,
                 gboolean    *out_linked,
                 GError     **error)
{
  int saved;

  *out_linked = FALSE;
  if (link (tmp_path, path) == 0)
    {
      *out_linked = TRUE;
      return TRUE;
    }
  saved = errno;
  if (saved == EEXIST)
    return TRUE;
  /* Some file systems have no hard links; a rename that refuses to
   * replace does the same. */
  if (saved == EPERM || saved == ENOTSUP || saved == EOPNOTSUPP || saved == ENOSYS || saved == EMLINK)
    {
      if (renameat2 (AT_FDCWD, tmp_path, AT_FDCWD, path, RENAME_NOREPLACE) == 0)
        {
          *out_linked = TRUE;
          return TRUE;
        }
      saved = errno;
      if (saved == EEXIST)
        return TRUE;
    }
  g_set_error (error, KL_DATABASE_ERROR,
               saved == ENOSPC || saved == EDQUOT ? KL_DATABASE_ERROR_FULL
               : saved == EROFS || saved == EACCES ? KL_DATABASE_ERROR_READ_ONLY
               : KL_DATABASE_ERROR_OPEN,
               _("Cannot create the workspace “%s”: %s"), path, g_strerror (saved));
  return FALSE;
}

static void
remove_with_journals (const char *path)
{
  static const char * const suffixes[] = { "", "-wal", "-shm", "-journal" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (path, suffixes[i], NULL);

      g_unlink (file);
    }
}

/* Creates the workspace at path when nothing is there. *out_created tells
 * whether this call's file is the one at path now. */
static gboolean
create_atomically (const char  *path,
                   int          version,
                   gboolean    *out_created,
                   GError     **error)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *base = g_path_get_basename (path);
  g_autofree char *tmp_path = NULL;
  gboolean ok;
  int fd;

  *out_created = FALSE;
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved = errno;
      g_set_error (error, KL_DATABASE_ERROR,
                   saved == EROFS || saved == EACCES ? KL_DATABASE_ERROR_READ_ONLY : KL_DATABASE_ERROR_OPEN,
                   _("Cannot create the folder “%s” for the workspace: %s"),
                   dir, g_strerror (saved));
      return FALSE;
    }

  /* Private from the first byte, and in the same folder so it can be
   * linked into place. */
  tmp_path = g_strdup_printf ("%s%s.%s.new-XXXXXX", dir, G_DIR_SEPARATOR_S, base);
  fd = g_mkstemp_full (tmp_path, O_RDWR | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      int saved = errno;
      g_set_error (error, KL_DATABASE_ERROR,
                   saved == ENOSPC || saved == EDQUOT ? KL_DATABASE_ERROR_FULL
                   : saved == EROFS || saved == EACCES ? KL_DATABASE_ERROR_READ_ONLY
                   : KL_DATABASE_ERROR_OPEN,
                   _("Cannot create the workspace “%s”: %s"), path, g_strerror (saved));
      return FALSE;
    }
  close (fd);

  ok = build_new (tmp_path, version, error) &&
       link_into_place (tmp_path, path, out_created, error);
  remove_with_journals (tmp_path);
  return ok;
}

static gboolean
open_existing (KlDatabase  *self,
               GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *uri = NULL;
  gint64 version, app_id;
  GStatBuf st;

  if (open_handle (self, self->path, SQLITE_OPEN_READWRITE, &local_error) &&
      identify (self, &version, &app_id, &local_error))
    {
      self->read_only = sqlite3_db_readonly (self->handle, "main") == 1;
      return TRUE;
    }
  if (!g_error_matches (local_error, KL_DATABASE_ERROR, KL_DATABASE_ERROR_READ_ONLY) &&
      !g_error_matches (local_error, KL_DATABASE_ERROR, KL_DATABASE_ERROR_OPEN))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (g_stat (self->path, &st) != 0)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  /* A read-only workspace in a folder where SQLite cannot make the WAL's
   * shared-memory file: read the file as it is. No one can be writing to
   * it there, which is what immutable promises SQLite. */
  sqlite3_close_v2 (self->handle);
  self->handle = NULL;
  g_clear_error (&local_error);
  {
    g_autofree char *file_uri = g_filename_to_uri (self->path, NULL, NULL);

    if (file_uri == NULL)
      return not_a_workspace (self, error, _("its name cannot be read"));
    uri = g_strconcat (file_uri, "?mode=ro&immutable=1", NULL);
  }
  if (!open_handle (self, uri, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, error) ||
      !identify (self, &version, &app_id, error))
    return FALSE;
  self->read_only = TRUE;
  return TRUE;
}

#define MAX_OPEN_ATTEMPTS 5

KlDatabase *
_kl_database_open_at_version (const char           *path,
                              KlDatabaseOpenFlags   flags,
                              int                   version,
                              GError              **error)
{
  g_autoptr(KlDatabase) self = NULL;
  GStatBuf st;

  g_return_val_if_fail (path != NULL, NULL);

  self = g_object_new (KL_TYPE_DATABASE, NULL);
  self->path = g_strdup (path);

  /* Another program's failed first import may remove the file between the
   * look and the open: then look again (and create, if allowed). */
  for (int attempt = 0; ; attempt++)
    {
      g_autoptr(GError) local_error = NULL;
      GStatBuf after;

      if (g_stat (path, &st) != 0)
        {
          if (!(flags & KL_DATABASE_OPEN_CREATE))
            {
              g_set_error (error, KL_DATABASE_ERROR, KL_DATABASE_ERROR_NOT_FOUND,
                           _("There is no workspace at “%s”. Create one with “keyline-cli demo” or an import, or give another with --workspace."),
                           path);
              return NULL;
            }
          if (!create_atomically (path, version, &self->is_new, error))
            return NULL;
          if (g_stat (path, &st) != 0)
            {
              int saved = errno;

              if (attempt < MAX_OPEN_ATTEMPTS)
                continue;
              g_set_error (error, KL_DATABASE_ERROR, KL_DATABASE_ERROR_NOT_FOUND,
                           _("Cannot open the workspace “%s”: %s"), path, g_strerror (saved));
              return NULL;
            }
        }
      if (!S_ISREG (st.st_mode))
        {
          not_a_workspace (self, error, _("it is not a regular file"));
          return NULL;
        }

      if (!open_existing (self, &local_error) &&
          (attempt >= MAX_OPEN_ATTEMPTS || g_stat (path, &after) == 0))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
      if (local_error == NULL && g_stat (path, &after) == 0 &&
          after.st_dev == st.st_dev && after.st_ino == st.st_ino)
        break;

      g_clear_pointer (&self->handle, sqlite3_close_v2);
      self->is_new = FALSE;
      self->read_only = FALSE;
      if (attempt >= MAX_OPEN_ATTEMPTS)
        {
          g_set_error (error, KL_DATABASE_ERROR, KL_DATABASE_ERROR_BUSY,
                       _("The workspace “%s” was removed by another program while this one had it open; run the command again"),
                       path);
          return NULL;
        }
    }
  /* The file opened, for telling later whether it is still the one at
   * path (see still_linked ()). */
  self->dev = st.st_dev;
  self->ino = st.st_ino;

  if (!self->read_only &&
      (!kl_database_exec (self, "PRAGMA journal_mode = WAL", error) ||
       !kl_database_exec (self, "PRAGMA synchronous = NORMAL", error)))
    return NULL;
  if (!kl_database_exec (self, "PRAGMA foreign_keys = ON", error) ||
      /* 64 MiB of page cache instead of SQLite's 2 MiB: an import touches
       * every month's rollup rows over and over. */
      !kl_database_exec (self, "PRAGMA cache_size = -65536", error))
    return NULL;

  if (!migrate (self, version, error))
    return NULL;
  if (version >= 1)
    load_timezone (self);

  self->data_version = pragma_int (self, "PRAGMA data_version", error);
  if (self->data_version < 0)
    return NULL;
  _kl_agreement_store_watch (self);
  return g_steal_pointer (&self);
}

KlDatabase *
kl_database_open (const char           *path,
                  KlDatabaseOpenFlags   flags,
                  GError              **error)
{
  return _kl_database_open_at_version (path, flags, kl_migrations_count (), error);
}

gboolean
kl_database_discard_new (KlDatabase *self)
{
  g_autoptr(KlDatabase) db = self;
  gint64 now;
  int persist = 1;

  g_return_val_if_fail (KL_IS_DATABASE (self), FALSE);

  if (!db->is_new || db->read_only || db->tx_depth > 0)
    return FALSE;
  /* Under the write lock: no one else may commit between the look and the
   * removal, and whoever waits for the lock finds the file gone (see
   * _kl_database_begin_mode ()). */
  if (!kl_database_begin (db, NULL))
    return FALSE;
  now = pragma_int (db, "PRAGMA data_version", NULL);
  if (now != db->data_version || !still_linked (db))
    {
      kl_database_rollback (db);
      return FALSE;
    }
  /* The -wal and -shm at path are removed here, not by SQLite on closing,
   * when they might belong to a workspace created there since. */
  sqlite3_file_control (db->handle, "main", SQLITE_FCNTL_PERSIST_WAL, &persist);
  remove_with_journals (db->path);
  kl_database_rollback (db);
  return TRUE;
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

gboolean
kl_database_is_read_only (KlDatabase *self)
{
  g_return_val_if_fail (KL_IS_DATABASE (self), FALSE);
  return self->read_only;
}

gboolean
kl_database_set_cache_size (KlDatabase  *self,
                            int          kib,
                            GError     **error)
{
  g_autofree char *sql = NULL;

  g_return_val_if_fail (KL_IS_DATABASE (self), FALSE);
  g_return_val_if_fail (kib > 0, FALSE);

  /* A PRAGMA takes no bound values; kib is an integer. */
  sql = g_strdup_printf ("PRAGMA cache_size = -%d", kib);
  return kl_database_exec (self, sql, error);
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
