/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The Preferences page of docs/analysis.md's settings: the class
 * thresholds, the priority matrix and the service standards, kept in the
 * workspace (read and written through the worker). */
#pragma once

#include <adwaita.h>
#include "kl-worker.h"

G_BEGIN_DECLS

#define KL_TYPE_ANALYSIS_PREFERENCES (kl_analysis_preferences_get_type ())
G_DECLARE_FINAL_TYPE (KlAnalysisPreferences, kl_analysis_preferences, KL, ANALYSIS_PREFERENCES, AdwPreferencesPage)

GtkWidget *kl_analysis_preferences_new (KlWorker *worker);
/* TRUE once the settings are shown and no write is running. */
gboolean   kl_analysis_preferences_is_idle (KlAnalysisPreferences *self);
/* The spin button of a matrix cell (row A..D = 0..3, column I..V = 0..4). */
GtkSpinButton *kl_analysis_preferences_get_cell (KlAnalysisPreferences *self, guint row, guint column);
/* Writes what is shown. */
void       kl_analysis_preferences_save (KlAnalysisPreferences *self);

G_END_DECLS
