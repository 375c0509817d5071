/* SPDX-License-Identifier: GPL-3.0-or-later */
/* KlChartWidget: a kl-chart renderer in a widget. The picture is for eyes;
 * the same numbers go to assistive technologies as the description of an
 * image role, and create_table() lays them out as a real table. */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "kl-chart-widget.h"
#include "kl-gui-util.h"

struct _KlChartWidget {
  GtkWidget           parent_instance;

  KlChartWidgetKind   kind;
  char               *title;
  GStrv               categories;   /* n_values entries, or NULL */
  double             *values;
  gsize               n_values;
  KlChartValueFormat  format;
  double              target;       /* NAN: none */
  char               *summary;
};

G_DEFINE_ENUM_TYPE (KlChartWidgetKind, kl_chart_widget_kind,
                    G_DEFINE_ENUM_VALUE (KL_CHART_WIDGET_SPARKLINE, "sparkline"),
                    G_DEFINE_ENUM_VALUE (KL_CHART_WIDGET_TREND, "trend"),
                    G_DEFINE_ENUM_VALUE (KL_CHART_WIDGET_BARS, "bars"))

G_DEFINE_FINAL_TYPE (KlChartWidget, kl_chart_widget, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_KIND,
  PROP_TITLE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Text for assistive technologies */

static char *
format_value (KlChartWidget *self,
              double         value)
{
  if (!isfinite (value))
    /* Translators: a chart value that is missing, read out by screen readers. */
    return g_strdup (_("no data"));
  return kl_chart_format_value (value, self->format);
}

static void
update_summary (KlChartWidget *self)
{
  GString *s = g_string_new (NULL);

  for (gsize i = 0; i < self->n_values; i++)
    {
      g_autofree char *value = format_value (self, self->values[i]);
      const char *category = self->categories != NULL ? self->categories[i] : NULL;

      if (i > 0)
        /* Translators: separates the values of a chart read out by screen readers. */
        g_string_append (s, _(", "));
      if (category != NULL && *category != '\0')
        /* Translators: one value of a chart for screen readers, "November 2025 1,234";
         * %1$s is the category (a month), %2$s the value. */
        g_string_append_printf (s, C_("chart value", "%1$s %2$s"), category, value);
      else
        g_string_append (s, value);
    }
  if (self->n_values == 0)
    g_string_append (s, _("no data"));
  if (isfinite (self->target))
    {
      g_autofree char *target = kl_chart_format_value (self->target, self->format);

      /* Translators: the end of a chart's description for screen readers; %s is the target value. */
      g_string_append_printf (s, _("; target %s"), target);
    }

  g_free (self->summary);
  if (self->title != NULL && *self->title != '\0')
    {
      /* Translators: a chart's description for screen readers, "Shipments by month: November 2025 1,234, …";
       * %1$s is the chart's title, %2$s its values. */
      self->summary = g_strdup_printf (C_("chart description", "%1$s: %2$s"), self->title, s->str);
      g_string_free (s, TRUE);
    }
  else
    self->summary = g_string_free (s, FALSE);

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, self->title ? self->title : "",
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, self->summary,
                                  -1);
  kl_gui_set_tooltip (GTK_WIDGET (self), self->summary);
}

/* Drawing */

static KlChartColor
to_chart_color (const GdkRGBA *rgba)
{
  return (KlChartColor) { rgba->red, rgba->green, rgba->blue, rgba->alpha };
}

/* A palette from a widget's style: its text colour, the window's
 * background and the accent, light or dark as the theme is; the font size
 * a little under the widget's. For anything drawn in the window with the
 * chart renderers. */
