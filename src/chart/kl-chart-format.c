/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Number, percent and tick labels for charts, and nice-number axis ticks. */
#include "config.h"

#include <float.h>
#include <limits.h>
#include <locale.h>
#include <math.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "kl-chart.h"

#define MISSING "—"

/* Rounds |value| × 10^decimals half away from zero. A few ulps of slack make a value
 * that is a decimal half in print (0.9995 stored as 0.99949999…) round up, as a person
 * reading the number would. */
static gboolean
round_scaled (double   magnitude,
              int      decimals,
              guint64 *out)
{
  double scaled = magnitude * pow (10.0, decimals);

  if (!(scaled < 9.0e15))
    return FALSE;
  *out = (guint64) floor (scaled + 0.5 + scaled * 8 * DBL_EPSILON);
  return TRUE;
}

static void
append_grouped (GString    *out,
                const char *digits,
                const char *grouping,
                const char *sep)
{
  gsize len = strlen (digits);
  gsize n_groups = 0;
  gsize starts[64];
  gsize pos = len;
  const char *g = grouping;
  int size = 0;

  /* Walk from the right, collecting where each group starts. */
  if (grouping != NULL && sep != NULL && *sep != '\0')
    {
      while (pos > 0 && n_groups < G_N_ELEMENTS (starts))
        {
          if (*g != '\0')
            {
              if (*g == CHAR_MAX || *g < 0)
                break;
              size = *g++;
            }
          if (size <= 0 || (gsize) size >= pos)
            break;
          pos -= (gsize) size;
          starts[n_groups++] = pos;
        }
    }

  /* starts[] is right to left; emit left to right. */
  {
    gsize from = 0;
    for (gsize i = n_groups; i > 0; i--)
      {
        g_string_append_len (out, digits + from, (gssize) (starts[i - 1] - from));
        g_string_append (out, sep);
        from = starts[i - 1];
      }
    g_string_append (out, digits + from);
  }
}

char *
kl_chart_format_number_full (double      value,
                             int         decimals,
                             const char *grouping,
                             const char *thousands_sep,
                             const char *decimal_point)
{
  GString *out;
  guint64 r, unit = 1;
  char digits[32];

  if (!isfinite (value))
    return g_strdup (MISSING);

  decimals = CLAMP (decimals, 0, 9);
  if (decimal_point == NULL || *decimal_point == '\0')
    decimal_point = ".";

  if (!round_scaled (fabs (value), decimals, &r))
    /* Too large to group digit by digit; never seen in our data. */
    return g_strdup_printf ("%.*e", decimals, value);

  for (int i = 0; i < decimals; i++)
    unit *= 10;

  out = g_string_new (NULL);
  if (value < 0 && r != 0)
    g_string_append_c (out, '-');
  g_snprintf (digits, sizeof digits, "%" G_GUINT64_FORMAT, r / unit);
  append_grouped (out, digits, grouping, thousands_sep);
  if (decimals > 0)
    {
      g_snprintf (digits, sizeof digits, "%0*" G_GUINT64_FORMAT, decimals, r % unit);
      g_string_append (out, decimal_point);
      g_string_append (out, digits);
    }
  return g_string_free (out, FALSE);
}

char *
kl_chart_format_number (double value,
                        int    decimals)
{
  const struct lconv *lc = localeconv ();

  return kl_chart_format_number_full (value, decimals, lc->grouping, lc->thousands_sep,
                                      lc->decimal_point);
}

char *
kl_chart_format_percent_full (double fraction,
                              int    decimals)
{
  g_autofree char *number = NULL;

  if (!isfinite (fraction))
    return g_strdup (MISSING);
  number = kl_chart_format_number (fraction * 100.0, decimals);
  /* Translators: a percentage; %s is the number. Keep the sign, adjust spacing. */
  return g_strdup_printf (_("%s%%"), number);
}

char *
kl_chart_format_value (double             value,
                       KlChartValueFormat format)
{
  switch (format)
    {
    case KL_CHART_FORMAT_PERCENT:
      return kl_chart_format_percent_full (value, 1);
    case KL_CHART_FORMAT_DECIMAL:
      return kl_chart_format_number (value, 1);
    case KL_CHART_FORMAT_COUNT:
    default:
      return kl_chart_format_number (value, 0);
    }
}

char *
kl_chart_format_tick (double              value,
                      KlChartValueFormat  format,
                      const KlChartTicks *ticks)
{
  int decimals = ticks != NULL ? ticks->decimals : 0;

  switch (format)
    {
    case KL_CHART_FORMAT_PERCENT:
      return kl_chart_format_percent_full (value, MAX (0, decimals - 2));
    case KL_CHART_FORMAT_DECIMAL:
    case KL_CHART_FORMAT_COUNT:
    default:
      return kl_chart_format_number (value, decimals);
    }
}

/* A step is mantissa × 10^exponent with mantissa 1, 2 or 5; kept apart so tick values
 * are computed as integer ÷ power of ten, which prints cleanly (0.3, not 0.30000000004). */
typedef struct {
  int mantissa;
  int exponent;
} Step;

static double
step_value (Step s)
{
  return s.mantissa * pow (10.0, s.exponent);
}

static double
step_multiple (Step   s,
               double k)
{
  if (s.exponent < 0)
    return k * s.mantissa / pow (10.0, -s.exponent);
  return k * s.mantissa * pow (10.0, s.exponent);
}

