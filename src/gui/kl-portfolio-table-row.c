/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A row of the Portfolio table that draws all its cells itself, lined up
 * under the header's columns: one widget a row (and the sparkline's button)
 * instead of sixteen column-view cells of about forty widgets. GTK 4.8's
 * column view measures and allocates every cell of the ~200 rows it keeps
 * each time a row comes in; a list view of these rows measures only the new
 * ones (bench/README.md, "One drawn row a Portfolio account").
 *
 * A cell's texts are made when the row is bound, and laid out with Pango
 * only when drawn. Colours are the theme's (kl_table_cell_tone_color), the
 * pills those kl-portfolio.css gave the badges. */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "kl-chart-widget.h"
#include "kl-format.h"
#include "kl-gui-util.h"
#include "kl-period.h"
#include "kl-portfolio-table-row.h"

/* A cell's padding (as the column view's cells had) and a pill's. */
#define CELL_PAD_X       8
#define CELL_PAD_Y       6
#define ICON_SPACING     6
#define NOTE_SPACING     6
#define TREND_SPACING    8
#define CLAIMS_SPACING   6
#define BADGE_RADIUS     9
#define CAPTION_POINTS   9
/* The open claims take this many digits' room. */
#define CLAIMS_CHARS     3

/* A fall in volume of at least this fraction is a warning, of twice it an error. */
#define TREND_WARNING 0.05

enum {
  BADGE_NONE,
  BADGE_ABC_A,
  BADGE_ABC_B,
  BADGE_ABC_OTHER,
  BADGE_MISSES_ERROR,
  BADGE_MISSES_SUCCESS,
};

typedef enum {
  FONT_NORMAL,
  FONT_BOLD,
  FONT_CAPTION,
  FONT_CAPTION_BOLD,
  FONT_SMALLER_BOLD,
  N_FONTS
} Font;

struct _KlPortfolioTableRow {
  GtkWidget             parent_instance;

  GtkColumnViewColumn  *columns[KL_PORTFOLIO_N_COLUMNS];  /* the header's; not owned */
  const KlPortfolioRow *row;                              /* the bound item's; not owned */
  KlPortfolioCell       cells[KL_PORTFOLIO_N_COLUMNS];
  char                 *accessible_text;

  GtkWidget            *sparkline_button;
  GtkWidget            *sparkline;

  PangoLayout          *layout;       /* one for every text, made when first drawn */
  int                   line_height;  /* of a bold line; 0 until known */
  int                   caption_height;
  int                   digit_width;
  int                   trend_width;
};

G_DEFINE_FINAL_TYPE (KlPortfolioTableRow, kl_portfolio_table_row, GTK_TYPE_WIDGET)

/* Shared by every row: a text's attributes per font, and numeric or not. */
static PangoAttrList *font_attrs[N_FONTS][2];

int
kl_portfolio_column_rate (KlPortfolioColumn column)
{
  switch (column)
    {
    case KL_PORTFOLIO_COLUMN_DISPATCH: return KL_RATE_DISPATCH_ON_TIME;
    case KL_PORTFOLIO_COLUMN_ARRIVAL:  return KL_RATE_ARRIVAL_ON_TIME;
    case KL_PORTFOLIO_COLUMN_DOCUMENT: return KL_RATE_DOCUMENT_ACCURACY;
    case KL_PORTFOLIO_COLUMN_ORDER:    return KL_RATE_ORDER_ACCURACY;
    case KL_PORTFOLIO_COLUMN_DAMAGE:   return KL_RATE_DAMAGE;
    case KL_PORTFOLIO_COLUMN_SHORTAGE: return KL_RATE_SHORTAGE;
    case KL_PORTFOLIO_COLUMN_INCIDENT: return KL_RATE_INCIDENT;
    case KL_PORTFOLIO_COLUMN_OTIF:     return KL_RATE_OTIF;
    case KL_PORTFOLIO_COLUMN_RANK:
    case KL_PORTFOLIO_COLUMN_CUSTOMER:
    case KL_PORTFOLIO_COLUMN_REGION:
    case KL_PORTFOLIO_COLUMN_ABC:
    case KL_PORTFOLIO_COLUMN_SHIPMENTS:
    case KL_PORTFOLIO_COLUMN_TREND:
    case KL_PORTFOLIO_COLUMN_MISSES:
    case KL_PORTFOLIO_COLUMN_CLAIMS:
    case KL_PORTFOLIO_N_COLUMNS:
    default:
      return -1;
    }
}

/* Cells */

static void
cell_clear (KlPortfolioCell *cell)
{
  g_free (cell->title);
  g_free (cell->caption);
  g_free (cell->note);
  g_free (cell->tooltip);
  memset (cell, 0, sizeof *cell);
}

static KlTableCellTone
level_tone (KlPortfolioLevel level)
{
  switch (level)
    {
    case KL_PORTFOLIO_LEVEL_GOOD:    return KL_TABLE_CELL_TONE_SUCCESS;
    case KL_PORTFOLIO_LEVEL_WARNING: return KL_TABLE_CELL_TONE_WARNING;
    case KL_PORTFOLIO_LEVEL_BAD:     return KL_TABLE_CELL_TONE_ERROR;
    case KL_PORTFOLIO_LEVEL_NONE:
    default:                         return KL_TABLE_CELL_TONE_NORMAL;
    }
}

