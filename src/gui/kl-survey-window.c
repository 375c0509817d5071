/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The survey window: a keyboard-first response grid and the two matrices. */

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "kl-chart.h"
#include "kl-chart-analysis.h"
#include "kl-customer-store.h"
#include "kl-analysis-document.h"
#include "kl-survey-import.h"
#include "kl-survey-new-dialog.h"
#include "kl-survey-report.h"
#include "kl-survey-store.h"
#include "kl-survey-window.h"
#include "kl-report-language.h"
#include "kl-xlsx-export.h"
#include "kl-xlsx-save.h"

struct _KlSurveyWindow {
  AdwWindow       parent_instance;

  KlWorker       *worker;
  GCancellable   *cancellable;
  guint           busy;

  GtkDropDown    *survey_dropdown;
  GtkStringList  *survey_names;
  GtkDropDown    *respondent_dropdown;
  GtkStringList  *respondent_names;
  GtkEntry       *new_respondent;
  GtkEntry       *new_customer;
  GtkGrid        *grid;
  GtkLabel       *status;
  GtkWidget      *position_button;
  GtkWidget      *evaluation_button;

  KlSurvey       *survey;
  KlSurveyReport *report;
  GPtrArray      *cells;       /* GtkEntry *, row-major: attributes × (1 + companies) */
  guint           n_columns;
  gboolean        filling;     /* setting texts, not typed */
  char           *import_name; /* the survey an import goes into */
  char           *select_name; /* the survey to show once the list is read */
};

G_DEFINE_FINAL_TYPE (KlSurveyWindow, kl_survey_window, ADW_TYPE_WINDOW)

static void load_survey (KlSurveyWindow *self, const char *name);

static void
set_busy (KlSurveyWindow *self, gboolean busy)
{
  if (busy)
    self->busy++;
  else if (self->busy > 0)
    self->busy--;
}

gboolean
kl_survey_window_is_busy (KlSurveyWindow *self)
{
  g_return_val_if_fail (KL_IS_SURVEY_WINDOW (self), FALSE);
  return self->busy > 0;
}

static void
show_error (KlSurveyWindow *self, const GError *error)
{
  gtk_label_set_text (self->status, error ? error->message : "");
}

/* Loading the list */

static gpointer
list_job (KlDatabase *db, gpointer data, KlWorkerJob *job, GError **error)
{
  return kl_survey_store_list (db, error);
}

