/* SPDX-License-Identifier: GPL-3.0-or-later */
/* keyline-bench: builds (or reuses) a large workspace and prints one line per
 * figure, "NAME VALUE UNIT" — import speed, report build times against the
 * same figures computed naively from the shipments table, PDF and chart
 * render times, peak memory. Nothing here passes or fails on a clock. */

#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include <gio/gio.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "kl-database-private.h"
#include "kl-bench-data.h"
#include "kl-bench-window.h"
#include "kl-bench-sync.h"
#include "kl-chart.h"
#include "kl-customer-store.h"
#include "kl-import.h"
#include "kl-report-document.h"
#include "kl-report-job.h"
#include "kl-report-model.h"

#define BENCH_TIMEZONE    "Asia/Shanghai"
#define BENCH_LAST_MONTH  202612
#define N_MONTHLY_SAMPLES 20
#define N_PORTFOLIO_RUNS  5
#define N_NAIVE_YEAR_RUNS 3
#define N_CHART_RUNS      50
#define MAX_NAIVE_MONTHS  36

typedef struct {
  char     *workspace;
  gint64    shipments;
  int       customers;
  int       years;
  int       pdfs;
  gint64    import_rows;
  gboolean  quick;
  gboolean  keep;
  gboolean  no_import;
  gboolean  fill;        /* internal: the child process that fills the bulk */
  gboolean  window;      /* the window's figures (kl-bench-window.c) */
  gint64    sync_only;   /* only the sync pull, of this many shipments */
  gboolean  import_only; /* only the CSV import: fresh, the shell, unchanged */
  char     *write_csv;   /* only write the import's CSV there */
  int       sync_server; /* only the pull from keyline-server's demo of this many customers */
} BenchOptions;

static void
bench_options_clear (BenchOptions *options)
{
  g_clear_pointer (&options->workspace, g_free);
  g_clear_pointer (&options->write_csv, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (BenchOptions, bench_options_clear)

/* Output */

static void
figure (const char *name,
        double      value,
        int         decimals,
        const char *unit)
{
  printf ("%s %.*f %s\n", name, decimals, value, unit);
  fflush (stdout);
}

static void
note (const char *format, ...) G_GNUC_PRINTF (1, 2);

static void
note (const char *format, ...)
{
  va_list args;

  va_start (args, format);
  fputs ("# ", stderr);
  vfprintf (stderr, format, args);
  fputc ('\n', stderr);
  va_end (args);
}

static double
ms_since (gint64 begun)
{
  return (g_get_monotonic_time () - begun) / 1000.0;
}

/* CPU time of this thread in milliseconds: on a shared machine it says what
 * the work cost, where the wall clock also counts waiting for a core. */
static double
cpu_ms (void)
{
  struct timespec ts;

  if (clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts) != 0)
    return 0;
  return ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6;
}

static int
compare_doubles (gconstpointer a, gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y ? 1 : 0;
}

static double
median (GArray *values)
{
  g_assert (values->len > 0);
  g_array_sort (values, compare_doubles);
  if (values->len % 2 == 1)
    return g_array_index (values, double, values->len / 2);
  return (g_array_index (values, double, values->len / 2 - 1) +
          g_array_index (values, double, values->len / 2)) / 2;
}

static double
maximum (GArray *values)
{
  double max = 0;

  for (guint i = 0; i < values->len; i++)
    max = MAX (max, g_array_index (values, double, i));
  return max;
}

/* The shape of a workspace keyline-bench built, kept in its settings so a
 * reused workspace is measured the same way. */

static const char * const shape_keys[] = {
  "bench.shipments", "bench.customers", "bench.years", "bench.last_month", "bench.import_rows",
};

static gboolean
shape_save (KlDatabase         *db,
            const KlBenchShape *shape,
            guint64             import_rows,
            GError            **error)
{
  guint64 values[] = { shape->n_shipments, shape->n_customers, shape->years,
                       (guint64) shape->last_month, import_rows };

  for (guint i = 0; i < G_N_ELEMENTS (shape_keys); i++)
    {
      g_autofree char *text = g_strdup_printf ("%" G_GUINT64_FORMAT, values[i]);

      if (!kl_database_set_setting (db, shape_keys[i], text, error))
        return FALSE;
    }
  return TRUE;
}

/* FALSE (no error) when the workspace holds no bench shape. */
static gboolean
shape_load (KlDatabase   *db,
            KlBenchShape *shape,
            guint64      *import_rows)
{
  guint64 values[G_N_ELEMENTS (shape_keys)];

  for (guint i = 0; i < G_N_ELEMENTS (shape_keys); i++)
    {
      g_autofree char *text = kl_database_get_setting (db, shape_keys[i]);

      if (text == NULL)
        return FALSE;
      values[i] = g_ascii_strtoull (text, NULL, 10);
    }
  shape->n_shipments = values[0];
  shape->n_customers = (guint) values[1];
  shape->years = (guint) values[2];
  shape->last_month = (int) values[3];
  *import_rows = values[4];
  return shape->n_customers > 0 && shape->years > 0 && shape->n_shipments >= *import_rows;
}

/* Small reads straight from the workspace. */

static gint64
query_int (KlDatabase  *db,
           const char  *sql,
           GError     **error)
{
  sqlite3_stmt *stmt = kl_database_prepare (db, sql, error);
  gint64 value;

  if (stmt == NULL)
    return -1;
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      kl_database_set_error (db, error, "Reading the workspace");
      sqlite3_reset (stmt);
      return -1;
    }
  value = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return value;
}

static GPtrArray *
customer_codes (KlDatabase  *db,
                GError     **error)
{
  g_autoptr(GPtrArray) codes = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt;
  int rc;

  stmt = kl_database_prepare (db, "SELECT code FROM customers WHERE deleted = 0 ORDER BY code", error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (codes, kl_column_dup_text (stmt, 0));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      kl_database_set_error (db, error, "Reading customer codes");
      return NULL;
    }
  return g_steal_pointer (&codes);
}

/* Building: the bulk in a child process (its big page cache must not count
 * in our peak memory), the last slice through the CSV import. */

static int
run_fill (const BenchOptions *options)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KlDatabase) db = NULL;
  g_autoptr(GPtrArray) ids = NULL;
  KlBenchGenerator gen;
  KlBenchShape shape;
  guint64 import_rows, count;
  double seconds;

  db = kl_database_open (options->workspace, 0, &error);
  if (db == NULL)
    {
      g_printerr ("keyline-bench: %s\n", error->message);
      return 1;
    }
  if (!shape_load (db, &shape, &import_rows))
    {
      g_printerr ("keyline-bench: %s holds no benchmark shape\n", options->workspace);
      return 1;
    }
  ids = kl_bench_lookup_customers (db, shape.n_customers, &error);
  /* Building only: a big page cache keeps the id and waybill indexes in
   * memory. The measurements run with the workspace's own settings. */
  /* And no foreign-key look-up per shipment: the bulk writer finds each
   * customer itself, as the CSV import's own transaction does. */
  if (ids == NULL || !kl_database_exec (db, "PRAGMA cache_size = -2097152", &error) ||
      !kl_database_exec (db, "PRAGMA foreign_keys = OFF", &error))
    {
      g_printerr ("keyline-bench: %s\n", error->message);
      return 1;
    }

  kl_bench_generator_init (&gen, &shape, kl_database_get_timezone (db));
  count = shape.n_shipments - import_rows;
  seconds = kl_bench_fill (db, &gen, ids, 0, count, TRUE, &error);
  kl_bench_generator_clear (&gen);
  if (seconds < 0)
    {
      g_printerr ("keyline-bench: filling %s: %s\n", options->workspace, error->message);
      return 1;
    }
  figure ("fill_rows_per_s", count / MAX (seconds, 1e-6), 0, "rows/s");
  return 0;
}

