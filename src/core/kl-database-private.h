/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The workspace's SQL, for src/core (and the tests and benchmarks that
 * look inside a workspace): statements, bindings, the raw handle. Nothing
 * outside src/core includes this; the other layers call core's typed
 * functions. */
#pragma once

#include <sqlite3.h>
#include "kl-database.h"

G_BEGIN_DECLS

sqlite3      *kl_database_get_handle      (KlDatabase *self);

/* A statement for SQL, prepared once and kept; reset and cleared of bindings
 * on each call. The database owns it. */
sqlite3_stmt *kl_database_prepare         (KlDatabase  *self,
                                           const char  *sql,
                                           GError     **error);
/* As kl_database_prepare (), keyed by the address of sql: only for SQL
 * whose text never changes or goes (a literal, or made once for the
 * process); nothing of it is hashed or compared per call. */
sqlite3_stmt *_kl_database_prepare_static (KlDatabase  *self,
                                           const char  *sql,
                                           GError     **error);
/* Runs SQL without results (may hold several statements; no parameters). */
gboolean      kl_database_exec            (KlDatabase  *self,
                                           const char  *sql,
                                           GError     **error);
/* Steps a prepared statement to completion, expecting no rows. */
gboolean      kl_database_step_done       (KlDatabase   *self,
                                           sqlite3_stmt *stmt,
                                           GError      **error);
/* Sets error from the connection's last error. Always returns FALSE. */
gboolean      kl_database_set_error       (KlDatabase  *self,
                                           GError     **error,
                                           const char  *what);

/* Small helpers for binding and reading columns. A NULL string binds NULL. */
void          kl_bind_text                (sqlite3_stmt *stmt, int idx, const char *text);
void          kl_bind_time                (sqlite3_stmt *stmt, int idx, gint64 t); /* KL_NO_TIME → NULL */
void          kl_bind_tri                 (sqlite3_stmt *stmt, int idx, KlTri v);  /* unknown → NULL */
char         *kl_column_dup_text          (sqlite3_stmt *stmt, int col);            /* NULL stays NULL */
gint64        kl_column_time              (sqlite3_stmt *stmt, int col);            /* NULL → KL_NO_TIME */
KlTri         kl_column_tri               (sqlite3_stmt *stmt, int col);

/* For tests of the migrations: open a workspace and migrate it only up to a
 * given schema version. */

KlDatabase *_kl_database_open_at_version (const char           *path,
                                          KlDatabaseOpenFlags   flags,
                                          int                   version,
                                          GError              **error);
/* The path of the last backup taken before a migration, or NULL. */
const char *_kl_database_get_backup_path (KlDatabase *self);

G_END_DECLS

G_BEGIN_DECLS
/* Begins the outermost transaction as BEGIN (deferred) when write is FALSE. */
gboolean    _kl_database_begin_mode      (KlDatabase  *self,
                                          gboolean     write,
                                          GError     **error);
/* Stores the time zone setting and reloads it, without touching rollups
 * (kl_rollup_set_timezone () rebuilds them in the same transaction). */
gboolean    _kl_database_store_timezone  (KlDatabase  *self,
                                          const char  *tz_name,
                                          GError     **error);
/* Reloads the time zone from settings (after a rollback). */
void        _kl_database_reload_timezone (KlDatabase  *self);
G_END_DECLS
