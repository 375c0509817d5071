/* SPDX-License-Identifier: GPL-3.0-or-later */
/* keyline-cli from the outside: exit statuses, help, the workspace rules,
 * demo, import, customers and check, each run as a child process in a
 * private data directory. */

#include "config.h"

#include <sys/stat.h>
#include <glib/gstdio.h>
#include <sqlite3.h>

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
#undef ADD

  return g_test_run ();
}
