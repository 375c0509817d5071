/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Building a report model from the month rollups (rollup_month and
 * rollup_month_region); the shipments table is never read here. */

#include "config.h"

#include <math.h>
#include <string.h>
#include <glib/gi18n-lib.h>

#include "kl-claim-store.h"
#include "kl-customer-store.h"
#include "kl-report-note-store.h"
#include "kl-report-model.h"
#include "kl-rollup.h"
#include "kl-rollup-query.h"

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
  m->comments = g_strdup ("");
  m->goals = g_strdup ("");
  m->client_notes = g_ptr_array_new_with_free_func (g_free);
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
  g_free (m->comments);
  g_free (m->goals);
  g_clear_pointer (&m->client_notes, g_ptr_array_unref);
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
  m->comments = g_strdup (src->comments);
  m->goals = g_strdup (src->goals);
  m->client_notes = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; src->client_notes != NULL && i < src->client_notes->len; i++)
    g_ptr_array_add (m->client_notes, g_strdup (g_ptr_array_index (src->client_notes, i)));
  return m;
}

gboolean
kl_report_model_is_portfolio (const KlReportModel *self)
{
  g_return_val_if_fail (self != NULL, TRUE);
  return self->customer_id == NULL;
}

typedef struct {
  int            first;
  int            n;
  KlRollupCounts counts[12];
} MonthSeries;

static void
add_month (int                   month,
           const KlRollupCounts *counts,
           gpointer              user_data)
{
  MonthSeries *series = user_data;

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
  return kl_rollup_query_months (db, customer_id, first, kl_month_add (first, n - 1),
                                 add_month, series, error);
}

static void
add_region (const char           *region,
            const KlRollupCounts *counts,
            gpointer              user_data)
{
  GPtrArray *rows = user_data;
  KlReportRow *row = g_new0 (KlReportRow, 1);

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
              KlRegionSide     side,
              GPtrArray       *rows,
              GError         **error)
{
  if (!kl_rollup_query_regions (db, customer_id, kl_period_first_month (period),
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

  if (!read_regions (db, id, period, KL_REGION_SIDE_DEST, m->by_destination_region, error) ||
      !read_regions (db, id, period, KL_REGION_SIDE_ORIGIN, m->by_origin_region, error))
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

  return kl_report_claims_fill (db, id, period, kl_database_get_timezone (db), &m->claims, error) &&
         kl_report_model_load_notes (m, db, error);
}

gboolean
kl_report_model_load_notes (KlReportModel  *self,
                            KlDatabase     *db,
                            GError        **error)
{
  g_autofree char *label = NULL;
  g_autofree char *comments = NULL;
  g_autofree char *goals = NULL;
  g_autoptr(GPtrArray) notes = NULL;
  g_autoptr(GTimeZone) tz = NULL;
  gint64 start, end;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (KL_IS_DATABASE (db), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->customer_id == NULL)
    return TRUE;

  label = kl_period_to_label (self->period);
  if (!kl_report_note_get (db, self->customer_id, label, &comments, &goals, error))
    return FALSE;
  /* Only notes meant for the client; internal ones stay in the window. */
  tz = g_time_zone_new_identifier (self->timezone);
  if (tz == NULL)
    tz = g_time_zone_new_utc ();
  kl_period_get_bounds (self->period, tz, &start, &end);
  notes = kl_claim_store_client_notes_between (db, self->customer_id, start, end, error);
  if (notes == NULL)
    return FALSE;

  g_free (self->comments);
  self->comments = comments != NULL ? g_steal_pointer (&comments) : g_strdup ("");
  g_free (self->goals);
  self->goals = goals != NULL ? g_steal_pointer (&goals) : g_strdup ("");
  g_ptr_array_set_size (self->client_notes, 0);
  for (guint i = 0; i < notes->len; i++)
    {
      const char *note = g_ptr_array_index (notes, i);

      if (note != NULL && *note != '\0')
        g_ptr_array_add (self->client_notes, g_strdup (note));
    }
  return TRUE;
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
