/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Forward declarations and the error domain of the report layer (KPI engine
 * and report documents, built from core rollups; no GTK). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _KlPeriod        KlPeriod;
typedef struct _KlKpiFigures    KlKpiFigures;
typedef struct _KlKpiTarget     KlKpiTarget;
typedef struct _KlKpiDeltas     KlKpiDeltas;
typedef struct _KlReportRow     KlReportRow;
typedef struct _KlReportMoney   KlReportMoney;
typedef struct _KlReportClaims  KlReportClaims;
typedef struct _KlReportModel   KlReportModel;

#define KL_REPORT_ERROR (kl_report_error_quark ())

typedef enum {
  KL_REPORT_ERROR_BAD_PERIOD,    /* a period text that is not 2026-10, 2026-Q3 or 2026 */
  KL_REPORT_ERROR_NO_CUSTOMER,   /* no (undeleted) customer has the code */
} KlReportError;

GQuark kl_report_error_quark (void);

G_END_DECLS
