/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The header bar's sync button: see kl-sync-button.h. */

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include <stdio.h>
#include <string.h>

#include "kl-claim-lifecycle.h"
#include "kl-claim-row.h"
#include "kl-customer-store.h"
#include "kl-enums.h"
#include "kl-sync-button.h"
#include "kl-sync-engine.h"
#include "kl-sync-store.h"
#include "kl-sync-token.h"


struct _KlSyncButton {
  GtkBox         parent_instance;
  char          *path;
  GtkButton     *button;
  GtkSpinner    *spinner;
  GtkImage      *image;
  GtkLabel      *label;
  GtkButton     *conflicts_button;
  GCancellable  *cancellable;
  guint          timer;          /* the automatic sync's; 0 when it is off */
  guint          interval;       /* its minutes */
  GSettings     *settings;
  gulong         network_handler;
  gboolean       offline;
  gint64         conflicts;
  char          *status;
  gint64         progress;   /* records so far, written by the sync thread */
  guint          progress_source;
};

G_DEFINE_FINAL_TYPE (KlSyncButton, kl_sync_button, GTK_TYPE_BOX)

enum { SIGNAL_SYNCED, N_SIGNALS };
static guint signals[N_SIGNALS];

typedef struct {
  KlSyncStats  stats;
  gint64       conflicts;
  gboolean     no_server;
} SyncResult;

static void
set_status (KlSyncButton *self, const char *text, const char *tooltip)
{
  g_free (self->status);
  self->status = g_strdup (text);
  gtk_label_set_label (self->label, text);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->button), tooltip ? tooltip : text);
  /* The button's child is a box: its name for assistive technology is
   * given here, the state it shows. */
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, text,
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, tooltip ? tooltip : text,
                                  -1);
}

static void
show_conflicts_count (KlSyncButton *self)
{
  gtk_widget_set_visible (GTK_WIDGET (self->conflicts_button), self->conflicts > 0);
  if (self->conflicts > 0)
    {
      g_autofree char *text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%lld Conflict", "%lld Conflicts",
                                                            (gulong) self->conflicts),
                                               (long long) self->conflicts);

      gtk_button_set_label (self->conflicts_button, text);
    }
}

static void
sync_thread (GTask        *task,
             gpointer      source,
             gpointer      task_data,
             GCancellable *cancellable)
{
  KlSyncButton *self = source;
  g_autoptr(GError) error = NULL;
  g_autoptr(KlDatabase) db = kl_database_open (self->path, 0, &error);
  g_autoptr(KlSyncClient) client = NULL;
  g_autofree char *url = NULL, *token = NULL;
  SyncResult *result = g_new0 (SyncResult, 1);
  KlSyncOptions options = { FALSE, FALSE, 0 };

  if (db == NULL)
    {
      g_free (result);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  url = kl_database_get_setting (db, KL_SYNC_SETTING_SERVER);
  if (url == NULL || *url == '\0')
    {
      result->no_server = TRUE;
      g_task_return_pointer (task, result, g_free);
      return;
    }
  token = kl_sync_token_lookup (url, cancellable, &error);
  if (token == NULL)
    {
      g_free (result);
      if (error == NULL)
        g_set_error (&error, KL_SYNC_ERROR, KL_SYNC_ERROR_NO_TOKEN,
                     _("Not signed in to %s; sign in under Preferences → Back Office"), url);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  client = kl_sync_client_new (url, token, &error);
  if (client == NULL ||
      !kl_sync_run (db, client, &options, (KlSyncProgressFunc) NULL, NULL, &result->stats, cancellable, &error))
    {
      g_free (result);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  result->conflicts = kl_sync_store_conflict_count (db);
  g_task_return_pointer (task, result, g_free);
}

static void
sync_done (GObject      *source,
           GAsyncResult *res,
           gpointer      data)
{
  KlSyncButton *self = KL_SYNC_BUTTON (source);
  g_autoptr(GError) error = NULL;
  g_autofree SyncResult *result = g_task_propagate_pointer (G_TASK (res), &error);

  g_clear_object (&self->cancellable);
  gtk_spinner_stop (self->spinner);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->image), TRUE);
  if (result != NULL && result->no_server)
    set_status (self, _("Not Signed In"), _("Sign in to the back office under Preferences → Back Office"));
  else if (result != NULL)
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_local ();
      g_autofree char *time = g_date_time_format (now, "%H:%M");
      /* Translators: %s is a time of day, 14:05 */
      g_autofree char *text = g_strdup_printf (_("Up to Date, %s"), time);

      self->offline = FALSE;
      self->conflicts = result->conflicts;
      set_status (self, text, _("Sync Now"));
    }
  else if (g_error_matches (error, KL_SYNC_ERROR, KL_SYNC_ERROR_CANCELLED))
    set_status (self, _("Sync Cancelled"), _("Sync Now"));
  else if (g_error_matches (error, KL_SYNC_ERROR, KL_SYNC_ERROR_UNAVAILABLE))
    {
      self->offline = TRUE;
      set_status (self, _("Offline"), error->message);
    }
  else
    /* the message says what to do; work goes on */
    set_status (self, _("Sync Failed"), error->message);
  show_conflicts_count (self);
  g_signal_emit (self, signals[SIGNAL_SYNCED], 0);
}

