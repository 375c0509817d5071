/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The customer detail pane against a real workspace: what it shows, the
 * editors behind its actions, field errors, and delete with undo. */
#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <math.h>

#include "kl-customer-detail.h"
#include "kl-customer-editor.h"
#include "kl-contact-editor.h"
#include "kl-agreement-editor.h"
#include "kl-record-editor.h"
#include "kl-customer-store.h"
#include "kl-contact-store.h"
#include "kl-agreement-store.h"
#include "kl-activity-store.h"
#include "kl-shipment-store.h"
#include "kl-test-gui-util.h"

#define WAIT_SECONDS 15

typedef struct {
  char             *dir;
  KlWorker         *worker;
  GtkWindow        *window;
  KlCustomerDetail *detail;
  char             *acme_id;
  char             *beta_id;
  char             *contact_id;
  char             *activity_id;
  guint             n_changed;
  char             *changed_id;
} Fixture;

/* Waiting: conditions take the fixture. */

#define wait_for(f, condition, data, what) \
  kl_test_wait_for ((f), KL_TEST_CONDITION (condition), (data), (what), WAIT_SECONDS)

/* Finding widgets */

static GtkWidget *
find_action_button (GtkWidget  *root,
                    const char *action_name)
{
  if (GTK_IS_BUTTON (root) &&
      g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (root)), action_name) == 0)
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_action_button (child, action_name);
      if (found != NULL)
        return found;
    }
  return NULL;
}

static const char *
label_text (Fixture    *f,
            const char *id)
{
  return gtk_label_get_text (GTK_LABEL (kl_test_must_find (GTK_WIDGET (f->detail), id)));
}

/* Conditions */

static gboolean
shows_customer (Fixture *f, gconstpointer name)
{
  GtkStack *stack = GTK_STACK (kl_test_must_find (GTK_WIDGET (f->detail), "main_stack"));

  return g_strcmp0 (gtk_stack_get_visible_child_name (stack), "customer") == 0 &&
         g_strcmp0 (label_text (f, "name_label"), name) == 0;
}

static gboolean
stack_shows (Fixture *f, gconstpointer page)
{
  GtkStack *stack = GTK_STACK (kl_test_must_find (GTK_WIDGET (f->detail), "main_stack"));

  return g_strcmp0 (gtk_stack_get_visible_child_name (stack), page) == 0;
}

static gboolean
entry_filled (Fixture *f, gconstpointer row)
{
  return *gtk_editable_get_text (GTK_EDITABLE (row)) != '\0';
}

static gboolean
has_error_style (Fixture *f, gconstpointer widget)
{
  return gtk_widget_has_css_class (GTK_WIDGET (widget), "error");
}

typedef struct {
  const char *list;
  guint       n;
} RowCount;

static gboolean
list_has_rows (Fixture *f, gconstpointer data)
{
  const RowCount *rc = data;

  return kl_test_count_rows (kl_test_must_find (GTK_WIDGET (f->detail), rc->list), FALSE) == rc->n;
}

static gboolean
undo_offered (Fixture *f, gconstpointer data)
{
  return find_action_button (GTK_WIDGET (f->detail), "detail.undo") != NULL;
}

/* Reading the workspace back through the worker */

static gpointer
run_read (Fixture *f, KlWorkerFunc func, const char *id, GDestroyNotify result_free)
{
  return kl_test_worker_read (f->worker, func, g_strdup (id), g_free, result_free, WAIT_SECONDS);
}

static gpointer
get_customer_job (KlDatabase *db, gpointer data, KlWorkerJob *job, GError **error)
{
  return kl_customer_store_get (db, data, error);
}

static gpointer
list_contacts_job (KlDatabase *db, gpointer data, KlWorkerJob *job, GError **error)
{
  return kl_contact_store_list (db, data, error);
}

static gpointer
get_activity_job (KlDatabase *db, gpointer data, KlWorkerJob *job, GError **error)
{
  return kl_activity_store_get (db, data, error);
}

