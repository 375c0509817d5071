/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The Portfolio page and the KPI cards against a demo workspace through the
 * worker: the table fills, sorts by its columns, filters and opens an
 * account; the cards show the agreement's KPIs met or missed as the report
 * model says; charts give their numbers to screen readers. */
#include "config.h"

#include <adwaita.h>
#include <math.h>

#include "kl-analysis-panel.h"
#include "kl-chart-widget.h"
#include "kl-customer-store.h"
#include "kl-format.h"
#include "kl-kpi-tiles.h"
#include "kl-portfolio-page.h"
#include "kl-report-model.h"
#include "kl-portfolio-table-row.h"
#include "kl-table-cell.h"
#include "kl-test-gui-util.h"

#define WAIT_SECONDS 20
#define N_DEMO 40

typedef struct {
  char            *dir;
  KlWorker        *worker;
  GtkWindow       *window;
  KlPortfolioPage *page;
  char            *bare_id;       /* a customer without an agreement */
  guint            n_opened;
  char            *opened_id;
} Fixture;

/* Waiting: conditions take the fixture. */

#define wait_for(f, condition, data, what) \
  kl_test_wait_for ((f), KL_TEST_CONDITION (condition), (data), (what), WAIT_SECONDS)

/* The table */

static GListModel *
table_model (Fixture *f)
{
  return G_LIST_MODEL (gtk_list_view_get_model (kl_portfolio_page_get_list_view (f->page)));
}

static const KlPortfolioRow *
row_at (Fixture *f, guint position)
{
  g_autoptr(KlPortfolioItem) item = g_list_model_get_item (table_model (f), position);

  g_assert_nonnull (item);
  /* The store keeps the item, so the row outlives this reference. */
  return kl_portfolio_item_get_row (item);
}

static gboolean
page_has_rows (Fixture *f, gconstpointer data)
{
  gboolean loading = TRUE;

  g_object_get (f->page, "loading", &loading, NULL);
  return !loading && g_list_model_get_n_items (table_model (f)) == GPOINTER_TO_UINT (data);
}

static gboolean
page_month_is (Fixture *f, gconstpointer data)
{
  gboolean loading = TRUE;

  g_object_get (f->page, "loading", &loading, NULL);
  return !loading && g_list_model_get_n_items (table_model (f)) > 0 &&
         row_at (f, 0)->month == GPOINTER_TO_INT (data);
}

static GtkColumnViewColumn *
column_titled (Fixture *f, const char *title)
{
  GListModel *columns = gtk_column_view_get_columns (kl_portfolio_page_get_column_view (f->page));

  for (guint i = 0; i < g_list_model_get_n_items (columns); i++)
    {
      g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (columns, i);

      if (g_strcmp0 (gtk_column_view_column_get_title (column), title) == 0)
        return column;   /* the column view keeps it */
    }
  g_error ("No column titled %s", title);
  return NULL;
}

