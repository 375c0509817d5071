/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What a report says, section by section, in the report's language: the
 * letterhead, the service-level summary, the KPI and volume tables, charts,
 * month-by-month and regional breakdowns, claims, comments and goals. The
 * flow engine in kl-report-document.c paginates the blocks made here. */
#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "kl-format.h"
#include "kl-report-chart.h"
#include "kl-report-document-private.h"

#define T(msgid)       KL_DOC_T (doc, msgid)
#define TC(ctx, msgid) KL_DOC_TC (doc, ctx, msgid)

#define CHART_HEIGHT 175.0
#define CHART_GAP 18.0

static const char * const count_labels[KL_N_COUNTS] = {
  [KL_COUNT_SHIPMENTS]          = N_("Shipments"),
  [KL_COUNT_PIECES]             = N_("Pieces"),
  [KL_COUNT_WEIGHT_KG]          = N_("Weight (kg)"),
  [KL_COUNT_VOLUME_M3]          = N_("Volume (m³)"),
  [KL_COUNT_DISPATCHED]         = N_("Dispatched"),
  [KL_COUNT_DELIVERED]          = N_("Delivered"),
  [KL_COUNT_DAMAGED_PIECES]     = N_("Damaged pieces"),
  [KL_COUNT_SHORT_PIECES]       = N_("Short pieces"),
  [KL_COUNT_DAMAGE_INCIDENTS]   = N_("Damage incidents"),
  [KL_COUNT_SHORTAGE_INCIDENTS] = N_("Shortage incidents"),
  [KL_COUNT_INCIDENTS]          = N_("Incidents"),
};

const char *
_kl_report_count_msgid (KlKpiCount count)
{
  g_return_val_if_fail (count < KL_N_COUNTS, NULL);
  return count_labels[count];
}

char *
_kl_doc_period_display (KlReportDocument *doc,
                        const KlPeriod   *period)
{
  return kl_report_period_display (period, doc->language);
}

static char *
month_display (KlReportDocument *doc,
               int               yyyymm)
{
  g_autoptr(KlPeriod) period = kl_period_new_for_month (yyyymm);

  return _kl_doc_period_display (doc, period);
}

static gboolean
is_review (KlReportDocument *doc)
{
  return doc->model->period->kind != KL_PERIOD_MONTH;
}

/* Numbers: the report's digits are the same in both languages ("," groups,
 * "." decimals), as Chinese business documents write them. */

static char *
format_count (double value,
              gboolean integer)
{
  return kl_chart_format_number_full (value, integer ? 0 : 1, "\3", ",", ".");
}

static char *
format_money (const KlReportMoney *money)
{
  /* ISO 4217 currencies without minor units; the rest have two. */
  static const char * const whole[] = { "JPY", "KRW", "VND", "CLP", "ISK", "UGX", "PYG" };
  int decimals = 2;
  g_autofree char *number = NULL;
  double divisor = 100;

  for (gsize i = 0; i < G_N_ELEMENTS (whole); i++)
    if (g_strcmp0 (money->currency, whole[i]) == 0)
      {
        decimals = 0;
        divisor = 1;
      }
  number = kl_chart_format_number_full ((double) money->amount / divisor, decimals, "\3", ",", ".");
  return g_strdup_printf ("%s %s", money->currency != NULL ? money->currency : "", number);
}

static char *
format_money_list (KlReportDocument *doc,
                   GPtrArray        *list)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; list != NULL && i < list->len; i++)
    {
      g_autofree char *one = format_money (g_ptr_array_index (list, i));

      if (out->len > 0)
        g_string_append (out, "\n");
      g_string_append (out, one);
    }
  if (out->len == 0)
    g_string_append (out, "0");
  return g_string_free (out, FALSE);
}

/* Whether a change is good news, for its colour: NULL when neutral. */
static const KlChartColor *
delta_color (double   delta,
             gboolean higher_is_better)
{
  if (!isfinite (delta) || fabs (delta) < 0.05)
    return NULL;
  return (delta > 0) == higher_is_better ? &_kl_doc_good : &_kl_doc_bad;
}

/* "▲ +1.2 pp": an arrow for the direction, then the signed change. */
static char *
trend_text (KlReportDocument *doc,
            double            delta,
            gboolean          is_rate)
{
  g_autofree char *number = is_rate ? kl_format_pp_delta_in (doc->language, delta)
                                    : kl_format_percent_delta (delta);
  const char *arrow;

  if (!isfinite (delta))
    return g_steal_pointer (&number);
  arrow = fabs (delta) < 0.05 ? "▶" : delta > 0 ? "▲" : "▼";
  return g_strdup_printf ("%s %s", arrow, number);
}

