/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The main window. The workspace opens in a thread; the window shows a
 * progress page until the worker owns it, then the sidebar pages. */
#include "config.h"

#include <glib/gi18n.h>
#include "kl-window.h"
#include "kl-sync-button.h"
#include "kl-preferences-window.h"
#include "kl-window-private.h"
#include "kl-customers-page.h"
#include "kl-portfolio-page.h"
#include "kl-claims-page.h"
#include "kl-reports-page.h"
#include "kl-customer-detail.h"
#include "kl-customer-cases.h"
#include "kl-customer-editor.h"
#include "kl-import-dialog.h"
#include "kl-database.h"
#include "kl-customer-store.h"
#include "kl-demo.h"
#include "kl-gui-util.h"

struct _KlWindow {
  AdwApplicationWindow  parent_instance;

  GSettings            *settings;
  GCancellable         *cancellable;
  char                 *workspace_path;
  GtkWidget            *sync_button;
  KlWorker             *worker;
  char                 *visible_page;
  gboolean              ready;
  gboolean              demo;       /* fill an empty workspace without asking */
  gboolean              syncing_sidebar;  /* the window selects the row itself */

  /* template */
  AdwToastOverlay      *toast_overlay;
  GtkStack             *main_stack;
  AdwStatusPage        *loading_page;
  GtkProgressBar       *loading_progress;
  AdwStatusPage        *error_page;
  AdwStatusPage        *welcome_page;
  AdwLeaflet           *leaflet;
  GtkWidget            *sidebar_separator;
  GtkListBox           *sidebar;
  AdwWindowTitle       *content_title;
  AdwViewStack         *view_stack;
  KlCustomersPage      *customers_page;
  KlPortfolioPage      *portfolio_page;
  KlClaimsPage         *claims_page;
  KlReportsPage        *reports_page;
  GtkWidget            *back_button;
  GtkWidget            *add_button;
  GtkWidget            *search_button;
};

G_DEFINE_FINAL_TYPE (KlWindow, kl_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_WORKSPACE_PATH,
  PROP_VISIBLE_PAGE,
  PROP_READY,
  PROP_DEMO,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char * const page_names[] = { "portfolio", "customers", "reports", "claims" };

static void kl_window_set_visible_page (KlWindow   *self,
                                       const char *name);
static void kl_window_add_toast        (KlWindow   *self,
                                        const char *message);

/* Opening the workspace. */

/* What the opening thread hands the window. */
typedef struct {
  KlDatabase *db;
  gboolean    empty;   /* no customer on record: the welcome page shows */
} Opened;

static void
opened_free (Opened *opened)
{
  g_clear_object (&opened->db);
  g_free (opened);
}

static void
open_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  GError *error = NULL;
  KlDatabase *db = kl_database_open (task_data, KL_DATABASE_OPEN_CREATE, &error);
  KlCustomerFilter all = KL_CUSTOMER_FILTER_INIT;
  Opened *opened;
  gint64 n;

  if (db == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  /* The window reads a page at a time: a small cache (see kl-gui-util.h). */
  if (!kl_database_set_cache_size (db, KL_GUI_DB_CACHE_KIB, &error))
    {
      g_object_unref (db);
      g_task_return_error (task, error);
      return;
    }
  n = kl_customer_store_count (db, &all, &error);
  if (n < 0)
    {
      g_object_unref (db);
      g_task_return_error (task, error);
      return;
    }
  opened = g_new0 (Opened, 1);
  opened->db = db;
  opened->empty = n == 0;
  g_task_return_pointer (task, opened, (GDestroyNotify) opened_free);
}

static void
show_error (KlWindow   *self,
            const char *title,
            const char *message)
{
  /* The description is markup. */
  g_autofree char *escaped = g_markup_escape_text (message, -1);

  adw_status_page_set_title (self->error_page, title);
  adw_status_page_set_description (self->error_page, escaped);
  gtk_stack_set_visible_child_name (self->main_stack, "error");
}

static void
set_workspace_actions_enabled (KlWindow *self,
                               gboolean  enabled)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.new-customer", enabled);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.import", enabled);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.search", enabled);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.new-case", enabled);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.report", enabled);
}

