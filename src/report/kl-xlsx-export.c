/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Excel workbooks of reports, the Portfolio list, claims and surveys
 * (kl-xlsx-export.h), over libxlsxwriter. */

#include "config.h"

#include <errno.h>
#include <math.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <xlsxwriter.h>

#include "kl-report-document-private.h"
#include "kl-report-language.h"
#include "kl-claim-money.h"
#include "kl-xlsx-export.h"

G_DEFINE_QUARK (kl-xlsx-error-quark, kl_xlsx_error)

#define MAX_COLUMNS 64
#define MIN_WIDTH   6.0
#define MAX_WIDTH   60.0

/* One workbook being written: its formats and each sheet's column widths. */
typedef struct {
  lxw_workbook *workbook;
  const char   *language;
  char         *tmp_path;
  lxw_format   *header;
  lxw_format   *text;
  lxw_format   *wrap;
  lxw_format   *count;
  lxw_format   *decimal1;
  lxw_format   *decimal2;
  lxw_format   *decimal3;
  lxw_format   *decimal4;
  lxw_format   *percent;
  lxw_format   *pp;
  lxw_format   *datetime;
  lxw_format   *money[4];      /* by the currency's decimals, 0–3 */
  guint         n_sheets;
  int           open_errno;    /* why the file could not be made */
} Book;

typedef struct {
  Book          *book;
  lxw_worksheet *ws;
  guint          row;          /* the next row to write */
  guint          n_columns;
  double         widths[MAX_COLUMNS];
} Sheet;

#define T(msgid) kl_report_gettext (book->language, msgid)

/* Widths */

/* Characters a text takes in a cell, CJK counting two. */
static double
text_width (const char *text)
{
  double width = 0;

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    width += g_unichar_iswide (g_utf8_get_char (p)) ? 2 : 1;
  return width;
}

static void
fit (Sheet *sheet, guint col, double width)
{
  if (col >= MAX_COLUMNS)
    return;
  sheet->widths[col] = MAX (sheet->widths[col], MIN (width + 2, MAX_WIDTH));
  sheet->n_columns = MAX (sheet->n_columns, col + 1);
}

/* Sheet names */

char *
kl_xlsx_sheet_name (const char *text)
{
  g_autoptr(GString) name = g_string_new (NULL);
  const char *p;
  guint n = 0;

  for (p = text != NULL ? text : ""; *p != '\0' && n < 31; p = g_utf8_next_char (p), n++)
    {
      gunichar c = g_utf8_get_char (p);

      if (c == '[' || c == ']' || c == ':' || c == '*' || c == '?' || c == '/' || c == '\\' ||
          g_unichar_iscntrl (c))
        g_string_append_c (name, '_');
      else
        g_string_append_unichar (name, c);
    }
  while (name->len > 0 && name->str[0] == '\'')
    g_string_erase (name, 0, 1);
  while (name->len > 0 && name->str[name->len - 1] == '\'')
    g_string_truncate (name, name->len - 1);
  if (name->len == 0)
    g_string_assign (name, "Sheet");
  return g_string_free (g_steal_pointer (&name), FALSE);
}

/* Workbooks */

static lxw_format *
number_format (lxw_workbook *workbook, const char *format)
{
  lxw_format *f = workbook_add_format (workbook);

  format_set_num_format (f, format);
  return f;
}

