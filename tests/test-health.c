/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Account health: the at-risk rules and the reminders' dates at their
 * edges, across year ends and 29 February. */

#include <math.h>

#include "kl-core-types.h"
#include "kl-health.h"

static GDate
day (int y, int m, int d)
{
  GDate date;
  g_date_clear (&date, 1);
  g_date_set_dmy (&date, d, m, y);
  return date;
}

static KlRiskInput
risk (gint64 s0, gint64 s1, gint64 s2, gint64 s3,
      double r0, double r1, double r2, double target)
{
  KlRiskInput in = { { s0, s1, s2, s3 }, { r0, r1, r2 }, { target, target, target }, FALSE };
  return in;
}

static void
test_risk (void)
{
  KlRiskInput in;

  /* fell each month: 10 → 9 → 8 → 7 */
  in = risk (10, 9, 8, 7, NAN, NAN, NAN, NAN);
  g_assert_cmpint (kl_health_risk_reasons (&in), ==, KL_RISK_SHIPMENTS_FALLING);
  /* a flat month breaks it: 10 → 9 → 8 → 8, and 10 → 9 → 9 → 7 */
  in = risk (10, 9, 8, 8, NAN, NAN, NAN, NAN);
  g_assert_cmpint (kl_health_risk_reasons (&in), ==, KL_RISK_NONE);
  in = risk (10, 9, 9, 7, NAN, NAN, NAN, NAN);
  g_assert_cmpint (kl_health_risk_reasons (&in), ==, KL_RISK_NONE);
  in = risk (9, 10, 8, 7, NAN, NAN, NAN, NAN);
  g_assert_cmpint (kl_health_risk_reasons (&in), ==, KL_RISK_NONE);

  /* below 95 % in 2 of 3 months */
  in = risk (5, 5, 5, 5, 0.90, 0.96, 0.94, 0.95);
  g_assert_cmpint (kl_health_risk_reasons (&in), ==, KL_RISK_ON_TIME_BELOW);
  /* exactly at the target is not below: only 1 month below */
  in = risk (5, 5, 5, 5, 0.95, 0.96, 0.94, 0.95);
  g_assert_cmpint (kl_health_risk_reasons (&in), ==, KL_RISK_NONE);
  /* a month without deliveries or without a target does not count */
  in = risk (5, 5, 5, 5, NAN, 0.90, 0.94, 0.95);
  g_assert_cmpint (kl_health_risk_reasons (&in), ==, KL_RISK_ON_TIME_BELOW);
  in = risk (5, 5, 5, 5, 0.50, 0.90, 0.99, 0.95);
  in.target[1] = NAN;
  g_assert_cmpint (kl_health_risk_reasons (&in), ==, KL_RISK_NONE);

  /* every reason that holds */
  in = risk (4, 3, 2, 1, 0.1, 0.1, 0.1, 0.95);
  in.claim_overdue = TRUE;
  g_assert_cmpint (kl_health_risk_reasons (&in), ==,
                   KL_RISK_SHIPMENTS_FALLING | KL_RISK_ON_TIME_BELOW | KL_RISK_CLAIM_OVERDUE);
  g_assert_cmpstr (kl_risk_reason_to_string (KL_RISK_CLAIM_OVERDUE), ==, "claim_overdue");
}

static void
test_birthday_year_end (void)
{
  GDate today = day (2026, 12, 25), next;

  /* 5 January next year: 11 days */
  g_assert_cmpint (kl_health_next_birthday ("1990-01-05", &today, &next), ==, 11);
  g_assert_cmpint (g_date_get_year (&next), ==, 2027);
  g_assert_true (kl_health_birthday_due ("1990-01-05", &today, 14, NULL));
  /* 8 January: 14 days, the last day in; 9 January: 15, out */
  g_assert_true (kl_health_birthday_due ("1990-01-08", &today, 14, NULL));
  g_assert_false (kl_health_birthday_due ("1990-01-09", &today, 14, NULL));
  /* today is day 0; yesterday is almost a year away */
  g_assert_cmpint (kl_health_next_birthday ("12-25", &today, NULL), ==, 0);
  g_assert_cmpint (kl_health_next_birthday ("--12-24", &today, NULL), ==, 364);
  g_assert_cmpint (kl_health_next_birthday ("hello", &today, NULL), ==, -1);
  g_assert_cmpint (kl_health_next_birthday ("02-30", &today, NULL), ==, -1);
  g_assert_cmpint (kl_health_next_birthday (NULL, &today, NULL), ==, -1);
}

