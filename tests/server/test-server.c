/* SPDX-License-Identifier: GPL-3.0-or-later */
/* keyline-server end to end: every endpoint and error of docs/api.yaml,
 * pagination, scope, concurrent writers and pullers, concurrent idempotent
 * repeats, demo and import.
 *
 * The server is $KEYLINE_SERVER, started on a loopback port the system
 * picks. Each test gets a fresh store: a SQLite file by default; when
 * $KEYLINE_TEST_STORE_CMD is set, it is run (by sh) and prints the URL of a
 * fresh, empty store (a new PostgreSQL database, say), so the same suite
 * runs against every backend. */
#include "config.h"

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <signal.h>
#include <sys/prctl.h>
#include <stdlib.h>
#include <string.h>

#include "kl-test-util.h"

/* ---- the server under test ---- */

typedef struct {
  char        *dir;
  char        *db;       /* store URL */
  GSubprocess *proc;
  char        *base;     /* http://127.0.0.1:PORT */
  GSubprocess *proc2;    /* a second server on the same store, when started */
  char        *base2;
  char        *kam1, *kam2, *lead;   /* tokens */
  gint         n_servers;            /* the log of the Nth is server-N.log */
} Fixture;

static const char *
server_path (void)
{
  const char *p = g_getenv ("KEYLINE_SERVER");
  g_assert_nonnull (p);
  return p;
}

static char *
fresh_store_url (const char *dir)
{
  const char *cmd = g_getenv ("KEYLINE_TEST_STORE_CMD");
  if (cmd != NULL && *cmd != '\0')
    {
      g_autofree char *out = NULL;
      g_autofree char *err = NULL;
      int status = 0;
      const char *argv[] = { "sh", "-c", cmd, NULL };
      g_autoptr(GError) error = NULL;
      g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, &err,
                    &status, &error);
      g_assert_no_error (error);
      g_assert_true (g_spawn_check_wait_status (status, NULL));
      return g_strstrip (g_steal_pointer (&out));
    }
  return g_strdup_printf ("sqlite:%s/server.db", dir);
}

/* Runs keyline-server with args on the fixture's store; returns stdout,
 * and the exit status in *out_status (asserting 0 when NULL). */
static char *
admin_full (Fixture *f, int *out_status, char **out_err, const char *first, ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocessLauncher) l = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                                                G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GSubprocess) p = NULL;
  g_autoptr(GError) error = NULL;
  char *out = NULL;
  char *err = NULL;
  va_list ap;

  g_ptr_array_add (argv, (char *) server_path ());
  g_ptr_array_add (argv, "--database");
  g_ptr_array_add (argv, f->db);
  va_start (ap, first);
  for (const char *a = first; a; a = va_arg (ap, const char *))
    g_ptr_array_add (argv, (char *) a);
  va_end (ap);
  g_ptr_array_add (argv, NULL);
  g_subprocess_launcher_set_cwd (l, f->dir);
  p = g_subprocess_launcher_spawnv (l, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (p, NULL, NULL, &out, &err, &error);
  g_assert_no_error (error);
  if (out_status)
    *out_status = g_subprocess_get_exit_status (p);
  else if (g_subprocess_get_exit_status (p) != 0)
    g_error ("keyline-server %s failed (%d): %s", first, g_subprocess_get_exit_status (p), err);
  if (out_err)
    *out_err = err;
  else
    g_free (err);
  return out;
}

#define admin(f, ...) admin_full ((f), NULL, NULL, __VA_ARGS__, NULL)

static void
die_with_parent (gpointer data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

static GSubprocess *
start_server (Fixture *f, char **out_base, const char *extra, ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocessLauncher) l = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autofree char *log = g_strdup_printf ("%s/server-%d.log", f->dir, g_atomic_int_add (&f->n_servers, 1));
  g_autoptr(GDataInputStream) in = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  GSubprocess *p;
  const char *start, *end;
  va_list ap;

  g_ptr_array_add (argv, (char *) server_path ());
  g_ptr_array_add (argv, "--database");
  g_ptr_array_add (argv, f->db);
  g_ptr_array_add (argv, "--listen");
  g_ptr_array_add (argv, "127.0.0.1:0");
  va_start (ap, extra);
  for (const char *a = extra; a; a = va_arg (ap, const char *))
    g_ptr_array_add (argv, (char *) a);
  va_end (ap);
  g_ptr_array_add (argv, NULL);
  /* The request log goes to a file; the server goes with the test. */
  g_subprocess_launcher_set_stderr_file_path (l, log);
  g_subprocess_launcher_set_child_setup (l, die_with_parent, NULL, NULL);
  p = g_subprocess_launcher_spawnv (l, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  in = g_data_input_stream_new (g_subprocess_get_stdout_pipe (p));
  line = g_data_input_stream_read_line_utf8 (in, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  g_assert_true (g_str_has_prefix (line, "listening on http://127.0.0.1:"));
  start = line + strlen ("listening on ");
  end = strchr (start, '/' + 0);
  end = strstr (start + strlen ("http://"), "/");
  *out_base = g_strndup (start, (gsize) (end - start));
  return p;
}

static void
stop_server (GSubprocess *p)
{
  g_autoptr(GError) error = NULL;
  if (p == NULL)
    return;
  g_subprocess_send_signal (p, SIGTERM);
  g_subprocess_wait (p, NULL, &error);
  g_assert_no_error (error);
  /* A clean stop: exit status 0. */
  g_assert_true (g_subprocess_get_if_exited (p));
  g_assert_cmpint (g_subprocess_get_exit_status (p), ==, 0);
}

static char *
token_for (Fixture *f, const char *user)
{
  g_autofree char *out = admin (f, "token", "create", user);
  return g_strdup (g_strstrip (out));
}

static void
fixture_setup_store (Fixture *f, gconstpointer data)
{
  f->dir = kl_test_make_tmp_dir ("keyline-server-test-XXXXXX");
  f->db = fresh_store_url (f->dir);
  g_free (admin (f, "user", "add", "kam1", "--role", "kam", "--display-name", "张伟"));
  g_free (admin (f, "user", "add", "kam2", "--role", "kam", "--display-name", "李娜"));
  g_free (admin (f, "user", "add", "lead", "--role", "lead", "--display-name", "Team lead"));
  f->kam1 = token_for (f, "kam1");
  f->kam2 = token_for (f, "kam2");
  f->lead = token_for (f, "lead");
}

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  fixture_setup_store (f, data);
  f->proc = start_server (f, &f->base, NULL);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  stop_server (f->proc);
  stop_server (f->proc2);
  g_clear_object (&f->proc);
  g_clear_object (&f->proc2);
  kl_test_remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->db);
  g_free (f->base);
  g_free (f->base2);
  g_free (f->kam1);
  g_free (f->kam2);
  g_free (f->lead);
}

/* ---- HTTP ---- */

typedef struct {
  guint       status;
  JsonNode   *json;
  JsonObject *obj;          /* json as an object, or NULL */
  char       *content_type;
  char       *retry_after;
  char       *allow;
} Resp;

static void
resp_free (Resp *r)
{
  if (r == NULL)
    return;
  if (r->json)
    json_node_unref (r->json);
  g_free (r->content_type);
  g_free (r->retry_after);
  g_free (r->allow);
  g_free (r);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Resp, resp_free)

/* headers: "Name: value" strings, NULL-terminated. */
static Resp *
request (const char *base, const char *method, const char *path, const char *token,
         const char *content_type, const char *body, const char * const *headers)
{
  g_autoptr(SoupSession) session = soup_session_new_with_options ("timeout", 60, NULL);
  g_autofree char *url = g_strconcat (base, path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);
  g_autoptr(GBytes) reply = NULL;
  g_autoptr(GError) error = NULL;
  SoupMessageHeaders *h;
  Resp *r = g_new0 (Resp, 1);
  const char *ct;

  g_assert_nonnull (msg);
  h = soup_message_get_request_headers (msg);
  if (token)
    {
      g_autofree char *auth = g_strdup_printf ("Bearer %s", token);
      soup_message_headers_replace (h, "Authorization", auth);
    }
  for (guint i = 0; headers && headers[i]; i++)
    {
      const char *colon = strchr (headers[i], ':');
      g_autofree char *name = g_strndup (headers[i], (gsize) (colon - headers[i]));
      soup_message_headers_replace (h, name, colon + 2);
    }
  if (body)
    {
      g_autoptr(GBytes) b = g_bytes_new (body, strlen (body));
      soup_message_set_request_body_from_bytes (msg, content_type, b);
    }
  reply = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  r->status = soup_message_get_status (msg);
  h = soup_message_get_response_headers (msg);
  ct = soup_message_headers_get_content_type (h, NULL);
  r->content_type = g_strdup (ct);
  r->retry_after = g_strdup (soup_message_headers_get_one (h, "Retry-After"));
  r->allow = g_strdup (soup_message_headers_get_one (h, "Allow"));
  if (g_bytes_get_size (reply) > 0)
    {
      r->json = json_from_string (g_bytes_get_data (reply, NULL), &error);
      g_assert_no_error (error);
      if (JSON_NODE_HOLDS_OBJECT (r->json))
        r->obj = json_node_get_object (r->json);
    }
  /* Every error is problem details. */
  if (r->status >= 400)
    {
      g_assert_cmpstr (ct, ==, "application/problem+json");
      g_assert_nonnull (r->obj);
      g_assert_cmpint (json_object_get_int_member (r->obj, "status"), ==, r->status);
      g_assert_true (json_object_has_member (r->obj, "title"));
      g_assert_true (json_object_has_member (r->obj, "type"));
      g_assert_true (json_object_has_member (r->obj, "detail"));
    }
  return r;
}

