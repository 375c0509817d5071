/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The report engine's reads: rollups grouped by month or region, every
 * account's months, the portfolio's accounts and the agreements in force. */

#include "config.h"

#include <math.h>
#include <glib/gi18n-lib.h>

#include "kl-database-private.h"
#include "kl-database.h"
#include "kl-rollup-query.h"

/* "coalesce(sum(shipments), 0), …" (sum) or "r.shipments, …" in
 * KlRollupColumn order. */
static char *
columns_sql (gboolean sum)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < KL_RC_N; i++)
    g_string_append_printf (s, sum ? "%scoalesce(sum(%s), 0)" : "%sr.%s", i ? ", " : "",
                            kl_rollup_column_name (i));
  return g_string_free (s, FALSE);
}

typedef enum {
  QUERY_MONTHS_ONE,
  QUERY_MONTHS_ALL,
  QUERY_REGIONS_ONE,
  QUERY_REGIONS_ALL,
  QUERY_CUSTOMER_MONTHS,
  N_QUERIES
} Query;

/* Each grouped query's first column is the group (month or region), then
 * the sums; the customer months query gives customer, month, counters. */
static const char *
query_sql (Query q)
{
  static const char *sql[N_QUERIES];

  if (g_once_init_enter (&sql[N_QUERIES - 1]))
    {
      g_autofree char *sums = columns_sql (TRUE);
      g_autofree char *plain = columns_sql (FALSE);

      sql[QUERY_MONTHS_ONE] = g_strdup_printf ("SELECT month, %s FROM rollup_month "
                                               "WHERE month BETWEEN ?1 AND ?2 AND customer_id = ?3 "
                                               "GROUP BY month", sums);
      /* The portfolio reads its own rows (kl-rollup.h): one a month. */
      sql[QUERY_MONTHS_ALL] = g_strdup_printf ("SELECT month, %s FROM rollup_portfolio_month "
                                               "WHERE customer_id = '' AND month BETWEEN ?1 AND ?2 "
                                               "GROUP BY month", sums);
      /* The planner, without statistics, would take the primary key's
       * (side, month) range, which holds every customer's rows. */
      sql[QUERY_REGIONS_ONE] = g_strdup_printf ("SELECT region, %s FROM rollup_month_region "
                                                "INDEXED BY rollup_month_region_customer "
                                                "WHERE month BETWEEN ?1 AND ?2 AND side = ?4 AND customer_id = ?3 "
                                                "GROUP BY region", sums);
      sql[QUERY_REGIONS_ALL] = g_strdup_printf ("SELECT region, %s FROM rollup_portfolio_region "
                                                "WHERE customer_id = '' AND side = ?4 AND month BETWEEN ?1 AND ?2 "
                                                "GROUP BY region", sums);
      /* CROSS JOIN keeps customers as the outer loop, so each account's
       * months are one range of the primary key; left to itself SQLite
       * takes the month index and seeks every row, which is several times
       * slower on a large portfolio. */
      g_once_init_leave (&sql[QUERY_CUSTOMER_MONTHS],
                         g_strdup_printf ("SELECT r.customer_id, r.month, %s "
                                          "FROM customers c CROSS JOIN rollup_month r "
                                          "ON r.customer_id = c.id AND r.month BETWEEN ?1 AND ?2 "
                                          "WHERE c.deleted = 0", plain));
    }
  return sql[q];
}

static void
read_counts (sqlite3_stmt   *stmt,
             int             first_column,
             KlRollupCounts *counts)
{
  for (guint i = 0; i < KL_RC_N; i++)
    counts->v[i] = sqlite3_column_int64 (stmt, first_column + (int) i);
}

/* Resets stmt; TRUE when the steps ended with SQLITE_DONE. */
static gboolean
finish_steps (KlDatabase    *db,
              sqlite3_stmt  *stmt,
              int            rc,
              const char    *what,
              GError       **error)
{
  sqlite3_reset (stmt);
  if (rc == SQLITE_DONE)
    return TRUE;
  return kl_database_set_error (db, error, what);
}

