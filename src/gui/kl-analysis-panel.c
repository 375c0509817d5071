/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The Portfolio's classes, priority matrix and reminders. */

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "kl-analysis-data.h"
#include "kl-analysis-document.h"
#include "kl-analysis-panel-private.h"
#include "kl-chart.h"
#include "kl-chart-analysis.h"
#include "kl-chart-widget.h"
#include "kl-health-data.h"


G_DEFINE_FINAL_TYPE (KlAnalysisPanel, kl_analysis_panel, GTK_TYPE_BOX)

enum { OPEN_CUSTOMER, N_SIGNALS };
static guint signals[N_SIGNALS];

typedef struct {
  KlClassAnalysis *analysis;
  GArray          *standards;
  GPtrArray       *reminders;
  GHashTable      *risks;
} Loaded;

static void
loaded_free (Loaded *l)
{
  if (l == NULL)
    return;
  g_clear_pointer (&l->standards, g_array_unref);
  g_clear_pointer (&l->analysis, kl_class_analysis_free);
  g_clear_pointer (&l->reminders, g_ptr_array_unref);
  g_clear_pointer (&l->risks, g_hash_table_unref);
  g_free (l);
}

/* yyyymm; 0 or less: last month in the workspace's time zone */
static int
resolve_month (KlDatabase *db, int month)
{
  if (month <= 0)
    {
      g_autoptr(GDateTime) local = g_date_time_new_now (kl_database_get_timezone (db));
      int y = g_date_time_get_year (local), m = g_date_time_get_month (local) - 1;
      if (m == 0)
        {
          m = 12;
          y--;
        }
      month = y * 100 + m;
    }
  return month;
}

static gpointer
load_job (KlDatabase *db, gpointer data, KlWorkerJob *job, GError **error)
{
  Loaded *l = g_new0 (Loaded, 1);
  int month = resolve_month (db, GPOINTER_TO_INT (data));
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  l->analysis = kl_analysis_load (db, month / 100, month % 100, NULL, error);
  if (l->analysis == NULL)
    goto fail;
  l->standards = kl_analysis_standards (l->analysis, NULL);
  l->reminders = kl_health_reminders (db, now, KL_REMINDER_BIRTHDAY_DAYS, error);
  if (l->reminders == NULL)
    goto fail;
  l->risks = kl_health_risks (db, now, error);
  if (l->risks == NULL)
    goto fail;
  return l;

fail:
  loaded_free (l);
  return NULL;
}

const char *
_kl_analysis_panel_basis_label (KlAnalysisBasis basis)
{
  return basis == KL_BASIS_REVENUE ? _("revenue") : basis == KL_BASIS_WEIGHT ? _("weight") : _("shipments");
}

static void
draw_pareto_cb (GtkDrawingArea *area, cairo_t *cr, int width, int height, gpointer user_data)
{
  KlAnalysisPanel *self = user_data;
  /* The theme's colours: dark text on a dark window was unreadable. */
  KlChartPalette palette = kl_chart_widget_palette_for_style (GTK_WIDGET (area));
  const char *labels[3] = { "A", "B", "C" };
  KlChartPareto spec = {
    .values = self->values ? (const double *) self->values->data : NULL,
    .labels = self->codes ? (const char * const *) self->codes->pdata : NULL,
    .n_values = self->values ? self->values->len : 0,
    .marks = self->marks,
    .mark_labels = labels,
    .n_marks = 3,
  };

  kl_chart_draw_pareto (cr, width, height, &palette, &spec);
}

