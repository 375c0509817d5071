/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Currencies and amounts of claims (docs/claims.md: integer minor units
 * and one ISO 4217 currency per claim). */

#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <glib/gi18n-lib.h>

#include "kl-claim-lifecycle.h"
#include "kl-claim-store-private.h"

typedef struct {
  char code[4];
  int  decimals;
} Currency;

/* The active codes of ISO 4217 (list one, as amended to 2025) that have a
 * minor unit, sorted for bsearch. Precious metals, drawing rights and the
 * testing codes (XAU, XDR, XTS, XXX, …) have none and are left out; so are
 * withdrawn codes (HRK, SLL, ZWL, ANG, BGN). */
static const Currency currencies[] = {
  { "AED", 2 }, { "AFN", 2 }, { "ALL", 2 }, { "AMD", 2 }, { "AOA", 2 }, { "ARS", 2 },
  { "AUD", 2 }, { "AWG", 2 }, { "AZN", 2 }, { "BAM", 2 }, { "BBD", 2 }, { "BDT", 2 },
  { "BHD", 3 }, { "BIF", 0 }, { "BMD", 2 }, { "BND", 2 }, { "BOB", 2 }, { "BOV", 2 },
  { "BRL", 2 }, { "BSD", 2 }, { "BTN", 2 }, { "BWP", 2 }, { "BYN", 2 }, { "BZD", 2 },
  { "CAD", 2 }, { "CDF", 2 }, { "CHE", 2 }, { "CHF", 2 }, { "CHW", 2 }, { "CLF", 4 },
  { "CLP", 0 }, { "CNY", 2 }, { "COP", 2 }, { "COU", 2 }, { "CRC", 2 }, { "CUP", 2 },
  { "CVE", 2 }, { "CZK", 2 }, { "DJF", 0 }, { "DKK", 2 }, { "DOP", 2 }, { "DZD", 2 },
  { "EGP", 2 }, { "ERN", 2 }, { "ETB", 2 }, { "EUR", 2 }, { "FJD", 2 }, { "FKP", 2 },
  { "GBP", 2 }, { "GEL", 2 }, { "GHS", 2 }, { "GIP", 2 }, { "GMD", 2 }, { "GNF", 0 },
  { "GTQ", 2 }, { "GYD", 2 }, { "HKD", 2 }, { "HNL", 2 }, { "HTG", 2 }, { "HUF", 2 },
  { "IDR", 2 }, { "ILS", 2 }, { "INR", 2 }, { "IQD", 3 }, { "IRR", 2 }, { "ISK", 0 },
  { "JMD", 2 }, { "JOD", 3 }, { "JPY", 0 }, { "KES", 2 }, { "KGS", 2 }, { "KHR", 2 },
  { "KMF", 0 }, { "KPW", 2 }, { "KRW", 0 }, { "KWD", 3 }, { "KYD", 2 }, { "KZT", 2 },
  { "LAK", 2 }, { "LBP", 2 }, { "LKR", 2 }, { "LRD", 2 }, { "LSL", 2 }, { "LYD", 3 },
  { "MAD", 2 }, { "MDL", 2 }, { "MGA", 2 }, { "MKD", 2 }, { "MMK", 2 }, { "MNT", 2 },
  { "MOP", 2 }, { "MRU", 2 }, { "MUR", 2 }, { "MVR", 2 }, { "MWK", 2 }, { "MXN", 2 },
  { "MXV", 2 }, { "MYR", 2 }, { "MZN", 2 }, { "NAD", 2 }, { "NGN", 2 }, { "NIO", 2 },
  { "NOK", 2 }, { "NPR", 2 }, { "NZD", 2 }, { "OMR", 3 }, { "PAB", 2 }, { "PEN", 2 },
  { "PGK", 2 }, { "PHP", 2 }, { "PKR", 2 }, { "PLN", 2 }, { "PYG", 0 }, { "QAR", 2 },
  { "RON", 2 }, { "RSD", 2 }, { "RUB", 2 }, { "RWF", 0 }, { "SAR", 2 }, { "SBD", 2 },
  { "SCR", 2 }, { "SDG", 2 }, { "SEK", 2 }, { "SGD", 2 }, { "SHP", 2 }, { "SLE", 2 },
  { "SOS", 2 }, { "SRD", 2 }, { "SSP", 2 }, { "STN", 2 }, { "SVC", 2 }, { "SYP", 2 },
  { "SZL", 2 }, { "THB", 2 }, { "TJS", 2 }, { "TMT", 2 }, { "TND", 3 }, { "TOP", 2 },
  { "TRY", 2 }, { "TTD", 2 }, { "TWD", 2 }, { "TZS", 2 }, { "UAH", 2 }, { "UGX", 0 },
  { "USD", 2 }, { "USN", 2 }, { "UYI", 0 }, { "UYU", 2 }, { "UYW", 4 }, { "UZS", 2 },
  { "VED", 2 }, { "VES", 2 }, { "VND", 0 }, { "VUV", 0 }, { "WST", 2 }, { "XAF", 0 },
  { "XCD", 2 }, { "XCG", 2 }, { "XOF", 0 }, { "XPF", 0 }, { "YER", 2 }, { "ZAR", 2 },
  { "ZMW", 2 }, { "ZWG", 2 },
};

