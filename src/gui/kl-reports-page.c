/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The Reports page: the choices (customer, period, language) and the
 * preview. Everything that reads the workspace runs on the worker: the
 * report is built and laid out there and handed to the main thread to draw.
 * Comments and goals are in kl-reports-page-notes.c, files in
 * kl-reports-page-export.c, printing and actions in
 * kl-reports-page-actions.c. */
#include "config.h"

#include <string.h>
#include <math.h>
#include <glib/gi18n.h>

#include "kl-gui-util.h"
#include "kl-format.h"
#include "kl-enums.h"
#include "kl-customer-item.h"
#include "kl-customer-search.h"
#include "kl-report-language.h"
#include "kl-customer-store.h"
#include "kl-reports-page-private.h"

static const char * const language_values[] = { NULL, "zh_CN", "en" };

G_DEFINE_FINAL_TYPE (KlReportsPage, kl_reports_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_PERIOD_KIND,
  PROP_BUSY,
  PROP_REPORT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void choices_changed (KlReportsPage *self);

/* Helpers */

void
_kl_reports_page_add_toast (KlReportsPage *self,
                            const char    *message)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);
  g_autofree char *escaped = g_markup_escape_text (message, -1);

  /* The window's overlay when there is one, so toasts sit where all others do. */
  if (overlay == NULL)
    overlay = GTK_WIDGET (self->toast_overlay);
  if (overlay == NULL)   /* disposed */
    return;
  adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), adw_toast_new (escaped));
}

GtkWindow *
_kl_reports_page_parent_window (KlReportsPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  return GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL;
}

static const char *
chosen_language (KlReportsPage *self)
{
  guint selected = gtk_drop_down_get_selected (self->language_dropdown);

  return selected < G_N_ELEMENTS (language_values) ? language_values[selected] : NULL;
}

/* The portfolio report is internal: it has no customer language and speaks
 * the interface's, unless a language is chosen. */
static void
set_portfolio_language (KlReportOptions *options)
{
  g_free (options->portfolio_language);
  options->portfolio_language = g_strdup (kl_report_language_of_interface ());
}

/* The letterhead and paper from Preferences (A4 without letterhead where
 * the schema is not installed), in the language chosen here. */
void
_kl_reports_page_load_options (KlReportsPage   *self,
                               KlReportOptions *options)
{
  *options = (KlReportOptions) KL_REPORT_OPTIONS_INIT;
  options->language = g_strdup (chosen_language (self));
  set_portfolio_language (options);
  if (self->settings == NULL)
    return;
  options->paper = g_settings_get_enum (self->settings, "report-paper-size") == 1 ? KL_PAPER_LETTER : KL_PAPER_A4;
  options->company_name = g_settings_get_string (self->settings, "company-name");
  options->logo_path = g_settings_get_string (self->settings, "letterhead-logo");
  if (*options->company_name == '\0')
    g_clear_pointer (&options->company_name, g_free);
  if (*options->logo_path == '\0')
    g_clear_pointer (&options->logo_path, g_free);
}


void
_kl_reports_page_update_busy (KlReportsPage *self)
{
  gboolean busy = self->building || self->saves_in_flight > 0 || self->notes_dirty;

  if (self->busy != busy)
    {
      self->busy = busy;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
    }
  /* Print asked for while the notes were still on their way into the report. */
  if (!busy && self->print_pending)
    {
      self->print_pending = FALSE;
      _kl_reports_page_start_print (self);
    }
}

/* Customers */

static KlCustomerItem *
selected_item (KlReportsPage *self)
{
  return gtk_drop_down_get_selected_item (self->customer_dropdown);
}

const char *
_kl_reports_page_selected_customer_id (KlReportsPage *self)
{
  KlCustomerItem *item = selected_item (self);

  return item != NULL ? kl_customer_item_get_id (item) : NULL;
}

static const char *
selected_customer_code (KlReportsPage *self)
{
  KlCustomerItem *item = selected_item (self);

  return item != NULL ? kl_customer_item_get_code (item) : NULL;
}

static guint
find_customer (KlReportsPage *self,
               const char    *id)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->customers));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(KlCustomerItem) item = g_list_model_get_item (G_LIST_MODEL (self->customers), i);

      if (g_strcmp0 (kl_customer_item_get_id (item), id) == 0)
        return i;
    }
  return GTK_INVALID_LIST_POSITION;
}

static KlCustomerItem *
portfolio_item (void)
{
  g_autoptr(KlCustomer) portfolio = kl_customer_new ();

  portfolio->name = g_strdup (_("Whole portfolio"));
  return kl_customer_item_new (portfolio);
}

static char *
customer_search_text (KlCustomerItem *item,
                      gpointer        data)
{
  const char *code = kl_customer_item_get_code (item);

  if (code == NULL)
    return g_strdup (kl_customer_item_get_name (item));
  return g_strdup_printf ("%s %s", kl_customer_item_get_name (item), code);
}

static char *
customer_match_text (gpointer item)
{
  return customer_search_text (item, NULL);
}

static void
customer_row_setup (GtkSignalListItemFactory *factory,
                    GtkListItem              *list_item,
                    gpointer                  data)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  GtkWidget *name = gtk_label_new (NULL);
  GtkWidget *code = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (name), 0);
  gtk_label_set_ellipsize (GTK_LABEL (name), PANGO_ELLIPSIZE_END);
  gtk_widget_set_hexpand (name, TRUE);
  gtk_label_set_xalign (GTK_LABEL (code), 1);
  gtk_widget_add_css_class (code, "dim-label");
  gtk_widget_add_css_class (code, "code");
  gtk_widget_add_css_class (code, "numeric");
  gtk_box_append (GTK_BOX (box), name);
  gtk_box_append (GTK_BOX (box), code);
  if (GPOINTER_TO_INT (data))
    gtk_widget_add_css_class (box, "customer-picker-row");
  gtk_list_item_set_child (list_item, box);
}