static void
draw_matrix_cb (GtkDrawingArea *area, cairo_t *cr, int width, int height, gpointer user_data)
{
  KlAnalysisPanel *self = user_data;
  /* The theme's colours: dark text on a dark window was unreadable. */
  KlChartPalette palette = kl_chart_widget_palette_for_style (GTK_WIDGET (area));
  double cw = width / 6.0, ch = height / 5.0;
  guint max = 1;
  PangoLayout *layout = pango_cairo_create_layout (cr);
  PangoFontDescription *font = pango_font_description_from_string (KL_CHART_FONT_FAMILY);
  static const char *const lines[] = { "I", "II", "III", "IV", "V" };
  static const char *const classes[] = { "A", "B", "C", "D" };

  pango_font_description_set_absolute_size (font, 11 * PANGO_SCALE);
  pango_layout_set_font_description (layout, font);
  pango_font_description_free (font);
  for (int r = 0; r < KL_N_ACCOUNT_CLASSES; r++)
    for (int c = 0; c < KL_N_LINE_CLASSES; c++)
      max = MAX (max, self->counts[r][c]);

  for (int r = -1; r < KL_N_ACCOUNT_CLASSES; r++)
    for (int c = -1; c < KL_N_LINE_CLASSES; c++)
      {
        double x = (c + 1) * cw, y = (r + 1) * ch;
        g_autofree char *text = NULL;
        KlChartColor fill = { 0 };
        int tw, th;

        if (r < 0 && c < 0)
          continue;
        if (r < 0)
          text = g_strdup (lines[c]);
        else if (c < 0)
          text = g_strdup (classes[r]);
        else
          {
            double t = (double) self->counts[r][c] / max;

            fill = (KlChartColor) {
              palette.heat_low.red + (palette.heat_high.red - palette.heat_low.red) * t,
              palette.heat_low.green + (palette.heat_high.green - palette.heat_low.green) * t,
              palette.heat_low.blue + (palette.heat_high.blue - palette.heat_low.blue) * t, 1.0 };
            cairo_set_source_rgb (cr, fill.red, fill.green, fill.blue);
            cairo_rectangle (cr, x + 1, y + 1, cw - 2, ch - 2);
            cairo_fill (cr);
            /* Translators: a priority matrix cell: P(riority) and the number of accounts */
            text = g_strdup_printf (_("P%d · %u"), self->priority[r][c], self->counts[r][c]);
          }
        pango_layout_set_text (layout, text, -1);
        pango_layout_get_pixel_size (layout, &tw, &th);
        if (r >= 0 && c >= 0)
          {
            /* Light text on a dark cell, dark on a light one: the heat
             * runs the other way in the dark palette. */
            double shade = 0.1 + 0.9 * (0.2126 * fill.red + 0.7152 * fill.green + 0.0722 * fill.blue < 0.5);

            cairo_set_source_rgb (cr, shade, shade, shade);
          }
        else
          cairo_set_source_rgb (cr, palette.foreground.red, palette.foreground.green, palette.foreground.blue);
        cairo_move_to (cr, x + (cw - tw) / 2, y + (ch - th) / 2);
        pango_cairo_show_layout (cr, layout);
      }
  g_object_unref (layout);
}

static void
reminder_activated (GtkListView     *view,
                    guint            position,
                    KlAnalysisPanel *self)
{
  const char *id = position < self->reminder_ids->len ? g_ptr_array_index (self->reminder_ids, position) : NULL;

  if (id != NULL)
    g_signal_emit (self, signals[OPEN_CUSTOMER], 0, id);
}

/* One reminder or at-risk account, as its row's text and its customer. The
 * list is a GtkListView, which makes rows only for what is on screen: as
 * GtkListBox rows, a portfolio's hundreds of them were measured on every
 * layout of the window (the view stack measures its hidden pages) and held
 * tens of MB. */
static void
add_row (GPtrArray  *texts,
         GPtrArray  *ids,
         const char *kind,
         const char *date,
         const char *customer,
         const char *subject,
         const char *customer_id)
{
  g_ptr_array_add (texts, g_strdup_printf ("%s  %s · %s%s%s", date ? date : "", kind, customer ? customer : "",
                                           subject && *subject ? " — " : "", subject ? subject : ""));
  g_ptr_array_add (ids, g_strdup (customer_id));
}

static void
reminder_setup (GtkSignalListItemFactory *factory,
                GtkListItem              *list_item,
                gpointer                  user_data)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0.0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_widget_set_margin_start (label, 6);
  gtk_widget_set_margin_end (label, 6);
  gtk_widget_set_margin_top (label, 3);
  gtk_widget_set_margin_bottom (label, 3);
  gtk_list_item_set_child (list_item, label);
}

static void
reminder_bind (GtkSignalListItemFactory *factory,
               GtkListItem              *list_item,
               gpointer                  user_data)
{
  KlAnalysisPanel *self = user_data;
  guint position = gtk_list_item_get_position (list_item);
  GtkStringObject *text = gtk_list_item_get_item (list_item);

  gtk_label_set_text (GTK_LABEL (gtk_list_item_get_child (list_item)), gtk_string_object_get_string (text));
  gtk_list_item_set_activatable (list_item, position < self->reminder_ids->len &&
                                            g_ptr_array_index (self->reminder_ids, position) != NULL);
}