void
kl_sync_button_sync_now (KlSyncButton *self)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (KL_IS_SYNC_BUTTON (self));
  if (self->cancellable != NULL)
    return;
  self->cancellable = g_cancellable_new ();
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), TRUE);
  gtk_spinner_start (self->spinner);
  gtk_widget_set_visible (GTK_WIDGET (self->image), FALSE);
  set_status (self, _("Syncing…"), _("Cancel the Sync"));
  task = g_task_new (self, self->cancellable, sync_done, NULL);
  g_task_run_in_thread (task, sync_thread);
}

static void
on_clicked (KlSyncButton *self)
{
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  else
    kl_sync_button_sync_now (self);
}

static gboolean
on_timer (gpointer data)
{
  kl_sync_button_sync_now (data);
  return G_SOURCE_CONTINUE;
}

/* One timer at the "sync-interval" setting's pace, none when it is 0: no
 * wake-up at all while the automatic sync is off. */
static void
schedule (KlSyncButton *self)
{
  guint minutes = self->settings != NULL ? g_settings_get_uint (self->settings, "sync-interval") : 0;

  if (self->timer != 0 && minutes == self->interval)
    return;
  g_clear_handle_id (&self->timer, g_source_remove);
  self->interval = minutes;
  if (minutes > 0)
    self->timer = g_timeout_add_seconds (minutes * 60, on_timer, self);
}

static void
on_network_changed (GNetworkMonitor *monitor,
                    gboolean         available,
                    KlSyncButton    *self)
{
  /* The network came back: what waited goes now. */
  if (available && self->offline)
    kl_sync_button_sync_now (self);
}

/* Conflicts */

typedef struct {
  KlSyncButton *self;
  char         *id;
  gboolean      keep_local;
  GHashTable   *choices;      /* field → "local"/"server", or NULL */
} Resolve;

