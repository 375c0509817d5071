/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The data of one report — a customer's (or the whole portfolio's) figures
 * for a period with targets, trends, months, regions, seasons and claims —
 * built from rollups only. The printed report, the JSON and the CSV are all
 * written from this one model. */
#pragma once

#include <glib-object.h>
#include "kl-database.h"
#include "kl-enums.h"
#include "kl-report-types.h"
#include "kl-period.h"
#include "kl-kpi.h"
#include "kl-report-claims.h"

G_BEGIN_DECLS

/* One line of a breakdown: a month (by_month) or a region. */
struct _KlReportRow {
  char         *key;      /* "2026-10" for a month; the region as stored ("" = not given) */
  char         *label;    /* for people: the key, or a translated "Not given" */
  int           month;    /* yyyymm for a month row, 0 for a region row */
  KlKpiFigures  figures;
};

struct _KlReportModel {
  /* NULL for a portfolio report. */
  char            *customer_id;
  char            *customer_code;
  char            *customer_name;
  char            *report_language;   /* "zh_CN", "en"; NULL for the portfolio */
  KlAbcClass       abc_class;         /* the stored effective class; KL_ABC_NONE for the portfolio */

  KlPeriod        *period;
  KlPeriod        *previous_period;
  KlPeriod        *year_ago_period;
  char            *timezone;          /* the workspace zone, "Asia/Shanghai" */

  KlKpiFigures     figures;
  KlKpiFigures     previous;
  KlKpiFigures     year_ago;
  KlKpiDeltas      delta_previous;    /* figures against previous */
  KlKpiDeltas      delta_year_ago;    /* figures against year_ago */

  /* Against the agreement in force on the period's last day (none for the
   * portfolio); has_agreement FALSE leaves every target without has_target. */
  gboolean         has_agreement;
  KlKpiTarget      targets[KL_N_RATES];

  GPtrArray       *by_month;              /* KlReportRow; empty for a month report */
  GPtrArray       *by_destination_region; /* KlReportRow, shipments desc then region */
  GPtrArray       *by_origin_region;

  /* The twelve months ending with the period (oldest first) and their
   * shipments; filled for every kind of report (charts use it). */
  int              trailing_months[12];
  gint64           trailing_shipments[12];
  /* yyyymm months; empty for a month report. */
  GArray          *peak_months;
  GArray          *off_peak_months;

  KlReportClaims   claims;

  /* What the KAM wrote for the client (report note store): the comments on
   * this period and the goals for the next ("" when none), and the notes of
   * the customer's cases in the period that are meant for the client
   * (char *, oldest first; never internal notes). Empty for the portfolio.
   * The printed report, the JSON and the CSV all show these. */
  char            *comments;
  char            *goals;
  GPtrArray       *client_notes;
};

#define KL_TYPE_REPORT_MODEL (kl_report_model_get_type ())
GType          kl_report_model_get_type (void) G_GNUC_CONST;

/* Builds the report of the customer with code customer_code (NULL: the
 * portfolio, the rollups of every customer summed, soft-deleted ones
 * included, as kl_rollup_read_total does) for period, with the comments,
 * goals and client notes kept for that customer and period. An unknown or deleted code
 * sets KL_REPORT_ERROR_NO_CUSTOMER; database failures pass their error on.
 * Runs on the caller's thread (the worker's, or the CLI's). */
KlReportModel *kl_report_build          (KlDatabase      *db,
                                         const char      *customer_code,
                                         const KlPeriod  *period,
                                         GError         **error);
KlReportModel *kl_report_model_copy     (const KlReportModel *self);
/* Reads the comments, goals and client notes of self's customer and period
 * again (after they were edited); does nothing for the portfolio. */
gboolean       kl_report_model_load_notes (KlReportModel  *self,
                                           KlDatabase     *db,
                                           GError        **error);
void           kl_report_model_free     (KlReportModel *self);
gboolean       kl_report_model_is_portfolio (const KlReportModel *self);

/* Peak and off-peak months of a twelve-month series, appended (yyyymm, in
 * series order) to the arrays: shipments >= 110 % of the twelve-month mean
 * is a peak, <= 90 % off-peak, compared exactly in integers. When the mean
 * is 0 (no shipments in the twelve months) there are none of either. */
void           kl_report_find_seasons   (const int     months[12],
                                         const gint64  shipments[12],
                                         GArray       *peak_months,
                                         GArray       *off_peak_months);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KlReportModel, kl_report_model_free)

G_END_DECLS
