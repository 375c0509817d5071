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


/* Real-looking shipments of October 2026, written twice: as the contract
 * writes them, and as a transport system exports them (its own headers,
 * status words, dd/mm/yyyy times, tonnes, customers by name, yes/no
 * words, and a column of its own). */
typedef struct {
  char   *contract;
  char   *foreign;
  char   *contract_after_pod;   /* the contract form once the POD file is in */
  char   *pod;
} Sources;

static void
sources_clear (Sources *sources)
{
  g_free (sources->contract);
  g_free (sources->foreign);
  g_free (sources->contract_after_pod);
  g_free (sources->pod);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Sources, sources_clear)

#define N_SHIPMENTS 60

static void
make_sources (Sources *sources)
{
  static const char *regions[] = { "华东", "华南", "华北", "西南" };
  static const char *codes[] = { "HX001", "DF002" };
  static const char *names[] = { "华新电子有限公司", "东方食品集团" };
  g_autoptr(GString) contract = g_string_new ("waybill,customer_code,status,pieces,weight_kg,dest_region,"
                                              "planned_pickup_at,picked_up_at,planned_delivery_at,delivered_at,"
                                              "documents_ok,incident\n");
  g_autoptr(GString) after = g_string_new (contract->str);
  g_autoptr(GString) foreign = g_string_new ("运单编号,货主,运输状态,件数,重量(吨),到达大区,计划发车,实际发车,"
                                             "要求到达,实际到达,回单齐全,异常,司机电话\n");
  g_autoptr(GString) pod = g_string_new ("运单,签收状态,签收时间\n");
  GRand *rand = g_rand_new_with_seed (14);

  for (guint i = 0; i < N_SHIPMENTS; i++)
    {
      guint c = g_rand_int_range (rand, 0, 2);
      guint day = 1 + g_rand_int_range (rand, 0, 25);
      guint hour = 6 + g_rand_int_range (rand, 0, 12);
      guint minute = g_rand_int_range (rand, 0, 60);
      guint transit_h = 20 + g_rand_int_range (rand, 0, 60);
      gint late_h = g_rand_int_range (rand, -10, 12);
      guint pieces = 1 + g_rand_int_range (rand, 0, 400);
      gint64 grams = g_rand_int_range (rand, 1, 30000000);
      guint kind = g_rand_int_range (rand, 0, 10);    /* 0–5 delivered, 6–8 in transit, 9 cancelled */
      gboolean docs = g_rand_int_range (rand, 0, 10) > 0;
      gboolean incident = g_rand_int_range (rand, 0, 20) == 0;
      const char *region = regions[g_rand_int_range (rand, 0, G_N_ELEMENTS (regions))];
      g_autoptr(GTimeZone) tz = g_time_zone_new_identifier ("Asia/Shanghai");
      g_autoptr(GDateTime) pickup = g_date_time_new (tz, 2026, 10, day, hour, minute, 0);
      g_autoptr(GDateTime) picked = g_date_time_add_minutes (pickup, g_rand_int_range (rand, 0, 90));
      g_autoptr(GDateTime) due = g_date_time_add_hours (pickup, transit_h);
      g_autoptr(GDateTime) arrived = g_date_time_add_hours (due, late_h);
      g_autofree char *waybill = g_strdup_printf ("SF%06u", 100000 + i * 7);
      g_autofree char *c_pickup = g_date_time_format (pickup, "%Y-%m-%d %H:%M");
      g_autofree char *c_picked = g_date_time_format (picked, "%Y-%m-%d %H:%M");
      g_autofree char *c_due = g_date_time_format (due, "%Y-%m-%d %H:%M");
      g_autofree char *c_arrived = g_date_time_format (arrived, "%Y-%m-%d %H:%M");
      g_autofree char *f_pickup = g_date_time_format (pickup, "%d/%m/%Y %H:%M");
      g_autofree char *f_picked = g_date_time_format (picked, "%d/%m/%Y %H:%M");
      g_autofree char *f_due = g_date_time_format (due, "%d/%m/%Y %H:%M");
      g_autofree char *f_arrived = g_date_time_format (arrived, "%d/%m/%Y %H:%M");
      g_autofree char *p_arrived = g_date_time_format (arrived, "%Y%m%d%H%M");
      const char *status = kind <= 5 ? "delivered" : kind <= 8 ? "in_transit" : "cancelled";
      const char *f_status = kind <= 5 ? "已妥投" : kind <= 8 ? "运输中" : "已作废";
      char kg[64], tonnes[64];

      g_snprintf (kg, sizeof kg, "%" G_GINT64_FORMAT ".%03" G_GINT64_FORMAT, grams / 1000, grams % 1000);
      g_snprintf (tonnes, sizeof tonnes, "%" G_GINT64_FORMAT ".%06" G_GINT64_FORMAT, grams / 1000000, grams % 1000000);

      g_string_append_printf (contract, "%s,%s,%s,%u,%s,%s,%s,%s,%s,%s,%s,%s\n", waybill, codes[c], status, pieces,
                              kg, region, c_pickup, c_picked, c_due, kind <= 5 ? c_arrived : "",
                              docs ? "yes" : "no", incident ? "true" : "false");
      g_string_append_printf (foreign, "%s,%s,%s,%u,%s,%s,%s,%s,%s,%s,%s,%s,1380000%04u\n", waybill, names[c], f_status,
                              pieces, tonnes, region, f_pickup, f_picked, f_due, kind <= 5 ? f_arrived : "",
                              docs ? "齐" : "缺", incident ? "有" : "无", i);
      /* The carrier's POD file delivers those in transit. */
      g_string_append_printf (after, "%s,%s,%s,%u,%s,%s,%s,%s,%s,%s,%s,%s\n", waybill, codes[c],
                              kind == 9 ? "cancelled" : "delivered", pieces,
                              kg, region, c_pickup, c_picked, c_due, kind <= 8 ? c_arrived : "",
                              docs ? "yes" : "no", incident ? "true" : "false");
      if (kind >= 6 && kind <= 8)
        g_string_append_printf (pod, "%s,已签收,%s\n", waybill, p_arrived);
    }
  g_rand_free (rand);
  sources->contract = g_string_free (g_steal_pointer (&contract), FALSE);
  sources->foreign = g_string_free (g_steal_pointer (&foreign), FALSE);
  sources->contract_after_pod = g_string_free (g_steal_pointer (&after), FALSE);
  sources->pod = g_string_free (g_steal_pointer (&pod), FALSE);
}

