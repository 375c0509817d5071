/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The Preferences window. GSettings keys are bound to their rows; the time
 * zone is read and written on the worker because it lives in the workspace
 * and changing it rebuilds every rollup. */
#include "config.h"

#include <glib/gi18n.h>
#include "kl-preferences-window.h"
#include "kl-analysis-preferences.h"
#include "kl-import-profiles-page.h"
#include "kl-sync-preferences.h"
#include "kl-rollup.h"

struct _KlPreferencesWindow {
  AdwPreferencesWindow  parent_instance;

  GSettings            *settings;
  KlWorker             *worker;
  GCancellable         *cancellable;

  /* template */
  AdwEntryRow          *company_row;
  AdwActionRow         *logo_row;
  GtkButton            *logo_clear_button;
  AdwComboRow          *paper_row;
  AdwComboRow          *language_row;
  AdwPreferencesGroup  *workspace_group;
  AdwEntryRow          *timezone_row;
  GtkSpinner           *timezone_spinner;
  AdwActionRow         *path_row;
};

G_DEFINE_FINAL_TYPE (KlPreferencesWindow, kl_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

static const char * const paper_nicks[] = { "a4", "letter" };
static const char * const language_nicks[] = { "zh_CN", "en" };

static gboolean
nick_to_index (GValue   *value,
               GVariant *variant,
               gpointer  user_data)
{
  const char * const *nicks = user_data;
  const char *nick = g_variant_get_string (variant, NULL);

  for (guint i = 0; nicks[i] != NULL; i++)
    if (g_str_equal (nicks[i], nick))
      {
        g_value_set_uint (value, i);
        return TRUE;
      }
  return FALSE;
}

static GVariant *
index_to_nick (const GValue       *value,
               const GVariantType *expected_type,
               gpointer            user_data)
{
  const char * const *nicks = user_data;
  guint index = g_value_get_uint (value);

  if (index >= g_strv_length ((char **) nicks))
    return NULL;
  return g_variant_new_string (nicks[index]);
}

static void
add_toast (KlPreferencesWindow *self,
           const char          *message)
{
  g_autofree char *escaped = g_markup_escape_text (message, -1);

  adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self), adw_toast_new (escaped));
}

/* Logo. */

static void
update_logo_row (KlPreferencesWindow *self)
{
  g_autofree char *path = g_settings_get_string (self->settings, "letterhead-logo");

  if (path[0] == '\0')
    adw_action_row_set_subtitle (self->logo_row, _("None"));
  else
    {
      g_autofree char *escaped = g_markup_escape_text (path, -1);

      adw_action_row_set_subtitle (self->logo_row, escaped);
    }
  gtk_widget_set_sensitive (GTK_WIDGET (self->logo_clear_button), path[0] != '\0');
}

static void
logo_chosen (GtkNativeDialog *chooser,
             int              response,
             gpointer         user_data)
{
  g_autoptr(KlPreferencesWindow) self = user_data;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autofree char *path = file ? g_file_get_path (file) : NULL;

      if (path != NULL)
        g_settings_set_string (self->settings, "letterhead-logo", path);
      else
        add_toast (self, _("The logo must be a file on this computer."));
    }
  gtk_native_dialog_destroy (chooser);
  g_object_unref (chooser);
}

