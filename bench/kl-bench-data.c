/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Synthetic workspaces for the benchmarks: many shipments, each a pure
 * function of its number, so a slice can be stored or exported on its own. */

#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "kl-bench-data.h"
#include "kl-customer-store.h"
#include "kl-shipment-bulk.h"
#include "kl-shipment-store.h"

typedef struct {
  const char *region;
  const char *cities[2];
} BenchRegion;

static const BenchRegion regions[] = {
  { "华东", { "上海", "杭州" } },
  { "华南", { "广州", "深圳" } },
  { "华北", { "北京", "天津" } },
  { "华中", { "武汉", "长沙" } },
  { "西南", { "成都", "重庆" } },
  { "西北", { "西安", "兰州" } },
  { "东北", { "沈阳", "哈尔滨" } },
};

/* Everything random about one shipment, before it becomes a record or a
 * CSV line. */
typedef struct {
  guint             customer;
  KlShipmentStatus  status;
  KlShipmentMode    mode;
  const char       *origin_city;
  const char       *origin_region;
  const char       *dest_city;
  const char       *dest_region;
  gint64            pieces;
  gint64            weight_g;
  gint64            volume_cm3;
  gint64            planned_pickup_at;
  gint64            picked_up_at;
  gint64            planned_delivery_at;
  gint64            delivered_at;
  KlTri             documents_ok;
  KlTri             order_accurate;
  gint64            damaged_pieces;
  gint64            short_pieces;
  gboolean          incident;
  gint64            revenue_minor;   /* -1: none */
  const char       *currency;        /* NULL: the workspace's (CNY) */
} BenchRow;

/* splitmix64: a fast generator whose whole state is one number, so each
 * shipment seeds its own from its number. */
typedef struct {
  guint64 state;
} BenchRand;

static guint64
bench_rand_next (BenchRand *r)
{
  guint64 z = (r->state += G_GUINT64_CONSTANT (0x9e3779b97f4a7c15));

  z = (z ^ (z >> 30)) * G_GUINT64_CONSTANT (0xbf58476d1ce4e5b9);
  z = (z ^ (z >> 27)) * G_GUINT64_CONSTANT (0x94d049bb133111eb);
  return z ^ (z >> 31);
}

/* Uniform in [0, 1). */
static double
bench_rand_double (BenchRand *r)
{
  return (double) (bench_rand_next (r) >> 11) * (1.0 / 9007199254740992.0);
}

/* Uniform in [lo, hi). */
static gint64
bench_rand_range (BenchRand *r,
                  gint64     lo,
                  gint64     hi)
{
  g_assert (hi > lo);
  return lo + (gint64) (bench_rand_next (r) % (guint64) (hi - lo));
}

/* TRUE with probability 1/n. */
static gboolean
bench_rand_one_in (BenchRand *r,
                   guint      n)
{
  return bench_rand_next (r) % n == 0;
}

void
kl_bench_generator_init (KlBenchGenerator   *gen,
                         const KlBenchShape *shape,
                         GTimeZone          *tz)
{
  g_autoptr(GDateTime) last = NULL;
  g_autoptr(GDateTime) end = NULL;
  g_autoptr(GDateTime) start = NULL;

  g_return_if_fail (shape->n_customers > 0 && shape->years > 0);

  memset (gen, 0, sizeof *gen);
  gen->shape = *shape;
  gen->tz = g_time_zone_ref (tz);
  last = g_date_time_new (tz, shape->last_month / 100, shape->last_month % 100, 1, 0, 0, 0);
  end = g_date_time_add_months (last, 1);
  start = g_date_time_add_years (end, -(int) shape->years);
  gen->start = g_date_time_to_unix (start);
  gen->span = g_date_time_to_unix (end) - gen->start;
}

void
kl_bench_generator_clear (KlBenchGenerator *gen)
{
  g_clear_pointer (&gen->tz, g_time_zone_unref);
}

char *
kl_bench_customer_code (guint index)
{
  return g_strdup_printf ("B%04u", index + 1);
}

