/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The Pareto chart and the two survey matrices (kl-chart-analysis.h). */

#include <math.h>

#include "kl-chart-analysis.h"
#include "kl-chart-private.h"

/* The plot area left after the title and the axis labels. */
typedef struct {
  double x, y, w, h;
} Area;

static gboolean
area_layout (KlChartCanvas *c, const char *title, gboolean y_label, gboolean x_label, Area *a)
{
  double top = 0.0;

  if (title != NULL && *title != '\0')
    top = _kl_chart_draw_title (c, title, 0.0);
  a->x = c->gap * 2 + c->line_height * (y_label ? 2.2 : 1.2);
  a->y = top + c->gap;
  a->w = c->width - a->x - c->gap * 2;
  a->h = c->height - a->y - c->line_height * (x_label ? 2.6 : 1.6) - c->gap;
  return a->w > 20 && a->h > 20;
}

static double
map (double v, double lo, double hi, double from, double to)
{
  return from + (v - lo) / (hi - lo) * (to - from);
}

static void
draw_vertical_label (KlChartCanvas *c, const char *text, double x, double y)
{
  cairo_save (c->cr);
  cairo_translate (c->cr, x, y);
  cairo_rotate (c->cr, -G_PI / 2);
  _kl_chart_text_draw (c, text, 0, 0, 0.5, 0.5, -1, c->palette->muted);
  cairo_restore (c->cr);
}

void
kl_chart_draw_pareto (cairo_t              *cr,
                      double                width,
                      double                height,
                      const KlChartPalette *palette,
                      const KlChartPareto  *spec)
{
  KlChartCanvas c;
  Area a;
  double total = 0.0, max = 0.0, cumulative = 0.0, slot, column_width;
  gsize columns;
  KlChartColor bar = palette->series[0], line = palette->series[1];

  if (!_kl_chart_canvas_begin (&c, cr, width, height, palette))
    return;
  for (gsize i = 0; i < spec->n_values; i++)
    {
      total += MAX (spec->values[i], 0.0);
      max = MAX (max, spec->values[i]);
    }
  /* nothing to show: not even the title */
  if (spec->n_values == 0 || total <= 0.0 || !area_layout (&c, spec->title, FALSE, TRUE, &a))
    {
      _kl_chart_canvas_end (&c);
      return;
    }
  /* room on the right for the cumulative percentages */
  a.w -= c.line_height * 2.2;
  slot = a.w / spec->n_values;

  /* axes */
  cairo_set_line_width (cr, 1.0);
  _kl_chart_set_color (cr, palette->grid);
  _kl_chart_rectangle (cr, a.x, a.y, a.w, a.h);
  cairo_stroke (cr);

  /* the class marks: dashed lines at 70/90/98 % of the cumulative axis */
  for (gsize m = 0; m < spec->n_marks; m++)
    {
      double y = map (spec->marks[m], 0.0, 1.0, a.y + a.h, a.y);
      double dash[] = { 4.0, 3.0 };
      cairo_save (cr);
      cairo_set_dash (cr, dash, 2, 0);
      _kl_chart_set_color (cr, palette->target);
      _kl_chart_move_to (cr, a.x, y);
      _kl_chart_line_to (cr, a.x + a.w, y);
      cairo_stroke (cr);
      cairo_restore (cr);
      if (spec->mark_labels && spec->mark_labels[m])
        {
          _kl_chart_canvas_font (&c, 0.85, FALSE);
          _kl_chart_text_draw (&c, spec->mark_labels[m], a.x + a.w + c.gap * 0.5, y, 0.0, 0.5, -1,
                               palette->target);
          _kl_chart_canvas_font (&c, 1.0, FALSE);
        }
    }

  /* bars, scaled to the largest, in one fill. More values than the
   * width has units (a portfolio of 100 000 accounts) go in columns of a
   * unit each, as tall as their largest value, and the line passes
   * through each column's end: drawing every account took tens of ms. */
  columns = spec->n_values;
  if ((double) columns > a.w)
    columns = MAX (1, (gsize) a.w);
  column_width = a.w / columns;
  _kl_chart_set_color (cr, bar);
  for (gsize k = 0; k < columns; k++)
    {
      gsize first = k * spec->n_values / columns, end = (k + 1) * spec->n_values / columns;
      double top = 0.0, h, x;

      for (gsize i = first; i < end; i++)
        top = MAX (top, spec->values[i]);
      h = max > 0 ? top / max * a.h : 0.0;
      x = a.x + k * column_width + (columns == spec->n_values ? column_width * 0.15 : 0.0);
      _kl_chart_rectangle (cr, x, a.y + a.h - h,
                           columns == spec->n_values ? MAX (column_width * 0.7, 0.5) : column_width, h);
    }
  cairo_fill (cr);

  /* the cumulative line on the 0…100 % axis */
  cairo_set_line_width (cr, 1.5);
  _kl_chart_set_color (cr, line);
  for (gsize k = 0, i = 0; k < columns; k++)
    {
      gsize end = (k + 1) * spec->n_values / columns;
      double x = a.x + (k + 0.5) * column_width;
      double y;

      for (; i < end; i++)
        cumulative += MAX (spec->values[i], 0.0);
      y = map (cumulative / total, 0.0, 1.0, a.y + a.h, a.y);
      if (k == 0)
        _kl_chart_move_to (cr, x, y);
      else
        _kl_chart_line_to (cr, x, y);
    }
  cairo_stroke (cr);

  /* category labels when there is room for them */
  if (spec->labels != NULL && slot >= c.line_height * 0.9)
    {
      _kl_chart_canvas_font (&c, 0.75, FALSE);
      for (gsize i = 0; i < spec->n_values; i++)
        if (spec->labels[i] != NULL)
          {
            cairo_save (cr);
            cairo_translate (cr, a.x + (i + 0.5) * slot, a.y + a.h + c.gap * 0.5);
            cairo_rotate (cr, -G_PI / 2);
            _kl_chart_text_draw (&c, spec->labels[i], 0, 0, 1.0, 0.5, -1, palette->muted);
            cairo_restore (cr);
          }
      _kl_chart_canvas_font (&c, 1.0, FALSE);
    }
  _kl_chart_text_draw (&c, "0%", a.x + a.w + c.gap * 0.5, a.y + a.h, 0.0, 0.5, -1, palette->muted);
  _kl_chart_canvas_end (&c);
}

