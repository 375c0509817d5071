/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The window's Excel exports, each through its action: the Reports page's
 * "Excel Workbook…" (reports.export-xlsx), the Portfolio list
 * (portfolio.export-xlsx), the Claims list (claims.export-xlsx) and the
 * survey window's "Excel Workbook…" button. The save
 * dialog is answered beforehand (kl_xlsx_save_set_next_file); each test
 * waits for the file and opens it with python3-openpyxl. */
#include "config.h"

#include <adwaita.h>
#include <string.h>
#include <sys/wait.h>
#include <glib/gstdio.h>

#include "kl-claims-page.h"
#include "kl-portfolio-page.h"
#include "kl-reports-page.h"
#include "kl-survey-window.h"
#include "kl-xlsx-save.h"
#include "kl-test-gui-util.h"

#define WAIT_SECONDS 60

/* KEYLINE_SCREENSHOT_DIR keeps PNGs of the pages with their export controls. */
static const KlTestScreenshots screenshots = { "KEYLINE_SCREENSHOT_DIR", FALSE };

typedef struct {
  char      *dir;
  KlWorker  *worker;
  GtkWindow *window;
  GtkWidget *page;
} Fixture;

#define wait_for(f, condition, data, what) \
  kl_test_wait_for ((f), KL_TEST_CONDITION (condition), (data), (what), WAIT_SECONDS)

static gboolean
file_exists (Fixture *f, gconstpointer path)
{
  return g_file_test (path, G_FILE_TEST_IS_REGULAR);
}

static gboolean
list_filled (Fixture *f, gconstpointer data)
{
  GListModel *model = G_LIST_MODEL ((gpointer) data);

  return g_list_model_get_n_items (model) > 0;
}

/* The Portfolio puts its ranking into the table a few rows a frame; it is
 * all there when the page stops loading. */
static gboolean
portfolio_filled (Fixture *f, gconstpointer data)
{
  gboolean loading = TRUE;

  g_object_get (f->page, "loading", &loading, NULL);
  return !loading && list_filled (f, data);
}

/* What openpyxl reads in the workbook: "SHEETS|ROWS|B2|FROZEN" (sheet names
 * joined with ",", the first sheet's rows, the second sheet's B2, or the
 * first's when there is one sheet, and the first sheet's frozen pane).
 * Skips the test without python3 or openpyxl. */
static char *
read_workbook (const char *path)
{
  const char *script =
    "import sys\n"
    "try:\n"
    "    import openpyxl\n"
    "except ImportError:\n"
    "    sys.exit(77)\n"
    "wb = openpyxl.load_workbook(sys.argv[1])\n"
    "ws = wb.worksheets[1] if len(wb.worksheets) > 1 else wb.worksheets[0]\n"
    "print('%s|%d|%s|%s' % (','.join(wb.sheetnames), wb.worksheets[0].max_row, ws['B2'].value,"
    " wb.worksheets[0].freeze_panes), end='')\n";
  const char *argv[] = { "/usr/bin/python3", "-c", script, path, NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  int status = 0;

  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err, &status, &error) &&
      g_error_matches (error, G_SPAWN_ERROR, G_SPAWN_ERROR_NOENT))
    {
      g_test_skip ("/usr/bin/python3 is not installed");
      return NULL;
    }
  g_assert_no_error (error);
  if (g_spawn_check_wait_status (status, NULL) == FALSE && WIFEXITED (status) && WEXITSTATUS (status) == 77)
    {
      g_test_skip ("python3-openpyxl is not installed");
      return NULL;
    }
  if (!g_spawn_check_wait_status (status, &error))
    g_error ("openpyxl could not open %s: %s", path, err);
  return g_steal_pointer (&out);
}

/* A toast on screen whose text contains data (AdwToastWidget holds a
 * GtkLabel with the title). */
static gboolean
label_contains (GtkWidget *root, const char *text, gboolean in_toast)
{
  in_toast = in_toast || g_str_equal (G_OBJECT_TYPE_NAME (root), "AdwToastWidget");
  if (in_toast && GTK_IS_LABEL (root) && strstr (gtk_label_get_text (GTK_LABEL (root)), text) != NULL)
    return TRUE;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL; child = gtk_widget_get_next_sibling (child))
    if (label_contains (child, text, in_toast))
      return TRUE;
  return FALSE;
}

static gboolean
toast_shown (Fixture *f, gconstpointer text)
{
  return label_contains (GTK_WIDGET (f->window), text, FALSE);
}

