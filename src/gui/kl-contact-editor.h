/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A modal window that creates or edits one contact of a customer. */
#pragma once

#include <adwaita.h>
#include "kl-worker.h"
#include "kl-record-editor.h"
#include "kl-records.h"

G_BEGIN_DECLS

#define KL_TYPE_CONTACT_EDITOR (kl_contact_editor_get_type ())
G_DECLARE_FINAL_TYPE (KlContactEditor, kl_contact_editor, KL, CONTACT_EDITOR, KlRecordEditor)

/* contact NULL: a new contact of customer_id. Emits "saved" (id). */
GtkWidget *kl_contact_editor_new (KlWorker        *worker,
                                  const char      *customer_id,
                                  const KlContact *contact);

G_END_DECLS
