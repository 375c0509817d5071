/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A modal window that opens a new claim, return or complaint. */
#pragma once

#include <adwaita.h>
#include "kl-record-editor.h"

G_BEGIN_DECLS

#define KL_TYPE_CLAIM_EDITOR (kl_claim_editor_get_type ())
G_DECLARE_FINAL_TYPE (KlClaimEditor, kl_claim_editor, KL, CLAIM_EDITOR, KlRecordEditor)

/* customer_id and waybill may be NULL; given, they are filled in (a known
 * waybill without a customer chooses the shipment's customer). Saves through
 * KlRecordEditor: emits "saved" (the new case's id) once the case is stored,
 * then closes. */
GtkWidget *kl_claim_editor_new (KlWorker   *worker,
                                const char *customer_id,
                                const char *waybill);

G_END_DECLS
