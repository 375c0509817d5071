/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The customer detail: overview, contacts, agreements and activity log of one
 * account. This file loads and shows them (the Overview page is
 * KlCustomerOverview); kl-customer-detail-actions.c holds what the user can
 * do to them. Every read and write runs on the KlWorker; a change reloads the
 * whole pane from the database.
 *
 * Deleting a contact, agreement or activity deletes it at once and keeps a
 * copy; Undo in the toast saves the copy again under the same id (and, for a
 * contact, links back the activities that named it). So the database always
 * holds what the window last showed: closing the app while the toast is up
 * leaves the record deleted, never half done. Customers are soft-deleted and
 * restored by the store. */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "kl-customer-detail.h"
#include "kl-customer-analysis.h"
#include "kl-customer-detail-private.h"
#include "kl-gui-util.h"
#include "kl-contact-row.h"
#include "kl-activity-row.h"
#include "kl-customer-cases.h"
#include "kl-customer-store.h"
#include "kl-contact-store.h"
#include "kl-agreement-store.h"
#include "kl-activity-store.h"
#include "kl-rollup-series.h"

G_DEFINE_FINAL_TYPE (KlCustomerDetail, kl_customer_detail, ADW_TYPE_BIN)

enum { CUSTOMER_CHANGED, NEW_CASE, CASE_ACTIVATED, N_SIGNALS };
static guint signals[N_SIGNALS];

enum { PROP_0, PROP_CUSTOMER_ID, N_PROPS };
static GParamSpec *properties[N_PROPS];

/* Loading */

typedef struct {
  char *customer_id;
  int   first_month;
} LoadRequest;

typedef struct {
  KlCustomer  *customer;
  GPtrArray   *contacts;
  GPtrArray   *agreements;
  GPtrArray   *activities;
  KlAgreement *in_force;
  gint64       shipment_count;
  int          first_month;
  gint64       shipments[KL_CUSTOMER_OVERVIEW_N_MONTHS];
} LoadResult;

static void
load_request_free (LoadRequest *request)
{
  g_free (request->customer_id);
  g_free (request);
}

static void
load_result_free (LoadResult *result)
{
  g_clear_pointer (&result->customer, kl_customer_free);
  g_clear_pointer (&result->contacts, g_ptr_array_unref);
  g_clear_pointer (&result->agreements, g_ptr_array_unref);
  g_clear_pointer (&result->activities, g_ptr_array_unref);
  g_clear_pointer (&result->in_force, kl_agreement_free);
  g_free (result);
}

static gpointer
load_job (KlDatabase   *db,
          gpointer      data,
          KlWorkerJob  *job,
          GError      **error)
{
  LoadRequest *request = data;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *today = g_date_time_format (now, "%Y-%m-%d");
  LoadResult *result = g_new0 (LoadResult, 1);

  result->customer = kl_customer_store_get (db, request->customer_id, error);
  if (result->customer == NULL)
    goto fail;
  result->contacts = kl_contact_store_list (db, request->customer_id, error);
  if (result->contacts == NULL)
    goto fail;
  result->agreements = kl_agreement_store_list (db, request->customer_id, error);
  if (result->agreements == NULL)
    goto fail;
  result->activities = kl_activity_store_list (db, request->customer_id, error);
  if (result->activities == NULL)
    goto fail;
  result->in_force = kl_agreement_store_in_force (db, request->customer_id, today, error);
  if (*error != NULL)
    goto fail;
  result->shipment_count = kl_customer_store_shipment_count (db, request->customer_id, error);
  if (*error != NULL)
    goto fail;
  result->first_month = request->first_month;
  if (!kl_rollup_series_shipments (db, request->customer_id, request->first_month,
                                   KL_CUSTOMER_OVERVIEW_N_MONTHS,
                                   result->shipments, error))
    goto fail;
  return result;

fail:
  load_result_free (result);
  return NULL;
}

/* Showing */

