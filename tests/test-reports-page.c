/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The Reports page on a demo workspace: the preview, exports, comments and
 * goals, printing through GtkPrintOperation, and All My Accounts with its
 * stop. Set KEYLINE_SCREENSHOT_DIR to keep PNGs of the page. */
#include "config.h"

#include <locale.h>
#include <utime.h>
#include <string.h>
#include <adwaita.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "kl-reports-page.h"
#include "kl-report-print.h"
#include "kl-report-batch-dialog.h"
#include "kl-report-job.h"
#include "kl-report-language.h"
#include "kl-report-note-store.h"
#include "kl-customer-store.h"
#include "kl-contact-store.h"
#include "kl-email.h"
#include "kl-test-gui-util.h"

#define WAIT_SECONDS 60

typedef struct {
  char          *dir;
  KlWorker      *worker;
  GtkWindow     *window;
  KlReportsPage *page;
  KlCustomer    *customer;      /* an active customer */
  KlCustomer    *other;         /* another one */
  GPtrArray     *reported;      /* KlCustomer, active and at risk */
} Fixture;

/* Waiting: conditions take the fixture. */

#define wait_for(f, condition, data, what) \
  kl_test_wait_for ((f), KL_TEST_CONDITION (condition), (data), (what), WAIT_SECONDS)

typedef struct {
  const char     *customer_id;   /* NULL: the portfolio */
  const KlPeriod *period;
  const char     *language;      /* NULL: any */
} Shown;

static gboolean
report_shown (Fixture *f, gconstpointer data)
{
  const Shown *shown = data;
  const KlReportModel *model = kl_reports_page_get_model (f->page);
  KlReportDocument *document = kl_reports_page_get_document (f->page);

  return model != NULL && !kl_reports_page_get_busy (f->page) &&
         g_strcmp0 (model->customer_id, shown->customer_id) == 0 &&
         (shown->period == NULL || kl_period_equal (model->period, shown->period)) &&
         (shown->language == NULL || g_strcmp0 (kl_report_document_get_language (document), shown->language) == 0);
}

static void
wait_for_report (Fixture        *f,
                 const char     *customer_id,
                 const KlPeriod *period,
                 const char     *language)
{
  Shown shown = { customer_id, period, language };

  wait_for (f, report_shown, &shown, "the report in the preview");
}

static gboolean
not_busy (Fixture *f, gconstpointer data)
{
  return !kl_reports_page_get_busy (f->page);
}

/* Finding widgets */

/* The page's widget with the id; fails the test when there is none. */
static GtkWidget *
page_widget (Fixture    *f,
             const char *id)
{
  return kl_test_must_find (GTK_WIDGET (f->page), id);
}

/* The workspace through the worker */

typedef struct {
  const char *customer_id;
  const char *period;
} NoteKey;

static gpointer
get_note_job (KlDatabase *db, gpointer data, KlWorkerJob *job, GError **error)
{
  const NoteKey *key = data;
  char *comments = NULL;
  char *goals = NULL;

  if (!kl_report_note_get (db, key->customer_id, key->period, &comments, &goals, error))
    return NULL;
  return g_strdup_printf ("%s|%s", comments, goals);
}

/* Files */

static char *
read_file (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  return contents;
}

static guint
count_files (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  guint n = 0;

  while (d != NULL && g_dir_read_name (d) != NULL)
    n++;
  return n;
}

typedef struct {
  gboolean  done;
  gboolean  ok;
  GError   *error;
} Export;

static void
exported_cb (GObject *source, GAsyncResult *res, gpointer data)
{
  Export *export = data;

  export->ok = _kl_reports_page_export_finish (KL_REPORTS_PAGE (source), res, &export->error);
  export->done = TRUE;
}

static gboolean
export_done (Fixture *f, gconstpointer data)
{
  return ((const Export *) data)->done;
}

static char *
export_to (Fixture         *f,
           KlReportsExport  format,
           const char      *name)
{
  g_autofree char *path = g_build_filename (f->dir, name, NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  Export export = { FALSE, FALSE, NULL };

  _kl_reports_page_export_to (f->page, format, file, exported_cb, &export);
  wait_for (f, export_done, &export, "an export");
  g_assert_no_error (export.error);
  g_assert_true (export.ok);
  return read_file (path);
}

/* Screenshots, for looking at the page (KEYLINE_SCREENSHOT_DIR). */

static const KlTestScreenshots screenshots = { "KEYLINE_SCREENSHOT_DIR", FALSE };

/* Fixture */

static gpointer
list_job (KlDatabase *db, gpointer data, KlWorkerJob *job, GError **error)
{
  KlCustomerFilter filter = KL_CUSTOMER_FILTER_INIT;

  filter.status = GPOINTER_TO_INT (data);
  return kl_customer_store_list (db, &filter, 0, -1, error);
}

static KlPeriod *
last_complete_month (void)
{
  /* A new workspace takes the process's zone. */
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  int month = g_date_time_get_year (now) * 100 + g_date_time_get_month (now);

  return kl_period_new_for_month (kl_month_add (month, -1));
}

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  g_autofree char *path = NULL;
  g_autoptr(KlDatabase) db = NULL;
  g_autoptr(KlPeriod) period = last_complete_month ();
  guint n_customers = GPOINTER_TO_UINT (data) != 0 ? GPOINTER_TO_UINT (data) : 8;

  f->dir = kl_test_make_tmp_dir ("keyline-reports-XXXXXX");
  path = g_build_filename (f->dir, "workspace.db", NULL);
  db = kl_test_create_demo_workspace (path, n_customers, 2, 0);
  f->worker = kl_worker_new (db);

  f->reported = g_ptr_array_new_with_free_func ((GDestroyNotify) kl_customer_free);
  for (int status = KL_CUSTOMER_STATUS_ACTIVE; status <= KL_CUSTOMER_STATUS_AT_RISK; status++)
    {
      g_autoptr(GPtrArray) some = kl_test_worker_read (f->worker, list_job, GINT_TO_POINTER (status), NULL,
                                                       (GDestroyNotify) g_ptr_array_unref, WAIT_SECONDS);

      for (guint i = 0; i < some->len; i++)
        g_ptr_array_add (f->reported, kl_customer_copy (g_ptr_array_index (some, i)));
    }
  g_assert_cmpuint (f->reported->len, >=, 2);
  f->customer = kl_customer_copy (g_ptr_array_index (f->reported, 0));
  f->other = kl_customer_copy (g_ptr_array_index (f->reported, 1));

  f->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (f->window, 1280, 860);
  f->page = KL_REPORTS_PAGE (kl_reports_page_new ());
  gtk_window_set_child (f->window, GTK_WIDGET (f->page));
  gtk_window_present (f->window);
  kl_reports_page_set_worker (f->page, f->worker);

  /* A first visit opens on the first customer's last complete month. */
  {
    g_autoptr(GPtrArray) all = kl_test_worker_read (f->worker, list_job, GINT_TO_POINTER (-1),
                                                    NULL, (GDestroyNotify) g_ptr_array_unref, WAIT_SECONDS);

    g_assert_cmpuint (all->len, >, 0);
    wait_for_report (f, ((KlCustomer *) g_ptr_array_index (all, 0))->id, period, NULL);
  }
  g_assert_true (kl_period_equal (kl_reports_page_get_period (f->page), period));
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  kl_test_close_workspace (&f->worker, &f->dir);
  kl_customer_free (f->customer);
  kl_customer_free (f->other);
  g_ptr_array_unref (f->reported);
}

