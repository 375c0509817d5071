/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The Claims & Returns page on a demo workspace: the list's order and
 * filters, a new damage case opened through the editor and moved through
 * its lifecycle with the detail's buttons, documents, notes, and a
 * customer's cases. With KEYLINE_SCREENSHOT_DIR set, one more case renders the
 * page to PNG files there (to look at, not to assert). */
#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <string.h>

#include "kl-claims-page.h"
#include "kl-claim-detail.h"
#include "kl-claim-editor.h"
#include "kl-claim-move-dialog.h"
#include "kl-claim-row.h"
#include "kl-customer-cases.h"
#include "kl-claim-store.h"
#include "kl-customer-store.h"
#include "kl-shipment-store.h"
#include "kl-test-gui-util.h"

#define WAIT_SECONDS 20
#define UNKNOWN_WAYBILL "SF-TEST-404"

typedef struct {
  char         *dir;
  char         *path;
  KlWorker     *worker;
  GtkWindow    *window;
  KlClaimsPage *page;
  char         *customer_id;     /* a demo customer */
  char         *customer_name;
  char         *known_waybill;   /* a shipment of customer_id */
  guint         n_case_activated;
  guint         n_new_case;
  char         *signalled_id;
} Fixture;

/* Waiting: conditions take the fixture. */

#define wait_for(f, condition, data, what) \
  kl_test_wait_for ((f), KL_TEST_CONDITION (condition), (data), (what), WAIT_SECONDS)

/* Finding widgets */

/* A visible button whose label is label (mnemonic underscores ignored). */
static GtkWidget *
find_button (GtkWidget  *root,
             const char *label)
{
  if (GTK_IS_BUTTON (root) && gtk_widget_get_visible (root) && gtk_button_get_label (GTK_BUTTON (root)) != NULL)
    {
      g_autoptr(GString) plain = g_string_new (gtk_button_get_label (GTK_BUTTON (root)));

      g_string_replace (plain, "_", "", 0);
      if (g_strcmp0 (plain->str, label) == 0)
        return root;
    }
  for (GtkWidget *child = gtk_widget_get_first_child (root); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_button (child, label);
      if (found != NULL)
        return found;
    }
  return NULL;
}

static GtkWidget *
must_find_button (GtkWidget  *root,
                  const char *label)
{
  GtkWidget *w = find_button (root, label);

  if (w == NULL)
    g_error ("No button “%s” under %s", label, G_OBJECT_TYPE_NAME (root));
  return w;
}

static GtkWidget *
detail (Fixture *f)
{
  return kl_claims_page_get_detail (f->page);
}

static const char *
detail_label (Fixture    *f,
              const char *id)
{
  return gtk_label_get_text (GTK_LABEL (kl_test_must_find (detail (f), id)));
}

static guint
history_length (Fixture *f)
{
  return kl_test_count_rows (kl_test_must_find (detail (f), "history_list"), TRUE);
}

/* Conditions */

static gboolean
list_loaded (Fixture *f, gconstpointer data)
{
  return !kl_claims_page_get_loading (f->page) &&
         g_list_model_get_n_items (kl_claims_page_get_model (f->page)) > 0;
}

static gboolean
list_idle (Fixture *f, gconstpointer data)
{
  return !kl_claims_page_get_loading (f->page);
}

static gboolean
widget_sensitive (Fixture *f, gconstpointer widget)
{
  return gtk_widget_get_sensitive (GTK_WIDGET (widget));
}

static gboolean
widget_visible (Fixture *f, gconstpointer widget)
{
  return gtk_widget_get_visible (GTK_WIDGET (widget));
}

static gboolean
shows_status (Fixture *f, gconstpointer status)
{
  GtkStack *stack = GTK_STACK (kl_test_must_find (detail (f), "main_stack"));

  return g_strcmp0 (gtk_stack_get_visible_child_name (stack), "case") == 0 &&
         g_strcmp0 (detail_label (f, "status_label"), status) == 0;
}

static gboolean
history_has (Fixture *f, gconstpointer n)
{
  return history_length (f) == GPOINTER_TO_UINT (n);
}

static gboolean
notes_have (Fixture *f, gconstpointer n)
{
  return kl_test_count_rows (kl_test_must_find (detail (f), "notes_list"), TRUE) == GPOINTER_TO_UINT (n);
}

/* Reading the workspace back through the worker */

static gpointer
run_read (Fixture *f, KlWorkerFunc func, const char *id, GDestroyNotify result_free)
{
  return kl_test_worker_read (f->worker, func, g_strdup (id), g_free, result_free, WAIT_SECONDS);
}

static gpointer
get_claim_job (KlDatabase *db, gpointer data, KlWorkerJob *job, GError **error)
{
  return kl_claim_store_get (db, data, g_get_real_time () / G_USEC_PER_SEC, error);
}

static gpointer
notes_job (KlDatabase *db, gpointer data, KlWorkerJob *job, GError **error)
{
  return kl_claim_store_notes (db, data, FALSE, error);
}

static gpointer
customer_claims_job (KlDatabase *db, gpointer data, KlWorkerJob *job, GError **error)
{
  KlClaimFilter filter = KL_CLAIM_FILTER_INIT;

  filter.customer_id = data;
  return kl_claim_store_list (db, &filter, g_get_real_time () / G_USEC_PER_SEC, error);
}

/* Fixture */

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KlDatabase) db = NULL;
  g_autoptr(GPtrArray) customers = NULL;
  g_autoptr(GPtrArray) shipments = NULL;
  KlCustomerFilter filter = KL_CUSTOMER_FILTER_INIT;

  f->dir = kl_test_make_tmp_dir ("keyline-claims-XXXXXX");
  f->path = g_build_filename (f->dir, "workspace.db", NULL);
  db = kl_test_create_demo_workspace (f->path, 8, 1, 0);

  /* A customer with a delivered shipment, for the new case. */
  customers = kl_customer_store_list (db, &filter, 0, -1, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < customers->len && f->known_waybill == NULL; i++)
    {
      const KlCustomer *c = g_ptr_array_index (customers, i);

      g_clear_pointer (&shipments, g_ptr_array_unref);
      shipments = kl_shipment_store_list (db, c->id, 0, G_MAXINT64, 1, &error);
      g_assert_no_error (error);
      if (shipments->len == 0)
        continue;
      f->customer_id = g_strdup (c->id);
      f->customer_name = g_strdup (c->name);
      f->known_waybill = g_strdup (((KlShipment *) g_ptr_array_index (shipments, 0))->waybill);
    }
  g_assert_nonnull (f->known_waybill);

  f->worker = kl_worker_new (g_steal_pointer (&db));

  f->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (f->window, 1280, 860);
  f->page = KL_CLAIMS_PAGE (kl_claims_page_new ());
  gtk_window_set_child (f->window, GTK_WIDGET (f->page));
  gtk_window_present (f->window);
  kl_claims_page_set_worker (f->page, f->worker);
  wait_for (f, list_loaded, NULL, "the case list");
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  kl_test_close_workspace (&f->worker, &f->dir);
  g_free (f->path);
  g_free (f->customer_id);
  g_free (f->customer_name);
  g_free (f->known_waybill);
  g_free (f->signalled_id);
}

