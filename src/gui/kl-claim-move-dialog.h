/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The question a status move asks before it is made: only what that move
 * needs (an amount, a reason, the return label, an outcome, a corrective
 * action), or a confirmation for a step that cannot be taken back. */
#pragma once

#include <adwaita.h>
#include "kl-claim-store.h"

G_BEGIN_DECLS

#define KL_TYPE_CLAIM_MOVE_DIALOG (kl_claim_move_dialog_get_type ())
G_DECLARE_FINAL_TYPE (KlClaimMoveDialog, kl_claim_move_dialog, KL, CLAIM_MOVE_DIALOG, AdwMessageDialog)

/* The verb of a move, translated: "Acknowledge", "Approve", "Reopen". */
const char *kl_claim_move_dialog_verb          (const KlClaim *claim,
                                                KlClaimStatus  to);
/* The button that offers the move: the verb, with "…" when it asks. Free it. */
char       *kl_claim_move_dialog_button_label  (const KlClaim *claim,
                                                KlClaimStatus  to);
/* TRUE when the move asks something before it is made. */
gboolean    kl_claim_move_dialog_is_needed     (const KlClaim *claim,
                                                KlClaimStatus  to);
/* TRUE for moves that give the case up: decline, withdraw, reject, cancel. */
gboolean    kl_claim_move_dialog_is_destructive (KlClaimStatus to);

/* A modal question over parent. Emits "confirmed" when the user makes the
 * move; read it with kl_claim_move_dialog_get_move() inside the handler. */
GtkWidget  *kl_claim_move_dialog_new           (GtkWindow     *parent,
                                                const KlClaim *claim,
                                                KlClaimStatus  to);
/* The move as entered. Its strings belong to the dialog. */
void        kl_claim_move_dialog_get_move      (KlClaimMoveDialog *self,
                                                KlClaimMove       *out_move);

G_END_DECLS
