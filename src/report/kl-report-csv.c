/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Writes a KlReportModel as one CSV table (layout in kl-report-csv.h). */

#include "config.h"

#include <math.h>

#include "kl-format.h"
#include "kl-report-csv.h"

static void
append_field (GString *out, const char *text)
{
  g_string_append_c (out, ',');
  if (text[strcspn (text, ",\"\r\n")] == '\0')
    {
      g_string_append (out, text);
      return;
    }
  g_string_append_c (out, '"');
  for (const char *p = text; *p; p++)
    {
      if (*p == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

/* An exact decimal of value / 10^decimals. */
static char *
exact_decimal (gint64 value, int decimals)
{
  gint64 unit = decimals == 3 ? 1000 : 1000000;
  guint64 magnitude = value < 0 ? (guint64) -(value + 1) + 1 : (guint64) value;

  return g_strdup_printf ("%s%" G_GUINT64_FORMAT ".%0*" G_GUINT64_FORMAT,
                          value < 0 ? "-" : "", magnitude / (guint64) unit,
                          decimals, magnitude % (guint64) unit);
}

static void
append_row (GString            *out,
            const char         *section,
            const char         *name,
            const KlKpiFigures *f)
{
  g_string_append (out, section);
  append_field (out, name);
  for (guint i = 0; i < KL_N_COUNTS; i++)
    {
      g_autofree char *cell = NULL;
      gint64 v = kl_kpi_figures_get_count_int (f, i);

      if (i == KL_COUNT_WEIGHT_KG)
        cell = exact_decimal (v, 3);
      else if (i == KL_COUNT_VOLUME_M3)
        cell = exact_decimal (v, 6);
      else
        cell = g_strdup_printf ("%" G_GINT64_FORMAT, v);
      append_field (out, cell);
    }
  for (guint i = 0; i < KL_N_RATES; i++)
    {
      g_autofree char *cell = kl_format_double_exact (f->rates[i]);
      append_field (out, cell);
    }
  g_string_append (out, "\r\n");
}

static void
append_rows (GString *out, const char *section, GPtrArray *rows)
{
  for (guint i = 0; i < rows->len; i++)
    {
      const KlReportRow *row = g_ptr_array_index (rows, i);
      append_row (out, section, row->key, &row->figures);
    }
}

/* A row of text: the text in the name column, every figure cell empty. */
static void
append_text_row (GString    *out,
                 const char *section,
                 const char *text)
{
  g_string_append (out, section);
  append_field (out, text);
  for (guint i = 0; i < KL_N_COUNTS + KL_N_RATES; i++)
    g_string_append_c (out, ',');
  g_string_append (out, "\r\n");
}

char *
kl_report_to_csv (const KlReportModel *m)
{
  GString *out;
  g_autofree char *label = NULL, *previous = NULL, *year_ago = NULL;
  gboolean any_target = FALSE;

  g_return_val_if_fail (m != NULL, NULL);

  out = g_string_new ("section,name");
  for (guint i = 0; i < KL_N_COUNTS; i++)
    append_field (out, kl_kpi_count_to_key (i));
  for (guint i = 0; i < KL_N_RATES; i++)
    append_field (out, kl_rate_to_key (i));
  g_string_append (out, "\r\n");

  label = kl_period_to_label (m->period);
  previous = kl_period_to_label (m->previous_period);
  year_ago = kl_period_to_label (m->year_ago_period);

  append_row (out, "period", label, &m->figures);

  for (guint i = 0; i < KL_N_RATES; i++)
    any_target |= m->targets[i].has_target;
  if (any_target)
    {
      g_string_append (out, "target");
      append_field (out, label);
      for (guint i = 0; i < KL_N_COUNTS; i++)
        g_string_append_c (out, ',');
      for (guint i = 0; i < KL_N_RATES; i++)
        {
          g_autofree char *cell = kl_format_double_exact (m->targets[i].has_target ? m->targets[i].target : NAN);
          append_field (out, cell);
        }
      g_string_append (out, "\r\n");
    }

  append_row (out, "previous", previous, &m->previous);
  append_row (out, "year_ago", year_ago, &m->year_ago);
  append_rows (out, "month", m->by_month);
  append_rows (out, "destination_region", m->by_destination_region);
  append_rows (out, "origin_region", m->by_origin_region);
  if (m->comments != NULL && *m->comments != '\0')
    append_text_row (out, "comments", m->comments);
  if (m->goals != NULL && *m->goals != '\0')
    append_text_row (out, "goals", m->goals);
  for (guint i = 0; m->client_notes != NULL && i < m->client_notes->len; i++)
    append_text_row (out, "client_note", g_ptr_array_index (m->client_notes, i));
  return g_string_free (out, FALSE);
}
