/* SPDX-License-Identifier: GPL-3.0-or-later */
/* keyline-cli report as docs/cli.md describes it: the formats, the
 * files of --all, and the exit status of every kind of mistake. */
#include "config.h"

#include <string.h>
#include <json-glib/json-glib.h>
#include <glib/gstdio.h>

#include "kl-contact-store.h"
#include "kl-customer-store.h"
#include "kl-report-note-store.h"
#include "kl-test-util.h"

typedef struct {
  KlTestCli  cli;
  char      *code;
  guint      n_reported;   /* active and at-risk customers */
} Fixture;

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  g_auto(KlTestRun) demo = { 0 };
  g_auto(KlTestRun) customers = { 0 };
  g_autoptr(JsonNode) root = NULL;
  JsonArray *array;

  if (g_getenv ("KEYLINE_CLI") == NULL)
    return;
  kl_test_cli_init (&f->cli, "keyline-test-cli-report-XXXXXX", NULL, NULL);
  f->cli.workspace = g_build_filename (f->cli.dir, "workspace.db", NULL);

  demo = kl_test_cli_run (&f->cli, "demo", "--customers", "8", "--years", "2", "--last-month", "2026-10", NULL);
  g_assert_cmpint (demo.status, ==, 0);
  customers = kl_test_cli_run (&f->cli, "customers", "list", "--format", "json", NULL);
  g_assert_cmpint (customers.status, ==, 0);
  root = kl_test_parse_json (customers.out);
  array = json_node_get_array (root);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *c = json_array_get_object_element (array, i);
      const char *status = json_object_get_string_member (c, "status");

      if (g_strcmp0 (status, "active") == 0 || g_strcmp0 (status, "at_risk") == 0)
        {
          f->n_reported++;
          if (f->code == NULL)
            f->code = g_strdup (json_object_get_string_member (c, "code"));
        }
    }
  g_assert_nonnull (f->code);
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  kl_test_cli_clear (&f->cli);
  g_free (f->code);
}

static void
test_json (Fixture *f, gconstpointer data)
{
  g_auto(KlTestRun) month = { 0 };
  g_auto(KlTestRun) quarter = { 0 };
  g_auto(KlTestRun) portfolio = { 0 };
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonNode) proot = NULL;
  JsonObject *report, *period, *customer;

  if (kl_test_skip_without_cli ())
    return;

  month = kl_test_cli_run (&f->cli, "report", "--customer", f->code, "--period", "2026-10", "--format", "json", NULL);
  g_assert_cmpint (month.status, ==, 0);
  g_assert_cmpstr (month.err, ==, "");
  root = kl_test_parse_json (month.out);
  report = json_node_get_object (root);
  period = json_object_get_object_member (report, "period");
  g_assert_cmpstr (json_object_get_string_member (period, "label"), ==, "2026-10");
  g_assert_cmpstr (json_object_get_string_member (period, "kind"), ==, "month");
  g_assert_cmpstr (json_object_get_string_member (period, "start"), ==, "2026-10-01");
  g_assert_cmpstr (json_object_get_string_member (period, "end"), ==, "2026-10-31");
  customer = json_object_get_object_member (report, "customer");
  g_assert_nonnull (customer);
  g_assert_cmpstr (json_object_get_string_member (customer, "code"), ==, f->code);
  g_assert_true (json_object_has_member (report, "figures"));
  g_assert_true (json_object_has_member (report, "claims"));

  quarter = kl_test_cli_run (&f->cli, "report", "--customer", f->code, "--period", "2026-q3", NULL);
  g_assert_cmpint (quarter.status, ==, 0);   /* JSON on stdout by default */
  g_assert_true (g_str_has_prefix (quarter.out, "{"));

  portfolio = kl_test_cli_run (&f->cli, "report", "--portfolio", "--period", "2026", "--format", "json", NULL);
  g_assert_cmpint (portfolio.status, ==, 0);
  proot = kl_test_parse_json (portfolio.out);
  g_assert_true (json_object_has_member (json_node_get_object (proot), "figures"));
  /* The demo's cases count: claims figures come from the claim store. */
  {
    JsonObject *claims = json_object_get_object_member (json_node_get_object (proot), "claims");

    g_assert_nonnull (claims);
    g_assert_cmpint (json_object_get_int_member (claims, "opened"), >, 0);
    g_assert_cmpint (json_object_get_int_member (claims, "open_at_end"), >=, 0);
    g_assert_true (json_object_has_member (claims, "claimed"));
  }
}

