/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The customer list over SQLite pages. Every request carries the generation
 * it was made for; an answer for an older filter is dropped. */
#include "config.h"

#include <glib/gi18n.h>
#include "kl-customer-list-model.h"
#include "kl-sync-engine.h"
#include "kl-sync-store.h"
#include "kl-customer-item.h"

typedef struct {
  char *search;
  int   status;
  int   abc_class;
  int   relationship;
  char *region;
} FilterData;

struct _KlCustomerListModel {
  GObject       parent_instance;

  KlWorker     *worker;
  FilterData   *filter;
  guint         generation;
  GCancellable *cancellable;

  GPtrArray    *items;          /* KlCustomerItem or NULL, n_items long */
  GHashTable   *pages_asked;    /* page index → TRUE */
  GHashTable   *page_requests;  /* page index → its GCancellable, until answered */
  gboolean      loading;
  gboolean      count_known;
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (KlCustomerListModel, kl_customer_list_model, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

enum {
  PROP_0,
  PROP_LOADING,
  PROP_N_ITEMS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  LOAD_FAILED,
  PAGE_LOADED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static FilterData *
filter_data_new (const KlCustomerFilter *filter)
{
  FilterData *data = g_new0 (FilterData, 1);

  data->search = g_strdup (filter ? filter->search : NULL);
  data->status = filter ? filter->status : -1;
  data->abc_class = filter ? filter->abc_class : -1;
  data->relationship = filter ? filter->relationship : -1;
  data->region = g_strdup (filter ? filter->region : NULL);
  return data;
}

static FilterData *
filter_data_copy (const FilterData *src)
{
  FilterData *data = g_memdup2 (src, sizeof *src);

  data->search = g_strdup (src->search);
  data->region = g_strdup (src->region);
  return data;
}

static void
filter_data_free (FilterData *data)
{
  g_free (data->search);
  g_free (data->region);
  g_free (data);
}

static gboolean
filter_data_equal (const FilterData *a,
                   const FilterData *b)
{
  return g_strcmp0 (a->search, b->search) == 0 &&
         g_strcmp0 (a->region, b->region) == 0 &&
         a->status == b->status &&
         a->abc_class == b->abc_class &&
         a->relationship == b->relationship;
}

static KlCustomerFilter
filter_data_to_filter (const FilterData *data)
{
  KlCustomerFilter filter = KL_CUSTOMER_FILTER_INIT;

  filter.search = data->search;
  filter.status = data->status;
  filter.abc_class = data->abc_class;
  filter.relationship = data->relationship;
  filter.region = data->region;
  return filter;
}

/* Worker jobs (worker thread). */

typedef struct {
  FilterData *filter;
  int         offset;
  int         limit;
} PageJob;

static void
page_job_free (PageJob *job)
{
  filter_data_free (job->filter);
  g_free (job);
}

static gpointer
count_job (KlDatabase   *db,
           gpointer      data,
           KlWorkerJob  *job,
           GError      **error)
{
  KlCustomerFilter filter = filter_data_to_filter (data);
  gint64 count = kl_customer_store_count (db, &filter, error);

  if (count < 0)
    return NULL;
  return g_memdup2 (&count, sizeof count);
}

/* A page of customers and which of them wait to be synced. */
typedef struct {
  GPtrArray  *customers;
  GHashTable *unpushed;    /* ids */
} PageResult;

static void
page_result_free (PageResult *result)
{
  g_clear_pointer (&result->customers, g_ptr_array_unref);
  g_clear_pointer (&result->unpushed, g_hash_table_unref);
  g_free (result);
}

static gpointer
list_job (KlDatabase   *db,
          gpointer      data,
          KlWorkerJob  *job,
          GError      **error)
{
  PageJob *page = data;
  KlCustomerFilter filter = filter_data_to_filter (page->filter);
  GPtrArray *customers = kl_customer_store_list (db, &filter, page->offset, page->limit, error);
  g_autofree char *server = NULL;
  PageResult *result;

  if (customers == NULL)
    return NULL;
  result = g_new0 (PageResult, 1);
  result->customers = customers;
  result->unpushed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  server = kl_database_get_setting (db, KL_SYNC_SETTING_SERVER);
  for (guint i = 0; server != NULL && i < customers->len; i++)
    {
      const KlCustomer *c = g_ptr_array_index (customers, i);

      if (kl_sync_record_unpushed (db, "customers", c->id))
        g_hash_table_add (result->unpushed, g_strdup (c->id));
    }
  return result;
}

/* Main thread. */

typedef struct {
  KlCustomerListModel *self;
  guint                generation;
  guint                page;
  gboolean             in_place;
  GCancellable        *cancellable;  /* a page's own */
} Request;

static Request *
request_new (KlCustomerListModel *self,
             guint                page)
{
  Request *request = g_new0 (Request, 1);

  request->self = g_object_ref (self);
  request->generation = self->generation;
  request->page = page;
  return request;
}

static void
request_free (Request *request)
{
  g_clear_object (&request->cancellable);
  g_object_unref (request->self);
  g_free (request);
}

static gboolean
request_is_current (Request *request)
{
  return request->generation == request->self->generation;
}

static void
report_error (KlCustomerListModel *self,
              const GError        *error)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
      g_error_matches (error, KL_DATABASE_ERROR, KL_DATABASE_ERROR_CANCELLED))
    return;
  g_warning ("Could not load customers: %s", error->message);
  g_signal_emit (self, signals[LOAD_FAILED], 0, error->message);
}

static void
page_done (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Request *request = user_data;
  KlCustomerListModel *self = request->self;
  g_autoptr(GError) error = NULL;
  PageResult *page = NULL;
  GPtrArray *customers = NULL;
  guint offset = request->page * KL_CUSTOMER_LIST_MODEL_PAGE_SIZE;

  page = kl_worker_run_finish (self->worker, result, &error);
  customers = page ? page->customers : NULL;
  if (g_hash_table_lookup (self->page_requests, GUINT_TO_POINTER (request->page)) == request->cancellable)
    g_hash_table_remove (self->page_requests, GUINT_TO_POINTER (request->page));
  if (!request_is_current (request))
    goto out;
  if (g_cancellable_is_cancelled (request->cancellable))
    goto out;
  if (customers == NULL)
    {
      g_hash_table_remove (self->pages_asked, GUINT_TO_POINTER (request->page));
      if (error != NULL)
        report_error (self, error);
      goto out;
    }

  for (guint i = 0; i < customers->len && offset + i < self->items->len; i++)
    {
      KlCustomerItem *item = g_ptr_array_index (self->items, offset + i);
      const KlCustomer *c = g_ptr_array_index (customers, i);
      /* The list marks customers changed here and not yet synced. */
      gpointer unpushed = GINT_TO_POINTER (g_hash_table_contains (page->unpushed, c->id));

      if (item == NULL)
        {
          item = kl_customer_item_new (c);
          g_object_set_data (G_OBJECT (item), "kl-sync-unpushed", unpushed);
          g_ptr_array_index (self->items, offset + i) = item;
        }
      else
        {
          g_object_set_data (G_OBJECT (item), "kl-sync-unpushed", unpushed);
          kl_customer_item_set_customer (item, c);
        }
    }
  g_signal_emit (self, signals[PAGE_LOADED], 0, offset, MIN (customers->len, self->items->len - MIN (offset, self->items->len)));

out:
  g_clear_pointer (&page, page_result_free);
  request_free (request);
}

/* The list view keeps rows for at most 200 items, which span at most three
 * pages: a page asked for more than two pages away from the one asked now
 * is no longer on any row. Its job is dropped before it runs (on a big
 * workspace each page is a sort of every customer, and a scrollbar dragged
 * across the list asked for dozens, which held up every other job), and it
 * is asked again if a row shows it. */
#define KEEP_PAGES_AROUND 2

static void
drop_far_requests (KlCustomerListModel *self,
                   guint                page)
{
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, self->page_requests);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      guint asked = GPOINTER_TO_UINT (key);

