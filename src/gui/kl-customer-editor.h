/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A modal window that creates or edits one customer. */
#pragma once

#include <adwaita.h>
#include "kl-worker.h"
#include "kl-record-editor.h"

G_BEGIN_DECLS

#define KL_TYPE_CUSTOMER_EDITOR (kl_customer_editor_get_type ())
G_DECLARE_FINAL_TYPE (KlCustomerEditor, kl_customer_editor, KL, CUSTOMER_EDITOR, KlRecordEditor)

/* customer_id NULL: a new customer. Emits "saved" (id) after it saved. */
GtkWidget *kl_customer_editor_new (KlWorker   *worker,
                                   const char *customer_id);

G_END_DECLS
