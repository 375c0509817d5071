/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Search in the customer drop-downs. GtkDropDown (GTK 4.8) filters its
 * popup with a string filter that matches the start of the text its
 * expression gives. Here the expression answers the search itself: an item
 * that matches gives back the search text, which is its own prefix, and
 * one that does not gives back nothing. What matches is any part of the
 * item's text at once, and whatever the workspace's full-text index finds
 * (the Customers page's search: codes, names, contacts, tags) once the
 * worker answers. */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>
#include "kl-customer-search.h"
#include "kl-customer-store.h"

#define DATA_KEY "kl-customer-search"

typedef struct {
  GtkDropDown           *dropdown;     /* unowned: owns this */
  KlCustomerSearchItems  items;
  KlWorker              *worker;
  GCancellable          *cancellable;  /* the search on its way */
  GtkEditable           *entry;        /* the popup's search entry */
  GtkWidget             *no_match;
  char                  *answered;     /* the search the index answered… */
  GHashTable            *found;        /* …with these ids */
  gboolean               pending;
} Search;

static void
search_free (Search *s)
{
  g_cancellable_cancel (s->cancellable);
  g_clear_object (&s->cancellable);
  g_clear_object (&s->worker);
  g_clear_pointer (&s->found, g_hash_table_unref);
  g_free (s->answered);
  g_free (s);
}

static Search *
get_search (GtkDropDown *dropdown)
{
  return g_object_get_data (G_OBJECT (dropdown), DATA_KEY);
}

static const char *
current_text (Search *s)
{
  return s->entry != NULL ? gtk_editable_get_text (s->entry) : "";
}

/* Whether haystack holds needle, ignoring case. */
static gboolean
contains_folded (const char *haystack,
                 const char *needle)
{
  g_autofree char *h = NULL;
  g_autofree char *n = NULL;

  if (haystack == NULL)
    return FALSE;
  h = g_utf8_casefold (haystack, -1);
  n = g_utf8_casefold (needle, -1);
  return strstr (h, n) != NULL;
}

static char *
match_text (gpointer item,
            gpointer user_data)
{
  Search *s = user_data;
  const char *search = current_text (s);
  const char *id;
  g_autofree char *text = NULL;

  if (item == NULL)
    return g_strdup ("");
  if (search[0] == '\0')
    return s->items.item_text (item);
  id = s->items.item_id (item);
  if (id != NULL && s->found != NULL && g_strcmp0 (s->answered, search) == 0 &&
      g_hash_table_contains (s->found, id))
    return g_strdup (search);
  text = s->items.item_text (item);
  return g_strdup (contains_folded (text, search) ? search : "");
}

/* The popup's parts, found once it exists. */
static GtkWidget *
find_widget (GtkWidget *root,
             GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type))
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_widget (child, type);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static GtkFilterListModel *
filter_model (Search *s)
{
  GtkWidget *list = find_widget (GTK_WIDGET (s->dropdown), GTK_TYPE_LIST_VIEW);
  GListModel *model;

  if (list == NULL)
    return NULL;
  model = G_LIST_MODEL (gtk_list_view_get_model (GTK_LIST_VIEW (list)));
  while (model != NULL && !GTK_IS_FILTER_LIST_MODEL (model))
    model = GTK_IS_SINGLE_SELECTION (model)
            ? gtk_single_selection_get_model (GTK_SINGLE_SELECTION (model)) : NULL;
  return model != NULL ? GTK_FILTER_LIST_MODEL (model) : NULL;
}

static void
update_no_match (Search *s)
{
  GtkFilterListModel *model = filter_model (s);
  guint n = model != NULL ? g_list_model_get_n_items (G_LIST_MODEL (model)) : 0;

  gtk_widget_set_visible (s->no_match, n == 0 && current_text (s)[0] != '\0');
}

static void
refilter (Search *s)
{
  GtkFilterListModel *model = filter_model (s);
  GtkFilter *filter = model != NULL ? gtk_filter_list_model_get_filter (model) : NULL;

  if (filter != NULL)
    gtk_filter_changed (filter, GTK_FILTER_CHANGE_DIFFERENT);
  update_no_match (s);
}

typedef struct {
  char      *search;
  GPtrArray *ids;
} Answer;

static void
answer_free (Answer *a)
{
  g_free (a->search);
  g_clear_pointer (&a->ids, g_ptr_array_unref);
  g_free (a);
}

static gpointer
search_job (KlDatabase   *db,
            gpointer      data,
            KlWorkerJob  *job,
            GError      **error)
{
  KlCustomerFilter filter = KL_CUSTOMER_FILTER_INIT;
  g_autoptr(GPtrArray) customers = NULL;
  Answer *answer;

  filter.search = data;
  customers = kl_customer_store_list (db, &filter, 0, -1, error);
  if (customers == NULL)
    return NULL;
  answer = g_new0 (Answer, 1);
  answer->search = g_strdup (data);
  answer->ids = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < customers->len; i++)
    g_ptr_array_add (answer->ids, g_strdup (((KlCustomer *) g_ptr_array_index (customers, i))->id));
  return answer;
}