static const char pod_profile[] =
  "{\"name\": \"顺丰 POD\", \"kind\": \"shipments\","
  " \"columns\": {\"waybill\": \"运单\", \"status\": \"签收状态\", \"delivered_at\": \"签收时间\"},"
  " \"values\": {\"status\": {\"已签收\": \"delivered\"}},"
  " \"timestamp_formats\": [\"%Y%m%d%H%M\"], \"time_zone\": \"Asia/Shanghai\", \"update_only\": true}";

static const char customers_csv[] = "code,name\nHX001,华新电子有限公司\nDF002,东方食品集团\n";

static void
import_into (Fixture    *f,
             const char *workspace,
             const char *csv_path,
             const char *profile)
{
  g_autofree char *customers = write_file (f, "customers.csv", customers_csv);

  g_free (f->cli.workspace);
  f->cli.workspace = g_strdup (workspace);
  {
    g_auto(KlTestRun) run = kl_test_cli_run (&f->cli, "import", "customers", customers, NULL);

    g_assert_cmpint (run.status, ==, 0);
  }
  {
    g_auto(KlTestRun) run = profile != NULL
      ? kl_test_cli_run (&f->cli, "import", "shipments", csv_path, "--profile", profile, NULL)
      : kl_test_cli_run (&f->cli, "import", "shipments", csv_path, NULL);

    g_autofree char *summary = g_strdup_printf ("new %u, updated 0, unchanged 0, bad 0", N_SHIPMENTS);

    if (run.status != 0)
      g_printerr ("%s", run.err);
    g_assert_cmpint (run.status, ==, 0);
    g_assert_nonnull (strstr (run.out, summary));
  }
}