typedef struct {
  double x0, y0, x1, y1;
} Box;

static double
box_overlap (const Box *a, const Box *b)
{
  double w = MIN (a->x1, b->x1) - MAX (a->x0, b->x0);
  double h = MIN (a->y1, b->y1) - MAX (a->y0, b->y0);

  return w > 0 && h > 0 ? w * h : 0.0;
}

/* Notes the box of a fixed text (a band or cell label) so that no point label is
 * placed over it; the canvas font must be the one the text is drawn with. */
static void
reserve_text (KlChartCanvas *c, GArray *boxes, const char *text, double x, double y,
              double xalign, double yalign, double max_width)
{
  double w, h;
  Box b;

  if (text == NULL)
    return;
  _kl_chart_text_size (c, text, max_width, &w, &h);
  b.x0 = x - w * xalign;
  b.y0 = y - h * yalign;
  b.x1 = b.x0 + w;
  b.y1 = b.y0 + h;
  g_array_append_val (boxes, b);
}

/* Where a point's label goes: the first of eight places around the dot whose box
 * stays inside the plot and overlaps no label or dot placed before it, else the
 * place that overlaps least, so that close points keep readable labels. */
static void
place_label (const Area *a, const Box *taken, guint n_taken, double x, double y, double w, double h,
             double gap, Box *out)
{
  const double dx[] = { gap * 0.6, -gap * 0.6 - w, -w / 2, -w / 2, gap * 0.4, gap * 0.4, -gap * 0.4 - w, -gap * 0.4 - w };
  const double dy[] = { -h / 2, -h / 2, -gap * 0.5 - h, gap * 0.5, -gap * 0.3 - h, gap * 0.3, -gap * 0.3 - h, gap * 0.3 };
  double best = G_MAXDOUBLE;

  for (guint k = 0; k < G_N_ELEMENTS (dx); k++)
    {
      Box b = { x + dx[k], y + dy[k], x + dx[k] + w, y + dy[k] + h };
      double overlap = 0.0;

      if (b.x0 < a->x || b.x1 > a->x + a->w || b.y0 < a->y || b.y1 > a->y + a->h)
        overlap += w * h;  /* outside the plot: only when nothing else fits */
      for (guint t = 0; t < n_taken; t++)
        overlap += box_overlap (&b, &taken[t]);
      if (overlap < best)
        {
          best = overlap;
          *out = b;
          if (overlap == 0.0)
            return;
        }
    }
}

