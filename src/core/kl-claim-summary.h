/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The claims figures of a period, for reports: read from history so they
 * do not change with the day they are asked. */
#pragma once

#include <glib.h>

#include "kl-database.h"

G_BEGIN_DECLS

/* A sum of money in one currency. */
typedef struct {
  char   currency[4];
  gint64 amount_minor;
} KlClaimMoney;

/* Claims figures of a period [start, end), read from history so they do
 * not change with the day they are asked. */
typedef struct {
  guint   opened;              /* filed in the period */
  guint   closed;              /* moved to closed in the period (last closing counts) */
  guint   open_at_end;         /* filed before end, not closed/withdrawn/rejected/cancelled at end */
  guint   overdue_at_end;      /* of those, past a deadline at the end instant */
  GArray *claimed;             /* KlClaimMoney: claimed amounts of the cases filed in the period */
  GArray *settled;             /* KlClaimMoney: paid amounts of the cases paid in the period */
  double  mean_days_to_close;  /* filing → closing of the closed ones; NAN when none */
} KlClaimPeriodSummary;

void       kl_claim_period_summary_free (KlClaimPeriodSummary *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KlClaimPeriodSummary, kl_claim_period_summary_free)

KlClaimPeriodSummary *kl_claim_store_period_summary (KlDatabase  *db,
                                                     const char  *customer_id,
                                                     gint64       start,
                                                     gint64       end,
                                                     GError     **error);

G_END_DECLS
