/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The service agreement editor: effective period, a target per rate as a
 * percentage, grace minutes and claim deadlines. The store refuses periods
 * that overlap another agreement of the customer; that shows at the start
 * date. */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "kl-agreement-editor.h"
#include "kl-analysis-data.h"
#include "kl-record-editor.h"
#include "kl-date-row.h"
#include "kl-agreement-store.h"

struct _KlAgreementEditor {
  KlRecordEditor parent_instance;

  KlAgreement   *original;

  GtkLabel      *general_error;
  AdwEntryRow   *from_row;
  GtkWidget     *from_error;
  AdwEntryRow   *to_row;
  GtkWidget     *to_error;
  AdwPreferencesGroup *targets_group;
  AdwEntryRow   *target_rows[KL_N_RATES];
  GtkWidget     *target_errors[KL_N_RATES];
  GtkSpinButton *dispatch_grace_spin;
  GtkSpinButton *delivery_grace_spin;
  GtkSpinButton *ack_days_spin;
  GtkSpinButton *resolve_days_spin;
};

G_DEFINE_FINAL_TYPE (KlAgreementEditor, kl_agreement_editor, KL_TYPE_RECORD_EDITOR)

gboolean
kl_agreement_editor_parse_percent (const char *text,
                                   double     *out_fraction)
{
  g_autofree char *copy = NULL;
  char *end = NULL;
  double value;

  if (text == NULL)
    return FALSE;
  copy = g_strdup (text);
  g_strstrip (copy);
  g_strdelimit (copy, ",", '.');
  if (g_str_has_suffix (copy, "%"))
    {
      copy[strlen (copy) - 1] = '\0';
      g_strchomp (copy);
    }
  if (*copy == '\0')
    return FALSE;
  value = g_ascii_strtod (copy, &end);
  if (end == NULL || *end != '\0' || !isfinite (value) || value < 0.0 || value > 100.0)
    return FALSE;
  *out_fraction = value / 100.0;
  return TRUE;
}

static void
clear_errors (KlRecordEditor *editor)
{
  KlAgreementEditor *self = KL_AGREEMENT_EDITOR (editor);

  _kl_editor_set_field_error (GTK_WIDGET (self->from_row), self->from_error, NULL);
  _kl_editor_set_field_error (GTK_WIDGET (self->to_row), self->to_error, NULL);
  for (guint r = 0; r < KL_N_RATES; r++)
    _kl_editor_set_field_error (GTK_WIDGET (self->target_rows[r]), self->target_errors[r], NULL);
  }

static gpointer
collect (KlRecordEditor *editor)
{
  KlAgreementEditor *self = KL_AGREEMENT_EDITOR (editor);
  g_autoptr(KlAgreement) a = kl_agreement_copy (self->original);
  GtkWidget *first_bad = NULL;

  g_free (a->effective_from);
  a->effective_from = _kl_editor_dup_text (self->from_row);
  g_free (a->effective_to);
  a->effective_to = _kl_editor_dup_text (self->to_row);

  if (a->effective_from == NULL || !_kl_editor_date_valid (a->effective_from))
    {
      _kl_editor_set_field_error (GTK_WIDGET (self->from_row), self->from_error,
                                  _("Enter the first day of the agreement, like 2026-01-01"));
      first_bad = GTK_WIDGET (self->from_row);
    }
  if (a->effective_to != NULL && !_kl_editor_date_valid (a->effective_to))
    {
      _kl_editor_set_field_error (GTK_WIDGET (self->to_row), self->to_error,
                                  _("Enter the last day, like 2026-12-31, or leave it empty"));
      first_bad = first_bad ? first_bad : GTK_WIDGET (self->to_row);
    }
  else if (a->effective_to != NULL && a->effective_from != NULL &&
           strcmp (a->effective_to, a->effective_from) < 0)
    {
      _kl_editor_set_field_error (GTK_WIDGET (self->to_row), self->to_error,
                                  _("The agreement cannot end before it starts"));
      first_bad = first_bad ? first_bad : GTK_WIDGET (self->to_row);
    }

  for (guint r = 0; r < KL_N_RATES; r++)
    {
      g_autofree char *text = _kl_editor_dup_text (self->target_rows[r]);

      a->targets[r] = NAN;
      if (text != NULL && !kl_agreement_editor_parse_percent (text, &a->targets[r]))
        {
          _kl_editor_set_field_error (GTK_WIDGET (self->target_rows[r]), self->target_errors[r],
                                      _("Enter a percentage from 0 to 100, like 98.5, or leave it empty"));
          first_bad = first_bad ? first_bad : GTK_WIDGET (self->target_rows[r]);
        }
    }

  a->dispatch_grace_min = gtk_spin_button_get_value_as_int (self->dispatch_grace_spin);
  a->delivery_grace_min = gtk_spin_button_get_value_as_int (self->delivery_grace_spin);
  a->claim_ack_days = gtk_spin_button_get_value_as_int (self->ack_days_spin);
  a->claim_resolve_days = gtk_spin_button_get_value_as_int (self->resolve_days_spin);

  if (first_bad != NULL)
    {
      gtk_widget_grab_focus (first_bad);
      return NULL;
    }
  return g_steal_pointer (&a);
}

