/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Preferences: report letterhead and defaults (GSettings) and the workspace
 * time zone (kept in the workspace). */
#pragma once

#include <adwaita.h>
#include "kl-worker.h"

G_BEGIN_DECLS

#define KL_TYPE_PREFERENCES_WINDOW (kl_preferences_window_get_type ())
G_DECLARE_FINAL_TYPE (KlPreferencesWindow, kl_preferences_window, KL, PREFERENCES_WINDOW, AdwPreferencesWindow)

/* worker may be NULL while no workspace is open: the time zone is then
 * not shown. */
GtkWidget *kl_preferences_window_new (KlWorker *worker);

G_END_DECLS
