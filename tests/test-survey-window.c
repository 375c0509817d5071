/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The survey window through the worker: typing into the response grid
 * (Enter moves down), what is typed reaching the workspace, a bad rating
 * refused, and both matrices opening with a data table of every attribute. */
#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "kl-analysis-data.h"
#include "kl-analysis-panel.h"
#include "kl-analysis-preferences.h"
#include "kl-contact-store.h"
#include "kl-customer-analysis.h"
#include "kl-customer-store.h"
#include "kl-import.h"
#include "kl-survey-store.h"
#include "kl-survey-window.h"
#include "kl-test-gui-util.h"

#define WAIT_SECONDS 20

/* KEYLINE_SCREENSHOT_DIR=DIR saves what the tests show, to look at */
static const KlTestScreenshots screenshots = { "KEYLINE_SCREENSHOT_DIR", FALSE };

typedef struct {
  char           *dir;
  KlWorker       *worker;
  KlSurveyWindow *window;
  char           *survey_id;
} Fixture;

#define wait_for(f, condition, data, what) \
  kl_test_wait_for ((f), KL_TEST_CONDITION (condition), (data), (what), WAIT_SECONDS)

static gboolean
grid_ready (Fixture *f, gconstpointer data)
{
  return !kl_survey_window_is_busy (f->window) && kl_survey_window_get_cell (f->window, 0, 0) != NULL &&
         gtk_widget_get_sensitive (GTK_WIDGET (kl_survey_window_get_cell (f->window, 0, 0)));
}

static gboolean
idle (Fixture *f, gconstpointer data)
{
  return !kl_survey_window_is_busy (f->window);
}

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  g_autoptr(KlDatabase) db = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *customer = NULL;
  const char *competitors[] = { "Rival", NULL };

  f->dir = kl_test_make_tmp_dir ("keyline-survey-window-XXXXXX");
  path = g_build_filename (f->dir, "workspace.db", NULL);
  db = kl_test_create_workspace (path);
  customer = kl_test_add_customer (db, "S1", "Surveyed");
  f->survey_id = kl_survey_store_create (db, "Round 1", "2026-06-01", competitors, NULL, TRUE, &error);
  g_assert_no_error (error);
  g_assert_cmpint (kl_survey_store_ensure_respondent (db, f->survey_id, "Ms Li", customer, &error), >, 0);
  g_assert_no_error (error);
  f->worker = kl_worker_new (g_steal_pointer (&db));
  f->window = KL_SURVEY_WINDOW (kl_survey_window_new (f->worker));
  gtk_window_present (GTK_WINDOW (f->window));
  wait_for (f, grid_ready, NULL, "the response grid");
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  kl_test_destroy_toplevels ();
  kl_test_close_workspace (&f->worker, &f->dir);
  g_free (f->survey_id);
}

/* Widgets built in code are found by name. */
static GtkWidget *
find_named (GtkWidget *root, const char *name)
{
  if (g_strcmp0 (gtk_widget_get_name (root), name) == 0)
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_named (child, name);
      if (found != NULL)
        return found;
    }
  return NULL;
}

static GtkWidget *
must_find (GtkWidget *root, const char *name)
{
  GtkWidget *w = find_named (root, name);
  if (w == NULL)
    g_error ("No widget named %s under %s", name, G_OBJECT_TYPE_NAME (root));
  return w;
}

static gpointer
load_job (KlDatabase *db, gpointer data, KlWorkerJob *job, GError **error)
{
  return kl_survey_store_load (db, data, error);
}

static KlSurvey *
stored (Fixture *f)
{
  return kl_test_worker_read (f->worker, load_job, g_strdup (f->survey_id), g_free,
                              (GDestroyNotify) kl_survey_free, WAIT_SECONDS);
}

static void
type_into (GtkEditable *cell, const char *text)
{
  gtk_widget_grab_focus (GTK_WIDGET (cell));
  gtk_editable_set_text (cell, text);
  g_signal_emit_by_name (cell, "activate");
}

