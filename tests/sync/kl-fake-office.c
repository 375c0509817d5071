/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A back office for tests: see kl-fake-office.h. */

#include "config.h"

#include <libsoup/soup.h>
#include <string.h>

#include "kl-fake-office.h"

typedef struct {
  JsonObject *o;
  gint64      seq;
} Rec;

typedef struct {
  GPtrArray  *order;   /* Rec, by seq */
  GHashTable *by_id;   /* id → Rec */
} Coll;

typedef struct {
  char        *method;
  char        *path;
  KlFaultKind  kind;
  guint        status;
  int          retry_after;
  guint        count;
  guint        skip;
} Fault;

typedef struct {
  char  *method;
  char  *path;
  char  *body;       /* the request's, as it came */
  char  *if_match;
} Seen;

struct _KlFakeOffice {
  GMutex       lock;
  GThread     *thread;
  GMainContext *context;
  GMainLoop   *loop;
  SoupServer  *server;
  char        *url;
  gint64       seq;
  gint64       expire_before;
  Coll         customers, shipments, claims;
  GHashTable  *idempotency;   /* key → reply text */
  GPtrArray   *faults;
  GPtrArray   *seen;
  char        *break_field, *break_value;
  char        *user_agent;
  GPtrArray   *held;
  GCond        ready;
  gboolean     started;
};

static void
rec_free (Rec *r)
{
  json_object_unref (r->o);
  g_free (r);
}

static void
fault_free (Fault *f)
{
  g_free (f->method);
  g_free (f->path);
  g_free (f);
}

static void
seen_free (Seen *s)
{
  g_free (s->method);
  g_free (s->path);
  g_free (s->body);
  g_free (s->if_match);
  g_free (s);
}

static Coll *
coll (KlFakeOffice *self, const char *name)
{
  return g_str_equal (name, "customers") ? &self->customers
       : g_str_equal (name, "claims") ? &self->claims : &self->shipments;
}

static char *
now_text (void)
{
  g_autoptr(GDateTime) dt = g_date_time_new_now_utc ();

  return g_date_time_format (dt, "%Y-%m-%dT%H:%M:%SZ");
}

/* Records a change: new revision, new seq, moved to the end. Lock held. */
static void
touch (KlFakeOffice *self, Coll *c, Rec *r)
{
  g_autofree char *now = now_text ();

  json_object_set_int_member (r->o, "revision", json_object_get_int_member_with_default (r->o, "revision", 0) + 1);
  json_object_set_string_member (r->o, "updated_at", now);
  if (r->seq > 0)
    g_ptr_array_remove (c->order, r);
  r->seq = ++self->seq;
  g_ptr_array_add (c->order, r);
}

static Rec *
insert (KlFakeOffice *self, Coll *c, JsonObject *o)
{
  Rec *r = g_new0 (Rec, 1);

  r->o = o;
  json_object_set_boolean_member (o, "deleted", FALSE);
  g_hash_table_insert (c->by_id, g_strdup (json_object_get_string_member (o, "id")), r);
  touch (self, c, r);
  return r;
}

static JsonObject *
new_customer (const char *code, const char *name)
{
  JsonObject *o = json_object_new ();
  g_autofree char *id = g_uuid_string_random ();

  json_object_set_string_member (o, "id", id);
  json_object_set_int_member (o, "revision", 0);
  json_object_set_string_member (o, "code", code);
  json_object_set_string_member (o, "name", name);
  json_object_set_null_member (o, "legal_name");
  json_object_set_string_member (o, "kind", "enterprise");
  json_object_set_string_member (o, "channel", "end_customer");
  json_object_set_null_member (o, "industry");
  json_object_set_null_member (o, "region");
  json_object_set_null_member (o, "account_manager");
  json_object_set_string_member (o, "relationship", "basic");
  json_object_set_string_member (o, "status", "active");
  json_object_set_array_member (o, "tags", json_array_new ());
  json_object_set_null_member (o, "notes");
  json_object_set_array_member (o, "contacts", json_array_new ());
  json_object_set_null_member (o, "agreement");
  return o;
}

static void
respond_json (SoupServerMessage *msg, guint status, const char *ctype, JsonNode *node)
{
  g_autofree char *text = json_to_string (node, FALSE);

  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, ctype, SOUP_MEMORY_COPY, text, strlen (text));
}

static void
problem (SoupServerMessage *msg, guint status, const char *title, JsonObject *current)
{
  JsonObject *o = json_object_new ();
  g_autoptr(JsonNode) node = NULL;

  json_object_set_string_member (o, "type", "about:blank");
  json_object_set_string_member (o, "title", title);
  json_object_set_int_member (o, "status", status);
  json_object_set_string_member (o, "detail", title);
  if (current != NULL)
    json_object_set_object_member (o, "current", json_object_ref (current));
  node = json_node_init_object (json_node_alloc (), o);
  json_object_unref (o);
  respond_json (msg, status, "application/problem+json", node);
}

