/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The back office's HTTP client: see kl-sync-client.h. */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <libsoup/soup.h>
#include <string.h>

#include "kl-sync-client.h"

G_DEFINE_QUARK (kl-sync-error-quark, kl_sync_error)

struct _KlSyncClient {
  SoupSession *session;
  char        *url;
  char        *auth;       /* "Bearer …": memory only */
  guint        attempts;
  guint        first_delay_ms;
};

void
kl_sync_reply_free (KlSyncReply *self)
{
  if (self == NULL)
    return;
  if (self->json)
    json_node_unref (self->json);
  g_free (self->content_type);
  g_free (self);
}

static gboolean
host_is_loopback (const char *host)
{
  g_autoptr(GInetAddress) addr = NULL;

  if (host == NULL)
    return FALSE;
  if (g_ascii_strcasecmp (host, "localhost") == 0)
    return TRUE;
  addr = g_inet_address_new_from_string (host);
  return addr != NULL && g_inet_address_get_is_loopback (addr);
}

gboolean
kl_sync_url_check (const char  *url,
                   GError     **error)
{
  g_autoptr(GUri) uri = NULL;
  const char *scheme;

  if (url == NULL || *url == '\0')
    {
      g_set_error (error, KL_SYNC_ERROR, KL_SYNC_ERROR_NO_SERVER,
                   _("No back-office server is set; sign in with “sync login --server URL” or give --server"));
      return FALSE;
    }
  uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL || g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0')
    {
      g_set_error (error, KL_SYNC_ERROR, KL_SYNC_ERROR_URL,
                   _("The server address “%s” is not a URL like https://backoffice.example.com"), url);
      return FALSE;
    }
  scheme = g_uri_get_scheme (uri);
  if (g_ascii_strcasecmp (scheme, "https") == 0)
    return TRUE;
  if (g_ascii_strcasecmp (scheme, "http") == 0 && host_is_loopback (g_uri_get_host (uri)))
    return TRUE;
  g_set_error (error, KL_SYNC_ERROR, KL_SYNC_ERROR_URL,
               _("The server address “%s” must start with https:// (http:// is accepted only for this computer)"), url);
  return FALSE;
}

KlSyncClient *
kl_sync_client_new (const char  *url,
                    const char  *token,
                    GError     **error)
{
  KlSyncClient *self;
  g_autofree char *agent = NULL;
  gsize len;

  if (!kl_sync_url_check (url, error))
    return NULL;
  if (token == NULL || *token == '\0' || strpbrk (token, "\r\n") != NULL)
    {
      g_set_error (error, KL_SYNC_ERROR, KL_SYNC_ERROR_NO_TOKEN,
                   _("No usable API token for %s; sign in with “sync login” or set KEYLINE_TOKEN"), url);
      return NULL;
    }

  agent = g_strdup ("Keyline/" PACKAGE_VERSION);
  self = g_new0 (KlSyncClient, 1);
  /* TLS: the session's default database checks certificates; nothing here
   * ever accepts one that fails. */
  self->session = soup_session_new_with_options ("user-agent", agent,
                                                 "timeout", 60,
                                                 "idle-timeout", 60,
                                                 "max-conns-per-host", 2,
                                                 NULL);
  self->url = g_strdup (url);
  len = strlen (self->url);
  while (len > 0 && self->url[len - 1] == '/')
    self->url[--len] = '\0';
  self->auth = g_strdup_printf ("Bearer %s", token);
  self->attempts = 6;
  self->first_delay_ms = 500;
  {
    /* KEYLINE_SYNC_FIRST_DELAY_MS: the first backoff, for tests. */
    const char *env = g_getenv ("KEYLINE_SYNC_FIRST_DELAY_MS");

    if (env != NULL && *env != '\0')
      self->first_delay_ms = (guint) g_ascii_strtoull (env, NULL, 10);
  }
  return self;
}

void
kl_sync_client_free (KlSyncClient *self)
{
  if (self == NULL)
    return;
  g_clear_object (&self->session);
  g_free (self->url);
  if (self->auth != NULL)
    memset (self->auth, 0, strlen (self->auth));
  g_free (self->auth);
  g_free (self);
}

const char *
kl_sync_client_get_url (KlSyncClient *self)
{
  return self->url;
}

void
kl_sync_client_set_retry (KlSyncClient *self,
                          guint         attempts,
                          guint         first_delay_ms)
{
  self->attempts = MAX (attempts, 1);
  self->first_delay_ms = first_delay_ms;
}

