/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The server store's conformance suite (kl-server-store.h): every backend
 * must pass it. Which store it runs on comes from KEYLINE_TEST_STORE:
 *
 *   unset or "sqlite"  a new SQLite file per test case (the default)
 *   "postgresql"       the database at $KEYLINE_TEST_POSTGRES (a libpq URL,
 *                      as build-aux/with-postgres.sh exports it)
 *   postgresql://…     that database
 *
 * On PostgreSQL each test case gets a schema of its own in that database
 * (search_path set through the URL), dropped at the end.
 *
 * The concurrent cases use one store per thread, as the server does, and
 * check THE FEED RULE: every change is seen by every puller exactly once,
 * in order, while writers commit side by side. */
#include "config.h"

#include <sqlite3.h>
#include <string.h>
#ifdef KL_SERVER_HAVE_PG
#include <libpq-fe.h>
#endif

#include "kl-server-store.h"
#include "kl-test-util.h"

static char *pg_base_url;   /* set when the suite runs on PostgreSQL */

typedef struct {
  char          *dir;       /* SQLite: the temporary folder */
  char          *schema;    /* PostgreSQL: the test case's schema */
  char          *url;
  KlServerStore *store;
} Fixture;

/* Threads wait here until all are ready, then start together. */
typedef struct {
  GMutex mutex;
  GCond  cond;
  guint  waiting;
  guint  total;
} Gate;

static void
gate_init (Gate *gate, guint total)
{
  g_mutex_init (&gate->mutex);
  g_cond_init (&gate->cond);
  gate->waiting = 0;
  gate->total = total;
}

static void
gate_pass (Gate *gate)
{
  g_mutex_lock (&gate->mutex);
  gate->waiting++;
  if (gate->waiting == gate->total)
    g_cond_broadcast (&gate->cond);
  while (gate->waiting < gate->total)
    g_cond_wait (&gate->cond, &gate->mutex);
  g_mutex_unlock (&gate->mutex);
}

static void
gate_clear (Gate *gate)
{
  g_mutex_clear (&gate->mutex);
  g_cond_clear (&gate->cond);
}

static gboolean
postgresql_installed (void)
{
  g_autoptr(GDir) dir = g_dir_open ("/usr/lib/postgresql", 0, NULL);
  const char *name;
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *initdb = g_build_filename ("/usr/lib/postgresql", name, "bin", "initdb",
                                                  NULL);
      if (g_file_test (initdb, G_FILE_TEST_IS_EXECUTABLE))
        return TRUE;
    }
  return g_find_program_in_path ("initdb") != NULL;
}

#ifdef KL_SERVER_HAVE_PG
static void
pg_exec (const char *url, const char *sql)
{
  PGconn *conn = PQconnectdb (url);
  PGresult *res;
  if (PQstatus (conn) != CONNECTION_OK)
    g_error ("cannot connect to %s: %s", url, PQerrorMessage (conn));
  res = PQexec (conn, sql);
  if (PQresultStatus (res) != PGRES_COMMAND_OK && PQresultStatus (res) != PGRES_TUPLES_OK)
    g_error ("%s: %s", sql, PQerrorMessage (conn));
  PQclear (res);
  PQfinish (conn);
}
#endif

static void
sqlite_exec (const char *url, const char *sql)
{
  sqlite3 *db = NULL;
  g_assert_true (g_str_has_prefix (url, "sqlite:"));
  g_assert_cmpint (sqlite3_open (url + strlen ("sqlite:"), &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
}

/* Runs backend SQL on the fixture's store, outside the store. */
static void
raw_exec (Fixture *f, const char *sqlite_sql, const char *pg_sql)
{
  if (f->schema == NULL)
    {
      sqlite_exec (f->url, sqlite_sql);
      return;
    }
#ifdef KL_SERVER_HAVE_PG
  pg_exec (f->url, pg_sql);
#else
  g_assert_not_reached ();
#endif
}

static KlServerStore *
open_store (const char *url)
{
  g_autoptr(GError) error = NULL;
  KlServerStore *store = kl_server_store_open (url, &error);
  g_assert_no_error (error);
  g_assert_nonnull (store);
  return store;
}

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  if (pg_base_url != NULL)
    {
#ifdef KL_SERVER_HAVE_PG
      static gint counter;
      g_autofree char *sql = NULL;
      f->schema = g_strdup_printf ("kltest_%d_%d", (int) getpid (),
                                   g_atomic_int_add (&counter, 1));
      sql = g_strdup_printf ("CREATE SCHEMA %s", f->schema);
      pg_exec (pg_base_url, sql);
      f->url = g_strdup_printf ("%s%coptions=-csearch_path%%3D%s", pg_base_url,
                                strchr (pg_base_url, '?') ? '&' : '?', f->schema);
#endif
    }
  else
    {
      f->dir = kl_test_make_tmp_dir ("keyline-server-store-XXXXXX");
      f->url = g_strdup_printf ("sqlite:%s/server.db", f->dir);
    }
  f->store = open_store (f->url);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  g_clear_pointer (&f->store, kl_server_store_close);
#ifdef KL_SERVER_HAVE_PG
  if (f->schema != NULL)
    {
      g_autofree char *sql = g_strdup_printf ("DROP SCHEMA %s CASCADE", f->schema);
      pg_exec (pg_base_url, sql);
    }
#endif
  if (f->dir != NULL)
    g_assert_true (kl_test_remove_tree (f->dir));
  g_free (f->dir);
  g_free (f->schema);
  g_free (f->url);
}

/* ---- helpers ---- */

static KlServerRecord *
record_new (KlServerCollection collection, const char *id, const char *key,
            const char *account_id, const char *manager)
{
  KlServerRecord *r = kl_server_record_new ();
  r->collection = collection;
  r->id = g_strdup (id);
  r->key = g_strdup (key);
  r->account_id = g_strdup (account_id ? account_id
                                       : collection == KL_SERVER_COLLECTION_CUSTOMERS ? id : NULL);
  r->account_manager = g_strdup (manager);
  r->updated_at = g_get_real_time ();
  r->body = g_strdup_printf ("{\"note\":\"%s\"}", id);
  return r;
}

/* begin, put, commit; asserts each succeeds. */
static void
put_ok (KlServerStore *store, KlServerRecord *record, gint64 expected)
{
  g_autoptr(GError) error = NULL;
  g_assert_true (kl_server_store_begin (store, &error));
  g_assert_no_error (error);
  g_assert_true (store->vtable->record_put (store, record, expected, &error));
  g_assert_no_error (error);
  g_assert_true (kl_server_store_commit (store, &error));
  g_assert_no_error (error);
}

/* begin, put, rollback; returns the put's error code. */
static int
put_fails (KlServerStore *store, KlServerRecord *record, gint64 expected)
{
  g_autoptr(GError) error = NULL;
  g_assert_true (kl_server_store_begin (store, &error));
  g_assert_false (store->vtable->record_put (store, record, expected, &error));
  g_assert_nonnull (error);
  g_assert_true (error->domain == KL_SERVER_STORE_ERROR);
  kl_server_store_rollback (store);
  return error->code;
}

static GPtrArray *
pull_ok (KlServerStore *store, KlServerCollection collection, const KlServerScope *scope,
         gint64 after, guint limit, gboolean *has_more)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *items = store->vtable->pull (store, collection, scope, after, limit, has_more,
                                          &error);
  g_assert_no_error (error);
  g_assert_nonnull (items);
  return items;
}

/* Every id of the collection within scope, in feed order, pulled in pages
 * of limit. */
static GPtrArray *
pull_all_ids (KlServerStore *store, KlServerCollection collection, const KlServerScope *scope,
              guint limit)
{
  GPtrArray *ids = g_ptr_array_new_with_free_func (g_free);
  gint64 after = 0;
  gboolean has_more = TRUE;
  while (has_more)
    {
      g_autoptr(GPtrArray) items = pull_ok (store, collection, scope, after, limit, &has_more);
      g_assert_cmpuint (items->len, <=, limit);
      if (has_more)
        g_assert_cmpuint (items->len, ==, limit);
      for (guint i = 0; i < items->len; i++)
        {
          KlServerRecord *r = g_ptr_array_index (items, i);
          g_assert_cmpint (r->seq, >, after);
          g_assert_cmpint (r->collection, ==, collection);
          after = r->seq;
          g_ptr_array_add (ids, g_strdup (r->id));
        }
    }
  return ids;
}

static char *
join_ids (GPtrArray *ids)
{
  g_ptr_array_add (ids, NULL);
  return g_strjoinv (",", (char **) ids->pdata);
}

/* ---- schema and URLs ---- */

