/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The Import dialog's mapping step, driven as a person would: a transport
 * system's export is mapped (columns, words, customers named, the date
 * form, tonnes), the live count follows, the profile is saved, the file is
 * imported, and the next file with the same header picks the profile again.
 * Set KEYLINE_SCREENSHOT_DIR to keep PNGs of the step. */

#include "config.h"

#include <string.h>
#include <adwaita.h>

#include "kl-import-dialog.h"
#include "kl-import-mapping.h"
#include "kl-import-profiles-page.h"
#include "kl-import-profile-store.h"
#include "kl-test-gui-util.h"

#define WAIT_SECONDS 60

static const KlTestScreenshots screenshots = { "KEYLINE_SCREENSHOT_DIR", FALSE };

typedef struct {
  char     *dir;
  KlWorker *worker;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *path = NULL;
  KlDatabase *db;

  f->dir = kl_test_make_tmp_dir ("keyline-test-import-mapping-XXXXXX");
  path = g_build_filename (f->dir, "workspace.db", NULL);
  db = kl_test_create_workspace (path);
  g_free (kl_test_add_customer (db, "HX001", "华新电子有限公司"));
  g_free (kl_test_add_customer (db, "DF002", "东方食品集团"));
  f->worker = kl_worker_new (db);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  kl_test_close_workspace (&f->worker, &f->dir);
}

typedef struct {
  KlImportDialog *dialog;
  const char     *state;
} StateWait;

static gboolean
dialog_in_state (gpointer      data,
                 gconstpointer unused)
{
  StateWait *wait = data;
  const char *state = kl_import_dialog_get_state (wait->dialog);

  if (g_str_equal (state, "error") && !g_str_equal (wait->state, "error"))
    g_error ("The Import dialog shows an error");
  return g_str_equal (state, wait->state);
}

typedef struct {
  KlImportMapping *mapping;
  guint            n_rows;
  guint            n_bad;
} CountWait;

static gboolean
counted_as (gpointer      data,
            gconstpointer unused)
{
  CountWait *wait = data;
  guint n_rows, n_bad;

  return kl_import_mapping_get_count (wait->mapping, &n_rows, &n_bad) &&
         n_rows == wait->n_rows && n_bad == wait->n_bad;
}

static gboolean
scrolled_into_view (gpointer      data,
                    gconstpointer unused)
{
  return gtk_widget_get_mapped (data);
}

/* Scrolls the mapping to the group with buildable id (for screenshots). */
static void
scroll_to (KlImportMapping *mapping,
           const char      *id)
{
  GtkWidget *group = kl_test_must_find (GTK_WIDGET (mapping), id);
  GtkScrolledWindow *scrolled = GTK_SCROLLED_WINDOW (kl_test_find_first_of_type (GTK_WIDGET (mapping),
                                                                                GTK_TYPE_SCROLLED_WINDOW));
  graphene_point_t point;

  kl_test_wait_for (group, scrolled_into_view, NULL, id, WAIT_SECONDS);
  g_assert_true (gtk_widget_compute_point (group, gtk_scrolled_window_get_child (scrolled),
                                           &GRAPHENE_POINT_INIT (0, 0), &point));
  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (scrolled), point.y);
}

static const char export_csv[] =
  "运单编号,货主,运输状态,件数,重量(吨),计划发车,要求到达,实际到达,异常\n"
  "SF1001,华新电子有限公司,已妥投,12,1.5,03/10/2026 08:30,04/10/2026 18:00,04/10/2026 17:10,无\n"
  "SF1002,东方食品集团,运输中,3,0.25,13/10/2026 09:00,15/10/2026 12:00,,无\n"
  "SF1003,华新电子有限公司,已妥投,40,12.75,21/10/2026 07:45,22/10/2026 20:00,23/10/2026 09:30,有\n";

static KlImportDialog *
open_dialog (Fixture *f,
             GFile   *file)
{
  KlImportDialog *dialog = KL_IMPORT_DIALOG (kl_import_dialog_new (f->worker));

  gtk_window_set_default_size (GTK_WINDOW (dialog), 640, 900);
  gtk_window_present (GTK_WINDOW (dialog));
  kl_import_dialog_load_file (dialog, file);
  return dialog;
}

