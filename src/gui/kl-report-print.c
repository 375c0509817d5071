/* SPDX-License-Identifier: GPL-3.0-or-later */
/* GtkPrintOperation over a prepared report: the same document the preview
 * shows, each page drawn from points onto the printer's page. */
#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "kl-report-print.h"
#include "kl-period.h"
#include "kl-report-job.h"

struct _KlReportPrint {
  GObject           parent_instance;

  KlPaperSize       paper;
  GtkPageSetup     *page_setup;
  gboolean          page_setup_chosen;   /* by the user, in Page Setup */
  GtkPrintSettings *print_settings;
};

G_DEFINE_FINAL_TYPE (KlReportPrint, kl_report_print, G_TYPE_OBJECT)

static GtkPageSetup *
page_setup_for_paper (KlPaperSize paper)
{
  GtkPageSetup *setup = gtk_page_setup_new ();
  g_autoptr(GtkPaperSize) size = NULL;

  size = gtk_paper_size_new (paper == KL_PAPER_LETTER ? GTK_PAPER_NAME_LETTER : GTK_PAPER_NAME_A4);
  gtk_page_setup_set_paper_size_and_default_margins (setup, size);
  gtk_page_setup_set_orientation (setup, GTK_PAGE_ORIENTATION_PORTRAIT);
  return setup;
}

static void
kl_report_print_finalize (GObject *object)
{
  KlReportPrint *self = KL_REPORT_PRINT (object);

  g_clear_object (&self->page_setup);
  g_clear_object (&self->print_settings);
  G_OBJECT_CLASS (kl_report_print_parent_class)->finalize (object);
}

static void
kl_report_print_class_init (KlReportPrintClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = kl_report_print_finalize;
}

static void
kl_report_print_init (KlReportPrint *self)
{
  self->paper = KL_PAPER_A4;
  self->page_setup = page_setup_for_paper (self->paper);
  self->print_settings = gtk_print_settings_new ();
}

KlReportPrint *
kl_report_print_new (void)
{
  return g_object_new (KL_TYPE_REPORT_PRINT, NULL);
}

void
kl_report_print_set_paper (KlReportPrint *self,
                           KlPaperSize    paper)
{
  g_return_if_fail (KL_IS_REPORT_PRINT (self));

  if (self->paper == paper)
    return;
  self->paper = paper;
  if (!self->page_setup_chosen)
    {
      g_clear_object (&self->page_setup);
      self->page_setup = page_setup_for_paper (paper);
    }
}

GtkPageSetup *
kl_report_print_get_page_setup (KlReportPrint *self)
{
  g_return_val_if_fail (KL_IS_REPORT_PRINT (self), NULL);
  return self->page_setup;
}

/* Page setup */

static void
page_setup_done (GtkPageSetup *page_setup,
                 gpointer      data)
{
  KlReportPrint *self = data;

  /* NULL when the dialog was cancelled. */
  if (page_setup != NULL)
    {
      g_clear_object (&self->page_setup);
      self->page_setup = gtk_page_setup_copy (page_setup);
      self->page_setup_chosen = TRUE;
    }
  g_object_unref (self);
}

void
kl_report_print_run_page_setup (KlReportPrint *self,
                                GtkWindow     *parent)
{
  g_return_if_fail (KL_IS_REPORT_PRINT (self));

  gtk_print_run_page_setup_dialog_async (parent, self->page_setup, self->print_settings,
                                         page_setup_done, g_object_ref (self));
}

/* Printing */

static void
draw_page (GtkPrintOperation *operation,
           GtkPrintContext   *context,
           int                page,
           KlPreparedReport  *report)
{
  KlReportDocument *document = kl_prepared_report_get_document (report);
  cairo_t *cr = gtk_print_context_get_cairo_context (context);
  double width = gtk_print_context_get_width (context);
  double height = gtk_print_context_get_height (context);
  double page_width, page_height, scale;

  kl_report_document_get_page_size (document, &page_width, &page_height);
  /* Points onto the paper's width; a shorter or turned sheet shrinks the
   * page to fit, centred across. */
  scale = MIN (width / page_width, height / page_height);
  cairo_save (cr);
  cairo_translate (cr, (width - page_width * scale) / 2, 0);
  cairo_scale (cr, scale, scale);
  kl_prepared_report_draw_page (report, cr, page);
  cairo_restore (cr);
}

static char *
job_name (KlPreparedReport *report)
{
  const KlReportModel *model = kl_prepared_report_get_model (report);
  KlReportDocument *document = kl_prepared_report_get_document (report);
  g_autofree char *period = kl_period_to_display (model->period);

  /* Translators: a print job name: report title, customer and period */
  return g_strdup_printf (_("%s – %s – %s"), kl_report_document_get_title (document),
                          model->customer_name != NULL ? model->customer_name : _("Whole portfolio"),
                          period);
}

