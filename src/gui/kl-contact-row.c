/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A contact row: name, role and how to reach them, a star for the primary
 * contact, and buttons naming the detail's contact.* actions. */
#include "config.h"

#include <glib/gi18n.h>
#include "kl-contact-row.h"

struct _KlContactRow {
  AdwActionRow  parent_instance;

  KlContact    *contact;

  GtkWidget    *primary_icon;
  GtkWidget    *edit_button;
  GtkWidget    *delete_button;
};

G_DEFINE_FINAL_TYPE (KlContactRow, kl_contact_row, ADW_TYPE_ACTION_ROW)

static void
on_activated (KlContactRow *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "contact.edit", "s", self->contact->id);
}

static void
kl_contact_row_finalize (GObject *object)
{
  KlContactRow *self = KL_CONTACT_ROW (object);

  g_clear_pointer (&self->contact, kl_contact_free);
  G_OBJECT_CLASS (kl_contact_row_parent_class)->finalize (object);
}

static void
kl_contact_row_class_init (KlContactRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = kl_contact_row_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/keyline/Keyline/kl-contact-row.ui");
  gtk_widget_class_bind_template_child (widget_class, KlContactRow, primary_icon);
  gtk_widget_class_bind_template_child (widget_class, KlContactRow, edit_button);
  gtk_widget_class_bind_template_child (widget_class, KlContactRow, delete_button);
  gtk_widget_class_bind_template_callback (widget_class, on_activated);
}

static void
kl_contact_row_init (KlContactRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  /* Keep the theme's node name (row) so its styling applies. */
  gtk_widget_add_css_class (GTK_WIDGET (self), "contact-row");
}

GtkWidget *
kl_contact_row_new (const KlContact *contact)
{
  KlContactRow *self;
  g_autoptr(GPtrArray) parts = g_ptr_array_new ();
  g_autofree char *subtitle = NULL;
  g_autofree char *escaped_title = NULL;
  g_autofree char *escaped_subtitle = NULL;

  g_return_val_if_fail (contact != NULL && contact->id != NULL, NULL);

  self = g_object_new (KL_TYPE_CONTACT_ROW, NULL);
  self->contact = kl_contact_copy (contact);

  g_ptr_array_add (parts, (gpointer) kl_contact_role_to_label (contact->role));
  if (contact->phone != NULL && *contact->phone != '\0')
    g_ptr_array_add (parts, contact->phone);
  if (contact->email != NULL && *contact->email != '\0')
    g_ptr_array_add (parts, contact->email);
  g_ptr_array_add (parts, NULL);
  subtitle = g_strjoinv (" · ", (char **) parts->pdata);

  /* Rows read titles as Pango markup. */
  escaped_title = g_markup_escape_text (contact->name ? contact->name : "", -1);
  escaped_subtitle = g_markup_escape_text (subtitle, -1);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self), escaped_title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self), escaped_subtitle);

  /* The star keeps its room on every row, so that the names line up. */
  gtk_widget_set_opacity (self->primary_icon, contact->primary ? 1.0 : 0.0);
  gtk_accessible_update_state (GTK_ACCESSIBLE (self->primary_icon),
                               GTK_ACCESSIBLE_STATE_HIDDEN, !contact->primary, -1);
  gtk_actionable_set_action_target (GTK_ACTIONABLE (self->edit_button), "s", contact->id);
  gtk_actionable_set_action_target (GTK_ACTIONABLE (self->delete_button), "s", contact->id);
  return GTK_WIDGET (self);
}
