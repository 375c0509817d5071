/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A streaming RFC 4180 reader over a file's bytes (UTF-8 or GB18030), and
 * the parsers for the values found in imported fields. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define KL_CSV_ERROR (kl_csv_error_quark ())

typedef enum {
  KL_CSV_ERROR_ENCODING,   /* neither UTF-8 nor GB18030 */
  KL_CSV_ERROR_SYNTAX,     /* a quote left open, or text after a closing quote */
} KlCsvError;

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

/* Checks the encoding (a UTF-8 byte-order mark is skipped; text that is not
 * valid UTF-8 is converted from GB18030) and detects the delimiter from the
 * first non-blank line: the most frequent of comma, semicolon and tab outside
 * quotes, comma on a tie. display_name prefixes error messages. */
KlCsvReader  *kl_csv_reader_new           (GBytes      *contents,
                                           const char  *display_name,
                                           GError     **error);
void          kl_csv_reader_free          (KlCsvReader *self);
const char   *kl_csv_reader_get_encoding  (KlCsvReader *self);  /* "UTF-8" or "GB18030" */
char          kl_csv_reader_get_delimiter (KlCsvReader *self);
/* TRUE with the next record in *out_record; FALSE at the end of the data
 * (error left unset) or on a syntax error (error set). */
gboolean      kl_csv_reader_read          (KlCsvReader         *self,
                                           const KlCsvRecord  **out_record,
                                           GError             **error);
/* How much of the text has been read, 0 to 1. */
double        kl_csv_reader_get_fraction  (KlCsvReader *self);
/* Back to the first record (the header line). */
void          kl_csv_reader_rewind        (KlCsvReader *self);

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
/* true/false, 1/0, yes/no, y/n (any case), 是/否. */
KlCsvValueStatus kl_csv_parse_bool    (const char *text,
                                       gboolean   *out_value);

G_END_DECLS
