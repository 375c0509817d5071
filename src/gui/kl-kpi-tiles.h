/* SPDX-License-Identifier: GPL-3.0-or-later */
/* One account's service levels at a glance: a card per KPI of its agreement
 * with the month's value, the target, whether it was met and by how much,
 * and a twelve-month sparkline (its numbers also as a table). */
#pragma once

#include <adwaita.h>
#include "kl-worker.h"

G_BEGIN_DECLS

#define KL_TYPE_KPI_TILES (kl_kpi_tiles_get_type ())
G_DECLARE_FINAL_TYPE (KlKpiTiles, kl_kpi_tiles, KL, KPI_TILES, AdwBin)

GtkWidget  *kl_kpi_tiles_new             (void);
void        kl_kpi_tiles_set_worker      (KlKpiTiles *self,
                                          KlWorker   *worker);
/* Loads the account's figures through the worker; NULL clears the tiles. */
void        kl_kpi_tiles_set_customer_id (KlKpiTiles *self,
                                          const char *customer_id);
/* Loads again (after the account's shipments or agreement changed). */
void        kl_kpi_tiles_refresh         (KlKpiTiles *self);

G_END_DECLS
