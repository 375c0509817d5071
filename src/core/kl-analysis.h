/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Where service effort goes (docs/analysis.md): contribution classes of
 * accounts (A–D) and service lines (I–V), the priority matrix and its
 * service standards. Pure arithmetic over plain arrays; the data layer that
 * fills them from the workspace is kl-analysis-data.c. */
#pragma once

#include <glib.h>
#include "kl-core-types.h"
#include "kl-enums.h"

G_BEGIN_DECLS

typedef enum {
  KL_BASIS_REVENUE,
  KL_BASIS_SHIPMENTS,
  KL_BASIS_WEIGHT,
} KlAnalysisBasis;

typedef enum {
  KL_ACCOUNT_CLASS_NONE,
  KL_ACCOUNT_CLASS_A,
  KL_ACCOUNT_CLASS_B,
  KL_ACCOUNT_CLASS_C,
  KL_ACCOUNT_CLASS_D,
} KlAccountClass;

#define KL_N_ACCOUNT_CLASSES 4

typedef enum {
  KL_LINE_CLASS_NONE,
  KL_LINE_CLASS_I,
  KL_LINE_CLASS_II,
  KL_LINE_CLASS_III,
  KL_LINE_CLASS_IV,
  KL_LINE_CLASS_V,
} KlLineClass;

#define KL_N_LINE_CLASSES 5

/* "revenue", "shipments", "weight"; parse returns FALSE for anything else. */
const char     *kl_analysis_basis_to_string (KlAnalysisBasis basis);
gboolean        kl_analysis_basis_parse     (const char *text, KlAnalysisBasis *out);
/* "A".."D" ("" for none); "I".."V" ("" for none). */
const char     *kl_account_class_to_string  (KlAccountClass klass);
KlAccountClass  kl_account_class_parse      (const char *text);
const char     *kl_line_class_to_string     (KlLineClass klass);

/* The default basis: revenue when at least 90 % of the period's shipments
 * carry revenue in the workspace currency, else shipments. */
KlAnalysisBasis kl_analysis_default_basis   (gint64 shipments,
                                             gint64 shipments_with_revenue);

/* Class boundaries as basis points of the total (7000, 9000, 9800 by
 * default): A while the share before an account is below a, B below b,
 * C below c, D otherwise. */
typedef struct {
  int a_bp;
  int b_bp;
  int c_bp;
} KlClassThresholds;

void kl_class_thresholds_init_default (KlClassThresholds *t);
/* Valid: 0 < a < b < c <= 10000. */
gboolean kl_class_thresholds_valid    (const KlClassThresholds *t);

/* One account. In: code (borrowed), contribution (basis units: minor units,
 * shipments or grams; negative counts as 0) and manual (NONE when not set
 * by hand). Out: the rest. */
typedef struct {
  const char     *code;
  gint64          contribution;
  KlAccountClass  manual;
  gpointer        user_data;
  /* out */
  double          share;             /* of the total; 0 when total is 0 */
  double          cumulative_share;  /* including this account */
  double          before;            /* of the accounts ahead of it */
  KlAccountClass  computed;          /* NONE with no contribution */
  KlAccountClass  klass;             /* manual when set, else computed */
} KlClassAccount;

/* Sorts accounts in place: those with a contribution > 0 first, by
 * contribution descending, ties by code ascending (strcmp, bytes), then the
 * rest by code; and fills in the out members. Returns the number of accounts
 * with a contribution > 0 (the first ones). */
guint kl_analysis_classify_accounts (KlClassAccount          *accounts,
                                     guint                    n,
                                     const KlClassThresholds *thresholds);

/* One service line (transport mode). In: mode, contribution, present (it has
 * shipments in the period). Out: share and class. */
typedef struct {
  KlShipmentMode mode;
  gint64         contribution;
  gboolean       present;
  /* out */
  double         share;
  KlLineClass    klass;
} KlClassLine;

/* Sorts lines in place: present lines ranked by contribution descending,
 * ties by import.md's order of modes (road_ftl, road_ltl, rail, air, sea,
 * express); the first is I, then II, III, IV, the fifth and later V. Lines
 * not present (and KL_MODE_NONE) go last without a class. Returns the
 * number of classed lines. */
guint kl_analysis_classify_lines (KlClassLine *lines, guint n);

/* Priority matrix: priority[account class - 1][line class - 1], 1 = highest. */
typedef struct {
  int priority[KL_N_ACCOUNT_CLASSES][KL_N_LINE_CLASSES];
} KlPriorityMatrix;

void kl_priority_matrix_init_default (KlPriorityMatrix *m);
/* 0 when either class is NONE. */
int  kl_priority_matrix_lookup       (const KlPriorityMatrix *m,
                                      KlAccountClass          account,
                                      KlLineClass             line);
/* "1,3,5,9,11;2,4,…" (rows A..D); parse checks 20 integers 1..99. */
char    *kl_priority_matrix_to_string (const KlPriorityMatrix *m);
gboolean kl_priority_matrix_parse     (const char *text, KlPriorityMatrix *out);

/* The standard of a band of priorities [first, last]. */
typedef struct {
  int    first;
  int    last;
  double on_time;     /* arrival on-time target, a fraction */
  int    lead_days;
} KlStandardBand;

#define KL_MAX_STANDARD_BANDS 20

typedef struct {
  guint          n_bands;
  KlStandardBand bands[KL_MAX_STANDARD_BANDS];
} KlStandards;

void                  kl_standards_init_default (KlStandards *s);
/* The band a priority falls in; NULL when none. */
const KlStandardBand *kl_standards_lookup       (const KlStandards *s, int priority);
/* "1-5:1.000:1;6-10:0.980:2;…"; parse checks bands don't overlap. */
char    *kl_standards_to_string (const KlStandards *s);
gboolean kl_standards_parse     (const char *text, KlStandards *out);

/* Transit-day histogram buckets: bucket = ceil(transit s / 86400), 0 when
 * transit <= 0, 31 for more than 30 days. */
#ifndef KL_TRANSIT_BUCKETS
#define KL_TRANSIT_BUCKETS 32
#endif
int kl_transit_bucket_of_seconds (gint64 transit_seconds);

/* One account × service line's actuals against its standard. */
typedef struct {
  /* in */
  KlAccountClass account_class;
  KlLineClass    line_class;
  gint64         shipments;
  gint64         delivered;
  gint64         delivered_on_time;
  gint64         transit[KL_TRANSIT_BUCKETS];   /* delivered shipments by transit days */
  /* out */
  int            priority;          /* 0: no class, no standard */
  double         target_on_time;    /* NAN without a standard */
  int            lead_days;         /* -1 without a standard */
  double         on_time;           /* NAN when nothing delivered */
  double         within_lead;       /* NAN when nothing delivered or no standard */
  KlTri          on_time_met;
  KlTri          lead_met;
} KlStandardRow;

void kl_analysis_standard_row (KlStandardRow          *row,
                               const KlPriorityMatrix *matrix,
                               const KlStandards      *standards);

/* Proposed agreement targets from the standard of a priority: the arrival
 * on-time target (NAN when no band holds the priority). */
double kl_analysis_proposed_on_time (const KlStandards *standards, int priority);

G_END_DECLS
