/* SPDX-License-Identifier: GPL-3.0-or-later */
/* keyline-cli report as contracts/cli.md describes it: the formats, the
 * files of --all, and the exit status of every kind of mistake. */
#include "config.h"

#include <string.h>
#include <sys/wait.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

typedef struct {
  char  *dir;
  char  *workspace;
  char **env;
  char  *code;
  guint  n_reported;   /* active and at-risk customers */
} Fixture;

typedef struct {
  int   status;
  char *out;
  char *err;
} Run;

static void
run_clear (Run *run)
{
  g_clear_pointer (&run->out, g_free);
  g_clear_pointer (&run->err, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Run, run_clear)

static Run
run_cli (Fixture    *f,
         const char *first,
         ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  Run run = { -1, NULL, NULL };
  int wait_status = 0;
  va_list ap;

  g_ptr_array_add (argv, (gpointer) g_getenv ("KEYLINE_CLI"));
  g_ptr_array_add (argv, (gpointer) "--workspace");
  g_ptr_array_add (argv, f->workspace);
  va_start (ap, first);
  for (const char *arg = first; arg != NULL; arg = va_arg (ap, const char *))
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (ap);
  g_ptr_array_add (argv, NULL);

  g_spawn_sync (f->dir, (char **) argv->pdata, f->env, G_SPAWN_DEFAULT, NULL, NULL,
                &run.out, &run.err, &wait_status, &error);
  g_assert_no_error (error);
  g_assert_true (WIFEXITED (wait_status));
  run.status = WEXITSTATUS (wait_status);
  return run;
}

static JsonNode *
parse_json (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  g_assert_true (json_parser_load_from_data (parser, text, -1, &error));
  g_assert_no_error (error);
  return json_node_copy (json_parser_get_root (parser));
}

static void
assert_one_error_line (const Run *run, int status)
{
  g_assert_cmpint (run->status, ==, status);
  g_assert_true (g_str_has_prefix (run->err, "keyline-cli: "));
  g_assert_nonnull (strchr (run->err, '\n'));
  g_assert_cmpstr (strchr (run->err, '\n') + 1, ==, "");
}

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_auto(Run) demo = { 0 };
  g_auto(Run) customers = { 0 };
  g_autoptr(JsonNode) root = NULL;
  JsonArray *array;

  if (g_getenv ("KEYLINE_CLI") == NULL)
    return;
  f->dir = g_dir_make_tmp ("keyline-test-cli-report-XXXXXX", &error);
  g_assert_no_error (error);
  f->workspace = g_build_filename (f->dir, "workspace.db", NULL);
  f->env = g_get_environ ();
  f->env = g_environ_setenv (f->env, "LC_ALL", "C.UTF-8", TRUE);
  f->env = g_environ_setenv (f->env, "XDG_DATA_HOME", f->dir, TRUE);
  f->env = g_environ_unsetenv (f->env, "KEYLINE_WORKSPACE");

  demo = run_cli (f, "demo", "--customers", "8", "--years", "2", "--last-month", "2026-10", NULL);
  g_assert_cmpint (demo.status, ==, 0);
  customers = run_cli (f, "customers", "list", "--format", "json", NULL);
  g_assert_cmpint (customers.status, ==, 0);
  root = parse_json (customers.out);
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
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  if (f->dir != NULL)
    remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->workspace);
  g_free (f->code);
  g_strfreev (f->env);
}

static gboolean
skip_without_cli (void)
{
  if (g_getenv ("KEYLINE_CLI") != NULL)
    return FALSE;
  g_test_skip ("KEYLINE_CLI is not set");
  return TRUE;
}

