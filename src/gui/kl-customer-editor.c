/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The customer editor: every field of an account, checked here first and
 * then by the store, each problem shown under the field it concerns. */
#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>

#include "kl-customer-editor.h"
#include "kl-customer-store.h"

struct _KlCustomerEditor {
  AdwWindow     parent_instance;

  KlWorker     *worker;
  char         *customer_id;
  KlCustomer   *original;       /* what was loaded; fields we do not edit survive */
  GCancellable *cancellable;
  gboolean      busy;

  GtkLabel     *general_error;
  AdwEntryRow  *code_row;
  GtkWidget    *code_error;
  AdwEntryRow  *name_row;
  GtkWidget    *name_error;
  AdwEntryRow  *legal_name_row;
  AdwComboRow  *kind_row;
  AdwComboRow  *channel_row;
  AdwEntryRow  *industry_row;
  AdwEntryRow  *region_row;
  AdwEntryRow  *address_row;
  AdwEntryRow  *manager_row;
  AdwComboRow  *relationship_row;
  AdwComboRow  *status_row;
  AdwEntryRow  *lost_reason_row;
  AdwEntryRow  *lost_date_row;
  GtkWidget    *lost_date_error;
  AdwComboRow  *abc_row;
  AdwComboRow  *language_row;
  AdwEntryRow  *tags_row;
  GtkWidget    *tags_error;
  AdwEntryRow  *notes_row;
};

G_DEFINE_FINAL_TYPE (KlCustomerEditor, kl_customer_editor, ADW_TYPE_WINDOW)

enum { SAVED, N_SIGNALS };
static guint signals[N_SIGNALS];

/* Report languages offered, in the order of the combo row. */
static const char *const languages[] = { "zh_CN", "en" };

/* Shared editor pieces */

static void
editor_cancel_activate (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  gtk_window_close (GTK_WINDOW (widget));
}

void
_kl_editor_class_install (GtkWidgetClass              *widget_class,
                          GtkWidgetActionActivateFunc  save_activate)
{
  gtk_widget_class_install_action (widget_class, "editor.save", NULL, save_activate);
  gtk_widget_class_install_action (widget_class, "editor.cancel", NULL, editor_cancel_activate);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "editor.cancel", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK, "editor.save", NULL);
}

void
_kl_editor_set_field_error (GtkWidget  *row,
                            GtkWidget  *message_row,
                            const char *message)
{
  GtkWidget *label = message_row ? gtk_list_box_row_get_child (GTK_LIST_BOX_ROW (message_row)) : NULL;

  if (message != NULL)
    {
      gtk_widget_add_css_class (row, "error");
      gtk_accessible_update_state (GTK_ACCESSIBLE (row),
                                   GTK_ACCESSIBLE_STATE_INVALID, GTK_ACCESSIBLE_INVALID_TRUE, -1);
      gtk_accessible_update_property (GTK_ACCESSIBLE (row),
                                      GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, message, -1);
    }
  else
    {
      gtk_widget_remove_css_class (row, "error");
      gtk_accessible_reset_state (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_STATE_INVALID);
      gtk_accessible_reset_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
    }
  if (GTK_IS_LABEL (label))
    gtk_label_set_text (GTK_LABEL (label), message ? message : "");
  if (message_row != NULL)
    gtk_widget_set_visible (message_row, message != NULL);
}

char *
_kl_editor_dup_text (AdwEntryRow *row)
{
  g_autofree char *text = g_strdup (gtk_editable_get_text (GTK_EDITABLE (row)));

  g_strstrip (text);
  if (*text == '\0')
    return NULL;
  return g_steal_pointer (&text);
}

void
_kl_editor_set_text (AdwEntryRow *row,
                     const char  *text)
{
  gtk_editable_set_text (GTK_EDITABLE (row), text ? text : "");
}

