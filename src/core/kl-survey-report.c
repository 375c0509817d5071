/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Per-attribute survey results (docs/analysis.md). */

#include <math.h>

#include "kl-survey-report.h"

KlSurveyReport *
kl_survey_report_compute (const KlSurvey *survey)
{
  KlSurveyReport *report = g_new0 (KlSurveyReport, 1);
  guint na = kl_survey_n_attributes (survey);
  guint nc = kl_survey_n_companies (survey);
  guint nr = kl_survey_n_respondents (survey);
  g_autofree int *values = g_new0 (int, MAX (nr, 1));

  report->survey = survey;
  report->ours = -1;
  for (guint c = 0; c < nc; c++)
    if (((KlSurveyCompany *) g_ptr_array_index (survey->companies, c))->ours)
      report->ours = (int) c;
  report->main = kl_survey_main_index (survey);
  report->n_results = na;
  report->results = g_new0 (KlSurveyResult, MAX (na, 1));

  for (guint a = 0; a < na; a++)
    {
      KlSurveyResult *r = &report->results[a];

      r->attribute = g_ptr_array_index (survey->attributes, a);
      for (guint i = 0; i < nr; i++)
        values[i] = survey->importance[i * na + a];
      kl_survey_moments (values, nr, &r->importance);
      r->n = r->importance.n;
      r->performance = g_new0 (KlSurveyMoments, MAX (nc, 1));
      for (guint c = 0; c < nc; c++)
        {
          for (guint i = 0; i < nr; i++)
            values[i] = survey->performance[(i * na + a) * nc + c];
          kl_survey_moments (values, nr, &r->performance[c]);
        }
      r->relative = NAN;
      r->p = NAN;
      if (report->ours >= 0 && report->main >= 0)
        {
          r->relative = kl_survey_relative (&r->performance[report->ours], &r->performance[report->main]);
          r->tested = kl_survey_welch (&r->performance[report->ours], &r->performance[report->main],
                                       &r->t, &r->df, &r->p);
          if (!r->tested)
            r->p = NAN;
        }
      r->significance = kl_survey_significance (r->tested, r->p);
      r->position = kl_survey_position (r->importance.mean, r->relative);
      r->relative_band = kl_relative_band (r->relative);
      r->action = kl_survey_action (r->importance.mean,
                                    report->ours >= 0 ? r->performance[report->ours].mean : NAN);
    }
  return report;
}

void
kl_survey_report_free (KlSurveyReport *report)
{
  if (report == NULL)
    return;
  for (guint a = 0; a < report->n_results; a++)
    g_free (report->results[a].performance);
  g_free (report->results);
  g_free (report);
}

void
kl_survey_round_free (KlSurveyRound *round)
{
  if (round == NULL)
    return;
  g_free (round->survey);
  g_free (round->held_on);
  g_free (round);
}

GPtrArray *
kl_survey_compare_rounds (KlDatabase  *db,
                          const char  *attribute_code,
                          GError     **error)
{
  g_autoptr (GPtrArray) list = kl_survey_store_list (db, error);
  g_autoptr (GPtrArray) out = NULL;

  if (list == NULL)
    return NULL;
  out = g_ptr_array_new_with_free_func ((GDestroyNotify) kl_survey_round_free);
  for (guint i = 0; i < list->len; i++)
    {
      const KlSurveyInfo *info = g_ptr_array_index (list, i);
      g_autoptr (KlSurvey) s = kl_survey_store_load (db, info->id, error);
      g_autoptr (KlSurveyReport) report = NULL;

      if (s == NULL)
        return NULL;
      report = kl_survey_report_compute (s);
      for (guint a = 0; a < report->n_results; a++)
        {
          const KlSurveyResult *r = &report->results[a];
          KlSurveyRound *round;

          if (g_strcmp0 (r->attribute->code, attribute_code) != 0)
            continue;
          round = g_new0 (KlSurveyRound, 1);
          round->survey = g_strdup (s->name);
          round->held_on = g_strdup (s->held_on);
          round->n = r->n;
          round->importance = r->importance.mean;
          round->ours = report->ours >= 0 ? r->performance[report->ours].mean : NAN;
          round->main = report->main >= 0 ? r->performance[report->main].mean : NAN;
          round->relative = r->relative;
          round->p = r->tested ? r->p : NAN;
          round->significance = r->significance;
          round->position = r->position;
          round->action = r->action;
          g_ptr_array_add (out, round);
        }
    }
  return g_steal_pointer (&out);
}
