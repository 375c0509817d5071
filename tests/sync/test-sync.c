/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The sync engine against a scripted back office (kl-fake-office): pulls,
 * pushes, every retry rule, 401, 410, 412 merges and true conflicts,
 * truncated and broken pages, resets and lost replies, refused pushes. */

#include "config.h"

#include <string.h>

#include "kl-agreement-store.h"
#include "kl-claim-store.h"
#include "kl-contact-store.h"
#include "kl-customer-store.h"
#include "kl-database-private.h"
#include "kl-fake-office.h"
#include "kl-import.h"
#include "kl-page-outcome.h"
#include "kl-shipment-store.h"
#include "kl-sync-decode.h"
#include "kl-sync-engine.h"
#include "kl-sync-store.h"
#include "kl-test-util.h"
#include "kl-workspace-check.h"

typedef struct {
  char         *dir;
  KlDatabase   *db;
  KlFakeOffice *office;
  KlSyncClient *client;
} Fixture;

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;

  f->dir = kl_test_make_tmp_dir ("keyline-sync-XXXXXX");
  path = g_build_filename (f->dir, "w.db", NULL);
  f->db = kl_test_create_workspace (path);
  f->office = kl_fake_office_new ();
  f->client = kl_sync_client_new (kl_fake_office_url (f->office), KL_FAKE_TOKEN, &error);
  g_assert_no_error (error);
  kl_sync_client_set_retry (f->client, 4, 1);
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  kl_sync_client_free (f->client);
  kl_fake_office_free (f->office);
  g_clear_object (&f->db);
  kl_test_remove_tree (f->dir);
  g_free (f->dir);
}

static gboolean
run_sync (Fixture *f, guint limit, KlSyncStats *stats, GError **error)
{
  KlSyncOptions options = { FALSE, FALSE, limit };

  return kl_sync_run (f->db, f->client, &options, NULL, NULL, stats, NULL, error);
}

static gint64
count (KlDatabase *db, const char *sql)
{
  sqlite3_stmt *stmt = kl_database_prepare (db, sql, NULL);
  gint64 n;

  g_assert_nonnull (stmt);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  n = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return n;
}

static void
assert_check_passes (KlDatabase *db)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) findings = kl_workspace_check (db, &error);

  g_assert_no_error (error);
  for (guint i = 0; i < findings->len; i++)
    g_printerr ("finding: %s\n", ((KlWorkspaceFinding *) g_ptr_array_index (findings, i))->message);
  g_assert_cmpuint (findings->len, ==, 0);
}

/* A customer made here, as the window would. */
static char *
local_customer (KlDatabase *db, const char *code, const char *name)
{
  g_autoptr(KlCustomer) c = kl_customer_new ();
  g_autoptr(GError) error = NULL;

  c->code = g_strdup (code);
  c->name = g_strdup (name);
  g_assert_true (kl_customer_store_save (db, c, KL_ORIGIN_LOCAL, NULL, &error));
  g_assert_no_error (error);
  return g_strdup (c->id);
}

static void
local_edit (KlDatabase *db, const char *id, const char *name, const char *region)
{
  g_autoptr(KlCustomer) c = kl_customer_store_get (db, id, NULL);
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (c);
  if (name)
    g_free (c->name), c->name = g_strdup (name);
  if (region)
    g_free (c->region), c->region = g_strdup (region);
  g_assert_true (kl_customer_store_save (db, c, KL_ORIGIN_LOCAL, NULL, &error));
  g_assert_no_error (error);
}

static char *
local_field (KlDatabase *db, const char *id, const char *field)
{
  g_autoptr(KlCustomer) c = kl_customer_store_get (db, id, NULL);

  g_assert_nonnull (c);
  if (g_str_equal (field, "name"))
    return g_strdup (c->name);
  if (g_str_equal (field, "region"))
    return g_strdup (c->region);
  g_assert_not_reached ();
}

static void
test_time (void)
{
  gint64 t;

  g_assert_true (kl_sync_parse_time ("2026-10-01T08:00:00+08:00", &t));
  g_assert_cmpint (t, ==, kl_test_unix_time ("2026-10-01T00:00:00Z"));
  g_assert_true (kl_sync_parse_time ("2026-10-01T00:00:00.123Z", &t));
  g_assert_cmpint (t, ==, kl_test_unix_time ("2026-10-01T00:00:00Z"));
  g_assert_false (kl_sync_parse_time ("2026-10-01T00:00:00", &t));
  g_assert_false (kl_sync_parse_time ("2026-02-30T00:00:00Z", &t));
  g_assert_false (kl_sync_parse_time ("2026-10-01 garbage", &t));
}

static void
test_url (void)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (kl_sync_url_check ("https://backoffice.example.com", NULL));
  g_assert_true (kl_sync_url_check ("http://127.0.0.1:8080", NULL));
  g_assert_true (kl_sync_url_check ("http://localhost:8080", NULL));
  g_assert_true (kl_sync_url_check ("http://[::1]:8080", NULL));
  g_assert_false (kl_sync_url_check ("http://backoffice.example.com", &error));
  g_assert_error (error, KL_SYNC_ERROR, KL_SYNC_ERROR_URL);
}

static void
test_pull (Fixture *f, gconstpointer data)
{
  g_autofree char *a = kl_fake_office_add_customer (f->office, "ACME", "Acme 上海");
  g_autofree char *b = kl_fake_office_add_customer (f->office, "BETA", "Beta");
  g_autoptr(GError) error = NULL;
  KlSyncStats stats;
  g_autofree char *ua = NULL;

  kl_fake_office_set (f->office, "customers", a, "contacts",
                      "[{\"name\": \"张伟\", \"role\": \"logistics\", \"phone\": \"138\", \"email\": null, \"primary\": true}]");
  kl_fake_office_set (f->office, "customers", a, "agreement",
                      "{\"effective_from\": \"2026-01-01\", \"effective_to\": null, \"targets\": {\"otif_rate\": 0.95},"
                      " \"dispatch_grace_min\": 30, \"delivery_grace_min\": 60, \"claim_ack_days\": 30, \"claim_resolve_days\": 120}");
  kl_fake_office_add_shipments (f->office, a, 40, "SF");
  kl_fake_office_add_shipments (f->office, b, 13, "YT");

  g_assert_true (run_sync (f, 7, &stats, &error));
  g_assert_no_error (error);
  g_assert_cmpint (stats.pulled, ==, 2 + 53);
  g_assert_cmpint (stats.pushed, ==, 0);
  g_assert_cmpint (stats.conflicts, ==, 0);
  g_assert_cmpint (count (f->db, "SELECT count(*) FROM customers"), ==, 2);
  g_assert_cmpint (count (f->db, "SELECT count(*) FROM shipments"), ==, 53);
  g_assert_cmpint (count (f->db, "SELECT count(*) FROM contacts"), ==, 1);
  g_assert_cmpint (count (f->db, "SELECT count(*) FROM agreements"), ==, 1);
  g_assert_cmpint (count (f->db, "SELECT count(*) FROM outbox"), ==, 0);
  g_assert_cmpint (count (f->db, "SELECT sum(shipments) FROM rollup_month"), ==, 53);
  ua = kl_fake_office_user_agent (f->office);
  g_assert_cmpstr (ua, ==, "Keyline/" PACKAGE_VERSION);
  assert_check_passes (f->db);

  /* Up to date: nothing more. */
  g_assert_true (run_sync (f, 7, &stats, &error));
  g_assert_cmpint (stats.pulled, ==, 0);

  /* A change and a tombstone. */
  kl_fake_office_set (f->office, "customers", b, "name", "\"Beta Logistics\"");
  kl_fake_office_delete (f->office, "customers", a);
  g_assert_true (run_sync (f, 7, &stats, &error));
  g_assert_no_error (error);
  g_assert_cmpint (stats.pulled, ==, 2);
  g_assert_cmpint (count (f->db, "SELECT count(*) FROM customers WHERE deleted = 0"), ==, 1);
  g_assert_cmpint (count (f->db, "SELECT count(*) FROM customers WHERE name = 'Beta Logistics'"), ==, 1);
  g_assert_cmpint (count (f->db, "SELECT count(*) FROM outbox"), ==, 0);
}