/* Dark pixels (text) in the preview as it would paint now: its pages are
 * drawn on a thread, white paper until they come back. */
static gboolean
preview_shows_text (Fixture *f, gconstpointer data)
{
  g_autoptr(GdkTexture) texture = kl_test_render_widget (GTK_WIDGET ((gpointer) data));
  g_autofree guchar *pixels = NULL;
  gsize stride, height;
  guint dark = 0;

  if (texture == NULL)
    return FALSE;
  stride = (gsize) gdk_texture_get_width (texture) * 4;
  height = (gsize) gdk_texture_get_height (texture);
  pixels = g_malloc (stride * height);
  gdk_texture_download (texture, pixels, stride);
  for (gsize i = 0; i < stride * height; i += 4)
    dark += pixels[i] < 96 && pixels[i + 1] < 96 && pixels[i + 2] < 96 && pixels[i + 3] > 200;
  return dark > 200;
}

/* Tests */

static void
test_preview (Fixture *f, gconstpointer data)
{
  g_autoptr(KlPeriod) month = last_complete_month ();
  g_autoptr(KlPeriod) quarter = NULL;
  KlReportPreview *preview = KL_REPORT_PREVIEW (page_widget (f, "preview"));
  const KlReportModel *model;
  KlReportDocument *document;
  int n_pages;

  /* A customer's report is up, and the whole portfolio is a choice. */
  g_assert_true (gtk_widget_is_sensitive (GTK_WIDGET (f->page)));
  g_assert_nonnull (kl_reports_page_get_customer_id (f->page));
  g_assert_cmpint (kl_report_preview_get_n_pages (preview), >=, 1);
  kl_reports_page_show_customer (f->page, NULL);
  wait_for_report (f, NULL, month, NULL);
  g_assert_null (kl_reports_page_get_customer_id (f->page));
  g_assert_cmpint (kl_report_preview_get_n_pages (preview), >=, 1);

  kl_reports_page_show_customer (f->page, f->customer->id);
  g_assert_cmpstr (kl_reports_page_get_customer_id (f->page), ==, f->customer->id);
  wait_for_report (f, f->customer->id, month, NULL);

  model = kl_reports_page_get_model (f->page);
  document = kl_reports_page_get_document (f->page);
  g_assert_cmpstr (model->customer_code, ==, f->customer->code);
  g_assert_cmpstr (model->customer_name, ==, f->customer->name);
  g_assert_true (kl_period_equal (model->period, month));
  n_pages = kl_report_document_get_n_pages (document);
  g_assert_cmpint (n_pages, >=, 1);
  g_assert_cmpint (kl_report_preview_get_n_pages (preview), ==, n_pages);
  g_assert_cmpstr (kl_report_document_get_language (document), ==,
                   f->customer->report_language != NULL ? f->customer->report_language : "en");

  /* The preview draws every page it shows: first paper, then, from its
   * thread, the page's text. */
  wait_for (f, preview_shows_text, preview, "the preview's page drawn");

  /* Quarter through the action the toggle buttons use: the last complete one. */
  gtk_widget_activate_action (GTK_WIDGET (f->page), "reports.period-kind", "s", "quarter");
  g_assert_cmpint (kl_reports_page_get_period (f->page)->kind, ==, KL_PERIOD_QUARTER);
  quarter = kl_period_copy (kl_reports_page_get_period (f->page));
  g_assert_cmpint (kl_period_last_month (quarter), <=, kl_period_last_month (month));
  wait_for_report (f, f->customer->id, quarter, NULL);
  g_assert_cmpint (kl_report_document_get_n_pages (kl_reports_page_get_document (f->page)), >=, 1);

  /* An older period by API, then the language. */
  {
    g_autoptr(KlPeriod) old = kl_period_new_for_month (kl_month_add (kl_period_first_month (month), -5));

    kl_reports_page_set_period (f->page, old);
    g_assert_cmpint (kl_reports_page_get_period (f->page)->kind, ==, KL_PERIOD_MONTH);
    wait_for_report (f, f->customer->id, old, NULL);
  }
  kl_reports_page_set_language (f->page, "en");
  wait_for_report (f, f->customer->id, NULL, "en");
  kl_reports_page_set_language (f->page, "zh_CN");
  wait_for_report (f, f->customer->id, NULL, "zh_CN");

  /* Page navigation and zoom. */
  kl_report_preview_set_fit_width (preview, TRUE);
  gtk_widget_activate_action (GTK_WIDGET (f->page), "reports.zoom-in", NULL);
  g_assert_false (kl_report_preview_get_fit_width (preview));
  gtk_widget_activate_action (GTK_WIDGET (f->page), "reports.zoom-fit", NULL);
  g_assert_true (kl_report_preview_get_fit_width (preview));
  if (kl_report_preview_get_n_pages (preview) > 1)
    {
      gtk_widget_activate_action (GTK_WIDGET (f->page), "reports.next-page", NULL);
      g_assert_cmpint (kl_report_preview_get_page (preview), ==, 1);
      /* It stays there once laid out and drawn at the new place. */
      kl_test_wait_for_frames (GTK_WIDGET (preview), 2);
      g_assert_cmpint (kl_report_preview_get_page (preview), ==, 1);
    }

  /* Back to the portfolio. */
  kl_reports_page_show_customer (f->page, NULL);
  wait_for_report (f, NULL, NULL, NULL);
  g_assert_null (kl_reports_page_get_model (f->page)->customer_code);
}

