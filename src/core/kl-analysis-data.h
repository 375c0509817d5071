/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The workspace side of docs/analysis.md's classes and standards: the
 * trailing twelve months read from the rollup per customer, month and mode
 * (kl-rollup-mode.h), the settings (thresholds, priority matrix, standards)
 * and the class set by hand on a customer. The arithmetic is kl-analysis.h. */
#pragma once

#include "kl-analysis.h"
#include "kl-database.h"
#include "kl-rollup-mode.h"

G_BEGIN_DECLS

/* Settings keys (values as kl_*_to_string writes them). */
#define KL_SETTING_CLASS_THRESHOLDS "analysis.class_thresholds"  /* "70,90,98" (percent) */
#define KL_SETTING_PRIORITY_MATRIX  "analysis.priority_matrix"
#define KL_SETTING_STANDARDS        "analysis.standards"

void     kl_analysis_settings_read   (KlDatabase        *db,
                                      KlClassThresholds *thresholds,
                                      KlPriorityMatrix  *matrix,
                                      KlStandards       *standards);
gboolean kl_analysis_settings_write  (KlDatabase              *db,
                                      const KlClassThresholds *thresholds,
                                      const KlPriorityMatrix  *matrix,
                                      const KlStandards       *standards,
                                      GError                 **error);
char    *kl_class_thresholds_to_string (const KlClassThresholds *t);
gboolean kl_class_thresholds_parse     (const char *text, KlClassThresholds *out);

/* The class set by hand (KL_ACCOUNT_CLASS_NONE: none). */
KlAccountClass kl_analysis_get_class_override (KlDatabase  *db,
                                               const char  *customer_id,
                                               GError     **error);
gboolean       kl_analysis_set_class_override (KlDatabase     *db,
                                               const char     *customer_id,
                                               KlAccountClass  klass,
                                               GError        **error);

typedef struct {
  char            *id;
  char            *code;
  char            *name;
  char            *account_manager;
  KlCustomerStatus status;
  KlAccountClass   manual;
} KlAnalysisCustomer;

typedef struct {
  int                 year, month;         /* the period's last month */
  int                 first_month;         /* yyyymm */
  int                 last_month;
  KlAnalysisBasis     basis;
  gboolean            basis_default;       /* chosen by the 90 % rule */
  gint64              shipments;           /* in the period, every mode */
  gint64              revenue_shipments;   /* carrying revenue in the workspace currency */
  gint64              other_currency;      /* carrying revenue in another currency */
  char               *currency;            /* the workspace's */
  KlClassThresholds   thresholds;
  KlPriorityMatrix    matrix;
  KlStandards         standards;
  GPtrArray          *customers;           /* KlAnalysisCustomer *, not deleted */
  guint               n_accounts;          /* = customers->len */
  KlClassAccount     *accounts;            /* sorted; user_data: the KlAnalysisCustomer */
  guint               n_classed;           /* accounts with a contribution > 0 */
  guint               n_lines;             /* KL_N_MODES − 1 */
  KlClassLine         lines[8];            /* sorted, classed first */
  guint               n_line_classed;
  GArray             *mode_rows;           /* KlRollupModeRow over the period */
  GHashTable         *account_of;          /* customer id → KlClassAccount * */
} KlClassAnalysis;

/* The analysis of the twelve months ending with year-month. basis NULL:
 * the default basis. */
KlClassAnalysis *kl_analysis_load    (KlDatabase            *db,
                                      int                    year,
                                      int                    month,
                                      const KlAnalysisBasis *basis,
                                      GError               **error);
void             kl_class_analysis_free (KlClassAnalysis *a);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KlClassAnalysis, kl_class_analysis_free)

/* The account of a customer id, or NULL. */
const KlClassAccount *kl_class_analysis_account (const KlClassAnalysis *a,
                                                 const char            *customer_id);
KlLineClass           kl_class_analysis_line    (const KlClassAnalysis *a,
                                                 KlShipmentMode         mode);

/* One account × service line with shipments in the period. */
typedef struct {
  const KlAnalysisCustomer *customer;
  KlShipmentMode            mode;
  KlStandardRow             row;
} KlAnalysisStandard;

/* Every account × service line with shipments (of customer_id only when
 * given), ordered by priority (none last), then customer code, then mode. */
GArray *kl_analysis_standards (const KlClassAnalysis *a,
                               const char            *customer_id);

/* The number of accounts in each cell of the 4 × 5 matrix: the accounts of
 * class row with at least one shipment in a line of class column. */
void    kl_analysis_matrix_counts (const KlClassAnalysis *a,
                                   guint                  counts[KL_N_ACCOUNT_CLASSES][KL_N_LINE_CLASSES]);

/* The service standard to propose as a customer's agreement targets: the
 * most demanding (highest) priority among its account × lines with
 * shipments in the analysis, and that priority's standard. FALSE when the
 * customer has no class or no line with a standard. */
gboolean kl_analysis_propose_standard (const KlClassAnalysis *a,
                                       const char            *customer_id,
                                       int                   *out_priority,
                                       KlStandardBand        *out_band);

G_END_DECLS
