/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What a shipment contributes to its month, per docs/kpi.md, reading
 * the month rollups back, and rebuilding and checking them from facts. */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "kl-database-private.h"
#include "kl-enums.h"
#include "kl-records.h"
#include "kl-rollup.h"
#include "kl-shipment-store-private.h"

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
  [KL_RC_REVENUE_MINOR]      = "revenue_minor",
};

const char *
kl_rollup_column_name (KlRollupColumn column)
{
  g_return_val_if_fail ((int) column >= 0 && column < KL_RC_N, NULL);
  return column_names[column];
}

gboolean
_kl_shipment_rollup_counts (const KlShipment *s,
                            int               dispatch_grace_min,
                            int               delivery_grace_min,
                            KlRollupCounts   *out)
{
  gboolean delivered, arrived_on_time = FALSE;

  memset (out, 0, sizeof *out);
  if (s->status == KL_SHIPMENT_STATUS_CANCELLED)
    return FALSE;

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
  out->v[KL_RC_REVENUE_MINOR] = s->revenue_minor > 0 && s->currency == NULL ? s->revenue_minor : 0;
  return TRUE;
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

  return _kl_shipment_rollup_counts (s, dispatch_grace_min, delivery_grace_min, out);
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
#define SUMS "SELECT coalesce(sum(shipments), 0), coalesce(sum(pieces), 0), coalesce(sum(weight_g), 0), coalesce(sum(volume_cm3), 0), coalesce(sum(dispatched), 0), coalesce(sum(dispatched_on_time), 0), coalesce(sum(delivered), 0), coalesce(sum(delivered_on_time), 0), coalesce(sum(delivered_pieces), 0), coalesce(sum(damaged_pieces), 0), coalesce(sum(short_pieces), 0), coalesce(sum(damage_incidents), 0), coalesce(sum(shortage_incidents), 0), coalesce(sum(incidents), 0), coalesce(sum(docs_known), 0), coalesce(sum(docs_ok), 0), coalesce(sum(order_known), 0), coalesce(sum(order_ok), 0), coalesce(sum(otif), 0), coalesce(sum(revenue_minor), 0) FROM rollup_month WHERE "
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

/* Rebuilding and checking: every contribution summed in memory. */

typedef struct {
  char          *customer_id;
  int            month;
  char          *side;     /* NULL for the month table */
  char          *region;
  KlRollupCounts counts;
  gboolean       seen;     /* matched by a stored row (check) */
} RollupKey;

static void
rollup_key_free (gpointer data)
{
  RollupKey *k = data;

  g_free (k->customer_id);
  g_free (k->side);
  g_free (k->region);
  g_free (k);
}

static char *
rollup_key_string (const char *customer_id,
                   int         month,
                   const char *side,
                   const char *region)
{
  return g_strdup_printf ("%s\x1f%d\x1f%s\x1f%s", customer_id, month,
                          side ? side : "", region ? region : "");
}

static void
accumulate (GHashTable           *table,
            const char           *customer_id,
            int                   month,
            const char           *side,
            const char           *region,
            const KlRollupCounts *counts)
{
  g_autofree char *key = rollup_key_string (customer_id, month, side, region);
  RollupKey *k = g_hash_table_lookup (table, key);

  if (k == NULL)
    {
      k = g_new0 (RollupKey, 1);
      k->customer_id = g_strdup (customer_id);
      k->month = month;
      k->side = g_strdup (side);
      k->region = g_strdup (side ? (region ? region : "") : NULL);
      g_hash_table_insert (table, g_steal_pointer (&key), k);
    }
  kl_rollup_counts_add (&k->counts, counts);
}

/* A (customer, month, mode) row recomputed. */
typedef struct {
  char               *customer_id;
  int                 month;
  KlShipmentMode      mode;
  KlRollupModeCounts  counts;
  gboolean            seen;
} ModeKey;

static void
mode_key_free (gpointer data)
{
  ModeKey *k = data;

  g_free (k->customer_id);
  g_free (k);
}

static char *
mode_key_string (const char     *customer_id,
                 int             month,
                 KlShipmentMode  mode)
{
  return g_strdup_printf ("%s\x1f%d\x1f%d", customer_id, month, (int) mode);
}

typedef struct {
  GHashTable *table;   /* rollup_month and rollup_month_region rows */
  GHashTable *modes;   /* rollup_month_mode rows */
} Facts;

static void
accumulate_shipment (const KlShipment         *s,
                     int                       month,
                     const KlRollupCounts     *counts,
                     const KlRollupModeCounts *mode_counts,
                     gpointer                  user_data)
{
  Facts *facts = user_data;
  g_autofree char *key = mode_key_string (s->customer_id, month, s->mode);
  ModeKey *k;

  accumulate (facts->table, s->customer_id, month, NULL, NULL, counts);
  accumulate (facts->table, s->customer_id, month, "origin", s->origin_region, counts);
  accumulate (facts->table, s->customer_id, month, "dest", s->dest_region, counts);

  k = g_hash_table_lookup (facts->modes, key);
  if (k == NULL)
    {
      k = g_new0 (ModeKey, 1);
      k->customer_id = g_strdup (s->customer_id);
      k->month = month;
      k->mode = s->mode;
      g_hash_table_insert (facts->modes, g_steal_pointer (&key), k);
    }
  kl_rollup_mode_counts_add (&k->counts, mode_counts);
}

static void
facts_clear (Facts *facts)
{
  g_clear_pointer (&facts->table, g_hash_table_unref);
  g_clear_pointer (&facts->modes, g_hash_table_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Facts, facts_clear)

static gboolean
compute_from_facts (KlDatabase  *db,
                    const char  *customer_id,
                    Facts       *facts,
                    GError     **error)
{
  facts->table = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, rollup_key_free);
  facts->modes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, mode_key_free);
  return _kl_shipment_store_foreach_contribution (db, customer_id, accumulate_shipment, facts, error);
}