static void
search_done (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GtkDropDown) dropdown = user_data;
  g_autoptr(GError) error = NULL;
  Answer *answer = kl_worker_run_finish (KL_WORKER (source), result, &error);
  Search *s = get_search (dropdown);

  if (answer == NULL || s == NULL)
    {
      /* A failed search leaves what typing matched; a cancelled one was
       * overtaken by the next. */
      if (s != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        s->pending = FALSE;
      g_clear_pointer (&answer, answer_free);
      return;
    }
  s->pending = FALSE;
  g_clear_pointer (&s->found, g_hash_table_unref);
  s->found = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (guint i = 0; i < answer->ids->len; i++)
    g_hash_table_add (s->found, g_strdup (g_ptr_array_index (answer->ids, i)));
  g_free (s->answered);
  s->answered = g_strdup (answer->search);
  answer_free (answer);
  refilter (s);
}

static void
search_changed (Search *s)
{
  const char *text = current_text (s);

  g_cancellable_cancel (s->cancellable);
  g_clear_object (&s->cancellable);
  update_no_match (s);
  if (text[0] == '\0' || s->worker == NULL)
    {
      s->pending = FALSE;
      return;
    }
  s->cancellable = g_cancellable_new ();
  s->pending = TRUE;
  kl_worker_run (s->worker, KL_WORKER_READ, search_job, g_strdup (text), g_free,
                 (GDestroyNotify) answer_free, NULL, NULL, s->cancellable,
                 search_done, g_object_ref (s->dropdown));
}

/* The popup exists once the drop-down is realized; its parts are found
 * then, and a "No match" label joins the list. */
static void
hook_popup (Search *s)
{
  GtkWidget *popover = find_widget (GTK_WIDGET (s->dropdown), GTK_TYPE_POPOVER);
  GtkWidget *entry = popover != NULL ? find_widget (popover, GTK_TYPE_SEARCH_ENTRY) : NULL;
  GtkWidget *list = popover != NULL ? find_widget (popover, GTK_TYPE_LIST_VIEW) : NULL;
  GtkWidget *scroller = list != NULL ? gtk_widget_get_ancestor (list, GTK_TYPE_SCROLLED_WINDOW) : NULL;
  GtkWidget *box = scroller != NULL ? gtk_widget_get_parent (scroller) : NULL;

  if (s->entry != NULL || entry == NULL || !GTK_IS_BOX (box))
    return;
  s->entry = GTK_EDITABLE (entry);
  s->no_match = gtk_label_new (_("No match"));
  gtk_widget_add_css_class (s->no_match, "dim-label");
  gtk_widget_set_margin_top (s->no_match, 12);
  gtk_widget_set_margin_bottom (s->no_match, 12);
  gtk_widget_set_visible (s->no_match, FALSE);
  gtk_box_append (GTK_BOX (box), s->no_match);
  /* After the drop-down's own handler has set its filter's search. */
  g_signal_connect_data (entry, "search-changed", G_CALLBACK (search_changed), s, NULL,
                         G_CONNECT_SWAPPED | G_CONNECT_AFTER);
}

void
kl_customer_search_attach (GtkDropDown                 *dropdown,
                           const KlCustomerSearchItems *items)
{
  Search *s;
  GtkExpression *expression;

  g_return_if_fail (GTK_IS_DROP_DOWN (dropdown));
  g_return_if_fail (items != NULL && items->item_id != NULL && items->item_text != NULL);

  s = g_new0 (Search, 1);
  s->dropdown = dropdown;
  s->items = *items;
  g_object_set_data_full (G_OBJECT (dropdown), DATA_KEY, s, (GDestroyNotify) search_free);

  expression = gtk_cclosure_expression_new (G_TYPE_STRING, NULL, 0, NULL,
                                            G_CALLBACK (match_text), s, NULL);
  gtk_drop_down_set_expression (dropdown, expression);
  gtk_expression_unref (expression);
  gtk_drop_down_set_enable_search (dropdown, TRUE);
  /* The popup's search entry and list are there from the start (GTK 4.8
   * builds them with the drop-down). */
  hook_popup (s);
}

void
kl_customer_search_set_worker (GtkDropDown *dropdown,
                               KlWorker    *worker)
{
  Search *s = get_search (dropdown);

  g_return_if_fail (s != NULL);
  g_set_object (&s->worker, worker);
}

void
kl_customer_search_type (GtkDropDown *dropdown,
                         const char  *text)
{
  Search *s = get_search (dropdown);

  g_return_if_fail (s != NULL && s->entry != NULL);
  gtk_editable_set_text (s->entry, text);
  /* A search entry waits a moment before it says its text changed; a
   * person's pause, not a test's. */
  g_signal_emit_by_name (s->entry, "search-changed");
}

guint
kl_customer_search_n_shown (GtkDropDown *dropdown)
{
  Search *s = get_search (dropdown);
  GtkFilterListModel *model;

  g_return_val_if_fail (s != NULL, 0);
  model = filter_model (s);
  return model != NULL ? g_list_model_get_n_items (G_LIST_MODEL (model)) : 0;
}

gboolean
kl_customer_search_says_no_match (GtkDropDown *dropdown)
{
  Search *s = get_search (dropdown);

  g_return_val_if_fail (s != NULL, FALSE);
  return s->no_match != NULL && gtk_widget_get_visible (s->no_match);
}

gboolean
kl_customer_search_settled (GtkDropDown *dropdown)
{
  Search *s = get_search (dropdown);

  g_return_val_if_fail (s != NULL, FALSE);
  return !s->pending;
}