/* A sync or a resolution changed the workspace: the lists show it. */
static void
on_synced (KlWindow *self)
{
  kl_customers_page_refresh (self->customers_page);
  kl_portfolio_page_refresh (self->portfolio_page);
  kl_claims_page_refresh (self->claims_page);
}

static void
set_welcome_actions_enabled (KlWindow *self,
                             gboolean  enabled)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.try-demo", enabled);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.start-import", enabled);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.connect-back-office", enabled);
}

static void
workspace_ready (KlWindow *self)
{
  g_autofree char *page = g_settings_get_string (self->settings, "sidebar-page");

  kl_customers_page_set_worker (self->customers_page, self->worker);
  kl_portfolio_page_set_worker (self->portfolio_page, self->worker);
  kl_claims_page_set_worker (self->claims_page, self->worker);
  kl_reports_page_set_worker (self->reports_page, self->worker);
  set_workspace_actions_enabled (self, TRUE);
  /* Sync with the back office: its button in the content's header bar. */
  {
    GtkWidget *header = gtk_widget_get_ancestor (GTK_WIDGET (self->content_title), ADW_TYPE_HEADER_BAR);

    if (header != NULL && self->sync_button == NULL)
      {
        self->sync_button = kl_sync_button_new (self->workspace_path);
        gtk_widget_set_name (self->sync_button, "sync-button");
        g_signal_connect_object (self->sync_button, "synced", G_CALLBACK (on_synced), self, G_CONNECT_SWAPPED);
        adw_header_bar_pack_end (ADW_HEADER_BAR (header), self->sync_button);
      }
  }
  gtk_stack_set_visible_child_name (self->main_stack, "workspace");
  /* The window opens on the page last used. The Customers page was given
   * the worker first, so its list and count are the first job on any
   * workspace; a page that loads when shown (the Portfolio ranks every
   * account, behind its placeholder) queues after that. */
  kl_window_set_visible_page (self, page);

  self->ready = TRUE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_READY]);
}

static void
demo_fill_progress (double   fraction,
                    gpointer job)
{
  kl_worker_job_progress (job, fraction, NULL);
}

static gpointer
demo_job (KlDatabase   *db,
          gpointer      data,
          KlWorkerJob  *job,
          GError      **error)
{
  KlDemoOptions options = KL_DEMO_OPTIONS_INIT;

  /* Success and failure both return NULL; error tells them apart. */
  kl_demo_fill (db, &options, demo_fill_progress,
                job, kl_worker_job_get_cancellable (job), error);
  return NULL;
}

static void
demo_progress (double      fraction,
               const char *text,
               gpointer    user_data)
{
  KlWindow *self = user_data;

  gtk_progress_bar_set_fraction (self->loading_progress, fraction);
}

