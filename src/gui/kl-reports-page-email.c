/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The Reports page's Email to Client…: the report on screen written as a
 * PDF into the cache directory on the worker, then opened in the user's
 * mail program addressed to the customer's primary contact (kl-email.c).
 * Without a primary contact's address, a toast says so and offers to
 * compose anyway; when no mail program can be reached, a toast says why
 * and offers to save the PDF instead. */
#include "config.h"

#include <glib/gi18n.h>

#include "kl-email.h"
#include "kl-reports-page-private.h"

/* A toast on the window's overlay (the page's own without a window) with a
 * button that runs the page's action. */
static void
toast_button_clicked (AdwToast *toast,
                      gpointer  user_data)
{
  g_autoptr(KlReportsPage) self = g_weak_ref_get (user_data);
  const char *action = g_object_get_data (G_OBJECT (toast), "kl-page-action");

  if (self != NULL && action != NULL)
    gtk_widget_activate_action (GTK_WIDGET (self), action, NULL);
}

static void
weak_ref_free (gpointer data)
{
  g_weak_ref_clear (data);
  g_free (data);
}

static GWeakRef *page_ref (KlReportsPage *self);

static void
add_toast_with_button (KlReportsPage *self,
                       const char    *message,
                       const char    *button_label,
                       const char    *action)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);
  g_autofree char *escaped = g_markup_escape_text (message, -1);
  AdwToast *toast;
  GWeakRef *ref;

  if (overlay == NULL)
    overlay = GTK_WIDGET (self->toast_overlay);
  if (overlay == NULL)
    return;
  toast = adw_toast_new (escaped);
  adw_toast_set_timeout (toast, 10);
  adw_toast_set_button_label (toast, button_label);
  g_object_set_data_full (G_OBJECT (toast), "kl-page-action", g_strdup (action), g_free);
  ref = page_ref (self);
  /* The button runs the page's action: the overlay is the window's, where
   * the page's actions cannot be seen. */
  g_signal_connect_data (toast, "button-clicked", G_CALLBACK (toast_button_clicked), ref,
                         (GClosureNotify) (void (*) (void)) weak_ref_free, 0);
  adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), toast);
}

/* The page a reply is for (NULL when it is gone); frees ref. */
static KlReportsPage *
take_page (GWeakRef *ref)
{
  KlReportsPage *self = g_weak_ref_get (ref);

  g_weak_ref_clear (ref);
  g_free (ref);
  return self;
}

static GWeakRef *
page_ref (KlReportsPage *self)
{
  GWeakRef *ref = g_new0 (GWeakRef, 1);

  g_weak_ref_init (ref, self);
  return ref;
}

static void
set_emailing (KlReportsPage *self,
              gboolean       emailing)
{
  self->emailing = emailing;
  _kl_reports_page_update_email_actions (self);
}

static void
composed (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(KlReportsPage) self = take_page (user_data);
  g_autoptr(GError) error = NULL;

  if (kl_email_compose_finish (result, &error) || self == NULL)
    {
      if (self != NULL)
        set_emailing (self, FALSE);
      return;
    }
  set_emailing (self, FALSE);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  add_toast_with_button (self, error->message, _("_Save PDF…"), "reports.export-pdf");
}

static void
compose (KlReportsPage        *self,
         const KlEmailMessage *message)
{
  set_emailing (self, TRUE);
  kl_email_compose_async (_kl_reports_page_parent_window (self), message, self->lifetime, composed,
                          page_ref (self));
}

static void
prepared (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(KlReportsPage) self = take_page (user_data);
  g_autoptr(KlEmailMessage) message = NULL;
  g_autoptr(GError) error = NULL;

  message = kl_email_prepare_finish (result, &error);
  if (self == NULL || g_cancellable_is_cancelled (self->lifetime))
    return;
  set_emailing (self, FALSE);
  if (message == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        _kl_reports_page_add_toast (self, error->message);
      return;
    }
  if (message->address == NULL)
    {
      g_autofree char *text = NULL;

      g_clear_pointer (&self->email_waiting, kl_email_message_free);
      /* Translators: %s is a customer's name */
      text = g_strdup_printf (_("%s has no starred contact with an email address"),
                              message->customer_name);
      self->email_waiting = g_steal_pointer (&message);
      _kl_reports_page_update_email_actions (self);
      add_toast_with_button (self, text, _("_Write Anyway"), "reports.email-anyway");
      return;
    }
  compose (self, message);
}

static void
email_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  KlReportsPage *self = KL_REPORTS_PAGE (widget);
  KlPreparedReport *report = kl_report_preview_get_report (self->preview);
  KlReportOptions options;

  if (report == NULL || self->worker == NULL || self->emailing)
    return;
  g_clear_pointer (&self->email_waiting, kl_email_message_free);
  /* Typing still waiting to be saved goes first in the worker's queue, and
   * the job reads the notes again. */
  _kl_reports_page_save_notes (self);
  _kl_reports_page_load_options (self, &options);
  set_emailing (self, TRUE);
  kl_email_prepare_async (self->worker, NULL, NULL, kl_prepared_report_get_model (report), &options, NULL,
                          self->lifetime, prepared, page_ref (self));
  kl_report_options_clear (&options);
}

static void
email_anyway_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  KlReportsPage *self = KL_REPORTS_PAGE (widget);
  g_autoptr(KlEmailMessage) message = g_steal_pointer (&self->email_waiting);

  _kl_reports_page_update_email_actions (self);
  if (message != NULL && !self->emailing)
    compose (self, message);
}

void
_kl_reports_page_update_email_actions (KlReportsPage *self)
{
  KlPreparedReport *report = kl_report_preview_get_report (self->preview);
  gboolean customer = report != NULL && !kl_report_model_is_portfolio (kl_prepared_report_get_model (report));

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "reports.email",
                                 customer && self->worker != NULL && !self->emailing);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "reports.email-anyway",
                                 self->email_waiting != NULL && !self->emailing);
}

void
_kl_reports_page_email_dispose (KlReportsPage *self)
{
  g_clear_pointer (&self->email_waiting, kl_email_message_free);
}

void
_kl_reports_page_class_add_email_actions (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "reports.email", NULL, email_action);
  gtk_widget_class_install_action (widget_class, "reports.email-anyway", NULL, email_anyway_action);
}

const KlEmailMessage *
_kl_reports_page_get_email_waiting (KlReportsPage *self)
{
  g_return_val_if_fail (KL_IS_REPORTS_PAGE (self), NULL);
  return self->email_waiting;
}

gboolean
_kl_reports_page_get_emailing (KlReportsPage *self)
{
  g_return_val_if_fail (KL_IS_REPORTS_PAGE (self), FALSE);
  return self->emailing;
}