static void
resolve_thread (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  Resolve *r = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(KlDatabase) db = kl_database_open (r->self->path, 0, &error);

  if (db == NULL || !kl_sync_resolve (db, r->id, r->keep_local, r->choices, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_int (task, kl_sync_store_conflict_count (db));
}

static void
resolve_free (Resolve *r)
{
  g_free (r->id);
  g_clear_pointer (&r->choices, g_hash_table_unref);
  g_free (r);
}

static void
resolve_done (GObject *source, GAsyncResult *res, gpointer data)
{
  KlSyncButton *self = KL_SYNC_BUTTON (source);
  g_autoptr(GError) error = NULL;
  gssize left = g_task_propagate_int (G_TASK (res), &error);

  if (error != NULL)
    {
      set_status (self, _("Sync Failed"), error->message);
      return;
    }
  self->conflicts = left;
  show_conflicts_count (self);
  g_signal_emit (self, signals[SIGNAL_SYNCED], 0);
  if (left > 0)
    kl_sync_button_show_conflicts (self);
  else
    /* what was kept is pushed now */
    kl_sync_button_sync_now (self);
}

static void
on_conflict_response (AdwMessageDialog *dialog,
                      const char       *response,
                      gpointer          data)
{
  KlSyncButton *self = KL_SYNC_BUTTON (data);
  Resolve *r;
  g_autoptr(GTask) task = NULL;

  if (g_strcmp0 (response, "mine") != 0 && g_strcmp0 (response, "theirs") != 0 &&
      g_strcmp0 (response, "merge") != 0)
    return;
  r = g_new0 (Resolve, 1);
  r->self = self;
  r->id = g_strdup (g_object_get_data (G_OBJECT (dialog), "kl-conflict-id"));
  r->keep_local = !g_str_equal (response, "theirs");
  if (g_str_equal (response, "merge"))
    {
      /* Field by field: each field's Theirs toggle says which value stays;
       * the fields not in conflict keep the merged local copy's. */
      GPtrArray *toggles = g_object_get_data (G_OBJECT (dialog), "kl-merge-toggles");

      r->choices = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      for (guint i = 0; toggles != NULL && i < toggles->len; i++)
        {
          GtkToggleButton *theirs = g_ptr_array_index (toggles, i);

          g_hash_table_insert (r->choices, g_strdup (g_object_get_data (G_OBJECT (theirs), "kl-field")),
                               gtk_toggle_button_get_active (theirs) ? "server" : "local");
        }
    }
  task = g_task_new (self, NULL, resolve_done, NULL);
  g_task_set_task_data (task, r, (GDestroyNotify) resolve_free);
  g_task_run_in_thread (task, resolve_thread);
}

static void
conflicts_thread (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  KlSyncButton *self = source;
  g_autoptr(GError) error = NULL;
  g_autoptr(KlDatabase) db = kl_database_open (self->path, 0, &error);
  GPtrArray *list = db ? kl_sync_conflicts (db, &error) : NULL;

  if (list == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, list, (GDestroyNotify) g_ptr_array_unref);
}

static const char *
field_label (const char *field)
{
  static const struct { const char *field; const char *label; } labels[] = {
    { "code", N_("Code") }, { "name", N_("Name") }, { "legal_name", N_("Legal name") },
    { "kind", N_("Kind") }, { "channel", N_("Channel") }, { "industry", N_("Industry") },
    { "region", N_("Region") }, { "account_manager", N_("Account manager") },
    { "relationship", N_("Relationship") }, { "status", N_("Status") }, { "tags", N_("Tags") },
    { "notes", N_("Notes") }, { "contacts", N_("Contacts") }, { "agreement", N_("Agreement") },
    { "owner", N_("Owner") }, { "root_cause", N_("Root cause") },
    { "corrective_action", N_("Corrective action") }, { "documents", N_("Documents") },
    { "approved", N_("Approved amount") }, { "paid", N_("Paid amount") },
    { "return_destination", N_("Return to") }, { "return_carrier", N_("Return carrier") },
    { "return_label", N_("Return label") }, { "return_tracking", N_("Return tracking") },
    { "outcome", N_("Outcome") },
  };

  for (guint i = 0; i < G_N_ELEMENTS (labels); i++)
    if (g_str_equal (labels[i].field, field))
      return _(labels[i].label);
  return field;
}

/* A day "YYYY-MM-DD" in the locale's form, or NULL when text is not one. */
static char *
day_for_people (const char *text)
{
  int y, m, d;
  char end;
  g_autoptr(GDateTime) t = NULL;

  if (strlen (text) != 10 || sscanf (text, "%4d-%2d-%2d%c", &y, &m, &d, &end) != 3 ||
      (t = g_date_time_new_local (y, m, d, 0, 0, 0)) == NULL)
    return NULL;
  return g_date_time_format (t, "%x");
}

/* A value as people read it, for a field of kind ("customer" or "claim"):
 * statuses and other words of the API by their translated names, money in
 * major units with its currency, days in the locale's form, documents by
 * name, other text without its JSON quotes; none is a dash. */
static char *
value_for_people (const char *kind,
                  const char *field,
                  const char *json)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  gboolean claim = g_strcmp0 (kind, "claim") == 0;
  JsonNode *root;

  if (json == NULL || !json_parser_load_from_data (parser, json, -1, NULL))
    return g_strdup (json ? json : "—");
  root = json_parser_get_root (parser);
  if (root == NULL || JSON_NODE_HOLDS_NULL (root))
    return g_strdup ("—");
  if (JSON_NODE_HOLDS_OBJECT (root) && json_object_has_member (json_node_get_object (root), "amount_minor"))
    {
      JsonObject *m = json_node_get_object (root);

      return kl_claim_row_money_text (TRUE, json_object_get_int_member (m, "amount_minor"),
                                      json_object_get_string_member_with_default (m, "currency", ""));
    }
  if (JSON_NODE_HOLDS_OBJECT (root) && claim && g_str_equal (field, "documents"))
    {
      g_autoptr(GString) names = g_string_new (NULL);

      for (int d = 0; d < KL_N_CLAIM_DOCUMENTS; d++)
        {
          const char *token = kl_claim_document_to_string ((KlClaimDocument) d);
          JsonObject *o = json_node_get_object (root);

          if (json_object_has_member (o, token) && json_object_get_boolean_member (o, token))
            {
              if (names->len > 0)
                /* Translators: between the names of documents in a list */
                g_string_append (names, _(", "));
              g_string_append (names, kl_claim_document_to_label ((KlClaimDocument) d));
            }
        }
      return names->len > 0 ? g_strdup (names->str) : g_strdup (_("None"));
    }
  if (JSON_NODE_HOLDS_VALUE (root) && json_node_get_value_type (root) == G_TYPE_STRING)
    {
      const char *text = json_node_get_string (root);
      char *day;

      if (claim && g_str_equal (field, "status"))
        {
          KlClaimStatus status;

          if (kl_claim_status_from_string (text, &status))
            return g_strdup (kl_claim_status_to_label (status));
        }
      else if (claim && g_str_equal (field, "outcome"))
        {
          KlReturnOutcome outcome;

          if (kl_return_outcome_from_string (text, &outcome))
            return g_strdup (kl_return_outcome_to_label (outcome));
        }
      else if (!claim && g_str_equal (field, "status"))
        {
          KlCustomerStatus status;

          if (kl_customer_status_from_string (text, &status))
            return g_strdup (kl_customer_status_to_label (status));
        }
      else if (!claim && g_str_equal (field, "kind"))
        {
          KlCustomerKind k;

          if (kl_customer_kind_from_string (text, &k))
            return g_strdup (kl_customer_kind_to_label (k));
        }
      else if (!claim && g_str_equal (field, "channel"))
        {
          KlChannel channel;

          if (kl_channel_from_string (text, &channel))
            return g_strdup (kl_channel_to_label (channel));
        }
      else if (!claim && g_str_equal (field, "relationship"))
        {
          KlRelationship relationship;

          if (kl_relationship_from_string (text, &relationship))
            return g_strdup (kl_relationship_to_label (relationship));
        }
      if ((day = day_for_people (text)) != NULL)
        return day;
      return g_strdup (text);
    }
  return g_strdup (json);
}

/* The field-by-field merge of a customer or a claim: per differing field its label,
 * mine and theirs, and a Mine | Theirs choice (Mine first chosen). */
static GtkWidget *
merge_list (KlSyncConflictInfo *c,
            GtkWidget          *dialog)
{
  GtkWidget *box = gtk_list_box_new ();
  GPtrArray *toggles = g_ptr_array_new ();

  gtk_list_box_set_selection_mode (GTK_LIST_BOX (box), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (box, "boxed-list");
  gtk_widget_set_name (box, "merge-fields");
  for (guint i = 0; i < c->fields->len; i++)
    {
      KlSyncConflictField *f = g_ptr_array_index (c->fields, i);
      g_autofree char *mine_value = value_for_people (c->kind, f->field, f->local);
      g_autofree char *theirs_value = value_for_people (c->kind, f->field, f->server);
      /* Translators: a field's value here and on the server, in the conflict's field-by-field merge */
      g_autofree char *subtitle = g_strdup_printf (_("Mine: %s\nTheirs: %s"), mine_value, theirs_value);
      g_autofree char *mine_name = g_strdup_printf ("merge-mine-%s", f->field);
      g_autofree char *theirs_name = g_strdup_printf ("merge-theirs-%s", f->field);
      /* Translators: what a toggle in the field-by-field merge does; %s is a field, "Name" */
      g_autofree char *mine_desc = g_strdup_printf (_("Keep my value of %s"), field_label (f->field));
      /* Translators: what a toggle in the field-by-field merge does; %s is a field, "Name" */
      g_autofree char *theirs_desc = g_strdup_printf (_("Take the server’s value of %s"), field_label (f->field));
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *choice = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
      GtkWidget *mine = gtk_toggle_button_new_with_label (_("Mine"));
      GtkWidget *theirs = gtk_toggle_button_new_with_label (_("Theirs"));

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), field_label (f->field));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      gtk_widget_add_css_class (choice, "linked");
      gtk_widget_set_valign (choice, GTK_ALIGN_CENTER);
      gtk_toggle_button_set_group (GTK_TOGGLE_BUTTON (theirs), GTK_TOGGLE_BUTTON (mine));
      gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (mine), TRUE);
      gtk_widget_set_name (mine, mine_name);
      gtk_widget_set_name (theirs, theirs_name);
      gtk_widget_set_tooltip_text (mine, mine_desc);
      gtk_widget_set_tooltip_text (theirs, theirs_desc);
      gtk_accessible_update_property (GTK_ACCESSIBLE (mine), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, mine_desc, -1);
      gtk_accessible_update_property (GTK_ACCESSIBLE (theirs), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, theirs_desc, -1);
      g_object_set_data_full (G_OBJECT (theirs), "kl-field", g_strdup (f->field), g_free);
      gtk_box_append (GTK_BOX (choice), mine);
      gtk_box_append (GTK_BOX (choice), theirs);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), choice);
      gtk_list_box_append (GTK_LIST_BOX (box), row);
      g_ptr_array_add (toggles, theirs);
    }
  g_object_set_data_full (G_OBJECT (dialog), "kl-merge-toggles", toggles, (GDestroyNotify) g_ptr_array_unref);
  return box;
}

