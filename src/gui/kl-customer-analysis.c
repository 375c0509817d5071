/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A customer's class, quarterly history, lines against standards, at-risk
 * reasons and stage history. */

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "kl-analysis-data.h"
#include "kl-analysis-document.h"
#include "kl-customer-store.h"
#include "kl-customer-analysis.h"
#include "kl-health-data.h"

struct _KlCustomerAnalysis {
  GtkBox        parent_instance;

  KlWorker     *worker;
  GCancellable *cancellable;
  char         *customer_id;
  guint         busy;
  gboolean      filling;

  GtkLabel     *class_label;
  GtkDropDown  *override;
  GtkLabel     *history_label;
  GtkListBox   *lines;
  GtkListBox   *health;
  char         *class_text;
};

G_DEFINE_FINAL_TYPE (KlCustomerAnalysis, kl_customer_analysis, GTK_TYPE_BOX)

typedef struct {
  char          *customer_id;
  KlAccountClass klass, computed, manual;
  double         share;
  char          *history;     /* "2026-Q1 B · 2026-Q2 A · …" */
  GPtrArray     *lines;       /* char * */
  GPtrArray     *health;      /* char * */
} Loaded;

static void
loaded_free (Loaded *l)
{
  if (l == NULL)
    return;
  g_free (l->customer_id);
  g_free (l->history);
  g_clear_pointer (&l->lines, g_ptr_array_unref);
  g_clear_pointer (&l->health, g_ptr_array_unref);
  g_free (l);
}

static char *
percent (double v)
{
  return isnan (v) ? g_strdup ("—") : g_strdup_printf ("%.1f%%", round (v * 1000.0) / 10.0);
}

static const char *
met (KlTri v)
{
  return v == KL_TRI_UNKNOWN ? "—" : v == KL_TRI_TRUE ? _("met") : _("missed");
}

