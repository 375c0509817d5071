/* SPDX-License-Identifier: GPL-3.0-or-later */
/* keyline-cli analysis classes|standards: contribution classes and the
 * account × service-line standards of docs/analysis.md, as a table, CSV
 * or JSON (field names in docs/analysis.md, stable). */

#include "config.h"

#include <math.h>
#include <json-glib/json-glib.h>
#include <glib/gi18n.h>

#include "kl-analysis-data.h"
#include "kl-analysis-document.h"
#include "kl-cli.h"
#include "kl-cli-analysis.h"
#include "kl-customer-store.h"
#include "kl-enums.h"
#include "kl-period.h"

typedef enum {
  FORMAT_TABLE,
  FORMAT_CSV,
  FORMAT_JSON,
} Format;

static gboolean
parse_format (const char *text, Format *out)
{
  if (text == NULL || g_strcmp0 (text, "table") == 0)
    *out = FORMAT_TABLE;
  else if (g_strcmp0 (text, "csv") == 0)
    *out = FORMAT_CSV;
  else if (g_strcmp0 (text, "json") == 0)
    *out = FORMAT_JSON;
  else
    return FALSE;
  return TRUE;
}

static gboolean
parse_month (const char *text, int *year, int *month)
{
  g_autoptr (KlPeriod) period = NULL;

  if (text == NULL)
    return FALSE;
  period = kl_period_parse (text, NULL);
  if (period == NULL || kl_period_n_months (period) != 1)
    return FALSE;
  *year = kl_period_last_month (period) / 100;
  *month = kl_period_last_month (period) % 100;
  return TRUE;
}

static void
print_json (JsonBuilder *b)
{
  g_autoptr (JsonGenerator) gen = json_generator_new ();
  g_autoptr (JsonNode) root = json_builder_get_root (b);
  g_autofree char *text = NULL;

  json_generator_set_pretty (gen, TRUE);
  json_generator_set_root (gen, root);
  text = json_generator_to_data (gen, NULL);
  kl_cli_printf ("%s\n", text);
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

static void
add_tri (JsonBuilder *b, const char *name, KlTri v)
{
  json_builder_set_member_name (b, name);
  if (v == KL_TRI_UNKNOWN)
    json_builder_add_null_value (b);
  else
    json_builder_add_boolean_value (b, v == KL_TRI_TRUE);
}

static char *
percent (double fraction)
{
  if (isnan (fraction))
    return g_strdup ("—");
  return g_strdup_printf ("%.1f %%", round (fraction * 1000.0) / 10.0);
}

static char *
ratio_text (double fraction)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  if (isnan (fraction))
    return g_strdup ("");
  return g_strdup (g_ascii_dtostr (buf, sizeof buf, fraction));
}

static char *
period_label (const KlClassAnalysis *a)
{
  return g_strdup_printf ("%04d-%02d", a->year, a->month);
}

static void
print_basis_note (const KlClassAnalysis *a)
{
  if (a->basis == KL_BASIS_REVENUE && a->other_currency > 0)
    {
      g_autofree char *n = g_strdup_printf ("%" G_GINT64_FORMAT, a->other_currency);
      /* Translators: %s: a number of shipments, %s: the workspace currency */
      g_printerr (_("keyline-cli: %s shipments with revenue in another currency than %s were left out of revenue\n"),
                  n, a->currency);
    }
}

/* A contribution as JSON: an integer of minor units or shipments, or kg
 * (a number, like kpi.md's weight_kg) for the weight basis. */
static void
add_contribution (JsonBuilder *b, const KlClassAnalysis *a, gint64 v)
{
  json_builder_set_member_name (b, "contribution");
  if (a->basis == KL_BASIS_WEIGHT)
    json_builder_add_double_value (b, v / 1000.0);
  else
    json_builder_add_int_value (b, v);
}

static char *
contribution_csv (const KlClassAnalysis *a, gint64 v)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  if (a->basis == KL_BASIS_WEIGHT)
    return g_strdup (g_ascii_dtostr (buf, sizeof buf, v / 1000.0));
  return g_strdup_printf ("%" G_GINT64_FORMAT, v);
}

