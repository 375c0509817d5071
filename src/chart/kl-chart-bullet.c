/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Bullet chart: one row per KPI, its value as a bar over red/amber/green bands, the
 * target as a vertical marker, the value as text on the right. */
#include "config.h"

#include <math.h>

#include "kl-chart-private.h"

static void
item_range (const KlChartBulletItem *item,
            double                  *lo,
            double                  *hi)
{
  double data_lo = 0, data_hi = 0;
  const double points[] = { item->value, item->target, item->band_low, item->band_high };

  for (guint i = 0; i < G_N_ELEMENTS (points); i++)
    if (isfinite (points[i]))
      {
        data_lo = MIN (data_lo, points[i]);
        data_hi = MAX (data_hi, points[i]);
      }

  if (isfinite (item->range_min))
    *lo = item->range_min;
  else
    *lo = data_lo;

  if (isfinite (item->range_max))
    *hi = item->range_max;
  else if (item->format == KL_CHART_FORMAT_PERCENT && data_hi <= 1.0)
    *hi = 1.0;
  else
    {
      KlChartTicks ticks;

      kl_chart_ticks_compute (*lo, data_hi * 1.05, 6, TRUE, &ticks);
      *hi = ticks.max;
    }
  if (!(*hi > *lo))
    *hi = *lo + 1;
}

static double
scale_x (double x0,
         double w,
         double lo,
         double hi,
         double v)
{
  /* Halves keep the difference finite even for ±DBL_MAX. */
  double t = (v / 2 - lo / 2) / (hi / 2 - lo / 2);

  if (!isfinite (t))
    t = v > lo ? 1.0 : 0.0;
  return x0 + w * CLAMP (t, 0.0, 1.0);
}

static void
band (KlChartCanvas *c,
      double         x0,
      double         w,
      double         lo,
      double         hi,
      double         from,
      double         to,
      double         y,
      double         h,
      KlChartColor   color)
{
  double a, b;

  if (!isfinite (from))
    from = lo;
  if (!isfinite (to))
    to = hi;
  a = scale_x (x0, w, lo, hi, from);
  b = scale_x (x0, w, lo, hi, to);
  if (b <= a)
    return;
  /* Tints keep the bar and marker readable on top of the bands. */
  _kl_chart_set_color (c->cr, _kl_chart_mix (color, c->palette->background, 0.55));
  _kl_chart_rectangle (c->cr, a, y, b - a, h);
  cairo_fill (c->cr);
}

void
kl_chart_draw_bullet (cairo_t              *cr,
                      double                width,
                      double                height,
                      const KlChartBullet  *spec,
                      const KlChartPalette *palette)
{
  KlChartCanvas c;
  double top, row_h, label_w = 0, value_w = 0, bar_x, bar_w;
  gboolean text;

  g_return_if_fail (cr != NULL);
  g_return_if_fail (spec != NULL);
  g_return_if_fail (palette != NULL);
  g_return_if_fail (spec->n_items == 0 || spec->items != NULL);

  if (!_kl_chart_canvas_begin (&c, cr, width, height, palette))
    return;
  if (spec->n_items == 0)
    {
      _kl_chart_canvas_end (&c);
      return;
    }

  top = _kl_chart_draw_title (&c, spec->title, 0);
  row_h = (c.height - top) / spec->n_items;
  text = row_h >= c.line_height && c.width >= c.line_height * 8;

  if (text)
    {
      for (gsize i = 0; i < spec->n_items; i++)
        {
          g_autofree char *value = kl_chart_format_value (spec->items[i].value, spec->items[i].format);
          double w, h;

          _kl_chart_text_size (&c, spec->items[i].label, -1, &w, &h);
          label_w = MAX (label_w, w);
          _kl_chart_text_size (&c, value, -1, &w, &h);
          value_w = MAX (value_w, w);
        }
      label_w = MIN (label_w, c.width * 0.35);
      value_w = MIN (value_w, c.width * 0.2);
      bar_x = label_w > 0 ? label_w + c.gap : 0;
      bar_w = c.width - bar_x - value_w - c.gap;
    }
  else
    {
      bar_x = 0;
      bar_w = c.width;
    }
  if (bar_w < 4)
    {
      text = FALSE;
      bar_x = 0;
      bar_w = c.width;
    }

  for (gsize i = 0; i < spec->n_items; i++)
    {
      const KlChartBulletItem *item = &spec->items[i];
      double row_y = top + i * row_h;
      double band_h = MIN (row_h * 0.7, c.line_height * 1.5);
      double band_y = row_y + (row_h - band_h) / 2;
      double cy = row_y + row_h / 2;
      double lo, hi;
      gboolean has_bands = isfinite (item->band_low) || isfinite (item->band_high);

      item_range (item, &lo, &hi);

      if (!has_bands)
        band (&c, bar_x, bar_w, lo, hi, lo, hi, band_y, band_h, palette->grid);
      else if (item->higher_is_better)
        {
          band (&c, bar_x, bar_w, lo, hi, lo, item->band_low, band_y, band_h, palette->bad);
          band (&c, bar_x, bar_w, lo, hi, isfinite (item->band_low) ? item->band_low : lo,
                item->band_high, band_y, band_h, palette->warn);
          if (isfinite (item->band_high))
            band (&c, bar_x, bar_w, lo, hi, item->band_high, hi, band_y, band_h, palette->good);
        }
      else
        {
          band (&c, bar_x, bar_w, lo, hi, lo, item->band_low, band_y, band_h, palette->good);
          band (&c, bar_x, bar_w, lo, hi, isfinite (item->band_low) ? item->band_low : lo,
                item->band_high, band_y, band_h, palette->warn);
          if (isfinite (item->band_high))
            band (&c, bar_x, bar_w, lo, hi, item->band_high, hi, band_y, band_h, palette->bad);
        }

      if (isfinite (item->value))
        {
          double from = scale_x (bar_x, bar_w, lo, hi, CLAMP (0.0, lo, hi));
          double to = scale_x (bar_x, bar_w, lo, hi, item->value);
          double vh = MAX (band_h / 3, 1);

          _kl_chart_set_color (cr, palette->foreground);
          _kl_chart_rectangle (cr, MIN (from, to), cy - vh / 2, MAX (fabs (to - from), 1), vh);
          cairo_fill (cr);
        }

      if (isfinite (item->target))
        {
          double x = scale_x (bar_x, bar_w, lo, hi, item->target);
          double lw = MAX (MIN (band_h / 6, 3), 1.5);

          x = CLAMP (x, bar_x + lw / 2, bar_x + bar_w - lw / 2);
          _kl_chart_set_color (cr, palette->target);
          _kl_chart_rectangle (cr, x - lw / 2, band_y - band_h * 0.1, lw, band_h * 1.2);
          cairo_fill (cr);
        }

      if (text)
        {
          g_autofree char *value = kl_chart_format_value (item->value, item->format);

          _kl_chart_text_draw (&c, item->label, 0, cy, 0, 0.5, label_w, palette->foreground);
          _kl_chart_text_draw (&c, value, c.width, cy, 1, 0.5, value_w + c.gap,
                               isfinite (item->value) ? palette->foreground : palette->muted);
        }
    }

  _kl_chart_canvas_end (&c);
}