/* Choices made before the workspace is there hold once it is. */
static void
test_choices_before_load (Fixture *f, gconstpointer data)
{
  g_autoptr(KlPeriod) quarter = kl_period_new_quarter (2025, 2);

  gtk_window_destroy (f->window);
  f->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (f->window, 1100, 800);
  f->page = KL_REPORTS_PAGE (kl_reports_page_new ());
  gtk_window_set_child (f->window, GTK_WIDGET (f->page));
  gtk_window_present (f->window);

  kl_reports_page_set_period (f->page, quarter);
  kl_reports_page_show_customer (f->page, f->other->id);
  kl_reports_page_set_worker (f->page, f->worker);
  wait_for_report (f, f->other->id, quarter, NULL);
  g_assert_cmpstr (kl_reports_page_get_model (f->page)->customer_code, ==, f->other->code);
}

static void
test_exports (Fixture *f, gconstpointer data)
{
  g_autofree char *pdf = NULL;
  g_autofree char *json = NULL;
  g_autofree char *csv = NULL;
  g_autofree char *png = NULL;
  g_autofree char *svg = NULL;
  g_autofree char *regions = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *root, *customer;

  kl_reports_page_show_customer (f->page, f->customer->id);
  wait_for_report (f, f->customer->id, NULL, NULL);

  pdf = export_to (f, KL_REPORTS_EXPORT_PDF, "report.pdf");
  g_assert_true (g_str_has_prefix (pdf, "%PDF"));

  json = export_to (f, KL_REPORTS_EXPORT_JSON, "figures.json");
  node = kl_test_parse_json (json);
  root = json_node_get_object (node);
  customer = json_object_get_object_member (root, "customer");
  g_assert_nonnull (customer);
  g_assert_cmpstr (json_object_get_string_member (customer, "code"), ==, f->customer->code);

  csv = export_to (f, KL_REPORTS_EXPORT_CSV, "figures.csv");
  g_assert_true (g_str_has_prefix (csv, "section,name,"));

  png = export_to (f, KL_REPORTS_EXPORT_TREND_PNG, "trend.png");
  g_assert_true (memcmp (png, "\x89PNG", 4) == 0);
  svg = export_to (f, KL_REPORTS_EXPORT_TREND_SVG, "trend.svg");
  g_assert_nonnull (strstr (svg, "<svg"));
  regions = export_to (f, KL_REPORTS_EXPORT_REGIONS_PNG, "regions.png");
  g_assert_true (memcmp (regions, "\x89PNG", 4) == 0);
  if (g_getenv ("KEYLINE_SCREENSHOT_DIR") != NULL)
    {
      g_autofree char *from = g_build_filename (f->dir, "trend.png", NULL);
      g_autofree char *to = g_build_filename (g_getenv ("KEYLINE_SCREENSHOT_DIR"), "chart-trend.png", NULL);
      g_autofree char *from2 = g_build_filename (f->dir, "regions.png", NULL);
      g_autofree char *to2 = g_build_filename (g_getenv ("KEYLINE_SCREENSHOT_DIR"), "chart-regions.png", NULL);

      g_assert_cmpint (g_rename (from, to), ==, 0);
      g_assert_cmpint (g_rename (from2, to2), ==, 0);
    }

  /* The print operation's pages: the same document through draw-page. */
  {
    g_autoptr(KlReportPrint) print = kl_report_print_new ();
    g_autofree char *path = g_build_filename (f->dir, "printed.pdf", NULL);
    g_autofree char *printed = NULL;

    kl_report_print_export (print, kl_reports_page_get_report (f->page), path, &error);
    g_assert_no_error (error);
    printed = read_file (path);
    g_assert_true (g_str_has_prefix (printed, "%PDF"));
    g_assert_cmpstr (gtk_paper_size_get_name (gtk_page_setup_get_paper_size (kl_report_print_get_page_setup (print))),
                     ==, GTK_PAPER_NAME_A4);
    kl_report_print_set_paper (print, KL_PAPER_LETTER);
    g_assert_cmpstr (gtk_paper_size_get_name (gtk_page_setup_get_paper_size (kl_report_print_get_page_setup (print))),
                     ==, GTK_PAPER_NAME_LETTER);
  }
}

static gboolean
toplevel_named (Fixture *f, gconstpointer name)
{
  GType type = g_type_from_name (name);

  return type != 0 && kl_test_find_toplevel (type) != NULL;
}

static gboolean
toplevel_gone (Fixture *f, gconstpointer name)
{
  return !toplevel_named (f, name);
}

/* Print… and Page Setup… open GTK's dialogs (not the portal's: there is no
 * portal here); cancelling them leaves the page as it was. */
static void
test_print_dialogs (Fixture *f, gconstpointer data)
{
  GtkWindow *dialog;
  KlReportDocument *document;

  kl_reports_page_show_customer (f->page, f->customer->id);
  wait_for_report (f, f->customer->id, NULL, NULL);
  document = kl_reports_page_get_document (f->page);

  gtk_widget_activate_action (GTK_WIDGET (f->page), "reports.print", NULL);
  wait_for (f, toplevel_named, "GtkPrintUnixDialog", "the print dialog");
  dialog = kl_test_find_toplevel (g_type_from_name ("GtkPrintUnixDialog"));
  kl_test_save_screenshot (&screenshots, GTK_WIDGET (dialog), "print-dialog.png");
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_dialog_response (GTK_DIALOG (dialog), GTK_RESPONSE_CANCEL);
  G_GNUC_END_IGNORE_DEPRECATIONS
  wait_for (f, toplevel_gone, "GtkPrintUnixDialog", "the print dialog to close");

  gtk_widget_activate_action (GTK_WIDGET (f->page), "reports.page-setup", NULL);
  wait_for (f, toplevel_named, "GtkPageSetupUnixDialog", "the page setup dialog");
  dialog = kl_test_find_toplevel (g_type_from_name ("GtkPageSetupUnixDialog"));
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_dialog_response (GTK_DIALOG (dialog), GTK_RESPONSE_CANCEL);
  G_GNUC_END_IGNORE_DEPRECATIONS
  wait_for (f, toplevel_gone, "GtkPageSetupUnixDialog", "the page setup dialog to close");
  /* The dialogs answer synchronously; let what they queued run. */
  kl_test_iterate_pending ();
  g_assert_false (kl_reports_page_get_busy (f->page));
  g_assert_true (kl_reports_page_get_document (f->page) == document);
}