static void
customer_row_bind (GtkSignalListItemFactory *factory,
                   GtkListItem              *list_item,
                   gpointer                  data)
{
  KlCustomerItem *item = gtk_list_item_get_item (list_item);
  GtkWidget *box = gtk_list_item_get_child (list_item);
  GtkWidget *name = gtk_widget_get_first_child (box);
  GtkWidget *code = gtk_widget_get_next_sibling (name);
  const char *code_text = kl_customer_item_get_code (item);

  gtk_label_set_label (GTK_LABEL (name), kl_customer_item_get_name (item));
  gtk_label_set_label (GTK_LABEL (code), code_text != NULL ? code_text : "");
  gtk_widget_set_visible (code, code_text != NULL);
  if (kl_customer_item_get_id (item) == NULL)
    gtk_widget_add_css_class (name, "heading");
  else
    gtk_widget_remove_css_class (name, "heading");
}

static GtkListItemFactory *
customer_factory (gboolean in_list)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();

  g_signal_connect (factory, "setup", G_CALLBACK (customer_row_setup), GINT_TO_POINTER (in_list));
  g_signal_connect (factory, "bind", G_CALLBACK (customer_row_bind), NULL);
  return factory;
}

typedef struct {
  GPtrArray *customers;   /* KlCustomer */
  char      *timezone;
} LoadResult;

static void
load_result_free (LoadResult *result)
{
  g_clear_pointer (&result->customers, g_ptr_array_unref);
  g_free (result->timezone);
  g_free (result);
}

static gpointer
load_job (KlDatabase   *db,
          gpointer      data,
          KlWorkerJob  *job,
          GError      **error)
{
  KlCustomerFilter filter = KL_CUSTOMER_FILTER_INIT;
  g_autoptr(GPtrArray) customers = NULL;
  LoadResult *result;

  customers = kl_customer_store_list (db, &filter, 0, -1, error);
  if (customers == NULL)
    return NULL;
  result = g_new0 (LoadResult, 1);
  result->customers = g_steal_pointer (&customers);
  result->timezone = g_strdup (kl_database_get_timezone_name (db));
  return result;
}

Call *
_kl_reports_page_call_new (KlReportsPage *self)
{
  Call *call = g_new0 (Call, 1);

  g_weak_ref_init (&call->self, self);
  call->worker = g_object_ref (self->worker);
  return call;
}

void
_kl_reports_page_call_free (Call *call)
{
  g_weak_ref_clear (&call->self);
  g_clear_object (&call->worker);
  g_free (call->customer_id);
  g_free (call->period);
  g_free (call);
}

/* The page the reply is for, or NULL when it is gone or going. */
KlReportsPage *
_kl_reports_page_call_get_page (Call *call)
{
  KlReportsPage *self = g_weak_ref_get (&call->self);

  if (self != NULL && g_cancellable_is_cancelled (self->lifetime))
    g_clear_object (&self);
  return self;
}

/* Periods */

static KlPeriod *
current_period (KlReportsPage *self,
                KlPeriodKind   kind)
{
  g_autoptr(GDateTime) now = g_date_time_new_now (self->tz);
  int year = g_date_time_get_year (now);
  int month = g_date_time_get_month (now);

  switch (kind)
    {
    case KL_PERIOD_QUARTER:
      return kl_period_new_quarter (year, (month - 1) / 3 + 1);
    case KL_PERIOD_YEAR:
      return kl_period_new_year (year);
    case KL_PERIOD_MONTH:
    default:
      return kl_period_new_month (year, month);
    }
}

static guint
n_past_periods (KlPeriodKind kind)
{
  switch (kind)
    {
    case KL_PERIOD_QUARTER:
      return N_PAST_QUARTERS;
    case KL_PERIOD_YEAR:
      return N_PAST_YEARS;
    case KL_PERIOD_MONTH:
    default:
      return N_PAST_MONTHS;
    }
}

static char *
period_display (const KlPeriod *period,
                gboolean        current)
{
  g_autofree char *display = kl_period_to_display (period);

  if (!current)
    return g_steal_pointer (&display);
  /* Translators: the period under way, "November 2026 (so far)" */
  return g_strdup_printf (_("%s (so far)"), display);
}

/* Fills the period list for self->kind (with extra among them) and selects
 * extra, else the last complete period. */
static void
fill_periods (KlReportsPage  *self,
              const KlPeriod *extra)
{
  g_autoptr(GtkStringList) labels = gtk_string_list_new (NULL);
  g_autoptr(KlPeriod) period = current_period (self, self->kind);
  guint selected = 1;
  gboolean updating = self->updating;

  g_ptr_array_set_size (self->periods, 0);
  for (guint i = 0; i <= n_past_periods (self->kind); i++)
    {
      g_autofree char *display = period_display (period, i == 0);
      KlPeriod *previous = kl_period_previous (period);

      if (extra != NULL && kl_period_equal (extra, period))
        selected = i;
      gtk_string_list_append (labels, display);
      g_ptr_array_add (self->periods, g_steal_pointer (&period));
      period = previous;
    }
  if (extra != NULL && extra->kind == self->kind && selected == 1 &&
      !kl_period_equal (extra, g_ptr_array_index (self->periods, 1)))
    {
      g_autofree char *display = period_display (extra, FALSE);

      selected = self->periods->len;
      gtk_string_list_append (labels, display);
      g_ptr_array_add (self->periods, kl_period_copy (extra));
    }

  self->updating = TRUE;
  gtk_drop_down_set_model (self->period_dropdown, G_LIST_MODEL (labels));
  gtk_drop_down_set_selected (self->period_dropdown, selected);
  self->updating = updating;
}

