/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The Reports page. Everything that reads the workspace runs on the worker:
 * the report is built and laid out there and handed to the main thread to
 * draw; files are written by the worker (PDF) or GIO threads (the rest). */
#include "config.h"

#include <string.h>
#include <math.h>
#include <glib/gi18n.h>
#include <cairo-svg.h>

#include "kl-reports-page.h"
#include "kl-gui-util.h"
#include "kl-format.h"
#include "kl-enums.h"
#include "kl-customer-item.h"
#include "kl-customer-store.h"
#include "kl-report-batch-dialog.h"
#include "kl-report-csv.h"
#include "kl-report-job.h"
#include "kl-report-json.h"
#include "kl-report-note-store.h"
#include "kl-report-print.h"
#include "kl-chart.h"
#include "kl-report-chart.h"

/* Quiet time after the last keystroke before comments and goals are saved. */
#define NOTES_SAVE_DELAY_MS 800
/* A rebuild shorter than this keeps the old pages on screen, dimmed. */
#define SPINNER_DELAY_MS 250

/* Periods offered, newest first: the current one (so far) and these many before. */
#define N_PAST_MONTHS   36
#define N_PAST_QUARTERS 12
#define N_PAST_YEARS    5

/* Exported charts, in points (SVG) or logical pixels (PNG, drawn at 2×). */
#define CHART_WIDTH   720.0
#define CHART_HEIGHT  405.0
#define CHART_PADDING 16.0

static const char * const language_values[] = { NULL, "zh_CN", "en" };

struct _KlReportsPage {
  AdwBin             parent_instance;

  KlWorker          *worker;
  GSettings         *settings;        /* NULL where the schema is not installed */
  KlReportPrint     *print;
  GCancellable      *lifetime;        /* cancelled in dispose */

  /* The choices. */
  GListStore        *customers;       /* KlCustomerItem; the portfolio first */
  gboolean           customers_loaded;
  gboolean           loading_customers;
  char              *wanted_customer_id;
  gboolean           wants_customer;
  GTimeZone         *tz;
  KlPeriodKind       kind;
  GPtrArray         *periods;         /* KlPeriod, as in period_dropdown */
  gboolean           updating;        /* choices are being set from code */
  gboolean           period_chosen;   /* by the user or the API: kept over the first load */

  /* The report. */
  GCancellable      *build_cancellable;
  guint              build_generation;
  gboolean           building;
  gboolean           busy;
  char              *shown_key;       /* customer, period and language of the preview */
  char              *building_key;
  guint              spinner_id;
  gboolean           print_pending;   /* print once the notes are in the report */

  /* Comments and goals: whose and which period the editor holds. */
  char              *notes_customer_id;
  char              *notes_period;
  gboolean           notes_loaded;
  gboolean           notes_dirty;
  gboolean           setting_notes;
  guint              notes_timeout_id;
  guint              saves_in_flight;
  guint              n_saves;

  /* template */
  AdwToastOverlay   *toast_overlay;
  AdwFlap           *flap;
  GtkDropDown       *customer_dropdown;
  GtkDropDown       *period_dropdown;
  GtkDropDown       *language_dropdown;
  GtkWidget         *notes_box;
  GtkTextView       *comments_view;
  GtkTextView       *goals_view;
  GtkLabel          *notes_status;
  AdwWindowTitle    *report_title;
  GtkMenuButton     *figures_button;
  GtkSpinner        *build_spinner;
  GtkStack          *preview_stack;
  GtkSpinner        *loading_spinner;
  KlReportPreview   *preview;
  AdwStatusPage     *error_page;
  GtkWidget         *view_controls;
  GtkLabel          *page_label;
  GtkMenuButton     *zoom_button;
};

