/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A customer's contacts. Saving one refreshes the customer's search entry. */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "kl-database-private.h"
#include "kl-contact-store.h"
#include "kl-record-store-private.h"

#define CONTACT_COLUMNS "id, customer_id, name, role, phone, email, is_primary, birthday, notes"

static KlContact *
contact_from_row (sqlite3_stmt *stmt)
{
  KlContact *c = kl_contact_new ();

  c->id = kl_column_dup_text (stmt, 0);
  c->customer_id = kl_column_dup_text (stmt, 1);
  c->name = kl_column_dup_text (stmt, 2);
  kl_contact_role_from_string ((const char *) sqlite3_column_text (stmt, 3), &c->role);
  c->phone = kl_column_dup_text (stmt, 4);
  c->email = kl_column_dup_text (stmt, 5);
  c->primary = sqlite3_column_int (stmt, 6) != 0;
  c->birthday = kl_column_dup_text (stmt, 7);
  c->notes = kl_column_dup_text (stmt, 8);
  return c;
}

GPtrArray *
kl_contact_store_list (KlDatabase  *db,
                       const char  *customer_id,
                       GError     **error)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify) kl_contact_free);
  sqlite3_stmt *stmt;
  int rc;

  stmt = kl_database_prepare (db, "SELECT " CONTACT_COLUMNS " FROM contacts WHERE customer_id = ? "
                                  "ORDER BY is_primary DESC, name COLLATE kl_locale", error);
  if (stmt == NULL)
    return NULL;
  kl_bind_text (stmt, 1, customer_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (list, contact_from_row (stmt));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      kl_database_set_error (db, error, _("Listing contacts"));
      return NULL;
    }
  return g_steal_pointer (&list);
}

static KlContact *
kl_contact_store_get (KlDatabase  *db,
                      const char  *id,
                      GError     **error)
{
  sqlite3_stmt *stmt;
  KlContact *c = NULL;
  int rc;

  stmt = kl_database_prepare (db, "SELECT " CONTACT_COLUMNS " FROM contacts WHERE id = ?", error);
  if (stmt == NULL)
    return NULL;
  kl_bind_text (stmt, 1, id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    c = contact_from_row (stmt);
  else if (rc == SQLITE_DONE)
    g_set_error (error, KL_DATABASE_ERROR, KL_DATABASE_ERROR_NOT_FOUND, _("The contact no longer exists"));
  else
    kl_database_set_error (db, error, _("Reading a contact"));
  sqlite3_reset (stmt);
  return c;
}

static gboolean
email_valid (const char *email)
{
  const char *at = strchr (email, '@');

  return at != NULL && at != email && strchr (at + 1, '.') != NULL &&
         strchr (email, ' ') == NULL && at[1] != '.';
}

gboolean
kl_contact_store_save (KlDatabase  *db,
                       KlContact   *c,
                       GError     **error)
{
  sqlite3_stmt *stmt;
  gboolean is_new;

  g_return_val_if_fail (KL_IS_DATABASE (db), FALSE);
  g_return_val_if_fail (c != NULL && c->customer_id != NULL, FALSE);

  if (kl_text_is_blank (c->name))
    return _kl_record_invalid (error, _("A contact needs a name"));
  if (c->email != NULL && *c->email != '\0' && !email_valid (c->email))
    return _kl_record_invalid (error, _("“%s” is not an email address like name@example.com"), c->email);
  if (c->birthday != NULL && *c->birthday != '\0' && !_kl_record_date_valid (c->birthday))
    return _kl_record_invalid (error, _("The birthday “%s” is not a date like 1980-05-17"), c->birthday);

  is_new = c->id == NULL;
  if (is_new)
    c->id = kl_uuid_new ();

  if (!kl_database_begin (db, error))
    return FALSE;
  if (c->primary)
    {
      stmt = kl_database_prepare (db, "UPDATE contacts SET is_primary = 0 WHERE customer_id = ? AND id != ?", error);
      if (stmt == NULL)
        goto fail;
      kl_bind_text (stmt, 1, c->customer_id);
      kl_bind_text (stmt, 2, c->id);
      if (!kl_database_step_done (db, stmt, error))
        goto fail;
    }
  stmt = kl_database_prepare (db,
                              "INSERT INTO contacts (" CONTACT_COLUMNS ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
                              "ON CONFLICT (id) DO UPDATE SET customer_id = excluded.customer_id, name = excluded.name, "
                              "role = excluded.role, phone = excluded.phone, email = excluded.email, "
                              "is_primary = excluded.is_primary, birthday = excluded.birthday, notes = excluded.notes",
                              error);
  if (stmt == NULL)
    goto fail;
  kl_bind_text (stmt, 1, c->id);
  kl_bind_text (stmt, 2, c->customer_id);
  kl_bind_text (stmt, 3, c->name);
  kl_bind_text (stmt, 4, kl_contact_role_to_string (c->role));
  kl_bind_text (stmt, 5, c->phone);
  kl_bind_text (stmt, 6, c->email);
  sqlite3_bind_int (stmt, 7, c->primary ? 1 : 0);
  kl_bind_text (stmt, 8, c->birthday);
  kl_bind_text (stmt, 9, c->notes);
  if (!kl_database_step_done (db, stmt, error) ||
      !_kl_customer_store_refresh_search (db, c->customer_id, error) ||
      !_kl_customer_store_touch (db, c->customer_id, "contacts", error))
    goto fail;
  return kl_database_commit (db, error);

fail:
  kl_database_rollback (db);
  if (is_new)
    g_clear_pointer (&c->id, g_free);
  return FALSE;
}

gboolean
kl_contact_store_delete (KlDatabase  *db,
                         const char  *id,
                         GError     **error)
{
  g_autoptr(KlContact) c = kl_contact_store_get (db, id, error);
  sqlite3_stmt *stmt;

  if (c == NULL)
    return FALSE;
  if (!kl_database_begin (db, error))
    return FALSE;
  stmt = kl_database_prepare (db, "DELETE FROM contacts WHERE id = ?", error);
  if (stmt == NULL)
    goto fail;
  kl_bind_text (stmt, 1, id);
  if (!kl_database_step_done (db, stmt, error) ||
      !_kl_customer_store_refresh_search (db, c->customer_id, error) ||
      !_kl_customer_store_touch (db, c->customer_id, "contacts", error))
    goto fail;
  return kl_database_commit (db, error);

fail:
  kl_database_rollback (db);
  return FALSE;
}
