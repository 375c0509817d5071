/* SPDX-License-Identifier: GPL-3.0-or-later */
/* "All my accounts": every active and at-risk account's report of a period
 * written as PDF files into a folder, with progress and a way to stop; then
 * a row per report to email it to the customer's starred contact
 * (batch.email-client, the customer code as target; batch.email-anyway
 * when that contact has no address). */
#pragma once

#include <adwaita.h>

#include "kl-worker.h"
#include "kl-period.h"
#include "kl-report-job.h"
#include "kl-email.h"

G_BEGIN_DECLS

#define KL_TYPE_REPORT_BATCH_DIALOG (kl_report_batch_dialog_get_type ())
G_DECLARE_FINAL_TYPE (KlReportBatchDialog, kl_report_batch_dialog, KL, REPORT_BATCH_DIALOG, AdwWindow)

/* options: the paper, letterhead and language (NULL: each customer's own)
 * every report is written with; copied. */
KlReportBatchDialog *kl_report_batch_dialog_new          (GtkWindow             *parent,
                                                          KlWorker              *worker,
                                                          const KlPeriod        *period,
                                                          const KlReportOptions *options);

/* Stops a running batch after the file being written (the batch.cancel
 * action; before a batch it closes the dialog). */
void                 kl_report_batch_dialog_cancel       (KlReportBatchDialog *self);

/* The accounts the batch covers; 0 until they are counted. */
guint                kl_report_batch_dialog_get_n_accounts (KlReportBatchDialog *self);
gboolean             kl_report_batch_dialog_get_ready    (KlReportBatchDialog *self);
gboolean             kl_report_batch_dialog_get_running  (KlReportBatchDialog *self);
/* TRUE once a batch has ended: done, stopped or failed. */
gboolean             kl_report_batch_dialog_get_finished (KlReportBatchDialog *self);
guint                kl_report_batch_dialog_get_n_written (KlReportBatchDialog *self);
/* TRUE once the written reports' contacts are read and their rows shown. */
gboolean             kl_report_batch_dialog_get_clients_ready (KlReportBatchDialog *self);
/* TRUE while an email is prepared or the composer opened. */
gboolean             kl_report_batch_dialog_get_emailing (KlReportBatchDialog *self);
/* For tests: the message without an address batch.email-anyway would open. */
const KlEmailMessage *_kl_report_batch_dialog_get_email_waiting (KlReportBatchDialog *self);

/* For tests: starts writing into folder, as if chosen in the file chooser. */
void                 _kl_report_batch_dialog_start       (KlReportBatchDialog *self,
                                                          GFile               *folder);

G_END_DECLS