static gpointer
list_agreements_job (KlDatabase *db, gpointer data, KlWorkerJob *job, GError **error)
{
  return kl_agreement_store_list (db, data, error);
}

/* Fixture */

static char *
add_customer (KlDatabase *db, const char *code, const char *name, const char *tags)
{
  g_autoptr(KlCustomer) c = kl_customer_new ();
  g_autoptr(GError) error = NULL;

  c->code = g_strdup (code);
  c->name = g_strdup (name);
  c->region = g_strdup ("East");
  c->notes = g_strdup ("Prefers calls before 10:00");
  c->tags = tags ? g_strsplit (tags, ",", -1) : NULL;
  kl_customer_store_save (db, c, KL_ORIGIN_LOCAL, NULL, &error);
  g_assert_no_error (error);
  return g_strdup (c->id);
}

static void
add_shipment (KlDatabase *db, const char *customer_id, const char *waybill, gint64 at)
{
  g_autoptr(KlShipment) s = kl_shipment_new ();
  g_autoptr(GError) error = NULL;

  s->waybill = g_strdup (waybill);
  s->customer_id = g_strdup (customer_id);
  s->status = KL_SHIPMENT_STATUS_DELIVERED;
  s->pieces = 2;
  s->planned_pickup_at = at;
  s->picked_up_at = at;
  s->planned_delivery_at = at + 86400;
  s->delivered_at = at + 86400;
  kl_shipment_store_save (db, s, NULL, &error);
  g_assert_no_error (error);
}

static void
on_customer_changed (KlCustomerDetail *detail, const char *id, Fixture *f)
{
  f->n_changed++;
  g_free (f->changed_id);
  f->changed_id = g_strdup (id);
}

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autoptr(KlDatabase) db = NULL;
  g_autoptr(KlContact) contact = kl_contact_new ();
  g_autoptr(KlActivity) activity = kl_activity_new ();
  g_autoptr(KlAgreement) agreement = kl_agreement_new ();
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) month_start = NULL;
  gint64 last_month;

  f->dir = kl_test_make_tmp_dir ("keyline-detail-XXXXXX");
  path = g_build_filename (f->dir, "workspace.db", NULL);
  db = kl_test_create_workspace (path);

  f->acme_id = add_customer (db, "ACME-01", "Acme Logistics", "cold chain,VIP");
  f->beta_id = add_customer (db, "BETA-02", "Beta Foods", NULL);

  contact->customer_id = g_strdup (f->acme_id);
  contact->name = g_strdup ("Wang Fang");
  contact->role = KL_CONTACT_ROLE_LOGISTICS;
  contact->email = g_strdup ("wang.fang@example.com");
  contact->primary = TRUE;
  kl_contact_store_save (db, contact, &error);
  g_assert_no_error (error);
  f->contact_id = g_strdup (contact->id);

  activity->customer_id = g_strdup (f->acme_id);
  activity->kind = KL_ACTIVITY_CALL;
  activity->subject = g_strdup ("Quarterly review call");
  activity->contact_id = g_strdup (contact->id);
  activity->at = g_date_time_to_unix (now) - 10 * 86400;
  activity->due_at = g_date_time_to_unix (now) - 3 * 86400;   /* overdue */
  kl_activity_store_save (db, activity, &error);
  g_assert_no_error (error);
  f->activity_id = g_strdup (activity->id);

  agreement->customer_id = g_strdup (f->acme_id);
  agreement->effective_from = g_strdup ("2020-01-01");
  agreement->targets[KL_RATE_DISPATCH_ON_TIME] = 0.985;
  agreement->dispatch_grace_min = 30;
  kl_agreement_store_save (db, agreement, &error);
  g_assert_no_error (error);

  /* Three shipments in the middle of last month. */
  month_start = g_date_time_new_utc (g_date_time_get_year (now), g_date_time_get_month (now), 1, 0, 0, 0);
  last_month = g_date_time_to_unix (month_start) - 15 * 86400;
  add_shipment (db, f->acme_id, "WB-1", last_month);
  add_shipment (db, f->acme_id, "WB-2", last_month + 3600);
  add_shipment (db, f->acme_id, "WB-3", last_month + 7200);

  f->worker = kl_worker_new (db);

  f->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (f->window, 900, 800);
  f->detail = KL_CUSTOMER_DETAIL (kl_customer_detail_new ());
  g_signal_connect (f->detail, "customer-changed", G_CALLBACK (on_customer_changed), f);
  gtk_window_set_child (f->window, GTK_WIDGET (f->detail));
  kl_customer_detail_set_worker (f->detail, f->worker);
  gtk_window_present (f->window);

  g_assert_true (stack_shows (f, "empty"));
  kl_customer_detail_set_customer_id (f->detail, f->acme_id);
  g_assert_cmpstr (kl_customer_detail_get_customer_id (f->detail), ==, f->acme_id);
  wait_for (f, shows_customer, "Acme Logistics", "the customer to load");
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  kl_test_close_workspace (&f->worker, &f->dir);
  g_free (f->acme_id);
  g_free (f->beta_id);
  g_free (f->contact_id);
  g_free (f->activity_id);
  g_free (f->changed_id);
}

