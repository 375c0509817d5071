/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A customer's cases, read through the KlWorker in the store's order
 * (overdue first, then the nearest deadline), with a count of the open and
 * overdue ones in the group's description. */
#include "config.h"

#include <glib/gi18n.h>

#include "kl-customer-cases.h"
#include "kl-claim-row.h"
#include "kl-claim-store.h"

#define CLAIM_ID_KEY "kl-claim-id"

struct _KlCustomerCases {
  AdwBin               parent_instance;

  KlWorker            *worker;
  char                *customer_id;
  GCancellable        *cancellable;
  guint                n_cases;

  /* template */
  AdwPreferencesGroup *group;
  GtkListBox          *list;
};

G_DEFINE_FINAL_TYPE (KlCustomerCases, kl_customer_cases, ADW_TYPE_BIN)

enum { CASE_ACTIVATED, NEW_CASE, N_SIGNALS };
static guint signals[N_SIGNALS];

enum { PROP_0, PROP_CUSTOMER_ID, N_PROPS };
static GParamSpec *properties[N_PROPS];

typedef struct {
  GPtrArray *claims;
  GTimeZone *tz;
  gint64     now;
} LoadResult;

static void
load_result_free (LoadResult *r)
{
  g_clear_pointer (&r->claims, g_ptr_array_unref);
  g_clear_pointer (&r->tz, g_time_zone_unref);
  g_free (r);
}

static gpointer
load_job (KlDatabase   *db,
          gpointer      data,
          KlWorkerJob  *job,
          GError      **error)
{
  KlClaimFilter filter = KL_CLAIM_FILTER_INIT;
  LoadResult *r = g_new0 (LoadResult, 1);

  r->now = g_get_real_time () / G_USEC_PER_SEC;
  r->tz = g_time_zone_ref (kl_database_get_timezone (db));
  filter.customer_id = data;
  r->claims = kl_claim_store_list (db, &filter, r->now, error);
  if (r->claims == NULL)
    {
      load_result_free (r);
      return NULL;
    }
  return r;
}

static void
clear_rows (KlCustomerCases *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list))) != NULL)
    gtk_list_box_remove (self->list, child);
  self->n_cases = 0;
}

static gboolean
is_open (const KlClaim *c)
{
  return c->status != KL_CLAIM_STATUS_CLOSED && !kl_claim_status_is_final (c->kind, c->status);
}

static void
load_done (GObject      *source,
           GAsyncResult *res,
           gpointer      user_data)
{
  g_autoptr(KlCustomerCases) self = user_data;
  g_autoptr(GError) error = NULL;
  LoadResult *r = kl_worker_run_finish (self->worker, res, &error);
  g_autofree char *description = NULL;
  guint n_open = 0, n_overdue = 0;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
      g_error_matches (error, KL_DATABASE_ERROR, KL_DATABASE_ERROR_CANCELLED))
    return;
  clear_rows (self);
  if (r == NULL)
    {
      adw_preferences_group_set_description (self->group, error->message);
      return;
    }

  for (guint i = 0; i < r->claims->len; i++)
    {
      KlClaim *c = g_ptr_array_index (r->claims, i);
      g_autoptr(KlClaimItem) item = NULL;
      GtkWidget *row = gtk_list_box_row_new ();
      GtkWidget *claim_row = kl_claim_row_new ();

      n_open += is_open (c) ? 1 : 0;
      n_overdue += c->overdue ? 1 : 0;
      g_ptr_array_index (r->claims, i) = NULL;
      item = kl_claim_item_new (c, r->now, r->tz);
      kl_claim_row_set_item (KL_CLAIM_ROW (claim_row), item, FALSE);
      gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), claim_row);
      g_object_set_data_full (G_OBJECT (row), CLAIM_ID_KEY, g_strdup (c->id), g_free);
      gtk_list_box_append (self->list, row);
      self->n_cases++;
    }
  load_result_free (r);

  if (self->n_cases > 0)
    {
      /* Translators: %u counts cases, "5 cases" */
      g_autofree char *cases = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u case", "%u cases",
                                                             self->n_cases), self->n_cases);

      if (n_overdue > 0)
        /* Translators: a customer's cases, "5 cases · 2 open · 1 overdue" */
        description = g_strdup_printf (_("%s · %u open · %u overdue"), cases, n_open, n_overdue);
      else
        /* Translators: a customer's cases, "5 cases · 2 open" */
        description = g_strdup_printf (_("%s · %u open"), cases, n_open);
    }
  adw_preferences_group_set_description (self->group, description);
}

static void
reload (KlCustomerCases *self)
{
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "cases.new",
                                 self->worker != NULL && self->customer_id != NULL);

  if (self->worker == NULL || self->customer_id == NULL)
    {
      clear_rows (self);
      adw_preferences_group_set_description (self->group, NULL);
      return;
    }
  self->cancellable = g_cancellable_new ();
  kl_worker_run (self->worker, KL_WORKER_READ, load_job, g_strdup (self->customer_id), g_free,
                 (GDestroyNotify) load_result_free, NULL, NULL, self->cancellable,
                 load_done, g_object_ref (self));
}