static void
pick_place (BenchRand   *r,
            const char **city,
            const char **region)
{
  const BenchRegion *place;

  /* One shipment in fifty names no region (and so no city). */
  if (bench_rand_one_in (r, 50))
    {
      *city = NULL;
      *region = NULL;
      return;
    }
  place = &regions[bench_rand_range (r, 0, G_N_ELEMENTS (regions))];
  *region = place->region;
  *city = place->cities[bench_rand_range (r, 0, 2)];
}

static void
generate (const KlBenchGenerator *gen,
          guint64                 n,
          BenchRow               *row)
{
  BenchRand r = { n * G_GUINT64_CONSTANT (0x2545f4914f6cdd1d) + 42 };
  double u;
  guint outcome;

  g_assert (n < gen->shape.n_shipments);
  memset (row, 0, sizeof *row);

  /* u² is skewed towards 0: the first customers ship the most (B0001 about
   * 3 % of everything, the last about 0.05 %), like a real ABC mix. */
  u = bench_rand_double (&r);
  row->customer = MIN ((guint) (u * u * gen->shape.n_customers), gen->shape.n_customers - 1);

  row->planned_pickup_at = gen->start +
    (gint64) floor (((double) n + bench_rand_double (&r)) * (double) gen->span / (double) gen->shape.n_shipments);
  row->planned_delivery_at = row->planned_pickup_at + bench_rand_range (&r, 6, 97) * 3600;

  outcome = (guint) bench_rand_range (&r, 0, 1000);
  if (outcome < 10)
    row->status = KL_SHIPMENT_STATUS_CANCELLED;
  else if (outcome < 15)
    row->status = KL_SHIPMENT_STATUS_BOOKED;
  else if (outcome < 25)
    row->status = KL_SHIPMENT_STATUS_IN_TRANSIT;
  else
    row->status = KL_SHIPMENT_STATUS_DELIVERED;

  row->mode = (KlShipmentMode) bench_rand_range (&r, KL_MODE_ROAD_FTL, KL_MODE_EXPRESS + 1);
  pick_place (&r, &row->origin_city, &row->origin_region);
  pick_place (&r, &row->dest_city, &row->dest_region);
  row->pieces = bench_rand_range (&r, 1, 41);
  row->weight_g = bench_rand_one_in (&r, 33) ? -1 : bench_rand_range (&r, 1000, 2000001);
  row->volume_cm3 = bench_rand_one_in (&r, 33) ? -1 : bench_rand_range (&r, 1000, 5000001);

  row->picked_up_at = KL_NO_TIME;
  row->delivered_at = KL_NO_TIME;
  if (row->status != KL_SHIPMENT_STATUS_BOOKED)
    {
      /* Nine in ten within the 30 grace minutes. */
      row->picked_up_at = row->planned_pickup_at +
        (bench_rand_one_in (&r, 10) ? bench_rand_range (&r, 1801, 14401) : bench_rand_range (&r, -1800, 1801));
    }
  if (row->status == KL_SHIPMENT_STATUS_DELIVERED)
    {
      /* About 93 % within the 60 grace minutes. */
      row->delivered_at = row->planned_delivery_at +
        (bench_rand_one_in (&r, 14) ? bench_rand_range (&r, 3601, 86401) : bench_rand_range (&r, -7200, 3601));
      if (bench_rand_one_in (&r, 300))
        row->damaged_pieces = bench_rand_range (&r, 1, MIN (row->pieces, 3) + 1);
      if (bench_rand_one_in (&r, 500))
        row->short_pieces = bench_rand_range (&r, 1, MIN (row->pieces, 2) + 1);
    }

  outcome = (guint) bench_rand_range (&r, 0, 100);
  row->documents_ok = outcome < 3 ? KL_TRI_UNKNOWN : outcome < 5 ? KL_TRI_FALSE : KL_TRI_TRUE;
  outcome = (guint) bench_rand_range (&r, 0, 200);
  row->order_accurate = outcome < 10 ? KL_TRI_UNKNOWN : outcome < 11 ? KL_TRI_FALSE : KL_TRI_TRUE;
  row->incident = bench_rand_one_in (&r, 2000);

  /* Freight revenue on 97 % of shipments, 10 to 5 000 CNY; one in a
   * hundred of those billed in USD. */
  row->revenue_minor = -1;
  if (!bench_rand_one_in (&r, 33))
    {
      row->revenue_minor = bench_rand_range (&r, 1000, 500001);
      if (bench_rand_one_in (&r, 100))
        row->currency = "USD";
    }
}

