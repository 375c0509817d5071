/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the user can do in the customer detail: the editors behind
 * customer.edit, contact.add …, deletes with undo from a toast, the done
 * toggle of an activity, and Delete on a focused row. Every change runs on
 * the worker and then reloads the pane. */
#include "config.h"

#include <glib/gi18n.h>

#include "kl-customer-detail-private.h"
#include "kl-customer-editor.h"
#include "kl-contact-editor.h"
#include "kl-agreement-editor.h"
#include "kl-activity-editor.h"
#include "kl-customer-store.h"
#include "kl-contact-store.h"
#include "kl-agreement-store.h"
#include "kl-activity-store.h"

void
_kl_customer_detail_update_actions (KlCustomerDetail *self)
{
  gboolean live = self->customer != NULL && !self->customer->deleted;
  static const char *const live_actions[] = {
    "customer.edit", "customer.delete",
    "contact.add", "contact.edit", "contact.delete",
    "agreement.add", "agreement.edit", "agreement.delete",
    "activity.add", "activity.edit", "activity.delete", "activity.toggle-done",
  };

  for (guint i = 0; i < G_N_ELEMENTS (live_actions); i++)
    gtk_widget_action_set_enabled (GTK_WIDGET (self), live_actions[i], live);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "customer.restore",
                                 self->customer != NULL && self->customer->deleted);
}

/* Changes: deletes, their undo, and the done toggle */

typedef enum {
  CHANGE_DELETE_CUSTOMER,
  CHANGE_RESTORE_CUSTOMER,
  CHANGE_DELETE_CONTACT,
  CHANGE_RESTORE_CONTACT,
  CHANGE_DELETE_AGREEMENT,
  CHANGE_RESTORE_AGREEMENT,
  CHANGE_DELETE_ACTIVITY,
  CHANGE_RESTORE_ACTIVITY,
  CHANGE_TOGGLE_DONE,
} ChangeKind;

typedef struct {
  ChangeKind  kind;
  char       *customer_id;
  char       *id;
  char       *label;       /* names the record in toasts */
  gpointer    record;      /* a copy to save again on undo */
  GStrv       linked;      /* activities that named a deleted contact */
} Change;

static void
change_free (Change *change)
{
  g_free (change->customer_id);
  g_free (change->id);
  g_free (change->label);
  if (change->record != NULL)
    switch (change->kind)
      {
      case CHANGE_DELETE_CONTACT:
      case CHANGE_RESTORE_CONTACT:
        kl_contact_free (change->record);
        break;
      case CHANGE_DELETE_AGREEMENT:
      case CHANGE_RESTORE_AGREEMENT:
        kl_agreement_free (change->record);
        break;
      case CHANGE_DELETE_ACTIVITY:
      case CHANGE_RESTORE_ACTIVITY:
        kl_activity_free (change->record);
        break;
      case CHANGE_DELETE_CUSTOMER:
      case CHANGE_RESTORE_CUSTOMER:
      case CHANGE_TOGGLE_DONE:
      default:
        break;
      }
  g_strfreev (change->linked);
  g_free (change);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Change, change_free)

/* Runs on the worker; fills in what undo needs. Returns the change itself
 * (the caller keeps ownership; data_free is NULL). */