static void
test_grid_and_matrices (Fixture *f, gconstpointer data)
{
  g_autoptr(KlSurvey) s = NULL;
  GtkEditable *importance = kl_survey_window_get_cell (f->window, 0, 0);
  GtkEditable *ours = kl_survey_window_get_cell (f->window, 0, 1);
  GtkEditable *rival = kl_survey_window_get_cell (f->window, 0, 2);
  GtkEditable *bad = kl_survey_window_get_cell (f->window, 1, 0);
  GtkWindow *position, *evaluation;
  GtkWidget *table;

  /* importance, ours, the rival: Enter moves to the next attribute's cell */
  type_into (importance, "6");
  {
    GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (f->window));
    GtkWidget *below = GTK_WIDGET (kl_survey_window_get_cell (f->window, 1, 0));
    g_assert_true (focus == below || gtk_widget_is_ancestor (focus, below));
  }
  type_into (ours, "5");
  type_into (rival, "3");
  /* 9 is no rating: refused, marked, not written */
  type_into (bad, "9");
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (bad), "error"));
  wait_for (f, idle, NULL, "the writes");

  s = stored (f);
  g_assert_cmpint (s->importance[0], ==, 6);
  g_assert_cmpint (s->performance[0], ==, 5);   /* ours is the first company */
  g_assert_cmpint (s->performance[1], ==, 3);
  g_assert_cmpint (s->importance[1], ==, 0);

  position = kl_survey_window_open_matrix (f->window, 0);
  g_assert_nonnull (position);
  table = must_find (GTK_WIDGET (position), "matrix-table");
  g_assert_cmpuint (kl_test_count_rows (table, FALSE), ==, 10);
  g_assert_nonnull (must_find (GTK_WIDGET (position), "matrix-chart"));
  kl_test_wait_for_frames (GTK_WIDGET (position), 2);
  if (kl_test_screenshots_begin (&screenshots))
    {
      kl_test_save_screenshot (&screenshots, GTK_WIDGET (f->window), "survey-grid");
      kl_test_save_screenshot (&screenshots, GTK_WIDGET (position), "survey-position");
    }

  evaluation = kl_survey_window_open_matrix (f->window, 1);
  g_assert_nonnull (evaluation);
  table = must_find (GTK_WIDGET (evaluation), "matrix-table");
  g_assert_cmpuint (kl_test_count_rows (table, FALSE), ==, 10);
  kl_test_wait_for_frames (GTK_WIDGET (evaluation), 2);

  /* the buttons open them too */
  gtk_widget_activate (must_find (GTK_WIDGET (f->window), "position-button"));
  gtk_widget_activate (must_find (GTK_WIDGET (f->window), "evaluation-button"));
}

/* The Portfolio panel over tests/data/analysis: classes by revenue A 1,
 * B 1, C 1, D 2 in the twelve months to October 2026; a contact's birthday
 * tomorrow is a reminder that opens its customer. */
typedef struct {
  KlAnalysisPanel *panel;
  char            *opened;
} PanelFixture;

static gboolean
panel_loaded (PanelFixture *p, gconstpointer data)
{
  return kl_analysis_panel_is_loaded (p->panel);
}

static void
on_open (KlAnalysisPanel *panel, const char *id, PanelFixture *p)
{
  g_free (p->opened);
  p->opened = g_strdup (id);
}

static void
import_file (KlDatabase *db, KlImportKind kind, const char *name)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "analysis", name, NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(KlImportResult) result = kl_import_run_file (db, kind, file, NULL, KL_IMPORT_FLAGS_NONE, NULL, NULL,
                                                         NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (result->n_bad, ==, 0);
}

static void
test_panel (void)
{
  g_autofree char *dir = kl_test_make_tmp_dir ("keyline-analysis-panel-XXXXXX");
  g_autofree char *path = g_build_filename (dir, "workspace.db", NULL);
  g_autoptr(KlDatabase) db = kl_test_create_workspace (path);
  g_autoptr(KlCustomer) c = NULL;
  g_autoptr(KlContact) contact = kl_contact_new ();
  g_autoptr(GDateTime) tomorrow = NULL;
  g_autoptr(GError) error = NULL;
  KlWorker *worker;
  GtkWindow *window;
  PanelFixture p = { 0 };
  GtkListBoxRow *row;

  import_file (db, KL_IMPORT_CUSTOMERS, "customers.csv");
  import_file (db, KL_IMPORT_SHIPMENTS, "shipments.csv");
  c = kl_customer_store_get_by_code (db, "B2", &error);
  g_assert_no_error (error);
  {
    g_autoptr(GDateTime) now = g_date_time_new_now (kl_database_get_timezone (db));
    tomorrow = g_date_time_add_days (now, 1);
  }
  contact->customer_id = g_strdup (c->id);
  contact->name = g_strdup ("Zhang");
  contact->birthday = g_date_time_format (tomorrow, "1980-%m-%d");
  g_assert_true (kl_contact_store_save (db, contact, &error));
  worker = kl_worker_new (g_steal_pointer (&db));

  window = GTK_WINDOW (gtk_window_new ());
  p.panel = KL_ANALYSIS_PANEL (kl_analysis_panel_new ());
  g_signal_connect (p.panel, "open-customer", G_CALLBACK (on_open), &p);
  gtk_window_set_child (window, GTK_WIDGET (p.panel));
  gtk_window_present (window);
  kl_analysis_panel_load (p.panel, worker, 202610);
  kl_test_wait_for (&p, KL_TEST_CONDITION (panel_loaded), NULL, "the panel", WAIT_SECONDS);

  g_assert_nonnull (strstr (kl_analysis_panel_get_summary (p.panel), "A 1, B 1, C 1, D 2"));
  /* A×I (priority 1) holds A1; D×III holds D4 */
  g_assert_nonnull (strstr (kl_analysis_panel_get_summary (p.panel), "A×I priority 1: 1 accounts"));
  g_assert_nonnull (strstr (kl_analysis_panel_get_summary (p.panel), "D×III priority 16: 1 accounts"));
  /* the birthday's row (A1, an A account without activity, is listed too) */
  for (int i = 0; (row = gtk_list_box_get_row_at_index (kl_analysis_panel_get_reminders (p.panel), i)) != NULL; i++)
    if (strstr (gtk_label_get_text (GTK_LABEL (gtk_list_box_row_get_child (row))), "Zhang") != NULL)
      break;
  g_assert_nonnull (row);
  g_signal_emit_by_name (kl_analysis_panel_get_reminders (p.panel), "row-activated", row);
  g_assert_cmpstr (p.opened, ==, c->id);
  kl_test_wait_for_frames (GTK_WIDGET (p.panel), 2);
  if (kl_test_screenshots_begin (&screenshots))
    kl_test_save_screenshot (&screenshots, GTK_WIDGET (window), "analysis-panel");

  gtk_window_destroy (window);
  kl_test_close_workspace (&worker, &dir);
  g_free (p.opened);
}

