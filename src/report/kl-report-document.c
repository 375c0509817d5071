/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The report document's flow engine: text, tables and drawings laid out once
 * with unhinted Pango metrics, paginated, and drawn page by page onto any
 * cairo_t; plus the PDF, SVG and PNG writers. */
#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>

#include <math.h>
#include <string.h>

#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <glib/gi18n-lib.h>

#include "kl-report-document-private.h"

#define CELL_PAD_X 3.5
#define CELL_PAD_Y 2.5
#define TABLE_FONT 8.0
#define RUNNING_HEADER_H 26.0

const KlChartColor _kl_doc_ink         = { 0.10, 0.10, 0.10, 1 };
const KlChartColor _kl_doc_muted       = { 0.33, 0.33, 0.33, 1 };
const KlChartColor _kl_doc_accent      = { 0x08 / 255.0, 0x30 / 255.0, 0x6b / 255.0, 1 };
const KlChartColor _kl_doc_good        = { 0x1b / 255.0, 0x6e / 255.0, 0x20 / 255.0, 1 };
const KlChartColor _kl_doc_bad         = { 0xb7 / 255.0, 0x1c / 255.0, 0x1c / 255.0, 1 };
const KlChartColor _kl_doc_rule        = { 0.78, 0.78, 0.78, 1 };
const KlChartColor _kl_doc_shade       = { 0.965, 0.972, 0.98, 1 };
const KlChartColor _kl_doc_header_fill = { 0.898, 0.922, 0.949, 1 };

/* One block (or a part of it) on a page. */
typedef struct {
  KlDocBlock *block;
  guint       first;   /* units: lines of text, rows of a table */
  guint       end;
  double      y;
} KlDocPlacement;

G_DEFINE_QUARK (kl-report-document-error-quark, kl_report_document_error)

/* The page size of paper in points. */
static void
kl_paper_size_get_size (KlPaperSize  paper,
                        double      *out_width,
                        double      *out_height)
{
  double w = 595.0, h = 842.0;   /* ISO A4, 210 × 297 mm */

  if (paper == KL_PAPER_LETTER)
    {
      w = 612.0;
      h = 792.0;
    }
  if (out_width != NULL)
    *out_width = w;
  if (out_height != NULL)
    *out_height = h;
}

/* Text */

void
_kl_doc_set_color (cairo_t            *cr,
                   const KlChartColor *color)
{
  cairo_set_source_rgba (cr, color->red, color->green, color->blue, color->alpha);
}