static double process_cpu_s (int who);

static gboolean
spawn_fill (const char  *workspace,
            GError     **error)
{
  g_autoptr(GSubprocess) child = NULL;
  g_autofree char *self = g_file_read_link ("/proc/self/exe", error);
  struct rusage usage;
  gint64 begun = g_get_monotonic_time ();
  double cpu = process_cpu_s (RUSAGE_CHILDREN);

  if (self == NULL)
    return FALSE;
  child = g_subprocess_new (G_SUBPROCESS_FLAGS_NONE, error,
                            self, "--fill", "--workspace", workspace, NULL);
  if (child == NULL || !g_subprocess_wait_check (child, NULL, error))
    return FALSE;
  /* The whole child: opening, the bulk writes, the last commit. */
  figure ("fill_s", (g_get_monotonic_time () - begun) / (double) G_USEC_PER_SEC, 1, "s");
  figure ("fill_cpu_s", process_cpu_s (RUSAGE_CHILDREN) - cpu, 1, "s");
  if (getrusage (RUSAGE_CHILDREN, &usage) == 0)
    figure ("fill_peak_rss_mb", usage.ru_maxrss / 1024.0, 0, "MB");
  return TRUE;
}

/* The import CSV of shipments first … first + count - 1, written once into
 * a temporary folder (removed by csv_remove ()). */
static char *
csv_make (const KlBenchGenerator  *gen,
          guint64                  first,
          guint64                  count,
          GError                 **error)
{
  g_autofree char *dir = g_dir_make_tmp ("keyline-bench-csv-XXXXXX", error);
  g_autofree char *path = NULL;
  GStatBuf st;

  if (dir == NULL)
    return NULL;
  path = g_build_filename (dir, "shipments.csv", NULL);
  if (!kl_bench_write_csv (gen, first, count, path, error))
    {
      g_unlink (path);
      g_rmdir (dir);
      return NULL;
    }
  if (g_stat (path, &st) == 0)
    note ("import: %" G_GUINT64_FORMAT " rows, %.0f MB of CSV", count, st.st_size / 1048576.0);
  return g_steal_pointer (&path);
}

static void
csv_remove (const char *path)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *db = g_build_filename (dir, "sqlite3.db", NULL);
  g_autofree char *wal = g_strconcat (db, "-wal", NULL);
  g_autofree char *shm = g_strconcat (db, "-shm", NULL);

  g_unlink (path);
  g_unlink (db);
  g_unlink (wal);
  g_unlink (shm);
  g_rmdir (dir);
}

/* A CSV made by csv_make (), removed with its folder when it goes. */
typedef char BenchCsv;

static void
bench_csv_free (BenchCsv *path)
{
  if (path == NULL)
    return;
  csv_remove (path);
  g_free (path);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BenchCsv, bench_csv_free)

/* user + system CPU seconds of this process (who = RUSAGE_SELF) or of its
 * waited-for children (RUSAGE_CHILDREN). */
static double
process_cpu_s (int who)
{
  struct rusage usage;

  if (getrusage (who, &usage) != 0)
    return 0;
  return usage.ru_utime.tv_sec + usage.ru_utime.tv_usec / 1e6 +
         usage.ru_stime.tv_sec + usage.ru_stime.tv_usec / 1e6;
}

typedef struct {
  double wall_s;
  double cpu_s;
} Timing;

/* Imports the CSV at path through kl_import_run_file, as keyline-cli import
 * does; count rows expected new (expect_new) or unchanged. */
static gboolean
time_import (KlDatabase  *db,
             const char  *path,
             guint64      count,
             gboolean     expect_new,
             Timing      *out,
             GError     **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(KlImportResult) result = NULL;
  gint64 begun = g_get_monotonic_time ();
  double cpu = process_cpu_s (RUSAGE_SELF);

  result = kl_import_run_file (db, KL_IMPORT_SHIPMENTS, file, "bench-shipments.csv",
                               KL_IMPORT_FLAGS_NONE, NULL, NULL, NULL, error);
  out->wall_s = (g_get_monotonic_time () - begun) / (double) G_USEC_PER_SEC;
  out->cpu_s = process_cpu_s (RUSAGE_SELF) - cpu;
  if (result == NULL)
    return FALSE;
  if (!result->written && count > 0 && expect_new)
    {
      g_set_error (error, KL_IMPORT_ERROR, KL_IMPORT_ERROR_BAD_ROWS, "the import wrote nothing: %s",
                   result->errors->len ? (const char *) g_ptr_array_index (result->errors, 0) : "");
      return FALSE;
    }
  if ((expect_new ? result->n_new : result->n_unchanged) != count)
    {
      g_autofree char *summary = kl_import_result_summary (result);

      g_set_error (error, KL_IMPORT_ERROR, KL_IMPORT_ERROR_BAD_ROWS,
                   "the import of %" G_GUINT64_FORMAT " rows gave %s", count, summary);
      return FALSE;
    }
  return TRUE;
}

static void
rate_figures (const char   *name,
              guint64       count,
              const Timing *t)
{
  g_autofree char *cpu_name = g_strconcat (name, "_cpu", NULL);

  figure (name, count / MAX (t->wall_s, 1e-6), 0, "rows/s");
  figure (cpu_name, count / MAX (t->cpu_s, 1e-6), 0, "rows/s");
}

/* The reference: the sqlite3 shell's .import of the same file into a
 * plain table of the file's columns with a unique waybill index, in a WAL
 * database beside the file. */
static gboolean
time_sqlite3_import (const char  *path,
                     Timing      *out,
                     GError     **error)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *db = g_build_filename (dir, "sqlite3.db", NULL);
  g_autofree char *import = g_strdup_printf (".import --skip 1 %s t", path);
  g_autoptr(GSubprocess) child = NULL;
  const char *schema =
    "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; "
    "CREATE TABLE t (waybill TEXT, customer_code TEXT, status TEXT, mode TEXT, origin_city TEXT, "
    "origin_region TEXT, dest_city TEXT, dest_region TEXT, pieces INTEGER, weight_kg REAL, volume_m3 REAL, "
    "planned_pickup_at TEXT, picked_up_at TEXT, planned_delivery_at TEXT, delivered_at TEXT, "
    "documents_ok TEXT, order_accurate TEXT, damaged_pieces INTEGER, short_pieces INTEGER, incident TEXT, "
    "revenue REAL, currency TEXT); CREATE UNIQUE INDEX t_waybill ON t (waybill);";
  gint64 begun;
  double cpu;

  child = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE, error, "sqlite3", db, schema, NULL);
  if (child == NULL || !g_subprocess_wait_check (child, NULL, error))
    return FALSE;
  g_clear_object (&child);

  begun = g_get_monotonic_time ();
  cpu = process_cpu_s (RUSAGE_CHILDREN);
  child = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE, error,
                            "sqlite3", db, ".mode csv", import, NULL);
  if (child == NULL || !g_subprocess_wait_check (child, NULL, error))
    return FALSE;
  out->wall_s = (g_get_monotonic_time () - begun) / (double) G_USEC_PER_SEC;
  out->cpu_s = process_cpu_s (RUSAGE_CHILDREN) - cpu;
  return TRUE;
}

