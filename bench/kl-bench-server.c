/* SPDX-License-Identifier: GPL-3.0-or-later */
/* keyline-bench-server: keyline-server under 20 concurrent clients. Fills a
 * fresh database with `keyline-server demo`, starts --servers server
 * processes on it (as behind a load balancer), and has --clients threads
 * spread over them:
 *   1. pull /v1/shipments in pages of 100 as the lead, walking the cursor
 *      and starting over at the end, for --seconds;
 *   2. create claims (POST /v1/claims with an Idempotency-Key), for
 *      --seconds.
 * Prints one line per figure, "NAME VALUE UNIT": requests per second, p50
 * and p99 latency, and wall time beside the CPU time of the servers and of
 * this process. Notes go to standard error. Nothing passes or fails on a
 * clock.
 *
 *   build-aux/with-postgres.sh _build/bench/keyline-bench-server
 *   _build/bench/keyline-bench-server --database postgresql:///keyline_bench
 *   _build/bench/keyline-bench-server --database sqlite:/tmp/bench.db   (to compare)
 */
#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "kl-bench-proc.h"

static char *opt_database;
static char *opt_server = NULL;
static int opt_clients = 20;
static int opt_servers = 2;
static int opt_seconds = 10;
static int opt_customers = 40;

static const GOptionEntry entries[] = {
  { "database", 'd', 0, G_OPTION_ARG_STRING, &opt_database,
    "A fresh database (default: $KEYLINE_TEST_POSTGRES, as build-aux/with-postgres.sh sets it)", "URL" },
  { "server", 0, 0, G_OPTION_ARG_FILENAME, &opt_server, "keyline-server to run (default: the build's)", "PATH" },
  { "clients", 'c', 0, G_OPTION_ARG_INT, &opt_clients, "Concurrent clients (default 20)", "N" },
  { "servers", 's', 0, G_OPTION_ARG_INT, &opt_servers, "Server processes sharing the database (default 2)", "N" },
  { "seconds", 't', 0, G_OPTION_ARG_INT, &opt_seconds, "Seconds per phase (default 10)", "N" },
  { "customers", 0, 0, G_OPTION_ARG_INT, &opt_customers, "Demo customers (default 40)", "N" },
  { NULL }
};

static void
figure (const char *prefix, const char *name, double value, int decimals, const char *unit)
{
  printf ("%s_%s %.*f %s\n", prefix, name, decimals, value, unit);
  fflush (stdout);
}

static void note (const char *format, ...) G_GNUC_PRINTF (1, 2);

static void
note (const char *format, ...)
{
  va_list args;
  va_start (args, format);
  fputs ("# ", stderr);
  vfprintf (stderr, format, args);
  fputc ('\n', stderr);
  va_end (args);
}

/* ---- the servers ---- */

typedef struct {
  GSubprocess *process;
  GPid         pid;
  int          port;
  char        *base;   /* http://127.0.0.1:PORT */
  char        *log;    /* its standard error: the request log */
} Server;

static int
free_port (void)
{
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                            G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  if (socket == NULL || !g_socket_bind (socket, any, FALSE, NULL) ||
      (bound = g_socket_get_local_address (socket, NULL)) == NULL)
    g_error ("cannot find a free port on 127.0.0.1");
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

/* Starts a server and waits for its "listening on" line. */
static void
server_start (Server *server, const char *log_dir, int index)
{
  g_autoptr(GSubprocessLauncher) launcher =
      g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autoptr(GDataInputStream) out = NULL;
  g_autofree char *listen = NULL;
  g_autoptr(GError) error = NULL;

  server->port = free_port ();
  listen = g_strdup_printf ("127.0.0.1:%d", server->port);
  server->base = g_strdup_printf ("http://%s", listen);
  server->log = g_strdup_printf ("%s/server-%d.log", log_dir, index);
  g_subprocess_launcher_set_stderr_file_path (launcher, server->log);
  server->process = g_subprocess_launcher_spawn (launcher, &error, opt_server, "--database",
                                                 opt_database, "--listen", listen,
                                                 "--rate-limit", "0", NULL);
  if (server->process == NULL)
    g_error ("cannot start %s: %s", opt_server, error->message);
  server->pid = (GPid) g_ascii_strtoll (g_subprocess_get_identifier (server->process), NULL, 10);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (server->process));
  for (;;)
    {
      g_autofree char *line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);
      if (line == NULL)
        g_error ("keyline-server on port %d ended before it listened; %s says why",
                 server->port, server->log);
      if (g_str_has_prefix (line, "listening on"))
        break;
    }
}