/* Tests */

static void
test_overview (Fixture *f, gconstpointer data)
{
  GtkWidget *detail = GTK_WIDGET (f->detail);
  GtkWidget *tags = kl_test_must_find (detail, "tags_box");
  GtkWidget *activities = kl_test_must_find (detail, "activities_list");
  GtkWidget *first_activity;
  guint n_tags = 0;

  g_assert_cmpstr (label_text (f, "code_value"), ==, "ACME-01");
  g_assert_cmpstr (label_text (f, "region_value"), ==, "East");
  g_assert_cmpstr (label_text (f, "status_value"), ==, "Active");
  g_assert_cmpstr (label_text (f, "notes_label"), ==, "Prefers calls before 10:00");
  g_assert_cmpstr (label_text (f, "agreement_value"), ==, "from 2020-01-01");
  g_assert_cmpstr (label_text (f, "shipment_count_value"), ==, "3");
  g_assert_true (g_str_has_prefix (label_text (f, "chart_caption"), "3 shipments in 12 months"));
  for (GtkWidget *c = gtk_widget_get_first_child (tags); c; c = gtk_widget_get_next_sibling (c))
    n_tags++;
  g_assert_cmpuint (n_tags, ==, 2);

  g_assert_cmpuint (kl_test_count_rows (kl_test_must_find (detail, "contacts_list"), FALSE), ==, 1);
  g_assert_cmpuint (kl_test_count_rows (kl_test_must_find (detail, "agreements_list"), FALSE), ==, 1);
  g_assert_cmpuint (kl_test_count_rows (activities, FALSE), ==, 1);
  first_activity = gtk_widget_get_first_child (activities);
  g_assert_true (gtk_widget_has_css_class (first_activity, "overdue"));

  /* Another customer replaces everything; NULL shows the empty state. */
  kl_customer_detail_set_customer_id (f->detail, f->beta_id);
  wait_for (f, shows_customer, "Beta Foods", "the second customer");
  g_assert_cmpuint (kl_test_count_rows (kl_test_must_find (detail, "contacts_list"), FALSE), ==, 0);
  g_assert_cmpstr (label_text (f, "agreement_value"), ==, "None");
  /* An id the workspace does not know shows why, not a stale customer. */
  kl_customer_detail_set_customer_id (f->detail, "00000000-0000-4000-8000-000000000000");
  wait_for (f, stack_shows, "error", "the error state");
  kl_customer_detail_set_customer_id (f->detail, NULL);
  g_assert_true (stack_shows (f, "empty"));
  g_assert_false (gtk_widget_activate_action (detail, "customer.edit", NULL) &&
                  kl_test_find_toplevel (KL_TYPE_CUSTOMER_EDITOR) != NULL);
}

