/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Claims figures of a report. */

#include "config.h"

#include <math.h>

#include "kl-report-claims.h"
#include "kl-claim-store.h"

static void
money_free (gpointer data)
{
  KlReportMoney *m = data;

  g_free (m->currency);
  g_free (m);
}

void
kl_report_claims_init (KlReportClaims *c)
{
  g_return_if_fail (c != NULL);

  memset (c, 0, sizeof *c);
  c->claimed = g_ptr_array_new_with_free_func (money_free);
  c->settled = g_ptr_array_new_with_free_func (money_free);
  c->mean_days_to_close = NAN;
}

void
kl_report_claims_clear (KlReportClaims *c)
{
  g_return_if_fail (c != NULL);

  g_clear_pointer (&c->claimed, g_ptr_array_unref);
  g_clear_pointer (&c->settled, g_ptr_array_unref);
}

/* Adds amount to the currency's entry of list (KlReportMoney), keeping it
 * sorted by currency. */
static void
kl_report_money_add (GPtrArray  *list,
                     const char *currency,
                     gint64      amount)
{
  KlReportMoney *m;
  guint i;

  g_return_if_fail (list != NULL && currency != NULL);

  for (i = 0; i < list->len; i++)
    {
      int cmp;

      m = g_ptr_array_index (list, i);
      cmp = strcmp (m->currency, currency);
      if (cmp == 0)
        {
          m->amount += amount;
          return;
        }
      if (cmp > 0)
        break;
    }
  m = g_new0 (KlReportMoney, 1);
  m->currency = g_strdup (currency);
  m->amount = amount;
  g_ptr_array_insert (list, (int) i, m);
}

void
kl_report_claims_copy_into (KlReportClaims       *dest,
                            const KlReportClaims *src)
{
  g_return_if_fail (dest != NULL && src != NULL);

  kl_report_claims_init (dest);
  dest->opened = src->opened;
  dest->closed = src->closed;
  dest->open_at_end = src->open_at_end;
  dest->overdue_at_end = src->overdue_at_end;
  dest->mean_days_to_close = src->mean_days_to_close;
  for (guint i = 0; src->claimed != NULL && i < src->claimed->len; i++)
    {
      const KlReportMoney *m = g_ptr_array_index (src->claimed, i);
      kl_report_money_add (dest->claimed, m->currency, m->amount);
    }
  for (guint i = 0; src->settled != NULL && i < src->settled->len; i++)
    {
      const KlReportMoney *m = g_ptr_array_index (src->settled, i);
      kl_report_money_add (dest->settled, m->currency, m->amount);
    }
}

/* The figures come from the claim store, which reads them from the cases'
 * history so they do not change with the day they are asked; [start, end)
 * is the period in the workspace zone. customer_id NULL: every customer. */
gboolean
kl_report_claims_fill (KlDatabase      *db,
                       const char      *customer_id,
                       const KlPeriod  *period,
                       GTimeZone       *tz,
                       KlReportClaims  *claims,
                       GError         **error)
{
  g_return_val_if_fail (KL_IS_DATABASE (db), FALSE);
  g_return_val_if_fail (period != NULL && tz != NULL && claims != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  g_autoptr(KlClaimPeriodSummary) summary = NULL;
  gint64 start, end;

  kl_period_get_bounds (period, tz, &start, &end);
  summary = kl_claim_store_period_summary (db, customer_id, start, end, error);
  if (summary == NULL)
    return FALSE;

  claims->opened = summary->opened;
  claims->closed = summary->closed;
  claims->open_at_end = summary->open_at_end;
  claims->overdue_at_end = summary->overdue_at_end;
  for (guint i = 0; summary->claimed != NULL && i < summary->claimed->len; i++)
    {
      const KlClaimMoney *money = &g_array_index (summary->claimed, KlClaimMoney, i);

      kl_report_money_add (claims->claimed, money->currency, money->amount_minor);
    }
  for (guint i = 0; summary->settled != NULL && i < summary->settled->len; i++)
    {
      const KlClaimMoney *money = &g_array_index (summary->settled, KlClaimMoney, i);

      kl_report_money_add (claims->settled, money->currency, money->amount_minor);
    }
  claims->mean_days_to_close = summary->mean_days_to_close;
  return TRUE;
}
