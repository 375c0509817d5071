/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The survey window through the worker: typing into the response grid
 * (Enter moves down), what is typed reaching the workspace, a bad rating
 * refused, and both matrices opening with a data table of every attribute. */
#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "kl-analysis-data.h"
#include "kl-analysis-panel.h"
#include "kl-agreement-editor.h"
#include "kl-analysis-preferences.h"
#include "kl-contact-store.h"
#include "kl-customer-analysis.h"
#include "kl-customer-store.h"
#include "kl-import.h"
#include "kl-survey-new-dialog.h"
#include "kl-survey-report.h"
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

static gboolean
editable_is (GtkWidget *editable, gconstpointer text)
{
  return g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (editable)), text) == 0;
}

static gboolean
new_dialog_idle (KlSurveyNewDialog *dialog, gconstpointer data)
{
  return !kl_survey_new_dialog_is_busy (dialog);
}

static void
set_row (GtkWidget *dialog, const char *name, const char *text)
{
  gtk_editable_set_text (GTK_EDITABLE (must_find (dialog, name)), text);
}

static const char *
respondents_text (GtkWidget *dialog)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (must_find (dialog, "survey-respondents")));
  GtkTextIter start, end;

  g_autofree char *text = NULL;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  return g_intern_string (text);
}

/* Creates the survey in the dialog through its action; returns the message
 * left (NULL when the dialog closed, the survey written). */
static const char *
create_in_dialog (Fixture *f, KlSurveyNewDialog *dialog)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "survey-new.create", NULL));
  kl_test_wait_for (dialog, KL_TEST_CONDITION (new_dialog_idle), NULL, "the new survey's write", WAIT_SECONDS);
  if (kl_test_find_toplevel (KL_TYPE_SURVEY_NEW_DIALOG) == NULL)
    return NULL;
  return kl_survey_new_dialog_get_message (dialog);
}

static gboolean
shows_survey (Fixture *f, gconstpointer name)
{
  GtkWidget *dropdown = must_find (GTK_WIDGET (f->window), "survey-dropdown");
  GtkStringObject *item = gtk_drop_down_get_selected_item (GTK_DROP_DOWN (dropdown));

  return grid_ready (f, NULL) && item != NULL && g_strcmp0 (gtk_string_object_get_string (item), name) == 0;
}

static gpointer
load_by_name_job (KlDatabase *db, gpointer data, KlWorkerJob *job, GError **error)
{
  return kl_survey_store_load (db, data, error);
}

/* New Survey: what is missing or refused is said and nothing typed is
 * lost; the survey made has the attributes ticked (price left out, one
 * more by code), ours and the main competitor, and both respondents; the
 * window then shows it, and a rating typed in its grid is written. */