static void
book_init (Book       *book,
           const char *language,
           const char *path)
{
  g_autofree char *dir = g_path_get_dirname (path);
  lxw_workbook_options options = { .constant_memory = LXW_FALSE, .tmpdir = dir, .use_zip64 = LXW_FALSE };

  memset (book, 0, sizeof *book);
  book->language = kl_report_language_normalize (language);
  /* Written beside the file under another name and renamed when whole. */
  book->tmp_path = g_strdup_printf ("%s.%08x.part", path, g_random_int ());
  /* Made here first, so that a folder that is missing or cannot be written
   * is our one error message rather than libxlsxwriter's line on stderr. */
  {
    int fd = g_open (book->tmp_path, O_WRONLY | O_CREAT | O_EXCL, 0644);

    if (fd < 0)
      {
        book->open_errno = errno;
        return;
      }
    close (fd);
  }
  book->workbook = workbook_new_opt (book->tmp_path, &options);
  if (book->workbook == NULL)
    {
      book->open_errno = ENOMEM;
      g_unlink (book->tmp_path);
      return;
    }

  book->header = workbook_add_format (book->workbook);
  format_set_bold (book->header);
  format_set_bottom (book->header, LXW_BORDER_THIN);
  format_set_text_wrap (book->header);
  format_set_align (book->header, LXW_ALIGN_VERTICAL_TOP);
  book->text = workbook_add_format (book->workbook);
  format_set_align (book->text, LXW_ALIGN_VERTICAL_TOP);
  book->wrap = workbook_add_format (book->workbook);
  format_set_text_wrap (book->wrap);
  format_set_align (book->wrap, LXW_ALIGN_VERTICAL_TOP);
  book->count = number_format (book->workbook, "#,##0");
  book->decimal1 = number_format (book->workbook, "#,##0.0");
  book->decimal2 = number_format (book->workbook, "0.00");
  book->decimal3 = number_format (book->workbook, "#,##0.000");
  book->decimal4 = number_format (book->workbook, "0.0000");
  book->percent = number_format (book->workbook, "0.0%");
  book->pp = number_format (book->workbook, "+0.0;-0.0;0.0");
  book->datetime = number_format (book->workbook, "yyyy-mm-dd hh:mm");
  book->money[0] = number_format (book->workbook, "#,##0");
  book->money[1] = number_format (book->workbook, "#,##0.0");
  book->money[2] = number_format (book->workbook, "#,##0.00");
  book->money[3] = number_format (book->workbook, "#,##0.000");
}

static gboolean
write_failed (const char  *path,
              const char  *why,
              GError     **error)
{
  g_set_error (error, KL_XLSX_ERROR, KL_XLSX_ERROR_WRITE,
               _("Cannot write the workbook “%s”: %s; check that the folder exists and can be written to"),
               path, why);
  return FALSE;
}

/* Closes the workbook and moves it into place; on failure nothing is left. */
static gboolean
book_finish (Book        *book,
             const char  *path,
             GError     **error)
{
  lxw_error status;
  gboolean ok = TRUE;

  if (book->workbook == NULL)
    {
      ok = write_failed (path, g_strerror (book->open_errno), error);
      g_clear_pointer (&book->tmp_path, g_free);
      return ok;
    }
  status = workbook_close (book->workbook);
  book->workbook = NULL;
  if (status != LXW_NO_ERROR)
    ok = write_failed (path, lxw_strerror (status), error);
  else if (g_rename (book->tmp_path, path) != 0)
    ok = write_failed (path, g_strerror (errno), error);
  if (!ok)
    g_unlink (book->tmp_path);
  g_clear_pointer (&book->tmp_path, g_free);
  return ok;
}

/* Sheets */

static gboolean
sheet_begin (Sheet              *sheet,
             Book               *book,
             const char         *title,
             const char * const *headers,
             guint               n_headers)
{
  g_autofree char *name = kl_xlsx_sheet_name (title);

  memset (sheet, 0, sizeof *sheet);
  sheet->book = book;
  if (book->workbook == NULL)
    return FALSE;
  sheet->ws = workbook_add_worksheet (book->workbook, name);
  if (sheet->ws == NULL)
    {
      /* Two titles that came out the same: number the second. */
      g_autofree char *numbered = g_strdup_printf ("%.24s (%u)", name, book->n_sheets + 1);
      g_autofree char *valid = kl_xlsx_sheet_name (numbered);

      sheet->ws = workbook_add_worksheet (book->workbook, valid);
      if (sheet->ws == NULL)
        return FALSE;
    }
  for (guint c = 0; c < n_headers; c++)
    {
      worksheet_write_string (sheet->ws, 0, c, headers[c], book->header);
      fit (sheet, c, MIN (text_width (headers[c]), 24));
    }
  worksheet_freeze_panes (sheet->ws, 1, 0);
  book->n_sheets++;
  sheet->row = 1;
  return TRUE;
}