/* "≥ 95.0%" for a higher-is-better rate, "≤ 0.1%" for the others. */
static char *
target_text (KlRate             rate,
             const KlKpiTarget *t)
{
  g_autofree char *target = kl_format_percent (t->target);

  if (kl_rate_higher_is_better (rate))
    /* Translators: a target a rate must reach, "≥ 95.0%" */
    return g_strdup_printf (_("≥ %s"), target);
  /* Translators: a limit a rate must stay under, "≤ 0.1%" */
  return g_strdup_printf (_("≤ %s"), target);
}

/* A sentence for people and screen readers on one rate against its target. */
static char *
rate_status_text (KlRate             rate,
                  const KlKpiTarget *t,
                  KlPortfolioLevel   level)
{
  g_autofree char *target = NULL;
  g_autofree char *variance = NULL;

  if (!t->has_target)
    return g_strdup (_("No target in the agreement"));
  target = kl_format_percent (t->target);
  if (isnan (t->actual))
    /* Translators: %s is the target, "95.0%" */
    return g_strdup_printf (_("No shipments to measure against the target of %s"), target);
  variance = kl_gui_format_pp_delta (t->variance_pp, kl_gui_rate_decimals (t->variance_pp));
  switch (level)
    {
    case KL_PORTFOLIO_LEVEL_GOOD:
      /* Translators: %1$s is the target, "95.0%"; %2$s the difference, "+1.3 pp" */
      return g_strdup_printf (_("Target %1$s met (%2$s)"), target, variance);
    case KL_PORTFOLIO_LEVEL_WARNING:
      return g_strdup_printf (_("Target %1$s narrowly missed (%2$s)"), target, variance);
    case KL_PORTFOLIO_LEVEL_BAD:
    case KL_PORTFOLIO_LEVEL_NONE:
    default:
      return g_strdup_printf (_("Target %1$s missed (%2$s)"), target, variance);
    }
}

static void
fill_rate (KlPortfolioCell      *cell,
           const KlPortfolioRow *row,
           KlRate                rate)
{
  const KlKpiTarget *t = &row->targets[rate];
  KlPortfolioLevel level = kl_portfolio_level (rate, t);
  g_autofree char *status = rate_status_text (rate, t, level);

  cell->title = kl_gui_format_percent (row->figures.rates[rate],
                                       t->has_target ? kl_gui_rate_decimals (t->variance_pp) : 1);
  cell->title_tone = isnan (row->figures.rates[rate]) ? KL_TABLE_CELL_TONE_DIM : level_tone (level);
  cell->caption = t->has_target ? target_text (rate, t) : g_strdup (_("No target"));
  cell->caption_tone = KL_TABLE_CELL_TONE_DIM;
  switch (level)
    {
    case KL_PORTFOLIO_LEVEL_GOOD:    cell->icon_name = "emblem-ok-symbolic"; break;
    case KL_PORTFOLIO_LEVEL_WARNING: cell->icon_name = "dialog-warning-symbolic"; break;
    case KL_PORTFOLIO_LEVEL_BAD:     cell->icon_name = "dialog-error-symbolic"; break;
    case KL_PORTFOLIO_LEVEL_NONE:
    default:                         break;
    }
  cell->icon_tone = level_tone (level);
  /* Translators: a rate cell's tooltip, "Dispatch on time 96.3%: Target 95.0% met (+1.3 pp)" */
  cell->tooltip = g_strdup_printf (C_("rate tooltip", "%1$s %2$s: %3$s"), kl_rate_to_label (rate), cell->title, status);
}

static void
fill_trend (KlPortfolioCell      *cell,
            const KlPortfolioRow *row)
{
  g_autofree char *recent = kl_format_count (row->recent_shipments);
  g_autofree char *earlier = kl_format_count (row->earlier_shipments);
  double trend = row->volume_trend;

  if (isnan (trend))
    {
      cell->title = g_strdup (KL_FORMAT_MISSING);
      cell->title_tone = KL_TABLE_CELL_TONE_DIM;
      /* Translators: %s is a number of shipments */
      cell->tooltip = g_strdup_printf (_("%s shipments in the last three months, none in the three before"), recent);
    }
  else
    {
      g_autofree char *percent = kl_format_percent_delta (trend * 100.0);
      const char *arrow;

      if (trend >= TREND_WARNING)
        arrow = "↑";
      else if (trend <= -TREND_WARNING)
        arrow = "↓";
      else
        arrow = "→";
      cell->title = g_strdup_printf ("%s %s", arrow, percent);
      cell->title_tone = trend <= -2 * TREND_WARNING ? KL_TABLE_CELL_TONE_ERROR
                         : trend <= -TREND_WARNING ? KL_TABLE_CELL_TONE_WARNING
                         : trend >= TREND_WARNING ? KL_TABLE_CELL_TONE_SUCCESS : KL_TABLE_CELL_TONE_NORMAL;
      /* Translators: a volume trend; %1$s is the change, "−12.5%"; %2$s and %3$s are numbers of shipments */
      cell->tooltip = g_strdup_printf (_("Volume %1$s: %2$s shipments in the last three months against %3$s in the three before"),
                                       percent, recent, earlier);
    }
}

