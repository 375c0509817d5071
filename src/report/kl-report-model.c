/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Building a report model from the month rollups (rollup_month and
 * rollup_month_region); the shipments table is never read here. */

#include "config.h"

#include <math.h>
#include <glib/gi18n-lib.h>

#include "kl-customer-store.h"
#include "kl-report-model.h"
#include "kl-rollup.h"

G_DEFINE_BOXED_TYPE (KlReportModel, kl_report_model, kl_report_model_copy, kl_report_model_free)

static void
row_free (gpointer data)
{
  KlReportRow *row = data;

  g_free (row->key);
  g_free (row->label);
  g_free (row);
}

static KlReportRow *
row_copy (const KlReportRow *src)
{
  KlReportRow *row = g_new0 (KlReportRow, 1);

  row->key = g_strdup (src->key);
  row->label = g_strdup (src->label);
  row->month = src->month;
  row->figures = src->figures;
  return row;
}

static GPtrArray *
rows_copy (GPtrArray *rows)
{
  GPtrArray *copy = g_ptr_array_new_with_free_func (row_free);

  for (guint i = 0; i < rows->len; i++)
    g_ptr_array_add (copy, row_copy (g_ptr_array_index (rows, i)));
  return copy;
}

static KlReportModel *
model_new (void)
{
  KlReportModel *m = g_new0 (KlReportModel, 1);

  kl_kpi_figures_init (&m->figures);
  kl_kpi_figures_init (&m->previous);
  kl_kpi_figures_init (&m->year_ago);
  kl_kpi_targets_evaluate (&m->figures, NULL, m->targets);
  m->by_month = g_ptr_array_new_with_free_func (row_free);
  m->by_destination_region = g_ptr_array_new_with_free_func (row_free);
  m->by_origin_region = g_ptr_array_new_with_free_func (row_free);
  m->peak_months = g_array_new (FALSE, FALSE, sizeof (int));
  m->off_peak_months = g_array_new (FALSE, FALSE, sizeof (int));
  kl_report_claims_init (&m->claims);
  return m;
}

void
kl_report_model_free (KlReportModel *m)
{
  if (m == NULL)
    return;
  g_free (m->customer_id);
  g_free (m->customer_code);
  g_free (m->customer_name);
  g_free (m->report_language);
  g_clear_pointer (&m->period, kl_period_free);
  g_clear_pointer (&m->previous_period, kl_period_free);
  g_clear_pointer (&m->year_ago_period, kl_period_free);
  g_free (m->timezone);
  g_clear_pointer (&m->by_month, g_ptr_array_unref);
  g_clear_pointer (&m->by_destination_region, g_ptr_array_unref);
  g_clear_pointer (&m->by_origin_region, g_ptr_array_unref);
  g_clear_pointer (&m->peak_months, g_array_unref);
  g_clear_pointer (&m->off_peak_months, g_array_unref);
  kl_report_claims_clear (&m->claims);
  g_free (m);
}

KlReportModel *
kl_report_model_copy (const KlReportModel *src)
{
  KlReportModel *m;

  g_return_val_if_fail (src != NULL, NULL);

  m = g_memdup2 (src, sizeof *src);
  m->customer_id = g_strdup (src->customer_id);
  m->customer_code = g_strdup (src->customer_code);
  m->customer_name = g_strdup (src->customer_name);
  m->report_language = g_strdup (src->report_language);
  m->period = src->period ? kl_period_copy (src->period) : NULL;
  m->previous_period = src->previous_period ? kl_period_copy (src->previous_period) : NULL;
  m->year_ago_period = src->year_ago_period ? kl_period_copy (src->year_ago_period) : NULL;
  m->timezone = g_strdup (src->timezone);
  m->by_month = rows_copy (src->by_month);
  m->by_destination_region = rows_copy (src->by_destination_region);
  m->by_origin_region = rows_copy (src->by_origin_region);
  m->peak_months = g_array_copy (src->peak_months);
  m->off_peak_months = g_array_copy (src->off_peak_months);
  kl_report_claims_copy_into (&m->claims, &src->claims);
  return m;
}