static void
sheet_end (Sheet *sheet)
{
  if (sheet->ws == NULL)
    return;
  for (guint c = 0; c < sheet->n_columns; c++)
    worksheet_set_column (sheet->ws, c, c, MAX (sheet->widths[c], MIN_WIDTH), NULL);
}

static void
put_text (Sheet *sheet, guint col, const char *text)
{
  if (text == NULL || *text == '\0')
    return;
  if (strchr (text, '\n') != NULL || text_width (text) > MAX_WIDTH)
    {
      worksheet_write_string (sheet->ws, sheet->row, col, text, sheet->book->wrap);
      fit (sheet, col, MAX_WIDTH);
    }
  else
    {
      worksheet_write_string (sheet->ws, sheet->row, col, text, sheet->book->text);
      fit (sheet, col, text_width (text));
    }
}

/* A number; NAN leaves the cell empty (a missing rate). */
static void
put_number (Sheet *sheet, guint col, double value, lxw_format *format)
{
  if (isnan (value))
    return;
  worksheet_write_number (sheet->ws, sheet->row, col, value, format);
  fit (sheet, col, 12);
}

static void
put_count (Sheet *sheet, guint col, gint64 value)
{
  put_number (sheet, col, (double) value, sheet->book->count);
}

static void
put_money (Sheet *sheet, guint col, gint64 minor, const char *currency)
{
  int decimals = currency != NULL ? kl_currency_decimals (currency) : 2;
  double scale = 1;

  decimals = CLAMP (decimals, 0, 3);
  for (int i = 0; i < decimals; i++)
    scale *= 10;
  put_number (sheet, col, (double) minor / scale, sheet->book->money[decimals]);
}

/* An instant as an Excel date and time in tz; KL_NO_TIME leaves it empty. */
static void
put_instant (Sheet *sheet, guint col, gint64 t, GTimeZone *tz)
{
  g_autoptr(GDateTime) utc = NULL;
  g_autoptr(GDateTime) local = NULL;
  lxw_datetime when;

  if (t == KL_NO_TIME)
    return;
  utc = g_date_time_new_from_unix_utc (t);
  if (utc == NULL)
    return;
  local = tz != NULL ? g_date_time_to_timezone (utc, tz) : g_date_time_to_local (utc);
  when.year = g_date_time_get_year (local);
  when.month = g_date_time_get_month (local);
  when.day = g_date_time_get_day_of_month (local);
  when.hour = g_date_time_get_hour (local);
  when.min = g_date_time_get_minute (local);
  when.sec = g_date_time_get_second (local);
  worksheet_write_datetime (sheet->ws, sheet->row, col, &when, sheet->book->datetime);
  fit (sheet, col, 16);
}

/* Reports */


static lxw_format *
count_format (Book *book, KlKpiCount count)
{
  if (count == KL_COUNT_WEIGHT_KG)
    return book->decimal1;
  if (count == KL_COUNT_VOLUME_M3)
    return book->decimal3;
  return book->count;
}

/* The figures of one row from column first on: counts, then rates. */
static void
put_figures (Sheet *sheet, guint first, const KlKpiFigures *f)
{
  for (guint i = 0; i < KL_N_COUNTS; i++)
    put_number (sheet, first + i, kl_kpi_figures_get_count (f, i), count_format (sheet->book, i));
  for (guint i = 0; i < KL_N_RATES; i++)
    put_number (sheet, first + KL_N_COUNTS + i, f->rates[i], sheet->book->percent);
}