static Resp *
get (const char *base, const char *path, const char *token)
{
  return request (base, "GET", path, token, NULL, NULL, NULL);
}

static Resp *
post (const char *base, const char *path, const char *token, const char *key, const char *body)
{
  g_autofree char *h = key ? g_strdup_printf ("Idempotency-Key: %s", key) : NULL;
  const char *headers[] = { h, NULL };
  return request (base, "POST", path, token, "application/json", body, headers);
}

static Resp *
patch (const char *base, const char *path, const char *token, gint64 revision, const char *body)
{
  g_autofree char *h = revision > 0 ? g_strdup_printf ("If-Match: \"%" G_GINT64_FORMAT "\"", revision) : NULL;
  const char *headers[] = { h, NULL };
  return request (base, "PATCH", path, token, "application/merge-patch+json", body, headers);
}

static char *
new_key (void)
{
  return g_uuid_string_random ();
}

static const char *
field_of (Resp *r)
{
  return json_object_get_string_member_with_default (r->obj, "field", NULL);
}

/* Creates a customer as token; returns its id. */
static char *
make_customer (Fixture *f, const char *token, const char *code, const char *manager)
{
  g_autofree char *key = new_key ();
  g_autofree char *body = manager
    ? g_strdup_printf ("{\"code\": \"%s\", \"name\": \"Customer %s\", \"account_manager\": \"%s\"}",
                       code, code, manager)
    : g_strdup_printf ("{\"code\": \"%s\", \"name\": \"Customer %s\"}", code, code);
  g_autoptr(Resp) r = post (f->base, "/v1/customers", token, key, body);
  g_assert_cmpuint (r->status, ==, 201);
  return g_strdup (json_object_get_string_member (r->obj, "id"));
}

static Resp *
make_claim (const char *base, const char *token, const char *customer_id, const char *kind,
            const char *extra)
{
  g_autofree char *key = new_key ();
  g_autofree char *body = g_strdup_printf ("{\"customer_id\": \"%s\", \"kind\": \"%s\"%s%s}",
                                           customer_id, kind, extra ? ", " : "", extra ? extra : "");
  return post (base, "/v1/claims", token, key, body);
}

/* Pulls a whole collection from cursor (NULL: the start) with limit;
 * returns the items in order and sets *out_cursor. */
static GPtrArray *
pull_all (const char *base, const char *collection, const char *token, const char *cursor,
          guint limit, char **out_cursor, guint *out_pages)
{
  GPtrArray *items = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  g_autofree char *c = g_strdup (cursor);
  guint pages = 0;
  for (;;)
    {
      g_autofree char *path = c
        ? g_strdup_printf ("/v1/%s?cursor=%s&limit=%u", collection, c, limit)
        : g_strdup_printf ("/v1/%s?limit=%u", collection, limit);
      g_autoptr(Resp) r = get (base, path, token);
      JsonArray *a;
      g_assert_cmpuint (r->status, ==, 200);
      a = json_object_get_array_member (r->obj, "items");
      g_assert_cmpuint (json_array_get_length (a), <=, limit);
      for (guint i = 0; i < json_array_get_length (a); i++)
        g_ptr_array_add (items, json_node_copy (json_array_get_element (a, i)));
      g_free (c);
      c = g_strdup (json_object_get_string_member (r->obj, "next_cursor"));
      pages++;
      if (!json_object_get_boolean_member (r->obj, "has_more"))
        break;
    }
  if (out_cursor)
    *out_cursor = g_steal_pointer (&c);
  if (out_pages)
    *out_pages = pages;
  return items;
}

static const char *
item_string (GPtrArray *items, guint i, const char *member)
{
  return json_object_get_string_member (json_node_get_object (g_ptr_array_index (items, i)), member);
}

/* ---- tests ---- */

static void
test_me_and_auth (Fixture *f, gconstpointer data)
{
  g_autoptr(Resp) ok = get (f->base, "/v1/me", f->kam1);
  g_autoptr(Resp) none = get (f->base, "/v1/me", NULL);
  g_autoptr(Resp) wrong = get (f->base, "/v1/me", "klt_000000000000_nothing");
  g_autoptr(Resp) unknown_path = get (f->base, "/v1/nothing", f->kam1);
  g_autoptr(Resp) outside = get (f->base, "/elsewhere", f->kam1);
  g_autoptr(Resp) method = request (f->base, "DELETE", "/v1/customers", f->kam1, NULL, NULL, NULL);
  g_autoptr(Resp) ship_post = post (f->base, "/v1/shipments", f->kam1, "x", "{}");
  g_autoptr(Resp) revoked = NULL;
  g_autofree char *extra = token_for (f, "kam2");
  g_autofree char *out = NULL;
  g_autofree char *id = NULL;

  g_assert_cmpuint (ok->status, ==, 200);
  g_assert_cmpstr (json_object_get_string_member (ok->obj, "user"), ==, "kam1");
  g_assert_cmpstr (json_object_get_string_member (ok->obj, "display_name"), ==, "张伟");
  g_assert_true (json_object_has_member (ok->obj, "server_time"));
  g_assert_cmpuint (none->status, ==, 401);
  g_assert_cmpuint (wrong->status, ==, 401);
  g_assert_cmpuint (unknown_path->status, ==, 404);
  g_assert_cmpuint (outside->status, ==, 404);
  g_assert_cmpuint (method->status, ==, 405);
  g_assert_cmpstr (method->allow, ==, "GET, POST");
  g_assert_cmpuint (ship_post->status, ==, 405);

  /* A revoked token is 401; another token of the same user still works. */
  out = admin (f, "token", "revoke", f->kam2);
  g_assert_nonnull (strstr (out, "revoked"));
  revoked = get (f->base, "/v1/me", f->kam2);
  g_assert_cmpuint (revoked->status, ==, 401);
  {
    g_autoptr(Resp) still = get (f->base, "/v1/me", extra);
    g_assert_cmpuint (still->status, ==, 200);
  }
  /* One log line per request: method, path, status, ms, user; no token. */
  {
    g_autofree char *log = NULL;
    g_autofree char *logpath = g_build_filename (f->dir, "server-0.log", NULL);
    g_autoptr(GRegex) line = g_regex_new ("^GET /v1/me 200 [0-9.]+ms kam1$", G_REGEX_MULTILINE, 0, NULL);
    g_assert_true (g_file_get_contents (logpath, &log, NULL, NULL));
    g_assert_true (g_regex_match (line, log, 0, NULL));
    g_assert_nonnull (strstr (log, "GET /v1/me 401 "));
    g_assert_null (strstr (log, f->kam1));
    g_assert_null (strstr (log, "klt_"));
  }
  /* The store keeps no token, only its hash. */
  if (g_str_has_prefix (f->db, "sqlite:"))
    {
      g_autofree char *contents = NULL;
      gsize len = 0;
      g_assert_true (g_file_get_contents (f->db + strlen ("sqlite:"), &contents, &len, NULL));
      id = g_strdup (f->kam1 + 17);  /* the secret part */
      g_assert_null (g_strstr_len (contents, (gssize) len, id));
    }
}