/* Charts: the model's sections as kl-report-chart maps them, in the
 * report's language, one or two side by side. */

typedef struct {
  KlReportChart *charts[2];
  guint          n_charts;
} DocChartRow;

static void
chart_row_free (gpointer data)
{
  DocChartRow *row = data;

  for (guint i = 0; i < row->n_charts; i++)
    kl_report_chart_free (row->charts[i]);
  g_free (row);
}

static void
draw_chart_row (KlReportDocument *doc,
                gpointer          data,
                cairo_t          *cr,
                double            width,
                double            height)
{
  DocChartRow *row = data;
  double w = (width - CHART_GAP * (row->n_charts - 1)) / row->n_charts;
  KlChartPalette palette = kl_chart_palette_print ();

  palette.font_size = 7.5;
  for (guint i = 0; i < row->n_charts; i++)
    {
      cairo_save (cr);
      cairo_translate (cr, i * (w + CHART_GAP), 0);
      kl_report_chart_draw (row->charts[i], cr, w, height, &palette);
      cairo_restore (cr);
    }
}

/* Takes left and right (either may be NULL). */
static void
add_charts (KlReportDocument *doc,
            double            height,
            KlReportChart    *left,
            KlReportChart    *right)
{
  DocChartRow *row = g_new0 (DocChartRow, 1);

  if (left != NULL)
    row->charts[row->n_charts++] = left;
  if (right != NULL)
    row->charts[row->n_charts++] = right;
  if (row->n_charts == 0)
    {
      g_free (row);
      return;
    }
  _kl_doc_add_drawing (doc, height, 8, draw_chart_row, row, chart_row_free);
}

static KlReportChart *
section_chart (KlReportDocument     *doc,
               KlReportChartSection  section)
{
  return kl_report_chart_new (doc->model, section, doc->language);
}

/* Letterhead */

typedef struct {
  PangoLayout *company;
  PangoLayout *title;
  PangoLayout *client;
  PangoLayout *details;
  double       logo_w;
  double       logo_h;
  double       band_h;
} Letterhead;

static void
letterhead_free (gpointer data)
{
  Letterhead *lh = data;

  g_clear_object (&lh->company);
  g_clear_object (&lh->title);
  g_clear_object (&lh->client);
  g_clear_object (&lh->details);
  g_free (lh);
}

static void
draw_letterhead (KlReportDocument *doc,
                 gpointer          data,
                 cairo_t          *cr,
                 double            width,
                 double            height)
{
  Letterhead *lh = data;
  double y;

  if (doc->logo != NULL)
    {
      double sw = cairo_image_surface_get_width (doc->logo);
      double sh = cairo_image_surface_get_height (doc->logo);

      cairo_save (cr);
      cairo_translate (cr, 0, (lh->band_h - lh->logo_h) / 2);
      cairo_scale (cr, lh->logo_w / sw, lh->logo_h / sh);
      cairo_set_source_surface (cr, doc->logo, 0, 0);
      cairo_pattern_set_filter (cairo_get_source (cr), CAIRO_FILTER_GOOD);
      cairo_paint (cr);
      cairo_restore (cr);
    }
  if (lh->company != NULL)
    {
      double x = lh->logo_w > 0 ? lh->logo_w + 12 : 0;

      _kl_doc_set_color (cr, &_kl_doc_accent);
      cairo_move_to (cr, x, (lh->band_h - _kl_doc_layout_height (lh->company)) / 2);
      pango_cairo_show_layout (cr, lh->company);
    }
  y = lh->band_h + 6;
  _kl_doc_set_color (cr, &_kl_doc_accent);
  cairo_rectangle (cr, 0, y, width, 1.5);
  cairo_fill (cr);
  y += 12;

  _kl_doc_set_color (cr, &_kl_doc_ink);
  cairo_move_to (cr, 0, y);
  pango_cairo_show_layout (cr, lh->title);
  y += _kl_doc_layout_height (lh->title) + 4;
  cairo_move_to (cr, 0, y);
  pango_cairo_show_layout (cr, lh->client);
  y += _kl_doc_layout_height (lh->client) + 3;
  _kl_doc_set_color (cr, &_kl_doc_muted);
  cairo_move_to (cr, 0, y);
  pango_cairo_show_layout (cr, lh->details);
}

