/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Class thresholds, priority matrix and standards in Preferences. */

#include "config.h"

#include <glib/gi18n.h>

#include "kl-analysis-data.h"
#include "kl-analysis-preferences.h"

#define N_BANDS 4

struct _KlAnalysisPreferences {
  AdwPreferencesPage parent_instance;

  KlWorker      *worker;
  GCancellable  *cancellable;
  guint          busy;
  gboolean       shown;

  GtkSpinButton *thresholds[3];
  GtkSpinButton *cells[KL_N_ACCOUNT_CLASSES][KL_N_LINE_CLASSES];
  GtkSpinButton *band_last[N_BANDS];
  GtkSpinButton *band_target[N_BANDS];
  GtkSpinButton *band_lead[N_BANDS];
  GtkLabel      *status;
};

G_DEFINE_FINAL_TYPE (KlAnalysisPreferences, kl_analysis_preferences, ADW_TYPE_PREFERENCES_PAGE)

typedef struct {
  KlClassThresholds thresholds;
  KlPriorityMatrix  matrix;
  KlStandards       standards;
} Settings;

static void
show (KlAnalysisPreferences *self, const Settings *s)
{
  gtk_spin_button_set_value (self->thresholds[0], s->thresholds.a_bp / 100.0);
  gtk_spin_button_set_value (self->thresholds[1], s->thresholds.b_bp / 100.0);
  gtk_spin_button_set_value (self->thresholds[2], s->thresholds.c_bp / 100.0);
  for (int r = 0; r < KL_N_ACCOUNT_CLASSES; r++)
    for (int c = 0; c < KL_N_LINE_CLASSES; c++)
      gtk_spin_button_set_value (self->cells[r][c], s->matrix.priority[r][c]);
  for (guint b = 0; b < N_BANDS; b++)
    {
      const KlStandardBand *band = b < s->standards.n_bands ? &s->standards.bands[b] : NULL;
      gtk_spin_button_set_value (self->band_last[b], band ? band->last : 0);
      gtk_spin_button_set_value (self->band_target[b], band ? band->on_time * 100.0 : 0);
      gtk_spin_button_set_value (self->band_lead[b], band ? band->lead_days : 0);
    }
}

static gpointer
read_job (KlDatabase *db, gpointer data, KlWorkerJob *job, GError **error)
{
  Settings *s = g_new0 (Settings, 1);
  kl_analysis_settings_read (db, &s->thresholds, &s->matrix, &s->standards);
  return s;
}

static void
read_done (GObject *source, GAsyncResult *res, gpointer user_data)
{
  g_autoptr(KlAnalysisPreferences) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree Settings *s = kl_worker_run_finish (KL_WORKER (source), res, &error);

  self->busy--;
  if (s == NULL)
    {
      gtk_label_set_text (self->status, error ? error->message : "");
      return;
    }
  show (self, s);
  self->shown = TRUE;
}

static gpointer
write_job (KlDatabase *db, gpointer data, KlWorkerJob *job, GError **error)
{
  Settings *s = data;
  return kl_analysis_settings_write (db, &s->thresholds, &s->matrix, &s->standards, error) ? GINT_TO_POINTER (1) : NULL;
}

static void
write_done (GObject *source, GAsyncResult *res, gpointer user_data)
{
  g_autoptr(KlAnalysisPreferences) self = user_data;
  g_autoptr(GError) error = NULL;

  self->busy--;
  if (kl_worker_run_finish (KL_WORKER (source), res, &error) == NULL)
    gtk_label_set_text (self->status, error ? error->message : "");
  else
    gtk_label_set_text (self->status, _("Saved. Classes and standards use these from now on."));
}