gboolean
kl_report_model_is_portfolio (const KlReportModel *self)
{
  g_return_val_if_fail (self != NULL, TRUE);
  return self->customer_id == NULL;
}

/* "sum(shipments), sum(pieces), …" in KlRollupColumn order. */
static char *
sums_sql (void)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < KL_RC_N; i++)
    g_string_append_printf (s, "%scoalesce(sum(%s), 0)", i ? ", " : "",
                            kl_rollup_column_name (i));
  return g_string_free (s, FALSE);
}

typedef enum {
  QUERY_MONTHS_ONE,
  QUERY_MONTHS_ALL,
  QUERY_REGIONS_ONE,
  QUERY_REGIONS_ALL,
  N_QUERIES
} Query;

/* Each query's first column is the group (month or region), then the sums. */
static const char *
query_sql (Query q)
{
  static const char *sql[N_QUERIES];

  if (g_once_init_enter (&sql[N_QUERIES - 1]))
    {
      g_autofree char *sums = sums_sql ();

      sql[QUERY_MONTHS_ONE] = g_strdup_printf ("SELECT month, %s FROM rollup_month "
                                               "WHERE month BETWEEN ?1 AND ?2 AND customer_id = ?3 "
                                               "GROUP BY month", sums);
      sql[QUERY_MONTHS_ALL] = g_strdup_printf ("SELECT month, %s FROM rollup_month "
                                               "WHERE month BETWEEN ?1 AND ?2 "
                                               "GROUP BY month", sums);
      /* The planner, without statistics, would take the primary key's
       * (side, month) range, which holds every customer's rows. */
      sql[QUERY_REGIONS_ONE] = g_strdup_printf ("SELECT region, %s FROM rollup_month_region "
                                                "INDEXED BY rollup_month_region_customer "
                                                "WHERE month BETWEEN ?1 AND ?2 AND side = ?4 AND customer_id = ?3 "
                                                "GROUP BY region", sums);
      g_once_init_leave (&sql[QUERY_REGIONS_ALL],
                         g_strdup_printf ("SELECT region, %s FROM rollup_month_region "
                                          "WHERE month BETWEEN ?1 AND ?2 AND side = ?4 "
                                          "GROUP BY region", sums));
    }
  return sql[q];
}

/* Runs a grouped query; calls add for each row with its group column and
 * counts. */
typedef void (*RowFunc) (sqlite3_stmt *stmt, const KlRollupCounts *counts, gpointer user_data);

static gboolean
run_grouped (KlDatabase  *db,
             gboolean     regions,
             const char  *customer_id,
             int          from_month,
             int          to_month,
             const char  *side,
             RowFunc      func,
             gpointer     user_data,
             GError     **error)
{
  Query q = regions ? (customer_id ? QUERY_REGIONS_ONE : QUERY_REGIONS_ALL)
                    : (customer_id ? QUERY_MONTHS_ONE : QUERY_MONTHS_ALL);
  sqlite3_stmt *stmt;
  int rc;

  stmt = kl_database_prepare (db, query_sql (q), error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int (stmt, 1, from_month);
  sqlite3_bind_int (stmt, 2, to_month);
  if (customer_id != NULL)
    kl_bind_text (stmt, 3, customer_id);
  if (side != NULL)
    kl_bind_text (stmt, 4, side);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      KlRollupCounts counts;

      for (guint i = 0; i < KL_RC_N; i++)
        counts.v[i] = sqlite3_column_int64 (stmt, (int) i + 1);
      func (stmt, &counts, user_data);
    }
  if (rc != SQLITE_DONE)
    {
      kl_database_set_error (db, error, regions ? _("Reading regional figures")
                                                : _("Reading monthly figures"));
      sqlite3_reset (stmt);
      return FALSE;
    }
  sqlite3_reset (stmt);
  return TRUE;
}

typedef struct {
  int            first;
  int            n;
  KlRollupCounts counts[12];
} MonthSeries;

static void
add_month (sqlite3_stmt *stmt, const KlRollupCounts *counts, gpointer user_data)
{
  MonthSeries *series = user_data;
  int month = sqlite3_column_int (stmt, 0);

  for (int i = 0; i < series->n; i++)
    if (kl_month_add (series->first, i) == month)
      series->counts[i] = *counts;
}

