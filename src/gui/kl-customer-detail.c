/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The customer detail: overview, contacts, agreements and activity log of one
 * account. Every read and write runs on the KlWorker; a change reloads the
 * whole pane from the database.
 *
 * Deleting a contact, agreement or activity deletes it at once and keeps a
 * copy; Undo in the toast saves the copy again under the same id (and, for a
 * contact, links back the activities that named it). So the database always
 * holds what the window last showed: closing the app while the toast is up
 * leaves the record deleted, never half done. Customers are soft-deleted and
 * restored by the store. */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "kl-customer-detail.h"
#include "kl-gui-util.h"
#include "kl-customer-editor.h"
#include "kl-contact-editor.h"
#include "kl-agreement-editor.h"
#include "kl-activity-editor.h"
#include "kl-contact-row.h"
#include "kl-activity-row.h"
#include "kl-kpi-tiles.h"
#include "kl-customer-cases.h"
#include "kl-chart-widget.h"
#include "kl-customer-store.h"
#include "kl-contact-store.h"
#include "kl-agreement-store.h"
#include "kl-activity-store.h"
#include "kl-rollup-series.h"

#define N_MONTHS 12
#define RECORD_ID_KEY "kl-record-id"
#define DELETE_ACTION_KEY "kl-delete-action"

struct _KlCustomerDetail {
  AdwBin         parent_instance;

  KlWorker      *worker;
  char          *customer_id;
  GCancellable  *load_cancellable;
  GCancellable  *cancellable;       /* writes; cancelled on dispose only */

  KlCustomer    *customer;
  GPtrArray     *contacts;
  GPtrArray     *agreements;
  GPtrArray     *activities;
  int            first_month;       /* yyyymm of the chart's first bar */
  gint64         shipments[N_MONTHS];

  GHashTable    *undos;             /* token → Change */
  guint          undo_serial;

  AdwToastOverlay *toast_overlay;
  GtkStack      *main_stack;
  AdwStatusPage *error_page;
  GtkLabel      *name_label;
  GtkLabel      *subtitle_label;
  AdwViewStack  *view_stack;
  KlKpiTiles    *kpi_tiles;
  KlCustomerCases *customer_cases;
  GtkDrawingArea *chart;
  GtkLabel      *chart_caption;
  GtkMenuButton *chart_table_button;
  GtkLabel      *code_value;
  GtkLabel      *legal_name_value;
  GtkLabel      *kind_value;
  GtkLabel      *channel_value;
  GtkLabel      *industry_value;
  GtkLabel      *region_value;
  GtkLabel      *address_value;
  GtkLabel      *manager_value;
  GtkLabel      *relationship_value;
  GtkLabel      *status_value;
  GtkWidget     *lost_row;
  GtkLabel      *lost_value;
  GtkLabel      *abc_value;
  GtkLabel      *language_value;
  GtkLabel      *agreement_value;
  GtkLabel      *shipment_count_value;
  GtkFlowBox    *tags_box;
  GtkWidget     *no_tags_label;
  GtkLabel      *notes_label;
  GtkListBox    *contacts_list;
  GtkListBox    *agreements_list;
  GtkListBox    *activities_list;
};

G_DEFINE_FINAL_TYPE (KlCustomerDetail, kl_customer_detail, ADW_TYPE_BIN)

enum { CUSTOMER_CHANGED, NEW_CASE, CASE_ACTIVATED, N_SIGNALS };
static guint signals[N_SIGNALS];

enum { PROP_0, PROP_CUSTOMER_ID, N_PROPS };
static GParamSpec *properties[N_PROPS];

static void reload (KlCustomerDetail *self);

/* Loading */

typedef struct {
  char *customer_id;
  int   first_month;
} LoadRequest;

typedef struct {
  KlCustomer  *customer;
  GPtrArray   *contacts;
  GPtrArray   *agreements;
  GPtrArray   *activities;
  KlAgreement *in_force;
  gint64       shipment_count;
  gint64       shipments[N_MONTHS];
} LoadResult;

static void
load_request_free (LoadRequest *request)
{
  g_free (request->customer_id);
  g_free (request);
}

static void
load_result_free (LoadResult *result)
{
  g_clear_pointer (&result->customer, kl_customer_free);
  g_clear_pointer (&result->contacts, g_ptr_array_unref);
  g_clear_pointer (&result->agreements, g_ptr_array_unref);
  g_clear_pointer (&result->activities, g_ptr_array_unref);
  g_clear_pointer (&result->in_force, kl_agreement_free);
  g_free (result);
}

static gpointer
load_job (KlDatabase   *db,
          gpointer      data,
          KlWorkerJob  *job,
          GError      **error)
{
  LoadRequest *request = data;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *today = g_date_time_format (now, "%Y-%m-%d");
  LoadResult *result = g_new0 (LoadResult, 1);

  result->customer = kl_customer_store_get (db, request->customer_id, error);
  if (result->customer == NULL)
    goto fail;
  result->contacts = kl_contact_store_list (db, request->customer_id, error);
  if (result->contacts == NULL)
    goto fail;
  result->agreements = kl_agreement_store_list (db, request->customer_id, error);
  if (result->agreements == NULL)
    goto fail;
  result->activities = kl_activity_store_list (db, request->customer_id, error);
  if (result->activities == NULL)
    goto fail;
  result->in_force = kl_agreement_store_in_force (db, request->customer_id, today, error);
  if (*error != NULL)
    goto fail;
  result->shipment_count = kl_customer_store_shipment_count (db, request->customer_id, error);
  if (*error != NULL)
    goto fail;
  if (!kl_rollup_series_shipments (db, request->customer_id, request->first_month, N_MONTHS,
                                   result->shipments, error))
    goto fail;
  return result;

fail:
  load_result_free (result);
  return NULL;
}

/* Showing */

static void
set_value (GtkLabel   *label,
           const char *text)
{
  gtk_label_set_text (label, text != NULL && *text != '\0' ? text : "—");
}

static char *
period_text (const KlAgreement *a)
{
  if (a->effective_to == NULL)
    /* Translators: an agreement's period without an end, "from 2026-01-01" */
    return g_strdup_printf (_("from %s"), a->effective_from);
  /* Translators: an agreement's period, "2026-01-01 – 2026-12-31" */
  return g_strdup_printf (_("%s – %s"), a->effective_from, a->effective_to);
}

