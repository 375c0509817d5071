/* SPDX-License-Identifier: GPL-3.0-or-later */
/* One note on a case: its text, when and who, and a badge saying whether
 * the client may read it. */
#include "config.h"

#include <glib/gi18n.h>

#include "kl-claim-note-row.h"
#include "kl-claim-row.h"

struct _KlClaimNoteRow {
  AdwActionRow  parent_instance;

  /* template */
  GtkLabel     *badge;
};

G_DEFINE_FINAL_TYPE (KlClaimNoteRow, kl_claim_note_row, ADW_TYPE_ACTION_ROW)

static void
kl_claim_note_row_class_init (KlClaimNoteRowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/keyline/Keyline/kl-claim-note-row.ui");
  gtk_widget_class_bind_template_child (widget_class, KlClaimNoteRow, badge);
}

static void
kl_claim_note_row_init (KlClaimNoteRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
kl_claim_note_row_new (const KlClaimNote *n,
                       GTimeZone         *tz)
{
  KlClaimNoteRow *self;
  g_autofree char *text = NULL;
  g_autofree char *when = NULL;
  g_autofree char *meta = NULL;
  g_autofree char *meta_escaped = NULL;
  gboolean client;

  g_return_val_if_fail (n != NULL, NULL);

  self = g_object_new (KL_TYPE_CLAIM_NOTE_ROW, NULL);
  client = n->visibility == KL_CLAIM_NOTE_CLIENT;
  text = g_markup_escape_text (n->text ? n->text : "", -1);
  when = kl_claim_row_format_time (n->at, tz);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self), text);
  /* Translators: when and by whom a note was written, "2026-10-31 14:00 · Wang Li" */
  meta = g_strdup_printf (_("%s · %s"), when ? when : "", n->by ? n->by : "");
  meta_escaped = g_markup_escape_text (meta, -1);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self), meta_escaped);

  gtk_label_set_text (self->badge, client ? _("Client") : _("Internal"));
  if (client)
    gtk_widget_add_css_class (GTK_WIDGET (self->badge), "client");
  gtk_widget_add_css_class (GTK_WIDGET (self), client ? "client-note" : "internal-note");
  return GTK_WIDGET (self);
}
