/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The back office's HTTP client (docs/sync.md): one SoupSession, a bearer
 * token, User-Agent Keyline/VERSION, timeouts, TLS certificates always
 * checked, http:// only for a loopback host. Requests are retried as
 * api.yaml says (408, 429, 500, 502, 503, 504 and network failures, with
 * exponential backoff and jitter, never sooner than Retry-After), a bounded
 * number of times. Calls block the calling thread: the CLI's, or the
 * window's sync thread, never the main thread. */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define KL_SYNC_ERROR (kl_sync_error_quark ())

typedef enum {
  KL_SYNC_ERROR_URL,          /* the server URL is not one we may use */
  KL_SYNC_ERROR_UNAVAILABLE,  /* network failure or 5xx after every retry (exit 69) */
  KL_SYNC_ERROR_BUSY,         /* 429/503 after every retry (exit 75) */
  KL_SYNC_ERROR_AUTH,         /* 401: the token is missing, wrong or expired (exit 77) */
  KL_SYNC_ERROR_DATA,         /* the server sent what breaks api.yaml (exit 65) */
  KL_SYNC_ERROR_REFUSED,      /* an unexpected answer to a request (4xx) */
  KL_SYNC_ERROR_NO_TOKEN,     /* no token stored for the server (exit 77) */
  KL_SYNC_ERROR_NO_SERVER,    /* no server URL known */
  KL_SYNC_ERROR_CANCELLED,
} KlSyncError;

GQuark kl_sync_error_quark (void);

typedef struct _KlSyncClient KlSyncClient;

/* An answer the caller handles itself (any status the client does not
 * retry or turn into an error). json is the parsed body (an object), or
 * NULL when it had none. */
typedef struct {
  guint       status;
  JsonNode   *json;
  char       *content_type;
} KlSyncReply;

void          kl_sync_reply_free          (KlSyncReply *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KlSyncReply, kl_sync_reply_free)

/* Checks url (https, or http to a loopback host) and makes a client; the
 * token is kept in memory only and never appears in a message. */
KlSyncClient *kl_sync_client_new          (const char  *url,
                                           const char  *token,
                                           GError     **error);
void          kl_sync_client_free         (KlSyncClient *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KlSyncClient, kl_sync_client_free)

/* The server URL without a trailing slash. */
const char   *kl_sync_client_get_url      (KlSyncClient *self);
/* TRUE when url may be used: https, or http to a loopback host. */
gboolean      kl_sync_url_check           (const char  *url,
                                           GError     **error);
/* Attempts per request (default 6) and the first backoff in milliseconds
 * (default 500; doubled each time, with jitter, at most 30 s). */
void          kl_sync_client_set_retry    (KlSyncClient *self,
                                           guint         attempts,
                                           guint         first_delay_ms);

/* Sends method path (with its query) with an optional JSON body,
 * Idempotency-Key and If-Match; retries what api.yaml retries; 401 is
 * KL_SYNC_ERROR_AUTH. A 2xx body that is not JSON (a truncated reply) is
 * retried too, then KL_SYNC_ERROR_DATA. */
KlSyncReply  *kl_sync_client_request      (KlSyncClient  *self,
                                           const char    *method,
                                           const char    *path,
                                           const char    *content_type,
                                           JsonNode      *body,
                                           const char    *idempotency_key,
                                           const char    *if_match,
                                           GCancellable  *cancellable,
                                           GError       **error);

/* Reads a 2xx JSON body in place of json-glib's tree (a page of
 * shipments, read as it is scanned). Returns FALSE, with an error saying
 * why, when the body is not one whole JSON object: the request is then
 * retried as a cut reply is. Anything else it finds wrong it keeps in
 * user_data and returns TRUE. It is called again, from the start, for
 * each attempt. */
typedef gboolean (*KlSyncBodyReader) (const char  *data,
                                      gsize        size,
                                      gpointer     user_data,
                                      GError     **error);

/* kl_sync_client_request () for a GET whose 2xx JSON body reader reads;
 * reply->json is then NULL (other answers are parsed as usual). */
KlSyncReply  *kl_sync_client_get_with_reader (KlSyncClient      *self,
                                              const char        *path,
                                              KlSyncBodyReader   reader,
                                              gpointer           user_data,
                                              GCancellable      *cancellable,
                                              GError           **error);

G_END_DECLS