static void
show_overview (KlCustomerDetail *self,
               LoadResult       *result)
{
  const KlCustomer *c = self->customer;
  g_autofree char *subtitle = NULL;

  gtk_label_set_text (self->name_label, c->name);
  /* Translators: under the customer's name, "ACME-01 · Active" */
  subtitle = g_strdup_printf (_("%s · %s"), c->code, kl_customer_status_to_label (c->status));
  gtk_label_set_text (self->subtitle_label, subtitle);
  kl_customer_overview_show (self->overview, c, result->in_force, result->shipment_count,
                             result->first_month, result->shipments);
}

static GtkWidget *
new_icon_button (const char *icon_name,
                 const char *action_name,
                 const char *target,
                 const char *label)
{
  GtkWidget *button = g_object_new (GTK_TYPE_BUTTON,
                                    "icon-name", icon_name,
                                    "valign", GTK_ALIGN_CENTER,
                                    "tooltip-text", label,
                                    NULL);

  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), action_name);
  gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", target);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
  gtk_widget_add_css_class (button, "flat");
  return button;
}

static GtkWidget *
new_agreement_row (const KlAgreement *a,
                   const char        *today)
{
  GtkWidget *row = adw_expander_row_new ();
  g_autofree char *period = _kl_agreement_period_text (a);
  g_autofree char *escaped = g_markup_escape_text (period, -1);
  g_autofree char *details = NULL;
  g_autofree char *subtitle = NULL;
  const char *state;
  guint n_targets = 0;
  gboolean in_force = FALSE;

  if (strcmp (a->effective_from, today) > 0)
    state = _("Upcoming");
  else if (a->effective_to != NULL && strcmp (a->effective_to, today) < 0)
    state = _("Ended");
  else
    {
      state = _("In force");
      in_force = TRUE;
    }

  /* Translators: an agreement's grace minutes and claim deadlines */
  details = g_strdup_printf (_("Grace: dispatch %d min, delivery %d min · Claims: acknowledge in %d days, resolve in %d days"),
                             a->dispatch_grace_min, a->delivery_grace_min,
                             a->claim_ack_days, a->claim_resolve_days);
  subtitle = g_strdup_printf ("%s · %s", state, details);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), escaped);
  g_clear_pointer (&escaped, g_free);
  escaped = g_markup_escape_text (subtitle, -1);
  adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (row), escaped);

  /* Actions are packed from the end: delete goes rightmost, as in the other lists. */
  adw_expander_row_add_action (ADW_EXPANDER_ROW (row),
                               new_icon_button ("user-trash-symbolic", "agreement.delete", a->id,
                                                _("Delete Agreement")));
  adw_expander_row_add_action (ADW_EXPANDER_ROW (row),
                               new_icon_button ("document-edit-symbolic", "agreement.edit", a->id,
                                                _("Edit Agreement")));

  for (guint r = 0; r < KL_N_RATES; r++)
    {
      GtkWidget *target_row;
      g_autofree char *value = NULL;

      if (isnan (a->targets[r]))
        continue;
      n_targets++;
      target_row = adw_action_row_new ();
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (target_row), kl_rate_to_label (r));
      /* Translators: a target as a percentage with one decimal, "98.5 %" */
      value = g_strdup_printf (_("%.1f %%"), a->targets[r] * 100.0);
      adw_action_row_add_suffix (ADW_ACTION_ROW (target_row), gtk_label_new (value));
      adw_expander_row_add_row (ADW_EXPANDER_ROW (row), target_row);
    }
  if (n_targets == 0)
    {
      GtkWidget *none = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (none), _("No targets set"));
      adw_expander_row_add_row (ADW_EXPANDER_ROW (row), none);
    }
  /* The agreement in force shows its targets; the others fold them away. */
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (row), in_force);
  return row;
}

