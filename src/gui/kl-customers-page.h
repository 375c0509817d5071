/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The Customers page: a searchable, filterable list of every account in the
 * workspace beside the selected account's detail. */
#pragma once

#include <adwaita.h>
#include "kl-worker.h"
#include "kl-customer-list-model.h"

G_BEGIN_DECLS

#define KL_TYPE_CUSTOMERS_PAGE (kl_customers_page_get_type ())
G_DECLARE_FINAL_TYPE (KlCustomersPage, kl_customers_page, KL, CUSTOMERS_PAGE, AdwBin)

void                 kl_customers_page_set_worker    (KlCustomersPage *self,
                                                      KlWorker        *worker);
void                 kl_customers_page_focus_search  (KlCustomersPage *self);
/* Reloads the list after the workspace changed. */
void                 kl_customers_page_refresh       (KlCustomersPage *self);
/* Shows the customer in the detail and selects it in the list once loaded. */
void                 kl_customers_page_show_customer (KlCustomersPage *self,
                                                      const char      *customer_id);

/* TRUE when the page is folded (narrow) and shows the detail, so Back
 * returns to the list. */
gboolean             kl_customers_page_get_showing_detail (KlCustomersPage *self);
void                 kl_customers_page_show_list     (KlCustomersPage *self);

/* For tests. */
GtkEditable         *kl_customers_page_get_search_entry (KlCustomersPage *self);
KlCustomerListModel *kl_customers_page_get_model     (KlCustomersPage *self);
GtkWidget           *kl_customers_page_get_detail    (KlCustomersPage *self);
void                 kl_customers_page_select        (KlCustomersPage *self,
                                                      guint            position);

G_END_DECLS