/* The same CSV into a fresh workspace holding only the customers, against
 * the sqlite3 shell's .import of it. Returns the shell's timing. */
static gboolean
bench_fresh_import (const KlBenchShape  *shape,
                    const char          *csv,
                    guint64              count,
                    gboolean             reimport,
                    Timing              *out_sqlite3,
                    GError             **error)
{
  g_autofree char *dir = g_dir_make_tmp ("keyline-bench-fresh-XXXXXX", error);
  g_autofree char *path = NULL;
  g_autoptr(KlDatabase) db = NULL;
  g_autoptr(GPtrArray) ids = NULL;
  const char *suffixes[] = { "", "-wal", "-shm" };
  Timing t;
  gboolean ok = FALSE;

  if (dir == NULL)
    return FALSE;
  path = g_build_filename (dir, "fresh.db", NULL);
  db = kl_database_open (path, KL_DATABASE_OPEN_CREATE, error);
  if (db != NULL && kl_rollup_set_timezone (db, BENCH_TIMEZONE, error) &&
      (ids = kl_bench_add_customers (db, shape->n_customers, error)) != NULL &&
      time_import (db, csv, count, TRUE, &t, error) &&
      time_sqlite3_import (csv, out_sqlite3, error))
    {
      rate_figures ("import_fresh_rows_per_s", count, &t);
      rate_figures ("sqlite3_import_rows_per_s", count, out_sqlite3);
      figure ("import_vs_sqlite3_fresh", out_sqlite3->wall_s / MAX (t.wall_s, 1e-6), 2, "x");
      figure ("import_vs_sqlite3_fresh_cpu", out_sqlite3->cpu_s / MAX (t.cpu_s, 1e-6), 2, "x");
      ok = TRUE;
      /* --import-only: the same file again into the workspace it filled. */
      if (reimport)
        {
          ok = time_import (db, csv, count, FALSE, &t, error);
          if (ok)
            rate_figures ("reimport_fresh_rows_per_s", count, &t);
        }
    }
  g_clear_object (&db);
  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (path, suffixes[i], NULL);

      g_unlink (file);
    }
  g_rmdir (dir);
  return ok;
}

/* Size on disk per shipment, the rollups and customers included. */
static void
size_figures (KlDatabase *db)
{
  gint64 pages = query_int (db, "PRAGMA page_count", NULL);
  gint64 page_size = query_int (db, "PRAGMA page_size", NULL);
  gint64 free_pages = query_int (db, "PRAGMA freelist_count", NULL);
  gint64 n = query_int (db, "SELECT count(*) FROM shipments", NULL);

  if (pages > 0 && page_size > 0 && n > 0)
    {
      figure ("workspace_mb", (pages - MAX (free_pages, 0)) * page_size / 1048576.0, 0, "MB");
      figure ("bytes_per_shipment", (double) (pages - MAX (free_pages, 0)) * page_size / n, 0, "B");
    }
}

/* The naive way: the report's figures from one GROUP BY over the shipments
 * table (grouped by month, destination and origin region), folded in C.
 * Grace minutes come from the customer's agreement, joined per row; that
 * assumes one agreement per customer over the period, as the benchmark's
 * workspace has. The month of a row is picked with a CASE over the month
 * bounds in the workspace zone, so any zone gives the engine's months. */

#define NAIVE_SUMS \
  "count(*), " \
  "sum(s.pieces), " \
  "sum(CASE WHEN s.weight_g > 0 THEN s.weight_g ELSE 0 END), " \
  "sum(CASE WHEN s.volume_cm3 > 0 THEN s.volume_cm3 ELSE 0 END), " \
  "count(s.picked_up_at), " \
  "sum(s.picked_up_at <= s.planned_pickup_at + coalesce(a.dispatch_grace_min, 0) * 60), " \
  "count(s.delivered_at), " \
  "sum(s.delivered_at <= s.planned_delivery_at + coalesce(a.delivery_grace_min, 0) * 60), " \
  "sum(CASE WHEN s.delivered_at IS NOT NULL THEN s.pieces ELSE 0 END), " \
  "sum(CASE WHEN s.delivered_at IS NOT NULL THEN s.damaged_pieces ELSE 0 END), " \
  "sum(CASE WHEN s.delivered_at IS NOT NULL THEN s.short_pieces ELSE 0 END), " \
  "sum(s.delivered_at IS NOT NULL AND s.damaged_pieces > 0), " \
  "sum(s.delivered_at IS NOT NULL AND s.short_pieces > 0), " \
  "sum(s.incident <> 0), " \
  "count(s.documents_ok), " \
  "sum(s.documents_ok <> 0), " \
  "count(s.order_accurate), " \
  "sum(s.order_accurate <> 0), " \
  "sum(s.delivered_at <= s.planned_delivery_at + coalesce(a.delivery_grace_min, 0) * 60 " \
  "    AND s.damaged_pieces = 0 AND s.short_pieces = 0 " \
  "    AND (s.order_accurate IS NULL OR s.order_accurate <> 0))"

typedef struct {
  int             first_month;              /* yyyymm of months[0] */
  int             n_months;
  KlRollupCounts  months[MAX_NAIVE_MONTHS];
  GHashTable     *dest;                     /* region ("" = none) → KlRollupCounts */
  GHashTable     *origin;
  KlKpiFigures    figures;
  KlKpiFigures    previous;
  KlKpiFigures    year_ago;
} NaiveReport;

