/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A GListModel of KlCustomerItem over the workspace: it asks the worker for
 * the number of matching customers, then for pages of rows as the list view
 * asks for items, handing out placeholders until their page arrives. */
#pragma once

#include <gio/gio.h>
#include "kl-worker.h"
#include "kl-customer-store.h"

G_BEGIN_DECLS

#define KL_CUSTOMER_LIST_MODEL_PAGE_SIZE 100

#define KL_TYPE_CUSTOMER_LIST_MODEL (kl_customer_list_model_get_type ())
G_DECLARE_FINAL_TYPE (KlCustomerListModel, kl_customer_list_model, KL, CUSTOMER_LIST_MODEL, GObject)

KlCustomerListModel *kl_customer_list_model_new        (void);
void                 kl_customer_list_model_set_worker (KlCustomerListModel    *self,
                                                        KlWorker               *worker);
/* Copies filter; a change reloads the list. The items on rows stay and
 * change customer: unselect first. */
gboolean             kl_customer_list_model_filter_equals (KlCustomerListModel    *self,
                                                           const KlCustomerFilter *filter);
void                 kl_customer_list_model_set_filter (KlCustomerListModel    *self,
                                                        const KlCustomerFilter *filter);
/* Reloads after the workspace changed: rows already shown update in place
 * when the number of matches stayed the same. */
void                 kl_customer_list_model_refresh    (KlCustomerListModel    *self);
/* TRUE while the count is on its way. */
gboolean             kl_customer_list_model_get_loading (KlCustomerListModel   *self);
/* The position of a loaded customer, or G_MAXUINT. */
guint                kl_customer_list_model_find       (KlCustomerListModel    *self,
                                                        const char             *customer_id);

G_END_DECLS
