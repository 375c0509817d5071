/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The record editors' shared save flow, and the small pieces they share. */
#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>

#include "kl-record-editor.h"
#include "kl-date-row.h"
#include "kl-database.h"
#include "kl-records.h"

typedef struct {
  KlWorker     *worker;
  GCancellable *cancellable;
  GtkLabel     *message_label;
  gboolean      ready;
  gboolean      saving;
} KlRecordEditorPrivate;

G_DEFINE_ABSTRACT_TYPE_WITH_PRIVATE (KlRecordEditor, kl_record_editor, ADW_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_WORKER,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum { SAVED, N_SIGNALS };
static guint signals[N_SIGNALS];

static void
update_save_action (KlRecordEditor *self)
{
  KlRecordEditorPrivate *priv = kl_record_editor_get_instance_private (self);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.save", priv->ready && !priv->saving);
}

KlWorker *
kl_record_editor_get_worker (KlRecordEditor *self)
{
  KlRecordEditorPrivate *priv = kl_record_editor_get_instance_private (self);

  g_return_val_if_fail (KL_IS_RECORD_EDITOR (self), NULL);
  return priv->worker;
}

GCancellable *
kl_record_editor_get_cancellable (KlRecordEditor *self)
{
  KlRecordEditorPrivate *priv = kl_record_editor_get_instance_private (self);

  g_return_val_if_fail (KL_IS_RECORD_EDITOR (self), NULL);
  return priv->cancellable;
}

void
kl_record_editor_set_message_label (KlRecordEditor *self,
                                    GtkLabel       *label)
{
  KlRecordEditorPrivate *priv = kl_record_editor_get_instance_private (self);

  g_return_if_fail (KL_IS_RECORD_EDITOR (self));
  g_return_if_fail (label == NULL || GTK_IS_LABEL (label));
  priv->message_label = label;
}

void
kl_record_editor_show_message (KlRecordEditor *self,
                               const char     *message)
{
  KlRecordEditorPrivate *priv = kl_record_editor_get_instance_private (self);

  g_return_if_fail (KL_IS_RECORD_EDITOR (self));
  if (priv->message_label == NULL)
    {
      if (message != NULL)
        g_warning ("%s has no message label for: %s", G_OBJECT_TYPE_NAME (self), message);
      return;
    }
  gtk_label_set_text (priv->message_label, message ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (priv->message_label), message != NULL);
}

void
kl_record_editor_set_ready (KlRecordEditor *self,
                            gboolean        ready)
{
  KlRecordEditorPrivate *priv = kl_record_editor_get_instance_private (self);

  g_return_if_fail (KL_IS_RECORD_EDITOR (self));
  priv->ready = !!ready;
  update_save_action (self);
}

typedef struct {
  KlRecordEditorSaveFunc save;
  GDestroyNotify         record_free;
  gpointer               record;
} SaveRequest;

static void
save_request_free (SaveRequest *request)
{
  if (request->record != NULL)
    request->record_free (request->record);
  g_free (request);
}

static gpointer
save_job (KlDatabase   *db,
          gpointer      data,
          KlWorkerJob  *job,
          GError      **error)
{
  SaveRequest *request = data;

  return request->save (db, request->record, error);
}

static void
save_done (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  KlRecordEditor *self;
  KlRecordEditorPrivate *priv;
  KlRecordEditorClass *klass;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = g_task_propagate_pointer (G_TASK (result), &error);

  /* Cancelled: the window is going away. The job holds no reference to
   * the editor (dispose cancels it), so a cancelled save may have outlived
   * it: nothing of it is touched then. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
      g_error_matches (error, KL_DATABASE_ERROR, KL_DATABASE_ERROR_CANCELLED))
    return;
  self = KL_RECORD_EDITOR (user_data);
  priv = kl_record_editor_get_instance_private (self);
  klass = KL_RECORD_EDITOR_GET_CLASS (self);
  priv->saving = FALSE;
  update_save_action (self);
  if (id == NULL)
    {
      g_assert (error != NULL);
      if (klass->show_save_error == NULL || !klass->show_save_error (self, error))
        kl_record_editor_show_message (self, error->message);
      return;
    }
  g_signal_emit (self, signals[SAVED], 0, id);
  gtk_window_destroy (GTK_WINDOW (self));
}

/* What editor.save does. */
static void
kl_record_editor_save (KlRecordEditor *self)
{
  KlRecordEditorPrivate *priv = kl_record_editor_get_instance_private (self);
  KlRecordEditorClass *klass;
  SaveRequest *request;
  gpointer record;

  g_return_if_fail (KL_IS_RECORD_EDITOR (self));

  klass = KL_RECORD_EDITOR_GET_CLASS (self);
  g_return_if_fail (klass->collect != NULL && klass->save != NULL && klass->record_free != NULL);
  g_return_if_fail (priv->worker != NULL);

  if (priv->saving || !priv->ready)
    return;
  if (klass->clear_errors != NULL)
    klass->clear_errors (self);
  kl_record_editor_show_message (self, NULL);
  record = klass->collect (self);
  if (record == NULL)
    return;

  request = g_new0 (SaveRequest, 1);
  request->save = klass->save;
  request->record_free = klass->record_free;
  request->record = record;
  priv->saving = TRUE;
  update_save_action (self);
  kl_worker_run (priv->worker, KL_WORKER_WRITE, save_job, request, (GDestroyNotify) save_request_free,
                 g_free, NULL, NULL, priv->cancellable, save_done, self);
}

static void
save_activate (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  kl_record_editor_save (KL_RECORD_EDITOR (widget));
}

static void
cancel_activate (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  gtk_window_close (GTK_WINDOW (widget));
}

static void
kl_record_editor_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  KlRecordEditor *self = KL_RECORD_EDITOR (object);
  KlRecordEditorPrivate *priv = kl_record_editor_get_instance_private (self);

  switch (prop_id)
    {
    case PROP_WORKER:
      g_value_set_object (value, priv->worker);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kl_record_editor_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  KlRecordEditor *self = KL_RECORD_EDITOR (object);
  KlRecordEditorPrivate *priv = kl_record_editor_get_instance_private (self);

  switch (prop_id)
    {
    case PROP_WORKER:
      g_set_object (&priv->worker, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kl_record_editor_dispose (GObject *object)
{
  KlRecordEditor *self = KL_RECORD_EDITOR (object);
  KlRecordEditorPrivate *priv = kl_record_editor_get_instance_private (self);

  /* A save still queued or running reports back to nobody. */
  g_cancellable_cancel (priv->cancellable);
  priv->message_label = NULL;
  G_OBJECT_CLASS (kl_record_editor_parent_class)->dispose (object);
}

static void
kl_record_editor_finalize (GObject *object)
{
  KlRecordEditor *self = KL_RECORD_EDITOR (object);
  KlRecordEditorPrivate *priv = kl_record_editor_get_instance_private (self);

  g_clear_object (&priv->cancellable);
  g_clear_object (&priv->worker);
  G_OBJECT_CLASS (kl_record_editor_parent_class)->finalize (object);
}

static void
kl_record_editor_class_init (KlRecordEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = kl_record_editor_get_property;
  object_class->set_property = kl_record_editor_set_property;
  object_class->dispose = kl_record_editor_dispose;
  object_class->finalize = kl_record_editor_finalize;

  properties[PROP_WORKER] =
    g_param_spec_object ("worker", NULL, NULL, KL_TYPE_WORKER,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * KlRecordEditor::saved:
   * @id: the saved record's id
   *
   * Emitted after the record was saved, just before the window closes.
   */
  signals[SAVED] =
    g_signal_new ("saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_install_action (widget_class, "editor.save", NULL, save_activate);
  gtk_widget_class_install_action (widget_class, "editor.cancel", NULL, cancel_activate);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "editor.cancel", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK, "editor.save", NULL);
}

static void
kl_record_editor_init (KlRecordEditor *self)
{
  KlRecordEditorPrivate *priv = kl_record_editor_get_instance_private (self);

  /* Closed with the window it belongs to, while that window still exists:
   * a load finishing later must not be the one to free it. */
  gtk_window_set_destroy_with_parent (GTK_WINDOW (self), TRUE);
  priv->cancellable = g_cancellable_new ();
  priv->ready = TRUE;
}

/* Shared pieces */

void
_kl_editor_set_field_error (GtkWidget  *row,
                            GtkWidget  *message_row,
                            const char *message)
{
  GtkWidget *label = message_row ? gtk_list_box_row_get_child (GTK_LIST_BOX_ROW (message_row)) : NULL;

  if (message != NULL)
    {
      gtk_widget_add_css_class (row, "error");
      gtk_accessible_update_state (GTK_ACCESSIBLE (row),
                                   GTK_ACCESSIBLE_STATE_INVALID, GTK_ACCESSIBLE_INVALID_TRUE, -1);
      gtk_accessible_update_property (GTK_ACCESSIBLE (row),
                                      GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, message, -1);
    }
  else
    {
      gtk_widget_remove_css_class (row, "error");
      gtk_accessible_reset_state (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_STATE_INVALID);
      gtk_accessible_reset_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
    }
  if (GTK_IS_LABEL (label))
    gtk_label_set_text (GTK_LABEL (label), message ? message : "");
  if (message_row != NULL)
    gtk_widget_set_visible (message_row, message != NULL);
}

char *
_kl_editor_dup_text (AdwEntryRow *row)
{
  g_autofree char *text = NULL;

  /* A date typed in the locale's form is stored as YYYY-MM-DD. */
  if (kl_date_row_is_date (row))
    kl_date_row_tidy (row);
  text = g_strdup (gtk_editable_get_text (GTK_EDITABLE (row)));
  /* Blank the way the stores see it: ideographic spaces too. */
  if (kl_text_is_blank (text))
    return NULL;
  g_strstrip (text);
  return g_steal_pointer (&text);
}

void
_kl_editor_set_text (AdwEntryRow *row,
                     const char  *text)
{
  gtk_editable_set_text (GTK_EDITABLE (row), text ? text : "");
}

gboolean
_kl_editor_date_valid (const char *text)
{
  int y, m, d;
  char tail;

  if (text == NULL || strlen (text) != 10)
    return FALSE;
  if (sscanf (text, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3)
    return FALSE;
  return g_date_valid_dmy (d, m, y);
}

gboolean
_kl_editor_email_valid (const char *text)
{
  const char *at;

  if (text == NULL || strchr (text, ' ') != NULL)
    return FALSE;
  at = strchr (text, '@');
  return at != NULL && at != text && at[1] != '.' && strchr (at + 1, '.') != NULL &&
         strchr (at + 1, '@') == NULL && text[strlen (text) - 1] != '.';
}

gboolean
_kl_editor_parse_time (const char *text,
                       gint64     *out_time)
{
  g_autoptr(GDateTime) dt = NULL;
  int y, m, d, hh = 0, mm = 0;
  char tail;
  int n;

  if (text == NULL)
    return FALSE;
  n = sscanf (text, "%4d-%2d-%2d %2d:%2d%c", &y, &m, &d, &hh, &mm, &tail);
  if (n != 3 && n != 5)
    return FALSE;
  if (n == 3 && strlen (text) != 10)
    return FALSE;
  if (!g_date_valid_dmy (d, m, y) || hh < 0 || hh > 23 || mm < 0 || mm > 59)
    return FALSE;
  dt = g_date_time_new_local (y, m, d, hh, mm, 0);
  if (dt == NULL)
    return FALSE;
  *out_time = g_date_time_to_unix (dt);
  return TRUE;
}

char *
_kl_editor_format_time (gint64 time)
{
  g_autoptr(GDateTime) dt = NULL;

  if (time == KL_NO_TIME)
    return NULL;
  dt = g_date_time_new_from_unix_local (time);
  return dt ? g_date_time_format (dt, "%Y-%m-%d %H:%M") : NULL;
}

void
_kl_editor_set_combo_labels (AdwComboRow       *row,
                             const char *const *labels,
                             guint              n_labels)
{
  g_autoptr(GtkStringList) list = gtk_string_list_new (NULL);

  for (guint i = 0; i < n_labels; i++)
    gtk_string_list_append (list, labels[i]);
  adw_combo_row_set_model (row, G_LIST_MODEL (list));
}
