/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The printed "Client survey" and "Service standards review": a small
 * paginating writer (headings, paragraphs, tables whose header repeats on a
 * new page, charts kept whole) over a cairo PDF surface. */

#include "config.h"

#include <glib/gi18n-lib.h>

#include <math.h>
#include <string.h>
#include <cairo-pdf.h>
#include <pango/pangocairo.h>

#include "kl-analysis-document.h"
#include "kl-chart.h"
#include "kl-chart-analysis.h"
#include "kl-report-language.h"

#define T(msgid) kl_report_gettext (doc->language, (msgid))
#define MARGIN 48.0
#define BODY 9.0
#define SMALL 7.5

typedef struct {
  cairo_surface_t *surface;
  cairo_t         *cr;
  const char      *language;
  char            *title;
  double           w, h;
  double           y;
  int              page;
  gboolean         open;
} Doc;

static double
text_at (Doc *doc, const char *text, double x, double y, double width, double size, gboolean bold,
         PangoAlignment align, double grey, gboolean draw)
{
  PangoLayout *layout = pango_cairo_create_layout (doc->cr);
  PangoFontDescription *font = pango_font_description_from_string (KL_CHART_FONT_FAMILY);
  PangoContext *context = pango_layout_get_context (layout);
  cairo_font_options_t *options = cairo_font_options_create ();
  int w, h;

  cairo_font_options_set_hint_metrics (options, CAIRO_HINT_METRICS_OFF);
  cairo_font_options_set_hint_style (options, CAIRO_HINT_STYLE_NONE);
  pango_cairo_context_set_font_options (context, options);
  pango_layout_context_changed (layout);
  cairo_font_options_destroy (options);
  pango_font_description_set_absolute_size (font, size * PANGO_SCALE);
  pango_font_description_set_weight (font, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
  pango_layout_set_font_description (layout, font);
  pango_font_description_free (font);
  if (width > 0)
    {
      pango_layout_set_width (layout, (int) (width * PANGO_SCALE));
      pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
    }
  pango_layout_set_alignment (layout, align);
  pango_layout_set_text (layout, text ? text : "", -1);
  pango_layout_get_size (layout, &w, &h);
  if (draw)
    {
      cairo_save (doc->cr);
      cairo_set_source_rgb (doc->cr, grey, grey, grey);
      cairo_move_to (doc->cr, x, y);
      pango_cairo_show_layout (doc->cr, layout);
      cairo_restore (doc->cr);
    }
  g_object_unref (layout);
  return (double) h / PANGO_SCALE;
}

static void
doc_begin_page (Doc *doc)
{
  doc->page++;
  doc->open = TRUE;
  text_at (doc, doc->title, MARGIN, MARGIN * 0.5, doc->w - 2 * MARGIN, SMALL, FALSE, PANGO_ALIGN_LEFT, 0.4, TRUE);
  cairo_set_source_rgb (doc->cr, 0.75, 0.75, 0.75);
  cairo_set_line_width (doc->cr, 0.5);
  cairo_move_to (doc->cr, MARGIN, MARGIN * 0.5 + 12);
  cairo_line_to (doc->cr, doc->w - MARGIN, MARGIN * 0.5 + 12);
  cairo_stroke (doc->cr);
  doc->y = MARGIN;
}

static void
doc_end_page (Doc *doc)
{
  g_autofree char *number = g_strdup_printf (T (N_("Page %d")), doc->page);

  text_at (doc, number, MARGIN, doc->h - MARGIN * 0.6, doc->w - 2 * MARGIN, SMALL, FALSE, PANGO_ALIGN_RIGHT,
           0.4, TRUE);
  cairo_show_page (doc->cr);
  doc->open = FALSE;
}

static void
doc_ensure (Doc *doc, double need)
{
  if (!doc->open)
    doc_begin_page (doc);
  else if (doc->y + need > doc->h - MARGIN)
    {
      doc_end_page (doc);
      doc_begin_page (doc);
    }
}

static void
doc_text (Doc *doc, const char *text, double size, gboolean bold, double grey, double space_after)
{
  double h = text_at (doc, text, MARGIN, 0, doc->w - 2 * MARGIN, size, bold, PANGO_ALIGN_LEFT, grey, FALSE);
  doc_ensure (doc, h);
  text_at (doc, text, MARGIN, doc->y, doc->w - 2 * MARGIN, size, bold, PANGO_ALIGN_LEFT, grey, TRUE);
  doc->y += h + space_after;
}

/* keep: the room the heading's content needs on the same page */
static void
doc_heading_keep (Doc *doc, const char *text, double keep)
{
  doc_ensure (doc, keep + 30);
  doc->y += 6;
  doc_text (doc, text, 12, TRUE, 0.1, 4);
}

static void
doc_heading (Doc *doc, const char *text)
{
  doc_ensure (doc, 60);     /* a heading is not left alone at the foot of a page */
  doc->y += 6;
  doc_text (doc, text, 12, TRUE, 0.1, 4);
}

/* A table: widths are fractions of the text width; numeric columns (from
 * first_numeric on) are right-aligned. rows: char ** each of n columns. */
static void
doc_table (Doc *doc, guint n, const double *widths, const char *const *header, GPtrArray *rows,
           guint first_numeric)
{
  double total = doc->w - 2 * MARGIN, pad = 3.0;

  for (guint r = 0; r <= rows->len; r++)
    {
      const char *const *cells = r == 0 ? header : g_ptr_array_index (rows, r - 1);
      double x = MARGIN, height = 0;
      gboolean head = r == 0;

      for (guint c = 0; c < n; c++)
        height = MAX (height, text_at (doc, cells[c], 0, 0, widths[c] * total - 2 * pad, head ? SMALL : BODY - 0.5,
                                       head, PANGO_ALIGN_LEFT, 0, FALSE));
      height += 2 * pad;
      if (!doc->open || doc->y + height > doc->h - MARGIN)
        {
          doc_ensure (doc, doc->h);   /* a new page */
          if (!head)
            {
              /* the header again */
              double hh = 0, hx = MARGIN;
              for (guint c = 0; c < n; c++)
                hh = MAX (hh, text_at (doc, header[c], 0, 0, widths[c] * total - 2 * pad, SMALL, TRUE,
                                       PANGO_ALIGN_LEFT, 0, FALSE));
              for (guint c = 0; c < n; c++)
                {
                  text_at (doc, header[c], hx + pad, doc->y + pad, widths[c] * total - 2 * pad, SMALL, TRUE,
                           c >= first_numeric ? PANGO_ALIGN_RIGHT : PANGO_ALIGN_LEFT, 0.3, TRUE);
                  hx += widths[c] * total;
                }
              doc->y += hh + 2 * pad;
            }
        }
      if (head)
        {
          cairo_set_source_rgb (doc->cr, 0.93, 0.93, 0.93);
          cairo_rectangle (doc->cr, MARGIN, doc->y, total, height);
          cairo_fill (doc->cr);
        }
      for (guint c = 0; c < n; c++)
        {
          text_at (doc, cells[c], x + pad, doc->y + pad, widths[c] * total - 2 * pad, head ? SMALL : BODY - 0.5, head,
                   c >= first_numeric ? PANGO_ALIGN_RIGHT : PANGO_ALIGN_LEFT, head ? 0.3 : 0.05, TRUE);
          x += widths[c] * total;
        }
      doc->y += height;
      cairo_set_source_rgb (doc->cr, 0.85, 0.85, 0.85);
      cairo_set_line_width (doc->cr, 0.4);
      cairo_move_to (doc->cr, MARGIN, doc->y);
      cairo_line_to (doc->cr, MARGIN + total, doc->y);
      cairo_stroke (doc->cr);
    }
  doc->y += 8;
}

/* A transport mode as the report's reader calls it, in the report's
 * language (the msgids are kl-enums.c's mode labels). */
static const char *
mode_name (Doc *doc, KlShipmentMode mode)
{
  switch (mode)
    {
    case KL_MODE_ROAD_FTL: return T (N_("Road, full truckload"));
    case KL_MODE_ROAD_LTL: return T (N_("Road, less than truckload"));
    case KL_MODE_RAIL:     return T (N_("Rail"));
    case KL_MODE_AIR:      return T (N_("Air"));
    case KL_MODE_SEA:      return T (N_("Sea"));
    case KL_MODE_EXPRESS:  return T (N_("Express"));
    case KL_MODE_NONE:
    default:               return T (N_("Not given"));
    }
}

static gboolean
doc_open (Doc *doc, const char *path, KlPaperSize paper, const char *language, const char *title, GError **error)
{
  doc->w = paper == KL_PAPER_LETTER ? 612.0 : 595.0;
  doc->h = paper == KL_PAPER_LETTER ? 792.0 : 842.0;
  doc->language = kl_report_language_normalize (language);
  doc->title = g_strdup (title);
  doc->surface = cairo_pdf_surface_create (path, doc->w, doc->h);
  if (cairo_surface_status (doc->surface) != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, KL_REPORT_DOCUMENT_ERROR, KL_REPORT_DOCUMENT_ERROR_WRITE,
                   _("Cannot write the PDF “%s”: %s. Check the folder exists and can be written."), path,
                   cairo_status_to_string (cairo_surface_status (doc->surface)));
      cairo_surface_destroy (doc->surface);
      g_free (doc->title);
      return FALSE;
    }
  cairo_pdf_surface_set_metadata (doc->surface, CAIRO_PDF_METADATA_TITLE, title);
  cairo_pdf_surface_set_metadata (doc->surface, CAIRO_PDF_METADATA_CREATOR, "Keyline");
  doc->cr = cairo_create (doc->surface);
  return TRUE;
}