/* Sets the page up in a window with a toast overlay, as the window has. */
static void
fixture_setup (Fixture *f, gconstpointer data)
{
  g_autofree char *path = NULL;
  g_autoptr(KlDatabase) db = NULL;
  GtkWidget *overlay = adw_toast_overlay_new ();
  GType type = GPOINTER_TO_SIZE (data);

  f->dir = kl_test_make_tmp_dir ("keyline-xlsx-ui-XXXXXX");
  path = g_build_filename (f->dir, "workspace.db", NULL);
  db = kl_test_create_demo_workspace (path, 6, 2, 0);
  f->worker = kl_worker_new (db);

  if (type == KL_TYPE_SURVEY_WINDOW)
    {
      g_object_ref_sink (overlay);
      g_object_unref (overlay);
      f->window = GTK_WINDOW (kl_survey_window_new (f->worker));
      f->page = GTK_WIDGET (f->window);
      gtk_window_present (f->window);
      return;
    }

  f->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (f->window, 1280, 860);
  f->page = g_object_new (type, NULL);
  adw_toast_overlay_set_child (ADW_TOAST_OVERLAY (overlay), f->page);
  gtk_window_set_child (f->window, overlay);
  gtk_window_present (f->window);
  if (type == KL_TYPE_REPORTS_PAGE)
    kl_reports_page_set_worker (KL_REPORTS_PAGE (f->page), f->worker);
  else if (type == KL_TYPE_PORTFOLIO_PAGE)
    kl_portfolio_page_set_worker (KL_PORTFOLIO_PAGE (f->page), f->worker);
  else
    kl_claims_page_set_worker (KL_CLAIMS_PAGE (f->page), f->worker);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  g_autoptr(GFile) unused = kl_xlsx_save_take_next_file ();

  kl_test_close_workspace (&f->worker, &f->dir);
}

/* Answers the next save dialog with dir/name (without .xlsx: the export
 * adds it) and runs action; returns the path written. */
static char *
export_through (Fixture    *f,
                const char *action,
                const char *name)
{
  g_autofree char *chosen = g_build_filename (f->dir, name, NULL);
  g_autoptr(GFile) file = g_file_new_for_path (chosen);
  char *path = g_strdup_printf ("%s.xlsx", chosen);

  kl_xlsx_save_set_next_file (file);
  g_assert_true (gtk_widget_activate_action (f->page, action, NULL));
  wait_for (f, file_exists, path, path);
  return path;
}

static gboolean
report_ready (Fixture *f, gconstpointer data)
{
  KlReportsPage *page = KL_REPORTS_PAGE (f->page);

  return kl_reports_page_get_model (page) != NULL && !kl_reports_page_get_busy (page);
}

static void
test_reports (Fixture *f, gconstpointer data)
{
  g_autofree char *path = NULL;
  g_autofree char *read = NULL;
  g_autofree char *shipments = NULL;
  g_autofree char *part = NULL;
  const KlReportModel *model;

  wait_for (f, report_ready, NULL, "the report in the preview");
  model = kl_reports_page_get_model (KL_REPORTS_PAGE (f->page));
  g_assert_true (gtk_widget_is_sensitive (f->page));
  if (g_getenv ("KEYLINE_SCREENSHOT_DIR") != NULL)
    {
      GtkMenuButton *menu = GTK_MENU_BUTTON (kl_test_must_find (f->page, "export_button"));
      GtkPopover *popover;

      gtk_menu_button_popup (menu);
      popover = gtk_menu_button_get_popover (menu);
      kl_test_save_screenshot (&screenshots, GTK_WIDGET (f->window), "xlsx-reports-page.png");
      kl_test_save_screenshot (&screenshots, GTK_WIDGET (popover), "xlsx-reports-export-menu.png");
      gtk_menu_button_popdown (menu);
    }

  path = export_through (f, "reports.export-xlsx", "report");
  wait_for (f, toast_shown, "report.xlsx", "the toast naming the workbook");
  read = read_workbook (path);
  if (read == NULL)
    return;
  /* Report, Figures, …, Claims; Figures!B2 is this period's shipments. */
  if (g_str_equal (kl_report_document_get_language (kl_reports_page_get_document (KL_REPORTS_PAGE (f->page))),
                   "zh_CN"))
    {
      g_assert_true (g_str_has_prefix (read, "报告,指标,"));
      g_assert_nonnull (strstr (read, ",索赔|"));
    }
  else
    {
      g_assert_true (g_str_has_prefix (read, "Report,Figures,"));
      g_assert_nonnull (strstr (read, ",Claims|"));
    }
  shipments = g_strdup_printf ("|%" G_GINT64_FORMAT "|A2", model->figures.shipments);
  g_assert_true (g_str_has_suffix (read, shipments));
  /* Nothing but the workbook (and the workspace) was left in the folder. */
  part = g_strdup_printf ("%s.part", path);
  g_assert_false (g_file_test (part, G_FILE_TEST_EXISTS));
}

