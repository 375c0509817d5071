/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The activity editor: kind, subject, when, who, notes, and the follow-up
 * with its due time and done flag. Times are typed in local time. */
#include "config.h"

#include <glib/gi18n.h>

#include "kl-activity-editor.h"
#include "kl-record-editor.h"
#include "kl-date-row.h"
#include "kl-activity-store.h"

struct _KlActivityEditor {
  KlRecordEditor parent_instance;

  KlActivity   *original;
  GPtrArray    *contact_ids;    /* index i + 1 of the contact combo; 0 is "nobody" */

  GtkLabel     *general_error;
  AdwComboRow  *kind_row;
  AdwEntryRow  *subject_row;
  GtkWidget    *subject_error;
  AdwEntryRow  *at_row;
  GtkWidget    *at_error;
  AdwComboRow  *contact_row;
  AdwEntryRow  *notes_row;
  AdwEntryRow  *due_row;
  GtkWidget    *due_error;
  GtkSwitch    *done_switch;
};

G_DEFINE_FINAL_TYPE (KlActivityEditor, kl_activity_editor, KL_TYPE_RECORD_EDITOR)

static void
clear_errors (KlRecordEditor *editor)
{
  KlActivityEditor *self = KL_ACTIVITY_EDITOR (editor);

  _kl_editor_set_field_error (GTK_WIDGET (self->subject_row), self->subject_error, NULL);
  _kl_editor_set_field_error (GTK_WIDGET (self->at_row), self->at_error, NULL);
  _kl_editor_set_field_error (GTK_WIDGET (self->due_row), self->due_error, NULL);
  }

static gpointer
collect (KlRecordEditor *editor)
{
  KlActivityEditor *self = KL_ACTIVITY_EDITOR (editor);
  g_autoptr(KlActivity) a = kl_activity_copy (self->original);
  g_autofree char *at = _kl_editor_dup_text (self->at_row);
  g_autofree char *due = _kl_editor_dup_text (self->due_row);
  GtkWidget *first_bad = NULL;
  guint contact;

  a->kind = adw_combo_row_get_selected (self->kind_row);
  g_free (a->subject);
  a->subject = _kl_editor_dup_text (self->subject_row);
  g_free (a->notes);
  a->notes = _kl_editor_dup_text (self->notes_row);
  a->done = gtk_switch_get_active (self->done_switch);
  contact = adw_combo_row_get_selected (self->contact_row);
  g_free (a->contact_id);
  a->contact_id = NULL;
  if (contact != GTK_INVALID_LIST_POSITION && contact > 0 && contact <= self->contact_ids->len)
    a->contact_id = g_strdup (g_ptr_array_index (self->contact_ids, contact - 1));

  if (a->subject == NULL)
    {
      _kl_editor_set_field_error (GTK_WIDGET (self->subject_row), self->subject_error,
                                  _("Enter what the activity was about"));
      first_bad = GTK_WIDGET (self->subject_row);
    }
  if (at == NULL || !_kl_editor_parse_time (at, &a->at))
    {
      _kl_editor_set_field_error (GTK_WIDGET (self->at_row), self->at_error,
                                  _("Enter a time like 2026-10-31 14:30"));
      first_bad = first_bad ? first_bad : GTK_WIDGET (self->at_row);
    }
  a->due_at = KL_NO_TIME;
  if (due != NULL && !_kl_editor_parse_time (due, &a->due_at))
    {
      _kl_editor_set_field_error (GTK_WIDGET (self->due_row), self->due_error,
                                  _("Enter a time like 2026-11-07 09:00, or leave it empty"));
      first_bad = first_bad ? first_bad : GTK_WIDGET (self->due_row);
    }
  if (first_bad != NULL)
    {
      gtk_widget_grab_focus (first_bad);
      return NULL;
    }
  return g_steal_pointer (&a);
}

static char *
save_record (KlDatabase  *db,
             gpointer     record,
             GError     **error)
{
  KlActivity *a = record;

  if (!kl_activity_store_save (db, a, error))
    return NULL;
  return g_strdup (a->id);
}

static gboolean
show_save_error (KlRecordEditor *editor,
                 const GError   *error)
{
  KlActivityEditor *self = KL_ACTIVITY_EDITOR (editor);

  if (!g_error_matches (error, KL_DATABASE_ERROR, KL_DATABASE_ERROR_INVALID))
    return FALSE;
  _kl_editor_set_field_error (GTK_WIDGET (self->subject_row), self->subject_error, error->message);
  return TRUE;
}