/* Helpers for the lifecycle */

/* A click: "clicked" at once (gtk_widget_activate () on a button clicks
 * only after its press animation). */
static void
press (GtkWidget *button)
{
  g_assert_true (GTK_IS_BUTTON (button));
  g_assert_true (gtk_widget_is_sensitive (button));
  g_signal_emit_by_name (button, "clicked");
}

/* Presses the detail's button for a move and, when the move asks, returns
 * its dialog. */
static KlClaimMoveDialog *
press_move (Fixture    *f,
            const char *label)
{
  press (must_find_button (kl_test_must_find (detail (f), "moves_box"), label));
  if (!g_str_has_suffix (label, "…"))
    return NULL;
  wait_for (f, kl_test_toplevel_open, GSIZE_TO_POINTER (KL_TYPE_CLAIM_MOVE_DIALOG), "the move dialog");
  return KL_CLAIM_MOVE_DIALOG (kl_test_find_toplevel (KL_TYPE_CLAIM_MOVE_DIALOG));
}

static void
move_and_check (Fixture    *f,
                const char *label,
                const char *status)
{
  guint before = history_length (f);

  press_move (f, label);
  wait_for (f, shows_status, status, status);
  wait_for (f, history_has, GUINT_TO_POINTER (before + 1), "one more history entry");
}

static gboolean
moves_offered (Fixture    *f,
               const char *label)
{
  return find_button (kl_test_must_find (detail (f), "moves_box"), label) != NULL;
}

static void
tick_document (Fixture         *f,
               KlClaimDocument  doc)
{
  GtkWidget *documents = kl_test_must_find (detail (f), "documents_group");
  GtkWidget *row = NULL;
  guint before = history_length (f);

  /* The rows are named after the documents' API tokens. */
  for (GtkWidget *w = documents; w != NULL;)
    {
      if (ADW_IS_ACTION_ROW (w) && g_strcmp0 (gtk_widget_get_name (w), kl_claim_document_to_string (doc)) == 0)
        {
          row = w;
          break;
        }
      /* depth-first walk */
      if (gtk_widget_get_first_child (w) != NULL)
        w = gtk_widget_get_first_child (w);
      else
        {
          while (w != documents && gtk_widget_get_next_sibling (w) == NULL)
            w = gtk_widget_get_parent (w);
          w = w == documents ? NULL : gtk_widget_get_next_sibling (w);
        }
    }
  g_assert_nonnull (row);
  /* Activating the row toggles its check box, as a click or Space would. */
  gtk_widget_activate (row);
  wait_for (f, history_has, GUINT_TO_POINTER (before + 1), "the document's history entry");
}

/* Tests */

static void
test_list_order (Fixture *f, gconstpointer data)
{
  GListModel *model = kl_claims_page_get_model (f->page);
  guint n = g_list_model_get_n_items (model);
  gboolean seen_on_time = FALSE;
  guint n_overdue = 0;
  g_autoptr(KlClaimItem) first = g_list_model_get_item (model, 0);
  GtkWidget *overdue_switch = kl_test_must_find (GTK_WIDGET (f->page), "overdue_switch");
  GtkWidget *search = kl_test_must_find (GTK_WIDGET (f->page), "search_entry");
  g_autofree char *number = NULL;
  gint64 previous_due = G_MININT64;

  g_assert_cmpuint (n, >, 20);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(KlClaimItem) item = g_list_model_get_item (model, i);
      const KlClaim *c = kl_claim_item_get_claim (item);

      if (c->overdue)
        {
          g_assert_false (seen_on_time);
          n_overdue++;
        }
      else
        {
          gint64 due = c->next_due == KL_NO_TIME ? G_MAXINT64 : c->next_due;

          /* After the overdue ones: the nearest deadline first. */
          if (seen_on_time)
            g_assert_cmpint (due, >=, previous_due);
          previous_due = due;
          seen_on_time = TRUE;
        }
    }
  g_assert_cmpuint (n_overdue, >, 0);
  g_assert_true (kl_claim_item_get_claim (first)->overdue);

  /* The first row says so in the error colour. */
  {
    g_autofree char *text = kl_claim_row_deadline_text (kl_claim_item_get_claim (first),
                                                        kl_claim_item_get_now (first),
                                                        kl_claim_item_get_tz (first), FALSE);
    g_assert_true (g_str_has_prefix (text, "Overdue"));
  }

  /* Overdue only */
  gtk_switch_set_active (GTK_SWITCH (overdue_switch), TRUE);
  wait_for (f, list_idle, NULL, "the overdue list");
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, n_overdue);
  g_assert_true (gtk_widget_get_visible (kl_test_must_find (GTK_WIDGET (f->page), "filter_bar")));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "claims.clear-filters", NULL));
  wait_for (f, list_idle, NULL, "the whole list again");
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, n);

  /* Kind */
  gtk_drop_down_set_selected (GTK_DROP_DOWN (kl_test_must_find (GTK_WIDGET (f->page), "kind_dropdown")),
                              1 + KL_CLAIM_KIND_RETURN);
  wait_for (f, list_idle, NULL, "the returns");
  g_assert_cmpuint (g_list_model_get_n_items (model), >, 0);
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(KlClaimItem) item = g_list_model_get_item (model, i);
      g_assert_cmpint (kl_claim_item_get_claim (item)->kind, ==, KL_CLAIM_KIND_RETURN);
    }
  gtk_widget_activate_action (GTK_WIDGET (f->page), "claims.clear-filters", NULL);
  wait_for (f, list_idle, NULL, "the whole list again");

  /* Search by number */
  number = g_strdup (kl_claim_item_get_claim (first)->number);
  gtk_editable_set_text (GTK_EDITABLE (search), number);
  g_signal_emit_by_name (search, "search-changed");
  wait_for (f, list_idle, NULL, "the search");
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 1);

  /* Selecting it shows it. */
  kl_claims_page_select (f->page, 0);
  {
    const char *status = kl_claim_status_to_label (kl_claim_item_get_claim (first)->status);
    wait_for (f, shows_status, status, "the selected case");
  }
  g_assert_cmpstr (detail_label (f, "number_label"), ==, number);
  g_assert_true (gtk_widget_has_css_class (kl_test_must_find (detail (f), "deadline_label"), "error"));

  /* The page's actions */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "claims.search", NULL));
  g_assert_true (gtk_widget_has_focus (search) || gtk_widget_is_ancestor (gtk_root_get_focus (GTK_ROOT (f->window)), search));
}

