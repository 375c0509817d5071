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

/* Where a customer's month adds up: its rows of the pending tables, found
 * without hashing (a row touches the same few every time). */
typedef struct {
  const char *side;      /* side_origin or side_dest */
  const char *region;    /* interned, "" for none */
  guint       hash;      /* text_hash (region) */
  PendingRow *row;
} RegionSlot;

#define MAX_REGION_SLOTS 64   /* beyond: looked up in the table each time */

typedef struct {
  int             month;
  PendingRow     *total;
  GArray         *regions;                /* RegionSlot */
  PendingModeRow *modes[KL_N_MODES];
} MonthBlock;

/* A customer met: its id interned and its ref, its months so far, and the
 * grace minutes of the last day asked for. */
typedef struct {
  const char *id;
  gint64      ref;
  GPtrArray  *months;                     /* MonthBlock */
  MonthBlock *last_month;
  gint64      grace_day;                  /* G_MININT64: none yet */
  int         grace_dispatch;
  int         grace_delivery;
} CustomerEntry;

static void
month_block_free (gpointer data)
{
  MonthBlock *block = data;

  g_array_unref (block->regions);
  g_free (block);
}

static void
customer_entry_free (gpointer data)
{
  CustomerEntry *entry = data;

  g_ptr_array_unref (entry->months);
  g_free (entry);
}

typedef struct {
  const char *customer_id;
  gint64      day;          /* local days since 1970-01-01 */
  int         dispatch;
  int         delivery;
} GraceEntry;

/* What one shipment adds to (sign +1) or takes from (-1) the rollups,
 * with what needed the workspace found already: its local day and the
 * grace minutes in force then. sign 0: nothing to add, only owned to
 * free. */
typedef struct {
  CustomerEntry *entry;
  KlShipment    *owned;   /* freed once summed, or NULL */
  KlShipment     s;       /* shallow: its texts are the caller's, or owned's */
  gint64         day;
  int            grace_dispatch;
  int            grace_delivery;
  int            sign;
} SumItem;

/* Items handed to the summing thread (kl_shipment_bulk_sum_aside ()). */
#define SUM_CHUNK_ITEMS 512
#define SUM_CHUNKS      4

typedef struct {
  guint    n_items;
  gboolean last;          /* the thread ends after it */
  SumItem  items[SUM_CHUNK_ITEMS];
} SumChunk;

/* The customers found by the address of a caller's id text: a table
 * without chains, an entry replaced on collision. */
#define CUSTOMER_PTR_SLOTS 4096

/* The page cache while writing into an empty shipments table, in KiB (as
 * PRAGMA cache_size takes it, negative). */
#define BULK_CACHE_FRESH_KIB (-262144)

struct _KlShipmentBulk {
  KlDatabase   *db;
  gboolean      dry_run;
  sqlite3_stmt *insert;
  sqlite3_stmt *insert_synced; /* no row on any unique key (waybill, uuid), or nothing */
  sqlite3_stmt *update;
  sqlite3_stmt *select;
  sqlite3_stmt *select_uuid;
  sqlite3_stmt *delete;
  sqlite3_stmt *set_hash;     /* an unchanged row without its hash gets it */
  char         *currency;    /* the workspace's */
  GTimeZone    *tz;
  GArray       *spans;       /* ZoneSpan, as found */
  guint         last_span;
  GStringChunk *strings;     /* interned customer ids */
  GStringChunk *regions;     /* interned regions (the summing side's) */
  sqlite3_stmt *select_ref;
  sqlite3_stmt *scan;        /* the stored columns from a waybill on, in waybill order, without a join */
  gboolean      scan_live;   /* scan stands on the row last found */
  GHashTable   *customers;   /* interned id → CustomerEntry */
  struct {
    const char    *id;     /* a caller's id text, by address */
    CustomerEntry *entry;
  }             customer_ptrs[CUSTOMER_PTR_SLOTS];  /* direct-mapped */
  gboolean      expect_stored; /* the last waybill was stored already */
  gboolean      expect_new;    /* the last synced shipment was new */
  GHashTable   *rows;        /* PendingRow → itself */
  GHashTable   *mode_rows;   /* PendingModeRow → itself */
  GHashTable   *grace;       /* GraceEntry → itself */
  gint64        now;
  int           cache_size;  /* to restore, 0: untouched */
  int           autocheckpoint;
  GPtrArray    *deferred;    /* CREATE INDEX texts dropped until finish, or NULL */

  /* The rollup sums on a thread of their own, or summer NULL. The summer
   * alone touches rows, mode_rows, regions and each CustomerEntry's
   * months until the writer waits for it (sums_drain ()). */
  GThread      *summer;
  SumChunk     *sum_chunks;  /* SUM_CHUNKS */
  GAsyncQueue  *sum_full;    /* SumChunk, in order */
  GAsyncQueue  *sum_empty;   /* SumChunk */
  SumChunk     *sum_chunk;   /* the writer's, filling, or NULL */
  guint64       sum_pushed;  /* chunks handed over */
  GMutex        sum_lock;
  GCond         sum_cond;
  guint64       sum_done;    /* chunks summed (sum_lock) */
  GError       *sum_error;   /* the summer's first failure (sum_lock) */
  gint          sum_failed;  /* atomic: sum_error is set */
};

static const char side_origin[] = "origin";
static const char side_dest[] = "dest";

/* Keys hold interned pointers: mixed well, or nearby addresses and
 * months collide in the tables. */
static inline guint
mix64 (guint64 x)
{
  return (guint) _kl_fmix64 (x);
}

