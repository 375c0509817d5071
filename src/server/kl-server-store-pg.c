/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The PostgreSQL backend of the server store (--database postgresql://…),
 * through libpq. docs/server-postgresql.md is the operator's side of this.
 *
 * One connection per KlServerStore, READ COMMITTED. The tables live in the
 * first schema of the connection's search_path, so several servers (or
 * tests) can share one database with `?options=-csearch_path%3DNAME`.
 *
 * THE FEED RULE (kl-server-store.h) without serializing writers
 *
 * Writers run side by side, so whatever number a writer takes when it
 * writes, a writer that took a lower one may commit later. Serving rows by
 * a plain counter would let a client's cursor pass a change that is still
 * in flight. Nor is it enough to hide rows whose transaction id (xid) is
 * at or above the oldest xid still running (the snapshot's xmin) while
 * ordering by a counter: an old transaction (low xid) may take counter
 * value 6 and commit while a younger one (higher xid, so at or above xmin)
 * that took 5 is still running; 6 is served, 5 commits later, behind the
 * cursor.
 *
 * So the feed is ordered by the writing transaction's id itself:
 *
 *   seq = ((xid - xid_base) << 24) | n
 *
 * where xid is pg_current_xact_id() of the writing transaction (64-bit,
 * never wraps), xid_base the xid that created the schema (kept in
 * feed_state), and n counts the changes within the transaction (1, 2, …,
 * at most 2^24 - 1 = 16777215). pull() serves only rows whose xid is below
 * the xmin of its own statement's snapshot:
 *
 *   seq < ((pg_snapshot_xmin(pg_current_snapshot()) - xid_base) << 24)
 *
 * Every transaction with an xid below xmin has ended, and the snapshot sees
 * exactly those that committed; every transaction still running, and every
 * one that starts later, has an xid of at least xmin. So the rows below
 * that limit are final: nothing can ever appear below it again, and a
 * cursor taken from them can never pass a change that commits later. A
 * change of a running transaction, and every change after its xid, waits
 * until it ends (a long transaction anywhere in the cluster delays the
 * feed; it never makes it skip). Writers never wait for each other; the
 * limit is a range bound on the (collection, seq) index.
 *
 * 39 bits of xid after xid_base last 549 billion transactions of the whole
 * cluster (17 years at 1000 a second); past that, and past 2^24 changes in
 * one transaction, record_put fails with a message rather than reuse a seq.
 *
 * Other promises
 * - Unique keys (record id, a live record's key, a user's idempotency key,
 *   a user name) are unique constraints; inserts use ON CONFLICT DO NOTHING
 *   and report EXISTS when nothing was inserted, so the transaction stays
 *   usable and two concurrent requests make one row: the second waits for
 *   the first to end and then finds its row.
 * - Claim numbers: INSERT … ON CONFLICT DO UPDATE on the counter's row,
 *   which row-locks it until commit: never handed out twice.
 * - Serialization failures (40001) and deadlocks (40P01) map to
 *   KL_SERVER_STORE_ERROR_RETRY; so does a connection that broke and was
 *   re-established (the transaction is gone; running it again is right).
 * - Schema versions in schema_version; open() upgrades in one transaction
 *   under an advisory lock (several servers starting at once migrate once)
 *   and refuses a schema newer than it knows (KL_SERVER_STORE_ERROR_SCHEMA).
 */
#include "config.h"

#include <libpq-fe.h>
#include <stdlib.h>
#include <string.h>

#include "kl-server-store.h"

#define SEQ_SHIFT 24
#define SEQ_MAX_CHANGES ((G_GINT64_CONSTANT (1) << SEQ_SHIFT) - 1)
#define SEQ_MAX_XID_DELTA ((G_GINT64_CONSTANT (1) << (63 - SEQ_SHIFT)) - 1)

/* After this many changes committed through one connection, it analyzes
 * the records table itself. A bulk write (demo, import) otherwise leaves the
 * planner with the old statistics until autovacuum comes by (up to a minute
 * or more): it then expects a few rows after a cursor and sorts the whole
 * collection for every page (100 ms and more per pull at 100 000
 * shipments, against 0.1 ms walking the feed index). */
#define ANALYZE_AFTER_CHANGES 10000

/* The pg_advisory_xact_lock key that serializes schema upgrades ("KLSRVM"). */
#define MIGRATION_LOCK "82791187502669"

typedef enum {
  Q_USER_ADD,
  Q_USER_GET,
  Q_USER_LIST,
  Q_TOKEN_ADD,
  Q_TOKEN_LOOKUP,
  Q_TOKEN_REVOKE,
  Q_TOKEN_LIST,
  Q_RECORD_GET,
  Q_RECORD_GET_BY_KEY,
  Q_RECORD_INSERT,
  Q_RECORD_UPDATE,
  Q_XID,
  Q_PULL_ALL,
  Q_PULL_CUSTOMERS,
  Q_PULL_OTHERS,
  Q_KEY_INDEX,
  Q_IDEM_GET,
  Q_IDEM_PUT,
  Q_IDEM_PURGE,
  Q_NEXT_NUMBER,
  Q_PURGE_TOMBSTONES,
  Q_HORIZON,
  Q_ACCOUNT_COUNT,
  Q_TOUCH_ACCOUNT,
  N_QUERIES
} Query;

#define RECORD_COLUMNS \
  "collection, id, revision, updated_at, deleted, seq, key, account_id, account_manager, body"

/* The feed limit of the statement's snapshot ($base: xid_base). */
#define FEED_LIMIT(base) \
  "((pg_snapshot_xmin(pg_current_snapshot())::text::bigint - " base ") << 24)"

static const char * const queries[N_QUERIES] = {
  [Q_USER_ADD] =
    "INSERT INTO users (name, display_name, role, created_at) VALUES ($1, $2, $3, $4)"
    " ON CONFLICT DO NOTHING",
  [Q_USER_GET] =
    "SELECT name, display_name, role, created_at FROM users WHERE name = $1",
  [Q_USER_LIST] =
    "SELECT name, display_name, role, created_at FROM users ORDER BY name COLLATE \"C\"",
  [Q_TOKEN_ADD] =
    "INSERT INTO tokens (id, user_name, secret_hash, created_at) VALUES ($1, $2, $3, $4)",
  [Q_TOKEN_LOOKUP] =
    "SELECT u.name, u.display_name, u.role, u.created_at FROM tokens t"
    " JOIN users u ON u.name = t.user_name"
    " WHERE t.secret_hash = $1 AND t.revoked_at = 0",
  [Q_TOKEN_REVOKE] =
    "UPDATE tokens SET revoked_at = $1 WHERE id = $2 AND revoked_at = 0",
  [Q_TOKEN_LIST] =
    "SELECT id, user_name, created_at, revoked_at FROM tokens"
    " WHERE $1::text IS NULL OR user_name = $1"
    " ORDER BY user_name COLLATE \"C\", created_at, id COLLATE \"C\"",
  [Q_RECORD_GET] =
    "SELECT " RECORD_COLUMNS " FROM records WHERE id = $1 AND collection = $2",
  [Q_RECORD_GET_BY_KEY] =
    "SELECT " RECORD_COLUMNS " FROM records"
    " WHERE collection = $1 AND key = $2 AND NOT deleted",
  [Q_RECORD_INSERT] =
    "INSERT INTO records (collection, id, revision, updated_at, deleted, seq, key,"
    " account_id, account_manager, body) VALUES ($1, $2, 1, $3, $4, $5, $6, $7, $8, $9)"
    " ON CONFLICT DO NOTHING",
  [Q_RECORD_UPDATE] =
    "UPDATE records SET revision = $10 + 1, updated_at = $3, deleted = $4, seq = $5,"
    " key = $6, account_id = $7, account_manager = $8, body = $9"
    " WHERE id = $2 AND collection = $1 AND revision = $10",
  [Q_XID] =
    "SELECT pg_current_xact_id()::text::bigint",
  [Q_PULL_ALL] =
    "SELECT " RECORD_COLUMNS " FROM records WHERE collection = $1 AND seq > $2"
    " AND seq < " FEED_LIMIT ("$4") " ORDER BY seq LIMIT $3",
  [Q_PULL_CUSTOMERS] =
    "SELECT " RECORD_COLUMNS " FROM records WHERE collection = $1 AND seq > $2"
    " AND seq < " FEED_LIMIT ("$4")
    " AND account_manager = ANY ($5::text[]) ORDER BY seq LIMIT $3",
  [Q_PULL_OTHERS] =
    "SELECT " RECORD_COLUMNS " FROM records WHERE collection = $1 AND seq > $2"
    " AND seq < " FEED_LIMIT ("$4")
    " AND account_id IN (SELECT c.id FROM records c WHERE c.collection = 0"
    "   AND c.account_manager = ANY ($5::text[]))"
    " ORDER BY seq LIMIT $3",
  [Q_KEY_INDEX] =
    "SELECT key, id FROM records WHERE collection = $1 AND NOT deleted AND key IS NOT NULL",
  [Q_IDEM_GET] =
    "SELECT key, user_name, request, request_hash, status, response, created_at"
    " FROM idempotency WHERE user_name = $1 AND key = $2",
  [Q_IDEM_PUT] =
    "INSERT INTO idempotency (key, user_name, request, request_hash, status, response,"
    " created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING",
  [Q_IDEM_PURGE] =
    "DELETE FROM idempotency WHERE created_at < $1",
  [Q_NEXT_NUMBER] =
    "INSERT INTO counters AS c (name, value) VALUES ($1, 1)"
    " ON CONFLICT (name) DO UPDATE SET value = c.value + 1 RETURNING value",
  /* One statement, one snapshot: the tombstones removed are exactly those
   * the horizon moves over. */
  [Q_PURGE_TOMBSTONES] =
    "WITH gone AS (DELETE FROM records WHERE deleted AND updated_at < $1 RETURNING seq)"
    " UPDATE feed_state SET horizon = GREATEST (horizon,"
    "   COALESCE ((SELECT max (seq) FROM gone), 0))"
    " WHERE id = 1 RETURNING horizon",
  [Q_HORIZON] =
    "SELECT horizon FROM feed_state WHERE id = 1",
  [Q_ACCOUNT_COUNT] =
    "SELECT count(*) FROM records WHERE account_id = $1 AND collection <> 0",
  /* New seqs $2 + 1, $2 + 2, … in the account's feed order. They are above
   * every seq taken so far, so none collides with a row not yet moved. */
  [Q_TOUCH_ACCOUNT] =
    "WITH moved AS (SELECT id, row_number () OVER (ORDER BY seq) AS n FROM records"
    "  WHERE account_id = $1 AND collection <> 0)"
    " UPDATE records r SET seq = $2::bigint + moved.n FROM moved WHERE r.id = moved.id",
};

/* Migrations: entry i brings schema version i to i + 1. Times are µs since
 * the epoch (bigint); bodies are JSON text kept byte for byte. */
static const char * const migrations[] = {
  /* 1: the first schema */
  "CREATE TABLE users ("
  "  name text PRIMARY KEY,"
  "  display_name text NOT NULL,"
  "  role text NOT NULL CHECK (role IN ('kam', 'lead')),"
  "  created_at bigint NOT NULL);"
  "CREATE TABLE tokens ("
  "  id text PRIMARY KEY,"
  "  user_name text NOT NULL REFERENCES users (name),"
  "  secret_hash text NOT NULL UNIQUE,"
  "  created_at bigint NOT NULL,"
  "  revoked_at bigint NOT NULL DEFAULT 0);"
  "CREATE INDEX tokens_user ON tokens (user_name);"
  "CREATE TABLE records ("
  "  id text PRIMARY KEY,"
  "  collection smallint NOT NULL CHECK (collection BETWEEN 0 AND 2),"
  "  revision bigint NOT NULL,"
  "  updated_at bigint NOT NULL,"
  "  deleted boolean NOT NULL DEFAULT FALSE,"
  "  seq bigint NOT NULL UNIQUE,"
  "  key text,"
  "  account_id text,"
  "  account_manager text,"
  "  body text NOT NULL);"
  "CREATE UNIQUE INDEX records_live_key ON records (collection, key)"
  "  WHERE NOT deleted AND key IS NOT NULL;"
  "CREATE INDEX records_feed ON records (collection, seq);"
  "CREATE INDEX records_account ON records (account_id, collection, seq);"
  "CREATE INDEX records_manager ON records (account_manager) WHERE collection = 0;"
  "CREATE INDEX records_tombstones ON records (updated_at) WHERE deleted;"
  "CREATE TABLE feed_state ("
  "  id integer PRIMARY KEY CHECK (id = 1),"
  "  xid_base bigint NOT NULL,"
  "  horizon bigint NOT NULL);"
  "INSERT INTO feed_state VALUES (1, pg_current_xact_id ()::text::bigint, 0);"
  "CREATE TABLE idempotency ("
  "  user_name text NOT NULL,"
  "  key text NOT NULL,"
  "  request text NOT NULL,"
  "  request_hash text NOT NULL,"
  "  status integer NOT NULL,"
  "  response text NOT NULL,"
  "  created_at bigint NOT NULL,"
  "  PRIMARY KEY (user_name, key));"
  "CREATE INDEX idempotency_age ON idempotency (created_at);"
  "CREATE TABLE counters ("
  "  name text PRIMARY KEY,"
  "  value bigint NOT NULL);",
};

typedef struct {
  KlServerStore parent;
  PGconn       *conn;
  gboolean      in_transaction;
  gboolean      prepared[N_QUERIES];
  gint64        xid_base;
  /* the running transaction's xid (0 until its first change) and its
   * changes so far */
  gint64        txn_xid;
  gint64        txn_changes;
  /* changes committed through this connection since it last analyzed */
  gint64        changes_since_analyze;
} KlServerStorePg;

#define SELF(s) ((KlServerStorePg *) (s))

typedef PGresult KlPgResult;
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KlPgResult, PQclear)