G_DEFINE_FINAL_TYPE (KlReportsPage, kl_reports_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_PERIOD_KIND,
  PROP_BUSY,
  PROP_REPORT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void request_build      (KlReportsPage *self);
static void choices_changed    (KlReportsPage *self);
static void save_notes         (KlReportsPage *self);
static void update_actions     (KlReportsPage *self);
static void start_print        (KlReportsPage *self);

/* Helpers */

static void
add_toast (KlReportsPage *self,
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

static GtkWindow *
parent_window (KlReportsPage *self)
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

/* The letterhead and paper from Preferences (A4 without letterhead where
 * the schema is not installed), in the language chosen here. */
static void
load_options (KlReportsPage   *self,
              KlReportOptions *options)
{
  *options = (KlReportOptions) KL_REPORT_OPTIONS_INIT;
  options->language = g_strdup (chosen_language (self));
  if (self->settings == NULL)
    return;
  options->paper = g_settings_get_enum (self->settings, "report-paper-size") == 1 ? KL_PAPER_LETTER : KL_PAPER_A4;
  options->company_name = g_settings_get_string (self->settings, "company-name");
  options->logo_path = g_settings_get_string (self->settings, "letterhead-logo");
  if (*options->company_name == '\0')
    g_clear_pointer (&options->company_name, g_free);
  if (*options->logo_path == '\0')
    g_clear_pointer (&options->logo_path, g_free);
  /* The portfolio has no customer language; it speaks the one new
   * customers get. */
  options->portfolio_language = g_strdup (g_settings_get_enum (self->settings, "report-language") == 1 ? "en" : "zh_CN");
}

static void
update_busy (KlReportsPage *self)
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
      start_print (self);
    }
}

/* Customers */

static KlCustomerItem *
selected_item (KlReportsPage *self)
{
  return gtk_drop_down_get_selected_item (self->customer_dropdown);
}

static const char *
selected_customer_id (KlReportsPage *self)
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

/* Replies hold the page weakly, so a late answer does not keep it alive. */
typedef struct {
  GWeakRef  self;
  KlWorker *worker;
  guint     generation;
  char     *customer_id;
  char     *period;
} Call;

static Call *
call_new (KlReportsPage *self)
{
  Call *call = g_new0 (Call, 1);

  g_weak_ref_init (&call->self, self);
  call->worker = g_object_ref (self->worker);
  return call;
}

static void
call_free (Call *call)
{
  g_weak_ref_clear (&call->self);
  g_clear_object (&call->worker);
  g_free (call->customer_id);
  g_free (call->period);
  g_free (call);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Call, call_free)

/* The page the reply is for, or NULL when it is gone or going. */
static KlReportsPage *
call_get_page (Call *call)
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

static const KlPeriod *
selected_period (KlReportsPage *self)
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

/* Comments and goals */

static char *
buffer_text (GtkTextView *view)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (view);
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

static void
set_buffer_text (KlReportsPage *self,
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

static void
update_notes_editor (KlReportsPage *self)
{
  gboolean editable = self->notes_customer_id != NULL && self->notes_loaded;

  gtk_widget_set_sensitive (GTK_WIDGET (self->comments_view), editable);
  gtk_widget_set_sensitive (GTK_WIDGET (self->goals_view), editable);
  if (self->notes_customer_id == NULL)
    set_notes_status (self, _("Comments and goals are kept for each customer; choose one to write them."));
}

/* Points the editor at the chosen customer and period; their text arrives
 * with the report. */
static void
retarget_notes (KlReportsPage *self)
{
  const char *customer_id = selected_customer_id (self);
  const KlPeriod *period = selected_period (self);
  g_autofree char *label = period != NULL ? kl_period_to_label (period) : NULL;

  if (g_strcmp0 (customer_id, self->notes_customer_id) == 0 && g_strcmp0 (label, self->notes_period) == 0)
    return;

  save_notes (self);
  g_free (self->notes_customer_id);
  self->notes_customer_id = g_strdup (customer_id);
  g_free (self->notes_period);
  self->notes_period = g_steal_pointer (&label);
  self->notes_loaded = FALSE;
  set_buffer_text (self, self->comments_view, "");
  set_buffer_text (self, self->goals_view, "");
  if (self->notes_customer_id != NULL)
    set_notes_status (self, _("Printed in the report. Changes are saved as you type."));
  update_notes_editor (self);
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
  g_autoptr(KlReportsPage) self = call_get_page (call);
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
      add_toast (self, error->message);
      if (current)
        {
          /* Keep the text marked unsaved so the next keystroke tries again. */
          self->notes_dirty = TRUE;
          set_notes_status (self, _("Not saved. Edit the text to try again."));
        }
      update_busy (self);
      return;
    }

  self->n_saves++;
  if (current && !self->notes_dirty && self->saves_in_flight == 0)
    set_notes_status (self, _("Saved. Printed in the report."));
  /* The preview shows the new text. */
  if (current)
    request_build (self);
  update_busy (self);
}