static guint
pending_hash (gconstpointer key)
{
  const PendingRow *r = key;

  return mix64 ((guint64) GPOINTER_TO_SIZE (r->customer_id) * G_GUINT64_CONSTANT (0x9e3779b97f4a7c15) +
                (guint64) GPOINTER_TO_SIZE (r->region) * G_GUINT64_CONSTANT (0xc2b2ae3d27d4eb4f) +
                (guint64) GPOINTER_TO_SIZE (r->side) * G_GUINT64_CONSTANT (0x165667b19e3779f9) +
                (guint64) r->month);
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

  return mix64 ((guint64) GPOINTER_TO_SIZE (g->customer_id) * G_GUINT64_CONSTANT (0x9e3779b97f4a7c15) +
                (guint64) g->day);
}

static guint
pending_mode_hash (gconstpointer key)
{
  const PendingModeRow *r = key;

  return mix64 ((guint64) GPOINTER_TO_SIZE (r->customer_id) * G_GUINT64_CONSTANT (0x9e3779b97f4a7c15) +
                (guint64) r->mode * G_GUINT64_CONSTANT (0xc2b2ae3d27d4eb4f) + (guint64) r->month);
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
intern (GStringChunk *chunk,
        const char   *text)
{
  return g_string_chunk_insert_const (chunk, text != NULL ? text : "");
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

/* The customer with id customer_id: callers pass the same text again and
 * again (the import's cache of codes), so it is found by address first,
 * checked by content. NULL with error when no customer has that id. */
static CustomerEntry *
customer_entry (KlShipmentBulk  *self,
                const char      *customer_id,
                GError         **error)
{
  guint slot = mix64 (GPOINTER_TO_SIZE (customer_id)) & (CUSTOMER_PTR_SLOTS - 1);
  CustomerEntry *entry = self->customer_ptrs[slot].entry;
  int rc;

  if (self->customer_ptrs[slot].id == customer_id && strcmp (entry->id, customer_id) == 0)
    return entry;
  entry = g_hash_table_lookup (self->customers, customer_id);
  if (entry == NULL)
    {
      sqlite3_reset (self->select_ref);
      sqlite3_bind_text (self->select_ref, 1, customer_id, -1, SQLITE_STATIC);
      rc = sqlite3_step (self->select_ref);
      if (rc != SQLITE_ROW)
        {
          sqlite3_reset (self->select_ref);
          if (rc != SQLITE_DONE)
            kl_database_set_error (self->db, error, _("Reading a customer"));
          else
            g_set_error (error, KL_DATABASE_ERROR, KL_DATABASE_ERROR_CONSTRAINT,
                         _("No customer has the id “%s”"), customer_id);
          return NULL;
        }
      entry = g_new0 (CustomerEntry, 1);
      entry->id = intern (self->strings, customer_id);
      entry->ref = sqlite3_column_int64 (self->select_ref, 0);
      entry->months = g_ptr_array_new_with_free_func (month_block_free);
      entry->grace_day = G_MININT64;
      sqlite3_reset (self->select_ref);
      g_hash_table_insert (self->customers, (gpointer) entry->id, entry);
    }
  self->customer_ptrs[slot].id = customer_id;
  self->customer_ptrs[slot].entry = entry;
  return entry;
}

/* The block of entry's month, made when new. */
static MonthBlock *
month_block (CustomerEntry *entry,
             int            month)
{
  MonthBlock *block = entry->last_month;

  if (block != NULL && block->month == month)
    return block;
  for (guint i = 0; i < entry->months->len; i++)
    {
      block = g_ptr_array_index (entry->months, i);
      if (block->month == month)
        return entry->last_month = block;
    }
  block = g_new0 (MonthBlock, 1);
  block->month = month;
  block->regions = g_array_new (FALSE, FALSE, sizeof (RegionSlot));
  g_ptr_array_add (entry->months, block);
  return entry->last_month = block;
}

static PendingRow *
pending_row (KlShipmentBulk *self,
             const char     *customer_id,
             int             month,
             const char     *side,
             const char     *region)
{
  PendingRow key = { customer_id, side, region, month, { { 0 } } };
  PendingRow *row = g_hash_table_lookup (self->rows, &key);

  if (row == NULL)
    {
      row = g_new0 (PendingRow, 1);
      *row = key;
      g_hash_table_add (self->rows, row);
    }
  return row;
}

/* Sums without a branch per counter, so the compiler can vectorize
 * them; FALSE when any overflowed (the sums are then of no use: the
 * caller fails and the transaction is rolled back). */
static inline gboolean
sums_add (gint64       *restrict into,
          const gint64 *restrict other,
          guint                  n)
{
  guint64 overflow = 0;

  for (guint i = 0; i < n; i++)
    {
      guint64 a = (guint64) into[i], b = (guint64) other[i], sum = a + b;

      /* Signed overflow: both operands' signs differ from the sum's. */
      overflow |= (a ^ sum) & (b ^ sum);
      into[i] = (gint64) sum;
    }
  return (overflow >> 63) == 0;
}

static inline guint
text_hash (const char *text)
{
  guint h = 2166136261u;

  for (const unsigned char *p = (const unsigned char *) text; *p; p++)
    h = (h ^ *p) * 16777619u;
  return h;
}

/* The pending row of a side and region (text as the shipment has it) in
 * block; hash is text_hash () of the text. */
static PendingRow *
region_row (KlShipmentBulk *self,
            CustomerEntry  *entry,
            MonthBlock     *block,
            const char     *side,
            const char     *region,
            guint           hash)
{
  const char *text = region != NULL ? region : "";
  RegionSlot slot;

  for (guint i = 0; i < block->regions->len; i++)
    {
      RegionSlot *r = &g_array_index (block->regions, RegionSlot, i);

      if (r->hash == hash && r->side == side && strcmp (r->region, text) == 0)
        return r->row;
    }
  slot.side = side;
  slot.hash = hash;
  slot.region = intern (self->regions, text);
  slot.row = pending_row (self, entry->id, block->month, side, slot.region);
  if (block->regions->len < MAX_REGION_SLOTS)
    g_array_append_val (block->regions, slot);
  return slot.row;
}

/* Adds what item says to the pending rows. */
static gboolean
sum_item (KlShipmentBulk  *self,
          const SumItem   *item,
          GError         **error)
{
  const KlShipment *s = &item->s;
  CustomerEntry *entry = item->entry;
  KlRollupCounts counts;
  KlRollupModeCounts mode_counts;
  MonthBlock *block;
  PendingModeRow *mode_row;
  int year, month, mday;

  if (!_kl_shipment_rollup_counts (s, item->grace_dispatch, item->grace_delivery, &counts))
    return TRUE;
  _kl_shipment_rollup_mode_counts (s, item->grace_delivery, &mode_counts);
  if (item->sign < 0)
    {
      for (guint i = 0; i < KL_RC_N; i++)
        counts.v[i] = -counts.v[i];
      for (guint i = 0; i < KL_RM_N; i++)
        mode_counts.v[i] = -mode_counts.v[i];
    }

  civil_from_days (item->day, &year, &month, &mday);
  month = kl_month_make (year, month);
  block = month_block (entry, month);
  if (block->total == NULL)
    block->total = pending_row (self, entry->id, month, NULL, NULL);
  mode_row = block->modes[s->mode];
  if (mode_row == NULL)
    {
      PendingModeRow key = { entry->id, month, s->mode, { { 0 } } };

      mode_row = g_hash_table_lookup (self->mode_rows, &key);
      if (mode_row == NULL)
        {
          mode_row = g_new0 (PendingModeRow, 1);
          *mode_row = key;
          g_hash_table_add (self->mode_rows, mode_row);
        }
      block->modes[s->mode] = mode_row;
    }
  {
    PendingRow *origin = region_row (self, entry, block, side_origin, s->origin_region,
                                     text_hash (s->origin_region != NULL ? s->origin_region : ""));
    PendingRow *dest = region_row (self, entry, block, side_dest, s->dest_region,
                                   text_hash (s->dest_region != NULL ? s->dest_region : ""));
    gboolean ok = sums_add (block->total->counts.v, counts.v, KL_RC_N);

    ok &= sums_add (origin->counts.v, counts.v, KL_RC_N);
    ok &= sums_add (dest->counts.v, counts.v, KL_RC_N);
    ok &= sums_add (mode_row->counts.v, mode_counts.v, KL_RM_TRANSIT_0);
    /* A shipment counts in one transit bucket at most: the others' cache
     * lines are left alone. */
    for (guint i = KL_RM_TRANSIT_0; i < KL_RM_N; i++)
      if (mode_counts.v[i] != 0)
        ok &= sums_add (&mode_row->counts.v[i], &mode_counts.v[i], 1);
    if (!ok)
      return overflow_error (month, error);
  }
  return TRUE;
}

/* The summing thread: chunk after chunk until the last. After a failure
 * it only frees what the items own. */
static gpointer
sum_thread (gpointer data)
{
  KlShipmentBulk *self = data;
  gboolean last = FALSE;

  while (!last)
    {
      SumChunk *chunk = g_async_queue_pop (self->sum_full);

      last = chunk->last;
      for (guint i = 0; i < chunk->n_items; i++)
        {
          SumItem *item = &chunk->items[i];
          GError *error = NULL;

          if (item->sign != 0 && !g_atomic_int_get (&self->sum_failed) && !sum_item (self, item, &error))
            {
              g_mutex_lock (&self->sum_lock);
              self->sum_error = error;
              g_mutex_unlock (&self->sum_lock);
              g_atomic_int_set (&self->sum_failed, TRUE);
            }
          g_clear_pointer (&item->owned, kl_shipment_free);
        }
      chunk->n_items = 0;
      chunk->last = FALSE;
      g_async_queue_push (self->sum_empty, chunk);
      g_mutex_lock (&self->sum_lock);
      self->sum_done++;
      g_cond_broadcast (&self->sum_cond);
      g_mutex_unlock (&self->sum_lock);
    }
  return NULL;
}

/* The writer's chunk to the summer. */
static void
sum_hand_over (KlShipmentBulk *self,
               gboolean        last)
{
  if (self->sum_chunk == NULL)
    {
      if (!last)
        return;
      self->sum_chunk = g_async_queue_pop (self->sum_empty);
    }
  self->sum_chunk->last = last;
  g_async_queue_push (self->sum_full, g_steal_pointer (&self->sum_chunk));
  self->sum_pushed++;
}

static void
sum_push (KlShipmentBulk *self,
          const SumItem  *item)
{
  if (self->sum_chunk == NULL)
    self->sum_chunk = g_async_queue_pop (self->sum_empty);
  self->sum_chunk->items[self->sum_chunk->n_items++] = *item;
  if (self->sum_chunk->n_items == SUM_CHUNK_ITEMS)
    sum_hand_over (self, FALSE);
}

/* Everything handed over is summed: the pending rows are the writer's
 * again. FALSE with the summer's error when a sum failed. */
static gboolean
sums_drain (KlShipmentBulk  *self,
            GError         **error)
{
  gboolean ok;

  if (self->summer == NULL)
    return TRUE;
  kl_shipment_bulk_sums_wait (self, kl_shipment_bulk_sums_mark (self));
  g_mutex_lock (&self->sum_lock);
  ok = self->sum_error == NULL;
  if (!ok)
    g_propagate_error (error, g_error_copy (self->sum_error));
  g_mutex_unlock (&self->sum_lock);
  return ok;
}

/* owned, no longer needed: freed now, or once the summer is past the
 * items that may still read it. */
static void
release (KlShipmentBulk *self,
         KlShipment     *owned)
{
  SumItem item = { 0 };

  if (owned == NULL)
    return;
  if (self->summer == NULL)
    {
      kl_shipment_free (owned);
      return;
    }
  item.owned = owned;
  sum_push (self, &item);
}

/* Adds (sign +1) or takes away (-1) what s contributes; entry is its
 * customer's. owned (or NULL) is freed after; s may point into it. With a
 * summer, s is only read later: its texts must stay until then. */
static gboolean
contribute (KlShipmentBulk    *self,
            const KlShipment  *s,
            CustomerEntry     *entry,
            int                sign,
            KlShipment        *owned,
            GError           **error)
{
  SumItem item;
  gboolean ok;
  int year, month, mday;

  if (s->status == KL_SHIPMENT_STATUS_CANCELLED)
    {
      release (self, owned);
      return TRUE;   /* counts nowhere */
    }

  item.entry = entry;
  item.owned = owned;
  item.s = *s;
  item.sign = sign;
  item.day = local_day (self, s->planned_pickup_at);
  if (entry->grace_day != item.day)
    {
      GraceEntry key, *grace;

      key.customer_id = entry->id;
      key.day = item.day;
      grace = g_hash_table_lookup (self->grace, &key);
      if (grace == NULL)
        {
          char date[11];

          civil_from_days (item.day, &year, &month, &mday);
          g_snprintf (date, sizeof date, "%04d-%02d-%02d", year % 10000, month, mday);
          if (!_kl_agreement_store_grace (self->db, entry->id, date, &key.dispatch, &key.delivery, error))
            {
              release (self, owned);
              return FALSE;
            }
          grace = g_memdup2 (&key, sizeof key);
          g_hash_table_add (self->grace, grace);
        }
      entry->grace_day = item.day;
      entry->grace_dispatch = grace->dispatch;
      entry->grace_delivery = grace->delivery;
    }
  item.grace_dispatch = entry->grace_dispatch;
  item.grace_delivery = entry->grace_delivery;

  if (self->summer != NULL)
    {
      sum_push (self, &item);
      return TRUE;
    }
  ok = sum_item (self, &item, error);
  g_clear_pointer (&item.owned, kl_shipment_free);
  return ok;
}

/* The pending rows are written and gone: every block forgets them. */
static void
forget_blocks (KlShipmentBulk *self)
{
  GHashTableIter iter;
  CustomerEntry *entry;

  g_hash_table_iter_init (&iter, self->customers);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &entry))
    {
      g_ptr_array_set_size (entry->months, 0);
      entry->last_month = NULL;
    }
}