static void
demo_done (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(KlWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  kl_worker_run_finish (self->worker, result, &error);
  if (error != NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      /* The workspace is usable, only empty: say so and go on. */
      kl_window_add_toast (self, error->message);
    }
  workspace_ready (self);
}

static void
fill_demo (KlWindow *self)
{
  set_welcome_actions_enabled (self, FALSE);
  adw_status_page_set_title (self->loading_page, _("Creating a Demo Workspace"));
  adw_status_page_set_description (self->loading_page,
                                   _("The new workspace is filled with sample customers "
                                     "and shipments to explore. Import your own data at any time."));
  gtk_progress_bar_set_fraction (self->loading_progress, 0);
  gtk_widget_set_visible (GTK_WIDGET (self->loading_progress), TRUE);
  gtk_stack_set_visible_child_name (self->main_stack, "loading");
  kl_worker_run (self->worker, KL_WORKER_WRITE, demo_job, NULL, NULL, NULL,
                 demo_progress, self, self->cancellable,
                 demo_done, g_object_ref (self));
}

static void
try_demo_activated (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  KlWindow *self = KL_WINDOW (widget);

  if (self->worker != NULL && !self->ready)
    fill_demo (self);
}

/* Connect to a Back Office: the empty workspace opens, and Preferences
 * shows its Back Office page, where signing in and the first sync fill it. */
static void
connect_back_office_activated (GtkWidget  *widget,
                               const char *action_name,
                               GVariant   *parameter)
{
  KlWindow *self = KL_WINDOW (widget);
  GtkWidget *prefs;

  if (self->worker == NULL || self->ready)
    return;
  set_welcome_actions_enabled (self, FALSE);
  g_settings_set_string (self->settings, "sidebar-page", "customers");
  workspace_ready (self);
  prefs = kl_preferences_window_new (self->worker);
  adw_preferences_window_set_visible_page_name (ADW_PREFERENCES_WINDOW (prefs), "back-office");
  gtk_window_set_transient_for (GTK_WINDOW (prefs), GTK_WINDOW (self));
  gtk_window_present (GTK_WINDOW (prefs));
}

static void
start_import_activated (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  KlWindow *self = KL_WINDOW (widget);

  if (self->worker == NULL || self->ready)
    return;
  set_welcome_actions_enabled (self, FALSE);
  /* An empty workspace to import into; customers come first, so the
   * Customers page shows them as they arrive. */
  g_settings_set_string (self->settings, "sidebar-page", "customers");
  workspace_ready (self);
  gtk_widget_activate_action (widget, "win.import", NULL);
}

static void
open_done (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  KlWindow *self = KL_WINDOW (source);
  g_autoptr(GError) error = NULL;
  Opened *opened;
  KlDatabase *db;
  gboolean is_empty;

  opened = g_task_propagate_pointer (G_TASK (result), &error);
  if (opened == NULL)
    {
      g_autofree char *message = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      /* Translators: %s is the reason, which names the file */
      message = g_strdup_printf (_("%s\n\nTo open another workspace, start Keyline with --workspace PATH."),
                                 error->message);
      show_error (self, _("Could Not Open the Workspace"), message);
      return;
    }

  db = g_steal_pointer (&opened->db);
  is_empty = opened->empty;
  opened_free (opened);
  self->worker = kl_worker_new (db);

  /* An empty workspace (a new one, or one left empty) asks what to start
   * with; --demo answers for it. */
  if (is_empty && self->demo)
    {
      fill_demo (self);
      return;
    }
  if (is_empty)
    {
      set_welcome_actions_enabled (self, TRUE);
      gtk_stack_set_visible_child_name (self->main_stack, "welcome");
      return;
    }
  workspace_ready (self);
}

static void
open_workspace (KlWindow *self)
{
  g_autoptr(GTask) task = NULL;

  if (self->workspace_path == NULL)
    self->workspace_path = kl_database_default_path ();

  {
    g_autofree char *escaped = g_markup_escape_text (self->workspace_path, -1);

    adw_status_page_set_description (self->loading_page, escaped);
  }
  task = g_task_new (self, self->cancellable, open_done, NULL);
  g_task_set_source_tag (task, open_workspace);
  g_task_set_task_data (task, g_strdup (self->workspace_path), g_free);
  g_task_run_in_thread (task, open_thread);
}

/* Pages. */

static void
sidebar_row_activated (KlWindow      *self,
                       GtkListBoxRow *row)
{
  int index = gtk_list_box_row_get_index (row);

  if (index >= 0 && (guint) index < G_N_ELEMENTS (page_names))
    kl_window_set_visible_page (self, page_names[index]);
  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_FORWARD);
}

/* The sidebar's selection is the page shown. A row selected through
 * assistive technology shows its page, and so do the arrow keys
 * (move-cursor). Tab passing through the rows moves the focus, and GTK 4.8
 * selects each row it lands on: that changes no page, and the selection
 * goes back to the page shown. */
static void select_page_row (KlWindow *self, const char *name);

static gboolean
restore_sidebar_selection (gpointer data)
{
  KlWindow *self = data;

  select_page_row (self, self->visible_page);
  return G_SOURCE_REMOVE;
}

