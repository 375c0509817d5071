/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The bulk path for shipments (kl-shipment-bulk.h). What one shipment adds
 * to the rollups is the same as in kl_shipment_store_save (): its month in
 * the workspace time zone and the grace minutes of the agreement in force
 * on its service date; only the way there is cheaper. */

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "kl-agreement-store-private.h"
#include "kl-database-private.h"
#include "kl-rollup.h"
#include "kl-shipment-bulk.h"
#include "kl-shipment-store-private.h"

/* The UTC offset is constant over [start, end]. */
typedef struct {
  gint64 start;
  gint64 end;
  gint32 offset;
} ZoneSpan;

/* One rollup row's pending change; side NULL for the month table. Strings
 * are interned, so keys compare by pointer. */
typedef struct {
  const char     *customer_id;
  const char     *side;
  const char     *region;
  int             month;
  KlRollupCounts  counts;
} PendingRow;

/* One rollup_month_mode row's pending change. */
typedef struct {
  const char         *customer_id;
  int                 month;
  KlShipmentMode      mode;
  KlRollupModeCounts  counts;
} PendingModeRow;

typedef struct {
  const char *customer_id;
  gint64      day;          /* local days since 1970-01-01 */
  int         dispatch;
  int         delivery;
} GraceEntry;

/* The page cache while writing, in KiB (as PRAGMA cache_size takes it, negative). */
#define BULK_CACHE_KIB (-262144)

struct _KlShipmentBulk {
  KlDatabase   *db;
  gboolean      dry_run;
  sqlite3_stmt *insert;
  sqlite3_stmt *update;
  sqlite3_stmt *select;
  sqlite3_stmt *select_uuid;
  sqlite3_stmt *delete;
  char         *currency;    /* the workspace's */
  GTimeZone    *tz;
  GArray       *spans;       /* ZoneSpan, as found */
  guint         last_span;
  GStringChunk *strings;     /* interned customer ids and regions */
  const char   *last_customer; /* interned, the last asked for */
  gboolean      expect_stored; /* the last waybill was stored already */
  GHashTable   *rows;        /* PendingRow → itself */
  GHashTable   *mode_rows;   /* PendingModeRow → itself */
  GHashTable   *grace;       /* GraceEntry → itself */
  gint64        now;
  int           cache_size;  /* to restore, 0: untouched */
  int           autocheckpoint;
};

static const char side_origin[] = "origin";
static const char side_dest[] = "dest";

static guint
pending_hash (gconstpointer key)
{
  const PendingRow *r = key;

  return (guint) (GPOINTER_TO_SIZE (r->customer_id) * 31 + GPOINTER_TO_SIZE (r->region) * 17 +
                  GPOINTER_TO_SIZE (r->side) * 7 + (gsize) r->month * 2654435761u);
}

static gboolean
pending_equal (gconstpointer a,
               gconstpointer b)
{
  const PendingRow *x = a, *y = b;

  return x->customer_id == y->customer_id && x->month == y->month &&
         x->side == y->side && x->region == y->region;
}

static guint
grace_hash (gconstpointer key)
{
  const GraceEntry *g = key;

  return (guint) (GPOINTER_TO_SIZE (g->customer_id) * 31 + (gsize) g->day * 2654435761u);
}

static guint
pending_mode_hash (gconstpointer key)
{
  const PendingModeRow *r = key;

  return (guint) (GPOINTER_TO_SIZE (r->customer_id) * 31 + (gsize) r->mode * 7 + (gsize) r->month * 2654435761u);
}

static gboolean
pending_mode_equal (gconstpointer a,
                    gconstpointer b)
{
  const PendingModeRow *x = a, *y = b;

  return x->customer_id == y->customer_id && x->month == y->month && x->mode == y->mode;
}

static gboolean
grace_equal (gconstpointer a,
             gconstpointer b)
{
  const GraceEntry *x = a, *y = b;

  return x->customer_id == y->customer_id && x->day == y->day;
}

/* Time */

/* The UTC offset at t, as g_date_time_to_timezone () finds it: GLib's
 * interval for t as universal time. The spans over which it holds are
 * found once by bisection and kept. */
