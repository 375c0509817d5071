/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The customer editor: every field of an account, checked here first and
 * then by the store, each problem shown under the field it concerns. */
#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>

#include "kl-customer-editor.h"
#include "kl-record-editor.h"
#include "kl-date-row.h"
#include "kl-customer-store.h"

struct _KlCustomerEditor {
  KlRecordEditor parent_instance;

  char         *customer_id;
  KlCustomer   *original;       /* what was loaded; fields we do not edit survive */

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

G_DEFINE_FINAL_TYPE (KlCustomerEditor, kl_customer_editor, KL_TYPE_RECORD_EDITOR)

/* Report languages offered, in the order of the combo row. */
static const char *const languages[] = { "zh_CN", "en" };

static void
clear_errors (KlRecordEditor *editor)
{
  KlCustomerEditor *self = KL_CUSTOMER_EDITOR (editor);

  _kl_editor_set_field_error (GTK_WIDGET (self->code_row), self->code_error, NULL);
  _kl_editor_set_field_error (GTK_WIDGET (self->name_row), self->name_error, NULL);
  _kl_editor_set_field_error (GTK_WIDGET (self->lost_date_row), self->lost_date_error, NULL);
  _kl_editor_set_field_error (GTK_WIDGET (self->tags_row), self->tags_error, NULL);
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
static gpointer
collect (KlRecordEditor *editor)
{
  KlCustomerEditor *self = KL_CUSTOMER_EDITOR (editor);
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

static char *
save_record (KlDatabase  *db,
             gpointer     record,
             GError     **error)
{
  KlCustomer *c = record;

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
  KlCustomer *c = kl_worker_run_finish (KL_WORKER (source), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (c == NULL)
    {
      kl_record_editor_show_message (KL_RECORD_EDITOR (self),
                                     error ? error->message : _("The customer no longer exists"));
      return;
    }
  self->original = c;
  fill_fields (self);
  kl_record_editor_set_ready (KL_RECORD_EDITOR (self), TRUE);
}

static gboolean
show_save_error (KlRecordEditor *editor,
                 const GError   *error)
{
  KlCustomerEditor *self = KL_CUSTOMER_EDITOR (editor);

  /* The fields we check ourselves cannot fail here, so what the store
   * refuses is a code taken by another customer, or something only it
   * knows about. */
  if (!g_error_matches (error, KL_DATABASE_ERROR, KL_DATABASE_ERROR_CONSTRAINT))
    return FALSE;
  _kl_editor_set_field_error (GTK_WIDGET (self->code_row), self->code_error, error->message);
  gtk_widget_grab_focus (GTK_WIDGET (self->code_row));
  return TRUE;
}

static void
kl_customer_editor_finalize (GObject *object)
{
  KlCustomerEditor *self = KL_CUSTOMER_EDITOR (object);

  g_clear_pointer (&self->customer_id, g_free);
  g_clear_pointer (&self->original, kl_customer_free);
  G_OBJECT_CLASS (kl_customer_editor_parent_class)->finalize (object);
}

static void
kl_customer_editor_class_init (KlCustomerEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  KlRecordEditorClass *editor_class = KL_RECORD_EDITOR_CLASS (klass);

  object_class->finalize = kl_customer_editor_finalize;

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

  editor_class->clear_errors = clear_errors;
  editor_class->collect = collect;
  editor_class->show_save_error = show_save_error;
  editor_class->save = save_record;
  editor_class->record_free = (GDestroyNotify) kl_customer_free;
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
  kl_date_row_attach (self->lost_date_row, FALSE);
  /* Keep the theme's node name (window) so its styling applies. */
  gtk_widget_add_css_class (GTK_WIDGET (self), "customer-editor");
  kl_record_editor_set_message_label (KL_RECORD_EDITOR (self), self->general_error);

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

  /* Not before the customer is loaded (kl_customer_editor_new). */
  kl_record_editor_set_ready (KL_RECORD_EDITOR (self), FALSE);
}

GtkWidget *
kl_customer_editor_new (KlWorker   *worker,
                        const char *customer_id)
{
  KlCustomerEditor *self;

  g_return_val_if_fail (KL_IS_WORKER (worker), NULL);

  self = g_object_new (KL_TYPE_CUSTOMER_EDITOR, "worker", worker, NULL);
  self->customer_id = g_strdup (customer_id);

  if (customer_id == NULL)
    {
      gtk_window_set_title (GTK_WINDOW (self), _("New Customer"));
      self->original = kl_customer_new ();
      fill_fields (self);
      kl_record_editor_set_ready (KL_RECORD_EDITOR (self), TRUE);
    }
  else
    {
      gtk_window_set_title (GTK_WINDOW (self), _("Edit Customer"));
      kl_worker_run (worker, KL_WORKER_READ, load_job, g_strdup (customer_id), g_free,
                     (GDestroyNotify) kl_customer_free, NULL, NULL,
                     kl_record_editor_get_cancellable (KL_RECORD_EDITOR (self)),
                     load_done, g_object_ref (self));
    }
  return GTK_WIDGET (self);
}
