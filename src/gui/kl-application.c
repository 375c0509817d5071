/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Application-wide actions and the one window. */
#include "config.h"

#include <glib/gi18n.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include "kl-application.h"
#include "kl-window.h"
#include "kl-preferences-window.h"
#include "kl-survey-window.h"
#include "kl-database.h"
#include "kl-gui-util.h"

struct _KlApplication {
  AdwApplication  parent_instance;
  char           *workspace_path;
  gboolean        demo;
};

G_DEFINE_FINAL_TYPE (KlApplication, kl_application, ADW_TYPE_APPLICATION)

static char *kl_application_dup_workspace_path (KlApplication *self);

static void
kl_application_activate (GApplication *app)
{
  KlApplication *self = KL_APPLICATION (app);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  if (window == NULL)
    {
      g_autofree char *path = kl_application_dup_workspace_path (self);

      window = GTK_WINDOW (kl_window_new_full (self, path, self->demo));
    }
  gtk_window_present (window);
}

static int
kl_application_handle_local_options (GApplication *app,
                                     GVariantDict *options)
{
  KlApplication *self = KL_APPLICATION (app);
  g_autofree char *path = NULL;

  if (g_variant_dict_lookup (options, "version", "b", NULL))
    {
      g_print ("keyline %s\n", PACKAGE_VERSION);
      return 0;
    }
  if (g_variant_dict_lookup (options, "workspace", "^ay", &path))
    kl_application_set_workspace_path (self, path);
  if (g_variant_dict_contains (options, "demo"))
    self->demo = TRUE;

  return -1;
}

static void
about_activated (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  GtkApplication *app = GTK_APPLICATION (user_data);
  const char *developers[] = { "The Keyline developers", NULL };
  GtkWidget *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", gtk_application_get_active_window (app),
                        "modal", TRUE,
                        "application-name", _("Keyline"),
                        "application-icon", APP_ID,
                        "version", PACKAGE_VERSION,
                        "developer-name", _("The Keyline developers"),
                        "developers", developers,
                        "comments", _("A workbench for key-account managers at logistics companies"),
                        "website", "https://github.com/keyline/keyline",
                        "issue-url", "https://github.com/keyline/keyline/issues",
                        "license-type", GTK_LICENSE_GPL_3_0,
                        "copyright", "© 2026 The Keyline developers",
                        /* Translators: your names, one per line */
                        "translator-credits", _("translator-credits"),
                        NULL);
  gtk_window_present (GTK_WINDOW (about));
}

static void
preferences_activated (GSimpleAction *action,
                       GVariant      *parameter,
                       gpointer       user_data)
{
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (user_data));
  KlWorker *worker = NULL;
  GtkWidget *prefs;

  if (KL_IS_WINDOW (parent))
    worker = kl_window_get_worker (KL_WINDOW (parent));
  prefs = kl_preferences_window_new (worker);
  gtk_window_set_transient_for (GTK_WINDOW (prefs), parent);
  gtk_window_present (GTK_WINDOW (prefs));
}

static void
surveys_activated (GSimpleAction *action,
                   GVariant      *parameter,
                   gpointer       user_data)
{
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (user_data));
  GtkWidget *surveys;

  if (!KL_IS_WINDOW (parent) || kl_window_get_worker (KL_WINDOW (parent)) == NULL)
    return;
  surveys = kl_survey_window_new (kl_window_get_worker (KL_WINDOW (parent)));
  gtk_window_set_transient_for (GTK_WINDOW (surveys), parent);
  gtk_window_present (GTK_WINDOW (surveys));
}

static void
shortcuts_activated (GSimpleAction *action,
                     GVariant      *parameter,
                     gpointer       user_data)
{
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (user_data));
  g_autoptr(GtkBuilder) builder = NULL;
  GtkWindow *shortcuts;

  builder = gtk_builder_new_from_resource (RESOURCE_BASE_PATH "/help-overlay.ui");
  shortcuts = GTK_WINDOW (gtk_builder_get_object (builder, "help_overlay"));
  gtk_window_set_transient_for (shortcuts, parent);
  gtk_window_set_modal (shortcuts, TRUE);
  gtk_window_present (shortcuts);
}

static void
help_shown (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  GtkWindow *parent = GTK_WINDOW (source);
  g_autoptr(GError) error = NULL;
  GtkWidget *dialog;

  if (gtk_show_uri_full_finish (parent, result, &error))
    return;
  dialog = adw_message_dialog_new (parent, _("Cannot Open the Help"), NULL);
  adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog),
                                  /* Translators: %s is the system's reason */
                                  _("The user guide could not be opened: %s. Install the Help app (Yelp) and open it again."),
                                  error->message);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_OK"));
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "close");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "close");
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
help_activated (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (user_data));

  /* The user guide (help/), shown by the desktop's help browser. */
  if (parent != NULL)
    gtk_show_uri_full (parent, "help:keyline", GDK_CURRENT_TIME, NULL, help_shown, NULL);
  else
    gtk_show_uri (NULL, "help:keyline", GDK_CURRENT_TIME);
}

