/* SPDX-License-Identifier: GPL-3.0-or-later */
/* End to end: keyline-server filled with `demo`, then `keyline-cli sync`
 * with a KAM's token into a fresh workspace. The workspace holds exactly the
 * accounts the server gives that KAM (with their shipments and claims), its
 * reports equal figures computed here from the server's shipments, and a
 * claim opened and a customer edited in the synced workspace reach the
 * server (the claim taking the server's number).
 *
 * keyline-server is $KEYLINE_SERVER_PROGRAM ($KEYLINE_SERVER is the URL
 * keyline-cli syncs with). The store is a SQLite file, or, when
 * $KEYLINE_TEST_STORE_CMD is set, the URL that command prints (a fresh
 * PostgreSQL schema under build-aux/with-postgres.sh). */

#include "config.h"

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>

#include "kl-customer-store.h"
#include "kl-database-private.h"
#include "kl-test-util.h"

typedef struct {
  KlTestCli    cli;
  char        *db;      /* the server's store URL */
  GSubprocess *proc;
  char        *base;    /* http://127.0.0.1:PORT */
  char        *kam1, *kam2, *lead;
} Fixture;

static const char *
server_program (void)
{
  return g_getenv ("KEYLINE_SERVER_PROGRAM");
}

static char *
fresh_store_url (const char *dir)
{
  const char *cmd = g_getenv ("KEYLINE_TEST_STORE_CMD");

  if (cmd != NULL && *cmd != '\0')
    {
      g_autofree char *out = NULL;
      int status = 0;
      const char *argv[] = { "sh", "-c", cmd, NULL };
      g_autoptr(GError) error = NULL;

      g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, NULL,
                    &status, &error);
      g_assert_no_error (error);
      g_assert_true (g_spawn_check_wait_status (status, NULL));
      return g_strstrip (g_steal_pointer (&out));
    }
  return g_strdup_printf ("sqlite:%s/server.db", dir);
}