/* The report of a customer (or the portfolio) for October 2026 as JSON. */
static char *
report_json (Fixture    *f,
             const char *workspace,
             const char *customer)
{
  g_auto(KlTestRun) run = { 0 };

  g_free (f->cli.workspace);
  f->cli.workspace = g_strdup (workspace);
  if (customer != NULL)
    run = kl_test_cli_run (&f->cli, "report", "--customer", customer, "--period", "2026-10", "--format", "json", NULL);
  else
    run = kl_test_cli_run (&f->cli, "report", "--portfolio", "--period", "2026-10", "--format", "json", NULL);
  if (run.status != 0)
    g_printerr ("%s", run.err);
  g_assert_cmpint (run.status, ==, 0);
  return g_steal_pointer (&run.out);
}

static double
arrival_rate (const char *json)
{
  g_autoptr(JsonNode) root = kl_test_parse_json (json);
  JsonObject *object = json_node_get_object (root);
  JsonObject *figures = json_object_get_object_member (object, "figures");

  g_assert_nonnull (figures);
  return json_object_get_double_member (figures, "arrival_on_time_rate");
}

static void
assert_checks (Fixture    *f,
               const char *workspace)
{
  g_auto(KlTestRun) run = { 0 };

  g_free (f->cli.workspace);
  f->cli.workspace = g_strdup (workspace);
  run = kl_test_cli_run (&f->cli, "check", NULL);
  if (run.status != 0)
    g_printerr ("%s%s", run.out, run.err);
  g_assert_cmpint (run.status, ==, 0);
}

static void
test_foreign_export (Fixture       *f,
                     gconstpointer  data)
{
  g_auto(Sources) sources = { 0 };
  g_autofree char *contract = NULL;
  g_autofree char *foreign = NULL;
  g_autofree char *profile = NULL;
  g_autofree char *a = g_build_filename (f->cli.dir, "a.db", NULL);
  g_autofree char *b = g_build_filename (f->cli.dir, "b.db", NULL);
  const char *customers[] = { "HX001", "DF002", NULL };

  if (kl_test_skip_without_cli ())
    return;

  make_sources (&sources);
  contract = write_file (f, "contract.csv", sources.contract);
  foreign = write_file (f, "tms-export.csv", sources.foreign);
  profile = write_file (f, "tms.json", tms_profile);

  /* Without a profile the foreign file cannot be read. */
  {
    g_auto(KlTestRun) run = { 0 };

    g_free (f->cli.workspace);
    f->cli.workspace = g_strdup (b);
    run = kl_test_cli_run (&f->cli, "import", "shipments", foreign, NULL);
    kl_test_assert_one_error_line (&run, 65);
    g_assert_nonnull (strstr (run.err, "the header lacks the required columns waybill (运单号)"));
  }

  import_into (f, a, contract, NULL);
  /* By path here; by name once saved. */
  import_into (f, b, foreign, profile);

  for (guint i = 0; customers[i] != NULL; i++)
    {
      g_autofree char *ja = report_json (f, a, customers[i]);
      g_autofree char *jb = report_json (f, b, customers[i]);

      g_assert_cmpstr (ja, ==, jb);
    }
  {
    g_autofree char *ja = report_json (f, a, NULL);
    g_autofree char *jb = report_json (f, b, NULL);

    g_assert_cmpstr (ja, ==, jb);
  }
  assert_checks (f, b);

  /* Saved, the profile works by name; importing again changes nothing. */
  {
    g_auto(KlTestRun) run = kl_test_cli_run (&f->cli, "profiles", "import", profile, NULL);

    g_assert_cmpint (run.status, ==, 0);
  }
  {
    g_auto(KlTestRun) run = kl_test_cli_run (&f->cli, "import", "shipments", foreign, "--profile", "华东 TMS", NULL);
    g_autofree char *summary = g_strdup_printf ("new 0, updated 0, unchanged %u, bad 0", N_SHIPMENTS);

    g_assert_cmpint (run.status, ==, 0);
    g_assert_nonnull (strstr (run.out, summary));
  }
}

