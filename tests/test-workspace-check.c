/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kl_workspace_check () on a sound workspace and on one broken in each way
 * it looks for. */

#include <fcntl.h>
#include <unistd.h>
#include <glib/gstdio.h>

#include "kl-database-private.h"
#include "kl-claim-store.h"
#include "kl-database.h"
#include "kl-workspace-check.h"
#include "kl-test-util.h"

typedef struct {
  char       *dir;
  char       *path;
  KlDatabase *db;
  char       *claim_id;
} Fixture;

/* The demo fill takes a while: it is made once and each test gets a copy. */
static char *template_dir;
static char *template_path;

static void
make_template (void)
{
  g_autoptr(KlDatabase) db = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *customer = NULL;
  g_autofree char *id = NULL;
  KlClaimNew in = KL_CLAIM_NEW_INIT;

  template_dir = kl_test_make_tmp_dir ("keyline-check-template-XXXXXX");
  template_path = g_build_filename (template_dir, "workspace.db", NULL);
  db = kl_test_create_demo_workspace (template_path, 3, 1, 202510);
  customer = kl_test_add_customer (db, "ZZ-CLAIM", "Claimant");
  in.customer_id = customer;
  in.kind = KL_CLAIM_KIND_DAMAGE;
  in.description = "3 cartons crushed";
  in.by = "tester";
  id = kl_claim_store_create (db, &in, &error);
  g_assert_no_error (error);
  g_assert_nonnull (id);
}

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  sqlite3_stmt *stmt;

  f->dir = kl_test_make_tmp_dir ("keyline-test-XXXXXX");
  f->db = kl_test_open_workspace_copy (template_path, f->dir);
  f->path = g_strdup (kl_database_get_path (f->db));
  stmt = kl_database_prepare (f->db, "SELECT c.id FROM claims c JOIN customers u ON u.id = c.customer_id "
                                      "WHERE u.code = 'ZZ-CLAIM'", NULL);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  f->claim_id = kl_column_dup_text (stmt, 0);
  sqlite3_reset (stmt);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  g_clear_object (&f->db);
  g_assert_true (kl_test_remove_tree (f->dir));
  g_free (f->dir);
  g_free (f->path);
  g_free (f->claim_id);
}

static GPtrArray *
check (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *findings = kl_workspace_check (f->db, &error);

  g_assert_no_error (error);
  g_assert_nonnull (findings);
  for (guint i = 0; i < findings->len; i++)
    g_test_message ("finding: %s", ((KlWorkspaceFinding *) g_ptr_array_index (findings, i))->message);
  g_assert_false (kl_database_in_transaction (f->db));
  return findings;
}

static void
exec (Fixture *f, const char *sql)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (kl_database_exec (f->db, sql, &error));
  g_assert_no_error (error);
}

static void
test_sound (Fixture *f, gconstpointer data)
{
  g_autoptr(GPtrArray) findings = check (f);

  g_assert_cmpuint (findings->len, ==, 0);
}

/* A counter that overflowed into a float is found even where its integer
 * part would compare equal. */
static void
test_figures_not_integer (Fixture *f, gconstpointer data)
{
  g_autoptr(GPtrArray) findings = NULL;

  exec (f, "UPDATE rollup_month SET pieces = 9223372036854775807 + 1.0 "
           "WHERE month = (SELECT max(month) FROM rollup_month)");
  findings = check (f);
  g_assert_cmpuint (findings->len, >=, 1);
  g_assert_cmpuint (kl_workspace_findings_count (findings, KL_WORKSPACE_FINDING_FIGURES), ==, findings->len);
  g_assert_nonnull (strstr (((KlWorkspaceFinding *) g_ptr_array_index (findings, 0))->message, "pieces"));
}

static void
test_figures_differ (Fixture *f, gconstpointer data)
{
  g_autoptr(GPtrArray) findings = NULL;

  exec (f, "UPDATE rollup_month SET shipments = shipments + 1 "
           "WHERE customer_id = (SELECT min(customer_id) FROM rollup_month) "
           "AND month = (SELECT max(month) FROM rollup_month)");
  findings = check (f);
  g_assert_cmpuint (findings->len, ==, 1);
  g_assert_cmpuint (kl_workspace_findings_count (findings, KL_WORKSPACE_FINDING_FIGURES), ==, 1);
}

static void
test_outbox_reference (Fixture *f, gconstpointer data)
{
  g_autoptr(GPtrArray) findings = NULL;

  exec (f, "INSERT INTO outbox (collection, record_id, op, idempotency_key, created_at) "
           "VALUES ('customers', 'no-such-customer', 'update', 'k1', 0)");
  findings = check (f);
  g_assert_cmpuint (findings->len, ==, 1);
  g_assert_cmpuint (kl_workspace_findings_count (findings, KL_WORKSPACE_FINDING_OUTBOX), ==, 1);
  g_assert_nonnull (strstr (((KlWorkspaceFinding *) g_ptr_array_index (findings, 0))->message, "no-such-customer"));
}