/* Reminder rows go in a few a frame: the list view makes a label for each
 * of the first ~200 as they come, and a big portfolio's 1 500 reminders in
 * one splice made a 20 ms frame on the 10 M bench workspace (20 a frame
 * still took 6-7 ms, beside the Portfolio's own rows coming in). Past
 * REMINDER_ROWS_MADE rows no more labels are made, so the rest goes in at
 * once. */
#define REMINDERS_PER_FRAME 10
#define REMINDER_ROWS_MADE  200

static void
draw_charts (KlAnalysisPanel *self)
{
  self->charts_pending = FALSE;
  gtk_widget_queue_draw (self->pareto);
  gtk_widget_queue_draw (self->matrix);
}

static void
fill_stop (KlAnalysisPanel *self)
{
  if (self->fill_tick != 0)
    gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->fill_tick);
  self->fill_tick = 0;
  if (self->charts_pending)
    draw_charts (self);
  g_clear_pointer (&self->pending_texts, g_ptr_array_unref);
  self->pending_pos = 0;
}

/* Puts the next pending texts into the list; the first call replaces what
 * it had. TRUE when texts are left. */
static gboolean
fill_step (KlAnalysisPanel *self,
           gboolean         all)
{
  GPtrArray *pending = self->pending_texts;
  guint start = self->pending_pos;
  guint n = pending->len - start;
  g_autofree const char **added = NULL;

  if (!all && start < REMINDER_ROWS_MADE)
    n = MIN (n, REMINDERS_PER_FRAME);
  added = g_new (const char *, n + 1);
  memcpy (added, pending->pdata + start, n * sizeof (char *));
  added[n] = NULL;
  gtk_string_list_splice (self->reminder_texts, start,
                          start == 0 ? g_list_model_get_n_items (G_LIST_MODEL (self->reminder_texts)) : 0,
                          added);
  self->pending_pos += n;
  return self->pending_pos < pending->len;
}

static gboolean
fill_tick (GtkWidget     *widget,
           GdkFrameClock *clock,
           gpointer       user_data)
{
  KlAnalysisPanel *self = KL_ANALYSIS_PANEL (widget);

  /* The charts in the frame after the texts, the reminders after them. */
  if (self->charts_pending && gtk_widget_get_mapped (widget))
    {
      draw_charts (self);
      return G_SOURCE_CONTINUE;
    }
  /* A hidden panel has no frames to keep short. */
  if (fill_step (self, !gtk_widget_get_mapped (widget)))
    return G_SOURCE_CONTINUE;
  self->fill_tick = 0;
  fill_stop (self);
  return G_SOURCE_REMOVE;
}

