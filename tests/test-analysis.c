/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Contribution classes, the priority matrix and service standards
 * (docs/analysis.md), with numbers worked out by hand in the comments. */

#include <math.h>
#include <string.h>

#include "kl-analysis.h"

static const KlClassAccount *
find_account (const KlClassAccount *a, guint n, const char *code)
{
  for (guint i = 0; i < n; i++)
    if (g_strcmp0 (a[i].code, code) == 0)
      return &a[i];
  g_assert_not_reached ();
  return NULL;
}

/* 70 + 20 + 8 + 2 = 100. Before: W 0 % (A), X 70 % (exactly the A
 * boundary, so B), Y 90 % (C), Z 98 % (D). */
static void
test_classes_exact_boundaries (void)
{
  KlClassAccount a[] = {
    { .code = "Z", .contribution = 2 },
    { .code = "Y", .contribution = 8 },
    { .code = "W", .contribution = 70 },
    { .code = "X", .contribution = 20 },
  };
  guint classed = kl_analysis_classify_accounts (a, G_N_ELEMENTS (a), NULL);

  g_assert_cmpuint (classed, ==, 4);
  g_assert_cmpstr (a[0].code, ==, "W");
  g_assert_cmpstr (a[1].code, ==, "X");
  g_assert_cmpstr (a[2].code, ==, "Y");
  g_assert_cmpstr (a[3].code, ==, "Z");
  g_assert_cmpint (a[0].klass, ==, KL_ACCOUNT_CLASS_A);
  g_assert_cmpint (a[1].klass, ==, KL_ACCOUNT_CLASS_B);
  g_assert_cmpint (a[2].klass, ==, KL_ACCOUNT_CLASS_C);
  g_assert_cmpint (a[3].klass, ==, KL_ACCOUNT_CLASS_D);
  g_assert_cmpfloat_with_epsilon (a[0].share, 0.70, 1e-15);
  g_assert_cmpfloat_with_epsilon (a[1].before, 0.70, 1e-15);
  g_assert_cmpfloat_with_epsilon (a[1].cumulative_share, 0.90, 1e-15);
  g_assert_cmpfloat_with_epsilon (a[2].cumulative_share, 0.98, 1e-15);
  g_assert_cmpfloat (a[3].cumulative_share, ==, 1.0);
}

/* One account above 70 % alone is A (0 % before it); the next is B. */
static void
test_classes_crossing (void)
{
  KlClassAccount a[] = {
    { .code = "S", .contribution = 25 },
    { .code = "L", .contribution = 75 },
  };
  kl_analysis_classify_accounts (a, 2, NULL);
  g_assert_cmpstr (a[0].code, ==, "L");
  g_assert_cmpint (a[0].klass, ==, KL_ACCOUNT_CLASS_A);
  g_assert_cmpint (a[1].klass, ==, KL_ACCOUNT_CLASS_B);
}

/* Ties by code: C3 40 first; A1 and B2 tie at 30, A1 ahead. Before A1:
 * 40 % (A); before B2: 70 % (B). Swapping the codes swaps the classes. */
static void
test_classes_ties (void)
{
  KlClassAccount a[] = {
    { .code = "B2", .contribution = 30 },
    { .code = "A1", .contribution = 30 },
    { .code = "C3", .contribution = 40 },
  };
  kl_analysis_classify_accounts (a, 3, NULL);
  g_assert_cmpstr (a[0].code, ==, "C3");
  g_assert_cmpstr (a[1].code, ==, "A1");
  g_assert_cmpstr (a[2].code, ==, "B2");
  g_assert_cmpint (find_account (a, 3, "A1")->klass, ==, KL_ACCOUNT_CLASS_A);
  g_assert_cmpint (find_account (a, 3, "B2")->klass, ==, KL_ACCOUNT_CLASS_B);
}

/* No contribution: no class, listed last, not counted. A manual class wins
 * over the computed one and the computed one is kept. */
