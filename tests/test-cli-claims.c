/* SPDX-License-Identifier: GPL-3.0-or-later */
/* keyline-cli claims from the outside: opening, moving, updating, listing
 * and showing cases, with exit statuses and JSON as contracts/cli.md says. */

#include "config.h"

#include <string.h>
#include <sys/wait.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

typedef struct {
  char  *dir;
  char  *workspace;
  char **env;
  char  *code;        /* a demo customer's code */
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

/* Every error is one line starting "keyline-cli: ". */
static void
assert_one_error_line (const char *err)
{
  g_assert_true (g_str_has_prefix (err, "keyline-cli: "));
  g_assert_nonnull (strchr (err, '\n'));
  g_assert_cmpstr (strchr (err, '\n') + 1, ==, "");
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
fixture_set_up (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_auto(Run) demo = { 0 };
  g_auto(Run) customers = { 0 };
  g_autoptr(JsonNode) root = NULL;

  if (g_getenv ("KEYLINE_CLI") == NULL)
    return;
  f->dir = g_dir_make_tmp ("keyline-test-cli-claims-XXXXXX", &error);
  g_assert_no_error (error);
  f->workspace = g_build_filename (f->dir, "workspace.db", NULL);
  f->env = g_get_environ ();
  f->env = g_environ_setenv (f->env, "TZ", "UTC", TRUE);
  f->env = g_environ_setenv (f->env, "LC_ALL", "C.UTF-8", TRUE);
  f->env = g_environ_setenv (f->env, "XDG_DATA_HOME", f->dir, TRUE);
  f->env = g_environ_unsetenv (f->env, "KEYLINE_WORKSPACE");

  demo = run_cli (f, "demo", "--customers", "3", "--years", "1", NULL);
  g_assert_cmpint (demo.status, ==, 0);
  customers = run_cli (f, "customers", "list", "--format", "json", NULL);
  g_assert_cmpint (customers.status, ==, 0);
  root = parse_json (customers.out);
  f->code = g_strdup (json_object_get_string_member (json_array_get_object_element (json_node_get_array (root), 0),
                                                     "code"));
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

static char *
open_case (Fixture *f, const char *kind, const char *amount)
{
  g_auto(Run) r = { 0 };

  if (amount != NULL)
    r = run_cli (f, "claims", "new", "--customer", f->code, "--kind", kind, "--amount", amount,
                 "--currency", "CNY", "--note", "3 箱压损", NULL);
  else
    r = run_cli (f, "claims", "new", "--customer", f->code, "--kind", kind, NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_true (g_uuid_string_is_valid (g_strstrip (r.out)));
  return g_strdup (r.out);
}

static JsonObject *
show (Fixture *f, const char *id, JsonNode **out_root)
{
  g_auto(Run) r = run_cli (f, "claims", "show", id, "--format", "json", NULL);

  g_assert_cmpint (r.status, ==, 0);
  *out_root = parse_json (r.out);
  return json_node_get_object (*out_root);
}

static void
test_new_and_show (Fixture *f, gconstpointer data)
{
  g_autofree char *id = NULL;
  g_autoptr(JsonNode) root = NULL;
  JsonObject *claim, *claimed, *documents;
  g_auto(Run) table = { 0 };

  if (skip_without_cli ())
    return;
  id = open_case (f, "damage", "1234.5");
  claim = show (f, id, &root);
  g_assert_cmpstr (json_object_get_string_member (claim, "id"), ==, id);
  g_assert_cmpstr (json_object_get_string_member (claim, "kind"), ==, "damage");
  g_assert_cmpstr (json_object_get_string_member (claim, "status"), ==, "filed");
  g_assert_true (g_str_has_prefix (json_object_get_string_member (claim, "number"), "CLM-"));
  g_assert_cmpstr (json_object_get_string_member (claim, "description"), ==, "3 箱压损");
  claimed = json_object_get_object_member (claim, "claimed");
  g_assert_cmpint (json_object_get_int_member (claimed, "amount_minor"), ==, 123450);
  g_assert_cmpstr (json_object_get_string_member (claimed, "currency"), ==, "CNY");
  g_assert_true (json_object_get_null_member (claim, "approved"));
  documents = json_object_get_object_member (claim, "documents");
  g_assert_cmpuint (json_object_get_size (documents), ==, 8);
  g_assert_false (json_object_get_boolean_member (documents, "photos"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (claim, "history")), ==, 1);
  g_assert_true (g_str_has_suffix (json_object_get_string_member (claim, "filed_at"), "+00:00"));

  /* by number, as a table */
  table = run_cli (f, "claims", "show", json_object_get_string_member (claim, "number"), NULL);
  g_assert_cmpint (table.status, ==, 0);
  g_assert_nonnull (strstr (table.out, "1234.50 CNY"));
}

static void
test_bad_input (Fixture *f, gconstpointer data)
{
  g_auto(Run) decimals = { 0 }, jpy = { 0 }, customer = { 0 }, kind = { 0 }, missing = { 0 }, nothing = { 0 };
  g_auto(Run) currency = { 0 };

  if (skip_without_cli ())
    return;
  decimals = run_cli (f, "claims", "new", "--customer", f->code, "--kind", "loss",
                      "--amount", "10.001", "--currency", "CNY", NULL);
  g_assert_cmpint (decimals.status, ==, 65);
  assert_one_error_line (decimals.err);
  jpy = run_cli (f, "claims", "new", "--customer", f->code, "--kind", "loss",
                 "--amount", "10.5", "--currency", "JPY", NULL);
  g_assert_cmpint (jpy.status, ==, 65);
  currency = run_cli (f, "claims", "new", "--customer", f->code, "--kind", "loss", "--amount", "10", NULL);
  g_assert_cmpint (currency.status, ==, 64);
  customer = run_cli (f, "claims", "new", "--customer", "NO-SUCH", "--kind", "loss", NULL);
  g_assert_cmpint (customer.status, ==, 65);
  assert_one_error_line (customer.err);
  g_assert_nonnull (strstr (customer.err, "NO-SUCH"));
  kind = run_cli (f, "claims", "new", "--customer", f->code, "--kind", "theft", NULL);
  g_assert_cmpint (kind.status, ==, 64);
  missing = run_cli (f, "claims", "show", "CLM-1999-000001", NULL);
  g_assert_cmpint (missing.status, ==, 65);
  assert_one_error_line (missing.err);
  nothing = run_cli (f, "claims", "frobnicate", NULL);
  g_assert_cmpint (nothing.status, ==, 64);
}

static void
test_moves (Fixture *f, gconstpointer data)
{
  g_autofree char *id = NULL;
  g_autoptr(JsonNode) root = NULL;
  JsonObject *claim;
  g_auto(Run) refused = { 0 }, ack = { 0 }, inv = { 0 }, docs_missing = { 0 }, docs = { 0 };
  g_auto(Run) too_much = { 0 }, approved = { 0 }, bad_doc = { 0 };
  guint history_before;

  if (skip_without_cli ())
    return;
  id = open_case (f, "delay", "500");

  refused = run_cli (f, "claims", "move", id, "paid", "--amount", "10", NULL);
  g_assert_cmpint (refused.status, ==, 65);
  assert_one_error_line (refused.err);
  g_assert_nonnull (strstr (refused.err, "acknowledged, withdrawn"));

  ack = run_cli (f, "claims", "move", id, "acknowledged", "--note", "called back", NULL);
  g_assert_cmpint (ack.status, ==, 0);
  inv = run_cli (f, "claims", "move", id, "investigating", NULL);
  g_assert_cmpint (inv.status, ==, 0);
  docs_missing = run_cli (f, "claims", "move", id, "approved", "--amount", "400", NULL);
  g_assert_cmpint (docs_missing.status, ==, 65);

  claim = show (f, id, &root);
  history_before = json_array_get_length (json_object_get_array_member (claim, "history"));
  g_clear_pointer (&root, json_node_unref);

  bad_doc = run_cli (f, "claims", "update", id, "--doc", "passport", NULL);
  g_assert_cmpint (bad_doc.status, ==, 64);
  docs = run_cli (f, "claims", "update", id, "--doc", "proof_of_delivery", "--doc", "photos=no",
                  "--owner", "王丽", "--note", "内部：承运商拖延", NULL);
  g_assert_cmpint (docs.status, ==, 0);
  too_much = run_cli (f, "claims", "move", id, "approved", "--amount", "500.01", NULL);
  g_assert_cmpint (too_much.status, ==, 65);
  approved = run_cli (f, "claims", "move", id, "approved", "--amount", "400", NULL);
  g_assert_cmpint (approved.status, ==, 0);

  claim = show (f, id, &root);
  g_assert_cmpstr (json_object_get_string_member (claim, "status"), ==, "approved");
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (claim, "approved"), "amount_minor"),
                   ==, 40000);
  g_assert_cmpstr (json_object_get_string_member (claim, "owner"), ==, "王丽");
  g_assert_true (json_object_get_boolean_member (json_object_get_object_member (claim, "documents"),
                                                 "proof_of_delivery"));
  /* owner + one document + the move: three entries (photos was not there) */
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (claim, "history")), ==,
                    history_before + 3);
  g_assert_false (json_object_get_null_member (claim, "acknowledged_at"));
}