/* ---- errors ---- */

static gboolean
sqlstate_is (const PGresult *res, const char *state)
{
  const char *s = res ? PQresultErrorField (res, PG_DIAG_SQLSTATE) : NULL;
  return s != NULL && strcmp (s, state) == 0;
}

/* A broken connection is re-established (outside a transaction the caller
 * loses nothing; inside one, the transaction is gone, so RETRY). */
static gboolean
reconnect (KlServerStorePg *self)
{
  if (PQstatus (self->conn) == CONNECTION_OK)
    return FALSE;
  memset (self->prepared, 0, sizeof self->prepared);
  self->in_transaction = FALSE;
  PQreset (self->conn);
  return PQstatus (self->conn) == CONNECTION_OK;
}

static gboolean
set_pg_error (KlServerStorePg *self, const PGresult *res, const char *what, GError **error)
{
  int code = KL_SERVER_STORE_ERROR_FAILED;
  g_autofree char *message = NULL;
  const char *primary = res ? PQresultErrorField (res, PG_DIAG_MESSAGE_PRIMARY) : NULL;

  message = g_strdup (primary ? primary : PQerrorMessage (self->conn));
  g_strchomp (message);
  if (sqlstate_is (res, "40001") || sqlstate_is (res, "40P01"))
    code = KL_SERVER_STORE_ERROR_RETRY;
  else if (sqlstate_is (res, "23505"))
    code = KL_SERVER_STORE_ERROR_EXISTS;
  else if (reconnect (self))
    code = KL_SERVER_STORE_ERROR_RETRY;
  g_set_error (error, KL_SERVER_STORE_ERROR, code, "%s: %s (%s)", what, message,
               self->parent.url);
  return FALSE;
}

