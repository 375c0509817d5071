/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Service agreements. Saving or deleting one rebuilds the customer's rollups
 * (grace minutes decide what is on time) and updates the grace-minutes cache
 * the shipment store reads. Periods of one customer may not overlap. */
#pragma once

#include <glib.h>
#include "kl-database.h"
#include "kl-records.h"

G_BEGIN_DECLS

GPtrArray   *kl_agreement_store_list     (KlDatabase *db, const char *customer_id, GError **error);
gboolean     kl_agreement_store_save     (KlDatabase *db, KlAgreement *agreement, GError **error);
gboolean     kl_agreement_store_delete   (KlDatabase *db, const char *id, GError **error);
/* The agreement in force on date ("YYYY-MM-DD"), or NULL (no error). */
KlAgreement *kl_agreement_store_in_force (KlDatabase *db, const char *customer_id,
                                          const char *date, GError **error);

G_END_DECLS