static void
test_classes_zero_and_manual (void)
{
  KlClassAccount a[] = {
    { .code = "ZERO", .contribution = 0 },
    { .code = "NEG", .contribution = -5 },
    { .code = "BIG", .contribution = 99 },
    { .code = "TINY", .contribution = 1, .manual = KL_ACCOUNT_CLASS_A },
    { .code = "HAND", .contribution = 0, .manual = KL_ACCOUNT_CLASS_C },
  };
  guint classed = kl_analysis_classify_accounts (a, G_N_ELEMENTS (a), NULL);
  const KlClassAccount *tiny = find_account (a, 5, "TINY");
  const KlClassAccount *zero = find_account (a, 5, "ZERO");
  const KlClassAccount *hand = find_account (a, 5, "HAND");

  g_assert_cmpuint (classed, ==, 2);
  g_assert_cmpstr (a[0].code, ==, "BIG");
  g_assert_cmpstr (a[1].code, ==, "TINY");
  /* before TINY: 99 % → D computed, A by hand */
  g_assert_cmpint (tiny->computed, ==, KL_ACCOUNT_CLASS_D);
  g_assert_cmpint (tiny->klass, ==, KL_ACCOUNT_CLASS_A);
  g_assert_cmpint (zero->computed, ==, KL_ACCOUNT_CLASS_NONE);
  g_assert_cmpint (zero->klass, ==, KL_ACCOUNT_CLASS_NONE);
  g_assert_cmpfloat (zero->share, ==, 0.0);
  g_assert_cmpint (hand->computed, ==, KL_ACCOUNT_CLASS_NONE);
  g_assert_cmpint (hand->klass, ==, KL_ACCOUNT_CLASS_C);
  g_assert_cmpint (find_account (a, 5, "NEG")->klass, ==, KL_ACCOUNT_CLASS_NONE);
  g_assert_cmpfloat_with_epsilon (tiny->share, 0.01, 1e-15);
}

/* Exact in integers where doubles are not: 7e17 − 1 of 1e18 is below 70 %
 * though it rounds to 0.7 as a double. */
static void
test_classes_large_exact (void)
{
  KlClassAccount a[] = {
    { .code = "P", .contribution = G_GINT64_CONSTANT (699999999999999999) },
    { .code = "Q", .contribution = G_GINT64_CONSTANT (300000000000000001) },
    { .code = "R", .contribution = 0 },
  };
  KlClassAccount b[] = {
    { .code = "P", .contribution = G_GINT64_CONSTANT (700000000000000000) },
    { .code = "Q", .contribution = G_GINT64_CONSTANT (300000000000000000) },
  };
  kl_analysis_classify_accounts (a, 3, NULL);
  g_assert_cmpint (a[1].klass, ==, KL_ACCOUNT_CLASS_A);
  kl_analysis_classify_accounts (b, 2, NULL);
  g_assert_cmpint (b[1].klass, ==, KL_ACCOUNT_CLASS_B);
}

/* Other thresholds: 50/80/95. 50 + 30 + 15 + 5: A, B (50 %), C (80 %), D (95 %). */
static void
test_classes_thresholds (void)
{
  KlClassThresholds t = { 5000, 8000, 9500 };
  KlClassThresholds bad = { 9000, 8000, 9500 };
  KlClassAccount a[] = {
    { .code = "a", .contribution = 50 },
    { .code = "b", .contribution = 30 },
    { .code = "c", .contribution = 15 },
    { .code = "d", .contribution = 5 },
  };
  g_assert_true (kl_class_thresholds_valid (&t));
  g_assert_false (kl_class_thresholds_valid (&bad));
  kl_analysis_classify_accounts (a, 4, &t);
  g_assert_cmpint (a[0].klass, ==, KL_ACCOUNT_CLASS_A);
  g_assert_cmpint (a[1].klass, ==, KL_ACCOUNT_CLASS_B);
  g_assert_cmpint (a[2].klass, ==, KL_ACCOUNT_CLASS_C);
  g_assert_cmpint (a[3].klass, ==, KL_ACCOUNT_CLASS_D);
}

