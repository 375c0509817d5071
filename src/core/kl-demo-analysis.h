/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The demo's additions for docs/analysis.md (kl-demo-analysis.c). */
#pragma once

#include "kl-database.h"

G_BEGIN_DECLS

/* Inside the demo's transaction, after customers, shipments, activities
 * and cases: first and cutoff bound the demo's days (Unix seconds),
 * last_month is its last month (yyyymm). */
gboolean kl_demo_add_analysis (KlDatabase  *db,
                               GRand       *rand,
                               gint64       first,
                               gint64       cutoff,
                               int          last_month,
                               GError     **error);

G_END_DECLS
