/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The HTTP layer of keyline-server: docs/api.yaml on a libsoup 3
 * SoupServer in the GLib main loop.
 *
 * The main loop accepts requests and hands each to a worker thread (a
 * GThreadPool); a worker has its own store connection and runs the request
 * to completion, in one store transaction where it writes; its reply goes
 * back to the main thread, the only one that touches libsoup. Several
 * server processes may share one database too; the store keeps all their
 * writes apart (kl-server-store.h).
 * Every error is a problem details object (RFC 9457). */
#include "config.h"

#include <glib-unix.h>
#include <libsoup/soup.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "kl-server-records.h"
#include "kl-server.h"

#define MAX_ATTEMPTS 8

typedef struct {
  double tokens;
  gint64 last;    /* µs, monotonic */
} Bucket;

typedef struct {
  const KlServerOptions *options;
  KlServerStore *store;     /* the main thread's (housekeeping); a worker's in its copy */
  SoupServer    *soup;
  GMainLoop     *loop;
  guint          in_flight;
  gint           stopping;
  GHashTable    *buckets;   /* token hash → Bucket, under buckets_lock */
  GThreadPool   *pool;
  GPtrArray     *worker_stores;  /* every worker's store, under stores_lock */
} Server;

/* A request as a worker sees it: copies of what it needs from the
 * SoupServerMessage, which only the main thread touches, and the reply the
 * main thread then applies. */
typedef struct {
  Server             *server;
  SoupServerMessage  *soup_msg;        /* main thread only */
  char               *method;
  char               *path;
  GHashTable         *query;
  SoupMessageHeaders *request_headers;
  GBytes             *body;
  guint               status;
  char               *content_type;
  char               *reply;
  SoupMessageHeaders *response_headers;
  KlServerUser       *user;
} Req;

static GMutex buckets_lock;
static GMutex stores_lock;
static GPrivate worker_store;   /* KlServerStore* of the worker thread */

typedef struct {
  gint64        started;    /* monotonic µs */
  KlServerUser *user;
} RequestInfo;

static void
request_info_free (RequestInfo *info)
{
  kl_server_user_free (info->user);
  g_free (info);
}

/* ---- cursors ---- */

char *
kl_server_cursor_encode (KlServerCollection collection, gint64 seq, gint64 issued_usec)
{
  g_autofree char *plain = g_strdup_printf ("v1:%s:%" G_GINT64_FORMAT ":%" G_GINT64_FORMAT,
                                            kl_server_collection_to_string (collection), seq,
                                            issued_usec / G_USEC_PER_SEC);
  char *b64 = g_base64_encode ((const guchar *) plain, strlen (plain));
  /* URL-safe, without padding, so it goes in a query as it is. */
  for (char *c = b64; *c; c++)
    if (*c == '+')
      *c = '-';
    else if (*c == '/')
      *c = '_';
    else if (*c == '=')
      *c = '\0';
  return b64;
}

gboolean
kl_server_cursor_decode (const char *cursor, KlServerCollection *out_collection,
                         gint64 *out_seq, gint64 *out_issued_usec)
{
  g_autofree char *b64 = NULL;
  g_autofree guchar *plain = NULL;
  g_autofree char *text = NULL;
  g_auto(GStrv) parts = NULL;
  gsize len = strlen (cursor), out_len = 0;
  guint64 seq, issued;

  if (len == 0 || len > 200)
    return FALSE;
  b64 = g_malloc0 (len + 4);
  for (gsize i = 0; i < len; i++)
    {
      char c = cursor[i];
      if (c == '-')
        c = '+';
      else if (c == '_')
        c = '/';
      else if (!g_ascii_isalnum (c))
        return FALSE;
      b64[i] = c;
    }
  while (len % 4 != 0)
    b64[len++] = '=';
  plain = g_base64_decode (b64, &out_len);
  if (plain == NULL || out_len == 0)
    return FALSE;
  text = g_strndup ((const char *) plain, out_len);
  if (!g_utf8_validate (text, -1, NULL))
    return FALSE;
  parts = g_strsplit (text, ":", -1);
  if (g_strv_length (parts) != 4 || !g_str_equal (parts[0], "v1") ||
      !kl_server_collection_from_string (parts[1], out_collection) ||
      !g_ascii_string_to_unsigned (parts[2], 10, 0, G_MAXINT64, &seq, NULL) ||
      !g_ascii_string_to_unsigned (parts[3], 10, 0, G_MAXINT64 / G_USEC_PER_SEC, &issued, NULL))
    return FALSE;
  *out_seq = (gint64) seq;
  *out_issued_usec = (gint64) issued * G_USEC_PER_SEC;
  return TRUE;
}

/* ---- responses ---- */

static const char *
status_title (guint status)
{
  switch (status)
    {
    case 400: return "Bad request";
    case 401: return "Unauthorized";
    case 404: return "Not found";
    case 405: return "Method not allowed";
    case 409: return "Conflict";
    case 410: return "Gone";
    case 411: return "Length required";
    case 412: return "Precondition failed";
    case 413: return "Content too large";
    case 415: return "Unsupported media type";
    case 422: return "Unprocessable content";
    case 428: return "Precondition required";
    case 429: return "Too many requests";
    case 500: return "Internal server error";
    case 503: return "Service unavailable";
    default:  return soup_status_get_phrase (status);
    }
}