static void
test_new_survey (Fixture *f, gconstpointer data)
{
  g_autoptr(KlSurveyNewDialog) dialog = NULL;
  const char *message;
  g_autoptr(KlSurvey) s = NULL;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "survey.new", NULL));
  /* held, to see it close */
  dialog = g_object_ref (KL_SURVEY_NEW_DIALOG (kl_test_find_toplevel (KL_TYPE_SURVEY_NEW_DIALOG)));
  /* the default set is ticked, in the interface language */
  g_assert_true (gtk_check_button_get_active (GTK_CHECK_BUTTON (must_find (GTK_WIDGET (dialog), "attribute-on_time_pickup"))));
  g_assert_true (gtk_check_button_get_active (GTK_CHECK_BUTTON (must_find (GTK_WIDGET (dialog), "attribute-price"))));

  /* no competitor yet */
  set_row (GTK_WIDGET (dialog), "survey-name", "Round 2");
  set_row (GTK_WIDGET (dialog), "survey-date", "2026-11-30");
  message = create_in_dialog (f, dialog);
  g_assert_nonnull (message);
  kl_test_wait_for_frames (GTK_WIDGET (dialog), 2);
  if (kl_test_screenshots_begin (&screenshots))
    kl_test_save_screenshot (&screenshots, GTK_WIDGET (dialog), "survey-new");
  /* the store's refusal, in the interface's language */
  g_assert_nonnull (strstr (message, g_dgettext (GETTEXT_PACKAGE,
                                                 "A survey needs at least one competitor to compare us with; "
                                                 "name the main competitor")));

  /* a bad date */
  set_row (GTK_WIDGET (dialog), "survey-competitor-0", "Rival");
  set_row (GTK_WIDGET (dialog), "survey-date", "2026-02-30");
  message = create_in_dialog (f, dialog);
  g_assert_nonnull (message);
  g_assert_nonnull (strstr (message, "2026-02-30"));
  /* before Round 1: shown all the same once made, though not the latest */
  set_row (GTK_WIDGET (dialog), "survey-date", "2026-05-31");

  /* a respondent line without a customer code */
  gtk_check_button_set_active (GTK_CHECK_BUTTON (must_find (GTK_WIDGET (dialog), "attribute-price")), FALSE);
  set_row (GTK_WIDGET (dialog), "survey-more-attributes", "cold_chain");
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (must_find (GTK_WIDGET (dialog), "survey-respondents"))),
                            "Mr Wang, S1\nMs Zhao\n", -1);
  message = create_in_dialog (f, dialog);
  g_assert_nonnull (message);
  {
    g_autofree char *want = g_strdup_printf (g_dgettext (GETTEXT_PACKAGE,
                                                         "Respondents, line %u: write the person’s name, a comma and "
                                                         "the customer’s code, for example “Ms Li, HX001”"), 2u);

    g_assert_cmpstr (message, ==, want);
  }

  /* refused by the workspace: an unknown customer, then a name taken */
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (must_find (GTK_WIDGET (dialog), "survey-respondents"))),
                            "Mr Wang, S1\nMs Zhao, NOPE\n", -1);
  message = create_in_dialog (f, dialog);
  g_assert_nonnull (message);
  g_assert_nonnull (strstr (message, "NOPE"));
  /* nothing typed was lost */
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (must_find (GTK_WIDGET (dialog), "survey-name"))), ==, "Round 2");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (must_find (GTK_WIDGET (dialog), "survey-competitor-0"))), ==, "Rival");
  g_assert_cmpstr (respondents_text (GTK_WIDGET (dialog)), ==, "Mr Wang, S1\nMs Zhao, NOPE\n");
  g_assert_false (gtk_check_button_get_active (GTK_CHECK_BUTTON (must_find (GTK_WIDGET (dialog), "attribute-price"))));

  gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (must_find (GTK_WIDGET (dialog), "survey-respondents"))),
                            "Mr Wang, S1\nMs Zhao，S1\n", -1);
  set_row (GTK_WIDGET (dialog), "survey-name", "Round 1");
  message = create_in_dialog (f, dialog);
  g_assert_nonnull (message);
  g_assert_nonnull (strstr (message, "Round 1"));

  set_row (GTK_WIDGET (dialog), "survey-name", " Round 2 ");
  g_assert_null (create_in_dialog (f, dialog));
  wait_for (f, shows_survey, "Round 2", "the new survey shown");

  s = kl_test_worker_read (f->worker, load_by_name_job, g_strdup ("Round 2"), g_free,
                           (GDestroyNotify) kl_survey_free, WAIT_SECONDS);
  g_assert_cmpstr (s->held_on, ==, "2026-05-31");
  g_assert_cmpuint (kl_survey_n_attributes (s), ==, 10);
  g_assert_cmpstr (((KlSurveyAttribute *) s->attributes->pdata[0])->code, ==, "on_time_pickup");
  g_assert_cmpstr (((KlSurveyAttribute *) s->attributes->pdata[8])->code, ==, "tracking_visibility");
  g_assert_cmpstr (((KlSurveyAttribute *) s->attributes->pdata[9])->code, ==, "cold_chain");
  g_assert_cmpuint (kl_survey_n_companies (s), ==, 2);
  g_assert_true (((KlSurveyCompany *) s->companies->pdata[0])->ours);
  g_assert_cmpstr (((KlSurveyCompany *) s->companies->pdata[1])->name, ==, "Rival");
  g_assert_cmpint (kl_survey_main_index (s), ==, 1);
  g_assert_cmpuint (kl_survey_n_respondents (s), ==, 2);
  g_assert_cmpstr (((KlSurveyRespondent *) s->respondents->pdata[1])->name, ==, "Ms Zhao");
  g_assert_cmpstr (((KlSurveyRespondent *) s->respondents->pdata[1])->customer_code, ==, "S1");
  g_assert_cmpuint (s->customer_codes->len, ==, 1);

  /* the grid is the new survey's: a rating typed there is written */
  type_into (kl_survey_window_get_cell (f->window, 9, 0), "4");
  wait_for (f, idle, NULL, "the write");
  g_clear_pointer (&s, kl_survey_free);
  s = kl_test_worker_read (f->worker, load_by_name_job, g_strdup ("Round 2"), g_free,
                           (GDestroyNotify) kl_survey_free, WAIT_SECONDS);
  g_assert_cmpint (s->importance[9], ==, 4);
}