static void
die_with_parent (gpointer data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

/* keyline-server demo; the tokens it prints ("USER\tNAME\tTOKEN"). */
static void
fill_demo (Fixture *f)
{
  const char *argv[] = { server_program (), "--database", f->db, "demo", "--customers", "8", NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GError) error = NULL;
  int status = 0;

  g_spawn_sync (f->cli.dir, (char **) argv, NULL, 0, NULL, NULL, &out, &err, &status, &error);
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("keyline-server demo failed: %s", err);
  lines = g_strsplit (out, "\n", -1);
  for (guint i = 0; lines[i]; i++)
    {
      g_auto(GStrv) cols = g_strsplit (lines[i], "\t", -1);

      if (g_strv_length (cols) != 3)
        continue;
      if (g_str_equal (cols[0], "kam1"))
        f->kam1 = g_strdup (cols[2]);
      else if (g_str_equal (cols[0], "kam2"))
        f->kam2 = g_strdup (cols[2]);
      else if (g_str_equal (cols[0], "lead"))
        f->lead = g_strdup (cols[2]);
    }
  g_assert_nonnull (f->kam1);
  g_assert_nonnull (f->kam2);
  g_assert_nonnull (f->lead);
}

static void
start_server (Fixture *f)
{
  const char *argv[] = { server_program (), "--database", f->db, "--listen", "127.0.0.1:0", NULL };
  g_autoptr(GSubprocessLauncher) l = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autofree char *log = g_build_filename (f->cli.dir, "server.log", NULL);
  g_autoptr(GDataInputStream) in = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  const char *start, *end;

  g_subprocess_launcher_set_stderr_file_path (l, log);
  g_subprocess_launcher_set_child_setup (l, die_with_parent, NULL, NULL);
  f->proc = g_subprocess_launcher_spawnv (l, argv, &error);
  g_assert_no_error (error);
  in = g_data_input_stream_new (g_subprocess_get_stdout_pipe (f->proc));
  line = g_data_input_stream_read_line_utf8 (in, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  g_assert_true (g_str_has_prefix (line, "listening on http://127.0.0.1:"));
  start = line + strlen ("listening on ");
  end = strstr (start + strlen ("http://"), "/");
  f->base = end ? g_strndup (start, (gsize) (end - start)) : g_strdup (start);
}

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  kl_test_cli_init (&f->cli, "keyline-sync-server-XXXXXX", NULL, "UTC");
  f->cli.workspace = g_build_filename (f->cli.dir, "w.db", NULL);
  if (server_program () == NULL || g_getenv ("KEYLINE_CLI") == NULL)
    return;
  f->db = fresh_store_url (f->cli.dir);
  fill_demo (f);
  start_server (f);
  f->cli.env = g_environ_setenv (f->cli.env, "KEYLINE_TOKEN", f->kam1, TRUE);
  f->cli.env = g_environ_setenv (f->cli.env, "KEYLINE_SERVER", f->base, TRUE);
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  if (f->proc != NULL)
    {
      g_subprocess_send_signal (f->proc, SIGTERM);
      g_subprocess_wait (f->proc, NULL, NULL);
      g_clear_object (&f->proc);
    }
  g_free (f->db);
  g_free (f->base);
  g_free (f->kam1);
  g_free (f->kam2);
  g_free (f->lead);
  kl_test_cli_clear (&f->cli);
}

/* ---- the API, as a test reads it ---- */

static JsonNode *
api (const char *base, const char *method, const char *path, const char *token, guint *out_status)
{
  g_autoptr(SoupSession) session = soup_session_new_with_options ("timeout", 60, NULL);
  g_autofree char *url = g_strconcat (base, path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);
  g_autofree char *auth = g_strdup_printf ("Bearer %s", token);
  g_autoptr(GBytes) reply = NULL;
  g_autoptr(GError) error = NULL;
  JsonNode *json;

  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
  reply = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  *out_status = soup_message_get_status (msg);
  json = json_from_string (g_bytes_get_data (reply, NULL), &error);
  g_assert_no_error (error);
  return json;
}

/* A merge patch as token, over revision: the server's status. */
static guint
api_patch (const char *base, const char *path, const char *token, gint64 revision, const char *body)
{
  g_autoptr(SoupSession) session = soup_session_new_with_options ("timeout", 60, NULL);
  g_autofree char *url = g_strconcat (base, path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("PATCH", url);
  g_autofree char *auth = g_strdup_printf ("Bearer %s", token);
  g_autofree char *if_match = g_strdup_printf ("\"%" G_GINT64_FORMAT "\"", revision);
  g_autoptr(GBytes) request = g_bytes_new (body, strlen (body));
  g_autoptr(GBytes) reply = NULL;
  g_autoptr(GError) error = NULL;

  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "If-Match", if_match);
  soup_message_set_request_body_from_bytes (msg, "application/merge-patch+json", request);
  reply = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  return soup_message_get_status (msg);
}

/* A whole collection as token sees it: JsonObjects (the nodes are kept in
 * the array), tombstones left out. */
static GPtrArray *
pull_all (Fixture *f, const char *collection, const char *token)
{
  GPtrArray *items = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  g_autofree char *cursor = NULL;

  for (;;)
    {
      g_autofree char *path = cursor
        ? g_strdup_printf ("/v1/%s?cursor=%s&limit=500", collection, cursor)
        : g_strdup_printf ("/v1/%s?limit=500", collection);
      guint status = 0;
      g_autoptr(JsonNode) page = api (f->base, "GET", path, token, &status);
      JsonObject *o = json_node_get_object (page);
      JsonArray *a;

      g_assert_cmpuint (status, ==, 200);
      a = json_object_get_array_member (o, "items");
      for (guint i = 0; i < json_array_get_length (a); i++)
        {
          JsonObject *item = json_array_get_object_element (a, i);

          if (json_object_get_boolean_member_with_default (item, "deleted", FALSE))
            continue;
          g_ptr_array_add (items, json_node_copy (json_array_get_element (a, i)));
        }
      g_free (cursor);
      cursor = g_strdup (json_object_get_string_member (o, "next_cursor"));
      if (!json_object_get_boolean_member (o, "has_more"))
        break;
    }
  return items;
}

#define ITEM(items, i) json_node_get_object (g_ptr_array_index ((items), (i)))

static GHashTable *
set_of (GPtrArray *items, const char *member)
{
  GHashTable *set = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < items->len; i++)
    g_hash_table_add (set, (gpointer) json_object_get_string_member (ITEM (items, i), member));
  return set;
}

/* ---- the workspace, as a test reads it ---- */