gboolean
kl_rollup_query_months (KlDatabase          *db,
                        const char          *customer_id,
                        int                  from_month,
                        int                  to_month,
                        KlRollupMonthFunc    func,
                        gpointer             user_data,
                        GError             **error)
{
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (KL_IS_DATABASE (db), FALSE);
  g_return_val_if_fail (func != NULL, FALSE);

  stmt = kl_database_prepare (db, query_sql (customer_id ? QUERY_MONTHS_ONE : QUERY_MONTHS_ALL), error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int (stmt, 1, from_month);
  sqlite3_bind_int (stmt, 2, to_month);
  if (customer_id != NULL)
    kl_bind_text (stmt, 3, customer_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      KlRollupCounts counts;

      read_counts (stmt, 1, &counts);
      func (sqlite3_column_int (stmt, 0), &counts, user_data);
    }
  return finish_steps (db, stmt, rc, _("Reading monthly figures"), error);
}

gboolean
kl_rollup_query_regions (KlDatabase          *db,
                         const char          *customer_id,
                         int                  from_month,
                         int                  to_month,
                         KlRegionSide         side,
                         KlRollupRegionFunc   func,
                         gpointer             user_data,
                         GError             **error)
{
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (KL_IS_DATABASE (db), FALSE);
  g_return_val_if_fail (side == KL_REGION_SIDE_ORIGIN || side == KL_REGION_SIDE_DEST, FALSE);
  g_return_val_if_fail (func != NULL, FALSE);

  stmt = kl_database_prepare (db, query_sql (customer_id ? QUERY_REGIONS_ONE : QUERY_REGIONS_ALL), error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int (stmt, 1, from_month);
  sqlite3_bind_int (stmt, 2, to_month);
  if (customer_id != NULL)
    kl_bind_text (stmt, 3, customer_id);
  kl_bind_text (stmt, 4, side == KL_REGION_SIDE_DEST ? "dest" : "origin");
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *region = (const char *) sqlite3_column_text (stmt, 0);
      KlRollupCounts counts;

      read_counts (stmt, 1, &counts);
      func (region != NULL ? region : "", &counts, user_data);
    }
  return finish_steps (db, stmt, rc, _("Reading regional figures"), error);
}

gboolean
kl_rollup_query_customer_months (KlDatabase                *db,
                                 int                        from_month,
                                 int                        to_month,
                                 KlRollupCustomerMonthFunc  func,
                                 gpointer                   user_data,
                                 GError                   **error)
{
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (KL_IS_DATABASE (db), FALSE);
  g_return_val_if_fail (func != NULL, FALSE);

  stmt = kl_database_prepare (db, query_sql (QUERY_CUSTOMER_MONTHS), error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int (stmt, 1, from_month);
  sqlite3_bind_int (stmt, 2, to_month);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      KlRollupCounts counts;

      read_counts (stmt, 2, &counts);
      func ((const char *) sqlite3_column_text (stmt, 0), sqlite3_column_int (stmt, 1),
            &counts, user_data);
    }
  return finish_steps (db, stmt, rc, _("Reading monthly figures"), error);
}

gboolean
kl_rollup_query_customers (KlDatabase           *db,
                           KlRollupCustomerFunc  func,
                           gpointer              user_data,
                           GError              **error)
{
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (KL_IS_DATABASE (db), FALSE);
  g_return_val_if_fail (func != NULL, FALSE);

  stmt = kl_database_prepare (db,
                              "SELECT id, code, name, region, status, abc_class, abc_override "
                              "FROM customers WHERE deleted = 0",
                              error);
  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      KlRollupCustomer c = { 0 };
      KlAbcClass computed = KL_ABC_NONE, override = KL_ABC_NONE;
      const char *text;

      c.id = (const char *) sqlite3_column_text (stmt, 0);
      c.code = (const char *) sqlite3_column_text (stmt, 1);
      c.name = (const char *) sqlite3_column_text (stmt, 2);
      c.region = (const char *) sqlite3_column_text (stmt, 3);
      if (c.region != NULL && *c.region == '\0')
        c.region = NULL;
      c.status = KL_CUSTOMER_STATUS_ACTIVE;
      kl_customer_status_from_string ((const char *) sqlite3_column_text (stmt, 4), &c.status);
      if ((text = (const char *) sqlite3_column_text (stmt, 5)) != NULL)
        kl_abc_class_from_string (text, &computed);
      if ((text = (const char *) sqlite3_column_text (stmt, 6)) != NULL)
        kl_abc_class_from_string (text, &override);
      c.abc_class = override != KL_ABC_NONE ? override : computed;
      func (&c, user_data);
    }
  return finish_steps (db, stmt, rc, _("Reading customers"), error);
}

gboolean
kl_rollup_query_agreements_in_force (KlDatabase             *db,
                                     const char             *date,
                                     KlRollupAgreementFunc   func,
                                     gpointer                user_data,
                                     GError                **error)
{
  sqlite3_stmt *stmt;
  g_autofree char *previous = NULL;
  int rc;

  g_return_val_if_fail (KL_IS_DATABASE (db), FALSE);
  g_return_val_if_fail (date != NULL, FALSE);
  g_return_val_if_fail (func != NULL, FALSE);

  stmt = kl_database_prepare (db,
                              "SELECT customer_id, target_dispatch_on_time, target_arrival_on_time, "
                              "target_document_accuracy, target_order_accuracy, target_damage, "
                              "target_shortage, target_incident, target_otif "
                              "FROM agreements WHERE effective_from <= ?1 "
                              "AND (effective_to IS NULL OR effective_to >= ?1) "
                              "ORDER BY customer_id, effective_from DESC",
                              error);
  if (stmt == NULL)
    return FALSE;
  kl_bind_text (stmt, 1, date);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *id = (const char *) sqlite3_column_text (stmt, 0);
      g_autoptr(KlAgreement) agreement = NULL;

      if (g_strcmp0 (id, previous) == 0)   /* an older one of the same customer */
        continue;
      g_free (previous);
      previous = g_strdup (id);

      agreement = kl_agreement_new ();
      agreement->customer_id = g_strdup (id);
      for (guint i = 0; i < KL_N_RATES; i++)
        agreement->targets[i] = sqlite3_column_type (stmt, 1 + (int) i) == SQLITE_NULL
                                ? NAN : sqlite3_column_double (stmt, 1 + (int) i);
      func (agreement, user_data);
    }
  return finish_steps (db, stmt, rc, _("Reading service agreements"), error);
}
