/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The CSV reader (quoting, line ends, encodings, delimiters, line numbers)
 * and the exact value parsers used by the import. */

#include <string.h>

#include "kl-csv.h"

static KlCsvReader *
reader_for (const char *text,
            gssize      len)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = g_bytes_new (text, len < 0 ? strlen (text) : (gsize) len);
  KlCsvReader *reader = kl_csv_reader_new (bytes, "test.csv", &error);

  g_assert_no_error (error);
  g_assert_nonnull (reader);
  return reader;
}

/* Reads every record as "line|field|field…", quoted fields in [brackets]. */
static char *
dump (KlCsvReader *reader)
{
  g_autoptr(GError) error = NULL;
  GString *out = g_string_new (NULL);
  const KlCsvRecord *record;

  while (kl_csv_reader_read (reader, &record, &error))
    {
      g_string_append_printf (out, "%u", record->line);
      for (guint i = 0; i < record->n_fields; i++)
        g_string_append_printf (out, record->quoted[i] ? "|[%s]" : "|%s", record->fields[i]);
      g_string_append_c (out, '\n');
    }
  g_assert_no_error (error);
  return g_string_free (out, FALSE);
}

static void
test_plain (void)
{
  g_autoptr(KlCsvReader) r = reader_for ("a,b,c\n1,2,3\n4,,6\n", -1);
  g_autofree char *out = dump (r);

  g_assert_cmpint (kl_csv_reader_get_delimiter (r), ==, ',');
  g_assert_cmpstr (kl_csv_reader_get_encoding (r), ==, "UTF-8");
  g_assert_cmpstr (out, ==, "1|a|b|c\n2|1|2|3\n3|4||6\n");
  g_assert_cmpfloat (kl_csv_reader_get_fraction (r), ==, 1.0);
}

static void
test_no_final_newline_and_trailing_delimiter (void)
{
  g_autoptr(KlCsvReader) r = reader_for ("a,b,\n1,2,", -1);
  g_autofree char *out = dump (r);

  g_assert_cmpstr (out, ==, "1|a|b|\n2|1|2|\n");
}

static void
test_quotes (void)
{
  g_autoptr(KlCsvReader) r = reader_for ("name,note\n"
                                         "\"ACME, Inc.\",\"He said \"\"hi\"\"\"\n"
                                         "\"\",plain\"quote\n"
                                         "\"spaced\"  ,\"end\" \n", -1);
  g_autoptr(KlCsvReader) tabs = reader_for ("a\tb\n\"x\"\t\"y\"\n", -1);
  g_autofree char *out = dump (r);
  g_autofree char *tabs_out = dump (tabs);

  g_assert_cmpstr (out, ==,
                   "1|name|note\n"
                   "2|[ACME, Inc.]|[He said \"hi\"]\n"
                   "3|[]|plain\"quote\n"
                   "4|[spaced]|[end]\n");
  /* With tabs as delimiter a tab after a quote still ends the field. */
  g_assert_cmpstr (tabs_out, ==, "1|a|b\n2|[x]|[y]\n");
}

static void
test_embedded_newlines_keep_physical_lines (void)
{
  g_autoptr(KlCsvReader) r = reader_for ("a,b\r\n"
                                         "1,\"two\r\nlines\"\r\n"
                                         "2,\"three\nmore\nlines\"\r\n"
                                         "3,x\r\n", -1);
  g_autofree char *out = dump (r);

  /* Records 2, 3 and 4 start on lines 2, 4 and 7; CRLF inside quotes reads as LF. */
  g_assert_cmpstr (out, ==,
                   "1|a|b\n"
                   "2|1|[two\nlines]\n"
                   "4|2|[three\nmore\nlines]\n"
                   "7|3|x\n");
}

static void
test_crlf_and_lone_cr (void)
{
  g_autoptr(KlCsvReader) r1 = reader_for ("a,b\r\n1,2\r\n", -1);
  g_autoptr(KlCsvReader) r2 = reader_for ("a,b\r1,2\r", -1);
  g_autofree char *out1 = dump (r1);
  g_autofree char *out2 = dump (r2);

  g_assert_cmpstr (out1, ==, "1|a|b\n2|1|2\n");
  g_assert_cmpstr (out2, ==, "1|a|b\n2|1|2\n");
}