gboolean
_kl_editor_date_valid (const char *text)
{
  int y, m, d;
  char tail;

  if (text == NULL || strlen (text) != 10)
    return FALSE;
  if (sscanf (text, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3)
    return FALSE;
  return g_date_valid_dmy (d, m, y);
}

gboolean
_kl_editor_email_valid (const char *text)
{
  const char *at;

  if (text == NULL || strchr (text, ' ') != NULL)
    return FALSE;
  at = strchr (text, '@');
  return at != NULL && at != text && at[1] != '.' && strchr (at + 1, '.') != NULL &&
         strchr (at + 1, '@') == NULL && text[strlen (text) - 1] != '.';
}

gboolean
_kl_editor_parse_time (const char *text,
                       gint64     *out_time)
{
  g_autoptr(GDateTime) dt = NULL;
  int y, m, d, hh = 0, mm = 0;
  char tail;
  int n;

  if (text == NULL)
    return FALSE;
  n = sscanf (text, "%4d-%2d-%2d %2d:%2d%c", &y, &m, &d, &hh, &mm, &tail);
  if (n != 3 && n != 5)
    return FALSE;
  if (n == 3 && strlen (text) != 10)
    return FALSE;
  if (!g_date_valid_dmy (d, m, y) || hh < 0 || hh > 23 || mm < 0 || mm > 59)
    return FALSE;
  dt = g_date_time_new_local (y, m, d, hh, mm, 0);
  if (dt == NULL)
    return FALSE;
  *out_time = g_date_time_to_unix (dt);
  return TRUE;
}

char *
_kl_editor_format_time (gint64 time)
{
  g_autoptr(GDateTime) dt = NULL;

  if (time == KL_NO_TIME)
    return NULL;
  dt = g_date_time_new_from_unix_local (time);
  return dt ? g_date_time_format (dt, "%Y-%m-%d %H:%M") : NULL;
}

void
_kl_editor_set_combo_labels (AdwComboRow       *row,
                             const char *const *labels,
                             guint              n_labels)
{
  g_autoptr(GtkStringList) list = gtk_string_list_new (NULL);

  for (guint i = 0; i < n_labels; i++)
    gtk_string_list_append (list, labels[i]);
  adw_combo_row_set_model (row, G_LIST_MODEL (list));
}

/* The customer editor */

static void
set_busy (KlCustomerEditor *self,
          gboolean          busy)
{
  self->busy = busy;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.save", !busy && self->original != NULL);
}

static void
show_general_error (KlCustomerEditor *self,
                    const char       *message)
{
  gtk_label_set_text (self->general_error, message ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->general_error), message != NULL);
}

static void
clear_errors (KlCustomerEditor *self)
{
  _kl_editor_set_field_error (GTK_WIDGET (self->code_row), self->code_error, NULL);
  _kl_editor_set_field_error (GTK_WIDGET (self->name_row), self->name_error, NULL);
  _kl_editor_set_field_error (GTK_WIDGET (self->lost_date_row), self->lost_date_error, NULL);
  _kl_editor_set_field_error (GTK_WIDGET (self->tags_row), self->tags_error, NULL);
  show_general_error (self, NULL);
}

static void
update_lost_rows (KlCustomerEditor *self)
{
  gboolean lost = adw_combo_row_get_selected (self->status_row) == KL_CUSTOMER_STATUS_LOST;

  gtk_widget_set_visible (GTK_WIDGET (self->lost_reason_row), lost);
  gtk_widget_set_visible (GTK_WIDGET (self->lost_date_row), lost);
  if (!lost)
    _kl_editor_set_field_error (GTK_WIDGET (self->lost_date_row), self->lost_date_error, NULL);
}

static void
on_status_selected (KlCustomerEditor *self)
{
  update_lost_rows (self);
}

static void
fill_abc_row (KlCustomerEditor *self,
              KlAbcClass        computed)
{
  g_autofree char *automatic = NULL;
  const char *labels[KL_N_ABC];

  if (computed == KL_ABC_NONE)
    automatic = g_strdup (_("Computed (none yet)"));
  else
    /* Translators: %s is the computed ABC class, A, B or C */
    automatic = g_strdup_printf (_("Computed (%s)"), kl_abc_class_to_label (computed));
  labels[KL_ABC_NONE] = automatic;
  for (guint i = KL_ABC_A; i < KL_N_ABC; i++)
    labels[i] = kl_abc_class_to_label (i);
  _kl_editor_set_combo_labels (self->abc_row, labels, KL_N_ABC);
}