/* The writer */

/* Into an empty shipments table, the secondary indexes that are not
 * constraints (the customer's) are dropped, and built once, sorted, by
 * kl_shipment_bulk_finish (): cheaper than inserting every row's entry
 * where it belongs, and the pages come out full. The transaction undoes
 * the drop when the caller rolls back. */
static gboolean
defer_indexes (KlShipmentBulk  *self,
               sqlite3         *handle,
               GError         **error)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt = NULL;
  gboolean empty = FALSE;
  int rc;

  if (sqlite3_prepare_v2 (handle, "SELECT NOT EXISTS (SELECT 1 FROM shipments)", -1, &stmt, NULL) != SQLITE_OK)
    return kl_database_set_error (self->db, error, _("Reading shipments"));
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    empty = sqlite3_column_int (stmt, 0) != 0;
  sqlite3_finalize (stmt);
  if (rc != SQLITE_ROW)
    return kl_database_set_error (self->db, error, _("Reading shipments"));
  if (!empty)
    return TRUE;

  if (sqlite3_prepare_v2 (handle, "SELECT name, sql FROM sqlite_schema WHERE type = 'index' "
                          "AND tbl_name = 'shipments' AND sql IS NOT NULL "
                          "AND sql NOT LIKE 'CREATE UNIQUE %'", -1, &stmt, NULL) != SQLITE_OK)
    return kl_database_set_error (self->db, error, _("Reading shipments"));
  self->deferred = g_ptr_array_new_with_free_func (g_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_ptr_array_add (names, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
      g_ptr_array_add (self->deferred, g_strdup ((const char *) sqlite3_column_text (stmt, 1)));
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    return kl_database_set_error (self->db, error, _("Reading shipments"));
  for (guint i = 0; i < names->len; i++)
    {
      char *sql = sqlite3_mprintf ("DROP INDEX \"%w\"", (const char *) g_ptr_array_index (names, i));

      rc = sqlite3_exec (handle, sql, NULL, NULL, NULL);
      sqlite3_free (sql);
      if (rc != SQLITE_OK)
        return kl_database_set_error (self->db, error, _("Indexing the shipments"));
    }
  return TRUE;
}

/* The indexes defer_indexes () dropped, built again. */
static gboolean
build_deferred (KlShipmentBulk  *self,
                GError         **error)
{
  if (self->deferred == NULL)
    return TRUE;
  for (guint i = 0; i < self->deferred->len; i++)
    if (sqlite3_exec (kl_database_get_handle (self->db), g_ptr_array_index (self->deferred, i),
                      NULL, NULL, NULL) != SQLITE_OK)
      return kl_database_set_error (self->db, error, _("Indexing the shipments"));
  g_clear_pointer (&self->deferred, g_ptr_array_unref);
  return TRUE;
}

/* Rollup rows in their table's key order */

/* A row's key as ranks, compared in order, and where the row is. */
typedef struct {
  gint32 k[4];
  guint  index;
} KeyOrder;

static int
key_order_compare (gconstpointer a,
                   gconstpointer b)
{
  const KeyOrder *x = a, *y = b;

  for (guint i = 0; i < G_N_ELEMENTS (x->k); i++)
    if (x->k[i] != y->k[i])
      return x->k[i] < y->k[i] ? -1 : 1;
  return 0;
}

static int
text_compare (gconstpointer a,
              gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* Each text of ranks (a set of pointers) gets its rank in byte order, as
 * SQLite's BINARY collation sorts it, from 1; NULL (a portfolio row's
 * customer, bound as "") ranks 0. */
static void
rank_texts (GHashTable *ranks)
{
  guint n = 0;
  g_autofree gpointer *texts = g_hash_table_get_keys_as_array (ranks, &n);

  if (n > 1)
    qsort (texts, n, sizeof *texts, text_compare);
  for (guint i = 0; i < n; i++)
    g_hash_table_insert (ranks, texts[i], GUINT_TO_POINTER (i + 1));
}

static gint32
text_rank (GHashTable *ranks,
           const char *text)
{
  return text != NULL ? (gint32) GPOINTER_TO_UINT (g_hash_table_lookup (ranks, text)) : 0;
}

/* Puts rows (of element_size bytes) in the order of order, which holds
 * their keys; order is sorted. */
static void
reorder (GArray   *rows,
         KeyOrder *order)
{
  guint size = g_array_get_element_size (rows);
  g_autofree char *sorted = NULL;

  if (rows->len < 2)
    return;
  sorted = g_malloc ((gsize) rows->len * size);
  qsort (order, rows->len, sizeof *order, key_order_compare);
  for (guint i = 0; i < rows->len; i++)
    memcpy (sorted + (gsize) i * size, rows->data + (gsize) order[i].index * size, size);
  memcpy (rows->data, sorted, (gsize) rows->len * size);
}

/* The rollup rows to write, each table's in the order of its primary key
 * (rollup_month: customer, month; rollup_month_region: side, month, region,
 * customer; rollup_month_mode: month, customer, mode): SQLite then inserts
 * each next to the last, on pages it has just read, instead of all over
 * the table. */
static void
sort_deltas (GArray *months,
             GArray *regions,
             GArray *modes)
{
  g_autoptr(GHashTable) ranks = g_hash_table_new (NULL, NULL);
  gint32 mode_rank[KL_N_MODES];
  g_autofree KeyOrder *order = NULL;
  guint n = MAX (MAX (months->len, regions->len), modes->len);

  if (n == 0)
    return;
  for (guint i = 0; i < months->len; i++)
    {
      KlRollupDelta *d = &g_array_index (months, KlRollupDelta, i);

      if (d->customer_id != NULL)
        g_hash_table_add (ranks, (gpointer) d->customer_id);
    }
  for (guint i = 0; i < regions->len; i++)
    {
      KlRollupDelta *d = &g_array_index (regions, KlRollupDelta, i);

      if (d->customer_id != NULL)
        g_hash_table_add (ranks, (gpointer) d->customer_id);
      g_hash_table_add (ranks, (gpointer) d->side);
      g_hash_table_add (ranks, (gpointer) d->region);
    }
  for (guint i = 0; i < modes->len; i++)
    g_hash_table_add (ranks, (gpointer) g_array_index (modes, KlRollupModeDelta, i).customer_id);
  rank_texts (ranks);
  {
    const char *texts[KL_N_MODES];

    for (guint m = 0; m < KL_N_MODES; m++)
      texts[m] = m == KL_MODE_NONE ? "" : kl_shipment_mode_to_string (m);
    for (guint m = 0; m < KL_N_MODES; m++)
      {
        mode_rank[m] = 0;
        for (guint o = 0; o < KL_N_MODES; o++)
          mode_rank[m] += strcmp (texts[o], texts[m]) < 0;
      }
  }

  order = g_new (KeyOrder, n);
  for (guint i = 0; i < months->len; i++)
    {
      KlRollupDelta *d = &g_array_index (months, KlRollupDelta, i);

      order[i] = (KeyOrder) { { text_rank (ranks, d->customer_id), d->month, 0, 0 }, i };
    }
  reorder (months, order);
  for (guint i = 0; i < regions->len; i++)
    {
      KlRollupDelta *d = &g_array_index (regions, KlRollupDelta, i);

      order[i] = (KeyOrder) { { text_rank (ranks, d->side), d->month, text_rank (ranks, d->region),
                                text_rank (ranks, d->customer_id) }, i };
    }
  reorder (regions, order);
  for (guint i = 0; i < modes->len; i++)
    {
      KlRollupModeDelta *d = &g_array_index (modes, KlRollupModeDelta, i);

      order[i] = (KeyOrder) { { d->month, text_rank (ranks, d->customer_id), mode_rank[d->mode], 0 }, i };
    }
  reorder (modes, order);
}

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
  self->regions = g_string_chunk_new (4096);
  g_mutex_init (&self->sum_lock);
  g_cond_init (&self->sum_cond);
  self->rows = g_hash_table_new_full (pending_hash, pending_equal, g_free, NULL);
  self->mode_rows = g_hash_table_new_full (pending_mode_hash, pending_mode_equal, g_free, NULL);
  self->currency = kl_database_get_currency (db);
  self->customers = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, customer_entry_free);
  self->grace = g_hash_table_new_full (grace_hash, grace_equal, g_free, NULL);
  self->now = g_get_real_time () / G_USEC_PER_SEC;
  handle = kl_database_get_handle (db);
  if (sqlite3_prepare_v3 (handle, SHIPMENT_SELECT " WHERE s.waybill = ?",
                          -1, SQLITE_PREPARE_PERSISTENT, &self->select, NULL) != SQLITE_OK ||
      sqlite3_prepare_v3 (handle, SHIPMENT_SELECT " WHERE s.uuid = ?",
                          -1, SQLITE_PREPARE_PERSISTENT, &self->select_uuid, NULL) != SQLITE_OK ||
      sqlite3_prepare_v3 (handle, "SELECT ref FROM customers WHERE id = ?",
                          -1, SQLITE_PREPARE_PERSISTENT, &self->select_ref, NULL) != SQLITE_OK ||
      sqlite3_prepare_v3 (handle, "SELECT customer_ref, content_hash, waybill FROM shipments WHERE waybill >= ? "
                          "ORDER BY waybill", -1, SQLITE_PREPARE_PERSISTENT, &self->scan, NULL) != SQLITE_OK)
    {
      kl_database_set_error (db, error, _("Preparing a query"));
      return NULL;
    }
  if (dry_run)
    return g_steal_pointer (&self);

  /* The writer's own statements: no cache look-up per row. */

  /* Bulk work: no automatic checkpoint until the end. Into an empty
   * shipments table, a page cache that holds what is being written (256
   * MiB at most, taken only as pages are read) instead of spilling it to
   * the WAL mid-transaction. Into a filled one the connection's own (64
   * MiB by default) does better: new rows go to the ends of the table and
   * its indexes, a page is done with once full, and a bigger cache only
   * took fresh memory for every page (1 000 000 new rows into the 10 M
   * bench workspace: 4.3 s against 4.7-4.8 s, 168 against 344 MB).
   * Both are put back by kl_shipment_bulk_free (), which checkpoints. */
  self->autocheckpoint = pragma_get (handle, "PRAGMA wal_autocheckpoint", -1);
  if (self->autocheckpoint > 0)
    pragma_set (handle, "wal_autocheckpoint", 0);
  if (!defer_indexes (self, handle, error))
    return NULL;
  self->cache_size = pragma_get (handle, "PRAGMA cache_size", 0);
  if (self->deferred != NULL && self->cache_size != 0 && self->cache_size > BULK_CACHE_FRESH_KIB)
    pragma_set (handle, "cache_size", BULK_CACHE_FRESH_KIB);
  else
    self->cache_size = 0;
  self->expect_new = TRUE;
  if (sqlite3_prepare_v3 (handle, SHIPMENT_INSERT_REF_SQL " ON CONFLICT (waybill) DO NOTHING",
                          -1, SQLITE_PREPARE_PERSISTENT, &self->insert, NULL) != SQLITE_OK ||
      sqlite3_prepare_v3 (handle, SHIPMENT_INSERT_REF_SQL " ON CONFLICT DO NOTHING",
                          -1, SQLITE_PREPARE_PERSISTENT, &self->insert_synced, NULL) != SQLITE_OK ||
      sqlite3_prepare_v3 (handle, SHIPMENT_UPDATE_SQL, -1, SQLITE_PREPARE_PERSISTENT, &self->update, NULL) != SQLITE_OK ||
      sqlite3_prepare_v3 (handle, "DELETE FROM shipments WHERE id = ?", -1, SQLITE_PREPARE_PERSISTENT,
                          &self->delete, NULL) != SQLITE_OK ||
      sqlite3_prepare_v3 (handle, "UPDATE shipments SET content_hash = ? WHERE id = ?", -1, SQLITE_PREPARE_PERSISTENT,
                          &self->set_hash, NULL) != SQLITE_OK)
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
  if (self->summer != NULL)
    {
      sum_hand_over (self, TRUE);
      g_thread_join (self->summer);
      g_async_queue_unref (self->sum_full);
      g_async_queue_unref (self->sum_empty);
      g_free (self->sum_chunks);
    }
  g_clear_error (&self->sum_error);
  g_mutex_clear (&self->sum_lock);
  g_cond_clear (&self->sum_cond);
  sqlite3_finalize (self->insert);
  sqlite3_finalize (self->insert_synced);
  sqlite3_finalize (self->update);
  sqlite3_finalize (self->select);
  sqlite3_finalize (self->select_uuid);
  sqlite3_finalize (self->select_ref);
  sqlite3_finalize (self->scan);
  sqlite3_finalize (self->delete);
  sqlite3_finalize (self->set_hash);
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
  g_clear_pointer (&self->deferred, g_ptr_array_unref);
  g_clear_pointer (&self->rows, g_hash_table_unref);
  g_clear_pointer (&self->mode_rows, g_hash_table_unref);
  g_clear_pointer (&self->customers, g_hash_table_unref);
  g_free (self->currency);
  g_clear_pointer (&self->grace, g_hash_table_unref);
  g_clear_pointer (&self->strings, g_string_chunk_free);
  g_clear_pointer (&self->regions, g_string_chunk_free);
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