static void
add_letterhead (KlReportDocument *doc)
{
  const KlReportModel *m = doc->model;
  Letterhead *lh = g_new0 (Letterhead, 1);
  g_autofree char *details = NULL;
  double w = doc->content_width, height;

  if (doc->logo != NULL)
    {
      double sw = cairo_image_surface_get_width (doc->logo);
      double sh = cairo_image_surface_get_height (doc->logo);
      double scale = MIN (40.0 / sh, 150.0 / sw);

      lh->logo_w = sw * scale;
      lh->logo_h = sh * scale;
    }
  if (doc->company_name != NULL)
    lh->company = _kl_doc_layout_new (doc, doc->company_name, 15, TRUE,
                                      w - (lh->logo_w > 0 ? lh->logo_w + 12 : 0),
                                      KL_DOC_ALIGN_START);
  lh->band_h = MAX (lh->logo_h, lh->company != NULL ? _kl_doc_layout_height (lh->company) : 0);

  lh->title = _kl_doc_layout_new (doc, doc->title, 19, TRUE, w, KL_DOC_ALIGN_START);
  lh->client = _kl_doc_layout_new (doc, doc->client_display, 12.5, TRUE, w, KL_DOC_ALIGN_START);
  /* Translators: under the report title; %1$s is the period ("October 2026"),
   * %2$s the date the report was made ("2026-11-03"), %3$s the time zone. */
  details = g_strdup_printf (T (N_("Period: %1$s   ·   Generated: %2$s   ·   Time zone: %3$s")),
                             doc->period_display, doc->generated_date,
                             m->timezone != NULL ? m->timezone : "UTC");
  lh->details = _kl_doc_layout_new (doc, details, 9, FALSE, w, KL_DOC_ALIGN_START);

  height = lh->band_h + 6 + 1.5 + 12 + _kl_doc_layout_height (lh->title) + 4 +
           _kl_doc_layout_height (lh->client) + 3 + _kl_doc_layout_height (lh->details);
  _kl_doc_add_drawing (doc, ceil (height), 0, draw_letterhead, lh, letterhead_free);
}

/* Service-level summary */

static void
add_sla_summary (KlReportDocument *doc)
{
  const KlReportModel *m = doc->model;
  guint n_targets = 0, n_met = 0, n_unknown = 0;
  GString *missed = g_string_new (NULL);
  KlReportChart *chart;

  _kl_doc_add_heading (doc, T (N_("Service level summary")));

  if (kl_report_model_is_portfolio (m))
    {
      _kl_doc_add_text (doc, T (N_("A portfolio report sums every account; service agreement targets apply to single accounts and are not shown.")),
                        9.5, FALSE, &_kl_doc_muted, 0, 4);
      g_string_free (missed, TRUE);
      return;
    }

  for (int r = 0; r < KL_N_RATES; r++)
    {
      const KlKpiTarget *t = &m->targets[r];

      if (!t->has_target)
        continue;
      n_targets++;
      if (t->met == KL_TRI_TRUE)
        n_met++;
      else if (t->met == KL_TRI_FALSE)
        {
          if (missed->len > 0)
            g_string_append (missed, T (N_(", ")));
          g_string_append (missed, kl_report_rate_label ((KlRate) r, doc->language));
        }
      else
        n_unknown++;
    }

  if (n_targets == 0)
    {
      _kl_doc_add_text (doc, m->has_agreement
                             ? T (N_("The service agreement in force sets no targets."))
                             : T (N_("No service agreement was in force at the end of this period, so there are no targets to compare with.")),
                        9.5, FALSE, &_kl_doc_muted, 0, 4);
      g_string_free (missed, TRUE);
      return;
    }

  {
    /* Translators: the headline of a report; "7 of 8 targets met". */
    g_autofree char *headline = g_strdup_printf (T (N_("%1$u of %2$u targets met")), n_met, n_targets);

    _kl_doc_add_text (doc, headline, 13, TRUE,
                      n_met == n_targets ? &_kl_doc_good : &_kl_doc_bad, 0, 4);
  }
  if (missed->len > 0)
    {
      /* Translators: %s lists the KPIs that missed their target. */
      g_autofree char *text = g_strdup_printf (T (N_("Missed: %s.")), missed->str);

      _kl_doc_add_text (doc, text, 9.5, FALSE, &_kl_doc_ink, 0, 2);
    }
  if (n_unknown > 0)
    {
      /* Translators: %u is a number of KPIs. */
      g_autofree char *text = g_strdup_printf (T (N_("No shipments to measure for %u of the targets.")),
                                               n_unknown);

      _kl_doc_add_text (doc, text, 9.5, FALSE, &_kl_doc_muted, 0, 2);
    }
  g_string_free (missed, TRUE);

  chart = section_chart (doc, KL_REPORT_CHART_TARGETS);
  add_charts (doc, 10 + 21.0 * chart->bullet.n_items, chart, NULL);
}

