/* SPDX-License-Identifier: GPL-3.0-or-later */
/* "Who is slipping?": every account's month against its service agreement,
 * with SLA misses, volume trend, ABC class and claims, computed in bulk from
 * the month rollups and agreements (a few queries for the whole portfolio,
 * never one report per customer). */
#pragma once

#include <glib-object.h>
#include "kl-database.h"
#include "kl-enums.h"
#include "kl-kpi.h"

G_BEGIN_DECLS

/* The months of the sparkline: the twelve ending with the ranked month. */
#define KL_PORTFOLIO_N_MONTHS 12

typedef struct _KlPortfolioRow KlPortfolioRow;

struct _KlPortfolioRow {
  char             *customer_id;
  char             *code;
  char             *name;
  char             *region;              /* NULL when not given */
  KlAbcClass        abc_class;           /* effective: the override, else the computed class */
  KlCustomerStatus  status;
  int               month;               /* yyyymm, the ranked month */

  /* The month's figures and targets exactly as kl_report_build gives them
   * for that customer and month. */
  KlKpiFigures      figures;
  gboolean          has_agreement;       /* an agreement is in force on the month's last day */
  KlKpiTarget       targets[KL_N_RATES];
  guint             sla_targets;         /* rates with a target and a measured value */
  guint             sla_misses;          /* of those, rates that missed (met = FALSE) */

  /* Shipments of the twelve months ending with month, oldest first. */
  int               months[KL_PORTFOLIO_N_MONTHS];
  gint64            monthly_shipments[KL_PORTFOLIO_N_MONTHS];
  /* Volume trend: shipments of the last three months (month included)
   * against the three before, as a fraction (-0.25 = down a quarter);
   * NAN when the three before had none. */
  gint64            recent_shipments;
  gint64            earlier_shipments;
  double            volume_trend;

  /* Claims, returns and complaints as they stand now (not at the month's
   * end): filed and not closed, withdrawn, rejected or cancelled; and of
   * those, past a deadline. */
  guint             open_claims;
  guint             overdue_claims;

  /* 1 for the account that most needs attention (kl_portfolio_rank order). */
  guint             rank;

  /* g_utf8_collate_key of the name, for sorting by customer. */
  char             *name_key;
};

/* How a rate stands against its target, as the printed report's bullet
 * chart bands it: GOOD when met; WARNING when missed by at most
 * max(1 - target, 1 pp) for a higher-is-better rate, or by at most the
 * target itself (up to twice the allowance) for a lower-is-better one; BAD
 * beyond; NONE without a target or without a measured value. */
typedef enum {
  KL_PORTFOLIO_LEVEL_NONE,
  KL_PORTFOLIO_LEVEL_GOOD,
  KL_PORTFOLIO_LEVEL_WARNING,
  KL_PORTFOLIO_LEVEL_BAD,
} KlPortfolioLevel;

/* What rows can be ordered by (kl_portfolio_row_compare). */
typedef enum {
  KL_PORTFOLIO_SORT_RANK,         /* rank ascending */
  KL_PORTFOLIO_SORT_CUSTOMER,     /* name (collated), then code */
  KL_PORTFOLIO_SORT_REGION,       /* region (collated), not given last; then name */
  KL_PORTFOLIO_SORT_ABC,          /* A, B, C, none */
  KL_PORTFOLIO_SORT_SHIPMENTS,    /* the month's shipments */
  KL_PORTFOLIO_SORT_TREND,        /* volume trend; unknown last */
  KL_PORTFOLIO_SORT_SLA_MISSES,   /* misses, then rates measured */
  KL_PORTFOLIO_SORT_CLAIMS,       /* overdue, then open claims */
  KL_PORTFOLIO_SORT_RATE,         /* the actual of one rate; unknown last */
} KlPortfolioSortKey;

#define KL_TYPE_PORTFOLIO_ROW (kl_portfolio_row_get_type ())
GType            kl_portfolio_row_get_type (void) G_GNUC_CONST;
KlPortfolioRow  *kl_portfolio_row_copy     (const KlPortfolioRow *self);
void             kl_portfolio_row_free     (KlPortfolioRow *self);

/* The last month that has ended in the workspace time zone (yyyymm). */
int              kl_portfolio_latest_complete_month (KlDatabase *db);

/* Every customer that is not deleted, for month (yyyymm), as a GPtrArray of
 * KlPortfolioRow in rank order: most SLA misses first, then most overdue
 * claims, most open claims, steepest volume fall (unknown trends after the
 * known ones), most shipments, and code. Runs on the caller's thread in one
 * read transaction. */
GPtrArray       *kl_portfolio_rank         (KlDatabase  *db,
                                            int          month,
                                            GError     **error);

KlPortfolioLevel kl_portfolio_level        (KlRate             rate,
                                            const KlKpiTarget *target);

/* Ascending order of key (rate is used by KL_PORTFOLIO_SORT_RATE only);
 * ties fall back to rank, so the order is total. Values that are not known
 * sort after every known one. */
int              kl_portfolio_row_compare  (const KlPortfolioRow *a,
                                            const KlPortfolioRow *b,
                                            KlPortfolioSortKey    key,
                                            KlRate                rate);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KlPortfolioRow, kl_portfolio_row_free)

G_END_DECLS