static void
fill_fields (KlCustomerEditor *self)
{
  const KlCustomer *c = self->original;
  g_autofree char *tags = c->tags ? g_strjoinv (", ", c->tags) : NULL;

  _kl_editor_set_text (self->code_row, c->code);
  _kl_editor_set_text (self->name_row, c->name);
  _kl_editor_set_text (self->legal_name_row, c->legal_name);
  adw_combo_row_set_selected (self->kind_row, c->kind);
  adw_combo_row_set_selected (self->channel_row, c->channel);
  _kl_editor_set_text (self->industry_row, c->industry);
  _kl_editor_set_text (self->region_row, c->region);
  _kl_editor_set_text (self->address_row, c->address);
  _kl_editor_set_text (self->manager_row, c->account_manager);
  adw_combo_row_set_selected (self->relationship_row, c->relationship);
  adw_combo_row_set_selected (self->status_row, c->status);
  _kl_editor_set_text (self->lost_reason_row, c->lost_reason);
  _kl_editor_set_text (self->lost_date_row, c->lost_date);
  fill_abc_row (self, c->abc_class);
  adw_combo_row_set_selected (self->abc_row, c->abc_override);
  adw_combo_row_set_selected (self->language_row,
                              g_strcmp0 (c->report_language, "en") == 0 ? 1 : 0);
  _kl_editor_set_text (self->tags_row, tags);
  _kl_editor_set_text (self->notes_row, c->notes);
  update_lost_rows (self);
}

static char **
split_tags (const char *text)
{
  g_auto(GStrv) parts = NULL;
  g_autoptr(GPtrArray) tags = g_ptr_array_new ();

  if (text == NULL)
    return NULL;
  /* People type either separator; the Chinese comma too. */
  parts = g_regex_split_simple ("[,，]", text, 0, 0);
  for (guint i = 0; parts[i]; i++)
    {
      char *tag = g_strstrip (parts[i]);

      if (*tag != '\0')
        g_ptr_array_add (tags, g_strdup (tag));
    }
  if (tags->len == 0)
    return NULL;
  g_ptr_array_add (tags, NULL);
  return (char **) g_ptr_array_free (g_steal_pointer (&tags), FALSE);
}

/* Collects the fields into a new record; NULL (with the problems shown at
 * their fields) when something is missing or malformed. */
static KlCustomer *
collect (KlCustomerEditor *self)
{
  g_autoptr(KlCustomer) c = kl_customer_copy (self->original);
  GtkWidget *first_bad = NULL;
  gboolean lost;

#define REPLACE(field, row) G_STMT_START { g_free (c->field); c->field = _kl_editor_dup_text (row); } G_STMT_END
  REPLACE (code, self->code_row);
  REPLACE (name, self->name_row);
  REPLACE (legal_name, self->legal_name_row);
  REPLACE (industry, self->industry_row);
  REPLACE (region, self->region_row);
  REPLACE (address, self->address_row);
  REPLACE (account_manager, self->manager_row);
  REPLACE (notes, self->notes_row);
  REPLACE (lost_reason, self->lost_reason_row);
  REPLACE (lost_date, self->lost_date_row);
#undef REPLACE
  c->kind = adw_combo_row_get_selected (self->kind_row);
  c->channel = adw_combo_row_get_selected (self->channel_row);
  c->relationship = adw_combo_row_get_selected (self->relationship_row);
  c->status = adw_combo_row_get_selected (self->status_row);
  c->abc_override = adw_combo_row_get_selected (self->abc_row);
  g_free (c->report_language);
  c->report_language = g_strdup (languages[MIN (adw_combo_row_get_selected (self->language_row),
                                                G_N_ELEMENTS (languages) - 1)]);
  g_strfreev (c->tags);
  {
    g_autofree char *tags = _kl_editor_dup_text (self->tags_row);
    c->tags = split_tags (tags);
  }

  lost = c->status == KL_CUSTOMER_STATUS_LOST;
  if (!lost)
    {
      g_clear_pointer (&c->lost_reason, g_free);
      g_clear_pointer (&c->lost_date, g_free);
    }

  if (c->code == NULL)
    {
      _kl_editor_set_field_error (GTK_WIDGET (self->code_row), self->code_error,
                                  _("Enter the customer’s code, for example ACME-01"));
      first_bad = first_bad ? first_bad : GTK_WIDGET (self->code_row);
    }
  if (c->name == NULL)
    {
      _kl_editor_set_field_error (GTK_WIDGET (self->name_row), self->name_error,
                                  _("Enter the customer’s name"));
      first_bad = first_bad ? first_bad : GTK_WIDGET (self->name_row);
    }
  if (lost && c->lost_date != NULL && !_kl_editor_date_valid (c->lost_date))
    {
      _kl_editor_set_field_error (GTK_WIDGET (self->lost_date_row), self->lost_date_error,
                                  _("Enter a date like 2026-10-31"));
      first_bad = first_bad ? first_bad : GTK_WIDGET (self->lost_date_row);
    }
  if (c->tags != NULL)
    for (guint i = 0; c->tags[i]; i++)
      if (strchr (c->tags[i], ';') != NULL)
        {
          _kl_editor_set_field_error (GTK_WIDGET (self->tags_row), self->tags_error,
                                      _("Separate tags with commas; “;” cannot be part of a tag"));
          first_bad = first_bad ? first_bad : GTK_WIDGET (self->tags_row);
          break;
        }

  if (first_bad != NULL)
    {
      gtk_widget_grab_focus (first_bad);
      return NULL;
    }
  return g_steal_pointer (&c);
}