static char *
save_record (KlDatabase  *db,
             gpointer     record,
             GError     **error)
{
  KlAgreement *a = record;

  if (!kl_agreement_store_save (db, a, error))
    return NULL;
  return g_strdup (a->id);
}

static gboolean
show_save_error (KlRecordEditor *editor,
                 const GError   *error)
{
  KlAgreementEditor *self = KL_AGREEMENT_EDITOR (editor);

  /* Dates and values are checked before saving, so what the store still
   * refuses is a period overlapping another agreement. */
  if (!g_error_matches (error, KL_DATABASE_ERROR, KL_DATABASE_ERROR_INVALID))
    return FALSE;
  _kl_editor_set_field_error (GTK_WIDGET (self->from_row), self->from_error, error->message);
  gtk_widget_grab_focus (GTK_WIDGET (self->from_row));
  return TRUE;
}

static void
kl_agreement_editor_finalize (GObject *object)
{
  KlAgreementEditor *self = KL_AGREEMENT_EDITOR (object);

  g_clear_pointer (&self->original, kl_agreement_free);
  G_OBJECT_CLASS (kl_agreement_editor_parent_class)->finalize (object);
}

static void
kl_agreement_editor_class_init (KlAgreementEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  KlRecordEditorClass *editor_class = KL_RECORD_EDITOR_CLASS (klass);

  object_class->finalize = kl_agreement_editor_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/keyline/Keyline/kl-agreement-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, KlAgreementEditor, general_error);
  gtk_widget_class_bind_template_child (widget_class, KlAgreementEditor, from_row);
  gtk_widget_class_bind_template_child (widget_class, KlAgreementEditor, from_error);
  gtk_widget_class_bind_template_child (widget_class, KlAgreementEditor, to_row);
  gtk_widget_class_bind_template_child (widget_class, KlAgreementEditor, to_error);
  gtk_widget_class_bind_template_child (widget_class, KlAgreementEditor, targets_group);
  gtk_widget_class_bind_template_child (widget_class, KlAgreementEditor, dispatch_grace_spin);
  gtk_widget_class_bind_template_child (widget_class, KlAgreementEditor, delivery_grace_spin);
  gtk_widget_class_bind_template_child (widget_class, KlAgreementEditor, ack_days_spin);
  gtk_widget_class_bind_template_child (widget_class, KlAgreementEditor, resolve_days_spin);

  editor_class->clear_errors = clear_errors;
  editor_class->collect = collect;
  editor_class->show_save_error = show_save_error;
  editor_class->save = save_record;
  editor_class->record_free = (GDestroyNotify) kl_agreement_free;
}

static GtkWidget *
new_message_row (void)
{
  GtkWidget *row = g_object_new (ADW_TYPE_PREFERENCES_ROW,
                                 "visible", FALSE, "activatable", FALSE, "focusable", FALSE,
                                 NULL);
  GtkWidget *label = g_object_new (GTK_TYPE_LABEL,
                                   "xalign", 0.0f, "wrap", TRUE,
                                   "margin-start", 12, "margin-end", 12,
                                   "margin-top", 6, "margin-bottom", 6,
                                   NULL);

  gtk_widget_add_css_class (row, "field-message");
  gtk_widget_add_css_class (label, "error");
  gtk_widget_add_css_class (label, "caption");
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), label);
  return row;
}

/* "Propose targets from the standard" (docs/analysis.md): the standard of
 * the customer's most demanding account × line over the twelve months to
 * last month fills the arrival on-time target. */
typedef struct {
  gboolean       found;
  int            priority;
  KlStandardBand band;
} Proposal;

static gpointer
propose_job (KlDatabase *db, gpointer data, KlWorkerJob *job, GError **error)
{
  g_autoptr(GDateTime) now = g_date_time_new_now (kl_database_get_timezone (db));
  g_autoptr(GDateTime) last = g_date_time_add_months (now, -1);
  g_autoptr(KlClassAnalysis) a = kl_analysis_load (db, g_date_time_get_year (last), g_date_time_get_month (last),
                                                   NULL, error);
  Proposal *p;

  if (a == NULL)
    return NULL;
  p = g_new0 (Proposal, 1);
  p->found = kl_analysis_propose_standard (a, data, &p->priority, &p->band);
  return p;
}

