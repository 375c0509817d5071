/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Month-by-month series read from the rollups. */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "kl-database-private.h"
#include "kl-rollup-series.h"

int
kl_rollup_series_month (int yyyymm,
                        int delta)
{
  int index = (yyyymm / 100) * 12 + (yyyymm % 100 - 1) + delta;

  return (index / 12) * 100 + index % 12 + 1;
}

static int
month_index (int first,
             int month)
{
  return ((month / 100) * 12 + month % 100) - ((first / 100) * 12 + first % 100);
}

gboolean
kl_rollup_series_shipments (KlDatabase  *db,
                            const char  *customer_id,
                            int          first_month,
                            guint        n_months,
                            gint64      *out,
                            GError     **error)
{
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (KL_IS_DATABASE (db), FALSE);
  g_return_val_if_fail (customer_id != NULL, FALSE);
  g_return_val_if_fail (n_months > 0 && out != NULL, FALSE);

  for (guint i = 0; i < n_months; i++)
    out[i] = 0;
  stmt = kl_database_prepare (db,
                              "SELECT month, shipments FROM rollup_month "
                              "WHERE customer_id = ? AND month BETWEEN ? AND ?",
                              error);
  if (stmt == NULL)
    return FALSE;
  kl_bind_text (stmt, 1, customer_id);
  sqlite3_bind_int (stmt, 2, first_month);
  sqlite3_bind_int (stmt, 3, kl_rollup_series_month (first_month, (int) n_months - 1));
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      int i = month_index (first_month, sqlite3_column_int (stmt, 0));

      if (i >= 0 && (guint) i < n_months)
        out[i] = sqlite3_column_int64 (stmt, 1);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return kl_database_set_error (db, error, _("Reading monthly shipments"));
  return TRUE;
}
