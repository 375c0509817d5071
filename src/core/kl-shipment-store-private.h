/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Shared between the shipment store and the demo. */
#pragma once

#include <sqlite3.h>
#include "kl-shipment-store.h"
#include "kl-rollup-mode.h"

G_BEGIN_DECLS

/* Reading shipments: FROM shipments s JOIN customers c (the customer's id
 * through customers.ref). Columns 0..24 as _kl_shipment_store_bind ()
 * binds them (uuid first), then s.id (the row's key) as column 25. */
#define SHIPMENT_COLUMNS \
  "s.uuid, s.waybill, c.id, s.status, s.mode, s.origin_city, s.origin_region, s.dest_city, s.dest_region, " \
  "s.pieces, s.weight_g, s.volume_cm3, s.planned_pickup_at, s.picked_up_at, s.planned_delivery_at, s.delivered_at, " \
  "s.documents_ok, s.order_accurate, s.damaged_pieces, s.short_pieces, s.incident, s.revision, s.updated_at, " \
  "s.revenue_minor, s.currency, s.id"
#define SHIPMENT_FROM " FROM shipments s JOIN customers c ON c.ref = s.customer_ref"
#define SHIPMENT_SELECT "SELECT " SHIPMENT_COLUMNS SHIPMENT_FROM

/* The customer index, shipments_customer, leads with a bucket of the
 * planned pickup time (2^21 seconds, about 24 days; schema 10), so that
 * shipments later than the stored ones are indexed near its end rather
 * than at each customer's tail somewhere in it. One customer's shipments
 * are read bucket by bucket: SHIPMENT_CUSTOMER_SPAN_SQL selects
 * SHIPMENT_COLUMNS of those with ?2 <= planned_pickup_at < ?3 (G_MININT64
 * and G_MAXINT64 for all), ?1 the customer's id; more conditions go on
 * with " AND …". The span runs over the buckets the shipments table
 * holds, found at its index's two ends. */
#define SHIPMENT_CUSTOMER_SPAN_SQL \
  "WITH RECURSIVE bounds (lo, hi) AS (SELECT " \
  "max(?2 >> 21, (SELECT planned_pickup_at >> 21 FROM shipments ORDER BY planned_pickup_at >> 21 LIMIT 1)), " \
  "min((?3 - 1) >> 21, (SELECT planned_pickup_at >> 21 FROM shipments ORDER BY planned_pickup_at >> 21 DESC LIMIT 1))), " \
  "span (bucket) AS (SELECT lo FROM bounds UNION ALL SELECT bucket + 1 FROM span, bounds WHERE bucket < hi) " \
  "SELECT " SHIPMENT_COLUMNS " FROM span CROSS JOIN shipments s JOIN customers c ON c.ref = s.customer_ref " \
  "WHERE (s.planned_pickup_at >> 21) = span.bucket AND s.customer_ref = (SELECT ref FROM customers WHERE id = ?1) " \
  "AND s.planned_pickup_at >= ?2 AND s.planned_pickup_at < ?3"

/* Writing: ?1..?26 as _kl_shipment_store_bind () binds them; ?3 is the
 * customer's id (its UUID text), turned into its ref here; ?26 the
 * content hash (_kl_shipment_content_hash ()). */
#define SHIPMENT_INSERT_SQL \
  "INSERT INTO shipments (uuid, waybill, customer_ref, status, mode, origin_city, origin_region, dest_city, " \
  "dest_region, pieces, weight_g, volume_cm3, planned_pickup_at, picked_up_at, planned_delivery_at, delivered_at, " \
  "documents_ok, order_accurate, damaged_pieces, short_pieces, incident, revision, updated_at, revenue_minor, currency, " \
  "content_hash) " \
  "VALUES (?1, ?2, (SELECT ref FROM customers WHERE id = ?3), ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, " \
  "?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26)"
/* As SHIPMENT_INSERT_SQL with ?3 the customer's ref itself. */
#define SHIPMENT_INSERT_REF_SQL \
  "INSERT INTO shipments (uuid, waybill, customer_ref, status, mode, origin_city, origin_region, dest_city, " \
  "dest_region, pieces, weight_g, volume_cm3, planned_pickup_at, picked_up_at, planned_delivery_at, delivered_at, " \
  "documents_ok, order_accurate, damaged_pieces, short_pieces, incident, revision, updated_at, revenue_minor, currency, " \
  "content_hash) " \
  "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, " \
  "?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26)"
/* ?27 (SHIPMENT_UPDATE_KEY) is the row's key. */
#define SHIPMENT_UPDATE_SQL \
  "UPDATE shipments SET uuid = ?1, waybill = ?2, customer_ref = (SELECT ref FROM customers WHERE id = ?3), " \
  "status = ?4, mode = ?5, origin_city = ?6, origin_region = ?7, dest_city = ?8, dest_region = ?9, " \
  "pieces = ?10, weight_g = ?11, volume_cm3 = ?12, planned_pickup_at = ?13, picked_up_at = ?14, " \
  "planned_delivery_at = ?15, delivered_at = ?16, documents_ok = ?17, order_accurate = ?18, " \
  "damaged_pieces = ?19, short_pieces = ?20, incident = ?21, revision = ?22, updated_at = ?23, " \
  "revenue_minor = ?24, currency = ?25, content_hash = ?26 WHERE id = ?27"
#define SHIPMENT_UPDATE_KEY 27