static inline gboolean
text_equal (sqlite3_stmt *stmt,
            int           col,
            const char   *text)
{
  const char *stored = (const char *) sqlite3_column_text (stmt, col);

  if (stored == NULL || text == NULL)
    return stored == NULL && text == NULL;
  return strcmp (stored, text) == 0;
}

/* The scan of look_quick () stops before anything is written. */
static void
scan_stop (KlShipmentBulk *self)
{
  if (self->scan_live)
    sqlite3_reset (self->scan);
  self->scan_live = FALSE;
}

/* The scan's columns. */
#define SCAN_REF     0
#define SCAN_HASH    1
#define SCAN_WAYBILL 2

/* For an import: TRUE in *out_found when waybill is stored, and in
 * *out_equal when the stored row holds s already, told by its customer's
 * ref and content hash (an import keeps the stored uuid, so that is not
 * compared). A stored row found but not equal so is read and compared in
 * full: it may have no hash (written before schema 9) or another one (a
 * later hash); then *out_rehash is TRUE. No allocation: a re-import
 * mostly finds its rows unchanged. A file usually lists its waybills in
 * the order they are stored in: so the look-up walks on through the
 * waybill index from the row found last, one step a row, and seeks
 * afresh only when the next stored waybill is not the one asked for. */
static gboolean
look_quick (KlShipmentBulk    *self,
            const KlShipment  *s,
            gint64             ref,
            gint64             hash,
            gboolean          *out_found,
            gboolean          *out_equal,
            gboolean          *out_rehash,
            GError           **error)
{
  int rc = SQLITE_DONE;

  *out_found = FALSE;
  *out_equal = FALSE;
  *out_rehash = FALSE;
  if (self->scan_live)
    {
      rc = sqlite3_step (self->scan);
      if (rc == SQLITE_ROW && text_equal (self->scan, SCAN_WAYBILL, s->waybill))
        *out_found = TRUE;
      else
        scan_stop (self);
    }
  if (!*out_found && (rc == SQLITE_ROW || rc == SQLITE_DONE))
    {
      sqlite3_reset (self->scan);
      sqlite3_bind_text (self->scan, 1, s->waybill, -1, SQLITE_STATIC);
      rc = sqlite3_step (self->scan);
      self->scan_live = rc == SQLITE_ROW;
      *out_found = rc == SQLITE_ROW && text_equal (self->scan, SCAN_WAYBILL, s->waybill);
      if (!*out_found)
        scan_stop (self);
    }
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      kl_database_set_error (self->db, error, _("Reading a shipment"));
      scan_stop (self);
      return FALSE;
    }
  if (!*out_found)
    return TRUE;
  /* A row written since schema 9 carries the hash of its content; an
   * older row, or one changed by a writer that does not know the hash
   * (the schema's trigger cleared it), has none. */
  *out_equal = sqlite3_column_type (self->scan, SCAN_HASH) != SQLITE_NULL &&
               sqlite3_column_int64 (self->scan, SCAN_REF) == ref &&
               sqlite3_column_int64 (self->scan, SCAN_HASH) == hash;
  *out_rehash = !*out_equal;
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