static gboolean
doc_close (Doc *doc, const char *path, GError **error)
{
  cairo_status_t status;

  if (doc->open)
    doc_end_page (doc);
  cairo_destroy (doc->cr);
  cairo_surface_finish (doc->surface);
  status = cairo_surface_status (doc->surface);
  cairo_surface_destroy (doc->surface);
  g_free (doc->title);
  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, KL_REPORT_DOCUMENT_ERROR, KL_REPORT_DOCUMENT_ERROR_WRITE,
                   _("Cannot write the PDF “%s”: %s. Check the folder exists and can be written."), path,
                   cairo_status_to_string (status));
      return FALSE;
    }
  return TRUE;
}

static char *
fixed (double v, int decimals, gboolean sign)
{
  if (isnan (v))
    return g_strdup ("—");
  return g_strdup_printf (sign ? "%+.*f" : "%.*f", decimals, v);
}

static char *
percent (double v)
{
  if (isnan (v))
    return g_strdup ("—");
  return g_strdup_printf ("%.1f%%", round (v * 1000.0) / 10.0);
}

static const char *
position_text (Doc *doc, KlSurveyPosition p)
{
  switch (p)
    {
    case KL_POSITION_IMPORTANT_WEAKNESS: return T (N_("Important weakness"));
    case KL_POSITION_IMPORTANT_STRENGTH: return T (N_("Important strength"));
    case KL_POSITION_MINOR_WEAKNESS: return T (N_("Minor weakness"));
    case KL_POSITION_MINOR_STRENGTH: return T (N_("Minor strength"));
    case KL_POSITION_NONE:
    default: return "—";
    }
}