static JsonObject *
parse_body (SoupServerMessage *msg)
{
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  g_autoptr(GBytes) bytes = soup_message_body_flatten (body);
  g_autoptr(JsonParser) parser = json_parser_new ();
  gsize len;
  const char *data = g_bytes_get_data (bytes, &len);

  if (len == 0 || !json_parser_load_from_data (parser, data, (gssize) len, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return NULL;
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

static void
do_page (KlFakeOffice *self, SoupServerMessage *msg, const char *name, GHashTable *query)
{
  Coll *c = coll (self, name);
  const char *cursor = query ? g_hash_table_lookup (query, "cursor") : NULL;
  const char *limit_text = query ? g_hash_table_lookup (query, "limit") : NULL;
  gint64 after = cursor ? g_ascii_strtoll (cursor, NULL, 10) : 0;
  guint limit = limit_text ? (guint) g_ascii_strtoull (limit_text, NULL, 10) : 500;
  JsonObject *page = json_object_new ();
  JsonArray *items = json_array_new ();
  g_autoptr(JsonNode) node = NULL;
  guint lo = 0, hi = c->order->len, i;
  gint64 last = after;

  if (cursor != NULL && after < self->expire_before)
    {
      problem (msg, 410, "cursor expired", NULL);
      json_array_unref (items);
      json_object_unref (page);
      return;
    }
  if (cursor == NULL)
    self->expire_before = 0;
  if (limit == 0 || limit > 1000)
    limit = 500;
  while (lo < hi)
    {
      guint mid = (lo + hi) / 2;

      if (((Rec *) g_ptr_array_index (c->order, mid))->seq <= after)
        lo = mid + 1;
      else
        hi = mid;
    }
  for (i = lo; i < c->order->len && json_array_get_length (items) < limit; i++)
    {
      Rec *r = g_ptr_array_index (c->order, i);

      if (json_array_get_length (items) == 0 && self->break_field != NULL)
        {
          g_autoptr(JsonObject) copy = json_object_new ();
          g_autoptr(JsonParser) parser = json_parser_new ();
          JsonObjectIter iter;
          const char *k;
          JsonNode *v;

          json_object_iter_init (&iter, r->o);
          while (json_object_iter_next (&iter, &k, &v))
            json_object_set_member (copy, k, json_node_copy (v));
          json_parser_load_from_data (parser, self->break_value, -1, NULL);
          json_object_set_member (copy, self->break_field, json_node_copy (json_parser_get_root (parser)));
          json_array_add_object_element (items, json_object_ref (copy));
          g_clear_pointer (&self->break_field, g_free);
          g_clear_pointer (&self->break_value, g_free);
        }
      else
        json_array_add_object_element (items, json_object_ref (r->o));
      last = r->seq;
    }
  json_object_set_array_member (page, "items", items);
  {
    g_autofree char *next = g_strdup_printf ("%" G_GINT64_FORMAT, last);

    json_object_set_string_member (page, "next_cursor", next);
  }
  json_object_set_boolean_member (page, "has_more", i < c->order->len);
  node = json_node_init_object (json_node_alloc (), page);
  json_object_unref (page);
  respond_json (msg, 200, "application/json", node);
}

static void
merge_into (JsonObject *target, JsonObject *patch)
{
  JsonObjectIter iter;
  const char *k;
  JsonNode *v;

  json_object_iter_init (&iter, patch);
  while (json_object_iter_next (&iter, &k, &v))
    json_object_set_member (target, k, json_node_copy (v));
}

static void
do_create (KlFakeOffice *self, SoupServerMessage *msg)
{
  SoupMessageHeaders *h = soup_server_message_get_request_headers (msg);
  const char *key = soup_message_headers_get_one (h, "Idempotency-Key");
  const char *first = key ? g_hash_table_lookup (self->idempotency, key) : NULL;
  g_autoptr(JsonObject) body = parse_body (msg);
  GHashTableIter iter;
  gpointer value;
  JsonObject *o;
  Rec *r;

  if (key == NULL)
    {
      problem (msg, 400, "Idempotency-Key missing", NULL);
      return;
    }
  if (first != NULL)
    {
      soup_server_message_set_status (msg, 201, NULL);
      soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, first, strlen (first));
      return;
    }
  if (body == NULL || !json_object_has_member (body, "code") || json_object_has_member (body, "id") ||
      json_object_has_member (body, "revision") || json_object_has_member (body, "deleted"))
    {
      problem (msg, 422, "not a CustomerNew", NULL);
      return;
    }
  g_hash_table_iter_init (&iter, self->customers.by_id);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (g_strcmp0 (json_object_get_string_member (((Rec *) value)->o, "code"),
                   json_object_get_string_member (body, "code")) == 0 &&
        !json_object_get_boolean_member (((Rec *) value)->o, "deleted"))
      {
        problem (msg, 409, "code exists", ((Rec *) value)->o);
        return;
      }
  o = new_customer (json_object_get_string_member (body, "code"), json_object_get_string_member (body, "name"));
  merge_into (o, body);
  r = insert (self, &self->customers, o);
  {
    g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), r->o);

    g_hash_table_insert (self->idempotency, g_strdup (key), json_to_string (node, FALSE));
    respond_json (msg, 201, "application/json", node);
  }
}