static void
show_overview (KlCustomerDetail *self,
               LoadResult       *result)
{
  const KlCustomer *c = self->customer;
  g_autofree char *subtitle = NULL;
  g_autofree char *abc = NULL;
  g_autofree char *count = NULL;
  GtkWidget *child;

  gtk_label_set_text (self->name_label, c->name);
  /* Translators: under the customer's name, "ACME-01 · Active" */
  subtitle = g_strdup_printf (_("%s · %s"), c->code, kl_customer_status_to_label (c->status));
  gtk_label_set_text (self->subtitle_label, subtitle);

  set_value (self->code_value, c->code);
  set_value (self->legal_name_value, c->legal_name);
  set_value (self->kind_value, kl_customer_kind_to_label (c->kind));
  set_value (self->channel_value, kl_channel_to_label (c->channel));
  set_value (self->industry_value, c->industry);
  set_value (self->region_value, c->region);
  set_value (self->address_value, c->address);
  set_value (self->manager_value, c->account_manager);
  set_value (self->relationship_value, kl_relationship_to_label (c->relationship));
  set_value (self->status_value, kl_customer_status_to_label (c->status));

  gtk_widget_set_visible (self->lost_row, c->status == KL_CUSTOMER_STATUS_LOST);
  if (c->status == KL_CUSTOMER_STATUS_LOST)
    {
      g_autofree char *lost = NULL;

      if (c->lost_date != NULL && c->lost_reason != NULL)
        /* Translators: when and why a customer was lost, "2026-10-31: moved to a competitor" */
        lost = g_strdup_printf (_("%s: %s"), c->lost_date, c->lost_reason);
      else
        lost = g_strdup (c->lost_date ? c->lost_date : c->lost_reason);
      set_value (self->lost_value, lost);
    }

  if (c->abc_override != KL_ABC_NONE && c->abc_class != KL_ABC_NONE && c->abc_override != c->abc_class)
    /* Translators: an ABC class set by hand, with the computed one, "A (set by hand; computed: B)" */
    abc = g_strdup_printf (_("%s (set by hand; computed: %s)"),
                           kl_abc_class_to_label (c->abc_override), kl_abc_class_to_label (c->abc_class));
  else if (c->abc_override != KL_ABC_NONE)
    abc = g_strdup_printf (_("%s (set by hand)"), kl_abc_class_to_label (c->abc_override));
  else if (c->abc_class != KL_ABC_NONE)
    abc = g_strdup_printf (_("%s (computed)"), kl_abc_class_to_label (c->abc_class));
  else
    abc = g_strdup (_("Not computed yet"));
  set_value (self->abc_value, abc);
  set_value (self->language_value,
             g_strcmp0 (c->report_language, "en") == 0 ? _("English") : _("Chinese (Simplified)"));

  if (result->in_force != NULL)
    {
      g_autofree char *period = period_text (result->in_force);
      set_value (self->agreement_value, period);
    }
  else
    set_value (self->agreement_value, _("None"));
  count = g_strdup_printf ("%" G_GINT64_FORMAT, result->shipment_count);
  set_value (self->shipment_count_value, count);

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->tags_box))) != NULL)
    gtk_flow_box_remove (self->tags_box, child);
  for (guint i = 0; c->tags != NULL && c->tags[i]; i++)
    {
      GtkWidget *pill = gtk_label_new (c->tags[i]);

      gtk_widget_add_css_class (pill, "tag-pill");
      gtk_flow_box_append (self->tags_box, pill);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->tags_box), c->tags != NULL && c->tags[0] != NULL);
  gtk_widget_set_visible (self->no_tags_label, c->tags == NULL || c->tags[0] == NULL);
  gtk_label_set_text (self->notes_label, c->notes ? c->notes : _("No notes"));
  if (c->notes == NULL)
    gtk_widget_add_css_class (GTK_WIDGET (self->notes_label), "dim-label");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->notes_label), "dim-label");
}

/* The chart's figures as a table, for screen readers and exact numbers. */
static void
update_chart_table (KlCustomerDetail *self)
{
  g_autoptr(GPtrArray) labels = g_ptr_array_new_with_free_func (g_free);
  double values[N_MONTHS];
  GtkWidget *chart = kl_chart_widget_new (KL_CHART_WIDGET_BARS);

  g_object_ref_sink (chart);
  for (int i = 0; i < N_MONTHS; i++)
    {
      int month = kl_rollup_series_month (self->first_month, i);

      g_ptr_array_add (labels, g_strdup_printf ("%04d-%02d", month / 100, month % 100));
      values[i] = (double) self->shipments[i];
    }
  g_ptr_array_add (labels, NULL);
  kl_chart_widget_set_title (KL_CHART_WIDGET (chart), _("Shipments per month, last 12 months"));
  kl_chart_widget_set_data (KL_CHART_WIDGET (chart), (const char * const *) labels->pdata,
                            values, N_MONTHS, KL_CHART_FORMAT_COUNT);

  gtk_menu_button_set_popover (self->chart_table_button,
                               kl_chart_widget_create_table_popover (KL_CHART_WIDGET (chart)));
  g_object_unref (chart);
}

static void
show_chart (KlCustomerDetail *self)
{
  g_autoptr(GString) description = g_string_new (NULL);
  g_autofree char *caption = NULL;
  gint64 total = 0;
  int busiest = -1;

  for (int i = 0; i < N_MONTHS; i++)
    {
      int month = kl_rollup_series_month (self->first_month, i);

      total += self->shipments[i];
      if (self->shipments[i] > 0 && (busiest < 0 || self->shipments[i] > self->shipments[busiest]))
        busiest = i;
      /* Translators: one month of the shipment chart for screen readers, "2026-03: 150" */
      g_string_append_printf (description, _("%04d-%02d: %lld; "),
                              month / 100, month % 100, (long long) self->shipments[i]);
    }
  if (busiest < 0)
    caption = g_strdup (_("No shipments in the last 12 months"));
  else
    {
      int month = kl_rollup_series_month (self->first_month, busiest);

      /* Translators: under the chart, "1234 shipments in 12 months; busiest month 2026-03 (150)" */
      /* Literal %lld rather than G_GINT64_FORMAT: xgettext cannot expand macros. */
      caption = g_strdup_printf (ngettext ("%lld shipment in 12 months; busiest month %04d-%02d (%lld)",
                                           "%lld shipments in 12 months; busiest month %04d-%02d (%lld)",
                                           (unsigned long) total),
                                 (long long) total, month / 100, month % 100,
                                 (long long) self->shipments[busiest]);
    }
  gtk_label_set_text (self->chart_caption, caption);
  update_chart_table (self);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->chart),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Shipments per month, last 12 months"),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, description->str,
                                  -1);
  gtk_widget_queue_draw (GTK_WIDGET (self->chart));
}

