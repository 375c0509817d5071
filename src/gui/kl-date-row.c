/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Date fields with a calendar. What the stores take stays YYYY-MM-DD; a
 * date typed in the locale's form is rewritten that way as the field is
 * left or the record saved. */
#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>
#include "kl-date-row.h"

#define WITH_TIME_KEY "kl-date-row-with-time"
#define BUTTON_KEY    "kl-date-row-button"
#define CALENDAR_KEY  "kl-date-row-calendar"

/* YYYY-MM-DD exactly, or NULL. */
static GDate *
parse_iso (const char *text)
{
  int y, m, d;
  char tail;

  if (sscanf (text, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3 || !g_date_valid_dmy (d, m, y))
    return NULL;
  return g_date_new_dmy ((GDateDay) d, (GDateMonth) m, (GDateYear) y);
}

/* The day in text: YYYY-MM-DD, else the locale's form as GDate reads it
 * (its order of day, month and year comes from the locale's %x). */
static GDate *
parse_day (const char *text)
{
  GDate *date = parse_iso (text);
  gboolean digits = FALSE;

  if (date != NULL)
    return date;
  /* GDate also reads month names; a date here has its figures. */
  for (const char *p = text; *p != '\0'; p++)
    digits |= g_ascii_isdigit (*p);
  if (!digits)
    return NULL;
  date = g_date_new ();
  g_date_set_parse (date, text);
  if (!g_date_valid (date) || g_date_get_year (date) < 1900)
    {
      g_date_free (date);
      return NULL;
    }
  return date;
}

char *
kl_date_row_normalize (const char *text,
                       gboolean    with_time)
{
  g_autofree char *day_text = NULL;
  g_autofree char *stripped = NULL;
  const char *time = NULL;
  GDate *date;
  char *result;
  int hh = -1, mm = -1;

  if (text == NULL)
    return NULL;
  stripped = g_strstrip (g_strdup (text));
  if (stripped[0] == '\0')
    return NULL;
  day_text = g_strdup (stripped);
  if (with_time)
    {
      char *colon = strchr (day_text, ':');

      /* The time is the last word: "2026-12-03 14:30". */
      if (colon != NULL)
        {
          char *space = g_utf8_strrchr (day_text, colon - day_text, ' ');
          char tail;

          if (space == NULL || sscanf (space + 1, "%2d:%2d%c", &hh, &mm, &tail) != 2 ||
              hh < 0 || hh > 23 || mm < 0 || mm > 59)
            return NULL;
          *space = '\0';
          time = space + 1;
        }
    }
  date = parse_day (day_text);
  if (date == NULL)
    return NULL;
  if (time != NULL)
    result = g_strdup_printf ("%04d-%02d-%02d %02d:%02d", g_date_get_year (date),
                              g_date_get_month (date), g_date_get_day (date), hh, mm);
  else
    result = g_strdup_printf ("%04d-%02d-%02d", g_date_get_year (date),
                              g_date_get_month (date), g_date_get_day (date));
  g_date_free (date);
  return result;
}

gboolean
kl_date_row_is_date (AdwEntryRow *row)
{
  return g_object_get_data (G_OBJECT (row), BUTTON_KEY) != NULL;
}

void
kl_date_row_tidy (AdwEntryRow *row)
{
  gboolean with_time = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (row), WITH_TIME_KEY));
  const char *text = gtk_editable_get_text (GTK_EDITABLE (row));
  g_autofree char *tidy = kl_date_row_normalize (text, with_time);

  if (tidy != NULL && g_strcmp0 (tidy, text) != 0)
    gtk_editable_set_text (GTK_EDITABLE (row), tidy);
}

static void
focus_left (GtkEventControllerFocus *controller,
            AdwEntryRow             *row)
{
  kl_date_row_tidy (row);
}

/* The calendar opens on the field's day, or today. */
static void
popover_shown (GtkPopover  *popover,
               AdwEntryRow *row)
{
  GtkCalendar *calendar = g_object_get_data (G_OBJECT (row), CALENDAR_KEY);
  g_autofree char *text = g_strdup (gtk_editable_get_text (GTK_EDITABLE (row)));
  g_autoptr(GDateTime) when = NULL;
  GDate *date;
  char *space;

  if ((space = strchr (g_strstrip (text), ' ')) != NULL && strchr (space, ':') != NULL)
    *space = '\0';
  date = parse_day (text);
  if (date != NULL)
    {
      when = g_date_time_new_local (g_date_get_year (date), g_date_get_month (date),
                                    g_date_get_day (date), 12, 0, 0);
      g_date_free (date);
    }
  if (when == NULL)
    when = g_date_time_new_now_local ();
  gtk_calendar_select_day (calendar, when);
}

static void
day_selected (GtkCalendar *calendar,
              AdwEntryRow *row)
{
  gboolean with_time = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (row), WITH_TIME_KEY));
  GtkWidget *button = g_object_get_data (G_OBJECT (row), BUTTON_KEY);
  g_autoptr(GDateTime) day = gtk_calendar_get_date (calendar);
  g_autofree char *text = g_date_time_format (day, "%Y-%m-%d");
  const char *old = gtk_editable_get_text (GTK_EDITABLE (row));
  const char *colon = strchr (old, ':');

  /* A date and time keeps its time. */
  if (with_time && colon != NULL)
    {
      const char *space = g_utf8_strrchr (old, colon - old, ' ');

      if (space != NULL)
        {
          g_autofree char *joined = g_strconcat (text, space, NULL);

          g_free (text);
          text = g_steal_pointer (&joined);
        }
    }
  gtk_editable_set_text (GTK_EDITABLE (row), text);
  if (gtk_widget_get_mapped (button))
    gtk_menu_button_popdown (GTK_MENU_BUTTON (button));
}

void
kl_date_row_attach (AdwEntryRow *row,
                    gboolean     with_time)
{
  GtkWidget *button, *popover, *calendar;
  GtkEventController *focus;

  g_return_if_fail (ADW_IS_ENTRY_ROW (row));
  g_return_if_fail (!kl_date_row_is_date (row));

  calendar = gtk_calendar_new ();
  popover = gtk_popover_new ();
  gtk_popover_set_child (GTK_POPOVER (popover), calendar);
  button = gtk_menu_button_new ();
  gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (button), "x-office-calendar-symbolic");
  gtk_menu_button_set_popover (GTK_MENU_BUTTON (button), popover);
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_tooltip_text (button, _("Choose a Date"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Choose a Date"), -1);
  adw_entry_row_add_suffix (row, button);

  g_object_set_data (G_OBJECT (row), WITH_TIME_KEY, GINT_TO_POINTER (with_time));
  g_object_set_data (G_OBJECT (row), BUTTON_KEY, button);
  g_object_set_data (G_OBJECT (row), CALENDAR_KEY, calendar);
  g_signal_connect_object (popover, "show", G_CALLBACK (popover_shown), row, 0);
  g_signal_connect_object (calendar, "day-selected", G_CALLBACK (day_selected), row, 0);

  focus = gtk_event_controller_focus_new ();
  g_signal_connect_object (focus, "leave", G_CALLBACK (focus_left), row, 0);
  gtk_widget_add_controller (GTK_WIDGET (row), focus);
}

GtkWidget *
kl_date_row_get_button (AdwEntryRow *row)
{
  return g_object_get_data (G_OBJECT (row), BUTTON_KEY);
}

GtkCalendar *
kl_date_row_get_calendar (AdwEntryRow *row)
{
  return g_object_get_data (G_OBJECT (row), CALENDAR_KEY);
}
