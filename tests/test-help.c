/* SPDX-License-Identifier: GPL-3.0-or-later */
/* F1 and the primary menu's Help open the user guide: app.help exists,
 * is enabled, carries F1, and the menu offers it. */
#include "config.h"

#include <adwaita.h>
#include "kl-application.h"
#include "kl-test-gui-util.h"

static KlApplication *the_app;

static void
test_help_action (void)
{
  GAction *action = g_action_map_lookup_action (G_ACTION_MAP (the_app), "help");
  g_auto(GStrv) accels = NULL;

  g_assert_nonnull (action);
  g_assert_true (g_action_get_enabled (action));
  g_assert_null (g_action_get_parameter_type (action));

  accels = gtk_application_get_accels_for_action (GTK_APPLICATION (the_app), "app.help");
  g_assert_nonnull (accels);
  g_assert_cmpuint (g_strv_length (accels), ==, 1);
  g_assert_cmpstr (accels[0], ==, "F1");
}

/* The primary menu names app.help, so the guide is one click away too. */
static void
test_help_in_menu (void)
{
  g_autoptr(GtkBuilder) builder = gtk_builder_new ();
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  const char *ui;
  gsize size;

  bytes = g_resources_lookup_data (RESOURCE_BASE_PATH "/kl-window.ui",
                                   G_RESOURCE_LOOKUP_FLAGS_NONE, &error);
  g_assert_no_error (error);
  ui = g_bytes_get_data (bytes, &size);
  /* The template needs the window's types; the menu is a plain object and
   * is checked by its action. */
  g_assert_nonnull (g_strstr_len (ui, (gssize) size,
                                  "<attribute name=\"action\">app.help</attribute>"));

  /* The shortcuts window lists F1. */
  gtk_builder_add_from_resource (builder, RESOURCE_BASE_PATH "/help-overlay.ui", &error);
  g_assert_no_error (error);
  g_assert_nonnull (gtk_builder_get_object (builder, "help_overlay"));
  {
    g_autoptr(GBytes) overlay = g_resources_lookup_data (RESOURCE_BASE_PATH "/help-overlay.ui",
                                                         G_RESOURCE_LOOKUP_FLAGS_NONE, &error);
    gsize n;
    const char *text;

    g_assert_no_error (error);
    text = g_bytes_get_data (overlay, &n);
    g_assert_nonnull (g_strstr_len (text, (gssize) n,
                                    "<property name=\"accelerator\">F1</property>"));
  }
}

/* Whether a session bus offers the desktop portal, which could open the
 * guide through a help browser outside this test's empty data dirs. */
static gboolean
portal_available (void)
{
  g_autoptr(GDBusConnection) bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);
  const char *methods[] = { "ListNames", "ListActivatableNames" };

  if (bus == NULL)
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (methods); i++)
    {
      g_autoptr(GVariant) reply = NULL;
      g_autofree const char **names = NULL;

      reply = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                           "org.freedesktop.DBus", methods[i], NULL,
                                           G_VARIANT_TYPE ("(as)"), G_DBUS_CALL_FLAGS_NONE,
                                           -1, NULL, NULL);
      if (reply == NULL)
        continue;
      g_variant_get (reply, "(^a&s)", &names);
      if (g_strv_contains (names, "org.freedesktop.portal.Desktop"))
        return TRUE;
    }
  return FALSE;
}

static gboolean
error_dialog_open (gpointer      fixture,
                   gconstpointer data)
{
  GtkWindow *dialog = kl_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG);

  return dialog != NULL && gtk_window_get_transient_for (dialog) == data;
}

/* With no help browser at all, F1 says so instead of doing nothing. */
static void
test_help_without_browser (void)
{
  GtkWidget *window;
  GtkWindow *dialog;

  if (portal_available ())
    {
      g_test_skip ("a desktop portal on this bus could open the help");
      return;
    }
  window = gtk_application_window_new (GTK_APPLICATION (the_app));
  gtk_window_present (GTK_WINDOW (window));
  g_action_group_activate_action (G_ACTION_GROUP (the_app), "help", NULL);
  kl_test_wait_for (NULL, error_dialog_open, window, "the help error dialog", 30);
  dialog = kl_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
  g_assert_cmpstr (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (dialog)), ==,
                   "Cannot Open the Help");
  g_test_message ("%s", adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (dialog)));
  g_assert_nonnull (strstr (adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (dialog)), "Yelp"));
  kl_test_destroy_toplevels ();
}

int
main (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *empty = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
  /* No application, and so no help browser, is known here: opening the
   * guide fails the same way on every machine. */
  empty = kl_test_make_tmp_dir ("keyline-test-help-XXXXXX");
  g_setenv ("XDG_DATA_HOME", empty, TRUE);
  g_setenv ("XDG_DATA_DIRS", empty, TRUE);
  g_setenv ("XDG_CONFIG_HOME", empty, TRUE);
  g_setenv ("XDG_CONFIG_DIRS", empty, TRUE);
  g_setenv ("GTK_USE_PORTAL", "0", TRUE);
  if (!gtk_init_check ())
    {
      g_test_message ("No display: nothing to check");
      status = g_test_run ();
      kl_test_remove_tree (empty);
      return status;
    }
  adw_init ();

  the_app = kl_application_new ();
  g_application_set_flags (G_APPLICATION (the_app), G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (the_app), NULL, &error);
  g_assert_no_error (error);

  g_test_add_func ("/help/action", test_help_action);
  g_test_add_func ("/help/menu", test_help_in_menu);
  g_test_add_func ("/help/without-browser", test_help_without_browser);
  status = g_test_run ();
  g_assert_true (kl_test_remove_tree (empty));
  return status;
}
