/* SPDX-License-Identifier: GPL-3.0-or-later */
/* keyline-cli analysis and survey from the outside: JSON against numbers
 * worked out by hand from tests/data/analysis, and the published survey
 * example of tests/survey-example.py. */

#include "config.h"

#include <math.h>
#include <string.h>
#include <json-glib/json-glib.h>

#include "kl-test-util.h"

typedef struct {
  KlTestCli cli;
} Fixture;

static char *
data_path (const char *name)
{
  return g_test_build_filename (G_TEST_DIST, "data", name, NULL);
}

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  g_autofree char *customers = data_path ("analysis/customers.csv");
  g_autofree char *shipments = data_path ("analysis/shipments.csv");
  g_auto(KlTestRun) c = { 0 };
  g_auto(KlTestRun) s = { 0 };

  if (g_getenv ("KEYLINE_CLI") == NULL)
    return;
  kl_test_cli_init (&f->cli, "keyline-test-cli-analysis-XXXXXX", NULL, "UTC");
  f->cli.workspace = g_build_filename (f->cli.dir, "workspace.db", NULL);
  c = kl_test_cli_run (&f->cli, "import", "customers", customers, NULL);
  g_assert_cmpint (c.status, ==, 0);
  s = kl_test_cli_run (&f->cli, "import", "shipments", shipments, NULL);
  if (s.status != 0)
    g_printerr ("%s%s", s.out, s.err);
  g_assert_cmpint (s.status, ==, 0);
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  if (g_getenv ("KEYLINE_CLI") == NULL)
    return;
  kl_test_cli_clear (&f->cli);
}

static JsonObject *
element (JsonArray *array, guint i)
{
  return json_array_get_object_element (array, i);
}

/* Revenue in October 2026 (the twelve months from November 2025): A1 700,
 * B2 200, C3 80, D4 15, E5 5 = 1000 CNY; E5's 10 000 of October 2025 and
 * D4's cancelled 90 000 are out. Every shipment carries revenue, so the
 * basis is revenue. Before: A1 0 % (A), B2 exactly 70 % (B), C3 90 % (C),
 * D4 98 % (D), E5 99.5 % (D). Lines: road_ftl 780 (I), air 200 (II),
 * sea 15 (III), rail 5 (IV). */
static void
test_classes (Fixture *f, gconstpointer data)
{
  static const char *const codes[] = { "A1", "B2", "C3", "D4", "E5" };
  static const char *const classes[] = { "A", "B", "C", "D", "D" };
  static const gint64 contributions[] = { 70000, 20000, 8000, 1500, 500 };
  static const double cumulative[] = { 0.70, 0.90, 0.98, 0.995, 1.0 };
  static const char *const modes[] = { "road_ftl", "air", "sea", "rail" };
  static const char *const line_classes[] = { "I", "II", "III", "IV" };
  g_auto(KlTestRun) r = { 0 };
  g_auto(KlTestRun) s = { 0 };
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonNode) root_s = NULL;
  JsonObject *o;
  JsonArray *accounts, *lines;

  if (kl_test_skip_without_cli ())
    return;
  r = kl_test_cli_run (&f->cli, "analysis", "classes", "--period", "2026-10", "--format", "json", NULL);
  g_assert_cmpint (r.status, ==, 0);
  root = kl_test_parse_json (r.out);
  o = json_node_get_object (root);
  g_assert_cmpstr (json_object_get_string_member (o, "period"), ==, "2026-10");
  g_assert_cmpstr (json_object_get_string_member (o, "basis"), ==, "revenue");
  accounts = json_object_get_array_member (o, "accounts");
  g_assert_cmpuint (json_array_get_length (accounts), ==, 5);   /* Z0 has no class */
  for (guint i = 0; i < 5; i++)
    {
      JsonObject *a = element (accounts, i);
      g_assert_cmpstr (json_object_get_string_member (a, "code"), ==, codes[i]);
      g_assert_cmpstr (json_object_get_string_member (a, "class"), ==, classes[i]);
      g_assert_cmpint (json_object_get_int_member (a, "contribution"), ==, contributions[i]);
      g_assert_cmpfloat_with_epsilon (json_object_get_double_member (a, "cumulative_share"), cumulative[i], 1e-12);
      g_assert_false (json_object_get_boolean_member (a, "manual"));
    }
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (element (accounts, 0), "share"), 0.7, 1e-12);
  lines = json_object_get_array_member (o, "service_lines");
  g_assert_cmpuint (json_array_get_length (lines), ==, 4);
  for (guint i = 0; i < 4; i++)
    {
      g_assert_cmpstr (json_object_get_string_member (element (lines, i), "mode"), ==, modes[i]);
      g_assert_cmpstr (json_object_get_string_member (element (lines, i), "class"), ==, line_classes[i]);
    }
  g_assert_cmpint (json_object_get_int_member (element (lines, 0), "contribution"), ==, 78000);

  /* by shipments: one each, ties by code; E5 has 80 % before it: B */
  s = kl_test_cli_run (&f->cli, "analysis", "classes", "--period", "2026-10", "--basis", "shipments",
                       "--format", "json", NULL);
  g_assert_cmpint (s.status, ==, 0);
  root_s = kl_test_parse_json (s.out);
  accounts = json_object_get_array_member (json_node_get_object (root_s), "accounts");
  g_assert_cmpstr (json_object_get_string_member (element (accounts, 3), "class"), ==, "A");
  g_assert_cmpstr (json_object_get_string_member (element (accounts, 4), "code"), ==, "E5");
  g_assert_cmpstr (json_object_get_string_member (element (accounts, 4), "class"), ==, "B");
}

