/* SPDX-License-Identifier: GPL-3.0-or-later */
/* keyline-cli report: a customer's or the portfolio's report of a period as
 * PDF, JSON (docs/kpi.md), CSV, an Excel workbook, or the report's pages
 * as PNG or SVG;
 * --all writes every active customer's PDF into a folder. */

#include "config.h"

#include <errno.h>
#include <string.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "kl-cli.h"
#include "kl-customer-store.h"
#include "kl-report-model.h"
#include "kl-report-json.h"
#include "kl-report-csv.h"
#include "kl-report-job.h"
#include "kl-xlsx-export.h"
#include "kl-cli-xlsx.h"
#include "kl-cli-email.h"
#include "kl-email-message.h"

typedef enum {
  FORMAT_PDF,
  FORMAT_JSON,
  FORMAT_CSV,
  FORMAT_PNG,
  FORMAT_SVG,
  FORMAT_XLSX,
} Format;

static const char * const format_names[] = { "pdf", "json", "csv", "png", "svg", "xlsx" };

static gboolean
parse_format (const char *text,
              Format     *out)
{
  for (guint i = 0; i < G_N_ELEMENTS (format_names); i++)
    if (g_ascii_strcasecmp (text, format_names[i]) == 0)
      {
        *out = (Format) i;
        return TRUE;
      }
  return FALSE;
}

/* Without --format: the extension of -o, else JSON (text on stdout). */
static Format
guess_format (const char *output)
{
  const char *dot = output != NULL ? strrchr (output, '.') : NULL;
  Format format = FORMAT_JSON;

  if (dot != NULL && strchr (dot, G_DIR_SEPARATOR) == NULL && parse_format (dot + 1, &format))
    return format;
  return output != NULL ? FORMAT_PDF : FORMAT_JSON;
}

#define SETTINGS_SCHEMA "io.github.keyline.Keyline"

/* The letterhead, paper and portfolio language from Preferences when the
 * application's schema is installed (keyline-cli also runs where it is
 * not); else A4 without letterhead, the portfolio in English. */
static void
load_options (KlReportOptions *options)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;
  g_autoptr(GSettings) settings = NULL;
  g_autofree char *company = NULL;
  g_autofree char *logo = NULL;

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, SETTINGS_SCHEMA, TRUE);
  if (schema == NULL)
    return;

  settings = g_settings_new (SETTINGS_SCHEMA);
  options->paper = g_settings_get_enum (settings, "report-paper-size") == 1 ? KL_PAPER_LETTER : KL_PAPER_A4;
  company = g_settings_get_string (settings, "company-name");
  logo = g_settings_get_string (settings, "letterhead-logo");
  if (company != NULL && *company != '\0')
    options->company_name = g_steal_pointer (&company);
  if (logo != NULL && *logo != '\0')
    options->logo_path = g_steal_pointer (&logo);
  /* The portfolio has no customer language; it speaks the one new
   * customers get. */
  options->portfolio_language = g_strdup (g_settings_get_enum (settings, "report-language") == 1 ? "en" : "zh_CN");
}

static int
report_status (const GError *error,
               KlDatabase   *db,
               gboolean      writing)
{
  if (error->domain == KL_REPORT_ERROR)
    return error->code == KL_REPORT_ERROR_BAD_PERIOD ? KL_EXIT_USAGE : KL_EXIT_DATAERR;
  if (error->domain == KL_EMAIL_ERROR)
    return KL_EXIT_USAGE;
  if (error->domain == KL_REPORT_DOCUMENT_ERROR || error->domain == KL_XLSX_ERROR)
    return KL_EXIT_CANTCREAT;
  return kl_cli_status_for_error (error, db, writing);
}

static int
fail (const GError *error,
      KlDatabase   *db,
      gboolean      writing)
{
  kl_cli_error ("%s", error->message);
  return report_status (error, db, writing);
}

static gboolean
write_text (const char  *text,
            const char  *output,
            GError     **error)
{
  if (output == NULL || g_strcmp0 (output, "-") == 0)
    {
      kl_cli_print (text);
      return TRUE;
    }
  if (!g_file_set_contents (output, text, -1, error))
    return FALSE;
  return TRUE;
}

typedef struct {
  const KlReportModel *model;
  const char          *language;
} XlsxRequest;

static gboolean
write_xlsx (const char  *path,
            gpointer     data,
            GError     **error)
{
  const XlsxRequest *request = data;

  return kl_xlsx_write_report (request->model, request->language, path, error);
}