static void
propose_done (GObject *source, GAsyncResult *res, gpointer user_data)
{
  g_autoptr(KlAgreementEditor) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree Proposal *p = kl_worker_run_finish (KL_WORKER (source), res, &error);
  g_autofree char *text = NULL;
  g_autofree char *note = NULL;

  if (p == NULL || !p->found)
    {
      adw_preferences_group_set_description (self->targets_group,
                                             error ? error->message
                                                   : _("No standard to propose: the customer has no class or no shipments with a transport mode in the last twelve months."));
      return;
    }
  text = g_strdup_printf ("%.1f", p->band.on_time * 100.0);
  _kl_editor_set_text (self->target_rows[KL_RATE_ARRIVAL_ON_TIME], text);
  /* Translators: %d: a priority; %s: a percentage; %d: days */
  note = g_strdup_printf (_("Proposed from the standard of priority %d: arrival on time %s%%, delivered within %d days."),
                          p->priority, text, p->band.lead_days);
  adw_preferences_group_set_description (self->targets_group, note);
}

static void
propose_clicked (KlAgreementEditor *self)
{
  KlWorker *worker = kl_record_editor_get_worker (KL_RECORD_EDITOR (self));

  if (worker == NULL || self->original == NULL || self->original->customer_id == NULL)
    return;
  kl_worker_run (worker, KL_WORKER_READ, propose_job, g_strdup (self->original->customer_id), g_free, g_free,
                 NULL, NULL, NULL, propose_done, g_object_ref (self));
}

static void
kl_agreement_editor_init (KlAgreementEditor *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  kl_date_row_attach (self->from_row, FALSE);
  kl_date_row_attach (self->to_row, FALSE);
  /* Keep the theme's node name (window) so its styling applies. */
  gtk_widget_add_css_class (GTK_WIDGET (self), "agreement-editor");
  kl_record_editor_set_message_label (KL_RECORD_EDITOR (self), self->general_error);

  /* One row per rate the agreement can set a target for. */
  for (guint r = 0; r < KL_N_RATES; r++)
    {
      g_autofree char *title = NULL;

      /* Translators: a target's field title, "Dispatch on time (%)" */
      title = g_strdup_printf (_("%s (%%)"), kl_rate_to_label (r));
      self->target_rows[r] = ADW_ENTRY_ROW (adw_entry_row_new ());
      gtk_widget_set_name (GTK_WIDGET (self->target_rows[r]), kl_rate_to_key (r));
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->target_rows[r]), title);
      adw_entry_row_set_activates_default (self->target_rows[r], TRUE);
      gtk_editable_set_width_chars (GTK_EDITABLE (self->target_rows[r]), 6);
      self->target_errors[r] = new_message_row ();
      adw_preferences_group_add (self->targets_group, GTK_WIDGET (self->target_rows[r]));
      adw_preferences_group_add (self->targets_group, self->target_errors[r]);
    }
  {
    GtkWidget *propose = gtk_button_new_with_mnemonic (_("_Propose Targets from the Standard"));
    gtk_widget_set_name (propose, "propose-button");
    gtk_widget_add_css_class (propose, "flat");
    g_signal_connect_swapped (propose, "clicked", G_CALLBACK (propose_clicked), self);
    adw_preferences_group_set_header_suffix (self->targets_group, propose);
  }
}

GtkWidget *
kl_agreement_editor_new (KlWorker          *worker,
                         const char        *customer_id,
                         const KlAgreement *agreement)
{
  KlAgreementEditor *self;
  const KlAgreement *a;

  g_return_val_if_fail (KL_IS_WORKER (worker), NULL);
  g_return_val_if_fail (customer_id != NULL, NULL);

  self = g_object_new (KL_TYPE_AGREEMENT_EDITOR, "worker", worker, NULL);
  self->original = agreement ? kl_agreement_copy (agreement) : kl_agreement_new ();
  g_free (self->original->customer_id);
  self->original->customer_id = g_strdup (customer_id);
  a = self->original;

  gtk_window_set_title (GTK_WINDOW (self), agreement ? _("Edit Agreement") : _("New Agreement"));
  _kl_editor_set_text (self->from_row, a->effective_from);
  _kl_editor_set_text (self->to_row, a->effective_to);
  for (guint r = 0; r < KL_N_RATES; r++)
    {
      g_autofree char *text = NULL;

      if (!isnan (a->targets[r]))
        text = g_strdup_printf ("%.1f", a->targets[r] * 100.0);
      _kl_editor_set_text (self->target_rows[r], text);
    }
  gtk_spin_button_set_value (self->dispatch_grace_spin, a->dispatch_grace_min);
  gtk_spin_button_set_value (self->delivery_grace_spin, a->delivery_grace_min);
  gtk_spin_button_set_value (self->ack_days_spin, a->claim_ack_days);
  gtk_spin_button_set_value (self->resolve_days_spin, a->claim_resolve_days);
  return GTK_WIDGET (self);
}
