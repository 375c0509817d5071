/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Trend chart: lines or areas over categories, with gaps for missing values and an
 * optional dashed target line. */
#include "config.h"

#include <math.h>

#include "kl-chart-private.h"

static gsize
count_points (const KlChartTrend *spec)
{
  gsize n = spec->categories != NULL ? spec->n_categories : 0;

  for (gsize s = 0; s < spec->n_series; s++)
    n = MAX (n, spec->series[s].n_values);
  return n;
}

static double
value_at (const KlChartSeries *series,
          gsize                i)
{
  if (series->values == NULL || i >= series->n_values)
    return NAN;
  return series->values[i];
}

/* Fills each run of present values down to the baseline. */
static void
fill_area (KlChartCanvas       *c,
           const KlChartPlot   *plot,
           const KlChartSeries *series,
           gsize                n_points,
           KlChartColor         color)
{
  double base = _kl_chart_plot_y (plot, CLAMP (0.0, plot->ticks.min, plot->ticks.max));
  gsize i = 0;

  color.alpha *= 0.22;
  _kl_chart_set_color (c->cr, color);
  while (i < n_points)
    {
      gsize start;

      if (!isfinite (value_at (series, i)))
        {
          i++;
          continue;
        }
      start = i;
      _kl_chart_move_to (c->cr, _kl_chart_plot_x (plot, i), base);
      for (; i < n_points && isfinite (value_at (series, i)); i++)
        _kl_chart_line_to (c->cr, _kl_chart_plot_x (plot, i),
                           _kl_chart_plot_y (plot, value_at (series, i)));
      _kl_chart_line_to (c->cr, _kl_chart_plot_x (plot, i - 1), base);
      cairo_close_path (c->cr);
      if (i - start == 1)
        cairo_new_path (c->cr); /* a single point has no area */
      else
        cairo_fill (c->cr);
    }
}

static void
stroke_line (KlChartCanvas       *c,
             const KlChartPlot   *plot,
             const KlChartSeries *series,
             gsize                n_points,
             KlChartColor         color,
             gboolean             show_points)
{
  cairo_t *cr = c->cr;
  double line = plot->compact ? 1.5 : 2.0;
  double dot = line * 1.6;

  _kl_chart_set_color (cr, color);
  cairo_set_line_width (cr, line);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
  for (gsize i = 0; i < n_points; i++)
    {
      double v = value_at (series, i);

      if (!isfinite (v))
        continue;
      if (i > 0 && isfinite (value_at (series, i - 1)))
        _kl_chart_line_to (cr, _kl_chart_plot_x (plot, i), _kl_chart_plot_y (plot, v));
      else
        _kl_chart_move_to (cr, _kl_chart_plot_x (plot, i), _kl_chart_plot_y (plot, v));
    }
  cairo_stroke (cr);

  /* Dots: every point on request, and always a point with no neighbour (else invisible). */
  for (gsize i = 0; i < n_points; i++)
    {
      double v = value_at (series, i);
      gboolean alone = !isfinite (value_at (series, i + 1)) &&
                       (i == 0 || !isfinite (value_at (series, i - 1)));

      if (isfinite (v) && (show_points || alone))
        _kl_chart_arc (cr, _kl_chart_plot_x (plot, i), _kl_chart_plot_y (plot, v), dot);
    }
  cairo_fill (cr);
}