static void
server_stop (Server *server)
{
  g_subprocess_send_signal (server->process, SIGTERM);
  g_subprocess_wait (server->process, NULL, NULL);
  g_clear_object (&server->process);
  g_free (server->base);
  g_free (server->log);
}

static double
self_cpu (void)
{
  struct rusage ru;
  getrusage (RUSAGE_SELF, &ru);
  return (double) ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 +
         (double) ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
}

/* ---- the clients ---- */

typedef enum { PHASE_PULL, PHASE_CLAIMS } Phase;

typedef struct {
  Phase        phase;
  const char  *base;
  const char  *token;
  GPtrArray   *customers;   /* ids to open claims for */
  gint64       until;       /* monotonic µs */
  guint        index;
  GArray      *latencies;   /* double ms of each successful request */
  guint        errors;
  char        *first_error;
} Client;

static JsonObject *
parse_object (GBytes *bytes)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  gsize len;
  const char *data = g_bytes_get_data (bytes, &len);
  JsonNode *root;
  if (!json_parser_load_from_data (parser, data, (gssize) len, NULL))
    return NULL;
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;
  return json_object_ref (json_node_get_object (root));
}

static void
client_error (Client *c, guint status, GBytes *body, const char *what)
{
  c->errors++;
  if (c->first_error == NULL)
    {
      gsize len = 0;
      const char *data = body ? g_bytes_get_data (body, &len) : "";
      c->first_error = g_strdup_printf ("%s: HTTP %u %.*s", what, status, (int) MIN (len, 300),
                                        data);
    }
}

static gpointer
client_thread (gpointer data)
{
  Client *c = data;
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(SoupSession) session = NULL;
  g_autofree char *auth = g_strdup_printf ("Bearer %s", c->token);
  g_autofree char *cursor = NULL;
  guint n = 0;

  g_main_context_push_thread_default (context);
  session = soup_session_new_with_options ("max-conns-per-host", 2, "timeout", 60, NULL);
  while (g_get_monotonic_time () < c->until)
    {
      g_autoptr(SoupMessage) msg = NULL;
      g_autoptr(GBytes) body = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *uri = NULL;
      guint status;
      gint64 start;

      if (c->phase == PHASE_PULL)
        {
          g_autofree char *escaped = cursor ? g_uri_escape_string (cursor, NULL, FALSE) : NULL;
          uri = g_strdup_printf ("%s/v1/shipments?limit=100%s%s", c->base,
                                 escaped ? "&cursor=" : "", escaped ? escaped : "");
          msg = soup_message_new ("GET", uri);
        }
      else
        {
          g_autofree char *key = g_uuid_string_random ();
          g_autofree char *text = g_strdup_printf (
              "{\"customer_id\":\"%s\",\"kind\":\"damage\",\"description\":\"bench %u-%u\"}",
              (const char *) g_ptr_array_index (c->customers, (c->index + n) % c->customers->len),
              c->index, n);
          gsize len = strlen (text);
          g_autoptr(GBytes) bytes = g_bytes_new_take (g_steal_pointer (&text), len);
          uri = g_strdup_printf ("%s/v1/claims", c->base);
          msg = soup_message_new ("POST", uri);
          soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
          soup_message_headers_replace (soup_message_get_request_headers (msg),
                                        "Idempotency-Key", key);
        }
      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization",
                                    auth);
      start = g_get_monotonic_time ();
      body = soup_session_send_and_read (session, msg, NULL, &error);
      status = soup_message_get_status (msg);
      n++;
      if (body == NULL)
        {
          client_error (c, 0, NULL, error->message);
          continue;
        }
      if ((c->phase == PHASE_PULL && status != 200) || (c->phase == PHASE_CLAIMS && status != 201))
        {
          client_error (c, status, body, uri);
          continue;
        }
      {
        double ms = (double) (g_get_monotonic_time () - start) / 1000.0;
        g_array_append_val (c->latencies, ms);
      }
      if (c->phase == PHASE_PULL)
        {
          g_autoptr(JsonObject) page = parse_object (body);
          if (page == NULL)
            {
              client_error (c, status, body, "a page that is not JSON");
              continue;
            }
          g_clear_pointer (&cursor, g_free);
          if (json_object_get_boolean_member_with_default (page, "has_more", FALSE))
            cursor = g_strdup (json_object_get_string_member_with_default (page, "next_cursor",
                                                                           NULL));
        }
    }
  g_main_context_pop_thread_default (context);
  return NULL;
}