static void
test_blank_lines (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KlCsvReader) r = reader_for ("a\n\n\"\"\nb\n\n", -1);
  const KlCsvRecord *record;
  gboolean blanks[5];
  guint lines[5];
  guint n = 0;

  while (kl_csv_reader_read (r, &record, &error))
    {
      g_assert_cmpuint (n, <, G_N_ELEMENTS (blanks));
      lines[n] = record->line;
      blanks[n++] = kl_csv_record_is_blank (record);
    }
  g_assert_no_error (error);
  /* "a", an empty line, a quoted empty field (not blank), "b", an empty line. */
  g_assert_cmpuint (n, ==, 5);
  g_assert_false (blanks[0]);
  g_assert_true (blanks[1]);
  g_assert_false (blanks[2]);
  g_assert_false (blanks[3]);
  g_assert_true (blanks[4]);
  g_assert_cmpuint (lines[3], ==, 4);
  g_assert_cmpuint (lines[4], ==, 5);
}

static void
test_delimiter_detection (void)
{
  g_autoptr(KlCsvReader) semi = reader_for ("waybill;\"weight, kg\";pieces\nW1;\"1,234.5\";3\n", -1);
  g_autoptr(KlCsvReader) tab = reader_for ("waybill\tweight_kg\tpieces\nW1\t1,5\t3\n", -1);
  g_autoptr(KlCsvReader) single = reader_for ("waybill\nW1\n", -1);
  g_autoptr(KlCsvReader) leading_blank = reader_for ("\n\na;b\n1;2\n", -1);
  g_autofree char *semi_out = dump (semi);
  g_autofree char *tab_out = dump (tab);

  g_assert_cmpint (kl_csv_reader_get_delimiter (semi), ==, ';');
  g_assert_cmpstr (semi_out, ==, "1|waybill|[weight, kg]|pieces\n2|W1|[1,234.5]|3\n");
  g_assert_cmpint (kl_csv_reader_get_delimiter (tab), ==, '\t');
  /* In a tab file a comma is just text. */
  g_assert_cmpstr (tab_out, ==, "1|waybill|weight_kg|pieces\n2|W1|1,5|3\n");
  g_assert_cmpint (kl_csv_reader_get_delimiter (single), ==, ',');
  g_assert_cmpint (kl_csv_reader_get_delimiter (leading_blank), ==, ';');
}

static void
test_bom (void)
{
  g_autoptr(KlCsvReader) r = reader_for ("\xEF\xBB\xBFwaybill,pieces\nW1,2\n", -1);
  g_autofree char *out = dump (r);

  g_assert_cmpstr (kl_csv_reader_get_encoding (r), ==, "UTF-8");
  g_assert_cmpstr (out, ==, "1|waybill|pieces\n2|W1|2\n");
}

static void
test_gb18030 (void)
{
  const char *utf8 = "运单号,状态\nSF1,已签收\n";
  g_autoptr(GError) error = NULL;
  gsize len = 0;
  g_autofree char *gb = g_convert (utf8, -1, "GB18030", "UTF-8", NULL, &len, &error);
  g_autoptr(KlCsvReader) r = NULL;
  g_autofree char *out = NULL;

  g_assert_no_error (error);
  g_assert_false (g_utf8_validate_len (gb, len, NULL));
  r = reader_for (gb, len);
  out = dump (r);
  g_assert_cmpstr (kl_csv_reader_get_encoding (r), ==, "GB18030");
  g_assert_cmpstr (out, ==, "1|运单号|状态\n2|SF1|已签收\n");
}

static void
test_bad_encoding (void)
{
  /* 0xFF is neither UTF-8 nor a GB18030 lead byte. */
  g_autoptr(GBytes) bytes = g_bytes_new_static ("a,b\n\xFF\xFF,1\n", 9);
  g_autoptr(GBytes) bom = g_bytes_new_static ("\xEF\xBB\xBF" "a,\xC3\n", 7);
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) bom_error = NULL;
  g_autoptr(KlCsvReader) r = kl_csv_reader_new (bytes, "x.csv", &error);
  g_autoptr(KlCsvReader) r2 = kl_csv_reader_new (bom, "y.csv", &bom_error);

  g_assert_null (r);
  g_assert_error (error, KL_CSV_ERROR, KL_CSV_ERROR_ENCODING);
  g_assert_true (g_str_has_prefix (error->message, "x.csv:2: "));
  g_assert_null (r2);
  g_assert_error (bom_error, KL_CSV_ERROR, KL_CSV_ERROR_ENCODING);
}

static void
test_unterminated_quote (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KlCsvReader) r = reader_for ("a,b\n1,2\n3,\"open\nstill open\n", -1);
  const KlCsvRecord *record;
  guint n = 0;

  while (kl_csv_reader_read (r, &record, &error))
    n++;
  g_assert_cmpuint (n, ==, 2);
  g_assert_error (error, KL_CSV_ERROR, KL_CSV_ERROR_SYNTAX);
  /* The message names the line where the quote opened. */
  g_assert_true (g_str_has_prefix (error->message, "test.csv:3: "));
}