static Step
step_at_least (double raw)
{
  Step s;
  double f;

  s.exponent = (int) floor (log10 (raw));
  f = raw / pow (10.0, s.exponent);
  if (f <= 1.0 + 1e-9)
    s.mantissa = 1;
  else if (f <= 2.0 + 1e-9)
    s.mantissa = 2;
  else if (f <= 5.0 + 1e-9)
    s.mantissa = 5;
  else
    {
      s.mantissa = 1;
      s.exponent++;
    }
  return s;
}

static Step
step_next (Step s)
{
  switch (s.mantissa)
    {
    case 1:
      s.mantissa = 2;
      break;
    case 2:
      s.mantissa = 5;
      break;
    default:
      s.mantissa = 1;
      s.exponent++;
      break;
    }
  return s;
}

gboolean
kl_chart_ticks_compute (double        data_min,
                        double        data_max,
                        guint         max_ticks,
                        gboolean      include_zero,
                        KlChartTicks *ticks)
{
  gboolean have_min, have_max;
  double lo, hi, span, magnitude;
  double k0 = 0, k1 = 1;
  Step step;

  g_return_val_if_fail (ticks != NULL, FALSE);

  memset (ticks, 0, sizeof *ticks);
  max_ticks = CLAMP (max_ticks, 2, KL_CHART_MAX_TICKS);
  have_min = isfinite (data_min);
  have_max = isfinite (data_max);

  if (!have_min && !have_max)
    {
      lo = 0;
      hi = 1;
    }
  else
    {
      lo = have_min ? data_min : data_max;
      hi = have_max ? data_max : data_min;
    }
  if (lo > hi)
    {
      double t = lo;
      lo = hi;
      hi = t;
    }
  /* Leave room so span and its multiples stay finite. */
  lo = CLAMP (lo, -1e300, 1e300);
  hi = CLAMP (hi, -1e300, 1e300);
  if (include_zero)
    {
      lo = MIN (lo, 0.0);
      hi = MAX (hi, 0.0);
    }

  magnitude = MAX (fabs (lo), fabs (hi));
  span = hi - lo;
  if (span <= magnitude * 1e-9 || span < 1e-200)
    {
      /* All values (nearly) equal: widen around them. Denormal-small values count as
       * zero so the step's power of ten stays representable. */
      double mid = magnitude < 1e-200 ? 0.0 : lo + span / 2;
      double half = magnitude >= 1e-200 ? magnitude * 0.1 : 0.5;

      if (include_zero && mid > 0)
        lo = 0, hi = mid + half;
      else if (include_zero && mid < 0)
        lo = mid - half, hi = 0;
      else if (mid == 0)
        lo = 0, hi = 1;
      else
        lo = mid - half, hi = mid + half;
      span = hi - lo;
    }

  step = step_at_least (span / (max_ticks - 1));
  for (int guard = 0; guard < 64; guard++)
    {
      double s = step_value (step);

      k0 = floor (lo / s + 1e-9);
      k1 = ceil (hi / s - 1e-9);
      if (k1 <= k0)
        k1 = k0 + 1;
      if (k1 - k0 + 1 <= max_ticks)
        break;
      step = step_next (step);
    }

  ticks->n_ticks = (guint) (k1 - k0 + 1);
  if (ticks->n_ticks > max_ticks || ticks->n_ticks < 2)
    ticks->n_ticks = 2; /* unreachable in practice; keeps the array bound */
  for (guint i = 0; i < ticks->n_ticks; i++)
    {
      double v = step_multiple (step, k0 + i);
      ticks->ticks[i] = v == 0 ? 0.0 : v; /* no -0 */
    }
  ticks->min = ticks->ticks[0];
  ticks->max = ticks->ticks[ticks->n_ticks - 1];
  ticks->step = step_value (step);
  ticks->decimals = step.exponent < 0 ? -step.exponent : 0;

  return have_min || have_max;
}

const char *
kl_chart_month_label (int month)
{
  static const char *const months[12] = {
    NC_("month abbreviation", "Jan"), NC_("month abbreviation", "Feb"),
    NC_("month abbreviation", "Mar"), NC_("month abbreviation", "Apr"),
    NC_("month abbreviation", "May"), NC_("month abbreviation", "Jun"),
    NC_("month abbreviation", "Jul"), NC_("month abbreviation", "Aug"),
    NC_("month abbreviation", "Sep"), NC_("month abbreviation", "Oct"),
    NC_("month abbreviation", "Nov"), NC_("month abbreviation", "Dec"),
  };

  g_return_val_if_fail (month >= 1 && month <= 12, "");

  return g_dpgettext2 (GETTEXT_PACKAGE, "month abbreviation", months[month - 1]);
}

char **
kl_chart_month_axis_labels (int   first_yyyymm,
                            guint n)
{
  GStrvBuilder *builder = g_strv_builder_new ();
  int year = first_yyyymm / 100, month = first_yyyymm % 100;
  char **labels;

  g_return_val_if_fail (month >= 1 && month <= 12, NULL);

  for (guint i = 0; i < n; i++)
    {
      if (i == 0 || month == 1)
        {
          g_autofree char *label = g_strdup_printf ("%s\n%d", kl_chart_month_label (month), year);

          g_strv_builder_add (builder, label);
        }
      else
        g_strv_builder_add (builder, kl_chart_month_label (month));
      if (++month > 12)
        {
          month = 1;
          year++;
        }
    }
  labels = g_strv_builder_end (builder);
  g_strv_builder_unref (builder);
  return labels;
}