static gpointer
change_job (KlDatabase   *db,
            gpointer      data,
            KlWorkerJob  *job,
            GError      **error)
{
  Change *change = data;
  gboolean ok = FALSE;

  switch (change->kind)
    {
    case CHANGE_DELETE_CUSTOMER:
      ok = kl_customer_store_delete (db, change->id, error);
      break;
    case CHANGE_RESTORE_CUSTOMER:
      ok = kl_customer_store_restore (db, change->id, error);
      break;
    case CHANGE_DELETE_CONTACT:
      g_strfreev (change->linked);
      change->linked = kl_activity_store_naming_contact (db, change->id, error);
      ok = change->linked != NULL && kl_contact_store_delete (db, change->id, error);
      break;
    case CHANGE_RESTORE_CONTACT:
      ok = kl_contact_store_save (db, change->record, error) &&
           kl_activity_store_relink_contact (db, change->id,
                                             (const char * const *) change->linked, error);
      break;
    case CHANGE_DELETE_AGREEMENT:
      ok = kl_agreement_store_delete (db, change->id, error);
      break;
    case CHANGE_RESTORE_AGREEMENT:
      ok = kl_agreement_store_save (db, change->record, error);
      break;
    case CHANGE_DELETE_ACTIVITY:
      ok = kl_activity_store_delete (db, change->id, error);
      break;
    case CHANGE_RESTORE_ACTIVITY:
      ok = kl_activity_store_save (db, change->record, error);
      break;
    case CHANGE_TOGGLE_DONE:
      {
        g_autoptr(KlActivity) a = kl_activity_store_get (db, change->id, error);

        if (a != NULL)
          {
            a->done = !a->done;
            ok = kl_activity_store_save (db, a, error);
          }
      }
      break;
    default:
      g_assert_not_reached ();
    }
  return ok ? change : NULL;
}

typedef struct {
  KlCustomerDetail *self;
  Change           *change;
} ChangeCall;

static void change_done (GObject *source, GAsyncResult *res, gpointer user_data);

static void
run_change (KlCustomerDetail *self,
            Change           *change)
{
  ChangeCall *call = g_new0 (ChangeCall, 1);

  call->self = g_object_ref (self);
  call->change = change;
  kl_worker_run (self->worker, KL_WORKER_WRITE, change_job, change, NULL, NULL,
                 NULL, NULL, self->cancellable, change_done, call);
}

static void
on_toast_dismissed (AdwToast         *toast,
                    KlCustomerDetail *self)
{
  const char *token = g_object_get_data (G_OBJECT (toast), "kl-undo-token");

  if (token != NULL && self->undos != NULL)
    g_hash_table_remove (self->undos, token);
}