static char *
problem_to_string (const KlProblem *p)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *type = g_strdup_printf ("urn:keyline:problem:%s", p->type ? p->type : "error");

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "type");
  json_builder_add_string_value (b, type);
  json_builder_set_member_name (b, "title");
  json_builder_add_string_value (b, status_title (p->status));
  json_builder_set_member_name (b, "status");
  json_builder_add_int_value (b, p->status);
  json_builder_set_member_name (b, "detail");
  json_builder_add_string_value (b, p->detail ? p->detail : status_title (p->status));
  if (p->field)
    {
      json_builder_set_member_name (b, "field");
      json_builder_add_string_value (b, p->field);
    }
  if (p->current)
    {
      json_builder_set_member_name (b, "current");
      json_builder_add_value (b, json_node_copy (p->current));
    }
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  return json_to_string (root, FALSE);
}

static void
respond_json (Req *msg, guint status, const char *content_type, char *body)
{
  msg->status = status;
  g_free (msg->content_type);
  msg->content_type = g_strdup (content_type);
  g_free (msg->reply);
  msg->reply = body;
}

static void
respond_problem (Req *msg, KlProblem *p)
{
  SoupMessageHeaders *h = msg->response_headers;
  if (p->status == 401)
    soup_message_headers_replace (h, "WWW-Authenticate", "Bearer realm=\"keyline\"");
  respond_json (msg, p->status, "application/problem+json", problem_to_string (p));
  kl_problem_clear (p);
}

static void
respond_simple_problem (Req *msg, guint status, const char *type,
                        const char *detail)
{
  KlProblem p = { 0 };
  kl_problem_set (&p, status, type, NULL, "%s", detail);
  respond_problem (msg, &p);
}

static void
respond_store_error (Req *msg, GError *error)
{
  if (g_error_matches (error, KL_SERVER_STORE_ERROR, KL_SERVER_STORE_ERROR_RETRY))
    {
      soup_message_headers_replace (msg->response_headers,
                                    "Retry-After", "1");
      respond_simple_problem (msg, 503, "busy",
                              "the database is busy with other writes; retry in a second");
      return;
    }
  g_warning ("store: %s", error->message);
  respond_simple_problem (msg, 500, "store",
                          "the server's database failed; the server log says why");
}

/* ---- request helpers ---- */

static gboolean
content_type_is (Req *msg, const char *want)
{
  const char *ct = soup_message_headers_get_content_type (
      msg->request_headers, NULL);
  return ct != NULL && g_ascii_strcasecmp (ct, want) == 0;
}

static JsonObject *
read_json_object (Req *msg, KlProblem *p)
{
  GBytes *bytes = msg->body;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  gsize len = 0;
  const char *data = g_bytes_get_data (bytes, &len);

  if (len == 0)
    return (kl_problem_set (p, 400, "bad-json", NULL, "the request has no body; send a JSON object"), NULL);
  if (!g_utf8_validate (data, (gssize) len, NULL))
    return (kl_problem_set (p, 400, "bad-json", NULL, "the request body is not UTF-8"), NULL);
  if (!json_parser_load_from_data (parser, data, (gssize) len, &error))
    return (kl_problem_set (p, 400, "bad-json", NULL, "the request body is not JSON: %s",
                            error->message), NULL);
  if (!JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return (kl_problem_set (p, 400, "bad-json", NULL, "the request body must be a JSON object"), NULL);
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

static gboolean
user_in_scope (const KlServerUser *user, const char *manager)
{
  if (user->role == KL_SERVER_ROLE_LEAD)
    return TRUE;
  return manager != NULL &&
         (g_strcmp0 (manager, user->name) == 0 || g_strcmp0 (manager, user->display_name) == 0);
}

/* Whether @user may see @record: a lead always; a KAM when the record's
 * account is a customer they manage. */
static gboolean
record_in_scope (Server *self, const KlServerUser *user, const KlServerRecord *record,
                 GError **error)
{
  g_autoptr(KlServerRecord) account = NULL;
  if (user->role == KL_SERVER_ROLE_LEAD)
    return TRUE;
  if (record->collection == KL_SERVER_COLLECTION_CUSTOMERS)
    return user_in_scope (user, record->account_manager);
  if (record->account_id == NULL)
    return FALSE;
  account = self->store->vtable->record_get (self->store, KL_SERVER_COLLECTION_CUSTOMERS,
                                             record->account_id, error);
  return account != NULL && user_in_scope (user, account->account_manager);
}

/* ---- endpoints ---- */

static void
handle_me (Server *self, Req *msg, const KlServerUser *user)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *time = g_date_time_format (now, "%Y-%m-%dT%H:%M:%S+00:00");

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "user");
  json_builder_add_string_value (b, user->name);
  json_builder_set_member_name (b, "display_name");
  json_builder_add_string_value (b, user->display_name);
  json_builder_set_member_name (b, "role");
  json_builder_add_string_value (b, kl_server_role_to_string (user->role));
  json_builder_set_member_name (b, "server_time");
  json_builder_add_string_value (b, time);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  respond_json (msg, 200, "application/json", json_to_string (root, FALSE));
}

