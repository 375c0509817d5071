/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The Overview page of the customer detail. */
#pragma once

#include <adwaita.h>
#include "kl-records.h"
#include "kl-kpi-tiles.h"

G_BEGIN_DECLS

/* The chart shows this many months, the current one last. */
#define KL_CUSTOMER_OVERVIEW_N_MONTHS 12

#define KL_TYPE_CUSTOMER_OVERVIEW (kl_customer_overview_get_type ())
G_DECLARE_FINAL_TYPE (KlCustomerOverview, kl_customer_overview, KL, CUSTOMER_OVERVIEW, AdwBin)

GtkWidget  *kl_customer_overview_new           (void);
/* Shows customer c. in_force may be NULL; shipments holds
 * KL_CUSTOMER_OVERVIEW_N_MONTHS months from first_month (yyyymm). */
void        kl_customer_overview_show          (KlCustomerOverview *self,
                                                const KlCustomer   *c,
                                                const KlAgreement  *in_force,
                                                gint64              shipment_count,
                                                int                 first_month,
                                                const gint64       *shipments);
/* The KPI tiles on the page; they load their own figures. */
KlKpiTiles *kl_customer_overview_get_kpi_tiles (KlCustomerOverview *self);

/* An agreement's period as the detail shows it, "from 2026-01-01" or
 * "2026-01-01 – 2026-12-31"; shared with the detail's agreement rows. */
char       *_kl_agreement_period_text          (const KlAgreement *a);

G_END_DECLS