static void
offer_undo (KlCustomerDetail *self,
            Change           *change,
            const char       *title)
{
  AdwToast *toast = adw_toast_new (title);
  char *token = g_strdup_printf ("%u", ++self->undo_serial);

  adw_toast_set_button_label (toast, _("_Undo"));
  adw_toast_set_action_name (toast, "detail.undo");
  adw_toast_set_action_target (toast, "s", token);
  adw_toast_set_timeout (toast, 8);
  /* The newest deletion is the one people want to take back. */
  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  g_object_set_data_full (G_OBJECT (toast), "kl-undo-token", g_strdup (token), g_free);
  g_signal_connect_object (toast, "dismissed", G_CALLBACK (on_toast_dismissed), self, 0);
  g_hash_table_insert (self->undos, token, change);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static void
show_toast (KlCustomerDetail *self,
            const char       *title)
{
  g_autofree char *escaped = g_markup_escape_text (title, -1);
  AdwToast *t = adw_toast_new (escaped);

  adw_toast_set_timeout (t, 8);
  adw_toast_overlay_add_toast (self->toast_overlay, t);
}

static void
change_done (GObject      *source,
             GAsyncResult *res,
             gpointer      user_data)
{
  ChangeCall *call = user_data;
  g_autoptr(KlCustomerDetail) self = call->self;
  g_autoptr(Change) change = call->change;
  g_autoptr(GError) error = NULL;
  g_autofree char *title = NULL;
  g_autofree char *label = NULL;

  g_free (call);
  kl_worker_run_finish (self->worker, res, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
      g_error_matches (error, KL_DATABASE_ERROR, KL_DATABASE_ERROR_CANCELLED))
    return;

  if (error != NULL)
    {
      show_toast (self, error->message);
      _kl_customer_detail_reload (self);
      return;
    }

  /* Toast titles are Pango markup. */
  label = change->label ? g_markup_escape_text (change->label, -1) : g_strdup ("");
  switch (change->kind)
    {
    case CHANGE_DELETE_CUSTOMER:
      title = g_strdup_printf (_("Customer “%s” deleted"), label);
      change->kind = CHANGE_RESTORE_CUSTOMER;
      break;
    case CHANGE_DELETE_CONTACT:
      title = g_strdup_printf (_("Contact “%s” deleted"), label);
      change->kind = CHANGE_RESTORE_CONTACT;
      break;
    case CHANGE_DELETE_AGREEMENT:
      title = g_strdup_printf (_("Agreement %s deleted"), label);
      change->kind = CHANGE_RESTORE_AGREEMENT;
      break;
    case CHANGE_DELETE_ACTIVITY:
      title = g_strdup_printf (_("Activity “%s” deleted"), label);
      change->kind = CHANGE_RESTORE_ACTIVITY;
      break;
    case CHANGE_RESTORE_CUSTOMER:
    case CHANGE_RESTORE_CONTACT:
    case CHANGE_RESTORE_AGREEMENT:
    case CHANGE_RESTORE_ACTIVITY:
    case CHANGE_TOGGLE_DONE:
    default:
      break;
    }

  /* A deleted customer has just turned into its undo (restore) above. */
  if (change->kind == CHANGE_RESTORE_CUSTOMER)
    _kl_customer_detail_emit_customer_changed (self, change->id);
  if (g_strcmp0 (change->customer_id, self->customer_id) == 0)
    _kl_customer_detail_reload (self);
  if (title != NULL)
    offer_undo (self, g_steal_pointer (&change), title);
}

/* Editors */

static void
present_editor (KlCustomerDetail *self,
                GtkWidget        *editor,
                GCallback         on_saved)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (GTK_IS_WINDOW (root))
    gtk_window_set_transient_for (GTK_WINDOW (editor), GTK_WINDOW (root));
  g_signal_connect_object (editor, "saved", on_saved, self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (editor));
}

static void
on_customer_saved (KlCustomerDetail *self,
                   const char       *id)
{
  if (g_strcmp0 (id, self->customer_id) == 0)
    _kl_customer_detail_reload (self);
  _kl_customer_detail_emit_customer_changed (self, id);
}

static void
on_record_saved (KlCustomerDetail *self,
                 const char       *id)
{
  _kl_customer_detail_reload (self);
}

static gpointer
find_record (GPtrArray  *records,
             const char *id)
{
  /* Every record type starts with its id. */
  for (guint i = 0; records != NULL && i < records->len; i++)
    {
      char **record_id = g_ptr_array_index (records, i);

      if (g_strcmp0 (*record_id, id) == 0)
        return record_id;
    }
  return NULL;
}

static void
customer_edit (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  KlCustomerDetail *self = KL_CUSTOMER_DETAIL (widget);

  if (self->customer == NULL)
    return;
  present_editor (self, kl_customer_editor_new (self->worker, self->customer->id),
                  G_CALLBACK (on_customer_saved));
}

static void
customer_delete (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  KlCustomerDetail *self = KL_CUSTOMER_DETAIL (widget);
  Change *change;

  if (self->customer == NULL)
    return;
  change = g_new0 (Change, 1);
  change->kind = CHANGE_DELETE_CUSTOMER;
  change->customer_id = g_strdup (self->customer->id);
  change->id = g_strdup (self->customer->id);
  change->label = g_strdup (self->customer->name);
  run_change (self, change);
}

static void
customer_restore (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  KlCustomerDetail *self = KL_CUSTOMER_DETAIL (widget);
  Change *change;

  if (self->customer == NULL)
    return;
  change = g_new0 (Change, 1);
  change->kind = CHANGE_RESTORE_CUSTOMER;
  change->customer_id = g_strdup (self->customer->id);
  change->id = g_strdup (self->customer->id);
  run_change (self, change);
}

