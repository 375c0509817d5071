/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Month-grain rollups: the counts and sums every KPI needs, per customer and
 * month and per customer, month and region. Kept in step with shipments in
 * the same transaction as every shipment change. */
#pragma once

#include <glib.h>
#include "kl-core-types.h"

G_BEGIN_DECLS

typedef enum {
  KL_RC_SHIPMENTS,
  KL_RC_PIECES,
  KL_RC_WEIGHT_G,
  KL_RC_VOLUME_CM3,
  KL_RC_DISPATCHED,
  KL_RC_DISPATCHED_ON_TIME,
  KL_RC_DELIVERED,
  KL_RC_DELIVERED_ON_TIME,
  KL_RC_DELIVERED_PIECES,
  KL_RC_DAMAGED_PIECES,
  KL_RC_SHORT_PIECES,
  KL_RC_DAMAGE_INCIDENTS,
  KL_RC_SHORTAGE_INCIDENTS,
  KL_RC_INCIDENTS,
  KL_RC_DOCS_KNOWN,
  KL_RC_DOCS_OK,
  KL_RC_ORDER_KNOWN,
  KL_RC_ORDER_OK,
  KL_RC_OTIF,
  KL_RC_REVENUE_MINOR,   /* revenue in the workspace currency (schema 6) */
  KL_RC_N
} KlRollupColumn;

typedef struct {
  gint64 v[KL_RC_N];
} KlRollupCounts;

typedef enum {
  KL_REGION_SIDE_ORIGIN,
  KL_REGION_SIDE_DEST,
} KlRegionSide;

/* The SQL column name of a counter ("shipments", "dispatched_on_time", …). */
const char *kl_rollup_column_name (KlRollupColumn column);

/* A month as stored: year * 100 + month (202610). */
static inline int
kl_month_make (int year, int month)
{
  return year * 100 + month;
}

/* What one shipment adds to its month. Returns FALSE for a cancelled
 * shipment, which counts nowhere. out_month gets the month of its service
 * date (planned pickup in tz). */
gboolean kl_shipment_rollup (const KlShipment *shipment,
                             GTimeZone        *tz,
                             int               dispatch_grace_min,
                             int               delivery_grace_min,
                             int              *out_month,
                             KlRollupCounts   *out_counts);

/* Adds other into into, column by column, with checked arithmetic: a sum
 * that would overflow stays at G_MAXINT64 (or G_MININT64) and FALSE is
 * returned. */
gboolean kl_rollup_counts_add (KlRollupCounts *into, const KlRollupCounts *other);

/* Reading rollups (for the report engine). customer_id NULL means every
 * customer summed. from_month and to_month are inclusive. */
gboolean kl_rollup_read_total  (KlDatabase     *db,
                                const char     *customer_id,
                                int             from_month,
                                int             to_month,
                                KlRollupCounts *out,
                                GError        **error);

/* Recomputes one customer's rollups (NULL: all) from the shipments table,
 * in one transaction. */
gboolean kl_rollup_rebuild     (KlDatabase  *db,
                                const char  *customer_id,
                                GError     **error);

/* Recomputes every rollup from facts in memory and compares with the stored
 * rows, which must also all be integers. Each difference is appended to
 * problems as one line. */
gboolean kl_rollup_check       (KlDatabase  *db,
                                GPtrArray   *problems,
                                GError     **error);

/* Changes the workspace time zone (an IANA name such as "Asia/Shanghai")
 * and rebuilds every rollup for it, in one transaction. */
gboolean kl_rollup_set_timezone (KlDatabase  *db,
                                 const char  *tz_name,
                                 GError     **error);

G_END_DECLS