      if (asked + KEEP_PAGES_AROUND >= page && asked <= page + KEEP_PAGES_AROUND)
        continue;
      g_cancellable_cancel (value);
      g_hash_table_remove (self->pages_asked, key);
      g_hash_table_iter_remove (&iter);
    }
}

static void
cancel_page_requests (KlCustomerListModel *self)
{
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, self->page_requests);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    g_cancellable_cancel (value);
  g_hash_table_remove_all (self->page_requests);
}

/* fill: a row shows the page's placeholders (else it is a refresh of rows
 * already loaded, which is never dropped). */
static void
ask_page (KlCustomerListModel *self,
          guint                page,
          gboolean             fill)
{
  PageJob *job;
  Request *request;

  if (self->worker == NULL ||
      g_hash_table_contains (self->pages_asked, GUINT_TO_POINTER (page)))
    return;
  if (fill)
    drop_far_requests (self, page);
  g_hash_table_add (self->pages_asked, GUINT_TO_POINTER (page));
  request = request_new (self, page);
  if (fill)
    {
      request->cancellable = g_cancellable_new ();
      g_hash_table_insert (self->page_requests, GUINT_TO_POINTER (page), g_object_ref (request->cancellable));
    }
  else
    request->cancellable = g_object_ref (self->cancellable);

  job = g_new0 (PageJob, 1);
  job->filter = filter_data_copy (self->filter);
  job->offset = (int) (page * KL_CUSTOMER_LIST_MODEL_PAGE_SIZE);
  job->limit = KL_CUSTOMER_LIST_MODEL_PAGE_SIZE;
  kl_worker_run (self->worker, KL_WORKER_READ, list_job,
                 job, (GDestroyNotify) page_job_free,
                 (GDestroyNotify) page_result_free,
                 NULL, NULL, request->cancellable,
                 page_done, request);
}

