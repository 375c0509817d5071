/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Client surveys in the window (docs/analysis.md): pick a survey and a
 * respondent, type each attribute's importance and each company's
 * performance (1–7; Tab to the next cell, Enter to the next attribute), and
 * open the competitive position and performance evaluation matrices, each
 * with a table of its numbers for screen readers. Reads and writes go
 * through the worker. */
#pragma once

#include <adwaita.h>
#include "kl-worker.h"

G_BEGIN_DECLS

#define KL_TYPE_SURVEY_WINDOW (kl_survey_window_get_type ())
G_DECLARE_FINAL_TYPE (KlSurveyWindow, kl_survey_window, KL, SURVEY_WINDOW, AdwWindow)

GtkWidget *kl_survey_window_new (KlWorker *worker);

/* TRUE while a read or a write is running (for tests and the spinner). */
gboolean   kl_survey_window_is_busy (KlSurveyWindow *self);
/* The cell entry of attribute row (0-based) and column (0: importance,
 * 1 + c: company c, ours first), or NULL before a survey is shown. */
GtkEditable *kl_survey_window_get_cell (KlSurveyWindow *self, guint row, guint column);
/* Opens the matrix window: 0 competitive position, 1 performance evaluation. */
GtkWindow *kl_survey_window_open_matrix (KlSurveyWindow *self, guint which);
/* Opens New Survey (the "survey.new" action); a survey created there is
 * then shown. */
GtkWindow *kl_survey_window_new_survey  (KlSurveyWindow *self);
/* Opens the comparison of one attribute across survey rounds (the
 * "survey.compare-rounds" action), on attribute_code (NULL: the first of
 * the survey shown); NULL before a survey is shown. */
GtkWindow *kl_survey_window_open_rounds (KlSurveyWindow *self,
                                         const char     *attribute_code);

G_END_DECLS