static GtkWidget *
find_label (GtkWidget *root, const char *text)
{
  if (GTK_IS_LABEL (root) && g_strcmp0 (gtk_label_get_text (GTK_LABEL (root)), text) == 0)
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_label (child, text);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The drawn rows on screen. */
static void
collect_rows (GtkWidget *root, GPtrArray *rows)
{
  if (KL_IS_PORTFOLIO_TABLE_ROW (root) && gtk_widget_get_mapped (root))
    g_ptr_array_add (rows, root);
  for (GtkWidget *child = gtk_widget_get_first_child (root); child; child = gtk_widget_get_next_sibling (child))
    collect_rows (child, rows);
}

static KlPortfolioTableRow *
row_showing (GPtrArray *rows, const KlPortfolioRow *row)
{
  for (guint i = 0; i < rows->len; i++)
    if (kl_portfolio_table_row_get_row (g_ptr_array_index (rows, i)) == row)
      return g_ptr_array_index (rows, i);
  return NULL;
}

/* Reading through the worker */

typedef struct {
  char *code;
  int   month;
} ReportRequest;

static void
report_request_free (ReportRequest *request)
{
  g_free (request->code);
  g_free (request);
}

static gpointer
report_job (KlDatabase *db, gpointer data, KlWorkerJob *job, GError **error)
{
  ReportRequest *request = data;
  int month = request->month > 0 ? request->month : kl_portfolio_latest_complete_month (db);
  g_autoptr(KlPeriod) period = kl_period_new_for_month (month);

  return kl_report_build (db, request->code, period, error);
}

static KlReportModel *
build_report (Fixture *f, const char *code, int month)
{
  ReportRequest *request = g_new0 (ReportRequest, 1);

  request->code = g_strdup (code);
  request->month = month;
  return kl_test_worker_read (f->worker, report_job, request, (GDestroyNotify) report_request_free,
                              (GDestroyNotify) kl_report_model_free, WAIT_SECONDS);
}

/* Fixture */

static void
on_open_customer (KlPortfolioPage *page, const char *id, Fixture *f)
{
  f->n_opened++;
  g_free (f->opened_id);
  f->opened_id = g_strdup (id);
}

/* The demo fill takes seconds: it is made once, and each test opens a copy. */
static char *template_dir;
static char *template_path;

static void
make_template (void)
{
  g_autoptr(KlDatabase) db = NULL;

  template_dir = kl_test_make_tmp_dir ("keyline-portfolio-page-template-XXXXXX");
  template_path = g_build_filename (template_dir, "workspace.db", NULL);
  /* The demo ends with the last complete month, which the page shows first. */
  db = kl_test_create_demo_workspace (template_path, N_DEMO - 1, 1, 0);
  g_free (kl_test_add_customer (db, "ZZ-BARE", "Bare Account"));
  /* Closing checkpoints the WAL, so the file alone is the workspace. */
}

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  g_autoptr(KlDatabase) db = NULL;
  g_autoptr(GError) error = NULL;

  f->dir = kl_test_make_tmp_dir ("keyline-portfolio-page-XXXXXX");
  db = kl_test_open_workspace_copy (template_path, f->dir);
  f->bare_id = kl_customer_store_lookup_code (db, "ZZ-BARE", &error);
  g_assert_no_error (error);
  g_assert_nonnull (f->bare_id);

  f->worker = kl_worker_new (g_steal_pointer (&db));

  f->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (f->window, 1400, 800);
  f->page = KL_PORTFOLIO_PAGE (kl_portfolio_page_new ());
  g_signal_connect (f->page, "open-customer", G_CALLBACK (on_open_customer), f);
  gtk_window_set_child (f->window, GTK_WIDGET (f->page));
  gtk_window_present (f->window);
  kl_portfolio_page_set_worker (f->page, f->worker);
  wait_for (f, page_has_rows, GUINT_TO_POINTER (N_DEMO), "the table to fill");
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  kl_test_close_workspace (&f->worker, &f->dir);
  g_free (f->bare_id);
  g_free (f->opened_id);
}

/* Tests */

static gboolean
reminders_beyond_first_frame (Fixture *f, gconstpointer data)
{
  GListModel *model = G_LIST_MODEL (gtk_list_view_get_model (GTK_LIST_VIEW ((gpointer) data)));

  return g_list_model_get_n_items (model) > 20;
}

