/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Small things the window's widgets share. */

#include "config.h"

#include "kl-gui-util.h"

void
kl_gui_add_style_sheet (GtkWidget  *widget,
                        const char *resource_path)
{
  GdkDisplay *display;
  g_autoptr(GtkCssProvider) provider = NULL;
  g_autofree char *key = NULL;

  g_return_if_fail (GTK_IS_WIDGET (widget));
  g_return_if_fail (resource_path != NULL);

  display = gtk_widget_get_display (widget);
  if (display == NULL)
    return;
  /* The provider lives as long as the display, under a key per sheet. */
  key = g_strconcat ("kl-style-sheet:", resource_path, NULL);
  if (g_object_get_data (G_OBJECT (display), key) != NULL)
    return;
  provider = gtk_css_provider_new ();
  gtk_css_provider_load_from_resource (provider, resource_path);
  gtk_style_context_add_provider_for_display (display, GTK_STYLE_PROVIDER (provider),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  g_object_set_data_full (G_OBJECT (display), key, g_steal_pointer (&provider), g_object_unref);
}

static void
spinner_mapped (GtkWidget *spinner,
                gpointer   user_data)
{
  gtk_spinner_start (GTK_SPINNER (spinner));
}

static void
spinner_unmapped (GtkWidget *spinner,
                  gpointer   user_data)
{
  gtk_spinner_stop (GTK_SPINNER (spinner));
}

void
kl_gui_spin_only_when_shown (GtkWidget *widget)
{
  g_return_if_fail (GTK_IS_WIDGET (widget));

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    kl_gui_spin_only_when_shown (child);

  if (GTK_IS_SPINNER (widget) && gtk_spinner_get_spinning (GTK_SPINNER (widget)))
    {
      gtk_spinner_set_spinning (GTK_SPINNER (widget), gtk_widget_get_mapped (widget));
      g_signal_connect (widget, "map", G_CALLBACK (spinner_mapped), NULL);
      g_signal_connect (widget, "unmap", G_CALLBACK (spinner_unmapped), NULL);
    }
}
