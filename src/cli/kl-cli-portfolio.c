/* SPDX-License-Identifier: GPL-3.0-or-later */
/* keyline-cli portfolio: the Portfolio list ("who is slipping?") of a
 * month, every account ranked as the window's Portfolio page ranks it, as
 * a table, JSON or an Excel workbook. */

#include "config.h"

#include <math.h>
#include <json-glib/json-glib.h>
#include <glib/gi18n.h>

#include "kl-cli.h"
#include "kl-cli-xlsx.h"
#include "kl-period.h"
#include "kl-portfolio.h"
#include "kl-report-language.h"
#include "kl-xlsx-export.h"

static void
add_number_or_null (JsonBuilder *b, const char *name, double value)
{
  json_builder_set_member_name (b, name);
  if (isnan (value))
    json_builder_add_null_value (b);
  else
    json_builder_add_double_value (b, value);
}

static char *
rows_to_json (GPtrArray *rows)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;

  json_builder_begin_array (b);
  for (guint r = 0; r < rows->len; r++)
    {
      const KlPortfolioRow *row = g_ptr_array_index (rows, r);
      g_autofree char *month = kl_month_to_label (row->month);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "rank");
      json_builder_add_int_value (b, row->rank);
      json_builder_set_member_name (b, "code");
      json_builder_add_string_value (b, row->code);
      json_builder_set_member_name (b, "name");
      json_builder_add_string_value (b, row->name);
      json_builder_set_member_name (b, "region");
      if (row->region != NULL)
        json_builder_add_string_value (b, row->region);
      else
        json_builder_add_null_value (b);
      json_builder_set_member_name (b, "abc_class");
      if (row->abc_class != KL_ABC_NONE)
        json_builder_add_string_value (b, kl_abc_class_to_string (row->abc_class));
      else
        json_builder_add_null_value (b);
      json_builder_set_member_name (b, "status");
      json_builder_add_string_value (b, kl_customer_status_to_string (row->status));
      json_builder_set_member_name (b, "month");
      json_builder_add_string_value (b, month);
      json_builder_set_member_name (b, "shipments");
      json_builder_add_int_value (b, row->figures.shipments);
      add_number_or_null (b, "volume_trend", row->volume_trend);
      json_builder_set_member_name (b, "sla_misses");
      json_builder_add_int_value (b, row->sla_misses);
      json_builder_set_member_name (b, "sla_targets");
      json_builder_add_int_value (b, row->sla_targets);
      json_builder_set_member_name (b, "rates");
      json_builder_begin_object (b);
      for (guint i = 0; i < KL_N_RATES; i++)
        add_number_or_null (b, kl_rate_to_key (i), row->figures.rates[i]);
      json_builder_end_object (b);
      json_builder_set_member_name (b, "open_claims");
      json_builder_add_int_value (b, row->open_claims);
      json_builder_set_member_name (b, "overdue_claims");
      json_builder_add_int_value (b, row->overdue_claims);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  root = json_builder_get_root (b);
  json_generator_set_root (gen, root);
  json_generator_set_pretty (gen, TRUE);
  json_generator_set_indent (gen, 2);
  text = json_generator_to_data (gen, NULL);
  return g_strconcat (text, "\n", NULL);
}

