/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The Portfolio page: kl_portfolio_rank on the worker, its rows in a
 * GListStore behind a filter and the header's sorter, shown by a list view
 * of drawn rows (kl-portfolio-table-row.c) under a column view that is only
 * the header. Each column sorts with kl_portfolio_row_compare, so the
 * engine's tests cover the orders too. */
#include "config.h"

#include <glib/gi18n.h>

#include "kl-gui-util.h"
#include "kl-period.h"
#include "kl-portfolio-page.h"
#include "kl-analysis-panel.h"
#include "kl-report-language.h"
#include "kl-portfolio-table-row.h"
#include "kl-xlsx-export.h"
#include "kl-xlsx-save.h"

/* How many months the month picker offers, ending with the last complete one. */
#define N_PICKER_MONTHS 36

/* A fall in volume of at least this fraction is a warning, of twice it an error. */
#define TREND_WARNING 0.05

/* A ranking goes into the table a few rows a frame: GTK makes a row's widgets
 * (a drawn row and its sparkline's button) when the row enters the model,
 * and making the ~200 rows a list view keeps, all in one splice, made one
 * long frame. Past FILL_CHUNKED_ROWS rows no more widgets are made, and the
 * rest goes in FILL_TAIL_ROWS a frame: the filter and sort models take about
 * 0.1 ms a thousand rows (see bench/README.md). */
#define FILL_ROWS_PER_FRAME 4
#define FILL_CHUNKED_ROWS   256
#define FILL_TAIL_ROWS      32768

/* Item */

struct _KlPortfolioItem {
  GObject         parent_instance;
  KlPortfolioRow *row;
  char           *search_text;   /* casefolded name, code and region */
};

G_DEFINE_FINAL_TYPE (KlPortfolioItem, kl_portfolio_item, G_TYPE_OBJECT)

static void
kl_portfolio_item_finalize (GObject *object)
{
  KlPortfolioItem *self = KL_PORTFOLIO_ITEM (object);

  g_clear_pointer (&self->row, kl_portfolio_row_free);
  g_free (self->search_text);
  G_OBJECT_CLASS (kl_portfolio_item_parent_class)->finalize (object);
}

static void
kl_portfolio_item_class_init (KlPortfolioItemClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = kl_portfolio_item_finalize;
}

static void
kl_portfolio_item_init (KlPortfolioItem *self)
{
}

/* Takes row. */
static KlPortfolioItem *
kl_portfolio_item_new (KlPortfolioRow *row)
{
  KlPortfolioItem *self = g_object_new (KL_TYPE_PORTFOLIO_ITEM, NULL);
  g_autofree char *text = g_strjoin ("\n", row->name, row->code, row->region ? row->region : "", NULL);
  g_autofree char *normalized = g_utf8_normalize (text, -1, G_NORMALIZE_ALL);

  self->row = row;
  self->search_text = g_utf8_casefold (normalized ? normalized : text, -1);
  return self;
}

const KlPortfolioRow *
kl_portfolio_item_get_row (KlPortfolioItem *self)
{
  g_return_val_if_fail (KL_IS_PORTFOLIO_ITEM (self), NULL);
  return self->row;
}

/* Page */

struct _KlPortfolioPage {
  AdwBin               parent_instance;

  KlWorker            *worker;
  GCancellable        *cancellable;
  int                  month;            /* 0: the last complete month */
  GArray              *picker_months;    /* yyyymm per month_list position */
  gboolean             updating_picker;
  gboolean             loading;
  gboolean             loaded;
  gboolean             failed;
  /* A ranking is wanted the next time the page is shown. */
  gboolean             stale;
  /* Shown stale: the ranking starts once the page's first frame is
   * painted (reload_tick ()). */
  guint                reload_tick_id;
  guint                reload_ticks;

  GListStore          *store;            /* KlPortfolioItem in rank order */
  GtkCustomFilter     *filter;
  GtkFilterListModel  *filter_model;
  GtkSortListModel    *sort_model;
  GtkSingleSelection  *selection;
  char                *search;           /* casefolded, NULL for none */

  /* A ranking still going into the store, in the table's order. */
  GPtrArray           *pending;          /* KlPortfolioItem, NULL when none */
  guint                pending_pos;
  guint                fill_tick_id;
  gboolean             fill_waits;       /* the table's first frame: no rows yet */