/* reply FALSE: nobody waits for the answer (the page is going away). */
static void
save_notes_full (KlReportsPage *self,
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

  call = call_new (self);
  call->customer_id = g_strdup (request->customer_id);
  call->period = g_strdup (request->period);
  kl_worker_run (self->worker, KL_WORKER_WRITE, save_notes_job, request,
                 (GDestroyNotify) save_request_free, NULL, NULL, NULL, NULL,
                 notes_saved, call);
  update_busy (self);
}

static void
save_notes (KlReportsPage *self)
{
  save_notes_full (self, TRUE);
}

static gboolean
notes_timeout (gpointer data)
{
  KlReportsPage *self = data;

  self->notes_timeout_id = 0;
  save_notes (self);
  return G_SOURCE_REMOVE;
}

static void
notes_changed (KlReportsPage *self)
{
  if (self->setting_notes || !self->notes_loaded || self->notes_customer_id == NULL)
    return;
  self->notes_dirty = TRUE;
  set_notes_status (self, _("Editing…"));
  g_clear_handle_id (&self->notes_timeout_id, g_source_remove);
  self->notes_timeout_id = g_timeout_add (NOTES_SAVE_DELAY_MS, notes_timeout, self);
  update_busy (self);
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
  const KlPeriod *period = selected_period (self);
  g_autofree char *label = period != NULL ? kl_period_to_label (period) : g_strdup ("");
  const char *language = chosen_language (self);

  return g_strdup_printf ("%s|%s|%s", selected_customer_id (self) ?: "", label, language ?: "");
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
      set_buffer_text (self, self->comments_view, result->comments);
      set_buffer_text (self, self->goals_view, result->goals);
      self->notes_loaded = TRUE;
      update_notes_editor (self);
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
  g_autoptr(KlReportsPage) self = call_get_page (call);
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
  update_actions (self);
  update_busy (self);
}

static void
request_build (KlReportsPage *self)
{
  const KlPeriod *period = selected_period (self);
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
  load_options (self, &request->options);
  request->with_notes = TRUE;
  if (self->print != NULL)
    kl_report_print_set_paper (self->print, request->options.paper);

  call = call_new (self);
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
  update_actions (self);
  update_busy (self);
}

static void
choices_changed (KlReportsPage *self)
{
  if (self->updating)
    return;
  self->period_chosen = TRUE;
  if (!self->customers_loaded)
    return;
  retarget_notes (self);
  request_build (self);
}

/* Loading the customers */

static void
customers_loaded (GObject      *source,
                  GAsyncResult *res,
                  gpointer      user_data)
{
  g_autoptr(Call) call = user_data;
  g_autoptr(KlReportsPage) self = call_get_page (call);
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
      add_toast (self, error->message);
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

  previous_id = g_strdup (selected_customer_id (self));
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

      if (self->period_chosen && selected_period (self) != NULL)
        keep = kl_period_copy (selected_period (self));
      fill_periods (self, keep);
    }
  self->updating = FALSE;

  self->customers_loaded = TRUE;
  retarget_notes (self);
  request_build (self);
}

static void
load_customers (KlReportsPage *self)
{
  if (self->worker == NULL || self->loading_customers)
    return;
  self->loading_customers = TRUE;
  kl_worker_run (self->worker, KL_WORKER_READ, load_job, NULL, NULL,
                 (GDestroyNotify) load_result_free, NULL, NULL, NULL,
                 customers_loaded, call_new (self));
}

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
        save_notes (self);
        request = g_new0 (PdfRequest, 1);
        request->model = kl_report_model_copy (model);
        load_options (self, &request->options);
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
        add_toast (self, error->message);
      return;
    }
  /* Translators: %s is a file name */
  message = g_strdup_printf (_("Saved “%s”"), name);
  add_toast (self, message);
}

