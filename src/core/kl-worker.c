/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The workspace's own thread: jobs in, results out on the caller's context. */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "kl-database-private.h"
#include "kl-worker.h"

struct _KlWorker {
  GObject      parent_instance;

  KlDatabase  *db;
  char        *path;
  GThread     *thread;
  GAsyncQueue *queue;
  gboolean     stopped;
};

struct _KlWorkerJob {
  GTask               *task;
  GMainContext        *context;
  KlWorkerMode         mode;
  KlWorkerFunc         func;
  gpointer             data;
  GDestroyNotify       data_free;
  GDestroyNotify       result_free;
  KlWorkerProgressFunc progress;
  gpointer             progress_data;
};

G_DEFINE_FINAL_TYPE (KlWorker, kl_worker, G_TYPE_OBJECT)

/* Pushed to stop the thread. */
static KlWorkerJob stop_marker;

static void
job_free (KlWorkerJob *job)
{
  if (job->data_free != NULL && job->data != NULL)
    job->data_free (job->data);
  g_clear_pointer (&job->context, g_main_context_unref);
  g_free (job);
}

/* The last reference to a task (and so to the job's data, which may hold
 * widgets) is dropped on the caller's context, never on the worker. */
static gboolean
release_task_cb (gpointer data)
{
  GTask *task = data;

  g_object_unref (task);
  return G_SOURCE_REMOVE;
}

static void
run_job (KlWorker    *self,
         KlWorkerJob *job)
{
  GCancellable *cancellable = g_task_get_cancellable (job->task);
  g_autoptr(GError) error = NULL;
  gpointer result = NULL;

  if (g_cancellable_set_error_if_cancelled (cancellable, &error))
    {
      g_task_return_error (job->task, g_steal_pointer (&error));
      return;
    }

  if (!_kl_database_begin_mode (self->db, job->mode == KL_WORKER_WRITE, &error))
    {
      g_task_return_error (job->task, g_steal_pointer (&error));
      return;
    }

  result = job->func (self->db, job->data, job, &error);

  if (error == NULL && g_cancellable_set_error_if_cancelled (cancellable, &error))
    {
      if (result != NULL && job->result_free != NULL)
        job->result_free (result);
      result = NULL;
    }

  if (error != NULL)
    {
      kl_database_rollback (self->db);
      /* Jobs may have left nested levels open on failure; close them all. */
      while (kl_database_in_transaction (self->db))
        kl_database_rollback (self->db);
      g_task_return_error (job->task, g_steal_pointer (&error));
      return;
    }

  if (!kl_database_commit (self->db, &error))
    {
      while (kl_database_in_transaction (self->db))
        kl_database_rollback (self->db);
      if (result != NULL && job->result_free != NULL)
        job->result_free (result);
      g_task_return_error (job->task, g_steal_pointer (&error));
      return;
    }

  g_task_return_pointer (job->task, result, job->result_free);
}

/* Runs func on context's thread. Always through a source: unlike
 * g_main_context_invoke(), which would run it right here on the worker
 * thread whenever the caller's context happens to be free. */
static void
invoke_later (GMainContext *context,
              GSourceFunc   func,
              gpointer      data,
              const char   *name)
{
  GSource *source = g_idle_source_new ();

  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_callback (source, func, data, NULL);
  g_source_set_static_name (source, name);
  g_source_attach (source, context);
  g_source_unref (source);
}

static gpointer
worker_thread (gpointer data)
{
  KlWorker *self = data;

  for (;;)
    {
      KlWorkerJob *job = g_async_queue_pop (self->queue);
      GTask *task;
      GMainContext *context;

      if (job == &stop_marker)
        break;

      task = job->task;
      context = g_main_context_ref (job->context);
      run_job (self, job);
      invoke_later (context, release_task_cb, task, "[keyline] worker release");
      g_main_context_unref (context);
    }
  return NULL;
}

static void
kl_worker_dispose (GObject *object)
{
  KlWorker *self = (KlWorker *) object;

  kl_worker_shutdown (self);

  G_OBJECT_CLASS (kl_worker_parent_class)->dispose (object);
}