static void
test_lifecycle (Fixture *f, gconstpointer data)
{
  GtkWindow *editor;
  GtkWidget *customer_dropdown;
  GtkWidget *status_row;
  KlClaimMoveDialog *dialog;
  GtkWidget *amount_row;
  GListModel *customers;
  guint customer_position = GTK_INVALID_LIST_POSITION;
  g_autoptr(KlClaim) stored = NULL;
  g_autoptr(GPtrArray) notes = NULL;
  g_autofree char *claim_id = NULL;
  guint n;

  /* Open the case through the page's editor. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "claims.new-case", NULL));
  wait_for (f, kl_test_toplevel_open, GSIZE_TO_POINTER (KL_TYPE_CLAIM_EDITOR), "the new-case editor");
  editor = kl_test_find_toplevel (KL_TYPE_CLAIM_EDITOR);
  customer_dropdown = kl_test_must_find (GTK_WIDGET (editor), "customer_dropdown");
  wait_for (f, widget_sensitive, customer_dropdown, "the customers in the editor");
  customers = gtk_drop_down_get_model (GTK_DROP_DOWN (customer_dropdown));
  for (guint i = 0; i < g_list_model_get_n_items (customers); i++)
    {
      g_autoptr(GtkStringObject) s = g_list_model_get_item (customers, i);
      if (g_str_has_prefix (gtk_string_object_get_string (s), f->customer_name))
        customer_position = i;
    }
  g_assert_cmpuint (customer_position, !=, GTK_INVALID_LIST_POSITION);

  /* Without a customer the editor says so at the field. */
  press (kl_test_must_find (GTK_WIDGET (editor), "create_button"));
  g_assert_true (gtk_widget_get_visible (kl_test_must_find (GTK_WIDGET (editor), "customer_error")));
  g_assert_nonnull (kl_test_find_toplevel (KL_TYPE_CLAIM_EDITOR));

  gtk_drop_down_set_selected (GTK_DROP_DOWN (customer_dropdown), customer_position);
  adw_combo_row_set_selected (ADW_COMBO_ROW (kl_test_must_find (GTK_WIDGET (editor), "kind_row")),
                              KL_CLAIM_KIND_DAMAGE);
  gtk_editable_set_text (GTK_EDITABLE (kl_test_must_find (GTK_WIDGET (editor), "waybill_row")), UNKNOWN_WAYBILL);
  status_row = kl_test_must_find (GTK_WIDGET (editor), "waybill_status_row");
  wait_for (f, widget_visible, status_row, "the waybill lookup");
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (status_row)), ==, "Waybill not on record");
  gtk_editable_set_text (GTK_EDITABLE (kl_test_must_find (GTK_WIDGET (editor), "amount_row")), "1200.505");
  gtk_editable_set_text (GTK_EDITABLE (kl_test_must_find (GTK_WIDGET (editor), "description_row")),
                         "3 cartons crushed on arrival");
  press (kl_test_must_find (GTK_WIDGET (editor), "create_button"));
  /* Three decimals in CNY: refused at the field. */
  g_assert_true (gtk_widget_get_visible (kl_test_must_find (GTK_WIDGET (editor), "amount_error")));
  gtk_editable_set_text (GTK_EDITABLE (kl_test_must_find (GTK_WIDGET (editor), "amount_row")), "1200.50");
  press (kl_test_must_find (GTK_WIDGET (editor), "create_button"));
  wait_for (f, kl_test_toplevel_closed, GSIZE_TO_POINTER (KL_TYPE_CLAIM_EDITOR), "the editor to close");

  /* The page shows the new case, filed, with its opening in the history. */
  wait_for (f, shows_status, "Filed", "the new case");
  g_assert_cmpuint (history_length (f), ==, 1);
  g_assert_true (g_str_has_prefix (detail_label (f, "number_label"), "CLM-"));
  g_assert_true (gtk_widget_get_visible (kl_test_must_find (detail (f), "unknown_row")));
  claim_id = g_strdup (kl_claim_detail_get_claim (KL_CLAIM_DETAIL (detail (f)))->id);
  wait_for (f, list_idle, NULL, "the list to take the new case");

  /* Only the lifecycle's moves are offered; others are refused in words. */
  g_assert_true (moves_offered (f, "Acknowledge"));
  g_assert_true (moves_offered (f, "Withdraw…"));
  g_assert_false (moves_offered (f, "Approve…"));
  g_assert_false (moves_offered (f, "Close"));
  gtk_widget_activate_action (detail (f), "claim.move", "s", "paid");
  wait_for (f, kl_test_toplevel_open, GSIZE_TO_POINTER (ADW_TYPE_MESSAGE_DIALOG), "the refusal");
  {
    AdwMessageDialog *refusal = ADW_MESSAGE_DIALOG (kl_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG));

    g_assert_nonnull (strstr (adw_message_dialog_get_body (refusal), "Filed"));
    g_assert_nonnull (strstr (adw_message_dialog_get_body (refusal), "Acknowledged"));
    press (must_find_button (GTK_WIDGET (refusal), "OK"));
  }
  wait_for (f, kl_test_toplevel_closed, GSIZE_TO_POINTER (ADW_TYPE_MESSAGE_DIALOG), "the refusal to close");
  g_assert_cmpuint (history_length (f), ==, 1);

  move_and_check (f, "Acknowledge", "Acknowledged");
  move_and_check (f, "Investigate", "Investigating");

  /* Approval asks for the documents first. */
  dialog = press_move (f, "Approve…");
  g_assert_true (gtk_widget_get_visible (kl_test_must_find (GTK_WIDGET (dialog), "docs_notice")));
  g_assert_false (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (dialog), "move"));
  press (must_find_button (GTK_WIDGET (dialog), "Cancel"));
  wait_for (f, kl_test_toplevel_closed, GSIZE_TO_POINTER (KL_TYPE_CLAIM_MOVE_DIALOG), "the dialog to close");
  g_assert_true (shows_status (f, "Investigating"));

  tick_document (f, KL_CLAIM_DOCUMENT_PROOF_OF_DELIVERY);
  tick_document (f, KL_CLAIM_DOCUMENT_COMMERCIAL_INVOICE);
  tick_document (f, KL_CLAIM_DOCUMENT_PHOTOS);
  stored = run_read (f, get_claim_job, claim_id, (GDestroyNotify) kl_claim_free);
  g_assert_cmpuint (stored->documents, ==,
                    KL_CLAIM_DOCUMENT_BIT (KL_CLAIM_DOCUMENT_PROOF_OF_DELIVERY) |
                    KL_CLAIM_DOCUMENT_BIT (KL_CLAIM_DOCUMENT_COMMERCIAL_INVOICE) |
                    KL_CLAIM_DOCUMENT_BIT (KL_CLAIM_DOCUMENT_PHOTOS));
  g_clear_pointer (&stored, kl_claim_free);

  /* Approve less than claimed; the amount is asked for and checked. */
  n = history_length (f);
  dialog = press_move (f, "Approve…");
  g_assert_false (gtk_widget_get_visible (kl_test_must_find (GTK_WIDGET (dialog), "docs_notice")));
  amount_row = kl_test_must_find (GTK_WIDGET (dialog), "amount_row");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (amount_row)), ==, "1200.50");
  g_assert_false (gtk_widget_get_visible (kl_test_must_find (GTK_WIDGET (dialog), "reason_row")));
  gtk_editable_set_text (GTK_EDITABLE (amount_row), "5000");
  g_assert_false (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (dialog), "move"));
  g_assert_true (gtk_widget_get_visible (kl_test_must_find (GTK_WIDGET (dialog), "message_label")));
  gtk_editable_set_text (GTK_EDITABLE (amount_row), "1000");
  press (must_find_button (GTK_WIDGET (dialog), "Approve"));
  wait_for (f, shows_status, "Approved", "Approved");
  wait_for (f, history_has, GUINT_TO_POINTER (n + 1), "the approval in the history");
  {
    /* Shown grouped the locale's way (gtk_test_init picks en_US.UTF-8 where
     * it is installed): compare the digits. */
    g_auto(GStrv) groups = g_strsplit (detail_label (f, "approved_value"), ",", -1);
    g_autofree char *digits = g_strjoinv ("", groups);

    g_assert_true (g_str_has_prefix (digits, "1000.00"));
  }

  n = history_length (f);
  dialog = press_move (f, "Mark Paid…");
  amount_row = kl_test_must_find (GTK_WIDGET (dialog), "amount_row");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (amount_row)), ==, "1000.00");
  press (must_find_button (GTK_WIDGET (dialog), "Mark Paid"));
  wait_for (f, shows_status, "Paid", "Paid");
  wait_for (f, history_has, GUINT_TO_POINTER (n + 1), "the payment in the history");

  move_and_check (f, "Close", "Closed");
  g_assert_true (moves_offered (f, "Reopen…"));
  g_assert_false (moves_offered (f, "Close"));

  /* Notes: one for the client, one internal. */
  gtk_editable_set_text (GTK_EDITABLE (kl_test_must_find (detail (f), "note_entry")), "Paid in full; thank you");
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (kl_test_must_find (detail (f), "client_toggle")), TRUE);
  g_signal_emit_by_name (kl_test_must_find (detail (f), "note_entry"), "apply");
  wait_for (f, notes_have, GUINT_TO_POINTER (1), "the client note");
  gtk_editable_set_text (GTK_EDITABLE (kl_test_must_find (detail (f), "note_entry")), "Carrier to be charged back");
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (kl_test_must_find (detail (f), "internal_toggle")), TRUE);
  g_signal_emit_by_name (kl_test_must_find (detail (f), "note_entry"), "apply");
  wait_for (f, notes_have, GUINT_TO_POINTER (2), "the internal note");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (kl_test_must_find (detail (f), "note_entry"))), ==, "");
  notes = run_read (f, notes_job, claim_id, (GDestroyNotify) g_ptr_array_unref);
  g_assert_cmpuint (notes->len, ==, 2);
  g_assert_cmpint (((KlClaimNote *) g_ptr_array_index (notes, 0))->visibility, ==, KL_CLAIM_NOTE_CLIENT);
  g_assert_cmpstr (((KlClaimNote *) g_ptr_array_index (notes, 0))->text, ==, "Paid in full; thank you");
  g_assert_cmpint (((KlClaimNote *) g_ptr_array_index (notes, 1))->visibility, ==, KL_CLAIM_NOTE_INTERNAL);

  /* What the store holds is what was shown. */
  stored = run_read (f, get_claim_job, claim_id, (GDestroyNotify) kl_claim_free);
  g_assert_cmpint (stored->status, ==, KL_CLAIM_STATUS_CLOSED);
  g_assert_true (stored->approved_set);
  g_assert_cmpint (stored->approved, ==, 100000);
  g_assert_cmpint (stored->paid, ==, 100000);
  g_assert_cmpint (stored->claimed, ==, 120050);
  g_assert_cmpstr (stored->waybill, ==, UNKNOWN_WAYBILL);
  g_assert_false (stored->shipment_known);

  /* The list has the case, closed. */
  wait_for (f, list_idle, NULL, "the list");
  {
    GListModel *model = kl_claims_page_get_model (f->page);
    gboolean found = FALSE;

    for (guint i = 0; i < g_list_model_get_n_items (model); i++)
      {
        g_autoptr(KlClaimItem) item = g_list_model_get_item (model, i);

        if (g_strcmp0 (kl_claim_item_get_id (item), claim_id) == 0)
          {
            found = TRUE;
            g_assert_cmpint (kl_claim_item_get_claim (item)->status, ==, KL_CLAIM_STATUS_CLOSED);
          }
      }
    g_assert_true (found);
  }
}

