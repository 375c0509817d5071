/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The sync pull's speed: see kl-bench-sync.h. */

#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <sys/resource.h>
#include <unistd.h>
#include <glib/gstdio.h>
#include <libsoup/soup.h>
#include <string.h>

#include "kl-bench-proc.h"
#include "kl-bench-sync.h"
#include "kl-sync-engine.h"

#define PAGE 1000
#define TOKEN "bench-token"

typedef struct {
  GPtrArray    *pages;       /* JSON text of each shipments page */
  char         *customers;   /* the one customers page */
  GMainContext *context;
  GMainLoop    *loop;
  SoupServer   *server;
  char         *url;
  GMutex        lock;
  GCond         ready;
} Office;

static void
handle (SoupServer *server, SoupServerMessage *msg, const char *path, GHashTable *query, gpointer data)
{
  Office *o = data;
  const char *cursor = query ? g_hash_table_lookup (query, "cursor") : NULL;
  const char *text;

  if (g_str_equal (path, "/v1/customers"))
    text = cursor ? "{\"items\": [], \"next_cursor\": \"1\", \"has_more\": false}" : o->customers;
  else if (g_str_equal (path, "/v1/shipments"))
    {
      guint page = cursor ? (guint) g_ascii_strtoull (cursor, NULL, 10) : 0;

      text = page < o->pages->len ? g_ptr_array_index (o->pages, page)
                                  : "{\"items\": [], \"next_cursor\": \"x\", \"has_more\": false}";
    }
  else
    text = "{\"items\": [], \"next_cursor\": \"0\", \"has_more\": false}";
  soup_server_message_set_status (msg, 200, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC, text, strlen (text));
}

static gpointer
serve (gpointer data)
{
  Office *o = data;
  GSList *uris;

  g_main_context_push_thread_default (o->context);
  o->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (o->server, "/v1", handle, o, NULL);
  soup_server_listen_local (o->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, NULL);
  uris = soup_server_get_uris (o->server);
  g_mutex_lock (&o->lock);
  o->url = g_uri_to_string_partial (uris->data, G_URI_HIDE_PASSWORD);
  o->url[strlen (o->url) - 1] = '\0';
  g_cond_signal (&o->ready);
  g_mutex_unlock (&o->lock);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  g_main_loop_run (o->loop);
  g_clear_object (&o->server);
  g_main_context_pop_thread_default (o->context);
  return NULL;
}

/* user + system CPU seconds of the process, all threads. */
static double
cpu_s (void)
{
  struct rusage usage;

  if (getrusage (RUSAGE_SELF, &usage) != 0)
    return 0;
  return usage.ru_utime.tv_sec + usage.ru_utime.tv_usec / 1e6 +
         usage.ru_stime.tv_sec + usage.ru_stime.tv_usec / 1e6;
}

static gboolean
quit (gpointer data)
{
  g_main_loop_quit (((Office *) data)->loop);
  return G_SOURCE_REMOVE;
}

