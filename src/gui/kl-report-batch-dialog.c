/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The "All my accounts" dialog. Each account's report is one worker job, so
 * the rest of the window keeps working during a long batch, and stopping
 * takes effect between two files. */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "kl-report-batch-dialog.h"
#include "kl-contact-store.h"
#include "kl-customer-store.h"
#include "kl-email.h"
#include "kl-report-job.h"

struct _KlReportBatchDialog {
  AdwWindow         parent_instance;

  KlWorker         *worker;
  KlPeriod         *period;
  KlReportOptions   options;         /* the language: NULL for each customer's own */
  GPtrArray        *customers;     /* KlCustomer, active then at risk; NULL until counted */
  GFile            *folder;
  GCancellable     *cancellable;   /* stops the batch between files */
  GCancellable     *lifetime;      /* cancelled when the dialog goes */
  guint             next;          /* index of the next account to write */
  guint             n_written;
  gboolean          running;
  gboolean          finished;

  /* Email to Clients, once the reports are written */
  GPtrArray        *written;       /* file names, in the order of customers */
  GPtrArray        *addresses;     /* the primary contacts' emails ("" for none); NULL until read */
  gboolean          emailing;
  KlEmailMessage   *email_waiting; /* no address: composed only if asked */

  /* template */
  GtkButton        *cancel_button;
  GtkButton        *write_button;
  GtkButton        *close_button;
  GtkStack         *stack;
  AdwActionRow     *period_row;
  AdwActionRow     *accounts_row;
  AdwActionRow     *language_row;
  AdwActionRow     *folder_row;
  AdwStatusPage    *progress_page;
  GtkProgressBar   *progress_bar;
  GtkLabel         *current_label;
  AdwStatusPage    *done_page;
  GtkButton        *open_button;
  AdwToastOverlay  *toast_overlay;
  AdwPreferencesGroup *clients_group;
};

G_DEFINE_FINAL_TYPE (KlReportBatchDialog, kl_report_batch_dialog, ADW_TYPE_WINDOW)

static void update_actions (KlReportBatchDialog *self);
static void write_next (KlReportBatchDialog *self);
static void list_clients (KlReportBatchDialog *self);

/* Worker jobs */

static gpointer
list_accounts_job (KlDatabase   *db,
                   gpointer      data,
                   KlWorkerJob  *job,
                   GError      **error)
{
  KlCustomerFilter filter = KL_CUSTOMER_FILTER_INIT;
  g_autoptr(GPtrArray) customers = g_ptr_array_new_with_free_func ((GDestroyNotify) kl_customer_free);

  /* Active and at-risk accounts are the ones a KAM still reports to. */
  for (int status = KL_CUSTOMER_STATUS_ACTIVE; status <= KL_CUSTOMER_STATUS_AT_RISK; status++)
    {
      g_autoptr(GPtrArray) some = NULL;

      filter.status = status;
      some = kl_customer_store_list (db, &filter, 0, -1, error);
      if (some == NULL)
        return NULL;
      for (guint i = 0; i < some->len; i++)
        g_ptr_array_add (customers, g_steal_pointer (&some->pdata[i]));
    }
  return g_steal_pointer (&customers);
}

typedef struct {
  char     *code;
  KlPeriod *period;
  KlReportOptions  options;
  char            *folder;
} WriteRequest;

static void
write_request_free (WriteRequest *request)
{
  g_free (request->code);
  kl_period_free (request->period);
  kl_report_options_clear (&request->options);
  g_free (request->folder);
  g_free (request);
}

/* Returns the file name written. */
static gpointer
write_report_job (KlDatabase   *db,
                  gpointer      data,
                  KlWorkerJob  *job,
                  GError      **error)
{
  WriteRequest *request = data;
  g_autoptr(KlReportModel) model = NULL;
  g_autoptr(KlReportDocument) document = NULL;
  g_autofree char *name = NULL;
  g_autofree char *path = NULL;

  model = kl_report_build (db, request->code, request->period, error);
  if (model == NULL)
    return NULL;

  /* Laid out, written and freed on the worker thread. */
  request->options.thread_fonts = TRUE;
  document = kl_report_make_document (model, &request->options, NULL);

  if (g_mkdir_with_parents (request->folder, 0755) != 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _("Cannot create the folder “%s”: %s"), request->folder, g_strerror (saved));
      return NULL;
    }
  name = kl_report_file_name (model, "pdf");
  path = g_build_filename (request->folder, name, NULL);
  if (!kl_report_document_write_pdf (document, path, error))
    return NULL;
  return g_steal_pointer (&name);
}

