/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Survey statistics against numbers worked out another way: the method's
 * published example (tests/survey-example.py builds the same respondent
 * rows and computes the Welch p-values with mpmath's incomplete beta, not
 * GSL) and a t-test with 3 degrees of freedom in closed form. */

#include <math.h>

#include "kl-survey-stats.h"

#define N 100

static const char *const codes[10] = {
  "pickup", "delivery", "damage", "notice", "documents",
  "claims", "billing", "team", "tracking", "price",
};
static const int ours_sum[10] = { 512, 480, 435, 502, 460, 421, 550, 495, 444, 531 };
static const int relative[10] = { -11, -25, -36, -20, 2, -24, 88, 4, 12, 54 };
static const int importance_sum[10] = { 580, 560, 510, 470, 400, 399, 590, 340, 310, 450 };
/* from tests/survey-example.py */
static const double expected_p[10] = {
  4.898502970417e-01, 1.264882024255e-01, 3.207978967042e-02, 2.052109931110e-01,
  9.074671897150e-01, 1.546500893944e-01, 1.702651125507e-07, 7.995276580612e-01,
  4.750878800301e-01, 1.197303081983e-03,
};
static const double expected_t[10] = {
  -0.691840346821, -1.534568374217, -2.158665964160, -1.271037075794, 0.116382750392,
  -1.428769841697, 5.424333669952, 0.254300803195, 0.715589942297, 3.287565491189,
};
static const double expected_sd_ours[10] = {
  1.094338045384, 1.172065430655, 1.166666666667, 1.082272207586, 1.206045378311,
  1.157278241951, 1.087114613009, 1.085952544678, 1.174819994809, 1.107321821406,
};
static const char *const expected_stars[10] = { "", "", "*", "", "", "", "**", "", "", "**" };
static const KlSurveyPosition expected_position[10] = {
  KL_POSITION_IMPORTANT_WEAKNESS,   /* 5.80, −0.11 */
  KL_POSITION_IMPORTANT_WEAKNESS,   /* 5.60, −0.25 */
  KL_POSITION_IMPORTANT_WEAKNESS,   /* 5.10, −0.36 */
  KL_POSITION_IMPORTANT_WEAKNESS,   /* 4.70, −0.20 */
  KL_POSITION_IMPORTANT_STRENGTH,   /* exactly 4.00 is important, +0.02 */
  KL_POSITION_MINOR_WEAKNESS,       /* 3.99, −0.24 */
  KL_POSITION_IMPORTANT_STRENGTH,   /* 5.90, +0.88 */
  KL_POSITION_MINOR_STRENGTH,       /* 3.40, +0.04 */
  KL_POSITION_MINOR_STRENGTH,       /* 3.10, +0.12 */
  KL_POSITION_IMPORTANT_STRENGTH,   /* 4.50, +0.54 */
};
static const KlSurveyAction expected_action[10] = {
  KL_ACTION_MAINTAIN_OR_IMPROVE,    /* high 5.80 × high 5.12 */
  KL_ACTION_IMPROVE,                /* high 5.60 × medium 4.80 */
  KL_ACTION_IMPROVE,                /* high 5.10 × medium 4.35 */
  KL_ACTION_REDUCE_OR_MAINTAIN,     /* medium 4.70 × high 5.02 */
  KL_ACTION_MAINTAIN,               /* medium 4.00 × medium 4.60 */
  KL_ACTION_MAINTAIN,               /* medium 3.99 × medium 4.21 */
  KL_ACTION_MAINTAIN_OR_IMPROVE,    /* high 5.90 × high 5.50 */
  KL_ACTION_MAINTAIN,               /* medium 3.40 × medium 4.95 */
  KL_ACTION_MAINTAIN,               /* medium 3.10 × medium 4.44 */
  KL_ACTION_REDUCE_OR_MAINTAIN,     /* medium 4.50 × high 5.31 */
};

/* The same rule as tests/survey-example.py: a spread around total / 100,
 * then +1 on the first ratings below 7 until the sum is reached. */
static void
sample (int total, int offset, int *v)
{
  static const int pattern[10] = { -2, -1, -1, 0, 0, 0, 0, 1, 1, 2 };
  int m = total / N, sum = 0, r;

  for (int k = 0; k < N; k++)
    {
      v[k] = m + pattern[(k + offset) % 10];
      sum += v[k];
    }
  r = total - sum;
  for (int k = 0; r > 0; k++)
    if (v[k] < 7)
      {
        v[k]++;
        r--;
      }
}

