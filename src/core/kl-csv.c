/* SPDX-License-Identifier: GPL-3.0-or-later */
/* RFC 4180 records from a stream, one at a time into reused buffers (a
 * ten-million-line file must not cost ten million allocations, nor be held
 * in memory), and the exact parsers for numbers, times and yes/no values in
 * imported fields. */

#include "config.h"

#include <errno.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif
#include <glib/gi18n-lib.h>

#include "kl-csv.h"

/* The encoding is decided from this much of the file's start. */
#define SAMPLE_SIZE (1024 * 1024)
/* Bytes asked of the stream at a time. */
#define CHUNK_SIZE  (64 * 1024)

/* "Nearly all of it is valid UTF-8" (docs/import.md): of the bytes
 * above 0x7F in the sample, at least this many percent lie in valid UTF-8
 * sequences. ASCII is left out because it is the same in both encodings and
 * would make any file "nearly all" UTF-8. Chinese GB18030 text scores about
 * 30 % (some of its byte pairs happen to be valid UTF-8); a UTF-8 file with a
 * stray Latin-1 byte scores well above 90 % once it holds a few dozen
 * non-ASCII characters. Such a file is refused, since reading it as GB18030
 * would garble it silently; a file of ASCII with only a stray byte or two
 * scores 0 % and is read as GB18030, which garbles no more than those bytes. */
#define NEARLY_ALL_UTF8_PERCENT 90

struct _KlCsvReader {
  GInputStream *stream;
  GCancellable *cancellable;
  GBytes       *sample;       /* the first bytes, read before the encoding was known */
  gsize         sample_pos;   /* how much of sample has been decoded */
  goffset       size;         /* of the stream, -1 when unknown */
  goffset       n_raw;        /* bytes taken from the stream */
  guint64       raw_taken;    /* bytes read (sample or stream) since the start or a rewind */
  guint64       text_total;   /* text bytes decoded since then */
  guint64       text_erased;  /* of them, dropped from the front of text */
  gboolean      raw_eof;
  char         *display_name; /* escaped */
  KlCsvEncoding encoding;     /* UTF8 or GB18030 once decided */
  GIConv        iconv;        /* GB18030 → UTF-8 */

  GByteArray   *raw;          /* undecoded bytes: an incomplete sequence at a chunk's end */
  GString      *text;         /* decoded UTF-8 not yet parsed past */
  gsize         pos;          /* into text */
  gboolean      text_eof;     /* text holds everything up to the end (or an error) */
  gboolean      at_start;     /* a byte-order mark may still be skipped */
  guint         text_lines;   /* line ends in all text decoded so far, before text's end */
  GError       *pending;      /* met while decoding; reported when the parser gets there */

  guint         line;
  char          delimiter;

  GString      *buf;          /* the current record's fields, NUL-separated */
  GArray       *offsets;      /* gsize: where each field starts in buf */
  GArray       *quoted;       /* gboolean per field */
  guint         n_field_slots; /* allocated in offsets and quoted */
  GPtrArray    *fields;       /* char*: into buf */
  KlCsvRecord   record;
};

G_DEFINE_QUARK (kl-csv-error-quark, kl_csv_error)

static const char utf8_bom[] = "\xEF\xBB\xBF";

/* Escaping for messages */

static void
append_escaped_char (GString  *out,
                     gunichar  c)
{
  switch (c)
    {
    case '\n': g_string_append (out, "\\n"); return;
    case '\r': g_string_append (out, "\\r"); return;
    case '\t': g_string_append (out, "\\t"); return;
    default:
      break;
    }
  if (c < 0x20 || c == 0x7F)
    g_string_append_printf (out, "\\x%02X", c);
  else if ((c >= 0x80 && c < 0xA0) || c == 0x2028 || c == 0x2029)
    g_string_append_printf (out, "\\u%04X", c);
  else
    g_string_append_unichar (out, c);
}

char *
kl_csv_escape (const char *text,
               guint       max_chars)
{
  GString *out = g_string_new (NULL);
  const char *p = text ? text : "";
  gsize len = strlen (p);
  const char *end = p + len;
  guint n_chars = 0;

  while (p < end)
    {
      gunichar c = g_utf8_get_char_validated (p, end - p);
      gsize before = out->len;
      guint added;

      if (c == (gunichar) -1 || c == (gunichar) -2)
        {
          g_string_append_printf (out, "\\x%02X", (guchar) *p);
          p++;
        }
      else
        {
          append_escaped_char (out, c);
          p = g_utf8_next_char (p);
        }
      added = g_utf8_strlen (out->str + before, -1);
      if (max_chars > 0 && n_chars + added > max_chars)
        {
          g_string_truncate (out, before);
          g_string_append (out, "…");
          break;
        }
      n_chars += added;
    }
  return g_string_free (out, FALSE);
}

/* Reading and decoding */

