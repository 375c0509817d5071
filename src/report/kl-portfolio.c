/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The portfolio ranking: one pass over customers, the rollups of twelve
 * months and the agreements in force, so ten thousand accounts cost four
 * queries, not ten thousand reports. The figures are computed by the same
 * kl_kpi_* functions as kl_report_build, from the same rollup rows. */

#include "config.h"

#include <math.h>
#include <glib/gi18n-lib.h>

#include "kl-claim-store.h"
#include "kl-period.h"
#include "kl-portfolio.h"
#include "kl-rollup.h"
#include "kl-rollup-query.h"

G_DEFINE_BOXED_TYPE (KlPortfolioRow, kl_portfolio_row, kl_portfolio_row_copy, kl_portfolio_row_free)

/* The trend compares two windows of this many months. */
#define TREND_MONTHS 3

KlPortfolioRow *
kl_portfolio_row_copy (const KlPortfolioRow *self)
{
  KlPortfolioRow *row;

  g_return_val_if_fail (self != NULL, NULL);

  row = g_memdup2 (self, sizeof *self);
  row->customer_id = g_strdup (self->customer_id);
  row->code = g_strdup (self->code);
  row->name = g_strdup (self->name);
  row->region = g_strdup (self->region);
  row->name_key = g_strdup (self->name_key);
  return row;
}

void
kl_portfolio_row_free (KlPortfolioRow *self)
{
  if (self == NULL)
    return;
  g_free (self->customer_id);
  g_free (self->code);
  g_free (self->name);
  g_free (self->region);
  g_free (self->name_key);
  g_free (self);
}

int
kl_portfolio_latest_complete_month (KlDatabase *db)
{
  g_autoptr(GDateTime) now = NULL;

  g_return_val_if_fail (KL_IS_DATABASE (db), 0);

  now = g_date_time_new_now (kl_database_get_timezone (db));
  return kl_month_add (kl_month_make (g_date_time_get_year (now), g_date_time_get_month (now)), -1);
}

/* Reading */

typedef struct {
  GPtrArray  *rows;       /* KlPortfolioRow */
  GHashTable *by_id;      /* customer id (the row's string) → KlPortfolioRow */
  int         first;      /* first month of the twelve */
  int         month;
} Ranking;

static void
add_customer (const KlRollupCustomer *c,
              gpointer                user_data)
{
  Ranking *r = user_data;
  KlPortfolioRow *row = g_new0 (KlPortfolioRow, 1);

  row->customer_id = g_strdup (c->id);
  row->code = g_strdup (c->code);
  row->name = g_strdup (c->name);
  row->region = g_strdup (c->region);
  row->status = c->status;
  row->abc_class = c->abc_class;
  row->month = r->month;
  kl_kpi_figures_init (&row->figures);
  row->name_key = g_utf8_collate_key (row->name, -1);
  row->volume_trend = NAN;
  for (int i = 0; i < KL_PORTFOLIO_N_MONTHS; i++)
    row->months[i] = kl_month_add (r->first, i);

  g_ptr_array_add (r->rows, row);
  g_hash_table_insert (r->by_id, row->customer_id, row);
}

/* The month's counts and the twelve months' shipments in one query. The
 * primary key makes a (customer, month) row unique, so a row's values are
 * what kl_rollup_read_total sums for one customer and one month. */
static void
add_customer_month (const char           *customer_id,
                    int                   month,
                    const KlRollupCounts *counts,
                    gpointer              user_data)
{
  Ranking *r = user_data;
  KlPortfolioRow *row = g_hash_table_lookup (r->by_id, customer_id);
  int index;

  if (row == NULL)
    return;
  index = (month / 100 - r->first / 100) * 12 + (month % 100 - r->first % 100);
  if (index < 0 || index >= KL_PORTFOLIO_N_MONTHS)
    return;
  row->monthly_shipments[index] = counts->v[KL_RC_SHIPMENTS];
  if (month == r->month)
    kl_kpi_figures_compute (&row->figures, counts);
}

/* The agreement in force on the month's last day for every customer. */
static void
add_agreement (const KlAgreement *agreement,
               gpointer           user_data)
{
  Ranking *r = user_data;
  KlPortfolioRow *row = g_hash_table_lookup (r->by_id, agreement->customer_id);

  if (row == NULL)
    return;
  row->has_agreement = TRUE;
  kl_kpi_targets_evaluate (&row->figures, agreement, row->targets);
}

