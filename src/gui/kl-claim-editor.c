/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The new-case editor: customer, kind, waybill (looked up as it is typed;
 * an unknown one is allowed and flagged), incident date, claimed amount and
 * currency, filing date, description and a note for the history. Dates are
 * days in the workspace time zone. */
#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>

#include "kl-claim-editor.h"
#include "kl-record-editor.h"
#include "kl-date-row.h"
#include "kl-claim-row.h"
#include "kl-claim-store.h"
#include "kl-customer-store.h"
#include "kl-customer-search.h"
#include "kl-shipment-store.h"

#define LOOKUP_DELAY_MS 350

static const char *const currencies[] = {
  "CNY", "USD", "EUR", "HKD", "JPY", "GBP", "KRW", "SGD", "AUD",
};

struct _KlClaimEditor {
  KlRecordEditor parent_instance;

  GCancellable *lookup_cancellable;
  char         *wanted_customer_id;   /* to select once the customers are loaded */
  GPtrArray    *customer_ids;         /* position i + 1 of the dropdown; 0 asks to choose */
  guint         lookup_source;

  /* template */
  GtkLabel     *general_error;
  AdwActionRow *customer_row;
  GtkDropDown  *customer_dropdown;
  GtkWidget    *customer_error;
  AdwComboRow  *kind_row;
  GtkWidget    *draft_row;
  GtkSwitch    *draft_switch;
  AdwEntryRow  *waybill_row;
  AdwActionRow *waybill_status_row;
  GtkImage     *waybill_status_icon;
  AdwEntryRow  *incident_row;
  GtkWidget    *incident_error;
  GtkWidget    *amount_group;
  AdwEntryRow  *amount_row;
  GtkWidget    *amount_error;
  AdwComboRow  *currency_row;
  AdwEntryRow  *filed_row;
  GtkWidget    *filed_error;
  AdwEntryRow  *description_row;
  AdwEntryRow  *note_row;
};

G_DEFINE_FINAL_TYPE (KlClaimEditor, kl_claim_editor, KL_TYPE_RECORD_EDITOR)

static char *
today_text (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  return g_date_time_format (now, "%Y-%m-%d");
}

static KlClaimKind
selected_kind (KlClaimEditor *self)
{
  guint kind = adw_combo_row_get_selected (self->kind_row);

  return kind < KL_N_CLAIM_KINDS ? (KlClaimKind) kind : KL_CLAIM_KIND_DAMAGE;
}

static const char *
selected_currency (KlClaimEditor *self)
{
  guint i = adw_combo_row_get_selected (self->currency_row);

  return i < G_N_ELEMENTS (currencies) ? currencies[i] : currencies[0];
}

static const char *
selected_customer_id (KlClaimEditor *self)
{
  guint i = gtk_drop_down_get_selected (self->customer_dropdown);

  if (self->customer_ids == NULL || i == GTK_INVALID_LIST_POSITION || i == 0 || i > self->customer_ids->len)
    return NULL;
  return g_ptr_array_index (self->customer_ids, i - 1);
}

static void
select_customer (KlClaimEditor *self,
                 const char    *id)
{
  for (guint i = 0; self->customer_ids != NULL && i < self->customer_ids->len; i++)
    if (g_strcmp0 (g_ptr_array_index (self->customer_ids, i), id) == 0)
      {
        gtk_drop_down_set_selected (self->customer_dropdown, i + 1);
        return;
      }
}

static void
on_kind_selected (KlClaimEditor *self)
{
  gboolean freight = kl_claim_kind_is_freight (selected_kind (self));

  gtk_widget_set_visible (self->amount_group, freight);
  gtk_widget_set_visible (self->draft_row, freight);
  if (!freight)
    _kl_editor_set_field_error (GTK_WIDGET (self->amount_row), self->amount_error, NULL);
}

/* Customers */

#define CUSTOMER_ID_KEY "kl-customer-id"

static const char *
entry_customer_id (gpointer item)
{
  return g_object_get_data (item, CUSTOMER_ID_KEY);
}

static char *
entry_text (gpointer item)
{
  return g_strdup (gtk_string_object_get_string (item));
}

static void
entry_setup (GtkSignalListItemFactory *factory,
             GtkListItem              *list_item,
             gpointer                  data)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_list_item_set_child (list_item, label);
}