static GtkWidget *
open_customer_editor (Fixture *f)
{
  GtkWindow *editor;
  GtkWidget *name_row;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->detail), "customer.edit", NULL));
  wait_for (f, kl_test_toplevel_open, GSIZE_TO_POINTER (KL_TYPE_CUSTOMER_EDITOR), "the customer editor");
  editor = kl_test_find_toplevel (KL_TYPE_CUSTOMER_EDITOR);
  g_assert_true (gtk_window_get_transient_for (editor) == f->window);
  g_assert_true (gtk_window_get_modal (editor));
  name_row = kl_test_must_find (GTK_WIDGET (editor), "name_row");
  wait_for (f, entry_filled, name_row, "the editor to load the customer");
  return GTK_WIDGET (editor);
}

static void
test_edit_customer (Fixture *f, gconstpointer data)
{
  GtkWidget *editor = open_customer_editor (f);
  g_autoptr(KlCustomer) saved = NULL;

  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (kl_test_must_find (editor, "code_row"))), ==, "ACME-01");
  gtk_editable_set_text (GTK_EDITABLE (kl_test_must_find (editor, "name_row")), "Acme Logistics Group");
  gtk_editable_set_text (GTK_EDITABLE (kl_test_must_find (editor, "tags_row")), "cold chain, VIP，east");
  g_assert_true (gtk_widget_activate_action (editor, "editor.save", NULL));
  wait_for (f, kl_test_toplevel_closed, GSIZE_TO_POINTER (KL_TYPE_CUSTOMER_EDITOR), "the editor to save and close");
  wait_for (f, shows_customer, "Acme Logistics Group", "the detail to show the new name");

  saved = run_read (f, get_customer_job, f->acme_id, (GDestroyNotify) kl_customer_free);
  g_assert_cmpstr (saved->name, ==, "Acme Logistics Group");
  g_assert_cmpuint (g_strv_length (saved->tags), ==, 3);
  g_assert_cmpstr (saved->tags[2], ==, "east");
  g_assert_cmpuint (f->n_changed, >=, 1);
  g_assert_cmpstr (f->changed_id, ==, f->acme_id);
}

static void
test_invalid_code (Fixture *f, gconstpointer data)
{
  GtkWidget *editor = open_customer_editor (f);
  GtkWidget *code_row = kl_test_must_find (editor, "code_row");
  GtkWidget *code_error = kl_test_must_find (editor, "code_error");
  g_autoptr(KlCustomer) saved = NULL;

  /* Empty: refused before it reaches the store. */
  gtk_editable_set_text (GTK_EDITABLE (code_row), "  ");
  gtk_editable_set_text (GTK_EDITABLE (kl_test_must_find (editor, "name_row")), "Should Not Be Saved");
  g_assert_true (gtk_widget_activate_action (editor, "editor.save", NULL));
  g_assert_true (gtk_widget_has_css_class (code_row, "error"));
  g_assert_true (gtk_widget_get_visible (code_error));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (gtk_list_box_row_get_child (GTK_LIST_BOX_ROW (code_error)))),
                   !=, "");
  g_assert_nonnull (kl_test_find_toplevel (KL_TYPE_CUSTOMER_EDITOR));

  /* Taken by another customer: refused by the store, shown at the field. */
  gtk_editable_set_text (GTK_EDITABLE (code_row), "BETA-02");
  g_assert_true (gtk_widget_activate_action (editor, "editor.save", NULL));
  g_assert_false (gtk_widget_has_css_class (code_row, "error"));
  wait_for (f, has_error_style, code_row, "the store's refusal of a taken code");
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (gtk_list_box_row_get_child (GTK_LIST_BOX_ROW (code_error)))),
                            "BETA-02"));
  g_assert_nonnull (kl_test_find_toplevel (KL_TYPE_CUSTOMER_EDITOR));

  saved = run_read (f, get_customer_job, f->acme_id, (GDestroyNotify) kl_customer_free);
  g_assert_cmpstr (saved->code, ==, "ACME-01");
  g_assert_cmpstr (saved->name, ==, "Acme Logistics");
  g_assert_cmpuint (f->n_changed, ==, 0);

  /* Escape cancels. */
  g_assert_true (gtk_widget_activate_action (editor, "editor.cancel", NULL));
  wait_for (f, kl_test_toplevel_closed, GSIZE_TO_POINTER (KL_TYPE_CUSTOMER_EDITOR), "the editor to close");
}