static void
test_ranked (Fixture *f, gconstpointer data)
{
  GListModel *model = table_model (f);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  int expected = kl_month_add (g_date_time_get_year (now) * 100 + g_date_time_get_month (now), -1);

  /* The last complete month, in rank order. */
  g_assert_cmpint (kl_portfolio_page_get_month (f->page), ==, expected);
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      const KlPortfolioRow *row = row_at (f, i);

      g_assert_cmpint (row->month, ==, expected);
      g_assert_cmpuint (row->rank, ==, i + 1);
    }
  /* The demo has accounts missing their targets; they lead. */
  g_assert_cmpuint (row_at (f, 0)->sla_misses, >, 0);
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (kl_portfolio_page_get_column_view (f->page))));

  /* The first row on screen shows the first account's figures. */
  {
    const KlPortfolioRow *first = row_at (f, 0);
    g_autoptr(GPtrArray) rows = g_ptr_array_new ();
    g_autofree char *misses_text = g_strdup_printf ("%u of %u", first->sla_misses, first->sla_targets);
    g_autofree char *dispatch = kl_format_percent (first->figures.rates[KL_RATE_DISPATCH_ON_TIME]);
    const char *accessible;
    KlPortfolioTableRow *shown;
    const KlPortfolioCell *customer, *rate;
    gboolean missed_icon = FALSE;

    kl_test_iterate_pending ();
    collect_rows (GTK_WIDGET (f->page), rows);
    shown = row_showing (rows, first);
    g_assert_nonnull (shown);
    g_assert_cmpstr (kl_portfolio_table_row_get_cell (shown, KL_PORTFOLIO_COLUMN_MISSES)->title, ==, misses_text);
    g_assert_cmpstr (kl_portfolio_table_row_get_cell (shown, KL_PORTFOLIO_COLUMN_RANK)->title, ==, "1");

    /* The customer's cell: name, and under it the code. */
    customer = kl_portfolio_table_row_get_cell (shown, KL_PORTFOLIO_COLUMN_CUSTOMER);
    g_assert_cmpstr (customer->title, ==, first->name);
    g_assert_cmpstr (customer->caption, ==, first->code);

    /* A rate's cell: the figure, and under it the target or "No target". */
    rate = kl_portfolio_table_row_get_cell (shown, KL_PORTFOLIO_COLUMN_DISPATCH);
    g_assert_cmpstr (rate->title, ==, dispatch);
    g_assert_nonnull (rate->caption);
    g_assert_true (g_str_has_suffix (rate->caption, "%") ||
                   g_strcmp0 (rate->caption, g_dgettext (GETTEXT_PACKAGE, "No target")) == 0);
    g_assert_true (g_str_has_prefix (rate->tooltip, "Dispatch on time "));

    /* The first account misses targets: some of its rates show so. */
    for (guint i = KL_PORTFOLIO_COLUMN_DISPATCH; i < KL_PORTFOLIO_N_COLUMNS; i++)
      {
        const char *icon = kl_portfolio_table_row_get_cell (shown, i)->icon_name;

        missed_icon |= g_strcmp0 (icon, "dialog-error-symbolic") == 0 ||
                       g_strcmp0 (icon, "dialog-warning-symbolic") == 0;
      }
    g_assert_true (missed_icon);

    /* The effort panel under the table goes on filling in its reminders
     * past the first frames (the demo has over 20; they go in 10 a frame). */
    {
      GtkWidget *panel = kl_test_find_first_of_type (GTK_WIDGET (f->page), KL_TYPE_ANALYSIS_PANEL);

      g_assert_nonnull (panel);
      wait_for (f, reminders_beyond_first_frame, kl_analysis_panel_get_reminders (KL_ANALYSIS_PANEL (panel)),
                "the reminders past the first 20");
    }

    /* Read aloud, the row names its columns and what they show. */
    accessible = kl_portfolio_table_row_get_accessible_text (shown);
    g_assert_nonnull (strstr (accessible, first->name));
    g_assert_nonnull (strstr (accessible, "SLA misses: "));
    g_assert_nonnull (strstr (accessible, rate->tooltip));

    /* The row is as wide as the header's columns, under them. */
    {
      int width = 0;
      GListModel *columns = gtk_column_view_get_columns (kl_portfolio_page_get_column_view (f->page));

      for (guint i = 0; i < g_list_model_get_n_items (columns); i++)
        {
          g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (columns, i);

          width += gtk_column_view_column_get_fixed_width (column);
        }
      g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (shown)), ==, width);

      /* Scrolled sideways, the header moves with the rows: a title keeps
       * its place over its column. */
      {
        GtkWidget *view = GTK_WIDGET (kl_portfolio_page_get_column_view (f->page));
        GtkWidget *list = GTK_WIDGET (kl_portfolio_page_get_list_view (f->page));
        GtkAdjustment *row_scroll = gtk_scrolled_window_get_hadjustment (
          GTK_SCROLLED_WINDOW (gtk_widget_get_ancestor (list, GTK_TYPE_SCROLLED_WINDOW)));
        GtkAdjustment *header = gtk_scrolled_window_get_hadjustment (
          GTK_SCROLLED_WINDOW (gtk_widget_get_ancestor (view, GTK_TYPE_SCROLLED_WINDOW)));
        GtkWidget *title = find_label (view, "Region");
        graphene_rect_t title_before, row_before, title_after, row_after;

        g_assert_nonnull (title);
        g_assert_cmpfloat (gtk_adjustment_get_upper (row_scroll) - gtk_adjustment_get_page_size (row_scroll), >, 100);
        g_assert_true (gtk_widget_compute_bounds (title, GTK_WIDGET (f->page), &title_before));
        g_assert_true (gtk_widget_compute_bounds (GTK_WIDGET (shown), GTK_WIDGET (f->page), &row_before));
        gtk_adjustment_set_value (row_scroll, 100);
        g_assert_cmpfloat (gtk_adjustment_get_value (header), ==, 100);
        kl_test_wait_for_frames (GTK_WIDGET (f->page), 2);
        g_assert_true (gtk_widget_compute_bounds (title, GTK_WIDGET (f->page), &title_after));
        g_assert_true (gtk_widget_compute_bounds (GTK_WIDGET (shown), GTK_WIDGET (f->page), &row_after));
        g_assert_cmpfloat (row_after.origin.x, ==, row_before.origin.x - 100);
        g_assert_cmpfloat (title_after.origin.x - row_after.origin.x, ==, title_before.origin.x - row_before.origin.x);
        gtk_adjustment_set_value (row_scroll, 0);
        kl_test_wait_for_frames (GTK_WIDGET (f->page), 2);
      }

      /* Widening a column, as dragging its edge does, widens the rows under it. */
      {
        GtkColumnViewColumn *customer_column = column_titled (f, "Customer");

        gtk_column_view_column_set_fixed_width (customer_column,
                                                gtk_column_view_column_get_fixed_width (customer_column) + 100);
        kl_test_wait_for_frames (GTK_WIDGET (f->page), 2);
        g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (shown)), ==, width + 100);
      }
    }
  }
}

