/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Sparkline: a word-sized line with gaps for missing values, no axes and no text. */
#include "config.h"

#include <math.h>

#include "kl-chart-private.h"

void
kl_chart_draw_sparkline (cairo_t                *cr,
                         double                  width,
                         double                  height,
                         const KlChartSparkline *spec,
                         const KlChartPalette   *palette)
{
  double lo = INFINITY, hi = -INFINITY, line, pad, x0, w, y0, h;
  gsize last = G_MAXSIZE;
  KlChartColor color;

  g_return_if_fail (cr != NULL);
  g_return_if_fail (spec != NULL);
  g_return_if_fail (palette != NULL);
  g_return_if_fail (spec->n_values == 0 || spec->values != NULL);

  if (!(isfinite (width) && isfinite (height) && width > 0 && height > 0 &&
        width < 1e6 && height < 1e6))
    return;

  for (gsize i = 0; i < spec->n_values; i++)
    if (isfinite (spec->values[i]))
      {
        lo = MIN (lo, spec->values[i]);
        hi = MAX (hi, spec->values[i]);
        last = i;
      }
  if (spec->has_target && isfinite (spec->target))
    {
      lo = MIN (lo, spec->target);
      hi = MAX (hi, spec->target);
    }

  cairo_save (cr);
  cairo_rectangle (cr, 0, 0, width, height);
  cairo_clip (cr);
  cairo_new_path (cr);

  line = CLAMP (height / 14, 1.0, 2.0);
  pad = MIN (line * 2, MIN (width, height) / 4);
  x0 = pad;
  w = width - 2 * pad;
  y0 = pad;
  h = height - 2 * pad;
  if (lo > hi)
    {
      /* Nothing to draw but perhaps a target: any finite scale does. */
      lo = 0;
      hi = 2;
    }
  /* Keep hi - lo finite and non-zero for any input. */
  lo = CLAMP (lo, -1e300, 1e300);
  hi = CLAMP (hi, -1e300, 1e300);
  if (!(hi > lo))
    {
      /* Flat: a level line through the middle. */
      double half = MAX (1.0, fabs (lo) * 0.1);

      lo -= half;
      hi += half;
    }

#define SX(i) (spec->n_values > 1 ? x0 + w * (double) (i) / (spec->n_values - 1) : x0 + w / 2)
#define SY(v) (y0 + h * (1 - CLAMP (((v) - lo) / (hi - lo), 0.0, 1.0)))

  color = palette->series[0];
  if (spec->fill)
    {
      KlChartColor shade = color;

      shade.alpha *= 0.2;
      _kl_chart_set_color (cr, shade);
      for (gsize i = 0; i < spec->n_values; i++)
        {
          gsize start = i;

          if (!isfinite (spec->values[i]))
            continue;
          _kl_chart_move_to (cr, SX (i), y0 + h);
          for (; i < spec->n_values && isfinite (spec->values[i]); i++)
            _kl_chart_line_to (cr, SX (i), SY (spec->values[i]));
          _kl_chart_line_to (cr, SX (i - 1), y0 + h);
          cairo_close_path (cr);
          if (i - start > 1)
            cairo_fill (cr);
          else
            cairo_new_path (cr);
        }
    }

  if (spec->has_target && isfinite (spec->target))
    {
      double dash[] = { 3.0, 2.0 };

      _kl_chart_set_color (cr, palette->target);
      cairo_set_line_width (cr, 1.0);
      cairo_set_dash (cr, dash, G_N_ELEMENTS (dash), 0);
      double ty = _kl_chart_snap (cr, SY (spec->target));

      _kl_chart_move_to (cr, 0, ty);
      _kl_chart_line_to (cr, width, ty);
      cairo_stroke (cr);
      cairo_set_dash (cr, NULL, 0, 0);
    }

  _kl_chart_set_color (cr, color);
  cairo_set_line_width (cr, line);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
  for (gsize i = 0; i < spec->n_values; i++)
    {
      double v = spec->values[i];

      if (!isfinite (v))
        continue;
      if (i > 0 && isfinite (spec->values[i - 1]))
        _kl_chart_line_to (cr, SX (i), SY (v));
      else
        _kl_chart_move_to (cr, SX (i), SY (v));
    }
  cairo_stroke (cr);

  /* A value with no neighbour has no segment: show it as a dot. */
  for (gsize i = 0; i < spec->n_values; i++)
    if (isfinite (spec->values[i]) &&
        (i == 0 || !isfinite (spec->values[i - 1])) &&
        (i + 1 == spec->n_values || !isfinite (spec->values[i + 1])))
      _kl_chart_arc (cr, SX (i), SY (spec->values[i]), line * 1.2);
  cairo_fill (cr);

  if (spec->show_last && last != G_MAXSIZE)
    {
      _kl_chart_arc (cr, SX (last), SY (spec->values[last]), line * 1.5);
      cairo_fill (cr);
    }

#undef SX
#undef SY

  cairo_restore (cr);
}
