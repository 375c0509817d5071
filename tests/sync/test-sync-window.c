/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Sync through the window: sign in under Preferences → Back Office, sync
 * with the header bar's button, and resolve a conflict in its dialog. */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "kl-application.h"
#include "kl-claim-lifecycle.h"
#include "kl-claim-row.h"
#include "kl-claim-store.h"
#include "kl-claims-page.h"
#include "kl-customer-store.h"
#include "kl-fake-office.h"
#include "kl-table-cell.h"
#include "kl-preferences-window.h"
#include "kl-sync-button.h"
#include "kl-sync-engine.h"
#include "kl-sync-store.h"
#include "kl-test-gui-util.h"
#include "kl-test-util.h"
#include "kl-window.h"

static KlApplication *the_app;
static const KlTestScreenshots screenshots = { "KEYLINE_SCREENSHOT_DIR", FALSE };

static GtkWidget *
find_by_name (GtkWidget *root, const char *name)
{
  if (g_strcmp0 (gtk_widget_get_name (root), name) == 0)
    return root;
  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_by_name (c, name);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The empty workspace shows the welcome page, whose Connect to a Back
 * Office can be pressed. */
static gboolean
welcome_shown (gpointer data, gconstpointer unused)
{
  GtkWidget *stack = kl_test_must_find (data, "main_stack");

  return g_strcmp0 (gtk_stack_get_visible_child_name (GTK_STACK (stack)), "welcome") == 0 &&
         gtk_widget_is_sensitive (kl_test_must_find (data, "welcome_connect_button"));
}

static gboolean
window_ready (gpointer data, gconstpointer unused)
{
  gboolean ready = FALSE;

  g_object_get (data, "ready", &ready, NULL);
  return ready;
}

static gboolean
subtitle_has (gpointer data, gconstpointer text)
{
  const char *subtitle = adw_action_row_get_subtitle (data);

  return subtitle != NULL && strstr (subtitle, text) != NULL;
}

/* "Up to Date, %s" in the running language, up to its time. */
static char *
up_to_date (void)
{
  const char *text = _("Up to Date, %s");

  return g_strndup (text, strcspn (text, "%"));
}

static gboolean
setting_saved (gpointer data, gconstpointer key)
{
  g_autoptr(KlDatabase) db = kl_database_open (data, 0, NULL);
  g_autofree char *value = db ? kl_database_get_setting (db, key) : NULL;

  return value != NULL;
}

static gboolean
sync_finished (gpointer data, gconstpointer prefix)
{
  return !kl_sync_button_is_syncing (data) && g_str_has_prefix (kl_sync_button_get_status (data), prefix);
}

static gboolean
conflicts_are (gpointer data, gconstpointer n)
{
  return !kl_sync_button_is_syncing (data) && kl_sync_button_get_conflicts (data) == GPOINTER_TO_INT (n);
}

/* The texts a label or a drawn cell (the customer rows') shows. */
static gboolean
shows (GtkWidget *widget, const char *text, gboolean whole)
{
  const char *shown[2] = { NULL, NULL };

  if (GTK_IS_LABEL (widget))
    shown[0] = gtk_label_get_label (GTK_LABEL (widget));
  else if (KL_IS_TABLE_CELL (widget))
    {
      shown[0] = kl_table_cell_get_title (KL_TABLE_CELL (widget));
      shown[1] = kl_table_cell_get_caption (KL_TABLE_CELL (widget));
    }
  for (guint i = 0; i < G_N_ELEMENTS (shown); i++)
    if (shown[i] != NULL && (whole ? strcmp (shown[i], text) == 0 : strstr (shown[i], text) != NULL))
      return TRUE;
  return FALSE;
}

static gboolean
has_label (GtkWidget *root, const char *text)
{
  if (shows (root, text, TRUE))
    return TRUE;
  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL; c = gtk_widget_get_next_sibling (c))
    if (has_label (c, text))
      return TRUE;
  return FALSE;
}

