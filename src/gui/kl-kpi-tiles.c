/* SPDX-License-Identifier: GPL-3.0-or-later */
/* KlKpiTiles: the month's figures and targets come from kl_report_build, so
 * they are the report's to the digit; the sparklines from the month rollups
 * of the twelve months ending with it. All of it on the worker. */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "kl-chart-widget.h"
#include "kl-gui-util.h"
#include "kl-customer-store.h"
#include "kl-format.h"
#include "kl-kpi-tiles.h"
#include "kl-portfolio.h"
#include "kl-report-model.h"
#include "kl-rollup.h"

#define N_MONTHS 12

struct _KlKpiTiles {
  AdwBin         parent_instance;

  KlWorker      *worker;
  char          *customer_id;
  int            month;             /* 0: the last complete one */
  GCancellable  *cancellable;

  /* template */
  GtkLabel      *period_label;
  GtkStack      *stack;
  GtkLabel      *error_label;
  GtkFlowBox    *flow_box;
  GtkLabel      *note_label;
};

G_DEFINE_FINAL_TYPE (KlKpiTiles, kl_kpi_tiles, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_CUSTOMER_ID,
  PROP_MONTH,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void kl_kpi_tiles_set_month (KlKpiTiles *self,
                                    int         month);

/* Loading */

typedef struct {
  char *customer_id;
  int   month;
} Request;

typedef struct {
  KlReportModel *model;
  int            months[N_MONTHS];
  KlKpiFigures   monthly[N_MONTHS];
} Result;

static void
request_free (Request *request)
{
  g_free (request->customer_id);
  g_free (request);
}

static void
result_free (Result *result)
{
  g_clear_pointer (&result->model, kl_report_model_free);
  g_free (result);
}

static gpointer
load_job (KlDatabase   *db,
          gpointer      data,
          KlWorkerJob  *job,
          GError      **error)
{
  Request *request = data;
  g_autoptr(KlCustomer) customer = NULL;
  g_autoptr(KlPeriod) period = NULL;
  Result *result;
  int month;

  customer = kl_customer_store_get (db, request->customer_id, error);
  if (customer == NULL)
    return NULL;
  month = request->month > 0 ? request->month : kl_portfolio_latest_complete_month (db);
  period = kl_period_new_for_month (month);

  result = g_new0 (Result, 1);
  result->model = kl_report_build (db, customer->code, period, error);
  if (result->model == NULL)
    {
      result_free (result);
      return NULL;
    }
  for (int i = 0; i < N_MONTHS; i++)
    {
      KlRollupCounts counts;

      result->months[i] = kl_month_add (month, i - (N_MONTHS - 1));
      if (!kl_rollup_read_total (db, customer->id, result->months[i], result->months[i], &counts, error))
        {
          result_free (result);
          return NULL;
        }
      kl_kpi_figures_compute (&result->monthly[i], &counts);
    }
  return result;
}

/* Showing */

static void
set_level_class (GtkWidget        *widget,
                 KlPortfolioLevel  level)
{
  static const char * const classes[] = { "success", "warning", "error" };

  for (guint i = 0; i < G_N_ELEMENTS (classes); i++)
    gtk_widget_remove_css_class (widget, classes[i]);
  switch (level)
    {
    case KL_PORTFOLIO_LEVEL_GOOD:
      gtk_widget_add_css_class (widget, "success");
      break;
    case KL_PORTFOLIO_LEVEL_WARNING:
      gtk_widget_add_css_class (widget, "warning");
      break;
    case KL_PORTFOLIO_LEVEL_BAD:
      gtk_widget_add_css_class (widget, "error");
      break;
    case KL_PORTFOLIO_LEVEL_NONE:
    default:
      break;
    }
}

static GtkWidget *
new_tile (const Result *result,
          KlRate        rate)
{
  g_autoptr(GtkBuilder) builder = gtk_builder_new_from_resource ("/io/github/keyline/Keyline/kl-kpi-tile.ui");
  const KlReportModel *m = result->model;
  const KlKpiTarget *t = &m->targets[rate];
  KlPortfolioLevel level = kl_portfolio_level (rate, t);
  GtkWidget *tile = GTK_WIDGET (gtk_builder_get_object (builder, "tile"));
  GtkWidget *status_icon = GTK_WIDGET (gtk_builder_get_object (builder, "status_icon"));
  GtkWidget *status_label = GTK_WIDGET (gtk_builder_get_object (builder, "status_label"));
  GtkWidget *value_label = GTK_WIDGET (gtk_builder_get_object (builder, "value_label"));
  GtkWidget *target_label = GTK_WIDGET (gtk_builder_get_object (builder, "target_label"));
  GtkWidget *table_button = GTK_WIDGET (gtk_builder_get_object (builder, "table_button"));
  KlChartWidget *sparkline = KL_CHART_WIDGET (gtk_builder_get_object (builder, "sparkline"));
  int decimals = t->has_target ? kl_gui_rate_decimals (t->variance_pp) : 1;
  g_autofree char *value = kl_gui_format_percent (m->figures.rates[rate], decimals);
  g_autofree char *target_text = NULL;
  g_autofree char *chart_title = NULL;
  g_autofree char *description = NULL;
  g_autofree char *button_label = NULL;
  g_autoptr(GPtrArray) categories = g_ptr_array_new_with_free_func (g_free);
  double values[N_MONTHS];
  const char *status, *icon_name, *state_class;

  gtk_label_set_text (GTK_LABEL (gtk_builder_get_object (builder, "rate_label")), kl_rate_to_label (rate));
  gtk_label_set_text (GTK_LABEL (value_label), value);
  if (isnan (m->figures.rates[rate]))
    gtk_widget_add_css_class (value_label, "dim-label");

  /* The state in words and in the icon's shape, never in colour alone. */
  switch (level)
    {
    case KL_PORTFOLIO_LEVEL_GOOD:
      status = _("Target met");
      icon_name = "emblem-ok-symbolic";
      state_class = "met";
      break;
    case KL_PORTFOLIO_LEVEL_WARNING:
      status = _("Narrowly missed");
      icon_name = "dialog-warning-symbolic";
      state_class = "missed";
      break;
    case KL_PORTFOLIO_LEVEL_BAD:
      status = _("Target missed");
      icon_name = "dialog-error-symbolic";
      state_class = "missed";
      break;
    case KL_PORTFOLIO_LEVEL_NONE:
    default:
      status = t->has_target ? _("No shipments to measure") : _("No target");
      icon_name = t->has_target ? "dialog-information-symbolic" : NULL;
      state_class = t->has_target ? "unmeasured" : "no-target";
      break;
    }
  gtk_label_set_text (GTK_LABEL (status_label), status);
  gtk_image_set_from_icon_name (GTK_IMAGE (status_icon), icon_name);
  gtk_widget_set_visible (status_icon, icon_name != NULL);
  set_level_class (status_label, level);
  set_level_class (status_icon, level);
  set_level_class (value_label, level);
  if (level == KL_PORTFOLIO_LEVEL_NONE)
    gtk_widget_add_css_class (status_label, "dim-label");
  gtk_widget_add_css_class (tile, state_class);
  gtk_widget_set_name (tile, kl_rate_to_key (rate));

  if (t->has_target)
    {
      g_autofree char *target = kl_format_percent (t->target);
      g_autofree char *variance = kl_gui_format_pp_delta (t->variance_pp, decimals);

      if (isnan (t->variance_pp))
        target_text = g_strdup_printf (kl_rate_higher_is_better (rate)
                                       /* Translators: on a KPI card, "Target ≥ 95.0%" */
                                       ? _("Target ≥ %s")
                                       /* Translators: on a KPI card for a rate that must stay low, "Target ≤ 0.1%" */
                                       : _("Target ≤ %s"),
                                       target);
      else
        target_text = g_strdup_printf (kl_rate_higher_is_better (rate)
                                       /* Translators: on a KPI card, "Target ≥ 95.0% · +1.3 pp" */
                                       ? _("Target ≥ %1$s · %2$s")
                                       /* Translators: on a KPI card, "Target ≤ 0.1% · +0.2 pp" */
                                       : _("Target ≤ %1$s · %2$s"),
                                       target, variance);
    }
  else
    target_text = g_strdup (_("Not in the service agreement"));
  gtk_label_set_text (GTK_LABEL (target_label), target_text);

  for (int i = 0; i < N_MONTHS; i++)
    {
      g_autoptr(KlPeriod) period = kl_period_new_for_month (result->months[i]);

      values[i] = result->monthly[i].rates[rate];
      g_ptr_array_add (categories, kl_period_to_display (period));
    }
  g_ptr_array_add (categories, NULL);
  /* Translators: a KPI sparkline's title, "Dispatch on time by month" */
  chart_title = g_strdup_printf (_("%s by month"), kl_rate_to_label (rate));
  kl_chart_widget_set_title (sparkline, chart_title);
  kl_chart_widget_set_data (sparkline, (const char * const *) categories->pdata, values, N_MONTHS,
                            KL_CHART_FORMAT_PERCENT);
  kl_chart_widget_set_target (sparkline, t->has_target ? t->target : NAN);

  gtk_menu_button_set_popover (GTK_MENU_BUTTON (table_button), kl_chart_widget_create_table_popover (sparkline));
  /* Translators: a button's name for screen readers, "Show dispatch on time by month as a table" */
  button_label = g_strdup_printf (_("Show %s as a table"), chart_title);
  gtk_accessible_update_property (GTK_ACCESSIBLE (table_button), GTK_ACCESSIBLE_PROPERTY_LABEL, button_label, -1);

  /* Translators: a KPI card for screen readers, "96.3%. Target met. Target ≥ 95.0% · +1.3 pp" */
  description = g_strdup_printf (C_("KPI card", "%1$s. %2$s. %3$s"), value, status, target_text);
  gtk_accessible_update_property (GTK_ACCESSIBLE (tile),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, kl_rate_to_label (rate),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, description,
                                  -1);
  return g_object_ref (tile);
}

static void
clear_tiles (KlKpiTiles *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->flow_box))) != NULL)
    gtk_flow_box_remove (self->flow_box, child);
}

