/* SPDX-License-Identifier: GPL-3.0-or-later */
/* One entry of a case's history timeline, worded when shown in the
 * reader's language (kl_claim_history_entry_describe). Moves stand out
 * from field changes. */
#include "config.h"

#include <glib/gi18n.h>

#include "kl-claim-history-row.h"
#include "kl-claim-row.h"

struct _KlClaimHistoryRow {
  GtkListBoxRow  parent_instance;

  /* template */
  GtkWidget     *dot;
  GtkWidget     *line;
  GtkLabel      *what_label;
  GtkLabel      *meta_label;
  GtkLabel      *note_label;
};

G_DEFINE_FINAL_TYPE (KlClaimHistoryRow, kl_claim_history_row, GTK_TYPE_LIST_BOX_ROW)

static void
kl_claim_history_row_class_init (KlClaimHistoryRowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/keyline/Keyline/kl-claim-history-row.ui");
  gtk_widget_class_bind_template_child (widget_class, KlClaimHistoryRow, dot);
  gtk_widget_class_bind_template_child (widget_class, KlClaimHistoryRow, line);
  gtk_widget_class_bind_template_child (widget_class, KlClaimHistoryRow, what_label);
  gtk_widget_class_bind_template_child (widget_class, KlClaimHistoryRow, meta_label);
  gtk_widget_class_bind_template_child (widget_class, KlClaimHistoryRow, note_label);
}

static void
kl_claim_history_row_init (KlClaimHistoryRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
kl_claim_history_row_new (const KlClaimHistoryEntry *e,
                          gboolean                   newest,
                          gboolean                   oldest,
                          GTimeZone                 *tz)
{
  KlClaimHistoryRow *self;
  g_autofree char *what = NULL;
  g_autofree char *when = NULL;
  g_autofree char *meta = NULL;
  g_autofree char *accessible = NULL;
  gboolean is_move;

  g_return_val_if_fail (e != NULL, NULL);

  self = g_object_new (KL_TYPE_CLAIM_HISTORY_ROW, NULL);
  is_move = e->change == KL_CLAIM_CHANGE_CREATED || e->change == KL_CLAIM_CHANGE_MOVED;
  what = kl_claim_history_entry_describe (e);
  when = kl_claim_row_format_time (e->at, tz);

  gtk_label_set_text (self->what_label, what);
  /* Translators: when and by whom a change was made, "2026-10-31 14:00 · Wang Li" */
  meta = g_strdup_printf (_("%s · %s"), when ? when : "", e->by ? e->by : "");
  gtk_label_set_text (self->meta_label, meta);
  gtk_label_set_text (self->note_label, e->note ? e->note : "");
  gtk_widget_set_visible (GTK_WIDGET (self->note_label), e->note != NULL);

  if (is_move)
    {
      gtk_widget_add_css_class (self->dot, "move");
      gtk_widget_add_css_class (GTK_WIDGET (self->what_label), "heading");
    }
  if (newest)
    gtk_widget_add_css_class (self->dot, "first");
  gtk_widget_set_visible (self->line, !oldest);
  gtk_widget_add_css_class (GTK_WIDGET (self), is_move ? "move" : "change");

  /* Translators: a history entry for screen readers: what, when, who, note */
  accessible = g_strdup_printf (_("%s. %s. %s"), what, meta, e->note ? e->note : "");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, accessible, -1);
  return GTK_WIDGET (self);
}
