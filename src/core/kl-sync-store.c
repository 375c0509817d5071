/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The sync layer's state in the workspace: see kl-sync-store.h. */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "kl-claim-history.h"
#include "kl-claim-store-private.h"
#include "kl-database-private.h"
#include "kl-sync-store.h"

static gint64
now_seconds (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

/* Steps a one-row query; FALSE with error on failure, *out_row says
 * whether a row came. */
static gboolean
step_row (KlDatabase    *db,
          sqlite3_stmt  *stmt,
          gboolean      *out_row,
          const char    *what,
          GError       **error)
{
  int rc = sqlite3_step (stmt);

  *out_row = rc == SQLITE_ROW;
  if (rc == SQLITE_ROW || rc == SQLITE_DONE)
    return TRUE;
  return kl_database_set_error (db, error, what);
}

/* Cursors */

char *
kl_sync_store_get_cursor (KlDatabase *db,
                          const char *collection)
{
  sqlite3_stmt *stmt = kl_database_prepare (db, "SELECT cursor FROM sync_cursors WHERE collection = ?", NULL);
  char *cursor = NULL;

  if (stmt == NULL)
    return NULL;
  kl_bind_text (stmt, 1, collection);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    cursor = kl_column_dup_text (stmt, 0);
  sqlite3_reset (stmt);
  return cursor;
}

gint64
kl_sync_store_cursor_time (KlDatabase *db,
                           const char *collection)
{
  sqlite3_stmt *stmt = kl_database_prepare (db, "SELECT synced_at FROM sync_cursors WHERE collection = ?", NULL);
  gint64 t = 0;

  if (stmt == NULL)
    return 0;
  kl_bind_text (stmt, 1, collection);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    t = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return t;
}

gboolean
kl_sync_store_set_cursor (KlDatabase  *db,
                          const char  *collection,
                          const char  *cursor,
                          GError     **error)
{
  sqlite3_stmt *stmt;

  if (cursor == NULL)
    {
      stmt = kl_database_prepare (db, "DELETE FROM sync_cursors WHERE collection = ?", error);
      if (stmt == NULL)
        return FALSE;
      kl_bind_text (stmt, 1, collection);
      return kl_database_step_done (db, stmt, error);
    }
  stmt = kl_database_prepare (db,
                              "INSERT INTO sync_cursors (collection, cursor, synced_at) VALUES (?1, ?2, ?3) "
                              "ON CONFLICT (collection) DO UPDATE SET cursor = ?2, synced_at = ?3",
                              error);
  if (stmt == NULL)
    return FALSE;
  kl_bind_text (stmt, 1, collection);
  kl_bind_text (stmt, 2, cursor);
  sqlite3_bind_int64 (stmt, 3, now_seconds ());
  return kl_database_step_done (db, stmt, error);
}

/* Records */

void
kl_sync_record_free (KlSyncRecord *self)
{
  if (self == NULL)
    return;
  g_free (self->collection);
  g_free (self->local_id);
  g_free (self->server_id);
  g_free (self->base);
  g_free (self);
}

static KlSyncRecord *
record_query (KlDatabase  *db,
              const char  *sql,
              const char  *collection,
              const char  *id,
              GError     **error)
{
  sqlite3_stmt *stmt = kl_database_prepare (db, sql, error);
  KlSyncRecord *r = NULL;
  gboolean row;

  if (stmt == NULL)
    return NULL;
  kl_bind_text (stmt, 1, collection);
  kl_bind_text (stmt, 2, id);
  if (!step_row (db, stmt, &row, _("Reading the sync state"), error))
    return NULL;
  if (row)
    {
      r = g_new0 (KlSyncRecord, 1);
      r->collection = g_strdup (collection);
      r->local_id = kl_column_dup_text (stmt, 0);
      r->server_id = kl_column_dup_text (stmt, 1);
      r->revision = sqlite3_column_int64 (stmt, 2);
      r->base = kl_column_dup_text (stmt, 3);
    }
  sqlite3_reset (stmt);
  return r;
}

KlSyncRecord *
kl_sync_store_record_by_local (KlDatabase  *db,
                               const char  *collection,
                               const char  *local_id,
                               GError     **error)
{
  return record_query (db, "SELECT local_id, server_id, revision, base FROM sync_records "
                           "WHERE collection = ? AND local_id = ?", collection, local_id, error);
}

KlSyncRecord *
kl_sync_store_record_by_server (KlDatabase  *db,
                                const char  *collection,
                                const char  *server_id,
                                GError     **error)
{
  return record_query (db, "SELECT local_id, server_id, revision, base FROM sync_records "
                           "WHERE collection = ? AND server_id = ?", collection, server_id, error);
}

gboolean
kl_sync_store_record_set (KlDatabase  *db,
                          const char  *collection,
                          const char  *local_id,
                          const char  *server_id,
                          gint64       revision,
                          const char  *base,
                          GError     **error)
{
  sqlite3_stmt *stmt;

  /* A server id moves to the local record that now holds it. */
  stmt = kl_database_prepare (db, "DELETE FROM sync_records WHERE collection = ? AND server_id = ? AND local_id <> ?",
                              error);
  if (stmt == NULL)
    return FALSE;
  kl_bind_text (stmt, 1, collection);
  kl_bind_text (stmt, 2, server_id);
  kl_bind_text (stmt, 3, local_id);
  if (!kl_database_step_done (db, stmt, error))
    return FALSE;
  stmt = kl_database_prepare (db,
                              "INSERT INTO sync_records (collection, local_id, server_id, revision, base) "
                              "VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (collection, local_id) "
                              "DO UPDATE SET server_id = ?3, revision = ?4, base = ?5",
                              error);
  if (stmt == NULL)
    return FALSE;
  kl_bind_text (stmt, 1, collection);
  kl_bind_text (stmt, 2, local_id);
  kl_bind_text (stmt, 3, server_id);
  sqlite3_bind_int64 (stmt, 4, revision);
  kl_bind_text (stmt, 5, base);
  return kl_database_step_done (db, stmt, error);
}

gboolean
kl_sync_store_record_remove (KlDatabase  *db,
                             const char  *collection,
                             const char  *local_id,
                             GError     **error)
{
  sqlite3_stmt *stmt = kl_database_prepare (db, "DELETE FROM sync_records WHERE collection = ? AND local_id = ?", error);

  if (stmt == NULL)
    return FALSE;
  kl_bind_text (stmt, 1, collection);
  kl_bind_text (stmt, 2, local_id);
  return kl_database_step_done (db, stmt, error);
}

/* Outbox */

void
kl_outbox_entry_free (KlOutboxEntry *self)
{
  if (self == NULL)
    return;
  g_free (self->collection);
  g_free (self->record_id);
  g_free (self->op);
  g_free (self->fields);
  g_free (self->idempotency_key);
  g_free (self);
}

GPtrArray *
kl_sync_store_outbox_list (KlDatabase  *db,
                           GError     **error)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify) kl_outbox_entry_free);
  sqlite3_stmt *stmt;
  int rc;

  stmt = kl_database_prepare (db, "SELECT seq, collection, record_id, op, fields, base_revision, idempotency_key "
                                  "FROM outbox ORDER BY seq", error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      KlOutboxEntry *e = g_new0 (KlOutboxEntry, 1);

      e->seq = sqlite3_column_int64 (stmt, 0);
      e->collection = kl_column_dup_text (stmt, 1);
      e->record_id = kl_column_dup_text (stmt, 2);
      e->op = kl_column_dup_text (stmt, 3);
      e->fields = kl_column_dup_text (stmt, 4);
      e->base_revision = sqlite3_column_int64 (stmt, 5);
      e->idempotency_key = kl_column_dup_text (stmt, 6);
      g_ptr_array_add (list, e);
    }
  if (rc != SQLITE_DONE)
    {
      kl_database_set_error (db, error, _("Reading the sync outbox"));
      return NULL;
    }
  sqlite3_reset (stmt);
  return g_steal_pointer (&list);
}