static void
test_customer_create (Fixture *f, gconstpointer data)
{
  g_autofree char *key = new_key ();
  const char *body = "{\"code\": \"C1\", \"name\": \"Acme\", \"tags\": [\"a\"], "
                     "\"contacts\": [{\"name\": \"Li\", \"role\": \"logistics\", \"primary\": true}]}";
  g_autoptr(Resp) r1 = post (f->base, "/v1/customers", f->kam1, key, body);
  g_autoptr(Resp) r2 = post (f->base, "/v1/customers", f->kam1, key, body);
  g_autoptr(Resp) reused = post (f->base, "/v1/customers", f->kam1, key, "{\"code\": \"C2\", \"name\": \"B\"}");
  g_autofree char *k2 = new_key ();
  g_autoptr(Resp) dup = post (f->base, "/v1/customers", f->kam1, k2, "{\"code\": \"C1\", \"name\": \"Other\"}");
  g_autofree char *k2b = new_key ();
  g_autoptr(Resp) dup_other = post (f->base, "/v1/customers", f->kam2, k2b, "{\"code\": \"C1\", \"name\": \"Other\"}");
  g_autoptr(Resp) no_key = post (f->base, "/v1/customers", f->kam1, NULL, "{\"code\": \"C3\", \"name\": \"x\"}");
  g_autoptr(Resp) bad_key = post (f->base, "/v1/customers", f->kam1, "not-a-uuid", "{\"code\": \"C3\", \"name\": \"x\"}");
  g_autofree char *k3 = new_key ();
  const char *hk[] = { NULL, NULL };
  g_autofree char *hk0 = g_strdup_printf ("Idempotency-Key: %s", k3);
  g_autoptr(Resp) media = NULL;
  g_autoptr(GPtrArray) pulled = NULL;

  g_assert_cmpuint (r1->status, ==, 201);
  g_assert_cmpint (json_object_get_int_member (r1->obj, "revision"), ==, 1);
  g_assert_false (json_object_get_boolean_member (r1->obj, "deleted"));
  /* Defaults, and a KAM's own new account is theirs. */
  g_assert_cmpstr (json_object_get_string_member (r1->obj, "kind"), ==, "enterprise");
  g_assert_cmpstr (json_object_get_string_member (r1->obj, "channel"), ==, "end_customer");
  g_assert_cmpstr (json_object_get_string_member (r1->obj, "relationship"), ==, "basic");
  g_assert_cmpstr (json_object_get_string_member (r1->obj, "status"), ==, "prospect");
  g_assert_cmpstr (json_object_get_string_member (r1->obj, "account_manager"), ==, "张伟");
  /* The repeat is the first result, not a second record. */
  g_assert_cmpuint (r2->status, ==, 201);
  g_assert_true (json_node_equal (r1->json, r2->json));
  g_assert_cmpuint (reused->status, ==, 422);
  /* An existing code: 409 with the record in current (only for whom may see it). */
  g_assert_cmpuint (dup->status, ==, 409);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (dup->obj, "current"), "id"),
                   ==, json_object_get_string_member (r1->obj, "id"));
  g_assert_cmpuint (dup_other->status, ==, 409);
  g_assert_false (json_object_has_member (dup_other->obj, "current"));
  g_assert_cmpuint (no_key->status, ==, 400);
  g_assert_cmpuint (bad_key->status, ==, 400);
  hk[0] = hk0;
  media = request (f->base, "POST", "/v1/customers", f->kam1, "text/plain", "{\"code\": \"C4\", \"name\": \"x\"}", hk);
  g_assert_cmpuint (media->status, ==, 415);

  /* 422 for unknown, read-only and wrong fields, naming the field; 400 for no JSON. */
  {
    static const struct { const char *body; const char *field; guint status; } cases[] = {
      { "{\"code\": \"C5\", \"name\": \"x\", \"colour\": \"red\"}", "colour", 422 },
      { "{\"code\": \"C5\", \"name\": \"x\", \"id\": \"3f1c1f7e-0000-4000-8000-000000000000\"}", "id", 422 },
      { "{\"code\": \"C5\", \"name\": \"x\", \"revision\": 3}", "revision", 422 },
      { "{\"code\": \"C5\", \"name\": \"x\", \"updated_at\": \"2026-01-01T00:00:00Z\"}", "updated_at", 422 },
      { "{\"code\": \"C5\", \"name\": \"x\", \"deleted\": true}", "deleted", 422 },
      { "{\"code\": \"C5\", \"name\": \"x\", \"kind\": \"giant\"}", "kind", 422 },
      { "{\"code\": \"C5\", \"name\": \"x\", \"status\": \"asleep\"}", "status", 422 },
      { "{\"code\": \"C5\", \"name\": \"x\", \"tags\": [1]}", "tags", 422 },
      { "{\"code\": \"C5\", \"name\": \"x\", \"contacts\": [{\"name\": \"a\", \"role\": \"boss\"}]}", "contacts[0].role", 422 },
      { "{\"code\": \"C5\", \"name\": \"x\", \"agreement\": {\"effective_from\": \"2026-13-01\"}}", "agreement.effective_from", 422 },
      { "{\"code\": \"C5\", \"name\": \"x\", \"account_manager\": \"李娜\"}", "account_manager", 422 },
      { "{\"name\": \"x\"}", "code", 422 },
      { "{\"code\": \"C5\"}", "name", 422 },
      { "{\"code\": \"  \", \"name\": \"x\"}", "code", 422 },
      { "{\"code\": \"C5\", ", NULL, 400 },
      { "[1, 2]", NULL, 400 },
    };
    for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
      {
        g_autofree char *k = new_key ();
        g_autoptr(Resp) r = post (f->base, "/v1/customers", f->kam1, k, cases[i].body);
        g_test_message ("case %u: %s", i, cases[i].body);
        g_assert_cmpuint (r->status, ==, cases[i].status);
        g_assert_cmpstr (field_of (r), ==, cases[i].field);
      }
  }
  pulled = pull_all (f->base, "customers", f->lead, NULL, 100, NULL, NULL);
  g_assert_cmpuint (pulled->len, ==, 1);
}

static void
test_customer_patch (Fixture *f, gconstpointer data)
{
  g_autofree char *id = make_customer (f, f->kam1, "P1", NULL);
  g_autofree char *path = g_strdup_printf ("/v1/customers/%s", id);
  g_autoptr(Resp) ok = patch (f->base, path, f->kam1, 1, "{\"name\": \"New name\", \"notes\": \"n\", \"agreement\": {\"effective_from\": \"2026-01-01\", \"targets\": {\"otif_rate\": 0.9}}}");
  g_autoptr(Resp) merge = patch (f->base, path, f->kam1, 2, "{\"notes\": null, \"agreement\": {\"claim_ack_days\": 10}}");
  g_autoptr(Resp) stale = patch (f->base, path, f->kam1, 1, "{\"name\": \"Late\"}");
  g_autoptr(Resp) no_if = patch (f->base, path, f->kam1, 0, "{\"name\": \"x\"}");
  const char *bad_if_h[] = { "If-Match: 3", NULL };
  g_autoptr(Resp) bad_if = request (f->base, "PATCH", path, f->kam1, "application/merge-patch+json", "{}", bad_if_h);
  const char *if_h[] = { "If-Match: \"3\"", NULL };
  g_autoptr(Resp) media = request (f->base, "PATCH", path, f->kam1, "application/json", "{\"name\": \"x\"}", if_h);
  g_autoptr(Resp) unknown = patch (f->base, path, f->kam1, 3, "{\"colour\": \"red\"}");
  g_autoptr(Resp) ro = patch (f->base, path, f->kam1, 3, "{\"revision\": 9}");
  g_autoptr(Resp) null_req = patch (f->base, path, f->kam1, 3, "{\"name\": null}");
  g_autoptr(Resp) missing = patch (f->base, "/v1/customers/3f1c1f7e-0000-4000-8000-000000000000", f->kam1, 1, "{\"name\": \"x\"}");
  g_autoptr(Resp) not_uuid = patch (f->base, "/v1/customers/nope", f->kam1, 1, "{\"name\": \"x\"}");
  g_autofree char *other_id = make_customer (f, f->kam1, "P2", NULL);
  g_autoptr(Resp) taken = patch (f->base, path, f->kam1, 3, "{\"code\": \"P2\"}");
  g_autoptr(Resp) same = patch (f->base, path, f->kam1, 3, "{\"name\": \"New name\"}");
  g_autoptr(Resp) del = patch (f->base, path, f->kam1, 3, "{\"deleted\": true}");
  g_autoptr(Resp) after_del = patch (f->base, path, f->kam1, 4, "{\"name\": \"x\"}");
  g_autoptr(GPtrArray) items = NULL;
  JsonObject *agreement, *tomb;

  g_assert_cmpuint (ok->status, ==, 200);
  g_assert_cmpint (json_object_get_int_member (ok->obj, "revision"), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (ok->obj, "name"), ==, "New name");
  g_assert_cmpuint (merge->status, ==, 200);
  g_assert_cmpint (json_object_get_int_member (merge->obj, "revision"), ==, 3);
  g_assert_true (json_object_get_null_member (merge->obj, "notes"));
  /* Merge patch goes into objects: the targets stay. */
  agreement = json_object_get_object_member (merge->obj, "agreement");
  g_assert_cmpint (json_object_get_int_member (agreement, "claim_ack_days"), ==, 10);
  g_assert_true (json_object_has_member (json_object_get_object_member (agreement, "targets"), "otif_rate"));
  g_assert_cmpuint (stale->status, ==, 412);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (stale->obj, "current"), "revision"), ==, 3);
  g_assert_cmpuint (no_if->status, ==, 428);
  g_assert_cmpuint (bad_if->status, ==, 400);
  g_assert_cmpuint (media->status, ==, 415);
  g_assert_cmpuint (unknown->status, ==, 422);
  g_assert_cmpstr (field_of (unknown), ==, "colour");
  g_assert_cmpuint (ro->status, ==, 422);
  g_assert_cmpstr (field_of (ro), ==, "revision");
  g_assert_cmpuint (null_req->status, ==, 422);
  g_assert_cmpstr (field_of (null_req), ==, "name");
  g_assert_cmpuint (missing->status, ==, 404);
  g_assert_cmpuint (not_uuid->status, ==, 404);
  /* Another customer's code: 409. */
  g_assert_cmpuint (taken->status, ==, 409);
  g_assert_nonnull (other_id);
  /* Nothing changed: the same revision. */
  g_assert_cmpuint (same->status, ==, 200);
  g_assert_cmpint (json_object_get_int_member (same->obj, "revision"), ==, 3);
  /* deleted true: a tombstone, only the Record fields, in the feed. */
  g_assert_cmpuint (del->status, ==, 200);
  g_assert_true (json_object_get_boolean_member (del->obj, "deleted"));
  g_assert_cmpuint (after_del->status, ==, 404);
  items = pull_all (f->base, "customers", f->kam1, NULL, 10, NULL, NULL);
  g_assert_cmpuint (items->len, ==, 2);
  tomb = json_node_get_object (g_ptr_array_index (items, 1));
  g_assert_true (json_object_get_boolean_member (tomb, "deleted"));
  g_assert_cmpuint (json_object_get_size (tomb), ==, 4);
  g_assert_cmpint (json_object_get_int_member (tomb, "revision"), ==, 4);
}

