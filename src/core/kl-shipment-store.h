/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Shipments (facts, keyed by waybill) and the rollups kept beside them. */
#pragma once

#include <glib.h>
#include "kl-database.h"
#include "kl-records.h"
#include "kl-rollup.h"

G_BEGIN_DECLS

/* Inserts or updates by waybill, adjusting rollups in the same transaction.
 * Fills shipment->id for a new one. customer_id must name a customer. */
gboolean     kl_shipment_store_save      (KlDatabase      *db,
                                          KlShipment      *shipment,
                                          KlUpsertResult  *out_result,
                                          GError         **error);
gboolean     kl_shipment_store_delete    (KlDatabase *db, const char *waybill, GError **error);
KlShipment  *kl_shipment_store_get       (KlDatabase *db, const char *waybill, GError **error);
/* A customer's shipments with planned pickup in [from, to), oldest first. */
GPtrArray   *kl_shipment_store_list      (KlDatabase *db, const char *customer_id,
                                          gint64 from, gint64 to, int limit, GError **error);

G_END_DECLS