static void
show_result (KlKpiTiles   *self,
             const Result *result)
{
  const KlReportModel *m = result->model;
  g_autofree char *period = kl_period_to_display (m->period);
  g_autofree char *subtitle = NULL;
  gboolean any_target = FALSE;

  for (guint r = 0; r < KL_N_RATES; r++)
    any_target |= m->targets[r].has_target;

  clear_tiles (self);
  /* The agreement's KPIs; with none to measure against, every KPI. */
  for (guint r = 0; r < KL_N_RATES; r++)
    if (m->targets[r].has_target || !any_target)
      {
        g_autoptr(GtkWidget) tile = new_tile (result, r);

        gtk_flow_box_append (self->flow_box, tile);
      }

  if (!m->has_agreement)
    /* Translators: next to the KPI cards' heading, "October 2026 · no service agreement" */
    subtitle = g_strdup_printf (_("%s · no service agreement"), period);
  else
    subtitle = g_strdup (period);
  gtk_label_set_text (self->period_label, subtitle);

  if (!any_target)
    gtk_label_set_text (self->note_label,
                        m->has_agreement
                        ? _("The service agreement sets no targets, so these figures are not measured against any.")
                        : _("No service agreement is in force for this month; add one under Agreements to measure these figures against targets."));
  else if (m->figures.shipments == 0)
    gtk_label_set_text (self->note_label, _("No shipments this month, so no target could be measured."));
  gtk_widget_set_visible (GTK_WIDGET (self->note_label), !any_target || m->figures.shipments == 0);
  gtk_stack_set_visible_child_name (self->stack, "tiles");
}