static void
test_text_after_closing_quote (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KlCsvReader) r = reader_for ("a,b\n\"x\"y,2\n", -1);
  const KlCsvRecord *record;

  g_assert_true (kl_csv_reader_read (r, &record, &error));
  g_assert_false (kl_csv_reader_read (r, &record, &error));
  g_assert_error (error, KL_CSV_ERROR, KL_CSV_ERROR_SYNTAX);
  g_assert_true (g_str_has_prefix (error->message, "test.csv:2: "));
}

static void
test_rewind (void)
{
  g_autoptr(KlCsvReader) r = reader_for ("a,b\n1,\"x\ny\"\n2,3\n", -1);
  g_autofree char *first = dump (r);
  g_autofree char *second = NULL;

  g_assert_cmpfloat (kl_csv_reader_get_fraction (r), ==, 1.0);
  kl_csv_reader_rewind (r);
  g_assert_cmpfloat (kl_csv_reader_get_fraction (r), ==, 0.0);
  second = dump (r);
  g_assert_cmpstr (first, ==, second);
  g_assert_cmpstr (first, ==, "1|a|b\n2|1|[x\ny]\n4|2|3\n");
}

static void
test_many_fields_reuse_buffers (void)
{
  GString *text = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(KlCsvReader) r = NULL;
  const KlCsvRecord *record;
  guint n = 0;

  /* Records long enough to make the field buffer grow mid-record. */
  for (guint row = 0; row < 50; row++)
    {
      for (guint i = 0; i < 200; i++)
        g_string_append_printf (text, "%s\"field %u of row %u\"", i ? "," : "", i, row);
      g_string_append (text, "\n");
    }
  r = reader_for (text->str, text->len);
  while (kl_csv_reader_read (r, &record, &error))
    {
      g_autofree char *expected_last = g_strdup_printf ("field 199 of row %u", n);
      g_autofree char *expected_first = g_strdup_printf ("field 0 of row %u", n);

      g_assert_cmpuint (record->n_fields, ==, 200);
      g_assert_cmpstr (record->fields[0], ==, expected_first);
      g_assert_cmpstr (record->fields[199], ==, expected_last);
      g_assert_cmpuint (record->line, ==, n + 1);
      n++;
    }
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 50);
  g_string_free (text, TRUE);
}