static void
test_new_case_from_shipment (Fixture *f, gconstpointer data)
{
  GtkWindow *editor;
  GtkWidget *customer_dropdown;
  GtkWidget *status_row;
  GListModel *customers;

  kl_claims_page_new_case (f->page, NULL, f->known_waybill);
  wait_for (f, kl_test_toplevel_open, GSIZE_TO_POINTER (KL_TYPE_CLAIM_EDITOR), "the new-case editor");
  editor = kl_test_find_toplevel (KL_TYPE_CLAIM_EDITOR);
  customer_dropdown = kl_test_must_find (GTK_WIDGET (editor), "customer_dropdown");
  status_row = kl_test_must_find (GTK_WIDGET (editor), "waybill_status_row");
  wait_for (f, widget_sensitive, customer_dropdown, "the customers in the editor");
  wait_for (f, widget_visible, status_row, "the waybill lookup");
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (status_row)), ==, "Shipment on record");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (kl_test_must_find (GTK_WIDGET (editor), "waybill_row"))), ==,
                   f->known_waybill);
  /* The shipment's customer is chosen. */
  customers = gtk_drop_down_get_model (GTK_DROP_DOWN (customer_dropdown));
  {
    g_autoptr(GtkStringObject) chosen =
      g_list_model_get_item (customers, gtk_drop_down_get_selected (GTK_DROP_DOWN (customer_dropdown)));
    g_assert_true (g_str_has_prefix (gtk_string_object_get_string (chosen), f->customer_name));
  }

  /* A complaint asks for no amount. */
  adw_combo_row_set_selected (ADW_COMBO_ROW (kl_test_must_find (GTK_WIDGET (editor), "kind_row")),
                              KL_CLAIM_KIND_COMPLAINT);
  g_assert_false (gtk_widget_get_visible (kl_test_must_find (GTK_WIDGET (editor), "amount_group")));
  press (kl_test_must_find (GTK_WIDGET (editor), "create_button"));
  wait_for (f, kl_test_toplevel_closed, GSIZE_TO_POINTER (KL_TYPE_CLAIM_EDITOR), "the editor to close");
  wait_for (f, shows_status, "Open", "the new complaint");
  g_assert_true (g_str_has_prefix (detail_label (f, "number_label"), "CMP-"));
  /* The new case is selected in the list, and scrolled into view. */
  {
    GtkWidget *list = kl_test_must_find (GTK_WIDGET (f->page), "list_view");
    GtkWidget *selected = NULL;
    graphene_rect_t bounds;

    kl_test_wait_for_frames (list, 3);
    for (GtkWidget *child = gtk_widget_get_first_child (list); child != NULL;
         child = gtk_widget_get_next_sibling (child))
      if ((gtk_widget_get_state_flags (child) & GTK_STATE_FLAG_SELECTED) &&
          gtk_widget_get_child_visible (child) && gtk_widget_get_height (child) > 0)
        selected = child;
    g_assert_nonnull (selected);
    g_assert_true (gtk_widget_compute_bounds (selected, list, &bounds));
    g_test_message ("selected row at %.0f–%.0f of 0–%d", bounds.origin.y,
                    bounds.origin.y + bounds.size.height, gtk_widget_get_height (list));
    g_assert_cmpfloat (bounds.origin.y + bounds.size.height / 2, >=, 0);
    g_assert_cmpfloat (bounds.origin.y + bounds.size.height / 2, <=, gtk_widget_get_height (list));
  }
  g_assert_false (gtk_widget_get_visible (kl_test_must_find (detail (f), "unknown_row")));
  g_assert_true (gtk_widget_get_visible (kl_test_must_find (detail (f), "route_row")));
  g_assert_false (gtk_widget_get_visible (kl_test_must_find (detail (f), "amounts_group")));

  /* Resolving a complaint asks for the corrective action, and only that. */
  move_and_check (f, "Acknowledge", "Acknowledged");
  move_and_check (f, "Investigate", "Investigating");
  {
    KlClaimMoveDialog *dialog = press_move (f, "Resolve…");
    GtkWidget *corrective = kl_test_must_find (GTK_WIDGET (dialog), "corrective_row");
    guint n = history_length (f);

    g_assert_true (gtk_widget_get_visible (corrective));
    g_assert_false (gtk_widget_get_visible (kl_test_must_find (GTK_WIDGET (dialog), "amount_row")));
    g_assert_false (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (dialog), "move"));
    gtk_editable_set_text (GTK_EDITABLE (corrective), "Book the delivery slot before dispatch");
    press (must_find_button (GTK_WIDGET (dialog), "Resolve"));
    wait_for (f, shows_status, "Resolved", "Resolved");
    wait_for (f, history_has, GUINT_TO_POINTER (n + 1), "the resolution in the history");
  }
}