static void
handle_pull (Server *self, Req *msg, GHashTable *query,
             KlServerCollection collection, const KlServerUser *user)
{
  const char *cursor = query ? g_hash_table_lookup (query, "cursor") : NULL;
  const char *limit_text = query ? g_hash_table_lookup (query, "limit") : NULL;
  guint64 limit = 500;
  gint64 after = 0, issued = 0, horizon;
  gint64 now = g_get_real_time ();
  gboolean has_more = FALSE;
  const char *names[3] = { user->name, user->display_name, NULL };
  KlServerScope scope = { user->role == KL_SERVER_ROLE_LEAD, names };
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GError) error = NULL;
  GString *page;
  g_autofree char *next = NULL;

  if (limit_text != NULL &&
      !g_ascii_string_to_unsigned (limit_text, 10, 1, 1000, &limit, NULL))
    {
      respond_simple_problem (msg, 400, "bad-limit",
                              "limit must be a whole number from 1 to 1000 (default 500)");
      return;
    }
  if (cursor != NULL)
    {
      KlServerCollection of;
      gint64 retention = (gint64) self->options->cursor_retention_days * 86400 * G_USEC_PER_SEC;
      if (!kl_server_cursor_decode (cursor, &of, &after, &issued))
        {
          respond_simple_problem (msg, 400, "bad-cursor",
                                  "the cursor is not one this server gave out; pull without a "
                                  "cursor to start from the beginning");
          return;
        }
      if (of != collection)
        {
          g_autofree char *d = g_strdup_printf ("the cursor belongs to /v1/%s, not /v1/%s",
                                                kl_server_collection_to_string (of),
                                                kl_server_collection_to_string (collection));
          respond_simple_problem (msg, 400, "bad-cursor", d);
          return;
        }
      horizon = self->store->vtable->feed_horizon (self->store, &error);
      if (horizon < 0)
        {
          respond_store_error (msg, error);
          return;
        }
      if (now - issued > retention || (after > 0 && after < horizon))
        {
          respond_simple_problem (msg, 410, "cursor-expired",
                                  "the cursor has expired; pull the collection from the start "
                                  "(without a cursor) and replace the local copy");
          return;
        }
    }
  items = self->store->vtable->pull (self->store, collection, &scope, after, (guint) limit,
                                     &has_more, &error);
  if (items == NULL)
    {
      respond_store_error (msg, error);
      return;
    }
  /* Written straight into the reply, record after record: no JSON tree
   * of the page is built (that was nine tenths of a page's time). */
  page = g_string_sized_new (64 + items->len * 1024);
  g_string_append (page, "{\"items\":[");
  for (guint i = 0; i < items->len; i++)
    {
      KlServerRecord *r = g_ptr_array_index (items, i);
      if (i > 0)
        g_string_append_c (page, ',');
      kl_server_record_append_json (page, r);
      after = r->seq;
    }
  next = kl_server_cursor_encode (collection, after, now);
  g_string_append (page, "],\"next_cursor\":");
  kl_server_json_append_string (page, next);
  g_string_append (page, has_more ? ",\"has_more\":true}" : ",\"has_more\":false}");
  respond_json (msg, 200, "application/json", g_string_free (g_steal_pointer (&page), FALSE));
}

/* What a create did inside its transaction: 201 with the record, or a
 * problem (and nothing is kept). */
typedef gboolean (*CreateFunc) (Server *self, JsonObject *request, const KlServerUser *user,
                                gint64 now, KlServerRecord **out_record, KlProblem *p,
                                GError **error);

static gboolean
create_customer (Server *self, JsonObject *request, const KlServerUser *user, gint64 now,
                 KlServerRecord **out_record, KlProblem *p, GError **error)
{
  g_autoptr(KlServerRecord) record = kl_server_customer_new (request, user, now, p);
  g_autoptr(KlServerRecord) existing = NULL;
  if (record == NULL)
    return TRUE;
  existing = self->store->vtable->record_get_by_key (self->store, KL_SERVER_COLLECTION_CUSTOMERS,
                                                     record->key, error);
  if (existing == NULL && error && *error)
    return FALSE;
  if (existing != NULL)
    {
      gboolean visible = record_in_scope (self, user, existing, NULL);
      kl_problem_set (p, 409, "exists", "code",
                      "a customer with the code “%s” exists already%s", record->key,
                      visible ? "; `current` holds it"
                              : ", managed by another KAM; ask your team lead");
      if (visible)
        p->current = kl_server_record_to_json (existing);
      return TRUE;
    }
  if (!self->store->vtable->record_put (self->store, record, 0, error))
    {
      /* A concurrent create took the code: run again, which finds it. */
      if (g_error_matches (*error, KL_SERVER_STORE_ERROR, KL_SERVER_STORE_ERROR_EXISTS))
        (*error)->code = KL_SERVER_STORE_ERROR_RETRY;
      return FALSE;
    }
  *out_record = g_steal_pointer (&record);
  return TRUE;
}

static gboolean
create_claim (Server *self, JsonObject *request, const KlServerUser *user, gint64 now,
              KlServerRecord **out_record, KlProblem *p, GError **error)
{
  const char *customer_id = json_object_get_string_member (request, "customer_id");
  g_autoptr(KlServerRecord) customer = NULL;
  g_autofree char *counter = NULL;
  g_autofree char *number = NULL;
  g_autoptr(KlServerRecord) record = NULL;
  gint64 n;

  customer = self->store->vtable->record_get (self->store, KL_SERVER_COLLECTION_CUSTOMERS,
                                              customer_id, error);
  if (customer == NULL && error && *error)
    return FALSE;
  if (customer == NULL || customer->deleted || !record_in_scope (self, user, customer, NULL))
    {
      kl_problem_set (p, 422, "invalid-field", "customer_id",
                      "customer_id %s names no customer of yours; pull /v1/customers for the ids",
                      customer_id);
      return TRUE;
    }
  counter = kl_server_claim_counter (request, now);
  n = self->store->vtable->next_number (self->store, counter, error);
  if (n <= 0)
    return FALSE;
  number = g_strdup_printf ("%s-%06" G_GINT64_FORMAT, counter, n);
  record = kl_server_claim_new (request, number, user, now);
  if (!self->store->vtable->record_put (self->store, record, 0, error))
    return FALSE;
  *out_record = g_steal_pointer (&record);
  return TRUE;
}