  /* template */
  GtkSearchEntry      *search_entry;
  GtkLabel            *summary_label;
  GtkDropDown         *month_dropdown;
  GtkStringList       *month_list;
  GtkStack            *main_stack;
  AdwStatusPage       *error_page;
  GtkScrolledWindow   *header_scroller;
  GtkColumnView       *column_view;      /* the header: titles, sorting, widths */
  GtkScrolledWindow   *list_scroller;
  GtkListView         *list_view;        /* the rows */
  GtkColumnViewColumn *rank_column;
  GtkColumnViewColumn *customer_column;
  GtkColumnViewColumn *region_column;
  GtkColumnViewColumn *abc_column;
  GtkColumnViewColumn *shipments_column;
  GtkColumnViewColumn *trend_column;
  GtkColumnViewColumn *misses_column;
  GtkColumnViewColumn *claims_column;
  GtkColumnViewColumn *dispatch_column;
  GtkColumnViewColumn *arrival_column;
  GtkColumnViewColumn *document_column;
  GtkColumnViewColumn *order_column;
  GtkColumnViewColumn *damage_column;
  GtkColumnViewColumn *shortage_column;
  GtkColumnViewColumn *incident_column;
  GtkColumnViewColumn *otif_column;

  GtkColumnViewColumn *columns[KL_PORTFOLIO_N_COLUMNS];  /* the above, in order */
};

