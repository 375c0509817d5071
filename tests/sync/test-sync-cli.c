/* SPDX-License-Identifier: GPL-3.0-or-later */
/* keyline-cli sync against a scripted back office: the last line, the exit
 * codes of cli.md, status and conflicts as JSON, resolve, and a kill -9 in
 * the middle of a pull followed by a resume. */

#include "config.h"

#include <signal.h>
#include <string.h>

#include "kl-customer-store.h"
#include "kl-fake-office.h"
#include "kl-database-private.h"
#include "kl-test-util.h"

typedef struct {
  KlTestCli     cli;
  KlFakeOffice *office;
} Fixture;

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  kl_test_cli_init (&f->cli, "keyline-sync-cli-XXXXXX", NULL, "Asia/Shanghai");
  f->cli.workspace = g_build_filename (f->cli.dir, "w.db", NULL);
  f->cli.env = g_environ_setenv (f->cli.env, "KEYLINE_TOKEN", KL_FAKE_TOKEN, TRUE);
  f->cli.env = g_environ_setenv (f->cli.env, "KEYLINE_SYNC_FIRST_DELAY_MS", "1", TRUE);
  f->office = kl_fake_office_new ();
  f->cli.env = g_environ_setenv (f->cli.env, "KEYLINE_SERVER", kl_fake_office_url (f->office), TRUE);
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  kl_fake_office_free (f->office);
  kl_test_cli_clear (&f->cli);
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

static gint64
count (const char *path, const char *sql)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KlDatabase) db = kl_database_open (path, 0, &error);
  sqlite3_stmt *stmt;
  gint64 n;

  g_assert_no_error (error);
  stmt = kl_database_prepare (db, sql, &error);
  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  n = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return n;
}

static void
test_basic (Fixture *f, gconstpointer data)
{
  g_autofree char *a = NULL;
  g_auto(KlTestRun) run = { 0 };
  g_auto(KlTestRun) again = { 0 };
  g_auto(KlTestRun) status = { 0 };
  g_auto(KlTestRun) conflicts = { 0 };
  g_auto(KlTestRun) check = { 0 };
  g_autoptr(JsonNode) json = NULL;

  if (kl_test_skip_without_cli ())
    return;
  a = kl_fake_office_add_customer (f->office, "ACME", "Acme");
  kl_fake_office_add_shipments (f->office, a, 25, "SF");

  run = kl_test_cli_run (&f->cli, "sync", "--page-size", "10", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpstr (last_line (run.out), ==, "pulled 26, pushed 0, conflicts 0\n");
  g_assert_cmpstr (run.err, ==, "");   /* no progress: not a terminal */

  again = kl_test_cli_run (&f->cli, "sync", NULL);
  g_assert_cmpint (again.status, ==, 0);
  g_assert_cmpstr (again.out, ==, "pulled 0, pushed 0, conflicts 0\n");

  status = kl_test_cli_run (&f->cli, "sync", "status", "--format", "json", NULL);
  g_assert_cmpint (status.status, ==, 0);
  json = kl_test_parse_json (status.out);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (json), "server"), ==,
                   kl_fake_office_url (f->office));
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (json), "outbox"), ==, 0);
  g_assert_nonnull (strstr (status.out, "\"shipments\""));
  g_assert_null (strstr (status.out, KL_FAKE_TOKEN));

  conflicts = kl_test_cli_run (&f->cli, "sync", "conflicts", "--format", "json", NULL);
  g_assert_cmpint (conflicts.status, ==, 0);
  g_assert_cmpstr (g_strstrip (conflicts.out), ==, "[]");

  check = kl_test_cli_run (&f->cli, "check", NULL);
  g_assert_cmpint (check.status, ==, 0);
}