/* A sheet of breakdown rows (months or regions). */
static void
write_rows (Book       *book,
            const char *title,
            const char *first_header,
            GPtrArray  *rows)
{
  const char *headers[1 + KL_N_COUNTS + KL_N_RATES];
  Sheet sheet;

  headers[0] = first_header;
  for (guint i = 0; i < KL_N_COUNTS; i++)
    headers[1 + i] = T (_kl_report_count_msgid (i));
  for (guint i = 0; i < KL_N_RATES; i++)
    headers[1 + KL_N_COUNTS + i] = kl_report_rate_label (i, book->language);
  if (!sheet_begin (&sheet, book, title, headers, G_N_ELEMENTS (headers)))
    return;
  for (guint r = 0; r < rows->len; r++, sheet.row++)
    {
      const KlReportRow *row = g_ptr_array_index (rows, r);

      put_text (&sheet, 0, *row->key != '\0' ? row->key : T (N_("Not given")));
      put_figures (&sheet, 1, &row->figures);
    }
  sheet_end (&sheet);
}

static void
write_report_sheet (Book                *book,
                    const KlReportModel *m)
{
  const char *headers[] = { T (N_("Item")), T (N_("Value")) };
  g_autofree char *label = kl_period_to_label (m->period);
  g_autofree char *display = kl_report_period_display (m->period, book->language);
  g_autofree char *start = kl_period_start_date (m->period);
  g_autofree char *end = kl_period_end_date (m->period);
  Sheet sheet;
  const struct { const char *item; const char *value; } rows[] = {
    { T (N_("Customer code")), m->customer_code },
    { T (N_("Customer")), m->customer_id != NULL ? m->customer_name : T (N_("Whole portfolio")) },
    { T (N_("Period")), label },
    { T (N_("Period name")), display },
    { T (N_("First day")), start },
    { T (N_("Last day")), end },
    { T (N_("Time zone")), m->timezone },
    { T (N_("Comments")), m->comments },
    { T (N_("Goals for the next period")), m->goals },
  };

  if (!sheet_begin (&sheet, book, T (N_("Report")), headers, G_N_ELEMENTS (headers)))
    return;
  for (guint i = 0; i < G_N_ELEMENTS (rows); i++, sheet.row++)
    {
      put_text (&sheet, 0, rows[i].item);
      put_text (&sheet, 1, rows[i].value);
    }
  for (guint i = 0; m->client_notes != NULL && i < m->client_notes->len; i++, sheet.row++)
    {
      put_text (&sheet, 0, T (N_("Client note")));
      put_text (&sheet, 1, g_ptr_array_index (m->client_notes, i));
    }
  sheet_end (&sheet);
}

static void
write_figures_sheet (Book                *book,
                     const KlReportModel *m)
{
  const char *headers[] = {
    T (N_("Figure")), T (N_("This period")), T (N_("Previous period")), T (N_("Year ago")),
    T (N_("Change from previous")), T (N_("Change from a year ago")),
    T (N_("Target")), T (N_("Target met")), T (N_("Variance (pp)")),
  };
  Sheet sheet;

  if (!sheet_begin (&sheet, book, T (N_("Figures")), headers, G_N_ELEMENTS (headers)))
    return;
  for (guint i = 0; i < KL_N_COUNTS; i++, sheet.row++)
    {
      lxw_format *format = count_format (book, i);

      put_text (&sheet, 0, T (_kl_report_count_msgid (i)));
      put_number (&sheet, 1, kl_kpi_figures_get_count (&m->figures, i), format);
      put_number (&sheet, 2, kl_kpi_figures_get_count (&m->previous, i), format);
      put_number (&sheet, 3, kl_kpi_figures_get_count (&m->year_ago, i), format);
      /* Counts change in percent: as fractions, formatted 0.0%. */
      put_number (&sheet, 4, m->delta_previous.counts_pct[i] / 100.0, book->percent);
      put_number (&sheet, 5, m->delta_year_ago.counts_pct[i] / 100.0, book->percent);
    }
  for (guint i = 0; i < KL_N_RATES; i++, sheet.row++)
    {
      const KlKpiTarget *t = &m->targets[i];

      put_text (&sheet, 0, kl_report_rate_label (i, book->language));
      put_number (&sheet, 1, m->figures.rates[i], book->percent);
      put_number (&sheet, 2, m->previous.rates[i], book->percent);
      put_number (&sheet, 3, m->year_ago.rates[i], book->percent);
      put_number (&sheet, 4, m->delta_previous.rates_pp[i], book->pp);
      put_number (&sheet, 5, m->delta_year_ago.rates_pp[i], book->pp);
      if (t->has_target)
        {
          put_number (&sheet, 6, t->target, book->percent);
          if (t->met != KL_TRI_UNKNOWN)
            put_text (&sheet, 7, t->met == KL_TRI_TRUE ? T (N_("Met")) : T (N_("Missed")));
          put_number (&sheet, 8, t->variance_pp, book->pp);
        }
    }
  sheet_end (&sheet);
}