/* Waits ms milliseconds, or less when cancelled. */
static gboolean
wait_ms (guint64        ms,
         GCancellable  *cancellable,
         GError       **error)
{
  gint64 end = g_get_monotonic_time () + (gint64) ms * 1000;

  for (;;)
    {
      gint64 left = end - g_get_monotonic_time ();

      if (g_cancellable_is_cancelled (cancellable))
        {
          g_set_error (error, KL_SYNC_ERROR, KL_SYNC_ERROR_CANCELLED, _("The sync was cancelled"));
          return FALSE;
        }
      if (left <= 0)
        return TRUE;
      g_usleep (MIN (left, 50000));
    }
}

static guint64
backoff_ms (KlSyncClient *self,
            guint         attempt)
{
  guint64 d = (guint64) self->first_delay_ms << MIN (attempt, 16);

  d = MIN (d, 30000);
  /* Full jitter over the upper half: between d/2 and d. */
  return d / 2 + (d > 1 ? (guint64) g_random_int_range (0, (gint32) MAX (d / 2, 1)) : 0);
}

static gboolean
retryable (guint status)
{
  return status == 408 || status == 429 || status == 500 || status == 502 || status == 503 || status == 504;
}

static char *
status_text (guint status)
{
  const char *phrase = soup_status_get_phrase (status);

  return phrase ? g_strdup_printf ("%u %s", status, phrase) : g_strdup_printf ("%u", status);
}