static void
entry_bind (GtkSignalListItemFactory *factory,
            GtkListItem              *list_item,
            gpointer                  data)
{
  gtk_label_set_label (GTK_LABEL (gtk_list_item_get_child (list_item)),
                       gtk_string_object_get_string (gtk_list_item_get_item (list_item)));
}

static gpointer
customers_job (KlDatabase   *db,
               gpointer      data,
               KlWorkerJob  *job,
               GError      **error)
{
  KlCustomerFilter filter = KL_CUSTOMER_FILTER_INIT;

  return kl_customer_store_list (db, &filter, 0, -1, error);
}

static void
customers_done (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  KlClaimEditor *self;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) customers = g_task_propagate_pointer (G_TASK (result), &error);
  g_autoptr(GtkStringList) names = NULL;

  /* The editor's dispose cancels its jobs, so a cancelled job may have
   * outlived the editor: nothing of it is touched then. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = KL_CLAIM_EDITOR (user_data);
  if (customers == NULL)
    {
      kl_record_editor_show_message (KL_RECORD_EDITOR (self), error->message);
      return;
    }

  names = gtk_string_list_new (NULL);
  gtk_string_list_append (names, _("Choose a customer…"));
  g_ptr_array_set_size (self->customer_ids, 0);
  for (guint i = 0; i < customers->len; i++)
    {
      const KlCustomer *c = g_ptr_array_index (customers, i);
      /* Translators: a customer in a list, "Acme Logistics · ACME-01" */
      g_autofree char *label = g_strdup_printf (_("%s · %s"), c->name, c->code);

      gtk_string_list_append (names, label);
      g_ptr_array_add (self->customer_ids, g_strdup (c->id));
    }
  /* Each entry knows its customer, for the search. */
  for (guint i = 0; i < customers->len; i++)
    {
      g_autoptr(GObject) entry = g_list_model_get_item (G_LIST_MODEL (names), i + 1);

      g_object_set_data_full (entry, CUSTOMER_ID_KEY, g_strdup (g_ptr_array_index (self->customer_ids, i)),
                              g_free);
    }
  gtk_drop_down_set_model (self->customer_dropdown, G_LIST_MODEL (names));
  gtk_drop_down_set_selected (self->customer_dropdown, 0);
  gtk_widget_set_sensitive (GTK_WIDGET (self->customer_dropdown), TRUE);
  if (self->wanted_customer_id != NULL)
    select_customer (self, self->wanted_customer_id);
}

/* Waybill lookup */

static gpointer
shipment_job (KlDatabase   *db,
              gpointer      data,
              KlWorkerJob  *job,
              GError      **error)
{
  g_autoptr(GError) local_error = NULL;
  KlShipment *s = kl_shipment_store_get (db, data, &local_error);

  /* Not on record is an answer, not a failure. */
  if (s == NULL && !g_error_matches (local_error, KL_DATABASE_ERROR, KL_DATABASE_ERROR_NOT_FOUND))
    g_propagate_error (error, g_steal_pointer (&local_error));
  return s;
}

static void
show_waybill_status (KlClaimEditor *self,
                     const char    *icon_name,
                     const char    *css_class,
                     const char    *title,
                     const char    *subtitle)
{
  g_autofree char *escaped_title = g_markup_escape_text (title, -1);
  g_autofree char *escaped_subtitle = subtitle ? g_markup_escape_text (subtitle, -1) : NULL;

  gtk_image_set_from_icon_name (self->waybill_status_icon, icon_name);
  gtk_widget_remove_css_class (GTK_WIDGET (self->waybill_status_row), "waybill-known");
  gtk_widget_remove_css_class (GTK_WIDGET (self->waybill_status_row), "waybill-unknown");
  gtk_widget_add_css_class (GTK_WIDGET (self->waybill_status_row), css_class);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->waybill_status_row), escaped_title);
  adw_action_row_set_subtitle (self->waybill_status_row, escaped_subtitle ? escaped_subtitle : "");
  gtk_widget_set_visible (GTK_WIDGET (self->waybill_status_row), TRUE);
}