static gpointer
load_job (KlDatabase *db, gpointer data, KlWorkerJob *job, GError **error)
{
  Loaded *l = g_new0 (Loaded, 1);
  g_autoptr(GDateTime) now = g_date_time_new_now (kl_database_get_timezone (db));
  g_autoptr(GDateTime) last = g_date_time_add_months (now, -1);
  g_autoptr(KlClassAnalysis) a = NULL;
  g_autoptr(GArray) rows = NULL;
  g_autoptr(GHashTable) risks = NULL;
  g_autoptr(GPtrArray) stages = NULL;
  g_autoptr(GString) history = g_string_new (NULL);
  const KlClassAccount *acc;
  int y = g_date_time_get_year (last), m = g_date_time_get_month (last);
  guint reasons;

  l->customer_id = g_strdup (data);
  l->lines = g_ptr_array_new_with_free_func (g_free);
  l->health = g_ptr_array_new_with_free_func (g_free);
  a = kl_analysis_load (db, y, m, NULL, error);
  if (a == NULL)
    goto fail;
  acc = kl_class_analysis_account (a, data);
  if (acc != NULL)
    {
      l->klass = acc->klass;
      l->computed = acc->computed;
      l->manual = acc->manual;
      l->share = acc->share;
    }
  rows = kl_analysis_standards (a, data);
  for (guint i = 0; i < rows->len; i++)
    {
      const KlAnalysisStandard *s = &g_array_index (rows, KlAnalysisStandard, i);
      g_autofree char *target = percent (s->row.target_on_time);
      g_autofree char *on_time = percent (s->row.on_time);
      g_autofree char *within = percent (s->row.within_lead);
      g_autofree char *priority = s->row.priority > 0 ? g_strdup_printf ("%d", s->row.priority) : g_strdup ("—");

      g_ptr_array_add (l->lines,
                       /* Translators: a service line against its standard:
                        * mode, classes, priority, target, lead days, on time, met, within, met */
                       g_strdup_printf (_("%s · %s×%s · priority %s · standard %s in %d d · on time %s (%s) · within lead time %s (%s)"),
                                        kl_shipment_mode_to_label (s->mode),
                                        kl_account_class_to_string (s->row.account_class),
                                        kl_line_class_to_string (s->row.line_class), priority, target,
                                        MAX (s->row.lead_days, 0), on_time, met (s->row.on_time_met), within,
                                        met (s->row.lead_met)));
    }

  /* the class at the end of each of the last four complete quarters */
  for (int q = 3; q >= 0; q--)
    {
      int index = y * 12 + (m / 3) * 3 - 1 - 3 * q;   /* months from year 0, 0-based */
      int qy = index / 12, qm = index % 12 + 1;
      g_autoptr(KlClassAnalysis) qa = kl_analysis_load (db, qy, qm, NULL, error);
      const KlClassAccount *qacc;

      if (qa == NULL)
        goto fail;
      qacc = kl_class_analysis_account (qa, data);
      g_string_append_printf (history, "%s%04d-Q%d %s", history->len ? " · " : "", qy, (qm - 1) / 3 + 1,
                              qacc && qacc->klass ? kl_account_class_to_string (qacc->klass) : "—");
    }
  l->history = g_string_free (g_steal_pointer (&history), FALSE);

  risks = kl_health_risks (db, g_get_real_time () / G_USEC_PER_SEC, error);
  if (risks == NULL)
    goto fail;
  reasons = GPOINTER_TO_UINT (g_hash_table_lookup (risks, data));
  for (guint i = 0; i < a->customers->len; i++)
    {
      const KlAnalysisCustomer *c = g_ptr_array_index (a->customers, i);
      if (g_strcmp0 (c->id, data) == 0 && c->status == KL_CUSTOMER_STATUS_AT_RISK)
        g_ptr_array_add (l->health, g_strdup (_("At risk: marked by hand (until changed by hand)")));
    }
  for (guint bit = KL_RISK_SHIPMENTS_FALLING; bit <= KL_RISK_CLAIM_OVERDUE; bit <<= 1)
    if (reasons & bit)
      g_ptr_array_add (l->health, g_strdup_printf (_("At risk: %s"), kl_risk_reason_to_label (bit)));
  stages = kl_health_stage_history (db, data, error);
  if (stages == NULL)
    goto fail;
  for (guint i = 0; i < stages->len; i++)
    {
      const KlStageChange *c = g_ptr_array_index (stages, i);
      g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (c->at);
      g_autoptr(GDateTime) local = g_date_time_to_timezone (utc, kl_database_get_timezone (db));
      g_autofree char *date = g_date_time_format (local, "%Y-%m-%d");
      const char *label = c->new_value;
      KlRelationship rel;
      KlCustomerStatus status;

      if (g_strcmp0 (c->field, "relationship") == 0 && kl_relationship_from_string (c->new_value, &rel))
        label = kl_relationship_to_label (rel);
      else if (kl_customer_status_from_string (c->new_value, &status))
        label = kl_customer_status_to_label (status);
      g_ptr_array_add (l->health, g_strdup_printf ("%s  %s%s%s", date, label, c->reason ? " — " : "",
                                                   c->reason ? c->reason : ""));
    }
  return l;

fail:
  loaded_free (l);
  return NULL;
}

static void
fill_list (GtkListBox *list, GPtrArray *texts, const char *empty)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (list))) != NULL)
    gtk_list_box_remove (list, child);
  for (guint i = 0; i < texts->len || (i == 0 && texts->len == 0); i++)
    {
      GtkWidget *label = gtk_label_new (texts->len ? g_ptr_array_index (texts, i) : empty);
      gtk_label_set_xalign (GTK_LABEL (label), 0.0);
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_widget_set_margin_start (label, 6);
      gtk_widget_set_margin_top (label, 3);
      gtk_widget_set_margin_bottom (label, 3);
      gtk_list_box_append (list, label);
    }
}

