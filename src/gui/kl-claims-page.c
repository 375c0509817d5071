/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The list side of the Claims & Returns page: search, filters (kind,
 * status, customer, owner, overdue only), the case list in the store's
 * order (overdue first, then the nearest deadline) and the wiring to
 * KlClaimDetail and the new-case editor. The list is read whole through
 * the worker on every change; a workspace holds hundreds of cases, not
 * hundreds of thousands. */
#include "config.h"

#include <glib/gi18n.h>

#include "kl-gui-util.h"
#include "kl-claims-page.h"
#include "kl-claim-detail.h"
#include "kl-claim-editor.h"
#include "kl-claim-row.h"
#include "kl-claim-store.h"
#include "kl-sync-engine.h"
#include "kl-sync-store.h"
#include "kl-report-language.h"
#include "kl-xlsx-export.h"
#include "kl-xlsx-save.h"

struct _KlClaimsPage {
  AdwBin              parent_instance;

  KlWorker           *worker;
  GListStore         *store;             /* of KlClaimItem */
  GtkSingleSelection *selection;
  GCancellable       *load_cancellable;
  gboolean            loading;
  gboolean            filling;            /* filter models are being rebuilt */
  gboolean            restoring;          /* the selection is put back after a reload */
  gboolean            refresh_detail;     /* read the case shown again once the list is in */
  char               *wanted_id;          /* the case to select once listed */
  GPtrArray          *customer_ids;       /* position i + 1 of the customer filter */
  GPtrArray          *customer_labels;
  GStrv               owners;             /* position i + 1 of the owner filter */
  guint               n_overdue;

  /* template */
  AdwToastOverlay    *toast_overlay;
  AdwLeaflet         *leaflet;
  GtkWidget          *list_pane;
  GtkWidget          *separator;
  KlClaimDetail      *detail;
  GtkSearchEntry     *search_entry;
  GtkMenuButton      *filter_button;
  GtkDropDown        *kind_dropdown;
  GtkDropDown        *status_dropdown;
  GtkDropDown        *customer_dropdown;
  GtkDropDown        *owner_dropdown;
  GtkSwitch          *overdue_switch;
  GtkWidget          *filter_bar;
  GtkLabel           *filter_label;
  GtkStack           *list_stack;
  GtkListView        *list_view;
  AdwStatusPage      *empty_page;
  GtkWidget          *empty_button;
  GtkLabel           *count_label;
};

G_DEFINE_FINAL_TYPE (KlClaimsPage, kl_claims_page, ADW_TYPE_BIN)

enum { PROP_0, PROP_SHOWING_DETAIL, PROP_LOADING, N_PROPS };
static GParamSpec *properties[N_PROPS];

enum { CASE_CHANGED, N_SIGNALS };
static guint signals[N_SIGNALS];

static void reload (KlClaimsPage *self);

static void
add_toast (KlClaimsPage *self,
           const char   *message)
{
  g_autofree char *escaped = g_markup_escape_text (message, -1);

  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (escaped));
}

/* Filters */

/* Position 0 of every filter is "any". */
static int
dropdown_value (GtkDropDown *dropdown)
{
  guint selected = gtk_drop_down_get_selected (dropdown);

  if (selected == 0 || selected == GTK_INVALID_LIST_POSITION)
    return -1;
  return (int) selected - 1;
}

static const char *
filter_customer_id (KlClaimsPage *self)
{
  int i = dropdown_value (self->customer_dropdown);

  if (i < 0 || self->customer_ids == NULL || (guint) i >= self->customer_ids->len)
    return NULL;
  return g_ptr_array_index (self->customer_ids, i);
}

static const char *
filter_owner (KlClaimsPage *self)
{
  int i = dropdown_value (self->owner_dropdown);

  if (i < 0 || self->owners == NULL || (guint) i >= g_strv_length (self->owners))
    return NULL;
  return self->owners[i];
}

static char *
search_text (KlClaimsPage *self)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->search_entry))));

  return *text != '\0' ? g_steal_pointer (&text) : NULL;
}

