/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The list side of the Customers page: search entry, filters, the list over
 * KlCustomerListModel, and the wiring to KlCustomerDetail. */
#include "config.h"

#include <glib/gi18n.h>
#include "kl-gui-util.h"
#include "kl-customers-page.h"
#include "kl-customer-item.h"
#include "kl-customer-row.h"
#include "kl-customer-detail.h"
#include "kl-enums.h"

struct _KlCustomersPage {
  AdwBin               parent_instance;

  KlWorker            *worker;
  KlCustomerListModel *model;
  GtkSingleSelection  *selection;
  KlCustomerItem      *pending_item;   /* selected while still a placeholder */
  gulong               pending_id;
  char                *wanted_id;      /* to select once its row shows up */
  GStrv                regions;

  /* template */
  GtkSearchEntry      *search_entry;
  GtkMenuButton       *filter_button;
  GtkDropDown         *abc_dropdown;
  GtkDropDown         *status_dropdown;
  GtkDropDown         *relationship_dropdown;
  GtkDropDown         *region_dropdown;
  GtkStack            *list_stack;
  GtkListView         *list_view;
  GtkLabel            *count_label;
  AdwLeaflet          *leaflet;
  GtkWidget           *list_pane;
  GtkWidget           *separator;
  KlCustomerDetail    *detail;
};

G_DEFINE_FINAL_TYPE (KlCustomersPage, kl_customers_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_SHOWING_DETAIL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
add_toast (KlCustomersPage *self,
           const char      *message)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);
  g_autofree char *escaped = g_markup_escape_text (message, -1);

  if (overlay != NULL)
    adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), adw_toast_new (escaped));
}

/* Filters. */

static GtkStringList *
labels_model (const char *any,
              const char *(*to_label) (int),
              int          first,
              int          n)
{
  GtkStringList *list = gtk_string_list_new (NULL);

  gtk_string_list_append (list, any);
  for (int i = first; i < n; i++)
    gtk_string_list_append (list, to_label (i));
  return list;
}

static const char *
abc_label (int v)
{
  return kl_abc_class_to_label ((KlAbcClass) v);
}

static const char *
status_label (int v)
{
  return kl_customer_status_to_label ((KlCustomerStatus) v);
}

static const char *
relationship_label (int v)
{
  return kl_relationship_to_label ((KlRelationship) v);
}

/* Dropdown position 0 is "any". */
static int
dropdown_value (GtkDropDown *dropdown,
                int          first)
{
  guint selected = gtk_drop_down_get_selected (dropdown);

  if (selected == 0 || selected == GTK_INVALID_LIST_POSITION)
    return -1;
  return first + (int) selected - 1;
}

static void
update_filter (KlCustomersPage *self)
{
  KlCustomerFilter filter = KL_CUSTOMER_FILTER_INIT;
  g_autofree char *search = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->search_entry))));
  guint region = gtk_drop_down_get_selected (self->region_dropdown);
  gboolean filtered;

  filter.search = search[0] != '\0' ? search : NULL;
  filter.abc_class = dropdown_value (self->abc_dropdown, KL_ABC_A);
  filter.status = dropdown_value (self->status_dropdown, 0);
  filter.relationship = dropdown_value (self->relationship_dropdown, 0);
  if (self->regions != NULL && region > 0 && region != GTK_INVALID_LIST_POSITION &&
      region <= g_strv_length (self->regions))
    filter.region = self->regions[region - 1];

  filtered = filter.abc_class >= 0 || filter.status >= 0 ||
             filter.relationship >= 0 || filter.region != NULL;
  if (filtered)
    gtk_widget_add_css_class (GTK_WIDGET (self->filter_button), "accent");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->filter_button), "accent");

  if (kl_customer_list_model_filter_equals (self->model, &filter))
    return;
  /* The rows stay and show other customers: what was selected is no
   * longer on its row (as when the rows were made anew). */
  gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
  kl_customer_list_model_set_filter (self->model, &filter);
}

static void
clear_filters (KlCustomersPage *self)
{
  gtk_drop_down_set_selected (self->abc_dropdown, 0);
  gtk_drop_down_set_selected (self->status_dropdown, 0);
  gtk_drop_down_set_selected (self->relationship_dropdown, 0);
  gtk_drop_down_set_selected (self->region_dropdown, 0);
  gtk_menu_button_popdown (self->filter_button);
}

static gpointer
regions_job (KlDatabase   *db,
             gpointer      data,
             KlWorkerJob  *job,
             GError      **error)
{
  return kl_customer_store_regions (db, error);
}

