/* SPDX-License-Identifier: GPL-3.0-or-later */
/* F1 and the primary menu's Help open the user guide: app.help exists,
 * is enabled, carries F1, and the menu offers it. */
#include "config.h"

#include <adwaita.h>
#include "kl-application.h"

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

int
main (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;

  g_test_init (&argc, &argv, NULL);
  if (!gtk_init_check ())
    {
      g_test_message ("No display: nothing to check");
      return g_test_run ();
    }
  adw_init ();

  the_app = kl_application_new ();
  g_application_set_flags (G_APPLICATION (the_app), G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (the_app), NULL, &error);
  g_assert_no_error (error);

  g_test_add_func ("/help/action", test_help_action);
  g_test_add_func ("/help/menu", test_help_in_menu);
  return g_test_run ();
}
