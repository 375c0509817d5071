/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The rollup per customer, month and mode (kl-rollup-mode.h). */

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "kl-database-private.h"
#include "kl-enums.h"
#include "kl-rollup-mode.h"
#include "kl-shipment-store-private.h"

static const char * const fixed_names[KL_RM_TRANSIT_0] = {
  [KL_RM_SHIPMENTS]         = "shipments",
  [KL_RM_WEIGHT_G]          = "weight_g",
  [KL_RM_REVENUE_MINOR]     = "revenue_minor",
  [KL_RM_REVENUE_SHIPMENTS] = "revenue_shipments",
  [KL_RM_OTHER_CURRENCY]    = "other_currency",
  [KL_RM_DELIVERED]         = "delivered",
  [KL_RM_DELIVERED_ON_TIME] = "delivered_on_time",
};

static const char * const transit_names[KL_TRANSIT_BUCKETS] = {
  "transit_0", "transit_1", "transit_2", "transit_3", "transit_4", "transit_5", "transit_6",
  "transit_7", "transit_8", "transit_9", "transit_10", "transit_11", "transit_12", "transit_13",
  "transit_14", "transit_15", "transit_16", "transit_17", "transit_18", "transit_19", "transit_20",
  "transit_21", "transit_22", "transit_23", "transit_24", "transit_25", "transit_26", "transit_27",
  "transit_28", "transit_29", "transit_30", "transit_31",
};

const char *
kl_rollup_mode_column_name (KlRollupModeColumn column)
{
  g_return_val_if_fail ((int) column >= 0 && column < KL_RM_N, NULL);
  if (column < KL_RM_TRANSIT_0)
    return fixed_names[column];
  return transit_names[column - KL_RM_TRANSIT_0];
}

int
kl_transit_bucket (const KlShipment *s)
{
  gint64 start, seconds, days;

  g_return_val_if_fail (s != NULL, -1);

  if (s->delivered_at == KL_NO_TIME)
    return -1;
  start = s->picked_up_at != KL_NO_TIME ? s->picked_up_at : s->planned_pickup_at;
  seconds = s->delivered_at - start;
  if (seconds <= 0)
    return 0;
  days = (seconds + 86399) / 86400;
  return days > KL_TRANSIT_MAX_DAYS ? KL_TRANSIT_BUCKETS - 1 : (int) days;
}

gboolean
_kl_shipment_rollup_mode_counts (const KlShipment   *s,
                                 int                 delivery_grace_min,
                                 KlRollupModeCounts *out)
{
  memset (out, 0, sizeof *out);
  if (s->status == KL_SHIPMENT_STATUS_CANCELLED)
    return FALSE;

  out->v[KL_RM_SHIPMENTS] = 1;
  out->v[KL_RM_WEIGHT_G] = s->weight_g > 0 ? s->weight_g : 0;
  if (s->revenue_minor >= 0)
    {
      if (s->currency == NULL)
        {
          out->v[KL_RM_REVENUE_MINOR] = s->revenue_minor;
          out->v[KL_RM_REVENUE_SHIPMENTS] = 1;
        }
      else
        out->v[KL_RM_OTHER_CURRENCY] = 1;
    }
  if (s->delivered_at != KL_NO_TIME)
    {
      out->v[KL_RM_DELIVERED] = 1;
      out->v[KL_RM_DELIVERED_ON_TIME] =
        s->delivered_at <= s->planned_delivery_at + (gint64) delivery_grace_min * 60;
      out->v[KL_RM_TRANSIT_0 + kl_transit_bucket (s)] = 1;
    }
  return TRUE;
}

gboolean
kl_shipment_rollup_mode (const KlShipment   *shipment,
                         int                 delivery_grace_min,
                         KlRollupModeCounts *out)
{
  g_return_val_if_fail (shipment != NULL && out != NULL, FALSE);
  return _kl_shipment_rollup_mode_counts (shipment, delivery_grace_min, out);
}

