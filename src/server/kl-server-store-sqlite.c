/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The SQLite backend of the server store (--database sqlite:PATH).
 *
 * One connection per KlServerStore, in WAL mode so pulls read while a write
 * runs. Every write transaction starts with BEGIN IMMEDIATE, which takes
 * the database's single write lock at once: writers (in this process or
 * another sharing the file) run one after another, so sequence numbers are
 * assigned and committed in the same order. That keeps the feed rule of
 * kl-server-store.h without more work: when a reader sees seq S committed,
 * every lower seq was committed before it. */
#include "config.h"

#include <sqlite3.h>
#include <string.h>

#include "kl-server-store.h"

typedef struct {
  KlServerStore parent;
  sqlite3      *db;
  gboolean      in_transaction;
} KlServerStoreSqlite;

#define SELF(s) ((KlServerStoreSqlite *) (s))

/* Migrations, by PRAGMA user_version: entry i brings version i to i + 1. */
static const char * const migrations[] = {
  /* 1: the first schema */
  "CREATE TABLE users ("
  "  name TEXT PRIMARY KEY,"
  "  display_name TEXT NOT NULL,"
  "  role TEXT NOT NULL CHECK (role IN ('kam', 'lead')),"
  "  created_at INTEGER NOT NULL);"
  "CREATE TABLE tokens ("
  "  id TEXT PRIMARY KEY,"
  "  user_name TEXT NOT NULL REFERENCES users (name),"
  "  secret_hash TEXT NOT NULL UNIQUE,"
  "  created_at INTEGER NOT NULL,"
  "  revoked_at INTEGER NOT NULL DEFAULT 0);"
  "CREATE TABLE records ("
  "  id TEXT PRIMARY KEY,"
  "  collection INTEGER NOT NULL,"
  "  revision INTEGER NOT NULL,"
  "  updated_at INTEGER NOT NULL,"
  "  deleted INTEGER NOT NULL DEFAULT 0,"
  "  seq INTEGER NOT NULL UNIQUE,"
  "  key TEXT,"
  "  account_id TEXT,"
  "  account_manager TEXT,"
  "  body TEXT NOT NULL);"
  "CREATE UNIQUE INDEX records_live_key ON records (collection, key)"
  "  WHERE deleted = 0 AND key IS NOT NULL;"
  "CREATE INDEX records_feed ON records (collection, seq);"
  "CREATE INDEX records_account ON records (account_id, collection, seq);"
  "CREATE INDEX records_manager ON records (account_manager) WHERE collection = 0;"
  "CREATE TABLE feed_state ("
  "  id INTEGER PRIMARY KEY CHECK (id = 1),"
  "  last_seq INTEGER NOT NULL,"
  "  horizon INTEGER NOT NULL);"
  "INSERT INTO feed_state VALUES (1, 0, 0);"
  "CREATE TABLE idempotency ("
  "  user_name TEXT NOT NULL,"
  "  key TEXT NOT NULL,"
  "  request TEXT NOT NULL,"
  "  request_hash TEXT NOT NULL,"
  "  status INTEGER NOT NULL,"
  "  response TEXT NOT NULL,"
  "  created_at INTEGER NOT NULL,"
  "  PRIMARY KEY (user_name, key));"
  "CREATE TABLE counters ("
  "  name TEXT PRIMARY KEY,"
  "  value INTEGER NOT NULL);",
};

static gboolean
set_sqlite_error (KlServerStoreSqlite *self, int rc, const char *what, GError **error)
{
  int code = KL_SERVER_STORE_ERROR_FAILED;
  int primary = rc & 0xff;

  if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED)
    code = KL_SERVER_STORE_ERROR_RETRY;
  else if (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY)
    code = KL_SERVER_STORE_ERROR_EXISTS;
  g_set_error (error, KL_SERVER_STORE_ERROR, code, "%s: %s (%s)", what,
               sqlite3_errmsg (self->db), self->parent.url);
  return FALSE;
}