static void
test_map_save_and_pick_again (Fixture       *f,
                              gconstpointer  data)
{
  g_autofree char *path = g_build_filename (f->dir, "tms-export.csv", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(KlImportProfile) saved = NULL;
  g_autoptr(GError) error = NULL;
  KlImportDialog *dialog;
  KlImportMapping *mapping;
  StateWait wait;
  CountWait count;

  g_assert_true (g_file_set_contents (path, export_csv, -1, NULL));
  dialog = open_dialog (f, file);
  wait.dialog = dialog;
  wait.state = "mapping";
  kl_test_wait_for (&wait, dialog_in_state, NULL, "the mapping step", WAIT_SECONDS);
  mapping = kl_import_dialog_get_mapping (dialog);

  /* Guessed from the header: the columns holding a contract column's
   * Chinese name. */
  g_assert_cmpstr (kl_import_mapping_get_column (mapping, "pieces"), ==, "件数");
  g_assert_cmpstr (kl_import_mapping_get_column (mapping, "weight_kg"), ==, "重量(吨)");
  g_assert_cmpstr (kl_import_mapping_get_column (mapping, "waybill"), ==, "");

  /* A customers file can be mapped too: the rows follow the kind. */
  {
    AdwComboRow *kind = ADW_COMBO_ROW (kl_test_must_find (GTK_WIDGET (mapping), "kind_row"));

    adw_combo_row_set_selected (kind, 1);
    g_assert_cmpstr (kl_import_mapping_get_column (mapping, "name"), ==, "");
    g_assert_cmpstr (kl_import_mapping_get_column (mapping, "code"), ==, "");
    adw_combo_row_set_selected (kind, 0);
    g_assert_cmpstr (kl_import_mapping_get_column (mapping, "pieces"), ==, "件数");
  }

  kl_import_mapping_set_column (mapping, "waybill", "运单编号");
  kl_import_mapping_set_column (mapping, "customer_code", "货主");
  kl_import_mapping_set_column (mapping, "status", "运输状态");
  kl_import_mapping_set_column (mapping, "planned_pickup_at", "计划发车");
  kl_import_mapping_set_column (mapping, "planned_delivery_at", "要求到达");
  kl_import_mapping_set_column (mapping, "delivered_at", "实际到达");
  kl_import_mapping_set_column (mapping, "incident", "异常");

  /* Words the contract does not know, with suggestions: status words,
   * yes/no words, and customers by name (from the workspace). */
  g_assert_cmpstr (kl_import_mapping_get_word (mapping, "status", "已妥投"), ==, "delivered");
  g_assert_cmpstr (kl_import_mapping_get_word (mapping, "status", "运输中"), ==, "in_transit");
  g_assert_cmpstr (kl_import_mapping_get_word (mapping, "incident", "有"), ==, "true");
  g_assert_cmpstr (kl_import_mapping_get_word (mapping, "incident", "无"), ==, "false");
  g_assert_null (kl_import_mapping_get_word (mapping, "status", "delivered"));
  /* The date form, detected from the samples: day first. */
  g_assert_cmpstr (kl_import_mapping_get_date_form (mapping), ==, "%d/%m/%Y %H:%M");

  /* The customers arrive from the worker; then the names have codes. */
  count.mapping = mapping;
  count.n_rows = 3;
  count.n_bad = 0;
  kl_test_wait_for (&count, counted_as, NULL, "3 good rows", WAIT_SECONDS);
  g_assert_cmpstr (kl_import_mapping_get_word (mapping, "customer_code", "华新电子有限公司"), ==, "HX001");

  /* The count follows a change: a word left as written makes its rows bad. */
  kl_import_mapping_set_word (mapping, "status", "已妥投", "");
  count.n_bad = 2;
  kl_test_wait_for (&count, counted_as, NULL, "2 bad rows", WAIT_SECONDS);
  kl_import_mapping_set_word (mapping, "status", "已妥投", "delivered");
  count.n_bad = 0;
  kl_test_wait_for (&count, counted_as, NULL, "no bad row again", WAIT_SECONDS);
  kl_test_save_screenshot (&screenshots, GTK_WIDGET (dialog), "import-mapping.png");
  scroll_to (mapping, "words_group");
  kl_test_save_screenshot (&screenshots, GTK_WIDGET (dialog), "import-mapping-words.png");

  /* Saving needs a name. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "import.save-mapping", NULL));
  g_assert_cmpstr (kl_import_dialog_get_state (dialog), ==, "mapping");
  kl_import_mapping_set_name (mapping, "华东 TMS");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "import.save-mapping", NULL));
  wait.state = "preview";
  kl_test_wait_for (&wait, dialog_in_state, NULL, "the check through the profile", WAIT_SECONDS);
  g_assert_cmpstr (kl_import_dialog_get_profile_name (dialog), ==, "华东 TMS");
  g_assert_cmpstr (kl_import_dialog_get_summary (dialog), ==, "new 3, updated 0, unchanged 0, bad 0");
  kl_test_save_screenshot (&screenshots, GTK_WIDGET (dialog), "import-mapped-preview.png");

  saved = kl_import_profile_store_get (NULL, "华东 TMS", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (kl_import_profile_get_column (saved, "waybill"), ==, "运单编号");
  g_assert_cmpstr (kl_import_profile_get_value (saved, "customer_code", "东方食品集团"), ==, "DF002");
  g_assert_cmpstr (kl_import_profile_get_scale (saved, "weight_kg"), ==, "1000");
  g_assert_cmpstr (kl_import_profile_get_timestamp_formats (saved)[0], ==, "%d/%m/%Y %H:%M");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "import.run", NULL));
  wait.state = "done";
  kl_test_wait_for (&wait, dialog_in_state, NULL, "the import", WAIT_SECONDS);
  g_assert_cmpstr (kl_import_dialog_get_summary (dialog), ==, "new 3, updated 0, unchanged 0, bad 0");
  gtk_window_destroy (GTK_WINDOW (dialog));

  /* Next month: the same header comes back, columns in another order, and
   * the profile is picked at once: two clicks. */
  {
    g_autofree char *next_path = g_build_filename (f->dir, "tms-export-november.csv", NULL);
    g_autoptr(GFile) next = g_file_new_for_path (next_path);

    g_assert_true (g_file_set_contents (next_path,
                                        "货主,运单编号,运输状态,件数,重量(吨),计划发车,要求到达,实际到达,异常\n"
                                        "东方食品集团,SF2001,已妥投,5,2,03/11/2026 08:30,04/11/2026 18:00,04/11/2026 17:10,无\n",
                                        -1, NULL));
    dialog = open_dialog (f, next);
    wait.dialog = dialog;
    wait.state = "preview";
    kl_test_wait_for (&wait, dialog_in_state, NULL, "the check through the saved profile", WAIT_SECONDS);
    g_assert_cmpstr (kl_import_dialog_get_profile_name (dialog), ==, "华东 TMS");
    g_assert_cmpint (kl_import_dialog_get_kind (dialog), ==, KL_IMPORT_SHIPMENTS);
    g_assert_cmpstr (kl_import_dialog_get_summary (dialog), ==, "new 1, updated 0, unchanged 0, bad 0");

    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "import.run", NULL));
    wait.state = "done";
    kl_test_wait_for (&wait, dialog_in_state, NULL, "the November import", WAIT_SECONDS);
    wait.state = "preview";

    /* The mapping can be opened again from the preview, as saved. */
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "import.edit-mapping", NULL));
    g_assert_cmpstr (kl_import_dialog_get_state (dialog), ==, "mapping");
    g_assert_cmpstr (kl_import_mapping_get_column (kl_import_dialog_get_mapping (dialog), "waybill"), ==, "运单编号");
    gtk_window_destroy (GTK_WINDOW (dialog));

    /* The profile offered first can be set aside: without one, the file
     * goes to the mapping step. */
    dialog = open_dialog (f, next);
    wait.dialog = dialog;
    wait.state = "preview";
    kl_test_wait_for (&wait, dialog_in_state, NULL, "the check through the saved profile", WAIT_SECONDS);
    {
      GListModel *offered = adw_combo_row_get_model (ADW_COMBO_ROW (kl_test_must_find (GTK_WIDGET (dialog), "profile_row")));

      g_assert_cmpuint (g_list_model_get_n_items (offered), ==, 2);
      g_assert_cmpstr (gtk_string_list_get_string (GTK_STRING_LIST (offered), 0), ==, "华东 TMS");
    }
    kl_import_dialog_choose_profile (dialog, NULL);
    wait.state = "mapping";
    kl_test_wait_for (&wait, dialog_in_state, NULL, "the mapping step without a profile", WAIT_SECONDS);
    g_assert_null (kl_import_dialog_get_profile_name (dialog));
    gtk_window_destroy (GTK_WINDOW (dialog));
  }
}