static guint
count_line_ends (const char *data,
                 gsize       len)
{
  guint n = 0;

  /* Most files have no CR: then memchr finds the LFs, many bytes a step. */
  if (memchr (data, '\r', len) == NULL)
    {
      const char *p = data, *end = data + len;

      while ((p = memchr (p, '\n', end - p)) != NULL)
        {
          n++;
          p++;
        }
      return n;
    }
  for (gsize i = 0; i < len; i++)
    if (data[i] == '\n' || (data[i] == '\r' && (i + 1 >= len || data[i + 1] != '\n')))
      n++;
  return n;
}

/* Up to size bytes: first what is left of the sample, then the stream.
 * 0 at the end; -1 on an error. */
static gssize
read_raw (KlCsvReader  *self,
          guint8       *buffer,
          gsize         size,
          GError      **error)
{
  gssize n;
  g_autoptr(GError) local_error = NULL;

  if (self->sample != NULL)
    {
      gsize sample_len;
      const guint8 *data = g_bytes_get_data (self->sample, &sample_len);

      if (self->sample_pos < sample_len)
        {
          n = MIN (size, sample_len - self->sample_pos);
          memcpy (buffer, data + self->sample_pos, n);
          self->sample_pos += n;
          self->raw_taken += n;
          return n;
        }
    }
  if (self->raw_eof)
    return 0;

  n = g_input_stream_read (self->stream, buffer, size, self->cancellable, &local_error);
  if (n < 0)
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_set_error (error, KL_CSV_ERROR, KL_CSV_ERROR_CANCELLED,
                     _("%s: reading was cancelled"), self->display_name);
      else
        g_set_error (error, KL_CSV_ERROR, KL_CSV_ERROR_READ,
                     _("%s: cannot be read: %s"), self->display_name, local_error->message);
      return -1;
    }
  if (n == 0)
    self->raw_eof = TRUE;
  self->n_raw += n;
  self->raw_taken += n;
  return n;
}

/* Appends decoded text, keeping count of the line ends. A lone CR at the
 * end may turn out to be half a CRLF; counting it as a line end then would
 * count that line twice, so such a CR is counted when the next text comes. */
static void
append_text (KlCsvReader *self,
             const char  *data,
             gsize        len)
{
  gsize from = self->text->len;

  if (len == 0)
    return;
  if (self->at_start)
    {
      if (len >= 3 && memcmp (data, utf8_bom, 3) == 0)
        {
          data += 3;
          len -= 3;
        }
      self->at_start = FALSE;
    }
  g_string_append_len (self->text, data, len);
  self->text_total += len;
  /* Recount from the last byte already counted, so a CR ending the
   * previous text pairs with an LF starting this one. */
  if (from > 0 && self->text->str[from - 1] == '\r')
    {
      if (self->text->str[from] == '\n')
        self->text_lines--;  /* counted as a lone CR before */
    }
  self->text_lines += count_line_ends (self->text->str + from, self->text->len - from);
}

static void
set_pending_encoding_error (KlCsvReader *self,
                            guint        line,
                            guint8       byte)
{
  if (self->pending != NULL)
    return;
  if (self->encoding == KL_CSV_ENCODING_UTF8)
    self->pending = g_error_new (KL_CSV_ERROR, KL_CSV_ERROR_ENCODING,
                                 /* Translators: file, line, a byte in hex */
                                 _("%s:%u: the file is read as UTF-8, but this line holds a byte that is "
                                   "not UTF-8 (0x%02X); correct the line and save the file as UTF-8"),
                                 self->display_name, line, byte);
  else
    self->pending = g_error_new (KL_CSV_ERROR, KL_CSV_ERROR_ENCODING,
                                 _("%s:%u: the file is neither UTF-8 nor GB18030 text; save it as CSV in UTF-8"),
                                 self->display_name, line);
}

/* g_utf8_validate_len (), eight bytes a step through ASCII: a run of
 * bytes from 0x80 up is checked by GLib on its own, which is exact, as no
 * UTF-8 sequence holds an ASCII byte. NUL is refused as GLib refuses it. */
static gboolean
utf8_validate (const char  *data,
               gsize        len,
               const char **out_end)
{
  const guchar *p = (const guchar *) data, *end = p + len;

  while (p < end)
    {
      if (end - p >= 8)
        {
          guint64 w;

          memcpy (&w, p, sizeof w);
          /* No byte from 0x80 up, and none zero. */
          if ((w & G_GUINT64_CONSTANT (0x8080808080808080)) == 0 &&
              ((w - G_GUINT64_CONSTANT (0x0101010101010101)) & ~w & G_GUINT64_CONSTANT (0x8080808080808080)) == 0)
            {
              p += 8;
              continue;
            }
        }
      if (*p == 0)
        {
          *out_end = (const char *) p;
          return FALSE;
        }
      if (*p < 0x80)
        {
          p++;
          continue;
        }
      {
        const guchar *run = p;
        const char *bad;

        while (p < end && *p >= 0x80)
          p++;
        if (!g_utf8_validate_len ((const char *) run, p - run, &bad))
          {
            *out_end = bad;
            return FALSE;
          }
      }
    }
  *out_end = (const char *) end;
  return TRUE;
}