/* The accounts with a contribution, in class order. */
static void
build_classes_json (JsonBuilder *b, const KlClassAnalysis *a)
{
  g_autofree char *label = period_label (a);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "period");
  json_builder_add_string_value (b, label);
  json_builder_set_member_name (b, "basis");
  json_builder_add_string_value (b, kl_analysis_basis_to_string (a->basis));
  json_builder_set_member_name (b, "left_out_of_revenue");
  json_builder_add_int_value (b, a->basis == KL_BASIS_REVENUE ? a->other_currency : 0);
  json_builder_set_member_name (b, "accounts");
  json_builder_begin_array (b);
  for (guint i = 0; i < a->n_classed; i++)
    {
      const KlClassAccount *acc = &a->accounts[i];
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "code");
      json_builder_add_string_value (b, acc->code);
      add_contribution (b, a, acc->contribution);
      json_builder_set_member_name (b, "share");
      json_builder_add_double_value (b, acc->share);
      json_builder_set_member_name (b, "cumulative_share");
      json_builder_add_double_value (b, acc->cumulative_share);
      json_builder_set_member_name (b, "class");
      json_builder_add_string_value (b, kl_account_class_to_string (acc->klass));
      json_builder_set_member_name (b, "manual");
      json_builder_add_boolean_value (b, acc->manual != KL_ACCOUNT_CLASS_NONE);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_set_member_name (b, "service_lines");
  json_builder_begin_array (b);
  for (guint i = 0; i < a->n_line_classed; i++)
    {
      const KlClassLine *l = &a->lines[i];
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "mode");
      json_builder_add_string_value (b, kl_shipment_mode_to_string (l->mode));
      add_contribution (b, a, l->contribution);
      json_builder_set_member_name (b, "share");
      json_builder_add_double_value (b, l->share);
      json_builder_set_member_name (b, "class");
      json_builder_add_string_value (b, kl_line_class_to_string (l->klass));
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
}

static char *
contribution_text (const KlClassAnalysis *a, gint64 v)
{
  switch (a->basis)
    {
    case KL_BASIS_REVENUE:
      return g_strdup_printf ("%" G_GINT64_FORMAT ".%02d %s", v / 100, (int) (v % 100), a->currency);
    case KL_BASIS_WEIGHT:
      return g_strdup_printf ("%.1f kg", v / 1000.0);
    case KL_BASIS_SHIPMENTS:
    default:
      return g_strdup_printf ("%" G_GINT64_FORMAT, v);
    }
}

