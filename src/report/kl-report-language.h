/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Translations in a report's own language ("zh_CN", "en"), chosen per
 * customer and independent of the window's language and of the process
 * locale, so that any thread can lay out a Chinese report in an English
 * session (and the other way round). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* "zh_CN" for any Chinese tag ("zh", "zh_CN.UTF-8", "zh-Hans"), else "en".
 * NULL or empty gives "en". Returns a static string. */
const char *kl_report_language_normalize (const char *language);

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
/* Plural forms for the report languages: English picks msgid for n == 1,
 * msgid_plural otherwise; Chinese has one form. */
const char *kl_report_ngettext (const char *language,
                                const char *msgid,
                                const char *msgid_plural,
                                gulong      n) G_GNUC_FORMAT (2) G_GNUC_FORMAT (3);

G_END_DECLS
