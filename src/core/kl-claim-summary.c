/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The claims figures of a period for reports, read from the cases' history
 * as it stood at the period's end. */

#include "config.h"

#include <math.h>
#include <string.h>
#include <glib/gi18n-lib.h>

#include "kl-database-private.h"
#include "kl-claim-store-private.h"
#include "kl-records.h"

static gboolean
is_terminal_for_report (KlClaimStatus status)
{
  return status == KL_CLAIM_STATUS_CLOSED || status == KL_CLAIM_STATUS_WITHDRAWN ||
         status == KL_CLAIM_STATUS_REJECTED || status == KL_CLAIM_STATUS_CANCELLED;
}

void
kl_claim_period_summary_free (KlClaimPeriodSummary *self)
{
  if (self == NULL)
    return;
  g_clear_pointer (&self->claimed, g_array_unref);
  g_clear_pointer (&self->settled, g_array_unref);
  g_free (self);
}

static void
money_add (GArray     *sums,
           const char *currency,
           gint64      amount)
{
  KlClaimMoney m = { { 0 }, 0 };

  if (currency == NULL)
    return;
  for (guint i = 0; i < sums->len; i++)
    {
      KlClaimMoney *s = &g_array_index (sums, KlClaimMoney, i);

      if (strcmp (s->currency, currency) == 0)
        {
          s->amount_minor += amount;
          return;
        }
    }
  g_strlcpy (m.currency, currency, sizeof m.currency);
  m.amount_minor = amount;
  g_array_append_val (sums, m);
}

static int
compare_money (gconstpointer a, gconstpointer b)
{
  return strcmp (((const KlClaimMoney *) a)->currency, ((const KlClaimMoney *) b)->currency);
}

/* The status of a case and its last client update as they stood just before
 * `end`, from history and notes. */
static gboolean
state_at (KlDatabase     *db,
          const KlClaim  *c,
          gint64          end,
          KlClaimStatus  *out_status,
          gint64         *out_last_update,
          GError        **error)
{
  sqlite3_stmt *stmt;
  g_autofree char *status = NULL;
  gint64 last_move = KL_NO_TIME;
  int rc;

  stmt = kl_database_prepare (db,
                              "SELECT new_value, at, (SELECT count(*) FROM claim_history h2 "
                              "  WHERE h2.claim_id = ?1 AND h2.field = 'status' AND h2.at < ?2 AND h2.old_value IS NOT NULL) "
                              "FROM claim_history WHERE claim_id = ?1 AND field = 'status' AND at < ?2 "
                              "ORDER BY at DESC, seq DESC LIMIT 1", error);
  if (stmt == NULL)
    return FALSE;
  kl_bind_text (stmt, 1, c->id);
  sqlite3_bind_int64 (stmt, 2, end);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      status = kl_column_dup_text (stmt, 0);
      if (sqlite3_column_int64 (stmt, 2) > 0)
        last_move = sqlite3_column_int64 (stmt, 1);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return kl_database_set_error (db, error, _("Reading a claim’s history"));
  if (status == NULL || !kl_claim_status_from_string (status, out_status))
    *out_status = c->status;

  stmt = kl_database_prepare (db,
                              "SELECT max(at) FROM claim_notes WHERE claim_id = ? AND visibility = 'client' AND at < ?",
                              error);
  if (stmt == NULL)
    return FALSE;
  kl_bind_text (stmt, 1, c->id);
  sqlite3_bind_int64 (stmt, 2, end);
  rc = sqlite3_step (stmt);
  *out_last_update = last_move;
  if (rc == SQLITE_ROW && sqlite3_column_type (stmt, 0) != SQLITE_NULL)
    {
      gint64 note_at = sqlite3_column_int64 (stmt, 0);

      if (last_move == KL_NO_TIME || note_at > last_move)
        *out_last_update = note_at;
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW)
    return kl_database_set_error (db, error, _("Reading a claim’s notes"));
  return TRUE;
}

/* The last move to closed in [start, end), or KL_NO_TIME. */
static gboolean
closed_in (KlDatabase  *db,
           const char  *id,
           gint64       start,
           gint64       end,
           gint64      *out_at,
           GError     **error)
{
  sqlite3_stmt *stmt;
  int rc;

  stmt = kl_database_prepare (db,
                              "SELECT max(at) FROM claim_history WHERE claim_id = ? AND field = 'status' "
                              "AND new_value = ? AND at >= ? AND at < ?", error);
  if (stmt == NULL)
    return FALSE;
  kl_bind_text (stmt, 1, id);
  kl_bind_text (stmt, 2, kl_claim_status_to_string (KL_CLAIM_STATUS_CLOSED));
  sqlite3_bind_int64 (stmt, 3, start);
  sqlite3_bind_int64 (stmt, 4, end);
  rc = sqlite3_step (stmt);
  *out_at = rc == SQLITE_ROW ? kl_column_time (stmt, 0) : KL_NO_TIME;
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW)
    return kl_database_set_error (db, error, _("Reading a claim’s history"));
  return TRUE;
}

KlClaimPeriodSummary *
kl_claim_store_period_summary (KlDatabase  *db,
                               const char  *customer_id,
                               gint64       start,
                               gint64       end,
                               GError     **error)
{
  g_autoptr(KlClaimPeriodSummary) s = g_new0 (KlClaimPeriodSummary, 1);
  g_autoptr(GPtrArray) claims = NULL;
  KlClaimFilter filter = KL_CLAIM_FILTER_INIT;
  double days_sum = 0;

  g_return_val_if_fail (KL_IS_DATABASE (db), NULL);

  s->claimed = g_array_new (FALSE, TRUE, sizeof (KlClaimMoney));
  s->settled = g_array_new (FALSE, TRUE, sizeof (KlClaimMoney));
  s->mean_days_to_close = NAN;

  filter.customer_id = customer_id;
  claims = kl_claim_store_list (db, &filter, end, error);
  if (claims == NULL)
    return NULL;

  for (guint i = 0; i < claims->len; i++)
    {
      KlClaim *c = g_ptr_array_index (claims, i);
      KlClaimStatus status;
      gint64 last_update = KL_NO_TIME, closed_at = KL_NO_TIME;

      if (c->filed_at == KL_NO_TIME || c->filed_at >= end)
        continue;
      if (c->filed_at >= start)
        {
          s->opened++;
          if (c->claimed_set)
            money_add (s->claimed, c->currency, c->claimed);
        }
      if (c->paid_set && c->paid_at != KL_NO_TIME && c->paid_at >= start && c->paid_at < end)
        money_add (s->settled, c->currency, c->paid);

      if (!closed_in (db, c->id, start, end, &closed_at, error))
        return NULL;
      if (closed_at != KL_NO_TIME)
        {
          s->closed++;
          days_sum += (double) (closed_at - c->filed_at) / 86400.0;
        }

      if (!state_at (db, c, end, &status, &last_update, error))
        return NULL;
      if (status != KL_CLAIM_STATUS_DRAFT && !is_terminal_for_report (status))
        {
          KlClaimDeadlineInput in;

          s->open_at_end++;
          _kl_claim_deadline_input (c, status, last_update, &in);
          if (kl_claim_is_overdue (&in, kl_database_get_timezone (db), end))
            s->overdue_at_end++;
        }
    }
  if (s->closed > 0)
    s->mean_days_to_close = days_sum / s->closed;
  g_array_sort (s->claimed, compare_money);
  g_array_sort (s->settled, compare_money);
  return g_steal_pointer (&s);
}

