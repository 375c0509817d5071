/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A report model's sections as chart data, in the report's language. */
#include "config.h"

#include <locale.h>
#include <math.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "kl-format.h"
#include "kl-report-chart.h"
#include "kl-report-language.h"

#define T(msgid) kl_report_gettext (chart->language, (msgid))

static KlReportChart *
chart_new (KlReportChartKind  kind,
           const char        *language)
{
  KlReportChart *chart = g_new0 (KlReportChart, 1);

  chart->kind = kind;
  chart->language = g_strdup (kl_report_language_normalize (language));
  chart->owned = g_ptr_array_new_with_free_func (g_free);
  return chart;
}

static gpointer
own (KlReportChart *chart,
     gpointer       data)
{
  g_ptr_array_add (chart->owned, data);
  return data;
}

void
kl_report_chart_free (KlReportChart *chart)
{
  if (chart == NULL)
    return;
  g_ptr_array_unref (chart->owned);
  g_free (chart->language);
  g_free (chart);
}

static char *
month_display (const char *language,
               int         yyyymm)
{
  g_autoptr(KlPeriod) period = kl_period_new_for_month (yyyymm);

  return kl_report_period_display (period, language);
}

/* Shipments over the twelve months ending with the period. */
static KlReportChart *
volume_trend_chart (const KlReportModel *m,
                    const char          *language)
{
  KlReportChart *chart = chart_new (KL_REPORT_CHART_TREND, language);
  const char **categories = own (chart, g_new0 (const char *, 12));
  double *values = own (chart, g_new0 (double, 12));
  KlChartSeries *series = own (chart, g_new0 (KlChartSeries, 1));
  g_autofree char *first = month_display (chart->language, m->trailing_months[0]);
  g_autofree char *last = month_display (chart->language, m->trailing_months[11]);

  for (int i = 0; i < 12; i++)
    {
      categories[i] = kl_report_month_abbrev (m->trailing_months[i], chart->language);
      values[i] = (double) m->trailing_shipments[i];
    }
  series->name = T (N_("Shipments"));
  series->values = values;
  series->n_values = 12;
  /* Translators: a chart title; %1$s and %2$s are months, "November 2025". */
  chart->trend.title = own (chart, g_strdup_printf (T (N_("Shipments, %1$s – %2$s")), first, last));
  chart->trend.categories = categories;
  chart->trend.n_categories = 12;
  chart->trend.series = series;
  chart->trend.n_series = 1;
  chart->trend.style = KL_CHART_TREND_AREA;
  chart->trend.format = KL_CHART_FORMAT_COUNT;
  chart->trend.show_points = TRUE;
  return chart;
}

/* The destination regions by shipments, the largest first (at most ten). */
static KlReportChart *
region_bars_chart (const KlReportModel *m,
                   const char          *language)
{
  GPtrArray *rows = m->by_destination_region;
  guint n = MIN (rows->len, 10);
  KlReportChart *chart;
  const char **categories;
  const char **labels;
  double *values;
  KlChartSeries *series;

  if (n == 0)
    return NULL;
  chart = chart_new (KL_REPORT_CHART_BARS, language);
  categories = own (chart, g_new0 (const char *, n));
  labels = own (chart, g_new0 (const char *, n));
  values = own (chart, g_new0 (double, n));
  series = own (chart, g_new0 (KlChartSeries, 1));
  for (guint i = 0; i < n; i++)
    {
      KlReportRow *row = g_ptr_array_index (rows, i);

      categories[i] = row->key != NULL && *row->key != '\0' ? own (chart, g_strdup (row->key))
                                                            : T (N_("Not given"));
      values[i] = (double) row->figures.shipments;
      labels[i] = own (chart, kl_chart_format_number_full (values[i], 0, "\3", ",", "."));
    }
  series->name = T (N_("Shipments"));
  series->values = values;
  series->n_values = n;
  series->point_labels = labels;
  chart->bars.title = rows->len > n ? T (N_("Shipments by destination region, top ten"))
                                    : T (N_("Shipments by destination region"));
  chart->bars.categories = categories;
  chart->bars.n_categories = n;
  chart->bars.series = series;
  chart->bars.n_series = 1;
  chart->bars.mode = KL_CHART_BARS_GROUPED;
  chart->bars.format = KL_CHART_FORMAT_COUNT;
  chart->bars.show_values = TRUE;
  return chart;
}