/* A shipment from a row of SELECT SHIPMENT_COLUMNS. */
KlShipment *_kl_shipment_store_from_row      (sqlite3_stmt     *stmt);
/* Binds ?1..?26 of SHIPMENT_INSERT_SQL / SHIPMENT_UPDATE_SQL from s
 * (s->id as uuid, its currency as stored), the content hash included. */
void        _kl_shipment_store_bind          (sqlite3_stmt     *stmt,
                                              const KlShipment *s);
/* The same with the content hash given (the bulk writer has it). */
void        _kl_shipment_store_bind_hashed   (sqlite3_stmt     *stmt,
                                              const KlShipment *s,
                                              gint64            content_hash);
/* MurmurHash3's 64-bit finalizer: each bit of x moves about half of the
 * result's. */
static inline guint64
_kl_fmix64 (guint64 x)
{
  x ^= x >> 33;
  x *= G_GUINT64_CONSTANT (0xff51afd7ed558ccd);
  x ^= x >> 33;
  x *= G_GUINT64_CONSTANT (0xc4ceb9fe1a85ec53);
  x ^= x >> 33;
  return x;
}

/* A 64-bit hash of what a re-import compares of a stored shipment (as
 * kl_shipment_equal_content () less the waybill, the row's key, and the
 * customer, whose ref is compared beside it), its values as stored:
 * shipments.content_hash (docs/storage.md). s's currency must be as
 * stored (NULL for the workspace's). */
gint64      _kl_shipment_content_hash        (const KlShipment *s);
/* s->currency, or NULL when it names the workspace currency (how a
 * shipment's currency is stored). */
const char *_kl_shipment_store_currency      (KlDatabase       *db,
                                              const KlShipment *s);
/* What every writer refuses: no waybill or customer, negative counts,
 * missing planned times, times outside 2000..2099 (UTC). */
gboolean    _kl_shipment_store_validate      (const KlShipment  *s,
                                              GError           **error);
/* What a shipment adds to its month, without the month (kl_shipment_rollup
 * less the time zone). FALSE for a cancelled one, which counts nowhere. */
gboolean    _kl_shipment_rollup_counts       (const KlShipment *s,
                                              int               dispatch_grace_min,
                                              int               delivery_grace_min,
                                              KlRollupCounts   *out);


/* What s adds to its (customer, month, mode) row (kl-rollup-mode.c). */
gboolean    _kl_shipment_rollup_mode_counts  (const KlShipment   *s,
                                              int                 delivery_grace_min,
                                              KlRollupModeCounts *out);
/* Adds counts to one stored rollup_month_mode row; a row left with no
 * shipments goes. */
gboolean    _kl_shipment_store_apply_mode_rollup (KlDatabase               *db,
                                                  const char               *customer_id,
                                                  int                       month,
                                                  KlShipmentMode            mode,
                                                  const KlRollupModeCounts *counts,
                                                  GError                  **error);
/* The migration to schema 6's C step: every rollup rebuilt. */
gboolean    _kl_rollup_migrate_6             (KlDatabase  *db,
                                              GError     **error);

/* One rollup row's change for _kl_shipment_store_apply_rollups (). */
typedef struct {
  const char           *customer_id;   /* NULL: the portfolio's */
  int                   month;
  const char           *side;          /* NULL: the month table */
  const char           *region;
  const KlRollupCounts *counts;
} KlRollupDelta;

/* As _kl_shipment_store_apply_rollup () for each of deltas, in order. */
gboolean    _kl_shipment_store_apply_rollups (KlDatabase           *db,
                                              const KlRollupDelta  *deltas,
                                              guint                 n,
                                              GError              **error);

/* One rollup_month_mode row's change. */
typedef struct {
  const char               *customer_id;
  int                       month;
  KlShipmentMode            mode;
  const KlRollupModeCounts *counts;
} KlRollupModeDelta;

/* As _kl_shipment_store_apply_mode_rollup () for each, in order. */
gboolean    _kl_shipment_store_apply_mode_rollups (KlDatabase               *db,
                                                   const KlRollupModeDelta  *deltas,
                                                   guint                     n,
                                                   GError                  **error);

/* Regenerates rollup_portfolio_month and _region as the sums of the
 * customers' rows (after a rebuild). */
gboolean    _kl_rollup_regenerate_portfolio  (KlDatabase  *db,
                                              GError     **error);

/* Adds counts to one stored rollup row (side NULL: the month table;
 * customer_id NULL: the portfolio's tables); a
 * delta whose shipments count is negative removes the row when it leaves
 * it with no shipments. */
gboolean _kl_shipment_store_apply_rollup      (KlDatabase           *db,
                                               const char           *customer_id,
                                               int                   month,
                                               const char           *side,
                                               const char           *region,
                                               const KlRollupCounts *counts,
                                               GError              **error);

typedef void (*KlShipmentContributionFunc) (const KlShipment         *shipment,
                                            int                       month,
                                            const KlRollupCounts     *counts,
                                            const KlRollupModeCounts *mode_counts,
                                            gpointer                  user_data);

/* Calls func with what each shipment of customer_id (NULL: all) adds to
 * its month; cancelled shipments are left out. */
gboolean _kl_shipment_store_foreach_contribution (KlDatabase                  *db,
                                                  const char                  *customer_id,
                                                  KlShipmentContributionFunc   func,
                                                  gpointer                     user_data,
                                                  GError                     **error);

G_END_DECLS