static void
test_exit_codes (Fixture *f, gconstpointer data)
{
  g_autofree char *a = NULL;

  if (kl_test_skip_without_cli ())
    return;
  a = kl_fake_office_add_customer (f->office, "ACME", "Acme");

  {
    g_auto(KlTestRun) run = { 0 };
    char **env = f->cli.env;

    f->cli.env = g_environ_setenv (g_strdupv (env), "KEYLINE_TOKEN", "wrong-token-123", TRUE);
    run = kl_test_cli_run (&f->cli, "sync", NULL);
    g_strfreev (f->cli.env);
    f->cli.env = env;
    g_assert_cmpint (run.status, ==, 77);
    g_assert_null (strstr (run.err, "wrong-token-123"));
    g_assert_cmpstr (last_line (run.out), ==, "pulled 0, pushed 0, conflicts 0\n");
  }
  {
    g_auto(KlTestRun) run = { 0 };

    kl_fake_office_fault (f->office, "GET", "/v1/customers", KL_FAULT_STATUS, 429, 0, 6);
    run = kl_test_cli_run (&f->cli, "sync", NULL);
    g_assert_cmpint (run.status, ==, 75);
    kl_test_assert_one_error_line (&run, 75);
  }
  {
    g_auto(KlTestRun) run = { 0 };

    kl_fake_office_fault (f->office, "GET", "/v1/customers", KL_FAULT_RESET, 0, -1, 6);
    run = kl_test_cli_run (&f->cli, "sync", NULL);
    g_assert_cmpint (run.status, ==, 69);
  }
  {
    g_auto(KlTestRun) run = { 0 };

    kl_fake_office_fault (f->office, "GET", "/v1/customers", KL_FAULT_STATUS, 502, -1, 6);
    run = kl_test_cli_run (&f->cli, "sync", NULL);
    g_assert_cmpint (run.status, ==, 69);
  }
  {
    g_auto(KlTestRun) run = { 0 };

    kl_fake_office_break_field (f->office, "kind", "\"martian\"");
    run = kl_test_cli_run (&f->cli, "sync", NULL);
    g_assert_cmpint (run.status, ==, 65);
    g_assert_nonnull (strstr (run.err, "“kind”"));
    g_assert_nonnull (strstr (run.err, a));
  }
  {
    g_auto(KlTestRun) run = kl_test_cli_run (&f->cli, "sync", "--server", "http://backoffice.example.com", NULL);

    g_assert_cmpint (run.status, ==, 64);
  }
  {
    g_auto(KlTestRun) run = kl_test_cli_run (&f->cli, "sync", NULL);

    g_assert_cmpint (run.status, ==, 0);
    g_assert_cmpstr (run.out, ==, "pulled 1, pushed 0, conflicts 0\n");
  }
}

static void
test_conflict_resolve (Fixture *f, gconstpointer data)
{
  g_autofree char *a = NULL;
  g_autoptr(JsonNode) json = NULL;
  JsonObject *c;

  if (kl_test_skip_without_cli ())
    return;
  a = kl_fake_office_add_customer (f->office, "ACME", "Acme");
  {
    g_auto(KlTestRun) run = kl_test_cli_run (&f->cli, "sync", NULL);

    g_assert_cmpint (run.status, ==, 0);
  }
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(KlDatabase) db = kl_database_open (f->cli.workspace, 0, &error);
    g_autoptr(KlCustomer) cu = kl_customer_store_get_by_code (db, "ACME", &error);

    g_free (cu->name);
    cu->name = g_strdup ("Acme (ours)");
    g_assert_true (kl_customer_store_save (db, cu, KL_ORIGIN_LOCAL, NULL, &error));
  }
  kl_fake_office_set (f->office, "customers", a, "name", "\"Acme (theirs)\"");
  {
    g_auto(KlTestRun) run = kl_test_cli_run (&f->cli, "sync", NULL);

    g_assert_cmpint (run.status, ==, 0);
    g_assert_cmpstr (last_line (run.out), ==, "pulled 0, pushed 0, conflicts 1\n");
  }
  {
    g_auto(KlTestRun) run = kl_test_cli_run (&f->cli, "sync", "conflicts", "--format", "json", NULL);

    g_assert_cmpint (run.status, ==, 0);
    json = kl_test_parse_json (run.out);
  }
  g_assert_cmpuint (json_array_get_length (json_node_get_array (json)), ==, 1);
  c = json_array_get_object_element (json_node_get_array (json), 0);
  g_assert_cmpstr (json_object_get_string_member (c, "kind"), ==, "customer");
  g_assert_cmpstr (json_object_get_string_member (c, "code_or_number"), ==, "ACME");
  g_assert_cmpstr (json_object_get_string_member (c, "reason"), ==, "conflict");
  {
    JsonObject *field = json_array_get_object_element (json_object_get_array_member (c, "fields"), 0);

    g_assert_cmpstr (json_object_get_string_member (field, "field"), ==, "name");
    g_assert_cmpstr (json_object_get_string_member (field, "local"), ==, "Acme (ours)");
    g_assert_cmpstr (json_object_get_string_member (field, "server"), ==, "Acme (theirs)");
  }
  {
    g_auto(KlTestRun) bad = kl_test_cli_run (&f->cli, "sync", "resolve", "NOPE", "--keep", "server", NULL);
    g_auto(KlTestRun) run = kl_test_cli_run (&f->cli, "sync", "resolve", "ACME", "--keep", "local", NULL);
    g_auto(KlTestRun) after = kl_test_cli_run (&f->cli, "sync", NULL);

    g_assert_cmpint (bad.status, ==, 66);
    g_assert_cmpint (run.status, ==, 0);
    g_assert_cmpint (after.status, ==, 0);
    g_assert_cmpstr (last_line (after.out), ==, "pulled 0, pushed 1, conflicts 0\n");
  }
  {
    g_autofree char *name = kl_fake_office_get (f->office, "customers", a, "name");

    g_assert_cmpstr (name, ==, "\"Acme (ours)\"");
  }
}