static void
test_sort (Fixture *f, gconstpointer data)
{
  GtkColumnView *view = kl_portfolio_page_get_column_view (f->page);
  GListModel *model = table_model (f);
  guint n;

  gtk_column_view_sort_by_column (view, column_titled (f, "Shipments"), GTK_SORT_DESCENDING);
  kl_test_iterate_pending ();
  n = g_list_model_get_n_items (model);
  g_assert_cmpuint (n, ==, N_DEMO);
  for (guint i = 1; i < n; i++)
    g_assert_cmpint (row_at (f, i - 1)->figures.shipments, >=, row_at (f, i)->figures.shipments);
  g_assert_cmpint (row_at (f, 0)->figures.shipments, >, row_at (f, n - 1)->figures.shipments);

  gtk_column_view_sort_by_column (view, column_titled (f, "Dispatch on time"), GTK_SORT_ASCENDING);
  kl_test_iterate_pending ();
  for (guint i = 1; i < n; i++)
    {
      double a = row_at (f, i - 1)->figures.rates[KL_RATE_DISPATCH_ON_TIME];
      double b = row_at (f, i)->figures.rates[KL_RATE_DISPATCH_ON_TIME];

      /* Worst first; accounts with nothing to measure last. */
      g_assert_true (isnan (b) || (!isnan (a) && a <= b));
    }

  gtk_column_view_sort_by_column (view, column_titled (f, "Customer"), GTK_SORT_ASCENDING);
  kl_test_iterate_pending ();
  for (guint i = 1; i < n; i++)
    g_assert_cmpint (g_utf8_collate (row_at (f, i - 1)->name, row_at (f, i)->name), <=, 0);

  /* Back to the ranking. */
  gtk_column_view_sort_by_column (view, column_titled (f, "Rank"), GTK_SORT_ASCENDING);
  kl_test_iterate_pending ();
  for (guint i = 0; i < n; i++)
    g_assert_cmpuint (row_at (f, i)->rank, ==, i + 1);
}

static void
test_activate (Fixture *f, gconstpointer data)
{
  GtkColumnView *view = kl_portfolio_page_get_column_view (f->page);
  g_autofree char *expected = NULL;

  gtk_column_view_sort_by_column (view, column_titled (f, "Customer"), GTK_SORT_DESCENDING);
  kl_test_iterate_pending ();
  expected = g_strdup (row_at (f, 3)->customer_id);
  g_signal_emit_by_name (kl_portfolio_page_get_list_view (f->page), "activate", 3);
  g_assert_cmpuint (f->n_opened, ==, 1);
  g_assert_cmpstr (f->opened_id, ==, expected);
}

