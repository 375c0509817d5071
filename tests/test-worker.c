/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The workspace thread: results on the caller's context, one transaction per
 * job, rollback on failure and cancellation, progress delivered. */

#include <gio/gio.h>

#include "kl-database.h"
#include "kl-worker.h"
#include "kl-test-util.h"

typedef struct {
  char         *dir;
  KlWorker     *worker;
  GMainLoop    *loop;
  GThread      *main_thread;
  GError       *error;
  char         *result;
  guint         n_progress;
  gboolean      ran_off_main;
} Fixture;

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  g_autofree char *path = NULL;
  g_autoptr(KlDatabase) db = NULL;

  f->dir = kl_test_make_tmp_dir ("keyline-test-XXXXXX");
  path = g_build_filename (f->dir, "workspace.db", NULL);
  db = kl_test_create_workspace (path);
  f->worker = kl_worker_new (db);
  f->loop = g_main_loop_new (NULL, FALSE);
  f->main_thread = g_thread_self ();
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  g_clear_object (&f->worker);
  g_clear_pointer (&f->loop, g_main_loop_unref);
  g_clear_error (&f->error);
  g_clear_pointer (&f->result, g_free);
  g_assert_true (kl_test_remove_tree (f->dir));
  g_free (f->dir);
}

static gpointer
write_job (KlDatabase *db, gpointer data, KlWorkerJob *job, GError **error)
{
  Fixture *f = data;
  const char *value = g_object_get_data (G_OBJECT (db), "test-value");

  f->ran_off_main = g_thread_self () != f->main_thread;
  kl_worker_job_progress (job, 0.5, "half");
  if (!kl_database_set_setting (db, "k", value ? value : "written", error))
    return NULL;
  if (g_strcmp0 (value, "fail") == 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "asked to fail");
      return NULL;
    }
  return g_strdup ("done");
}

static gpointer
read_job (KlDatabase *db, gpointer data, KlWorkerJob *job, GError **error)
{
  return kl_database_get_setting (db, "k");
}

static gpointer
set_value_job (KlDatabase *db, gpointer data, KlWorkerJob *job, GError **error)
{
  g_object_set_data_full (G_OBJECT (db), "test-value", g_strdup (data), g_free);
  return NULL;
}

static void
progress_cb (double fraction, const char *text, gpointer user_data)
{
  Fixture *f = user_data;

  g_assert_true (g_thread_self () == f->main_thread);
  g_assert_cmpfloat (fraction, ==, 0.5);
  f->n_progress++;
}

static void
done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Fixture *f = user_data;

  g_assert_true (g_thread_self () == f->main_thread);
  g_clear_error (&f->error);
  g_clear_pointer (&f->result, g_free);
  f->result = kl_worker_run_finish (f->worker, result, &f->error);
  g_main_loop_quit (f->loop);
}

static void
run (Fixture *f, KlWorkerMode mode, KlWorkerFunc func, gpointer data, GCancellable *cancellable)
{
  kl_worker_run (f->worker, mode, func, data, NULL, g_free, progress_cb, f, cancellable, done_cb, f);
  g_main_loop_run (f->loop);
}

static void
test_result_and_progress (Fixture *f, gconstpointer data)
{
  run (f, KL_WORKER_WRITE, write_job, f, NULL);
  g_assert_no_error (f->error);
  g_assert_cmpstr (f->result, ==, "done");
  g_assert_true (f->ran_off_main);

  run (f, KL_WORKER_READ, read_job, NULL, NULL);
  g_assert_cmpstr (f->result, ==, "written");
  /* Progress of a finished job may arrive before its result or be dropped,
   * never after; the first job sent one. */
  g_assert_cmpuint (f->n_progress, <=, 1);
}

static void
test_failure_rolls_back (Fixture *f, gconstpointer data)
{
  run (f, KL_WORKER_WRITE, set_value_job, "fail", NULL);
  run (f, KL_WORKER_WRITE, write_job, f, NULL);
  g_assert_error (f->error, G_IO_ERROR, G_IO_ERROR_FAILED);
  g_assert_null (f->result);

  run (f, KL_WORKER_READ, read_job, NULL, NULL);
  g_assert_no_error (f->error);
  g_assert_null (f->result);   /* the failed job's write is gone */
}

static void
test_cancel_rolls_back (Fixture *f, gconstpointer data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();

  g_cancellable_cancel (cancellable);
  run (f, KL_WORKER_WRITE, write_job, f, cancellable);
  g_assert_error (f->error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  run (f, KL_WORKER_READ, read_job, NULL, NULL);
  g_assert_null (f->result);
}

static void
test_shutdown (Fixture *f, gconstpointer data)
{
  kl_worker_shutdown (f->worker);
  run (f, KL_WORKER_READ, read_job, NULL, NULL);
  g_assert_error (f->error, KL_DATABASE_ERROR, KL_DATABASE_ERROR_CANCELLED);
}

int
main (int argc, char **argv)
{
  g_setenv ("TZ", "UTC", TRUE);
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/worker/result-progress", test_result_and_progress);
  ADD ("/worker/failure-rolls-back", test_failure_rolls_back);
  ADD ("/worker/cancel-rolls-back", test_cancel_rolls_back);
  ADD ("/worker/shutdown", test_shutdown);
#undef ADD
  return g_test_run ();
}
