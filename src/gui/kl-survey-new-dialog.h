/* SPDX-License-Identifier: GPL-3.0-or-later */
/* New Survey (docs/analysis.md): a name and a date, the attributes (the
 * default set for a 3PL ticked, in the interface language, and codes of
 * more), the competitors (the first is the main one; our company is always
 * in) and the respondents, one "name, customer code" a line. Checked whole;
 * what the workspace refuses is shown and nothing typed is lost. Written
 * through the worker in one transaction. */
#pragma once

#include <adwaita.h>
#include "kl-worker.h"

G_BEGIN_DECLS

#define KL_TYPE_SURVEY_NEW_DIALOG (kl_survey_new_dialog_get_type ())
G_DECLARE_FINAL_TYPE (KlSurveyNewDialog, kl_survey_new_dialog, KL, SURVEY_NEW_DIALOG, AdwWindow)

/* Emits "created" (the survey's name) once the survey is written, then
 * closes. */
GtkWidget  *kl_survey_new_dialog_new     (KlWorker *worker);
/* TRUE while the survey is being written (for tests). */
gboolean    kl_survey_new_dialog_is_busy (KlSurveyNewDialog *self);
/* The message shown for what must be fixed; "" when none. */
const char *kl_survey_new_dialog_get_message (KlSurveyNewDialog *self);

G_END_DECLS
