/* SPDX-License-Identifier: GPL-3.0-or-later */
/* keyline-cli claims from the outside: opening, moving, updating, listing
 * and showing cases, with exit statuses and JSON as docs/cli.md says. */

#include "config.h"

#include <string.h>
#include <json-glib/json-glib.h>

#include "kl-test-util.h"

typedef struct {
  KlTestCli  cli;
  char      *code;   /* a demo customer's code */
} Fixture;

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  g_auto(KlTestRun) demo = { 0 };
  g_auto(KlTestRun) customers = { 0 };
  g_autoptr(JsonNode) root = NULL;

  if (g_getenv ("KEYLINE_CLI") == NULL)
    return;
  kl_test_cli_init (&f->cli, "keyline-test-cli-claims-XXXXXX", NULL, "UTC");
  f->cli.workspace = g_build_filename (f->cli.dir, "workspace.db", NULL);

  demo = kl_test_cli_run (&f->cli, "demo", "--customers", "3", "--years", "1", NULL);
  g_assert_cmpint (demo.status, ==, 0);
  customers = kl_test_cli_run (&f->cli, "customers", "list", "--format", "json", NULL);
  g_assert_cmpint (customers.status, ==, 0);
  root = kl_test_parse_json (customers.out);
  f->code = g_strdup (json_object_get_string_member (json_array_get_object_element (json_node_get_array (root), 0),
                                                     "code"));
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  kl_test_cli_clear (&f->cli);
  g_free (f->code);
}