static char *
waybill_for (guint64 n)
{
  return g_strdup_printf ("BW%010" G_GUINT64_FORMAT, n);
}

/* "BW" and ten digits into out (13 bytes), without printf. */
static void
format_waybill (guint64 n,
                char    out[13])
{
  out[0] = 'B';
  out[1] = 'W';
  for (int i = 11; i >= 2; i--)
    {
      out[i] = (char) ('0' + n % 10);
      n /= 10;
    }
  out[12] = '\0';
}

/* Shipment n into *s, its strings borrowed (from waybill, the row's
 * constants and customer_ids). */
static void
borrow_shipment (const KlBenchGenerator *gen,
                 guint64                 n,
                 GPtrArray              *customer_ids,
                 char                    waybill[13],
                 KlShipment             *s)
{
  BenchRow row;

  generate (gen, n, &row);
  g_assert (row.customer < customer_ids->len);
  format_waybill (n, waybill);
  memset (s, 0, sizeof *s);
  s->waybill = waybill;
  s->customer_id = g_ptr_array_index (customer_ids, row.customer);
  s->status = row.status;
  s->mode = row.mode;
  s->origin_city = (char *) row.origin_city;
  s->origin_region = (char *) row.origin_region;
  s->dest_city = (char *) row.dest_city;
  s->dest_region = (char *) row.dest_region;
  s->pieces = row.pieces;
  s->weight_g = row.weight_g;
  s->volume_cm3 = row.volume_cm3;
  s->planned_pickup_at = row.planned_pickup_at;
  s->picked_up_at = row.picked_up_at;
  s->planned_delivery_at = row.planned_delivery_at;
  s->delivered_at = row.delivered_at;
  s->documents_ok = row.documents_ok;
  s->order_accurate = row.order_accurate;
  s->damaged_pieces = row.damaged_pieces;
  s->short_pieces = row.short_pieces;
  s->incident = row.incident;
  s->revenue_minor = row.revenue_minor;
  s->currency = (char *) row.currency;
}

KlShipment *
kl_bench_generator_shipment (const KlBenchGenerator *gen,
                             guint64                 n,
                             GPtrArray              *customer_ids)
{
  KlShipment *s = kl_shipment_new ();
  BenchRow row;

  generate (gen, n, &row);
  g_assert (row.customer < customer_ids->len);

  s->waybill = waybill_for (n);
  s->customer_id = g_strdup (g_ptr_array_index (customer_ids, row.customer));
  s->status = row.status;
  s->mode = row.mode;
  s->origin_city = g_strdup (row.origin_city);
  s->origin_region = g_strdup (row.origin_region);
  s->dest_city = g_strdup (row.dest_city);
  s->dest_region = g_strdup (row.dest_region);
  s->pieces = row.pieces;
  s->weight_g = row.weight_g;
  s->volume_cm3 = row.volume_cm3;
  s->planned_pickup_at = row.planned_pickup_at;
  s->picked_up_at = row.picked_up_at;
  s->planned_delivery_at = row.planned_delivery_at;
  s->delivered_at = row.delivered_at;
  s->documents_ok = row.documents_ok;
  s->order_accurate = row.order_accurate;
  s->damaged_pieces = row.damaged_pieces;
  s->short_pieces = row.short_pieces;
  s->incident = row.incident;
  s->revenue_minor = row.revenue_minor;
  s->currency = g_strdup (row.currency);
  return s;
}

