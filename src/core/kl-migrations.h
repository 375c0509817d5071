/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Schema steps, applied in order by KlDatabase. */
#pragma once

#include <glib.h>

#include "kl-database.h"

G_BEGIN_DECLS

int         kl_migrations_count (void);
/* The SQL that takes the schema from version - 1 to version. */
const char *kl_migrations_get   (int version);

/* Work a step does in C after its SQL, in the same transaction (it must
 * not begin one of its own); NULL for a step that is SQL only. */
typedef gboolean (*KlMigrationFunc) (KlDatabase  *db,
                                     GError     **error);
KlMigrationFunc kl_migrations_get_func (int version);

G_END_DECLS