void
kl_chart_draw_trend (cairo_t              *cr,
                     double                width,
                     double                height,
                     const KlChartTrend   *spec,
                     const KlChartPalette *palette)
{
  KlChartCanvas c;
  KlChartPlot plot;
  g_autoptr(GPtrArray) labels = NULL;
  double top, lo = INFINITY, hi = -INFINITY;
  gsize n_points;
  gboolean legend;

  g_return_if_fail (cr != NULL);
  g_return_if_fail (spec != NULL);
  g_return_if_fail (palette != NULL);
  g_return_if_fail (spec->n_series == 0 || spec->series != NULL);

  if (!_kl_chart_canvas_begin (&c, cr, width, height, palette))
    return;

  n_points = count_points (spec);
  labels = g_ptr_array_new ();
  for (gsize i = 0; i < n_points; i++)
    g_ptr_array_add (labels, (gpointer) (spec->categories != NULL && i < spec->n_categories &&
                                         spec->categories[i] != NULL ? spec->categories[i] : ""));

  for (gsize s = 0; s < spec->n_series; s++)
    for (gsize i = 0; i < spec->series[s].n_values; i++)
      {
        double v = value_at (&spec->series[s], i);

        if (isfinite (v))
          {
            lo = MIN (lo, v);
            hi = MAX (hi, v);
          }
      }
  if (spec->has_target && isfinite (spec->target))
    {
      lo = MIN (lo, spec->target);
      hi = MAX (hi, spec->target);
    }

  top = _kl_chart_draw_title (&c, spec->title, 0);
  legend = spec->show_legend && spec->n_series > 1 &&
           _kl_chart_legend (&c, spec->series, spec->n_series, top, FALSE) < c.height / 4;
  if (legend)
    top += _kl_chart_legend (&c, spec->series, spec->n_series, top, TRUE);

  _kl_chart_plot_layout (&c, top, lo, hi, spec->format,
                         (const char * const *) labels->pdata, n_points, FALSE, &plot);
  _kl_chart_plot_draw_axes (&c, &plot, (const char * const *) labels->pdata);

  if (spec->style == KL_CHART_TREND_AREA)
    for (gsize s = 0; s < spec->n_series; s++)
      fill_area (&c, &plot, &spec->series[s], n_points, kl_chart_palette_series_color (palette, s));
  for (gsize s = 0; s < spec->n_series; s++)
    stroke_line (&c, &plot, &spec->series[s], n_points,
                 kl_chart_palette_series_color (palette, s), spec->show_points);

  if (spec->has_target && isfinite (spec->target))
    {
      double y = _kl_chart_snap (cr, _kl_chart_plot_y (&plot, spec->target));
      double dash[] = { 6.0, 4.0 };

      _kl_chart_set_color (cr, palette->target);
      cairo_set_line_width (cr, 1.0);
      cairo_set_dash (cr, dash, G_N_ELEMENTS (dash), 0);
      _kl_chart_move_to (cr, plot.x, y);
      _kl_chart_line_to (cr, plot.x + plot.w, y);
      cairo_stroke (cr);
      cairo_set_dash (cr, NULL, 0, 0);

      if (!plot.compact && spec->target_label != NULL)
        {
          /* Above the line, or below when the line is near the top. */
          gboolean above = y - c.line_height > plot.y - c.line_height / 2;

          _kl_chart_canvas_font (&c, 0.9, FALSE);
          c.halo = TRUE;
          _kl_chart_text_draw (&c, spec->target_label, plot.x + plot.w, above ? y - 1 : y + 1,
                               1, above ? 1 : 0, plot.w, palette->target);
          c.halo = FALSE;
          _kl_chart_canvas_font (&c, 1.0, FALSE);
        }
    }

  if (!plot.compact)
    {
      _kl_chart_canvas_font (&c, 0.85, FALSE);
      c.halo = TRUE;
      for (gsize s = 0; s < spec->n_series; s++)
        {
          const KlChartSeries *series = &spec->series[s];

          if (series->point_labels == NULL)
            continue;
          for (gsize i = 0; i < series->n_values; i++)
            if (series->point_labels[i] != NULL && isfinite (value_at (series, i)))
              _kl_chart_text_draw (&c, series->point_labels[i], _kl_chart_plot_x (&plot, i),
                                   _kl_chart_plot_y (&plot, value_at (series, i)) - c.gap / 2,
                                   0.5, 1, _kl_chart_plot_slot (&plot) * 2, palette->foreground);
        }
      c.halo = FALSE;
      _kl_chart_canvas_font (&c, 1.0, FALSE);
    }

  if (!(lo <= hi) && !plot.compact)
    _kl_chart_text_draw (&c, "—", plot.x + plot.w / 2, plot.y + plot.h / 2, 0.5, 0.5, -1,
                         palette->muted);

  _kl_chart_canvas_end (&c);
}
