/* SPDX-License-Identifier: GPL-3.0-or-later */
/* One customer's claims, returns and complaints, for the customer detail:
 * a short list, overdue and due first, and a New Case button. What happens
 * on activation is the embedder's: it listens to "case-activated" (id) and
 * "new-case" (customer id). */
#pragma once

#include <adwaita.h>
#include "kl-worker.h"

G_BEGIN_DECLS

#define KL_TYPE_CUSTOMER_CASES (kl_customer_cases_get_type ())
G_DECLARE_FINAL_TYPE (KlCustomerCases, kl_customer_cases, KL, CUSTOMER_CASES, AdwBin)

GtkWidget  *kl_customer_cases_new             (void);
void        kl_customer_cases_set_worker      (KlCustomerCases *self,
                                               KlWorker        *worker);
/* NULL empties the list. */
void        kl_customer_cases_set_customer_id (KlCustomerCases *self,
                                               const char      *customer_id);
/* Reads the cases again (after one changed elsewhere). */
void        kl_customer_cases_refresh         (KlCustomerCases *self);
/* For tests: how many cases are listed. */
guint       kl_customer_cases_get_n_cases     (KlCustomerCases *self);

G_END_DECLS