/* Every export opens a file chooser with a title that says what it saves. */
static void
test_export_chooser_titles (Fixture *f, gconstpointer data)
{
  const char *actions[] = { "reports.export-pdf", "reports.export-chart", "reports.export-figures" };
  const char *titles[] = { "Export Report as PDF", "Export Chart", "Export Figures" };

  kl_reports_page_show_customer (f->page, f->customer->id);
  wait_for_report (f, f->customer->id, NULL, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (actions); i++)
    {
      GtkWindow *chooser;
      g_autofree char *shot = g_strdup_printf ("export-chooser-%u.png", i);

      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), actions[i], NULL));
      wait_for (f, toplevel_named, "GtkFileChooserDialog", "the file chooser");
      chooser = kl_test_find_toplevel (g_type_from_name ("GtkFileChooserDialog"));
      kl_test_save_screenshot (&screenshots, GTK_WIDGET (chooser), shot);
      g_assert_cmpstr (gtk_window_get_title (chooser), ==, g_dgettext (GETTEXT_PACKAGE, titles[i]));
      G_GNUC_BEGIN_IGNORE_DEPRECATIONS
      gtk_dialog_response (GTK_DIALOG (chooser), GTK_RESPONSE_CANCEL);
      G_GNUC_END_IGNORE_DEPRECATIONS
      wait_for (f, toplevel_gone, "GtkFileChooserDialog", "the file chooser to close");
    }
}

static gboolean
saved_more (Fixture *f, gconstpointer data)
{
  return _kl_reports_page_get_n_saves (f->page) > GPOINTER_TO_UINT (data) && !kl_reports_page_get_busy (f->page);
}

static gboolean
editor_ready (Fixture *f, gconstpointer data)
{
  return gtk_widget_get_sensitive (page_widget (f, "comments_view")) && !kl_reports_page_get_busy (f->page);
}

static char *
view_text (Fixture *f, const char *id)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (page_widget (f, id)));
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

static void
test_notes (Fixture *f, gconstpointer data)
{
  const char *comments = "Volumes rose 12% on the new Shanghai lane — thank you!";
  const char *goals = "Arrival on time above 97%";
  GtkTextBuffer *comments_buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (page_widget (f, "comments_view")));
  GtkTextBuffer *goals_buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (page_widget (f, "goals_view")));
  g_autofree char *label = NULL;
  g_autofree char *stored = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *shown = NULL;
  KlPreparedReport *before;
  guint saves = _kl_reports_page_get_n_saves (f->page);
  NoteKey key;

  /* The portfolio keeps no notes. */
  kl_reports_page_show_customer (f->page, NULL);
  wait_for_report (f, NULL, NULL, NULL);
  g_assert_false (gtk_widget_get_sensitive (page_widget (f, "comments_view")));

  kl_reports_page_show_customer (f->page, f->customer->id);
  wait_for_report (f, f->customer->id, NULL, NULL);
  wait_for (f, editor_ready, NULL, "the comments editor");
  before = kl_reports_page_get_report (f->page);

  gtk_text_buffer_set_text (comments_buffer, comments, -1);
  gtk_text_buffer_set_text (goals_buffer, goals, -1);
  g_assert_true (kl_reports_page_get_busy (f->page));
  wait_for (f, saved_more, GUINT_TO_POINTER (saves), "the notes to be saved");
  /* Saved once for both (debounced), and the preview was built again. */
  g_assert_cmpuint (_kl_reports_page_get_n_saves (f->page), ==, saves + 1);
  wait_for (f, not_busy, NULL, "the rebuild");
  g_assert_true (kl_reports_page_get_report (f->page) != before);

  label = kl_period_to_label (kl_reports_page_get_period (f->page));
  key.customer_id = f->customer->id;
  key.period = label;
  stored = kl_test_worker_read (f->worker, get_note_job, &key, NULL, g_free, WAIT_SECONDS);
  expected = g_strdup_printf ("%s|%s", comments, goals);
  g_assert_cmpstr (stored, ==, expected);

  /* Another customer shows its own (empty) notes; coming back shows these. */
  kl_reports_page_show_customer (f->page, f->other->id);
  wait_for_report (f, f->other->id, NULL, NULL);
  wait_for (f, editor_ready, NULL, "the other customer's notes");
  shown = view_text (f, "comments_view");
  g_assert_cmpstr (shown, ==, "");
  g_clear_pointer (&shown, g_free);

  /* Typing then switching at once still saves, for the right customer. */
  gtk_text_buffer_set_text (comments_buffer, "Quick note", -1);
  kl_reports_page_show_customer (f->page, f->customer->id);
  wait_for_report (f, f->customer->id, NULL, NULL);
  wait_for (f, editor_ready, NULL, "the first customer's notes");
  shown = view_text (f, "comments_view");
  g_assert_cmpstr (shown, ==, comments);
  g_clear_pointer (&stored, g_free);
  key.customer_id = f->other->id;
  stored = kl_test_worker_read (f->worker, get_note_job, &key, NULL, g_free, WAIT_SECONDS);
  g_assert_cmpstr (stored, ==, "Quick note|");

  /* Closing the window right after typing still keeps the words. */
  gtk_text_buffer_set_text (goals_buffer, "Last words", -1);
  gtk_window_destroy (f->window);
  f->window = NULL;
  f->page = NULL;
  g_clear_pointer (&stored, g_free);
  key.customer_id = f->customer->id;
  stored = kl_test_worker_read (f->worker, get_note_job, &key, NULL, g_free, WAIT_SECONDS);
  g_assert_cmpstr (stored, ==, "Volumes rose 12% on the new Shanghai lane — thank you!|Last words");
}