static void
test_default_basis (void)
{
  g_assert_cmpint (kl_analysis_default_basis (100, 90), ==, KL_BASIS_REVENUE);
  g_assert_cmpint (kl_analysis_default_basis (100, 89), ==, KL_BASIS_SHIPMENTS);
  g_assert_cmpint (kl_analysis_default_basis (10, 9), ==, KL_BASIS_REVENUE);
  g_assert_cmpint (kl_analysis_default_basis (11, 9), ==, KL_BASIS_SHIPMENTS);
  g_assert_cmpint (kl_analysis_default_basis (0, 0), ==, KL_BASIS_SHIPMENTS);
}

/* air 100, road_ftl 50, road_ltl 50 (tie: road_ftl first in import.md's
 * list), rail 10, sea 5 and express 5 (both V); total 220. */
static void
test_lines (void)
{
  KlClassLine l[] = {
    { KL_MODE_EXPRESS, 5, TRUE },
    { KL_MODE_SEA, 5, TRUE },
    { KL_MODE_ROAD_LTL, 50, TRUE },
    { KL_MODE_RAIL, 10, TRUE },
    { KL_MODE_ROAD_FTL, 50, TRUE },
    { KL_MODE_AIR, 100, TRUE },
    { KL_MODE_NONE, 1000, TRUE },
  };
  guint n = kl_analysis_classify_lines (l, G_N_ELEMENTS (l));

  g_assert_cmpuint (n, ==, 6);
  g_assert_cmpint (l[0].mode, ==, KL_MODE_AIR);
  g_assert_cmpint (l[0].klass, ==, KL_LINE_CLASS_I);
  g_assert_cmpint (l[1].mode, ==, KL_MODE_ROAD_FTL);
  g_assert_cmpint (l[1].klass, ==, KL_LINE_CLASS_II);
  g_assert_cmpint (l[2].mode, ==, KL_MODE_ROAD_LTL);
  g_assert_cmpint (l[2].klass, ==, KL_LINE_CLASS_III);
  g_assert_cmpint (l[3].mode, ==, KL_MODE_RAIL);
  g_assert_cmpint (l[3].klass, ==, KL_LINE_CLASS_IV);
  g_assert_cmpint (l[4].mode, ==, KL_MODE_SEA);
  g_assert_cmpint (l[4].klass, ==, KL_LINE_CLASS_V);
  g_assert_cmpint (l[5].mode, ==, KL_MODE_EXPRESS);
  g_assert_cmpint (l[5].klass, ==, KL_LINE_CLASS_V);
  g_assert_cmpint (l[6].klass, ==, KL_LINE_CLASS_NONE);
  g_assert_cmpfloat_with_epsilon (l[0].share, 100.0 / 220.0, 1e-15);
  g_assert_cmpstr (kl_line_class_to_string (l[3].klass), ==, "IV");
}

/* Lines with no shipments have no class; a present line with zero
 * contribution (revenue basis) is ranked last among the present ones. */
static void
test_lines_absent (void)
{
  KlClassLine l[] = {
    { KL_MODE_ROAD_FTL, 0, TRUE },
    { KL_MODE_RAIL, 7, FALSE },
    { KL_MODE_SEA, 3, TRUE },
  };
  guint n = kl_analysis_classify_lines (l, 3);
  g_assert_cmpuint (n, ==, 2);
  g_assert_cmpint (l[0].mode, ==, KL_MODE_SEA);
  g_assert_cmpint (l[0].klass, ==, KL_LINE_CLASS_I);
  g_assert_cmpint (l[1].mode, ==, KL_MODE_ROAD_FTL);
  g_assert_cmpint (l[1].klass, ==, KL_LINE_CLASS_II);
  g_assert_cmpint (l[2].klass, ==, KL_LINE_CLASS_NONE);
}