/* Inserts s with insert (an INSERT … ON CONFLICT DO NOTHING); when a row
 * went in (*inserted), it is counted in the rollups. */
static gboolean
insert_new (KlShipmentBulk     *self,
            sqlite3_stmt       *insert,
            const KlShipment   *s,
            gint64              hash,
            CustomerEntry      *customer,
            gboolean           *inserted,
            GError            **error)
{
  scan_stop (self);
  sqlite3_reset (insert);
  _kl_shipment_store_bind_hashed (insert, s, hash);
  sqlite3_bind_int64 (insert, 3, customer->ref);
  if (!kl_database_step_done (self->db, insert, error))
    return FALSE;
  *inserted = sqlite3_changes (kl_database_get_handle (self->db)) > 0;
  if (!*inserted)
    return TRUE;
  self->expect_stored = FALSE;
  self->expect_new = TRUE;
  return contribute (self, s, customer, +1, NULL, error);
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
  gboolean rehash = FALSE;
  KlShipment s;
  gint64 hash;

  if (g_atomic_int_get (&self->sum_failed))
    return sums_drain (self, error);
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
  hash = _kl_shipment_content_hash (&s);

  if (synced)
    {
      /* While the shipments pulled are new (a first pull), insert first:
       * a row already stored under the id or the waybill makes the insert
       * do nothing, and then it is looked up as below. */
      if (self->expect_new && !self->dry_run)
        {
          CustomerEntry *customer = customer_entry (self, s.customer_id, error);
          gboolean inserted;

          if (customer == NULL || !insert_new (self, self->insert_synced, &s, hash, customer, &inserted, error))
            return FALSE;
          if (inserted)
            {
              *out_result = KL_UPSERT_NEW;
              return TRUE;
            }
          self->expect_new = FALSE;
        }
      /* The back office's id first; else the waybill, whose row then
       * adopts the id. */
      if (!read_by (self, self->select_uuid, s.id, &old, error))
        return FALSE;
      if (old == NULL && !read_stored (self, s.waybill, &old, error))
        return FALSE;
      looked = TRUE;
    }
  /* After a stored waybill the next is likely stored too (a re-import):
   * then look first, and try the insert only when it is not. An
   * unchanged row is told in place, without reading it out. */
  else if (self->dry_run || self->expect_stored)
    {
      CustomerEntry *customer = customer_entry (self, s.customer_id, error);
      gboolean found, equal;

      if (customer == NULL || !look_quick (self, &s, customer->ref, hash, &found, &equal, &rehash, error))
        return FALSE;
      if (found && equal)
        {
          self->expect_stored = TRUE;
          *out_result = KL_UPSERT_UNCHANGED;
          return TRUE;
        }
      if (found && !read_stored (self, s.waybill, &old, error))
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
      CustomerEntry *customer = customer_entry (self, s.customer_id, error);
      gboolean inserted;

      if (customer == NULL || !insert_new (self, self->insert, &s, hash, customer, &inserted, error))
        return FALSE;
      if (inserted)
        {
          *out_result = KL_UPSERT_NEW;
          return TRUE;
        }
      /* The waybill is stored already: told unchanged by its hash, or
       * read. */
      if (!looked)
        {
          gboolean found, equal;

          if (!look_quick (self, &s, customer->ref, hash, &found, &equal, &rehash, error))
            return FALSE;
          if (found && equal)
            {
              self->expect_stored = TRUE;
              *out_result = KL_UPSERT_UNCHANGED;
              return TRUE;
            }
          if (!read_stored (self, s.waybill, &old, error))
            return FALSE;
        }
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
      /* A row without this content's hash (from before schema 9) gets
       * it, so that the next re-import tells it unchanged in place. */
      if (rehash && !self->dry_run)
        {
          scan_stop (self);
          sqlite3_reset (self->set_hash);
          sqlite3_bind_int64 (self->set_hash, 1, hash);
          sqlite3_bind_int64 (self->set_hash, 2, old->key);
          return kl_database_step_done (self->db, self->set_hash, error);
        }
      return TRUE;
    }
  *out_result = KL_UPSERT_UPDATED;
  if (self->dry_run)
    return TRUE;

  /* An import knows no server revision; keep the one the stored copy is
   * based on, which sync needs. */
  if (s.revision == 0)
    s.revision = old->revision;
  scan_stop (self);
  sqlite3_reset (self->update);
  _kl_shipment_store_bind_hashed (self->update, &s, hash);
  sqlite3_bind_int64 (self->update, SHIPMENT_UPDATE_KEY, old->key);
  if (!kl_database_step_done (self->db, self->update, error))
    return FALSE;
  {
    CustomerEntry *old_customer = customer_entry (self, old->customer_id, error);
    CustomerEntry *new_customer = old_customer != NULL ? customer_entry (self, s.customer_id, error) : NULL;

    /* The second item owns old: s.id may be old's, and the first reads
     * old before. */
    return new_customer != NULL &&
           contribute (self, old, old_customer, -1, NULL, error) &&
           contribute (self, &s, new_customer, +1, g_steal_pointer (&old), error);
  }
}

