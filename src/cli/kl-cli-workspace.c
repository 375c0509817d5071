/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Finding and opening the workspace a command works on, and the exit status
 * for what went wrong. */

#include "config.h"

#include <glib/gi18n.h>

#include "kl-cli.h"
#include "kl-import.h"

/* The workspace path the command works on. */
static char *
kl_cli_workspace_path (KlCli *cli)
{
  if (cli->workspace != NULL && *cli->workspace != '\0')
    return g_strdup (cli->workspace);
  return kl_database_default_path ();
}

int
kl_cli_status_for_error (const GError *error,
                         KlDatabase   *db,
                         gboolean      creating)
{
  g_return_val_if_fail (error != NULL, KL_EXIT_SOFTWARE);

  if (error->domain == KL_DATABASE_ERROR)
    {
      switch ((KlDatabaseError) error->code)
        {
        case KL_DATABASE_ERROR_OPEN:
          return creating ? KL_EXIT_CANTCREAT : KL_EXIT_NOINPUT;
        case KL_DATABASE_ERROR_NOT_FOUND:
          return KL_EXIT_NOINPUT;
        case KL_DATABASE_ERROR_TOO_NEW:
        case KL_DATABASE_ERROR_CONSTRAINT:
        case KL_DATABASE_ERROR_INVALID:
        case KL_DATABASE_ERROR_NOT_WORKSPACE:
        case KL_DATABASE_ERROR_CORRUPT:
          return KL_EXIT_DATAERR;
        case KL_DATABASE_ERROR_FULL:
        case KL_DATABASE_ERROR_READ_ONLY:
          return KL_EXIT_CANTCREAT;
        case KL_DATABASE_ERROR_CANCELLED:
        case KL_DATABASE_ERROR_BUSY:
          return KL_EXIT_TEMPFAIL;
        case KL_DATABASE_ERROR_SQL:
        case KL_DATABASE_ERROR_MIGRATION:
        default:
          return KL_EXIT_SOFTWARE;
        }
    }
  if (error->domain == KL_IMPORT_ERROR)
    return error->code == KL_IMPORT_ERROR_CANCELLED ? KL_EXIT_TEMPFAIL : KL_EXIT_DATAERR;
  if (error->domain == G_FILE_ERROR || error->domain == G_IO_ERROR)
    return creating ? KL_EXIT_CANTCREAT : KL_EXIT_NOINPUT;
  return KL_EXIT_SOFTWARE;
}

int
kl_cli_fail (const GError *error,
             KlDatabase   *db,
             gboolean      creating)
{
  int status = kl_cli_status_for_error (error, db, creating);

  if (g_error_matches (error, KL_DATABASE_ERROR, KL_DATABASE_ERROR_BUSY))
    kl_cli_error (_("%s. Another program is using the workspace; try again when it is done."), error->message);
  else if (g_error_matches (error, KL_DATABASE_ERROR, KL_DATABASE_ERROR_NOT_WORKSPACE))
    kl_cli_error (_("%s. Give the path of a Keyline workspace with --workspace."), error->message);
  else if (status == KL_EXIT_SOFTWARE)
    kl_cli_error (_("%s. This is a fault in Keyline; please report it with the command you ran."), error->message);
  else
    kl_cli_error ("%s", error->message);
  return status;
}

KlDatabase *
kl_cli_open_workspace (KlCli    *cli,
                       gboolean  create,
                       int      *out_status)
{
  g_autofree char *path = kl_cli_workspace_path (cli);
  g_autoptr(GError) error = NULL;
  KlDatabase *db;

  db = kl_database_open (path, create ? KL_DATABASE_OPEN_CREATE : 0, &error);
  if (db != NULL)
    return db;
  *out_status = kl_cli_fail (error, NULL, create);
  return NULL;
}

void
kl_cli_discard_workspace (KlDatabase *db)
{
  g_return_if_fail (KL_IS_DATABASE (db));

  kl_database_discard_new (db);
}
