/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A workspace: one SQLite file, its schema migrations, cached statements,
 * transactions and settings. Not thread-safe: one thread uses it at a time
 * (the window's KlWorker thread, or the CLI's only thread). */
#pragma once

#include <glib-object.h>
#include "kl-core-types.h"

G_BEGIN_DECLS

#define KL_DATABASE_ERROR (kl_database_error_quark ())

typedef enum {
  KL_DATABASE_ERROR_OPEN,        /* cannot open or create the file */
  KL_DATABASE_ERROR_NOT_FOUND,   /* the workspace or a record does not exist */
  KL_DATABASE_ERROR_TOO_NEW,     /* written by a newer Keyline */
  KL_DATABASE_ERROR_MIGRATION,
  KL_DATABASE_ERROR_SQL,
  KL_DATABASE_ERROR_CONSTRAINT,  /* a unique key or reference was violated */
  KL_DATABASE_ERROR_INVALID,     /* a value the domain refuses */
  KL_DATABASE_ERROR_CANCELLED,
  KL_DATABASE_ERROR_NOT_WORKSPACE, /* the file is not a Keyline workspace; left untouched */
  KL_DATABASE_ERROR_FULL,        /* the disk (or the file's size limit) is full */
  KL_DATABASE_ERROR_READ_ONLY,   /* the file or its folder cannot be written */
  KL_DATABASE_ERROR_CORRUPT,     /* the file is damaged */
  KL_DATABASE_ERROR_BUSY,        /* another program holds the workspace; try again */
} KlDatabaseError;

/* PRAGMA application_id of a Keyline workspace: ASCII "KLWS". Workspaces
 * made before it was set have 0 and Keyline's tables; opening one for
 * writing sets it. */
#define KL_DATABASE_APPLICATION_ID 0x4B4C5753

typedef enum {
  /* Create the workspace when no file is at the path: it is built under a
   * temporary name beside it and linked into place only if still no file is
   * there (else the file that appeared is opened). An existing file is
   * never turned into a workspace. */
  KL_DATABASE_OPEN_CREATE = 1 << 0,
} KlDatabaseOpenFlags;

#define KL_TYPE_DATABASE (kl_database_get_type ())
G_DECLARE_FINAL_TYPE (KlDatabase, kl_database, KL, DATABASE, GObject)

GQuark        kl_database_error_quark     (void);

/* The workspace path from the environment: $KEYLINE_WORKSPACE, else
 * $XDG_DATA_HOME/keyline/workspace.db. */
char         *kl_database_default_path    (void);

/* Opens a Keyline workspace, upgrading its schema when it is older.
 * Anything else at path fails with KL_DATABASE_ERROR_NOT_WORKSPACE and is
 * not changed. A file or folder that cannot be written is opened for
 * reading (see kl_database_is_read_only ()). */
KlDatabase   *kl_database_open            (const char           *path,
                                           KlDatabaseOpenFlags   flags,
                                           GError              **error);
const char   *kl_database_get_path        (KlDatabase *self);
/* TRUE when this open created the file (a new workspace). */
gboolean      kl_database_is_new          (KlDatabase *self);
/* TRUE when the workspace was opened for reading only. */
gboolean      kl_database_is_read_only    (KlDatabase *self);
/* The connection's page cache, in KiB (SQLite's cache_size). A workspace
 * opens with 64 MiB, for imports; the window's reader needs far less. */
gboolean      kl_database_set_cache_size  (KlDatabase  *self,
                                           int          kib,
                                           GError     **error);
/* Closes a workspace this open created and removes its files, if no one
 * has written to it since; otherwise closes it and leaves it. TRUE when it
 * was removed. Consumes self. */
gboolean      kl_database_discard_new     (KlDatabase *self);

/* The newest schema version this build knows. */
int           kl_database_schema_version  (void);
int           kl_database_get_user_version (KlDatabase *self);

/* Transactions nest: only the outermost begin/commit reach SQLite;
 * a rollback at any depth rolls the whole transaction back.
 * kl_database_begin () takes the write lock at once (BEGIN IMMEDIATE);
 * kl_database_begin_read () is for reading only (a deferred BEGIN): it sees
 * one snapshot and runs beside another program's writes. Nested in a
 * write transaction it is part of it. */
gboolean      kl_database_begin           (KlDatabase *self, GError **error);
gboolean      kl_database_begin_read      (KlDatabase *self, GError **error);
gboolean      kl_database_commit          (KlDatabase *self, GError **error);
void          kl_database_rollback        (KlDatabase *self);
gboolean      kl_database_in_transaction  (KlDatabase *self);

/* Workspace settings (key/value text). */
char         *kl_database_get_setting     (KlDatabase *self, const char *key);
gboolean      kl_database_set_setting     (KlDatabase  *self,
                                           const char  *key,
                                           const char  *value,
                                           GError     **error);

/* The workspace time zone: an IANA name ("Asia/Shanghai") kept in settings.
 * kl_rollup_set_timezone () changes it (the rollups follow). */
const char   *kl_database_get_timezone_name (KlDatabase *self);
GTimeZone    *kl_database_get_timezone    (KlDatabase *self);

/* The workspace currency (ISO 4217), the currency of a shipment whose
 * currency is NULL: the setting "currency", "CNY" when it is not set.
 * Revenue in it is what the rollups sum (kl-rollup-mode.h). */
char         *kl_database_get_currency    (KlDatabase *self);

/* Appends a change to the sync outbox (in the caller's transaction).
 * op is "create", "update" or "delete"; fields lists what changed. */
gboolean      kl_database_outbox_add      (KlDatabase  *self,
                                           const char  *collection,
                                           const char  *record_id,
                                           const char  *op,
                                           const char  *fields,
                                           gint64       base_revision,
                                           GError     **error);
gint64        kl_database_outbox_count    (KlDatabase *self);

G_END_DECLS
