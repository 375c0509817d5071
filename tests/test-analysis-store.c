/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The workspace side of docs/analysis.md: the stage history kept by the
 * store, the class set by hand, surveys with the default attributes, the
 * lost-customer analysis and the reminders, with numbers worked by hand. */

#include <math.h>
#include <string.h>
#include <glib/gstdio.h>

#include "kl-activity-store.h"
#include "kl-agreement-store.h"
#include "kl-analysis-data.h"
#include "kl-contact-store.h"
#include "kl-customer-store.h"
#include "kl-health-data.h"
#include "kl-import.h"
#include "kl-survey-report.h"
#include "kl-survey-store.h"
#include "kl-test-util.h"

typedef struct {
  char       *dir;
  KlDatabase *db;
} Fixture;

static void
set_up (Fixture *f, gconstpointer data)
{
  g_autofree char *path = NULL;

  f->dir = kl_test_make_tmp_dir ("keyline-test-analysis-store-XXXXXX");
  path = g_build_filename (f->dir, "workspace.db", NULL);
  f->db = kl_test_create_workspace (path);
}

static void
tear_down (Fixture *f, gconstpointer data)
{
  g_clear_object (&f->db);
  kl_test_remove_tree (f->dir);
  g_free (f->dir);
}

static void
import_csv (Fixture *f, KlImportKind kind, const char *csv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = g_bytes_new (csv, strlen (csv));
  g_autoptr(KlImportResult) result = kl_import_run (f->db, kind, "test.csv", bytes, KL_IMPORT_FLAGS_NONE,
                                                    NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (result->n_bad, ==, 0);
}

static KlCustomer *
customer (Fixture *f, const char *code)
{
  g_autoptr(GError) error = NULL;
  KlCustomer *c = kl_customer_store_get_by_code (f->db, code, &error);
  g_assert_no_error (error);
  return c;
}

/* Every change of stage and status is kept, with its reason for a loss. */
static void
test_stage_history (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = kl_test_add_customer (f->db, "H1", "History");
  g_autoptr(KlCustomer) c = kl_customer_store_get (f->db, id, &error);
  g_autoptr(GPtrArray) history = NULL;
  KlStageChange *last;

  c->relationship = KL_RELATIONSHIP_PROACTIVE;
  g_assert_true (kl_customer_store_save (f->db, c, KL_ORIGIN_LOCAL, NULL, &error));
  g_assert_no_error (error);
  /* a save that changes neither adds nothing */
  c->notes = g_strdup ("a note");
  g_assert_true (kl_customer_store_save (f->db, c, KL_ORIGIN_LOCAL, NULL, &error));
  c->status = KL_CUSTOMER_STATUS_LOST;
  c->lost_reason = g_strdup ("price");
  c->lost_date = g_strdup ("2026-06-15");
  g_assert_true (kl_customer_store_save (f->db, c, KL_ORIGIN_LOCAL, NULL, &error));

  history = kl_health_stage_history (f->db, id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (history->len, ==, 4);
  g_assert_cmpstr (((KlStageChange *) history->pdata[0])->field, ==, "relationship");
  g_assert_null (((KlStageChange *) history->pdata[0])->old_value);
  g_assert_cmpstr (((KlStageChange *) history->pdata[0])->new_value, ==, "basic");
  g_assert_cmpstr (((KlStageChange *) history->pdata[1])->field, ==, "status");
  g_assert_cmpstr (((KlStageChange *) history->pdata[2])->old_value, ==, "basic");
  g_assert_cmpstr (((KlStageChange *) history->pdata[2])->new_value, ==, "proactive");
  last = history->pdata[3];
  g_assert_cmpstr (last->field, ==, "status");
  g_assert_cmpstr (last->old_value, ==, "active");
  g_assert_cmpstr (last->new_value, ==, "lost");
  g_assert_cmpstr (last->reason, ==, "price");
}

/* Three shipments of L1 and one of X1 in March 2026: L1 75 % (A), X1 B.
 * L1 is lost on 15 June (in 2026-Q2): class A before, contribution 3 over
 * the twelve months to May. L2, lost in August, is outside. */
static void
test_lost_and_override (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KlLostAnalysis) lost = NULL;
  g_autoptr(KlClassAnalysis) classes = NULL;
  g_autoptr(KlCustomer) l1 = NULL;
  g_autoptr(KlCustomer) l2 = NULL;
  g_autoptr(KlCustomer) x1 = NULL;
  KlAnalysisBasis basis = KL_BASIS_SHIPMENTS;
  const KlLostCustomer *c;
  const KlClassAccount *acc;

  import_csv (f, KL_IMPORT_CUSTOMERS, "code,name,account_manager\nL1,Lost one,Wang\nL2,Lost two,Li\nX1,Other,Wang\n");
  import_csv (f, KL_IMPORT_SHIPMENTS,
              "waybill,customer_code,status,pieces,planned_pickup_at,planned_delivery_at\n"
              "S1,L1,booked,1,2026-03-02T08:00:00Z,2026-03-04T08:00:00Z\n"
              "S2,L1,booked,1,2026-03-03T08:00:00Z,2026-03-04T08:00:00Z\n"
              "S3,L1,booked,1,2026-03-04T08:00:00Z,2026-03-05T08:00:00Z\n"
              "S4,X1,booked,1,2026-03-05T08:00:00Z,2026-03-06T08:00:00Z\n"
              "S5,L2,booked,1,2026-03-05T08:00:00Z,2026-03-06T08:00:00Z\n");

  l1 = customer (f, "L1");
  l1->status = KL_CUSTOMER_STATUS_LOST;
  l1->lost_date = g_strdup ("2026-06-15");
  l1->lost_reason = g_strdup ("price");
  g_assert_true (kl_customer_store_save (f->db, l1, KL_ORIGIN_LOCAL, NULL, &error));
  l2 = customer (f, "L2");
  l2->status = KL_CUSTOMER_STATUS_LOST;
  l2->lost_date = g_strdup ("2026-08-01");
  g_assert_true (kl_customer_store_save (f->db, l2, KL_ORIGIN_LOCAL, NULL, &error));

  lost = kl_health_lost (f->db, "2026-04-01", "2026-06-30", &basis, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (lost->customers->len, ==, 1);
  c = lost->customers->pdata[0];
  g_assert_cmpstr (c->code, ==, "L1");
  g_assert_cmpstr (c->date, ==, "2026-06-15");
  g_assert_cmpstr (c->reason, ==, "price");
  g_assert_cmpstr (c->account_manager, ==, "Wang");
  g_assert_cmpint (c->class_before, ==, KL_ACCOUNT_CLASS_A);
  g_assert_cmpint (c->contribution, ==, 3);

  /* shipments L1 3, L2 1, X1 1 of 5: L1 A; L2 (code first) 60 % before: A;
   * X1 80 % before: B — until set to D by hand */
  x1 = customer (f, "X1");
  g_assert_true (kl_analysis_set_class_override (f->db, x1->id, KL_ACCOUNT_CLASS_D, &error));
  g_assert_cmpint (kl_analysis_get_class_override (f->db, x1->id, NULL), ==, KL_ACCOUNT_CLASS_D);
  classes = kl_analysis_load (f->db, 2026, 5, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (classes->basis, ==, KL_BASIS_SHIPMENTS);   /* no revenue on record */
  acc = kl_class_analysis_account (classes, x1->id);
  g_assert_cmpint (acc->computed, ==, KL_ACCOUNT_CLASS_B);
  g_assert_cmpint (acc->klass, ==, KL_ACCOUNT_CLASS_D);
  g_assert_cmpint (acc->manual, ==, KL_ACCOUNT_CLASS_D);
  g_assert_true (kl_analysis_set_class_override (f->db, x1->id, KL_ACCOUNT_CLASS_NONE, &error));
  g_assert_cmpint (kl_analysis_get_class_override (f->db, x1->id, NULL), ==, KL_ACCOUNT_CLASS_NONE);
}

static void
test_settings (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  KlClassThresholds t = { 5000, 8000, 9500 }, rt;
  KlPriorityMatrix m, rm;
  KlStandards s, rs;

  kl_analysis_settings_read (f->db, &rt, &rm, &rs);
  g_assert_cmpint (rt.a_bp, ==, 7000);
  g_assert_cmpint (kl_priority_matrix_lookup (&rm, KL_ACCOUNT_CLASS_C, KL_LINE_CLASS_I), ==, 6);
  kl_priority_matrix_init_default (&m);
  m.priority[0][0] = 2;
  kl_standards_init_default (&s);
  s.bands[0].lead_days = 2;
  g_assert_true (kl_analysis_settings_write (f->db, &t, &m, &s, &error));
  g_assert_no_error (error);
  kl_analysis_settings_read (f->db, &rt, &rm, &rs);
  g_assert_cmpint (rt.a_bp, ==, 5000);
  g_assert_cmpint (rt.c_bp, ==, 9500);
  g_assert_cmpint (kl_priority_matrix_lookup (&rm, KL_ACCOUNT_CLASS_A, KL_LINE_CLASS_I), ==, 2);
  g_assert_cmpint (kl_standards_lookup (&rs, 1)->lead_days, ==, 2);
}

static void
test_survey_store (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  const char *competitors[] = { "Rival", "Other", NULL };
  g_autofree char *id = kl_survey_store_create (f->db, "Round 1", "2026-06-01", competitors, "Other", TRUE, &error);
  g_autofree char *cid = kl_test_add_customer (f->db, "S1", "Surveyed");
  g_autofree char *again = NULL;
  g_autoptr(KlSurvey) s = NULL;
  g_autoptr(KlSurveyReport) report = NULL;
  g_autoptr(GPtrArray) list = NULL;
  KlSurveyAttribute *price;
  gint64 r1, r2;
  guint n;

  g_assert_no_error (error);
  again = kl_survey_store_create (f->db, "Round 1", "2026-06-02", NULL, NULL, FALSE, &error);
  g_assert_null (again);
  g_assert_error (error, KL_DATABASE_ERROR, KL_DATABASE_ERROR_CONSTRAINT);
  g_clear_error (&error);

  s = kl_survey_store_load (f->db, "Round 1", &error);
  g_assert_no_error (error);
  kl_survey_default_attributes (&n);
  g_assert_cmpuint (n, ==, 10);
  g_assert_cmpuint (kl_survey_n_attributes (s), ==, 10);
  g_assert_cmpstr (((KlSurveyAttribute *) s->attributes->pdata[1])->name_zh, ==, "准时送达");
  g_assert_cmpstr (kl_survey_attribute_name (s->attributes->pdata[9], "en"), ==, "Price");
  g_assert_cmpuint (kl_survey_n_companies (s), ==, 3);
  g_assert_cmpstr (((KlSurveyCompany *) s->companies->pdata[0])->name, ==, "ours");
  g_assert_cmpint (kl_survey_main_index (s), ==, 2);
  price = s->attributes->pdata[9];

  /* two respondents: ours 6 and 4, Other 3 and 3 on price; importance 7, 5 */
  r1 = kl_survey_store_ensure_respondent (f->db, id, "Ms Li", cid, &error);
  r2 = kl_survey_store_ensure_respondent (f->db, id, "Mr Wu", cid, &error);
  g_assert_no_error (error);
  g_assert_true (kl_survey_store_set_importance (f->db, r1, price->id, 7, &error));
  g_assert_true (kl_survey_store_set_importance (f->db, r2, price->id, 5, &error));
  g_assert_false (kl_survey_store_set_importance (f->db, r2, price->id, 8, &error));
  g_assert_error (error, KL_DATABASE_ERROR, KL_DATABASE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_true (kl_survey_store_set_performance (f->db, r1, price->id,
                                                  ((KlSurveyCompany *) s->companies->pdata[0])->id, 6, &error));
  g_assert_true (kl_survey_store_set_performance (f->db, r2, price->id,
                                                  ((KlSurveyCompany *) s->companies->pdata[0])->id, 4, &error));
  g_assert_true (kl_survey_store_set_performance (f->db, r1, price->id,
                                                  ((KlSurveyCompany *) s->companies->pdata[2])->id, 3, &error));
  g_assert_true (kl_survey_store_set_performance (f->db, r2, price->id,
                                                  ((KlSurveyCompany *) s->companies->pdata[2])->id, 3, &error));
  /* a rating cleared is not rated */
  g_assert_true (kl_survey_store_set_performance (f->db, r2, price->id,
                                                  ((KlSurveyCompany *) s->companies->pdata[1])->id, 0, &error));
  g_assert_no_error (error);

  g_clear_pointer (&s, kl_survey_free);
  s = kl_survey_store_load (f->db, id, &error);
  report = kl_survey_report_compute (s);
  /* price: importance mean 6, ours mean 5 sd √2, Other mean 3 sd 0 → relative +2;
   * t = 2 / √(2/2) = 2, df = 1, p = 2 × (1 − F₁(2)) = 1 − (2/π) atan 2 = 0.2951672353 */
  g_assert_cmpfloat (report->results[9].importance.mean, ==, 6.0);
  g_assert_cmpfloat (report->results[9].relative, ==, 2.0);
  g_assert_true (report->results[9].tested);
  g_assert_cmpfloat_with_epsilon (report->results[9].p, 1.0 - 2.0 / G_PI * atan (2.0), 1e-10);
  g_assert_cmpuint (report->results[9].performance[1].n, ==, 0);
  g_assert_cmpint (report->results[9].position, ==, KL_POSITION_IMPORTANT_STRENGTH);
  /* importance 6 is high, our 5.0 exactly is still medium: improve */
  g_assert_cmpint (report->results[9].action, ==, KL_ACTION_IMPROVE);
  /* an attribute nobody answered */
  g_assert_cmpuint (report->results[0].n, ==, 0);
  g_assert_false (report->results[0].tested);
  g_assert_cmpint (report->results[0].position, ==, KL_POSITION_NONE);

  list = kl_survey_store_list (f->db, &error);
  g_assert_cmpuint (list->len, ==, 1);
  g_assert_cmpstr (((KlSurveyInfo *) list->pdata[0])->main_competitor, ==, "Other");
  g_assert_cmpstr (((KlSurveyInfo *) list->pdata[0])->customers, ==, "S1");
  g_assert_cmpuint (((KlSurveyInfo *) list->pdata[0])->n_respondents, ==, 2);
}

static const KlReminder *
find_reminder (GPtrArray *list, KlReminderKind kind)
{
  for (guint i = 0; i < list->len; i++)
    if (((KlReminder *) list->pdata[i])->kind == kind)
      return list->pdata[i];
  g_error ("no reminder of kind %s", kl_reminder_kind_to_string (kind));
}

/* On 25 December 2026 (UTC): a birthday on 5 January is 11 days away; an
 * agreement ending 20 February 2027 is 57 days away; a follow-up due on
 * 20 December is overdue; one due on 26 December is not due yet. */
static void
test_reminders (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = kl_test_add_customer (f->db, "R1", "Reminded");
  g_autoptr(KlContact) contact = kl_contact_new ();
  g_autoptr(KlContact) late = kl_contact_new ();
  g_autoptr(KlAgreement) agreement = kl_agreement_new ();
  g_autoptr(KlActivity) due = kl_activity_new ();
  g_autoptr(KlActivity) later = kl_activity_new ();
  g_autoptr(GPtrArray) list = NULL;
  g_autofree char *ics = NULL;
  gint64 now = kl_test_unix_time ("2026-12-25T12:00:00Z");
  const KlReminder *r;

  contact->customer_id = g_strdup (id);
  contact->name = g_strdup ("Zhang");
  contact->birthday = g_strdup ("1980-01-05");
  g_assert_true (kl_contact_store_save (f->db, contact, &error));
  late->customer_id = g_strdup (id);
  late->name = g_strdup ("Qian");
  late->birthday = g_strdup ("1980-01-09");   /* 15 days */
  g_assert_true (kl_contact_store_save (f->db, late, &error));
  agreement->customer_id = g_strdup (id);
  agreement->effective_from = g_strdup ("2026-01-01");
  agreement->effective_to = g_strdup ("2027-02-20");
  g_assert_true (kl_agreement_store_save (f->db, agreement, &error));
  due->customer_id = g_strdup (id);
  due->subject = g_strdup ("Call back");
  due->at = kl_test_unix_time ("2026-12-01T09:00:00Z");
  due->due_at = kl_test_unix_time ("2026-12-20T09:00:00Z");
  g_assert_true (kl_activity_store_save (f->db, due, &error));
  later->customer_id = g_strdup (id);
  later->subject = g_strdup ("Not yet");
  later->at = kl_test_unix_time ("2026-12-01T09:00:00Z");
  later->due_at = kl_test_unix_time ("2026-12-26T00:00:00Z");
  g_assert_true (kl_activity_store_save (f->db, later, &error));
  g_assert_no_error (error);

  list = kl_health_reminders (f->db, now, 14, &error);
  g_assert_no_error (error);
  r = find_reminder (list, KL_REMINDER_BIRTHDAY);
  g_assert_cmpstr (r->date, ==, "2027-01-05");
  g_assert_cmpint (r->days, ==, 11);
  g_assert_cmpstr (r->subject, ==, "Zhang");
  g_assert_cmpstr (r->record_kind, ==, "contact");
  r = find_reminder (list, KL_REMINDER_AGREEMENT_EXPIRING);
  g_assert_cmpint (r->days, ==, 57);
  r = find_reminder (list, KL_REMINDER_FOLLOW_UP);
  g_assert_cmpstr (r->subject, ==, "Call back");
  g_assert_cmpint (r->days, ==, -5);
  g_assert_cmpuint (list->len, ==, 3);
  /* 15 days for Qian */
  g_clear_pointer (&list, g_ptr_array_unref);
  list = kl_health_reminders (f->db, now, 15, &error);
  g_assert_cmpuint (list->len, ==, 4);
  ics = kl_health_reminders_to_ical (list, now);
  g_assert_nonnull (strstr (ics, "DTSTART;VALUE=DATE:20270105"));
  g_assert_nonnull (strstr (ics, "BEGIN:VEVENT"));
}

static void
import_data_file (Fixture *f, KlImportKind kind, const char *name)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "analysis", name, NULL);
  g_autofree char *contents = NULL;

  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  import_csv (f, kind, contents);
}

/* tests/data/analysis: B2's only line is B × II (priority 4 → 100 %, 1 day);
 * D4's is D × III (16 → 90 %, 5 days); Z0 has no shipments, no proposal. */
static void
test_propose (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KlClassAnalysis) a = NULL;
  g_autoptr(KlCustomer) b2 = NULL;
  g_autoptr(KlCustomer) d4 = NULL;
  g_autoptr(KlCustomer) z0 = NULL;
  KlStandardBand band;
  int priority = 0;

  import_data_file (f, KL_IMPORT_CUSTOMERS, "customers.csv");
  import_data_file (f, KL_IMPORT_SHIPMENTS, "shipments.csv");
  a = kl_analysis_load (f->db, 2026, 10, NULL, &error);
  g_assert_no_error (error);
  b2 = customer (f, "B2");
  d4 = customer (f, "D4");
  z0 = customer (f, "Z0");
  g_assert_true (kl_analysis_propose_standard (a, b2->id, &priority, &band));
  g_assert_cmpint (priority, ==, 4);
  g_assert_cmpfloat (band.on_time, ==, 1.0);
  g_assert_cmpint (band.lead_days, ==, 1);
  g_assert_true (kl_analysis_propose_standard (a, d4->id, &priority, &band));
  g_assert_cmpint (priority, ==, 16);
  g_assert_cmpfloat (band.on_time, ==, 0.90);
  g_assert_cmpint (band.lead_days, ==, 5);
  g_assert_false (kl_analysis_propose_standard (a, z0->id, &priority, &band));
}

/* A survey draft: each check names what to fix, and a draft the workspace
 * refuses (an unknown customer code) leaves nothing behind. */
static void
test_survey_draft (Fixture *f, gconstpointer data)
{
  g_autoptr(KlSurveyDraft) d = kl_survey_draft_new ("Round 1", "2026-11-31");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(KlSurvey) s = NULL;
  g_autofree char *id = NULL;

  g_free (kl_test_add_customer (f->db, "HX001", "Huaxin"));
  g_free (kl_test_add_customer (f->db, "SD002", "Shunda"));
  g_assert_false (kl_survey_draft_check (d, &error));
  g_assert_error (error, KL_DATABASE_ERROR, KL_DATABASE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "“2026-11-31” is not a date"));
  g_clear_error (&error);
  g_free (d->held_on);
  d->held_on = g_strdup ("2026-11-30");
  g_assert_false (kl_survey_draft_check (d, &error));
  g_assert_nonnull (strstr (error->message, "at least one attribute"));
  g_clear_error (&error);
  g_assert_true (kl_survey_draft_add_default (d, "price"));
  g_assert_false (kl_survey_draft_add_default (d, "cold_chain"));
  kl_survey_draft_add_attribute (d, "cold_chain", NULL, NULL);
  g_assert_false (kl_survey_draft_check (d, &error));
  g_assert_nonnull (strstr (error->message, "at least one competitor"));
  g_clear_error (&error);
  kl_survey_draft_add_competitor (d, "我方");
  g_assert_false (kl_survey_draft_check (d, &error));
  g_assert_nonnull (strstr (error->message, "“我方” stands for our own company"));
  g_clear_error (&error);
  g_ptr_array_set_size (d->competitors, 0);
  kl_survey_draft_add_competitor (d, "Rival");
  kl_survey_draft_add_competitor (d, " Rival ");
  g_assert_false (kl_survey_draft_check (d, &error));
  g_assert_nonnull (strstr (error->message, "“Rival” is named twice"));
  g_clear_error (&error);
  g_ptr_array_remove_index (d->competitors, 1);
  kl_survey_draft_add_competitor (d, "Other");
  d->main_competitor = g_strdup ("Nobody");
  g_assert_false (kl_survey_draft_check (d, &error));
  g_assert_nonnull (strstr (error->message, "“Nobody” is not one of"));
  g_clear_error (&error);
  g_free (d->main_competitor);
  d->main_competitor = g_strdup ("Other");
  kl_survey_draft_add_respondent (d, "Ms Li", "HX001");
  kl_survey_draft_add_respondent (d, "Ms Li", "SD002");
  g_assert_false (kl_survey_draft_check (d, &error));
  g_assert_nonnull (strstr (error->message, "“Ms Li” is listed twice"));
  g_clear_error (&error);
  g_ptr_array_remove_index (d->respondents, 1);
  kl_survey_draft_add_respondent (d, "Mr Wu", "XX999");
  g_assert_true (kl_survey_draft_check (d, &error));
  g_assert_no_error (error);

  /* refused whole by the workspace: no survey is left */
  g_assert_null (kl_survey_store_create_draft (f->db, d, &error));
  g_assert_error (error, KL_DATABASE_ERROR, KL_DATABASE_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "Respondent “Mr Wu”: no customer has the code “XX999”"));
  g_clear_error (&error);
  list = kl_survey_store_list (f->db, &error);
  g_assert_cmpuint (list->len, ==, 0);

  g_ptr_array_remove_index (d->respondents, 1);
  g_ptr_array_add (d->customer_codes, g_strdup ("SD002"));
  id = kl_survey_store_create_draft (f->db, d, &error);
  g_assert_no_error (error);
  s = kl_survey_store_load (f->db, id, &error);
  g_assert_cmpstr (s->name, ==, "Round 1");
  g_assert_cmpuint (kl_survey_n_attributes (s), ==, 2);
  g_assert_cmpstr (kl_survey_attribute_name (s->attributes->pdata[0], "zh_CN"), ==, "价格");
  g_assert_cmpstr (kl_survey_attribute_name (s->attributes->pdata[1], "en"), ==, "cold_chain");
  g_assert_cmpuint (kl_survey_n_companies (s), ==, 3);
  g_assert_cmpstr (((KlSurveyCompany *) s->companies->pdata[kl_survey_main_index (s)])->name, ==, "Other");
  g_assert_cmpuint (s->customer_codes->len, ==, 2);
  g_assert_cmpstr (s->customer_codes->pdata[1], ==, "SD002");
  g_assert_cmpuint (kl_survey_n_respondents (s), ==, 1);
  /* the name is taken now */
  g_assert_null (kl_survey_store_create_draft (f->db, d, &error));
  g_assert_error (error, KL_DATABASE_ERROR, KL_DATABASE_ERROR_CONSTRAINT);
}

int
main (int argc, char **argv)
{
  g_setenv ("TZ", "UTC", TRUE);
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/analysis-store/stage-history", Fixture, NULL, set_up, test_stage_history, tear_down);
  g_test_add ("/analysis-store/lost-and-override", Fixture, NULL, set_up, test_lost_and_override, tear_down);
  g_test_add ("/analysis-store/settings", Fixture, NULL, set_up, test_settings, tear_down);
  g_test_add ("/analysis-store/survey", Fixture, NULL, set_up, test_survey_store, tear_down);
  g_test_add ("/analysis-store/survey-draft", Fixture, NULL, set_up, test_survey_draft, tear_down);
  g_test_add ("/analysis-store/reminders", Fixture, NULL, set_up, test_reminders, tear_down);
  g_test_add ("/analysis-store/propose", Fixture, NULL, set_up, test_propose, tear_down);
  return g_test_run ();
}
