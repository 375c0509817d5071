/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Numbers as printed and shown on screen (docs/kpi.md): percentages
 * with one decimal rounded half away from zero, "—" for a missing rate,
 * signed deltas, counts with digit grouping. All return newly allocated
 * UTF-8 strings. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The text of a missing value: "—" (U+2014). */
#define KL_FORMAT_MISSING "\u2014"

/* value rounded half away from zero to `decimals` places (0–6) as a
 * decimal string with '.' and no grouping; "-" for negatives. The half is
 * judged after scaling with a tolerance of 1e-9 (see kl-format.c). */
char *kl_format_fixed          (double value, int decimals);
/* A rate (fraction) as a percentage: 0.9535 → "95.4%"; NAN → "—". */
char *kl_format_percent        (double rate);
/* A difference in percentage points, signed: "+1.2 pp", "−0.4 pp", "0.0 pp";
 * NAN → "—". */
char *kl_format_pp_delta       (double pp);
/* The same in a report's language ("zh_CN", "en"), whatever the UI's. */
char *kl_format_pp_delta_in    (const char *language, double pp);
/* A change in percent, signed: "+12.5%", "−3.0%"; NAN → "—". */
char *kl_format_percent_delta  (double percent);
/* A whole number with digit grouping: 1234567 → "1,234,567". */
char *kl_format_count          (gint64 count);
/* A decimal with grouping and `decimals` places: 12345.678, 1 → "12,345.7". */
char *kl_format_decimal        (double value, int decimals);
/* A double that reads back as the same double (shortest of %.15g–%.17g),
 * in the C locale: for CSV cells. NAN → "". */
char *kl_format_double_exact   (double value);

G_END_DECLS
