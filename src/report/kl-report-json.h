/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The JSON export of a report: exactly the object of docs/kpi.md. */
#pragma once

#include <json-glib/json-glib.h>
#include "kl-report-model.h"
#include "kl-kpi.h"

G_BEGIN_DECLS

/* The report as one JSON object (pretty-printed, UTF-8, ends with '\n'). */
char     *kl_report_to_json        (const KlReportModel *model);

G_END_DECLS