static void
conflicts_done (GObject *source, GAsyncResult *res, gpointer data)
{
  KlSyncButton *self = KL_SYNC_BUTTON (source);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = g_task_propagate_pointer (G_TASK (res), &error);
  KlSyncConflictInfo *c;
  GtkWidget *dialog;
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  g_autoptr(GString) body = g_string_new (NULL);
  g_autofree char *heading = NULL;
  gboolean merge;

  if (list == NULL || list->len == 0)
    return;
  c = g_ptr_array_index (list, 0);
  /* customers and claims alike: each field in conflict, mine or theirs */
  merge = g_str_equal (c->reason, "conflict") && c->fields->len > 0;
  heading = g_strdup_printf (g_str_equal (c->kind, "customer") ? _("Customer %s") : _("Case %s"), c->code_or_number);
  if (merge)
    g_string_append (body, _("Changed here and on the server since the last sync. Keep your version or take the "
                             "server’s, or choose for each field and apply the choices."));
  else if (g_str_equal (c->reason, "conflict"))
    g_string_append (body, _("Changed here and on the server since the last sync:"));
  else if (g_str_equal (c->reason, "gone"))
    g_string_append (body, _("Removed on the server while changed here."));
  else
    g_string_append_printf (body, _("The server refused the change: %s"), c->detail);
  for (guint i = 0; !merge && i < c->fields->len; i++)
    {
      KlSyncConflictField *f = g_ptr_array_index (c->fields, i);
      g_autofree char *mine = value_for_people (c->kind, f->field, f->local);
      g_autofree char *theirs = value_for_people (c->kind, f->field, f->server);

      /* Translators: a field, then its value here and on the server */
      g_string_append_printf (body, _("\n%s — mine: %s; theirs: %s"), field_label (f->field), mine, theirs);
    }
  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, heading, body->str);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "later", _("_Later"),
                                    "theirs", _("_Take Theirs"),
                                    "mine", _("_Keep Mine"),
                                    NULL);
  if (merge)
    {
      adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "merge", _("_Apply Choices"));
      adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), merge_list (c, dialog));
    }
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "mine", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "later");
  g_object_set_data_full (G_OBJECT (dialog), "kl-conflict-id", g_strdup (c->id), g_free);
  g_signal_connect (dialog, "response", G_CALLBACK (on_conflict_response), self);
  gtk_window_present (GTK_WINDOW (dialog));
}