static void
do_patch (KlFakeOffice *self, SoupServerMessage *msg, const char *id)
{
  SoupMessageHeaders *h = soup_server_message_get_request_headers (msg);
  const char *if_match = soup_message_headers_get_one (h, "If-Match");
  const char *ctype = soup_message_headers_get_content_type (h, NULL);
  Rec *r = g_hash_table_lookup (self->customers.by_id, id);
  g_autoptr(JsonObject) body = parse_body (msg);
  gint64 want;

  if (r == NULL || json_object_get_boolean_member (r->o, "deleted"))
    {
      problem (msg, 404, "no such customer", NULL);
      return;
    }
  if (if_match == NULL)
    {
      problem (msg, 428, "If-Match missing", NULL);
      return;
    }
  if (g_strcmp0 (ctype, "application/merge-patch+json") != 0)
    {
      problem (msg, 415, "not a merge patch", NULL);
      return;
    }
  if (if_match[0] != '"')
    {
      problem (msg, 400, "If-Match not quoted", NULL);
      return;
    }
  want = g_ascii_strtoll (if_match + 1, NULL, 10);
  if (want != json_object_get_int_member (r->o, "revision"))
    {
      problem (msg, 412, "changed meanwhile", r->o);
      return;
    }
  if (body == NULL || json_object_has_member (body, "id") || json_object_has_member (body, "revision"))
    {
      problem (msg, 422, "bad patch", NULL);
      return;
    }
  if (json_object_has_member (body, "status") &&
      g_strcmp0 (json_object_get_string_member (body, "status"), "refuse-me") == 0)
    {
      problem (msg, 422, "status refused", NULL);
      return;
    }
  merge_into (r->o, body);
  touch (self, &self->customers, r);
  {
    g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), r->o);

    respond_json (msg, 200, "application/json", node);
  }
}

static void
do_create_claim (KlFakeOffice *self, SoupServerMessage *msg)
{
  SoupMessageHeaders *h = soup_server_message_get_request_headers (msg);
  const char *key = soup_message_headers_get_one (h, "Idempotency-Key");
  const char *first = key ? g_hash_table_lookup (self->idempotency, key) : NULL;
  g_autoptr(JsonObject) body = parse_body (msg);
  g_autofree char *id = g_uuid_string_random ();
  g_autofree char *number = NULL;
  g_autofree char *now = now_text ();
  JsonObject *o, *entry;
  JsonArray *history;
  const char *filed;
  Rec *r;

  if (key == NULL)
    {
      problem (msg, 400, "Idempotency-Key missing", NULL);
      return;
    }
  if (first != NULL)
    {
      soup_server_message_set_status (msg, 201, NULL);
      soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, first, strlen (first));
      return;
    }
  if (body == NULL || !json_object_has_member (body, "customer_id") || !json_object_has_member (body, "kind") ||
      json_object_has_member (body, "number") || json_object_has_member (body, "status"))
    {
      problem (msg, 422, "not a ClaimNew", NULL);
      return;
    }
  number = g_strdup_printf ("CLM-2026-9%05u", g_hash_table_size (self->claims.by_id) + 1);
  o = json_object_new ();
  json_object_set_string_member (o, "id", id);
  json_object_set_int_member (o, "revision", 0);
  merge_into (o, body);
  json_object_set_string_member (o, "number", number);
  json_object_set_string_member (o, "status", "filed");
  filed = json_object_has_member (body, "filed_at") ? json_object_get_string_member (body, "filed_at") : now;
  json_object_set_string_member (o, "filed_at", filed);
  json_object_set_object_member (o, "documents", json_object_new ());
  json_object_set_array_member (o, "notes", json_array_new ());
  history = json_array_new ();
  entry = json_object_new ();
  json_object_set_string_member (entry, "at", filed);
  json_object_set_string_member (entry, "by", "wang.li");
  json_object_set_string_member (entry, "change", "created");
  json_object_set_string_member (entry, "field", "status");
  json_object_set_null_member (entry, "from");
  json_object_set_string_member (entry, "to", "filed");
  if (json_object_has_member (body, "note") && !json_object_get_null_member (body, "note"))
    {
      /* As keyline-server: the create's note is the case's first note. */
      JsonObject *note = json_object_get_object_member (body, "note");
      JsonObject *first_note = json_object_new ();

      json_object_set_string_member (first_note, "at", filed);
      json_object_set_string_member (first_note, "by", "wang.li");
      json_object_set_string_member (first_note, "text", json_object_get_string_member (note, "text"));
      json_object_set_string_member (first_note, "visibility",
                                     json_object_get_string_member_with_default (note, "visibility", "internal"));
      json_array_add_object_element (json_object_get_array_member (o, "notes"), first_note);
      json_object_set_string_member (entry, "note", json_object_get_string_member (note, "text"));
    }
  json_object_remove_member (o, "note");
  json_array_add_object_element (history, entry);
  json_object_set_array_member (o, "history", history);
  r = insert (self, &self->claims, o);
  {
    g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), r->o);

    g_hash_table_insert (self->idempotency, g_strdup (key), json_to_string (node, FALSE));
    respond_json (msg, 201, "application/json", node);
  }
}