static void
fill_cell (KlPortfolioCell      *cell,
           KlPortfolioColumn     column,
           const KlPortfolioRow *row)
{
  switch (column)
    {
    case KL_PORTFOLIO_COLUMN_RANK:
      cell->title = g_strdup_printf ("%u", row->rank);
      cell->title_tone = KL_TABLE_CELL_TONE_DIM;
      break;

    case KL_PORTFOLIO_COLUMN_CUSTOMER:
      cell->title = g_strdup (row->name);
      cell->caption = g_strdup (row->code);
      cell->caption_tone = KL_TABLE_CELL_TONE_DIM;
      if (row->status == KL_CUSTOMER_STATUS_AT_RISK || row->status == KL_CUSTOMER_STATUS_LOST)
        {
          cell->note = g_strdup (kl_customer_status_to_label (row->status));
          cell->note_tone = row->status == KL_CUSTOMER_STATUS_LOST ? KL_TABLE_CELL_TONE_ERROR
                                                                   : KL_TABLE_CELL_TONE_WARNING;
        }
      cell->tooltip = g_strdup (row->name);
      break;

    case KL_PORTFOLIO_COLUMN_REGION:
      cell->title = g_strdup (row->region ? row->region : KL_FORMAT_MISSING);
      cell->title_tone = row->region ? KL_TABLE_CELL_TONE_NORMAL : KL_TABLE_CELL_TONE_DIM;
      break;

    case KL_PORTFOLIO_COLUMN_ABC:
      cell->title = g_strdup (row->abc_class != KL_ABC_NONE ? kl_abc_class_to_label (row->abc_class)
                                                            : KL_FORMAT_MISSING);
      cell->badge = row->abc_class == KL_ABC_A ? BADGE_ABC_A
                    : row->abc_class == KL_ABC_B ? BADGE_ABC_B : BADGE_ABC_OTHER;
      break;

    case KL_PORTFOLIO_COLUMN_SHIPMENTS:
      cell->title = kl_format_count (row->figures.shipments);
      cell->title_tone = row->figures.shipments == 0 ? KL_TABLE_CELL_TONE_DIM : KL_TABLE_CELL_TONE_NORMAL;
      break;

    case KL_PORTFOLIO_COLUMN_TREND:
      fill_trend (cell, row);
      break;

    case KL_PORTFOLIO_COLUMN_MISSES:
      if (row->sla_targets == 0)
        {
          cell->title = g_strdup (KL_FORMAT_MISSING);
          cell->title_tone = KL_TABLE_CELL_TONE_DIM;
          cell->tooltip = g_strdup (row->has_agreement ? _("Nothing to measure against the targets this month")
                                                       : _("No service agreement in force"));
        }
      else
        {
          /* Translators: targets missed out of those measured, "2 of 7" */
          cell->title = g_strdup_printf (C_("SLA misses", "%1$u of %2$u"), row->sla_misses, row->sla_targets);
          cell->title_tone = row->sla_misses > 0 ? KL_TABLE_CELL_TONE_ERROR : KL_TABLE_CELL_TONE_SUCCESS;
          cell->badge = row->sla_misses > 0 ? BADGE_MISSES_ERROR : BADGE_MISSES_SUCCESS;
          cell->tooltip = g_strdup_printf (ngettext ("%1$u of %2$u measured target missed",
                                                     "%1$u of %2$u measured targets missed",
                                                     row->sla_misses),
                                           row->sla_misses, row->sla_targets);
        }
      break;

    case KL_PORTFOLIO_COLUMN_CLAIMS:
      cell->title = g_strdup_printf ("%u", row->open_claims);
      cell->title_tone = row->open_claims == 0 ? KL_TABLE_CELL_TONE_DIM : KL_TABLE_CELL_TONE_NORMAL;
      if (row->overdue_claims > 0)
        {
          cell->note = g_strdup_printf (ngettext ("%u overdue", "%u overdue", row->overdue_claims),
                                        row->overdue_claims);
          cell->note_tone = KL_TABLE_CELL_TONE_ERROR;
        }
      break;

    case KL_PORTFOLIO_COLUMN_DISPATCH:
    case KL_PORTFOLIO_COLUMN_ARRIVAL:
    case KL_PORTFOLIO_COLUMN_DOCUMENT:
    case KL_PORTFOLIO_COLUMN_ORDER:
    case KL_PORTFOLIO_COLUMN_DAMAGE:
    case KL_PORTFOLIO_COLUMN_SHORTAGE:
    case KL_PORTFOLIO_COLUMN_INCIDENT:
    case KL_PORTFOLIO_COLUMN_OTIF:
      fill_rate (cell, row, kl_portfolio_column_rate (column));
      break;

    case KL_PORTFOLIO_N_COLUMNS:
    default:
      g_assert_not_reached ();
    }
}

/* Geometry */

static gboolean
column_shown (KlPortfolioTableRow *self,
              guint                i)
{
  return self->columns[i] != NULL && gtk_column_view_column_get_visible (self->columns[i]);
}

static int
column_width (KlPortfolioTableRow *self,
              guint                i)
{
  int width = gtk_column_view_column_get_fixed_width (self->columns[i]);

  return width > 0 ? width : 100;
}

