/* SPDX-License-Identifier: GPL-3.0-or-later */
/* RFC 4180 records from a file's bytes, one at a time into reused buffers
 * (a ten-million-line file must not cost ten million allocations), and the
 * exact parsers for numbers, times and yes/no values in imported fields. */

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "kl-csv.h"

struct _KlCsvReader {
  GBytes      *contents;    /* the UTF-8 case: data points into it */
  char        *converted;   /* the GB18030 case: data is this */
  const char  *data;        /* the text, byte-order mark skipped */
  gsize        len;
  gsize        pos;
  guint        line;
  char        *display_name;
  const char  *encoding;
  char         delimiter;

  GString     *buf;         /* the current record's fields, NUL-separated */
  GArray      *offsets;     /* gsize: where each field starts in buf */
  GArray      *quoted;      /* gboolean per field */
  GPtrArray   *fields;      /* char*: into buf */
  KlCsvRecord  record;
};

G_DEFINE_QUARK (kl-csv-error-quark, kl_csv_error)

static const char utf8_bom[] = "\xEF\xBB\xBF";

static gboolean
has_bom (const char *data,
         gsize       len)
{
  return len >= 3 && memcmp (data, utf8_bom, 3) == 0;
}

/* Counts the candidate delimiters outside quotes on the first non-blank
 * line; the most frequent wins, comma on a tie. */
static char
detect_delimiter (const char *data,
                  gsize       len)
{
  const char *p = data;
  const char *end = data + len;
  guint n_comma = 0, n_semicolon = 0, n_tab = 0;
  gboolean in_quotes = FALSE;

  while (p < end && (*p == '\n' || *p == '\r'))
    p++;
  for (; p < end; p++)
    {
      if (*p == '"')
        in_quotes = !in_quotes;
      else if (in_quotes)
        continue;
      else if (*p == '\n' || *p == '\r')
        break;
      else if (*p == ',')
        n_comma++;
      else if (*p == ';')
        n_semicolon++;
      else if (*p == '\t')
        n_tab++;
    }

  if (n_semicolon > n_comma && n_semicolon >= n_tab)
    return ';';
  if (n_tab > n_comma && n_tab > n_semicolon)
    return '\t';
  return ',';
}

KlCsvReader *
kl_csv_reader_new (GBytes      *contents,
                   const char  *display_name,
                   GError     **error)
{
  g_autoptr(KlCsvReader) self = NULL;
  const char *data;
  gsize len;

  g_return_val_if_fail (contents != NULL, NULL);
  g_return_val_if_fail (display_name != NULL, NULL);

  self = g_new0 (KlCsvReader, 1);
  self->display_name = g_strdup (display_name);
  self->buf = g_string_sized_new (256);
  self->offsets = g_array_new (FALSE, FALSE, sizeof (gsize));
  self->quoted = g_array_new (FALSE, FALSE, sizeof (gboolean));
  self->fields = g_ptr_array_new ();

  data = g_bytes_get_data (contents, &len);
  if (data == NULL)
    data = "";

  if (has_bom (data, len) || g_utf8_validate_len (data, len, NULL))
    {
      if (has_bom (data, len))
        {
          data += 3;
          len -= 3;
        }
      if (!g_utf8_validate_len (data, len, NULL))
        {
          g_set_error (error, KL_CSV_ERROR, KL_CSV_ERROR_ENCODING,
                       _("%s: the file starts with a UTF-8 byte-order mark but is not valid UTF-8; "
                         "save it again as UTF-8"),
                       display_name);
          return NULL;
        }
      self->contents = g_bytes_ref (contents);
      self->encoding = "UTF-8";
    }
  else
    {
      g_autoptr(GError) local_error = NULL;
      gsize n_written = 0;

      self->converted = g_convert (data, len, "UTF-8", "GB18030", NULL, &n_written, &local_error);
      if (self->converted == NULL || !g_utf8_validate_len (self->converted, n_written, NULL))
        {
          g_set_error (error, KL_CSV_ERROR, KL_CSV_ERROR_ENCODING,
                       _("%s: the file is neither UTF-8 nor GB18030 text; save it as CSV in UTF-8"),
                       display_name);
          return NULL;
        }
      data = self->converted;
      len = n_written;
      if (has_bom (data, len))
        {
          data += 3;
          len -= 3;
        }
      self->encoding = "GB18030";
    }

  self->data = data;
  self->len = len;
  self->line = 1;
  self->delimiter = detect_delimiter (data, len);
  return g_steal_pointer (&self);
}

