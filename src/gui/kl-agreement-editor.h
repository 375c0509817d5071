/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A modal window that creates or edits one service agreement. */
#pragma once

#include <adwaita.h>
#include "kl-worker.h"
#include "kl-record-editor.h"
#include "kl-records.h"

G_BEGIN_DECLS

#define KL_TYPE_AGREEMENT_EDITOR (kl_agreement_editor_get_type ())
G_DECLARE_FINAL_TYPE (KlAgreementEditor, kl_agreement_editor, KL, AGREEMENT_EDITOR, KlRecordEditor)

/* agreement NULL: a new agreement of customer_id. Emits "saved" (id). */
GtkWidget *kl_agreement_editor_new (KlWorker          *worker,
                                    const char        *customer_id,
                                    const KlAgreement *agreement);

/* "98.5", "98,5" or "98.5 %" as the fraction 0.985; FALSE unless 0–100. */
gboolean   kl_agreement_editor_parse_percent (const char *text,
                                              double     *out_fraction);

G_END_DECLS
