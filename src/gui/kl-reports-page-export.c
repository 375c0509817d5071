/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The Reports page's exports: the PDF (written by the worker), the figures
 * as CSV or JSON, the charts as PNG or SVG and the Excel workbook (written
 * by GIO threads). */
#include "config.h"

#include <string.h>
#include <glib/gi18n.h>
#include <cairo-svg.h>

#include "kl-chart.h"
#include "kl-report-chart.h"
#include "kl-report-csv.h"
#include "kl-report-json.h"
#include "kl-reports-page-private.h"
#include "kl-xlsx-export.h"
#include "kl-xlsx-save.h"

/* Exports */

typedef struct {
  KlReportModel    *model;
  KlReportOptions   options;
  char             *path;
} PdfRequest;

static void
pdf_request_free (PdfRequest *request)
{
  kl_report_model_free (request->model);
  kl_report_options_clear (&request->options);
  g_free (request->path);
  g_free (request);
}

/* The document is laid out again here, from the same model and options
 * with the notes as saved, so the file matches the preview page for page. */
static gpointer
export_pdf_job (KlDatabase   *db,
                gpointer      data,
                KlWorkerJob  *job,
                GError      **error)
{
  PdfRequest *request = data;
  g_autoptr(KlReportDocument) document = NULL;

  if (!kl_report_model_load_notes (request->model, db, error))
    return NULL;
  document = kl_report_make_document (request->model, &request->options, NULL);
  kl_report_document_write_pdf (document, request->path, error);
  return NULL;
}

