/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The CSV reader: any bytes as a file, every record read, twice (the second
 * time after a rewind), with the reader's promises checked: fields are
 * NUL-terminated UTF-8, a record has a field, lines only grow, progress stays
 * within 0–1, and a rewind reads the same records again. */
#include <string.h>

#include "kl-csv.h"
#include "kl-fuzz.h"

/* Enough records to compare after a rewind; the rest are only read. */
#define N_COMPARED 64

static guint
read_all (KlCsvReader *reader,
          GPtrArray   *first_fields)
{
  const KlCsvRecord *record = NULL;
  g_autoptr(GError) error = NULL;
  guint last_line = 0, n = 0;

  while (kl_csv_reader_read (reader, &record, &error))
    {
      double fraction = kl_csv_reader_get_fraction (reader);
      g_autoptr(GString) joined = g_string_new (NULL);

      KL_FUZZ_CHECK (record != NULL);
      KL_FUZZ_CHECK (record->n_fields >= 1);
      KL_FUZZ_CHECK (record->line >= 1 && record->line >= last_line);
      KL_FUZZ_CHECK (fraction >= 0.0 && fraction <= 1.0);
      last_line = record->line;
      for (guint i = 0; i < record->n_fields; i++)
        {
          const char *field = record->fields[i];

          KL_FUZZ_CHECK (field != NULL);
          KL_FUZZ_CHECK (g_utf8_validate (field, -1, NULL));
          KL_FUZZ_CHECK (record->quoted[i] == TRUE || record->quoted[i] == FALSE);
          g_string_append_printf (joined, "%u:%s\x1f", record->quoted[i], field);
        }
      (void) kl_csv_record_is_blank (record);
      if (n < N_COMPARED)
        {
          if (first_fields->len > n)
            KL_FUZZ_CHECK (strcmp (g_ptr_array_index (first_fields, n), joined->str) == 0);
          else
            g_ptr_array_add (first_fields, g_string_free (g_steal_pointer (&joined), FALSE));
        }
      n++;
    }
  if (error != NULL)
    {
      KL_FUZZ_CHECK (error->domain == KL_CSV_ERROR);
      KL_FUZZ_CHECK (error->message != NULL && g_utf8_validate (error->message, -1, NULL));
    }
  return n;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(KlCsvReader) reader = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) first_fields = g_ptr_array_new_with_free_func (g_free);
  const char *encoding;
  char delimiter;
  guint n_first, n_again;

  kl_fuzz_init ();
  bytes = g_bytes_new (data, size);
  reader = kl_csv_reader_new (bytes, "fuzz.csv", &error);
  if (reader == NULL)
    {
      KL_FUZZ_CHECK (error != NULL && error->domain == KL_CSV_ERROR);
      return 0;
    }
  KL_FUZZ_CHECK (error == NULL);

  encoding = kl_csv_reader_get_encoding (reader);
  KL_FUZZ_CHECK (g_strcmp0 (encoding, "UTF-8") == 0 || g_strcmp0 (encoding, "GB18030") == 0);
  delimiter = kl_csv_reader_get_delimiter (reader);
  KL_FUZZ_CHECK (delimiter == ',' || delimiter == ';' || delimiter == '\t');

  n_first = read_all (reader, first_fields);
  kl_csv_reader_rewind (reader);
  n_again = read_all (reader, first_fields);
  KL_FUZZ_CHECK (n_first == n_again);
  return 0;
}
