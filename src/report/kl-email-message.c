/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A report's email: the message (the primary contact, the PDF written into
 * the cache directory) and the Email portal that opens it in the user's
 * mail program, for the window and keyline-cli alike. */
#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <libportal/portal.h>

#include "kl-email-message.h"
#include "kl-contact-store.h"
#include "kl-report-language.h"

G_DEFINE_QUARK (kl-email-error-quark, kl_email_error)

#define PORTAL_BUS_NAME    "org.freedesktop.portal.Desktop"
#define PORTAL_OBJECT_PATH "/org/freedesktop/portal/desktop"
#define EMAIL_INTERFACE    "org.freedesktop.portal.Email"

/* Messages */

KlEmailMessage *
kl_email_message_copy (const KlEmailMessage *message)
{
  KlEmailMessage *copy;

  g_return_val_if_fail (message != NULL, NULL);

  copy = g_new0 (KlEmailMessage, 1);
  copy->address = g_strdup (message->address);
  copy->contact_name = g_strdup (message->contact_name);
  copy->customer_name = g_strdup (message->customer_name);
  copy->subject = g_strdup (message->subject);
  copy->body = g_strdup (message->body);
  copy->attachment = g_strdup (message->attachment);
  return copy;
}

void
kl_email_message_free (KlEmailMessage *message)
{
  if (message == NULL)
    return;
  g_free (message->address);
  g_free (message->contact_name);
  g_free (message->customer_name);
  g_free (message->subject);
  g_free (message->body);
  g_free (message->attachment);
  g_free (message);
}

/* In the report's language, not the window's: the client reads it. */
void
kl_email_message_set_text (KlEmailMessage *message,
                           const char     *customer_name,
                           const KlPeriod *period,
                           const char     *language,
                           const char     *contact_name)
{
  g_autofree char *when = NULL;
  g_autofree char *greeting = NULL;
  g_autofree char *middle = NULL;

  g_return_if_fail (message != NULL);
  g_return_if_fail (period != NULL);

  language = kl_report_language_normalize (language);
  when = kl_report_period_display (period, language);

  g_free (message->subject);
  /* Translators: an email's subject; %1$s is a period ("March 2026"), %2$s a customer's name */
  message->subject = g_strdup_printf (kl_report_gettext (language, N_("Service report %1$s — %2$s")),
                                      when, customer_name != NULL ? customer_name : "");

  if (contact_name != NULL && *contact_name != '\0')
    /* Translators: an email's greeting; %s is the contact's name */
    greeting = g_strdup_printf (kl_report_gettext (language, N_("Dear %s,")), contact_name);
  else
    greeting = g_strdup (kl_report_gettext (language, N_("Hello,")));

  /* Translators: an email's text after the greeting; %s is a period ("March 2026") */
  middle = g_strdup_printf (kl_report_gettext (language, N_("Please find attached our service report for %s. "
                                                            "I would be glad to go through it with you.")),
                            when);
  g_free (message->body);
  message->body = g_strdup_printf ("%s\n\n%s\n\n%s\n", greeting, middle,
                                   kl_report_gettext (language, N_("Best regards")));
}

/* Preparing */

/* The folder attachments are written to: the user's cache, which the
 * sandbox keeps per application and the portal reads through the file
 * descriptor libportal passes. */
static char *
attachment_folder (GError **error)
{
  g_autofree char *folder = g_build_filename (g_get_user_cache_dir (), "keyline", "email", NULL);

  if (g_mkdir_with_parents (folder, 0700) != 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _("Cannot create the folder “%s” for the email’s attachment: %s"),
                   folder, g_strerror (saved));
      return NULL;
    }
  return g_steal_pointer (&folder);
}

/* Attachments older than this are removed when a new one is written: a
 * mail program may read the file only when the message is sent, so a draft
 * left open keeps its attachment for a good while. */
#define ATTACHMENT_KEEP_DAYS 30

static void
remove_old_attachments (const char *folder)
{
  g_autoptr(GDir) dir = g_dir_open (folder, 0, NULL);
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (folder, name, NULL);
      GStatBuf buf;

      if (g_str_has_suffix (name, ".pdf") && g_stat (path, &buf) == 0 &&
          now - (gint64) buf.st_mtime > ATTACHMENT_KEEP_DAYS * 24 * 3600)
        g_remove (path);
    }
}

