/* SPDX-License-Identifier: GPL-3.0-or-later */
/* keyline-cli report --email: the window's message (kl-email-message.c),
 * opened in the user's mail program through the Email portal without a
 * parent window. */

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "kl-cli-email.h"
#include "kl-email-message.h"

/* For tests: the message as JSON into path, instead of the portal. */
static gboolean
write_log (const char            *path,
           const KlEmailMessage  *message,
           GError               **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "address");
  if (message->address != NULL)
    json_builder_add_string_value (builder, message->address);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "subject");
  json_builder_add_string_value (builder, message->subject);
  json_builder_set_member_name (builder, "body");
  json_builder_add_string_value (builder, message->body);
  json_builder_set_member_name (builder, "attachment");
  json_builder_add_string_value (builder, message->attachment);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  return json_generator_to_file (generator, path, error);
}

static void
composed (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static gboolean
compose (const KlEmailMessage  *message,
         GError               **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  kl_email_portal_compose_async (NULL, message, NULL, composed, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return kl_email_portal_compose_finish (result, error);
}

int
kl_cli_report_email (KlDatabase      *db,
                     const char      *customer_code,
                     const KlPeriod  *period,
                     KlReportOptions *options,
                     GError         **build_error)
{
  g_autoptr(KlEmailMessage) message = NULL;
  g_autoptr(GError) error = NULL;
  const char *log_path = g_getenv ("KEYLINE_EMAIL_COMPOSE_LOG");

  message = kl_email_message_build (db, customer_code, period, NULL, options, NULL, build_error);
  if (message == NULL)
    return -1;

  if (message->address == NULL)
    g_printerr (_("keyline-cli: warning: %s has no primary contact with an email address; "
                  "the message is composed without a recipient\n"), customer_code);

  if (log_path != NULL && *log_path != '\0')
    {
      if (!write_log (log_path, message, &error))
        {
          kl_cli_error (_("Cannot write the email log “%s”: %s"), log_path, error->message);
          return KL_EXIT_CANTCREAT;
        }
      return KL_EXIT_OK;
    }

  if (!compose (message, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          kl_cli_error (_("The email was cancelled. The PDF is at %s"), message->attachment);
          return KL_EXIT_TEMPFAIL;
        }
      if (g_error_matches (error, KL_EMAIL_ERROR, KL_EMAIL_ERROR_NO_PORTAL))
        kl_cli_error (_("cannot open the mail program: no Email portal on the session bus (%s). The PDF is at %s"),
                      error->message, message->attachment);
      else
        kl_cli_error (_("cannot open the mail program: %s. The PDF is at %s"),
                      error->message, message->attachment);
      return KL_EXIT_UNAVAILABLE;
    }
  kl_cli_printf (_("Opened the email to %s in the mail program; the PDF is at %s\n"),
                 message->address != NULL ? message->address : _("(no recipient)"), message->attachment);
  return KL_EXIT_OK;
}