static void
draw_chart (GtkDrawingArea *area,
            cairo_t        *cr,
            int             width,
            int             height,
            gpointer        user_data)
{
  KlCustomerDetail *self = user_data;
  GtkStyleContext *style = gtk_widget_get_style_context (GTK_WIDGET (area));
  g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (GTK_WIDGET (area), NULL);
  GdkRGBA fg, accent;
  gint64 max = 0;
  int label_height, plot_height;
  double slot, bar;

  gtk_style_context_get_color (style, &fg);
  if (!gtk_style_context_lookup_color (style, "accent_color", &accent))
    accent = fg;

  for (int i = 0; i < N_MONTHS; i++)
    max = MAX (max, self->shipments[i]);

  pango_layout_set_text (layout, "0", -1);
  pango_layout_get_pixel_size (layout, NULL, &label_height);
  plot_height = height - label_height - 6;
  if (plot_height < 8)
    return;
  slot = (double) width / N_MONTHS;
  bar = MAX (2.0, slot * 0.6);

  /* Baseline */
  cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, fg.alpha * 0.25);
  cairo_rectangle (cr, 0, plot_height, width, 1);
  cairo_fill (cr);

  for (int i = 0; i < N_MONTHS; i++)
    {
      int month = kl_rollup_series_month (self->first_month, i);
      double x = i * slot + (slot - bar) / 2;
      double h = max > 0 ? (double) self->shipments[i] / max * (plot_height - 4) : 0;
      g_autofree char *month_label = g_strdup_printf ("%d", month % 100);
      int lw;

      /* The current month is still running: draw it lighter. */
      cairo_set_source_rgba (cr, accent.red, accent.green, accent.blue,
                             accent.alpha * (i == N_MONTHS - 1 ? 0.45 : 1.0));
      if (h > 0)
        {
          cairo_rectangle (cr, x, plot_height - h, bar, h);
          cairo_fill (cr);
        }

      if (slot >= label_height * 1.2 || i % 2 == 1)
        {
          pango_layout_set_text (layout, month_label, -1);
          pango_layout_get_pixel_size (layout, &lw, NULL);
          cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, fg.alpha * 0.6);
          cairo_move_to (cr, i * slot + (slot - lw) / 2, plot_height + 4);
          pango_cairo_show_layout (cr, layout);
        }
    }
}

static GtkWidget *
new_icon_button (const char *icon_name,
                 const char *action_name,
                 const char *target,
                 const char *label)
{
  GtkWidget *button = g_object_new (GTK_TYPE_BUTTON,
                                    "icon-name", icon_name,
                                    "valign", GTK_ALIGN_CENTER,
                                    "tooltip-text", label,
                                    NULL);

  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), action_name);
  gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", target);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
  gtk_widget_add_css_class (button, "flat");
  return button;
}

static GtkWidget *
new_agreement_row (const KlAgreement *a,
                   const char        *today)
{
  GtkWidget *row = adw_expander_row_new ();
  g_autofree char *period = period_text (a);
  g_autofree char *escaped = g_markup_escape_text (period, -1);
  g_autofree char *details = NULL;
  g_autofree char *subtitle = NULL;
  const char *state;
  guint n_targets = 0;

  if (strcmp (a->effective_from, today) > 0)
    state = _("Upcoming");
  else if (a->effective_to != NULL && strcmp (a->effective_to, today) < 0)
    state = _("Ended");
  else
    state = _("In force");

  /* Translators: an agreement's grace minutes and claim deadlines */
  details = g_strdup_printf (_("Grace: dispatch %d min, delivery %d min · Claims: acknowledge in %d days, resolve in %d days"),
                             a->dispatch_grace_min, a->delivery_grace_min,
                             a->claim_ack_days, a->claim_resolve_days);
  subtitle = g_strdup_printf ("%s · %s", state, details);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), escaped);
  g_clear_pointer (&escaped, g_free);
  escaped = g_markup_escape_text (subtitle, -1);
  adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (row), escaped);

  /* Actions are packed from the end: delete goes rightmost, as in the other lists. */
  adw_expander_row_add_action (ADW_EXPANDER_ROW (row),
                               new_icon_button ("user-trash-symbolic", "agreement.delete", a->id,
                                                _("Delete Agreement")));
  adw_expander_row_add_action (ADW_EXPANDER_ROW (row),
                               new_icon_button ("document-edit-symbolic", "agreement.edit", a->id,
                                                _("Edit Agreement")));

  for (guint r = 0; r < KL_N_RATES; r++)
    {
      GtkWidget *target_row;
      g_autofree char *value = NULL;

      if (isnan (a->targets[r]))
        continue;
      n_targets++;
      target_row = adw_action_row_new ();
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (target_row), kl_rate_to_label (r));
      /* Translators: a target as a percentage with one decimal, "98.5 %" */
      value = g_strdup_printf (_("%.1f %%"), a->targets[r] * 100.0);
      adw_action_row_add_suffix (ADW_ACTION_ROW (target_row), gtk_label_new (value));
      adw_expander_row_add_row (ADW_EXPANDER_ROW (row), target_row);
    }
  if (n_targets == 0)
    {
      GtkWidget *none = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (none), _("No targets set"));
      adw_expander_row_add_row (ADW_EXPANDER_ROW (row), none);
    }
  return row;
}

