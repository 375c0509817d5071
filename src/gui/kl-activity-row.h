/* SPDX-License-Identifier: GPL-3.0-or-later */
/* One entry of the customer detail's activity log. */
#pragma once

#include <adwaita.h>
#include "kl-records.h"

G_BEGIN_DECLS

#define KL_TYPE_ACTIVITY_ROW (kl_activity_row_get_type ())
G_DECLARE_FINAL_TYPE (KlActivityRow, kl_activity_row, KL, ACTIVITY_ROW, AdwActionRow)

/* now decides whether an open follow-up is overdue. */
GtkWidget        *kl_activity_row_new          (const KlActivity *activity,
                                                gint64            now);

G_END_DECLS
