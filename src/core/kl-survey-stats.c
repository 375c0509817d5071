/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Survey statistics (docs/analysis.md). The t distribution is GSL's. */

#include "config.h"

#include <glib/gi18n-lib.h>

#include <math.h>
#include <gsl/gsl_cdf.h>

#include "kl-survey-stats.h"

void
kl_survey_moments (const int *ratings, guint n, KlSurveyMoments *out)
{
  double sum = 0.0, mean, ss = 0.0;
  guint count = 0;

  for (guint i = 0; i < n; i++)
    if (ratings[i] >= 1 && ratings[i] <= 7)
      {
        sum += ratings[i];
        count++;
      }
  out->n = count;
  out->sum = (gint64) sum;
  if (count == 0)
    {
      out->mean = NAN;
      out->sd = NAN;
      return;
    }
  mean = sum / count;
  /* two passes: the squares of deviations from the mean */
  for (guint i = 0; i < n; i++)
    if (ratings[i] >= 1 && ratings[i] <= 7)
      ss += (ratings[i] - mean) * (ratings[i] - mean);
  out->mean = mean;
  out->sd = count >= 2 ? sqrt (ss / (count - 1)) : NAN;
}

const char *
kl_significance_to_string (KlSignificance s)
{
  switch (s)
    {
    case KL_SIGNIFICANCE_05: return "*";
    case KL_SIGNIFICANCE_01: return "**";
    case KL_SIGNIFICANCE_NONE:
    default: return "";
    }
}

gboolean
kl_survey_welch (const KlSurveyMoments *ours,
                 const KlSurveyMoments *theirs,
                 double                *t_out,
                 double                *df_out,
                 double                *p_out)
{
  double v1, v2, se2, t, df, p;

  if (ours->n < 2 || theirs->n < 2)
    return FALSE;
  v1 = ours->sd * ours->sd / ours->n;
  v2 = theirs->sd * theirs->sd / theirs->n;
  if (v1 == 0.0 && v2 == 0.0)
    return FALSE;
  se2 = v1 + v2;
  t = (ours->mean - theirs->mean) / sqrt (se2);
  /* Welch–Satterthwaite */
  df = se2 * se2 / (v1 * v1 / (ours->n - 1) + v2 * v2 / (theirs->n - 1));
  p = 2.0 * gsl_cdf_tdist_Q (fabs (t), df);
  if (p > 1.0)
    p = 1.0;
  if (t_out)
    *t_out = t;
  if (df_out)
    *df_out = df;
  if (p_out)
    *p_out = p;
  return TRUE;
}

double
kl_survey_relative (const KlSurveyMoments *ours,
                    const KlSurveyMoments *theirs)
{
  if (ours->n == 0 || theirs->n == 0)
    return NAN;
  return (double) (ours->sum * (gint64) theirs->n - theirs->sum * (gint64) ours->n)
         / ((double) ours->n * (double) theirs->n);
}

KlSignificance
kl_survey_significance (gboolean tested, double p)
{
  if (!tested || isnan (p))
    return KL_SIGNIFICANCE_NONE;
  if (p <= 0.01)
    return KL_SIGNIFICANCE_01;
  if (p <= 0.05)
    return KL_SIGNIFICANCE_05;
  return KL_SIGNIFICANCE_NONE;
}

const char *
kl_survey_position_to_string (KlSurveyPosition p)
{
  switch (p)
    {
    case KL_POSITION_IMPORTANT_WEAKNESS: return "important_weakness";
    case KL_POSITION_IMPORTANT_STRENGTH: return "important_strength";
    case KL_POSITION_MINOR_WEAKNESS: return "minor_weakness";
    case KL_POSITION_MINOR_STRENGTH: return "minor_strength";
    case KL_POSITION_NONE:
    default: return "";
    }
}

const char *
kl_survey_position_to_label (KlSurveyPosition p)
{
  switch (p)
    {
    case KL_POSITION_IMPORTANT_WEAKNESS: return _("Important weakness");
    case KL_POSITION_IMPORTANT_STRENGTH: return _("Important strength");
    case KL_POSITION_MINOR_WEAKNESS: return _("Minor weakness");
    case KL_POSITION_MINOR_STRENGTH: return _("Minor strength");
    case KL_POSITION_NONE:
    default: return "—";
    }
}