static void
assert_close (double actual, double expected, double rel)
{
  g_assert_cmpfloat (fabs (actual - expected), <=, rel * fabs (expected));
}

static void
test_published_example (void)
{
  for (int i = 0; i < 10; i++)
    {
      int ours[N], theirs[N], imp[N];
      KlSurveyMoments mo, mt, mi;
      double t = 0, df = 0, p = NAN, rel;
      gboolean tested;

      g_test_message ("attribute %s", codes[i]);
      sample (ours_sum[i], 0, ours);
      sample (ours_sum[i] - relative[i], 3, theirs);
      sample (importance_sum[i], 5, imp);
      kl_survey_moments (ours, N, &mo);
      kl_survey_moments (theirs, N, &mt);
      kl_survey_moments (imp, N, &mi);
      g_assert_cmpuint (mo.n, ==, N);
      g_assert_cmpfloat_with_epsilon (mo.mean, ours_sum[i] / 100.0, 1e-12);
      g_assert_cmpfloat_with_epsilon (mi.mean, importance_sum[i] / 100.0, 1e-12);
      assert_close (mo.sd, expected_sd_ours[i], 1e-10);

      rel = kl_survey_relative (&mo, &mt);
      /* exactly the published figure, to the hundredth */
      g_assert_cmpfloat (round (rel * 100.0), ==, relative[i]);
      g_assert_cmpfloat_with_epsilon (rel, relative[i] / 100.0, 1e-12);

      tested = kl_survey_welch (&mo, &mt, &t, &df, &p);
      g_assert_true (tested);
      assert_close (t, expected_t[i], 1e-10);
      assert_close (p, expected_p[i], 1e-8);
      g_assert_cmpstr (kl_significance_to_string (kl_survey_significance (tested, p)), ==,
                       expected_stars[i]);
      g_assert_cmpint (kl_survey_position (mi.mean, rel), ==, expected_position[i]);
      g_assert_cmpint (kl_survey_action (mi.mean, mo.mean), ==, expected_action[i]);
    }
}

/* ours 5,5,5,5 (variance 0), theirs 3,4,5,4 (mean 4, variance 2/3):
 * t = 1 / sqrt (2/3 / 4) = √6, df = 3 (Welch–Satterthwaite with one side
 * constant is n − 1 of the other). With 3 degrees of freedom the two-sided
 * p is 1 − (2/π)(√2/3 + atan √2) = 0.0917211133115719. */
static void
test_welch_closed_form (void)
{
  const int ours[] = { 5, 5, 5, 5 };
  const int theirs[] = { 3, 4, 5, 4 };
  KlSurveyMoments mo, mt;
  double t, df, p;

  kl_survey_moments (ours, 4, &mo);
  kl_survey_moments (theirs, 4, &mt);
  g_assert_cmpfloat (mo.sd, ==, 0.0);
  g_assert_cmpfloat_with_epsilon (mt.sd, sqrt (2.0 / 3.0), 1e-15);
  g_assert_true (kl_survey_welch (&mo, &mt, &t, &df, &p));
  g_assert_cmpfloat_with_epsilon (t, sqrt (6.0), 1e-12);
  g_assert_cmpfloat_with_epsilon (df, 3.0, 1e-12);
  g_assert_cmpfloat_with_epsilon (p, 0.0917211133115719, 1e-12);
  g_assert_cmpint (kl_survey_significance (TRUE, p), ==, KL_SIGNIFICANCE_NONE);
}

static void
test_no_test (void)
{
  const int one[] = { 5 };
  const int two_same[] = { 4, 4 };
  const int three_same[] = { 6, 6, 6 };
  const int unrated[] = { 0, 5, 0 };
  const int spread[] = { 1, 7 };
  KlSurveyMoments a, b, c, d, e;
  double p = 42.0;

  kl_survey_moments (one, 1, &a);
  kl_survey_moments (two_same, 2, &b);
  kl_survey_moments (three_same, 3, &c);
  kl_survey_moments (unrated, 3, &d);
  kl_survey_moments (spread, 2, &e);
  /* fewer than 2 ratings on a side */
  g_assert_false (kl_survey_welch (&a, &e, NULL, NULL, &p));
  g_assert_cmpuint (d.n, ==, 1);
  g_assert_cmpfloat (d.mean, ==, 5.0);
  g_assert_true (isnan (d.sd));
  g_assert_false (kl_survey_welch (&e, &d, NULL, NULL, &p));
  /* both sides without variance */
  g_assert_false (kl_survey_welch (&b, &c, NULL, NULL, &p));
  g_assert_cmpfloat (p, ==, 42.0);
  g_assert_cmpint (kl_survey_significance (FALSE, 0.001), ==, KL_SIGNIFICANCE_NONE);
  /* the relative performance still exists: 4 − 6 */
  g_assert_cmpfloat (kl_survey_relative (&b, &c), ==, -2.0);
  /* no ratings at all */
  kl_survey_moments (unrated, 0, &a);
  g_assert_cmpuint (a.n, ==, 0);
  g_assert_true (isnan (a.mean));
  g_assert_true (isnan (kl_survey_relative (&a, &c)));
}