/* Decodes raw (what was left over, then the new bytes) into text; what
 * cannot be decoded yet (an incomplete sequence) stays in raw. */
static void
decode (KlCsvReader *self,
        gboolean     at_end)
{
  const char *data = (const char *) self->raw->data;
  gsize len = self->raw->len;
  gsize used = 0;

  if (self->pending != NULL)
    {
      g_byte_array_set_size (self->raw, 0);
      return;
    }

  if (self->encoding == KL_CSV_ENCODING_UTF8)
    {
      const char *valid_end = NULL;

      if (utf8_validate (data, len, &valid_end))
        used = len;
      else
        {
          gsize good = valid_end - data;
          gsize rest = len - good;
          gunichar c = g_utf8_get_char_validated (valid_end, rest);

          append_text (self, data, good);
          used = good;
          /* An incomplete sequence at the end waits for the next chunk. */
          if (!(c == (gunichar) -2 && !at_end && rest < 4))
            {
              set_pending_encoding_error (self, self->text_lines + 1, (guint8) *valid_end);
              g_byte_array_set_size (self->raw, 0);
              return;
            }
          g_byte_array_remove_range (self->raw, 0, used);
          return;
        }
      append_text (self, data, used);
      g_byte_array_set_size (self->raw, 0);
      return;
    }

  /* GB18030 */
  {
    g_autofree char *out = g_malloc (2 * CHUNK_SIZE);
    char *in = (char *) data;
    gsize in_left = len;

    while (in_left > 0)
      {
        char *o = out;
        gsize out_left = 2 * CHUNK_SIZE;
        gsize r = g_iconv (self->iconv, &in, &in_left, &o, &out_left);
        gsize n_out = o - out;
        const char *nul = memchr (out, '\0', n_out);

        /* iconv passes NUL through; it is not text in either encoding. */
        if (nul != NULL)
          {
            append_text (self, out, nul - out);
            set_pending_encoding_error (self, self->text_lines + 1, 0);
            g_byte_array_set_size (self->raw, 0);
            return;
          }
        append_text (self, out, n_out);
        if (r != (gsize) -1 || errno == E2BIG)
          continue;
        if (errno == EINVAL && !at_end)
          break;  /* an incomplete sequence at the end */
        set_pending_encoding_error (self, self->text_lines + 1, in_left > 0 ? (guint8) *in : 0);
        g_byte_array_set_size (self->raw, 0);
        return;
      }
    g_byte_array_remove_range (self->raw, 0, len - in_left);
  }
}

/* Makes text hold more (at least min_more bytes more, unless the input
 * ends). Parsed text before pos is dropped first. FALSE on a read error. */
static gboolean
fill (KlCsvReader  *self,
      gsize         min_more,
      GError      **error)
{
  g_autofree guint8 *chunk = NULL;
  gsize start_len;

  if (self->pos > 0)
    {
      g_string_erase (self->text, 0, self->pos);
      self->text_erased += self->pos;
      self->pos = 0;
    }
  start_len = self->text->len;
  chunk = g_malloc (CHUNK_SIZE);

  while (!self->text_eof && self->text->len - start_len < MAX (min_more, 1))
    {
      gssize n = read_raw (self, chunk, CHUNK_SIZE, error);

      if (n < 0)
        return FALSE;
      g_byte_array_append (self->raw, chunk, n);
      decode (self, n == 0);
      if (n == 0 || self->pending != NULL)
        self->text_eof = TRUE;
    }
  return TRUE;
}

/* Counts the bytes above 0x7F that lie in valid UTF-8 sequences and those
 * that do not, and finds the first that does not. A sequence cut off by
 * the end of an incomplete sample is not counted. */
static void
score_utf8 (const guint8 *data,
            gsize         len,
            gboolean      complete,
            gsize        *out_valid,
            gsize        *out_invalid,
            gssize       *out_first_bad)
{
  gsize i = 0;

  *out_valid = 0;
  *out_invalid = 0;
  *out_first_bad = -1;
  while (i < len)
    {
      gunichar c;

      if (data[i] != 0 && data[i] < 0x80)
        {
          i++;
          continue;
        }
      c = g_utf8_get_char_validated ((const char *) data + i, len - i);
      if (data[i] != 0 && c != (gunichar) -1 && c != (gunichar) -2)
        {
          gsize n = g_utf8_skip[data[i]];

          *out_valid += n;
          i += n;
          continue;
        }
      if (c == (gunichar) -2 && !complete && len - i < 4)
        break;
      if (*out_first_bad < 0)
        *out_first_bad = i;
      (*out_invalid)++;
      i++;
    }
}