static void
clear_list (GtkListBox *list)
{
  GtkWidget *child;

  /* The placeholder is not a child, so this leaves it in place. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (list))) != NULL)
    gtk_list_box_remove (list, child);
}

static void
append_row (GtkListBox *list,
            GtkWidget  *row,
            const char *id)
{
  g_object_set_data_full (G_OBJECT (row), RECORD_ID_KEY, g_strdup (id), g_free);
  gtk_list_box_append (list, row);
}

static void
show_lists (KlCustomerDetail *self)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *today = g_date_time_format (now, "%Y-%m-%d");
  gint64 now_seconds = g_date_time_to_unix (now);

  clear_list (self->contacts_list);
  for (guint i = 0; i < self->contacts->len; i++)
    {
      const KlContact *c = g_ptr_array_index (self->contacts, i);
      append_row (self->contacts_list, kl_contact_row_new (c), c->id);
    }
  clear_list (self->agreements_list);
  for (guint i = 0; i < self->agreements->len; i++)
    {
      const KlAgreement *a = g_ptr_array_index (self->agreements, i);
      append_row (self->agreements_list, new_agreement_row (a, today), a->id);
    }
  clear_list (self->activities_list);
  for (guint i = 0; i < self->activities->len; i++)
    {
      const KlActivity *a = g_ptr_array_index (self->activities, i);
      append_row (self->activities_list, kl_activity_row_new (a, now_seconds), a->id);
    }
}

static void
update_actions (KlCustomerDetail *self)
{
  gboolean live = self->customer != NULL && !self->customer->deleted;
  static const char *const live_actions[] = {
    "customer.edit", "customer.delete",
    "contact.add", "contact.edit", "contact.delete",
    "agreement.add", "agreement.edit", "agreement.delete",
    "activity.add", "activity.edit", "activity.delete", "activity.toggle-done",
  };

  for (guint i = 0; i < G_N_ELEMENTS (live_actions); i++)
    gtk_widget_action_set_enabled (GTK_WIDGET (self), live_actions[i], live);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "customer.restore",
                                 self->customer != NULL && self->customer->deleted);
}

static void
clear_records (KlCustomerDetail *self)
{
  g_clear_pointer (&self->customer, kl_customer_free);
  g_clear_pointer (&self->contacts, g_ptr_array_unref);
  g_clear_pointer (&self->agreements, g_ptr_array_unref);
  g_clear_pointer (&self->activities, g_ptr_array_unref);
}

static void
load_done (GObject      *source,
           GAsyncResult *res,
           gpointer      user_data)
{
  g_autoptr(KlCustomerDetail) self = user_data;
  g_autoptr(GError) error = NULL;
  LoadResult *result = kl_worker_run_finish (self->worker, res, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
      g_error_matches (error, KL_DATABASE_ERROR, KL_DATABASE_ERROR_CANCELLED))
    return;

  clear_records (self);
  if (result == NULL)
    {
      g_autofree char *escaped = error ? g_markup_escape_text (error->message, -1) : NULL;

      /* Status page descriptions are Pango markup. */
      adw_status_page_set_description (self->error_page, escaped);
      gtk_stack_set_visible_child_name (self->main_stack, "error");
      update_actions (self);
      return;
    }

  self->customer = g_steal_pointer (&result->customer);
  self->contacts = g_steal_pointer (&result->contacts);
  self->agreements = g_steal_pointer (&result->agreements);
  self->activities = g_steal_pointer (&result->activities);
  memcpy (self->shipments, result->shipments, sizeof self->shipments);

  show_overview (self, result);
  show_chart (self);
  show_lists (self);
  load_result_free (result);

  gtk_stack_set_visible_child_name (self->main_stack, self->customer->deleted ? "deleted" : "customer");
  update_actions (self);
}

static void
reload (KlCustomerDetail *self)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  LoadRequest *request;

  g_cancellable_cancel (self->load_cancellable);
  g_clear_object (&self->load_cancellable);

  if (self->customer_id == NULL || self->worker == NULL)
    {
      clear_records (self);
      gtk_stack_set_visible_child_name (self->main_stack, "empty");
      update_actions (self);
      return;
    }

  /* A different customer: do not leave the previous one on screen. */
  if (self->customer == NULL || g_strcmp0 (self->customer->id, self->customer_id) != 0)
    {
      clear_records (self);
      update_actions (self);
      gtk_stack_set_visible_child_name (self->main_stack, "loading");
    }

  self->first_month = kl_rollup_series_month (g_date_time_get_year (now) * 100 + g_date_time_get_month (now),
                                 -(N_MONTHS - 1));
  request = g_new0 (LoadRequest, 1);
  request->customer_id = g_strdup (self->customer_id);
  request->first_month = self->first_month;
  self->load_cancellable = g_cancellable_new ();
  kl_worker_run (self->worker, KL_WORKER_READ, load_job, request, (GDestroyNotify) load_request_free,
                 (GDestroyNotify) load_result_free, NULL, NULL, self->load_cancellable,
                 load_done, g_object_ref (self));
}

/* Changes: deletes, their undo, and the done toggle */

typedef enum {
  CHANGE_DELETE_CUSTOMER,
  CHANGE_RESTORE_CUSTOMER,
  CHANGE_DELETE_CONTACT,
  CHANGE_RESTORE_CONTACT,
  CHANGE_DELETE_AGREEMENT,
  CHANGE_RESTORE_AGREEMENT,
  CHANGE_DELETE_ACTIVITY,
  CHANGE_RESTORE_ACTIVITY,
  CHANGE_TOGGLE_DONE,
} ChangeKind;

typedef struct {
  ChangeKind  kind;
  char       *customer_id;
  char       *id;
  char       *label;       /* names the record in toasts */
  gpointer    record;      /* a copy to save again on undo */
  GStrv       linked;      /* activities that named a deleted contact */
} Change;

static void
change_free (Change *change)
{
  g_free (change->customer_id);
  g_free (change->id);
  g_free (change->label);
  if (change->record != NULL)
    switch (change->kind)
      {
      case CHANGE_DELETE_CONTACT:
      case CHANGE_RESTORE_CONTACT:
        kl_contact_free (change->record);
        break;
      case CHANGE_DELETE_AGREEMENT:
      case CHANGE_RESTORE_AGREEMENT:
        kl_agreement_free (change->record);
        break;
      case CHANGE_DELETE_ACTIVITY:
      case CHANGE_RESTORE_ACTIVITY:
        kl_activity_free (change->record);
        break;
      case CHANGE_DELETE_CUSTOMER:
      case CHANGE_RESTORE_CUSTOMER:
      case CHANGE_TOGGLE_DONE:
      default:
        break;
      }
  g_strfreev (change->linked);
  g_free (change);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Change, change_free)