/* A status set in claims with no history entry, and a last entry that
 * says something else. */
static void
test_claim_status (Fixture *f, gconstpointer data)
{
  g_autoptr(GPtrArray) findings = NULL;
  g_autoptr(GError) error = NULL;
  sqlite3_stmt *stmt;

  stmt = kl_database_prepare (f->db, "UPDATE claims SET status = 'closed' WHERE id = ?", &error);
  g_assert_no_error (error);
  kl_bind_text (stmt, 1, f->claim_id);
  g_assert_true (kl_database_step_done (f->db, stmt, &error));
  findings = check (f);
  g_assert_cmpuint (findings->len, ==, 1);
  g_assert_cmpuint (kl_workspace_findings_count (findings, KL_WORKSPACE_FINDING_CLAIM_HISTORY), ==, 1);
  g_clear_pointer (&findings, g_ptr_array_unref);

  /* No status in the history at all. */
  exec (f, "DROP TRIGGER claim_history_no_delete; DELETE FROM claim_history;");
  findings = check (f);
  g_assert_cmpuint (findings->len, >=, 2);
  g_assert_cmpuint (kl_workspace_findings_count (findings, KL_WORKSPACE_FINDING_CLAIM_HISTORY), ==, findings->len);
}

/* An entry rewritten behind the guards breaks the hash chain. */
static void
test_claim_history_rewritten (Fixture *f, gconstpointer data)
{
  g_autoptr(GPtrArray) findings = NULL;

  findings = check (f);
  g_assert_cmpuint (findings->len, ==, 0);
  g_clear_pointer (&findings, g_ptr_array_unref);

  exec (f, "DROP TRIGGER claim_history_no_update; UPDATE claim_history SET by = 'someone else';");
  findings = check (f);
  g_assert_cmpuint (findings->len, >=, 1);
  g_assert_cmpuint (kl_workspace_findings_count (findings, KL_WORKSPACE_FINDING_CLAIM_HISTORY), ==, findings->len);
}

static void
test_foreign_key (Fixture *f, gconstpointer data)
{
  g_autoptr(GPtrArray) findings = NULL;

  exec (f, "PRAGMA foreign_keys = OFF;"
           "INSERT INTO contacts (id, customer_id, name) VALUES ('c-x', 'nobody', 'Orphan');"
           "PRAGMA foreign_keys = ON;");
  findings = check (f);
  g_assert_cmpuint (findings->len, ==, 1);
  g_assert_cmpuint (kl_workspace_findings_count (findings, KL_WORKSPACE_FINDING_REFERENCE), ==, 1);
}

static void
test_application_id (Fixture *f, gconstpointer data)
{
  g_autoptr(GPtrArray) findings = NULL;

  exec (f, "PRAGMA application_id = 0");
  findings = check (f);
  g_assert_cmpuint (findings->len, ==, 1);
  g_assert_cmpuint (kl_workspace_findings_count (findings, KL_WORKSPACE_FINDING_APPLICATION_ID), ==, 1);
}

/* Damaged pages are found, and only they: the rest would read them. */
static void
test_damaged (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) findings = NULL;
  g_autofree char *junk = g_strnfill (4096 * 4, '\x5a');
  GStatBuf st;
  int fd;

  g_clear_object (&f->db);
  g_assert_cmpint (g_stat (f->path, &st), ==, 0);
  fd = g_open (f->path, O_WRONLY, 0);
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (pwrite (fd, junk, strlen (junk), (st.st_size / 2) & ~4095), ==, (gssize) strlen (junk));
  close (fd);

  f->db = kl_database_open (f->path, 0, &error);
  if (f->db == NULL)
    {
      g_assert_error (error, KL_DATABASE_ERROR, KL_DATABASE_ERROR_CORRUPT);
      return;
    }
  findings = kl_workspace_check (f->db, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (findings->len, >=, 1);
  g_assert_cmpuint (kl_workspace_findings_count (findings, KL_WORKSPACE_FINDING_DAMAGED), ==, findings->len);
}

int
main (int argc, char **argv)
{
  int status;

  g_setenv ("TZ", "UTC", TRUE);
  g_test_init (&argc, &argv, NULL);
  make_template ();

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/workspace-check/sound", test_sound);
  ADD ("/workspace-check/figures-not-integer", test_figures_not_integer);
  ADD ("/workspace-check/figures-differ", test_figures_differ);
  ADD ("/workspace-check/outbox-reference", test_outbox_reference);
  ADD ("/workspace-check/claim-status", test_claim_status);
  ADD ("/workspace-check/claim-history-rewritten", test_claim_history_rewritten);
  ADD ("/workspace-check/foreign-key", test_foreign_key);
  ADD ("/workspace-check/application-id", test_application_id);
  ADD ("/workspace-check/damaged", test_damaged);
#undef ADD

  status = g_test_run ();
  kl_test_remove_tree (template_dir);
  g_free (template_dir);
  g_free (template_path);
  return status;
}