void
kl_sync_button_show_conflicts (KlSyncButton *self)
{
  g_autoptr(GTask) task = g_task_new (self, NULL, conflicts_done, NULL);

  g_task_run_in_thread (task, conflicts_thread);
}

const char *
kl_sync_button_get_status (KlSyncButton *self)
{
  return self->status;
}

gboolean
kl_sync_button_is_syncing (KlSyncButton *self)
{
  return self->cancellable != NULL;
}

gint64
kl_sync_button_get_conflicts (KlSyncButton *self)
{
  return self->conflicts;
}

guint
kl_sync_button_get_interval (KlSyncButton *self)
{
  g_return_val_if_fail (KL_IS_SYNC_BUTTON (self), 0);
  return self->timer != 0 ? self->interval : 0;
}

static void
kl_sync_button_dispose (GObject *object)
{
  KlSyncButton *self = KL_SYNC_BUTTON (object);

  if (self->cancellable)
    g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->timer, g_source_remove);
  if (self->settings != NULL)
    g_signal_handlers_disconnect_by_data (self->settings, self);
  g_clear_object (&self->settings);
  if (self->network_handler != 0)
    {
      g_signal_handler_disconnect (g_network_monitor_get_default (), self->network_handler);
      self->network_handler = 0;
    }
  G_OBJECT_CLASS (kl_sync_button_parent_class)->dispose (object);
}