static void
list_done (GObject *source, GAsyncResult *res, gpointer user_data)
{
  g_autoptr(KlSurveyWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = kl_worker_run_finish (KL_WORKER (source), res, &error);

  set_busy (self, FALSE);
  if (list == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_error (self, error);
      return;
    }
  self->filling = TRUE;
  gtk_string_list_splice (self->survey_names, 0, g_list_model_get_n_items (G_LIST_MODEL (self->survey_names)), NULL);
  for (guint i = 0; i < list->len; i++)
    gtk_string_list_append (self->survey_names, ((KlSurveyInfo *) g_ptr_array_index (list, i))->name);
  self->filling = FALSE;
  if (list->len == 0)
    {
      gtk_label_set_text (self->status, _("No surveys yet. Create one with New Survey, or import a survey CSV file."));
      return;
    }
  {
    /* the survey just created or imported, else the latest round */
    guint pick = list->len - 1;
    for (guint i = 0; self->select_name != NULL && i < list->len; i++)
      if (g_strcmp0 (((KlSurveyInfo *) g_ptr_array_index (list, i))->name, self->select_name) == 0)
        pick = i;
    g_clear_pointer (&self->select_name, g_free);
    self->filling = TRUE;
    gtk_drop_down_set_selected (self->survey_dropdown, pick);
    self->filling = FALSE;
    load_survey (self, ((KlSurveyInfo *) g_ptr_array_index (list, pick))->name);
  }
}

static void
reload_list (KlSurveyWindow *self, const char *select_name)
{
  g_free (self->select_name);
  self->select_name = g_strdup (select_name);
  set_busy (self, TRUE);
  kl_worker_run (self->worker, KL_WORKER_READ, list_job, NULL, NULL, (GDestroyNotify) g_ptr_array_unref,
                 NULL, NULL, self->cancellable, list_done, g_object_ref (self));
}

/* Loading one survey */

typedef struct {
  KlSurvey       *survey;
  KlSurveyReport *report;
} Loaded;

static void
loaded_free (Loaded *l)
{
  if (l == NULL)
    return;
  kl_survey_report_free (l->report);
  kl_survey_free (l->survey);
  g_free (l);
}

static gpointer
survey_job (KlDatabase *db, gpointer data, KlWorkerJob *job, GError **error)
{
  Loaded *l = g_new0 (Loaded, 1);

  l->survey = kl_survey_store_load (db, data, error);
  if (l->survey == NULL)
    {
      g_free (l);
      return NULL;
    }
  l->report = kl_survey_report_compute (l->survey);
  return l;
}

static guint
respondent_index (KlSurveyWindow *self)
{
  guint i = gtk_drop_down_get_selected (self->respondent_dropdown);
  return i == GTK_INVALID_LIST_POSITION ? G_MAXUINT : i;
}

static void
fill_cells (KlSurveyWindow *self)
{
  guint r = respondent_index (self);
  guint na, nc;

  if (self->survey == NULL)
    return;
  na = kl_survey_n_attributes (self->survey);
  nc = kl_survey_n_companies (self->survey);
  self->filling = TRUE;
  for (guint a = 0; a < na; a++)
    for (guint c = 0; c <= nc; c++)
      {
        GtkEntry *entry = g_ptr_array_index (self->cells, a * self->n_columns + c);
        int v = 0;
        g_autofree char *text = NULL;

        if (r < kl_survey_n_respondents (self->survey))
          v = c == 0 ? self->survey->importance[r * na + a]
                     : self->survey->performance[(r * na + a) * nc + (c - 1)];
        text = v > 0 ? g_strdup_printf ("%d", v) : g_strdup ("");
        gtk_editable_set_text (GTK_EDITABLE (entry), text);
        gtk_widget_remove_css_class (GTK_WIDGET (entry), "error");
        gtk_widget_set_sensitive (GTK_WIDGET (entry), r < kl_survey_n_respondents (self->survey));
      }
  self->filling = FALSE;
}

/* Writing one cell */

typedef struct {
  gint64 respondent_id;
  gint64 attribute_id;
  gint64 company_id;    /* 0: the importance */
  int    value;
} CellWrite;

static gpointer
cell_job (KlDatabase *db, gpointer data, KlWorkerJob *job, GError **error)
{
  CellWrite *w = data;
  gboolean ok = w->company_id == 0
    ? kl_survey_store_set_importance (db, w->respondent_id, w->attribute_id, w->value, error)
    : kl_survey_store_set_performance (db, w->respondent_id, w->attribute_id, w->company_id, w->value, error);
  return ok ? GINT_TO_POINTER (1) : NULL;
}

static void
cell_done (GObject *source, GAsyncResult *res, gpointer user_data)
{
  g_autoptr(KlSurveyWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  set_busy (self, FALSE);
  if (kl_worker_run_finish (KL_WORKER (source), res, &error) == NULL)
    show_error (self, error);
}

static void
commit_cell (KlSurveyWindow *self, GtkEntry *entry)
{
  guint index, a, c, r, na, nc;
  const char *text;
  gint64 v = 0;
  int *slot;
  CellWrite *w;

  if (self->filling || self->survey == NULL || !g_ptr_array_find (self->cells, entry, &index))
    return;
  r = respondent_index (self);
  if (r >= kl_survey_n_respondents (self->survey))
    return;
  na = kl_survey_n_attributes (self->survey);
  nc = kl_survey_n_companies (self->survey);
  a = index / self->n_columns;
  c = index % self->n_columns;
  text = gtk_editable_get_text (GTK_EDITABLE (entry));
  if (*text != '\0' && !g_ascii_string_to_signed (text, 10, 1, 7, &v, NULL))
    {
      gtk_widget_add_css_class (GTK_WIDGET (entry), "error");
      gtk_accessible_update_state (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_STATE_INVALID,
                                   GTK_ACCESSIBLE_INVALID_TRUE, -1);
      gtk_label_set_text (self->status, _("Ratings are whole numbers from 1 to 7; leave a company's empty when not rated."));
      return;
    }
  gtk_widget_remove_css_class (GTK_WIDGET (entry), "error");
  gtk_accessible_reset_state (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_STATE_INVALID);
  gtk_label_set_text (self->status, "");
  slot = c == 0 ? &self->survey->importance[r * na + a]
                : &self->survey->performance[(r * na + a) * nc + (c - 1)];
  if (*slot == (int) v)
    return;
  *slot = (int) v;
  /* the results follow at once; the write goes to the worker */
  g_clear_pointer (&self->report, kl_survey_report_free);
  self->report = kl_survey_report_compute (self->survey);

  w = g_new0 (CellWrite, 1);
  w->respondent_id = ((KlSurveyRespondent *) g_ptr_array_index (self->survey->respondents, r))->id;
  w->attribute_id = ((KlSurveyAttribute *) g_ptr_array_index (self->survey->attributes, a))->id;
  w->company_id = c == 0 ? 0 : ((KlSurveyCompany *) g_ptr_array_index (self->survey->companies, c - 1))->id;
  w->value = (int) v;
  set_busy (self, TRUE);
  kl_worker_run (self->worker, KL_WORKER_WRITE, cell_job, w, g_free, NULL, NULL, NULL,
                 self->cancellable, cell_done, g_object_ref (self));
}

static void
cell_activate (GtkEntry *entry, KlSurveyWindow *self)
{
  guint index;

  commit_cell (self, entry);
  /* Enter: the same column of the next attribute */
  if (g_ptr_array_find (self->cells, entry, &index) && index + self->n_columns < self->cells->len)
    gtk_widget_grab_focus (g_ptr_array_index (self->cells, index + self->n_columns));
}

static void
cell_focus_leave (GtkEventControllerFocus *controller, KlSurveyWindow *self)
{
  commit_cell (self, GTK_ENTRY (gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (controller))));
}

static void
build_grid (KlSurveyWindow *self)
{
  GtkWidget *child;
  guint na = kl_survey_n_attributes (self->survey);
  guint nc = kl_survey_n_companies (self->survey);

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->grid))) != NULL)
    gtk_grid_remove (self->grid, child);
  g_ptr_array_set_size (self->cells, 0);
  self->n_columns = nc + 1;

  gtk_grid_attach (self->grid, gtk_label_new (_("Attribute")), 0, 0, 1, 1);
  gtk_grid_attach (self->grid, gtk_label_new (_("Importance")), 1, 0, 1, 1);
  for (guint c = 0; c < nc; c++)
    {
      const KlSurveyCompany *co = g_ptr_array_index (self->survey->companies, c);
      g_autofree char *title = co->ours ? g_strdup (_("Ours")) : g_strdup (co->name);
      gtk_grid_attach (self->grid, gtk_label_new (title), 2 + c, 0, 1, 1);
    }
  for (guint a = 0; a < na; a++)
    {
      const KlSurveyAttribute *attr = g_ptr_array_index (self->survey->attributes, a);
      const char *name = kl_survey_attribute_name (attr, pango_language_to_string (pango_language_get_default ()));
      GtkWidget *label = gtk_label_new (name);

      gtk_label_set_xalign (GTK_LABEL (label), 0.0);
      gtk_grid_attach (self->grid, label, 0, a + 1, 1, 1);
      for (guint c = 0; c <= nc; c++)
        {
          GtkWidget *entry = gtk_entry_new ();
          GtkEventController *focus = gtk_event_controller_focus_new ();
          g_autofree char *what = NULL;

          gtk_entry_set_max_length (GTK_ENTRY (entry), 1);
          gtk_editable_set_width_chars (GTK_EDITABLE (entry), 3);
          gtk_entry_set_input_purpose (GTK_ENTRY (entry), GTK_INPUT_PURPOSE_DIGITS);
          if (c == 0)
            what = g_strdup_printf (_("%s: importance, 1 to 7"), name);
          else
            {
              const KlSurveyCompany *co = g_ptr_array_index (self->survey->companies, c - 1);
              what = g_strdup_printf (_("%s: performance of %s, 1 to 7, empty for not rated"), name,
                                      co->ours ? _("ours") : co->name);
            }
          gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL, what, -1);
          g_signal_connect (entry, "activate", G_CALLBACK (cell_activate), self);
          g_signal_connect (focus, "leave", G_CALLBACK (cell_focus_leave), self);
          gtk_widget_add_controller (entry, focus);
          gtk_grid_attach (self->grid, entry, 1 + c, a + 1, 1, 1);
          g_ptr_array_add (self->cells, entry);
        }
    }
}