PangoLayout *
_kl_doc_layout_new (KlReportDocument *doc,
                    const char       *text,
                    double            size,
                    gboolean          bold,
                    double            width,
                    KlDocAlign        align)
{
  PangoLayout *layout = pango_layout_new (doc->context);
  PangoFontDescription *font = pango_font_description_from_string (KL_CHART_FONT_FAMILY);

  pango_font_description_set_absolute_size (font, size * PANGO_SCALE);
  pango_font_description_set_weight (font, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
  pango_layout_set_font_description (layout, font);
  pango_font_description_free (font);

  if (width > 0)
    {
      pango_layout_set_width (layout, (int) floor (width * PANGO_SCALE));
      pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
    }
  pango_layout_set_alignment (layout, align == KL_DOC_ALIGN_END ? PANGO_ALIGN_RIGHT
                                      : align == KL_DOC_ALIGN_CENTER ? PANGO_ALIGN_CENTER
                                      : PANGO_ALIGN_LEFT);
  /* ASCII in a face of its own: a PDF stays small (kl-chart-text.c). */
  kl_chart_layout_set_text (layout, text);
  return layout;
}

static void
_kl_doc_layout_set_color (PangoLayout        *layout,
                          const KlChartColor *color)
{
  PangoAttrList *attrs = pango_layout_get_attributes (layout);

  /* Added to the text's own attributes (its Latin runs). */
  attrs = attrs != NULL ? pango_attr_list_copy (attrs) : pango_attr_list_new ();
  pango_attr_list_insert (attrs, pango_attr_foreground_new ((guint16) (color->red * 65535),
                                                            (guint16) (color->green * 65535),
                                                            (guint16) (color->blue * 65535)));
  pango_layout_set_attributes (layout, attrs);
  pango_attr_list_unref (attrs);
}

double
_kl_doc_layout_height (PangoLayout *layout)
{
  PangoRectangle logical;

  pango_layout_get_extents (layout, NULL, &logical);
  return (double) logical.height / PANGO_SCALE;
}

/* Blocks */

static void
table_free_rows (KlDocTable *table)
{
  for (guint r = 0; r <= table->rows->len; r++)
    {
      KlDocRow *row = r < table->rows->len ? g_ptr_array_index (table->rows, r) : table->header;

      if (row == NULL)
        continue;
      for (guint i = 0; i < table->n_columns; i++)
        g_clear_object (&row->cells[i]);
      g_free (row->cells);
      g_free (row);
    }
  g_ptr_array_set_size (table->rows, 0);
  table->header = NULL;
}


static void
block_free (gpointer data)
{
  KlDocBlock *block = data;

  g_clear_object (&block->layout);
  g_clear_pointer (&block->line_tops, g_array_unref);
  g_clear_pointer (&block->baselines, g_array_unref);
  g_clear_pointer (&block->line_xs, g_array_unref);
  if (block->table != NULL)
    {
      KlDocTable *table = block->table;

      table_free_rows (table);
      g_ptr_array_unref (table->rows);
      g_free (table->widths);
      g_free (table->align);
      g_free (table);
    }
  if (block->data_free != NULL)
    block->data_free (block->data);
  g_free (block);
}

static KlDocBlock *
block_append (KlReportDocument *doc,
              KlDocBlockKind    kind,
              double            space_before)
{
  KlDocBlock *block = g_new0 (KlDocBlock, 1);

  block->kind = kind;
  block->space_before = space_before;
  g_ptr_array_add (doc->blocks, block);
  return block;
}

KlDocBlock *
_kl_doc_add_text (KlReportDocument   *doc,
                  const char         *text,
                  double              size,
                  gboolean            bold,
                  const KlChartColor *color,
                  double              indent,
                  double              space_before)
{
  KlDocBlock *block = block_append (doc, KL_DOC_BLOCK_TEXT, space_before);
  PangoLayoutIter *iter;
  PangoRectangle logical;
  double top;

  block->indent = indent;
  block->color = color != NULL ? *color : _kl_doc_ink;
  block->layout = _kl_doc_layout_new (doc, text, size, bold, doc->content_width - indent,
                                      KL_DOC_ALIGN_START);
  pango_layout_set_spacing (block->layout, (int) (size * 0.25 * PANGO_SCALE));
  block->line_tops = g_array_new (FALSE, FALSE, sizeof (double));
  block->baselines = g_array_new (FALSE, FALSE, sizeof (double));
  block->line_xs = g_array_new (FALSE, FALSE, sizeof (double));

  iter = pango_layout_get_iter (block->layout);
  do
    {
      double baseline = (double) pango_layout_iter_get_baseline (iter) / PANGO_SCALE;
      double x;

      pango_layout_iter_get_line_extents (iter, NULL, &logical);
      top = (double) logical.y / PANGO_SCALE;
      x = (double) logical.x / PANGO_SCALE;
      g_array_append_val (block->line_tops, top);
      g_array_append_val (block->baselines, baseline);
      g_array_append_val (block->line_xs, x);
    }
  while (pango_layout_iter_next_line (iter));
  pango_layout_iter_free (iter);
  top = _kl_doc_layout_height (block->layout);
  g_array_append_val (block->line_tops, top);
  return block;
}

KlDocBlock *
_kl_doc_add_heading (KlReportDocument *doc,
                     const char       *text)
{
  KlDocBlock *block = _kl_doc_add_text (doc, text, 12.5, TRUE, &_kl_doc_accent, 0, 16);

  block->keep_with_next = TRUE;
  return block;
}

KlDocBlock *
_kl_doc_add_drawing (KlReportDocument *doc,
                     double            height,
                     double            space_before,
                     KlDocDrawFunc     draw,
                     gpointer          data,
                     GDestroyNotify    data_free)
{
  KlDocBlock *block = block_append (doc, KL_DOC_BLOCK_DRAWING, space_before);

  block->height = height;
  block->draw = draw;
  block->data = data;
  block->data_free = data_free;
  return block;
}

/* Tables */

KlDocTable *
_kl_doc_table_new (KlReportDocument *doc,
                   guint             n_columns,
                   const double     *fractions,
                   const KlDocAlign *align)
{
  KlDocTable *table = g_new0 (KlDocTable, 1);

  table->n_columns = n_columns;
  table->widths = g_new (double, n_columns);
  table->align = g_new (KlDocAlign, n_columns);
  for (guint i = 0; i < n_columns; i++)
    {
      table->widths[i] = fractions[i] * doc->content_width;
      table->align[i] = align != NULL ? align[i] : KL_DOC_ALIGN_START;
    }
  table->rows = g_ptr_array_new ();
  return table;
}

static KlDocRow *
row_new (KlReportDocument    *doc,
         KlDocTable          *table,
         const char * const  *texts,
         const KlChartColor * const *colors,
         gboolean             bold)
{
  KlDocRow *row = g_new0 (KlDocRow, 1);
  double height = 0;

  row->cells = g_new0 (PangoLayout *, table->n_columns + 1);
  for (guint i = 0; i < table->n_columns; i++)
    {
      double w = table->widths[i] - 2 * CELL_PAD_X;

      if (texts[i] == NULL || *texts[i] == '\0')
        continue;
      row->cells[i] = _kl_doc_layout_new (doc, texts[i], bold ? TABLE_FONT - 0.5 : TABLE_FONT,
                                          bold, MAX (w, 1), table->align[i]);
      if (colors != NULL && colors[i] != NULL)
        _kl_doc_layout_set_color (row->cells[i], colors[i]);
      height = MAX (height, _kl_doc_layout_height (row->cells[i]));
    }
  if (height == 0)
    height = TABLE_FONT * 1.2;
  row->height = height + 2 * CELL_PAD_Y;
  return row;
}

void
_kl_doc_table_set_header (KlReportDocument   *doc,
                          KlDocTable         *table,
                          const char * const *texts)
{
  table->header = row_new (doc, table, texts, NULL, TRUE);
}

KlDocRow *
_kl_doc_table_add_row (KlReportDocument            *doc,
                       KlDocTable                  *table,
                       const char * const          *texts,
                       const KlChartColor * const  *colors)
{
  KlDocRow *row = row_new (doc, table, texts, colors, FALSE);

  g_ptr_array_add (table->rows, row);
  return row;
}

KlDocBlock *
_kl_doc_add_table (KlReportDocument *doc,
                   KlDocTable       *table,
                   double            space_before)
{
  KlDocBlock *block = block_append (doc, KL_DOC_BLOCK_TABLE, space_before);

  block->table = table;
  block->keep_together = table->rows->len <= 12;
  return block;
}

/* Pagination */

static guint
block_n_units (const KlDocBlock *block)
{
  switch (block->kind)
    {
    case KL_DOC_BLOCK_TEXT:
      return block->baselines->len;
    case KL_DOC_BLOCK_TABLE:
      return MAX (block->table->rows->len, 1);
    case KL_DOC_BLOCK_DRAWING:
    default:
      return 1;
    }
}

static double
block_unit_height (const KlDocBlock *block,
                   guint             i)
{
  switch (block->kind)
    {
    case KL_DOC_BLOCK_TEXT:
      return g_array_index (block->line_tops, double, i + 1) -
             g_array_index (block->line_tops, double, i);
    case KL_DOC_BLOCK_TABLE:
      if (block->table->rows->len == 0)
        return 0;
      return ((KlDocRow *) g_ptr_array_index (block->table->rows, i))->height;
    case KL_DOC_BLOCK_DRAWING:
    default:
      return block->height;
    }
}

/* What every part of the block repeats: a table's header. */
static double
block_overhead (const KlDocBlock *block)
{
  if (block->kind == KL_DOC_BLOCK_TABLE && block->table->header != NULL)
    return block->table->header->height;
  return 0;
}

/* The least of block that must go on a page with what precedes it. */
static double
block_first_need (const KlDocBlock *block)
{
  double need = block->space_before + block_overhead (block);

  if (block->keep_together)
    for (guint i = 0; i < block_n_units (block); i++)
      need += block_unit_height (block, i);
  else
    need += block_unit_height (block, 0);
  return need;
}

static double
page_top (KlReportDocument *doc,
          guint             page)
{
  return doc->margin_top + (page > 0 ? RUNNING_HEADER_H : 0);
}

static GArray *
page_new (KlReportDocument *doc)
{
  GArray *page = g_array_new (FALSE, FALSE, sizeof (KlDocPlacement));

  g_ptr_array_add (doc->pages, page);
  return page;
}

static void
paginate (KlReportDocument *doc)
{
  double bottom = doc->page_height - doc->margin_bottom;
  GArray *page = page_new (doc);
  double y = page_top (doc, 0);

  for (guint b = 0; b < doc->blocks->len; b++)
    {
      KlDocBlock *block = g_ptr_array_index (doc->blocks, b);
      guint n = block_n_units (block);
      guint u = 0;

      if (y > page_top (doc, doc->pages->len - 1))
        y += block->space_before;

      while (u < n)
        {
          double overhead = block_overhead (block);
          double h = overhead;
          guint k = u;
          gboolean at_top = y <= page_top (doc, doc->pages->len - 1);

          while (k < n && h + block_unit_height (block, k) <= bottom - y + 0.01)
            h += block_unit_height (block, k++);

          /* A heading goes with the start of what follows it. */
          if (k == n && block->keep_with_next && b + 1 < doc->blocks->len && !at_top)
            {
              KlDocBlock *next = g_ptr_array_index (doc->blocks, b + 1);
              double need = block_first_need (next);

              /* (unless the two could not share even a fresh page) */
              if (y + h + need > bottom + 0.01 &&
                  page_top (doc, 1) + h + need <= bottom + 0.01)
                k = u;
            }
          /* No single line of a paragraph left alone at the foot of a page,
           * and no table split leaving fewer than three rows on a side. */
          if (block->kind == KL_DOC_BLOCK_TEXT && k == u + 1 && n - u > 2 && !at_top)
            k = u;
          if (block->keep_together && k < n && !at_top &&
              page_top (doc, 1) + block_first_need (block) - block->space_before <= bottom)
            k = u;
          if (block->kind == KL_DOC_BLOCK_TABLE && k < n)
            {
              if (n - k < 3)
                {
                  while (k > u && n - k < 3)
                    h -= block_unit_height (block, --k);
                }
              if (k - u < 3 && !at_top)
                k = u;
            }

          if (k == u)
            {
              if (at_top)
                {
                  /* Taller than a page: place it anyway (drawings are sized
                   * to fit, so only a freak table row gets here). */
                  k = u + 1;
                  h = overhead + block_unit_height (block, u);
                }
              else
                {
                  page = page_new (doc);
                  y = page_top (doc, doc->pages->len - 1);
                  continue;
                }
            }

          {
            KlDocPlacement placement = { block, u, k, y };

            g_array_append_val (page, placement);
          }
          y += h;
          u = k;
          if (u < n)
            {
              page = page_new (doc);
              y = page_top (doc, doc->pages->len - 1);
            }
        }
    }
}

/* Drawing */

static void
draw_text (KlReportDocument     *doc,
           const KlDocPlacement *p,
           cairo_t              *cr,
           double                x)
{
  KlDocBlock *block = p->block;
  double top = g_array_index (block->line_tops, double, p->first);

  _kl_doc_set_color (cr, &block->color);
  for (guint i = p->first; i < p->end; i++)
    {
      PangoLayoutLine *line = pango_layout_get_line_readonly (block->layout, (int) i);

      cairo_move_to (cr, x + block->indent + g_array_index (block->line_xs, double, i),
                     p->y + g_array_index (block->baselines, double, i) - top);
      pango_cairo_show_layout_line (cr, line);
    }
}

static void
draw_row (KlDocTable *table,
          KlDocRow   *row,
          cairo_t    *cr,
          double      x,
          double      y,
          const KlChartColor *fill)
{
  double cx = x, width = 0;

  for (guint i = 0; i < table->n_columns; i++)
    width += table->widths[i];
  if (fill != NULL)
    {
      _kl_doc_set_color (cr, fill);
      cairo_rectangle (cr, x, y, width, row->height);
      cairo_fill (cr);
    }
  _kl_doc_set_color (cr, &_kl_doc_ink);
  for (guint i = 0; i < table->n_columns; i++)
    {
      if (row->cells[i] != NULL)
        {
          cairo_move_to (cr, cx + CELL_PAD_X, y + CELL_PAD_Y);
          pango_cairo_show_layout (cr, row->cells[i]);
        }
      cx += table->widths[i];
    }
  _kl_doc_set_color (cr, &_kl_doc_rule);
  cairo_set_line_width (cr, 0.5);
  cairo_move_to (cr, x, y + row->height - 0.25);
  cairo_rel_line_to (cr, width, 0);
  cairo_stroke (cr);
}

static void
draw_table (KlReportDocument     *doc,
            const KlDocPlacement *p,
            cairo_t              *cr,
            double                x)
{
  KlDocTable *table = p->block->table;
  double y = p->y;

  if (table->header != NULL)
    {
      draw_row (table, table->header, cr, x, y, &_kl_doc_header_fill);
      y += table->header->height;
    }
  for (guint r = p->first; r < p->end && r < table->rows->len; r++)
    {
      KlDocRow *row = g_ptr_array_index (table->rows, r);

      draw_row (table, row, cr, x, y,
                row->strong ? &_kl_doc_header_fill : (r % 2 == 1 ? &_kl_doc_shade : NULL));
      y += row->height;
    }
}

static void
draw_running_header (KlReportDocument *doc,
                     cairo_t          *cr)
{
  g_autofree char *left = g_strdup_printf ("%s · %s", doc->title, doc->client_display);
  double half = doc->content_width / 2 - 6;
  g_autoptr(PangoLayout) l = _kl_doc_layout_new (doc, left, 8, FALSE, half, KL_DOC_ALIGN_START);
  g_autoptr(PangoLayout) r = _kl_doc_layout_new (doc, doc->period_display, 8, FALSE, half,
                                                 KL_DOC_ALIGN_END);
  double h;

  pango_layout_set_ellipsize (l, PANGO_ELLIPSIZE_END);
  pango_layout_set_height (l, 0);  /* one line */
  h = _kl_doc_layout_height (l);
  _kl_doc_set_color (cr, &_kl_doc_muted);
  cairo_move_to (cr, doc->margin_left, doc->margin_top);
  pango_cairo_show_layout (cr, l);
  cairo_move_to (cr, doc->margin_left + doc->content_width - half, doc->margin_top);
  pango_cairo_show_layout (cr, r);
  _kl_doc_set_color (cr, &_kl_doc_rule);
  cairo_set_line_width (cr, 0.75);
  cairo_move_to (cr, doc->margin_left, doc->margin_top + h + 4);
  cairo_rel_line_to (cr, doc->content_width, 0);
  cairo_stroke (cr);
}

static void
draw_footer (KlReportDocument *doc,
             cairo_t          *cr,
             int               page)
{
  /* Translators: the footer of every report page. */
  g_autofree char *number = g_strdup_printf (KL_DOC_T (doc, N_("Page %1$d of %2$d")),
                                             page + 1, (int) doc->pages->len);
  double third = doc->content_width / 3;
  g_autoptr(PangoLayout) r = _kl_doc_layout_new (doc, number, 8, FALSE, third, KL_DOC_ALIGN_END);
  double y = doc->page_height - doc->margin_bottom + 16;

  _kl_doc_set_color (cr, &_kl_doc_rule);
  cairo_set_line_width (cr, 0.75);
  cairo_move_to (cr, doc->margin_left, y - 5);
  cairo_rel_line_to (cr, doc->content_width, 0);
  cairo_stroke (cr);

  _kl_doc_set_color (cr, &_kl_doc_muted);
  if (doc->company_name != NULL)
    {
      g_autoptr(PangoLayout) l = _kl_doc_layout_new (doc, doc->company_name, 8, FALSE,
                                                     2 * third - 12, KL_DOC_ALIGN_START);

      pango_layout_set_ellipsize (l, PANGO_ELLIPSIZE_END);
      pango_layout_set_height (l, 0);
      cairo_move_to (cr, doc->margin_left, y);
      pango_cairo_show_layout (cr, l);
    }
  cairo_move_to (cr, doc->margin_left + 2 * third, y);
  pango_cairo_show_layout (cr, r);
}

void
kl_report_document_draw_page (KlReportDocument *self,
                              cairo_t          *cr,
                              int               page)
{
  GArray *placements;

  g_return_if_fail (self != NULL);
  g_return_if_fail (cr != NULL);
  g_return_if_fail (page >= 0 && (guint) page < self->pages->len);

  placements = g_ptr_array_index (self->pages, page);
  cairo_save (cr);
  if (page > 0)
    draw_running_header (self, cr);

  for (guint i = 0; i < placements->len; i++)
    {
      const KlDocPlacement *p = &g_array_index (placements, KlDocPlacement, i);

      switch (p->block->kind)
        {
        case KL_DOC_BLOCK_TEXT:
          draw_text (self, p, cr, self->margin_left);
          break;
        case KL_DOC_BLOCK_TABLE:
          draw_table (self, p, cr, self->margin_left);
          break;
        case KL_DOC_BLOCK_DRAWING:
          cairo_save (cr);
          cairo_translate (cr, self->margin_left, p->y);
          p->block->draw (self, p->block->data, cr, self->content_width, p->block->height);
          cairo_restore (cr);
          break;
        default:
          g_assert_not_reached ();
        }
    }

  draw_footer (self, cr, page);
  cairo_restore (cr);
}

/* The document */

static char *
today_iso (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  return g_date_time_format (now, "%Y-%m-%d");
}

static cairo_surface_t *
load_logo (const char *path)
{
  cairo_surface_t *surface;

  if (path == NULL || *path == '\0')
    return NULL;
  surface = cairo_image_surface_create_from_png (path);
  if (cairo_surface_status (surface) != CAIRO_STATUS_SUCCESS ||
      cairo_image_surface_get_width (surface) <= 0 ||
      cairo_image_surface_get_height (surface) <= 0)
    {
      g_debug ("Logo “%s” is not a readable PNG (%s); the report goes without it",
               path, cairo_status_to_string (cairo_surface_status (surface)));
      cairo_surface_destroy (surface);
      return NULL;
    }
  return surface;
}

/* A copy of text, or NULL when it is NULL or only white space. */
static char *
dup_nonempty (const char *text)
{
  g_autofree char *stripped = NULL;

  if (text == NULL)
    return NULL;
  stripped = g_strstrip (g_strdup (text));
  return *stripped != '\0' ? g_strdup (text) : NULL;
}

/* Loading fonts is most of laying a report out (about 20 of 22 ms), so
 * documents that stay on one thread can share that thread's font map, which
 * lives as long as the thread. */
static PangoFontMap *
thread_font_map (void)
{
  static GPrivate font_map = G_PRIVATE_INIT (g_object_unref);
  PangoFontMap *map = g_private_get (&font_map);

  if (map == NULL)
    {
      map = pango_cairo_font_map_new ();
      g_private_set (&font_map, map);
    }
  return map;
}

KlReportDocument *
kl_report_document_new (const KlReportModel           *model,
                        const KlReportDocumentOptions *options)
{
  static const KlReportDocumentOptions defaults = KL_REPORT_DOCUMENT_OPTIONS_INIT;
  KlReportDocument *self;
  cairo_font_options_t *font_options;

  g_return_val_if_fail (model != NULL, NULL);

  if (options == NULL)
    options = &defaults;

  self = g_new0 (KlReportDocument, 1);
  self->model = kl_report_model_copy (model);
  self->language = g_strdup (kl_report_language_normalize (options->language != NULL
                                                           ? options->language
                                                           : model->report_language));
  self->company_name = dup_nonempty (options->company_name);
  /* What the KAM wrote comes with the model, as in the JSON and CSV. */
  self->comments = dup_nonempty (model->comments);
  self->goals = dup_nonempty (model->goals);
  self->client_notes = g_ptr_array_new_with_free_func (g_free);
  if (model->client_notes != NULL)
    for (guint i = 0; i < model->client_notes->len; i++)
      {
        char *note = dup_nonempty (g_ptr_array_index (model->client_notes, i));

        if (note != NULL)
          g_ptr_array_add (self->client_notes, note);
      }
  self->generated_date = options->generated_date != NULL ? g_strdup (options->generated_date)
                                                         : today_iso ();
  self->logo = load_logo (options->logo_path);

  self->paper = options->paper == KL_PAPER_LETTER ? KL_PAPER_LETTER : KL_PAPER_A4;
  kl_paper_size_get_size (self->paper, &self->page_width, &self->page_height);
  self->margin_left = 50;
  self->margin_right = 50;
  self->margin_top = 44;
  self->margin_bottom = 54;
  self->content_width = self->page_width - self->margin_left - self->margin_right;

  /* Unhinted metrics and unrounded positions: the same line breaks and page
   * breaks on a PDF, a 60 dpi preview and a 600 dpi printer. */
  /* A font map of the document's own: Pango's default one belongs to a
   * thread, and a report laid out on the worker is drawn on the main thread. */
  self->font_map = options->thread_fonts ? g_object_ref (thread_font_map ()) : pango_cairo_font_map_new ();
  self->context = pango_font_map_create_context (self->font_map);
  font_options = cairo_font_options_create ();
  cairo_font_options_set_hint_metrics (font_options, CAIRO_HINT_METRICS_OFF);
  cairo_font_options_set_hint_style (font_options, CAIRO_HINT_STYLE_NONE);
  pango_cairo_context_set_font_options (self->context, font_options);
  cairo_font_options_destroy (font_options);
  pango_cairo_context_set_resolution (self->context, 72);
  pango_context_set_round_glyph_positions (self->context, FALSE);
  /* Simplified Chinese glyph forms for Han characters in either language. */
  pango_context_set_language (self->context,
                              pango_language_from_string (g_str_equal (self->language, "zh_CN")
                                                          ? "zh-cn" : "en"));

  self->period_display = _kl_doc_period_display (self, self->model->period);
  self->blocks = g_ptr_array_new_with_free_func (block_free);
  self->pages = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);
  _kl_doc_build_sections (self);
  paginate (self);
  return self;
}