gboolean
kl_rollup_rebuild (KlDatabase  *db,
                   const char  *customer_id,
                   GError     **error)
{
  g_auto(Facts) facts = { NULL, NULL };
  GHashTableIter iter;
  RollupKey *k;
  ModeKey *m;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (KL_IS_DATABASE (db), FALSE);

  if (!kl_database_begin (db, error))
    return FALSE;

  if (!compute_from_facts (db, customer_id, &facts, error))
    goto fail;

  if (customer_id != NULL)
    {
      stmt = kl_database_prepare (db, "DELETE FROM rollup_month WHERE customer_id = ?", error);
      if (stmt == NULL)
        goto fail;
      kl_bind_text (stmt, 1, customer_id);
      if (!kl_database_step_done (db, stmt, error))
        goto fail;
      stmt = kl_database_prepare (db, "DELETE FROM rollup_month_region WHERE customer_id = ?", error);
      if (stmt == NULL)
        goto fail;
      kl_bind_text (stmt, 1, customer_id);
      if (!kl_database_step_done (db, stmt, error))
        goto fail;
      stmt = kl_database_prepare (db, "DELETE FROM rollup_month_mode WHERE customer_id = ?", error);
      if (stmt == NULL)
        goto fail;
      kl_bind_text (stmt, 1, customer_id);
      if (!kl_database_step_done (db, stmt, error))
        goto fail;
    }
  else if (!kl_database_exec (db, "DELETE FROM rollup_month; DELETE FROM rollup_month_region; "
                              "DELETE FROM rollup_month_mode;", error))
    goto fail;

  g_hash_table_iter_init (&iter, facts.table);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &k))
    if (!_kl_shipment_store_apply_rollup (db, k->customer_id, k->month, k->side, k->region, &k->counts, error))
      goto fail;
  g_hash_table_iter_init (&iter, facts.modes);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &m))
    if (!_kl_shipment_store_apply_mode_rollup (db, m->customer_id, m->month, m->mode, &m->counts, error))
      goto fail;

  return kl_database_commit (db, error);

fail:
  kl_database_rollback (db);
  return FALSE;
}

