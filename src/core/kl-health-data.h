/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Account health read from the workspace (docs/analysis.md): reminders,
 * the at-risk reasons, the relationship-stage history and the lost-customer
 * analysis. The rules themselves are kl-health.h. */
#pragma once

#include "kl-analysis-data.h"
#include "kl-database.h"
#include "kl-health.h"

G_BEGIN_DECLS

typedef struct {
  KlReminderKind kind;
  char          *date;           /* YYYY-MM-DD the reminder is about */
  int            days;           /* from today; negative when overdue */
  char          *customer_id;
  char          *customer_code;
  char          *customer_name;
  char          *record_kind;    /* "contact", "agreement", "customer", "activity", "claim" */
  char          *record_id;
  char          *subject;        /* the contact's name, the activity's subject, the claim number… */
} KlReminder;

void kl_reminder_free (KlReminder *r);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KlReminder, kl_reminder_free)

/* The five kinds of reminders at now (in the workspace time zone), birthdays
 * within birthday_days (14 by default), ordered by date, then kind, then
 * customer code. A GPtrArray of KlReminder. */
GPtrArray *kl_health_reminders (KlDatabase  *db,
                                gint64       now,
                                int          birthday_days,
                                GError     **error);

/* iCalendar text (RFC 5545, written by libical) of reminders: one all-day
 * VEVENT per reminder, UIDs stable across exports. */
char      *kl_health_reminders_to_ical (GPtrArray *reminders,
                                        gint64     now);

/* The at-risk reasons of every customer as of the last complete month
 * before now: customer id → GUINT (KlRiskReasons), only those with any. */
GHashTable *kl_health_risks (KlDatabase  *db,
                             gint64       now,
                             GError     **error);

/* One stage or status change. */
typedef struct {
  gint64  at;
  char   *field;       /* "relationship" or "status" */
  char   *old_value;   /* NULL for the first */
  char   *new_value;
  char   *reason;
} KlStageChange;

void       kl_stage_change_free (KlStageChange *c);
/* A customer's changes, oldest first. */
GPtrArray *kl_health_stage_history (KlDatabase  *db,
                                    const char  *customer_id,
                                    GError     **error);

typedef struct {
  char           *code;
  char           *name;
  char           *account_manager;   /* "" when none */
  char           *date;              /* YYYY-MM-DD of the loss */
  char           *reason;            /* "" when none */
  KlAccountClass  class_before;      /* over the 12 months before the loss month */
  gint64          contribution;      /* over those months, in basis */
} KlLostCustomer;

typedef struct {
  KlAnalysisBasis basis;
  GPtrArray      *customers;     /* KlLostCustomer *, by date then code */
} KlLostAnalysis;

void            kl_lost_analysis_free (KlLostAnalysis *a);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KlLostAnalysis, kl_lost_analysis_free)

/* Customers whose status became lost from first_date to last_date
 * (YYYY-MM-DD, inclusive): the loss date is the customer's lost_date, else
 * the day of the last change of its status to lost. basis NULL: the default
 * basis of the twelve months ending with last_date's month. */
KlLostAnalysis *kl_health_lost (KlDatabase            *db,
                                const char            *first_date,
                                const char            *last_date,
                                const KlAnalysisBasis *basis,
                                GError               **error);

G_END_DECLS