const KlPeriod *
_kl_reports_page_selected_period (KlReportsPage *self)
{
  guint selected = gtk_drop_down_get_selected (self->period_dropdown);

  if (selected >= self->periods->len)
    return NULL;
  return g_ptr_array_index (self->periods, selected);
}

static void
set_kind (KlReportsPage  *self,
          KlPeriodKind    kind,
          const KlPeriod *period)
{
  gboolean changed = self->kind != kind;

  self->kind = kind;
  fill_periods (self, period);
  if (changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PERIOD_KIND]);
}

/* Building the report */

typedef struct {
  char             *code;
  KlPeriod         *period;
  KlReportOptions   options;
  gboolean          with_notes;
} BuildRequest;

typedef struct {
  KlReportModel    *model;
  KlReportDocument *document;
  char             *comments;
  char             *goals;
} BuildResult;

static void
build_request_free (BuildRequest *request)
{
  g_free (request->code);
  kl_period_free (request->period);
  kl_report_options_clear (&request->options);
  g_free (request);
}

static void
build_result_free (BuildResult *result)
{
  g_clear_pointer (&result->document, kl_report_document_free);
  g_clear_pointer (&result->model, kl_report_model_free);
  g_free (result->comments);
  g_free (result->goals);
  g_free (result);
}

static gpointer
build_job (KlDatabase   *db,
           gpointer      data,
           KlWorkerJob  *job,
           GError      **error)
{
  BuildRequest *request = data;
  g_autoptr(KlReportModel) model = NULL;
  g_autoptr(KlReportDocument) document = NULL;
  g_autofree char *comments = NULL;
  g_autofree char *goals = NULL;
  BuildResult *result;

  model = kl_report_build (db, request->code, request->period, error);
  if (model == NULL || kl_worker_job_is_cancelled (job))
    return NULL;
  document = kl_report_make_document (model, &request->options, NULL);
  if (request->with_notes && model->customer_id != NULL)
    {
      comments = g_strdup (model->comments);
      goals = g_strdup (model->goals);
    }

  result = g_new0 (BuildResult, 1);
  result->model = g_steal_pointer (&model);
  result->document = g_steal_pointer (&document);
  result->comments = g_steal_pointer (&comments);
  result->goals = g_steal_pointer (&goals);
  return result;
}

static char *
choices_key (KlReportsPage *self)
{
  const KlPeriod *period = _kl_reports_page_selected_period (self);
  g_autofree char *label = period != NULL ? kl_period_to_label (period) : g_strdup ("");
  const char *language = chosen_language (self);

  return g_strdup_printf ("%s|%s|%s", _kl_reports_page_selected_customer_id (self) ?: "", label, language ?: "");
}

static void
stop_spinner (KlReportsPage *self)
{
  g_clear_handle_id (&self->spinner_id, g_source_remove);
  gtk_spinner_stop (self->build_spinner);
  gtk_widget_set_visible (GTK_WIDGET (self->build_spinner), FALSE);
  gtk_spinner_stop (self->loading_spinner);
  gtk_widget_remove_css_class (GTK_WIDGET (self->preview), "updating");
}

static gboolean
spinner_timeout (gpointer data)
{
  KlReportsPage *self = data;

  self->spinner_id = 0;
  gtk_spinner_start (self->loading_spinner);
  gtk_stack_set_visible_child_name (self->preview_stack, "loading");
  gtk_widget_set_visible (self->view_controls, FALSE);
  return G_SOURCE_REMOVE;
}

static void
grid_cell (GtkGrid    *grid,
           const char *text,
           int         column,
           int         row,
           gboolean    heading)
{
  GtkWidget *label = g_object_new (GTK_TYPE_LABEL,
                                   "label", text,
                                   "xalign", column == 0 ? 0.0 : 1.0,
                                   "accessible-role", heading ? GTK_ACCESSIBLE_ROLE_COLUMN_HEADER
                                                              : GTK_ACCESSIBLE_ROLE_CELL,
                                   NULL);

  if (heading)
    gtk_widget_add_css_class (label, "heading");
  else if (column > 0)
    gtk_widget_add_css_class (label, "numeric");
  gtk_grid_attach (grid, label, column, row, 1, 1);
}

/* The report's figures as a table beside the preview, which screen readers
 * see only as a picture: each rate with its target, actual and status. */
