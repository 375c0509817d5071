/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The customer detail's Overview page: KPI tiles, the shipments of the last
 * twelve months, the account's fields, tags and notes. It shows what the
 * detail loaded; it reads nothing itself but the KPI tiles. */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "kl-customer-overview.h"
#include <math.h>
#include "kl-chart-widget.h"
#include "kl-rollup-series.h"

struct _KlCustomerOverview {
  AdwBin          parent_instance;

  int             first_month;       /* yyyymm of the chart's first bar */
  gint64          shipments[KL_CUSTOMER_OVERVIEW_N_MONTHS];

  KlKpiTiles     *kpi_tiles;
  GtkDrawingArea *chart;
  GtkLabel       *chart_caption;
  GtkMenuButton  *chart_table_button;
  GtkLabel       *code_value;
  GtkLabel       *legal_name_value;
  GtkLabel       *kind_value;
  GtkLabel       *channel_value;
  GtkLabel       *industry_value;
  GtkLabel       *region_value;
  GtkLabel       *address_value;
  GtkLabel       *manager_value;
  GtkLabel       *relationship_value;
  GtkLabel       *status_value;
  GtkWidget      *lost_row;
  GtkLabel       *lost_value;
  GtkLabel       *abc_value;
  GtkLabel       *language_value;
  GtkLabel       *agreement_value;
  GtkLabel       *shipment_count_value;
  GtkFlowBox     *tags_box;
  GtkWidget      *no_tags_label;
  GtkLabel       *notes_label;
};

G_DEFINE_FINAL_TYPE (KlCustomerOverview, kl_customer_overview, ADW_TYPE_BIN)

static void
set_value (GtkLabel   *label,
           const char *text)
{
  gtk_label_set_text (label, text != NULL && *text != '\0' ? text : "—");
}

char *
_kl_agreement_period_text (const KlAgreement *a)
{
  if (a->effective_to == NULL)
    /* Translators: an agreement's period without an end, "from 2026-01-01" */
    return g_strdup_printf (_("from %s"), a->effective_from);
  /* Translators: an agreement's period, "2026-01-01 – 2026-12-31" */
  return g_strdup_printf (_("%s – %s"), a->effective_from, a->effective_to);
}

/* The chart's figures as a table, for screen readers and exact numbers. */
static void
update_chart_table (KlCustomerOverview *self)
{
  g_autoptr(GPtrArray) labels = g_ptr_array_new_with_free_func (g_free);
  double values[KL_CUSTOMER_OVERVIEW_N_MONTHS];
  GtkWidget *chart = kl_chart_widget_new (KL_CHART_WIDGET_BARS);

  g_object_ref_sink (chart);
  for (int i = 0; i < KL_CUSTOMER_OVERVIEW_N_MONTHS; i++)
    {
      int month = kl_rollup_series_month (self->first_month, i);

      g_ptr_array_add (labels, g_strdup_printf ("%04d-%02d", month / 100, month % 100));
      values[i] = (double) self->shipments[i];
    }
  g_ptr_array_add (labels, NULL);
  kl_chart_widget_set_title (KL_CHART_WIDGET (chart), _("Shipments per month, last 12 months"));
  kl_chart_widget_set_data (KL_CHART_WIDGET (chart), (const char * const *) labels->pdata,
                            values, KL_CUSTOMER_OVERVIEW_N_MONTHS, KL_CHART_FORMAT_COUNT);

  gtk_menu_button_set_popover (self->chart_table_button,
                               kl_chart_widget_create_table_popover (KL_CHART_WIDGET (chart)));
  g_object_unref (chart);
}

/* Today's day of the month and the month's length, in local time: the
 * chart's last bar is the month in progress. */
static void
month_progress (int *day,
                int *days)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  *day = g_date_time_get_day_of_month (now);
  *days = g_date_get_days_in_month ((GDateMonth) g_date_time_get_month (now),
                                    (GDateYear) g_date_time_get_year (now));
}

static void
show_chart (KlCustomerOverview *self)
{
  g_autoptr(GString) description = g_string_new (NULL);
  g_autofree char *caption = NULL;
  gint64 total = 0;
  int busiest = -1;

  for (int i = 0; i < KL_CUSTOMER_OVERVIEW_N_MONTHS; i++)
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
  {
    int day, days;
    g_autofree char *with_partial = NULL;

    month_progress (&day, &days);
    /* Translators: after the chart's caption; the last bar is the month
     * in progress, "… The last bar is this month so far (day 3 of 31)." */
    with_partial = g_strdup_printf (_("%s. The last bar is this month so far (day %d of %d)."),
                                    caption, day, days);
    gtk_label_set_text (self->chart_caption, with_partial);
  }
  update_chart_table (self);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->chart),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Shipments per month, last 12 months"),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, description->str,
                                  -1);
  gtk_widget_queue_draw (GTK_WIDGET (self->chart));
}