static void
naive_report_clear (NaiveReport *naive)
{
  g_clear_pointer (&naive->dest, g_hash_table_unref);
  g_clear_pointer (&naive->origin, g_hash_table_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (NaiveReport, naive_report_clear)

static int
months_between (int from, int to)
{
  return (to / 100 - from / 100) * 12 + (to % 100 - from % 100);
}

static char *
naive_sql (int      n_months,
           gboolean one_customer)
{
  GString *sql = g_string_new ("SELECT ");

  /* ?1 … ?(n+1) are the month bounds; ?(n+2) the customer. */
  if (n_months == 1)
    g_string_append (sql, "0");
  else
    {
      g_string_append (sql, "CASE");
      for (int i = 1; i < n_months; i++)
        g_string_append_printf (sql, " WHEN s.planned_pickup_at < ?%d THEN %d", i + 1, i - 1);
      g_string_append_printf (sql, " ELSE %d END", n_months - 1);
    }
  g_string_append (sql, ", coalesce(s.dest_region, ''), coalesce(s.origin_region, ''), " NAIVE_SUMS
                        " FROM shipments s JOIN customers c ON c.ref = s.customer_ref"
                        " LEFT JOIN agreements a ON a.customer_id = c.id");
  g_string_append_printf (sql, " WHERE s.planned_pickup_at >= ?1 AND s.planned_pickup_at < ?%d"
                               " AND s.status <> 'cancelled'", n_months + 1);
  if (one_customer)
    g_string_append_printf (sql, " AND c.id = ?%d", n_months + 2);
  g_string_append (sql, " GROUP BY 1, 2, 3");
  return g_string_free (sql, FALSE);
}

static void
add_to_table (GHashTable           *table,
              const char           *key,
              const KlRollupCounts *counts)
{
  KlRollupCounts *sum = g_hash_table_lookup (table, key);

  if (sum == NULL)
    {
      sum = g_new0 (KlRollupCounts, 1);
      g_hash_table_insert (table, g_strdup (key), sum);
    }
  kl_rollup_counts_add (sum, counts);
}

static void
naive_sum (const NaiveReport *naive,
           const KlPeriod    *period,
           KlKpiFigures      *figures)
{
  KlRollupCounts total = { { 0 } };
  int first = months_between (naive->first_month, kl_period_first_month (period));

  for (int i = 0; i < kl_period_n_months (period); i++)
    {
      g_assert (first + i >= 0 && first + i < naive->n_months);
      kl_rollup_counts_add (&total, &naive->months[first + i]);
    }
  kl_kpi_figures_compute (figures, &total);
}

static gboolean
naive_report (KlDatabase      *db,
              const char      *customer_id,
              const KlPeriod  *period,
              NaiveReport     *naive,
              GError         **error)
{
  g_autoptr(KlPeriod) previous = kl_period_previous (period);
  g_autoptr(KlPeriod) year_ago = kl_period_year_ago (period);
  g_autofree char *sql = NULL;
  GTimeZone *tz = kl_database_get_timezone (db);
  sqlite3 *handle = kl_database_get_handle (db);
  sqlite3_stmt *stmt = NULL;
  int trailing_first, first, last, period_first, period_last;
  int rc;

  kl_period_trailing_twelve (period, &trailing_first, NULL);
  first = MIN (MIN (kl_period_first_month (previous), kl_period_first_month (year_ago)), trailing_first);
  last = kl_period_last_month (period);

  memset (naive, 0, sizeof *naive);
  naive->first_month = first;
  naive->n_months = months_between (first, last) + 1;
  g_assert (naive->n_months >= 1 && naive->n_months <= MAX_NAIVE_MONTHS);
  naive->dest = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  naive->origin = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  period_first = months_between (first, kl_period_first_month (period));
  period_last = naive->n_months - 1;

  sql = naive_sql (naive->n_months, customer_id != NULL);
  if (sqlite3_prepare_v2 (handle, sql, -1, &stmt, NULL) != SQLITE_OK)
    return kl_database_set_error (db, error, "Preparing the naive query");
  for (int i = 0; i < naive->n_months; i++)
    {
      g_autoptr(KlPeriod) month = kl_period_new_for_month (kl_month_add (first, i));
      gint64 start, end;

      kl_period_get_bounds (month, tz, &start, &end);
      if (i == 0)
        sqlite3_bind_int64 (stmt, 1, start);
      sqlite3_bind_int64 (stmt, i + 2, end);
    }
  if (customer_id != NULL)
    sqlite3_bind_text (stmt, naive->n_months + 2, customer_id, -1, SQLITE_TRANSIENT);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      int m = sqlite3_column_int (stmt, 0);
      const char *dest = (const char *) sqlite3_column_text (stmt, 1);
      const char *origin = (const char *) sqlite3_column_text (stmt, 2);
      KlRollupCounts counts;

      for (int c = 0; c < KL_RC_N; c++)
        counts.v[c] = sqlite3_column_int64 (stmt, 3 + c);
      g_assert (m >= 0 && m < naive->n_months);
      kl_rollup_counts_add (&naive->months[m], &counts);
      if (m >= period_first && m <= period_last)
        {
          add_to_table (naive->dest, dest, &counts);
          add_to_table (naive->origin, origin, &counts);
        }
    }
  if (rc != SQLITE_DONE)
    {
      kl_database_set_error (db, error, "Running the naive query");
      sqlite3_finalize (stmt);
      return FALSE;
    }
  sqlite3_finalize (stmt);

  naive_sum (naive, period, &naive->figures);
  naive_sum (naive, previous, &naive->previous);
  naive_sum (naive, year_ago, &naive->year_ago);
  return TRUE;
}

static gboolean
regions_match (GPtrArray  *rows,
               GHashTable *naive,
               const char *what)
{
  if (rows->len != g_hash_table_size (naive))
    {
      note ("mismatch: %u %s regions in the report, %u naive", rows->len, what, g_hash_table_size (naive));
      return FALSE;
    }
  for (guint i = 0; i < rows->len; i++)
    {
      const KlReportRow *row = g_ptr_array_index (rows, i);
      const KlRollupCounts *counts = g_hash_table_lookup (naive, row->key);
      KlKpiFigures figures;

      if (counts == NULL)
        {
          note ("mismatch: %s region “%s” only in the report", what, row->key);
          return FALSE;
        }
      kl_kpi_figures_compute (&figures, counts);
      if (!kl_kpi_figures_equal (&figures, &row->figures))
        {
          note ("mismatch: %s region “%s”", what, row->key);
          return FALSE;
        }
    }
  return TRUE;
}

/* TRUE when every figure the engine put in model equals the naive one. */
static gboolean
naive_matches (const KlReportModel *model,
               const NaiveReport   *naive)
{
  const char *who = model->customer_code ? model->customer_code : "portfolio";

  if (!kl_kpi_figures_equal (&model->figures, &naive->figures) ||
      !kl_kpi_figures_equal (&model->previous, &naive->previous) ||
      !kl_kpi_figures_equal (&model->year_ago, &naive->year_ago))
    {
      note ("mismatch: %s totals (shipments %" G_GINT64_FORMAT " against %" G_GINT64_FORMAT " naive)",
            who, model->figures.shipments, naive->figures.shipments);
      return FALSE;
    }
  for (guint i = 0; i < model->by_month->len; i++)
    {
      const KlReportRow *row = g_ptr_array_index (model->by_month, i);
      int m = months_between (naive->first_month, row->month);
      KlKpiFigures figures;

      kl_kpi_figures_compute (&figures, &naive->months[m]);
      if (!kl_kpi_figures_equal (&figures, &row->figures))
        {
          note ("mismatch: %s month %d", who, row->month);
          return FALSE;
        }
    }
  for (int i = 0; i < 12; i++)
    {
      int m = months_between (naive->first_month, model->trailing_months[i]);

      if (naive->months[m].v[KL_RC_SHIPMENTS] != model->trailing_shipments[i])
        {
          note ("mismatch: %s trailing month %d", who, model->trailing_months[i]);
          return FALSE;
        }
    }
  return regions_match (model->by_destination_region, naive->dest, "destination") &&
         regions_match (model->by_origin_region, naive->origin, "origin");
}

/* Reports */

typedef struct {
  KlDatabase *db;
  GPtrArray  *codes;
  int         last_month;
  gboolean    matches;
} Bench;

static gboolean
bench_monthly (Bench   *bench,
               GError **error)
{
  g_autoptr(KlPeriod) period = kl_period_new_for_month (bench->last_month);
  g_autoptr(GArray) engine = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) naive_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) engine_cpu = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) naive_cpu = g_array_new (FALSE, FALSE, sizeof (double));
  guint n = MIN (N_MONTHLY_SAMPLES, bench->codes->len);
  g_autoptr(KlReportModel) warm = NULL;
  g_autofree char *label = NULL;

  /* The first build prepares the engine's statements. */
  warm = kl_report_build (bench->db, g_ptr_array_index (bench->codes, 0), period, error);
  if (warm == NULL)
    return FALSE;

  for (guint i = 0; i < n; i++)
    {
      const char *code = g_ptr_array_index (bench->codes, i * bench->codes->len / n);
      g_autoptr(KlReportModel) model = NULL;
      g_auto(NaiveReport) naive = { 0 };
      gint64 begun;
      double ms, cpu;

      begun = g_get_monotonic_time ();
      cpu = cpu_ms ();
      model = kl_report_build (bench->db, code, period, error);
      ms = ms_since (begun);
      cpu = cpu_ms () - cpu;
      if (model == NULL)
        return FALSE;
      g_array_append_val (engine, ms);
      g_array_append_val (engine_cpu, cpu);

      begun = g_get_monotonic_time ();
      cpu = cpu_ms ();
      if (!naive_report (bench->db, model->customer_id, period, &naive, error))
        return FALSE;
      ms = ms_since (begun);
      cpu = cpu_ms () - cpu;
      g_array_append_val (naive_ms, ms);
      g_array_append_val (naive_cpu, cpu);

      if (!naive_matches (model, &naive))
        bench->matches = FALSE;
    }

  label = kl_period_to_label (period);
  note ("monthly: %s for %u customers spread over the codes; median and slowest", label, n);
  figure ("monthly_report_ms", median (engine), 3, "ms");
  figure ("monthly_report_max_ms", maximum (engine), 3, "ms");
  figure ("naive_monthly_ms", median (naive_ms), 3, "ms");
  figure ("naive_monthly_max_ms", maximum (naive_ms), 3, "ms");
  figure ("monthly_report_cpu_ms", median (engine_cpu), 3, "ms");
  figure ("naive_monthly_cpu_ms", median (naive_cpu), 3, "ms");
  return TRUE;
}