static void
load_done (GObject *source, GAsyncResult *res, gpointer user_data)
{
  g_autoptr(KlCustomerAnalysis) self = user_data;
  g_autoptr(GError) error = NULL;
  Loaded *l = kl_worker_run_finish (KL_WORKER (source), res, &error);
  g_autofree char *share = NULL;

  self->busy--;
  if (l == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        gtk_label_set_text (self->class_label, error ? error->message : "");
      return;
    }
  share = percent (l->share);
  g_free (self->class_text);
  if (l->klass == KL_ACCOUNT_CLASS_NONE)
    self->class_text = g_strdup (_("No contribution class: no contribution in the last twelve months"));
  else if (l->manual != KL_ACCOUNT_CLASS_NONE)
    self->class_text = g_strdup_printf (_("Contribution class %s (set by hand; computed: %s), %s of the contribution"),
                                        kl_account_class_to_string (l->klass),
                                        l->computed ? kl_account_class_to_string (l->computed) : "—", share);
  else
    self->class_text = g_strdup_printf (_("Contribution class %s, %s of the contribution"), kl_account_class_to_string (l->klass),
                                        share);
  gtk_label_set_text (self->class_label, self->class_text);
  self->filling = TRUE;
  gtk_drop_down_set_selected (self->override, l->manual);
  self->filling = FALSE;
  gtk_label_set_text (self->history_label, l->history);
  fill_list (self->lines, l->lines, _("No shipments with a transport mode in the last twelve months."));
  fill_list (self->health, l->health, "—");
  loaded_free (l);
}

void
kl_customer_analysis_load (KlCustomerAnalysis *self, KlWorker *worker, const char *customer_id)
{
  g_return_if_fail (KL_IS_CUSTOMER_ANALYSIS (self));

  if (worker != NULL)
    g_set_object (&self->worker, worker);
  if (customer_id != NULL && customer_id != self->customer_id)
    {
      g_free (self->customer_id);
      self->customer_id = g_strdup (customer_id);
    }
  if (self->worker == NULL || self->customer_id == NULL)
    return;
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->busy++;
  kl_worker_run (self->worker, KL_WORKER_READ, load_job, g_strdup (self->customer_id), g_free,
                 (GDestroyNotify) loaded_free, NULL, NULL, self->cancellable, load_done, g_object_ref (self));
}

typedef struct {
  char          *customer_id;
  KlAccountClass klass;
} OverrideWrite;

static void
override_free (OverrideWrite *w)
{
  g_free (w->customer_id);
  g_free (w);
}

static gpointer
override_job (KlDatabase *db, gpointer data, KlWorkerJob *job, GError **error)
{
  OverrideWrite *w = data;
  return kl_analysis_set_class_override (db, w->customer_id, w->klass, error) ? GINT_TO_POINTER (1) : NULL;
}

static void
override_done (GObject *source, GAsyncResult *res, gpointer user_data)
{
  g_autoptr(KlCustomerAnalysis) self = user_data;
  g_autoptr(GError) error = NULL;

  self->busy--;
  if (kl_worker_run_finish (KL_WORKER (source), res, &error) == NULL)
    gtk_label_set_text (self->class_label, error ? error->message : "");
  else
    kl_customer_analysis_load (self, NULL, NULL);
}

static void
override_changed (KlCustomerAnalysis *self)
{
  OverrideWrite *w;

  if (self->filling || self->worker == NULL || self->customer_id == NULL)
    return;
  w = g_new0 (OverrideWrite, 1);
  w->customer_id = g_strdup (self->customer_id);
  w->klass = (KlAccountClass) gtk_drop_down_get_selected (self->override);
  self->busy++;
  kl_worker_run (self->worker, KL_WORKER_WRITE, override_job, w, (GDestroyNotify) override_free, NULL, NULL, NULL,
                 self->cancellable, override_done, g_object_ref (self));
}

