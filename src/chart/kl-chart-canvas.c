/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Drawing machinery shared by the renderers: Pango text kept inside the chart, guarded
 * paths, titles, legends and the value/category frame of trend and bar charts. */
#include "config.h"

#include <math.h>

#include "kl-chart-private.h"

#define DEFAULT_FONT_SIZE 11.0

static gboolean
usable_size (double v)
{
  return isfinite (v) && v > 0 && v < 1e6;
}

gboolean
_kl_chart_canvas_begin (KlChartCanvas        *c,
                        cairo_t              *cr,
                        double                width,
                        double                height,
                        const KlChartPalette *palette)
{
  PangoContext *context;
  cairo_font_options_t *options;
  double w, h;

  *c = (KlChartCanvas) { 0 };
  if (!usable_size (width) || !usable_size (height))
    return FALSE;
  if (cairo_status (cr) != CAIRO_STATUS_SUCCESS)
    return FALSE;

  c->cr = cr;
  c->palette = palette;
  c->width = width;
  c->height = height;
  c->font_size = palette->font_size > 0 && isfinite (palette->font_size)
                   ? palette->font_size : DEFAULT_FONT_SIZE;

  cairo_save (cr);
  cairo_rectangle (cr, 0, 0, width, height);
  cairo_clip (cr);
  cairo_new_path (cr);
  /* A little air at the edges once there is room for text, so glyph overhangs and
   * antialiasing are never cut by the clip. */
  if (width >= 100 && height >= 40)
    {
      cairo_translate (cr, 2, 2);
      c->width -= 4;
      c->height -= 4;
    }

  c->layout = pango_cairo_create_layout (cr);
  context = pango_layout_get_context (c->layout);
  /* Unhinted metrics so measured text scales with the surface (HiDPI, print). */
  options = cairo_font_options_create ();
  cairo_font_options_set_hint_metrics (options, CAIRO_HINT_METRICS_OFF);
  pango_cairo_context_set_font_options (context, options);
  cairo_font_options_destroy (options);
  pango_layout_context_changed (c->layout);

  c->font = pango_font_description_from_string (palette->font_family != NULL
                                                ? palette->font_family : KL_CHART_FONT_FAMILY);
  _kl_chart_canvas_font (c, 1.0, FALSE);
  _kl_chart_text_size (c, "0Ag", -1, &w, &h);
  c->line_height = h > 0 ? h : c->font_size * 1.4;
  c->gap = c->font_size * 0.6;
  return TRUE;
}

void
_kl_chart_canvas_end (KlChartCanvas *c)
{
  if (c->cr == NULL)
    return;
  g_clear_object (&c->layout);
  g_clear_pointer (&c->font, pango_font_description_free);
  cairo_restore (c->cr);
  c->cr = NULL;
}