static char *
workspace_list (Fixture *f, const char *sql)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KlDatabase) db = kl_database_open (f->cli.workspace, 0, &error);
  g_autoptr(GString) out = g_string_new ("");
  sqlite3_stmt *stmt;

  g_assert_no_error (error);
  stmt = kl_database_prepare (db, sql, &error);
  g_assert_no_error (error);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_string_append_printf (out, "%s\n", (const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static int
compare_strings (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* The items' member values, sorted, one a line (as workspace_list writes
 * them with ORDER BY). */
static char *
api_list (GPtrArray *items, const char *member)
{
  g_autoptr(GPtrArray) values = g_ptr_array_new ();
  g_autoptr(GString) out = g_string_new ("");

  for (guint i = 0; i < items->len; i++)
    g_ptr_array_add (values, (gpointer) json_object_get_string_member (ITEM (items, i), member));
  g_ptr_array_sort (values, compare_strings);
  for (guint i = 0; i < values->len; i++)
    g_string_append_printf (out, "%s\n", (const char *) g_ptr_array_index (values, i));
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static const char *
last_line (const char *out)
{
  const char *end = out + strlen (out);
  const char *p;

  g_assert_true (end > out && end[-1] == '\n');
  for (p = end - 1; p > out && p[-1] != '\n'; p--)
    ;
  return p;
}

/* "YYYY-MM" of an RFC 3339 instant in UTC (the workspace's zone here). */
static char *
month_of (const char *instant)
{
  g_autoptr(GDateTime) t = g_date_time_new_from_iso8601 (instant, NULL);
  g_autoptr(GDateTime) utc = NULL;

  g_assert_nonnull (t);
  utc = g_date_time_to_utc (t);
  return g_date_time_format (utc, "%Y-%m");
}

/* kpi.md's counts for one customer and month, from the server's shipments. */
typedef struct {
  gint64 shipments, pieces, dispatched, delivered, damaged_pieces, short_pieces, incidents;
  double weight_kg, volume_m3;
  gint64 documents_known, documents_ok, order_known, order_ok, delivered_pieces;
} Counts;

static Counts
counts_from_api (GPtrArray *shipments, const char *customer_id, const char *month)
{
  Counts c = { 0 };

  for (guint i = 0; i < shipments->len; i++)
    {
      JsonObject *s = ITEM (shipments, i);
      g_autofree char *m = NULL;
      gboolean delivered;

      if (!g_str_equal (json_object_get_string_member (s, "customer_id"), customer_id) ||
          g_str_equal (json_object_get_string_member (s, "status"), "cancelled"))
        continue;
      m = month_of (json_object_get_string_member (s, "planned_pickup_at"));
      if (!g_str_equal (m, month))
        continue;
      delivered = json_object_get_string_member_with_default (s, "delivered_at", NULL) != NULL;
      c.shipments++;
      c.pieces += json_object_get_int_member (s, "pieces");
      if (json_object_has_member (s, "weight_kg") && !json_object_get_null_member (s, "weight_kg"))
        c.weight_kg += json_object_get_double_member (s, "weight_kg");
      if (json_object_has_member (s, "volume_m3") && !json_object_get_null_member (s, "volume_m3"))
        c.volume_m3 += json_object_get_double_member (s, "volume_m3");
      if (json_object_get_string_member_with_default (s, "picked_up_at", NULL) != NULL)
        c.dispatched++;
      if (delivered)
        {
          c.delivered++;
          c.delivered_pieces += json_object_get_int_member (s, "pieces");
          c.damaged_pieces += json_object_get_int_member_with_default (s, "damaged_pieces", 0);
          c.short_pieces += json_object_get_int_member_with_default (s, "short_pieces", 0);
        }
      if (json_object_get_boolean_member_with_default (s, "incident", FALSE))
        c.incidents++;
      if (json_object_has_member (s, "documents_ok") && !json_object_get_null_member (s, "documents_ok"))
        {
          c.documents_known++;
          c.documents_ok += json_object_get_boolean_member (s, "documents_ok");
        }
      if (json_object_has_member (s, "order_accurate") && !json_object_get_null_member (s, "order_accurate"))
        {
          c.order_known++;
          c.order_ok += json_object_get_boolean_member (s, "order_accurate");
        }
    }
  return c;
}

/* A rate of kpi.md: numerator / denominator, null when that is 0. */
static void
assert_rate (JsonObject *figures, const char *key, gint64 numerator, gint64 denominator)
{
  g_assert_true (json_object_has_member (figures, key));
  if (denominator == 0)
    g_assert_true (json_object_get_null_member (figures, key));
  else
    g_assert_cmpfloat_with_epsilon (json_object_get_double_member (figures, key),
                                    (double) numerator / (double) denominator, 1e-12);
}

/* The month with the most of the customer's shipments (the latest of
 * equals), or NULL when it has none. */
static char *
busiest_month (GPtrArray *shipments, const char *customer_id)
{
  g_autoptr(GHashTable) n = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GHashTableIter iter;
  gpointer key, value;
  char *best = NULL;
  guint best_n = 0;

  for (guint i = 0; i < shipments->len; i++)
    {
      JsonObject *s = ITEM (shipments, i);
      char *m;

      if (!g_str_equal (json_object_get_string_member (s, "customer_id"), customer_id))
        continue;
      m = month_of (json_object_get_string_member (s, "planned_pickup_at"));
      g_hash_table_insert (n, m, GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (n, m)) + 1));
    }
  g_hash_table_iter_init (&iter, n);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (GPOINTER_TO_UINT (value) > best_n ||
        (GPOINTER_TO_UINT (value) == best_n && strcmp (key, best) > 0))
      {
        best = key;
        best_n = GPOINTER_TO_UINT (value);
      }
  return g_strdup (best);
}

/* The month the customer's latest case was filed, or NULL. */
static char *
latest_claim_month (GPtrArray *claims, const char *customer_id)
{
  const char *latest = NULL;
  gint64 latest_t = G_MININT64;

  for (guint i = 0; i < claims->len; i++)
    {
      JsonObject *cl = ITEM (claims, i);
      const char *filed = json_object_get_string_member_with_default (cl, "filed_at", NULL);
      g_autoptr(GDateTime) t = NULL;

      if (filed == NULL || !g_str_equal (json_object_get_string_member (cl, "customer_id"), customer_id))
        continue;
      t = g_date_time_new_from_iso8601 (filed, NULL);
      g_assert_nonnull (t);
      if (g_date_time_to_unix (t) > latest_t)
        {
          latest_t = g_date_time_to_unix (t);
          latest = filed;
        }
    }
  return latest ? month_of (latest) : NULL;
}

static gboolean
skip (Fixture *f)
{
  if (kl_test_skip_without_cli ())
    return TRUE;
  if (server_program () == NULL)
    {
      g_test_skip ("KEYLINE_SERVER_PROGRAM is not set");
      return TRUE;
    }
  return FALSE;
}

/* ---- the test ---- */

static void
test_demo_sync (Fixture *f, gconstpointer data)
{
  g_autoptr(GPtrArray) mine = NULL;
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GPtrArray) theirs = NULL;
  g_autoptr(GPtrArray) shipments = NULL;
  g_autoptr(GPtrArray) claims = NULL;
  g_autoptr(GHashTable) mine_ids = NULL;
  g_autoptr(GHashTable) all_ids = NULL;
  g_autofree char *expected_last = NULL;
  g_autofree char *got = NULL;
  g_autofree char *want = NULL;
  guint reports = 0;
  guint reports_with_cases = 0;

  if (skip (f))
    return;

  /* What the server gives kam1: a strict subset of the lead's accounts,
   * none of kam2's. */
  mine = pull_all (f, "customers", f->kam1);
  all = pull_all (f, "customers", f->lead);
  theirs = pull_all (f, "customers", f->kam2);
  shipments = pull_all (f, "shipments", f->kam1);
  claims = pull_all (f, "claims", f->kam1);
  mine_ids = set_of (mine, "id");
  all_ids = set_of (all, "id");
  g_assert_cmpuint (mine->len, >, 0);
  g_assert_cmpuint (theirs->len, >, 0);
  g_assert_cmpuint (mine->len, <, all->len);
  for (guint i = 0; i < mine->len; i++)
    g_assert_true (g_hash_table_contains (all_ids, json_object_get_string_member (ITEM (mine, i), "id")));
  for (guint i = 0; i < theirs->len; i++)
    g_assert_false (g_hash_table_contains (mine_ids, json_object_get_string_member (ITEM (theirs, i), "id")));
  g_assert_cmpuint (shipments->len, >, 0);
  g_assert_cmpuint (claims->len, >, 0);

  /* The first sync brings exactly that into a fresh workspace. */
  {
    g_auto(KlTestRun) run = kl_test_cli_run (&f->cli, "sync", NULL);

    if (run.status != 0)
      g_printerr ("%s", run.err);
    g_assert_cmpint (run.status, ==, 0);
    expected_last = g_strdup_printf ("pulled %u, pushed 0, conflicts 0\n",
                                     mine->len + shipments->len + claims->len);
    g_assert_cmpstr (last_line (run.out), ==, expected_last);
  }
  got = workspace_list (f, "SELECT code FROM customers ORDER BY code");
  want = api_list (mine, "code");
  g_assert_cmpstr (got, ==, want);
  g_clear_pointer (&got, g_free);
  g_clear_pointer (&want, g_free);
  got = workspace_list (f, "SELECT waybill FROM shipments ORDER BY waybill");
  want = api_list (shipments, "waybill");
  g_assert_cmpstr (got, ==, want);
  g_clear_pointer (&got, g_free);
  g_clear_pointer (&want, g_free);
  got = workspace_list (f, "SELECT number FROM claims WHERE deleted = 0 ORDER BY number");
  want = api_list (claims, "number");
  g_assert_cmpstr (got, ==, want);
  g_clear_pointer (&got, g_free);
  g_clear_pointer (&want, g_free);
  /* every shipment and claim under the right customer */
  got = workspace_list (f, "SELECT s.waybill || ' ' || c.code FROM shipments s JOIN customers c "
                           "ON c.ref = s.customer_ref ORDER BY 1");
  {
    g_autoptr(GHashTable) code_of = g_hash_table_new (g_str_hash, g_str_equal);
    g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);
    g_autoptr(GString) s = g_string_new ("");

    for (guint i = 0; i < mine->len; i++)
      g_hash_table_insert (code_of, (gpointer) json_object_get_string_member (ITEM (mine, i), "id"),
                           (gpointer) json_object_get_string_member (ITEM (mine, i), "code"));
    for (guint i = 0; i < shipments->len; i++)
      g_ptr_array_add (lines, g_strdup_printf ("%s %s", json_object_get_string_member (ITEM (shipments, i), "waybill"),
                                               (const char *) g_hash_table_lookup (code_of,
                                                 json_object_get_string_member (ITEM (shipments, i), "customer_id"))));
    g_ptr_array_sort (lines, compare_strings);
    for (guint i = 0; i < lines->len; i++)
      g_string_append_printf (s, "%s\n", (const char *) g_ptr_array_index (lines, i));
    g_assert_cmpstr (got, ==, s->str);
  }
  g_clear_pointer (&got, g_free);

  {
    g_auto(KlTestRun) check = kl_test_cli_run (&f->cli, "check", NULL);
    g_auto(KlTestRun) again = kl_test_cli_run (&f->cli, "sync", NULL);

    g_assert_cmpint (check.status, ==, 0);
    g_assert_cmpint (again.status, ==, 0);
    g_assert_cmpstr (again.out, ==, "pulled 0, pushed 0, conflicts 0\n");
  }

  /* Reports equal the server's data: for each of kam1's accounts, its
   * busiest month and the month its latest case was filed, figure by
   * figure. */
  for (guint n = 0; n < 2 * mine->len; n++)
    {
      guint i = n / 2;
      const char *id = json_object_get_string_member (ITEM (mine, i), "id");
      const char *code = json_object_get_string_member (ITEM (mine, i), "code");
      g_autofree char *busiest = busiest_month (shipments, id);
      g_autofree char *month = n % 2 == 0 ? g_strdup (busiest) : latest_claim_month (claims, id);
      g_autoptr(JsonNode) json = NULL;
      JsonObject *fig;
      Counts c;

      if (month == NULL || (n % 2 == 1 && g_strcmp0 (month, busiest) == 0))
        continue;
      c = counts_from_api (shipments, id, month);
      {
        g_auto(KlTestRun) run = kl_test_cli_run (&f->cli, "report", "--customer", code, "--period", month,
                                                 "--format", "json", NULL);

        if (run.status != 0)
          g_printerr ("%s", run.err);
        g_assert_cmpint (run.status, ==, 0);
        json = kl_test_parse_json (run.out);
      }
      fig = json_object_get_object_member (json_node_get_object (json), "figures");
      g_assert_cmpint (json_object_get_int_member (fig, "shipments"), ==, c.shipments);
      g_assert_cmpint (json_object_get_int_member (fig, "pieces"), ==, c.pieces);
      g_assert_cmpint (json_object_get_int_member (fig, "dispatched"), ==, c.dispatched);
      g_assert_cmpint (json_object_get_int_member (fig, "delivered"), ==, c.delivered);
      g_assert_cmpint (json_object_get_int_member (fig, "damaged_pieces"), ==, c.damaged_pieces);
      g_assert_cmpint (json_object_get_int_member (fig, "short_pieces"), ==, c.short_pieces);
      g_assert_cmpint (json_object_get_int_member (fig, "incidents"), ==, c.incidents);
      g_assert_cmpfloat_with_epsilon (json_object_get_double_member (fig, "weight_kg"), c.weight_kg,
                                      1e-6 * MAX (1.0, c.weight_kg));
      g_assert_cmpfloat_with_epsilon (json_object_get_double_member (fig, "volume_m3"), c.volume_m3,
                                      1e-6 * MAX (1.0, c.volume_m3));
      assert_rate (fig, "document_accuracy_rate", c.documents_ok, c.documents_known);
      assert_rate (fig, "order_accuracy_rate", c.order_ok, c.order_known);
      assert_rate (fig, "incident_rate", c.incidents, c.shipments);
      assert_rate (fig, "damage_rate", c.damaged_pieces, c.delivered_pieces);
      assert_rate (fig, "shortage_rate", c.short_pieces, c.delivered_pieces);
      /* and the cases filed that month */
      {
        gint64 opened = 0;

        for (guint k = 0; k < claims->len; k++)
          {
            JsonObject *cl = ITEM (claims, k);
            g_autofree char *m = NULL;

            if (!g_str_equal (json_object_get_string_member (cl, "customer_id"), id) ||
                json_object_get_string_member_with_default (cl, "filed_at", NULL) == NULL)
              continue;
            m = month_of (json_object_get_string_member (cl, "filed_at"));
            if (g_str_equal (m, month))
              opened++;
          }
        g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (json_node_get_object (json),
                                                                                    "claims"), "opened"), ==, opened);
        if (opened > 0)
          reports_with_cases++;
      }
      reports++;
    }
  g_assert_cmpuint (reports, >, 0);
  g_assert_cmpuint (reports_with_cases, >, 0);

  /* A push round trip: claims opened in the synced workspace and a customer
   * edited. Local numbering used to start at CLM-YYYY-000001 beside the
   * numbers pulled from the server and failed on "UNIQUE constraint failed:
   * claims.number" at the first of kam1's numbers: open as many claims as
   * that takes. Their local numbers are provisional, shown as such, never
   * one of the server's; accepted, each takes the server's number. */
  {
    const char *code = json_object_get_string_member (ITEM (mine, 0), "code");
    const char *customer_id = json_object_get_string_member (ITEM (mine, 0), "id");
    g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
    g_autofree char *this_year = g_date_time_format (now, "CLM-%Y-");
    g_autoptr(GPtrArray) claim_ids = g_ptr_array_new_with_free_func (g_free);
    g_autoptr(GPtrArray) server_claims = pull_all (f, "claims", f->lead);
    g_autoptr(GHashTable) server_numbers = set_of (server_claims, "number");
    g_autoptr(GPtrArray) server_customers = NULL;
    g_autofree char *expected_push = NULL;
    gint64 n_open = G_MAXINT64;
    gboolean found = FALSE;

    for (guint i = 0; i < claims->len; i++)
      {
        const char *number = json_object_get_string_member (ITEM (claims, i), "number");

        if (g_str_has_prefix (number, this_year))
          n_open = MIN (n_open, g_ascii_strtoll (number + strlen (this_year), NULL, 10));
      }
    if (n_open == G_MAXINT64)
      n_open = 1;
    n_open = CLAMP (n_open, 1, 30);
    for (gint64 k = 0; k < n_open; k++)
      {
        g_auto(KlTestRun) run = kl_test_cli_run (&f->cli, "claims", "new", "--customer", code, "--kind", "damage",
                                                 "--note", "end-to-end", NULL);
        g_autofree char *sql = NULL;
        g_autofree char *number = NULL;

        if (run.status != 0)
          g_printerr ("%s", run.err);
        g_assert_cmpint (run.status, ==, 0);
        g_ptr_array_add (claim_ids, g_strdup (g_strstrip (run.out)));
        sql = g_strdup_printf ("SELECT number FROM claims WHERE id = '%s'", (char *) g_ptr_array_index (claim_ids, k));
        number = g_strstrip (workspace_list (f, sql));
        g_assert_false (g_hash_table_contains (server_numbers, number));
        g_assert_true (g_regex_match_simple ("^CLM-[0-9]{4}-P[0-9]{6}$", number, 0, 0));
      }
    {
      g_auto(KlTestRun) show = kl_test_cli_run (&f->cli, "claims", "show", g_ptr_array_index (claim_ids, 0), NULL);
      g_auto(KlTestRun) list = kl_test_cli_run (&f->cli, "claims", "list", "--customer", code, NULL);

      g_assert_cmpint (show.status, ==, 0);
      g_assert_nonnull (strstr (show.out, "-P000001 (provisional)"));
      g_assert_cmpint (list.status, ==, 0);
      g_assert_nonnull (strstr (list.out, "-P000001 (provisional)"));
    }
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(KlDatabase) db = kl_database_open (f->cli.workspace, 0, &error);
      g_autoptr(KlCustomer) cu = kl_customer_store_get_by_code (db, code, &error);

      g_assert_no_error (error);
      g_free (cu->notes);
      cu->notes = g_strdup ("Edited in the synced workspace");
      g_assert_true (kl_customer_store_save (db, cu, KL_ORIGIN_LOCAL, NULL, &error));
      g_assert_no_error (error);
    }
    /* and a customer created here (imported), kam1's */
    {
      g_autofree char *csv = g_build_filename (f->cli.dir, "new-customer.csv", NULL);
      g_auto(KlTestRun) run = { 0 };

      g_assert_true (g_file_set_contents (csv, "code,name,account_manager,status\nE2E-NEW,New Account,张伟,active\n",
                                          -1, NULL));
      run = kl_test_cli_run (&f->cli, "import", "customers", csv, NULL);
      g_assert_cmpint (run.status, ==, 0);
    }
    {
      g_auto(KlTestRun) run = kl_test_cli_run (&f->cli, "sync", NULL);

      if (run.status != 0)
        g_printerr ("%s", run.err);
      g_assert_cmpint (run.status, ==, 0);
      expected_push = g_strdup_printf (", pushed %" G_GINT64_FORMAT ", conflicts 0\n", n_open + 2);
      g_assert_true (g_str_has_suffix (run.out, expected_push));
    }
    /* each claim has the server's number, and the lead sees it there */
    g_clear_pointer (&server_claims, g_ptr_array_unref);
    server_claims = pull_all (f, "claims", f->lead);
    for (guint k = 0; k < claim_ids->len; k++)
      {
        g_autofree char *sql = g_strdup_printf ("SELECT number FROM claims WHERE id = '%s'",
                                                (char *) g_ptr_array_index (claim_ids, k));
        g_autofree char *number = g_strstrip (workspace_list (f, sql));

        g_assert_true (g_regex_match_simple ("^CLM-[0-9]{4}-[0-9]{6}$", number, 0, 0));
        found = FALSE;
        for (guint i = 0; i < server_claims->len; i++)
          {
            JsonObject *o = ITEM (server_claims, i);

            if (g_strcmp0 (json_object_get_string_member_with_default (o, "number", NULL), number) == 0)
              {
                g_assert_cmpstr (json_object_get_string_member (o, "customer_id"), ==, customer_id);
                g_assert_cmpstr (json_object_get_string_member (o, "kind"), ==, "damage");
                found = TRUE;
              }
          }
        g_assert_true (found);
      }
    /* and the customer edit, in the lead's feed */
    server_customers = pull_all (f, "customers", f->lead);
    found = FALSE;
    for (guint i = 0; i < server_customers->len; i++)
      if (g_str_equal (json_object_get_string_member (ITEM (server_customers, i), "id"), customer_id))
        {
          g_assert_cmpstr (json_object_get_string_member (ITEM (server_customers, i), "notes"), ==,
                           "Edited in the synced workspace");
          found = TRUE;
        }
    g_assert_true (found);
    /* the created customer is on the server, kam1's */
    g_clear_pointer (&server_customers, g_ptr_array_unref);
    server_customers = pull_all (f, "customers", f->kam1);
    found = FALSE;
    for (guint i = 0; i < server_customers->len; i++)
      if (g_str_equal (json_object_get_string_member (ITEM (server_customers, i), "code"), "E2E-NEW"))
        {
          g_assert_cmpstr (json_object_get_string_member (ITEM (server_customers, i), "name"), ==, "New Account");
          g_assert_cmpstr (json_object_get_string_member (ITEM (server_customers, i), "account_manager"), ==, "张伟");
          found = TRUE;
        }
    g_assert_true (found);

    {
      g_auto(KlTestRun) check = kl_test_cli_run (&f->cli, "check", NULL);
      g_auto(KlTestRun) again = kl_test_cli_run (&f->cli, "sync", NULL);

      g_assert_cmpint (check.status, ==, 0);
      g_assert_cmpint (again.status, ==, 0);
      g_assert_cmpstr (again.out, ==, "pulled 0, pushed 0, conflicts 0\n");
    }
    /* a note written here reaches the server as the patch's note, once */
    {
      g_auto(KlTestRun) note = kl_test_cli_run (&f->cli, "claims", "update", g_ptr_array_index (claim_ids, 0),
                                                "--note", "Written on the train", NULL);
      g_auto(KlTestRun) run = { 0 };
      g_auto(KlTestRun) again = { 0 };
      g_autoptr(GPtrArray) lead_claims = NULL;
      g_autofree char *sql = g_strdup_printf ("SELECT number FROM claims WHERE id = '%s'",
                                              (char *) g_ptr_array_index (claim_ids, 0));
      g_autofree char *number = g_strstrip (workspace_list (f, sql));
      guint seen = 0;

      g_assert_cmpint (note.status, ==, 0);
      run = kl_test_cli_run (&f->cli, "sync", NULL);
      if (run.status != 0)
        g_printerr ("%s", run.err);
      g_assert_cmpint (run.status, ==, 0);
      g_assert_true (g_str_has_suffix (run.out, ", pushed 1, conflicts 0\n"));
      again = kl_test_cli_run (&f->cli, "sync", NULL);
      g_assert_true (g_str_has_suffix (again.out, ", pushed 0, conflicts 0\n"));
      lead_claims = pull_all (f, "claims", f->lead);
      for (guint i = 0; i < lead_claims->len; i++)
        if (g_strcmp0 (json_object_get_string_member_with_default (ITEM (lead_claims, i), "number", NULL), number) == 0)
          {
            JsonArray *notes = json_object_get_array_member (ITEM (lead_claims, i), "notes");

            for (guint k = 0; k < json_array_get_length (notes); k++)
              if (g_strcmp0 (json_object_get_string_member (json_array_get_object_element (notes, k), "text"),
                             "Written on the train") == 0)
                seen++;
          }
      g_assert_cmpuint (seen, ==, 1);
    }
    /* Offline on both sides: a move here, the owner set there by the lead.
     * The push meets a 412, takes the owner in and goes again; the case's
     * history holds every entry once, ours and the lead's, as the server's
     * does (matched entry by entry, not by count). */
    {
      const char *id = g_ptr_array_index (claim_ids, 0);
      g_autofree char *sql = g_strdup_printf ("SELECT number FROM claims WHERE id = '%s'", id);
      g_autofree char *number = g_strstrip (workspace_list (f, sql));
      g_auto(KlTestRun) move = kl_test_cli_run (&f->cli, "claims", "move", number, "acknowledged", NULL);
      g_auto(KlTestRun) run = { 0 };
      g_auto(KlTestRun) full = { 0 };
      g_auto(KlTestRun) check = { 0 };
      g_autoptr(GPtrArray) lead_claims = pull_all (f, "claims", f->lead);
      JsonObject *there = NULL;
      g_autofree char *local_count = NULL, *moves = NULL, *owner = NULL;
      guint server_entries = 0;

      g_assert_cmpint (move.status, ==, 0);
      for (guint i = 0; i < lead_claims->len; i++)
        if (g_strcmp0 (json_object_get_string_member_with_default (ITEM (lead_claims, i), "number", NULL), number) == 0)
          there = ITEM (lead_claims, i);
      g_assert_nonnull (there);
      {
        g_autofree char *path = g_strdup_printf ("/v1/claims/%s", json_object_get_string_member (there, "id"));

        g_assert_cmpuint (api_patch (f->base, path, f->lead, json_object_get_int_member (there, "revision"),
                                     "{\"owner\": \"Lead Owner\"}"), ==, 200);
      }
      run = kl_test_cli_run (&f->cli, "sync", NULL);
      if (run.status != 0)
        g_printerr ("%s", run.err);
      g_assert_cmpint (run.status, ==, 0);
      g_assert_true (g_str_has_suffix (run.out, ", pushed 1, conflicts 0\n"));
      full = kl_test_cli_run (&f->cli, "sync", "--full", NULL);
      g_assert_cmpint (full.status, ==, 0);
      g_clear_pointer (&lead_claims, g_ptr_array_unref);
      lead_claims = pull_all (f, "claims", f->lead);
      for (guint i = 0; i < lead_claims->len; i++)
        if (g_strcmp0 (json_object_get_string_member_with_default (ITEM (lead_claims, i), "number", NULL), number) == 0)
          {
            g_assert_cmpstr (json_object_get_string_member (ITEM (lead_claims, i), "status"), ==, "acknowledged");
            g_assert_cmpstr (json_object_get_string_member (ITEM (lead_claims, i), "owner"), ==, "Lead Owner");
            server_entries = json_array_get_length (json_object_get_array_member (ITEM (lead_claims, i), "history"));
          }
      g_assert_cmpuint (server_entries, >=, 4);   /* opened, the note, the owner, the move */
      g_free (sql);
      sql = g_strdup_printf ("SELECT count(*) FROM claim_history WHERE claim_id = '%s'", id);
      local_count = g_strstrip (workspace_list (f, sql));
      g_assert_cmpint (g_ascii_strtoll (local_count, NULL, 10), ==, server_entries);
      g_free (sql);
      sql = g_strdup_printf ("SELECT count(*) FROM claim_history WHERE claim_id = '%s' AND change = 'moved'", id);
      moves = g_strstrip (workspace_list (f, sql));
      g_assert_cmpstr (moves, ==, "1");
      g_free (sql);
      sql = g_strdup_printf ("SELECT owner FROM claims WHERE id = '%s'", id);
      owner = g_strstrip (workspace_list (f, sql));
      g_assert_cmpstr (owner, ==, "Lead Owner");
      check = kl_test_cli_run (&f->cli, "check", NULL);
      g_assert_cmpint (check.status, ==, 0);
    }
    /* the workspace and the server agree again, record for record */
    {
      g_autoptr(GPtrArray) kam1_claims = pull_all (f, "claims", f->kam1);
      g_autofree char *local = workspace_list (f, "SELECT code FROM customers ORDER BY code");
      g_autofree char *remote = api_list (server_customers, "code");

      g_assert_cmpstr (local, ==, remote);
      g_free (local);
      g_free (remote);
      local = workspace_list (f, "SELECT number FROM claims WHERE deleted = 0 ORDER BY number");
      remote = api_list (kam1_claims, "number");
      g_assert_cmpstr (local, ==, remote);
    }
  }
}

