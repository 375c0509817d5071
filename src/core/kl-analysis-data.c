/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Classes and standards read from the workspace (docs/analysis.md). */

#include "config.h"

#include <glib/gi18n-lib.h>

#include <stdlib.h>
#include <string.h>

#include "kl-analysis-data.h"
#include "kl-database-private.h"
#include "kl-rollup.h"

char *
kl_class_thresholds_to_string (const KlClassThresholds *t)
{
  char a[G_ASCII_DTOSTR_BUF_SIZE], b[G_ASCII_DTOSTR_BUF_SIZE], c[G_ASCII_DTOSTR_BUF_SIZE];
  g_ascii_formatd (a, sizeof a, "%g", t->a_bp / 100.0);
  g_ascii_formatd (b, sizeof b, "%g", t->b_bp / 100.0);
  g_ascii_formatd (c, sizeof c, "%g", t->c_bp / 100.0);
  return g_strdup_printf ("%s,%s,%s", a, b, c);
}

gboolean
kl_class_thresholds_parse (const char *text, KlClassThresholds *out)
{
  g_auto (GStrv) parts = NULL;
  int bp[3];
  KlClassThresholds t;

  if (text == NULL)
    return FALSE;
  parts = g_strsplit (text, ",", -1);
  if (g_strv_length (parts) != 3)
    return FALSE;
  for (int i = 0; i < 3; i++)
    {
      char *end = NULL;
      double v = g_ascii_strtod (g_strstrip (parts[i]), &end);
      if (end == parts[i] || *end != '\0' || !(v > 0.0 && v <= 100.0))
        return FALSE;
      bp[i] = (int) (v * 100.0 + 0.5);
    }
  t = (KlClassThresholds) { bp[0], bp[1], bp[2] };
  if (!kl_class_thresholds_valid (&t))
    return FALSE;
  *out = t;
  return TRUE;
}

void
kl_analysis_settings_read (KlDatabase        *db,
                           KlClassThresholds *thresholds,
                           KlPriorityMatrix  *matrix,
                           KlStandards       *standards)
{
  if (thresholds)
    {
      g_autofree char *text = kl_database_get_setting (db, KL_SETTING_CLASS_THRESHOLDS);
      if (!kl_class_thresholds_parse (text, thresholds))
        kl_class_thresholds_init_default (thresholds);
    }
  if (matrix)
    {
      g_autofree char *text = kl_database_get_setting (db, KL_SETTING_PRIORITY_MATRIX);
      if (!kl_priority_matrix_parse (text, matrix))
        kl_priority_matrix_init_default (matrix);
    }
  if (standards)
    {
      g_autofree char *text = kl_database_get_setting (db, KL_SETTING_STANDARDS);
      if (!kl_standards_parse (text, standards))
        kl_standards_init_default (standards);
    }
}

gboolean
kl_analysis_settings_write (KlDatabase              *db,
                            const KlClassThresholds *thresholds,
                            const KlPriorityMatrix  *matrix,
                            const KlStandards       *standards,
                            GError                 **error)
{
  if (thresholds)
    {
      g_autofree char *text = kl_class_thresholds_to_string (thresholds);
      if (!kl_class_thresholds_valid (thresholds))
        {
          g_set_error (error, KL_DATABASE_ERROR, KL_DATABASE_ERROR_INVALID,
                       _("Class thresholds must rise from A to C and stay within 100 %% (got %s)"), text);
          return FALSE;
        }
      if (!kl_database_set_setting (db, KL_SETTING_CLASS_THRESHOLDS, text, error))
        return FALSE;
    }
  if (matrix)
    {
      g_autofree char *text = kl_priority_matrix_to_string (matrix);
      if (!kl_database_set_setting (db, KL_SETTING_PRIORITY_MATRIX, text, error))
        return FALSE;
    }
  if (standards)
    {
      g_autofree char *text = kl_standards_to_string (standards);
      if (!kl_database_set_setting (db, KL_SETTING_STANDARDS, text, error))
        return FALSE;
    }
  return TRUE;
}