static gboolean
write_pages (KlReportDocument  *document,
             Format             format,
             const char        *output,
             GError           **error)
{
  int n_pages = kl_report_document_get_n_pages (document);

  for (int page = 0; page < n_pages; page++)
    {
      g_autofree char *path = kl_report_document_page_path (output, page, n_pages);
      gboolean ok;

      if (format == FORMAT_PNG)
        ok = kl_report_document_write_png (document, path, page, 150.0, error);
      else
        ok = kl_report_document_write_svg (document, path, page, error);
      if (!ok)
        return FALSE;
    }
  return TRUE;
}

static gboolean
write_report (const KlReportModel     *model,
              const KlReportOptions   *options,
              Format                   format,
              const char              *output,
              GError                 **error)
{
  g_autoptr(KlReportDocument) document = NULL;

  switch (format)
    {
    case FORMAT_JSON:
      {
        g_autofree char *json = kl_report_to_json (model);
        return write_text (json, output, error);
      }
    case FORMAT_CSV:
      {
        g_autofree char *csv = kl_report_to_csv (model);
        return write_text (csv, output, error);
      }
    case FORMAT_XLSX:
      {
        XlsxRequest request = { model, kl_report_options_get_language (options, model) };

        return kl_cli_xlsx_write (output, write_xlsx, &request, error);
      }
    case FORMAT_PDF:
    case FORMAT_PNG:
    case FORMAT_SVG:
    default:
      document = kl_report_make_document (model, options, NULL);
      if (format == FORMAT_PDF)
        return kl_report_document_write_pdf (document, output, error);
      return write_pages (document, format, output, error);
    }
}

/* Every active customer's report into dir, one CODE-PERIOD.pdf each. */
static int
write_all (KlDatabase              *db,
           const KlPeriod          *period,
           const KlReportOptions   *options,
           const char              *dir)
{
  KlCustomerFilter filter = KL_CUSTOMER_FILTER_INIT;
  g_autoptr(GPtrArray) customers = g_ptr_array_new_with_free_func ((GDestroyNotify) kl_customer_free);
  g_autoptr(KlCliProgress) progress = NULL;
  g_autoptr(GError) error = NULL;
  guint written = 0;

  /* Active and at-risk accounts are the ones a KAM still reports to. */
  for (int status = KL_CUSTOMER_STATUS_ACTIVE; status <= KL_CUSTOMER_STATUS_AT_RISK; status++)
    {
      g_autoptr(GPtrArray) some = NULL;

      filter.status = status;
      some = kl_customer_store_list (db, &filter, 0, -1, &error);
      if (some == NULL)
        return fail (error, db, FALSE);
      for (guint i = 0; i < some->len; i++)
        g_ptr_array_add (customers, g_steal_pointer (&some->pdata[i]));
    }

  if (g_mkdir_with_parents (dir, 0755) != 0)
    {
      int saved = errno;

      kl_cli_error (_("Cannot create the folder “%s”: %s"), dir, g_strerror (saved));
      return KL_EXIT_CANTCREAT;
    }

  progress = kl_cli_progress_new (_("Writing reports"));
  for (guint i = 0; i < customers->len; i++)
    {
      const KlCustomer *customer = g_ptr_array_index (customers, i);
      g_autoptr(KlReportModel) model = NULL;
      g_autofree char *name = NULL;
      g_autofree char *path = NULL;

      model = kl_report_build (db, customer->code, period, &error);
      if (model == NULL)
        return fail (error, db, FALSE);
      name = kl_report_file_name (model, "pdf");
      path = g_build_filename (dir, name, NULL);
      if (!write_report (model, options, FORMAT_PDF, path, &error))
        return fail (error, db, TRUE);
      written++;
      kl_cli_progress_update ((double) (i + 1) / customers->len, progress);
    }
  g_clear_pointer (&progress, kl_cli_progress_free);

  kl_cli_printf (g_dngettext (GETTEXT_PACKAGE, "%u report written to %s\n", "%u reports written to %s\n", written),
                 written, dir);
  return KL_EXIT_OK;
}

