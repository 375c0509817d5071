/* SPDX-License-Identifier: GPL-3.0-or-later */
/* keyline-cli check's findings: SQLite's integrity and foreign-key checks,
 * the application id, the monthly figures against the shipments, the
 * outbox's references and each claim's status against its history. */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "kl-database-private.h"
#include "kl-database.h"
#include "kl-rollup.h"
#include "kl-claim-history.h"
#include "kl-workspace-check.h"

void
kl_workspace_finding_free (KlWorkspaceFinding *finding)
{
  if (finding == NULL)
    return;
  g_free (finding->message);
  g_free (finding);
}

static void
add (GPtrArray              *findings,
     KlWorkspaceFindingKind  kind,
     char                   *message)
{
  KlWorkspaceFinding *f = g_new0 (KlWorkspaceFinding, 1);

  f->kind = kind;
  f->message = message;
  g_ptr_array_add (findings, f);
}

guint
kl_workspace_findings_count (GPtrArray              *findings,
                             KlWorkspaceFindingKind  kind)
{
  guint n = 0;

  g_return_val_if_fail (findings != NULL, 0);

  for (guint i = 0; i < findings->len; i++)
    if (((KlWorkspaceFinding *) g_ptr_array_index (findings, i))->kind == kind)
      n++;
  return n;
}

/* SQLite's own check. A file too damaged to finish it is one finding. */
static gboolean
check_integrity (KlDatabase  *db,
                 GPtrArray   *findings,
                 GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  sqlite3_stmt *stmt;
  int rc;

  stmt = kl_database_prepare (db, "PRAGMA integrity_check", &local_error);
  if (stmt == NULL)
    goto failed;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *text = (const char *) sqlite3_column_text (stmt, 0);

      if (g_strcmp0 (text, "ok") != 0)
        add (findings, KL_WORKSPACE_FINDING_DAMAGED,
             g_strdup_printf (_("SQLite integrity: %s"), text ? text : "?"));
    }
  sqlite3_reset (stmt);
  if (rc == SQLITE_DONE)
    return TRUE;
  kl_database_set_error (db, &local_error, _("Checking the workspace"));

failed:
  if (g_error_matches (local_error, KL_DATABASE_ERROR, KL_DATABASE_ERROR_CORRUPT))
    {
      add (findings, KL_WORKSPACE_FINDING_DAMAGED,
           g_strdup_printf (_("SQLite integrity: %s"), local_error->message));
      return TRUE;
    }
  g_propagate_error (error, g_steal_pointer (&local_error));
  return FALSE;
}

static gboolean
check_foreign_keys (KlDatabase  *db,
                    GPtrArray   *findings,
                    GError     **error)
{
  sqlite3_stmt *stmt;
  int rc;

  stmt = kl_database_prepare (db, "PRAGMA foreign_key_check", error);
  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *table = (const char *) sqlite3_column_text (stmt, 0);
      const char *parent = (const char *) sqlite3_column_text (stmt, 2);

      add (findings, KL_WORKSPACE_FINDING_REFERENCE,
           /* Translators: a row of one table refers to a row of another that is missing */
           g_strdup_printf (_("%s row %lld refers to a missing row of %s"),
                            table ? table : "?", (long long) sqlite3_column_int64 (stmt, 1),
                            parent ? parent : "?"));
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return kl_database_set_error (db, error, _("Checking the workspace"));
  return TRUE;
}

static gboolean
check_application_id (KlDatabase  *db,
                      GPtrArray   *findings,
                      GError     **error)
{
  sqlite3_stmt *stmt;
  guint32 id;

  stmt = kl_database_prepare (db, "PRAGMA application_id", error);
  if (stmt == NULL)
    return FALSE;
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      kl_database_set_error (db, error, _("Checking the workspace"));
      sqlite3_reset (stmt);
      return FALSE;
    }
  id = (guint32) sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  if (id != KL_DATABASE_APPLICATION_ID)
    add (findings, KL_WORKSPACE_FINDING_APPLICATION_ID,
         g_strdup_printf (_("The file’s application id is %#x, not Keyline’s %#x"),
                          id, (guint) KL_DATABASE_APPLICATION_ID));
  return TRUE;
}

