/* SPDX-License-Identifier: GPL-3.0-or-later */
/* KPI figures from rollup counts, targets, deltas, seasons and the printed
 * number formats. */

#include <math.h>

#include "kl-format.h"
#include "kl-kpi.h"
#include "kl-report-model.h"

static KlRollupCounts
sample_counts (void)
{
  KlRollupCounts c = { { 0 } };

  c.v[KL_RC_SHIPMENTS] = 40;
  c.v[KL_RC_PIECES] = 1000;
  c.v[KL_RC_WEIGHT_G] = 1234567;
  c.v[KL_RC_VOLUME_CM3] = 2500001;
  c.v[KL_RC_DISPATCHED] = 30;
  c.v[KL_RC_DISPATCHED_ON_TIME] = 27;
  c.v[KL_RC_DELIVERED] = 20;
  c.v[KL_RC_DELIVERED_ON_TIME] = 15;
  c.v[KL_RC_DELIVERED_PIECES] = 600;
  c.v[KL_RC_DAMAGED_PIECES] = 3;
  c.v[KL_RC_SHORT_PIECES] = 2;
  c.v[KL_RC_DAMAGE_INCIDENTS] = 2;
  c.v[KL_RC_SHORTAGE_INCIDENTS] = 1;
  c.v[KL_RC_INCIDENTS] = 1;
  c.v[KL_RC_DOCS_KNOWN] = 35;
  c.v[KL_RC_DOCS_OK] = 33;
  c.v[KL_RC_ORDER_KNOWN] = 12;
  c.v[KL_RC_ORDER_OK] = 11;
  c.v[KL_RC_OTIF] = 13;
  return c;
}

static void
test_compute (void)
{
  KlRollupCounts c = sample_counts ();
  KlKpiFigures f;

  kl_kpi_figures_compute (&f, &c);
  g_assert_cmpint (f.shipments, ==, 40);
  g_assert_cmpint (f.pieces, ==, 1000);
  g_assert_cmpfloat (f.weight_kg, ==, 1234.567);
  g_assert_cmpfloat (f.volume_m3, ==, 2.500001);
  g_assert_cmpint (f.dispatched, ==, 30);
  g_assert_cmpint (f.delivered, ==, 20);
  g_assert_cmpint (f.damaged_pieces, ==, 3);
  g_assert_cmpint (f.short_pieces, ==, 2);
  g_assert_cmpint (f.damage_incidents, ==, 2);
  g_assert_cmpint (f.shortage_incidents, ==, 1);
  g_assert_cmpint (f.incidents, ==, 1);
  /* Numerators and denominators of the contract. */
  g_assert_cmpfloat (f.rates[KL_RATE_DISPATCH_ON_TIME], ==, 27.0 / 30.0);
  g_assert_cmpfloat (f.rates[KL_RATE_ARRIVAL_ON_TIME], ==, 15.0 / 20.0);
  g_assert_cmpfloat (f.rates[KL_RATE_DOCUMENT_ACCURACY], ==, 33.0 / 35.0);
  g_assert_cmpfloat (f.rates[KL_RATE_ORDER_ACCURACY], ==, 11.0 / 12.0);
  g_assert_cmpfloat (f.rates[KL_RATE_DAMAGE], ==, 3.0 / 600.0);
  g_assert_cmpfloat (f.rates[KL_RATE_SHORTAGE], ==, 2.0 / 600.0);
  g_assert_cmpfloat (f.rates[KL_RATE_INCIDENT], ==, 1.0 / 40.0);
  g_assert_cmpfloat (f.rates[KL_RATE_OTIF], ==, 13.0 / 20.0);

  g_assert_cmpstr (kl_kpi_count_to_key (KL_COUNT_WEIGHT_KG), ==, "weight_kg");
  g_assert_cmpstr (kl_kpi_count_to_key (KL_COUNT_SHORTAGE_INCIDENTS), ==, "shortage_incidents");
  g_assert_false (kl_kpi_count_is_integer (KL_COUNT_VOLUME_M3));
  g_assert_true (kl_kpi_count_is_integer (KL_COUNT_PIECES));
  g_assert_cmpint (kl_kpi_figures_get_count_int (&f, KL_COUNT_WEIGHT_KG), ==, 1234567);
}