static KlReportModel *
bench_portfolio (Bench   *bench,
                 GError **error)
{
  g_autoptr(KlPeriod) period = kl_period_new_year (bench->last_month / 100);
  g_autoptr(GArray) engine = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) naive_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) engine_cpu = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) naive_cpu = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(KlReportModel) model = NULL;
  g_auto(NaiveReport) naive = { 0 };
  double ratio;

  model = kl_report_build (bench->db, NULL, period, error);
  if (model == NULL)
    return NULL;
  for (int i = 0; i < N_PORTFOLIO_RUNS; i++)
    {
      g_autoptr(KlReportModel) again = NULL;
      gint64 begun = g_get_monotonic_time ();
      double cpu = cpu_ms ();
      double ms;

      again = kl_report_build (bench->db, NULL, period, error);
      ms = ms_since (begun);
      cpu = cpu_ms () - cpu;
      if (again == NULL)
        return NULL;
      g_array_append_val (engine, ms);
      g_array_append_val (engine_cpu, cpu);
    }

  for (int i = 0; i < N_NAIVE_YEAR_RUNS; i++)
    {
      gint64 begun = g_get_monotonic_time ();
      double cpu = cpu_ms ();
      double ms;

      naive_report_clear (&naive);
      if (!naive_report (bench->db, NULL, period, &naive, error))
        return NULL;
      ms = ms_since (begun);
      cpu = cpu_ms () - cpu;
      g_array_append_val (naive_ms, ms);
      g_array_append_val (naive_cpu, cpu);
    }
  if (!naive_matches (model, &naive))
    bench->matches = FALSE;

  note ("portfolio: year %d; engine median of %d runs, naive median of %d",
        bench->last_month / 100, N_PORTFOLIO_RUNS, N_NAIVE_YEAR_RUNS);
  figure ("portfolio_year_report_ms", median (engine), 3, "ms");
  figure ("naive_portfolio_year_ms", median (naive_ms), 3, "ms");
  ratio = median (naive_ms) / MAX (median (engine), 1e-6);
  figure ("naive_over_portfolio_year", ratio, 1, "x");
  figure ("portfolio_year_report_cpu_ms", median (engine_cpu), 3, "ms");
  figure ("naive_portfolio_year_cpu_ms", median (naive_cpu), 3, "ms");
  figure ("naive_over_portfolio_year_cpu", median (naive_cpu) / MAX (median (engine_cpu), 1e-6), 1, "x");
  return g_steal_pointer (&model);
}

static gboolean
bench_pdfs (Bench   *bench,
            int      n_pdfs,
            GError **error)
{
  g_autoptr(KlPeriod) period = kl_period_new_for_month (bench->last_month);
  g_autoptr(GArray) times = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) build_times = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) layout_times = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) write_times = g_array_new (FALSE, FALSE, sizeof (double));
  g_autofree char *dir = NULL;
  g_autofree char *label = NULL;
  /* As keyline-cli report --all: every document stays on this thread. */
  KlReportOptions settings = { .paper = KL_PAPER_A4, .thread_fonts = TRUE };
  double total_ms = 0, first_ms = 0;
  double cpu_begun = cpu_ms ();
  int pages = 0;
  gint64 bytes = 0;

  if (n_pdfs <= 0)
    return TRUE;
  dir = g_dir_make_tmp ("keyline-bench-pdf-XXXXXX", error);
  if (dir == NULL)
    return FALSE;
  settings.company_name = g_strdup ("基准物流 Keyline Bench Logistics");

  for (int i = 0; i < n_pdfs; i++)
    {
      const char *code = g_ptr_array_index (bench->codes, (guint) i % bench->codes->len);
      g_autoptr(KlReportModel) model = NULL;
      g_autoptr(KlReportDocument) document = NULL;
      g_autofree char *name = NULL;
      g_autofree char *path = NULL;
      gint64 begun = g_get_monotonic_time ();
      gint64 built = 0, laid_out = 0;
      GStatBuf st;
      double ms;

      model = kl_report_build (bench->db, code, period, error);
      built = g_get_monotonic_time ();
      if (model != NULL)
        document = kl_report_make_document (model, &settings, "2027-01-05");
      laid_out = g_get_monotonic_time ();
      if (document != NULL)
        {
          name = kl_report_file_name (model, "pdf");
          path = g_build_filename (dir, name, NULL);
        }
      if (document == NULL || !kl_report_document_write_pdf (document, path, error))
        {
          kl_report_options_clear (&settings);
          g_rmdir (dir);
          return FALSE;
        }
      ms = ms_since (begun);
      total_ms += ms;
      if (i > 0)
        {
          double part = (built - begun) / 1000.0;

          g_array_append_val (build_times, part);
          part = (laid_out - built) / 1000.0;
          g_array_append_val (layout_times, part);
          part = ms_since (laid_out);
          g_array_append_val (write_times, part);
        }
      if (i == 0)
        {
          /* The first one also loads the fonts. */
          first_ms = ms;
          pages = kl_report_document_get_n_pages (document);
        }
      else
        g_array_append_val (times, ms);
      if (g_stat (path, &st) == 0)
        bytes += st.st_size;
      g_unlink (path);
    }
  g_rmdir (dir);
  kl_report_options_clear (&settings);

  label = kl_period_to_label (period);
  note ("pdf: monthly reports of %s (build + layout + PDF file), one after another", label);
  figure ("monthly_pdf_first_ms", first_ms, 1, "ms");
  if (times->len > 0)
    {
      figure ("monthly_pdf_ms", median (times), 1, "ms");
      figure ("monthly_pdf_max_ms", maximum (times), 1, "ms");
      /* Where the time goes: the model, the layout, the PDF file. */
      figure ("monthly_pdf_build_ms", median (build_times), 1, "ms");
      figure ("monthly_pdf_layout_ms", median (layout_times), 1, "ms");
      figure ("monthly_pdf_write_ms", median (write_times), 1, "ms");
    }
  figure ("monthly_pdf_pages", pages, 0, "pages");
  figure ("monthly_pdf_kib", bytes / 1024.0 / n_pdfs, 0, "KiB");
  figure ("monthly_pdfs", n_pdfs, 0, "count");
  figure ("monthly_pdfs_total_s", total_ms / 1000.0, 2, "s");
  figure ("monthly_pdfs_total_cpu_s", (cpu_ms () - cpu_begun) / 1000.0, 2, "s");
  return TRUE;
}