static void
set_loading (KlCustomerListModel *self,
             gboolean             loading)
{
  if (self->loading == loading)
    return;
  self->loading = loading;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

static void
count_done (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  Request *request = user_data;
  KlCustomerListModel *self = request->self;
  g_autoptr(GError) error = NULL;
  g_autofree gint64 *count = NULL;
  guint old_n, new_n;

  count = kl_worker_run_finish (self->worker, result, &error);
  if (!request_is_current (request))
    goto out;
  set_loading (self, FALSE);
  if (count == NULL)
    {
      if (error != NULL)
        report_error (self, error);
      goto out;
    }

  old_n = self->items->len;
  new_n = (guint) CLAMP (*count, 0, G_MAXINT);
  self->count_known = TRUE;

  if (request->in_place && old_n == new_n)
    {
      /* Same length: reload what is on screen, keeping the items (and so
       * the selection) where they are. */
      g_autoptr(GHashTable) pages = g_hash_table_new (NULL, NULL);

      for (guint i = 0; i < self->items->len; i++)
        if (g_ptr_array_index (self->items, i) != NULL)
          g_hash_table_add (pages, GUINT_TO_POINTER (i / KL_CUSTOMER_LIST_MODEL_PAGE_SIZE));
      g_hash_table_remove_all (self->pages_asked);

      GHashTableIter iter;
      gpointer page;
      g_hash_table_iter_init (&iter, pages);
      while (g_hash_table_iter_next (&iter, &page, NULL))
        ask_page (self, GPOINTER_TO_UINT (page), FALSE);
      goto out;
    }

  /* A new filter. The items stay where the new rows go, emptied, and fill
   * in as GTK asks for them again: GTK 4.8 keeps the row of an item that
   * comes back, and makes a row's widgets anew for one that replaces
   * another (~200 rows each keystroke of a search, 15-20 ms of a frame on
   * the 10 M bench workspace; see bench/README.md). */
  g_hash_table_remove_all (self->pages_asked);
  if (old_n > new_n)
    g_ptr_array_remove_range (self->items, new_n, old_n - new_n);
  for (guint i = 0; i < self->items->len; i++)
    if (g_ptr_array_index (self->items, i) != NULL)
      kl_customer_item_clear (g_ptr_array_index (self->items, i));
  g_ptr_array_set_size (self->items, new_n);
  g_list_model_items_changed (G_LIST_MODEL (self), 0, old_n, new_n);

  /* The items still on rows fill in from their pages, asked here so that
   * they are not dropped: while the list changed GTK asked for items
   * beyond its rows too (looking for the one it had focused), and a page
   * asked for far away drops the near ones. Items on no row go. */
  {
    g_autoptr(GHashTable) pages = g_hash_table_new (NULL, NULL);
    GHashTableIter iter;
    gpointer page;

    for (guint i = 0; i < self->items->len; i++)
      {
        KlCustomerItem *item = g_ptr_array_index (self->items, i);

        if (item == NULL || kl_customer_item_get_loaded (item))
          continue;
        if (kl_customer_item_get_shown (item))
          g_hash_table_add (pages, GUINT_TO_POINTER (i / KL_CUSTOMER_LIST_MODEL_PAGE_SIZE));
        else
          {
            g_ptr_array_index (self->items, i) = NULL;
            g_object_unref (item);
          }
      }
    g_hash_table_iter_init (&iter, pages);
    while (g_hash_table_iter_next (&iter, &page, NULL))
      {
        GCancellable *droppable = g_hash_table_lookup (self->page_requests, page);

        if (droppable != NULL)
          {
            g_cancellable_cancel (droppable);
            g_hash_table_remove (self->page_requests, page);
          }
        g_hash_table_remove (self->pages_asked, page);
        ask_page (self, GPOINTER_TO_UINT (page), FALSE);
      }
  }
  if (old_n != new_n)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);

out:
  request_free (request);
}

