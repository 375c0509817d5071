/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The New Survey window of the Client Surveys window; its layout is
 * ui/kl-survey-new-dialog.ui. */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "kl-enums.h"
#include "kl-survey-new-dialog.h"
#include "kl-survey-store.h"

#define N_COMPETITORS 3

struct _KlSurveyNewDialog {
  AdwWindow    parent_instance;

  KlWorker    *worker;
  GCancellable *cancellable;
  gboolean     busy;

  AdwEntryRow *name_row;
  AdwEntryRow *date_row;
  GPtrArray   *attribute_checks;   /* GtkCheckButton *, one per default attribute */
  AdwPreferencesGroup *attributes_group;
  AdwEntryRow *more_row;
  AdwEntryRow *competitor_rows[N_COMPETITORS];
  GtkTextView *respondents;
  GtkLabel    *message;
  GtkWidget   *create_button;
};

G_DEFINE_FINAL_TYPE (KlSurveyNewDialog, kl_survey_new_dialog, ADW_TYPE_WINDOW)

enum { CREATED, N_SIGNALS };
static guint signals[N_SIGNALS];

static void
show_message (KlSurveyNewDialog *self, const char *text)
{
  gtk_label_set_text (self->message, text ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->message), text != NULL && *text != '\0');
}

/* "Ms Li, HX001": the name, then the customer's code after the last comma
 * (an ideographic comma or a tab will do). */
static gboolean
split_respondent (const char *line, char **name, char **code)
{
  const char *cut = NULL;
  gsize cut_len = 0;
  static const char *const separators[] = { ",", "，", "\t" };

  for (guint i = 0; i < G_N_ELEMENTS (separators); i++)
    {
      const char *at = g_strrstr (line, separators[i]);
      if (at != NULL && (cut == NULL || at > cut))
        {
          cut = at;
          cut_len = strlen (separators[i]);
        }
    }
  if (cut == NULL)
    return FALSE;
  *name = g_strstrip (g_strndup (line, cut - line));
  *code = g_strstrip (g_strdup (cut + cut_len));
  return **name != '\0' && **code != '\0';
}

/* The draft as typed, or NULL with the message of the first line to fix. */
static KlSurveyDraft *
read_draft (KlSurveyNewDialog *self, GError **error)
{
  g_autoptr(KlSurveyDraft) d = kl_survey_draft_new (gtk_editable_get_text (GTK_EDITABLE (self->name_row)),
                                                    gtk_editable_get_text (GTK_EDITABLE (self->date_row)));
  guint n_defaults;
  const KlSurveyDefaultAttribute *defaults = kl_survey_default_attributes (&n_defaults);
  g_auto(GStrv) more = g_strsplit_set (gtk_editable_get_text (GTK_EDITABLE (self->more_row)), ",，", -1);
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->respondents);
  GtkTextIter start, end;
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  guint bad_line = 0;

  for (guint i = 0; i < n_defaults && i < self->attribute_checks->len; i++)
    if (gtk_check_button_get_active (g_ptr_array_index (self->attribute_checks, i)))
      kl_survey_draft_add_attribute (d, defaults[i].code, defaults[i].name_en, defaults[i].name_zh);
  for (guint i = 0; more[i] != NULL; i++)
    {
      g_strstrip (more[i]);
      if (*more[i] != '\0' && !kl_survey_draft_add_default (d, more[i]))
        kl_survey_draft_add_attribute (d, more[i], NULL, NULL);
    }
  for (guint i = 0; i < N_COMPETITORS; i++)
    {
      const char *name = gtk_editable_get_text (GTK_EDITABLE (self->competitor_rows[i]));
      if (!kl_text_is_blank (name))
        kl_survey_draft_add_competitor (d, name);
    }

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autofree char *name = NULL;
      g_autofree char *code = NULL;

      if (kl_text_is_blank (lines[i]))
        continue;
      if (split_respondent (lines[i], &name, &code))
        kl_survey_draft_add_respondent (d, name, code);
      else if (bad_line == 0)
        bad_line = i + 1;
    }
  /* the fields from the top down, the respondents last */
  if (!kl_survey_draft_check (d, error))
    return NULL;
  if (bad_line > 0)
    {
      g_set_error (error, KL_DATABASE_ERROR, KL_DATABASE_ERROR_INVALID,
                   _("Respondents, line %u: write the person’s name, a comma and the customer’s code, for example “Ms Li, HX001”"),
                   bad_line);
      return NULL;
    }
  if (d->respondents->len == 0)
    {
      g_set_error (error, KL_DATABASE_ERROR, KL_DATABASE_ERROR_INVALID,
                   _("A survey needs at least one respondent: write one a line, the name, a comma and the customer’s code"));
      return NULL;
    }
  return g_steal_pointer (&d);
}

static gpointer
create_job (KlDatabase *db, gpointer data, KlWorkerJob *job, GError **error)
{
  return kl_survey_store_create_draft (db, data, error);
}