/* Charts: the report's shipment trend and destination bars, drawn onto a
 * HiDPI image surface as the window would. */

#define CHART_WIDTH  720.0
#define CHART_HEIGHT 540.0

static void
draw_charts (const KlReportModel *model,
             cairo_surface_t     *surface)
{
  cairo_t *cr = cairo_create (surface);
  KlChartPalette palette = kl_chart_palette_light ();
  char month_labels[12][8];
  const char *months[12];
  double shipments[12];
  const char *regions[16];
  double region_shipments[16];
  gsize n_regions = MIN (model->by_destination_region->len, G_N_ELEMENTS (regions));
  KlChartSeries trend_series = { "Shipments", shipments, 12, NULL };
  KlChartSeries bar_series = { "Shipments", region_shipments, n_regions, NULL };
  KlChartTrend trend = { 0 };
  KlChartBars bars = { 0 };

  for (int i = 0; i < 12; i++)
    {
      g_snprintf (month_labels[i], sizeof month_labels[i], "%d-%02d",
                  model->trailing_months[i] / 100 % 100, model->trailing_months[i] % 100);
      months[i] = month_labels[i];
      shipments[i] = model->trailing_shipments[i];
    }
  for (gsize i = 0; i < n_regions; i++)
    {
      const KlReportRow *row = g_ptr_array_index (model->by_destination_region, i);

      regions[i] = row->label;
      region_shipments[i] = row->figures.shipments;
    }

  trend.title = "Shipments, last twelve months";
  trend.categories = months;
  trend.n_categories = 12;
  trend.series = &trend_series;
  trend.n_series = 1;
  trend.style = KL_CHART_TREND_AREA;
  trend.format = KL_CHART_FORMAT_COUNT;
  trend.show_points = TRUE;

  bars.title = "Shipments by destination region";
  bars.categories = regions;
  bars.n_categories = n_regions;
  bars.series = &bar_series;
  bars.n_series = 1;
  bars.mode = KL_CHART_BARS_GROUPED;
  bars.format = KL_CHART_FORMAT_COUNT;
  bars.show_values = TRUE;

  kl_chart_fill_background (cr, CHART_WIDTH, CHART_HEIGHT, &palette);
  kl_chart_draw_trend (cr, CHART_WIDTH, CHART_HEIGHT / 2, &trend, &palette);
  cairo_translate (cr, 0, CHART_HEIGHT / 2);
  kl_chart_draw_bars (cr, CHART_WIDTH, CHART_HEIGHT / 2, &bars, &palette);
  cairo_destroy (cr);
  cairo_surface_flush (surface);
}

static void
bench_charts (const KlReportModel *model)
{
  g_autoptr(GArray) times = g_array_new (FALSE, FALSE, sizeof (double));
  cairo_surface_t *surface;
  gint64 begun;

  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 2 * CHART_WIDTH, 2 * CHART_HEIGHT);
  cairo_surface_set_device_scale (surface, 2, 2);

  begun = g_get_monotonic_time ();
  draw_charts (model, surface);
  figure ("chart_render_first_ms", ms_since (begun), 2, "ms");
  for (int i = 0; i < N_CHART_RUNS; i++)
    {
      double ms;

      begun = g_get_monotonic_time ();
      draw_charts (model, surface);
      ms = ms_since (begun);
      g_array_append_val (times, ms);
    }
  cairo_surface_destroy (surface);
  note ("chart: trend + bars, %.0f × %.0f at scale 2, median of %d", CHART_WIDTH, CHART_HEIGHT, N_CHART_RUNS);
  figure ("chart_render_ms", median (times), 2, "ms");
}

/* The workspace: built here when new, else reused as it is. */