static gboolean
claim_is_open (const KlClaim *c)
{
  if (c->filed_at == KL_NO_TIME)
    return FALSE;
  switch (c->status)
    {
    case KL_CLAIM_STATUS_DRAFT:
    case KL_CLAIM_STATUS_CLOSED:
    case KL_CLAIM_STATUS_WITHDRAWN:
    case KL_CLAIM_STATUS_REJECTED:
    case KL_CLAIM_STATUS_CANCELLED:
      return FALSE;
    default:
      return TRUE;
    }
}

static gboolean
read_claims (KlDatabase  *db,
             Ranking     *r,
             GError     **error)
{
  g_autoptr(GPtrArray) claims = NULL;

  claims = kl_claim_store_list (db, NULL, g_get_real_time () / G_USEC_PER_SEC, error);
  if (claims == NULL)
    return FALSE;
  for (guint i = 0; i < claims->len; i++)
    {
      const KlClaim *c = g_ptr_array_index (claims, i);
      KlPortfolioRow *row;

      if (!claim_is_open (c) || (row = g_hash_table_lookup (r->by_id, c->customer_id)) == NULL)
        continue;
      row->open_claims++;
      if (c->overdue)
        row->overdue_claims++;
    }
  return TRUE;
}

static void
finish_row (KlPortfolioRow *row)
{
  const int n = KL_PORTFOLIO_N_MONTHS;

  /* Rows without an agreement never reached kl_kpi_targets_evaluate. */
  if (!row->has_agreement)
    kl_kpi_targets_evaluate (&row->figures, NULL, row->targets);
  for (guint i = 0; i < KL_N_RATES; i++)
    if (row->targets[i].met != KL_TRI_UNKNOWN)
      {
        row->sla_targets++;
        if (row->targets[i].met == KL_TRI_FALSE)
          row->sla_misses++;
      }

  for (int i = 0; i < TREND_MONTHS; i++)
    {
      row->recent_shipments += row->monthly_shipments[n - 1 - i];
      row->earlier_shipments += row->monthly_shipments[n - 1 - TREND_MONTHS - i];
    }
  row->volume_trend = row->earlier_shipments > 0
                      ? (double) (row->recent_shipments - row->earlier_shipments) / (double) row->earlier_shipments
                      : NAN;
}

/* Ordering */

/* Unknown (NAN) after every number. */
static int
compare_double (double a, double b)
{
  if (isnan (a) || isnan (b))
    return isnan (a) - isnan (b);
  return (a > b) - (a < b);
}

static int
compare_int64 (gint64 a, gint64 b)
{
  return (a > b) - (a < b);
}

/* NULL (not given) after every text. */
static int
compare_text (const char *a, const char *b)
{
  if (a == NULL || b == NULL)
    return (a == NULL) - (b == NULL);
  return g_utf8_collate (a, b);
}

static int
compare_rank (const KlPortfolioRow *a,
              const KlPortfolioRow *b)
{
  int cmp;

  if ((cmp = compare_int64 (b->sla_misses, a->sla_misses)) != 0 ||
      (cmp = compare_int64 (b->overdue_claims, a->overdue_claims)) != 0 ||
      (cmp = compare_int64 (b->open_claims, a->open_claims)) != 0 ||
      (cmp = compare_double (a->volume_trend, b->volume_trend)) != 0 ||
      (cmp = compare_int64 (b->figures.shipments, a->figures.shipments)) != 0)
    return cmp;
  return strcmp (a->code, b->code);
}

static int
compare_rank_func (gconstpointer a,
                   gconstpointer b)
{
  return compare_rank (*(KlPortfolioRow * const *) a, *(KlPortfolioRow * const *) b);
}

static int
abc_order (KlAbcClass abc)
{
  /* A, B, C, then none. */
  return abc == KL_ABC_NONE ? KL_N_ABC : (int) abc;
}