/* States */

static char *
folder_display (GFile *folder)
{
  g_autofree char *path = g_file_get_path (folder);
  const char *home = g_get_home_dir ();

  if (path == NULL)
    return g_file_get_parse_name (folder);
  if (home != NULL && g_str_has_prefix (path, home) && path[strlen (home)] == G_DIR_SEPARATOR)
    return g_strconcat ("~", path + strlen (home), NULL);
  return g_steal_pointer (&path);
}

static void
show_state (KlReportBatchDialog *self,
            const char          *page)
{
  gboolean setup = g_str_equal (page, "setup");
  gboolean done = g_str_equal (page, "done");

  gtk_stack_set_visible_child_name (self->stack, page);
  gtk_widget_set_visible (GTK_WIDGET (self->write_button), setup);
  gtk_widget_set_visible (GTK_WIDGET (self->close_button), done);
  gtk_widget_set_visible (GTK_WIDGET (self->cancel_button), !done);
  gtk_button_set_label (self->cancel_button, setup ? _("_Cancel") : _("_Stop"));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->cancel_button),
                               setup ? NULL : _("Stop after the report being written"));
  if (done)
    gtk_widget_grab_focus (GTK_WIDGET (self->open_button));
}

static void
update_progress (KlReportBatchDialog *self)
{
  guint total = self->customers != NULL ? self->customers->len : 0;
  g_autofree char *text = NULL;

  /* Translators: progress of writing reports, "3 of 27" */
  text = g_strdup_printf (_("%u of %u"), self->n_written, total);
  gtk_progress_bar_set_text (self->progress_bar, text);
  gtk_progress_bar_set_fraction (self->progress_bar, total > 0 ? (double) self->n_written / total : 0);

  if (self->next < total)
    {
      const KlCustomer *customer = g_ptr_array_index (self->customers, self->next);
      g_autofree char *current = g_strdup_printf ("%s (%s)", customer->name, customer->code);

      gtk_label_set_label (self->current_label, current);
    }
}

static void
end_batch (KlReportBatchDialog *self,
           const GError        *error)
{
  guint total = self->customers != NULL ? self->customers->len : 0;
  g_autofree char *where = self->folder != NULL ? folder_display (self->folder) : g_strdup ("");
  g_autofree char *title = NULL;
  g_autofree char *description = NULL;
  const char *icon;

  self->running = FALSE;
  self->finished = TRUE;
  g_clear_object (&self->cancellable);

  if (error != NULL)
    {
      icon = "dialog-warning-symbolic";
      title = g_strdup (_("Writing Stopped"));
      /* Translators: %1$s is why, %2$u and %3$u are counts, %4$s a folder */
      description = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                  "%1$s\n%2$u of %3$u report was written to %4$s.",
                                                  "%1$s\n%2$u of %3$u reports were written to %4$s.",
                                                  total),
                                     error->message, self->n_written, total, where);
    }
  else if (self->n_written < total)
    {
      icon = "dialog-information-symbolic";
      title = g_strdup (_("Stopped"));
      /* Translators: %1$u and %2$u are counts, %3$s a folder */
      description = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                  "%1$u of %2$u report was written to %3$s.",
                                                  "%1$u of %2$u reports were written to %3$s.",
                                                  total),
                                     self->n_written, total, where);
    }
  else
    {
      icon = "emblem-ok-symbolic";
      title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u Report Written", "%u Reports Written",
                                            self->n_written),
                               self->n_written);
      /* Translators: %s is a folder */
      description = g_strdup_printf (_("Saved in %s"), where);
    }

  adw_status_page_set_icon_name (self->done_page, icon);
  adw_status_page_set_title (self->done_page, title);
  adw_status_page_set_description (self->done_page, description);
  gtk_widget_set_visible (GTK_WIDGET (self->open_button), self->n_written > 0);
  show_state (self, "done");
  update_actions (self);
  if (self->n_written > 0)
    list_clients (self);
}