static sqlite3_stmt *
prepare (KlServerStoreSqlite *self, const char *sql, GError **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc = sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      set_sqlite_error (self, rc, "preparing a statement", error);
      return NULL;
    }
  return stmt;
}

typedef sqlite3_stmt KlStmt;
static void
kl_stmt_finalize (KlStmt *stmt)
{
  sqlite3_finalize (stmt);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KlStmt, kl_stmt_finalize)

static gboolean
exec_sql (KlServerStoreSqlite *self, const char *sql, GError **error)
{
  char *msg = NULL;
  int rc = sqlite3_exec (self->db, sql, NULL, NULL, &msg);
  if (rc != SQLITE_OK)
    {
      set_sqlite_error (self, rc, "running SQL", error);
      sqlite3_free (msg);
      return FALSE;
    }
  return TRUE;
}

static void
bind_text (sqlite3_stmt *stmt, int i, const char *text)
{
  if (text == NULL)
    sqlite3_bind_null (stmt, i);
  else
    sqlite3_bind_text (stmt, i, text, -1, SQLITE_TRANSIENT);
}

static char *
column_text (sqlite3_stmt *stmt, int i)
{
  const unsigned char *text = sqlite3_column_text (stmt, i);
  return text ? g_strdup ((const char *) text) : NULL;
}

/* ---- lifecycle ---- */

static void
store_close (KlServerStore *store)
{
  KlServerStoreSqlite *self = SELF (store);
  if (self->in_transaction)
    exec_sql (self, "ROLLBACK", NULL);
  sqlite3_close_v2 (self->db);
  g_free (store->url);
  g_free (self);
}

static gboolean
store_begin (KlServerStore *store, GError **error)
{
  KlServerStoreSqlite *self = SELF (store);
  g_return_val_if_fail (!self->in_transaction, FALSE);
  if (!exec_sql (self, "BEGIN IMMEDIATE", error))
    return FALSE;
  self->in_transaction = TRUE;
  return TRUE;
}

static gboolean
store_commit (KlServerStore *store, GError **error)
{
  KlServerStoreSqlite *self = SELF (store);
  g_return_val_if_fail (self->in_transaction, FALSE);
  if (!exec_sql (self, "COMMIT", error))
    {
      exec_sql (self, "ROLLBACK", NULL);
      self->in_transaction = FALSE;
      return FALSE;
    }
  self->in_transaction = FALSE;
  return TRUE;
}

static void
store_rollback (KlServerStore *store)
{
  KlServerStoreSqlite *self = SELF (store);
  if (!self->in_transaction)
    return;
  exec_sql (self, "ROLLBACK", NULL);
  self->in_transaction = FALSE;
}

/* ---- users and tokens ---- */

static gboolean
user_add (KlServerStore *store, const KlServerUser *user, GError **error)
{
  KlServerStoreSqlite *self = SELF (store);
  g_autoptr(KlStmt) stmt = prepare (self, "INSERT INTO users VALUES (?, ?, ?, ?)", error);
  int rc;
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, user->name);
  bind_text (stmt, 2, user->display_name);
  bind_text (stmt, 3, kl_server_role_to_string (user->role));
  sqlite3_bind_int64 (stmt, 4, user->created_at);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_CONSTRAINT)
    rc = sqlite3_extended_errcode (self->db);
  if (rc == SQLITE_CONSTRAINT_PRIMARYKEY || rc == SQLITE_CONSTRAINT_UNIQUE)
    {
      g_set_error (error, KL_SERVER_STORE_ERROR, KL_SERVER_STORE_ERROR_EXISTS,
                   "a user named “%s” exists already", user->name);
      return FALSE;
    }
  if (rc != SQLITE_DONE)
    return set_sqlite_error (self, rc, "adding a user", error);
  return TRUE;
}

static KlServerUser *
user_from_row (sqlite3_stmt *stmt)
{
  KlServerUser *user = g_new0 (KlServerUser, 1);
  user->name = column_text (stmt, 0);
  user->display_name = column_text (stmt, 1);
  kl_server_role_from_string ((const char *) sqlite3_column_text (stmt, 2), &user->role);
  user->created_at = sqlite3_column_int64 (stmt, 3);
  return user;
}

