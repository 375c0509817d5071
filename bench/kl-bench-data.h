/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Large synthetic workspaces for the benchmarks: customers B0001… and a
 * numbered sequence of shipments, each the same on every run, that can be
 * written through the store or as an import CSV, a slice at a time. */
#pragma once

#include "kl-database.h"
#include "kl-records.h"

G_BEGIN_DECLS

typedef struct {
  guint   n_customers;
  guint64 n_shipments;
  guint   years;
  int     last_month;     /* yyyymm: the data ends with this month */
} KlBenchShape;

/* Shipment n of a shape. Shipments are in time order of n: their planned
 * pickups spread evenly over the `years` years ending with last_month, and
 * their customers interleave (a skewed mix: B0001 ships the most), as a
 * workspace fed by monthly imports would hold them. */
typedef struct {
  KlBenchShape shape;
  GTimeZone   *tz;
  gint64       start;     /* first instant of the data, Unix seconds */
  gint64       span;      /* seconds up to the end of last_month */
} KlBenchGenerator;

void         kl_bench_generator_init     (KlBenchGenerator   *gen,
                                          const KlBenchShape *shape,
                                          GTimeZone          *tz);
void         kl_bench_generator_clear    (KlBenchGenerator   *gen);

/* "B0001" for customer index 0. */
char        *kl_bench_customer_code      (guint index);

/* Shipment n with customer_id taken from customer_ids (indexed like the
 * codes). */
KlShipment  *kl_bench_generator_shipment (const KlBenchGenerator *gen,
                                          guint64                 n,
                                          GPtrArray              *customer_ids);

/* Adds the shape's customers, each with one agreement in force since 2000
 * (grace 30 min for dispatch, 60 for delivery). Returns their ids, indexed
 * like the codes. */
GPtrArray   *kl_bench_add_customers      (KlDatabase *db,
                                          guint       n_customers,
                                          GError    **error);
/* The ids of customers B0001… as stored, or NULL with an error when one is
 * missing. */
GPtrArray   *kl_bench_lookup_customers   (KlDatabase *db,
                                          guint       n_customers,
                                          GError    **error);

/* Writes shipments first … first + count - 1 through the bulk writer
 * (kl-shipment-bulk.h, the import's path; rollups included), committing
 * every 1 000 000. Returns the seconds spent,
 * or a negative number with error set. */
double       kl_bench_fill               (KlDatabase             *db,
                                          const KlBenchGenerator *gen,
                                          GPtrArray              *customer_ids,
                                          guint64                 first,
                                          guint64                 count,
                                          gboolean                progress,
                                          GError                **error);

/* Writes shipments first … first + count - 1 as an import CSV (the
 * contract's English header; times as "YYYY-MM-DD HH:MM:SS" in the
 * generator's zone, as Chinese transport systems export them). */
gboolean     kl_bench_write_csv          (const KlBenchGenerator *gen,
                                          guint64                 first,
                                          guint64                 count,
                                          const char             *path,
                                          GError                **error);

G_END_DECLS