/* ---- statements ---- */

/* Runs query q (prepared on this connection at first use) with text
 * parameters (NULL: SQL NULL). Returns the result when it is one of
 * PGRES_COMMAND_OK / PGRES_TUPLES_OK, else sets error and returns NULL. */
static PGresult *
run (KlServerStorePg *self, Query q, int n_params, const char * const *params,
     const char *what, GError **error)
{
  g_autofree char *name = g_strdup_printf ("kl%d", (int) q);
  PGresult *res;
  ExecStatusType status;

  if (!self->prepared[q])
    {
      g_autoptr(KlPgResult) prep = PQprepare (self->conn, name, queries[q], 0, NULL);
      if (PQresultStatus (prep) != PGRES_COMMAND_OK)
        {
          set_pg_error (self, prep, what, error);
          return NULL;
        }
      self->prepared[q] = TRUE;
    }
  res = PQexecPrepared (self->conn, name, n_params, params, NULL, NULL, 0);
  status = PQresultStatus (res);
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK)
    {
      set_pg_error (self, res, what, error);
      PQclear (res);
      return NULL;
    }
  return res;
}

static gboolean
exec_sql (KlServerStorePg *self, const char *sql, const char *what, GError **error)
{
  g_autoptr(KlPgResult) res = PQexec (self->conn, sql);
  ExecStatusType status = PQresultStatus (res);
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK)
    return set_pg_error (self, res, what, error);
  return TRUE;
}