static void
handle_create (Server *self, Req *msg, KlServerCollection collection,
               const KlServerUser *user)
{
  const char *key = soup_message_headers_get_one (msg->request_headers,
                                                  "Idempotency-Key");
  g_autoptr(JsonObject) request = NULL;
  g_autofree char *request_name = g_strdup_printf ("POST /v1/%s",
                                                   kl_server_collection_to_string (collection));
  g_autofree char *hash = NULL;
  KlProblem p = { 0 };

  if (!content_type_is (msg, "application/json"))
    {
      respond_simple_problem (msg, 415, "media-type",
                              "send the new record as Content-Type: application/json");
      return;
    }
  if (key == NULL)
    {
      respond_simple_problem (msg, 400, "idempotency-key",
                              "a create needs an Idempotency-Key header: a UUID the client "
                              "chooses once per create and repeats on every retry");
      return;
    }
  if (!kl_server_valid_uuid (key))
    {
      respond_simple_problem (msg, 400, "idempotency-key", "the Idempotency-Key must be a UUID");
      return;
    }
  request = read_json_object (msg, &p);
  if (request == NULL)
    {
      respond_problem (msg, &p);
      return;
    }
  {
    hash = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, msg->body);
  }
  if (collection == KL_SERVER_COLLECTION_CLAIMS && !kl_server_claim_check_new (request, &p))
    {
      respond_problem (msg, &p);
      return;
    }

  for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(KlServerIdempotency) stored = NULL;
      g_autoptr(KlServerRecord) record = NULL;
      KlServerIdempotency idem = { 0 };
      g_autofree char *body = NULL;
      gint64 now = g_get_real_time ();
      gboolean ok;

      if (!kl_server_store_begin (self->store, &error))
        goto failed;
      stored = self->store->vtable->idempotency_get (self->store, user->name, key, &error);
      if (stored == NULL && error)
        goto failed;
      if (stored != NULL)
        {
          kl_server_store_rollback (self->store);
          if (!g_str_equal (stored->request, request_name) ||
              !g_str_equal (stored->request_hash, hash))
            {
              respond_simple_problem (msg, 422, "idempotency-key",
                                      "this Idempotency-Key was used for another request; "
                                      "choose a new key for a new create");
              return;
            }
          respond_json (msg, stored->status, "application/json", g_strdup (stored->response));
          return;
        }
      ok = collection == KL_SERVER_COLLECTION_CUSTOMERS
             ? create_customer (self, request, user, now, &record, &p, &error)
             : create_claim (self, request, user, now, &record, &p, &error);
      if (!ok)
        goto failed;
      if (record == NULL)
        {
          kl_server_store_rollback (self->store);
          respond_problem (msg, &p);
          return;
        }
      body = kl_server_record_to_string (record);
      idem.key = (char *) key;
      idem.user = user->name;
      idem.request = request_name;
      idem.request_hash = hash;
      idem.status = 201;
      idem.response = body;
      idem.created_at = now;
      if (!self->store->vtable->idempotency_put (self->store, &idem, &error))
        {
          /* A concurrent repeat stored the key first: run again, which
           * answers with its result. */
          if (g_error_matches (error, KL_SERVER_STORE_ERROR, KL_SERVER_STORE_ERROR_EXISTS))
            error->code = KL_SERVER_STORE_ERROR_RETRY;
          goto failed;
        }
      if (!kl_server_store_commit (self->store, &error))
        goto failed;
      respond_json (msg, 201, "application/json", g_steal_pointer (&body));
      return;

    failed:
      kl_server_store_rollback (self->store);
      if (!g_error_matches (error, KL_SERVER_STORE_ERROR, KL_SERVER_STORE_ERROR_RETRY) ||
          attempt == MAX_ATTEMPTS - 1)
        {
          respond_store_error (msg, error);
          return;
        }
      g_usleep ((gulong) g_random_int_range (1000, 5000) * (gulong) (attempt + 1));
    }
}

/* If-Match: "<revision>" → revision; 0 with the response set otherwise. */
static gint64
read_if_match (Req *msg)
{
  const char *v = soup_message_headers_get_one (msg->request_headers,
                                                "If-Match");
  guint64 rev = 0;
  g_autofree char *inner = NULL;
  gsize len;

  if (v == NULL)
    {
      respond_simple_problem (msg, 428, "if-match",
                              "a change needs If-Match: \"<revision>\", the revision the change "
                              "was made against");
      return 0;
    }
  len = strlen (v);
  if (len >= 3 && v[0] == '"' && v[len - 1] == '"')
    inner = g_strndup (v + 1, len - 2);
  if (inner == NULL || !g_ascii_string_to_unsigned (inner, 10, 1, G_MAXINT64, &rev, NULL))
    {
      respond_simple_problem (msg, 400, "if-match",
                              "If-Match must be a revision in double quotes, such as \"3\"");
      return 0;
    }
  return (gint64) rev;
}