KlAccountClass
kl_analysis_get_class_override (KlDatabase  *db,
                                const char  *customer_id,
                                GError     **error)
{
  sqlite3_stmt *stmt = kl_database_prepare (db, "SELECT class_override FROM customers WHERE id = ?", error);
  KlAccountClass klass = KL_ACCOUNT_CLASS_NONE;

  if (stmt == NULL)
    return KL_ACCOUNT_CLASS_NONE;
  kl_bind_text (stmt, 1, customer_id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    klass = kl_account_class_parse ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);
  return klass;
}

gboolean
kl_analysis_set_class_override (KlDatabase     *db,
                                const char     *customer_id,
                                KlAccountClass  klass,
                                GError        **error)
{
  sqlite3_stmt *stmt = kl_database_prepare (db, "UPDATE customers SET class_override = ? WHERE id = ?", error);

  if (stmt == NULL)
    return FALSE;
  if (klass == KL_ACCOUNT_CLASS_NONE)
    sqlite3_bind_null (stmt, 1);
  else
    kl_bind_text (stmt, 1, kl_account_class_to_string (klass));
  kl_bind_text (stmt, 2, customer_id);
  if (!kl_database_step_done (db, stmt, error))
    return FALSE;
  if (sqlite3_changes (kl_database_get_handle (db)) == 0)
    {
      g_set_error (error, KL_DATABASE_ERROR, KL_DATABASE_ERROR_NOT_FOUND,
                   _("No customer has the id “%s”"), customer_id);
      return FALSE;
    }
  return TRUE;
}

static void
customer_free (gpointer p)
{
  KlAnalysisCustomer *c = p;
  g_free (c->id);
  g_free (c->code);
  g_free (c->name);
  g_free (c->account_manager);
  g_free (c);
}

void
kl_class_analysis_free (KlClassAnalysis *a)
{
  if (a == NULL)
    return;
  g_clear_pointer (&a->customers, g_ptr_array_unref);
  g_clear_pointer (&a->mode_rows, g_array_unref);
  g_clear_pointer (&a->account_of, g_hash_table_unref);
  g_free (a->accounts);
  g_free (a->currency);
  g_free (a);
}

static gint64
contribution_of (const KlRollupModeCounts *c, KlAnalysisBasis basis)
{
  switch (basis)
    {
    case KL_BASIS_REVENUE: return c->v[KL_RM_REVENUE_MINOR];
    case KL_BASIS_WEIGHT: return c->v[KL_RM_WEIGHT_G];
    case KL_BASIS_SHIPMENTS:
    default: return c->v[KL_RM_SHIPMENTS];
    }
}

static int
month_shift (int yyyymm, int delta)
{
  int index = (yyyymm / 100) * 12 + (yyyymm % 100 - 1) + delta;
  return (index / 12) * 100 + index % 12 + 1;
}