/* Holds the page weakly, so a late answer does not keep it alive. */
typedef struct {
  GWeakRef  self;
  KlWorker *worker;
} RegionsCall;

static void
regions_done (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  RegionsCall *call = user_data;
  g_autoptr(KlCustomersPage) self = g_weak_ref_get (&call->self);
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) regions = NULL;
  g_autoptr(GtkStringList) list = NULL;

  regions = kl_worker_run_finish (call->worker, result, &error);
  g_weak_ref_clear (&call->self);
  g_object_unref (call->worker);
  g_free (call);
  if (self == NULL)
    return;
  if (error != NULL)
    {
      add_toast (self, error->message);
      return;
    }

  g_strfreev (self->regions);
  self->regions = g_steal_pointer (&regions);
  list = gtk_string_list_new (NULL);
  gtk_string_list_append (list, _("Any region"));
  for (guint i = 0; self->regions != NULL && self->regions[i] != NULL; i++)
    gtk_string_list_append (list, self->regions[i]);
  gtk_drop_down_set_model (self->region_dropdown, G_LIST_MODEL (list));
  gtk_drop_down_set_selected (self->region_dropdown, 0);
}

static void
load_regions (KlCustomersPage *self)
{
  RegionsCall *call = g_new0 (RegionsCall, 1);

  g_weak_ref_init (&call->self, self);
  call->worker = g_object_ref (self->worker);
  kl_worker_run (self->worker, KL_WORKER_READ, regions_job, NULL, NULL,
                 (GDestroyNotify) g_strfreev, NULL, NULL, NULL,
                 regions_done, call);
}

/* List state. */

static void
update_list_state (KlCustomersPage *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->model));
  g_autofree char *count = NULL;

  if (n > 0)
    gtk_stack_set_visible_child_name (self->list_stack, "list");
  else if (kl_customer_list_model_get_loading (self->model) || self->worker == NULL)
    gtk_stack_set_visible_child_name (self->list_stack, "loading");
  else
    gtk_stack_set_visible_child_name (self->list_stack, "empty");

  /* Translators: %'u is a count with thousands grouped, "12,345 customers" */
  count = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%'u customer", "%'u customers", n), n);
  gtk_label_set_label (self->count_label, count);
}

static void
load_failed (KlCustomersPage *self,
             const char      *message)
{
  add_toast (self, message);
}

/* Selection. */

static void
clear_pending (KlCustomersPage *self)
{
  if (self->pending_item != NULL)
    g_clear_signal_handler (&self->pending_id, self->pending_item);
  g_clear_object (&self->pending_item);
}

static void
show_item (KlCustomersPage *self,
           KlCustomerItem  *item)
{
  clear_pending (self);
  kl_customer_detail_set_customer_id (self->detail, kl_customer_item_get_id (item));
  adw_leaflet_set_visible_child (self->leaflet, GTK_WIDGET (self->detail));
}

static void
leaflet_changed (KlCustomersPage *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SHOWING_DETAIL]);
}

/* On a narrow screen the list and the detail take turns. */
gboolean
kl_customers_page_get_showing_detail (KlCustomersPage *self)
{
  g_return_val_if_fail (KL_IS_CUSTOMERS_PAGE (self), FALSE);
  return adw_leaflet_get_folded (self->leaflet) &&
         adw_leaflet_get_visible_child (self->leaflet) == GTK_WIDGET (self->detail);
}

void
kl_customers_page_show_list (KlCustomersPage *self)
{
  g_return_if_fail (KL_IS_CUSTOMERS_PAGE (self));
  adw_leaflet_set_visible_child (self->leaflet, self->list_pane);
}