static KlServerUser *
user_get (KlServerStore *store, const char *name, GError **error)
{
  KlServerStoreSqlite *self = SELF (store);
  g_autoptr(KlStmt) stmt = prepare (self,
      "SELECT name, display_name, role, created_at FROM users WHERE name = ?", error);
  int rc;
  if (stmt == NULL)
    return NULL;
  bind_text (stmt, 1, name);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return user_from_row (stmt);
  if (rc == SQLITE_DONE)
    g_set_error (error, KL_SERVER_STORE_ERROR, KL_SERVER_STORE_ERROR_NOT_FOUND,
                 "no user is named “%s”; add one with keyline-server user add", name);
  else
    set_sqlite_error (self, rc, "reading a user", error);
  return NULL;
}

static GPtrArray *
user_list (KlServerStore *store, GError **error)
{
  KlServerStoreSqlite *self = SELF (store);
  g_autoptr(KlStmt) stmt = prepare (self,
      "SELECT name, display_name, role, created_at FROM users ORDER BY name", error);
  g_autoptr(GPtrArray) users = g_ptr_array_new_with_free_func ((GDestroyNotify) kl_server_user_free);
  int rc;
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (users, user_from_row (stmt));
  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (self, rc, "listing users", error);
      return NULL;
    }
  return g_steal_pointer (&users);
}

static gboolean
token_add (KlServerStore *store, const char *id, const char *user,
           const char *secret_hash, gint64 created_at, GError **error)
{
  KlServerStoreSqlite *self = SELF (store);
  g_autoptr(KlStmt) stmt = prepare (self,
      "INSERT INTO tokens (id, user_name, secret_hash, created_at) VALUES (?, ?, ?, ?)", error);
  int rc;
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, id);
  bind_text (stmt, 2, user);
  bind_text (stmt, 3, secret_hash);
  sqlite3_bind_int64 (stmt, 4, created_at);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_DONE)
    return set_sqlite_error (self, sqlite3_extended_errcode (self->db), "adding a token", error);
  return TRUE;
}

static KlServerUser *
token_lookup (KlServerStore *store, const char *secret_hash, GError **error)
{
  KlServerStoreSqlite *self = SELF (store);
  g_autoptr(KlStmt) stmt = prepare (self,
      "SELECT u.name, u.display_name, u.role, u.created_at FROM tokens t"
      " JOIN users u ON u.name = t.user_name"
      " WHERE t.secret_hash = ? AND t.revoked_at = 0", error);
  int rc;
  if (stmt == NULL)
    return NULL;
  bind_text (stmt, 1, secret_hash);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return user_from_row (stmt);
  if (rc != SQLITE_DONE)
    set_sqlite_error (self, rc, "looking up a token", error);
  return NULL;
}

static gboolean
token_revoke (KlServerStore *store, const char *id, gint64 now, GError **error)
{
  KlServerStoreSqlite *self = SELF (store);
  g_autoptr(KlStmt) stmt = prepare (self,
      "UPDATE tokens SET revoked_at = ? WHERE id = ? AND revoked_at = 0", error);
  int rc;
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, now);
  bind_text (stmt, 2, id);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_DONE)
    return set_sqlite_error (self, rc, "revoking a token", error);
  if (sqlite3_changes (self->db) == 0)
    {
      g_set_error (error, KL_SERVER_STORE_ERROR, KL_SERVER_STORE_ERROR_NOT_FOUND,
                   "no valid token has the id “%s”; keyline-server token list shows them", id);
      return FALSE;
    }
  return TRUE;
}