static gint32
zone_offset (KlShipmentBulk *self,
             gint64          t)
{
  ZoneSpan span;
  gint64 lo, hi;
  int interval;

  if (self->last_span < self->spans->len)
    {
      ZoneSpan *s = &g_array_index (self->spans, ZoneSpan, self->last_span);

      if (t >= s->start && t <= s->end)
        return s->offset;
    }
  for (guint i = 0; i < self->spans->len; i++)
    {
      ZoneSpan *s = &g_array_index (self->spans, ZoneSpan, i);

      if (t >= s->start && t <= s->end)
        {
          self->last_span = i;
          return s->offset;
        }
    }

  interval = g_time_zone_find_interval (self->tz, G_TIME_TYPE_UNIVERSAL, t);
  span.offset = g_time_zone_get_offset (self->tz, interval);

  /* The first second of the interval within a year before t … */
  lo = t - 366 * 86400;
  hi = t;
  if (g_time_zone_find_interval (self->tz, G_TIME_TYPE_UNIVERSAL, lo) == interval)
    span.start = lo;
  else
    {
      while (hi - lo > 1)   /* lo outside, hi inside */
        {
          gint64 mid = lo + (hi - lo) / 2;

          if (g_time_zone_find_interval (self->tz, G_TIME_TYPE_UNIVERSAL, mid) == interval)
            hi = mid;
          else
            lo = mid;
        }
      span.start = hi;
    }
  /* … and the last within a year after. */
  lo = t;
  hi = t + 366 * 86400;
  if (g_time_zone_find_interval (self->tz, G_TIME_TYPE_UNIVERSAL, hi) == interval)
    span.end = hi;
  else
    {
      while (hi - lo > 1)   /* lo inside, hi outside */
        {
          gint64 mid = lo + (hi - lo) / 2;

          if (g_time_zone_find_interval (self->tz, G_TIME_TYPE_UNIVERSAL, mid) == interval)
            lo = mid;
          else
            hi = mid;
        }
      span.end = lo;
    }
  g_array_append_val (self->spans, span);
  self->last_span = self->spans->len - 1;
  return span.offset;
}

/* The civil date of a day count since 1970-01-01 (proleptic Gregorian;
 * H. Hinnant's days_from_civil inverse). */
static void
civil_from_days (gint64  z,
                 int    *out_year,
                 int    *out_month,
                 int    *out_day)
{
  gint64 era, yoe, doy, mp, doe, y;

  z += 719468;
  era = (z >= 0 ? z : z - 146096) / 146097;
  doe = z - era * 146097;
  yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  y = yoe + era * 400;
  doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  mp = (5 * doy + 2) / 153;
  *out_day = (int) (doy - (153 * mp + 2) / 5 + 1);
  *out_month = (int) (mp < 10 ? mp + 3 : mp - 9);
  *out_year = (int) (y + (*out_month <= 2));
}

/* The local day of t (days since 1970-01-01 in the workspace zone). */
static gint64
local_day (KlShipmentBulk *self,
           gint64          t)
{
  gint64 local = t + zone_offset (self, t);

  return local >= 0 ? local / 86400 : -((-local + 86399) / 86400);
}

/* One integer PRAGMA's value, or def. */
static int
pragma_get (sqlite3    *handle,
            const char *sql,
            int         def)
{
  sqlite3_stmt *stmt = NULL;
  int value = def;

  if (sqlite3_prepare_v2 (handle, sql, -1, &stmt, NULL) == SQLITE_OK && sqlite3_step (stmt) == SQLITE_ROW)
    value = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);
  return value;
}

static void
pragma_set (sqlite3    *handle,
            const char *name,
            int         value)
{
  g_autofree char *sql = g_strdup_printf ("PRAGMA %s = %d", name, value);

  sqlite3_exec (handle, sql, NULL, NULL, NULL);
}

/* Rollups */

static const char *
intern (KlShipmentBulk *self,
        const char     *text)
{
  return g_string_chunk_insert_const (self->strings, text != NULL ? text : "");
}