/* Integers as parameters: a small ring of buffers per call site. */
typedef struct {
  char text[24];
} IntText;

static const char *
int_text (IntText *buf, gint64 value)
{
  g_snprintf (buf->text, sizeof buf->text, "%" G_GINT64_FORMAT, value);
  return buf->text;
}

static char *
value (const PGresult *res, int row, int col)
{
  return PQgetisnull (res, row, col) ? NULL : g_strdup (PQgetvalue (res, row, col));
}

static gint64
value_int (const PGresult *res, int row, int col)
{
  return g_ascii_strtoll (PQgetvalue (res, row, col), NULL, 10);
}

static gboolean
value_bool (const PGresult *res, int row, int col)
{
  return PQgetvalue (res, row, col)[0] == 't';
}

static gint64
affected (const PGresult *res)
{
  return g_ascii_strtoll (PQcmdTuples ((PGresult *) res), NULL, 10);
}

/* ---- lifecycle ---- */

static void
store_close (KlServerStore *store)
{
  KlServerStorePg *self = SELF (store);
  if (self->conn != NULL)
    {
      if (self->in_transaction)
        exec_sql (self, "ROLLBACK", "rolling back", NULL);
      PQfinish (self->conn);
    }
  g_free (store->url);
  g_free (self);
}

static gboolean
store_begin (KlServerStore *store, GError **error)
{
  KlServerStorePg *self = SELF (store);
  g_return_val_if_fail (!self->in_transaction, FALSE);
  if (PQstatus (self->conn) != CONNECTION_OK)
    reconnect (self);
  if (!exec_sql (self, "BEGIN", "starting a transaction", error))
    return FALSE;
  self->in_transaction = TRUE;
  self->txn_xid = 0;
  self->txn_changes = 0;
  return TRUE;
}

static gboolean
store_commit (KlServerStore *store, GError **error)
{
  KlServerStorePg *self = SELF (store);
  g_autoptr(KlPgResult) res = NULL;
  g_return_val_if_fail (self->in_transaction, FALSE);
  res = PQexec (self->conn, "COMMIT");
  self->in_transaction = FALSE;
  if (PQresultStatus (res) != PGRES_COMMAND_OK)
    {
      set_pg_error (self, res, "committing", error);
      exec_sql (self, "ROLLBACK", "rolling back", NULL);
      return FALSE;
    }
  /* COMMIT of a failed transaction answers ROLLBACK without an error. */
  if (g_strcmp0 (PQcmdStatus (res), "ROLLBACK") == 0)
    {
      g_set_error (error, KL_SERVER_STORE_ERROR, KL_SERVER_STORE_ERROR_FAILED,
                   "committing: the transaction had failed and was rolled back (%s)",
                   self->parent.url);
      return FALSE;
    }
  self->changes_since_analyze += self->txn_changes;
  if (self->changes_since_analyze >= ANALYZE_AFTER_CHANGES)
    {
      g_autoptr(GError) local_error = NULL;
      self->changes_since_analyze = 0;
      /* Only a cost: the commit has succeeded whatever this does. */
      if (!exec_sql (self, "ANALYZE records", "analyzing the records table", &local_error))
        g_warning ("%s", local_error->message);
    }
  return TRUE;
}

static void
store_rollback (KlServerStore *store)
{
  KlServerStorePg *self = SELF (store);
  if (!self->in_transaction)
    return;
  self->in_transaction = FALSE;
  exec_sql (self, "ROLLBACK", "rolling back", NULL);
}

/* ---- users and tokens ---- */

static gboolean
user_add (KlServerStore *store, const KlServerUser *user, GError **error)
{
  KlServerStorePg *self = SELF (store);
  IntText t;
  const char *params[] = { user->name, user->display_name,
                           kl_server_role_to_string (user->role),
                           int_text (&t, user->created_at) };
  g_autoptr(KlPgResult) res = run (self, Q_USER_ADD, 4, params, "adding a user", error);
  if (res == NULL)
    return FALSE;
  if (affected (res) == 0)
    {
      g_set_error (error, KL_SERVER_STORE_ERROR, KL_SERVER_STORE_ERROR_EXISTS,
                   "a user named “%s” exists already", user->name);
      return FALSE;
    }
  return TRUE;
}

static KlServerUser *
user_from_row (const PGresult *res, int row)
{
  KlServerUser *user = g_new0 (KlServerUser, 1);
  user->name = value (res, row, 0);
  user->display_name = value (res, row, 1);
  kl_server_role_from_string (PQgetvalue (res, row, 2), &user->role);
  user->created_at = value_int (res, row, 3);
  return user;
}