static JsonObject *
last_history (Resp *r)
{
  JsonArray *h = json_object_get_array_member (r->obj, "history");
  return json_array_get_object_element (h, json_array_get_length (h) - 1);
}

static void
test_claims (Fixture *f, gconstpointer data)
{
  g_autofree char *cust = make_customer (f, f->kam1, "K1", NULL);
  g_autofree char *other = make_customer (f, f->kam2, "K2", NULL);
  g_autoptr(Resp) c1 = make_claim (f->base, f->kam1, cust, "damage",
                                   "\"waybill\": \"W1\", \"claimed\": {\"amount_minor\": 10000, \"currency\": \"CNY\"}, "
                                   "\"note\": {\"text\": \"by phone\", \"visibility\": \"client\"}");
  g_autoptr(Resp) c2 = make_claim (f->base, f->kam1, cust, "shortage", NULL);
  g_autoptr(Resp) rma = make_claim (f->base, f->kam1, cust, "return", NULL);
  g_autoptr(Resp) cmp = make_claim (f->base, f->kam1, cust, "complaint", NULL);
  g_autoptr(Resp) not_mine = make_claim (f->base, f->kam1, other, "damage", NULL);
  g_autoptr(Resp) no_cust = make_claim (f->base, f->kam1, "3f1c1f7e-0000-4000-8000-000000000000", "damage", NULL);
  g_autofree char *path = NULL;
  g_autofree char *year = NULL;
  g_autofree char *want = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  JsonObject *h;

  g_assert_cmpuint (c1->status, ==, 201);
  year = g_date_time_format (now, "%Y");
  want = g_strdup_printf ("CLM-%s-000001", year);
  g_assert_cmpstr (json_object_get_string_member (c1->obj, "number"), ==, want);
  g_free (want);
  want = g_strdup_printf ("CLM-%s-000002", year);
  g_assert_cmpstr (json_object_get_string_member (c2->obj, "number"), ==, want);
  g_free (want);
  want = g_strdup_printf ("RMA-%s-000001", year);
  g_assert_cmpstr (json_object_get_string_member (rma->obj, "number"), ==, want);
  g_free (want);
  want = g_strdup_printf ("CMP-%s-000001", year);
  g_assert_cmpstr (json_object_get_string_member (cmp->obj, "number"), ==, want);
  g_assert_cmpstr (json_object_get_string_member (c1->obj, "status"), ==, "filed");
  g_assert_cmpstr (json_object_get_string_member (rma->obj, "status"), ==, "requested");
  g_assert_cmpstr (json_object_get_string_member (cmp->obj, "status"), ==, "open");
  g_assert_true (json_object_has_member (c1->obj, "filed_at"));
  h = last_history (c1);
  g_assert_cmpstr (json_object_get_string_member (h, "change"), ==, "created");
  g_assert_cmpstr (json_object_get_string_member (h, "by"), ==, "kam1");
  g_assert_cmpstr (json_object_get_string_member (h, "to"), ==, "filed");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (c1->obj, "notes")), ==, 1);
  g_assert_cmpuint (not_mine->status, ==, 422);
  g_assert_cmpstr (field_of (not_mine), ==, "customer_id");
  g_assert_cmpuint (no_cust->status, ==, 422);

  /* ClaimNew errors name the field. */
  {
    static const struct { const char *extra; const char *field; } cases[] = {
      { "\"number\": \"CLM-1\"", "number" },
      { "\"status\": \"paid\"", "status" },
      { "\"history\": []", "history" },
      { "\"colour\": 1", "colour" },
      { "\"incident_date\": \"yesterday\"", "incident_date" },
      { "\"filed_at\": \"2026-10-03\"", "filed_at" },
      { "\"claimed\": {\"amount_minor\": 1, \"currency\": \"cny\"}", "claimed" },
      { "\"claimed\": {\"amount_minor\": 1.5, \"currency\": \"CNY\"}", "claimed" },
      { "\"note\": {\"text\": \"x\", \"visibility\": \"public\"}", "note.visibility" },
    };
    for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
      {
        g_autoptr(Resp) r = make_claim (f->base, f->kam1, cust, "damage", cases[i].extra);
        g_test_message ("claim case %u", i);
        g_assert_cmpuint (r->status, ==, 422);
        g_assert_cmpstr (field_of (r), ==, cases[i].field);
      }
    {
      g_autoptr(Resp) r = make_claim (f->base, f->kam1, cust, "teleport", NULL);
      g_assert_cmpuint (r->status, ==, 422);
      g_assert_cmpstr (field_of (r), ==, "kind");
    }
    {
      g_autoptr(Resp) r = make_claim (f->base, f->kam1, cust, "complaint",
                                      "\"claimed\": {\"amount_minor\": 1, \"currency\": \"CNY\"}");
      g_assert_cmpuint (r->status, ==, 422);
      g_assert_cmpstr (field_of (r), ==, "claimed");
    }
  }

  /* The lifecycle, as src/core has it. */
  path = g_strdup_printf ("/v1/claims/%s", json_object_get_string_member (c1->obj, "id"));
  {
    g_autoptr(Resp) bad_move = patch (f->base, path, f->kam1, 1, "{\"status\": \"paid\"}");
    g_autoptr(Resp) ack = patch (f->base, path, f->kam1, 1, "{\"status\": \"acknowledged\", \"owner\": \"Wu\"}");
    g_autoptr(Resp) inv = patch (f->base, path, f->kam1, 2, "{\"status\": \"investigating\"}");
    g_autoptr(Resp) no_docs = patch (f->base, path, f->kam1, 3, "{\"status\": \"approved\", \"approved\": {\"amount_minor\": 5000, \"currency\": \"CNY\"}}");
    g_autoptr(Resp) docs = patch (f->base, path, f->kam1, 3, "{\"documents\": {\"proof_of_delivery\": true, \"commercial_invoice\": true, \"photos\": true}}");
    g_autoptr(Resp) too_much = patch (f->base, path, f->kam1, 4, "{\"status\": \"approved\", \"approved\": {\"amount_minor\": 50000, \"currency\": \"CNY\"}}");
    g_autoptr(Resp) approve = patch (f->base, path, f->kam1, 4, "{\"status\": \"approved\", \"approved\": {\"amount_minor\": 5000, \"currency\": \"CNY\"}}");
    g_autoptr(Resp) bad_doc = patch (f->base, path, f->kam1, 5, "{\"documents\": {\"selfie\": true}}");
    g_autoptr(Resp) ro = patch (f->base, path, f->kam1, 5, "{\"number\": \"X\"}");
    g_autoptr(Resp) reason_alone = patch (f->base, path, f->kam1, 5, "{\"reason\": \"why\"}");
    g_autoptr(Resp) note = patch (f->base, path, f->kam1, 5, "{\"note\": {\"text\": \"called them\", \"visibility\": \"internal\"}}");
    JsonArray *history;
    gboolean saw_owner = FALSE, saw_doc = FALSE, saw_move = FALSE;

    g_assert_cmpuint (bad_move->status, ==, 422);
    g_assert_cmpstr (field_of (bad_move), ==, "status");
    /* The lifecycle's message names the status and the allowed moves. */
    {
      g_autofree char *lower = g_utf8_strdown (json_object_get_string_member (bad_move->obj, "detail"), -1);
      g_test_message ("%s", lower);
      g_assert_nonnull (strstr (lower, "acknowledged"));
    }
    g_assert_cmpuint (ack->status, ==, 200);
    g_assert_cmpstr (json_object_get_string_member (ack->obj, "status"), ==, "acknowledged");
    g_assert_false (json_object_get_null_member (ack->obj, "acknowledged_at"));
    g_assert_cmpuint (inv->status, ==, 200);
    g_assert_cmpuint (no_docs->status, ==, 422);
    {
      g_autofree char *lower = g_utf8_strdown (json_object_get_string_member (no_docs->obj, "detail"), -1);
      g_test_message ("%s", lower);
      g_assert_nonnull (strstr (lower, "proof of delivery"));
    }
    g_assert_cmpuint (docs->status, ==, 200);
    g_assert_cmpuint (too_much->status, ==, 422);
    g_assert_cmpuint (approve->status, ==, 200);
    g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (approve->obj, "approved"), "amount_minor"), ==, 5000);
    g_assert_cmpuint (bad_doc->status, ==, 422);
    g_assert_cmpstr (field_of (bad_doc), ==, "documents.selfie");
    g_assert_cmpuint (ro->status, ==, 422);
    g_assert_cmpstr (field_of (ro), ==, "number");
    g_assert_cmpuint (reason_alone->status, ==, 422);
    g_assert_cmpuint (note->status, ==, 200);
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (note->obj, "notes")), ==, 2);

    history = json_object_get_array_member (note->obj, "history");
    for (guint i = 0; i < json_array_get_length (history); i++)
      {
        JsonObject *e = json_array_get_object_element (history, i);
        const char *change = json_object_get_string_member (e, "change");
        g_assert_cmpstr (json_object_get_string_member (e, "by"), ==, "kam1");
        g_assert_true (json_object_has_member (e, "at"));
        if (g_str_equal (change, "field") && g_strcmp0 (json_object_get_string_member (e, "field"), "owner") == 0)
          {
            saw_owner = TRUE;
            g_assert_true (json_object_get_null_member (e, "from"));
            g_assert_cmpstr (json_object_get_string_member (e, "to"), ==, "Wu");
          }
        if (g_str_equal (change, "document"))
          saw_doc = TRUE;
        if (g_str_equal (change, "moved") && g_str_equal (json_object_get_string_member (e, "to"), "approved"))
          {
            saw_move = TRUE;
            g_assert_cmpstr (json_object_get_string_member (e, "from"), ==, "investigating");
          }
      }
    g_assert_true (saw_owner && saw_doc && saw_move);
    g_assert_cmpstr (json_object_get_string_member (last_history (note), "change"), ==, "note");
  }
  /* A decline needs a reason; a return's authorization needs its label. */
  {
    g_autofree char *p2 = g_strdup_printf ("/v1/claims/%s", json_object_get_string_member (c2->obj, "id"));
    g_autofree char *pr = g_strdup_printf ("/v1/claims/%s", json_object_get_string_member (rma->obj, "id"));
    g_autoptr(Resp) ack = patch (f->base, p2, f->kam1, 1, "{\"status\": \"acknowledged\"}");
    g_autoptr(Resp) inv = patch (f->base, p2, f->kam1, 2, "{\"status\": \"investigating\"}");
    g_autoptr(Resp) decline = patch (f->base, p2, f->kam1, 3, "{\"status\": \"declined\"}");
    g_autoptr(Resp) decline_ok = patch (f->base, p2, f->kam1, 3, "{\"status\": \"declined\", \"reason\": \"no damage on delivery\"}");
    g_autoptr(Resp) auth = patch (f->base, pr, f->kam1, 1, "{\"status\": \"authorized\"}");
    g_autoptr(Resp) auth_ok = patch (f->base, pr, f->kam1, 1, "{\"status\": \"authorized\", \"return_destination\": \"Shanghai DC\", \"return_carrier\": \"SF\", \"return_label\": \"SF123\"}");
    g_assert_cmpuint (ack->status, ==, 200);
    g_assert_cmpuint (inv->status, ==, 200);
    g_assert_cmpuint (decline->status, ==, 422);
    g_assert_cmpuint (decline_ok->status, ==, 200);
    g_assert_cmpstr (json_object_get_string_member (last_history (decline_ok), "note"), ==, "no damage on delivery");
    g_assert_cmpuint (auth->status, ==, 422);
    g_assert_cmpuint (auth_ok->status, ==, 200);
  }
}

