/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The Portfolio panel's lost-customer window. */

#include "config.h"

#include <glib/gi18n.h>

#include "kl-analysis-panel-private.h"
#include "kl-health-data.h"
#include "kl-period.h"

/* The lost-customer analysis of a period (docs/analysis.md), in a window
 * of its own: the customers, then the totals by reason and by account
 * manager. */

typedef struct {
  KlAnalysisPanel *self;
  GtkWidget       *window;   /* its lists and status are kept alive by it */
  char            *period;
  char            *first;
  char            *last;
  gboolean         has_basis;
  KlAnalysisBasis  basis;
} LostLoad;

static void
lost_load_free (LostLoad *l)
{
  g_clear_object (&l->self);
  g_clear_object (&l->window);
  g_free (l->period);
  g_free (l->first);
  g_free (l->last);
  g_free (l);
}

static gpointer
lost_job (KlDatabase *db, gpointer data, KlWorkerJob *job, GError **error)
{
  LostLoad *l = data;
  return kl_health_lost (db, l->first, l->last, l->has_basis ? &l->basis : NULL, error);
}

static char *
contribution_text (KlAnalysisBasis basis, gint64 v)
{
  g_autofree char *n = g_strdup_printf ("%" G_GINT64_FORMAT, v);

  switch (basis)
    {
    case KL_BASIS_REVENUE:
      return g_strdup_printf ("%s%" G_GINT64_FORMAT ".%02d", v < 0 ? "-" : "", ABS (v) / 100, (int) (ABS (v) % 100));
    case KL_BASIS_WEIGHT:
      /* Translators: a contribution in kilograms */
      return g_strdup_printf (_("%s kg"), n);
    case KL_BASIS_SHIPMENTS:
    default:
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s shipment", "%s shipments", (gulong) v), n);
    }
}

typedef struct {
  guint  customers;
  gint64 contribution;
} LostTotal;

static void
list_clear (GtkListBox *list)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (list))) != NULL)
    gtk_list_box_remove (list, child);
}

static void
list_add_text (GtkListBox *list, const char *text)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0.0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_widget_set_margin_start (label, 6);
  gtk_widget_set_margin_end (label, 6);
  gtk_widget_set_margin_top (label, 3);
  gtk_widget_set_margin_bottom (label, 3);
  gtk_list_box_append (list, label);
}

static void
add_totals (GtkListBox *list, GHashTable *totals, KlAnalysisBasis basis, const char *none)
{
  g_autoptr(GList) keys = g_list_sort (g_hash_table_get_keys (totals), (GCompareFunc) g_strcmp0);

  for (GList *k = keys; k != NULL; k = k->next)
    {
      const LostTotal *t = g_hash_table_lookup (totals, k->data);
      g_autofree char *contribution = contribution_text (basis, t->contribution);
      g_autofree char *line = NULL;

      /* Translators: a total of lost customers: the reason or manager, how many customers, their contribution */
      line = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s: %u customer, %s", "%s: %u customers, %s", t->customers),
                              *(char *) k->data ? (char *) k->data : none, t->customers, contribution);
      list_add_text (list, line);
    }
}

static void
add_total (GHashTable *totals, const char *key, gint64 contribution)
{
  LostTotal *t = g_hash_table_lookup (totals, key);

  if (t == NULL)
    {
      t = g_new0 (LostTotal, 1);
      g_hash_table_insert (totals, g_strdup (key), t);
    }
  t->customers++;
  t->contribution += contribution;
}