static void
fill_respondents (KlSurveyWindow *self)
{
  self->filling = TRUE;
  gtk_string_list_splice (self->respondent_names, 0,
                          g_list_model_get_n_items (G_LIST_MODEL (self->respondent_names)), NULL);
  for (guint i = 0; i < kl_survey_n_respondents (self->survey); i++)
    {
      const KlSurveyRespondent *r = g_ptr_array_index (self->survey->respondents, i);
      g_autofree char *text = g_strdup_printf ("%s (%s)", r->name, r->customer_code);
      gtk_string_list_append (self->respondent_names, text);
    }
  self->filling = FALSE;
}

static void
survey_done (GObject *source, GAsyncResult *res, gpointer user_data)
{
  g_autoptr(KlSurveyWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  Loaded *l = kl_worker_run_finish (KL_WORKER (source), res, &error);
  guint keep = respondent_index (self);
  g_autofree char *previous = self->survey ? g_strdup (self->survey->id) : NULL;

  set_busy (self, FALSE);
  if (l == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_error (self, error);
      return;
    }
  g_clear_pointer (&self->report, kl_survey_report_free);
  g_clear_pointer (&self->survey, kl_survey_free);
  self->survey = g_steal_pointer (&l->survey);
  self->report = g_steal_pointer (&l->report);
  loaded_free (l);
  build_grid (self);
  fill_respondents (self);
  if (g_strcmp0 (previous, self->survey->id) != 0 || keep >= kl_survey_n_respondents (self->survey))
    keep = 0;
  if (kl_survey_n_respondents (self->survey) > 0)
    gtk_drop_down_set_selected (self->respondent_dropdown, keep);
  fill_cells (self);
  gtk_widget_set_sensitive (self->position_button, TRUE);
  gtk_widget_set_sensitive (self->evaluation_button, TRUE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "survey.compare-rounds", TRUE);
}

static void
load_survey (KlSurveyWindow *self, const char *name)
{
  set_busy (self, TRUE);
  kl_worker_run (self->worker, KL_WORKER_READ, survey_job, g_strdup (name), g_free, (GDestroyNotify) loaded_free,
                 NULL, NULL, self->cancellable, survey_done, g_object_ref (self));
}

static void
survey_selected (KlSurveyWindow *self)
{
  GtkStringObject *item = gtk_drop_down_get_selected_item (self->survey_dropdown);

  if (self->filling || item == NULL)
    return;
  load_survey (self, gtk_string_object_get_string (item));
}

static void
respondent_selected (KlSurveyWindow *self)
{
  if (!self->filling)
    fill_cells (self);
}

/* A new respondent */

typedef struct {
  char *survey_id;
  char *name;
  char *customer_code;
} NewRespondent;

static void
new_respondent_free (NewRespondent *n)
{
  g_free (n->survey_id);
  g_free (n->name);
  g_free (n->customer_code);
  g_free (n);
}

static gpointer
respondent_job (KlDatabase *db, gpointer data, KlWorkerJob *job, GError **error)
{
  NewRespondent *n = data;
  g_autoptr(KlCustomer) c = kl_customer_store_get_by_code (db, n->customer_code, error);

  if (c == NULL)
    return NULL;
  return kl_survey_store_ensure_respondent (db, n->survey_id, n->name, c->id, error) < 0 ? NULL : GINT_TO_POINTER (1);
}

static void
respondent_done (GObject *source, GAsyncResult *res, gpointer user_data)
{
  g_autoptr(KlSurveyWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  set_busy (self, FALSE);
  if (kl_worker_run_finish (KL_WORKER (source), res, &error) == NULL)
    {
      show_error (self, error);
      return;
    }
  gtk_editable_set_text (GTK_EDITABLE (self->new_respondent), "");
  load_survey (self, self->survey->name);
}

static void
add_respondent (KlSurveyWindow *self)
{
  NewRespondent *n;
  const char *name = gtk_editable_get_text (GTK_EDITABLE (self->new_respondent));
  const char *code = gtk_editable_get_text (GTK_EDITABLE (self->new_customer));

  if (self->survey == NULL)
    return;
  if (kl_text_is_blank (name) || kl_text_is_blank (code))
    {
      gtk_label_set_text (self->status, _("A new respondent needs a name and a customer code."));
      return;
    }
  n = g_new0 (NewRespondent, 1);
  n->survey_id = g_strdup (self->survey->id);
  n->name = g_strdup (name);
  n->customer_code = g_strdup (code);
  set_busy (self, TRUE);
  kl_worker_run (self->worker, KL_WORKER_WRITE, respondent_job, n, (GDestroyNotify) new_respondent_free, NULL,
                 NULL, NULL, self->cancellable, respondent_done, g_object_ref (self));
}

/* The matrices */

typedef struct {
  guint         which;
  GPtrArray    *labels;
  KlChartPoint *points;
  guint         n;
} MatrixData;

static void
matrix_data_free (gpointer p)
{
  MatrixData *m = p;
  g_ptr_array_unref (m->labels);
  g_free (m->points);
  g_free (m);
}

static void
draw_matrix (GtkDrawingArea *area, cairo_t *cr, int width, int height, gpointer user_data)
{
  MatrixData *m = user_data;
  KlChartPalette palette = kl_chart_palette_light ();

  kl_chart_fill_background (cr, width, height, &palette);
  if (m->which == 0)
    {
      KlChartPositionMatrix spec = {
        .x_label = _("Importance"),
        .y_label = _("Relative performance"),
        .band_labels = { _("Disadvantage"), _("Parity"), _("Advantage") },
        .important_label = _("Important (≥ 4.0)"),
        .points = m->points,
        .n_points = m->n,
      };
      kl_chart_draw_position_matrix (cr, width, height, &palette, &spec);
    }
  else
    {
      KlChartEvaluationMatrix spec = {
        .x_label = _("Our performance"),
        .y_label = _("Importance"),
        .band_labels = { _("Low"), _("Medium"), _("High") },
        .cell_labels = {
          { _("Maintain"), _("Reduce or maintain"), _("Reduce or maintain") },
          { _("Improve"), _("Maintain"), _("Reduce or maintain") },
          { _("Improve now"), _("Improve"), _("Maintain or improve") },
        },
        .points = m->points,
        .n_points = m->n,
      };
      kl_chart_draw_evaluation_matrix (cr, width, height, &palette, &spec);
    }
}

static char *
number (double v, gboolean sign)
{
  if (isnan (v))
    return g_strdup ("—");
  return g_strdup_printf (sign ? "%+.2f" : "%.2f", v);
}

GtkWindow *
kl_survey_window_open_matrix (KlSurveyWindow *self, guint which)
{
  GtkWidget *window, *box, *area, *list, *scrolled;
  MatrixData *m;
  const KlSurveyReport *rep = self->report;

  g_return_val_if_fail (KL_IS_SURVEY_WINDOW (self), NULL);
  if (rep == NULL)
    return NULL;

  m = g_new0 (MatrixData, 1);
  m->which = which;
  m->labels = g_ptr_array_new_with_free_func (g_free);
  m->n = rep->n_results;
  m->points = g_new0 (KlChartPoint, MAX (m->n, 1));

  window = gtk_window_new ();
  gtk_window_set_transient_for (GTK_WINDOW (window), GTK_WINDOW (self));
  gtk_window_set_title (GTK_WINDOW (window), which == 0 ? _("Competitive position") : _("Performance evaluation"));
  gtk_window_set_default_size (GTK_WINDOW (window), 760, 720);
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_widget_set_margin_top (box, 12);
  gtk_widget_set_margin_bottom (box, 12);

  area = gtk_drawing_area_new ();
  gtk_widget_set_name (area, "matrix-chart");
  gtk_widget_set_size_request (area, 600, 420);
  gtk_widget_set_vexpand (area, TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (area), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  gtk_window_get_title (GTK_WINDOW (window)),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  _("The same numbers are in the table below the chart."), -1);

  /* the data table: one row per attribute, read whole by screen readers */
  list = gtk_list_box_new ();
  gtk_widget_set_name (list, "matrix-table");
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  gtk_accessible_update_property (GTK_ACCESSIBLE (list), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("The matrix as a table"), -1);
  for (guint a = 0; a < rep->n_results; a++)
    {
      const KlSurveyResult *r = &rep->results[a];
      double ours = rep->ours >= 0 ? r->performance[rep->ours].mean : NAN;
      char *label = g_strdup_printf ("%s%s", r->attribute->code, kl_significance_to_string (r->significance));
      g_autofree char *imp = number (r->importance.mean, FALSE);
      g_autofree char *rel = number (r->relative, TRUE);
      g_autofree char *our = number (ours, FALSE);
      g_autofree char *line = NULL;
      GtkWidget *row_label;

      g_ptr_array_add (m->labels, label);
      m->points[a] = which == 0 ? (KlChartPoint) { label, r->importance.mean, r->relative }
                                : (KlChartPoint) { label, ours, r->importance.mean };
      if (which == 0)
        line = g_strdup_printf (_("%s: importance %s, relative performance %s%s, %s"), r->attribute->code, imp, rel,
                                kl_significance_to_string (r->significance), kl_survey_position_to_label (r->position));
      else
        line = g_strdup_printf (_("%s: importance %s, our performance %s, %s"), r->attribute->code, imp, our,
                                kl_survey_action_to_label (r->action));
      row_label = gtk_label_new (line);
      gtk_label_set_xalign (GTK_LABEL (row_label), 0.0);
      gtk_widget_set_margin_start (row_label, 6);
      gtk_widget_set_margin_top (row_label, 3);
      gtk_widget_set_margin_bottom (row_label, 3);
      gtk_list_box_append (GTK_LIST_BOX (list), row_label);
    }
  gtk_drawing_area_set_draw_func (GTK_DRAWING_AREA (area), draw_matrix, m, matrix_data_free);
  scrolled = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), list);
  gtk_scrolled_window_set_min_content_height (GTK_SCROLLED_WINDOW (scrolled), 180);
  gtk_box_append (GTK_BOX (box), area);
  gtk_box_append (GTK_BOX (box), scrolled);
  gtk_window_set_child (GTK_WINDOW (window), box);
  gtk_window_present (GTK_WINDOW (window));
  return GTK_WINDOW (window);
}