static void
test_pull (Fixture *f, gconstpointer data)
{
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GPtrArray) more = NULL;
  g_autofree char *cursor = NULL;
  g_autofree char *cursor2 = NULL;
  guint pages = 0;

  for (guint i = 0; i < 10; i++)
    {
      g_autofree char *code = g_strdup_printf ("PG%02u", i);
      g_ptr_array_add (ids, make_customer (f, f->kam1, code, NULL));
    }
  /* Pages of 3 resume where the last one ended: each record once, in order. */
  items = pull_all (f->base, "customers", f->kam1, NULL, 3, &cursor, &pages);
  g_assert_cmpuint (items->len, ==, 10);
  g_assert_cmpuint (pages, >=, 4);
  for (guint i = 0; i < 10; i++)
    g_assert_cmpstr (item_string (items, i, "id"), ==, g_ptr_array_index (ids, i));
  /* Up to date: an empty page; then a change shows after the cursor. */
  more = pull_all (f->base, "customers", f->kam1, cursor, 3, &cursor2, NULL);
  g_assert_cmpuint (more->len, ==, 0);
  {
    g_autofree char *path = g_strdup_printf ("/v1/customers/%s", (char *) g_ptr_array_index (ids, 4));
    g_autoptr(Resp) r = patch (f->base, path, f->kam1, 1, "{\"region\": \"华东\"}");
    g_autoptr(GPtrArray) changed = NULL;
    g_assert_cmpuint (r->status, ==, 200);
    changed = pull_all (f->base, "customers", f->kam1, cursor2, 3, NULL, NULL);
    g_assert_cmpuint (changed->len, ==, 1);
    g_assert_cmpstr (item_string (changed, 0, "id"), ==, g_ptr_array_index (ids, 4));
  }
  /* Bad cursors and limits: 400; a cursor of another collection: 400; an
   * old cursor: 410. */
  {
    g_autofree char *other = NULL;
    g_autofree char *p_other = NULL;
    g_autofree char *old_plain = g_strdup_printf ("v1:customers:1:%" G_GINT64_FORMAT,
                                                  g_get_real_time () / G_USEC_PER_SEC - 31 * 86400);
    g_autofree char *old = g_base64_encode ((const guchar *) old_plain, strlen (old_plain));
    g_autofree char *p_old = NULL;
    g_autoptr(GPtrArray) ships = pull_all (f->base, "shipments", f->kam1, NULL, 5, &other, NULL);
    static const char * const bad[] = {
      "/v1/customers?cursor=!!!", "/v1/customers?cursor=bm9wZQ", "/v1/customers?limit=0",
      "/v1/customers?limit=1001", "/v1/customers?limit=ten", "/v1/claims?limit=-1",
    };
    for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
      {
        g_autoptr(Resp) r = get (f->base, bad[i], f->kam1);
        g_assert_cmpuint (r->status, ==, 400);
      }
    g_assert_cmpuint (ships->len, ==, 0);
    p_other = g_strdup_printf ("/v1/customers?cursor=%s", other);
    {
      g_autoptr(Resp) r = get (f->base, p_other, f->kam1);
      g_assert_cmpuint (r->status, ==, 400);
    }
    for (char *c = old; *c; c++)
      if (*c == '=')
        *c = '\0';
    p_old = g_strdup_printf ("/v1/customers?cursor=%s", old);
    {
      g_autoptr(Resp) r = get (f->base, p_old, f->kam1);
      g_assert_cmpuint (r->status, ==, 410);
    }
  }
}

static void
test_scope (Fixture *f, gconstpointer data)
{
  g_autofree char *a = make_customer (f, f->kam1, "S1", NULL);
  g_autofree char *b = make_customer (f, f->kam2, "S2", NULL);
  g_autofree char *c = make_customer (f, f->lead, "S3", "kam1");   /* by login name */
  g_autofree char *d = make_customer (f, f->lead, "S4", NULL);     /* nobody's */
  g_autoptr(Resp) ca = make_claim (f->base, f->kam1, a, "delay", NULL);
  g_autoptr(Resp) cb = make_claim (f->base, f->kam2, b, "delay", NULL);
  g_autoptr(Resp) cd = make_claim (f->base, f->lead, d, "delay", NULL);
  g_autoptr(GPtrArray) k1 = pull_all (f->base, "customers", f->kam1, NULL, 100, NULL, NULL);
  g_autoptr(GPtrArray) k2 = pull_all (f->base, "customers", f->kam2, NULL, 100, NULL, NULL);
  g_autoptr(GPtrArray) all = pull_all (f->base, "customers", f->lead, NULL, 100, NULL, NULL);
  g_autoptr(GPtrArray) k1c = pull_all (f->base, "claims", f->kam1, NULL, 100, NULL, NULL);
  g_autoptr(GPtrArray) k2c = pull_all (f->base, "claims", f->kam2, NULL, 100, NULL, NULL);
  g_autoptr(GPtrArray) allc = pull_all (f->base, "claims", f->lead, NULL, 100, NULL, NULL);
  g_autofree char *pb = g_strdup_printf ("/v1/customers/%s", b);
  g_autofree char *pcb = g_strdup_printf ("/v1/claims/%s", json_object_get_string_member (cb->obj, "id"));
  g_autoptr(Resp) touch = patch (f->base, pb, f->kam1, 1, "{\"name\": \"mine now\"}");
  g_autoptr(Resp) touch_claim = patch (f->base, pcb, f->kam1, 1, "{\"owner\": \"me\"}");
  g_autoptr(Resp) lead_touch = patch (f->base, pb, f->lead, 1, "{\"notes\": \"lead was here\"}");

  g_assert_cmpuint (ca->status, ==, 201);
  g_assert_cmpuint (cb->status, ==, 201);
  g_assert_cmpuint (cd->status, ==, 201);
  g_assert_cmpuint (k1->len, ==, 2);
  g_assert_cmpstr (item_string (k1, 0, "id"), ==, a);
  g_assert_cmpstr (item_string (k1, 1, "id"), ==, c);
  g_assert_cmpuint (k2->len, ==, 1);
  g_assert_cmpstr (item_string (k2, 0, "id"), ==, b);
  g_assert_cmpuint (all->len, ==, 4);
  g_assert_cmpuint (k1c->len, ==, 1);
  g_assert_cmpstr (item_string (k1c, 0, "customer_id"), ==, a);
  g_assert_cmpuint (k2c->len, ==, 1);
  g_assert_cmpstr (item_string (k2c, 0, "customer_id"), ==, b);
  g_assert_cmpuint (allc->len, ==, 3);
  /* Another KAM's records do not exist for a KAM. */
  g_assert_cmpuint (touch->status, ==, 404);
  g_assert_cmpuint (touch_claim->status, ==, 404);
  g_assert_cmpuint (lead_touch->status, ==, 200);

  /* S2 changes hands from kam2 to kam1: kam1's next pull brings it with its
   * case, though the case itself did not change. */
  {
    g_autofree char *c_cursor = NULL;
    g_autofree char *k_cursor = NULL;
    g_autoptr(GPtrArray) before = pull_all (f->base, "claims", f->kam1, NULL, 100, &c_cursor, NULL);
    g_autoptr(GPtrArray) before_c = pull_all (f->base, "customers", f->kam1, NULL, 100, &k_cursor, NULL);
    g_autoptr(Resp) hand = patch (f->base, pb, f->lead, 2, "{\"account_manager\": \"张伟\"}");
    g_autoptr(GPtrArray) after = NULL;
    g_autoptr(GPtrArray) after_c = NULL;
    g_assert_cmpuint (before->len, ==, 1);
    g_assert_cmpuint (before_c->len, ==, 2);
    g_assert_cmpuint (hand->status, ==, 200);
    after = pull_all (f->base, "claims", f->kam1, c_cursor, 100, NULL, NULL);
    after_c = pull_all (f->base, "customers", f->kam1, k_cursor, 100, NULL, NULL);
    g_assert_cmpuint (after->len, ==, 1);
    g_assert_cmpstr (item_string (after, 0, "customer_id"), ==, b);
    g_assert_cmpuint (after_c->len, ==, 1);
    g_assert_cmpstr (item_string (after_c, 0, "id"), ==, b);
  }
}

