/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Excel workbooks (.xlsx, written with libxlsxwriter) of a report, the
 * Portfolio list, a claims list and a survey. Every figure is a number
 * cell (rates as fractions formatted 0.0%, counts #,##0, money from minor
 * units with the currency's decimals), each sheet has a bold frozen header
 * row, and the words are in the language given. The figures are the
 * model's, the same the JSON export writes. A file appears only when it is
 * complete. Safe to call from any thread (nothing here reads settings or
 * the workspace). */
#pragma once

#include <glib.h>
#include "kl-report-model.h"
#include "kl-portfolio.h"
#include "kl-claim.h"
#include "kl-survey-report.h"

G_BEGIN_DECLS

#define KL_XLSX_ERROR (kl_xlsx_error_quark ())

typedef enum {
  KL_XLSX_ERROR_WRITE,   /* the workbook could not be written */
} KlXlsxError;

GQuark    kl_xlsx_error_quark     (void);

/* A valid, unique-looking Excel sheet name from text: []:*?/\ replaced by
 * "_", leading and trailing apostrophes dropped, at most 31 characters,
 * "Sheet" when nothing is left. Free with g_free(). */
char     *kl_xlsx_sheet_name      (const char *text);

/* The report: sheets Report (who, period, comments, goals, client notes),
 * Figures (each count and rate: this period, previous, year ago, changes,
 * target, met, variance), By month (quarters and years), Destination
 * regions, Origin regions, Seasons (the twelve trailing months) and Claims.
 * language: "zh_CN" or "en" (kl_report_options_get_language). */
gboolean  kl_xlsx_write_report    (const KlReportModel  *model,
                                   const char           *language,
                                   const char           *path,
                                   GError              **error);

/* The Portfolio list: one row per KlPortfolioRow, in the order given. */
gboolean  kl_xlsx_write_portfolio (GPtrArray            *rows,
                                   const char           *language,
                                   const char           *path,
                                   GError              **error);

/* A claims list: one row per KlClaim, times in tz (the workspace's). */
gboolean  kl_xlsx_write_claims    (GPtrArray            *claims,
                                   GTimeZone            *tz,
                                   const char           *language,
                                   const char           *path,
                                   GError              **error);

/* A survey: sheets Results (per attribute, as the JSON export) and
 * Responses (one row per respondent and attribute). */
gboolean  kl_xlsx_write_survey    (const KlSurveyReport *report,
                                   const char           *language,
                                   const char           *path,
                                   GError              **error);

G_END_DECLS
