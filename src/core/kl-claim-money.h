/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Money of claims: ISO 4217 currencies and their minor units, amounts as
 * integer minor units, parsed from and written as plain decimals. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* TRUE when @code is an active ISO 4217 currency code that has a minor
 * unit, written exactly in upper case ("CNY", not "cny" or "XYZ"). */
gboolean   kl_currency_is_valid   (const char *code);
/* Like kl_currency_is_valid(), with a KL_CLAIM_ERROR_AMOUNT error whose
 * message names the code and says what to give instead. */
gboolean   kl_currency_check      (const char  *code,
                                   GError     **error);
/* Digits after the decimal point of a currency's minor unit, from ISO 4217
 * (JPY, KRW: 0; BHD, KWD: 3; CNY, USD: 2); 2 for a code not in the list. */
int        kl_currency_decimals   (const char *currency);
/* "1234.50" in CNY → 123450; refuses more decimals than the currency has,
 * signs and anything that is not a plain decimal number. */
gboolean   kl_money_parse         (const char  *text,
                                   const char  *currency,
                                   gint64      *out_minor,
                                   GError     **error);
/* 123450, CNY → "1234.50". */
char      *kl_money_format        (gint64      minor,
                                   const char *currency);

G_END_DECLS