typedef struct {
  KlSurveyWindow *window;
} FirstRun;

static gboolean
first_grid_ready (FirstRun *r, gconstpointer data)
{
  return !kl_survey_window_is_busy (r->window) && kl_survey_window_get_cell (r->window, 0, 0) != NULL &&
         gtk_widget_get_sensitive (GTK_WIDGET (kl_survey_window_get_cell (r->window, 0, 0)));
}

static gboolean
first_idle (FirstRun *r, gconstpointer data)
{
  return !kl_survey_window_is_busy (r->window);
}

/* A workspace with no survey: Compare Rounds waits for one, and the first
 * survey made in New Survey (the default attributes, as ticked) is shown
 * with its respondent ready for ratings. */
static void
test_first_survey (void)
{
  g_autofree char *dir = kl_test_make_tmp_dir ("keyline-first-survey-XXXXXX");
  g_autofree char *path = g_build_filename (dir, "workspace.db", NULL);
  g_autoptr(KlDatabase) db = kl_test_create_workspace (path);
  g_autoptr(KlSurveyNewDialog) dialog = NULL;
  KlWorker *worker;
  FirstRun r = { 0 };

  g_free (kl_test_add_customer (db, "HX001", "华新电子"));
  worker = kl_worker_new (g_steal_pointer (&db));
  r.window = KL_SURVEY_WINDOW (kl_survey_window_new (worker));
  gtk_window_present (GTK_WINDOW (r.window));
  kl_test_wait_for (&r, KL_TEST_CONDITION (first_idle), NULL, "the empty list", WAIT_SECONDS);
  g_assert_null (kl_survey_window_get_cell (r.window, 0, 0));
  g_assert_false (gtk_widget_get_sensitive (must_find (GTK_WIDGET (r.window), "compare-button")));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (r.window), "survey.new", NULL));
  dialog = g_object_ref (KL_SURVEY_NEW_DIALOG (kl_test_find_toplevel (KL_TYPE_SURVEY_NEW_DIALOG)));
  gtk_editable_set_text (GTK_EDITABLE (must_find (GTK_WIDGET (dialog), "survey-name")), "2026 客户调查");
  gtk_editable_set_text (GTK_EDITABLE (must_find (GTK_WIDGET (dialog), "survey-competitor-0")), "顺达物流");
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (must_find (GTK_WIDGET (dialog), "survey-respondents"))),
                            "王经理, HX001", -1);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "survey-new.create", NULL));
  kl_test_wait_for (&r, KL_TEST_CONDITION (first_grid_ready), NULL, "the first survey's grid", WAIT_SECONDS);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (dialog)));
  g_assert_nonnull (kl_survey_window_get_cell (r.window, 9, 2));    /* ten attributes, ours and one competitor */
  g_assert_null (kl_survey_window_get_cell (r.window, 10, 0));
  g_assert_true (gtk_widget_get_sensitive (must_find (GTK_WIDGET (r.window), "compare-button")));

  kl_test_destroy_toplevels ();
  kl_test_close_workspace (&worker, &dir);
}

/* A visible toplevel named name, or NULL. */
static GtkWindow *
window_named (const char *name)
{
  g_autoptr(GList) windows = gtk_window_list_toplevels ();

  for (GList *l = windows; l; l = l->next)
    if (gtk_widget_get_visible (l->data) && g_strcmp0 (gtk_widget_get_name (l->data), name) == 0)
      return l->data;
  return NULL;
}

static gboolean
rounds_shown (Fixture *f, gconstpointer data)
{
  return idle (f, NULL) && window_named ("survey-rounds") != NULL;
}

static const char *
row_text (GtkWidget *list, int index)
{
  GtkListBoxRow *row = gtk_list_box_get_row_at_index (GTK_LIST_BOX (list), index);
  g_assert_nonnull (row);
  return gtk_label_get_text (GTK_LABEL (gtk_list_box_row_get_child (row)));
}