static const char *
action_text (Doc *doc, KlSurveyAction a)
{
  switch (a)
    {
    case KL_ACTION_IMPROVE_NOW: return T (N_("Improve now"));
    case KL_ACTION_IMPROVE: return T (N_("Improve"));
    case KL_ACTION_MAINTAIN_OR_IMPROVE: return T (N_("Maintain or improve"));
    case KL_ACTION_MAINTAIN: return T (N_("Maintain"));
    case KL_ACTION_REDUCE_OR_MAINTAIN: return T (N_("Reduce or maintain"));
    case KL_ACTION_NONE:
    default: return "—";
    }
}

static void
draw_chart_block (Doc *doc, double height, void (*draw) (cairo_t *, double, double, const KlChartPalette *, gconstpointer),
                  gconstpointer spec)
{
  KlChartPalette palette = kl_chart_palette_print ();

  doc_ensure (doc, height);
  cairo_save (doc->cr);
  cairo_translate (doc->cr, MARGIN, doc->y);
  draw (doc->cr, doc->w - 2 * MARGIN, height, &palette, spec);
  cairo_restore (doc->cr);
  doc->y += height + 10;
}

static void
draw_position (cairo_t *cr, double w, double h, const KlChartPalette *p, gconstpointer spec)
{
  kl_chart_draw_position_matrix (cr, w, h, p, spec);
}

