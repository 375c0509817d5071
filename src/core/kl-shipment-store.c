/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Shipments keyed by waybill, and the month rollups kept in step with them
 * in the same transaction. */

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "kl-database-private.h"
#include "kl-shipment-store.h"
#include "kl-shipment-store-private.h"
#include "kl-agreement-store-private.h"


KlShipment *
_kl_shipment_store_from_row (sqlite3_stmt *stmt)
{
  KlShipment *s = kl_shipment_new ();
  g_autofree char *status = NULL;
  g_autofree char *mode = NULL;

  s->id = kl_column_dup_text (stmt, 0);
  s->waybill = kl_column_dup_text (stmt, 1);
  s->customer_id = kl_column_dup_text (stmt, 2);
  status = kl_column_dup_text (stmt, 3);
  kl_shipment_status_from_string (status, &s->status);
  mode = kl_column_dup_text (stmt, 4);
  if (mode == NULL || !kl_shipment_mode_from_string (mode, &s->mode))
    s->mode = KL_MODE_NONE;
  s->origin_city = kl_column_dup_text (stmt, 5);
  s->origin_region = kl_column_dup_text (stmt, 6);
  s->dest_city = kl_column_dup_text (stmt, 7);
  s->dest_region = kl_column_dup_text (stmt, 8);
  s->pieces = sqlite3_column_int64 (stmt, 9);
  s->weight_g = sqlite3_column_type (stmt, 10) == SQLITE_NULL ? -1 : sqlite3_column_int64 (stmt, 10);
  s->volume_cm3 = sqlite3_column_type (stmt, 11) == SQLITE_NULL ? -1 : sqlite3_column_int64 (stmt, 11);
  s->planned_pickup_at = kl_column_time (stmt, 12);
  s->picked_up_at = kl_column_time (stmt, 13);
  s->planned_delivery_at = kl_column_time (stmt, 14);
  s->delivered_at = kl_column_time (stmt, 15);
  s->documents_ok = kl_column_tri (stmt, 16);
  s->order_accurate = kl_column_tri (stmt, 17);
  s->damaged_pieces = sqlite3_column_int64 (stmt, 18);
  s->short_pieces = sqlite3_column_int64 (stmt, 19);
  s->incident = sqlite3_column_int (stmt, 20) != 0;
  s->revision = sqlite3_column_int64 (stmt, 21);
  s->updated_at = sqlite3_column_int64 (stmt, 22);
  s->revenue_minor = sqlite3_column_type (stmt, 23) == SQLITE_NULL ? -1 : sqlite3_column_int64 (stmt, 23);
  s->currency = kl_column_dup_text (stmt, 24);
  s->key = sqlite3_column_int64 (stmt, 25);
  return s;
}

/* Text bound without a copy: every caller steps the statement while s's
 * strings are alive. */
static inline void
bind_static (sqlite3_stmt *stmt,
             int           idx,
             const char   *text)
{
  if (text == NULL)
    sqlite3_bind_null (stmt, idx);
  else
    sqlite3_bind_text (stmt, idx, text, -1, SQLITE_STATIC);
}

/* The hash: xxHash64's round (multiply, rotate, multiply) over 64-bit
 * words in three independent lanes, so that the CPU works on them side
 * by side, merged and mixed at the end by MurmurHash3's 64-bit finalizer.
 * A text is its length and its bytes eight at a time; a missing one is a
 * word no length can be. */
#define HASH_P1 G_GUINT64_CONSTANT (0x9e3779b185ebca87)
#define HASH_P2 G_GUINT64_CONSTANT (0xc2b2ae3d27d4eb4f)

static inline guint64
round64 (guint64 acc,
         guint64 word)
{
  acc += word * HASH_P2;
  acc = (acc << 31) | (acc >> 33);
  return acc * HASH_P1;
}