gint64
kl_sync_store_outbox_last (KlDatabase  *db,
                           GError     **error)
{
  sqlite3_stmt *stmt = kl_database_prepare (db, "SELECT coalesce(max(seq), 0) FROM outbox", error);
  gint64 n = -1;
  gboolean row;

  if (stmt == NULL || !step_row (db, stmt, &row, _("Reading the sync outbox"), error))
    return -1;
  n = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return n;
}

gint64
kl_sync_store_outbox_remove (KlDatabase  *db,
                             const char  *collection,
                             const char  *record_id,
                             gint64       up_to_seq,
                             GError     **error)
{
  sqlite3_stmt *stmt = kl_database_prepare (db, "DELETE FROM outbox WHERE collection = ? AND record_id = ? AND seq <= ?",
                                            error);

  if (stmt == NULL)
    return -1;
  kl_bind_text (stmt, 1, collection);
  kl_bind_text (stmt, 2, record_id);
  sqlite3_bind_int64 (stmt, 3, up_to_seq);
  if (!kl_database_step_done (db, stmt, error))
    return -1;
  return sqlite3_changes (kl_database_get_handle (db));
}

gboolean
kl_sync_store_outbox_drop_after (KlDatabase  *db,
                                 const char  *record_id,
                                 gint64       after_seq,
                                 GError     **error)
{
  sqlite3_stmt *stmt = kl_database_prepare (db, "DELETE FROM outbox WHERE seq > ?1 AND (?2 IS NULL OR record_id = ?2)",
                                            error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, after_seq);
  kl_bind_text (stmt, 2, record_id);
  return kl_database_step_done (db, stmt, error);
}

