/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Activities (calls, visits, tasks …) and their follow-ups. */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "kl-database-private.h"
#include "kl-activity-store.h"
#include "kl-record-store-private.h"

#define ACTIVITY_COLUMNS "id, customer_id, kind, subject, notes, contact_id, at, due_at, done, created_at"

static KlActivity *
activity_from_row (sqlite3_stmt *stmt)
{
  KlActivity *a = kl_activity_new ();

  a->id = kl_column_dup_text (stmt, 0);
  a->customer_id = kl_column_dup_text (stmt, 1);
  kl_activity_kind_from_string ((const char *) sqlite3_column_text (stmt, 2), &a->kind);
  a->subject = kl_column_dup_text (stmt, 3);
  a->notes = kl_column_dup_text (stmt, 4);
  a->contact_id = kl_column_dup_text (stmt, 5);
  a->at = kl_column_time (stmt, 6);
  a->due_at = kl_column_time (stmt, 7);
  a->done = sqlite3_column_int (stmt, 8) != 0;
  a->created_at = kl_column_time (stmt, 9);
  return a;
}

static GPtrArray *
activities_query (KlDatabase  *db,
                  const char  *sql,
                  const char  *text_arg,
                  gint64       time_arg,
                  GError     **error)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify) kl_activity_free);
  sqlite3_stmt *stmt;
  int rc;

  stmt = kl_database_prepare (db, sql, error);
  if (stmt == NULL)
    return NULL;
  if (text_arg != NULL)
    kl_bind_text (stmt, 1, text_arg);
  else
    sqlite3_bind_int64 (stmt, 1, time_arg);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (list, activity_from_row (stmt));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      kl_database_set_error (db, error, _("Reading activities"));
      return NULL;
    }
  return g_steal_pointer (&list);
}

GPtrArray *
kl_activity_store_list (KlDatabase  *db,
                        const char  *customer_id,
                        GError     **error)
{
  return activities_query (db, "SELECT " ACTIVITY_COLUMNS " FROM activities WHERE customer_id = ? "
                               "ORDER BY at DESC, created_at DESC", customer_id, 0, error);
}

GPtrArray *
kl_activity_store_due (KlDatabase  *db,
                       gint64       before,
                       GError     **error)
{
  return activities_query (db, "SELECT a.id, a.customer_id, a.kind, a.subject, a.notes, a.contact_id, a.at, "
                               "a.due_at, a.done, a.created_at FROM activities a JOIN customers c ON c.id = a.customer_id "
                               "WHERE a.done = 0 AND a.due_at IS NOT NULL AND a.due_at < ? AND c.deleted = 0 "
                               "ORDER BY a.due_at",
                           NULL, before == KL_NO_TIME ? G_MAXINT64 : before, error);
}

KlActivity *
kl_activity_store_get (KlDatabase  *db,
                       const char  *id,
                       GError     **error)
{
  g_autoptr(GPtrArray) list = activities_query (db, "SELECT " ACTIVITY_COLUMNS " FROM activities WHERE id = ?",
                                                id, 0, error);

  if (list == NULL)
    return NULL;
  if (list->len == 0)
    {
      g_set_error (error, KL_DATABASE_ERROR, KL_DATABASE_ERROR_NOT_FOUND, _("The activity no longer exists"));
      return NULL;
    }
  return g_ptr_array_steal_index (list, 0);
}