static void
do_patch_claim (KlFakeOffice *self, SoupServerMessage *msg, const char *id)
{
  SoupMessageHeaders *h = soup_server_message_get_request_headers (msg);
  const char *if_match = soup_message_headers_get_one (h, "If-Match");
  Rec *r = g_hash_table_lookup (self->claims.by_id, id);
  g_autoptr(JsonObject) body = parse_body (msg);

  if (r == NULL || json_object_get_boolean_member (r->o, "deleted"))
    {
      problem (msg, 404, "no such claim", NULL);
      return;
    }
  if (if_match == NULL || g_ascii_strtoll (if_match + 1, NULL, 10) != json_object_get_int_member (r->o, "revision"))
    {
      problem (msg, if_match == NULL ? 428 : 412, "changed meanwhile", r->o);
      return;
    }
  if (body == NULL)
    {
      problem (msg, 422, "bad patch", NULL);
      return;
    }
  /* As keyline-server: field changes first, each with its entry */
  g_autoptr(JsonNode) null_node = json_node_new (JSON_NODE_NULL);
  for (const char *const *f = (const char *const[]) { "owner", "root_cause", "corrective_action", NULL }; *f; f++)
    if (json_object_has_member (body, *f) &&
        !json_node_equal (json_object_get_member (body, *f),
                          json_object_has_member (r->o, *f) ? json_object_get_member (r->o, *f) : null_node))
      {
        JsonObject *entry = json_object_new ();
        g_autofree char *now = now_text ();

        json_object_set_string_member (entry, "at", now);
        json_object_set_string_member (entry, "by", "wang.li");
        json_object_set_string_member (entry, "change", "field");
        json_object_set_string_member (entry, "field", *f);
        json_object_set_member (entry, "from", json_node_copy (json_object_has_member (r->o, *f)
                                                               ? json_object_get_member (r->o, *f) : null_node));
        json_object_set_member (entry, "to", json_node_copy (json_object_get_member (body, *f)));
        json_array_add_object_element (json_object_get_array_member (r->o, "history"), entry);
      }
  if (json_object_has_member (body, "status"))
    {
      JsonObject *entry = json_object_new ();
      g_autofree char *now = now_text ();

      json_object_set_string_member (entry, "at", now);
      json_object_set_string_member (entry, "by", "wang.li");
      json_object_set_string_member (entry, "change", "moved");
      json_object_set_string_member (entry, "field", "status");
      json_object_set_string_member (entry, "from", json_object_get_string_member (r->o, "status"));
      json_object_set_string_member (entry, "to", json_object_get_string_member (body, "status"));
      json_array_add_object_element (json_object_get_array_member (r->o, "history"), entry);
    }
  if (json_object_has_member (body, "note") && !json_object_get_null_member (body, "note"))
    {
      /* As keyline-server: the note joins the case's notes and history. */
      JsonObject *note = json_object_get_object_member (body, "note");
      JsonObject *entry = json_object_new ();
      JsonObject *hist = json_object_new ();
      g_autofree char *now = now_text ();

      json_object_set_string_member (entry, "at", now);
      json_object_set_string_member (entry, "by", "wang.li");
      json_object_set_string_member (entry, "text", json_object_get_string_member (note, "text"));
      json_object_set_string_member (entry, "visibility",
                                     json_object_get_string_member_with_default (note, "visibility", "internal"));
      json_array_add_object_element (json_object_get_array_member (r->o, "notes"), entry);
      json_object_set_string_member (hist, "at", now);
      json_object_set_string_member (hist, "by", "wang.li");
      json_object_set_string_member (hist, "change", "note");
      json_object_set_null_member (hist, "field");
      json_object_set_string_member (hist, "note", json_object_get_string_member (note, "text"));
      json_array_add_object_element (json_object_get_array_member (r->o, "history"), hist);
    }
  json_object_remove_member (body, "reason");
  json_object_remove_member (body, "note");
  merge_into (r->o, body);
  touch (self, &self->claims, r);
  {
    g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), r->o);

    respond_json (msg, 200, "application/json", node);
  }
}

static void
close_connection (SoupServerMessage *msg)
{
  GIOStream *stream = soup_server_message_steal_connection (msg);

  if (stream != NULL)
    {
      g_io_stream_close (stream, NULL, NULL);
      g_object_unref (stream);
    }
}

