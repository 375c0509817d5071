/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A customer's contacts. Functions run on the caller's thread; writes join
 * the caller's transaction or make their own. */
#pragma once

#include <glib.h>
#include "kl-database.h"
#include "kl-records.h"

G_BEGIN_DECLS

/* Primary contact first, then by name. Returns a GPtrArray of KlContact. */
GPtrArray   *kl_contact_store_list       (KlDatabase *db, const char *customer_id, GError **error);
/* Creates when contact->id is NULL (and fills it). Validates the name, the
 * email and the birthday; a primary contact demotes the others. */
gboolean     kl_contact_store_save       (KlDatabase *db, KlContact *contact, GError **error);
gboolean     kl_contact_store_delete     (KlDatabase *db, const char *id, GError **error);

G_END_DECLS
