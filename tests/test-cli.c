/* SPDX-License-Identifier: GPL-3.0-or-later */
/* keyline-cli from the outside: exit statuses, help, the workspace rules,
 * demo, import, customers and check, each run as a child process in a
 * private data directory. */

#include "config.h"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <glib/gstdio.h>
#include <sqlite3.h>

#include "kl-database-private.h"
#include "kl-test-util.h"

typedef struct {
  KlTestCli  cli;
  char      *data_home;
  char      *default_path;   /* $XDG_DATA_HOME/keyline/workspace.db */
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  kl_test_cli_init (&f->cli, "keyline-test-cli-XXXXXX", "data", "UTC");
  f->data_home = g_build_filename (f->cli.dir, "data", NULL);
  f->default_path = g_build_filename (f->data_home, "keyline", "workspace.db", NULL);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  kl_test_cli_clear (&f->cli);
  g_free (f->data_home);
  g_free (f->default_path);
}

static char *
write_file (Fixture    *f,
            const char *name,
            const char *contents)
{
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (f->cli.dir, name, NULL);

  g_assert_true (g_file_set_contents (path, contents, -1, &error));
  g_assert_no_error (error);
  return path;
}

/* Each error is one line "keyline-cli: …". */
static void
assert_error_lines (const char *err)
{
  g_auto(GStrv) lines = g_strsplit (err, "\n", -1);
  guint n = 0;

  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (*lines[i] == '\0')
        continue;
      g_assert_true (g_str_has_prefix (lines[i], "keyline-cli: "));
      n++;
    }
  g_assert_cmpuint (n, >=, 1);
}

static const char *
last_line (const char *text)
{
  static char line[256];
  const char *end = text + strlen (text);
  const char *start;

  while (end > text && end[-1] == '\n')
    end--;
  start = end;
  while (start > text && start[-1] != '\n')
    start--;
  g_strlcpy (line, start, MIN ((gsize) (end - start) + 1, sizeof line));
  return line;
}

static void
test_cli_version_help (Fixture       *f,
                       gconstpointer  data)
{
  static const char * const commands[][3] = {
    { "demo", NULL, NULL },
    { "import", "shipments", NULL },
    { "import", "customers", NULL },
    { "customers", "list", NULL },
    { "customers", "show", NULL },
    { "check", NULL, NULL },
    { "customers", NULL, NULL },
    { "import", NULL, NULL },
  };
  KlTestRun run;

  run = kl_test_cli_run (&f->cli, "--version", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_true (g_str_has_prefix (run.out, "keyline-cli " PACKAGE_VERSION));
  kl_test_run_clear (&run);

  run = kl_test_cli_run (&f->cli, "--help", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "customers list"));
  g_assert_nonnull (strstr (run.out, "import shipments"));
  g_assert_nonnull (strstr (run.out, "--workspace"));
  kl_test_run_clear (&run);

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      run = commands[i][1] ? kl_test_cli_run (&f->cli, commands[i][0], commands[i][1], "--help", NULL)
                           : kl_test_cli_run (&f->cli, commands[i][0], "--help", NULL);
      g_assert_cmpint (run.status, ==, 0);
      g_assert_nonnull (strstr (run.out, "Usage:"));
      g_assert_nonnull (strstr (run.out, commands[i][0]));
      g_assert_cmpstr (run.err, ==, "");
      kl_test_run_clear (&run);
    }
  /* Asking for help touches no workspace. */
  g_assert_false (g_file_test (f->data_home, G_FILE_TEST_EXISTS));
}

