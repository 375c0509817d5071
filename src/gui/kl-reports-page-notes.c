/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The Reports page's comments and goals: loaded with the report, saved on
 * the worker after a quiet moment, and printed in the report. */
#include "config.h"

#include <glib/gi18n.h>

#include "kl-report-note-store.h"
#include "kl-reports-page-private.h"

/* Comments and goals */

static char *
buffer_text (GtkTextView *view)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (view);
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

void
_kl_reports_page_set_buffer_text (KlReportsPage *self,
                                  GtkTextView   *view,
                                  const char    *text)
{
  self->setting_notes = TRUE;
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (view), text != NULL ? text : "", -1);
  self->setting_notes = FALSE;
}

static void
set_notes_status (KlReportsPage *self,
                  const char    *text)
{
  gtk_label_set_label (self->notes_status, text);
}

void
_kl_reports_page_update_notes_editor (KlReportsPage *self)
{
  gboolean editable = self->notes_customer_id != NULL && self->notes_loaded;

  gtk_widget_set_sensitive (GTK_WIDGET (self->comments_view), editable);
  gtk_widget_set_sensitive (GTK_WIDGET (self->goals_view), editable);
  if (self->notes_customer_id == NULL)
    set_notes_status (self, _("Comments and goals are kept for each customer; choose one to write them."));
}

/* Points the editor at the chosen customer and period; their text arrives
 * with the report. */
void
_kl_reports_page_retarget_notes (KlReportsPage *self)
{
  const char *customer_id = _kl_reports_page_selected_customer_id (self);
  const KlPeriod *period = _kl_reports_page_selected_period (self);
  g_autofree char *label = period != NULL ? kl_period_to_label (period) : NULL;

  if (g_strcmp0 (customer_id, self->notes_customer_id) == 0 && g_strcmp0 (label, self->notes_period) == 0)
    return;

  _kl_reports_page_save_notes (self);
  g_free (self->notes_customer_id);
  self->notes_customer_id = g_strdup (customer_id);
  g_free (self->notes_period);
  self->notes_period = g_steal_pointer (&label);
  self->notes_loaded = FALSE;
  _kl_reports_page_set_buffer_text (self, self->comments_view, "");
  _kl_reports_page_set_buffer_text (self, self->goals_view, "");
  if (self->notes_customer_id != NULL)
    set_notes_status (self, _("Printed in the report. Changes are saved as you type."));
  _kl_reports_page_update_notes_editor (self);
}

typedef struct {
  char *customer_id;
  char *period;
  char *comments;
  char *goals;
} SaveRequest;

static void
save_request_free (SaveRequest *request)
{
  g_free (request->customer_id);
  g_free (request->period);
  g_free (request->comments);
  g_free (request->goals);
  g_free (request);
}

static gpointer
save_notes_job (KlDatabase   *db,
                gpointer      data,
                KlWorkerJob  *job,
                GError      **error)
{
  SaveRequest *request = data;

  kl_report_note_set (db, request->customer_id, request->period, request->comments, request->goals, error);
  return NULL;
}

static void
notes_saved (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(Call) call = user_data;
  g_autoptr(KlReportsPage) self = _kl_reports_page_call_get_page (call);
  g_autoptr(GError) error = NULL;
  gboolean current;

  kl_worker_run_finish (call->worker, result, &error);
  if (self == NULL)
    return;

  self->saves_in_flight--;
  current = g_strcmp0 (call->customer_id, self->notes_customer_id) == 0 &&
            g_strcmp0 (call->period, self->notes_period) == 0;
  if (error != NULL)
    {
      _kl_reports_page_add_toast (self, error->message);
      if (current)
        {
          /* Keep the text marked unsaved so the next keystroke tries again. */
          self->notes_dirty = TRUE;
          set_notes_status (self, _("Not saved. Edit the text to try again."));
        }
      _kl_reports_page_update_busy (self);
      return;
    }

  self->n_saves++;
  if (current && !self->notes_dirty && self->saves_in_flight == 0)
    set_notes_status (self, _("Saved. Printed in the report."));
  /* The preview shows the new text. */
  if (current)
    _kl_reports_page_request_build (self);
  _kl_reports_page_update_busy (self);
}

/* reply FALSE: nobody waits for the answer (the page is going away). */
void
_kl_reports_page_save_notes_full (KlReportsPage *self,
                                  gboolean       reply)
{
  SaveRequest *request;
  Call *call;

  g_clear_handle_id (&self->notes_timeout_id, g_source_remove);
  if (!self->notes_dirty || self->notes_customer_id == NULL || self->worker == NULL)
    return;

  request = g_new0 (SaveRequest, 1);
  request->customer_id = g_strdup (self->notes_customer_id);
  request->period = g_strdup (self->notes_period);
  request->comments = buffer_text (self->comments_view);
  request->goals = buffer_text (self->goals_view);
  self->notes_dirty = FALSE;
  if (!reply)
    {
      kl_worker_run (self->worker, KL_WORKER_WRITE, save_notes_job, request,
                     (GDestroyNotify) save_request_free, NULL, NULL, NULL, NULL, NULL, NULL);
      return;
    }
  self->saves_in_flight++;
  set_notes_status (self, _("Saving…"));

  call = _kl_reports_page_call_new (self);
  call->customer_id = g_strdup (request->customer_id);
  call->period = g_strdup (request->period);
  kl_worker_run (self->worker, KL_WORKER_WRITE, save_notes_job, request,
                 (GDestroyNotify) save_request_free, NULL, NULL, NULL, NULL,
                 notes_saved, call);
  _kl_reports_page_update_busy (self);
}

void
_kl_reports_page_save_notes (KlReportsPage *self)
{
  _kl_reports_page_save_notes_full (self, TRUE);
}

static gboolean
notes_timeout (gpointer data)
{
  KlReportsPage *self = data;

  self->notes_timeout_id = 0;
  _kl_reports_page_save_notes (self);
  return G_SOURCE_REMOVE;
}

void
_kl_reports_page_notes_changed (KlReportsPage *self)
{
  if (self->setting_notes || !self->notes_loaded || self->notes_customer_id == NULL)
    return;
  self->notes_dirty = TRUE;
  set_notes_status (self, _("Editing…"));
  g_clear_handle_id (&self->notes_timeout_id, g_source_remove);
  self->notes_timeout_id = g_timeout_add (NOTES_SAVE_DELAY_MS, notes_timeout, self);
  _kl_reports_page_update_busy (self);
}