static void
test_csv_and_files (Fixture *f, gconstpointer data)
{
  g_auto(KlTestRun) csv = { 0 };
  g_auto(KlTestRun) pdf = { 0 };
  g_auto(KlTestRun) png = { 0 };
  g_auto(KlTestRun) svg = { 0 };
  g_autofree char *pdf_path = NULL;
  g_autofree char *png_path = NULL;
  g_autofree char *svg_path = NULL;
  g_autofree char *png_first = NULL;
  g_autofree char *svg_first = NULL;
  g_autofree char *contents = NULL;
  gsize length = 0;

  if (kl_test_skip_without_cli ())
    return;

  csv = kl_test_cli_run (&f->cli, "report", "--customer", f->code, "--period", "2026-Q3", "--format", "csv", NULL);
  g_assert_cmpint (csv.status, ==, 0);
  g_assert_true (g_str_has_prefix (csv.out, "section,name,shipments,"));
  g_assert_nonnull (strstr (csv.out, "\r\nmonth,2026-07,"));

  pdf_path = g_build_filename (f->cli.dir, "report.pdf", NULL);
  pdf = kl_test_cli_run (&f->cli, "report", "--customer", f->code, "--period", "2026-10", "-o", pdf_path, NULL);
  g_assert_cmpint (pdf.status, ==, 0);
  g_assert_true (g_file_get_contents (pdf_path, &contents, &length, NULL));
  g_assert_cmpuint (length, >, 1000);
  g_assert_true (g_str_has_prefix (contents, "%PDF"));

  png_path = g_build_filename (f->cli.dir, "page.png", NULL);
  png = kl_test_cli_run (&f->cli, "report", "--customer", f->code, "--period", "2026-10", "--format", "png",
                         "-o", png_path, NULL);
  g_assert_cmpint (png.status, ==, 0);
  svg_path = g_build_filename (f->cli.dir, "page.svg", NULL);
  svg = kl_test_cli_run (&f->cli, "report", "--customer", f->code, "--period", "2026-10", "--format", "svg",
                         "-o", svg_path, NULL);
  g_assert_cmpint (svg.status, ==, 0);
  /* One file per page: the report itself for one page, numbered for more. */
  png_first = g_build_filename (f->cli.dir, "page-1.png", NULL);
  svg_first = g_build_filename (f->cli.dir, "page-1.svg", NULL);
  g_assert_true (g_file_test (png_path, G_FILE_TEST_EXISTS) || g_file_test (png_first, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (svg_path, G_FILE_TEST_EXISTS) || g_file_test (svg_first, G_FILE_TEST_EXISTS));
}

static void
test_all (Fixture *f, gconstpointer data)
{
  g_auto(KlTestRun) all = { 0 };
  g_autofree char *out_dir = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *expected_path = NULL;
  g_autoptr(GDir) dir = NULL;
  const char *name;
  guint n = 0;

  if (kl_test_skip_without_cli ())
    return;

  out_dir = g_build_filename (f->cli.dir, "reports", "2026-10", NULL);
  all = kl_test_cli_run (&f->cli, "report", "--all", "--period", "2026-10", "--format", "pdf", "-o", out_dir, NULL);
  g_assert_cmpint (all.status, ==, 0);
  /* stderr is not a terminal: no progress. */
  g_assert_cmpstr (all.err, ==, "");

  dir = g_dir_open (out_dir, 0, NULL);
  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_assert_true (g_str_has_suffix (name, "-2026-10.pdf"));
      n++;
    }
  g_assert_cmpuint (n, ==, f->n_reported);
  expected = g_strdup_printf ("%s-2026-10.pdf", f->code);
  expected_path = g_build_filename (out_dir, expected, NULL);
  g_assert_true (g_file_test (expected_path, G_FILE_TEST_EXISTS));
}