int
kl_portfolio_row_compare (const KlPortfolioRow *a,
                          const KlPortfolioRow *b,
                          KlPortfolioSortKey    key,
                          KlRate                rate)
{
  int cmp = 0;

  g_return_val_if_fail (a != NULL && b != NULL, 0);

  switch (key)
    {
    case KL_PORTFOLIO_SORT_RANK:
      break;
    case KL_PORTFOLIO_SORT_CUSTOMER:
      cmp = strcmp (a->name_key, b->name_key);
      if (cmp == 0)
        cmp = strcmp (a->code, b->code);
      break;
    case KL_PORTFOLIO_SORT_REGION:
      cmp = compare_text (a->region, b->region);
      if (cmp == 0)
        cmp = strcmp (a->name_key, b->name_key);
      break;
    case KL_PORTFOLIO_SORT_ABC:
      cmp = abc_order (a->abc_class) - abc_order (b->abc_class);
      break;
    case KL_PORTFOLIO_SORT_SHIPMENTS:
      cmp = compare_int64 (a->figures.shipments, b->figures.shipments);
      break;
    case KL_PORTFOLIO_SORT_TREND:
      cmp = compare_double (a->volume_trend, b->volume_trend);
      break;
    case KL_PORTFOLIO_SORT_SLA_MISSES:
      cmp = compare_int64 (a->sla_misses, b->sla_misses);
      if (cmp == 0)
        cmp = compare_int64 (a->sla_targets, b->sla_targets);
      break;
    case KL_PORTFOLIO_SORT_CLAIMS:
      cmp = compare_int64 (a->overdue_claims, b->overdue_claims);
      if (cmp == 0)
        cmp = compare_int64 (a->open_claims, b->open_claims);
      break;
    case KL_PORTFOLIO_SORT_RATE:
      g_return_val_if_fail ((int) rate >= 0 && rate < KL_N_RATES, 0);
      cmp = compare_double (a->figures.rates[rate], b->figures.rates[rate]);
      break;
    default:
      g_return_val_if_reached (0);
    }
  if (cmp != 0)
    return cmp < 0 ? -1 : 1;
  return compare_int64 (a->rank, b->rank);
}

KlPortfolioLevel
kl_portfolio_level (KlRate             rate,
                    const KlKpiTarget *t)
{
  g_return_val_if_fail (t != NULL, KL_PORTFOLIO_LEVEL_NONE);
  g_return_val_if_fail ((int) rate >= 0 && rate < KL_N_RATES, KL_PORTFOLIO_LEVEL_NONE);

  if (!t->has_target || t->met == KL_TRI_UNKNOWN)
    return KL_PORTFOLIO_LEVEL_NONE;
  if (t->met == KL_TRI_TRUE)
    return KL_PORTFOLIO_LEVEL_GOOD;
  if (kl_rate_higher_is_better (rate))
    return t->actual >= t->target - MAX (1.0 - t->target, 0.01)
           ? KL_PORTFOLIO_LEVEL_WARNING : KL_PORTFOLIO_LEVEL_BAD;
  return t->actual <= t->target * 2 ? KL_PORTFOLIO_LEVEL_WARNING : KL_PORTFOLIO_LEVEL_BAD;
}

GPtrArray *
kl_portfolio_rank (KlDatabase  *db,
                   int          month,
                   GError     **error)
{
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GHashTable) by_id = NULL;
  g_autoptr(KlPeriod) period = NULL;
  g_autofree char *end = NULL;
  gboolean own_transaction, ok;
  Ranking r;

  g_return_val_if_fail (KL_IS_DATABASE (db), NULL);
  g_return_val_if_fail (month / 100 >= KL_PERIOD_MIN_YEAR && month / 100 <= KL_PERIOD_MAX_YEAR, NULL);
  g_return_val_if_fail (month % 100 >= 1 && month % 100 <= 12, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  rows = g_ptr_array_new_with_free_func ((GDestroyNotify) kl_portfolio_row_free);
  by_id = g_hash_table_new (g_str_hash, g_str_equal);
  period = kl_period_new_for_month (month);
  end = kl_period_end_date (period);
  r.rows = rows;
  r.by_id = by_id;
  r.month = month;
  r.first = kl_month_add (month, -(KL_PORTFOLIO_N_MONTHS - 1));

  /* One read transaction, so customers, rollups and agreements agree. */
  own_transaction = !kl_database_in_transaction (db);
  if (own_transaction && !kl_database_begin_read (db, error))
    return NULL;
  ok = kl_rollup_query_customers (db, add_customer, &r, error) &&
       kl_rollup_query_customer_months (db, r.first, r.month, add_customer_month, &r, error) &&
       kl_rollup_query_agreements_in_force (db, end, add_agreement, &r, error) &&
       read_claims (db, &r, error);
  if (own_transaction)
    {
      if (ok)
        ok = kl_database_commit (db, error);
      else
        kl_database_rollback (db);
    }
  if (!ok)
    return NULL;

  for (guint i = 0; i < rows->len; i++)
    finish_row (g_ptr_array_index (rows, i));
  g_ptr_array_sort (rows, compare_rank_func);
  for (guint i = 0; i < rows->len; i++)
    ((KlPortfolioRow *) g_ptr_array_index (rows, i))->rank = i + 1;
  return g_steal_pointer (&rows);
}
