/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Shared by kl-customer-detail.c (loading and showing) and
 * kl-customer-detail-actions.c (editors, deletes with undo, the done
 * toggle). */
#pragma once

#include "kl-customer-detail.h"
#include "kl-customer-overview.h"
#include "kl-customer-cases.h"
#include "kl-records.h"

G_BEGIN_DECLS

#define RECORD_ID_KEY "kl-record-id"
#define DELETE_ACTION_KEY "kl-delete-action"

struct _KlCustomerDetail {
  AdwBin         parent_instance;

  KlWorker      *worker;
  char          *customer_id;
  GCancellable  *load_cancellable;
  GCancellable  *cancellable;       /* writes; cancelled on dispose only */

  KlCustomer    *customer;
  GPtrArray     *contacts;
  GPtrArray     *agreements;
  GPtrArray     *activities;

  GHashTable    *undos;             /* token → Change */
  guint          undo_serial;

  AdwToastOverlay *toast_overlay;
  GtkStack      *main_stack;
  AdwStatusPage *error_page;
  GtkLabel      *name_label;
  GtkLabel      *subtitle_label;
  AdwViewStack  *view_stack;
  KlCustomerOverview *overview;
  KlCustomerCases *customer_cases;
  GtkListBox    *contacts_list;
  GtkListBox    *agreements_list;
  GtkListBox    *activities_list;
};

/* kl-customer-detail.c */
void _kl_customer_detail_reload                  (KlCustomerDetail *self);
void _kl_customer_detail_emit_customer_changed   (KlCustomerDetail *self,
                                                  const char       *id);

/* kl-customer-detail-actions.c */
void _kl_customer_detail_class_install_actions   (GtkWidgetClass   *widget_class);
/* Sets up the undo list and the Delete key on the lists. */
void _kl_customer_detail_init_actions            (KlCustomerDetail *self);
/* Switches the actions on and off for the customer shown. */
void _kl_customer_detail_update_actions          (KlCustomerDetail *self);

G_END_DECLS