static char *
rows_to_table (GPtrArray *rows)
{
  g_autoptr(GString) out = g_string_new (NULL);
  const char *headers[] = { "#", _("Code"), _("Customer"), _("Class"), _("Shipments"), _("SLA misses"),
                            _("Open claims"), _("Overdue claims") };
  const guint widths[] = { 5, 10, 30, 7, 11, 12, 13, 0 };

  for (guint h = 0; h < G_N_ELEMENTS (headers); h++)
    kl_cli_append_padded (out, headers[h], widths[h]);
  g_string_append_c (out, '\n');
  for (guint r = 0; r < rows->len; r++)
    {
      const KlPortfolioRow *row = g_ptr_array_index (rows, r);
      g_autofree char *rank = g_strdup_printf ("%u", row->rank);
      g_autofree char *shipments = g_strdup_printf ("%" G_GINT64_FORMAT, row->figures.shipments);
      g_autofree char *misses = g_strdup_printf ("%u/%u", row->sla_misses, row->sla_targets);
      g_autofree char *open = g_strdup_printf ("%u", row->open_claims);
      g_autofree char *overdue = g_strdup_printf ("%u", row->overdue_claims);
      const char *cells[] = { rank, row->code, row->name,
                              row->abc_class != KL_ABC_NONE ? kl_abc_class_to_string (row->abc_class) : "",
                              shipments, misses, open, overdue };

      for (guint c = 0; c < G_N_ELEMENTS (cells); c++)
        kl_cli_append_padded (out, cells[c], widths[c]);
      g_string_append_c (out, '\n');
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static gboolean
write_portfolio_xlsx (const char  *path,
                      gpointer     data,
                      GError     **error)
{
  return kl_xlsx_write_portfolio (data, kl_report_language_of_interface (), path, error);
}

int
kl_cli_portfolio (KlCli  *cli,
                  int     argc,
                  char  **argv)
{
  g_autofree char *month_text = NULL;
  g_autofree char *format_text = NULL;
  g_autofree char *output = NULL;
  const GOptionEntry entries[] = {
    { "month", 0, 0, G_OPTION_ARG_STRING, &month_text, N_("The month, as 2026-10 (default: the last month that has ended)"), N_("MONTH") },
    { "format", 0, 0, G_OPTION_ARG_STRING, &format_text, N_("table (default), json or xlsx (an Excel workbook)"), N_("FORMAT") },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, N_("Write to FILE instead of stdout"), N_("FILE") },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(KlDatabase) db = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autofree char *text = NULL;
  int month = 0;
  int status = KL_EXIT_OK;

  context = kl_cli_option_context (cli, NULL,
                                   _("Every account’s month against its service agreement, most in need of "
                                     "attention first: SLA misses, claims, volume trend and each rate, "
                                     "as the window’s Portfolio page ranks them."),
                                   entries);
  if (!kl_cli_parse (cli, context, &argc, &argv))
    return KL_EXIT_USAGE;
  if (argc > 1)
    return kl_cli_usage_error (cli, _("Unexpected argument “%s”"), argv[1]);
  if (month_text != NULL)
    {
      g_autoptr(KlPeriod) period = kl_period_parse (month_text, &error);

      if (period == NULL || period->kind != KL_PERIOD_MONTH)
        return kl_cli_usage_error (cli, _("Give the month as 2026-10, not “%s”"), month_text);
      month = period->year * 100 + period->index;
    }
  if (format_text != NULL && g_strcmp0 (format_text, "table") != 0 && g_strcmp0 (format_text, "json") != 0 &&
      g_strcmp0 (format_text, "xlsx") != 0)
    return kl_cli_usage_error (cli, _("--format must be table, json or xlsx, not “%s”"), format_text);
  if (g_strcmp0 (format_text, "xlsx") == 0 && !kl_cli_xlsx_check_output (cli, output))
    return KL_EXIT_USAGE;

  db = kl_cli_open_workspace (cli, FALSE, &status);
  if (db == NULL)
    return status;
  if (month == 0)
    month = kl_portfolio_latest_complete_month (db);
  rows = kl_portfolio_rank (db, month, &error);
  if (rows == NULL)
    return kl_cli_fail (error, db, FALSE);

  if (g_strcmp0 (format_text, "xlsx") == 0)
    {
      if (!kl_cli_xlsx_write (output, write_portfolio_xlsx, rows, &error))
        {
          kl_cli_error ("%s", error->message);
          return KL_EXIT_CANTCREAT;
        }
      return KL_EXIT_OK;
    }
  text = g_strcmp0 (format_text, "json") == 0 ? rows_to_json (rows) : rows_to_table (rows);
  if (output == NULL || g_strcmp0 (output, "-") == 0)
    kl_cli_print (text);
  else if (!g_file_set_contents (output, text, -1, &error))
    {
      kl_cli_error (_("Cannot write “%s”: %s"), output, error->message);
      return KL_EXIT_CANTCREAT;
    }
  return KL_EXIT_OK;
}