static void
handle (SoupServer        *server,
        SoupServerMessage *msg,
        const char        *path,
        GHashTable        *query,
        gpointer           data)
{
  KlFakeOffice *self = data;
  const char *method = soup_server_message_get_method (msg);
  SoupMessageHeaders *h = soup_server_message_get_request_headers (msg);
  const char *auth = soup_message_headers_get_one (h, "Authorization");
  Fault *fault = NULL;
  Seen *seen = g_new0 (Seen, 1);
  Fault copy = { 0 };

  g_mutex_lock (&self->lock);
  seen->method = g_strdup (method);
  seen->path = g_strdup (path);
  seen->if_match = g_strdup (soup_message_headers_get_one (h, "If-Match"));
  {
    SoupMessageBody *body = soup_server_message_get_request_body (msg);

    if (body != NULL && body->length > 0)
      seen->body = g_strndup (body->data, body->length);
  }
  g_ptr_array_add (self->seen, seen);
  g_free (self->user_agent);
  self->user_agent = g_strdup (soup_message_headers_get_one (h, "User-Agent"));
  for (guint i = 0; i < self->faults->len; i++)
    {
      Fault *f = g_ptr_array_index (self->faults, i);

      if (f->count > 0 && g_str_equal (f->method, method) && g_str_has_prefix (path, f->path))
        {
          if (f->skip > 0)
            {
              f->skip--;
              continue;
            }
          fault = f;
          f->count--;
          copy = *f;
          break;
        }
    }

  if (fault != NULL && copy.kind == KL_FAULT_STATUS)
    {
      if (copy.retry_after >= 0)
        {
          g_autofree char *after = g_strdup_printf ("%d", copy.retry_after);

          soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Retry-After", after);
        }
      problem (msg, copy.status, "scripted", NULL);
      g_mutex_unlock (&self->lock);
      return;
    }
  if (fault != NULL && copy.kind == KL_FAULT_RESET)
    {
      g_mutex_unlock (&self->lock);
      close_connection (msg);
      return;
    }
  if (fault != NULL && copy.kind == KL_FAULT_HOLD)
    {
      soup_server_message_pause (msg);
      g_ptr_array_add (self->held, g_object_ref (msg));
      g_mutex_unlock (&self->lock);
      return;
    }
  if (g_strcmp0 (auth, "Bearer " KL_FAKE_TOKEN) != 0)
    problem (msg, 401, "token refused", NULL);
  else if (g_str_equal (method, "GET") && g_str_equal (path, "/v1/me"))
    {
      g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), json_object_new ());
      g_autofree char *now = now_text ();

      json_object_set_string_member (json_node_get_object (node), "user", "wang.li");
      json_object_set_string_member (json_node_get_object (node), "display_name", "Wang Li");
      json_object_set_string_member (json_node_get_object (node), "server_time", now);
      json_object_unref (json_node_get_object (node));
      respond_json (msg, 200, "application/json", node);
    }
  else if (g_str_equal (method, "GET") && (g_str_equal (path, "/v1/customers") || g_str_equal (path, "/v1/shipments")))
    do_page (self, msg, path + 4, query);
  else if (g_str_equal (method, "GET") && g_str_equal (path, "/v1/claims"))
    do_page (self, msg, "claims", query);
  else if (g_str_equal (method, "POST") && g_str_equal (path, "/v1/customers"))
    do_create (self, msg);
  else if (g_str_equal (method, "POST") && g_str_equal (path, "/v1/claims"))
    do_create_claim (self, msg);
  else if (g_str_equal (method, "PATCH") && g_str_has_prefix (path, "/v1/claims/"))
    do_patch_claim (self, msg, path + strlen ("/v1/claims/"));
  else if (g_str_equal (method, "PATCH") && g_str_has_prefix (path, "/v1/customers/"))
    do_patch (self, msg, path + strlen ("/v1/customers/"));
  else
    problem (msg, 404, "no such path", NULL);

  if (fault != NULL && copy.kind == KL_FAULT_TRUNCATE)
    {
      SoupMessageBody *body = soup_server_message_get_response_body (msg);
      g_autoptr(GBytes) bytes = soup_message_body_flatten (body);
      gsize len;
      const char *text = g_bytes_get_data (bytes, &len);
      g_autofree char *half = g_strndup (text, len / 2);

      soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, half, strlen (half));
    }
  g_mutex_unlock (&self->lock);
  if (fault != NULL && copy.kind == KL_FAULT_LOST)
    close_connection (msg);
}

static gpointer
serve (gpointer data)
{
  KlFakeOffice *self = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new_from_string ("127.0.0.1", 0);
  g_autoptr(GSocketAddress) local = NULL;
  GSList *listeners;

  g_main_context_push_thread_default (self->context);
  self->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (self->server, "/v1", handle, self, NULL);
  /* soup_server_listen() and the listening socket's own address:
   * libsoup 3.2's soup_server_listen_local() and soup_server_get_uris()
   * each leak an address. */
  if (!soup_server_listen (self->server, any, 0, &error))
    g_error ("fake office: %s", error->message);
  listeners = soup_server_get_listeners (self->server);
  local = g_socket_get_local_address (listeners->data, &error);
  g_assert_no_error (error);
  g_slist_free (listeners);
  g_mutex_lock (&self->lock);
  self->url = g_strdup_printf ("http://127.0.0.1:%u", g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (local)));
  self->started = TRUE;
  g_cond_signal (&self->ready);
  g_mutex_unlock (&self->lock);
  g_main_loop_run (self->loop);
  soup_server_disconnect (self->server);
  g_clear_object (&self->server);
  g_main_context_pop_thread_default (self->context);
  return NULL;
}

KlFakeOffice *
kl_fake_office_new (void)
{
  KlFakeOffice *self = g_new0 (KlFakeOffice, 1);

  g_mutex_init (&self->lock);
  g_cond_init (&self->ready);
  self->context = g_main_context_new ();
  self->loop = g_main_loop_new (self->context, FALSE);
  self->customers.order = g_ptr_array_new ();
  self->customers.by_id = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) rec_free);
  self->claims.order = g_ptr_array_new ();
  self->claims.by_id = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) rec_free);
  self->shipments.order = g_ptr_array_new ();
  self->shipments.by_id = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) rec_free);
  self->idempotency = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->faults = g_ptr_array_new_with_free_func ((GDestroyNotify) fault_free);
  self->seen = g_ptr_array_new_with_free_func ((GDestroyNotify) seen_free);
  self->held = g_ptr_array_new_with_free_func (g_object_unref);
  self->thread = g_thread_new ("fake-office", serve, self);
  g_mutex_lock (&self->lock);
  while (!self->started)
    g_cond_wait (&self->ready, &self->lock);
  g_mutex_unlock (&self->lock);
  return self;
}