static void
update_figures_table (KlReportsPage       *self,
                      const KlReportModel *model)
{
  const char *headings[] = { N_("Indicator"), N_("Target"), N_("Actual"), N_("Variance"), N_("Status") };
  GtkWidget *popover;
  GtkWidget *box;
  GtkWidget *title;
  GtkGrid *grid;

  gtk_widget_set_sensitive (GTK_WIDGET (self->figures_button), model != NULL);
  if (model == NULL)
    {
      gtk_menu_button_set_popover (self->figures_button, NULL);
      return;
    }

  grid = g_object_new (GTK_TYPE_GRID,
                       "accessible-role", GTK_ACCESSIBLE_ROLE_TABLE,
                       "row-spacing", 4,
                       "column-spacing", 18,
                       NULL);
  gtk_accessible_update_property (GTK_ACCESSIBLE (grid), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Key performance indicators"), -1);
  for (guint c = 0; c < G_N_ELEMENTS (headings); c++)
    grid_cell (grid, _(headings[c]), (int) c, 0, TRUE);
  for (int r = 0; r < KL_N_RATES; r++)
    {
      const KlKpiTarget *t = &model->targets[r];
      g_autofree char *target = t->has_target ? kl_format_percent (t->target) : g_strdup (KL_FORMAT_MISSING);
      g_autofree char *actual = kl_format_percent (model->figures.rates[r]);
      g_autofree char *variance = t->has_target && isfinite (t->variance_pp)
                                  ? kl_format_pp_delta (t->variance_pp) : g_strdup (KL_FORMAT_MISSING);
      const char *status = !t->has_target ? KL_FORMAT_MISSING
                           : t->met == KL_TRI_TRUE ? _("Met")
                           : t->met == KL_TRI_FALSE ? _("Missed") : KL_FORMAT_MISSING;

      grid_cell (grid, kl_rate_to_label ((KlRate) r), 0, r + 1, FALSE);
      grid_cell (grid, target, 1, r + 1, FALSE);
      grid_cell (grid, actual, 2, r + 1, FALSE);
      grid_cell (grid, variance, 3, r + 1, FALSE);
      grid_cell (grid, status, 4, r + 1, FALSE);
    }

  popover = gtk_popover_new ();
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 8);
  title = gtk_label_new (_("Key performance indicators"));
  gtk_widget_add_css_class (title, "heading");
  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  gtk_widget_set_margin_start (box, 6);
  gtk_widget_set_margin_end (box, 6);
  gtk_box_append (GTK_BOX (box), title);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (grid));
  gtk_popover_set_child (GTK_POPOVER (popover), box);
  gtk_menu_button_set_popover (self->figures_button, popover);
}

static void
update_title (KlReportsPage *self)
{
  KlPreparedReport *report = kl_report_preview_get_report (self->preview);
  const KlReportModel *model;
  g_autofree char *period = NULL;
  g_autofree char *subtitle = NULL;
  int n_pages;

  if (report == NULL)
    {
      adw_window_title_set_title (self->report_title, "");
      adw_window_title_set_subtitle (self->report_title, "");
      update_figures_table (self, NULL);
      return;
    }
  model = kl_prepared_report_get_model (report);
  update_figures_table (self, model);
  n_pages = kl_report_document_get_n_pages (kl_prepared_report_get_document (report));
  period = kl_period_to_display (model->period);
  /* Translators: the period and page count of the report, "October 2026 · 3 pages" */
  subtitle = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s · %d page", "%s · %d pages", n_pages),
                              period, n_pages);
  adw_window_title_set_title (self->report_title,
                              model->customer_name != NULL ? model->customer_name : _("Whole portfolio"));
  adw_window_title_set_subtitle (self->report_title, subtitle);
}

static void
show_result (KlReportsPage *self,
             BuildResult   *result,
             gboolean       new_choices)
{
  g_autoptr(KlPreparedReport) report = NULL;
  g_autofree char *label = kl_period_to_label (result->model->period);

  report = kl_prepared_report_new (g_steal_pointer (&result->model), g_steal_pointer (&result->document));
  kl_report_preview_set_report (self->preview, report);
  if (new_choices)
    kl_report_preview_set_page (self->preview, 0);
  gtk_stack_set_visible_child_name (self->preview_stack, "preview");
  gtk_widget_set_visible (self->view_controls, TRUE);

  /* The editor takes the text of a customer and period it has not shown yet. */
  if (!self->notes_loaded &&
      g_strcmp0 (kl_prepared_report_get_model (report)->customer_id, self->notes_customer_id) == 0 &&
      g_strcmp0 (label, self->notes_period) == 0)
    {
      _kl_reports_page_set_buffer_text (self, self->comments_view, result->comments);
      _kl_reports_page_set_buffer_text (self, self->goals_view, result->goals);
      self->notes_loaded = TRUE;
      _kl_reports_page_update_notes_editor (self);
    }

  update_title (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REPORT]);
}

static void
build_done (GObject      *source,
            GAsyncResult *res,
            gpointer      user_data)
{
  g_autoptr(Call) call = user_data;
  g_autoptr(KlReportsPage) self = _kl_reports_page_call_get_page (call);
  g_autoptr(GError) error = NULL;
  BuildResult *result;
  gboolean new_choices;

  result = kl_worker_run_finish (call->worker, res, &error);
  if (self == NULL || call->generation != self->build_generation)
    {
      g_clear_pointer (&result, build_result_free);
      return;
    }

  self->building = FALSE;
  g_clear_object (&self->build_cancellable);
  stop_spinner (self);
  new_choices = g_strcmp0 (self->building_key, self->shown_key) != 0;
  g_free (self->shown_key);
  self->shown_key = g_steal_pointer (&self->building_key);

  if (result == NULL)
    {
      adw_status_page_set_description (self->error_page,
                                       error != NULL ? error->message : _("The report came back empty."));
      kl_report_preview_set_report (self->preview, NULL);
      gtk_stack_set_visible_child_name (self->preview_stack, "error");
      gtk_widget_set_visible (self->view_controls, FALSE);
      self->print_pending = FALSE;
      update_title (self);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REPORT]);
    }
  else
    {
      show_result (self, result, new_choices);
      build_result_free (result);
    }
  _kl_reports_page_update_actions (self);
  _kl_reports_page_update_busy (self);
}

