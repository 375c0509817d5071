/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The right-hand side of the Claims & Returns page: one case with its
 * deadlines, next moves, amounts, documents, shipment, notes and history. */
#pragma once

#include <adwaita.h>
#include "kl-worker.h"
#include "kl-claim-store.h"

G_BEGIN_DECLS

#define KL_TYPE_CLAIM_DETAIL (kl_claim_detail_get_type ())
G_DECLARE_FINAL_TYPE (KlClaimDetail, kl_claim_detail, KL, CLAIM_DETAIL, AdwBin)

GtkWidget     *kl_claim_detail_new          (void);
void           kl_claim_detail_set_worker   (KlClaimDetail *self,
                                             KlWorker      *worker);
/* An id or a number; NULL shows the empty state. */
void           kl_claim_detail_set_claim_id (KlClaimDetail *self,
                                             const char    *claim_id);
/* The case as last shown, or NULL while none is. */
/* Reads the case shown again (after a sync changed it behind the window). */
void           kl_claim_detail_refresh      (KlClaimDetail *self);
const KlClaim *kl_claim_detail_get_claim    (KlClaimDetail *self);

G_END_DECLS