/* A carrier's proof-of-delivery file: only waybills, a status and the
 * delivery time. Mapped update-only, it delivers shipments on record. */
static void
test_pod_update_only (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *tms_path = g_build_filename (f->dir, "tms.csv", NULL);
  g_autofree char *pod_path = g_build_filename (f->dir, "pod.csv", NULL);
  g_autoptr(GFile) tms = g_file_new_for_path (tms_path);
  g_autoptr(GFile) pod = g_file_new_for_path (pod_path);
  g_autoptr(KlImportProfile) profile = NULL;
  g_autoptr(GError) error = NULL;
  KlImportDialog *dialog;
  KlImportMapping *mapping;
  StateWait wait;
  CountWait count;

  /* The transport system's shipments, in the contract's form. */
  g_assert_true (g_file_set_contents (tms_path,
                                      "waybill,customer_code,status,pieces,planned_pickup_at,planned_delivery_at\n"
                                      "SF1,HX001,in_transit,2,2026-10-03 08:00,2026-10-04 18:00\n"
                                      "SF2,DF002,in_transit,5,2026-10-05 08:00,2026-10-06 18:00\n", -1, NULL));
  dialog = open_dialog (f, tms);
  wait.dialog = dialog;
  wait.state = "preview";
  kl_test_wait_for (&wait, dialog_in_state, NULL, "the check", WAIT_SECONDS);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "import.run", NULL));
  wait.state = "done";
  kl_test_wait_for (&wait, dialog_in_state, NULL, "the import", WAIT_SECONDS);
  gtk_window_destroy (GTK_WINDOW (dialog));

  g_assert_true (g_file_set_contents (pod_path,
                                      "运单,签收状态,签收时间\n"
                                      "SF1,已签收,202610041730\n"
                                      "SF2,已签收,202610062010\n", -1, NULL));
  dialog = open_dialog (f, pod);
  wait.dialog = dialog;
  wait.state = "mapping";
  kl_test_wait_for (&wait, dialog_in_state, NULL, "the mapping step", WAIT_SECONDS);
  mapping = kl_import_dialog_get_mapping (dialog);
  g_assert_cmpstr (kl_import_mapping_get_column (mapping, "status"), ==, "签收状态");
  kl_import_mapping_set_column (mapping, "waybill", "运单");
  kl_import_mapping_set_column (mapping, "delivered_at", "签收时间");
  g_assert_cmpstr (kl_import_mapping_get_date_form (mapping), ==, "%Y%m%d%H%M");
  /* 已签收 is Keyline's own word for delivered: no row for it. */
  g_assert_null (kl_import_mapping_get_word (mapping, "status", "已签收"));
  gtk_switch_set_active (GTK_SWITCH (kl_test_must_find (GTK_WIDGET (mapping), "update_switch")), TRUE);
  count.mapping = mapping;
  count.n_rows = 2;
  count.n_bad = 0;
  kl_test_wait_for (&count, counted_as, NULL, "2 good rows", WAIT_SECONDS);
  /* The date form detected, for a look. */
  scroll_to (mapping, "forms_group");
  kl_test_save_screenshot (&screenshots, GTK_WIDGET (dialog), "import-mapping-pod.png");
  kl_import_mapping_set_name (mapping, "顺丰 POD");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "import.save-mapping", NULL));
  wait.state = "preview";
  kl_test_wait_for (&wait, dialog_in_state, NULL, "the check through the profile", WAIT_SECONDS);
  g_assert_cmpstr (kl_import_dialog_get_summary (dialog), ==, "new 0, updated 2, unchanged 0, bad 0");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "import.run", NULL));
  wait.state = "done";
  kl_test_wait_for (&wait, dialog_in_state, NULL, "the POD import", WAIT_SECONDS);
  g_assert_cmpstr (kl_import_dialog_get_summary (dialog), ==, "new 0, updated 2, unchanged 0, bad 0");
  gtk_window_destroy (GTK_WINDOW (dialog));

  profile = kl_import_profile_store_get (NULL, "顺丰 POD", &error);
  g_assert_no_error (error);
  g_assert_true (kl_import_profile_get_update_only (profile));
  g_assert_cmpstr (kl_import_profile_get_column (profile, "delivered_at"), ==, "签收时间");
}