static gboolean
prefs_idle (KlAnalysisPreferences *page, gconstpointer data)
{
  return kl_analysis_preferences_is_idle (page);
}

static gpointer
matrix_job (KlDatabase *db, gpointer data, KlWorkerJob *job, GError **error)
{
  KlPriorityMatrix *m = g_new0 (KlPriorityMatrix, 1);
  kl_analysis_settings_read (db, NULL, m, NULL);
  return m;
}

/* The matrix edited in Preferences reaches the workspace. */
static void
test_preferences (Fixture *f, gconstpointer data)
{
  GtkWidget *window = gtk_window_new ();
  KlAnalysisPreferences *page = KL_ANALYSIS_PREFERENCES (kl_analysis_preferences_new (f->worker));
  g_autofree KlPriorityMatrix *m = NULL;

  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (page));
  gtk_window_present (GTK_WINDOW (window));
  kl_test_wait_for (page, KL_TEST_CONDITION (prefs_idle), NULL, "the settings", WAIT_SECONDS);
  g_assert_cmpint (gtk_spin_button_get_value_as_int (kl_analysis_preferences_get_cell (page, 2, 0)), ==, 6);
  gtk_spin_button_set_value (kl_analysis_preferences_get_cell (page, 0, 0), 2);
  kl_analysis_preferences_save (page);
  kl_test_wait_for (page, KL_TEST_CONDITION (prefs_idle), NULL, "the save", WAIT_SECONDS);
  m = kl_test_worker_read (f->worker, matrix_job, NULL, NULL, g_free, WAIT_SECONDS);
  g_assert_cmpint (m->priority[0][0], ==, 2);
  g_assert_cmpint (m->priority[3][4], ==, 20);
  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
customer_idle (KlCustomerAnalysis *w, gconstpointer data)
{
  return kl_customer_analysis_is_idle (w) && kl_customer_analysis_get_class_text (w) != NULL;
}

static gboolean
customer_manual (KlCustomerAnalysis *w, gconstpointer data)
{
  return kl_customer_analysis_is_idle (w) && kl_customer_analysis_get_class_text (w) != NULL &&
         strstr (kl_customer_analysis_get_class_text (w), data) != NULL;
}

/* A customer's page: its class (set by hand here) and its lines. */
static void
test_customer (Fixture *f, gconstpointer data)
{
  GtkWidget *window = gtk_window_new ();
  KlCustomerAnalysis *w = KL_CUSTOMER_ANALYSIS (kl_customer_analysis_new ());
  g_autofree char *customer_id = NULL;
  g_autoptr(GError) error = NULL;

  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (w));
  gtk_window_present (GTK_WINDOW (window));
  /* S1 has no shipments: no class, until one is set by hand */
  {
    KlDatabase *db = kl_database_open (kl_worker_get_path (f->worker), 0, &error);
    g_autoptr(KlCustomer) c = kl_customer_store_get_by_code (db, "S1", &error);
    g_assert_no_error (error);
    customer_id = g_strdup (c->id);
    g_object_unref (db);
  }
  kl_customer_analysis_load (w, f->worker, customer_id);
  kl_test_wait_for (w, KL_TEST_CONDITION (customer_idle), NULL, "the customer's class", WAIT_SECONDS);
  g_assert_nonnull (strstr (kl_customer_analysis_get_class_text (w), "No class"));
  g_assert_cmpuint (kl_test_count_rows (GTK_WIDGET (kl_customer_analysis_get_lines (w)), FALSE), ==, 1);
  gtk_drop_down_set_selected (kl_customer_analysis_get_override (w), 2);   /* B */
  kl_test_wait_for (w, KL_TEST_CONDITION (customer_manual), "set by hand", "the class set by hand", WAIT_SECONDS);
  g_assert_nonnull (strstr (kl_customer_analysis_get_class_text (w), "Class B"));
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int argc, char *argv[])
{
  g_setenv ("TZ", "UTC", TRUE);
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  g_test_add ("/survey-window/grid-and-matrices", Fixture, NULL, fixture_setup, test_grid_and_matrices,
              fixture_teardown);
  g_test_add_func ("/analysis-panel/classes-matrix-reminders", test_panel);
  g_test_add ("/customer-analysis/class", Fixture, NULL, fixture_setup, test_customer, fixture_teardown);
  g_test_add ("/analysis-preferences/matrix", Fixture, NULL, fixture_setup, test_preferences, fixture_teardown);
  return g_test_run ();
}