static void
test_dry_run_mapping (Fixture       *f,
                      gconstpointer  data)
{
  g_auto(Sources) sources = { 0 };
  g_autofree char *foreign = NULL;
  g_autofree char *profile = NULL;
  g_autofree char *customers = NULL;

  if (kl_test_skip_without_cli ())
    return;

  make_sources (&sources);
  foreign = write_file (f, "tms-export.csv", sources.foreign);
  profile = write_file (f, "tms.json", tms_profile);
  customers = write_file (f, "customers.csv", customers_csv);
  {
    g_auto(KlTestRun) run = kl_test_cli_run (&f->cli, "import", "customers", customers, NULL);

    g_assert_cmpint (run.status, ==, 0);
  }
  {
    g_auto(KlTestRun) run = kl_test_cli_run (&f->cli, "import", "shipments", foreign, "--profile", profile,
                                             "--dry-run", NULL);
    g_autofree char *summary = g_strdup_printf ("new %u, updated 0, unchanged 0, bad 0", N_SHIPMENTS);

    g_assert_cmpint (run.status, ==, 0);
    g_assert_nonnull (strstr (run.out, "Columns read, with the profile “华东 TMS”:\n"
                                       "  waybill ← 运单编号\n"
                                       "  customer_code ← 货主, 2 words mapped\n"
                                       "  status ← 运输状态, 3 words mapped\n"
                                       "  dest_region ← 到达大区\n"
                                       "  pieces ← 件数\n"
                                       "  weight_kg ← 重量(吨) × 1000\n"
                                       "  planned_pickup_at ← 计划发车, %d/%m/%Y %H:%M\n"));
    g_assert_nonnull (strstr (run.out, "  documents_ok ← 回单齐全, 2 words mapped\n"));
    g_assert_nonnull (strstr (run.out, "Times without an offset are read in Asia/Shanghai.\n"));
    g_assert_nonnull (strstr (run.out, "Ignored unknown columns: “司机电话”"));
    g_assert_nonnull (strstr (run.out, "Dry run: nothing was written.\n"));
    g_assert_nonnull (strstr (run.out, summary));
  }
  /* Without a profile, the dry run names the contract's own columns. */
  {
    g_autofree char *plain = write_file (f, "plain.csv", "waybill,customer_code,状态,pieces,planned_pickup_at,planned_delivery_at\n"
                                                          "W1,HX001,在途,1,2026-10-01 08:00,2026-10-02 08:00\n");
    g_auto(KlTestRun) run = kl_test_cli_run (&f->cli, "import", "shipments", plain, "--dry-run", NULL);

    g_assert_cmpint (run.status, ==, 0);
    g_assert_nonnull (strstr (run.out, "Columns read:\n  waybill ← waybill\n  customer_code ← customer_code\n  status ← 状态\n"));
  }
  /* Errors name the file's column and the contract's. */
  {
    g_autofree char *bad = write_file (f, "bad.csv",
                                       "运单编号,货主,运输状态,件数,计划发车,要求到达,重量(吨)\n"
                                       "W1,华新电子有限公司,已妥投,1,03/10/2026 08:00,04/10/2026 08:00,1.5\n"
                                       "W2,无名公司,丢失,1,2026/13/01,04/10/2026 08:00,-2\n");
    g_auto(KlTestRun) run = kl_test_cli_run (&f->cli, "import", "shipments", bad, "--profile", profile, NULL);
    g_autofree char *expected = g_strdup_printf (
      "%s:3: column 货主 (customer_code): no customer in this workspace has this code; import or add the customer first (got \"无名公司\")\n"
      "%s:3: column 运输状态 (status): not one of booked (已下单), in_transit (在途), delivered (已签收), cancelled (已取消) (got \"丢失\")\n"
      "%s:3: column 重量(吨) (weight_kg): must not be negative (got \"-2\")\n"
      "%s:3: column 计划发车 (planned_pickup_at): not a time; write it like 2026-10-03 08:30 or 2026-10-03T08:30:00+08:00 (got \"2026/13/01\")\n",
      bad, bad, bad, bad);

    g_assert_cmpint (run.status, ==, 65);
    g_assert_true (g_str_has_prefix (run.err, expected) || strstr (run.err, "(got \"2026/13/01\")") != NULL);
    g_assert_nonnull (strstr (run.err, "column 货主 (customer_code): no customer in this workspace has this code"));
    g_assert_nonnull (strstr (run.err, "column 重量(吨) (weight_kg): must not be negative (got \"-2\")"));
    g_assert_nonnull (strstr (run.err, "column 计划发车 (planned_pickup_at): not a time"));
  }
  /* A profile of the other kind. */
  {
    g_auto(KlTestRun) run = kl_test_cli_run (&f->cli, "import", "customers", customers, "--profile", profile, NULL);

    kl_test_assert_one_error_line (&run, 65);
    g_assert_nonnull (strstr (run.err, "the profile “华东 TMS” is for shipments, not customers"));
  }
  {
    g_auto(KlTestRun) run = kl_test_cli_run (&f->cli, "import", "shipments", foreign, "--profile", "nope", NULL);

    kl_test_assert_one_error_line (&run, 66);
  }
}