static void
reload (KlCustomerListModel *self,
        gboolean             in_place)
{
  Request *request;

  self->generation++;
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  cancel_page_requests (self);
  self->cancellable = g_cancellable_new ();
  /* Pages asked for under the old generation will never fill in. */
  g_hash_table_remove_all (self->pages_asked);

  if (self->worker == NULL)
    return;

  set_loading (self, TRUE);
  request = request_new (self, 0);
  request->in_place = in_place;
  kl_worker_run (self->worker, KL_WORKER_READ, count_job,
                 filter_data_copy (self->filter), (GDestroyNotify) filter_data_free,
                 g_free, NULL, NULL, self->cancellable,
                 count_done, request);
}

static GType
kl_customer_list_model_get_item_type (GListModel *model)
{
  return KL_TYPE_CUSTOMER_ITEM;
}

static guint
kl_customer_list_model_get_n_items (GListModel *model)
{
  return KL_CUSTOMER_LIST_MODEL (model)->items->len;
}

static gpointer
kl_customer_list_model_get_item (GListModel *model,
                                 guint       position)
{
  KlCustomerListModel *self = KL_CUSTOMER_LIST_MODEL (model);
  KlCustomerItem *item;

  if (position >= self->items->len)
    return NULL;

  item = g_ptr_array_index (self->items, position);
  if (item == NULL)
    {
      item = kl_customer_item_new (NULL);
      g_ptr_array_index (self->items, position) = item;
    }
  if (!kl_customer_item_get_loaded (item))
    ask_page (self, position / KL_CUSTOMER_LIST_MODEL_PAGE_SIZE, TRUE);

  return g_object_ref (item);
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = kl_customer_list_model_get_item_type;
  iface->get_n_items = kl_customer_list_model_get_n_items;
  iface->get_item = kl_customer_list_model_get_item;
}