static GtkPrintOperation *
make_operation (KlReportPrint    *self,
                KlPreparedReport *report)
{
  GtkPrintOperation *operation = gtk_print_operation_new ();
  g_autoptr(GtkPrintSettings) settings = gtk_print_settings_copy (self->print_settings);
  g_autofree char *name = job_name (report);
  g_autofree char *file_name = kl_report_file_name (kl_prepared_report_get_model (report), "pdf");
  char *dot = strrchr (file_name, '.');

  /* Print to File suggests the same name as Export. */
  if (dot != NULL)
    *dot = '\0';
  gtk_print_settings_set (settings, GTK_PRINT_SETTINGS_OUTPUT_BASENAME, file_name);

  gtk_print_operation_set_n_pages (operation, kl_report_document_get_n_pages (kl_prepared_report_get_document (report)));
  gtk_print_operation_set_unit (operation, GTK_UNIT_POINTS);
  gtk_print_operation_set_use_full_page (operation, TRUE);
  gtk_print_operation_set_default_page_setup (operation, self->page_setup);
  gtk_print_operation_set_print_settings (operation, settings);
  gtk_print_operation_set_embed_page_setup (operation, TRUE);
  gtk_print_operation_set_job_name (operation, name);
  g_signal_connect_data (operation, "draw-page", G_CALLBACK (draw_page),
                         kl_prepared_report_ref (report),
                         (GClosureNotify) (void (*) (void)) kl_prepared_report_unref, 0);
  return operation;
}

typedef struct {
  GtkPrintOperation *operation;
  gboolean           finished;
} PrintCall;

static void
print_call_free (PrintCall *call)
{
  g_clear_object (&call->operation);
  g_free (call);
}

/* Runs once: from ::done, or from run() when it did not go async. */
static void
finish (GTask                   *task,
        GtkPrintOperationResult  result,
        GError                  *run_error)
{
  KlReportPrint *self = g_task_get_source_object (task);
  PrintCall *call = g_task_get_task_data (task);
  g_autoptr(GError) error = run_error;

  if (call->finished)
    return;
  call->finished = TRUE;
  g_signal_handlers_disconnect_by_data (call->operation, task);

  switch (result)
    {
    case GTK_PRINT_OPERATION_RESULT_APPLY:
      g_set_object (&self->print_settings, gtk_print_operation_get_print_settings (call->operation));
      g_task_return_boolean (task, TRUE);
      break;
    case GTK_PRINT_OPERATION_RESULT_CANCEL:
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, _("Printing was cancelled"));
      break;
    case GTK_PRINT_OPERATION_RESULT_ERROR:
    case GTK_PRINT_OPERATION_RESULT_IN_PROGRESS:
    default:
      if (error == NULL)
        gtk_print_operation_get_error (call->operation, &error);
      if (error == NULL)
        error = g_error_new_literal (GTK_PRINT_ERROR, GTK_PRINT_ERROR_GENERAL,
                                     _("The report could not be printed"));
      g_task_return_error (task, g_steal_pointer (&error));
      break;
    }
}

static void
operation_done (GtkPrintOperation       *operation,
                GtkPrintOperationResult  result,
                GTask                   *task)
{
  finish (task, result, NULL);
  g_object_unref (task);
}

void
kl_report_print_run_async (KlReportPrint       *self,
                           KlPreparedReport    *report,
                           int                  current_page,
                           GtkWindow           *parent,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  GTask *task;
  PrintCall *call;
  GError *error = NULL;
  GtkPrintOperationResult result;

  g_return_if_fail (KL_IS_REPORT_PRINT (self));
  g_return_if_fail (report != NULL);

  task = g_task_new (self, NULL, callback, user_data);
  g_task_set_source_tag (task, kl_report_print_run_async);
  call = g_new0 (PrintCall, 1);
  call->operation = make_operation (self, report);
  g_task_set_task_data (task, call, (GDestroyNotify) print_call_free);
  gtk_print_operation_set_allow_async (call->operation, TRUE);
  if (current_page >= 0)
    gtk_print_operation_set_current_page (call->operation, current_page);
  /* ::done holds the task's reference until the job is over. */
  g_signal_connect (call->operation, "done", G_CALLBACK (operation_done), task);

  g_object_ref (task);
  result = gtk_print_operation_run (call->operation, GTK_PRINT_OPERATION_ACTION_PRINT_DIALOG, parent, &error);
  if (result != GTK_PRINT_OPERATION_RESULT_IN_PROGRESS && !call->finished)
    {
      /* Over without ::done; finish() disconnects it, so drop its reference here. */
      finish (task, result, error);
      g_object_unref (task);
    }
  else
    g_clear_error (&error);
  g_object_unref (task);
}

gboolean
kl_report_print_run_finish (KlReportPrint  *self,
                            GAsyncResult   *result,
                            GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

gboolean
kl_report_print_export (KlReportPrint     *self,
                        KlPreparedReport  *report,
                        const char        *path,
                        GError           **error)
{
  g_autoptr(GtkPrintOperation) operation = NULL;
  GtkPrintOperationResult result;

  g_return_val_if_fail (KL_IS_REPORT_PRINT (self), FALSE);
  g_return_val_if_fail (report != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  operation = make_operation (self, report);
  gtk_print_operation_set_export_filename (operation, path);
  result = gtk_print_operation_run (operation, GTK_PRINT_OPERATION_ACTION_EXPORT, NULL, error);
  return result != GTK_PRINT_OPERATION_RESULT_ERROR;
}