static gboolean
batch_ready (Fixture *f, gconstpointer data)
{
  return kl_report_batch_dialog_get_ready (KL_REPORT_BATCH_DIALOG ((gpointer) data));
}

static gboolean
batch_finished (Fixture *f, gconstpointer data)
{
  return kl_report_batch_dialog_get_finished (KL_REPORT_BATCH_DIALOG ((gpointer) data));
}

static KlReportBatchDialog *
open_batch (Fixture *f)
{
  KlReportBatchDialog *dialog;

  gtk_widget_activate_action (GTK_WIDGET (f->page), "reports.all-accounts", NULL);
  dialog = KL_REPORT_BATCH_DIALOG (kl_test_find_toplevel (KL_TYPE_REPORT_BATCH_DIALOG));
  g_assert_nonnull (dialog);
  wait_for (f, batch_ready, dialog, "the accounts to be counted");
  g_assert_cmpuint (kl_report_batch_dialog_get_n_accounts (dialog), ==, f->reported->len);
  return dialog;
}

static void
test_batch (Fixture *f, gconstpointer data)
{
  g_autofree char *folder = g_build_filename (f->dir, "All reports", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (folder);
  KlReportBatchDialog *dialog = open_batch (f);
  g_autofree char *period = kl_period_to_label (kl_reports_page_get_period (f->page));

  kl_test_save_screenshot (&screenshots, GTK_WIDGET (dialog), "batch-setup.png");
  _kl_report_batch_dialog_start (dialog, file);
  g_assert_true (kl_report_batch_dialog_get_running (dialog));
  wait_for (f, batch_finished, dialog, "the batch to finish");
  kl_test_save_screenshot (&screenshots, GTK_WIDGET (dialog), "batch-done.png");

  g_assert_cmpuint (kl_report_batch_dialog_get_n_written (dialog), ==, f->reported->len);
  g_assert_cmpuint (count_files (folder), ==, f->reported->len);
  for (guint i = 0; i < f->reported->len; i++)
    {
      const KlCustomer *customer = g_ptr_array_index (f->reported, i);
      g_autofree char *name = g_strdup_printf ("%s-%s.pdf", customer->code, period);
      g_autofree char *path = g_build_filename (folder, name, NULL);
      g_autofree char *contents = read_file (path);

      g_assert_true (g_str_has_prefix (contents, "%PDF"));
    }
}

static void
test_batch_cancel (Fixture *f, gconstpointer data)
{
  g_autofree char *folder = g_build_filename (f->dir, "stopped", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (folder);
  KlReportBatchDialog *dialog = open_batch (f);
  guint written;

  _kl_report_batch_dialog_start (dialog, file);
  gtk_widget_activate_action (GTK_WIDGET (dialog), "batch.cancel", NULL);
  /* Stopping waits for the report under way, then goes no further. */
  g_assert_true (kl_report_batch_dialog_get_running (dialog));
  wait_for (f, batch_finished, dialog, "the batch to stop");
  kl_test_save_screenshot (&screenshots, GTK_WIDGET (dialog), "batch-stopped.png");

  written = kl_report_batch_dialog_get_n_written (dialog);
  g_assert_cmpuint (written, <=, 1);
  g_assert_cmpuint (written, <, f->reported->len);
  g_assert_cmpuint (count_files (folder), ==, written);
  /* The dialog stays open to say so. */
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (dialog)));
}

/* Email to Client, with a fake composer in the portal's place that records
 * what it was asked to open. */

typedef struct {
  guint           n_calls;
  KlEmailMessage *last;
} FakeComposer;

static FakeComposer fake;

static void
fake_compose (GtkWindow            *parent,
              const KlEmailMessage *message,
              GTask                *task)
{
  fake.n_calls++;
  g_clear_pointer (&fake.last, kl_email_message_free);
  fake.last = kl_email_message_copy (message);
  g_task_return_boolean (task, TRUE);
}

static void
fake_reset (void)
{
  fake.n_calls = 0;
  g_clear_pointer (&fake.last, kl_email_message_free);
  kl_email_set_compose_func (fake_compose);
}

static gboolean
fake_called (Fixture *f, gconstpointer data)
{
  return fake.n_calls > GPOINTER_TO_UINT (data) && !_kl_reports_page_get_emailing (f->page);
}

static gboolean
email_waiting (Fixture *f, gconstpointer data)
{
  return _kl_reports_page_get_email_waiting (f->page) != NULL && !_kl_reports_page_get_emailing (f->page);
}

/* The customer's primary (starred) contact, or NULL. */
static gpointer
primary_contact_job (KlDatabase *db, gpointer data, KlWorkerJob *job, GError **error)
{
  g_autoptr(GPtrArray) contacts = kl_contact_store_list (db, data, error);

  if (contacts == NULL)
    return NULL;
  for (guint i = 0; i < contacts->len; i++)
    {
      KlContact *contact = g_ptr_array_index (contacts, i);

      if (contact->primary)
        return kl_contact_copy (contact);
    }
  return NULL;
}

/* Takes the email address off the customer's primary contact. */
static gpointer
drop_primary_email_job (KlDatabase *db, gpointer data, KlWorkerJob *job, GError **error)
{
  g_autoptr(KlContact) primary = primary_contact_job (db, data, job, error);

  if (primary == NULL)
    return NULL;
  g_clear_pointer (&primary->email, g_free);
  if (!kl_contact_store_save (db, primary, error))
    return NULL;
  return g_strdup (primary->id);
}