static void
update_actions (KlReportBatchDialog *self)
{
  gboolean counted = self->customers != NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "batch.start",
                                 counted && self->customers->len > 0 && self->folder != NULL &&
                                 !self->running && !self->finished);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "batch.choose-folder", !self->running && !self->finished);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "batch.open-folder", self->folder != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "batch.email-client",
                                 self->addresses != NULL && !self->emailing);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "batch.email-anyway",
                                 self->email_waiting != NULL && !self->emailing);
}

/* The batch, one file at a time */

typedef struct {
  KlReportBatchDialog *self;   /* held for the job */
  KlWorker            *worker;
} WriteCall;

static void
write_done (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  WriteCall *call = user_data;
  g_autoptr(KlReportBatchDialog) self = call->self;
  g_autoptr(KlWorker) worker = call->worker;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;

  g_free (call);
  name = kl_worker_run_finish (worker, result, &error);
  if (g_cancellable_is_cancelled (self->lifetime))
    return;
  if (name == NULL)
    {
      end_batch (self, error);
      return;
    }

  g_ptr_array_add (self->written, g_steal_pointer (&name));
  self->n_written++;
  self->next++;
  update_progress (self);
  write_next (self);
}

static void
write_next (KlReportBatchDialog *self)
{
  const KlCustomer *customer;
  WriteRequest *request;
  WriteCall *call;

  if (self->next >= self->customers->len || g_cancellable_is_cancelled (self->cancellable))
    {
      end_batch (self, NULL);
      return;
    }

  customer = g_ptr_array_index (self->customers, self->next);
  request = g_new0 (WriteRequest, 1);
  request->code = g_strdup (customer->code);
  request->period = kl_period_copy (self->period);
  kl_report_options_copy_into (&request->options, &self->options);
  request->folder = g_file_get_path (self->folder);

  call = g_new0 (WriteCall, 1);
  call->self = g_object_ref (self);
  call->worker = g_object_ref (self->worker);
  /* Without a cancellable: a report under way is finished, never half-written. */
  kl_worker_run (self->worker, KL_WORKER_READ, write_report_job, request,
                 (GDestroyNotify) write_request_free, g_free, NULL, NULL, NULL,
                 write_done, call);
}

static void
start_batch (KlReportBatchDialog *self,
             GFile               *folder)
{
  g_autofree char *path = g_file_get_path (folder);

  g_return_if_fail (self->customers != NULL);
  g_return_if_fail (!self->running);

  if (path == NULL)
    {
      g_autoptr(GError) error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                                                     _("Choose a folder on this computer"));
      end_batch (self, error);
      return;
    }
  g_set_object (&self->folder, folder);
  self->next = 0;
  self->n_written = 0;
  g_ptr_array_set_size (self->written, 0);
  self->running = TRUE;
  self->finished = FALSE;
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  gtk_widget_set_sensitive (GTK_WIDGET (self->cancel_button), TRUE);
  adw_status_page_set_title (self->progress_page, _("Writing Reports…"));
  update_progress (self);
  show_state (self, "progress");
  update_actions (self);
  write_next (self);
}

/* Counting the accounts */

static void
accounts_listed (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(KlReportBatchDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  GPtrArray *customers;
  g_autofree char *count = NULL;

  customers = kl_worker_run_finish (self->worker, result, &error);
  if (g_cancellable_is_cancelled (self->lifetime))
    {
      g_clear_pointer (&customers, g_ptr_array_unref);
      return;
    }
  if (customers == NULL)
    {
      adw_action_row_set_subtitle (self->accounts_row, error->message);
      return;
    }
  self->customers = customers;
  if (customers->len == 0)
    count = g_strdup (_("No active or at-risk accounts"));
  else
    /* Translators: the accounts a batch covers */
    count = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u active or at-risk account",
                                          "%u active or at-risk accounts", customers->len),
                             customers->len);
  adw_action_row_set_subtitle (self->accounts_row, count);
  update_actions (self);
}

/* Actions */

