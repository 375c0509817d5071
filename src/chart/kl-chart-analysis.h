/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The charts of docs/analysis.md: the Pareto chart of the account classes
 * and the two importance–performance matrices. Plain data in, drawn with
 * Cairo and Pango like the other renderers (kl-chart.h). Every text is
 * given by the caller, already in the report's language. */
#pragma once

#include <cairo.h>

#include "kl-chart-types.h"

G_BEGIN_DECLS

typedef struct {
  const char         *title;          /* optional */
  const double       *values;         /* contributions, sorted descending */
  const char * const *labels;         /* account codes, may be NULL */
  gsize               n_values;
  const double       *marks;          /* cumulative shares marked (0.70, 0.90, 0.98) */
  const char * const *mark_labels;    /* "70 %", …; may be NULL */
  gsize               n_marks;
} KlChartPareto;

void kl_chart_draw_pareto (cairo_t              *cr,
                           double                width,
                           double                height,
                           const KlChartPalette *palette,
                           const KlChartPareto  *spec);

typedef struct {
  const char *label;      /* the attribute code and its stars: "price**" */
  double      x;
  double      y;
} KlChartPoint;

/* Competitive position: importance 1–7 across, relative performance −3…+3
 * up, the bands (disadvantage < −1 ≤ parity ≤ +1 < advantage) labelled,
 * and the importance line at 4.0. */
typedef struct {
  const char          *title;
  const char          *x_label;        /* "Importance" */
  const char          *y_label;        /* "Relative performance" */
  const char          *band_labels[3]; /* disadvantage, parity, advantage */
  const char          *important_label;/* at the line importance = 4 */
  const KlChartPoint  *points;         /* x = importance, y = relative */
  gsize                n_points;
} KlChartPositionMatrix;

void kl_chart_draw_position_matrix (cairo_t                     *cr,
                                    double                       width,
                                    double                       height,
                                    const KlChartPalette        *palette,
                                    const KlChartPositionMatrix *spec);

/* Performance evaluation: our performance 1–7 across, importance 1–7 up,
 * both banded low < 3.0 ≤ medium ≤ 5.0 < high; each of the nine cells
 * labelled with its action. */
typedef struct {
  const char          *title;
  const char          *x_label;           /* "Our performance" */
  const char          *y_label;           /* "Importance" */
  const char          *band_labels[3];    /* low, medium, high */
  const char          *cell_labels[3][3]; /* [importance low..high][performance low..high] */
  const KlChartPoint  *points;            /* x = our performance, y = importance */
  gsize                n_points;
} KlChartEvaluationMatrix;

void kl_chart_draw_evaluation_matrix (cairo_t                       *cr,
                                      double                         width,
                                      double                         height,
                                      const KlChartPalette          *palette,
                                      const KlChartEvaluationMatrix *spec);

G_END_DECLS
