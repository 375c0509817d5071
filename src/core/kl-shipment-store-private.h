/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Shared between the shipment store and the demo. */
#pragma once

#include <sqlite3.h>
#include "kl-shipment-store.h"

G_BEGIN_DECLS

#define SHIPMENT_COLUMNS \
  "id, waybill, customer_id, status, mode, origin_city, origin_region, dest_city, dest_region, " \
  "pieces, weight_g, volume_cm3, planned_pickup_at, picked_up_at, planned_delivery_at, delivered_at, " \
  "documents_ok, order_accurate, damaged_pieces, short_pieces, incident, revision, updated_at"

/* A shipment from a row of SELECT SHIPMENT_COLUMNS. */
KlShipment *_kl_shipment_store_from_row      (sqlite3_stmt     *stmt);
/* Binds every column but id, in SHIPMENT_COLUMNS order, from index first. */
void        _kl_shipment_store_bind          (sqlite3_stmt     *stmt,
                                              int               first,
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


/* Adds counts to one stored rollup row (side NULL: the month table); a
 * delta whose shipments count is negative removes the row when it leaves
 * it with no shipments. */
gboolean _kl_shipment_store_apply_rollup      (KlDatabase           *db,
                                               const char           *customer_id,
                                               int                   month,
                                               const char           *side,
                                               const char           *region,
                                               const KlRollupCounts *counts,
                                               GError              **error);

typedef void (*KlShipmentContributionFunc) (const KlShipment     *shipment,
                                            int                   month,
                                            const KlRollupCounts *counts,
                                            gpointer              user_data);

/* Calls func with what each shipment of customer_id (NULL: all) adds to
 * its month; cancelled shipments are left out. */
gboolean _kl_shipment_store_foreach_contribution (KlDatabase                  *db,
                                                  const char                  *customer_id,
                                                  KlShipmentContributionFunc   func,
                                                  gpointer                     user_data,
                                                  GError                     **error);

G_END_DECLS