/* A column's x and width in the row, right to left mirrored. FALSE when it
 * is hidden. */
static gboolean
column_box (KlPortfolioTableRow *self,
            guint                column,
            int                 *x,
            int                 *width)
{
  int offset = 0;

  if (!column_shown (self, column))
    return FALSE;
  for (guint i = 0; i < column; i++)
    if (column_shown (self, i))
      offset += column_width (self, i);
  *width = column_width (self, column);
  *x = offset;
  if (gtk_widget_get_direction (GTK_WIDGET (self)) == GTK_TEXT_DIR_RTL)
    *x = gtk_widget_get_width (GTK_WIDGET (self)) - offset - *width;
  return TRUE;
}

static gboolean
is_rtl (KlPortfolioTableRow *self)
{
  return gtk_widget_get_direction (GTK_WIDGET (self)) == GTK_TEXT_DIR_RTL;
}

/* Where something w wide goes that starts off pixels into a box (from its
 * start edge: the right one right to left). */
static int
place (KlPortfolioTableRow *self,
       int                  box_x,
       int                  box_width,
       int                  off,
       int                  w)
{
  return is_rtl (self) ? box_x + box_width - off - w : box_x + off;
}

/* Text */

static PangoLayout *
text_layout (KlPortfolioTableRow *self,
             const char          *text,
             Font                 font,
             gboolean             numeric,
             int                  max_width,
             int                 *width,
             int                 *height)
{
  if (self->layout == NULL)
    {
      self->layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), NULL);
      pango_layout_set_ellipsize (self->layout, PANGO_ELLIPSIZE_END);
      pango_layout_set_single_paragraph_mode (self->layout, TRUE);
    }
  pango_layout_set_attributes (self->layout, font_attrs[font][numeric ? 1 : 0]);
  pango_layout_set_width (self->layout, max_width >= 0 ? MAX (max_width, 1) * PANGO_SCALE : -1);
  pango_layout_set_text (self->layout, text ? text : "", -1);
  pango_layout_get_pixel_size (self->layout, width, height);
  return self->layout;
}

static void
ensure_metrics (KlPortfolioTableRow *self)
{
  int w;

  if (self->line_height > 0)
    return;
  /* Lines as tall as Latin and Chinese text make them, so every row has
   * the same height whatever its names. */
  text_layout (self, "Ag\u6C49", FONT_BOLD, FALSE, -1, &w, &self->line_height);
  text_layout (self, "Ag\u6C49", FONT_CAPTION, FALSE, -1, &w, &self->caption_height);
  text_layout (self, "0000000000", FONT_NORMAL, TRUE, -1, &self->digit_width, &w);
  self->digit_width = MAX (1, self->digit_width / 10);
  /* The trend's figure: room for a usual one, so sparklines line up. */
  text_layout (self, "\u2193 \u221288.8%", FONT_NORMAL, TRUE, -1, &self->trend_width, &w);
}

/* Draws text in the box, at its start or end, ellipsized to fit, and gives
 * the width it took. */
static int
draw_text (KlPortfolioTableRow *self,
           GtkSnapshot         *snapshot,
           const char          *text,
           Font                 font,
           gboolean             numeric,
           KlTableCellTone      tone,
           int                  box_x,
           int                  box_width,
           int                  y,
           gboolean             at_end)
{
  PangoLayout *layout;
  GdkRGBA color;
  int w, h, x;

  if (text == NULL || *text == '\0' || box_width <= 0)
    return 0;
  layout = text_layout (self, text, font, numeric, box_width, &w, &h);
  x = at_end ? place (self, box_x, box_width, box_width - w, w) : place (self, box_x, box_width, 0, w);
  color = kl_table_cell_tone_color (GTK_WIDGET (self), tone);
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (x, y));
  gtk_snapshot_append_layout (snapshot, layout, &color);
  gtk_snapshot_restore (snapshot);
  return w;
}

/* A rounded pill behind a text: the colours kl-portfolio.css gave the
 * badges (.abc-badge, .misses-badge, .overdue-badge). */