static JsonObject *
standard_of (JsonArray *rows, const char *code)
{
  for (guint i = 0; i < json_array_get_length (rows); i++)
    if (g_strcmp0 (json_object_get_string_member (element (rows, i), "code"), code) == 0)
      return element (rows, i);
  g_assert_not_reached ();
  return NULL;
}

/* A1 road_ftl: A×I, priority 1 (100 %, 1 day); 24 h in transit is within
 * one day, on time: both met. B2 air: B×II, 4 (100 %, 1 day); 25 h: the
 * lead time missed, on time met. C3 road_ftl: C×I, 6 (98 %, 2 days); not
 * picked up, so from the planned pickup: 3 days, and a day late: both
 * missed. D4 sea: D×III, 16 (90 %, 5 days), nothing delivered: null.
 * E5 rail: D×IV, 19 (90 %, 5 days): 4 days, early: both met. */
static void
test_standards (Fixture *f, gconstpointer data)
{
  g_auto(KlTestRun) r = { 0 };
  g_auto(KlTestRun) one = { 0 };
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonNode) root_one = NULL;
  JsonArray *rows;
  JsonObject *s;

  if (kl_test_skip_without_cli ())
    return;
  r = kl_test_cli_run (&f->cli, "analysis", "standards", "--period", "2026-10", "--format", "json", NULL);
  g_assert_cmpint (r.status, ==, 0);
  root = kl_test_parse_json (r.out);
  rows = json_object_get_array_member (json_node_get_object (root), "rows");
  g_assert_cmpuint (json_array_get_length (rows), ==, 5);

  s = standard_of (rows, "A1");
  g_assert_cmpint (json_object_get_int_member (s, "priority"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (s, "lead_days"), ==, 1);
  g_assert_cmpfloat (json_object_get_double_member (s, "within_lead_time_rate"), ==, 1.0);
  g_assert_true (json_object_get_boolean_member (s, "on_time_met"));
  g_assert_true (json_object_get_boolean_member (s, "lead_time_met"));

  s = standard_of (rows, "B2");
  g_assert_cmpstr (json_object_get_string_member (s, "line_class"), ==, "II");
  g_assert_cmpint (json_object_get_int_member (s, "priority"), ==, 4);
  g_assert_cmpfloat (json_object_get_double_member (s, "within_lead_time_rate"), ==, 0.0);
  g_assert_true (json_object_get_boolean_member (s, "on_time_met"));
  g_assert_false (json_object_get_boolean_member (s, "lead_time_met"));

  s = standard_of (rows, "C3");
  g_assert_cmpint (json_object_get_int_member (s, "priority"), ==, 6);
  g_assert_cmpfloat (json_object_get_double_member (s, "target_on_time"), ==, 0.98);
  g_assert_cmpfloat (json_object_get_double_member (s, "arrival_on_time_rate"), ==, 0.0);
  g_assert_false (json_object_get_boolean_member (s, "on_time_met"));
  g_assert_false (json_object_get_boolean_member (s, "lead_time_met"));

  s = standard_of (rows, "D4");
  g_assert_cmpint (json_object_get_int_member (s, "priority"), ==, 16);
  g_assert_true (json_object_get_null_member (s, "arrival_on_time_rate"));
  g_assert_true (json_object_get_null_member (s, "on_time_met"));

  s = standard_of (rows, "E5");
  g_assert_cmpint (json_object_get_int_member (s, "priority"), ==, 19);
  g_assert_cmpint (json_object_get_int_member (s, "lead_days"), ==, 5);
  g_assert_true (json_object_get_boolean_member (s, "lead_time_met"));

  one = kl_test_cli_run (&f->cli, "analysis", "standards", "--period", "2026-10", "--customer", "B2",
                         "--format", "json", NULL);
  g_assert_cmpint (one.status, ==, 0);
  root_one = kl_test_parse_json (one.out);
  rows = json_object_get_array_member (json_node_get_object (root_one), "rows");
  g_assert_cmpuint (json_array_get_length (rows), ==, 1);
}