static void
test_contacts (Fixture *f, gconstpointer data)
{
  static const RowCount two = { "contacts_list", 2 };
  static const RowCount one = { "contacts_list", 1 };
  GtkWidget *editor;
  GtkWidget *email_row;
  g_autoptr(GPtrArray) contacts = NULL;
  g_autoptr(KlActivity) activity = NULL;
  GtkWidget *undo;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->detail), "contact.add", NULL));
  wait_for (f, kl_test_toplevel_open, GSIZE_TO_POINTER (KL_TYPE_CONTACT_EDITOR), "the contact editor");
  editor = GTK_WIDGET (kl_test_find_toplevel (KL_TYPE_CONTACT_EDITOR));
  email_row = kl_test_must_find (editor, "email_row");
  gtk_editable_set_text (GTK_EDITABLE (kl_test_must_find (editor, "name_row")), "Li Wei");
  gtk_editable_set_text (GTK_EDITABLE (email_row), "li.wei at example");
  g_assert_true (gtk_widget_activate_action (editor, "editor.save", NULL));
  g_assert_true (gtk_widget_has_css_class (email_row, "error"));
  gtk_editable_set_text (GTK_EDITABLE (email_row), "li.wei@example.com");
  g_assert_true (gtk_widget_activate_action (editor, "editor.save", NULL));
  wait_for (f, kl_test_toplevel_closed, GSIZE_TO_POINTER (KL_TYPE_CONTACT_EDITOR), "the contact editor to save");
  wait_for (f, list_has_rows, &two, "the new contact in the list");
  contacts = run_read (f, list_contacts_job, f->acme_id, (GDestroyNotify) g_ptr_array_unref);
  g_assert_cmpuint (contacts->len, ==, 2);
  g_clear_pointer (&contacts, g_ptr_array_unref);

  /* Delete the contact an activity names, then undo from the toast. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->detail), "contact.delete", "s", f->contact_id));
  wait_for (f, list_has_rows, &one, "the contact to go");
  contacts = run_read (f, list_contacts_job, f->acme_id, (GDestroyNotify) g_ptr_array_unref);
  g_assert_cmpuint (contacts->len, ==, 1);
  g_clear_pointer (&contacts, g_ptr_array_unref);
  activity = run_read (f, get_activity_job, f->activity_id, (GDestroyNotify) kl_activity_free);
  g_assert_null (activity->contact_id);
  g_clear_pointer (&activity, kl_activity_free);

  wait_for (f, undo_offered, NULL, "the undo toast");
  undo = find_action_button (GTK_WIDGET (f->detail), "detail.undo");
  g_assert_true (gtk_widget_activate (undo));
  wait_for (f, list_has_rows, &two, "the contact to come back");
  contacts = run_read (f, list_contacts_job, f->acme_id, (GDestroyNotify) g_ptr_array_unref);
  g_assert_cmpuint (contacts->len, ==, 2);
  activity = run_read (f, get_activity_job, f->activity_id, (GDestroyNotify) kl_activity_free);
  g_assert_cmpstr (activity->contact_id, ==, f->contact_id);
}

static void
test_agreement_errors (Fixture *f, gconstpointer data)
{
  GtkWidget *editor;
  GtkWidget *from_row;
  GtkWidget *dispatch_target = NULL;
  g_autoptr(GPtrArray) agreements = NULL;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->detail), "agreement.add", NULL));
  wait_for (f, kl_test_toplevel_open, GSIZE_TO_POINTER (KL_TYPE_AGREEMENT_EDITOR), "the agreement editor");
  editor = GTK_WIDGET (kl_test_find_toplevel (KL_TYPE_AGREEMENT_EDITOR));
  from_row = kl_test_must_find (editor, "from_row");

  /* The first target row is dispatch on time. */
  dispatch_target = kl_test_find_first_of_type (kl_test_must_find (editor, "targets_group"), ADW_TYPE_ENTRY_ROW);
  g_assert_true (ADW_IS_ENTRY_ROW (dispatch_target));

  gtk_editable_set_text (GTK_EDITABLE (from_row), "2025-02-30");
  gtk_editable_set_text (GTK_EDITABLE (dispatch_target), "150");
  g_assert_true (gtk_widget_activate_action (editor, "editor.save", NULL));
  g_assert_true (gtk_widget_has_css_class (from_row, "error"));
  g_assert_true (gtk_widget_has_css_class (dispatch_target, "error"));

  /* Good values, but the period overlaps the agreement in force. */
  gtk_editable_set_text (GTK_EDITABLE (from_row), "2025-01-01");
  gtk_editable_set_text (GTK_EDITABLE (dispatch_target), "97,5");
  g_assert_true (gtk_widget_activate_action (editor, "editor.save", NULL));
  g_assert_false (gtk_widget_has_css_class (dispatch_target, "error"));
  wait_for (f, has_error_style, from_row, "the store's refusal of an overlapping period");

  agreements = run_read (f, list_agreements_job, f->acme_id, (GDestroyNotify) g_ptr_array_unref);
  g_assert_cmpuint (agreements->len, ==, 1);
}

