/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A report's email, without GTK, for the window (kl-email.c) and
 * keyline-cli report --email alike: the message (the primary contact's
 * address, a subject and a short body in the report's language, the PDF
 * attached, written into the user's cache directory) and the Email
 * portal (libportal) that opens it in the user's mail program. */
#pragma once

#include <gio/gio.h>

#include "kl-database.h"
#include "kl-period.h"
#include "kl-report-job.h"

G_BEGIN_DECLS

struct _XdpParent;   /* libportal's XdpParent */

#define KL_EMAIL_ERROR (kl_email_error_quark ())
GQuark kl_email_error_quark (void);

typedef enum {
  KL_EMAIL_ERROR_NO_PORTAL,   /* no session bus, or no Email portal on it */
  KL_EMAIL_ERROR_FAILED,      /* the portal refused or failed */
} KlEmailError;

/* What a composer is asked to open. */
typedef struct _KlEmailMessage {
  char *address;        /* the primary contact's email; NULL when there is none */
  char *contact_name;   /* the primary contact's name; NULL when there is none */
  char *customer_name;
  char *subject;        /* "Service report March 2026 — Customer name", in the report's language */
  char *body;
  char *attachment;     /* absolute path of the report's PDF */
} KlEmailMessage;

KlEmailMessage *kl_email_message_copy (const KlEmailMessage *message);
void            kl_email_message_free (KlEmailMessage *message);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KlEmailMessage, kl_email_message_free)

/* Subject and body of a report's email in language ("zh_CN" or "en"):
 * contact_name may be NULL (a greeting without a name). Fills message's
 * subject and body. */
void            kl_email_message_set_text (KlEmailMessage *message,
                                           const char     *customer_name,
                                           const KlPeriod *period,
                                           const char     *language,
                                           const char     *contact_name);

/* The email of customer_code's report for period, on the calling thread
 * (the worker's in the window): reads the customer's primary contact,
 * builds the report (or uses model, taken over, when given: its notes
 * are read again) and writes its PDF into
 * $XDG_CACHE_HOME/keyline/email/, unless pdf_path names a report already
 * written, which is attached as it is. options: the paper, letterhead and
 * language; its thread_fonts is set. */
KlEmailMessage *kl_email_message_build (KlDatabase       *db,
                                        const char       *customer_code,
                                        const KlPeriod   *period,
                                        KlReportModel    *model,
                                        KlReportOptions  *options,
                                        const char       *pdf_path,
                                        GError          **error);

/* Opens message in the user's mail program through the Email portal.
 * parent: an XdpParent (libportal) or NULL, taken over. First checks,
 * without blocking, that a session bus and an Email portal exist (libportal
 * 0.6 cannot cope with either missing): KL_EMAIL_ERROR_NO_PORTAL with the
 * bus's own words otherwise. G_IO_ERROR_CANCELLED when the user cancelled,
 * KL_EMAIL_ERROR_FAILED when the portal failed. */
void            kl_email_portal_compose_async  (struct _XdpParent     *parent,
                                                const KlEmailMessage  *message,
                                                GCancellable          *cancellable,
                                                GAsyncReadyCallback    callback,
                                                gpointer               user_data);
gboolean        kl_email_portal_compose_finish (GAsyncResult          *result,
                                                GError               **error);

G_END_DECLS