static void
on_case_activated (KlCustomerCases *cases, const char *id, Fixture *f)
{
  f->n_case_activated++;
  g_free (f->signalled_id);
  f->signalled_id = g_strdup (id);
}

static void
on_new_case (KlCustomerCases *cases, const char *id, Fixture *f)
{
  f->n_new_case++;
  g_free (f->signalled_id);
  f->signalled_id = g_strdup (id);
}

typedef struct {
  KlCustomerCases *cases;
  guint            n;
} CaseCount;

static gboolean
cases_listed (Fixture *f, gconstpointer data)
{
  const CaseCount *cc = data;

  return kl_customer_cases_get_n_cases (cc->cases) == cc->n;
}

static void
test_customer_cases (Fixture *f, gconstpointer data)
{
  GtkWindow *window = GTK_WINDOW (gtk_window_new ());
  KlCustomerCases *cases = KL_CUSTOMER_CASES (kl_customer_cases_new ());
  g_autoptr(GPtrArray) expected = run_read (f, customer_claims_job, f->customer_id,
                                            (GDestroyNotify) g_ptr_array_unref);
  CaseCount cc = { cases, expected->len };
  GtkWidget *list = kl_test_must_find (GTK_WIDGET (cases), "list");
  GtkWidget *first;

  gtk_window_set_child (window, GTK_WIDGET (cases));
  gtk_window_present (window);
  g_signal_connect (cases, "case-activated", G_CALLBACK (on_case_activated), f);
  g_signal_connect (cases, "new-case", G_CALLBACK (on_new_case), f);
  kl_customer_cases_set_worker (cases, f->worker);
  g_assert_false (gtk_widget_activate_action (GTK_WIDGET (cases), "cases.new", NULL) && f->n_new_case > 0);
  kl_customer_cases_set_customer_id (cases, f->customer_id);
  g_assert_cmpuint (expected->len, >, 0);
  wait_for (f, cases_listed, &cc, "the customer's cases");
  g_assert_cmpuint (kl_test_count_rows (list, TRUE), ==, expected->len);

  /* The store's order: the first row is the store's first case. */
  first = gtk_widget_get_first_child (list);
  g_signal_emit_by_name (list, "row-activated", first);
  g_assert_cmpuint (f->n_case_activated, ==, 1);
  g_assert_cmpstr (f->signalled_id, ==, ((KlClaim *) g_ptr_array_index (expected, 0))->id);

  press (kl_test_must_find (GTK_WIDGET (cases), "new_button"));
  g_assert_cmpuint (f->n_new_case, ==, 1);
  g_assert_cmpstr (f->signalled_id, ==, f->customer_id);

  /* A new case for the customer shows up after a refresh. */
  kl_claims_page_new_case (f->page, f->customer_id, NULL);
  wait_for (f, kl_test_toplevel_open, GSIZE_TO_POINTER (KL_TYPE_CLAIM_EDITOR), "the new-case editor");
  {
    GtkWindow *editor = kl_test_find_toplevel (KL_TYPE_CLAIM_EDITOR);
    GtkWidget *dropdown = kl_test_must_find (GTK_WIDGET (editor), "customer_dropdown");

    wait_for (f, widget_sensitive, dropdown, "the customers in the editor");
    g_assert_cmpuint (gtk_drop_down_get_selected (GTK_DROP_DOWN (dropdown)), >, 0);
    adw_combo_row_set_selected (ADW_COMBO_ROW (kl_test_must_find (GTK_WIDGET (editor), "kind_row")),
                                KL_CLAIM_KIND_RETURN);
    press (kl_test_must_find (GTK_WIDGET (editor), "create_button"));
  }
  wait_for (f, kl_test_toplevel_closed, GSIZE_TO_POINTER (KL_TYPE_CLAIM_EDITOR), "the editor to close");
  wait_for (f, shows_status, "Requested", "the new return");
  kl_customer_cases_refresh (cases);
  cc.n = expected->len + 1;
  wait_for (f, cases_listed, &cc, "the customer's new case");
  gtk_window_destroy (window);
}

