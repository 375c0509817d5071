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

/* The ids of the activities that name contact_id (deleting the contact
 * leaves them naming none). Never NULL on success. */
GStrv        kl_activity_store_naming_contact (KlDatabase  *db,
                                               const char  *contact_id,
                                               GError     **error);
/* Names contact_id again in those of activity_ids that name no contact now:
 * undoes what deleting the contact did to them. */
gboolean     kl_activity_store_relink_contact (KlDatabase         *db,
                                               const char         *contact_id,
                                               const char * const *activity_ids,
                                               GError            **error);

G_END_DECLS