static void
test_filter (Fixture *f, gconstpointer data)
{
  GtkEditable *entry = kl_portfolio_page_get_search_entry (f->page);
  g_autofree char *code = g_strdup (row_at (f, 5)->code);
  g_autofree char *id = g_strdup (row_at (f, 5)->customer_id);
  GtkStack *stack;

  gtk_editable_set_text (entry, code);
  wait_for (f, page_has_rows, GUINT_TO_POINTER (1), "the filter to leave one account");
  g_assert_cmpstr (row_at (f, 0)->customer_id, ==, id);

  gtk_editable_set_text (entry, "no such account anywhere");
  wait_for (f, page_has_rows, GUINT_TO_POINTER (0), "the filter to leave none");
  stack = GTK_STACK (kl_test_find_by_id (GTK_WIDGET (f->page), "main_stack"));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "no-match");

  gtk_editable_set_text (entry, "");
  wait_for (f, page_has_rows, GUINT_TO_POINTER (N_DEMO), "every account again");
  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "list");
}

static void
test_month (Fixture *f, gconstpointer data)
{
  int month = kl_month_add (kl_portfolio_page_get_month (f->page), -2);
  g_autoptr(KlReportModel) model = NULL;
  const KlPortfolioRow *row;
  GtkDropDown *dropdown;

  kl_portfolio_page_set_month (f->page, month);
  wait_for (f, page_month_is, GINT_TO_POINTER (month), "the earlier month");
  g_assert_cmpuint (g_list_model_get_n_items (table_model (f)), ==, N_DEMO);

  /* The same figures as the report of that month. */
  row = row_at (f, 0);
  model = build_report (f, row->code, month);
  g_assert_true (kl_kpi_figures_equal (&row->figures, &model->figures));

  /* The month picker follows, and picking a month ranks it. */
  dropdown = GTK_DROP_DOWN (kl_test_find_by_id (GTK_WIDGET (f->page), "month_dropdown"));
  g_assert_cmpuint (gtk_drop_down_get_selected (dropdown), ==, 2);
  gtk_drop_down_set_selected (dropdown, 0);
  wait_for (f, page_month_is, GINT_TO_POINTER (kl_month_add (month, 2)), "the picked month");
}

/* KPI cards */

static gboolean
tiles_shown (Fixture *f, gconstpointer data)
{
  GtkStack *stack = GTK_STACK (kl_test_find_by_id (GTK_WIDGET (data), "stack"));

  return g_strcmp0 (gtk_stack_get_visible_child_name (stack), "tiles") == 0;
}

static KlKpiTiles *
show_tiles (Fixture *f, const char *customer_id)
{
  GtkWidget *window = gtk_window_new ();
  KlKpiTiles *tiles = KL_KPI_TILES (kl_kpi_tiles_new ());

  gtk_window_set_default_size (GTK_WINDOW (window), 800, 600);
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (tiles));
  kl_kpi_tiles_set_worker (tiles, f->worker);
  kl_kpi_tiles_set_customer_id (tiles, customer_id);
  gtk_window_present (GTK_WINDOW (window));
  wait_for (f, tiles_shown, tiles, "the KPI cards");
  return tiles;
}

static void
assert_tiles_match (KlKpiTiles *tiles, const KlReportModel *model)
{
  GtkWidget *flow = kl_test_find_first_of_type (GTK_WIDGET (tiles), GTK_TYPE_FLOW_BOX);
  guint n_targets = 0, n_tiles = 0;

  for (guint r = 0; r < KL_N_RATES; r++)
    n_targets += model->targets[r].has_target;

  for (GtkWidget *child = gtk_widget_get_first_child (flow); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *tile = gtk_flow_box_child_get_child (GTK_FLOW_BOX_CHILD (child));
      KlChartWidget *sparkline = KL_CHART_WIDGET (kl_test_find_first_of_type (tile, KL_TYPE_CHART_WIDGET));
      KlRate rate;
      const KlKpiTarget *t;

      g_assert_true (kl_rate_from_key (gtk_widget_get_name (tile), &rate));
      t = &model->targets[rate];
      n_tiles++;
      g_assert_true (n_targets == 0 || t->has_target);
      g_assert_true (gtk_widget_has_css_class (tile, "card"));
      if (!t->has_target)
        g_assert_true (gtk_widget_has_css_class (tile, "no-target"));
      else if (t->met == KL_TRI_TRUE)
        g_assert_true (gtk_widget_has_css_class (tile, "met"));
      else if (t->met == KL_TRI_FALSE)
        g_assert_true (gtk_widget_has_css_class (tile, "missed"));
      else
        g_assert_true (gtk_widget_has_css_class (tile, "unmeasured"));

      /* Twelve months for screen readers, the last being the card's month. */
      {
        g_autofree char *month = kl_period_to_display (model->period);

        g_assert_nonnull (strstr (kl_chart_widget_get_summary (sparkline), month));
        g_assert_nonnull (strstr (kl_chart_widget_get_summary (sparkline), kl_rate_to_label (rate)));
      }
    }
  g_assert_cmpuint (n_tiles, ==, n_targets > 0 ? n_targets : KL_N_RATES);
}