static void
update_filter_bar (KlClaimsPage *self)
{
  g_autoptr(GPtrArray) parts = g_ptr_array_new ();
  int kind = dropdown_value (self->kind_dropdown);
  int status = dropdown_value (self->status_dropdown);
  int customer = dropdown_value (self->customer_dropdown);
  const char *owner = filter_owner (self);
  g_autofree char *text = NULL;

  if (kind >= 0)
    g_ptr_array_add (parts, (gpointer) kl_claim_kind_to_label (kind));
  if (status >= 0)
    g_ptr_array_add (parts, (gpointer) kl_claim_status_to_label (status));
  if (customer >= 0 && self->customer_labels != NULL && (guint) customer < self->customer_labels->len)
    g_ptr_array_add (parts, g_ptr_array_index (self->customer_labels, customer));
  if (owner != NULL)
    g_ptr_array_add (parts, (gpointer) owner);
  if (gtk_switch_get_active (self->overdue_switch))
    g_ptr_array_add (parts, (gpointer) _("Overdue only"));
  g_ptr_array_add (parts, NULL);

  /* Translators: between the active filters, "Damage · Overdue only" */
  text = g_strjoinv (_(" · "), (char **) parts->pdata);
  gtk_label_set_text (self->filter_label, text);
  gtk_widget_set_visible (self->filter_bar, parts->len > 1);
  if (parts->len > 1)
    gtk_widget_add_css_class (GTK_WIDGET (self->filter_button), "accent");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->filter_button), "accent");
}

static void
update_filter (KlClaimsPage *self)
{
  if (self->filling)
    return;
  update_filter_bar (self);
  reload (self);
}

static void
clear_filters (KlClaimsPage *self)
{
  self->filling = TRUE;
  gtk_drop_down_set_selected (self->kind_dropdown, 0);
  gtk_drop_down_set_selected (self->status_dropdown, 0);
  gtk_drop_down_set_selected (self->customer_dropdown, 0);
  gtk_drop_down_set_selected (self->owner_dropdown, 0);
  gtk_switch_set_active (self->overdue_switch, FALSE);
  self->filling = FALSE;
  gtk_menu_button_popdown (self->filter_button);
  update_filter (self);
}

static GtkStringList *
any_list (const char *any)
{
  GtkStringList *list = gtk_string_list_new (NULL);

  gtk_string_list_append (list, any);
  return list;
}

/* Loading */

typedef struct {
  char    *customer_id;
  int      kind;
  int      status;
  char    *owner;
  gboolean overdue_only;
  char    *search;
} LoadRequest;

typedef struct {
  GPtrArray *claims;
  GHashTable *unpushed;        /* ids of cases not yet synced */
  GPtrArray *customer_ids;     /* customers with cases, by label */
  GPtrArray *customer_labels;
  GStrv      owners;
  GTimeZone *tz;
  gint64     now;
} LoadResult;

static void
load_request_free (LoadRequest *r)
{
  g_free (r->customer_id);
  g_free (r->owner);
  g_free (r->search);
  g_free (r);
}

static void
load_result_free (LoadResult *r)
{
  g_clear_pointer (&r->claims, g_ptr_array_unref);
  g_clear_pointer (&r->unpushed, g_hash_table_unref);
  g_clear_pointer (&r->customer_ids, g_ptr_array_unref);
  g_clear_pointer (&r->customer_labels, g_ptr_array_unref);
  g_clear_pointer (&r->owners, g_strfreev);
  g_clear_pointer (&r->tz, g_time_zone_unref);
  g_free (r);
}

typedef struct {
  const char *id;
  char       *label;
} Facet;

static int
compare_facets (gconstpointer a,
                gconstpointer b)
{
  const Facet *x = *(Facet * const *) a;
  const Facet *y = *(Facet * const *) b;

  return g_utf8_collate (x->label, y->label);
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_utf8_collate (*(char * const *) a, *(char * const *) b);
}

static void
facet_free (Facet *f)
{
  g_free (f->label);
  g_free (f);
}