/* The printed "Service standards review" of this customer, in its report
 * language, written by the worker. */
typedef struct {
  char *customer_id;
  char *path;
} ReviewJob;

static void
review_job_free (ReviewJob *j)
{
  g_free (j->customer_id);
  g_free (j->path);
  g_free (j);
}

static gpointer
review_job (KlDatabase *db, gpointer data, KlWorkerJob *job, GError **error)
{
  ReviewJob *j = data;
  g_autoptr(GDateTime) now = g_date_time_new_now (kl_database_get_timezone (db));
  g_autoptr(GDateTime) last = g_date_time_add_months (now, -1);
  g_autoptr(KlClassAnalysis) a = kl_analysis_load (db, g_date_time_get_year (last), g_date_time_get_month (last),
                                                   NULL, error);
  g_autoptr(KlCustomer) c = NULL;

  if (a == NULL)
    return NULL;
  c = kl_customer_store_get (db, j->customer_id, error);
  if (c == NULL)
    return NULL;
  return kl_standards_document_write_pdf (a, j->customer_id, c->report_language, KL_PAPER_A4, j->path, error)
         ? GINT_TO_POINTER (1) : NULL;
}

static void
review_done (GObject *source, GAsyncResult *res, gpointer user_data)
{
  g_autoptr(KlCustomerAnalysis) self = user_data;
  g_autoptr(GError) error = NULL;

  self->busy--;
  if (kl_worker_run_finish (KL_WORKER (source), res, &error) == NULL)
    gtk_label_set_text (self->history_label, error ? error->message : "");
}

static void
review_chosen (GtkNativeDialog *dialog, int response, KlCustomerAnalysis *self)
{
  if (response == GTK_RESPONSE_ACCEPT && self->worker != NULL && self->customer_id != NULL)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      ReviewJob *j = g_new0 (ReviewJob, 1);
      j->customer_id = g_strdup (self->customer_id);
      j->path = g_file_get_path (file);
      self->busy++;
      kl_worker_run (self->worker, KL_WORKER_READ, review_job, j, (GDestroyNotify) review_job_free, NULL, NULL,
                     NULL, self->cancellable, review_done, g_object_ref (self));
    }
  g_object_unref (dialog);
}