static void
detect_delimiter (KlCsvReader *self)
{
  const char *p = self->text->str;
  const char *end = p + self->text->len;
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
    self->delimiter = ';';
  else if (n_tab > n_comma && n_tab > n_semicolon)
    self->delimiter = '\t';
  else
    self->delimiter = ',';
}

/* TRUE when text holds the first non-blank line up to its end (outside
 * quotes). */
static gboolean
has_first_line (KlCsvReader *self)
{
  const char *p = self->text->str;
  const char *end = p + self->text->len;
  gboolean in_quotes = FALSE;

  while (p < end && (*p == '\n' || *p == '\r'))
    p++;
  for (; p < end; p++)
    {
      if (*p == '"')
        in_quotes = !in_quotes;
      else if (!in_quotes && (*p == '\n' || *p == '\r'))
        return TRUE;
    }
  return FALSE;
}

static goffset
stream_size (GInputStream *stream)
{
  if (G_IS_FILE_INPUT_STREAM (stream))
    {
      g_autoptr(GFileInfo) info = g_file_input_stream_query_info (G_FILE_INPUT_STREAM (stream),
                                                                 G_FILE_ATTRIBUTE_STANDARD_SIZE,
                                                                 NULL, NULL);

      if (info != NULL && g_file_info_has_attribute (info, G_FILE_ATTRIBUTE_STANDARD_SIZE))
        return g_file_info_get_size (info);
    }
  if (G_IS_SEEKABLE (stream) && g_seekable_can_seek (G_SEEKABLE (stream)))
    {
      goffset here = g_seekable_tell (G_SEEKABLE (stream));
      goffset size = -1;

      if (g_seekable_seek (G_SEEKABLE (stream), 0, G_SEEK_END, NULL, NULL))
        size = g_seekable_tell (G_SEEKABLE (stream));
      if (!g_seekable_seek (G_SEEKABLE (stream), here, G_SEEK_SET, NULL, NULL))
        return -1;
      return size;
    }
  return -1;
}

KlCsvReader *
kl_csv_reader_new_for_stream (GInputStream  *stream,
                              KlCsvEncoding  encoding,
                              const char    *display_name,
                              GCancellable  *cancellable,
                              GError       **error)
{
  g_autoptr(KlCsvReader) self = NULL;
  g_autofree guint8 *sample = NULL;
  gsize sample_len = 0;
  const guint8 *data;

  g_return_val_if_fail (G_IS_INPUT_STREAM (stream), NULL);
  g_return_val_if_fail (display_name != NULL, NULL);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), NULL);
  g_return_val_if_fail (encoding <= KL_CSV_ENCODING_GB18030, NULL);

  self = g_new0 (KlCsvReader, 1);
  self->stream = g_object_ref (stream);
  self->cancellable = cancellable ? g_object_ref (cancellable) : NULL;
  self->display_name = kl_csv_escape (display_name, 0);
  self->iconv = (GIConv) -1;
  self->raw = g_byte_array_new ();
  self->text = g_string_sized_new (CHUNK_SIZE);
  self->buf = g_string_sized_new (256);
  self->offsets = g_array_new (FALSE, FALSE, sizeof (gsize));
  self->quoted = g_array_new (FALSE, FALSE, sizeof (gboolean));
  self->fields = g_ptr_array_new ();
  self->size = stream_size (stream);
  self->line = 1;
  self->at_start = TRUE;

  /* The sample: the encoding is decided from it. */
  sample = g_malloc (SAMPLE_SIZE);
  while (sample_len < SAMPLE_SIZE)
    {
      gssize n = read_raw (self, sample + sample_len, SAMPLE_SIZE - sample_len, error);

      if (n < 0)
        return NULL;
      if (n == 0)
        break;
      sample_len += n;
    }
  data = sample;

  if (encoding == KL_CSV_ENCODING_AUTO)
    {
      gboolean bom = sample_len >= 3 && memcmp (data, utf8_bom, 3) == 0;
      gsize n_valid, n_invalid;
      gssize first_bad;

      score_utf8 (data, sample_len, self->raw_eof, &n_valid, &n_invalid, &first_bad);
      if (bom && n_invalid > 0)
        {
          g_set_error (error, KL_CSV_ERROR, KL_CSV_ERROR_ENCODING,
                       /* Translators: file, line, a byte in hex */
                       _("%s:%u: the file starts with a UTF-8 byte-order mark but this line holds a byte "
                         "that is not UTF-8 (0x%02X); correct the line and save the file as UTF-8"),
                       self->display_name, count_line_ends ((const char *) data, first_bad) + 1,
                       data[first_bad]);
          return NULL;
        }
      if (n_invalid == 0)
        encoding = KL_CSV_ENCODING_UTF8;
      else if (n_valid * 100 >= (n_valid + n_invalid) * NEARLY_ALL_UTF8_PERCENT)
        {
          g_set_error (error, KL_CSV_ERROR, KL_CSV_ERROR_ENCODING,
                       /* Translators: file, line, a byte in hex */
                       _("%s:%u: the file is UTF-8 text except for a byte on this line (0x%02X); correct "
                         "the line and save the file as UTF-8 (read as GB18030, its text would be garbled)"),
                       self->display_name, count_line_ends ((const char *) data, first_bad) + 1,
                       data[first_bad]);
          return NULL;
        }
      else
        encoding = KL_CSV_ENCODING_GB18030;
    }
  self->encoding = encoding;
  if (encoding == KL_CSV_ENCODING_GB18030)
    {
      self->iconv = g_iconv_open ("UTF-8", "GB18030");
      if (self->iconv == (GIConv) -1)
        {
          g_set_error (error, KL_CSV_ERROR, KL_CSV_ERROR_ENCODING,
                       _("%s: this system cannot convert GB18030 text; save the file as UTF-8"),
                       self->display_name);
          return NULL;
        }
    }
  self->sample = g_bytes_new_take (g_steal_pointer (&sample), sample_len);

  /* A file that is not text at all is refused at once, not when the reader
   * gets to the place: decode the sample ahead. */
  if (encoding == KL_CSV_ENCODING_GB18030)
    {
      g_autofree guint8 *chunk = g_malloc (CHUNK_SIZE);

      while (self->sample_pos < sample_len && self->pending == NULL)
        {
          gssize n = read_raw (self, chunk, CHUNK_SIZE, error);

          g_assert (n > 0);
          g_byte_array_append (self->raw, chunk, n);
          decode (self, self->sample_pos == sample_len && self->raw_eof);
          g_string_truncate (self->text, 0);
        }
      if (self->pending != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&self->pending));
          return NULL;
        }
      kl_csv_reader_rewind (self);
    }

  /* The delimiter: from the first non-blank line, read whole. */
  while (!self->text_eof && !has_first_line (self))
    if (!fill (self, MAX (self->text->len, CHUNK_SIZE), error))
      return NULL;
  detect_delimiter (self);
  return g_steal_pointer (&self);
}

