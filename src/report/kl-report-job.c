/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The inputs of a printed report besides its figures. */

#include "config.h"

#include <string.h>
#include <gio/gio.h>

#include "kl-report-job.h"
#include "kl-claim-store.h"
#include "kl-report-note-store.h"

#define SETTINGS_SCHEMA "io.github.keyline.Keyline"

void
kl_report_settings_load (KlReportSettings *settings)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;
  g_autoptr(GSettings) gsettings = NULL;
  g_autofree char *company = NULL;
  g_autofree char *logo = NULL;

  memset (settings, 0, sizeof *settings);
  settings->paper = KL_PAPER_A4;

  /* keyline-cli runs where the schema may not be installed. */
  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, SETTINGS_SCHEMA, TRUE);
  if (schema == NULL)
    return;

  gsettings = g_settings_new (SETTINGS_SCHEMA);
  settings->paper = g_settings_get_enum (gsettings, "report-paper-size") == 1 ? KL_PAPER_LETTER : KL_PAPER_A4;
  company = g_settings_get_string (gsettings, "company-name");
  logo = g_settings_get_string (gsettings, "letterhead-logo");
  if (company != NULL && *company != '\0')
    settings->company_name = g_steal_pointer (&company);
  if (logo != NULL && *logo != '\0')
    settings->logo_path = g_steal_pointer (&logo);
  /* The portfolio has no customer language; it speaks the one new
   * customers get. */
  settings->portfolio_language = g_strdup (g_settings_get_enum (gsettings, "report-language") == 1 ? "en" : "zh_CN");
}

void
kl_report_settings_clear (KlReportSettings *settings)
{
  g_clear_pointer (&settings->company_name, g_free);
  g_clear_pointer (&settings->logo_path, g_free);
  g_clear_pointer (&settings->language, g_free);
  g_clear_pointer (&settings->portfolio_language, g_free);
}

KlReportDocument *
kl_report_make_document (KlDatabase             *db,
                         const KlReportModel    *model,
                         const KlReportSettings *settings,
                         const char             *generated_date,
                         GError                **error)
{
  KlReportDocumentOptions options = KL_REPORT_DOCUMENT_OPTIONS_INIT;
  g_autofree char *period_label = NULL;
  g_autofree char *comments = NULL;
  g_autofree char *goals = NULL;
  g_autoptr(GPtrArray) notes = NULL;
  g_autoptr(GTimeZone) tz = NULL;
  gint64 start, end;

  g_return_val_if_fail (KL_IS_DATABASE (db), NULL);
  g_return_val_if_fail (model != NULL, NULL);

  period_label = kl_period_to_label (model->period);
  if (model->customer_id != NULL)
    {
      if (!kl_report_note_get (db, model->customer_id, period_label, &comments, &goals, error))
        return NULL;
      /* Only notes meant for the client; internal ones stay in the window. */
      tz = g_time_zone_new_identifier (model->timezone);
      if (tz == NULL)
        tz = g_time_zone_new_utc ();
      kl_period_get_bounds (model->period, tz, &start, &end);
      notes = kl_claim_store_client_notes_between (db, model->customer_id, start, end, error);
      if (notes == NULL)
        return NULL;
    }

  if (settings != NULL)
    {
      options.paper = settings->paper;
      options.company_name = settings->company_name;
      options.logo_path = settings->logo_path;
      options.language = settings->language;
      if (options.language == NULL && model->customer_id == NULL)
        options.language = settings->portfolio_language;
      options.thread_fonts = settings->thread_fonts;
    }
  options.comments = comments;
  options.goals = goals;
  options.client_notes = notes;
  options.generated_date = generated_date;

  return kl_report_document_new (model, &options);
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