void
kl_csv_reader_free (KlCsvReader *self)
{
  if (self == NULL)
    return;
  g_clear_pointer (&self->contents, g_bytes_unref);
  g_free (self->converted);
  g_free (self->display_name);
  g_string_free (self->buf, TRUE);
  g_array_unref (self->offsets);
  g_array_unref (self->quoted);
  g_ptr_array_unref (self->fields);
  g_free (self);
}

const char *
kl_csv_reader_get_encoding (KlCsvReader *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->encoding;
}

char
kl_csv_reader_get_delimiter (KlCsvReader *self)
{
  g_return_val_if_fail (self != NULL, ',');
  return self->delimiter;
}

double
kl_csv_reader_get_fraction (KlCsvReader *self)
{
  g_return_val_if_fail (self != NULL, 0.0);
  return self->len > 0 ? (double) self->pos / (double) self->len : 1.0;
}

void
kl_csv_reader_rewind (KlCsvReader *self)
{
  g_return_if_fail (self != NULL);
  self->pos = 0;
  self->line = 1;
}

gboolean
kl_csv_record_is_blank (const KlCsvRecord *record)
{
  g_return_val_if_fail (record != NULL, FALSE);
  return record->n_fields == 1 && !record->quoted[0] && record->fields[0][0] == '\0';
}

/* Steps over one line end (LF, CRLF or a lone CR) at *p. */
static const char *
skip_line_end (const char *p,
               const char *end)
{
  if (*p == '\r')
    {
      p++;
      if (p < end && *p == '\n')
        p++;
      return p;
    }
  return p + 1;
}

gboolean
kl_csv_reader_read (KlCsvReader         *self,
                    const KlCsvRecord  **out_record,
                    GError             **error)
{
  const char *p;
  const char *end;
  const char delimiter = self->delimiter;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (out_record != NULL, FALSE);

  p = self->data + self->pos;
  end = self->data + self->len;
  if (p >= end)
    return FALSE;

  g_string_truncate (self->buf, 0);
  g_array_set_size (self->offsets, 0);
  g_array_set_size (self->quoted, 0);
  self->record.line = self->line;

  for (;;)
    {
      gsize start = self->buf->len;
      gboolean quoted = FALSE;

      if (p < end && *p == '"')
        {
          guint open_line = self->line;

          quoted = TRUE;
          p++;
          for (;;)
            {
              const char *run = p;

              while (p < end && *p != '"' && *p != '\n' && *p != '\r')
                p++;
              g_string_append_len (self->buf, run, p - run);
              if (p >= end)
                {
                  g_set_error (error, KL_CSV_ERROR, KL_CSV_ERROR_SYNTAX,
                               _("%s:%u: a quoted field is not closed; a quote inside a quoted field "
                                 "is written twice (\"\")"),
                               self->display_name, open_line);
                  return FALSE;
                }
              if (*p == '"')
                {
                  if (p + 1 < end && p[1] == '"')
                    {
                      g_string_append_c (self->buf, '"');
                      p += 2;
                      continue;
                    }
                  p++;
                  break;
                }
              /* A line end inside quotes belongs to the field. */
              p = skip_line_end (p, end);
              g_string_append_c (self->buf, '\n');
              self->line++;
            }
          /* Spaces after the closing quote are forgiven; other text is not. */
          while (p < end && (*p == ' ' || *p == '\t') && *p != delimiter)
            p++;
          if (p < end && *p != delimiter && *p != '\n' && *p != '\r')
            {
              g_set_error (error, KL_CSV_ERROR, KL_CSV_ERROR_SYNTAX,
                           _("%s:%u: text follows the closing quote of a field; a quote inside a quoted "
                             "field is written twice (\"\")"),
                           self->display_name, self->line);
              return FALSE;
            }
        }
      else
        {
          const char *run = p;

          while (p < end && *p != delimiter && *p != '\n' && *p != '\r')
            p++;
          g_string_append_len (self->buf, run, p - run);
        }

      g_string_append_c (self->buf, '\0');
      g_array_append_val (self->offsets, start);
      g_array_append_val (self->quoted, quoted);

      if (p >= end)
        break;
      if (*p == delimiter)
        {
          p++;
          continue;
        }
      p = skip_line_end (p, end);
      self->line++;
      break;
    }

  self->pos = p - self->data;

  /* buf may have moved while it grew, so the pointers are made last. */
  g_ptr_array_set_size (self->fields, self->offsets->len);
  for (guint i = 0; i < self->offsets->len; i++)
    self->fields->pdata[i] = self->buf->str + g_array_index (self->offsets, gsize, i);

  self->record.n_fields = self->offsets->len;
  self->record.fields = (char **) self->fields->pdata;
  self->record.quoted = (const gboolean *) self->quoted->data;
  *out_record = &self->record;
  return TRUE;
}

