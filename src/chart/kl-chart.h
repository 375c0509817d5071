/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Chart renderers: pure functions drawing plain data onto any cairo_t with Cairo and Pango.
 * Coordinates are user units of the cairo_t: a widget passes logical pixels (HiDPI is the
 * surface's device scale), the report layout passes points. Each renderer draws inside
 * (0, 0, width, height) of the current user space, leaves the cairo_t state as it found
 * it, and draws nothing for a size it cannot use (width or height ≤ 0). */
#pragma once

#include <cairo.h>
#include <pango/pango.h>

#include "kl-chart-types.h"

G_BEGIN_DECLS

/* The chart text font: CJK first so Chinese labels render, Latin fallbacks after. */
#define KL_CHART_FONT_FAMILY "Noto Sans CJK SC, Noto Sans, sans"
/* The face of the ASCII runs of text in KL_CHART_FONT_FAMILY: the same Latin glyphs,
 * with the same advances, from another regional face of Noto Sans CJK, so that a PDF
 * subsets Latin and Han glyphs apart (see kl-chart-text.c). */
#define KL_CHART_LATIN_FONT_FAMILY \
  "Noto Sans CJK JP, Noto Sans CJK TC, Noto Sans CJK KR, Noto Sans CJK SC, Noto Sans, sans"

/* Sets text on layout (NULL: none). When the layout's font is KL_CHART_FONT_FAMILY,
 * its ASCII runs are set in KL_CHART_LATIN_FONT_FAMILY; the layout's attributes are
 * replaced either way. Set the font description first. */
void kl_chart_layout_set_text (PangoLayout *layout,
                               const char  *text);

/* Palettes */
KlChartPalette kl_chart_palette_light       (void);
KlChartPalette kl_chart_palette_dark        (void);
KlChartPalette kl_chart_palette_print       (void);
/* From a widget's style colours: text, window background and accent. Dark or light
 * variants of the other colours are chosen by the background's lightness. */
KlChartPalette kl_chart_palette_from_colors (const KlChartColor *foreground,
                                             const KlChartColor *background,
                                             const KlChartColor *accent);
/* Series colour for index i, cycling through the palette's colours. */
KlChartColor   kl_chart_palette_series_color (const KlChartPalette *palette,
                                              gsize                 i);
void           kl_chart_fill_background     (cairo_t              *cr,
                                             double                width,
                                             double                height,
                                             const KlChartPalette *palette);

/* Numbers. All return a newly allocated string; a NAN or infinite value gives "—". */

/* Deterministic core: value rounded half away from zero to `decimals` places, the
 * integer part grouped by `grouping` (localeconv() style: "\3" = thousands, "\3\2" =
 * Indian lakh grouping, "" or NULL = none) with `thousands_sep`, and `decimal_point`. */
char *kl_chart_format_number_full (double      value,
                                   int         decimals,
                                   const char *grouping,
                                   const char *thousands_sep,
                                   const char *decimal_point);
/* The same with the current LC_NUMERIC separators and grouping. */
char *kl_chart_format_number      (double value,
                                   int    decimals);
/* A fraction as percent with `decimals` places: (0.9995, 1) → "100.0%". */
char *kl_chart_format_percent_full (double fraction,
                                    int    decimals);
/* COUNT: 0 decimals, PERCENT: percent with 1 decimal, DECIMAL: 1 decimal. */
char *kl_chart_format_value       (double             value,
                                   KlChartValueFormat format);
/* A tick label: as kl_chart_format_value() but with just the decimals the step needs. */
char *kl_chart_format_tick        (double              value,
                                   KlChartValueFormat  format,
                                   const KlChartTicks *ticks);

/* Nice axis ticks (steps of 1, 2 or 5 × 10^n) covering [data_min, data_max] with at most
 * max_ticks ticks (clamped to 2…KL_CHART_MAX_TICKS). NAN/infinite bounds are ignored;
 * with no finite bound the axis is 0…1. include_zero stretches the range to 0. Equal
 * bounds are widened around the value. Returns FALSE when there was no finite data. */
gboolean kl_chart_ticks_compute (double        data_min,
                                 double        data_max,
                                 guint         max_ticks,
                                 gboolean      include_zero,
                                 KlChartTicks *ticks);

/* Abbreviated month name, month 1…12, translated ("Jan", "1月"). */
const char *kl_chart_month_label (int month);
/* Axis labels for n months from first_yyyymm: each month's abbreviated name,
 * with the year on a second line where it starts or changes ("Dec\n2025",
 * "Jan\n2026", "Feb", …). A NULL-terminated array to g_strfreev (). */
char      **kl_chart_month_axis_labels (int   first_yyyymm,
                                        guint n);

/* Renderers */
void kl_chart_draw_trend     (cairo_t              *cr,
                              double                width,
                              double                height,
                              const KlChartTrend   *spec,
                              const KlChartPalette *palette);
void kl_chart_draw_bars      (cairo_t              *cr,
                              double                width,
                              double                height,
                              const KlChartBars    *spec,
                              const KlChartPalette *palette);
void kl_chart_draw_bullet    (cairo_t              *cr,
                              double                width,
                              double                height,
                              const KlChartBullet  *spec,
                              const KlChartPalette *palette);
void kl_chart_draw_heatmap   (cairo_t              *cr,
                              double                width,
                              double                height,
                              const KlChartHeatmap *spec,
                              const KlChartPalette *palette);
void kl_chart_draw_sparkline (cairo_t                *cr,
                              double                  width,
                              double                  height,
                              const KlChartSparkline *spec,
                              const KlChartPalette   *palette);

G_END_DECLS