static inline guint64
round_text (guint64     acc,
            const char *text)
{
  gsize len, i;
  guint64 word;

  if (text == NULL)
    return round64 (acc, G_MAXUINT64);
  len = strlen (text);
  acc = round64 (acc, len);
  for (i = 0; i + 8 <= len; i += 8)
    {
      memcpy (&word, text + i, 8);
      acc = round64 (acc, word);
    }
  if (i < len)
    {
      word = 0;
      memcpy (&word, text + i, len - i);
      acc = round64 (acc, word);
    }
  return acc;
}

gint64
_kl_shipment_content_hash (const KlShipment *s)
{
  guint64 a = 1, b = 2, c = 3;   /* change them with what the hash covers */
  guint64 flags;

  flags = (guint64) s->status |
          (guint64) s->mode << 8 |
          (guint64) (s->documents_ok == KL_TRI_UNKNOWN ? 2 : s->documents_ok == KL_TRI_TRUE) << 16 |
          (guint64) (s->order_accurate == KL_TRI_UNKNOWN ? 2 : s->order_accurate == KL_TRI_TRUE) << 18 |
          (guint64) (s->incident ? 1 : 0) << 20;
  a = round64 (a, flags);
  b = round64 (b, (guint64) s->pieces);
  a = round64 (a, (guint64) (s->weight_g < 0 ? -1 : s->weight_g));
  b = round64 (b, (guint64) (s->volume_cm3 < 0 ? -1 : s->volume_cm3));
  a = round64 (a, (guint64) s->planned_pickup_at);
  b = round64 (b, (guint64) s->picked_up_at);
  a = round64 (a, (guint64) s->planned_delivery_at);
  b = round64 (b, (guint64) s->delivered_at);
  a = round64 (a, (guint64) s->damaged_pieces);
  b = round64 (b, (guint64) s->short_pieces);
  a = round64 (a, (guint64) (s->revenue_minor < 0 ? -1 : s->revenue_minor));
  c = round_text (c, s->origin_city);
  c = round_text (c, s->origin_region);
  c = round_text (c, s->dest_city);
  c = round_text (c, s->dest_region);
  c = round_text (c, s->currency);

  a ^= (b << 17 | b >> 47) ^ (c << 41 | c >> 23);
  return (gint64) _kl_fmix64 (a);
}

void
_kl_shipment_store_bind (sqlite3_stmt     *stmt,
                         const KlShipment *s)
{
  _kl_shipment_store_bind_hashed (stmt, s, _kl_shipment_content_hash (s));
}

void
_kl_shipment_store_bind_hashed (sqlite3_stmt     *stmt,
                                const KlShipment *s,
                                gint64            content_hash)
{
  int i = 1;

  bind_static (stmt, i++, s->id);
  bind_static (stmt, i++, s->waybill);
  bind_static (stmt, i++, s->customer_id);
  bind_static (stmt, i++, kl_shipment_status_to_string (s->status));
  bind_static (stmt, i++, s->mode == KL_MODE_NONE ? NULL : kl_shipment_mode_to_string (s->mode));
  bind_static (stmt, i++, s->origin_city);
  bind_static (stmt, i++, s->origin_region);
  bind_static (stmt, i++, s->dest_city);
  bind_static (stmt, i++, s->dest_region);
  sqlite3_bind_int64 (stmt, i++, s->pieces);
  if (s->weight_g < 0)
    sqlite3_bind_null (stmt, i++);
  else
    sqlite3_bind_int64 (stmt, i++, s->weight_g);
  if (s->volume_cm3 < 0)
    sqlite3_bind_null (stmt, i++);
  else
    sqlite3_bind_int64 (stmt, i++, s->volume_cm3);
  kl_bind_time (stmt, i++, s->planned_pickup_at);
  kl_bind_time (stmt, i++, s->picked_up_at);
  kl_bind_time (stmt, i++, s->planned_delivery_at);
  kl_bind_time (stmt, i++, s->delivered_at);
  kl_bind_tri (stmt, i++, s->documents_ok);
  kl_bind_tri (stmt, i++, s->order_accurate);
  sqlite3_bind_int64 (stmt, i++, s->damaged_pieces);
  sqlite3_bind_int64 (stmt, i++, s->short_pieces);
  sqlite3_bind_int (stmt, i++, s->incident ? 1 : 0);
  sqlite3_bind_int64 (stmt, i++, s->revision);
  sqlite3_bind_int64 (stmt, i++, s->updated_at);
  if (s->revenue_minor < 0)
    sqlite3_bind_null (stmt, i++);
  else
    sqlite3_bind_int64 (stmt, i++, s->revenue_minor);
  bind_static (stmt, i++, s->currency);
  sqlite3_bind_int64 (stmt, i++, content_hash);
}