static void
test_zero_denominators (void)
{
  KlRollupCounts c = { { 0 } };
  KlKpiFigures f;

  /* Nothing at all: every rate null, never 0 or 1. */
  kl_kpi_figures_compute (&f, &c);
  for (guint i = 0; i < KL_N_RATES; i++)
    g_assert_true (isnan (f.rates[i]));

  /* Shipments but nothing dispatched, delivered or known. */
  c.v[KL_RC_SHIPMENTS] = 5;
  c.v[KL_RC_PIECES] = 50;
  kl_kpi_figures_compute (&f, &c);
  g_assert_cmpfloat (f.rates[KL_RATE_INCIDENT], ==, 0.0);
  g_assert_true (isnan (f.rates[KL_RATE_DISPATCH_ON_TIME]));
  g_assert_true (isnan (f.rates[KL_RATE_ARRIVAL_ON_TIME]));
  g_assert_true (isnan (f.rates[KL_RATE_DOCUMENT_ACCURACY]));
  g_assert_true (isnan (f.rates[KL_RATE_ORDER_ACCURACY]));
  g_assert_true (isnan (f.rates[KL_RATE_DAMAGE]));
  g_assert_true (isnan (f.rates[KL_RATE_SHORTAGE]));
  g_assert_true (isnan (f.rates[KL_RATE_OTIF]));

  /* Delivered shipments with zero pieces: damage and shortage stay null. */
  c.v[KL_RC_DELIVERED] = 1;
  c.v[KL_RC_DELIVERED_ON_TIME] = 1;
  kl_kpi_figures_compute (&f, &c);
  g_assert_cmpfloat (f.rates[KL_RATE_ARRIVAL_ON_TIME], ==, 1.0);
  g_assert_true (isnan (f.rates[KL_RATE_DAMAGE]));
}

static void
test_targets (void)
{
  KlRollupCounts c = sample_counts ();
  g_autoptr(KlAgreement) a = kl_agreement_new ();
  KlKpiTarget t[KL_N_RATES];
  KlKpiFigures f;

  for (guint i = 0; i < KL_N_RATES; i++)
    a->targets[i] = NAN;
  a->targets[KL_RATE_DISPATCH_ON_TIME] = 0.9;   /* actual 0.9: equal is met */
  a->targets[KL_RATE_ARRIVAL_ON_TIME] = 0.8;    /* actual 0.75: missed */
  a->targets[KL_RATE_DAMAGE] = 0.01;            /* actual 0.005, lower is better: met */
  a->targets[KL_RATE_INCIDENT] = 0.02;          /* actual 0.025: missed */
  a->targets[KL_RATE_SHORTAGE] = 2.0 / 600.0;   /* equal, lower is better: met */

  kl_kpi_figures_compute (&f, &c);
  kl_kpi_targets_evaluate (&f, a, t);

  g_assert_true (t[KL_RATE_DISPATCH_ON_TIME].has_target);
  g_assert_cmpint (t[KL_RATE_DISPATCH_ON_TIME].met, ==, KL_TRI_TRUE);
  g_assert_cmpfloat (t[KL_RATE_DISPATCH_ON_TIME].variance_pp, ==, (27.0 / 30.0 - 0.9) * 100);
  g_assert_cmpint (t[KL_RATE_ARRIVAL_ON_TIME].met, ==, KL_TRI_FALSE);
  g_assert_cmpfloat_with_epsilon (t[KL_RATE_ARRIVAL_ON_TIME].variance_pp, -5.0, 1e-9);
  g_assert_cmpint (t[KL_RATE_DAMAGE].met, ==, KL_TRI_TRUE);
  g_assert_cmpfloat_with_epsilon (t[KL_RATE_DAMAGE].variance_pp, -0.5, 1e-9);
  g_assert_cmpint (t[KL_RATE_INCIDENT].met, ==, KL_TRI_FALSE);
  g_assert_cmpfloat_with_epsilon (t[KL_RATE_INCIDENT].variance_pp, 0.5, 1e-9);
  g_assert_cmpint (t[KL_RATE_SHORTAGE].met, ==, KL_TRI_TRUE);
  g_assert_false (t[KL_RATE_OTIF].has_target);
  g_assert_cmpint (t[KL_RATE_OTIF].met, ==, KL_TRI_UNKNOWN);

  /* A null actual has met = null whatever the target. */
  memset (&c, 0, sizeof c);
  kl_kpi_figures_compute (&f, &c);
  kl_kpi_targets_evaluate (&f, a, t);
  g_assert_true (t[KL_RATE_DISPATCH_ON_TIME].has_target);
  g_assert_cmpint (t[KL_RATE_DISPATCH_ON_TIME].met, ==, KL_TRI_UNKNOWN);
  g_assert_true (isnan (t[KL_RATE_DISPATCH_ON_TIME].variance_pp));

  /* No agreement: no targets. */
  kl_kpi_targets_evaluate (&f, NULL, t);
  for (guint i = 0; i < KL_N_RATES; i++)
    g_assert_false (t[i].has_target);
}

