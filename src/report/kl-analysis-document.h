/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The printed "Client survey" and "Service standards review"
 * (docs/analysis.md), as PDF on A4 or Letter, in English or Chinese. */
#pragma once

#include <glib.h>

#include "kl-analysis-data.h"
#include "kl-report-document.h"
#include "kl-survey-report.h"

G_BEGIN_DECLS

/* The survey's results: the per-attribute table, both matrices with the
 * attributes' codes and stars, and the attributes by quadrant with the
 * suggested action. language: "en" or "zh_CN". */
gboolean kl_survey_document_write_pdf    (const KlSurveyReport *report,
                                          const char           *language,
                                          KlPaperSize           paper,
                                          const char           *path,
                                          GError              **error);

/* The classes (Pareto chart), the 4 × 5 matrix with account counts and
 * each account × line against its standard; for one customer when
 * customer_id is given (its class and its lines only). */
gboolean kl_standards_document_write_pdf (const KlClassAnalysis *analysis,
                                          const char            *customer_id,
                                          const char            *language,
                                          KlPaperSize            paper,
                                          const char            *path,
                                          GError               **error);

G_END_DECLS