static void
test_decimal (void)
{
  gint64 v = -7;

  g_assert_cmpint (kl_csv_parse_decimal ("12.5", FALSE, 3, &v), ==, KL_CSV_VALUE_OK);
  g_assert_cmpint (v, ==, 12500);
  /* 0.1 + 0.2 style values stay exact: 1000.001 kg is 1000001 g. */
  g_assert_cmpint (kl_csv_parse_decimal (" 1000.001 ", FALSE, 3, &v), ==, KL_CSV_VALUE_OK);
  g_assert_cmpint (v, ==, 1000001);
  g_assert_cmpint (kl_csv_parse_decimal ("0.3", FALSE, 6, &v), ==, KL_CSV_VALUE_OK);
  g_assert_cmpint (v, ==, 300000);
  g_assert_cmpint (kl_csv_parse_decimal ("2.0000005", FALSE, 6, &v), ==, KL_CSV_VALUE_OK);
  g_assert_cmpint (v, ==, 2000001);
  g_assert_cmpint (kl_csv_parse_decimal ("2.0000004999", FALSE, 6, &v), ==, KL_CSV_VALUE_OK);
  g_assert_cmpint (v, ==, 2000000);
  g_assert_cmpint (kl_csv_parse_decimal (".5", FALSE, 3, &v), ==, KL_CSV_VALUE_OK);
  g_assert_cmpint (v, ==, 500);
  g_assert_cmpint (kl_csv_parse_decimal ("7", FALSE, 3, &v), ==, KL_CSV_VALUE_OK);
  g_assert_cmpint (v, ==, 7000);
  g_assert_cmpint (kl_csv_parse_decimal ("+7", FALSE, 0, &v), ==, KL_CSV_VALUE_OK);
  g_assert_cmpint (v, ==, 7);
  g_assert_cmpint (kl_csv_parse_decimal ("-0", FALSE, 3, &v), ==, KL_CSV_VALUE_OK);
  g_assert_cmpint (v, ==, 0);

  /* Thousands only in quoted fields, and only well grouped. */
  g_assert_cmpint (kl_csv_parse_decimal ("1,234,567.5", TRUE, 3, &v), ==, KL_CSV_VALUE_OK);
  g_assert_cmpint (v, ==, 1234567500);
  g_assert_cmpint (kl_csv_parse_decimal ("1,234.5", FALSE, 3, &v), ==, KL_CSV_VALUE_COMMA_UNQUOTED);
  g_assert_cmpint (kl_csv_parse_decimal ("1,5", FALSE, 3, &v), ==, KL_CSV_VALUE_COMMA_UNQUOTED);
  g_assert_cmpint (kl_csv_parse_decimal ("1,5", TRUE, 3, &v), ==, KL_CSV_VALUE_BAD);
  g_assert_cmpint (kl_csv_parse_decimal ("12,34", TRUE, 3, &v), ==, KL_CSV_VALUE_BAD);
  g_assert_cmpint (kl_csv_parse_decimal ("1234,567", TRUE, 3, &v), ==, KL_CSV_VALUE_BAD);
  g_assert_cmpint (kl_csv_parse_decimal (",123", TRUE, 3, &v), ==, KL_CSV_VALUE_BAD);
  g_assert_cmpint (kl_csv_parse_decimal ("1.5,0", TRUE, 3, &v), ==, KL_CSV_VALUE_BAD);

  g_assert_cmpint (kl_csv_parse_decimal ("", FALSE, 3, &v), ==, KL_CSV_VALUE_EMPTY);
  g_assert_cmpint (kl_csv_parse_decimal ("   ", FALSE, 3, &v), ==, KL_CSV_VALUE_EMPTY);
  g_assert_cmpint (kl_csv_parse_decimal ("-1.5", FALSE, 3, &v), ==, KL_CSV_VALUE_NEGATIVE);
  g_assert_cmpint (kl_csv_parse_decimal ("abc", FALSE, 3, &v), ==, KL_CSV_VALUE_BAD);
  g_assert_cmpint (kl_csv_parse_decimal ("1e3", FALSE, 3, &v), ==, KL_CSV_VALUE_BAD);
  g_assert_cmpint (kl_csv_parse_decimal ("1.2.3", FALSE, 3, &v), ==, KL_CSV_VALUE_BAD);
  g_assert_cmpint (kl_csv_parse_decimal (".", FALSE, 3, &v), ==, KL_CSV_VALUE_BAD);
  g_assert_cmpint (kl_csv_parse_decimal ("12 kg", FALSE, 3, &v), ==, KL_CSV_VALUE_BAD);
  g_assert_cmpint (kl_csv_parse_decimal ("99999999999999999", FALSE, 3, &v), ==, KL_CSV_VALUE_TOO_LARGE);
  g_assert_cmpint (kl_csv_parse_decimal ("9223372036854775807", FALSE, 0, &v), ==, KL_CSV_VALUE_OK);
  g_assert_cmpint (v, ==, G_MAXINT64);
  g_assert_cmpint (kl_csv_parse_decimal ("9223372036854775807.5", FALSE, 0, &v), ==, KL_CSV_VALUE_TOO_LARGE);
  g_assert_cmpint (kl_csv_parse_decimal ("9223372036854775808", FALSE, 0, &v), ==, KL_CSV_VALUE_TOO_LARGE);
}

static void
test_count (void)
{
  gint64 v = -1;

  g_assert_cmpint (kl_csv_parse_count ("12", FALSE, &v), ==, KL_CSV_VALUE_OK);
  g_assert_cmpint (v, ==, 12);
  g_assert_cmpint (kl_csv_parse_count ("12.00", FALSE, &v), ==, KL_CSV_VALUE_OK);
  g_assert_cmpint (v, ==, 12);
  g_assert_cmpint (kl_csv_parse_count ("1,200", TRUE, &v), ==, KL_CSV_VALUE_OK);
  g_assert_cmpint (v, ==, 1200);
  g_assert_cmpint (kl_csv_parse_count ("0", FALSE, &v), ==, KL_CSV_VALUE_OK);
  g_assert_cmpint (v, ==, 0);
  g_assert_cmpint (kl_csv_parse_count ("12.5", FALSE, &v), ==, KL_CSV_VALUE_NOT_WHOLE);
  g_assert_cmpint (kl_csv_parse_count ("-3", FALSE, &v), ==, KL_CSV_VALUE_NEGATIVE);
  g_assert_cmpint (kl_csv_parse_count ("three", FALSE, &v), ==, KL_CSV_VALUE_BAD);
  g_assert_cmpint (kl_csv_parse_count ("", FALSE, &v), ==, KL_CSV_VALUE_EMPTY);
}