static void
folder_chosen (GtkNativeDialog     *chooser,
               int                  response,
               KlReportBatchDialog *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) folder = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autofree char *where = NULL;

      if (folder != NULL)
        {
          g_set_object (&self->folder, folder);
          where = folder_display (folder);
          adw_action_row_set_subtitle (self->folder_row, where);
        }
    }
  gtk_native_dialog_destroy (chooser);
  g_object_unref (chooser);
  update_actions (self);
  if (self->folder != NULL)
    gtk_widget_grab_focus (GTK_WIDGET (self->write_button));
}

static void
choose_folder_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  KlReportBatchDialog *self = KL_REPORT_BATCH_DIALOG (widget);
  GtkFileChooserNative *chooser;

  chooser = gtk_file_chooser_native_new (_("Choose a Folder for the Reports"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER,
                                         _("_Select"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  if (self->folder != NULL)
    gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (chooser), self->folder, NULL);
  g_signal_connect_object (chooser, "response", G_CALLBACK (folder_chosen), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
start_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  KlReportBatchDialog *self = KL_REPORT_BATCH_DIALOG (widget);

  if (self->folder != NULL && self->customers != NULL && !self->running)
    start_batch (self, self->folder);
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  kl_report_batch_dialog_cancel (KL_REPORT_BATCH_DIALOG (widget));
}

static void
open_folder_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  KlReportBatchDialog *self = KL_REPORT_BATCH_DIALOG (widget);
  g_autofree char *uri = NULL;

  if (self->folder == NULL)
    return;
  uri = g_file_get_uri (self->folder);
  gtk_show_uri (GTK_WINDOW (self), uri, GDK_CURRENT_TIME);
}

/* Email to Clients: once the reports are written, a row per report with
 * its customer's starred contact and a button that opens one message in
 * the email program, with that report attached. One at a time, on the
 * KAM's click: a message per client opened all at once would bury the
 * desktop under windows. */

static gpointer
list_addresses_job (KlDatabase   *db,
                    gpointer      data,
                    KlWorkerJob  *job,
                    GError      **error)
{
  GPtrArray *ids = data;
  g_autoptr(GPtrArray) addresses = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < ids->len; i++)
    {
      g_autoptr(GPtrArray) contacts = kl_contact_store_list (db, g_ptr_array_index (ids, i), error);
      const char *address = "";

      if (contacts == NULL)
        return NULL;
      for (guint c = 0; c < contacts->len; c++)
        {
          const KlContact *contact = g_ptr_array_index (contacts, c);

          if (contact->primary && contact->email != NULL)
            address = contact->email;
          if (contact->primary)
            break;
        }
      g_ptr_array_add (addresses, g_strdup (address));
    }
  return g_steal_pointer (&addresses);
}

static void
addresses_listed (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(KlReportBatchDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  GPtrArray *addresses;

  addresses = kl_worker_run_finish (KL_WORKER (source), result, &error);
  if (g_cancellable_is_cancelled (self->lifetime))
    {
      g_clear_pointer (&addresses, g_ptr_array_unref);
      return;
    }
  if (addresses == NULL)
    {
      adw_preferences_group_set_description (self->clients_group, error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->clients_group), TRUE);
      return;
    }
  self->addresses = addresses;
  for (guint i = 0; i < addresses->len && i < self->customers->len; i++)
    {
      const KlCustomer *customer = g_ptr_array_index (self->customers, i);
      const char *address = g_ptr_array_index (addresses, i);
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *button = gtk_button_new_with_mnemonic (_("_Email…"));
      g_autofree char *title = g_strdup_printf ("%s (%s)", customer->name, customer->code);
      g_autofree char *escaped = g_markup_escape_text (title, -1);
      g_autofree char *button_name = NULL;

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), escaped);
      if (*address != '\0')
        {
          g_autofree char *subtitle = g_markup_escape_text (address, -1);

          adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
        }
      else
        adw_action_row_set_subtitle (ADW_ACTION_ROW (row), _("No starred contact with an email address"));
      gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "batch.email-client");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", customer->code);
      /* Translators: %s is a customer's name */
      button_name = g_strdup_printf (_("Email the report to %s"), customer->name);
      gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, button_name, -1);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
      adw_preferences_group_add (self->clients_group, row);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->clients_group), TRUE);
  /* Room for the rows under a smaller status. */
  gtk_widget_add_css_class (GTK_WIDGET (self->done_page), "compact");
  gtk_window_set_default_size (GTK_WINDOW (self), 560, 680);
  update_actions (self);
}