KlClassAnalysis *
kl_analysis_load (KlDatabase            *db,
                  int                    year,
                  int                    month,
                  const KlAnalysisBasis *basis,
                  GError               **error)
{
  g_autoptr (KlClassAnalysis) a = g_new0 (KlClassAnalysis, 1);
  g_autoptr (GHashTable) by_id = g_hash_table_new (g_str_hash, g_str_equal);
  gint64 line_contribution[KL_N_MODES] = { 0 };
  gboolean line_present[KL_N_MODES] = { FALSE };
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (KL_IS_DATABASE (db), NULL);

  a->year = year;
  a->month = month;
  a->last_month = kl_month_make (year, month);
  a->first_month = month_shift (a->last_month, -11);
  a->currency = kl_database_get_currency (db);
  kl_analysis_settings_read (db, &a->thresholds, &a->matrix, &a->standards);

  a->mode_rows = kl_rollup_mode_query (db, NULL, a->first_month, a->last_month, error);
  if (a->mode_rows == NULL)
    return NULL;

  a->customers = g_ptr_array_new_with_free_func (customer_free);
  stmt = kl_database_prepare (db,
                              "SELECT id, code, name, account_manager, status, class_override FROM customers "
                              "WHERE deleted = 0 ORDER BY code",
                              error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      KlAnalysisCustomer *c = g_new0 (KlAnalysisCustomer, 1);
      c->id = kl_column_dup_text (stmt, 0);
      c->code = kl_column_dup_text (stmt, 1);
      c->name = kl_column_dup_text (stmt, 2);
      c->account_manager = kl_column_dup_text (stmt, 3);
      if (!kl_customer_status_from_string ((const char *) sqlite3_column_text (stmt, 4), &c->status))
        c->status = KL_CUSTOMER_STATUS_ACTIVE;
      c->manual = kl_account_class_parse ((const char *) sqlite3_column_text (stmt, 5));
      g_ptr_array_add (a->customers, c);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      kl_database_set_error (db, error, _("Reading the customers"));
      return NULL;
    }

  a->n_accounts = a->customers->len;
  a->accounts = g_new0 (KlClassAccount, MAX (1, a->n_accounts));
  for (guint i = 0; i < a->n_accounts; i++)
    {
      KlAnalysisCustomer *c = g_ptr_array_index (a->customers, i);
      a->accounts[i].code = c->code;
      a->accounts[i].manual = c->manual;
      a->accounts[i].user_data = c;
      g_hash_table_insert (by_id, c->id, &a->accounts[i]);
    }

  /* the basis first: the 90 % rule counts every shipment of the period */
  for (guint i = 0; i < a->mode_rows->len; i++)
    {
      const KlRollupModeRow *row = &g_array_index (a->mode_rows, KlRollupModeRow, i);
      a->shipments += row->counts.v[KL_RM_SHIPMENTS];
      a->revenue_shipments += row->counts.v[KL_RM_REVENUE_SHIPMENTS];
      a->other_currency += row->counts.v[KL_RM_OTHER_CURRENCY];
    }
  if (basis != NULL)
    a->basis = *basis;
  else
    {
      a->basis = kl_analysis_default_basis (a->shipments, a->revenue_shipments);
      a->basis_default = TRUE;
    }

  for (guint i = 0; i < a->mode_rows->len; i++)
    {
      const KlRollupModeRow *row = &g_array_index (a->mode_rows, KlRollupModeRow, i);
      KlClassAccount *acc = g_hash_table_lookup (by_id, row->customer_id);
      gint64 v = contribution_of (&row->counts, a->basis);

      if (acc != NULL)
        acc->contribution += v;
      if (row->mode > KL_MODE_NONE && row->mode < KL_N_MODES && row->counts.v[KL_RM_SHIPMENTS] > 0)
        {
          line_contribution[row->mode] += v;
          line_present[row->mode] = TRUE;
        }
    }
  a->n_classed = kl_analysis_classify_accounts (a->accounts, a->n_accounts, &a->thresholds);
  /* sorting moved the accounts */
  a->account_of = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < a->n_accounts; i++)
    g_hash_table_insert (a->account_of, ((KlAnalysisCustomer *) a->accounts[i].user_data)->id,
                         &a->accounts[i]);

  a->n_lines = KL_N_MODES - 1;
  for (int m = KL_MODE_NONE + 1; m < KL_N_MODES; m++)
    a->lines[m - 1] = (KlClassLine) { .mode = m, .contribution = line_contribution[m],
                                      .present = line_present[m] };
  a->n_line_classed = kl_analysis_classify_lines (a->lines, a->n_lines);
  return g_steal_pointer (&a);
}

const KlClassAccount *
kl_class_analysis_account (const KlClassAnalysis *a,
                           const char            *customer_id)
{
  return customer_id != NULL ? g_hash_table_lookup (a->account_of, customer_id) : NULL;
}

KlLineClass
kl_class_analysis_line (const KlClassAnalysis *a,
                        KlShipmentMode         mode)
{
  for (guint i = 0; i < a->n_lines; i++)
    if (a->lines[i].mode == mode)
      return a->lines[i].klass;
  return KL_LINE_CLASS_NONE;
}