static gboolean
month_in (GArray *months, int month)
{
  for (guint i = 0; months != NULL && i < months->len; i++)
    if (g_array_index (months, int, i) == month)
      return TRUE;
  return FALSE;
}

static void
write_seasons_sheet (Book                *book,
                     const KlReportModel *m)
{
  const char *headers[] = { T (N_("Month")), T (N_("Shipments")), T (N_("Season")) };
  Sheet sheet;

  if (!sheet_begin (&sheet, book, T (N_("Seasons")), headers, G_N_ELEMENTS (headers)))
    return;
  for (guint i = 0; i < G_N_ELEMENTS (m->trailing_months); i++, sheet.row++)
    {
      g_autofree char *month = kl_month_to_label (m->trailing_months[i]);

      put_text (&sheet, 0, month);
      put_count (&sheet, 1, m->trailing_shipments[i]);
      if (month_in (m->peak_months, m->trailing_months[i]))
        put_text (&sheet, 2, T (N_("Peak")));
      else if (month_in (m->off_peak_months, m->trailing_months[i]))
        put_text (&sheet, 2, T (N_("Off-peak")));
    }
  sheet_end (&sheet);
}

static void
put_money_rows (Sheet *sheet, const char *what, GPtrArray *list)
{
  for (guint i = 0; list != NULL && i < list->len; i++, sheet->row++)
    {
      const KlReportMoney *money = g_ptr_array_index (list, i);
      g_autofree char *item = g_strdup_printf ("%s (%s)", what, money->currency);

      put_text (sheet, 0, item);
      put_money (sheet, 1, money->amount, money->currency);
    }
}

static void
write_claims_summary_sheet (Book                *book,
                            const KlReportModel *m)
{
  const char *headers[] = { T (N_("Item")), T (N_("Value")) };
  const KlReportClaims *c = &m->claims;
  const struct { const char *item; gint64 value; } counts[] = {
    { T (N_("Opened")), c->opened },
    { T (N_("Closed")), c->closed },
    { T (N_("Open at the end")), c->open_at_end },
    { T (N_("Overdue at the end")), c->overdue_at_end },
  };
  Sheet sheet;

  if (!sheet_begin (&sheet, book, T (N_("Claims")), headers, G_N_ELEMENTS (headers)))
    return;
  for (guint i = 0; i < G_N_ELEMENTS (counts); i++, sheet.row++)
    {
      put_text (&sheet, 0, counts[i].item);
      put_count (&sheet, 1, counts[i].value);
    }
  put_text (&sheet, 0, T (N_("Mean days to close")));
  put_number (&sheet, 1, c->mean_days_to_close, book->decimal1);
  sheet.row++;
  put_money_rows (&sheet, T (N_("Claimed")), c->claimed);
  put_money_rows (&sheet, T (N_("Settled")), c->settled);
  sheet_end (&sheet);
}