const char *
_kl_shipment_store_currency (KlDatabase       *db,
                             const KlShipment *s)
{
  g_autofree char *workspace = NULL;

  if (s->currency == NULL)
    return NULL;
  workspace = kl_database_get_currency (db);
  return g_strcmp0 (workspace, s->currency) == 0 ? NULL : s->currency;
}

static void
service_date (GTimeZone *tz,
              gint64     planned_pickup_at,
              char       out[11])
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (planned_pickup_at);
  g_autoptr(GDateTime) local = g_date_time_to_timezone (utc, tz);

  g_snprintf (out, 11, "%04d-%02d-%02d",
              g_date_time_get_year (local) % 10000,
              g_date_time_get_month (local),
              g_date_time_get_day_of_month (local));
}

/* The contribution of s, with the grace minutes of the agreement in force
 * on its service date. out_month is 0 for a cancelled shipment. */
static gboolean
_kl_shipment_store_contribution (KlDatabase         *db,
                                 const KlShipment   *s,
                                 int                *out_month,
                                 KlRollupCounts     *out,
                                 KlRollupModeCounts *out_mode,
                                 GError            **error)
{
  char date[11];
  int dispatch_grace, delivery_grace;

  service_date (kl_database_get_timezone (db), s->planned_pickup_at, date);
  if (!_kl_agreement_store_grace (db, s->customer_id, date, &dispatch_grace, &delivery_grace, error))
    return FALSE;

  if (!kl_shipment_rollup (s, kl_database_get_timezone (db), dispatch_grace, delivery_grace, out_month, out))
    *out_month = 0;
  _kl_shipment_rollup_mode_counts (s, delivery_grace, out_mode);
  return TRUE;
}

/* The upsert of a rollup row: rollup_month, rollup_month_region, or (for
 * the portfolio) rollup_portfolio_month, rollup_portfolio_region. */
static const char *
rollup_upsert_sql (gboolean regional,
                   gboolean portfolio)
{
  static gsize init;
  static char *sql[2][2];

  if (g_once_init_enter (&init))
    {
      GString *cols = g_string_new (NULL);
      GString *vals = g_string_new (NULL);
      GString *sets = g_string_new (NULL);

      for (guint i = 0; i < KL_RC_N; i++)
        {
          const char *c = kl_rollup_column_name (i);

          g_string_append_printf (cols, ", %s", c);
          g_string_append (vals, ", ?");
          /* SQLite turns an integer sum that overflows into a REAL; NULL
           * instead fails the NOT NULL constraint, so the write fails and
           * the rollups stay integers (docs/import.md: sums never
           * overflow). */
          g_string_append_printf (sets, "%s%s = CASE WHEN typeof(%s + excluded.%s) = 'integer' "
                                  "THEN %s + excluded.%s END",
                                  i ? ", " : "", c, c, c, c, c);
        }
      for (guint p = 0; p < 2; p++)
        {
          sql[0][p] = g_strdup_printf ("INSERT INTO %s (customer_id, month%s) VALUES (?, ?%s) "
                                       "ON CONFLICT (customer_id, month) DO UPDATE SET %s",
                                       p ? "rollup_portfolio_month" : "rollup_month",
                                       cols->str, vals->str, sets->str);
          sql[1][p] = g_strdup_printf ("INSERT INTO %s (customer_id, month, side, region%s) "
                                       "VALUES (?, ?, ?, ?%s) "
                                       "ON CONFLICT (customer_id, %s) DO UPDATE SET %s",
                                       p ? "rollup_portfolio_region" : "rollup_month_region",
                                       cols->str, vals->str,
                                       p ? "side, month, region" : "month, side, region",
                                       sets->str);
        }
      g_string_free (cols, TRUE);
      g_string_free (vals, TRUE);
      g_string_free (sets, TRUE);
      g_once_init_leave (&init, 1);
    }
  return sql[regional ? 1 : 0][portfolio ? 1 : 0];
}