static char *
open_case (Fixture *f, const char *kind, const char *amount)
{
  g_auto(KlTestRun) r = { 0 };

  if (amount != NULL)
    r = kl_test_cli_run (&f->cli, "claims", "new", "--customer", f->code, "--kind", kind, "--amount", amount,
                         "--currency", "CNY", "--note", "3 箱压损", NULL);
  else
    r = kl_test_cli_run (&f->cli, "claims", "new", "--customer", f->code, "--kind", kind, NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_true (g_uuid_string_is_valid (g_strstrip (r.out)));
  return g_strdup (r.out);
}

static JsonObject *
show (Fixture *f, const char *id, JsonNode **out_root)
{
  g_auto(KlTestRun) r = kl_test_cli_run (&f->cli, "claims", "show", id, "--format", "json", NULL);

  g_assert_cmpint (r.status, ==, 0);
  *out_root = kl_test_parse_json (r.out);
  return json_node_get_object (*out_root);
}

static void
test_new_and_show (Fixture *f, gconstpointer data)
{
  g_autofree char *id = NULL;
  g_autoptr(JsonNode) root = NULL;
  JsonObject *claim, *claimed, *documents;
  g_auto(KlTestRun) table = { 0 };

  if (kl_test_skip_without_cli ())
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
  {
    /* history is data (docs/api.yaml), worded for the reader */
    JsonObject *opening = json_array_get_object_element (json_object_get_array_member (claim, "history"), 0);
    JsonObject *amount = json_object_get_object_member (opening, "amount");

    g_assert_cmpstr (json_object_get_string_member (opening, "change"), ==, "created");
    g_assert_cmpstr (json_object_get_string_member (opening, "new_value"), ==, "filed");
    g_assert_cmpstr (json_object_get_string_member (opening, "to"), ==, "filed");
    g_assert_true (json_object_get_null_member (opening, "from"));
    g_assert_cmpint (json_object_get_int_member (amount, "amount_minor"), ==, 123450);
    g_assert_cmpstr (json_object_get_string_member (opening, "what"), ==, "Opened as Filed, claiming 1234.50 CNY");
  }
  g_assert_true (g_str_has_suffix (json_object_get_string_member (claim, "filed_at"), "+00:00"));

  /* by number, as a table */
  table = kl_test_cli_run (&f->cli, "claims", "show", json_object_get_string_member (claim, "number"), NULL);
  g_assert_cmpint (table.status, ==, 0);
  g_assert_nonnull (strstr (table.out, "1234.50 CNY"));
}

static void
test_bad_input (Fixture *f, gconstpointer data)
{
  g_auto(KlTestRun) decimals = { 0 }, jpy = { 0 }, customer = { 0 }, kind = { 0 }, missing = { 0 }, nothing = { 0 };
  g_auto(KlTestRun) currency = { 0 };

  if (kl_test_skip_without_cli ())
    return;
  decimals = kl_test_cli_run (&f->cli, "claims", "new", "--customer", f->code, "--kind", "loss",
                              "--amount", "10.001", "--currency", "CNY", NULL);
  kl_test_assert_one_error_line (&decimals, 65);
  jpy = kl_test_cli_run (&f->cli, "claims", "new", "--customer", f->code, "--kind", "loss",
                         "--amount", "10.5", "--currency", "JPY", NULL);
  g_assert_cmpint (jpy.status, ==, 65);
  currency = kl_test_cli_run (&f->cli, "claims", "new", "--customer", f->code, "--kind", "loss",
                              "--amount", "10", NULL);
  g_assert_cmpint (currency.status, ==, 64);
  customer = kl_test_cli_run (&f->cli, "claims", "new", "--customer", "NO-SUCH", "--kind", "loss", NULL);
  kl_test_assert_one_error_line (&customer, 65);
  g_assert_nonnull (strstr (customer.err, "NO-SUCH"));
  kind = kl_test_cli_run (&f->cli, "claims", "new", "--customer", f->code, "--kind", "theft", NULL);
  g_assert_cmpint (kind.status, ==, 64);
  missing = kl_test_cli_run (&f->cli, "claims", "show", "CLM-1999-000001", NULL);
  kl_test_assert_one_error_line (&missing, 65);
  nothing = kl_test_cli_run (&f->cli, "claims", "frobnicate", NULL);
  g_assert_cmpint (nothing.status, ==, 64);
}

/* Issue 12, defect 14: any three letters passed as a currency. */
static void
test_currency_iso_4217 (Fixture *f, gconstpointer data)
{
  g_auto(KlTestRun) xyz = { 0 }, listed = { 0 }, usd = { 0 };

  if (kl_test_skip_without_cli ())
    return;
  xyz = kl_test_cli_run (&f->cli, "claims", "new", "--customer", f->code, "--kind", "loss",
                         "--amount", "10", "--currency", "XYZ", NULL);
  kl_test_assert_one_error_line (&xyz, 65);
  g_assert_nonnull (strstr (xyz.err, "XYZ"));
  g_assert_nonnull (strstr (xyz.err, "ISO 4217"));
  listed = kl_test_cli_run (&f->cli, "claims", "list", "--format", "csv", NULL);
  g_assert_cmpint (listed.status, ==, 0);
  g_assert_null (strstr (listed.out, "XYZ"));
  usd = kl_test_cli_run (&f->cli, "claims", "new", "--customer", f->code, "--kind", "loss",
                         "--amount", "10", "--currency", "usd", NULL);
  g_assert_cmpint (usd.status, ==, 0);
}

static void
test_moves (Fixture *f, gconstpointer data)
{
  g_autofree char *id = NULL;
  g_autoptr(JsonNode) root = NULL;
  JsonObject *claim;
  g_auto(KlTestRun) refused = { 0 }, ack = { 0 }, inv = { 0 }, docs_missing = { 0 }, docs = { 0 };
  g_auto(KlTestRun) too_much = { 0 }, approved = { 0 }, bad_doc = { 0 };
  guint history_before;

  if (kl_test_skip_without_cli ())
    return;
  id = open_case (f, "delay", "500");

  refused = kl_test_cli_run (&f->cli, "claims", "move", id, "paid", "--amount", "10", NULL);
  kl_test_assert_one_error_line (&refused, 65);
  g_assert_nonnull (strstr (refused.err, "acknowledged, withdrawn"));

  ack = kl_test_cli_run (&f->cli, "claims", "move", id, "acknowledged", "--note", "called back", NULL);
  g_assert_cmpint (ack.status, ==, 0);
  inv = kl_test_cli_run (&f->cli, "claims", "move", id, "investigating", NULL);
  g_assert_cmpint (inv.status, ==, 0);
  docs_missing = kl_test_cli_run (&f->cli, "claims", "move", id, "approved", "--amount", "400", NULL);
  g_assert_cmpint (docs_missing.status, ==, 65);

  claim = show (f, id, &root);
  history_before = json_array_get_length (json_object_get_array_member (claim, "history"));
  g_clear_pointer (&root, json_node_unref);

  bad_doc = kl_test_cli_run (&f->cli, "claims", "update", id, "--doc", "passport", NULL);
  g_assert_cmpint (bad_doc.status, ==, 64);
  docs = kl_test_cli_run (&f->cli, "claims", "update", id, "--doc", "proof_of_delivery", "--doc", "photos=no",
                          "--owner", "王丽", "--note", "内部：承运商拖延", NULL);
  g_assert_cmpint (docs.status, ==, 0);
  too_much = kl_test_cli_run (&f->cli, "claims", "move", id, "approved", "--amount", "500.01", NULL);
  g_assert_cmpint (too_much.status, ==, 65);
  approved = kl_test_cli_run (&f->cli, "claims", "move", id, "approved", "--amount", "400", NULL);
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
  g_auto(KlTestRun) csv = { 0 }, json = { 0 }, filtered = { 0 }, bad = { 0 };
  g_autoptr(JsonNode) root = NULL;
  JsonArray *array;
  gboolean found = FALSE;

  if (kl_test_skip_without_cli ())
    return;
  id = open_case (f, "complaint", NULL);

  csv = kl_test_cli_run (&f->cli, "claims", "list", "--format", "csv", NULL);
  g_assert_cmpint (csv.status, ==, 0);
  g_assert_true (g_str_has_prefix (csv.out, "id,number,customer_code,kind,status,"));
  g_assert_nonnull (strstr (csv.out, id));

  /* --workspace after the command works as before it. */
  {
    g_autofree char *workspace = g_strdup (f->cli.workspace);
    g_auto(KlTestRun) after = { 0 };

    g_clear_pointer (&f->cli.workspace, g_free);
    after = kl_test_cli_run (&f->cli, "claims", "list", "--format", "csv", "--workspace", workspace, NULL);
    f->cli.workspace = g_steal_pointer (&workspace);
    g_assert_cmpint (after.status, ==, 0);
    g_assert_cmpstr (after.out, ==, csv.out);
  }

  json = kl_test_cli_run (&f->cli, "claims", "list", "--customer", f->code, "--status", "open",
                          "--format", "json", NULL);
  g_assert_cmpint (json.status, ==, 0);
  root = kl_test_parse_json (json.out);
  array = json_node_get_array (root);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *o = json_array_get_object_element (array, i);

      g_assert_cmpstr (json_object_get_string_member (o, "status"), ==, "open");
      g_assert_true (json_object_has_member (o, "history"));
      found |= g_strcmp0 (json_object_get_string_member (o, "id"), id) == 0;
    }
  g_assert_true (found);

  filtered = kl_test_cli_run (&f->cli, "claims", "list", "--overdue", NULL);
  g_assert_cmpint (filtered.status, ==, 0);
  g_assert_null (strstr (filtered.out, id));   /* opened just now: not overdue */

  bad = kl_test_cli_run (&f->cli, "claims", "list", "--status", "sleeping", NULL);
  g_assert_cmpint (bad.status, ==, 64);
}