KlCsvReader *
kl_csv_reader_new (GBytes      *contents,
                   const char  *display_name,
                   GError     **error)
{
  g_autoptr(GInputStream) stream = NULL;

  g_return_val_if_fail (contents != NULL, NULL);
  g_return_val_if_fail (display_name != NULL, NULL);

  stream = g_memory_input_stream_new_from_bytes (contents);
  return kl_csv_reader_new_for_stream (stream, KL_CSV_ENCODING_AUTO, display_name, NULL, error);
}

void
kl_csv_reader_free (KlCsvReader *self)
{
  if (self == NULL)
    return;
  g_clear_object (&self->stream);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->sample, g_bytes_unref);
  if (self->iconv != (GIConv) -1)
    g_iconv_close (self->iconv);
  g_byte_array_unref (self->raw);
  g_string_free (self->text, TRUE);
  g_clear_error (&self->pending);
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
  return self->encoding == KL_CSV_ENCODING_GB18030 ? "GB18030" : "UTF-8";
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
  double parsed, raw_decoded;

  g_return_val_if_fail (self != NULL, 0.0);

  if (self->text_eof && self->pos >= self->text->len)
    return 1.0;
  if (self->size <= 0 || self->text_total == 0)
    return 0.0;
  /* The parser's place in the text, carried over to the bytes that were
   * decoded into it (the same for UTF-8, in proportion for GB18030). */
  parsed = (double) (self->text_erased + self->pos) / (double) self->text_total;
  raw_decoded = (double) (self->raw_taken - self->raw->len);
  return CLAMP (parsed * raw_decoded / (double) self->size, 0.0, 1.0);
}