static GPtrArray *
token_list (KlServerStore *store, const char *user, GError **error)
{
  KlServerStoreSqlite *self = SELF (store);
  g_autoptr(KlStmt) stmt = prepare (self,
      "SELECT id, user_name, created_at, revoked_at FROM tokens"
      " WHERE ?1 IS NULL OR user_name = ?1 ORDER BY user_name, created_at, id", error);
  g_autoptr(GPtrArray) tokens = g_ptr_array_new_with_free_func ((GDestroyNotify) kl_server_token_free);
  int rc;
  if (stmt == NULL)
    return NULL;
  bind_text (stmt, 1, user);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      KlServerToken *t = g_new0 (KlServerToken, 1);
      t->id = column_text (stmt, 0);
      t->user = column_text (stmt, 1);
      t->created_at = sqlite3_column_int64 (stmt, 2);
      t->revoked_at = sqlite3_column_int64 (stmt, 3);
      g_ptr_array_add (tokens, t);
    }
  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (self, rc, "listing tokens", error);
      return NULL;
    }
  return g_steal_pointer (&tokens);
}

/* ---- records ---- */

#define RECORD_COLUMNS \
  "collection, id, revision, updated_at, deleted, seq, key, account_id, account_manager, body"

static KlServerRecord *
record_from_row (sqlite3_stmt *stmt)
{
  KlServerRecord *r = kl_server_record_new ();
  r->collection = (KlServerCollection) sqlite3_column_int (stmt, 0);
  r->id = column_text (stmt, 1);
  r->revision = sqlite3_column_int64 (stmt, 2);
  r->updated_at = sqlite3_column_int64 (stmt, 3);
  r->deleted = sqlite3_column_int (stmt, 4) != 0;
  r->seq = sqlite3_column_int64 (stmt, 5);
  r->key = column_text (stmt, 6);
  r->account_id = column_text (stmt, 7);
  r->account_manager = column_text (stmt, 8);
  r->body = column_text (stmt, 9);
  return r;
}

static KlServerRecord *
record_get (KlServerStore *store, KlServerCollection collection, const char *id, GError **error)
{
  KlServerStoreSqlite *self = SELF (store);
  g_autoptr(KlStmt) stmt = prepare (self,
      "SELECT " RECORD_COLUMNS " FROM records WHERE id = ? AND collection = ?", error);
  int rc;
  if (stmt == NULL)
    return NULL;
  bind_text (stmt, 1, id);
  sqlite3_bind_int (stmt, 2, collection);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return record_from_row (stmt);
  if (rc != SQLITE_DONE)
    set_sqlite_error (self, rc, "reading a record", error);
  return NULL;
}

static KlServerRecord *
record_get_by_key (KlServerStore *store, KlServerCollection collection, const char *key,
                   GError **error)
{
  KlServerStoreSqlite *self = SELF (store);
  g_autoptr(KlStmt) stmt = prepare (self,
      "SELECT " RECORD_COLUMNS " FROM records"
      " WHERE collection = ? AND key = ? AND deleted = 0", error);
  int rc;
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int (stmt, 1, collection);
  bind_text (stmt, 2, key);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return record_from_row (stmt);
  if (rc != SQLITE_DONE)
    set_sqlite_error (self, rc, "reading a record", error);
  return NULL;
}

static gint64
next_seq (KlServerStoreSqlite *self, GError **error)
{
  g_autoptr(KlStmt) stmt = prepare (self,
      "UPDATE feed_state SET last_seq = last_seq + 1 WHERE id = 1 RETURNING last_seq", error);
  int rc;
  if (stmt == NULL)
    return 0;
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      set_sqlite_error (self, rc, "numbering a change", error);
      return 0;
    }
  return sqlite3_column_int64 (stmt, 0);
}