static void
set_rgba (cairo_t       *cr,
          const GdkRGBA *color,
          double         alpha)
{
  cairo_set_source_rgba (cr, color->red, color->green, color->blue, color->alpha * alpha);
}

/* Bars per month over a value axis; the months are named with the year
 * where it starts or changes, and the month in progress is drawn as
 * partial: lighter, in a dashed outline. */
static void
draw_chart (GtkDrawingArea *area,
            cairo_t        *cr,
            int             width,
            int             height,
            gpointer        user_data)
{
  KlCustomerOverview *self = user_data;
  GtkStyleContext *style = gtk_widget_get_style_context (GTK_WIDGET (area));
  g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (GTK_WIDGET (area), NULL);
  g_auto(GStrv) labels = kl_chart_month_axis_labels (self->first_month, KL_CUSTOMER_OVERVIEW_N_MONTHS);
  KlChartTicks ticks;
  GdkRGBA fg, accent;
  gint64 max = 0;
  int line_height, label_height, plot_top, plot_height, axis_width = 0;
  double slot, bar, left, plot_width;
  const double dash[] = { 3.0, 2.0 };

  gtk_style_context_get_color (style, &fg);
  if (!gtk_style_context_lookup_color (style, "accent_color", &accent))
    accent = fg;

  for (int i = 0; i < KL_CUSTOMER_OVERVIEW_N_MONTHS; i++)
    max = MAX (max, self->shipments[i]);
  kl_chart_ticks_compute (0, (double) MAX (max, 1), 4, TRUE, &ticks);

  pango_layout_set_text (layout, "0", -1);
  pango_layout_get_pixel_size (layout, NULL, &line_height);
  label_height = 2 * line_height;
  plot_top = line_height / 2;
  plot_height = height - label_height - 6 - plot_top;
  if (plot_height < 8)
    return;

  /* The value axis: tick labels on the left, hairlines across. */
  for (guint t = 0; t < ticks.n_ticks; t++)
    {
      g_autofree char *text = kl_chart_format_tick (ticks.ticks[t], KL_CHART_FORMAT_COUNT, &ticks);
      int tw;

      pango_layout_set_text (layout, text, -1);
      pango_layout_get_pixel_size (layout, &tw, NULL);
      axis_width = MAX (axis_width, tw);
    }
  left = axis_width + 6;
  plot_width = width - left;
  if (plot_width < KL_CUSTOMER_OVERVIEW_N_MONTHS * 3)
    return;
  for (guint t = 0; t < ticks.n_ticks; t++)
    {
      g_autofree char *text = kl_chart_format_tick (ticks.ticks[t], KL_CHART_FORMAT_COUNT, &ticks);
      double y = plot_top + plot_height - (ticks.ticks[t] - ticks.min) / (ticks.max - ticks.min) * plot_height;
      int tw, th;

      set_rgba (cr, &fg, t == 0 ? 0.3 : 0.1);
      cairo_rectangle (cr, left, round (y), plot_width, 1);
      cairo_fill (cr);
      pango_layout_set_text (layout, text, -1);
      pango_layout_get_pixel_size (layout, &tw, &th);
      set_rgba (cr, &fg, 0.6);
      cairo_move_to (cr, axis_width - tw, y - th / 2.0);
      pango_cairo_show_layout (cr, layout);
    }

  slot = plot_width / KL_CUSTOMER_OVERVIEW_N_MONTHS;
  bar = MAX (2.0, slot * 0.6);
  pango_layout_set_alignment (layout, PANGO_ALIGN_CENTER);

  for (int i = 0; i < KL_CUSTOMER_OVERVIEW_N_MONTHS; i++)
    {
      gboolean partial = i == KL_CUSTOMER_OVERVIEW_N_MONTHS - 1;
      double x = left + i * slot + (slot - bar) / 2;
      double h = (double) self->shipments[i] / ticks.max * plot_height;
      double base = plot_top + plot_height;
      int lw;

      set_rgba (cr, &accent, partial ? 0.4 : 1.0);
      if (h > 0)
        {
          cairo_rectangle (cr, x, base - h, bar, h);
          cairo_fill (cr);
        }
      if (partial)
        {
          /* The month so far: an outline up to the top of the axis says
           * the bar is still growing. */
          cairo_save (cr);
          set_rgba (cr, &accent, 0.8);
          cairo_set_line_width (cr, 1);
          cairo_set_dash (cr, dash, G_N_ELEMENTS (dash), 0);
          cairo_rectangle (cr, x + 0.5, plot_top + 0.5, bar - 1, plot_height - 1);
          cairo_stroke (cr);
          cairo_restore (cr);
        }

      /* Month names; every other one when they do not fit, the year
       * lines always. */
      if (slot >= line_height * 1.6 || i % 2 == 1 || strchr (labels[i], '\n') != NULL)
        {
          pango_layout_set_text (layout, labels[i], -1);
          pango_layout_get_pixel_size (layout, &lw, NULL);
          set_rgba (cr, &fg, 0.6);
          cairo_move_to (cr, left + i * slot + (slot - lw) / 2, base + 4);
          pango_cairo_show_layout (cr, layout);
        }
    }
}

