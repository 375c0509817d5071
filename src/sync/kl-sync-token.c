/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The API token in the keyring: see kl-sync-token.h. */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <libsecret/secret.h>

#include "kl-sync-token.h"

static const SecretSchema *
token_schema (void)
{
  static const SecretSchema schema = {
    "io.github.keyline.Keyline.ApiToken", SECRET_SCHEMA_NONE,
    {
      { "server", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    },
    0, NULL, NULL, NULL, NULL, NULL, NULL, NULL
  };
  return &schema;
}

char *
kl_sync_token_lookup (const char    *url,
                      GCancellable  *cancellable,
                      GError       **error)
{
  const char *env = g_getenv ("KEYLINE_TOKEN");
  g_autoptr(GError) local_error = NULL;
  char *secret;

  if (env != NULL && *env != '\0')
    return g_strdup (env);
  secret = secret_password_lookup_sync (token_schema (), cancellable, &local_error, "server", url, NULL);
  if (local_error != NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   _("The desktop keyring could not be read (%s); unlock it, or set KEYLINE_TOKEN"),
                   local_error->message);
      return NULL;
    }
  if (secret == NULL)
    return NULL;
  {
    char *copy = g_strdup (secret);

    secret_password_free (secret);
    return copy;
  }
}

gboolean
kl_sync_token_store (const char    *url,
                     const char    *token,
                     GCancellable  *cancellable,
                     GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *label = g_strdup_printf (_("Keyline back-office token for %s"), url);

  if (!secret_password_store_sync (token_schema (), SECRET_COLLECTION_DEFAULT, label, token, cancellable,
                                   &local_error, "server", url, NULL))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   _("The token could not be stored in the desktop keyring (%s); unlock the keyring, or set KEYLINE_TOKEN"),
                   local_error->message);
      return FALSE;
    }
  return TRUE;
}

gboolean
kl_sync_token_clear (const char    *url,
                     GCancellable  *cancellable,
                     GError       **error)
{
  g_autoptr(GError) local_error = NULL;

  secret_password_clear_sync (token_schema (), cancellable, &local_error, "server", url, NULL);
  if (local_error != NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   _("The token could not be removed from the desktop keyring (%s)"), local_error->message);
      return FALSE;
    }
  return TRUE;
}