gboolean
kl_bench_sync_pull (const char  *dir,
                    gint64       n,
                    double      *out_rows_per_s,
                    double      *out_rows_per_cpu_s,
                    GError     **error)
{
  const char *customer = "0b5c3a52-6a43-4c1e-9d7e-2f6c1f1d2a11";
  Office o = { 0 };
  GThread *thread;
  g_autofree char *path = g_build_filename (dir, "sync-pull.db", NULL);
  g_autoptr(KlDatabase) db = NULL;
  g_autoptr(KlSyncClient) client = NULL;
  KlSyncOptions options = { FALSE, FALSE, PAGE };
  KlSyncStats stats;
  gint64 start;
  double cpu;
  gboolean ok;

  o.pages = g_ptr_array_new_with_free_func (g_free);
  o.customers = g_strdup_printf ("{\"items\": [{\"id\": \"%s\", \"revision\": 1, \"updated_at\": "
                                 "\"2026-01-01T00:00:00Z\", \"deleted\": false, \"code\": \"BENCH\", \"name\": \"Bench\", "
                                 "\"kind\": \"enterprise\", \"channel\": \"end_customer\", \"relationship\": \"basic\", "
                                 "\"status\": \"active\"}], \"next_cursor\": \"1\", \"has_more\": false}", customer);
  for (gint64 i = 0; i < n; i += PAGE)
    {
      GString *s = g_string_new ("{\"items\": [");

      for (gint64 j = i; j < MIN (n, i + PAGE); j++)
        {
          int month = 1 + (int) (j % 12), day = 1 + (int) (j % 27);

          g_string_append_printf (s, "%s{\"id\": \"%08" G_GINT64_MODIFIER "x-0000-4000-8000-000000000000\", "
                                  "\"revision\": 1, \"updated_at\": \"2026-01-01T00:00:00Z\", \"deleted\": false, "
                                  "\"waybill\": \"SP%010" G_GINT64_FORMAT "\", \"customer_id\": \"%s\", "
                                  "\"status\": \"delivered\", \"mode\": \"road_ltl\", \"origin_city\": \"上海\", "
                                  "\"origin_region\": \"华东\", \"dest_city\": \"广州\", \"dest_region\": \"华南\", "
                                  "\"pieces\": %d, \"weight_kg\": 12.5, \"volume_m3\": null, "
                                  "\"planned_pickup_at\": \"2026-%02d-%02dT08:00:00+08:00\", "
                                  "\"picked_up_at\": \"2026-%02d-%02dT09:00:00+08:00\", "
                                  "\"planned_delivery_at\": \"2026-%02d-%02dT18:00:00+08:00\", "
                                  "\"delivered_at\": \"2026-%02d-%02dT17:00:00+08:00\", \"documents_ok\": true, "
                                  "\"order_accurate\": null, \"damaged_pieces\": 0, \"short_pieces\": 0, "
                                  "\"incident\": false, \"revenue\": {\"amount_minor\": 12000, \"currency\": \"CNY\"}}",
                                  j > i ? ", " : "", j, j, customer, 1 + (int) (j % 9),
                                  month, day, month, day, month, day + 1, month, day + 1);
        }
      g_string_append_printf (s, "], \"next_cursor\": \"%u\", \"has_more\": %s}", o.pages->len + 1,
                              i + PAGE < n ? "true" : "false");
      g_ptr_array_add (o.pages, g_string_free (s, FALSE));
    }

  g_mutex_init (&o.lock);
  g_cond_init (&o.ready);
  o.context = g_main_context_new ();
  o.loop = g_main_loop_new (o.context, FALSE);
  g_mutex_lock (&o.lock);
  thread = g_thread_new ("bench-office", serve, &o);
  while (o.url == NULL)
    g_cond_wait (&o.ready, &o.lock);
  g_mutex_unlock (&o.lock);

  db = kl_database_open (path, KL_DATABASE_OPEN_CREATE, error);
  ok = db != NULL && (client = kl_sync_client_new (o.url, TOKEN, error)) != NULL;
  start = g_get_monotonic_time ();
  cpu = cpu_s ();
  ok = ok && kl_sync_run (db, client, &options, NULL, NULL, &stats, NULL, error);
  if (ok)
    {
      *out_rows_per_s = stats.pulled / MAX ((g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC, 1e-6);
      *out_rows_per_cpu_s = stats.pulled / MAX (cpu_s () - cpu, 1e-6);
    }

  g_main_context_invoke (o.context, quit, &o);
  g_thread_join (thread);
  g_main_loop_unref (o.loop);
  g_main_context_unref (o.context);
  g_ptr_array_unref (o.pages);
  g_free (o.customers);
  g_free (o.url);
  g_mutex_clear (&o.lock);
  g_cond_clear (&o.ready);
  g_clear_object (&db);
  for (guint i = 0; i < 3; i++)
    {
      const char *suffix[] = { "", "-wal", "-shm" };
      g_autofree char *p = g_strconcat (path, suffix[i], NULL);

      g_unlink (p);
    }
  return ok;
}

/* ---- against keyline-server ---- */

static guint16
free_port (void)
{
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                            G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;

  if (socket == NULL || !g_socket_bind (socket, any, FALSE, NULL) ||
      (bound = g_socket_get_local_address (socket, NULL)) == NULL)
    return 0;
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

gboolean
kl_bench_sync_pull_server (const char         *dir,
                           const char         *server_path,
                           guint               customers,
                           KlBenchSyncServer  *out,
                           GError            **error)
{
  g_autofree char *office = g_build_filename (dir, "office.db", NULL);
  g_autofree char *office_url = g_strconcat ("sqlite:", office, NULL);
  g_autofree char *path = g_build_filename (dir, "sync-pull-server.db", NULL);
  g_autofree char *customers_text = g_strdup_printf ("%u", customers);
  g_autofree char *listen = NULL, *url = NULL, *demo_out = NULL, *token = NULL;
  g_autoptr(GSubprocess) demo = NULL, server = NULL;
  g_autoptr(GDataInputStream) lines = NULL;
  g_autoptr(KlDatabase) db = NULL;
  g_autoptr(KlSyncClient) client = NULL;
  g_auto(GStrv) demo_lines = NULL;
  KlSyncOptions options = { FALSE, FALSE, PAGE };
  KlSyncStats stats;
  GPid pid;
  guint16 port;
  gint64 start;
  double cpu, server_cpu, wall;
  gboolean ok;

  /* The office: the app's demo data (keyline-server demo), its lead's token. */
  demo = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_SILENCE, error,
                           server_path, "--database", office_url, "demo", "--customers", customers_text, NULL);
  if (demo == NULL || !g_subprocess_communicate_utf8 (demo, NULL, NULL, &demo_out, NULL, error))
    return FALSE;
  if (!g_subprocess_get_successful (demo))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s demo failed", server_path);
      return FALSE;
    }
  demo_lines = g_strsplit (demo_out, "\n", -1);
  for (guint i = 0; demo_lines[i] != NULL && token == NULL; i++)
    if (g_str_has_prefix (demo_lines[i], "lead\t") && strrchr (demo_lines[i], '\t') != NULL)
      token = g_strdup (strrchr (demo_lines[i], '\t') + 1);
  if (token == NULL || (port = free_port ()) == 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s demo printed no token for lead, or no port is free",
                   server_path);
      return FALSE;
    }

  listen = g_strdup_printf ("127.0.0.1:%u", port);
  url = g_strdup_printf ("http://%s", listen);
  server = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_SILENCE, error,
                             server_path, "--database", office_url, "--listen", listen, "--rate-limit", "0", NULL);
  if (server == NULL)
    return FALSE;
  pid = (GPid) g_ascii_strtoll (g_subprocess_get_identifier (server), NULL, 10);
  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (server));
  for (;;)
    {
      g_autofree char *line = g_data_input_stream_read_line_utf8 (lines, NULL, NULL, error);

      if (line == NULL)
        {
          if (error != NULL && *error == NULL)
            g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s ended before it listened", server_path);
          g_subprocess_force_exit (server);
          return FALSE;
        }
      if (g_str_has_prefix (line, "listening on"))
        break;
    }

  db = kl_database_open (path, KL_DATABASE_OPEN_CREATE, error);
  ok = db != NULL && (client = kl_sync_client_new (url, token, error)) != NULL;
  server_cpu = kl_bench_process_cpu_s (pid);
  cpu = cpu_s ();
  start = g_get_monotonic_time ();
  ok = ok && kl_sync_run (db, client, &options, NULL, NULL, &stats, NULL, error);
  wall = (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
  cpu = cpu_s () - cpu;
  server_cpu = kl_bench_process_cpu_s (pid) - server_cpu;
  if (ok)
    {
      out->records = stats.pulled;
      out->rows_per_s = stats.pulled / MAX (wall, 1e-6);
      out->rows_per_cpu_s = stats.pulled / MAX (cpu, 1e-6);
      out->server_cpu_us_per_row = server_cpu * 1e6 / MAX (stats.pulled, 1);
      out->client_cpu_us_per_row = cpu * 1e6 / MAX (stats.pulled, 1);
    }
  g_subprocess_send_signal (server, SIGTERM);
  g_subprocess_wait (server, NULL, NULL);
  g_clear_object (&db);
  for (guint i = 0; i < 6; i++)
    {
      const char *suffix[] = { "", "-wal", "-shm" };
      g_autofree char *p = g_strconcat (i < 3 ? path : office, suffix[i % 3], NULL);

      g_unlink (p);
    }
  return ok;
}
