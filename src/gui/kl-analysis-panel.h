/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Where service effort goes, on the Portfolio page (docs/analysis.md): the
 * account classes as a Pareto chart with the class marks, the 4 × 5
 * priority matrix as a heat map of account counts with the gaps against the
 * standards, and the reminders and at-risk accounts, each opening its
 * customer. Read through the worker. */
#pragma once

#include <gtk/gtk.h>
#include "kl-worker.h"

G_BEGIN_DECLS

#define KL_TYPE_ANALYSIS_PANEL (kl_analysis_panel_get_type ())
G_DECLARE_FINAL_TYPE (KlAnalysisPanel, kl_analysis_panel, KL, ANALYSIS_PANEL, GtkBox)

GtkWidget *kl_analysis_panel_new        (void);
/* Loads the twelve months ending with month (yyyymm; 0: last month). */
void       kl_analysis_panel_load       (KlAnalysisPanel *self,
                                         KlWorker        *worker,
                                         int              month);
gboolean   kl_analysis_panel_is_loaded  (KlAnalysisPanel *self);
/* The reminders list: a GtkListView over GtkStringObjects (the rows'
 * texts); "activate" on a row with a customer emits "open-customer" with
 * the customer's id. */
GtkListView *kl_analysis_panel_get_reminders (KlAnalysisPanel *self);
/* The text screen readers get for the chart and the matrix. */
const char *kl_analysis_panel_get_summary (KlAnalysisPanel *self);

/* TRUE while a review is being written or lost customers read. */
gboolean   kl_analysis_panel_is_busy    (KlAnalysisPanel *self);
/* Writes the portfolio's "Service standards review" (A4, interface
 * language, the months the panel shows) to file through the worker; the
 * "effort.save-review" action asks for the file first. */
void       kl_analysis_panel_save_review (KlAnalysisPanel *self,
                                          GFile           *file);
/* Opens the lost-customer analysis for period (2026, 2026-Q3, 2026-10;
 * NULL: this year); the "effort.lost-customers" action. */
GtkWindow *kl_analysis_panel_open_lost  (KlAnalysisPanel *self,
                                         const char      *period);

/* Asks for a file and writes the reminders to it as iCalendar
 * ("effort.export-reminders"). */
void       kl_analysis_panel_export     (KlAnalysisPanel *self);

G_END_DECLS
