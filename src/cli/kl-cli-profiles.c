/* SPDX-License-Identifier: GPL-3.0-or-later */
/* keyline-cli profiles list|show|export|import: the saved import profiles
 * (docs/import.md) from a shell. They live beside the workspace in the
 * user's data folder, not in it, so no workspace is opened. */

#include "config.h"

#include <glib/gi18n.h>

#include "kl-cli.h"
#include "kl-csv.h"
#include "kl-import-profile-store.h"

static int
status_for_profile_error (const GError *error)
{
  if (g_error_matches (error, KL_IMPORT_PROFILE_ERROR, KL_IMPORT_PROFILE_ERROR_NOT_FOUND))
    return KL_EXIT_NOINPUT;
  if (g_error_matches (error, KL_IMPORT_PROFILE_ERROR, KL_IMPORT_PROFILE_ERROR_IO))
    return KL_EXIT_CANTCREAT;
  if (g_error_matches (error, KL_IMPORT_PROFILE_ERROR, KL_IMPORT_PROFILE_ERROR_EXISTS))
    return KL_EXIT_CANTCREAT;
  return KL_EXIT_DATAERR;
}

static int
profiles_list (KlCli  *cli,
               int     argc,
               char  **argv)
{
  g_autofree char *format = NULL;
  const GOptionEntry entries[] = {
    { "format", 0, 0, G_OPTION_ARG_STRING, &format, N_("table (default) or json"), N_("FORMAT") },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GPtrArray) profiles = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) out = g_string_new (NULL);

  context = kl_cli_option_context (cli, NULL, _("List the saved import profiles"), entries);
  if (!kl_cli_parse (cli, context, &argc, &argv))
    return KL_EXIT_USAGE;
  if (argc > 1)
    return kl_cli_usage_error (cli, _("“%s” is one argument too many"), argv[1]);
  if (format != NULL && g_strcmp0 (format, "table") != 0 && g_strcmp0 (format, "json") != 0)
    return kl_cli_usage_error (cli, _("--format must be table or json, not “%s”"), format);

  profiles = kl_import_profile_store_list (NULL, &error);
  if (profiles == NULL)
    {
      kl_cli_error ("%s", error->message);
      return KL_EXIT_NOINPUT;
    }

  if (g_strcmp0 (format, "json") == 0)
    {
      g_string_append (out, "[");
      for (guint i = 0; i < profiles->len; i++)
        {
          g_autofree char *json = kl_import_profile_to_json (g_ptr_array_index (profiles, i));

          g_string_append_printf (out, "%s%s", i > 0 ? ",\n" : "\n", json);
        }
      g_string_append (out, profiles->len > 0 ? "\n]\n" : "]\n");
      kl_cli_print (out->str);
      return KL_EXIT_OK;
    }

  if (profiles->len == 0)
    {
      kl_cli_print (_("No import profiles are saved. The Import dialog saves one when it maps a file, and “keyline-cli profiles import FILE” adds one.\n"));
      return KL_EXIT_OK;
    }
  for (guint i = 0; i < profiles->len; i++)
    {
      KlImportProfile *profile = g_ptr_array_index (profiles, i);
      g_autofree char *name = kl_csv_escape (kl_import_profile_get_name (profile), 60);

      kl_cli_append_padded (out, name, 24);
      g_string_append_c (out, ' ');
      kl_cli_append_padded (out, kl_import_profile_get_kind (profile) == KL_IMPORT_SHIPMENTS
                                 ? _("shipments") : _("customers"), 10);
      if (kl_import_profile_get_update_only (profile))
        g_string_append_printf (out, " %s", _("update only"));
      g_string_append_c (out, '\n');
    }
  kl_cli_print (out->str);
  return KL_EXIT_OK;
}

