/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Shared between the shipment store and the demo. */
#pragma once

#include "kl-shipment-store.h"

G_BEGIN_DECLS

/* out_month is 0 for a cancelled shipment. */
gboolean _kl_shipment_store_contribution      (KlDatabase       *db,
                                               const KlShipment *s,
                                               int              *out_month,
                                               KlRollupCounts   *out,
                                               GError          **error);

G_END_DECLS
