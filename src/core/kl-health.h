/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Account health (docs/analysis.md): the at-risk rules and the date rules
 * of the reminders. Pure functions; kl-health-data.c reads the workspace. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  KL_RISK_NONE             = 0,
  KL_RISK_SHIPMENTS_FALLING = 1 << 0,  /* fell in each of the last 3 months */
  KL_RISK_ON_TIME_BELOW     = 1 << 1,  /* below target in >= 2 of the last 3 */
  KL_RISK_CLAIM_OVERDUE     = 1 << 2,
} KlRiskReasons;

typedef struct {
  gint64   shipments[4];  /* months m−3, m−2, m−1, m: oldest first */
  double   on_time[3];    /* arrival on-time rate of m−2, m−1, m; NAN: nothing delivered */
  double   target[3];     /* the agreement's arrival target those months; NAN: none */
  gboolean claim_overdue;
} KlRiskInput;

KlRiskReasons kl_health_risk_reasons (const KlRiskInput *in);
/* "shipments_falling", "on_time_below_target", "claim_overdue" */
const char   *kl_risk_reason_to_string (KlRiskReasons single);
const char   *kl_risk_reason_to_label  (KlRiskReasons single);

typedef enum {
  KL_REMINDER_BIRTHDAY,
  KL_REMINDER_AGREEMENT_EXPIRING,
  KL_REMINDER_ACCOUNT_IDLE,
  KL_REMINDER_FOLLOW_UP,
  KL_REMINDER_CLAIM_DEADLINE,
} KlReminderKind;

/* "birthday", "agreement_expiring", "account_idle", "follow_up",
 * "claim_deadline" */
const char *kl_reminder_kind_to_string (KlReminderKind kind);
const char *kl_reminder_kind_to_label  (KlReminderKind kind);

#define KL_REMINDER_BIRTHDAY_DAYS   14
#define KL_REMINDER_AGREEMENT_DAYS  60
#define KL_REMINDER_IDLE_DAYS       30
#define KL_REMINDER_CLAIM_DAYS      3

/* The next birthday on or after today of a birthday written "YYYY-MM-DD",
 * "MM-DD" or "--MM-DD"; 29 February falls on 28 February in other years.
 * Returns the days from today to it (0 = today), or -1 when the text is no
 * date. */
int      kl_health_next_birthday     (const char  *birthday,
                                      const GDate *today,
                                      GDate       *out_next);
/* A birthday is due when it falls within today .. today + days (inclusive). */
gboolean kl_health_birthday_due      (const char  *birthday,
                                      const GDate *today,
                                      int          days,
                                      GDate       *out_next);
/* effective_to ("YYYY-MM-DD") within today .. today + days (inclusive). */
gboolean kl_health_agreement_expiring (const char  *effective_to,
                                       const GDate *today,
                                       int          days,
                                       int         *out_days_left);
/* An account is idle when the last done activity (local date) is more than
 * days before today, or there is none (KL_NO_TIME as last_done_day: pass
 * NULL). */
gboolean kl_health_account_idle      (const GDate *last_done_day,
                                      const GDate *today,
                                      int          days);
/* A follow-up is due or overdue when not done and its due time is at or
 * before the end of today (end_of_today = the last second of today). */
gboolean kl_health_follow_up_due     (gint64   due_at,
                                      gboolean done,
                                      gint64   end_of_today);
/* A claim deadline within the next days × 24 h, or already passed. */
gboolean kl_health_claim_deadline_soon (gint64 deadline,
                                        gint64 now,
                                        int    days);

G_END_DECLS