static KlSyncReply *
request_full (KlSyncClient      *self,
              const char        *method,
              const char        *path,
              const char        *content_type,
              JsonNode          *body,
              const char        *idempotency_key,
              const char        *if_match,
              KlSyncBodyReader   reader,
              gpointer           reader_data,
              GCancellable      *cancellable,
              GError           **error)
{
  g_autofree char *url = g_strconcat (self->url, path, NULL);
  g_autofree char *payload = NULL;
  g_autofree char *last = NULL;
  gsize payload_len = 0;
  gboolean last_busy = FALSE, last_data = FALSE;

  if (body != NULL)
    payload = json_to_string (body, FALSE), payload_len = strlen (payload);

  for (guint attempt = 0; attempt < self->attempts; attempt++)
    {
      g_autoptr(SoupMessage) msg = soup_message_new (method, url);
      g_autoptr(GBytes) bytes = NULL;
      g_autoptr(GError) local_error = NULL;
      guint64 delay = attempt > 0 ? backoff_ms (self, attempt - 1) : 0;
      SoupMessageHeaders *headers;
      guint status;
      const char *ctype;

      if (msg == NULL)
        {
          g_set_error (error, KL_SYNC_ERROR, KL_SYNC_ERROR_URL, _("The server address “%s” is not a URL"), self->url);
          return NULL;
        }
      headers = soup_message_get_request_headers (msg);
      soup_message_headers_replace (headers, "Authorization", self->auth);
      soup_message_headers_replace (headers, "Accept", "application/json");
      if (idempotency_key != NULL)
        soup_message_headers_replace (headers, "Idempotency-Key", idempotency_key);
      if (if_match != NULL)
        soup_message_headers_replace (headers, "If-Match", if_match);
      if (payload != NULL)
        {
          g_autoptr(GBytes) b = g_bytes_new (payload, payload_len);

          soup_message_set_request_body_from_bytes (msg, content_type ? content_type : "application/json", b);
        }

      bytes = soup_session_send_and_read (self->session, msg, cancellable, &local_error);
      if (bytes == NULL)
        {
          if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
            {
              g_set_error (error, KL_SYNC_ERROR, KL_SYNC_ERROR_CANCELLED, _("The sync was cancelled"));
              return NULL;
            }
          if (local_error->domain == G_TLS_ERROR)
            {
              /* A certificate that fails the check is never accepted, and
               * retrying will not change it. */
              g_set_error (error, KL_SYNC_ERROR, KL_SYNC_ERROR_UNAVAILABLE,
                           _("The server %s did not prove who it is (%s); ask your administrator about its certificate"),
                           self->url, local_error->message);
              return NULL;
            }
          g_free (last);
          last = g_strdup (local_error->message);
          last_busy = last_data = FALSE;
          g_debug ("%s %s: %s (attempt %u)", method, path, local_error->message, attempt + 1);
          if (attempt + 1 < self->attempts && !wait_ms (delay > 0 ? delay : backoff_ms (self, attempt), cancellable, error))
            return NULL;
          continue;
        }

      status = soup_message_get_status (msg);
      if (retryable (status))
        {
          const char *after = soup_message_headers_get_one (soup_message_get_response_headers (msg), "Retry-After");
          guint64 wait = backoff_ms (self, attempt);

          if (after != NULL && (status == 429 || status == 503))
            {
              guint64 secs = g_ascii_strtoull (after, NULL, 10);

              /* Never sooner than Retry-After; a server asking for more
               * than ten minutes is as good as unavailable now. */
              wait = MAX (wait, MIN (secs, 600) * 1000);
            }
          g_free (last);
          last = status_text (status);
          last_busy = status == 429 || status == 503;
          last_data = FALSE;
          g_debug ("%s %s: %u (attempt %u)", method, path, status, attempt + 1);
          if (attempt + 1 < self->attempts && !wait_ms (wait, cancellable, error))
            return NULL;
          continue;
        }
      g_debug ("%s %s: %u", method, path, status);
      if (status == 401)
        {
          g_set_error (error, KL_SYNC_ERROR, KL_SYNC_ERROR_AUTH,
                       _("The server %s refused the API token (401); sign in again with “sync login” or set a new KEYLINE_TOKEN"),
                       self->url);
          return NULL;
        }

      {
        g_autoptr(KlSyncReply) reply = g_new0 (KlSyncReply, 1);
        gsize size = 0;
        const char *data = g_bytes_get_data (bytes, &size);

        reply->status = status;
        ctype = soup_message_headers_get_content_type (soup_message_get_response_headers (msg), NULL);
        reply->content_type = g_strdup (ctype);
        if (size > 0 && ctype != NULL && (g_str_has_suffix (ctype, "json")))
          {
            /* Not immutable: sealing every node of a page costs a walk
             * over the tree, and nothing here shares the nodes. */
            g_autoptr(JsonParser) parser = NULL;
            g_autoptr(GError) parse_error = NULL;
            gboolean whole;

            g_debug ("%s %s: %zu bytes read", method, path, size);
            if (reader != NULL && status >= 200 && status < 300)
              whole = reader (data, size, reader_data, &parse_error);
            else
              {
                parser = json_parser_new ();
                whole = json_parser_load_from_data (parser, data, (gssize) size, &parse_error) &&
                        json_parser_get_root (parser) != NULL &&
                        JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser));
              }
            if (!whole)
              {
                /* A reply cut short on the way (or a proxy's page): try
                 * again; nothing of it is used. */
                g_free (last);
                last = g_strdup_printf (_("the reply to %s %s is not a whole JSON object (%s)"), method, path,
                                        parse_error ? parse_error->message : _("not an object"));
                last_busy = FALSE;
                last_data = TRUE;
                if (attempt + 1 < self->attempts && !wait_ms (backoff_ms (self, attempt), cancellable, error))
                  return NULL;
                continue;
              }
            if (parser != NULL)
              reply->json = json_node_ref (json_parser_get_root (parser));
          }
        else if (status >= 200 && status < 300 && status != 204)
          {
            g_free (last);
            last = g_strdup_printf (_("the reply to %s %s is not JSON (content type %s)"), method, path,
                                    ctype ? ctype : _("none"));
            last_busy = FALSE;
            last_data = TRUE;
            if (attempt + 1 < self->attempts && !wait_ms (backoff_ms (self, attempt), cancellable, error))
              return NULL;
            continue;
          }
        return g_steal_pointer (&reply);
      }
    }

  if (last_data)
    g_set_error (error, KL_SYNC_ERROR, KL_SYNC_ERROR_DATA,
                 _("The server %s sent data that breaks the API after %u attempts: %s"),
                 self->url, self->attempts, last);
  else if (last_busy)
    g_set_error (error, KL_SYNC_ERROR, KL_SYNC_ERROR_BUSY,
                 _("The server %s is busy (%s after %u attempts); try again later"),
                 self->url, last, self->attempts);
  else
    g_set_error (error, KL_SYNC_ERROR, KL_SYNC_ERROR_UNAVAILABLE,
                 _("The server %s could not be reached (%s after %u attempts); check the network and try again"),
                 self->url, last, self->attempts);
  return NULL;
}

KlSyncReply *
kl_sync_client_request (KlSyncClient  *self,
                        const char    *method,
                        const char    *path,
                        const char    *content_type,
                        JsonNode      *body,
                        const char    *idempotency_key,
                        const char    *if_match,
                        GCancellable  *cancellable,
                        GError       **error)
{
  return request_full (self, method, path, content_type, body, idempotency_key, if_match,
                       NULL, NULL, cancellable, error);
}

KlSyncReply *
kl_sync_client_get_with_reader (KlSyncClient      *self,
                                const char        *path,
                                KlSyncBodyReader   reader,
                                gpointer           user_data,
                                GCancellable      *cancellable,
                                GError           **error)
{
  g_return_val_if_fail (reader != NULL, NULL);

  return request_full (self, "GET", path, NULL, NULL, NULL, NULL, reader, user_data, cancellable, error);
}