static void
draw_points (KlChartCanvas *c, const Area *a, const KlChartPoint *points, gsize n,
             double xlo, double xhi, double ylo, double yhi, GArray *reserved)
{
  KlChartColor dot = c->palette->series[0];
  g_autofree Box *taken = g_new0 (Box, 2 * n + reserved->len + 1);
  guint n_taken = 0;
  double r = c->gap * 0.45;

  for (guint i = 0; i < reserved->len; i++)
    taken[n_taken++] = g_array_index (reserved, Box, i);
  _kl_chart_canvas_font (c, 0.8, FALSE);
  /* the dots first, so that no label covers one */
  for (gsize i = 0; i < n; i++)
    {
      double x, y;
      if (isnan (points[i].x) || isnan (points[i].y))
        continue;
      x = map (CLAMP (points[i].x, xlo, xhi), xlo, xhi, a->x, a->x + a->w);
      y = map (CLAMP (points[i].y, ylo, yhi), ylo, yhi, a->y + a->h, a->y);
      _kl_chart_set_color (c->cr, dot);
      _kl_chart_arc (c->cr, x, y, r);
      cairo_fill (c->cr);
      taken[n_taken++] = (Box) { x - r, y - r, x + r, y + r };
    }
  for (gsize i = 0; i < n; i++)
    {
      double x, y, w, h;
      Box b;
      if (isnan (points[i].x) || isnan (points[i].y) || points[i].label == NULL)
        continue;
      x = map (CLAMP (points[i].x, xlo, xhi), xlo, xhi, a->x, a->x + a->w);
      y = map (CLAMP (points[i].y, ylo, yhi), ylo, yhi, a->y + a->h, a->y);
      _kl_chart_text_size (c, points[i].label, -1, &w, &h);
      place_label (a, taken, n_taken, x, y, w, h, c->gap, &b);
      taken[n_taken++] = b;
      _kl_chart_text_draw (c, points[i].label, b.x0, b.y0, 0.0, 0.0, -1, c->palette->foreground);
    }
  _kl_chart_canvas_font (c, 1.0, FALSE);
}

static void
draw_frame (KlChartCanvas *c, const Area *a, double xlo, double xhi, double ylo, double yhi,
            const char *x_label, const char *y_label)
{
  char buf[16];

  cairo_set_line_width (c->cr, 1.0);
  _kl_chart_set_color (c->cr, c->palette->foreground);
  _kl_chart_rectangle (c->cr, a->x, a->y, a->w, a->h);
  cairo_stroke (c->cr);
  _kl_chart_canvas_font (c, 0.8, FALSE);
  for (int v = (int) xlo; v <= (int) xhi; v++)
    {
      double x = map (v, xlo, xhi, a->x, a->x + a->w);
      g_snprintf (buf, sizeof buf, v > 0 && xlo < 0 ? "+%d" : "%d", v);
      _kl_chart_text_draw (c, buf, x, a->y + a->h + c->gap * 0.3, 0.5, 0.0, -1, c->palette->muted);
    }
  for (int v = (int) ylo; v <= (int) yhi; v++)
    {
      double y = map (v, ylo, yhi, a->y + a->h, a->y);
      g_snprintf (buf, sizeof buf, v > 0 && ylo < 0 ? "+%d" : "%d", v);
      _kl_chart_text_draw (c, buf, a->x - c->gap * 0.4, y, 1.0, 0.5, -1, c->palette->muted);
    }
  _kl_chart_canvas_font (c, 1.0, FALSE);
  if (x_label)
    _kl_chart_text_draw (c, x_label, a->x + a->w / 2, a->y + a->h + c->line_height * 1.3, 0.5, 0.0, -1,
                         c->palette->muted);
  if (y_label)
    draw_vertical_label (c, y_label, c->gap + c->line_height * 0.5, a->y + a->h / 2);
}