static void
shipment_done (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  KlClaimEditor *self;
  g_autoptr(GError) error = NULL;
  g_autoptr(KlShipment) s = g_task_propagate_pointer (G_TASK (result), &error);
  g_autoptr(GString) facts = NULL;

  /* As in customers_done (): a cancelled look-up may outlive the editor. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
      g_error_matches (error, KL_DATABASE_ERROR, KL_DATABASE_ERROR_CANCELLED))
    return;
  self = KL_CLAIM_EDITOR (user_data);
  if (error != NULL)
    {
      kl_record_editor_show_message (KL_RECORD_EDITOR (self), error->message);
      return;
    }
  if (s == NULL)
    {
      show_waybill_status (self, "dialog-warning-symbolic", "waybill-unknown",
                           _("Waybill not on record"),
                           _("The case can still be opened; it is flagged until the shipment is imported."));
      return;
    }

  facts = g_string_new (NULL);
  if (s->origin_city != NULL || s->dest_city != NULL)
    /* Translators: a shipment's route, "Shanghai → Beijing" */
    g_string_append_printf (facts, _("%s → %s"), s->origin_city ? s->origin_city : "?",
                            s->dest_city ? s->dest_city : "?");
  if (s->delivered_at != KL_NO_TIME)
    {
      g_autofree char *day = kl_claim_row_format_day (s->delivered_at, NULL);

      if (facts->len > 0)
        g_string_append (facts, " · ");
      /* Translators: when a shipment was delivered, "delivered 2026-10-31" */
      g_string_append_printf (facts, _("delivered %s"), day);
    }
  else
    {
      if (facts->len > 0)
        g_string_append (facts, " · ");
      g_string_append (facts, kl_shipment_status_to_label (s->status));
    }
  show_waybill_status (self, "emblem-ok-symbolic", "waybill-known", _("Shipment on record"), facts->str);

  /* Opened from a shipment: the case is its customer's. */
  if (selected_customer_id (self) == NULL)
    {
      if (self->customer_ids->len > 0)
        select_customer (self, s->customer_id);
      else if (self->wanted_customer_id == NULL)
        self->wanted_customer_id = g_strdup (s->customer_id);
    }
}

static gboolean
lookup_waybill (gpointer user_data)
{
  KlClaimEditor *self = user_data;
  g_autofree char *waybill = _kl_editor_dup_text (self->waybill_row);

  self->lookup_source = 0;
  if (waybill == NULL)
    return G_SOURCE_REMOVE;
  self->lookup_cancellable = g_cancellable_new ();
  /* No reference to the editor: shipment_done () leaves a cancelled
   * look-up alone, and the editor's dispose cancels it. */
  kl_worker_run (kl_record_editor_get_worker (KL_RECORD_EDITOR (self)), KL_WORKER_READ,
                 shipment_job, g_steal_pointer (&waybill), g_free,
                 (GDestroyNotify) kl_shipment_free, NULL, NULL, self->lookup_cancellable,
                 shipment_done, self);
  return G_SOURCE_REMOVE;
}

static void
on_waybill_changed (KlClaimEditor *self)
{
  g_autofree char *waybill = _kl_editor_dup_text (self->waybill_row);

  g_clear_handle_id (&self->lookup_source, g_source_remove);
  if (self->lookup_cancellable != NULL)
    g_cancellable_cancel (self->lookup_cancellable);
  g_clear_object (&self->lookup_cancellable);
  if (waybill == NULL)
    {
      gtk_widget_set_visible (GTK_WIDGET (self->waybill_status_row), FALSE);
      return;
    }
  self->lookup_source = g_timeout_add (LOOKUP_DELAY_MS, lookup_waybill, self);
}

/* Saving, through the base's flow: collect () on the main thread, then
 * create_record () on the worker. */

typedef struct {
  char        *customer_id;
  KlClaimKind  kind;
  gboolean     draft;
  char        *waybill;
  char        *incident_date;
  gboolean     claimed_set;
  gint64       claimed;
  char        *currency;
  char        *filed_date;     /* "YYYY-MM-DD" in the workspace time zone */
  char        *description;
  char        *note;
} CreateRequest;

static void
create_request_free (CreateRequest *r)
{
  g_free (r->customer_id);
  g_free (r->waybill);
  g_free (r->incident_date);
  g_free (r->currency);
  g_free (r->filed_date);
  g_free (r->description);
  g_free (r->note);
  g_free (r);
}