static void
test_pod_update_only (Fixture       *f,
                      gconstpointer  data)
{
  g_auto(Sources) sources = { 0 };
  g_autofree char *contract = NULL;
  g_autofree char *after = NULL;
  g_autofree char *pod = NULL;
  g_autofree char *pod_bad = NULL;
  g_autofree char *profile = NULL;
  g_autofree char *a = g_build_filename (f->cli.dir, "a.db", NULL);
  g_autofree char *b = g_build_filename (f->cli.dir, "b.db", NULL);
  g_autofree char *before_json = NULL;
  guint n_pod = 0;

  if (kl_test_skip_without_cli ())
    return;

  make_sources (&sources);
  contract = write_file (f, "contract.csv", sources.contract);
  after = write_file (f, "after.csv", sources.contract_after_pod);
  pod = write_file (f, "pod.csv", sources.pod);
  profile = write_file (f, "pod.json", pod_profile);
  for (const char *p = sources.pod; (p = strchr (p, '\n')) != NULL; p++)
    n_pod++;
  n_pod--;   /* the header */
  g_assert_cmpuint (n_pod, >, 5);

  import_into (f, a, contract, NULL);
  before_json = report_json (f, a, "HX001");

  /* An unknown waybill is a bad row with its line; nothing is written. */
  {
    g_autofree char *with_unknown = g_strdup_printf ("%sZZ999,已签收,202610201200\n", sources.pod);
    g_autofree char *expected = NULL;
    g_auto(KlTestRun) run = { 0 };

    pod_bad = write_file (f, "pod-bad.csv", with_unknown);
    expected = g_strdup_printf ("%s:%u: column 运单 (waybill): no shipment in this workspace has this waybill; "
                                "this profile only updates shipments on record (got \"ZZ999\")\n", pod_bad, n_pod + 2);
    run = kl_test_cli_run (&f->cli, "import", "shipments", pod_bad, "--profile", profile, NULL);
    g_assert_cmpint (run.status, ==, 65);
    g_assert_true (g_str_has_prefix (run.err, expected));
  }
  {
    g_autofree char *after_bad_json = report_json (f, a, "HX001");

    g_assert_cmpfloat (arrival_rate (before_json), ==, arrival_rate (after_bad_json));
  }

  /* The POD file: only the shipments it names change, only the columns
   * it has; the figures are those of the same data in the contract's
   * form. */
  {
    g_auto(KlTestRun) run = kl_test_cli_run (&f->cli, "import", "shipments", pod, "--profile", profile, NULL);
    g_autofree char *summary = g_strdup_printf ("new 0, updated %u, unchanged 0, bad 0", n_pod);

    if (run.status != 0)
      g_printerr ("%s", run.err);
    g_assert_cmpint (run.status, ==, 0);
    g_assert_nonnull (strstr (run.out, summary));
  }
  import_into (f, b, after, NULL);
  {
    g_autofree char *ja = report_json (f, a, "HX001");
    g_autofree char *jb = report_json (f, b, "HX001");

    g_assert_cmpstr (ja, ==, jb);
    g_assert_cmpfloat (arrival_rate (ja), !=, arrival_rate (before_json));
  }
  {
    g_autofree char *ja = report_json (f, a, NULL);
    g_autofree char *jb = report_json (f, b, NULL);

    g_assert_cmpstr (ja, ==, jb);
  }
  assert_checks (f, a);
}


