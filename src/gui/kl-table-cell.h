/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* How a part of a cell is coloured: the text's own colour, dimmed, or one of
 * the theme's status colours. */
typedef enum {
  KL_TABLE_CELL_TONE_NORMAL,
  KL_TABLE_CELL_TONE_DIM,
  KL_TABLE_CELL_TONE_SUCCESS,
  KL_TABLE_CELL_TONE_WARNING,
  KL_TABLE_CELL_TONE_ERROR,
} KlTableCellTone;

#define KL_TABLE_CELL_ICON_SIZE 14

#define KL_TYPE_TABLE_CELL (kl_table_cell_get_type ())
G_DECLARE_FINAL_TYPE (KlTableCell, kl_table_cell, KL, TABLE_CELL, GtkWidget)

GtkWidget  *kl_table_cell_new            (gboolean         with_icon);
void        kl_table_cell_set_title      (KlTableCell     *self,
                                          const char      *text,
                                          KlTableCellTone  tone);
void        kl_table_cell_set_caption    (KlTableCell     *self,
                                          const char      *text,
                                          KlTableCellTone  tone);
void        kl_table_cell_set_note       (KlTableCell     *self,
                                          const char      *text,
                                          KlTableCellTone  tone);
void        kl_table_cell_set_max_width_chars
                                         (KlTableCell     *self,
                                          int              n_chars);
void        kl_table_cell_set_icon       (KlTableCell     *self,
                                          const char      *icon_name,
                                          KlTableCellTone  tone);
const char *kl_table_cell_get_title      (KlTableCell     *self);
const char *kl_table_cell_get_caption    (KlTableCell     *self);
const char *kl_table_cell_get_note       (KlTableCell     *self);
const char *kl_table_cell_get_icon_name  (KlTableCell     *self);

GdkRGBA     kl_table_cell_tone_color     (GtkWidget       *widget,
                                          KlTableCellTone  tone);
void        kl_table_cell_snapshot_icon  (GtkWidget       *widget,
                                          GtkSnapshot     *snapshot,
                                          const char      *icon_name,
                                          KlTableCellTone  tone,
                                          int              x,
                                          int              y);

G_END_DECLS
