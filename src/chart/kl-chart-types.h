/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Plain data the chart renderers draw: colours, palettes, series and chart specs.
 * Nothing here owns memory; a spec points at the caller's arrays for one draw call. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Components 0…1, straight (not premultiplied) alpha. */
typedef struct {
  double red;
  double green;
  double blue;
  double alpha;
} KlChartColor;

#define KL_CHART_N_SERIES_COLORS 8

/* Colours and text settings of a chart. Renderers never paint the background
 * (call kl_chart_fill_background() for that); they use it to pick contrasting text. */
typedef struct {
  KlChartColor foreground;   /* labels, values, axis line */
  KlChartColor background;
  KlChartColor grid;         /* grid lines */
  KlChartColor muted;        /* secondary text: ticks, "—", legend */
  KlChartColor series[KL_CHART_N_SERIES_COLORS];
  KlChartColor good;         /* green band */
  KlChartColor warn;         /* amber band */
  KlChartColor bad;          /* red band */
  KlChartColor target;       /* target lines and markers */
  KlChartColor heat_low;     /* heat map: smallest value */
  KlChartColor heat_high;    /* heat map: largest value */
  const char  *font_family;  /* a Pango family list; static string, not freed */
  double       font_size;    /* in user units (logical pixels on screen, points on paper) */
} KlChartPalette;

typedef enum {
  KL_CHART_FORMAT_COUNT,    /* whole numbers with the locale's grouping: 12,345 */
  KL_CHART_FORMAT_PERCENT,  /* a fraction 0…1 shown with one decimal: 0.9995 → 100.0% */
  KL_CHART_FORMAT_DECIMAL,  /* one decimal with grouping: 1,234.5 */
} KlChartValueFormat;

/* One named row of numbers; NAN marks a missing value (drawn as a gap or "—"). */
typedef struct {
  const char          *name;          /* legend text; may be NULL */
  const double        *values;        /* n_values numbers */
  gsize                n_values;
  const char * const  *point_labels;  /* optional, n_values entries, each may be NULL:
                                       * trend: drawn above the point; bars: replaces the
                                       * value label */
} KlChartSeries;

typedef enum {
  KL_CHART_TREND_LINE,
  KL_CHART_TREND_AREA,
} KlChartTrendStyle;

/* A trend over categories (months, weeks): one line (or filled area) per series. */
typedef struct {
  const char          *title;         /* optional, drawn on top */
  const char * const  *categories;    /* x labels, n_categories entries (may be NULL) */
  gsize                n_categories;
  const KlChartSeries *series;
  gsize                n_series;
  KlChartTrendStyle    style;
  KlChartValueFormat   format;
  gboolean             has_target;    /* draws a dashed horizontal line at target */
  double               target;
  const char          *target_label;  /* optional, e.g. "Target 95.0%" */
  gboolean             show_legend;   /* a legend is drawn when TRUE and n_series > 1 */
  gboolean             show_points;   /* a dot on every value */
} KlChartTrend;

typedef enum {
  KL_CHART_BARS_GROUPED,
  KL_CHART_BARS_STACKED,
} KlChartBarsMode;

/* Vertical bars by category (regions): series[s].values[c] is series s in category c. */
typedef struct {
  const char          *title;
  const char * const  *categories;
  gsize                n_categories;
  const KlChartSeries *series;
  gsize                n_series;
  KlChartBarsMode      mode;
  KlChartValueFormat   format;
  gboolean             show_values;   /* value labels above bars (grouped) or totals (stacked) */
  gboolean             show_legend;   /* drawn when TRUE and n_series > 1 */
} KlChartBars;

/* One row of a bullet chart: a KPI against its target on red/amber/green bands.
 * higher_is_better: red below band_low, amber up to band_high, green above.
 * lower is better: green below band_low, amber up to band_high, red above.
 * Either band limit may be NAN (no such band). */
typedef struct {
  const char          *label;
  double               value;         /* NAN: missing, shown as "—" */
  double               target;        /* NAN: no target marker */
  double               band_low;
  double               band_high;
  gboolean             higher_is_better;
  double               range_min;     /* NAN: automatic (0, or below the data) */
  double               range_max;     /* NAN: automatic (1 for percent, else nice) */
  KlChartValueFormat   format;
} KlChartBulletItem;

typedef struct {
  const char              *title;
  const KlChartBulletItem *items;
  gsize                    n_items;
} KlChartBullet;

/* Seasonality: rows are years, columns the 12 months; values row-major, NAN missing. */
typedef struct {
  const char          *title;
  const int           *years;
  gsize                n_years;
  const double        *values;        /* n_years × 12 */
  KlChartValueFormat   format;
  gboolean             show_values;   /* value text in the cells when they are big enough */
} KlChartHeatmap;

/* A word-sized line with no axes or text. */
typedef struct {
  const double        *values;
  gsize                n_values;
  gboolean             has_target;
  double               target;
  gboolean             fill;          /* shade under the line */
  gboolean             show_last;     /* a dot on the last value */
} KlChartSparkline;

/* Axis ticks from kl_chart_ticks_compute(). */
#define KL_CHART_MAX_TICKS 32

typedef struct {
  double min;        /* axis start (= ticks[0]) */
  double max;        /* axis end (= ticks[n_ticks - 1]) */
  double step;       /* 1, 2 or 5 × 10^n */
  guint  n_ticks;    /* ≥ 2 */
  int    decimals;   /* decimals a label needs to tell the ticks apart */
  double ticks[KL_CHART_MAX_TICKS];
} KlChartTicks;

G_END_DECLS