void
_kl_reports_page_request_build (KlReportsPage *self)
{
  const KlPeriod *period = _kl_reports_page_selected_period (self);
  BuildRequest *request;
  Call *call;

  if (self->worker == NULL || !self->customers_loaded || period == NULL)
    return;

  if (self->build_cancellable != NULL)
    g_cancellable_cancel (self->build_cancellable);
  g_clear_object (&self->build_cancellable);
  self->build_cancellable = g_cancellable_new ();
  self->build_generation++;
  self->building = TRUE;
  g_free (self->building_key);
  self->building_key = choices_key (self);

  request = g_new0 (BuildRequest, 1);
  request->code = g_strdup (selected_customer_code (self));
  request->period = kl_period_copy (period);
  _kl_reports_page_load_options (self, &request->options);
  request->with_notes = TRUE;
  if (self->print != NULL)
    kl_report_print_set_paper (self->print, request->options.paper);

  call = _kl_reports_page_call_new (self);
  call->generation = self->build_generation;
  kl_worker_run (self->worker, KL_WORKER_READ, build_job, request,
                 (GDestroyNotify) build_request_free, (GDestroyNotify) build_result_free,
                 NULL, NULL, self->build_cancellable, build_done, call);

  /* The same report again (new notes, new data) keeps its pages up, dimmed;
   * another one gets a spinner when it takes a moment. */
  gtk_widget_set_visible (GTK_WIDGET (self->build_spinner), TRUE);
  gtk_spinner_start (self->build_spinner);
  gtk_widget_add_css_class (GTK_WIDGET (self->preview), "updating");
  g_clear_handle_id (&self->spinner_id, g_source_remove);
  if (kl_report_preview_get_report (self->preview) == NULL ||
      g_strcmp0 (self->building_key, self->shown_key) != 0)
    self->spinner_id = g_timeout_add (SPINNER_DELAY_MS, spinner_timeout, self);
  _kl_reports_page_update_actions (self);
  _kl_reports_page_update_busy (self);
}

static void
choices_changed (KlReportsPage *self)
{
  if (self->updating)
    return;
  self->period_chosen = TRUE;
  if (!self->customers_loaded)
    return;
  _kl_reports_page_retarget_notes (self);
  _kl_reports_page_request_build (self);
}

/* Loading the customers */

static void
customers_loaded (GObject      *source,
                  GAsyncResult *res,
                  gpointer      user_data)
{
  g_autoptr(Call) call = user_data;
  g_autoptr(KlReportsPage) self = _kl_reports_page_call_get_page (call);
  g_autoptr(GError) error = NULL;
  LoadResult *result;
  g_autoptr(GPtrArray) items = NULL;
  g_autofree char *previous_id = NULL;
  const char *want;
  guint position;
  gboolean first = FALSE;

  result = kl_worker_run_finish (call->worker, res, &error);
  if (self == NULL)
    {
      g_clear_pointer (&result, load_result_free);
      return;
    }
  self->loading_customers = FALSE;
  if (result == NULL)
    {
      _kl_reports_page_add_toast (self, error->message);
      return;
    }

  if (!self->customers_loaded)
    {
      first = TRUE;
      g_clear_pointer (&self->tz, g_time_zone_unref);
      self->tz = result->timezone != NULL ? g_time_zone_new_identifier (result->timezone) : NULL;
      if (self->tz == NULL)
        self->tz = g_time_zone_new_local ();
    }

  previous_id = g_strdup (_kl_reports_page_selected_customer_id (self));
  items = g_ptr_array_new_with_free_func (g_object_unref);
  g_ptr_array_add (items, portfolio_item ());
  for (guint i = 0; i < result->customers->len; i++)
    g_ptr_array_add (items, kl_customer_item_new (g_ptr_array_index (result->customers, i)));
  load_result_free (result);

  self->updating = TRUE;
  g_list_store_splice (self->customers, 0, g_list_model_get_n_items (G_LIST_MODEL (self->customers)),
                       items->pdata, items->len);
  want = self->wants_customer ? self->wanted_customer_id : previous_id;
  position = find_customer (self, want);
  /* A first visit opens on a customer, as a KAM reports to one: the first
   * (the one open on the Customers page comes as wanted_customer_id); the
   * whole portfolio only when asked for. */
  if (first && !self->wants_customer && (position == 0 || position == GTK_INVALID_LIST_POSITION) &&
      g_list_model_get_n_items (G_LIST_MODEL (self->customers)) > 1)
    position = 1;
  if (position == GTK_INVALID_LIST_POSITION)
    position = 0;
  gtk_drop_down_set_selected (self->customer_dropdown, position);
  if (self->wants_customer)
    {
      self->wants_customer = FALSE;
      g_clear_pointer (&self->wanted_customer_id, g_free);
    }
  /* The periods again in the workspace's zone. */
  if (first)
    {
      g_autoptr(KlPeriod) keep = NULL;

      if (self->period_chosen && _kl_reports_page_selected_period (self) != NULL)
        keep = kl_period_copy (_kl_reports_page_selected_period (self));
      fill_periods (self, keep);
    }
  self->updating = FALSE;

  self->customers_loaded = TRUE;
  _kl_reports_page_retarget_notes (self);
  _kl_reports_page_request_build (self);
}

