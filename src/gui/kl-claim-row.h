/* SPDX-License-Identifier: GPL-3.0-or-later */
/* One case in a list: its number, customer, kind, status badge and the
 * deadline it is working to. Also the list item that carries a case, and
 * the small presentation rules every claims widget shares. */
#pragma once

#include <adwaita.h>
#include "kl-claim-store.h"

G_BEGIN_DECLS

/* A case as an item of a GListModel, with the instant and time zone its
 * deadlines were computed in. */
#define KL_TYPE_CLAIM_ITEM (kl_claim_item_get_type ())
G_DECLARE_FINAL_TYPE (KlClaimItem, kl_claim_item, KL, CLAIM_ITEM, GObject)

/* Takes ownership of claim; tz is referenced. */
KlClaimItem   *kl_claim_item_new       (KlClaim   *claim,
                                        gint64     now,
                                        GTimeZone *tz);
const KlClaim *kl_claim_item_get_claim (KlClaimItem *self);
const char    *kl_claim_item_get_id    (KlClaimItem *self);
gint64         kl_claim_item_get_now   (KlClaimItem *self);
GTimeZone     *kl_claim_item_get_tz    (KlClaimItem *self);
/* Whether the case has changes here not yet pushed to the back office
 * (or waits in a conflict); the list marks it. */
void           kl_claim_item_set_unpushed (KlClaimItem *self, gboolean unpushed);
gboolean       kl_claim_item_get_unpushed (KlClaimItem *self);

#define KL_TYPE_CLAIM_ROW (kl_claim_row_get_type ())
G_DECLARE_FINAL_TYPE (KlClaimRow, kl_claim_row, KL, CLAIM_ROW, GtkWidget)

GtkWidget  *kl_claim_row_new            (void);
/* show_customer FALSE leaves the customer out (in a customer's own list). */
void        kl_claim_row_set_item       (KlClaimRow  *self,
                                         KlClaimItem *item,
                                         gboolean     show_customer);

/* Shared by the claims widgets. */

const char *kl_claim_row_kind_icon_name (KlClaimKind kind);
/* Why a case is not in step with the back office — a provisional number,
 * or changes here not yet pushed — for its mark's tooltip; NULL when it is. */
const char *kl_claim_row_unsynced_text  (const KlClaim *c,
                                         gboolean       unpushed);
/* Gives a label the badge look and colour of status (replacing an earlier one). */
void        kl_claim_row_style_badge    (GtkWidget     *label,
                                         KlClaimStatus  status);
/* "2026-10-31" and "2026-10-31 14:30" in tz (local time when NULL); NULL for KL_NO_TIME. */
char       *kl_claim_row_format_day     (gint64     t,
                                         GTimeZone *tz);
char       *kl_claim_row_format_time    (gint64     t,
                                         GTimeZone *tz);
/* What the case is working to: "Acknowledge by 2026-10-31 · in 3 days",
 * "Overdue · Resolve by … · 12 days late", "Closed 2026-10-02", or NULL
 * when nothing is pending. compact leaves out the "Overdue · " (the
 * "days late" says it) for narrow lists. */
char       *kl_claim_row_deadline_text  (const KlClaim *claim,
                                         gint64         now,
                                         GTimeZone     *tz,
                                         gboolean       compact);
/* "1,234.50 CNY" style; NULL when not set. */
char       *kl_claim_row_money_text     (gboolean    set,
                                         gint64      minor,
                                         const char *currency);
/* Loads ui/kl-claims.css once per display. */
void        kl_claim_row_ensure_style   (GtkWidget *widget);

G_END_DECLS
