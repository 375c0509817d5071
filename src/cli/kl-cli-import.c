/* SPDX-License-Identifier: GPL-3.0-or-later */
/* keyline-cli import shipments|customers FILE: docs/import.md from a
 * shell. Bad rows go to stderr, the summary line last on stdout. */

#include "config.h"

#include <glib/gi18n.h>

#include "kl-cli.h"
#include "kl-csv.h"
#include "kl-import.h"
#include "kl-import-profile-store.h"

/* More unknown columns than this are counted, not named. */
#define MAX_UNKNOWN_NAMED 20

int
kl_cli_import (KlCli  *cli,
               int     argc,
               char  **argv)
{
  gboolean dry_run = FALSE, skip_bad = FALSE;
  g_autofree char *encoding = NULL;
  g_autofree char *profile_name = NULL;
  const GOptionEntry entries[] = {
    { "profile", 0, 0, G_OPTION_ARG_STRING, &profile_name,
      N_("Read the file through a saved import profile, or the profile file at PATH"), N_("NAME|PATH") },
    { "dry-run", 0, 0, G_OPTION_ARG_NONE, &dry_run, N_("Check the file and write nothing"), NULL },
    { "skip-bad", 0, 0, G_OPTION_ARG_NONE, &skip_bad, N_("Write the good rows and list the bad ones"), NULL },
    { "encoding", 0, 0, G_OPTION_ARG_STRING, &encoding,
      N_("Read the file as utf-8 or gb18030 instead of telling from its bytes"), N_("ENCODING") },
    G_OPTION_ENTRY_NULL
  };
  KlImportKind kind = g_strcmp0 (argv[0], "customers") == 0 ? KL_IMPORT_CUSTOMERS : KL_IMPORT_SHIPMENTS;
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(KlDatabase) db = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(KlImportResult) result = NULL;
  g_autoptr(KlCliProgress) progress = NULL;
  g_autoptr(GFile) gfile = NULL;
  g_autoptr(KlImportProfile) profile = NULL;
  g_autofree char *summary = NULL;
  g_autofree char *shown = NULL;
  const char *file;
  guint n_good;
  int status = KL_EXIT_OK;
  KlImportFlags flags = KL_IMPORT_FLAGS_NONE;

  context = kl_cli_option_context (cli, _("FILE"),
                                   kind == KL_IMPORT_SHIPMENTS
                                     ? _("Import shipments from a CSV file; a waybill already on record is updated, never doubled. "
                                         "A file with a bad row writes nothing unless --skip-bad is given.")
                                     : _("Import customers from a CSV file; a code already on record is updated, never doubled. "
                                         "A file with a bad row writes nothing unless --skip-bad is given."),
                                   entries);
  if (!kl_cli_parse (cli, context, &argc, &argv))
    return KL_EXIT_USAGE;
  if (argc < 2)
    return kl_cli_usage_error (cli, _("Give the CSV file to import"));
  if (argc > 2)
    return kl_cli_usage_error (cli, _("Import one file at a time; “%s” is one too many"), argv[2]);
  file = argv[1];
  /* File names reach stderr escaped, like every other text from outside. */
  shown = kl_csv_escape (file, 0);

  if (encoding != NULL)
    {
      if (g_ascii_strcasecmp (encoding, "utf-8") == 0 || g_ascii_strcasecmp (encoding, "utf8") == 0)
        flags |= KL_IMPORT_FLAGS_UTF8;
      else if (g_ascii_strcasecmp (encoding, "gb18030") == 0)
        flags |= KL_IMPORT_FLAGS_GB18030;
      else
        {
          g_autofree char *shown_encoding = kl_csv_escape (encoding, 60);

          return kl_cli_usage_error (cli, _("“%s” is not an encoding this import reads; give --encoding utf-8 or --encoding gb18030"),
                                     shown_encoding);
        }
    }

  /* Only a regular file is read (a directory, /dev/zero or a FIFO is not):
   * 66, like a file that is missing, and before any workspace is made. */
  gfile = g_file_new_for_commandline_arg (file);
  if (!kl_import_check_file (gfile, file, &error))
    {
      if (g_error_matches (error, KL_IMPORT_ERROR, KL_IMPORT_ERROR_NOT_A_FILE))
        kl_cli_error ("%s", error->message);
      else
        kl_cli_error (_("%s. Check the file’s name and that you may read it."), error->message);
      return KL_EXIT_NOINPUT;
    }

  if (profile_name != NULL)
    {
      profile = kl_import_profile_resolve (NULL, profile_name, &error);
      if (profile == NULL)
        {
          kl_cli_error ("%s", error->message);
          return g_error_matches (error, KL_IMPORT_PROFILE_ERROR, KL_IMPORT_PROFILE_ERROR_NOT_FOUND)
                 ? KL_EXIT_NOINPUT : KL_EXIT_DATAERR;
        }
    }

  db = kl_cli_open_workspace (cli, TRUE, &status);
  if (db == NULL)
    return status;

  if (dry_run)
    flags |= KL_IMPORT_FLAGS_DRY_RUN;
  if (skip_bad)
    flags |= KL_IMPORT_FLAGS_SKIP_BAD;
  progress = kl_cli_progress_new (kind == KL_IMPORT_SHIPMENTS ? _("Importing shipments…") : _("Importing customers…"));
  result = kl_import_run_file_with_profile (db, kind, gfile, file, profile, flags, kl_cli_progress_update, progress,
                                            NULL, &error);
  g_clear_pointer (&progress, kl_cli_progress_free);
  if (result == NULL)
    {
      if (g_error_matches (error, KL_IMPORT_ERROR, KL_IMPORT_ERROR_NOT_A_FILE) ||
          g_error_matches (error, KL_IMPORT_ERROR, KL_IMPORT_ERROR_READ) ||
          error->domain == G_IO_ERROR)
        {
          kl_cli_error (_("%s. Check the file’s name and that you may read it."), error->message);
          status = KL_EXIT_NOINPUT;
        }
      else
        status = kl_cli_fail (error, db, TRUE);
      if (kl_database_is_new (db))
        kl_cli_discard_workspace (g_steal_pointer (&db));
      return status;
    }

  /* Row errors keep the contract's FILE:LINE: form, so editors can jump to them. */
  for (guint i = 0; result->errors != NULL && i < result->errors->len; i++)
    g_printerr ("%s\n", (const char *) g_ptr_array_index (result->errors, i));

  /* Each unknown column once (the import escapes and cuts the names); a
   * long list names the first MAX_UNKNOWN_NAMED and counts the rest. */
  if (result->unknown_columns != NULL && result->unknown_columns->len > 0)
    {
      g_autoptr(GString) names = g_string_new (NULL);
      guint n = result->unknown_columns->len;
      guint named = MIN (n, MAX_UNKNOWN_NAMED);

      for (guint i = 0; i < named; i++)
        g_string_append_printf (names, "%s“%s”", i ? ", " : "",
                                (const char *) g_ptr_array_index (result->unknown_columns, i));
      if (n > named)
        {
          g_string_append (names, ", ");
          g_string_append_printf (names,
                                  g_dngettext (GETTEXT_PACKAGE, "and %u more", "and %u more", n - named),
                                  n - named);
        }
      kl_cli_printf (_("Ignored unknown columns: %s\n"), names->str);
    }
  /* Translators: the encoding, UTF-8 or GB18030 */
  kl_cli_printf (_("Read as %s.\n"), result->encoding);
  if (dry_run)
    {
      /* The mapping used: which header each column was read from. */
      g_autoptr(GString) mapping = g_string_new (NULL);

      if (profile != NULL)
        {
          g_autofree char *name = kl_csv_escape (kl_import_profile_get_name (profile), 60);

          g_string_append_printf (mapping, _("Columns read, with the profile “%s”:\n"), name);
        }
      else
        g_string_append (mapping, _("Columns read:\n"));
      for (guint i = 0; i < result->mapping->len; i++)
        g_string_append_printf (mapping, "  %s\n", (const char *) g_ptr_array_index (result->mapping, i));
      if (profile != NULL && kl_import_profile_get_time_zone (profile) != NULL)
        g_string_append_printf (mapping, _("Times without an offset are read in %s.\n"),
                                kl_import_profile_get_time_zone (profile));
      if (profile != NULL && kl_import_profile_get_update_only (profile))
        g_string_append (mapping, _("Update only: rows change shipments or customers on record, and only the columns the file has.\n"));
      kl_cli_print (mapping->str);
      kl_cli_print (_("Dry run: nothing was written.\n"));
    }

  n_good = result->n_new + result->n_updated + result->n_unchanged;
  if (result->n_bad > 0 && !skip_bad)
    {
      kl_cli_error (g_dngettext (GETTEXT_PACKAGE,
                                 "%u row of “%s” is bad, so nothing was written. Correct it and import again, or add --skip-bad to write the good rows.",
                                 "%u rows of “%s” are bad, so nothing was written. Correct them and import again, or add --skip-bad to write the good rows.",
                                 result->n_bad),
                    result->n_bad, shown);
      status = KL_EXIT_DATAERR;
    }
  else if (result->n_bad > 0 && n_good == 0)
    {
      kl_cli_error (_("No row of “%s” is good, so nothing was written. Correct the rows listed above and import again."),
                    shown);
      status = KL_EXIT_DATAERR;
    }

  summary = kl_import_result_summary (result);
  kl_cli_printf ("%s\n", summary);

  /* A workspace made only to check a file is not left behind. */
  if (kl_database_is_new (db) && !result->written)
    kl_cli_discard_workspace (g_steal_pointer (&db));
  return status;
}