static gboolean
quit_loop (gpointer data)
{
  KlFakeOffice *self = data;

  g_ptr_array_set_size (self->held, 0);
  g_main_loop_quit (self->loop);
  return G_SOURCE_REMOVE;
}

void
kl_fake_office_free (KlFakeOffice *self)
{
  if (self == NULL)
    return;
  g_main_context_invoke (self->context, quit_loop, self);
  g_thread_join (self->thread);
  g_main_loop_unref (self->loop);
  g_main_context_unref (self->context);
  g_ptr_array_unref (self->customers.order);
  g_hash_table_unref (self->customers.by_id);
  g_ptr_array_unref (self->claims.order);
  g_hash_table_unref (self->claims.by_id);
  g_ptr_array_unref (self->shipments.order);
  g_hash_table_unref (self->shipments.by_id);
  g_hash_table_unref (self->idempotency);
  g_ptr_array_unref (self->faults);
  g_ptr_array_unref (self->seen);
  g_ptr_array_unref (self->held);
  g_free (self->url);
  g_free (self->user_agent);
  g_free (self->break_field);
  g_free (self->break_value);
  g_mutex_clear (&self->lock);
  g_cond_clear (&self->ready);
  g_free (self);
}

const char *
kl_fake_office_url (KlFakeOffice *self)
{
  return self->url;
}

char *
kl_fake_office_add_customer (KlFakeOffice *self, const char *code, const char *name)
{
  JsonObject *o = new_customer (code, name);
  char *id = g_strdup (json_object_get_string_member (o, "id"));

  g_mutex_lock (&self->lock);
  insert (self, &self->customers, o);
  g_mutex_unlock (&self->lock);
  return id;
}

void
kl_fake_office_add_shipments (KlFakeOffice *self, const char *customer_id, guint n, const char *prefix)
{
  g_mutex_lock (&self->lock);
  for (guint i = 0; i < n; i++)
    {
      JsonObject *o = json_object_new ();
      g_autofree char *id = g_uuid_string_random ();
      g_autofree char *waybill = g_strdup_printf ("%s%06u", prefix, i);
      g_autofree char *pickup = g_strdup_printf ("2026-%02u-%02uT08:00:00+08:00", 1 + i % 10, 1 + i % 27);
      g_autofree char *delivery = g_strdup_printf ("2026-%02u-%02uT18:00:00+08:00", 1 + i % 10, 2 + i % 27);
      static const char *const regions[] = { "华东", "华南", "华北" };

      json_object_set_string_member (o, "id", id);
      json_object_set_int_member (o, "revision", 0);
      json_object_set_string_member (o, "waybill", waybill);
      json_object_set_string_member (o, "customer_id", customer_id);
      json_object_set_string_member (o, "status", "delivered");
      json_object_set_string_member (o, "mode", i % 3 == 0 ? "air" : "road_ltl");
      json_object_set_string_member (o, "origin_city", "上海");
      json_object_set_string_member (o, "origin_region", regions[i % 3]);
      json_object_set_string_member (o, "dest_city", "广州");
      json_object_set_string_member (o, "dest_region", regions[(i + 1) % 3]);
      json_object_set_int_member (o, "pieces", 1 + i % 7);
      json_object_set_double_member (o, "weight_kg", 10.5 + i % 13);
      json_object_set_null_member (o, "volume_m3");
      json_object_set_string_member (o, "planned_pickup_at", pickup);
      json_object_set_string_member (o, "picked_up_at", pickup);
      json_object_set_string_member (o, "planned_delivery_at", delivery);
      json_object_set_string_member (o, "delivered_at", delivery);
      json_object_set_boolean_member (o, "documents_ok", i % 5 != 0);
      json_object_set_null_member (o, "order_accurate");
      json_object_set_int_member (o, "damaged_pieces", i % 11 == 0 ? 1 : 0);
      json_object_set_int_member (o, "short_pieces", 0);
      json_object_set_boolean_member (o, "incident", i % 11 == 0);
      json_object_set_null_member (o, "revenue");
      insert (self, &self->shipments, o);
    }
  g_mutex_unlock (&self->lock);
}

