/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The Reports page's actions: printing, exports, all accounts, zoom and
 * pages, and keeping them enabled as the page allows. */
#include "config.h"

#include <glib/gi18n.h>

#include "kl-report-batch-dialog.h"
#include "kl-reports-page-private.h"

/* Printing */

static void
printed (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(KlReportsPage) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!kl_report_print_run_finish (KL_REPORT_PRINT (source), result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    _kl_reports_page_add_toast (self, error->message);
}

void
_kl_reports_page_start_print (KlReportsPage *self)
{
  KlPreparedReport *report = kl_report_preview_get_report (self->preview);

  if (report == NULL)
    return;
  kl_report_print_run_async (self->print, report, kl_report_preview_get_page (self->preview),
                             _kl_reports_page_parent_window (self), printed, g_object_ref (self));
}

/* Actions */

static void
print_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  KlReportsPage *self = KL_REPORTS_PAGE (widget);

  /* Words typed a moment ago belong on paper: save, rebuild, then print. */
  _kl_reports_page_save_notes (self);
  if (self->busy)
    {
      self->print_pending = TRUE;
      return;
    }
  _kl_reports_page_start_print (self);
}

static void
page_setup_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  KlReportsPage *self = KL_REPORTS_PAGE (widget);

  kl_report_print_run_page_setup (self->print, _kl_reports_page_parent_window (self));
}

static void
export_pdf_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  _kl_reports_page_choose_export_file (KL_REPORTS_PAGE (widget), CHOOSE_PDF);
}

static void
export_chart_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  _kl_reports_page_choose_export_file (KL_REPORTS_PAGE (widget), CHOOSE_CHART);
}

static void
export_figures_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  _kl_reports_page_choose_export_file (KL_REPORTS_PAGE (widget), CHOOSE_FIGURES);
}

static void
export_xlsx_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  _kl_reports_page_choose_export_file (KL_REPORTS_PAGE (widget), CHOOSE_XLSX);
}

static void
all_accounts_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  KlReportsPage *self = KL_REPORTS_PAGE (widget);
  const KlPeriod *period = _kl_reports_page_selected_period (self);
  KlReportOptions options;
  KlReportBatchDialog *dialog;

  if (self->worker == NULL || period == NULL)
    return;
  _kl_reports_page_save_notes (self);
  _kl_reports_page_load_options (self, &options);
  dialog = kl_report_batch_dialog_new (_kl_reports_page_parent_window (self), self->worker, period, &options);
  kl_report_options_clear (&options);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
refresh_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  kl_reports_page_refresh (KL_REPORTS_PAGE (widget));
}

static void
zoom_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  KlReportsPage *self = KL_REPORTS_PAGE (widget);

  if (g_str_equal (action_name, "reports.zoom-in"))
    kl_report_preview_zoom_in (self->preview);
  else if (g_str_equal (action_name, "reports.zoom-out"))
    kl_report_preview_zoom_out (self->preview);
  else
    kl_report_preview_set_fit_width (self->preview, TRUE);
}

static void
zoom_to_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  kl_report_preview_set_zoom (KL_REPORTS_PAGE (widget)->preview, g_variant_get_double (parameter));
}

static void
page_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  KlReportsPage *self = KL_REPORTS_PAGE (widget);
  int page = kl_report_preview_get_page (self->preview);

  page += g_str_equal (action_name, "reports.next-page") ? 1 : -1;
  kl_report_preview_set_page (self->preview, page);
}

void
_kl_reports_page_update_view_controls (KlReportsPage *self)
{
  int n_pages = kl_report_preview_get_n_pages (self->preview);
  int page = kl_report_preview_get_page (self->preview);
  double zoom = kl_report_preview_get_zoom (self->preview);
  gboolean has_pages = n_pages > 0;
  g_autofree char *page_text = NULL;
  g_autofree char *zoom_text = NULL;

  /* Translators: the page shown and the number of pages, "2 / 3" */
  page_text = has_pages ? g_strdup_printf (_("%d / %d"), page + 1, n_pages) : g_strdup ("");
  gtk_label_set_label (self->page_label, page_text);
  /* Translators: a zoom level, "100%" */
  zoom_text = g_strdup_printf (_("%.0f%%"), zoom * 100);
  gtk_menu_button_set_label (self->zoom_button, zoom_text);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "reports.previous-page", has_pages && page > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "reports.next-page", has_pages && page < n_pages - 1);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "reports.zoom-in",
                                 has_pages && zoom < KL_REPORT_PREVIEW_MAX_ZOOM - 0.001);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "reports.zoom-out",
                                 has_pages && zoom > KL_REPORT_PREVIEW_MIN_ZOOM + 0.001);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "reports.zoom-fit", has_pages);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "reports.zoom-to", has_pages);
}

void
_kl_reports_page_update_actions (KlReportsPage *self)
{
  gboolean has_report = kl_report_preview_get_report (self->preview) != NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "reports.print", has_report);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "reports.page-setup", has_report);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "reports.export-pdf", has_report);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "reports.export-chart", has_report);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "reports.export-figures", has_report);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "reports.export-xlsx", has_report);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "reports.all-accounts",
                                 self->worker != NULL && self->customers_loaded);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "reports.refresh", self->worker != NULL);
  _kl_reports_page_update_email_actions (self);
  _kl_reports_page_update_view_controls (self);
}

/* The "reports" actions and their shortcuts, from class_init. */
void
_kl_reports_page_class_add_actions (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "reports.print", NULL, print_action);
  gtk_widget_class_install_action (widget_class, "reports.page-setup", NULL, page_setup_action);
  gtk_widget_class_install_action (widget_class, "reports.export-pdf", NULL, export_pdf_action);
  gtk_widget_class_install_action (widget_class, "reports.export-chart", NULL, export_chart_action);
  gtk_widget_class_install_action (widget_class, "reports.export-figures", NULL, export_figures_action);
  gtk_widget_class_install_action (widget_class, "reports.export-xlsx", NULL, export_xlsx_action);
  gtk_widget_class_install_action (widget_class, "reports.all-accounts", NULL, all_accounts_action);
  gtk_widget_class_install_action (widget_class, "reports.refresh", NULL, refresh_action);
  _kl_reports_page_class_add_email_actions (widget_class);
  gtk_widget_class_install_action (widget_class, "reports.zoom-in", NULL, zoom_action);
  gtk_widget_class_install_action (widget_class, "reports.zoom-out", NULL, zoom_action);
  gtk_widget_class_install_action (widget_class, "reports.zoom-fit", NULL, zoom_action);
  gtk_widget_class_install_action (widget_class, "reports.zoom-to", "d", zoom_to_action);
  gtk_widget_class_install_action (widget_class, "reports.next-page", NULL, page_action);
  gtk_widget_class_install_action (widget_class, "reports.previous-page", NULL, page_action);
  gtk_widget_class_install_property_action (widget_class, "reports.period-kind", "period-kind");

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_p, GDK_CONTROL_MASK, "reports.print", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_plus, GDK_CONTROL_MASK, "reports.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_equal, GDK_CONTROL_MASK, "reports.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Add, GDK_CONTROL_MASK, "reports.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_minus, GDK_CONTROL_MASK, "reports.zoom-out", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Subtract, GDK_CONTROL_MASK, "reports.zoom-out", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_0, GDK_CONTROL_MASK, "reports.zoom-fit", NULL);
}