static void
on_row_activated (KlCustomerCases *self,
                  GtkListBoxRow   *row)
{
  const char *id = g_object_get_data (G_OBJECT (row), CLAIM_ID_KEY);

  if (id != NULL)
    g_signal_emit (self, signals[CASE_ACTIVATED], 0, id);
}

static void
new_activate (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  KlCustomerCases *self = KL_CUSTOMER_CASES (widget);

  if (self->customer_id != NULL)
    g_signal_emit (self, signals[NEW_CASE], 0, self->customer_id);
}

static void
kl_customer_cases_dispose (GObject *object)
{
  KlCustomerCases *self = KL_CUSTOMER_CASES (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  /* The group is both AdwBin's child and a template child: let the bin
   * drop it first so neither unparents it twice. */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), KL_TYPE_CUSTOMER_CASES);
  G_OBJECT_CLASS (kl_customer_cases_parent_class)->dispose (object);
}

static void
kl_customer_cases_finalize (GObject *object)
{
  KlCustomerCases *self = KL_CUSTOMER_CASES (object);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->worker);
  g_free (self->customer_id);
  G_OBJECT_CLASS (kl_customer_cases_parent_class)->finalize (object);
}

static void
kl_customer_cases_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  KlCustomerCases *self = KL_CUSTOMER_CASES (object);

  switch (prop_id)
    {
    case PROP_CUSTOMER_ID:
      g_value_set_string (value, self->customer_id);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kl_customer_cases_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  KlCustomerCases *self = KL_CUSTOMER_CASES (object);

  switch (prop_id)
    {
    case PROP_CUSTOMER_ID:
      kl_customer_cases_set_customer_id (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kl_customer_cases_class_init (KlCustomerCasesClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = kl_customer_cases_dispose;
  object_class->finalize = kl_customer_cases_finalize;
  object_class->get_property = kl_customer_cases_get_property;
  object_class->set_property = kl_customer_cases_set_property;

  properties[PROP_CUSTOMER_ID] =
    g_param_spec_string ("customer-id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * KlCustomerCases::case-activated:
   * @claim_id: the case's id
   *
   * A case of the list was activated (clicked, or Enter on it).
   */
  signals[CASE_ACTIVATED] =
    g_signal_new ("case-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  /**
   * KlCustomerCases::new-case:
   * @customer_id: the customer shown
   *
   * The New Case button was pressed.
   */
  signals[NEW_CASE] =
    g_signal_new ("new-case", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/keyline/Keyline/kl-customer-cases.ui");
  gtk_widget_class_bind_template_child (widget_class, KlCustomerCases, group);
  gtk_widget_class_bind_template_child (widget_class, KlCustomerCases, list);
  gtk_widget_class_bind_template_callback (widget_class, on_row_activated);
  gtk_widget_class_install_action (widget_class, "cases.new", NULL, new_activate);
  gtk_widget_class_set_css_name (widget_class, "customercases");
}

static void
kl_customer_cases_init (KlCustomerCases *self)
{
  g_autofree char *title = g_markup_escape_text (_("Claims & Returns"), -1);

  gtk_widget_init_template (GTK_WIDGET (self));
  kl_claim_row_ensure_style (GTK_WIDGET (self));
  /* The group's title is markup. */
  adw_preferences_group_set_title (self->group, title);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "cases.new", FALSE);
}

GtkWidget *
kl_customer_cases_new (void)
{
  return g_object_new (KL_TYPE_CUSTOMER_CASES, NULL);
}

void
kl_customer_cases_set_worker (KlCustomerCases *self,
                              KlWorker        *worker)
{
  g_return_if_fail (KL_IS_CUSTOMER_CASES (self));
  g_return_if_fail (worker == NULL || KL_IS_WORKER (worker));

  if (g_set_object (&self->worker, worker))
    reload (self);
}

void
kl_customer_cases_set_customer_id (KlCustomerCases *self,
                                   const char      *customer_id)
{
  g_return_if_fail (KL_IS_CUSTOMER_CASES (self));

  if (g_strcmp0 (self->customer_id, customer_id) == 0)
    return;
  g_free (self->customer_id);
  self->customer_id = g_strdup (customer_id);
  clear_rows (self);
  reload (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CUSTOMER_ID]);
}

void
kl_customer_cases_refresh (KlCustomerCases *self)
{
  g_return_if_fail (KL_IS_CUSTOMER_CASES (self));
  reload (self);
}

guint
kl_customer_cases_get_n_cases (KlCustomerCases *self)
{
  g_return_val_if_fail (KL_IS_CUSTOMER_CASES (self), 0);
  return self->n_cases;
}