static void
test_json (Fixture *f, gconstpointer data)
{
  g_auto(Run) month = { 0 };
  g_auto(Run) quarter = { 0 };
  g_auto(Run) portfolio = { 0 };
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonNode) proot = NULL;
  JsonObject *report, *period, *customer;

  if (skip_without_cli ())
    return;

  month = run_cli (f, "report", "--customer", f->code, "--period", "2026-10", "--format", "json", NULL);
  g_assert_cmpint (month.status, ==, 0);
  g_assert_cmpstr (month.err, ==, "");
  root = parse_json (month.out);
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

  quarter = run_cli (f, "report", "--customer", f->code, "--period", "2026-q3", NULL);
  g_assert_cmpint (quarter.status, ==, 0);   /* JSON on stdout by default */
  g_assert_true (g_str_has_prefix (quarter.out, "{"));

  portfolio = run_cli (f, "report", "--portfolio", "--period", "2026", "--format", "json", NULL);
  g_assert_cmpint (portfolio.status, ==, 0);
  proot = parse_json (portfolio.out);
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
  g_auto(Run) csv = { 0 };
  g_auto(Run) pdf = { 0 };
  g_auto(Run) png = { 0 };
  g_auto(Run) svg = { 0 };
  g_autofree char *pdf_path = NULL;
  g_autofree char *png_path = NULL;
  g_autofree char *svg_path = NULL;
  g_autofree char *png_first = NULL;
  g_autofree char *svg_first = NULL;
  g_autofree char *contents = NULL;
  gsize length = 0;

  if (skip_without_cli ())
    return;

  csv = run_cli (f, "report", "--customer", f->code, "--period", "2026-Q3", "--format", "csv", NULL);
  g_assert_cmpint (csv.status, ==, 0);
  g_assert_true (g_str_has_prefix (csv.out, "section,name,shipments,"));
  g_assert_nonnull (strstr (csv.out, "\r\nmonth,2026-07,"));

  pdf_path = g_build_filename (f->dir, "report.pdf", NULL);
  pdf = run_cli (f, "report", "--customer", f->code, "--period", "2026-10", "-o", pdf_path, NULL);
  g_assert_cmpint (pdf.status, ==, 0);
  g_assert_true (g_file_get_contents (pdf_path, &contents, &length, NULL));
  g_assert_cmpuint (length, >, 1000);
  g_assert_true (g_str_has_prefix (contents, "%PDF"));

  png_path = g_build_filename (f->dir, "page.png", NULL);
  png = run_cli (f, "report", "--customer", f->code, "--period", "2026-10", "--format", "png", "-o", png_path, NULL);
  g_assert_cmpint (png.status, ==, 0);
  svg_path = g_build_filename (f->dir, "page.svg", NULL);
  svg = run_cli (f, "report", "--customer", f->code, "--period", "2026-10", "--format", "svg", "-o", svg_path, NULL);
  g_assert_cmpint (svg.status, ==, 0);
  /* One file per page: the report itself for one page, numbered for more. */
  png_first = g_build_filename (f->dir, "page-1.png", NULL);
  svg_first = g_build_filename (f->dir, "page-1.svg", NULL);
  g_assert_true (g_file_test (png_path, G_FILE_TEST_EXISTS) || g_file_test (png_first, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (svg_path, G_FILE_TEST_EXISTS) || g_file_test (svg_first, G_FILE_TEST_EXISTS));
}

static void
test_all (Fixture *f, gconstpointer data)
{
  g_auto(Run) all = { 0 };
  g_autofree char *out_dir = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *expected_path = NULL;
  g_autoptr(GDir) dir = NULL;
  const char *name;
  guint n = 0;

  if (skip_without_cli ())
    return;

  out_dir = g_build_filename (f->dir, "reports", "2026-10", NULL);
  all = run_cli (f, "report", "--all", "--period", "2026-10", "--format", "pdf", "-o", out_dir, NULL);
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

  if (skip_without_cli ())
    return;

  {
    g_auto(Run) r = run_cli (f, "report", "--customer", f->code, "--period", "2026-13", NULL);
    assert_one_error_line (&r, 64);
    g_assert_nonnull (strstr (r.err, "2026-13"));
  }
  {
    g_auto(Run) r = run_cli (f, "report", "--customer", f->code, NULL);
    assert_one_error_line (&r, 64);
  }
  {
    g_auto(Run) r = run_cli (f, "report", "--customer", f->code, "--portfolio", "--period", "2026", NULL);
    assert_one_error_line (&r, 64);
  }
  {
    g_auto(Run) r = run_cli (f, "report", "--customer", f->code, "--period", "2026", "--format", "pdf", NULL);
    assert_one_error_line (&r, 64);   /* a PDF needs -o */
  }
  {
    g_auto(Run) r = run_cli (f, "report", "--customer", f->code, "--period", "2026", "--format", "docx", NULL);
    assert_one_error_line (&r, 64);
  }
  {
    g_auto(Run) r = run_cli (f, "report", "--all", "--period", "2026", "--format", "json", "-o", f->dir, NULL);
    assert_one_error_line (&r, 64);
  }
  {
    g_auto(Run) r = run_cli (f, "report", "--customer", "NO-SUCH", "--period", "2026-10", NULL);
    assert_one_error_line (&r, 65);
    g_assert_nonnull (strstr (r.err, "NO-SUCH"));
  }
  {
    unwritable = g_build_filename (f->dir, "no", "such", "dir", "r.pdf", NULL);
    g_auto(Run) r = run_cli (f, "report", "--customer", f->code, "--period", "2026-10", "-o", unwritable, NULL);
    assert_one_error_line (&r, 73);
  }
  {
    g_auto(Run) r = { 0 };

    missing = g_build_filename (f->dir, "missing.db", NULL);
    g_free (f->workspace);
    f->workspace = g_strdup (missing);
    r = run_cli (f, "report", "--portfolio", "--period", "2026-10", NULL);
    assert_one_error_line (&r, 66);
    g_assert_false (g_file_test (missing, G_FILE_TEST_EXISTS));
  }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/cli-report/json", Fixture, NULL, fixture_set_up, test_json, fixture_tear_down);
  g_test_add ("/cli-report/csv-and-files", Fixture, NULL, fixture_set_up, test_csv_and_files, fixture_tear_down);
  g_test_add ("/cli-report/all", Fixture, NULL, fixture_set_up, test_all, fixture_tear_down);
  g_test_add ("/cli-report/mistakes", Fixture, NULL, fixture_set_up, test_mistakes, fixture_tear_down);

  return g_test_run ();
}
