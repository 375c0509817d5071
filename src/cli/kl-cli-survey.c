/* SPDX-License-Identifier: GPL-3.0-or-later */
/* keyline-cli survey new|import|list|report|compare (docs/analysis.md). */

#include "config.h"

#include <math.h>
#include <string.h>
#include <json-glib/json-glib.h>
#include <glib/gi18n.h>

#include "kl-cli.h"
#include "kl-cli-analysis.h"
#include "kl-analysis-document.h"
#include "kl-customer-store.h"
#include "kl-survey-import.h"
#include "kl-survey-report.h"
#include "kl-survey-store.h"
#include "kl-xlsx-export.h"
#include "kl-cli-xlsx.h"

static char *
to_json (JsonBuilder *b)
{
  g_autoptr (JsonGenerator) gen = json_generator_new ();
  g_autoptr (JsonNode) root = json_builder_get_root (b);

  json_generator_set_pretty (gen, TRUE);
  json_generator_set_root (gen, root);
  return json_generator_to_data (gen, NULL);
}

static void
add_double_or_null (JsonBuilder *b, const char *name, double v)
{
  json_builder_set_member_name (b, name);
  if (isnan (v))
    json_builder_add_null_value (b);
  else
    json_builder_add_double_value (b, v);
}

static int
run_import (KlCli *cli, int argc, char **argv)
{
  g_autofree char *survey = NULL;
  g_autofree char *main_competitor = NULL;
  g_autofree char *encoding = NULL;
  gboolean dry_run = FALSE;
  const GOptionEntry entries[] = {
    { "survey", 0, 0, G_OPTION_ARG_STRING, &survey, N_("The survey’s name (created when there is none)"), N_("NAME") },
    { "main-competitor", 0, 0, G_OPTION_ARG_STRING, &main_competitor,
      N_("The main competitor (default: the first competitor named in the file)"), N_("NAME") },
    { "encoding", 0, 0, G_OPTION_ARG_STRING, &encoding, N_("utf-8 or gb18030 (default: detected)"), N_("ENCODING") },
    { "dry-run", 0, 0, G_OPTION_ARG_NONE, &dry_run, N_("Check the file, write nothing"), NULL },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr (GOptionContext) context = NULL;
  g_autoptr (KlDatabase) db = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (KlImportResult) result = NULL;
  g_autoptr (GFile) file = NULL;
  g_autofree char *summary = NULL;
  KlImportFlags flags = KL_IMPORT_FLAGS_NONE;
  int status = KL_EXIT_OK;

  context = kl_cli_option_context (cli, _("FILE"),
                                   _("Import survey responses from a CSV file, one row per respondent × attribute "
                                     "× company, all or nothing. Columns (English or Chinese header, any order): "
                                     "respondent (受访者, required); customer_code (客户编码, a known customer, "
                                     "required); attribute (属性, the attribute's code, required; an unknown code "
                                     "adds the attribute); importance (重要性, 1–7, required, the same on every row "
                                     "of one respondent × attribute); company (公司, ours/我方 or a competitor's "
                                     "name, required; up to three competitors); performance (绩效, 1–7, empty for "
                                     "not rated)."),
                                   entries);
  if (!kl_cli_parse (cli, context, &argc, &argv))
    return KL_EXIT_USAGE;
  if (argc != 2)
    return kl_cli_usage_error (cli, _("survey import needs one FILE"));
  if (survey == NULL || *survey == '\0')
    return kl_cli_usage_error (cli, _("--survey NAME is required"));
  if (dry_run)
    flags |= KL_IMPORT_FLAGS_DRY_RUN;
  if (encoding != NULL)
    {
      if (g_ascii_strcasecmp (encoding, "utf-8") == 0)
        flags |= KL_IMPORT_FLAGS_UTF8;
      else if (g_ascii_strcasecmp (encoding, "gb18030") == 0)
        flags |= KL_IMPORT_FLAGS_GB18030;
      else
        return kl_cli_usage_error (cli, _("--encoding must be utf-8 or gb18030, not “%s”"), encoding);
    }

  db = kl_cli_open_workspace (cli, FALSE, &status);
  if (db == NULL)
    return status;
  file = g_file_new_for_commandline_arg (argv[1]);
  result = kl_survey_import_file (db, file, argv[1], survey, main_competitor, flags, NULL, &error);
  if (result == NULL)
    {
      if (g_error_matches (error, KL_IMPORT_ERROR, KL_IMPORT_ERROR_NOT_A_FILE) || error->domain == G_IO_ERROR)
        {
          kl_cli_error (_("%s. Check the file’s name and that you may read it."), error->message);
          return KL_EXIT_NOINPUT;
        }
      if (error->domain == KL_IMPORT_ERROR)
        {
          kl_cli_error ("%s", error->message);
          return KL_EXIT_DATAERR;
        }
      return kl_cli_fail (error, db, FALSE);
    }
  for (guint i = 0; i < result->errors->len; i++)
    g_printerr ("%s\n", (const char *) g_ptr_array_index (result->errors, i));
  kl_cli_printf (_("Read as %s.\n"), result->encoding);
  if (dry_run)
    kl_cli_print (_("Dry run: nothing was written.\n"));
  if (result->n_bad > 0)
    {
      kl_cli_error (g_dngettext (GETTEXT_PACKAGE,
                                 "%u row of “%s” is bad, so nothing was written. Correct it and import again.",
                                 "%u rows of “%s” are bad, so nothing was written. Correct them and import again.",
                                 result->n_bad),
                    result->n_bad, argv[1]);
      status = KL_EXIT_DATAERR;
    }
  summary = kl_import_result_summary (result);
  kl_cli_printf ("%s\n", summary);
  return status;
}

/* "Ms Li,HX001": the name, then the customer's code after the last comma. */
static gboolean
split_respondent (const char *text, char **name, char **code)
{
  const char *comma = strrchr (text, ',');

  if (comma == NULL)
    return FALSE;
  *name = g_strstrip (g_strndup (text, comma - text));
  *code = g_strstrip (g_strdup (comma + 1));
  return **name != '\0' && **code != '\0';
}

static int
run_new (KlCli *cli, int argc, char **argv)
{
  g_autofree char *date = NULL;
  g_autofree char *main_competitor = NULL;
  g_autofree char *attributes = NULL;
  g_auto (GStrv) competitors = NULL;
  g_auto (GStrv) respondents = NULL;
  g_auto (GStrv) customers = NULL;
  const GOptionEntry entries[] = {
    { "date", 0, 0, G_OPTION_ARG_STRING, &date, N_("The day the survey was held (default: today)"), N_("YYYY-MM-DD") },
    { "competitor", 0, 0, G_OPTION_ARG_STRING_ARRAY, &competitors,
      N_("A competitor (one to three; repeat the option)"), N_("NAME") },
    { "main-competitor", 0, 0, G_OPTION_ARG_STRING, &main_competitor,
      N_("The main competitor (default: the first --competitor)"), N_("NAME") },
    { "attributes", 0, 0, G_OPTION_ARG_STRING, &attributes,
      N_("Attribute codes separated by commas; “default” is the default set for a 3PL (the default)"), N_("CODES") },
    { "respondent", 0, 0, G_OPTION_ARG_STRING_ARRAY, &respondents,
      N_("A respondent and the code of the customer they speak for, as “NAME,CODE” (repeat the option)"),
      N_("NAME,CODE") },
    { "customer", 0, 0, G_OPTION_ARG_STRING_ARRAY, &customers,
      N_("A customer asked, besides the respondents’ (repeat the option)"), N_("CODE") },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr (GOptionContext) context = NULL;
  g_autoptr (KlDatabase) db = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (KlSurveyDraft) draft = NULL;
  g_autofree char *id = NULL;
  g_auto (GStrv) codes = NULL;
  int status = KL_EXIT_OK;

  context = kl_cli_option_context (cli, _("NAME"),
                                   _("Create a survey round: its name, date, attributes, our company and one to "
                                     "three competitors (the first is the main competitor unless "
                                     "--main-competitor says otherwise), and its respondents. Ratings are then "
                                     "typed in the window’s Client Surveys or read with survey import."),
                                   entries);
  if (!kl_cli_parse (cli, context, &argc, &argv))
    return KL_EXIT_USAGE;
  if (argc != 2)
    return kl_cli_usage_error (cli, _("survey new needs one NAME"));
  if (competitors == NULL)
    return kl_cli_usage_error (cli, _("--competitor NAME is required: a survey compares us with a main competitor"));

  db = kl_cli_open_workspace (cli, FALSE, &status);
  if (db == NULL)
    return status;
  if (date == NULL)
    {
      g_autoptr (GDateTime) now = g_date_time_new_now (kl_database_get_timezone (db));
      date = g_date_time_format (now, "%Y-%m-%d");
    }
  draft = kl_survey_draft_new (argv[1], date);
  draft->main_competitor = g_strdup (main_competitor);
  codes = g_strsplit (attributes ? attributes : "default", ",", -1);
  for (guint i = 0; codes[i] != NULL; i++)
    {
      g_strstrip (codes[i]);
      if (g_strcmp0 (codes[i], "default") == 0)
        {
          guint n;
          const KlSurveyDefaultAttribute *defaults = kl_survey_default_attributes (&n);
          for (guint d = 0; d < n; d++)
            kl_survey_draft_add_attribute (draft, defaults[d].code, defaults[d].name_en, defaults[d].name_zh);
        }
      else if (*codes[i] != '\0' && !kl_survey_draft_add_default (draft, codes[i]))
        kl_survey_draft_add_attribute (draft, codes[i], NULL, NULL);
    }
  for (guint i = 0; competitors[i] != NULL; i++)
    kl_survey_draft_add_competitor (draft, competitors[i]);
  for (guint i = 0; respondents != NULL && respondents[i] != NULL; i++)
    {
      g_autofree char *name = NULL;
      g_autofree char *code = NULL;

      if (!split_respondent (respondents[i], &name, &code))
        return kl_cli_usage_error (cli, _("--respondent “%s” must be NAME,CODE: the person’s name, a comma and the customer’s code"),
                                   respondents[i]);
      kl_survey_draft_add_respondent (draft, name, code);
    }
  for (guint i = 0; customers != NULL && customers[i] != NULL; i++)
    g_ptr_array_add (draft->customer_codes, g_strstrip (g_strdup (customers[i])));

  id = kl_survey_store_create_draft (db, draft, &error);
  if (id == NULL)
    return kl_cli_fail (error, db, FALSE);
  kl_cli_printf (g_dngettext (GETTEXT_PACKAGE,
                              "Created the survey “%s” of %s: %u attributes, %u competitors, %u respondent.\n",
                              "Created the survey “%s” of %s: %u attributes, %u competitors, %u respondents.\n",
                              draft->respondents->len),
                 draft->name, draft->held_on, draft->attributes->len, draft->competitors->len, draft->respondents->len);
  return KL_EXIT_OK;
}

static int
run_list (KlCli *cli, int argc, char **argv)
{
  g_autofree char *format_text = NULL;
  const GOptionEntry entries[] = {
    { "format", 0, 0, G_OPTION_ARG_STRING, &format_text, N_("table (default) or json"), N_("FORMAT") },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr (GOptionContext) context = NULL;
  g_autoptr (KlDatabase) db = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) list = NULL;
  int status = KL_EXIT_OK;

  context = kl_cli_option_context (cli, NULL,
                                   _("List the surveys by date. JSON: [{\"survey\", \"date\", \"customers\", "
                                     "\"main_competitor\", \"attributes\", \"companies\", \"respondents\"}]."),
                                   entries);
  if (!kl_cli_parse (cli, context, &argc, &argv))
    return KL_EXIT_USAGE;
  if (argc > 1)
    return kl_cli_usage_error (cli, _("Unexpected argument “%s”"), argv[1]);
  if (format_text != NULL && g_strcmp0 (format_text, "table") != 0 && g_strcmp0 (format_text, "json") != 0)
    return kl_cli_usage_error (cli, _("--format must be table or json, not “%s”"), format_text);
  db = kl_cli_open_workspace (cli, FALSE, &status);
  if (db == NULL)
    return status;
  list = kl_survey_store_list (db, &error);
  if (list == NULL)
    return kl_cli_fail (error, db, FALSE);

  if (g_strcmp0 (format_text, "json") == 0)
    {
      g_autoptr (JsonBuilder) b = json_builder_new ();
      g_autofree char *text = NULL;

      json_builder_begin_array (b);
      for (guint i = 0; i < list->len; i++)
        {
          const KlSurveyInfo *info = g_ptr_array_index (list, i);
          g_auto (GStrv) codes = g_strsplit (info->customers, ", ", -1);
          json_builder_begin_object (b);
          json_builder_set_member_name (b, "survey");
          json_builder_add_string_value (b, info->name);
          json_builder_set_member_name (b, "date");
          json_builder_add_string_value (b, info->held_on);
          json_builder_set_member_name (b, "customers");
          json_builder_begin_array (b);
          for (guint k = 0; codes[k] != NULL; k++)
            if (*codes[k])
              json_builder_add_string_value (b, codes[k]);
          json_builder_end_array (b);
          json_builder_set_member_name (b, "main_competitor");
          if (info->main_competitor)
            json_builder_add_string_value (b, info->main_competitor);
          else
            json_builder_add_null_value (b);
          json_builder_set_member_name (b, "attributes");
          json_builder_add_int_value (b, info->n_attributes);
          json_builder_set_member_name (b, "companies");
          json_builder_add_int_value (b, info->n_companies);
          json_builder_set_member_name (b, "respondents");
          json_builder_add_int_value (b, info->n_respondents);
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
      text = to_json (b);
      kl_cli_printf ("%s\n", text);
    }
  else
    {
      g_autoptr (GString) out = g_string_new (NULL);
      for (guint i = 0; i < list->len; i++)
        {
          const KlSurveyInfo *info = g_ptr_array_index (list, i);
          g_autofree char *counts = g_strdup_printf (_("%u respondents, %u attributes"), info->n_respondents,
                                                     info->n_attributes);
          kl_cli_append_padded (out, info->held_on, 12);
          kl_cli_append_padded (out, info->name, 24);
          kl_cli_append_padded (out, counts, 30);
          g_string_append_printf (out, "%s\n", info->customers);
        }
      if (list->len == 0)
        g_string_append_printf (out, "%s\n", _("No surveys."));
      kl_cli_print (out->str);
    }
  return KL_EXIT_OK;
}

static void
build_report_json (JsonBuilder *b, const KlSurveyReport *report)
{
  const KlSurvey *s = report->survey;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "survey");
  json_builder_add_string_value (b, s->name);
  json_builder_set_member_name (b, "date");
  json_builder_add_string_value (b, s->held_on);
  json_builder_set_member_name (b, "customers");
  json_builder_begin_array (b);
  for (guint i = 0; i < s->customer_codes->len; i++)
    json_builder_add_string_value (b, g_ptr_array_index (s->customer_codes, i));
  json_builder_end_array (b);
  json_builder_set_member_name (b, "companies");
  json_builder_begin_array (b);
  for (guint c = 0; c < s->companies->len; c++)
    json_builder_add_string_value (b, ((KlSurveyCompany *) g_ptr_array_index (s->companies, c))->name);
  json_builder_end_array (b);
  json_builder_set_member_name (b, "main_competitor");
  if (report->main >= 0)
    json_builder_add_string_value (b, ((KlSurveyCompany *) g_ptr_array_index (s->companies, report->main))->name);
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "attributes");
  json_builder_begin_array (b);
  for (guint a = 0; a < report->n_results; a++)
    {
      const KlSurveyResult *r = &report->results[a];
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "attribute");
      json_builder_add_string_value (b, r->attribute->code);
      json_builder_set_member_name (b, "name");
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "en");
      json_builder_add_string_value (b, kl_survey_attribute_name (r->attribute, "en"));
      json_builder_set_member_name (b, "zh_CN");
      json_builder_add_string_value (b, kl_survey_attribute_name (r->attribute, "zh_CN"));
      json_builder_end_object (b);
      json_builder_set_member_name (b, "n");
      json_builder_add_int_value (b, r->n);
      json_builder_set_member_name (b, "importance");
      json_builder_begin_object (b);
      add_double_or_null (b, "mean", r->importance.mean);
      add_double_or_null (b, "sd", r->importance.sd);
      json_builder_end_object (b);
      json_builder_set_member_name (b, "performance");
      json_builder_begin_object (b);
      for (guint c = 0; c < s->companies->len; c++)
        {
          json_builder_set_member_name (b, ((KlSurveyCompany *) g_ptr_array_index (s->companies, c))->name);
          json_builder_begin_object (b);
          add_double_or_null (b, "mean", r->performance[c].mean);
          add_double_or_null (b, "sd", r->performance[c].sd);
          json_builder_set_member_name (b, "n");
          json_builder_add_int_value (b, r->performance[c].n);
          json_builder_end_object (b);
        }
      json_builder_end_object (b);
      add_double_or_null (b, "relative", r->relative);
      add_double_or_null (b, "p", r->tested ? r->p : NAN);
      json_builder_set_member_name (b, "significance");
      json_builder_add_string_value (b, kl_significance_to_string (r->significance));
      json_builder_set_member_name (b, "position");
      if (r->position != KL_POSITION_NONE)
        json_builder_add_string_value (b, kl_survey_position_to_string (r->position));
      else
        json_builder_add_null_value (b);
      json_builder_set_member_name (b, "action");
      if (r->action != KL_ACTION_NONE)
        json_builder_add_string_value (b, kl_survey_action_to_string (r->action));
      else
        json_builder_add_null_value (b);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
}