void
kl_csv_reader_rewind (KlCsvReader *self)
{
  g_autoptr(GError) local_error = NULL;

  g_return_if_fail (self != NULL);

  g_clear_error (&self->pending);
  g_byte_array_set_size (self->raw, 0);
  g_string_truncate (self->text, 0);
  self->pos = 0;
  self->line = 1;
  self->text_lines = 0;
  self->at_start = TRUE;
  self->text_eof = FALSE;
  self->sample_pos = 0;
  self->raw_taken = 0;
  self->text_total = 0;
  self->text_erased = 0;
  if (self->iconv != (GIConv) -1)
    g_iconv (self->iconv, NULL, NULL, NULL, NULL);

  /* The sample is read from memory again; the stream goes back to where
   * the sample ended, when it was read beyond. */
  if (self->n_raw > (goffset) g_bytes_get_size (self->sample))
    {
      goffset after_sample = g_bytes_get_size (self->sample);

      self->raw_eof = FALSE;
      if (!G_IS_SEEKABLE (self->stream) ||
          !g_seekable_can_seek (G_SEEKABLE (self->stream)) ||
          !g_seekable_seek (G_SEEKABLE (self->stream), after_sample, G_SEEK_SET,
                            self->cancellable, &local_error))
        {
          self->pending = g_error_new (KL_CSV_ERROR, KL_CSV_ERROR_READ,
                                       _("%s: cannot be read a second time: %s"), self->display_name,
                                       local_error ? local_error->message : _("the input cannot seek"));
          self->text_eof = TRUE;
        }
      self->n_raw = after_sample;
    }
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

/* Appending to the record's buffers without a call per piece: the
 * record's text is at most what is left of text, so buf is grown once. */
static inline void
buf_append (GString    *buf,
            const char *data,
            gsize       len)
{
  if (G_UNLIKELY (buf->len + len + 1 > buf->allocated_len))
    {
      g_string_append_len (buf, data, len);
      return;
    }
  memcpy (buf->str + buf->len, data, len);
  buf->len += len;
  buf->str[buf->len] = '\0';
}

static inline void
buf_append_c (GString *buf,
              char     c)
{
  if (G_UNLIKELY (buf->len + 2 > buf->allocated_len))
    {
      g_string_append_c (buf, c);
      return;
    }
  buf->str[buf->len++] = c;
  buf->str[buf->len] = '\0';
}

static inline void
field_add (KlCsvReader *self,
           gsize        start,
           gboolean     quoted)
{
  guint n = self->offsets->len;

  if (G_UNLIKELY (n >= self->n_field_slots))
    {
      g_array_append_val (self->offsets, start);
      g_array_append_val (self->quoted, quoted);
      self->n_field_slots = MIN (self->offsets->len, self->quoted->len);
      return;
    }
  g_array_index (self->offsets, gsize, n) = start;
  g_array_index (self->quoted, gboolean, n) = quoted;
  self->offsets->len = n + 1;
  self->quoted->len = n + 1;
}

typedef enum {
  PARSE_RECORD,
  PARSE_NEED_MORE,  /* the text ran out before the record ended */
  PARSE_ERROR,
} ParseStatus;

/* Parses one record from text at pos. Running out of text before the
 * record has certainly ended asks for more unless the text is all there. */
static ParseStatus
parse_record (KlCsvReader  *self,
              GError      **error)
{
  const char *p = self->text->str + self->pos;
  const char *end = self->text->str + self->text->len;
  const char delimiter = self->delimiter;
  /* Text cut off by a decoding error is not all of the record. */
  const gboolean all = self->text_eof && self->pending == NULL;

  /* Room for the rest of the text and a NUL per field, as it may all be
   * one record. */
  if (self->buf->allocated_len < (gsize) (end - p) * 2 + 2)
    g_string_set_size (self->buf, (end - p) * 2 + 2);
  g_string_truncate (self->buf, 0);
  /* Slots for fields kept allocated between records. */
  self->n_field_slots = MAX (self->n_field_slots, self->offsets->len);
  if (self->offsets->len < self->n_field_slots)
    {
      g_array_set_size (self->offsets, self->n_field_slots);
      g_array_set_size (self->quoted, self->n_field_slots);
    }
  self->offsets->len = 0;
  self->quoted->len = 0;
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
              buf_append (self->buf, run, p - run);
              if (p >= end)
                {
                  if (!all)
                    return PARSE_NEED_MORE;
                  g_set_error (error, KL_CSV_ERROR, KL_CSV_ERROR_SYNTAX,
                               _("%s:%u: a quoted field is not closed; a quote inside a quoted field "
                                 "is written twice (\"\")"),
                               self->display_name, open_line);
                  return PARSE_ERROR;
                }
              if (*p == '"')
                {
                  if (p + 1 >= end && !all)
                    return PARSE_NEED_MORE;
                  if (p + 1 < end && p[1] == '"')
                    {
                      buf_append_c (self->buf, '"');
                      p += 2;
                      continue;
                    }
                  p++;
                  break;
                }
              /* A line end inside quotes belongs to the field. */
              if (*p == '\r' && p + 1 >= end && !all)
                return PARSE_NEED_MORE;
              p = skip_line_end (p, end);
              buf_append_c (self->buf, '\n');
              self->line++;
            }
          /* Spaces after the closing quote are forgiven; other text is not. */
          while (p < end && (*p == ' ' || *p == '\t') && *p != delimiter)
            p++;
          if (p >= end && !all)
            return PARSE_NEED_MORE;
          if (p < end && *p != delimiter && *p != '\n' && *p != '\r')
            {
              g_set_error (error, KL_CSV_ERROR, KL_CSV_ERROR_SYNTAX,
                           _("%s:%u: text follows the closing quote of a field; a quote inside a quoted "
                             "field is written twice (\"\")"),
                           self->display_name, self->line);
              return PARSE_ERROR;
            }
        }
      else
        {
          const char *run = p;

#ifdef __SSE2__
          /* Sixteen bytes a step while they are there, each step also
           * stored into buf (which has room for the rest of the text and
           * more, see above; what lands beyond the field is overwritten). */
          char *out = self->buf->str + self->buf->len;
          gsize stored = 0;   /* of the field's bytes, in buf already */
          const __m128i dl = _mm_set1_epi8 (delimiter);
          const __m128i lf = _mm_set1_epi8 ('\n');
          const __m128i cr = _mm_set1_epi8 ('\r');

          while (end - p >= 16)
            {
              __m128i v = _mm_loadu_si128 ((const __m128i *) p);
              int mask = _mm_movemask_epi8 (_mm_or_si128 (_mm_or_si128 (_mm_cmpeq_epi8 (v, dl),
                                                                        _mm_cmpeq_epi8 (v, lf)),
                                                          _mm_cmpeq_epi8 (v, cr)));

              _mm_storeu_si128 ((__m128i *) (out + stored), v);
              stored += 16;
              if (mask != 0)
                {
                  p += __builtin_ctz ((unsigned) mask);
                  break;
                }
              p += 16;
            }
          if (end - p < 16)
#endif
            while (p < end && *p != delimiter && *p != '\n' && *p != '\r')
              p++;
          if (p >= end && !all)
            return PARSE_NEED_MORE;
#ifdef __SSE2__
          /* The bytes the steps stored, and the rest. */
          {
            gsize len = (gsize) (p - run);

            if (len > stored)
              memcpy (out + stored, run + stored, len - stored);
            self->buf->len += len;
            self->buf->str[self->buf->len] = '\0';
          }
#else
          buf_append (self->buf, run, p - run);
#endif
        }

      buf_append_c (self->buf, '\0');
      field_add (self, start, quoted);

      if (p >= end)
        break;
      if (*p == delimiter)
        {
          p++;
          continue;
        }
      if (*p == '\r' && p + 1 >= end && !all)
        return PARSE_NEED_MORE;
      p = skip_line_end (p, end);
      self->line++;
      break;
    }

  self->pos = p - self->text->str;
  return PARSE_RECORD;
}