gint64
kl_sync_store_outbox_drop_uncarried (KlDatabase  *db,
                                     GError     **error)
{
  sqlite3_stmt *stmt = kl_database_prepare (db, "DELETE FROM outbox WHERE collection NOT IN ('customers', 'claims')",
                                            error);

  if (stmt == NULL || !kl_database_step_done (db, stmt, error))
    return -1;
  return sqlite3_changes (kl_database_get_handle (db));
}

gboolean
kl_sync_store_outbox_pending (KlDatabase *db,
                              const char *collection,
                              const char *record_id)
{
  sqlite3_stmt *stmt = kl_database_prepare (db, "SELECT 1 FROM outbox WHERE collection = ? AND record_id = ? LIMIT 1",
                                            NULL);
  gboolean pending;

  if (stmt == NULL)
    return TRUE;   /* when in doubt, keep the local edit */
  kl_bind_text (stmt, 1, collection);
  kl_bind_text (stmt, 2, record_id);
  pending = sqlite3_step (stmt) == SQLITE_ROW;
  sqlite3_reset (stmt);
  return pending;
}

char *
kl_sync_store_outbox_create_key (KlDatabase *db,
                                 const char *collection,
                                 const char *record_id)
{
  sqlite3_stmt *stmt = kl_database_prepare (db,
                                            "SELECT idempotency_key FROM outbox WHERE collection = ? AND record_id = ? "
                                            "AND op = 'create' ORDER BY seq LIMIT 1", NULL);
  char *key = NULL;

  if (stmt == NULL)
    return NULL;
  kl_bind_text (stmt, 1, collection);
  kl_bind_text (stmt, 2, record_id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    key = kl_column_dup_text (stmt, 0);
  sqlite3_reset (stmt);
  return key;
}

gboolean
kl_sync_store_outbox_recreate (KlDatabase  *db,
                               const char  *collection,
                               const char  *record_id,
                               GError     **error)
{
  if (kl_sync_store_outbox_remove (db, collection, record_id, G_MAXINT64, error) < 0)
    return FALSE;
  return kl_database_outbox_add (db, collection, record_id, "create", "*", 0, error);
}

/* Conflicts */

void
kl_sync_conflict_free (KlSyncConflict *self)
{
  if (self == NULL)
    return;
  g_free (self->collection);
  g_free (self->local_id);
  g_free (self->reason);
  g_free (self->detail);
  g_free (self->server);
  g_free (self->fields);
  g_free (self);
}

gboolean
kl_sync_store_conflict_set (KlDatabase           *db,
                            const KlSyncConflict *c,
                            GError              **error)
{
  sqlite3_stmt *stmt = kl_database_prepare (db,
                                            "INSERT INTO sync_conflicts (collection, local_id, reason, detail, server, fields, created_at) "
                                            "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT (collection, local_id) DO UPDATE SET "
                                            "reason = ?3, detail = ?4, server = ?5, fields = ?6",
                                            error);

  if (stmt == NULL)
    return FALSE;
  kl_bind_text (stmt, 1, c->collection);
  kl_bind_text (stmt, 2, c->local_id);
  kl_bind_text (stmt, 3, c->reason);
  kl_bind_text (stmt, 4, c->detail);
  kl_bind_text (stmt, 5, c->server);
  kl_bind_text (stmt, 6, c->fields ? c->fields : "[]");
  sqlite3_bind_int64 (stmt, 7, c->created_at > 0 ? c->created_at : now_seconds ());
  return kl_database_step_done (db, stmt, error);
}

#define CONFLICT_COLUMNS "collection, local_id, reason, detail, server, fields, created_at"

static KlSyncConflict *
conflict_from_row (sqlite3_stmt *stmt)
{
  KlSyncConflict *c = g_new0 (KlSyncConflict, 1);

  c->collection = kl_column_dup_text (stmt, 0);
  c->local_id = kl_column_dup_text (stmt, 1);
  c->reason = kl_column_dup_text (stmt, 2);
  c->detail = kl_column_dup_text (stmt, 3);
  c->server = kl_column_dup_text (stmt, 4);
  c->fields = kl_column_dup_text (stmt, 5);
  c->created_at = sqlite3_column_int64 (stmt, 6);
  return c;
}

KlSyncConflict *
kl_sync_store_conflict_get (KlDatabase  *db,
                            const char  *collection,
                            const char  *local_id,
                            GError     **error)
{
  sqlite3_stmt *stmt = kl_database_prepare (db, "SELECT " CONFLICT_COLUMNS " FROM sync_conflicts "
                                                "WHERE collection = ? AND local_id = ?", error);
  KlSyncConflict *c = NULL;
  gboolean row;

  if (stmt == NULL)
    return NULL;
  kl_bind_text (stmt, 1, collection);
  kl_bind_text (stmt, 2, local_id);
  if (!step_row (db, stmt, &row, _("Reading the sync conflicts"), error))
    return NULL;
  if (row)
    c = conflict_from_row (stmt);
  sqlite3_reset (stmt);
  return c;
}

gboolean
kl_sync_store_conflict_remove (KlDatabase  *db,
                               const char  *collection,
                               const char  *local_id,
                               GError     **error)
{
  sqlite3_stmt *stmt = kl_database_prepare (db, "DELETE FROM sync_conflicts WHERE collection = ? AND local_id = ?", error);

  if (stmt == NULL)
    return FALSE;
  kl_bind_text (stmt, 1, collection);
  kl_bind_text (stmt, 2, local_id);
  return kl_database_step_done (db, stmt, error);
}

GPtrArray *
kl_sync_store_conflict_list (KlDatabase  *db,
                             GError     **error)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify) kl_sync_conflict_free);
  sqlite3_stmt *stmt = kl_database_prepare (db, "SELECT " CONFLICT_COLUMNS " FROM sync_conflicts "
                                                "ORDER BY created_at, collection, local_id", error);
  int rc;

  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (list, conflict_from_row (stmt));
  if (rc != SQLITE_DONE)
    {
      kl_database_set_error (db, error, _("Reading the sync conflicts"));
      return NULL;
    }
  sqlite3_reset (stmt);
  return g_steal_pointer (&list);
}