static gpointer
load_job (KlDatabase   *db,
          gpointer      data,
          KlWorkerJob  *job,
          GError      **error)
{
  return kl_customer_store_get (db, data, error);
}

static gpointer
save_job (KlDatabase   *db,
          gpointer      data,
          KlWorkerJob  *job,
          GError      **error)
{
  KlCustomer *c = data;

  if (!kl_customer_store_save (db, c, KL_ORIGIN_LOCAL, NULL, error))
    return NULL;
  return g_strdup (c->id);
}

static void
load_done (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(KlCustomerEditor) self = user_data;
  g_autoptr(GError) error = NULL;
  KlCustomer *c = kl_worker_run_finish (self->worker, result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (c == NULL)
    {
      show_general_error (self, error ? error->message : _("The customer no longer exists"));
      return;
    }
  self->original = c;
  fill_fields (self);
  set_busy (self, FALSE);
}

static void
save_done (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(KlCustomerEditor) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = kl_worker_run_finish (self->worker, result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  set_busy (self, FALSE);
  if (id == NULL)
    {
      g_assert (error != NULL);
      /* The fields we check ourselves cannot fail here, so what the store
       * refuses is a code taken by another customer, or something only it
       * knows about. */
      if (g_error_matches (error, KL_DATABASE_ERROR, KL_DATABASE_ERROR_CONSTRAINT))
        {
          _kl_editor_set_field_error (GTK_WIDGET (self->code_row), self->code_error, error->message);
          gtk_widget_grab_focus (GTK_WIDGET (self->code_row));
        }
      else
        show_general_error (self, error->message);
      return;
    }
  g_free (self->customer_id);
  self->customer_id = g_strdup (id);
  g_signal_emit (self, signals[SAVED], 0, id);
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
save_activate (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  KlCustomerEditor *self = KL_CUSTOMER_EDITOR (widget);
  KlCustomer *c;

  if (self->busy || self->original == NULL)
    return;
  clear_errors (self);
  c = collect (self);
  if (c == NULL)
    return;
  set_busy (self, TRUE);
  kl_worker_run (self->worker, KL_WORKER_WRITE, save_job, c, (GDestroyNotify) kl_customer_free,
                 g_free, NULL, NULL, self->cancellable, save_done, g_object_ref (self));
}

static void
kl_customer_editor_dispose (GObject *object)
{
  KlCustomerEditor *self = KL_CUSTOMER_EDITOR (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  G_OBJECT_CLASS (kl_customer_editor_parent_class)->dispose (object);
}

static void
kl_customer_editor_finalize (GObject *object)
{
  KlCustomerEditor *self = KL_CUSTOMER_EDITOR (object);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->worker);
  g_clear_pointer (&self->customer_id, g_free);
  g_clear_pointer (&self->original, kl_customer_free);
  G_OBJECT_CLASS (kl_customer_editor_parent_class)->finalize (object);
}

static void
kl_customer_editor_class_init (KlCustomerEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = kl_customer_editor_dispose;
  object_class->finalize = kl_customer_editor_finalize;

  /**
   * KlCustomerEditor::saved:
   * @id: the saved customer's id
   *
   * Emitted after the customer was saved, just before the window closes.
   */
  signals[SAVED] =
    g_signal_new ("saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/keyline/Keyline/kl-customer-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, KlCustomerEditor, general_error);
  gtk_widget_class_bind_template_child (widget_class, KlCustomerEditor, code_row);
  gtk_widget_class_bind_template_child (widget_class, KlCustomerEditor, code_error);
  gtk_widget_class_bind_template_child (widget_class, KlCustomerEditor, name_row);
  gtk_widget_class_bind_template_child (widget_class, KlCustomerEditor, name_error);
  gtk_widget_class_bind_template_child (widget_class, KlCustomerEditor, legal_name_row);
  gtk_widget_class_bind_template_child (widget_class, KlCustomerEditor, kind_row);
  gtk_widget_class_bind_template_child (widget_class, KlCustomerEditor, channel_row);
  gtk_widget_class_bind_template_child (widget_class, KlCustomerEditor, industry_row);
  gtk_widget_class_bind_template_child (widget_class, KlCustomerEditor, region_row);
  gtk_widget_class_bind_template_child (widget_class, KlCustomerEditor, address_row);
  gtk_widget_class_bind_template_child (widget_class, KlCustomerEditor, manager_row);
  gtk_widget_class_bind_template_child (widget_class, KlCustomerEditor, relationship_row);
  gtk_widget_class_bind_template_child (widget_class, KlCustomerEditor, status_row);
  gtk_widget_class_bind_template_child (widget_class, KlCustomerEditor, lost_reason_row);
  gtk_widget_class_bind_template_child (widget_class, KlCustomerEditor, lost_date_row);
  gtk_widget_class_bind_template_child (widget_class, KlCustomerEditor, lost_date_error);
  gtk_widget_class_bind_template_child (widget_class, KlCustomerEditor, abc_row);
  gtk_widget_class_bind_template_child (widget_class, KlCustomerEditor, language_row);
  gtk_widget_class_bind_template_child (widget_class, KlCustomerEditor, tags_row);
  gtk_widget_class_bind_template_child (widget_class, KlCustomerEditor, tags_error);
  gtk_widget_class_bind_template_child (widget_class, KlCustomerEditor, notes_row);
  gtk_widget_class_bind_template_callback (widget_class, on_status_selected);

  _kl_editor_class_install (widget_class, save_activate);
}

static void
kl_customer_editor_init (KlCustomerEditor *self)
{
  /* Big enough for each vocabulary below. */
  const char *labels[8];
  const char *language_labels[G_N_ELEMENTS (languages)] = {
    _("Chinese (Simplified)"), _("English"),
  };

  G_STATIC_ASSERT ((int) KL_N_CUSTOMER_KINDS <= 8 && (int) KL_N_CHANNELS <= 8 &&
                   (int) KL_N_RELATIONSHIPS <= 8 && (int) KL_N_CUSTOMER_STATUSES <= 8);

  gtk_widget_init_template (GTK_WIDGET (self));
  /* Keep the theme's node name (window) so its styling applies. */
  gtk_widget_add_css_class (GTK_WIDGET (self), "customer-editor");
  self->cancellable = g_cancellable_new ();

  for (guint i = 0; i < KL_N_CUSTOMER_KINDS; i++)
    labels[i] = kl_customer_kind_to_label (i);
  _kl_editor_set_combo_labels (self->kind_row, labels, KL_N_CUSTOMER_KINDS);
  for (guint i = 0; i < KL_N_CHANNELS; i++)
    labels[i] = kl_channel_to_label (i);
  _kl_editor_set_combo_labels (self->channel_row, labels, KL_N_CHANNELS);
  for (guint i = 0; i < KL_N_RELATIONSHIPS; i++)
    labels[i] = kl_relationship_to_label (i);
  _kl_editor_set_combo_labels (self->relationship_row, labels, KL_N_RELATIONSHIPS);
  for (guint i = 0; i < KL_N_CUSTOMER_STATUSES; i++)
    labels[i] = kl_customer_status_to_label (i);
  _kl_editor_set_combo_labels (self->status_row, labels, KL_N_CUSTOMER_STATUSES);
  _kl_editor_set_combo_labels (self->language_row, language_labels, G_N_ELEMENTS (languages));
  fill_abc_row (self, KL_ABC_NONE);

  set_busy (self, TRUE);
}

GtkWidget *
kl_customer_editor_new (KlWorker   *worker,
                        const char *customer_id)
{
  KlCustomerEditor *self;

  g_return_val_if_fail (KL_IS_WORKER (worker), NULL);

  self = g_object_new (KL_TYPE_CUSTOMER_EDITOR, NULL);
  self->worker = g_object_ref (worker);
  self->customer_id = g_strdup (customer_id);

  if (customer_id == NULL)
    {
      gtk_window_set_title (GTK_WINDOW (self), _("New Customer"));
      self->original = kl_customer_new ();
      fill_fields (self);
      set_busy (self, FALSE);
    }
  else
    {
      gtk_window_set_title (GTK_WINDOW (self), _("Edit Customer"));
      kl_worker_run (worker, KL_WORKER_READ, load_job, g_strdup (customer_id), g_free,
                     (GDestroyNotify) kl_customer_free, NULL, NULL, self->cancellable,
                     load_done, g_object_ref (self));
    }
  return GTK_WIDGET (self);
}