static gboolean
compare_table (KlDatabase  *db,
               GHashTable  *expected,
               gboolean     regional,
               GPtrArray   *problems,
               GError     **error)
{
  g_autoptr(GString) sql = g_string_new ("SELECT customer_id, month");
  sqlite3_stmt *stmt;
  int rc, first;

  if (regional)
    g_string_append (sql, ", side, region");
  for (guint i = 0; i < KL_RC_N; i++)
    g_string_append_printf (sql, ", %s", kl_rollup_column_name (i));
  g_string_append (sql, regional ? " FROM rollup_month_region" : " FROM rollup_month");
  first = regional ? 4 : 2;

  stmt = kl_database_prepare (db, sql->str, error);
  if (stmt == NULL)
    return FALSE;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *customer_id = (const char *) sqlite3_column_text (stmt, 0);
      int month = sqlite3_column_int (stmt, 1);
      const char *side = regional ? (const char *) sqlite3_column_text (stmt, 2) : NULL;
      const char *region = regional ? (const char *) sqlite3_column_text (stmt, 3) : NULL;
      g_autofree char *key = rollup_key_string (customer_id, month, side, region);
      g_autofree char *where = regional
        ? g_strdup_printf ("customer %s, month %d, %s region “%s”", customer_id, month, side, region)
        : g_strdup_printf ("customer %s, month %d", customer_id, month);
      RollupKey *k = g_hash_table_lookup (expected, key);

      /* A counter that overflowed into a float no longer counts. */
      for (guint i = 0; i < KL_RC_N; i++)
        if (sqlite3_column_type (stmt, first + i) != SQLITE_INTEGER)
          g_ptr_array_add (problems,
                           /* Translators: %s: customer and month, %s: a counter's name, %s: what it holds */
                           g_strdup_printf (_("%s: %s is stored as %s, not as a whole number"),
                                            where, kl_rollup_column_name (i),
                                            (const char *) sqlite3_column_text (stmt, first + i)));

      if (k == NULL)
        {
          g_ptr_array_add (problems, g_strdup_printf (_("%s: stored figures but no shipments"), where));
          continue;
        }
      k->seen = TRUE;
      for (guint i = 0; i < KL_RC_N; i++)
        {
          gint64 stored = sqlite3_column_int64 (stmt, first + i);

          if (sqlite3_column_type (stmt, first + i) == SQLITE_INTEGER && stored != k->counts.v[i])
            g_ptr_array_add (problems,
                             g_strdup_printf (_("%s: %s is %lld but the shipments give %lld"),
                                              where, kl_rollup_column_name (i),
                                              (long long) stored, (long long) k->counts.v[i]));
        }
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return kl_database_set_error (db, error, _("Reading monthly figures"));
  return TRUE;
}