static void
test_usage (Fixture *f, gconstpointer data)
{
  g_auto(KlTestRun) period = { 0 };
  g_auto(KlTestRun) basis = { 0 };
  g_auto(KlTestRun) survey = { 0 };

  if (kl_test_skip_without_cli ())
    return;
  period = kl_test_cli_run (&f->cli, "analysis", "classes", "--period", "2026-Q3", NULL);
  kl_test_assert_one_error_line (&period, 64);
  basis = kl_test_cli_run (&f->cli, "analysis", "classes", "--period", "2026-10", "--basis", "pieces", NULL);
  kl_test_assert_one_error_line (&basis, 64);
  survey = kl_test_cli_run (&f->cli, "survey", "report", "nothing-like-it", NULL);
  kl_test_assert_one_error_line (&survey, 65);
}

/* From tests/survey-example.py (mpmath): billing +0.88, p 1.7027e-07 (**),
 * damage −0.36, p 0.032080 (*), documents +0.02, p 0.90747. */
static void
test_survey (Fixture *f, gconstpointer data)
{
  g_autofree char *csv = data_path ("survey-example.csv");
  g_auto(KlTestRun) first = { 0 };
  g_auto(KlTestRun) again = { 0 };
  g_auto(KlTestRun) list = { 0 };
  g_auto(KlTestRun) report = { 0 };
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonNode) list_root = NULL;
  JsonObject *o;
  JsonArray *attributes;
  guint checked = 0;

  if (kl_test_skip_without_cli ())
    return;
  first = kl_test_cli_run (&f->cli, "survey", "import", csv, "--survey", "2026 H2", NULL);
  g_assert_cmpint (first.status, ==, 0);
  g_assert_nonnull (strstr (first.out, "new 2000, updated 0, unchanged 0, bad 0\n"));
  again = kl_test_cli_run (&f->cli, "survey", "import", csv, "--survey", "2026 H2", NULL);
  g_assert_nonnull (strstr (again.out, "new 0, updated 0, unchanged 2000, bad 0\n"));

  list = kl_test_cli_run (&f->cli, "survey", "list", "--format", "json", NULL);
  g_assert_cmpint (list.status, ==, 0);
  list_root = kl_test_parse_json (list.out);
  o = element (json_node_get_array (list_root), 0);
  g_assert_cmpstr (json_object_get_string_member (o, "survey"), ==, "2026 H2");
  g_assert_cmpint (json_object_get_int_member (o, "respondents"), ==, 100);
  g_assert_cmpstr (json_object_get_string_member (o, "main_competitor"), ==, "Rival Freight");

  report = kl_test_cli_run (&f->cli, "survey", "report", "2026 H2", "--format", "json", NULL);
  g_assert_cmpint (report.status, ==, 0);
  root = kl_test_parse_json (report.out);
  o = json_node_get_object (root);
  g_assert_cmpstr (json_object_get_string_member (o, "main_competitor"), ==, "Rival Freight");
  g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (o, "companies"), 0), ==, "ours");
  attributes = json_object_get_array_member (o, "attributes");
  g_assert_cmpuint (json_array_get_length (attributes), ==, 10);
  for (guint i = 0; i < 10; i++)
    {
      JsonObject *a = element (attributes, i);
      const char *code = json_object_get_string_member (a, "attribute");
      double rel = json_object_get_double_member (a, "relative");
      double p = json_object_get_double_member (a, "p");

      g_assert_cmpint (json_object_get_int_member (a, "n"), ==, 100);
      if (strcmp (code, "billing") == 0)
        {
          g_assert_cmpfloat_with_epsilon (rel, 0.88, 1e-12);
          g_assert_cmpfloat (fabs (p - 1.702651125507e-07), <, 1e-15);
          g_assert_cmpstr (json_object_get_string_member (a, "significance"), ==, "**");
          g_assert_cmpstr (json_object_get_string_member (a, "position"), ==, "important_strength");
          g_assert_cmpstr (json_object_get_string_member (a, "action"), ==, "maintain_or_improve");
          g_assert_cmpfloat_with_epsilon (json_object_get_double_member (
              json_object_get_object_member (json_object_get_object_member (a, "performance"), "ours"), "mean"),
              5.50, 1e-12);
          checked++;
        }
      else if (strcmp (code, "damage") == 0)
        {
          g_assert_cmpfloat_with_epsilon (rel, -0.36, 1e-12);
          g_assert_cmpfloat (fabs (p - 3.207978967042e-02), <, 1e-10);
          g_assert_cmpstr (json_object_get_string_member (a, "significance"), ==, "*");
          g_assert_cmpstr (json_object_get_string_member (a, "position"), ==, "important_weakness");
          g_assert_cmpstr (json_object_get_string_member (a, "action"), ==, "improve");
          checked++;
        }
      else if (strcmp (code, "documents") == 0)
        {
          g_assert_cmpfloat_with_epsilon (rel, 0.02, 1e-12);
          g_assert_cmpfloat (fabs (p - 9.074671897150e-01), <, 1e-10);
          g_assert_cmpstr (json_object_get_string_member (a, "significance"), ==, "");
          g_assert_cmpstr (json_object_get_string_member (a, "position"), ==, "important_strength");
          checked++;
        }
    }
  g_assert_cmpuint (checked, ==, 3);

  /* one attribute across rounds: the same file as a second round */
  {
    g_auto(KlTestRun) second = kl_test_cli_run (&f->cli, "survey", "import", csv, "--survey", "2027 H1", NULL);
    g_auto(KlTestRun) compare = kl_test_cli_run (&f->cli, "survey", "compare", "billing", "--format", "json", NULL);
    g_autoptr(JsonNode) rounds = NULL;
    JsonArray *array;

    g_assert_cmpint (second.status, ==, 0);
    g_assert_cmpint (compare.status, ==, 0);
    rounds = kl_test_parse_json (compare.out);
    array = json_node_get_array (rounds);
    g_assert_cmpuint (json_array_get_length (array), ==, 2);
    g_assert_cmpfloat_with_epsilon (json_object_get_double_member (element (array, 1), "relative"), 0.88, 1e-12);
    g_assert_cmpstr (json_object_get_string_member (element (array, 1), "significance"), ==, "**");
    g_assert_cmpfloat_with_epsilon (json_object_get_double_member (element (array, 0), "ours"), 5.5, 1e-12);
  }
}

