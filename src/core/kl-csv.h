/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A streaming RFC 4180 reader over a file's bytes (UTF-8 or GB18030), and
 * the parsers for the values found in imported fields. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define KL_CSV_ERROR (kl_csv_error_quark ())

typedef enum {
  KL_CSV_ERROR_ENCODING,   /* neither UTF-8 nor GB18030 */
  KL_CSV_ERROR_SYNTAX,     /* a quote left open, or text after a closing quote */
  KL_CSV_ERROR_READ,       /* the stream failed (or could not be read again) */
  KL_CSV_ERROR_CANCELLED,  /* the cancellable given to the reader was cancelled */
} KlCsvError;

/* How the bytes are read. AUTO follows docs/import.md: UTF-8 with or
 * without a byte-order mark; otherwise GB18030, unless nearly all of the
 * file is valid UTF-8, which is refused (see kl-csv.c for "nearly all"). */
typedef enum {
  KL_CSV_ENCODING_AUTO,
  KL_CSV_ENCODING_UTF8,
  KL_CSV_ENCODING_GB18030,
} KlCsvEncoding;

typedef struct _KlCsvReader KlCsvReader;

/* One record. Owned by the reader and valid until the next read or rewind;
 * the caller may edit the field text in place. */
typedef struct {
  guint           line;      /* the physical line (from 1) where the record starts */
  guint           n_fields;  /* at least 1 */
  char          **fields;    /* UTF-8, NUL-terminated; embedded line ends are "\n" */
  const gboolean *quoted;    /* per field: it was written in quotes */
} KlCsvRecord;

GQuark        kl_csv_error_quark          (void);

/* Reads contents as kl_csv_reader_new_for_stream() reads a stream, with
 * KL_CSV_ENCODING_AUTO. */
KlCsvReader  *kl_csv_reader_new           (GBytes      *contents,
                                           const char  *display_name,
                                           GError     **error);
/* Reads stream a piece at a time, so its size is bounded only by the disk.
 * Decides the encoding from the first megabyte (a byte-order mark is
 * skipped) and detects the delimiter from the first non-blank line: the
 * most frequent of comma, semicolon and tab outside quotes, comma on a tie.
 * A byte that is not of the encoding decided, met later, is an ENCODING
 * error naming its line when the reader gets there. display_name prefixes
 * error messages (it is escaped for them). The stream must be seekable for
 * kl_csv_reader_rewind(); blocking reads are made on it, cancellable by
 * cancellable. */
KlCsvReader  *kl_csv_reader_new_for_stream (GInputStream  *stream,
                                            KlCsvEncoding  encoding,
                                            const char    *display_name,
                                            GCancellable  *cancellable,
                                            GError       **error);
void          kl_csv_reader_free          (KlCsvReader *self);
const char   *kl_csv_reader_get_encoding  (KlCsvReader *self);  /* "UTF-8" or "GB18030" */
char          kl_csv_reader_get_delimiter (KlCsvReader *self);
/* TRUE with the next record in *out_record; FALSE at the end of the data
 * (error left unset) or on a syntax error (error set). */
gboolean      kl_csv_reader_read          (KlCsvReader         *self,
                                           const KlCsvRecord  **out_record,
                                           GError             **error);
/* How much of the input has been read, 0 to 1 (bytes read from the stream
 * over its size; 0 while the size is unknown). */
double        kl_csv_reader_get_fraction  (KlCsvReader *self);
/* Back to the first record (the header line). When the stream cannot seek,
 * the next kl_csv_reader_read() fails with KL_CSV_ERROR_READ. */
void          kl_csv_reader_rewind        (KlCsvReader *self);

/* A value or name from a file made safe for a one-line message: line
 * breaks, tabs and other control characters (ESC included, C1 controls and
 * U+2028/U+2029 too) are written as \n, \r, \t, \xNN or \uNNNN, bytes that
 * are not UTF-8 as \xNN; then, when max_chars > 0 and the result is longer,
 * it is cut to max_chars characters and "…" is appended. */
char         *kl_csv_escape               (const char  *text,
                                           guint        max_chars);

/* An empty line: a single empty field that was not quoted. */
gboolean      kl_csv_record_is_blank      (const KlCsvRecord *record);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KlCsvReader, kl_csv_reader_free)

/* Field values. Every parser ignores surrounding spaces and tabs. */
typedef enum {
  KL_CSV_VALUE_OK,
  KL_CSV_VALUE_EMPTY,           /* nothing but spaces */
  KL_CSV_VALUE_BAD,             /* not of the expected form */
  KL_CSV_VALUE_COMMA_UNQUOTED,  /* thousands grouped outside quotes, or a decimal comma */
  KL_CSV_VALUE_NEGATIVE,
  KL_CSV_VALUE_NOT_WHOLE,       /* a fraction where a count was expected */
  KL_CSV_VALUE_TOO_LARGE,
} KlCsvValueStatus;

/* A decimal ≥ 0 with '.' as the decimal point (a quoted field may group
 * thousands with ','), returned exactly as an integer in units of
 * 10^-scale: "1.5" with scale 3 is 1500. Digits beyond the scale round half
 * up. No floating point is involved. */
KlCsvValueStatus kl_csv_parse_decimal (const char *text,
                                       gboolean    quoted,
                                       guint       scale,
                                       gint64     *out_value);
/* A whole number ≥ 0 ("12", "12.0", quoted "1,200"). */
KlCsvValueStatus kl_csv_parse_count   (const char *text,
                                       gboolean    quoted,
                                       gint64     *out_value);
/* RFC 3339 ("2026-10-03T08:30:00+08:00", "…Z", fractions of a second are
 * dropped), or "YYYY-MM-DD HH:MM[:SS]" / "YYYY/MM/DD HH:MM[:SS]" (month, day
 * and hour may have one digit) read in tz. Returns Unix seconds. */
KlCsvValueStatus kl_csv_parse_time    (const char *text,
                                       GTimeZone  *tz,
                                       gint64     *out_value);
/* A time zone with the UTC offsets of the local hours met so far, for
 * reading many local times: the same result as kl_csv_parse_time () with
 * its zone, without asking GLib per value. */
typedef struct _KlCsvZone KlCsvZone;

KlCsvZone       *kl_csv_zone_new       (GTimeZone  *tz);
void             kl_csv_zone_free      (KlCsvZone  *zone);
KlCsvValueStatus kl_csv_parse_time_in  (const char *text,
                                        KlCsvZone  *zone,
                                        gint64     *out_value);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KlCsvZone, kl_csv_zone_free)

/* true/false, 1/0, yes/no, y/n (any case), 是/否. */
KlCsvValueStatus kl_csv_parse_bool    (const char *text,
                                       gboolean   *out_value);

G_END_DECLS