static int
compare_standards (gconstpointer pa, gconstpointer pb)
{
  const KlAnalysisStandard *x = pa, *y = pb;
  int px = x->row.priority > 0 ? x->row.priority : G_MAXINT;
  int py = y->row.priority > 0 ? y->row.priority : G_MAXINT;
  int c;

  if (px != py)
    return px < py ? -1 : 1;
  c = strcmp (x->customer->code, y->customer->code);
  if (c != 0)
    return c;
  return (int) x->mode - (int) y->mode;
}

GArray *
kl_analysis_standards (const KlClassAnalysis *a,
                       const char            *customer_id)
{
  GArray *out = g_array_new (FALSE, TRUE, sizeof (KlAnalysisStandard));

  for (guint i = 0; i < a->mode_rows->len; i++)
    {
      const KlRollupModeRow *row = &g_array_index (a->mode_rows, KlRollupModeRow, i);
      const KlClassAccount *acc;
      KlAnalysisStandard s = { 0 };

      if (row->mode == KL_MODE_NONE || row->counts.v[KL_RM_SHIPMENTS] <= 0)
        continue;
      if (customer_id != NULL && g_strcmp0 (customer_id, row->customer_id) != 0)
        continue;
      acc = kl_class_analysis_account (a, row->customer_id);
      if (acc == NULL)
        continue;
      s.customer = acc->user_data;
      s.mode = row->mode;
      s.row.account_class = acc->klass;
      s.row.line_class = kl_class_analysis_line (a, row->mode);
      s.row.shipments = row->counts.v[KL_RM_SHIPMENTS];
      s.row.delivered = row->counts.v[KL_RM_DELIVERED];
      s.row.delivered_on_time = row->counts.v[KL_RM_DELIVERED_ON_TIME];
      for (int b = 0; b < KL_TRANSIT_BUCKETS; b++)
        s.row.transit[b] = row->counts.v[KL_RM_TRANSIT_0 + b];
      kl_analysis_standard_row (&s.row, &a->matrix, &a->standards);
      g_array_append_val (out, s);
    }
  g_array_sort (out, compare_standards);
  return out;
}

void
kl_analysis_matrix_counts (const KlClassAnalysis *a,
                           guint                  counts[KL_N_ACCOUNT_CLASSES][KL_N_LINE_CLASSES])
{
  g_autoptr (GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  memset (counts, 0, sizeof (guint) * KL_N_ACCOUNT_CLASSES * KL_N_LINE_CLASSES);
  for (guint i = 0; i < a->mode_rows->len; i++)
    {
      const KlRollupModeRow *row = &g_array_index (a->mode_rows, KlRollupModeRow, i);
      const KlClassAccount *acc;
      KlLineClass line;

      if (row->mode == KL_MODE_NONE || row->counts.v[KL_RM_SHIPMENTS] <= 0)
        continue;
      acc = kl_class_analysis_account (a, row->customer_id);
      line = kl_class_analysis_line (a, row->mode);
      if (acc == NULL || acc->klass == KL_ACCOUNT_CLASS_NONE || line == KL_LINE_CLASS_NONE)
        continue;
      {
        g_autofree char *key = g_strdup_printf ("%s/%d", row->customer_id, line);
        if (!g_hash_table_add (seen, g_steal_pointer (&key)))
          continue;
      }
      counts[acc->klass - KL_ACCOUNT_CLASS_A][line - KL_LINE_CLASS_I]++;
    }
}

gboolean
kl_analysis_propose_standard (const KlClassAnalysis *a,
                              const char            *customer_id,
                              int                   *out_priority,
                              KlStandardBand        *out_band)
{
  g_autoptr (GArray) rows = kl_analysis_standards (a, customer_id);
  int best = 0;
  const KlStandardBand *band;

  for (guint i = 0; i < rows->len; i++)
    {
      int p = g_array_index (rows, KlAnalysisStandard, i).row.priority;
      if (p > 0 && (best == 0 || p < best))
        best = p;
    }
  band = best > 0 ? kl_standards_lookup (&a->standards, best) : NULL;
  if (band == NULL)
    return FALSE;
  if (out_priority)
    *out_priority = best;
  if (out_band)
    *out_band = *band;
  return TRUE;
}