static char *
create_record (KlDatabase  *db,
               gpointer     record,
               GError     **error)
{
  CreateRequest *r = record;
  KlClaimNew in = KL_CLAIM_NEW_INIT;
  GTimeZone *tz = kl_database_get_timezone (db);
  g_autoptr(GDateTime) now = g_date_time_new_now (tz);
  g_autofree char *today = g_date_time_format (now, "%Y-%m-%d");

  in.customer_id = r->customer_id;
  in.kind = r->kind;
  in.draft = r->draft;
  in.waybill = r->waybill;
  in.incident_date = r->incident_date;
  in.claimed_set = r->claimed_set;
  in.claimed = r->claimed;
  in.currency = r->claimed_set ? r->currency : NULL;
  in.description = r->description;
  in.note = r->note;

  /* Filed today: now, so the history keeps its order; an earlier day: the
   * start of that day in the workspace time zone. */
  if (r->filed_date != NULL && strcmp (r->filed_date, today) != 0)
    {
      int y, m, d;
      g_autoptr(GDateTime) day = NULL;

      if (strcmp (r->filed_date, today) > 0)
        {
          g_set_error (error, KL_DATABASE_ERROR, KL_DATABASE_ERROR_INVALID,
                       _("The filing date %s is in the future; give the day the case was filed"),
                       r->filed_date);
          return NULL;
        }
      if (sscanf (r->filed_date, "%4d-%2d-%2d", &y, &m, &d) == 3)
        day = g_date_time_new (tz, y, m, d, 0, 0, 0);
      if (day != NULL)
        in.filed_at = g_date_time_to_unix (day);
    }
  return kl_claim_store_create (db, &in, error);
}

/* The filing day the store finds in the future, or an amount it refuses,
 * is shown at its field; anything else in the dialog. */
static gboolean
show_save_error (KlRecordEditor *editor,
                 const GError   *error)
{
  KlClaimEditor *self = KL_CLAIM_EDITOR (editor);

  if (g_error_matches (error, KL_DATABASE_ERROR, KL_DATABASE_ERROR_INVALID))
    {
      _kl_editor_set_field_error (GTK_WIDGET (self->filed_row), self->filed_error, error->message);
      gtk_widget_grab_focus (GTK_WIDGET (self->filed_row));
      return TRUE;
    }
  if (g_error_matches (error, KL_CLAIM_ERROR, KL_CLAIM_ERROR_AMOUNT) &&
      gtk_widget_get_visible (self->amount_group))
    {
      _kl_editor_set_field_error (GTK_WIDGET (self->amount_row), self->amount_error, error->message);
      gtk_widget_grab_focus (GTK_WIDGET (self->amount_row));
      return TRUE;
    }
  return FALSE;
}

static void
clear_errors (KlRecordEditor *editor)
{
  KlClaimEditor *self = KL_CLAIM_EDITOR (editor);

  _kl_editor_set_field_error (GTK_WIDGET (self->customer_row), self->customer_error, NULL);
  _kl_editor_set_field_error (GTK_WIDGET (self->incident_row), self->incident_error, NULL);
  _kl_editor_set_field_error (GTK_WIDGET (self->amount_row), self->amount_error, NULL);
  _kl_editor_set_field_error (GTK_WIDGET (self->filed_row), self->filed_error, NULL);
}

/* The new case read from the fields, or NULL after showing each problem at
 * its field and focusing the first. */
