/* SPDX-License-Identifier: GPL-3.0-or-later */
/* One row of the customer list: a KlCustomer, or a placeholder that fills in
 * when its page of rows arrives from the workspace. */
#pragma once

#include <glib-object.h>
#include "kl-records.h"

G_BEGIN_DECLS

#define KL_TYPE_CUSTOMER_ITEM (kl_customer_item_get_type ())
G_DECLARE_FINAL_TYPE (KlCustomerItem, kl_customer_item, KL, CUSTOMER_ITEM, GObject)

/* customer NULL: a placeholder. */
KlCustomerItem   *kl_customer_item_new          (const KlCustomer *customer);
/* Fills in (or replaces) the customer; notifies every property. */
void              kl_customer_item_clear        (KlCustomerItem   *self);
void              kl_customer_item_set_shown    (KlCustomerItem   *self,
                                                 gboolean          shown);
gboolean          kl_customer_item_get_shown    (KlCustomerItem   *self);
void              kl_customer_item_set_customer (KlCustomerItem   *self,
                                                 const KlCustomer *customer);
const KlCustomer *kl_customer_item_get_customer (KlCustomerItem *self);
gboolean          kl_customer_item_get_loaded   (KlCustomerItem *self);
const char       *kl_customer_item_get_id       (KlCustomerItem *self);
const char       *kl_customer_item_get_name     (KlCustomerItem *self);
const char       *kl_customer_item_get_code     (KlCustomerItem *self);

G_END_DECLS
