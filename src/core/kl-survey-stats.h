/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Importance–performance survey arithmetic (docs/analysis.md): per
 * attribute n, mean and sample standard deviation, relative performance,
 * Welch's two-sided t-test (GSL's t distribution), the competitive position
 * and the performance evaluation action. Pure functions over ratings. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
  guint  n;
  gint64 sum;    /* of the ratings counted */
  double mean;   /* NAN when n = 0 */
  double sd;     /* sample (n − 1); NAN when n < 2 */
} KlSurveyMoments;

/* Moments of integer ratings; values outside 1..7 (0 = not rated) are skipped. */
void kl_survey_moments (const int *ratings, guint n, KlSurveyMoments *out);

typedef enum {
  KL_SIGNIFICANCE_NONE,
  KL_SIGNIFICANCE_05,     /* "*":  p <= 0.05 */
  KL_SIGNIFICANCE_01,     /* "**": p <= 0.01 */
} KlSignificance;

const char *kl_significance_to_string (KlSignificance s);

/* Welch's two-sided t-test between two samples given by their moments.
 * Returns FALSE (no test; *p untouched) when either side has fewer than 2
 * ratings or both have zero variance. */
gboolean kl_survey_welch (const KlSurveyMoments *ours,
                          const KlSurveyMoments *theirs,
                          double                *t_out,
                          double                *df_out,
                          double                *p_out);

/* Our mean − theirs, worked from the integer sums so that a difference of
 * exactly 1.0 is 1.0; NAN when either side has no rating. */
double kl_survey_relative (const KlSurveyMoments *ours,
                           const KlSurveyMoments *theirs);

KlSignificance kl_survey_significance (gboolean tested, double p);

typedef enum {
  KL_POSITION_NONE,
  KL_POSITION_IMPORTANT_WEAKNESS,
  KL_POSITION_IMPORTANT_STRENGTH,
  KL_POSITION_MINOR_WEAKNESS,
  KL_POSITION_MINOR_STRENGTH,
} KlSurveyPosition;

typedef enum {
  KL_ACTION_NONE,
  KL_ACTION_IMPROVE_NOW,
  KL_ACTION_IMPROVE,
  KL_ACTION_MAINTAIN_OR_IMPROVE,
  KL_ACTION_MAINTAIN,
  KL_ACTION_REDUCE_OR_MAINTAIN,
} KlSurveyAction;

typedef enum {
  KL_BAND_NONE,
  KL_BAND_LOW,       /* < 3.0 */
  KL_BAND_MEDIUM,    /* 3.0 – 5.0 */
  KL_BAND_HIGH,      /* > 5.0 */
} KlSurveyBand;

typedef enum {
  KL_RELATIVE_NONE,
  KL_RELATIVE_DISADVANTAGE,  /* < −1.0 */
  KL_RELATIVE_PARITY,        /* −1.0 … +1.0 */
  KL_RELATIVE_ADVANTAGE,     /* > +1.0 */
} KlRelativeBand;

/* JSON tokens ("important_weakness", "improve_now"; "" for NONE) and
 * translated labels. */
const char *kl_survey_position_to_string (KlSurveyPosition p);
const char *kl_survey_position_to_label  (KlSurveyPosition p);
const char *kl_survey_action_to_string   (KlSurveyAction a);
const char *kl_survey_action_to_label    (KlSurveyAction a);
const char *kl_survey_band_to_label      (KlSurveyBand b);
const char *kl_relative_band_to_label    (KlRelativeBand b);

/* Important when mean importance >= 4.0; a strength when relative >= 0.
 * NONE when either is NAN. */
KlSurveyPosition kl_survey_position (double importance, double relative);
KlSurveyBand     kl_survey_band     (double mean);
KlRelativeBand   kl_relative_band   (double relative);
/* The performance evaluation matrix: importance × our performance. */
KlSurveyAction   kl_survey_action   (double importance, double our_performance);

G_END_DECLS
