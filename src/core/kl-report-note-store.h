/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The KAM's client-visible comments and next-period goals, kept per customer
 * and report period ("2026-10", "2026-Q3", "2026"). */
#pragma once

#include "kl-database.h"

G_BEGIN_DECLS

/* Fills *out_comments and *out_goals (empty strings when nothing is kept). */
gboolean kl_report_note_get (KlDatabase  *db,
                             const char  *customer_id,
                             const char  *period,
                             char       **out_comments,
                             char       **out_goals,
                             GError     **error);
gboolean kl_report_note_set (KlDatabase  *db,
                             const char  *customer_id,
                             const char  *period,
                             const char  *comments,
                             const char  *goals,
                             GError     **error);

G_END_DECLS
