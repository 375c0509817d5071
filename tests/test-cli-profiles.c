/* SPDX-License-Identifier: GPL-3.0-or-later */
/* keyline-cli profiles list|show|export|import, and imports with
 * --profile: each run as a child process in a private data directory. */

#include "config.h"

#include <string.h>
#include <glib/gstdio.h>

#include "kl-test-util.h"

typedef struct {
  KlTestCli  cli;
  char      *profiles_dir;   /* $XDG_DATA_HOME/keyline/import-profiles */
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  kl_test_cli_init (&f->cli, "keyline-test-cli-profiles-XXXXXX", "data", "Asia/Shanghai");
  f->cli.workspace = g_build_filename (f->cli.dir, "workspace.db", NULL);
  f->profiles_dir = g_build_filename (f->cli.dir, "data", "keyline", "import-profiles", NULL);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  kl_test_cli_clear (&f->cli);
  g_free (f->profiles_dir);
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

static const char tms_profile[] =
  "{\n"
  "  \"name\": \"华东 TMS\",\n"
  "  \"kind\": \"shipments\",\n"
  "  \"columns\": {\"waybill\": \"运单编号\", \"customer_code\": \"货主\", \"status\": \"运输状态\",\n"
  "              \"pieces\": \"件数\", \"weight_kg\": \"重量(吨)\", \"dest_region\": \"到达大区\",\n"
  "              \"planned_pickup_at\": \"计划发车\", \"picked_up_at\": \"实际发车\",\n"
  "              \"planned_delivery_at\": \"要求到达\", \"delivered_at\": \"实际到达\",\n"
  "              \"documents_ok\": \"回单齐全\", \"incident\": \"异常\"},\n"
  "  \"values\": {\"status\": {\"已妥投\": \"delivered\", \"运输中\": \"in_transit\", \"已作废\": \"cancelled\"},\n"
  "             \"customer_code\": {\"华新电子有限公司\": \"HX001\", \"东方食品集团\": \"DF002\"},\n"
  "             \"documents_ok\": {\"齐\": \"yes\", \"缺\": \"no\"},\n"
  "             \"incident\": {\"有\": \"yes\", \"无\": \"no\"}},\n"
  "  \"timestamp_formats\": [\"%d/%m/%Y %H:%M\"],\n"
  "  \"time_zone\": \"Asia/Shanghai\",\n"
  "  \"scale\": {\"weight_kg\": 1000},\n"
  "  \"update_only\": false\n"
  "}\n";

static void
test_profiles_commands (Fixture       *f,
                        gconstpointer  data)
{
  g_autofree char *path = NULL;
  g_autofree char *exported = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *bad = NULL;

  if (kl_test_skip_without_cli ())
    return;

  {
    g_auto(KlTestRun) run = kl_test_cli_run (&f->cli, "profiles", "list", NULL);

    g_assert_cmpint (run.status, ==, 0);
    g_assert_nonnull (strstr (run.out, "No import profiles are saved."));
  }

  path = write_file (f, "tms.json", tms_profile);
  {
    g_auto(KlTestRun) run = kl_test_cli_run (&f->cli, "profiles", "import", path, NULL);

    g_assert_cmpint (run.status, ==, 0);
    g_assert_cmpstr (run.out, ==, "Saved the import profile “华东 TMS”.\n");
    g_assert_true (g_file_test (f->profiles_dir, G_FILE_TEST_IS_DIR));
  }
  {
    /* Saved already: refused, and how to replace it said. */
    g_auto(KlTestRun) run = kl_test_cli_run (&f->cli, "profiles", "import", path, NULL);

    kl_test_assert_one_error_line (&run, 73);
    g_assert_cmpstr (run.err, ==, "keyline-cli: An import profile called “华东 TMS” exists already; "
                                  "choose another name or replace it (add --replace to replace it)\n");
  }
  {
    g_auto(KlTestRun) run = kl_test_cli_run (&f->cli, "profiles", "import", path, "--replace", NULL);

    g_assert_cmpint (run.status, ==, 0);
  }
  {
    g_auto(KlTestRun) run = kl_test_cli_run (&f->cli, "profiles", "list", NULL);

    g_assert_cmpint (run.status, ==, 0);
    g_assert_true (g_str_has_prefix (run.out, "华东 TMS"));
    g_assert_nonnull (strstr (run.out, "shipments"));
  }
  {
    g_auto(KlTestRun) run = kl_test_cli_run (&f->cli, "profiles", "list", "--format", "json", NULL);
    g_autoptr(JsonNode) root = NULL;
    JsonArray *array;

    g_assert_cmpint (run.status, ==, 0);
    root = kl_test_parse_json (run.out);
    array = json_node_get_array (root);
    g_assert_cmpuint (json_array_get_length (array), ==, 1);
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (array, 0), "name"), ==, "华东 TMS");
  }
  {
    g_auto(KlTestRun) run = kl_test_cli_run (&f->cli, "profiles", "show", "华东 TMS", NULL);
    g_autoptr(JsonNode) root = NULL;
    JsonObject *object;

    g_assert_cmpint (run.status, ==, 0);
    root = kl_test_parse_json (run.out);
    object = json_node_get_object (root);
    g_assert_cmpstr (json_object_get_string_member (object, "kind"), ==, "shipments");
    g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (object, "scale"), "weight_kg"), ==, 1000);
  }
  {
    g_auto(KlTestRun) run = kl_test_cli_run (&f->cli, "profiles", "show", "nope", NULL);

    kl_test_assert_one_error_line (&run, 66);
    g_assert_cmpstr (run.err, ==, "keyline-cli: No import profile is called “nope”; `keyline-cli profiles list` "
                                  "lists them, or give the path of a profile file\n");
  }

  exported = g_build_filename (f->cli.dir, "shared.json", NULL);
  {
    g_auto(KlTestRun) run = kl_test_cli_run (&f->cli, "profiles", "export", "华东 TMS", "-o", exported, NULL);
    g_autoptr(JsonNode) root = NULL;

    g_assert_cmpint (run.status, ==, 0);
    g_assert_true (g_file_get_contents (exported, &contents, NULL, NULL));
    root = kl_test_parse_json (contents);
    g_assert_cmpstr (json_object_get_string_member (json_node_get_object (root), "name"), ==, "华东 TMS");
  }
  {
    g_auto(KlTestRun) run = kl_test_cli_run (&f->cli, "profiles", "export", "华东 TMS", NULL);

    kl_test_assert_one_error_line (&run, 64);
  }
  {
    g_autofree char *nowhere = g_build_filename (f->cli.dir, "no", "such", "dir.json", NULL);
    g_auto(KlTestRun) run = kl_test_cli_run (&f->cli, "profiles", "export", "华东 TMS", "-o", nowhere, NULL);

    kl_test_assert_one_error_line (&run, 73);
  }

  /* A broken profile: 65, the file and the key named. */
  bad = write_file (f, "bad.json", "{\"name\": \"x\", \"kind\": \"shipments\", \"scale\": {\"status\": 2}}");
  {
    g_auto(KlTestRun) run = kl_test_cli_run (&f->cli, "profiles", "import", bad, NULL);
    g_autofree char *expected = g_strdup_printf ("keyline-cli: %s: scale: status is not a number column; only numbers "
                                                 "(pieces, weight_kg, volume_m3, revenue…) can be scaled\n", bad);

    kl_test_assert_one_error_line (&run, 65);
    g_assert_cmpstr (run.err, ==, expected);
  }
  {
    g_autofree char *missing = g_build_filename (f->cli.dir, "missing.json", NULL);
    g_auto(KlTestRun) run = kl_test_cli_run (&f->cli, "profiles", "import", missing, NULL);

    kl_test_assert_one_error_line (&run, 66);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/cli-profiles/commands", test_profiles_commands);
#undef ADD
  return g_test_run ();
}
