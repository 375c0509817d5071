/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The Portfolio page: every account ranked by its month against its service
 * agreement — SLA misses, claims, volume trend and ABC class — in a sortable
 * table; activating a row asks to open the account. */
#pragma once

#include <adwaita.h>
#include "kl-worker.h"
#include "kl-portfolio.h"

G_BEGIN_DECLS

/* One row of the table: a KlPortfolioRow in a GObject for list models. */
#define KL_TYPE_PORTFOLIO_ITEM (kl_portfolio_item_get_type ())
G_DECLARE_FINAL_TYPE (KlPortfolioItem, kl_portfolio_item, KL, PORTFOLIO_ITEM, GObject)

const KlPortfolioRow *kl_portfolio_item_get_row (KlPortfolioItem *self);

#define KL_TYPE_PORTFOLIO_PAGE (kl_portfolio_page_get_type ())
G_DECLARE_FINAL_TYPE (KlPortfolioPage, kl_portfolio_page, KL, PORTFOLIO_PAGE, AdwBin)

GtkWidget     *kl_portfolio_page_new            (void);
void           kl_portfolio_page_set_worker     (KlPortfolioPage *self,
                                                 KlWorker        *worker);
/* Ranks the accounts again (after the workspace changed), keeping the
 * month, the filter and the sort order. */
void           kl_portfolio_page_refresh        (KlPortfolioPage *self);

/* The ranked month, yyyymm; 0 until the first ranking when none was set
 * (the default is the last complete month of the workspace time zone). */
int            kl_portfolio_page_get_month      (KlPortfolioPage *self);
void           kl_portfolio_page_set_month      (KlPortfolioPage *self,
                                                 int              month);

/* For tests. The column view is the table's header (its columns, titles
 * and sorting); the list view's model holds KlPortfolioItem, filtered and
 * sorted as shown, and its rows are KlPortfolioTableRow. */
GtkColumnView *kl_portfolio_page_get_column_view (KlPortfolioPage *self);
GtkListView   *kl_portfolio_page_get_list_view   (KlPortfolioPage *self);
GtkEditable   *kl_portfolio_page_get_search_entry (KlPortfolioPage *self);

G_END_DECLS
