/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The claims figures of a report (docs/kpi.md, "Claims in a period").
 * kl_report_claims_fill reads them from the claim store. */
#pragma once

#include <glib-object.h>
#include "kl-database.h"
#include "kl-report-types.h"
#include "kl-period.h"

G_BEGIN_DECLS

/* An amount in integer minor units of one ISO 4217 currency. */
struct _KlReportMoney {
  char   *currency;
  gint64  amount;
};

struct _KlReportClaims {
  gint64     opened;              /* filed in the period */
  gint64     closed;              /* closed in the period */
  gint64     open_at_end;         /* still open when the period ends */
  gint64     overdue_at_end;      /* open past a deadline when the period ends */
  GPtrArray *claimed;             /* KlReportMoney, one per currency, sorted by currency */
  GPtrArray *settled;             /* KlReportMoney, likewise */
  double     mean_days_to_close;  /* over the claims closed in the period; NAN when none */
};

void     kl_report_claims_init  (KlReportClaims *claims);
void     kl_report_claims_clear (KlReportClaims *claims);
void     kl_report_claims_copy_into (KlReportClaims *dest, const KlReportClaims *src);
/* Fills claims for a customer (customer_id NULL: every customer) and period;
 * tz is the workspace zone that turns the period into instants
 * (kl_period_get_bounds). claims comes initialised and empty. */
gboolean kl_report_claims_fill  (KlDatabase      *db,
                                 const char      *customer_id,
                                 const KlPeriod  *period,
                                 GTimeZone       *tz,
                                 KlReportClaims  *claims,
                                 GError         **error);

G_END_DECLS