/* Months first … first + n - 1 (n <= 12), zero where nothing is stored. */
static gboolean
read_months (KlDatabase   *db,
             const char   *customer_id,
             int           first,
             int           n,
             MonthSeries  *series,
             GError      **error)
{
  g_assert (n >= 1 && n <= 12);

  memset (series, 0, sizeof *series);
  series->first = first;
  series->n = n;
  return run_grouped (db, FALSE, customer_id, first, kl_month_add (first, n - 1), NULL,
                      add_month, series, error);
}

static void
add_region (sqlite3_stmt *stmt, const KlRollupCounts *counts, gpointer user_data)
{
  GPtrArray *rows = user_data;
  KlReportRow *row = g_new0 (KlReportRow, 1);
  const char *region = (const char *) sqlite3_column_text (stmt, 0);

  row->key = g_strdup (region ? region : "");
  row->label = *row->key ? g_strdup (row->key)
                         /* Translators: a shipment's region that was not given. */
                         : g_strdup (_("Not given"));
  kl_kpi_figures_compute (&row->figures, counts);
  g_ptr_array_add (rows, row);
}

/* shipments descending, then the region as stored (byte order, so the
 * order does not depend on the locale); "" (not given) sorts first of equals. */
static int
compare_regions (gconstpointer a, gconstpointer b)
{
  const KlReportRow *ra = *(KlReportRow * const *) a;
  const KlReportRow *rb = *(KlReportRow * const *) b;

  if (ra->figures.shipments != rb->figures.shipments)
    return ra->figures.shipments > rb->figures.shipments ? -1 : 1;
  return strcmp (ra->key, rb->key);
}

static gboolean
read_regions (KlDatabase      *db,
              const char      *customer_id,
              const KlPeriod  *period,
              const char      *side,
              GPtrArray       *rows,
              GError         **error)
{
  if (!run_grouped (db, TRUE, customer_id, kl_period_first_month (period),
                    kl_period_last_month (period), side, add_region, rows, error))
    return FALSE;
  g_ptr_array_sort (rows, compare_regions);
  return TRUE;
}

/* A month is a peak month when its shipments are at least 110 % of the
 * twelve-month mean and off-peak when at most 90 %. Compared in integers
 * (120 × s ≥ 11 × sum, 120 × s ≤ 9 × sum) so a month exactly on the line is
 * classified the same on every machine. When the mean is 0 (no shipments in
 * the twelve months) every month would be both, which says nothing: there
 * are then no peak and no off-peak months. */
void
kl_report_find_seasons (const int     months[12],
                        const gint64  shipments[12],
                        GArray       *peak_months,
                        GArray       *off_peak_months)
{
  gint64 sum = 0;

  g_return_if_fail (months != NULL && shipments != NULL);

  for (guint i = 0; i < 12; i++)
    sum += shipments[i];
  if (sum == 0)
    return;
  for (guint i = 0; i < 12; i++)
    {
      if (120 * shipments[i] >= 11 * sum)
        g_array_append_val (peak_months, months[i]);
      else if (120 * shipments[i] <= 9 * sum)
        g_array_append_val (off_peak_months, months[i]);
    }
}

static gboolean
read_total (KlDatabase      *db,
            const char      *customer_id,
            const KlPeriod  *period,
            KlKpiFigures    *figures,
            GError         **error)
{
  KlRollupCounts counts;

  if (!kl_rollup_read_total (db, customer_id, kl_period_first_month (period),
                             kl_period_last_month (period), &counts, error))
    return FALSE;
  kl_kpi_figures_compute (figures, &counts);
  return TRUE;
}