static void
test_deltas (void)
{
  KlRollupCounts now = sample_counts (), was = sample_counts ();
  KlKpiFigures a, b;
  KlKpiDeltas d;

  was.v[KL_RC_SHIPMENTS] = 32;
  was.v[KL_RC_DISPATCHED_ON_TIME] = 24;     /* 0.8 against 0.9 now */
  was.v[KL_RC_INCIDENTS] = 0;
  was.v[KL_RC_DELIVERED] = 0;               /* arrival and OTIF null before */
  kl_kpi_figures_compute (&a, &now);
  kl_kpi_figures_compute (&b, &was);
  kl_kpi_deltas_compute (&a, &b, &d);

  g_assert_cmpfloat (d.counts_pct[KL_COUNT_SHIPMENTS], ==, 25.0);
  g_assert_cmpfloat (d.counts_pct[KL_COUNT_PIECES], ==, 0.0);
  g_assert_true (isnan (d.counts_pct[KL_COUNT_INCIDENTS]));   /* from 0 */
  g_assert_true (isnan (d.counts_pct[KL_COUNT_DELIVERED]));
  g_assert_cmpfloat_with_epsilon (d.rates_pp[KL_RATE_DISPATCH_ON_TIME], 10.0, 1e-9);
  g_assert_true (isnan (d.rates_pp[KL_RATE_ARRIVAL_ON_TIME]));
  g_assert_true (isnan (d.rates_pp[KL_RATE_OTIF]));
  /* The other way round: 40 against 32 … 32 against 40 is -20 %. */
  kl_kpi_deltas_compute (&b, &a, &d);
  g_assert_cmpfloat (d.counts_pct[KL_COUNT_SHIPMENTS], ==, -20.0);
}

static void
check_seasons (const gint64 shipments[12], const int *peaks, guint n_peaks,
               const int *off_peaks, guint n_off_peaks)
{
  int months[12];
  g_autoptr(GArray) peak = g_array_new (FALSE, FALSE, sizeof (int));
  g_autoptr(GArray) off = g_array_new (FALSE, FALSE, sizeof (int));

  for (int i = 0; i < 12; i++)
    months[i] = kl_month_add (202510, i);
  kl_report_find_seasons (months, shipments, peak, off);
  g_assert_cmpuint (peak->len, ==, n_peaks);
  g_assert_cmpuint (off->len, ==, n_off_peaks);
  for (guint i = 0; i < n_peaks; i++)
    g_assert_cmpint (g_array_index (peak, int, i), ==, peaks[i]);
  for (guint i = 0; i < n_off_peaks; i++)
    g_assert_cmpint (g_array_index (off, int, i), ==, off_peaks[i]);
}

