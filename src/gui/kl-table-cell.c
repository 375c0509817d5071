/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A table cell that draws its own text: a bold title, under it a small
 * caption and note, and an optional status icon before them. One widget
 * instead of a grid of an image and labels: GTK 4.8 makes, styles and
 * measures every widget of the ~200 rows a column view keeps, and the
 * Portfolio's rate cells were four widgets each (see bench/README.md).
 *
 * Colours are the theme's, looked up per instance: the cell's own colour,
 * dimmed as .dim-label dims, and the named status colours. The caption's
 * size is the theme's .caption size. */
#include "config.h"

#include <glib/gi18n.h>

#include "kl-table-cell.h"

#define ICON_SIZE     KL_TABLE_CELL_ICON_SIZE
#define ICON_SPACING   6
#define NOTE_SPACING   6
#define CAPTION_POINTS 9
#define DIM_OPACITY    0.55

typedef struct {
  char            *text;
  KlTableCellTone  tone;
  PangoLayout     *layout;     /* made when first measured or drawn */
  int              width;      /* the text's natural size; -1 until known */
  int              height;
} Part;

enum {
  PART_TITLE,
  PART_CAPTION,
  PART_NOTE,
  N_PARTS
};

struct _KlTableCell {
  GtkWidget        parent_instance;

  Part             parts[N_PARTS];
  char            *icon_name;
  KlTableCellTone  icon_tone;
  int              max_width_chars;  /* -1 for none */
  int              char_width;       /* approximate, in pixels; 0 until known */
  guint            with_icon : 1;
};

G_DEFINE_FINAL_TYPE (KlTableCell, kl_table_cell, GTK_TYPE_WIDGET)

static void
clear_layouts (KlTableCell *self)
{
  for (guint i = 0; i < N_PARTS; i++)
    {
      g_clear_object (&self->parts[i].layout);
      self->parts[i].width = self->parts[i].height = -1;
    }
  self->char_width = 0;
}

/* The widest natural width max_width_chars allow, as GtkLabel counts it. */
static int
max_natural_width (KlTableCell *self)
{
  if (self->max_width_chars < 0)
    return G_MAXINT;
  if (self->char_width == 0)
    {
      PangoContext *context = gtk_widget_get_pango_context (GTK_WIDGET (self));
      PangoFontMetrics *metrics = pango_context_get_metrics (context, NULL, NULL);

      self->char_width = MAX (1, PANGO_PIXELS_CEIL (MAX (pango_font_metrics_get_approximate_char_width (metrics),
                                                         pango_font_metrics_get_approximate_digit_width (metrics))));
      pango_font_metrics_unref (metrics);
    }
  return self->max_width_chars * self->char_width;
}

static PangoLayout *
part_layout (KlTableCell *self,
             guint        index)
{
  Part *part = &self->parts[index];

  if (part->layout == NULL)
    {
      PangoAttrList *attrs = pango_attr_list_new ();

      part->layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), part->text ? part->text : "");
      /* Figures line up in a column (the theme's .numeric). */
      pango_attr_list_insert (attrs, pango_attr_font_features_new ("tnum=1"));
      if (index == PART_TITLE)
        pango_attr_list_insert (attrs, pango_attr_weight_new (PANGO_WEIGHT_BOLD));
      else
        pango_attr_list_insert (attrs, pango_attr_size_new (CAPTION_POINTS * PANGO_SCALE));
      pango_layout_set_attributes (part->layout, attrs);
      pango_attr_list_unref (attrs);
      pango_layout_set_ellipsize (part->layout, PANGO_ELLIPSIZE_END);
      pango_layout_set_single_paragraph_mode (part->layout, TRUE);
    }
  return part->layout;
}

static gboolean
has_second_line (KlTableCell *self)
{
  return self->parts[PART_CAPTION].text != NULL || self->parts[PART_NOTE].text != NULL;
}

static int
icon_space (KlTableCell *self)
{
  return self->with_icon ? ICON_SIZE + ICON_SPACING : 0;
}

/* A part's natural size, laid out once per text. A part without text
 * (NULL) takes no room; an empty one still takes its line. */
static void
part_size (KlTableCell *self,
           guint        index,
           int         *width,
           int         *height)
{
  Part *part = &self->parts[index];

  if (part->text == NULL && index != PART_TITLE)
    {
      *width = *height = 0;
      return;
    }
  if (part->width < 0)
    {
      PangoLayout *layout = part_layout (self, index);

      pango_layout_set_width (layout, -1);
      pango_layout_get_pixel_size (layout, &part->width, &part->height);
      if (part->text == NULL || *part->text == '\0')
        part->width = 0;
    }
  *width = part->width;
  *height = part->height;
}