/* A bad file writes nothing and names FILE:LINE: column. */
static void
test_survey_bad (Fixture *f, gconstpointer data)
{
  g_autofree char *csv = data_path ("analysis/survey-bad.csv");
  g_auto(KlTestRun) r = { 0 };
  g_auto(KlTestRun) list = { 0 };

  if (kl_test_skip_without_cli ())
    return;
  r = kl_test_cli_run (&f->cli, "survey", "import", csv, "--survey", "bad", NULL);
  g_assert_cmpint (r.status, ==, 65);
  g_assert_nonnull (strstr (r.err, "survey-bad.csv:2: column importance: not a whole number from 1 to 7 (got \"8\")"));
  g_assert_nonnull (strstr (r.err, "survey-bad.csv:3: column performance: not a whole number from 1 to 7 (got \"9\")"));
  g_assert_nonnull (strstr (r.err, "survey-bad.csv:4: column customer_code: no customer has this code"));
  list = kl_test_cli_run (&f->cli, "survey", "list", "--format", "json", NULL);
  g_assert_cmpstr (g_strstrip (list.out), ==, "[]");
}

/* survey new: checked whole (nothing written when refused), then the round
 * as asked: the default set without price, one attribute more, ours and
 * two competitors (the second main), two respondents of A1 and B2 and C3
 * asked besides. */