/* The customer list's footer says how many it shows. */
static gboolean
customers_listed (gpointer window, gconstpointer text)
{
  return has_label (GTK_WIDGET (window), text);
}

static gboolean
interval_is (gpointer data, gconstpointer minutes)
{
  return kl_sync_button_get_interval (data) == GPOINTER_TO_UINT (minutes);
}

/* The widget of a type with a CSS class, visible or not, under root. */
static GtkWidget *
find_with_class (GtkWidget *root, GType type, const char *css_class)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type) && gtk_widget_has_css_class (root, css_class))
    return root;
  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_with_class (c, type, css_class);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The claims list's row showing number, or NULL. */
static GtkWidget *
claim_row (GtkWidget *root, const char *number)
{
  if (KL_IS_CLAIM_ROW (root) && has_label (root, number))
    return root;
  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = claim_row (c, number);

      if (found != NULL)
        return found;
    }
  return NULL;
}

typedef struct {
  const char *number;
  const char *tooltip;   /* NULL: the row shows no mark */
} MarkWanted;

/* The case's row is listed, with the mark wanted (or none). */
static gboolean
claim_marked (gpointer window, gconstpointer data)
{
  const MarkWanted *want = data;
  GtkWidget *row = claim_row (window, want->number);
  GtkWidget *mark = row ? find_with_class (row, GTK_TYPE_IMAGE, "sync-mark") : NULL;

  if (row == NULL || mark == NULL)
    return FALSE;
  if (want->tooltip == NULL)
    return !gtk_widget_get_visible (mark);
  return gtk_widget_get_visible (mark) && g_strcmp0 (gtk_widget_get_tooltip_text (mark), want->tooltip) == 0;
}

static gboolean
label_with_class_is (gpointer root, gconstpointer text)
{
  GtkWidget *label = find_with_class (root, GTK_TYPE_LABEL, "case-number");

  return label != NULL && g_strcmp0 (gtk_label_get_label (GTK_LABEL (label)), text) == 0;
}

static gboolean
has_label_containing (GtkWidget *root, const char *text)
{
  if (shows (root, text, FALSE))
    return TRUE;
  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL; c = gtk_widget_get_next_sibling (c))
    if (has_label_containing (c, text))
      return TRUE;
  return FALSE;
}

static gboolean
shows_text (gpointer root, gconstpointer text)
{
  return has_label_containing (root, text);
}

static char *
claim_number (const char *path, const char *id)
{
  g_autoptr(KlDatabase) db = kl_database_open (path, 0, NULL);
  g_autoptr(KlClaim) c = kl_claim_store_get (db, id, 0, NULL);

  return c ? g_strdup (c->number) : NULL;
}

static gint64
count (const char *path, const char *sql)
{
  g_autoptr(KlDatabase) db = kl_database_open (path, 0, NULL);
  g_autoptr(GPtrArray) list = NULL;
  KlCustomerFilter filter = KL_CUSTOMER_FILTER_INIT;

  g_assert_nonnull (db);
  if (g_str_equal (sql, "customers"))
    return kl_customer_store_count (db, &filter, NULL);
  return kl_database_outbox_count (db);
}

static char *
customer_name (const char *path, const char *code)
{
  g_autoptr(KlDatabase) db = kl_database_open (path, 0, NULL);
  g_autoptr(KlCustomer) c = kl_customer_store_get_by_code (db, code, NULL);

  return c ? g_strdup (c->name) : NULL;
}

typedef struct {
  KlFakeOffice *office;
  guint         patches;
  GtkWidget    *button;
} PatchesWanted;

/* The sync has ended after at least patches claim patches came. */
static gboolean
patches_came (gpointer data, gconstpointer unused)
{
  const PatchesWanted *want = data;

  return kl_fake_office_requests (want->office, "PATCH", "/v1/claims") >= want->patches &&
         !kl_sync_button_is_syncing (KL_SYNC_BUTTON (want->button));
}