char *
kl_fake_office_add_claim (KlFakeOffice *self, const char *customer_id, const char *number)
{
  g_autofree char *id = g_uuid_string_random ();
  g_autofree char *text = g_strdup_printf (
    "{\"id\": \"%s\", \"revision\": 0, \"customer_id\": \"%s\", \"kind\": \"damage\", \"number\": \"%s\", "
    "\"status\": \"acknowledged\", \"filed_at\": \"2026-10-05T09:00:00+08:00\", \"waybill\": \"SF000001\", "
    "\"incident_date\": \"2026-10-03\", \"claimed\": {\"amount_minor\": 80000, \"currency\": \"CNY\"}, "
    "\"salvage\": null, \"approved\": null, \"paid\": null, \"description\": \"箱子破损\", \"owner\": \"Wang Li\", "
    "\"root_cause\": null, \"corrective_action\": null, \"documents\": {\"photos\": true, \"bill_of_lading\": false}, "
    "\"acknowledged_at\": \"2026-10-06T10:00:00+08:00\", \"closed_at\": null, "
    "\"notes\": [{\"at\": \"2026-10-06T10:05:00+08:00\", \"by\": \"wang.li\", \"text\": \"Called the client\", \"visibility\": \"client\"}], "
    "\"history\": [{\"at\": \"2026-10-05T09:00:00+08:00\", \"by\": \"wang.li\", \"change\": \"created\", \"field\": \"status\", \"from\": null, \"to\": \"filed\"}, "
    "{\"at\": \"2026-10-06T10:00:00+08:00\", \"by\": \"wang.li\", \"change\": \"moved\", \"field\": \"status\", \"from\": \"filed\", \"to\": \"acknowledged\"}, "
    "{\"at\": \"2026-10-06T10:01:00+08:00\", \"by\": \"wang.li\", \"change\": \"document\", \"field\": \"photos\", \"from\": false, \"to\": true}]}",
    id, customer_id, number);
  JsonNode *node = json_from_string (text, NULL);

  g_assert_nonnull (node);
  g_mutex_lock (&self->lock);
  insert (self, &self->claims, json_object_ref (json_node_get_object (node)));
  g_mutex_unlock (&self->lock);
  json_node_unref (node);
  return g_steal_pointer (&id);
}

void
kl_fake_office_set (KlFakeOffice *self, const char *collection, const char *id, const char *field,
                    const char *json_value)
{
  Coll *c = coll (self, collection);
  Rec *r;

  g_mutex_lock (&self->lock);
  r = g_hash_table_lookup (c->by_id, id);
  g_assert_nonnull (r);
  json_object_set_member (r->o, field, json_from_string (json_value, NULL));
  touch (self, c, r);
  g_mutex_unlock (&self->lock);
}

void
kl_fake_office_append (KlFakeOffice *self, const char *collection, const char *id, const char *field,
                       const char *json_value)
{
  Coll *c = coll (self, collection);
  Rec *r;

  g_mutex_lock (&self->lock);
  r = g_hash_table_lookup (c->by_id, id);
  g_assert_nonnull (r);
  json_array_add_element (json_object_get_array_member (r->o, field), json_from_string (json_value, NULL));
  touch (self, c, r);
  g_mutex_unlock (&self->lock);
}

char *
kl_fake_office_last_body (KlFakeOffice *self, const char *method, const char *path, char **out_if_match)
{
  char *body = NULL;

  g_mutex_lock (&self->lock);
  for (guint i = self->seen->len; i > 0; i--)
    {
      Seen *s = g_ptr_array_index (self->seen, i - 1);

      if (g_str_equal (s->method, method) && g_str_has_prefix (s->path, path))
        {
          body = g_strdup (s->body);
          if (out_if_match)
            *out_if_match = g_strdup (s->if_match);
          break;
        }
    }
  g_mutex_unlock (&self->lock);
  return body;
}

void
kl_fake_office_delete (KlFakeOffice *self, const char *collection, const char *id)
{
  Coll *c = coll (self, collection);
  Rec *r;
  JsonObject *tomb = json_object_new ();

  g_mutex_lock (&self->lock);
  r = g_hash_table_lookup (c->by_id, id);
  g_assert_nonnull (r);
  json_object_set_string_member (tomb, "id", id);
  json_object_set_int_member (tomb, "revision", json_object_get_int_member (r->o, "revision"));
  json_object_set_boolean_member (tomb, "deleted", TRUE);
  json_object_unref (r->o);
  r->o = tomb;
  touch (self, c, r);
  g_mutex_unlock (&self->lock);
}

void
kl_fake_office_purge (KlFakeOffice *self, const char *collection, const char *id)
{
  Coll *c = coll (self, collection);
  Rec *r;

  g_mutex_lock (&self->lock);
  r = g_hash_table_lookup (c->by_id, id);
  g_assert_nonnull (r);
  g_ptr_array_remove (c->order, r);
  g_hash_table_remove (c->by_id, id);
  g_mutex_unlock (&self->lock);
}

char *
kl_fake_office_get (KlFakeOffice *self, const char *collection, const char *id, const char *field)
{
  Coll *c = coll (self, collection);
  Rec *r;
  char *text = NULL;

  g_mutex_lock (&self->lock);
  r = g_hash_table_lookup (c->by_id, id);
  if (r != NULL && json_object_has_member (r->o, field))
    text = json_to_string (json_object_get_member (r->o, field), FALSE);
  g_mutex_unlock (&self->lock);
  return text;
}

char *
kl_fake_office_find_number (KlFakeOffice *self, const char *number)
{
  GHashTableIter iter;
  gpointer key, value;
  char *id = NULL;

  g_mutex_lock (&self->lock);
  g_hash_table_iter_init (&iter, self->claims.by_id);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (g_strcmp0 (json_object_get_string_member_with_default (((Rec *) value)->o, "number", NULL), number) == 0)
      id = g_strdup (key);
  g_mutex_unlock (&self->lock);
  return id;
}

char *
kl_fake_office_find_code (KlFakeOffice *self, const char *code)
{
  GHashTableIter iter;
  gpointer key, value;
  char *id = NULL;

  g_mutex_lock (&self->lock);
  g_hash_table_iter_init (&iter, self->customers.by_id);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (g_strcmp0 (json_object_get_string_member_with_default (((Rec *) value)->o, "code", NULL), code) == 0)
      id = g_strdup (key);
  g_mutex_unlock (&self->lock);
  return id;
}