static void
handle_patch (Server *self, Req *msg, KlServerCollection collection,
              const char *id, const KlServerUser *user)
{
  g_autoptr(JsonObject) patch = NULL;
  KlProblem p = { 0 };
  gint64 if_match;

  if (!content_type_is (msg, "application/merge-patch+json"))
    {
      respond_simple_problem (msg, 415, "media-type",
                              "send a change as Content-Type: application/merge-patch+json");
      return;
    }
  if_match = read_if_match (msg);
  if (if_match == 0)
    return;
  patch = read_json_object (msg, &p);
  if (patch == NULL)
    {
      respond_problem (msg, &p);
      return;
    }
  if (!kl_server_valid_uuid (id))
    {
      respond_simple_problem (msg, 404, "not-found", "no record has that id (ids are UUIDs)");
      return;
    }

  for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(KlServerRecord) record = NULL;
      g_autofree char *previous_manager = NULL;
      gboolean changed = FALSE, ok;
      gint64 now = g_get_real_time ();
      gint64 stored_revision;

      if (!kl_server_store_begin (self->store, &error))
        goto failed;
      record = self->store->vtable->record_get (self->store, collection, id, &error);
      if (record == NULL && error)
        goto failed;
      if (record != NULL && !record_in_scope (self, user, record, &error))
        {
          if (error)
            goto failed;
          g_clear_pointer (&record, kl_server_record_free);
        }
      if (record == NULL || record->deleted)
        {
          g_autofree char *d = g_strdup_printf ("no %s has the id %s%s",
                                                collection == KL_SERVER_COLLECTION_CUSTOMERS ? "customer" : "case",
                                                id, record ? " any more: it was removed" : "");
          kl_server_store_rollback (self->store);
          respond_simple_problem (msg, 404, "not-found", d);
          return;
        }
      if (record->revision != if_match)
        {
          kl_server_store_rollback (self->store);
          kl_problem_set (&p, 412, "conflict", NULL,
                          "the record is at revision %" G_GINT64_FORMAT ", not %" G_GINT64_FORMAT
                          "; `current` holds it: merge and send again with its revision",
                          record->revision, if_match);
          p.current = kl_server_record_to_json (record);
          respond_problem (msg, &p);
          return;
        }
      stored_revision = record->revision;
      g_free (previous_manager);
      previous_manager = g_strdup (record->account_manager);
      ok = collection == KL_SERVER_COLLECTION_CUSTOMERS
             ? kl_server_customer_patch (record, patch, user, now, &changed, &p)
             : kl_server_claim_patch (record, patch, user, now, &changed, &p);
      if (!ok)
        {
          kl_server_store_rollback (self->store);
          respond_problem (msg, &p);
          return;
        }
      if (changed)
        {
          g_autofree char *manager_before = g_strdup (previous_manager);
          if (!self->store->vtable->record_put (self->store, record, stored_revision, &error))
            {
              if (g_error_matches (error, KL_SERVER_STORE_ERROR, KL_SERVER_STORE_ERROR_EXISTS))
                {
                  kl_server_store_rollback (self->store);
                  respond_simple_problem (msg, 409, "exists",
                                          "another customer has that code already");
                  return;
                }
              /* CONFLICT: another process changed it since we read it. */
              if (g_error_matches (error, KL_SERVER_STORE_ERROR, KL_SERVER_STORE_ERROR_CONFLICT))
                error->code = KL_SERVER_STORE_ERROR_RETRY;
              goto failed;
            }
          /* A customer that changed hands: its shipments and cases come
           * again in the feed, so the new account manager pulls them. */
          if (collection == KL_SERVER_COLLECTION_CUSTOMERS &&
              g_strcmp0 (manager_before, record->account_manager) != 0 &&
              self->store->vtable->touch_account != NULL &&
              !self->store->vtable->touch_account (self->store, record->id, &error))
            goto failed;
          if (!kl_server_store_commit (self->store, &error))
            goto failed;
        }
      else
        kl_server_store_rollback (self->store);
      respond_json (msg, 200, "application/json", kl_server_record_to_string (record));
      return;

    failed:
      kl_server_store_rollback (self->store);
      if (!g_error_matches (error, KL_SERVER_STORE_ERROR, KL_SERVER_STORE_ERROR_RETRY) ||
          attempt == MAX_ATTEMPTS - 1)
        {
          respond_store_error (msg, error);
          return;
        }
      g_usleep ((gulong) g_random_int_range (1000, 5000) * (gulong) (attempt + 1));
    }
}

/* ---- authentication and rate limits ---- */

static KlServerUser *
authenticate (Server *self, Req *msg, char **out_hash)
{
  const char *auth = soup_message_headers_get_one (msg->request_headers,
                                                   "Authorization");
  g_autoptr(GError) error = NULL;
  g_autofree char *hash = NULL;
  KlServerUser *user;

  if (auth == NULL || g_ascii_strncasecmp (auth, "Bearer ", 7) != 0 || auth[7] == '\0')
    {
      respond_simple_problem (msg, 401, "unauthorized",
                              "send Authorization: Bearer <token>; keyline-server token create "
                              "USER makes one");
      return NULL;
    }
  hash = kl_server_token_hash (auth + 7);
  user = self->store->vtable->token_lookup (self->store, hash, &error);
  if (user == NULL)
    {
      if (error)
        respond_store_error (msg, error);
      else
        respond_simple_problem (msg, 401, "unauthorized",
                                "the token is unknown or was revoked; ask for a new one");
      return NULL;
    }
  *out_hash = g_steal_pointer (&hash);
  return user;
}

/* A token bucket per token: rate_limit per minute, rate_burst at once.
 * Kept in this process's memory. */
static gboolean
rate_allowed (Server *self, const char *token_hash, guint *out_retry_after)
{
  double per_second = self->options->rate_limit / 60.0;
  double burst = MAX (self->options->rate_burst, 1);
  gint64 now = g_get_monotonic_time ();
  Bucket *bucket;

  g_autoptr(GMutexLocker) locker = NULL;

  if (self->options->rate_limit == 0)
    return TRUE;
  locker = g_mutex_locker_new (&buckets_lock);
  bucket = g_hash_table_lookup (self->buckets, token_hash);
  if (bucket == NULL)
    {
      bucket = g_new0 (Bucket, 1);
      bucket->tokens = burst;
      bucket->last = now;
      g_hash_table_insert (self->buckets, g_strdup (token_hash), bucket);
    }
  bucket->tokens = MIN (burst, bucket->tokens + (now - bucket->last) / 1e6 * per_second);
  bucket->last = now;
  if (bucket->tokens >= 1.0)
    {
      bucket->tokens -= 1.0;
      return TRUE;
    }
  *out_retry_after = (guint) MAX (1.0, ceil ((1.0 - bucket->tokens) / per_second));
  return FALSE;
}