static const char *
rollup_mode_upsert_sql (void)
{
  static gsize init;
  static char *sql;

  if (g_once_init_enter (&init))
    {
      GString *cols = g_string_new (NULL);
      GString *vals = g_string_new (NULL);
      GString *sets = g_string_new (NULL);

      for (guint i = 0; i < KL_RM_N; i++)
        {
          const char *c = kl_rollup_mode_column_name (i);

          g_string_append_printf (cols, ", %s", c);
          g_string_append (vals, ", ?");
          g_string_append_printf (sets, "%s%s = CASE WHEN typeof(%s + excluded.%s) = 'integer' "
                                  "THEN %s + excluded.%s END",
                                  i ? ", " : "", c, c, c, c, c);
        }
      sql = g_strdup_printf ("INSERT INTO rollup_month_mode (customer_id, month, mode%s) VALUES (?, ?, ?%s) "
                             "ON CONFLICT (month, customer_id, mode) DO UPDATE SET %s",
                             cols->str, vals->str, sets->str);
      g_string_free (cols, TRUE);
      g_string_free (vals, TRUE);
      g_string_free (sets, TRUE);
      g_once_init_leave (&init, 1);
    }
  return sql;
}

/* Removes the rollup_month_mode row if it holds no shipments. */
static gboolean
apply_mode_row_delete (KlDatabase      *db,
                       const char      *customer_id,
                       int              month,
                       KlShipmentMode   mode,
                       GError         **error)
{
  sqlite3_stmt *stmt = _kl_database_prepare_static (db, "DELETE FROM rollup_month_mode WHERE month = ? AND customer_id = ? "
                                                    "AND mode = ? AND shipments = 0", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int (stmt, 1, month);
  kl_bind_text (stmt, 2, customer_id);
  kl_bind_text (stmt, 3, mode == KL_MODE_NONE ? "" : kl_shipment_mode_to_string (mode));
  return kl_database_step_done (db, stmt, error);
}

static gboolean
apply_mode_row (KlDatabase               *db,
                const char               *customer_id,
                int                       month,
                KlShipmentMode            mode,
                const KlRollupModeCounts *counts,
                int                       sign,
                GError                  **error)
{
  g_autoptr(GError) local_error = NULL;
  const char *mode_text = mode == KL_MODE_NONE ? "" : kl_shipment_mode_to_string (mode);
  sqlite3_stmt *stmt;
  int i = 1;

  stmt = _kl_database_prepare_static (db, rollup_mode_upsert_sql (), error);
  if (stmt == NULL)
    return FALSE;
  kl_bind_text (stmt, i++, customer_id);
  sqlite3_bind_int (stmt, i++, month);
  kl_bind_text (stmt, i++, mode_text);
  for (guint c = 0; c < KL_RM_N; c++)
    sqlite3_bind_int64 (stmt, i++, sign * counts->v[c]);
  if (!kl_database_step_done (db, stmt, &local_error))
    {
      if (g_error_matches (local_error, KL_DATABASE_ERROR, KL_DATABASE_ERROR_CONSTRAINT))
        g_set_error (error, KL_DATABASE_ERROR, KL_DATABASE_ERROR_CONSTRAINT,
                     /* Translators: a month like 202610 */
                     _("The totals of month %d would exceed the largest number a workspace stores; "
                       "check the file for wrong quantities"),
                     month);
      else
        g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (sign < 0 || counts->v[KL_RM_SHIPMENTS] < 0)
    return apply_mode_row_delete (db, customer_id, month, mode, error);
  return TRUE;
}

/* Removes the rollup row if it holds no shipments (customer_id NULL: the
 * portfolio's). */
static gboolean
apply_row_delete (KlDatabase  *db,
                  const char  *customer_id,
                  int          month,
                  const char  *side,
                  const char  *region,
                  GError     **error)
{
  static const char *const delete_sql[2][2] = {
    { "DELETE FROM rollup_month WHERE customer_id = ? AND month = ? AND shipments = 0",
      "DELETE FROM rollup_portfolio_month WHERE customer_id = ? AND month = ? AND shipments = 0" },
    { "DELETE FROM rollup_month_region WHERE customer_id = ? AND month = ? "
      "AND side = ? AND region = ? AND shipments = 0",
      "DELETE FROM rollup_portfolio_region WHERE customer_id = ? AND month = ? "
      "AND side = ? AND region = ? AND shipments = 0" },
  };
  gboolean portfolio = customer_id == NULL;
  gboolean regional = side != NULL;
  sqlite3_stmt *stmt;

  stmt = _kl_database_prepare_static (db, delete_sql[regional][portfolio], error);
  if (stmt == NULL)
    return FALSE;
  kl_bind_text (stmt, 1, portfolio ? "" : customer_id);
  sqlite3_bind_int (stmt, 2, month);
  if (regional)
    {
      kl_bind_text (stmt, 3, side);
      kl_bind_text (stmt, 4, region ? region : "");
    }
  return kl_database_step_done (db, stmt, error);
}

/* customer_id NULL: the portfolio's row. */
static gboolean
apply_row (KlDatabase           *db,
           const char           *customer_id,
           int                   month,
           const char           *side,
           const char           *region,
           const KlRollupCounts *counts,
           int                   sign,
           GError              **error)
{
  g_autoptr(GError) local_error = NULL;
  gboolean portfolio = customer_id == NULL;
  gboolean regional = side != NULL;
  sqlite3_stmt *stmt;
  int i = 1;

  if (portfolio)
    customer_id = "";
  stmt = _kl_database_prepare_static (db, rollup_upsert_sql (regional, portfolio), error);
  if (stmt == NULL)
    return FALSE;
  kl_bind_text (stmt, i++, customer_id);
  sqlite3_bind_int (stmt, i++, month);
  if (regional)
    {
      kl_bind_text (stmt, i++, side);
      kl_bind_text (stmt, i++, region ? region : "");
    }
  for (guint c = 0; c < KL_RC_N; c++)
    sqlite3_bind_int64 (stmt, i++, sign * counts->v[c]);
  if (!kl_database_step_done (db, stmt, &local_error))
    {
      if (g_error_matches (local_error, KL_DATABASE_ERROR, KL_DATABASE_ERROR_CONSTRAINT))
        g_set_error (error, KL_DATABASE_ERROR, KL_DATABASE_ERROR_CONSTRAINT,
                     /* Translators: a month like 202610 */
                     _("The totals of month %d would exceed the largest number a workspace stores; "
                       "check the file for wrong quantities"),
                     month);
      else
        g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  /* A negative delta may leave a row with no shipments: it goes. */
  if (sign < 0 || counts->v[KL_RC_SHIPMENTS] < 0)
    return apply_row_delete (db, portfolio ? NULL : customer_id, month, side, region, error);
  return TRUE;
}

static gboolean
apply_shipment (KlDatabase       *db,
                const KlShipment *s,
                int               sign,
                GError          **error)
{
  KlRollupCounts counts;
  KlRollupModeCounts mode_counts;
  int month;

  if (!_kl_shipment_store_contribution (db, s, &month, &counts, &mode_counts, error))
    return FALSE;
  if (month == 0)
    return TRUE;   /* cancelled: counts nowhere */

  return apply_row (db, s->customer_id, month, NULL, NULL, &counts, sign, error) &&
         apply_row (db, s->customer_id, month, "origin", s->origin_region, &counts, sign, error) &&
         apply_row (db, s->customer_id, month, "dest", s->dest_region, &counts, sign, error) &&
         apply_row (db, NULL, month, NULL, NULL, &counts, sign, error) &&
         apply_row (db, NULL, month, "origin", s->origin_region, &counts, sign, error) &&
         apply_row (db, NULL, month, "dest", s->dest_region, &counts, sign, error) &&
         apply_mode_row (db, s->customer_id, month, s->mode, &mode_counts, sign, error);
}

/* The span of docs/import.md, 2000-01-01 to 2099-12-31 UTC, for every
 * writer (import, sync, demo): a shipment outside it would fall in no month
 * GDateTime can make. */
static gboolean
time_in_span (gint64 t)
{
  return t >= G_GINT64_CONSTANT (946684800) && t <= G_GINT64_CONSTANT (4102444799);
}

gboolean
_kl_shipment_store_validate (const KlShipment  *s,
                             GError           **error)
{
  const char *problem = NULL;

  if (s->waybill == NULL || *s->waybill == '\0')
    problem = _("a waybill is required");
  else if (s->customer_id == NULL)
    problem = _("a customer is required");
  else if (s->pieces < 0 || s->damaged_pieces < 0 || s->short_pieces < 0)
    problem = _("piece counts cannot be negative");
  else if (s->revenue_minor < -1)
    problem = _("revenue cannot be negative");
  else if (s->currency != NULL && strlen (s->currency) != 3)
    problem = _("a currency is a three-letter ISO 4217 code");
  else if (s->planned_pickup_at == KL_NO_TIME || s->planned_delivery_at == KL_NO_TIME)
    problem = _("the planned pickup and delivery times are required");
  else if (!time_in_span (s->planned_pickup_at) || !time_in_span (s->planned_delivery_at) ||
           (s->picked_up_at != KL_NO_TIME && !time_in_span (s->picked_up_at)) ||
           (s->delivered_at != KL_NO_TIME && !time_in_span (s->delivered_at)))
    problem = _("a time lies outside 2000-01-01 to 2099-12-31 (UTC)");

  if (problem != NULL)
    {
      g_set_error (error, KL_DATABASE_ERROR, KL_DATABASE_ERROR_INVALID,
                   _("Shipment “%s”: %s"), s->waybill ? s->waybill : "", problem);
      return FALSE;
    }
  return TRUE;
}

KlShipment *
kl_shipment_store_get (KlDatabase  *db,
                       const char  *waybill,
                       GError     **error)
{
  sqlite3_stmt *stmt;
  KlShipment *s = NULL;
  int rc;

  stmt = kl_database_prepare (db, SHIPMENT_SELECT " WHERE s.waybill = ?", error);
  if (stmt == NULL)
    return NULL;
  kl_bind_text (stmt, 1, waybill);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    s = _kl_shipment_store_from_row (stmt);
  else if (rc != SQLITE_DONE)
    kl_database_set_error (db, error, _("Reading a shipment"));
  else
    g_set_error (error, KL_DATABASE_ERROR, KL_DATABASE_ERROR_NOT_FOUND,
                 _("There is no shipment with waybill “%s”"), waybill);
  sqlite3_reset (stmt);
  return s;
}

gboolean
kl_shipment_store_save (KlDatabase      *db,
                        KlShipment      *s,
                        KlUpsertResult  *out_result,
                        GError         **error)
{
  g_autoptr(KlShipment) old = NULL;
  g_autoptr(GError) local_error = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (KL_IS_DATABASE (db), FALSE);
  g_return_val_if_fail (s != NULL, FALSE);

  if (!_kl_shipment_store_validate (s, error))
    return FALSE;
  if (s->currency != NULL && _kl_shipment_store_currency (db, s) == NULL)
    g_clear_pointer (&s->currency, g_free);   /* the workspace currency is stored as NULL */

  old = kl_shipment_store_get (db, s->waybill, &local_error);
  if (old == NULL && !g_error_matches (local_error, KL_DATABASE_ERROR, KL_DATABASE_ERROR_NOT_FOUND))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  /* A shipment without a back-office id keeps the stored one. */
  if (old != NULL && s->id == NULL)
    s->id = g_strdup (old->id);
  if (old != NULL)
    s->key = old->key;

  if (old != NULL && kl_shipment_equal_content (old, s) && g_strcmp0 (old->id, s->id) == 0)
    {
      if (out_result)
        *out_result = KL_UPSERT_UNCHANGED;
      return TRUE;
    }

  if (!kl_database_begin (db, error))
    return FALSE;

  if (s->updated_at <= 0)
    s->updated_at = g_get_real_time () / G_USEC_PER_SEC;

  if (old != NULL)
    {
      /* An import or a local edit knows no server revision; keep the one
       * the stored copy is based on, which sync needs. */
      if (s->revision == 0)
        s->revision = old->revision;
      if (!apply_shipment (db, old, -1, error))
        goto fail;
      stmt = kl_database_prepare (db, SHIPMENT_UPDATE_SQL, error);
      if (stmt == NULL)
        goto fail;
      _kl_shipment_store_bind (stmt, s);
      sqlite3_bind_int64 (stmt, SHIPMENT_UPDATE_KEY, old->key);
    }
  else
    {
      stmt = kl_database_prepare (db, SHIPMENT_INSERT_SQL, error);
      if (stmt == NULL)
        goto fail;
      _kl_shipment_store_bind (stmt, s);
    }
  if (!kl_database_step_done (db, stmt, error))
    goto fail;
  if (old == NULL)
    s->key = sqlite3_last_insert_rowid (kl_database_get_handle (db));
  if (!apply_shipment (db, s, +1, error))
    goto fail;
  if (!kl_database_commit (db, error))
    return FALSE;

  if (out_result)
    *out_result = old != NULL ? KL_UPSERT_UPDATED : KL_UPSERT_NEW;
  return TRUE;

fail:
  kl_database_rollback (db);
  return FALSE;
}

gboolean
kl_shipment_store_delete (KlDatabase  *db,
                          const char  *waybill,
                          GError     **error)
{
  g_autoptr(KlShipment) old = NULL;
  sqlite3_stmt *stmt;

  old = kl_shipment_store_get (db, waybill, error);
  if (old == NULL)
    return FALSE;

  if (!kl_database_begin (db, error))
    return FALSE;
  if (!apply_shipment (db, old, -1, error))
    goto fail;
  stmt = kl_database_prepare (db, "DELETE FROM shipments WHERE id = ?", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, old->key);
  if (!kl_database_step_done (db, stmt, error))
    goto fail;
  return kl_database_commit (db, error);

fail:
  kl_database_rollback (db);
  return FALSE;
}

GPtrArray *
kl_shipment_store_list (KlDatabase  *db,
                        const char  *customer_id,
                        gint64       from,
                        gint64       to,
                        int          limit,
                        GError     **error)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify) kl_shipment_free);
  sqlite3_stmt *stmt;
  int rc;

  stmt = kl_database_prepare (db,
                              SHIPMENT_CUSTOMER_SPAN_SQL " ORDER BY s.planned_pickup_at, s.waybill LIMIT ?4",
                              error);
  if (stmt == NULL)
    return NULL;
  kl_bind_text (stmt, 1, customer_id);
  sqlite3_bind_int64 (stmt, 2, from);
  sqlite3_bind_int64 (stmt, 3, to);
  sqlite3_bind_int (stmt, 4, limit);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (list, _kl_shipment_store_from_row (stmt));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      kl_database_set_error (db, error, _("Reading shipments"));
      return NULL;
    }
  return g_steal_pointer (&list);
}