G_DEFINE_FINAL_TYPE (KlPortfolioPage, kl_portfolio_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_MONTH,
  PROP_LOADING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  OPEN_CUSTOMER,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void reload (KlPortfolioPage *self);

/* Columns: each sorts with kl_portfolio_row_compare. */

typedef struct {
  gsize              column_offset;   /* of the GtkColumnViewColumn in KlPortfolioPage */
  KlPortfolioSortKey sort;
} ColumnSpec;

#define COLUMN(field, sort) { G_STRUCT_OFFSET (KlPortfolioPage, field), sort }

/* In KlPortfolioColumn order. */
static const ColumnSpec column_specs[] = {
  COLUMN (rank_column,      KL_PORTFOLIO_SORT_RANK),
  COLUMN (customer_column,  KL_PORTFOLIO_SORT_CUSTOMER),
  COLUMN (region_column,    KL_PORTFOLIO_SORT_REGION),
  COLUMN (abc_column,       KL_PORTFOLIO_SORT_ABC),
  COLUMN (shipments_column, KL_PORTFOLIO_SORT_SHIPMENTS),
  COLUMN (trend_column,     KL_PORTFOLIO_SORT_TREND),
  COLUMN (misses_column,    KL_PORTFOLIO_SORT_SLA_MISSES),
  COLUMN (claims_column,    KL_PORTFOLIO_SORT_CLAIMS),
  COLUMN (dispatch_column,  KL_PORTFOLIO_SORT_RATE),
  COLUMN (arrival_column,   KL_PORTFOLIO_SORT_RATE),
  COLUMN (document_column,  KL_PORTFOLIO_SORT_RATE),
  COLUMN (order_column,     KL_PORTFOLIO_SORT_RATE),
  COLUMN (damage_column,    KL_PORTFOLIO_SORT_RATE),
  COLUMN (shortage_column,  KL_PORTFOLIO_SORT_RATE),
  COLUMN (incident_column,  KL_PORTFOLIO_SORT_RATE),
  COLUMN (otif_column,      KL_PORTFOLIO_SORT_RATE),
};

#undef COLUMN

G_STATIC_ASSERT (G_N_ELEMENTS (column_specs) == KL_PORTFOLIO_N_COLUMNS);

/* Rows: one drawn widget each (kl-portfolio-table-row.c). */

static void
factory_setup (GtkSignalListItemFactory *factory,
               GtkListItem              *list_item,
               gpointer                  user_data)
{
  KlPortfolioPage *self = user_data;

  gtk_list_item_set_child (list_item, kl_portfolio_table_row_new (self->columns));
}

static void
factory_bind (GtkSignalListItemFactory *factory,
              GtkListItem              *list_item,
              gpointer                  user_data)
{
  KlPortfolioItem *item = gtk_list_item_get_item (list_item);

  kl_portfolio_table_row_set_row (KL_PORTFOLIO_TABLE_ROW (gtk_list_item_get_child (list_item)), item->row);
}

static void
factory_unbind (GtkSignalListItemFactory *factory,
                GtkListItem              *list_item,
                gpointer                  user_data)
{
  kl_portfolio_table_row_set_row (KL_PORTFOLIO_TABLE_ROW (gtk_list_item_get_child (list_item)), NULL);
}

static int
compare_items (gconstpointer a,
               gconstpointer b,
               gpointer      user_data)
{
  const ColumnSpec *spec = user_data;
  KlPortfolioColumn column = spec - column_specs;

  return kl_portfolio_row_compare (KL_PORTFOLIO_ITEM ((gpointer) a)->row,
                                   KL_PORTFOLIO_ITEM ((gpointer) b)->row,
                                   spec->sort, MAX (0, kl_portfolio_column_rate (column)));
}

/* A header's column changed width (the user dragged its edge): the rows
 * under it follow. */
static void
column_changed (KlPortfolioPage *self)
{
  for (GtkWidget *item = gtk_widget_get_first_child (GTK_WIDGET (self->list_view));
       item != NULL;
       item = gtk_widget_get_next_sibling (item))
    {
      GtkWidget *row = gtk_widget_get_first_child (item);

      if (KL_IS_PORTFOLIO_TABLE_ROW (row))
        kl_portfolio_table_row_columns_changed (KL_PORTFOLIO_TABLE_ROW (row));
    }
}

static void
setup_columns (KlPortfolioPage *self)
{
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();

  for (guint i = 0; i < G_N_ELEMENTS (column_specs); i++)
    {
      const ColumnSpec *spec = &column_specs[i];
      GtkColumnViewColumn *column = G_STRUCT_MEMBER (GtkColumnViewColumn *, self, spec->column_offset);
      g_autoptr(GtkSorter) sorter = NULL;

      g_assert (GTK_IS_COLUMN_VIEW_COLUMN (column));
      self->columns[i] = column;
      sorter = GTK_SORTER (gtk_custom_sorter_new (compare_items, (gpointer) spec, NULL));
      gtk_column_view_column_set_sorter (column, sorter);
      g_signal_connect_object (column, "notify::fixed-width", G_CALLBACK (column_changed), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (column, "notify::visible", G_CALLBACK (column_changed), self, G_CONNECT_SWAPPED);
    }

  g_signal_connect (factory, "setup", G_CALLBACK (factory_setup), self);
  g_signal_connect (factory, "bind", G_CALLBACK (factory_bind), self);
  g_signal_connect (factory, "unbind", G_CALLBACK (factory_unbind), self);
  gtk_list_view_set_factory (self->list_view, factory);

  /* The header scrolls sideways with the rows. */
  g_object_bind_property (gtk_scrolled_window_get_hadjustment (self->list_scroller), "value",
                          gtk_scrolled_window_get_hadjustment (self->header_scroller), "value",
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
}

/* Filter and summary */

static gboolean
filter_item (gpointer item,
             gpointer user_data)
{
  KlPortfolioPage *self = user_data;

  return self->search == NULL || strstr (KL_PORTFOLIO_ITEM (item)->search_text, self->search) != NULL;
}

static void
update_summary (KlPortfolioPage *self)
{
  guint n, shown = 0;
  guint missing = 0, overdue = 0, falling = 0;
  GString *text = g_string_new (NULL);

  /* The counts are of the accounts shown, as the first part says; while a
   * ranking is still going into the table, of the whole ranking. */
  if (self->pending != NULL)
    {
      n = self->pending->len;
      for (guint i = 0; i < n; i++)
        {
          KlPortfolioItem *item = g_ptr_array_index (self->pending, i);

          if (!filter_item (item, self))
            continue;
          shown++;
          missing += item->row->sla_misses > 0;
          overdue += item->row->overdue_claims > 0;
          falling += item->row->volume_trend <= -2 * TREND_WARNING;
        }
    }
  else
    {
      n = g_list_model_get_n_items (G_LIST_MODEL (self->store));
      shown = g_list_model_get_n_items (G_LIST_MODEL (self->filter_model));
      for (guint i = 0; i < shown; i++)
        {
          g_autoptr(KlPortfolioItem) item = g_list_model_get_item (G_LIST_MODEL (self->filter_model), i);

          missing += item->row->sla_misses > 0;
          overdue += item->row->overdue_claims > 0;
          falling += item->row->volume_trend <= -2 * TREND_WARNING;
        }
    }

  if (shown != n)
    /* Translators: the portfolio summary while filtering, "12 of 40 accounts" */
    g_string_append_printf (text, ngettext ("%1$u of %2$u account", "%1$u of %2$u accounts", n), shown, n);
  else
    g_string_append_printf (text, ngettext ("%u account", "%u accounts", n), n);
  /* Translators: separates the parts of the portfolio summary */
  g_string_append (text, _(" · "));
  g_string_append_printf (text, ngettext ("%u below target", "%u below target", missing), missing);
  g_string_append (text, _(" · "));
  g_string_append_printf (text, ngettext ("%u with overdue claims", "%u with overdue claims", overdue), overdue);
  g_string_append (text, _(" · "));
  g_string_append_printf (text, ngettext ("%u with falling volume", "%u with falling volume", falling), falling);
  gtk_label_set_text (self->summary_label, text->str);
  g_string_free (text, TRUE);
}

static void
update_view (KlPortfolioPage *self)
{
  const char *page;

  if (!self->loaded)
    page = self->failed && !self->loading ? "error" : "loading";
  else if (self->pending != NULL)
    page = "list";
  else if (g_list_model_get_n_items (G_LIST_MODEL (self->store)) == 0)
    page = "empty";
  else if (g_list_model_get_n_items (G_LIST_MODEL (self->filter_model)) == 0)
    page = "no-match";
  else
    page = "list";
  gtk_stack_set_visible_child_name (self->main_stack, page);
  if (self->loaded)
    update_summary (self);
  else
    gtk_label_set_text (self->summary_label, "");
}

static void
search_changed (KlPortfolioPage *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  g_autofree char *stripped = g_strstrip (g_strdup (text));
  g_autofree char *normalized = g_utf8_normalize (stripped, -1, G_NORMALIZE_ALL);

  g_clear_pointer (&self->search, g_free);
  if (*stripped != '\0')
    self->search = g_utf8_casefold (normalized ? normalized : stripped, -1);
  gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
  if (self->loaded)
    update_view (self);
}

static void
stop_search (KlPortfolioPage *self)
{
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
}

/* Months */

static void
fill_picker (KlPortfolioPage *self,
             int              latest,
             int              month)
{
  int oldest = kl_month_add (latest, -(N_PICKER_MONTHS - 1));
  g_autoptr(GPtrArray) labels = g_ptr_array_new_with_free_func (g_free);
  guint selected = 0;

  /* A month older than the list (set by a caller) still gets a place. */
  if (month < oldest)
    oldest = month;
  g_array_set_size (self->picker_months, 0);
  for (int m = MAX (latest, month); m >= oldest; m = kl_month_add (m, -1))
    {
      g_autoptr(KlPeriod) period = kl_period_new_for_month (m);

      if (m == month)
        selected = self->picker_months->len;
      g_array_append_val (self->picker_months, m);
      g_ptr_array_add (labels, kl_period_to_display (period));
    }
  g_ptr_array_add (labels, NULL);

  self->updating_picker = TRUE;
  gtk_string_list_splice (self->month_list, 0,
                          g_list_model_get_n_items (G_LIST_MODEL (self->month_list)),
                          (const char * const *) labels->pdata);
  gtk_drop_down_set_selected (self->month_dropdown, selected);
  self->updating_picker = FALSE;
}

static void
month_selected (KlPortfolioPage *self)
{
  guint selected = gtk_drop_down_get_selected (self->month_dropdown);

  if (self->updating_picker || selected >= self->picker_months->len)
    return;
  kl_portfolio_page_set_month (self, g_array_index (self->picker_months, int, selected));
}

/* Loading */

typedef struct {
  int        month;      /* asked; 0 for the last complete one */
  int        latest;     /* the last complete month */
  GPtrArray *rows;
} Ranking;

static void
ranking_free (Ranking *ranking)
{
  g_clear_pointer (&ranking->rows, g_ptr_array_unref);
  g_free (ranking);
}

static gpointer
rank_job (KlDatabase   *db,
          gpointer      data,
          KlWorkerJob  *job,
          GError      **error)
{
  Ranking *ranking = g_new0 (Ranking, 1);

  ranking->latest = kl_portfolio_latest_complete_month (db);
  ranking->month = GPOINTER_TO_INT (data) > 0 ? GPOINTER_TO_INT (data) : ranking->latest;
  ranking->rows = kl_portfolio_rank (db, ranking->month, error);
  if (ranking->rows == NULL)
    {
      ranking_free (ranking);
      return NULL;
    }
  return ranking;
}

static void
set_loading (KlPortfolioPage *self,
             gboolean         loading)
{
  if (self->loading == loading)
    return;
  self->loading = loading;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

static void
fill_stop (KlPortfolioPage *self)
{
  if (self->fill_tick_id != 0)
    gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->fill_tick_id);
  self->fill_tick_id = 0;
  g_clear_pointer (&self->pending, g_ptr_array_unref);
  self->pending_pos = 0;
}

/* Puts the next rows of the pending ranking into the store; the first call
 * replaces what the store had. Returns TRUE when rows are left. */
static gboolean
fill_step (KlPortfolioPage *self)
{
  GPtrArray *pending = self->pending;
  guint start = self->pending_pos;
  guint n = MIN (FILL_ROWS_PER_FRAME, pending->len - start);
  guint n_old = start == 0 ? g_list_model_get_n_items (G_LIST_MODEL (self->store)) : 0;

  if (start + n >= FILL_CHUNKED_ROWS)
    n = MIN (FILL_TAIL_ROWS, pending->len - start);
  g_list_store_splice (self->store, start == 0 ? 0 : start, n_old, pending->pdata + start, n);
  self->pending_pos += n;
  return self->pending_pos < pending->len;
}

static void
fill_finish (KlPortfolioPage *self)
{
  fill_stop (self);
  set_loading (self, FALSE);
  update_view (self);
}

static gboolean
fill_tick (GtkWidget     *widget,
           GdkFrameClock *clock,
           gpointer       user_data)
{
  KlPortfolioPage *self = KL_PORTFOLIO_PAGE (widget);

  if (self->pending != NULL && self->fill_waits)
    {
      self->fill_waits = FALSE;
      return G_SOURCE_CONTINUE;
    }
  if (self->pending != NULL && fill_step (self))
    return G_SOURCE_CONTINUE;
  /* Removed by returning; fill_stop must not remove it again. */
  self->fill_tick_id = 0;
  fill_finish (self);
  return G_SOURCE_REMOVE;
}

/* Only a page on screen fills: a realized widget keeps ticking when it is
 * hidden, and the idle window must not. */
static void
fill_resume (KlPortfolioPage *self)
{
  if (self->pending != NULL && self->fill_tick_id == 0 && gtk_widget_get_mapped (GTK_WIDGET (self)))
    self->fill_tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (self), fill_tick, NULL, NULL);
}

static int
compare_pending (gconstpointer a,
                 gconstpointer b,
                 gpointer      user_data)
{
  return gtk_sorter_compare (GTK_SORTER (user_data), *(gpointer *) a, *(gpointer *) b);
}

static void
rank_done (GObject      *source,
           GAsyncResult *res,
           gpointer      user_data)
{
  g_autoptr(KlPortfolioPage) self = user_data;
  g_autoptr(GError) error = NULL;
  Ranking *ranking = kl_worker_run_finish (KL_WORKER (source), res, &error);
  g_autoptr(GPtrArray) items = NULL;
  int latest, month;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
      g_error_matches (error, KL_DATABASE_ERROR, KL_DATABASE_ERROR_CANCELLED))
    return;

  if (ranking == NULL)
    {
      g_autofree char *escaped = g_markup_escape_text (error ? error->message : "", -1);

      /* Status page descriptions are Pango markup. */
      adw_status_page_set_description (self->error_page, escaped);
      self->loaded = FALSE;
      self->failed = TRUE;
      fill_stop (self);
      g_list_store_remove_all (self->store);
      set_loading (self, FALSE);
      update_view (self);
      return;
    }

  latest = ranking->latest;
  month = ranking->month;
  items = g_ptr_array_new_full (ranking->rows->len, g_object_unref);
  for (guint i = 0; i < ranking->rows->len; i++)
    g_ptr_array_add (items, kl_portfolio_item_new (g_ptr_array_index (ranking->rows, i)));
  /* The items own the rows now. */
  g_ptr_array_set_free_func (ranking->rows, NULL);
  ranking_free (ranking);

  /* In the table's order, so the rows on screen come first and later rows
   * mostly go in below them. The ranking comes in rank order, the table's
   * until the user sorts by another column: then it is sorted here. */
  {
    GtkSorter *sorter = gtk_column_view_get_sorter (self->column_view);

    for (guint i = 1; i < items->len; i++)
      if (compare_pending (&items->pdata[i - 1], &items->pdata[i], sorter) > 0)
        {
          g_ptr_array_sort_with_data (items, compare_pending, sorter);
          break;
        }
  }
  fill_stop (self);
  self->pending = g_steal_pointer (&items);
  fill_picker (self, latest, month);
  self->loaded = TRUE;
  self->failed = FALSE;
  if (self->month != month)
    {
      self->month = month;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MONTH]);
    }
  /* "loading" stays TRUE until every row is in. The rows start coming in
   * the frame after the table (its header) is first laid out: two shorter
   * frames rather than one long one. */
  if (self->pending->len == 0)
    g_list_store_remove_all (self->store);
  else
    {
      self->fill_waits = g_strcmp0 (gtk_stack_get_visible_child_name (self->main_stack), "list") != 0;
      update_view (self);
      fill_resume (self);
      return;
    }
  fill_finish (self);
}