static void
load_done (GObject *source, GAsyncResult *res, gpointer user_data)
{
  g_autoptr(KlAnalysisPanel) self = user_data;
  g_autoptr(GError) error = NULL;
  Loaded *l = kl_worker_run_finish (KL_WORKER (source), res, &error);
  const KlClassAnalysis *a;
  guint per_class[KL_N_ACCOUNT_CLASSES + 1] = { 0 }, gaps = 0;
  g_autoptr(GString) summary = g_string_new (NULL);
  g_autoptr(GPtrArray) texts = NULL;
  g_autoptr(GPtrArray) ids = NULL;
  GHashTableIter iter;
  gpointer key, value;

  if (l == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        gtk_label_set_text (self->classes_label, error ? error->message : "");
      return;
    }
  a = l->analysis;
  g_array_set_size (self->values, 0);
  g_ptr_array_set_size (self->codes, 0);
  for (guint i = 0; i < a->n_classed; i++)
    {
      double v = (double) a->accounts[i].contribution;
      g_array_append_val (self->values, v);
      g_ptr_array_add (self->codes, g_strdup (a->accounts[i].code));
    }
  for (guint i = 0; i < a->n_accounts; i++)
    per_class[a->accounts[i].klass]++;
  self->marks[0] = a->thresholds.a_bp / 10000.0;
  self->marks[1] = a->thresholds.b_bp / 10000.0;
  self->marks[2] = a->thresholds.c_bp / 10000.0;
  memcpy (self->priority, a->matrix.priority, sizeof self->priority);
  kl_analysis_matrix_counts (a, self->counts);
  for (guint i = 0; i < l->standards->len; i++)
    {
      const KlAnalysisStandard *s = &g_array_index (l->standards, KlAnalysisStandard, i);
      if (s->row.on_time_met == KL_TRI_FALSE || s->row.lead_met == KL_TRI_FALSE)
        gaps++;
    }

  {
    g_autofree char *a_mark = g_strdup_printf ("%g", a->thresholds.a_bp / 100.0);
    g_autofree char *b_mark = g_strdup_printf ("%g", a->thresholds.b_bp / 100.0);
    g_autofree char *c_mark = g_strdup_printf ("%g", a->thresholds.c_bp / 100.0);
    /* Translators: the contribution classes (docs/analysis.md), told apart from the table's Volume ABC
     * (docs/kpi.md): months, basis, the class boundaries in percent, the accounts per class */
    g_autofree char *text = g_strdup_printf (_("Twelve months to %04d-%02d by %s, cut at %s, %s and %s %% of the contribution: A %u, B %u, C %u, D %u accounts. (The table’s Volume ABC ranks by shipments, cut at 80 and 95 %%.)"),
                                             a->year, a->month, _kl_analysis_panel_basis_label (a->basis),
                                             a_mark, b_mark, c_mark,
                                             per_class[KL_ACCOUNT_CLASS_A], per_class[KL_ACCOUNT_CLASS_B],
                                             per_class[KL_ACCOUNT_CLASS_C], per_class[KL_ACCOUNT_CLASS_D]);
    g_autofree char *gap_text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                              "%u account × line misses its standard",
                                                              "%u account × line combinations miss their standard",
                                                              gaps), gaps);
    gtk_label_set_text (self->classes_label, text);
    gtk_label_set_text (self->gaps_label, gap_text);
    g_string_append_printf (summary, "%s. ", text);
  }
  for (int r = 0; r < KL_N_ACCOUNT_CLASSES; r++)
    for (int c = 0; c < KL_N_LINE_CLASSES; c++)
      /* Translators: the matrix for screen readers: account class, line class, priority, accounts */
      g_string_append_printf (summary, _("%s×%s priority %d: %u accounts. "),
                              kl_account_class_to_string (KL_ACCOUNT_CLASS_A + r),
                              kl_line_class_to_string (KL_LINE_CLASS_I + c), self->priority[r][c], self->counts[r][c]);
  g_free (self->summary);
  self->summary = g_string_free (g_steal_pointer (&summary), FALSE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->pareto), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  gtk_label_get_text (self->classes_label), -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->matrix), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  self->summary, -1);

  texts = g_ptr_array_new_with_free_func (g_free);
  ids = g_ptr_array_new_with_free_func (g_free);
  g_hash_table_iter_init (&iter, l->risks);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      const KlClassAccount *acc = kl_class_analysis_account (a, key);
      guint reasons = GPOINTER_TO_UINT (value);
      g_autoptr(GString) why = g_string_new (NULL);

      for (guint bit = KL_RISK_SHIPMENTS_FALLING; bit <= KL_RISK_CLAIM_OVERDUE; bit <<= 1)
        if (reasons & bit)
          g_string_append_printf (why, "%s%s", why->len ? "; " : "", kl_risk_reason_to_label (bit));
      add_row (texts, ids, _("At risk"), NULL, acc ? acc->code : key, why->str, key);
    }
  /* marked at risk by hand: at risk until changed by hand */
  for (guint i = 0; i < a->customers->len; i++)
    {
      const KlAnalysisCustomer *c = g_ptr_array_index (a->customers, i);
      if (c->status == KL_CUSTOMER_STATUS_AT_RISK && !g_hash_table_contains (l->risks, c->id))
        add_row (texts, ids, _("At risk"), NULL, c->code, _("Marked at risk by hand"), c->id);
    }
  for (guint i = 0; i < l->reminders->len; i++)
    {
      const KlReminder *r = g_ptr_array_index (l->reminders, i);
      add_row (texts, ids, kl_reminder_kind_to_label (r->kind), r->date, r->customer_code, r->subject, r->customer_id);
    }
  g_clear_pointer (&self->reminder_data, g_ptr_array_unref);
  self->reminder_data = g_ptr_array_ref (l->reminders);
  gtk_widget_set_sensitive (self->export_button, l->reminders->len > 0);
  /* The ids first: binding a row reads them. */
  g_ptr_array_unref (self->reminder_ids);
  self->reminder_ids = g_steal_pointer (&ids);
  fill_stop (self);
  self->pending_texts = g_steal_pointer (&texts);
  /* On screen, one thing a frame: this one lays out the texts above, the
   * next draws the charts (each a few milliseconds on the 10 M bench
   * workspace, and the Portfolio's own rows may be coming in beside
   * them), the reminders follow. */
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    {
      self->charts_pending = TRUE;
      self->fill_tick = gtk_widget_add_tick_callback (GTK_WIDGET (self), fill_tick, NULL, NULL);
    }
  else
    {
      fill_step (self, TRUE);
      fill_stop (self);
      draw_charts (self);
    }
  self->loaded = TRUE;
  loaded_free (l);
}