gboolean
kl_csv_reader_read (KlCsvReader         *self,
                    const KlCsvRecord  **out_record,
                    GError             **error)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (out_record != NULL, FALSE);

  for (;;)
    {
      guint line = self->line;
      ParseStatus status;

      if (self->pos >= self->text->len && self->text_eof)
        {
          if (self->pending != NULL)
            {
              g_propagate_error (error, g_steal_pointer (&self->pending));
              self->pending = NULL;
            }
          return FALSE;
        }
      if (self->pos >= self->text->len)
        status = PARSE_NEED_MORE;
      else
        status = parse_record (self, error);
      if (status == PARSE_ERROR)
        return FALSE;
      if (status == PARSE_RECORD)
        break;
      if (self->text_eof)
        {
          /* Only a decoding error leaves a record short at the end. */
          g_assert (self->pending != NULL);
          g_propagate_error (error, g_steal_pointer (&self->pending));
          self->pending = NULL;
          return FALSE;
        }

      /* Parse the record again with more text: at least as much again as
       * is there, so a huge record costs linear time, not quadratic. */
      self->line = line;
      if (!fill (self, MAX ((gsize) CHUNK_SIZE, self->text->len - self->pos), error))
        return FALSE;
    }

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
  /* value * 10 + digit ≤ G_MAXINT64, by constants: no division a digit. */
  if (*value > (guint64) G_MAXINT64 / 10 ||
      (*value == (guint64) G_MAXINT64 / 10 && digit > (guint64) G_MAXINT64 % 10))
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

/* Local hours whose wall-clock times all map with one UTC offset, by
 * local hour number (direct-mapped). */
#define ZONE_SLOTS 4096

typedef struct {
  gint64 hour;       /* local seconds / 3600; G_MININT64: empty */
  gint32 offset;
} ZoneSlot;

struct _KlCsvZone {
  GTimeZone *tz;
  ZoneSlot   slots[ZONE_SLOTS];
};

KlCsvZone *
kl_csv_zone_new (GTimeZone *tz)
{
  KlCsvZone *zone = g_new (KlCsvZone, 1);

  zone->tz = tz != NULL ? g_time_zone_ref (tz) : NULL;
  for (guint i = 0; i < ZONE_SLOTS; i++)
    zone->slots[i].hour = G_MININT64;
  return zone;
}

void
kl_csv_zone_free (KlCsvZone *zone)
{
  if (zone == NULL)
    return;
  g_clear_pointer (&zone->tz, g_time_zone_unref);
  g_free (zone);
}

/* The wall-clock time local in tz as Unix seconds; a time skipped by a
 * daylight-saving change is moved forward, as GDateTime does. */
static gint64
local_to_utc (GTimeZone *tz,
              gint64     local)
{
  gint64 t = local;
  int interval = g_time_zone_adjust_time (tz, G_TIME_TYPE_STANDARD, &t);

  return t - g_time_zone_get_offset (tz, interval);
}

