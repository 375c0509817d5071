/* SPDX-License-Identifier: GPL-3.0-or-later */
/* How a report is printed, gathered the same way for the window, the
 * printer and keyline-cli: the paper, the letterhead and the language. Plain
 * data the caller fills (the window and keyline-cli read Preferences); the
 * report layer never reads settings itself. */
#pragma once

#include "kl-report-model.h"
#include "kl-report-document.h"

G_BEGIN_DECLS

typedef struct {
  KlPaperSize  paper;
  char        *company_name;       /* the letterhead; NULL: none */
  char        *logo_path;          /* a PNG; NULL: none */
  char        *language;           /* "zh_CN", "en" or NULL: the customer's own */
  char        *portfolio_language; /* the portfolio report's language ("zh_CN" or
                                    * "en": Preferences' report language); NULL: en */
  gboolean     thread_fonts;       /* see KlReportDocumentOptions.thread_fonts */
} KlReportOptions;

/* A4, no letterhead, each customer's own language, English for the
 * portfolio: what a report looks like where nothing is set. */
#define KL_REPORT_OPTIONS_INIT { KL_PAPER_A4, NULL, NULL, NULL, NULL, FALSE }

void              kl_report_options_clear    (KlReportOptions       *options);
void              kl_report_options_copy_into (KlReportOptions      *dest,
                                              const KlReportOptions *src);

/* The language ("zh_CN" or "en") model's report is written in under
 * options (NULL: defaults): the chosen one, else the customer's, else the
 * portfolio language. A static string. */
const char       *kl_report_options_get_language (const KlReportOptions *options,
                                                  const KlReportModel   *model);

/* Lays out the report of model (which carries its comments, goals and
 * client notes) as options say; options NULL: the defaults. generated_date
 * NULL: today. Reads nothing but its arguments. */
KlReportDocument *kl_report_make_document  (const KlReportModel    *model,
                                            const KlReportOptions  *options,
                                            const char             *generated_date);

/* "C0004-2026-10.pdf" for a customer's report of a period. */
char             *kl_report_file_name      (const KlReportModel *model,
                                            const char          *extension);

G_END_DECLS