gboolean
kl_xlsx_write_report (const KlReportModel  *model,
                      const char           *language,
                      const char           *path,
                      GError              **error)
{
  Book b;
  Book *book = &b;

  g_return_val_if_fail (model != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  book_init (book, language, path);
  if (book->workbook != NULL)
    {
      write_report_sheet (book, model);
      write_figures_sheet (book, model);
      if (model->by_month->len > 0)
        write_rows (book, T (N_("By month")), T (N_("Month")), model->by_month);
      write_rows (book, T (N_("Destination regions")), T (N_("Region")), model->by_destination_region);
      write_rows (book, T (N_("Origin regions")), T (N_("Region")), model->by_origin_region);
      write_seasons_sheet (book, model);
      write_claims_summary_sheet (book, model);
    }
  return book_finish (book, path, error);
}

/* The Portfolio list */

gboolean
kl_xlsx_write_portfolio (GPtrArray   *rows,
                         const char  *language,
                         const char  *path,
                         GError     **error)
{
  enum { FIXED = 11 };
  const char *headers[FIXED + KL_N_RATES + 2];
  Book b;
  Book *book = &b;
  Sheet sheet;

  g_return_val_if_fail (rows != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  book_init (book, language, path);
  headers[0] = T (N_("Rank"));
  headers[1] = T (N_("Code"));
  headers[2] = T (N_("Customer"));
  headers[3] = T (N_("Region"));
  headers[4] = T (N_("Class"));
  headers[5] = T (N_("Status"));
  headers[6] = T (N_("Month"));
  headers[7] = T (N_("Shipments"));
  headers[8] = T (N_("Volume trend"));
  headers[9] = T (N_("SLA misses"));
  headers[10] = T (N_("Rates with a target"));
  for (guint i = 0; i < KL_N_RATES; i++)
    headers[FIXED + i] = kl_report_rate_label (i, book->language);
  headers[FIXED + KL_N_RATES] = T (N_("Open claims"));
  headers[FIXED + KL_N_RATES + 1] = T (N_("Overdue claims"));

  if (sheet_begin (&sheet, book, T (N_("Portfolio")), headers, G_N_ELEMENTS (headers)))
    {
      for (guint r = 0; r < rows->len; r++, sheet.row++)
        {
          const KlPortfolioRow *row = g_ptr_array_index (rows, r);
          g_autofree char *month = kl_month_to_label (row->month);

          put_count (&sheet, 0, row->rank);
          put_text (&sheet, 1, row->code);
          put_text (&sheet, 2, row->name);
          put_text (&sheet, 3, row->region);
          if (row->abc_class != KL_ABC_NONE)
            put_text (&sheet, 4, kl_abc_class_to_string (row->abc_class));
          put_text (&sheet, 5, kl_customer_status_to_label (row->status));
          put_text (&sheet, 6, month);
          put_count (&sheet, 7, row->figures.shipments);
          put_number (&sheet, 8, row->volume_trend, book->percent);
          put_count (&sheet, 9, row->sla_misses);
          put_count (&sheet, 10, row->sla_targets);
          for (guint i = 0; i < KL_N_RATES; i++)
            put_number (&sheet, FIXED + i, row->figures.rates[i], book->percent);
          put_count (&sheet, FIXED + KL_N_RATES, row->open_claims);
          put_count (&sheet, FIXED + KL_N_RATES + 1, row->overdue_claims);
        }
      sheet_end (&sheet);
    }
  return book_finish (book, path, error);
}

/* Claims */

gboolean
kl_xlsx_write_claims (GPtrArray   *claims,
                      GTimeZone   *tz,
                      const char  *language,
                      const char  *path,
                      GError     **error)
{
  Book b;
  Book *book = &b;
  Sheet sheet;

  g_return_val_if_fail (claims != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  book_init (book, language, path);
  if (book->workbook != NULL)
    {
      const char *headers[] = {
        T (N_("Number")), T (N_("Customer code")), T (N_("Customer")), T (N_("Kind")), T (N_("Status")),
        T (N_("Waybill")), T (N_("Currency")), T (N_("Claimed")), T (N_("Approved")), T (N_("Paid")),
        T (N_("Filed")), T (N_("Acknowledge by")), T (N_("Resolve by")), T (N_("Next due")),
        T (N_("Overdue")), T (N_("Owner")),
      };

      if (sheet_begin (&sheet, book, T (N_("Claims")), headers, G_N_ELEMENTS (headers)))
        {
          for (guint i = 0; i < claims->len; i++, sheet.row++)
            {
              const KlClaim *c = g_ptr_array_index (claims, i);

              put_text (&sheet, 0, c->number);
              put_text (&sheet, 1, c->customer_code);
              put_text (&sheet, 2, c->customer_name);
              put_text (&sheet, 3, kl_claim_kind_to_label (c->kind));
              put_text (&sheet, 4, kl_claim_status_to_label (c->status));
              put_text (&sheet, 5, c->waybill);
              put_text (&sheet, 6, c->currency);
              if (c->claimed_set)
                put_money (&sheet, 7, c->claimed, c->currency);
              if (c->approved_set)
                put_money (&sheet, 8, c->approved, c->currency);
              if (c->paid_set)
                put_money (&sheet, 9, c->paid, c->currency);
              put_instant (&sheet, 10, c->filed_at, tz);
              if (c->deadlines.acknowledge_pending)
                put_instant (&sheet, 11, c->deadlines.acknowledge_by, tz);
              if (c->deadlines.resolve_pending)
                put_instant (&sheet, 12, c->deadlines.resolve_by, tz);
              put_instant (&sheet, 13, c->next_due, tz);
              if (c->overdue)
                put_text (&sheet, 14, T (N_("Overdue")));
              put_text (&sheet, 15, c->owner);
            }
          sheet_end (&sheet);
        }
    }
  return book_finish (book, path, error);
}

/* Surveys */

static const char *
company_name (const KlSurvey *s, guint c)
{
  return ((const KlSurveyCompany *) g_ptr_array_index (s->companies, c))->name;
}

static void
write_results_sheet (Book                 *book,
                     const KlSurveyReport *report)
{
  const KlSurvey *s = report->survey;
  guint n_companies = s->companies->len;
  g_autoptr(GPtrArray) headers = g_ptr_array_new_with_free_func (g_free);
  guint fixed;
  Sheet sheet;

  g_ptr_array_add (headers, g_strdup (T (N_("Code"))));
  g_ptr_array_add (headers, g_strdup (T (N_("Attribute"))));
  g_ptr_array_add (headers, g_strdup ("n"));
  g_ptr_array_add (headers, g_strdup (T (N_("Importance"))));
  g_ptr_array_add (headers, g_strdup (T (N_("Importance sd"))));
  fixed = headers->len;
  for (guint c = 0; c < n_companies; c++)
    {
      /* Translators: "%s" is a company in a survey: its mean performance,
       * standard deviation and number of ratings */
      g_ptr_array_add (headers, g_strdup_printf (T (N_("%s: mean")), company_name (s, c)));
      g_ptr_array_add (headers, g_strdup_printf (T (N_("%s: sd")), company_name (s, c)));
      g_ptr_array_add (headers, g_strdup_printf (T (N_("%s: n")), company_name (s, c)));
    }
  g_ptr_array_add (headers, g_strdup (T (N_("Relative"))));
  g_ptr_array_add (headers, g_strdup ("p"));
  g_ptr_array_add (headers, g_strdup (T (N_("Significance"))));
  g_ptr_array_add (headers, g_strdup (T (N_("Position"))));
  g_ptr_array_add (headers, g_strdup (T (N_("Action"))));

  if (!sheet_begin (&sheet, book, T (N_("Results")), (const char * const *) headers->pdata, headers->len))
    return;
  for (guint a = 0; a < report->n_results; a++, sheet.row++)
    {
      const KlSurveyResult *r = &report->results[a];
      guint col = fixed + 3 * n_companies;

      put_text (&sheet, 0, r->attribute->code);
      put_text (&sheet, 1, kl_survey_attribute_name (r->attribute, book->language));
      put_count (&sheet, 2, r->n);
      put_number (&sheet, 3, r->importance.mean, book->decimal2);
      put_number (&sheet, 4, r->importance.sd, book->decimal2);
      for (guint c = 0; c < n_companies; c++)
        {
          put_number (&sheet, fixed + 3 * c, r->performance[c].mean, book->decimal2);
          put_number (&sheet, fixed + 3 * c + 1, r->performance[c].sd, book->decimal2);
          put_count (&sheet, fixed + 3 * c + 2, r->performance[c].n);
        }
      put_number (&sheet, col, r->relative, book->decimal2);
      put_number (&sheet, col + 1, r->tested ? r->p : NAN, book->decimal4);
      put_text (&sheet, col + 2, kl_significance_to_string (r->significance));
      if (r->position != KL_POSITION_NONE)
        put_text (&sheet, col + 3, kl_survey_position_to_label (r->position));
      if (r->action != KL_ACTION_NONE)
        put_text (&sheet, col + 4, kl_survey_action_to_label (r->action));
    }
  sheet_end (&sheet);
}

static void
write_responses_sheet (Book                 *book,
                       const KlSurveyReport *report)
{
  const KlSurvey *s = report->survey;
  guint n_attributes = s->attributes->len;
  guint n_companies = s->companies->len;
  g_autoptr(GPtrArray) headers = g_ptr_array_new_with_free_func (g_free);
  Sheet sheet;

  g_ptr_array_add (headers, g_strdup (T (N_("Respondent"))));
  g_ptr_array_add (headers, g_strdup (T (N_("Customer code"))));
  g_ptr_array_add (headers, g_strdup (T (N_("Attribute"))));
  g_ptr_array_add (headers, g_strdup (T (N_("Importance"))));
  for (guint c = 0; c < n_companies; c++)
    g_ptr_array_add (headers, g_strdup (company_name (s, c)));

  if (!sheet_begin (&sheet, book, T (N_("Responses")), (const char * const *) headers->pdata, headers->len))
    return;
  for (guint r = 0; r < s->respondents->len; r++)
    {
      const KlSurveyRespondent *who = g_ptr_array_index (s->respondents, r);

      for (guint a = 0; a < n_attributes; a++, sheet.row++)
        {
          const KlSurveyAttribute *attribute = g_ptr_array_index (s->attributes, a);
          int importance = s->importance[r * n_attributes + a];

          put_text (&sheet, 0, who->name);
          put_text (&sheet, 1, who->customer_code);
          put_text (&sheet, 2, attribute->code);
          /* 0 is "not given": an empty cell. */
          if (importance > 0)
            put_count (&sheet, 3, importance);
          for (guint c = 0; c < n_companies; c++)
            {
              int rating = s->performance[(r * n_attributes + a) * n_companies + c];

              if (rating > 0)
                put_count (&sheet, 4 + c, rating);
            }
        }
    }
  sheet_end (&sheet);
}

gboolean
kl_xlsx_write_survey (const KlSurveyReport  *report,
                      const char            *language,
                      const char            *path,
                      GError               **error)
{
  Book b;
  Book *book = &b;

  g_return_val_if_fail (report != NULL && report->survey != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  book_init (book, language, path);
  if (book->workbook != NULL)
    {
      write_results_sheet (book, report);
      write_responses_sheet (book, report);
    }
  return book_finish (book, path, error);
}