void
kl_customer_overview_show (KlCustomerOverview *self,
                           const KlCustomer   *c,
                           const KlAgreement  *in_force,
                           gint64              shipment_count,
                           int                 first_month,
                           const gint64       *shipments)
{
  g_autofree char *abc = NULL;
  g_autofree char *count = NULL;
  GtkWidget *child;

  g_return_if_fail (KL_IS_CUSTOMER_OVERVIEW (self));
  g_return_if_fail (c != NULL && shipments != NULL);

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

  if (in_force != NULL)
    {
      g_autofree char *period = _kl_agreement_period_text (in_force);
      set_value (self->agreement_value, period);
    }
  else
    set_value (self->agreement_value, _("None"));
  count = g_strdup_printf ("%" G_GINT64_FORMAT, shipment_count);
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

  self->first_month = first_month;
  memcpy (self->shipments, shipments, sizeof self->shipments);
  show_chart (self);
}

static void
kl_customer_overview_class_init (KlCustomerOverviewClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  g_type_ensure (KL_TYPE_KPI_TILES);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/keyline/Keyline/kl-customer-overview.ui");
  gtk_widget_class_bind_template_child (widget_class, KlCustomerOverview, kpi_tiles);
  gtk_widget_class_bind_template_child (widget_class, KlCustomerOverview, chart);
  gtk_widget_class_bind_template_child (widget_class, KlCustomerOverview, chart_caption);
  gtk_widget_class_bind_template_child (widget_class, KlCustomerOverview, chart_table_button);
  gtk_widget_class_bind_template_child (widget_class, KlCustomerOverview, code_value);
  gtk_widget_class_bind_template_child (widget_class, KlCustomerOverview, legal_name_value);
  gtk_widget_class_bind_template_child (widget_class, KlCustomerOverview, kind_value);
  gtk_widget_class_bind_template_child (widget_class, KlCustomerOverview, channel_value);
  gtk_widget_class_bind_template_child (widget_class, KlCustomerOverview, industry_value);
  gtk_widget_class_bind_template_child (widget_class, KlCustomerOverview, region_value);
  gtk_widget_class_bind_template_child (widget_class, KlCustomerOverview, address_value);
  gtk_widget_class_bind_template_child (widget_class, KlCustomerOverview, manager_value);
  gtk_widget_class_bind_template_child (widget_class, KlCustomerOverview, relationship_value);
  gtk_widget_class_bind_template_child (widget_class, KlCustomerOverview, status_value);
  gtk_widget_class_bind_template_child (widget_class, KlCustomerOverview, lost_row);
  gtk_widget_class_bind_template_child (widget_class, KlCustomerOverview, lost_value);
  gtk_widget_class_bind_template_child (widget_class, KlCustomerOverview, abc_value);
  gtk_widget_class_bind_template_child (widget_class, KlCustomerOverview, language_value);
  gtk_widget_class_bind_template_child (widget_class, KlCustomerOverview, agreement_value);
  gtk_widget_class_bind_template_child (widget_class, KlCustomerOverview, shipment_count_value);
  gtk_widget_class_bind_template_child (widget_class, KlCustomerOverview, tags_box);
  gtk_widget_class_bind_template_child (widget_class, KlCustomerOverview, no_tags_label);
  gtk_widget_class_bind_template_child (widget_class, KlCustomerOverview, notes_label);
  gtk_widget_class_set_css_name (widget_class, "customeroverview");
}

static void
kl_customer_overview_init (KlCustomerOverview *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_drawing_area_set_draw_func (self->chart, draw_chart, self, NULL);
}

GtkWidget *
kl_customer_overview_new (void)
{
  return g_object_new (KL_TYPE_CUSTOMER_OVERVIEW, NULL);
}

KlKpiTiles *
kl_customer_overview_get_kpi_tiles (KlCustomerOverview *self)
{
  g_return_val_if_fail (KL_IS_CUSTOMER_OVERVIEW (self), NULL);
  return self->kpi_tiles;
}