void
kl_chart_draw_position_matrix (cairo_t                     *cr,
                               double                       width,
                               double                       height,
                               const KlChartPalette        *palette,
                               const KlChartPositionMatrix *spec)
{
  KlChartCanvas c;
  g_autoptr(GArray) reserved = g_array_new (FALSE, FALSE, sizeof (Box));
  Area a;
  const double xlo = 1, xhi = 7, ylo = -3, yhi = 3;
  double y_minus, y_plus, x_important;
  KlChartColor bands[3];

  if (!_kl_chart_canvas_begin (&c, cr, width, height, palette))
    return;
  if (!area_layout (&c, spec->title, TRUE, TRUE, &a))
    {
      _kl_chart_canvas_end (&c);
      return;
    }
  bands[0] = _kl_chart_mix (palette->background, palette->bad, 0.12);
  bands[1] = _kl_chart_mix (palette->background, palette->warn, 0.08);
  bands[2] = _kl_chart_mix (palette->background, palette->good, 0.12);
  y_minus = map (-1.0, ylo, yhi, a.y + a.h, a.y);
  y_plus = map (1.0, ylo, yhi, a.y + a.h, a.y);
  _kl_chart_set_color (cr, bands[0]);
  _kl_chart_rectangle (cr, a.x, y_minus, a.w, a.y + a.h - y_minus);
  cairo_fill (cr);
  _kl_chart_set_color (cr, bands[1]);
  _kl_chart_rectangle (cr, a.x, y_plus, a.w, y_minus - y_plus);
  cairo_fill (cr);
  _kl_chart_set_color (cr, bands[2]);
  _kl_chart_rectangle (cr, a.x, a.y, a.w, y_plus - a.y);
  cairo_fill (cr);

  /* the band lines, labelled at the right end */
  cairo_set_line_width (cr, 1.0);
  _kl_chart_set_color (cr, palette->grid);
  _kl_chart_move_to (cr, a.x, y_minus);
  _kl_chart_line_to (cr, a.x + a.w, y_minus);
  _kl_chart_move_to (cr, a.x, y_plus);
  _kl_chart_line_to (cr, a.x + a.w, y_plus);
  cairo_stroke (cr);
  _kl_chart_set_color (cr, palette->foreground);
  _kl_chart_move_to (cr, a.x, map (0.0, ylo, yhi, a.y + a.h, a.y));
  _kl_chart_line_to (cr, a.x + a.w, map (0.0, ylo, yhi, a.y + a.h, a.y));
  cairo_stroke (cr);
  _kl_chart_canvas_font (&c, 0.8, TRUE);
  if (spec->band_labels[0])
    _kl_chart_text_draw (&c, spec->band_labels[0], a.x + a.w - c.gap * 0.5, a.y + a.h - c.gap * 0.5, 1.0, 1.0, -1, palette->muted);
  if (spec->band_labels[1])
    _kl_chart_text_draw (&c, spec->band_labels[1], a.x + a.w - c.gap * 0.5, y_plus + c.gap * 0.5, 1.0, 0.0, -1, palette->muted);
  if (spec->band_labels[2])
    _kl_chart_text_draw (&c, spec->band_labels[2], a.x + a.w - c.gap * 0.5, a.y + c.gap * 0.5, 1.0, 0.0, -1, palette->muted);
  reserve_text (&c, reserved, spec->band_labels[0], a.x + a.w - c.gap * 0.5, a.y + a.h - c.gap * 0.5, 1.0, 1.0, -1);
  reserve_text (&c, reserved, spec->band_labels[1], a.x + a.w - c.gap * 0.5, y_plus + c.gap * 0.5, 1.0, 0.0, -1);
  reserve_text (&c, reserved, spec->band_labels[2], a.x + a.w - c.gap * 0.5, a.y + c.gap * 0.5, 1.0, 0.0, -1);
  _kl_chart_canvas_font (&c, 1.0, FALSE);

  /* important from 4.0 */
  x_important = map (4.0, xlo, xhi, a.x, a.x + a.w);
  {
    double dash[] = { 4.0, 3.0 };
    cairo_save (cr);
    cairo_set_dash (cr, dash, 2, 0);
    _kl_chart_set_color (cr, palette->target);
    _kl_chart_move_to (cr, x_important, a.y);
    _kl_chart_line_to (cr, x_important, a.y + a.h);
    cairo_stroke (cr);
    cairo_restore (cr);
  }
  if (spec->important_label)
    {
      _kl_chart_canvas_font (&c, 0.8, FALSE);
      _kl_chart_text_draw (&c, spec->important_label, x_important + c.gap * 0.4, a.y + c.gap * 0.5, 0.0, 0.0, -1,
                           palette->target);
      reserve_text (&c, reserved, spec->important_label, x_important + c.gap * 0.4, a.y + c.gap * 0.5, 0.0, 0.0, -1);
      _kl_chart_canvas_font (&c, 1.0, FALSE);
    }
  draw_frame (&c, &a, xlo, xhi, ylo, yhi, spec->x_label, spec->y_label);
  draw_points (&c, &a, spec->points, spec->n_points, xlo, xhi, ylo, yhi, reserved);
  _kl_chart_canvas_end (&c);
}

