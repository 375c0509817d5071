/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Bar chart by category (regions): series side by side, or stacked with positive and
 * negative parts growing away from zero. */
#include "config.h"

#include <math.h>

#include "kl-chart-private.h"

static double
value_at (const KlChartSeries *series,
          gsize                i)
{
  if (series->values == NULL || i >= series->n_values)
    return NAN;
  return series->values[i];
}

static void
data_range (const KlChartBars *spec,
            gsize              n_cat,
            double            *lo,
            double            *hi)
{
  *lo = INFINITY;
  *hi = -INFINITY;
  for (gsize i = 0; i < n_cat; i++)
    {
      double pos = 0, neg = 0;
      gboolean any = FALSE;

      for (gsize s = 0; s < spec->n_series; s++)
        {
          double v = value_at (&spec->series[s], i);

          if (!isfinite (v))
            continue;
          any = TRUE;
          if (spec->mode == KL_CHART_BARS_STACKED)
            {
              if (v >= 0)
                pos += v;
              else
                neg += v;
            }
          else
            {
              *lo = MIN (*lo, v);
              *hi = MAX (*hi, v);
            }
        }
      if (spec->mode == KL_CHART_BARS_STACKED && any)
        {
          *lo = MIN (*lo, neg);
          *hi = MAX (*hi, pos);
        }
    }
}

/* A value label above a positive bar top, below a negative one. */
static void
value_label (KlChartCanvas     *c,
             const KlChartPlot *plot,
             const char        *text,
             double             x,
             double             value,
             double             max_width,
             KlChartColor       color)
{
  double y, zero_y = _kl_chart_plot_y (plot, CLAMP (0.0, plot->ticks.min, plot->ticks.max));

  if (!isfinite (value))
    {
      _kl_chart_text_draw (c, text, x, zero_y - 2, 0.5, 1, max_width, color);
      return;
    }
  y = _kl_chart_plot_y (plot, value);
  if (value >= 0)
    _kl_chart_text_draw (c, text, x, y - 2, 0.5, 1, max_width, color);
  else
    _kl_chart_text_draw (c, text, x, y + 2, 0.5, 0, max_width, color);
}