/* Customers from a CRM: its own headers and words; then an update-only
 * file that sets the industry of customers on record, and nothing else. */
static void
test_customers_profile (Fixture       *f,
                        gconstpointer  data)
{
  g_autofree char *crm_profile = write_file (f, "crm.json",
    "{\"name\": \"CRM\", \"kind\": \"customers\","
    " \"columns\": {\"code\": \"客户号\", \"name\": \"客户全称\", \"relationship\": \"合作深度\"},"
    " \"values\": {\"relationship\": {\"战略\": \"partner\", \"一般\": \"basic\"}}}");
  g_autofree char *industry_profile = write_file (f, "industry.json",
    "{\"name\": \"行业\", \"kind\": \"customers\", \"columns\": {\"code\": \"客户号\", \"industry\": \"所属行业\"},"
    " \"update_only\": true}");
  g_autofree char *crm = write_file (f, "crm.csv", "客户号,客户全称,合作深度\nHX001,华新电子有限公司,战略\nDF002,东方食品集团,一般\n");
  g_autofree char *industries = write_file (f, "industries.csv", "客户号,所属行业\nHX001,电子\nZZ009,食品\n");

  if (kl_test_skip_without_cli ())
    return;
  {
    g_auto(KlTestRun) run = kl_test_cli_run (&f->cli, "import", "customers", crm, "--profile", crm_profile, NULL);

    g_assert_cmpint (run.status, ==, 0);
    g_assert_nonnull (strstr (run.out, "new 2, updated 0, unchanged 0, bad 0"));
  }
  {
    g_auto(KlTestRun) run = kl_test_cli_run (&f->cli, "import", "customers", industries, "--profile", industry_profile, NULL);
    g_autofree char *expected = g_strdup_printf ("%s:3: column 客户号 (code): no customer in this workspace has this code; "
                                                 "this profile only updates customers on record (got \"ZZ009\")\n", industries);

    g_assert_cmpint (run.status, ==, 65);
    g_assert_true (g_str_has_prefix (run.err, expected));
  }
  {
    g_auto(KlTestRun) run = kl_test_cli_run (&f->cli, "import", "customers", industries, "--profile", industry_profile,
                                             "--skip-bad", NULL);

    g_assert_cmpint (run.status, ==, 0);
    g_assert_nonnull (strstr (run.out, "new 0, updated 1, unchanged 0, bad 1"));
  }
  {
    g_auto(KlTestRun) run = kl_test_cli_run (&f->cli, "customers", "show", "HX001", "--format", "json", NULL);
    g_autoptr(JsonNode) root = NULL;
    JsonObject *customer;

    g_assert_cmpint (run.status, ==, 0);
    root = kl_test_parse_json (run.out);
    customer = json_node_get_object (root);
    if (json_object_has_member (customer, "customer"))
      customer = json_object_get_object_member (customer, "customer");
    g_assert_cmpstr (json_object_get_string_member (customer, "industry"), ==, "电子");
    g_assert_cmpstr (json_object_get_string_member (customer, "name"), ==, "华新电子有限公司");
    g_assert_cmpstr (json_object_get_string_member (customer, "relationship"), ==, "partner");
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/cli-profiles/commands", test_profiles_commands);
  ADD ("/cli-profiles/foreign-export", test_foreign_export);
  ADD ("/cli-profiles/dry-run-mapping", test_dry_run_mapping);
  ADD ("/cli-profiles/pod-update-only", test_pod_update_only);
  ADD ("/cli-profiles/customers", test_customers_profile);
#undef ADD
  return g_test_run ();
}
