/* SPDX-License-Identifier: GPL-3.0-or-later */
/* One entry of a case's history timeline. */
#pragma once

#include <gtk/gtk.h>

#include "kl-claim-store.h"

G_BEGIN_DECLS

#define KL_TYPE_CLAIM_HISTORY_ROW (kl_claim_history_row_get_type ())
G_DECLARE_FINAL_TYPE (KlClaimHistoryRow, kl_claim_history_row, KL, CLAIM_HISTORY_ROW, GtkListBoxRow)

/* newest: the top of the timeline (its dot is marked); oldest: the bottom
 * (no line runs on below it). Times are shown in tz. */
GtkWidget *kl_claim_history_row_new (const KlClaimHistoryEntry *entry,
                                     gboolean                   newest,
                                     gboolean                   oldest,
                                     GTimeZone                 *tz);

G_END_DECLS