static gboolean
overflow_error (int       month,
                GError  **error)
{
  g_set_error (error, KL_DATABASE_ERROR, KL_DATABASE_ERROR_CONSTRAINT,
               /* Translators: a month like 202610 */
               _("The totals of month %d would exceed the largest number a workspace stores; "
                 "check the file for wrong quantities"),
               month);
  return FALSE;
}

static gboolean
add_pending (KlShipmentBulk       *self,
             const char           *customer_id,
             int                   month,
             const char           *side,
             const char           *region,
             const KlRollupCounts *counts,
             GError              **error)
{
  PendingRow key = { customer_id, side, region, month, { { 0 } } };
  PendingRow *row = g_hash_table_lookup (self->rows, &key);

  if (row == NULL)
    {
      row = g_new0 (PendingRow, 1);
      *row = key;
      g_hash_table_add (self->rows, row);
    }
  if (!kl_rollup_counts_add (&row->counts, counts))
    return overflow_error (month, error);
  return TRUE;
}

static gboolean
add_pending_mode (KlShipmentBulk           *self,
                  const char               *customer_id,
                  int                       month,
                  KlShipmentMode            mode,
                  const KlRollupModeCounts *counts,
                  GError                  **error)
{
  PendingModeRow key = { customer_id, month, mode, { { 0 } } };
  PendingModeRow *row = g_hash_table_lookup (self->mode_rows, &key);

  if (row == NULL)
    {
      row = g_new0 (PendingModeRow, 1);
      *row = key;
      g_hash_table_add (self->mode_rows, row);
    }
  if (!kl_rollup_mode_counts_add (&row->counts, counts))
    return overflow_error (month, error);
  return TRUE;
}

/* Rows of one customer tend to come together. */
static const char *
intern_customer (KlShipmentBulk *self,
                 const char     *customer_id)
{
  if (self->last_customer == NULL || strcmp (self->last_customer, customer_id) != 0)
    self->last_customer = intern (self, customer_id);
  return self->last_customer;
}

/* Adds (sign +1) or takes away (-1) what s contributes. customer_id is
 * s's, interned. */
static gboolean
contribute (KlShipmentBulk    *self,
            const KlShipment  *s,
            const char        *customer_id,
            int                sign,
            GError           **error)
{
  GraceEntry key, *grace;
  KlRollupCounts counts;
  KlRollupModeCounts mode_counts;
  int year, month, day;

  if (s->status == KL_SHIPMENT_STATUS_CANCELLED)
    return TRUE;   /* counts nowhere */

  key.customer_id = customer_id;
  key.day = local_day (self, s->planned_pickup_at);
  civil_from_days (key.day, &year, &month, &day);

  grace = g_hash_table_lookup (self->grace, &key);
  if (grace == NULL)
    {
      char date[11];

      g_snprintf (date, sizeof date, "%04d-%02d-%02d", year % 10000, month, day);
      if (!_kl_agreement_store_grace (self->db, customer_id, date, &key.dispatch, &key.delivery, error))
        return FALSE;
      grace = g_memdup2 (&key, sizeof key);
      g_hash_table_add (self->grace, grace);
    }

  if (!_kl_shipment_rollup_counts (s, grace->dispatch, grace->delivery, &counts))
    return TRUE;
  _kl_shipment_rollup_mode_counts (s, grace->delivery, &mode_counts);
  if (sign < 0)
    {
      for (guint i = 0; i < KL_RC_N; i++)
        counts.v[i] = -counts.v[i];
      for (guint i = 0; i < KL_RM_N; i++)
        mode_counts.v[i] = -mode_counts.v[i];
    }

  month = kl_month_make (year, month);
  return add_pending (self, customer_id, month, NULL, NULL, &counts, error) &&
         add_pending (self, customer_id, month, side_origin, intern (self, s->origin_region), &counts, error) &&
         add_pending (self, customer_id, month, side_dest, intern (self, s->dest_region), &counts, error) &&
         add_pending_mode (self, customer_id, month, s->mode, &mode_counts, error);
}

/* The writer */