static void
list_clients (KlReportBatchDialog *self)
{
  GPtrArray *ids = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < self->written->len && i < self->customers->len; i++)
    g_ptr_array_add (ids, g_strdup (((const KlCustomer *) g_ptr_array_index (self->customers, i))->id));
  kl_worker_run (self->worker, KL_WORKER_READ, list_addresses_job, ids, (GDestroyNotify) g_ptr_array_unref,
                 (GDestroyNotify) g_ptr_array_unref, NULL, NULL, NULL, addresses_listed, g_object_ref (self));
}

static void
add_toast (KlReportBatchDialog *self,
           const char          *message,
           const char          *button_label,
           const char          *action)
{
  g_autofree char *escaped = g_markup_escape_text (message, -1);
  AdwToast *toast = adw_toast_new (escaped);

  if (button_label != NULL)
    {
      adw_toast_set_timeout (toast, 10);
      adw_toast_set_button_label (toast, button_label);
      adw_toast_set_action_name (toast, action);
    }
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static void
set_emailing (KlReportBatchDialog *self,
              gboolean             emailing)
{
  self->emailing = emailing;
  update_actions (self);
}

static void
client_composed (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(KlReportBatchDialog) self = user_data;
  g_autoptr(GError) error = NULL;

  if (kl_email_compose_finish (result, &error) || g_cancellable_is_cancelled (self->lifetime))
    {
      set_emailing (self, FALSE);
      return;
    }
  set_emailing (self, FALSE);
  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    /* The reports are saved already: the folder is where to find them. */
    add_toast (self, error->message, _("_Open Folder"), "batch.open-folder");
}

static void
compose_client (KlReportBatchDialog  *self,
                const KlEmailMessage *message)
{
  set_emailing (self, TRUE);
  kl_email_compose_async (GTK_WINDOW (self), message, self->lifetime, client_composed, g_object_ref (self));
}

static void
client_prepared (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(KlReportBatchDialog) self = user_data;
  g_autoptr(KlEmailMessage) message = NULL;
  g_autoptr(GError) error = NULL;

  message = kl_email_prepare_finish (result, &error);
  if (g_cancellable_is_cancelled (self->lifetime))
    return;
  set_emailing (self, FALSE);
  if (message == NULL)
    {
      add_toast (self, error->message, NULL, NULL);
      return;
    }
  if (message->address == NULL)
    {
      g_autofree char *text = NULL;

      /* Translators: %s is a customer's name */
      text = g_strdup_printf (_("%s has no starred contact with an email address"), message->customer_name);
      g_clear_pointer (&self->email_waiting, kl_email_message_free);
      self->email_waiting = g_steal_pointer (&message);
      update_actions (self);
      add_toast (self, text, _("_Write Anyway"), "batch.email-anyway");
      return;
    }
  compose_client (self, message);
}

static void
email_client_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  KlReportBatchDialog *self = KL_REPORT_BATCH_DIALOG (widget);
  const char *code = g_variant_get_string (parameter, NULL);
  g_autofree char *folder = NULL;
  g_autofree char *path = NULL;

  if (self->emailing || self->folder == NULL)
    return;
  for (guint i = 0; i < self->written->len && i < self->customers->len; i++)
    if (g_strcmp0 (((const KlCustomer *) g_ptr_array_index (self->customers, i))->code, code) == 0)
      {
        folder = g_file_get_path (self->folder);
        path = g_build_filename (folder, g_ptr_array_index (self->written, i), NULL);
        break;
      }
  if (path == NULL)
    return;
  g_clear_pointer (&self->email_waiting, kl_email_message_free);
  set_emailing (self, TRUE);
  /* The report written into the folder is the one attached. */
  kl_email_prepare_async (self->worker, code, self->period, NULL, &self->options, path,
                          self->lifetime, client_prepared, g_object_ref (self));
}