static void
test_schema (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  KlServerStore *again;

  /* A second store on the same database finds the schema current. */
  again = open_store (f->url);
  kl_server_store_close (again);

  g_clear_pointer (&f->store, kl_server_store_close);
  raw_exec (f, "PRAGMA user_version = 99", "UPDATE schema_version SET version = 99");
  again = kl_server_store_open (f->url, &error);
  g_assert_null (again);
  g_assert_error (error, KL_SERVER_STORE_ERROR, KL_SERVER_STORE_ERROR_SCHEMA);
  g_assert_nonnull (strstr (error->message, "newer"));
}

/* The URL of another, empty store beside the fixture's. */
static char *
another_url (Fixture *f, const char *name)
{
  if (f->schema == NULL)
    return g_strdup_printf ("sqlite:%s/%s.db", f->dir, name);
#ifdef KL_SERVER_HAVE_PG
  {
    g_autofree char *schema = g_strdup_printf ("%s_%s", f->schema, name);
    g_autofree char *sql = g_strdup_printf ("CREATE SCHEMA %s", schema);
    pg_exec (pg_base_url, sql);
    return g_strdup_printf ("%s%coptions=-csearch_path%%3D%s", pg_base_url,
                            strchr (pg_base_url, '?') ? '&' : '?', schema);
  }
#else
  g_assert_not_reached ();
#endif
}

#define OPEN_THREADS 6

typedef struct {
  const char *url;
  Gate       *gate;
  GError     *error;
} OpenThread;

static gpointer
open_thread (gpointer data)
{
  OpenThread *t = data;
  KlServerStore *store;
  gate_pass (t->gate);
  store = kl_server_store_open (t->url, &t->error);
  if (store != NULL)
    kl_server_store_close (store);
  return NULL;
}

/* Servers starting at once on an empty database: one creates the schema,
 * the others find it made (no error, no half schema). */
static void
test_open_concurrent (Fixture *f, gconstpointer data)
{
  g_autofree char *url = another_url (f, "fresh");
  OpenThread threads[OPEN_THREADS];
  GThread *handles[OPEN_THREADS];
  g_autoptr(KlServerStore) store = NULL;
  g_autoptr(GError) error = NULL;
  KlServerUser user = { "kam1", "kam1", KL_SERVER_ROLE_KAM, 1 };
  Gate gate;

  gate_init (&gate, OPEN_THREADS);
  for (guint i = 0; i < OPEN_THREADS; i++)
    {
      threads[i] = (OpenThread) { url, &gate, NULL };
      handles[i] = g_thread_new ("open", open_thread, &threads[i]);
    }
  for (guint i = 0; i < OPEN_THREADS; i++)
    {
      g_thread_join (handles[i]);
      g_assert_no_error (threads[i].error);
    }
  gate_clear (&gate);

  store = open_store (url);
  g_assert_true (kl_server_store_begin (store, &error));
  g_assert_true (store->vtable->user_add (store, &user, &error));
  g_assert_true (kl_server_store_commit (store, &error));
  g_assert_no_error (error);
  g_assert_cmpint (store->vtable->feed_horizon (store, &error), ==, 0);
  g_assert_no_error (error);
#ifdef KL_SERVER_HAVE_PG
  if (f->schema != NULL)
    {
      g_autofree char *sql = g_strdup_printf ("DROP SCHEMA %s_fresh CASCADE", f->schema);
      g_clear_pointer (&store, kl_server_store_close);
      pg_exec (pg_base_url, sql);
    }
#endif
}

static void
test_urls (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  KlServerStore *store;

  store = kl_server_store_open ("mysql://db/keyline", &error);
  g_assert_null (store);
  g_assert_error (error, KL_SERVER_STORE_ERROR, KL_SERVER_STORE_ERROR_URL);
  g_clear_error (&error);
  store = kl_server_store_open ("sqlite:", &error);
  g_assert_null (store);
  g_assert_error (error, KL_SERVER_STORE_ERROR, KL_SERVER_STORE_ERROR_URL);
  g_clear_error (&error);

#ifdef KL_SERVER_HAVE_PG
  /* A server that is not there: a message naming the URL without its
   * password. */
  store = kl_server_store_open ("postgresql://kam:s3cret@/keyline?host=/nonexistent-keyline"
                                "&password=s3cret2&connect_timeout=2", &error);
  g_assert_null (store);
  g_assert_error (error, KL_SERVER_STORE_ERROR, KL_SERVER_STORE_ERROR_FAILED);
  g_assert_null (strstr (error->message, "s3cret"));
  g_assert_nonnull (strstr (error->message, "postgresql://kam@/keyline?host=/nonexistent-keyline"));
#else
  store = kl_server_store_open ("postgresql://localhost/keyline", &error);
  g_assert_null (store);
  g_assert_error (error, KL_SERVER_STORE_ERROR, KL_SERVER_STORE_ERROR_URL);
#endif
}

/* ---- users and tokens ---- */