static void
test_birthday_29_february (void)
{
  GDate today, next;

  /* 2027 is not a leap year: 28 February, 8 days after 20 February */
  today = day (2027, 2, 20);
  g_assert_cmpint (kl_health_next_birthday ("1992-02-29", &today, &next), ==, 8);
  g_assert_cmpint (g_date_get_day (&next), ==, 28);
  /* 2028 is: 29 February, 9 days after 20 February */
  today = day (2028, 2, 20);
  g_assert_cmpint (kl_health_next_birthday ("1992-02-29", &today, &next), ==, 9);
  g_assert_cmpint (g_date_get_day (&next), ==, 29);
  /* on the day */
  today = day (2028, 2, 29);
  g_assert_cmpint (kl_health_next_birthday ("02-29", &today, NULL), ==, 0);
  /* the day after 28 February 2027 (no 29th that year): 29 February 2028,
   * 365 days from 1 March 2027 */
  today = day (2027, 3, 1);
  g_assert_cmpint (kl_health_next_birthday ("1992-02-29", &today, &next), ==, 365);
  g_assert_cmpint (g_date_get_year (&next), ==, 2028);
  /* across a year end into a leap February: 20 December 2027 → 29 February
   * 2028 = 11 + 31 + 29 = 71 days */
  today = day (2027, 12, 20);
  g_assert_cmpint (kl_health_next_birthday ("1992-02-29", &today, NULL), ==, 71);
  /* 28 February birthdays are not moved */
  today = day (2027, 2, 20);
  g_assert_cmpint (kl_health_next_birthday ("1990-02-28", &today, NULL), ==, 8);
  /* 1 March in a leap year: 10 days after 20 February 2028 */
  today = day (2028, 2, 20);
  g_assert_cmpint (kl_health_next_birthday ("1990-03-01", &today, NULL), ==, 10);
}

static void
test_agreement_expiring (void)
{
  GDate today = day (2026, 12, 1);
  int left = -99;

  /* 30 days of December + 30 of January = 60 */
  g_assert_true (kl_health_agreement_expiring ("2027-01-30", &today, 60, &left));
  g_assert_cmpint (left, ==, 60);
  g_assert_false (kl_health_agreement_expiring ("2027-01-31", &today, 60, &left));
  g_assert_cmpint (left, ==, 61);
  g_assert_true (kl_health_agreement_expiring ("2026-12-01", &today, 60, &left));
  g_assert_cmpint (left, ==, 0);
  g_assert_false (kl_health_agreement_expiring ("2026-11-30", &today, 60, NULL));
  g_assert_false (kl_health_agreement_expiring (NULL, &today, 60, NULL));
  /* 29 February 2028 from 31 December 2027: 31 + 29 = 60 */
  today = day (2027, 12, 31);
  g_assert_true (kl_health_agreement_expiring ("2028-02-29", &today, 60, &left));
  g_assert_cmpint (left, ==, 60);
}

static void
test_idle_and_due (void)
{
  GDate today = day (2027, 1, 4);
  GDate d30 = day (2026, 12, 5), d31 = day (2026, 12, 4);
  gint64 end = 1000000;

  g_assert_false (kl_health_account_idle (&d30, &today, 30));
  g_assert_true (kl_health_account_idle (&d31, &today, 30));
  g_assert_true (kl_health_account_idle (NULL, &today, 30));

  g_assert_true (kl_health_follow_up_due (end, FALSE, end));
  g_assert_true (kl_health_follow_up_due (end - 86400 * 10, FALSE, end));
  g_assert_false (kl_health_follow_up_due (end + 1, FALSE, end));
  g_assert_false (kl_health_follow_up_due (end, TRUE, end));
  g_assert_false (kl_health_follow_up_due (KL_NO_TIME, FALSE, end));

  g_assert_true (kl_health_claim_deadline_soon (end + 3 * 86400, end, 3));
  g_assert_false (kl_health_claim_deadline_soon (end + 3 * 86400 + 1, end, 3));
  g_assert_true (kl_health_claim_deadline_soon (end - 5, end, 3));
  g_assert_false (kl_health_claim_deadline_soon (KL_NO_TIME, end, 3));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/health/risk", test_risk);
  g_test_add_func ("/health/birthday/year-end", test_birthday_year_end);
  g_test_add_func ("/health/birthday/29-february", test_birthday_29_february);
  g_test_add_func ("/health/agreement-expiring", test_agreement_expiring);
  g_test_add_func ("/health/idle-and-due", test_idle_and_due);
  return g_test_run ();
}