static char *
number (double v, int decimals, gboolean sign)
{
  if (isnan (v))
    return g_strdup ("—");
  return g_strdup_printf (sign ? "%+.*f" : "%.*f", decimals, v);
}

typedef struct {
  const KlSurveyReport *report;
  const char           *language;
} SurveyXlsx;

static gboolean
write_survey_xlsx (const char  *path,
                   gpointer     data,
                   GError     **error)
{
  const SurveyXlsx *request = data;

  return kl_xlsx_write_survey (request->report, request->language, path, error);
}

static int
run_report (KlCli *cli, int argc, char **argv)
{
  g_autofree char *format_text = NULL;
  g_autofree char *output = NULL;
  g_autofree char *paper_text = NULL;
  g_autofree char *language = NULL;
  const GOptionEntry entries[] = {
    { "format", 0, 0, G_OPTION_ARG_STRING, &format_text, N_("table (default), json, pdf (with -o) or xlsx (an Excel workbook)"), N_("FORMAT") },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, N_("Write to FILE instead of stdout"), N_("FILE") },
    { "paper", 0, 0, G_OPTION_ARG_STRING, &paper_text, N_("a4 (default) or letter, for pdf"), N_("PAPER") },
    { "language", 0, 0, G_OPTION_ARG_STRING, &language, N_("en or zh_CN, for pdf and xlsx (default: the first customer’s report language)"), N_("LANGUAGE") },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr (GOptionContext) context = NULL;
  g_autoptr (KlDatabase) db = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (KlSurvey) survey = NULL;
  g_autoptr (KlSurveyReport) report = NULL;
  g_autoptr (GString) out = g_string_new (NULL);
  int status = KL_EXIT_OK;

  context = kl_cli_option_context (cli, _("NAME"),
                                   _("A survey’s results per attribute: n, importance and each company’s "
                                     "performance (mean, sd, n), relative performance against the main "
                                     "competitor, Welch’s t-test (p, significance * or **), position and action. "
                                     "JSON fields as docs/analysis.md names them."),
                                   entries);
  if (!kl_cli_parse (cli, context, &argc, &argv))
    return KL_EXIT_USAGE;
  if (argc != 2)
    return kl_cli_usage_error (cli, _("survey report needs one survey NAME"));
  if (g_strcmp0 (format_text, "pdf") == 0 && output == NULL)
    return kl_cli_usage_error (cli, _("--format pdf needs -o FILE"));
  if (paper_text != NULL && g_ascii_strcasecmp (paper_text, "a4") != 0 && g_ascii_strcasecmp (paper_text, "letter") != 0)
    return kl_cli_usage_error (cli, _("--paper must be a4 or letter, not “%s”"), paper_text);
  if (format_text != NULL && g_strcmp0 (format_text, "table") != 0 && g_strcmp0 (format_text, "json") != 0
      && g_strcmp0 (format_text, "pdf") != 0 && g_strcmp0 (format_text, "xlsx") != 0)
    return kl_cli_usage_error (cli, _("--format must be table, json, pdf or xlsx, not “%s”"), format_text);
  if (g_strcmp0 (format_text, "xlsx") == 0 && !kl_cli_xlsx_check_output (cli, output))
    return KL_EXIT_USAGE;
  db = kl_cli_open_workspace (cli, FALSE, &status);
  if (db == NULL)
    return status;
  survey = kl_survey_store_load (db, argv[1], &error);
  if (survey == NULL)
    {
      if (g_error_matches (error, KL_DATABASE_ERROR, KL_DATABASE_ERROR_NOT_FOUND))
        {
          kl_cli_error ("%s", error->message);
          return KL_EXIT_DATAERR;
        }
      return kl_cli_fail (error, db, FALSE);
    }
  report = kl_survey_report_compute (survey);
  if (g_strcmp0 (format_text, "pdf") == 0)
    {
      KlPaperSize paper = paper_text && g_ascii_strcasecmp (paper_text, "letter") == 0 ? KL_PAPER_LETTER : KL_PAPER_A4;
      g_autoptr (KlCustomer) first = survey->customer_codes->len > 0
        ? kl_customer_store_get_by_code (db, g_ptr_array_index (survey->customer_codes, 0), NULL) : NULL;
      const char *lang = language ? language : first ? first->report_language : "en";
      if (!kl_survey_document_write_pdf (report, lang, paper, output, &error))
        {
          kl_cli_error ("%s", error->message);
          return KL_EXIT_CANTCREAT;
        }
      return KL_EXIT_OK;
    }
  if (g_strcmp0 (format_text, "xlsx") == 0)
    {
      g_autoptr (KlCustomer) first = survey->customer_codes->len > 0
        ? kl_customer_store_get_by_code (db, g_ptr_array_index (survey->customer_codes, 0), NULL) : NULL;
      SurveyXlsx request = { report, language ? language : first ? first->report_language : "en" };

      if (!kl_cli_xlsx_write (output, write_survey_xlsx, &request, &error))
        {
          kl_cli_error ("%s", error->message);
          return KL_EXIT_CANTCREAT;
        }
      return KL_EXIT_OK;
    }

  if (g_strcmp0 (format_text, "json") == 0)
    {
      g_autoptr (JsonBuilder) b = json_builder_new ();
      g_autofree char *text = NULL;
      build_report_json (b, report);
      text = to_json (b);
      g_string_append_printf (out, "%s\n", text);
    }
  else
    {
      g_string_append_printf (out, _("Survey “%s”, %s\n\n"), survey->name, survey->held_on);
      kl_cli_append_padded (out, _("Attribute"), 22);
      kl_cli_append_padded (out, "n", 5);
      kl_cli_append_padded (out, _("Importance"), 12);
      kl_cli_append_padded (out, _("Ours"), 8);
      kl_cli_append_padded (out, _("Main competitor"), 18);
      kl_cli_append_padded (out, _("Relative"), 12);
      kl_cli_append_padded (out, "p", 10);
      g_string_append_printf (out, "%s\n", _("Action"));
      for (guint a = 0; a < report->n_results; a++)
        {
          const KlSurveyResult *r = &report->results[a];
          g_autofree char *n = g_strdup_printf ("%u", r->n);
          g_autofree char *imp = number (r->importance.mean, 2, FALSE);
          g_autofree char *ours = number (report->ours >= 0 ? r->performance[report->ours].mean : NAN, 2, FALSE);
          g_autofree char *theirs = number (report->main >= 0 ? r->performance[report->main].mean : NAN, 2, FALSE);
          g_autofree char *rel_n = number (r->relative, 2, TRUE);
          g_autofree char *rel = g_strdup_printf ("%s%s", rel_n, kl_significance_to_string (r->significance));
          g_autofree char *p = number (r->tested ? r->p : NAN, 4, FALSE);
          kl_cli_append_padded (out, r->attribute->code, 22);
          kl_cli_append_padded (out, n, 5);
          kl_cli_append_padded (out, imp, 12);
          kl_cli_append_padded (out, ours, 8);
          kl_cli_append_padded (out, theirs, 18);
          kl_cli_append_padded (out, rel, 12);
          kl_cli_append_padded (out, p, 10);
          g_string_append_printf (out, "%s\n", kl_survey_action_to_label (r->action));
        }
    }
  if (output != NULL)
    {
      if (!g_file_set_contents (output, out->str, out->len, &error))
        {
          kl_cli_error (_("Cannot write “%s”: %s"), output, error->message);
          return KL_EXIT_CANTCREAT;
        }
    }
  else
    kl_cli_print (out->str);
  return KL_EXIT_OK;
}

