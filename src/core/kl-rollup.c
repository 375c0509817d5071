/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What a shipment contributes to its month, per contracts/kpi.md, and
 * reading the month rollups back. */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "kl-database.h"
#include "kl-records.h"
#include "kl-rollup.h"

static const char * const column_names[KL_RC_N] = {
  [KL_RC_SHIPMENTS]          = "shipments",
  [KL_RC_PIECES]             = "pieces",
  [KL_RC_WEIGHT_G]           = "weight_g",
  [KL_RC_VOLUME_CM3]         = "volume_cm3",
  [KL_RC_DISPATCHED]         = "dispatched",
  [KL_RC_DISPATCHED_ON_TIME] = "dispatched_on_time",
  [KL_RC_DELIVERED]          = "delivered",
  [KL_RC_DELIVERED_ON_TIME]  = "delivered_on_time",
  [KL_RC_DELIVERED_PIECES]   = "delivered_pieces",
  [KL_RC_DAMAGED_PIECES]     = "damaged_pieces",
  [KL_RC_SHORT_PIECES]       = "short_pieces",
  [KL_RC_DAMAGE_INCIDENTS]   = "damage_incidents",
  [KL_RC_SHORTAGE_INCIDENTS] = "shortage_incidents",
  [KL_RC_INCIDENTS]          = "incidents",
  [KL_RC_DOCS_KNOWN]         = "docs_known",
  [KL_RC_DOCS_OK]            = "docs_ok",
  [KL_RC_ORDER_KNOWN]        = "order_known",
  [KL_RC_ORDER_OK]           = "order_ok",
  [KL_RC_OTIF]               = "otif",
};

const char *
kl_rollup_column_name (KlRollupColumn column)
{
  g_return_val_if_fail ((int) column >= 0 && column < KL_RC_N, NULL);
  return column_names[column];
}

gboolean
kl_shipment_rollup (const KlShipment *s,
                    GTimeZone        *tz,
                    int               dispatch_grace_min,
                    int               delivery_grace_min,
                    int              *out_month,
                    KlRollupCounts   *out)
{
  g_autoptr(GDateTime) utc = NULL;
  g_autoptr(GDateTime) local = NULL;
  gboolean delivered, arrived_on_time = FALSE;

  g_return_val_if_fail (s != NULL, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  memset (out, 0, sizeof *out);
  if (out_month != NULL)
    *out_month = 0;
  if (s->status == KL_SHIPMENT_STATUS_CANCELLED)
    return FALSE;

  utc = g_date_time_new_from_unix_utc (s->planned_pickup_at);
  g_return_val_if_fail (utc != NULL, FALSE);
  local = g_date_time_to_timezone (utc, tz);
  if (out_month != NULL)
    *out_month = kl_month_make (g_date_time_get_year (local), g_date_time_get_month (local));

  out->v[KL_RC_SHIPMENTS] = 1;
  out->v[KL_RC_PIECES] = s->pieces;
  out->v[KL_RC_WEIGHT_G] = s->weight_g > 0 ? s->weight_g : 0;
  out->v[KL_RC_VOLUME_CM3] = s->volume_cm3 > 0 ? s->volume_cm3 : 0;

  if (s->picked_up_at != KL_NO_TIME)
    {
      out->v[KL_RC_DISPATCHED] = 1;
      if (s->picked_up_at <= s->planned_pickup_at + (gint64) dispatch_grace_min * 60)
        out->v[KL_RC_DISPATCHED_ON_TIME] = 1;
    }

  delivered = s->delivered_at != KL_NO_TIME;
  if (delivered)
    {
      out->v[KL_RC_DELIVERED] = 1;
      arrived_on_time = s->delivered_at <= s->planned_delivery_at + (gint64) delivery_grace_min * 60;
      out->v[KL_RC_DELIVERED_ON_TIME] = arrived_on_time;
      out->v[KL_RC_DELIVERED_PIECES] = s->pieces;
      out->v[KL_RC_DAMAGED_PIECES] = s->damaged_pieces;
      out->v[KL_RC_SHORT_PIECES] = s->short_pieces;
      out->v[KL_RC_DAMAGE_INCIDENTS] = s->damaged_pieces > 0;
      out->v[KL_RC_SHORTAGE_INCIDENTS] = s->short_pieces > 0;
      out->v[KL_RC_OTIF] = arrived_on_time &&
                           s->damaged_pieces == 0 &&
                           s->short_pieces == 0 &&
                           s->order_accurate != KL_TRI_FALSE;
    }

  out->v[KL_RC_INCIDENTS] = s->incident ? 1 : 0;
  out->v[KL_RC_DOCS_KNOWN] = s->documents_ok != KL_TRI_UNKNOWN;
  out->v[KL_RC_DOCS_OK] = s->documents_ok == KL_TRI_TRUE;
  out->v[KL_RC_ORDER_KNOWN] = s->order_accurate != KL_TRI_UNKNOWN;
  out->v[KL_RC_ORDER_OK] = s->order_accurate == KL_TRI_TRUE;
  return TRUE;
}

gboolean
kl_rollup_counts_add (KlRollupCounts       *into,
                      const KlRollupCounts *other)
{
  gboolean ok = TRUE;

  g_return_val_if_fail (into != NULL && other != NULL, FALSE);

  for (guint i = 0; i < KL_RC_N; i++)
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

gboolean
kl_rollup_read_total (KlDatabase     *db,
                      const char     *customer_id,
                      int             from_month,
                      int             to_month,
                      KlRollupCounts *out,
                      GError        **error)
{
#define SUMS "SELECT coalesce(sum(shipments), 0), coalesce(sum(pieces), 0), coalesce(sum(weight_g), 0), coalesce(sum(volume_cm3), 0), coalesce(sum(dispatched), 0), coalesce(sum(dispatched_on_time), 0), coalesce(sum(delivered), 0), coalesce(sum(delivered_on_time), 0), coalesce(sum(delivered_pieces), 0), coalesce(sum(damaged_pieces), 0), coalesce(sum(short_pieces), 0), coalesce(sum(damage_incidents), 0), coalesce(sum(shortage_incidents), 0), coalesce(sum(incidents), 0), coalesce(sum(docs_known), 0), coalesce(sum(docs_ok), 0), coalesce(sum(order_known), 0), coalesce(sum(order_ok), 0), coalesce(sum(otif), 0) FROM rollup_month WHERE "
  static const char sql_one[] = SUMS "customer_id = ? AND month BETWEEN ? AND ?";
  static const char sql_all[] = SUMS "month BETWEEN ? AND ?";
#undef SUMS
  sqlite3_stmt *stmt;
  int rc;

  memset (out, 0, sizeof *out);
  stmt = kl_database_prepare (db, customer_id ? sql_one : sql_all, error);
  if (stmt == NULL)
    return FALSE;
  if (customer_id != NULL)
    {
      kl_bind_text (stmt, 1, customer_id);
      sqlite3_bind_int (stmt, 2, from_month);
      sqlite3_bind_int (stmt, 3, to_month);
    }
  else
    {
      sqlite3_bind_int (stmt, 1, from_month);
      sqlite3_bind_int (stmt, 2, to_month);
    }
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      kl_database_set_error (db, error, _("Reading monthly figures"));
      sqlite3_reset (stmt);
      return FALSE;
    }
  for (guint i = 0; i < KL_RC_N; i++)
    out->v[i] = sqlite3_column_int64 (stmt, i);
  sqlite3_reset (stmt);
  return TRUE;
}
