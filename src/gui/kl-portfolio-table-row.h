/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "kl-portfolio.h"
#include "kl-table-cell.h"

G_BEGIN_DECLS

/* The Portfolio table's columns, in the order they are shown. */
typedef enum {
  KL_PORTFOLIO_COLUMN_RANK,
  KL_PORTFOLIO_COLUMN_CUSTOMER,
  KL_PORTFOLIO_COLUMN_REGION,
  KL_PORTFOLIO_COLUMN_ABC,
  KL_PORTFOLIO_COLUMN_SHIPMENTS,
  KL_PORTFOLIO_COLUMN_TREND,
  KL_PORTFOLIO_COLUMN_MISSES,
  KL_PORTFOLIO_COLUMN_CLAIMS,
  KL_PORTFOLIO_COLUMN_DISPATCH,
  KL_PORTFOLIO_COLUMN_ARRIVAL,
  KL_PORTFOLIO_COLUMN_DOCUMENT,
  KL_PORTFOLIO_COLUMN_ORDER,
  KL_PORTFOLIO_COLUMN_DAMAGE,
  KL_PORTFOLIO_COLUMN_SHORTAGE,
  KL_PORTFOLIO_COLUMN_INCIDENT,
  KL_PORTFOLIO_COLUMN_OTIF,
  KL_PORTFOLIO_N_COLUMNS
} KlPortfolioColumn;

/* What one cell shows: a title (its figure), and for some kinds a caption
 * and note under it and a status icon before it. */
typedef struct {
  char            *title;
  char            *caption;
  char            *note;
  const char      *icon_name;       /* static; NULL for none */
  KlTableCellTone  title_tone;
  KlTableCellTone  caption_tone;
  KlTableCellTone  note_tone;
  KlTableCellTone  icon_tone;
  int              badge;           /* the kind of pill drawn behind the title; 0 for none */
  char            *tooltip;         /* NULL for none */
} KlPortfolioCell;

/* The rate a rate column shows, or -1 for the other columns. */
int         kl_portfolio_column_rate (KlPortfolioColumn column);

#define KL_TYPE_PORTFOLIO_TABLE_ROW (kl_portfolio_table_row_get_type ())
G_DECLARE_FINAL_TYPE (KlPortfolioTableRow, kl_portfolio_table_row, KL, PORTFOLIO_TABLE_ROW, GtkWidget)

GtkWidget             *kl_portfolio_table_row_new      (GtkColumnViewColumn * const *columns);
void                   kl_portfolio_table_row_set_row  (KlPortfolioTableRow  *self,
                                                        const KlPortfolioRow *row);
const KlPortfolioRow  *kl_portfolio_table_row_get_row  (KlPortfolioTableRow  *self);
const KlPortfolioCell *kl_portfolio_table_row_get_cell (KlPortfolioTableRow  *self,
                                                        KlPortfolioColumn     column);
const char            *kl_portfolio_table_row_get_accessible_text
                                                       (KlPortfolioTableRow  *self);
void                   kl_portfolio_table_row_columns_changed
                                                       (KlPortfolioTableRow  *self);

G_END_DECLS