/* For rebuilding and checking the rollups (kl-rollup.c). */

gboolean
_kl_shipment_store_apply_rollup (KlDatabase           *db,
                                 const char           *customer_id,
                                 int                   month,
                                 const char           *side,
                                 const char           *region,
                                 const KlRollupCounts *counts,
                                 GError              **error)
{
  return apply_row (db, customer_id, month, side, region, counts, +1, error);
}

/* One statement a row: a multi-row upsert needs a statement journal (it
 * may fail halfway and is then undone alone), and into a filled workspace
 * copying the pages it touches cost more than the statements it saved
 * (bench/README.md). */
gboolean
_kl_shipment_store_apply_rollups (KlDatabase           *db,
                                  const KlRollupDelta  *deltas,
                                  guint                 n,
                                  GError              **error)
{
  for (guint i = 0; i < n; i++)
    if (!apply_row (db, deltas[i].customer_id, deltas[i].month, deltas[i].side,
                    deltas[i].region, deltas[i].counts, +1, error))
      return FALSE;
  return TRUE;
}

gboolean
_kl_shipment_store_apply_mode_rollups (KlDatabase               *db,
                                       const KlRollupModeDelta  *deltas,
                                       guint                     n,
                                       GError                  **error)
{
  for (guint i = 0; i < n; i++)
    if (!apply_mode_row (db, deltas[i].customer_id, deltas[i].month, deltas[i].mode,
                         deltas[i].counts, +1, error))
      return FALSE;
  return TRUE;
}