void
_kl_chart_canvas_font (KlChartCanvas *c,
                       double         scale,
                       gboolean       bold)
{
  pango_font_description_set_absolute_size (c->font, c->font_size * scale * PANGO_SCALE);
  pango_font_description_set_weight (c->font, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
  pango_layout_set_font_description (c->layout, c->font);
}

static void
set_text (KlChartCanvas *c,
          const char    *text,
          double         max_width)
{
  if (max_width > 0)
    {
      pango_layout_set_width (c->layout, (int) (max_width * PANGO_SCALE));
      pango_layout_set_ellipsize (c->layout, PANGO_ELLIPSIZE_END);
    }
  else
    {
      pango_layout_set_width (c->layout, -1);
      pango_layout_set_ellipsize (c->layout, PANGO_ELLIPSIZE_NONE);
    }
  pango_layout_set_single_paragraph_mode (c->layout, TRUE);
  kl_chart_layout_set_text (c->layout, text);
}

void
_kl_chart_text_size (KlChartCanvas *c,
                     const char    *text,
                     double         max_width,
                     double        *width,
                     double        *height)
{
  PangoRectangle logical;

  set_text (c, text, max_width);
  pango_layout_get_extents (c->layout, NULL, &logical);
  *width = (double) logical.width / PANGO_SCALE;
  *height = (double) logical.height / PANGO_SCALE;
}

void
_kl_chart_text_draw (KlChartCanvas *c,
                     const char    *text,
                     double         x,
                     double         y,
                     double         xalign,
                     double         yalign,
                     double         max_width,
                     KlChartColor   color)
{
  PangoRectangle logical;
  double w, h, bx, by;

  if (text == NULL || *text == '\0' || !isfinite (x) || !isfinite (y))
    return;
  if (max_width <= 0 || max_width > c->width)
    max_width = c->width;
  if (max_width < 1)
    return;

  set_text (c, text, max_width);
  pango_layout_get_extents (c->layout, NULL, &logical);
  w = (double) logical.width / PANGO_SCALE;
  h = (double) logical.height / PANGO_SCALE;

  bx = x - xalign * w;
  by = y - yalign * h;
  bx = CLAMP (bx, 0, MAX (0, c->width - w));
  by = CLAMP (by, 0, MAX (0, c->height - h));

  if (c->halo)
    {
      /* Keeps a label readable where it crosses lines and points. */
      KlChartColor back = c->palette->background;

      back.alpha *= 0.85;
      _kl_chart_set_color (c->cr, back);
      cairo_rectangle (c->cr, bx - 2, by, w + 4, h);
      cairo_fill (c->cr);
    }
  _kl_chart_set_color (c->cr, color);
  /* The layout's box starts at logical.x (non-zero only for ellipsized or RTL text). */
  cairo_move_to (c->cr, bx - (double) logical.x / PANGO_SCALE, by);
  pango_cairo_show_layout (c->cr, c->layout);
  cairo_new_path (c->cr);
}

void
_kl_chart_set_color (cairo_t      *cr,
                     KlChartColor  color)
{
  cairo_set_source_rgba (cr, color.red, color.green, color.blue, color.alpha);
}

KlChartColor
_kl_chart_mix (KlChartColor a,
               KlChartColor b,
               double       t)
{
  return (KlChartColor) {
    a.red + (b.red - a.red) * t,
    a.green + (b.green - a.green) * t,
    a.blue + (b.blue - a.blue) * t,
    a.alpha + (b.alpha - a.alpha) * t,
  };
}

double
_kl_chart_luminance (KlChartColor color)
{
  return 0.2126 * color.red + 0.7152 * color.green + 0.0722 * color.blue;
}

static gboolean
check_finite (double a,
              double b,
              double c,
              double d)
{
  if (isfinite (a) && isfinite (b) && isfinite (c) && isfinite (d))
    return TRUE;
  g_critical ("chart: refusing a non-finite coordinate (%g, %g, %g, %g)", a, b, c, d);
  return FALSE;
}

void
_kl_chart_move_to (cairo_t *cr,
                   double   x,
                   double   y)
{
  if (check_finite (x, y, 0, 0))
    cairo_move_to (cr, x, y);
}

void
_kl_chart_line_to (cairo_t *cr,
                   double   x,
                   double   y)
{
  if (check_finite (x, y, 0, 0))
    cairo_line_to (cr, x, y);
}

void
_kl_chart_rectangle (cairo_t *cr,
                     double   x,
                     double   y,
                     double   w,
                     double   h)
{
  if (check_finite (x, y, w, h))
    cairo_rectangle (cr, x, y, w, h);
}

void
_kl_chart_arc (cairo_t *cr,
               double   x,
               double   y,
               double   r)
{
  if (check_finite (x, y, r, 0))
    {
      cairo_new_sub_path (cr);
      cairo_arc (cr, x, y, MAX (r, 0), 0, 2 * G_PI);
    }
}

double
_kl_chart_draw_title (KlChartCanvas *c,
                      const char    *title,
                      double         y)
{
  double w, h;

  if (title == NULL || *title == '\0')
    return 0;
  _kl_chart_canvas_font (c, 1.15, TRUE);
  _kl_chart_text_size (c, title, c->width, &w, &h);
  if (h + c->line_height * 2 < c->height)
    _kl_chart_text_draw (c, title, 0, y, 0, 0, c->width, c->palette->foreground);
  else
    h = -c->gap / 2; /* no room: the chart gets the space */
  _kl_chart_canvas_font (c, 1.0, FALSE);
  return h + c->gap / 2;
}

double
_kl_chart_legend (KlChartCanvas       *c,
                  const KlChartSeries *series,
                  gsize                n_series,
                  double               y,
                  gboolean             draw)
{
  double swatch = c->line_height * 0.6;
  double x = 0, rows = 1;

  if (n_series == 0)
    return 0;
  for (gsize i = 0; i < n_series; i++)
    {
      const char *name = series[i].name != NULL ? series[i].name : "";
      double max_text = MAX (1, c->width - swatch - c->gap / 2);
      double tw, th, item;

      _kl_chart_text_size (c, name, max_text, &tw, &th);
      item = swatch + c->gap / 2 + tw;
      if (x > 0 && x + item > c->width)
        {
          x = 0;
          rows++;
        }
      if (draw)
        {
          double ry = y + (rows - 1) * c->line_height;

          _kl_chart_set_color (c->cr, kl_chart_palette_series_color (c->palette, i));
          _kl_chart_rectangle (c->cr, x, ry + (c->line_height - swatch) / 2, swatch, swatch);
          cairo_fill (c->cr);
          _kl_chart_text_draw (c, name, x + swatch + c->gap / 2, ry, 0, 0, max_text,
                               c->palette->foreground);
        }
      x += item + c->gap * 1.5;
    }
  return rows * c->line_height + c->gap / 2;
}

void
_kl_chart_plot_layout (KlChartCanvas      *c,
                       double              top,
                       double              data_min,
                       double              data_max,
                       KlChartValueFormat  format,
                       const char * const *categories,
                       gsize               n_categories,
                       gboolean            bands,
                       KlChartPlot        *plot)
{
  gboolean include_zero = bands || format != KL_CHART_FORMAT_PERCENT;
  double bottom, avail_h, max_label = 0;
  guint max_ticks;

  *plot = (KlChartPlot) { 0 };
  plot->format = format;
  plot->n_categories = n_categories;
  plot->bands = bands;

  bottom = categories != NULL && n_categories > 0 ? c->line_height + c->gap / 2 : c->gap / 2;
  avail_h = c->height - top - bottom - c->line_height / 2;

  if (avail_h < c->line_height * 2 || c->width < c->line_height * 6)
    {
      /* Too small for text: the data gets the whole area. */
      plot->compact = TRUE;
      kl_chart_ticks_compute (data_min, data_max, 2, include_zero, &plot->ticks);
      plot->x = 1;
      plot->y = 1;
      plot->w = MAX (c->width - 2, 0.5);
      plot->h = MAX (c->height - 2, 0.5);
      return;
    }

  max_ticks = (guint) CLAMP (floor (avail_h / (c->line_height * 1.8)) + 1, 2, 11);
  kl_chart_ticks_compute (data_min, data_max, max_ticks, include_zero, &plot->ticks);
  for (guint i = 0; i < plot->ticks.n_ticks; i++)
    {
      g_autofree char *label = kl_chart_format_tick (plot->ticks.ticks[i], format, &plot->ticks);
      double w, h;

      _kl_chart_text_size (c, label, -1, &w, &h);
      max_label = MAX (max_label, w);
    }

  plot->x = MIN (max_label + c->gap, c->width / 3);
  plot->y = top + c->line_height / 2;
  plot->w = MAX (c->width - plot->x - c->gap, 1);
  plot->h = avail_h;
}

double
_kl_chart_plot_slot (const KlChartPlot *plot)
{
  gsize n = MAX (plot->n_categories, 1);

  if (plot->bands)
    return plot->w / n;
  return n > 1 ? plot->w / (n - 1) : plot->w;
}

double
_kl_chart_plot_x (const KlChartPlot *plot,
                  gsize              i)
{
  if (plot->bands)
    return plot->x + (i + 0.5) * _kl_chart_plot_slot (plot);
  if (plot->n_categories <= 1)
    return plot->x + plot->w / 2;
  return plot->x + i * _kl_chart_plot_slot (plot);
}

double
_kl_chart_plot_y (const KlChartPlot *plot,
                  double             value)
{
  double span = plot->ticks.max - plot->ticks.min;
  double t;

  if (!(span > 0) || !isfinite (value))
    return plot->y + plot->h;
  t = (value - plot->ticks.min) / span;
  t = CLAMP (t, -0.05, 1.05);
  return plot->y + plot->h * (1 - t);
}

double
_kl_chart_snap (cairo_t *cr,
                double   y)
{
  double dx = 0, dy = y;

  cairo_user_to_device (cr, &dx, &dy);
  dy = floor (dy) + 0.5;
  cairo_device_to_user (cr, &dx, &dy);
  return isfinite (dy) ? dy : y;
}

void
_kl_chart_plot_draw_axes (KlChartCanvas      *c,
                          const KlChartPlot  *plot,
                          const char * const *categories)
{
  const KlChartPalette *p = c->palette;
  cairo_t *cr = c->cr;
  double slot, max_w = 0;
  gsize every = 1;

  cairo_set_line_width (cr, 1.0);
  for (guint i = 0; i < plot->ticks.n_ticks; i++)
    {
      double v = plot->ticks.ticks[i];
      double y = _kl_chart_snap (cr, _kl_chart_plot_y (plot, v));

      _kl_chart_set_color (cr, v == 0 || i == 0 ? p->muted : p->grid);
      _kl_chart_move_to (cr, plot->x, y);
      _kl_chart_line_to (cr, plot->x + plot->w, y);
      cairo_stroke (cr);

      if (!plot->compact)
        {
          g_autofree char *label = kl_chart_format_tick (v, plot->format, &plot->ticks);

          _kl_chart_text_draw (c, label, plot->x - c->gap / 2, y, 1, 0.5, -1, p->muted);
        }
    }

  if (plot->compact || categories == NULL || plot->n_categories == 0)
    return;

  /* Show every n-th category so labels never overlap. */
  slot = _kl_chart_plot_slot (plot);
  for (gsize i = 0; i < plot->n_categories; i++)
    {
      double w, h;

      _kl_chart_text_size (c, categories[i], -1, &w, &h);
      max_w = MAX (max_w, w);
    }
  if (slot > 0 && max_w + c->gap > slot)
    every = (gsize) ceil ((max_w + c->gap) / slot);
  every = MAX (every, 1);

  for (gsize i = 0; i < plot->n_categories; i += every)
    {
      double limit = MAX (slot * every - c->gap / 2, c->font_size * 2);

      _kl_chart_text_draw (c, categories[i], _kl_chart_plot_x (plot, i),
                           plot->y + plot->h + c->gap / 2, 0.5, 0, limit, p->muted);
    }
}