static gboolean
record_put (KlServerStore *store, KlServerRecord *record, gint64 expected_revision,
            GError **error)
{
  KlServerStoreSqlite *self = SELF (store);
  g_autoptr(KlStmt) stmt = NULL;
  gint64 seq;
  int rc;

  g_return_val_if_fail (self->in_transaction, FALSE);

  seq = next_seq (self, error);
  if (seq == 0)
    return FALSE;

  if (expected_revision == 0)
    stmt = prepare (self,
        "INSERT INTO records (collection, id, revision, updated_at, deleted, seq, key,"
        " account_id, account_manager, body) VALUES (?1, ?2, 1, ?4, ?5, ?6, ?7, ?8, ?9, ?10)", error);
  else
    stmt = prepare (self,
        "UPDATE records SET revision = ?3 + 1, updated_at = ?4, deleted = ?5, seq = ?6,"
        " key = ?7, account_id = ?8, account_manager = ?9, body = ?10"
        " WHERE id = ?2 AND collection = ?1 AND revision = ?3", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int (stmt, 1, record->collection);
  bind_text (stmt, 2, record->id);
  sqlite3_bind_int64 (stmt, 3, expected_revision);
  sqlite3_bind_int64 (stmt, 4, record->updated_at);
  sqlite3_bind_int (stmt, 5, record->deleted ? 1 : 0);
  sqlite3_bind_int64 (stmt, 6, seq);
  bind_text (stmt, 7, record->key);
  bind_text (stmt, 8, record->account_id);
  bind_text (stmt, 9, record->account_manager);
  bind_text (stmt, 10, record->body);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_DONE)
    {
      rc = sqlite3_extended_errcode (self->db);
      if (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY)
        {
          g_set_error (error, KL_SERVER_STORE_ERROR, KL_SERVER_STORE_ERROR_EXISTS,
                       "a %s record with the id %s or the key “%s” exists already",
                       kl_server_collection_to_string (record->collection), record->id,
                       record->key ? record->key : "");
          return FALSE;
        }
      return set_sqlite_error (self, rc, "writing a record", error);
    }
  if (expected_revision > 0 && sqlite3_changes (self->db) == 0)
    {
      g_autoptr(KlServerRecord) now = record_get (store, record->collection, record->id, NULL);
      if (now == NULL)
        g_set_error (error, KL_SERVER_STORE_ERROR, KL_SERVER_STORE_ERROR_NOT_FOUND,
                     "no %s record has the id %s",
                     kl_server_collection_to_string (record->collection), record->id);
      else
        g_set_error (error, KL_SERVER_STORE_ERROR, KL_SERVER_STORE_ERROR_CONFLICT,
                     "%s %s is at revision %" G_GINT64_FORMAT ", not %" G_GINT64_FORMAT,
                     kl_server_collection_to_string (record->collection), record->id,
                     now->revision, expected_revision);
      return FALSE;
    }
  record->revision = expected_revision + 1;
  record->seq = seq;
  return TRUE;
}

#define MAX_SCOPE_NAMES 4

static GPtrArray *
pull (KlServerStore *store, KlServerCollection collection, const KlServerScope *scope,
      gint64 after_seq, guint limit, gboolean *out_has_more, GError **error)
{
  KlServerStoreSqlite *self = SELF (store);
  g_autoptr(KlStmt) stmt = NULL;
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func ((GDestroyNotify) kl_server_record_free);
  gboolean all = scope == NULL || scope->all;
  int rc;

  if (all)
    stmt = prepare (self,
        "SELECT " RECORD_COLUMNS " FROM records WHERE collection = ?1 AND seq > ?2"
        " ORDER BY seq LIMIT ?3", error);
  else if (collection == KL_SERVER_COLLECTION_CUSTOMERS)
    stmt = prepare (self,
        "SELECT " RECORD_COLUMNS " FROM records WHERE collection = ?1 AND seq > ?2"
        " AND account_manager IN (?4, ?5, ?6, ?7) ORDER BY seq LIMIT ?3", error);
  else
    stmt = prepare (self,
        "SELECT " RECORD_COLUMNS " FROM records WHERE collection = ?1 AND seq > ?2"
        " AND account_id IN (SELECT id FROM records WHERE collection = 0"
        "   AND account_manager IN (?4, ?5, ?6, ?7))"
        " ORDER BY seq LIMIT ?3", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int (stmt, 1, collection);
  sqlite3_bind_int64 (stmt, 2, after_seq);
  sqlite3_bind_int64 (stmt, 3, (gint64) limit + 1);
  if (!all)
    for (guint i = 0; i < MAX_SCOPE_NAMES; i++)
      {
        const char *name = NULL;
        for (guint j = 0; scope->names && scope->names[j]; j++)
          if (j == i)
            name = scope->names[j];
        bind_text (stmt, 4 + (int) i, name);
      }
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (items, record_from_row (stmt));
  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (self, rc, "reading the change feed", error);
      return NULL;
    }
  *out_has_more = items->len > limit;
  if (items->len > limit)
    g_ptr_array_set_size (items, limit);
  return g_steal_pointer (&items);
}