static void
load_customers (KlReportsPage *self)
{
  if (self->worker == NULL || self->loading_customers)
    return;
  self->loading_customers = TRUE;
  kl_worker_run (self->worker, KL_WORKER_READ, load_job, NULL, NULL,
                 (GDestroyNotify) load_result_free, NULL, NULL, NULL,
                 customers_loaded, _kl_reports_page_call_new (self));
}


static void
settings_changed (KlReportsPage *self,
                  const char    *key)
{
  if (g_strcmp0 (key, "report-paper-size") == 0 || g_strcmp0 (key, "company-name") == 0 ||
      g_strcmp0 (key, "letterhead-logo") == 0)
    _kl_reports_page_request_build (self);
}

/* GObject */

static void
kl_reports_page_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  KlReportsPage *self = KL_REPORTS_PAGE (object);

  switch (prop_id)
    {
    case PROP_PERIOD_KIND:
      g_value_set_string (value, kl_period_kind_to_string (self->kind));
      break;
    case PROP_BUSY:
      g_value_set_boolean (value, self->busy);
      break;
    case PROP_REPORT:
      g_value_set_boxed (value, kl_report_preview_get_report (self->preview));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kl_reports_page_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  KlReportsPage *self = KL_REPORTS_PAGE (object);

  switch (prop_id)
    {
    case PROP_PERIOD_KIND:
      {
        const char *text = g_value_get_string (value);
        KlPeriodKind kind = KL_PERIOD_MONTH;

        if (g_strcmp0 (text, "quarter") == 0)
          kind = KL_PERIOD_QUARTER;
        else if (g_strcmp0 (text, "year") == 0)
          kind = KL_PERIOD_YEAR;
        if (kind == self->kind)
          break;
        set_kind (self, kind, NULL);
        choices_changed (self);
        break;
      }
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kl_reports_page_map (GtkWidget *widget)
{
  KlReportsPage *self = KL_REPORTS_PAGE (widget);

  GTK_WIDGET_CLASS (kl_reports_page_parent_class)->map (widget);
  /* Shown again: the workspace may have changed meanwhile. */
  if (self->customers_loaded)
    kl_reports_page_refresh (self);
  else
    load_customers (self);
}

static void
kl_reports_page_dispose (GObject *object)
{
  KlReportsPage *self = KL_REPORTS_PAGE (object);

  /* Unsaved typing still reaches the workspace. */
  _kl_reports_page_save_notes_full (self, FALSE);
  g_cancellable_cancel (self->lifetime);
  if (self->build_cancellable != NULL)
    g_cancellable_cancel (self->build_cancellable);
  g_clear_handle_id (&self->spinner_id, g_source_remove);
  g_clear_handle_id (&self->notes_timeout_id, g_source_remove);
  if (self->settings != NULL)
    g_signal_handlers_disconnect_by_data (self->settings, self);
  _kl_reports_page_email_dispose (self);

  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), KL_TYPE_REPORTS_PAGE);
  g_clear_object (&self->customers);
  g_clear_object (&self->worker);
  g_clear_object (&self->settings);
  g_clear_object (&self->print);
  g_clear_object (&self->build_cancellable);
  G_OBJECT_CLASS (kl_reports_page_parent_class)->dispose (object);
}

static void
kl_reports_page_finalize (GObject *object)
{
  KlReportsPage *self = KL_REPORTS_PAGE (object);

  g_clear_object (&self->lifetime);
  g_clear_pointer (&self->periods, g_ptr_array_unref);
  g_clear_pointer (&self->tz, g_time_zone_unref);
  g_free (self->wanted_customer_id);
  g_free (self->shown_key);
  g_free (self->building_key);
  g_free (self->notes_customer_id);
  g_free (self->notes_period);
  G_OBJECT_CLASS (kl_reports_page_parent_class)->finalize (object);
}

static void
load_css_once (GtkWidget *widget)
{
  kl_gui_add_style_sheet (widget, "/io/github/keyline/Keyline/kl-reports-page.css");
}