static void
test_tiles (Fixture *f, gconstpointer data)
{
  guint n_missed = 0;

  /* The first accounts of the ranking miss targets; check a few of them. */
  for (guint i = 0; i < 4; i++)
    {
      const KlPortfolioRow *row = row_at (f, i * 7);
      g_autoptr(KlReportModel) model = build_report (f, row->code, 0);
      KlKpiTiles *tiles = show_tiles (f, row->customer_id);

      assert_tiles_match (tiles, model);
      for (guint r = 0; r < KL_N_RATES; r++)
        n_missed += model->targets[r].met == KL_TRI_FALSE;
      gtk_window_destroy (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (tiles))));
    }
  g_assert_cmpuint (n_missed, >, 0);
}

static void
test_tiles_no_agreement (Fixture *f, gconstpointer data)
{
  g_autoptr(KlReportModel) model = build_report (f, "ZZ-BARE", 0);
  KlKpiTiles *tiles = show_tiles (f, f->bare_id);

  g_assert_false (model->has_agreement);
  assert_tiles_match (tiles, model);

  /* No customer: nothing shown. */
  kl_kpi_tiles_set_customer_id (tiles, NULL);
  g_assert_false (tiles_shown (f, tiles));
}

static void
test_chart_accessible (void)
{
  GtkWidget *chart = g_object_ref_sink (kl_chart_widget_new (KL_CHART_WIDGET_BARS));
  const char * const months[] = { "January 2026", "February 2026", "March 2026" };
  const double values[] = { 1234, NAN, 56 };
  g_autofree char *big = kl_chart_format_value (1234, KL_CHART_FORMAT_COUNT);
  g_autofree char *target = kl_chart_format_value (1000, KL_CHART_FORMAT_COUNT);
  g_autofree char *expected = NULL;
  g_autofree char *expected_end = NULL;
  const char *summary;
  GtkWidget *table;
  guint n_cells = 0;

  kl_chart_widget_set_title (KL_CHART_WIDGET (chart), "Shipments by month");
  kl_chart_widget_set_data (KL_CHART_WIDGET (chart), months, values, 3, KL_CHART_FORMAT_COUNT);
  summary = kl_chart_widget_get_summary (KL_CHART_WIDGET (chart));
  /* Numbers as the locale writes them: "1,234" in English. */
  expected = g_strdup_printf ("Shipments by month: January 2026 %s, February 2026 no data, March 2026 56", big);
  g_assert_cmpstr (summary, ==, expected);
  g_assert_cmpint (gtk_accessible_get_accessible_role (GTK_ACCESSIBLE (chart)), ==, GTK_ACCESSIBLE_ROLE_IMG);

  kl_chart_widget_set_target (KL_CHART_WIDGET (chart), 1000);
  expected_end = g_strdup_printf ("; target %s", target);
  g_assert_true (g_str_has_suffix (kl_chart_widget_get_summary (KL_CHART_WIDGET (chart)), expected_end));

  table = g_object_ref_sink (kl_chart_widget_create_table (KL_CHART_WIDGET (chart)));
  g_assert_cmpint (gtk_accessible_get_accessible_role (GTK_ACCESSIBLE (table)), ==, GTK_ACCESSIBLE_ROLE_TABLE);
  for (GtkWidget *child = gtk_widget_get_first_child (table); child; child = gtk_widget_get_next_sibling (child))
    n_cells++;
  /* A header row and a row per value, each with period, value and target. */
  g_assert_cmpuint (n_cells, ==, 4 * 3);
  g_object_unref (table);
  g_object_unref (chart);
}

/* Ranks when shown. */

static gpointer
barrier_job (KlDatabase   *db,
             gpointer      data,
             KlWorkerJob  *job,
             GError      **error)
{
  return GINT_TO_POINTER (1);
}

static void
barrier_done (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  gboolean *done = user_data;

  kl_worker_run_finish (KL_WORKER (source), result, NULL);
  *done = TRUE;
}