static void
kl_table_cell_measure (GtkWidget      *widget,
                       GtkOrientation  orientation,
                       int             for_size,
                       int            *minimum,
                       int            *natural,
                       int            *minimum_baseline,
                       int            *natural_baseline)
{
  KlTableCell *self = KL_TABLE_CELL (widget);
  int title_w, title_h, caption_w = 0, caption_h = 0, note_w = 0, note_h = 0;

  part_size (self, PART_TITLE, &title_w, &title_h);
  if (has_second_line (self))
    {
      part_size (self, PART_CAPTION, &caption_w, &caption_h);
      part_size (self, PART_NOTE, &note_w, &note_h);
    }

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      int line2 = caption_w + note_w + (caption_w > 0 && note_w > 0 ? NOTE_SPACING : 0);

      /* Text that does not fit is ellipsized. */
      *minimum = icon_space (self);
      *natural = icon_space (self) + MIN (MAX (title_w, line2), max_natural_width (self));
    }
  else
    {
      *minimum = *natural = MAX (title_h + MAX (caption_h, note_h), self->with_icon ? ICON_SIZE : 0);
    }
}

/* The colour of a tone in a widget's style: also used by the Portfolio's
 * drawn rows (kl-portfolio-table-row.c). */
GdkRGBA
kl_table_cell_tone_color (GtkWidget       *widget,
                          KlTableCellTone  tone)
{
  GtkStyleContext *style = gtk_widget_get_style_context (widget);
  const char *name = NULL;
  GdkRGBA color;

  gtk_style_context_get_color (style, &color);
  switch (tone)
    {
    case KL_TABLE_CELL_TONE_DIM:
      color.alpha *= DIM_OPACITY;
      break;
    case KL_TABLE_CELL_TONE_SUCCESS: name = "success_color"; break;
    case KL_TABLE_CELL_TONE_WARNING: name = "warning_color"; break;
    case KL_TABLE_CELL_TONE_ERROR:   name = "error_color"; break;
    case KL_TABLE_CELL_TONE_NORMAL:
    default:
      break;
    }
  if (name != NULL)
    {
      GdkRGBA named;

      if (gtk_style_context_lookup_color (style, name, &named))
        color = named;
    }
  return color;
}

/* Draws a part at x, y in at most width pixels, ellipsized past them, and
 * gives the size it took. */
static void
draw_part (KlTableCell *self,
           GtkSnapshot *snapshot,
           guint        index,
           int          x,
           int          y,
           int          width,
           int         *drawn_width,
           int         *drawn_height)
{
  GtkWidget *widget = GTK_WIDGET (self);
  PangoLayout *layout;
  GdkRGBA color;
  int w, h;

  *drawn_width = *drawn_height = 0;
  if (self->parts[index].text == NULL || *self->parts[index].text == '\0' || width <= 0)
    return;
  part_size (self, index, &w, &h);
  layout = part_layout (self, index);
  /* Text that fits keeps the layout measuring made; only text that does
   * not is laid out again, ellipsized. */
  if (w > width)
    {
      pango_layout_set_width (layout, width * PANGO_SCALE);
      pango_layout_get_pixel_size (layout, &w, &h);
    }
  else
    pango_layout_set_width (layout, -1);
  /* Right to left, the text ends at the cell's right edge. */
  if (gtk_widget_get_direction (widget) == GTK_TEXT_DIR_RTL)
    x = gtk_widget_get_width (widget) - x - w;
  color = kl_table_cell_tone_color (widget, self->parts[index].tone);
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (x, y));
  gtk_snapshot_append_layout (snapshot, layout, &color);
  gtk_snapshot_restore (snapshot);
  *drawn_width = w;
  *drawn_height = h;
}

