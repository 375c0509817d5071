/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The right-hand side of the Customers page: one account's overview,
 * contacts, agreements and activity log, with the editors behind them. */
#pragma once

#include <adwaita.h>
#include "kl-worker.h"

G_BEGIN_DECLS

#define KL_TYPE_CUSTOMER_DETAIL (kl_customer_detail_get_type ())
G_DECLARE_FINAL_TYPE (KlCustomerDetail, kl_customer_detail, KL, CUSTOMER_DETAIL, AdwBin)

GtkWidget  *kl_customer_detail_new             (void);
void        kl_customer_detail_set_worker      (KlCustomerDetail *self,
                                                KlWorker         *worker);
/* NULL shows the empty state. */
void        kl_customer_detail_set_customer_id (KlCustomerDetail *self,
                                                const char       *id);
const char *kl_customer_detail_get_customer_id (KlCustomerDetail *self);

G_END_DECLS