static void
test_time (void)
{
  g_autoptr(GTimeZone) shanghai = g_time_zone_new_identifier ("Asia/Shanghai");
  g_autoptr(GTimeZone) berlin = g_time_zone_new_identifier ("Europe/Berlin");
  g_autoptr(GDateTime) expected = g_date_time_new_from_iso8601 ("2026-10-03T08:30:00+08:00", NULL);
  gint64 want = g_date_time_to_unix (expected);
  gint64 v = 0;

  g_assert_nonnull (shanghai);
  g_assert_nonnull (berlin);

  g_assert_cmpint (kl_csv_parse_time ("2026-10-03T08:30:00+08:00", NULL, &v), ==, KL_CSV_VALUE_OK);
  g_assert_cmpint (v, ==, want);
  g_assert_cmpint (kl_csv_parse_time ("2026-10-03T00:30:00Z", NULL, &v), ==, KL_CSV_VALUE_OK);
  g_assert_cmpint (v, ==, want);
  g_assert_cmpint (kl_csv_parse_time ("2026-10-03t00:30:00.250z", NULL, &v), ==, KL_CSV_VALUE_OK);
  g_assert_cmpint (v, ==, want);
  g_assert_cmpint (kl_csv_parse_time ("2026-10-02T21:30:00-03:00", shanghai, &v), ==, KL_CSV_VALUE_OK);
  g_assert_cmpint (v, ==, want);

  /* Wall-clock forms are read in the workspace time zone. */
  g_assert_cmpint (kl_csv_parse_time ("2026-10-03 08:30", shanghai, &v), ==, KL_CSV_VALUE_OK);
  g_assert_cmpint (v, ==, want);
  g_assert_cmpint (kl_csv_parse_time ("2026-10-03 08:30:00", shanghai, &v), ==, KL_CSV_VALUE_OK);
  g_assert_cmpint (v, ==, want);
  g_assert_cmpint (kl_csv_parse_time (" 2026/10/03 08:30:00 ", shanghai, &v), ==, KL_CSV_VALUE_OK);
  g_assert_cmpint (v, ==, want);
  g_assert_cmpint (kl_csv_parse_time ("2026/10/3 8:30", shanghai, &v), ==, KL_CSV_VALUE_OK);
  g_assert_cmpint (v, ==, want);
  g_assert_cmpint (kl_csv_parse_time ("2026-10-03 02:30", berlin, &v), ==, KL_CSV_VALUE_OK);
  g_assert_cmpint (v, ==, want);  /* CEST, +02:00 */
  g_assert_cmpint (kl_csv_parse_time ("2026-01-15 01:30", berlin, &v), ==, KL_CSV_VALUE_OK);
  g_assert_cmpint (v, ==, 1768437000);  /* CET, +01:00 */
  g_assert_cmpint (kl_csv_parse_time ("2024-02-29 00:00:00", shanghai, &v), ==, KL_CSV_VALUE_OK);
  g_assert_cmpint (v, ==, 1709136000);

  g_assert_cmpint (kl_csv_parse_time ("", shanghai, &v), ==, KL_CSV_VALUE_EMPTY);
  g_assert_cmpint (kl_csv_parse_time ("2026-10-03", shanghai, &v), ==, KL_CSV_VALUE_BAD);
  g_assert_cmpint (kl_csv_parse_time ("03/10/2026 08:30", shanghai, &v), ==, KL_CSV_VALUE_BAD);
  g_assert_cmpint (kl_csv_parse_time ("2026-10/03 08:30", shanghai, &v), ==, KL_CSV_VALUE_BAD);
  g_assert_cmpint (kl_csv_parse_time ("2026-13-01 08:30", shanghai, &v), ==, KL_CSV_VALUE_BAD);
  g_assert_cmpint (kl_csv_parse_time ("2025-02-29 08:30", shanghai, &v), ==, KL_CSV_VALUE_BAD);
  g_assert_cmpint (kl_csv_parse_time ("2026-10-03 24:00", shanghai, &v), ==, KL_CSV_VALUE_BAD);
  g_assert_cmpint (kl_csv_parse_time ("2026-10-03 08:60", shanghai, &v), ==, KL_CSV_VALUE_BAD);
  g_assert_cmpint (kl_csv_parse_time ("2026-10-03 8:5", shanghai, &v), ==, KL_CSV_VALUE_BAD);
  g_assert_cmpint (kl_csv_parse_time ("2026-10-03T08:30:00+0800x", shanghai, &v), ==, KL_CSV_VALUE_BAD);
  g_assert_cmpint (kl_csv_parse_time ("tomorrow", shanghai, &v), ==, KL_CSV_VALUE_BAD);
}