/* The text pdftotext reads from path, or NULL without pdftotext. */
static char *
pdf_text (const char *path)
{
  g_autofree char *pdftotext = g_find_program_in_path ("pdftotext");
  g_autofree char *out = NULL;
  g_autoptr(GError) error = NULL;
  int status = 0;

  if (pdftotext == NULL)
    return NULL;
  g_spawn_sync (NULL, (char *[]) { pdftotext, (char *) path, (char *) "-", NULL }, NULL,
                G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, &out, NULL, &status, &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  return g_steal_pointer (&out);
}

static void
assert_report_pdf (const char       *path,
                   const KlCustomer *customer)
{
  g_autofree char *contents = read_file (path);
  g_autofree char *text = pdf_text (path);

  g_assert_true (g_path_is_absolute (path));
  g_assert_true (g_str_has_prefix (contents, "%PDF"));
  /* That customer's report: its name is on the first page. */
  if (text != NULL)
    g_assert_nonnull (strstr (text, customer->name));
}

static void
test_email (Fixture *f, gconstpointer data)
{
  g_autofree char *old_attachment = NULL;
  g_autofree char *recent_attachment = NULL;
  g_autoptr(KlContact) primary = NULL;
  g_autofree char *when = NULL;
  const KlReportModel *model;
  const char *language;

  primary = kl_test_worker_read (f->worker, primary_contact_job, f->customer->id, NULL,
                                 (GDestroyNotify) kl_contact_free, WAIT_SECONDS);
  g_assert_nonnull (primary);
  if (primary->email == NULL)
    {
      g_test_skip ("The demo customer's primary contact has no email address");
      return;
    }

  /* The whole portfolio is internal: nothing to email. */
  kl_reports_page_show_customer (f->page, NULL);
  wait_for_report (f, NULL, NULL, NULL);
  g_assert_false (gtk_widget_activate_action (GTK_WIDGET (f->page), "reports.email", NULL) &&
                  _kl_reports_page_get_emailing (f->page));

  kl_reports_page_show_customer (f->page, f->customer->id);
  wait_for_report (f, f->customer->id, NULL, NULL);
  model = kl_reports_page_get_model (f->page);
  language = kl_report_document_get_language (kl_reports_page_get_document (f->page));
  when = kl_report_period_display (model->period, language);

  /* Attachments a month old are cleared away when the next is written;
   * recent ones stay (a draft may still need its file). */
  {
    g_autofree char *folder = g_build_filename (g_get_user_cache_dir (), "keyline", "email", NULL);

    g_assert_cmpint (g_mkdir_with_parents (folder, 0700), ==, 0);
    old_attachment = g_build_filename (folder, "OLD-2020-01.pdf", NULL);
    recent_attachment = g_build_filename (folder, "RECENT-2020-02.pdf", NULL);
    g_assert_true (g_file_set_contents (old_attachment, "%PDF-old", -1, NULL));
    g_assert_true (g_file_set_contents (recent_attachment, "%PDF-recent", -1, NULL));
    {
      struct utimbuf times = { time (NULL) - 40 * 24 * 3600, time (NULL) - 40 * 24 * 3600 };

      g_assert_cmpint (utime (old_attachment, &times), ==, 0);
    }
  }

  fake_reset ();
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "reports.email", NULL));
  wait_for (f, fake_called, GUINT_TO_POINTER (0), "the composer");
  g_assert_cmpuint (fake.n_calls, ==, 1);
  g_assert_false (g_file_test (old_attachment, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (recent_attachment, G_FILE_TEST_EXISTS));
  g_remove (recent_attachment);

  /* To the primary contact, about this customer and period, with its PDF. */
  g_assert_cmpstr (fake.last->address, ==, primary->email);
  g_assert_cmpstr (fake.last->contact_name, ==, primary->name);
  g_assert_nonnull (strstr (fake.last->subject, f->customer->name));
  g_assert_nonnull (strstr (fake.last->subject, when));
  g_assert_nonnull (strstr (fake.last->body, primary->name));
  g_assert_nonnull (strstr (fake.last->body, when));
  assert_report_pdf (fake.last->attachment, f->customer);
  {
    g_autofree char *name = g_path_get_basename (fake.last->attachment);
    g_autofree char *expected = kl_report_file_name (model, "pdf");

    g_assert_cmpstr (name, ==, expected);
  }
  g_assert_null (_kl_reports_page_get_email_waiting (f->page));

  /* The subject follows the report's language. */
  kl_reports_page_set_language (f->page, "zh_CN");
  wait_for_report (f, f->customer->id, NULL, "zh_CN");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "reports.email", NULL));
  wait_for (f, fake_called, GUINT_TO_POINTER (1), "the composer again");
  g_assert_cmpstr (fake.last->address, ==, primary->email);
  if (!g_str_equal (kl_report_gettext ("zh_CN", "Best regards"), "Best regards"))
    {
      g_autofree char *zh_when = kl_report_period_display (kl_reports_page_get_period (f->page), "zh_CN");

      g_assert_nonnull (strstr (fake.last->subject, zh_when));
      g_assert_null (strstr (fake.last->subject, "Service report"));
    }
  kl_email_set_compose_func (NULL);
}

static void
test_email_no_address (Fixture *f, gconstpointer data)
{
  g_autofree char *contact_id = NULL;

  contact_id = kl_test_worker_read (f->worker, drop_primary_email_job, f->customer->id, NULL, g_free,
                                    WAIT_SECONDS);
  g_assert_nonnull (contact_id);
  kl_reports_page_show_customer (f->page, f->customer->id);
  wait_for_report (f, f->customer->id, NULL, NULL);

  fake_reset ();
  if (g_getenv ("KEYLINE_SCREENSHOT_DIR") != NULL)
    {
      GtkMenuButton *export = GTK_MENU_BUTTON (page_widget (f, "export_button"));

      gtk_menu_button_popup (export);
      kl_test_save_screenshot (&screenshots, GTK_WIDGET (gtk_menu_button_get_popover (export)), "reports-export-menu.png");
      gtk_menu_button_popdown (export);
    }
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "reports.email", NULL));
  wait_for (f, email_waiting, NULL, "the page to say there is no address");
  kl_test_save_screenshot (&screenshots, GTK_WIDGET (f->window), "reports-email-no-address.png");
  /* Nothing opened yet: the toast asks first. */
  g_assert_cmpuint (fake.n_calls, ==, 0);

  /* Write Anyway: the same message, without an address. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "reports.email-anyway", NULL));
  wait_for (f, fake_called, GUINT_TO_POINTER (0), "the composer");
  g_assert_null (fake.last->address);
  g_assert_nonnull (strstr (fake.last->subject, f->customer->name));
  assert_report_pdf (fake.last->attachment, f->customer);
  g_assert_null (_kl_reports_page_get_email_waiting (f->page));
  kl_email_set_compose_func (NULL);
}

typedef struct {
  gboolean  done;
  GError   *error;
} Composed;

static void
composed_cb (GObject *source, GAsyncResult *res, gpointer data)
{
  Composed *composed = data;

  g_assert_false (kl_email_compose_finish (res, &composed->error));
  composed->done = TRUE;
}

static gboolean
composed_done (Fixture *f, gconstpointer data)
{
  return ((const Composed *) data)->done;
}

static gboolean
not_emailing (Fixture *f, gconstpointer data)
{
  return !_kl_reports_page_get_emailing (f->page);
}

/* Without an Email portal on the bus (main() gives the tests a bus of their
 * own with no services), the real composer
 * says so instead of hanging or crashing, and the page is ready again. */