static void
test_cli_usage (Fixture       *f,
                gconstpointer  data)
{
  static const char * const bad[][6] = {
    { NULL },
    { "frobnicate", NULL },
    { "--frobnicate", NULL },
    { "demo", "--customers", "0", NULL },
    { "demo", "--years", "x", NULL },
    { "demo", "--last-month", "2025-13", NULL },
    { "demo", "extra", NULL },
    { "customers", NULL },
    { "customers", "purge", NULL },
    { "customers", "list", "--format", "xml", NULL },
    { "customers", "show", NULL },
    { "customers", "show", "C0001", "--format", "csv", NULL },
    { "import", "shipments", NULL },
    { "import", "vehicles", "x.csv", NULL },
    { "check", "--frob", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      KlTestRun run = kl_test_cli_runv (&f->cli, bad[i]);

      g_test_message ("case %u: %s", i, run.err);
      g_assert_cmpint (run.status, ==, 64);
      assert_error_lines (run.err);
      g_assert_nonnull (strstr (run.err, "--help"));
      g_assert_cmpstr (run.out, ==, "");
      kl_test_run_clear (&run);
    }
  g_assert_false (g_file_test (f->data_home, G_FILE_TEST_EXISTS));
}

static void
test_cli_missing_workspace (Fixture       *f,
                            gconstpointer  data)
{
  g_autofree char *elsewhere = g_build_filename (f->cli.dir, "nowhere", "ws.db", NULL);
  g_autofree char *blocker = write_file (f, "plain-file", "not a folder");
  g_autofree char *under_file = g_build_filename (blocker, "ws.db", NULL);
  g_autofree char *not_a_workspace = write_file (f, "junk.db", "this is not SQLite, just text, long enough to be a header…");
  KlTestRun run;

  run = kl_test_cli_run (&f->cli, "customers", "list", NULL);
  g_assert_cmpint (run.status, ==, 66);
  assert_error_lines (run.err);
  g_assert_nonnull (strstr (run.err, f->default_path));
  kl_test_run_clear (&run);

  run = kl_test_cli_run (&f->cli, "check", NULL);
  g_assert_cmpint (run.status, ==, 66);
  kl_test_run_clear (&run);

  run = kl_test_cli_run (&f->cli, "customers", "show", "C0001", NULL);
  g_assert_cmpint (run.status, ==, 66);
  kl_test_run_clear (&run);
  g_assert_false (g_file_test (f->default_path, G_FILE_TEST_EXISTS));

  run = kl_test_cli_run (&f->cli, "--workspace", elsewhere, "customers", "list", NULL);
  g_assert_cmpint (run.status, ==, 66);
  g_assert_nonnull (strstr (run.err, elsewhere));
  kl_test_run_clear (&run);
  g_assert_false (g_file_test (elsewhere, G_FILE_TEST_EXISTS));

  /* $KEYLINE_WORKSPACE names the workspace when --workspace does not. */
  f->cli.env = g_environ_setenv (f->cli.env, "KEYLINE_WORKSPACE", elsewhere, TRUE);
  run = kl_test_cli_run (&f->cli, "check", NULL);
  g_assert_cmpint (run.status, ==, 66);
  g_assert_nonnull (strstr (run.err, elsewhere));
  kl_test_run_clear (&run);
  f->cli.env = g_environ_unsetenv (f->cli.env, "KEYLINE_WORKSPACE");

  /* A workspace that cannot be created. */
  run = kl_test_cli_run (&f->cli, "--workspace", under_file, "demo", "--customers", "2", "--years", "1", NULL);
  g_assert_cmpint (run.status, ==, 73);
  assert_error_lines (run.err);
  kl_test_run_clear (&run);

  /* A file that is not a workspace. */
  run = kl_test_cli_run (&f->cli, "--workspace", not_a_workspace, "customers", "list", NULL);
  g_assert_cmpint (run.status, ==, 65);
  assert_error_lines (run.err);
  kl_test_run_clear (&run);
}

static char *
list_json (Fixture    *f,
           const char *workspace)
{
  KlTestRun run = workspace ? kl_test_cli_run (&f->cli, "--workspace", workspace, "customers", "list",
                                               "--format", "json", NULL)
                            : kl_test_cli_run (&f->cli, "customers", "list", "--format", "json", NULL);
  char *out;

  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpstr (run.err, ==, "");
  out = g_steal_pointer (&run.out);
  kl_test_run_clear (&run);
  return out;
}

static void
test_cli_demo (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *other = g_build_filename (f->cli.dir, "other.db", NULL);
  g_autofree char *first = NULL, *again = NULL, *elsewhere = NULL, *reseeded = NULL;
  GStatBuf st;
  KlTestRun run;

  run = kl_test_cli_run (&f->cli, "demo", "--customers", "8", "--years", "1", "--seed", "3",
                         "--last-month", "2025-10", NULL);
  g_assert_cmpint (run.status, ==, 0);
  /* stderr is not a terminal here: no progress, nothing extra. */
  g_assert_cmpstr (run.err, ==, "");
  g_assert_nonnull (strstr (run.out, "8"));
  kl_test_run_clear (&run);
  g_assert_cmpint (g_stat (f->default_path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  first = list_json (f, NULL);
  g_assert_true (g_str_has_prefix (first, "["));
  g_assert_nonnull (strstr (first, "\"code\" : \"C0008\""));

  /* A workspace with customers is kept unless --force. */
  run = kl_test_cli_run (&f->cli, "demo", "--customers", "3", "--years", "1", NULL);
  g_assert_cmpint (run.status, ==, 73);
  assert_error_lines (run.err);
  g_assert_nonnull (strstr (run.err, "--force"));
  kl_test_run_clear (&run);
  again = list_json (f, NULL);
  g_assert_cmpstr (again, ==, first);
  g_clear_pointer (&again, g_free);

  run = kl_test_cli_run (&f->cli, "demo", "--force", "--customers", "8", "--years", "1", "--seed", "3",
                         "--last-month", "2025-10", NULL);
  g_assert_cmpint (run.status, ==, 0);
  kl_test_run_clear (&run);
  again = list_json (f, NULL);
  g_assert_cmpstr (again, ==, first);

  /* The same seed elsewhere gives the very same output; another seed does not. */
  run = kl_test_cli_run (&f->cli, "--workspace", other, "demo", "--customers", "8", "--years", "1",
                         "--seed", "3", "--last-month", "2025-10", NULL);
  g_assert_cmpint (run.status, ==, 0);
  kl_test_run_clear (&run);
  elsewhere = list_json (f, other);
  g_assert_cmpstr (elsewhere, ==, first);

  run = kl_test_cli_run (&f->cli, "--workspace", other, "demo", "--force", "--customers", "8", "--years", "1",
                         "--seed", "4", "--last-month", "2025-10", NULL);
  g_assert_cmpint (run.status, ==, 0);
  kl_test_run_clear (&run);
  reseeded = list_json (f, other);
  g_assert_cmpstr (reseeded, !=, first);
}

static void
test_cli_customers (Fixture       *f,
                    gconstpointer  data)
{
  g_auto(GStrv) lines = NULL;
  KlTestRun run;

  run = kl_test_cli_run (&f->cli, "demo", "--customers", "6", "--years", "1", "--last-month", "2025-10", NULL);
  g_assert_cmpint (run.status, ==, 0);
  kl_test_run_clear (&run);

  run = kl_test_cli_run (&f->cli, "customers", "list", "--format", "csv", NULL);
  g_assert_cmpint (run.status, ==, 0);
  lines = g_strsplit (run.out, "\n", -1);
  g_assert_cmpstr (lines[0], ==, "code,name,legal_name,kind,channel,industry,region,account_manager,"
                                 "relationship,status,tags,notes,abc_class,shipments");
  g_assert_cmpuint (g_strv_length (lines), ==, 6 + 2);   /* header, six rows, the empty end */
  kl_test_run_clear (&run);

  run = kl_test_cli_run (&f->cli, "customers", "list", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "C0001"));
  g_assert_nonnull (strstr (run.out, "C0006"));
  kl_test_run_clear (&run);

  run = kl_test_cli_run (&f->cli, "customers", "show", "C0001", "--format", "json", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_true (g_str_has_prefix (run.out, "{"));
  for (guint i = 0; i < 2; i++)
    {
      static const char * const fields[] = {
        "\"id\" : \"", "\"revision\" : 0", "\"updated_at\" : \"2025-", "\"deleted\" : false",
        "\"code\" : \"C0001\"", "\"name\" : \"", "\"legal_name\" : ", "\"kind\" : \"", "\"channel\" : \"",
        "\"industry\" : ", "\"region\" : \"", "\"account_manager\" : ", "\"relationship\" : \"",
        "\"status\" : \"", "\"tags\" : [", "\"notes\" : ", "\"contacts\" : [", "\"primary\" : true",
        "\"agreement\" : {", "\"targets\" : {", "\"dispatch_on_time_rate\" : 0.9", "\"dispatch_grace_min\" : ",
        "\"claim_ack_days\" : ", "\"shipments\" : ",
      };

      for (guint k = 0; k < G_N_ELEMENTS (fields); k++)
        if (strstr (run.out, fields[k]) == NULL)
          g_error ("customers show --format json lacks %s:\n%s", fields[k], run.out);
      if (i == 0)
        {
          kl_test_run_clear (&run);
          /* The list gives every customer the same object. */
          run = kl_test_cli_run (&f->cli, "customers", "list", "--format", "json", NULL);
        }
    }
  kl_test_run_clear (&run);

  run = kl_test_cli_run (&f->cli, "customers", "show", "C0001", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_true (g_str_has_prefix (run.out, "C0001"));
  kl_test_run_clear (&run);

  run = kl_test_cli_run (&f->cli, "customers", "show", "NOSUCH", NULL);
  g_assert_cmpint (run.status, ==, 65);
  assert_error_lines (run.err);
  g_assert_nonnull (strstr (run.err, "NOSUCH"));
  kl_test_run_clear (&run);
}

static const char customers_csv[] =
  "code,name,region,kind,shoe_size\n"
  "K001,测试客户一,华东,enterprise,42\n"
  "K002,Second Test Co,华南,企业,43\n";

static const char shipments_good_csv[] =
  "waybill,customer_code,status,pieces,planned_pickup_at,picked_up_at,planned_delivery_at,delivered_at\n"
  "W0001,K001,delivered,3,2025-10-01 08:00,2025-10-01 08:10,2025-10-02 10:00,2025-10-02 09:00\n"
  "W0002,K002,in_transit,5,2025-10-03 08:00,2025-10-03 08:00,2025-10-05 10:00,\n";

static const char shipments_bad_csv[] =
  "waybill,customer_code,status,pieces,planned_pickup_at,planned_delivery_at\n"
  "W0003,K001,delivered,4,2025-10-04 08:00,2025-10-05 10:00\n"
  "W0004,NOSUCH,delivered,4,2025-10-04 08:00,2025-10-05 10:00\n";

static gint64
shipment_count (Fixture    *f,
                const char *code)
{
  KlTestRun run = kl_test_cli_run (&f->cli, "customers", "show", code, "--format", "json", NULL);
  const char *at;
  gint64 n;

  g_assert_cmpint (run.status, ==, 0);
  at = strstr (run.out, "\"shipments\" : ");
  g_assert_nonnull (at);
  n = g_ascii_strtoll (at + strlen ("\"shipments\" : "), NULL, 10);
  kl_test_run_clear (&run);
  return n;
}

static void
test_cli_import (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *customers = write_file (f, "customers.csv", customers_csv);
  g_autofree char *good = write_file (f, "good.csv", shipments_good_csv);
  g_autofree char *bad = write_file (f, "bad.csv", shipments_bad_csv);
  g_autofree char *missing = g_build_filename (f->cli.dir, "missing.csv", NULL);
  KlTestRun run;

  /* A file with bad rows on a missing workspace: 65, and no workspace left behind. */
  run = kl_test_cli_run (&f->cli, "import", "shipments", bad, NULL);
  g_assert_cmpint (run.status, ==, 65);
  g_assert_false (g_file_test (f->default_path, G_FILE_TEST_EXISTS));
  kl_test_run_clear (&run);

  run = kl_test_cli_run (&f->cli, "import", "customers", missing, NULL);
  g_assert_cmpint (run.status, ==, 66);
  assert_error_lines (run.err);
  g_assert_nonnull (strstr (run.err, "missing.csv"));
  kl_test_run_clear (&run);

  /* A dry run checks and writes nothing. */
  run = kl_test_cli_run (&f->cli, "import", "customers", customers, "--dry-run", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpstr (last_line (run.out), ==, "new 2, updated 0, unchanged 0, bad 0");
  kl_test_run_clear (&run);
  g_assert_false (g_file_test (f->default_path, G_FILE_TEST_EXISTS));

  run = kl_test_cli_run (&f->cli, "import", "customers", customers, NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpstr (last_line (run.out), ==, "new 2, updated 0, unchanged 0, bad 0");
  /* The unknown column is named, once. */
  g_assert_nonnull (strstr (run.out, "shoe_size"));
  g_assert_null (strstr (strstr (run.out, "shoe_size") + 1, "shoe_size"));
  g_assert_true (g_file_test (f->default_path, G_FILE_TEST_EXISTS));
  kl_test_run_clear (&run);

  run = kl_test_cli_run (&f->cli, "import", "customers", customers, NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpstr (last_line (run.out), ==, "new 0, updated 0, unchanged 2, bad 0");
  kl_test_run_clear (&run);

  run = kl_test_cli_run (&f->cli, "import", "shipments", good, "--dry-run", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpstr (last_line (run.out), ==, "new 2, updated 0, unchanged 0, bad 0");
  kl_test_run_clear (&run);
  g_assert_cmpint (shipment_count (f, "K001"), ==, 0);

  run = kl_test_cli_run (&f->cli, "import", "shipments", good, NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpstr (last_line (run.out), ==, "new 2, updated 0, unchanged 0, bad 0");
  kl_test_run_clear (&run);
  g_assert_cmpint (shipment_count (f, "K001"), ==, 1);
  g_assert_cmpint (shipment_count (f, "K002"), ==, 1);

  /* Any bad row: every bad row on stderr, nothing written, 65. */
  run = kl_test_cli_run (&f->cli, "import", "shipments", bad, NULL);
  g_assert_cmpint (run.status, ==, 65);
  g_assert_cmpstr (last_line (run.out), ==, "new 0, updated 0, unchanged 0, bad 1");
  g_assert_nonnull (strstr (run.err, "bad.csv:3: column customer_code"));
  g_assert_nonnull (strstr (run.err, "keyline-cli: "));
  g_assert_nonnull (strstr (run.err, "--skip-bad"));
  kl_test_run_clear (&run);
  g_assert_cmpint (shipment_count (f, "K001"), ==, 1);

  /* --skip-bad writes the good rows, lists the bad, and succeeds. */
  run = kl_test_cli_run (&f->cli, "import", "shipments", bad, "--skip-bad", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpstr (last_line (run.out), ==, "new 1, updated 0, unchanged 0, bad 1");
  g_assert_nonnull (strstr (run.err, "bad.csv:3: column customer_code"));
  kl_test_run_clear (&run);
  g_assert_cmpint (shipment_count (f, "K001"), ==, 2);

  run = kl_test_cli_run (&f->cli, "check", NULL);
  g_assert_cmpint (run.status, ==, 0);
  kl_test_run_clear (&run);
}

static void
corrupt_rollup (const char *path)
{
  sqlite3 *db = NULL;
  char *message = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db,
                                 "UPDATE rollup_month SET shipments = shipments + 1 "
                                 "WHERE customer_id = (SELECT min(customer_id) FROM rollup_month) "
                                 "AND month = (SELECT max(month) FROM rollup_month)",
                                 NULL, NULL, &message), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_changes (db), ==, 1);
  sqlite3_free (message);
  sqlite3_close (db);
}

static void
test_cli_check (Fixture       *f,
                gconstpointer  data)
{
  KlTestRun run;

  run = kl_test_cli_run (&f->cli, "demo", "--customers", "5", "--years", "1", "--last-month", "2025-10", NULL);
  g_assert_cmpint (run.status, ==, 0);
  kl_test_run_clear (&run);

  run = kl_test_cli_run (&f->cli, "check", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpstr (run.err, ==, "");
  kl_test_run_clear (&run);

  corrupt_rollup (f->default_path);
  run = kl_test_cli_run (&f->cli, "check", NULL);
  g_assert_cmpint (run.status, ==, 65);
  g_assert_nonnull (strstr (run.out, "shipments is"));
  g_assert_nonnull (strstr (run.out, "202510"));
  assert_error_lines (run.err);
  kl_test_run_clear (&run);

  run = kl_test_cli_run (&f->cli, "check", "--repair", NULL);
  g_assert_cmpint (run.status, ==, 0);
  kl_test_run_clear (&run);
  run = kl_test_cli_run (&f->cli, "check", NULL);
  g_assert_cmpint (run.status, ==, 0);
  kl_test_run_clear (&run);
}


static GBytes *
file_bytes (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;
  gsize len = 0;

  g_assert_true (g_file_get_contents (path, &contents, &len, &error));
  g_assert_no_error (error);
  return g_bytes_new_take (contents, len);
}

/* Files that are not workspaces are refused with 65, by every command, and
 * not changed by a byte. */
static void
test_cli_not_a_workspace (Fixture       *f,
                          gconstpointer  data)
{
  g_autofree char *customers = write_file (f, "customers.csv", customers_csv);
  g_autofree char *empty = write_file (f, "empty.db", "");
  g_autofree char *text = write_file (f, "text.db", "this is not SQLite, just text, long enough to be a header…");
  g_autofree char *foreign = g_build_filename (f->cli.dir, "foreign.db", NULL);
  const char *paths[] = { empty, text, foreign };
  sqlite3 *handle = NULL;

  g_assert_cmpint (sqlite3_open (foreign, &handle), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (handle, "CREATE TABLE customers (id INTEGER PRIMARY KEY, who TEXT);"
                                 "INSERT INTO customers (who) VALUES ('someone else')",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (handle);

  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      static const char * const commands[][5] = {
        { "check", NULL },
        { "customers", "list", NULL },
        { "import", "customers", "FILE", NULL },
        { "demo", "--customers", "2", "--years", "1" },
      };
      g_autoptr(GBytes) before = file_bytes (paths[i]);

      for (guint c = 0; c < G_N_ELEMENTS (commands); c++)
        {
          const char *args[8] = { "--workspace", paths[i] };
          g_autoptr(GBytes) after = NULL;
          KlTestRun run;

          for (guint a = 0; a < 5 && commands[c][a] != NULL; a++)
            args[2 + a] = g_strcmp0 (commands[c][a], "FILE") == 0 ? customers : commands[c][a];
          run = kl_test_cli_runv (&f->cli, args);
          g_test_message ("%s %s: %d %s", paths[i], commands[c][0], run.status, run.err);
          kl_test_assert_one_error_line (&run, 65);
          g_assert_nonnull (strstr (run.err, "not a Keyline workspace"));
          kl_test_run_clear (&run);
          after = file_bytes (paths[i]);
          g_assert_true (g_bytes_equal (before, after));
        }
    }
}

/* A damaged workspace: check says so and how to recover, with 65. */
static void
test_cli_damaged (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *junk = g_strnfill (4096 * 4, '\x5a');
  KlTestRun run;
  GStatBuf st;
  int fd;

  run = kl_test_cli_run (&f->cli, "demo", "--customers", "5", "--years", "1", "--last-month", "2025-10", NULL);
  g_assert_cmpint (run.status, ==, 0);
  kl_test_run_clear (&run);

  g_assert_cmpint (g_stat (f->default_path, &st), ==, 0);
  fd = g_open (f->default_path, O_WRONLY, 0);
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (pwrite (fd, junk, strlen (junk), (st.st_size / 2) & ~4095), ==, (gssize) strlen (junk));
  close (fd);

  run = kl_test_cli_run (&f->cli, "check", NULL);
  g_assert_cmpint (run.status, ==, 65);
  assert_error_lines (run.err);
  g_assert_nonnull (strstr (run.err, "damaged"));
  g_assert_nonnull (strstr (run.err, "restore it from the backup beside it"));
  g_assert_null (strstr (run.err, "fault in Keyline"));
  kl_test_run_clear (&run);
}

typedef struct {
  rlim_t file_size;    /* 0: no limit */
  gboolean drop_root;
  const char *program; /* NULL: $KEYLINE_CLI */
} ChildLimits;

static void
child_setup (gpointer data)
{
  const ChildLimits *limits = data;

  if (limits->file_size > 0)
    {
      struct rlimit rl = { limits->file_size, limits->file_size };

      /* Writes past the limit fail with EFBIG instead of killing. */
      signal (SIGXFSZ, SIG_IGN);
      setrlimit (RLIMIT_FSIZE, &rl);
    }
  /* root writes read-only files; run as someone who does not. */
  if (limits->drop_root && geteuid () == 0 &&
      (setgid (65534) != 0 || setuid (65534) != 0))
    _exit (127);
}

static KlTestRun
run_limited (Fixture           *f,
             const ChildLimits *limits,
             const char        *first,
             ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  KlTestRun run = { -1, NULL, NULL };
  int wait_status = 0;
  va_list ap;

  g_ptr_array_add (argv, (gpointer) (limits->program ? limits->program : g_getenv ("KEYLINE_CLI")));
  va_start (ap, first);
  for (const char *arg = first; arg != NULL; arg = va_arg (ap, const char *))
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (ap);
  g_ptr_array_add (argv, NULL);

  g_spawn_sync (f->cli.dir, (char **) argv->pdata, f->cli.env, G_SPAWN_DEFAULT,
                child_setup, (gpointer) limits, &run.out, &run.err, &wait_status, &error);
  g_assert_no_error (error);
  g_assert_true (WIFEXITED (wait_status));
  run.status = WEXITSTATUS (wait_status);
  return run;
}

static char *
numbered_customers_csv (Fixture *f, const char *name, const char *prefix, guint n)
{
  g_autoptr(GString) csv = g_string_new ("code,name,region,notes\n");

  for (guint i = 0; i < n; i++)
    g_string_append_printf (csv, "%s%05u,客户 %s %u,华东,%s\n", prefix, i, prefix, i,
                            "a note long enough to make the rows take some room on disk");
  return write_file (f, name, csv->str);
}

/* A full disk exits 73 and says so; what was there stays sound. */
static void
test_cli_disk_full (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *big = numbered_customers_csv (f, "many.csv", "M", 20000);
  ChildLimits limits = { 256 * 1024, FALSE, NULL };
  KlTestRun run;

  run = kl_test_cli_run (&f->cli, "demo", "--customers", "2", "--years", "1", "--last-month", "2025-10", NULL);
  g_assert_cmpint (run.status, ==, 0);
  kl_test_run_clear (&run);

  run = run_limited (f, &limits, "import", "customers", big, NULL);
  g_test_message ("%d %s", run.status, run.err);
  kl_test_assert_one_error_line (&run, 73);
  g_assert_nonnull (strstr (run.err, "disk is full"));
  kl_test_run_clear (&run);

  run = kl_test_cli_run (&f->cli, "check", NULL);
  g_assert_cmpint (run.status, ==, 0);
  kl_test_run_clear (&run);
  run = kl_test_cli_run (&f->cli, "customers", "list", "--format", "csv", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_null (strstr (run.out, "M00001"));
  kl_test_run_clear (&run);
}

/* A workspace the user may only read: lists, reports and check work,
 * writing exits 73 and says why; in a read-only folder too. */
static void
test_cli_read_only (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *customers = write_file (f, "customers.csv", customers_csv);
  g_autofree char *folder = g_path_get_dirname (f->default_path);
  /* The build tree may sit where the unprivileged user cannot reach it,
   * so that user runs a copy of keyline-cli from the test's own folder. */
  g_autofree char *program = g_build_filename (f->cli.dir, "keyline-cli", NULL);
  ChildLimits limits = { 0, TRUE, program };
  KlTestRun run;
  {
    g_autoptr(GFile) from = g_file_new_for_path (g_getenv ("KEYLINE_CLI"));
    g_autoptr(GFile) to = g_file_new_for_path (program);
    g_autoptr(GError) error = NULL;

    g_assert_true (g_file_copy (from, to, G_FILE_COPY_NONE, NULL, NULL, NULL, &error));
    g_assert_no_error (error);
    g_assert_cmpint (g_chmod (program, 0755), ==, 0);
  }

  run = kl_test_cli_run (&f->cli, "demo", "--customers", "3", "--years", "1", "--last-month", "2025-10", NULL);
  g_assert_cmpint (run.status, ==, 0);
  kl_test_run_clear (&run);

  g_assert_cmpint (g_chmod (f->cli.dir, 0755), ==, 0);
  g_assert_cmpint (g_chmod (f->data_home, 0755), ==, 0);
  g_assert_cmpint (g_chmod (customers, 0644), ==, 0);
  g_assert_cmpint (g_chmod (f->default_path, 0444), ==, 0);

  for (guint folder_writable = 0; folder_writable < 2; folder_writable++)
    {
      g_assert_cmpint (g_chmod (folder, folder_writable ? 0777 : 0555), ==, 0);

      run = run_limited (f, &limits, "--workspace", f->default_path, "customers", "list", "--format", "csv", NULL);
      g_test_message ("%d %s", run.status, run.err);
      g_assert_cmpint (run.status, ==, 0);
      g_assert_nonnull (strchr (run.out, '\n'));
      kl_test_run_clear (&run);

      run = run_limited (f, &limits, "--workspace", f->default_path, "report", "--portfolio",
                         "--period", "2025-10", "--format", "json", NULL);
      g_test_message ("%d %s", run.status, run.err);
      g_assert_cmpint (run.status, ==, 0);
      kl_test_run_clear (&run);

      run = run_limited (f, &limits, "--workspace", f->default_path, "check", NULL);
      g_assert_cmpint (run.status, ==, 0);
      kl_test_run_clear (&run);

      run = run_limited (f, &limits, "--workspace", f->default_path, "import", "customers", customers, NULL);
      g_test_message ("%d %s", run.status, run.err);
      kl_test_assert_one_error_line (&run, 73);
      g_assert_nonnull (strstr (run.err, "read-only"));
      kl_test_run_clear (&run);
    }
  g_assert_cmpint (g_chmod (folder, 0700), ==, 0);
}

static GSubprocess *
spawn_cli (Fixture *f, const char *const *args)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                                                                         G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  GSubprocess *process;

  g_subprocess_launcher_set_environ (launcher, f->cli.env);
  g_subprocess_launcher_set_cwd (launcher, f->cli.dir);
  g_ptr_array_add (argv, (gpointer) g_getenv ("KEYLINE_CLI"));
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  return process;
}

static int
wait_cli (GSubprocess *process, char **out_err)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (g_subprocess_communicate_utf8 (process, NULL, NULL, NULL, out_err, &error));
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  return g_subprocess_get_exit_status (process);
}

static int
count_lines (const char *text)
{
  int n = 0;

  for (const char *p = text; *p != '\0'; p++)
    n += *p == '\n';
  return n;
}

/* Two imports into the same new workspace at once, and a failing import
 * beside a good one: each good import's rows are there when it says so,
 * and no one sees "table already exists". */
static void
test_cli_concurrent_create (Fixture       *f,
                            gconstpointer  data)
{
  g_autofree char *a = numbered_customers_csv (f, "a.csv", "A", 300);
  g_autofree char *b = numbered_customers_csv (f, "b.csv", "B", 300);
  g_autofree char *bad = write_file (f, "bad.csv", "code,name\n,no code\n");

  for (guint round = 0; round < 12; round++)
    {
      gboolean with_bad = round % 2 == 1;
      const char *args_a[] = { "import", "customers", a, NULL };
      const char *args_b[] = { "import", "customers", with_bad ? bad : b, NULL };
      g_autoptr(GSubprocess) pa = NULL;
      g_autoptr(GSubprocess) pb = NULL;
      g_autofree char *err_a = NULL;
      g_autofree char *err_b = NULL;
      int status_a, status_b, expected = 0;
      KlTestRun run;

      kl_test_remove_tree (f->data_home);
      pa = spawn_cli (f, args_a);
      pb = spawn_cli (f, args_b);
      status_a = wait_cli (pa, &err_a);
      status_b = wait_cli (pb, &err_b);
      g_test_message ("round %u: %d %s / %d %s", round, status_a, err_a, status_b, err_b);
      g_assert_null (strstr (err_a, "already exists"));
      g_assert_null (strstr (err_b, "already exists"));
      g_assert_null (strstr (err_a, "fault in Keyline"));
      g_assert_null (strstr (err_b, "fault in Keyline"));
      /* A good import may be told to try again (the other removed the
       * workspace it had made for nothing), never lose what it reported. */
      g_assert_true (status_a == 0 || status_a == 75);
      if (with_bad)
        g_assert_cmpint (status_b, ==, 65);
      else
        g_assert_true (status_b == 0 || status_b == 75);

      if (status_a == 0)
        expected += 300;
      if (!with_bad && status_b == 0)
        expected += 300;
      if (expected == 0)
        continue;
      run = kl_test_cli_run (&f->cli, "customers", "list", "--format", "csv", NULL);
      g_assert_cmpint (run.status, ==, 0);
      g_assert_cmpint (count_lines (run.out), ==, expected + 1);
      kl_test_run_clear (&run);
    }
}

/* The demo as a user first runs it: defaults, a few seconds, and sound. */
static void
test_cli_demo_default (Fixture       *f,
                       gconstpointer  data)
{
  gint64 start = g_get_monotonic_time ();
  double seconds;
  KlTestRun run;

  run = kl_test_cli_run (&f->cli, "demo", NULL);
  seconds = (g_get_monotonic_time () - start) / 1e6;
  g_test_message ("keyline-cli demo took %.2f s", seconds);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "40"));
  g_assert_cmpfloat (seconds, <, 60.0);
  kl_test_run_clear (&run);

  run = kl_test_cli_run (&f->cli, "check", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpstr (run.err, ==, "");
  kl_test_run_clear (&run);
}

/* Issue 12: non-files, --encoding, the rollup overflow and --period 9999
 * from the shell. */
static void
test_cli_import_hardening (Fixture       *f,
                           gconstpointer  data)
{
  g_autofree char *customers = write_file (f, "customers.csv", customers_csv);
  g_autofree char *overflow = write_file (f, "overflow.csv",
                                          "waybill,customer_code,status,pieces,planned_pickup_at,planned_delivery_at\n"
                                          "OV1,K001,booked,9223372036854775807,2026-10-01 08:00,2026-10-02 08:00\n"
                                          "OV2,K001,booked,1,2026-10-03 08:00,2026-10-04 08:00\n");
  g_autofree char *fifo = g_build_filename (f->cli.dir, "pipe.csv", NULL);
  g_autofree char *wide = NULL;
  g_autoptr(GString) wide_text = g_string_new ("code,name");
  KlTestRun run;

  /* Only a regular file is read: 66, at once, and no workspace is made. */
  if (g_file_test ("/dev/zero", G_FILE_TEST_EXISTS))
    {
      run = kl_test_cli_run (&f->cli, "import", "shipments", "/dev/zero", NULL);
      g_assert_cmpint (run.status, ==, 66);
      assert_error_lines (run.err);
      g_assert_nonnull (strstr (run.err, "/dev/zero"));
      kl_test_run_clear (&run);
    }
  run = kl_test_cli_run (&f->cli, "import", "shipments", f->cli.dir, NULL);
  g_assert_cmpint (run.status, ==, 66);
  assert_error_lines (run.err);
  kl_test_run_clear (&run);
  g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);
  run = kl_test_cli_run (&f->cli, "import", "shipments", fifo, NULL);
  g_assert_cmpint (run.status, ==, 66);
  assert_error_lines (run.err);
  kl_test_run_clear (&run);
  g_assert_false (g_file_test (f->default_path, G_FILE_TEST_EXISTS));

  run = kl_test_cli_run (&f->cli, "import", "customers", customers, "--encoding", "latin1", NULL);
  g_assert_cmpint (run.status, ==, 64);
  kl_test_run_clear (&run);
  run = kl_test_cli_run (&f->cli, "import", "customers", customers, "--encoding", "utf-8", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "UTF-8"));
  g_assert_cmpstr (last_line (run.out), ==, "new 2, updated 0, unchanged 0, bad 0");
  kl_test_run_clear (&run);

  /* The reproduction: 65, nothing written, check passes. */
  run = kl_test_cli_run (&f->cli, "import", "shipments", overflow, NULL);
  g_assert_cmpint (run.status, ==, 65);
  g_assert_nonnull (strstr (run.err, "overflow.csv:2: column pieces: too large"));
  g_assert_null (strstr (run.err, "CRITICAL"));
  g_assert_null (strstr (run.err, "runtime error"));
  kl_test_run_clear (&run);
  run = kl_test_cli_run (&f->cli, "check", NULL);
  g_assert_cmpint (run.status, ==, 0);
  kl_test_run_clear (&run);

  /* A long list of unknown columns is shortened: the first 20 and a count. */
  for (guint i = 0; i < 30; i++)
    g_string_append_printf (wide_text, ",extra_%u", i);
  g_string_append (wide_text, "\nK003,Third\n");
  wide = write_file (f, "wide.csv", wide_text->str);
  run = kl_test_cli_run (&f->cli, "import", "customers", wide, NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "“extra_19”"));
  g_assert_null (strstr (run.out, "“extra_20”"));
  g_assert_nonnull (strstr (run.out, "and 10 more"));
  kl_test_run_clear (&run);

  /* A period year beyond 2099 is a usage error, with no CRITICAL. */
  run = kl_test_cli_run (&f->cli, "report", "--portfolio", "--period", "9999", "--format", "json", NULL);
  g_assert_cmpint (run.status, ==, 64);
  g_assert_null (strstr (run.err, "CRITICAL"));
  assert_error_lines (run.err);
  kl_test_run_clear (&run);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  if (g_getenv ("KEYLINE_CLI") == NULL)
    {
      g_test_skip ("KEYLINE_CLI is not set");
      return 77;
    }

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/cli/version-help", test_cli_version_help);
  ADD ("/cli/usage", test_cli_usage);
  ADD ("/cli/missing-workspace", test_cli_missing_workspace);
  ADD ("/cli/demo", test_cli_demo);
  ADD ("/cli/demo-default", test_cli_demo_default);
  ADD ("/cli/customers", test_cli_customers);
  ADD ("/cli/import", test_cli_import);
  ADD ("/cli/check", test_cli_check);
  ADD ("/cli/import-hardening", test_cli_import_hardening);
  ADD ("/cli/not-a-workspace", test_cli_not_a_workspace);
  ADD ("/cli/damaged", test_cli_damaged);
  ADD ("/cli/disk-full", test_cli_disk_full);
  ADD ("/cli/read-only", test_cli_read_only);
  ADD ("/cli/concurrent-create", test_cli_concurrent_create);
#undef ADD

  return g_test_run ();
}
