/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The value parsers of imported fields (decimal, count, time, boolean) and
 * the claims' money parser (`--amount 123.45`). The first byte of the input
 * picks the parser and its options; the rest is the text. Checked: no
 * parser reads past the text, an accepted number is ≥ 0, a count is a
 * decimal without a fraction, and money formats and parses back to itself. */
#include <string.h>

#include "kl-csv.h"
#include "kl-claim-store.h"
#include "kl-fuzz.h"

static const char * const currencies[] = { "CNY", "JPY", "USD", "EUR", "KRW", "HKD", "", "cny" };

static GTimeZone *
zone (guint i)
{
  static GTimeZone *zones[4];

  if (zones[0] == NULL)
    {
      zones[0] = g_time_zone_new_utc ();
      zones[1] = g_time_zone_new_identifier ("Asia/Shanghai");
      zones[2] = g_time_zone_new_identifier ("America/New_York");
      zones[3] = g_time_zone_new_identifier ("Pacific/Chatham");
      for (guint k = 1; k < G_N_ELEMENTS (zones); k++)
        if (zones[k] == NULL)
          zones[k] = g_time_zone_new_offset ((int) k * 3600);
    }
  return zones[i % G_N_ELEMENTS (zones)];
}

static gboolean
status_is_known (KlCsvValueStatus status)
{
  return status >= KL_CSV_VALUE_OK && status <= KL_CSV_VALUE_TOO_LARGE;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *text = NULL;
  guint8 selector;
  gboolean quoted;
  KlCsvValueStatus status;
  gint64 value = -1;

  kl_fuzz_init ();
  if (size < 1)
    return 0;
  selector = data[0];
  quoted = (selector & 0x08) != 0;
  /* An exact-length copy, so ASan sees any read past the NUL. */
  text = g_malloc (size);
  memcpy (text, data + 1, size - 1);
  text[size - 1] = '\0';

  switch (selector & 0x07)
    {
    case 0: /* decimal, scale 0–7 */
      {
        guint scale = (selector >> 4) & 0x07;

        status = kl_csv_parse_decimal (text, quoted, scale, &value);
        KL_FUZZ_CHECK (status_is_known (status));
        if (status == KL_CSV_VALUE_OK)
          {
            gint64 coarser = -1;

            KL_FUZZ_CHECK (value >= 0);
            /* One digit less of scale is the same number, rounded once
             * from the text: within one unit of a tenth of value. */
            if (scale > 0 && kl_csv_parse_decimal (text, quoted, scale - 1, &coarser) == KL_CSV_VALUE_OK)
              KL_FUZZ_CHECK (coarser == value / 10 || coarser == value / 10 + 1);
          }
      }
      break;

    case 1: /* count */
      status = kl_csv_parse_count (text, quoted, &value);
      KL_FUZZ_CHECK (status_is_known (status));
      if (status == KL_CSV_VALUE_OK)
        {
          gint64 as_decimal = -1;

          KL_FUZZ_CHECK (value >= 0);
          KL_FUZZ_CHECK (kl_csv_parse_decimal (text, quoted, 0, &as_decimal) == KL_CSV_VALUE_OK);
          KL_FUZZ_CHECK (as_decimal == value);
        }
      break;

    case 2: /* time */
      status = kl_csv_parse_time (text, zone (selector >> 4), &value);
      KL_FUZZ_CHECK (status_is_known (status));
      break;

    case 3: /* boolean */
      {
        gboolean b = 2;

        status = kl_csv_parse_bool (text, &b);
        KL_FUZZ_CHECK (status_is_known (status));
        if (status == KL_CSV_VALUE_OK)
          KL_FUZZ_CHECK (b == TRUE || b == FALSE);
      }
      break;

    default: /* money, in one of a few currencies */
      {
        const char *currency = currencies[(selector >> 4) % G_N_ELEMENTS (currencies)];
        g_autoptr(GError) error = NULL;

        if (kl_money_parse (text, currency, &value, &error))
          {
            g_autofree char *formatted = NULL;
            gint64 back = -1;

            KL_FUZZ_CHECK (error == NULL);
            KL_FUZZ_CHECK (value >= 0);
            formatted = kl_money_format (value, currency);
            KL_FUZZ_CHECK (kl_money_parse (formatted, currency, &back, NULL));
            KL_FUZZ_CHECK (back == value);
          }
        else
          {
            KL_FUZZ_CHECK (error != NULL && error->message != NULL);
          }
      }
      break;
    }
  return 0;
}
