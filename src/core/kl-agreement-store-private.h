/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The agreement store's grace-minutes cache, read by the shipment store for
 * every shipment it rolls up. Not for use outside src/core and its tests. */
#pragma once

#include "kl-database.h"

G_BEGIN_DECLS

/* The dispatch and delivery grace minutes of the customer's agreement in
 * force on date ("YYYY-MM-DD"); 0 and 0 when none is. Cached per connection;
 * the cache follows every change to the agreements table on its own (see
 * kl-agreement-store.c), so no caller clears it. */
gboolean _kl_agreement_store_grace        (KlDatabase  *db,
                                           const char  *customer_id,
                                           const char  *date,
                                           int         *out_dispatch,
                                           int         *out_delivery,
                                           GError     **error);
/* Sets the cache up on a connection that has just opened, while none of its
 * statements runs (SQLite adds functions only then). */
void     _kl_agreement_store_watch        (KlDatabase *db);
/* How many customers' periods the cache holds now; for tests. */
guint    _kl_agreement_store_grace_cached (KlDatabase *db);

G_END_DECLS