static gboolean
flag_set (gpointer fixture, gconstpointer data)
{
  return *(const gboolean *) data;
}

static const char *
placeholder_shown (KlPortfolioPage *page)
{
  GtkWidget *stack = kl_test_must_find (GTK_WIDGET (page), "main_stack");

  return gtk_stack_get_visible_child_name (GTK_STACK (stack));
}

/* A Portfolio nobody sees asks the worker for nothing (its ranking would
 * hold up the page on screen, which shares the worker); shown, it says it
 * is loading, asks once its first frame is painted (the ranking would
 * take a core from that paint), then fills. */
static void
test_ranks_when_shown (void)
{
  /* Both freed by kl_test_close_workspace (). */
  char *dir = kl_test_make_tmp_dir ("keyline-portfolio-page-XXXXXX");
  g_autoptr(KlDatabase) db = kl_test_open_workspace_copy (template_path, dir);
  KlWorker *worker = kl_worker_new (g_steal_pointer (&db));
  GtkWindow *window = GTK_WINDOW (gtk_window_new ());
  GtkWidget *stack = gtk_stack_new ();
  GtkWidget *other = gtk_label_new ("Customers");
  Fixture f = { 0 };
  gboolean done = FALSE, loading = TRUE;
  KlTestWorkerHold hold;

  f.page = KL_PORTFOLIO_PAGE (kl_portfolio_page_new ());
  gtk_stack_add_named (GTK_STACK (stack), other, "other");
  gtk_stack_add_named (GTK_STACK (stack), GTK_WIDGET (f.page), "portfolio");
  gtk_stack_set_visible_child (GTK_STACK (stack), other);
  gtk_window_set_default_size (window, 1400, 800);
  gtk_window_set_child (window, stack);
  gtk_window_present (window);
  kl_portfolio_page_set_worker (f.page, worker);
  kl_portfolio_page_refresh (f.page);

  /* Whatever was asked before this job has run once it is done. */
  kl_worker_run (worker, KL_WORKER_READ, barrier_job, NULL, NULL, NULL, NULL, NULL, NULL,
                 barrier_done, &done);
  wait_for (&f, flag_set, &done, "the worker to run what was queued");
  kl_test_iterate_pending ();
  g_object_get (f.page, "loading", &loading, NULL);
  g_assert_false (loading);
  g_assert_cmpuint (g_list_model_get_n_items (table_model (&f)), ==, 0);

  /* Shown while the worker is held: a job queued right after showing it
   * runs before the ranking, which is asked for only after a frame. (Asked
   * at once, the ranking would come first: the page would show its table
   * by the time that job is done.) */
  kl_test_worker_hold (worker, &hold);
  gtk_stack_set_visible_child (GTK_STACK (stack), GTK_WIDGET (f.page));
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (f.page)));
  g_object_get (f.page, "loading", &loading, NULL);
  g_assert_true (loading);
  g_assert_cmpstr (placeholder_shown (f.page), ==, "loading");
  done = FALSE;
  kl_worker_run (worker, KL_WORKER_READ, barrier_job, NULL, NULL, NULL, NULL, NULL, NULL,
                 barrier_done, &done);
  kl_test_worker_release (&hold);
  wait_for (&f, flag_set, &done, "the job queued after showing the page");
  g_assert_cmpstr (placeholder_shown (f.page), ==, "loading");
  wait_for (&f, page_has_rows, GUINT_TO_POINTER (N_DEMO), "the table to fill");
  g_assert_cmpstr (placeholder_shown (f.page), ==, "list");

  kl_test_close_workspace (&worker, &dir);
}

/* A drawn cell measures its lines and keeps room for its icon; its texts
 * are its accessible name. */