gint64
kl_sync_store_conflict_count (KlDatabase *db)
{
  sqlite3_stmt *stmt = kl_database_prepare (db, "SELECT count(*) FROM sync_conflicts", NULL);
  gint64 n = 0;

  if (stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW)
    n = sqlite3_column_int64 (stmt, 0);
  if (stmt != NULL)
    sqlite3_reset (stmt);
  return n;
}

/* Full pulls */

gboolean
kl_sync_store_seen_add (KlDatabase  *db,
                        const char  *collection,
                        const char  *server_id,
                        GError     **error)
{
  sqlite3_stmt *stmt = kl_database_prepare (db, "INSERT OR IGNORE INTO sync_full_seen (collection, server_id) VALUES (?, ?)",
                                            error);

  if (stmt == NULL)
    return FALSE;
  kl_bind_text (stmt, 1, collection);
  kl_bind_text (stmt, 2, server_id);
  return kl_database_step_done (db, stmt, error);
}

gboolean
kl_sync_store_seen_clear (KlDatabase  *db,
                          const char  *collection,
                          GError     **error)
{
  sqlite3_stmt *stmt = kl_database_prepare (db, "DELETE FROM sync_full_seen WHERE collection = ?", error);

  if (stmt == NULL)
    return FALSE;
  kl_bind_text (stmt, 1, collection);
  return kl_database_step_done (db, stmt, error);
}

GPtrArray *
kl_sync_store_unseen (KlDatabase  *db,
                      const char  *collection,
                      GError     **error)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt;
  int rc;

  if (g_strcmp0 (collection, "shipments") == 0)
    stmt = kl_database_prepare (db,
                                "SELECT s.waybill FROM shipments s WHERE s.uuid IS NOT NULL AND NOT EXISTS "
                                "(SELECT 1 FROM sync_full_seen f WHERE f.collection = 'shipments' AND f.server_id = s.uuid)",
                                error);
  else if (g_strcmp0 (collection, "customers") == 0)
    stmt = kl_database_prepare (db,
                                "SELECT c.id FROM customers c LEFT JOIN sync_records r "
                                "  ON r.collection = 'customers' AND r.local_id = c.id "
                                "WHERE c.deleted = 0 "
                                "AND NOT EXISTS (SELECT 1 FROM sync_full_seen f WHERE f.collection = 'customers' "
                                "  AND f.server_id = coalesce(r.server_id, c.id)) "
                                "AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.collection = 'customers' AND o.record_id = c.id) "
                                "AND NOT EXISTS (SELECT 1 FROM sync_conflicts k WHERE k.collection = 'customers' AND k.local_id = c.id)",
                                error);
  else
    stmt = kl_database_prepare (db,
                                "SELECT c.id FROM claims c JOIN sync_records r "
                                "  ON r.collection = 'claims' AND r.local_id = c.id "
                                "WHERE c.deleted = 0 "
                                "AND NOT EXISTS (SELECT 1 FROM sync_full_seen f WHERE f.collection = 'claims' "
                                "  AND f.server_id = r.server_id) "
                                "AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.collection = 'claims' AND o.record_id = c.id)",
                                error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (list, kl_column_dup_text (stmt, 0));
  if (rc != SQLITE_DONE)
    {
      kl_database_set_error (db, error, _("Reading the sync state"));
      return NULL;
    }
  sqlite3_reset (stmt);
  return g_steal_pointer (&list);
}

/* Customers */