static void
test_mistakes (Fixture *f, gconstpointer data)
{
  g_autofree char *missing = NULL;
  g_autofree char *unwritable = NULL;

  if (kl_test_skip_without_cli ())
    return;

  {
    g_auto(KlTestRun) r = kl_test_cli_run (&f->cli, "report", "--customer", f->code, "--period", "2026-13", NULL);
    kl_test_assert_one_error_line (&r, 64);
    g_assert_nonnull (strstr (r.err, "2026-13"));
  }
  {
    g_auto(KlTestRun) r = kl_test_cli_run (&f->cli, "report", "--customer", f->code, NULL);
    kl_test_assert_one_error_line (&r, 64);
  }
  {
    g_auto(KlTestRun) r = kl_test_cli_run (&f->cli, "report", "--customer", f->code, "--portfolio",
                                           "--period", "2026", NULL);
    kl_test_assert_one_error_line (&r, 64);
  }
  {
    g_auto(KlTestRun) r = kl_test_cli_run (&f->cli, "report", "--customer", f->code, "--period", "2026",
                                           "--format", "pdf", NULL);
    kl_test_assert_one_error_line (&r, 64);   /* a PDF needs -o */
  }
  {
    g_auto(KlTestRun) r = kl_test_cli_run (&f->cli, "report", "--customer", f->code, "--period", "2026",
                                           "--format", "docx", NULL);
    kl_test_assert_one_error_line (&r, 64);
  }
  {
    g_auto(KlTestRun) r = kl_test_cli_run (&f->cli, "report", "--all", "--period", "2026", "--format", "json",
                                           "-o", f->cli.dir, NULL);
    kl_test_assert_one_error_line (&r, 64);
  }
  {
    g_auto(KlTestRun) r = kl_test_cli_run (&f->cli, "report", "--customer", "NO-SUCH", "--period", "2026-10", NULL);
    kl_test_assert_one_error_line (&r, 65);
    g_assert_nonnull (strstr (r.err, "NO-SUCH"));
  }
  {
    unwritable = g_build_filename (f->cli.dir, "no", "such", "dir", "r.pdf", NULL);
    g_auto(KlTestRun) r = kl_test_cli_run (&f->cli, "report", "--customer", f->code, "--period", "2026-10",
                                           "-o", unwritable, NULL);
    kl_test_assert_one_error_line (&r, 73);
  }
  {
    g_auto(KlTestRun) r = { 0 };

    missing = g_build_filename (f->cli.dir, "missing.db", NULL);
    g_free (f->cli.workspace);
    f->cli.workspace = g_strdup (missing);
    r = kl_test_cli_run (&f->cli, "report", "--portfolio", "--period", "2026-10", NULL);
    kl_test_assert_one_error_line (&r, 66);
    g_assert_false (g_file_test (missing, G_FILE_TEST_EXISTS));
  }
}

/* The comments and goals written for a customer's period come out in the
 * JSON and the CSV, as in the PDF (keyline-cli reads no Preferences for
 * them: they are the workspace's). */
static void
test_notes (Fixture *f, gconstpointer data)
{
  g_auto(KlTestRun) json = { 0 };
  g_auto(KlTestRun) csv = { 0 };
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *report;

  if (kl_test_skip_without_cli ())
    return;

  {
    g_autoptr(KlDatabase) db = kl_database_open (f->cli.workspace, 0, &error);
    g_autofree char *id = NULL;

    g_assert_no_error (error);
    id = kl_customer_store_lookup_code (db, f->code, &error);
    g_assert_no_error (error);
    g_assert_true (kl_report_note_set (db, id, "2026-10", "Thank you for a calm October",
                                       "Arrival on time above 97%", &error));
    g_assert_no_error (error);
  }

  json = kl_test_cli_run (&f->cli, "report", "--customer", f->code, "--period", "2026-10", "--format", "json", NULL);
  g_assert_cmpint (json.status, ==, 0);
  root = kl_test_parse_json (json.out);
  report = json_node_get_object (root);
  g_assert_cmpstr (json_object_get_string_member (report, "comments"), ==, "Thank you for a calm October");
  g_assert_cmpstr (json_object_get_string_member (report, "goals"), ==, "Arrival on time above 97%");
  g_assert_nonnull (json_object_get_array_member (report, "client_notes"));

  csv = kl_test_cli_run (&f->cli, "report", "--customer", f->code, "--period", "2026-10", "--format", "csv", NULL);
  g_assert_cmpint (csv.status, ==, 0);
  g_assert_nonnull (strstr (csv.out, "\r\ncomments,Thank you for a calm October,"));
  g_assert_nonnull (strstr (csv.out, "\r\ngoals,Arrival on time above 97%,"));
}