/* KPI table */

static void
add_kpi_table (KlReportDocument *doc)
{
  const KlReportModel *m = doc->model;
  enum { COL_KPI, COL_TARGET, COL_ACTUAL, COL_VARIANCE, COL_STATUS, COL_PREV, COL_AGO, N_COLS };
  static const double weights[N_COLS] = { 0.22, 0.1, 0.1, 0.12, 0.14, 0.16, 0.16 };
  static const KlDocAlign aligns[N_COLS] = {
    KL_DOC_ALIGN_START, KL_DOC_ALIGN_END, KL_DOC_ALIGN_END, KL_DOC_ALIGN_END,
    KL_DOC_ALIGN_START, KL_DOC_ALIGN_END, KL_DOC_ALIGN_END,
  };
  gboolean shown[N_COLS] = { TRUE, TRUE, TRUE, TRUE, TRUE, TRUE, TRUE };
  gboolean any_target = FALSE;
  double widths[N_COLS], total = 0;
  KlDocAlign align[N_COLS];
  const char *header[N_COLS];
  guint n = 0;
  KlDocTable *table;

  for (int r = 0; r < KL_N_RATES; r++)
    any_target |= m->targets[r].has_target;
  /* No agreement (or a portfolio): no target columns to fill with dashes. */
  if (!any_target)
    shown[COL_TARGET] = shown[COL_VARIANCE] = shown[COL_STATUS] = FALSE;
  /* A year's previous period is the year ago: one change column then. */
  if (m->period->kind == KL_PERIOD_YEAR)
    shown[COL_AGO] = FALSE;

  {
    const char *all[N_COLS] = {
      T (N_("Indicator")), T (N_("Target")), T (N_("Actual")), T (N_("Variance")),
      T (N_("Status")),
      m->period->kind == KL_PERIOD_YEAR ? T (N_("vs. previous year")) : T (N_("vs. previous period")),
      T (N_("vs. same period last year")),
    };

    for (int c = 0; c < N_COLS; c++)
      if (shown[c])
        total += weights[c];
    for (int c = 0; c < N_COLS; c++)
      if (shown[c])
        {
          widths[n] = weights[c] / total;
          align[n] = aligns[c];
          header[n++] = all[c];
        }
  }
  table = _kl_doc_table_new (doc, n, widths, align);
  _kl_doc_add_heading (doc, T (N_("Key performance indicators")));
  _kl_doc_table_set_header (doc, table, header);

  for (int r = 0; r < KL_N_RATES; r++)
    {
      const KlKpiTarget *t = &m->targets[r];
      gboolean higher = kl_rate_higher_is_better ((KlRate) r);
      g_autofree char *target = t->has_target ? kl_format_percent (t->target) : g_strdup (KL_FORMAT_MISSING);
      g_autofree char *actual = kl_format_percent (m->figures.rates[r]);
      g_autofree char *variance = t->has_target ? kl_format_pp_delta_in (doc->language, t->variance_pp)
                                                : g_strdup (KL_FORMAT_MISSING);
      g_autofree char *prev = trend_text (doc, m->delta_previous.rates_pp[r], TRUE);
      g_autofree char *yoy = trend_text (doc, m->delta_year_ago.rates_pp[r], TRUE);
      g_autofree char *status = NULL;
      const KlChartColor *status_color = &_kl_doc_muted;
      const char *all[N_COLS];
      const KlChartColor *all_colors[N_COLS] = { NULL };
      const char *cells[N_COLS];
      const KlChartColor *colors[N_COLS];
      guint k = 0;

      /* Status is a word with a symbol, never colour alone. */
      if (!t->has_target)
        status = g_strdup (T (N_("No target")));
      else if (t->met == KL_TRI_TRUE)
        {
          status = g_strdup_printf ("✔ %s", T (N_("Met")));
          status_color = &_kl_doc_good;
        }
      else if (t->met == KL_TRI_FALSE)
        {
          status = g_strdup_printf ("✘ %s", T (N_("Missed")));
          status_color = &_kl_doc_bad;
        }
      else
        status = g_strdup_printf ("%s %s", KL_FORMAT_MISSING, T (N_("No data")));

      all[COL_KPI] = kl_report_rate_label ((KlRate) r, doc->language);
      all[COL_TARGET] = target;
      all[COL_ACTUAL] = actual;
      all[COL_VARIANCE] = variance;
      all[COL_STATUS] = status;
      all[COL_PREV] = prev;
      all[COL_AGO] = yoy;
      all_colors[COL_VARIANCE] = t->has_target ? delta_color (t->variance_pp, higher) : NULL;
      all_colors[COL_STATUS] = status_color;
      all_colors[COL_PREV] = delta_color (m->delta_previous.rates_pp[r], higher);
      all_colors[COL_AGO] = delta_color (m->delta_year_ago.rates_pp[r], higher);
      for (int c = 0; c < N_COLS; c++)
        if (shown[c])
          {
            cells[k] = all[c];
            colors[k++] = all_colors[c];
          }
      _kl_doc_table_add_row (doc, table, cells, colors);
    }
  _kl_doc_add_table (doc, table, 6);
  _kl_doc_add_text (doc, T (N_("Variance and changes of rates are in percentage points (pp); changes of volumes in percent. ▲ up, ▼ down, ▶ unchanged; green is better, red is worse. — means there was nothing to measure.")),
                    7.5, FALSE, &_kl_doc_muted, 0, 4);
}