void
kl_analysis_preferences_save (KlAnalysisPreferences *self)
{
  Settings *s = g_new0 (Settings, 1);
  int first = 1;

  s->thresholds.a_bp = (int) (gtk_spin_button_get_value (self->thresholds[0]) * 100 + 0.5);
  s->thresholds.b_bp = (int) (gtk_spin_button_get_value (self->thresholds[1]) * 100 + 0.5);
  s->thresholds.c_bp = (int) (gtk_spin_button_get_value (self->thresholds[2]) * 100 + 0.5);
  for (int r = 0; r < KL_N_ACCOUNT_CLASSES; r++)
    for (int c = 0; c < KL_N_LINE_CLASSES; c++)
      s->matrix.priority[r][c] = gtk_spin_button_get_value_as_int (self->cells[r][c]);
  for (guint b = 0; b < N_BANDS; b++)
    {
      int last = gtk_spin_button_get_value_as_int (self->band_last[b]);
      if (last < first)
        continue;
      s->standards.bands[s->standards.n_bands++] = (KlStandardBand) {
        first, last, gtk_spin_button_get_value (self->band_target[b]) / 100.0,
        gtk_spin_button_get_value_as_int (self->band_lead[b]) };
      first = last + 1;
    }
  if (!kl_class_thresholds_valid (&s->thresholds) || s->standards.n_bands == 0)
    {
      gtk_label_set_text (self->status,
                          _("Thresholds must rise from A to C, and the standards need at least one band of priorities."));
      g_free (s);
      return;
    }
  if (self->worker == NULL)
    {
      g_free (s);
      return;
    }
  self->busy++;
  kl_worker_run (self->worker, KL_WORKER_WRITE, write_job, s, g_free, NULL, NULL, NULL, self->cancellable,
                 write_done, g_object_ref (self));
}

static void
reset_defaults (KlAnalysisPreferences *self)
{
  Settings s;
  kl_class_thresholds_init_default (&s.thresholds);
  kl_priority_matrix_init_default (&s.matrix);
  kl_standards_init_default (&s.standards);
  show (self, &s);
}

gboolean
kl_analysis_preferences_is_idle (KlAnalysisPreferences *self)
{
  return self->shown && self->busy == 0;
}

GtkSpinButton *
kl_analysis_preferences_get_cell (KlAnalysisPreferences *self, guint row, guint column)
{
  g_return_val_if_fail (row < KL_N_ACCOUNT_CLASSES && column < KL_N_LINE_CLASSES, NULL);
  return self->cells[row][column];
}

static GtkSpinButton *
spin (double lo, double hi, double step, guint digits, const char *accessible)
{
  GtkWidget *s = gtk_spin_button_new_with_range (lo, hi, step);
  gtk_spin_button_set_digits (GTK_SPIN_BUTTON (s), digits);
  gtk_widget_set_valign (s, GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (s), GTK_ACCESSIBLE_PROPERTY_LABEL, accessible, -1);
  return GTK_SPIN_BUTTON (s);
}

static void
kl_analysis_preferences_dispose (GObject *object)
{
  KlAnalysisPreferences *self = KL_ANALYSIS_PREFERENCES (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->worker);
  G_OBJECT_CLASS (kl_analysis_preferences_parent_class)->dispose (object);
}

static void
kl_analysis_preferences_class_init (KlAnalysisPreferencesClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = kl_analysis_preferences_dispose;
}