/* The primary contact of f->code (NULL when none), from the workspace. */
static KlContact *
primary_contact (Fixture *f, KlDatabase *db)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = kl_customer_store_lookup_code (db, f->code, &error);
  g_autoptr(GPtrArray) contacts = NULL;

  g_assert_no_error (error);
  contacts = kl_contact_store_list (db, id, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < contacts->len; i++)
    {
      KlContact *contact = g_ptr_array_index (contacts, i);

      if (contact->primary)
        return g_steal_pointer (&contacts->pdata[i]);
    }
  return NULL;
}

static void
assert_pdf (const char *path)
{
  g_autofree char *bytes = NULL;
  gsize length = 0;

  g_assert_true (g_file_get_contents (path, &bytes, &length, NULL));
  g_assert_cmpuint (length, >, 4);
  g_assert_true (memcmp (bytes, "%PDF", 4) == 0);
}

/* report --email: the message the mail program is given (through the
 * test hook KEYLINE_EMAIL_COMPOSE_LOG), the refusals, and no portal. */
static void
test_email (Fixture *f, gconstpointer data)
{
  g_autofree char *cache = NULL;
  g_autofree char *log = NULL;
  g_autofree char *address = NULL;
  g_autofree char *customer_name = NULL;
  g_autofree char *expected_pdf = NULL;
  g_autoptr(GError) error = NULL;
  char **plain_env;

  if (kl_test_skip_without_cli ())
    return;

  cache = g_build_filename (f->cli.dir, "cache", NULL);
  log = g_build_filename (f->cli.dir, "email.json", NULL);
  expected_pdf = g_strdup_printf ("%s/keyline/email/%s-2026-10.pdf", cache, f->code);
  {
    g_autoptr(KlDatabase) db = kl_database_open (f->cli.workspace, 0, &error);
    g_autoptr(KlContact) primary = NULL;
    g_autofree char *id = NULL;
    g_autoptr(KlCustomer) customer = NULL;

    g_assert_no_error (error);
    primary = primary_contact (f, db);
    g_assert_nonnull (primary);
    g_assert_nonnull (primary->email);
    address = g_strdup (primary->email);
    id = kl_customer_store_lookup_code (db, f->code, &error);
    g_assert_no_error (error);
    customer = kl_customer_store_get (db, id, &error);
    g_assert_no_error (error);
    customer_name = g_strdup (customer->name);
  }

  plain_env = f->cli.env;
  f->cli.env = g_environ_setenv (g_strdupv (plain_env), "XDG_CACHE_HOME", cache, TRUE);
  f->cli.env = g_environ_setenv (f->cli.env, "KEYLINE_EMAIL_COMPOSE_LOG", log, TRUE);

  {
    g_auto(KlTestRun) r = kl_test_cli_run (&f->cli, "report", "--customer", f->code, "--period", "2026-10",
                                           "--email", "--language", "en", NULL);
    g_autofree char *text = NULL;
    g_autoptr(JsonNode) root = NULL;
    JsonObject *message;

    g_assert_cmpint (r.status, ==, 0);
    g_assert_true (g_file_get_contents (log, &text, NULL, NULL));
    root = kl_test_parse_json (text);
    message = json_node_get_object (root);
    g_assert_cmpstr (json_object_get_string_member (message, "address"), ==, address);
    g_assert_nonnull (strstr (json_object_get_string_member (message, "subject"), customer_name));
    g_assert_nonnull (strstr (json_object_get_string_member (message, "subject"), "October 2026"));
    g_assert_cmpstr (json_object_get_string_member (message, "attachment"), ==, expected_pdf);
    assert_pdf (expected_pdf);
  }

  /* Without the primary contact's address: composed without one, and said. */
  {
    g_autoptr(KlDatabase) db = kl_database_open (f->cli.workspace, 0, &error);
    g_autoptr(KlContact) primary = primary_contact (f, db);

    g_clear_pointer (&primary->email, g_free);
    g_assert_true (kl_contact_store_save (db, primary, &error));
    g_assert_no_error (error);
  }
  {
    g_auto(KlTestRun) r = kl_test_cli_run (&f->cli, "report", "--customer", f->code, "--period", "2026-10",
                                           "--email", NULL);
    g_autofree char *text = NULL;
    g_autoptr(JsonNode) root = NULL;

    g_assert_cmpint (r.status, ==, 0);
    g_assert_nonnull (strstr (r.err, "warning"));
    g_assert_nonnull (strstr (r.err, f->code));
    g_assert_true (g_file_get_contents (log, &text, NULL, NULL));
    root = kl_test_parse_json (text);
    g_assert_true (json_object_get_null_member (json_node_get_object (root), "address"));
  }

  /* The refusals. */
  {
    g_auto(KlTestRun) r = kl_test_cli_run (&f->cli, "report", "--portfolio", "--period", "2026-10", "--email", NULL);
    kl_test_assert_one_error_line (&r, 64);
  }
  {
    g_auto(KlTestRun) r = kl_test_cli_run (&f->cli, "report", "--customer", f->code, "--period", "2026-10",
                                           "--email", "--format", "json", NULL);
    kl_test_assert_one_error_line (&r, 64);
  }
  {
    g_auto(KlTestRun) r = kl_test_cli_run (&f->cli, "report", "--customer", f->code, "--period", "2026-10",
                                           "--email", "-o", "report.pdf", NULL);
    kl_test_assert_one_error_line (&r, 64);
  }

  /* No session bus (none given, none to find or start): 69, the PDF kept. */
  g_remove (expected_pdf);
  {
    g_autofree char *runtime = g_build_filename (f->cli.dir, "runtime", NULL);
    g_auto(KlTestRun) r = { 0 };

    g_assert_cmpint (g_mkdir (runtime, 0700), ==, 0);
    g_strfreev (f->cli.env);
    f->cli.env = g_environ_setenv (g_strdupv (plain_env), "XDG_CACHE_HOME", cache, TRUE);
    f->cli.env = g_environ_setenv (f->cli.env, "XDG_RUNTIME_DIR", runtime, TRUE);
    f->cli.env = g_environ_unsetenv (f->cli.env, "DBUS_SESSION_BUS_ADDRESS");
    f->cli.env = g_environ_unsetenv (f->cli.env, "DISPLAY");
    f->cli.env = g_environ_unsetenv (f->cli.env, "KEYLINE_EMAIL_COMPOSE_LOG");
    r = kl_test_cli_run (&f->cli, "report", "--customer", f->code, "--period", "2026-10", "--email", NULL);
    g_assert_cmpint (r.status, ==, 69);   /* after the warning of no address */
    g_assert_nonnull (strstr (r.err, "cannot open the mail program"));
    g_assert_nonnull (strstr (r.err, expected_pdf));
    assert_pdf (expected_pdf);
  }

  /* A session bus without an Email portal on it: the same. */
  g_remove (expected_pdf);
  {
    g_autoptr(GTestDBus) bus = g_test_dbus_new (G_TEST_DBUS_NONE);
    g_auto(KlTestRun) r = { 0 };

    g_test_dbus_up (bus);
    f->cli.env = g_environ_setenv (f->cli.env, "DBUS_SESSION_BUS_ADDRESS", g_test_dbus_get_bus_address (bus), TRUE);
    r = kl_test_cli_run (&f->cli, "report", "--customer", f->code, "--period", "2026-10", "--email", NULL);
    g_test_dbus_down (bus);
    g_assert_cmpint (r.status, ==, 69);
    g_assert_nonnull (strstr (r.err, "cannot open the mail program: no Email portal"));
    g_assert_nonnull (strstr (r.err, expected_pdf));
    assert_pdf (expected_pdf);
  }
  g_strfreev (f->cli.env);
  f->cli.env = plain_env;
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/cli-report/json", Fixture, NULL, fixture_set_up, test_json, fixture_tear_down);
  g_test_add ("/cli-report/csv-and-files", Fixture, NULL, fixture_set_up, test_csv_and_files, fixture_tear_down);
  g_test_add ("/cli-report/all", Fixture, NULL, fixture_set_up, test_all, fixture_tear_down);
  g_test_add ("/cli-report/notes", Fixture, NULL, fixture_set_up, test_notes, fixture_tear_down);
  g_test_add ("/cli-report/email", Fixture, NULL, fixture_set_up, test_email, fixture_tear_down);
  g_test_add ("/cli-report/mistakes", Fixture, NULL, fixture_set_up, test_mistakes, fixture_tear_down);

  return g_test_run ();
}
