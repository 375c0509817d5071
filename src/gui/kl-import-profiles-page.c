/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Saved import profiles in Preferences (kl-import-profiles-page.h). Every
 * change runs as one GTask in a thread that ends by listing the folder
 * again; the rows are made from that list on the main thread. */
#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "kl-import-profile-store.h"
#include "kl-import-profiles-page.h"

struct _KlImportProfilesPage {
  AdwPreferencesPage    parent_instance;

  GCancellable         *cancellable;
  GPtrArray            *rows;           /* GtkWidget: the rows shown */
  char                **names;
  guint                 busy;
  char                 *error;

  /* template */
  AdwPreferencesGroup  *profiles_group;
  AdwActionRow         *empty_row;
};

G_DEFINE_FINAL_TYPE (KlImportProfilesPage, kl_import_profiles_page, ADW_TYPE_PREFERENCES_PAGE)

typedef enum {
  OP_LIST,
  OP_RENAME,
  OP_DELETE,
  OP_EXPORT,
  OP_IMPORT,
} Op;

typedef struct {
  Op         op;
  char      *name;
  char      *new_name;
  GFile     *file;
  GPtrArray *profiles;   /* the list afterwards */
  GError    *error;      /* of the change; the list may still be there */
} Job;

static void
job_free (Job *job)
{
  g_free (job->name);
  g_free (job->new_name);
  g_clear_object (&job->file);
  g_clear_pointer (&job->profiles, g_ptr_array_unref);
  g_clear_error (&job->error);
  g_free (job);
}

static void
run_job (GTask        *task,
         gpointer      source,
         gpointer      task_data,
         GCancellable *cancellable)
{
  Job *job = task_data;
  GError *error = NULL;

  switch (job->op)
    {
    case OP_RENAME:
      kl_import_profile_store_rename (NULL, job->name, job->new_name, &job->error);
      break;
    case OP_DELETE:
      kl_import_profile_store_delete (NULL, job->name, &job->error);
      break;
    case OP_EXPORT:
      {
        g_autoptr(KlImportProfile) profile = kl_import_profile_store_get (NULL, job->name, &job->error);
        g_autofree char *json = profile != NULL ? kl_import_profile_to_json (profile) : NULL;

        if (json != NULL)
          g_file_replace_contents (job->file, json, strlen (json), NULL, FALSE, G_FILE_CREATE_NONE, NULL,
                                   cancellable, &job->error);
      }
      break;
    case OP_IMPORT:
      {
        g_autofree char *path = g_file_get_path (job->file);
        g_autoptr(KlImportProfile) profile = path != NULL ? kl_import_profile_load_file (path, &job->error) : NULL;

        if (profile != NULL)
          kl_import_profile_store_save (NULL, profile, NULL, 0, FALSE, &job->error);
      }
      break;
    case OP_LIST:
    default:
      break;
    }
  job->profiles = kl_import_profile_store_list (NULL, &error);
  if (job->profiles == NULL && job->error == NULL)
    job->error = error;
  else
    g_clear_error (&error);
  g_task_return_boolean (task, TRUE);
}

static void show_profiles (KlImportProfilesPage *self, GPtrArray *profiles);

static void
job_done (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  KlImportProfilesPage *self = KL_IMPORT_PROFILES_PAGE (source);
  Job *job = g_task_get_task_data (G_TASK (result));

  if (g_task_had_error (G_TASK (result)) || g_cancellable_is_cancelled (self->cancellable))
    return;
  self->busy--;
  g_clear_pointer (&self->error, g_free);
  if (job->error != NULL)
    {
      GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

      self->error = g_strdup (job->error->message);
      g_message ("%s", job->error->message);
      if (ADW_IS_PREFERENCES_WINDOW (root))
        {
          g_autofree char *escaped = g_markup_escape_text (job->error->message, -1);

          adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (root), adw_toast_new (escaped));
        }
    }
  if (job->profiles != NULL)
    show_profiles (self, job->profiles);
}

static void
start (KlImportProfilesPage *self,
       Job                  *job)
{
  g_autoptr(GTask) task = g_task_new (self, self->cancellable, job_done, NULL);

  self->busy++;
  g_task_set_task_data (task, job, (GDestroyNotify) job_free);
  g_task_run_in_thread (task, run_job);
}

/* Rows and their buttons */

static void
rename_response (AdwMessageDialog *dialog,
                 const char       *response,
                 gpointer          user_data)
{
  KlImportProfilesPage *self = user_data;
  GtkEditable *entry = GTK_EDITABLE (adw_message_dialog_get_extra_child (dialog));
  const char *name = g_object_get_data (G_OBJECT (dialog), "profile-name");

  if (g_str_equal (response, "rename"))
    kl_import_profiles_page_rename (self, name, gtk_editable_get_text (entry));
  g_object_unref (self);
}