static void
lost_done (GObject *source, GAsyncResult *res, gpointer user_data)
{
  LostLoad *l = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(KlLostAnalysis) lost = kl_worker_run_finish (KL_WORKER (source), res, &error);
  GtkWidget *window = l->window;
  GtkLabel *status = g_object_get_data (G_OBJECT (window), "lost-status");
  GtkListBox *customers = g_object_get_data (G_OBJECT (window), "lost-table");
  GtkListBox *by_reason = g_object_get_data (G_OBJECT (window), "lost-by-reason");
  GtkListBox *by_manager = g_object_get_data (G_OBJECT (window), "lost-by-manager");
  g_autoptr(GHashTable) reasons = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GHashTable) managers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  l->self->busy--;
  if (gtk_widget_get_root (GTK_WIDGET (customers)) == NULL)
    {
      /* the window was closed meanwhile */
      lost_load_free (l);
      return;
    }
  list_clear (customers);
  list_clear (by_reason);
  list_clear (by_manager);
  if (lost == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        gtk_label_set_text (status, error->message);
      lost_load_free (l);
      return;
    }
  {
    g_autofree char *text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                          "%u customer lost in %s; contribution of the twelve months before the loss by %s.",
                                                          "%u customers lost in %s; contribution of the twelve months before the loss by %s.",
                                                          lost->customers->len),
                                             lost->customers->len, l->period, _kl_analysis_panel_basis_label (lost->basis));
    gtk_label_set_text (status, text);
  }
  for (guint i = 0; i < lost->customers->len; i++)
    {
      const KlLostCustomer *c = g_ptr_array_index (lost->customers, i);
      g_autofree char *contribution = contribution_text (lost->basis, c->contribution);
      g_autofree char *line = NULL;

      /* Translators: a lost customer: date, code, name, class before the loss, contribution, reason, account manager */
      line = g_strdup_printf (_("%s  %s %s — class before %s, %s; reason: %s; account manager: %s"),
                              c->date, c->code, c->name,
                              c->class_before ? kl_account_class_to_string (c->class_before) : "—", contribution,
                              *c->reason ? c->reason : _("(no reason)"),
                              *c->account_manager ? c->account_manager : _("(none)"));
      list_add_text (customers, line);
      add_total (reasons, c->reason, c->contribution);
      add_total (managers, c->account_manager, c->contribution);
    }
  add_totals (by_reason, reasons, lost->basis, _("(no reason)"));
  add_totals (by_manager, managers, lost->basis, _("(none)"));
  lost_load_free (l);
}

static void
lost_show (GtkWidget *window)
{
  KlAnalysisPanel *self = g_object_get_data (G_OBJECT (window), "panel");
  GtkEditable *entry = g_object_get_data (G_OBJECT (window), "lost-period");
  GtkLabel *status = g_object_get_data (G_OBJECT (window), "lost-status");
  g_autoptr(GError) error = NULL;
  g_autoptr(KlPeriod) period = kl_period_parse (gtk_editable_get_text (entry), &error);
  LostLoad *l;

  if (period == NULL)
    {
      gtk_label_set_text (status, error->message);
      gtk_widget_add_css_class (GTK_WIDGET (entry), "error");
      return;
    }
  gtk_widget_remove_css_class (GTK_WIDGET (entry), "error");
  if (self == NULL || self->worker == NULL)
    return;
  l = g_new0 (LostLoad, 1);
  l->self = g_object_ref (self);
  l->window = g_object_ref (window);
  l->period = kl_period_to_label (period);
  l->first = kl_period_start_date (period);
  l->last = kl_period_end_date (period);
  {
    /* 0: the default basis; then revenue, shipments, weight */
    guint basis = gtk_drop_down_get_selected (g_object_get_data (G_OBJECT (window), "lost-basis"));
    l->has_basis = basis >= 1 && basis <= 3;
    l->basis = basis == 1 ? KL_BASIS_REVENUE : basis == 3 ? KL_BASIS_WEIGHT : KL_BASIS_SHIPMENTS;
  }
  self->busy++;
  /* the job data is the load itself; it is freed when done */
  kl_worker_run (self->worker, KL_WORKER_READ, lost_job, l, NULL, (GDestroyNotify) kl_lost_analysis_free, NULL, NULL,
                 self->cancellable, lost_done, l);
}

static GtkWidget *
lost_list (GtkWidget *box, const char *title, const char *name)
{
  GtkWidget *heading = gtk_label_new (title);
  GtkWidget *list = gtk_list_box_new ();

  gtk_widget_add_css_class (heading, "heading");
  gtk_label_set_xalign (GTK_LABEL (heading), 0.0);
  gtk_widget_set_name (list, name);
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  gtk_accessible_update_relation (GTK_ACCESSIBLE (list), GTK_ACCESSIBLE_RELATION_LABELLED_BY, heading, NULL, -1);
  gtk_box_append (GTK_BOX (box), heading);
  gtk_box_append (GTK_BOX (box), list);
  return list;
}

