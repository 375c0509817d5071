/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Shared between the report document's flow engine (kl-report-document.c)
 * and the sections it lays out from the model (kl-report-layout-sections.c).
 * A document is a list of blocks — wrapped text, tables, drawings — that the
 * engine paginates: text splits between lines, tables between rows with the
 * header repeated, drawings never. */
#pragma once

#include <pango/pangocairo.h>

#include "kl-chart.h"
#include "kl-report-document.h"
#include "kl-report-language.h"
#include "kl-report-model.h"

G_BEGIN_DECLS

/* Text in the report's language; msgids are marked N_() / NC_() at the call. */
#define KL_DOC_T(doc, msgid)       kl_report_gettext ((doc)->language, (msgid))
#define KL_DOC_TC(doc, ctx, msgid) kl_report_pgettext ((doc)->language, (ctx), (msgid))

typedef struct _KlDocBlock KlDocBlock;

typedef void (*KlDocDrawFunc) (KlReportDocument *doc,
                               gpointer          data,
                               cairo_t          *cr,
                               double            width,
                               double            height);

typedef enum {
  KL_DOC_BLOCK_TEXT,
  KL_DOC_BLOCK_TABLE,
  KL_DOC_BLOCK_DRAWING,
} KlDocBlockKind;

typedef enum {
  KL_DOC_ALIGN_START,
  KL_DOC_ALIGN_END,
  KL_DOC_ALIGN_CENTER,
} KlDocAlign;

typedef struct {
  PangoLayout **cells;    /* n_columns; NULL for an empty cell */
  double        height;
  gboolean      strong;   /* a total or highlighted row: shaded */
} KlDocRow;

typedef struct {
  guint       n_columns;
  double     *widths;     /* points */
  KlDocAlign *align;
  KlDocRow   *header;
  GPtrArray  *rows;       /* KlDocRow */
} KlDocTable;

struct _KlDocBlock {
  KlDocBlockKind kind;
  double         space_before;
  gboolean       keep_with_next;  /* a heading: never last on a page */
  gboolean       keep_together;   /* a short table: split only when taller than a page */

  /* TEXT: a wrapped layout split between lines. line_tops has n_lines + 1
   * entries (the last is the layout's height); baselines and line_xs one per
   * line. */
  PangoLayout   *layout;
  double         indent;
  KlChartColor   color;
  GArray        *line_tops;
  GArray        *baselines;
  GArray        *line_xs;

  /* TABLE */
  KlDocTable    *table;

  /* DRAWING: a fixed-height box drawn by draw at the content width. */
  double         height;
  KlDocDrawFunc  draw;
  gpointer       data;
  GDestroyNotify data_free;
};

struct _KlReportDocument {
  KlReportModel   *model;
  char            *language;
  char            *company_name;
  char            *comments;
  char            *goals;
  GPtrArray       *client_notes;
  char            *generated_date;
  char            *title;
  char            *period_display;
  char            *client_display;
  cairo_surface_t *logo;          /* NULL when there is none */

  KlPaperSize      paper;
  double           page_width;
  double           page_height;
  double           margin_left;
  double           margin_right;
  double           margin_top;
  double           margin_bottom;
  double           content_width;

  PangoFontMap    *font_map;
  PangoContext    *context;
  GPtrArray       *blocks;        /* KlDocBlock */
  GPtrArray       *pages;         /* GArray of KlDocPlacement, one per page */
};

/* Report colours (print: dark text, one accent, status green and red). */
extern const KlChartColor _kl_doc_ink;
extern const KlChartColor _kl_doc_muted;
extern const KlChartColor _kl_doc_accent;
extern const KlChartColor _kl_doc_good;
extern const KlChartColor _kl_doc_bad;
extern const KlChartColor _kl_doc_rule;
extern const KlChartColor _kl_doc_shade;
extern const KlChartColor _kl_doc_header_fill;

/* Engine (kl-report-document.c) */
PangoLayout *_kl_doc_layout_new     (KlReportDocument   *doc,
                                     const char         *text,
                                     double              size,
                                     gboolean            bold,
                                     double              width,
                                     KlDocAlign          align);
double       _kl_doc_layout_height  (PangoLayout        *layout);
void         _kl_doc_set_color      (cairo_t            *cr,
                                     const KlChartColor *color);

KlDocBlock  *_kl_doc_add_text       (KlReportDocument   *doc,
                                     const char         *text,
                                     double              size,
                                     gboolean            bold,
                                     const KlChartColor *color,
                                     double              indent,
                                     double              space_before);
KlDocBlock  *_kl_doc_add_heading    (KlReportDocument   *doc,
                                     const char         *text);
KlDocBlock  *_kl_doc_add_drawing    (KlReportDocument   *doc,
                                     double              height,
                                     double              space_before,
                                     KlDocDrawFunc       draw,
                                     gpointer            data,
                                     GDestroyNotify      data_free);

/* Tables: columns as fractions of the content width (summing to 1). */
KlDocTable  *_kl_doc_table_new      (KlReportDocument   *doc,
                                     guint               n_columns,
                                     const double       *fractions,
                                     const KlDocAlign   *align);
void         _kl_doc_table_set_header (KlReportDocument *doc,
                                       KlDocTable       *table,
                                       const char * const *texts);
/* colors may be NULL, or hold a colour (or NULL) per cell. Returns the row. */
KlDocRow    *_kl_doc_table_add_row  (KlReportDocument   *doc,
                                     KlDocTable         *table,
                                     const char * const *texts,
                                     const KlChartColor * const *colors);
KlDocBlock  *_kl_doc_add_table      (KlReportDocument   *doc,
                                     KlDocTable         *table,
                                     double              space_before);

/* Sections (kl-report-layout-sections.c): fills doc->blocks from the model. */
void         _kl_doc_build_sections (KlReportDocument   *doc);
/* Text for the report's period in its language ("October 2026"). */
char        *_kl_doc_period_display (KlReportDocument   *doc,
                                     const KlPeriod     *period);
/* The untranslated name of a count ("Shipments"), shared with the Excel export. */
const char  *_kl_report_count_msgid (KlKpiCount          count);

G_END_DECLS