gboolean
kl_sync_store_customer_remove (KlDatabase  *db,
                               const char  *local_id,
                               GError     **error)
{
  sqlite3_stmt *stmt = kl_database_prepare (db, "UPDATE customers SET deleted = 1, updated_at = ? WHERE id = ?", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, now_seconds ());
  kl_bind_text (stmt, 2, local_id);
  return kl_database_step_done (db, stmt, error);
}

char *
kl_sync_store_customer_by_code (KlDatabase  *db,
                                const char  *code,
                                GError     **error)
{
  sqlite3_stmt *stmt = kl_database_prepare (db, "SELECT id FROM customers WHERE code = ?", error);
  char *id = NULL;
  gboolean row;

  if (stmt == NULL)
    return NULL;
  kl_bind_text (stmt, 1, code);
  if (!step_row (db, stmt, &row, _("Reading the customers"), error))
    return NULL;
  if (row)
    id = kl_column_dup_text (stmt, 0);
  sqlite3_reset (stmt);
  return id;
}

/* Claims */

static gint64
claim_rows (KlDatabase *db, const char *sql, const char *id, GError **error)
{
  sqlite3_stmt *stmt = kl_database_prepare (db, sql, error);
  gboolean row;
  gint64 n;

  if (stmt == NULL)
    return -1;
  kl_bind_text (stmt, 1, id);
  if (!step_row (db, stmt, &row, _("Reading the claims"), error))
    return -1;
  n = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return n;
}

static void
bind_amount (sqlite3_stmt *stmt, int i, gboolean set, gint64 v)
{
  if (set)
    sqlite3_bind_int64 (stmt, i, v);
  else
    sqlite3_bind_null (stmt, i);
}

/* A claim's history from the server (docs/sync.md). api.yaml gives a
 * history entry no id: an entry is known by all it holds (when, who, the
 * change, the field, from, to and its note). The server's entries already
 * accounted for are those of the record last seen (the base); the new ones
 * are the server's less those, entry by entry (never by count). A new entry
 * that is the server's record of a change made here and pushed (its echo:
 * the same change to the same value, written at the server's time by the
 * server's user) takes the place of that local entry; any other is
 * appended. */

typedef struct {
  KlClaimHistoryEntry *e;
  char                *key;
  gboolean             matched;
  gboolean             echoed;      /* matched as a change made here */
  guint                absorbed;    /* the move's payload fields already echoed (bits) */
} LocalEntry;

static char *
entry_key (gint64 at, const char *by, const char *change, const char *field,
           const char *old_value, const char *new_value, const char *note)
{
  return g_strdup_printf ("%" G_GINT64_FORMAT "\x1f%s\x1f%s\x1f%s\x1f%s\x1f%s\x1f%s", at, by ? by : "",
                          change ? change : "", field ? field : "\x1e", old_value ? old_value : "\x1e",
                          new_value ? new_value : "\x1e", kl_text_is_blank (note) ? "\x1e" : note);
}

static char *
sync_entry_key (const KlSyncClaimEntry *e)
{
  return entry_key (e->at, e->by, e->change, e->field, e->old_value, e->new_value, e->text);
}

/* An amount as the history keeps it: the server's {"amount_minor", …} as
 * minor units; any other value as it is. */
static char *
entry_value (const char *value)
{
  const char *p = value ? strstr (value, "\"amount_minor\"") : NULL;

  if (value != NULL && value[0] == '{' && p != NULL && (p = strchr (p, ':')) != NULL)
    return g_strdup_printf ("%" G_GINT64_FORMAT, g_ascii_strtoll (p + 1, NULL, 10));
  return g_strdup (value);
}

/* The fields a move carries that the server records as field changes of
 * their own, and where the move keeps them. */
static const char *
move_payload (const KlClaimHistoryEntry *l, const char *field, guint *bit)
{
  static const char *const fields[] = { "approved", "paid", "corrective_action", "return_destination",
                                        "return_carrier", "return_label", "return_tracking", "outcome" };

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    if (g_strcmp0 (field, fields[i]) == 0)
      {
        *bit = 1u << i;
        switch (i)
          {
          case 0: case 1:
            return NULL;   /* the amount: compared by the caller */
          case 2: return l->corrective_action;
          case 3: return l->return_destination;
          case 4: return l->label_carrier;
          case 5: return l->label_number;
          case 6: return l->return_tracking;
          default: return l->outcome;
          }
      }
  *bit = 0;
  return NULL;
}

/* Whether server entry e is the echo of l, a change made here. */
static gboolean
is_echo (const KlClaimHistoryEntry *l, const KlSyncClaimEntry *e)
{
  g_autofree char *value = NULL;

  if (g_strcmp0 (l->by, "sync") == 0 || g_strcmp0 (kl_claim_change_to_string (l->change), e->change) != 0)
    return FALSE;
  switch (l->change)
    {
    case KL_CLAIM_CHANGE_CREATED:
      return TRUE;
    case KL_CLAIM_CHANGE_NOTE:
      return g_strcmp0 (l->note, e->text) == 0;
    default:
      value = entry_value (e->new_value);
      return g_strcmp0 (l->field, e->field) == 0 && g_strcmp0 (l->new_value, value) == 0;
    }
}

