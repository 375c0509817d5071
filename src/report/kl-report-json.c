/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Writes a KlReportModel as the JSON object of docs/kpi.md. json-glib
 * prints doubles with "%.17g" (g_ascii_formatd), so a rate reads back as the
 * very same double; test-report checks that. */

#include "config.h"

#include <math.h>

#include "kl-report-json.h"

static void
add_rate (JsonBuilder *b, double value)
{
  if (isnan (value))
    json_builder_add_null_value (b);
  else
    json_builder_add_double_value (b, value);
}

/* Adds every figure key of docs/kpi.md to the open object of builder:
 * counts as integers (weight_kg and volume_m3 as numbers), rates with full
 * double precision, missing rates as null. */
static void
kl_kpi_figures_add_to_json (const KlKpiFigures *f,
                            JsonBuilder        *b)
{
  g_return_if_fail (f != NULL && JSON_IS_BUILDER (b));

  for (guint i = 0; i < KL_N_COUNTS; i++)
    {
      json_builder_set_member_name (b, kl_kpi_count_to_key (i));
      if (kl_kpi_count_is_integer (i))
        json_builder_add_int_value (b, kl_kpi_figures_get_count_int (f, i));
      else
        json_builder_add_double_value (b, kl_kpi_figures_get_count (f, i));
    }
  for (guint i = 0; i < KL_N_RATES; i++)
    {
      json_builder_set_member_name (b, kl_rate_to_key (i));
      add_rate (b, f->rates[i]);
    }
}

static void
add_figures_object (JsonBuilder *b, const char *name, const KlKpiFigures *f)
{
  json_builder_set_member_name (b, name);
  json_builder_begin_object (b);
  kl_kpi_figures_add_to_json (f, b);
  json_builder_end_object (b);
}

static void
add_rows (JsonBuilder *b, const char *name, const char *key_name, GPtrArray *rows)
{
  json_builder_set_member_name (b, name);
  json_builder_begin_array (b);
  for (guint i = 0; i < rows->len; i++)
    {
      const KlReportRow *row = g_ptr_array_index (rows, i);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, key_name);
      json_builder_add_string_value (b, row->key);
      kl_kpi_figures_add_to_json (&row->figures, b);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
}

static void
add_months (JsonBuilder *b, const char *name, GArray *months)
{
  json_builder_set_member_name (b, name);
  json_builder_begin_array (b);
  for (guint i = 0; i < months->len; i++)
    {
      g_autofree char *label = kl_month_to_label (g_array_index (months, int, i));
      json_builder_add_string_value (b, label);
    }
  json_builder_end_array (b);
}

static void
add_money (JsonBuilder *b, const char *name, GPtrArray *list)
{
  json_builder_set_member_name (b, name);
  json_builder_begin_object (b);
  for (guint i = 0; list != NULL && i < list->len; i++)
    {
      const KlReportMoney *m = g_ptr_array_index (list, i);

      json_builder_set_member_name (b, m->currency);
      json_builder_add_int_value (b, m->amount);
    }
  json_builder_end_object (b);
}

static JsonNode *
kl_report_to_json_node (const KlReportModel *m)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autofree char *label = NULL, *start = NULL, *end = NULL;

  g_return_val_if_fail (m != NULL, NULL);

  json_builder_begin_object (b);

  json_builder_set_member_name (b, "customer");
  if (m->customer_id == NULL)
    json_builder_add_null_value (b);
  else
    {
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "code");
      json_builder_add_string_value (b, m->customer_code);
      json_builder_set_member_name (b, "name");
      json_builder_add_string_value (b, m->customer_name);
      json_builder_end_object (b);
    }

  label = kl_period_to_label (m->period);
  start = kl_period_start_date (m->period);
  end = kl_period_end_date (m->period);
  json_builder_set_member_name (b, "period");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "label");
  json_builder_add_string_value (b, label);
  json_builder_set_member_name (b, "kind");
  json_builder_add_string_value (b, kl_period_kind_to_string (m->period->kind));
  json_builder_set_member_name (b, "start");
  json_builder_add_string_value (b, start);
  json_builder_set_member_name (b, "end");
  json_builder_add_string_value (b, end);
  json_builder_end_object (b);

  json_builder_set_member_name (b, "timezone");
  json_builder_add_string_value (b, m->timezone);

  add_figures_object (b, "figures", &m->figures);

  json_builder_set_member_name (b, "targets");
  json_builder_begin_object (b);
  for (guint i = 0; i < KL_N_RATES; i++)
    {
      const KlKpiTarget *t = &m->targets[i];

      if (!t->has_target)
        continue;
      json_builder_set_member_name (b, kl_rate_to_key (i));
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "target");
      json_builder_add_double_value (b, t->target);
      json_builder_set_member_name (b, "met");
      if (t->met == KL_TRI_UNKNOWN)
        json_builder_add_null_value (b);
      else
        json_builder_add_boolean_value (b, t->met == KL_TRI_TRUE);
      json_builder_set_member_name (b, "variance_pp");
      add_rate (b, t->variance_pp);
      json_builder_end_object (b);
    }
  json_builder_end_object (b);

  add_figures_object (b, "previous", &m->previous);
  add_figures_object (b, "year_ago", &m->year_ago);
  add_rows (b, "by_month", "month", m->by_month);
  add_rows (b, "by_destination_region", "region", m->by_destination_region);
  add_rows (b, "by_origin_region", "region", m->by_origin_region);
  add_months (b, "peak_months", m->peak_months);
  add_months (b, "off_peak_months", m->off_peak_months);

  json_builder_set_member_name (b, "claims");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "opened");
  json_builder_add_int_value (b, m->claims.opened);
  json_builder_set_member_name (b, "closed");
  json_builder_add_int_value (b, m->claims.closed);
  json_builder_set_member_name (b, "open_at_end");
  json_builder_add_int_value (b, m->claims.open_at_end);
  json_builder_set_member_name (b, "overdue_at_end");
  json_builder_add_int_value (b, m->claims.overdue_at_end);
  add_money (b, "claimed", m->claims.claimed);
  add_money (b, "settled", m->claims.settled);
  json_builder_set_member_name (b, "mean_days_to_close");
  add_rate (b, m->claims.mean_days_to_close);
  json_builder_end_object (b);

  /* What the printed report says besides its figures: the KAM's comments
   * and next period's goals ("" when none; always "" for the portfolio)
   * and the client notes of the cases in the period. */
  json_builder_set_member_name (b, "comments");
  json_builder_add_string_value (b, m->comments != NULL ? m->comments : "");
  json_builder_set_member_name (b, "goals");
  json_builder_add_string_value (b, m->goals != NULL ? m->goals : "");
  json_builder_set_member_name (b, "client_notes");
  json_builder_begin_array (b);
  for (guint i = 0; m->client_notes != NULL && i < m->client_notes->len; i++)
    json_builder_add_string_value (b, g_ptr_array_index (m->client_notes, i));
  json_builder_end_array (b);

  json_builder_end_object (b);
  return json_builder_get_root (b);
}

char *
kl_report_to_json (const KlReportModel *m)
{
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;

  g_return_val_if_fail (m != NULL, NULL);

  root = kl_report_to_json_node (m);
  json_generator_set_root (gen, root);
  json_generator_set_pretty (gen, TRUE);
  json_generator_set_indent (gen, 2);
  text = json_generator_to_data (gen, NULL);
  return g_strconcat (text, "\n", NULL);
}
