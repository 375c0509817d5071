/* SPDX-License-Identifier: GPL-3.0-or-later */
/* For tests of the migrations: open a workspace and migrate it only up to a
 * given schema version. */
#pragma once

#include "kl-database.h"

G_BEGIN_DECLS

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