static void
test_table_cell (void)
{
  GtkWidget *plain = g_object_ref_sink (kl_table_cell_new (FALSE));
  GtkWidget *iconed = g_object_ref_sink (kl_table_cell_new (TRUE));
  int one_line, two_lines, plain_w, iconed_w, min;

  kl_table_cell_set_title (KL_TABLE_CELL (plain), "97.5%", KL_TABLE_CELL_TONE_SUCCESS);
  gtk_widget_measure (plain, GTK_ORIENTATION_VERTICAL, -1, &one_line, NULL, NULL, NULL);
  kl_table_cell_set_caption (KL_TABLE_CELL (plain), "≥ 95.0%", KL_TABLE_CELL_TONE_DIM);
  gtk_widget_measure (plain, GTK_ORIENTATION_VERTICAL, -1, &two_lines, NULL, NULL, NULL);
  g_assert_cmpint (one_line, >, 0);
  g_assert_cmpint (two_lines, >, one_line);
  g_assert_cmpstr (kl_table_cell_get_caption (KL_TABLE_CELL (plain)), ==, "≥ 95.0%");

  /* A longer note widens the cell; the icon's room is kept without an icon. */
  gtk_widget_measure (plain, GTK_ORIENTATION_HORIZONTAL, -1, &min, &plain_w, NULL, NULL);
  kl_table_cell_set_note (KL_TABLE_CELL (plain), "At risk, and a long note besides", KL_TABLE_CELL_TONE_WARNING);
  gtk_widget_measure (plain, GTK_ORIENTATION_HORIZONTAL, -1, &min, &iconed_w, NULL, NULL);
  g_assert_cmpint (iconed_w, >, plain_w);
  kl_table_cell_set_note (KL_TABLE_CELL (plain), NULL, KL_TABLE_CELL_TONE_NORMAL);
  gtk_widget_measure (plain, GTK_ORIENTATION_HORIZONTAL, -1, &min, &plain_w, NULL, NULL);

  kl_table_cell_set_title (KL_TABLE_CELL (iconed), "97.5%", KL_TABLE_CELL_TONE_SUCCESS);
  kl_table_cell_set_caption (KL_TABLE_CELL (iconed), "≥ 95.0%", KL_TABLE_CELL_TONE_DIM);
  gtk_widget_measure (iconed, GTK_ORIENTATION_HORIZONTAL, -1, &min, &iconed_w, NULL, NULL);
  g_assert_cmpint (iconed_w, ==, plain_w + 20);
  kl_table_cell_set_icon (KL_TABLE_CELL (iconed), "emblem-ok-symbolic", KL_TABLE_CELL_TONE_SUCCESS);
  g_assert_cmpstr (kl_table_cell_get_icon_name (KL_TABLE_CELL (iconed)), ==, "emblem-ok-symbolic");
  gtk_widget_measure (iconed, GTK_ORIENTATION_HORIZONTAL, -1, &min, &plain_w, NULL, NULL);
  g_assert_cmpint (plain_w, ==, iconed_w);

  g_assert_cmpint (gtk_accessible_get_accessible_role (GTK_ACCESSIBLE (iconed)), ==, GTK_ACCESSIBLE_ROLE_LABEL);

  /* A cap on the characters it asks for narrows a long text's cell. */
  kl_table_cell_set_title (KL_TABLE_CELL (plain), "Tianjin Baichuan Garments and Accessories Co., Ltd.",
                           KL_TABLE_CELL_TONE_NORMAL);
  gtk_widget_measure (plain, GTK_ORIENTATION_HORIZONTAL, -1, &min, &plain_w, NULL, NULL);
  kl_table_cell_set_max_width_chars (KL_TABLE_CELL (plain), 10);
  gtk_widget_measure (plain, GTK_ORIENTATION_HORIZONTAL, -1, &min, &iconed_w, NULL, NULL);
  g_assert_cmpint (iconed_w, <, plain_w);
  g_assert_cmpint (iconed_w, >, 0);

  g_object_unref (plain);
  g_object_unref (iconed);
}

int
main (int argc, char *argv[])
{
  int status;

  g_setenv ("TZ", "UTC", TRUE);
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/portfolio-page/ranked", test_ranked);
  ADD ("/portfolio-page/sort", test_sort);
  ADD ("/portfolio-page/activate", test_activate);
  ADD ("/portfolio-page/filter", test_filter);
  ADD ("/portfolio-page/month", test_month);
  ADD ("/portfolio-page/tiles", test_tiles);
  ADD ("/portfolio-page/tiles-no-agreement", test_tiles_no_agreement);
#undef ADD
  g_test_add_func ("/portfolio-page/chart-accessible", test_chart_accessible);
  g_test_add_func ("/portfolio-page/table-cell", test_table_cell);
  g_test_add_func ("/portfolio-page/ranks-when-shown", test_ranks_when_shown);

  make_template ();
  status = g_test_run ();
  g_assert_true (kl_test_remove_tree (template_dir));
  g_free (template_dir);
  g_free (template_path);
  return status;
}