static void
draw_pill (KlPortfolioTableRow *self,
           GtkSnapshot         *snapshot,
           const char          *text,
           Font                 font,
           int                  badge,
           KlTableCellTone      tone,
           int                  box_x,
           int                  box_width,
           int                  off,
           int                  pad_x,
           int                  pad_y,
           int                  row_height)
{
  GtkWidget *widget = GTK_WIDGET (self);
  GdkRGBA fg = kl_table_cell_tone_color (widget, tone);
  GdkRGBA bg = fg;
  const char *bg_name = NULL;
  double bg_alpha = 0.1;
  GskRoundedRect pill;
  int w, h, pill_w, pill_h, x, y;

  if (text == NULL || box_width - off <= 2 * pad_x)
    return;
  switch (badge)
    {
    case BADGE_ABC_A:
      bg_name = "accent_bg_color";
      bg_alpha = 0.18;
      gtk_style_context_lookup_color (gtk_widget_get_style_context (widget), "accent_color", &fg);
      break;
    case BADGE_ABC_B:
      bg_name = "success_bg_color";
      bg_alpha = 0.18;
      fg = kl_table_cell_tone_color (widget, KL_TABLE_CELL_TONE_SUCCESS);
      break;
    case BADGE_MISSES_ERROR:
      bg_name = "error_bg_color";
      bg_alpha = 0.15;
      break;
    case BADGE_MISSES_SUCCESS:
      bg_name = "success_bg_color";
      bg_alpha = 0.12;
      break;
    case BADGE_ABC_OTHER:
    default:
      /* As .abc-c: a dimmed text on a faint tint of it. */
      fg.alpha *= 0.75;
      bg = fg;
      break;
    }
  if (bg_name != NULL)
    gtk_style_context_lookup_color (gtk_widget_get_style_context (widget), bg_name, &bg);
  bg.alpha *= bg_alpha;

  text_layout (self, text, font, TRUE, box_width - off - 2 * pad_x, &w, &h);
  pill_w = MAX (w + 2 * pad_x, 2 * BADGE_RADIUS + 2);
  pill_h = h + 2 * pad_y;
  x = place (self, box_x, box_width, off, pill_w);
  y = (row_height - pill_h) / 2;
  gsk_rounded_rect_init_from_rect (&pill, &GRAPHENE_RECT_INIT (x, y, pill_w, pill_h), MIN (BADGE_RADIUS, pill_h / 2.0));
  gtk_snapshot_push_rounded_clip (snapshot, &pill);
  gtk_snapshot_append_color (snapshot, &bg, &GRAPHENE_RECT_INIT (x, y, pill_w, pill_h));
  gtk_snapshot_pop (snapshot);
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (x + (pill_w - w) / 2, y + pad_y));
  gtk_snapshot_append_layout (snapshot, self->layout, &fg);
  gtk_snapshot_restore (snapshot);
}

/* Widget */

static int
row_content_height (KlPortfolioTableRow *self)
{
  int button_min = 0;

  ensure_metrics (self);
  if (self->sparkline_button != NULL)
    gtk_widget_measure (self->sparkline_button, GTK_ORIENTATION_VERTICAL, -1, &button_min, NULL, NULL, NULL);
  return MAX (self->line_height + self->caption_height, button_min);
}

static void
kl_portfolio_table_row_measure (GtkWidget      *widget,
                                GtkOrientation  orientation,
                                int             for_size,
                                int            *minimum,
                                int            *natural,
                                int            *minimum_baseline,
                                int            *natural_baseline)
{
  KlPortfolioTableRow *self = KL_PORTFOLIO_TABLE_ROW (widget);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      int width = 0;

      for (guint i = 0; i < KL_PORTFOLIO_N_COLUMNS; i++)
        if (column_shown (self, i))
          width += column_width (self, i);
      *minimum = *natural = width;
    }
  else
    *minimum = *natural = row_content_height (self) + 2 * CELL_PAD_Y;
}

/* The room of the trend's figure: a usual figure's, or more for a long one. */
static int
trend_value_width (KlPortfolioTableRow *self)
{
  const char *text = self->cells[KL_PORTFOLIO_COLUMN_TREND].title;
  int w = 0, h;

  ensure_metrics (self);
  if (text != NULL)
    text_layout (self, text, FONT_NORMAL, TRUE, -1, &w, &h);
  return MAX (w, self->trend_width);
}

static void
kl_portfolio_table_row_size_allocate (GtkWidget *widget,
                                      int        width,
                                      int        height,
                                      int        baseline)
{
  KlPortfolioTableRow *self = KL_PORTFOLIO_TABLE_ROW (widget);
  int x, w, value_width, button_width, button_height;

  if (!column_box (self, KL_PORTFOLIO_COLUMN_TREND, &x, &w))
    {
      gtk_widget_set_child_visible (self->sparkline_button, FALSE);
      return;
    }
  gtk_widget_set_child_visible (self->sparkline_button, TRUE);
  value_width = trend_value_width (self);
  x += CELL_PAD_X;
  w -= 2 * CELL_PAD_X;
  gtk_widget_measure (self->sparkline_button, GTK_ORIENTATION_HORIZONTAL, -1, &button_width, NULL, NULL, NULL);
  button_width = MAX (button_width, w - value_width - TREND_SPACING);
  gtk_widget_measure (self->sparkline_button, GTK_ORIENTATION_VERTICAL, button_width, &button_height, NULL, NULL, NULL);
  gtk_widget_size_allocate (self->sparkline_button,
                            &(GtkAllocation) { place (self, x, w, value_width + TREND_SPACING, button_width),
                                               (height - button_height) / 2, button_width, button_height },
                            -1);
}