static int
run_classes (KlCli *cli, int argc, char **argv)
{
  g_autofree char *period_text = NULL;
  g_autofree char *basis_text = NULL;
  g_autofree char *format_text = NULL;
  const GOptionEntry entries[] = {
    { "period", 0, 0, G_OPTION_ARG_STRING, &period_text, N_("The last month of the twelve (YYYY-MM)"), N_("YYYY-MM") },
    { "basis", 0, 0, G_OPTION_ARG_STRING, &basis_text, N_("revenue, shipments or weight (default: revenue when at least 90 percent of shipments carry it)"), N_("BASIS") },
    { "format", 0, 0, G_OPTION_ARG_STRING, &format_text, N_("table (default), csv or json"), N_("FORMAT") },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr (GOptionContext) context = NULL;
  g_autoptr (KlDatabase) db = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (KlClassAnalysis) a = NULL;
  KlAnalysisBasis basis;
  Format format;
  int year, month, status = KL_EXIT_OK;

  context = kl_cli_option_context (cli, NULL,
                                   _("A–D account classes and I–V service-line classes over the twelve months "
                                     "ending with --period. JSON: {\"period\", \"basis\", \"accounts\": [{\"code\", "
                                     "\"contribution\", \"share\", \"cumulative_share\", \"class\", \"manual\"}], "
                                     "\"service_lines\": [{\"mode\", \"contribution\", \"share\", \"class\"}]}; "
                                     "contributions in minor units, shipments or kg."),
                                   entries);
  if (!kl_cli_parse (cli, context, &argc, &argv))
    return KL_EXIT_USAGE;
  if (argc > 1)
    return kl_cli_usage_error (cli, _("Unexpected argument “%s”"), argv[1]);
  if (!parse_month (period_text, &year, &month))
    return kl_cli_usage_error (cli, _("--period must be a month, YYYY-MM (got “%s”)"),
                               period_text ? period_text : "");
  if (basis_text != NULL && !kl_analysis_basis_parse (basis_text, &basis))
    return kl_cli_usage_error (cli, _("--basis must be revenue, shipments or weight, not “%s”"), basis_text);
  if (!parse_format (format_text, &format))
    return kl_cli_usage_error (cli, _("--format must be table, csv or json, not “%s”"), format_text);

  db = kl_cli_open_workspace (cli, FALSE, &status);
  if (db == NULL)
    return status;
  a = kl_analysis_load (db, year, month, basis_text ? &basis : NULL, &error);
  if (a == NULL)
    return kl_cli_fail (error, db, FALSE);
  print_basis_note (a);

  if (format == FORMAT_JSON)
    {
      g_autoptr (JsonBuilder) b = json_builder_new ();
      build_classes_json (b, a);
      print_json (b);
    }
  else if (format == FORMAT_CSV)
    {
      g_autoptr (GString) out = g_string_new ("kind,code,contribution,share,cumulative_share,class,manual\n");
      for (guint i = 0; i < a->n_classed; i++)
        {
          const KlClassAccount *acc = &a->accounts[i];
          g_autofree char *share = ratio_text (acc->share);
          g_autofree char *cumulative = ratio_text (acc->cumulative_share);
          g_autofree char *contribution = contribution_csv (a, acc->contribution);
          g_string_append (out, "account,");
          kl_cli_append_csv_field (out, acc->code);
          g_string_append_printf (out, ",%s,%s,%s,%s,%s\n", contribution, share,
                                  cumulative, kl_account_class_to_string (acc->klass),
                                  acc->manual != KL_ACCOUNT_CLASS_NONE ? "true" : "false");
        }
      for (guint i = 0; i < a->n_line_classed; i++)
        {
          g_autofree char *share = ratio_text (a->lines[i].share);
          g_autofree char *contribution = contribution_csv (a, a->lines[i].contribution);
          g_string_append_printf (out, "service_line,%s,%s,%s,,%s,\n",
                                  kl_shipment_mode_to_string (a->lines[i].mode), contribution,
                                  share, kl_line_class_to_string (a->lines[i].klass));
        }
      kl_cli_print (out->str);
    }
  else
    {
      g_autoptr (GString) out = g_string_new (NULL);
      g_string_append_printf (out, _("Twelve months to %04d-%02d, basis: %s\n\n"), year, month,
                              kl_analysis_basis_to_string (a->basis));
      kl_cli_append_padded (out, _("Class"), 8);
      kl_cli_append_padded (out, _("Code"), 14);
      kl_cli_append_padded (out, _("Contribution"), 22);
      kl_cli_append_padded (out, _("Share"), 10);
      g_string_append_printf (out, "%s\n", _("Cumulative"));
      for (guint i = 0; i < a->n_classed; i++)
        {
          const KlClassAccount *acc = &a->accounts[i];
          g_autofree char *klass = g_strdup_printf ("%s%s", kl_account_class_to_string (acc->klass),
                                                    acc->manual != KL_ACCOUNT_CLASS_NONE ? _(" (manual)") : "");
          g_autofree char *contribution = contribution_text (a, acc->contribution);
          g_autofree char *share = percent (acc->share);
          g_autofree char *cumulative = percent (acc->cumulative_share);
          kl_cli_append_padded (out, klass, 8);
          kl_cli_append_padded (out, acc->code, 14);
          kl_cli_append_padded (out, contribution, 22);
          kl_cli_append_padded (out, share, 10);
          g_string_append_printf (out, "%s\n", cumulative);
        }
      g_string_append_printf (out, "\n%s\n", _("Service lines:"));
      for (guint i = 0; i < a->n_line_classed; i++)
        {
          g_autofree char *contribution = contribution_text (a, a->lines[i].contribution);
          g_autofree char *share = percent (a->lines[i].share);
          kl_cli_append_padded (out, kl_line_class_to_string (a->lines[i].klass), 8);
          kl_cli_append_padded (out, kl_shipment_mode_to_label (a->lines[i].mode), 28);
          kl_cli_append_padded (out, contribution, 22);
          g_string_append_printf (out, "%s\n", share);
        }
      kl_cli_print (out->str);
    }
  return KL_EXIT_OK;
}

static void
build_standards_json (JsonBuilder *b, const KlClassAnalysis *a, GArray *rows, const char *customer_code)
{
  g_autofree char *label = period_label (a);
  guint counts[KL_N_ACCOUNT_CLASSES][KL_N_LINE_CLASSES];

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "period");
  json_builder_add_string_value (b, label);
  json_builder_set_member_name (b, "basis");
  json_builder_add_string_value (b, kl_analysis_basis_to_string (a->basis));
  json_builder_set_member_name (b, "customer");
  if (customer_code)
    json_builder_add_string_value (b, customer_code);
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "matrix");
  json_builder_begin_array (b);
  kl_analysis_matrix_counts (a, counts);
  for (int r = 0; r < KL_N_ACCOUNT_CLASSES; r++)
    for (int c = 0; c < KL_N_LINE_CLASSES; c++)
      {
        json_builder_begin_object (b);
        json_builder_set_member_name (b, "account_class");
        json_builder_add_string_value (b, kl_account_class_to_string (KL_ACCOUNT_CLASS_A + r));
        json_builder_set_member_name (b, "line_class");
        json_builder_add_string_value (b, kl_line_class_to_string (KL_LINE_CLASS_I + c));
        json_builder_set_member_name (b, "priority");
        json_builder_add_int_value (b, a->matrix.priority[r][c]);
        json_builder_set_member_name (b, "accounts");
        json_builder_add_int_value (b, counts[r][c]);
        json_builder_end_object (b);
      }
  json_builder_end_array (b);
  json_builder_set_member_name (b, "rows");
  json_builder_begin_array (b);
  for (guint i = 0; i < rows->len; i++)
    {
      const KlAnalysisStandard *s = &g_array_index (rows, KlAnalysisStandard, i);
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "code");
      json_builder_add_string_value (b, s->customer->code);
      json_builder_set_member_name (b, "mode");
      json_builder_add_string_value (b, kl_shipment_mode_to_string (s->mode));
      json_builder_set_member_name (b, "account_class");
      json_builder_add_string_value (b, kl_account_class_to_string (s->row.account_class));
      json_builder_set_member_name (b, "line_class");
      json_builder_add_string_value (b, kl_line_class_to_string (s->row.line_class));
      json_builder_set_member_name (b, "priority");
      if (s->row.priority > 0)
        json_builder_add_int_value (b, s->row.priority);
      else
        json_builder_add_null_value (b);
      add_double_or_null (b, "target_on_time", s->row.target_on_time);
      json_builder_set_member_name (b, "lead_days");
      if (s->row.lead_days >= 0)
        json_builder_add_int_value (b, s->row.lead_days);
      else
        json_builder_add_null_value (b);
      json_builder_set_member_name (b, "shipments");
      json_builder_add_int_value (b, s->row.shipments);
      json_builder_set_member_name (b, "delivered");
      json_builder_add_int_value (b, s->row.delivered);
      add_double_or_null (b, "arrival_on_time_rate", s->row.on_time);
      add_double_or_null (b, "within_lead_time_rate", s->row.within_lead);
      add_tri (b, "on_time_met", s->row.on_time_met);
      add_tri (b, "lead_time_met", s->row.lead_met);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
}

