/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Activities of a customer: calls, visits, meetings, tasks, and their
 * follow-ups. Functions run on the caller's thread. */
#pragma once

#include <glib.h>
#include "kl-database.h"
#include "kl-records.h"

G_BEGIN_DECLS

/* A customer's activities, newest first. */
GPtrArray   *kl_activity_store_list      (KlDatabase *db, const char *customer_id, GError **error);
/* Open follow-ups of every customer due before `before` (KL_NO_TIME: all). */
GPtrArray   *kl_activity_store_due       (KlDatabase *db, gint64 before, GError **error);
gboolean     kl_activity_store_save      (KlDatabase *db, KlActivity *activity, GError **error);
gboolean     kl_activity_store_delete    (KlDatabase *db, const char *id, GError **error);
KlActivity  *kl_activity_store_get       (KlDatabase *db, const char *id, GError **error);

G_END_DECLS