static void analysis_panel_load (KlPortfolioPage *self);

static void
reload (KlPortfolioPage *self)
{
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);

  if (self->worker == NULL)
    return;
  /* Ranking every account takes a while on a big workspace, and the worker
   * runs one job at a time: a page nobody sees ranks when it is shown, so
   * it never holds up the page on screen (the Customers list at start). */
  if (!gtk_widget_get_mapped (GTK_WIDGET (self)))
    {
      self->stale = TRUE;
      set_loading (self, FALSE);
      return;
    }
  self->stale = FALSE;

  self->cancellable = g_cancellable_new ();
  set_loading (self, TRUE);
  if (!self->loaded)
    update_view (self);
  kl_worker_run (self->worker, KL_WORKER_READ, rank_job, GINT_TO_POINTER (self->month), NULL,
                 (GDestroyNotify) ranking_free, NULL, NULL, self->cancellable,
                 rank_done, g_object_ref (self));
  analysis_panel_load (self);
}

static void
row_activated (KlPortfolioPage *self,
               guint            position)
{
  g_autoptr(KlPortfolioItem) item = g_list_model_get_item (G_LIST_MODEL (self->selection), position);

  if (item != NULL)
    g_signal_emit (self, signals[OPEN_CUSTOMER], 0, item->row->customer_id);
}