static void
test_matrix (void)
{
  KlPriorityMatrix m, parsed;
  g_autofree char *text = NULL;

  kl_priority_matrix_init_default (&m);
  g_assert_cmpint (kl_priority_matrix_lookup (&m, KL_ACCOUNT_CLASS_A, KL_LINE_CLASS_I), ==, 1);
  g_assert_cmpint (kl_priority_matrix_lookup (&m, KL_ACCOUNT_CLASS_B, KL_LINE_CLASS_I), ==, 2);
  g_assert_cmpint (kl_priority_matrix_lookup (&m, KL_ACCOUNT_CLASS_A, KL_LINE_CLASS_II), ==, 3);
  g_assert_cmpint (kl_priority_matrix_lookup (&m, KL_ACCOUNT_CLASS_B, KL_LINE_CLASS_III), ==, 8);
  g_assert_cmpint (kl_priority_matrix_lookup (&m, KL_ACCOUNT_CLASS_C, KL_LINE_CLASS_IV), ==, 15);
  g_assert_cmpint (kl_priority_matrix_lookup (&m, KL_ACCOUNT_CLASS_D, KL_LINE_CLASS_I), ==, 10);
  g_assert_cmpint (kl_priority_matrix_lookup (&m, KL_ACCOUNT_CLASS_D, KL_LINE_CLASS_V), ==, 20);
  g_assert_cmpint (kl_priority_matrix_lookup (&m, KL_ACCOUNT_CLASS_NONE, KL_LINE_CLASS_I), ==, 0);
  g_assert_cmpint (kl_priority_matrix_lookup (&m, KL_ACCOUNT_CLASS_A, KL_LINE_CLASS_NONE), ==, 0);

  text = kl_priority_matrix_to_string (&m);
  g_assert_cmpstr (text, ==, "1,3,5,9,11;2,4,8,14,17;6,7,13,15,18;10,12,16,19,20");
  g_assert_true (kl_priority_matrix_parse (" 2,3,5,9,11; 1,4,8,14,17;6,7,13,15,18;10,12,16,19,20", &parsed));
  g_assert_cmpint (kl_priority_matrix_lookup (&parsed, KL_ACCOUNT_CLASS_B, KL_LINE_CLASS_I), ==, 1);
  g_assert_false (kl_priority_matrix_parse ("1,3,5,9;2,4,8,14,17;6,7,13,15,18;10,12,16,19,20", &parsed));
  g_assert_false (kl_priority_matrix_parse ("0,3,5,9,11;2,4,8,14,17;6,7,13,15,18;10,12,16,19,20", &parsed));
  g_assert_false (kl_priority_matrix_parse ("x,3,5,9,11;2,4,8,14,17;6,7,13,15,18;10,12,16,19,20", &parsed));
  g_assert_false (kl_priority_matrix_parse ("1,3,5,9,11;2,4,8,14,17;6,7,13,15,18", &parsed));
}

static void
test_standards (void)
{
  KlStandards s, parsed;
  const KlStandardBand *b;
  g_autofree char *text = NULL;

  kl_standards_init_default (&s);
  b = kl_standards_lookup (&s, 1);
  g_assert_cmpfloat (b->on_time, ==, 1.0);
  g_assert_cmpint (b->lead_days, ==, 1);
  b = kl_standards_lookup (&s, 5);
  g_assert_cmpint (b->lead_days, ==, 1);
  b = kl_standards_lookup (&s, 6);
  g_assert_cmpfloat (b->on_time, ==, 0.98);
  g_assert_cmpint (b->lead_days, ==, 2);
  b = kl_standards_lookup (&s, 15);
  g_assert_cmpfloat (b->on_time, ==, 0.95);
  g_assert_cmpint (b->lead_days, ==, 3);
  b = kl_standards_lookup (&s, 16);
  g_assert_cmpfloat (b->on_time, ==, 0.90);
  g_assert_cmpint (b->lead_days, ==, 5);
  g_assert_null (kl_standards_lookup (&s, 21));
  g_assert_null (kl_standards_lookup (&s, 0));
  g_assert_cmpfloat (kl_analysis_proposed_on_time (&s, 7), ==, 0.98);
  g_assert_true (isnan (kl_analysis_proposed_on_time (&s, 0)));

  text = kl_standards_to_string (&s);
  g_assert_cmpstr (text, ==, "1-5:1.0000:1;6-10:0.9800:2;11-15:0.9500:3;16-20:0.9000:5");
  g_assert_true (kl_standards_parse (text, &parsed));
  g_assert_cmpuint (parsed.n_bands, ==, 4);
  g_assert_cmpfloat (parsed.bands[1].on_time, ==, 0.98);
  g_assert_false (kl_standards_parse ("1-5:1.0:1;5-10:0.98:2", &parsed));
  g_assert_false (kl_standards_parse ("1-5:1.5:1", &parsed));
  g_assert_false (kl_standards_parse ("5-1:1.0:1", &parsed));
  g_assert_false (kl_standards_parse ("1-5:1.0", &parsed));
}

