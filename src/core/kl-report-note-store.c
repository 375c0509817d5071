/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Report comments and goals per customer and period. */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "kl-database-private.h"
#include "kl-report-note-store.h"

gboolean
kl_report_note_get (KlDatabase  *db,
                    const char  *customer_id,
                    const char  *period,
                    char       **out_comments,
                    char       **out_goals,
                    GError     **error)
{
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (KL_IS_DATABASE (db), FALSE);
  g_return_val_if_fail (out_comments != NULL && out_goals != NULL, FALSE);

  stmt = kl_database_prepare (db, "SELECT comments, goals FROM report_notes WHERE customer_id = ? AND period = ?", error);
  if (stmt == NULL)
    return FALSE;
  kl_bind_text (stmt, 1, customer_id);
  kl_bind_text (stmt, 2, period);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      *out_comments = kl_column_dup_text (stmt, 0);
      *out_goals = kl_column_dup_text (stmt, 1);
    }
  else if (rc == SQLITE_DONE)
    {
      *out_comments = g_strdup ("");
      *out_goals = g_strdup ("");
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return kl_database_set_error (db, error, _("Reading report comments"));
  return TRUE;
}

gboolean
kl_report_note_set (KlDatabase  *db,
                    const char  *customer_id,
                    const char  *period,
                    const char  *comments,
                    const char  *goals,
                    GError     **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (KL_IS_DATABASE (db), FALSE);

  stmt = kl_database_prepare (db,
                              "INSERT INTO report_notes (customer_id, period, comments, goals, updated_at) "
                              "VALUES (?, ?, ?, ?, ?) ON CONFLICT (customer_id, period) DO UPDATE SET "
                              "comments = excluded.comments, goals = excluded.goals, updated_at = excluded.updated_at",
                              error);
  if (stmt == NULL)
    return FALSE;
  kl_bind_text (stmt, 1, customer_id);
  kl_bind_text (stmt, 2, period);
  kl_bind_text (stmt, 3, comments ? comments : "");
  kl_bind_text (stmt, 4, goals ? goals : "");
  sqlite3_bind_int64 (stmt, 5, g_get_real_time () / G_USEC_PER_SEC);
  return kl_database_step_done (db, stmt, error);
}