/* Screenshots, to look at */

static const KlTestScreenshots screenshots = { "KEYLINE_SCREENSHOT_DIR", TRUE };

/* The page is folded (narrow) and shows the list. */
static gboolean
folded_on_list (Fixture *f, gconstpointer data)
{
  AdwLeaflet *leaflet = ADW_LEAFLET (kl_test_must_find (GTK_WIDGET (f->page), "leaflet"));

  return adw_leaflet_get_folded (leaflet) && !kl_claims_page_get_showing_detail (f->page);
}

static void
scroll_detail_to (Fixture *f,
                  double   value)
{
  GtkWidget *scroller = kl_test_must_find (detail (f), "scroller");

  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scroller)), value);
}

static void
test_screenshots (Fixture *f, gconstpointer data)
{
  GListModel *model = kl_claims_page_get_model (f->page);
  KlClaimMoveDialog *dialog;
  g_autofree char *approve = g_strdup_printf (_("%s…"), C_("move", "Approve"));
  const char *status = NULL;
  guint pick = 0;

  /* Still pictures: no transitions half way. */
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

  /* A damage claim under investigation shows most of the detail. */
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(KlClaimItem) item = g_list_model_get_item (model, i);
      const KlClaim *c = kl_claim_item_get_claim (item);

      if (c->kind == KL_CLAIM_KIND_DAMAGE && c->status == KL_CLAIM_STATUS_INVESTIGATING && c->overdue)
        {
          pick = i;
          break;
        }
    }
  {
    g_autoptr(KlClaimItem) item = g_list_model_get_item (model, pick);
    status = kl_claim_status_to_label (kl_claim_item_get_claim (item)->status);
  }
  kl_claims_page_select (f->page, pick);
  wait_for (f, shows_status, status, "the case");
  kl_test_save_screenshot (&screenshots, GTK_WIDGET (f->window), "claims-page.png");

  scroll_detail_to (f, 1000);
  kl_test_save_screenshot (&screenshots, GTK_WIDGET (f->window), "claims-page-scrolled.png");
  scroll_detail_to (f, 100000);
  kl_test_save_screenshot (&screenshots, GTK_WIDGET (f->window), "claims-page-history.png");

  dialog = press_move (f, approve);
  kl_test_save_screenshot (&screenshots, GTK_WIDGET (dialog), "claims-move-dialog.png");
  gtk_window_close (GTK_WINDOW (dialog));
  wait_for (f, kl_test_toplevel_closed, GSIZE_TO_POINTER (KL_TYPE_CLAIM_MOVE_DIALOG), "the dialog to close");

  kl_claims_page_new_case (f->page, f->customer_id, "SF-UNKNOWN-1");
  wait_for (f, kl_test_toplevel_open, GSIZE_TO_POINTER (KL_TYPE_CLAIM_EDITOR), "the new-case editor");
  wait_for (f, widget_visible,
            kl_test_must_find (GTK_WIDGET (kl_test_find_toplevel (KL_TYPE_CLAIM_EDITOR)), "waybill_status_row"),
            "the waybill lookup");
  kl_test_save_screenshot (&screenshots, GTK_WIDGET (kl_test_find_toplevel (KL_TYPE_CLAIM_EDITOR)),
                           "claims-editor.png");
  gtk_window_destroy (kl_test_find_toplevel (KL_TYPE_CLAIM_EDITOR));

  {
    GtkWindow *window = GTK_WINDOW (gtk_window_new ());
    KlCustomerCases *cases = KL_CUSTOMER_CASES (kl_customer_cases_new ());
    g_autoptr(GPtrArray) expected = run_read (f, customer_claims_job, f->customer_id,
                                              (GDestroyNotify) g_ptr_array_unref);
    CaseCount cc = { cases, expected->len };
    GtkWidget *clamp = adw_clamp_new ();

    gtk_widget_set_margin_top (clamp, 24);
    gtk_widget_set_margin_bottom (clamp, 24);
    gtk_widget_set_margin_start (clamp, 12);
    gtk_widget_set_margin_end (clamp, 12);
    adw_clamp_set_child (ADW_CLAMP (clamp), GTK_WIDGET (cases));
    gtk_window_set_default_size (window, 640, 520);
    gtk_window_set_child (window, clamp);
    gtk_window_present (window);
    kl_customer_cases_set_worker (cases, f->worker);
    kl_customer_cases_set_customer_id (cases, f->customer_id);
    wait_for (f, cases_listed, &cc, "the customer's cases");
    kl_test_save_screenshot (&screenshots, GTK_WIDGET (window), "customer-cases.png");
  }

  /* A return on its way back, and a withdrawn claim. */
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(KlClaimItem) item = g_list_model_get_item (model, i);
      const KlClaim *c = kl_claim_item_get_claim (item);
      const char *name = NULL;

      if (c->kind == KL_CLAIM_KIND_RETURN && c->status == KL_CLAIM_STATUS_IN_TRANSIT)
        name = "claims-return.png";
      else if (c->status == KL_CLAIM_STATUS_WITHDRAWN)
        name = "claims-withdrawn.png";
      if (name == NULL)
        continue;
      kl_claims_page_select (f->page, i);
      wait_for (f, shows_status, kl_claim_status_to_label (c->status), "the case");
      scroll_detail_to (f, 0);
      kl_test_save_screenshot (&screenshots, GTK_WIDGET (f->window), name);
    }

  /* The filters, in their popover. */
  {
    GtkMenuButton *button = GTK_MENU_BUTTON (kl_test_must_find (GTK_WIDGET (f->page), "filter_button"));

    gtk_drop_down_set_selected (GTK_DROP_DOWN (kl_test_must_find (GTK_WIDGET (f->page), "kind_dropdown")),
                                1 + KL_CLAIM_KIND_DAMAGE);
    gtk_switch_set_active (GTK_SWITCH (kl_test_must_find (GTK_WIDGET (f->page), "overdue_switch")), TRUE);
    wait_for (f, list_idle, NULL, "the filtered list");
    gtk_menu_button_popup (button);
    kl_test_save_screenshot (&screenshots, GTK_WIDGET (gtk_menu_button_get_popover (button)), "claims-filters.png");
    gtk_menu_button_popdown (button);
    kl_test_save_screenshot (&screenshots, GTK_WIDGET (f->window), "claims-filtered.png");
    gtk_widget_activate_action (GTK_WIDGET (f->page), "claims.clear-filters", NULL);
    wait_for (f, list_idle, NULL, "the whole list");
  }

  /* Dark */
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_DARK);
  kl_test_save_screenshot (&screenshots, GTK_WIDGET (f->window), "claims-page-dark.png");
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_DEFAULT);

  /* Narrow: the leaflet folds and shows the list. */
  gtk_window_set_default_size (f->window, 420, 800);
  kl_claims_page_show_list (f->page);
  wait_for (f, folded_on_list, NULL, "the narrow page to fold on the list");
  kl_test_save_screenshot (&screenshots, GTK_WIDGET (f->window), "claims-page-narrow.png");
}