static void
draw_evaluation (cairo_t *cr, double w, double h, const KlChartPalette *p, gconstpointer spec)
{
  kl_chart_draw_evaluation_matrix (cr, w, h, p, spec);
}

static void
draw_pareto (cairo_t *cr, double w, double h, const KlChartPalette *p, gconstpointer spec)
{
  kl_chart_draw_pareto (cr, w, h, p, spec);
}

gboolean
kl_survey_document_write_pdf (const KlSurveyReport *report,
                              const char           *language,
                              KlPaperSize           paper,
                              const char           *path,
                              GError              **error)
{
  const KlSurvey *s = report->survey;
  Doc d = { 0 }, *doc = &d;
  g_autofree char *title = NULL;
  g_autofree char *subtitle = NULL;
  g_autoptr (GString) customers = g_string_new (NULL);
  g_autoptr (GString) competitors = g_string_new (NULL);
  g_autoptr (GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  g_autoptr (GPtrArray) labels = g_ptr_array_new_with_free_func (g_free);
  g_autofree KlChartPoint *position_points = g_new0 (KlChartPoint, MAX (report->n_results, 1));
  g_autofree KlChartPoint *evaluation_points = g_new0 (KlChartPoint, MAX (report->n_results, 1));
  const char *lang = kl_report_language_normalize (language);
  static const double widths[] = { 0.20, 0.05, 0.10, 0.07, 0.10, 0.09, 0.08, 0.15, 0.16 };

  d.language = lang;
  title = g_strdup_printf ("%s — %s", kl_report_gettext (lang, N_("Client survey")), s->name);
  if (!doc_open (doc, path, paper, lang, title, error))
    return FALSE;

  for (guint i = 0; i < s->customer_codes->len; i++)
    g_string_append_printf (customers, "%s%s", i ? ", " : "", (char *) g_ptr_array_index (s->customer_codes, i));
  for (guint c = 0; c < s->companies->len; c++)
    {
      const KlSurveyCompany *co = g_ptr_array_index (s->companies, c);
      if (co->ours)
        continue;
      g_string_append_printf (competitors, "%s%s%s", competitors->len ? ", " : "", co->name,
                              co->main ? T (N_(" (main competitor)")) : "");
    }
  doc_text (doc, T (N_("Client survey")), 18, TRUE, 0.05, 2);
  doc_text (doc, s->name, 12, FALSE, 0.2, 6);
  subtitle = g_strdup_printf (T (N_("Held %1$s · Customers: %2$s · Competitors: %3$s · Respondents: %4$u")),
                              s->held_on, customers->str, competitors->len ? competitors->str : "—",
                              kl_survey_n_respondents (s));
  doc_text (doc, subtitle, BODY, FALSE, 0.35, 10);

  doc_heading (doc, T (N_("Importance and performance by attribute")));
  {
    const char *header[] = { T (N_("Attribute")), "n", T (N_("Importance")), T (N_("Ours")),
                             T (N_("Main competitor")), T (N_("Relative")), "p", T (N_("Position")),
                             T (N_("Action")) };
    for (guint a = 0; a < report->n_results; a++)
      {
        const KlSurveyResult *r = &report->results[a];
        char **row = g_new0 (char *, 10);
        g_autofree char *rel = fixed (r->relative, 2, TRUE);
        row[0] = g_strdup (kl_survey_attribute_name (r->attribute, lang));
        row[1] = g_strdup_printf ("%u", r->n);
        row[2] = fixed (r->importance.mean, 2, FALSE);
        row[3] = fixed (report->ours >= 0 ? r->performance[report->ours].mean : NAN, 2, FALSE);
        row[4] = fixed (report->main >= 0 ? r->performance[report->main].mean : NAN, 2, FALSE);
        row[5] = g_strdup_printf ("%s%s", rel, kl_significance_to_string (r->significance));
        row[6] = r->tested ? (r->p < 0.0001 ? g_strdup ("<0.0001") : g_strdup_printf ("%.4f", r->p)) : g_strdup ("—");
        row[7] = g_strdup (position_text (doc, r->position));
        row[8] = g_strdup (action_text (doc, r->action));
        g_ptr_array_add (rows, row);
      }
    doc_table (doc, 9, widths, header, rows, 1);
  }
  doc_text (doc, T (N_("Relative = our mean − the main competitor's mean. * p ≤ 0.05, ** p ≤ 0.01 (Welch's two-sided t-test); no mark: not significant, or not tested (fewer than 2 ratings on a side, or no variance on either).")),
            SMALL, FALSE, 0.35, 8);

  for (guint a = 0; a < report->n_results; a++)
    {
      const KlSurveyResult *r = &report->results[a];
      char *label = g_strdup_printf ("%s%s", r->attribute->code, kl_significance_to_string (r->significance));
      g_ptr_array_add (labels, label);
      position_points[a] = (KlChartPoint) { label, r->importance.mean, r->relative };
      evaluation_points[a] = (KlChartPoint) { label, report->ours >= 0 ? r->performance[report->ours].mean : NAN,
                                              r->importance.mean };
    }
  {
    KlChartPositionMatrix spec = {
      .title = NULL,
      .x_label = T (N_("Importance")),
      .y_label = T (N_("Relative performance")),
      .band_labels = { T (N_("Disadvantage")), T (N_("Parity")), T (N_("Advantage")) },
      .important_label = T (N_("Important (≥ 4.0)")),
      .points = position_points,
      .n_points = report->n_results,
    };
    doc_heading_keep (doc, T (N_("Competitive position matrix")), 300);
    draw_chart_block (doc, 300, draw_position, &spec);
  }
  {
    KlChartEvaluationMatrix spec = {
      .title = NULL,
      .x_label = T (N_("Our performance")),
      .y_label = T (N_("Importance")),
      .band_labels = { T (N_("Low")), T (N_("Medium")), T (N_("High")) },
      .cell_labels = {
        { T (N_("Maintain")), T (N_("Reduce or maintain")), T (N_("Reduce or maintain")) },
        { T (N_("Improve")), T (N_("Maintain")), T (N_("Reduce or maintain")) },
        { T (N_("Improve now")), T (N_("Improve")), T (N_("Maintain or improve")) },
      },
      .points = evaluation_points,
      .n_points = report->n_results,
    };
    doc_heading_keep (doc, T (N_("Performance evaluation matrix")), 300);
    draw_chart_block (doc, 300, draw_evaluation, &spec);
  }

  doc_heading (doc, T (N_("Attributes by quadrant")));
  {
    static const KlSurveyPosition order[] = { KL_POSITION_IMPORTANT_WEAKNESS, KL_POSITION_IMPORTANT_STRENGTH,
                                              KL_POSITION_MINOR_WEAKNESS, KL_POSITION_MINOR_STRENGTH };
    for (guint q = 0; q < G_N_ELEMENTS (order); q++)
      {
        g_autoptr (GString) list = g_string_new (NULL);
        for (guint a = 0; a < report->n_results; a++)
          {
            const KlSurveyResult *r = &report->results[a];
            if (r->position != order[q])
              continue;
            g_string_append_printf (list, "• %s (%s%s) — %s\n", kl_survey_attribute_name (r->attribute, lang),
                                    r->attribute->code, kl_significance_to_string (r->significance),
                                    action_text (doc, r->action));
          }
        doc_text (doc, position_text (doc, order[q]), BODY + 1, TRUE, 0.1, 2);
        doc_text (doc, list->len ? list->str : "—", BODY, FALSE, 0.15, 6);
      }
  }
  return doc_close (doc, path, error);
}

gboolean
kl_standards_document_write_pdf (const KlClassAnalysis *analysis,
                                 const char            *customer_id,
                                 const char            *language,
                                 KlPaperSize            paper,
                                 const char            *path,
                                 GError               **error)
{
  Doc d = { 0 }, *doc = &d;
  const char *lang = kl_report_language_normalize (language);
  const KlClassAccount *account = customer_id ? kl_class_analysis_account (analysis, customer_id) : NULL;
  const KlAnalysisCustomer *customer = account ? account->user_data : NULL;
  g_autoptr (GArray) standards = kl_analysis_standards (analysis, customer_id);
  g_autoptr (GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  g_autofree char *title = NULL;
  g_autofree char *subtitle = NULL;
  const char *basis;

  d.language = lang;
  title = g_strdup_printf ("%s — %s", kl_report_gettext (lang, N_("Service standards review")),
                           customer ? customer->name : kl_report_gettext (lang, N_("Portfolio")));
  if (!doc_open (doc, path, paper, lang, title, error))
    return FALSE;
  basis = analysis->basis == KL_BASIS_REVENUE ? T (N_("revenue"))
        : analysis->basis == KL_BASIS_WEIGHT ? T (N_("weight")) : T (N_("shipments"));

  doc_text (doc, T (N_("Service standards review")), 18, TRUE, 0.05, 2);
  doc_text (doc, customer ? customer->name : T (N_("Portfolio")), 12, FALSE, 0.2, 6);
  subtitle = g_strdup_printf (T (N_("Twelve months to %1$04d-%2$02d · Contribution basis: %3$s")),
                              analysis->year, analysis->month, basis);
  doc_text (doc, subtitle, BODY, FALSE, 0.35, 10);

  if (customer != NULL)
    {
      g_autofree char *share = percent (account->share);
      g_autofree char *line = NULL;
      if (account->klass == KL_ACCOUNT_CLASS_NONE)
        line = g_strdup (T (N_("No contribution in these twelve months: no contribution class.")));
      else
        line = g_strdup_printf (T (N_("Contribution class %1$s%2$s, %3$s of the portfolio's contribution.")),
                                kl_account_class_to_string (account->klass),
                                account->manual != KL_ACCOUNT_CLASS_NONE ? T (N_(" (set by hand)")) : "", share);
      doc_heading (doc, T (N_("Contribution class (A–D)")));
      doc_text (doc, line, BODY + 1, FALSE, 0.1, 8);
    }
  else
    {
      g_autofree double *values = g_new0 (double, MAX (analysis->n_classed, 1));
      g_autofree const char **codes = g_new0 (const char *, MAX (analysis->n_classed, 1));
      static const double marks_default[3] = { 0.70, 0.90, 0.98 };
      double marks[3];
      g_autofree char *m0 = NULL, *m1 = NULL, *m2 = NULL;
      const char *mark_labels[3];
      KlChartPareto spec = { 0 };

      marks[0] = analysis->thresholds.a_bp / 10000.0;
      marks[1] = analysis->thresholds.b_bp / 10000.0;
      marks[2] = analysis->thresholds.c_bp / 10000.0;
      (void) marks_default;
      m0 = g_strdup_printf ("A %g%%", marks[0] * 100);
      m1 = g_strdup_printf ("B %g%%", marks[1] * 100);
      m2 = g_strdup_printf ("C %g%%", marks[2] * 100);
      mark_labels[0] = m0;
      mark_labels[1] = m1;
      mark_labels[2] = m2;
      for (guint i = 0; i < analysis->n_classed; i++)
        {
          values[i] = (double) analysis->accounts[i].contribution;
          codes[i] = analysis->accounts[i].code;
        }
      spec.title = T (N_("Contribution by account, and cumulative share"));
      spec.values = values;
      spec.labels = codes;
      spec.n_values = analysis->n_classed;
      spec.marks = marks;
      spec.mark_labels = mark_labels;
      spec.n_marks = 3;
      doc_heading_keep (doc, T (N_("Contribution classes A–D")), 230);
      draw_chart_block (doc, 230, draw_pareto, &spec);

      {
        guint counts[KL_N_ACCOUNT_CLASSES][KL_N_LINE_CLASSES];
        static const double widths[] = { 0.16, 0.168, 0.168, 0.168, 0.168, 0.168 };
        const char *header[] = { T (N_("Class")), "I", "II", "III", "IV", "V" };
        g_autoptr (GPtrArray) matrix_rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);

        kl_analysis_matrix_counts (analysis, counts);
        for (int r = 0; r < KL_N_ACCOUNT_CLASSES; r++)
          {
            char **row = g_new0 (char *, 7);
            row[0] = g_strdup (kl_account_class_to_string (KL_ACCOUNT_CLASS_A + r));
            for (int c = 0; c < KL_N_LINE_CLASSES; c++)
              /* Translators: a cell of the priority matrix: the priority and the number of accounts */
              row[c + 1] = g_strdup_printf (T (N_("P%1$d · %2$u accounts")), analysis->matrix.priority[r][c],
                                            counts[r][c]);
            g_ptr_array_add (matrix_rows, row);
          }
        doc_heading (doc, T (N_("Priority matrix")));
        doc_table (doc, 6, widths, header, matrix_rows, 1);
        {
          g_autoptr (GString) lines = g_string_new (NULL);
          for (guint i = 0; i < analysis->n_line_classed; i++)
            g_string_append_printf (lines, "%s%s %s", i ? " · " : "", kl_line_class_to_string (analysis->lines[i].klass),
                                    mode_name (doc, analysis->lines[i].mode));
          doc_text (doc, lines->str, SMALL, FALSE, 0.35, 8);
        }
      }
    }

  doc_heading (doc, T (N_("Service lines against their standards")));
  {
    static const double widths[] = { 0.11, 0.12, 0.08, 0.09, 0.16, 0.09, 0.13, 0.09, 0.13 };
    const char *header[] = { T (N_("Account")), T (N_("Line")), T (N_("Class")), T (N_("Priority")),
                             T (N_("Standard")), T (N_("On time")), "", T (N_("Within lead time")), "" };
    for (guint i = 0; i < standards->len; i++)
      {
        const KlAnalysisStandard *st = &g_array_index (standards, KlAnalysisStandard, i);
        char **row = g_new0 (char *, 10);
        g_autofree char *target = percent (st->row.target_on_time);
        row[0] = g_strdup (st->customer->code);
        row[1] = g_strdup (mode_name (doc, st->mode));
        row[2] = g_strdup_printf ("%s×%s", kl_account_class_to_string (st->row.account_class),
                                  kl_line_class_to_string (st->row.line_class));
        row[3] = st->row.priority > 0 ? g_strdup_printf ("%d", st->row.priority) : g_strdup ("—");
        row[4] = st->row.lead_days >= 0 ? g_strdup_printf (T (N_("%1$s within %2$d d")), target, st->row.lead_days)
                                        : g_strdup ("—");
        row[5] = percent (st->row.on_time);
        row[6] = g_strdup (st->row.on_time_met == KL_TRI_UNKNOWN ? "—" : st->row.on_time_met ? T (N_("met")) : T (N_("missed")));
        row[7] = percent (st->row.within_lead);
        row[8] = g_strdup (st->row.lead_met == KL_TRI_UNKNOWN ? "—" : st->row.lead_met ? T (N_("met")) : T (N_("missed")));
        g_ptr_array_add (rows, row);
      }
    if (rows->len == 0)
      doc_text (doc, T (N_("No shipments with a transport mode in these twelve months.")), BODY, FALSE, 0.3, 8);
    else
      doc_table (doc, 9, widths, header, rows, 3);
  }
  doc_text (doc, T (N_("On time: the arrival on-time rate of the line's delivered shipments. Within lead time: the share delivered within the standard's days × 24 h after pickup (or the planned pickup), held to the same target.")),
            SMALL, FALSE, 0.35, 8);
  return doc_close (doc, path, error);
}