static void
contact_add (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  KlCustomerDetail *self = KL_CUSTOMER_DETAIL (widget);

  if (self->customer != NULL)
    present_editor (self, kl_contact_editor_new (self->worker, self->customer->id, NULL),
                    G_CALLBACK (on_record_saved));
}

static void
contact_edit (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  KlCustomerDetail *self = KL_CUSTOMER_DETAIL (widget);
  KlContact *c = find_record (self->contacts, g_variant_get_string (parameter, NULL));

  if (c != NULL)
    present_editor (self, kl_contact_editor_new (self->worker, self->customer->id, c),
                    G_CALLBACK (on_record_saved));
}

static void
contact_delete (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  KlCustomerDetail *self = KL_CUSTOMER_DETAIL (widget);
  KlContact *c = find_record (self->contacts, g_variant_get_string (parameter, NULL));
  Change *change;

  if (c == NULL)
    return;
  change = g_new0 (Change, 1);
  change->kind = CHANGE_DELETE_CONTACT;
  change->customer_id = g_strdup (c->customer_id);
  change->id = g_strdup (c->id);
  change->label = g_strdup (c->name);
  change->record = kl_contact_copy (c);
  run_change (self, change);
}

static void
agreement_add (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  KlCustomerDetail *self = KL_CUSTOMER_DETAIL (widget);

  if (self->customer != NULL)
    present_editor (self, kl_agreement_editor_new (self->worker, self->customer->id, NULL),
                    G_CALLBACK (on_record_saved));
}

static void
agreement_edit (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  KlCustomerDetail *self = KL_CUSTOMER_DETAIL (widget);
  KlAgreement *a = find_record (self->agreements, g_variant_get_string (parameter, NULL));

  if (a != NULL)
    present_editor (self, kl_agreement_editor_new (self->worker, self->customer->id, a),
                    G_CALLBACK (on_record_saved));
}

static void
agreement_delete (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  KlCustomerDetail *self = KL_CUSTOMER_DETAIL (widget);
  KlAgreement *a = find_record (self->agreements, g_variant_get_string (parameter, NULL));
  Change *change;

  if (a == NULL)
    return;
  change = g_new0 (Change, 1);
  change->kind = CHANGE_DELETE_AGREEMENT;
  change->customer_id = g_strdup (a->customer_id);
  change->id = g_strdup (a->id);
  change->label = _kl_agreement_period_text (a);
  change->record = kl_agreement_copy (a);
  run_change (self, change);
}

static void
activity_add (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  KlCustomerDetail *self = KL_CUSTOMER_DETAIL (widget);

  if (self->customer != NULL)
    present_editor (self, kl_activity_editor_new (self->worker, self->customer->id, self->contacts, NULL),
                    G_CALLBACK (on_record_saved));
}

static void
activity_edit (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  KlCustomerDetail *self = KL_CUSTOMER_DETAIL (widget);
  KlActivity *a = find_record (self->activities, g_variant_get_string (parameter, NULL));

  if (a != NULL)
    present_editor (self, kl_activity_editor_new (self->worker, self->customer->id, self->contacts, a),
                    G_CALLBACK (on_record_saved));
}

static void
activity_delete (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  KlCustomerDetail *self = KL_CUSTOMER_DETAIL (widget);
  KlActivity *a = find_record (self->activities, g_variant_get_string (parameter, NULL));
  Change *change;

  if (a == NULL)
    return;
  change = g_new0 (Change, 1);
  change->kind = CHANGE_DELETE_ACTIVITY;
  change->customer_id = g_strdup (a->customer_id);
  change->id = g_strdup (a->id);
  change->label = g_strdup (a->subject);
  change->record = kl_activity_copy (a);
  run_change (self, change);
}