/* The export file choosers */

typedef enum {
  CHOOSE_PDF,
  CHOOSE_CHART,
  CHOOSE_FIGURES,
} ChooseKind;

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

static void
choose_export_file (KlReportsPage *self,
                    ChooseKind     kind)
{
  KlPreparedReport *report = kl_report_preview_get_report (self->preview);
  const KlReportModel *model;
  GtkFileChooserNative *native;
  GtkFileChooser *chooser;
  g_autofree char *name = NULL;
  const char *title;

  if (report == NULL)
    return;
  model = kl_prepared_report_get_model (report);

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
    case CHOOSE_FIGURES:
    default:
      title = _("Export Figures");
      name = kl_report_file_name (model, "csv");
      break;
    }

  native = gtk_file_chooser_native_new (title, parent_window (self), GTK_FILE_CHOOSER_ACTION_SAVE,
                                        _("_Export"), _("_Cancel"));
  chooser = GTK_FILE_CHOOSER (native);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (native), TRUE);
  gtk_file_chooser_set_current_name (chooser, name);

  switch (kind)
    {
    case CHOOSE_PDF:
      add_filter (chooser, _("PDF documents"), "application/pdf", NULL);
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
    add_toast (self, error->message);
}

static void
start_print (KlReportsPage *self)
{
  KlPreparedReport *report = kl_report_preview_get_report (self->preview);

  if (report == NULL)
    return;
  kl_report_print_run_async (self->print, report, kl_report_preview_get_page (self->preview),
                             parent_window (self), printed, g_object_ref (self));
}

/* Actions */

static void
print_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  KlReportsPage *self = KL_REPORTS_PAGE (widget);

  /* Words typed a moment ago belong on paper: save, rebuild, then print. */
  save_notes (self);
  if (self->busy)
    {
      self->print_pending = TRUE;
      return;
    }
  start_print (self);
}

static void
page_setup_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  KlReportsPage *self = KL_REPORTS_PAGE (widget);

  kl_report_print_run_page_setup (self->print, parent_window (self));
}

static void
export_pdf_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  choose_export_file (KL_REPORTS_PAGE (widget), CHOOSE_PDF);
}

static void
export_chart_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  choose_export_file (KL_REPORTS_PAGE (widget), CHOOSE_CHART);
}

static void
export_figures_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  choose_export_file (KL_REPORTS_PAGE (widget), CHOOSE_FIGURES);
}

static void
all_accounts_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  KlReportsPage *self = KL_REPORTS_PAGE (widget);
  const KlPeriod *period = selected_period (self);
  KlReportOptions options;
  KlReportBatchDialog *dialog;

  if (self->worker == NULL || period == NULL)
    return;
  save_notes (self);
  load_options (self, &options);
  dialog = kl_report_batch_dialog_new (parent_window (self), self->worker, period, &options);
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

static void
update_view_controls (KlReportsPage *self)
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

static void
update_actions (KlReportsPage *self)
{
  gboolean has_report = kl_report_preview_get_report (self->preview) != NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "reports.print", has_report);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "reports.page-setup", has_report);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "reports.export-pdf", has_report);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "reports.export-chart", has_report);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "reports.export-figures", has_report);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "reports.all-accounts",
                                 self->worker != NULL && self->customers_loaded);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "reports.refresh", self->worker != NULL);
  update_view_controls (self);
}

static void
settings_changed (KlReportsPage *self,
                  const char    *key)
{
  if (g_strcmp0 (key, "report-paper-size") == 0 || g_strcmp0 (key, "company-name") == 0 ||
      g_strcmp0 (key, "letterhead-logo") == 0)
    request_build (self);
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
}