static void
test_list (Fixture *f, gconstpointer data)
{
  g_autofree char *id = NULL;
  g_auto(Run) csv = { 0 }, json = { 0 }, filtered = { 0 }, bad = { 0 };
  g_autoptr(JsonNode) root = NULL;
  JsonArray *array;
  gboolean found = FALSE;

  if (skip_without_cli ())
    return;
  id = open_case (f, "complaint", NULL);

  csv = run_cli (f, "claims", "list", "--format", "csv", NULL);
  g_assert_cmpint (csv.status, ==, 0);
  g_assert_true (g_str_has_prefix (csv.out, "id,number,customer_code,kind,status,"));
  g_assert_nonnull (strstr (csv.out, id));

  json = run_cli (f, "claims", "list", "--customer", f->code, "--status", "open", "--format", "json", NULL);
  g_assert_cmpint (json.status, ==, 0);
  root = parse_json (json.out);
  array = json_node_get_array (root);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *o = json_array_get_object_element (array, i);

      g_assert_cmpstr (json_object_get_string_member (o, "status"), ==, "open");
      g_assert_true (json_object_has_member (o, "history"));
      found |= g_strcmp0 (json_object_get_string_member (o, "id"), id) == 0;
    }
  g_assert_true (found);

  filtered = run_cli (f, "claims", "list", "--overdue", NULL);
  g_assert_cmpint (filtered.status, ==, 0);
  g_assert_null (strstr (filtered.out, id));   /* opened just now: not overdue */

  bad = run_cli (f, "claims", "list", "--status", "sleeping", NULL);
  g_assert_cmpint (bad.status, ==, 64);
}

static void
test_help (Fixture *f, gconstpointer data)
{
  static const char *commands[] = { "list", "show", "new", "update", "move" };

  if (skip_without_cli ())
    return;
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      g_auto(Run) r = run_cli (f, "claims", commands[i], "--help", NULL);

      g_assert_cmpint (r.status, ==, 0);
      g_assert_nonnull (strstr (r.out, commands[i]));
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, fn) g_test_add ("/cli-claims/" path, Fixture, NULL, fixture_set_up, fn, fixture_tear_down)
  ADD ("new-and-show", test_new_and_show);
  ADD ("bad-input", test_bad_input);
  ADD ("moves", test_moves);
  ADD ("list", test_list);
  ADD ("help", test_help);
#undef ADD

  return g_test_run ();
}
