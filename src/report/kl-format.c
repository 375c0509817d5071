/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Printed numbers: percentages, deltas and grouped counts. */

#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <glib/gi18n-lib.h>

#include "kl-format.h"
#include "kl-report-language.h"

static const double pow10_table[] = { 1, 10, 100, 1000, 1e4, 1e5, 1e6 };

/* Rounds |value| × 10^decimals half away from zero. A rate is a ratio of
 * integers, so its exact decimal value lies on a half only when the double
 * is within rounding noise of one; scaled values within 1e-9 below a half
 * count as the half. (Denominators below 5e8 cannot put a true non-half
 * fraction that close, so no other value is misrounded.) */
static gint64
scaled_round (double value, int decimals)
{
  double t = fabs (value) * pow10_table[decimals];
  double whole = floor (t);
  double rounded = t - whole >= 0.5 - 1e-9 ? whole + 1 : whole;

  return (gint64) rounded;
}

static char *
fixed_digits (double value, int decimals, gboolean group)
{
  GString *s = g_string_new (NULL);
  gint64 scaled, integral, fraction;
  g_autofree char *digits = NULL;
  /* Translators: the digit grouping separator of printed numbers (1,234,567). */
  const char *separator = C_("number", ",");
  gsize len;

  g_return_val_if_fail (decimals >= 0 && decimals <= 6, g_strdup (""));

  scaled = scaled_round (value, decimals);
  integral = scaled / (gint64) pow10_table[decimals];
  fraction = scaled % (gint64) pow10_table[decimals];

  if (value < 0 && scaled != 0)
    g_string_append_c (s, '-');
  digits = g_strdup_printf ("%" G_GINT64_FORMAT, integral);
  len = strlen (digits);
  for (gsize i = 0; i < len; i++)
    {
      if (group && i > 0 && (len - i) % 3 == 0)
        g_string_append (s, separator);
      g_string_append_c (s, digits[i]);
    }
  if (decimals > 0)
    g_string_append_printf (s, ".%0*" G_GINT64_FORMAT, decimals, fraction);
  return g_string_free (s, FALSE);
}

char *
kl_format_fixed (double value, int decimals)
{
  if (isnan (value))
    return g_strdup (KL_FORMAT_MISSING);
  return fixed_digits (value, decimals, FALSE);
}

char *
kl_format_decimal (double value, int decimals)
{
  if (isnan (value))
    return g_strdup (KL_FORMAT_MISSING);
  return fixed_digits (value, decimals, TRUE);
}

char *
kl_format_count (gint64 count)
{
  GString *s = g_string_new (NULL);
  g_autofree char *digits = NULL;
  /* Same separator as in fixed_digits. */
  const char *separator = C_("number", ",");
  const char *p;
  gsize len;

  digits = g_strdup_printf ("%" G_GINT64_FORMAT, count);
  p = digits;
  if (*p == '-')
    g_string_append_c (s, *p++);
  len = strlen (p);
  for (gsize i = 0; i < len; i++)
    {
      if (i > 0 && (len - i) % 3 == 0)
        g_string_append (s, separator);
      g_string_append_c (s, p[i]);
    }
  return g_string_free (s, FALSE);
}

char *
kl_format_percent (double rate)
{
  g_autofree char *number = NULL;

  if (isnan (rate))
    return g_strdup (KL_FORMAT_MISSING);
  number = fixed_digits (rate * 100.0, 1, FALSE);
  /* Translators: a percentage, "95.4%"; %s is the number. */
  return g_strdup_printf (_("%s%%"), number);
}

/* "+1.2", "−1.2" (U+2212) or "0.0" when it rounds to zero. */
static char *
signed_number (double value)
{
  g_autofree char *digits = fixed_digits (fabs (value), 1, FALSE);

  if (scaled_round (value, 1) == 0)
    return g_steal_pointer (&digits);
  return g_strconcat (value > 0 ? "+" : "\u2212", digits, NULL);
}

char *
kl_format_pp_delta (double pp)
{
  return kl_format_pp_delta_in (NULL, pp);
}

char *
kl_format_pp_delta_in (const char *language,
                       double      pp)
{
  g_autofree char *number = NULL;

  if (isnan (pp))
    return g_strdup (KL_FORMAT_MISSING);
  number = signed_number (pp);
  if (language != NULL)
    return g_strdup_printf (kl_report_gettext (language, "%s pp"), number);
  /* Translators: a difference in percentage points, "+1.2 pp"; %s is the signed number. */
  return g_strdup_printf (_("%s pp"), number);
}

char *
kl_format_percent_delta (double percent)
{
  g_autofree char *number = NULL;

  if (isnan (percent))
    return g_strdup (KL_FORMAT_MISSING);
  number = signed_number (percent);
  return g_strdup_printf (_("%s%%"), number);
}

char *
kl_format_double_exact (double value)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  if (isnan (value) || isinf (value))
    return g_strdup ("");
  for (int precision = 15; precision <= 17; precision++)
    {
      char format[8];

      g_snprintf (format, sizeof format, "%%.%dg", precision);
      g_ascii_formatd (buf, sizeof buf, format, value);
      if (g_ascii_strtod (buf, NULL) == value)
        break;
    }
  return g_strdup (buf);
}