static void
rename_clicked (GtkButton            *button,
                KlImportProfilesPage *self)
{
  const char *name = g_object_get_data (G_OBJECT (button), "profile-name");
  GtkWidget *entry = gtk_entry_new ();
  AdwMessageDialog *dialog;

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                                       _("Rename Import Profile"), NULL));
  gtk_editable_set_text (GTK_EDITABLE (entry), name);
  gtk_entry_set_activates_default (GTK_ENTRY (entry), TRUE);
  adw_message_dialog_set_extra_child (dialog, entry);
  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), "rename", _("_Rename"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "rename", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, "rename");
  g_object_set_data_full (G_OBJECT (dialog), "profile-name", g_strdup (name), g_free);
  g_signal_connect (dialog, "response", G_CALLBACK (rename_response), g_object_ref (self));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
delete_response (AdwMessageDialog *dialog,
                 const char       *response,
                 gpointer          user_data)
{
  KlImportProfilesPage *self = user_data;

  if (g_str_equal (response, "delete"))
    kl_import_profiles_page_delete (self, g_object_get_data (G_OBJECT (dialog), "profile-name"));
  g_object_unref (self);
}

static void
delete_clicked (GtkButton            *button,
                KlImportProfilesPage *self)
{
  const char *name = g_object_get_data (G_OBJECT (button), "profile-name");
  g_autofree char *body = NULL;
  AdwMessageDialog *dialog;

  /* Translators: %s is a profile's name */
  body = g_strdup_printf (_("Files from this system will need to be mapped again. Export the profile first to keep a copy of “%s”."),
                          name);
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                                       _("Delete Import Profile?"), body));
  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), "delete", _("_Delete"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "delete", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "profile-name", g_strdup (name), g_free);
  g_signal_connect (dialog, "response", G_CALLBACK (delete_response), g_object_ref (self));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
export_chosen (GtkNativeDialog *chooser,
               int              response,
               gpointer         user_data)
{
  KlImportProfilesPage *self = user_data;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));

      kl_import_profiles_page_export (self, g_object_get_data (G_OBJECT (chooser), "profile-name"), file);
    }
  g_object_unref (chooser);
  g_object_unref (self);
}

static void
export_clicked (GtkButton            *button,
                KlImportProfilesPage *self)
{
  const char *name = g_object_get_data (G_OBJECT (button), "profile-name");
  g_autofree char *file_name = g_strdup_printf ("%s.json", name);
  GtkFileChooserNative *chooser;

  g_strdelimit (file_name, "/\\:", '_');
  chooser = gtk_file_chooser_native_new (_("Export Import Profile"),
                                         GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), _("_Cancel"));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), file_name);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_object_set_data_full (G_OBJECT (chooser), "profile-name", g_strdup (name), g_free);
  g_signal_connect (chooser, "response", G_CALLBACK (export_chosen), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
import_chosen (GtkNativeDialog *chooser,
               int              response,
               gpointer         user_data)
{
  KlImportProfilesPage *self = user_data;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));

      kl_import_profiles_page_import (self, file);
    }
  g_object_unref (chooser);
  g_object_unref (self);
}

static void
import_clicked (KlImportProfilesPage *self)
{
  GtkFileChooserNative *chooser;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  chooser = gtk_file_chooser_native_new (_("Import a Profile File"),
                                         GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                         GTK_FILE_CHOOSER_ACTION_OPEN, _("_Import"), _("_Cancel"));
  gtk_file_filter_set_name (filter, _("Import profiles (JSON)"));
  gtk_file_filter_add_pattern (filter, "*.json");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect (chooser, "response", G_CALLBACK (import_chosen), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static GtkWidget *
row_button (KlImportProfilesPage *self,
            const char           *icon,
            const char           *tooltip,
            const char           *name,
            GCallback             callback)
{
  GtkWidget *button = gtk_button_new_from_icon_name (icon);

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (button, tooltip);
  gtk_widget_add_css_class (button, "flat");
  g_object_set_data_full (G_OBJECT (button), "profile-name", g_strdup (name), g_free);
  g_signal_connect (button, "clicked", callback, self);
  return button;
}

static void
show_profiles (KlImportProfilesPage *self,
               GPtrArray            *profiles)
{
  GStrvBuilder *names = g_strv_builder_new ();

  for (guint i = 0; i < self->rows->len; i++)
    adw_preferences_group_remove (self->profiles_group, g_ptr_array_index (self->rows, i));
  g_ptr_array_set_size (self->rows, 0);

  for (guint i = 0; i < profiles->len; i++)
    {
      KlImportProfile *profile = g_ptr_array_index (profiles, i);
      const char *name = kl_import_profile_get_name (profile);
      GtkWidget *row = adw_action_row_new ();
      g_autofree char *subtitle = NULL;

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), name);
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      subtitle = g_strdup_printf ("%s%s",
                                  kl_import_profile_get_kind (profile) == KL_IMPORT_SHIPMENTS
                                    ? _("For shipment files") : _("For customer files"),
                                  /* Translators: after "For shipment files" for a proof-of-delivery profile */
                                  kl_import_profile_get_update_only (profile) ? _(", update only") : "");
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                                 row_button (self, "document-edit-symbolic", _("Rename"), name, G_CALLBACK (rename_clicked)));
      adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                                 row_button (self, "document-save-symbolic", _("Export to a file"), name, G_CALLBACK (export_clicked)));
      adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                                 row_button (self, "user-trash-symbolic", _("Delete"), name, G_CALLBACK (delete_clicked)));
      adw_preferences_group_add (self->profiles_group, row);
      g_ptr_array_add (self->rows, row);
      g_strv_builder_add (names, name);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->empty_row), profiles->len == 0);
  g_strfreev (self->names);
  self->names = g_strv_builder_end (names);
  g_strv_builder_unref (names);
}