static void
add_volume_table (KlReportDocument *doc)
{
  const KlReportModel *m = doc->model;
  static const KlKpiCount counts[] = {
    KL_COUNT_SHIPMENTS, KL_COUNT_PIECES, KL_COUNT_WEIGHT_KG, KL_COUNT_VOLUME_M3,
    KL_COUNT_DISPATCHED, KL_COUNT_DELIVERED, KL_COUNT_DAMAGED_PIECES, KL_COUNT_SHORT_PIECES,
    KL_COUNT_INCIDENTS,
  };
  gboolean yearly = m->period->kind == KL_PERIOD_YEAR;
  static const double widths[] = { 0.22, 0.15, 0.15, 0.16, 0.16, 0.16 };
  static const double widths_yearly[] = { 0.28, 0.24, 0.24, 0.24 };
  static const KlDocAlign align[] = {
    KL_DOC_ALIGN_START, KL_DOC_ALIGN_END, KL_DOC_ALIGN_END, KL_DOC_ALIGN_END,
    KL_DOC_ALIGN_END, KL_DOC_ALIGN_END,
  };
  KlDocTable *table = yearly ? _kl_doc_table_new (doc, G_N_ELEMENTS (widths_yearly), widths_yearly, align)
                             : _kl_doc_table_new (doc, G_N_ELEMENTS (widths), widths, align);
  g_autofree char *prev_label = _kl_doc_period_display (doc, m->previous_period);
  g_autofree char *ago_label = _kl_doc_period_display (doc, m->year_ago_period);
  const char *header[] = {
    T (N_("Volume")), doc->period_display, prev_label, T (N_("Change")), ago_label,
    T (N_("Change")),
  };

  _kl_doc_add_heading (doc, is_review (doc) ? T (N_("Volumes and year on year"))
                                            : T (N_("Volumes")));
  /* A year's table stops at the previous year, which is the year ago. */
  _kl_doc_table_set_header (doc, table, header);
  for (gsize i = 0; i < G_N_ELEMENTS (counts); i++)
    {
      KlKpiCount c = counts[i];
      gboolean integer = kl_kpi_count_is_integer (c);
      /* More damage, shortage and incidents is worse; more volume is not. */
      gboolean more_is_better = c != KL_COUNT_DAMAGED_PIECES && c != KL_COUNT_SHORT_PIECES &&
                                c != KL_COUNT_INCIDENTS;
      g_autofree char *now = format_count (kl_kpi_figures_get_count (&m->figures, c), integer);
      g_autofree char *prev = format_count (kl_kpi_figures_get_count (&m->previous, c), integer);
      g_autofree char *ago = format_count (kl_kpi_figures_get_count (&m->year_ago, c), integer);
      g_autofree char *d_prev = trend_text (doc, m->delta_previous.counts_pct[c], FALSE);
      g_autofree char *d_ago = trend_text (doc, m->delta_year_ago.counts_pct[c], FALSE);
      const char *cells[] = { T (count_labels[c]), now, prev, d_prev, ago, d_ago };
      const KlChartColor *colors[6] = { NULL };

      /* Only quality counts get good/bad colours; volume is the client's business. */
      if (!more_is_better)
        {
          colors[3] = delta_color (m->delta_previous.counts_pct[c], more_is_better);
          colors[5] = delta_color (m->delta_year_ago.counts_pct[c], more_is_better);
        }
      _kl_doc_table_add_row (doc, table, cells, colors);
    }
  _kl_doc_add_table (doc, table, 6);
}