static void
load_done (GObject      *source,
           GAsyncResult *res,
           gpointer      user_data)
{
  g_autoptr(KlKpiTiles) self = user_data;
  g_autoptr(GError) error = NULL;
  Result *result = kl_worker_run_finish (KL_WORKER (source), res, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
      g_error_matches (error, KL_DATABASE_ERROR, KL_DATABASE_ERROR_CANCELLED))
    return;

  if (result == NULL)
    {
      clear_tiles (self);
      gtk_label_set_text (self->period_label, "");
      gtk_label_set_text (self->error_label, error ? error->message : "");
      gtk_stack_set_visible_child_name (self->stack, "error");
      return;
    }
  show_result (self, result);
  result_free (result);
}

static void
reload (KlKpiTiles *self)
{
  Request *request;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);

  if (self->customer_id == NULL || self->worker == NULL)
    {
      clear_tiles (self);
      gtk_label_set_text (self->period_label, "");
      gtk_stack_set_visible_child_name (self->stack, "empty");
      return;
    }

  /* Keep the tiles of the same account on screen while they reload. */
  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "tiles") != 0 ||
      g_strcmp0 (g_object_get_data (G_OBJECT (self->flow_box), "kl-customer-id"), self->customer_id) != 0)
    {
      clear_tiles (self);
      gtk_stack_set_visible_child_name (self->stack, "loading");
    }
  g_object_set_data_full (G_OBJECT (self->flow_box), "kl-customer-id", g_strdup (self->customer_id), g_free);

  request = g_new0 (Request, 1);
  request->customer_id = g_strdup (self->customer_id);
  request->month = self->month;
  self->cancellable = g_cancellable_new ();
  kl_worker_run (self->worker, KL_WORKER_READ, load_job, request, (GDestroyNotify) request_free,
                 (GDestroyNotify) result_free, NULL, NULL, self->cancellable,
                 load_done, g_object_ref (self));
}