const char *
kl_survey_action_to_string (KlSurveyAction a)
{
  switch (a)
    {
    case KL_ACTION_IMPROVE_NOW: return "improve_now";
    case KL_ACTION_IMPROVE: return "improve";
    case KL_ACTION_MAINTAIN_OR_IMPROVE: return "maintain_or_improve";
    case KL_ACTION_MAINTAIN: return "maintain";
    case KL_ACTION_REDUCE_OR_MAINTAIN: return "reduce_or_maintain";
    case KL_ACTION_NONE:
    default: return "";
    }
}

const char *
kl_survey_action_to_label (KlSurveyAction a)
{
  switch (a)
    {
    case KL_ACTION_IMPROVE_NOW: return _("Improve now");
    case KL_ACTION_IMPROVE: return _("Improve");
    case KL_ACTION_MAINTAIN_OR_IMPROVE: return _("Maintain or improve");
    case KL_ACTION_MAINTAIN: return _("Maintain");
    case KL_ACTION_REDUCE_OR_MAINTAIN: return _("Reduce or maintain");
    case KL_ACTION_NONE:
    default: return "—";
    }
}

const char *
kl_survey_band_to_label (KlSurveyBand b)
{
  switch (b)
    {
    case KL_BAND_LOW: return C_("survey band", "Low");
    case KL_BAND_MEDIUM: return C_("survey band", "Medium");
    case KL_BAND_HIGH: return C_("survey band", "High");
    case KL_BAND_NONE:
    default: return "—";
    }
}

const char *
kl_relative_band_to_label (KlRelativeBand b)
{
  switch (b)
    {
    case KL_RELATIVE_DISADVANTAGE: return _("Disadvantage");
    case KL_RELATIVE_PARITY: return _("Parity");
    case KL_RELATIVE_ADVANTAGE: return _("Advantage");
    case KL_RELATIVE_NONE:
    default: return "—";
    }
}

KlSurveyPosition
kl_survey_position (double importance, double relative)
{
  gboolean important, strength;

  if (isnan (importance) || isnan (relative))
    return KL_POSITION_NONE;
  important = importance >= 4.0;
  strength = relative >= 0.0;
  if (important)
    return strength ? KL_POSITION_IMPORTANT_STRENGTH : KL_POSITION_IMPORTANT_WEAKNESS;
  return strength ? KL_POSITION_MINOR_STRENGTH : KL_POSITION_MINOR_WEAKNESS;
}

KlSurveyBand
kl_survey_band (double mean)
{
  if (isnan (mean))
    return KL_BAND_NONE;
  if (mean < 3.0)
    return KL_BAND_LOW;
  if (mean > 5.0)
    return KL_BAND_HIGH;
  return KL_BAND_MEDIUM;
}

KlRelativeBand
kl_relative_band (double relative)
{
  if (isnan (relative))
    return KL_RELATIVE_NONE;
  if (relative < -1.0)
    return KL_RELATIVE_DISADVANTAGE;
  if (relative > 1.0)
    return KL_RELATIVE_ADVANTAGE;
  return KL_RELATIVE_PARITY;
}

KlSurveyAction
kl_survey_action (double importance, double our_performance)
{
  static const KlSurveyAction table[3][3] = {
    /* importance low: performance low, medium, high */
    { KL_ACTION_MAINTAIN, KL_ACTION_REDUCE_OR_MAINTAIN, KL_ACTION_REDUCE_OR_MAINTAIN },
    /* medium */
    { KL_ACTION_IMPROVE, KL_ACTION_MAINTAIN, KL_ACTION_REDUCE_OR_MAINTAIN },
    /* high */
    { KL_ACTION_IMPROVE_NOW, KL_ACTION_IMPROVE, KL_ACTION_MAINTAIN_OR_IMPROVE },
  };
  KlSurveyBand bi = kl_survey_band (importance);
  KlSurveyBand bp = kl_survey_band (our_performance);

  if (bi == KL_BAND_NONE || bp == KL_BAND_NONE)
    return KL_ACTION_NONE;
  return table[bi - KL_BAND_LOW][bp - KL_BAND_LOW];
}
