/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Report periods: parsing, labels, month ranges, dates, bounds in a zone,
 * previous, year ago and the trailing twelve months. */

#include "kl-period.h"
#include "kl-test-util.h"

static KlPeriod *
parse_ok (const char *text)
{
  g_autoptr(GError) error = NULL;
  KlPeriod *p = kl_period_parse (text, &error);

  g_assert_no_error (error);
  g_assert_nonnull (p);
  return p;
}

static void
check_label (const KlPeriod *p, const char *expected)
{
  g_autofree char *label = kl_period_to_label (p);
  g_assert_cmpstr (label, ==, expected);
}

static void
test_parse (void)
{
  g_autoptr(KlPeriod) m = parse_ok ("2026-10");
  g_autoptr(KlPeriod) q = parse_ok ("2026-Q3");
  g_autoptr(KlPeriod) q2 = parse_ok ("2026-q1");
  g_autoptr(KlPeriod) y = parse_ok ("2026");

  g_assert_cmpint (m->kind, ==, KL_PERIOD_MONTH);
  g_assert_cmpint (m->year, ==, 2026);
  g_assert_cmpint (m->index, ==, 10);
  g_assert_cmpint (q->kind, ==, KL_PERIOD_QUARTER);
  g_assert_cmpint (q->index, ==, 3);
  g_assert_cmpint (q2->index, ==, 1);
  g_assert_cmpint (y->kind, ==, KL_PERIOD_YEAR);
  check_label (m, "2026-10");
  check_label (q, "2026-Q3");
  check_label (q2, "2026-Q1");
  check_label (y, "2026");
  g_assert_cmpstr (kl_period_kind_to_string (m->kind), ==, "month");
  g_assert_cmpstr (kl_period_kind_to_string (q->kind), ==, "quarter");
  g_assert_cmpstr (kl_period_kind_to_string (y->kind), ==, "year");
}

static void
test_parse_bad (void)
{
  const char *bad[] = { "", "26", "2026-13", "2026-00", "2026-1", "2026-Q5", "2026-Q0",
                        "2026-Q", "2026-10-01", "2026/10", " 2026", "2026 ", "abcd",
                        "2026-Q3x", "1899", "２０２６",
                        /* Outside 2000..2099 (issue 12: 9999 printed a CRITICAL). */
                        "1999", "2100", "9999", "0000-01", "9999-12", "9999-Q4" };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(KlPeriod) p = kl_period_parse (bad[i], &error);

      g_assert_null (p);
      g_assert_error (error, KL_REPORT_ERROR, KL_REPORT_ERROR_BAD_PERIOD);
      /* The message names the text and the accepted forms. */
      g_assert_nonnull (strstr (error->message, bad[i]));
      g_assert_nonnull (strstr (error->message, "2026-10"));
      g_assert_nonnull (strstr (error->message, "2026-Q3"));
    }
}

/* Issue 12: the message is one line, however the argument looks. */
static void
test_parse_hostile (void)
{
  g_autoptr(GString) text = g_string_new ("2026\n\x1b[31m");
  g_autoptr(GError) error = NULL;
  g_autoptr(KlPeriod) p = NULL;

  for (guint i = 0; i < 10000; i++)
    g_string_append_c (text, 'x');
  p = kl_period_parse (text->str, &error);
  g_assert_null (p);
  g_assert_error (error, KL_REPORT_ERROR, KL_REPORT_ERROR_BAD_PERIOD);
  g_assert_null (strchr (error->message, '\n'));
  g_assert_null (strchr (error->message, '\x1b'));
  g_assert_nonnull (strstr (error->message, "2026\\n\\x1B[31m"));
  g_assert_nonnull (strstr (error->message, "…"));
  g_assert_cmpuint (strlen (error->message), <, 400);
}