static gboolean
activity_done_is (Fixture *f, gconstpointer expected)
{
  g_autoptr(KlActivity) a = run_read (f, get_activity_job, f->activity_id, (GDestroyNotify) kl_activity_free);

  return a->done == GPOINTER_TO_INT (expected);
}

static gboolean
press_delete (GtkWidget *list)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (list);
  gboolean handled = FALSE;

  for (guint i = 0; i < g_list_model_get_n_items (controllers) && !handled; i++)
    {
      g_autoptr(GtkEventController) c = g_list_model_get_item (controllers, i);

      if (GTK_IS_EVENT_CONTROLLER_KEY (c))
        g_signal_emit_by_name (c, "key-pressed", GDK_KEY_Delete, 0, (GdkModifierType) 0, &handled);
    }
  return handled;
}

static void
test_activities (Fixture *f, gconstpointer data)
{
  static const RowCount none = { "activities_list", 0 };
  static const RowCount one = { "activities_list", 1 };
  GtkWidget *detail = GTK_WIDGET (f->detail);
  GtkWidget *list = kl_test_must_find (detail, "activities_list");
  g_autoptr(KlActivity) restored = NULL;

  /* The done box flips the flag in the workspace. */
  g_assert_true (gtk_widget_activate_action (detail, "activity.toggle-done", "s", f->activity_id));
  wait_for (f, activity_done_is, GINT_TO_POINTER (TRUE), "the activity to be done");
  wait_for (f, list_has_rows, &one, "the list to reload");

  /* Delete on the focused row deletes it; the toast brings it back. */
  adw_view_stack_set_visible_child_name (ADW_VIEW_STACK (kl_test_must_find (detail, "view_stack")), "activity");
  kl_test_iterate_pending ();
  g_assert_true (gtk_widget_grab_focus (gtk_widget_get_first_child (list)));
  g_assert_true (press_delete (list));
  wait_for (f, list_has_rows, &none, "the activity to go");
  wait_for (f, undo_offered, NULL, "the undo toast");
  g_assert_true (gtk_widget_activate (find_action_button (detail, "detail.undo")));
  wait_for (f, list_has_rows, &one, "the activity to come back");
  restored = run_read (f, get_activity_job, f->activity_id, (GDestroyNotify) kl_activity_free);
  g_assert_cmpstr (restored->subject, ==, "Quarterly review call");
  g_assert_true (restored->done);
}