static void
snapshot_cell (KlPortfolioTableRow *self,
               GtkSnapshot         *snapshot,
               KlPortfolioColumn    column,
               int                  x,
               int                  w,
               int                  height)
{
  const KlPortfolioCell *cell = &self->cells[column];
  int line_y = (height - self->line_height) / 2;
  int two_line_y = (height - self->line_height - self->caption_height) / 2;

  x += CELL_PAD_X;
  w -= 2 * CELL_PAD_X;
  switch (column)
    {
    case KL_PORTFOLIO_COLUMN_RANK:
    case KL_PORTFOLIO_COLUMN_SHIPMENTS:
      draw_text (self, snapshot, cell->title, FONT_NORMAL, TRUE, cell->title_tone, x, w, line_y, TRUE);
      break;

    case KL_PORTFOLIO_COLUMN_REGION:
      draw_text (self, snapshot, cell->title, FONT_NORMAL, FALSE, cell->title_tone, x, w, line_y, FALSE);
      break;

    case KL_PORTFOLIO_COLUMN_ABC:
      draw_pill (self, snapshot, cell->title, FONT_SMALLER_BOLD, cell->badge, cell->title_tone,
                 x, w, 0, 7, 1, height);
      break;

    case KL_PORTFOLIO_COLUMN_MISSES:
      if (cell->badge != BADGE_NONE)
        draw_pill (self, snapshot, cell->title, FONT_BOLD, cell->badge, cell->title_tone, x, w, 0, 8, 1, height);
      else
        draw_text (self, snapshot, cell->title, FONT_NORMAL, TRUE, cell->title_tone, x, w, line_y, FALSE);
      break;

    case KL_PORTFOLIO_COLUMN_CLAIMS:
      {
        int number_width = CLAIMS_CHARS * self->digit_width;

        draw_text (self, snapshot, cell->title, FONT_NORMAL, TRUE, cell->title_tone,
                   place (self, x, w, 0, number_width), number_width, line_y, TRUE);
        if (cell->note != NULL)
          draw_pill (self, snapshot, cell->note, FONT_CAPTION_BOLD, BADGE_MISSES_ERROR, cell->note_tone,
                     x, w, number_width + CLAIMS_SPACING, 7, 0, height);
      }
      break;

    case KL_PORTFOLIO_COLUMN_TREND:
      {
        int value_width = MIN (w, trend_value_width (self));

        draw_text (self, snapshot, cell->title, FONT_NORMAL, TRUE, cell->title_tone,
                   place (self, x, w, 0, value_width), value_width, line_y, TRUE);
      }
      break;

    case KL_PORTFOLIO_COLUMN_CUSTOMER:
      {
        int caption_width;

        draw_text (self, snapshot, cell->title, FONT_BOLD, FALSE, KL_TABLE_CELL_TONE_NORMAL, x, w, two_line_y, FALSE);
        caption_width = draw_text (self, snapshot, cell->caption, FONT_CAPTION, TRUE, cell->caption_tone,
                                   x, w, two_line_y + self->line_height, FALSE);
        if (cell->note != NULL)
          {
            int off = caption_width + NOTE_SPACING;

            draw_text (self, snapshot, cell->note, FONT_CAPTION, FALSE, cell->note_tone,
                       place (self, x, w, off, w - off), w - off, two_line_y + self->line_height, FALSE);
          }
      }
      break;

    case KL_PORTFOLIO_COLUMN_DISPATCH:
    case KL_PORTFOLIO_COLUMN_ARRIVAL:
    case KL_PORTFOLIO_COLUMN_DOCUMENT:
    case KL_PORTFOLIO_COLUMN_ORDER:
    case KL_PORTFOLIO_COLUMN_DAMAGE:
    case KL_PORTFOLIO_COLUMN_SHORTAGE:
    case KL_PORTFOLIO_COLUMN_INCIDENT:
    case KL_PORTFOLIO_COLUMN_OTIF:
      {
        int off = KL_TABLE_CELL_ICON_SIZE + ICON_SPACING;
        int text_x = place (self, x, w, off, w - off);

        kl_table_cell_snapshot_icon (GTK_WIDGET (self), snapshot, cell->icon_name, cell->icon_tone,
                                     place (self, x, w, 0, KL_TABLE_CELL_ICON_SIZE), two_line_y + 2);
        draw_text (self, snapshot, cell->title, FONT_BOLD, TRUE, cell->title_tone, text_x, w - off, two_line_y, FALSE);
        draw_text (self, snapshot, cell->caption, FONT_CAPTION, TRUE, cell->caption_tone,
                   text_x, w - off, two_line_y + self->line_height, FALSE);
      }
      break;

    case KL_PORTFOLIO_N_COLUMNS:
    default:
      g_assert_not_reached ();
    }
}

static void
kl_portfolio_table_row_snapshot (GtkWidget   *widget,
                                 GtkSnapshot *snapshot)
{
  KlPortfolioTableRow *self = KL_PORTFOLIO_TABLE_ROW (widget);
  int height = gtk_widget_get_height (widget);

  if (self->row == NULL)
    return;
  ensure_metrics (self);
  for (guint i = 0; i < KL_PORTFOLIO_N_COLUMNS; i++)
    {
      int x, w;

      if (!column_box (self, i, &x, &w))
        continue;
      gtk_snapshot_push_clip (snapshot, &GRAPHENE_RECT_INIT (x, 0, w, height));
      snapshot_cell (self, snapshot, i, x, w, height);
      gtk_snapshot_pop (snapshot);
    }
  gtk_widget_snapshot_child (widget, self->sparkline_button, snapshot);
}

