/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Report periods of docs/kpi.md: a calendar month ("2026-10"), quarter
 * ("2026-Q3" = Jul–Sep) or year ("2026"), and the month arithmetic reports
 * need. Months are yyyymm integers as the rollup tables store them. */
#pragma once

#include <glib-object.h>
#include "kl-report-types.h"

G_BEGIN_DECLS

typedef enum {
  KL_PERIOD_MONTH,
  KL_PERIOD_QUARTER,
  KL_PERIOD_YEAR,
} KlPeriodKind;

struct _KlPeriod {
  KlPeriodKind kind;
  int          year;
  int          index;   /* month 1–12, quarter 1–4, 0 for a year */
};

/* Years a period may have; outside them parsing fails. The same span as an
 * imported timestamp's (docs/import.md), so every month of every
 * period has a start and an end GDateTime can represent. */
#define KL_PERIOD_MIN_YEAR 2000
#define KL_PERIOD_MAX_YEAR 2099

#define KL_TYPE_PERIOD (kl_period_get_type ())
GType        kl_period_get_type        (void) G_GNUC_CONST;

KlPeriod    *kl_period_new_month       (int year, int month);
KlPeriod    *kl_period_new_quarter     (int year, int quarter);
KlPeriod    *kl_period_new_year        (int year);
/* The period of a yyyymm month. */
KlPeriod    *kl_period_new_for_month   (int yyyymm);
/* "2026-10", "2026-Q3" (or "2026-q3") or "2026"; anything else sets a
 * KL_REPORT_ERROR_BAD_PERIOD error naming the text and the accepted forms. */
KlPeriod    *kl_period_parse           (const char *text, GError **error);
KlPeriod    *kl_period_copy            (const KlPeriod *self);
void         kl_period_free            (KlPeriod *self);
gboolean     kl_period_equal           (const KlPeriod *a, const KlPeriod *b);

/* "month", "quarter" or "year" (the JSON token). */
const char  *kl_period_kind_to_string  (KlPeriodKind kind);
/* The stable label: "2026-10", "2026-Q3", "2026" (what parse accepts). */
char        *kl_period_to_label        (const KlPeriod *self);
/* For people, translated: "October 2026", "Q3 2026", "2026". */
char        *kl_period_to_display      (const KlPeriod *self);

/* First and last month of the period as yyyymm, and how many months. */
int          kl_period_first_month     (const KlPeriod *self);
int          kl_period_last_month      (const KlPeriod *self);
int          kl_period_n_months        (const KlPeriod *self);

/* First and last calendar day, "YYYY-MM-DD". */
char        *kl_period_start_date      (const KlPeriod *self);
char        *kl_period_end_date        (const KlPeriod *self);
/* The period as instants in tz: [*out_start, *out_end) in Unix seconds
 * (local midnight of the first day to local midnight after the last). */
void         kl_period_get_bounds      (const KlPeriod *self,
                                        GTimeZone      *tz,
                                        gint64         *out_start,
                                        gint64         *out_end);

/* The period just before (2026-01 → 2025-12, 2026-Q1 → 2025-Q4, 2026 → 2025)
 * and the same period one year earlier. */
KlPeriod    *kl_period_previous        (const KlPeriod *self);
KlPeriod    *kl_period_year_ago        (const KlPeriod *self);
/* The twelve months ending with the period's last month, as yyyymm:
 * *out_first is eleven months before *out_last. */
void         kl_period_trailing_twelve (const KlPeriod *self,
                                        int            *out_first,
                                        int            *out_last);

/* yyyymm arithmetic and labels ("2026-10"). */
int          kl_month_add              (int yyyymm, int months);
char        *kl_month_to_label         (int yyyymm);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KlPeriod, kl_period_free)

G_END_DECLS