/* Runs on the worker; fills in what undo needs. Returns the change itself
 * (the caller keeps ownership; data_free is NULL). */
static gpointer
change_job (KlDatabase   *db,
            gpointer      data,
            KlWorkerJob  *job,
            GError      **error)
{
  Change *change = data;
  gboolean ok = FALSE;

  switch (change->kind)
    {
    case CHANGE_DELETE_CUSTOMER:
      ok = kl_customer_store_delete (db, change->id, error);
      break;
    case CHANGE_RESTORE_CUSTOMER:
      ok = kl_customer_store_restore (db, change->id, error);
      break;
    case CHANGE_DELETE_CONTACT:
      g_strfreev (change->linked);
      change->linked = kl_activity_store_naming_contact (db, change->id, error);
      ok = change->linked != NULL && kl_contact_store_delete (db, change->id, error);
      break;
    case CHANGE_RESTORE_CONTACT:
      ok = kl_contact_store_save (db, change->record, error) &&
           kl_activity_store_relink_contact (db, change->id,
                                             (const char * const *) change->linked, error);
      break;
    case CHANGE_DELETE_AGREEMENT:
      ok = kl_agreement_store_delete (db, change->id, error);
      break;
    case CHANGE_RESTORE_AGREEMENT:
      ok = kl_agreement_store_save (db, change->record, error);
      break;
    case CHANGE_DELETE_ACTIVITY:
      ok = kl_activity_store_delete (db, change->id, error);
      break;
    case CHANGE_RESTORE_ACTIVITY:
      ok = kl_activity_store_save (db, change->record, error);
      break;
    case CHANGE_TOGGLE_DONE:
      {
        g_autoptr(KlActivity) a = kl_activity_store_get (db, change->id, error);

        if (a != NULL)
          {
            a->done = !a->done;
            ok = kl_activity_store_save (db, a, error);
          }
      }
      break;
    default:
      g_assert_not_reached ();
    }
  return ok ? change : NULL;
}

typedef struct {
  KlCustomerDetail *self;
  Change           *change;
} ChangeCall;

static void change_done (GObject *source, GAsyncResult *res, gpointer user_data);

static void
run_change (KlCustomerDetail *self,
            Change           *change)
{
  ChangeCall *call = g_new0 (ChangeCall, 1);

  call->self = g_object_ref (self);
  call->change = change;
  kl_worker_run (self->worker, KL_WORKER_WRITE, change_job, change, NULL, NULL,
                 NULL, NULL, self->cancellable, change_done, call);
}

static void
on_toast_dismissed (AdwToast         *toast,
                    KlCustomerDetail *self)
{
  const char *token = g_object_get_data (G_OBJECT (toast), "kl-undo-token");

  if (token != NULL && self->undos != NULL)
    g_hash_table_remove (self->undos, token);
}

static void
offer_undo (KlCustomerDetail *self,
            Change           *change,
            const char       *title)
{
  AdwToast *toast = adw_toast_new (title);
  char *token = g_strdup_printf ("%u", ++self->undo_serial);

  adw_toast_set_button_label (toast, _("_Undo"));
  adw_toast_set_action_name (toast, "detail.undo");
  adw_toast_set_action_target (toast, "s", token);
  adw_toast_set_timeout (toast, 8);
  /* The newest deletion is the one people want to take back. */
  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  g_object_set_data_full (G_OBJECT (toast), "kl-undo-token", g_strdup (token), g_free);
  g_signal_connect_object (toast, "dismissed", G_CALLBACK (on_toast_dismissed), self, 0);
  g_hash_table_insert (self->undos, token, change);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static void
show_toast (KlCustomerDetail *self,
            const char       *title)
{
  g_autofree char *escaped = g_markup_escape_text (title, -1);
  AdwToast *t = adw_toast_new (escaped);

  adw_toast_set_timeout (t, 8);
  adw_toast_overlay_add_toast (self->toast_overlay, t);
}

static void
change_done (GObject      *source,
             GAsyncResult *res,
             gpointer      user_data)
{
  ChangeCall *call = user_data;
  g_autoptr(KlCustomerDetail) self = call->self;
  g_autoptr(Change) change = call->change;
  g_autoptr(GError) error = NULL;
  g_autofree char *title = NULL;
  g_autofree char *label = NULL;

  g_free (call);
  kl_worker_run_finish (self->worker, res, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
      g_error_matches (error, KL_DATABASE_ERROR, KL_DATABASE_ERROR_CANCELLED))
    return;

  if (error != NULL)
    {
      show_toast (self, error->message);
      reload (self);
      return;
    }

  /* Toast titles are Pango markup. */
  label = change->label ? g_markup_escape_text (change->label, -1) : g_strdup ("");
  switch (change->kind)
    {
    case CHANGE_DELETE_CUSTOMER:
      title = g_strdup_printf (_("Customer “%s” deleted"), label);
      change->kind = CHANGE_RESTORE_CUSTOMER;
      break;
    case CHANGE_DELETE_CONTACT:
      title = g_strdup_printf (_("Contact “%s” deleted"), label);
      change->kind = CHANGE_RESTORE_CONTACT;
      break;
    case CHANGE_DELETE_AGREEMENT:
      title = g_strdup_printf (_("Agreement %s deleted"), label);
      change->kind = CHANGE_RESTORE_AGREEMENT;
      break;
    case CHANGE_DELETE_ACTIVITY:
      title = g_strdup_printf (_("Activity “%s” deleted"), label);
      change->kind = CHANGE_RESTORE_ACTIVITY;
      break;
    case CHANGE_RESTORE_CUSTOMER:
    case CHANGE_RESTORE_CONTACT:
    case CHANGE_RESTORE_AGREEMENT:
    case CHANGE_RESTORE_ACTIVITY:
    case CHANGE_TOGGLE_DONE:
    default:
      break;
    }

  /* A deleted customer has just turned into its undo (restore) above. */
  if (change->kind == CHANGE_RESTORE_CUSTOMER)
    g_signal_emit (self, signals[CUSTOMER_CHANGED], 0, change->id);
  if (g_strcmp0 (change->customer_id, self->customer_id) == 0)
    reload (self);
  if (title != NULL)
    offer_undo (self, g_steal_pointer (&change), title);
}

/* Editors */

static void
present_editor (KlCustomerDetail *self,
                GtkWidget        *editor,
                GCallback         on_saved)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (GTK_IS_WINDOW (root))
    gtk_window_set_transient_for (GTK_WINDOW (editor), GTK_WINDOW (root));
  g_signal_connect_object (editor, "saved", on_saved, self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (editor));
}