/* Rates month by month (reviews), with the first rate's target as a line. */
static KlReportChart *
monthly_rates_chart (const KlReportModel *m,
                     const char          *language,
                     const char          *title,
                     const KlRate        *rates,
                     guint                n_rates)
{
  GPtrArray *months = m->by_month;
  KlReportChart *chart;
  const char **categories;
  KlChartSeries *series;

  if (months->len == 0)
    return NULL;
  chart = chart_new (KL_REPORT_CHART_TREND, language);
  categories = own (chart, g_new0 (const char *, months->len));
  series = own (chart, g_new0 (KlChartSeries, n_rates));
  for (guint i = 0; i < months->len; i++)
    categories[i] = kl_report_month_abbrev (((KlReportRow *) g_ptr_array_index (months, i))->month,
                                            chart->language);
  for (guint s = 0; s < n_rates; s++)
    {
      double *values = own (chart, g_new0 (double, months->len));

      for (guint i = 0; i < months->len; i++)
        values[i] = ((KlReportRow *) g_ptr_array_index (months, i))->figures.rates[rates[s]];
      series[s].name = kl_report_rate_label (rates[s], chart->language);
      series[s].values = values;
      series[s].n_values = months->len;
    }
  chart->trend.title = T (title);
  chart->trend.categories = categories;
  chart->trend.n_categories = months->len;
  chart->trend.series = series;
  chart->trend.n_series = n_rates;
  chart->trend.style = KL_CHART_TREND_LINE;
  chart->trend.format = KL_CHART_FORMAT_PERCENT;
  chart->trend.show_legend = TRUE;
  chart->trend.show_points = TRUE;
  if (m->targets[rates[0]].has_target)
    {
      g_autofree char *pct = kl_format_percent (m->targets[rates[0]].target);

      chart->trend.has_target = TRUE;
      chart->trend.target = m->targets[rates[0]].target;
      /* Translators: the label of a chart's target line; %s is "95.0%". */
      chart->trend.target_label = own (chart, g_strdup_printf (T (N_("Target %s")), pct));
    }
  return chart;
}

/* Seasonality: the trailing twelve months in calendar-year rows. */
static KlReportChart *
season_heatmap_chart (const KlReportModel *m,
                      const char          *language)
{
  int first_year = m->trailing_months[0] / 100, last_year = m->trailing_months[11] / 100;
  gsize n_years = (gsize) (last_year - first_year + 1);
  KlReportChart *chart = chart_new (KL_REPORT_CHART_HEATMAP, language);
  int *years = own (chart, g_new0 (int, n_years));
  double *values = own (chart, g_new0 (double, n_years * 12));

  for (gsize i = 0; i < n_years * 12; i++)
    values[i] = NAN;
  for (gsize y = 0; y < n_years; y++)
    years[y] = first_year + (int) y;
  for (int i = 0; i < 12; i++)
    {
      int month = m->trailing_months[i];

      values[(gsize) (month / 100 - first_year) * 12 + (gsize) (month % 100 - 1)] =
        (double) m->trailing_shipments[i];
    }
  chart->heatmap.title = T (N_("Shipments by month (seasonality)"));
  chart->heatmap.years = years;
  chart->heatmap.n_years = n_years;
  chart->heatmap.values = values;
  chart->heatmap.format = KL_CHART_FORMAT_COUNT;
  chart->heatmap.show_values = TRUE;
  return chart;
}

/* Each rate with a target as a bullet, banded as kl_portfolio_level bands
 * it: the target to the allowance beyond it is the warning band. */
