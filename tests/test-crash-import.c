/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Crash safety: `keyline-cli import shipments` killed with SIGKILL at
 * random moments (seeded, so a failure replays) never leaves a workspace
 * that `check` finds unsound, and a full import afterwards gives exactly
 * the monthly figures of a clean import of the same file. */

#include "config.h"

#include <signal.h>
#include <sys/types.h>
#include <sys/wait.h>

#include "kl-customer-store.h"
#include "kl-rollup.h"
#include "kl-test-util.h"

#define SEED        20261203
#define N_ROWS      20000
#define N_ROUNDS    8
#define FIRST_MONTH 202601
#define LAST_MONTH  202612

static const char * const codes[] = { "KA01", "KA02", "KA03", "KA04" };

typedef struct {
  KlTestCli  cli;
  GRand     *rand;
  char      *customers_csv;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GString) csv = g_string_new ("code,name,kind,region,status\n");
  g_autoptr(GError) error = NULL;

  kl_test_cli_init (&f->cli, "keyline-test-crash-XXXXXX", NULL, "Asia/Shanghai");
  f->rand = g_rand_new_with_seed (SEED);
  for (guint i = 0; i < G_N_ELEMENTS (codes); i++)
    g_string_append_printf (csv, "%s,Key account %u,enterprise,华东,active\n", codes[i], i + 1);
  f->customers_csv = g_build_filename (f->cli.dir, "customers.csv", NULL);
  g_file_set_contents (f->customers_csv, csv->str, -1, &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  kl_test_cli_clear (&f->cli);
  g_rand_free (f->rand);
  g_free (f->customers_csv);
}

/* A shipments file of N_ROWS rows over the customers and the months of
 * 2026. Versions differ in a fifth of the rows (pieces, damage, delivery
 * time and status), so an import of one version over another updates rows
 * and moves figures between months and counters. */
static char *
write_shipments (Fixture *f,
                 guint    version)
{
  static const char * const statuses[] = { "delivered", "delivered", "delivered", "in_transit", "booked", "cancelled" };
  static const char * const modes[] = { "road_ftl", "road_ltl", "rail", "air", "sea", "express" };
  static const char * const regions[] = { "华东", "华北", "华南", "西南" };
  g_autoptr(GString) csv = g_string_new (
    "waybill,customer_code,status,mode,origin_region,dest_region,pieces,weight_kg,volume_m3,"
    "planned_pickup_at,picked_up_at,planned_delivery_at,delivered_at,"
    "documents_ok,order_accurate,damaged_pieces,short_pieces,incident\n");
  g_autoptr(GRand) rows = g_rand_new_with_seed (SEED + 1);
  g_autoptr(GError) error = NULL;
  g_autofree char *name = g_strdup_printf ("shipments-%u.csv", version);
  char *path = g_build_filename (f->cli.dir, name, NULL);

  for (guint i = 0; i < N_ROWS; i++)
    {
      /* The same draws for every version; the version changes some rows. */
      guint status = g_rand_int_range (rows, 0, G_N_ELEMENTS (statuses));
      guint pieces = g_rand_int_range (rows, 1, 60);
      guint month = g_rand_int_range (rows, 1, 13);
      guint day = g_rand_int_range (rows, 1, 28);
      guint hour = g_rand_int_range (rows, 6, 18);
      int pickup_late = g_rand_int_range (rows, -30, 90);
      int delivery_late = g_rand_int_range (rows, -600, 600);
      guint damaged = g_rand_int_range (rows, 0, 40) == 0 ? 1 : 0;
      gboolean changed = (i + version) % 5 == 0;
      int pickup_minutes = (int) hour * 60 + pickup_late;
      int delivery_minutes = (int) hour * 60 + delivery_late;

      if (changed)
        {
          status = (status + version) % G_N_ELEMENTS (statuses);
          pieces += version;
          damaged = (damaged + version) % 2;
          delivery_minutes += 120 * (int) version;
        }
      delivery_minutes = CLAMP (delivery_minutes, 0, 23 * 60 + 59);
      pickup_minutes = CLAMP (pickup_minutes, 0, 23 * 60 + 59);

      g_string_append_printf (csv,
                              "W%06u,%s,%s,%s,%s,%s,%u,%u.%u,%u.25,"
                              "2026-%02u-%02u %02u:00,",
                              i, codes[i % G_N_ELEMENTS (codes)], statuses[status],
                              modes[i % G_N_ELEMENTS (modes)],
                              regions[i % G_N_ELEMENTS (regions)], regions[(i / 4) % G_N_ELEMENTS (regions)],
                              pieces, pieces * 12, i % 10, pieces / 4,
                              month, day, hour);
      if (status == 4) /* booked: not picked up yet */
        g_string_append (csv, ",");
      else
        g_string_append_printf (csv, "2026-%02u-%02u %02d:%02d,", month, day,
                                pickup_minutes / 60, pickup_minutes % 60);
      g_string_append_printf (csv, "2026-%02u-%02u %02u:00,", month, day + 1, hour);
      if (status < 3) /* delivered */
        g_string_append_printf (csv, "2026-%02u-%02u %02d:%02d,", month, day + 1,
                                delivery_minutes / 60, delivery_minutes % 60);
      else
        g_string_append (csv, ",");
      g_string_append_printf (csv, "%s,%s,%u,%u,%s\n",
                              i % 17 == 0 ? "false" : "true",
                              i % 23 == 0 ? "no" : "yes",
                              status < 3 ? damaged : 0, i % 97 == 0 ? 1 : 0,
                              i % 211 == 0 ? "true" : "");
    }
  g_file_set_contents (path, csv->str, csv->len, &error);
  g_assert_no_error (error);
  return path;
}