gboolean
_kl_shipment_store_apply_mode_rollup (KlDatabase               *db,
                                      const char               *customer_id,
                                      int                       month,
                                      KlShipmentMode            mode,
                                      const KlRollupModeCounts *counts,
                                      GError                  **error)
{
  return apply_mode_row (db, customer_id, month, mode, counts, +1, error);
}

gboolean
_kl_shipment_store_foreach_contribution (KlDatabase                  *db,
                                         const char                  *customer_id,
                                         KlShipmentContributionFunc   func,
                                         gpointer                     user_data,
                                         GError                     **error)
{
  sqlite3_stmt *stmt;
  int rc;

  /* Not the cached statement: contributions prepare statements of their own. */
  if (sqlite3_prepare_v2 (kl_database_get_handle (db),
                          customer_id ? SHIPMENT_CUSTOMER_SPAN_SQL : SHIPMENT_SELECT,
                          -1, &stmt, NULL) != SQLITE_OK)
    return kl_database_set_error (db, error, _("Reading shipments"));
  if (customer_id != NULL)
    {
      kl_bind_text (stmt, 1, customer_id);
      sqlite3_bind_int64 (stmt, 2, G_MININT64);
      sqlite3_bind_int64 (stmt, 3, G_MAXINT64);
    }

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr(KlShipment) s = _kl_shipment_store_from_row (stmt);
      KlRollupCounts counts;
      KlRollupModeCounts mode_counts;
      int month;

      if (!_kl_shipment_store_contribution (db, s, &month, &counts, &mode_counts, error))
        {
          sqlite3_finalize (stmt);
          return FALSE;
        }
      if (month != 0)
        func (s, month, &counts, &mode_counts, user_data);
    }
  if (rc != SQLITE_DONE)
    {
      kl_database_set_error (db, error, _("Reading shipments"));
      sqlite3_finalize (stmt);
      return FALSE;
    }
  sqlite3_finalize (stmt);
  return TRUE;
}