static void
test_bool (void)
{
  const char *yes[] = { "true", "TRUE", "1", "yes", "Yes", "y", "Y", "是", " 是 " };
  const char *no[] = { "false", "False", "0", "no", "NO", "n", "N", "否" };
  const char *bad[] = { "2", "maybe", "t", "对", "truee" };
  gboolean v;

  for (guint i = 0; i < G_N_ELEMENTS (yes); i++)
    {
      v = FALSE;
      g_assert_cmpint (kl_csv_parse_bool (yes[i], &v), ==, KL_CSV_VALUE_OK);
      g_assert_true (v);
    }
  for (guint i = 0; i < G_N_ELEMENTS (no); i++)
    {
      v = TRUE;
      g_assert_cmpint (kl_csv_parse_bool (no[i], &v), ==, KL_CSV_VALUE_OK);
      g_assert_false (v);
    }
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    g_assert_cmpint (kl_csv_parse_bool (bad[i], &v), ==, KL_CSV_VALUE_BAD);
  g_assert_cmpint (kl_csv_parse_bool ("", &v), ==, KL_CSV_VALUE_EMPTY);
}

/* Issue 12: the reader streams; records, line ends, quotes and characters
 * that straddle the reader's 64 KiB chunks come out whole. */
static void
test_chunk_boundaries (void)
{
  for (guint encoding = KL_CSV_ENCODING_UTF8; encoding <= KL_CSV_ENCODING_GB18030; encoding++)
    for (gsize k = 65536 - 24; k <= 65536 + 4; k++)
      {
        g_autofree char *pad = g_strnfill (k, 'P');
        g_autofree char *text = g_strconcat ("h1,h2\r\n", pad, ",\"q\"\"u\r\no\"\r\n上海,end\r\n", NULL);
        g_autofree char *expected = g_strconcat ("1|h1|h2\n2|", pad, "|[q\"u\no]\n4|上海|end\n", NULL);
        g_autofree char *bytes_text = NULL;
        gsize len = strlen (text);
        g_autoptr(GBytes) bytes = NULL;
        g_autoptr(GInputStream) stream = NULL;
        g_autoptr(KlCsvReader) r = NULL;
        g_autoptr(GError) error = NULL;
        g_autofree char *out = NULL;

        if (encoding == KL_CSV_ENCODING_GB18030)
          {
            bytes_text = g_convert (text, -1, "GB18030", "UTF-8", NULL, &len, &error);
            g_assert_no_error (error);
          }
        else
          bytes_text = g_strdup (text);
        bytes = g_bytes_new (bytes_text, len);
        stream = g_memory_input_stream_new_from_bytes (bytes);
        r = kl_csv_reader_new_for_stream (stream, encoding, "test.csv", NULL, &error);
        g_assert_no_error (error);
        out = dump (r);
        g_assert_cmpstr (out, ==, expected);
        g_assert_cmpfloat (kl_csv_reader_get_fraction (r), ==, 1.0);
      }
}

/* A record far larger than the first megabyte and the chunks. */
static void
test_huge_record (void)
{
  g_autoptr(GString) text = g_string_new ("a,b\n\"");
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(KlCsvReader) r = NULL;
  const KlCsvRecord *record;

  for (guint i = 0; i < 300000; i++)
    g_string_append (text, "line\r\n\"\"");
  g_string_append (text, "\",2\nlast,3");
  bytes = g_string_free_to_bytes (g_steal_pointer (&text));
  r = kl_csv_reader_new (bytes, "huge.csv", &error);
  g_assert_no_error (error);
  g_assert_true (kl_csv_reader_read (r, &record, &error));
  g_assert_true (kl_csv_reader_read (r, &record, &error));
  g_assert_cmpuint (record->line, ==, 2);
  g_assert_cmpuint (strlen (record->fields[0]), ==, 300000 * 6);
  g_assert_cmpstr (record->fields[1], ==, "2");
  g_assert_true (kl_csv_reader_read (r, &record, &error));
  g_assert_cmpuint (record->line, ==, 300003);
  g_assert_cmpstr (record->fields[0], ==, "last");
  g_assert_false (kl_csv_reader_read (r, &record, &error));
  g_assert_no_error (error);

  /* And again from the start. */
  kl_csv_reader_rewind (r);
  g_assert_cmpfloat (kl_csv_reader_get_fraction (r), ==, 0.0);
  g_assert_true (kl_csv_reader_read (r, &record, &error));
  g_assert_cmpstr (record->fields[0], ==, "a");
  g_assert_true (kl_csv_reader_read (r, &record, &error));
  g_assert_true (kl_csv_reader_read (r, &record, &error));
  g_assert_cmpuint (record->line, ==, 300003);
  g_assert_no_error (error);
}