/* ---- routing ---- */

static void
method_not_allowed (Req *msg, const char *allow)
{
  g_autofree char *d = g_strdup_printf ("this path takes %s", allow);
  soup_message_headers_replace (msg->response_headers, "Allow", allow);
  respond_simple_problem (msg, 405, "method", d);
}

static void
dispatch (Server *self, Req *msg)
{
  const char *method = msg->method;
  const char *path = msg->path;
  GHashTable *query = msg->query;
  g_autofree char *token_hash = NULL;
  g_auto(GStrv) parts = NULL;
  KlServerCollection collection;
  KlServerUser *user;
  guint retry_after = 0;
  guint n;

  if (g_atomic_int_get (&self->stopping))
    {
      soup_message_headers_replace (msg->response_headers,
                                    "Retry-After", "5");
      soup_message_headers_replace (msg->response_headers,
                                    "Connection", "close");
      respond_simple_problem (msg, 503, "stopping", "the server is stopping; retry shortly");
      return;
    }
  if (g_bytes_get_size (msg->body) > self->options->body_limit)
    {
      respond_simple_problem (msg, 413, "too-large", "the request body is over the server's limit");
      return;
    }
  if (!g_str_has_prefix (path, "/v1/"))
    {
      respond_simple_problem (msg, 404, "not-found", "no such path; the API is under /v1/");
      return;
    }
  parts = g_strsplit (path + 4, "/", -1);
  n = g_strv_length (parts);
  if (n == 0 || n > 2 || (n == 2 && parts[1][0] == '\0'))
    {
      respond_simple_problem (msg, 404, "not-found", "no such path (docs/api.yaml lists them)");
      return;
    }
  if (!(n == 1 && g_str_equal (parts[0], "me")) &&
      !kl_server_collection_from_string (parts[0], &collection))
    {
      respond_simple_problem (msg, 404, "not-found", "no such path (docs/api.yaml lists them)");
      return;
    }
  if (n == 2 && g_str_equal (parts[0], "me"))
    {
      respond_simple_problem (msg, 404, "not-found", "no such path (docs/api.yaml lists them)");
      return;
    }

  user = authenticate (self, msg, &token_hash);
  if (user == NULL)
    return;
  msg->user = user;
  if (!rate_allowed (self, token_hash, &retry_after))
    {
      g_autofree char *after = g_strdup_printf ("%u", retry_after);
      g_autofree char *d = g_strdup_printf ("too many requests with this token; retry in %u s",
                                            retry_after);
      soup_message_headers_replace (msg->response_headers,
                                    "Retry-After", after);
      respond_simple_problem (msg, 429, "rate-limit", d);
      return;
    }

  if (n == 1 && g_str_equal (parts[0], "me"))
    {
      if (g_str_equal (method, "GET"))
        handle_me (self, msg, user);
      else
        method_not_allowed (msg, "GET");
      return;
    }
  if (n == 1)
    {
      gboolean can_post = collection != KL_SERVER_COLLECTION_SHIPMENTS;
      if (g_str_equal (method, "GET"))
        handle_pull (self, msg, query, collection, user);
      else if (g_str_equal (method, "POST") && can_post)
        handle_create (self, msg, collection, user);
      else
        method_not_allowed (msg, can_post ? "GET, POST" : "GET");
      return;
    }
  if (collection == KL_SERVER_COLLECTION_SHIPMENTS)
    {
      method_not_allowed (msg, "GET on /v1/shipments (shipments are read-only)");
      return;
    }
  if (g_str_equal (method, "PATCH"))
    handle_patch (self, msg, collection, parts[1], user);
  else
    method_not_allowed (msg, "PATCH");
}

/* Refuses a body over the limit before it is read. */
static void
req_free (Req *req)
{
  g_clear_object (&req->soup_msg);
  g_free (req->method);
  g_free (req->path);
  g_clear_pointer (&req->query, g_hash_table_unref);
  g_clear_pointer (&req->request_headers, soup_message_headers_unref);
  g_clear_pointer (&req->body, g_bytes_unref);
  g_free (req->content_type);
  g_free (req->reply);
  g_clear_pointer (&req->response_headers, soup_message_headers_unref);
  kl_server_user_free (req->user);
  g_free (req);
}

static void
copy_header (const char *name, const char *value, gpointer data)
{
  soup_message_headers_append (data, name, value);
}

/* Main thread: the worker's reply onto the message, which then goes out. */
static gboolean
apply_reply (gpointer data)
{
  Req *req = data;
  SoupServerMessage *msg = req->soup_msg;
  RequestInfo *info = g_object_get_data (G_OBJECT (msg), "kl-info");
  SoupMessageHeaders *h = soup_server_message_get_response_headers (msg);
  SoupMessageHeadersIter iter;
  const char *name, *value;

  soup_message_headers_iter_init (&iter, req->response_headers);
  while (soup_message_headers_iter_next (&iter, &name, &value))
    soup_message_headers_replace (h, name, value);
  soup_server_message_set_status (msg, req->status ? req->status : 500, NULL);
  if (req->reply != NULL)
    {
      gsize len = strlen (req->reply);
      soup_server_message_set_response (msg, req->content_type, SOUP_MEMORY_TAKE,
                                        g_steal_pointer (&req->reply), len);
    }
  if (info != NULL)
    {
      info->user = req->user;
      req->user = NULL;
    }
  soup_server_message_unpause (msg);
  req_free (req);
  return G_SOURCE_REMOVE;
}