GtkWindow *
kl_analysis_panel_open_lost (KlAnalysisPanel *self, const char *period)
{
  GtkWidget *window, *box, *bar, *label, *entry, *show, *status, *scrolled, *inner;
  GtkRoot *root;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *year = g_date_time_format (now, "%Y");

  g_return_val_if_fail (KL_IS_ANALYSIS_PANEL (self), NULL);
  root = gtk_widget_get_root (GTK_WIDGET (self));
  window = gtk_window_new ();
  gtk_widget_set_name (window, "lost-customers");
  if (GTK_IS_WINDOW (root))
    gtk_window_set_transient_for (GTK_WINDOW (window), GTK_WINDOW (root));
  gtk_window_set_title (GTK_WINDOW (window), _("Lost Customers"));
  gtk_window_set_default_size (GTK_WINDOW (window), 720, 560);

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 8);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_widget_set_margin_top (box, 12);
  gtk_widget_set_margin_bottom (box, 12);
  bar = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  entry = gtk_entry_new ();
  gtk_widget_set_name (entry, "lost-period");
  gtk_editable_set_text (GTK_EDITABLE (entry), period ? period : year);
  gtk_editable_set_width_chars (GTK_EDITABLE (entry), 10);
  label = gtk_label_new_with_mnemonic (_("_Period (2026, 2026-Q3 or 2026-10)"));
  gtk_label_set_mnemonic_widget (GTK_LABEL (label), entry);
  show = gtk_button_new_with_mnemonic (_("_Show"));
  gtk_box_append (GTK_BOX (bar), label);
  gtk_box_append (GTK_BOX (bar), entry);
  {
    const char *bases[] = { _("Default basis"), _("Revenue"), _("Shipments"), _("Weight"), NULL };
    GtkWidget *basis = gtk_drop_down_new_from_strings (bases);
    GtkWidget *basis_label = gtk_label_new_with_mnemonic (_("_Basis"));

    gtk_widget_set_name (basis, "lost-basis");
    gtk_label_set_mnemonic_widget (GTK_LABEL (basis_label), basis);
    g_object_set_data_full (G_OBJECT (window), "lost-basis", g_object_ref (basis), g_object_unref);
    g_signal_connect_swapped (basis, "notify::selected", G_CALLBACK (lost_show), window);
    gtk_box_append (GTK_BOX (bar), basis_label);
    gtk_box_append (GTK_BOX (bar), basis);
  }
  gtk_box_append (GTK_BOX (bar), show);
  gtk_box_append (GTK_BOX (box), bar);
  status = gtk_label_new (NULL);
  gtk_widget_set_name (status, "lost-status");
  gtk_label_set_xalign (GTK_LABEL (status), 0.0);
  gtk_label_set_wrap (GTK_LABEL (status), TRUE);
  gtk_box_append (GTK_BOX (box), status);

  inner = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  g_object_set_data_full (G_OBJECT (window), "lost-table",
                          g_object_ref (lost_list (inner, _("Customers lost"), "lost-table")), g_object_unref);
  g_object_set_data_full (G_OBJECT (window), "lost-by-reason",
                          g_object_ref (lost_list (inner, _("By reason"), "lost-by-reason")), g_object_unref);
  g_object_set_data_full (G_OBJECT (window), "lost-by-manager",
                          g_object_ref (lost_list (inner, _("By account manager"), "lost-by-manager")), g_object_unref);
  scrolled = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), inner);
  gtk_widget_set_vexpand (scrolled, TRUE);
  gtk_box_append (GTK_BOX (box), scrolled);
  gtk_window_set_child (GTK_WINDOW (window), box);

  g_object_set_data_full (G_OBJECT (window), "panel", g_object_ref (self), g_object_unref);
  g_object_set_data_full (G_OBJECT (window), "lost-period", g_object_ref (entry), g_object_unref);
  g_object_set_data_full (G_OBJECT (window), "lost-status", g_object_ref (status), g_object_unref);
  g_signal_connect_swapped (entry, "activate", G_CALLBACK (lost_show), window);
  g_signal_connect_swapped (show, "clicked", G_CALLBACK (lost_show), window);
  lost_show (window);
  gtk_window_present (GTK_WINDOW (window));
  return GTK_WINDOW (window);
}