static void
kl_customer_list_model_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  KlCustomerListModel *self = KL_CUSTOMER_LIST_MODEL (object);

  switch (prop_id)
    {
    case PROP_LOADING:
      g_value_set_boolean (value, self->loading);
      break;
    case PROP_N_ITEMS:
      g_value_set_uint (value, self->items->len);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kl_customer_list_model_dispose (GObject *object)
{
  KlCustomerListModel *self = KL_CUSTOMER_LIST_MODEL (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->page_requests != NULL)
    cancel_page_requests (self);
  g_clear_object (&self->worker);
  G_OBJECT_CLASS (kl_customer_list_model_parent_class)->dispose (object);
}

static void
kl_customer_list_model_finalize (GObject *object)
{
  KlCustomerListModel *self = KL_CUSTOMER_LIST_MODEL (object);

  g_clear_pointer (&self->items, g_ptr_array_unref);
  g_clear_pointer (&self->pages_asked, g_hash_table_unref);
  g_clear_pointer (&self->page_requests, g_hash_table_unref);
  g_clear_pointer (&self->filter, filter_data_free);
  G_OBJECT_CLASS (kl_customer_list_model_parent_class)->finalize (object);
}

static void
kl_customer_list_model_class_init (KlCustomerListModelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = kl_customer_list_model_get_property;
  object_class->dispose = kl_customer_list_model_dispose;
  object_class->finalize = kl_customer_list_model_finalize;

  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_ITEMS] =
    g_param_spec_uint ("n-items", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * KlCustomerListModel::load-failed:
   * @message: what went wrong, for people
   */
  signals[LOAD_FAILED] =
    g_signal_new ("load-failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  /**
   * KlCustomerListModel::page-loaded:
   * @position: the first row that filled in
   * @n_items: how many rows filled in
   */
  signals[PAGE_LOADED] =
    g_signal_new ("page-loaded", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_UINT, G_TYPE_UINT);
}

/* Rows never asked for stay NULL. */
static void
item_free (gpointer item)
{
  if (item != NULL)
    g_object_unref (item);
}

static void
kl_customer_list_model_init (KlCustomerListModel *self)
{
  self->items = g_ptr_array_new_with_free_func (item_free);
  self->pages_asked = g_hash_table_new (NULL, NULL);
  self->page_requests = g_hash_table_new_full (NULL, NULL, NULL, g_object_unref);
  self->filter = filter_data_new (NULL);
  self->cancellable = g_cancellable_new ();
}

KlCustomerListModel *
kl_customer_list_model_new (void)
{
  return g_object_new (KL_TYPE_CUSTOMER_LIST_MODEL, NULL);
}

void
kl_customer_list_model_set_worker (KlCustomerListModel *self,
                                   KlWorker            *worker)
{
  g_return_if_fail (KL_IS_CUSTOMER_LIST_MODEL (self));

  if (g_set_object (&self->worker, worker))
    reload (self, FALSE);
}

gboolean
kl_customer_list_model_filter_equals (KlCustomerListModel    *self,
                                      const KlCustomerFilter *filter)
{
  FilterData *data;
  gboolean equal;

  g_return_val_if_fail (KL_IS_CUSTOMER_LIST_MODEL (self), FALSE);

  data = filter_data_new (filter);
  equal = filter_data_equal (data, self->filter);
  filter_data_free (data);
  return equal;
}

/* The items on rows are kept for the new customers there: a selection by
 * position no longer means the customer it did, so unselect first. */
void
kl_customer_list_model_set_filter (KlCustomerListModel    *self,
                                   const KlCustomerFilter *filter)
{
  g_return_if_fail (KL_IS_CUSTOMER_LIST_MODEL (self));

  if (kl_customer_list_model_filter_equals (self, filter))
    return;
  filter_data_free (self->filter);
  self->filter = filter_data_new (filter);
  reload (self, FALSE);
}

void
kl_customer_list_model_refresh (KlCustomerListModel *self)
{
  g_return_if_fail (KL_IS_CUSTOMER_LIST_MODEL (self));
  reload (self, TRUE);
}

gboolean
kl_customer_list_model_get_loading (KlCustomerListModel *self)
{
  g_return_val_if_fail (KL_IS_CUSTOMER_LIST_MODEL (self), FALSE);
  return self->loading;
}

guint
kl_customer_list_model_find (KlCustomerListModel *self,
                             const char          *customer_id)
{
  g_return_val_if_fail (KL_IS_CUSTOMER_LIST_MODEL (self), G_MAXUINT);
  g_return_val_if_fail (customer_id != NULL, G_MAXUINT);

  for (guint i = 0; i < self->items->len; i++)
    {
      KlCustomerItem *item = g_ptr_array_index (self->items, i);

      if (item != NULL && g_strcmp0 (kl_customer_item_get_id (item), customer_id) == 0)
        return i;
    }
  return G_MAXUINT;
}