static gboolean
page_idle (gpointer      data,
           gconstpointer unused)
{
  return !kl_import_profiles_page_is_busy (data);
}

static void
wait_page (KlImportProfilesPage *page)
{
  kl_test_wait_for (page, page_idle, NULL, "the profiles folder", WAIT_SECONDS);
}

static char *
page_names (KlImportProfilesPage *page)
{
  return g_strjoinv ("|", (char **) kl_import_profiles_page_get_names (page));
}

static void
test_preferences_profiles (Fixture       *f,
                           gconstpointer  data)
{
  g_autofree char *folder = kl_import_profile_store_default_dir ();
  g_autofree char *exported_path = g_build_filename (f->dir, "tms.json", NULL);
  g_autoptr(GFile) exported = g_file_new_for_path (exported_path);
  g_autoptr(KlImportProfile) pod = kl_import_profile_new ("POD", KL_IMPORT_SHIPMENTS);
  g_autoptr(KlImportProfile) tms = kl_import_profile_new ("TMS", KL_IMPORT_SHIPMENTS);
  g_autoptr(KlImportProfile) back = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *window;
  KlImportProfilesPage *page;
  g_autofree char *names = NULL;

  kl_test_remove_tree (folder);
  kl_import_profile_set_column (pod, "delivered_at", "签收时间");
  kl_import_profile_set_update_only (pod, TRUE);
  kl_import_profile_set_column (tms, "waybill", "运单编号");
  g_assert_true (kl_import_profile_store_save (NULL, pod, NULL, 0, FALSE, &error));
  g_assert_true (kl_import_profile_store_save (NULL, tms, NULL, 0, FALSE, &error));
  g_assert_no_error (error);

  window = adw_preferences_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (window), 640, 560);
  page = KL_IMPORT_PROFILES_PAGE (kl_import_profiles_page_new ());
  adw_preferences_window_add (ADW_PREFERENCES_WINDOW (window), ADW_PREFERENCES_PAGE (page));
  adw_preferences_window_set_visible_page (ADW_PREFERENCES_WINDOW (window), ADW_PREFERENCES_PAGE (page));
  gtk_window_present (GTK_WINDOW (window));
  wait_page (page);
  names = page_names (page);
  g_assert_cmpstr (names, ==, "POD|TMS");
  kl_test_save_screenshot (&screenshots, window, "preferences-import-profiles.png");

  kl_import_profiles_page_rename (page, "POD", "SF 顺丰 POD");
  wait_page (page);
  g_clear_pointer (&names, g_free);
  names = page_names (page);
  g_assert_cmpstr (names, ==, "SF 顺丰 POD|TMS");

  kl_import_profiles_page_export (page, "TMS", exported);
  wait_page (page);
  g_assert_null (kl_import_profiles_page_get_error (page));
  back = kl_import_profile_load_file (exported_path, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (kl_import_profile_get_column (back, "waybill"), ==, "运单编号");

  kl_import_profiles_page_delete (page, "TMS");
  wait_page (page);
  g_clear_pointer (&names, g_free);
  names = page_names (page);
  g_assert_cmpstr (names, ==, "SF 顺丰 POD");

  kl_import_profiles_page_import (page, exported);
  wait_page (page);
  g_clear_pointer (&names, g_free);
  names = page_names (page);
  g_assert_cmpstr (names, ==, "SF 顺丰 POD|TMS");
  /* Once more: it exists, and the page says so. */
  kl_import_profiles_page_import (page, exported);
  wait_page (page);
  g_assert_nonnull (kl_import_profiles_page_get_error (page));
  g_assert_nonnull (strstr (kl_import_profiles_page_get_error (page), "“TMS”"));

  gtk_window_destroy (GTK_WINDOW (window));
  kl_test_remove_tree (folder);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *data_home = NULL;
  int status;

  /* Profiles are saved below $XDG_DATA_HOME: a private one, set before
   * GLib reads it. */
  data_home = kl_test_make_tmp_dir ("keyline-test-import-mapping-data-XXXXXX");
  g_setenv ("XDG_DATA_HOME", data_home, TRUE);
  g_test_init (&argc, &argv, NULL);
  kl_test_bind_text_domain ("KEYLINE_LOCALEDIR", TRUE);

  if (!gtk_init_check ())
    {
      g_test_skip ("No display");
      return g_test_run ();
    }
  adw_init ();
  kl_test_screenshots_begin (&screenshots);

  g_test_add ("/import-mapping/map-save-and-pick-again", Fixture, NULL,
              fixture_set_up, test_map_save_and_pick_again, fixture_tear_down);
  g_test_add ("/import-mapping/pod-update-only", Fixture, NULL,
              fixture_set_up, test_pod_update_only, fixture_tear_down);
  g_test_add ("/import-mapping/preferences-profiles", Fixture, NULL,
              fixture_set_up, test_preferences_profiles, fixture_tear_down);
  status = g_test_run ();
  kl_test_remove_tree (data_home);
  return status;
}
