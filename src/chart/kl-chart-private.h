/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Shared drawing machinery of the chart renderers: text with Pango, guarded paths,
 * titles, legends and the value/category plot frame of trend and bar charts. */
#pragma once

#include <pango/pangocairo.h>

#include "kl-chart.h"

G_BEGIN_DECLS

typedef struct {
  cairo_t              *cr;
  const KlChartPalette *palette;
  PangoLayout          *layout;
  PangoFontDescription *font;
  double                width;        /* the chart's size */
  double                height;
  double                font_size;    /* base size in user units */
  double                line_height;  /* of one line of base-size text */
  double                gap;          /* spacing unit, proportional to the font */
  gboolean              halo;         /* text gets a background-coloured box */
} KlChartCanvas;

/* Saves the cairo state, clips to the chart; FALSE (nothing set up) for an unusable size. */
gboolean _kl_chart_canvas_begin (KlChartCanvas        *c,
                                 cairo_t              *cr,
                                 double                width,
                                 double                height,
                                 const KlChartPalette *palette);
void     _kl_chart_canvas_end   (KlChartCanvas        *c);

void     _kl_chart_canvas_font  (KlChartCanvas        *c,
                                 double                scale,
                                 gboolean              bold);
void     _kl_chart_text_size    (KlChartCanvas        *c,
                                 const char           *text,
                                 double                max_width,
                                 double               *width,
                                 double               *height);
/* Draws text with its box anchored at (x, y) by xalign/yalign (0 = left/top, 1 =
 * right/bottom), moved back inside the chart if it would cross an edge, and ellipsized
 * to max_width when that is > 0. */
void     _kl_chart_text_draw    (KlChartCanvas        *c,
                                 const char           *text,
                                 double                x,
                                 double                y,
                                 double                xalign,
                                 double                yalign,
                                 double                max_width,
                                 KlChartColor          color);

void     _kl_chart_set_color    (cairo_t              *cr,
                                 KlChartColor          color);
KlChartColor _kl_chart_mix      (KlChartColor          a,
                                 KlChartColor          b,
                                 double                t);
double   _kl_chart_luminance    (KlChartColor          color);

/* Path operations that refuse (with a critical) non-finite coordinates. */
void     _kl_chart_move_to      (cairo_t *cr,
                                 double   x,
                                 double   y);
void     _kl_chart_line_to      (cairo_t *cr,
                                 double   x,
                                 double   y);
void     _kl_chart_rectangle    (cairo_t *cr,
                                 double   x,
                                 double   y,
                                 double   w,
                                 double   h);
void     _kl_chart_arc          (cairo_t *cr,
                                 double   x,
                                 double   y,
                                 double   r);

/* y moved to the middle of a device pixel row, so a 1-unit horizontal line is crisp. */
double   _kl_chart_snap         (cairo_t *cr,
                                 double   y);

/* Title at the top; returns the height it took (0 without a title). */
double   _kl_chart_draw_title   (KlChartCanvas        *c,
                                 const char           *title,
                                 double                y);
/* Legend of series names in rows starting at y; returns its height. draw = FALSE only
 * measures. */
double   _kl_chart_legend       (KlChartCanvas        *c,
                                 const KlChartSeries  *series,
                                 gsize                 n_series,
                                 double                y,
                                 gboolean              draw);

/* A value axis on the left, categories along the bottom. */
typedef struct {
  double             x, y, w, h;    /* plot rectangle */
  KlChartTicks       ticks;
  KlChartValueFormat format;
  gsize              n_categories;
  gboolean           bands;         /* categories are bands (bars), not points (trend) */
  gboolean           compact;       /* too small for text: no labels */
} KlChartPlot;

void     _kl_chart_plot_layout  (KlChartCanvas        *c,
                                 double                top,
                                 double                data_min,
                                 double                data_max,
                                 KlChartValueFormat    format,
                                 const char * const   *categories,
                                 gsize                 n_categories,
                                 gboolean              bands,
                                 KlChartPlot          *plot);
void     _kl_chart_plot_draw_axes (KlChartCanvas      *c,
                                   const KlChartPlot  *plot,
                                   const char * const *categories);
double   _kl_chart_plot_x       (const KlChartPlot    *plot,
                                 gsize                 i);
double   _kl_chart_plot_y       (const KlChartPlot    *plot,
                                 double                value);
double   _kl_chart_plot_slot    (const KlChartPlot    *plot);

G_END_DECLS
