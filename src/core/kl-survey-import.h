/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The survey CSV (docs/analysis.md): one row per respondent × attribute ×
 * company, read with the file rules of docs/import.md and written all or
 * nothing. */
#pragma once

#include "kl-import.h"

G_BEGIN_DECLS

/* Imports file into the survey named survey_name (created, held today, when
 * there is none). main_competitor: NULL for the first competitor named in
 * the file. Without SKIP_BAD a bad row writes nothing (result->written =
 * FALSE, n_bad > 0); DRY_RUN checks only. The survey's id, when written, in
 * out_survey_id. An unknown --main-competitor is a
 * KL_IMPORT_ERROR_HEADER error. */
KlImportResult *kl_survey_import_file (KlDatabase     *db,
                                       GFile          *file,
                                       const char     *display_name,
                                       const char     *survey_name,
                                       const char     *main_competitor,
                                       KlImportFlags   flags,
                                       char          **out_survey_id,
                                       GError        **error);

G_END_DECLS
