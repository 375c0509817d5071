/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The report period parser: any text as `--period`, and for each period it
 * accepts, everything a report then asks of it, with the promises checked:
 * the label parses back to the same period, months run first to last, the
 * bounds are in order, and the neighbours are periods again. */
#include <string.h>

#include "kl-period.h"
#include "kl-report-types.h"
#include "kl-fuzz.h"

static void
exercise (const KlPeriod *period,
          GTimeZone      *tz,
          guint           depth)
{
  g_autofree char *label = kl_period_to_label (period);
  g_autofree char *display = kl_period_to_display (period);
  g_autofree char *start = kl_period_start_date (period);
  g_autofree char *end = kl_period_end_date (period);
  g_autoptr(KlPeriod) again = NULL;
  g_autoptr(GError) error = NULL;
  int first = kl_period_first_month (period);
  int last = kl_period_last_month (period);
  int n = kl_period_n_months (period);
  int t_first = 0, t_last = 0;
  gint64 from = 0, to = 0;

  KL_FUZZ_CHECK (label != NULL && display != NULL && start != NULL && end != NULL);
  KL_FUZZ_CHECK (g_utf8_validate (display, -1, NULL));
  again = kl_period_parse (label, &error);
  KL_FUZZ_CHECK (again != NULL && error == NULL);
  KL_FUZZ_CHECK (kl_period_equal (period, again));

  KL_FUZZ_CHECK (first <= last);
  KL_FUZZ_CHECK (n == 1 || n == 3 || n == 12);
  KL_FUZZ_CHECK (kl_month_add (first, n - 1) == last);
  KL_FUZZ_CHECK (kl_month_add (last, 1) > last && kl_month_add (first, -1) < first);
  KL_FUZZ_CHECK (strlen (start) == 10 && strlen (end) == 10 && strcmp (start, end) < 0);

  kl_period_get_bounds (period, tz, &from, &to);
  KL_FUZZ_CHECK (from < to);

  kl_period_trailing_twelve (period, &t_first, &t_last);
  KL_FUZZ_CHECK (t_last == last && kl_month_add (t_first, 11) == t_last);

  if (depth == 0)
    {
      g_autoptr(KlPeriod) previous = kl_period_previous (period);
      g_autoptr(KlPeriod) year_ago = kl_period_year_ago (period);

      /* Neighbours may fall before the first year a period may have;
       * those come back as NULL or as periods that still hold together. */
      if (previous != NULL && previous->year >= KL_PERIOD_MIN_YEAR)
        exercise (previous, tz, depth + 1);
      if (year_ago != NULL && year_ago->year >= KL_PERIOD_MIN_YEAR)
        exercise (year_ago, tz, depth + 1);
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  static GTimeZone *zones[3];
  g_autofree char *text = NULL;
  g_autoptr(KlPeriod) period = NULL;
  g_autoptr(GError) error = NULL;

  kl_fuzz_init ();
  if (zones[0] == NULL)
    {
      zones[0] = g_time_zone_new_utc ();
      zones[1] = g_time_zone_new_identifier ("Asia/Shanghai");
      zones[2] = g_time_zone_new_identifier ("Pacific/Kiritimati");
      for (guint i = 1; i < G_N_ELEMENTS (zones); i++)
        if (zones[i] == NULL)
          zones[i] = g_time_zone_new_offset (i == 1 ? 8 * 3600 : 14 * 3600);
    }

  text = g_strndup ((const char *) data, size);
  period = kl_period_parse (text, &error);
  if (period == NULL)
    {
      KL_FUZZ_CHECK (error != NULL && error->domain == KL_REPORT_ERROR);
      KL_FUZZ_CHECK (g_utf8_validate (error->message, -1, NULL) || !g_utf8_validate (text, -1, NULL));
      return 0;
    }
  KL_FUZZ_CHECK (error == NULL);
  KL_FUZZ_CHECK (period->year >= KL_PERIOD_MIN_YEAR && period->year <= KL_PERIOD_MAX_YEAR);
  exercise (period, zones[size % G_N_ELEMENTS (zones)], 0);
  return 0;
}
