/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Parsing and arithmetic of report periods (docs/kpi.md). */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "kl-csv.h"
#include "kl-period.h"

G_DEFINE_BOXED_TYPE (KlPeriod, kl_period, kl_period_copy, kl_period_free)

G_DEFINE_QUARK (kl-report-error-quark, kl_report_error)

static KlPeriod *
period_new (KlPeriodKind kind, int year, int index)
{
  KlPeriod *p = g_new0 (KlPeriod, 1);

  p->kind = kind;
  p->year = year;
  p->index = index;
  return p;
}

KlPeriod *
kl_period_new_month (int year, int month)
{
  g_return_val_if_fail (month >= 1 && month <= 12, NULL);
  return period_new (KL_PERIOD_MONTH, year, month);
}

KlPeriod *
kl_period_new_quarter (int year, int quarter)
{
  g_return_val_if_fail (quarter >= 1 && quarter <= 4, NULL);
  return period_new (KL_PERIOD_QUARTER, year, quarter);
}

KlPeriod *
kl_period_new_year (int year)
{
  return period_new (KL_PERIOD_YEAR, year, 0);
}

KlPeriod *
kl_period_new_for_month (int yyyymm)
{
  return kl_period_new_month (yyyymm / 100, yyyymm % 100);
}

KlPeriod *
kl_period_copy (const KlPeriod *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return g_memdup2 (self, sizeof *self);
}

void
kl_period_free (KlPeriod *self)
{
  g_free (self);
}

gboolean
kl_period_equal (const KlPeriod *a, const KlPeriod *b)
{
  g_return_val_if_fail (a != NULL && b != NULL, FALSE);
  return a->kind == b->kind && a->year == b->year && a->index == b->index;
}

/* Reads exactly n ASCII digits. */
static gboolean
read_digits (const char **p, int n, int *out)
{
  int v = 0;

  for (int i = 0; i < n; i++)
    {
      if (!g_ascii_isdigit ((*p)[i]))
        return FALSE;
      v = v * 10 + ((*p)[i] - '0');
    }
  *p += n;
  *out = v;
  return TRUE;
}

KlPeriod *
kl_period_parse (const char  *text,
                 GError     **error)
{
  const char *p = text;
  g_autofree char *shown = NULL;
  int year, n;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (p == NULL || !read_digits (&p, 4, &year) ||
      year < KL_PERIOD_MIN_YEAR || year > KL_PERIOD_MAX_YEAR)
    goto bad;
  if (*p == '\0')
    return kl_period_new_year (year);
  if (*p++ != '-')
    goto bad;
  if (*p == 'Q' || *p == 'q')
    {
      p++;
      if (!read_digits (&p, 1, &n) || n < 1 || n > 4 || *p != '\0')
        goto bad;
      return kl_period_new_quarter (year, n);
    }
  if (!read_digits (&p, 2, &n) || n < 1 || n > 12 || *p != '\0')
    goto bad;
  return kl_period_new_month (year, n);

bad:
  /* One line, and not the whole of a long argument. */
  shown = kl_csv_escape (text, 60);
  g_set_error (error, KL_REPORT_ERROR, KL_REPORT_ERROR_BAD_PERIOD,
               /* Translators: the period forms are literal input; keep them as they are. */
               _("“%s” is not a report period; write a month as 2026-10, a quarter as 2026-Q3 or a year as 2026, "
                 "in the years 2000 to 2099"),
               shown);
  return NULL;
}

const char *
kl_period_kind_to_string (KlPeriodKind kind)
{
  switch (kind)
    {
    case KL_PERIOD_MONTH:
      return "month";
    case KL_PERIOD_QUARTER:
      return "quarter";
    case KL_PERIOD_YEAR:
      return "year";
    default:
      g_return_val_if_reached ("month");
    }
}

char *
kl_period_to_label (const KlPeriod *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  switch (self->kind)
    {
    case KL_PERIOD_MONTH:
      return g_strdup_printf ("%04d-%02d", self->year, self->index);
    case KL_PERIOD_QUARTER:
      return g_strdup_printf ("%04d-Q%d", self->year, self->index);
    case KL_PERIOD_YEAR:
    default:
      return g_strdup_printf ("%04d", self->year);
    }
}