static void
test_seasons (void)
{
  /* Mean 100: 110 is a peak (at least 110 %), 109 is not; 90 is off-peak
   * (at most 90 %), 91 is not. Months run 2025-10 … 2026-09. */
  const gint64 series[12] = { 110, 109, 90, 91, 100, 100, 100, 100, 100, 100, 150, 50 };
  const int peaks[] = { 202510, 202608 };
  const int off[] = { 202512, 202609 };
  const gint64 flat[12] = { 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7 };
  const gint64 empty[12] = { 0 };
  const gint64 one[12] = { 0, 0, 0, 0, 0, 12, 0, 0, 0, 0, 0, 0 };
  const int one_peak[] = { 202603 };
  const int one_off[] = { 202510, 202511, 202512, 202601, 202602,
                          202604, 202605, 202606, 202607, 202608, 202609 };

  g_assert_cmpint (110 + 109 + 90 + 91 + 600 + 150 + 50, ==, 1200);
  check_seasons (series, peaks, 2, off, 2);
  check_seasons (flat, NULL, 0, NULL, 0);
  /* Mean 0: neither peaks nor off-peaks. */
  check_seasons (empty, NULL, 0, NULL, 0);
  check_seasons (one, one_peak, 1, one_off, 11);
}

static void
check_format (char *text, const char *expected)
{
  g_assert_cmpstr (text, ==, expected);
  g_free (text);
}

static void
test_format (void)
{
  check_format (kl_format_percent (0.9535), "95.4%");      /* a half: away from zero */
  check_format (kl_format_percent (1907.0 / 2000.0), "95.4%");
  check_format (kl_format_percent (0.9534), "95.3%");
  check_format (kl_format_percent (0.00049), "0.0%");
  check_format (kl_format_percent (0.0005), "0.1%");
  check_format (kl_format_percent (1.0), "100.0%");
  check_format (kl_format_percent (0.0), "0.0%");
  check_format (kl_format_percent (2.0 / 3.0), "66.7%");
  check_format (kl_format_percent (NAN), "—");
  check_format (kl_format_fixed (-0.25, 1), "-0.3");
  check_format (kl_format_fixed (-0.04, 1), "0.0");
  check_format (kl_format_fixed (2.5, 0), "3");
  check_format (kl_format_fixed (-2.5, 0), "-3");
  check_format (kl_format_pp_delta (1.25), "+1.3 pp");
  check_format (kl_format_pp_delta (-0.45), "\u22120.5 pp");
  check_format (kl_format_pp_delta (0.04), "0.0 pp");
  check_format (kl_format_pp_delta (NAN), "—");
  check_format (kl_format_percent_delta (12.5), "+12.5%");
  check_format (kl_format_percent_delta (-20.0), "\u221220.0%");
  check_format (kl_format_percent_delta (NAN), "—");
  check_format (kl_format_count (0), "0");
  check_format (kl_format_count (999), "999");
  check_format (kl_format_count (1000), "1,000");
  check_format (kl_format_count (1234567), "1,234,567");
  check_format (kl_format_count (-1234567), "-1,234,567");
  check_format (kl_format_decimal (1234567.891, 1), "1,234,567.9");
  check_format (kl_format_double_exact (0.95), "0.95");
  check_format (kl_format_double_exact (NAN), "");
  {
    char *text = kl_format_double_exact (2.0 / 3.0);
    g_assert_cmpfloat (g_ascii_strtod (text, NULL), ==, 2.0 / 3.0);
    g_free (text);
  }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/kpi/compute", test_compute);
  g_test_add_func ("/kpi/zero-denominators", test_zero_denominators);
  g_test_add_func ("/kpi/targets", test_targets);
  g_test_add_func ("/kpi/deltas", test_deltas);
  g_test_add_func ("/kpi/seasons", test_seasons);
  g_test_add_func ("/kpi/format", test_format);
  return g_test_run ();
}