static void
activity_toggle_done (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  KlCustomerDetail *self = KL_CUSTOMER_DETAIL (widget);
  KlActivity *a = find_record (self->activities, g_variant_get_string (parameter, NULL));
  Change *change;

  if (a == NULL)
    return;
  change = g_new0 (Change, 1);
  change->kind = CHANGE_TOGGLE_DONE;
  change->customer_id = g_strdup (a->customer_id);
  change->id = g_strdup (a->id);
  run_change (self, change);
}

static void
detail_undo (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  KlCustomerDetail *self = KL_CUSTOMER_DETAIL (widget);
  gpointer key = NULL, value = NULL;

  if (!g_hash_table_steal_extended (self->undos, g_variant_get_string (parameter, NULL), &key, &value))
    return;
  g_free (key);
  run_change (self, value);
}

/* Delete on a focused row deletes its record (with undo). */
static gboolean
on_list_key_pressed (GtkEventControllerKey *controller,
                     guint                  keyval,
                     guint                  keycode,
                     GdkModifierType        state,
                     KlCustomerDetail      *self)
{
  GtkWidget *list = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (controller));
  const char *action = g_object_get_data (G_OBJECT (list), DELETE_ACTION_KEY);
  GtkWidget *focus;

  if ((keyval != GDK_KEY_Delete && keyval != GDK_KEY_KP_Delete) ||
      (state & gtk_accelerator_get_default_mod_mask ()) != 0)
    return FALSE;

  focus = gtk_root_get_focus (gtk_widget_get_root (list));
  for (; focus != NULL && focus != list; focus = gtk_widget_get_parent (focus))
    if (gtk_widget_get_parent (focus) == list)
      {
        const char *id = g_object_get_data (G_OBJECT (focus), RECORD_ID_KEY);

        if (id == NULL)
          return FALSE;
        gtk_widget_activate_action (GTK_WIDGET (self), action, "s", id);
        return TRUE;
      }
  return FALSE;
}

static void
watch_delete_key (KlCustomerDetail *self,
                  GtkListBox       *list,
                  const char       *action)
{
  GtkEventController *keys = gtk_event_controller_key_new ();

  g_object_set_data (G_OBJECT (list), DELETE_ACTION_KEY, (gpointer) action);
  g_signal_connect_object (keys, "key-pressed", G_CALLBACK (on_list_key_pressed), self, 0);
  gtk_widget_add_controller (GTK_WIDGET (list), keys);
}

void
_kl_customer_detail_class_install_actions (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "customer.edit", NULL, customer_edit);
  gtk_widget_class_install_action (widget_class, "customer.delete", NULL, customer_delete);
  gtk_widget_class_install_action (widget_class, "customer.restore", NULL, customer_restore);
  gtk_widget_class_install_action (widget_class, "contact.add", NULL, contact_add);
  gtk_widget_class_install_action (widget_class, "contact.edit", "s", contact_edit);
  gtk_widget_class_install_action (widget_class, "contact.delete", "s", contact_delete);
  gtk_widget_class_install_action (widget_class, "agreement.add", NULL, agreement_add);
  gtk_widget_class_install_action (widget_class, "agreement.edit", "s", agreement_edit);
  gtk_widget_class_install_action (widget_class, "agreement.delete", "s", agreement_delete);
  gtk_widget_class_install_action (widget_class, "activity.add", NULL, activity_add);
  gtk_widget_class_install_action (widget_class, "activity.edit", "s", activity_edit);
  gtk_widget_class_install_action (widget_class, "activity.delete", "s", activity_delete);
  gtk_widget_class_install_action (widget_class, "activity.toggle-done", "s", activity_toggle_done);
  gtk_widget_class_install_action (widget_class, "detail.undo", "s", detail_undo);
}

void
_kl_customer_detail_init_actions (KlCustomerDetail *self)
{
  self->undos = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) change_free);
  watch_delete_key (self, self->contacts_list, "contact.delete");
  watch_delete_key (self, self->agreements_list, "agreement.delete");
  watch_delete_key (self, self->activities_list, "activity.delete");
}