/* Significance edges: exactly 0.05 is "*", exactly 0.01 is "**". */
static void
test_significance_edges (void)
{
  g_assert_cmpint (kl_survey_significance (TRUE, 0.05), ==, KL_SIGNIFICANCE_05);
  g_assert_cmpint (kl_survey_significance (TRUE, 0.0500001), ==, KL_SIGNIFICANCE_NONE);
  g_assert_cmpint (kl_survey_significance (TRUE, 0.01), ==, KL_SIGNIFICANCE_01);
  g_assert_cmpint (kl_survey_significance (TRUE, 0.0100001), ==, KL_SIGNIFICANCE_05);
  g_assert_cmpstr (kl_significance_to_string (KL_SIGNIFICANCE_01), ==, "**");
}

static void
test_bands (void)
{
  /* relative exactly ±1 is parity; relative exactly 0 a strength */
  g_assert_cmpint (kl_relative_band (-1.0), ==, KL_RELATIVE_PARITY);
  g_assert_cmpint (kl_relative_band (-1.01), ==, KL_RELATIVE_DISADVANTAGE);
  g_assert_cmpint (kl_relative_band (1.0), ==, KL_RELATIVE_PARITY);
  g_assert_cmpint (kl_relative_band (1.01), ==, KL_RELATIVE_ADVANTAGE);
  g_assert_cmpint (kl_survey_position (4.0, 0.0), ==, KL_POSITION_IMPORTANT_STRENGTH);
  g_assert_cmpint (kl_survey_position (3.99, -0.01), ==, KL_POSITION_MINOR_WEAKNESS);
  g_assert_cmpint (kl_survey_position (NAN, 1.0), ==, KL_POSITION_NONE);
  /* the performance evaluation matrix at its edges */
  g_assert_cmpint (kl_survey_band (2.99), ==, KL_BAND_LOW);
  g_assert_cmpint (kl_survey_band (3.0), ==, KL_BAND_MEDIUM);
  g_assert_cmpint (kl_survey_band (5.0), ==, KL_BAND_MEDIUM);
  g_assert_cmpint (kl_survey_band (5.01), ==, KL_BAND_HIGH);
  g_assert_cmpint (kl_survey_action (5.01, 2.99), ==, KL_ACTION_IMPROVE_NOW);
  g_assert_cmpint (kl_survey_action (5.01, 3.0), ==, KL_ACTION_IMPROVE);
  g_assert_cmpint (kl_survey_action (5.01, 5.01), ==, KL_ACTION_MAINTAIN_OR_IMPROVE);
  g_assert_cmpint (kl_survey_action (3.0, 2.0), ==, KL_ACTION_IMPROVE);
  g_assert_cmpint (kl_survey_action (5.0, 5.0), ==, KL_ACTION_MAINTAIN);
  g_assert_cmpint (kl_survey_action (5.0, 5.5), ==, KL_ACTION_REDUCE_OR_MAINTAIN);
  g_assert_cmpint (kl_survey_action (2.9, 2.9), ==, KL_ACTION_MAINTAIN);
  g_assert_cmpint (kl_survey_action (2.9, 3.0), ==, KL_ACTION_REDUCE_OR_MAINTAIN);
  g_assert_cmpint (kl_survey_action (2.9, 6.0), ==, KL_ACTION_REDUCE_OR_MAINTAIN);
  g_assert_cmpstr (kl_survey_action_to_string (KL_ACTION_MAINTAIN_OR_IMPROVE), ==,
                   "maintain_or_improve");
  g_assert_cmpstr (kl_survey_position_to_string (KL_POSITION_MINOR_STRENGTH), ==,
                   "minor_strength");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/survey/published-example", test_published_example);
  g_test_add_func ("/survey/welch-closed-form", test_welch_closed_form);
  g_test_add_func ("/survey/no-test", test_no_test);
  g_test_add_func ("/survey/significance-edges", test_significance_edges);
  g_test_add_func ("/survey/bands", test_bands);
  return g_test_run ();
}