static void
test_help (Fixture *f, gconstpointer data)
{
  static const char *commands[] = { "list", "show", "new", "update", "move" };

  if (kl_test_skip_without_cli ())
    return;
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      g_auto(KlTestRun) r = kl_test_cli_run (&f->cli, "claims", commands[i], "--help", NULL);

      g_assert_cmpint (r.status, ==, 0);
      g_assert_nonnull (strstr (r.out, commands[i]));
    }
}

/* Issue 12, defect 13: `claims COMMAND --help` exited 66 without a
 * workspace; --help never needs one, and never creates one. */
static void
test_help_without_workspace (Fixture *f, gconstpointer data)
{
  static const char *commands[] = { "list", "show", "new", "update", "move" };
  g_autofree char *missing = NULL;

  if (kl_test_skip_without_cli ())
    return;
  missing = g_build_filename (f->cli.dir, "none", "workspace.db", NULL);
  g_free (f->cli.workspace);
  f->cli.workspace = g_strdup (missing);
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      g_auto(KlTestRun) r = kl_test_cli_run (&f->cli, "claims", commands[i], "--help", NULL);

      g_assert_cmpint (r.status, ==, 0);
      g_assert_nonnull (strstr (r.out, commands[i]));
      g_assert_false (g_file_test (missing, G_FILE_TEST_EXISTS));
    }
  {
    g_auto(KlTestRun) r = kl_test_cli_run (&f->cli, "claims", "--help", NULL);
    g_assert_cmpint (r.status, ==, 0);
  }
  {
    /* without --help, a missing workspace is still an error */
    g_auto(KlTestRun) r = kl_test_cli_run (&f->cli, "claims", "list", NULL);
    kl_test_assert_one_error_line (&r, 66);
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
  ADD ("help-without-workspace", test_help_without_workspace);
  ADD ("currency-iso-4217", test_currency_iso_4217);
#undef ADD

  return g_test_run ();
}
