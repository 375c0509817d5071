/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The contact editor: name, role, phone, email, primary flag, birthday and
 * notes, with the problems shown under their fields. */
#include "config.h"

#include <glib/gi18n.h>

#include "kl-contact-editor.h"
#include "kl-record-editor.h"
#include "kl-date-row.h"
#include "kl-contact-store.h"

struct _KlContactEditor {
  KlRecordEditor parent_instance;

  KlContact    *original;

  GtkLabel     *general_error;
  AdwEntryRow  *name_row;
  GtkWidget    *name_error;
  AdwComboRow  *role_row;
  AdwEntryRow  *phone_row;
  AdwEntryRow  *email_row;
  GtkWidget    *email_error;
  GtkSwitch    *primary_switch;
  AdwEntryRow  *birthday_row;
  GtkWidget    *birthday_error;
  AdwEntryRow  *notes_row;
};

G_DEFINE_FINAL_TYPE (KlContactEditor, kl_contact_editor, KL_TYPE_RECORD_EDITOR)

static void
clear_errors (KlRecordEditor *editor)
{
  KlContactEditor *self = KL_CONTACT_EDITOR (editor);

  _kl_editor_set_field_error (GTK_WIDGET (self->name_row), self->name_error, NULL);
  _kl_editor_set_field_error (GTK_WIDGET (self->email_row), self->email_error, NULL);
  _kl_editor_set_field_error (GTK_WIDGET (self->birthday_row), self->birthday_error, NULL);
  }

static gpointer
collect (KlRecordEditor *editor)
{
  KlContactEditor *self = KL_CONTACT_EDITOR (editor);
  g_autoptr(KlContact) c = kl_contact_copy (self->original);
  GtkWidget *first_bad = NULL;

#define REPLACE(field, row) G_STMT_START { g_free (c->field); c->field = _kl_editor_dup_text (row); } G_STMT_END
  REPLACE (name, self->name_row);
  REPLACE (phone, self->phone_row);
  REPLACE (email, self->email_row);
  REPLACE (birthday, self->birthday_row);
  REPLACE (notes, self->notes_row);
#undef REPLACE
  c->role = adw_combo_row_get_selected (self->role_row);
  c->primary = gtk_switch_get_active (self->primary_switch);

  if (c->name == NULL)
    {
      _kl_editor_set_field_error (GTK_WIDGET (self->name_row), self->name_error,
                                  _("Enter the contact’s name"));
      first_bad = GTK_WIDGET (self->name_row);
    }
  if (c->email != NULL && !_kl_editor_email_valid (c->email))
    {
      _kl_editor_set_field_error (GTK_WIDGET (self->email_row), self->email_error,
                                  _("Enter an email address like name@example.com"));
      first_bad = first_bad ? first_bad : GTK_WIDGET (self->email_row);
    }
  if (c->birthday != NULL && !_kl_editor_date_valid (c->birthday))
    {
      _kl_editor_set_field_error (GTK_WIDGET (self->birthday_row), self->birthday_error,
                                  _("Enter a date like 1980-05-17"));
      first_bad = first_bad ? first_bad : GTK_WIDGET (self->birthday_row);
    }
  if (first_bad != NULL)
    {
      gtk_widget_grab_focus (first_bad);
      return NULL;
    }
  return g_steal_pointer (&c);
}

static char *
save_record (KlDatabase  *db,
             gpointer     record,
             GError     **error)
{
  KlContact *c = record;

  if (!kl_contact_store_save (db, c, error))
    return NULL;
  return g_strdup (c->id);
}

static void
kl_contact_editor_finalize (GObject *object)
{
  KlContactEditor *self = KL_CONTACT_EDITOR (object);

  g_clear_pointer (&self->original, kl_contact_free);
  G_OBJECT_CLASS (kl_contact_editor_parent_class)->finalize (object);
}

static void
kl_contact_editor_class_init (KlContactEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  KlRecordEditorClass *editor_class = KL_RECORD_EDITOR_CLASS (klass);

  object_class->finalize = kl_contact_editor_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/keyline/Keyline/kl-contact-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, KlContactEditor, general_error);
  gtk_widget_class_bind_template_child (widget_class, KlContactEditor, name_row);
  gtk_widget_class_bind_template_child (widget_class, KlContactEditor, name_error);
  gtk_widget_class_bind_template_child (widget_class, KlContactEditor, role_row);
  gtk_widget_class_bind_template_child (widget_class, KlContactEditor, phone_row);
  gtk_widget_class_bind_template_child (widget_class, KlContactEditor, email_row);
  gtk_widget_class_bind_template_child (widget_class, KlContactEditor, email_error);
  gtk_widget_class_bind_template_child (widget_class, KlContactEditor, primary_switch);
  gtk_widget_class_bind_template_child (widget_class, KlContactEditor, birthday_row);
  gtk_widget_class_bind_template_child (widget_class, KlContactEditor, birthday_error);
  gtk_widget_class_bind_template_child (widget_class, KlContactEditor, notes_row);

  editor_class->clear_errors = clear_errors;
  editor_class->collect = collect;
  editor_class->save = save_record;
  editor_class->record_free = (GDestroyNotify) kl_contact_free;
}

static void
kl_contact_editor_init (KlContactEditor *self)
{
  const char *labels[KL_N_CONTACT_ROLES];

  gtk_widget_init_template (GTK_WIDGET (self));
  kl_date_row_attach (self->birthday_row, FALSE);
  /* Keep the theme's node name (window) so its styling applies. */
  gtk_widget_add_css_class (GTK_WIDGET (self), "contact-editor");
  kl_record_editor_set_message_label (KL_RECORD_EDITOR (self), self->general_error);
  for (guint i = 0; i < KL_N_CONTACT_ROLES; i++)
    labels[i] = kl_contact_role_to_label (i);
  _kl_editor_set_combo_labels (self->role_row, labels, KL_N_CONTACT_ROLES);
}

GtkWidget *
kl_contact_editor_new (KlWorker        *worker,
                       const char      *customer_id,
                       const KlContact *contact)
{
  KlContactEditor *self;
  const KlContact *c;

  g_return_val_if_fail (KL_IS_WORKER (worker), NULL);
  g_return_val_if_fail (customer_id != NULL, NULL);

  self = g_object_new (KL_TYPE_CONTACT_EDITOR, "worker", worker, NULL);
  if (contact != NULL)
    self->original = kl_contact_copy (contact);
  else
    self->original = kl_contact_new ();
  g_free (self->original->customer_id);
  self->original->customer_id = g_strdup (customer_id);

  c = self->original;
  gtk_window_set_title (GTK_WINDOW (self), contact ? _("Edit Contact") : _("New Contact"));
  _kl_editor_set_text (self->name_row, c->name);
  adw_combo_row_set_selected (self->role_row, c->role);
  _kl_editor_set_text (self->phone_row, c->phone);
  _kl_editor_set_text (self->email_row, c->email);
  gtk_switch_set_active (self->primary_switch, c->primary);
  _kl_editor_set_text (self->birthday_row, c->birthday);
  _kl_editor_set_text (self->notes_row, c->notes);
  return GTK_WIDGET (self);
}