static void
open_position (KlSurveyWindow *self)
{
  kl_survey_window_open_matrix (self, 0);
}

static void
open_evaluation (KlSurveyWindow *self)
{
  kl_survey_window_open_matrix (self, 1);
}

/* Importing a survey CSV (docs/analysis.md) into the survey shown, or a new
 * one named after the file when none is. */
typedef struct {
  GFile *file;
  char  *survey;
  char  *summary;
} ImportJob;

static void
import_job_free (ImportJob *j)
{
  g_clear_object (&j->file);
  g_free (j->survey);
  g_free (j->summary);
  g_free (j);
}

static gpointer
import_job (KlDatabase *db, gpointer data, KlWorkerJob *job, GError **error)
{
  ImportJob *j = data;
  g_autoptr(KlImportResult) result = kl_survey_import_file (db, j->file, NULL, j->survey, NULL,
                                                            KL_IMPORT_FLAGS_NONE, NULL, error);
  g_autoptr(GString) text = g_string_new (NULL);

  if (result == NULL)
    return NULL;
  for (guint i = 0; i < result->errors->len && i < 5; i++)
    g_string_append_printf (text, "%s\n", (char *) g_ptr_array_index (result->errors, i));
  if (result->n_bad > 0)
    g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, "%u row is bad, so nothing was written.",
                                               "%u rows are bad, so nothing was written.", result->n_bad),
                            result->n_bad);
  else
    g_string_append_printf (text, _("Imported: %u new, %u updated, %u unchanged."), result->n_new,
                            result->n_updated, result->n_unchanged);
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
import_done (GObject *source, GAsyncResult *res, gpointer user_data)
{
  g_autoptr(KlSurveyWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *summary = kl_worker_run_finish (KL_WORKER (source), res, &error);

  set_busy (self, FALSE);
  if (summary == NULL)
    {
      show_error (self, error);
      return;
    }
  gtk_label_set_text (self->status, summary);
  reload_list (self, self->import_name);
}

static void
import_chosen (GtkNativeDialog *dialog, int response, KlSurveyWindow *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      ImportJob *j = g_new0 (ImportJob, 1);
      j->file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      if (self->survey != NULL)
        j->survey = g_strdup (self->survey->name);
      else
        {
          g_autofree char *base = g_file_get_basename (j->file);
          char *dot = strrchr (base, '.');
          if (dot != NULL)
            *dot = '\0';
          j->survey = g_strdup (base);
        }
      g_free (self->import_name);
      self->import_name = g_strdup (j->survey);
      set_busy (self, TRUE);
      kl_worker_run (self->worker, KL_WORKER_WRITE, import_job, j, (GDestroyNotify) import_job_free, g_free,
                     NULL, NULL, self->cancellable, import_done, g_object_ref (self));
    }
  g_object_unref (dialog);
}