/* A worker thread: its own store connection, kept for the thread's life. */
static void
worker (gpointer data, gpointer user_data)
{
  Req *req = data;
  Server *self = user_data;
  Server local;
  KlServerStore *store = g_private_get (&worker_store);

  if (store == NULL)
    {
      g_autoptr(GError) error = NULL;
      store = kl_server_store_open (self->options->database, &error);
      if (store == NULL)
        {
          g_warning ("a worker cannot open the database: %s", error->message);
          soup_message_headers_replace (req->response_headers, "Retry-After", "5");
          respond_simple_problem (req, 503, "store", "the server cannot reach its database; retry later");
          g_main_context_invoke (NULL, apply_reply, req);
          return;
        }
      g_private_set (&worker_store, store);
      g_mutex_lock (&stores_lock);
      g_ptr_array_add (self->worker_stores, store);
      g_mutex_unlock (&stores_lock);
    }
  local = *self;
  local.store = store;
  dispatch (&local, req);
  g_main_context_invoke (NULL, apply_reply, req);
}

/* Main thread: every request goes to a worker; the message waits paused. */
static void
handle (SoupServer *soup, SoupServerMessage *msg, const char *path, GHashTable *query,
        gpointer data)
{
  Server *self = data;
  Req *req = g_new0 (Req, 1);
  SoupMessageBody *body = soup_server_message_get_request_body (msg);

  req->server = self;
  req->soup_msg = g_object_ref (msg);
  req->method = g_strdup (soup_server_message_get_method (msg));
  req->path = g_strdup (path);
  req->query = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  if (query != NULL)
    {
      GHashTableIter iter;
      gpointer k, v;
      g_hash_table_iter_init (&iter, query);
      while (g_hash_table_iter_next (&iter, &k, &v))
        g_hash_table_insert (req->query, g_strdup (k), g_strdup (v));
    }
  req->request_headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_REQUEST);
  soup_message_headers_foreach (soup_server_message_get_request_headers (msg), copy_header,
                                req->request_headers);
  req->body = soup_message_body_flatten (body);
  req->response_headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_RESPONSE);
  soup_server_message_pause (msg);
  g_thread_pool_push (self->pool, req, NULL);
}

static void
early_problem (SoupServerMessage *msg, guint status, const char *type, const char *detail)
{
  KlProblem p = { 0 };
  char *body;
  kl_problem_set (&p, status, type, NULL, "%s", detail);
  body = problem_to_string (&p);
  kl_problem_clear (&p);
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Connection", "close");
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/problem+json", SOUP_MEMORY_TAKE, body, strlen (body));
}

static void
early_handler (SoupServer *soup, SoupServerMessage *msg, const char *path, GHashTable *query,
               gpointer data)
{
  Server *self = data;
  SoupMessageHeaders *h = soup_server_message_get_request_headers (msg);
  goffset length;

  if (soup_message_headers_get_encoding (h) == SOUP_ENCODING_CHUNKED)
    {
      early_problem (msg, 411, "length-required",
                     "send the body with a Content-Length, not chunked");
      return;
    }
  length = soup_message_headers_get_content_length (h);
  if (length > (goffset) self->options->body_limit)
    {
      g_autofree char *d = g_strdup_printf ("the request body (%" G_GOFFSET_FORMAT " bytes) is "
                                            "over the server's limit of %" G_GSIZE_FORMAT " bytes",
                                            length, self->options->body_limit);
      early_problem (msg, 413, "too-large", d);
    }
}

static void
message_finished (SoupServerMessage *msg, gpointer data)
{
  Server *self = data;
  RequestInfo *info = g_object_get_data (G_OBJECT (msg), "kl-info");
  GUri *uri = soup_server_message_get_uri (msg);

  /* One line per request: never the token, never the query. */
  g_printerr ("%s %s %u %.1fms %s\n", soup_server_message_get_method (msg),
              g_uri_get_path (uri), soup_server_message_get_status (msg),
              (g_get_monotonic_time () - info->started) / 1000.0,
              info->user ? info->user->name : "-");
  g_object_set_data (G_OBJECT (msg), "kl-info", NULL);
  self->in_flight--;
  if (g_atomic_int_get (&self->stopping) && self->in_flight == 0)
    g_main_loop_quit (self->loop);
}

static void
request_started (SoupServer *soup, SoupServerMessage *msg, gpointer data)
{
  Server *self = data;
  RequestInfo *info = g_new0 (RequestInfo, 1);
  info->started = g_get_monotonic_time ();
  g_object_set_data_full (G_OBJECT (msg), "kl-info", info, (GDestroyNotify) request_info_free);
  self->in_flight++;
  g_signal_connect (msg, "finished", G_CALLBACK (message_finished), self);
}

static gboolean
on_signal (gpointer data)
{
  Server *self = data;
  if (!g_atomic_int_get (&self->stopping))
    g_printerr ("stopping after %u request(s) in flight\n", self->in_flight);
  g_atomic_int_set (&self->stopping, TRUE);
  if (self->in_flight == 0)
    g_main_loop_quit (self->loop);
  return G_SOURCE_CONTINUE;
}

/* Old idempotency keys and tombstones past the cursor retention go; every
 * hour. */
static gboolean
housekeeping (gpointer data)
{
  Server *self = data;
  g_autoptr(GError) error = NULL;
  gint64 retention = (gint64) self->options->cursor_retention_days * 86400 * G_USEC_PER_SEC;
  gint64 before = g_get_real_time () - retention;
  gint64 horizon = 0;

  if (!kl_server_store_begin (self->store, &error) ||
      self->store->vtable->idempotency_purge (self->store, before, &error) < 0 ||
      !self->store->vtable->purge_tombstones (self->store, before, &horizon, &error) ||
      !kl_server_store_commit (self->store, &error))
    {
      kl_server_store_rollback (self->store);
      g_warning ("housekeeping: %s", error->message);
    }
  return G_SOURCE_CONTINUE;
}

