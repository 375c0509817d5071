/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Everything a printed report needs beyond its figures, gathered the same
 * way for the window, the printer and keyline-cli: the KAM's comments and
 * goals for the period, the client notes of the cases, and the letterhead. */
#pragma once

#include "kl-database.h"
#include "kl-report-model.h"
#include "kl-report-document.h"

G_BEGIN_DECLS

/* The letterhead and paper, as set in Preferences. */
typedef struct {
  KlPaperSize  paper;
  char        *company_name;   /* NULL: none */
  char        *logo_path;      /* NULL: none */
  char        *language;       /* "zh_CN", "en" or NULL: the customer's own */
  char        *portfolio_language; /* the portfolio report's language ("zh_CN" or
                                    * "en": Preferences' report language); NULL: en */
  gboolean     thread_fonts;   /* see KlReportDocumentOptions.thread_fonts */
} KlReportSettings;

/* Reads the settings from GSettings when the application's schema is
 * installed, else A4 without letterhead. */
void              kl_report_settings_load  (KlReportSettings *settings);
void              kl_report_settings_clear (KlReportSettings *settings);

/* Lays out the report of model with the workspace's comments, goals and
 * client notes for its customer and period. generated_date NULL: today. */
KlReportDocument *kl_report_make_document  (KlDatabase             *db,
                                            const KlReportModel    *model,
                                            const KlReportSettings *settings,
                                            const char             *generated_date,
                                            GError                **error);

/* "C0004-2026-10.pdf" for a customer's report of a period. */
char             *kl_report_file_name      (const KlReportModel *model,
                                            const char          *extension);

G_END_DECLS