static void
kl_customers_page_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  KlCustomersPage *self = KL_CUSTOMERS_PAGE (object);

  switch (prop_id)
    {
    case PROP_SHOWING_DETAIL:
      g_value_set_boolean (value, kl_customers_page_get_showing_detail (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pending_loaded (KlCustomersPage *self)
{
  g_autoptr(KlCustomerItem) item = g_object_ref (self->pending_item);

  if (kl_customer_item_get_loaded (item))
    show_item (self, item);
}

static void
selection_changed (KlCustomersPage *self)
{
  KlCustomerItem *item = gtk_single_selection_get_selected_item (self->selection);

  if (item == NULL)
    {
      clear_pending (self);
      return;
    }
  if (kl_customer_item_get_loaded (item))
    {
      show_item (self, item);
      return;
    }
  clear_pending (self);
  self->pending_item = g_object_ref (item);
  self->pending_id = g_signal_connect_swapped (item, "notify::loaded",
                                               G_CALLBACK (pending_loaded), self);
}

/* Selects the wanted customer once its row has loaded. */
static void
select_wanted (KlCustomersPage *self)
{
  guint position;

  if (self->wanted_id == NULL)
    return;
  position = kl_customer_list_model_find (self->model, self->wanted_id);
  if (position == G_MAXUINT)
    return;
  g_clear_pointer (&self->wanted_id, g_free);
  gtk_single_selection_set_selected (self->selection, position);
}

static void
items_changed (KlCustomersPage *self)
{
  update_list_state (self);
  select_wanted (self);
}

static void
detail_customer_changed (KlCustomersPage *self,
                         const char      *id)
{
  kl_customer_list_model_refresh (self->model);
  load_regions (self);
}

/* Rows. */

static void
row_setup (GtkSignalListItemFactory *factory,
           GtkListItem              *list_item)
{
  gtk_list_item_set_child (list_item, g_object_new (KL_TYPE_CUSTOMER_ROW, NULL));
}

static void
row_bind (GtkSignalListItemFactory *factory,
          GtkListItem              *list_item)
{
  g_object_set (gtk_list_item_get_child (list_item), "item", gtk_list_item_get_item (list_item), NULL);
}

/* GObject. */

static void
kl_customers_page_dispose (GObject *object)
{
  KlCustomersPage *self = KL_CUSTOMERS_PAGE (object);

  clear_pending (self);
  /* The leaflet is both AdwBin's child and a template child: let the bin
   * drop it first so neither unparents it twice. */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), KL_TYPE_CUSTOMERS_PAGE);
  g_clear_object (&self->selection);
  g_clear_object (&self->model);
  g_clear_object (&self->worker);
  G_OBJECT_CLASS (kl_customers_page_parent_class)->dispose (object);
}

static void
kl_customers_page_finalize (GObject *object)
{
  KlCustomersPage *self = KL_CUSTOMERS_PAGE (object);

  g_free (self->wanted_id);
  g_strfreev (self->regions);
  G_OBJECT_CLASS (kl_customers_page_parent_class)->finalize (object);
}

static void
kl_customers_page_class_init (KlCustomersPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = kl_customers_page_get_property;
  object_class->dispose = kl_customers_page_dispose;
  object_class->finalize = kl_customers_page_finalize;

  properties[PROP_SHOWING_DETAIL] =
    g_param_spec_boolean ("showing-detail", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (KL_TYPE_CUSTOMER_DETAIL);
  g_type_ensure (KL_TYPE_CUSTOMER_ROW);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/keyline/Keyline/kl-customers-page.ui");
  gtk_widget_class_bind_template_child (widget_class, KlCustomersPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, KlCustomersPage, filter_button);
  gtk_widget_class_bind_template_child (widget_class, KlCustomersPage, abc_dropdown);
  gtk_widget_class_bind_template_child (widget_class, KlCustomersPage, status_dropdown);
  gtk_widget_class_bind_template_child (widget_class, KlCustomersPage, relationship_dropdown);
  gtk_widget_class_bind_template_child (widget_class, KlCustomersPage, region_dropdown);
  gtk_widget_class_bind_template_child (widget_class, KlCustomersPage, list_stack);
  gtk_widget_class_bind_template_child (widget_class, KlCustomersPage, list_view);
  gtk_widget_class_bind_template_child (widget_class, KlCustomersPage, count_label);
  gtk_widget_class_bind_template_child (widget_class, KlCustomersPage, leaflet);
  gtk_widget_class_bind_template_child (widget_class, KlCustomersPage, list_pane);
  gtk_widget_class_bind_template_child (widget_class, KlCustomersPage, separator);
  gtk_widget_class_bind_template_child (widget_class, KlCustomersPage, detail);
  gtk_widget_class_bind_template_callback (widget_class, update_filter);
  gtk_widget_class_bind_template_callback (widget_class, clear_filters);
  gtk_widget_class_set_css_name (widget_class, "customerspage");
}

static void
kl_customers_page_init (KlCustomersPage *self)
{
  g_autoptr(GtkStringList) abc = NULL;
  g_autoptr(GtkStringList) status = NULL;
  g_autoptr(GtkStringList) relationship = NULL;
  g_autoptr(GtkStringList) region = NULL;
  g_autoptr(GtkListItemFactory) factory = NULL;

  /* Before the filter rows get their models: that notifies their selection. */
  self->model = kl_customer_list_model_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
  kl_gui_spin_only_when_shown (GTK_WIDGET (self));

  abc = labels_model (_("Any class"), abc_label, KL_ABC_A, KL_N_ABC);
  gtk_drop_down_set_model (self->abc_dropdown, G_LIST_MODEL (abc));
  status = labels_model (_("Any status"), status_label, 0, KL_N_CUSTOMER_STATUSES);
  gtk_drop_down_set_model (self->status_dropdown, G_LIST_MODEL (status));
  relationship = labels_model (_("Any stage"), relationship_label, 0, KL_N_RELATIONSHIPS);
  gtk_drop_down_set_model (self->relationship_dropdown, G_LIST_MODEL (relationship));
  region = gtk_string_list_new ((const char *[]) { _("Any region"), NULL });
  gtk_drop_down_set_model (self->region_dropdown, G_LIST_MODEL (region));

  self->selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->model)));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);

  /* Rows made in C, not by a GtkBuilder factory, which parses its XML
   * again for each of the list's (up to 200) rows as the page first shows.
   * No unbind: a recycled row goes from its old item straight to the new
   * one (GTK 4.8 unbinds and binds in one go), instead of showing a
   * placeholder in between and laying its labels out twice. */
  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (row_setup), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (row_bind), NULL);
  gtk_list_view_set_factory (self->list_view, factory);
  gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (self->selection));

  g_signal_connect_object (self->selection, "notify::selected-item",
                           G_CALLBACK (selection_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->model, "items-changed",
                           G_CALLBACK (items_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->model, "page-loaded",
                           G_CALLBACK (select_wanted), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->model, "notify::loading",
                           G_CALLBACK (update_list_state), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->model, "load-failed",
                           G_CALLBACK (load_failed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->detail, "customer-changed",
                           G_CALLBACK (detail_customer_changed), self, G_CONNECT_SWAPPED);

  adw_leaflet_page_set_navigatable (adw_leaflet_get_page (self->leaflet, self->separator), FALSE);
  g_signal_connect_object (self->leaflet, "notify::folded",
                           G_CALLBACK (leaflet_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->leaflet, "notify::visible-child",
                           G_CALLBACK (leaflet_changed), self, G_CONNECT_SWAPPED);

  update_list_state (self);
}

void
kl_customers_page_set_worker (KlCustomersPage *self,
                              KlWorker        *worker)
{
  g_return_if_fail (KL_IS_CUSTOMERS_PAGE (self));

  if (!g_set_object (&self->worker, worker))
    return;
  kl_customer_detail_set_worker (self->detail, worker);
  kl_customer_list_model_set_worker (self->model, worker);
  if (worker != NULL)
    load_regions (self);
  update_list_state (self);
}

void
kl_customers_page_focus_search (KlCustomersPage *self)
{
  g_return_if_fail (KL_IS_CUSTOMERS_PAGE (self));
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

void
kl_customers_page_refresh (KlCustomersPage *self)
{
  g_return_if_fail (KL_IS_CUSTOMERS_PAGE (self));

  if (self->worker == NULL)
    return;
  kl_customer_list_model_refresh (self->model);
  load_regions (self);
}

void
kl_customers_page_show_customer (KlCustomersPage *self,
                                 const char      *customer_id)
{
  g_return_if_fail (KL_IS_CUSTOMERS_PAGE (self));
  g_return_if_fail (customer_id != NULL);

  kl_customer_detail_set_customer_id (self->detail, customer_id);
  g_free (self->wanted_id);
  self->wanted_id = g_strdup (customer_id);
  kl_customers_page_refresh (self);
  select_wanted (self);
}

GtkEditable *
kl_customers_page_get_search_entry (KlCustomersPage *self)
{
  g_return_val_if_fail (KL_IS_CUSTOMERS_PAGE (self), NULL);
  return GTK_EDITABLE (self->search_entry);
}

KlCustomerListModel *
kl_customers_page_get_model (KlCustomersPage *self)
{
  g_return_val_if_fail (KL_IS_CUSTOMERS_PAGE (self), NULL);
  return self->model;
}

GtkWidget *
kl_customers_page_get_detail (KlCustomersPage *self)
{
  g_return_val_if_fail (KL_IS_CUSTOMERS_PAGE (self), NULL);
  return GTK_WIDGET (self->detail);
}

void
kl_customers_page_select (KlCustomersPage *self,
                          guint            position)
{
  g_return_if_fail (KL_IS_CUSTOMERS_PAGE (self));
  gtk_single_selection_set_selected (self->selection, position);
}