static void
test_months_and_dates (void)
{
  struct {
    const char *text;
    int first, last, n;
    const char *start, *end;
  } cases[] = {
    { "2026-10", 202610, 202610, 1, "2026-10-01", "2026-10-31" },
    { "2026-Q3", 202607, 202609, 3, "2026-07-01", "2026-09-30" },
    { "2026-Q1", 202601, 202603, 3, "2026-01-01", "2026-03-31" },
    { "2026-Q4", 202610, 202612, 3, "2026-10-01", "2026-12-31" },
    { "2026",    202601, 202612, 12, "2026-01-01", "2026-12-31" },
    /* Leap day. */
    { "2024-02", 202402, 202402, 1, "2024-02-01", "2024-02-29" },
    { "2025-02", 202502, 202502, 1, "2025-02-01", "2025-02-28" },
    /* A century that is a leap year, and the last month there is. */
    { "2000-02", 200002, 200002, 1, "2000-02-01", "2000-02-29" },
    { "2099-12", 209912, 209912, 1, "2099-12-01", "2099-12-31" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(KlPeriod) p = parse_ok (cases[i].text);
      g_autofree char *start = kl_period_start_date (p);
      g_autofree char *end = kl_period_end_date (p);

      g_assert_cmpint (kl_period_first_month (p), ==, cases[i].first);
      g_assert_cmpint (kl_period_last_month (p), ==, cases[i].last);
      g_assert_cmpint (kl_period_n_months (p), ==, cases[i].n);
      g_assert_cmpstr (start, ==, cases[i].start);
      g_assert_cmpstr (end, ==, cases[i].end);
    }
}

static void
check_relative (const char *text, const char *previous, const char *year_ago,
                int trailing_first, int trailing_last)
{
  g_autoptr(KlPeriod) p = parse_ok (text);
  g_autoptr(KlPeriod) prev = kl_period_previous (p);
  g_autoptr(KlPeriod) ago = kl_period_year_ago (p);
  int first, last;

  check_label (prev, previous);
  check_label (ago, year_ago);
  kl_period_trailing_twelve (p, &first, &last);
  g_assert_cmpint (first, ==, trailing_first);
  g_assert_cmpint (last, ==, trailing_last);
}

static void
test_relative (void)
{
  check_relative ("2026-01", "2025-12", "2025-01", 202502, 202601);
  check_relative ("2026-10", "2026-09", "2025-10", 202511, 202610);
  check_relative ("2026-12", "2026-11", "2025-12", 202601, 202612);
  check_relative ("2026-Q1", "2025-Q4", "2025-Q1", 202504, 202603);
  check_relative ("2026-Q3", "2026-Q2", "2025-Q3", 202510, 202609);
  check_relative ("2026", "2025", "2025", 202601, 202612);
  /* A leap year's February a year on is a plain February. */
  check_relative ("2025-02", "2025-01", "2024-02", 202403, 202502);
}

static void
test_month_add (void)
{
  g_assert_cmpint (kl_month_add (202601, -1), ==, 202512);
  g_assert_cmpint (kl_month_add (202612, 1), ==, 202701);
  g_assert_cmpint (kl_month_add (202610, -11), ==, 202511);
  g_assert_cmpint (kl_month_add (202610, -24), ==, 202410);
  g_assert_cmpint (kl_month_add (202610, 0), ==, 202610);
  g_assert_cmpint (kl_month_add (202603, 13), ==, 202704);
}

static void
test_bounds (void)
{
  g_autoptr(GTimeZone) shanghai = g_time_zone_new_identifier ("Asia/Shanghai");
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr(GTimeZone) ny = g_time_zone_new_identifier ("America/New_York");
  g_autoptr(KlPeriod) oct = parse_ok ("2026-10");
  g_autoptr(KlPeriod) q1 = parse_ok ("2026-Q1");
  gint64 start, end, t = kl_test_unix_time ("2026-09-30T16:30:00Z");

  g_assert_nonnull (shanghai);
  g_assert_nonnull (ny);
  kl_period_get_bounds (oct, shanghai, &start, &end);
  g_assert_cmpint (start, ==, kl_test_unix_time ("2026-09-30T16:00:00Z"));
  g_assert_cmpint (end, ==, kl_test_unix_time ("2026-10-31T16:00:00Z"));
  /* 16:30 UTC on the 30th is October in Shanghai and September in UTC. */
  g_assert_true (t >= start && t < end);
  kl_period_get_bounds (oct, utc, &start, &end);
  g_assert_cmpint (start, ==, kl_test_unix_time ("2026-10-01T00:00:00Z"));
  g_assert_false (t >= start && t < end);
  /* New York: October starts in summer time, ends after the switch. */
  kl_period_get_bounds (oct, ny, &start, &end);
  g_assert_cmpint (start, ==, kl_test_unix_time ("2026-10-01T04:00:00Z"));
  g_assert_cmpint (end, ==, kl_test_unix_time ("2026-11-01T04:00:00Z"));
  kl_period_get_bounds (q1, ny, &start, &end);
  g_assert_cmpint (start, ==, kl_test_unix_time ("2026-01-01T05:00:00Z"));
  g_assert_cmpint (end, ==, kl_test_unix_time ("2026-04-01T04:00:00Z"));
}

static void
test_copy_equal_boxed (void)
{
  g_autoptr(KlPeriod) a = parse_ok ("2026-Q3");
  g_autoptr(KlPeriod) b = kl_period_copy (a);
  g_autoptr(KlPeriod) c = parse_ok ("2026-07");
  g_auto(GValue) value = G_VALUE_INIT;

  g_assert_true (kl_period_equal (a, b));
  g_assert_false (kl_period_equal (a, c));
  g_value_init (&value, KL_TYPE_PERIOD);
  g_value_set_boxed (&value, a);
  g_assert_true (kl_period_equal (g_value_get_boxed (&value), a));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/period/parse", test_parse);
  g_test_add_func ("/period/parse-bad", test_parse_bad);
  g_test_add_func ("/period/parse-hostile", test_parse_hostile);
  g_test_add_func ("/period/months-and-dates", test_months_and_dates);
  g_test_add_func ("/period/relative", test_relative);
  g_test_add_func ("/period/month-add", test_month_add);
  g_test_add_func ("/period/bounds", test_bounds);
  g_test_add_func ("/period/copy-equal-boxed", test_copy_equal_boxed);
  return g_test_run ();
}