static void
test_survey_new (Fixture *f, gconstpointer data)
{
  g_auto(KlTestRun) no_competitor = { 0 };
  g_auto(KlTestRun) bad_date = { 0 };
  g_auto(KlTestRun) unknown = { 0 };
  g_auto(KlTestRun) bad_respondent = { 0 };
  g_auto(KlTestRun) made = { 0 };
  g_auto(KlTestRun) again = { 0 };
  g_auto(KlTestRun) list = { 0 };
  g_auto(KlTestRun) report = { 0 };
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonNode) report_root = NULL;
  JsonObject *o;
  JsonArray *attributes;

  if (kl_test_skip_without_cli ())
    return;
  no_competitor = kl_test_cli_run (&f->cli, "survey", "new", "2026 H2", NULL);
  kl_test_assert_one_error_line (&no_competitor, 64);
  bad_date = kl_test_cli_run (&f->cli, "survey", "new", "2026 H2", "--competitor", "Rival", "--date", "2026-02-30", NULL);
  kl_test_assert_one_error_line (&bad_date, 65);
  g_assert_nonnull (strstr (bad_date.err, "“2026-02-30” is not a date"));
  unknown = kl_test_cli_run (&f->cli, "survey", "new", "2026 H2", "--competitor", "Rival",
                             "--respondent", "Ms Li,A1", "--respondent", "Mr Wu,ZZ9", NULL);
  kl_test_assert_one_error_line (&unknown, 66);
  g_assert_nonnull (strstr (unknown.err, "Respondent “Mr Wu”: no customer has the code “ZZ9”"));
  bad_respondent = kl_test_cli_run (&f->cli, "survey", "new", "2026 H2", "--competitor", "Rival",
                                    "--respondent", "Ms Li", NULL);
  kl_test_assert_one_error_line (&bad_respondent, 64);
  list = kl_test_cli_run (&f->cli, "survey", "list", "--format", "json", NULL);
  g_assert_cmpstr (g_strstrip (list.out), ==, "[]");
  kl_test_run_clear (&list);

  made = kl_test_cli_run (&f->cli, "survey", "new", "2026 H2", "--date", "2026-11-30",
                          "--competitor", "Rival", "--competitor", "顺达物流", "--main-competitor", "顺达物流",
                          "--attributes", "on_time_pickup,on_time_delivery,damage_free,delay_notice,"
                          "document_accuracy,claims_speed,billing_accuracy,team_responsiveness,"
                          "tracking_visibility,cold_chain",
                          "--respondent", "Ms Li,A1", "--respondent", "王经理,B2", "--customer", "C3", NULL);
  if (made.status != 0)
    g_printerr ("%s%s", made.out, made.err);
  g_assert_cmpint (made.status, ==, 0);
  again = kl_test_cli_run (&f->cli, "survey", "new", "2026 H2", "--competitor", "Rival", NULL);
  kl_test_assert_one_error_line (&again, 65);
  g_assert_nonnull (strstr (again.err, "exists already"));

  list = kl_test_cli_run (&f->cli, "survey", "list", "--format", "json", NULL);
  g_assert_cmpint (list.status, ==, 0);
  root = kl_test_parse_json (list.out);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (root)), ==, 1);
  o = element (json_node_get_array (root), 0);
  g_assert_cmpstr (json_object_get_string_member (o, "survey"), ==, "2026 H2");
  g_assert_cmpstr (json_object_get_string_member (o, "date"), ==, "2026-11-30");
  g_assert_cmpstr (json_object_get_string_member (o, "main_competitor"), ==, "顺达物流");
  g_assert_cmpint (json_object_get_int_member (o, "attributes"), ==, 10);
  g_assert_cmpint (json_object_get_int_member (o, "companies"), ==, 3);
  g_assert_cmpint (json_object_get_int_member (o, "respondents"), ==, 2);
  {
    JsonArray *customers = json_object_get_array_member (o, "customers");
    g_assert_cmpuint (json_array_get_length (customers), ==, 3);
    g_assert_cmpstr (json_array_get_string_element (customers, 0), ==, "A1");
    g_assert_cmpstr (json_array_get_string_element (customers, 2), ==, "C3");
  }

  report = kl_test_cli_run (&f->cli, "survey", "report", "2026 H2", "--format", "json", NULL);
  g_assert_cmpint (report.status, ==, 0);
  report_root = kl_test_parse_json (report.out);
  attributes = json_object_get_array_member (json_node_get_object (report_root), "attributes");
  g_assert_cmpuint (json_array_get_length (attributes), ==, 10);
  g_assert_cmpstr (json_object_get_string_member (element (attributes, 9), "attribute"), ==, "cold_chain");
  g_assert_cmpstr (json_object_get_string_member (element (attributes, 1), "attribute"), ==, "on_time_delivery");
  g_assert_nonnull (strstr (report.out, "准时送达"));
  g_assert_null (strstr (report.out, "\"price\""));
}

