/* SPDX-License-Identifier: GPL-3.0-or-later */
/* keyline-cli report --email: the report's PDF written into the cache
 * directory and opened in the user's mail program through the Email portal,
 * addressed to the customer's primary contact (kl-email-message.h, the
 * window's own message). */
#pragma once

#include "kl-cli.h"
#include "kl-report-job.h"

G_BEGIN_DECLS

/* Returns the exit status: 0, or 69 when no mail program can be reached
 * (the PDF is kept); -1 with build_error set when the report or its PDF
 * could not be made. options: the paper, letterhead and
 * language. With KEYLINE_EMAIL_COMPOSE_LOG=FILE set (for tests), writes
 * the message's address, subject, body and attachment as JSON to FILE
 * instead of calling the portal. */
int kl_cli_report_email (KlDatabase      *db,
                         const char      *customer_code,
                         const KlPeriod  *period,
                         KlReportOptions *options,
                         GError         **build_error);

G_END_DECLS