static void
kl_activity_editor_finalize (GObject *object)
{
  KlActivityEditor *self = KL_ACTIVITY_EDITOR (object);

  g_clear_pointer (&self->original, kl_activity_free);
  g_clear_pointer (&self->contact_ids, g_ptr_array_unref);
  G_OBJECT_CLASS (kl_activity_editor_parent_class)->finalize (object);
}

static void
kl_activity_editor_class_init (KlActivityEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  KlRecordEditorClass *editor_class = KL_RECORD_EDITOR_CLASS (klass);

  object_class->finalize = kl_activity_editor_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/keyline/Keyline/kl-activity-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, KlActivityEditor, general_error);
  gtk_widget_class_bind_template_child (widget_class, KlActivityEditor, kind_row);
  gtk_widget_class_bind_template_child (widget_class, KlActivityEditor, subject_row);
  gtk_widget_class_bind_template_child (widget_class, KlActivityEditor, subject_error);
  gtk_widget_class_bind_template_child (widget_class, KlActivityEditor, at_row);
  gtk_widget_class_bind_template_child (widget_class, KlActivityEditor, at_error);
  gtk_widget_class_bind_template_child (widget_class, KlActivityEditor, contact_row);
  gtk_widget_class_bind_template_child (widget_class, KlActivityEditor, notes_row);
  gtk_widget_class_bind_template_child (widget_class, KlActivityEditor, due_row);
  gtk_widget_class_bind_template_child (widget_class, KlActivityEditor, due_error);
  gtk_widget_class_bind_template_child (widget_class, KlActivityEditor, done_switch);

  editor_class->clear_errors = clear_errors;
  editor_class->collect = collect;
  editor_class->show_save_error = show_save_error;
  editor_class->save = save_record;
  editor_class->record_free = (GDestroyNotify) kl_activity_free;
}

static void
kl_activity_editor_init (KlActivityEditor *self)
{
  const char *labels[KL_N_ACTIVITY_KINDS];

  gtk_widget_init_template (GTK_WIDGET (self));
  kl_date_row_attach (self->due_row, TRUE);
  /* Keep the theme's node name (window) so its styling applies. */
  gtk_widget_add_css_class (GTK_WIDGET (self), "activity-editor");
  kl_record_editor_set_message_label (KL_RECORD_EDITOR (self), self->general_error);
  self->contact_ids = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < KL_N_ACTIVITY_KINDS; i++)
    labels[i] = kl_activity_kind_to_label (i);
  _kl_editor_set_combo_labels (self->kind_row, labels, KL_N_ACTIVITY_KINDS);
}

GtkWidget *
kl_activity_editor_new (KlWorker         *worker,
                        const char       *customer_id,
                        GPtrArray        *contacts,
                        const KlActivity *activity)
{
  KlActivityEditor *self;
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  g_autofree char *at = NULL;
  g_autofree char *due = NULL;
  const KlActivity *a;
  guint selected = 0;

  g_return_val_if_fail (KL_IS_WORKER (worker), NULL);
  g_return_val_if_fail (customer_id != NULL, NULL);

  self = g_object_new (KL_TYPE_ACTIVITY_EDITOR, "worker", worker, NULL);
  self->original = activity ? kl_activity_copy (activity) : kl_activity_new ();
  g_free (self->original->customer_id);
  self->original->customer_id = g_strdup (customer_id);
  a = self->original;

  gtk_string_list_append (names, _("Nobody in particular"));
  for (guint i = 0; contacts != NULL && i < contacts->len; i++)
    {
      const KlContact *c = g_ptr_array_index (contacts, i);

      gtk_string_list_append (names, c->name);
      g_ptr_array_add (self->contact_ids, g_strdup (c->id));
      if (g_strcmp0 (c->id, a->contact_id) == 0)
        selected = i + 1;
    }
  adw_combo_row_set_model (self->contact_row, G_LIST_MODEL (names));
  adw_combo_row_set_selected (self->contact_row, selected);

  gtk_window_set_title (GTK_WINDOW (self), activity ? _("Edit Activity") : _("New Activity"));
  adw_combo_row_set_selected (self->kind_row, a->kind);
  _kl_editor_set_text (self->subject_row, a->subject);
  at = _kl_editor_format_time (a->at != KL_NO_TIME ? a->at : g_get_real_time () / G_USEC_PER_SEC);
  _kl_editor_set_text (self->at_row, at);
  due = _kl_editor_format_time (a->due_at);
  _kl_editor_set_text (self->due_row, due);
  _kl_editor_set_text (self->notes_row, a->notes);
  gtk_switch_set_active (self->done_switch, a->done);
  return GTK_WIDGET (self);
}