static void
on_customer_saved (KlCustomerDetail *self,
                   const char       *id)
{
  if (g_strcmp0 (id, self->customer_id) == 0)
    reload (self);
  g_signal_emit (self, signals[CUSTOMER_CHANGED], 0, id);
}

static void
on_record_saved (KlCustomerDetail *self,
                 const char       *id)
{
  reload (self);
}

static gpointer
find_record (GPtrArray  *records,
             const char *id)
{
  /* Every record type starts with its id. */
  for (guint i = 0; records != NULL && i < records->len; i++)
    {
      char **record_id = g_ptr_array_index (records, i);

      if (g_strcmp0 (*record_id, id) == 0)
        return record_id;
    }
  return NULL;
}

static void
customer_edit (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  KlCustomerDetail *self = KL_CUSTOMER_DETAIL (widget);

  if (self->customer == NULL)
    return;
  present_editor (self, kl_customer_editor_new (self->worker, self->customer->id),
                  G_CALLBACK (on_customer_saved));
}

static void
customer_delete (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  KlCustomerDetail *self = KL_CUSTOMER_DETAIL (widget);
  Change *change;

  if (self->customer == NULL)
    return;
  change = g_new0 (Change, 1);
  change->kind = CHANGE_DELETE_CUSTOMER;
  change->customer_id = g_strdup (self->customer->id);
  change->id = g_strdup (self->customer->id);
  change->label = g_strdup (self->customer->name);
  run_change (self, change);
}

static void
customer_restore (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  KlCustomerDetail *self = KL_CUSTOMER_DETAIL (widget);
  Change *change;

  if (self->customer == NULL)
    return;
  change = g_new0 (Change, 1);
  change->kind = CHANGE_RESTORE_CUSTOMER;
  change->customer_id = g_strdup (self->customer->id);
  change->id = g_strdup (self->customer->id);
  run_change (self, change);
}

static void
contact_add (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  KlCustomerDetail *self = KL_CUSTOMER_DETAIL (widget);

  if (self->customer != NULL)
    present_editor (self, kl_contact_editor_new (self->worker, self->customer->id, NULL),
                    G_CALLBACK (on_record_saved));
}

static void
contact_edit (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  KlCustomerDetail *self = KL_CUSTOMER_DETAIL (widget);
  KlContact *c = find_record (self->contacts, g_variant_get_string (parameter, NULL));

  if (c != NULL)
    present_editor (self, kl_contact_editor_new (self->worker, self->customer->id, c),
                    G_CALLBACK (on_record_saved));
}

static void
contact_delete (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  KlCustomerDetail *self = KL_CUSTOMER_DETAIL (widget);
  KlContact *c = find_record (self->contacts, g_variant_get_string (parameter, NULL));
  Change *change;

  if (c == NULL)
    return;
  change = g_new0 (Change, 1);
  change->kind = CHANGE_DELETE_CONTACT;
  change->customer_id = g_strdup (c->customer_id);
  change->id = g_strdup (c->id);
  change->label = g_strdup (c->name);
  change->record = kl_contact_copy (c);
  run_change (self, change);
}

static void
agreement_add (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  KlCustomerDetail *self = KL_CUSTOMER_DETAIL (widget);

  if (self->customer != NULL)
    present_editor (self, kl_agreement_editor_new (self->worker, self->customer->id, NULL),
                    G_CALLBACK (on_record_saved));
}

static void
agreement_edit (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  KlCustomerDetail *self = KL_CUSTOMER_DETAIL (widget);
  KlAgreement *a = find_record (self->agreements, g_variant_get_string (parameter, NULL));

  if (a != NULL)
    present_editor (self, kl_agreement_editor_new (self->worker, self->customer->id, a),
                    G_CALLBACK (on_record_saved));
}

static void
agreement_delete (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  KlCustomerDetail *self = KL_CUSTOMER_DETAIL (widget);
  KlAgreement *a = find_record (self->agreements, g_variant_get_string (parameter, NULL));
  Change *change;

  if (a == NULL)
    return;
  change = g_new0 (Change, 1);
  change->kind = CHANGE_DELETE_AGREEMENT;
  change->customer_id = g_strdup (a->customer_id);
  change->id = g_strdup (a->id);
  change->label = period_text (a);
  change->record = kl_agreement_copy (a);
  run_change (self, change);
}

static void
activity_add (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  KlCustomerDetail *self = KL_CUSTOMER_DETAIL (widget);

  if (self->customer != NULL)
    present_editor (self, kl_activity_editor_new (self->worker, self->customer->id, self->contacts, NULL),
                    G_CALLBACK (on_record_saved));
}

static void
activity_edit (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  KlCustomerDetail *self = KL_CUSTOMER_DETAIL (widget);
  KlActivity *a = find_record (self->activities, g_variant_get_string (parameter, NULL));

  if (a != NULL)
    present_editor (self, kl_activity_editor_new (self->worker, self->customer->id, self->contacts, a),
                    G_CALLBACK (on_record_saved));
}

static void
activity_delete (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  KlCustomerDetail *self = KL_CUSTOMER_DETAIL (widget);
  KlActivity *a = find_record (self->activities, g_variant_get_string (parameter, NULL));
  Change *change;

  if (a == NULL)
    return;
  change = g_new0 (Change, 1);
  change->kind = CHANGE_DELETE_ACTIVITY;
  change->customer_id = g_strdup (a->customer_id);
  change->id = g_strdup (a->id);
  change->label = g_strdup (a->subject);
  change->record = kl_activity_copy (a);
  run_change (self, change);
}