static void
create_done (GObject *source, GAsyncResult *res, gpointer user_data)
{
  g_autoptr(KlSurveyNewDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = kl_worker_run_finish (KL_WORKER (source), res, &error);

  self->busy = FALSE;
  gtk_widget_set_sensitive (self->create_button, TRUE);
  if (id == NULL)
    {
      /* the window stays open with everything typed, to fix and try again */
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_message (self, error->message);
      return;
    }
  {
    /* as stored: the draft trims it */
    g_autofree char *name = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->name_row))));
    g_signal_emit (self, signals[CREATED], 0, name);
  }
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
create_activated (GtkWidget *widget, const char *action, GVariant *parameter)
{
  KlSurveyNewDialog *self = KL_SURVEY_NEW_DIALOG (widget);
  g_autoptr(GError) error = NULL;
  KlSurveyDraft *d;

  if (self->busy)
    return;
  d = read_draft (self, &error);
  if (d == NULL)
    {
      show_message (self, error->message);
      return;
    }
  show_message (self, NULL);
  self->busy = TRUE;
  gtk_widget_set_sensitive (self->create_button, FALSE);
  kl_worker_run (self->worker, KL_WORKER_WRITE, create_job, d, (GDestroyNotify) kl_survey_draft_free, g_free,
                 NULL, NULL, self->cancellable, create_done, g_object_ref (self));
}

static void
cancel_activated (GtkWidget *widget, const char *action, GVariant *parameter)
{
  gtk_window_destroy (GTK_WINDOW (widget));
}

gboolean
kl_survey_new_dialog_is_busy (KlSurveyNewDialog *self)
{
  g_return_val_if_fail (KL_IS_SURVEY_NEW_DIALOG (self), FALSE);
  return self->busy;
}

const char *
kl_survey_new_dialog_get_message (KlSurveyNewDialog *self)
{
  g_return_val_if_fail (KL_IS_SURVEY_NEW_DIALOG (self), NULL);
  return gtk_label_get_text (self->message);
}

static void
kl_survey_new_dialog_dispose (GObject *object)
{
  KlSurveyNewDialog *self = KL_SURVEY_NEW_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->worker);
  g_clear_pointer (&self->attribute_checks, g_ptr_array_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), KL_TYPE_SURVEY_NEW_DIALOG);
  G_OBJECT_CLASS (kl_survey_new_dialog_parent_class)->dispose (object);
}

static void
kl_survey_new_dialog_class_init (KlSurveyNewDialogClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = kl_survey_new_dialog_dispose;
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/keyline/Keyline/kl-survey-new-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, KlSurveyNewDialog, name_row);
  gtk_widget_class_bind_template_child (widget_class, KlSurveyNewDialog, date_row);
  gtk_widget_class_bind_template_child (widget_class, KlSurveyNewDialog, attributes_group);
  gtk_widget_class_bind_template_child (widget_class, KlSurveyNewDialog, more_row);
  gtk_widget_class_bind_template_child_full (widget_class, "competitor_row_0", FALSE,
                                             G_STRUCT_OFFSET (KlSurveyNewDialog, competitor_rows[0]));
  gtk_widget_class_bind_template_child_full (widget_class, "competitor_row_1", FALSE,
                                             G_STRUCT_OFFSET (KlSurveyNewDialog, competitor_rows[1]));
  gtk_widget_class_bind_template_child_full (widget_class, "competitor_row_2", FALSE,
                                             G_STRUCT_OFFSET (KlSurveyNewDialog, competitor_rows[2]));
  gtk_widget_class_bind_template_child (widget_class, KlSurveyNewDialog, respondents);
  gtk_widget_class_bind_template_child (widget_class, KlSurveyNewDialog, message);
  gtk_widget_class_bind_template_child (widget_class, KlSurveyNewDialog, create_button);
  gtk_widget_class_install_action (widget_class, "survey-new.create", NULL, create_activated);
  gtk_widget_class_install_action (widget_class, "survey-new.cancel", NULL, cancel_activated);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK, "survey-new.create", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "survey-new.cancel", NULL);
  /**
   * KlSurveyNewDialog::created:
   * @name: the new survey's name
   */
  signals[CREATED] = g_signal_new ("created", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                   G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
kl_survey_new_dialog_init (KlSurveyNewDialog *self)
{
  guint n_defaults;
  const KlSurveyDefaultAttribute *defaults = kl_survey_default_attributes (&n_defaults);
  const char *language = pango_language_to_string (pango_language_get_default ());
  g_autoptr(GDateTime) today = g_date_time_new_now_local ();
  g_autofree char *date = g_date_time_format (today, "%Y-%m-%d");

  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  self->attribute_checks = g_ptr_array_new ();
  gtk_editable_set_text (GTK_EDITABLE (self->date_row), date);

  /* the default set, ticked, named in the interface language */
  for (guint i = 0; i < n_defaults; i++)
    {
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *check = gtk_check_button_new ();
      g_autofree char *name = g_strdup_printf ("attribute-%s", defaults[i].code);
      const char *title = g_str_has_prefix (language, "zh") ? defaults[i].name_zh : defaults[i].name_en;

      gtk_check_button_set_active (GTK_CHECK_BUTTON (check), TRUE);
      gtk_widget_set_name (check, name);
      gtk_widget_set_valign (check, GTK_ALIGN_CENTER);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), defaults[i].code);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), check);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), check);
      adw_preferences_group_add (self->attributes_group, row);
      g_ptr_array_add (self->attribute_checks, check);
    }
}

GtkWidget *
kl_survey_new_dialog_new (KlWorker *worker)
{
  KlSurveyNewDialog *self;

  g_return_val_if_fail (KL_IS_WORKER (worker), NULL);
  self = g_object_new (KL_TYPE_SURVEY_NEW_DIALOG, NULL);
  self->worker = g_object_ref (worker);
  gtk_widget_grab_focus (GTK_WIDGET (self->name_row));
  return GTK_WIDGET (self);
}