void
kl_report_document_free (KlReportDocument *self)
{
  if (self == NULL)
    return;
  g_ptr_array_unref (self->pages);
  g_ptr_array_unref (self->blocks);
  g_clear_object (&self->context);
  g_clear_object (&self->font_map);
  g_clear_pointer (&self->logo, cairo_surface_destroy);
  kl_report_model_free (self->model);
  g_free (self->language);
  g_free (self->company_name);
  g_free (self->comments);
  g_free (self->goals);
  g_ptr_array_unref (self->client_notes);
  g_free (self->generated_date);
  g_free (self->title);
  g_free (self->period_display);
  g_free (self->client_display);
  g_free (self);
}

int
kl_report_document_get_n_pages (KlReportDocument *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return (int) self->pages->len;
}

void
kl_report_document_get_page_size (KlReportDocument *self,
                                  double           *out_width,
                                  double           *out_height)
{
  g_return_if_fail (self != NULL);

  if (out_width != NULL)
    *out_width = self->page_width;
  if (out_height != NULL)
    *out_height = self->page_height;
}

const char *
kl_report_document_get_language (KlReportDocument *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->language;
}

const char *
kl_report_document_get_title (KlReportDocument *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->title;
}

/* Writers */

static gboolean
surface_check (cairo_surface_t  *surface,
               const char       *path,
               GError          **error)
{
  cairo_status_t status = cairo_surface_status (surface);

  if (status == CAIRO_STATUS_SUCCESS)
    return TRUE;
  g_set_error (error, KL_REPORT_DOCUMENT_ERROR, KL_REPORT_DOCUMENT_ERROR_WRITE,
               _("Could not write the report to “%s” (%s); check that the folder exists and can be written to"),
               path, cairo_status_to_string (status));
  return FALSE;
}