static int
run_compare (KlCli *cli, int argc, char **argv)
{
  g_autofree char *format_text = NULL;
  const GOptionEntry entries[] = {
    { "format", 0, 0, G_OPTION_ARG_STRING, &format_text, N_("table (default) or json"), N_("FORMAT") },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr (GOptionContext) context = NULL;
  g_autoptr (KlDatabase) db = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) rounds = NULL;
  g_autoptr (GString) out = g_string_new (NULL);
  int status = KL_EXIT_OK;

  context = kl_cli_option_context (cli, _("ATTRIBUTE"),
                                   _("One attribute across the survey rounds that asked it, by date. JSON: "
                                     "[{\"survey\", \"date\", \"n\", \"importance\", \"ours\", "
                                     "\"main_competitor\", \"relative\", \"p\", \"significance\", "
                                     "\"position\", \"action\"}]."),
                                   entries);
  if (!kl_cli_parse (cli, context, &argc, &argv))
    return KL_EXIT_USAGE;
  if (argc != 2)
    return kl_cli_usage_error (cli, _("survey compare needs one ATTRIBUTE code"));
  if (format_text != NULL && g_strcmp0 (format_text, "table") != 0 && g_strcmp0 (format_text, "json") != 0)
    return kl_cli_usage_error (cli, _("--format must be table or json, not “%s”"), format_text);
  db = kl_cli_open_workspace (cli, FALSE, &status);
  if (db == NULL)
    return status;
  rounds = kl_survey_compare_rounds (db, argv[1], &error);
  if (rounds == NULL)
    return kl_cli_fail (error, db, FALSE);
  if (g_strcmp0 (format_text, "json") == 0)
    {
      g_autoptr (JsonBuilder) b = json_builder_new ();
      g_autofree char *text = NULL;

      json_builder_begin_array (b);
      for (guint i = 0; i < rounds->len; i++)
        {
          const KlSurveyRound *r = g_ptr_array_index (rounds, i);
          json_builder_begin_object (b);
          json_builder_set_member_name (b, "survey");
          json_builder_add_string_value (b, r->survey);
          json_builder_set_member_name (b, "date");
          json_builder_add_string_value (b, r->held_on);
          json_builder_set_member_name (b, "n");
          json_builder_add_int_value (b, r->n);
          add_double_or_null (b, "importance", r->importance);
          add_double_or_null (b, "ours", r->ours);
          add_double_or_null (b, "main_competitor", r->main);
          add_double_or_null (b, "relative", r->relative);
          add_double_or_null (b, "p", r->p);
          json_builder_set_member_name (b, "significance");
          json_builder_add_string_value (b, kl_significance_to_string (r->significance));
          json_builder_set_member_name (b, "position");
          if (r->position != KL_POSITION_NONE)
            json_builder_add_string_value (b, kl_survey_position_to_string (r->position));
          else
            json_builder_add_null_value (b);
          json_builder_set_member_name (b, "action");
          if (r->action != KL_ACTION_NONE)
            json_builder_add_string_value (b, kl_survey_action_to_string (r->action));
          else
            json_builder_add_null_value (b);
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
      text = to_json (b);
      g_string_append_printf (out, "%s\n", text);
    }
  else
    {
      for (guint i = 0; i < rounds->len; i++)
        {
          const KlSurveyRound *r = g_ptr_array_index (rounds, i);
          g_autofree char *imp = number (r->importance, 2, FALSE);
          g_autofree char *ours = number (r->ours, 2, FALSE);
          g_autofree char *theirs = number (r->main, 2, FALSE);
          g_autofree char *rel = number (r->relative, 2, TRUE);
          g_autofree char *n = g_strdup_printf ("%u", r->n);
          g_autofree char *rel_stars = g_strdup_printf ("%s%s", rel, kl_significance_to_string (r->significance));
          kl_cli_append_padded (out, r->held_on, 12);
          kl_cli_append_padded (out, r->survey, 24);
          kl_cli_append_padded (out, n, 5);
          kl_cli_append_padded (out, imp, 8);
          kl_cli_append_padded (out, ours, 8);
          kl_cli_append_padded (out, theirs, 8);
          kl_cli_append_padded (out, rel_stars, 10);
          g_string_append_printf (out, "%s\n", kl_survey_action_to_label (r->action));
        }
      if (rounds->len == 0)
        g_string_append_printf (out, "%s\n", _("No survey asked this attribute."));
    }
  kl_cli_print (out->str);
  return KL_EXIT_OK;
}

int
kl_cli_survey (KlCli *cli, int argc, char **argv)
{
  if (g_strcmp0 (argv[0], "compare") == 0)
    return run_compare (cli, argc, argv);
  if (g_strcmp0 (argv[0], "import") == 0)
    return run_import (cli, argc, argv);
  if (g_strcmp0 (argv[0], "list") == 0)
    return run_list (cli, argc, argv);
  if (g_strcmp0 (argv[0], "new") == 0)
    return run_new (cli, argc, argv);
  if (g_strcmp0 (argv[0], "report") == 0)
    return run_report (cli, argc, argv);
  return kl_cli_usage_error (cli, _("Unknown survey command “%s”"), argv[0]);
}