static void
test_retries (Fixture *f, gconstpointer data)
{
  g_autofree char *a = kl_fake_office_add_customer (f->office, "ACME", "Acme");
  g_autoptr(GError) error = NULL;
  KlSyncStats stats;
  const guint statuses[] = { 408, 429, 500, 502, 503, 504 };

  /* Each retried status once, then a reset: each request gets through on a
   * later attempt. */
  for (guint i = 0; i < G_N_ELEMENTS (statuses); i++)
    kl_fake_office_fault (f->office, "GET", "/v1/customers", KL_FAULT_STATUS, statuses[i], 0, 1);
  kl_fake_office_fault (f->office, "GET", "/v1/shipments", KL_FAULT_RESET, 0, -1, 2);
  kl_sync_client_set_retry (f->client, 8, 1);
  g_assert_true (run_sync (f, 0, &stats, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count (f->db, "SELECT count(*) FROM customers"), ==, 1);
  g_assert_cmpuint (kl_fake_office_requests (f->office, "GET", "/v1/customers"), ==, 7);
  g_assert_cmpuint (kl_fake_office_requests (f->office, "GET", "/v1/shipments"), ==, 3);
}

static void
test_retry_after (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  KlSyncStats stats;
  gint64 start;

  /* 429 with Retry-After: 1 → the next attempt no sooner than a second. */
  kl_fake_office_fault (f->office, "GET", "/v1/customers", KL_FAULT_STATUS, 429, 1, 1);
  start = g_get_monotonic_time ();
  g_assert_true (run_sync (f, 0, &stats, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_get_monotonic_time () - start, >=, G_USEC_PER_SEC);
}

static void
test_give_up (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  KlSyncStats stats;

  /* 503 every time: busy (exit 75). */
  kl_fake_office_fault (f->office, "GET", "/v1/customers", KL_FAULT_STATUS, 503, 0, 4);
  g_assert_false (run_sync (f, 0, &stats, &error));
  g_assert_error (error, KL_SYNC_ERROR, KL_SYNC_ERROR_BUSY);
  g_assert_cmpuint (kl_fake_office_requests (f->office, "GET", "/v1/customers"), ==, 4);
  g_clear_error (&error);

  /* 500 every time: unavailable (exit 69). */
  kl_fake_office_fault (f->office, "GET", "/v1/customers", KL_FAULT_STATUS, 500, -1, 4);
  g_assert_false (run_sync (f, 0, &stats, &error));
  g_assert_error (error, KL_SYNC_ERROR, KL_SYNC_ERROR_UNAVAILABLE);
  g_clear_error (&error);

  /* resets every time: unavailable too. */
  kl_fake_office_fault (f->office, "GET", "/v1/customers", KL_FAULT_RESET, 0, -1, 100);
  g_assert_false (run_sync (f, 0, &stats, &error));
  g_assert_error (error, KL_SYNC_ERROR, KL_SYNC_ERROR_UNAVAILABLE);
  g_clear_error (&error);
  {
    guint before;

    kl_fake_office_free (f->office);
    f->office = kl_fake_office_new ();
    kl_sync_client_free (f->client);
    f->client = kl_sync_client_new (kl_fake_office_url (f->office), KL_FAKE_TOKEN, &error);
    g_assert_no_error (error);
    kl_sync_client_set_retry (f->client, 4, 1);
    before = kl_fake_office_requests (f->office, "GET", "/v1/customers");

    /* 400 is never retried unchanged. */
    kl_fake_office_fault (f->office, "GET", "/v1/customers", KL_FAULT_STATUS, 400, -1, 1);
    g_assert_false (run_sync (f, 0, &stats, &error));
    g_assert_error (error, KL_SYNC_ERROR, KL_SYNC_ERROR_REFUSED);
    g_assert_cmpuint (kl_fake_office_requests (f->office, "GET", "/v1/customers"), ==, before + 1);
  }
}

static void
test_unauthorized (Fixture *f, gconstpointer data)
{
  g_autoptr(KlSyncClient) wrong = kl_sync_client_new (kl_fake_office_url (f->office), "not-the-token", NULL);
  g_autoptr(GError) error = NULL;
  KlSyncOptions options = { FALSE, FALSE, 0 };
  KlSyncStats stats;

  g_assert_false (kl_sync_run (f->db, wrong, &options, NULL, NULL, &stats, NULL, &error));
  g_assert_error (error, KL_SYNC_ERROR, KL_SYNC_ERROR_AUTH);
  g_assert_null (strstr (error->message, "not-the-token"));
  /* 401 stops at once: no retries. */
  g_assert_cmpuint (kl_fake_office_requests (f->office, "GET", "/v1/customers"), ==, 1);
}

static void
test_truncated (Fixture *f, gconstpointer data)
{
  g_autofree char *a = kl_fake_office_add_customer (f->office, "ACME", "Acme");
  g_autoptr(GError) error = NULL;
  KlSyncStats stats;

  kl_fake_office_add_shipments (f->office, a, 30, "SF");
  /* Once: retried, and all arrives. */
  kl_fake_office_fault (f->office, "GET", "/v1/shipments", KL_FAULT_TRUNCATE, 0, -1, 1);
  g_assert_true (run_sync (f, 10, &stats, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count (f->db, "SELECT count(*) FROM shipments"), ==, 30);

  /* Always: exit 65, and nothing of the page applied. */
  kl_fake_office_add_shipments (f->office, a, 5, "ZT");
  kl_fake_office_fault (f->office, "GET", "/v1/shipments", KL_FAULT_TRUNCATE, 0, -1, 10);
  g_assert_false (run_sync (f, 10, &stats, &error));
  g_assert_error (error, KL_SYNC_ERROR, KL_SYNC_ERROR_DATA);
  g_assert_cmpint (count (f->db, "SELECT count(*) FROM shipments"), ==, 30);
  assert_check_passes (f->db);
}

static void
test_schema_break (Fixture *f, gconstpointer data)
{
  g_autofree char *a = kl_fake_office_add_customer (f->office, "ACME", "Acme");
  g_autoptr(GError) error = NULL;
  g_autofree char *cursor = NULL;
  KlSyncStats stats;

  kl_fake_office_add_shipments (f->office, a, 10, "SF");
  g_assert_true (run_sync (f, 4, &stats, &error));
  g_assert_no_error (error);
  cursor = kl_sync_store_get_cursor (f->db, "shipments");

  kl_fake_office_add_shipments (f->office, a, 6, "YT");
  kl_fake_office_break_field (f->office, "pieces", "\"seven\"");
  g_assert_false (run_sync (f, 4, &stats, &error));
  g_assert_error (error, KL_SYNC_ERROR, KL_SYNC_ERROR_DATA);
  g_assert_nonnull (strstr (error->message, "shipments"));
  g_assert_nonnull (strstr (error->message, "“pieces”"));
  /* nothing of the broken page, and the cursor where it was */
  g_assert_cmpint (count (f->db, "SELECT count(*) FROM shipments"), ==, 10);
  {
    g_autofree char *now = kl_sync_store_get_cursor (f->db, "shipments");

    g_assert_cmpstr (now, ==, cursor);
  }
  /* the next sync gets it all */
  g_clear_error (&error);
  g_assert_true (run_sync (f, 4, &stats, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count (f->db, "SELECT count(*) FROM shipments"), ==, 16);
  assert_check_passes (f->db);
}

static void
test_expired_cursor (Fixture *f, gconstpointer data)
{
  g_autofree char *a = kl_fake_office_add_customer (f->office, "ACME", "Acme");
  g_autofree char *b = kl_fake_office_add_customer (f->office, "BETA", "Beta");
  g_autofree char *c = kl_fake_office_add_customer (f->office, "GAMMA", "Gamma");
  g_autoptr(GError) error = NULL;
  g_autofree char *mine = NULL;
  g_autofree char *name = NULL;
  KlSyncStats stats;

  g_assert_true (run_sync (f, 2, &stats, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count (f->db, "SELECT count(*) FROM customers WHERE deleted = 0"), ==, 3);

  /* Offline: an edit here; there C vanishes without a tombstone, and the
   * cursor expires. */
  kl_fake_office_fault (f->office, "PATCH", "/v1/customers", KL_FAULT_RESET, 0, -1, 100);
  local_edit (f->db, b, "Beta (edited here)", NULL);
  kl_fake_office_purge (f->office, "customers", c);
  kl_fake_office_expire_cursors (f->office);
  kl_sync_client_set_retry (f->client, 2, 1);
  g_assert_false (run_sync (f, 2, &stats, &error));
  g_assert_error (error, KL_SYNC_ERROR, KL_SYNC_ERROR_UNAVAILABLE);
  g_clear_error (&error);

  /* pull only: 410, then from scratch */
  {
    KlSyncOptions options = { FALSE, TRUE, 2 };

    g_assert_true (kl_sync_run (f->db, f->client, &options, NULL, NULL, &stats, NULL, &error));
    g_assert_no_error (error);
  }
  g_assert_cmpuint (kl_fake_office_requests (f->office, "GET", "/v1/customers"), >=, 3);
  /* C is gone here too, B keeps the unpushed edit, A stays */
  g_assert_cmpint (count (f->db, "SELECT count(*) FROM customers WHERE deleted = 0"), ==, 2);
  name = local_field (f->db, b, "name");
  g_assert_cmpstr (name, ==, "Beta (edited here)");
  g_assert_true (kl_sync_record_unpushed (f->db, "customers", b));
  (void) mine;
  (void) a;
}

static void
test_push_create_lost_reply (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = local_customer (f->db, "NEW1", "A prospect");
  g_autofree char *server_id = NULL;
  KlSyncStats stats;

  /* The server creates it, and the reply is lost; the retry carries the
   * same Idempotency-Key. */
  kl_fake_office_fault (f->office, "POST", "/v1/customers", KL_FAULT_LOST, 0, -1, 1);
  g_assert_true (run_sync (f, 0, &stats, &error));
  g_assert_no_error (error);
  g_assert_cmpint (stats.pushed, ==, 1);
  g_assert_cmpuint (kl_fake_office_requests (f->office, "POST", "/v1/customers"), ==, 2);
  g_assert_cmpuint (kl_fake_office_count (f->office, "customers", TRUE), ==, 1);
  server_id = kl_fake_office_find_code (f->office, "NEW1");
  g_assert_nonnull (server_id);
  /* one local record, mapped to the server's, nothing waiting */
  g_assert_cmpint (count (f->db, "SELECT count(*) FROM customers"), ==, 1);
  g_assert_cmpint (count (f->db, "SELECT count(*) FROM outbox"), ==, 0);
  {
    g_autoptr(KlSyncRecord) rec = kl_sync_store_record_by_local (f->db, "customers", id, &error);

    g_assert_nonnull (rec);
    g_assert_cmpstr (rec->server_id, ==, server_id);
  }

  /* A failed create keeps its key across syncs. */
  {
    g_autofree char *id2 = local_customer (f->db, "NEW2", "Another");
    g_autofree char *key = kl_sync_store_outbox_create_key (f->db, "customers", id2);

    kl_fake_office_fault (f->office, "POST", "/v1/customers", KL_FAULT_LOST, 0, -1, 10);
    kl_sync_client_set_retry (f->client, 2, 1);
    g_assert_false (run_sync (f, 0, &stats, &error));
    g_clear_error (&error);
    {
      g_autofree char *again = kl_sync_store_outbox_create_key (f->db, "customers", id2);

      g_assert_cmpstr (again, ==, key);
    }
    kl_sync_client_set_retry (f->client, 10, 1);
    g_assert_true (run_sync (f, 0, &stats, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (kl_fake_office_count (f->office, "customers", TRUE), ==, 2);
    g_assert_cmpint (count (f->db, "SELECT count(*) FROM customers"), ==, 2);
  }
}

static void
test_push_adopt_by_code (Fixture *f, gconstpointer data)
{
  g_autofree char *there = kl_fake_office_add_customer (f->office, "ACME", "Acme Ltd");
  g_autofree char *here = local_customer (f->db, "ACME", "Acme Ltd");
  g_autoptr(GError) error = NULL;
  KlSyncStats stats;

  /* POST answers 409 with the record: ours becomes it (same values, so no
   * conflict), and the pull that follows adds nothing. */
  g_assert_true (run_sync (f, 0, &stats, &error));
  g_assert_no_error (error);
  g_assert_cmpint (stats.pushed, ==, 1);
  g_assert_cmpint (stats.conflicts, ==, 0);
  g_assert_cmpint (count (f->db, "SELECT count(*) FROM customers"), ==, 1);
  g_assert_cmpuint (kl_fake_office_count (f->office, "customers", TRUE), ==, 1);
  {
    g_autoptr(KlSyncRecord) rec = kl_sync_store_record_by_local (f->db, "customers", here, &error);

    g_assert_nonnull (rec);
    g_assert_cmpstr (rec->server_id, ==, there);
  }
}

static void
test_pull_matches_code (Fixture *f, gconstpointer data)
{
  g_autofree char *here = NULL;
  g_autofree char *there = kl_fake_office_add_customer (f->office, "ACME", "Acme Ltd");
  g_autoptr(GError) error = NULL;
  KlSyncStats stats;

  /* A customer imported from CSV before the first sync, edited here. */
  here = local_customer (f->db, "ACME", "Acme (local name)");
  g_assert_true (kl_sync_store_outbox_drop_after (f->db, NULL, 0, NULL));
  local_edit (f->db, here, NULL, "华东");
  {
    KlSyncOptions options = { FALSE, TRUE, 0 };

    g_assert_true (kl_sync_run (f->db, f->client, &options, NULL, NULL, &stats, NULL, &error));
    g_assert_no_error (error);
  }
  g_assert_cmpint (count (f->db, "SELECT count(*) FROM customers"), ==, 1);
  /* the name differs and was changed here: a conflict; the local copy shows
   * the local value until it is resolved */
  g_assert_cmpint (stats.conflicts, ==, 1);
  {
    g_autofree char *name = local_field (f->db, here, "name");

    g_assert_cmpstr (name, ==, "Acme (local name)");
  }
  g_assert_true (kl_sync_resolve (f->db, "ACME", FALSE, NULL, &error));
  g_assert_no_error (error);
  {
    g_autofree char *name = local_field (f->db, here, "name");

    g_assert_cmpstr (name, ==, "Acme Ltd");
  }
  g_assert_cmpint (kl_sync_store_conflict_count (f->db), ==, 0);
  (void) there;
}

/* Shipments pulled match stored ones: one imported from a file before the
 * first sync is found by its waybill (and takes the server's id), one whose
 * waybill the server changed is found by its id; new ones come in beside
 * them. Nothing is stored twice. */
static void
test_pull_matches_shipments (Fixture *f, gconstpointer data)
{
  g_autofree char *there = kl_fake_office_add_customer (f->office, "ACME", "Acme");
  g_autofree char *here = local_customer (f->db, "ACME", "Acme");
  g_autoptr(GBytes) csv = NULL;
  g_autoptr(KlImportResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *uuid = NULL;
  KlSyncStats stats;

  /* three on the server, imported here from a file first */
  kl_fake_office_add_shipments (f->office, there, 3, "MW");
  csv = kl_fake_office_shipments_csv (f->office, "ACME");
  result = kl_import_run (f->db, KL_IMPORT_SHIPMENTS, "before.csv", csv, KL_IMPORT_FLAGS_NONE, NULL, NULL, NULL,
                          &error);
  g_assert_no_error (error);
  g_assert_cmpuint (result->n_new, ==, 3);
  g_assert_true (kl_sync_store_outbox_drop_after (f->db, NULL, 0, NULL));
  /* and two new ones after them */
  kl_fake_office_add_shipments (f->office, there, 2, "MX");
  g_assert_true (run_sync (f, 2, &stats, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count (f->db, "SELECT count(*) FROM shipments"), ==, 5);
  g_assert_cmpint (count (f->db, "SELECT count(*) FROM shipments WHERE uuid IS NULL"), ==, 0);
  g_assert_cmpint (count (f->db, "SELECT count(DISTINCT uuid) FROM shipments"), ==, 5);

  /* the server renames a waybill: the same row takes it */
  {
    sqlite3_stmt *stmt = kl_database_prepare (f->db, "SELECT uuid FROM shipments WHERE waybill = 'MW000001'", NULL);

    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
    uuid = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
    sqlite3_reset (stmt);   /* the database's cached statement */
  }
  kl_fake_office_set (f->office, "shipments", uuid, "waybill", "\"MW000001-R\"");
  kl_fake_office_add_shipments (f->office, there, 1, "MY");
  g_assert_true (run_sync (f, 0, &stats, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count (f->db, "SELECT count(*) FROM shipments"), ==, 6);
  g_assert_cmpint (count (f->db, "SELECT count(*) FROM shipments WHERE waybill = 'MW000001'"), ==, 0);
  {
    g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM shipments WHERE waybill = 'MW000001-R' "
                                            "AND uuid = '%s'", uuid);

    g_assert_cmpint (count (f->db, sql), ==, 1);
  }
  assert_check_passes (f->db);
  (void) here;
}

static void
pull_one (Fixture *f, char **out_server, char **out_local)
{
  g_autoptr(GError) error = NULL;
  KlSyncStats stats;
  g_autoptr(KlSyncRecord) rec = NULL;

  *out_server = kl_fake_office_add_customer (f->office, "ACME", "Acme");
  g_assert_true (run_sync (f, 0, &stats, &error));
  g_assert_no_error (error);
  rec = kl_sync_store_record_by_server (f->db, "customers", *out_server, &error);
  g_assert_nonnull (rec);
  *out_local = g_strdup (rec->local_id);
}

static void
test_push_412_merge (Fixture *f, gconstpointer data)
{
  g_autofree char *sid = NULL, *lid = NULL;
  g_autoptr(GError) error = NULL;
  KlSyncStats stats;

  pull_one (f, &sid, &lid);
  /* here the name, there the region: both go through, no one is asked */
  local_edit (f->db, lid, "Acme Shanghai", NULL);
  kl_fake_office_set (f->office, "customers", sid, "region", "\"华南\"");
  g_assert_true (run_sync (f, 0, &stats, &error));
  g_assert_no_error (error);
  g_assert_cmpint (stats.conflicts, ==, 0);
  g_assert_cmpint (stats.pushed, ==, 1);
  {
    g_autofree char *name = kl_fake_office_get (f->office, "customers", sid, "name");
    g_autofree char *region = local_field (f->db, lid, "region");

    g_assert_cmpstr (name, ==, "\"Acme Shanghai\"");
    g_assert_cmpstr (region, ==, "华南");
  }
  g_assert_cmpint (count (f->db, "SELECT count(*) FROM outbox"), ==, 0);
  g_assert_cmpuint (kl_fake_office_requests (f->office, "PATCH", "/v1/customers"), ==, 2);
}

static void
test_push_412_lost_reply (Fixture *f, gconstpointer data)
{
  g_autofree char *sid = NULL, *lid = NULL;
  g_autoptr(GError) error = NULL;
  KlSyncStats stats;

  pull_one (f, &sid, &lid);
  local_edit (f->db, lid, "Acme Shanghai", NULL);
  /* the PATCH is applied and its reply lost; the retry meets 412 whose
   * current already holds our value: a success */
  kl_fake_office_fault (f->office, "PATCH", "/v1/customers", KL_FAULT_LOST, 0, -1, 1);
  g_assert_true (run_sync (f, 0, &stats, &error));
  g_assert_no_error (error);
  g_assert_cmpint (stats.conflicts, ==, 0);
  g_assert_cmpint (stats.pushed, ==, 1);
  g_assert_cmpint (count (f->db, "SELECT count(*) FROM outbox"), ==, 0);
}

static void
test_push_412_conflict (Fixture *f, gconstpointer data)
{
  g_autofree char *sid = NULL, *lid = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) conflicts = NULL;
  KlSyncConflictInfo *info;
  KlSyncStats stats;

  pull_one (f, &sid, &lid);
  local_edit (f->db, lid, "Acme (ours)", "华东");
  kl_fake_office_set (f->office, "customers", sid, "name", "\"Acme (theirs)\"");
  g_assert_true (run_sync (f, 0, &stats, &error));
  g_assert_no_error (error);
  g_assert_cmpint (stats.conflicts, ==, 1);
  g_assert_cmpint (stats.pushed, ==, 0);
  {
    g_autofree char *name = local_field (f->db, lid, "name");

    g_assert_cmpstr (name, ==, "Acme (ours)");
  }
  conflicts = kl_sync_conflicts (f->db, &error);
  g_assert_cmpuint (conflicts->len, ==, 1);
  info = g_ptr_array_index (conflicts, 0);
  g_assert_cmpstr (info->kind, ==, "customer");
  g_assert_cmpstr (info->code_or_number, ==, "ACME");
  g_assert_cmpstr (info->reason, ==, "conflict");
  g_assert_cmpuint (info->fields->len, ==, 1);
  g_assert_cmpstr (((KlSyncConflictField *) g_ptr_array_index (info->fields, 0))->field, ==, "name");
  g_assert_cmpstr (((KlSyncConflictField *) g_ptr_array_index (info->fields, 0))->local, ==, "\"Acme (ours)\"");
  g_assert_cmpstr (((KlSyncConflictField *) g_ptr_array_index (info->fields, 0))->server, ==, "\"Acme (theirs)\"");

  /* held: another sync does not push it, nor drop it */
  g_assert_true (run_sync (f, 0, &stats, &error));
  g_assert_cmpint (stats.conflicts, ==, 1);

  /* keep mine: pushed over the server's revision at the next sync */
  g_assert_true (kl_sync_resolve (f->db, lid, TRUE, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (run_sync (f, 0, &stats, &error));
  g_assert_no_error (error);
  g_assert_cmpint (stats.conflicts, ==, 0);
  {
    g_autofree char *name = kl_fake_office_get (f->office, "customers", sid, "name");
    g_autofree char *region = kl_fake_office_get (f->office, "customers", sid, "region");

    g_assert_cmpstr (name, ==, "\"Acme (ours)\"");
    g_assert_cmpstr (region, ==, "\"华东\"");
  }
  g_assert_cmpint (count (f->db, "SELECT count(*) FROM outbox"), ==, 0);

  /* and take theirs */
  local_edit (f->db, lid, "Acme (ours again)", NULL);
  kl_fake_office_set (f->office, "customers", sid, "name", "\"Acme (theirs again)\"");
  g_assert_true (run_sync (f, 0, &stats, &error));
  g_assert_cmpint (stats.conflicts, ==, 1);
  g_assert_true (kl_sync_resolve (f->db, "ACME", FALSE, NULL, &error));
  g_assert_no_error (error);
  {
    g_autofree char *name = local_field (f->db, lid, "name");

    g_assert_cmpstr (name, ==, "Acme (theirs again)");
  }
  g_assert_true (run_sync (f, 0, &stats, &error));
  g_assert_cmpint (stats.conflicts, ==, 0);
  g_assert_cmpint (count (f->db, "SELECT count(*) FROM outbox"), ==, 0);
  assert_check_passes (f->db);
}

static void
test_push_refused (Fixture *f, gconstpointer data)
{
  g_autofree char *a = kl_fake_office_add_customer (f->office, "A", "A");
  g_autofree char *b = kl_fake_office_add_customer (f->office, "B", "B");
  g_autofree char *c = kl_fake_office_add_customer (f->office, "C", "C");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) conflicts = NULL;
  KlSyncStats stats;

  g_assert_true (run_sync (f, 0, &stats, &error));
  /* A is gone there (404), B's change is refused (422), C goes through */
  local_edit (f->db, a, "A2", NULL);
  local_edit (f->db, b, "B2", NULL);
  local_edit (f->db, c, "C2", NULL);
  kl_fake_office_fault (f->office, "PATCH", "/v1/customers/", KL_FAULT_STATUS, 404, -1, 1);
  kl_fake_office_fault (f->office, "PATCH", "/v1/customers/", KL_FAULT_STATUS, 422, -1, 1);
  g_assert_true (run_sync (f, 0, &stats, &error));
  g_assert_no_error (error);
  g_assert_cmpint (stats.pushed, ==, 1);
  g_assert_cmpint (stats.conflicts, ==, 2);
  {
    g_autofree char *name = kl_fake_office_get (f->office, "customers", c, "name");

    g_assert_cmpstr (name, ==, "\"C2\"");
  }
  conflicts = kl_sync_conflicts (f->db, &error);
  g_assert_cmpuint (conflicts->len, ==, 2);
  for (guint i = 0; i < conflicts->len; i++)
    {
      KlSyncConflictInfo *info = g_ptr_array_index (conflicts, i);

      g_assert_cmpstr (info->reason, ==, g_str_equal (info->code_or_number, "A") ? "gone" : "refused");
      g_assert_true (g_str_equal (info->code_or_number, "A") || g_str_equal (info->code_or_number, "B"));
      g_assert_nonnull (strstr (info->detail, g_str_equal (info->code_or_number, "A") ? "404" : "422"));
    }
  /* not retried unchanged */
  g_assert_true (run_sync (f, 0, &stats, &error));
  g_assert_cmpuint (kl_fake_office_requests (f->office, "PATCH", "/v1/customers"), ==, 3);
  /* the local edits wait, not lost */
  {
    g_autofree char *name = local_field (f->db, a, "name");

    g_assert_cmpstr (name, ==, "A2");
  }
}

static void
test_push_delete (Fixture *f, gconstpointer data)
{
  g_autofree char *sid = NULL, *lid = NULL;
  g_autoptr(GError) error = NULL;
  KlSyncStats stats;

  pull_one (f, &sid, &lid);
  /* removed here: {"deleted": true}, and the tombstone that follows */
  g_assert_true (kl_customer_store_delete (f->db, lid, &error));
  g_assert_no_error (error);
  g_assert_true (run_sync (f, 0, &stats, &error));
  g_assert_no_error (error);
  g_assert_cmpint (stats.pushed, >=, 1);
  {
    g_autofree char *deleted = kl_fake_office_get (f->office, "customers", sid, "deleted");

    g_assert_cmpstr (deleted, ==, "true");
  }
  g_assert_cmpint (count (f->db, "SELECT count(*) FROM customers WHERE deleted = 1"), ==, 1);
  g_assert_cmpint (count (f->db, "SELECT count(*) FROM outbox"), ==, 0);
  g_assert_cmpint (stats.conflicts, ==, 0);
}

static void
test_local_only_fields (Fixture *f, gconstpointer data)
{
  g_autofree char *sid = NULL, *lid = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(KlCustomer) c = NULL;
  KlSyncStats stats;

  pull_one (f, &sid, &lid);
  /* the address and report language are the workbench's own: the API
   * cannot carry them, and their entries do not pile up */
  c = kl_customer_store_get (f->db, lid, NULL);
  g_free (c->address);
  c->address = g_strdup ("上海市");
  g_assert_true (kl_customer_store_save (f->db, c, KL_ORIGIN_LOCAL, NULL, &error));
  g_assert_cmpint (count (f->db, "SELECT count(*) FROM outbox"), ==, 1);
  g_assert_true (run_sync (f, 0, &stats, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count (f->db, "SELECT count(*) FROM outbox"), ==, 0);
  g_assert_cmpuint (kl_fake_office_requests (f->office, "PATCH", "/v1/customers"), ==, 0);
}

static void
test_full (Fixture *f, gconstpointer data)
{
  g_autofree char *a = kl_fake_office_add_customer (f->office, "ACME", "Acme");
  g_autofree char *b = kl_fake_office_add_customer (f->office, "BETA", "Beta");
  g_autoptr(GError) error = NULL;
  KlSyncStats stats;
  KlSyncOptions options = { TRUE, FALSE, 5 };

  kl_fake_office_add_shipments (f->office, a, 12, "SF");
  g_assert_true (run_sync (f, 5, &stats, &error));
  g_assert_no_error (error);
  /* B vanishes without a tombstone: only a full pull can tell */
  kl_fake_office_purge (f->office, "customers", b);
  g_assert_true (run_sync (f, 5, &stats, &error));
  g_assert_cmpint (count (f->db, "SELECT count(*) FROM customers WHERE deleted = 0"), ==, 2);
  g_assert_true (kl_sync_run (f->db, f->client, &options, NULL, NULL, &stats, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (stats.pulled, ==, 1);
  g_assert_cmpint (count (f->db, "SELECT count(*) FROM customers WHERE deleted = 0"), ==, 1);
  g_assert_cmpint (count (f->db, "SELECT count(*) FROM shipments"), ==, 12);
  g_assert_cmpint (count (f->db, "SELECT count(*) FROM sync_full_seen"), ==, 0);
  assert_check_passes (f->db);
}

static void
test_claims (Fixture *f, gconstpointer data)
{
  g_autofree char *a = kl_fake_office_add_customer (f->office, "ACME", "Acme");
  g_autofree char *claim = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(KlClaim) c = NULL;
  KlSyncStats stats;

  kl_fake_office_add_shipments (f->office, a, 3, "SF");
  claim = kl_fake_office_add_claim (f->office, a, "CLM-2026-000042");
  g_assert_true (run_sync (f, 0, &stats, &error));
  g_assert_no_error (error);
  g_assert_cmpint (stats.pulled, ==, 1 + 1 + 3);
  c = kl_claim_store_get (f->db, "CLM-2026-000042", 0, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (c->id, ==, claim);
  g_assert_cmpint (c->status, ==, KL_CLAIM_STATUS_ACKNOWLEDGED);
  g_assert_cmpint (count (f->db, "SELECT count(*) FROM claim_history"), ==, 3);
  g_assert_cmpint (count (f->db, "SELECT count(*) FROM claim_notes WHERE visibility = 'client'"), ==, 1);
  g_assert_cmpint (count (f->db, "SELECT claimed_minor FROM claims"), ==, 80000);
  g_assert_cmpint (count (f->db, "SELECT count(*) FROM outbox"), ==, 0);
  assert_check_passes (f->db);

  /* a move there: appended, the chain still whole; then a tombstone */
  kl_fake_office_set (f->office, "claims", claim, "status", "\"investigating\"");
  kl_fake_office_set (f->office, "claims", claim, "history",
                      "[{\"at\": \"2026-10-05T09:00:00+08:00\", \"by\": \"wang.li\", \"change\": \"created\", \"field\": \"status\", \"from\": null, \"to\": \"filed\"},"
                      "{\"at\": \"2026-10-06T10:00:00+08:00\", \"by\": \"wang.li\", \"change\": \"moved\", \"field\": \"status\", \"from\": \"filed\", \"to\": \"acknowledged\"},"
                      "{\"at\": \"2026-10-06T10:01:00+08:00\", \"by\": \"wang.li\", \"change\": \"document\", \"field\": \"photos\", \"from\": false, \"to\": true},"
                      "{\"at\": \"2026-10-08T10:00:00+08:00\", \"by\": \"li.na\", \"change\": \"moved\", \"field\": \"status\", \"from\": \"acknowledged\", \"to\": \"investigating\"}]");
  g_assert_true (run_sync (f, 0, &stats, &error));
  g_assert_no_error (error);
  g_assert_cmpint (stats.pulled, ==, 1);
  g_assert_cmpint (count (f->db, "SELECT count(*) FROM claim_history"), ==, 4);
  g_assert_cmpint (count (f->db, "SELECT count(*) FROM claims WHERE status = 'investigating'"), ==, 1);
  assert_check_passes (f->db);
  kl_fake_office_delete (f->office, "claims", claim);
  g_assert_true (run_sync (f, 0, &stats, &error));
  g_assert_cmpint (stats.pulled, ==, 1);
  g_assert_cmpint (count (f->db, "SELECT count(*) FROM claims WHERE deleted = 1"), ==, 1);
}

static int
compare_lines_sort (gconstpointer a, gconstpointer b)
{
  return g_strcmp0 (*(char * const *) a, *(char * const *) b);
}

static guint
server_notes (KlFakeOffice *office, const char *claim)
{
  g_autofree char *text = kl_fake_office_get (office, "claims", claim, "notes");
  g_autoptr(JsonNode) node = json_from_string (text, NULL);

  g_assert_true (JSON_NODE_HOLDS_ARRAY (node));
  return json_array_get_length (json_node_get_array (node));
}

static void
test_claims_push (Fixture *f, gconstpointer data)
{
  g_autofree char *sid = NULL, *lid = NULL;
  g_autofree char *claim = NULL, *server_claim = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(KlClaim) c = NULL;
  KlClaimNew input = KL_CLAIM_NEW_INIT;
  KlClaimMove move = KL_CLAIM_MOVE_INIT;
  g_autofree char *provisional = NULL;
  KlSyncStats stats;

  pull_one (f, &sid, &lid);
  /* opened offline, and acknowledged before the network came back */
  input.customer_id = lid;
  input.kind = KL_CLAIM_KIND_DAMAGE;
  input.waybill = "SF1";
  input.claimed_set = TRUE;
  input.claimed = 50000;
  input.currency = "CNY";
  input.note = "Opened on the phone";
  claim = kl_claim_store_create (f->db, &input, &error);
  g_assert_no_error (error);
  c = kl_claim_store_get (f->db, claim, 0, &error);
  provisional = g_strdup (c->number);
  g_clear_pointer (&c, kl_claim_free);
  move.to = KL_CLAIM_STATUS_ACKNOWLEDGED;
  g_assert_true (kl_claim_store_move (f->db, claim, &move, &error));
  g_assert_no_error (error);

  /* the create's reply is lost once: the retry gets the first result */
  kl_fake_office_fault (f->office, "POST", "/v1/claims", KL_FAULT_LOST, 0, -1, 1);
  g_assert_true (run_sync (f, 0, &stats, &error));
  g_assert_no_error (error);
  g_assert_cmpint (stats.conflicts, ==, 0);
  g_assert_cmpint (stats.pushed, ==, 2);   /* the create and the move, as cli.md counts */
  g_assert_cmpuint (kl_fake_office_count (f->office, "claims", TRUE), ==, 1);
  g_assert_cmpuint (kl_fake_office_requests (f->office, "POST", "/v1/claims"), ==, 2);
  c = kl_claim_store_get (f->db, claim, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (c->number, !=, provisional);
  g_assert_true (g_str_has_prefix (c->number, "CLM-2026-9"));
  server_claim = kl_fake_office_find_number (f->office, c->number);
  g_assert_nonnull (server_claim);
  {
    g_autofree char *status = kl_fake_office_get (f->office, "claims", server_claim, "status");

    g_assert_cmpstr (status, ==, "\"acknowledged\"");
  }
  g_assert_cmpint (count (f->db, "SELECT count(*) FROM claims"), ==, 1);
  g_assert_cmpint (count (f->db, "SELECT count(*) FROM outbox"), ==, 0);
  /* the opening's note went as the create's note, once; it came back as
   * the case's first note */
  {
    g_autofree char *notes = kl_fake_office_get (f->office, "claims", server_claim, "notes");

    g_assert_nonnull (strstr (notes, "\"Opened on the phone\""));
    g_assert_cmpuint (server_notes (f->office, server_claim), ==, 1);
    g_assert_cmpint (count (f->db, "SELECT count(*) FROM claim_notes WHERE text = 'Opened on the phone'"), ==, 1);
  }
  assert_check_passes (f->db);

  /* the owner here, the owner there: a conflict, kept; take theirs */
  {
    KlClaimUpdate update = KL_CLAIM_UPDATE_INIT;

    update.owner_set = TRUE;
    update.owner = "Zhang Wei";
    g_assert_true (kl_claim_store_update (f->db, claim, &update, &error));
    g_assert_no_error (error);
  }
  kl_fake_office_set (f->office, "claims", server_claim, "owner", "\"Li Na\"");
  g_assert_true (run_sync (f, 0, &stats, &error));
  g_assert_no_error (error);
  g_assert_cmpint (stats.conflicts, ==, 1);
  g_assert_true (kl_sync_resolve (f->db, claim, FALSE, NULL, &error));
  g_assert_no_error (error);
  g_clear_pointer (&c, kl_claim_free);
  c = kl_claim_store_get (f->db, claim, 0, &error);
  g_assert_cmpstr (c->owner, ==, "Li Na");
  g_assert_true (run_sync (f, 0, &stats, &error));
  g_assert_cmpint (stats.conflicts, ==, 0);
  g_assert_cmpint (count (f->db, "SELECT count(*) FROM outbox"), ==, 0);
  assert_check_passes (f->db);
}

/* A pulled claim with local changes not yet pushed is merged by field
 * (api.yaml): a field changed only there is taken, one changed only here
 * kept and pushed, and only a field changed on both sides is a conflict. */
static void
test_claims_merge_pull (Fixture *f, gconstpointer data)
{
  g_autofree char *a = kl_fake_office_add_customer (f->office, "ACME", "Acme");
  g_autofree char *claim = kl_fake_office_add_claim (f->office, a, "CLM-2026-000042");
  g_autoptr(GError) error = NULL;
  g_autoptr(KlClaim) c = NULL;
  g_autoptr(GPtrArray) conflicts = NULL;
  KlSyncOptions pull_only = { FALSE, TRUE, 0 };
  KlClaimUpdate update = KL_CLAIM_UPDATE_INIT;
  KlSyncConflictInfo *info;
  KlSyncStats stats;

  g_assert_true (run_sync (f, 0, &stats, &error));
  g_assert_no_error (error);
  /* here: the owner and the root cause; there: the corrective action and
   * the root cause */
  update.owner_set = TRUE;
  update.owner = "Zhang Wei";
  update.root_cause_set = TRUE;
  update.root_cause = "Forklift";
  g_assert_true (kl_claim_store_update (f->db, claim, &update, &error));
  g_assert_no_error (error);
  kl_fake_office_set (f->office, "claims", claim, "corrective_action", "\"Retrain the crew\"");
  kl_fake_office_set (f->office, "claims", claim, "root_cause", "\"Rain\"");

  g_assert_true (kl_sync_run (f->db, f->client, &pull_only, NULL, NULL, &stats, NULL, &error));
  g_assert_no_error (error);
  c = kl_claim_store_get (f->db, claim, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (c->corrective_action, ==, "Retrain the crew");   /* theirs, taken */
  g_assert_cmpstr (c->owner, ==, "Zhang Wei");                     /* mine, kept */
  g_assert_cmpstr (c->root_cause, ==, "Forklift");                 /* both: mine shown */
  g_assert_cmpint (stats.conflicts, ==, 1);
  conflicts = kl_sync_conflicts (f->db, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (conflicts->len, ==, 1);
  info = g_ptr_array_index (conflicts, 0);
  g_assert_cmpstr (info->kind, ==, "claim");
  g_assert_cmpstr (info->reason, ==, "conflict");
  g_assert_cmpuint (info->fields->len, ==, 1);
  g_assert_cmpstr (((KlSyncConflictField *) g_ptr_array_index (info->fields, 0))->field, ==, "root_cause");
  g_assert_true (kl_sync_record_unpushed (f->db, "claims", claim));
  assert_check_passes (f->db);

  /* kept mine: pushed over the server's revision, the owner with it */
  g_assert_true (kl_sync_resolve (f->db, claim, TRUE, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (run_sync (f, 0, &stats, &error));
  g_assert_no_error (error);
  g_assert_cmpint (stats.conflicts, ==, 0);
  {
    g_autofree char *owner = kl_fake_office_get (f->office, "claims", claim, "owner");
    g_autofree char *cause = kl_fake_office_get (f->office, "claims", claim, "root_cause");
    g_autofree char *action = kl_fake_office_get (f->office, "claims", claim, "corrective_action");

    g_assert_cmpstr (owner, ==, "\"Zhang Wei\"");
    g_assert_cmpstr (cause, ==, "\"Forklift\"");
    g_assert_cmpstr (action, ==, "\"Retrain the crew\"");
  }
  g_assert_cmpint (count (f->db, "SELECT count(*) FROM outbox"), ==, 0);
  g_assert_false (kl_sync_record_unpushed (f->db, "claims", claim));

  /* only other fields changed there: merged on the pull, no conflict, and
   * the local change goes in one patch on the new revision */
  {
    KlClaimUpdate owner = KL_CLAIM_UPDATE_INIT;
    guint patches = kl_fake_office_requests (f->office, "PATCH", "/v1/claims");

    owner.owner_set = TRUE;
    owner.owner = "Li Na";
    g_assert_true (kl_claim_store_update (f->db, claim, &owner, &error));
    g_assert_no_error (error);
    kl_fake_office_set (f->office, "claims", claim, "corrective_action", "\"New pallets\"");
    g_assert_true (kl_sync_run (f->db, f->client, &pull_only, NULL, NULL, &stats, NULL, &error));
    g_assert_no_error (error);
    g_assert_cmpint (stats.conflicts, ==, 0);
    g_assert_true (run_sync (f, 0, &stats, &error));
    g_assert_no_error (error);
    g_assert_cmpint (stats.conflicts, ==, 0);
    g_assert_cmpuint (kl_fake_office_requests (f->office, "PATCH", "/v1/claims"), ==, patches + 1);
    g_clear_pointer (&c, kl_claim_free);
    c = kl_claim_store_get (f->db, claim, 0, &error);
    g_assert_cmpstr (c->owner, ==, "Li Na");
    g_assert_cmpstr (c->corrective_action, ==, "New pallets");
    {
      g_autofree char *server_owner = kl_fake_office_get (f->office, "claims", claim, "owner");

      g_assert_cmpstr (server_owner, ==, "\"Li Na\"");
    }
  }
  assert_check_passes (f->db);
}

/* Notes written here go one per patch (api.yaml's `note`), never twice,
 * and a note the server added meanwhile is not hidden by ours. */
static void
test_claims_notes_push (Fixture *f, gconstpointer data)
{
  g_autofree char *a = kl_fake_office_add_customer (f->office, "ACME", "Acme");
  g_autofree char *claim = kl_fake_office_add_claim (f->office, a, "CLM-2026-000042");
  g_autoptr(GError) error = NULL;
  KlSyncStats stats;
  guint patches;

  g_assert_true (run_sync (f, 0, &stats, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (server_notes (f->office, claim), ==, 1);
  g_assert_cmpint (count (f->db, "SELECT count(*) FROM claim_notes"), ==, 1);

  g_assert_true (kl_claim_store_add_note (f->db, claim, KL_CLAIM_NOTE_INTERNAL, "Photos received", NULL,
                                          KL_NO_TIME, &error));
  g_assert_true (kl_claim_store_add_note (f->db, claim, KL_CLAIM_NOTE_CLIENT, "We will call you back", NULL,
                                          KL_NO_TIME, &error));
  g_assert_no_error (error);
  g_assert_true (kl_sync_record_unpushed (f->db, "claims", claim));
  g_assert_true (run_sync (f, 0, &stats, &error));
  g_assert_no_error (error);
  g_assert_cmpint (stats.conflicts, ==, 0);
  g_assert_cmpint (stats.pushed, ==, 2);   /* two entries, two patches */
  g_assert_cmpuint (server_notes (f->office, claim), ==, 3);
  g_assert_cmpint (count (f->db, "SELECT count(*) FROM claim_notes"), ==, 3);
  g_assert_cmpint (count (f->db, "SELECT count(*) FROM outbox"), ==, 0);
  {
    g_autofree char *notes = kl_fake_office_get (f->office, "claims", claim, "notes");

    g_assert_nonnull (strstr (notes, "\"Photos received\""));
    g_assert_nonnull (strstr (notes, "\"We will call you back\""));
    g_assert_nonnull (strstr (notes, "\"internal\""));
  }

  /* nothing more to send: no request, no duplicate */
  patches = kl_fake_office_requests (f->office, "PATCH", "/v1/claims");
  g_assert_true (run_sync (f, 0, &stats, &error));
  g_assert_cmpuint (kl_fake_office_requests (f->office, "PATCH", "/v1/claims"), ==, patches);
  g_assert_cmpuint (server_notes (f->office, claim), ==, 3);
  g_assert_cmpint (count (f->db, "SELECT count(*) FROM claim_notes"), ==, 3);

  /* a note there and one here at the same time: both end up on both sides */
  {
    g_autofree char *notes = kl_fake_office_get (f->office, "claims", claim, "notes");
    g_autoptr(JsonNode) node = json_from_string (notes, NULL);
    JsonObject *extra = json_object_new ();
    g_autofree char *text = NULL;

    json_object_set_string_member (extra, "at", "2026-10-09T09:00:00+08:00");
    json_object_set_string_member (extra, "by", "li.na");
    json_object_set_string_member (extra, "text", "The carrier replied");
    json_object_set_string_member (extra, "visibility", "internal");
    json_array_add_object_element (json_node_get_array (node), extra);
    text = json_to_string (node, FALSE);
    kl_fake_office_set (f->office, "claims", claim, "notes", text);
  }
  g_assert_true (kl_claim_store_add_note (f->db, claim, KL_CLAIM_NOTE_INTERNAL, "Escalated", NULL,
                                          KL_NO_TIME, &error));
  g_assert_no_error (error);
  g_assert_true (run_sync (f, 0, &stats, &error));
  g_assert_no_error (error);
  g_assert_cmpint (stats.conflicts, ==, 0);
  g_assert_cmpuint (server_notes (f->office, claim), ==, 5);
  g_assert_cmpint (count (f->db, "SELECT count(*) FROM claim_notes"), ==, 5);
  g_assert_cmpint (count (f->db, "SELECT count(*) FROM claim_notes WHERE text = 'The carrier replied'"), ==, 1);
  g_assert_cmpint (count (f->db, "SELECT count(*) FROM claim_notes WHERE text = 'Escalated'"), ==, 1);
  g_assert_cmpint (count (f->db, "SELECT count(*) FROM outbox"), ==, 0);

  /* the patch's reply lost: the retry meets a 412 whose record holds the
   * note already, a success; the note is there once */
  g_assert_true (kl_claim_store_add_note (f->db, claim, KL_CLAIM_NOTE_CLIENT, "Paid next week", NULL,
                                          KL_NO_TIME, &error));
  g_assert_no_error (error);
  kl_fake_office_fault (f->office, "PATCH", "/v1/claims", KL_FAULT_LOST, 0, -1, 1);
  patches = kl_fake_office_requests (f->office, "PATCH", "/v1/claims");
  g_assert_true (run_sync (f, 0, &stats, &error));
  g_assert_no_error (error);
  g_assert_cmpint (stats.conflicts, ==, 0);
  g_assert_cmpuint (kl_fake_office_requests (f->office, "PATCH", "/v1/claims"), ==, patches + 2);
  g_assert_cmpuint (server_notes (f->office, claim), ==, 6);
  g_assert_cmpint (count (f->db, "SELECT count(*) FROM claim_notes"), ==, 6);
  g_assert_cmpint (count (f->db, "SELECT count(*) FROM outbox"), ==, 0);
  assert_check_passes (f->db);
}

/* The server's history of a claim: how many entries (the api.yaml history
 * array's length). */
static guint
server_history (KlFakeOffice *office, const char *claim)
{
  g_autofree char *text = kl_fake_office_get (office, "claims", claim, "history");
  g_autoptr(JsonNode) node = json_from_string (text, NULL);

  g_assert_true (JSON_NODE_HOLDS_ARRAY (node));
  return json_array_get_length (json_node_get_array (node));
}

static gint64
history_count (KlDatabase *db, const char *claim, const char *where)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM claim_history WHERE claim_id = '%s'%s%s", claim,
                                          where ? " AND " : "", where ? where : "");

  return count (db, sql);
}

/* A claim's history is matched entry by entry (api.yaml gives an entry no
 * id: when, who, the change, the field, from and to say which it is), never
 * by count: a full re-pull, a history the server sends in another order,
 * entries added on both sides between two syncs, and a lost reply neither
 * duplicate nor lose an entry; a change made here comes back as the
 * server's record of it and is not written twice. */
static void
test_claims_history (Fixture *f, gconstpointer data)
{
  g_autofree char *a = kl_fake_office_add_customer (f->office, "ACME", "Acme");
  g_autofree char *claim = kl_fake_office_add_claim (f->office, a, "CLM-2026-000042");
  g_autoptr(GError) error = NULL;
  KlSyncOptions full = { TRUE, FALSE, 0 };
  KlSyncStats stats;

  g_assert_true (run_sync (f, 0, &stats, &error));
  g_assert_no_error (error);
  g_assert_cmpint (history_count (f->db, claim, NULL), ==, 3);

  /* pulled again from scratch: nothing twice */
  g_assert_true (kl_sync_run (f->db, f->client, &full, NULL, NULL, &stats, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (history_count (f->db, claim, NULL), ==, 3);

  /* the server sends its history in another order, with one entry more:
   * that one only is added */
  kl_fake_office_set (f->office, "claims", claim, "history",
                      "[{\"at\": \"2026-10-06T10:01:00+08:00\", \"by\": \"wang.li\", \"change\": \"document\", \"field\": \"photos\", \"from\": false, \"to\": true},"
                      "{\"at\": \"2026-10-07T11:00:00+08:00\", \"by\": \"li.na\", \"change\": \"document\", \"field\": \"bill_of_lading\", \"from\": false, \"to\": true},"
                      "{\"at\": \"2026-10-05T09:00:00+08:00\", \"by\": \"wang.li\", \"change\": \"created\", \"field\": \"status\", \"from\": null, \"to\": \"filed\"},"
                      "{\"at\": \"2026-10-06T10:00:00+08:00\", \"by\": \"wang.li\", \"change\": \"moved\", \"field\": \"status\", \"from\": \"filed\", \"to\": \"acknowledged\"}]");
  kl_fake_office_set (f->office, "claims", claim, "documents", "{\"photos\": true, \"bill_of_lading\": true}");
  g_assert_true (run_sync (f, 0, &stats, &error));
  g_assert_no_error (error);
  g_assert_cmpint (history_count (f->db, claim, NULL), ==, 4);
  g_assert_cmpint (history_count (f->db, claim, "by = 'li.na' AND field = 'document:bill_of_lading'"), ==, 1);
  assert_check_passes (f->db);

  /* Offline on both sides: a move here, and there an owner changed by
   * someone else with its entry. The push meets a 412, takes theirs in and
   * goes again; the server's record of our move is not a second move. */
  {
    KlClaimMove move = KL_CLAIM_MOVE_INIT;

    move.to = KL_CLAIM_STATUS_INVESTIGATING;
    g_assert_true (kl_claim_store_move (f->db, claim, &move, &error));
    g_assert_no_error (error);
  }
  kl_fake_office_set (f->office, "claims", claim, "owner", "\"Li Na\"");
  kl_fake_office_append (f->office, "claims", claim, "history",
                         "{\"at\": \"2026-10-08T09:00:00+08:00\", \"by\": \"li.na\", \"change\": \"field\", "
                         "\"field\": \"owner\", \"from\": \"Wang Li\", \"to\": \"Li Na\"}");
  g_assert_true (run_sync (f, 0, &stats, &error));
  g_assert_no_error (error);
  g_assert_cmpint (stats.conflicts, ==, 0);
  {
    g_autofree char *status = kl_fake_office_get (f->office, "claims", claim, "status");

    g_assert_cmpstr (status, ==, "\"investigating\"");
  }
  g_assert_cmpuint (server_history (f->office, claim), ==, 6);
  g_assert_cmpint (history_count (f->db, claim, NULL), ==, 6);
  g_assert_cmpint (history_count (f->db, claim, "change = 'moved' AND new_value = 'investigating'"), ==, 1);
  g_assert_cmpint (history_count (f->db, claim, "by = 'li.na' AND field = 'owner'"), ==, 1);
  /* and again from scratch: still once each */
  g_assert_true (kl_sync_run (f->db, f->client, &full, NULL, NULL, &stats, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (history_count (f->db, claim, NULL), ==, 6);
  assert_check_passes (f->db);

  /* A field changed here (the server records it too) while a document is
   * added there; then a move whose reply is lost: the retry meets a 412
   * that already holds it, and the history holds everything once. */
  {
    KlClaimUpdate update = KL_CLAIM_UPDATE_INIT;

    update.root_cause_set = TRUE;
    update.root_cause = "Forklift";
    g_assert_true (kl_claim_store_update (f->db, claim, &update, &error));
    g_assert_no_error (error);
  }
  kl_fake_office_append (f->office, "claims", claim, "history",
                         "{\"at\": \"2026-10-09T09:00:00+08:00\", \"by\": \"li.na\", \"change\": \"document\", "
                         "\"field\": \"invoice\", \"from\": false, \"to\": true}");
  kl_fake_office_set (f->office, "claims", claim, "documents",
                      "{\"photos\": true, \"bill_of_lading\": true, \"invoice\": true}");
  g_assert_true (run_sync (f, 0, &stats, &error));
  g_assert_no_error (error);
  g_assert_cmpint (stats.conflicts, ==, 0);
  g_assert_cmpuint (server_history (f->office, claim), ==, 8);
  g_assert_cmpint (history_count (f->db, claim, NULL), ==, 8);
  g_assert_cmpint (history_count (f->db, claim, "field = 'root_cause'"), ==, 1);
  g_assert_cmpint (history_count (f->db, claim, "field = 'document:invoice'"), ==, 1);
  {
    KlClaimMove move = KL_CLAIM_MOVE_INIT;

    move.to = KL_CLAIM_STATUS_DECLINED;
    move.reason = "Packed by the client";
    g_assert_true (kl_claim_store_move (f->db, claim, &move, &error));
    g_assert_no_error (error);
  }
  kl_fake_office_fault (f->office, "PATCH", "/v1/claims", KL_FAULT_LOST, 0, -1, 1);
  g_assert_true (run_sync (f, 0, &stats, &error));
  g_assert_no_error (error);
  g_assert_cmpint (stats.conflicts, ==, 0);
  g_assert_cmpuint (server_history (f->office, claim), ==, 9);
  g_assert_cmpint (history_count (f->db, claim, "change = 'moved' AND new_value = 'declined'"), ==, 1);
  g_assert_cmpint (history_count (f->db, claim, NULL), ==, 9);
  g_assert_cmpint (count (f->db, "SELECT count(*) FROM outbox"), ==, 0);
  assert_check_passes (f->db);
}

/* A claim's conflict resolved field by field (kl_sync_resolve () with
 * field_choices, as the window's Apply Choices does): the field taken from
 * the server is written here, the one kept is queued as one update over
 * the server's revision and goes as the only field of the next patch; a
 * field only the server changed is not pushed back. The same case
 * conflicting on a push (412) keeps what only the server changed too. */
static void
test_claims_resolve_fields (Fixture *f, gconstpointer data)
{
  g_autofree char *a = kl_fake_office_add_customer (f->office, "ACME", "Acme");
  g_autofree char *claim = kl_fake_office_add_claim (f->office, a, "CLM-2026-000042");
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) choices = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(KlClaim) c = NULL;
  KlSyncOptions pull_only = { FALSE, TRUE, 0 };
  KlClaimUpdate update = KL_CLAIM_UPDATE_INIT;
  KlSyncStats stats;
  g_autofree char *body = NULL, *if_match = NULL, *revision = NULL;

  g_assert_true (run_sync (f, 0, &stats, &error));
  g_assert_no_error (error);
  update.owner_set = TRUE;
  update.owner = "Zhang Wei";
  update.root_cause_set = TRUE;
  update.root_cause = "Forklift";
  g_assert_true (kl_claim_store_update (f->db, claim, &update, &error));
  g_assert_no_error (error);
  kl_fake_office_set (f->office, "claims", claim, "owner", "\"Li Na\"");
  kl_fake_office_set (f->office, "claims", claim, "root_cause", "\"Rain\"");
  kl_fake_office_set (f->office, "claims", claim, "corrective_action", "\"Retrain the crew\"");
  g_assert_true (kl_sync_run (f->db, f->client, &pull_only, NULL, NULL, &stats, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (stats.conflicts, ==, 1);

  /* theirs for the owner, mine for the root cause */
  g_hash_table_insert (choices, (gpointer) "owner", (gpointer) "server");
  g_hash_table_insert (choices, (gpointer) "root_cause", (gpointer) "local");
  g_assert_true (kl_sync_resolve (f->db, "CLM-2026-000042", TRUE, choices, &error));
  g_assert_no_error (error);
  c = kl_claim_store_get (f->db, claim, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (c->owner, ==, "Li Na");
  g_assert_cmpstr (c->root_cause, ==, "Forklift");
  g_assert_cmpstr (c->corrective_action, ==, "Retrain the crew");
  g_assert_cmpint (count (f->db, "SELECT count(*) FROM sync_conflicts"), ==, 0);
  revision = kl_fake_office_get (f->office, "claims", claim, "revision");
  g_assert_cmpint (count (f->db, "SELECT count(*) FROM outbox WHERE collection = 'claims' AND op = 'update'"), ==, 1);
  g_assert_cmpint (count (f->db, "SELECT base_revision FROM outbox WHERE collection = 'claims'"), ==,
                   g_ascii_strtoll (revision, NULL, 10));
  g_assert_true (kl_sync_record_unpushed (f->db, "claims", claim));
  g_assert_true (run_sync (f, 0, &stats, &error));
  g_assert_no_error (error);
  g_assert_cmpint (stats.conflicts, ==, 0);
  body = kl_fake_office_last_body (f->office, "PATCH", "/v1/claims", &if_match);
  g_assert_cmpstr (body, ==, "{\"root_cause\":\"Forklift\"}");
  {
    g_autofree char *want = g_strdup_printf ("\"%s\"", revision);

    g_assert_cmpstr (if_match, ==, want);
  }
  {
    g_autofree char *owner = kl_fake_office_get (f->office, "claims", claim, "owner");
    g_autofree char *cause = kl_fake_office_get (f->office, "claims", claim, "root_cause");

    g_assert_cmpstr (owner, ==, "\"Li Na\"");
    g_assert_cmpstr (cause, ==, "\"Forklift\"");
  }
  g_assert_cmpint (count (f->db, "SELECT count(*) FROM outbox"), ==, 0);
  assert_check_passes (f->db);

  /* on a push: the owner here and there (a conflict), the corrective
   * action only there; keeping mine pushes the owner only */
  update = (KlClaimUpdate) KL_CLAIM_UPDATE_INIT;
  update.owner_set = TRUE;
  update.owner = "Zhang Wei";
  g_assert_true (kl_claim_store_update (f->db, claim, &update, &error));
  g_assert_no_error (error);
  kl_fake_office_set (f->office, "claims", claim, "owner", "\"Wang Li\"");
  kl_fake_office_set (f->office, "claims", claim, "corrective_action", "\"New pallets\"");
  g_assert_true (run_sync (f, 0, &stats, &error));
  g_assert_no_error (error);
  g_assert_cmpint (stats.conflicts, ==, 1);
  g_clear_pointer (&c, kl_claim_free);
  c = kl_claim_store_get (f->db, claim, 0, &error);
  g_assert_cmpstr (c->owner, ==, "Zhang Wei");                     /* mine shown until decided */
  g_assert_cmpstr (c->corrective_action, ==, "New pallets");       /* theirs only: taken */
  g_assert_true (kl_sync_resolve (f->db, claim, TRUE, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (run_sync (f, 0, &stats, &error));
  g_assert_no_error (error);
  g_assert_cmpint (stats.conflicts, ==, 0);
  g_free (body);
  body = kl_fake_office_last_body (f->office, "PATCH", "/v1/claims", NULL);
  g_assert_cmpstr (body, ==, "{\"owner\":\"Zhang Wei\"}");
  {
    g_autofree char *owner = kl_fake_office_get (f->office, "claims", claim, "owner");
    g_autofree char *action = kl_fake_office_get (f->office, "claims", claim, "corrective_action");

    g_assert_cmpstr (owner, ==, "\"Zhang Wei\"");
    g_assert_cmpstr (action, ==, "\"New pallets\"");
  }
  g_assert_cmpint (count (f->db, "SELECT count(*) FROM outbox"), ==, 0);
  assert_check_passes (f->db);
}

/* Every rollup row, the customer named by code, sorted. */
static char *
rollups_dump (KlDatabase *db)
{
  static const char *const tables[] = { "rollup_month", "rollup_month_region", "rollup_month_mode" };
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);
  GString *out = g_string_new (NULL);

  for (guint t = 0; t < G_N_ELEMENTS (tables); t++)
    {
      g_autofree char *sql = g_strdup_printf ("SELECT c.code, r.* FROM %s r JOIN customers c ON c.id = r.customer_id",
                                              tables[t]);
      sqlite3_stmt *stmt = NULL;

      g_assert_cmpint (sqlite3_prepare_v2 (kl_database_get_handle (db), sql, -1, &stmt, NULL), ==, SQLITE_OK);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        {
          GString *line = g_string_new (tables[t]);

          for (int c = 0; c < sqlite3_column_count (stmt); c++)
            if (g_strcmp0 (sqlite3_column_name (stmt, c), "customer_id") != 0)
              g_string_append_printf (line, "|%s=%s", sqlite3_column_name (stmt, c),
                                      (const char *) sqlite3_column_text (stmt, c));
          g_ptr_array_add (lines, g_string_free (line, FALSE));
        }
      sqlite3_finalize (stmt);
    }
  g_ptr_array_sort (lines, compare_lines_sort);
  for (guint i = 0; i < lines->len; i++)
    g_string_append_printf (out, "%s\n", (const char *) g_ptr_array_index (lines, i));
  return g_string_free (out, FALSE);
}

static void
test_pull_equals_import (Fixture *f, gconstpointer data)
{
  g_autofree char *a = kl_fake_office_add_customer (f->office, "ACME", "Acme");
  g_autofree char *path = g_build_filename (f->dir, "imported.db", NULL);
  g_autoptr(KlDatabase) imported = kl_test_create_workspace (path);
  g_autofree char *local = kl_test_add_customer (imported, "ACME", "Acme");
  g_autoptr(GBytes) csv = NULL;
  g_autoptr(KlImportResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *pulled_dump = NULL, *imported_dump = NULL;
  KlSyncStats stats;

  /* The same 20 000 shipments: pulled, and imported from CSV. */
  kl_fake_office_add_shipments (f->office, a, 20000, "SF");
  g_assert_true (run_sync (f, 1000, &stats, &error));
  g_assert_no_error (error);
  g_assert_cmpint (stats.pulled, ==, 20001);
  csv = kl_fake_office_shipments_csv (f->office, "ACME");
  result = kl_import_run (imported, KL_IMPORT_SHIPMENTS, "same.csv", csv, KL_IMPORT_FLAGS_NONE, NULL, NULL, NULL,
                          &error);
  g_assert_no_error (error);
  g_assert_cmpuint (result->n_new, ==, 20000);

  pulled_dump = rollups_dump (f->db);
  imported_dump = rollups_dump (imported);
  g_assert_cmpuint (strlen (pulled_dump), >, 1000);
  g_assert_cmpstr (pulled_dump, ==, imported_dump);
  assert_check_passes (f->db);
  (void) local;
}

/* A shipments page is checked and decoded in one pass
 * (kl_sync_page_decode_shipments ()): every break of the schema is refused
 * with the message the record checker (kl_sync_check_record ()) or the
 * shipment decoder gives, naming the collection, the record and the field,
 * and the page comes back with nothing decoded. */
static void
test_decode_shipments_refused (void)
{
  static const char *good =
    "{\"id\": \"0b5c3a52-6a43-4c1e-9d7e-2f6c1f1d2a99\", \"revision\": 3, \"updated_at\": \"2026-01-01T00:00:00Z\", "
    "\"deleted\": false, \"waybill\": \"SF1\", \"customer_id\": \"0b5c3a52-6a43-4c1e-9d7e-2f6c1f1d2a11\", "
    "\"status\": \"delivered\", \"mode\": \"road_ltl\", \"origin_city\": \"上海\", \"origin_region\": \"华东\", "
    "\"dest_city\": \"广州\", \"dest_region\": null, \"pieces\": 4, \"weight_kg\": 12.5, \"volume_m3\": 1, "
    "\"planned_pickup_at\": \"2026-03-01T08:00:00+08:00\", \"picked_up_at\": \"2026-03-01T09:00:00+08:00\", "
    "\"planned_delivery_at\": \"2026-03-02T18:00:00+08:00\", \"delivered_at\": null, \"documents_ok\": true, "
    "\"order_accurate\": null, \"damaged_pieces\": 1, \"short_pieces\": 0, \"incident\": false, "
    "\"revenue\": {\"amount_minor\": 12000, \"currency\": \"CNY\"}}";
  /* member, replacement (NULL: removed) */
  static const char *breaks[][2] = {
    { "id", "\"not-a-uuid\"" }, { "id", NULL }, { "revision", "\"3\"" }, { "updated_at", "\"yesterday\"" },
    { "deleted", "0" }, { "deleted", NULL }, { "waybill", "7" }, { "waybill", NULL }, { "customer_id", "\"x\"" },
    { "status", "\"lost\"" }, { "status", NULL }, { "mode", "\"boat\"" }, { "origin_city", "1" },
    { "dest_region", "[]" }, { "pieces", "\"seven\"" }, { "pieces", "4.5" }, { "pieces", NULL },
    { "weight_kg", "\"12\"" }, { "volume_m3", "true" }, { "planned_pickup_at", "\"2026-03-01\"" },
    { "planned_pickup_at", "null" }, { "planned_pickup_at", NULL }, { "picked_up_at", "\"2026-02-30T08:00:00Z\"" },
    { "planned_delivery_at", "5" }, { "delivered_at", "\"2026-03-02 18:00\"" }, { "documents_ok", "\"yes\"" },
    { "order_accurate", "1" }, { "damaged_pieces", "null" }, { "short_pieces", "1.5" }, { "incident", "null" },
    { "revenue", "12000" }, { "revenue", "{\"amount_minor\": 1.5, \"currency\": \"CNY\"}" },
    { "revenue", "{\"amount_minor\": 1, \"currency\": \"cny\"}" },
  };
  g_autoptr(JsonParser) item_parser = json_parser_new ();
  JsonObject *proto;

  g_assert_true (json_parser_load_from_data (item_parser, good, -1, NULL));
  proto = json_node_get_object (json_parser_get_root (item_parser));
  for (guint i = 0; i < G_N_ELEMENTS (breaks); i++)
    {
      g_autoptr(JsonParser) item_copy = json_parser_new ();   /* json_node_copy () shares the object */
      JsonNode *item;
      JsonObject *o;
      g_autoptr(JsonNode) root = json_node_new (JSON_NODE_OBJECT);
      g_autoptr(JsonObject) page_object = json_object_new ();
      JsonArray *items = json_array_new ();
      g_autoptr(KlSyncPage) page = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(GError) expected = NULL;
      g_autofree char *field = g_strdup_printf ("“%s”", breaks[i][0]);

      g_assert_true (json_parser_load_from_data (item_copy, good, -1, NULL));
      item = json_parser_get_root (item_copy);
      o = json_node_get_object (item);
      json_object_remove_member (o, breaks[i][0]);
      if (breaks[i][1] != NULL)
        {
          g_autoptr(JsonParser) value = json_parser_new ();

          g_assert_true (json_parser_load_from_data (value, breaks[i][1], -1, NULL));
          json_object_set_member (o, breaks[i][0], json_node_copy (json_parser_get_root (value)));
        }
      /* a good record first: the whole page is refused all the same */
      json_array_add_element (items, json_node_init_object (json_node_alloc (), proto));
      json_array_add_element (items, json_node_ref (item));
      json_object_set_array_member (page_object, "items", items);
      json_object_set_string_member (page_object, "next_cursor", "2");
      json_object_set_boolean_member (page_object, "has_more", FALSE);
      json_node_set_object (root, page_object);

      page = kl_sync_decode_page (root, "shipments", &error);
      g_assert_no_error (error);
      g_assert_false (kl_sync_page_decode_shipments (page, &error));
      g_assert_error (error, KL_SYNC_ERROR, KL_SYNC_ERROR_DATA);
      g_assert_null (page->shipments);
      g_assert_nonnull (strstr (error->message, "shipments"));
      g_assert_nonnull (strstr (error->message, field));
      if (g_strcmp0 (breaks[i][0], "id") != 0)
        g_assert_nonnull (strstr (error->message, "0b5c3a52-6a43-4c1e-9d7e-2f6c1f1d2a99"));
      /* the same message as the record checker's, or the decoder's */
      if (kl_sync_check_record (o, "shipments", &expected))
        {
          g_autoptr(KlShipment) s = kl_shipment_new ();

          g_assert_false (kl_sync_decode_shipment (o, s, &expected));
        }
      g_assert_cmpstr (error->message, ==, expected->message);
      /* and the page read from its text says the same */
      {
        g_autofree char *text = json_to_string (root, FALSE);
        KlSyncPageRead read = { NULL, NULL };
        g_autoptr(GError) syntax = NULL;

        g_assert_true (kl_sync_page_read_shipments (text, strlen (text), &read, &syntax));
        g_assert_no_error (syntax);
        g_assert_null (read.page);
        g_assert_error (read.error, KL_SYNC_ERROR, KL_SYNC_ERROR_DATA);
        g_assert_cmpstr (read.error->message, ==, error->message);
        kl_sync_page_read_clear (&read);
      }
    }

  /* and the good record decodes, a tombstone too */
  {
    g_autoptr(JsonParser) parser = json_parser_new ();
    g_autofree char *text = g_strdup_printf ("{\"items\": [%s, {\"id\": \"0b5c3a52-6a43-4c1e-9d7e-2f6c1f1d2a98\", "
                                             "\"revision\": 2, \"updated_at\": \"2026-01-02T00:00:00Z\", "
                                             "\"deleted\": true}], \"next_cursor\": \"9\", \"has_more\": true}", good);
    g_autoptr(KlSyncPage) page = NULL;
    g_autoptr(GError) error = NULL;
    g_autoptr(KlShipment) want = kl_shipment_new ();
    KlSyncShipment *got;

    g_assert_true (json_parser_load_from_data (parser, text, -1, NULL));
    page = kl_sync_decode_page (json_parser_get_root (parser), "shipments", &error);
    g_assert_no_error (error);
    g_assert_true (kl_sync_page_decode_shipments (page, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (page->shipments->len, ==, 2);
    g_assert_true (kl_sync_decode_shipment (proto, want, &error));
    got = &g_array_index (page->shipments, KlSyncShipment, 0);
    g_assert_false (got->deleted);
    g_assert_cmpstr (got->shipment->id, ==, want->id);
    g_assert_cmpstr (got->shipment->waybill, ==, "SF1");
    g_assert_cmpstr (got->shipment->customer_id, ==, want->customer_id);
    g_assert_cmpint (got->shipment->status, ==, want->status);
    g_assert_cmpint (got->shipment->mode, ==, want->mode);
    g_assert_cmpstr (got->shipment->origin_city, ==, "上海");
    g_assert_null (got->shipment->dest_region);
    g_assert_cmpint (got->shipment->pieces, ==, 4);
    g_assert_cmpint (got->shipment->weight_g, ==, 12500);
    g_assert_cmpint (got->shipment->volume_cm3, ==, 1000000);
    g_assert_cmpint (got->shipment->planned_pickup_at, ==, want->planned_pickup_at);
    g_assert_cmpint (got->shipment->picked_up_at, ==, want->picked_up_at);
    g_assert_cmpint (got->shipment->planned_delivery_at, ==, want->planned_delivery_at);
    g_assert_cmpint (got->shipment->delivered_at, ==, KL_NO_TIME);
    g_assert_cmpint (got->shipment->documents_ok, ==, KL_TRI_TRUE);
    g_assert_cmpint (got->shipment->order_accurate, ==, KL_TRI_UNKNOWN);
    g_assert_cmpint (got->shipment->damaged_pieces, ==, 1);
    g_assert_cmpint (got->shipment->revenue_minor, ==, 12000);
    g_assert_cmpstr (got->shipment->currency, ==, "CNY");
    g_assert_cmpint (got->shipment->revision, ==, 3);
    g_assert_cmpint (got->shipment->updated_at, ==, want->updated_at);
    got = &g_array_index (page->shipments, KlSyncShipment, 1);
    g_assert_true (got->deleted);
    g_assert_cmpstr (got->shipment->id, ==, "0b5c3a52-6a43-4c1e-9d7e-2f6c1f1d2a98");
    g_assert_cmpstr (page->next_cursor, ==, "9");
    g_assert_true (page->has_more);
  }
}

/* The sync reads a shipments page as it scans its text
 * (kl_sync_page_read_shipments ()), not through json-glib's tree: on pages
 * that are fine, broken, cut short or odd in ways JSON allows, it comes to
 * exactly what the tree path comes to (the same shipments field for field,
 * the same refusal word for word, a retry where the client retries). */
static void
test_decode_shipments_read (void)
{
#define ID1 "\"id\": \"0b5c3a52-6a43-4c1e-9d7e-2f6c1f1d2a99\""
#define REC1 ID1 ", \"revision\": 3, \"updated_at\": \"2026-01-01T00:00:00Z\", \"deleted\": false"
#define BODY "\"waybill\": \"SF1\", \"customer_id\": \"0b5c3a52-6a43-4c1e-9d7e-2f6c1f1d2a11\", " \
  "\"status\": \"in_transit\", \"pieces\": 4, \"planned_pickup_at\": \"2026-03-01T08:00:00+08:00\", " \
  "\"planned_delivery_at\": \"2026-03-02T18:00:00.250+08:00\""
#define TOMB "{\"id\": \"0b5c3a52-6a43-4c1e-9d7e-2f6c1f1d2a98\", \"revision\": 2, " \
  "\"updated_at\": \"2026-01-02T00:00:00Z\", \"deleted\": true}"
#define TAIL "], \"next_cursor\": \"9\", \"has_more\": true}"
  static const char *const pages[] = {
    /* fine, in all kinds of shapes */
    "{\"items\": [{" REC1 ", " BODY "}, " TOMB TAIL,
    "{\"items\": [], \"next_cursor\": \"\", \"has_more\": false}",
    "{\"has_more\": false, \"next_cursor\": \"x\\\"y\", \"items\": [{" BODY ", " REC1 "}]}",
    "{\"items\": [{" REC1 ", " BODY ", \"origin_city\": \"\\u4e0a\\u6d77\", \"dest_city\": \"a\\\\b\\n\", "
    "\"weight_kg\": 1.25e1, \"volume_m3\": -0.5, \"mode\": null, \"documents_ok\": false, "
    "\"order_accurate\": true, \"incident\": true, \"damaged_pieces\": -2, \"short_pieces\": 0, "
    "\"revenue\": null, \"delivered_at\": \"2026-03-02T10:00:00Z\", \"picked_up_at\": null}" TAIL,
    "{\"items\": [{" REC1 ", " BODY ", \"extra\": {\"a\": [1, {\"b\": null}], \"pieces\": \"x\"}, "
    "\"more\": [[], {}], \"revenue\": {\"note\": {\"x\": 1}, \"currency\": \"USD\", \"amount_minor\": -5, "
    "\"extra\": [1]}}], \"unknown\": {\"items\": 5}, \"next_cursor\": \"1\", \"has_more\": false}",
    /* repeated members: the last counts, as in json-glib */
    "{\"items\": [{" REC1 ", " BODY ", \"pieces\": 9, \"waybill\": \"SF2\", \"revenue\": "
    "{\"amount_minor\": 1, \"currency\": \"CNY\"}, \"revenue\": null}" TAIL,
    "{\"items\": 5, \"items\": [" TOMB "], \"next_cursor\": \"1\", \"next_cursor\": \"2\", \"has_more\": true}",
    "{\"items\": [" TOMB "], \"items\": [], \"next_cursor\": \"1\", \"has_more\": false}",
    /* refused */
    "{\"items\": [" TOMB ", 5, {\"id\": 1}" TAIL,
    "{\"items\": [{\"id\": 1}, [{}], 5" TAIL,
    "{\"items\": [{" REC1 ", " BODY "}, {" BODY "}" TAIL,
    "{\"items\": [{" REC1 ", " BODY ", \"revenue\": {\"amount_minor\": 1}}" TAIL,
    "{\"items\": [{" REC1 ", " BODY ", \"revenue\": []}" TAIL,
    "{\"items\": [{" REC1 ", " BODY ", \"pieces\": {}}" TAIL,
    "{\"items\": [{" REC1 ", " BODY ", \"pieces\": 1e2}" TAIL,
    "{\"items\": [{" REC1 ", " BODY ", \"weight_kg\": []}" TAIL,
    "{\"items\": [{" REC1 ", " BODY ", \"planned_delivery_at\": \"2026-03-02T25:00:00Z\"}" TAIL,
    "{\"items\": [{" REC1 ", " BODY ", \"mode\": \"ROAD_LTL\"}" TAIL,
    "{\"items\": {}, \"next_cursor\": \"1\", \"has_more\": false}",
    "{\"items\": [], \"next_cursor\": 1, \"has_more\": false}",
    "{\"items\": [], \"next_cursor\": \"1\"}",
    "{\"next_cursor\": \"1\", \"has_more\": false}",
    "{\"items\": [5], \"next_cursor\": \"1\", \"has_more\": \"no\"}",
    /* not one whole JSON object: asked again */
    "{\"items\": [{" REC1 ", " BODY "}, " TOMB TAIL " x",
    "{\"items\": [{" REC1 ", " BODY "}, " TOMB,
    "{\"items\": [{" REC1 ", \"waybill\": \"SF",
    "[{\"items\": []}]",
    "\"items\"",
    "{\"items\": [], \"next_cursor\": \"1\", \"has_more\": false,}",
    "{\"items\": [tru], \"next_cursor\": \"1\", \"has_more\": false}",
    "",
    /* what yajl alone would let through */
    "{\"items\": [],\f\"next_cursor\": \"1\", \"has_more\": false}",
    "{\"items\": [],\v\"next_cursor\": \"1\", \"has_more\": false}",
    "{\"items\": [], \"next_cursor\": \"\xed\xa0\x80\", \"has_more\": false}",
    "{\"items\": [], \"next_cursor\": \"\xc0\xaf\", \"has_more\": false}",
    "{\"items\": [], \"next_cursor\": \"1\", \"has_more\": false} \"p",
  };
  /* where json-glib would take a figure no shipment has, the reader asks
   * again (and in the end reports the page as breaking the API) */
  static const char *const out_of_range[] = {
    "{\"items\": [{" REC1 ", " BODY ", \"pieces\": 99999999999999999999}" TAIL,
    "{\"items\": [{" REC1 ", " BODY ", \"damaged_pieces\": -9223372036854775809}" TAIL,
    "{\"items\": [{" REC1 ", " BODY ", \"weight_kg\": 1e400}" TAIL,
  };

  for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
    {
      g_autofree char *tree = kl_page_outcome_tree (pages[i], strlen (pages[i]));
      g_autofree char *read = kl_page_outcome_read (pages[i], strlen (pages[i]));

      g_test_message ("page %u: %s\n→ %s", i, pages[i], tree);
      g_assert_cmpstr (read, ==, tree);
      /* each kind of page above comes to what it says */
      if (i < 8)
        g_assert_true (g_str_has_prefix (tree, "n="));
      else if (i < 23)
        g_assert_true (g_str_has_prefix (tree, "refused: "));
      else
        g_assert_cmpstr (tree, ==, "syntax");
    }
  for (guint i = 0; i < G_N_ELEMENTS (out_of_range); i++)
    {
      g_autofree char *tree = kl_page_outcome_tree (out_of_range[i], strlen (out_of_range[i]));
      g_autofree char *read = kl_page_outcome_read (out_of_range[i], strlen (out_of_range[i]));

      g_assert_true (g_str_has_prefix (tree, "n=1"));
      g_assert_cmpstr (read, ==, "syntax");
    }
#undef ID1
#undef REC1
#undef BODY
#undef TOMB
#undef TAIL
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_setenv ("KEYLINE_SYNC_FIRST_DELAY_MS", "1", TRUE);

  g_test_add_func ("/sync/time", test_time);
  g_test_add_func ("/sync/url", test_url);
  g_test_add_func ("/sync/decode/shipments-refused", test_decode_shipments_refused);
  g_test_add_func ("/sync/decode/shipments-read", test_decode_shipments_read);
#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_set_up, fn, fixture_tear_down)
  ADD ("/sync/pull", test_pull);
  ADD ("/sync/retries", test_retries);
  ADD ("/sync/retry-after", test_retry_after);
  ADD ("/sync/give-up", test_give_up);
  ADD ("/sync/unauthorized", test_unauthorized);
  ADD ("/sync/truncated", test_truncated);
  ADD ("/sync/schema-break", test_schema_break);
  ADD ("/sync/expired-cursor", test_expired_cursor);
  ADD ("/sync/push/create-lost-reply", test_push_create_lost_reply);
  ADD ("/sync/push/adopt-by-code", test_push_adopt_by_code);
  ADD ("/sync/pull/matches-code", test_pull_matches_code);
  ADD ("/sync/pull/matches-shipments", test_pull_matches_shipments);
  ADD ("/sync/push/412-merge", test_push_412_merge);
  ADD ("/sync/push/412-lost-reply", test_push_412_lost_reply);
  ADD ("/sync/push/412-conflict", test_push_412_conflict);
  ADD ("/sync/push/refused", test_push_refused);
  ADD ("/sync/push/local-only-fields", test_local_only_fields);
  ADD ("/sync/push/delete", test_push_delete);
  ADD ("/sync/full", test_full);
  ADD ("/sync/claims", test_claims);
  ADD ("/sync/push/claims", test_claims_push);
  ADD ("/sync/pull/claims-merge", test_claims_merge_pull);
  ADD ("/sync/push/claim-notes", test_claims_notes_push);
  ADD ("/sync/claims/history", test_claims_history);
  ADD ("/sync/claims/resolve-fields", test_claims_resolve_fields);
  ADD ("/sync/pull-equals-import", test_pull_equals_import);
#undef ADD
  return g_test_run ();
}