static GHashTable *
key_index (KlServerStore *store, KlServerCollection collection, GError **error)
{
  KlServerStoreSqlite *self = SELF (store);
  g_autoptr(KlStmt) stmt = prepare (self,
      "SELECT key, id FROM records WHERE collection = ? AND deleted = 0 AND key IS NOT NULL", error);
  g_autoptr(GHashTable) index = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  int rc;
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int (stmt, 1, collection);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_hash_table_insert (index, column_text (stmt, 0), column_text (stmt, 1));
  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (self, rc, "reading keys", error);
      return NULL;
    }
  return g_steal_pointer (&index);
}

/* ---- idempotency, counters, horizon ---- */

static KlServerIdempotency *
idempotency_get (KlServerStore *store, const char *user, const char *key, GError **error)
{
  KlServerStoreSqlite *self = SELF (store);
  g_autoptr(KlStmt) stmt = prepare (self,
      "SELECT key, user_name, request, request_hash, status, response, created_at"
      " FROM idempotency WHERE user_name = ? AND key = ?", error);
  int rc;
  if (stmt == NULL)
    return NULL;
  bind_text (stmt, 1, user);
  bind_text (stmt, 2, key);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      KlServerIdempotency *idem = g_new0 (KlServerIdempotency, 1);
      idem->key = column_text (stmt, 0);
      idem->user = column_text (stmt, 1);
      idem->request = column_text (stmt, 2);
      idem->request_hash = column_text (stmt, 3);
      idem->status = (guint) sqlite3_column_int (stmt, 4);
      idem->response = column_text (stmt, 5);
      idem->created_at = sqlite3_column_int64 (stmt, 6);
      return idem;
    }
  if (rc != SQLITE_DONE)
    set_sqlite_error (self, rc, "reading an idempotency key", error);
  return NULL;
}

static gboolean
idempotency_put (KlServerStore *store, const KlServerIdempotency *idem, GError **error)
{
  KlServerStoreSqlite *self = SELF (store);
  g_autoptr(KlStmt) stmt = prepare (self,
      "INSERT INTO idempotency (key, user_name, request, request_hash, status, response,"
      " created_at) VALUES (?, ?, ?, ?, ?, ?, ?)", error);
  int rc;
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, idem->key);
  bind_text (stmt, 2, idem->user);
  bind_text (stmt, 3, idem->request);
  bind_text (stmt, 4, idem->request_hash);
  sqlite3_bind_int (stmt, 5, (int) idem->status);
  bind_text (stmt, 6, idem->response);
  sqlite3_bind_int64 (stmt, 7, idem->created_at);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_DONE)
    return set_sqlite_error (self, sqlite3_extended_errcode (self->db),
                             "storing an idempotency key", error);
  return TRUE;
}

static gint64
idempotency_purge (KlServerStore *store, gint64 before, GError **error)
{
  KlServerStoreSqlite *self = SELF (store);
  g_autoptr(KlStmt) stmt = prepare (self, "DELETE FROM idempotency WHERE created_at < ?", error);
  int rc;
  if (stmt == NULL)
    return -1;
  sqlite3_bind_int64 (stmt, 1, before);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (self, rc, "removing old idempotency keys", error);
      return -1;
    }
  return sqlite3_changes (self->db);
}