static void
pdf_written (GObject      *source,
             GAsyncResult *res,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  KlWorker *worker = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  kl_worker_run_finish (worker, res, &error);
  if (error != NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

static void
text_written (GObject      *source,
              GAsyncResult *res,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_file_replace_contents_finish (G_FILE (source), res, NULL, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

typedef struct {
  KlReportChart *chart;
  gboolean       svg;
  char          *path;
} ChartRequest;

static void
chart_request_free (ChartRequest *request)
{
  kl_report_chart_free (request->chart);
  g_free (request->path);
  g_free (request);
}

static void
write_chart_thread (GTask        *task,
                    gpointer      source,
                    gpointer      data,
                    GCancellable *cancellable)
{
  const ChartRequest *request = data;
  KlChartPalette palette = kl_chart_palette_print ();
  cairo_surface_t *surface;
  cairo_status_t status;
  cairo_t *cr;

  if (request->svg)
    surface = cairo_svg_surface_create (request->path, CHART_WIDTH, CHART_HEIGHT);
  else
    {
      surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, (int) CHART_WIDTH * 2, (int) CHART_HEIGHT * 2);
      cairo_surface_set_device_scale (surface, 2, 2);
    }

  cr = cairo_create (surface);
  kl_chart_fill_background (cr, CHART_WIDTH, CHART_HEIGHT, &palette);
  cairo_translate (cr, CHART_PADDING, CHART_PADDING);
  kl_report_chart_draw (request->chart, cr, CHART_WIDTH - 2 * CHART_PADDING,
                        CHART_HEIGHT - 2 * CHART_PADDING, &palette);
  cairo_destroy (cr);

  if (request->svg)
    cairo_surface_finish (surface);
  status = cairo_surface_status (surface);
  if (status == CAIRO_STATUS_SUCCESS && !request->svg)
    status = cairo_surface_write_to_png (surface, request->path);
  cairo_surface_destroy (surface);

  if (status != CAIRO_STATUS_SUCCESS)
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED,
                             _("Cannot write the chart to “%s”: %s"), request->path,
                             cairo_status_to_string (status));
  else
    g_task_return_boolean (task, TRUE);
}

typedef struct {
  KlReportModel *model;
  char          *language;
  char          *path;
} XlsxRequest;

static void
xlsx_request_free (XlsxRequest *request)
{
  kl_report_model_free (request->model);
  g_free (request->language);
  g_free (request->path);
  g_free (request);
}

static void
write_xlsx_thread (GTask        *task,
                   gpointer      source,
                   gpointer      data,
                   GCancellable *cancellable)
{
  const XlsxRequest *request = data;
  GError *error = NULL;

  if (!kl_xlsx_write_report (request->model, request->language, request->path, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

/* The chart the printed report shows, in the report's language (not the
 * window's). */
KlReportChart *
_kl_reports_page_make_chart (KlReportsPage   *self,
                             KlReportsExport  format)
{
  KlPreparedReport *report;
  gboolean regions = format == KL_REPORTS_EXPORT_REGIONS_PNG || format == KL_REPORTS_EXPORT_REGIONS_SVG;

  g_return_val_if_fail (KL_IS_REPORTS_PAGE (self), NULL);

  report = kl_report_preview_get_report (self->preview);
  if (report == NULL)
    return NULL;
  return kl_report_chart_new (kl_prepared_report_get_model (report),
                              regions ? KL_REPORT_CHART_DESTINATION_REGIONS : KL_REPORT_CHART_VOLUME_TREND,
                              kl_report_document_get_language (kl_prepared_report_get_document (report)));
}

void
_kl_reports_page_export_to (KlReportsPage       *self,
                            KlReportsExport      format,
                            GFile               *file,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  KlPreparedReport *report;
  const KlReportModel *model;
  g_autoptr(GTask) task = NULL;
  g_autofree char *path = NULL;

  g_return_if_fail (KL_IS_REPORTS_PAGE (self));
  g_return_if_fail (G_IS_FILE (file));

  task = g_task_new (self, self->lifetime, callback, user_data);
  g_task_set_source_tag (task, _kl_reports_page_export_to);
  report = kl_report_preview_get_report (self->preview);
  if (report == NULL || self->worker == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED,
                               _("There is no report to export yet"));
      return;
    }
  model = kl_prepared_report_get_model (report);
  path = g_file_get_path (file);

  switch (format)
    {
    case KL_REPORTS_EXPORT_PDF:
      {
        PdfRequest *request;

        if (path == NULL)
          {
            g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                                     _("Choose a folder on this computer for the PDF file"));
            return;
          }
        /* Typing still waiting to be saved goes first in the worker's queue. */
        _kl_reports_page_save_notes (self);
        request = g_new0 (PdfRequest, 1);
        request->model = kl_report_model_copy (model);
        _kl_reports_page_load_options (self, &request->options);
        request->path = g_steal_pointer (&path);
        g_task_set_task_data (task, g_object_ref (self->worker), g_object_unref);
        kl_worker_run (self->worker, KL_WORKER_READ, export_pdf_job, request,
                       (GDestroyNotify) pdf_request_free, NULL, NULL, NULL, NULL,
                       pdf_written, g_steal_pointer (&task));
        break;
      }
    case KL_REPORTS_EXPORT_CSV:
    case KL_REPORTS_EXPORT_JSON:
      {
        char *text = format == KL_REPORTS_EXPORT_CSV ? kl_report_to_csv (model) : kl_report_to_json (model);
        g_autoptr(GBytes) bytes = g_bytes_new_take (text, strlen (text));

        g_file_replace_contents_bytes_async (file, bytes, NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION,
                                             self->lifetime, text_written, g_steal_pointer (&task));
        break;
      }
    case KL_REPORTS_EXPORT_XLSX:
      {
        XlsxRequest *request;

        if (path == NULL)
          {
            g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                                     _("Choose a folder on this computer for the workbook"));
            return;
          }
        /* The figures as previewed, in the report's language. */
        request = g_new0 (XlsxRequest, 1);
        request->model = kl_report_model_copy (model);
        request->language = g_strdup (kl_report_document_get_language (kl_prepared_report_get_document (report)));
        request->path = g_steal_pointer (&path);
        g_task_set_task_data (task, request, (GDestroyNotify) xlsx_request_free);
        g_task_run_in_thread (task, write_xlsx_thread);
        break;
      }
    case KL_REPORTS_EXPORT_TREND_PNG:
    case KL_REPORTS_EXPORT_TREND_SVG:
    case KL_REPORTS_EXPORT_REGIONS_PNG:
    case KL_REPORTS_EXPORT_REGIONS_SVG:
    default:
      {
        gboolean svg = format == KL_REPORTS_EXPORT_TREND_SVG || format == KL_REPORTS_EXPORT_REGIONS_SVG;
        KlReportChart *chart;
        ChartRequest *request;

        if (path == NULL)
          {
            g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                                     _("Choose a folder on this computer for the chart"));
            return;
          }
        chart = _kl_reports_page_make_chart (self, format);
        if (chart == NULL)
          {
            g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                                     _("This report has no regions to chart"));
            return;
          }
        request = g_new0 (ChartRequest, 1);
        request->chart = chart;
        request->svg = svg;
        request->path = g_steal_pointer (&path);
        g_task_set_task_data (task, request, (GDestroyNotify) chart_request_free);
        g_task_run_in_thread (task, write_chart_thread);
        break;
      }
    }
}

