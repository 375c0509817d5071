/* SPDX-License-Identifier: GPL-3.0-or-later */
/* One note on a case, internal or for the client. */
#pragma once

#include <adwaita.h>

#include "kl-claim-store.h"

G_BEGIN_DECLS

#define KL_TYPE_CLAIM_NOTE_ROW (kl_claim_note_row_get_type ())
G_DECLARE_FINAL_TYPE (KlClaimNoteRow, kl_claim_note_row, KL, CLAIM_NOTE_ROW, AdwActionRow)

GtkWidget *kl_claim_note_row_new (const KlClaimNote *note,
                                  GTimeZone         *tz);

G_END_DECLS
