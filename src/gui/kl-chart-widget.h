/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A chart of one series of plain data on screen: draws a kl-chart renderer
 * with the widget's style colours, and gives the same numbers to screen
 * readers, as a description and as a table. */
#pragma once

#include <gtk/gtk.h>
#include "kl-chart.h"

G_BEGIN_DECLS

typedef enum {
  KL_CHART_WIDGET_SPARKLINE,   /* word-sized, no axes or text */
  KL_CHART_WIDGET_TREND,       /* a line over the categories, with axes */
  KL_CHART_WIDGET_BARS,        /* a bar per category */
} KlChartWidgetKind;

#define KL_TYPE_CHART_WIDGET_KIND (kl_chart_widget_kind_get_type ())
GType kl_chart_widget_kind_get_type (void) G_GNUC_CONST;

#define KL_TYPE_CHART_WIDGET (kl_chart_widget_get_type ())
G_DECLARE_FINAL_TYPE (KlChartWidget, kl_chart_widget, KL, CHART_WIDGET, GtkWidget)

GtkWidget         *kl_chart_widget_new          (KlChartWidgetKind kind);

/* The chart renderers' palette from a widget's style (light or dark). */
KlChartPalette     kl_chart_widget_palette_for_style (GtkWidget *widget);

/* What the chart shows, "Dispatch on time by month": the accessible label
 * and the start of the description. */
void               kl_chart_widget_set_title    (KlChartWidget *self,
                                                 const char    *title);

/* Copies n values (NAN: missing) and their category names ("November
 * 2025"; categories may be NULL for none). */
void               kl_chart_widget_set_data     (KlChartWidget       *self,
                                                 const char * const  *categories,
                                                 const double        *values,
                                                 gsize                n_values,
                                                 KlChartValueFormat   format);
/* A target line; NAN for none. */
void               kl_chart_widget_set_target   (KlChartWidget *self,
                                                 double         target);

/* The text screen readers get as the description: every category and
 * value, then the target, "Shipments by month: November 2025 1,234, …". */
const char        *kl_chart_widget_get_summary  (KlChartWidget *self);

/* A new widget showing the data as a table (category, value), with table
 * roles for assistive technologies. */
GtkWidget         *kl_chart_widget_create_table (KlChartWidget *self);
/* A popover with the chart's title over that table. */
GtkWidget         *kl_chart_widget_create_table_popover (KlChartWidget *self);

G_END_DECLS
