/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Seasonality heat map: a row per year, a column per month, colour from the palette's
 * low to high heat colour; a scale under the grid shows the range. */
#include "config.h"

#include <math.h>

#include "kl-chart-private.h"

/* Text colour that stands out on a cell: the palette's foreground or background. */
static KlChartColor
text_on (const KlChartPalette *p,
         KlChartColor          cell)
{
  double l = _kl_chart_luminance (cell);

  return fabs (_kl_chart_luminance (p->foreground) - l) >=
         fabs (_kl_chart_luminance (p->background) - l) ? p->foreground : p->background;
}

void
kl_chart_draw_heatmap (cairo_t              *cr,
                       double                width,
                       double                height,
                       const KlChartHeatmap *spec,
                       const KlChartPalette *palette)
{
  KlChartCanvas c;
  double top, lo = INFINITY, hi = -INFINITY, label_w = 0, month_w = 0;
  double header_h, scale_h, cell_w, cell_h, grid_x, grid_y;
  gboolean text, numbers_only = FALSE;
  guint month_every = 1;

  g_return_if_fail (cr != NULL);
  g_return_if_fail (spec != NULL);
  g_return_if_fail (palette != NULL);
  g_return_if_fail (spec->n_years == 0 || (spec->years != NULL && spec->values != NULL));

  if (!_kl_chart_canvas_begin (&c, cr, width, height, palette))
    return;
  if (spec->n_years == 0)
    {
      _kl_chart_canvas_end (&c);
      return;
    }

  for (gsize i = 0; i < spec->n_years * 12; i++)
    if (isfinite (spec->values[i]))
      {
        lo = MIN (lo, spec->values[i]);
        hi = MAX (hi, spec->values[i]);
      }

  top = _kl_chart_draw_title (&c, spec->title, 0);
  text = c.width >= c.line_height * 8 && c.height - top >= c.line_height * 3;
  if (text)
    {
      for (gsize r = 0; r < spec->n_years; r++)
        {
          char year[16];
          double w, h;

          g_snprintf (year, sizeof year, "%d", spec->years[r]);
          _kl_chart_text_size (&c, year, -1, &w, &h);
          label_w = MAX (label_w, w);
        }
      for (int m = 1; m <= 12; m++)
        {
          double w, h;

          _kl_chart_text_size (&c, kl_chart_month_label (m), -1, &w, &h);
          month_w = MAX (month_w, w);
        }
      header_h = c.line_height + c.gap / 3;
      scale_h = c.line_height + c.gap;
      grid_x = label_w + c.gap;
    }
  else
    {
      header_h = 0;
      scale_h = 0;
      grid_x = 0;
    }

  cell_w = (c.width - grid_x) / 12;
  cell_h = (c.height - top - header_h - scale_h) / spec->n_years;
  if (text)
    cell_h = MIN (cell_h, MAX (c.line_height * 2.2, cell_w * 0.6));
  if (cell_w <= 0.5 || cell_h <= 0.5)
    {
      _kl_chart_canvas_end (&c);
      return;
    }
  grid_y = top + header_h;

  /* Month names when they fit, else month numbers, thinned if even those crowd. */
  if (text && month_w + c.gap / 2 > cell_w)
    {
      double w, h;

      numbers_only = TRUE;
      _kl_chart_text_size (&c, "12", -1, &w, &h);
      while (month_every < 12 && (w + c.gap / 2) > cell_w * month_every)
        month_every = month_every == 1 ? 2 : month_every == 2 ? 3 : 6;
    }

  for (gsize r = 0; r < spec->n_years; r++)
    for (int m = 0; m < 12; m++)
      {
        double v = spec->values[r * 12 + m];
        double x = grid_x + m * cell_w, y = grid_y + r * cell_h;
        double inset = cell_w > 6 && cell_h > 6 ? 1 : 0;

        if (isfinite (v))
          {
            /* Halves keep the difference finite even for ±DBL_MAX. */
            double t = hi > lo ? (v / 2 - lo / 2) / (hi / 2 - lo / 2) : 1.0;
            KlChartColor color;

            t = isfinite (t) ? CLAMP (t, 0.0, 1.0) : 1.0;
            color = _kl_chart_mix (palette->heat_low, palette->heat_high, t);

            _kl_chart_set_color (cr, color);
            _kl_chart_rectangle (cr, x + inset, y + inset, cell_w - 2 * inset, cell_h - 2 * inset);
            cairo_fill (cr);
            if (text && spec->show_values)
              {
                g_autofree char *label = kl_chart_format_value (v, spec->format);
                double w, h;

                _kl_chart_canvas_font (&c, 0.85, FALSE);
                _kl_chart_text_size (&c, label, -1, &w, &h);
                if (w <= cell_w - 2 * inset - 2 && h <= cell_h)
                  _kl_chart_text_draw (&c, label, x + cell_w / 2, y + cell_h / 2, 0.5, 0.5, -1,
                                       text_on (palette, color));
                _kl_chart_canvas_font (&c, 1.0, FALSE);
              }
          }
        else
          {
            _kl_chart_set_color (cr, palette->grid);
            cairo_set_line_width (cr, 1);
            _kl_chart_rectangle (cr, x + inset + 0.5, y + inset + 0.5,
                                 MAX (cell_w - 2 * inset - 1, 0), MAX (cell_h - 2 * inset - 1, 0));
            cairo_stroke (cr);
            if (text && cell_h >= c.line_height)
              _kl_chart_text_draw (&c, "—", x + cell_w / 2, y + cell_h / 2, 0.5, 0.5, cell_w,
                                   palette->muted);
          }
      }

  if (text)
    {
      double sw = MIN (cell_w * 3, (c.width - grid_x) / 3);
      double sy = grid_y + spec->n_years * cell_h + c.gap / 2;
      double sh = c.line_height * 0.6;
      g_autofree char *lo_text = kl_chart_format_value (lo, spec->format);
      g_autofree char *hi_text = kl_chart_format_value (hi, spec->format);
      double lw, lh, sx;
      cairo_pattern_t *gradient;

      for (gsize r = 0; r < spec->n_years; r++)
        {
          char year[16];

          g_snprintf (year, sizeof year, "%d", spec->years[r]);
          _kl_chart_text_draw (&c, year, label_w, grid_y + (r + 0.5) * cell_h, 1, 0.5, -1,
                               palette->muted);
        }
      for (int m = 0; m < 12; m += (int) month_every)
        {
          char number[4];
          const char *label = kl_chart_month_label (m + 1);

          if (numbers_only)
            {
              g_snprintf (number, sizeof number, "%d", m + 1);
              label = number;
            }
          _kl_chart_text_draw (&c, label, grid_x + (m + 0.5) * cell_w, top, 0.5, 0,
                               cell_w * month_every, palette->muted);
        }

      /* Scale: low value, gradient, high value, right-aligned under the grid. */
      if (lo <= hi)
        {
          _kl_chart_text_size (&c, hi_text, -1, &lw, &lh);
          sx = c.width - lw - c.gap / 2 - sw;
          _kl_chart_text_draw (&c, hi_text, c.width, sy + sh / 2, 1, 0.5, -1, palette->muted);
          gradient = cairo_pattern_create_linear (sx, 0, sx + sw, 0);
          cairo_pattern_add_color_stop_rgba (gradient, 0, palette->heat_low.red,
                                             palette->heat_low.green, palette->heat_low.blue,
                                             palette->heat_low.alpha);
          cairo_pattern_add_color_stop_rgba (gradient, 1, palette->heat_high.red,
                                             palette->heat_high.green, palette->heat_high.blue,
                                             palette->heat_high.alpha);
          cairo_set_source (cr, gradient);
          _kl_chart_rectangle (cr, sx, sy, sw, sh);
          cairo_fill (cr);
          cairo_pattern_destroy (gradient);
          _kl_chart_text_draw (&c, lo_text, sx - c.gap / 2, sy + sh / 2, 1, 0.5, -1,
                               palette->muted);
        }
    }

  _kl_chart_canvas_end (&c);
}
