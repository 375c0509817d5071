/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The charts of a report: one section of a KlReportModel mapped to chart
 * data in the report's language. The printed report lays these out and the
 * Reports page exports them as PNG or SVG, so the two always agree. */
#pragma once

#include <cairo.h>

#include "kl-chart.h"
#include "kl-report-model.h"

G_BEGIN_DECLS

typedef enum {
  KL_REPORT_CHART_VOLUME_TREND,         /* shipments over the twelve months ending with the period */
  KL_REPORT_CHART_DESTINATION_REGIONS,  /* shipments by destination region, the largest ten */
  KL_REPORT_CHART_SEASONS,              /* the twelve months' shipments by calendar year */
  KL_REPORT_CHART_ON_TIME_RATES,        /* arrival and dispatch on time month by month */
  KL_REPORT_CHART_ACCURACY_RATES,       /* order and document accuracy month by month */
  KL_REPORT_CHART_INCIDENT_RATES,       /* incident and damage rates month by month */
  KL_REPORT_CHART_TARGETS,              /* every rate with a target against it (bullets) */
} KlReportChartSection;

typedef enum {
  KL_REPORT_CHART_TREND,
  KL_REPORT_CHART_BARS,
  KL_REPORT_CHART_BULLET,
  KL_REPORT_CHART_HEATMAP,
} KlReportChartKind;

/* The chart data: the spec of kind is filled, the others are zero. Every
 * string and array it points at is owned by the chart. */
typedef struct {
  KlReportChartKind  kind;
  char              *language;   /* "zh_CN" or "en" */
  KlChartTrend       trend;
  KlChartBars        bars;
  KlChartBullet      bullet;
  KlChartHeatmap     heatmap;
  /*< private >*/
  GPtrArray         *owned;
} KlReportChart;

/* section of model as chart data in language ("zh_CN" or "en"; other tags
 * as kl_report_language_normalize() reads them). NULL when the section has
 * nothing to chart: no regions, no months (the rates of a month report), no
 * targets. */
KlReportChart *kl_report_chart_new   (const KlReportModel  *model,
                                      KlReportChartSection  section,
                                      const char           *language);
void           kl_report_chart_free  (KlReportChart        *chart);

/* Draws the chart at width × height onto cr with palette. Tick labels use
 * the report's digits ("1,234.5") whatever LC_NUMERIC says. */
void           kl_report_chart_draw  (const KlReportChart  *chart,
                                      cairo_t              *cr,
                                      double                width,
                                      double                height,
                                      const KlChartPalette *palette);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KlReportChart, kl_report_chart_free)

G_END_DECLS