static KlServerUser *
user_get (KlServerStore *store, const char *name, GError **error)
{
  KlServerStorePg *self = SELF (store);
  const char *params[] = { name };
  g_autoptr(KlPgResult) res = run (self, Q_USER_GET, 1, params, "reading a user", error);
  if (res == NULL)
    return NULL;
  if (PQntuples (res) == 0)
    {
      g_set_error (error, KL_SERVER_STORE_ERROR, KL_SERVER_STORE_ERROR_NOT_FOUND,
                   "no user is named “%s”; add one with keyline-server user add", name);
      return NULL;
    }
  return user_from_row (res, 0);
}

static GPtrArray *
user_list (KlServerStore *store, GError **error)
{
  KlServerStorePg *self = SELF (store);
  g_autoptr(KlPgResult) res = run (self, Q_USER_LIST, 0, NULL, "listing users", error);
  GPtrArray *users;
  if (res == NULL)
    return NULL;
  users = g_ptr_array_new_with_free_func ((GDestroyNotify) kl_server_user_free);
  for (int i = 0; i < PQntuples (res); i++)
    g_ptr_array_add (users, user_from_row (res, i));
  return users;
}

static gboolean
token_add (KlServerStore *store, const char *id, const char *user,
           const char *secret_hash, gint64 created_at, GError **error)
{
  KlServerStorePg *self = SELF (store);
  IntText t;
  const char *params[] = { id, user, secret_hash, int_text (&t, created_at) };
  g_autoptr(KlPgResult) res = run (self, Q_TOKEN_ADD, 4, params, "adding a token", error);
  return res != NULL;
}

static KlServerUser *
token_lookup (KlServerStore *store, const char *secret_hash, GError **error)
{
  KlServerStorePg *self = SELF (store);
  const char *params[] = { secret_hash };
  g_autoptr(KlPgResult) res = run (self, Q_TOKEN_LOOKUP, 1, params, "looking up a token", error);
  if (res == NULL || PQntuples (res) == 0)
    return NULL;
  return user_from_row (res, 0);
}

static gboolean
token_revoke (KlServerStore *store, const char *id, gint64 now, GError **error)
{
  KlServerStorePg *self = SELF (store);
  IntText t;
  const char *params[] = { int_text (&t, now), id };
  g_autoptr(KlPgResult) res = run (self, Q_TOKEN_REVOKE, 2, params, "revoking a token", error);
  if (res == NULL)
    return FALSE;
  if (affected (res) == 0)
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
  KlServerStorePg *self = SELF (store);
  const char *params[] = { user };
  g_autoptr(KlPgResult) res = run (self, Q_TOKEN_LIST, 1, params, "listing tokens", error);
  GPtrArray *tokens;
  if (res == NULL)
    return NULL;
  tokens = g_ptr_array_new_with_free_func ((GDestroyNotify) kl_server_token_free);
  for (int i = 0; i < PQntuples (res); i++)
    {
      KlServerToken *t = g_new0 (KlServerToken, 1);
      t->id = value (res, i, 0);
      t->user = value (res, i, 1);
      t->created_at = value_int (res, i, 2);
      t->revoked_at = value_int (res, i, 3);
      g_ptr_array_add (tokens, t);
    }
  return tokens;
}

/* ---- records ---- */

static KlServerRecord *
record_from_row (const PGresult *res, int row)
{
  KlServerRecord *r = kl_server_record_new ();
  r->collection = (KlServerCollection) value_int (res, row, 0);
  r->id = value (res, row, 1);
  r->revision = value_int (res, row, 2);
  r->updated_at = value_int (res, row, 3);
  r->deleted = value_bool (res, row, 4);
  r->seq = value_int (res, row, 5);
  r->key = value (res, row, 6);
  r->account_id = value (res, row, 7);
  r->account_manager = value (res, row, 8);
  r->body = value (res, row, 9);
  return r;
}

static KlServerRecord *
record_get (KlServerStore *store, KlServerCollection collection, const char *id, GError **error)
{
  KlServerStorePg *self = SELF (store);
  IntText c;
  const char *params[] = { id, int_text (&c, collection) };
  g_autoptr(KlPgResult) res = run (self, Q_RECORD_GET, 2, params, "reading a record", error);
  if (res == NULL || PQntuples (res) == 0)
    return NULL;
  return record_from_row (res, 0);
}

static KlServerRecord *
record_get_by_key (KlServerStore *store, KlServerCollection collection, const char *key,
                   GError **error)
{
  KlServerStorePg *self = SELF (store);
  IntText c;
  const char *params[] = { int_text (&c, collection), key };
  g_autoptr(KlPgResult) res = run (self, Q_RECORD_GET_BY_KEY, 2, params, "reading a record",
                                   error);
  if (res == NULL || PQntuples (res) == 0)
    return NULL;
  return record_from_row (res, 0);
}

/* The running transaction's xid, fetched at its first change. */
static gboolean
ensure_xid (KlServerStorePg *self, GError **error)
{
  if (self->txn_xid == 0)
    {
      g_autoptr(KlPgResult) res = run (self, Q_XID, 0, NULL, "numbering a change", error);
      if (res == NULL)
        return FALSE;
      self->txn_xid = value_int (res, 0, 0);
      if (self->txn_xid - self->xid_base < 1 || self->txn_xid - self->xid_base > SEQ_MAX_XID_DELTA)
        {
          g_set_error (error, KL_SERVER_STORE_ERROR, KL_SERVER_STORE_ERROR_FAILED,
                       "numbering a change: transaction id %" G_GINT64_FORMAT " is outside the "
                       "range this database's change feed can number (from %" G_GINT64_FORMAT
                       "); see docs/server-postgresql.md (%s)",
                       self->txn_xid, self->xid_base, self->parent.url);
          self->txn_xid = 0;
          return FALSE;
        }
    }
  return TRUE;
}