static void
activity_toggle_done (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  KlCustomerDetail *self = KL_CUSTOMER_DETAIL (widget);
  KlActivity *a = find_record (self->activities, g_variant_get_string (parameter, NULL));
  Change *change;

  if (a == NULL)
    return;
  change = g_new0 (Change, 1);
  change->kind = CHANGE_TOGGLE_DONE;
  change->customer_id = g_strdup (a->customer_id);
  change->id = g_strdup (a->id);
  run_change (self, change);
}

static void
detail_undo (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  KlCustomerDetail *self = KL_CUSTOMER_DETAIL (widget);
  gpointer key = NULL, value = NULL;

  if (!g_hash_table_steal_extended (self->undos, g_variant_get_string (parameter, NULL), &key, &value))
    return;
  g_free (key);
  run_change (self, value);
}

/* Delete on a focused row deletes its record (with undo). */
static gboolean
on_list_key_pressed (GtkEventControllerKey *controller,
                     guint                  keyval,
                     guint                  keycode,
                     GdkModifierType        state,
                     KlCustomerDetail      *self)
{
  GtkWidget *list = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (controller));
  const char *action = g_object_get_data (G_OBJECT (list), DELETE_ACTION_KEY);
  GtkWidget *focus;

  if ((keyval != GDK_KEY_Delete && keyval != GDK_KEY_KP_Delete) ||
      (state & gtk_accelerator_get_default_mod_mask ()) != 0)
    return FALSE;

  focus = gtk_root_get_focus (gtk_widget_get_root (list));
  for (; focus != NULL && focus != list; focus = gtk_widget_get_parent (focus))
    if (gtk_widget_get_parent (focus) == list)
      {
        const char *id = g_object_get_data (G_OBJECT (focus), RECORD_ID_KEY);

        if (id == NULL)
          return FALSE;
        gtk_widget_activate_action (GTK_WIDGET (self), action, "s", id);
        return TRUE;
      }
  return FALSE;
}

static void
watch_delete_key (KlCustomerDetail *self,
                  GtkListBox       *list,
                  const char       *action)
{
  GtkEventController *keys = gtk_event_controller_key_new ();

  g_object_set_data (G_OBJECT (list), DELETE_ACTION_KEY, (gpointer) action);
  g_signal_connect_object (keys, "key-pressed", G_CALLBACK (on_list_key_pressed), self, 0);
  gtk_widget_add_controller (GTK_WIDGET (list), keys);
}

static void
load_css_once (GtkWidget *widget)
{
  kl_gui_add_style_sheet (widget, "/io/github/keyline/Keyline/kl-customer-detail.css");
}

/* GObject */

static void
kl_customer_detail_dispose (GObject *object)
{
  KlCustomerDetail *self = KL_CUSTOMER_DETAIL (object);

  if (self->load_cancellable != NULL)
    g_cancellable_cancel (self->load_cancellable);
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_pointer (&self->undos, g_hash_table_unref);
  G_OBJECT_CLASS (kl_customer_detail_parent_class)->dispose (object);
}

static void
kl_customer_detail_finalize (GObject *object)
{
  KlCustomerDetail *self = KL_CUSTOMER_DETAIL (object);

  clear_records (self);
  g_clear_object (&self->load_cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->worker);
  g_clear_pointer (&self->customer_id, g_free);
  G_OBJECT_CLASS (kl_customer_detail_parent_class)->finalize (object);
}

