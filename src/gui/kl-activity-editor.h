/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A modal window that logs or edits one activity and its follow-up. */
#pragma once

#include <adwaita.h>
#include "kl-worker.h"
#include "kl-record-editor.h"
#include "kl-records.h"

G_BEGIN_DECLS

#define KL_TYPE_ACTIVITY_EDITOR (kl_activity_editor_get_type ())
G_DECLARE_FINAL_TYPE (KlActivityEditor, kl_activity_editor, KL, ACTIVITY_EDITOR, KlRecordEditor)

/* activity NULL: a new activity of customer_id, happening now. contacts (of
 * KlContact, may be NULL) are offered as the person involved. Emits
 * "saved" (id). */
GtkWidget *kl_activity_editor_new (KlWorker         *worker,
                                   const char       *customer_id,
                                   GPtrArray        *contacts,
                                   const KlActivity *activity);

G_END_DECLS
