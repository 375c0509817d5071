/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Emailing a report from the window: the message (kl-email-message.c)
 * prepared on the worker and the Email portal that opens it in the user's
 * mail program over the window. */
#include "config.h"

#include <glib/gi18n.h>
#include <libportal-gtk4/portal-gtk4.h>

#include "kl-email.h"

/* Preparing, on the worker */

typedef struct {
  char            *customer_code;
  KlPeriod        *period;
  KlReportModel   *model;      /* NULL: build it */
  KlReportOptions  options;
  char            *pdf_path;   /* NULL: write one */
} PrepareRequest;

static void
prepare_request_free (PrepareRequest *request)
{
  g_free (request->customer_code);
  kl_period_free (request->period);
  g_clear_pointer (&request->model, kl_report_model_free);
  kl_report_options_clear (&request->options);
  g_free (request->pdf_path);
  g_free (request);
}

static gpointer
prepare_job (KlDatabase   *db,
             gpointer      data,
             KlWorkerJob  *job,
             GError      **error)
{
  PrepareRequest *request = data;

  return kl_email_message_build (db, request->customer_code, request->period,
                                 g_steal_pointer (&request->model), &request->options,
                                 request->pdf_path, error);
}

static void
prepared (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  KlEmailMessage *message;

  message = kl_worker_run_finish (KL_WORKER (source), result, &error);
  if (message == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, message, (GDestroyNotify) kl_email_message_free);
}

void
kl_email_prepare_async (KlWorker               *worker,
                        const char             *customer_code,
                        const KlPeriod         *period,
                        const KlReportModel    *model,
                        const KlReportOptions  *options,
                        const char             *pdf_path,
                        GCancellable           *cancellable,
                        GAsyncReadyCallback     callback,
                        gpointer                user_data)
{
  PrepareRequest *request;
  GTask *task;

  g_return_if_fail (KL_IS_WORKER (worker));
  g_return_if_fail (model != NULL || (customer_code != NULL && period != NULL));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, kl_email_prepare_async);

  request = g_new0 (PrepareRequest, 1);
  request->customer_code = g_strdup (model != NULL ? model->customer_code : customer_code);
  request->period = kl_period_copy (model != NULL ? model->period : period);
  request->model = model != NULL ? kl_report_model_copy (model) : NULL;
  if (options != NULL)
    kl_report_options_copy_into (&request->options, options);
  else
    request->options = (KlReportOptions) KL_REPORT_OPTIONS_INIT;
  request->pdf_path = g_strdup (pdf_path);

  kl_worker_run (worker, KL_WORKER_READ, prepare_job, request, (GDestroyNotify) prepare_request_free,
                 (GDestroyNotify) kl_email_message_free, NULL, NULL, cancellable, prepared, task);
}

KlEmailMessage *
kl_email_prepare_finish (GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* The portal's composer (kl-email-message.c), over the window */

static void
composed (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (kl_email_portal_compose_finish (result, &error))
    g_task_return_boolean (task, TRUE);
  else if (g_error_matches (error, KL_EMAIL_ERROR, KL_EMAIL_ERROR_NO_PORTAL))
    {
      /* The details are for whoever runs the desktop, not for the toast. */
      g_debug ("No Email portal: %s", error->message);
      g_task_return_new_error (task, KL_EMAIL_ERROR, KL_EMAIL_ERROR_NO_PORTAL,
                               _("No email program could be opened: the desktop portal is missing"));
    }
  else if (error->domain == KL_EMAIL_ERROR)
    g_task_return_new_error (task, KL_EMAIL_ERROR, error->code,
                             _("The email program did not open: %s"), error->message);
  else
    g_task_return_error (task, g_steal_pointer (&error));
}

static void
portal_compose (GtkWindow            *parent,
                const KlEmailMessage *message,
                GTask                *task)
{
  XdpParent *xdp_parent = NULL;

  if (parent != NULL && gtk_widget_get_realized (GTK_WIDGET (parent)))
    xdp_parent = xdp_parent_new_gtk (parent);
  kl_email_portal_compose_async (xdp_parent, message, g_task_get_cancellable (task),
                                 composed, g_object_ref (task));
}

static KlEmailComposeFunc compose_func = portal_compose;

void
kl_email_set_compose_func (KlEmailComposeFunc func)
{
  compose_func = func != NULL ? func : portal_compose;
}

void
kl_email_compose_async (GtkWindow            *parent,
                        const KlEmailMessage *message,
                        GCancellable         *cancellable,
                        GAsyncReadyCallback   callback,
                        gpointer              user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (parent == NULL || GTK_IS_WINDOW (parent));
  g_return_if_fail (message != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, kl_email_compose_async);
  compose_func (parent, message, task);
}

gboolean
kl_email_compose_finish (GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