static gint64
next_number (KlServerStore *store, const char *counter, GError **error)
{
  KlServerStoreSqlite *self = SELF (store);
  g_autoptr(KlStmt) stmt = prepare (self,
      "INSERT INTO counters (name, value) VALUES (?, 1)"
      " ON CONFLICT (name) DO UPDATE SET value = value + 1 RETURNING value", error);
  int rc;
  if (stmt == NULL)
    return 0;
  bind_text (stmt, 1, counter);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      set_sqlite_error (self, rc, "numbering a case", error);
      return 0;
    }
  return sqlite3_column_int64 (stmt, 0);
}

static gint64
feed_horizon (KlServerStore *store, GError **error)
{
  KlServerStoreSqlite *self = SELF (store);
  g_autoptr(KlStmt) stmt = prepare (self, "SELECT horizon FROM feed_state WHERE id = 1", error);
  int rc;
  if (stmt == NULL)
    return -1;
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      set_sqlite_error (self, rc, "reading the feed horizon", error);
      return -1;
    }
  return sqlite3_column_int64 (stmt, 0);
}

static gboolean
purge_tombstones (KlServerStore *store, gint64 before, gint64 *out_horizon, GError **error)
{
  KlServerStoreSqlite *self = SELF (store);
  g_autoptr(KlStmt) max = prepare (self,
      "UPDATE feed_state SET horizon = MAX(horizon,"
      " IFNULL((SELECT MAX(seq) FROM records WHERE deleted = 1 AND updated_at < ?1), 0))"
      " WHERE id = 1 RETURNING horizon", error);
  g_autoptr(KlStmt) del = NULL;
  int rc;
  if (max == NULL)
    return FALSE;
  sqlite3_bind_int64 (max, 1, before);
  rc = sqlite3_step (max);
  if (rc != SQLITE_ROW)
    return set_sqlite_error (self, rc, "moving the feed horizon", error);
  if (out_horizon)
    *out_horizon = sqlite3_column_int64 (max, 0);
  del = prepare (self, "DELETE FROM records WHERE deleted = 1 AND updated_at < ?", error);
  if (del == NULL)
    return FALSE;
  sqlite3_bind_int64 (del, 1, before);
  rc = sqlite3_step (del);
  if (rc != SQLITE_DONE)
    return set_sqlite_error (self, rc, "removing old tombstones", error);
  return TRUE;
}

static gboolean
touch_account (KlServerStore *store, const char *account_id, GError **error)
{
  KlServerStoreSqlite *self = SELF (store);
  g_autoptr(KlStmt) select = prepare (self,
      "SELECT id FROM records WHERE account_id = ? AND collection <> 0 ORDER BY seq", error);
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  int rc;

  g_return_val_if_fail (self->in_transaction, FALSE);
  if (select == NULL)
    return FALSE;
  bind_text (select, 1, account_id);
  while ((rc = sqlite3_step (select)) == SQLITE_ROW)
    g_ptr_array_add (ids, column_text (select, 0));
  if (rc != SQLITE_DONE)
    return set_sqlite_error (self, rc, "reading an account's records", error);
  for (guint i = 0; i < ids->len; i++)
    {
      g_autoptr(KlStmt) update = prepare (self, "UPDATE records SET seq = ? WHERE id = ?", error);
      gint64 seq = next_seq (self, error);
      if (update == NULL || seq == 0)
        return FALSE;
      sqlite3_bind_int64 (update, 1, seq);
      bind_text (update, 2, g_ptr_array_index (ids, i));
      rc = sqlite3_step (update);
      if (rc != SQLITE_DONE)
        return set_sqlite_error (self, rc, "moving a record in the feed", error);
    }
  return TRUE;
}