/* Whether the window speaks English: some checks read its sentences. */
static gboolean
interface_is_english (void)
{
  return g_str_equal (g_dgettext (GETTEXT_PACKAGE, "Compare Survey Rounds"), "Compare Survey Rounds");
}

/* Each of the NULL-terminated parts stands in text, each after the one
 * before. */
static void
assert_in_order (const char *text, ...)
{
  const char *at = text;
  const char *part;
  va_list ap;

  va_start (ap, text);
  while ((part = va_arg (ap, const char *)) != NULL)
    {
      const char *found = strstr (at, part);

      if (found == NULL)
        g_error ("“%s” not found in order in “%s”", part, text);
      at = found + strlen (part);
    }
  va_end (ap);
}

/* One attribute across rounds: Round 1 (June) and Round 2 (November), with
 * on-time delivery rated 6 / ours 5 / Rival 3, then 7 / 6 / 6 by the same
 * respondent: relative +2.00, then +0.00. */
static void
test_compare_rounds (Fixture *f, gconstpointer data)
{
  GtkWindow *rounds;
  GtkWidget *table;
  g_autoptr(GError) error = NULL;
  const char *competitors[] = { "Rival", NULL };

  {
    g_autoptr(KlDatabase) db = kl_database_open (kl_worker_get_path (f->worker), 0, &error);
    g_autoptr(KlCustomer) c = kl_customer_store_get_by_code (db, "S1", &error);
    g_autoptr(KlSurvey) one = kl_survey_store_load (db, "Round 1", &error);
    g_autofree char *two_id = kl_survey_store_create (db, "Round 2", "2026-11-01", competitors, NULL, TRUE, &error);
    g_autoptr(KlSurvey) two = NULL;
    gint64 r;

    g_assert_no_error (error);
    two = kl_survey_store_load (db, two_id, &error);
    r = kl_survey_store_ensure_respondent (db, two_id, "Ms Li", c->id, &error);
    g_assert_no_error (error);
    /* attribute 1 is on_time_delivery; companies: ours, Rival */
    g_assert_true (kl_survey_store_set_importance (db, ((KlSurveyRespondent *) one->respondents->pdata[0])->id,
                                                   ((KlSurveyAttribute *) one->attributes->pdata[1])->id, 6, &error));
    g_assert_true (kl_survey_store_set_performance (db, ((KlSurveyRespondent *) one->respondents->pdata[0])->id,
                                                    ((KlSurveyAttribute *) one->attributes->pdata[1])->id,
                                                    ((KlSurveyCompany *) one->companies->pdata[0])->id, 5, &error));
    g_assert_true (kl_survey_store_set_performance (db, ((KlSurveyRespondent *) one->respondents->pdata[0])->id,
                                                    ((KlSurveyAttribute *) one->attributes->pdata[1])->id,
                                                    ((KlSurveyCompany *) one->companies->pdata[1])->id, 3, &error));
    g_assert_true (kl_survey_store_set_importance (db, r, ((KlSurveyAttribute *) two->attributes->pdata[1])->id, 7, &error));
    g_assert_true (kl_survey_store_set_performance (db, r, ((KlSurveyAttribute *) two->attributes->pdata[1])->id,
                                                    ((KlSurveyCompany *) two->companies->pdata[0])->id, 6, &error));
    g_assert_true (kl_survey_store_set_performance (db, r, ((KlSurveyAttribute *) two->attributes->pdata[1])->id,
                                                    ((KlSurveyCompany *) two->companies->pdata[1])->id, 6, &error));
    g_assert_no_error (error);
  }

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "survey.compare-rounds", NULL));
  wait_for (f, rounds_shown, NULL, "the rounds");
  rounds = window_named ("survey-rounds");
  table = must_find (GTK_WIDGET (rounds), "rounds-table");
  /* on-time pickup first: asked in both rounds, rated in neither */
  g_assert_cmpuint (kl_test_count_rows (table, FALSE), ==, 2);

  gtk_drop_down_set_selected (GTK_DROP_DOWN (must_find (GTK_WIDGET (rounds), "rounds-attribute")), 1);
  wait_for (f, idle, NULL, "on-time delivery's rounds");
  g_assert_cmpuint (kl_test_count_rows (table, FALSE), ==, 2);
  /* the chart has the rounds' means too */
  g_assert_nonnull (g_object_get_data (G_OBJECT (must_find (GTK_WIDGET (rounds), "rounds-chart")), "rounds"));
  kl_test_wait_for_frames (GTK_WIDGET (rounds), 2);
  if (kl_test_screenshots_begin (&screenshots))
    kl_test_save_screenshot (&screenshots, GTK_WIDGET (rounds), "survey-rounds");
  /* survey, date, respondents, importance, ours, main competitor, relative:
   * in this order in English and in Chinese */
  assert_in_order (row_text (table, 0), "Round 1", "2026-06-01", "1", "6.00", "5.00", "3.00", "+2.00", NULL);
  assert_in_order (row_text (table, 1), "Round 2", "2026-11-01", "1", "6.00", "6.00", "+0.00", NULL);
  if (interface_is_english ())
    {
      g_assert_nonnull (strstr (row_text (table, 0), "importance 6.00"));
      g_assert_nonnull (strstr (row_text (table, 0), "relative +2.00"));
      g_assert_nonnull (strstr (row_text (table, 1), "ours 6.00"));
    }
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
  GListModel *reminders;
  guint row;

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
  kl_test_wait_for_frames (GTK_WIDGET (p.panel), 2);
  if (kl_test_screenshots_begin (&screenshots))
    kl_test_save_screenshot (&screenshots, GTK_WIDGET (window), "analysis-panel");

  /* A×I (priority 1) holds A1; D×III holds D4: in the interface's language */
  {
    g_autofree char *a_i = g_strdup_printf (g_dgettext (GETTEXT_PACKAGE, "%s×%s priority %d: %u accounts. "), "A", "I", 1, 1u);
    g_autofree char *d_iii = g_strdup_printf (g_dgettext (GETTEXT_PACKAGE, "%s×%s priority %d: %u accounts. "), "D", "III", 16, 1u);

    g_assert_nonnull (strstr (kl_analysis_panel_get_summary (p.panel), a_i));
    g_assert_nonnull (strstr (kl_analysis_panel_get_summary (p.panel), d_iii));
  }
  if (interface_is_english ())
    {
      g_assert_nonnull (strstr (kl_analysis_panel_get_summary (p.panel), "A 1, B 1, C 1, D 2"));
      /* told apart from the table's ABC (docs/kpi.md: by shipments, 80/95 %) */
      g_assert_nonnull (strstr (kl_analysis_panel_get_summary (p.panel), "cut at 70, 90 and 98 % of the contribution"));
      g_assert_nonnull (strstr (kl_analysis_panel_get_summary (p.panel), "Volume ABC ranks by shipments"));
    }
  /* the birthday's row (A1, an A account without activity, is listed too) */
  reminders = G_LIST_MODEL (gtk_list_view_get_model (kl_analysis_panel_get_reminders (p.panel)));
  for (row = 0; row < g_list_model_get_n_items (reminders); row++)
    {
      g_autoptr(GtkStringObject) text = g_list_model_get_item (reminders, row);

      if (strstr (gtk_string_object_get_string (text), "Zhang") != NULL)
        break;
    }
  g_assert_cmpuint (row, <, g_list_model_get_n_items (reminders));
  g_signal_emit_by_name (kl_analysis_panel_get_reminders (p.panel), "activate", row);
  g_assert_cmpstr (p.opened, ==, c->id);

  gtk_window_destroy (window);
  kl_test_close_workspace (&worker, &dir);
  g_free (p.opened);
}