static void
refresh_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  kl_portfolio_page_refresh (KL_PORTFOLIO_PAGE (widget));
}

/* The list as shown (filtered and sorted) as an Excel workbook, in the
 * interface's language. */

static gboolean
write_portfolio (const char  *path,
                 gpointer     data,
                 GError     **error)
{
  return kl_xlsx_write_portfolio (data, kl_report_language_of_interface (), path, error);
}

static void
export_xlsx_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  KlPortfolioPage *self = KL_PORTFOLIO_PAGE (widget);
  GListModel *shown = G_LIST_MODEL (self->selection);
  guint n = g_list_model_get_n_items (shown);
  GPtrArray *rows = g_ptr_array_new_full (n, (GDestroyNotify) kl_portfolio_row_free);
  g_autofree char *name = NULL;
  g_autofree char *month = NULL;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(KlPortfolioItem) item = g_list_model_get_item (shown, i);

      g_ptr_array_add (rows, kl_portfolio_row_copy (item->row));
    }
  if (rows->len > 0)
    {
      month = kl_month_to_label (((KlPortfolioRow *) rows->pdata[0])->month);
      /* Translators: the default file name of the exported Portfolio list; %s is a month, "2026-10" */
      name = g_strdup_printf (_("Portfolio-%s.xlsx"), month);
    }
  else
    name = g_strdup ("Portfolio.xlsx");
  kl_xlsx_save_ask (widget, _("Export Portfolio as Excel Workbook"), name, write_portfolio, rows,
                    (GDestroyNotify) g_ptr_array_unref);
}