/* The customers and owners that have cases, for the filters. */
static void
collect_facets (GPtrArray  *all,
                LoadResult *r)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) seen_owners = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) facets = g_ptr_array_new_with_free_func ((GDestroyNotify) facet_free);
  g_autoptr(GPtrArray) owners = g_ptr_array_new ();
  g_autoptr(GStrvBuilder) owner_builder = g_strv_builder_new ();

  for (guint i = 0; i < all->len; i++)
    {
      const KlClaim *c = g_ptr_array_index (all, i);

      if (!g_hash_table_contains (seen, c->customer_id))
        {
          Facet *f = g_new0 (Facet, 1);

          g_hash_table_add (seen, c->customer_id);
          f->id = c->customer_id;
          /* Translators: a customer in a list, "Acme Logistics · ACME-01" */
          f->label = g_strdup_printf (_("%s · %s"), c->customer_name ? c->customer_name : "",
                                      c->customer_code ? c->customer_code : "");
          g_ptr_array_add (facets, f);
        }
      if (c->owner != NULL && !g_hash_table_contains (seen_owners, c->owner))
        {
          g_hash_table_add (seen_owners, c->owner);
          g_ptr_array_add (owners, c->owner);
        }
    }
  g_ptr_array_sort (facets, compare_facets);
  g_ptr_array_sort (owners, compare_strings);

  r->customer_ids = g_ptr_array_new_with_free_func (g_free);
  r->customer_labels = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < facets->len; i++)
    {
      Facet *f = g_ptr_array_index (facets, i);

      g_ptr_array_add (r->customer_ids, g_strdup (f->id));
      g_ptr_array_add (r->customer_labels, g_steal_pointer (&f->label));
    }
  for (guint i = 0; i < owners->len; i++)
    g_strv_builder_add (owner_builder, g_ptr_array_index (owners, i));
  r->owners = g_strv_builder_end (owner_builder);
}

static gpointer
load_job (KlDatabase   *db,
          gpointer      data,
          KlWorkerJob  *job,
          GError      **error)
{
  LoadRequest *request = data;
  KlClaimFilter filter = KL_CLAIM_FILTER_INIT;
  LoadResult *r = g_new0 (LoadResult, 1);
  g_autoptr(GPtrArray) all = NULL;

  r->now = g_get_real_time () / G_USEC_PER_SEC;
  r->tz = g_time_zone_ref (kl_database_get_timezone (db));
  filter.customer_id = request->customer_id;
  filter.kind = request->kind;
  filter.status = request->status;
  filter.owner = request->owner;
  filter.overdue_only = request->overdue_only;
  filter.search = request->search;
  r->claims = kl_claim_store_list (db, &filter, r->now, error);
  if (r->claims == NULL)
    goto fail;
  r->unpushed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  {
    /* In a workspace that syncs, cases changed here and not yet pushed
     * are marked (docs/sync.md). */
    g_autofree char *server = kl_database_get_setting (db, KL_SYNC_SETTING_SERVER);

    for (guint i = 0; server != NULL && *server != '\0' && i < r->claims->len; i++)
      {
        const KlClaim *c = g_ptr_array_index (r->claims, i);

        if (kl_sync_record_unpushed (db, "claims", c->id))
          g_hash_table_add (r->unpushed, g_strdup (c->id));
      }
  }
  all = kl_claim_store_list (db, NULL, r->now, error);
  if (all == NULL)
    goto fail;
  collect_facets (all, r);
  return r;

fail:
  load_result_free (r);
  return NULL;
}

static gboolean
same_strings (GPtrArray *a,
              GPtrArray *b)
{
  if (a == NULL || b == NULL)
    return a == b;
  if (a->len != b->len)
    return FALSE;
  for (guint i = 0; i < a->len; i++)
    if (g_strcmp0 (g_ptr_array_index (a, i), g_ptr_array_index (b, i)) != 0)
      return FALSE;
  return TRUE;
}

/* Rebuilds the customer and owner filters when their choices changed,
 * keeping what was chosen. */
static void
update_facets (KlClaimsPage *self,
               LoadResult   *r)
{
  g_autofree char *customer = g_strdup (filter_customer_id (self));
  g_autofree char *owner = g_strdup (filter_owner (self));
  gboolean owners_same = self->owners != NULL && g_strv_equal ((const char * const *) self->owners,
                                                               (const char * const *) r->owners);

  self->filling = TRUE;
  if (!same_strings (self->customer_ids, r->customer_ids) ||
      !same_strings (self->customer_labels, r->customer_labels))
    {
      g_autoptr(GtkStringList) list = any_list (_("Any customer"));
      guint selected = 0;

      g_clear_pointer (&self->customer_ids, g_ptr_array_unref);
      g_clear_pointer (&self->customer_labels, g_ptr_array_unref);
      self->customer_ids = g_steal_pointer (&r->customer_ids);
      self->customer_labels = g_steal_pointer (&r->customer_labels);
      for (guint i = 0; i < self->customer_ids->len; i++)
        {
          gtk_string_list_append (list, g_ptr_array_index (self->customer_labels, i));
          if (g_strcmp0 (customer, g_ptr_array_index (self->customer_ids, i)) == 0)
            selected = i + 1;
        }
      gtk_drop_down_set_model (self->customer_dropdown, G_LIST_MODEL (list));
      gtk_drop_down_set_selected (self->customer_dropdown, selected);
    }
  if (!owners_same)
    {
      g_autoptr(GtkStringList) list = any_list (_("Anyone"));
      guint selected = 0;

      g_strfreev (self->owners);
      self->owners = g_steal_pointer (&r->owners);
      for (guint i = 0; self->owners[i] != NULL; i++)
        {
          gtk_string_list_append (list, self->owners[i]);
          if (g_strcmp0 (owner, self->owners[i]) == 0)
            selected = i + 1;
        }
      gtk_drop_down_set_model (self->owner_dropdown, G_LIST_MODEL (list));
      gtk_drop_down_set_selected (self->owner_dropdown, selected);
    }
  self->filling = FALSE;
  update_filter_bar (self);
}