/* Whether e records a field a move made here carried (an approved amount
 * with the move to approved, a return's label with the authorization). */
static gboolean
is_payload_echo (LocalEntry *le, const KlSyncClaimEntry *e)
{
  const KlClaimHistoryEntry *l = le->e;
  g_autofree char *value = NULL;
  const char *kept;
  guint bit;

  if (l->change != KL_CLAIM_CHANGE_MOVED || g_strcmp0 (l->by, "sync") == 0 ||
      (le->matched && !le->echoed) || g_strcmp0 (e->change, "field") != 0)
    return FALSE;
  kept = move_payload (l, e->field, &bit);
  if (bit == 0 || (le->absorbed & bit) != 0)
    return FALSE;
  value = entry_value (e->new_value);
  if (g_str_equal (e->field, "approved") || g_str_equal (e->field, "paid"))
    {
      g_autofree char *amount = NULL;

      if (!l->amount_set || g_strcmp0 (l->new_value, e->field) != 0)
        return FALSE;
      amount = g_strdup_printf ("%" G_GINT64_FORMAT, l->amount);
      return g_strcmp0 (amount, value) == 0;
    }
  return kept != NULL && g_strcmp0 (kept, value) == 0;
}

/* Matches server entry e to a local entry: the same entry, else the echo
 * of a change made here, else a field a move made here carried. */
static gboolean
match_local (GArray *local, const KlSyncClaimEntry *e, const char *key)
{
  for (guint i = 0; i < local->len; i++)
    {
      LocalEntry *le = &g_array_index (local, LocalEntry, i);

      if (!le->matched && g_str_equal (le->key, key))
        {
          le->matched = TRUE;
          return TRUE;
        }
    }
  for (guint i = 0; i < local->len; i++)
    {
      LocalEntry *le = &g_array_index (local, LocalEntry, i);

      if (!le->matched && is_echo (le->e, e))
        {
          le->matched = le->echoed = TRUE;
          return TRUE;
        }
    }
  for (guint i = 0; i < local->len; i++)
    {
      LocalEntry *le = &g_array_index (local, LocalEntry, i);
      guint bit;

      if (is_payload_echo (le, e))
        {
          move_payload (le->e, e->field, &bit);
          /* not matched: the move's own echo may come after it */
          le->absorbed |= bit;
          return TRUE;
        }
    }
  return FALSE;
}

static void
local_entry_clear (LocalEntry *le)
{
  g_free (le->key);
}

gboolean
kl_sync_store_claim_history_apply (KlDatabase       *db,
                                   const char       *claim_id,
                                   const GPtrArray  *seen,
                                   const GPtrArray  *history,
                                   gboolean         *out_changed,
                                   GError          **error)
{
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GArray) local = g_array_new (FALSE, TRUE, sizeof (LocalEntry));
  g_autoptr(GHashTable) known = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  if (history == NULL || history->len == 0)
    return TRUE;
  entries = kl_claim_store_history (db, claim_id, error);
  if (entries == NULL)
    return FALSE;
  g_array_set_clear_func (local, (GDestroyNotify) local_entry_clear);
  for (guint i = 0; i < entries->len; i++)
    {
      KlClaimHistoryEntry *e = g_ptr_array_index (entries, i);
      LocalEntry le = { e, entry_key (e->at, e->by, kl_claim_change_to_string (e->change), e->field,
                                      e->old_value, e->new_value, e->note), FALSE, FALSE, 0 };

      g_array_append_val (local, le);
    }
  /* The entries seen before take their local entries first (each its own,
   * or the change made here it echoes), in the order they came. */
  for (guint i = 0; seen != NULL && i < seen->len; i++)
    {
      const KlSyncClaimEntry *e = g_ptr_array_index ((GPtrArray *) seen, i);
      char *key = sync_entry_key (e);

      match_local (local, e, key);
      g_hash_table_insert (known, key, GINT_TO_POINTER (GPOINTER_TO_INT (g_hash_table_lookup (known, key)) + 1));
    }
  for (guint i = 0; i < history->len; i++)
    {
      const KlSyncClaimEntry *e = g_ptr_array_index ((GPtrArray *) history, i);
      g_autofree char *key = sync_entry_key (e);
      int n = GPOINTER_TO_INT (g_hash_table_lookup (known, key));
      KlClaimHistoryDraft d = { 0 };
      KlClaimChange change = KL_CLAIM_CHANGE_FIELD;

      if (n > 0)
        {
          /* seen before: accounted for already */
          g_hash_table_insert (known, g_steal_pointer (&key), GINT_TO_POINTER (n - 1));
          continue;
        }
      if (match_local (local, e, key))
        continue;   /* held here already, or the server's record of a change made here */
      for (int ch = 0; ch < KL_N_CLAIM_CHANGES; ch++)
        if (g_strcmp0 (kl_claim_change_to_string ((KlClaimChange) ch), e->change) == 0)
          change = (KlClaimChange) ch;
      d.at = e->at;
      d.by = e->by;
      d.change = change;
      d.field = e->field;
      d.old_value = e->old_value;
      d.new_value = e->new_value;
      d.note = e->text;
      if (!_kl_claim_history_append (db, claim_id, &d, error))
        return FALSE;
      if (out_changed)
        *out_changed = TRUE;
    }
  return TRUE;
}