int
kl_cli_report (KlCli  *cli,
               int     argc,
               char  **argv)
{
  g_autofree char *customer = NULL;
  g_autofree char *period_text = NULL;
  g_autofree char *format_text = NULL;
  g_autofree char *output = NULL;
  g_autofree char *language = NULL;
  gboolean portfolio = FALSE;
  gboolean all = FALSE;
  gboolean email = FALSE;
  const GOptionEntry entries[] = {
    { "customer", 0, 0, G_OPTION_ARG_STRING, &customer, N_("The customer’s report"), N_("CODE") },
    { "portfolio", 0, 0, G_OPTION_ARG_NONE, &portfolio, N_("The report of every customer together"), NULL },
    { "all", 0, 0, G_OPTION_ARG_NONE, &all, N_("One PDF per active customer into the folder given with -o"), NULL },
    { "period", 0, 0, G_OPTION_ARG_STRING, &period_text, N_("The period: 2026-10, 2026-Q3 or 2026"), N_("PERIOD") },
    { "format", 0, 0, G_OPTION_ARG_STRING, &format_text, N_("pdf, json, csv, xlsx, png or svg (default: from the output’s extension, else json)"), N_("FORMAT") },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, N_("The file (a folder with --all); text formats go to stdout without it"), N_("FILE") },
    { "language", 0, 0, G_OPTION_ARG_STRING, &language, N_("The report’s language, zh_CN or en (default: the customer’s)"), N_("LANG") },
    { "email", 0, 0, G_OPTION_ARG_NONE, &email, N_("Open the customer’s PDF in your mail program, addressed to the primary contact"), NULL },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(KlDatabase) db = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(KlPeriod) period = NULL;
  g_autoptr(KlReportModel) model = NULL;
  KlReportOptions options = KL_REPORT_OPTIONS_INIT;
  Format format = FORMAT_JSON;
  int status = KL_EXIT_OK;
  int chosen;

  context = kl_cli_option_context (cli, NULL,
                                   _("Write the service report of a customer (--customer) or of the whole portfolio "
                                     "(--portfolio) for a month, quarter or year, with every figure of a service report "
                                     "(Keyline’s documentation, kpi.md, defines each); "
                                     "--all writes every active customer’s PDF into a folder; --email opens a customer’s PDF "
                                     "in your mail program."),
                                   entries);
  if (!kl_cli_parse (cli, context, &argc, &argv))
    return KL_EXIT_USAGE;
  if (argc > 1)
    return kl_cli_usage_error (cli, _("Unexpected argument “%s”"), argv[1]);

  chosen = (customer != NULL) + (portfolio ? 1 : 0) + (all ? 1 : 0);
  if (chosen != 1)
    return kl_cli_usage_error (cli, _("Give exactly one of --customer CODE, --portfolio or --all"));
  if (period_text == NULL)
    return kl_cli_usage_error (cli, _("Give the period with --period, as 2026-10, 2026-Q3 or 2026"));
  period = kl_period_parse (period_text, &error);
  if (period == NULL)
    return kl_cli_usage_error (cli, "%s", error->message);
  if (format_text != NULL && !parse_format (format_text, &format))
    return kl_cli_usage_error (cli, _("Unknown format “%s”; use pdf, json, csv, xlsx, png or svg"), format_text);
  if (email && customer == NULL)
    return kl_cli_usage_error (cli, _("--email sends a customer’s report: give --customer CODE, not --portfolio or --all"));
  if (email && output != NULL)
    return kl_cli_usage_error (cli, _("--email writes the PDF into your cache folder: leave out -o"));
  if (format_text == NULL)
    format = all || email ? FORMAT_PDF : guess_format (output);
  if (email && format != FORMAT_PDF)
    return kl_cli_usage_error (cli, _("--email attaches a PDF: leave out --format %s"), format_text);
  if (language != NULL && g_strcmp0 (language, "zh_CN") != 0 && g_strcmp0 (language, "en") != 0)
    return kl_cli_usage_error (cli, _("Unknown report language “%s”; use zh_CN or en"), language);
  if (all && format != FORMAT_PDF)
    return kl_cli_usage_error (cli, _("--all writes PDF files only"));
  if (all && output == NULL)
    return kl_cli_usage_error (cli, _("--all needs the folder to write into, with -o DIR"));
  if (!all && !email && output == NULL && (format == FORMAT_PDF || format == FORMAT_PNG || format == FORMAT_SVG))
    return kl_cli_usage_error (cli, _("A %s report needs a file to write, with -o FILE"), format_names[format]);
  if (format == FORMAT_XLSX && !kl_cli_xlsx_check_output (cli, output))
    return KL_EXIT_USAGE;

  db = kl_cli_open_workspace (cli, FALSE, &status);
  if (db == NULL)
    return status;

  load_options (&options);
  /* Every document is laid out, written and freed right here. */
  options.thread_fonts = TRUE;
  if (language != NULL)
    {
      g_free (options.language);
      options.language = g_strdup (language);
    }

  if (all)
    status = write_all (db, period, &options, output);
  else if (email)
    {
      status = kl_cli_report_email (db, customer, period, &options, &error);
      if (status < 0)
        status = fail (error, db, TRUE);
    }
  else
    {
      model = kl_report_build (db, portfolio ? NULL : customer, period, &error);
      if (model == NULL)
        status = fail (error, db, FALSE);
      else if (!write_report (model, &options, format, output, &error))
        status = fail (error, db, TRUE);
    }
  kl_report_options_clear (&options);
  return status;
}