/* Breakdowns */

static void
add_month_table (KlReportDocument *doc)
{
  const KlReportModel *m = doc->model;
  static const KlRate rates[] = {
    KL_RATE_DISPATCH_ON_TIME, KL_RATE_ARRIVAL_ON_TIME, KL_RATE_DOCUMENT_ACCURACY,
    KL_RATE_ORDER_ACCURACY, KL_RATE_DAMAGE, KL_RATE_INCIDENT,
  };
  static const double widths[] = { 0.13, 0.11, 0.1, 0.11, 0.11, 0.11, 0.11, 0.11, 0.11 };
  static const KlDocAlign align[] = {
    KL_DOC_ALIGN_START, KL_DOC_ALIGN_END, KL_DOC_ALIGN_START, KL_DOC_ALIGN_END,
    KL_DOC_ALIGN_END, KL_DOC_ALIGN_END, KL_DOC_ALIGN_END, KL_DOC_ALIGN_END, KL_DOC_ALIGN_END,
  };
  KlDocTable *table;
  const char *header[9];

  if (m->by_month->len == 0)
    return;
  table = _kl_doc_table_new (doc, G_N_ELEMENTS (widths), widths, align);
  header[0] = T (N_("Month"));
  header[1] = T (N_("Shipments"));
  header[2] = T (N_("Season"));
  for (gsize i = 0; i < G_N_ELEMENTS (rates); i++)
    header[3 + i] = kl_report_rate_label (rates[i], doc->language);
  _kl_doc_table_set_header (doc, table, header);

  for (guint i = 0; i < m->by_month->len; i++)
    {
      KlReportRow *row = g_ptr_array_index (m->by_month, i);
      g_autofree char *month = month_display (doc, row->month);
      g_autofree char *shipments = format_count ((double) row->figures.shipments, TRUE);
      char *pct[G_N_ELEMENTS (rates)];
      const char *season = "";
      const char *cells[9];

      for (guint p = 0; p < m->peak_months->len; p++)
        if (g_array_index (m->peak_months, int, p) == row->month)
          season = T (N_("▲ Peak"));
      for (guint p = 0; p < m->off_peak_months->len; p++)
        if (g_array_index (m->off_peak_months, int, p) == row->month)
          season = T (N_("▼ Off-peak"));
      cells[0] = month;
      cells[1] = shipments;
      cells[2] = season;
      for (gsize r = 0; r < G_N_ELEMENTS (rates); r++)
        {
          pct[r] = kl_format_percent (row->figures.rates[rates[r]]);
          cells[3 + r] = pct[r];
        }
      _kl_doc_table_add_row (doc, table, cells, NULL);
      for (gsize r = 0; r < G_N_ELEMENTS (rates); r++)
        g_free (pct[r]);
    }
  _kl_doc_add_heading (doc, T (N_("Month by month")));
  _kl_doc_add_table (doc, table, 6);
}