static void
update_list_state (KlClaimsPage *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->store));
  gboolean filtered = gtk_widget_get_visible (self->filter_bar) ||
                      *gtk_editable_get_text (GTK_EDITABLE (self->search_entry)) != '\0';
  g_autofree char *cases = NULL;
  g_autofree char *count = NULL;

  if (n > 0)
    gtk_stack_set_visible_child_name (self->list_stack, "list");
  else if (self->loading || self->worker == NULL)
    gtk_stack_set_visible_child_name (self->list_stack, "loading");
  else
    {
      if (filtered)
        {
          adw_status_page_set_title (self->empty_page, _("No Matching Cases"));
          adw_status_page_set_description (self->empty_page, _("Try other words or clear the filters."));
        }
      else
        {
          adw_status_page_set_title (self->empty_page, _("No Cases Yet"));
          adw_status_page_set_description (self->empty_page,
                                           _("Open a case when a client reports damage, a shortage, a delay "
                                             "or a loss, sends goods back, or complains."));
        }
      gtk_widget_set_visible (self->empty_button, !filtered);
      gtk_stack_set_visible_child_name (self->list_stack, "empty");
    }

  /* Translators: %u counts cases, "12 cases" */
  cases = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u case", "%u cases", n), n);
  if (self->n_overdue > 0)
    /* Translators: the case count and how many are overdue, "12 cases · 3 overdue" */
    count = g_strdup_printf (_("%s · %u overdue"), cases, self->n_overdue);
  else
    count = g_steal_pointer (&cases);
  gtk_label_set_label (self->count_label, count);
}

static guint
find_case (KlClaimsPage *self,
           const char   *id_or_number)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->store));

  for (guint i = 0; id_or_number != NULL && i < n; i++)
    {
      g_autoptr(KlClaimItem) item = g_list_model_get_item (G_LIST_MODEL (self->store), i);
      const KlClaim *c = kl_claim_item_get_claim (item);

      if (g_strcmp0 (c->id, id_or_number) == 0 || g_strcmp0 (c->number, id_or_number) == 0)
        return i;
    }
  return GTK_INVALID_LIST_POSITION;
}

static void
select_wanted (KlClaimsPage *self)
{
  guint position = find_case (self, self->wanted_id);

  self->restoring = TRUE;
  gtk_single_selection_set_selected (self->selection, position);
  self->restoring = FALSE;
  /* And in view: a new case may sort far down the list. GTK 4.8 has no
   * gtk_list_view_scroll_to (); the list's own action does it. */
  if (position != GTK_INVALID_LIST_POSITION)
    gtk_widget_activate_action (GTK_WIDGET (self->list_view), "list.scroll-to-item", "u", position);
}