KlShipmentBulk *
kl_shipment_bulk_new (KlDatabase  *db,
                      gboolean     dry_run,
                      GError     **error)
{
  g_autoptr(KlShipmentBulk) self = NULL;
  sqlite3 *handle;
  GTimeZone *tz;

  g_return_val_if_fail (KL_IS_DATABASE (db), NULL);

  self = g_new0 (KlShipmentBulk, 1);
  self->db = g_object_ref (db);
  self->dry_run = dry_run;
  tz = kl_database_get_timezone (db);
  self->tz = tz != NULL ? g_time_zone_ref (tz) : g_time_zone_new_utc ();
  self->spans = g_array_new (FALSE, FALSE, sizeof (ZoneSpan));
  self->strings = g_string_chunk_new (4096);
  self->rows = g_hash_table_new_full (pending_hash, pending_equal, g_free, NULL);
  self->mode_rows = g_hash_table_new_full (pending_mode_hash, pending_mode_equal, g_free, NULL);
  self->currency = kl_database_get_currency (db);
  self->grace = g_hash_table_new_full (grace_hash, grace_equal, g_free, NULL);
  self->now = g_get_real_time () / G_USEC_PER_SEC;
  handle = kl_database_get_handle (db);
  if (sqlite3_prepare_v3 (handle, SHIPMENT_SELECT " WHERE s.waybill = ?",
                          -1, SQLITE_PREPARE_PERSISTENT, &self->select, NULL) != SQLITE_OK ||
      sqlite3_prepare_v3 (handle, SHIPMENT_SELECT " WHERE s.uuid = ?",
                          -1, SQLITE_PREPARE_PERSISTENT, &self->select_uuid, NULL) != SQLITE_OK)
    {
      kl_database_set_error (db, error, _("Preparing a query"));
      return NULL;
    }
  if (dry_run)
    return g_steal_pointer (&self);

  /* The writer's own statements: no cache look-up per row. */

  /* Bulk work: a page cache that holds the indexes being written (256 MiB
   * at most, taken only as pages are read) instead of spilling them to the
   * WAL mid-transaction, and no automatic checkpoint until the end; both
   * are put back by kl_shipment_bulk_free (), which checkpoints. */
  self->cache_size = pragma_get (handle, "PRAGMA cache_size", 0);
  if (self->cache_size != 0 && self->cache_size > BULK_CACHE_KIB)
    pragma_set (handle, "cache_size", BULK_CACHE_KIB);
  else
    self->cache_size = 0;
  self->autocheckpoint = pragma_get (handle, "PRAGMA wal_autocheckpoint", -1);
  if (self->autocheckpoint > 0)
    pragma_set (handle, "wal_autocheckpoint", 0);
  if (sqlite3_prepare_v3 (handle, SHIPMENT_INSERT_SQL " ON CONFLICT (waybill) DO NOTHING",
                          -1, SQLITE_PREPARE_PERSISTENT, &self->insert, NULL) != SQLITE_OK ||
      sqlite3_prepare_v3 (handle, SHIPMENT_UPDATE_SQL, -1, SQLITE_PREPARE_PERSISTENT, &self->update, NULL) != SQLITE_OK ||
      sqlite3_prepare_v3 (handle, "DELETE FROM shipments WHERE id = ?", -1, SQLITE_PREPARE_PERSISTENT,
                          &self->delete, NULL) != SQLITE_OK)
    {
      kl_database_set_error (db, error, _("Preparing a query"));
      return NULL;
    }
  return g_steal_pointer (&self);
}

