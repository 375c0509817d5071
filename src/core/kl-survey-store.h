/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Importance–performance surveys in the workspace (docs/analysis.md): a
 * survey with its customers, attributes, companies (ours first), respondents
 * and their responses, read whole into a KlSurvey for the arithmetic of
 * kl-survey-report.h. */
#pragma once

#include "kl-database.h"

G_BEGIN_DECLS

typedef struct {
  gint64  id;
  char   *code;
  char   *name_en;
  char   *name_zh;
} KlSurveyAttribute;

typedef struct {
  gint64   id;
  char    *name;      /* "ours" for our own company */
  gboolean ours;
  gboolean main;      /* the main competitor */
} KlSurveyCompany;

typedef struct {
  gint64  id;
  char   *name;
  char   *customer_code;
} KlSurveyRespondent;

typedef struct {
  char      *id;
  char      *name;
  char      *held_on;          /* YYYY-MM-DD */
  GPtrArray *customer_codes;   /* char * */
  GPtrArray *attributes;       /* KlSurveyAttribute *, in order */
  GPtrArray *companies;        /* KlSurveyCompany *, ours first */
  GPtrArray *respondents;      /* KlSurveyRespondent * */
  /* importance[r * n_attributes + a], 0 = not given;
   * performance[(r * n_attributes + a) * n_companies + c], 0 = not rated */
  int       *importance;
  int       *performance;
} KlSurvey;

guint    kl_survey_n_attributes  (const KlSurvey *s);
guint    kl_survey_n_companies   (const KlSurvey *s);
guint    kl_survey_n_respondents (const KlSurvey *s);
/* Index of the main competitor in companies, or -1. */
int      kl_survey_main_index    (const KlSurvey *s);
/* The attribute's name in "en" or "zh_CN" (the code when empty). */
const char *kl_survey_attribute_name (const KlSurveyAttribute *a, const char *language);
void     kl_survey_free          (KlSurvey *s);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KlSurvey, kl_survey_free)

typedef struct {
  char  *id;
  char  *name;
  char  *held_on;
  char  *customers;          /* codes joined with ", " */
  char  *main_competitor;    /* NULL when none */
  guint  n_attributes;
  guint  n_companies;
  guint  n_respondents;
} KlSurveyInfo;

void kl_survey_info_free (KlSurveyInfo *info);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KlSurveyInfo, kl_survey_info_free)

/* The default attribute set for a 3PL, in both languages. */
typedef struct {
  const char *code;
  const char *name_en;
  const char *name_zh;
} KlSurveyDefaultAttribute;

const KlSurveyDefaultAttribute *kl_survey_default_attributes (guint *n);

/* A new survey named name (unique) held on held_on (YYYY-MM-DD), with our
 * company and the competitors given (main_competitor names one of them;
 * NULL: the first), and the default attributes when with_defaults. Returns
 * its id. */
char      *kl_survey_store_create   (KlDatabase         *db,
                                     const char         *name,
                                     const char         *held_on,
                                     const char * const *competitors,
                                     const char         *main_competitor,
                                     gboolean            with_defaults,
                                     GError            **error);
/* By name or id; NOT_FOUND when neither matches. */
KlSurvey  *kl_survey_store_load     (KlDatabase  *db,
                                     const char  *name_or_id,
                                     GError     **error);
/* All surveys, by date then name. */
GPtrArray *kl_survey_store_list     (KlDatabase  *db,
                                     GError     **error);
gboolean   kl_survey_store_delete   (KlDatabase  *db,
                                     const char  *survey_id,
                                     GError     **error);

/* Pieces, each in its own transaction unless one is open. */
gint64     kl_survey_store_ensure_attribute  (KlDatabase  *db,
                                              const char  *survey_id,
                                              const char  *code,
                                              const char  *name_en,
                                              const char  *name_zh,
                                              GError     **error);
/* A competitor (ours when name is "ours" or "我方"); made main when main. */
gint64     kl_survey_store_ensure_company    (KlDatabase  *db,
                                              const char  *survey_id,
                                              const char  *name,
                                              gboolean     main,
                                              GError     **error);
gboolean   kl_survey_store_set_main_competitor (KlDatabase  *db,
                                                const char  *survey_id,
                                                gint64       company_id,
                                                GError     **error);
gint64     kl_survey_store_ensure_respondent (KlDatabase  *db,
                                              const char  *survey_id,
                                              const char  *name,
                                              const char  *customer_id,
                                              GError     **error);
/* importance 1..7, or 0 to clear it. */
gboolean   kl_survey_store_set_importance    (KlDatabase  *db,
                                              gint64       respondent_id,
                                              gint64       attribute_id,
                                              int          importance,
                                              GError     **error);
/* performance 1..7, or 0 for not rated. */
gboolean   kl_survey_store_set_performance   (KlDatabase  *db,
                                              gint64       respondent_id,
                                              gint64       attribute_id,
                                              gint64       company_id,
                                              int          performance,
                                              GError     **error);

/* "ours" or "我方" (any case, trimmed). */
gboolean   kl_survey_company_is_ours (const char *name);

G_END_DECLS