/* A damage case filed a month after delivery: concealed damage. */
static gpointer
concealed_case_job (KlDatabase *db, gpointer data, KlWorkerJob *job, GError **error)
{
  const char *customer_id = data;
  g_autoptr(GPtrArray) shipments = kl_shipment_store_list (db, customer_id, 0, G_MAXINT64, 1000, error);
  KlClaimNew in = KL_CLAIM_NEW_INIT;

  if (shipments == NULL)
    return NULL;
  for (guint i = 0; i < shipments->len; i++)
    {
      const KlShipment *s = g_ptr_array_index (shipments, i);

      if (s->delivered_at == KL_NO_TIME)
        continue;
      in.customer_id = customer_id;
      in.kind = KL_CLAIM_KIND_DAMAGE;
      in.waybill = s->waybill;
      in.filed_at = s->delivered_at + 30 * 86400;
      return kl_claim_store_create (db, &in, error);
    }
  g_set_error (error, KL_DATABASE_ERROR, KL_DATABASE_ERROR_NOT_FOUND, "no delivered shipment");
  return NULL;
}

static guint
count_labels_with_prefix (GtkWidget *root, const char *prefix)
{
  guint n = GTK_IS_LABEL (root) && gtk_widget_get_visible (root) &&
            g_str_has_prefix (gtk_label_get_text (GTK_LABEL (root)), prefix) ? 1 : 0;

  for (GtkWidget *child = gtk_widget_get_first_child (root); child; child = gtk_widget_get_next_sibling (child))
    n += count_labels_with_prefix (child, prefix);
  return n;
}

/* Issue 12: the concealed-damage warning appeared twice, worded two ways
 * (the detail's own sentence and the filing warning). */
static void
test_concealed_damage_once (Fixture *f, gconstpointer data)
{
  g_autofree char *id = run_read (f, concealed_case_job, f->customer_id, g_free);
  GtkWidget *notices;

  g_assert_nonnull (id);
  kl_claims_page_show_case (f->page, id);
  wait_for (f, shows_status, "Filed", "the concealed-damage case");
  notices = kl_test_must_find (detail (f), "notices_box");
  g_assert_true (gtk_widget_get_visible (notices));
  g_assert_cmpuint (count_labels_with_prefix (notices, "Concealed damage"), ==, 1);
}

static void
on_editor_saved (KlRecordEditor *editor, const char *id, Fixture *f)
{
  g_free (f->signalled_id);
  f->signalled_id = g_strdup (id);
}

static const char *
selected_case_id (Fixture *f)
{
  GtkListView *list = GTK_LIST_VIEW (kl_test_must_find (GTK_WIDGET (f->page), "list_view"));
  KlClaimItem *item = gtk_single_selection_get_selected_item (GTK_SINGLE_SELECTION (gtk_list_view_get_model (list)));

  return item != NULL ? kl_claim_item_get_claim (item)->id : NULL;
}

static gboolean
case_selected (Fixture *f, gconstpointer id)
{
  return g_strcmp0 (selected_case_id (f), id) == 0;
}

/* The new-case editor saves through KlRecordEditor like the other record
 * editors: its editor.save checks the fields, and the base's "saved" is
 * what the page selects the new case by. */