static KlDatabase *
prepare_workspace (const BenchOptions *options,
                   GError            **error)
{
  g_autoptr(KlDatabase) db = NULL;
  g_autoptr(GPtrArray) ids = NULL;
  KlBenchGenerator gen;
  KlBenchShape shape = { 0 };
  guint64 import_rows = 0;
  gint64 n_customers, n_shipments;
  g_autoptr(BenchCsv) csv = NULL;
  Timing t, sqlite3_timing;
  double rate, build_cpu;
  gint64 build_begun;

  db = kl_database_open (options->workspace, KL_DATABASE_OPEN_CREATE, error);
  if (db == NULL)
    return NULL;
  n_customers = query_int (db, "SELECT count(*) FROM customers", error);
  n_shipments = n_customers < 0 ? -1 : query_int (db, "SELECT count(*) FROM shipments", error);
  if (n_shipments < 0)
    return NULL;

  if (n_customers == 0 && n_shipments == 0)
    {
      shape.n_customers = (guint) options->customers;
      shape.n_shipments = (guint64) options->shipments;
      shape.years = (guint) options->years;
      shape.last_month = BENCH_LAST_MONTH;
      import_rows = MIN ((guint64) options->import_rows, shape.n_shipments);

      note ("building %s: %" G_GUINT64_FORMAT " shipments over %u customers and %u years to %d, "
            "the last %" G_GUINT64_FORMAT " through the CSV import",
            options->workspace, shape.n_shipments, shape.n_customers, shape.years, shape.last_month, import_rows);
      if (!kl_rollup_set_timezone (db, BENCH_TIMEZONE, error))
        return NULL;
      ids = kl_bench_add_customers (db, shape.n_customers, error);
      if (ids == NULL || !shape_save (db, &shape, import_rows, error))
        return NULL;

      /* The import's slice as CSV, first into a fresh workspace against the
       * sqlite3 shell. */
      kl_bench_generator_init (&gen, &shape, kl_database_get_timezone (db));
      csv = csv_make (&gen, shape.n_shipments - import_rows, import_rows, error);
      kl_bench_generator_clear (&gen);
      if (csv == NULL || !bench_fresh_import (&shape, csv, import_rows, FALSE, &sqlite3_timing, error))
        return NULL;
      g_clear_object (&db);

      build_begun = g_get_monotonic_time ();
      build_cpu = process_cpu_s (RUSAGE_CHILDREN) + process_cpu_s (RUSAGE_SELF);
      if (!spawn_fill (options->workspace, error))
        return NULL;

      db = kl_database_open (options->workspace, 0, error);
      if (db == NULL || !time_import (db, csv, import_rows, TRUE, &t, error))
        return NULL;
      /* The whole build: the bulk fill and the import of the last slice. */
      figure ("build_s", (g_get_monotonic_time () - build_begun) / (double) G_USEC_PER_SEC, 1, "s");
      figure ("build_cpu_s", process_cpu_s (RUSAGE_CHILDREN) + process_cpu_s (RUSAGE_SELF) - build_cpu, 1, "s");
      rate = import_rows / MAX (t.wall_s, 1e-6);
      rate_figures ("import_rows_per_s", import_rows, &t);
      figure ("import_vs_sqlite3_filled", sqlite3_timing.wall_s / MAX (t.wall_s, 1e-6), 2, "x");
      figure ("import_vs_sqlite3_filled_cpu", sqlite3_timing.cpu_s / MAX (t.cpu_s, 1e-6), 2, "x");
      {
        g_autofree char *text = g_strdup_printf ("%.0f", rate);

        if (!kl_database_set_setting (db, "bench.import_rows_per_s", text, error))
          return NULL;
      }
      /* The same file again: every row found and unchanged. */
      if (!time_import (db, csv, import_rows, FALSE, &t, error))
        return NULL;
      rate_figures ("reimport_rows_per_s", import_rows, &t);
      size_figures (db);
    }
  else if (shape_load (db, &shape, &import_rows))
    {
      g_autofree char *measured = kl_database_get_setting (db, "bench.import_rows_per_s");

      if (measured == NULL)
        {
          g_set_error (error, KL_DATABASE_ERROR, KL_DATABASE_ERROR_INVALID,
                       "the workspace %s was not built to the end; delete it and run again",
                       options->workspace);
          return NULL;
        }
      note ("reusing %s; import_rows_per_s was measured when it was built", options->workspace);
      figure ("import_rows_per_s", g_ascii_strtod (measured, NULL), 0, "rows/s");

      if (options->no_import)
        return g_steal_pointer (&db);
      /* Importing the same file again: every row found and unchanged. */
      kl_bench_generator_init (&gen, &shape, kl_database_get_timezone (db));
      csv = csv_make (&gen, shape.n_shipments - import_rows, import_rows, error);
      kl_bench_generator_clear (&gen);
      if (csv == NULL || !time_import (db, csv, import_rows, FALSE, &t, error))
        return NULL;
      rate_figures ("reimport_rows_per_s", import_rows, &t);
      size_figures (db);
    }
  else
    note ("reusing %s, which keyline-bench did not build: no import figures", options->workspace);

  return g_steal_pointer (&db);
}

/* --import-only and --write-csv: the import's slice of the shape in the
 * options, without building the rest. */
static int
run_import_only (const BenchOptions *options)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GTimeZone) tz = g_time_zone_new_identifier (BENCH_TIMEZONE);
  g_autoptr(BenchCsv) csv = NULL;
  KlBenchGenerator gen;
  KlBenchShape shape = { 0 };
  Timing sqlite3_timing;
  guint64 import_rows = (guint64) options->import_rows;
  gboolean ok;

  shape.n_customers = (guint) options->customers;
  shape.n_shipments = (guint64) options->shipments;
  shape.years = (guint) options->years;
  shape.last_month = BENCH_LAST_MONTH;
  kl_bench_generator_init (&gen, &shape, tz);
  if (options->write_csv != NULL)
    {
      ok = kl_bench_write_csv (&gen, shape.n_shipments - import_rows, import_rows, options->write_csv, &error);
      kl_bench_generator_clear (&gen);
      if (!ok)
        goto fail;
      note ("wrote %" G_GUINT64_FORMAT " rows to %s", import_rows, options->write_csv);
      return 0;
    }
  csv = csv_make (&gen, shape.n_shipments - import_rows, import_rows, &error);
  kl_bench_generator_clear (&gen);
  if (csv == NULL || !bench_fresh_import (&shape, csv, import_rows, TRUE, &sqlite3_timing, &error))
    goto fail;
  return 0;

fail:
  g_printerr ("keyline-bench: %s\n", error->message);
  return 1;
}

static int
run_bench (BenchOptions *options)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KlDatabase) db = NULL;
  g_autoptr(GPtrArray) codes = NULL;
  g_autoptr(KlReportModel) portfolio = NULL;
  g_autofree char *tmp_dir = NULL;
  Bench bench = { 0 };
  struct rusage usage;
  gint64 n;

  if (options->workspace == NULL)
    {
      tmp_dir = g_dir_make_tmp ("keyline-bench-XXXXXX", &error);
      if (tmp_dir == NULL)
        goto fail;
      options->workspace = g_build_filename (tmp_dir, "workspace.db", NULL);
    }

  db = prepare_workspace (options, &error);
  if (db == NULL)
    goto fail;

  n = query_int (db, "SELECT count(*) FROM shipments", &error);
  if (n < 0)
    goto fail;
  figure ("workspace_shipments", n, 0, "count");
  codes = customer_codes (db, &error);
  if (codes == NULL)
    goto fail;
  figure ("workspace_customers", codes->len, 0, "count");
  bench.last_month = (int) query_int (db, "SELECT coalesce(max(month), 0) FROM rollup_month", &error);
  if (codes->len == 0 || bench.last_month <= 0)
    {
      if (error == NULL)
        g_set_error (&error, KL_DATABASE_ERROR, KL_DATABASE_ERROR_NOT_FOUND,
                     "the workspace %s holds no customers or no shipments", options->workspace);
      goto fail;
    }
  bench.db = db;
  bench.codes = codes;
  bench.matches = TRUE;

  if (!bench_monthly (&bench, &error))
    goto fail;
  portfolio = bench_portfolio (&bench, &error);
  if (portfolio == NULL)
    goto fail;
  figure ("naive_matches_engine", bench.matches, 0, "bool");
  if (!bench_pdfs (&bench, options->pdfs, &error))
    goto fail;
  bench_charts (portfolio);
  {
    /* The sync pull from a loopback back office, into a workspace of its own. */
    g_autofree char *dir = g_path_get_dirname (options->workspace);
    double rate = 0, cpu_rate = 0;

    if (!kl_bench_sync_pull (dir, options->quick ? 50000 : 200000, &rate, &cpu_rate, &error))
      goto fail;
    figure ("sync_pull_rows_per_s", rate, 0, "rows/s");
    figure ("sync_pull_rows_per_s_cpu", cpu_rate, 0, "rows/s");
  }

  if (getrusage (RUSAGE_SELF, &usage) == 0)
    figure ("peak_rss_mb", usage.ru_maxrss / 1024.0, 0, "MB");

  g_clear_object (&db);
  if (tmp_dir != NULL && !options->keep)
    {
      const char *suffixes[] = { "", "-wal", "-shm" };

      for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
        {
          g_autofree char *path = g_strconcat (options->workspace, suffixes[i], NULL);

          g_unlink (path);
        }
      g_rmdir (tmp_dir);
    }
  else if (tmp_dir != NULL)
    note ("kept the workspace %s", options->workspace);
  return bench.matches ? 0 : 2;

