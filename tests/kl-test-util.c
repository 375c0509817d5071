/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the test programs share, GLib and core only; see kl-test-util.h. */
#include "config.h"

#include <locale.h>
#include <string.h>
#include <sys/wait.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "kl-customer-store.h"
#include "kl-database-private.h"
#include "kl-demo.h"
#include "kl-test-util.h"

/* Files */

char *
kl_test_make_tmp_dir (const char *tmpl)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp (tmpl, &error);

  g_assert_no_error (error);
  return dir;
}

gboolean
kl_test_remove_tree (const char *path)
{
  GStatBuf st;

  if (g_file_test (path, G_FILE_TEST_IS_DIR) && !g_file_test (path, G_FILE_TEST_IS_SYMLINK))
    {
      g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
      const char *name;

      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          kl_test_remove_tree (child);
        }
    }
  g_remove (path);
  return g_lstat (path, &st) != 0;
}

/* Workspaces */

gint64
kl_test_query_int (KlDatabase *db,
                   const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  gint64 value;

  g_assert_cmpint (sqlite3_prepare_v2 (kl_database_get_handle (db), sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return value;
}

KlDatabase *
kl_test_create_workspace (const char *path)
{
  g_autoptr(GError) error = NULL;
  KlDatabase *db = kl_database_open (path, KL_DATABASE_OPEN_CREATE, &error);

  g_assert_no_error (error);
  g_assert_nonnull (db);
  return db;
}

KlDatabase *
kl_test_create_demo_workspace (const char *path,
                               guint       n_customers,
                               guint       years,
                               int         last_month)
{
  g_autoptr(GError) error = NULL;
  KlDatabase *db = kl_test_create_workspace (path);
  KlDemoOptions options = KL_DEMO_OPTIONS_INIT;

  options.n_customers = n_customers;
  options.years = years;
  options.last_month = last_month;
  g_assert_true (kl_demo_fill (db, &options, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  return db;
}

KlDatabase *
kl_test_open_workspace_copy (const char *template_path,
                             const char *dir)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (dir, "workspace.db", NULL);
  g_autoptr(GFile) from = g_file_new_for_path (template_path);
  g_autoptr(GFile) to = g_file_new_for_path (path);
  KlDatabase *db;

  g_assert_true (g_file_copy (from, to, G_FILE_COPY_NONE, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  db = kl_database_open (path, 0, &error);
  g_assert_no_error (error);
  return db;
}

char *
kl_test_add_customer (KlDatabase *db,
                      const char *code,
                      const char *name)
{
  g_autoptr(KlCustomer) c = kl_customer_new ();
  g_autoptr(GError) error = NULL;

  c->code = g_strdup (code);
  c->name = g_strdup (name);
  g_assert_true (kl_customer_store_save (db, c, KL_ORIGIN_LOCAL, NULL, &error));
  g_assert_no_error (error);
  return g_strdup (c->id);
}

void
kl_test_add_numbered_customers (KlDatabase  *db,
                                char       **ids,
                                guint        n)
{
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *code = g_strdup_printf ("C%03u", i + 1);
      g_autofree char *name = g_strdup_printf ("客户 %u", i + 1);

      ids[i] = kl_test_add_customer (db, code, name);
    }
}

/* Times */

gint64
kl_test_unix_time (const char *iso8601)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_iso8601 (iso8601, NULL);

  g_assert_nonnull (dt);
  return g_date_time_to_unix (dt);
}

/* Waiting on the main context */

void
kl_test_wait_for (gpointer         fixture,
                  KlTestCondition  condition,
                  gconstpointer    data,
                  const char      *what,
                  guint            timeout_seconds)
{
  gint64 deadline = g_get_monotonic_time () + timeout_seconds * G_USEC_PER_SEC;

  while (!condition (fixture, data))
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("Timed out after %u s waiting for %s", timeout_seconds, what);
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (2000);
    }
}

void
kl_test_iterate_pending (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

/* The worker */

typedef struct {
  KlWorker *worker;
  gboolean  done;
  gpointer  result;
  GError   *error;
} Reply;

static void
reply_cb (GObject      *source,
          GAsyncResult *res,
          gpointer      data)
{
  Reply *reply = data;

  reply->result = kl_worker_run_finish (reply->worker, res, &reply->error);
  reply->done = TRUE;
}

static gboolean
reply_done (gpointer      fixture,
            gconstpointer data)
{
  return ((const Reply *) data)->done;
}

gpointer
kl_test_worker_read (KlWorker       *worker,
                     KlWorkerFunc    func,
                     gpointer        data,
                     GDestroyNotify  data_free,
                     GDestroyNotify  result_free,
                     guint           timeout_seconds)
{
  Reply reply = { worker, FALSE, NULL, NULL };

  kl_worker_run (worker, KL_WORKER_READ, func, data, data_free, result_free,
                 NULL, NULL, NULL, reply_cb, &reply);
  kl_test_wait_for (NULL, reply_done, &reply, "a job on the worker", timeout_seconds);
  g_assert_no_error (reply.error);
  return reply.result;
}

/* Translations */

void
kl_test_bind_text_domain (const char *dir_variable,
                          gboolean    set_locale)
{
  const char *dir = g_getenv (dir_variable);

  if (dir == NULL)
    return;
  if (set_locale)
    setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, dir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
}

/* JSON */

JsonNode *
kl_test_parse_json (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  g_assert_true (json_parser_load_from_data (parser, text, -1, &error));
  g_assert_no_error (error);
  return json_node_copy (json_parser_get_root (parser));
}

/* keyline-cli */

void
kl_test_run_clear (KlTestRun *run)
{
  g_clear_pointer (&run->out, g_free);
  g_clear_pointer (&run->err, g_free);
}

void
kl_test_cli_init (KlTestCli  *cli,
                  const char *tmpl,
                  const char *data_home,
                  const char *tz)
{
  g_autofree char *xdg_data_home = NULL;

  cli->dir = kl_test_make_tmp_dir (tmpl);
  if (data_home != NULL)
    xdg_data_home = g_build_filename (cli->dir, data_home, NULL);
  else
    xdg_data_home = g_strdup (cli->dir);
  cli->workspace = NULL;
  cli->env = g_get_environ ();
  cli->env = g_environ_setenv (cli->env, "XDG_DATA_HOME", xdg_data_home, TRUE);
  if (tz != NULL)
    cli->env = g_environ_setenv (cli->env, "TZ", tz, TRUE);
  cli->env = g_environ_setenv (cli->env, "LC_ALL", "C.UTF-8", TRUE);
  cli->env = g_environ_unsetenv (cli->env, "KEYLINE_WORKSPACE");
}

void
kl_test_cli_clear (KlTestCli *cli)
{
  if (cli->dir != NULL)
    kl_test_remove_tree (cli->dir);
  g_clear_pointer (&cli->dir, g_free);
  g_clear_pointer (&cli->workspace, g_free);
  g_clear_pointer (&cli->env, g_strfreev);
}

KlTestRun
kl_test_cli_runv (const KlTestCli    *cli,
                  const char * const *args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  const char *program = g_getenv ("KEYLINE_CLI");
  KlTestRun run = { -1, NULL, NULL };
  int wait_status = 0;

  g_assert_nonnull (program);
  g_ptr_array_add (argv, (gpointer) program);
  if (cli->workspace != NULL)
    {
      g_ptr_array_add (argv, (gpointer) "--workspace");
      g_ptr_array_add (argv, cli->workspace);
    }
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  g_spawn_sync (cli->dir, (char **) argv->pdata, cli->env, G_SPAWN_DEFAULT, NULL, NULL,
                &run.out, &run.err, &wait_status, &error);
  g_assert_no_error (error);
  if (!WIFEXITED (wait_status))
    g_printerr ("%s: killed; its stderr:\n%s", program, run.err);   /* e.g. a sanitizer's report */
  g_assert_true (WIFEXITED (wait_status));
  run.status = WEXITSTATUS (wait_status);
  return run;
}

KlTestRun
kl_test_cli_run (const KlTestCli *cli,
                 const char      *first,
                 ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  va_list ap;

  va_start (ap, first);
  for (const char *arg = first; arg != NULL; arg = va_arg (ap, const char *))
    g_ptr_array_add (args, (gpointer) arg);
  va_end (ap);
  g_ptr_array_add (args, NULL);
  return kl_test_cli_runv (cli, (const char * const *) args->pdata);
}

void
kl_test_assert_one_error_line (const KlTestRun *run,
                               int              status)
{
  g_assert_cmpint (run->status, ==, status);
  g_assert_true (g_str_has_prefix (run->err, "keyline-cli: "));
  g_assert_nonnull (strchr (run->err, '\n'));
  g_assert_cmpstr (strchr (run->err, '\n') + 1, ==, "");
}

gboolean
kl_test_skip_without_cli (void)
{
  if (g_getenv ("KEYLINE_CLI") != NULL)
    return FALSE;
  g_test_skip ("KEYLINE_CLI is not set");
  return TRUE;
}

static gpointer
hold_job (KlDatabase   *db,
          gpointer      data,
          KlWorkerJob  *job,
          GError      **error)
{
  KlTestWorkerHold *hold = data;

  g_mutex_lock (&hold->lock);
  hold->started = TRUE;
  g_cond_broadcast (&hold->cond);
  while (!hold->released)
    g_cond_wait (&hold->cond, &hold->lock);
  g_mutex_unlock (&hold->lock);
  return NULL;
}

void
kl_test_worker_hold (KlWorker         *worker,
                     KlTestWorkerHold *hold)
{
  g_mutex_init (&hold->lock);
  g_cond_init (&hold->cond);
  hold->started = hold->released = FALSE;
  kl_worker_run (worker, KL_WORKER_READ, hold_job, hold, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
  g_mutex_lock (&hold->lock);
  while (!hold->started)
    g_cond_wait (&hold->cond, &hold->lock);
  g_mutex_unlock (&hold->lock);
}

void
kl_test_worker_release (KlTestWorkerHold *hold)
{
  g_mutex_lock (&hold->lock);
  hold->released = TRUE;
  g_cond_broadcast (&hold->cond);
  g_mutex_unlock (&hold->lock);
}
