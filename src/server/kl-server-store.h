/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The storage interface of keyline-server: everything the HTTP layer, the
 * user and token commands, demo and import need from the database, behind
 * one vtable with two backends (SQLite: kl-server-store-sqlite.c, the
 * default; PostgreSQL: kl-server-store-pg.c). Both pass tests/server.
 *
 * Design
 * - All state lives in the database (users, token hashes, records, the
 *   change feed, idempotency keys, claim number counters), so several
 *   server processes can share one PostgreSQL database. Rate limits are
 *   kept in each process's memory, not here.
 * - Records are stored as a JSON object (KlServerRecord.body: the record's
 *   fields without the Record fields id/revision/updated_at/deleted) plus a
 *   few columns the store indexes: the key (customer code, shipment
 *   waybill, claim number), the account the record belongs to (account_id:
 *   a customer's own id, a shipment's or claim's customer_id) and, for
 *   customers, account_manager. The HTTP layer owns the JSON shape; the
 *   store never parses body.
 * - The change feed: each collection has one feed ordered by a sequence
 *   number (seq) shared by all collections and assigned on every write.
 *   A record appears in the feed once, at the seq of its latest change;
 *   a removal keeps the row as a tombstone (deleted = TRUE).
 *   THE FEED RULE every backend must keep: pull() never returns a record
 *   with seq S while a transaction that will commit a seq < S is still in
 *   flight. Otherwise a client could move its cursor past S and never see
 *   the lower change when it commits. SQLite gets this for free (writers
 *   are serialized by BEGIN IMMEDIATE, so seqs commit in order); PostgreSQL
 *   must serve only up to the oldest seq still in flight, or serialize seq
 *   assignment until commit (see the backend's comment).
 * - Transactions: begin() .. commit()/rollback() on the store's single
 *   connection. Every write (record_put, idempotency_put, next_number,
 *   user/token changes) happens inside one. A backend may fail any call in
 *   a transaction with KL_SERVER_STORE_ERROR_RETRY (a serialization failure
 *   or deadlock): the caller rolls back and runs the whole transaction again.
 * - Threads: a KlServerStore is one connection, used by one thread at a
 *   time. Open one per thread.
 * - Times are microseconds since the Unix epoch, UTC.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define KL_SERVER_STORE_ERROR (kl_server_store_error_quark ())

typedef enum {
  KL_SERVER_STORE_ERROR_FAILED,     /* the database failed (I/O, SQL, connection) */
  KL_SERVER_STORE_ERROR_URL,        /* a --database URL the server cannot use */
  KL_SERVER_STORE_ERROR_NOT_FOUND,  /* no such user, token or record */
  KL_SERVER_STORE_ERROR_EXISTS,     /* a unique key is taken (user name, record key, idempotency key) */
  KL_SERVER_STORE_ERROR_CONFLICT,   /* record_put's expected revision is not the stored one */
  KL_SERVER_STORE_ERROR_RETRY,      /* serialization failure: roll back and run the transaction again */
  KL_SERVER_STORE_ERROR_SCHEMA,     /* the database is from a newer server */
} KlServerStoreError;

GQuark kl_server_store_error_quark (void);

typedef enum {
  KL_SERVER_COLLECTION_CUSTOMERS,
  KL_SERVER_COLLECTION_SHIPMENTS,
  KL_SERVER_COLLECTION_CLAIMS,
  KL_SERVER_N_COLLECTIONS
} KlServerCollection;

/* "customers", "shipments", "claims"; from_string returns FALSE for others. */
const char *kl_server_collection_to_string   (KlServerCollection  collection);
gboolean    kl_server_collection_from_string (const char         *name,
                                              KlServerCollection *out);

typedef enum {
  KL_SERVER_ROLE_KAM,
  KL_SERVER_ROLE_LEAD,
} KlServerRole;

const char *kl_server_role_to_string   (KlServerRole  role);
gboolean    kl_server_role_from_string (const char   *name,
                                        KlServerRole *out);

typedef struct {
  char         *name;          /* login name: kam1 */
  char         *display_name;  /* for people: 张伟 */
  KlServerRole  role;
  gint64        created_at;
} KlServerUser;

KlServerUser *kl_server_user_copy (const KlServerUser *user);
void          kl_server_user_free (KlServerUser *user);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KlServerUser, kl_server_user_free)

typedef struct {
  char   *id;            /* public id of the token (shown by token list, used by revoke) */
  char   *user;          /* the user's name */
  gint64  created_at;
  gint64  revoked_at;    /* 0 while valid */
} KlServerToken;

void kl_server_token_free (KlServerToken *token);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KlServerToken, kl_server_token_free)