static void
test_kill_resume (Fixture *f, gconstpointer data)
{
  g_autofree char *a = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) child = NULL;
  g_autoptr(GError) error = NULL;
  const char *cli;

  if (kl_test_skip_without_cli ())
    return;
  cli = g_getenv ("KEYLINE_CLI");
  a = kl_fake_office_add_customer (f->office, "ACME", "Acme");
  kl_fake_office_add_shipments (f->office, a, 3000, "SF");
  /* the fifth page of shipments is never answered */
  kl_fake_office_fault_after (f->office, "GET", "/v1/shipments", KL_FAULT_HOLD, 4);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  g_subprocess_launcher_set_environ (launcher, f->cli.env);
  child = g_subprocess_launcher_spawn (launcher, &error, cli, "--workspace", f->cli.workspace, "sync",
                                       "--page-size", "100", NULL);
  g_assert_no_error (error);
  while (kl_fake_office_requests (f->office, "GET", "/v1/shipments") < 5)
    g_usleep (10000);
  /* the four pages before it are committed with their cursor (the fifth is
   * asked for while the fourth is written) */
  while (count (f->cli.workspace, "SELECT count(*) FROM shipments") < 400)
    g_usleep (10000);
  g_subprocess_send_signal (child, SIGKILL);
  g_subprocess_wait (child, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (g_subprocess_get_if_exited (child));
  g_assert_cmpint (count (f->cli.workspace, "SELECT count(*) FROM shipments"), ==, 400);

  {
    g_auto(KlTestRun) run = kl_test_cli_run (&f->cli, "sync", "--page-size", "100", NULL);
    g_auto(KlTestRun) check = kl_test_cli_run (&f->cli, "check", NULL);

    g_assert_cmpint (run.status, ==, 0);
    g_assert_cmpstr (last_line (run.out), ==, "pulled 2600, pushed 0, conflicts 0\n");
    g_assert_cmpint (check.status, ==, 0);
  }
  g_assert_cmpint (count (f->cli.workspace, "SELECT count(*) FROM shipments"), ==, 3000);
  g_assert_cmpint (count (f->cli.workspace, "SELECT count(DISTINCT waybill) FROM shipments"), ==, 3000);
  g_assert_cmpint (count (f->cli.workspace, "SELECT count(*) FROM shipments WHERE uuid IS NOT NULL"), ==, 3000);
  g_assert_cmpint (count (f->cli.workspace, "SELECT sum(shipments) FROM rollup_month"), ==, 3000);
  g_assert_cmpint (count (f->cli.workspace, "SELECT count(*) FROM customers"), ==, 1);
}

/* KEYLINE_TOKEN stands in for the keyring (cli.md): "sync status" counts
 * it as signed in though "sync login" never ran, and never shows it. */
static void
test_status_env_token (Fixture *f, gconstpointer data)
{
  g_autofree char *a = NULL;
  g_auto(KlTestRun) run = { 0 };
  g_auto(KlTestRun) table = { 0 };
  g_auto(KlTestRun) json = { 0 };
  g_auto(KlTestRun) without = { 0 };
  g_autoptr(JsonNode) node = NULL;
  JsonObject *o;

  if (kl_test_skip_without_cli ())
    return;
  a = kl_fake_office_add_customer (f->office, "ACME", "Acme");
  run = kl_test_cli_run (&f->cli, "sync", NULL);
  g_assert_cmpint (run.status, ==, 0);

  table = kl_test_cli_run (&f->cli, "sync", "status", NULL);
  g_assert_cmpint (table.status, ==, 0);
  g_assert_nonnull (strstr (table.out, "User: signed in with KEYLINE_TOKEN\n"));
  g_assert_nonnull (strstr (table.out, "Token: from KEYLINE_TOKEN\n"));
  g_assert_null (strstr (table.out, "not signed in"));
  g_assert_null (strstr (table.out, KL_FAKE_TOKEN));

  json = kl_test_cli_run (&f->cli, "sync", "status", "--format", "json", NULL);
  g_assert_cmpint (json.status, ==, 0);
  node = kl_test_parse_json (json.out);
  o = json_node_get_object (node);
  g_assert_true (json_object_get_boolean_member (o, "signed_in"));
  g_assert_cmpstr (json_object_get_string_member (o, "token"), ==, "KEYLINE_TOKEN");
  g_assert_true (json_object_get_null_member (o, "user"));
  g_assert_null (strstr (json.out, KL_FAKE_TOKEN));

  /* without it, and never signed in: not signed in */
  f->cli.env = g_environ_unsetenv (f->cli.env, "KEYLINE_TOKEN");
  without = kl_test_cli_run (&f->cli, "sync", "status", NULL);
  g_assert_cmpint (without.status, ==, 0);
  g_assert_nonnull (strstr (without.out, "User: (not signed in)\n"));
  g_assert_null (strstr (without.out, "KEYLINE_TOKEN"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_set_up, fn, fixture_tear_down)
  ADD ("/sync-cli/basic", test_basic);
  ADD ("/sync-cli/exit-codes", test_exit_codes);
  ADD ("/sync-cli/status-env-token", test_status_env_token);
  ADD ("/sync-cli/conflict-resolve", test_conflict_resolve);
  ADD ("/sync-cli/kill-resume", test_kill_resume);
#undef ADD
  return g_test_run ();
}
