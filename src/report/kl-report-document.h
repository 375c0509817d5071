/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The printed report: one layout of a KlReportModel, paginated once and drawn
 * onto any cairo_t — the window's preview, GtkPrintOperation pages, and
 * PDF, SVG and PNG files. Coordinates are points (1/72 inch) at paper size;
 * callers that draw at another scale transform the cairo_t first. */
#pragma once

#include <cairo.h>
#include <glib-object.h>

#include "kl-report-types.h"

G_BEGIN_DECLS

#define KL_REPORT_DOCUMENT_ERROR (kl_report_document_error_quark ())

typedef enum {
  KL_REPORT_DOCUMENT_ERROR_WRITE,   /* the output file could not be written */
  KL_REPORT_DOCUMENT_ERROR_PAGE,    /* a page number outside the document */
} KlReportDocumentError;

typedef enum {
  KL_PAPER_A4,       /* 595 × 842 pt */
  KL_PAPER_LETTER,   /* 612 × 792 pt */
} KlPaperSize;

/* How the report is printed besides the model (which carries everything it
 * shows, comments, goals and client notes included). Plain data: the caller
 * owns it; kl_report_document_new() copies what it needs. Zero-initialise it
 * (or use KL_REPORT_DOCUMENT_OPTIONS_INIT) and set what applies. */
typedef struct {
  KlPaperSize  paper;
  const char  *company_name;    /* letterhead and footer; NULL or "" leaves it out */
  const char  *logo_path;       /* a PNG; NULL, missing or unreadable: no logo */
  const char  *language;        /* "zh_CN" or "en"; NULL: the model's report
                                 * language, "en" when it has none (portfolio) */
  const char  *generated_date;  /* "YYYY-MM-DD"; NULL: today, local time */
  gboolean     thread_fonts;    /* share the calling thread's font map: only for
                                 * documents laid out, drawn and freed on this
                                 * one thread (batch writing); loading fonts is
                                 * most of a layout's time */
} KlReportDocumentOptions;

#define KL_REPORT_DOCUMENT_OPTIONS_INIT { KL_PAPER_A4, NULL, NULL, NULL, NULL, FALSE }

typedef struct _KlReportDocument KlReportDocument;

GQuark            kl_report_document_error_quark (void);

/* Lays the report out and paginates it (Pango metrics, unhinted, so the
 * pages are the same on every surface and at every scale). Copies model and
 * options. A document is used from one thread at a time. */
KlReportDocument *kl_report_document_new   (const KlReportModel           *model,
                                            const KlReportDocumentOptions *options);
void              kl_report_document_free  (KlReportDocument *self);

int               kl_report_document_get_n_pages (KlReportDocument *self);
void              kl_report_document_get_page_size (KlReportDocument *self,
                                                    double           *out_width,
                                                    double           *out_height);
/* The language the report is written in ("zh_CN" or "en"). */
const char       *kl_report_document_get_language (KlReportDocument *self);
/* "Monthly service report", … in the report language (for print job names). */
const char       *kl_report_document_get_title (KlReportDocument *self);

/* Draws page (0-based) in points onto cr, starting from cr's current
 * transformation. Only the content: the caller provides the paper (a
 * preview paints it white; PDF, SVG and print pages are blank already).
 * Leaves cr's state as found. */
void              kl_report_document_draw_page (KlReportDocument *self,
                                                cairo_t          *cr,
                                                int               page);

/* Every page into one PDF with its fonts embedded. */
gboolean          kl_report_document_write_pdf (KlReportDocument  *self,
                                                const char        *path,
                                                GError           **error);
/* One page (0-based) into one SVG file; see kl_report_document_page_path()
 * for naming a file per page. */
gboolean          kl_report_document_write_svg (KlReportDocument  *self,
                                                const char        *path,
                                                int                page,
                                                GError           **error);
/* One page (0-based) as a PNG at dpi dots per inch (72 gives one pixel per
 * point; 150 for screen previews, 300 for print quality). */
gboolean          kl_report_document_write_png (KlReportDocument  *self,
                                                const char        *path,
                                                int                page,
                                                double             dpi,
                                                GError           **error);
/* The file name for page (0-based) of an n_pages export to path: path itself
 * for a one-page report, else "-<page number>" before the extension
 * ("acme.svg" → "acme-1.svg", "acme-2.svg"). */
char             *kl_report_document_page_path (const char *path,
                                                int         page,
                                                int         n_pages);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KlReportDocument, kl_report_document_free)

G_END_DECLS