/* ---- concurrency ---- */

typedef struct {
  const char *base;
  const char *token;
  const char *customer;
  const char *key;       /* for the idempotent repeats */
  guint       n;
  GPtrArray  *made;      /* ids made (writers) */
  char       *body;      /* the response body (repeats) */
  guint       status;
} Worker;

static gpointer
repeat_thread (gpointer data)
{
  Worker *w = data;
  g_autofree char *body = g_strdup_printf ("{\"customer_id\": \"%s\", \"kind\": \"loss\"}", w->customer);
  g_autoptr(Resp) r = post (w->base, "/v1/claims", w->token, w->key, body);
  w->status = r->status;
  w->body = json_to_string (r->json, FALSE);
  return NULL;
}

static void
start_second_server (Fixture *f)
{
  f->proc2 = start_server (f, &f->base2, NULL);
}

static void
test_concurrent_idempotent (Fixture *f, gconstpointer data)
{
  g_autofree char *cust = make_customer (f, f->kam1, "I1", NULL);
  g_autofree char *key = new_key ();
  Worker workers[12] = { 0 };
  GThread *threads[12];
  g_autoptr(GPtrArray) claims = NULL;

  start_second_server (f);
  for (guint i = 0; i < G_N_ELEMENTS (workers); i++)
    {
      workers[i].base = i % 2 ? f->base2 : f->base;
      workers[i].token = f->kam1;
      workers[i].customer = cust;
      workers[i].key = key;
      threads[i] = g_thread_new ("repeat", repeat_thread, &workers[i]);
    }
  for (guint i = 0; i < G_N_ELEMENTS (workers); i++)
    g_thread_join (threads[i]);
  for (guint i = 0; i < G_N_ELEMENTS (workers); i++)
    {
      g_assert_cmpuint (workers[i].status, ==, 201);
      g_assert_cmpstr (workers[i].body, ==, workers[0].body);
    }
  for (guint i = 0; i < G_N_ELEMENTS (workers); i++)
    g_free (workers[i].body);
  claims = pull_all (f->base, "claims", f->lead, NULL, 100, NULL, NULL);
  g_assert_cmpuint (claims->len, ==, 1);
}

static gpointer
writer_thread (gpointer data)
{
  Worker *w = data;
  for (guint i = 0; i < w->n; i++)
    {
      g_autoptr(Resp) r = make_claim (w->base, w->token, w->customer, "delay", NULL);
      g_assert_cmpuint (r->status, ==, 201);
      g_ptr_array_add (w->made, g_strdup (json_object_get_string_member (r->obj, "id")));
      /* And a change of an existing record, so the feed reorders. */
      if (i % 3 == 2)
        {
          g_autofree char *path = g_strdup_printf ("/v1/claims/%s", json_object_get_string_member (r->obj, "id"));
          g_autoptr(Resp) p = patch (w->base, path, w->token, 1, "{\"owner\": \"someone\"}");
          g_assert_cmpuint (p->status, ==, 200);
        }
    }
  return NULL;
}

typedef struct {
  const char   *base;
  const char   *token;
  volatile gint *writers_left;
  GHashTable   *seen;      /* id → revision seen last */
  guint         duplicates;
  guint         regressions;
} Puller;

static gpointer
puller_thread (gpointer data)
{
  Puller *p = data;
  g_autofree char *cursor = NULL;
  gboolean last = FALSE;
  for (;;)
    {
      gboolean done = g_atomic_int_get (p->writers_left) == 0;
      g_autofree char *next = NULL;
      g_autoptr(GPtrArray) items = pull_all (p->base, "claims", p->token, cursor, 7, &next, NULL);
      for (guint i = 0; i < items->len; i++)
        {
          JsonObject *o = json_node_get_object (g_ptr_array_index (items, i));
          const char *id = json_object_get_string_member (o, "id");
          gint64 rev = json_object_get_int_member (o, "revision");
          gpointer had = g_hash_table_lookup (p->seen, id);
          /* Seen again only with a newer revision; never the same change twice. */
          if (had != NULL && GPOINTER_TO_INT (had) >= rev)
            p->duplicates++;
          g_hash_table_insert (p->seen, g_strdup (id), GINT_TO_POINTER ((int) rev));
        }
      g_free (cursor);
      cursor = g_steal_pointer (&next);
      if (last)
        break;
      last = done;   /* one more full pull after the writers are done */
    }
  return NULL;
}

static void
test_concurrent_feed (Fixture *f, gconstpointer data)
{
  g_autofree char *cust = make_customer (f, f->kam1, "F1", NULL);
  enum { N_WRITERS = 6, N_PULLERS = 3, N_EACH = 15 };
  Worker writers[N_WRITERS] = { 0 };
  Puller pullers[N_PULLERS] = { 0 };
  GThread *wt[N_WRITERS], *pt[N_PULLERS];
  volatile gint left = N_WRITERS;
  g_autoptr(GHashTable) made = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GPtrArray) final = NULL;

  /* The pullers ask again as soon as a page comes back, as fast as the
   * servers answer: without the rate limit (it has a test of its own),
   * or a fast server answers them 429. */
  stop_server (f->proc);
  g_clear_object (&f->proc);
  g_free (f->base);
  f->proc = start_server (f, &f->base, "--rate-limit", "0", NULL);
  f->proc2 = start_server (f, &f->base2, "--rate-limit", "0", NULL);
  for (guint i = 0; i < N_PULLERS; i++)
    {
      pullers[i].base = i % 2 ? f->base2 : f->base;
      pullers[i].token = i == 0 ? f->lead : f->kam1;
      pullers[i].writers_left = &left;
      pullers[i].seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      pt[i] = g_thread_new ("puller", puller_thread, &pullers[i]);
    }
  for (guint i = 0; i < N_WRITERS; i++)
    {
      writers[i].base = i % 2 ? f->base2 : f->base;
      writers[i].token = i % 3 ? f->kam1 : f->lead;
      writers[i].customer = cust;
      writers[i].n = N_EACH;
      writers[i].made = g_ptr_array_new_with_free_func (g_free);
      wt[i] = g_thread_new ("writer", writer_thread, &writers[i]);
    }
  for (guint i = 0; i < N_WRITERS; i++)
    {
      g_thread_join (wt[i]);
      g_atomic_int_add (&left, -1);
      for (guint j = 0; j < writers[i].made->len; j++)
        g_hash_table_add (made, g_strdup (g_ptr_array_index (writers[i].made, j)));
      g_ptr_array_unref (writers[i].made);
    }
  for (guint i = 0; i < N_PULLERS; i++)
    g_thread_join (pt[i]);

  final = pull_all (f->base, "claims", f->lead, NULL, 1000, NULL, NULL);
  g_assert_cmpuint (g_hash_table_size (made), ==, N_WRITERS * N_EACH);
  g_assert_cmpuint (final->len, ==, N_WRITERS * N_EACH);
  for (guint i = 0; i < N_PULLERS; i++)
    {
      /* Every record, at its final revision, and no change twice. */
      g_assert_cmpuint (pullers[i].duplicates, ==, 0);
      g_assert_cmpuint (g_hash_table_size (pullers[i].seen), ==, N_WRITERS * N_EACH);
      for (guint j = 0; j < final->len; j++)
        {
          JsonObject *o = json_node_get_object (g_ptr_array_index (final, j));
          g_assert_cmpint (GPOINTER_TO_INT (g_hash_table_lookup (pullers[i].seen, json_object_get_string_member (o, "id"))),
                           ==, json_object_get_int_member (o, "revision"));
        }
      g_hash_table_unref (pullers[i].seen);
    }
}

/* ---- limits and listening ---- */