static gpointer
collect (KlRecordEditor *editor)
{
  KlClaimEditor *self = KL_CLAIM_EDITOR (editor);
  CreateRequest *r = g_new0 (CreateRequest, 1);
  g_autofree char *amount = _kl_editor_dup_text (self->amount_row);
  g_autofree char *today = today_text ();
  g_autoptr(GError) error = NULL;
  GtkWidget *first_bad = NULL;

  r->customer_id = g_strdup (selected_customer_id (self));
  r->kind = selected_kind (self);
  r->draft = kl_claim_kind_is_freight (r->kind) && gtk_switch_get_active (self->draft_switch);
  r->waybill = _kl_editor_dup_text (self->waybill_row);
  r->incident_date = _kl_editor_dup_text (self->incident_row);
  r->filed_date = _kl_editor_dup_text (self->filed_row);
  r->description = _kl_editor_dup_text (self->description_row);
  r->note = _kl_editor_dup_text (self->note_row);
  r->currency = g_strdup (selected_currency (self));

  if (r->customer_id == NULL)
    {
      _kl_editor_set_field_error (GTK_WIDGET (self->customer_row), self->customer_error,
                                  _("Choose the customer the case is for"));
      first_bad = GTK_WIDGET (self->customer_dropdown);
    }
  if (r->incident_date != NULL &&
      (!_kl_editor_date_valid (r->incident_date) || strcmp (r->incident_date, today) > 0))
    {
      _kl_editor_set_field_error (GTK_WIDGET (self->incident_row), self->incident_error,
                                  _("Enter a past day like 2026-10-05, or leave it empty"));
      first_bad = first_bad ? first_bad : GTK_WIDGET (self->incident_row);
    }
  if (kl_claim_kind_is_freight (r->kind) && amount != NULL)
    {
      if (kl_money_parse (amount, r->currency, &r->claimed, &error))
        r->claimed_set = TRUE;
      else
        {
          _kl_editor_set_field_error (GTK_WIDGET (self->amount_row), self->amount_error, error->message);
          first_bad = first_bad ? first_bad : GTK_WIDGET (self->amount_row);
        }
    }
  if (r->filed_date == NULL || !_kl_editor_date_valid (r->filed_date))
    {
      _kl_editor_set_field_error (GTK_WIDGET (self->filed_row), self->filed_error,
                                  _("Enter the day the case was filed, like 2026-10-05"));
      first_bad = first_bad ? first_bad : GTK_WIDGET (self->filed_row);
    }
  else if (strcmp (r->filed_date, today) > 0)
    {
      _kl_editor_set_field_error (GTK_WIDGET (self->filed_row), self->filed_error,
                                  _("The filing day is in the future; give the day the case was filed"));
      first_bad = first_bad ? first_bad : GTK_WIDGET (self->filed_row);
    }

  if (first_bad != NULL)
    {
      gtk_widget_grab_focus (first_bad);
      create_request_free (r);
      return NULL;
    }
  return r;
}

/* GObject */

static void
kl_claim_editor_dispose (GObject *object)
{
  KlClaimEditor *self = KL_CLAIM_EDITOR (object);

  /* The base cancels the customers' load and a save; the look-up is ours. */
  g_clear_handle_id (&self->lookup_source, g_source_remove);
  if (self->lookup_cancellable != NULL)
    g_cancellable_cancel (self->lookup_cancellable);
  G_OBJECT_CLASS (kl_claim_editor_parent_class)->dispose (object);
}

static void
kl_claim_editor_finalize (GObject *object)
{
  KlClaimEditor *self = KL_CLAIM_EDITOR (object);

  g_clear_object (&self->lookup_cancellable);
  g_clear_pointer (&self->customer_ids, g_ptr_array_unref);
  g_free (self->wanted_customer_id);
  G_OBJECT_CLASS (kl_claim_editor_parent_class)->finalize (object);
}

static void
kl_claim_editor_class_init (KlClaimEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  KlRecordEditorClass *editor_class = KL_RECORD_EDITOR_CLASS (klass);

  object_class->dispose = kl_claim_editor_dispose;
  object_class->finalize = kl_claim_editor_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/keyline/Keyline/kl-claim-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, KlClaimEditor, general_error);
  gtk_widget_class_bind_template_child (widget_class, KlClaimEditor, customer_row);
  gtk_widget_class_bind_template_child (widget_class, KlClaimEditor, customer_dropdown);
  gtk_widget_class_bind_template_child (widget_class, KlClaimEditor, customer_error);
  gtk_widget_class_bind_template_child (widget_class, KlClaimEditor, kind_row);
  gtk_widget_class_bind_template_child (widget_class, KlClaimEditor, draft_row);
  gtk_widget_class_bind_template_child (widget_class, KlClaimEditor, draft_switch);
  gtk_widget_class_bind_template_child (widget_class, KlClaimEditor, waybill_row);
  gtk_widget_class_bind_template_child (widget_class, KlClaimEditor, waybill_status_row);
  gtk_widget_class_bind_template_child (widget_class, KlClaimEditor, waybill_status_icon);
  gtk_widget_class_bind_template_child (widget_class, KlClaimEditor, incident_row);
  gtk_widget_class_bind_template_child (widget_class, KlClaimEditor, incident_error);
  gtk_widget_class_bind_template_child (widget_class, KlClaimEditor, amount_group);
  gtk_widget_class_bind_template_child (widget_class, KlClaimEditor, amount_row);
  gtk_widget_class_bind_template_child (widget_class, KlClaimEditor, amount_error);
  gtk_widget_class_bind_template_child (widget_class, KlClaimEditor, currency_row);
  gtk_widget_class_bind_template_child (widget_class, KlClaimEditor, filed_row);
  gtk_widget_class_bind_template_child (widget_class, KlClaimEditor, filed_error);
  gtk_widget_class_bind_template_child (widget_class, KlClaimEditor, description_row);
  gtk_widget_class_bind_template_child (widget_class, KlClaimEditor, note_row);
  gtk_widget_class_bind_template_callback (widget_class, on_kind_selected);
  gtk_widget_class_bind_template_callback (widget_class, on_waybill_changed);

  editor_class->clear_errors = clear_errors;
  editor_class->collect = collect;
  editor_class->show_save_error = show_save_error;
  editor_class->save = create_record;
  editor_class->record_free = (GDestroyNotify) create_request_free;

  /* editor.save (Ctrl+S) and editor.cancel (Escape) come from the base;
   * Ctrl+Return creates the case too, as it always has here. */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK, "editor.save", NULL);
}