static void
test_sign_in_sync_resolve (void)
{
  g_autofree char *dir = kl_test_make_tmp_dir ("keyline-sync-window-XXXXXX");
  g_autofree char *path = g_build_filename (dir, "w.db", NULL);
  g_autoptr(KlFakeOffice) office = kl_fake_office_new ();
  g_autofree char *acme = kl_fake_office_add_customer (office, "ACME", "Acme");
  KlWindow *window;
  GtkWidget *prefs, *button;
  AdwMessageDialog *dialog;
  g_autofree char *done_text = up_to_date ();
  g_autofree char *one_customer = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%'u customer", "%'u customers", 1), 1);

  g_autofree char *server_claim = NULL;
  g_autoptr(GSettings) settings = g_settings_new ("io.github.keyline.Keyline");

  kl_fake_office_add_shipments (office, acme, 30, "SF");
  server_claim = kl_fake_office_add_claim (office, acme, "CLM-2026-000001");
  g_object_unref (kl_test_create_workspace (path));
  window = kl_window_new (the_app, path);
  gtk_window_present (GTK_WINDOW (window));
  /* A new, empty workspace: the welcome page's Connect to a Back Office
   * opens it, with Preferences on its Back Office page. */
  kl_test_wait_for (window, welcome_shown, NULL, "the welcome page", 60);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.connect-back-office", NULL));
  kl_test_wait_for (window, window_ready, NULL, "the workspace to open", 60);
  {
    gboolean found = FALSE;
    g_autoptr(GList) windows = gtk_window_list_toplevels ();

    for (GList *l = windows; l != NULL; l = l->next)
      if (KL_IS_PREFERENCES_WINDOW (l->data))
        {
          AdwPreferencesPage *page = adw_preferences_window_get_visible_page (ADW_PREFERENCES_WINDOW (l->data));

          g_assert_cmpstr (adw_preferences_page_get_name (page), ==, "back-office");
          found = TRUE;
          gtk_window_destroy (GTK_WINDOW (l->data));
          break;
        }
    g_assert_true (found);
  }

  /* Sign in: the token is checked with /v1/me, who and the clock shown */
  prefs = kl_preferences_window_new (kl_window_get_worker (window));
  gtk_window_present (GTK_WINDOW (prefs));
  adw_preferences_window_set_visible_page_name (ADW_PREFERENCES_WINDOW (prefs), "back-office");
  /* KEYLINE_TOKEN stands in for the keyring: signed in before Sign In */
  kl_test_wait_for (find_by_name (prefs, "sign-in-status"), subtitle_has, _("Signed in with KEYLINE_TOKEN"),
                    "the environment's token to count as signed in", 60);
  gtk_editable_set_text (GTK_EDITABLE (find_by_name (prefs, "server-url")), kl_fake_office_url (office));
  gtk_editable_set_text (GTK_EDITABLE (find_by_name (prefs, "token")), KL_FAKE_TOKEN);
  g_signal_emit_by_name (find_by_name (prefs, "sign-in"), "clicked");
  kl_test_wait_for (find_by_name (prefs, "sign-in-status"), subtitle_has, "wang.li",
                    "the sign-in to be checked", 60);
  kl_test_wait_for (path, setting_saved, KL_SYNC_SETTING_SERVER, "the server to be kept in the workspace", 60);
  /* The automatic sync's interval: the header bar's timer follows the
   * setting live, whether it is chosen here or set elsewhere; Off stops it */
  button = kl_test_find_first_of_type (GTK_WIDGET (window), KL_TYPE_SYNC_BUTTON);
  g_assert_nonnull (button);
  g_assert_cmpuint (kl_sync_button_get_interval (KL_SYNC_BUTTON (button)), ==, 15);
  {
    AdwComboRow *row = ADW_COMBO_ROW (find_by_name (prefs, "sync-interval"));
    g_autofree char *off = g_strdup (_("Off (only when asked)"));
    g_autofree char *thirty = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Every %u minute", "Every %u minutes", 30), 30);

    g_assert_nonnull (row);
    g_assert_cmpstr (gtk_string_object_get_string (adw_combo_row_get_selected_item (row)), !=, off);
    adw_combo_row_set_selected (row, 0);
    g_assert_cmpstr (gtk_string_object_get_string (adw_combo_row_get_selected_item (row)), ==, off);
    kl_test_wait_for (button, interval_is, GUINT_TO_POINTER (0), "the automatic sync to stop", 60);
    g_assert_cmpuint (g_settings_get_uint (settings, "sync-interval"), ==, 0);
    g_settings_set_uint (settings, "sync-interval", 30);
    kl_test_wait_for (button, interval_is, GUINT_TO_POINTER (30), "the automatic sync every 30 minutes", 60);
    g_assert_cmpstr (gtk_string_object_get_string (adw_combo_row_get_selected_item (row)), ==, thirty);
  }
  kl_test_save_screenshot (&screenshots, prefs, "sync-preferences.png");
  gtk_window_destroy (GTK_WINDOW (prefs));

  /* Sync Now from the header bar */
  kl_sync_button_sync_now (KL_SYNC_BUTTON (button));
  g_assert_true (kl_sync_button_is_syncing (KL_SYNC_BUTTON (button)));
  kl_test_wait_for (button, sync_finished, done_text, "the first sync", 60);
  g_assert_cmpint (count (path, "customers"), ==, 1);
  kl_test_wait_for (window, customers_listed, one_customer, "the list to show the pulled customer", 60);

  /* The same field changed here and there: a conflict, shown */
  {
    g_autoptr(KlDatabase) db = kl_database_open (path, 0, NULL);
    g_autoptr(KlCustomer) c = kl_customer_store_get_by_code (db, "ACME", NULL);

    g_free (c->name);
    c->name = g_strdup ("Acme (mine)");
    g_assert_true (kl_customer_store_save (db, c, KL_ORIGIN_LOCAL, NULL, NULL));
  }
  kl_fake_office_set (office, "customers", acme, "name", "\"Acme (theirs)\"");
  kl_sync_button_sync_now (KL_SYNC_BUTTON (button));
  kl_test_wait_for (button, conflicts_are, GINT_TO_POINTER (1), "the conflict to be found", 60);
  /* the list marks it as waiting */
  {
    g_autofree char *marked = g_strdup_printf (_("%s · not synced yet"), "ACME");

    kl_test_wait_for (window, customers_listed, marked, "the list to mark the customer in conflict", 60);
  }
  kl_test_save_screenshot (&screenshots, GTK_WIDGET (window), "sync-conflict-button.png");

  /* Take Theirs in the conflict's dialog */
  kl_sync_button_show_conflicts (KL_SYNC_BUTTON (button));
  kl_test_wait_for (NULL, kl_test_toplevel_open, GSIZE_TO_POINTER (ADW_TYPE_MESSAGE_DIALOG), "the conflict dialog", 60);
  dialog = ADW_MESSAGE_DIALOG (kl_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG));
  /* each differing field with mine and theirs side by side */
  g_assert_true (has_label_containing (GTK_WIDGET (dialog), "Acme (mine)"));
  g_assert_true (has_label_containing (GTK_WIDGET (dialog), "Acme (theirs)"));
  kl_test_save_screenshot (&screenshots, GTK_WIDGET (dialog), "sync-conflict-dialog.png");
  adw_message_dialog_response (dialog, "theirs");
  gtk_window_destroy (GTK_WINDOW (dialog));
  kl_test_wait_for (button, conflicts_are, GINT_TO_POINTER (0), "the conflict to be resolved", 60);
  kl_test_wait_for (button, sync_finished, done_text, "the sync after it", 60);
  {
    g_autofree char *name = customer_name (path, "ACME");

    g_assert_cmpstr (name, ==, "Acme (theirs)");
  }
  g_assert_cmpint (count (path, "outbox"), ==, 0);
  kl_test_wait_for (window, customers_listed, "ACME", "the list to show the customer synced", 60);

  /* Two fields changed on both sides: merged field by field in the
   * dialog, the server's name and my region */
  {
    g_autoptr(KlDatabase) db = kl_database_open (path, 0, NULL);
    g_autoptr(KlCustomer) c = kl_customer_store_get_by_code (db, "ACME", NULL);

    g_free (c->name);
    c->name = g_strdup ("Acme (mine, again)");
    g_free (c->region);
    c->region = g_strdup ("East");
    g_assert_true (kl_customer_store_save (db, c, KL_ORIGIN_LOCAL, NULL, NULL));
  }
  kl_fake_office_set (office, "customers", acme, "name", "\"Acme (theirs, again)\"");
  kl_fake_office_set (office, "customers", acme, "region", "\"South\"");
  kl_sync_button_sync_now (KL_SYNC_BUTTON (button));
  kl_test_wait_for (button, conflicts_are, GINT_TO_POINTER (1), "the two-field conflict to be found", 60);
  kl_sync_button_show_conflicts (KL_SYNC_BUTTON (button));
  kl_test_wait_for (NULL, kl_test_toplevel_open, GSIZE_TO_POINTER (ADW_TYPE_MESSAGE_DIALOG), "the conflict dialog", 60);
  dialog = ADW_MESSAGE_DIALOG (kl_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG));
  {
    GtkWidget *theirs_name = find_by_name (GTK_WIDGET (dialog), "merge-theirs-name");
    GtkWidget *mine_region = find_by_name (GTK_WIDGET (dialog), "merge-mine-region");

    g_assert_nonnull (theirs_name);
    g_assert_nonnull (mine_region);
    g_assert_true (adw_message_dialog_has_response (dialog, "merge"));
    g_assert_true (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (mine_region)));
    g_assert_false (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (theirs_name)));
    g_signal_emit_by_name (theirs_name, "clicked");
    g_assert_true (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (theirs_name)));
    g_assert_false (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (find_by_name (GTK_WIDGET (dialog),
                                                                                   "merge-mine-name"))));
  }
  kl_test_save_screenshot (&screenshots, GTK_WIDGET (dialog), "sync-conflict-merge.png");
  adw_message_dialog_response (dialog, "merge");
  gtk_window_destroy (GTK_WINDOW (dialog));
  kl_test_wait_for (button, conflicts_are, GINT_TO_POINTER (0), "the merge to be applied", 60);
  kl_test_wait_for (button, sync_finished, done_text, "the sync after the merge", 60);
  {
    g_autoptr(KlDatabase) db = kl_database_open (path, 0, NULL);
    g_autoptr(KlCustomer) c = kl_customer_store_get_by_code (db, "ACME", NULL);
    g_autofree char *server_name = kl_fake_office_get (office, "customers", acme, "name");
    g_autofree char *server_region = kl_fake_office_get (office, "customers", acme, "region");

    g_assert_cmpstr (c->name, ==, "Acme (theirs, again)");
    g_assert_cmpstr (c->region, ==, "East");
    g_assert_cmpstr (server_name, ==, "\"Acme (theirs, again)\"");
    g_assert_cmpstr (server_region, ==, "\"East\"");
  }
  g_assert_cmpint (count (path, "outbox"), ==, 0);

  /* The claims list marks a case opened here (its number provisional) and
   * a pulled one changed here; its detail says so; a sync clears both */
  {
    g_autoptr(KlDatabase) db = kl_database_open (path, 0, NULL);
    g_autoptr(KlCustomer) c = kl_customer_store_get_by_code (db, "ACME", NULL);
    g_autoptr(KlClaim) pulled = kl_claim_store_get (db, "CLM-2026-000001", 0, NULL);
    g_autoptr(GError) error = NULL;
    KlClaimNew input = KL_CLAIM_NEW_INIT;
    KlClaimUpdate update = KL_CLAIM_UPDATE_INIT;
    g_autofree char *opened = NULL, *provisional = NULL, *shown = NULL;
    KlClaimsPage *page = KL_CLAIMS_PAGE (kl_test_find_first_of_type (GTK_WIDGET (window), KL_TYPE_CLAIMS_PAGE));
    MarkWanted provisional_mark, changed_mark = { "CLM-2026-000001", NULL };

    g_assert_nonnull (pulled);
    input.customer_id = c->id;
    input.kind = KL_CLAIM_KIND_DAMAGE;
    input.waybill = "SF000001";
    opened = kl_claim_store_create (db, &input, &error);
    g_assert_no_error (error);
    provisional = claim_number (path, opened);
    g_assert_true (kl_claim_number_is_provisional (provisional));
    update.owner_set = TRUE;
    update.owner = "Zhang Wei";
    g_assert_true (kl_claim_store_update (db, pulled->id, &update, &error));
    g_assert_no_error (error);

    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-page", "s", "claims"));
    kl_claims_page_refresh (page);
    provisional_mark.number = provisional;
    provisional_mark.tooltip = _("Not yet synced: the number is provisional until the back office gives the case its own");
    changed_mark.tooltip = _("Not yet synced: changed here, sent to the back office at the next sync");
    kl_test_wait_for (window, claim_marked, &provisional_mark, "the provisional case to be marked", 60);
    kl_test_wait_for (window, claim_marked, &changed_mark, "the case changed here to be marked", 60);
    kl_test_save_screenshot (&screenshots, GTK_WIDGET (window), "sync-claims-marked.png");

    /* the detail says it too */
    kl_claims_page_show_case (page, opened);
    kl_test_wait_for (window, label_with_class_is, provisional, "the detail's provisional number", 60);
    shown = g_strdup_printf (_("%s · Provisional number, not yet synced"), "");
    kl_test_wait_for (window, shows_text, g_strstrip (shown), "the detail's “Provisional number, not yet synced”", 60);
    kl_test_save_screenshot (&screenshots, GTK_WIDGET (window), "sync-claim-provisional.png");

    /* synced: the case takes the server's number, and no mark is left */
    kl_sync_button_sync_now (KL_SYNC_BUTTON (button));
    kl_test_wait_for (button, sync_finished, done_text, "the sync of the cases", 60);
    g_free (provisional);
    provisional = claim_number (path, opened);
    g_assert_false (kl_claim_number_is_provisional (provisional));
    provisional_mark.number = provisional;
    provisional_mark.tooltip = NULL;
    changed_mark.tooltip = NULL;
    kl_test_wait_for (window, claim_marked, &provisional_mark, "the synced case to lose its mark", 60);
    kl_test_wait_for (window, claim_marked, &changed_mark, "the pushed case to lose its mark", 60);
    /* the detail shown follows: the server's number, no longer provisional */
    kl_test_wait_for (window, label_with_class_is, provisional, "the detail to show the server's number", 60);
    g_assert_false (has_label_containing (GTK_WIDGET (window), shown));
    {
      g_autofree char *owner = kl_fake_office_get (office, "claims", server_claim, "owner");

      g_assert_cmpstr (owner, ==, "\"Zhang Wei\"");
    }
  }

  /* A case changed here and there in four fields: merged field by field
   * in the dialog, each field by its name and its values as people read
   * them; theirs for the status, the approved amount and the owner, mine
   * for the root cause */
  {
    g_autoptr(KlDatabase) db = kl_database_open (path, 0, NULL);
    g_autoptr(GError) error = NULL;
    KlClaimUpdate update = KL_CLAIM_UPDATE_INIT;
    KlClaimMove move = KL_CLAIM_MOVE_INIT;

    update.owner_set = TRUE;
    update.owner = "Chen Jie";
    update.root_cause_set = TRUE;
    update.root_cause = "Forklift";
    update.documents_add = KL_CLAIM_DOCUMENT_BIT (KL_CLAIM_DOCUMENT_PROOF_OF_DELIVERY) |
                           KL_CLAIM_DOCUMENT_BIT (KL_CLAIM_DOCUMENT_COMMERCIAL_INVOICE);
    g_assert_true (kl_claim_store_update (db, "CLM-2026-000001", &update, &error));
    g_assert_no_error (error);
    move.to = KL_CLAIM_STATUS_INVESTIGATING;
    g_assert_true (kl_claim_store_move (db, "CLM-2026-000001", &move, &error));
    g_assert_no_error (error);
    move.to = KL_CLAIM_STATUS_APPROVED;
    move.amount_set = TRUE;
    move.amount = 50000;
    g_assert_true (kl_claim_store_move (db, "CLM-2026-000001", &move, &error));
    g_assert_no_error (error);
  }
  kl_fake_office_set (office, "claims", server_claim, "owner", "\"Li Na\"");
  kl_fake_office_set (office, "claims", server_claim, "root_cause", "\"Rain\"");
  kl_fake_office_set (office, "claims", server_claim, "status", "\"declined\"");
  kl_fake_office_set (office, "claims", server_claim, "approved", "{\"amount_minor\": 60000, \"currency\": \"CNY\"}");
  /* the same documents there: no conflict */
  kl_fake_office_set (office, "claims", server_claim, "documents",
                      "{\"photos\": true, \"proof_of_delivery\": true, \"commercial_invoice\": true}");
  kl_sync_button_sync_now (KL_SYNC_BUTTON (button));
  kl_test_wait_for (button, conflicts_are, GINT_TO_POINTER (1), "the case's conflict to be found", 60);
  kl_sync_button_show_conflicts (KL_SYNC_BUTTON (button));
  kl_test_wait_for (NULL, kl_test_toplevel_open, GSIZE_TO_POINTER (ADW_TYPE_MESSAGE_DIALOG), "the case's conflict dialog", 60);
  dialog = ADW_MESSAGE_DIALOG (kl_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG));
  {
    g_autofree char *heading = g_strdup_printf (_("Case %s"), "CLM-2026-000001");
    g_autofree char *status_values = g_strdup_printf (_("Mine: %s\nTheirs: %s"),
                                                      kl_claim_status_to_label (KL_CLAIM_STATUS_APPROVED),
                                                      kl_claim_status_to_label (KL_CLAIM_STATUS_DECLINED));
    g_autofree char *mine_amount = kl_claim_row_money_text (TRUE, 50000, "CNY");
    g_autofree char *theirs_amount = kl_claim_row_money_text (TRUE, 60000, "CNY");
    g_autofree char *amount_values = g_strdup_printf (_("Mine: %s\nTheirs: %s"), mine_amount, theirs_amount);
    GtkWidget *theirs_amount_toggle = find_by_name (GTK_WIDGET (dialog), "merge-theirs-approved");
    g_autofree char *owner_values = g_strdup_printf (_("Mine: %s\nTheirs: %s"), "Chen Jie", "Li Na");
    GtkWidget *theirs_status = find_by_name (GTK_WIDGET (dialog), "merge-theirs-status");
    GtkWidget *theirs_owner = find_by_name (GTK_WIDGET (dialog), "merge-theirs-owner");
    GtkWidget *mine_cause = find_by_name (GTK_WIDGET (dialog), "merge-mine-root_cause");

    g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, heading);
    g_assert_true (adw_message_dialog_has_response (dialog, "merge"));
    g_assert_nonnull (theirs_status);
    g_assert_nonnull (theirs_owner);
    g_assert_nonnull (mine_cause);
    /* the statuses by their names, the fields by theirs */
    g_assert_true (has_label (GTK_WIDGET (dialog), status_values));
    g_assert_true (has_label (GTK_WIDGET (dialog), amount_values));   /* "500.00 CNY" */
    g_assert_null (find_by_name (GTK_WIDGET (dialog), "merge-mine-documents"));   /* the same both sides */
    g_assert_nonnull (theirs_amount_toggle);
    g_signal_emit_by_name (theirs_amount_toggle, "clicked");
    g_assert_true (has_label (GTK_WIDGET (dialog), owner_values));
    g_assert_true (has_label (GTK_WIDGET (dialog), _("Root cause")));
    g_assert_true (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (mine_cause)));
    g_signal_emit_by_name (theirs_status, "clicked");
    g_signal_emit_by_name (theirs_owner, "clicked");
    g_assert_true (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (theirs_owner)));
    g_assert_true (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (mine_cause)));
  }
  kl_test_save_screenshot (&screenshots, GTK_WIDGET (dialog), "sync-claim-merge.png");
  {
    /* the push after it is held (the server busy), so what was queued
     * can be seen: the case as merged, one update, the root cause only */
    PatchesWanted want = { office, kl_fake_office_requests (office, "PATCH", "/v1/claims") + 1, button };
    g_autoptr(KlDatabase) db = NULL;
    g_autoptr(KlClaim) c = NULL;
    g_autofree char *body = NULL, *if_match = NULL, *revision = NULL, *want_if_match = NULL;

    kl_fake_office_fault (office, "PATCH", "/v1/claims", KL_FAULT_STATUS, 503, -1, 100);
    adw_message_dialog_response (dialog, "merge");
    gtk_window_destroy (GTK_WINDOW (dialog));
    kl_test_wait_for (button, conflicts_are, GINT_TO_POINTER (0), "the case's merge to be applied", 60);
    kl_test_wait_for (&want, patches_came, NULL, "the push of the merged case to be tried", 60);
    db = kl_database_open (path, 0, NULL);
    c = kl_claim_store_get (db, "CLM-2026-000001", 0, NULL);
    g_assert_nonnull (c);
    g_assert_cmpint (c->status, ==, KL_CLAIM_STATUS_DECLINED);      /* theirs */
    g_assert_true (c->approved_set);
    g_assert_cmpint (c->approved, ==, 60000);                       /* theirs */
    g_assert_cmpstr (c->owner, ==, "Li Na");                        /* theirs */
    g_assert_cmpstr (c->root_cause, ==, "Forklift");                /* mine */
    g_assert_cmpint (count (path, "outbox"), ==, 1);
    g_assert_true (kl_sync_record_unpushed (db, "claims", c->id));
    body = kl_fake_office_last_body (office, "PATCH", "/v1/claims", &if_match);
    g_assert_cmpstr (body, ==, "{\"root_cause\":\"Forklift\"}");
    revision = kl_fake_office_get (office, "claims", server_claim, "revision");
    want_if_match = g_strdup_printf ("\"%s\"", revision);
    g_assert_cmpstr (if_match, ==, want_if_match);
  }
  /* the server back: pushed, both sides the same */
  kl_fake_office_clear_faults (office);
  kl_sync_button_sync_now (KL_SYNC_BUTTON (button));
  kl_test_wait_for (button, sync_finished, done_text, "the merged case to be pushed", 60);
  g_assert_cmpint (count (path, "outbox"), ==, 0);
  {
    g_autofree char *owner = kl_fake_office_get (office, "claims", server_claim, "owner");
    g_autofree char *cause = kl_fake_office_get (office, "claims", server_claim, "root_cause");
    g_autofree char *status = kl_fake_office_get (office, "claims", server_claim, "status");

    g_assert_cmpstr (owner, ==, "\"Li Na\"");
    g_assert_cmpstr (cause, ==, "\"Forklift\"");
    g_assert_cmpstr (status, ==, "\"declined\"");
  }

  kl_test_destroy_toplevels ();
  kl_test_remove_tree (dir);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  kl_test_bind_text_domain ("KEYLINE_LOCALEDIR", FALSE);
  g_setenv ("KEYLINE_SYNC_FIRST_DELAY_MS", "1", TRUE);
  /* The token is the environment's, as for cron jobs: no keyring here. */
  g_setenv ("KEYLINE_TOKEN", KL_FAKE_TOKEN, TRUE);
  if (!gtk_init_check ())
    {
      g_test_message ("No display: the window's sync test does not run");
      return g_test_run ();
    }
  adw_init ();
  kl_test_screenshots_begin (&screenshots);
  the_app = kl_application_new ();
  g_application_set_flags (G_APPLICATION (the_app), G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (the_app), NULL, NULL);
  g_test_add_func ("/sync-window/sign-in-sync-resolve", test_sign_in_sync_resolve);
  return g_test_run ();
}