static void
csv_value (GString *out, JsonObject *o, const char *name)
{
  JsonNode *n = json_object_get_member (o, name);

  if (n == NULL || JSON_NODE_HOLDS_NULL (n))
    ;
  else if (json_node_get_value_type (n) == G_TYPE_STRING)
    g_string_append (out, json_node_get_string (n));
  else if (json_node_get_value_type (n) == G_TYPE_BOOLEAN)
    g_string_append (out, json_node_get_boolean (n) ? "true" : "false");
  else if (json_node_get_value_type (n) == G_TYPE_INT64)
    g_string_append_printf (out, "%" G_GINT64_FORMAT, json_node_get_int (n));
  else
    {
      char buf[G_ASCII_DTOSTR_BUF_SIZE];

      g_string_append (out, g_ascii_dtostr (buf, sizeof buf, json_node_get_double (n)));
    }
}

GBytes *
kl_fake_office_shipments_csv (KlFakeOffice *self, const char *customer_code)
{
  static const char *const columns[] = {
    "waybill", "status", "mode", "origin_city", "origin_region", "dest_city", "dest_region", "pieces",
    "weight_kg", "planned_pickup_at", "picked_up_at", "planned_delivery_at", "delivered_at", "documents_ok",
    "order_accurate", "damaged_pieces", "short_pieces", "incident", NULL
  };
  GString *out = g_string_new ("customer_code");

  for (guint c = 0; columns[c]; c++)
    g_string_append_printf (out, ",%s", columns[c]);
  g_string_append_c (out, '\n');
  g_mutex_lock (&self->lock);
  for (guint i = 0; i < self->shipments.order->len; i++)
    {
      JsonObject *o = ((Rec *) g_ptr_array_index (self->shipments.order, i))->o;

      if (json_object_get_boolean_member (o, "deleted"))
        continue;
      g_string_append (out, customer_code);
      for (guint c = 0; columns[c]; c++)
        {
          g_string_append_c (out, ',');
          csv_value (out, o, columns[c]);
        }
      g_string_append_c (out, '\n');
    }
  g_mutex_unlock (&self->lock);
  return g_string_free_to_bytes (out);
}

guint
kl_fake_office_count (KlFakeOffice *self, const char *collection, gboolean with_deleted)
{
  Coll *c = coll (self, collection);
  guint n = 0;

  g_mutex_lock (&self->lock);
  for (guint i = 0; i < c->order->len; i++)
    if (with_deleted || !json_object_get_boolean_member (((Rec *) g_ptr_array_index (c->order, i))->o, "deleted"))
      n++;
  g_mutex_unlock (&self->lock);
  return n;
}

void
kl_fake_office_expire_cursors (KlFakeOffice *self)
{
  g_mutex_lock (&self->lock);
  self->expire_before = G_MAXINT64;
  g_mutex_unlock (&self->lock);
}

void
kl_fake_office_fault (KlFakeOffice *self, const char *method, const char *path, KlFaultKind kind, guint status,
                      int retry_after, guint count)
{
  Fault *f = g_new0 (Fault, 1);

  f->method = g_strdup (method);
  f->path = g_strdup (path);
  f->kind = kind;
  f->status = status;
  f->retry_after = retry_after;
  f->count = count;
  g_mutex_lock (&self->lock);
  g_ptr_array_add (self->faults, f);
  g_mutex_unlock (&self->lock);
}

void
kl_fake_office_fault_after (KlFakeOffice *self, const char *method, const char *path, KlFaultKind kind, guint skip)
{
  Fault *f = g_new0 (Fault, 1);

  f->method = g_strdup (method);
  f->path = g_strdup (path);
  f->kind = kind;
  f->retry_after = -1;
  f->count = 1;
  f->skip = skip;
  g_mutex_lock (&self->lock);
  g_ptr_array_add (self->faults, f);
  g_mutex_unlock (&self->lock);
}

void
kl_fake_office_clear_faults (KlFakeOffice *self)
{
  g_mutex_lock (&self->lock);
  g_ptr_array_set_size (self->faults, 0);
  g_mutex_unlock (&self->lock);
}

void
kl_fake_office_break_field (KlFakeOffice *self, const char *field, const char *json_value)
{
  g_mutex_lock (&self->lock);
  g_free (self->break_field);
  g_free (self->break_value);
  self->break_field = g_strdup (field);
  self->break_value = g_strdup (json_value);
  g_mutex_unlock (&self->lock);
}

guint
kl_fake_office_requests (KlFakeOffice *self, const char *method, const char *path)
{
  guint n = 0;

  g_mutex_lock (&self->lock);
  for (guint i = 0; i < self->seen->len; i++)
    {
      Seen *s = g_ptr_array_index (self->seen, i);

      if (g_str_equal (s->method, method) && g_str_has_prefix (s->path, path))
        n++;
    }
  g_mutex_unlock (&self->lock);
  return n;
}

char *
kl_fake_office_user_agent (KlFakeOffice *self)
{
  char *ua;

  g_mutex_lock (&self->lock);
  ua = g_strdup (self->user_agent);
  g_mutex_unlock (&self->lock);
  return ua;
}
