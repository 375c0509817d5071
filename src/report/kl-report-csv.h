/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The CSV export of a report: one table a spreadsheet opens as is. */
#pragma once

#include "kl-report-model.h"

G_BEGIN_DECLS

/* RFC 4180 text (CRLF line ends, UTF-8 without BOM) with a header line
 *
 *   section,name,shipments,pieces,weight_kg,…,incidents,dispatch_on_time_rate,…,otif_rate
 *
 * then one row per figure set, columns as in docs/kpi.md:
 *
 *   period              the report period ("2026-Q3")
 *   target              the agreement's targets in the rate columns, other cells
 *                       empty (only when the customer has an agreement in force)
 *   previous            the period before ("2026-Q2")
 *   year_ago            the same period a year earlier ("2025-Q3")
 *   month               one per month of a quarter or year ("2026-07")
 *   destination_region  one per region, shipments descending then region;
 *   origin_region       an empty name is a shipment that gave no region
 *   comments            the KAM's comments on the period, in the name column,
 *                       every figure cell empty (only when there are some)
 *   goals               the goals for the next period, likewise
 *   client_note         one per client note of the customer's cases in the
 *                       period ("CLM-2026-000012: text"), likewise
 *
 * Counts are integers; weight_kg has three decimals and volume_m3 six (exact,
 * from grams and cm³); rates are fractions (0.95) written so they read back
 * as the same double; a missing rate is an empty cell. */
char *kl_report_to_csv (const KlReportModel *model);

G_END_DECLS