static void
test_transit_bucket (void)
{
  g_assert_cmpint (kl_transit_bucket_of_seconds (-3600), ==, 0);
  g_assert_cmpint (kl_transit_bucket_of_seconds (0), ==, 0);
  g_assert_cmpint (kl_transit_bucket_of_seconds (1), ==, 1);
  g_assert_cmpint (kl_transit_bucket_of_seconds (86400), ==, 1);
  g_assert_cmpint (kl_transit_bucket_of_seconds (86401), ==, 2);
  g_assert_cmpint (kl_transit_bucket_of_seconds (5 * 86400), ==, 5);
  g_assert_cmpint (kl_transit_bucket_of_seconds (30 * 86400), ==, 30);
  g_assert_cmpint (kl_transit_bucket_of_seconds (30 * 86400 + 1), ==, 31);
  g_assert_cmpint (kl_transit_bucket_of_seconds (G_GINT64_CONSTANT (1000000000)), ==, 31);
}

/* A × II: priority 3 → 100 %, 1 day. 4 delivered, all on time (met); transit
 * buckets 0:1, 1:2, 2:1 → 3 of 4 within one day = 75 % (missed).
 * B × III: priority 8 → 98 %, 2 days. 49 of 50 on time = exactly 98 % (met);
 * buckets 2:49, 3:1 → 49 of 50 within 2 days (met). */
static void
test_standard_rows (void)
{
  KlPriorityMatrix m;
  KlStandards s;
  KlStandardRow r1 = { .account_class = KL_ACCOUNT_CLASS_A, .line_class = KL_LINE_CLASS_II,
                       .shipments = 5, .delivered = 4, .delivered_on_time = 4,
                       .transit = { [0] = 1, [1] = 2, [2] = 1 } };
  KlStandardRow r2 = { .account_class = KL_ACCOUNT_CLASS_B, .line_class = KL_LINE_CLASS_III,
                       .shipments = 50, .delivered = 50, .delivered_on_time = 49,
                       .transit = { [2] = 49, [3] = 1 } };
  KlStandardRow r3 = { .account_class = KL_ACCOUNT_CLASS_D, .line_class = KL_LINE_CLASS_V,
                       .shipments = 3, .delivered = 0 };
  KlStandardRow r4 = { .account_class = KL_ACCOUNT_CLASS_NONE, .line_class = KL_LINE_CLASS_I,
                       .shipments = 3, .delivered = 3, .delivered_on_time = 1,
                       .transit = { [1] = 3 } };
  KlStandardRow r5 = { .account_class = KL_ACCOUNT_CLASS_C, .line_class = KL_LINE_CLASS_I,
                       .shipments = 10, .delivered = 10, .delivered_on_time = 9,
                       .transit = { [2] = 9, [31] = 1 } };

  kl_priority_matrix_init_default (&m);
  kl_standards_init_default (&s);

  kl_analysis_standard_row (&r1, &m, &s);
  g_assert_cmpint (r1.priority, ==, 3);
  g_assert_cmpfloat (r1.target_on_time, ==, 1.0);
  g_assert_cmpint (r1.lead_days, ==, 1);
  g_assert_cmpfloat (r1.on_time, ==, 1.0);
  g_assert_cmpfloat (r1.within_lead, ==, 0.75);
  g_assert_cmpint (r1.on_time_met, ==, KL_TRI_TRUE);
  g_assert_cmpint (r1.lead_met, ==, KL_TRI_FALSE);

  kl_analysis_standard_row (&r2, &m, &s);
  g_assert_cmpint (r2.priority, ==, 8);
  g_assert_cmpint (r2.lead_days, ==, 2);
  g_assert_cmpfloat (r2.on_time, ==, 0.98);
  g_assert_cmpint (r2.on_time_met, ==, KL_TRI_TRUE);
  g_assert_cmpfloat (r2.within_lead, ==, 0.98);
  g_assert_cmpint (r2.lead_met, ==, KL_TRI_TRUE);

  /* nothing delivered: no rates, nothing met or missed */
  kl_analysis_standard_row (&r3, &m, &s);
  g_assert_cmpint (r3.priority, ==, 20);
  g_assert_cmpint (r3.lead_days, ==, 5);
  g_assert_true (isnan (r3.on_time));
  g_assert_true (isnan (r3.within_lead));
  g_assert_cmpint (r3.on_time_met, ==, KL_TRI_UNKNOWN);
  g_assert_cmpint (r3.lead_met, ==, KL_TRI_UNKNOWN);

  /* no account class: no priority, no standard, the on-time rate still shown */
  kl_analysis_standard_row (&r4, &m, &s);
  g_assert_cmpint (r4.priority, ==, 0);
  g_assert_true (isnan (r4.target_on_time));
  g_assert_cmpfloat_with_epsilon (r4.on_time, 1.0 / 3.0, 1e-15);
  g_assert_cmpint (r4.on_time_met, ==, KL_TRI_UNKNOWN);

  /* C × I: priority 6 → 98 %, 2 days; 9 of 10 (90 %) misses both */
  kl_analysis_standard_row (&r5, &m, &s);
  g_assert_cmpint (r5.priority, ==, 6);
  g_assert_cmpfloat (r5.within_lead, ==, 0.9);
  g_assert_cmpint (r5.on_time_met, ==, KL_TRI_FALSE);
  g_assert_cmpint (r5.lead_met, ==, KL_TRI_FALSE);
}