static void
set_loading (KlClaimsPage *self,
             gboolean      loading)
{
  if (self->loading == loading)
    return;
  self->loading = loading;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

static gboolean
refresh_detail_idle (gpointer detail)
{
  kl_claim_detail_refresh (detail);
  return G_SOURCE_REMOVE;
}

static void
load_done (GObject      *source,
           GAsyncResult *res,
           gpointer      user_data)
{
  g_autoptr(KlClaimsPage) self = user_data;
  g_autoptr(GError) error = NULL;
  LoadResult *r = kl_worker_run_finish (self->worker, res, &error);
  g_autoptr(GPtrArray) items = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
      g_error_matches (error, KL_DATABASE_ERROR, KL_DATABASE_ERROR_CANCELLED))
    return;
  g_clear_object (&self->load_cancellable);

  if (r == NULL)
    {
      set_loading (self, FALSE);
      add_toast (self, error->message);
      update_list_state (self);
      return;
    }

  update_facets (self, r);
  items = g_ptr_array_new_with_free_func (g_object_unref);
  self->n_overdue = 0;
  for (guint i = 0; i < r->claims->len; i++)
    {
      KlClaim *c = g_ptr_array_index (r->claims, i);
      KlClaimItem *item;

      self->n_overdue += c->overdue ? 1 : 0;
      g_ptr_array_index (r->claims, i) = NULL;
      item = kl_claim_item_new (c, r->now, r->tz);
      kl_claim_item_set_unpushed (item, g_hash_table_contains (r->unpushed, c->id));
      g_ptr_array_add (items, item);
    }
  load_result_free (r);

  self->restoring = TRUE;
  g_list_store_splice (self->store, 0, g_list_model_get_n_items (G_LIST_MODEL (self->store)),
                       items->pdata, items->len);
  self->restoring = FALSE;
  select_wanted (self);
  if (self->refresh_detail)
    {
      self->refresh_detail = FALSE;
      g_idle_add_full (G_PRIORITY_LOW, refresh_detail_idle, g_object_ref (self->detail), g_object_unref);
    }

  set_loading (self, FALSE);
  update_list_state (self);
}

static void
reload (KlClaimsPage *self)
{
  LoadRequest *request;

  if (self->worker == NULL)
    return;
  if (self->load_cancellable != NULL)
    g_cancellable_cancel (self->load_cancellable);
  g_clear_object (&self->load_cancellable);

  request = g_new0 (LoadRequest, 1);
  request->customer_id = g_strdup (filter_customer_id (self));
  request->kind = dropdown_value (self->kind_dropdown);
  request->status = dropdown_value (self->status_dropdown);
  request->owner = g_strdup (filter_owner (self));
  request->overdue_only = gtk_switch_get_active (self->overdue_switch);
  request->search = search_text (self);

  set_loading (self, TRUE);
  self->load_cancellable = g_cancellable_new ();
  kl_worker_run (self->worker, KL_WORKER_READ, load_job, request, (GDestroyNotify) load_request_free,
                 (GDestroyNotify) load_result_free, NULL, NULL, self->load_cancellable,
                 load_done, g_object_ref (self));
  update_list_state (self);
}

/* Selection and the leaflet */

static void
selection_changed (KlClaimsPage *self)
{
  KlClaimItem *item = gtk_single_selection_get_selected_item (self->selection);

  if (item == NULL || self->restoring)
    return;
  g_free (self->wanted_id);
  self->wanted_id = g_strdup (kl_claim_item_get_id (item));
  kl_claim_detail_set_claim_id (self->detail, kl_claim_item_get_id (item));
  adw_leaflet_set_visible_child (self->leaflet, GTK_WIDGET (self->detail));
}

static void
leaflet_changed (KlClaimsPage *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SHOWING_DETAIL]);
}

static void
detail_case_changed (KlClaimsPage *self,
                     const char   *id)
{
  reload (self);
  g_signal_emit (self, signals[CASE_CHANGED], 0, id);
}

/* The list */

static void
setup_row (GtkSignalListItemFactory *factory,
           GtkListItem              *list_item,
           gpointer                  user_data)
{
  gtk_list_item_set_child (list_item, kl_claim_row_new ());
}

static void
bind_row (GtkSignalListItemFactory *factory,
          GtkListItem              *list_item,
          gpointer                  user_data)
{
  kl_claim_row_set_item (KL_CLAIM_ROW (gtk_list_item_get_child (list_item)),
                         gtk_list_item_get_item (list_item), TRUE);
}

static void
unbind_row (GtkSignalListItemFactory *factory,
            GtkListItem              *list_item,
            gpointer                  user_data)
{
  kl_claim_row_set_item (KL_CLAIM_ROW (gtk_list_item_get_child (list_item)), NULL, TRUE);
}

/* Actions */

static void
on_case_created (KlClaimsPage *self,
                 const char   *id)
{
  add_toast (self, _("Case opened"));
  kl_claims_page_show_case (self, id);
  g_signal_emit (self, signals[CASE_CHANGED], 0, id);
}