static int
compare_code (const void *key,
              const void *item)
{
  return strcmp (key, ((const Currency *) item)->code);
}

static const Currency *
find_currency (const char *code)
{
  if (code == NULL || strlen (code) != 3)
    return NULL;
  return bsearch (code, currencies, G_N_ELEMENTS (currencies), sizeof currencies[0], compare_code);
}

gboolean
kl_currency_is_valid (const char *code)
{
  return find_currency (code) != NULL;
}

gboolean
kl_currency_check (const char  *code,
                   GError     **error)
{
  if (kl_currency_is_valid (code))
    return TRUE;
  g_set_error (error, KL_CLAIM_ERROR, KL_CLAIM_ERROR_AMOUNT,
               _("“%s” is not an ISO 4217 currency code; give one in capitals such as CNY, USD or EUR"),
               code != NULL ? code : "");
  return FALSE;
}

int
kl_currency_decimals (const char *currency)
{
  const Currency *c = find_currency (currency);

  return c != NULL ? c->decimals : 2;
}

gboolean
kl_money_parse (const char  *text,
                const char  *currency,
                gint64      *out_minor,
                GError     **error)
{
  int decimals = kl_currency_decimals (currency);
  const char *p;
  gint64 whole = 0, frac = 0;
  int n_whole = 0, n_frac = 0;

  g_return_val_if_fail (out_minor != NULL, FALSE);

  p = text != NULL ? text : "";
  while (g_ascii_isspace (*p))
    p++;
  for (; g_ascii_isdigit (*p); p++, n_whole++)
    {
      /* Room for the digit and for four decimals of minor units. */
      if (whole > (G_MAXINT64 / 10000 - 9) / 10)
        goto bad;
      whole = whole * 10 + (*p - '0');
    }
  if (*p == '.')
    {
      for (p++; g_ascii_isdigit (*p); p++, n_frac++)
        {
          if (n_frac >= decimals)
            {
              g_set_error (error, KL_CLAIM_ERROR, KL_CLAIM_ERROR_AMOUNT,
                           _("The amount “%s” has more decimals than %s has (%d); round it to %d"),
                           text, currency, decimals, decimals);
              return FALSE;
            }
          frac = frac * 10 + (*p - '0');
        }
      if (n_frac == 0)
        goto bad;
    }
  while (g_ascii_isspace (*p))
    p++;
  if (*p != '\0' || n_whole == 0)
    goto bad;
  for (int i = n_frac; i < decimals; i++)
    frac *= 10;
  *out_minor = whole;
  for (int i = 0; i < decimals; i++)
    *out_minor *= 10;
  *out_minor += frac;
  return TRUE;

bad:
  g_set_error (error, KL_CLAIM_ERROR, KL_CLAIM_ERROR_AMOUNT,
               _("“%s” is not an amount; write it like 1234.50, without signs or separators"),
               text != NULL ? text : "");
  return FALSE;
}

char *
kl_money_format (gint64      minor,
                 const char *currency)
{
  int decimals = kl_currency_decimals (currency);
  guint64 scale = 1;
  guint64 abs_minor = minor < 0 ? (guint64) (-(minor + 1)) + 1 : (guint64) minor;

  for (int i = 0; i < decimals; i++)
    scale *= 10;
  if (decimals == 0)
    return g_strdup_printf ("%s%" G_GUINT64_FORMAT, minor < 0 ? "-" : "", abs_minor);
  return g_strdup_printf ("%s%" G_GUINT64_FORMAT ".%0*" G_GUINT64_FORMAT, minor < 0 ? "-" : "",
                          abs_minor / scale, decimals, abs_minor % scale);
}

char *
_kl_claim_amount_label (gboolean    set,
                        gint64      minor,
                        const char *currency)
{
  g_autofree char *number = NULL;

  if (!set)
    return g_strdup (_("none"));
  number = kl_money_format (minor, currency);
  return g_strdup_printf ("%s %s", number, currency != NULL ? currency : "");
}