void
kl_shipment_bulk_free (KlShipmentBulk *self)
{
  if (self == NULL)
    return;
  sqlite3_finalize (self->insert);
  sqlite3_finalize (self->update);
  sqlite3_finalize (self->select);
  sqlite3_finalize (self->select_uuid);
  sqlite3_finalize (self->delete);
  if (self->db != NULL && !self->dry_run)
    {
      sqlite3 *handle = kl_database_get_handle (self->db);

      if (self->cache_size != 0)
        pragma_set (handle, "cache_size", self->cache_size);
      if (self->autocheckpoint > 0)
        {
          pragma_set (handle, "wal_autocheckpoint", self->autocheckpoint);
          /* What the import wrote, into the database file now (outside a
           * transaction; inside one SQLite refuses and nothing happens). */
          if (!kl_database_in_transaction (self->db))
            sqlite3_wal_checkpoint_v2 (handle, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
        }
    }
  g_clear_pointer (&self->rows, g_hash_table_unref);
  g_clear_pointer (&self->mode_rows, g_hash_table_unref);
  g_free (self->currency);
  g_clear_pointer (&self->grace, g_hash_table_unref);
  g_clear_pointer (&self->strings, g_string_chunk_free);
  g_clear_pointer (&self->spans, g_array_unref);
  g_clear_pointer (&self->tz, g_time_zone_unref);
  g_clear_object (&self->db);
  g_free (self);
}

/* The stored shipment with s's waybill into *out_old, NULL when none. */
static gboolean
read_by (KlShipmentBulk    *self,
         sqlite3_stmt      *stmt,
         const char        *text,
         KlShipment       **out_old,
         GError           **error)
{
  int rc;

  *out_old = NULL;
  sqlite3_reset (stmt);
  sqlite3_bind_text (stmt, 1, text, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    *out_old = _kl_shipment_store_from_row (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return kl_database_set_error (self->db, error, _("Reading a shipment"));
  return TRUE;
}

static gboolean
read_stored (KlShipmentBulk    *self,
             const char        *waybill,
             KlShipment       **out_old,
             GError           **error)
{
  return read_by (self, self->select, waybill, out_old, error);
}

static gboolean
bulk_add (KlShipmentBulk    *self,
          const KlShipment  *shipment,
          gboolean           synced,
          KlUpsertResult    *out_result,
          GError           **error)
{
  g_autoptr(KlShipment) old = NULL;
  gboolean looked = FALSE;
  KlShipment s;

  if (!_kl_shipment_store_validate (shipment, error))
    return FALSE;

  /* A shallow copy: its strings stay the caller's. */
  s = *shipment;
  if (s.updated_at <= 0)
    s.updated_at = self->now;
  if (s.currency != NULL && strcmp (s.currency, self->currency) == 0)
    s.currency = NULL;   /* the workspace currency is stored as NULL */
  if (!synced)
    s.id = NULL;         /* a file's shipment has no back-office id */

  if (synced)
    {
      /* The back office's id first; else the waybill, whose row then
       * adopts the id. */
      if (!read_by (self, self->select_uuid, s.id, &old, error))
        return FALSE;
      if (old == NULL && !read_stored (self, s.waybill, &old, error))
        return FALSE;
      looked = TRUE;
    }
  /* After a stored waybill the next is likely stored too (a re-import):
   * then look first, and try the insert only when it is not. */
  else if (self->dry_run || self->expect_stored)
    {
      if (!read_stored (self, s.waybill, &old, error))
        return FALSE;
      looked = TRUE;
    }

  if (old == NULL)
    {
      if (self->dry_run)
        {
          *out_result = KL_UPSERT_NEW;
          return TRUE;
        }
      sqlite3_reset (self->insert);
      _kl_shipment_store_bind (self->insert, &s);
      if (!kl_database_step_done (self->db, self->insert, error))
        return FALSE;
      if (sqlite3_changes (kl_database_get_handle (self->db)) > 0)
        {
          self->expect_stored = FALSE;
          *out_result = KL_UPSERT_NEW;
          return contribute (self, &s, intern_customer (self, s.customer_id), +1, error);
        }
      /* The waybill is stored already. */
      if (!looked && !read_stored (self, s.waybill, &old, error))
        return FALSE;
      if (old == NULL)
        {
          g_set_error (error, KL_DATABASE_ERROR, KL_DATABASE_ERROR_SQL,
                       _("Shipment “%s”: neither inserted nor found"), s.waybill);
          return FALSE;
        }
    }

  self->expect_stored = TRUE;
  if (!synced)
    s.id = old->id;    /* an import keeps the back-office id */
  if (kl_shipment_equal_content (old, &s) && g_strcmp0 (old->id, s.id) == 0 &&
      (!synced || s.revision == 0 || s.revision == old->revision))
    {
      *out_result = KL_UPSERT_UNCHANGED;
      return TRUE;
    }
  *out_result = KL_UPSERT_UPDATED;
  if (self->dry_run)
    return TRUE;

  /* An import knows no server revision; keep the one the stored copy is
   * based on, which sync needs. */
  if (s.revision == 0)
    s.revision = old->revision;
  sqlite3_reset (self->update);
  _kl_shipment_store_bind (self->update, &s);
  sqlite3_bind_int64 (self->update, 26, old->key);
  if (!kl_database_step_done (self->db, self->update, error))
    return FALSE;
  return contribute (self, old, intern_customer (self, old->customer_id), -1, error) &&
         contribute (self, &s, intern_customer (self, s.customer_id), +1, error);
}

gboolean
kl_shipment_bulk_add (KlShipmentBulk    *self,
                      const KlShipment  *shipment,
                      KlUpsertResult    *out_result,
                      GError           **error)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (shipment != NULL, FALSE);
  g_return_val_if_fail (out_result != NULL, FALSE);

  return bulk_add (self, shipment, FALSE, out_result, error);
}

gboolean
kl_shipment_bulk_add_synced (KlShipmentBulk    *self,
                             const KlShipment  *shipment,
                             KlUpsertResult    *out_result,
                             GError           **error)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (shipment != NULL, FALSE);
  g_return_val_if_fail (shipment->id != NULL && *shipment->id != '\0', FALSE);
  g_return_val_if_fail (out_result != NULL, FALSE);

  return bulk_add (self, shipment, TRUE, out_result, error);
}

gboolean
kl_shipment_bulk_remove_by_uuid (KlShipmentBulk  *self,
                                 const char      *uuid,
                                 gboolean        *out_removed,
                                 GError         **error)
{
  g_autoptr(KlShipment) old = NULL;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (uuid != NULL, FALSE);

  if (out_removed != NULL)
    *out_removed = FALSE;
  if (!read_by (self, self->select_uuid, uuid, &old, error))
    return FALSE;
  if (old == NULL)
    return TRUE;
  if (out_removed != NULL)
    *out_removed = TRUE;
  if (self->dry_run)
    return TRUE;
  sqlite3_reset (self->delete);
  sqlite3_bind_int64 (self->delete, 1, old->key);
  if (!kl_database_step_done (self->db, self->delete, error))
    return FALSE;
  self->expect_stored = FALSE;
  return contribute (self, old, intern_customer (self, old->customer_id), -1, error);
}

gboolean
kl_shipment_bulk_finish (KlShipmentBulk  *self,
                         GError         **error)
{
  GHashTableIter iter;
  PendingRow *row;
  PendingModeRow *mode_row;

  g_return_val_if_fail (self != NULL, FALSE);

  g_hash_table_iter_init (&iter, self->rows);
  while (g_hash_table_iter_next (&iter, (gpointer *) &row, NULL))
    {
      gboolean zero = TRUE;

      for (guint i = 0; i < KL_RC_N && zero; i++)
        zero = row->counts.v[i] == 0;
      if (zero)
        continue;
      if (!_kl_shipment_store_apply_rollup (self->db, row->customer_id, row->month, row->side,
                                            row->side != NULL ? row->region : NULL, &row->counts, error))
        return FALSE;
    }
  g_hash_table_remove_all (self->rows);

  g_hash_table_iter_init (&iter, self->mode_rows);
  while (g_hash_table_iter_next (&iter, (gpointer *) &mode_row, NULL))
    {
      gboolean zero = TRUE;

      for (guint i = 0; i < KL_RM_N && zero; i++)
        zero = mode_row->counts.v[i] == 0;
      if (zero)
        continue;
      if (!_kl_shipment_store_apply_mode_rollup (self->db, mode_row->customer_id, mode_row->month,
                                                 mode_row->mode, &mode_row->counts, error))
        return FALSE;
    }
  g_hash_table_remove_all (self->mode_rows);
  return TRUE;
}