static void
email_anyway_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  KlReportBatchDialog *self = KL_REPORT_BATCH_DIALOG (widget);
  g_autoptr(KlEmailMessage) message = g_steal_pointer (&self->email_waiting);

  update_actions (self);
  if (message != NULL && !self->emailing)
    compose_client (self, message);
}

/* GObject */

static gboolean
kl_report_batch_dialog_close_request (GtkWindow *window)
{
  KlReportBatchDialog *self = KL_REPORT_BATCH_DIALOG (window);

  /* Closing stops the batch; the report under way still completes. */
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  return GTK_WINDOW_CLASS (kl_report_batch_dialog_parent_class)->close_request (window);
}

static void
kl_report_batch_dialog_dispose (GObject *object)
{
  KlReportBatchDialog *self = KL_REPORT_BATCH_DIALOG (object);

  g_cancellable_cancel (self->lifetime);
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), KL_TYPE_REPORT_BATCH_DIALOG);
  G_OBJECT_CLASS (kl_report_batch_dialog_parent_class)->dispose (object);
}

static void
kl_report_batch_dialog_finalize (GObject *object)
{
  KlReportBatchDialog *self = KL_REPORT_BATCH_DIALOG (object);

  g_clear_object (&self->worker);
  g_clear_pointer (&self->period, kl_period_free);
  kl_report_options_clear (&self->options);
  g_clear_pointer (&self->customers, g_ptr_array_unref);
  g_clear_object (&self->folder);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->lifetime);
  g_clear_pointer (&self->written, g_ptr_array_unref);
  g_clear_pointer (&self->addresses, g_ptr_array_unref);
  g_clear_pointer (&self->email_waiting, kl_email_message_free);
  G_OBJECT_CLASS (kl_report_batch_dialog_parent_class)->finalize (object);
}

static void
kl_report_batch_dialog_class_init (KlReportBatchDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = kl_report_batch_dialog_dispose;
  object_class->finalize = kl_report_batch_dialog_finalize;
  window_class->close_request = kl_report_batch_dialog_close_request;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/keyline/Keyline/kl-report-batch-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, KlReportBatchDialog, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, KlReportBatchDialog, write_button);
  gtk_widget_class_bind_template_child (widget_class, KlReportBatchDialog, close_button);
  gtk_widget_class_bind_template_child (widget_class, KlReportBatchDialog, stack);
  gtk_widget_class_bind_template_child (widget_class, KlReportBatchDialog, period_row);
  gtk_widget_class_bind_template_child (widget_class, KlReportBatchDialog, accounts_row);
  gtk_widget_class_bind_template_child (widget_class, KlReportBatchDialog, language_row);
  gtk_widget_class_bind_template_child (widget_class, KlReportBatchDialog, folder_row);
  gtk_widget_class_bind_template_child (widget_class, KlReportBatchDialog, progress_page);
  gtk_widget_class_bind_template_child (widget_class, KlReportBatchDialog, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, KlReportBatchDialog, current_label);
  gtk_widget_class_bind_template_child (widget_class, KlReportBatchDialog, done_page);
  gtk_widget_class_bind_template_child (widget_class, KlReportBatchDialog, open_button);
  gtk_widget_class_bind_template_child (widget_class, KlReportBatchDialog, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, KlReportBatchDialog, clients_group);

  gtk_widget_class_install_action (widget_class, "batch.choose-folder", NULL, choose_folder_action);
  gtk_widget_class_install_action (widget_class, "batch.start", NULL, start_action);
  gtk_widget_class_install_action (widget_class, "batch.cancel", NULL, cancel_action);
  gtk_widget_class_install_action (widget_class, "batch.open-folder", NULL, open_folder_action);
  gtk_widget_class_install_action (widget_class, "batch.email-client", "s", email_client_action);
  gtk_widget_class_install_action (widget_class, "batch.email-anyway", NULL, email_anyway_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "batch.cancel", NULL);

  gtk_widget_class_set_css_name (widget_class, "reportbatchdialog");
}

static void
kl_report_batch_dialog_init (KlReportBatchDialog *self)
{
  self->lifetime = g_cancellable_new ();
  self->written = g_ptr_array_new_with_free_func (g_free);
  gtk_widget_init_template (GTK_WIDGET (self));
  adw_action_row_set_subtitle (self->accounts_row, _("Counting…"));
  show_state (self, "setup");
  update_actions (self);
}