static void
new_case_activate (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  KlClaimsPage *self = KL_CLAIMS_PAGE (widget);

  /* Filtered to one customer: the new case is most likely theirs. */
  kl_claims_page_new_case (self, filter_customer_id (self), NULL);
}

static void
search_activate (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  kl_claims_page_focus_search (KL_CLAIMS_PAGE (widget));
}

/* The cases listed (as filtered) as an Excel workbook, in the interface's
 * language and the workspace's time zone. */

typedef struct {
  GPtrArray *claims;   /* KlClaim, copies */
  GTimeZone *tz;
} ClaimsExport;

static void
claims_export_free (ClaimsExport *export)
{
  g_ptr_array_unref (export->claims);
  g_clear_pointer (&export->tz, g_time_zone_unref);
  g_free (export);
}

static gboolean
write_claims (const char  *path,
              gpointer     data,
              GError     **error)
{
  const ClaimsExport *export = data;

  return kl_xlsx_write_claims (export->claims, export->tz, kl_report_language_of_interface (), path, error);
}

static void
export_xlsx_activate (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  KlClaimsPage *self = KL_CLAIMS_PAGE (widget);
  GListModel *listed = G_LIST_MODEL (self->store);
  guint n = g_list_model_get_n_items (listed);
  ClaimsExport *export = g_new0 (ClaimsExport, 1);

  export->claims = g_ptr_array_new_full (n, (GDestroyNotify) kl_claim_free);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(KlClaimItem) item = g_list_model_get_item (listed, i);

      g_ptr_array_add (export->claims, kl_claim_copy (kl_claim_item_get_claim (item)));
      if (export->tz == NULL && kl_claim_item_get_tz (item) != NULL)
        export->tz = g_time_zone_ref (kl_claim_item_get_tz (item));
    }
  /* Translators: the default file name of the exported claims list */
  kl_xlsx_save_ask (widget, _("Export Cases as Excel Workbook"), _("Claims.xlsx"), write_claims, export,
                    (GDestroyNotify) claims_export_free);
}

static void
clear_filters_activate (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  clear_filters (KL_CLAIMS_PAGE (widget));
}

/* GObject */

static void
kl_claims_page_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  KlClaimsPage *self = KL_CLAIMS_PAGE (object);

  switch (prop_id)
    {
    case PROP_SHOWING_DETAIL:
      g_value_set_boolean (value, kl_claims_page_get_showing_detail (self));
      break;
    case PROP_LOADING:
      g_value_set_boolean (value, self->loading);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kl_claims_page_dispose (GObject *object)
{
  KlClaimsPage *self = KL_CLAIMS_PAGE (object);

  if (self->load_cancellable != NULL)
    g_cancellable_cancel (self->load_cancellable);
  /* The overlay is both AdwBin's child and a template child: let the bin
   * drop it first so neither unparents it twice. */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), KL_TYPE_CLAIMS_PAGE);
  g_clear_object (&self->selection);
  g_clear_object (&self->store);
  g_clear_object (&self->load_cancellable);
  g_clear_object (&self->worker);
  G_OBJECT_CLASS (kl_claims_page_parent_class)->dispose (object);
}

static void
kl_claims_page_finalize (GObject *object)
{
  KlClaimsPage *self = KL_CLAIMS_PAGE (object);

  g_free (self->wanted_id);
  g_clear_pointer (&self->customer_ids, g_ptr_array_unref);
  g_clear_pointer (&self->customer_labels, g_ptr_array_unref);
  g_strfreev (self->owners);
  G_OBJECT_CLASS (kl_claims_page_parent_class)->finalize (object);
}