static void
test_email_no_portal (Fixture *f, gconstpointer data)
{
  KlEmailMessage message = { NULL, NULL, (char *) "C", (char *) "Subject", (char *) "Body", NULL };
  Composed composed = { FALSE, NULL };

  kl_email_set_compose_func (NULL);
  kl_email_compose_async (f->window, &message, NULL, composed_cb, &composed);
  wait_for (f, composed_done, &composed, "the portal's answer");
  g_assert_error (composed.error, KL_EMAIL_ERROR, KL_EMAIL_ERROR_NO_PORTAL);
  g_assert_nonnull (strstr (composed.error->message, "portal"));
  g_clear_error (&composed.error);

  kl_reports_page_show_customer (f->page, f->customer->id);
  wait_for_report (f, f->customer->id, NULL, NULL);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "reports.email", NULL));
  wait_for (f, not_emailing, NULL, "the email to fail");
  kl_test_save_screenshot (&screenshots, GTK_WIDGET (f->window), "reports-email-no-portal.png");
}

static gboolean
batch_clients_ready (Fixture *f, gconstpointer data)
{
  return kl_report_batch_dialog_get_clients_ready (KL_REPORT_BATCH_DIALOG ((gpointer) data));
}

static gboolean
batch_fake_called (Fixture *f, gconstpointer data)
{
  return fake.n_calls > 0 && !kl_report_batch_dialog_get_emailing (KL_REPORT_BATCH_DIALOG ((gpointer) data));
}

/* All My Accounts: once written, each report can be emailed to its
 * customer's primary contact with the file written attached. */
static void
test_batch_email (Fixture *f, gconstpointer data)
{
  g_autofree char *folder = g_build_filename (f->dir, "To email", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (folder);
  g_autofree char *period = kl_period_to_label (kl_reports_page_get_period (f->page));
  g_autofree char *name = NULL;
  g_autofree char *expected = NULL;
  g_autoptr(KlContact) primary = NULL;
  const KlCustomer *customer = NULL;
  KlReportBatchDialog *dialog;

  /* A reported customer whose primary contact has an address. */
  for (guint i = 0; i < f->reported->len && customer == NULL; i++)
    {
      const KlCustomer *c = g_ptr_array_index (f->reported, i);

      g_clear_pointer (&primary, kl_contact_free);
      primary = kl_test_worker_read (f->worker, primary_contact_job, c->id, NULL,
                                     (GDestroyNotify) kl_contact_free, WAIT_SECONDS);
      if (primary != NULL && primary->email != NULL)
        customer = c;
    }
  g_assert_nonnull (customer);

  dialog = open_batch (f);
  _kl_report_batch_dialog_start (dialog, file);
  wait_for (f, batch_finished, dialog, "the batch to finish");
  wait_for (f, batch_clients_ready, dialog, "the clients' contacts");
  kl_test_save_screenshot (&screenshots, GTK_WIDGET (dialog), "batch-email.png");

  fake_reset ();
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "batch.email-client", "s", customer->code));
  wait_for (f, batch_fake_called, dialog, "the composer");
  g_assert_cmpuint (fake.n_calls, ==, 1);
  g_assert_cmpstr (fake.last->address, ==, primary->email);
  g_assert_nonnull (strstr (fake.last->subject, customer->name));
  name = g_strdup_printf ("%s-%s.pdf", customer->code, period);
  expected = g_build_filename (folder, name, NULL);
  g_assert_cmpstr (fake.last->attachment, ==, expected);
  assert_report_pdf (fake.last->attachment, customer);
  kl_email_set_compose_func (NULL);
}

static void
test_screenshots (Fixture *f, gconstpointer data)
{
  GtkWidget *comments = page_widget (f, "comments_view");

  kl_reports_page_show_customer (f->page, f->customer->id);
  wait_for_report (f, f->customer->id, NULL, NULL);
  wait_for (f, editor_ready, NULL, "the comments editor");
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (comments)),
                            "Thank you for a strong month: volumes grew and every claim was settled on time.", -1);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (page_widget (f, "goals_view"))),
                            "Keep arrival on time above 97%.", -1);
  wait_for (f, not_busy, NULL, "the notes to be saved");
  kl_test_save_screenshot (&screenshots, GTK_WIDGET (f->window), "reports-page.png");

  gtk_widget_activate_action (GTK_WIDGET (f->page), "reports.zoom-in", NULL);
  gtk_widget_activate_action (GTK_WIDGET (f->page), "reports.next-page", NULL);
  kl_test_save_screenshot (&screenshots, GTK_WIDGET (f->window), "reports-page-zoomed.png");

  gtk_window_set_default_size (f->window, 760, 700);
  kl_test_save_screenshot (&screenshots, GTK_WIDGET (f->window), "reports-page-narrow.png");

  {
    g_autofree char *folder = g_build_filename (f->dir, "shots", NULL);
    g_autoptr(GFile) file = g_file_new_for_path (folder);
    KlReportBatchDialog *dialog = open_batch (f);

    _kl_report_batch_dialog_start (dialog, file);
    kl_test_save_screenshot (&screenshots, GTK_WIDGET (dialog), "batch-progress.png");
    kl_report_batch_dialog_cancel (dialog);
    wait_for (f, batch_finished, dialog, "the batch to stop");
  }
}