static void
kl_sync_button_finalize (GObject *object)
{
  KlSyncButton *self = KL_SYNC_BUTTON (object);

  g_free (self->path);
  g_free (self->status);
  G_OBJECT_CLASS (kl_sync_button_parent_class)->finalize (object);
}

static void
kl_sync_button_class_init (KlSyncButtonClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = kl_sync_button_dispose;
  object_class->finalize = kl_sync_button_finalize;
  /* A sync or a resolution finished: lists may show new data. */
  signals[SIGNAL_SYNCED] = g_signal_new ("synced", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                         NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
kl_sync_button_init (KlSyncButton *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);

  gtk_box_set_spacing (GTK_BOX (self), 6);
  self->button = GTK_BUTTON (gtk_button_new ());
  self->spinner = GTK_SPINNER (gtk_spinner_new ());
  self->label = GTK_LABEL (gtk_label_new (NULL));
  self->image = GTK_IMAGE (gtk_image_new_from_icon_name ("emblem-synchronizing-symbolic"));
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), FALSE);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->image));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->spinner));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->label));
  gtk_button_set_child (self->button, box);
  gtk_widget_add_css_class (GTK_WIDGET (self->button), "flat");
  g_signal_connect_swapped (self->button, "clicked", G_CALLBACK (on_clicked), self);
  gtk_box_append (GTK_BOX (self), GTK_WIDGET (self->button));
  self->conflicts_button = GTK_BUTTON (gtk_button_new ());
  gtk_widget_add_css_class (GTK_WIDGET (self->conflicts_button), "destructive-action");
  gtk_widget_set_visible (GTK_WIDGET (self->conflicts_button), FALSE);
  g_signal_connect_swapped (self->conflicts_button, "clicked", G_CALLBACK (kl_sync_button_show_conflicts), self);
  gtk_box_append (GTK_BOX (self), GTK_WIDGET (self->conflicts_button));
  set_status (self, _("Sync"), _("Sync Now"));
}

GtkWidget *
kl_sync_button_new (const char *workspace_path)
{
  KlSyncButton *self = g_object_new (KL_TYPE_SYNC_BUTTON, NULL);

  self->path = g_strdup (workspace_path);
  self->settings = g_settings_new ("io.github.keyline.Keyline");
  g_signal_connect_swapped (self->settings, "changed::sync-interval", G_CALLBACK (schedule), self);
  schedule (self);
  self->network_handler = g_signal_connect (g_network_monitor_get_default (), "network-changed",
                                            G_CALLBACK (on_network_changed), self);
  return GTK_WIDGET (self);
}