static void
import_clicked (KlSurveyWindow *self)
{
  GtkFileChooserNative *dialog = gtk_file_chooser_native_new (_("Import Survey Responses"), GTK_WINDOW (self),
                                                              GTK_FILE_CHOOSER_ACTION_OPEN, _("_Import"),
                                                              _("_Cancel"));
  g_signal_connect_object (dialog, "response", G_CALLBACK (import_chosen), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

/* The printed "Client survey" or the Excel workbook of its results and responses,
 * written by the worker from the survey as stored (the same figures as the JSON export). */
typedef struct {
  char     *survey;
  char     *path;
  char     *language;
  gboolean  xlsx;
} ExportJob;

static void
export_job_free (ExportJob *j)
{
  g_free (j->survey);
  g_free (j->path);
  g_free (j->language);
  g_free (j);
}

static gpointer
export_job (KlDatabase *db, gpointer data, KlWorkerJob *job, GError **error)
{
  ExportJob *j = data;
  g_autoptr(KlSurvey) s = kl_survey_store_load (db, j->survey, error);
  g_autoptr(KlSurveyReport) report = NULL;
  gboolean ok;

  if (s == NULL)
    return NULL;
  report = kl_survey_report_compute (s);
  if (j->xlsx)
    ok = kl_xlsx_write_survey (report, j->language, j->path, error);
  else
    ok = kl_survey_document_write_pdf (report, j->language, KL_PAPER_A4, j->path, error);
  /* what was written, for export_done's message */
  return ok ? GINT_TO_POINTER (j->xlsx ? 2 : 1) : NULL;
}

static void
export_done (GObject *source, GAsyncResult *res, gpointer user_data)
{
  g_autoptr(KlSurveyWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  gpointer written = kl_worker_run_finish (KL_WORKER (source), res, &error);

  set_busy (self, FALSE);
  if (written == NULL)
    show_error (self, error);
  else
    gtk_label_set_text (self->status, GPOINTER_TO_INT (written) == 2 ? _("The workbook was saved.")
                                                                     : _("The report was saved."));
}

static void
export_start (KlSurveyWindow *self, GFile *file, gboolean xlsx)
{
  ExportJob *j = g_new0 (ExportJob, 1);

  j->survey = g_strdup (self->survey->id);
  j->path = g_file_get_path (file);
  j->language = g_strdup (kl_report_language_of_interface ());
  j->xlsx = xlsx;
  set_busy (self, TRUE);
  kl_worker_run (self->worker, KL_WORKER_READ, export_job, j, (GDestroyNotify) export_job_free, NULL,
                 NULL, NULL, self->cancellable, export_done, g_object_ref (self));
}

static void
pdf_chosen (GtkNativeDialog *dialog, int response, KlSurveyWindow *self)
{
  if (response == GTK_RESPONSE_ACCEPT && self->survey != NULL)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));

      if (file != NULL && g_file_peek_path (file) != NULL)
        export_start (self, file, FALSE);
    }
  g_object_unref (dialog);
}