gboolean
_kl_reports_page_export_finish (KlReportsPage  *self,
                                GAsyncResult   *result,
                                GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
exported (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  KlReportsPage *self = KL_REPORTS_PAGE (source);
  g_autoptr(GFile) file = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = g_file_get_basename (file);
  g_autofree char *message = NULL;

  if (!_kl_reports_page_export_finish (self, result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        _kl_reports_page_add_toast (self, error->message);
      return;
    }
  /* Translators: %s is a file name */
  message = g_strdup_printf (_("Saved “%s”"), name);
  _kl_reports_page_add_toast (self, message);
}

/* The export file choosers */

static const char *
extension_of (const char *name)
{
  const char *dot = strrchr (name, '.');

  return dot != NULL && dot != name ? dot + 1 : NULL;
}

/* The file's own extension decides when it names a format; otherwise the
 * format picked in the chooser does and its extension is added. */
static KlReportsExport
chosen_format (GtkFileChooser  *chooser,
               ChooseKind       kind,
               GFile          **file)
{
  g_autofree char *name = g_file_get_basename (*file);
  const char *extension = extension_of (name);
  const char *wanted = NULL;
  KlReportsExport format = KL_REPORTS_EXPORT_PDF;

  switch (kind)
    {
    case CHOOSE_PDF:
      wanted = "pdf";
      format = KL_REPORTS_EXPORT_PDF;
      break;
    case CHOOSE_XLSX:
      wanted = "xlsx";
      format = KL_REPORTS_EXPORT_XLSX;
      break;
    case CHOOSE_FIGURES:
      if (extension != NULL && g_ascii_strcasecmp (extension, "json") == 0)
        wanted = "json";
      else if (extension != NULL && g_ascii_strcasecmp (extension, "csv") == 0)
        wanted = "csv";
      else
        wanted = g_strcmp0 (gtk_file_chooser_get_choice (chooser, "format"), "json") == 0 ? "json" : "csv";
      format = g_str_equal (wanted, "json") ? KL_REPORTS_EXPORT_JSON : KL_REPORTS_EXPORT_CSV;
      break;
    case CHOOSE_CHART:
    default:
      {
        gboolean regions = g_strcmp0 (gtk_file_chooser_get_choice (chooser, "chart"), "regions") == 0;

        if (extension != NULL && g_ascii_strcasecmp (extension, "svg") == 0)
          wanted = "svg";
        else if (extension != NULL && g_ascii_strcasecmp (extension, "png") == 0)
          wanted = "png";
        else
          wanted = g_strcmp0 (gtk_file_chooser_get_choice (chooser, "format"), "svg") == 0 ? "svg" : "png";
        if (g_str_equal (wanted, "svg"))
          format = regions ? KL_REPORTS_EXPORT_REGIONS_SVG : KL_REPORTS_EXPORT_TREND_SVG;
        else
          format = regions ? KL_REPORTS_EXPORT_REGIONS_PNG : KL_REPORTS_EXPORT_TREND_PNG;
        break;
      }
    }

  if (extension == NULL || g_ascii_strcasecmp (extension, wanted) != 0)
    {
      g_autoptr(GFile) parent = g_file_get_parent (*file);
      g_autofree char *full = g_strdup_printf ("%s.%s", name, wanted);

      if (parent != NULL)
        {
          g_object_unref (*file);
          *file = g_file_get_child (parent, full);
        }
    }
  return format;
}

static void
export_file_chosen (GtkNativeDialog *dialog,
                    int              response,
                    KlReportsPage   *self)
{
  GtkFileChooser *chooser = GTK_FILE_CHOOSER (dialog);
  ChooseKind kind = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (dialog), "kl-choose-kind"));

  if (response == GTK_RESPONSE_ACCEPT)
    {
      GFile *file = gtk_file_chooser_get_file (chooser);

      if (file != NULL)
        {
          KlReportsExport format = chosen_format (chooser, kind, &file);

          _kl_reports_page_export_to (self, format, file, exported, file);
        }
    }
  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
}

