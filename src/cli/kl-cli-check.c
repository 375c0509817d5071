/* SPDX-License-Identifier: GPL-3.0-or-later */
/* keyline-cli check: SQLite's integrity check, the references between
 * records, and the monthly figures rebuilt from shipments and compared. */

#include "config.h"

#include <glib/gi18n.h>

#include "kl-cli.h"
#include "kl-shipment-store.h"

/* Runs a PRAGMA whose rows are problems; integrity_check's single "ok" is none. */
static gboolean
collect_pragma (KlDatabase  *db,
                const char  *sql,
                gboolean     foreign_keys,
                GPtrArray   *problems,
                GError     **error)
{
  sqlite3 *handle = kl_database_get_handle (db);
  sqlite3_stmt *stmt = NULL;
  int rc;

  if (sqlite3_prepare_v2 (handle, sql, -1, &stmt, NULL) != SQLITE_OK)
    return kl_database_set_error (db, error, _("Checking the workspace"));
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      if (foreign_keys)
        {
          const char *table = (const char *) sqlite3_column_text (stmt, 0);
          const char *parent = (const char *) sqlite3_column_text (stmt, 2);

          g_ptr_array_add (problems,
                           /* Translators: a row of one table refers to a row of another that is missing */
                           g_strdup_printf (_("%s row %lld refers to a missing row of %s"),
                                            table ? table : "?", (long long) sqlite3_column_int64 (stmt, 1),
                                            parent ? parent : "?"));
        }
      else
        {
          const char *text = (const char *) sqlite3_column_text (stmt, 0);

          if (g_strcmp0 (text, "ok") != 0)
            g_ptr_array_add (problems, g_strdup_printf (_("SQLite integrity: %s"), text ? text : "?"));
        }
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    return kl_database_set_error (db, error, _("Checking the workspace"));
  return TRUE;
}

int
kl_cli_check (KlCli  *cli,
              int     argc,
              char  **argv)
{
  gboolean repair = FALSE;
  const GOptionEntry entries[] = {
    { "repair", 0, 0, G_OPTION_ARG_NONE, &repair,
      N_("Rebuild the monthly figures from the shipments when they disagree"), NULL },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(KlDatabase) db = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) integrity = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) rollups = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) out = g_string_new (NULL);
  int status = KL_EXIT_OK;

  context = kl_cli_option_context (cli, NULL,
                                   _("Check the workspace: SQLite’s integrity check, the references between records, "
                                     "and the monthly figures rebuilt from the shipments and compared with the stored ones. "
                                     "Exits 0 when all agree."),
                                   entries);
  if (!kl_cli_parse (cli, context, &argc, &argv))
    return KL_EXIT_USAGE;
  if (argc > 1)
    return kl_cli_usage_error (cli, _("Unexpected argument “%s”"), argv[1]);

  db = kl_cli_open_workspace (cli, FALSE, &status);
  if (db == NULL)
    return status;

  if (!collect_pragma (db, "PRAGMA integrity_check", FALSE, integrity, &error) ||
      !collect_pragma (db, "PRAGMA foreign_key_check", TRUE, integrity, &error))
    return kl_cli_fail (error, db, FALSE);
  /* Figures are only worth comparing in a sound file. */
  if (integrity->len == 0 && !kl_rollup_check (db, rollups, &error))
    return kl_cli_fail (error, db, FALSE);

  for (guint i = 0; i < integrity->len; i++)
    g_string_append_printf (out, "%s\n", (const char *) g_ptr_array_index (integrity, i));
  for (guint i = 0; i < rollups->len; i++)
    g_string_append_printf (out, _("Figures: %s\n"), (const char *) g_ptr_array_index (rollups, i));
  kl_cli_print (out->str);

  if (integrity->len > 0)
    {
      kl_cli_error (g_dngettext (GETTEXT_PACKAGE,
                                 "The workspace “%s” is damaged (%u problem above); restore it from a backup copy",
                                 "The workspace “%s” is damaged (%u problems above); restore it from a backup copy",
                                 integrity->len),
                    kl_database_get_path (db), integrity->len);
      return KL_EXIT_DATAERR;
    }
  if (rollups->len > 0 && repair)
    {
      if (!kl_rollup_rebuild (db, NULL, &error))
        return kl_cli_fail (error, db, FALSE);
      kl_cli_printf (_("The monthly figures were rebuilt from the shipments.\n"));
      return KL_EXIT_OK;
    }
  if (rollups->len > 0)
    {
      kl_cli_error (g_dngettext (GETTEXT_PACKAGE,
                                 "%u monthly figure disagrees with the shipments; run “keyline-cli check --repair” to rebuild the figures",
                                 "%u monthly figures disagree with the shipments; run “keyline-cli check --repair” to rebuild the figures",
                                 rollups->len),
                    rollups->len);
      return KL_EXIT_DATAERR;
    }
  kl_cli_print (_("The workspace is sound: integrity, references and monthly figures agree.\n"));
  return KL_EXIT_OK;
}