static void
kl_reports_page_dispose (GObject *object)
{
  KlReportsPage *self = KL_REPORTS_PAGE (object);

  /* Unsaved typing still reaches the workspace. */
  save_notes_full (self, FALSE);
  g_cancellable_cancel (self->lifetime);
  if (self->build_cancellable != NULL)
    g_cancellable_cancel (self->build_cancellable);
  g_clear_handle_id (&self->spinner_id, g_source_remove);
  g_clear_handle_id (&self->notes_timeout_id, g_source_remove);
  if (self->settings != NULL)
    g_signal_handlers_disconnect_by_data (self->settings, self);

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
  gtk_widget_class_bind_template_child (widget_class, KlReportsPage, page_label);
  gtk_widget_class_bind_template_child (widget_class, KlReportsPage, zoom_button);

  gtk_widget_class_install_action (widget_class, "reports.print", NULL, print_action);
  gtk_widget_class_install_action (widget_class, "reports.page-setup", NULL, page_setup_action);
  gtk_widget_class_install_action (widget_class, "reports.export-pdf", NULL, export_pdf_action);
  gtk_widget_class_install_action (widget_class, "reports.export-chart", NULL, export_chart_action);
  gtk_widget_class_install_action (widget_class, "reports.export-figures", NULL, export_figures_action);
  gtk_widget_class_install_action (widget_class, "reports.all-accounts", NULL, all_accounts_action);
  gtk_widget_class_install_action (widget_class, "reports.refresh", NULL, refresh_action);
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

  gtk_widget_class_set_css_name (widget_class, "reportspage");
}

static void
kl_reports_page_init (KlReportsPage *self)
{
  g_autoptr(GtkStringList) languages = NULL;
  g_autoptr(GtkListItemFactory) button_factory = NULL;
  g_autoptr(GtkListItemFactory) list_factory = NULL;
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;
  GtkExpression *expression;

  self->lifetime = g_cancellable_new ();
  self->customers = g_list_store_new (KL_TYPE_CUSTOMER_ITEM);
  self->periods = g_ptr_array_new_with_free_func ((GDestroyNotify) kl_period_free);
  self->tz = g_time_zone_new_local ();
  self->kind = KL_PERIOD_MONTH;
  self->print = kl_report_print_new ();
  self->updating = TRUE;

  gtk_widget_init_template (GTK_WIDGET (self));
  load_css_once (GTK_WIDGET (self));

  button_factory = customer_factory (FALSE);
  list_factory = customer_factory (TRUE);
  gtk_drop_down_set_factory (self->customer_dropdown, button_factory);
  gtk_drop_down_set_list_factory (self->customer_dropdown, list_factory);
  expression = gtk_cclosure_expression_new (G_TYPE_STRING, NULL, 0, NULL,
                                            G_CALLBACK (customer_search_text), NULL, NULL);
  gtk_drop_down_set_expression (self->customer_dropdown, expression);
  gtk_expression_unref (expression);
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
                           G_CALLBACK (notes_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (gtk_text_view_get_buffer (self->goals_view), "changed",
                           G_CALLBACK (notes_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->preview, "notify::page",
                           G_CALLBACK (update_view_controls), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->preview, "notify::n-pages",
                           G_CALLBACK (update_view_controls), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->preview, "notify::zoom",
                           G_CALLBACK (update_view_controls), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->preview, "notify::fit-width",
                           G_CALLBACK (update_view_controls), self, G_CONNECT_SWAPPED);

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
  gtk_widget_set_visible (self->view_controls, FALSE);
  update_notes_editor (self);
  update_actions (self);
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
  save_notes (self);
  g_set_object (&self->worker, worker);
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
  if (worker != NULL)
    load_customers (self);
  update_actions (self);
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

const char *
kl_reports_page_get_customer_id (KlReportsPage *self)
{
  g_return_val_if_fail (KL_IS_REPORTS_PAGE (self), NULL);
  return selected_customer_id (self);
}

void
kl_reports_page_set_period (KlReportsPage  *self,
                            const KlPeriod *period)
{
  g_return_if_fail (KL_IS_REPORTS_PAGE (self));
  g_return_if_fail (period != NULL);

  self->period_chosen = TRUE;
  if (selected_period (self) != NULL && kl_period_equal (selected_period (self), period))
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
  return selected_period (self);
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