static int
compare_double (gconstpointer a, gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return x < y ? -1 : x > y;
}

static double
percentile (GArray *sorted, double p)
{
  guint i;
  if (sorted->len == 0)
    return 0;
  i = (guint) (p * (sorted->len - 1) + 0.5);
  return g_array_index (sorted, double, i);
}

static void
run_phase (const char *prefix, const char *name, const char *unit, Phase phase, Server *servers,
           const char *token, GPtrArray *customers)
{
  g_autofree Client *clients = g_new0 (Client, opt_clients);
  g_autofree GThread **threads = g_new0 (GThread *, opt_clients);
  g_autoptr(GArray) all = g_array_new (FALSE, FALSE, sizeof (double));
  double server_cpu = 0, client_cpu;
  gint64 start, until;
  guint errors = 0;
  double wall;

  for (int i = 0; i < opt_servers; i++)
    server_cpu -= kl_bench_process_cpu_s (servers[i].pid);
  client_cpu = -self_cpu ();
  start = g_get_monotonic_time ();
  until = start + (gint64) opt_seconds * G_USEC_PER_SEC;
  for (int i = 0; i < opt_clients; i++)
    {
      clients[i] = (Client) { phase, servers[i % opt_servers].base, token, customers, until,
                              (guint) i, g_array_new (FALSE, FALSE, sizeof (double)), 0, NULL };
      threads[i] = g_thread_new ("client", client_thread, &clients[i]);
    }
  for (int i = 0; i < opt_clients; i++)
    {
      g_thread_join (threads[i]);
      g_array_append_vals (all, clients[i].latencies->data, clients[i].latencies->len);
      errors += clients[i].errors;
      if (clients[i].first_error != NULL && errors == clients[i].errors)
        note ("%s: %s", name, clients[i].first_error);
      g_array_unref (clients[i].latencies);
      g_free (clients[i].first_error);
    }
  wall = (double) (g_get_monotonic_time () - start) / G_USEC_PER_SEC;
  client_cpu += self_cpu ();
  for (int i = 0; i < opt_servers; i++)
    server_cpu += kl_bench_process_cpu_s (servers[i].pid);
  g_array_sort (all, compare_double);

  {
    g_autofree char *rate = g_strdup_printf ("%s_per_s", name);
    g_autofree char *p50 = g_strdup_printf ("%s_p50_ms", name);
    g_autofree char *p99 = g_strdup_printf ("%s_p99_ms", name);
    g_autofree char *w = g_strdup_printf ("%s_wall_s", name);
    g_autofree char *sc = g_strdup_printf ("%s_server_cpu_s", name);
    g_autofree char *cc = g_strdup_printf ("%s_client_cpu_s", name);
    g_autofree char *e = g_strdup_printf ("%s_errors", name);
    g_autofree char *per_s = g_strdup_printf ("%s/s", unit);
    figure (prefix, rate, all->len / wall, 1, per_s);
    figure (prefix, p50, percentile (all, 0.50), 2, "ms");
    figure (prefix, p99, percentile (all, 0.99), 2, "ms");
    figure (prefix, w, wall, 2, "s");
    figure (prefix, sc, server_cpu, 2, "s");
    figure (prefix, cc, client_cpu, 2, "s");
    figure (prefix, e, errors, 0, "requests");
  }
}

/* Runs `keyline-server ARGS` to the end; returns its standard output. */
static char *
run_server_command (const char * const *args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  char *out = NULL;
  g_autofree char *err = NULL;
  int status;
  g_ptr_array_add (argv, opt_server);
  g_ptr_array_add (argv, (gpointer) "--database");
  g_ptr_array_add (argv, opt_database);
  for (guint i = 0; args[i]; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  if (!g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err,
                     &status, &error) ||
      !g_spawn_check_wait_status (status, &error))
    g_error ("keyline-server %s failed: %s\n%s", args[0], error->message, err ? err : "");
  return out;
}