/* A cell's tooltip where the pointer is. */
static gboolean
kl_portfolio_table_row_query_tooltip (GtkWidget  *widget,
                                      int         px,
                                      int         py,
                                      gboolean    keyboard,
                                      GtkTooltip *tooltip)
{
  KlPortfolioTableRow *self = KL_PORTFOLIO_TABLE_ROW (widget);

  if (self->row == NULL || keyboard)
    return FALSE;
  for (guint i = 0; i < KL_PORTFOLIO_N_COLUMNS; i++)
    {
      int x, w;

      if (column_box (self, i, &x, &w) && px >= x && px < x + w && self->cells[i].tooltip != NULL)
        {
          gtk_tooltip_set_text (tooltip, self->cells[i].tooltip);
          gtk_tooltip_set_tip_area (tooltip, &(GdkRectangle) { x, 0, w, gtk_widget_get_height (widget) });
          return TRUE;
        }
    }
  return FALSE;
}

static void
kl_portfolio_table_row_css_changed (GtkWidget         *widget,
                                    GtkCssStyleChange *change)
{
  KlPortfolioTableRow *self = KL_PORTFOLIO_TABLE_ROW (widget);
  int line_height = self->line_height, caption_height = self->caption_height;

  GTK_WIDGET_CLASS (kl_portfolio_table_row_parent_class)->css_changed (widget, change);

  /* The font may have changed: lay out with a new layout, and take new
   * room only when the lines' heights did change. */
  g_clear_object (&self->layout);
  self->line_height = 0;
  ensure_metrics (self);
  if (self->line_height != line_height || self->caption_height != caption_height)
    gtk_widget_queue_resize (widget);
  gtk_widget_queue_draw (widget);
}

static void
kl_portfolio_table_row_dispose (GObject *object)
{
  KlPortfolioTableRow *self = KL_PORTFOLIO_TABLE_ROW (object);

  g_clear_pointer (&self->sparkline_button, gtk_widget_unparent);
  self->sparkline = NULL;
  G_OBJECT_CLASS (kl_portfolio_table_row_parent_class)->dispose (object);
}

static void
kl_portfolio_table_row_finalize (GObject *object)
{
  KlPortfolioTableRow *self = KL_PORTFOLIO_TABLE_ROW (object);

  for (guint i = 0; i < KL_PORTFOLIO_N_COLUMNS; i++)
    cell_clear (&self->cells[i]);
  g_free (self->accessible_text);
  g_clear_object (&self->layout);
  G_OBJECT_CLASS (kl_portfolio_table_row_parent_class)->finalize (object);
}

static PangoAttrList *
make_attrs (Font     font,
            gboolean numeric)
{
  PangoAttrList *attrs = pango_attr_list_new ();

  /* Figures line up in a column (the theme's .numeric). */
  if (numeric)
    pango_attr_list_insert (attrs, pango_attr_font_features_new ("tnum=1"));
  if (font == FONT_BOLD || font == FONT_CAPTION_BOLD || font == FONT_SMALLER_BOLD)
    pango_attr_list_insert (attrs, pango_attr_weight_new (PANGO_WEIGHT_BOLD));
  if (font == FONT_CAPTION || font == FONT_CAPTION_BOLD)
    pango_attr_list_insert (attrs, pango_attr_size_new (CAPTION_POINTS * PANGO_SCALE));
  if (font == FONT_SMALLER_BOLD)
    pango_attr_list_insert (attrs, pango_attr_scale_new (PANGO_SCALE_SMALL));
  return attrs;
}

static void
kl_portfolio_table_row_class_init (KlPortfolioTableRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = kl_portfolio_table_row_dispose;
  object_class->finalize = kl_portfolio_table_row_finalize;
  widget_class->measure = kl_portfolio_table_row_measure;
  widget_class->size_allocate = kl_portfolio_table_row_size_allocate;
  widget_class->snapshot = kl_portfolio_table_row_snapshot;
  widget_class->query_tooltip = kl_portfolio_table_row_query_tooltip;
  widget_class->css_changed = kl_portfolio_table_row_css_changed;

  for (guint f = 0; f < N_FONTS; f++)
    for (guint n = 0; n < 2; n++)
      font_attrs[f][n] = make_attrs (f, n);

  gtk_widget_class_set_css_name (widget_class, "portfoliorow");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
sparkline_popup (GtkMenuButton *button,
                 gpointer       chart)
{
  gtk_menu_button_set_popover (button, kl_chart_widget_create_table_popover (chart));
}

static void
kl_portfolio_table_row_init (KlPortfolioTableRow *self)
{
  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);

  /* Pressing the sparkline shows its months as a table. */
  self->sparkline = kl_chart_widget_new (KL_CHART_WIDGET_SPARKLINE);
  gtk_widget_set_size_request (self->sparkline, 56, 22);
  kl_chart_widget_set_title (KL_CHART_WIDGET (self->sparkline), _("Shipments by month"));
  self->sparkline_button = gtk_menu_button_new ();
  gtk_menu_button_set_child (GTK_MENU_BUTTON (self->sparkline_button), self->sparkline);
  gtk_widget_add_css_class (self->sparkline_button, "flat");
  gtk_widget_add_css_class (self->sparkline_button, "sparkline-button");
  kl_gui_set_tooltip (self->sparkline_button, _("Show as Table"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->sparkline_button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Shipments by month: show as table"), -1);
  gtk_menu_button_set_create_popup_func (GTK_MENU_BUTTON (self->sparkline_button), sparkline_popup,
                                         self->sparkline, NULL);
  gtk_widget_set_parent (self->sparkline_button, GTK_WIDGET (self));
}

/**
 * kl_portfolio_table_row_new:
 * @columns: the header's KL_PORTFOLIO_N_COLUMNS columns, in order: their
 *   widths and visibility place the cells. They must outlive the row.
 */
GtkWidget *
kl_portfolio_table_row_new (GtkColumnViewColumn * const *columns)
{
  KlPortfolioTableRow *self = g_object_new (KL_TYPE_PORTFOLIO_TABLE_ROW, NULL);

  for (guint i = 0; i < KL_PORTFOLIO_N_COLUMNS; i++)
    self->columns[i] = columns[i];
  return GTK_WIDGET (self);
}

/* The row read aloud: each column's title and what its cell says. */
static void
update_accessible (KlPortfolioTableRow *self)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < KL_PORTFOLIO_N_COLUMNS && self->row != NULL; i++)
    {
      const KlPortfolioCell *cell = &self->cells[i];
      const char *parts[] = { cell->title, cell->caption, cell->note };

      if (!column_shown (self, i))
        continue;
      if (text->len > 0)
        /* Translators: joins the cells of a Portfolio row for a screen reader */
        g_string_append (text, C_("table row", "; "));
      if (kl_portfolio_column_rate (i) >= 0 && cell->tooltip != NULL)
        {
          /* A rate reads as its tooltip: the rate, the figure and how it stands. */
          g_string_append (text, cell->tooltip);
          continue;
        }
      /* Translators: a cell of a Portfolio row for a screen reader, "Region: North" */
      g_string_append_printf (text, C_("table row", "%s:"), gtk_column_view_column_get_title (self->columns[i]));
      for (guint p = 0; p < G_N_ELEMENTS (parts); p++)
        if (parts[p] != NULL && *parts[p] != '\0')
          {
            if (p > 0)
              g_string_append (text, C_("table cell", ", "));
            else
              g_string_append_c (text, ' ');
            g_string_append (text, parts[p]);
          }
    }
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, text->str, -1);
  g_free (self->accessible_text);
  self->accessible_text = g_string_free (g_steal_pointer (&text), FALSE);
}

