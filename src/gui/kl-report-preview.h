/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The on-screen report: a prepared report's pages on white paper, stacked
 * one under another, zoomable, drawn by the same layout code as the printout
 * and the PDF. */
#pragma once

#include <gtk/gtk.h>

#include "kl-report-model.h"
#include "kl-report-document.h"

G_BEGIN_DECLS

/* A report ready to show and print: its model and laid-out document, shared
 * by the preview and a running print job. Built on the worker thread and
 * handed over whole; from then on main-thread only. */
typedef struct _KlPreparedReport KlPreparedReport;

#define KL_TYPE_PREPARED_REPORT (kl_prepared_report_get_type ())
GType                kl_prepared_report_get_type     (void) G_GNUC_CONST;

/* Takes ownership of model and document. */
KlPreparedReport    *kl_prepared_report_new          (KlReportModel    *model,
                                                      KlReportDocument *document);
KlPreparedReport    *kl_prepared_report_ref          (KlPreparedReport *self);
void                 kl_prepared_report_unref        (KlPreparedReport *self);
const KlReportModel *kl_prepared_report_get_model    (KlPreparedReport *self);
KlReportDocument    *kl_prepared_report_get_document (KlPreparedReport *self);
void                 kl_prepared_report_draw_page    (KlPreparedReport *self,
                                                      cairo_t          *cr,
                                                      int               page);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KlPreparedReport, kl_prepared_report_unref)

/* Zoom limits, as a factor of 1 logical pixel per point. */
#define KL_REPORT_PREVIEW_MIN_ZOOM 0.25
#define KL_REPORT_PREVIEW_MAX_ZOOM 4.0

#define KL_TYPE_REPORT_PREVIEW (kl_report_preview_get_type ())
G_DECLARE_FINAL_TYPE (KlReportPreview, kl_report_preview, KL, REPORT_PREVIEW, GtkWidget)

GtkWidget        *kl_report_preview_new           (void);

/* NULL shows nothing. The preview keeps a reference. */
void              kl_report_preview_set_report    (KlReportPreview  *self,
                                                   KlPreparedReport *report);
KlPreparedReport *kl_report_preview_get_report    (KlReportPreview *self);

int               kl_report_preview_get_n_pages   (KlReportPreview *self);
/* The page (0-based) in the middle of the view; set_page scrolls to it. */
int               kl_report_preview_get_page      (KlReportPreview *self);
void              kl_report_preview_set_page      (KlReportPreview *self,
                                                   int              page);

/* Logical pixels per point. Setting a zoom leaves fit-width. */
double            kl_report_preview_get_zoom      (KlReportPreview *self);
void              kl_report_preview_set_zoom      (KlReportPreview *self,
                                                   double           zoom);
void              kl_report_preview_zoom_in       (KlReportPreview *self);
void              kl_report_preview_zoom_out      (KlReportPreview *self);
/* TRUE (the default): the zoom follows the width of the view. */
gboolean          kl_report_preview_get_fit_width (KlReportPreview *self);
void              kl_report_preview_set_fit_width (KlReportPreview *self,
                                                   gboolean         fit_width);

G_END_DECLS