/* An exported chart speaks the report's language, not the window's: an
 * English report's chart in a Chinese session, and the other way round. */
static void
test_chart_language (Fixture *f, gconstpointer data)
{
  g_autofree char *old_messages = g_strdup (setlocale (LC_MESSAGES, NULL));
  g_autoptr(KlReportChart) en_chart = NULL;
  g_autoptr(KlReportChart) en_regions = NULL;
  g_autoptr(KlReportChart) zh_chart = NULL;
  g_autofree char *svg = NULL;
  const KlReportModel *model;

  if (setlocale (LC_MESSAGES, "zh_CN.UTF-8") == NULL ||
      g_str_equal (dgettext (GETTEXT_PACKAGE, "Shipments"), "Shipments"))
    {
      setlocale (LC_MESSAGES, old_messages);
      g_test_skip ("The Chinese locale or catalogue is not installed");
      return;
    }

  kl_reports_page_set_language (f->page, "en");
  kl_reports_page_show_customer (f->page, f->customer->id);
  wait_for_report (f, f->customer->id, NULL, "en");
  model = kl_reports_page_get_model (f->page);
  en_chart = _kl_reports_page_make_chart (f->page, KL_REPORTS_EXPORT_TREND_SVG);
  g_assert_nonnull (en_chart);
  g_assert_cmpstr (en_chart->language, ==, "en");
  g_assert_cmpstr (en_chart->trend.series[0].name, ==, "Shipments");
  g_assert_true (g_str_has_prefix (en_chart->trend.title, "Shipments, "));
  for (guint i = 0; i < en_chart->trend.n_categories; i++)
    g_assert_cmpstr (en_chart->trend.categories[i], ==,
                     kl_report_month_abbrev (model->trailing_months[i], "en"));
  g_assert_cmpstr (en_chart->trend.categories[0], !=,
                   kl_report_month_abbrev (model->trailing_months[0], "zh_CN"));
  en_regions = _kl_reports_page_make_chart (f->page, KL_REPORTS_EXPORT_REGIONS_PNG);
  if (en_regions != NULL)
    g_assert_cmpstr (en_regions->bars.series[0].name, ==, "Shipments");
  svg = export_to (f, KL_REPORTS_EXPORT_TREND_SVG, "trend-en.svg");
  g_assert_nonnull (strstr (svg, "<svg"));

  setlocale (LC_MESSAGES, "C.UTF-8");
  kl_reports_page_set_language (f->page, "zh_CN");
  wait_for_report (f, f->customer->id, NULL, "zh_CN");
  model = kl_reports_page_get_model (f->page);
  zh_chart = _kl_reports_page_make_chart (f->page, KL_REPORTS_EXPORT_TREND_PNG);
  g_assert_cmpstr (zh_chart->language, ==, "zh_CN");
  g_assert_cmpstr (zh_chart->trend.series[0].name, ==, kl_report_gettext ("zh_CN", "Shipments"));
  g_assert_cmpstr (zh_chart->trend.series[0].name, !=, "Shipments");
  g_assert_cmpstr (zh_chart->trend.categories[11], ==,
                   kl_report_month_abbrev (model->trailing_months[11], "zh_CN"));
  g_assert_cmpstr (zh_chart->trend.categories[11], !=,
                   kl_report_month_abbrev (model->trailing_months[11], "en"));

  setlocale (LC_MESSAGES, old_messages);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *cache = NULL;
  GTestDBus *bus;
  g_autofree char *display = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
  /* A session bus of our own, with no services: the email tests must not
   * reach a desktop portal that happens to run on the machine. It is left
   * up at exit (taking it down waits for every user of the bus to let go);
   * GTestDBus's watcher stops its daemon when this process ends. */
  display = g_strdup (g_getenv ("DISPLAY"));
  bus = g_test_dbus_new (G_TEST_DBUS_NONE);
  g_test_dbus_up (bus);
  if (display != NULL)   /* g_test_dbus_up() unsets it */
    g_setenv ("DISPLAY", display, TRUE);
  g_setenv ("GTK_A11Y", "none", TRUE);   /* no accessibility bus on it */
  kl_test_bind_text_domain ("KEYLINE_LOCALEDIR", FALSE);
  /* Emailed reports are written into the cache directory: a throwaway one,
   * named before any thread starts. */
  cache = kl_test_make_tmp_dir ("keyline-reports-cache-XXXXXX");
  g_setenv ("XDG_CACHE_HOME", cache, TRUE);

  if (!gtk_init_check ())
    {
      g_test_message ("No display: the Reports page tests need one");
      kl_test_remove_tree (cache);
      return g_test_run ();
    }
  adw_init ();
  kl_test_screenshots_begin (&screenshots);
  if (g_getenv ("KEYLINE_SCREENSHOT_DARK") != NULL)
    adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_DARK);

#define ADD(path, func, n) g_test_add (path, Fixture, GUINT_TO_POINTER (n), fixture_setup, func, fixture_teardown)
  ADD ("/reports-page/preview", test_preview, 0);
  ADD ("/reports-page/choices-before-load", test_choices_before_load, 0);
  ADD ("/reports-page/exports", test_exports, 0);
  ADD ("/reports-page/chart-language", test_chart_language, 0);
  ADD ("/reports-page/notes", test_notes, 0);
  ADD ("/reports-page/print-dialogs", test_print_dialogs, 0);
  ADD ("/reports-page/batch", test_batch, 0);
  ADD ("/reports-page/batch-cancel", test_batch_cancel, 0);
  ADD ("/reports-page/export-chooser-titles", test_export_chooser_titles, 0);
  ADD ("/reports-page/email", test_email, 0);
  ADD ("/reports-page/email-no-address", test_email_no_address, 0);
  ADD ("/reports-page/email-no-portal", test_email_no_portal, 0);
  ADD ("/reports-page/batch-email", test_batch_email, 0);
  if (g_getenv ("KEYLINE_SCREENSHOT_DIR") != NULL)
    ADD ("/reports-page/screenshots", test_screenshots, 40);
#undef ADD

  status = g_test_run ();
  kl_test_remove_tree (cache);
  g_clear_pointer (&fake.last, kl_email_message_free);
  return status;
}