static gint64
zone_local_to_utc (KlCsvZone *zone,
                   gint64     local)
{
  gint64 hour = local >= 0 ? local / 3600 : -((-local + 3599) / 3600);
  ZoneSlot *slot = &zone->slots[(guint64) hour % ZONE_SLOTS];
  gint64 first, last;

  if (slot->hour == hour)
    return local - slot->offset;

  /* An hour is cached only when its first and last second map with one
   * offset, the offset of both instants, neither moved by a change: no
   * change of offset inside it. */
  first = local_to_utc (zone->tz, hour * 3600);
  last = local_to_utc (zone->tz, hour * 3600 + 3599);
  {
    int a = g_time_zone_find_interval (zone->tz, G_TIME_TYPE_UNIVERSAL, first);
    int b = g_time_zone_find_interval (zone->tz, G_TIME_TYPE_UNIVERSAL, last);
    gint32 offset = g_time_zone_get_offset (zone->tz, a);

    if (a == b && first + offset == hour * 3600 && last + offset == hour * 3600 + 3599)
      {
        slot->hour = hour;
        slot->offset = offset;
        return local - offset;
      }
  }
  return local_to_utc (zone->tz, local);
}

static KlCsvValueStatus parse_time (const char *text,
                                    GTimeZone  *tz,
                                    KlCsvZone  *zone,
                                    gint64     *out_value);

KlCsvValueStatus
kl_csv_parse_time (const char *text,
                   GTimeZone  *tz,
                   gint64     *out_value)
{
  g_return_val_if_fail (text != NULL, KL_CSV_VALUE_BAD);
  g_return_val_if_fail (out_value != NULL, KL_CSV_VALUE_BAD);
  return parse_time (text, tz, NULL, out_value);
}

KlCsvValueStatus
kl_csv_parse_time_in (const char *text,
                      KlCsvZone  *zone,
                      gint64     *out_value)
{
  g_return_val_if_fail (text != NULL, KL_CSV_VALUE_BAD);
  g_return_val_if_fail (zone != NULL, KL_CSV_VALUE_BAD);
  g_return_val_if_fail (out_value != NULL, KL_CSV_VALUE_BAD);
  return parse_time (text, zone->tz, zone->tz != NULL ? zone : NULL, out_value);
}

static const guint8 days_in_month[13] = { 0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

static KlCsvValueStatus
parse_time (const char *text,
            GTimeZone  *tz,
            KlCsvZone  *zone,
            gint64     *out_value)
{
  const char *p, *end;
  int year, month, day, hour, minute, second = 0;
  char date_sep;
  gboolean has_offset = FALSE;
  int offset = 0;
  gint64 t;

  trim (text, &p, &end);
  if (p == end)
    return KL_CSV_VALUE_EMPTY;

  /* The common form, YYYY-MM-DD HH:MM:SS, read without the general
   * parser's steps; the checks below are the same. */
  if (end - p == 19 && p[4] == '-' && p[7] == '-' && p[10] == ' ' && p[13] == ':' && p[16] == ':')
    {
      static const guint8 digit_at[19] = { 1, 1, 1, 1, 0, 1, 1, 0, 1, 1, 0, 1, 1, 0, 1, 1, 0, 1, 1 };
      gboolean digits = TRUE;

      for (guint i = 0; i < 19; i++)
        digits &= !digit_at[i] || g_ascii_isdigit (p[i]);
      if (digits)
        {
#define D2(i) ((p[i] - '0') * 10 + (p[(i) + 1] - '0'))
          year = D2 (0) * 100 + D2 (2);
          month = D2 (5);
          day = D2 (8);
          hour = D2 (11);
          minute = D2 (14);
          second = D2 (17);
#undef D2
          goto check;
        }
    }

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

check:
  if (month < 1 || month > 12 || day < 1 ||
      day > days_in_month[month] + (month == 2 && g_date_is_leap_year ((GDateYear) MAX (year, 1))) ||
      hour > 23 || minute > 59 || second > 59)
    return KL_CSV_VALUE_BAD;

  t = days_from_civil (year, month, day) * 86400 + hour * 3600 + minute * 60 + second;
  if (has_offset)
    t -= offset;
  else if (zone != NULL)
    t = zone_local_to_utc (zone, t);
  else if (tz != NULL)
    t = local_to_utc (tz, t);

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
  /* As files mostly write them. */
  if (len == 4 && memcmp (p, "true", 4) == 0)
    {
      *out_value = TRUE;
      return KL_CSV_VALUE_OK;
    }
  if (len == 5 && memcmp (p, "false", 5) == 0)
    {
      *out_value = FALSE;
      return KL_CSV_VALUE_OK;
    }
  for (guint i = 0; i < G_N_ELEMENTS (words); i++)
    if (strlen (words[i].word) == len && g_ascii_strncasecmp (p, words[i].word, len) == 0)
      {
        *out_value = words[i].value;
        return KL_CSV_VALUE_OK;
      }
  return KL_CSV_VALUE_BAD;
}
