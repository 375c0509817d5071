/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Survey CSV import (docs/analysis.md, "Survey CSV"). A survey file is
 * small: it is read whole, checked, then written in one transaction. */

#include "config.h"

#include <glib/gi18n-lib.h>

#include <string.h>

#include "kl-csv.h"
#include "kl-customer-store.h"
#include "kl-records.h"
#include "kl-survey-import.h"
#include "kl-survey-store.h"

#define MAX_SHOWN 60
#define MAX_COMPETITORS 3

enum {
  COL_RESPONDENT,
  COL_CUSTOMER,
  COL_ATTRIBUTE,
  COL_IMPORTANCE,
  COL_COMPANY,
  COL_PERFORMANCE,
  N_COLS
};

static const struct {
  const char *name;
  const char *alias;
  gboolean    required;
} columns[N_COLS] = {
  { "respondent", "受访者", TRUE },
  { "customer_code", "客户编码", TRUE },
  { "attribute", "属性", TRUE },
  { "importance", "重要性", TRUE },
  { "company", "公司", TRUE },
  { "performance", "绩效", FALSE },
};

typedef struct {
  guint  line;
  char  *respondent;
  char  *customer_id;
  char  *attribute;
  int    importance;
  char  *company;      /* "ours" for ours */
  int    performance;  /* 0 = not rated */
} Row;

static void
row_clear (gpointer p)
{
  Row *r = p;
  g_free (r->respondent);
  g_free (r->customer_id);
  g_free (r->attribute);
  g_free (r->company);
}

typedef struct {
  const char     *display_name;
  KlImportResult *result;
  char          **header;
  int             column_of[N_COLS];
  const KlCsvRecord *record;
  gboolean        row_bad;
} Reader;

static void
row_error (Reader *self, int col, const char *what, const char *value)
{
  g_autofree char *shown_column = kl_csv_escape (self->header[self->column_of[col]], MAX_SHOWN);
  g_autofree char *shown_value = kl_csv_escape (value ? value : "", MAX_SHOWN);

  self->row_bad = TRUE;
  g_ptr_array_add (self->result->errors,
                   g_strdup_printf (_("%s:%u: column %s: %s (got \"%s\")"),
                                    self->display_name, self->record->line, shown_column, what,
                                    shown_value));
}

static char *
field (Reader *self, int col)
{
  int i = self->column_of[col];
  if (i < 0 || (guint) i >= self->record->n_fields)
    return NULL;
  return g_strstrip (g_strdup (self->record->fields[i]));
}

/* 1..7, or 0 for empty when allowed; -1 when bad (reported). */
static int
scale_value (Reader *self, int col, gboolean required)
{
  g_autofree char *text = field (self, col);
  gint64 v;

  if (text == NULL || *text == '\0')
    {
      if (required)
        {
          row_error (self, col, _("a whole number from 1 to 7 is required"), "");
          return -1;
        }
      return 0;
    }
  if (!g_ascii_string_to_signed (text, 10, 1, 7, &v, NULL))
    {
      row_error (self, col, _("not a whole number from 1 to 7"), text);
      return -1;
    }
  return (int) v;
}

static gboolean
match_header (const char *name, int *out)
{
  for (int c = 0; c < N_COLS; c++)
    if (g_ascii_strcasecmp (name, columns[c].name) == 0 || strcmp (name, columns[c].alias) == 0)
      {
        *out = c;
        return TRUE;
      }
  return FALSE;
}