/* Draws a symbolic icon of KL_TABLE_CELL_ICON_SIZE at x, y in a tone. */
void
kl_table_cell_snapshot_icon (GtkWidget       *widget,
                             GtkSnapshot     *snapshot,
                             const char      *icon_name,
                             KlTableCellTone  tone,
                             int              x,
                             int              y)
{
  GtkIconTheme *theme = gtk_icon_theme_get_for_display (gtk_widget_get_display (widget));
  g_autoptr(GtkIconPaintable) icon = NULL;
  GdkRGBA colors[4];

  if (icon_name == NULL)
    return;
  icon = gtk_icon_theme_lookup_icon (theme, icon_name, NULL, ICON_SIZE,
                                     gtk_widget_get_scale_factor (widget),
                                     gtk_widget_get_direction (widget), 0);
  colors[0] = kl_table_cell_tone_color (widget, tone);
  colors[1] = kl_table_cell_tone_color (widget, KL_TABLE_CELL_TONE_ERROR);
  colors[2] = kl_table_cell_tone_color (widget, KL_TABLE_CELL_TONE_WARNING);
  colors[3] = kl_table_cell_tone_color (widget, KL_TABLE_CELL_TONE_SUCCESS);
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (x, y));
  gtk_symbolic_paintable_snapshot_symbolic (GTK_SYMBOLIC_PAINTABLE (icon), snapshot,
                                            ICON_SIZE, ICON_SIZE, colors, G_N_ELEMENTS (colors));
  gtk_snapshot_restore (snapshot);
}

static void
draw_icon (KlTableCell *self,
           GtkSnapshot *snapshot,
           int          y)
{
  GtkWidget *widget = GTK_WIDGET (self);
  int x = 0;

  if (gtk_widget_get_direction (widget) == GTK_TEXT_DIR_RTL)
    x = gtk_widget_get_width (widget) - ICON_SIZE;
  kl_table_cell_snapshot_icon (widget, snapshot, self->icon_name, self->icon_tone, x, y);
}

static void
kl_table_cell_snapshot (GtkWidget   *widget,
                        GtkSnapshot *snapshot)
{
  KlTableCell *self = KL_TABLE_CELL (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  int text_x = icon_space (self);
  int text_width = width - text_x;
  int content, top, title_h, caption_w, line_h, w, h;

  gtk_widget_measure (widget, GTK_ORIENTATION_VERTICAL, width, &content, NULL, NULL, NULL);
  top = MAX (0, (height - content) / 2);
  /* An empty title still takes its line, so rows line up. */
  part_size (self, PART_TITLE, &w, &title_h);

  draw_icon (self, snapshot, top + 2);
  draw_part (self, snapshot, PART_TITLE, text_x, top, text_width, &w, &h);
  if (!has_second_line (self))
    return;
  draw_part (self, snapshot, PART_CAPTION, text_x, top + title_h, text_width, &caption_w, &line_h);
  if (caption_w > 0)
    caption_w += NOTE_SPACING;
  draw_part (self, snapshot, PART_NOTE, text_x + caption_w, top + title_h, text_width - caption_w, &w, &h);
}

static void
kl_table_cell_css_changed (GtkWidget         *widget,
                           GtkCssStyleChange *change)
{
  GTK_WIDGET_CLASS (kl_table_cell_parent_class)->css_changed (widget, change);

  /* The font may have changed: measure and draw with new layouts. */
  clear_layouts (KL_TABLE_CELL (widget));
  gtk_widget_queue_resize (widget);
}

static void
kl_table_cell_finalize (GObject *object)
{
  KlTableCell *self = KL_TABLE_CELL (object);

  clear_layouts (self);
  for (guint i = 0; i < N_PARTS; i++)
    g_free (self->parts[i].text);
  g_free (self->icon_name);

  G_OBJECT_CLASS (kl_table_cell_parent_class)->finalize (object);
}

static void
kl_table_cell_class_init (KlTableCellClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = kl_table_cell_finalize;
  widget_class->measure = kl_table_cell_measure;
  widget_class->snapshot = kl_table_cell_snapshot;
  widget_class->css_changed = kl_table_cell_css_changed;

  gtk_widget_class_set_css_name (widget_class, "tablecell");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_LABEL);
}

static void
kl_table_cell_init (KlTableCell *self)
{
  self->max_width_chars = -1;
  for (guint i = 0; i < N_PARTS; i++)
    self->parts[i].width = self->parts[i].height = -1;
}

/**
 * kl_table_cell_new:
 * @with_icon: whether the cell keeps room for a status icon before its text,
 *   so cells of a column line up whether or not they show one
 */
GtkWidget *
kl_table_cell_new (gboolean with_icon)
{
  KlTableCell *self = g_object_new (KL_TYPE_TABLE_CELL, NULL);

  self->with_icon = with_icon;
  return GTK_WIDGET (self);
}