static void
set_sparkline (KlPortfolioTableRow  *self,
               const KlPortfolioRow *row)
{
  double shipments[KL_PORTFOLIO_N_MONTHS];
  g_autoptr(GPtrArray) categories = g_ptr_array_new_with_free_func (g_free);

  /* A recycled row's table is made again from its new figures. */
  gtk_menu_button_set_popover (GTK_MENU_BUTTON (self->sparkline_button), NULL);
  for (int i = 0; i < KL_PORTFOLIO_N_MONTHS; i++)
    {
      g_autoptr(KlPeriod) period = kl_period_new_for_month (row->months[i]);

      shipments[i] = (double) row->monthly_shipments[i];
      g_ptr_array_add (categories, kl_period_to_display (period));
    }
  g_ptr_array_add (categories, NULL);
  kl_chart_widget_set_data (KL_CHART_WIDGET (self->sparkline), (const char * const *) categories->pdata,
                            shipments, KL_PORTFOLIO_N_MONTHS, KL_CHART_FORMAT_COUNT);
}

/**
 * kl_portfolio_table_row_set_row:
 * @row: (nullable): the account the row shows; it must stay alive while
 *   shown (the list item's item owns it)
 */
void
kl_portfolio_table_row_set_row (KlPortfolioTableRow  *self,
                                const KlPortfolioRow *row)
{
  g_return_if_fail (KL_IS_PORTFOLIO_TABLE_ROW (self));

  self->row = row;
  for (guint i = 0; i < KL_PORTFOLIO_N_COLUMNS; i++)
    {
      cell_clear (&self->cells[i]);
      if (row != NULL)
        fill_cell (&self->cells[i], i, row);
    }
  if (row != NULL)
    {
      set_sparkline (self, row);
      update_accessible (self);
    }
  /* The sparkline's place follows the trend's figure. */
  gtk_widget_queue_allocate (GTK_WIDGET (self));
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

const KlPortfolioRow *
kl_portfolio_table_row_get_row (KlPortfolioTableRow *self)
{
  g_return_val_if_fail (KL_IS_PORTFOLIO_TABLE_ROW (self), NULL);
  return self->row;
}

const KlPortfolioCell *
kl_portfolio_table_row_get_cell (KlPortfolioTableRow *self,
                                 KlPortfolioColumn    column)
{
  g_return_val_if_fail (KL_IS_PORTFOLIO_TABLE_ROW (self), NULL);
  g_return_val_if_fail (column < KL_PORTFOLIO_N_COLUMNS, NULL);
  return &self->cells[column];
}

/* What a screen reader reads for the row (its accessible label). */
const char *
kl_portfolio_table_row_get_accessible_text (KlPortfolioTableRow *self)
{
  g_return_val_if_fail (KL_IS_PORTFOLIO_TABLE_ROW (self), NULL);
  return self->accessible_text;
}

/* A column's width or visibility changed: take the new room. */
void
kl_portfolio_table_row_columns_changed (KlPortfolioTableRow *self)
{
  g_return_if_fail (KL_IS_PORTFOLIO_TABLE_ROW (self));
  gtk_widget_queue_resize (GTK_WIDGET (self));
  if (self->row != NULL)
    update_accessible (self);
}