static gboolean
panel_idle (PanelFixture *p, gconstpointer data)
{
  return !kl_analysis_panel_is_busy (p->panel);
}

/* The panel's lost-customer analysis (C3, class C before, lost in November
 * 2026 for price) and the portfolio's printed service standards review. */
static void
test_panel_lost_and_review (void)
{
  g_autofree char *dir = kl_test_make_tmp_dir ("keyline-analysis-lost-XXXXXX");
  g_autofree char *path = g_build_filename (dir, "workspace.db", NULL);
  g_autofree char *pdf = g_build_filename (dir, "review.pdf", NULL);
  g_autoptr(KlDatabase) db = kl_test_create_workspace (path);
  g_autoptr(KlCustomer) c = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = g_file_new_for_path (pdf);
  g_autofree char *bytes = NULL;
  gsize length = 0;
  KlWorker *worker;
  GtkWindow *window, *lost;
  GtkWidget *entry;
  PanelFixture p = { 0 };

  import_file (db, KL_IMPORT_CUSTOMERS, "customers.csv");
  import_file (db, KL_IMPORT_SHIPMENTS, "shipments.csv");
  c = kl_customer_store_get_by_code (db, "C3", &error);
  g_assert_no_error (error);
  c->status = KL_CUSTOMER_STATUS_LOST;
  c->lost_reason = g_strdup ("price");
  c->lost_date = g_strdup ("2026-11-15");
  g_assert_true (kl_customer_store_save (db, c, KL_ORIGIN_LOCAL, NULL, &error));
  g_assert_no_error (error);
  worker = kl_worker_new (g_steal_pointer (&db));

  window = GTK_WINDOW (gtk_window_new ());
  p.panel = KL_ANALYSIS_PANEL (kl_analysis_panel_new ());
  gtk_window_set_child (window, GTK_WIDGET (p.panel));
  gtk_window_present (window);
  kl_analysis_panel_load (p.panel, worker, 202610);
  kl_test_wait_for (&p, KL_TEST_CONDITION (panel_loaded), NULL, "the panel", WAIT_SECONDS);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (p.panel), "effort.lost-customers", NULL));
  lost = NULL;
  {
    g_autoptr(GList) windows = gtk_window_list_toplevels ();
    for (GList *l = windows; l; l = l->next)
      if (g_strcmp0 (gtk_widget_get_name (l->data), "lost-customers") == 0)
        lost = l->data;
  }
  g_assert_nonnull (lost);
  entry = must_find (GTK_WIDGET (lost), "lost-period");
  /* a period that is none is said, and nothing is read */
  gtk_editable_set_text (GTK_EDITABLE (entry), "2026-13");
  g_signal_emit_by_name (entry, "activate");
  g_assert_true (gtk_widget_has_css_class (entry, "error"));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (must_find (GTK_WIDGET (lost), "lost-status"))), !=, "");
  gtk_editable_set_text (GTK_EDITABLE (entry), "2026-11");
  g_signal_emit_by_name (entry, "activate");
  kl_test_wait_for (&p, KL_TEST_CONDITION (panel_idle), NULL, "the lost customers", WAIT_SECONDS);
  kl_test_wait_for_frames (GTK_WIDGET (lost), 2);
  if (kl_test_screenshots_begin (&screenshots))
    kl_test_save_screenshot (&screenshots, GTK_WIDGET (lost), "lost-customers");
  g_assert_false (gtk_widget_has_css_class (entry, "error"));
  g_assert_cmpuint (kl_test_count_rows (must_find (GTK_WIDGET (lost), "lost-table"), FALSE), ==, 1);
  g_assert_nonnull (strstr (row_text (must_find (GTK_WIDGET (lost), "lost-table"), 0), "2026-11-15  C3"));
  assert_in_order (row_text (must_find (GTK_WIDGET (lost), "lost-table"), 0), "C", "80.00", NULL);
  assert_in_order (row_text (must_find (GTK_WIDGET (lost), "lost-by-reason"), 0), "1", "80.00", NULL);
  if (interface_is_english ())
    {
      g_assert_nonnull (strstr (row_text (must_find (GTK_WIDGET (lost), "lost-table"), 0), "class before C, 80.00"));
      g_assert_cmpstr (row_text (must_find (GTK_WIDGET (lost), "lost-by-reason"), 0), ==, "price: 1 customer, 80.00");
    }
  g_assert_cmpuint (kl_test_count_rows (must_find (GTK_WIDGET (lost), "lost-by-manager"), FALSE), ==, 1);
  /* counted in shipments: C3's one shipment of October */
  gtk_drop_down_set_selected (GTK_DROP_DOWN (must_find (GTK_WIDGET (lost), "lost-basis")), 2);
  kl_test_wait_for (&p, KL_TEST_CONDITION (panel_idle), NULL, "the lost customers by shipments", WAIT_SECONDS);
  g_assert_null (strstr (row_text (must_find (GTK_WIDGET (lost), "lost-by-reason"), 0), "80.00"));
  if (interface_is_english ())
    g_assert_cmpstr (row_text (must_find (GTK_WIDGET (lost), "lost-by-reason"), 0), ==, "price: 1 customer, 1 shipment");

  /* closed before its answer comes: the answer is dropped */
  gtk_window_destroy (kl_analysis_panel_open_lost (p.panel, "2026"));
  kl_test_wait_for (&p, KL_TEST_CONDITION (panel_idle), NULL, "the closed window's read", WAIT_SECONDS);

  kl_analysis_panel_save_review (p.panel, file);
  kl_test_wait_for (&p, KL_TEST_CONDITION (panel_idle), NULL, "the review", WAIT_SECONDS);
  g_assert_true (g_file_get_contents (pdf, &bytes, &length, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (length, >, 1000);
  g_assert_true (g_str_has_prefix (bytes, "%PDF-"));
  if (g_getenv ("KEYLINE_SCREENSHOT_DIR") != NULL)
    {
      g_autofree char *copy = g_build_filename (g_getenv ("KEYLINE_SCREENSHOT_DIR"), "portfolio-review.pdf", NULL);
      g_assert_true (g_file_set_contents (copy, bytes, length, NULL));
    }

  kl_test_destroy_toplevels ();
  kl_test_close_workspace (&worker, &dir);
}

/* Propose Targets from the Standard, in the agreement editor: over the
 * twelve months to last month (revenue A1 700, B2 200, C3 80, D4 15; road
 * FTL 780 is line I, air 200 II, sea 15 III) C3 is C on line I, priority
 * 6: 98.0 %; D4 is D on line III, priority 16: 90.0 %. Only the arrival
 * on-time target is filled. */
static void
propose_for (KlWorker *worker, const char *code, const char *expected, const char *priority)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *customer_id = NULL;
  GtkWidget *editor, *arrival, *dispatch;

  {
    g_autoptr(KlDatabase) db = kl_database_open (kl_worker_get_path (worker), 0, &error);
    g_autoptr(KlCustomer) c = kl_customer_store_get_by_code (db, code, &error);
    g_assert_no_error (error);
    customer_id = g_strdup (c->id);
  }
  editor = kl_agreement_editor_new (worker, customer_id, NULL);
  gtk_window_present (GTK_WINDOW (editor));
  arrival = must_find (editor, kl_rate_to_key (KL_RATE_ARRIVAL_ON_TIME));
  dispatch = must_find (editor, kl_rate_to_key (KL_RATE_DISPATCH_ON_TIME));
  gtk_editable_set_text (GTK_EDITABLE (arrival), "50.0");
  gtk_editable_set_text (GTK_EDITABLE (dispatch), "93.5");
  g_assert_true (gtk_widget_activate (must_find (editor, "propose-button")));
  kl_test_wait_for (arrival, KL_TEST_CONDITION (editable_is), expected, "the proposed target", WAIT_SECONDS);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (dispatch)), ==, "93.5");
  kl_test_wait_for_frames (editor, 2);
  if (kl_test_screenshots_begin (&screenshots))
    {
      g_autofree char *name = g_strdup_printf ("propose-%s", code);
      kl_test_save_screenshot (&screenshots, editor, name);
    }
  {
    AdwPreferencesGroup *group = ADW_PREFERENCES_GROUP (gtk_widget_get_ancestor (arrival, ADW_TYPE_PREFERENCES_GROUP));
    /* "priority 6": its number in any language, the word in English */
    g_assert_nonnull (strstr (adw_preferences_group_get_description (group),
                              interface_is_english () ? priority : strrchr (priority, ' ') + 1));
  }
  gtk_window_destroy (GTK_WINDOW (editor));
}