/* Style */

static void
load_css_once (GtkWidget *widget)
{
  kl_gui_add_style_sheet (widget, "/io/github/keyline/Keyline/kl-portfolio.css");
}

/* GObject */

static void
reload_tick_stop (KlPortfolioPage *self)
{
  if (self->reload_tick_id != 0)
    gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->reload_tick_id);
  self->reload_tick_id = 0;
}

/* A page shown stale ranks once its first frame is painted: the frame
 * clock's second tick since it was shown comes after that paint. Started
 * at once, the ranking took a core from the first paint (on two cores the
 * window's thread waited for the worker, a frame over 16 ms). */
static gboolean
reload_tick (GtkWidget     *widget,
             GdkFrameClock *clock,
             gpointer       data)
{
  KlPortfolioPage *self = KL_PORTFOLIO_PAGE (widget);

  if (++self->reload_ticks < 2)
    return G_SOURCE_CONTINUE;
  self->reload_tick_id = 0;
  if (self->stale)
    reload (self);
  return G_SOURCE_REMOVE;
}

static void
kl_portfolio_page_map (GtkWidget *widget)
{
  KlPortfolioPage *self = KL_PORTFOLIO_PAGE (widget);

  GTK_WIDGET_CLASS (kl_portfolio_page_parent_class)->map (widget);
  if (self->stale)
    {
      /* The placeholder in the first frame, the ranking after it. */
      set_loading (self, TRUE);
      if (!self->loaded)
        update_view (self);
      if (self->reload_tick_id == 0)
        {
          self->reload_ticks = 0;
          self->reload_tick_id = gtk_widget_add_tick_callback (widget, reload_tick, NULL, NULL);
        }
    }
  else
    fill_resume (self);
}

static void
kl_portfolio_page_unmap (GtkWidget *widget)
{
  KlPortfolioPage *self = KL_PORTFOLIO_PAGE (widget);

  if (self->reload_tick_id != 0)
    set_loading (self, FALSE);   /* still stale: ranks when shown again */
  reload_tick_stop (self);
  if (self->fill_tick_id != 0)
    gtk_widget_remove_tick_callback (widget, self->fill_tick_id);
  self->fill_tick_id = 0;
  GTK_WIDGET_CLASS (kl_portfolio_page_parent_class)->unmap (widget);
}

static void
kl_portfolio_page_dispose (GObject *object)
{
  KlPortfolioPage *self = KL_PORTFOLIO_PAGE (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  fill_stop (self);
  /* The top box is both AdwBin's child and part of the template: let the
   * bin drop it first so it is not unparented twice. */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), KL_TYPE_PORTFOLIO_PAGE);
  g_clear_object (&self->selection);
  g_clear_object (&self->sort_model);
  g_clear_object (&self->filter_model);
  g_clear_object (&self->filter);
  g_clear_object (&self->store);
  g_clear_object (&self->worker);
  G_OBJECT_CLASS (kl_portfolio_page_parent_class)->dispose (object);
}

static void
kl_portfolio_page_finalize (GObject *object)
{
  KlPortfolioPage *self = KL_PORTFOLIO_PAGE (object);

  g_clear_pointer (&self->picker_months, g_array_unref);
  g_free (self->search);
  G_OBJECT_CLASS (kl_portfolio_page_parent_class)->finalize (object);
}