static const char *
met_text (KlTri v)
{
  return v == KL_TRI_UNKNOWN ? "—" : v == KL_TRI_TRUE ? _("met") : _("missed");
}

static int
run_standards (KlCli *cli, int argc, char **argv)
{
  g_autofree char *period_text = NULL;
  g_autofree char *customer_code = NULL;
  g_autofree char *format_text = NULL;
  g_autofree char *output = NULL;
  g_autofree char *paper_text = NULL;
  g_autofree char *language = NULL;
  const GOptionEntry entries[] = {
    { "period", 0, 0, G_OPTION_ARG_STRING, &period_text, N_("The last month of the twelve (YYYY-MM)"), N_("YYYY-MM") },
    { "customer", 0, 0, G_OPTION_ARG_STRING, &customer_code, N_("Only this customer’s lines"), N_("CODE") },
    { "format", 0, 0, G_OPTION_ARG_STRING, &format_text, N_("table (default), csv, json or pdf (with -o)"), N_("FORMAT") },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, N_("Write to FILE instead of stdout"), N_("FILE") },
    { "paper", 0, 0, G_OPTION_ARG_STRING, &paper_text, N_("a4 (default) or letter, for pdf"), N_("PAPER") },
    { "language", 0, 0, G_OPTION_ARG_STRING, &language, N_("en or zh_CN, for pdf (default: the customer’s report language, else en)"), N_("LANGUAGE") },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr (GOptionContext) context = NULL;
  g_autoptr (KlDatabase) db = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (KlClassAnalysis) a = NULL;
  g_autoptr (GArray) rows = NULL;
  g_autoptr (KlCustomer) customer = NULL;
  Format format = FORMAT_TABLE;
  int year, month, status = KL_EXIT_OK;

  context = kl_cli_option_context (cli, NULL,
                                   _("Each account × service line with shipments in the twelve months ending with "
                                     "--period: its priority, the standard, the actual arrival on-time rate and "
                                     "share within the lead time, and whether each meets the standard. JSON: "
                                     "{\"period\", \"basis\", \"customer\", \"matrix\": [{\"account_class\", "
                                     "\"line_class\", \"priority\", \"accounts\"}], \"rows\": [{\"code\", \"mode\", "
                                     "\"account_class\", \"line_class\", \"priority\", \"target_on_time\", "
                                     "\"lead_days\", \"shipments\", \"delivered\", \"arrival_on_time_rate\", "
                                     "\"within_lead_time_rate\", \"on_time_met\", \"lead_time_met\"}]}."),
                                   entries);
  if (!kl_cli_parse (cli, context, &argc, &argv))
    return KL_EXIT_USAGE;
  if (argc > 1)
    return kl_cli_usage_error (cli, _("Unexpected argument “%s”"), argv[1]);
  if (!parse_month (period_text, &year, &month))
    return kl_cli_usage_error (cli, _("--period must be a month, YYYY-MM (got “%s”)"),
                               period_text ? period_text : "");
  if (g_strcmp0 (format_text, "pdf") == 0 && output == NULL)
    return kl_cli_usage_error (cli, _("--format pdf needs -o FILE"));
  if (paper_text != NULL && g_ascii_strcasecmp (paper_text, "a4") != 0 && g_ascii_strcasecmp (paper_text, "letter") != 0)
    return kl_cli_usage_error (cli, _("--paper must be a4 or letter, not “%s”"), paper_text);
  if (g_strcmp0 (format_text, "pdf") != 0 && !parse_format (format_text, &format))
    return kl_cli_usage_error (cli, _("--format must be table, csv or json, not “%s”"), format_text);

  db = kl_cli_open_workspace (cli, FALSE, &status);
  if (db == NULL)
    return status;
  if (customer_code != NULL)
    {
      customer = kl_customer_store_get_by_code (db, customer_code, &error);
      if (customer == NULL)
        return kl_cli_fail (error, db, FALSE);
    }
  a = kl_analysis_load (db, year, month, NULL, &error);
  if (a == NULL)
    return kl_cli_fail (error, db, FALSE);
  rows = kl_analysis_standards (a, customer ? customer->id : NULL);
  if (g_strcmp0 (format_text, "pdf") == 0)
    {
      KlPaperSize paper = paper_text && g_ascii_strcasecmp (paper_text, "letter") == 0 ? KL_PAPER_LETTER : KL_PAPER_A4;
      const char *lang = language ? language : customer ? customer->report_language : "en";
      if (!kl_standards_document_write_pdf (a, customer ? customer->id : NULL, lang, paper, output, &error))
        {
          kl_cli_error ("%s", error->message);
          return KL_EXIT_CANTCREAT;
        }
      return KL_EXIT_OK;
    }

  {
    g_autoptr (GString) out = g_string_new (NULL);

    if (format == FORMAT_JSON)
      {
        g_autoptr (JsonBuilder) b = json_builder_new ();
        g_autoptr (JsonGenerator) gen = json_generator_new ();
        g_autoptr (JsonNode) root = NULL;
        g_autofree char *text = NULL;

        build_standards_json (b, a, rows, customer_code);
        root = json_builder_get_root (b);
        json_generator_set_pretty (gen, TRUE);
        json_generator_set_root (gen, root);
        text = json_generator_to_data (gen, NULL);
        g_string_append_printf (out, "%s\n", text);
      }
    else if (format == FORMAT_CSV)
      {
        g_string_append (out, "code,mode,account_class,line_class,priority,target_on_time,lead_days,shipments,"
                              "delivered,arrival_on_time_rate,within_lead_time_rate,on_time_met,lead_time_met\n");
        for (guint i = 0; i < rows->len; i++)
          {
            const KlAnalysisStandard *s = &g_array_index (rows, KlAnalysisStandard, i);
            g_autofree char *target = ratio_text (s->row.target_on_time);
            g_autofree char *on_time = ratio_text (s->row.on_time);
            g_autofree char *within = ratio_text (s->row.within_lead);
            g_autofree char *priority = s->row.priority > 0 ? g_strdup_printf ("%d", s->row.priority) : g_strdup ("");
            g_autofree char *lead = s->row.lead_days >= 0 ? g_strdup_printf ("%d", s->row.lead_days) : g_strdup ("");
            kl_cli_append_csv_field (out, s->customer->code);
            g_string_append_printf (out, ",%s,%s,%s,%s,%s,%s,%" G_GINT64_FORMAT ",%" G_GINT64_FORMAT ",%s,%s,%s,%s\n",
                                    kl_shipment_mode_to_string (s->mode),
                                    kl_account_class_to_string (s->row.account_class),
                                    kl_line_class_to_string (s->row.line_class), priority, target, lead,
                                    s->row.shipments, s->row.delivered, on_time, within,
                                    s->row.on_time_met == KL_TRI_UNKNOWN ? "" : s->row.on_time_met ? "true" : "false",
                                    s->row.lead_met == KL_TRI_UNKNOWN ? "" : s->row.lead_met ? "true" : "false");
          }
      }
    else
      {
        g_string_append_printf (out, _("Service standards, twelve months to %04d-%02d\n\n"), year, month);
        kl_cli_append_padded (out, _("Code"), 12);
        kl_cli_append_padded (out, _("Line"), 10);
        kl_cli_append_padded (out, _("Class"), 8);
        kl_cli_append_padded (out, _("Priority"), 10);
        kl_cli_append_padded (out, _("Standard"), 16);
        kl_cli_append_padded (out, _("On time"), 18);
        g_string_append_printf (out, "%s\n", _("Within lead time"));
        for (guint i = 0; i < rows->len; i++)
          {
            const KlAnalysisStandard *s = &g_array_index (rows, KlAnalysisStandard, i);
            g_autofree char *klass = g_strdup_printf ("%s×%s", kl_account_class_to_string (s->row.account_class),
                                                      kl_line_class_to_string (s->row.line_class));
            g_autofree char *priority = s->row.priority > 0 ? g_strdup_printf ("%d", s->row.priority) : g_strdup ("—");
            g_autofree char *target = percent (s->row.target_on_time);
            g_autofree char *standard = s->row.lead_days >= 0
              ? g_strdup_printf (_("%s, %d d"), target, s->row.lead_days) : g_strdup ("—");
            g_autofree char *on_time_p = percent (s->row.on_time);
            g_autofree char *within_p = percent (s->row.within_lead);
            g_autofree char *on_time = g_strdup_printf ("%s %s", on_time_p, met_text (s->row.on_time_met));
            g_autofree char *within = g_strdup_printf ("%s %s", within_p, met_text (s->row.lead_met));
            kl_cli_append_padded (out, s->customer->code, 12);
            kl_cli_append_padded (out, kl_shipment_mode_to_string (s->mode), 10);
            kl_cli_append_padded (out, klass, 8);
            kl_cli_append_padded (out, priority, 10);
            kl_cli_append_padded (out, standard, 16);
            kl_cli_append_padded (out, on_time, 18);
            g_string_append_printf (out, "%s\n", within);
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
  }
  return KL_EXIT_OK;
}

int
kl_cli_analysis (KlCli *cli, int argc, char **argv)
{
  if (g_strcmp0 (argv[0], "classes") == 0)
    return run_classes (cli, argc, argv);
  if (g_strcmp0 (argv[0], "standards") == 0)
    return run_standards (cli, argc, argv);
  if (g_strcmp0 (argv[0], "lost") == 0)
    return kl_cli_analysis_lost (cli, argc, argv);
  return kl_cli_usage_error (cli, _("Unknown analysis command “%s”"), argv[0]);
}