static gboolean
check_figures (KlDatabase  *db,
               GPtrArray   *findings,
               GError     **error)
{
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);

  if (!kl_rollup_check (db, problems, error))
    return FALSE;
  for (guint i = 0; i < problems->len; i++)
    add (findings, KL_WORKSPACE_FINDING_FIGURES, g_strdup (g_ptr_array_index (problems, i)));
  return TRUE;
}

/* Every pending change must name a record that is there: the outbox pushes
 * records by id. */
static gboolean
check_outbox (KlDatabase  *db,
              GPtrArray   *findings,
              GError     **error)
{
  sqlite3_stmt *stmt;
  int rc;

  stmt = kl_database_prepare (db,
                              "SELECT o.seq, o.collection, o.record_id FROM outbox o "
                              "WHERE NOT ((o.collection = 'customers' AND EXISTS (SELECT 1 FROM customers WHERE id = o.record_id)) "
                              "        OR (o.collection = 'claims' AND EXISTS (SELECT 1 FROM claims WHERE id = o.record_id))) "
                              "ORDER BY o.seq",
                              error);
  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *collection = (const char *) sqlite3_column_text (stmt, 1);
      const char *record_id = (const char *) sqlite3_column_text (stmt, 2);

      add (findings, KL_WORKSPACE_FINDING_OUTBOX,
           /* Translators: %lld: a position in the outbox, %s: a collection ("customers"), %s: a record id */
           g_strdup_printf (_("Pending change %lld refers to %s “%s”, which is not in the workspace"),
                            (long long) sqlite3_column_int64 (stmt, 0),
                            collection ? collection : "?", record_id ? record_id : "?"));
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return kl_database_set_error (db, error, _("Checking the workspace"));
  return TRUE;
}

/* A claim's status is the last status its history records; a status set
 * with no history entry, or an entry replaced, shows here. */
static gboolean
check_claim_history (KlDatabase  *db,
                     GPtrArray   *findings,
                     GError     **error)
{
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);

  /* The hash chain over each case's history, and each case's status
   * against the status its history last moved it to. */
  if (!kl_claim_history_verify (db, lines, error))
    return FALSE;
  for (guint i = 0; i < lines->len; i++)
    add (findings, KL_WORKSPACE_FINDING_CLAIM_HISTORY, g_strdup (g_ptr_array_index (lines, i)));
  return TRUE;
}

GPtrArray *
kl_workspace_check (KlDatabase  *db,
                    GError     **error)
{
  g_autoptr(GPtrArray) findings = NULL;
  g_autoptr(GError) local_error = NULL;
  gboolean nested;

  g_return_val_if_fail (KL_IS_DATABASE (db), NULL);

  findings = g_ptr_array_new_with_free_func ((GDestroyNotify) kl_workspace_finding_free);
  /* One snapshot for every check, beside any writer. */
  nested = kl_database_in_transaction (db);
  if (!kl_database_begin_read (db, error))
    return NULL;
  if (!check_integrity (db, findings, &local_error))
    goto fail;
  if (findings->len == 0 &&
      (!check_foreign_keys (db, findings, &local_error) ||
       !check_application_id (db, findings, &local_error) ||
       !check_figures (db, findings, &local_error) ||
       !check_outbox (db, findings, &local_error) ||
       !check_claim_history (db, findings, &local_error)))
    {
      /* A damaged page SQLite's own check did not reach. */
      if (g_error_matches (local_error, KL_DATABASE_ERROR, KL_DATABASE_ERROR_CORRUPT))
        {
          g_ptr_array_set_size (findings, 0);
          add (findings, KL_WORKSPACE_FINDING_DAMAGED,
               g_strdup_printf (_("SQLite integrity: %s"), local_error->message));
          goto done;
        }
      goto fail;
    }
done:
  /* Nothing was written: the outermost level ends without a COMMIT, which
   * a damaged file could fail. */
  if (nested)
    kl_database_commit (db, NULL);
  else
    kl_database_rollback (db);
  return g_steal_pointer (&findings);

fail:
  kl_database_rollback (db);
  g_propagate_error (error, g_steal_pointer (&local_error));
  return NULL;
}