static void
kl_portfolio_page_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  KlPortfolioPage *self = KL_PORTFOLIO_PAGE (object);

  switch (prop_id)
    {
    case PROP_MONTH:
      g_value_set_int (value, self->month);
      break;
    case PROP_LOADING:
      g_value_set_boolean (value, self->loading);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kl_portfolio_page_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  KlPortfolioPage *self = KL_PORTFOLIO_PAGE (object);

  switch (prop_id)
    {
    case PROP_MONTH:
      kl_portfolio_page_set_month (self, g_value_get_int (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kl_portfolio_page_class_init (KlPortfolioPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = kl_portfolio_page_dispose;
  object_class->finalize = kl_portfolio_page_finalize;
  widget_class->map = kl_portfolio_page_map;
  widget_class->unmap = kl_portfolio_page_unmap;
  object_class->get_property = kl_portfolio_page_get_property;
  object_class->set_property = kl_portfolio_page_set_property;

  /**
   * KlPortfolioPage:month:
   *
   * The ranked month as yyyymm; 0 for the last complete month.
   */
  properties[PROP_MONTH] =
    g_param_spec_int ("month", NULL, NULL, 0, 999912, 0,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * KlPortfolioPage:loading:
   *
   * TRUE while a ranking runs on the worker.
   */
  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * KlPortfolioPage::open-customer:
   * @customer_id: the account's id
   *
   * Emitted when a row is activated (double click or Enter).
   */
  signals[OPEN_CUSTOMER] =
    g_signal_new ("open-customer", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/keyline/Keyline/kl-portfolio-page.ui");
  gtk_widget_class_bind_template_child (widget_class, KlPortfolioPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, KlPortfolioPage, summary_label);
  gtk_widget_class_bind_template_child (widget_class, KlPortfolioPage, month_dropdown);
  gtk_widget_class_bind_template_child (widget_class, KlPortfolioPage, month_list);
  gtk_widget_class_bind_template_child (widget_class, KlPortfolioPage, main_stack);
  gtk_widget_class_bind_template_child (widget_class, KlPortfolioPage, error_page);
  gtk_widget_class_bind_template_child (widget_class, KlPortfolioPage, header_scroller);
  gtk_widget_class_bind_template_child (widget_class, KlPortfolioPage, column_view);
  gtk_widget_class_bind_template_child (widget_class, KlPortfolioPage, list_scroller);
  gtk_widget_class_bind_template_child (widget_class, KlPortfolioPage, list_view);
  gtk_widget_class_bind_template_child (widget_class, KlPortfolioPage, rank_column);
  gtk_widget_class_bind_template_child (widget_class, KlPortfolioPage, customer_column);
  gtk_widget_class_bind_template_child (widget_class, KlPortfolioPage, region_column);
  gtk_widget_class_bind_template_child (widget_class, KlPortfolioPage, abc_column);
  gtk_widget_class_bind_template_child (widget_class, KlPortfolioPage, shipments_column);
  gtk_widget_class_bind_template_child (widget_class, KlPortfolioPage, trend_column);
  gtk_widget_class_bind_template_child (widget_class, KlPortfolioPage, misses_column);
  gtk_widget_class_bind_template_child (widget_class, KlPortfolioPage, claims_column);
  gtk_widget_class_bind_template_child (widget_class, KlPortfolioPage, dispatch_column);
  gtk_widget_class_bind_template_child (widget_class, KlPortfolioPage, arrival_column);
  gtk_widget_class_bind_template_child (widget_class, KlPortfolioPage, document_column);
  gtk_widget_class_bind_template_child (widget_class, KlPortfolioPage, order_column);
  gtk_widget_class_bind_template_child (widget_class, KlPortfolioPage, damage_column);
  gtk_widget_class_bind_template_child (widget_class, KlPortfolioPage, shortage_column);
  gtk_widget_class_bind_template_child (widget_class, KlPortfolioPage, incident_column);
  gtk_widget_class_bind_template_child (widget_class, KlPortfolioPage, otif_column);
  gtk_widget_class_bind_template_callback (widget_class, search_changed);
  gtk_widget_class_bind_template_callback (widget_class, stop_search);
  gtk_widget_class_bind_template_callback (widget_class, month_selected);
  gtk_widget_class_bind_template_callback (widget_class, row_activated);

  gtk_widget_class_install_action (widget_class, "portfolio.refresh", NULL, refresh_action);
  gtk_widget_class_install_action (widget_class, "portfolio.export-xlsx", NULL, export_xlsx_action);

  gtk_widget_class_set_css_name (widget_class, "portfoliopage");
}

static void
kl_portfolio_page_init (KlPortfolioPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  kl_gui_spin_only_when_shown (GTK_WIDGET (self));
  self->picker_months = g_array_new (FALSE, FALSE, sizeof (int));

  /* Each model keeps its own reference to the one below it. */
  self->store = g_list_store_new (KL_TYPE_PORTFOLIO_ITEM);
  self->filter = gtk_custom_filter_new (filter_item, self, NULL);
  self->filter_model = gtk_filter_list_model_new (g_object_ref (G_LIST_MODEL (self->store)),
                                                  g_object_ref (GTK_FILTER (self->filter)));
  self->sort_model = gtk_sort_list_model_new (g_object_ref (G_LIST_MODEL (self->filter_model)),
                                              g_object_ref (gtk_column_view_get_sorter (self->column_view)));
  self->selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->sort_model)));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (self->selection));

  setup_columns (self);
  /* Ranked order until the user picks a column. */
  gtk_column_view_sort_by_column (self->column_view, self->rank_column, GTK_SORT_ASCENDING);

  load_css_once (GTK_WIDGET (self));
  update_view (self);
}

/* API */

GtkWidget *
kl_portfolio_page_new (void)
{
  return g_object_new (KL_TYPE_PORTFOLIO_PAGE, NULL);
}

static void
analysis_open_customer (KlPortfolioPage *self, const char *id)
{
  g_signal_emit (self, signals[OPEN_CUSTOMER], 0, id);
}

/* Where service effort goes (kl-analysis-panel.c), under the table. It
 * scrolls sideways rather than widen the page: the window's sidebar folds
 * away when a page is wider than the window. */
static void
analysis_panel_attach (KlPortfolioPage *self)
{
  GtkWidget *box = gtk_widget_get_parent (GTK_WIDGET (self->main_stack));
  GtkWidget *panel = g_object_get_data (G_OBJECT (self), "analysis-panel");

  if (panel == NULL && GTK_IS_BOX (box))
    {
      GtkWidget *scroller = gtk_scrolled_window_new ();

      panel = kl_analysis_panel_new ();
      g_signal_connect_swapped (panel, "open-customer", G_CALLBACK (analysis_open_customer), self);
      gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_AUTOMATIC, GTK_POLICY_NEVER);
      gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scroller), TRUE);
      gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), panel);
      gtk_box_append (GTK_BOX (box), gtk_separator_new (GTK_ORIENTATION_HORIZONTAL));
      gtk_box_append (GTK_BOX (box), scroller);
      g_object_set_data (G_OBJECT (self), "analysis-panel", panel);
      kl_gui_name_accessibles (scroller);
    }
}