GPtrArray *
kl_bench_add_customers (KlDatabase  *db,
                        guint        n_customers,
                        GError     **error)
{
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);

  if (!kl_database_begin (db, error))
    return NULL;
  for (guint i = 0; i < n_customers; i++)
    {
      g_autoptr(KlCustomer) c = kl_customer_new ();
      g_autoptr(KlAgreement) a = kl_agreement_new ();

      c->code = kl_bench_customer_code (i);
      c->name = g_strdup_printf ("基准客户 %u 物流有限公司", i + 1);
      c->region = g_strdup (regions[i % G_N_ELEMENTS (regions)].region);
      if (!kl_customer_store_save (db, c, KL_ORIGIN_IMPORT, NULL, error))
        goto fail;

      a->customer_id = g_strdup (c->id);
      a->effective_from = g_strdup ("2000-01-01");
      a->dispatch_grace_min = 30;
      a->delivery_grace_min = 60;
      a->targets[KL_RATE_DISPATCH_ON_TIME] = 0.90;
      a->targets[KL_RATE_ARRIVAL_ON_TIME] = 0.95;
      a->targets[KL_RATE_DOCUMENT_ACCURACY] = 0.98;
      a->targets[KL_RATE_ORDER_ACCURACY] = 0.995;
      a->targets[KL_RATE_DAMAGE] = 0.001;
      a->targets[KL_RATE_SHORTAGE] = 0.0005;
      a->targets[KL_RATE_OTIF] = 0.90;
      if (!kl_agreement_store_save (db, a, error))
        goto fail;
      g_ptr_array_add (ids, g_strdup (c->id));
    }
  if (!kl_database_commit (db, error))
    return NULL;
  return g_steal_pointer (&ids);

fail:
  kl_database_rollback (db);
  return NULL;
}

GPtrArray *
kl_bench_lookup_customers (KlDatabase  *db,
                           guint        n_customers,
                           GError     **error)
{
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < n_customers; i++)
    {
      g_autofree char *code = kl_bench_customer_code (i);
      GError *local_error = NULL;
      char *id = kl_customer_store_lookup_code (db, code, &local_error);

      if (local_error != NULL)
        {
          g_propagate_error (error, local_error);
          return NULL;
        }
      if (id == NULL)
        {
          g_set_error (error, KL_DATABASE_ERROR, KL_DATABASE_ERROR_NOT_FOUND,
                       "the workspace has no customer %s; it was not built by keyline-bench "
                       "with --customers %u", code, n_customers);
          return NULL;
        }
      g_ptr_array_add (ids, id);
    }
  return g_steal_pointer (&ids);
}

double
kl_bench_fill (KlDatabase              *db,
               const KlBenchGenerator  *gen,
               GPtrArray               *customer_ids,
               guint64                  first,
               guint64                  count,
               gboolean                 progress,
               GError                 **error)
{
  const guint64 batch = 1000000;
  gint64 begun = g_get_monotonic_time ();
  KlShipmentBulk *bulk = NULL;

  g_return_val_if_fail (first + count <= gen->shape.n_shipments, -1);

  for (guint64 i = 0; i < count; i++)
    {
      char waybill[13];
      KlShipment s;
      KlUpsertResult result;

      if (bulk == NULL)
        {
          if (!kl_database_begin (db, error))
            return -1;
          bulk = kl_shipment_bulk_new (db, FALSE, error);
          if (bulk == NULL)
            goto fail;
        }
      borrow_shipment (gen, first + i, customer_ids, waybill, &s);
      if (!kl_shipment_bulk_add (bulk, &s, &result, error))
        goto fail;
      if ((i + 1) % batch == 0 || i + 1 == count)
        {
          if (!kl_shipment_bulk_finish (bulk, error) || !kl_database_commit (db, error))
            goto fail;
          g_clear_pointer (&bulk, kl_shipment_bulk_free);
          if (progress)
            {
              double seconds = (g_get_monotonic_time () - begun) / (double) G_USEC_PER_SEC;

              fprintf (stderr, "\rfill: %" G_GUINT64_FORMAT " of %" G_GUINT64_FORMAT " shipments, %.0f/s   ",
                       i + 1, count, (double) (i + 1) / seconds);
            }
        }
    }
  if (progress)
    fprintf (stderr, "\n");
  return (g_get_monotonic_time () - begun) / (double) G_USEC_PER_SEC;

fail:
  if (kl_database_in_transaction (db))
    kl_database_rollback (db);
  g_clear_pointer (&bulk, kl_shipment_bulk_free);
  return -1;
}