static gboolean
compare_modes (KlDatabase  *db,
               GHashTable  *expected,
               GPtrArray   *problems,
               GError     **error)
{
  g_autoptr(GString) sql = g_string_new ("SELECT customer_id, month, mode");
  sqlite3_stmt *stmt;
  int rc;

  for (guint i = 0; i < KL_RM_N; i++)
    g_string_append_printf (sql, ", %s", kl_rollup_mode_column_name (i));
  g_string_append (sql, " FROM rollup_month_mode");

  stmt = kl_database_prepare (db, sql->str, error);
  if (stmt == NULL)
    return FALSE;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *customer_id = (const char *) sqlite3_column_text (stmt, 0);
      int month = sqlite3_column_int (stmt, 1);
      const char *mode_text = (const char *) sqlite3_column_text (stmt, 2);
      KlShipmentMode mode = KL_MODE_NONE;
      g_autofree char *key = NULL;
      g_autofree char *where = NULL;
      ModeKey *k;

      if (mode_text != NULL && *mode_text != '\0' && !kl_shipment_mode_from_string (mode_text, &mode))
        mode = KL_N_MODES;   /* matches nothing */
      key = mode_key_string (customer_id, month, mode);
      where = g_strdup_printf ("customer %s, month %d, mode “%s”", customer_id, month, mode_text ? mode_text : "");
      k = g_hash_table_lookup (expected, key);

      for (guint i = 0; i < KL_RM_N; i++)
        if (sqlite3_column_type (stmt, 3 + i) != SQLITE_INTEGER)
          g_ptr_array_add (problems,
                           g_strdup_printf (_("%s: %s is stored as %s, not as a whole number"),
                                            where, kl_rollup_mode_column_name (i),
                                            (const char *) sqlite3_column_text (stmt, 3 + i)));
      if (k == NULL)
        {
          g_ptr_array_add (problems, g_strdup_printf (_("%s: stored figures but no shipments"), where));
          continue;
        }
      k->seen = TRUE;
      for (guint i = 0; i < KL_RM_N; i++)
        {
          gint64 stored = sqlite3_column_int64 (stmt, 3 + i);

          if (sqlite3_column_type (stmt, 3 + i) == SQLITE_INTEGER && stored != k->counts.v[i])
            g_ptr_array_add (problems,
                             g_strdup_printf (_("%s: %s is %lld but the shipments give %lld"),
                                              where, kl_rollup_mode_column_name (i),
                                              (long long) stored, (long long) k->counts.v[i]));
        }
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return kl_database_set_error (db, error, _("Reading the figures per transport mode"));
  return TRUE;
}

gboolean
_kl_rollup_migrate_6 (KlDatabase  *db,
                      GError     **error)
{
  /* The time zone is read after the upgrade otherwise. */
  _kl_database_reload_timezone (db);
  return kl_rollup_rebuild (db, NULL, error);
}

gboolean
kl_rollup_check (KlDatabase  *db,
                 GPtrArray   *problems,
                 GError     **error)
{
  g_auto(Facts) facts = { NULL, NULL };
  GHashTable *expected;
  GHashTableIter iter;
  RollupKey *k;
  ModeKey *m;

  g_return_val_if_fail (KL_IS_DATABASE (db), FALSE);
  g_return_val_if_fail (problems != NULL, FALSE);

  if (!compute_from_facts (db, NULL, &facts, error))
    return FALSE;
  expected = facts.table;

  if (!compare_table (db, expected, FALSE, problems, error) ||
      !compare_table (db, expected, TRUE, problems, error) ||
      !compare_modes (db, facts.modes, problems, error))
    return FALSE;

  g_hash_table_iter_init (&iter, facts.modes);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &m))
    if (!m->seen)
      g_ptr_array_add (problems,
                       g_strdup_printf (_("customer %s, month %d, mode “%s”: shipments but no stored figures"),
                                        m->customer_id, m->month,
                                        m->mode == KL_MODE_NONE ? "" : kl_shipment_mode_to_string (m->mode)));

  g_hash_table_iter_init (&iter, expected);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &k))
    if (!k->seen)
      g_ptr_array_add (problems,
                       k->side
                         ? g_strdup_printf (_("customer %s, month %d, %s region “%s”: shipments but no stored figures"),
                                            k->customer_id, k->month, k->side, k->region)
                         : g_strdup_printf (_("customer %s, month %d: shipments but no stored figures"),
                                            k->customer_id, k->month));
  return TRUE;
}

gboolean
kl_rollup_set_timezone (KlDatabase  *db,
                        const char  *tz_name,
                        GError     **error)
{
  g_return_val_if_fail (KL_IS_DATABASE (db), FALSE);

  if (tz_name != NULL && g_strcmp0 (tz_name, kl_database_get_timezone_name (db)) == 0)
    return TRUE;

  if (!kl_database_begin (db, error))
    return FALSE;
  if (!_kl_database_store_timezone (db, tz_name, error) ||
      !kl_rollup_rebuild (db, NULL, error))
    {
      kl_database_rollback (db);
      _kl_database_reload_timezone (db);
      return FALSE;
    }
  if (!kl_database_commit (db, error))
    {
      _kl_database_reload_timezone (db);
      return FALSE;
    }
  return TRUE;
}