static void
run_ok (Fixture    *f,
        const char *first,
        ...) G_GNUC_NULL_TERMINATED;

static void
run_ok (Fixture    *f,
        const char *first,
        ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_auto(KlTestRun) run = { 0 };
  va_list ap;

  va_start (ap, first);
  for (const char *arg = first; arg != NULL; arg = va_arg (ap, const char *))
    g_ptr_array_add (args, (gpointer) arg);
  va_end (ap);
  g_ptr_array_add (args, NULL);
  run = kl_test_cli_runv (&f->cli, (const char * const *) args->pdata);
  if (run.status != 0)
    g_error ("keyline-cli %s on %s exited %d: %s%s", first, f->cli.workspace, run.status, run.out, run.err);
}

/* Starts `keyline-cli import shipments path` and kills it after
 * delay_us, unless it ended before. TRUE when it was killed. */
static gboolean
import_and_kill (Fixture    *f,
                 const char *path,
                 gulong      delay_us)
{
  const char *program = g_getenv ("KEYLINE_CLI");
  const char *argv[] = { program, "--workspace", f->cli.workspace, "import", "shipments", path, NULL };
  g_autoptr(GError) error = NULL;
  GPid pid = 0;
  int wait_status = 0;

  g_assert_nonnull (program);
  g_spawn_async (f->cli.dir, (char **) argv, f->cli.env,
                 G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                 NULL, NULL, &pid, &error);
  g_assert_no_error (error);

  /* The random moment. */
  g_usleep (delay_us);
  kill (pid, SIGKILL);
  g_assert_cmpint (waitpid (pid, &wait_status, 0), ==, pid);
  g_spawn_close_pid (pid);
  if (WIFEXITED (wait_status))
    {
      /* It finished first: then it must have succeeded. */
      g_assert_cmpint (WEXITSTATUS (wait_status), ==, 0);
      return FALSE;
    }
  g_assert_true (WIFSIGNALED (wait_status));
  g_assert_cmpint (WTERMSIG (wait_status), ==, SIGKILL);
  return TRUE;
}

/* Every customer's figures for every month of the data, one line each. */
static char *
read_rollups (const char *workspace)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KlDatabase) db = kl_database_open (workspace, 0, &error);
  g_autoptr(GString) out = g_string_new (NULL);

  g_assert_no_error (error);
  for (guint c = 0; c < G_N_ELEMENTS (codes); c++)
    {
      g_autofree char *id = kl_customer_store_lookup_code (db, codes[c], &error);

      g_assert_no_error (error);
      g_assert_nonnull (id);
      for (int month = FIRST_MONTH - 1; month <= LAST_MONTH + 1; month = month % 100 == 12 ? month + 89 : month + 1)
        {
          KlRollupCounts counts = { { 0 } };

          g_assert_true (kl_rollup_read_total (db, id, month, month, &counts, &error));
          g_assert_no_error (error);
          g_string_append_printf (out, "%s %d", codes[c], month);
          for (guint k = 0; k < KL_RC_N; k++)
            g_string_append_printf (out, " %s=%" G_GINT64_FORMAT, kl_rollup_column_name (k), counts.v[k]);
          g_string_append_c (out, '\n');
        }
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static void
test_crash_import (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *reference = g_build_filename (f->cli.dir, "reference.db", NULL);
  g_autofree char *crashed = g_build_filename (f->cli.dir, "crashed.db", NULL);
  g_autofree char *final_csv = write_shipments (f, N_ROUNDS);
  g_autofree char *reference_rollups = NULL;
  g_autofree char *final_rollups = NULL;
  gint64 started, took_us;
  guint n_killed = 0;

  if (kl_test_skip_without_cli ())
    return;

  /* The reference: a clean import, timed to place the kills. */
  f->cli.workspace = g_strdup (reference);
  run_ok (f, "import", "customers", f->customers_csv, NULL);
  started = g_get_monotonic_time ();
  run_ok (f, "import", "shipments", final_csv, NULL);
  took_us = g_get_monotonic_time () - started;
  run_ok (f, "check", NULL);
  reference_rollups = read_rollups (reference);
  g_test_message ("A clean import of %d rows took %.2f s", N_ROWS, took_us / 1e6);

  /* The customers come first, whole: the kills meet a workspace that exists. */
  g_free (f->cli.workspace);
  f->cli.workspace = g_strdup (crashed);
  run_ok (f, "import", "customers", f->customers_csv, NULL);

  for (guint round = 0; round < N_ROUNDS; round++)
    {
      g_autofree char *csv = write_shipments (f, round);
      /* Anywhere from the start to well past the clean import's time. */
      gulong delay_us = (gulong) g_rand_double_range (f->rand, 0, took_us * 1.6);
      gboolean killed = import_and_kill (f, csv, delay_us);

      n_killed += killed;
      g_test_message ("Round %u: %s after %.3f s", round + 1,
                      killed ? "killed" : "finished first", delay_us / 1e6);
      run_ok (f, "check", NULL);
    }
  /* The seed places most kills inside the import. */
  g_assert_cmpuint (n_killed, >=, 2);

  run_ok (f, "import", "shipments", final_csv, NULL);
  run_ok (f, "check", NULL);
  final_rollups = read_rollups (crashed);
  g_assert_cmpstr (final_rollups, ==, reference_rollups);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/crash/import-killed", Fixture, NULL,
              fixture_set_up, test_crash_import, fixture_tear_down);
  return g_test_run ();
}