static void
test_portfolio (Fixture *f, gconstpointer data)
{
  GtkListView *view = kl_portfolio_page_get_list_view (KL_PORTFOLIO_PAGE (f->page));
  GListModel *shown = G_LIST_MODEL (gtk_list_view_get_model (view));
  g_autofree char *path = NULL;
  g_autofree char *read = NULL;
  g_autofree char *rows = NULL;

  wait_for (f, portfolio_filled, shown, "the ranked accounts");
  kl_test_save_screenshot (&screenshots, GTK_WIDGET (f->window), "xlsx-portfolio-page.png");
  path = export_through (f, "portfolio.export-xlsx", "portfolio");
  wait_for (f, toast_shown, "portfolio.xlsx", "the toast naming the workbook");
  read = read_workbook (path);
  if (read == NULL)
    return;
  /* One sheet; a header and a row per account shown; B2 the first's code. */
  rows = g_strdup_printf ("|%u|", g_list_model_get_n_items (shown) + 1);
  g_assert_nonnull (strstr (read, rows));
  g_assert_true (g_str_has_suffix (read, "|A2"));
}

static void
test_claims (Fixture *f, gconstpointer data)
{
  GListModel *listed = kl_claims_page_get_model (KL_CLAIMS_PAGE (f->page));
  g_autofree char *path = NULL;
  g_autofree char *read = NULL;
  g_autofree char *rows = NULL;

  wait_for (f, list_filled, listed, "the cases listed");
  kl_test_save_screenshot (&screenshots, GTK_WIDGET (f->window), "xlsx-claims-page.png");
  path = export_through (f, "claims.export-xlsx", "claims");
  wait_for (f, toast_shown, "claims.xlsx", "the toast naming the workbook");
  read = read_workbook (path);
  if (read == NULL)
    return;
  rows = g_strdup_printf ("|%u|", g_list_model_get_n_items (listed) + 1);
  g_assert_nonnull (strstr (read, rows));
}

/* A folder that is not there: nothing written, a toast that says why. */
static void
test_failure (Fixture *f, gconstpointer data)
{
  GListModel *listed = kl_claims_page_get_model (KL_CLAIMS_PAGE (f->page));
  g_autofree char *chosen = g_build_filename (f->dir, "missing", "claims.xlsx", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (chosen);

  wait_for (f, list_filled, listed, "the cases listed");
  kl_xlsx_save_set_next_file (file);
  g_assert_true (gtk_widget_activate_action (f->page, "claims.export-xlsx", NULL));
  /* The message names the file (in any language). */
  wait_for (f, toast_shown, chosen, "the toast saying why");
  g_assert_false (g_file_test (chosen, G_FILE_TEST_EXISTS));
}

static gboolean
survey_shown (Fixture *f, gconstpointer data)
{
  KlSurveyWindow *window = KL_SURVEY_WINDOW (f->page);

  return !kl_survey_window_is_busy (window) && kl_survey_window_get_cell (window, 0, 0) != NULL;
}

static GtkWidget *
find_by_name (GtkWidget  *root,
              const char *name)
{
  if (g_strcmp0 (gtk_widget_get_name (root), name) == 0)
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_by_name (child, name);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
test_survey (Fixture *f, gconstpointer data)
{
  g_autofree char *chosen = g_build_filename (f->dir, "survey", NULL);
  g_autofree char *path = g_strdup_printf ("%s.xlsx", chosen);
  g_autoptr(GFile) file = g_file_new_for_path (chosen);
  g_autofree char *read = NULL;
  GtkWidget *button;

  wait_for (f, survey_shown, NULL, "a survey");
  kl_test_save_screenshot (&screenshots, GTK_WIDGET (f->window), "xlsx-survey-window.png");
  button = find_by_name (f->page, "xlsx-button");
  g_assert_nonnull (button);
  kl_xlsx_save_set_next_file (file);
  g_signal_emit_by_name (button, "clicked");
  wait_for (f, file_exists, path, path);
  read = read_workbook (path);
  if (read == NULL)
    return;
  /* Results (one row per attribute) and Responses; Responses!B2 is the
   * first respondent's customer code. */
  g_assert_true (g_str_has_prefix (read, "Results,Responses|") || g_str_has_prefix (read, "结果,答卷|"));
  g_assert_true (g_str_has_suffix (read, "|A2"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  kl_test_bind_text_domain ("KEYLINE_LOCALEDIR", FALSE);

  if (!gtk_init_check ())
    {
      g_test_message ("No display: the Excel export tests of the window need one");
      return g_test_run ();
    }
  adw_init ();
  kl_test_screenshots_begin (&screenshots);

#define ADD(path, func, type) \
  g_test_add (path, Fixture, GSIZE_TO_POINTER (type), fixture_setup, func, fixture_teardown)
  ADD ("/xlsx-export-ui/reports", test_reports, KL_TYPE_REPORTS_PAGE);
  ADD ("/xlsx-export-ui/portfolio", test_portfolio, KL_TYPE_PORTFOLIO_PAGE);
  ADD ("/xlsx-export-ui/claims", test_claims, KL_TYPE_CLAIMS_PAGE);
  ADD ("/xlsx-export-ui/failure", test_failure, KL_TYPE_CLAIMS_PAGE);
  ADD ("/xlsx-export-ui/survey", test_survey, KL_TYPE_SURVEY_WINDOW);
#undef ADD

  return g_test_run ();
}