static void
kl_worker_finalize (GObject *object)
{
  KlWorker *self = (KlWorker *) object;

  g_clear_object (&self->db);
  g_clear_pointer (&self->queue, g_async_queue_unref);
  g_clear_pointer (&self->path, g_free);

  G_OBJECT_CLASS (kl_worker_parent_class)->finalize (object);
}

static void
kl_worker_class_init (KlWorkerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = kl_worker_dispose;
  object_class->finalize = kl_worker_finalize;
}

static void
kl_worker_init (KlWorker *self)
{
  self->queue = g_async_queue_new ();
}

KlWorker *
kl_worker_new (KlDatabase *db)
{
  KlWorker *self;

  g_return_val_if_fail (KL_IS_DATABASE (db), NULL);

  self = g_object_new (KL_TYPE_WORKER, NULL);
  self->db = g_object_ref (db);
  self->path = g_strdup (kl_database_get_path (db));
  self->thread = g_thread_new ("keyline-workspace", worker_thread, self);
  return self;
}

const char *
kl_worker_get_path (KlWorker *self)
{
  g_return_val_if_fail (KL_IS_WORKER (self), NULL);
  return self->path;
}

void
kl_worker_run (KlWorker             *self,
               KlWorkerMode          mode,
               KlWorkerFunc          func,
               gpointer              data,
               GDestroyNotify        data_free,
               GDestroyNotify        result_free,
               KlWorkerProgressFunc  progress,
               gpointer              progress_data,
               GCancellable         *cancellable,
               GAsyncReadyCallback   callback,
               gpointer              user_data)
{
  KlWorkerJob *job;

  g_return_if_fail (KL_IS_WORKER (self));
  g_return_if_fail (func != NULL);

  job = g_new0 (KlWorkerJob, 1);
  job->task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (job->task, kl_worker_run);
  g_task_set_name (job->task, "kl_worker_run");
  job->context = g_main_context_ref_thread_default ();
  job->mode = mode;
  job->func = func;
  job->data = data;
  job->data_free = data_free;
  job->result_free = result_free;
  job->progress = progress;
  job->progress_data = progress_data;
  g_task_set_task_data (job->task, job, (GDestroyNotify) job_free);

  if (self->stopped)
    {
      g_task_return_new_error (job->task, KL_DATABASE_ERROR, KL_DATABASE_ERROR_CANCELLED,
                               _("The workspace is closing"));
      g_object_unref (job->task);
      return;
    }

  g_async_queue_push (self->queue, job);
}

gpointer
kl_worker_run_finish (KlWorker      *self,
                      GAsyncResult  *result,
                      GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == kl_worker_run, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
kl_worker_shutdown (KlWorker *self)
{
  g_return_if_fail (KL_IS_WORKER (self));

  if (self->thread == NULL)
    return;
  self->stopped = TRUE;
  g_async_queue_push (self->queue, &stop_marker);
  g_thread_join (self->thread);
  self->thread = NULL;
}

typedef struct {
  KlWorkerProgressFunc func;
  gpointer             data;
  double               fraction;
  char                *text;
  GTask               *task;
} ProgressCall;

static gboolean
progress_cb (gpointer user_data)
{
  ProgressCall *call = user_data;

  if (!g_task_get_completed (call->task))
    call->func (call->fraction, call->text, call->data);
  g_object_unref (call->task);
  g_free (call->text);
  g_free (call);
  return G_SOURCE_REMOVE;
}

void
kl_worker_job_progress (KlWorkerJob *job,
                        double       fraction,
                        const char  *text)
{
  ProgressCall *call;

  g_return_if_fail (job != NULL);

  if (job->progress == NULL)
    return;
  call = g_new0 (ProgressCall, 1);
  call->func = job->progress;
  call->data = job->progress_data;
  call->fraction = CLAMP (fraction, 0.0, 1.0);
  call->text = g_strdup (text);
  call->task = g_object_ref (job->task);
  invoke_later (job->context, progress_cb, call, "[keyline] worker progress");
}

GCancellable *
kl_worker_job_get_cancellable (KlWorkerJob *job)
{
  g_return_val_if_fail (job != NULL, NULL);
  return g_task_get_cancellable (job->task);
}

gboolean
kl_worker_job_is_cancelled (KlWorkerJob *job)
{
  g_return_val_if_fail (job != NULL, TRUE);
  return g_cancellable_is_cancelled (g_task_get_cancellable (job->task));
}
