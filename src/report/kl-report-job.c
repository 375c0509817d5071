/* SPDX-License-Identifier: GPL-3.0-or-later */
/* How a report is printed, and its layout from the model. */

#include "config.h"

#include <string.h>

#include "kl-report-job.h"
#include "kl-report-language.h"

void
kl_report_options_clear (KlReportOptions *options)
{
  g_return_if_fail (options != NULL);

  g_clear_pointer (&options->company_name, g_free);
  g_clear_pointer (&options->logo_path, g_free);
  g_clear_pointer (&options->language, g_free);
  g_clear_pointer (&options->portfolio_language, g_free);
}

void
kl_report_options_copy_into (KlReportOptions       *dest,
                             const KlReportOptions *src)
{
  g_return_if_fail (dest != NULL && src != NULL);

  *dest = *src;
  dest->company_name = g_strdup (src->company_name);
  dest->logo_path = g_strdup (src->logo_path);
  dest->language = g_strdup (src->language);
  dest->portfolio_language = g_strdup (src->portfolio_language);
}

const char *
kl_report_options_get_language (const KlReportOptions *options,
                                const KlReportModel   *model)
{
  const char *language = NULL;

  g_return_val_if_fail (model != NULL, "en");

  if (options != NULL)
    language = options->language;
  if (language == NULL)
    language = model->customer_id != NULL ? model->report_language
                                          : options != NULL ? options->portfolio_language : NULL;
  return kl_report_language_normalize (language);
}

KlReportDocument *
kl_report_make_document (const KlReportModel    *model,
                         const KlReportOptions  *options,
                         const char             *generated_date)
{
  KlReportDocumentOptions doc_options = KL_REPORT_DOCUMENT_OPTIONS_INIT;

  g_return_val_if_fail (model != NULL, NULL);

  doc_options.language = kl_report_options_get_language (options, model);
  if (options != NULL)
    {
      doc_options.paper = options->paper;
      doc_options.company_name = options->company_name;
      doc_options.logo_path = options->logo_path;
      doc_options.thread_fonts = options->thread_fonts;
    }
  doc_options.generated_date = generated_date;

  return kl_report_document_new (model, &doc_options);
}

char *
kl_report_file_name (const KlReportModel *model,
                     const char          *extension)
{
  g_autofree char *period_label = kl_period_to_label (model->period);
  g_autofree char *stem = NULL;

  stem = g_strdup_printf ("%s-%s", model->customer_code != NULL ? model->customer_code : "portfolio",
                          period_label);
  /* A code comes from the user; keep it a single file name. */
  g_strdelimit (stem, "/\\:*?\"<>|", '_');
  return g_strdup_printf ("%s.%s", stem, extension);
}