static void
test_propose_targets (void)
{
  g_autofree char *dir = kl_test_make_tmp_dir ("keyline-propose-XXXXXX");
  g_autofree char *path = g_build_filename (dir, "workspace.db", NULL);
  g_autofree char *csv = g_build_filename (dir, "shipments.csv", NULL);
  g_autoptr(KlDatabase) db = kl_test_create_workspace (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now (kl_database_get_timezone (db));
  g_autoptr(GDateTime) last = g_date_time_add_months (now, -1);
  g_autofree char *day = g_date_time_format (last, "%Y-%m-05");
  g_autofree char *text = NULL;
  g_autoptr(GFile) file = g_file_new_for_path (csv);
  g_autoptr(KlImportResult) result = NULL;
  KlWorker *worker;

  /* the twelve months to last month, whatever today is */
  text = g_strdup_printf ("waybill,customer_code,status,mode,pieces,planned_pickup_at,picked_up_at,planned_delivery_at,delivered_at,revenue,currency\n"
                          "P-A1,A1,delivered,road_ftl,1,%1$sT08:00:00Z,%1$sT08:00:00Z,%1$sT20:00:00Z,%1$sT18:00:00Z,700.00,\n"
                          "P-B2,B2,delivered,air,1,%1$sT08:00:00Z,%1$sT08:00:00Z,%1$sT20:00:00Z,%1$sT18:00:00Z,200.00,\n"
                          "P-C3,C3,delivered,road_ftl,1,%1$sT08:00:00Z,%1$sT08:00:00Z,%1$sT20:00:00Z,%1$sT18:00:00Z,80.00,\n"
                          "P-D4,D4,delivered,sea,1,%1$sT08:00:00Z,%1$sT08:00:00Z,%1$sT20:00:00Z,%1$sT18:00:00Z,15.00,\n",
                          day);
  g_assert_true (g_file_set_contents (csv, text, -1, &error));
  import_file (db, KL_IMPORT_CUSTOMERS, "customers.csv");
  result = kl_import_run_file (db, KL_IMPORT_SHIPMENTS, file, NULL, KL_IMPORT_FLAGS_NONE, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (result->n_bad, ==, 0);
  g_assert_cmpuint (result->n_new, ==, 4);
  worker = kl_worker_new (g_steal_pointer (&db));

  propose_for (worker, "C3", "98.0", "priority 6");
  propose_for (worker, "D4", "90.0", "priority 16");

  kl_test_destroy_toplevels ();
  kl_test_close_workspace (&worker, &dir);
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
  g_assert_cmpstr (kl_customer_analysis_get_class_text (w), ==,
                   g_dgettext (GETTEXT_PACKAGE, "No contribution class: no contribution in the last twelve months"));
  g_assert_cmpuint (kl_test_count_rows (GTK_WIDGET (kl_customer_analysis_get_lines (w)), FALSE), ==, 1);
  gtk_drop_down_set_selected (kl_customer_analysis_get_override (w), 2);   /* B */
  {
    /* "Contribution class B (set by hand; computed: …", as the interface words it */
    const char *format = g_dgettext (GETTEXT_PACKAGE,
                                     "Contribution class %s (set by hand; computed: %s), %s of the contribution");
    const char *first = strstr (format, "%s");
    const char *second = first != NULL ? strstr (first + 2, "%s") : NULL;
    g_autofree char *want = NULL;

    g_assert_nonnull (second);
    want = g_strdup_printf ("%.*sB%.*s", (int) (first - format), format, (int) (second - first - 2), first + 2);
    kl_test_wait_for (w, KL_TEST_CONDITION (customer_manual), want, "the class set by hand", WAIT_SECONDS);
  }
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int argc, char *argv[])
{
  g_setenv ("TZ", "UTC", TRUE);
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  /* The build tree's catalogues: with LC_ALL=zh_CN.UTF-8 the screenshots
   * are in Chinese (the tests themselves run in C.UTF-8). */
  kl_test_bind_text_domain ("KEYLINE_LOCALEDIR", TRUE);
  g_test_add ("/survey-window/grid-and-matrices", Fixture, NULL, fixture_setup, test_grid_and_matrices,
              fixture_teardown);
  g_test_add ("/survey-window/new-survey", Fixture, NULL, fixture_setup, test_new_survey, fixture_teardown);
  g_test_add_func ("/survey-window/first-survey", test_first_survey);
  g_test_add ("/survey-window/compare-rounds", Fixture, NULL, fixture_setup, test_compare_rounds, fixture_teardown);
  g_test_add_func ("/analysis-panel/classes-matrix-reminders", test_panel);
  g_test_add_func ("/analysis-panel/lost-and-review", test_panel_lost_and_review);
  g_test_add_func ("/agreement-editor/propose-targets", test_propose_targets);
  g_test_add ("/customer-analysis/class", Fixture, NULL, fixture_setup, test_customer, fixture_teardown);
  g_test_add ("/analysis-preferences/matrix", Fixture, NULL, fixture_setup, test_preferences, fixture_teardown);
  return g_test_run ();
}