/* Values */

static void
trim (const char  *text,
      const char **out_start,
      const char **out_end)
{
  const char *start = text;
  const char *end = text + strlen (text);

  while (start < end && (*start == ' ' || *start == '\t'))
    start++;
  while (end > start && (end[-1] == ' ' || end[-1] == '\t'))
    end--;
  *out_start = start;
  *out_end = end;
}

static gboolean
mul_add (guint64  *value,
         guint     digit)
{
  if (*value > ((guint64) G_MAXINT64 - digit) / 10)
    return FALSE;
  *value = *value * 10 + digit;
  return TRUE;
}

static KlCsvValueStatus
parse_scaled (const char *text,
              gboolean    quoted,
              guint       scale,
              gboolean    whole,
              gint64     *out_value)
{
  const char *p, *end;
  guint64 value = 0;
  gboolean negative = FALSE;
  gboolean any_digit = FALSE;
  gboolean grouped = FALSE;
  gboolean too_large = FALSE;
  gboolean round_up = FALSE;
  gboolean fraction_left = FALSE;  /* non-zero digits beyond the scale */
  guint run = 0;                   /* digits since the last group comma */
  guint n_fraction = 0;

  trim (text, &p, &end);
  if (p == end)
    return KL_CSV_VALUE_EMPTY;

  if (*p == '+' || *p == '-')
    {
      negative = *p == '-';
      p++;
    }

  for (; p < end && (g_ascii_isdigit (*p) || *p == ','); p++)
    {
      if (*p == ',')
        {
          if (!quoted)
            return KL_CSV_VALUE_COMMA_UNQUOTED;
          if (run == 0 || run > 3 || (grouped && run != 3))
            return KL_CSV_VALUE_BAD;
          grouped = TRUE;
          run = 0;
          continue;
        }
      run++;
      any_digit = TRUE;
      if (!too_large && !mul_add (&value, *p - '0'))
        too_large = TRUE;
    }
  if (grouped && run != 3)
    return KL_CSV_VALUE_BAD;

  if (p < end && *p == '.')
    {
      p++;
      for (; p < end && g_ascii_isdigit (*p); p++)
        {
          guint digit = *p - '0';

          any_digit = TRUE;
          if (n_fraction < scale)
            {
              if (!too_large && !mul_add (&value, digit))
                too_large = TRUE;
            }
          else
            {
              if (n_fraction == scale)
                round_up = digit >= 5;
              if (digit != 0)
                fraction_left = TRUE;
            }
          n_fraction++;
        }
    }
  if (p < end && *p == ',')
    return quoted ? KL_CSV_VALUE_BAD : KL_CSV_VALUE_COMMA_UNQUOTED;
  if (p != end || !any_digit)
    return KL_CSV_VALUE_BAD;

  for (; n_fraction < scale; n_fraction++)
    if (!too_large && !mul_add (&value, 0))
      too_large = TRUE;

  if (whole && fraction_left)
    return KL_CSV_VALUE_NOT_WHOLE;
  if (round_up && !too_large)
    {
      if (value >= (guint64) G_MAXINT64)
        too_large = TRUE;
      else
        value++;
    }
  if (negative && (value != 0 || too_large))
    return KL_CSV_VALUE_NEGATIVE;
  if (too_large)
    return KL_CSV_VALUE_TOO_LARGE;

  *out_value = (gint64) value;
  return KL_CSV_VALUE_OK;
}