static void
test_limits (Fixture *f, gconstpointer data)
{
  g_autofree char *base = NULL;
  GSubprocess *limited;
  g_autoptr(Resp) a = NULL;
  g_autoptr(Resp) b = NULL;
  g_autoptr(Resp) c = NULL;
  g_autoptr(Resp) other = NULL;
  g_autoptr(Resp) big = NULL;
  g_autoptr(GString) body = g_string_new ("{\"code\": \"L1\", \"name\": \"");
  g_autofree char *key = new_key ();

  limited = start_server (f, &base, "--rate-limit", "1", "--rate-burst", "2", "--body-limit", "2048", NULL);
  a = get (base, "/v1/me", f->kam1);
  b = get (base, "/v1/me", f->kam1);
  c = get (base, "/v1/me", f->kam1);
  other = get (base, "/v1/me", f->kam2);   /* per token */
  g_assert_cmpuint (a->status, ==, 200);
  g_assert_cmpuint (b->status, ==, 200);
  g_assert_cmpuint (c->status, ==, 429);
  g_assert_nonnull (c->retry_after);
  g_assert_cmpint (atoi (c->retry_after), >=, 1);
  g_assert_cmpuint (other->status, ==, 200);
  for (guint i = 0; i < 3000; i++)
    g_string_append_c (body, 'x');
  g_string_append (body, "\"}");
  big = post (base, "/v1/customers", f->lead, key, body->str);
  g_assert_cmpuint (big->status, ==, 413);
  /* A body of unknown length (chunked) is refused before it is read. */
  {
    g_autoptr(SoupSession) session = soup_session_new ();
    g_autofree char *url = g_strconcat (base, "/v1/customers", NULL);
    g_autoptr(SoupMessage) msg = soup_message_new ("POST", url);
    g_autoptr(GInputStream) stream = g_memory_input_stream_new_from_data ("{}", 2, NULL);
    g_autofree char *auth = g_strdup_printf ("Bearer %s", f->lead);
    g_autoptr(GBytes) reply = NULL;
    g_autoptr(GError) error = NULL;
    soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
    soup_message_set_request_body (msg, "application/json", stream, -1);
    reply = soup_session_send_and_read (session, msg, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (soup_message_get_status (msg), ==, 411);
  }
  stop_server (limited);
  g_object_unref (limited);

  /* Plain HTTP only on loopback unless asked; retention at least 30 days. */
  {
    int status = 0;
    g_autofree char *err = NULL;
    g_free (admin_full (f, &status, &err, "--listen", "0.0.0.0:0", NULL));
    g_assert_cmpint (status, ==, 64);
    g_assert_nonnull (strstr (err, "--insecure-listen"));
    g_clear_pointer (&err, g_free);
    g_free (admin_full (f, &status, &err, "--cursor-retention", "7", NULL));
    g_assert_cmpint (status, ==, 64);
    g_clear_pointer (&err, g_free);
    g_free (admin_full (f, &status, &err, "token", "create", "nobody", NULL));
    g_assert_cmpint (status, ==, 67);
    g_clear_pointer (&err, g_free);
    g_free (admin_full (f, &status, &err, "user", "add", "kam1", "--role", "kam", NULL));
    g_assert_cmpint (status, ==, 65);
  }
}

static gboolean
accept_any_certificate (SoupMessage *msg, GTlsCertificate *cert, GTlsCertificateFlags errors,
                        gpointer data)
{
  return TRUE;
}

/* --tls-cert and --tls-key: HTTPS on any address, a clean stop after. */
static void
test_tls (Fixture *f, gconstpointer data)
{
  g_autofree char *cert = g_build_filename (f->dir, "cert.pem", NULL);
  g_autofree char *key = g_build_filename (f->dir, "key.pem", NULL);
  g_autofree char *openssl = g_find_program_in_path ("openssl");
  const char *argv[] = { "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                         "-subj", "/CN=127.0.0.1", "-keyout", key, "-out", cert, NULL };
  g_autoptr(GSubprocessLauncher) l = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                                                G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  g_autoptr(GSubprocess) p = NULL;
  g_autoptr(GDataInputStream) in = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  g_autofree char *url = NULL;
  g_autoptr(SoupSession) session = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) reply = NULL;
  g_autofree char *auth = g_strdup_printf ("Bearer %s", f->lead);
  int status = 0;

  if (openssl == NULL)
    {
      g_test_skip ("openssl is not installed to make a certificate");
      return;
    }
  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH |
                               G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                               NULL, NULL, NULL, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  /* Not loopback, but TLS: allowed. */
  g_subprocess_launcher_set_child_setup (l, die_with_parent, NULL, NULL);
  p = g_subprocess_launcher_spawn (l, &error, server_path (), "--database", f->db,
                                   "--listen", "0.0.0.0:0", "--tls-cert", cert, "--tls-key", key,
                                   NULL);
  g_assert_no_error (error);
  in = g_data_input_stream_new (g_subprocess_get_stdout_pipe (p));
  line = g_data_input_stream_read_line_utf8 (in, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  g_assert_true (g_str_has_prefix (line, "listening on https://"));
  {
    const char *port = strchr (strstr (line, "https://") + 8, ':');
    g_autofree char *digits = g_strndup (port + 1, strcspn (port + 1, "/"));
    url = g_strdup_printf ("https://127.0.0.1:%s/v1/me", digits);
  }
  session = soup_session_new ();
  msg = soup_message_new ("GET", url);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
  g_signal_connect (msg, "accept-certificate", G_CALLBACK (accept_any_certificate), NULL);
  reply = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
  stop_server (p);
}

/* ---- demo and import ---- */

static void
test_demo (Fixture *f, gconstpointer data)
{
  g_autofree char *out = admin (f, "demo", "--customers", "4");
  g_auto(GStrv) lines = g_strsplit (out, "\n", -1);
  g_autofree char *t1 = NULL;
  g_autofree char *t2 = NULL;
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GPtrArray) k1 = NULL;
  g_autoptr(GPtrArray) k2 = NULL;
  g_autoptr(GPtrArray) s1 = NULL;
  g_autoptr(GHashTable) mine = g_hash_table_new (g_str_hash, g_str_equal);

  g_assert_true (g_str_has_prefix (out, "demo: 4 customers"));
  for (guint i = 0; lines[i]; i++)
    {
      g_auto(GStrv) cols = g_strsplit (lines[i], "\t", -1);
      if (g_strv_length (cols) == 3 && g_str_equal (cols[0], "kam1"))
        t1 = g_strdup (cols[2]);
      if (g_strv_length (cols) == 3 && g_str_equal (cols[0], "kam2"))
        t2 = g_strdup (cols[2]);
    }
  g_assert_nonnull (t1);
  g_assert_nonnull (t2);
  all = pull_all (f->base, "customers", f->lead, NULL, 1000, NULL, NULL);
  k1 = pull_all (f->base, "customers", t1, NULL, 1000, NULL, NULL);
  k2 = pull_all (f->base, "customers", t2, NULL, 1000, NULL, NULL);
  g_assert_cmpuint (all->len, ==, 4);
  g_assert_cmpuint (k1->len + k2->len, ==, 4);
  for (guint i = 0; i < k1->len; i++)
    {
      g_assert_cmpstr (item_string (k1, i, "account_manager"), ==, "张伟");
      g_hash_table_add (mine, (gpointer) item_string (k1, i, "id"));
    }
  for (guint i = 0; i < k2->len; i++)
    g_assert_cmpstr (item_string (k2, i, "account_manager"), ==, "李娜");
  /* kam1's shipments are kam1's accounts' only. */
  s1 = pull_all (f->base, "shipments", t1, NULL, 1000, NULL, NULL);
  for (guint i = 0; i < s1->len; i++)
    g_assert_true (g_hash_table_contains (mine, item_string (s1, i, "customer_id")));
  /* A second demo on a filled store is refused. */
  {
    int status = 0;
    g_autofree char *err = NULL;
    g_free (admin_full (f, &status, &err, "demo", "--customers", "2", NULL));
    g_assert_cmpint (status, !=, 0);
  }
}

static void
test_import (Fixture *f, gconstpointer data)
{
  g_autofree char *customers = g_build_filename (f->dir, "customers.csv", NULL);
  g_autofree char *shipments = g_build_filename (f->dir, "shipments.csv", NULL);
  g_autofree char *bad = g_build_filename (f->dir, "bad.csv", NULL);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GPtrArray) k1 = NULL;
  g_autoptr(GPtrArray) ships = NULL;
  int status = 0;

  g_assert_true (g_file_set_contents (customers,
      "code,name,account_manager,status\nIC1,Import One,张伟,active\nIC2,Import Two,李娜,prospect\n", -1, NULL));
  g_assert_true (g_file_set_contents (shipments,
      "waybill,customer_code,status,pieces,planned_pickup_at,planned_delivery_at\n"
      "WB1,IC1,booked,3,2026-10-01 08:00,2026-10-02 18:00\n"
      "WB2,IC2,delivered,1,2026-10-01 09:00,2026-10-03 18:00\n", -1, NULL));
  g_assert_true (g_file_set_contents (bad,
      "waybill,customer_code,status,pieces,planned_pickup_at,planned_delivery_at\n"
      "WB3,IC1,booked,many,2026-10-01 08:00,2026-10-02 18:00\n", -1, NULL));

  out = admin (f, "import", "customers", customers);
  g_assert_true (g_str_has_suffix (out, "new 2, updated 0, unchanged 0, bad 0\n"));
  g_free (out);
  out = admin (f, "import", "customers", customers);
  g_assert_true (g_str_has_suffix (out, "new 0, updated 0, unchanged 2, bad 0\n"));
  g_free (out);
  out = admin (f, "import", "shipments", shipments);
  g_assert_true (g_str_has_suffix (out, "new 2, updated 0, unchanged 0, bad 0\n"));
  g_free (out);
  out = admin_full (f, &status, &err, "import", "shipments", bad, NULL);
  g_assert_cmpint (status, ==, 65);
  g_assert_nonnull (strstr (err, ":2: column pieces"));
  g_assert_true (g_str_has_suffix (out, "bad 1\n"));

  /* Imported records are in the feed, in scope. */
  k1 = pull_all (f->base, "customers", f->kam1, NULL, 100, NULL, NULL);
  g_assert_cmpuint (k1->len, ==, 1);
  g_assert_cmpstr (item_string (k1, 0, "code"), ==, "IC1");
  ships = pull_all (f->base, "shipments", f->kam1, NULL, 100, NULL, NULL);
  g_assert_cmpuint (ships->len, ==, 1);
  g_assert_cmpstr (item_string (ships, 0, "waybill"), ==, "WB1");
  g_assert_cmpstr (item_string (ships, 0, "customer_id"), ==, item_string (k1, 0, "id"));
}