static void
select_page_row (KlWindow   *self,
                 const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (page_names); i++)
    if (g_strcmp0 (page_names[i], name) == 0)
      {
        self->syncing_sidebar = TRUE;
        gtk_list_box_select_row (self->sidebar, gtk_list_box_get_row_at_index (self->sidebar, (int) i));
        self->syncing_sidebar = FALSE;
      }
}

static void
sidebar_row_selected (KlWindow      *self,
                      GtkListBoxRow *row)
{
  int index;

  if (row == NULL || !self->ready || self->syncing_sidebar)
    return;
  if (gtk_root_get_focus (GTK_ROOT (self)) == GTK_WIDGET (row))
    {
      /* The focus moved here; sidebar_cursor_moved () follows for the
       * arrow keys. */
      g_idle_add_full (G_PRIORITY_HIGH_IDLE, restore_sidebar_selection, g_object_ref (self), g_object_unref);
      return;
    }
  index = gtk_list_box_row_get_index (row);
  if (index >= 0 && (guint) index < G_N_ELEMENTS (page_names))
    kl_window_set_visible_page (self, page_names[index]);
}

/* The arrow keys select the row they move to, as in a browse list. */
static void
sidebar_cursor_moved (KlWindow *self)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (self));
  int index;

  if (!self->ready || !GTK_IS_LIST_BOX_ROW (focus) || gtk_widget_get_parent (focus) != GTK_WIDGET (self->sidebar))
    return;
  index = gtk_list_box_row_get_index (GTK_LIST_BOX_ROW (focus));
  if (index >= 0 && (guint) index < G_N_ELEMENTS (page_names))
    kl_window_set_visible_page (self, page_names[index]);
}

static gboolean
customer_detail_shown (KlWindow *self)
{
  return g_strcmp0 (self->visible_page, "customers") == 0 &&
         kl_customers_page_get_showing_detail (self->customers_page);
}

static gboolean
case_detail_shown (KlWindow *self)
{
  return g_strcmp0 (self->visible_page, "claims") == 0 &&
         kl_claims_page_get_showing_detail (self->claims_page);
}

static void
back_clicked (KlWindow *self)
{
  if (customer_detail_shown (self))
    kl_customers_page_show_list (self->customers_page);
  else if (case_detail_shown (self))
    kl_claims_page_show_list (self->claims_page);
  else
    adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
}

static void
update_back_button (KlWindow *self)
{
  gtk_widget_set_visible (self->back_button,
                          adw_leaflet_get_folded (self->leaflet) || customer_detail_shown (self) ||
                          case_detail_shown (self));
}

/* Actions. */

static void
search_activated (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  KlWindow *self = KL_WINDOW (widget);

  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_FORWARD);
  /* Search searches the cases on their page, customers everywhere else. */
  if (g_strcmp0 (self->visible_page, "claims") == 0)
    {
      kl_claims_page_focus_search (self->claims_page);
      return;
    }
  kl_window_set_visible_page (self, "customers");
  kl_customers_page_focus_search (self->customers_page);
}

static void
new_case_for (KlWindow   *self,
              const char *customer_id)
{
  kl_window_set_visible_page (self, "claims");
  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_FORWARD);
  kl_claims_page_new_case (self->claims_page, customer_id, NULL);
}

static void
new_case_activated (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  new_case_for (KL_WINDOW (widget), NULL);
}

/* The report shortcuts work from every page: they show the Reports page
 * (on the account open in Customers, if any) and run its action there. */
static void
report_action_activated (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  KlWindow *self = KL_WINDOW (widget);
  const char *name = g_variant_get_string (parameter, NULL);

  if (g_strcmp0 (self->visible_page, "reports") != 0)
    {
      GtkWidget *detail = kl_customers_page_get_detail (self->customers_page);

      if (g_strcmp0 (self->visible_page, "customers") == 0 && detail != NULL &&
          kl_customer_detail_get_customer_id (KL_CUSTOMER_DETAIL (detail)) != NULL)
        kl_reports_page_show_customer (self->reports_page,
                                       kl_customer_detail_get_customer_id (KL_CUSTOMER_DETAIL (detail)));
      kl_window_set_visible_page (self, "reports");
    }
  gtk_widget_activate_action (GTK_WIDGET (self->reports_page), name, NULL);
}

