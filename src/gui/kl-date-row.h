/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Date fields: an entry row with a calendar to pick the day from, which
 * still takes a date typed in the locale's form ("12/03/2026",
 * "2026年12月3日") or as YYYY-MM-DD, and writes it as YYYY-MM-DD. */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/* Adds the calendar button to row. with_time: the field holds
 * "YYYY-MM-DD HH:MM" and the calendar changes only the day. */
void      kl_date_row_attach     (AdwEntryRow *row,
                                  gboolean     with_time);
gboolean  kl_date_row_is_date    (AdwEntryRow *row);
/* text as YYYY-MM-DD (with its " HH:MM" when with_time), or NULL when it is
 * not a date in either form. */
char     *kl_date_row_normalize  (const char *text,
                                  gboolean    with_time);
/* Rewrites row's text as YYYY-MM-DD when it reads as a date; leaves it
 * alone (for the editor to flag) when not. */
void      kl_date_row_tidy       (AdwEntryRow *row);
/* The row's calendar button and popover's calendar (tests). */
GtkWidget *kl_date_row_get_button   (AdwEntryRow *row);
GtkCalendar *kl_date_row_get_calendar (AdwEntryRow *row);

G_END_DECLS
