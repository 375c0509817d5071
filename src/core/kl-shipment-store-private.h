/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Shared between the shipment store and the demo. */
#pragma once

#include "kl-shipment-store.h"

G_BEGIN_DECLS

/* Adds counts to one stored rollup row (side NULL: the month table). */
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