static KlReportChart *
targets_chart (const KlReportModel *m,
               const char          *language)
{
  KlReportChart *chart;
  KlChartBulletItem *items;
  guint n_targets = 0, n_items = 0;

  for (int r = 0; r < KL_N_RATES; r++)
    if (m->targets[r].has_target)
      n_targets++;
  if (n_targets == 0)
    return NULL;

  chart = chart_new (KL_REPORT_CHART_BULLET, language);
  items = own (chart, g_new0 (KlChartBulletItem, n_targets));
  for (int r = 0; r < KL_N_RATES; r++)
    {
      const KlKpiTarget *t = &m->targets[r];
      KlChartBulletItem *item;
      gboolean higher = kl_rate_higher_is_better ((KlRate) r);

      if (!t->has_target)
        continue;
      item = &items[n_items++];
      item->label = kl_report_rate_label ((KlRate) r, chart->language);
      item->value = t->actual;
      item->target = t->target;
      item->higher_is_better = higher;
      item->format = KL_CHART_FORMAT_PERCENT;
      if (higher)
        {
          double low = MAX (0.0, t->target - MAX (1.0 - t->target, 0.01));
          double lowest = isfinite (t->actual) ? MIN (low, t->actual) : low;

          item->band_low = low;
          item->band_high = t->target;
          item->range_min = MAX (0.0, floor ((lowest - 0.05) * 20) / 20);
          item->range_max = 1.0;
        }
      else
        {
          double highest = MAX (t->target * 2, isfinite (t->actual) ? t->actual : 0);

          item->band_low = t->target;
          item->band_high = t->target * 2;
          item->range_min = 0;
          item->range_max = highest > 0 ? highest * 1.25 : 0.01;
        }
    }
  chart->bullet.items = items;
  chart->bullet.n_items = n_items;
  return chart;
}

KlReportChart *
kl_report_chart_new (const KlReportModel  *model,
                     KlReportChartSection  section,
                     const char           *language)
{
  static const KlRate on_time[] = { KL_RATE_ARRIVAL_ON_TIME, KL_RATE_DISPATCH_ON_TIME };
  static const KlRate accuracy[] = { KL_RATE_ORDER_ACCURACY, KL_RATE_DOCUMENT_ACCURACY };
  static const KlRate accidents[] = { KL_RATE_INCIDENT, KL_RATE_DAMAGE };

  g_return_val_if_fail (model != NULL, NULL);

  switch (section)
    {
    case KL_REPORT_CHART_VOLUME_TREND:
      return volume_trend_chart (model, language);
    case KL_REPORT_CHART_DESTINATION_REGIONS:
      return region_bars_chart (model, language);
    case KL_REPORT_CHART_SEASONS:
      return season_heatmap_chart (model, language);
    case KL_REPORT_CHART_ON_TIME_RATES:
      return monthly_rates_chart (model, language, N_("On-time rates"), on_time, G_N_ELEMENTS (on_time));
    case KL_REPORT_CHART_ACCURACY_RATES:
      return monthly_rates_chart (model, language, N_("Accuracy"), accuracy, G_N_ELEMENTS (accuracy));
    case KL_REPORT_CHART_INCIDENT_RATES:
      return monthly_rates_chart (model, language, N_("Incident and damage rates"), accidents,
                                  G_N_ELEMENTS (accidents));
    case KL_REPORT_CHART_TARGETS:
      return targets_chart (model, language);
    default:
      g_return_val_if_reached (NULL);
    }
}

void
kl_report_chart_draw (const KlReportChart  *chart,
                      cairo_t              *cr,
                      double                width,
                      double                height,
                      const KlChartPalette *palette)
{
  locale_t numeric, old = (locale_t) 0;

  g_return_if_fail (chart != NULL);
  g_return_if_fail (cr != NULL && palette != NULL);

  /* Chart ticks follow LC_NUMERIC; the report's digits never do. */
  numeric = duplocale (LC_GLOBAL_LOCALE);
  if (numeric != (locale_t) 0)
    {
      locale_t c_numeric = newlocale (LC_NUMERIC_MASK, "C", numeric);

      if (c_numeric == (locale_t) 0)
        freelocale (numeric);   /* newlocale() keeps its base when it fails */
      numeric = c_numeric;
    }
  if (numeric != (locale_t) 0)
    old = uselocale (numeric);

  switch (chart->kind)
    {
    case KL_REPORT_CHART_TREND:
      kl_chart_draw_trend (cr, width, height, &chart->trend, palette);
      break;
    case KL_REPORT_CHART_BARS:
      kl_chart_draw_bars (cr, width, height, &chart->bars, palette);
      break;
    case KL_REPORT_CHART_BULLET:
      kl_chart_draw_bullet (cr, width, height, &chart->bullet, palette);
      break;
    case KL_REPORT_CHART_HEATMAP:
      kl_chart_draw_heatmap (cr, width, height, &chart->heatmap, palette);
      break;
    default:
      g_assert_not_reached ();
    }

  if (numeric != (locale_t) 0)
    {
      uselocale (old);
      freelocale (numeric);
    }
}