/* Both printed reports, in both languages and on both papers. */
static void
test_pdf (Fixture *f, gconstpointer data)
{
  g_autofree char *csv = data_path ("survey-example.csv");
  const char *papers[] = { "a4", "letter" };
  const char *languages[] = { "en", "zh_CN" };
  g_auto(KlTestRun) import = { 0 };
  g_auto(KlTestRun) no_output = { 0 };

  if (kl_test_skip_without_cli ())
    return;
  import = kl_test_cli_run (&f->cli, "survey", "import", csv, "--survey", "round", NULL);
  g_assert_cmpint (import.status, ==, 0);
  for (guint i = 0; i < 2; i++)
    {
      g_autofree char *survey_pdf = g_build_filename (f->cli.dir, "survey.pdf", NULL);
      g_autofree char *standards_pdf = g_build_filename (f->cli.dir, "standards.pdf", NULL);
      g_autofree char *contents = NULL;
      g_auto(KlTestRun) survey = { 0 };
      g_auto(KlTestRun) standards = { 0 };
      gsize length;

      survey = kl_test_cli_run (&f->cli, "survey", "report", "round", "--format", "pdf", "-o", survey_pdf,
                                "--paper", papers[i], "--language", languages[i], NULL);
      g_assert_cmpint (survey.status, ==, 0);
      g_assert_true (g_file_get_contents (survey_pdf, &contents, &length, NULL));
      g_assert_true (g_str_has_prefix (contents, "%PDF-"));
      g_clear_pointer (&contents, g_free);
      standards = kl_test_cli_run (&f->cli, "analysis", "standards", "--period", "2026-10", "--customer", "A1",
                                   "--format", "pdf", "-o", standards_pdf, "--paper", papers[i],
                                   "--language", languages[i], NULL);
      g_assert_cmpint (standards.status, ==, 0);
      g_assert_true (g_file_get_contents (standards_pdf, &contents, &length, NULL));
      g_assert_true (g_str_has_prefix (contents, "%PDF-"));
      /* Service lines are named for the reader in the report's language,
       * not by their import codes. */
      {
        g_autofree char *tool = g_find_program_in_path ("pdftotext");
        g_autofree char *text = NULL;
        int wait_status = 0;

        if (tool != NULL)
          {
            const char *argv[] = { tool, "-q", standards_pdf, "-", NULL };

            g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                                         &text, NULL, &wait_status, NULL));
            g_assert_null (strstr (text, "road_"));
            g_assert_nonnull (strstr (text, g_str_equal (languages[i], "zh_CN") ? "公路" : "Road"));
          }
      }
    }
  no_output = kl_test_cli_run (&f->cli, "survey", "report", "round", "--format", "pdf", NULL);
  kl_test_assert_one_error_line (&no_output, 64);
}

static void
test_reminders_ics (Fixture *f, gconstpointer data)
{
  g_auto(KlTestRun) r = { 0 };

  if (kl_test_skip_without_cli ())
    return;
  r = kl_test_cli_run (&f->cli, "reminders", "--format", "ics", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_true (g_str_has_prefix (r.out, "BEGIN:VCALENDAR"));
  g_assert_nonnull (strstr (r.out, "END:VCALENDAR"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/cli-analysis/classes", Fixture, NULL, fixture_set_up, test_classes, fixture_tear_down);
  g_test_add ("/cli-analysis/standards", Fixture, NULL, fixture_set_up, test_standards, fixture_tear_down);
  g_test_add ("/cli-analysis/usage", Fixture, NULL, fixture_set_up, test_usage, fixture_tear_down);
  g_test_add ("/cli-analysis/survey", Fixture, NULL, fixture_set_up, test_survey, fixture_tear_down);
  g_test_add ("/cli-analysis/survey-new", Fixture, NULL, fixture_set_up, test_survey_new, fixture_tear_down);
  g_test_add ("/cli-analysis/survey-bad", Fixture, NULL, fixture_set_up, test_survey_bad, fixture_tear_down);
  g_test_add ("/cli-analysis/pdf", Fixture, NULL, fixture_set_up, test_pdf, fixture_tear_down);
  g_test_add ("/cli-analysis/reminders-ics", Fixture, NULL, fixture_set_up, test_reminders_ics, fixture_tear_down);
  return g_test_run ();
}