char *
kl_period_to_display (const KlPeriod *self)
{
  static const char * const month_names[12] = {
    N_("January"), N_("February"), N_("March"), N_("April"), N_("May"), N_("June"),
    N_("July"), N_("August"), N_("September"), N_("October"), N_("November"), N_("December"),
  };

  g_return_val_if_fail (self != NULL, NULL);

  switch (self->kind)
    {
    case KL_PERIOD_MONTH:
      /* Translators: a report month, "October 2026"; %1$s is the month name, %2$d the year. */
      return g_strdup_printf (_("%1$s %2$d"), _(month_names[self->index - 1]), self->year);
    case KL_PERIOD_QUARTER:
      /* Translators: a report quarter, "Q3 2026"; %1$d is the quarter, %2$d the year. */
      return g_strdup_printf (_("Q%1$d %2$d"), self->index, self->year);
    case KL_PERIOD_YEAR:
    default:
      return g_strdup_printf ("%d", self->year);
    }
}

int
kl_period_first_month (const KlPeriod *self)
{
  g_return_val_if_fail (self != NULL, 0);

  switch (self->kind)
    {
    case KL_PERIOD_MONTH:
      return self->year * 100 + self->index;
    case KL_PERIOD_QUARTER:
      return self->year * 100 + (self->index - 1) * 3 + 1;
    case KL_PERIOD_YEAR:
    default:
      return self->year * 100 + 1;
    }
}

int
kl_period_n_months (const KlPeriod *self)
{
  g_return_val_if_fail (self != NULL, 0);

  switch (self->kind)
    {
    case KL_PERIOD_MONTH:
      return 1;
    case KL_PERIOD_QUARTER:
      return 3;
    case KL_PERIOD_YEAR:
    default:
      return 12;
    }
}

int
kl_period_last_month (const KlPeriod *self)
{
  return kl_month_add (kl_period_first_month (self), kl_period_n_months (self) - 1);
}

char *
kl_period_start_date (const KlPeriod *self)
{
  int first = kl_period_first_month (self);

  return g_strdup_printf ("%04d-%02d-01", first / 100, first % 100);
}

char *
kl_period_end_date (const KlPeriod *self)
{
  int last = kl_period_last_month (self);
  int days = g_date_get_days_in_month ((GDateMonth) (last % 100), (GDateYear) (last / 100));

  return g_strdup_printf ("%04d-%02d-%02d", last / 100, last % 100, days);
}

static gint64
local_midnight (GTimeZone *tz, int yyyymm)
{
  g_autoptr(GDateTime) dt = NULL;

  /* The end of KL_PERIOD_MAX_YEAR is past what GDateTime holds: take the
   * day before, a day later. */
  if (yyyymm / 100 > 9999)
    {
      dt = g_date_time_new (tz, 9999, 12, 31, 0, 0, 0);
      g_return_val_if_fail (dt != NULL, 0);
      return g_date_time_to_unix (dt) + 24 * 60 * 60;
    }
  dt = g_date_time_new (tz, yyyymm / 100, yyyymm % 100, 1, 0, 0, 0);
  g_return_val_if_fail (dt != NULL, 0);
  return g_date_time_to_unix (dt);
}

void
kl_period_get_bounds (const KlPeriod *self,
                      GTimeZone      *tz,
                      gint64         *out_start,
                      gint64         *out_end)
{
  g_return_if_fail (self != NULL && tz != NULL);

  if (out_start != NULL)
    *out_start = local_midnight (tz, kl_period_first_month (self));
  if (out_end != NULL)
    *out_end = local_midnight (tz, kl_month_add (kl_period_last_month (self), 1));
}

KlPeriod *
kl_period_previous (const KlPeriod *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  switch (self->kind)
    {
    case KL_PERIOD_MONTH:
      return kl_period_new_for_month (kl_month_add (kl_period_first_month (self), -1));
    case KL_PERIOD_QUARTER:
      return self->index == 1 ? kl_period_new_quarter (self->year - 1, 4)
                              : kl_period_new_quarter (self->year, self->index - 1);
    case KL_PERIOD_YEAR:
    default:
      return kl_period_new_year (self->year - 1);
    }
}

KlPeriod *
kl_period_year_ago (const KlPeriod *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return period_new (self->kind, self->year - 1, self->index);
}

void
kl_period_trailing_twelve (const KlPeriod *self,
                           int            *out_first,
                           int            *out_last)
{
  int last = kl_period_last_month (self);

  if (out_last != NULL)
    *out_last = last;
  if (out_first != NULL)
    *out_first = kl_month_add (last, -11);
}

int
kl_month_add (int yyyymm, int months)
{
  /* Months since year 0, so negative steps need no special case. */
  int n = (yyyymm / 100) * 12 + (yyyymm % 100 - 1) + months;

  return (n / 12) * 100 + n % 12 + 1;
}

char *
kl_month_to_label (int yyyymm)
{
  return g_strdup_printf ("%04d-%02d", yyyymm / 100, yyyymm % 100);
}
