/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Printing a prepared report with GtkPrintOperation, and the page setup and
 * print settings a window keeps between print jobs. */
#pragma once

#include <gtk/gtk.h>

#include "kl-report-preview.h"

G_BEGIN_DECLS

#define KL_TYPE_REPORT_PRINT (kl_report_print_get_type ())
G_DECLARE_FINAL_TYPE (KlReportPrint, kl_report_print, KL, REPORT_PRINT, GObject)

KlReportPrint *kl_report_print_new              (void);

/* The paper of the report settings: the page setup's paper until the user
 * picks another in Page Setup. */
void           kl_report_print_set_paper        (KlReportPrint *self,
                                                 KlPaperSize    paper);
GtkPageSetup  *kl_report_print_get_page_setup   (KlReportPrint *self);

/* Shows the page setup dialog and keeps what the user chose. */
void           kl_report_print_run_page_setup   (KlReportPrint *self,
                                                 GtkWindow     *parent);

/* Shows the print dialog and prints report. current_page (0-based, or -1)
 * is what "Current Page" prints. The job keeps a reference to report until
 * it is done. Finishes with TRUE when the report was sent (or saved to a
 * file), FALSE with G_IO_ERROR_CANCELLED when the user cancelled, or FALSE
 * with the printing error. */
void           kl_report_print_run_async        (KlReportPrint       *self,
                                                 KlPreparedReport    *report,
                                                 int                  current_page,
                                                 GtkWindow           *parent,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
gboolean       kl_report_print_run_finish       (KlReportPrint  *self,
                                                 GAsyncResult   *result,
                                                 GError        **error);

/* For tests: prints report to a PDF file through the same print operation,
 * without a dialog. */
gboolean       kl_report_print_export           (KlReportPrint     *self,
                                                 KlPreparedReport  *report,
                                                 const char        *path,
                                                 GError           **error);

G_END_DECLS