void
kl_chart_draw_evaluation_matrix (cairo_t                       *cr,
                                 double                         width,
                                 double                         height,
                                 const KlChartPalette          *palette,
                                 const KlChartEvaluationMatrix *spec)
{
  KlChartCanvas c;
  g_autoptr(GArray) reserved = g_array_new (FALSE, FALSE, sizeof (Box));
  Area a;
  const double lo = 1, hi = 7, edges[4] = { 1.0, 3.0, 5.0, 7.0 };

  if (!_kl_chart_canvas_begin (&c, cr, width, height, palette))
    return;
  if (!area_layout (&c, spec->title, TRUE, TRUE, &a))
    {
      _kl_chart_canvas_end (&c);
      return;
    }
  for (int i = 0; i < 3; i++)        /* importance band, bottom up */
    for (int p = 0; p < 3; p++)      /* performance band, left to right */
      {
        double x0 = map (edges[p], lo, hi, a.x, a.x + a.w), x1 = map (edges[p + 1], lo, hi, a.x, a.x + a.w);
        double y0 = map (edges[i + 1], lo, hi, a.y + a.h, a.y), y1 = map (edges[i], lo, hi, a.y + a.h, a.y);
        /* the more urgent the action, the warmer the cell */
        double urgency = CLAMP ((i - p + 2) / 4.0, 0.0, 1.0);
        KlChartColor fill = _kl_chart_mix (palette->background,
                                           urgency > 0.5 ? palette->bad : palette->good,
                                           0.06 + 0.12 * fabs (urgency - 0.5) * 2);
        _kl_chart_set_color (cr, fill);
        _kl_chart_rectangle (cr, x0, y0, x1 - x0, y1 - y0);
        cairo_fill (cr);
        if (spec->cell_labels[i][p])
          {
            _kl_chart_canvas_font (&c, 0.8, TRUE);
            _kl_chart_text_draw (&c, spec->cell_labels[i][p], (x0 + x1) / 2, y0 + c.gap * 0.4, 0.5, 0.0,
                                 x1 - x0 - c.gap, palette->muted);
            reserve_text (&c, reserved, spec->cell_labels[i][p], (x0 + x1) / 2, y0 + c.gap * 0.4, 0.5, 0.0,
                          x1 - x0 - c.gap);
            _kl_chart_canvas_font (&c, 1.0, FALSE);
          }
      }
  cairo_set_line_width (cr, 1.0);
  _kl_chart_set_color (cr, palette->grid);
  for (int k = 1; k < 3; k++)
    {
      double x = map (edges[k], lo, hi, a.x, a.x + a.w), y = map (edges[k], lo, hi, a.y + a.h, a.y);
      _kl_chart_move_to (cr, x, a.y);
      _kl_chart_line_to (cr, x, a.y + a.h);
      _kl_chart_move_to (cr, a.x, y);
      _kl_chart_line_to (cr, a.x + a.w, y);
    }
  cairo_stroke (cr);
  draw_frame (&c, &a, lo, hi, lo, hi, spec->x_label, spec->y_label);
  draw_points (&c, &a, spec->points, spec->n_points, lo, hi, lo, hi, reserved);
  _kl_chart_canvas_end (&c);
}
