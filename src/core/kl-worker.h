/* SPDX-License-Identifier: GPL-3.0-or-later */
/* One thread that owns the workspace connection. The window hands it jobs;
 * each job runs in one transaction, and its result (and any progress) comes
 * back on the caller's main context, GTask style. */
#pragma once

#include <gio/gio.h>
#include "kl-database.h"

G_BEGIN_DECLS

/* Runs on the worker thread. Return the result (may be NULL on success); on
 * failure set error and return NULL. The transaction is rolled back when
 * error is set or the cancellable was cancelled. */
typedef gpointer (*KlWorkerFunc) (KlDatabase   *db,
                                  gpointer      data,
                                  KlWorkerJob  *job,
                                  GError      **error);

/* Called on the main context with progress from 0 to 1 and a short text. */
typedef void (*KlWorkerProgressFunc) (double      fraction,
                                      const char *text,
                                      gpointer    user_data);

typedef enum {
  KL_WORKER_READ,     /* BEGIN DEFERRED */
  KL_WORKER_WRITE,    /* BEGIN IMMEDIATE */
} KlWorkerMode;

#define KL_TYPE_WORKER (kl_worker_get_type ())
G_DECLARE_FINAL_TYPE (KlWorker, kl_worker, KL, WORKER, GObject)

/* Takes ownership of db: from now on only the worker thread touches it. */
KlWorker     *kl_worker_new          (KlDatabase *db);
const char   *kl_worker_get_path     (KlWorker *self);

void          kl_worker_run          (KlWorker             *self,
                                      KlWorkerMode          mode,
                                      KlWorkerFunc          func,
                                      gpointer              data,
                                      GDestroyNotify        data_free,
                                      GDestroyNotify        result_free,
                                      KlWorkerProgressFunc  progress,
                                      gpointer              progress_data,
                                      GCancellable         *cancellable,
                                      GAsyncReadyCallback   callback,
                                      gpointer              user_data);
/* Returns the job's result (owned by the caller) or NULL with error set
 * (NULL without error is a successful NULL result). */
gpointer      kl_worker_run_finish   (KlWorker      *self,
                                      GAsyncResult  *result,
                                      GError       **error);

/* Runs everything queued so far and stops the thread; the worker accepts no
 * more jobs. Waits: call at shutdown only. */
void          kl_worker_shutdown     (KlWorker *self);

/* Inside a job. */
void          kl_worker_job_progress (KlWorkerJob *job, double fraction, const char *text);
GCancellable *kl_worker_job_get_cancellable (KlWorkerJob *job);
gboolean      kl_worker_job_is_cancelled    (KlWorkerJob *job);

G_END_DECLS
