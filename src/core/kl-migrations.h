/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Schema steps, applied in order by KlDatabase. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

int         kl_migrations_count (void);
/* The SQL that takes the schema from version - 1 to version. */
const char *kl_migrations_get   (int version);

G_END_DECLS