KlCsvValueStatus
kl_csv_parse_decimal (const char *text,
                      gboolean    quoted,
                      guint       scale,
                      gint64     *out_value)
{
  g_return_val_if_fail (text != NULL, KL_CSV_VALUE_BAD);
  g_return_val_if_fail (scale <= 18, KL_CSV_VALUE_BAD);
  g_return_val_if_fail (out_value != NULL, KL_CSV_VALUE_BAD);
  return parse_scaled (text, quoted, scale, FALSE, out_value);
}

KlCsvValueStatus
kl_csv_parse_count (const char *text,
                    gboolean    quoted,
                    gint64     *out_value)
{
  g_return_val_if_fail (text != NULL, KL_CSV_VALUE_BAD);
  g_return_val_if_fail (out_value != NULL, KL_CSV_VALUE_BAD);
  return parse_scaled (text, quoted, 0, TRUE, out_value);
}

static gboolean
read_number (const char **pp,
             const char  *end,
             guint        min_digits,
             guint        max_digits,
             int         *out_value)
{
  const char *p = *pp;
  guint n = 0;
  int value = 0;

  while (p < end && n < max_digits && g_ascii_isdigit (*p))
    {
      value = value * 10 + (*p - '0');
      p++;
      n++;
    }
  if (n < min_digits || (p < end && g_ascii_isdigit (*p)))
    return FALSE;
  *pp = p;
  *out_value = value;
  return TRUE;
}

/* Days from 1970-01-01 to a date of the proleptic Gregorian calendar. */
static gint64
days_from_civil (int year,
                 int month,
                 int day)
{
  gint64 y = year - (month <= 2 ? 1 : 0);
  gint64 era = (y >= 0 ? y : y - 399) / 400;
  gint64 year_of_era = y - era * 400;
  gint64 day_of_year = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
  gint64 day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;

  return era * 146097 + day_of_era - 719468;
}