static void
choose_logo (KlPreferencesWindow *self)
{
  GtkFileChooserNative *chooser;
  g_autoptr(GtkFileFilter) images = gtk_file_filter_new ();

  chooser = gtk_file_chooser_native_new (_("Choose a Letterhead Logo"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_OPEN, _("_Choose"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  gtk_file_filter_set_name (images, _("PNG and SVG images"));
  gtk_file_filter_add_mime_type (images, "image/png");
  gtk_file_filter_add_mime_type (images, "image/svg+xml");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), images);
  g_signal_connect (chooser, "response", G_CALLBACK (logo_chosen), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
clear_logo (KlPreferencesWindow *self)
{
  g_settings_reset (self->settings, "letterhead-logo");
}

/* Time zone. A call holds the window weakly: a job that finishes after the
 * window was closed must not keep it alive past its transient parent. */

typedef struct {
  GWeakRef  self;
  KlWorker *worker;
} Call;

static Call *
call_new (KlPreferencesWindow *self)
{
  Call *call = g_new0 (Call, 1);

  g_weak_ref_init (&call->self, self);
  call->worker = g_object_ref (self->worker);
  return call;
}

static void
call_free (Call *call)
{
  g_weak_ref_clear (&call->self);
  g_object_unref (call->worker);
  g_free (call);
}

static gpointer
get_timezone_job (KlDatabase   *db,
                  gpointer      data,
                  KlWorkerJob  *job,
                  GError      **error)
{
  return g_strdup (kl_database_get_timezone_name (db));
}

static gpointer
set_timezone_job (KlDatabase   *db,
                  gpointer      data,
                  KlWorkerJob  *job,
                  GError      **error)
{
  if (!kl_rollup_set_timezone (db, data, error))
    return NULL;
  return g_strdup (data);
}

static void
timezone_busy (KlPreferencesWindow *self,
               gboolean             busy)
{
  gtk_widget_set_sensitive (GTK_WIDGET (self->timezone_row), !busy);
  gtk_spinner_set_spinning (self->timezone_spinner, busy);
  gtk_widget_set_visible (GTK_WIDGET (self->timezone_spinner), busy);
}

static void
got_timezone (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Call *call = user_data;
  g_autoptr(KlPreferencesWindow) self = g_weak_ref_get (&call->self);
  g_autoptr(GError) error = NULL;
  g_autofree char *name = kl_worker_run_finish (call->worker, result, &error);

  call_free (call);
  if (self == NULL)
    return;
  timezone_busy (self, FALSE);
  if (name == NULL)
    {
      if (error != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        add_toast (self, error->message);
      return;
    }
  gtk_editable_set_text (GTK_EDITABLE (self->timezone_row), name);
}

static void
timezone_set (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Call *call = user_data;
  g_autoptr(KlPreferencesWindow) self = g_weak_ref_get (&call->self);
  g_autoptr(GError) error = NULL;
  g_autofree char *name = kl_worker_run_finish (call->worker, result, &error);
  g_autofree char *message = NULL;

  call_free (call);
  if (self == NULL)
    return;
  timezone_busy (self, FALSE);
  if (name == NULL)
    {
      if (error != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          message = g_strdup_printf (_("Could not change the time zone: %s"), error->message);
          add_toast (self, message);
        }
      /* Show what the workspace really has. */
      kl_worker_run (self->worker, KL_WORKER_READ, get_timezone_job, NULL, NULL, g_free,
                     NULL, NULL, self->cancellable, got_timezone, call_new (self));
      return;
    }
  message = g_strdup_printf (_("Time zone changed to %s; monthly figures rebuilt"), name);
  add_toast (self, message);
}

static void
timezone_apply (KlPreferencesWindow *self)
{
  g_autofree char *name = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->timezone_row))));
  g_autoptr(GTimeZone) tz = NULL;

  if (self->worker == NULL)
    return;

  tz = name[0] != '\0' ? g_time_zone_new_identifier (name) : NULL;
  if (tz == NULL)
    {
      g_autofree char *message =
        g_strdup_printf (_("“%s” is not a known time zone. Use a name such as Asia/Shanghai or Europe/Berlin."),
                         name);

      gtk_widget_add_css_class (GTK_WIDGET (self->timezone_row), "error");
      add_toast (self, message);
      return;
    }
  gtk_widget_remove_css_class (GTK_WIDGET (self->timezone_row), "error");

  timezone_busy (self, TRUE);
  add_toast (self, _("Rebuilding monthly figures for the new time zone…"));
  kl_worker_run (self->worker, KL_WORKER_WRITE, set_timezone_job,
                 g_steal_pointer (&name), g_free, g_free, NULL, NULL, self->cancellable,
                 timezone_set, call_new (self));
}

/* GObject. */

static void
kl_preferences_window_dispose (GObject *object)
{
  KlPreferencesWindow *self = KL_PREFERENCES_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), KL_TYPE_PREFERENCES_WINDOW);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->settings);
  g_clear_object (&self->worker);
  G_OBJECT_CLASS (kl_preferences_window_parent_class)->dispose (object);
}