static void
add_region_table (KlReportDocument *doc,
                  GPtrArray        *rows,
                  const char       *heading,
                  const char       *region_header)
{
  const KlReportModel *m = doc->model;
  static const KlRate rates[] = {
    KL_RATE_DISPATCH_ON_TIME, KL_RATE_ARRIVAL_ON_TIME, KL_RATE_ORDER_ACCURACY,
    KL_RATE_DAMAGE, KL_RATE_INCIDENT,
  };
  static const double widths[] = { 0.2, 0.1, 0.08, 0.1, 0.104, 0.104, 0.104, 0.104, 0.104 };
  static const KlDocAlign align[] = {
    KL_DOC_ALIGN_START, KL_DOC_ALIGN_END, KL_DOC_ALIGN_END, KL_DOC_ALIGN_END,
    KL_DOC_ALIGN_END, KL_DOC_ALIGN_END, KL_DOC_ALIGN_END, KL_DOC_ALIGN_END, KL_DOC_ALIGN_END,
  };
  KlDocTable *table;
  const char *header[9];

  _kl_doc_add_heading (doc, heading);
  if (rows->len == 0)
    {
      _kl_doc_add_text (doc, T (N_("No shipments in this period.")), 9.5, FALSE,
                        &_kl_doc_muted, 0, 4);
      return;
    }

  table = _kl_doc_table_new (doc, G_N_ELEMENTS (widths), widths, align);
  header[0] = region_header;
  header[1] = T (N_("Shipments"));
  header[2] = T (N_("Share"));
  header[3] = T (N_("Pieces"));
  for (gsize i = 0; i < G_N_ELEMENTS (rates); i++)
    header[4 + i] = kl_report_rate_label (rates[i], doc->language);
  _kl_doc_table_set_header (doc, table, header);

  for (guint i = 0; i < rows->len; i++)
    {
      KlReportRow *row = g_ptr_array_index (rows, i);
      g_autofree char *shipments = format_count ((double) row->figures.shipments, TRUE);
      g_autofree char *share = kl_format_percent (m->figures.shipments > 0
                                                  ? (double) row->figures.shipments / (double) m->figures.shipments
                                                  : NAN);
      g_autofree char *pieces = format_count ((double) row->figures.pieces, TRUE);
      char *pct[G_N_ELEMENTS (rates)];
      const char *cells[9];

      cells[0] = row->key != NULL && *row->key != '\0' ? row->key : T (N_("Not given"));
      cells[1] = shipments;
      cells[2] = share;
      cells[3] = pieces;
      for (gsize r = 0; r < G_N_ELEMENTS (rates); r++)
        {
          pct[r] = kl_format_percent (row->figures.rates[rates[r]]);
          cells[4 + r] = pct[r];
        }
      _kl_doc_table_add_row (doc, table, cells, NULL);
      for (gsize r = 0; r < G_N_ELEMENTS (rates); r++)
        g_free (pct[r]);
    }
  _kl_doc_add_table (doc, table, 6);
}

/* Claims */

static void
add_claims (KlReportDocument *doc)
{
  const KlReportClaims *c = &doc->model->claims;
  static const double widths[] = { 0.45, 0.25 };
  static const KlDocAlign align[] = { KL_DOC_ALIGN_START, KL_DOC_ALIGN_END };
  /* Two columns need no full width: the table spans 70 % of it. */
  KlDocTable *table = _kl_doc_table_new (doc, 2, widths, align);
  g_autofree char *opened = format_count ((double) c->opened, TRUE);
  g_autofree char *closed = format_count ((double) c->closed, TRUE);
  g_autofree char *open_end = format_count ((double) c->open_at_end, TRUE);
  g_autofree char *overdue = format_count ((double) c->overdue_at_end, TRUE);
  g_autofree char *claimed = format_money_list (doc, c->claimed);
  g_autofree char *settled = format_money_list (doc, c->settled);
  g_autofree char *days = kl_chart_format_number_full (c->mean_days_to_close, 1, "\3", ",", ".");
  const char *header[] = { T (N_("Claims")), doc->period_display };
  const char *rows[][2] = {
    { T (N_("Opened")), opened },
    { T (N_("Closed")), closed },
    { T (N_("Open at the end of the period")), open_end },
    { T (N_("Overdue at the end of the period")), overdue },
    { T (N_("Amount claimed")), claimed },
    { T (N_("Amount settled")), settled },
    { T (N_("Mean days from filing to closing")), days },
  };

  _kl_doc_add_heading (doc, T (N_("Claims summary")));
  _kl_doc_table_set_header (doc, table, header);
  for (gsize i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      const KlChartColor *colors[2] = { NULL, NULL };

      if (i == 3 && c->overdue_at_end > 0)
        colors[1] = &_kl_doc_bad;
      _kl_doc_table_add_row (doc, table, rows[i], colors);
    }
  _kl_doc_add_table (doc, table, 6);

  if (doc->client_notes->len > 0)
    {
      _kl_doc_add_text (doc, T (N_("Notes on claims")), 10, TRUE, &_kl_doc_ink, 0, 10);
      for (guint i = 0; i < doc->client_notes->len; i++)
        {
          g_autofree char *item = g_strdup_printf ("•  %s",
                                                   (char *) g_ptr_array_index (doc->client_notes, i));

          _kl_doc_add_text (doc, item, 9.5, FALSE, &_kl_doc_ink, 8, 3);
        }
    }
}

/* The KAM's words: one text block per paragraph, so each splits by lines. */
static void
add_paragraphs (KlReportDocument *doc,
                const char       *heading,
                const char       *text)
{
  g_auto(GStrv) paragraphs = NULL;
  gboolean first = TRUE;

  if (text == NULL)
    return;
  _kl_doc_add_heading (doc, heading);
  paragraphs = g_strsplit (text, "\n", -1);
  for (guint i = 0; paragraphs[i] != NULL; i++)
    {
      g_strchomp (paragraphs[i]);
      if (*paragraphs[i] == '\0')
        continue;
      _kl_doc_add_text (doc, paragraphs[i], 10, FALSE, &_kl_doc_ink, 0, first ? 4 : 6);
      first = FALSE;
    }
}