static void
kl_customer_detail_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  KlCustomerDetail *self = KL_CUSTOMER_DETAIL (object);

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
kl_customer_detail_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  KlCustomerDetail *self = KL_CUSTOMER_DETAIL (object);

  switch (prop_id)
    {
    case PROP_CUSTOMER_ID:
      kl_customer_detail_set_customer_id (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kl_customer_detail_class_init (KlCustomerDetailClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = kl_customer_detail_dispose;
  object_class->finalize = kl_customer_detail_finalize;
  object_class->get_property = kl_customer_detail_get_property;
  object_class->set_property = kl_customer_detail_set_property;

  /**
   * KlCustomerDetail:customer-id:
   *
   * The customer shown, or %NULL for the empty state.
   */
  properties[PROP_CUSTOMER_ID] =
    g_param_spec_string ("customer-id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * KlCustomerDetail::customer-changed:
   * @id: the customer's id
   *
   * Emitted after the detail saved, deleted or restored a customer, so
   * lists showing it can refresh.
   */
  signals[CUSTOMER_CHANGED] =
    g_signal_new ("customer-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  /**
   * KlCustomerDetail::new-case:
   * @customer_id: the account
   *
   * The user asked to open a claim, return or complaint for the account.
   */
  signals[NEW_CASE] =
    g_signal_new ("new-case", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  /**
   * KlCustomerDetail::case-activated:
   * @claim_id: the case
   *
   * The user opened one of the account's cases.
   */
  signals[CASE_ACTIVATED] =
    g_signal_new ("case-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  g_type_ensure (KL_TYPE_KPI_TILES);
  g_type_ensure (KL_TYPE_CUSTOMER_CASES);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/keyline/Keyline/kl-customer-detail.ui");
  gtk_widget_class_bind_template_child (widget_class, KlCustomerDetail, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, KlCustomerDetail, main_stack);
  gtk_widget_class_bind_template_child (widget_class, KlCustomerDetail, error_page);
  gtk_widget_class_bind_template_child (widget_class, KlCustomerDetail, name_label);
  gtk_widget_class_bind_template_child (widget_class, KlCustomerDetail, subtitle_label);
  gtk_widget_class_bind_template_child (widget_class, KlCustomerDetail, view_stack);
  gtk_widget_class_bind_template_child (widget_class, KlCustomerDetail, kpi_tiles);
  gtk_widget_class_bind_template_child (widget_class, KlCustomerDetail, customer_cases);
  gtk_widget_class_bind_template_child (widget_class, KlCustomerDetail, chart);
  gtk_widget_class_bind_template_child (widget_class, KlCustomerDetail, chart_caption);
  gtk_widget_class_bind_template_child (widget_class, KlCustomerDetail, chart_table_button);
  gtk_widget_class_bind_template_child (widget_class, KlCustomerDetail, code_value);
  gtk_widget_class_bind_template_child (widget_class, KlCustomerDetail, legal_name_value);
  gtk_widget_class_bind_template_child (widget_class, KlCustomerDetail, kind_value);
  gtk_widget_class_bind_template_child (widget_class, KlCustomerDetail, channel_value);
  gtk_widget_class_bind_template_child (widget_class, KlCustomerDetail, industry_value);
  gtk_widget_class_bind_template_child (widget_class, KlCustomerDetail, region_value);
  gtk_widget_class_bind_template_child (widget_class, KlCustomerDetail, address_value);
  gtk_widget_class_bind_template_child (widget_class, KlCustomerDetail, manager_value);
  gtk_widget_class_bind_template_child (widget_class, KlCustomerDetail, relationship_value);
  gtk_widget_class_bind_template_child (widget_class, KlCustomerDetail, status_value);
  gtk_widget_class_bind_template_child (widget_class, KlCustomerDetail, lost_row);
  gtk_widget_class_bind_template_child (widget_class, KlCustomerDetail, lost_value);
  gtk_widget_class_bind_template_child (widget_class, KlCustomerDetail, abc_value);
  gtk_widget_class_bind_template_child (widget_class, KlCustomerDetail, language_value);
  gtk_widget_class_bind_template_child (widget_class, KlCustomerDetail, agreement_value);
  gtk_widget_class_bind_template_child (widget_class, KlCustomerDetail, shipment_count_value);
  gtk_widget_class_bind_template_child (widget_class, KlCustomerDetail, tags_box);
  gtk_widget_class_bind_template_child (widget_class, KlCustomerDetail, no_tags_label);
  gtk_widget_class_bind_template_child (widget_class, KlCustomerDetail, notes_label);
  gtk_widget_class_bind_template_child (widget_class, KlCustomerDetail, contacts_list);
  gtk_widget_class_bind_template_child (widget_class, KlCustomerDetail, agreements_list);
  gtk_widget_class_bind_template_child (widget_class, KlCustomerDetail, activities_list);

  gtk_widget_class_install_action (widget_class, "customer.edit", NULL, customer_edit);
  gtk_widget_class_install_action (widget_class, "customer.delete", NULL, customer_delete);
  gtk_widget_class_install_action (widget_class, "customer.restore", NULL, customer_restore);
  gtk_widget_class_install_action (widget_class, "contact.add", NULL, contact_add);
  gtk_widget_class_install_action (widget_class, "contact.edit", "s", contact_edit);
  gtk_widget_class_install_action (widget_class, "contact.delete", "s", contact_delete);
  gtk_widget_class_install_action (widget_class, "agreement.add", NULL, agreement_add);
  gtk_widget_class_install_action (widget_class, "agreement.edit", "s", agreement_edit);
  gtk_widget_class_install_action (widget_class, "agreement.delete", "s", agreement_delete);
  gtk_widget_class_install_action (widget_class, "activity.add", NULL, activity_add);
  gtk_widget_class_install_action (widget_class, "activity.edit", "s", activity_edit);
  gtk_widget_class_install_action (widget_class, "activity.delete", "s", activity_delete);
  gtk_widget_class_install_action (widget_class, "activity.toggle-done", "s", activity_toggle_done);
  gtk_widget_class_install_action (widget_class, "detail.undo", "s", detail_undo);

  gtk_widget_class_set_css_name (widget_class, "customerdetail");
}

static void
forward_new_case (KlCustomerDetail *self,
                  const char       *customer_id)
{
  g_signal_emit (self, signals[NEW_CASE], 0, customer_id);
}

static void
forward_case_activated (KlCustomerDetail *self,
                        const char       *claim_id)
{
  g_signal_emit (self, signals[CASE_ACTIVATED], 0, claim_id);
}

static void
kl_customer_detail_init (KlCustomerDetail *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  self->undos = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) change_free);
  gtk_drawing_area_set_draw_func (self->chart, draw_chart, self, NULL);
  g_signal_connect_object (self->customer_cases, "new-case",
                           G_CALLBACK (forward_new_case), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->customer_cases, "case-activated",
                           G_CALLBACK (forward_case_activated), self, G_CONNECT_SWAPPED);
  watch_delete_key (self, self->contacts_list, "contact.delete");
  watch_delete_key (self, self->agreements_list, "agreement.delete");
  watch_delete_key (self, self->activities_list, "activity.delete");
  load_css_once (GTK_WIDGET (self));
  gtk_stack_set_visible_child_name (self->main_stack, "empty");
  update_actions (self);
}

GtkWidget *
kl_customer_detail_new (void)
{
  return g_object_new (KL_TYPE_CUSTOMER_DETAIL, NULL);
}

void
kl_customer_detail_set_worker (KlCustomerDetail *self,
                               KlWorker         *worker)
{
  g_return_if_fail (KL_IS_CUSTOMER_DETAIL (self));
  g_return_if_fail (worker == NULL || KL_IS_WORKER (worker));

  kl_kpi_tiles_set_worker (self->kpi_tiles, worker);
  kl_customer_cases_set_worker (self->customer_cases, worker);
  if (g_set_object (&self->worker, worker))
    reload (self);
}

void
kl_customer_detail_set_customer_id (KlCustomerDetail *self,
                                    const char       *id)
{
  g_return_if_fail (KL_IS_CUSTOMER_DETAIL (self));

  if (g_strcmp0 (id, self->customer_id) != 0)
    {
      g_free (self->customer_id);
      self->customer_id = g_strdup (id);
      kl_kpi_tiles_set_customer_id (self->kpi_tiles, id);
      kl_customer_cases_set_customer_id (self->customer_cases, id);
      /* A new customer opens on its overview. */
      adw_view_stack_set_visible_child_name (self->view_stack, "overview");
      reload (self);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CUSTOMER_ID]);
      return;
    }
  kl_kpi_tiles_refresh (self->kpi_tiles);
  kl_customer_cases_refresh (self->customer_cases);
  reload (self);
}

const char *
kl_customer_detail_get_customer_id (KlCustomerDetail *self)
{
  g_return_val_if_fail (KL_IS_CUSTOMER_DETAIL (self), NULL);
  return self->customer_id;
}