static void
kl_preferences_window_class_init (KlPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = kl_preferences_window_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/keyline/Keyline/kl-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, KlPreferencesWindow, company_row);
  gtk_widget_class_bind_template_child (widget_class, KlPreferencesWindow, logo_row);
  gtk_widget_class_bind_template_child (widget_class, KlPreferencesWindow, logo_clear_button);
  gtk_widget_class_bind_template_child (widget_class, KlPreferencesWindow, paper_row);
  gtk_widget_class_bind_template_child (widget_class, KlPreferencesWindow, language_row);
  gtk_widget_class_bind_template_child (widget_class, KlPreferencesWindow, workspace_group);
  gtk_widget_class_bind_template_child (widget_class, KlPreferencesWindow, timezone_row);
  gtk_widget_class_bind_template_child (widget_class, KlPreferencesWindow, timezone_spinner);
  gtk_widget_class_bind_template_child (widget_class, KlPreferencesWindow, path_row);
  gtk_widget_class_bind_template_callback (widget_class, choose_logo);
  gtk_widget_class_bind_template_callback (widget_class, clear_logo);
  gtk_widget_class_bind_template_callback (widget_class, timezone_apply);
}

static void
kl_preferences_window_init (KlPreferencesWindow *self)
{
  g_autoptr(GtkStringList) papers = NULL;
  g_autoptr(GtkStringList) languages = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));
  adw_preferences_window_add (ADW_PREFERENCES_WINDOW (self), ADW_PREFERENCES_PAGE (kl_import_profiles_page_new ()));
  /* A toplevel keeps the "window" node name the theme styles; a class
   * names it instead of a CSS name. */
  gtk_widget_add_css_class (GTK_WIDGET (self), "preferenceswindow");

  self->cancellable = g_cancellable_new ();
  self->settings = g_settings_new ("io.github.keyline.Keyline");

  papers = gtk_string_list_new ((const char *[]) { _("A4"), _("US Letter"), NULL });
  adw_combo_row_set_model (self->paper_row, G_LIST_MODEL (papers));
  languages = gtk_string_list_new ((const char *[]) { _("Chinese (Simplified)"), _("English"), NULL });
  adw_combo_row_set_model (self->language_row, G_LIST_MODEL (languages));

  g_settings_bind (self->settings, "company-name", self->company_row, "text",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind_with_mapping (self->settings, "report-paper-size", self->paper_row, "selected",
                                G_SETTINGS_BIND_DEFAULT, nick_to_index, index_to_nick,
                                (gpointer) paper_nicks, NULL);
  g_settings_bind_with_mapping (self->settings, "report-language", self->language_row, "selected",
                                G_SETTINGS_BIND_DEFAULT, nick_to_index, index_to_nick,
                                (gpointer) language_nicks, NULL);
  g_signal_connect_object (self->settings, "changed::letterhead-logo",
                           G_CALLBACK (update_logo_row), self, G_CONNECT_SWAPPED);
  update_logo_row (self);
}

GtkWidget *
kl_preferences_window_new (KlWorker *worker)
{
  KlPreferencesWindow *self;

  g_return_val_if_fail (worker == NULL || KL_IS_WORKER (worker), NULL);

  self = g_object_new (KL_TYPE_PREFERENCES_WINDOW, NULL);
  adw_preferences_window_add (ADW_PREFERENCES_WINDOW (self), kl_sync_preferences_page_new (worker));
  gtk_widget_set_visible (GTK_WIDGET (self->workspace_group), worker != NULL);
  if (worker != NULL)
    {
      g_autofree char *path = g_markup_escape_text (kl_worker_get_path (worker), -1);

      self->worker = g_object_ref (worker);
      adw_action_row_set_subtitle (self->path_row, path);
      timezone_busy (self, TRUE);
      kl_worker_run (worker, KL_WORKER_READ, get_timezone_job, NULL, NULL, g_free,
                     NULL, NULL, self->cancellable, got_timezone, call_new (self));
      /* classes, priority matrix and standards live in the workspace */
      adw_preferences_window_add (ADW_PREFERENCES_WINDOW (self),
                                  ADW_PREFERENCES_PAGE (kl_analysis_preferences_new (worker)));
    }
  return GTK_WIDGET (self);
}