static gboolean
parse_listen (const char *listen, GInetAddress **out_addr, guint16 *out_port, GError **error)
{
  const char *colon = strrchr (listen, ':');
  g_autofree char *host = NULL;
  guint64 port;

  if (colon == NULL || !g_ascii_string_to_unsigned (colon + 1, 10, 0, 65535, &port, NULL))
    goto bad;
  host = g_strndup (listen, (gsize) (colon - listen));
  if (host[0] == '[' && host[strlen (host) - 1] == ']')
    {
      char *inner = g_strndup (host + 1, strlen (host) - 2);
      g_free (host);
      host = inner;
    }
  if (g_str_equal (host, "localhost"))
    {
      g_free (host);
      host = g_strdup ("127.0.0.1");
    }
  *out_addr = g_inet_address_new_from_string (host);
  if (*out_addr == NULL)
    goto bad;
  *out_port = (guint16) port;
  return TRUE;
bad:
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
               "--listen %s is not ADDR:PORT (127.0.0.1:8765, [::1]:8765, 0.0.0.0:443)", listen);
  return FALSE;
}

gboolean
kl_server_run (const KlServerOptions *options, GError **error)
{
  Server self = { 0 };
  g_autoptr(GInetAddress) addr = NULL;
  g_autoptr(GSocketAddress) sockaddr = NULL;
  g_autoptr(GTlsCertificate) cert = NULL;
  SoupServerListenOptions listen_options = 0;
  GSList *listeners;
  gboolean ok = FALSE;
  guint16 port = 0;
  guint sig_term, sig_int, housekeeping_id;

  if (!parse_listen (options->listen, &addr, &port, error))
    return FALSE;
  if ((options->tls_cert == NULL) != (options->tls_key == NULL))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "give both --tls-cert and --tls-key, or neither");
      return FALSE;
    }
  if (options->tls_cert == NULL && !g_inet_address_get_is_loopback (addr) &&
      !options->insecure_listen)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "--listen %s is not a loopback address: give --tls-cert and --tls-key, or "
                   "--insecure-listen when a proxy in front of it does TLS", options->listen);
      return FALSE;
    }
  if (options->tls_cert != NULL)
    {
      cert = g_tls_certificate_new_from_files (options->tls_cert, options->tls_key, error);
      if (cert == NULL)
        return FALSE;
      listen_options |= SOUP_SERVER_LISTEN_HTTPS;
    }

  self.options = options;
  self.store = kl_server_store_open (options->database, error);
  if (self.store == NULL)
    return FALSE;
  self.buckets = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self.worker_stores = g_ptr_array_new_with_free_func ((GDestroyNotify) kl_server_store_close);
  self.pool = g_thread_pool_new (worker, &self, (gint) MAX (options->threads, 1), TRUE, error);
  if (self.pool == NULL)
    {
      kl_server_store_close (self.store);
      return FALSE;
    }
  self.loop = g_main_loop_new (NULL, FALSE);
  self.soup = soup_server_new ("server-header", "keyline-server/" PACKAGE_VERSION,
                               "tls-certificate", cert, NULL);
  soup_server_add_early_handler (self.soup, NULL, early_handler, &self, NULL);
  soup_server_add_handler (self.soup, NULL, handle, &self, NULL);
  g_signal_connect (self.soup, "request-started", G_CALLBACK (request_started), &self);

  sockaddr = g_inet_socket_address_new (addr, port);
  if (!soup_server_listen (self.soup, sockaddr, listen_options, error))
    goto out;
  /* The address from the listening socket itself: libsoup 3.2's
   * soup_server_get_uris() leaks one address per call. */
  listeners = soup_server_get_listeners (self.soup);
  if (listeners != NULL)
    {
      g_autoptr(GSocketAddress) local = g_socket_get_local_address (listeners->data, NULL);

      if (G_IS_INET_SOCKET_ADDRESS (local))
        {
          GInetSocketAddress *inet = G_INET_SOCKET_ADDRESS (local);
          g_autofree char *host = g_inet_address_to_string (g_inet_socket_address_get_address (inet));
          g_autoptr(GUri) guri = g_uri_build (G_URI_FLAGS_NONE, soup_server_is_https (self.soup) ? "https" : "http",
                                              NULL, host, g_inet_socket_address_get_port (inet), "/", NULL, NULL);
          g_autofree char *uri = g_uri_to_string (guri);

          g_print ("listening on %s (database %s)\n", uri, self.store->url);
        }
    }
  g_slist_free (listeners);
  fflush (stdout);

  sig_term = g_unix_signal_add (SIGTERM, on_signal, &self);
  sig_int = g_unix_signal_add (SIGINT, on_signal, &self);
  housekeeping (&self);
  housekeeping_id = g_timeout_add_seconds (3600, housekeeping, &self);
  g_main_loop_run (self.loop);
  g_source_remove (sig_term);
  g_source_remove (sig_int);
  g_source_remove (housekeeping_id);
  ok = TRUE;

out:
  /* Requests in flight are done; the workers finish and go. */
  g_thread_pool_free (self.pool, FALSE, TRUE);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  soup_server_disconnect (self.soup);
  g_ptr_array_unref (self.worker_stores);
  if (ok)
    g_printerr ("stopped\n");
  g_clear_object (&self.soup);
  g_main_loop_unref (self.loop);
  g_hash_table_unref (self.buckets);
  kl_server_store_close (self.store);
  return ok;
}