static void
pdf_clicked (KlSurveyWindow *self)
{
  GtkFileChooserNative *dialog;
  g_autofree char *name = NULL;

  if (self->survey == NULL)
    return;
  dialog = gtk_file_chooser_native_new (_("Save the Client Survey Report"), GTK_WINDOW (self),
                                        GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"), _("_Cancel"));
  name = g_strdup_printf ("%s.pdf", self->survey->name);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), name);
  g_signal_connect_object (dialog, "response", G_CALLBACK (pdf_chosen), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

/* New Survey */

static void
survey_created (KlSurveyNewDialog *dialog, const char *name, KlSurveyWindow *self)
{
  g_autofree char *text = g_strdup_printf (_("The survey “%s” was created. Pick a respondent and type the ratings."), name);

  reload_list (self, name);
  gtk_label_set_text (self->status, text);
}

GtkWindow *
kl_survey_window_new_survey (KlSurveyWindow *self)
{
  GtkWidget *dialog;

  g_return_val_if_fail (KL_IS_SURVEY_WINDOW (self), NULL);
  dialog = kl_survey_new_dialog_new (self->worker);
  gtk_window_set_transient_for (GTK_WINDOW (dialog), GTK_WINDOW (self));
  g_signal_connect_object (dialog, "created", G_CALLBACK (survey_created), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
  return GTK_WINDOW (dialog);
}

/* One attribute across the survey rounds (docs/analysis.md), in a window of
 * its own: a row per round that asked it, by date. */

typedef struct {
  KlSurveyWindow *self;
  GtkListBox     *list;
  GtkLabel       *status;
  GtkWidget      *chart;
} RoundsLoad;

/* What the rounds chart draws: the three means of each round, by date. */
typedef struct {
  GStrv   rounds;
  double *importance;
  double *ours;
  double *main;
  gsize   n;
} RoundsChart;

static void
rounds_chart_free (gpointer p)
{
  RoundsChart *c = p;
  g_strfreev (c->rounds);
  g_free (c->importance);
  g_free (c->ours);
  g_free (c->main);
  g_free (c);
}

static void
draw_rounds (GtkDrawingArea *area, cairo_t *cr, int width, int height, gpointer user_data)
{
  const RoundsChart *c = g_object_get_data (G_OBJECT (area), "rounds");
  KlChartPalette palette = kl_chart_palette_light ();
  KlChartSeries series[3];
  KlChartTrend spec = { 0 };

  kl_chart_fill_background (cr, width, height, &palette);
  if (c == NULL || c->n == 0)
    return;
  series[0] = (KlChartSeries) { _("Importance"), c->importance, c->n, NULL };
  series[1] = (KlChartSeries) { _("Ours"), c->ours, c->n, NULL };
  series[2] = (KlChartSeries) { _("Main competitor"), c->main, c->n, NULL };
  spec.categories = (const char * const *) c->rounds;
  spec.n_categories = c->n;
  spec.series = series;
  spec.n_series = 3;
  spec.style = KL_CHART_TREND_LINE;
  spec.format = KL_CHART_FORMAT_DECIMAL;
  spec.show_legend = TRUE;
  spec.show_points = TRUE;
  kl_chart_draw_trend (cr, width, height, &spec, &palette);
}

static void
rounds_load_free (RoundsLoad *r)
{
  g_object_unref (r->self);
  g_object_unref (r->list);
  g_object_unref (r->status);
  g_object_unref (r->chart);
  g_free (r);
}

static gpointer
rounds_job (KlDatabase *db, gpointer data, KlWorkerJob *job, GError **error)
{
  return kl_survey_compare_rounds (db, data, error);
}

static void
rounds_done (GObject *source, GAsyncResult *res, gpointer user_data)
{
  RoundsLoad *r = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rounds = kl_worker_run_finish (KL_WORKER (source), res, &error);
  GtkWidget *child;

  set_busy (r->self, FALSE);
  if (gtk_widget_get_root (GTK_WIDGET (r->list)) == NULL)
    {
      /* the window was closed meanwhile */
      rounds_load_free (r);
      return;
    }
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (r->list))) != NULL)
    gtk_list_box_remove (r->list, child);
  if (rounds == NULL)
    gtk_label_set_text (r->status, g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ? "" : error->message);
  else
    {
      g_autofree char *count = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Asked in %u survey round.",
                                                             "Asked in %u survey rounds.", rounds->len),
                                                rounds->len);
      RoundsChart *chart = g_new0 (RoundsChart, 1);

      gtk_label_set_text (r->status, count);
      chart->n = rounds->len;
      chart->rounds = g_new0 (char *, rounds->len + 1);
      chart->importance = g_new0 (double, MAX (rounds->len, 1));
      chart->ours = g_new0 (double, MAX (rounds->len, 1));
      chart->main = g_new0 (double, MAX (rounds->len, 1));
      for (guint i = 0; i < rounds->len; i++)
        {
          const KlSurveyRound *round = g_ptr_array_index (rounds, i);
          chart->rounds[i] = g_strdup (round->survey);
          chart->importance[i] = round->importance;
          chart->ours[i] = round->ours;
          chart->main[i] = round->main;
        }
      g_object_set_data_full (G_OBJECT (r->chart), "rounds", chart, rounds_chart_free);
      gtk_widget_queue_draw (r->chart);
      for (guint i = 0; i < rounds->len; i++)
        {
          const KlSurveyRound *round = g_ptr_array_index (rounds, i);
          g_autofree char *imp = number (round->importance, FALSE);
          g_autofree char *ours = number (round->ours, FALSE);
          g_autofree char *main = number (round->main, FALSE);
          g_autofree char *rel = number (round->relative, TRUE);
          g_autofree char *line = NULL;
          GtkWidget *label;

          /* Translators: a survey round of one attribute: survey, date, respondents, importance, our mean,
           * the main competitor's mean, relative performance with its significance stars, position, action */
          line = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                               "%s (%s): %u respondent; importance %s; ours %s; main competitor %s; relative %s%s — %s; %s",
                                               "%s (%s): %u respondents; importance %s; ours %s; main competitor %s; relative %s%s — %s; %s",
                                               round->n),
                                  round->survey, round->held_on, round->n, imp, ours, main, rel,
                                  kl_significance_to_string (round->significance),
                                  kl_survey_position_to_label (round->position), kl_survey_action_to_label (round->action));
          label = gtk_label_new (line);
          gtk_label_set_xalign (GTK_LABEL (label), 0.0);
          gtk_label_set_wrap (GTK_LABEL (label), TRUE);
          gtk_widget_set_margin_start (label, 6);
          gtk_widget_set_margin_end (label, 6);
          gtk_widget_set_margin_top (label, 4);
          gtk_widget_set_margin_bottom (label, 4);
          gtk_list_box_append (r->list, label);
        }
    }
  rounds_load_free (r);
}

static void
rounds_attribute_selected (GtkDropDown *dropdown, GParamSpec *pspec, KlSurveyWindow *self)
{
  GtkWidget *window = GTK_WIDGET (gtk_widget_get_root (GTK_WIDGET (dropdown)));
  const char * const *codes = g_object_get_data (G_OBJECT (dropdown), "codes");
  guint i = gtk_drop_down_get_selected (dropdown);
  RoundsLoad *r;

  if (codes == NULL || i == GTK_INVALID_LIST_POSITION || i >= g_strv_length ((char **) codes))
    return;
  r = g_new0 (RoundsLoad, 1);
  r->self = g_object_ref (self);
  r->list = g_object_ref (g_object_get_data (G_OBJECT (window), "rounds-list"));
  r->status = g_object_ref (g_object_get_data (G_OBJECT (window), "rounds-status"));
  r->chart = g_object_ref (g_object_get_data (G_OBJECT (window), "rounds-chart"));
  set_busy (self, TRUE);
  kl_worker_run (self->worker, KL_WORKER_READ, rounds_job, g_strdup (codes[i]), g_free,
                 (GDestroyNotify) g_ptr_array_unref, NULL, NULL, self->cancellable, rounds_done, r);
}