void
kl_analysis_panel_load (KlAnalysisPanel *self, KlWorker *worker, int month)
{
  g_return_if_fail (KL_IS_ANALYSIS_PANEL (self));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->loaded = FALSE;
  self->month = month;
  if (worker != self->worker)
    {
      g_clear_object (&self->worker);
      self->worker = worker ? g_object_ref (worker) : NULL;
    }
  if (worker == NULL)
    return;
  kl_worker_run (worker, KL_WORKER_READ, load_job, GINT_TO_POINTER (month), NULL, (GDestroyNotify) loaded_free,
                 NULL, NULL, self->cancellable, load_done, g_object_ref (self));
}

gboolean
kl_analysis_panel_is_loaded (KlAnalysisPanel *self)
{
  return self->loaded;
}

GtkListView *
kl_analysis_panel_get_reminders (KlAnalysisPanel *self)
{
  return self->reminders;
}

const char *
kl_analysis_panel_get_summary (KlAnalysisPanel *self)
{
  return self->summary;
}

static void
export_written (GObject *source, GAsyncResult *res, gpointer user_data)
{
  g_autoptr(KlAnalysisPanel) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_file_replace_contents_finish (G_FILE (source), res, NULL, &error))
    gtk_label_set_text (self->gaps_label, error->message);
}

static void
export_chosen (GtkNativeDialog *dialog, int response, KlAnalysisPanel *self)
{
  g_autoptr(GFile) file = NULL;
  g_autofree char *text = NULL;
  GBytes *bytes;

  if (response == GTK_RESPONSE_ACCEPT && self->reminder_data != NULL)
    {
      file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      text = kl_health_reminders_to_ical (self->reminder_data, g_get_real_time () / G_USEC_PER_SEC);
      bytes = g_bytes_new (text, strlen (text));
      /* written off the main thread */
      g_file_replace_contents_bytes_async (file, bytes, NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION, NULL,
                                           export_written, g_object_ref (self));
      g_bytes_unref (bytes);
    }
  g_object_unref (dialog);
}

/* The reminders as an iCalendar file (RFC 5545, written by libical). */
void
kl_analysis_panel_export (KlAnalysisPanel *self)
{
  GtkFileChooserNative *dialog;
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  dialog = gtk_file_chooser_native_new (_("Export Reminders"), GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                        GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), _("_Cancel"));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), "keyline-reminders.ics");
  g_signal_connect_object (dialog, "response", G_CALLBACK (export_chosen), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

gboolean
kl_analysis_panel_is_busy (KlAnalysisPanel *self)
{
  g_return_val_if_fail (KL_IS_ANALYSIS_PANEL (self), FALSE);
  return self->busy > 0;
}

static const char *
interface_language (void)
{
  return g_str_has_prefix (pango_language_to_string (pango_language_get_default ()), "zh") ? "zh_CN" : "en";
}

/* The portfolio's printed "Service standards review", for the months the
 * panel shows, in the interface language, written by the worker. */
typedef struct {
  int   month;
  char *path;
  char *language;
} ReviewJob;

static void
review_job_free (ReviewJob *j)
{
  g_free (j->path);
  g_free (j->language);
  g_free (j);
}

static gpointer
review_job (KlDatabase *db, gpointer data, KlWorkerJob *job, GError **error)
{
  ReviewJob *j = data;
  int month = resolve_month (db, j->month);
  g_autoptr(KlClassAnalysis) a = kl_analysis_load (db, month / 100, month % 100, NULL, error);

  if (a == NULL)
    return NULL;
  return kl_standards_document_write_pdf (a, NULL, j->language, KL_PAPER_A4, j->path, error) ? g_strdup (j->path) : NULL;
}

static void
review_done (GObject *source, GAsyncResult *res, gpointer user_data)
{
  g_autoptr(KlAnalysisPanel) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = kl_worker_run_finish (KL_WORKER (source), res, &error);

  self->busy--;
  if (path == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        gtk_label_set_text (self->gaps_label, error->message);
      return;
    }
  {
    g_autofree char *base = g_path_get_basename (path);
    g_autofree char *text = g_strdup_printf (_("The service standards review was saved as %s."), base);
    gtk_label_set_text (self->gaps_label, text);
  }
}

void
kl_analysis_panel_save_review (KlAnalysisPanel *self, GFile *file)
{
  ReviewJob *j;

  g_return_if_fail (KL_IS_ANALYSIS_PANEL (self));
  g_return_if_fail (G_IS_FILE (file));
  if (self->worker == NULL)
    return;
  j = g_new0 (ReviewJob, 1);
  j->month = self->month;
  j->path = g_file_get_path (file);
  j->language = g_strdup (interface_language ());
  self->busy++;
  kl_worker_run (self->worker, KL_WORKER_READ, review_job, j, (GDestroyNotify) review_job_free, g_free, NULL, NULL,
                 self->cancellable, review_done, g_object_ref (self));
}

static void
review_chosen (GtkNativeDialog *dialog, int response, KlAnalysisPanel *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      kl_analysis_panel_save_review (self, file);
    }
  g_object_unref (dialog);
}

