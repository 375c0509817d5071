/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The Claims & Returns page: every case, overdue and due first, with
 * search and filters, beside the selected case's detail. Its actions are in
 * the "claims" group: claims.new-case, claims.search, claims.clear-filters. */
#pragma once

#include <adwaita.h>
#include "kl-worker.h"

G_BEGIN_DECLS

#define KL_TYPE_CLAIMS_PAGE (kl_claims_page_get_type ())
G_DECLARE_FINAL_TYPE (KlClaimsPage, kl_claims_page, KL, CLAIMS_PAGE, AdwBin)

GtkWidget  *kl_claims_page_new                 (void);
void        kl_claims_page_set_worker          (KlClaimsPage *self,
                                                KlWorker     *worker);
/* Reads the cases again (after a sync changed them behind the window). */
void        kl_claims_page_refresh             (KlClaimsPage *self);
/* Shows the case (an id or a number) and selects it in the list once it
 * is there. */
void        kl_claims_page_show_case           (KlClaimsPage *self,
                                                const char   *claim_id);
/* Opens the new-case editor, filled in with what is given (either may be
 * NULL); the new case is shown once it is stored. */
void        kl_claims_page_new_case            (KlClaimsPage *self,
                                                const char   *customer_id,
                                                const char   *waybill);
void        kl_claims_page_focus_search        (KlClaimsPage *self);

/* TRUE when the page is folded (narrow) and shows the detail, so Back
 * returns to the list. Notified as "showing-detail". */
gboolean    kl_claims_page_get_showing_detail  (KlClaimsPage *self);
void        kl_claims_page_show_list           (KlClaimsPage *self);

/* For tests. */
GListModel *kl_claims_page_get_model           (KlClaimsPage *self);
GtkWidget  *kl_claims_page_get_detail          (KlClaimsPage *self);
gboolean    kl_claims_page_get_loading         (KlClaimsPage *self);
void        kl_claims_page_select              (KlClaimsPage *self,
                                                guint         position);

G_END_DECLS
