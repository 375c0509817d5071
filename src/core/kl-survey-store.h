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
/* What a new survey is made of, as typed in the window's New Survey or
 * given to `keyline-cli survey new`: checked whole, then written in one
 * transaction by kl_survey_store_create_draft (). */
typedef struct {
  char      *name;
  char      *held_on;          /* YYYY-MM-DD */
  GPtrArray *attributes;       /* KlSurveyAttribute * (id unused), in order */
  GPtrArray *competitors;      /* char *, one to three */
  char      *main_competitor;  /* NULL: the first competitor */
  GPtrArray *customer_codes;   /* char *: customers asked besides the respondents' */
  GPtrArray *respondents;      /* KlSurveyRespondent * (id unused) */
} KlSurveyDraft;

KlSurveyDraft *kl_survey_draft_new             (const char    *name,
                                                const char    *held_on);
void           kl_survey_draft_free            (KlSurveyDraft *draft);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KlSurveyDraft, kl_survey_draft_free)
/* name_en and name_zh NULL: the code. */
void           kl_survey_draft_add_attribute   (KlSurveyDraft *draft,
                                                const char    *code,
                                                const char    *name_en,
                                                const char    *name_zh);
/* The default attribute of that code; FALSE when there is none. */
gboolean       kl_survey_draft_add_default     (KlSurveyDraft *draft,
                                                const char    *code);
void           kl_survey_draft_add_competitor  (KlSurveyDraft *draft,
                                                const char    *name);
void           kl_survey_draft_add_respondent  (KlSurveyDraft *draft,
                                                const char    *name,
                                                const char    *customer_code);
/* What can be checked without the workspace: a name, a real date, at least
 * one attribute with distinct codes, one to three distinct competitors
 * (none named as our own company), the main competitor among them, and
 * respondents with a name each (distinct) and a customer code. Sets a
 * KL_DATABASE_ERROR_INVALID error saying what to fix. */
gboolean       kl_survey_draft_check           (const KlSurveyDraft *draft,
                                                GError             **error);
/* Checks the draft, then creates the survey with our company, the
 * competitors, the attributes, the customers and the respondents (each
 * respondent's customer by code: NOT_FOUND names both), all or nothing.
 * Returns the survey's id. */
char          *kl_survey_store_create_draft    (KlDatabase          *db,
                                                const KlSurveyDraft *draft,
                                                GError             **error);

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