static void
clear_list (GtkListBox *list)
{
  GtkWidget *child;

  /* The placeholder is not a child, so this leaves it in place. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (list))) != NULL)
    gtk_list_box_remove (list, child);
}

static void
append_row (GtkListBox *list,
            GtkWidget  *row,
            const char *id)
{
  g_object_set_data_full (G_OBJECT (row), RECORD_ID_KEY, g_strdup (id), g_free);
  gtk_list_box_append (list, row);
}

static void
show_lists (KlCustomerDetail *self)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *today = g_date_time_format (now, "%Y-%m-%d");
  gint64 now_seconds = g_date_time_to_unix (now);

  clear_list (self->contacts_list);
  for (guint i = 0; i < self->contacts->len; i++)
    {
      const KlContact *c = g_ptr_array_index (self->contacts, i);
      append_row (self->contacts_list, kl_contact_row_new (c), c->id);
    }
  clear_list (self->agreements_list);
  for (guint i = 0; i < self->agreements->len; i++)
    {
      const KlAgreement *a = g_ptr_array_index (self->agreements, i);
      append_row (self->agreements_list, new_agreement_row (a, today), a->id);
    }
  clear_list (self->activities_list);
  for (guint i = 0; i < self->activities->len; i++)
    {
      const KlActivity *a = g_ptr_array_index (self->activities, i);
      append_row (self->activities_list, kl_activity_row_new (a, now_seconds), a->id);
    }
}

static void
clear_records (KlCustomerDetail *self)
{
  g_clear_pointer (&self->customer, kl_customer_free);
  g_clear_pointer (&self->contacts, g_ptr_array_unref);
  g_clear_pointer (&self->agreements, g_ptr_array_unref);
  g_clear_pointer (&self->activities, g_ptr_array_unref);
}

static void
load_done (GObject      *source,
           GAsyncResult *res,
           gpointer      user_data)
{
  g_autoptr(KlCustomerDetail) self = user_data;
  g_autoptr(GError) error = NULL;
  LoadResult *result = kl_worker_run_finish (self->worker, res, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
      g_error_matches (error, KL_DATABASE_ERROR, KL_DATABASE_ERROR_CANCELLED))
    return;

  clear_records (self);
  if (result == NULL)
    {
      g_autofree char *escaped = error ? g_markup_escape_text (error->message, -1) : NULL;

      /* Status page descriptions are Pango markup. */
      adw_status_page_set_description (self->error_page, escaped);
      gtk_stack_set_visible_child_name (self->main_stack, "error");
      _kl_customer_detail_update_actions (self);
      return;
    }

  self->customer = g_steal_pointer (&result->customer);
  self->contacts = g_steal_pointer (&result->contacts);
  self->agreements = g_steal_pointer (&result->agreements);
  self->activities = g_steal_pointer (&result->activities);
  show_overview (self, result);
  show_lists (self);
  load_result_free (result);

  gtk_stack_set_visible_child_name (self->main_stack, self->customer->deleted ? "deleted" : "customer");
  _kl_customer_detail_update_actions (self);
}

void
_kl_customer_detail_reload (KlCustomerDetail *self)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  LoadRequest *request;

  g_cancellable_cancel (self->load_cancellable);
  g_clear_object (&self->load_cancellable);

  if (self->customer_id == NULL || self->worker == NULL)
    {
      clear_records (self);
      gtk_stack_set_visible_child_name (self->main_stack, "empty");
      _kl_customer_detail_update_actions (self);
      return;
    }

  /* A different customer: do not leave the previous one on screen. */
  if (self->customer == NULL || g_strcmp0 (self->customer->id, self->customer_id) != 0)
    {
      clear_records (self);
      _kl_customer_detail_update_actions (self);
      gtk_stack_set_visible_child_name (self->main_stack, "loading");
    }

  request = g_new0 (LoadRequest, 1);
  request->customer_id = g_strdup (self->customer_id);
  request->first_month = kl_rollup_series_month (g_date_time_get_year (now) * 100 + g_date_time_get_month (now),
                                                 -(KL_CUSTOMER_OVERVIEW_N_MONTHS - 1));
  self->load_cancellable = g_cancellable_new ();
  kl_worker_run (self->worker, KL_WORKER_READ, load_job, request, (GDestroyNotify) load_request_free,
                 (GDestroyNotify) load_result_free, NULL, NULL, self->load_cancellable,
                 load_done, g_object_ref (self));
}