/* Reserves n changes of the running transaction; returns the seq before
 * the first of them (the changes take that + 1 … that + n). */
static gint64
reserve_seqs (KlServerStorePg *self, gint64 n, GError **error)
{
  gint64 before;
  if (!ensure_xid (self, error))
    return -1;
  if (self->txn_changes + n > SEQ_MAX_CHANGES)
    {
      g_set_error (error, KL_SERVER_STORE_ERROR, KL_SERVER_STORE_ERROR_FAILED,
                   "numbering a change: more than %" G_GINT64_FORMAT " changes in one "
                   "transaction; commit in smaller batches (%s)",
                   SEQ_MAX_CHANGES, self->parent.url);
      return -1;
    }
  before = ((self->txn_xid - self->xid_base) << SEQ_SHIFT) | self->txn_changes;
  self->txn_changes += n;
  return before;
}

/* The seq of the running transaction's next change (see the top). */
static gint64
next_seq (KlServerStorePg *self, GError **error)
{
  gint64 before = reserve_seqs (self, 1, error);
  return before < 0 ? 0 : before + 1;
}

static gboolean
record_put (KlServerStore *store, KlServerRecord *record, gint64 expected_revision,
            GError **error)
{
  KlServerStorePg *self = SELF (store);
  g_autoptr(KlPgResult) res = NULL;
  IntText c, u, s, r;
  gint64 seq;

  g_return_val_if_fail (self->in_transaction, FALSE);

  seq = next_seq (self, error);
  if (seq == 0)
    return FALSE;
  {
    const char *params[] = {
      int_text (&c, record->collection), record->id, int_text (&u, record->updated_at),
      record->deleted ? "true" : "false", int_text (&s, seq), record->key,
      record->account_id, record->account_manager, record->body,
      int_text (&r, expected_revision),
    };
    if (expected_revision == 0)
      res = run (self, Q_RECORD_INSERT, 9, params, "writing a record", error);
    else
      res = run (self, Q_RECORD_UPDATE, 10, params, "writing a record", error);
  }
  if (res == NULL)
    return FALSE;
  if (affected (res) == 0 && expected_revision == 0)
    {
      g_set_error (error, KL_SERVER_STORE_ERROR, KL_SERVER_STORE_ERROR_EXISTS,
                   "a %s record with the id %s or the key “%s” exists already",
                   kl_server_collection_to_string (record->collection), record->id,
                   record->key ? record->key : "");
      return FALSE;
    }
  if (affected (res) == 0)
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

/* A PostgreSQL text[] literal of names: {"a","b"} with \ and " escaped. */
static char *
text_array (const char * const *names)
{
  GString *s = g_string_new ("{");
  for (guint i = 0; names && names[i]; i++)
    {
      if (i > 0)
        g_string_append_c (s, ',');
      g_string_append_c (s, '"');
      for (const char *p = names[i]; *p; p++)
        {
          if (*p == '"' || *p == '\\')
            g_string_append_c (s, '\\');
          g_string_append_c (s, *p);
        }
      g_string_append_c (s, '"');
    }
  g_string_append_c (s, '}');
  return g_string_free (s, FALSE);
}

static GPtrArray *
pull (KlServerStore *store, KlServerCollection collection, const KlServerScope *scope,
      gint64 after_seq, guint limit, gboolean *out_has_more, GError **error)
{
  KlServerStorePg *self = SELF (store);
  g_autoptr(KlPgResult) res = NULL;
  g_autofree char *names = NULL;
  gboolean all = scope == NULL || scope->all;
  IntText c, a, l, b;
  const char *params[5];
  Query q;
  GPtrArray *items;
  int n;

  params[0] = int_text (&c, collection);
  params[1] = int_text (&a, after_seq);
  params[2] = int_text (&l, (gint64) limit + 1);
  params[3] = int_text (&b, self->xid_base);
  if (all)
    q = Q_PULL_ALL;
  else
    {
      q = collection == KL_SERVER_COLLECTION_CUSTOMERS ? Q_PULL_CUSTOMERS : Q_PULL_OTHERS;
      names = text_array (scope->names);
      params[4] = names;
    }
  res = run (self, q, all ? 4 : 5, params, "reading the change feed", error);
  if (res == NULL)
    return NULL;
  n = PQntuples (res);
  items = g_ptr_array_new_with_free_func ((GDestroyNotify) kl_server_record_free);
  for (int i = 0; i < n && (guint) i < limit; i++)
    g_ptr_array_add (items, record_from_row (res, i));
  *out_has_more = (guint) n > limit;
  return items;
}

static GHashTable *
key_index (KlServerStore *store, KlServerCollection collection, GError **error)
{
  KlServerStorePg *self = SELF (store);
  IntText c;
  const char *params[] = { int_text (&c, collection) };
  g_autoptr(KlPgResult) res = run (self, Q_KEY_INDEX, 1, params, "reading keys", error);
  GHashTable *index;
  if (res == NULL)
    return NULL;
  index = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  for (int i = 0; i < PQntuples (res); i++)
    g_hash_table_insert (index, value (res, i, 0), value (res, i, 1));
  return index;
}

/* ---- idempotency, counters, horizon ---- */

static KlServerIdempotency *
idempotency_get (KlServerStore *store, const char *user, const char *key, GError **error)
{
  KlServerStorePg *self = SELF (store);
  const char *params[] = { user, key };
  g_autoptr(KlPgResult) res = run (self, Q_IDEM_GET, 2, params, "reading an idempotency key",
                                   error);
  KlServerIdempotency *idem;
  if (res == NULL || PQntuples (res) == 0)
    return NULL;
  idem = g_new0 (KlServerIdempotency, 1);
  idem->key = value (res, 0, 0);
  idem->user = value (res, 0, 1);
  idem->request = value (res, 0, 2);
  idem->request_hash = value (res, 0, 3);
  idem->status = (guint) value_int (res, 0, 4);
  idem->response = value (res, 0, 5);
  idem->created_at = value_int (res, 0, 6);
  return idem;
}

static gboolean
idempotency_put (KlServerStore *store, const KlServerIdempotency *idem, GError **error)
{
  KlServerStorePg *self = SELF (store);
  IntText s, t;
  const char *params[] = { idem->key, idem->user, idem->request, idem->request_hash,
                           int_text (&s, idem->status), idem->response,
                           int_text (&t, idem->created_at) };
  g_autoptr(KlPgResult) res = run (self, Q_IDEM_PUT, 7, params, "storing an idempotency key",
                                   error);
  if (res == NULL)
    return FALSE;
  if (affected (res) == 0)
    {
      g_set_error (error, KL_SERVER_STORE_ERROR, KL_SERVER_STORE_ERROR_EXISTS,
                   "storing an idempotency key: %s's key “%s” is stored already",
                   idem->user, idem->key);
      return FALSE;
    }
  return TRUE;
}

static gint64
idempotency_purge (KlServerStore *store, gint64 before, GError **error)
{
  KlServerStorePg *self = SELF (store);
  IntText b;
  const char *params[] = { int_text (&b, before) };
  g_autoptr(KlPgResult) res = run (self, Q_IDEM_PURGE, 1, params,
                                   "removing old idempotency keys", error);
  if (res == NULL)
    return -1;
  return affected (res);
}

static gint64
next_number (KlServerStore *store, const char *counter, GError **error)
{
  KlServerStorePg *self = SELF (store);
  const char *params[] = { counter };
  g_autoptr(KlPgResult) res = run (self, Q_NEXT_NUMBER, 1, params, "numbering a case", error);
  if (res == NULL)
    return 0;
  return value_int (res, 0, 0);
}

static gint64
feed_horizon (KlServerStore *store, GError **error)
{
  KlServerStorePg *self = SELF (store);
  g_autoptr(KlPgResult) res = run (self, Q_HORIZON, 0, NULL, "reading the feed horizon", error);
  if (res == NULL)
    return -1;
  return value_int (res, 0, 0);
}

static gboolean
purge_tombstones (KlServerStore *store, gint64 before, gint64 *out_horizon, GError **error)
{
  KlServerStorePg *self = SELF (store);
  IntText b;
  const char *params[] = { int_text (&b, before) };
  g_autoptr(KlPgResult) res = run (self, Q_PURGE_TOMBSTONES, 1, params,
                                   "removing old tombstones", error);
  if (res == NULL)
    return FALSE;
  if (out_horizon)
    *out_horizon = value_int (res, 0, 0);
  return TRUE;
}

static gboolean
touch_account (KlServerStore *store, const char *account_id, GError **error)
{
  KlServerStorePg *self = SELF (store);
  const char *count_params[] = { account_id };
  g_autoptr(KlPgResult) count = NULL;
  g_autoptr(KlPgResult) res = NULL;
  IntText b;
  gint64 n, before;

  g_return_val_if_fail (self->in_transaction, FALSE);
  count = run (self, Q_ACCOUNT_COUNT, 1, count_params, "reading an account's records", error);
  if (count == NULL)
    return FALSE;
  n = value_int (count, 0, 0);
  if (n == 0)
    return TRUE;
  before = reserve_seqs (self, n, error);
  if (before < 0)
    return FALSE;
  {
    const char *params[] = { account_id, int_text (&b, before) };
    res = run (self, Q_TOUCH_ACCOUNT, 2, params, "moving an account's records in the feed", error);
  }
  if (res == NULL)
    return FALSE;
  /* A record of the account committed by another transaction since the
   * count would take a seq beyond those reserved: fail, run again. */
  if (affected (res) != n)
    {
      g_set_error (error, KL_SERVER_STORE_ERROR, KL_SERVER_STORE_ERROR_RETRY,
                   "moving an account's records in the feed: they changed meanwhile (%s)",
                   self->parent.url);
      return FALSE;
    }
  return TRUE;
}

static const KlServerStoreVTable pg_vtable = {
  .name = "postgresql",
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

/* ---- schema ---- */

static gboolean
migrate (KlServerStorePg *self, GError **error)
{
  g_autoptr(KlPgResult) res = NULL;
  int version = 0;

  if (!exec_sql (self, "BEGIN", "starting the schema upgrade", error))
    return FALSE;
  if (!exec_sql (self, "SELECT pg_advisory_xact_lock (" MIGRATION_LOCK ")",
                 "locking the schema for an upgrade", error))
    goto fail;
  /* Created only when missing: a database user that may read and write the
   * tables but not create any (its schema made by another) still opens a
   * current database. */
  res = PQexec (self->conn, "SELECT to_regclass ('schema_version') IS NOT NULL");
  if (PQresultStatus (res) != PGRES_TUPLES_OK)
    {
      set_pg_error (self, res, "reading the schema version", error);
      goto fail;
    }
  if (!value_bool (res, 0, 0) &&
      !exec_sql (self, "CREATE TABLE schema_version ("
                       " id integer PRIMARY KEY CHECK (id = 1),"
                       " version integer NOT NULL)",
                 "creating the schema_version table", error))
    goto fail;
  g_clear_pointer (&res, PQclear);
  res = PQexec (self->conn, "SELECT version FROM schema_version WHERE id = 1");
  if (PQresultStatus (res) != PGRES_TUPLES_OK)
    {
      set_pg_error (self, res, "reading the schema version", error);
      goto fail;
    }
  if (PQntuples (res) > 0)
    version = (int) value_int (res, 0, 0);
  if (version > (int) G_N_ELEMENTS (migrations))
    {
      g_set_error (error, KL_SERVER_STORE_ERROR, KL_SERVER_STORE_ERROR_SCHEMA,
                   "%s has schema version %d, newer than this keyline-server knows (%u); "
                   "run a newer keyline-server", self->parent.url, version,
                   (guint) G_N_ELEMENTS (migrations));
      goto fail;
    }
  for (int v = version; v < (int) G_N_ELEMENTS (migrations); v++)
    {
      g_autofree char *set = g_strdup_printf (
          "INSERT INTO schema_version VALUES (1, %d)"
          " ON CONFLICT (id) DO UPDATE SET version = EXCLUDED.version", v + 1);
      g_autofree char *what = g_strdup_printf ("upgrading the schema to version %d", v + 1);
      if (!exec_sql (self, migrations[v], what, error) || !exec_sql (self, set, what, error))
        goto fail;
    }
  return exec_sql (self, "COMMIT", "finishing the schema upgrade", error);

fail:
  exec_sql (self, "ROLLBACK", "rolling back", NULL);
  return FALSE;
}

static gboolean
read_xid_base (KlServerStorePg *self, GError **error)
{
  g_autoptr(KlPgResult) res = PQexec (self->conn, "SELECT xid_base FROM feed_state WHERE id = 1");
  if (PQresultStatus (res) != PGRES_TUPLES_OK || PQntuples (res) != 1)
    return set_pg_error (self, res, "reading the change feed's state", error);
  self->xid_base = value_int (res, 0, 0);
  return TRUE;
}

/* The URL for messages: the password (user:PASSWORD@ or password=) left out. */
static char *
redact_url (const char *url)
{
  GString *s = g_string_new (NULL);
  const char *p = strstr (url, "://");
  const char *rest, *at, *slash, *query;

  if (p == NULL)
    return g_strdup (url);
  p += 3;
  g_string_append_len (s, url, p - url);
  slash = strpbrk (p, "/?");
  at = strchr (p, '@');
  if (at != NULL && (slash == NULL || at < slash))
    {
      const char *colon = memchr (p, ':', at - p);
      g_string_append_len (s, p, (colon ? colon : at) - p);
      p = at;
    }
  query = strchr (p, '?');
  if (query == NULL)
    {
      g_string_append (s, p);
      return g_string_free (s, FALSE);
    }
  g_string_append_len (s, p, query - p);
  rest = query + 1;
  {
    g_auto(GStrv) params = g_strsplit (rest, "&", -1);
    gboolean first = TRUE;
    for (guint i = 0; params[i]; i++)
      {
        if (g_str_has_prefix (params[i], "password="))
          continue;
        g_string_append_c (s, first ? '?' : '&');
        g_string_append (s, params[i]);
        first = FALSE;
      }
  }
  return g_string_free (s, FALSE);
}

/* Notices (CREATE TABLE IF NOT EXISTS …) go to the debug log, not stderr. */
static void
notice_processor (void *data, const char *message)
{
  g_debug ("%s: %s", (const char *) data, message);
}

KlServerStore *
kl_server_store_pg_open (const char *conninfo, GError **error)
{
  KlServerStorePg *self = g_new0 (KlServerStorePg, 1);
  /* The URL's own parameters win over application_name; client_encoding
   * is always UTF-8. */
  const char * const keywords[] = { "application_name", "dbname", "client_encoding", NULL };
  const char * const values[] = { "keyline-server", conninfo, "UTF8", NULL };

  self->parent.vtable = &pg_vtable;
  self->parent.url = redact_url (conninfo);
  self->conn = PQconnectdbParams (keywords, values, 1);
  if (self->conn == NULL || PQstatus (self->conn) != CONNECTION_OK)
    {
      g_autofree char *message = g_strdup (self->conn ? PQerrorMessage (self->conn)
                                                      : "out of memory");
      g_strchomp (message);
      g_set_error (error, KL_SERVER_STORE_ERROR, KL_SERVER_STORE_ERROR_FAILED,
                   "cannot connect to the database %s: %s", self->parent.url, message);
      store_close (&self->parent);
      return NULL;
    }
  PQsetNoticeProcessor (self->conn, notice_processor, self->parent.url);
  if (!migrate (self, error) || !read_xid_base (self, error))
    {
      store_close (&self->parent);
      return NULL;
    }
  return &self->parent;
}