gboolean
kl_sync_store_claim_apply (KlDatabase          *db,
                           const KlSyncClaim   *c,
                           const GPtrArray     *seen_history,
                           const GPtrArray     *history,
                           const GPtrArray     *notes,
                           gboolean            *out_changed,
                           GError             **error)
{
  sqlite3_stmt *stmt;
  gint64 have_notes;
  int i = 1;

  have_notes = claim_rows (db, "SELECT count(*) FROM claim_notes WHERE claim_id = ?", c->id, error);
  if (have_notes < 0)
    return FALSE;
  stmt = kl_database_prepare (db,
                              "INSERT INTO claims (id, number, customer_id, kind, status, waybill, incident_date, "
                              "description, currency, claimed_minor, approved_minor, paid_minor, salvage_minor, owner, "
                              "root_cause, corrective_action, documents, filed_at, acknowledged_at, closed_at, "
                              "return_destination, label_carrier, label_number, return_tracking, outcome, created_at, "
                              "last_update_at, revision, updated_at, deleted) "
                              "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, "
                              "?19, ?20, ?21, ?22, ?23, ?24, ?25, ?18, ?26, ?27, ?26, 0) "
                              "ON CONFLICT (id) DO UPDATE SET number = ?2, customer_id = ?3, kind = ?4, status = ?5, "
                              "waybill = ?6, incident_date = ?7, description = ?8, currency = ?9, claimed_minor = ?10, "
                              "approved_minor = ?11, paid_minor = ?12, salvage_minor = ?13, owner = ?14, root_cause = ?15, "
                              "corrective_action = ?16, documents = ?17, filed_at = ?18, acknowledged_at = ?19, "
                              "closed_at = ?20, return_destination = ?21, label_carrier = ?22, label_number = ?23, "
                              "return_tracking = ?24, outcome = ?25, last_update_at = ?26, revision = ?27, "
                              "updated_at = ?26, deleted = 0 "
                              "WHERE revision <> ?27 OR deleted <> 0",
                              error);
  if (stmt == NULL)
    return FALSE;
  kl_bind_text (stmt, i++, c->id);
  kl_bind_text (stmt, i++, c->number);
  kl_bind_text (stmt, i++, c->customer_id);
  kl_bind_text (stmt, i++, c->kind);
  kl_bind_text (stmt, i++, c->status);
  kl_bind_text (stmt, i++, c->waybill);
  kl_bind_text (stmt, i++, c->incident_date);
  kl_bind_text (stmt, i++, c->description);
  kl_bind_text (stmt, i++, c->currency);
  bind_amount (stmt, i++, c->claimed_set, c->claimed);
  bind_amount (stmt, i++, c->approved_set, c->approved);
  bind_amount (stmt, i++, c->paid_set, c->paid);
  bind_amount (stmt, i++, c->salvage_set, c->salvage);
  kl_bind_text (stmt, i++, c->owner);
  kl_bind_text (stmt, i++, c->root_cause);
  kl_bind_text (stmt, i++, c->corrective_action);
  sqlite3_bind_int64 (stmt, i++, c->documents);
  kl_bind_time (stmt, i++, c->filed_at);
  kl_bind_time (stmt, i++, c->acknowledged_at);
  kl_bind_time (stmt, i++, c->closed_at);
  kl_bind_text (stmt, i++, c->return_destination);
  kl_bind_text (stmt, i++, c->label_carrier);
  kl_bind_text (stmt, i++, c->label_number);
  kl_bind_text (stmt, i++, c->return_tracking);
  kl_bind_text (stmt, i++, c->outcome);
  sqlite3_bind_int64 (stmt, i++, c->updated_at);
  sqlite3_bind_int64 (stmt, i++, c->revision);
  if (!kl_database_step_done (db, stmt, error))
    return FALSE;
  if (out_changed)
    *out_changed = sqlite3_changes (kl_database_get_handle (db)) > 0;

  if (!kl_sync_store_claim_history_apply (db, c->id, seen_history, history, out_changed, error))
    return FALSE;
  /* The history ends where the case stands: when local entries made the
   * server's ones fall out of step, a move to the server's status says so. */
  {
    g_autofree char *last = NULL;
    gboolean row;

    stmt = kl_database_prepare (db, "SELECT new_value, at FROM claim_history WHERE claim_id = ? AND field = 'status' "
                                    "AND change IN ('created', 'moved') ORDER BY seq DESC LIMIT 1", error);
    if (stmt == NULL)
      return FALSE;
    kl_bind_text (stmt, 1, c->id);
    if (!step_row (db, stmt, &row, _("Reading the claims"), error))
      return FALSE;
    if (row)
      {
        gint64 last_at = sqlite3_column_int64 (stmt, 1);

        last = kl_column_dup_text (stmt, 0);
        sqlite3_reset (stmt);
        if (g_strcmp0 (last, c->status) != 0)
          {
            KlClaimHistoryDraft d = { 0 };

            d.at = MAX (last_at, c->updated_at > 0 ? c->updated_at : last_at);
            d.by = "sync";
            d.change = KL_CLAIM_CHANGE_MOVED;
            d.field = "status";
            d.old_value = last;
            d.new_value = c->status;
            if (!_kl_claim_history_append (db, c->id, &d, error))
              return FALSE;
          }
      }
    else
      sqlite3_reset (stmt);
  }
  /* Notes are matched by visibility and text, not counted: a note written
   * here and not yet pushed must not hide one the server added. */
  g_autoptr(GHashTable) held = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  if (have_notes > 0)
    {
      gboolean row = TRUE;

      stmt = kl_database_prepare (db, "SELECT visibility, text FROM claim_notes WHERE claim_id = ?", error);
      if (stmt == NULL)
        return FALSE;
      kl_bind_text (stmt, 1, c->id);
      while (row)
        {
          char *key;

          if (!step_row (db, stmt, &row, _("Reading the claims"), error))
            {
              sqlite3_reset (stmt);
              return FALSE;
            }
          if (!row)
            break;
          key = g_strdup_printf ("%s\x1f%s", (const char *) sqlite3_column_text (stmt, 0),
                                 (const char *) sqlite3_column_text (stmt, 1));
          g_hash_table_insert (held, key, GINT_TO_POINTER (GPOINTER_TO_INT (g_hash_table_lookup (held, key)) + 1));
        }
      sqlite3_reset (stmt);
    }
  for (guint k = 0; notes != NULL && k < notes->len; k++)
    {
      const KlSyncClaimEntry *e = g_ptr_array_index ((GPtrArray *) notes, k);
      g_autofree char *key = g_strdup_printf ("%s\x1f%s", g_strcmp0 (e->visibility, "client") == 0 ? "client" : "internal",
                                              e->text ? e->text : "");
      int n = GPOINTER_TO_INT (g_hash_table_lookup (held, key));

      if (n > 0)
        {
          g_hash_table_insert (held, g_steal_pointer (&key), GINT_TO_POINTER (n - 1));
          continue;
        }
      stmt = kl_database_prepare (db, "INSERT INTO claim_notes (claim_id, visibility, text, at, by) VALUES (?, ?, ?, ?, ?)",
                                  error);
      if (stmt == NULL)
        return FALSE;
      kl_bind_text (stmt, 1, c->id);
      kl_bind_text (stmt, 2, g_strcmp0 (e->visibility, "client") == 0 ? "client" : "internal");
      kl_bind_text (stmt, 3, e->text ? e->text : "");
      sqlite3_bind_int64 (stmt, 4, e->at);
      kl_bind_text (stmt, 5, e->by ? e->by : "");
      if (!kl_database_step_done (db, stmt, error))
        return FALSE;
      if (out_changed)
        *out_changed = TRUE;
    }
  return TRUE;
}

gboolean
kl_sync_store_claim_remove (KlDatabase  *db,
                            const char  *local_id,
                            GError     **error)
{
  sqlite3_stmt *stmt = kl_database_prepare (db, "UPDATE claims SET deleted = 1, updated_at = ? WHERE id = ? AND deleted = 0",
                                            error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, now_seconds ());
  kl_bind_text (stmt, 2, local_id);
  return kl_database_step_done (db, stmt, error);
}

gboolean
kl_sync_store_claim_accepted (KlDatabase  *db,
                              const char  *local_id,
                              const char  *number,
                              gint64       revision,
                              GError     **error)
{
  sqlite3_stmt *stmt = kl_database_prepare (db, "UPDATE claims SET number = coalesce(?, number), revision = ? WHERE id = ?",
                                            error);

  if (stmt == NULL)
    return FALSE;
  kl_bind_text (stmt, 1, number);
  sqlite3_bind_int64 (stmt, 2, revision);
  kl_bind_text (stmt, 3, local_id);
  return kl_database_step_done (db, stmt, error);
}
