/* SPDX-License-Identifier: GPL-3.0-or-later */
/* keyline-cli import shipments|customers FILE: contracts/import.md from a
 * shell. Bad rows go to stderr, the summary line last on stdout. */

#include "config.h"

#include <glib/gi18n.h>

#include "kl-cli.h"
#include "kl-import.h"

int
kl_cli_import (KlCli  *cli,
               int     argc,
               char  **argv)
{
  gboolean dry_run = FALSE, skip_bad = FALSE;
  const GOptionEntry entries[] = {
    { "dry-run", 0, 0, G_OPTION_ARG_NONE, &dry_run, N_("Check the file and write nothing"), NULL },
    { "skip-bad", 0, 0, G_OPTION_ARG_NONE, &skip_bad, N_("Write the good rows and list the bad ones"), NULL },
    G_OPTION_ENTRY_NULL
  };
  KlImportKind kind = g_strcmp0 (argv[0], "customers") == 0 ? KL_IMPORT_CUSTOMERS : KL_IMPORT_SHIPMENTS;
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(KlDatabase) db = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(KlImportResult) result = NULL;
  g_autoptr(KlCliProgress) progress = NULL;
  g_autoptr(GBytes) contents = NULL;
  g_autofree char *data = NULL;
  g_autofree char *summary = NULL;
  const char *file;
  gsize length = 0;
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

  if (!g_file_get_contents (file, &data, &length, &error))
    {
      kl_cli_error (_("%s. Check the file’s name and that you may read it."), error->message);
      return KL_EXIT_NOINPUT;
    }
  contents = g_bytes_new_take (g_steal_pointer (&data), length);

  db = kl_cli_open_workspace (cli, TRUE, &status);
  if (db == NULL)
    return status;

  if (dry_run)
    flags |= KL_IMPORT_FLAGS_DRY_RUN;
  if (skip_bad)
    flags |= KL_IMPORT_FLAGS_SKIP_BAD;
  progress = kl_cli_progress_new (kind == KL_IMPORT_SHIPMENTS ? _("Importing shipments…") : _("Importing customers…"));
  result = kl_import_run (db, kind, file, contents, flags, kl_cli_progress_update, progress, NULL, &error);
  g_clear_pointer (&progress, kl_cli_progress_free);
  if (result == NULL)
    {
      status = kl_cli_fail (error, db, TRUE);
      if (kl_database_is_new (db))
        kl_cli_discard_workspace (g_steal_pointer (&db));
      return status;
    }

  /* Row errors keep the contract's FILE:LINE: form, so editors can jump to them. */
  for (guint i = 0; result->errors != NULL && i < result->errors->len; i++)
    g_printerr ("%s\n", (const char *) g_ptr_array_index (result->errors, i));

  if (result->unknown_columns != NULL && result->unknown_columns->len > 0)
    {
      g_autoptr(GString) names = g_string_new (NULL);

      for (guint i = 0; i < result->unknown_columns->len; i++)
        g_string_append_printf (names, "%s“%s”", i ? ", " : "",
                                (const char *) g_ptr_array_index (result->unknown_columns, i));
      kl_cli_printf (_("Ignored unknown columns: %s\n"), names->str);
    }
  if (dry_run)
    kl_cli_print (_("Dry run: nothing was written.\n"));

  n_good = result->n_new + result->n_updated + result->n_unchanged;
  if (result->n_bad > 0 && !skip_bad)
    {
      kl_cli_error (g_dngettext (GETTEXT_PACKAGE,
                                 "%u row of “%s” is bad, so nothing was written. Correct it and import again, or add --skip-bad to write the good rows.",
                                 "%u rows of “%s” are bad, so nothing was written. Correct them and import again, or add --skip-bad to write the good rows.",
                                 result->n_bad),
                    result->n_bad, file);
      status = KL_EXIT_DATAERR;
    }
  else if (result->n_bad > 0 && n_good == 0)
    {
      kl_cli_error (_("No row of “%s” is good, so nothing was written. Correct the rows listed above and import again."),
                    file);
      status = KL_EXIT_DATAERR;
    }

  summary = kl_import_result_summary (result);
  kl_cli_printf ("%s\n", summary);

  /* A workspace made only to check a file is not left behind. */
  if (kl_database_is_new (db) && !result->written)
    kl_cli_discard_workspace (g_steal_pointer (&db));
  return status;
}