void
kl_chart_draw_bars (cairo_t              *cr,
                    double                width,
                    double                height,
                    const KlChartBars    *spec,
                    const KlChartPalette *palette)
{
  KlChartCanvas c;
  KlChartPlot plot;
  g_autoptr(GPtrArray) labels = NULL;
  double top, lo, hi, slot, group_w, bar_w, zero_y;
  gsize n_cat;
  gboolean legend, values;

  g_return_if_fail (cr != NULL);
  g_return_if_fail (spec != NULL);
  g_return_if_fail (palette != NULL);
  g_return_if_fail (spec->n_series == 0 || spec->series != NULL);

  if (!_kl_chart_canvas_begin (&c, cr, width, height, palette))
    return;

  n_cat = spec->categories != NULL ? spec->n_categories : 0;
  for (gsize s = 0; s < spec->n_series; s++)
    n_cat = MAX (n_cat, spec->series[s].n_values);
  labels = g_ptr_array_new ();
  for (gsize i = 0; i < n_cat; i++)
    g_ptr_array_add (labels, (gpointer) (spec->categories != NULL && i < spec->n_categories &&
                                         spec->categories[i] != NULL ? spec->categories[i] : ""));

  data_range (spec, n_cat, &lo, &hi);
  /* Headroom so labels over the tallest bar stay inside the plot. */
  if (spec->show_values && lo <= hi)
    {
      double span = MAX (hi, 0) - MIN (lo, 0);

      if (hi > 0)
        hi += span * 0.08;
      if (lo < 0)
        lo -= span * 0.08;
    }

  top = _kl_chart_draw_title (&c, spec->title, 0);
  legend = spec->show_legend && spec->n_series > 1 &&
           _kl_chart_legend (&c, spec->series, spec->n_series, top, FALSE) < c.height / 4;
  if (legend)
    top += _kl_chart_legend (&c, spec->series, spec->n_series, top, TRUE);

  _kl_chart_plot_layout (&c, top, lo, hi, spec->format,
                         (const char * const *) labels->pdata, n_cat, TRUE, &plot);
  _kl_chart_plot_draw_axes (&c, &plot, (const char * const *) labels->pdata);

  if (n_cat == 0 || spec->n_series == 0)
    {
      if (!plot.compact)
        _kl_chart_text_draw (&c, "—", plot.x + plot.w / 2, plot.y + plot.h / 2, 0.5, 0.5, -1,
                             palette->muted);
      _kl_chart_canvas_end (&c);
      return;
    }

  slot = _kl_chart_plot_slot (&plot);
  group_w = slot * (plot.compact ? 0.8 : 0.7);
  bar_w = spec->mode == KL_CHART_BARS_STACKED ? group_w * 0.8 : group_w / spec->n_series;
  zero_y = _kl_chart_plot_y (&plot, CLAMP (0.0, plot.ticks.min, plot.ticks.max));

  for (gsize i = 0; i < n_cat; i++)
    {
      double center = _kl_chart_plot_x (&plot, i);
      double pos = 0, neg = 0;

      for (gsize s = 0; s < spec->n_series; s++)
        {
          double v = value_at (&spec->series[s], i);
          double x, y0, y1, inset;

          if (!isfinite (v))
            continue;
          if (spec->mode == KL_CHART_BARS_STACKED)
            {
              double from = v >= 0 ? pos : neg;

              x = center - bar_w / 2;
              y0 = _kl_chart_plot_y (&plot, from);
              y1 = _kl_chart_plot_y (&plot, from + v);
              if (v >= 0)
                pos += v;
              else
                neg += v;
            }
          else
            {
              x = center - group_w / 2 + s * bar_w;
              y0 = zero_y;
              y1 = _kl_chart_plot_y (&plot, v);
            }
          /* A hairline of background between neighbours once bars are wide enough. */
          inset = bar_w > 6 && spec->mode == KL_CHART_BARS_GROUPED ? 0.5 : 0;
          _kl_chart_set_color (cr, kl_chart_palette_series_color (palette, s));
          _kl_chart_rectangle (cr, x + inset, MIN (y0, y1), MAX (bar_w - 2 * inset, 0.5),
                               fabs (y1 - y0));
          cairo_fill (cr);
        }
    }

  /* Value labels only when every label fits over its bar (or stack). */
  values = spec->show_values && !plot.compact;
  if (values)
    {
      double room = spec->mode == KL_CHART_BARS_STACKED ? slot - c.gap / 2 : bar_w + c.gap / 2;

      _kl_chart_canvas_font (&c, 0.85, FALSE);
      for (gsize i = 0; i < n_cat && values; i++)
        for (gsize s = 0; s < spec->n_series && values; s++)
          {
            const KlChartSeries *series = &spec->series[s];
            g_autofree char *text = kl_chart_format_value (value_at (series, i), spec->format);
            const char *shown = series->point_labels != NULL && i < series->n_values &&
                                series->point_labels[i] != NULL ? series->point_labels[i] : text;
            double w, h;

            _kl_chart_text_size (&c, shown, -1, &w, &h);
            values = w <= room;
          }
    }
  if (values)
    {
      for (gsize i = 0; i < n_cat; i++)
        {
          double center = _kl_chart_plot_x (&plot, i);

          if (spec->mode == KL_CHART_BARS_STACKED)
            {
              double total = 0;
              gboolean any = FALSE;
              g_autofree char *text = NULL;

              for (gsize s = 0; s < spec->n_series; s++)
                {
                  double v = value_at (&spec->series[s], i);

                  if (isfinite (v))
                    {
                      total += v;
                      any = TRUE;
                    }
                }
              text = kl_chart_format_value (any ? total : NAN, spec->format);
              value_label (&c, &plot, text, center, any ? total : NAN, slot,
                           any ? palette->foreground : palette->muted);
              continue;
            }
          for (gsize s = 0; s < spec->n_series; s++)
            {
              const KlChartSeries *series = &spec->series[s];
              double v = value_at (series, i);
              g_autofree char *text = kl_chart_format_value (v, spec->format);
              const char *shown = series->point_labels != NULL && i < series->n_values &&
                                  series->point_labels[i] != NULL ? series->point_labels[i] : text;

              value_label (&c, &plot, shown, center - group_w / 2 + (s + 0.5) * bar_w, v,
                           bar_w + c.gap / 2, isfinite (v) ? palette->foreground : palette->muted);
            }
        }
      _kl_chart_canvas_font (&c, 1.0, FALSE);
    }

  _kl_chart_canvas_end (&c);
}