static void
test_delete_customer (Fixture *f, gconstpointer data)
{
  GtkWidget *detail = GTK_WIDGET (f->detail);
  g_autoptr(KlCustomer) c = NULL;

  g_assert_true (gtk_widget_activate_action (detail, "customer.delete", NULL));
  wait_for (f, stack_shows, "deleted", "the deleted state");
  g_assert_cmpuint (f->n_changed, ==, 1);
  g_assert_cmpstr (f->changed_id, ==, f->acme_id);
  c = run_read (f, get_customer_job, f->acme_id, (GDestroyNotify) kl_customer_free);
  g_assert_true (c->deleted);
  g_clear_pointer (&c, kl_customer_free);

  wait_for (f, undo_offered, NULL, "the undo toast");
  g_assert_true (gtk_widget_activate (find_action_button (detail, "detail.undo")));
  wait_for (f, shows_customer, "Acme Logistics", "the restored customer");
  g_assert_cmpuint (f->n_changed, ==, 2);
  c = run_read (f, get_customer_job, f->acme_id, (GDestroyNotify) kl_customer_free);
  g_assert_false (c->deleted);
}

/* The record editors' shared save flow, through an editor of its own that
 * saves strings: a field problem stops the save, a refusal is shown in the
 * dialog and leaves it open, a save emits "saved" and closes. */

#define TEST_TYPE_STRING_EDITOR (test_string_editor_get_type ())
G_DECLARE_FINAL_TYPE (TestStringEditor, test_string_editor, TEST, STRING_EDITOR, KlRecordEditor)

struct _TestStringEditor {
  KlRecordEditor parent_instance;

  GtkLabel      *message;
  const char    *next;          /* what collect returns; NULL: a field problem */
  guint          n_collected;
  guint          n_cleared;
};

G_DEFINE_FINAL_TYPE (TestStringEditor, test_string_editor, KL_TYPE_RECORD_EDITOR)

static void
string_editor_clear_errors (KlRecordEditor *editor)
{
  TEST_STRING_EDITOR (editor)->n_cleared++;
}

static gpointer
string_editor_collect (KlRecordEditor *editor)
{
  TestStringEditor *self = TEST_STRING_EDITOR (editor);

  self->n_collected++;
  return g_strdup (self->next);
}

/* On the worker. */
static char *
string_editor_save (KlDatabase  *db,
                    gpointer     record,
                    GError     **error)
{
  g_assert_false (g_main_context_is_owner (g_main_context_default ()));
  if (g_strcmp0 (record, "refuse") == 0)
    {
      g_set_error_literal (error, KL_DATABASE_ERROR, KL_DATABASE_ERROR_CONSTRAINT, "refused by the store");
      return NULL;
    }
  return g_strdup_printf ("id-%s", (const char *) record);
}

static void
test_string_editor_class_init (TestStringEditorClass *klass)
{
  KlRecordEditorClass *editor_class = KL_RECORD_EDITOR_CLASS (klass);

  editor_class->clear_errors = string_editor_clear_errors;
  editor_class->collect = string_editor_collect;
  editor_class->save = string_editor_save;
  editor_class->record_free = g_free;
}

static void
test_string_editor_init (TestStringEditor *self)
{
  self->message = GTK_LABEL (gtk_label_new (NULL));
  gtk_widget_set_visible (GTK_WIDGET (self->message), FALSE);
  adw_window_set_content (ADW_WINDOW (self), GTK_WIDGET (self->message));
  kl_record_editor_set_message_label (KL_RECORD_EDITOR (self), self->message);
}

static gboolean
message_shown (Fixture *f, gconstpointer editor)
{
  return gtk_widget_get_visible (GTK_WIDGET (TEST_STRING_EDITOR ((gpointer) editor)->message));
}