static void
test_names (void)
{
  KlAnalysisBasis b;
  g_assert_true (kl_analysis_basis_parse ("weight", &b));
  g_assert_cmpint (b, ==, KL_BASIS_WEIGHT);
  g_assert_false (kl_analysis_basis_parse ("Weight", &b));
  g_assert_cmpstr (kl_analysis_basis_to_string (KL_BASIS_REVENUE), ==, "revenue");
  g_assert_cmpint (kl_account_class_parse ("c"), ==, KL_ACCOUNT_CLASS_C);
  g_assert_cmpint (kl_account_class_parse ("E"), ==, KL_ACCOUNT_CLASS_NONE);
  g_assert_cmpint (kl_account_class_parse (""), ==, KL_ACCOUNT_CLASS_NONE);
  g_assert_cmpstr (kl_account_class_to_string (KL_ACCOUNT_CLASS_D), ==, "D");
  g_assert_cmpstr (kl_line_class_to_string (KL_LINE_CLASS_V), ==, "V");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/analysis/classes/exact-boundaries", test_classes_exact_boundaries);
  g_test_add_func ("/analysis/classes/crossing", test_classes_crossing);
  g_test_add_func ("/analysis/classes/ties", test_classes_ties);
  g_test_add_func ("/analysis/classes/zero-and-manual", test_classes_zero_and_manual);
  g_test_add_func ("/analysis/classes/large-exact", test_classes_large_exact);
  g_test_add_func ("/analysis/classes/thresholds", test_classes_thresholds);
  g_test_add_func ("/analysis/classes/default-basis", test_default_basis);
  g_test_add_func ("/analysis/lines/rank", test_lines);
  g_test_add_func ("/analysis/lines/absent", test_lines_absent);
  g_test_add_func ("/analysis/matrix", test_matrix);
  g_test_add_func ("/analysis/standards", test_standards);
  g_test_add_func ("/analysis/transit-bucket", test_transit_bucket);
  g_test_add_func ("/analysis/standard-rows", test_standard_rows);
  g_test_add_func ("/analysis/names", test_names);
  return g_test_run ();
}