static void
load_css_once (GtkWidget *widget)
{
  kl_gui_add_style_sheet (widget, "/io/github/keyline/Keyline/kl-customer-detail.css");
}

void
_kl_customer_detail_emit_customer_changed (KlCustomerDetail *self,
                                           const char       *id)
{
  g_signal_emit (self, signals[CUSTOMER_CHANGED], 0, id);
}

/* GObject */

static void
kl_customer_detail_dispose (GObject *object)
{
  KlCustomerDetail *self = KL_CUSTOMER_DETAIL (object);

  if (self->load_cancellable != NULL)
    g_cancellable_cancel (self->load_cancellable);
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_pointer (&self->undos, g_hash_table_unref);
  G_OBJECT_CLASS (kl_customer_detail_parent_class)->dispose (object);
}

static void
kl_customer_detail_finalize (GObject *object)
{
  KlCustomerDetail *self = KL_CUSTOMER_DETAIL (object);

  clear_records (self);
  g_clear_object (&self->load_cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->worker);
  g_clear_pointer (&self->customer_id, g_free);
  G_OBJECT_CLASS (kl_customer_detail_parent_class)->finalize (object);
}

static void
kl_customer_detail_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  KlCustomerDetail *self = KL_CUSTOMER_DETAIL (object);

  switch (prop_id)
    {
    case PROP_CUSTOMER_ID:
      g_value_set_string (value, self->customer_id);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kl_customer_detail_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  KlCustomerDetail *self = KL_CUSTOMER_DETAIL (object);

  switch (prop_id)
    {
    case PROP_CUSTOMER_ID:
      kl_customer_detail_set_customer_id (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kl_customer_detail_class_init (KlCustomerDetailClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = kl_customer_detail_dispose;
  object_class->finalize = kl_customer_detail_finalize;
  object_class->get_property = kl_customer_detail_get_property;
  object_class->set_property = kl_customer_detail_set_property;

  /**
   * KlCustomerDetail:customer-id:
   *
   * The customer shown, or %NULL for the empty state.
   */
  properties[PROP_CUSTOMER_ID] =
    g_param_spec_string ("customer-id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * KlCustomerDetail::customer-changed:
   * @id: the customer's id
   *
   * Emitted after the detail saved, deleted or restored a customer, so
   * lists showing it can refresh.
   */
  signals[CUSTOMER_CHANGED] =
    g_signal_new ("customer-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  /**
   * KlCustomerDetail::new-case:
   * @customer_id: the account
   *
   * The user asked to open a claim, return or complaint for the account.
   */
  signals[NEW_CASE] =
    g_signal_new ("new-case", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  /**
   * KlCustomerDetail::case-activated:
   * @claim_id: the case
   *
   * The user opened one of the account's cases.
   */
  signals[CASE_ACTIVATED] =
    g_signal_new ("case-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  g_type_ensure (KL_TYPE_CUSTOMER_OVERVIEW);
  g_type_ensure (KL_TYPE_CUSTOMER_CASES);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/keyline/Keyline/kl-customer-detail.ui");
  gtk_widget_class_bind_template_child (widget_class, KlCustomerDetail, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, KlCustomerDetail, main_stack);
  gtk_widget_class_bind_template_child (widget_class, KlCustomerDetail, error_page);
  gtk_widget_class_bind_template_child (widget_class, KlCustomerDetail, name_label);
  gtk_widget_class_bind_template_child (widget_class, KlCustomerDetail, subtitle_label);
  gtk_widget_class_bind_template_child (widget_class, KlCustomerDetail, view_stack);
  gtk_widget_class_bind_template_child (widget_class, KlCustomerDetail, overview);
  gtk_widget_class_bind_template_child (widget_class, KlCustomerDetail, customer_cases);
  gtk_widget_class_bind_template_child (widget_class, KlCustomerDetail, contacts_list);
  gtk_widget_class_bind_template_child (widget_class, KlCustomerDetail, agreements_list);
  gtk_widget_class_bind_template_child (widget_class, KlCustomerDetail, activities_list);

  _kl_customer_detail_class_install_actions (widget_class);

  gtk_widget_class_set_css_name (widget_class, "customerdetail");
}

static void
forward_new_case (KlCustomerDetail *self,
                  const char       *customer_id)
{
  g_signal_emit (self, signals[NEW_CASE], 0, customer_id);
}

static void
forward_case_activated (KlCustomerDetail *self,
                        const char       *claim_id)
{
  g_signal_emit (self, signals[CASE_ACTIVATED], 0, claim_id);
}

static void
kl_customer_detail_init (KlCustomerDetail *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  g_signal_connect_object (self->customer_cases, "new-case",
                           G_CALLBACK (forward_new_case), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->customer_cases, "case-activated",
                           G_CALLBACK (forward_case_activated), self, G_CONNECT_SWAPPED);
  _kl_customer_detail_init_actions (self);
  {
    /* where service effort goes: class, quarters, lines against standards */
    GtkWidget *scrolled = gtk_scrolled_window_new ();
    GtkWidget *analysis = kl_customer_analysis_new ();

    gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), analysis);
    g_object_set_data (G_OBJECT (self), "customer-analysis", analysis);
    adw_view_stack_add_titled_with_icon (self->view_stack, scrolled, "service", _("Service Effort"),
                                         "view-grid-symbolic");
  }
  load_css_once (GTK_WIDGET (self));
  gtk_stack_set_visible_child_name (self->main_stack, "empty");
  _kl_customer_detail_update_actions (self);
}

GtkWidget *
kl_customer_detail_new (void)
{
  return g_object_new (KL_TYPE_CUSTOMER_DETAIL, NULL);
}

void
kl_customer_detail_set_worker (KlCustomerDetail *self,
                               KlWorker         *worker)
{
  g_return_if_fail (KL_IS_CUSTOMER_DETAIL (self));
  g_return_if_fail (worker == NULL || KL_IS_WORKER (worker));

  kl_kpi_tiles_set_worker (kl_customer_overview_get_kpi_tiles (self->overview), worker);
  kl_customer_cases_set_worker (self->customer_cases, worker);
  kl_customer_analysis_load (g_object_get_data (G_OBJECT (self), "customer-analysis"), worker, self->customer_id);
  if (g_set_object (&self->worker, worker))
    _kl_customer_detail_reload (self);
}

void
kl_customer_detail_set_customer_id (KlCustomerDetail *self,
                                    const char       *id)
{
  g_return_if_fail (KL_IS_CUSTOMER_DETAIL (self));

  if (g_strcmp0 (id, self->customer_id) != 0)
    {
      g_free (self->customer_id);
      self->customer_id = g_strdup (id);
      kl_kpi_tiles_set_customer_id (kl_customer_overview_get_kpi_tiles (self->overview), id);
      kl_customer_cases_set_customer_id (self->customer_cases, id);
      kl_customer_analysis_load (g_object_get_data (G_OBJECT (self), "customer-analysis"), self->worker, id);
      /* A new customer opens on its overview. */
      adw_view_stack_set_visible_child_name (self->view_stack, "overview");
      _kl_customer_detail_reload (self);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CUSTOMER_ID]);
      return;
    }
  kl_kpi_tiles_refresh (kl_customer_overview_get_kpi_tiles (self->overview));
  kl_customer_cases_refresh (self->customer_cases);
  kl_customer_analysis_load (g_object_get_data (G_OBJECT (self), "customer-analysis"), self->worker, id);
  _kl_customer_detail_reload (self);
}

const char *
kl_customer_detail_get_customer_id (KlCustomerDetail *self)
{
  g_return_val_if_fail (KL_IS_CUSTOMER_DETAIL (self), NULL);
  return self->customer_id;
}