static void
test_users (Fixture *f, gconstpointer data)
{
  KlServerStore *s = f->store;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) users = NULL;
  g_autoptr(KlServerUser) got = NULL;
  KlServerUser lead = { "lead", "王芳", KL_SERVER_ROLE_LEAD, 1000 };
  KlServerUser kam = { "kam1", "张伟", KL_SERVER_ROLE_KAM, 2000 };
  KlServerUser kam_again = { "kam1", "李娜", KL_SERVER_ROLE_LEAD, 3000 };

  g_assert_true (kl_server_store_begin (s, &error));
  g_assert_true (s->vtable->user_add (s, &lead, &error));
  g_assert_true (s->vtable->user_add (s, &kam, &error));
  g_assert_no_error (error);
  /* A taken name: EXISTS, and the transaction goes on. */
  g_assert_false (s->vtable->user_add (s, &kam_again, &error));
  g_assert_error (error, KL_SERVER_STORE_ERROR, KL_SERVER_STORE_ERROR_EXISTS);
  g_clear_error (&error);
  g_assert_true (kl_server_store_commit (s, &error));
  g_assert_no_error (error);

  got = s->vtable->user_get (s, "kam1", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (got->name, ==, "kam1");
  g_assert_cmpstr (got->display_name, ==, "张伟");
  g_assert_cmpint (got->role, ==, KL_SERVER_ROLE_KAM);
  g_assert_cmpint (got->created_at, ==, 2000);
  g_assert_null (s->vtable->user_get (s, "nobody", &error));
  g_assert_error (error, KL_SERVER_STORE_ERROR, KL_SERVER_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  users = s->vtable->user_list (s, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (users->len, ==, 2);
  g_assert_cmpstr (((KlServerUser *) users->pdata[0])->name, ==, "kam1");
  g_assert_cmpstr (((KlServerUser *) users->pdata[1])->name, ==, "lead");
  g_assert_cmpint (((KlServerUser *) users->pdata[1])->role, ==, KL_SERVER_ROLE_LEAD);
}

static void
test_tokens (Fixture *f, gconstpointer data)
{
  KlServerStore *s = f->store;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GPtrArray) mine = NULL;
  g_autoptr(KlServerUser) who = NULL;
  g_autofree char *h1 = kl_server_token_hash ("secret-one");
  g_autofree char *h2 = kl_server_token_hash ("secret-two");
  g_autofree char *h3 = kl_server_token_hash ("secret-three");
  KlServerUser kam = { "kam1", "张伟", KL_SERVER_ROLE_KAM, 1 };
  KlServerUser lead = { "lead", "王芳", KL_SERVER_ROLE_LEAD, 1 };

  g_assert_cmpuint (strlen (h1), ==, 64);
  g_assert_cmpstr (h1, !=, h2);

  g_assert_true (kl_server_store_begin (s, &error));
  g_assert_true (s->vtable->user_add (s, &kam, &error));
  g_assert_true (s->vtable->user_add (s, &lead, &error));
  g_assert_true (s->vtable->token_add (s, "t1", "kam1", h1, 10, &error));
  g_assert_true (s->vtable->token_add (s, "t2", "kam1", h2, 20, &error));
  g_assert_true (s->vtable->token_add (s, "t3", "lead", h3, 30, &error));
  g_assert_true (kl_server_store_commit (s, &error));
  g_assert_no_error (error);

  who = s->vtable->token_lookup (s, h2, &error);
  g_assert_no_error (error);
  g_assert_nonnull (who);
  g_assert_cmpstr (who->name, ==, "kam1");
  g_assert_cmpstr (who->display_name, ==, "张伟");
  g_clear_pointer (&who, kl_server_user_free);
  {
    g_autofree char *unknown = kl_server_token_hash ("not-a-token");
    g_assert_null (s->vtable->token_lookup (s, unknown, &error));
    g_assert_no_error (error);
  }

  g_assert_true (kl_server_store_begin (s, &error));
  g_assert_true (s->vtable->token_revoke (s, "t2", 99, &error));
  g_assert_no_error (error);
  /* Revoked already, or no such token: NOT_FOUND. */
  g_assert_false (s->vtable->token_revoke (s, "t2", 100, &error));
  g_assert_error (error, KL_SERVER_STORE_ERROR, KL_SERVER_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (s->vtable->token_revoke (s, "t9", 100, &error));
  g_assert_error (error, KL_SERVER_STORE_ERROR, KL_SERVER_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_true (kl_server_store_commit (s, &error));
  g_assert_no_error (error);

  g_assert_null (s->vtable->token_lookup (s, h2, &error));
  g_assert_no_error (error);
  who = s->vtable->token_lookup (s, h1, &error);
  g_assert_nonnull (who);
  g_assert_cmpstr (who->name, ==, "kam1");

  mine = s->vtable->token_list (s, "kam1", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (mine->len, ==, 2);
  g_assert_cmpstr (((KlServerToken *) mine->pdata[0])->id, ==, "t1");
  g_assert_cmpint (((KlServerToken *) mine->pdata[0])->revoked_at, ==, 0);
  g_assert_cmpstr (((KlServerToken *) mine->pdata[1])->id, ==, "t2");
  g_assert_cmpint (((KlServerToken *) mine->pdata[1])->revoked_at, ==, 99);
  g_assert_cmpint (((KlServerToken *) mine->pdata[1])->created_at, ==, 20);
  all = s->vtable->token_list (s, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (all->len, ==, 3);
  g_assert_cmpstr (((KlServerToken *) all->pdata[2])->user, ==, "lead");
}

/* ---- records ---- */

static void
test_records (Fixture *f, gconstpointer data)
{
  KlServerStore *s = f->store;
  g_autoptr(GError) error = NULL;
  g_autoptr(KlServerRecord) c1 = record_new (KL_SERVER_COLLECTION_CUSTOMERS, "id-c1", "C001",
                                             NULL, "kam1");
  g_autoptr(KlServerRecord) same_id = record_new (KL_SERVER_COLLECTION_CUSTOMERS, "id-c1",
                                                  "C009", NULL, NULL);
  g_autoptr(KlServerRecord) same_key = record_new (KL_SERVER_COLLECTION_CUSTOMERS, "id-c2",
                                                   "C001", NULL, NULL);
  g_autoptr(KlServerRecord) other_collection = record_new (KL_SERVER_COLLECTION_SHIPMENTS,
                                                           "id-s1", "C001", "id-c1", NULL);
  g_autoptr(KlServerRecord) got = NULL;
  g_autoptr(KlServerRecord) stale = NULL;
  g_autoptr(KlServerRecord) ghost = record_new (KL_SERVER_COLLECTION_CUSTOMERS, "id-none",
                                                "C404", NULL, NULL);
  gint64 seq1;

  put_ok (s, c1, 0);
  g_assert_cmpint (c1->revision, ==, 1);
  g_assert_cmpint (c1->seq, >, 0);
  seq1 = c1->seq;

  got = s->vtable->record_get (s, KL_SERVER_COLLECTION_CUSTOMERS, "id-c1", &error);
  g_assert_no_error (error);
  g_assert_nonnull (got);
  g_assert_cmpstr (got->id, ==, "id-c1");
  g_assert_cmpstr (got->key, ==, "C001");
  g_assert_cmpstr (got->account_id, ==, "id-c1");
  g_assert_cmpstr (got->account_manager, ==, "kam1");
  g_assert_cmpstr (got->body, ==, "{\"note\":\"id-c1\"}");
  g_assert_cmpint (got->revision, ==, 1);
  g_assert_cmpint (got->seq, ==, seq1);
  g_assert_cmpint (got->updated_at, ==, c1->updated_at);
  g_assert_false (got->deleted);
  g_clear_pointer (&got, kl_server_record_free);

  /* Absent, or in another collection: NULL without an error. */
  g_assert_null (s->vtable->record_get (s, KL_SERVER_COLLECTION_CUSTOMERS, "nope", &error));
  g_assert_no_error (error);
  g_assert_null (s->vtable->record_get (s, KL_SERVER_COLLECTION_CLAIMS, "id-c1", &error));
  g_assert_no_error (error);

  got = s->vtable->record_get_by_key (s, KL_SERVER_COLLECTION_CUSTOMERS, "C001", &error);
  g_assert_no_error (error);
  g_assert_nonnull (got);
  g_assert_cmpstr (got->id, ==, "id-c1");
  g_clear_pointer (&got, kl_server_record_free);
  g_assert_null (s->vtable->record_get_by_key (s, KL_SERVER_COLLECTION_CUSTOMERS, "C404", &error));
  g_assert_no_error (error);

  /* A taken id or live key: EXISTS; a key is per collection. */
  g_assert_cmpint (put_fails (s, same_id, 0), ==, KL_SERVER_STORE_ERROR_EXISTS);
  g_assert_cmpint (put_fails (s, same_key, 0), ==, KL_SERVER_STORE_ERROR_EXISTS);
  put_ok (s, other_collection, 0);
  g_assert_cmpint (other_collection->seq, >, seq1);

  /* EXISTS leaves the transaction usable: the next put commits. */
  {
    g_autoptr(KlServerRecord) ok = record_new (KL_SERVER_COLLECTION_CUSTOMERS, "id-c3", "C003",
                                               NULL, NULL);
    g_assert_true (kl_server_store_begin (s, &error));
    g_assert_false (s->vtable->record_put (s, same_key, 0, &error));
    g_assert_error (error, KL_SERVER_STORE_ERROR, KL_SERVER_STORE_ERROR_EXISTS);
    g_clear_error (&error);
    g_assert_true (s->vtable->record_put (s, ok, 0, &error));
    g_assert_no_error (error);
    g_assert_true (kl_server_store_commit (s, &error));
    g_assert_no_error (error);
    got = s->vtable->record_get (s, KL_SERVER_COLLECTION_CUSTOMERS, "id-c3", &error);
    g_assert_nonnull (got);
    g_clear_pointer (&got, kl_server_record_free);
  }

  /* Replace at the expected revision: revision 2, a new, higher seq. */
  stale = kl_server_record_copy (c1);
  g_free (c1->body);
  c1->body = g_strdup ("{\"note\":\"changed\"}");
  g_free (c1->account_manager);
  c1->account_manager = g_strdup ("kam2");
  put_ok (s, c1, 1);
  g_assert_cmpint (c1->revision, ==, 2);
  g_assert_cmpint (c1->seq, >, other_collection->seq);
  got = s->vtable->record_get (s, KL_SERVER_COLLECTION_CUSTOMERS, "id-c1", &error);
  g_assert_cmpint (got->revision, ==, 2);
  g_assert_cmpint (got->seq, ==, c1->seq);
  g_assert_cmpstr (got->body, ==, "{\"note\":\"changed\"}");
  g_assert_cmpstr (got->account_manager, ==, "kam2");
  g_clear_pointer (&got, kl_server_record_free);

  /* A stale revision: CONFLICT, nothing changed; none stored: NOT_FOUND. */
  g_assert_cmpint (put_fails (s, stale, 1), ==, KL_SERVER_STORE_ERROR_CONFLICT);
  g_assert_cmpint (put_fails (s, ghost, 3), ==, KL_SERVER_STORE_ERROR_NOT_FOUND);
  got = s->vtable->record_get (s, KL_SERVER_COLLECTION_CUSTOMERS, "id-c1", &error);
  g_assert_cmpint (got->revision, ==, 2);
  g_clear_pointer (&got, kl_server_record_free);

  /* A rolled back put leaves nothing. */
  {
    g_autoptr(KlServerRecord) gone = record_new (KL_SERVER_COLLECTION_CLAIMS, "id-x", "CLM-1",
                                                 "id-c1", NULL);
    g_assert_true (kl_server_store_begin (s, &error));
    g_assert_true (s->vtable->record_put (s, gone, 0, &error));
    kl_server_store_rollback (s);
    g_assert_null (s->vtable->record_get (s, KL_SERVER_COLLECTION_CLAIMS, "id-x", &error));
    g_assert_no_error (error);
  }

  /* A tombstone: record_get still returns it, get_by_key does not, and its
   * key is free for a new record. */
  c1->deleted = TRUE;
  put_ok (s, c1, 2);
  g_assert_cmpint (c1->revision, ==, 3);
  got = s->vtable->record_get (s, KL_SERVER_COLLECTION_CUSTOMERS, "id-c1", &error);
  g_assert_nonnull (got);
  g_assert_true (got->deleted);
  g_clear_pointer (&got, kl_server_record_free);
  g_assert_null (s->vtable->record_get_by_key (s, KL_SERVER_COLLECTION_CUSTOMERS, "C001", &error));
  g_assert_no_error (error);
  put_ok (s, same_key, 0);
  got = s->vtable->record_get_by_key (s, KL_SERVER_COLLECTION_CUSTOMERS, "C001", &error);
  g_assert_cmpstr (got->id, ==, "id-c2");
  g_clear_pointer (&got, kl_server_record_free);

  /* Several changes in one transaction: increasing seqs. */
  {
    g_autoptr(KlServerRecord) a = record_new (KL_SERVER_COLLECTION_CLAIMS, "id-a", NULL,
                                              "id-c2", NULL);
    g_autoptr(KlServerRecord) b = record_new (KL_SERVER_COLLECTION_CLAIMS, "id-b", NULL,
                                              "id-c2", NULL);
    g_assert_true (kl_server_store_begin (s, &error));
    g_assert_true (s->vtable->record_put (s, a, 0, &error));
    g_assert_true (s->vtable->record_put (s, b, 0, &error));
    g_assert_true (s->vtable->record_put (s, a, 1, &error));
    g_assert_true (kl_server_store_commit (s, &error));
    g_assert_no_error (error);
    g_assert_cmpint (b->seq, >, same_key->seq);
    g_assert_cmpint (a->seq, >, b->seq);
    g_assert_cmpint (a->revision, ==, 2);
  }
}

static void
test_key_index (Fixture *f, gconstpointer data)
{
  KlServerStore *s = f->store;
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) index = NULL;
  g_autoptr(KlServerRecord) a = record_new (KL_SERVER_COLLECTION_SHIPMENTS, "s1", "WB1", "c", NULL);
  g_autoptr(KlServerRecord) b = record_new (KL_SERVER_COLLECTION_SHIPMENTS, "s2", "WB2", "c", NULL);
  g_autoptr(KlServerRecord) gone = record_new (KL_SERVER_COLLECTION_SHIPMENTS, "s3", "WB3", "c",
                                               NULL);
  g_autoptr(KlServerRecord) nokey = record_new (KL_SERVER_COLLECTION_SHIPMENTS, "s4", NULL, "c",
                                                NULL);
  g_autoptr(KlServerRecord) other = record_new (KL_SERVER_COLLECTION_CUSTOMERS, "c", "C1", NULL,
                                                NULL);

  put_ok (s, a, 0);
  put_ok (s, b, 0);
  put_ok (s, gone, 0);
  put_ok (s, nokey, 0);
  put_ok (s, other, 0);
  gone->deleted = TRUE;
  put_ok (s, gone, 1);

  index = s->vtable->key_index (s, KL_SERVER_COLLECTION_SHIPMENTS, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_hash_table_size (index), ==, 2);
  g_assert_cmpstr (g_hash_table_lookup (index, "WB1"), ==, "s1");
  g_assert_cmpstr (g_hash_table_lookup (index, "WB2"), ==, "s2");
}

/* ---- the feed ---- */

static void
test_pull (Fixture *f, gconstpointer data)
{
  KlServerStore *s = f->store;
  g_autoptr(GPtrArray) ids = NULL;
  g_autoptr(GPtrArray) page = NULL;
  g_autofree char *joined = NULL;
  KlServerRecord *records[7];
  gboolean has_more = TRUE;
  gint64 after;

  for (guint i = 0; i < G_N_ELEMENTS (records); i++)
    {
      g_autofree char *id = g_strdup_printf ("c%u", i);
      g_autofree char *key = g_strdup_printf ("C%03u", i);
      records[i] = record_new (KL_SERVER_COLLECTION_CUSTOMERS, id, key, NULL, "kam1");
      put_ok (s, records[i], 0);
    }
  {
    g_autoptr(KlServerRecord) shipment = record_new (KL_SERVER_COLLECTION_SHIPMENTS, "s0", "W0",
                                                     "c0", NULL);
    put_ok (s, shipment, 0);
  }

  /* Empty collection: nothing, no more. */
  page = pull_ok (s, KL_SERVER_COLLECTION_CLAIMS, NULL, 0, 10, &has_more);
  g_assert_cmpuint (page->len, ==, 0);
  g_assert_false (has_more);
  g_clear_pointer (&page, g_ptr_array_unref);

  /* Pages of 3 resume where the last ended: 3 + 3 + 1. */
  page = pull_ok (s, KL_SERVER_COLLECTION_CUSTOMERS, NULL, 0, 3, &has_more);
  g_assert_cmpuint (page->len, ==, 3);
  g_assert_true (has_more);
  after = ((KlServerRecord *) page->pdata[2])->seq;
  g_clear_pointer (&page, g_ptr_array_unref);
  page = pull_ok (s, KL_SERVER_COLLECTION_CUSTOMERS, NULL, after, 3, &has_more);
  g_assert_cmpuint (page->len, ==, 3);
  g_assert_cmpstr (((KlServerRecord *) page->pdata[0])->id, ==, "c3");
  g_assert_true (has_more);
  after = ((KlServerRecord *) page->pdata[2])->seq;
  g_clear_pointer (&page, g_ptr_array_unref);
  page = pull_ok (s, KL_SERVER_COLLECTION_CUSTOMERS, NULL, after, 3, &has_more);
  g_assert_cmpuint (page->len, ==, 1);
  g_assert_false (has_more);
  g_assert_cmpstr (((KlServerRecord *) page->pdata[0])->body, ==, "{\"note\":\"c6\"}");
  after = ((KlServerRecord *) page->pdata[0])->seq;
  g_clear_pointer (&page, g_ptr_array_unref);
  /* Exactly a page left: has_more is FALSE after it. */
  page = pull_ok (s, KL_SERVER_COLLECTION_CUSTOMERS, NULL, records[3]->seq, 3, &has_more);
  g_assert_cmpuint (page->len, ==, 3);
  g_assert_false (has_more);
  g_clear_pointer (&page, g_ptr_array_unref);

  /* At the end: an empty page. */
  page = pull_ok (s, KL_SERVER_COLLECTION_CUSTOMERS, NULL, after, 3, &has_more);
  g_assert_cmpuint (page->len, ==, 0);
  g_assert_false (has_more);
  g_clear_pointer (&page, g_ptr_array_unref);

  /* A change moves the record to the end of the feed, where it is once;
   * a removal is a tombstone there. */
  put_ok (s, records[1], 1);
  records[4]->deleted = TRUE;
  put_ok (s, records[4], 1);
  ids = pull_all_ids (s, KL_SERVER_COLLECTION_CUSTOMERS, NULL, 2);
  joined = join_ids (ids);
  g_assert_cmpstr (joined, ==, "c0,c2,c3,c5,c6,c1,c4");
  page = pull_ok (s, KL_SERVER_COLLECTION_CUSTOMERS, NULL, after, 10, &has_more);
  g_assert_cmpuint (page->len, ==, 2);
  g_assert_false (((KlServerRecord *) page->pdata[0])->deleted);
  g_assert_cmpint (((KlServerRecord *) page->pdata[0])->revision, ==, 2);
  g_assert_true (((KlServerRecord *) page->pdata[1])->deleted);
  g_assert_cmpstr (((KlServerRecord *) page->pdata[1])->id, ==, "c4");

  for (guint i = 0; i < G_N_ELEMENTS (records); i++)
    kl_server_record_free (records[i]);
}

static void
test_scope (Fixture *f, gconstpointer data)
{
  KlServerStore *s = f->store;
  const char *kam1_names[] = { "kam1", "张伟", NULL };
  const char *kam2_names[] = { "kam2", "李娜", NULL };
  const char *quote_names[] = { "o\"brien\\", NULL };
  KlServerScope kam1 = { FALSE, kam1_names };
  KlServerScope kam2 = { FALSE, kam2_names };
  KlServerScope quote = { FALSE, quote_names };
  KlServerScope lead = { TRUE, NULL };
  struct { KlServerCollection c; const char *id, *key, *account, *manager; } rows[] = {
    { KL_SERVER_COLLECTION_CUSTOMERS, "a1", "A1", NULL, "kam1" },
    { KL_SERVER_COLLECTION_CUSTOMERS, "a2", "A2", NULL, "张伟" },     /* by display name */
    { KL_SERVER_COLLECTION_CUSTOMERS, "b1", "B1", NULL, "kam2" },
    { KL_SERVER_COLLECTION_CUSTOMERS, "n1", "N1", NULL, NULL },        /* nobody's */
    { KL_SERVER_COLLECTION_CUSTOMERS, "q1", "Q1", NULL, "o\"brien\\" },
    { KL_SERVER_COLLECTION_SHIPMENTS, "sa1", "WA1", "a1", NULL },
    { KL_SERVER_COLLECTION_SHIPMENTS, "sb1", "WB1", "b1", NULL },
    { KL_SERVER_COLLECTION_SHIPMENTS, "sa2", "WA2", "a2", NULL },
    { KL_SERVER_COLLECTION_SHIPMENTS, "sn1", "WN1", "n1", NULL },
    { KL_SERVER_COLLECTION_CLAIMS, "ka1", "CLM-1", "a1", NULL },
    { KL_SERVER_COLLECTION_CLAIMS, "kb1", "CLM-2", "b1", NULL },
    { KL_SERVER_COLLECTION_CLAIMS, "kx", "CLM-3", "missing", NULL },
  };
  struct { const KlServerScope *scope; KlServerCollection c; const char *want; } cases[] = {
    { &kam1, KL_SERVER_COLLECTION_CUSTOMERS, "a1,a2" },
    { &kam1, KL_SERVER_COLLECTION_SHIPMENTS, "sa1,sa2" },
    { &kam1, KL_SERVER_COLLECTION_CLAIMS, "ka1" },
    { &kam2, KL_SERVER_COLLECTION_CUSTOMERS, "b1" },
    { &kam2, KL_SERVER_COLLECTION_SHIPMENTS, "sb1" },
    { &kam2, KL_SERVER_COLLECTION_CLAIMS, "kb1" },
    { &quote, KL_SERVER_COLLECTION_CUSTOMERS, "q1" },
    { &lead, KL_SERVER_COLLECTION_CUSTOMERS, "a1,a2,b1,n1,q1" },
    { &lead, KL_SERVER_COLLECTION_SHIPMENTS, "sa1,sb1,sa2,sn1" },
    { NULL, KL_SERVER_COLLECTION_CLAIMS, "ka1,kb1,kx" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      g_autoptr(KlServerRecord) r = record_new (rows[i].c, rows[i].id, rows[i].key,
                                                rows[i].account, rows[i].manager);
      put_ok (s, r, 0);
    }
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      /* Pages of 1 and of 100: has_more counts only records in scope. */
      for (guint limit = 1; limit <= 100; limit += 99)
        {
          g_autoptr(GPtrArray) ids = pull_all_ids (s, cases[i].c, cases[i].scope, limit);
          g_autofree char *joined = join_ids (ids);
          g_assert_cmpstr (joined, ==, cases[i].want);
        }
    }

  /* A customer handed to kam2 takes its shipments and claims along. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(KlServerRecord) a1 = s->vtable->record_get (s, KL_SERVER_COLLECTION_CUSTOMERS,
                                                          "a1", &error);
    g_autoptr(GPtrArray) ids = NULL;
    g_autofree char *joined = NULL;
    g_free (a1->account_manager);
    a1->account_manager = g_strdup ("kam2");
    put_ok (s, a1, 1);
    ids = pull_all_ids (s, KL_SERVER_COLLECTION_SHIPMENTS, &kam2, 10);
    joined = join_ids (ids);
    g_assert_cmpstr (joined, ==, "sa1,sb1");
  }
}

/* A customer handed to another KAM: touch_account moves its shipments and
 * cases (tombstones too) to the end of the feed, unchanged, so the new KAM's
 * next pull brings them. */
static void
test_touch_account (Fixture *f, gconstpointer data)
{
  KlServerStore *s = f->store;
  g_autoptr(GError) error = NULL;
  const char *kam2_names[] = { "kam2", NULL };
  KlServerScope kam2 = { FALSE, kam2_names };
  g_autoptr(KlServerRecord) a = record_new (KL_SERVER_COLLECTION_CUSTOMERS, "a", "A", NULL, "kam1");
  g_autoptr(KlServerRecord) b = record_new (KL_SERVER_COLLECTION_CUSTOMERS, "b", "B", NULL, "kam2");
  g_autoptr(KlServerRecord) sa1 = record_new (KL_SERVER_COLLECTION_SHIPMENTS, "sa1", "W1", "a", NULL);
  g_autoptr(KlServerRecord) sb1 = record_new (KL_SERVER_COLLECTION_SHIPMENTS, "sb1", "W2", "b", NULL);
  g_autoptr(KlServerRecord) sa2 = record_new (KL_SERVER_COLLECTION_SHIPMENTS, "sa2", "W3", "a", NULL);
  g_autoptr(KlServerRecord) ka1 = record_new (KL_SERVER_COLLECTION_CLAIMS, "ka1", "CLM-1", "a", NULL);
  g_autoptr(KlServerRecord) got = NULL;
  g_autoptr(GPtrArray) page = NULL;
  gboolean has_more;
  gint64 shipments_cursor, claims_cursor, sb1_seq;

  if (s->vtable->touch_account == NULL)
    {
      g_test_skip ("this backend has no touch_account");
      return;
    }
  put_ok (s, a, 0);
  put_ok (s, b, 0);
  put_ok (s, sa1, 0);
  put_ok (s, sb1, 0);
  put_ok (s, sa2, 0);
  sa2->deleted = TRUE;
  put_ok (s, sa2, 1);
  put_ok (s, ka1, 0);
  shipments_cursor = sa2->seq;
  claims_cursor = ka1->seq;
  sb1_seq = sb1->seq;

  g_free (a->account_manager);
  a->account_manager = g_strdup ("kam2");
  g_assert_true (kl_server_store_begin (s, &error));
  g_assert_true (s->vtable->record_put (s, a, 1, &error));
  g_assert_true (s->vtable->touch_account (s, "a", &error));
  g_assert_true (kl_server_store_commit (s, &error));
  g_assert_no_error (error);

  page = pull_ok (s, KL_SERVER_COLLECTION_SHIPMENTS, &kam2, shipments_cursor, 10, &has_more);
  g_assert_cmpuint (page->len, ==, 2);
  g_assert_false (has_more);
  got = kl_server_record_copy (page->pdata[0]);
  g_assert_cmpstr (got->id, ==, "sa1");
  g_assert_cmpint (got->revision, ==, 1);
  g_assert_cmpstr (got->body, ==, sa1->body);
  g_assert_cmpint (got->seq, >, a->seq);
  g_clear_pointer (&got, kl_server_record_free);
  got = kl_server_record_copy (page->pdata[1]);
  g_assert_cmpstr (got->id, ==, "sa2");
  g_assert_true (got->deleted);
  g_assert_cmpint (got->revision, ==, 2);
  g_clear_pointer (&got, kl_server_record_free);
  g_clear_pointer (&page, g_ptr_array_unref);

  page = pull_ok (s, KL_SERVER_COLLECTION_CLAIMS, &kam2, claims_cursor, 10, &has_more);
  g_assert_cmpuint (page->len, ==, 1);
  g_assert_cmpstr (((KlServerRecord *) page->pdata[0])->id, ==, "ka1");
  g_clear_pointer (&page, g_ptr_array_unref);

  /* Another account's records stay where they were. */
  got = s->vtable->record_get (s, KL_SERVER_COLLECTION_SHIPMENTS, "sb1", &error);
  g_assert_cmpint (got->seq, ==, sb1_seq);
}

static void
test_tombstones (Fixture *f, gconstpointer data)
{
  KlServerStore *s = f->store;
  g_autoptr(GError) error = NULL;
  g_autoptr(KlServerRecord) old = record_new (KL_SERVER_COLLECTION_SHIPMENTS, "old", "W1", "c",
                                              NULL);
  g_autoptr(KlServerRecord) recent = record_new (KL_SERVER_COLLECTION_SHIPMENTS, "recent", "W2",
                                                 "c", NULL);
  g_autoptr(KlServerRecord) live = record_new (KL_SERVER_COLLECTION_SHIPMENTS, "live", "W3", "c",
                                               NULL);
  g_autoptr(GPtrArray) ids = NULL;
  g_autofree char *joined = NULL;
  gint64 horizon = -1;

  g_assert_cmpint (s->vtable->feed_horizon (s, &error), ==, 0);
  g_assert_no_error (error);

  live->updated_at = 100;
  put_ok (s, live, 0);
  put_ok (s, old, 0);
  put_ok (s, recent, 0);
  old->deleted = TRUE;
  old->updated_at = 1000;
  put_ok (s, old, 1);
  recent->deleted = TRUE;
  recent->updated_at = 5000;
  put_ok (s, recent, 1);

  /* Nothing older than 500: nothing dropped, horizon stays 0. */
  g_assert_true (kl_server_store_begin (s, &error));
  g_assert_true (s->vtable->purge_tombstones (s, 500, &horizon, &error));
  g_assert_true (kl_server_store_commit (s, &error));
  g_assert_no_error (error);
  g_assert_cmpint (horizon, ==, 0);

  /* The old tombstone goes; live records stay however old they are; the
   * horizon is the seq of the tombstone dropped. */
  g_assert_true (kl_server_store_begin (s, &error));
  g_assert_true (s->vtable->purge_tombstones (s, 2000, &horizon, &error));
  g_assert_true (kl_server_store_commit (s, &error));
  g_assert_no_error (error);
  g_assert_cmpint (horizon, ==, old->seq);
  g_assert_cmpint (s->vtable->feed_horizon (s, &error), ==, old->seq);
  g_assert_null (s->vtable->record_get (s, KL_SERVER_COLLECTION_SHIPMENTS, "old", &error));
  g_assert_no_error (error);
  ids = pull_all_ids (s, KL_SERVER_COLLECTION_SHIPMENTS, NULL, 10);
  joined = join_ids (ids);
  g_assert_cmpstr (joined, ==, "live,recent");

  /* The horizon never moves back. */
  g_assert_true (kl_server_store_begin (s, &error));
  g_assert_true (s->vtable->purge_tombstones (s, 10, &horizon, &error));
  g_assert_true (kl_server_store_commit (s, &error));
  g_assert_cmpint (horizon, ==, old->seq);
  g_assert_true (kl_server_store_begin (s, &error));
  g_assert_true (s->vtable->purge_tombstones (s, 6000, &horizon, &error));
  g_assert_true (kl_server_store_commit (s, &error));
  g_assert_no_error (error);
  g_assert_cmpint (horizon, ==, recent->seq);
  g_assert_cmpint (s->vtable->feed_horizon (s, &error), ==, recent->seq);
}

/* ---- idempotency ---- */

static KlServerIdempotency *
idem_new (const char *user, const char *key, const char *response)
{
  KlServerIdempotency *idem = g_new0 (KlServerIdempotency, 1);
  idem->user = g_strdup (user);
  idem->key = g_strdup (key);
  idem->request = g_strdup ("POST /v1/claims");
  idem->request_hash = g_strdup ("abc");
  idem->status = 201;
  idem->response = g_strdup (response);
  idem->created_at = 1000;
  return idem;
}

static void
test_idempotency (Fixture *f, gconstpointer data)
{
  KlServerStore *s = f->store;
  g_autoptr(GError) error = NULL;
  g_autoptr(KlServerIdempotency) first = idem_new ("kam1", "k-1", "{\"id\":\"one\"}");
  g_autoptr(KlServerIdempotency) again = idem_new ("kam1", "k-1", "{\"id\":\"two\"}");
  g_autoptr(KlServerIdempotency) other_user = idem_new ("kam2", "k-1", "{\"id\":\"three\"}");
  g_autoptr(KlServerIdempotency) newer = idem_new ("kam1", "k-2", "{}");
  g_autoptr(KlServerIdempotency) got = NULL;

  g_assert_null (s->vtable->idempotency_get (s, "kam1", "k-1", &error));
  g_assert_no_error (error);

  g_assert_true (kl_server_store_begin (s, &error));
  g_assert_true (s->vtable->idempotency_put (s, first, &error));
  g_assert_no_error (error);
  g_assert_false (s->vtable->idempotency_put (s, again, &error));
  g_assert_error (error, KL_SERVER_STORE_ERROR, KL_SERVER_STORE_ERROR_EXISTS);
  g_clear_error (&error);
  /* Keys are per user. */
  g_assert_true (s->vtable->idempotency_put (s, other_user, &error));
  newer->created_at = 5000;
  g_assert_true (s->vtable->idempotency_put (s, newer, &error));
  g_assert_true (kl_server_store_commit (s, &error));
  g_assert_no_error (error);

  got = s->vtable->idempotency_get (s, "kam1", "k-1", &error);
  g_assert_no_error (error);
  g_assert_nonnull (got);
  g_assert_cmpstr (got->response, ==, "{\"id\":\"one\"}");
  g_assert_cmpstr (got->request, ==, "POST /v1/claims");
  g_assert_cmpstr (got->request_hash, ==, "abc");
  g_assert_cmpuint (got->status, ==, 201);
  g_assert_cmpint (got->created_at, ==, 1000);
  g_clear_pointer (&got, kl_server_idempotency_free);
  got = s->vtable->idempotency_get (s, "kam2", "k-1", &error);
  g_assert_cmpstr (got->response, ==, "{\"id\":\"three\"}");
  g_clear_pointer (&got, kl_server_idempotency_free);

  g_assert_true (kl_server_store_begin (s, &error));
  g_assert_cmpint (s->vtable->idempotency_purge (s, 2000, &error), ==, 2);
  g_assert_true (kl_server_store_commit (s, &error));
  g_assert_no_error (error);
  g_assert_null (s->vtable->idempotency_get (s, "kam1", "k-1", &error));
  got = s->vtable->idempotency_get (s, "kam1", "k-2", &error);
  g_assert_nonnull (got);
}

/* ---- concurrency ---- */

#define MAX_ATTEMPTS 50

/* Fails the test unless error is a RETRY (then the caller runs again). */
static void
assert_retry (KlServerStore *store, GError **error, guint attempt)
{
  g_assert_nonnull (*error);
  if (!g_error_matches (*error, KL_SERVER_STORE_ERROR, KL_SERVER_STORE_ERROR_RETRY))
    g_assert_no_error (*error);
  g_assert_cmpuint (attempt, <, MAX_ATTEMPTS);
  kl_server_store_rollback (store);
  g_clear_error (error);
}

#define IDEM_THREADS 6

typedef struct {
  Fixture *f;
  Gate    *gate;
  guint    index;
  char    *response;   /* out: the response this request answered with */
} IdemThread;

/* What the HTTP layer does with an Idempotency-Key on a create. */
static gpointer
idem_thread (gpointer data)
{
  IdemThread *t = data;
  g_autoptr(KlServerStore) store = open_store (t->f->url);
  g_autoptr(GError) error = NULL;

  gate_pass (t->gate);
  for (guint attempt = 0; t->response == NULL; attempt++)
    {
      g_autoptr(KlServerIdempotency) stored = NULL;
      g_autoptr(KlServerRecord) claim = NULL;
      g_autoptr(KlServerIdempotency) mine = NULL;
      g_autofree char *id = g_strdup_printf ("claim-from-%u", t->index);

      if (!kl_server_store_begin (store, &error))
        {
          assert_retry (store, &error, attempt);
          continue;
        }
      stored = store->vtable->idempotency_get (store, "kam1", "same-key", &error);
      g_assert_no_error (error);
      if (stored != NULL)
        {
          kl_server_store_rollback (store);
          t->response = g_strdup (stored->response);
          break;
        }
      claim = record_new (KL_SERVER_COLLECTION_CLAIMS, id, NULL, "c1", NULL);
      if (!store->vtable->record_put (store, claim, 0, &error))
        {
          assert_retry (store, &error, attempt);
          continue;
        }
      mine = idem_new ("kam1", "same-key", id);
      if (!store->vtable->idempotency_put (store, mine, &error))
        {
          if (g_error_matches (error, KL_SERVER_STORE_ERROR, KL_SERVER_STORE_ERROR_EXISTS))
            {
              /* A concurrent request stored the key first: answer with its
               * response, keep nothing of ours. */
              kl_server_store_rollback (store);
              g_clear_error (&error);
              stored = store->vtable->idempotency_get (store, "kam1", "same-key", &error);
              g_assert_no_error (error);
              g_assert_nonnull (stored);
              t->response = g_strdup (stored->response);
              break;
            }
          assert_retry (store, &error, attempt);
          continue;
        }
      if (!kl_server_store_commit (store, &error))
        {
          assert_retry (store, &error, attempt);
          continue;
        }
      t->response = g_strdup (id);
    }
  return NULL;
}

static void
test_idempotency_concurrent (Fixture *f, gconstpointer data)
{
  IdemThread threads[IDEM_THREADS];
  GThread *handles[IDEM_THREADS];
  Gate gate;
  g_autoptr(GPtrArray) claims = NULL;

  gate_init (&gate, IDEM_THREADS);
  for (guint i = 0; i < IDEM_THREADS; i++)
    {
      threads[i] = (IdemThread) { f, &gate, i, NULL };
      handles[i] = g_thread_new ("idem", idem_thread, &threads[i]);
    }
  for (guint i = 0; i < IDEM_THREADS; i++)
    g_thread_join (handles[i]);
  gate_clear (&gate);

  /* One record, and every request answered with its creator's response. */
  claims = pull_all_ids (f->store, KL_SERVER_COLLECTION_CLAIMS, NULL, 100);
  g_assert_cmpuint (claims->len, ==, 1);
  for (guint i = 0; i < IDEM_THREADS; i++)
    {
      g_assert_cmpstr (threads[i].response, ==, claims->pdata[0]);
      g_free (threads[i].response);
    }
}

typedef struct {
  Fixture    *f;
  Gate       *gate;
  const char *first, *second;
  guint       retries;   /* out: RETRY errors met */
} CrossThread;

/* Changes first, waits for the other thread to change its first, then
 * changes second: the two transactions wait for each other. */
static gpointer
cross_thread (gpointer data)
{
  CrossThread *t = data;
  g_autoptr(KlServerStore) store = open_store (t->f->url);
  g_autoptr(GError) error = NULL;
  gboolean met = FALSE;

  for (guint attempt = 0;; attempt++)
    {
      const char *ids[] = { t->first, t->second };
      gboolean ok = kl_server_store_begin (store, &error);
      for (guint i = 0; i < 2 && ok; i++)
        {
          g_autoptr(KlServerRecord) r = store->vtable->record_get (store,
                                                                   KL_SERVER_COLLECTION_CLAIMS,
                                                                   ids[i], &error);
          ok = r != NULL && store->vtable->record_put (store, r, r->revision, &error);
          if (i == 0 && !met)
            {
              gate_pass (t->gate);
              met = TRUE;
            }
        }
      if (ok && kl_server_store_commit (store, &error))
        break;
      if (g_error_matches (error, KL_SERVER_STORE_ERROR, KL_SERVER_STORE_ERROR_RETRY))
        t->retries++;
      /* Run again after the other committed: a revision read before it
       * committed is stale then, CONFLICT, as If-Match would answer 412. */
      if (g_error_matches (error, KL_SERVER_STORE_ERROR, KL_SERVER_STORE_ERROR_CONFLICT))
        error->code = KL_SERVER_STORE_ERROR_RETRY;
      assert_retry (store, &error, attempt);
    }
  return NULL;
}

/* On PostgreSQL, two transactions that lock the same rows in opposite order
 * deadlock; the one PostgreSQL picks fails with RETRY, and running it again
 * succeeds. (SQLite serializes writers, so they cannot cross there.) */
static void
test_deadlock_retry (Fixture *f, gconstpointer data)
{
  g_autoptr(KlServerRecord) a = record_new (KL_SERVER_COLLECTION_CLAIMS, "ka", NULL, "c", NULL);
  g_autoptr(KlServerRecord) b = record_new (KL_SERVER_COLLECTION_CLAIMS, "kb", NULL, "c", NULL);
  g_autoptr(GError) error = NULL;
  CrossThread one, two;
  GThread *t1, *t2;
  Gate gate;

  if (f->schema == NULL)
    {
      g_test_skip ("SQLite runs one writer at a time: transactions never cross");
      return;
    }
  put_ok (f->store, a, 0);
  put_ok (f->store, b, 0);
  gate_init (&gate, 2);
  one = (CrossThread) { f, &gate, "ka", "kb", 0 };
  two = (CrossThread) { f, &gate, "kb", "ka", 0 };
  t1 = g_thread_new ("cross", cross_thread, &one);
  t2 = g_thread_new ("cross", cross_thread, &two);
  g_thread_join (t1);
  g_thread_join (t2);
  gate_clear (&gate);

  g_assert_cmpuint (one.retries + two.retries, >=, 1);
  g_clear_pointer (&a, kl_server_record_free);
  a = f->store->vtable->record_get (f->store, KL_SERVER_COLLECTION_CLAIMS, "ka", &error);
  g_assert_cmpint (a->revision, ==, 3);
  g_clear_pointer (&b, kl_server_record_free);
  b = f->store->vtable->record_get (f->store, KL_SERVER_COLLECTION_CLAIMS, "kb", &error);
  g_assert_cmpint (b->revision, ==, 3);
}

/* On PostgreSQL, a connection the database dropped (a restart, a failover,
 * an administrator) fails the call in flight with RETRY after connecting
 * again, and the store goes on working. */
static void
test_reconnect (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) users = NULL;
  g_autoptr(KlServerRecord) r = record_new (KL_SERVER_COLLECTION_CUSTOMERS, "c1", "C1", NULL,
                                            NULL);

  if (f->schema == NULL)
    {
      g_test_skip ("SQLite has no connection to lose");
      return;
    }
#ifdef KL_SERVER_HAVE_PG
  KlServerStore *s = f->store;
  KlServerUser user = { "kam1", "kam1", KL_SERVER_ROLE_KAM, 1 };
  g_assert_true (kl_server_store_begin (s, &error));
  g_assert_true (s->vtable->user_add (s, &user, &error));
  g_assert_true (kl_server_store_commit (s, &error));
  g_assert_no_error (error);

  /* Dropped between transactions, and inside one. */
  for (guint i = 0; i < 2; i++)
    {
      gboolean ok;
      if (i == 1)
        g_assert_true (kl_server_store_begin (s, &error));
      pg_exec (pg_base_url,
               "SELECT pg_terminate_backend (pid, 10000) FROM pg_stat_activity"
               " WHERE application_name = 'keyline-server' AND datname = current_database ()");
      if (i == 0)
        ok = (users = s->vtable->user_list (s, &error)) != NULL;
      else
        ok = s->vtable->record_put (s, r, 0, &error);
      g_assert_false (ok);
      g_assert_error (error, KL_SERVER_STORE_ERROR, KL_SERVER_STORE_ERROR_RETRY);
      g_clear_error (&error);
      kl_server_store_rollback (s);
    }

  users = s->vtable->user_list (s, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (users->len, ==, 1);
  put_ok (s, r, 0);
#endif
}

#define NUMBER_THREADS 4
#define NUMBERS_PER_THREAD 25

typedef struct {
  Fixture *f;
  Gate    *gate;
  gint64   numbers[NUMBERS_PER_THREAD];
} NumberThread;

static gpointer
number_thread (gpointer data)
{
  NumberThread *t = data;
  g_autoptr(KlServerStore) store = open_store (t->f->url);
  g_autoptr(GError) error = NULL;

  gate_pass (t->gate);
  for (guint i = 0; i < NUMBERS_PER_THREAD; i++)
    for (guint attempt = 0;; attempt++)
      {
        gint64 n;
        if (!kl_server_store_begin (store, &error))
          {
            assert_retry (store, &error, attempt);
            continue;
          }
        n = store->vtable->next_number (store, "CLM-2026", &error);
        if (n <= 0)
          {
            assert_retry (store, &error, attempt);
            continue;
          }
        /* A number of a transaction that rolls back is not handed out. */
        if (i % 5 == 4 && attempt == 0)
          {
            kl_server_store_rollback (store);
            continue;
          }
        if (!kl_server_store_commit (store, &error))
          {
            assert_retry (store, &error, attempt);
            continue;
          }
        t->numbers[i] = n;
        break;
      }
  return NULL;
}

static int
compare_gint64 (gconstpointer a, gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;
  return x < y ? -1 : x > y;
}

static void
test_numbers_concurrent (Fixture *f, gconstpointer data)
{
  NumberThread threads[NUMBER_THREADS];
  GThread *handles[NUMBER_THREADS];
  g_autoptr(GArray) all = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GError) error = NULL;
  Gate gate;

  gate_init (&gate, NUMBER_THREADS);
  for (guint i = 0; i < NUMBER_THREADS; i++)
    {
      threads[i] = (NumberThread) { f, &gate, { 0 } };
      handles[i] = g_thread_new ("numbers", number_thread, &threads[i]);
    }
  for (guint i = 0; i < NUMBER_THREADS; i++)
    {
      g_thread_join (handles[i]);
      g_array_append_vals (all, threads[i].numbers, NUMBERS_PER_THREAD);
    }
  gate_clear (&gate);

  /* Every committed number once, none missing: 1 … N. */
  g_array_sort (all, compare_gint64);
  for (guint i = 0; i < all->len; i++)
    g_assert_cmpint (g_array_index (all, gint64, i), ==, (gint64) i + 1);

  /* Counters are independent. */
  g_assert_true (kl_server_store_begin (f->store, &error));
  g_assert_cmpint (f->store->vtable->next_number (f->store, "CLM-2027", &error), ==, 1);
  g_assert_cmpint (f->store->vtable->next_number (f->store, "CLM-2026", &error), ==,
                   NUMBER_THREADS * NUMBERS_PER_THREAD + 1);
  g_assert_true (kl_server_store_commit (f->store, &error));
  g_assert_no_error (error);
}

#define WRITERS 4
#define WRITES_PER_WRITER 40
#define PULLERS 3
#define PULL_LIMIT 7

typedef struct {
  Fixture    *f;
  Gate       *gate;
  guint       index;
  gint       *writers_running;
  GMutex     *final_lock;
  GHashTable *final;   /* id → final revision (GINT_TO_POINTER), of all writers */
} WriterThread;

/* Writes transactions of 1–3 changes (new records, and changes to its own
 * earlier ones), some held open a little so that transactions overlap and
 * commit out of the order in which they wrote. */
static gpointer
writer_thread (gpointer data)
{
  WriterThread *t = data;
  g_autoptr(KlServerStore) store = open_store (t->f->url);
  g_autoptr(GHashTable) mine = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GPtrArray) my_ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GRand) rand = g_rand_new_with_seed (t->index + 1);
  g_autoptr(GError) error = NULL;
  guint created = 0;

  gate_pass (t->gate);
  for (guint w = 0; w < WRITES_PER_WRITER; w++)
    for (guint attempt = 0;; attempt++)
      {
        g_autoptr(GHashTable) pending = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                               NULL);
        guint n = (guint) g_rand_int_range (rand, 1, 4);
        guint new_ids = 0;
        gboolean ok = TRUE;

        if (!kl_server_store_begin (store, &error))
          {
            assert_retry (store, &error, attempt);
            continue;
          }
        for (guint i = 0; i < n && ok; i++)
          {
            g_autoptr(KlServerRecord) r = NULL;
            gint64 expected = 0;
            if (my_ids->len > 0 && g_rand_int_range (rand, 0, 3) == 0)
              {
                const char *id = g_ptr_array_index (my_ids,
                                                    g_rand_int_range (rand, 0, (gint32) my_ids->len));
                r = store->vtable->record_get (store, KL_SERVER_COLLECTION_SHIPMENTS, id, &error);
                g_assert_no_error (error);
                g_assert_nonnull (r);
                expected = r->revision;
              }
            else
              {
                g_autofree char *id = g_strdup_printf ("w%u-%u", t->index, created + new_ids++);
                r = record_new (KL_SERVER_COLLECTION_SHIPMENTS, id, id, "c1", NULL);
              }
            if (!store->vtable->record_put (store, r, expected, &error))
              ok = FALSE;
            else
              g_hash_table_insert (pending, g_strdup (r->id), GINT_TO_POINTER ((int) r->revision));
            if (g_rand_int_range (rand, 0, 2) == 0)
              g_usleep ((gulong) g_rand_int_range (rand, 0, 3000));
          }
        if (!ok || !kl_server_store_commit (store, &error))
          {
            assert_retry (store, &error, attempt);
            continue;
          }
        /* Committed: what it wrote is final unless written again. */
        {
          GHashTableIter iter;
          gpointer id, revision;
          g_hash_table_iter_init (&iter, pending);
          while (g_hash_table_iter_next (&iter, &id, &revision))
            {
              if (!g_hash_table_contains (mine, id))
                g_ptr_array_add (my_ids, g_strdup (id));
              g_hash_table_insert (mine, g_strdup (id), revision);
            }
          created += new_ids;
        }
        break;
      }

  g_mutex_lock (t->final_lock);
  {
    GHashTableIter iter;
    gpointer id, revision;
    g_hash_table_iter_init (&iter, mine);
    while (g_hash_table_iter_next (&iter, &id, &revision))
      g_hash_table_insert (t->final, g_strdup (id), revision);
  }
  g_mutex_unlock (t->final_lock);
  g_atomic_int_dec_and_test (t->writers_running);
  return NULL;
}

typedef struct {
  Fixture    *f;
  Gate       *gate;
  gint       *writers_running;
  guint      *expected_total;   /* set once all writers ended */
  GHashTable *seen;             /* out: id → last revision seen */
  guint       changes;          /* out: changes seen */
} PullerThread;

/* Pulls pages from the start, as a client would, until the writers have
 * ended and it has seen every record; checks the order as it goes. */
static gpointer
puller_thread (gpointer data)
{
  PullerThread *t = data;
  g_autoptr(KlServerStore) store = open_store (t->f->url);
  gint64 after = 0;
  gint64 deadline;

  gate_pass (t->gate);
  deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  for (;;)
    {
      gboolean writers_done = g_atomic_int_get (t->writers_running) == 0;
      gboolean has_more = FALSE;
      g_autoptr(GPtrArray) page = pull_ok (store, KL_SERVER_COLLECTION_SHIPMENTS, NULL, after,
                                           PULL_LIMIT, &has_more);
      for (guint i = 0; i < page->len; i++)
        {
          KlServerRecord *r = g_ptr_array_index (page, i);
          gint64 last = GPOINTER_TO_INT (g_hash_table_lookup (t->seen, r->id));
          /* In order, and each change once: a record comes back only with a
           * newer revision. */
          g_assert_cmpint (r->seq, >, after);
          g_assert_cmpint (r->revision, >, last);
          g_hash_table_insert (t->seen, g_strdup (r->id), GINT_TO_POINTER ((int) r->revision));
          after = r->seq;
          t->changes++;
        }
      if (page->len == 0 && !has_more && writers_done &&
          (gint) g_hash_table_size (t->seen) == g_atomic_int_get ((gint *) t->expected_total))
        break;
      if (g_get_monotonic_time () > deadline)
        g_error ("a puller saw %u of %u records after the writers ended",
                 g_hash_table_size (t->seen), g_atomic_int_get ((gint *) t->expected_total));
      if (page->len == 0)
        g_usleep (500);   /* polling, as a client would; not a wait for a condition */
    }
  return NULL;
}

static void
test_feed_concurrent (Fixture *f, gconstpointer data)
{
  WriterThread writers[WRITERS];
  PullerThread pullers[PULLERS];
  GThread *handles[WRITERS + PULLERS];
  g_autoptr(GHashTable) final = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GMutex final_lock;
  Gate gate;
  gint writers_running = WRITERS;
  guint expected_total = G_MAXINT;

  g_mutex_init (&final_lock);
  gate_init (&gate, WRITERS + PULLERS);
  for (guint i = 0; i < WRITERS; i++)
    {
      writers[i] = (WriterThread) { f, &gate, i, &writers_running, &final_lock, final };
      handles[i] = g_thread_new ("writer", writer_thread, &writers[i]);
    }
  for (guint i = 0; i < PULLERS; i++)
    {
      pullers[i] = (PullerThread) { f, &gate, &writers_running, &expected_total,
                                    g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL),
                                    0 };
      handles[WRITERS + i] = g_thread_new ("puller", puller_thread, &pullers[i]);
    }
  for (guint i = 0; i < WRITERS; i++)
    g_thread_join (handles[i]);
  g_atomic_int_set ((gint *) &expected_total, (gint) g_hash_table_size (final));
  for (guint i = 0; i < PULLERS; i++)
    g_thread_join (handles[WRITERS + i]);

  g_assert_cmpuint (g_hash_table_size (final), >=, WRITERS * WRITES_PER_WRITER);
  for (guint i = 0; i < PULLERS; i++)
    {
      GHashTableIter iter;
      gpointer id, revision;
      g_test_message ("puller %u saw %u changes of %u records", i, pullers[i].changes,
                      g_hash_table_size (final));
      g_assert_cmpuint (g_hash_table_size (pullers[i].seen), ==, g_hash_table_size (final));
      g_hash_table_iter_init (&iter, final);
      while (g_hash_table_iter_next (&iter, &id, &revision))
        g_assert_cmpint (GPOINTER_TO_INT (g_hash_table_lookup (pullers[i].seen, id)), ==,
                         GPOINTER_TO_INT (revision));
      g_hash_table_unref (pullers[i].seen);
    }
  gate_clear (&gate);
  g_mutex_clear (&final_lock);
}

