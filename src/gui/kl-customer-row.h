/* SPDX-License-Identifier: GPL-3.0-or-later */
/* One customer in the list: name, code and region, status and ABC class. */
#pragma once

#include <gtk/gtk.h>
#include "kl-customer-item.h"

G_BEGIN_DECLS

#define KL_TYPE_CUSTOMER_ROW (kl_customer_row_get_type ())
G_DECLARE_FINAL_TYPE (KlCustomerRow, kl_customer_row, KL, CUSTOMER_ROW, GtkWidget)

KlCustomerItem *kl_customer_row_get_item (KlCustomerRow  *self);

G_END_DECLS