KlChartPalette
kl_chart_widget_palette_for_style (GtkWidget *widget)
{
  GtkStyleContext *style = gtk_widget_get_style_context (widget);
  PangoContext *pango = gtk_widget_get_pango_context (widget);
  const PangoFontDescription *font = pango_context_get_font_description (pango);
  GdkRGBA fg, bg, accent;
  KlChartColor f, b, a;
  KlChartPalette palette;

  gtk_style_context_get_color (style, &fg);
  if (!gtk_style_context_lookup_color (style, "card_bg_color", &bg) &&
      !gtk_style_context_lookup_color (style, "window_bg_color", &bg))
    bg = (GdkRGBA) { 1, 1, 1, 1 };
  if (!gtk_style_context_lookup_color (style, "accent_color", &accent))
    accent = fg;
  /* The card background is translucent over the window: judge lightness on
   * the window's colour when there is one. */
  if (bg.alpha < 1.0)
    {
      GdkRGBA window;

      if (gtk_style_context_lookup_color (style, "window_bg_color", &window))
        bg = window;
      bg.alpha = 1.0;
    }

  f = to_chart_color (&fg);
  b = to_chart_color (&bg);
  a = to_chart_color (&accent);
  palette = kl_chart_palette_from_colors (&f, &b, &a);
  if (font != NULL && pango_font_description_get_size (font) > 0)
    {
      double size = pango_font_description_get_size (font) / (double) PANGO_SCALE;

      /* Absolute sizes are in device units already; others are points at 96 dpi. */
      palette.font_size = pango_font_description_get_size_is_absolute (font) ? size : size * 96.0 / 72.0;
      palette.font_size *= 0.85;
    }
  return palette;
}

static KlChartPalette
palette_for (KlChartWidget *self)
{
  KlChartPalette palette = kl_chart_widget_palette_for_style (GTK_WIDGET (self));

  if (self->kind == KL_CHART_WIDGET_SPARKLINE)
    {
      /* A quiet target line: the tile around it says whether it was met. */
      palette.target = palette.muted;
    }
  return palette;
}

static void
kl_chart_widget_snapshot (GtkWidget   *widget,
                          GtkSnapshot *snapshot)
{
  KlChartWidget *self = KL_CHART_WIDGET (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  KlChartPalette palette;
  KlChartSeries series = { 0 };
  cairo_t *cr;

  if (width <= 0 || height <= 0)
    return;

  palette = palette_for (self);
  series.name = self->title;
  series.values = self->values;
  series.n_values = self->n_values;

  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  switch (self->kind)
    {
    case KL_CHART_WIDGET_SPARKLINE:
      {
        KlChartSparkline spec = { 0 };

        spec.values = self->values;
        spec.n_values = self->n_values;
        spec.has_target = isfinite (self->target);
        spec.target = self->target;
        spec.fill = TRUE;
        spec.show_last = TRUE;
        kl_chart_draw_sparkline (cr, width, height, &spec, &palette);
      }
      break;
    case KL_CHART_WIDGET_TREND:
      {
        KlChartTrend spec = { 0 };

        spec.categories = (const char * const *) self->categories;
        spec.n_categories = self->categories != NULL ? self->n_values : 0;
        spec.series = &series;
        spec.n_series = 1;
        spec.style = KL_CHART_TREND_LINE;
        spec.format = self->format;
        spec.has_target = isfinite (self->target);
        spec.target = self->target;
        spec.show_points = TRUE;
        kl_chart_draw_trend (cr, width, height, &spec, &palette);
      }
      break;
    case KL_CHART_WIDGET_BARS:
      {
        KlChartBars spec = { 0 };

        spec.categories = (const char * const *) self->categories;
        spec.n_categories = self->categories != NULL ? self->n_values : 0;
        spec.series = &series;
        spec.n_series = 1;
        spec.mode = KL_CHART_BARS_GROUPED;
        spec.format = self->format;
        kl_chart_draw_bars (cr, width, height, &spec, &palette);
      }
      break;
    default:
      g_assert_not_reached ();
    }
  cairo_destroy (cr);
}

static void
kl_chart_widget_measure (GtkWidget      *widget,
                         GtkOrientation  orientation,
                         int             for_size,
                         int            *minimum,
                         int            *natural,
                         int            *minimum_baseline,
                         int            *natural_baseline)
{
  KlChartWidget *self = KL_CHART_WIDGET (widget);
  gboolean small = self->kind == KL_CHART_WIDGET_SPARKLINE;

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = small ? 48 : 160;
      *natural = small ? 120 : 360;
    }
  else
    {
      *minimum = small ? 16 : 120;
      *natural = small ? 32 : 200;
    }
}