KlImportResult *
kl_survey_import_file (KlDatabase     *db,
                       GFile          *file,
                       const char     *display_name,
                       const char     *survey_name,
                       const char     *main_competitor,
                       KlImportFlags   flags,
                       char          **out_survey_id,
                       GError        **error)
{
  g_autoptr (KlImportResult) result = g_new0 (KlImportResult, 1);
  g_autoptr (GFileInputStream) stream = NULL;
  g_autoptr (KlCsvReader) csv = NULL;
  g_autoptr (GArray) rows = g_array_new (FALSE, TRUE, sizeof (Row));
  g_autoptr (GHashTable) customers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr (GHashTable) respondent_customer = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr (GHashTable) importance_seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr (GHashTable) rating_seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr (GPtrArray) competitors = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (KlSurvey) existing = NULL;
  g_autofree char *name_owned = NULL;
  g_autofree char *survey_id = NULL;
  Reader self = { 0 };
  const KlCsvRecord *record;
  KlCsvEncoding encoding = KL_CSV_ENCODING_AUTO;
  GError *local = NULL;
  const char *main_name;

  g_return_val_if_fail (KL_IS_DATABASE (db), NULL);

  if (display_name == NULL)
    display_name = name_owned = g_file_get_path (file);
  result->errors = g_ptr_array_new_with_free_func (g_free);
  result->unknown_columns = g_ptr_array_new_with_free_func (g_free);
  g_array_set_clear_func (rows, row_clear);
  self.display_name = display_name;
  self.result = result;
  for (int c = 0; c < N_COLS; c++)
    self.column_of[c] = -1;

  if (!kl_import_check_file (file, display_name, error))
    return NULL;
  stream = g_file_read (file, NULL, error);
  if (stream == NULL)
    return NULL;
  if (flags & KL_IMPORT_FLAGS_UTF8)
    encoding = KL_CSV_ENCODING_UTF8;
  else if (flags & KL_IMPORT_FLAGS_GB18030)
    encoding = KL_CSV_ENCODING_GB18030;
  csv = kl_csv_reader_new_for_stream (G_INPUT_STREAM (stream), encoding, display_name, NULL, &local);
  if (csv == NULL)
    {
      g_set_error_literal (error, KL_IMPORT_ERROR, KL_IMPORT_ERROR_ENCODING, local->message);
      g_error_free (local);
      return NULL;
    }
  result->encoding = g_strdup (kl_csv_reader_get_encoding (csv));
  result->delimiter = kl_csv_reader_get_delimiter (csv);

  /* the header: the first non-blank line */
  do
    {
      if (!kl_csv_reader_read (csv, &record, &local))
        {
          if (local != NULL)
            {
              g_set_error_literal (error, KL_IMPORT_ERROR, KL_IMPORT_ERROR_SYNTAX, local->message);
              g_error_free (local);
            }
          else
            g_set_error (error, KL_IMPORT_ERROR, KL_IMPORT_ERROR_EMPTY,
                         _("%s: the file is empty; a survey file starts with a header line (respondent, customer_code, attribute, importance, company, performance)"),
                         display_name);
          return NULL;
        }
    }
  while (kl_csv_record_is_blank (record));

  self.header = g_new0 (char *, record->n_fields + 1);
  for (guint i = 0; i < record->n_fields; i++)
    {
      int c;
      self.header[i] = g_strstrip (g_strdup (record->fields[i]));
      if (match_header (self.header[i], &c))
        {
          if (self.column_of[c] >= 0)
            {
              g_set_error (error, KL_IMPORT_ERROR, KL_IMPORT_ERROR_HEADER,
                           _("%s:%u: the header names the column %s twice"),
                           display_name, record->line, columns[c].name);
              g_strfreev (self.header);
              return NULL;
            }
          self.column_of[c] = (int) i;
        }
      else
        g_ptr_array_add (result->unknown_columns, kl_csv_escape (self.header[i], MAX_SHOWN));
    }
  for (int c = 0; c < N_COLS; c++)
    if (columns[c].required && self.column_of[c] < 0)
      {
        g_set_error (error, KL_IMPORT_ERROR, KL_IMPORT_ERROR_HEADER,
                     _("%s:%u: the header lacks the required column %s (%s)"),
                     display_name, record->line, columns[c].name, columns[c].alias);
        g_strfreev (self.header);
        return NULL;
      }

  /* the rows, checked */
  while (kl_csv_reader_read (csv, &record, &local))
    {
      Row row = { 0 };
      g_autofree char *customer_code = NULL;
      g_autofree char *key = NULL;
      gpointer seen;

      if (kl_csv_record_is_blank (record))
        continue;
      self.record = record;
      self.row_bad = FALSE;
      result->n_rows++;
      row.line = record->line;
      row.respondent = field (&self, COL_RESPONDENT);
      customer_code = field (&self, COL_CUSTOMER);
      row.attribute = field (&self, COL_ATTRIBUTE);
      row.company = field (&self, COL_COMPANY);

      if (kl_text_is_blank (row.respondent))
        row_error (&self, COL_RESPONDENT, _("a respondent is required"), row.respondent);
      if (kl_text_is_blank (customer_code))
        row_error (&self, COL_CUSTOMER, _("a customer code is required"), customer_code);
      else
        {
          char *id = g_hash_table_lookup (customers, customer_code);
          if (id == NULL)
            {
              g_autoptr (KlCustomer) c = kl_customer_store_get_by_code (db, customer_code, NULL);
              if (c != NULL)
                {
                  id = g_strdup (c->id);
                  g_hash_table_insert (customers, g_strdup (customer_code), id);
                }
            }
          if (id == NULL)
            row_error (&self, COL_CUSTOMER, _("no customer has this code; import the customer first"),
                       customer_code);
          else
            row.customer_id = g_strdup (id);
        }
      if (kl_text_is_blank (row.attribute))
        row_error (&self, COL_ATTRIBUTE, _("an attribute code is required"), row.attribute);
      row.importance = scale_value (&self, COL_IMPORTANCE, TRUE);
      if (kl_text_is_blank (row.company))
        row_error (&self, COL_COMPANY, _("a company is required: ours (我方) or a competitor's name"), row.company);
      else if (kl_survey_company_is_ours (row.company))
        {
          g_free (row.company);
          row.company = g_strdup ("ours");
        }
      row.performance = scale_value (&self, COL_PERFORMANCE, FALSE);

      if (!self.row_bad)
        {
          /* one customer per respondent */
          if (g_hash_table_lookup_extended (respondent_customer, row.respondent, NULL, &seen))
            {
              if (g_strcmp0 (seen, row.customer_id) != 0)
                row_error (&self, COL_CUSTOMER, _("this respondent was given another customer on an earlier line"),
                           customer_code);
            }
          else
            g_hash_table_insert (respondent_customer, g_strdup (row.respondent),
                                 g_strdup (row.customer_id));
        }
      if (!self.row_bad)
        {
          /* the same importance on every row of one respondent × attribute */
          key = g_strdup_printf ("%s\x1f%s", row.respondent, row.attribute);
          if (g_hash_table_lookup_extended (importance_seen, key, NULL, &seen))
            {
              if (GPOINTER_TO_INT (seen) != row.importance)
                {
                  g_autofree char *v = g_strdup_printf ("%d", row.importance);
                  row_error (&self, COL_IMPORTANCE,
                             _("differs from the importance this respondent gave this attribute on an earlier line"), v);
                }
            }
          else
            g_hash_table_insert (importance_seen, g_strdup (key), GINT_TO_POINTER (row.importance));
          g_free (key);
          key = g_strdup_printf ("%s\x1f%s\x1f%s", row.respondent, row.attribute, row.company);
          if (!self.row_bad && !g_hash_table_add (rating_seen, g_strdup (key)))
            row_error (&self, COL_COMPANY, _("this respondent rated this company on this attribute on an earlier line"),
                       row.company);
        }
      if (!self.row_bad && strcmp (row.company, "ours") != 0)
        {
          gboolean known = FALSE;
          for (guint i = 0; i < competitors->len; i++)
            known |= strcmp (g_ptr_array_index (competitors, i), row.company) == 0;
          if (!known)
            {
              if (competitors->len >= MAX_COMPETITORS)
                row_error (&self, COL_COMPANY, _("a survey compares ours with at most three competitors"), row.company);
              else
                g_ptr_array_add (competitors, g_strdup (row.company));
            }
        }

      if (self.row_bad)
        {
          result->n_bad++;
          row_clear (&row);
        }
      else
        g_array_append_val (rows, row);
    }
  if (local != NULL)
    {
      g_set_error_literal (error, KL_IMPORT_ERROR, KL_IMPORT_ERROR_SYNTAX, local->message);
      g_error_free (local);
      g_strfreev (self.header);
      return NULL;
    }
  g_strfreev (self.header);

  main_name = main_competitor;
  if (main_name != NULL)
    {
      gboolean known = FALSE;
      existing = kl_survey_store_load (db, survey_name, NULL);
      for (guint i = 0; i < competitors->len; i++)
        known |= strcmp (g_ptr_array_index (competitors, i), main_name) == 0;
      for (guint i = 0; existing != NULL && i < existing->companies->len; i++)
        known |= strcmp (((KlSurveyCompany *) g_ptr_array_index (existing->companies, i))->name, main_name) == 0;
      if (!known || kl_survey_company_is_ours (main_name))
        {
          g_set_error (error, KL_IMPORT_ERROR, KL_IMPORT_ERROR_HEADER,
                       _("%s: the main competitor “%s” is not a competitor in the file or the survey"),
                       display_name, main_name);
          return NULL;
        }
      g_clear_pointer (&existing, kl_survey_free);
    }
  else if (competitors->len > 0)
    main_name = g_ptr_array_index (competitors, 0);

  if ((result->n_bad > 0 && !(flags & KL_IMPORT_FLAGS_SKIP_BAD)) || (flags & KL_IMPORT_FLAGS_DRY_RUN))
    {
      result->n_new = 0;
      return g_steal_pointer (&result);
    }

  /* written, in one transaction */
  if (!kl_database_begin (db, error))
    return NULL;
  existing = kl_survey_store_load (db, survey_name, NULL);
  if (existing != NULL)
    survey_id = g_strdup (existing->id);
  else
    {
      g_autoptr (GDateTime) now = g_date_time_new_now (kl_database_get_timezone (db));
      g_autofree char *today = g_date_time_format (now, "%Y-%m-%d");
      survey_id = kl_survey_store_create (db, survey_name, today, NULL, NULL, FALSE, error);
      if (survey_id == NULL)
        goto fail;
    }
  /* the competitors in the file's order; the main one named, else the
   * first in the file unless the survey has one already */
  for (guint i = 0; i < competitors->len; i++)
    if (kl_survey_store_ensure_company (db, survey_id, g_ptr_array_index (competitors, i), FALSE, error) < 0)
      goto fail;
  if (main_competitor != NULL)
    {
      if (kl_survey_store_ensure_company (db, survey_id, main_competitor, TRUE, error) < 0)
        goto fail;
    }
  else if ((existing == NULL || kl_survey_main_index (existing) < 0) && main_name != NULL
           && kl_survey_store_ensure_company (db, survey_id, main_name, TRUE, error) < 0)
    goto fail;

  for (guint i = 0; i < rows->len; i++)
    {
      Row *row = &g_array_index (rows, Row, i);
      gint64 attribute_id, company_id, respondent_id;
      int before = 0;

      attribute_id = kl_survey_store_ensure_attribute (db, survey_id, row->attribute, row->attribute,
                                                       row->attribute, error);
      company_id = attribute_id < 0 ? -1
        : kl_survey_store_ensure_company (db, survey_id, row->company, FALSE, error);
      respondent_id = company_id < 0 ? -1
        : kl_survey_store_ensure_respondent (db, survey_id, row->respondent, row->customer_id, error);
      if (respondent_id < 0)
        goto fail;
      /* new, updated or unchanged: the rating (and importance) before */
      if (existing != NULL)
        {
          guint na = kl_survey_n_attributes (existing), nc = kl_survey_n_companies (existing);
          int ri = -1, ai = -1, ci = -1;
          for (guint k = 0; k < existing->respondents->len; k++)
            if (((KlSurveyRespondent *) g_ptr_array_index (existing->respondents, k))->id == respondent_id)
              ri = (int) k;
          for (guint k = 0; k < na; k++)
            if (((KlSurveyAttribute *) g_ptr_array_index (existing->attributes, k))->id == attribute_id)
              ai = (int) k;
          for (guint k = 0; k < nc; k++)
            if (((KlSurveyCompany *) g_ptr_array_index (existing->companies, k))->id == company_id)
              ci = (int) k;
          if (ri >= 0 && ai >= 0 && ci >= 0)
            {
              int imp = existing->importance[ri * na + ai];
              int perf = existing->performance[(ri * na + ai) * nc + ci];
              before = imp == row->importance && perf == row->performance ? 2 : 1;
            }
        }
      if (before == 0)
        result->n_new++;
      else if (before == 1)
        result->n_updated++;
      else
        result->n_unchanged++;
      if (!kl_survey_store_set_importance (db, respondent_id, attribute_id, row->importance, error)
          || !kl_survey_store_set_performance (db, respondent_id, attribute_id, company_id,
                                               row->performance, error))
        goto fail;
    }
  if (!kl_database_commit (db, error))
    return NULL;
  result->written = TRUE;
  if (out_survey_id)
    *out_survey_id = g_steal_pointer (&survey_id);
  return g_steal_pointer (&result);

fail:
  kl_database_rollback (db);
  return NULL;
}