/* The accessible name reads the texts in order, as a label would. */
static void
update_accessible (KlTableCell *self)
{
  g_autoptr(GString) name = g_string_new (NULL);

  for (guint i = 0; i < N_PARTS; i++)
    if (self->parts[i].text != NULL && *self->parts[i].text != '\0')
      {
        if (name->len > 0)
          /* Translators: joins a table cell's lines for a screen reader, "97.5%, ≥ 95.0%" */
          g_string_append (name, C_("table cell", ", "));
        g_string_append (name, self->parts[i].text);
      }
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, name->str, -1);
}

static void
set_part (KlTableCell     *self,
          guint            index,
          const char      *text,
          KlTableCellTone  tone)
{
  Part *part = &self->parts[index];
  gboolean lines_change = index != PART_TITLE && (part->text == NULL) != (text == NULL);

  if (g_strcmp0 (part->text, text) != 0)
    {
      g_free (part->text);
      part->text = g_strdup (text);
      part->width = part->height = -1;
      if (part->layout != NULL)
        pango_layout_set_text (part->layout, text ? text : "", -1);
      update_accessible (self);
      gtk_widget_queue_resize (GTK_WIDGET (self));
    }
  else if (lines_change)
    gtk_widget_queue_resize (GTK_WIDGET (self));
  if (part->tone != tone)
    {
      part->tone = tone;
      gtk_widget_queue_draw (GTK_WIDGET (self));
    }
}

/**
 * kl_table_cell_set_title:
 * @text: (nullable): the first line, in bold
 */
void
kl_table_cell_set_title (KlTableCell     *self,
                         const char      *text,
                         KlTableCellTone  tone)
{
  g_return_if_fail (KL_IS_TABLE_CELL (self));
  set_part (self, PART_TITLE, text, tone);
}

/**
 * kl_table_cell_set_caption:
 * @text: (nullable): the start of the second line, small
 */
void
kl_table_cell_set_caption (KlTableCell     *self,
                           const char      *text,
                           KlTableCellTone  tone)
{
  g_return_if_fail (KL_IS_TABLE_CELL (self));
  set_part (self, PART_CAPTION, text, tone);
}

/**
 * kl_table_cell_set_note:
 * @text: (nullable): what follows the caption on the second line, small
 */
void
kl_table_cell_set_note (KlTableCell     *self,
                        const char      *text,
                        KlTableCellTone  tone)
{
  g_return_if_fail (KL_IS_TABLE_CELL (self));
  set_part (self, PART_NOTE, text, tone);
}

/**
 * kl_table_cell_set_max_width_chars:
 * @n_chars: the most characters the cell asks room for, or -1 for its
 *   whole text; longer text is ellipsized
 */
void
kl_table_cell_set_max_width_chars (KlTableCell *self,
                                   int          n_chars)
{
  g_return_if_fail (KL_IS_TABLE_CELL (self));

  if (self->max_width_chars == n_chars)
    return;
  self->max_width_chars = n_chars;
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

/**
 * kl_table_cell_set_icon:
 * @icon_name: (nullable): a symbolic icon, or %NULL for none
 */
void
kl_table_cell_set_icon (KlTableCell     *self,
                        const char      *icon_name,
                        KlTableCellTone  tone)
{
  g_return_if_fail (KL_IS_TABLE_CELL (self));

  if (g_strcmp0 (self->icon_name, icon_name) == 0 && self->icon_tone == tone)
    return;
  g_free (self->icon_name);
  self->icon_name = g_strdup (icon_name);
  self->icon_tone = tone;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

const char *
kl_table_cell_get_title (KlTableCell *self)
{
  g_return_val_if_fail (KL_IS_TABLE_CELL (self), NULL);
  return self->parts[PART_TITLE].text;
}

const char *
kl_table_cell_get_caption (KlTableCell *self)
{
  g_return_val_if_fail (KL_IS_TABLE_CELL (self), NULL);
  return self->parts[PART_CAPTION].text;
}

const char *
kl_table_cell_get_note (KlTableCell *self)
{
  g_return_val_if_fail (KL_IS_TABLE_CELL (self), NULL);
  return self->parts[PART_NOTE].text;
}

const char *
kl_table_cell_get_icon_name (KlTableCell *self)
{
  g_return_val_if_fail (KL_IS_TABLE_CELL (self), NULL);
  return self->icon_name;
}