fail:
  g_printerr ("keyline-bench: %s\n", error->message);
  if (tmp_dir != NULL)
    g_printerr ("keyline-bench: the workspace is left in %s\n", tmp_dir);
  return 1;
}

int
main (int    argc,
      char **argv)
{
  g_auto(BenchOptions) options = { NULL, 0, 0, 0, -1, -1, FALSE, FALSE, FALSE, FALSE, FALSE, 0, FALSE, NULL };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  const char *localedir = g_getenv ("KEYLINE_LOCALEDIR");
  GOptionEntry entries[] = {
    { "workspace", 'w', 0, G_OPTION_ARG_FILENAME, &options.workspace,
      "Reuse this workspace; build it there when it is missing (default: a temporary one, removed after)", "PATH" },
    { "shipments", 0, 0, G_OPTION_ARG_INT64, &options.shipments, "Shipments to build (10000000)", "N" },
    { "customers", 0, 0, G_OPTION_ARG_INT, &options.customers, "Customers to build (1000)", "N" },
    { "years", 0, 0, G_OPTION_ARG_INT, &options.years, "Years of data to build (3)", "N" },
    { "import-rows", 0, 0, G_OPTION_ARG_INT64, &options.import_rows,
      "Shipments of the build that go through the CSV import (1000000)", "N" },
    { "pdfs", 0, 0, G_OPTION_ARG_INT, &options.pdfs, "Monthly PDFs to write (200)", "N" },
    { "quick", 'q', 0, G_OPTION_ARG_NONE, &options.quick,
      "A small run for a smoke check: 100000 shipments, 100 customers, 20 PDFs", NULL },
    { "keep", 0, 0, G_OPTION_ARG_NONE, &options.keep, "Keep the temporary workspace", NULL },
    { "no-import", 0, 0, G_OPTION_ARG_NONE, &options.no_import,
      "With a reused workspace, skip importing its last slice again", NULL },
    { "window", 0, 0, G_OPTION_ARG_NONE, &options.window,
      "Measure the window on --workspace instead (missing: made with --customers customers, default 100000)", NULL },
    { "fill", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_NONE, &options.fill, NULL, NULL },
    { "sync-only", 0, 0, G_OPTION_ARG_INT64, &options.sync_only,
      "Only measure the sync pull of N shipments from a loopback back office", "N" },
    { "sync-server", 0, 0, G_OPTION_ARG_INT, &options.sync_server,
      "Only measure the sync pull from keyline-server filled with the demo data of N customers", "N" },
    { "import-only", 0, 0, G_OPTION_ARG_NONE, &options.import_only,
      "Only measure the CSV import of --import-rows rows: fresh, the sqlite3 shell, unchanged", NULL },
    { "write-csv", 0, 0, G_OPTION_ARG_FILENAME, &options.write_csv,
      "Only write the CSV of the import's rows to PATH", "PATH" },
    { NULL }
  };

  setlocale (LC_ALL, "");
  /* Figures are printed with a '.' whatever the locale. */
  setlocale (LC_NUMERIC, "C");
  bindtextdomain (GETTEXT_PACKAGE, localedir != NULL ? localedir : KL_BENCH_LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");

  context = g_option_context_new ("— measure Keyline on a large workspace");
  g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_set_description (context,
    "Prints one line per figure: NAME VALUE UNIT. Notes go to standard error.\n"
    "Building the default workspace (10 million shipments) takes a while; keep it\n"
    "with --workspace PATH and later runs reuse it.");
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("keyline-bench: %s\n", error->message);
      return 64;
    }

  if (options.window)
    return kl_bench_window_run (options.workspace, options.customers);
  if (options.shipments == 0)
    options.shipments = options.quick ? 100000 : 10000000;
  if (options.customers == 0)
    options.customers = options.quick ? 100 : 1000;
  if (options.years == 0)
    options.years = 3;
  if (options.pdfs < 0)
    options.pdfs = options.quick ? 20 : 200;
  if (options.import_rows < 0)
    options.import_rows = MIN (1000000, options.shipments / 10);
  if (options.shipments < 1 || options.customers < 1 || options.customers > 9999 ||
      options.years < 1 || options.years > 20 || options.import_rows > options.shipments)
    {
      g_printerr ("keyline-bench: --shipments must be at least 1, --customers 1 to 9999, "
                  "--years 1 to 20, and --import-rows at most --shipments\n");
      return 64;
    }

  if (options.sync_server > 0)
    {
      g_autofree char *dir = g_dir_make_tmp ("keyline-bench-sync-XXXXXX", &error);
      KlBenchSyncServer figures = { 0 };

      if (dir == NULL || !kl_bench_sync_pull_server (dir, KL_BENCH_SERVER, (guint) options.sync_server, &figures, &error))
        {
          g_printerr ("keyline-bench: %s\n", error->message);
          return 70;
        }
      g_rmdir (dir);
      figure ("sync_pull_server_records", (double) figures.records, 0, "records");
      figure ("sync_pull_server_rows_per_s", figures.rows_per_s, 0, "rows/s");
      figure ("sync_pull_server_rows_per_s_cpu", figures.rows_per_cpu_s, 0, "rows/s");
      figure ("sync_pull_server_client_cpu_us", figures.client_cpu_us_per_row, 1, "us/row");
      figure ("sync_pull_server_server_cpu_us", figures.server_cpu_us_per_row, 1, "us/row");
      return 0;
    }
  if (options.sync_only > 0)
    {
      g_autofree char *dir = g_dir_make_tmp ("keyline-bench-sync-XXXXXX", &error);
      double rate = 0, cpu_rate = 0;

      if (dir == NULL || !kl_bench_sync_pull (dir, options.sync_only, &rate, &cpu_rate, &error))
        {
          g_printerr ("keyline-bench: %s\n", error->message);
          return 70;
        }
      g_rmdir (dir);
      figure ("sync_pull_rows_per_s", rate, 0, "rows/s");
      figure ("sync_pull_rows_per_s_cpu", cpu_rate, 0, "rows/s");
      return 0;
    }
  if (options.import_only || options.write_csv != NULL)
    return run_import_only (&options);
  if (options.fill)
    {
      if (options.workspace == NULL)
        {
          g_printerr ("keyline-bench: --fill needs --workspace\n");
          return 64;
        }
      return run_fill (&options);
    }
  return run_bench (&options);
}