/* The ids of the customers the lead sees, through the API. */
static GPtrArray *
customer_ids (const char *base, const char *token)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *uri = g_strdup_printf ("%s/v1/customers?limit=1000", base);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", uri);
  g_autofree char *auth = g_strdup_printf ("Bearer %s", token);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) page = NULL;
  GPtrArray *ids = g_ptr_array_new_with_free_func (g_free);
  JsonArray *items;

  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
  body = soup_session_send_and_read (session, msg, NULL, &error);
  if (body == NULL || soup_message_get_status (msg) != 200 || (page = parse_object (body)) == NULL)
    g_error ("GET %s failed (%u)", uri, soup_message_get_status (msg));
  items = json_object_get_array_member (page, "items");
  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonObject *c = json_array_get_object_element (items, i);
      if (!json_object_get_boolean_member_with_default (c, "deleted", FALSE))
        g_ptr_array_add (ids, g_strdup (json_object_get_string_member (c, "id")));
    }
  if (ids->len == 0)
    g_error ("the demo made no customers");
  return ids;
}

int
main (int argc, char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *demo_out = NULL;
  g_autofree char *token = NULL;
  g_autofree Server *servers = NULL;
  g_autoptr(GPtrArray) customers = NULL;
  g_auto(GStrv) lines = NULL;
  const char *prefix;
  g_autofree char *log_dir = NULL;
  const char * const demo_args[] = { "demo", "--customers", NULL, NULL };
  g_autofree char *customers_text = NULL;

  g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_set_summary (context,
    "Runs keyline-server on a fresh database with concurrent clients and prints one line\n"
    "per figure: NAME VALUE UNIT. Notes go to standard error.");
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("keyline-bench-server: %s\n", error->message);
      return 64;
    }
  if (opt_database == NULL)
    opt_database = g_strdup (g_getenv ("KEYLINE_TEST_POSTGRES"));
  if (opt_database == NULL)
    {
      g_printerr ("keyline-bench-server: give --database URL (a fresh database), or run it "
                  "under build-aux/with-postgres.sh\n");
      return 64;
    }
  if (opt_server == NULL)
    opt_server = g_strdup (KL_BENCH_SERVER);
  if (opt_clients < 1 || opt_servers < 1 || opt_seconds < 1 || opt_customers < 1)
    {
      g_printerr ("keyline-bench-server: --clients, --servers, --seconds and --customers are "
                  "at least 1\n");
      return 64;
    }
  prefix = g_str_has_prefix (opt_database, "sqlite:") ? "server_sqlite" : "server_pg";

  /* The demo's lead token (lines "NAME\tROLE\tTOKEN"). */
  customers_text = g_strdup_printf ("%d", opt_customers);
  ((const char **) demo_args)[2] = customers_text;
  note ("filling the database with keyline-server demo --customers %d", opt_customers);
  demo_out = run_server_command (demo_args);
  lines = g_strsplit (demo_out, "\n", -1);
  for (guint i = 0; lines[i]; i++)
    {
      g_auto(GStrv) fields = g_strsplit (lines[i], "\t", 3);
      if (g_strv_length (fields) == 3 && g_str_equal (fields[1], "lead"))
        token = g_strdup (fields[2]);
      else if (g_str_has_prefix (lines[i], "demo:"))
        note ("%s", lines[i]);
    }
  if (token == NULL)
    g_error ("keyline-server demo printed no lead token:\n%s", demo_out);

  log_dir = g_dir_make_tmp ("keyline-bench-server-XXXXXX", &error);
  if (log_dir == NULL)
    g_error ("%s", error->message);
  servers = g_new0 (Server, opt_servers);
  for (int i = 0; i < opt_servers; i++)
    server_start (&servers[i], log_dir, i);
  note ("%d server processes, %d clients, %d s per phase", opt_servers, opt_clients, opt_seconds);
  customers = customer_ids (servers[0].base, token);

  figure (prefix, "servers", opt_servers, 0, "processes");
  figure (prefix, "clients", opt_clients, 0, "clients");
  run_phase (prefix, "pull_pages", "pages", PHASE_PULL, servers, token, customers);
  run_phase (prefix, "claim_creates", "claims", PHASE_CLAIMS, servers, token, customers);

  for (int i = 0; i < opt_servers; i++)
    server_stop (&servers[i]);
  note ("the servers' request logs are in %s", log_dir);
  return 0;
}
