/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Month-by-month series read from the rollups, for charts that show one
 * customer's recent months. */
#pragma once

#include <glib.h>
#include "kl-database.h"

G_BEGIN_DECLS

/* The yyyymm month delta months after (or before, when negative) yyyymm:
 * the month of point delta in a series that starts with yyyymm. */
int      kl_rollup_series_month      (int yyyymm,
                                      int delta);

/* The customer's shipments (cancelled ones left out, as in the rollups) in
 * n_months months from first_month (yyyymm): out[i] is month
 * kl_rollup_series_month (first_month, i), 0 for a month without shipments. */
gboolean kl_rollup_series_shipments  (KlDatabase  *db,
                                      const char  *customer_id,
                                      int          first_month,
                                      guint        n_months,
                                      gint64      *out,
                                      GError     **error);

G_END_DECLS