typedef struct {
  KlServerCollection collection;
  char     *id;               /* UUID */
  gint64    revision;         /* 1 on create, +1 on every change */
  gint64    updated_at;       /* µs */
  gboolean  deleted;          /* a tombstone */
  gint64    seq;              /* feed position of the latest change (set by the store) */
  char     *key;              /* code / waybill / number; NULL allowed for none */
  char     *account_id;       /* customer id the record belongs to (a customer: its own id) */
  char     *account_manager;  /* customers only; NULL for none and for other collections */
  char     *body;             /* JSON object text (not parsed by the store) */
} KlServerRecord;

KlServerRecord *kl_server_record_new  (void);
KlServerRecord *kl_server_record_copy (const KlServerRecord *record);
void            kl_server_record_free (KlServerRecord *record);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KlServerRecord, kl_server_record_free)

/* Whom a pull or get is for: NULL scope or lead = everything. For a KAM,
 * only records whose account (the customer with id account_id) has an
 * account_manager equal to one of names (the user's name and display
 * name). A customer's own account_manager column decides for customers. */
typedef struct {
  gboolean            all;     /* a lead */
  const char * const *names;   /* NULL-terminated; used when !all */
} KlServerScope;

/* A stored first response for an Idempotency-Key. */
typedef struct {
  char   *key;
  char   *user;               /* the key is per user */
  char   *request;            /* "POST /v1/claims" */
  char   *request_hash;       /* hash of the request body, to refuse a reused key with another body */
  guint   status;             /* HTTP status of the first response */
  char   *response;           /* its body */
  gint64  created_at;
} KlServerIdempotency;

void kl_server_idempotency_free (KlServerIdempotency *idem);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KlServerIdempotency, kl_server_idempotency_free)

typedef struct _KlServerStore KlServerStore;