static void
kl_analysis_preferences_init (KlAnalysisPreferences *self)
{
  static const char *const class_names[] = { "A", "B", "C", "D" };
  static const char *const line_names[] = { "I", "II", "III", "IV", "V" };
  AdwPreferencesGroup *group;
  GtkWidget *grid, *buttons, *save, *reset;

  self->cancellable = g_cancellable_new ();
  adw_preferences_page_set_title (ADW_PREFERENCES_PAGE (self), _("Service effort"));
  adw_preferences_page_set_icon_name (ADW_PREFERENCES_PAGE (self), "view-grid-symbolic");

  group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  adw_preferences_group_set_title (group, _("Contribution classes A–D"));
  adw_preferences_group_set_description (group, _("An account is A while the accounts ahead of it make less than the first share of the contribution, B below the second, C below the third, D after."));
  for (int i = 0; i < 3; i++)
    {
      GtkWidget *row = adw_action_row_new ();
      g_autofree char *title = g_strdup_printf (_("Class %s below (%%)"), class_names[i]);
      self->thresholds[i] = spin (1, 100, 0.5, 1, title);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), GTK_WIDGET (self->thresholds[i]));
      adw_preferences_group_add (group, row);
    }
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (self), group);

  group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  adw_preferences_group_set_title (group, _("Priority matrix"));
  adw_preferences_group_set_description (group, _("The priority of each account class and service-line class, 1 being the highest."));
  grid = gtk_grid_new ();
  gtk_grid_set_row_spacing (GTK_GRID (grid), 6);
  gtk_grid_set_column_spacing (GTK_GRID (grid), 6);
  for (int c = 0; c < KL_N_LINE_CLASSES; c++)
    gtk_grid_attach (GTK_GRID (grid), gtk_label_new (line_names[c]), c + 1, 0, 1, 1);
  for (int r = 0; r < KL_N_ACCOUNT_CLASSES; r++)
    {
      gtk_grid_attach (GTK_GRID (grid), gtk_label_new (class_names[r]), 0, r + 1, 1, 1);
      for (int c = 0; c < KL_N_LINE_CLASSES; c++)
        {
          /* Translators: the accessible name of a priority matrix cell: account class × line class */
          g_autofree char *name = g_strdup_printf (_("Priority of %s × %s"), class_names[r], line_names[c]);
          self->cells[r][c] = spin (1, 99, 1, 0, name);
          gtk_grid_attach (GTK_GRID (grid), GTK_WIDGET (self->cells[r][c]), c + 1, r + 1, 1, 1);
        }
    }
  adw_preferences_group_add (group, grid);
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (self), group);

  group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  adw_preferences_group_set_title (group, _("Service standards"));
  adw_preferences_group_set_description (group, _("Each band of priorities, from the one after the band above to its last: the arrival on-time target and the lead time. A band whose last priority is before its first is left out."));
  for (guint b = 0; b < N_BANDS; b++)
    {
      GtkWidget *row = adw_action_row_new ();
      g_autofree char *title = g_strdup_printf (_("Band %u"), b + 1);
      g_autofree char *last = g_strdup_printf (_("Band %u: last priority"), b + 1);
      g_autofree char *target = g_strdup_printf (_("Band %u: on-time target (%%)"), b + 1);
      g_autofree char *lead = g_strdup_printf (_("Band %u: lead time (days)"), b + 1);
      self->band_last[b] = spin (0, 99, 1, 0, last);
      self->band_target[b] = spin (0, 100, 0.1, 1, target);
      self->band_lead[b] = spin (0, 30, 1, 0, lead);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), _("last priority · on-time percent · days"));
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), GTK_WIDGET (self->band_last[b]));
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), GTK_WIDGET (self->band_target[b]));
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), GTK_WIDGET (self->band_lead[b]));
      adw_preferences_group_add (group, row);
    }
  buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  gtk_widget_set_margin_top (buttons, 12);
  save = gtk_button_new_with_mnemonic (_("_Save"));
  gtk_widget_add_css_class (save, "suggested-action");
  reset = gtk_button_new_with_mnemonic (_("_Method's defaults"));
  g_signal_connect_swapped (save, "clicked", G_CALLBACK (kl_analysis_preferences_save), self);
  g_signal_connect_swapped (reset, "clicked", G_CALLBACK (reset_defaults), self);
  gtk_box_append (GTK_BOX (buttons), save);
  gtk_box_append (GTK_BOX (buttons), reset);
  self->status = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_wrap (self->status, TRUE);
  gtk_box_append (GTK_BOX (buttons), GTK_WIDGET (self->status));
  adw_preferences_group_add (group, buttons);
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (self), group);
  reset_defaults (self);
}

GtkWidget *
kl_analysis_preferences_new (KlWorker *worker)
{
  KlAnalysisPreferences *self = g_object_new (KL_TYPE_ANALYSIS_PREFERENCES, NULL);

  if (worker != NULL)
    {
      self->worker = g_object_ref (worker);
      self->busy++;
      kl_worker_run (worker, KL_WORKER_READ, read_job, NULL, NULL, g_free, NULL, NULL, self->cancellable,
                     read_done, g_object_ref (self));
    }
  return GTK_WIDGET (self);
}
