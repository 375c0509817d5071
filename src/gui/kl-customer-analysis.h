/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A customer's page of docs/analysis.md: its account class (and a class set
 * by hand), its class over the last four quarters, its service lines
 * against their standards, the at-risk reasons and the history of its
 * relationship stage and status. Read and written through the worker. */
#pragma once

#include <gtk/gtk.h>
#include "kl-worker.h"

G_BEGIN_DECLS

#define KL_TYPE_CUSTOMER_ANALYSIS (kl_customer_analysis_get_type ())
G_DECLARE_FINAL_TYPE (KlCustomerAnalysis, kl_customer_analysis, KL, CUSTOMER_ANALYSIS, GtkBox)

GtkWidget  *kl_customer_analysis_new      (void);
void        kl_customer_analysis_load     (KlCustomerAnalysis *self,
                                           KlWorker           *worker,
                                           const char         *customer_id);
gboolean    kl_customer_analysis_is_idle  (KlCustomerAnalysis *self);
/* "Class B", "Class A (set by hand; computed: C)", … */
const char *kl_customer_analysis_get_class_text (KlCustomerAnalysis *self);
GtkListBox *kl_customer_analysis_get_lines (KlCustomerAnalysis *self);
GtkDropDown *kl_customer_analysis_get_override (KlCustomerAnalysis *self);

G_END_DECLS