static const KlServerStoreVTable sqlite_vtable = {
  .name = "sqlite",
  .close = store_close,
  .begin = store_begin,
  .commit = store_commit,
  .rollback = store_rollback,
  .user_add = user_add,
  .user_get = user_get,
  .user_list = user_list,
  .token_add = token_add,
  .token_lookup = token_lookup,
  .token_revoke = token_revoke,
  .token_list = token_list,
  .record_get = record_get,
  .record_get_by_key = record_get_by_key,
  .record_put = record_put,
  .pull = pull,
  .key_index = key_index,
  .idempotency_get = idempotency_get,
  .idempotency_put = idempotency_put,
  .idempotency_purge = idempotency_purge,
  .next_number = next_number,
  .purge_tombstones = purge_tombstones,
  .feed_horizon = feed_horizon,
  .touch_account = touch_account,
};

static gboolean
migrate (KlServerStoreSqlite *self, GError **error)
{
  g_autoptr(KlStmt) stmt = NULL;
  int version;

  if (!exec_sql (self, "BEGIN IMMEDIATE", error))
    return FALSE;
  stmt = prepare (self, "PRAGMA user_version", error);
  if (stmt == NULL || sqlite3_step (stmt) != SQLITE_ROW)
    {
      exec_sql (self, "ROLLBACK", NULL);
      return set_sqlite_error (self, sqlite3_errcode (self->db), "reading the schema version", error);
    }
  version = sqlite3_column_int (stmt, 0);
  g_clear_pointer (&stmt, sqlite3_finalize);
  if (version > (int) G_N_ELEMENTS (migrations))
    {
      exec_sql (self, "ROLLBACK", NULL);
      g_set_error (error, KL_SERVER_STORE_ERROR, KL_SERVER_STORE_ERROR_SCHEMA,
                   "%s has schema version %d, newer than this keyline-server knows (%u); "
                   "run a newer keyline-server", self->parent.url, version,
                   (guint) G_N_ELEMENTS (migrations));
      return FALSE;
    }
  for (int v = version; v < (int) G_N_ELEMENTS (migrations); v++)
    {
      g_autofree char *set = g_strdup_printf ("PRAGMA user_version = %d", v + 1);
      if (!exec_sql (self, migrations[v], error) || !exec_sql (self, set, error))
        {
          exec_sql (self, "ROLLBACK", NULL);
          return FALSE;
        }
    }
  return exec_sql (self, "COMMIT", error);
}

/* Switching a database to WAL takes an exclusive lock without calling the
 * busy handler, so servers starting together on a new file can see
 * SQLITE_BUSY here; wait and try again, as the busy timeout would. */
static gboolean
set_wal_mode (KlServerStoreSqlite *self, GError **error)
{
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  for (;;)
    {
      int rc = sqlite3_exec (self->db, "PRAGMA journal_mode = WAL", NULL, NULL, NULL);
      if (rc == SQLITE_OK)
        return TRUE;
      if ((rc & 0xff) != SQLITE_BUSY && (rc & 0xff) != SQLITE_LOCKED)
        return set_sqlite_error (self, rc, "switching to WAL", error);
      if (g_get_monotonic_time () > deadline)
        return set_sqlite_error (self, rc, "switching to WAL", error);
      g_usleep (5000);
    }
}

KlServerStore *
kl_server_store_sqlite_open (const char *path, GError **error)
{
  KlServerStoreSqlite *self = g_new0 (KlServerStoreSqlite, 1);
  int rc;

  self->parent.vtable = &sqlite_vtable;
  self->parent.url = g_strconcat ("sqlite:", path, NULL);
  rc = sqlite3_open_v2 (path, &self->db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
  if (rc != SQLITE_OK)
    {
      g_set_error (error, KL_SERVER_STORE_ERROR, KL_SERVER_STORE_ERROR_FAILED,
                   "cannot open the database %s: %s", path,
                   self->db ? sqlite3_errmsg (self->db) : sqlite3_errstr (rc));
      store_close (&self->parent);
      return NULL;
    }
  sqlite3_busy_timeout (self->db, 30000);
  if (!set_wal_mode (self, error)
      || !exec_sql (self, "PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;", error)
      || !migrate (self, error))
    {
      store_close (&self->parent);
      return NULL;
    }
  return &self->parent;
}