KlEmailMessage *
kl_email_message_build (KlDatabase       *db,
                        const char       *customer_code,
                        const KlPeriod   *period,
                        KlReportModel    *model_in,
                        KlReportOptions  *options,
                        const char       *pdf_path,
                        GError          **error)
{
  g_autoptr(KlReportModel) model = model_in;
  g_autoptr(GPtrArray) contacts = NULL;
  g_autoptr(KlEmailMessage) message = g_new0 (KlEmailMessage, 1);
  const KlContact *primary = NULL;

  g_return_val_if_fail (model_in != NULL || (customer_code != NULL && period != NULL), NULL);
  g_return_val_if_fail (options != NULL, NULL);

  if (model == NULL)
    model = kl_report_build (db, customer_code, period, error);
  else if (!kl_report_model_load_notes (model, db, error))
    return NULL;
  if (model == NULL)
    return NULL;
  if (model->customer_id == NULL)
    {
      g_set_error_literal (error, KL_EMAIL_ERROR, KL_EMAIL_ERROR_FAILED,
                           _("The whole portfolio’s report is internal: choose a customer to email a report"));
      return NULL;
    }

  contacts = kl_contact_store_list (db, model->customer_id, error);
  if (contacts == NULL)
    return NULL;
  /* The starred contact; the store lists it first. */
  for (guint i = 0; i < contacts->len; i++)
    {
      const KlContact *contact = g_ptr_array_index (contacts, i);

      if (contact->primary)
        {
          primary = contact;
          break;
        }
    }
  if (primary != NULL && primary->email != NULL && *primary->email != '\0')
    {
      message->address = g_strdup (primary->email);
      message->contact_name = g_strdup (primary->name);
    }

  message->customer_name = g_strdup (model->customer_name);
  kl_email_message_set_text (message, model->customer_name, model->period,
                             kl_report_options_get_language (options, model),
                             message->contact_name);

  if (pdf_path != NULL)
    message->attachment = g_strdup (pdf_path);
  else
    {
      g_autofree char *folder = attachment_folder (error);
      g_autofree char *name = NULL;
      g_autoptr(KlReportDocument) document = NULL;

      if (folder == NULL)
        return NULL;
      name = kl_report_file_name (model, "pdf");
      message->attachment = g_build_filename (folder, name, NULL);
      /* Laid out, written and freed here, on the calling thread. */
      options->thread_fonts = TRUE;
      document = kl_report_make_document (model, options, NULL);
      if (!kl_report_document_write_pdf (document, message->attachment, error))
        return NULL;
      remove_old_attachments (folder);
    }
  return g_steal_pointer (&message);
}


/* The portal's composer */

typedef struct {
  KlEmailMessage *message;
  XdpParent      *parent;     /* NULL: none */
  XdpPortal      *portal;
} PortalCall;

static void
portal_call_free (PortalCall *call)
{
  kl_email_message_free (call->message);
  g_clear_pointer (&call->parent, xdp_parent_free);
  g_clear_object (&call->portal);
  g_free (call);
}

static void
portal_error (GTask        *task,
              int           code,
              const GError *cause)
{
  g_task_return_new_error (task, KL_EMAIL_ERROR, code, "%s", cause != NULL ? cause->message : "");
}

static void
composed (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (xdp_portal_compose_email_finish (XDP_PORTAL (source), result, &error))
    g_task_return_boolean (task, TRUE);
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    portal_error (task, KL_EMAIL_ERROR_FAILED, error);
}

/* The portal answers: hand it the message. libportal asks for the
 * portal's version itself, synchronously, and cannot cope with no answer,
 * so it is only called once the portal has answered us. */
static void
version_read (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  PortalCall *call = g_task_get_task_data (task);
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;
  const char *addresses[] = { call->message->address, NULL };
  const char *attachments[] = { call->message->attachment, NULL };

  reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (source), result, &error);
  if (reply == NULL)
    {
      portal_error (task, KL_EMAIL_ERROR_NO_PORTAL, error);
      return;
    }
  if (g_task_return_error_if_cancelled (task))
    return;

  call->portal = xdp_portal_new ();
  xdp_portal_compose_email (call->portal, call->parent,
                            call->message->address != NULL ? addresses : NULL, NULL, NULL,
                            call->message->subject, call->message->body,
                            call->message->attachment != NULL ? attachments : NULL,
                            XDP_EMAIL_FLAG_NONE, g_task_get_cancellable (task),
                            composed, g_object_ref (task));
}

static void
bus_ready (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GDBusConnection) bus = NULL;
  g_autoptr(GError) error = NULL;
  GCancellable *cancellable = g_task_get_cancellable (task);

  bus = g_bus_get_finish (result, &error);
  if (bus == NULL)
    {
      portal_error (task, KL_EMAIL_ERROR_NO_PORTAL, error);
      return;
    }
  /* Is there an Email portal? Asked without auto-start's long wait. */
  g_dbus_connection_call (bus, PORTAL_BUS_NAME, PORTAL_OBJECT_PATH,
                          "org.freedesktop.DBus.Properties", "Get",
                          g_variant_new ("(ss)", EMAIL_INTERFACE, "version"),
                          G_VARIANT_TYPE ("(v)"), G_DBUS_CALL_FLAGS_NONE, 25000,
                          cancellable, version_read, g_steal_pointer (&task));
}

void
kl_email_portal_compose_async (XdpParent             *parent,
                               const KlEmailMessage  *message,
                               GCancellable          *cancellable,
                               GAsyncReadyCallback    callback,
                               gpointer               user_data)
{
  g_autoptr(GTask) task = NULL;
  PortalCall *call;

  g_return_if_fail (message != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, kl_email_portal_compose_async);
  call = g_new0 (PortalCall, 1);
  call->message = kl_email_message_copy (message);
  call->parent = parent;
  g_task_set_task_data (task, call, (GDestroyNotify) portal_call_free);
  g_bus_get (G_BUS_TYPE_SESSION, cancellable, bus_ready, g_steal_pointer (&task));
}

gboolean
kl_email_portal_compose_finish (GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
