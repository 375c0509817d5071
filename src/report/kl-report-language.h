/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Translations in a report's own language ("zh_CN", "en"), chosen per
 * customer and independent of the window's language and of the process
 * locale, so that any thread can lay out a Chinese report in an English
 * session (and the other way round). */
#pragma once

#include <glib.h>
#include "kl-kpi.h"
#include "kl-period.h"

G_BEGIN_DECLS

/* "zh_CN" for any Chinese tag ("zh", "zh_CN.UTF-8", "zh-Hans"), else "en".
 * NULL or empty gives "en". Returns a static string. */
const char *kl_report_language_normalize (const char *language);
/* The language the interface speaks (the process's message locale),
 * normalized: the language of internal reports, which have no customer to
 * take one from. Returns a static string. */
const char *kl_report_language_of_interface (void);

/* msgid translated into language from the GETTEXT_PACKAGE catalogue in the
 * directory bound with bindtextdomain() (LOCALEDIR when unbound). "en", an
 * unknown language or a missing translation return msgid itself. The result
 * lives as long as the process; safe to call from any thread. */
const char *kl_report_gettext  (const char *language,
                                const char *msgid) G_GNUC_FORMAT (2);
/* The same for a message with a context (msgctxt), as C_() marks it. */
const char *kl_report_pgettext (const char *language,
                                const char *context,
                                const char *msgid) G_GNUC_FORMAT (3);

/* The words of a report's figures in language, shared by the printed
 * report and the charts exported from it. */

/* "October 2026", "Q3 2026" or "2026"; free with g_free(). */
char       *kl_report_period_display (const KlPeriod *period,
                                      const char     *language);
/* "Oct" for a month (yyyymm); a static string. */
const char *kl_report_month_abbrev   (int             month,
                                      const char     *language);
/* "Arrival on time", …; a static string. */
const char *kl_report_rate_label     (KlRate          rate,
                                      const char     *language);

G_END_DECLS