void
kl_shipment_bulk_sum_aside (KlShipmentBulk *self)
{
  g_return_if_fail (self != NULL);

  if (self->summer != NULL || self->dry_run)
    return;
  self->sum_chunks = g_new (SumChunk, SUM_CHUNKS);
  self->sum_full = g_async_queue_new ();
  self->sum_empty = g_async_queue_new ();
  for (guint i = 0; i < SUM_CHUNKS; i++)
    {
      self->sum_chunks[i].n_items = 0;
      self->sum_chunks[i].last = FALSE;
      g_async_queue_push (self->sum_empty, &self->sum_chunks[i]);
    }
  self->summer = g_thread_new ("kl-bulk-sums", sum_thread, self);
}

guint64
kl_shipment_bulk_sums_mark (KlShipmentBulk *self)
{
  g_return_val_if_fail (self != NULL, 0);

  if (self->summer == NULL)
    return 0;
  sum_hand_over (self, FALSE);
  return self->sum_pushed;
}

void
kl_shipment_bulk_sums_wait (KlShipmentBulk *self,
                            guint64         mark)
{
  g_return_if_fail (self != NULL);

  if (self->summer == NULL)
    return;
  g_mutex_lock (&self->sum_lock);
  while (self->sum_done < mark)
    g_cond_wait (&self->sum_cond, &self->sum_lock);
  g_mutex_unlock (&self->sum_lock);
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
  scan_stop (self);
  sqlite3_reset (self->delete);
  sqlite3_bind_int64 (self->delete, 1, old->key);
  if (!kl_database_step_done (self->db, self->delete, error))
    return FALSE;
  self->expect_stored = FALSE;
  {
    CustomerEntry *customer = customer_entry (self, old->customer_id, error);
    KlShipment *gone;

    if (customer == NULL)
      return FALSE;
    /* The item owns it (steal first, pass after: no order of evaluation
     * to rely on). */
    gone = g_steal_pointer (&old);
    return contribute (self, gone, customer, -1, gone, error);
  }
}