static gboolean
check_page (KlReportDocument  *self,
            int                page,
            GError           **error)
{
  if (page >= 0 && (guint) page < self->pages->len)
    return TRUE;
  g_set_error (error, KL_REPORT_DOCUMENT_ERROR, KL_REPORT_DOCUMENT_ERROR_PAGE,
               _("The report has no page %d; it has pages 1 to %d"),
               page + 1, (int) self->pages->len);
  return FALSE;
}

/* Files are written beside their final name and moved there once complete,
 * so a failed write (a full disk) never leaves a broken report behind or
 * spoils an older one. */
static char *
partial_path (const char *path)
{
  return g_strdup_printf ("%s.part", path);
}

static gboolean
finish_file (const char  *partial,
             const char  *path,
             gboolean     ok,
             GError     **error)
{
  if (ok && g_rename (partial, path) != 0)
    {
      int saved = errno;

      g_set_error (error, KL_REPORT_DOCUMENT_ERROR, KL_REPORT_DOCUMENT_ERROR_WRITE,
                   _("Could not write the report to “%s” (%s); check that the folder exists and can be written to"),
                   path, g_strerror (saved));
      ok = FALSE;
    }
  if (!ok)
    g_unlink (partial);
  return ok;
}

gboolean
kl_report_document_write_pdf (KlReportDocument  *self,
                              const char        *path,
                              GError           **error)
{
  g_autofree char *partial = NULL;
  cairo_surface_t *surface;
  cairo_t *cr;
  gboolean ok;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  partial = partial_path (path);
  surface = cairo_pdf_surface_create (partial, self->page_width, self->page_height);
  if (!surface_check (surface, path, error))
    {
      cairo_surface_destroy (surface);
      return finish_file (partial, path, FALSE, NULL);
    }
  {
    g_autofree char *title = g_strdup_printf ("%s — %s — %s", self->title, self->client_display,
                                              self->period_display);

    cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_TITLE, title);
    cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATOR, "Keyline");
    if (self->company_name != NULL)
      cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_AUTHOR, self->company_name);
  }
  cr = cairo_create (surface);
  for (guint i = 0; i < self->pages->len; i++)
    {
      kl_report_document_draw_page (self, cr, (int) i);
      cairo_show_page (cr);
    }
  cairo_destroy (cr);
  cairo_surface_finish (surface);
  ok = surface_check (surface, path, error);
  cairo_surface_destroy (surface);
  return finish_file (partial, path, ok, error);
}