static void
kl_claim_editor_init (KlClaimEditor *self)
{
  g_autoptr(GtkStringList) kinds = gtk_string_list_new (NULL);
  g_autoptr(GtkStringList) codes = gtk_string_list_new (NULL);
  g_autoptr(GtkStringList) loading = gtk_string_list_new (NULL);

  /* The base closes the editor with the window it belongs to (as the
   * template says too), while that window still exists: a load finishing
   * later must not be the one to free it. */
  gtk_widget_init_template (GTK_WIDGET (self));
  kl_date_row_attach (self->incident_row, FALSE);
  kl_date_row_attach (self->filed_row, FALSE);
  /* Keep the theme's node name (window) so its styling applies. */
  gtk_widget_add_css_class (GTK_WIDGET (self), "claim-editor");
  kl_claim_row_ensure_style (GTK_WIDGET (self));
  kl_record_editor_set_message_label (KL_RECORD_EDITOR (self), self->general_error);
  self->customer_ids = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < KL_N_CLAIM_KINDS; i++)
    gtk_string_list_append (kinds, kl_claim_kind_to_label (i));
  adw_combo_row_set_model (self->kind_row, G_LIST_MODEL (kinds));
  for (guint i = 0; i < G_N_ELEMENTS (currencies); i++)
    gtk_string_list_append (codes, currencies[i]);
  adw_combo_row_set_model (self->currency_row, G_LIST_MODEL (codes));

  {
    /* The drop-down's search is the Customers page's (any part of a name,
     * a code, a contact); its expression answers the search, so the
     * entries are drawn by a factory of their own. */
    const KlCustomerSearchItems items = { entry_customer_id, entry_text };
    g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();

    g_signal_connect (factory, "setup", G_CALLBACK (entry_setup), NULL);
    g_signal_connect (factory, "bind", G_CALLBACK (entry_bind), NULL);
    gtk_drop_down_set_factory (self->customer_dropdown, factory);
    kl_customer_search_attach (self->customer_dropdown, &items);
  }
  gtk_string_list_append (loading, _("Loading customers…"));
  gtk_drop_down_set_model (self->customer_dropdown, G_LIST_MODEL (loading));
  gtk_widget_set_sensitive (GTK_WIDGET (self->customer_dropdown), FALSE);
  on_kind_selected (self);
}

GtkWidget *
kl_claim_editor_new (KlWorker   *worker,
                     const char *customer_id,
                     const char *waybill)
{
  KlClaimEditor *self;
  g_autofree char *today = today_text ();

  g_return_val_if_fail (KL_IS_WORKER (worker), NULL);

  self = g_object_new (KL_TYPE_CLAIM_EDITOR, "worker", worker, NULL);
  self->wanted_customer_id = g_strdup (customer_id);
  kl_customer_search_set_worker (self->customer_dropdown, worker);
  gtk_editable_set_text (GTK_EDITABLE (self->filed_row), today);
  if (waybill != NULL)
    gtk_editable_set_text (GTK_EDITABLE (self->waybill_row), waybill);

  /* No reference to the editor: customers_done () leaves a cancelled load
   * alone, and the editor's dispose cancels it. */
  kl_worker_run (worker, KL_WORKER_READ, customers_job, NULL, NULL,
                 (GDestroyNotify) g_ptr_array_unref, NULL, NULL,
                 kl_record_editor_get_cancellable (KL_RECORD_EDITOR (self)),
                 customers_done, self);
  return GTK_WIDGET (self);
}