static gint64
item_time (JsonObject *o, const char *member)
{
  g_autoptr(GDateTime) t = g_date_time_new_from_iso8601 (json_object_get_string_member (o, member), NULL);

  g_assert_nonnull (t);
  return g_date_time_to_unix (t);
}

/* import shipments --profile: docs/import-profiles.md's renamed-header
 * file (with a revenue column), its rows with their mapped values. */
static void
test_import_profile (Fixture *f, gconstpointer data)
{
  g_autofree char *customers = g_build_filename (f->dir, "customers.csv", NULL);
  g_autofree char *shipments = g_build_filename (f->dir, "tms.csv", NULL);
  g_autofree char *profile = g_build_filename (f->dir, "tms.json", NULL);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GPtrArray) cus = NULL;
  g_autoptr(GPtrArray) ships = NULL;
  JsonObject *a = NULL, *b = NULL, *revenue;
  const char *hx = NULL, *df = NULL;
  int status = 0;

  g_assert_true (g_file_set_contents (customers,
      "code,name,account_manager,status\nHX001,华新电子有限公司,张伟,active\nDF002,东方食品集团,张伟,active\n",
      -1, NULL));
  g_assert_true (g_file_set_contents (shipments,
      "运单编号,货主,运输状态,件数,重量(吨),到达大区,计划发车,实际发车,要求到达,实际到达,回单齐全,异常,运费,司机电话\n"
      "SF100000,华新电子有限公司,已妥投,12,1.500000,华东,03/10/2026 08:30,03/10/2026 09:05,"
      "04/10/2026 18:00,04/10/2026 17:10,齐,无,1234.50,13800000001\n"
      "SF100007,东方食品集团,运输中,3,0.250000,华南,13/10/2026 09:00,13/10/2026 09:20,"
      "15/10/2026 12:00,,缺,有,,13800000002\n", -1, NULL));
  g_assert_true (g_file_set_contents (profile,
      "{\n"
      "  \"name\": \"华东 TMS\",\n"
      "  \"kind\": \"shipments\",\n"
      "  \"columns\": {\n"
      "    \"waybill\": \"运单编号\", \"customer_code\": \"货主\", \"status\": \"运输状态\",\n"
      "    \"pieces\": \"件数\", \"weight_kg\": \"重量(吨)\", \"dest_region\": \"到达大区\",\n"
      "    \"planned_pickup_at\": \"计划发车\", \"picked_up_at\": \"实际发车\",\n"
      "    \"planned_delivery_at\": \"要求到达\", \"delivered_at\": \"实际到达\",\n"
      "    \"documents_ok\": \"回单齐全\", \"incident\": \"异常\", \"revenue\": \"运费\"\n"
      "  },\n"
      "  \"values\": {\n"
      "    \"status\": {\"已妥投\": \"delivered\", \"运输中\": \"in_transit\", \"已作废\": \"cancelled\"},\n"
      "    \"customer_code\": {\"华新电子有限公司\": \"HX001\", \"东方食品集团\": \"DF002\"},\n"
      "    \"documents_ok\": {\"齐\": \"yes\", \"缺\": \"no\"},\n"
      "    \"incident\": {\"有\": \"yes\", \"无\": \"no\"}\n"
      "  },\n"
      "  \"timestamp_formats\": [\"%d/%m/%Y %H:%M\"],\n"
      "  \"time_zone\": \"Asia/Shanghai\",\n"
      "  \"scale\": {\"weight_kg\": 1000},\n"
      "  \"update_only\": false\n"
      "}\n", -1, NULL));

  g_free (admin (f, "import", "customers", customers));
  out = admin_full (f, &status, &err, "import", "shipments", shipments, "--profile", profile, NULL);
  if (status != 0)
    g_printerr ("%s", err);
  g_assert_cmpint (status, ==, 0);
  g_assert_true (g_str_has_suffix (out, "new 2, updated 0, unchanged 0, bad 0\n"));
  /* the same file again changes nothing */
  g_free (out);
  out = admin (f, "import", "shipments", shipments, "--profile", profile);
  g_assert_true (g_str_has_suffix (out, "new 0, updated 0, unchanged 2, bad 0\n"));

  cus = pull_all (f->base, "customers", f->kam1, NULL, 100, NULL, NULL);
  g_assert_cmpuint (cus->len, ==, 2);
  for (guint i = 0; i < cus->len; i++)
    {
      if (g_str_equal (item_string (cus, i, "code"), "HX001"))
        hx = item_string (cus, i, "id");
      else if (g_str_equal (item_string (cus, i, "code"), "DF002"))
        df = item_string (cus, i, "id");
    }
  g_assert_nonnull (hx);
  g_assert_nonnull (df);
  ships = pull_all (f->base, "shipments", f->kam1, NULL, 100, NULL, NULL);
  g_assert_cmpuint (ships->len, ==, 2);
  for (guint i = 0; i < ships->len; i++)
    {
      JsonObject *o = json_node_get_object (g_ptr_array_index (ships, i));

      /* every shipment has the back office's id */
      g_assert_true (json_object_has_member (o, "id"));
      g_assert_false (json_object_get_null_member (o, "id"));
      g_assert_true (g_uuid_string_is_valid (json_object_get_string_member (o, "id")));
      if (g_str_equal (json_object_get_string_member (o, "waybill"), "SF100000"))
        a = o;
      else if (g_str_equal (json_object_get_string_member (o, "waybill"), "SF100007"))
        b = o;
    }
  g_assert_nonnull (a);
  g_assert_nonnull (b);

  g_assert_cmpstr (json_object_get_string_member (a, "customer_id"), ==, hx);
  g_assert_cmpstr (json_object_get_string_member (a, "status"), ==, "delivered");
  g_assert_cmpint (json_object_get_int_member (a, "pieces"), ==, 12);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (a, "weight_kg"), 1500.0, 1e-9);
  g_assert_cmpstr (json_object_get_string_member (a, "dest_region"), ==, "华东");
  /* 03/10/2026 08:30 in Shanghai */
  g_assert_cmpint (item_time (a, "planned_pickup_at"), ==, 1790987400);
  g_assert_cmpint (item_time (a, "picked_up_at"), ==, 1790987400 + 35 * 60);
  g_assert_cmpint (item_time (a, "delivered_at"), ==, 1791105000);
  g_assert_true (json_object_get_boolean_member (a, "documents_ok"));
  g_assert_false (json_object_get_boolean_member (a, "incident"));
  revenue = json_object_get_object_member (a, "revenue");
  g_assert_nonnull (revenue);
  g_assert_cmpint (json_object_get_int_member (revenue, "amount_minor"), ==, 123450);
  g_assert_cmpstr (json_object_get_string_member (revenue, "currency"), ==, "CNY");
  g_assert_false (json_object_has_member (a, "司机电话"));

  g_assert_cmpstr (json_object_get_string_member (b, "customer_id"), ==, df);
  g_assert_cmpstr (json_object_get_string_member (b, "status"), ==, "in_transit");
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (b, "weight_kg"), 250.0, 1e-9);
  g_assert_true (json_object_get_null_member (b, "delivered_at"));
  g_assert_false (json_object_get_boolean_member (b, "documents_ok"));
  g_assert_true (json_object_get_boolean_member (b, "incident"));
  g_assert_true (json_object_get_null_member (b, "revenue"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
  ADD ("/server/me-and-auth", test_me_and_auth);
  ADD ("/server/customers/create", test_customer_create);
  ADD ("/server/customers/patch", test_customer_patch);
  ADD ("/server/claims", test_claims);
  ADD ("/server/pull", test_pull);
  ADD ("/server/scope", test_scope);
  ADD ("/server/concurrent/idempotent", test_concurrent_idempotent);
  ADD ("/server/concurrent/feed", test_concurrent_feed);
  ADD ("/server/limits", test_limits);
  ADD ("/server/tls", test_tls);
  ADD ("/server/demo", test_demo);
  ADD ("/server/import", test_import);
  ADD ("/server/import/profile", test_import_profile);
#undef ADD
  return g_test_run ();
}