/* `sync login` with kam1's token on standard input (no KEYLINE_TOKEN): it
 * checks the token, keeps the server in the workspace and the token in the
 * keyring; then `sync` alone brings kam1's accounts. Needs a Secret Service:
 * build-aux/with-keyring.sh gives a throwaway one (KEYLINE_TEST_KEYRING). */
static void
test_login_sync (Fixture *f, gconstpointer data)
{
  g_autoptr(GSubprocessLauncher) l = NULL;
  g_autoptr(GSubprocess) p = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) mine = NULL;
  g_autoptr(GPtrArray) shipments = NULL;
  g_autoptr(GPtrArray) claims = NULL;
  g_autofree char *stdin_text = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *got = NULL;
  g_autofree char *want = NULL;
  g_autofree char *bytes = NULL;
  gsize len = 0;

  if (skip (f))
    return;
  if (g_getenv ("KEYLINE_TEST_KEYRING") == NULL)
    {
      g_test_skip ("no throwaway keyring (run under build-aux/with-keyring.sh)");
      return;
    }
  f->cli.env = g_environ_unsetenv (f->cli.env, "KEYLINE_TOKEN");
  f->cli.env = g_environ_unsetenv (f->cli.env, "KEYLINE_SERVER");

  l = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                 G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_set_environ (l, f->cli.env);
  g_subprocess_launcher_set_cwd (l, f->cli.dir);
  p = g_subprocess_launcher_spawn (l, &error, g_getenv ("KEYLINE_CLI"), "--workspace", f->cli.workspace,
                                   "sync", "login", "--server", f->base, NULL);
  g_assert_no_error (error);
  stdin_text = g_strdup_printf ("%s\n", f->kam1);
  g_subprocess_communicate_utf8 (p, stdin_text, NULL, &out, &err, &error);
  g_assert_no_error (error);
  if (g_subprocess_get_exit_status (p) != 0)
    g_printerr ("%s", err);
  g_assert_cmpint (g_subprocess_get_exit_status (p), ==, 0);
  expected = g_strdup_printf ("Signed in to %s as 张伟 (kam1)", f->base);
  g_assert_true (g_str_has_prefix (out, expected));

  mine = pull_all (f, "customers", f->kam1);
  shipments = pull_all (f, "shipments", f->kam1);
  claims = pull_all (f, "claims", f->kam1);
  {
    g_auto(KlTestRun) run = kl_test_cli_run (&f->cli, "sync", NULL);

    if (run.status != 0)
      g_printerr ("%s", run.err);
    g_assert_cmpint (run.status, ==, 0);
    g_free (expected);
    expected = g_strdup_printf ("pulled %u, pushed 0, conflicts 0\n", mine->len + shipments->len + claims->len);
    g_assert_cmpstr (last_line (run.out), ==, expected);
  }
  got = workspace_list (f, "SELECT code FROM customers ORDER BY code");
  want = api_list (mine, "code");
  g_assert_cmpstr (got, ==, want);
  /* the token is in the keyring, never in the workspace */
  g_assert_true (g_file_get_contents (f->cli.workspace, &bytes, &len, NULL));
  for (gsize i = 0; i + strlen (f->kam1) <= len; i++)
    g_assert_false (memcmp (bytes + i, f->kam1, strlen (f->kam1)) == 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/sync-server/demo", Fixture, NULL, fixture_set_up, test_demo_sync, fixture_tear_down);
  g_test_add ("/sync-server/login", Fixture, NULL, fixture_set_up, test_login_sync, fixture_tear_down);
  return g_test_run ();
}