static void
test_editor_saves_through_base (Fixture *f, gconstpointer data)
{
  GtkWindow *editor;
  GtkWidget *customer_dropdown;
  GtkWidget *general_error;
  GListModel *customers;
  guint customer_position = GTK_INVALID_LIST_POSITION;
  const KlClaim *shown;

  wait_for (f, list_loaded, NULL, "the list");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "claims.new-case", NULL));
  wait_for (f, kl_test_toplevel_open, GSIZE_TO_POINTER (KL_TYPE_CLAIM_EDITOR), "the new-case editor");
  editor = kl_test_find_toplevel (KL_TYPE_CLAIM_EDITOR);
  g_assert_true (KL_IS_RECORD_EDITOR (editor));
  g_assert_true (gtk_window_get_destroy_with_parent (editor));
  g_signal_connect (editor, "saved", G_CALLBACK (on_editor_saved), f);
  customer_dropdown = kl_test_must_find (GTK_WIDGET (editor), "customer_dropdown");
  wait_for (f, widget_sensitive, customer_dropdown, "the customers in the editor");
  general_error = kl_test_must_find (GTK_WIDGET (editor), "general_error");

  /* editor.save (Ctrl+S, Ctrl+Return, the Create button) checks the
   * fields first: without a customer nothing is saved. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "editor.save", NULL));
  g_assert_true (gtk_widget_get_visible (kl_test_must_find (GTK_WIDGET (editor), "customer_error")));
  g_assert_false (gtk_widget_get_visible (general_error));
  g_assert_nonnull (kl_test_find_toplevel (KL_TYPE_CLAIM_EDITOR));
  g_assert_null (f->signalled_id);

  customers = gtk_drop_down_get_model (GTK_DROP_DOWN (customer_dropdown));
  for (guint i = 0; i < g_list_model_get_n_items (customers); i++)
    {
      g_autoptr(GtkStringObject) s = g_list_model_get_item (customers, i);
      if (g_str_has_prefix (gtk_string_object_get_string (s), f->customer_name))
        customer_position = i;
    }
  g_assert_cmpuint (customer_position, !=, GTK_INVALID_LIST_POSITION);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (customer_dropdown), customer_position);
  adw_combo_row_set_selected (ADW_COMBO_ROW (kl_test_must_find (GTK_WIDGET (editor), "kind_row")),
                              KL_CLAIM_KIND_COMPLAINT);
  gtk_editable_set_text (GTK_EDITABLE (kl_test_must_find (GTK_WIDGET (editor), "description_row")),
                         "Driver was rude at the dock");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "editor.save", NULL));
  /* A field fixed, its problem is gone while the case is saved. */
  g_assert_false (gtk_widget_get_visible (kl_test_must_find (GTK_WIDGET (editor), "customer_error")));
  wait_for (f, kl_test_toplevel_closed, GSIZE_TO_POINTER (KL_TYPE_CLAIM_EDITOR), "the editor to close");

  /* "saved" carried the new case's id, and the page shows and selects it. */
  g_assert_nonnull (f->signalled_id);
  wait_for (f, shows_status, "Open", "the new complaint");
  shown = kl_claim_detail_get_claim (KL_CLAIM_DETAIL (detail (f)));
  g_assert_nonnull (shown);
  g_assert_cmpstr (shown->id, ==, f->signalled_id);
  g_assert_cmpstr (shown->description, ==, "Driver was rude at the dock");
  wait_for (f, case_selected, f->signalled_id, "the new case selected in the list");
}

/* Closing the window while the new case is being saved: the editor goes
 * with the window at once (the save holds no reference to it), and the
 * save finishing later touches nothing that is gone. */
static void
test_close_while_saving (Fixture *f, gconstpointer data)
{
  GtkWindow *editor;
  GtkWidget *customer_dropdown;
  GListModel *customers;
  g_autoptr(GPtrArray) cases = NULL;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "claims.new-case", NULL));
  wait_for (f, kl_test_toplevel_open, GSIZE_TO_POINTER (KL_TYPE_CLAIM_EDITOR), "the new-case editor");
  editor = kl_test_find_toplevel (KL_TYPE_CLAIM_EDITOR);
  customer_dropdown = kl_test_must_find (GTK_WIDGET (editor), "customer_dropdown");
  wait_for (f, widget_sensitive, customer_dropdown, "the customers in the editor");
  customers = gtk_drop_down_get_model (GTK_DROP_DOWN (customer_dropdown));
  g_assert_cmpuint (g_list_model_get_n_items (customers), >, 1);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (customer_dropdown), 1);
  adw_combo_row_set_selected (ADW_COMBO_ROW (kl_test_must_find (GTK_WIDGET (editor), "kind_row")),
                              KL_CLAIM_KIND_COMPLAINT);
  g_signal_connect (editor, "saved", G_CALLBACK (on_editor_saved), f);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "editor.save", NULL));

  g_object_add_weak_pointer (G_OBJECT (editor), (gpointer *) &editor);
  gtk_window_destroy (f->window);
  f->window = NULL;
  g_assert_null (editor);

  /* A read queued after the save finishes after it; waiting for it runs
   * the save's callback, which must leave the cancelled save alone. */
  cases = run_read (f, customer_claims_job, f->customer_id, (GDestroyNotify) g_ptr_array_unref);
  g_assert_nonnull (cases);
  g_assert_null (f->signalled_id);
}

int
main (int argc, char *argv[])
{
  g_setenv ("TZ", "UTC", TRUE);
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  /* Screenshots in another language take its catalogue from the build. */
  kl_test_bind_text_domain ("KL_LOCALEDIR", TRUE);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/claims-page/list-order", test_list_order);
  ADD ("/claims-page/lifecycle", test_lifecycle);
  ADD ("/claims-page/new-case-from-shipment", test_new_case_from_shipment);
  ADD ("/claims-page/editor-saves-through-base", test_editor_saves_through_base);
  ADD ("/claims-page/close-while-saving", test_close_while_saving);
  ADD ("/claims-page/customer-cases", test_customer_cases);
  ADD ("/claims-page/concealed-damage-once", test_concealed_damage_once);
  if (g_getenv ("KEYLINE_SCREENSHOT_DIR") != NULL)
    ADD ("/claims-page/screenshots", test_screenshots);
#undef ADD
  return g_test_run ();
}