static void
quit_activated (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  GList *windows = g_list_copy (gtk_application_get_windows (GTK_APPLICATION (user_data)));

  for (GList *l = windows; l != NULL; l = l->next)
    g_object_ref (l->data);

  /* Closing each window lets it save its state and stop its worker. */
  for (GList *l = windows; l != NULL; l = l->next)
    gtk_window_close (GTK_WINDOW (l->data));
  g_list_free_full (windows, g_object_unref);
  g_application_quit (G_APPLICATION (user_data));
}

static const GActionEntry app_actions[] = {
  { .name = "about", .activate = about_activated },
  { .name = "preferences", .activate = preferences_activated },
  { .name = "shortcuts", .activate = shortcuts_activated },
  { .name = "help", .activate = help_activated },
  { .name = "surveys", .activate = surveys_activated },
  { .name = "quit", .activate = quit_activated },
};

/* glibc raises its mmap threshold to the size of each large block freed,
 * up to 32 MiB, so that later blocks up to that size (a page's query
 * results, a report page drawn) come from the heap, which they leave with
 * holes it does not give back: a window that had shown every page of a
 * large workspace kept 12-16 MB it no longer used. A fixed threshold maps
 * every block of 4 MiB or more on its own and returns it when freed; the
 * smaller images drawn every frame (a strip of the window, 1-3 MB) stay on
 * the heap and are reused, rather than mapped and faulted in anew. */
static void
keep_large_blocks_mapped (void)
{
#ifdef M_MMAP_THRESHOLD
  mallopt (M_MMAP_THRESHOLD, 4 * 1024 * 1024);
#endif
}

static void
kl_application_startup (GApplication *app)
{
  GtkApplication *gtk_app = GTK_APPLICATION (app);

  keep_large_blocks_mapped ();
  G_APPLICATION_CLASS (kl_application_parent_class)->startup (app);
  kl_gui_fix_accessible_names ();

  g_action_map_add_action_entries (G_ACTION_MAP (app), app_actions,
                                   G_N_ELEMENTS (app_actions), app);
  gtk_application_set_accels_for_action (gtk_app, "app.quit",
                                         (const char *[]) { "<Control>q", NULL });
  gtk_application_set_accels_for_action (gtk_app, "app.preferences",
                                         (const char *[]) { "<Control>comma", NULL });
  gtk_application_set_accels_for_action (gtk_app, "app.shortcuts",
                                         (const char *[]) { "<Control>question", NULL });
  gtk_application_set_accels_for_action (gtk_app, "app.help",
                                         (const char *[]) { "F1", NULL });
  /* The window binds these itself; naming them here shows them in the menu. */
  gtk_application_set_accels_for_action (gtk_app, "win.import",
                                         (const char *[]) { "<Control>i", NULL });
}

static void
kl_application_finalize (GObject *object)
{
  KlApplication *self = KL_APPLICATION (object);

  g_free (self->workspace_path);
  G_OBJECT_CLASS (kl_application_parent_class)->finalize (object);
}

static void
kl_application_class_init (KlApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->finalize = kl_application_finalize;
  app_class->activate = kl_application_activate;
  app_class->startup = kl_application_startup;
  app_class->handle_local_options = kl_application_handle_local_options;
}

static void
kl_application_init (KlApplication *self)
{
  const GOptionEntry entries[] = {
    { "workspace", 'w', G_OPTION_FLAG_NONE, G_OPTION_ARG_FILENAME, NULL,
      N_("Open the workspace file PATH"), N_("PATH") },
    { "demo", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_NONE, NULL,
      N_("Fill an empty workspace with sample data instead of asking"), NULL },
    { "version", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_NONE, NULL,
      N_("Show the version and exit"), NULL },
    { NULL }
  };

  g_application_add_main_option_entries (G_APPLICATION (self), entries);
  g_application_set_option_context_parameter_string (G_APPLICATION (self), NULL);
}

KlApplication *
kl_application_new (void)
{
  return g_object_new (KL_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       "resource-base-path", RESOURCE_BASE_PATH,
                       NULL);
}

void
kl_application_set_workspace_path (KlApplication *self,
                                   const char    *path)
{
  g_return_if_fail (KL_IS_APPLICATION (self));

  g_free (self->workspace_path);
  self->workspace_path = g_strdup (path);
}

/* The path the next window opens, resolved from the option, the
 * environment and the default. */
static char *
kl_application_dup_workspace_path (KlApplication *self)
{
  g_autoptr(GSettings) settings = NULL;
  g_autofree char *last = NULL;

  g_return_val_if_fail (KL_IS_APPLICATION (self), NULL);

  if (self->workspace_path != NULL)
    return g_strdup (self->workspace_path);
  if (g_getenv ("KEYLINE_WORKSPACE") == NULL)
    {
      /* Reopen a workspace chosen with --workspace last time, while it exists. */
      settings = g_settings_new ("io.github.keyline.Keyline");
      last = g_settings_get_string (settings, "last-workspace");
      if (last[0] != '\0' && g_file_test (last, G_FILE_TEST_IS_REGULAR))
        return g_steal_pointer (&last);
    }
  return kl_database_default_path ();
}