static void
kl_reports_page_class_init (KlReportsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = kl_reports_page_get_property;
  object_class->set_property = kl_reports_page_set_property;
  object_class->dispose = kl_reports_page_dispose;
  object_class->finalize = kl_reports_page_finalize;
  widget_class->map = kl_reports_page_map;

  properties[PROP_PERIOD_KIND] =
    g_param_spec_string ("period-kind", NULL, NULL, "month",
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_REPORT] =
    g_param_spec_boxed ("report", NULL, NULL, KL_TYPE_PREPARED_REPORT,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (KL_TYPE_REPORT_PREVIEW);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/keyline/Keyline/kl-reports-page.ui");
  gtk_widget_class_bind_template_child (widget_class, KlReportsPage, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, KlReportsPage, flap);
  gtk_widget_class_bind_template_child (widget_class, KlReportsPage, customer_dropdown);
  gtk_widget_class_bind_template_child (widget_class, KlReportsPage, period_dropdown);
  gtk_widget_class_bind_template_child (widget_class, KlReportsPage, language_dropdown);
  gtk_widget_class_bind_template_child (widget_class, KlReportsPage, notes_box);
  gtk_widget_class_bind_template_child (widget_class, KlReportsPage, comments_view);
  gtk_widget_class_bind_template_child (widget_class, KlReportsPage, goals_view);
  gtk_widget_class_bind_template_child (widget_class, KlReportsPage, notes_status);
  gtk_widget_class_bind_template_child (widget_class, KlReportsPage, report_title);
  gtk_widget_class_bind_template_child (widget_class, KlReportsPage, figures_button);
  gtk_widget_class_bind_template_child (widget_class, KlReportsPage, build_spinner);
  gtk_widget_class_bind_template_child (widget_class, KlReportsPage, preview_stack);
  gtk_widget_class_bind_template_child (widget_class, KlReportsPage, loading_spinner);
  gtk_widget_class_bind_template_child (widget_class, KlReportsPage, preview);
  gtk_widget_class_bind_template_child (widget_class, KlReportsPage, error_page);
  gtk_widget_class_bind_template_child (widget_class, KlReportsPage, view_controls);
  gtk_widget_class_bind_template_child (widget_class, KlReportsPage, options_button);
  gtk_widget_class_bind_template_child (widget_class, KlReportsPage, page_label);
  gtk_widget_class_bind_template_child (widget_class, KlReportsPage, zoom_button);

  _kl_reports_page_class_add_actions (widget_class);

  gtk_widget_class_set_css_name (widget_class, "reportspage");
}

static void
options_toggled (GtkToggleButton *options)
{
  gtk_accessible_update_state (GTK_ACCESSIBLE (options), GTK_ACCESSIBLE_STATE_EXPANDED,
                               gtk_toggle_button_get_active (options), -1);
}

static void
kl_reports_page_init (KlReportsPage *self)
{
  g_autoptr(GtkStringList) languages = NULL;
  g_autoptr(GtkListItemFactory) button_factory = NULL;
  g_autoptr(GtkListItemFactory) list_factory = NULL;
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  self->lifetime = g_cancellable_new ();
  self->customers = g_list_store_new (KL_TYPE_CUSTOMER_ITEM);
  self->periods = g_ptr_array_new_with_free_func ((GDestroyNotify) kl_period_free);
  self->tz = g_time_zone_new_local ();
  self->kind = KL_PERIOD_MONTH;
  self->print = kl_report_print_new ();
  self->updating = TRUE;

  gtk_widget_init_template (GTK_WIDGET (self));
  load_css_once (GTK_WIDGET (self));
  /* The Report Options button shows and hides a panel: it says whether the
   * panel is out (GTK 4.8 gives a toggle button no role of its own). */
  {
    GtkWidget *options = GTK_WIDGET (self->options_button);

    options_toggled (GTK_TOGGLE_BUTTON (options));
    g_signal_connect (options, "notify::active", G_CALLBACK (options_toggled), NULL);
  }

  button_factory = customer_factory (FALSE);
  list_factory = customer_factory (TRUE);
  gtk_drop_down_set_factory (self->customer_dropdown, button_factory);
  gtk_drop_down_set_list_factory (self->customer_dropdown, list_factory);
  {
    /* The Customers page's search: any part of a name, a code, a contact. */
    const KlCustomerSearchItems items = {
      (const char *(*) (gpointer)) kl_customer_item_get_id,
      customer_match_text,
    };

    kl_customer_search_attach (self->customer_dropdown, &items);
  }
  {
    g_autoptr(KlCustomerItem) portfolio = portfolio_item ();

    g_list_store_append (self->customers, portfolio);
  }
  gtk_drop_down_set_model (self->customer_dropdown, G_LIST_MODEL (self->customers));

  languages = gtk_string_list_new ((const char *[]) { _("Customer’s language"), "中文", "English", NULL });
  gtk_drop_down_set_model (self->language_dropdown, G_LIST_MODEL (languages));
  gtk_drop_down_set_selected (self->language_dropdown, 0);

  fill_periods (self, NULL);

  g_signal_connect_object (self->customer_dropdown, "notify::selected",
                           G_CALLBACK (choices_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->period_dropdown, "notify::selected",
                           G_CALLBACK (choices_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->language_dropdown, "notify::selected",
                           G_CALLBACK (choices_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (gtk_text_view_get_buffer (self->comments_view), "changed",
                           G_CALLBACK (_kl_reports_page_notes_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (gtk_text_view_get_buffer (self->goals_view), "changed",
                           G_CALLBACK (_kl_reports_page_notes_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->preview, "notify::page",
                           G_CALLBACK (_kl_reports_page_update_view_controls), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->preview, "notify::n-pages",
                           G_CALLBACK (_kl_reports_page_update_view_controls), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->preview, "notify::zoom",
                           G_CALLBACK (_kl_reports_page_update_view_controls), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->preview, "notify::fit-width",
                           G_CALLBACK (_kl_reports_page_update_view_controls), self, G_CONNECT_SWAPPED);

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, "io.github.keyline.Keyline", TRUE);
  if (schema != NULL)
    {
      self->settings = g_settings_new ("io.github.keyline.Keyline");
      g_signal_connect_object (self->settings, "changed",
                               G_CALLBACK (settings_changed), self, G_CONNECT_SWAPPED);
    }

  self->updating = FALSE;
  gtk_stack_set_visible_child_name (self->preview_stack, "loading");
  gtk_spinner_start (self->loading_spinner);
  /* The page loads when first shown: until then its spinner stays still. */
  kl_gui_spin_only_when_shown (GTK_WIDGET (self->loading_spinner));
  gtk_widget_set_visible (self->view_controls, FALSE);
  _kl_reports_page_update_notes_editor (self);
  _kl_reports_page_update_actions (self);
}

GtkWidget *
kl_reports_page_new (void)
{
  return g_object_new (KL_TYPE_REPORTS_PAGE, NULL);
}

void
kl_reports_page_set_worker (KlReportsPage *self,
                            KlWorker      *worker)
{
  g_return_if_fail (KL_IS_REPORTS_PAGE (self));
  g_return_if_fail (worker == NULL || KL_IS_WORKER (worker));

  if (self->worker == worker)
    return;
  _kl_reports_page_save_notes (self);
  g_set_object (&self->worker, worker);
  kl_customer_search_set_worker (self->customer_dropdown, worker);
  self->customers_loaded = FALSE;
  g_clear_pointer (&self->notes_customer_id, g_free);
  g_clear_pointer (&self->notes_period, g_free);
  self->notes_loaded = FALSE;
  self->notes_dirty = FALSE;
  self->loading_customers = FALSE;
  g_clear_pointer (&self->shown_key, g_free);
  kl_report_preview_set_report (self->preview, NULL);
  gtk_stack_set_visible_child_name (self->preview_stack, "loading");
  gtk_widget_set_visible (self->view_controls, FALSE);
  /* Loaded when shown: the worker runs one job at a time, and the page on
   * screen comes first. */
  if (worker != NULL && gtk_widget_get_mapped (GTK_WIDGET (self)))
    load_customers (self);
  _kl_reports_page_update_actions (self);
}

void
kl_reports_page_refresh (KlReportsPage *self)
{
  g_return_if_fail (KL_IS_REPORTS_PAGE (self));

  /* The reload ends in a rebuild. */
  load_customers (self);
}

void
kl_reports_page_show_customer (KlReportsPage *self,
                               const char    *customer_id)
{
  guint position;

  g_return_if_fail (KL_IS_REPORTS_PAGE (self));

  position = find_customer (self, customer_id);
  if (self->customers_loaded && position != GTK_INVALID_LIST_POSITION)
    {
      gtk_drop_down_set_selected (self->customer_dropdown, position);
      return;
    }
  /* Not loaded yet, or new since the list was: select it after a reload. */
  g_free (self->wanted_customer_id);
  self->wanted_customer_id = g_strdup (customer_id);
  self->wants_customer = TRUE;
  if (self->customers_loaded)
    load_customers (self);
}

void
kl_reports_page_suggest_customer (KlReportsPage *self,
                                  const char    *customer_id)
{
  g_return_if_fail (KL_IS_REPORTS_PAGE (self));

  /* Only before the first choice: later the page keeps its own. */
  if (customer_id == NULL || self->customers_loaded || self->wants_customer)
    return;
  g_free (self->wanted_customer_id);
  self->wanted_customer_id = g_strdup (customer_id);
  self->wants_customer = TRUE;
}

const char *
kl_reports_page_get_customer_id (KlReportsPage *self)
{
  g_return_val_if_fail (KL_IS_REPORTS_PAGE (self), NULL);
  /* Asked for before the list of customers is in (it loads when the page
   * is first shown): the one it will select. */
  if (self->wants_customer)
    return self->wanted_customer_id;
  return _kl_reports_page_selected_customer_id (self);
}

void
kl_reports_page_set_period (KlReportsPage  *self,
                            const KlPeriod *period)
{
  g_return_if_fail (KL_IS_REPORTS_PAGE (self));
  g_return_if_fail (period != NULL);

  self->period_chosen = TRUE;
  if (_kl_reports_page_selected_period (self) != NULL && kl_period_equal (_kl_reports_page_selected_period (self), period))
    return;
  self->updating = TRUE;
  set_kind (self, period->kind, period);
  self->updating = FALSE;
  choices_changed (self);
}

const KlPeriod *
kl_reports_page_get_period (KlReportsPage *self)
{
  g_return_val_if_fail (KL_IS_REPORTS_PAGE (self), NULL);
  return _kl_reports_page_selected_period (self);
}

void
kl_reports_page_set_language (KlReportsPage *self,
                              const char    *language)
{
  g_return_if_fail (KL_IS_REPORTS_PAGE (self));

  for (guint i = 0; i < G_N_ELEMENTS (language_values); i++)
    if (g_strcmp0 (language_values[i], language) == 0)
      gtk_drop_down_set_selected (self->language_dropdown, i);
}

KlPreparedReport *
kl_reports_page_get_report (KlReportsPage *self)
{
  g_return_val_if_fail (KL_IS_REPORTS_PAGE (self), NULL);
  return kl_report_preview_get_report (self->preview);
}

KlReportDocument *
kl_reports_page_get_document (KlReportsPage *self)
{
  KlPreparedReport *report;

  g_return_val_if_fail (KL_IS_REPORTS_PAGE (self), NULL);
  report = kl_report_preview_get_report (self->preview);
  return report != NULL ? kl_prepared_report_get_document (report) : NULL;
}

const KlReportModel *
kl_reports_page_get_model (KlReportsPage *self)
{
  KlPreparedReport *report;

  g_return_val_if_fail (KL_IS_REPORTS_PAGE (self), NULL);
  report = kl_report_preview_get_report (self->preview);
  return report != NULL ? kl_prepared_report_get_model (report) : NULL;
}

gboolean
kl_reports_page_get_busy (KlReportsPage *self)
{
  g_return_val_if_fail (KL_IS_REPORTS_PAGE (self), FALSE);
  return self->busy;
}

guint
_kl_reports_page_get_n_saves (KlReportsPage *self)
{
  g_return_val_if_fail (KL_IS_REPORTS_PAGE (self), 0);
  return self->n_saves;
}