gboolean
kl_rollup_mode_counts_add (KlRollupModeCounts       *into,
                           const KlRollupModeCounts *other)
{
  gboolean ok = TRUE;

  g_return_val_if_fail (into != NULL && other != NULL, FALSE);

  for (guint i = 0; i < KL_RM_N; i++)
    {
      gint64 sum;

      if (__builtin_add_overflow (into->v[i], other->v[i], &sum))
        {
          sum = other->v[i] > 0 ? G_MAXINT64 : G_MININT64;
          ok = FALSE;
        }
      into->v[i] = sum;
    }
  return ok;
}

gint64
kl_rollup_mode_within_days (const KlRollupModeCounts *counts,
                            int                       days)
{
  gint64 n = 0;

  g_return_val_if_fail (counts != NULL, 0);

  if (days < 0)
    return 0;
  if (days > KL_TRANSIT_MAX_DAYS)
    days = KL_TRANSIT_BUCKETS - 1;
  for (int i = 0; i <= days; i++)
    n += counts->v[KL_RM_TRANSIT_0 + i];
  return n;
}

static void
row_clear (gpointer data)
{
  KlRollupModeRow *row = data;

  g_clear_pointer (&row->customer_id, g_free);
}

static const char *
query_sql (gboolean one_customer)
{
  static gsize init;
  static char *sql_one, *sql_all;

  if (g_once_init_enter (&init))
    {
      GString *sums = g_string_new (NULL);

      for (guint i = 0; i < KL_RM_N; i++)
        g_string_append_printf (sums, ", sum(%s)", kl_rollup_mode_column_name (i));
      sql_one = g_strdup_printf ("SELECT customer_id, mode%s FROM rollup_month_mode "
                                 "WHERE customer_id = ?1 AND month BETWEEN ?2 AND ?3 "
                                 "GROUP BY customer_id, mode ORDER BY customer_id, mode",
                                 sums->str);
      sql_all = g_strdup_printf ("SELECT customer_id, mode%s FROM rollup_month_mode "
                                 "WHERE month BETWEEN ?2 AND ?3 "
                                 "GROUP BY customer_id, mode ORDER BY customer_id, mode",
                                 sums->str);
      g_string_free (sums, TRUE);
      g_once_init_leave (&init, 1);
    }
  return one_customer ? sql_one : sql_all;
}

static int
compare_rows (gconstpointer a,
              gconstpointer b)
{
  const KlRollupModeRow *x = a, *y = b;
  int c = strcmp (x->customer_id, y->customer_id);

  if (c != 0)
    return c;
  return (int) x->mode - (int) y->mode;
}

GArray *
kl_rollup_mode_query (KlDatabase  *db,
                      const char  *customer_id,
                      int          first_month,
                      int          last_month,
                      GError     **error)
{
  g_autoptr(GArray) rows = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (KL_IS_DATABASE (db), NULL);

  rows = g_array_new (FALSE, TRUE, sizeof (KlRollupModeRow));
  g_array_set_clear_func (rows, row_clear);

  if (!kl_database_begin_read (db, error))
    return NULL;
  stmt = _kl_database_prepare_static (db, query_sql (customer_id != NULL), error);
  if (stmt == NULL)
    {
      kl_database_rollback (db);
      return NULL;
    }
  if (customer_id != NULL)
    kl_bind_text (stmt, 1, customer_id);
  sqlite3_bind_int (stmt, 2, first_month);
  sqlite3_bind_int (stmt, 3, last_month);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      KlRollupModeRow row = { 0 };
      const char *mode = (const char *) sqlite3_column_text (stmt, 1);

      row.customer_id = kl_column_dup_text (stmt, 0);
      if (mode == NULL || *mode == '\0' || !kl_shipment_mode_from_string (mode, &row.mode))
        row.mode = KL_MODE_NONE;
      for (guint i = 0; i < KL_RM_N; i++)
        row.counts.v[i] = sqlite3_column_int64 (stmt, 2 + i);
      g_array_append_val (rows, row);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      kl_database_set_error (db, error, _("Reading the figures per transport mode"));
      kl_database_rollback (db);
      return NULL;
    }
  if (!kl_database_commit (db, error))
    return NULL;
  g_array_sort (rows, compare_rows);
  return g_steal_pointer (&rows);
}