static void
skip (gconstpointer reason)
{
  g_test_skip (reason);
}

int
main (int argc, char **argv)
{
  const char *which = g_getenv ("KEYLINE_TEST_STORE");

  g_test_init (&argc, &argv, NULL);

  if (which != NULL && (g_str_equal (which, "postgresql") ||
                        g_str_has_prefix (which, "postgresql://") ||
                        g_str_has_prefix (which, "postgres://")))
    {
      const char *url = g_str_equal (which, "postgresql") ? g_getenv ("KEYLINE_TEST_POSTGRES")
                                                          : which;
#ifndef KL_SERVER_HAVE_PG
      g_test_add_data_func ("/server-store/skipped",
                            "this build has no PostgreSQL backend (libpq was not found)", skip);
      return g_test_run ();
#endif
      if (url == NULL || *url == '\0')
        {
          if (postgresql_installed ())
            g_error ("KEYLINE_TEST_STORE=postgresql needs KEYLINE_TEST_POSTGRES; run the test "
                     "through build-aux/with-postgres.sh (meson test does)");
          g_test_add_data_func ("/server-store/skipped",
                                "PostgreSQL is not installed (build-aux/deps.sh test installs it)",
                                skip);
          return g_test_run ();
        }
      pg_base_url = g_strdup (url);
    }

#define ADD(path, func) \
  g_test_add ("/server-store/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("schema", test_schema);
  ADD ("open-concurrent", test_open_concurrent);
  ADD ("urls", test_urls);
  ADD ("users", test_users);
  ADD ("tokens", test_tokens);
  ADD ("records", test_records);
  ADD ("key-index", test_key_index);
  ADD ("pull", test_pull);
  ADD ("scope", test_scope);
  ADD ("touch-account", test_touch_account);
  ADD ("tombstones", test_tombstones);
  ADD ("idempotency", test_idempotency);
  ADD ("idempotency-concurrent", test_idempotency_concurrent);
  ADD ("numbers-concurrent", test_numbers_concurrent);
  ADD ("deadlock-retry", test_deadlock_retry);
  ADD ("reconnect", test_reconnect);
  ADD ("feed-concurrent", test_feed_concurrent);
#undef ADD

  return g_test_run ();
}