static void
kl_claims_page_class_init (KlClaimsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = kl_claims_page_get_property;
  object_class->dispose = kl_claims_page_dispose;
  object_class->finalize = kl_claims_page_finalize;

  properties[PROP_SHOWING_DETAIL] =
    g_param_spec_boolean ("showing-detail", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /**
   * KlClaimsPage:loading:
   *
   * TRUE while the list is being read.
   */
  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * KlClaimsPage::case-changed:
   * @id: the case's id
   *
   * Emitted after the page opened, moved or changed a case, so other views
   * of it (a customer's cases) can refresh.
   */
  signals[CASE_CHANGED] =
    g_signal_new ("case-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  g_type_ensure (KL_TYPE_CLAIM_DETAIL);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/keyline/Keyline/kl-claims-page.ui");
  gtk_widget_class_bind_template_child (widget_class, KlClaimsPage, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, KlClaimsPage, leaflet);
  gtk_widget_class_bind_template_child (widget_class, KlClaimsPage, list_pane);
  gtk_widget_class_bind_template_child (widget_class, KlClaimsPage, separator);
  gtk_widget_class_bind_template_child (widget_class, KlClaimsPage, detail);
  gtk_widget_class_bind_template_child (widget_class, KlClaimsPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, KlClaimsPage, filter_button);
  gtk_widget_class_bind_template_child (widget_class, KlClaimsPage, kind_dropdown);
  gtk_widget_class_bind_template_child (widget_class, KlClaimsPage, status_dropdown);
  gtk_widget_class_bind_template_child (widget_class, KlClaimsPage, customer_dropdown);
  gtk_widget_class_bind_template_child (widget_class, KlClaimsPage, owner_dropdown);
  gtk_widget_class_bind_template_child (widget_class, KlClaimsPage, overdue_switch);
  gtk_widget_class_bind_template_child (widget_class, KlClaimsPage, filter_bar);
  gtk_widget_class_bind_template_child (widget_class, KlClaimsPage, filter_label);
  gtk_widget_class_bind_template_child (widget_class, KlClaimsPage, list_stack);
  gtk_widget_class_bind_template_child (widget_class, KlClaimsPage, list_view);
  gtk_widget_class_bind_template_child (widget_class, KlClaimsPage, empty_page);
  gtk_widget_class_bind_template_child (widget_class, KlClaimsPage, empty_button);
  gtk_widget_class_bind_template_child (widget_class, KlClaimsPage, count_label);
  gtk_widget_class_bind_template_callback (widget_class, update_filter);

  gtk_widget_class_install_action (widget_class, "claims.new-case", NULL, new_case_activate);
  gtk_widget_class_install_action (widget_class, "claims.search", NULL, search_activate);
  gtk_widget_class_install_action (widget_class, "claims.clear-filters", NULL, clear_filters_activate);
  gtk_widget_class_install_action (widget_class, "claims.export-xlsx", NULL, export_xlsx_activate);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK, "claims.new-case", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "claims.search", NULL);

  gtk_widget_class_set_css_name (widget_class, "claimspage");
}

static void
kl_claims_page_init (KlClaimsPage *self)
{
  g_autoptr(GtkStringList) kinds = any_list (_("Any kind"));
  g_autoptr(GtkStringList) statuses = any_list (_("Any status"));
  g_autoptr(GtkStringList) customers = any_list (_("Any customer"));
  g_autoptr(GtkStringList) owners = any_list (_("Anyone"));
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();
  g_autoptr(GtkExpression) expression = NULL;

  self->store = g_list_store_new (KL_TYPE_CLAIM_ITEM);
  self->filling = TRUE;
  gtk_widget_init_template (GTK_WIDGET (self));
  kl_gui_spin_only_when_shown (GTK_WIDGET (self));
  kl_claim_row_ensure_style (GTK_WIDGET (self));

  for (guint i = 0; i < KL_N_CLAIM_KINDS; i++)
    gtk_string_list_append (kinds, kl_claim_kind_to_label (i));
  for (guint i = 0; i < KL_N_CLAIM_STATUSES; i++)
    gtk_string_list_append (statuses, kl_claim_status_to_label (i));
  gtk_drop_down_set_model (self->kind_dropdown, G_LIST_MODEL (kinds));
  gtk_drop_down_set_model (self->status_dropdown, G_LIST_MODEL (statuses));
  gtk_drop_down_set_model (self->customer_dropdown, G_LIST_MODEL (customers));
  gtk_drop_down_set_model (self->owner_dropdown, G_LIST_MODEL (owners));
  expression = gtk_property_expression_new (GTK_TYPE_STRING_OBJECT, NULL, "string");
  gtk_drop_down_set_expression (self->customer_dropdown, expression);
  self->filling = FALSE;

  self->selection = gtk_single_selection_new (G_LIST_MODEL (g_object_ref (self->store)));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
  g_signal_connect (factory, "setup", G_CALLBACK (setup_row), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_row), NULL);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_row), NULL);
  gtk_list_view_set_factory (self->list_view, factory);
  gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (self->selection));

  g_signal_connect_object (self->selection, "notify::selected-item",
                           G_CALLBACK (selection_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->detail, "case-changed",
                           G_CALLBACK (detail_case_changed), self, G_CONNECT_SWAPPED);
  adw_leaflet_page_set_navigatable (adw_leaflet_get_page (self->leaflet, self->separator), FALSE);
  g_signal_connect_object (self->leaflet, "notify::folded",
                           G_CALLBACK (leaflet_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->leaflet, "notify::visible-child",
                           G_CALLBACK (leaflet_changed), self, G_CONNECT_SWAPPED);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "claims.new-case", FALSE);
  update_filter_bar (self);
  update_list_state (self);
}