GtkWindow *
kl_survey_window_open_rounds (KlSurveyWindow *self, const char *attribute_code)
{
  GtkWidget *window, *box, *bar, *label, *list, *scrolled, *status, *chart;
  GtkDropDown *dropdown;
  GtkStringList *names;
  g_autoptr(GStrvBuilder) codes = g_strv_builder_new ();
  const char *language = pango_language_to_string (pango_language_get_default ());
  guint select = 0;

  g_return_val_if_fail (KL_IS_SURVEY_WINDOW (self), NULL);
  if (self->survey == NULL)
    return NULL;

  window = gtk_window_new ();
  gtk_widget_set_name (window, "survey-rounds");
  gtk_window_set_transient_for (GTK_WINDOW (window), GTK_WINDOW (self));
  gtk_window_set_title (GTK_WINDOW (window), _("Compare Survey Rounds"));
  gtk_window_set_default_size (GTK_WINDOW (window), 760, 620);
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 8);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_widget_set_margin_top (box, 12);
  gtk_widget_set_margin_bottom (box, 12);

  names = gtk_string_list_new (NULL);
  for (guint a = 0; a < kl_survey_n_attributes (self->survey); a++)
    {
      const KlSurveyAttribute *attr = g_ptr_array_index (self->survey->attributes, a);
      gtk_string_list_append (names, kl_survey_attribute_name (attr, language));
      g_strv_builder_add (codes, attr->code);
      if (g_strcmp0 (attr->code, attribute_code) == 0)
        select = a;
    }
  dropdown = GTK_DROP_DOWN (gtk_drop_down_new (G_LIST_MODEL (names), NULL));
  gtk_widget_set_name (GTK_WIDGET (dropdown), "rounds-attribute");
  g_object_set_data_full (G_OBJECT (dropdown), "codes", g_strv_builder_end (codes), (GDestroyNotify) g_strfreev);
  bar = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  label = gtk_label_new_with_mnemonic (_("_Attribute"));
  gtk_label_set_mnemonic_widget (GTK_LABEL (label), GTK_WIDGET (dropdown));
  gtk_box_append (GTK_BOX (bar), label);
  gtk_box_append (GTK_BOX (bar), GTK_WIDGET (dropdown));
  gtk_box_append (GTK_BOX (box), bar);

  list = gtk_list_box_new ();
  gtk_widget_set_name (list, "rounds-table");
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  gtk_accessible_update_property (GTK_ACCESSIBLE (list), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("The attribute in each survey round, oldest first"), -1);
  scrolled = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), list);
  gtk_widget_set_vexpand (scrolled, TRUE);
  status = gtk_label_new (NULL);
  gtk_widget_set_name (status, "rounds-status");
  gtk_label_set_xalign (GTK_LABEL (status), 0.0);
  gtk_widget_add_css_class (status, "dim-label");
  chart = gtk_drawing_area_new ();
  gtk_widget_set_name (chart, "rounds-chart");
  gtk_widget_set_size_request (chart, 560, 220);
  gtk_drawing_area_set_draw_func (GTK_DRAWING_AREA (chart), draw_rounds, NULL, NULL);
  gtk_accessible_update_property (GTK_ACCESSIBLE (chart), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Importance, our and the main competitor’s means by round"),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  _("The same numbers are in the table below the chart."), -1);
  gtk_box_append (GTK_BOX (box), status);
  gtk_box_append (GTK_BOX (box), chart);
  gtk_box_append (GTK_BOX (box), scrolled);
  g_object_set_data (G_OBJECT (window), "rounds-chart", chart);
  g_object_set_data (G_OBJECT (window), "rounds-list", list);
  g_object_set_data (G_OBJECT (window), "rounds-status", status);
  gtk_window_set_child (GTK_WINDOW (window), box);

  gtk_drop_down_set_selected (dropdown, select);
  g_signal_connect_object (dropdown, "notify::selected", G_CALLBACK (rounds_attribute_selected), self, 0);
  rounds_attribute_selected (dropdown, NULL, self);
  gtk_window_present (GTK_WINDOW (window));
  return GTK_WINDOW (window);
}

static void
new_survey_activated (GtkWidget *widget, const char *action, GVariant *parameter)
{
  kl_survey_window_new_survey (KL_SURVEY_WINDOW (widget));
}

static void
compare_rounds_activated (GtkWidget *widget, const char *action, GVariant *parameter)
{
  kl_survey_window_open_rounds (KL_SURVEY_WINDOW (widget), NULL);
}

static void
xlsx_save (KlSurveyWindow *self, GFile *chosen)
{
  g_autoptr(GFile) file = kl_xlsx_save_with_extension (chosen);

  export_start (self, file, TRUE);
}

static void
xlsx_chosen (GtkNativeDialog *dialog, int response, KlSurveyWindow *self)
{
  if (response == GTK_RESPONSE_ACCEPT && self->survey != NULL)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));

      if (file != NULL && g_file_peek_path (file) != NULL)
        xlsx_save (self, file);
    }
  g_object_unref (dialog);
}

static void
xlsx_clicked (KlSurveyWindow *self)
{
  GtkFileChooserNative *dialog;
  g_autoptr(GFile) preset = kl_xlsx_save_take_next_file ();
  g_autofree char *name = NULL;

  if (self->survey == NULL)
    return;
  if (preset != NULL)
    {
      xlsx_save (self, preset);
      return;
    }
  dialog = gtk_file_chooser_native_new (_("Export the Survey as Excel Workbook"), GTK_WINDOW (self),
                                        GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), _("_Cancel"));
  name = g_strdup_printf ("%s.xlsx", self->survey->name);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), name);
  g_signal_connect_object (dialog, "response", G_CALLBACK (xlsx_chosen), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

GtkEditable *
kl_survey_window_get_cell (KlSurveyWindow *self, guint row, guint column)
{
  guint index = row * self->n_columns + column;

  g_return_val_if_fail (KL_IS_SURVEY_WINDOW (self), NULL);
  if (self->survey == NULL || column >= self->n_columns || index >= self->cells->len)
    return NULL;
  return GTK_EDITABLE (g_ptr_array_index (self->cells, index));
}

static void
kl_survey_window_dispose (GObject *object)
{
  KlSurveyWindow *self = KL_SURVEY_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->worker);
  g_clear_pointer (&self->report, kl_survey_report_free);
  g_clear_pointer (&self->survey, kl_survey_free);
  g_clear_pointer (&self->cells, g_ptr_array_unref);
  g_clear_pointer (&self->select_name, g_free);
  g_clear_pointer (&self->import_name, g_free);
  G_OBJECT_CLASS (kl_survey_window_parent_class)->dispose (object);
}

static void
kl_survey_window_class_init (KlSurveyWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = kl_survey_window_dispose;
  gtk_widget_class_install_action (widget_class, "survey.new", NULL, new_survey_activated);
  gtk_widget_class_install_action (widget_class, "survey.compare-rounds", NULL, compare_rounds_activated);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK, "survey.new", NULL);
}

static GtkWidget *
labelled (const char *text, GtkWidget *widget)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *label = gtk_label_new_with_mnemonic (text);

  gtk_label_set_mnemonic_widget (GTK_LABEL (label), widget);
  gtk_box_append (GTK_BOX (box), label);
  gtk_box_append (GTK_BOX (box), widget);
  return box;
}