static void
review_clicked (KlCustomerAnalysis *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkFileChooserNative *dialog = gtk_file_chooser_native_new (_("Save the Service Standards Review"),
                                                              GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                                              GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"),
                                                              _("_Cancel"));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), "service-standards-review.pdf");
  g_signal_connect_object (dialog, "response", G_CALLBACK (review_chosen), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

gboolean
kl_customer_analysis_is_idle (KlCustomerAnalysis *self)
{
  return self->busy == 0;
}

const char *
kl_customer_analysis_get_class_text (KlCustomerAnalysis *self)
{
  return self->class_text;
}

GtkListBox *
kl_customer_analysis_get_lines (KlCustomerAnalysis *self)
{
  return self->lines;
}

GtkDropDown *
kl_customer_analysis_get_override (KlCustomerAnalysis *self)
{
  return self->override;
}

static void
kl_customer_analysis_dispose (GObject *object)
{
  KlCustomerAnalysis *self = KL_CUSTOMER_ANALYSIS (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->worker);
  g_clear_pointer (&self->customer_id, g_free);
  g_clear_pointer (&self->class_text, g_free);
  G_OBJECT_CLASS (kl_customer_analysis_parent_class)->dispose (object);
}

static void
kl_customer_analysis_class_init (KlCustomerAnalysisClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = kl_customer_analysis_dispose;
}

static GtkWidget *
heading (const char *text)
{
  GtkWidget *label = gtk_label_new (text);
  gtk_widget_add_css_class (label, "heading");
  gtk_label_set_xalign (GTK_LABEL (label), 0.0);
  gtk_widget_set_margin_top (label, 12);
  return label;
}

static void
kl_customer_analysis_init (KlCustomerAnalysis *self)
{
  const char *choices[] = { N_("Computed"), "A", "B", "C", "D", NULL };
  g_autoptr(GtkStringList) model = gtk_string_list_new (NULL);
  GtkWidget *row, *label, *h;

  gtk_orientable_set_orientation (GTK_ORIENTABLE (self), GTK_ORIENTATION_VERTICAL);
  gtk_box_set_spacing (GTK_BOX (self), 6);
  gtk_widget_set_margin_start (GTK_WIDGET (self), 18);
  gtk_widget_set_margin_end (GTK_WIDGET (self), 18);
  gtk_widget_set_margin_top (GTK_WIDGET (self), 6);
  gtk_widget_set_margin_bottom (GTK_WIDGET (self), 18);
  self->cancellable = g_cancellable_new ();

  gtk_box_append (GTK_BOX (self), heading (_("Contribution class (A–D)")));
  self->class_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_xalign (self->class_label, 0.0);
  gtk_label_set_wrap (self->class_label, TRUE);
  gtk_box_append (GTK_BOX (self), GTK_WIDGET (self->class_label));
  row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  label = gtk_label_new_with_mnemonic (_("Class set by _hand"));
  for (guint i = 0; choices[i] != NULL; i++)
    gtk_string_list_append (model, i == 0 ? _(choices[i]) : choices[i]);
  self->override = GTK_DROP_DOWN (gtk_drop_down_new (G_LIST_MODEL (g_steal_pointer (&model)), NULL));
  gtk_label_set_mnemonic_widget (GTK_LABEL (label), GTK_WIDGET (self->override));
  g_signal_connect_swapped (self->override, "notify::selected", G_CALLBACK (override_changed), self);
  gtk_box_append (GTK_BOX (row), label);
  gtk_box_append (GTK_BOX (row), GTK_WIDGET (self->override));
  gtk_box_append (GTK_BOX (self), row);

  gtk_box_append (GTK_BOX (self), heading (_("Contribution class by quarter")));
  self->history_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_xalign (self->history_label, 0.0);
  gtk_box_append (GTK_BOX (self), GTK_WIDGET (self->history_label));

  h = heading (_("Service lines against their standards"));
  gtk_box_append (GTK_BOX (self), h);
  {
    GtkWidget *review = gtk_button_new_with_mnemonic (_("Save Service Standards _Review…"));
    gtk_widget_set_halign (review, GTK_ALIGN_START);
    g_signal_connect_swapped (review, "clicked", G_CALLBACK (review_clicked), self);
    gtk_box_append (GTK_BOX (self), review);
  }
  self->lines = GTK_LIST_BOX (gtk_list_box_new ());
  gtk_list_box_set_selection_mode (self->lines, GTK_SELECTION_NONE);
  gtk_widget_add_css_class (GTK_WIDGET (self->lines), "boxed-list");
  gtk_accessible_update_relation (GTK_ACCESSIBLE (self->lines), GTK_ACCESSIBLE_RELATION_LABELLED_BY, h, NULL, -1);
  gtk_box_append (GTK_BOX (self), GTK_WIDGET (self->lines));

  h = heading (_("Health and relationship history"));
  gtk_box_append (GTK_BOX (self), h);
  self->health = GTK_LIST_BOX (gtk_list_box_new ());
  gtk_list_box_set_selection_mode (self->health, GTK_SELECTION_NONE);
  gtk_widget_add_css_class (GTK_WIDGET (self->health), "boxed-list");
  gtk_accessible_update_relation (GTK_ACCESSIBLE (self->health), GTK_ACCESSIBLE_RELATION_LABELLED_BY, h, NULL, -1);
  gtk_box_append (GTK_BOX (self), GTK_WIDGET (self->health));
}

GtkWidget *
kl_customer_analysis_new (void)
{
  return g_object_new (KL_TYPE_CUSTOMER_ANALYSIS, NULL);
}