static gboolean
build (KlDatabase      *db,
       KlReportModel   *m,
       GError         **error)
{
  const char *id = m->customer_id;
  const KlPeriod *period = m->period;
  MonthSeries series;
  int first;

  if (!read_total (db, id, period, &m->figures, error) ||
      !read_total (db, id, m->previous_period, &m->previous, error) ||
      !read_total (db, id, m->year_ago_period, &m->year_ago, error))
    return FALSE;
  kl_kpi_deltas_compute (&m->figures, &m->previous, &m->delta_previous);
  kl_kpi_deltas_compute (&m->figures, &m->year_ago, &m->delta_year_ago);

  if (id != NULL)
    {
      g_autofree char *end = kl_period_end_date (period);
      g_autoptr(KlAgreement) agreement = NULL;
      GError *local_error = NULL;

      agreement = kl_agreement_store_in_force (db, id, end, &local_error);
      if (local_error != NULL)
        {
          g_propagate_error (error, local_error);
          return FALSE;
        }
      m->has_agreement = agreement != NULL;
      kl_kpi_targets_evaluate (&m->figures, agreement, m->targets);
    }

  if (period->kind != KL_PERIOD_MONTH)
    {
      if (!read_months (db, id, kl_period_first_month (period), kl_period_n_months (period),
                        &series, error))
        return FALSE;
      for (int i = 0; i < series.n; i++)
        {
          KlReportRow *row = g_new0 (KlReportRow, 1);

          row->month = kl_month_add (series.first, i);
          row->key = kl_month_to_label (row->month);
          row->label = g_strdup (row->key);
          kl_kpi_figures_compute (&row->figures, &series.counts[i]);
          g_ptr_array_add (m->by_month, row);
        }
    }

  if (!read_regions (db, id, period, "dest", m->by_destination_region, error) ||
      !read_regions (db, id, period, "origin", m->by_origin_region, error))
    return FALSE;

  kl_period_trailing_twelve (period, &first, NULL);
  if (!read_months (db, id, first, 12, &series, error))
    return FALSE;
  for (int i = 0; i < 12; i++)
    {
      m->trailing_months[i] = kl_month_add (first, i);
      m->trailing_shipments[i] = series.counts[i].v[KL_RC_SHIPMENTS];
    }
  if (period->kind != KL_PERIOD_MONTH)
    kl_report_find_seasons (m->trailing_months, m->trailing_shipments,
                            m->peak_months, m->off_peak_months);

  return kl_report_claims_fill (db, id, period, kl_database_get_timezone (db), &m->claims, error);
}

KlReportModel *
kl_report_build (KlDatabase      *db,
                 const char      *customer_code,
                 const KlPeriod  *period,
                 GError         **error)
{
  g_autoptr(KlReportModel) m = NULL;
  gboolean own_transaction;
  gboolean ok;

  g_return_val_if_fail (KL_IS_DATABASE (db), NULL);
  g_return_val_if_fail (period != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  m = model_new ();
  m->period = kl_period_copy (period);
  m->previous_period = kl_period_previous (period);
  m->year_ago_period = kl_period_year_ago (period);
  m->timezone = g_strdup (kl_database_get_timezone_name (db));
  m->abc_class = KL_ABC_NONE;

  /* One read transaction, so every part of the report sees the same data. */
  own_transaction = !kl_database_in_transaction (db);
  if (own_transaction && !kl_database_begin_read (db, error))
    return NULL;

  if (customer_code != NULL)
    {
      g_autoptr(KlCustomer) customer = NULL;
      g_autofree char *id = NULL;
      GError *local_error = NULL;

      id = kl_customer_store_lookup_code (db, customer_code, &local_error);
      if (id != NULL)
        customer = kl_customer_store_get (db, id, &local_error);
      if (local_error != NULL || customer == NULL)
        {
          if (local_error != NULL)
            g_propagate_error (error, local_error);
          else
            g_set_error (error, KL_REPORT_ERROR, KL_REPORT_ERROR_NO_CUSTOMER,
                         _("No customer has the code “%s”; “keyline-cli customers list” shows the codes"),
                         customer_code);
          if (own_transaction)
            kl_database_rollback (db);
          return NULL;
        }
      m->customer_id = g_strdup (customer->id);
      m->customer_code = g_strdup (customer->code);
      m->customer_name = g_strdup (customer->name);
      m->report_language = g_strdup (customer->report_language);
      m->abc_class = kl_customer_effective_abc (customer);
    }

  ok = build (db, m, error);
  if (own_transaction)
    {
      if (ok)
        ok = kl_database_commit (db, error);
      else
        kl_database_rollback (db);
    }
  return ok ? g_steal_pointer (&m) : NULL;
}