static void
add_charts_section (KlReportDocument *doc)
{
  const KlReportModel *m = doc->model;

  if (!is_review (doc))
    {
      _kl_doc_add_heading (doc, T (N_("Trends")));
      add_charts (doc, CHART_HEIGHT, section_chart (doc, KL_REPORT_CHART_VOLUME_TREND),
                  section_chart (doc, KL_REPORT_CHART_DESTINATION_REGIONS));
      return;
    }

  _kl_doc_add_heading (doc, T (N_("Volume trend and seasons")));
  add_charts (doc, CHART_HEIGHT, section_chart (doc, KL_REPORT_CHART_VOLUME_TREND), NULL);
  {
    GString *text = g_string_new (NULL);
    GArray *lists[2] = { m->peak_months, m->off_peak_months };
    /* Translators: followed by a list of months. */
    const char *names[2] = { T (N_("Peak months (at least 1.1 times the twelve-month mean): ")),
                             T (N_("Off-peak months (at most 0.9 times the mean): ")) };

    for (int l = 0; l < 2; l++)
      {
        if (text->len > 0)
          g_string_append (text, "\n");
        g_string_append (text, names[l]);
        if (lists[l]->len == 0)
          g_string_append (text, T (N_("none")));
        for (guint i = 0; i < lists[l]->len; i++)
          {
            g_autofree char *month = month_display (doc, g_array_index (lists[l], int, i));

            if (i > 0)
              g_string_append (text, T (N_(", ")));
            g_string_append (text, month);
          }
      }
    _kl_doc_add_text (doc, text->str, 9, FALSE, &_kl_doc_ink, 0, 6);
    g_string_free (text, TRUE);
  }
  add_charts (doc, 44 + 26.0 * (m->trailing_months[11] / 100 - m->trailing_months[0] / 100 + 1),
              section_chart (doc, KL_REPORT_CHART_SEASONS), NULL);

  _kl_doc_add_heading (doc, T (N_("Service month by month")));
  add_charts (doc, CHART_HEIGHT,
              section_chart (doc, KL_REPORT_CHART_ON_TIME_RATES),
              section_chart (doc, KL_REPORT_CHART_ACCURACY_RATES));
  add_charts (doc, CHART_HEIGHT,
              section_chart (doc, KL_REPORT_CHART_INCIDENT_RATES),
              section_chart (doc, KL_REPORT_CHART_DESTINATION_REGIONS));
}

void
_kl_doc_build_sections (KlReportDocument *doc)
{
  const KlReportModel *m = doc->model;
  const char *goals_heading;

  switch (m->period->kind)
    {
    case KL_PERIOD_MONTH:
      doc->title = g_strdup (T (N_("Monthly service report")));
      goals_heading = T (N_("Goals for next month"));
      break;
    case KL_PERIOD_QUARTER:
      doc->title = g_strdup (T (N_("Quarterly business review")));
      goals_heading = T (N_("Goals for next quarter"));
      break;
    case KL_PERIOD_YEAR:
    default:
      doc->title = g_strdup (T (N_("Annual business review")));
      goals_heading = T (N_("Goals for next year"));
      break;
    }
  if (kl_report_model_is_portfolio (m))
    doc->client_display = g_strdup (T (N_("All accounts (portfolio)")));
  else
    /* Translators: the client on a report, "ACME Trading (ACME)"; %1$s is the
     * name, %2$s the customer code. */
    doc->client_display = g_strdup_printf (T (N_("%1$s (%2$s)")),
                                           m->customer_name != NULL ? m->customer_name : "",
                                           m->customer_code);

  add_letterhead (doc);
  add_sla_summary (doc);
  add_kpi_table (doc);
  add_volume_table (doc);
  add_charts_section (doc);
  add_month_table (doc);
  add_region_table (doc, m->by_destination_region, T (N_("Regional breakdown")),
                    T (N_("Destination region")));
  if (is_review (doc))
    add_region_table (doc, m->by_origin_region, T (N_("By origin region")),
                      T (N_("Origin region")));
  add_claims (doc);
  add_paragraphs (doc, T (N_("Comments")), doc->comments);
  add_paragraphs (doc, goals_heading, doc->goals);
}