gboolean
kl_shipment_bulk_finish (KlShipmentBulk  *self,
                         GError         **error)
{
  g_autoptr(GHashTable) portfolio = NULL;
  g_autoptr(GArray) modes = g_array_new (FALSE, FALSE, sizeof (KlRollupModeDelta));
  g_autoptr(GArray) empty = g_array_new (FALSE, FALSE, sizeof (KlRollupDelta));
  GHashTableIter iter;
  PendingRow *row;
  PendingModeRow *mode_row;

  g_return_val_if_fail (self != NULL, FALSE);

  scan_stop (self);
  if (!sums_drain (self, error))
    return FALSE;
  /* The portfolio's rows: the sums of the customers'. */
  portfolio = g_hash_table_new_full (pending_hash, pending_equal, g_free, NULL);
  g_hash_table_iter_init (&iter, self->rows);
  while (g_hash_table_iter_next (&iter, (gpointer *) &row, NULL))
    {
      PendingRow key = { NULL, row->side, row->region, row->month, { { 0 } } };
      PendingRow *sum = g_hash_table_lookup (portfolio, &key);

      if (sum == NULL)
        {
          sum = g_new0 (PendingRow, 1);
          *sum = key;
          g_hash_table_add (portfolio, sum);
        }
      if (!kl_rollup_counts_add (&sum->counts, &row->counts))
        return overflow_error (row->month, error);
    }

  /* Each table's rows together, many a statement. */
  for (guint pass = 0; pass < 2; pass++)
    {
      g_autoptr(GArray) months = g_array_new (FALSE, FALSE, sizeof (KlRollupDelta));
      g_autoptr(GArray) regions = g_array_new (FALSE, FALSE, sizeof (KlRollupDelta));

      g_hash_table_iter_init (&iter, pass == 0 ? self->rows : portfolio);
      while (g_hash_table_iter_next (&iter, (gpointer *) &row, NULL))
        {
          KlRollupDelta delta = { row->customer_id, row->month, row->side,
                                  row->side != NULL ? row->region : NULL, &row->counts };
          gboolean zero = TRUE;

          for (guint i = 0; i < KL_RC_N && zero; i++)
            zero = row->counts.v[i] == 0;
          if (!zero)
            g_array_append_val (row->side != NULL ? regions : months, delta);
        }
      sort_deltas (months, regions, empty);
      if (!_kl_shipment_store_apply_rollups (self->db, (KlRollupDelta *) months->data, months->len, error) ||
          !_kl_shipment_store_apply_rollups (self->db, (KlRollupDelta *) regions->data, regions->len, error))
        return FALSE;
    }
  g_hash_table_remove_all (self->rows);

  g_hash_table_iter_init (&iter, self->mode_rows);
  while (g_hash_table_iter_next (&iter, (gpointer *) &mode_row, NULL))
    {
      KlRollupModeDelta delta = { mode_row->customer_id, mode_row->month, mode_row->mode, &mode_row->counts };
      gboolean zero = TRUE;

      for (guint i = 0; i < KL_RM_N && zero; i++)
        zero = mode_row->counts.v[i] == 0;
      if (!zero)
        g_array_append_val (modes, delta);
    }
  sort_deltas (empty, empty, modes);
  if (!_kl_shipment_store_apply_mode_rollups (self->db, (KlRollupModeDelta *) modes->data, modes->len, error))
    return FALSE;
  g_hash_table_remove_all (self->mode_rows);
  forget_blocks (self);
  return build_deferred (self, error);
}
