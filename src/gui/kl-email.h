/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Emailing a report to the client from the window: the message
 * (kl-email-message.h, shared with keyline-cli) prepared on the worker,
 * and handed to the desktop's mail composer through the Email portal
 * (libportal), which works inside the Flatpak sandbox as well as outside
 * it.
 *
 * The composer sits behind one function pointer so tests put a fake in
 * its place that records what it was given. */
#pragma once

#include <gtk/gtk.h>

#include "kl-worker.h"
#include "kl-period.h"
#include "kl-report-job.h"
#include "kl-email-message.h"

G_BEGIN_DECLS

/* Prepares the email of customer_code's report for period on the worker:
 * reads the customer's primary contact, builds the report (or uses model,
 * copied, when given: the one on screen, its notes read again) and writes
 * its PDF into the user's cache directory, unless pdf_path names a report
 * already written, which is attached as it is. options: the paper,
 * letterhead and language, copied. */
void            kl_email_prepare_async  (KlWorker               *worker,
                                         const char             *customer_code,
                                         const KlPeriod         *period,
                                         const KlReportModel    *model,
                                         const KlReportOptions  *options,
                                         const char             *pdf_path,
                                         GCancellable           *cancellable,
                                         GAsyncReadyCallback     callback,
                                         gpointer                user_data);
KlEmailMessage *kl_email_prepare_finish (GAsyncResult           *result,
                                         GError                **error);

/* The composer: opens message in the user's mail program over parent and
 * returns on task (TRUE, or an error: G_IO_ERROR_CANCELLED when the user
 * cancelled, KL_EMAIL_ERROR otherwise). Main thread. */
typedef void (*KlEmailComposeFunc) (GtkWindow            *parent,
                                    const KlEmailMessage *message,
                                    GTask                *task);

/* Replaces the composer (tests); NULL restores the portal's. */
void            kl_email_set_compose_func (KlEmailComposeFunc func);

void            kl_email_compose_async  (GtkWindow            *parent,
                                         const KlEmailMessage *message,
                                         GCancellable         *cancellable,
                                         GAsyncReadyCallback   callback,
                                         gpointer              user_data);
gboolean        kl_email_compose_finish (GAsyncResult         *result,
                                         GError              **error);

G_END_DECLS