/* GObject */

static void
kl_chart_widget_finalize (GObject *object)
{
  KlChartWidget *self = KL_CHART_WIDGET (object);

  g_free (self->title);
  g_strfreev (self->categories);
  g_free (self->values);
  g_free (self->summary);
  G_OBJECT_CLASS (kl_chart_widget_parent_class)->finalize (object);
}

static void
kl_chart_widget_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  KlChartWidget *self = KL_CHART_WIDGET (object);

  switch (prop_id)
    {
    case PROP_KIND:
      g_value_set_enum (value, self->kind);
      break;
    case PROP_TITLE:
      g_value_set_string (value, self->title);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kl_chart_widget_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  KlChartWidget *self = KL_CHART_WIDGET (object);

  switch (prop_id)
    {
    case PROP_KIND:
      self->kind = g_value_get_enum (value);
      break;
    case PROP_TITLE:
      kl_chart_widget_set_title (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kl_chart_widget_class_init (KlChartWidgetClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = kl_chart_widget_finalize;
  object_class->get_property = kl_chart_widget_get_property;
  object_class->set_property = kl_chart_widget_set_property;
  widget_class->snapshot = kl_chart_widget_snapshot;
  widget_class->measure = kl_chart_widget_measure;

  properties[PROP_KIND] =
    g_param_spec_enum ("kind", NULL, NULL, KL_TYPE_CHART_WIDGET_KIND, KL_CHART_WIDGET_SPARKLINE,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "chart");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
kl_chart_widget_init (KlChartWidget *self)
{
  self->target = NAN;
  self->format = KL_CHART_FORMAT_COUNT;
  update_summary (self);
}

/* API */

GtkWidget *
kl_chart_widget_new (KlChartWidgetKind kind)
{
  return g_object_new (KL_TYPE_CHART_WIDGET, "kind", kind, NULL);
}

void
kl_chart_widget_set_title (KlChartWidget *self,
                           const char    *title)
{
  g_return_if_fail (KL_IS_CHART_WIDGET (self));

  if (g_strcmp0 (self->title, title) == 0)
    return;
  g_free (self->title);
  self->title = g_strdup (title);
  update_summary (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TITLE]);
}

static const char *
kl_chart_widget_get_title (KlChartWidget *self)
{
  g_return_val_if_fail (KL_IS_CHART_WIDGET (self), NULL);
  return self->title;
}

void
kl_chart_widget_set_data (KlChartWidget       *self,
                          const char * const  *categories,
                          const double        *values,
                          gsize                n_values,
                          KlChartValueFormat   format)
{
  g_return_if_fail (KL_IS_CHART_WIDGET (self));
  g_return_if_fail (n_values == 0 || values != NULL);

  g_clear_pointer (&self->categories, g_strfreev);
  g_clear_pointer (&self->values, g_free);
  self->n_values = n_values;
  self->format = format;
  if (n_values > 0)
    self->values = g_memdup2 (values, n_values * sizeof (double));
  if (categories != NULL)
    {
      self->categories = g_new0 (char *, n_values + 1);
      for (gsize i = 0; i < n_values; i++)
        self->categories[i] = g_strdup (categories[i] ? categories[i] : "");
    }
  update_summary (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
kl_chart_widget_set_target (KlChartWidget *self,
                            double         target)
{
  g_return_if_fail (KL_IS_CHART_WIDGET (self));

  self->target = isfinite (target) ? target : NAN;
  update_summary (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

const char *
kl_chart_widget_get_summary (KlChartWidget *self)
{
  g_return_val_if_fail (KL_IS_CHART_WIDGET (self), NULL);
  return self->summary;
}

static GtkWidget *
table_cell (const char       *text,
            GtkAccessibleRole role,
            int               row,
            int               column,
            gboolean          numeric)
{
  GtkWidget *label = g_object_new (GTK_TYPE_LABEL,
                                   "label", text,
                                   "accessible-role", role,
                                   "xalign", numeric ? 1.0 : 0.0,
                                   NULL);

  gtk_accessible_update_relation (GTK_ACCESSIBLE (label),
                                  GTK_ACCESSIBLE_RELATION_ROW_INDEX, row + 1,
                                  GTK_ACCESSIBLE_RELATION_COL_INDEX, column + 1,
                                  -1);
  if (role == GTK_ACCESSIBLE_ROLE_COLUMN_HEADER)
    {
      gtk_widget_add_css_class (label, "caption-heading");
      gtk_widget_add_css_class (label, "dim-label");
    }
  if (numeric)
    gtk_widget_add_css_class (label, "numeric");
  return label;
}

GtkWidget *
kl_chart_widget_create_table (KlChartWidget *self)
{
  GtkGrid *grid;
  gboolean has_target;

  g_return_val_if_fail (KL_IS_CHART_WIDGET (self), NULL);

  has_target = isfinite (self->target);
  grid = g_object_new (GTK_TYPE_GRID,
                       "accessible-role", GTK_ACCESSIBLE_ROLE_TABLE,
                       "row-spacing", 4,
                       "column-spacing", 18,
                       NULL);
  gtk_widget_add_css_class (GTK_WIDGET (grid), "chart-table");
  gtk_accessible_update_property (GTK_ACCESSIBLE (grid),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, self->title ? self->title : "",
                                  -1);
  gtk_accessible_update_relation (GTK_ACCESSIBLE (grid),
                                  GTK_ACCESSIBLE_RELATION_ROW_COUNT, (int) self->n_values + 1,
                                  GTK_ACCESSIBLE_RELATION_COL_COUNT, has_target ? 3 : 2,
                                  -1);

  /* Translators: the first column header of a chart's data table (months, regions…). */
  gtk_grid_attach (grid, table_cell (C_("chart table", "Period"), GTK_ACCESSIBLE_ROLE_COLUMN_HEADER, 0, 0, FALSE), 0, 0, 1, 1);
  gtk_grid_attach (grid, table_cell (C_("chart table", "Value"), GTK_ACCESSIBLE_ROLE_COLUMN_HEADER, 0, 1, TRUE), 1, 0, 1, 1);
  if (has_target)
    gtk_grid_attach (grid, table_cell (C_("chart table", "Target"), GTK_ACCESSIBLE_ROLE_COLUMN_HEADER, 0, 2, TRUE), 2, 0, 1, 1);

  for (gsize i = 0; i < self->n_values; i++)
    {
      g_autofree char *value = kl_chart_format_value (self->values[i], self->format);
      const char *category = self->categories != NULL ? self->categories[i] : "";
      int row = (int) i + 1;

      gtk_grid_attach (grid, table_cell (category, GTK_ACCESSIBLE_ROLE_ROW_HEADER, row, 0, FALSE), 0, row, 1, 1);
      gtk_grid_attach (grid, table_cell (value, GTK_ACCESSIBLE_ROLE_CELL, row, 1, TRUE), 1, row, 1, 1);
      if (has_target)
        {
          g_autofree char *target = kl_chart_format_value (self->target, self->format);

          gtk_grid_attach (grid, table_cell (target, GTK_ACCESSIBLE_ROLE_CELL, row, 2, TRUE), 2, row, 1, 1);
        }
    }
  return GTK_WIDGET (grid);
}

GtkWidget *
kl_chart_widget_create_table_popover (KlChartWidget *self)
{
  GtkWidget *popover;
  GtkWidget *box;
  GtkWidget *title;

  g_return_val_if_fail (KL_IS_CHART_WIDGET (self), NULL);

  popover = gtk_popover_new ();
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 8);
  title = gtk_label_new (kl_chart_widget_get_title (self));
  gtk_widget_add_css_class (title, "heading");
  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  gtk_widget_set_margin_start (box, 6);
  gtk_widget_set_margin_end (box, 6);
  gtk_box_append (GTK_BOX (box), title);
  gtk_box_append (GTK_BOX (box), kl_chart_widget_create_table (self));
  gtk_popover_set_child (GTK_POPOVER (popover), box);
  return popover;
}