static KlCsvReader *
reader_encoded (const char     *data,
                gsize           len,
                KlCsvEncoding   encoding,
                GError        **error)
{
  g_autoptr(GBytes) bytes = g_bytes_new (data, len);
  g_autoptr(GInputStream) stream = g_memory_input_stream_new_from_bytes (bytes);

  return kl_csv_reader_new_for_stream (stream, encoding, "enc.csv", NULL, error);
}

/* The encoding rule of docs/import.md. */
static void
test_encoding_rule (void)
{
  g_autoptr(GString) text = g_string_new ("城市,名称\n");
  g_autoptr(GError) stray_error = NULL;
  g_autoptr(GError) forced_error = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(KlCsvReader) stray = NULL;
  g_autoptr(KlCsvReader) forced = NULL;
  g_autoptr(KlCsvReader) gb = NULL;
  g_autoptr(KlCsvReader) ascii_stray = NULL;
  g_autofree char *gb_text = NULL;
  gsize gb_len = 0;
  const KlCsvRecord *record;

  /* Nearly all UTF-8 (a few dozen Chinese characters, one Latin-1 byte):
   * refused, naming the line, not read as GB18030. */
  for (guint i = 0; i < 10; i++)
    g_string_append (text, "上海,华东区域\n");
  g_string_append (text, "Ren\xe9" "e,x\n");
  stray = reader_encoded (text->str, text->len, KL_CSV_ENCODING_AUTO, &stray_error);
  g_assert_null (stray);
  g_assert_error (stray_error, KL_CSV_ERROR, KL_CSV_ERROR_ENCODING);
  g_assert_true (g_str_has_prefix (stray_error->message, "enc.csv:12: "));

  /* Forced GB18030, it is read (garbled, as asked). */
  forced = reader_encoded (text->str, text->len, KL_CSV_ENCODING_GB18030, &forced_error);
  if (forced != NULL)
    g_assert_cmpstr (kl_csv_reader_get_encoding (forced), ==, "GB18030");
  else
    g_assert_error (forced_error, KL_CSV_ERROR, KL_CSV_ERROR_ENCODING);

  /* Real GB18030 text is read as GB18030... */
  gb_text = g_convert ("城市,名称\n上海,华东区域\n", -1, "GB18030", "UTF-8", NULL, &gb_len, &error);
  g_assert_no_error (error);
  gb = reader_encoded (gb_text, gb_len, KL_CSV_ENCODING_AUTO, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (kl_csv_reader_get_encoding (gb), ==, "GB18030");
  g_assert_true (kl_csv_reader_read (gb, &record, &error));
  g_assert_true (kl_csv_reader_read (gb, &record, &error));
  g_assert_cmpstr (record->fields[0], ==, "上海");

  /* ...and refused when UTF-8 is forced, naming the line. */
  g_clear_pointer (&gb, kl_csv_reader_free);
  gb = reader_encoded (gb_text, gb_len, KL_CSV_ENCODING_UTF8, &error);
  g_assert_no_error (error);
  g_assert_false (kl_csv_reader_read (gb, &record, &error));
  g_assert_error (error, KL_CSV_ERROR, KL_CSV_ERROR_ENCODING);
  g_assert_true (g_str_has_prefix (error->message, "enc.csv:1: "));
  g_clear_error (&error);

  /* ASCII with one stray byte: none of its non-ASCII is UTF-8, so it is
   * GB18030 (the stray byte and the next make one character). */
  ascii_stray = reader_encoded ("a,b\nRen\xe9" "e,1\n", 12, KL_CSV_ENCODING_AUTO, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (kl_csv_reader_get_encoding (ascii_stray), ==, "GB18030");
}

static void
test_escape (void)
{
  g_autofree char *plain = kl_csv_escape ("上海 plain", 60);
  g_autofree char *controls = kl_csv_escape ("a\nb\r\tc\x1b[0m\x7f\x01", 0);
  g_autofree char *invalid = kl_csv_escape ("x\xff" "y", 0);
  g_autofree char *c1 = kl_csv_escape ("\xc2\x9b" "1m\xe2\x80\xa8", 0);
  g_autofree char *sixty = g_strnfill (60, 'x');
  g_autofree char *sixty_one = g_strnfill (61, 'x');
  g_autofree char *kept = kl_csv_escape (sixty, 60);
  g_autofree char *cut = kl_csv_escape (sixty_one, 60);
  g_autofree char *expected_cut = g_strconcat (sixty, "…", NULL);
  g_autofree char *fifty_eight = g_strnfill (58, 'x');
  g_autofree char *near = g_strconcat (fifty_eight, "\n", NULL);
  g_autofree char *near_cut = kl_csv_escape (near, 59);
  g_autofree char *expected_near = g_strconcat (fifty_eight, "…", NULL);
  g_autofree char *null_text = kl_csv_escape (NULL, 0);

  g_assert_cmpstr (plain, ==, "上海 plain");
  g_assert_cmpstr (controls, ==, "a\\nb\\r\\tc\\x1B[0m\\x7F\\x01");
  g_assert_cmpstr (invalid, ==, "x\\xFFy");
  g_assert_cmpstr (c1, ==, "\\u009B1m\\u2028");
  g_assert_cmpstr (kept, ==, sixty);
  g_assert_cmpstr (cut, ==, expected_cut);
  /* An escape is never split. */
  g_assert_cmpstr (near_cut, ==, expected_near);
  g_assert_cmpstr (null_text, ==, "");
}

/* The cached zone reads every local time as GLib does, daylight-saving
 * changes (skipped and doubled hours, half-hour zones) included. */
static void
test_time_zone_cache (void)
{
  const char *zones[] = { "Europe/Berlin", "America/New_York", "Australia/Lord_Howe", "Asia/Shanghai" };
  const char *days[] = { "2026-03-08", "2026-03-29", "2026-04-05", "2026-10-04", "2026-10-25", "2026-11-01" };

  for (guint z = 0; z < G_N_ELEMENTS (zones); z++)
    {
      g_autoptr(GTimeZone) tz = g_time_zone_new_identifier (zones[z]);
      g_autoptr(KlCsvZone) zone = kl_csv_zone_new (tz);

      g_assert_nonnull (tz);
      for (guint round = 0; round < 2; round++)   /* the second round reads from the cache */
        for (guint d = 0; d < G_N_ELEMENTS (days); d++)
          for (int minute = 0; minute < 24 * 60; minute += 5)
            {
              g_autofree char *text = g_strdup_printf ("%s %02d:%02d:%02d", days[d], minute / 60, minute % 60,
                                                       (minute * 7) % 60);
              gint64 plain = 0, cached = 0;

              g_assert_cmpint (kl_csv_parse_time (text, tz, &plain), ==, KL_CSV_VALUE_OK);
              g_assert_cmpint (kl_csv_parse_time_in (text, zone, &cached), ==, KL_CSV_VALUE_OK);
              if (plain != cached)
                g_test_message ("%s in %s: %" G_GINT64_FORMAT " against %" G_GINT64_FORMAT, text, zones[z], cached, plain);
              g_assert_cmpint (cached, ==, plain);
            }
    }
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/csv/plain", test_plain);
  g_test_add_func ("/csv/time-zone-cache", test_time_zone_cache);
  g_test_add_func ("/csv/trailing-delimiter", test_no_final_newline_and_trailing_delimiter);
  g_test_add_func ("/csv/quotes", test_quotes);
  g_test_add_func ("/csv/embedded-newlines", test_embedded_newlines_keep_physical_lines);
  g_test_add_func ("/csv/crlf", test_crlf_and_lone_cr);
  g_test_add_func ("/csv/blank-lines", test_blank_lines);
  g_test_add_func ("/csv/delimiter", test_delimiter_detection);
  g_test_add_func ("/csv/bom", test_bom);
  g_test_add_func ("/csv/gb18030", test_gb18030);
  g_test_add_func ("/csv/bad-encoding", test_bad_encoding);
  g_test_add_func ("/csv/unterminated-quote", test_unterminated_quote);
  g_test_add_func ("/csv/text-after-quote", test_text_after_closing_quote);
  g_test_add_func ("/csv/rewind", test_rewind);
  g_test_add_func ("/csv/growing-buffers", test_many_fields_reuse_buffers);
  g_test_add_func ("/csv/chunk-boundaries", test_chunk_boundaries);
  g_test_add_func ("/csv/huge-record", test_huge_record);
  g_test_add_func ("/csv/encoding-rule", test_encoding_rule);
  g_test_add_func ("/csv/escape", test_escape);
  g_test_add_func ("/value/decimal", test_decimal);
  g_test_add_func ("/value/count", test_count);
  g_test_add_func ("/value/time", test_time);
  g_test_add_func ("/value/bool", test_bool);

  return g_test_run ();
}