static void
add_filter (GtkFileChooser *chooser,
            const char     *name,
            const char     *mime_type,
            const char     *other_mime_type)
{
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, name);
  gtk_file_filter_add_mime_type (filter, mime_type);
  if (other_mime_type != NULL)
    gtk_file_filter_add_mime_type (filter, other_mime_type);
  gtk_file_chooser_add_filter (chooser, filter);
}

void
_kl_reports_page_choose_export_file (KlReportsPage *self,
                                     ChooseKind     kind)
{
  KlPreparedReport *report = kl_report_preview_get_report (self->preview);
  const KlReportModel *model;
  GtkFileChooserNative *native;
  GtkFileChooser *chooser;
  g_autofree char *name = NULL;
  g_autoptr(GFile) preset = NULL;
  const char *title;

  if (report == NULL)
    return;
  model = kl_prepared_report_get_model (report);

  /* Tests choose the workbook's file beforehand (kl_xlsx_save_set_next_file). */
  if (kind == CHOOSE_XLSX && (preset = kl_xlsx_save_take_next_file ()) != NULL)
    {
      GFile *file = kl_xlsx_save_with_extension (preset);

      _kl_reports_page_export_to (self, KL_REPORTS_EXPORT_XLSX, file, exported, file);
      return;
    }

  switch (kind)
    {
    case CHOOSE_PDF:
      title = _("Export Report as PDF");
      name = kl_report_file_name (model, "pdf");
      break;
    case CHOOSE_CHART:
      {
        g_autofree char *stem = kl_report_file_name (model, "png");

        title = _("Export Chart");
        stem[strlen (stem) - 4] = '\0';
        name = g_strdup_printf ("%s-chart.png", stem);
        break;
      }
    case CHOOSE_XLSX:
      title = _("Export Report as Excel Workbook");
      name = kl_report_file_name (model, "xlsx");
      break;
    case CHOOSE_FIGURES:
    default:
      title = _("Export Figures");
      name = kl_report_file_name (model, "csv");
      break;
    }

  native = gtk_file_chooser_native_new (title, _kl_reports_page_parent_window (self), GTK_FILE_CHOOSER_ACTION_SAVE,
                                        _("_Export"), _("_Cancel"));
  chooser = GTK_FILE_CHOOSER (native);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (native), TRUE);
  gtk_file_chooser_set_current_name (chooser, name);

  switch (kind)
    {
    case CHOOSE_PDF:
      add_filter (chooser, _("PDF documents"), "application/pdf", NULL);
      break;
    case CHOOSE_XLSX:
      add_filter (chooser, _("Excel workbooks"),
                  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", NULL);
      break;
    case CHOOSE_CHART:
      gtk_file_chooser_add_choice (chooser, "chart", _("Chart"),
                                   (const char *[]) { "trend", "regions", NULL },
                                   (const char *[]) { _("Shipments, last twelve months"),
                                                      _("Shipments by destination region"), NULL });
      gtk_file_chooser_set_choice (chooser, "chart", "trend");
      gtk_file_chooser_add_choice (chooser, "format", _("Format"),
                                   (const char *[]) { "png", "svg", NULL },
                                   (const char *[]) { _("PNG image"), _("SVG drawing"), NULL });
      gtk_file_chooser_set_choice (chooser, "format", "png");
      add_filter (chooser, _("Images"), "image/png", "image/svg+xml");
      break;
    case CHOOSE_FIGURES:
    default:
      gtk_file_chooser_add_choice (chooser, "format", _("Format"),
                                   (const char *[]) { "csv", "json", NULL },
                                   (const char *[]) { _("CSV spreadsheet"), _("JSON data"), NULL });
      gtk_file_chooser_set_choice (chooser, "format", "csv");
      add_filter (chooser, _("CSV and JSON files"), "text/csv", "application/json");
      break;
    }

  g_object_set_data (G_OBJECT (native), "kl-choose-kind", GINT_TO_POINTER (kind));
  g_signal_connect_object (native, "response", G_CALLBACK (export_file_chosen), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (native));
}
