/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the files of the claim detail share: kl-claim-detail.c (loading and
 * showing a case) and kl-claim-detail-actions.c (moves, field changes and
 * notes written through the worker). */
#pragma once

#include "kl-claim-detail.h"
#include "kl-shipment-store.h"

G_BEGIN_DECLS

#define DOCUMENT_KEY "kl-claim-document"

struct _KlClaimDetail {
  AdwBin         parent_instance;

  KlWorker      *worker;
  char          *claim_id;
  GCancellable  *load_cancellable;
  GCancellable  *cancellable;          /* writes; cancelled on dispose only */
  gboolean       filling;              /* widgets are being set from the case */
  gboolean       keep_edits;           /* the same case is shown again */

  KlClaim       *claim;
  GPtrArray     *history;
  GPtrArray     *notes;
  KlShipment    *shipment;
  GTimeZone     *tz;
  gint64         now;
  gboolean       unpushed;             /* changes here not yet synced */

  GtkWidget     *doc_checks[KL_N_CLAIM_DOCUMENTS];
  GtkWidget     *doc_rows[KL_N_CLAIM_DOCUMENTS];

  /* template */
  GtkStack      *main_stack;
  AdwStatusPage *error_page;
  GtkScrolledWindow *scroller;
  GtkImage      *kind_icon;
  GtkLabel      *number_label;
  GtkLabel      *status_label;
  GtkLabel      *customer_label;
  GtkLabel      *subtitle_label;
  GtkLabel      *deadline_label;
  GtkWidget     *moves_box;
  GtkLabel      *final_label;
  GtkWidget     *notices_box;
  GtkWidget     *deadlines_group;
  GtkLabel      *filed_value;
  GtkWidget     *ack_row;
  GtkLabel      *ack_value;
  GtkWidget     *resolve_row;
  GtkLabel      *resolve_value;
  GtkWidget     *update_row;
  GtkLabel      *update_value;
  GtkWidget     *amounts_group;
  AdwEntryRow   *claimed_row;
  GtkLabel      *approved_value;
  GtkLabel      *paid_value;
  AdwEntryRow   *salvage_row;
  AdwPreferencesGroup *documents_group;
  GtkWidget     *shipment_group;
  GtkWidget     *waybill_row;
  GtkLabel      *waybill_value;
  GtkWidget     *unknown_row;
  GtkWidget     *route_row;
  GtkLabel      *route_value;
  GtkWidget     *mode_row;
  GtkLabel      *mode_value;
  GtkWidget     *shipment_status_row;
  GtkLabel      *shipment_status_value;
  GtkWidget     *pickup_row;
  GtkLabel      *pickup_value;
  GtkWidget     *delivery_row;
  GtkLabel      *delivery_value;
  GtkWidget     *pieces_row;
  GtkLabel      *pieces_value;
  GtkWidget     *exceptions_row;
  GtkLabel      *exceptions_value;
  GtkWidget     *return_group;
  GtkLabel      *rma_value;
  GtkLabel      *destination_value;
  GtkLabel      *label_value;
  GtkLabel      *tracking_value;
  GtkLabel      *outcome_value;
  AdwActionRow  *description_row;
  GtkWidget     *incident_row;
  GtkLabel      *incident_value;
  AdwEntryRow   *owner_row;
  AdwEntryRow   *root_cause_row;
  AdwEntryRow   *corrective_row;
  AdwEntryRow   *note_entry;
  GtkToggleButton *client_toggle;
  GtkListBox    *notes_list;
  GtkListBox    *history_list;
};

/* kl-claim-detail.c */
void  _kl_claim_detail_reload             (KlClaimDetail *self);
void  _kl_claim_detail_emit_case_changed  (KlClaimDetail *self,
                                           const char    *id);
void  _kl_claim_detail_set_entry          (AdwEntryRow   *row,
                                           const char    *text);
char *_kl_claim_detail_entry_text         (AdwEntryRow   *row);
void  _kl_claim_detail_add_toast          (KlClaimDetail *self,
                                           const char    *message);
void  _kl_claim_detail_show_refusal       (KlClaimDetail *self,
                                           const char    *heading,
                                           const char    *message);
gboolean _kl_claim_detail_is_cancelled    (const GError  *error);

/* kl-claim-detail-actions.c */
void  _kl_claim_detail_class_init_actions (GtkWidgetClass *widget_class);
void  _kl_claim_detail_on_document_toggled (GtkCheckButton *check,
                                            KlClaimDetail  *self);

G_END_DECLS
