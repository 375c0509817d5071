/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The JSON export of a report: exactly the object of docs/kpi.md. */
#pragma once

#include <json-glib/json-glib.h>
#include "kl-report-model.h"
#include "kl-kpi.h"

G_BEGIN_DECLS

/* The report as one JSON object (pretty-printed, UTF-8, ends with '\n'). */
char     *kl_report_to_json        (const KlReportModel *model);
/* The same as a node, for callers that embed it (a batch of reports). */
JsonNode *kl_report_to_json_node   (const KlReportModel *model);
/* Adds every figure key of docs/kpi.md to the open object of builder:
 * counts as integers (weight_kg and volume_m3 as numbers), rates with full
 * double precision, missing rates as null. */
void      kl_kpi_figures_add_to_json (const KlKpiFigures *figures, JsonBuilder *builder);

G_END_DECLS