/* Public */

static Job *
job_new (Op op)
{
  Job *job = g_new0 (Job, 1);

  job->op = op;
  return job;
}

void
kl_import_profiles_page_rename (KlImportProfilesPage *self,
                                const char           *name,
                                const char           *new_name)
{
  Job *job;

  g_return_if_fail (KL_IS_IMPORT_PROFILES_PAGE (self));
  job = job_new (OP_RENAME);
  job->name = g_strdup (name);
  job->new_name = g_strstrip (g_strdup (new_name));
  start (self, job);
}

void
kl_import_profiles_page_delete (KlImportProfilesPage *self,
                                const char           *name)
{
  Job *job;

  g_return_if_fail (KL_IS_IMPORT_PROFILES_PAGE (self));
  job = job_new (OP_DELETE);
  job->name = g_strdup (name);
  start (self, job);
}

void
kl_import_profiles_page_export (KlImportProfilesPage *self,
                                const char           *name,
                                GFile                *file)
{
  Job *job;

  g_return_if_fail (KL_IS_IMPORT_PROFILES_PAGE (self));
  g_return_if_fail (G_IS_FILE (file));
  job = job_new (OP_EXPORT);
  job->name = g_strdup (name);
  job->file = g_object_ref (file);
  start (self, job);
}

void
kl_import_profiles_page_import (KlImportProfilesPage *self,
                                GFile                *file)
{
  Job *job;

  g_return_if_fail (KL_IS_IMPORT_PROFILES_PAGE (self));
  g_return_if_fail (G_IS_FILE (file));
  job = job_new (OP_IMPORT);
  job->file = g_object_ref (file);
  start (self, job);
}

const char * const *
kl_import_profiles_page_get_names (KlImportProfilesPage *self)
{
  g_return_val_if_fail (KL_IS_IMPORT_PROFILES_PAGE (self), NULL);
  return (const char * const *) self->names;
}

gboolean
kl_import_profiles_page_is_busy (KlImportProfilesPage *self)
{
  g_return_val_if_fail (KL_IS_IMPORT_PROFILES_PAGE (self), FALSE);
  return self->busy > 0;
}

const char *
kl_import_profiles_page_get_error (KlImportProfilesPage *self)
{
  g_return_val_if_fail (KL_IS_IMPORT_PROFILES_PAGE (self), NULL);
  return self->error;
}

static void
kl_import_profiles_page_dispose (GObject *object)
{
  KlImportProfilesPage *self = KL_IMPORT_PROFILES_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), KL_TYPE_IMPORT_PROFILES_PAGE);
  G_OBJECT_CLASS (kl_import_profiles_page_parent_class)->dispose (object);
}

static void
kl_import_profiles_page_finalize (GObject *object)
{
  KlImportProfilesPage *self = KL_IMPORT_PROFILES_PAGE (object);

  g_clear_object (&self->cancellable);
  g_ptr_array_unref (self->rows);
  g_strfreev (self->names);
  g_free (self->error);
  G_OBJECT_CLASS (kl_import_profiles_page_parent_class)->finalize (object);
}

static void
kl_import_profiles_page_class_init (KlImportProfilesPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = kl_import_profiles_page_dispose;
  object_class->finalize = kl_import_profiles_page_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/keyline/Keyline/kl-import-profiles-page.ui");
  gtk_widget_class_bind_template_child (widget_class, KlImportProfilesPage, profiles_group);
  gtk_widget_class_bind_template_child (widget_class, KlImportProfilesPage, empty_row);
  gtk_widget_class_bind_template_callback (widget_class, import_clicked);
}

static void
kl_import_profiles_page_init (KlImportProfilesPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  self->rows = g_ptr_array_new ();
  self->names = g_new0 (char *, 1);
  start (self, job_new (OP_LIST));
}

GtkWidget *
kl_import_profiles_page_new (void)
{
  return g_object_new (KL_TYPE_IMPORT_PROFILES_PAGE, NULL);
}