gboolean
kl_activity_store_save (KlDatabase  *db,
                        KlActivity  *a,
                        GError     **error)
{
  sqlite3_stmt *stmt;
  gboolean is_new;

  g_return_val_if_fail (KL_IS_DATABASE (db), FALSE);
  g_return_val_if_fail (a != NULL && a->customer_id != NULL, FALSE);

  if (kl_text_is_blank (a->subject))
    return _kl_record_invalid (error, _("An activity needs a subject"));

  is_new = a->id == NULL;
  if (is_new)
    a->id = kl_uuid_new ();
  if (a->at == KL_NO_TIME)
    a->at = g_get_real_time () / G_USEC_PER_SEC;
  if (a->created_at == KL_NO_TIME)
    a->created_at = g_get_real_time () / G_USEC_PER_SEC;

  stmt = kl_database_prepare (db,
                              "INSERT INTO activities (" ACTIVITY_COLUMNS ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                              "ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, subject = excluded.subject, "
                              "notes = excluded.notes, contact_id = excluded.contact_id, at = excluded.at, "
                              "due_at = excluded.due_at, done = excluded.done",
                              error);
  if (stmt == NULL)
    goto fail;
  kl_bind_text (stmt, 1, a->id);
  kl_bind_text (stmt, 2, a->customer_id);
  kl_bind_text (stmt, 3, kl_activity_kind_to_string (a->kind));
  kl_bind_text (stmt, 4, a->subject);
  kl_bind_text (stmt, 5, a->notes);
  kl_bind_text (stmt, 6, a->contact_id);
  kl_bind_time (stmt, 7, a->at);
  kl_bind_time (stmt, 8, a->due_at);
  sqlite3_bind_int (stmt, 9, a->done ? 1 : 0);
  kl_bind_time (stmt, 10, a->created_at);
  if (!kl_database_step_done (db, stmt, error))
    goto fail;
  return TRUE;

fail:
  if (is_new)
    g_clear_pointer (&a->id, g_free);
  return FALSE;
}

gboolean
kl_activity_store_delete (KlDatabase  *db,
                          const char  *id,
                          GError     **error)
{
  sqlite3_stmt *stmt = kl_database_prepare (db, "DELETE FROM activities WHERE id = ?", error);

  if (stmt == NULL)
    return FALSE;
  kl_bind_text (stmt, 1, id);
  if (!kl_database_step_done (db, stmt, error))
    return FALSE;
  if (sqlite3_changes (kl_database_get_handle (db)) == 0)
    {
      g_set_error (error, KL_DATABASE_ERROR, KL_DATABASE_ERROR_NOT_FOUND, _("The activity no longer exists"));
      return FALSE;
    }
  return TRUE;
}

GStrv
kl_activity_store_naming_contact (KlDatabase  *db,
                                  const char  *contact_id,
                                  GError     **error)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (KL_IS_DATABASE (db), NULL);
  g_return_val_if_fail (contact_id != NULL, NULL);

  stmt = kl_database_prepare (db, "SELECT id FROM activities WHERE contact_id = ? ORDER BY id", error);
  if (stmt == NULL)
    return NULL;
  kl_bind_text (stmt, 1, contact_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_strv_builder_add (builder, (const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      kl_database_set_error (db, error, _("Reading a contact’s activities"));
      return NULL;
    }
  return g_strv_builder_end (builder);
}

gboolean
kl_activity_store_relink_contact (KlDatabase         *db,
                                  const char         *contact_id,
                                  const char * const *activity_ids,
                                  GError            **error)
{
  g_return_val_if_fail (KL_IS_DATABASE (db), FALSE);
  g_return_val_if_fail (contact_id != NULL, FALSE);

  if (activity_ids == NULL || activity_ids[0] == NULL)
    return TRUE;
  if (!kl_database_begin (db, error))
    return FALSE;
  for (guint i = 0; activity_ids[i] != NULL; i++)
    {
      sqlite3_stmt *stmt = kl_database_prepare (db,
                                                "UPDATE activities SET contact_id = ? "
                                                "WHERE id = ? AND contact_id IS NULL",
                                                error);
      if (stmt == NULL)
        goto fail;
      kl_bind_text (stmt, 1, contact_id);
      kl_bind_text (stmt, 2, activity_ids[i]);
      if (!kl_database_step_done (db, stmt, error))
        goto fail;
    }
  return kl_database_commit (db, error);

fail:
  kl_database_rollback (db);
  return FALSE;
}