static void
on_string_saved (KlRecordEditor *editor,
                 const char     *id,
                 char          **out_id)
{
  g_free (*out_id);
  *out_id = g_strdup (id);
}

static void
test_record_editor_save_flow (Fixture *f, gconstpointer data)
{
  TestStringEditor *editor = g_object_new (TEST_TYPE_STRING_EDITOR, "worker", f->worker, NULL);
  g_autofree char *saved_id = NULL;

  g_signal_connect (editor, "saved", G_CALLBACK (on_string_saved), &saved_id);
  gtk_window_present (GTK_WINDOW (editor));

  /* Not ready (still loading): nothing is collected. */
  kl_record_editor_set_ready (KL_RECORD_EDITOR (editor), FALSE);
  gtk_widget_activate_action (GTK_WIDGET (editor), "editor.save", NULL);
  g_assert_cmpuint (editor->n_collected, ==, 0);
  kl_record_editor_set_ready (KL_RECORD_EDITOR (editor), TRUE);

  /* A field problem: errors were cleared first, nothing runs. */
  editor->next = NULL;
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "editor.save", NULL));
  g_assert_cmpuint (editor->n_cleared, ==, 1);
  g_assert_cmpuint (editor->n_collected, ==, 1);
  g_assert_null (saved_id);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (editor->message)));

  /* The store refuses: the dialog says why and stays open. */
  editor->next = "refuse";
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "editor.save", NULL));
  /* A second Ctrl+S while the first save runs does nothing. */
  gtk_widget_activate_action (GTK_WIDGET (editor), "editor.save", NULL);
  wait_for (f, message_shown, editor, "the refusal in the dialog");
  g_assert_cmpuint (editor->n_collected, ==, 2);
  g_assert_cmpstr (gtk_label_get_text (editor->message), ==, "refused by the store");
  g_assert_null (saved_id);
  g_assert_true (kl_test_toplevel_open (f, GSIZE_TO_POINTER (TEST_TYPE_STRING_EDITOR)));

  /* Saved: "saved" with the id, the message gone, the window closed. */
  editor->next = "ok";
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "editor.save", NULL));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (editor->message)));
  wait_for (f, kl_test_toplevel_closed, GSIZE_TO_POINTER (TEST_TYPE_STRING_EDITOR), "the editor to close");
  g_assert_cmpstr (saved_id, ==, "id-ok");
}

static void
test_parse_percent (void)
{
  double v = 0;

  g_assert_true (kl_agreement_editor_parse_percent ("98.5", &v));
  g_assert_cmpfloat_with_epsilon (v, 0.985, 1e-9);
  g_assert_true (kl_agreement_editor_parse_percent (" 97,5 % ", &v));
  g_assert_cmpfloat_with_epsilon (v, 0.975, 1e-9);
  g_assert_true (kl_agreement_editor_parse_percent ("100", &v));
  g_assert_false (kl_agreement_editor_parse_percent ("100.1", &v));
  g_assert_false (kl_agreement_editor_parse_percent ("-1", &v));
  g_assert_false (kl_agreement_editor_parse_percent ("abc", &v));
  g_assert_false (kl_agreement_editor_parse_percent ("", &v));
}

int
main (int argc, char *argv[])
{
  g_setenv ("TZ", "UTC", TRUE);
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/customer-detail/overview", test_overview);
  ADD ("/customer-detail/edit-customer", test_edit_customer);
  ADD ("/customer-detail/invalid-code", test_invalid_code);
  ADD ("/customer-detail/contacts", test_contacts);
  ADD ("/customer-detail/agreement-errors", test_agreement_errors);
  ADD ("/customer-detail/activities", test_activities);
  ADD ("/customer-detail/delete-customer", test_delete_customer);
  ADD ("/customer-detail/record-editor-save-flow", test_record_editor_save_flow);
#undef ADD
  g_test_add_func ("/customer-detail/parse-percent", test_parse_percent);
  return g_test_run ();
}