static void
open_case (KlWindow   *self,
           const char *claim_id)
{
  kl_window_set_visible_page (self, "claims");
  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_FORWARD);
  kl_claims_page_show_case (self->claims_page, claim_id);
}

static void
case_changed (KlWindow   *self,
              const char *claim_id)
{
  GtkWidget *detail = kl_customers_page_get_detail (self->customers_page);

  /* The account's Cases tab and the ranking's claim counts follow. */
  if (detail != NULL)
    kl_customer_detail_set_customer_id (KL_CUSTOMER_DETAIL (detail),
                                        kl_customer_detail_get_customer_id (KL_CUSTOMER_DETAIL (detail)));
  kl_portfolio_page_refresh (self->portfolio_page);
}

static void
customer_saved (KlWindow   *self,
                const char *id)
{
  kl_window_set_visible_page (self, "customers");
  kl_customers_page_show_customer (self->customers_page, id);
}

static void
new_customer_activated (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  KlWindow *self = KL_WINDOW (widget);
  GtkWidget *editor;

  if (self->worker == NULL)
    return;
  editor = kl_customer_editor_new (self->worker, NULL);
  gtk_window_set_transient_for (GTK_WINDOW (editor), GTK_WINDOW (self));
  gtk_window_set_modal (GTK_WINDOW (editor), TRUE);
  g_signal_connect_object (editor, "saved", G_CALLBACK (customer_saved), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (editor));
}

static void
import_finished (KlWindow   *self,
                 const char *summary)
{
  kl_customers_page_refresh (self->customers_page);
  kl_window_add_toast (self, summary);
}

/* The Import dialog on a chosen file; tests call it directly. */
static GtkWidget *
open_import_dialog (KlWindow *self,
                    GFile    *file)
{
  GtkWidget *dialog = kl_import_dialog_new (self->worker);

  gtk_window_set_transient_for (GTK_WINDOW (dialog), GTK_WINDOW (self));
  g_signal_connect_object (dialog, "imported", G_CALLBACK (import_finished), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
  kl_import_dialog_load_file (KL_IMPORT_DIALOG (dialog), file);
  return dialog;
}

static void
chooser_response (GtkNativeDialog *chooser,
                  int              response,
                  gpointer         user_data)
{
  g_autoptr(KlWindow) self = user_data;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));

      if (file != NULL && self->worker != NULL)
        open_import_dialog (self, file);
    }
  gtk_native_dialog_destroy (chooser);
  g_object_unref (chooser);
}