static void
kl_survey_window_init (KlSurveyWindow *self)
{
  GtkWidget *content, *header, *bar, *scrolled, *add, *body, *row;

  self->cancellable = g_cancellable_new ();
  self->cells = g_ptr_array_new ();
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "survey.compare-rounds", FALSE);
  gtk_window_set_title (GTK_WINDOW (self), _("Client surveys"));
  gtk_window_set_default_size (GTK_WINDOW (self), 900, 640);

  content = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  header = adw_header_bar_new ();
  gtk_box_append (GTK_BOX (content), header);

  body = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  gtk_widget_set_margin_start (body, 18);
  gtk_widget_set_margin_end (body, 18);
  gtk_widget_set_margin_top (body, 12);
  gtk_widget_set_margin_bottom (body, 12);

  bar = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 18);
  self->survey_names = gtk_string_list_new (NULL);
  self->survey_dropdown = GTK_DROP_DOWN (gtk_drop_down_new (G_LIST_MODEL (self->survey_names), NULL));
  gtk_widget_set_name (GTK_WIDGET (self->survey_dropdown), "survey-dropdown");
  g_signal_connect_swapped (self->survey_dropdown, "notify::selected", G_CALLBACK (survey_selected), self);
  gtk_box_append (GTK_BOX (bar), labelled (_("_Survey"), GTK_WIDGET (self->survey_dropdown)));
  self->respondent_names = gtk_string_list_new (NULL);
  self->respondent_dropdown = GTK_DROP_DOWN (gtk_drop_down_new (G_LIST_MODEL (self->respondent_names), NULL));
  g_signal_connect_swapped (self->respondent_dropdown, "notify::selected", G_CALLBACK (respondent_selected), self);
  gtk_box_append (GTK_BOX (bar), labelled (_("_Respondent"), GTK_WIDGET (self->respondent_dropdown)));
  self->position_button = gtk_button_new_with_mnemonic (_("Competitive _position"));
  gtk_widget_set_name (self->position_button, "position-button");
  g_signal_connect_swapped (self->position_button, "clicked", G_CALLBACK (open_position), self);
  self->evaluation_button = gtk_button_new_with_mnemonic (_("Performance _evaluation"));
  gtk_widget_set_name (self->evaluation_button, "evaluation-button");
  g_signal_connect_swapped (self->evaluation_button, "clicked", G_CALLBACK (open_evaluation), self);
  gtk_widget_set_sensitive (self->position_button, FALSE);
  gtk_widget_set_sensitive (self->evaluation_button, FALSE);
  gtk_box_append (GTK_BOX (bar), self->position_button);
  gtk_box_append (GTK_BOX (bar), self->evaluation_button);
  {
    GtkWidget *compare = gtk_button_new_with_mnemonic (_("Compare Roun_ds…"));
    gtk_widget_set_name (compare, "compare-button");
    gtk_actionable_set_action_name (GTK_ACTIONABLE (compare), "survey.compare-rounds");
    gtk_box_append (GTK_BOX (bar), compare);
  }
  {
    GtkWidget *import = gtk_button_new_with_mnemonic (_("_Import CSV…"));
    GtkWidget *pdf = gtk_button_new_with_mnemonic (_("Save _Report as PDF…"));
    GtkWidget *create = gtk_button_new_with_mnemonic (_("_New Survey…"));
    gtk_widget_set_name (create, "new-survey-button");
    gtk_actionable_set_action_name (GTK_ACTIONABLE (create), "survey.new");
    adw_header_bar_pack_start (ADW_HEADER_BAR (header), create);
    g_signal_connect_swapped (import, "clicked", G_CALLBACK (import_clicked), self);
    g_signal_connect_swapped (pdf, "clicked", G_CALLBACK (pdf_clicked), self);
    adw_header_bar_pack_start (ADW_HEADER_BAR (header), import);
    adw_header_bar_pack_end (ADW_HEADER_BAR (header), pdf);
  }
  {
    GtkWidget *xlsx = gtk_button_new_with_mnemonic (_("Save as E_xcel Workbook…"));

    gtk_widget_set_name (xlsx, "xlsx-button");
    gtk_widget_set_tooltip_text (xlsx, _("Save the results and every response as an Excel workbook"));
    g_signal_connect_swapped (xlsx, "clicked", G_CALLBACK (xlsx_clicked), self);
    adw_header_bar_pack_end (ADW_HEADER_BAR (header), xlsx);
  }
  gtk_box_append (GTK_BOX (body), bar);

  row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  self->new_respondent = GTK_ENTRY (gtk_entry_new ());
  self->new_customer = GTK_ENTRY (gtk_entry_new ());
  gtk_editable_set_width_chars (GTK_EDITABLE (self->new_customer), 10);
  gtk_box_append (GTK_BOX (row), labelled (_("New _respondent"), GTK_WIDGET (self->new_respondent)));
  gtk_box_append (GTK_BOX (row), labelled (_("_Customer code"), GTK_WIDGET (self->new_customer)));
  add = gtk_button_new_with_mnemonic (_("_Add"));
  g_signal_connect_swapped (add, "clicked", G_CALLBACK (add_respondent), self);
  g_signal_connect_swapped (self->new_customer, "activate", G_CALLBACK (add_respondent), self);
  gtk_box_append (GTK_BOX (row), add);
  gtk_box_append (GTK_BOX (body), row);

  self->grid = GTK_GRID (gtk_grid_new ());
  gtk_widget_set_name (GTK_WIDGET (self->grid), "response-grid");
  gtk_grid_set_row_spacing (self->grid, 4);
  gtk_grid_set_column_spacing (self->grid, 12);
  scrolled = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), GTK_WIDGET (self->grid));
  gtk_widget_set_vexpand (scrolled, TRUE);
  gtk_box_append (GTK_BOX (body), scrolled);

  self->status = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_xalign (self->status, 0.0);
  gtk_label_set_wrap (self->status, TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->status), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Status"), -1);
  gtk_box_append (GTK_BOX (body), GTK_WIDGET (self->status));

  gtk_box_append (GTK_BOX (content), body);
  adw_window_set_content (ADW_WINDOW (self), content);
}

GtkWidget *
kl_survey_window_new (KlWorker *worker)
{
  KlSurveyWindow *self = g_object_new (KL_TYPE_SURVEY_WINDOW, NULL);

  self->worker = g_object_ref (worker);
  set_busy (self, TRUE);
  kl_worker_run (self->worker, KL_WORKER_READ, list_job, NULL, NULL, (GDestroyNotify) g_ptr_array_unref,
                 NULL, NULL, self->cancellable, list_done, g_object_ref (self));
  return GTK_WIDGET (self);
}