static void
save_review_activated (GtkWidget *widget, const char *action, GVariant *parameter)
{
  KlAnalysisPanel *self = KL_ANALYSIS_PANEL (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkFileChooserNative *dialog;

  dialog = gtk_file_chooser_native_new (_("Save the Portfolio’s Service Standards Review"),
                                        GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                        GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"), _("_Cancel"));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), "service-standards-review.pdf");
  g_signal_connect_object (dialog, "response", G_CALLBACK (review_chosen), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static void
lost_activated (GtkWidget *widget, const char *action, GVariant *parameter)
{
  kl_analysis_panel_open_lost (KL_ANALYSIS_PANEL (widget), NULL);
}

static void
export_activated (GtkWidget *widget, const char *action, GVariant *parameter)
{
  kl_analysis_panel_export (KL_ANALYSIS_PANEL (widget));
}

static void
kl_analysis_panel_dispose (GObject *object)
{
  KlAnalysisPanel *self = KL_ANALYSIS_PANEL (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  fill_stop (self);
  g_clear_pointer (&self->values, g_array_unref);
  g_clear_pointer (&self->codes, g_ptr_array_unref);
  g_clear_pointer (&self->summary, g_free);
  g_clear_pointer (&self->reminder_data, g_ptr_array_unref);
  g_clear_object (&self->worker);
  g_clear_pointer (&self->reminder_ids, g_ptr_array_unref);
  G_OBJECT_CLASS (kl_analysis_panel_parent_class)->dispose (object);
}

static void
kl_analysis_panel_class_init (KlAnalysisPanelClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = kl_analysis_panel_dispose;
  gtk_widget_class_install_action (widget_class, "effort.save-review", NULL, save_review_activated);
  gtk_widget_class_install_action (widget_class, "effort.lost-customers", NULL, lost_activated);
  gtk_widget_class_install_action (widget_class, "effort.export-reminders", NULL, export_activated);
  /**
   * KlAnalysisPanel::open-customer:
   * @id: the customer's id
   *
   * A reminder or an at-risk account was activated.
   */
  signals[OPEN_CUSTOMER] = g_signal_new ("open-customer", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                         NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static GtkWidget *
section (const char *title, GtkWidget *content, GtkWidget *below)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  GtkWidget *heading = gtk_label_new (title);

  gtk_widget_add_css_class (heading, "heading");
  gtk_label_set_xalign (GTK_LABEL (heading), 0.0);
  gtk_accessible_update_relation (GTK_ACCESSIBLE (content), GTK_ACCESSIBLE_RELATION_LABELLED_BY, heading, NULL, -1);
  gtk_box_append (GTK_BOX (box), heading);
  gtk_box_append (GTK_BOX (box), content);
  if (below)
    gtk_box_append (GTK_BOX (box), below);
  gtk_widget_set_hexpand (box, TRUE);
  return box;
}

static void
kl_analysis_panel_init (KlAnalysisPanel *self)
{
  GtkWidget *scrolled;

  gtk_orientable_set_orientation (GTK_ORIENTABLE (self), GTK_ORIENTATION_HORIZONTAL);
  gtk_box_set_spacing (GTK_BOX (self), 18);
  gtk_widget_set_margin_start (GTK_WIDGET (self), 12);
  gtk_widget_set_margin_end (GTK_WIDGET (self), 12);
  gtk_widget_set_margin_top (GTK_WIDGET (self), 6);
  gtk_widget_set_margin_bottom (GTK_WIDGET (self), 6);
  self->cancellable = g_cancellable_new ();
  self->values = g_array_new (FALSE, TRUE, sizeof (double));
  self->codes = g_ptr_array_new_with_free_func (g_free);
  self->reminder_ids = g_ptr_array_new_with_free_func (g_free);

  self->pareto = gtk_drawing_area_new ();
  gtk_widget_set_size_request (self->pareto, 240, 200);
  gtk_drawing_area_set_draw_func (GTK_DRAWING_AREA (self->pareto), draw_pareto_cb, self, NULL);
  self->classes_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_wrap (self->classes_label, TRUE);
  gtk_label_set_xalign (self->classes_label, 0.0);
  gtk_widget_add_css_class (GTK_WIDGET (self->classes_label), "dim-label");
  gtk_box_append (GTK_BOX (self), section (_("Contribution classes A–D"), self->pareto, GTK_WIDGET (self->classes_label)));

  self->matrix = gtk_drawing_area_new ();
  gtk_widget_set_size_request (self->matrix, 280, 200);
  gtk_drawing_area_set_draw_func (GTK_DRAWING_AREA (self->matrix), draw_matrix_cb, self, NULL);
  self->gaps_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_xalign (self->gaps_label, 0.0);
  gtk_label_set_wrap (self->gaps_label, TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (self->gaps_label), "dim-label");
  {
    GtkWidget *below = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
    /* One above the other, so that the three sections fit beside each
     * other in the default window (they grow when there is room). */
    GtkWidget *buttons = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
    GtkWidget *review = gtk_button_new_with_mnemonic (_("Save Service Standards _Review…"));
    GtkWidget *lost = gtk_button_new_with_mnemonic (_("_Lost Customers…"));

    gtk_widget_set_name (review, "review-button");
    gtk_widget_set_name (lost, "lost-button");
    gtk_actionable_set_action_name (GTK_ACTIONABLE (review), "effort.save-review");
    gtk_actionable_set_action_name (GTK_ACTIONABLE (lost), "effort.lost-customers");
    gtk_widget_set_halign (review, GTK_ALIGN_START);
    gtk_widget_set_halign (lost, GTK_ALIGN_START);
    gtk_box_append (GTK_BOX (buttons), review);
    gtk_box_append (GTK_BOX (buttons), lost);
    gtk_box_append (GTK_BOX (below), GTK_WIDGET (self->gaps_label));
    gtk_box_append (GTK_BOX (below), buttons);
    gtk_box_append (GTK_BOX (self), section (_("Priority matrix"), self->matrix, below));
  }

  {
    GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();

    self->reminder_texts = gtk_string_list_new (NULL);
    g_signal_connect (factory, "setup", G_CALLBACK (reminder_setup), self);
    g_signal_connect (factory, "bind", G_CALLBACK (reminder_bind), self);
    self->reminders = GTK_LIST_VIEW (gtk_list_view_new (GTK_SELECTION_MODEL (gtk_no_selection_new (G_LIST_MODEL (self->reminder_texts))),
                                                        factory));
    gtk_list_view_set_single_click_activate (self->reminders, TRUE);
    gtk_widget_add_css_class (GTK_WIDGET (self->reminders), "reminders");
    g_signal_connect (self->reminders, "activate", G_CALLBACK (reminder_activated), self);
  }
  scrolled = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), GTK_WIDGET (self->reminders));
  gtk_widget_set_size_request (scrolled, 220, 200);
  self->export_button = gtk_button_new_with_mnemonic (_("Export to _Calendar…"));
  gtk_widget_set_halign (self->export_button, GTK_ALIGN_START);
  gtk_widget_set_sensitive (self->export_button, FALSE);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->export_button), "effort.export-reminders");
  gtk_box_append (GTK_BOX (self), section (_("Reminders"), scrolled, self->export_button));
}

GtkWidget *
kl_analysis_panel_new (void)
{
  return g_object_new (KL_TYPE_ANALYSIS_PANEL, NULL);
}