/* Loads the panel with the ranking: only when the page is shown. */
static void
analysis_panel_load (KlPortfolioPage *self)
{
  GtkWidget *panel = g_object_get_data (G_OBJECT (self), "analysis-panel");

  if (panel != NULL && self->worker != NULL)
    kl_analysis_panel_load (KL_ANALYSIS_PANEL (panel), self->worker, 0);
}

void
kl_portfolio_page_set_worker (KlPortfolioPage *self,
                              KlWorker        *worker)
{
  g_return_if_fail (KL_IS_PORTFOLIO_PAGE (self));
  g_return_if_fail (worker == NULL || KL_IS_WORKER (worker));

  if (g_set_object (&self->worker, worker))
    {
      self->loaded = FALSE;
      fill_stop (self);
      g_list_store_remove_all (self->store);
      analysis_panel_attach (self);
      reload (self);
    }
}

void
kl_portfolio_page_refresh (KlPortfolioPage *self)
{
  g_return_if_fail (KL_IS_PORTFOLIO_PAGE (self));
  reload (self);
}

int
kl_portfolio_page_get_month (KlPortfolioPage *self)
{
  g_return_val_if_fail (KL_IS_PORTFOLIO_PAGE (self), 0);
  return self->month;
}

void
kl_portfolio_page_set_month (KlPortfolioPage *self,
                             int              month)
{
  g_return_if_fail (KL_IS_PORTFOLIO_PAGE (self));
  g_return_if_fail (month == 0 || (month % 100 >= 1 && month % 100 <= 12 && month / 100 >= KL_PERIOD_MIN_YEAR));

  if (self->month == month)
    return;
  self->month = month;
  reload (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MONTH]);
}

GtkColumnView *
kl_portfolio_page_get_column_view (KlPortfolioPage *self)
{
  g_return_val_if_fail (KL_IS_PORTFOLIO_PAGE (self), NULL);
  return self->column_view;
}

/* The rows, whose model is the table as shown (filtered and sorted). */
GtkListView *
kl_portfolio_page_get_list_view (KlPortfolioPage *self)
{
  g_return_val_if_fail (KL_IS_PORTFOLIO_PAGE (self), NULL);
  return self->list_view;
}

GtkEditable *
kl_portfolio_page_get_search_entry (KlPortfolioPage *self)
{
  g_return_val_if_fail (KL_IS_PORTFOLIO_PAGE (self), NULL);
  return GTK_EDITABLE (self->search_entry);
}