/* The local wall time of t in tz, formatted without GDateTime: the zone's
 * offset at t applied to a UTC breakdown. */
static void
append_time (GString   *line,
             GTimeZone *tz,
             gint64     t)
{
  int interval;
  time_t local;
  struct tm tm;

  if (t == KL_NO_TIME)
    return;
  interval = g_time_zone_find_interval (tz, G_TIME_TYPE_UNIVERSAL, t);
  local = (time_t) (t + g_time_zone_get_offset (tz, interval));
  gmtime_r (&local, &tm);
  g_string_append_printf (line, "%04d-%02d-%02d %02d:%02d:%02d",
                          tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                          tm.tm_hour, tm.tm_min, tm.tm_sec);
}

static void
append_decimal (GString *line,
                gint64   value,
                int      scale)
{
  gint64 unit = 1;

  if (value < 0)
    return;
  for (int i = 0; i < scale; i++)
    unit *= 10;
  g_string_append_printf (line, "%" G_GINT64_FORMAT ".%0*" G_GINT64_FORMAT, value / unit, scale, value % unit);
}

static const char *
tri_text (KlTri v)
{
  return v == KL_TRI_UNKNOWN ? "" : v == KL_TRI_TRUE ? "true" : "false";
}

gboolean
kl_bench_write_csv (const KlBenchGenerator  *gen,
                    guint64                  first,
                    guint64                  count,
                    const char              *path,
                    GError                 **error)
{
  g_autoptr(GString) line = g_string_new (NULL);
  FILE *out;
  int saved;

  g_return_val_if_fail (first + count <= gen->shape.n_shipments, FALSE);

  out = fopen (path, "w");
  if (out == NULL)
    {
      saved = errno;
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                   "cannot write the import file %s: %s", path, g_strerror (saved));
      return FALSE;
    }
  fputs ("waybill,customer_code,status,mode,origin_city,origin_region,dest_city,dest_region,"
         "pieces,weight_kg,volume_m3,planned_pickup_at,picked_up_at,planned_delivery_at,delivered_at,"
         "documents_ok,order_accurate,damaged_pieces,short_pieces,incident,revenue,currency\n", out);

  for (guint64 i = 0; i < count; i++)
    {
      g_autofree char *waybill = waybill_for (first + i);
      g_autofree char *code = NULL;
      BenchRow row;

      generate (gen, first + i, &row);
      code = kl_bench_customer_code (row.customer);
      g_string_printf (line, "%s,%s,%s,%s,%s,%s,%s,%s,%" G_GINT64_FORMAT ",",
                       waybill, code,
                       kl_shipment_status_to_string (row.status),
                       kl_shipment_mode_to_string (row.mode),
                       row.origin_city ? row.origin_city : "",
                       row.origin_region ? row.origin_region : "",
                       row.dest_city ? row.dest_city : "",
                       row.dest_region ? row.dest_region : "",
                       row.pieces);
      append_decimal (line, row.weight_g, 3);
      g_string_append_c (line, ',');
      append_decimal (line, row.volume_cm3, 6);
      g_string_append_c (line, ',');
      append_time (line, gen->tz, row.planned_pickup_at);
      g_string_append_c (line, ',');
      append_time (line, gen->tz, row.picked_up_at);
      g_string_append_c (line, ',');
      append_time (line, gen->tz, row.planned_delivery_at);
      g_string_append_c (line, ',');
      append_time (line, gen->tz, row.delivered_at);
      g_string_append_printf (line, ",%s,%s,%" G_GINT64_FORMAT ",%" G_GINT64_FORMAT ",%s,",
                              tri_text (row.documents_ok), tri_text (row.order_accurate),
                              row.damaged_pieces, row.short_pieces,
                              row.incident ? "true" : "false");
      append_decimal (line, row.revenue_minor, 2);
      g_string_append_printf (line, ",%s\n", row.currency ? row.currency : "");
      fwrite (line->str, 1, line->len, out);
    }

  if (ferror (out) | (fclose (out) != 0))
    {
      saved = errno;
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                   "cannot write the import file %s: %s", path, g_strerror (saved));
      return FALSE;
    }
  return TRUE;
}