typedef struct {
  const char *name;   /* "sqlite", "postgresql" */

  void      (*close)            (KlServerStore *store);

  /* transactions (one at a time per store; not nested) */
  gboolean  (*begin)            (KlServerStore *store, GError **error);
  gboolean  (*commit)           (KlServerStore *store, GError **error);
  void      (*rollback)         (KlServerStore *store);

  /* users: EXISTS for a taken name; NOT_FOUND for an unknown one */
  gboolean  (*user_add)         (KlServerStore *store, const KlServerUser *user, GError **error);
  KlServerUser *(*user_get)     (KlServerStore *store, const char *name, GError **error);
  GPtrArray *(*user_list)       (KlServerStore *store, GError **error); /* KlServerUser*, by name */

  /* tokens: only a hash of the secret is stored (hex SHA-256). */
  gboolean  (*token_add)        (KlServerStore *store, const char *id, const char *user,
                                 const char *secret_hash, gint64 created_at, GError **error);
  /* The user of a valid (not revoked) token with that hash; NULL without
   * error when there is none. */
  KlServerUser *(*token_lookup) (KlServerStore *store, const char *secret_hash, GError **error);
  /* Revokes the token with that id (NOT_FOUND when none, or already revoked). */
  gboolean  (*token_revoke)     (KlServerStore *store, const char *id, gint64 now, GError **error);
  GPtrArray *(*token_list)      (KlServerStore *store, const char *user, GError **error); /* KlServerToken*; user NULL: all */

  /* records. get: NULL without error when absent (tombstones are returned).
   * get_by_key: the live (not deleted) record with that key, or NULL. */
  KlServerRecord *(*record_get)        (KlServerStore *store, KlServerCollection collection,
                                        const char *id, GError **error);
  KlServerRecord *(*record_get_by_key) (KlServerStore *store, KlServerCollection collection,
                                        const char *key, GError **error);
  /* Inserts (expected_revision 0: fails with EXISTS when the id, or the key
   * among live records of the collection, is taken) or replaces the record
   * (expected_revision > 0: fails with CONFLICT when the stored revision
   * differs, NOT_FOUND when there is none). The store assigns
   * record->revision = expected_revision + 1 and a new record->seq, and
   * writes back both into record. updated_at is the caller's. Inside a
   * transaction. */
  gboolean  (*record_put)       (KlServerStore *store, KlServerRecord *record,
                                 gint64 expected_revision, GError **error);
  /* The feed: records of collection with seq > after_seq, in seq order, at
   * most limit of them, within scope, keeping THE FEED RULE above. Fills
   * *out_has_more (TRUE when more records within scope follow). Returns a
   * GPtrArray of KlServerRecord*. */
  GPtrArray *(*pull)            (KlServerStore *store, KlServerCollection collection,
                                 const KlServerScope *scope, gint64 after_seq, guint limit,
                                 gboolean *out_has_more, GError **error);
  /* Every live record's key → id of a collection (char* → char*), for
   * demo and import, which match rows by code or waybill. */
  GHashTable *(*key_index)      (KlServerStore *store, KlServerCollection collection,
                                 GError **error);

  /* idempotency: get NULL without error when the key is new for that user.
   * put fails with EXISTS when a concurrent request stored the key first
   * (the caller rolls back and answers with the stored response). */
  KlServerIdempotency *(*idempotency_get) (KlServerStore *store, const char *user,
                                           const char *key, GError **error);
  gboolean  (*idempotency_put)  (KlServerStore *store, const KlServerIdempotency *idem,
                                 GError **error);
  /* Removes keys older than before (µs). Returns how many. */
  gint64    (*idempotency_purge)(KlServerStore *store, gint64 before, GError **error);

  /* claim numbers: the next number of a counter ("CLM-2026"), starting at
   * 1, inside the caller's transaction, never handed out twice. */
  gint64    (*next_number)      (KlServerStore *store, const char *counter, GError **error);

  /* Tombstones older than before (µs) may be dropped; the feed horizon
   * becomes the highest seq dropped. A cursor at or below the horizon must
   * pull from scratch (410). Returns the horizon (0: nothing dropped ever). */
  gboolean  (*purge_tombstones) (KlServerStore *store, gint64 before, gint64 *out_horizon,
                                 GError **error);
  gint64    (*feed_horizon)     (KlServerStore *store, GError **error);

  /* Added after the first version (optional: NULL when a backend lacks it).
   * Gives every record of the account other than the customer itself
   * (its shipments and cases, tombstones too) a new seq, revision and body
   * unchanged, inside the caller's transaction: when a customer changes
   * hands, the new account manager's next pull brings them. */
  gboolean  (*touch_account)    (KlServerStore *store, const char *account_id, GError **error);
} KlServerStoreVTable;

struct _KlServerStore {
  const KlServerStoreVTable *vtable;
  char *url;   /* as given, for messages (a password in it is not kept) */
};

/* Opens the store named by url and brings its schema up to date:
 * "sqlite:PATH" (PATH created when missing) or "postgresql://…" /
 * "postgres://…" (libpq connection URI). URL error for anything else or for
 * a backend this build lacks. */
KlServerStore *kl_server_store_open   (const char *url, GError **error);
void           kl_server_store_close  (KlServerStore *store);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KlServerStore, kl_server_store_close)

/* Backend constructors (the dispatcher calls them). The PostgreSQL one is
 * built only when libpq is found (KL_SERVER_HAVE_PG is defined then). */
KlServerStore *kl_server_store_sqlite_open (const char *path, GError **error);
#ifdef KL_SERVER_HAVE_PG
KlServerStore *kl_server_store_pg_open     (const char *conninfo, GError **error);
#endif

/* Convenience wrappers over the vtable, same contracts. */
gboolean        kl_server_store_begin      (KlServerStore *store, GError **error);
gboolean        kl_server_store_commit     (KlServerStore *store, GError **error);
void            kl_server_store_rollback   (KlServerStore *store);

/* The hex SHA-256 of a token's secret, as token_add/token_lookup take it. */
char           *kl_server_token_hash       (const char *secret);

G_END_DECLS