gboolean
kl_report_document_write_svg (KlReportDocument  *self,
                              const char        *path,
                              int                page,
                              GError           **error)
{
  g_autofree char *partial = NULL;
  cairo_surface_t *surface;
  cairo_t *cr;
  gboolean ok;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!check_page (self, page, error))
    return FALSE;
  partial = partial_path (path);
  surface = cairo_svg_surface_create (partial, self->page_width, self->page_height);
  if (!surface_check (surface, path, error))
    {
      cairo_surface_destroy (surface);
      return finish_file (partial, path, FALSE, NULL);
    }
  cairo_svg_surface_set_document_unit (surface, CAIRO_SVG_UNIT_PT);
  cr = cairo_create (surface);
  kl_report_document_draw_page (self, cr, page);
  cairo_show_page (cr);
  cairo_destroy (cr);
  cairo_surface_finish (surface);
  ok = surface_check (surface, path, error);
  cairo_surface_destroy (surface);
  return finish_file (partial, path, ok, error);
}

gboolean
kl_report_document_write_png (KlReportDocument  *self,
                              const char        *path,
                              int                page,
                              double             dpi,
                              GError           **error)
{
  g_autofree char *partial = NULL;
  cairo_surface_t *surface;
  cairo_t *cr;
  cairo_status_t status;
  double scale;
  int w, h;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (dpi > 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!check_page (self, page, error))
    return FALSE;
  scale = dpi / 72.0;
  w = (int) ceil (self->page_width * scale);
  h = (int) ceil (self->page_height * scale);
  surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, w, h);
  if (!surface_check (surface, path, error))
    {
      cairo_surface_destroy (surface);
      return FALSE;
    }
  cr = cairo_create (surface);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  cairo_scale (cr, scale, scale);
  kl_report_document_draw_page (self, cr, page);
  cairo_destroy (cr);
  partial = partial_path (path);
  status = cairo_surface_write_to_png (surface, partial);
  cairo_surface_destroy (surface);
  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, KL_REPORT_DOCUMENT_ERROR, KL_REPORT_DOCUMENT_ERROR_WRITE,
                   _("Could not write the report to “%s” (%s); check that the folder exists and can be written to"),
                   path, cairo_status_to_string (status));
      return finish_file (partial, path, FALSE, NULL);
    }
  return finish_file (partial, path, TRUE, error);
}

char *
kl_report_document_page_path (const char *path,
                              int         page,
                              int         n_pages)
{
  g_autofree char *dir = NULL;
  g_autofree char *base = NULL;
  const char *dot;

  g_return_val_if_fail (path != NULL, NULL);

  if (n_pages <= 1)
    return g_strdup (path);
  dir = g_path_get_dirname (path);
  base = g_path_get_basename (path);
  dot = strrchr (base, '.');
  {
    g_autofree char *stem = dot != NULL && dot != base ? g_strndup (base, (gsize) (dot - base))
                                                       : g_strdup (base);
    g_autofree char *name = g_strdup_printf ("%s-%d%s", stem, page + 1,
                                             dot != NULL && dot != base ? dot : "");

    if (g_str_equal (dir, ".") && !g_str_has_prefix (path, "./"))
      return g_steal_pointer (&name);
    return g_build_filename (dir, name, NULL);
  }
}