static int
profiles_show (KlCli  *cli,
               int     argc,
               char  **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(KlImportProfile) profile = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;

  context = kl_cli_option_context (cli, _("NAME"), _("Show a saved import profile as JSON"), NULL);
  if (!kl_cli_parse (cli, context, &argc, &argv))
    return KL_EXIT_USAGE;
  if (argc < 2)
    return kl_cli_usage_error (cli, _("Give the name of the profile"));
  if (argc > 2)
    return kl_cli_usage_error (cli, _("“%s” is one argument too many"), argv[2]);

  profile = kl_import_profile_resolve (NULL, argv[1], &error);
  if (profile == NULL)
    {
      kl_cli_error ("%s", error->message);
      return status_for_profile_error (error);
    }
  json = kl_import_profile_to_json (profile);
  kl_cli_printf ("%s\n", json);
  return KL_EXIT_OK;
}

static int
profiles_export (KlCli  *cli,
                 int     argc,
                 char  **argv)
{
  g_autofree char *output = NULL;
  const GOptionEntry entries[] = {
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, N_("The file to write"), N_("FILE") },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(KlImportProfile) profile = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;

  context = kl_cli_option_context (cli, _("NAME"),
                                   _("Write a saved import profile to a JSON file, to share it with colleagues"),
                                   entries);
  if (!kl_cli_parse (cli, context, &argc, &argv))
    return KL_EXIT_USAGE;
  if (argc < 2)
    return kl_cli_usage_error (cli, _("Give the name of the profile"));
  if (argc > 2)
    return kl_cli_usage_error (cli, _("“%s” is one argument too many"), argv[2]);
  if (output == NULL)
    return kl_cli_usage_error (cli, _("Give the file to write with -o FILE"));

  profile = kl_import_profile_store_get (NULL, argv[1], &error);
  if (profile == NULL)
    {
      kl_cli_error ("%s", error->message);
      return status_for_profile_error (error);
    }
  json = kl_import_profile_to_json (profile);
  if (!g_file_set_contents (output, json, -1, &error))
    {
      kl_cli_error (_("%s. Check that the folder exists and that you may write to it."), error->message);
      return KL_EXIT_CANTCREAT;
    }
  return KL_EXIT_OK;
}

static int
profiles_import (KlCli  *cli,
                 int     argc,
                 char  **argv)
{
  gboolean replace = FALSE;
  const GOptionEntry entries[] = {
    { "replace", 0, 0, G_OPTION_ARG_NONE, &replace, N_("Replace a saved profile of the same name"), NULL },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(KlImportProfile) profile = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *shown = NULL;

  context = kl_cli_option_context (cli, _("FILE"), _("Save the import profile in a JSON file under its name"),
                                   entries);
  if (!kl_cli_parse (cli, context, &argc, &argv))
    return KL_EXIT_USAGE;
  if (argc < 2)
    return kl_cli_usage_error (cli, _("Give the profile file to import"));
  if (argc > 2)
    return kl_cli_usage_error (cli, _("“%s” is one argument too many"), argv[2]);

  profile = kl_import_profile_load_file (argv[1], &error);
  if (profile == NULL)
    {
      kl_cli_error ("%s", error->message);
      return status_for_profile_error (error);
    }
  if (!kl_import_profile_store_save (NULL, profile, NULL, 0, replace, &error))
    {
      if (g_error_matches (error, KL_IMPORT_PROFILE_ERROR, KL_IMPORT_PROFILE_ERROR_EXISTS))
        kl_cli_error (_("%s (add --replace to replace it)"), error->message);
      else
        kl_cli_error ("%s", error->message);
      return status_for_profile_error (error);
    }
  shown = kl_csv_escape (kl_import_profile_get_name (profile), 60);
  kl_cli_printf (_("Saved the import profile “%s”.\n"), shown);
  return KL_EXIT_OK;
}

int
kl_cli_profiles (KlCli  *cli,
                 int     argc,
                 char  **argv)
{
  if (g_strcmp0 (argv[0], "list") == 0)
    return profiles_list (cli, argc, argv);
  if (g_strcmp0 (argv[0], "show") == 0)
    return profiles_show (cli, argc, argv);
  if (g_strcmp0 (argv[0], "export") == 0)
    return profiles_export (cli, argc, argv);
  return profiles_import (cli, argc, argv);
}
