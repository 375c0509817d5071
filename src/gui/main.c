/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The keyline program: sets up translations and runs the application. */
#include "config.h"

#include <locale.h>
#include <glib/gi18n.h>
#include "kl-application.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(KlApplication) app = NULL;

  setlocale (LC_ALL, "");
  /* KEYLINE_LOCALEDIR: the build tree's catalogues, for running uninstalled. */
  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("KEYLINE_LOCALEDIR") ? g_getenv ("KEYLINE_LOCALEDIR") : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  g_set_application_name (_("Keyline"));
  app = kl_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