KlReportBatchDialog *
kl_report_batch_dialog_new (GtkWindow             *parent,
                            KlWorker              *worker,
                            const KlPeriod        *period,
                            const KlReportOptions *options)
{
  KlReportBatchDialog *self;
  const char *language;
  g_autofree char *display = NULL;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (KL_IS_WORKER (worker), NULL);
  g_return_val_if_fail (period != NULL, NULL);
  g_return_val_if_fail (options != NULL, NULL);

  self = g_object_new (KL_TYPE_REPORT_BATCH_DIALOG,
                       "transient-for", parent,
                       NULL);
  self->worker = g_object_ref (worker);
  self->period = kl_period_copy (period);
  kl_report_options_copy_into (&self->options, options);
  language = options->language;

  display = kl_period_to_display (period);
  adw_action_row_set_subtitle (self->period_row, display);
  if (g_strcmp0 (language, "zh_CN") == 0)
    adw_action_row_set_subtitle (self->language_row, "中文");
  else if (g_strcmp0 (language, "en") == 0)
    adw_action_row_set_subtitle (self->language_row, "English");
  else
    adw_action_row_set_subtitle (self->language_row, _("Each customer’s own"));

  kl_worker_run (worker, KL_WORKER_READ, list_accounts_job, NULL, NULL,
                 (GDestroyNotify) g_ptr_array_unref, NULL, NULL, NULL,
                 accounts_listed, g_object_ref (self));
  return self;
}

void
kl_report_batch_dialog_cancel (KlReportBatchDialog *self)
{
  g_return_if_fail (KL_IS_REPORT_BATCH_DIALOG (self));

  if (self->running)
    {
      g_cancellable_cancel (self->cancellable);
      gtk_widget_set_sensitive (GTK_WIDGET (self->cancel_button), FALSE);
      adw_status_page_set_title (self->progress_page, _("Stopping…"));
      return;
    }
  gtk_window_close (GTK_WINDOW (self));
}

guint
kl_report_batch_dialog_get_n_accounts (KlReportBatchDialog *self)
{
  g_return_val_if_fail (KL_IS_REPORT_BATCH_DIALOG (self), 0);
  return self->customers != NULL ? self->customers->len : 0;
}

gboolean
kl_report_batch_dialog_get_ready (KlReportBatchDialog *self)
{
  g_return_val_if_fail (KL_IS_REPORT_BATCH_DIALOG (self), FALSE);
  return self->customers != NULL;
}

gboolean
kl_report_batch_dialog_get_running (KlReportBatchDialog *self)
{
  g_return_val_if_fail (KL_IS_REPORT_BATCH_DIALOG (self), FALSE);
  return self->running;
}

gboolean
kl_report_batch_dialog_get_finished (KlReportBatchDialog *self)
{
  g_return_val_if_fail (KL_IS_REPORT_BATCH_DIALOG (self), FALSE);
  return self->finished;
}

gboolean
kl_report_batch_dialog_get_clients_ready (KlReportBatchDialog *self)
{
  g_return_val_if_fail (KL_IS_REPORT_BATCH_DIALOG (self), FALSE);
  return self->addresses != NULL;
}

gboolean
kl_report_batch_dialog_get_emailing (KlReportBatchDialog *self)
{
  g_return_val_if_fail (KL_IS_REPORT_BATCH_DIALOG (self), FALSE);
  return self->emailing;
}

const KlEmailMessage *
_kl_report_batch_dialog_get_email_waiting (KlReportBatchDialog *self)
{
  g_return_val_if_fail (KL_IS_REPORT_BATCH_DIALOG (self), NULL);
  return self->email_waiting;
}

guint
kl_report_batch_dialog_get_n_written (KlReportBatchDialog *self)
{
  g_return_val_if_fail (KL_IS_REPORT_BATCH_DIALOG (self), 0);
  return self->n_written;
}

void
_kl_report_batch_dialog_start (KlReportBatchDialog *self,
                               GFile               *folder)
{
  g_return_if_fail (KL_IS_REPORT_BATCH_DIALOG (self));
  g_return_if_fail (G_IS_FILE (folder));

  start_batch (self, folder);
}