static void
import_activated (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  KlWindow *self = KL_WINDOW (widget);
  GtkFileChooserNative *chooser;
  g_autoptr(GtkFileFilter) csv = gtk_file_filter_new ();
  g_autoptr(GtkFileFilter) all = gtk_file_filter_new ();

  if (self->worker == NULL)
    return;

  chooser = gtk_file_chooser_native_new (_("Import Shipments or Customers"),
                                         GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_OPEN,
                                         _("_Open"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);

  gtk_file_filter_set_name (csv, _("CSV files"));
  gtk_file_filter_add_mime_type (csv, "text/csv");
  gtk_file_filter_add_suffix (csv, "csv");
  gtk_file_filter_add_suffix (csv, "tsv");
  gtk_file_filter_add_suffix (csv, "txt");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), csv);
  gtk_file_filter_set_name (all, _("All files"));
  gtk_file_filter_add_pattern (all, "*");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), all);

  g_signal_connect (chooser, "response", G_CALLBACK (chooser_response), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* GObject. */

static void
kl_window_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  KlWindow *self = KL_WINDOW (object);

  switch (prop_id)
    {
    case PROP_WORKSPACE_PATH:
      g_value_set_string (value, self->workspace_path);
      break;
    case PROP_VISIBLE_PAGE:
      g_value_set_string (value, self->visible_page);
      break;
    case PROP_READY:
      g_value_set_boolean (value, self->ready);
      break;
    case PROP_DEMO:
      g_value_set_boolean (value, self->demo);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kl_window_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  KlWindow *self = KL_WINDOW (object);

  switch (prop_id)
    {
    case PROP_WORKSPACE_PATH:
      g_free (self->workspace_path);
      self->workspace_path = g_value_dup_string (value);
      break;
    case PROP_VISIBLE_PAGE:
      kl_window_set_visible_page (self, g_value_get_string (value));
      break;
    case PROP_DEMO:
      self->demo = g_value_get_boolean (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kl_window_constructed (GObject *object)
{
  KlWindow *self = KL_WINDOW (object);

  G_OBJECT_CLASS (kl_window_parent_class)->constructed (object);
  open_workspace (self);
}

static gboolean
kl_window_close_request (GtkWindow *window)
{
  KlWindow *self = KL_WINDOW (window);

  if (self->workspace_path != NULL && g_getenv ("KEYLINE_WORKSPACE") == NULL)
    {
      g_autofree char *default_path = kl_database_default_path ();

      g_settings_set_string (self->settings, "last-workspace",
                             g_strcmp0 (default_path, self->workspace_path) == 0
                             ? "" : self->workspace_path);
    }
  return GTK_WINDOW_CLASS (kl_window_parent_class)->close_request (window);
}

static void
kl_window_dispose (GObject *object)
{
  KlWindow *self = KL_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  if (self->worker != NULL)
    kl_worker_shutdown (self->worker);
  gtk_widget_dispose_template (GTK_WIDGET (self), KL_TYPE_WINDOW);
  g_clear_object (&self->worker);
  g_clear_object (&self->settings);
  g_clear_object (&self->cancellable);
  G_OBJECT_CLASS (kl_window_parent_class)->dispose (object);
}

static void
kl_window_finalize (GObject *object)
{
  KlWindow *self = KL_WINDOW (object);

  g_free (self->workspace_path);
  g_free (self->visible_page);
  G_OBJECT_CLASS (kl_window_parent_class)->finalize (object);
}

static void
kl_window_class_init (KlWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->get_property = kl_window_get_property;
  object_class->set_property = kl_window_set_property;
  object_class->constructed = kl_window_constructed;
  object_class->dispose = kl_window_dispose;
  object_class->finalize = kl_window_finalize;
  window_class->close_request = kl_window_close_request;

  properties[PROP_WORKSPACE_PATH] =
    g_param_spec_string ("workspace-path", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_VISIBLE_PAGE] =
    g_param_spec_string ("visible-page", NULL, NULL, "customers",
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_READY] =
    g_param_spec_boolean ("ready", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /* An empty workspace is filled with the demo data instead of showing the
   * welcome page (keyline --demo). */
  properties[PROP_DEMO] =
    g_param_spec_boolean ("demo", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (KL_TYPE_CUSTOMERS_PAGE);
  g_type_ensure (KL_TYPE_PORTFOLIO_PAGE);
  g_type_ensure (KL_TYPE_CLAIMS_PAGE);
  g_type_ensure (KL_TYPE_REPORTS_PAGE);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/keyline/Keyline/kl-window.ui");
  gtk_widget_class_bind_template_child (widget_class, KlWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, KlWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, KlWindow, loading_page);
  gtk_widget_class_bind_template_child (widget_class, KlWindow, loading_progress);
  gtk_widget_class_bind_template_child (widget_class, KlWindow, error_page);
  gtk_widget_class_bind_template_child (widget_class, KlWindow, leaflet);
  gtk_widget_class_bind_template_child (widget_class, KlWindow, sidebar_separator);
  gtk_widget_class_bind_template_child (widget_class, KlWindow, sidebar);
  gtk_widget_class_bind_template_child (widget_class, KlWindow, content_title);
  gtk_widget_class_bind_template_child (widget_class, KlWindow, view_stack);
  gtk_widget_class_bind_template_child (widget_class, KlWindow, customers_page);
  gtk_widget_class_bind_template_child (widget_class, KlWindow, portfolio_page);
  gtk_widget_class_bind_template_child (widget_class, KlWindow, claims_page);
  gtk_widget_class_bind_template_child (widget_class, KlWindow, reports_page);
  gtk_widget_class_bind_template_child (widget_class, KlWindow, back_button);
  gtk_widget_class_bind_template_child (widget_class, KlWindow, add_button);
  gtk_widget_class_bind_template_child (widget_class, KlWindow, search_button);
  gtk_widget_class_bind_template_child (widget_class, KlWindow, welcome_page);
  gtk_widget_class_bind_template_callback (widget_class, sidebar_row_activated);
  gtk_widget_class_bind_template_callback (widget_class, sidebar_row_selected);
  gtk_widget_class_bind_template_callback (widget_class, sidebar_cursor_moved);
  gtk_widget_class_bind_template_callback (widget_class, back_clicked);

  gtk_widget_class_install_action (widget_class, "win.search", NULL, search_activated);
  gtk_widget_class_install_action (widget_class, "win.new-customer", NULL, new_customer_activated);
  gtk_widget_class_install_action (widget_class, "win.import", NULL, import_activated);
  gtk_widget_class_install_action (widget_class, "win.try-demo", NULL, try_demo_activated);
  gtk_widget_class_install_action (widget_class, "win.start-import", NULL, start_import_activated);
  gtk_widget_class_install_action (widget_class, "win.connect-back-office", NULL, connect_back_office_activated);
  gtk_widget_class_install_action (widget_class, "win.new-case", NULL, new_case_activated);
  gtk_widget_class_install_action (widget_class, "win.report", "s", report_action_activated);
  gtk_widget_class_install_property_action (widget_class, "win.show-page", "visible-page");

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "win.search", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK, "win.new-customer", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_i, GDK_CONTROL_MASK, "win.import", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_N, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "win.new-case", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_p, GDK_CONTROL_MASK,
                                       "win.report", "s", "reports.print");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_e, GDK_CONTROL_MASK,
                                       "win.report", "s", "reports.export-pdf");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_E, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "win.report", "s", "reports.all-accounts");
  for (guint i = 0; i < G_N_ELEMENTS (page_names); i++)
    gtk_widget_class_add_binding_action (widget_class, GDK_KEY_1 + i, GDK_ALT_MASK,
                                         "win.show-page", "s", page_names[i]);

}

/* Activating an account anywhere opens it on the Customers page. */
static void
open_customer (KlWindow   *self,
               const char *customer_id)
{
  kl_window_set_visible_page (self, "customers");
  kl_customers_page_show_customer (self->customers_page, customer_id);
}

static void
kl_window_init (KlWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  /* A toplevel keeps the "window" node name the theme styles; a class
   * names it instead of a CSS name. */
  gtk_widget_add_css_class (GTK_WIDGET (self), "klwindow");

  self->cancellable = g_cancellable_new ();
  self->visible_page = g_strdup ("customers");
  self->settings = g_settings_new ("io.github.keyline.Keyline");
  g_settings_bind (self->settings, "window-width", self, "default-width", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "window-height", self, "default-height", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "window-maximized", self, "maximized", G_SETTINGS_BIND_DEFAULT);

  adw_leaflet_page_set_navigatable (adw_leaflet_get_page (self->leaflet, self->sidebar_separator),
                                    FALSE);
  set_workspace_actions_enabled (self, FALSE);
  set_welcome_actions_enabled (self, FALSE);

  g_signal_connect_object (self->leaflet, "notify::folded",
                           G_CALLBACK (update_back_button), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->customers_page, "notify::showing-detail",
                           G_CALLBACK (update_back_button), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self, "notify::visible-page",
                           G_CALLBACK (update_back_button), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->portfolio_page, "open-customer",
                           G_CALLBACK (open_customer), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->claims_page, "notify::showing-detail",
                           G_CALLBACK (update_back_button), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->claims_page, "case-changed",
                           G_CALLBACK (case_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (kl_customers_page_get_detail (self->customers_page), "new-case",
                           G_CALLBACK (new_case_for), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (kl_customers_page_get_detail (self->customers_page), "case-activated",
                           G_CALLBACK (open_case), self, G_CONNECT_SWAPPED);
  update_back_button (self);

  if (g_strcmp0 (PROFILE, "development") == 0)
    gtk_widget_add_css_class (GTK_WIDGET (self), "devel");
}

KlWindow *
kl_window_new (KlApplication *application,
               const char    *workspace_path)
{
  return kl_window_new_full (application, workspace_path, FALSE);
}

/* demo: an empty workspace gets the demo data without the welcome page. */
KlWindow *
kl_window_new_full (KlApplication *application,
                    const char    *workspace_path,
                    gboolean       demo)
{
  return g_object_new (KL_TYPE_WINDOW,
                       "application", application,
                       "workspace-path", workspace_path,
                       "demo", demo,
                       NULL);
}

KlWorker *
kl_window_get_worker (KlWindow *self)
{
  g_return_val_if_fail (KL_IS_WINDOW (self), NULL);
  return self->worker;
}

const char *
kl_window_get_visible_page (KlWindow *self)
{
  g_return_val_if_fail (KL_IS_WINDOW (self), NULL);
  return self->visible_page;
}

/* The header's "+" and search act on the page shown. Claims & Returns has
 * its own New Case and search beside its list, and Reports has nothing to
 * create or search for, so there the header leaves them out. */
static void
update_header (KlWindow   *self,
               const char *name)
{
  gboolean customers = g_strcmp0 (name, "customers") == 0 || g_strcmp0 (name, "portfolio") == 0;

  gtk_widget_set_visible (self->add_button, customers);
  gtk_widget_set_visible (self->search_button, customers);
}

static void
kl_window_set_visible_page (KlWindow   *self,
                            const char *name)
{
  AdwViewStackPage *page;
  GtkWidget *child;

  g_return_if_fail (KL_IS_WINDOW (self));

  child = name ? adw_view_stack_get_child_by_name (self->view_stack, name) : NULL;
  if (child == NULL)
    return;

  /* Reports' first visit opens on the account open on Customers. */
  if (g_strcmp0 (name, "reports") == 0)
    {
      GtkWidget *detail = kl_customers_page_get_detail (self->customers_page);

      if (detail != NULL)
        kl_reports_page_suggest_customer (self->reports_page,
                                          kl_customer_detail_get_customer_id (KL_CUSTOMER_DETAIL (detail)));
    }
  adw_view_stack_set_visible_child (self->view_stack, child);
  page = adw_view_stack_get_page (self->view_stack, child);
  adw_window_title_set_title (self->content_title, adw_view_stack_page_get_title (page));
  update_header (self, name);

  select_page_row (self, name);

  if (g_strcmp0 (self->visible_page, name) == 0)
    return;
  g_free (self->visible_page);
  self->visible_page = g_strdup (name);
  g_settings_set_string (self->settings, "sidebar-page", name);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VISIBLE_PAGE]);
}

const char *
kl_window_get_state (KlWindow *self)
{
  g_return_val_if_fail (KL_IS_WINDOW (self), NULL);
  return gtk_stack_get_visible_child_name (self->main_stack);
}

/* Shows message in a toast. */
static void
kl_window_add_toast (KlWindow   *self,
                     const char *message)
{
  g_autofree char *escaped = NULL;

  g_return_if_fail (KL_IS_WINDOW (self));
  g_return_if_fail (message != NULL);

  /* A toast's title is markup. */
  escaped = g_markup_escape_text (message, -1);
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (escaped));
}

GtkWidget *
kl_window_get_customers_page (KlWindow *self)
{
  g_return_val_if_fail (KL_IS_WINDOW (self), NULL);
  return GTK_WIDGET (self->customers_page);
}

GtkWidget *
_kl_window_import_file (KlWindow *self,
                        GFile    *file)
{
  g_return_val_if_fail (KL_IS_WINDOW (self), NULL);
  g_return_val_if_fail (self->worker != NULL, NULL);
  return open_import_dialog (self, file);
}