/* Style */

static void
load_css_once (GtkWidget *widget)
{
  kl_gui_add_style_sheet (widget, "/io/github/keyline/Keyline/kl-portfolio.css");
}

/* GObject */

static void
kl_kpi_tiles_dispose (GObject *object)
{
  KlKpiTiles *self = KL_KPI_TILES (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  /* The bin's child is the template's top box: let the bin drop it first. */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), KL_TYPE_KPI_TILES);
  g_clear_object (&self->worker);
  G_OBJECT_CLASS (kl_kpi_tiles_parent_class)->dispose (object);
}

static void
kl_kpi_tiles_finalize (GObject *object)
{
  KlKpiTiles *self = KL_KPI_TILES (object);

  g_free (self->customer_id);
  G_OBJECT_CLASS (kl_kpi_tiles_parent_class)->finalize (object);
}

static void
kl_kpi_tiles_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  KlKpiTiles *self = KL_KPI_TILES (object);

  switch (prop_id)
    {
    case PROP_CUSTOMER_ID:
      g_value_set_string (value, self->customer_id);
      break;
    case PROP_MONTH:
      g_value_set_int (value, self->month);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kl_kpi_tiles_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  KlKpiTiles *self = KL_KPI_TILES (object);

  switch (prop_id)
    {
    case PROP_CUSTOMER_ID:
      kl_kpi_tiles_set_customer_id (self, g_value_get_string (value));
      break;
    case PROP_MONTH:
      kl_kpi_tiles_set_month (self, g_value_get_int (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kl_kpi_tiles_class_init (KlKpiTilesClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = kl_kpi_tiles_dispose;
  object_class->finalize = kl_kpi_tiles_finalize;
  object_class->get_property = kl_kpi_tiles_get_property;
  object_class->set_property = kl_kpi_tiles_set_property;

  properties[PROP_CUSTOMER_ID] =
    g_param_spec_string ("customer-id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MONTH] =
    g_param_spec_int ("month", NULL, NULL, 0, 999912, 0,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/keyline/Keyline/kl-kpi-tiles.ui");
  gtk_widget_class_bind_template_child (widget_class, KlKpiTiles, period_label);
  gtk_widget_class_bind_template_child (widget_class, KlKpiTiles, stack);
  gtk_widget_class_bind_template_child (widget_class, KlKpiTiles, error_label);
  gtk_widget_class_bind_template_child (widget_class, KlKpiTiles, flow_box);
  gtk_widget_class_bind_template_child (widget_class, KlKpiTiles, note_label);

  gtk_widget_class_set_css_name (widget_class, "kpitiles");
}

static void
kl_kpi_tiles_init (KlKpiTiles *self)
{
  g_type_ensure (KL_TYPE_CHART_WIDGET);
  gtk_widget_init_template (GTK_WIDGET (self));
  kl_gui_spin_only_when_shown (GTK_WIDGET (self));
  load_css_once (GTK_WIDGET (self));
  gtk_stack_set_visible_child_name (self->stack, "empty");
}

/* API */

GtkWidget *
kl_kpi_tiles_new (void)
{
  return g_object_new (KL_TYPE_KPI_TILES, NULL);
}

void
kl_kpi_tiles_set_worker (KlKpiTiles *self,
                         KlWorker   *worker)
{
  g_return_if_fail (KL_IS_KPI_TILES (self));
  g_return_if_fail (worker == NULL || KL_IS_WORKER (worker));

  if (g_set_object (&self->worker, worker))
    reload (self);
}

void
kl_kpi_tiles_set_customer_id (KlKpiTiles *self,
                              const char *customer_id)
{
  g_return_if_fail (KL_IS_KPI_TILES (self));

  if (g_strcmp0 (self->customer_id, customer_id) == 0)
    return;
  g_free (self->customer_id);
  self->customer_id = g_strdup (customer_id);
  reload (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CUSTOMER_ID]);
}

/* The month shown, yyyymm; 0 (the default) for the last complete month of
 * the workspace time zone. */
static void
kl_kpi_tiles_set_month (KlKpiTiles *self,
                        int         month)
{
  g_return_if_fail (KL_IS_KPI_TILES (self));
  g_return_if_fail (month == 0 || (month % 100 >= 1 && month % 100 <= 12 && month / 100 >= KL_PERIOD_MIN_YEAR));

  if (self->month == month)
    return;
  self->month = month;
  reload (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MONTH]);
}

void
kl_kpi_tiles_refresh (KlKpiTiles *self)
{
  g_return_if_fail (KL_IS_KPI_TILES (self));
  reload (self);
}
