/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The at-risk rules and the reminders' date rules (docs/analysis.md). */

#include "config.h"

#include <glib/gi18n-lib.h>

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "kl-core-types.h"
#include "kl-health.h"

KlRiskReasons
kl_health_risk_reasons (const KlRiskInput *in)
{
  KlRiskReasons reasons = KL_RISK_NONE;
  int below = 0;

  if (in->shipments[1] < in->shipments[0]
      && in->shipments[2] < in->shipments[1]
      && in->shipments[3] < in->shipments[2])
    reasons |= KL_RISK_SHIPMENTS_FALLING;
  for (int i = 0; i < 3; i++)
    if (!isnan (in->on_time[i]) && !isnan (in->target[i]) && in->on_time[i] < in->target[i])
      below++;
  if (below >= 2)
    reasons |= KL_RISK_ON_TIME_BELOW;
  if (in->claim_overdue)
    reasons |= KL_RISK_CLAIM_OVERDUE;
  return reasons;
}

const char *
kl_risk_reason_to_string (KlRiskReasons single)
{
  switch (single)
    {
    case KL_RISK_SHIPMENTS_FALLING: return "shipments_falling";
    case KL_RISK_ON_TIME_BELOW: return "on_time_below_target";
    case KL_RISK_CLAIM_OVERDUE: return "claim_overdue";
    case KL_RISK_NONE:
    default: return "";
    }
}

const char *
kl_risk_reason_to_label (KlRiskReasons single)
{
  switch (single)
    {
    case KL_RISK_SHIPMENTS_FALLING: return _("Shipments fell in each of the last 3 months");
    case KL_RISK_ON_TIME_BELOW: return _("Arrival on time below target in 2 of the last 3 months");
    case KL_RISK_CLAIM_OVERDUE: return _("A claim is overdue");
    case KL_RISK_NONE:
    default: return "";
    }
}

const char *
kl_reminder_kind_to_string (KlReminderKind kind)
{
  switch (kind)
    {
    case KL_REMINDER_BIRTHDAY: return "birthday";
    case KL_REMINDER_AGREEMENT_EXPIRING: return "agreement_expiring";
    case KL_REMINDER_ACCOUNT_IDLE: return "account_idle";
    case KL_REMINDER_FOLLOW_UP: return "follow_up";
    case KL_REMINDER_CLAIM_DEADLINE: return "claim_deadline";
    default: return "";
    }
}

const char *
kl_reminder_kind_to_label (KlReminderKind kind)
{
  switch (kind)
    {
    case KL_REMINDER_BIRTHDAY: return _("Birthday");
    case KL_REMINDER_AGREEMENT_EXPIRING: return _("Agreement expiring");
    case KL_REMINDER_ACCOUNT_IDLE: return _("A account without activity");
    case KL_REMINDER_FOLLOW_UP: return _("Follow-up due");
    case KL_REMINDER_CLAIM_DEADLINE: return _("Claim deadline");
    default: return "";
    }
}

static gboolean
parse_month_day (const char *text, int *month, int *day)
{
  int y, m, d;
  char tail;

  if (text == NULL)
    return FALSE;
  if (sscanf (text, "%4d-%2d-%2d%c", &y, &m, &d, &tail) == 3 && strlen (text) == 10)
    {
      if (!g_date_valid_dmy (d, m, y))
        return FALSE;
    }
  else if ((sscanf (text, "--%2d-%2d%c", &m, &d, &tail) == 2 && strlen (text) == 7)
           || (sscanf (text, "%2d-%2d%c", &m, &d, &tail) == 2 && strlen (text) == 5))
    {
      /* a leap year, so that 29 February is a valid month-day */
      if (!g_date_valid_dmy (d, m, 2000))
        return FALSE;
    }
  else
    return FALSE;
  *month = m;
  *day = d;
  return TRUE;
}

static void
birthday_in_year (int month, int day, int year, GDate *out)
{
  if (month == 2 && day == 29 && !g_date_is_leap_year (year))
    day = 28;
  g_date_clear (out, 1);
  g_date_set_dmy (out, day, month, year);
}

int
kl_health_next_birthday (const char  *birthday,
                         const GDate *today,
                         GDate       *out_next)
{
  int month, day, year = g_date_get_year (today);
  GDate next;

  if (!parse_month_day (birthday, &month, &day))
    return -1;
  birthday_in_year (month, day, year, &next);
  if (g_date_compare (&next, today) < 0)
    birthday_in_year (month, day, year + 1, &next);
  if (out_next)
    *out_next = next;
  return g_date_days_between (today, &next);
}

gboolean
kl_health_birthday_due (const char  *birthday,
                        const GDate *today,
                        int          days,
                        GDate       *out_next)
{
  int d = kl_health_next_birthday (birthday, today, out_next);
  return d >= 0 && d <= days;
}

gboolean
kl_health_agreement_expiring (const char  *effective_to,
                              const GDate *today,
                              int          days,
                              int         *out_days_left)
{
  int y, m, d, left;
  char tail;
  GDate end;

  if (effective_to == NULL || strlen (effective_to) != 10
      || sscanf (effective_to, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3
      || !g_date_valid_dmy (d, m, y))
    return FALSE;
  g_date_clear (&end, 1);
  g_date_set_dmy (&end, d, m, y);
  left = g_date_days_between (today, &end);
  if (out_days_left)
    *out_days_left = left;
  return left >= 0 && left <= days;
}

gboolean
kl_health_account_idle (const GDate *last_done_day,
                        const GDate *today,
                        int          days)
{
  if (last_done_day == NULL || !g_date_valid (last_done_day))
    return TRUE;
  return g_date_days_between (last_done_day, today) > days;
}

gboolean
kl_health_follow_up_due (gint64   due_at,
                         gboolean done,
                         gint64   end_of_today)
{
  return !done && due_at != KL_NO_TIME && due_at <= end_of_today;
}

gboolean
kl_health_claim_deadline_soon (gint64 deadline,
                               gint64 now,
                               int    days)
{
  return deadline != KL_NO_TIME && deadline <= now + (gint64) days * 86400;
}
