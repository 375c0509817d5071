/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Demo claims, returns and complaints for a demo workspace. */
#pragma once

#include "kl-database.h"

G_BEGIN_DECLS

/* Adds cases for the workspace's customers (on their delivered shipments)
 * in every status of every lifecycle, some overdue at now, built through the
 * claim store with past timestamps so their history is real. The same rand
 * seed and now give the same cases. Runs in one transaction; the cases are
 * demo data, so nothing is left in the sync outbox. */
gboolean kl_demo_add_claims (KlDatabase  *db,
                             GRand       *rand,
                             gint64       now,
                             GError     **error);

G_END_DECLS
