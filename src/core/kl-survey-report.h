/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A survey's per-attribute results (docs/analysis.md): what the JSON
 * export, the printed "Client survey" report, the window's table and both
 * matrices show. */
#pragma once

#include "kl-survey-stats.h"
#include "kl-survey-store.h"

G_BEGIN_DECLS

typedef struct {
  const KlSurveyAttribute *attribute;   /* borrowed from the survey */
  guint            n;                   /* respondents who gave an importance */
  KlSurveyMoments  importance;
  KlSurveyMoments *performance;         /* one per company, in the survey's order */
  double           relative;            /* ours − main competitor; NAN without one */
  gboolean         tested;
  double           t;
  double           df;
  double           p;                   /* NAN when not tested */
  KlSignificance   significance;
  KlSurveyPosition position;
  KlRelativeBand   relative_band;
  KlSurveyAction   action;
} KlSurveyResult;

typedef struct {
  const KlSurvey *survey;               /* borrowed */
  int             ours;                 /* index of our company, or -1 */
  int             main;                 /* index of the main competitor, or -1 */
  guint           n_results;
  KlSurveyResult *results;              /* one per attribute, in order */
} KlSurveyReport;

KlSurveyReport *kl_survey_report_compute (const KlSurvey *survey);
void            kl_survey_report_free    (KlSurveyReport *report);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KlSurveyReport, kl_survey_report_free)

/* One attribute across survey rounds. */
typedef struct {
  char            *survey;
  char            *held_on;
  guint            n;
  double           importance;   /* means; NAN when none */
  double           ours;
  double           main;
  double           relative;
  double           p;            /* NAN when not tested */
  KlSignificance   significance;
  KlSurveyPosition position;
  KlSurveyAction   action;
} KlSurveyRound;

void       kl_survey_round_free   (KlSurveyRound *round);
/* Every survey that has the attribute code, by date: a GPtrArray of
 * KlSurveyRound (empty when none has it). */
GPtrArray *kl_survey_compare_rounds (KlDatabase  *db,
                                     const char  *attribute_code,
                                     GError     **error);

G_END_DECLS