GtkWidget *
kl_claims_page_new (void)
{
  return g_object_new (KL_TYPE_CLAIMS_PAGE, NULL);
}

void
kl_claims_page_set_worker (KlClaimsPage *self,
                           KlWorker     *worker)
{
  g_return_if_fail (KL_IS_CLAIMS_PAGE (self));
  g_return_if_fail (worker == NULL || KL_IS_WORKER (worker));

  if (!g_set_object (&self->worker, worker))
    return;
  kl_claim_detail_set_worker (self->detail, worker);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "claims.new-case", worker != NULL);
  reload (self);
  update_list_state (self);
}

void
kl_claims_page_refresh (KlClaimsPage *self)
{
  g_return_if_fail (KL_IS_CLAIMS_PAGE (self));

  self->refresh_detail = TRUE;
  reload (self);
}

void
kl_claims_page_show_case (KlClaimsPage *self,
                          const char   *claim_id)
{
  g_return_if_fail (KL_IS_CLAIMS_PAGE (self));
  g_return_if_fail (claim_id != NULL);

  g_free (self->wanted_id);
  self->wanted_id = g_strdup (claim_id);
  kl_claim_detail_set_claim_id (self->detail, claim_id);
  adw_leaflet_set_visible_child (self->leaflet, GTK_WIDGET (self->detail));
  select_wanted (self);
  reload (self);
}

void
kl_claims_page_new_case (KlClaimsPage *self,
                         const char   *customer_id,
                         const char   *waybill)
{
  GtkWidget *editor;
  GtkRoot *root;

  g_return_if_fail (KL_IS_CLAIMS_PAGE (self));

  if (self->worker == NULL)
    return;
  editor = kl_claim_editor_new (self->worker, customer_id, waybill);
  root = gtk_widget_get_root (GTK_WIDGET (self));
  if (GTK_IS_WINDOW (root))
    gtk_window_set_transient_for (GTK_WINDOW (editor), GTK_WINDOW (root));
  g_signal_connect_object (editor, "saved", G_CALLBACK (on_case_created), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (editor));
}

void
kl_claims_page_focus_search (KlClaimsPage *self)
{
  g_return_if_fail (KL_IS_CLAIMS_PAGE (self));

  adw_leaflet_set_visible_child (self->leaflet, self->list_pane);
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

gboolean
kl_claims_page_get_showing_detail (KlClaimsPage *self)
{
  g_return_val_if_fail (KL_IS_CLAIMS_PAGE (self), FALSE);
  return adw_leaflet_get_folded (self->leaflet) &&
         adw_leaflet_get_visible_child (self->leaflet) == GTK_WIDGET (self->detail);
}

void
kl_claims_page_show_list (KlClaimsPage *self)
{
  g_return_if_fail (KL_IS_CLAIMS_PAGE (self));
  adw_leaflet_set_visible_child (self->leaflet, self->list_pane);
}

GListModel *
kl_claims_page_get_model (KlClaimsPage *self)
{
  g_return_val_if_fail (KL_IS_CLAIMS_PAGE (self), NULL);
  return G_LIST_MODEL (self->store);
}

GtkWidget *
kl_claims_page_get_detail (KlClaimsPage *self)
{
  g_return_val_if_fail (KL_IS_CLAIMS_PAGE (self), NULL);
  return GTK_WIDGET (self->detail);
}

gboolean
kl_claims_page_get_loading (KlClaimsPage *self)
{
  g_return_val_if_fail (KL_IS_CLAIMS_PAGE (self), FALSE);
  return self->loading;
}

void
kl_claims_page_select (KlClaimsPage *self,
                       guint         position)
{
  g_return_if_fail (KL_IS_CLAIMS_PAGE (self));
  gtk_single_selection_set_selected (self->selection, position);
}