KlCsvValueStatus
kl_csv_parse_time (const char *text,
                   GTimeZone  *tz,
                   gint64     *out_value)
{
  const char *p, *end;
  int year, month, day, hour, minute, second = 0;
  char date_sep;
  gboolean has_offset = FALSE;
  int offset = 0;
  gint64 t;

  g_return_val_if_fail (text != NULL, KL_CSV_VALUE_BAD);
  g_return_val_if_fail (out_value != NULL, KL_CSV_VALUE_BAD);

  trim (text, &p, &end);
  if (p == end)
    return KL_CSV_VALUE_EMPTY;

  if (!read_number (&p, end, 4, 4, &year) || p >= end || (*p != '-' && *p != '/'))
    return KL_CSV_VALUE_BAD;
  date_sep = *p++;
  if (!read_number (&p, end, 1, 2, &month) || p >= end || *p++ != date_sep)
    return KL_CSV_VALUE_BAD;
  if (!read_number (&p, end, 1, 2, &day) || p >= end)
    return KL_CSV_VALUE_BAD;
  if (*p == 'T' || *p == 't')
    p++;
  else if (*p == ' ')
    while (p < end && *p == ' ')
      p++;
  else
    return KL_CSV_VALUE_BAD;

  if (!read_number (&p, end, 1, 2, &hour) || p >= end || *p++ != ':')
    return KL_CSV_VALUE_BAD;
  if (!read_number (&p, end, 2, 2, &minute))
    return KL_CSV_VALUE_BAD;
  if (p < end && *p == ':')
    {
      p++;
      if (!read_number (&p, end, 2, 2, &second))
        return KL_CSV_VALUE_BAD;
      if (p < end && (*p == '.' || *p == ','))
        {
          p++;
          if (p >= end || !g_ascii_isdigit (*p))
            return KL_CSV_VALUE_BAD;
          while (p < end && g_ascii_isdigit (*p))
            p++;
        }
    }

  if (p < end && (*p == 'Z' || *p == 'z'))
    {
      has_offset = TRUE;
      p++;
    }
  else if (p < end && (*p == '+' || *p == '-'))
    {
      int sign = *p == '-' ? -1 : 1;
      int off_hours, off_minutes = 0;

      p++;
      if (!read_number (&p, end, 2, 2, &off_hours))
        return KL_CSV_VALUE_BAD;
      if (p < end && *p == ':')
        p++;
      if (p < end && !read_number (&p, end, 2, 2, &off_minutes))
        return KL_CSV_VALUE_BAD;
      if (off_hours > 23 || off_minutes > 59)
        return KL_CSV_VALUE_BAD;
      has_offset = TRUE;
      offset = sign * (off_hours * 3600 + off_minutes * 60);
    }
  if (p != end)
    return KL_CSV_VALUE_BAD;

  if (month < 1 || month > 12 || day < 1 ||
      day > g_date_get_days_in_month ((GDateMonth) month, (GDateYear) MAX (year, 1)) ||
      hour > 23 || minute > 59 || second > 59)
    return KL_CSV_VALUE_BAD;

  t = days_from_civil (year, month, day) * 86400 + hour * 3600 + minute * 60 + second;
  if (has_offset)
    t -= offset;
  else if (tz != NULL)
    {
      /* t is the wall-clock time in tz; a time skipped by a daylight-saving
       * change is moved forward, as GDateTime does. */
      int interval = g_time_zone_adjust_time (tz, G_TIME_TYPE_STANDARD, &t);
      t -= g_time_zone_get_offset (tz, interval);
    }

  *out_value = t;
  return KL_CSV_VALUE_OK;
}

KlCsvValueStatus
kl_csv_parse_bool (const char *text,
                   gboolean   *out_value)
{
  static const struct {
    const char *word;
    gboolean    value;
  } words[] = {
    { "true", TRUE }, { "false", FALSE },
    { "1", TRUE },    { "0", FALSE },
    { "yes", TRUE },  { "no", FALSE },
    { "y", TRUE },    { "n", FALSE },
    { "是", TRUE },   { "否", FALSE },
  };
  const char *p, *end;
  gsize len;

  g_return_val_if_fail (text != NULL, KL_CSV_VALUE_BAD);
  g_return_val_if_fail (out_value != NULL, KL_CSV_VALUE_BAD);

  trim (text, &p, &end);
  if (p == end)
    return KL_CSV_VALUE_EMPTY;
  len = end - p;
  for (guint i = 0; i < G_N_ELEMENTS (words); i++)
    if (strlen (words[i].word) == len && g_ascii_strncasecmp (p, words[i].word, len) == 0)
      {
        *out_value = words[i].value;
        return KL_CSV_VALUE_OK;
      }
  return KL_CSV_VALUE_BAD;
}
