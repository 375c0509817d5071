/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The Reports page: pick a customer (or the whole portfolio) and a period,
 * write the comments and goals for the client, see the report as it will
 * print, then print it, export it, or write every account's report at once.
 *
 * Actions, in the "reports" group on the page: reports.print,
 * reports.page-setup, reports.export-pdf, reports.export-chart,
 * reports.export-figures, reports.export-xlsx, reports.email (Email to Client…),
 * reports.email-anyway, reports.all-accounts, reports.refresh,
 * reports.period-kind ('month', 'quarter', 'year'), reports.zoom-in,
 * reports.zoom-out, reports.zoom-fit, reports.zoom-to (a double),
 * reports.next-page, reports.previous-page. */
#pragma once

#include <adwaita.h>

#include "kl-worker.h"
#include "kl-period.h"
#include "kl-report-model.h"
#include "kl-report-chart.h"
#include "kl-report-document.h"
#include "kl-report-preview.h"
#include "kl-email.h"

G_BEGIN_DECLS

#define KL_TYPE_REPORTS_PAGE (kl_reports_page_get_type ())
G_DECLARE_FINAL_TYPE (KlReportsPage, kl_reports_page, KL, REPORTS_PAGE, AdwBin)

GtkWidget        *kl_reports_page_new           (void);
void              kl_reports_page_set_worker    (KlReportsPage  *self,
                                                 KlWorker       *worker);
/* Reloads the customers and the report after the workspace changed (the
 * page also does this each time it is shown). */
void              kl_reports_page_refresh       (KlReportsPage  *self);

/* Selects the customer (once the customers are loaded); NULL selects the
 * whole portfolio. Without a choice the page opens on a customer. */
void              kl_reports_page_show_customer (KlReportsPage  *self,
                                                 const char     *customer_id);
/* Before the page first shows a report (it opens on the first customer):
 * open on customer_id instead, the account open elsewhere in the window.
 * Does nothing once the page has made its choice. */
void              kl_reports_page_suggest_customer (KlReportsPage *self,
                                                    const char    *customer_id);
/* The selected customer's id, NULL for the portfolio. */
const char       *kl_reports_page_get_customer_id (KlReportsPage *self);
/* Selects the period (and its kind). */
void              kl_reports_page_set_period    (KlReportsPage  *self,
                                                 const KlPeriod *period);
const KlPeriod   *kl_reports_page_get_period    (KlReportsPage  *self);
/* "zh_CN", "en", or NULL for the customer's own language. */
void              kl_reports_page_set_language  (KlReportsPage  *self,
                                                 const char     *language);

/* The report in the preview, or NULL while there is none. Main thread. */
KlPreparedReport *kl_reports_page_get_report    (KlReportsPage  *self);
KlReportDocument *kl_reports_page_get_document  (KlReportsPage  *self);
const KlReportModel *kl_reports_page_get_model  (KlReportsPage  *self);
/* TRUE while the report is being prepared or notes are being saved. */
gboolean          kl_reports_page_get_busy      (KlReportsPage  *self);

/* For tests: what the export actions write once a file is chosen. */
typedef enum {
  KL_REPORTS_EXPORT_PDF,
  KL_REPORTS_EXPORT_CSV,
  KL_REPORTS_EXPORT_JSON,
  KL_REPORTS_EXPORT_TREND_PNG,
  KL_REPORTS_EXPORT_TREND_SVG,
  KL_REPORTS_EXPORT_REGIONS_PNG,
  KL_REPORTS_EXPORT_REGIONS_SVG,
  KL_REPORTS_EXPORT_XLSX,
} KlReportsExport;

void              _kl_reports_page_export_to     (KlReportsPage       *self,
                                                  KlReportsExport      format,
                                                  GFile               *file,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
gboolean          _kl_reports_page_export_finish (KlReportsPage  *self,
                                                  GAsyncResult   *result,
                                                  GError        **error);
/* The chart a chart export writes (trend or regions by format), in the
 * report's language; NULL without a report or without regions. */
KlReportChart    *_kl_reports_page_make_chart    (KlReportsPage   *self,
                                                  KlReportsExport  format);
/* Email to Client (reports.email): TRUE while the message is prepared or
 * the composer opened; the message without an address that
 * reports.email-anyway would open, or NULL. */
gboolean          _kl_reports_page_get_emailing  (KlReportsPage  *self);
const KlEmailMessage *_kl_reports_page_get_email_waiting (KlReportsPage *self);
/* Comments and goals saved so far. */
guint             _kl_reports_page_get_n_saves   (KlReportsPage  *self);

G_END_DECLS
