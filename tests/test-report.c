/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The report engine against docs/kpi.md on real workspaces: periods and
 * time zones, cancelled shipments, grace minutes, targets, regions, seasons,
 * the JSON and CSV exports, and a second, independent computation of every
 * figure straight from the shipments table compared on random data. */

#include <math.h>
#include <json-glib/json-glib.h>

#include "kl-database-private.h"
#include "kl-claim-store.h"
#include "kl-customer-store.h"
#include "kl-database.h"
#include "kl-format.h"
#include "kl-report-csv.h"
#include "kl-report-json.h"
#include "kl-report-model.h"
#include "kl-report-note-store.h"
#include "kl-shipment-store.h"
#include "kl-test-util.h"

#define N_CUSTOMERS 4

typedef struct {
  char       *dir;
  KlDatabase *db;
  char       *customer_id[N_CUSTOMERS];
  guint       serial;
} Fixture;

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  f->dir = kl_test_make_tmp_dir ("keyline-report-XXXXXX");
  path = g_build_filename (f->dir, "workspace.db", NULL);
  f->db = kl_test_create_workspace (path);
  g_assert_true (kl_rollup_set_timezone (f->db, "Asia/Shanghai", &error));
  kl_test_add_numbered_customers (f->db, f->customer_id, N_CUSTOMERS);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  g_clear_object (&f->db);
  for (guint i = 0; i < N_CUSTOMERS; i++)
    g_free (f->customer_id[i]);
  g_assert_true (kl_test_remove_tree (f->dir));
  g_free (f->dir);
}

/* A booked shipment of customer i planned for pickup at `planned`. */
static KlShipment *
shipment_new (Fixture *f, guint customer, gint64 planned)
{
  KlShipment *s = kl_shipment_new ();

  s->waybill = g_strdup_printf ("W%06u", ++f->serial);
  s->customer_id = g_strdup (f->customer_id[customer]);
  s->status = KL_SHIPMENT_STATUS_BOOKED;
  s->pieces = 10;
  s->weight_g = -1;
  s->volume_cm3 = -1;
  s->planned_pickup_at = planned;
  s->picked_up_at = KL_NO_TIME;
  s->planned_delivery_at = planned + 86400;
  s->delivered_at = KL_NO_TIME;
  s->documents_ok = KL_TRI_UNKNOWN;
  s->order_accurate = KL_TRI_UNKNOWN;
  return s;
}

static void
save (Fixture *f, KlShipment *s)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (kl_shipment_store_save (f->db, s, NULL, &error));
  g_assert_no_error (error);
}

static void
add_simple (Fixture *f, guint customer, const char *planned)
{
  g_autoptr(KlShipment) s = shipment_new (f, customer, kl_test_unix_time (planned));
  save (f, s);
}

static KlAgreement *
agreement_new (Fixture *f, guint customer, const char *from, const char *to,
               int dispatch_grace, int delivery_grace)
{
  KlAgreement *a = kl_agreement_new ();

  a->customer_id = g_strdup (f->customer_id[customer]);
  a->effective_from = g_strdup (from);
  a->effective_to = g_strdup (to);
  for (guint i = 0; i < KL_N_RATES; i++)
    a->targets[i] = NAN;
  a->dispatch_grace_min = dispatch_grace;
  a->delivery_grace_min = delivery_grace;
  return a;
}

static void
save_agreement (Fixture *f, KlAgreement *a)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (kl_agreement_store_save (f->db, a, &error));
  g_assert_no_error (error);
}

static KlReportModel *
build (Fixture *f, const char *code, const char *period_text)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KlPeriod) period = kl_period_parse (period_text, &error);
  KlReportModel *m;

  g_assert_no_error (error);
  m = kl_report_build (f->db, code, period, &error);
  g_assert_no_error (error);
  g_assert_nonnull (m);
  return m;
}

static gint64
shipments_in (Fixture *f, const char *code, const char *period_text)
{
  g_autoptr(KlReportModel) m = build (f, code, period_text);
  return m->figures.shipments;
}

static void
test_timezone_boundary (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  add_simple (f, 0, "2026-09-30T16:30:00Z");
  /* In Shanghai that is 00:30 on 1 October. */
  g_assert_cmpint (shipments_in (f, "C001", "2026-10"), ==, 1);
  g_assert_cmpint (shipments_in (f, "C001", "2026-09"), ==, 0);
  g_assert_cmpint (shipments_in (f, "C001", "2026-Q4"), ==, 1);
  g_assert_cmpint (shipments_in (f, "C001", "2026-Q3"), ==, 0);

  g_assert_true (kl_rollup_set_timezone (f->db, "UTC", &error));
  g_assert_no_error (error);
  g_assert_cmpint (shipments_in (f, "C001", "2026-10"), ==, 0);
  g_assert_cmpint (shipments_in (f, "C001", "2026-09"), ==, 1);
  g_assert_cmpint (shipments_in (f, "C001", "2026-Q3"), ==, 1);
  {
    g_autoptr(KlReportModel) m = build (f, "C001", "2026-09");
    g_assert_cmpstr (m->timezone, ==, "UTC");
  }
}

static void
test_cancelled (Fixture *f, gconstpointer data)
{
  g_autoptr(KlShipment) kept = shipment_new (f, 0, kl_test_unix_time ("2026-10-10T10:00:00+08:00"));
  g_autoptr(KlShipment) gone = shipment_new (f, 0, kl_test_unix_time ("2026-10-11T10:00:00+08:00"));
  g_autoptr(KlReportModel) m = NULL;

  gone->status = KL_SHIPMENT_STATUS_CANCELLED;
  gone->pieces = 99;
  gone->incident = TRUE;
  gone->picked_up_at = gone->planned_pickup_at;
  gone->documents_ok = KL_TRI_FALSE;
  save (f, kept);
  save (f, gone);

  m = build (f, "C001", "2026-10");
  g_assert_cmpint (m->figures.shipments, ==, 1);
  g_assert_cmpint (m->figures.pieces, ==, 10);
  g_assert_cmpint (m->figures.incidents, ==, 0);
  g_assert_cmpint (m->figures.dispatched, ==, 0);
  g_assert_cmpfloat (m->figures.rates[KL_RATE_INCIDENT], ==, 0.0);
  g_assert_true (isnan (m->figures.rates[KL_RATE_DOCUMENT_ACCURACY]));
}

static void
test_grace (Fixture *f, gconstpointer data)
{
  g_autoptr(KlAgreement) sep = agreement_new (f, 0, "2026-01-01", "2026-09-30", 0, 0);
  g_autoptr(KlAgreement) oct = agreement_new (f, 0, "2026-10-01", NULL, 30, 60);
  struct {
    const char *planned;
    gint64      late_by;       /* seconds after planned pickup */
  } pickups[] = {
    { "2026-09-15T10:00:00+08:00", 600 },      /* September, no grace: late */
    { "2026-09-15T11:00:00+08:00", 0 },        /* equality: on time */
    { "2026-10-15T10:00:00+08:00", 600 },      /* October, 30 min grace: on time */
    { "2026-09-30T16:30:00Z", 600 },           /* 1 October in Shanghai: grace 30 */
    { "2026-10-20T10:00:00+08:00", 1800 },     /* exactly the grace: on time */
    { "2026-10-21T10:00:00+08:00", 1801 },     /* one second over: late */
  };
  g_autoptr(KlReportModel) m = NULL;
  g_autoptr(KlReportModel) again = NULL;
  g_autoptr(GError) error = NULL;

  save_agreement (f, sep);
  save_agreement (f, oct);
  for (guint i = 0; i < G_N_ELEMENTS (pickups); i++)
    {
      g_autoptr(KlShipment) s = shipment_new (f, 0, kl_test_unix_time (pickups[i].planned));

      s->status = KL_SHIPMENT_STATUS_DELIVERED;
      s->picked_up_at = s->planned_pickup_at + pickups[i].late_by;
      /* Delivered 60 min late (October grace) or on the dot. */
      s->delivered_at = s->planned_delivery_at + (i >= 2 ? 3600 : 0) + (i == 5 ? 1 : 0);
      save (f, s);
    }

  m = build (f, "C001", "2026-09");
  g_assert_cmpint (m->figures.dispatched, ==, 2);
  g_assert_cmpfloat (m->figures.rates[KL_RATE_DISPATCH_ON_TIME], ==, 0.5);
  g_assert_cmpfloat (m->figures.rates[KL_RATE_ARRIVAL_ON_TIME], ==, 1.0);
  g_clear_pointer (&m, kl_report_model_free);

  m = build (f, "C001", "2026-10");
  g_assert_cmpint (m->figures.dispatched, ==, 4);
  g_assert_cmpfloat (m->figures.rates[KL_RATE_DISPATCH_ON_TIME], ==, 0.75);
  g_assert_cmpfloat (m->figures.rates[KL_RATE_ARRIVAL_ON_TIME], ==, 0.75);
  g_assert_cmpfloat (m->figures.rates[KL_RATE_OTIF], ==, 0.75);

  /* Reports read rollups only: removing the facts behind the store's back
   * changes nothing. */
  g_assert_true (kl_database_exec (f->db, "DELETE FROM shipments", &error));
  g_assert_no_error (error);
  again = build (f, "C001", "2026-10");
  g_assert_true (kl_kpi_figures_equal (&m->figures, &again->figures));
  g_assert_cmpint (again->figures.shipments, ==, 4);
}

static void
test_zero_denominators (Fixture *f, gconstpointer data)
{
  g_autoptr(KlReportModel) m = NULL;
  g_autofree char *json = NULL;
  g_autofree char *printed = NULL;
  g_autoptr(JsonNode) node = NULL;
  JsonObject *figures;

  add_simple (f, 1, "2026-10-05T09:00:00+08:00");
  m = build (f, "C002", "2026-10");
  g_assert_true (isnan (m->figures.rates[KL_RATE_DISPATCH_ON_TIME]));
  g_assert_true (isnan (m->figures.rates[KL_RATE_DAMAGE]));
  g_assert_cmpfloat (m->figures.rates[KL_RATE_INCIDENT], ==, 0.0);
  printed = kl_format_percent (m->figures.rates[KL_RATE_OTIF]);
  g_assert_cmpstr (printed, ==, "—");

  json = kl_report_to_json (m);
  node = kl_test_parse_json (json);
  figures = json_object_get_object_member (json_node_get_object (node), "figures");
  g_assert_true (json_object_get_null_member (figures, "dispatch_on_time_rate"));
  g_assert_true (json_object_get_null_member (figures, "otif_rate"));
  g_assert_false (json_object_get_null_member (figures, "incident_rate"));
  g_assert_cmpfloat (json_object_get_double_member (figures, "incident_rate"), ==, 0.0);
}

static void
test_leap_day (Fixture *f, gconstpointer data)
{
  g_autoptr(KlReportModel) q = NULL;
  g_autoptr(KlReportModel) y = NULL;

  add_simple (f, 0, "2024-02-29T12:00:00+08:00");
  add_simple (f, 0, "2024-02-29T23:59:59+08:00");
  add_simple (f, 0, "2024-03-01T00:00:00+08:00");
  g_assert_cmpint (shipments_in (f, "C001", "2024-02"), ==, 2);
  g_assert_cmpint (shipments_in (f, "C001", "2024-03"), ==, 1);

  q = build (f, "C001", "2024-Q1");
  g_assert_cmpuint (q->by_month->len, ==, 3);
  g_assert_cmpstr (((KlReportRow *) g_ptr_array_index (q->by_month, 1))->key, ==, "2024-02");
  g_assert_cmpint (((KlReportRow *) g_ptr_array_index (q->by_month, 0))->figures.shipments, ==, 0);
  g_assert_cmpint (((KlReportRow *) g_ptr_array_index (q->by_month, 1))->figures.shipments, ==, 2);
  g_assert_cmpint (((KlReportRow *) g_ptr_array_index (q->by_month, 2))->figures.shipments, ==, 1);
  y = build (f, "C001", "2024");
  g_assert_cmpuint (y->by_month->len, ==, 12);
  g_assert_cmpint (y->figures.shipments, ==, 3);
  /* A year later the same period is empty. */
  g_assert_cmpint (shipments_in (f, "C001", "2025-02"), ==, 0);
}

static void
test_boundaries (Fixture *f, gconstpointer data)
{
  g_autoptr(KlReportModel) q2 = NULL;
  g_autoptr(KlReportModel) y27 = NULL;
  g_autoptr(KlReportModel) m01 = NULL;

  add_simple (f, 0, "2026-03-31T23:59:59+08:00");
  add_simple (f, 0, "2026-04-01T00:00:00+08:00");
  add_simple (f, 0, "2026-12-31T23:59:59+08:00");
  add_simple (f, 0, "2027-01-01T00:00:00+08:00");
  add_simple (f, 0, "2025-04-15T00:00:00+08:00");

  g_assert_cmpint (shipments_in (f, "C001", "2026-Q1"), ==, 1);
  g_assert_cmpint (shipments_in (f, "C001", "2026-Q2"), ==, 1);
  g_assert_cmpint (shipments_in (f, "C001", "2026-Q4"), ==, 1);
  g_assert_cmpint (shipments_in (f, "C001", "2026"), ==, 3);
  g_assert_cmpint (shipments_in (f, "C001", "2027"), ==, 1);

  q2 = build (f, "C001", "2026-Q2");
  g_assert_cmpint (q2->previous.shipments, ==, 1);      /* 2026-Q1 */
  g_assert_cmpint (q2->year_ago.shipments, ==, 1);      /* 2025-Q2 */
  g_assert_cmpfloat (q2->delta_year_ago.counts_pct[KL_COUNT_SHIPMENTS], ==, 0.0);
  y27 = build (f, "C001", "2027");
  g_assert_cmpint (y27->previous.shipments, ==, 3);
  g_assert_cmpfloat (y27->delta_previous.counts_pct[KL_COUNT_SHIPMENTS], ==, (1.0 - 3.0) * 100.0 / 3.0);
  m01 = build (f, "C001", "2027-01");
  g_assert_cmpint (m01->previous.shipments, ==, 1);     /* 2026-12 */
  g_assert_cmpint (m01->year_ago.shipments, ==, 0);     /* 2026-01 */
  g_assert_true (isnan (m01->delta_year_ago.counts_pct[KL_COUNT_SHIPMENTS]));
}

static void
test_targets (Fixture *f, gconstpointer data)
{
  g_autoptr(KlAgreement) early = agreement_new (f, 0, "2026-07-01", "2026-09-15", 0, 0);
  g_autoptr(KlAgreement) late = agreement_new (f, 0, "2026-09-16", NULL, 0, 0);
  g_autoptr(KlReportModel) q3 = NULL;
  g_autoptr(KlReportModel) aug = NULL;
  g_autoptr(KlReportModel) portfolio = NULL;

  early->targets[KL_RATE_DISPATCH_ON_TIME] = 0.5;
  late->targets[KL_RATE_DISPATCH_ON_TIME] = 0.99;
  late->targets[KL_RATE_DAMAGE] = 0.01;
  late->targets[KL_RATE_OTIF] = 0.9;
  save_agreement (f, early);
  save_agreement (f, late);

  /* August: 3 of 4 picked up on time; 2 damaged of 100 delivered pieces. */
  for (guint i = 0; i < 4; i++)
    {
      g_autoptr(KlShipment) s = shipment_new (f, 0, kl_test_unix_time ("2026-08-10T10:00:00+08:00") + i * 86400);

      s->picked_up_at = s->planned_pickup_at + (i == 0 ? 60 : 0);
      s->pieces = 25;
      if (i < 2)
        {
          s->delivered_at = s->planned_delivery_at;
          s->damaged_pieces = i == 0 ? 1 : 0;
        }
      save (f, s);
    }

  /* The agreement in force on the period's last day sets the targets. */
  q3 = build (f, "C001", "2026-Q3");
  g_assert_true (q3->has_agreement);
  g_assert_cmpfloat (q3->targets[KL_RATE_DISPATCH_ON_TIME].target, ==, 0.99);
  g_assert_cmpint (q3->targets[KL_RATE_DISPATCH_ON_TIME].met, ==, KL_TRI_FALSE);
  g_assert_cmpfloat_with_epsilon (q3->targets[KL_RATE_DISPATCH_ON_TIME].variance_pp, -24.0, 1e-9);
  /* Damage 1/50 = 0.02 against at most 0.01: lower is better, missed. */
  g_assert_cmpint (q3->targets[KL_RATE_DAMAGE].met, ==, KL_TRI_FALSE);
  g_assert_cmpfloat_with_epsilon (q3->targets[KL_RATE_DAMAGE].variance_pp, 1.0, 1e-9);
  g_assert_cmpint (q3->targets[KL_RATE_OTIF].met, ==, KL_TRI_FALSE);     /* 1/2 */
  g_assert_false (q3->targets[KL_RATE_ORDER_ACCURACY].has_target);

  aug = build (f, "C001", "2026-08");
  g_assert_cmpfloat (aug->targets[KL_RATE_DISPATCH_ON_TIME].target, ==, 0.5);
  g_assert_cmpint (aug->targets[KL_RATE_DISPATCH_ON_TIME].met, ==, KL_TRI_TRUE);
  g_assert_false (aug->targets[KL_RATE_DAMAGE].has_target);

  /* A month with no agreement in force and the portfolio have no targets. */
  {
    g_autoptr(KlReportModel) june = build (f, "C001", "2026-06");
    g_assert_false (june->has_agreement);
    for (guint i = 0; i < KL_N_RATES; i++)
      g_assert_false (june->targets[i].has_target);
  }
  portfolio = build (f, NULL, "2026-Q3");
  g_assert_false (portfolio->has_agreement);
  g_assert_true (kl_report_model_is_portfolio (portfolio));
}

static void
test_regions (Fixture *f, gconstpointer data)
{
  const char *dest[] = { "华东", "华南", "华北", "华东", "", NULL, "华南", "华北", "华东" };
  g_autoptr(KlReportModel) m = NULL;
  const char *expected[] = { "华东", "", "华北", "华南" };
  const KlReportRow *row;

  for (guint i = 0; i < G_N_ELEMENTS (dest); i++)
    {
      g_autoptr(KlShipment) s = shipment_new (f, 2, kl_test_unix_time ("2026-10-03T10:00:00+08:00") + i);

      s->dest_region = g_strdup (dest[i]);
      s->origin_region = g_strdup (i < 5 ? "华南" : "西南");
      save (f, s);
    }
  m = build (f, "C003", "2026-10");
  /* 华东 3, then three with 2 in byte order of the name: "" (not given), 华北, 华南. */
  g_assert_cmpuint (m->by_destination_region->len, ==, 4);
  for (guint i = 0; i < 4; i++)
    {
      row = g_ptr_array_index (m->by_destination_region, i);
      g_assert_cmpstr (row->key, ==, expected[i]);
      g_assert_cmpint (row->figures.shipments, ==, i == 0 ? 3 : 2);
    }
  row = g_ptr_array_index (m->by_destination_region, 1);
  g_assert_cmpstr (row->label, ==, "Not given");
  row = g_ptr_array_index (m->by_destination_region, 2);
  g_assert_cmpstr (row->label, ==, "华北");

  g_assert_cmpuint (m->by_origin_region->len, ==, 2);
  row = g_ptr_array_index (m->by_origin_region, 0);
  g_assert_cmpstr (row->key, ==, "华南");
  g_assert_cmpint (row->figures.shipments, ==, 5);
}

static void
test_seasons (Fixture *f, gconstpointer data)
{
  /* 2025-10 … 2026-09, mean 10: 11 and 12 are peaks, 9 and 8 off-peak. */
  const int per_month[12] = { 11, 10, 9, 12, 10, 10, 10, 10, 10, 10, 8, 10 };
  g_autoptr(KlReportModel) q3 = NULL;
  g_autoptr(KlReportModel) sep = NULL;
  g_autoptr(KlReportModel) empty = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (kl_database_begin (f->db, &error));
  for (int i = 0; i < 12; i++)
    {
      int month = kl_month_add (202510, i);
      g_autofree char *iso = g_strdup_printf ("%04d-%02d-01T00:00:00+08:00", month / 100, month % 100);

      for (int k = 0; k < per_month[i]; k++)
        {
          g_autoptr(KlShipment) s = shipment_new (f, 3, kl_test_unix_time (iso) + k * 3600);
          save (f, s);
        }
    }
  g_assert_true (kl_database_commit (f->db, &error));

  q3 = build (f, "C004", "2026-Q3");
  g_assert_cmpuint (q3->peak_months->len, ==, 2);
  g_assert_cmpint (g_array_index (q3->peak_months, int, 0), ==, 202510);
  g_assert_cmpint (g_array_index (q3->peak_months, int, 1), ==, 202601);
  g_assert_cmpuint (q3->off_peak_months->len, ==, 2);
  g_assert_cmpint (g_array_index (q3->off_peak_months, int, 0), ==, 202512);
  g_assert_cmpint (g_array_index (q3->off_peak_months, int, 1), ==, 202608);
  g_assert_cmpint (q3->trailing_months[0], ==, 202510);
  g_assert_cmpint (q3->trailing_shipments[3], ==, 12);

  /* Monthly reports have no seasons; an empty year has none either. */
  sep = build (f, "C004", "2026-09");
  g_assert_cmpuint (sep->peak_months->len, ==, 0);
  g_assert_cmpuint (sep->off_peak_months->len, ==, 0);
  empty = build (f, "C001", "2026");
  g_assert_cmpuint (empty->peak_months->len, ==, 0);
  g_assert_cmpuint (empty->off_peak_months->len, ==, 0);
}

static void
test_portfolio_and_errors (Fixture *f, gconstpointer data)
{
  g_autoptr(KlReportModel) p = NULL;
  g_autoptr(KlReportModel) copy = NULL;
  g_autoptr(KlPeriod) period = kl_period_new_month (2026, 10);
  g_autoptr(GError) error = NULL;
  KlReportModel *none;

  add_simple (f, 0, "2026-10-01T08:00:00+08:00");
  add_simple (f, 1, "2026-10-02T08:00:00+08:00");
  add_simple (f, 1, "2026-10-03T08:00:00+08:00");
  p = build (f, NULL, "2026-10");
  g_assert_null (p->customer_code);
  g_assert_cmpint (p->figures.shipments, ==, 3);
  copy = kl_report_model_copy (p);
  g_assert_true (kl_kpi_figures_equal (&copy->figures, &p->figures));
  g_assert_cmpuint (copy->by_destination_region->len, ==, p->by_destination_region->len);

  {
    g_autoptr(KlReportModel) c = build (f, "C002", "2026-10");
    g_assert_cmpstr (c->customer_code, ==, "C002");
    g_assert_cmpstr (c->customer_name, ==, "客户 2");
    g_assert_cmpstr (c->report_language, ==, "zh_CN");
    g_assert_cmpint (c->figures.shipments, ==, 2);
  }

  none = kl_report_build (f->db, "NOPE", period, &error);
  g_assert_null (none);
  g_assert_error (error, KL_REPORT_ERROR, KL_REPORT_ERROR_NO_CUSTOMER);
  g_assert_nonnull (strstr (error->message, "NOPE"));
  g_clear_error (&error);

  g_assert_true (kl_customer_store_delete (f->db, f->customer_id[0], &error));
  g_assert_no_error (error);
  none = kl_report_build (f->db, "C001", period, &error);
  g_assert_null (none);
  g_assert_error (error, KL_REPORT_ERROR, KL_REPORT_ERROR_NO_CUSTOMER);
  g_assert_false (kl_database_in_transaction (f->db));
}

static void
assert_keys (JsonObject *object, const char * const *keys)
{
  g_autoptr(GList) members = json_object_get_members (object);
  guint n = 0;

  for (; keys[n] != NULL; n++)
    if (!json_object_has_member (object, keys[n]))
      g_error ("missing key %s", keys[n]);
  g_assert_cmpuint (g_list_length (members), ==, n);
}

static void
assert_figures_object (JsonObject *o, const KlKpiFigures *expected)
{
  const char *keys[KL_N_COUNTS + KL_N_RATES + 1] = { NULL };

  for (guint i = 0; i < KL_N_COUNTS; i++)
    keys[i] = kl_kpi_count_to_key (i);
  for (guint i = 0; i < KL_N_RATES; i++)
    keys[KL_N_COUNTS + i] = kl_rate_to_key (i);
  /* by_month and region rows carry one more key; callers remove it. */
  assert_keys (o, keys);
  for (guint i = 0; i < KL_N_COUNTS; i++)
    {
      JsonNode *node = json_object_get_member (o, kl_kpi_count_to_key (i));

      if (kl_kpi_count_is_integer (i))
        {
          g_assert_cmpint (json_node_get_value_type (node), ==, G_TYPE_INT64);
          g_assert_cmpint (json_node_get_int (node), ==, kl_kpi_figures_get_count_int (expected, i));
        }
      else
        g_assert_cmpfloat (json_node_get_double (node), ==, kl_kpi_figures_get_count (expected, i));
    }
  for (guint i = 0; i < KL_N_RATES; i++)
    {
      JsonNode *node = json_object_get_member (o, kl_rate_to_key (i));

      if (isnan (expected->rates[i]))
        g_assert_true (JSON_NODE_HOLDS_NULL (node));
      else
        /* Full precision: the very same double comes back. */
        g_assert_cmpfloat (json_node_get_double (node), ==, expected->rates[i]);
    }
}

static void
test_json (Fixture *f, gconstpointer data)
{
  static const char * const top_keys[] = {
    "customer", "period", "timezone", "figures", "targets", "previous", "year_ago",
    "by_month", "by_destination_region", "by_origin_region", "peak_months",
    "off_peak_months", "claims", "comments", "goals", "client_notes", NULL
  };
  static const char * const claims_keys[] = {
    "opened", "closed", "open_at_end", "overdue_at_end", "claimed", "settled",
    "mean_days_to_close", NULL
  };
  g_autoptr(KlAgreement) a = agreement_new (f, 0, "2026-01-01", NULL, 0, 0);
  g_autoptr(KlReportModel) m = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *json = NULL;
  JsonObject *root, *o, *t;
  JsonArray *arr;

  a->targets[KL_RATE_DISPATCH_ON_TIME] = 0.95;
  a->targets[KL_RATE_ARRIVAL_ON_TIME] = 0.9;    /* nothing delivered: met null */
  a->targets[KL_RATE_INCIDENT] = 0.5;
  save_agreement (f, a);
  /* 2 of 3 dispatched on time in August: a rate that is not a short decimal. */
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(KlShipment) s = shipment_new (f, 0, kl_test_unix_time ("2026-08-03T10:00:00+08:00") + i * 86400);

      s->picked_up_at = s->planned_pickup_at + (i == 2 ? 7200 : 0);
      s->weight_g = 1234567;
      s->dest_region = g_strdup ("华东");
      save (f, s);
    }
  add_simple (f, 0, "2025-08-03T10:00:00+08:00");

  m = build (f, "C001", "2026-Q3");
  json = kl_report_to_json (m);
  node = kl_test_parse_json (json);
  root = json_node_get_object (node);
  assert_keys (root, top_keys);

  o = json_object_get_object_member (root, "customer");
  g_assert_cmpstr (json_object_get_string_member (o, "code"), ==, "C001");
  g_assert_cmpstr (json_object_get_string_member (o, "name"), ==, "客户 1");
  o = json_object_get_object_member (root, "period");
  g_assert_cmpstr (json_object_get_string_member (o, "label"), ==, "2026-Q3");
  g_assert_cmpstr (json_object_get_string_member (o, "kind"), ==, "quarter");
  g_assert_cmpstr (json_object_get_string_member (o, "start"), ==, "2026-07-01");
  g_assert_cmpstr (json_object_get_string_member (o, "end"), ==, "2026-09-30");
  g_assert_cmpstr (json_object_get_string_member (root, "timezone"), ==, "Asia/Shanghai");

  o = json_object_get_object_member (root, "figures");
  assert_figures_object (o, &m->figures);
  g_assert_cmpfloat (json_object_get_double_member (o, "dispatch_on_time_rate"), ==, 2.0 / 3.0);
  g_assert_cmpfloat (json_object_get_double_member (o, "weight_kg"), ==, 3 * 1234567 / 1000.0);
  assert_figures_object (json_object_get_object_member (root, "previous"), &m->previous);
  assert_figures_object (json_object_get_object_member (root, "year_ago"), &m->year_ago);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (root, "year_ago"), "shipments"), ==, 1);

  o = json_object_get_object_member (root, "targets");
  g_assert_cmpuint (json_object_get_size (o), ==, 3);
  t = json_object_get_object_member (o, "dispatch_on_time_rate");
  g_assert_cmpfloat (json_object_get_double_member (t, "target"), ==, 0.95);
  g_assert_false (json_object_get_boolean_member (t, "met"));
  g_assert_cmpfloat (json_object_get_double_member (t, "variance_pp"), ==, (2.0 / 3.0 - 0.95) * 100);
  t = json_object_get_object_member (o, "arrival_on_time_rate");
  g_assert_true (json_object_get_null_member (t, "met"));
  g_assert_true (json_object_get_null_member (t, "variance_pp"));
  t = json_object_get_object_member (o, "incident_rate");
  g_assert_true (json_object_get_boolean_member (t, "met"));

  arr = json_object_get_array_member (root, "by_month");
  g_assert_cmpuint (json_array_get_length (arr), ==, 3);
  for (guint i = 0; i < 3; i++)
    {
      JsonObject *row = json_array_get_object_element (arr, i);
      const KlReportRow *expected = g_ptr_array_index (m->by_month, i);
      g_autofree char *month = g_strdup_printf ("2026-%02u", 7 + i);

      g_assert_cmpstr (json_object_get_string_member (row, "month"), ==, month);
      json_object_remove_member (row, "month");
      assert_figures_object (row, &expected->figures);
    }
  arr = json_object_get_array_member (root, "by_destination_region");
  g_assert_cmpuint (json_array_get_length (arr), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (arr, 0), "region"), ==, "华东");
  arr = json_object_get_array_member (root, "by_origin_region");
  g_assert_cmpuint (json_array_get_length (arr), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (arr, 0), "region"), ==, "");

  arr = json_object_get_array_member (root, "peak_months");
  g_assert_cmpuint (json_array_get_length (arr), ==, 1);
  g_assert_cmpstr (json_array_get_string_element (arr, 0), ==, "2026-08");
  arr = json_object_get_array_member (root, "off_peak_months");
  g_assert_cmpuint (json_array_get_length (arr), ==, 11);
  g_assert_cmpstr (json_array_get_string_element (arr, 0), ==, "2025-10");

  o = json_object_get_object_member (root, "claims");
  assert_keys (o, claims_keys);
  g_assert_cmpint (json_object_get_int_member (o, "opened"), ==, 0);
  g_assert_cmpuint (json_object_get_size (json_object_get_object_member (o, "claimed")), ==, 0);
  g_assert_true (json_object_get_null_member (o, "mean_days_to_close"));

  /* A portfolio report has customer null; a month report empty by_month. */
  {
    g_autoptr(KlReportModel) p = build (f, NULL, "2026-08");
    g_autofree char *text = kl_report_to_json (p);
    g_autoptr(JsonNode) node2 = kl_test_parse_json (text);

    root = json_node_get_object (node2);
    assert_keys (root, top_keys);
    g_assert_true (json_object_get_null_member (root, "customer"));
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (root, "by_month")), ==, 0);
    g_assert_cmpuint (json_object_get_size (json_object_get_object_member (root, "targets")), ==, 0);
    g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (root, "period"), "kind"), ==, "month");
  }
}

/* The comments, goals and client notes the printed report shows travel in
 * the model, so the JSON and the CSV carry them too; internal notes and
 * notes outside the period never do. */
static void
test_notes_in_exports (Fixture *f, gconstpointer data)
{
  const char *comments = "Volumes rose, \"steadily\",\nthank you";
  KlClaimNew in = KL_CLAIM_NEW_INIT;
  g_autoptr(GError) error = NULL;
  g_autofree char *claim = NULL;
  g_autoptr(KlReportModel) m = NULL;
  g_autoptr(KlReportModel) copy = NULL;
  g_autoptr(KlReportModel) portfolio = NULL;
  g_autoptr(KlReportModel) other = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonNode) portfolio_node = NULL;
  g_autofree char *json = NULL;
  g_autofree char *portfolio_json = NULL;
  g_autofree char *csv = NULL;
  g_autofree char *portfolio_csv = NULL;
  g_autofree char *note = NULL;
  g_autofree char *expected = NULL;
  g_auto(GStrv) lines = NULL;
  JsonObject *root;
  JsonArray *notes;
  guint n_note_rows = 0;

  add_simple (f, 0, "2026-10-05T10:00:00+08:00");
  g_assert_true (kl_report_note_set (f->db, f->customer_id[0], "2026-10", comments, "Arrival on time above 97%", &error));
  g_assert_no_error (error);
  g_assert_true (kl_report_note_set (f->db, f->customer_id[0], "2026-09", "September's words", "", &error));

  in.customer_id = f->customer_id[0];
  in.filed_at = kl_test_unix_time ("2026-10-02T09:00:00+08:00");
  in.description = "3 cartons crushed";
  in.by = "tester";
  claim = kl_claim_store_create (f->db, &in, &error);
  g_assert_no_error (error);
  g_assert_true (kl_claim_store_add_note (f->db, claim, KL_CLAIM_NOTE_CLIENT, "Replacement shipped", "kam",
                                          kl_test_unix_time ("2026-10-15T09:00:00+08:00"), &error));
  g_assert_true (kl_claim_store_add_note (f->db, claim, KL_CLAIM_NOTE_INTERNAL, "Driver to blame", "kam",
                                          kl_test_unix_time ("2026-10-16T09:00:00+08:00"), &error));
  g_assert_true (kl_claim_store_add_note (f->db, claim, KL_CLAIM_NOTE_CLIENT, "Paid in November", "kam",
                                          kl_test_unix_time ("2026-11-02T09:00:00+08:00"), &error));
  g_assert_no_error (error);

  m = build (f, "C001", "2026-10");
  g_assert_cmpstr (m->comments, ==, comments);
  g_assert_cmpstr (m->goals, ==, "Arrival on time above 97%");
  g_assert_cmpuint (m->client_notes->len, ==, 1);
  note = g_strdup (g_ptr_array_index (m->client_notes, 0));
  g_assert_true (g_str_has_suffix (note, ": Replacement shipped"));
  copy = kl_report_model_copy (m);
  g_assert_cmpstr (copy->comments, ==, comments);
  g_assert_cmpstr (g_ptr_array_index (copy->client_notes, 0), ==, note);

  json = kl_report_to_json (m);
  node = kl_test_parse_json (json);
  root = json_node_get_object (node);
  g_assert_cmpstr (json_object_get_string_member (root, "comments"), ==, comments);
  g_assert_cmpstr (json_object_get_string_member (root, "goals"), ==, "Arrival on time above 97%");
  notes = json_object_get_array_member (root, "client_notes");
  g_assert_cmpuint (json_array_get_length (notes), ==, 1);
  g_assert_cmpstr (json_array_get_string_element (notes, 0), ==, note);
  g_assert_null (strstr (json, "Driver to blame"));
  g_assert_null (strstr (json, "Paid in November"));
  g_assert_null (strstr (json, "September"));

  csv = kl_report_to_csv (m);
  {
    g_autofree char *cells = g_strnfill (KL_N_COUNTS + KL_N_RATES, ',');

    expected = g_strdup_printf ("\r\ncomments,\"Volumes rose, \"\"steadily\"\",\nthank you\"%s\r\n", cells);
  }
  g_assert_nonnull (strstr (csv, expected));
  g_free (expected);
  {
    g_autofree char *cells = g_strnfill (KL_N_COUNTS + KL_N_RATES, ',');

    expected = g_strdup_printf ("\r\ngoals,Arrival on time above 97%%%s\r\n", cells);
  }
  g_assert_nonnull (strstr (csv, expected));
  g_assert_null (strstr (csv, "Driver to blame"));
  lines = g_strsplit (csv, "\r\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (g_str_has_prefix (lines[i], "client_note,"))
      {
        n_note_rows++;
        g_assert_nonnull (strstr (lines[i], "Replacement shipped"));
      }
  g_assert_cmpuint (n_note_rows, ==, 1);

  /* Another customer, and the portfolio: none of it, but the keys are there. */
  other = build (f, "C002", "2026-10");
  g_assert_cmpstr (other->comments, ==, "");
  g_assert_cmpuint (other->client_notes->len, ==, 0);
  portfolio = build (f, NULL, "2026-10");
  portfolio_json = kl_report_to_json (portfolio);
  portfolio_node = kl_test_parse_json (portfolio_json);
  root = json_node_get_object (portfolio_node);
  g_assert_cmpstr (json_object_get_string_member (root, "comments"), ==, "");
  g_assert_cmpstr (json_object_get_string_member (root, "goals"), ==, "");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (root, "client_notes")), ==, 0);
  portfolio_csv = kl_report_to_csv (portfolio);
  g_assert_null (strstr (portfolio_csv, "\r\ncomments,"));
  g_assert_null (strstr (portfolio_csv, "\r\nclient_note,"));

  /* Edited afterwards: the model reads them again on request. */
  g_assert_true (kl_report_note_set (f->db, f->customer_id[0], "2026-10", "New words", "", &error));
  g_assert_true (kl_report_model_load_notes (copy, f->db, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (copy->comments, ==, "New words");
  g_assert_cmpstr (copy->goals, ==, "");
  g_assert_cmpuint (copy->client_notes->len, ==, 1);
}

static void
test_csv (Fixture *f, gconstpointer data)
{
  g_autoptr(KlAgreement) a = agreement_new (f, 0, "2026-01-01", NULL, 0, 0);
  g_autoptr(KlReportModel) m = NULL;
  g_autofree char *csv = NULL;
  g_auto(GStrv) lines = NULL;
  g_auto(GStrv) header = NULL;
  g_auto(GStrv) period = NULL;
  g_auto(GStrv) target = NULL;
  guint n_columns;

  a->targets[KL_RATE_OTIF] = 0.95;
  save_agreement (f, a);
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(KlShipment) s = shipment_new (f, 0, kl_test_unix_time ("2026-08-03T10:00:00+08:00") + i * 86400);

      s->picked_up_at = s->planned_pickup_at + (i == 2 ? 7200 : 0);
      s->weight_g = 1500;
      s->dest_region = g_strdup (i == 0 ? "华东, 上海" : "华南");
      save (f, s);
    }
  m = build (f, "C001", "2026-Q3");
  csv = kl_report_to_csv (m);
  g_assert_true (g_str_has_suffix (csv, "\r\n"));
  lines = g_strsplit (csv, "\r\n", -1);
  /* header, period, target, previous, year_ago, 3 months, 2 + 1 regions, "" */
  g_assert_cmpuint (g_strv_length (lines), ==, 12);
  header = g_strsplit (lines[0], ",", -1);
  n_columns = g_strv_length (header);
  g_assert_cmpuint (n_columns, ==, 2 + KL_N_COUNTS + KL_N_RATES);
  g_assert_cmpstr (header[0], ==, "section");
  g_assert_cmpstr (header[2], ==, "shipments");
  g_assert_cmpstr (header[n_columns - 1], ==, "otif_rate");

  period = g_strsplit (lines[1], ",", -1);
  g_assert_cmpstr (period[0], ==, "period");
  g_assert_cmpstr (period[1], ==, "2026-Q3");
  g_assert_cmpstr (period[2], ==, "3");
  g_assert_cmpstr (period[4], ==, "4.500");                        /* weight_kg */
  g_assert_cmpfloat (g_ascii_strtod (period[2 + KL_N_COUNTS], NULL), ==, 2.0 / 3.0);
  g_assert_cmpstr (period[n_columns - 1], ==, "");                 /* otif null */
  target = g_strsplit (lines[2], ",", -1);
  g_assert_cmpstr (target[0], ==, "target");
  g_assert_cmpstr (target[n_columns - 1], ==, "0.95");
  g_assert_cmpstr (target[2], ==, "");
  g_assert_true (g_str_has_prefix (lines[3], "previous,2026-Q2,0,"));
  g_assert_true (g_str_has_prefix (lines[4], "year_ago,2025-Q3,0,"));
  g_assert_true (g_str_has_prefix (lines[5], "month,2026-07,0,"));
  g_assert_true (g_str_has_prefix (lines[6], "month,2026-08,3,"));
  g_assert_true (g_str_has_prefix (lines[8], "destination_region,华南,2,"));
  /* A name with a comma is quoted. */
  g_assert_true (g_str_has_prefix (lines[9], "destination_region,\"华东, 上海\",1,"));
  g_assert_true (g_str_has_prefix (lines[10], "origin_region,,3,"));
}

/* ---- The independent computation ------------------------------------- */

/* Sums straight from the shipments table, with their own names. */
typedef struct {
  gint64 shipments, pieces, weight_g, volume_cm3, dispatched, dispatched_on_time,
         delivered, delivered_on_time, delivered_pieces, damaged_pieces, short_pieces,
         damage_incidents, shortage_incidents, incidents, docs_known, docs_ok,
         order_known, order_ok, otif;
} Reference;

static void
sql_ok (sqlite3 *handle, const char *sql)
{
  char *message = NULL;

  if (sqlite3_exec (handle, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s: %s", sql, message);
}

/* A table of local days (date, first instant, first instant of the next day)
 * made with GDateTime in the zone, and each live shipment with its service
 * date and the grace minutes of the agreement in force on that date. */
static void
reference_prepare (KlDatabase *db, const char *tz_name)
{
  sqlite3 *handle = kl_database_get_handle (db);
  g_autoptr(GTimeZone) tz = g_time_zone_new_identifier (tz_name);
  g_autoptr(GDateTime) day = NULL;
  sqlite3_stmt *insert;

  g_assert_nonnull (tz);
  sql_ok (handle, "DROP TABLE IF EXISTS temp.ref_days; DROP TABLE IF EXISTS temp.ref_shipments;"
                  "CREATE TEMP TABLE ref_days (date TEXT PRIMARY KEY, start INTEGER NOT NULL, stop INTEGER NOT NULL)");
  g_assert_cmpint (sqlite3_prepare_v2 (handle, "INSERT INTO temp.ref_days VALUES (?, ?, ?)", -1, &insert, NULL), ==, SQLITE_OK);
  day = g_date_time_new (tz, 2024, 11, 1, 0, 0, 0);
  while (g_date_time_get_year (day) < 2027 || g_date_time_get_month (day) < 3)
    {
      /* The next local midnight: a day is not always 86400 s long. */
      g_autoptr(GDateTime) tomorrow = g_date_time_add_days (day, 1);
      GDateTime *midnight = g_date_time_new (tz, g_date_time_get_year (tomorrow), g_date_time_get_month (tomorrow),
                                             g_date_time_get_day_of_month (tomorrow), 0, 0, 0);
      g_autofree char *date = g_date_time_format (day, "%Y-%m-%d");

      sqlite3_bind_text (insert, 1, date, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (insert, 2, g_date_time_to_unix (day));
      sqlite3_bind_int64 (insert, 3, g_date_time_to_unix (midnight));
      g_assert_cmpint (sqlite3_step (insert), ==, SQLITE_DONE);
      sqlite3_reset (insert);
      g_date_time_unref (day);
      day = midnight;
    }
  sqlite3_finalize (insert);

  sql_ok (handle,
          "CREATE TEMP TABLE ref_shipments AS "
          "SELECT s.*, c.id AS customer_id, d.date AS service_date, "
          "  coalesce((SELECT a.dispatch_grace_min FROM agreements a WHERE a.customer_id = c.id "
          "            AND a.effective_from <= d.date AND (a.effective_to IS NULL OR a.effective_to >= d.date)), 0) AS dgrace, "
          "  coalesce((SELECT a.delivery_grace_min FROM agreements a WHERE a.customer_id = c.id "
          "            AND a.effective_from <= d.date AND (a.effective_to IS NULL OR a.effective_to >= d.date)), 0) AS lgrace "
          "FROM shipments s JOIN customers c ON c.ref = s.customer_ref "
          "JOIN temp.ref_days d ON s.planned_pickup_at >= d.start AND s.planned_pickup_at < d.stop "
          "WHERE s.status <> 'cancelled'");
}

typedef enum { GROUP_TOTAL, GROUP_MONTH, GROUP_DEST, GROUP_ORIGIN } Grouping;

/* Reference sums for customer (NULL: all) over service dates [from, to],
 * grouped; returns a table of group key → Reference. */
static GHashTable *
reference_compute (KlDatabase *db, const char *customer_id, const char *from, const char *to,
                   Grouping grouping)
{
  static const char *group_sql[] = {
    [GROUP_TOTAL] = "''", [GROUP_MONTH] = "substr(service_date, 1, 7)",
    [GROUP_DEST] = "coalesce(dest_region, '')", [GROUP_ORIGIN] = "coalesce(origin_region, '')",
  };
  g_autofree char *sql = g_strdup_printf (
    "SELECT %s AS g, count(*), sum(pieces), "
    " sum(CASE WHEN weight_g > 0 THEN weight_g ELSE 0 END), "
    " sum(CASE WHEN volume_cm3 > 0 THEN volume_cm3 ELSE 0 END), "
    " sum(picked_up_at IS NOT NULL), "
    " sum(picked_up_at IS NOT NULL AND picked_up_at - planned_pickup_at <= dgrace * 60), "
    " sum(delivered_at IS NOT NULL), "
    " sum(delivered_at IS NOT NULL AND delivered_at - planned_delivery_at <= lgrace * 60), "
    " sum(CASE WHEN delivered_at IS NOT NULL THEN pieces ELSE 0 END), "
    " sum(CASE WHEN delivered_at IS NOT NULL THEN damaged_pieces ELSE 0 END), "
    " sum(CASE WHEN delivered_at IS NOT NULL THEN short_pieces ELSE 0 END), "
    " sum(delivered_at IS NOT NULL AND damaged_pieces > 0), "
    " sum(delivered_at IS NOT NULL AND short_pieces > 0), "
    " sum(incident <> 0), "
    " sum(documents_ok IS NOT NULL), sum(documents_ok IS NOT NULL AND documents_ok <> 0), "
    " sum(order_accurate IS NOT NULL), sum(order_accurate IS NOT NULL AND order_accurate <> 0), "
    " sum(delivered_at IS NOT NULL AND delivered_at - planned_delivery_at <= lgrace * 60 "
    "     AND damaged_pieces = 0 AND short_pieces = 0 AND (order_accurate IS NULL OR order_accurate <> 0)) "
    "FROM temp.ref_shipments WHERE service_date BETWEEN ?1 AND ?2 AND (?3 IS NULL OR customer_id = ?3) "
    "GROUP BY g", group_sql[grouping]);
  sqlite3 *handle = kl_database_get_handle (db);
  GHashTable *result = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  sqlite3_stmt *stmt;

  g_assert_cmpint (sqlite3_prepare_v2 (handle, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, from, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, to, -1, SQLITE_STATIC);
  if (customer_id != NULL)
    sqlite3_bind_text (stmt, 3, customer_id, -1, SQLITE_STATIC);
  else
    sqlite3_bind_null (stmt, 3);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      Reference *r = g_new0 (Reference, 1);
      gint64 *fields = &r->shipments;

      for (int i = 0; i < 19; i++)
        fields[i] = sqlite3_column_int64 (stmt, i + 1);
      g_hash_table_insert (result, g_strdup ((const char *) sqlite3_column_text (stmt, 0)), r);
    }
  sqlite3_finalize (stmt);
  return result;
}

static double
ref_rate (gint64 numerator, gint64 denominator)
{
  return denominator == 0 ? NAN : (double) numerator / (double) denominator;
}

static void
check_count (const char *what, const char *key, gint64 engine, gint64 reference)
{
  if (engine != reference)
    g_error ("%s: %s is %" G_GINT64_FORMAT " in the report, %" G_GINT64_FORMAT " from the shipments",
             what, key, engine, reference);
}

static void
check_rate (const char *what, KlRate rate, double engine, double reference)
{
  if (isnan (engine) != isnan (reference) || (!isnan (engine) && engine != reference))
    g_error ("%s: %s is %.17g in the report, %.17g from the shipments",
             what, kl_rate_to_key (rate), engine, reference);
}

static void
compare (const char *what, const KlKpiFigures *f, const Reference *r)
{
  static const Reference zero = { 0 };

  if (r == NULL)
    r = &zero;
  check_count (what, "shipments", f->shipments, r->shipments);
  check_count (what, "pieces", f->pieces, r->pieces);
  check_count (what, "weight_g", f->weight_g, r->weight_g);
  check_count (what, "volume_cm3", f->volume_cm3, r->volume_cm3);
  if (f->weight_kg != r->weight_g / 1000.0 || f->volume_m3 != r->volume_cm3 / 1000000.0)
    g_error ("%s: weight or volume differ", what);
  check_count (what, "dispatched", f->dispatched, r->dispatched);
  check_count (what, "delivered", f->delivered, r->delivered);
  check_count (what, "damaged_pieces", f->damaged_pieces, r->damaged_pieces);
  check_count (what, "short_pieces", f->short_pieces, r->short_pieces);
  check_count (what, "damage_incidents", f->damage_incidents, r->damage_incidents);
  check_count (what, "shortage_incidents", f->shortage_incidents, r->shortage_incidents);
  check_count (what, "incidents", f->incidents, r->incidents);
  check_rate (what, KL_RATE_DISPATCH_ON_TIME, f->rates[KL_RATE_DISPATCH_ON_TIME], ref_rate (r->dispatched_on_time, r->dispatched));
  check_rate (what, KL_RATE_ARRIVAL_ON_TIME, f->rates[KL_RATE_ARRIVAL_ON_TIME], ref_rate (r->delivered_on_time, r->delivered));
  check_rate (what, KL_RATE_DOCUMENT_ACCURACY, f->rates[KL_RATE_DOCUMENT_ACCURACY], ref_rate (r->docs_ok, r->docs_known));
  check_rate (what, KL_RATE_ORDER_ACCURACY, f->rates[KL_RATE_ORDER_ACCURACY], ref_rate (r->order_ok, r->order_known));
  check_rate (what, KL_RATE_DAMAGE, f->rates[KL_RATE_DAMAGE], ref_rate (r->damaged_pieces, r->delivered_pieces));
  check_rate (what, KL_RATE_SHORTAGE, f->rates[KL_RATE_SHORTAGE], ref_rate (r->short_pieces, r->delivered_pieces));
  check_rate (what, KL_RATE_INCIDENT, f->rates[KL_RATE_INCIDENT], ref_rate (r->incidents, r->shipments));
  check_rate (what, KL_RATE_OTIF, f->rates[KL_RATE_OTIF], ref_rate (r->otif, r->delivered));
}

static int
compare_reference_regions (gconstpointer a, gconstpointer b, gpointer user_data)
{
  GHashTable *table = user_data;
  const char *ka = *(const char * const *) a, *kb = *(const char * const *) b;
  const Reference *ra = g_hash_table_lookup (table, ka), *rb = g_hash_table_lookup (table, kb);

  if (ra->shipments != rb->shipments)
    return ra->shipments > rb->shipments ? -1 : 1;
  return strcmp (ka, kb);
}

static void
compare_regions (const char *what, GPtrArray *rows, GHashTable *table)
{
  g_autofree gpointer *keys = NULL;
  guint n;

  keys = g_hash_table_get_keys_as_array (table, &n);
  g_qsort_with_data (keys, n, sizeof (gpointer), compare_reference_regions, table);
  if (rows->len != n)
    g_error ("%s: %u regions in the report, %u from the shipments", what, rows->len, n);
  for (guint i = 0; i < n; i++)
    {
      const KlReportRow *row = g_ptr_array_index (rows, i);
      g_autofree char *where = g_strdup_printf ("%s region #%u “%s”", what, i, (char *) keys[i]);

      g_assert_cmpstr (row->key, ==, keys[i]);
      compare (where, &row->figures, g_hash_table_lookup (table, keys[i]));
    }
}

static void
cross_check_one (Fixture *f, const char *code, const char *customer_id, const KlPeriod *period)
{
  g_autofree char *label = kl_period_to_label (period);
  g_autofree char *what = g_strdup_printf ("%s %s", code ? code : "portfolio", label);
  g_autofree char *from = kl_period_start_date (period);
  g_autofree char *to = kl_period_end_date (period);
  g_autoptr(GError) error = NULL;
  g_autoptr(KlReportModel) m = kl_report_build (f->db, code, period, &error);
  g_autoptr(GHashTable) total = NULL, months = NULL, dest = NULL, origin = NULL;

  g_assert_no_error (error);
  total = reference_compute (f->db, customer_id, from, to, GROUP_TOTAL);
  compare (what, &m->figures, g_hash_table_lookup (total, ""));

  months = reference_compute (f->db, customer_id, from, to, GROUP_MONTH);
  if (period->kind == KL_PERIOD_MONTH)
    g_assert_cmpuint (m->by_month->len, ==, 0);
  else
    {
      g_assert_cmpuint (m->by_month->len, ==, kl_period_n_months (period));
      for (guint i = 0; i < m->by_month->len; i++)
        {
          const KlReportRow *row = g_ptr_array_index (m->by_month, i);
          g_autofree char *where = g_strdup_printf ("%s month %s", what, row->key);

          compare (where, &row->figures, g_hash_table_lookup (months, row->key));
        }
    }
  dest = reference_compute (f->db, customer_id, from, to, GROUP_DEST);
  compare_regions (what, m->by_destination_region, dest);
  origin = reference_compute (f->db, customer_id, from, to, GROUP_ORIGIN);
  compare_regions (what, m->by_origin_region, origin);

  /* previous and year_ago are reports of their own periods. */
  {
    g_autofree char *pf = kl_period_start_date (m->previous_period);
    g_autofree char *pt = kl_period_end_date (m->previous_period);
    g_autoptr(GHashTable) prev = reference_compute (f->db, customer_id, pf, pt, GROUP_TOTAL);
    g_autofree char *yf = kl_period_start_date (m->year_ago_period);
    g_autofree char *yt = kl_period_end_date (m->year_ago_period);
    g_autoptr(GHashTable) ago = reference_compute (f->db, customer_id, yf, yt, GROUP_TOTAL);
    g_autofree char *w1 = g_strconcat (what, " previous", NULL);
    g_autofree char *w2 = g_strconcat (what, " year ago", NULL);

    compare (w1, &m->previous, g_hash_table_lookup (prev, ""));
    compare (w2, &m->year_ago, g_hash_table_lookup (ago, ""));
  }
}

static gint64
random_offset (GRand *rand)
{
  /* Often exactly on a whole number of minutes (where grace ends), ±1 s. */
  static const gint64 minutes[] = { 0, 5, 10, 15, 20, 30, 45, 60, 120 };
  gint64 base = minutes[g_rand_int_range (rand, 0, G_N_ELEMENTS (minutes))] * 60;

  switch (g_rand_int_range (rand, 0, 4))
    {
    case 0:
      return base;
    case 1:
      return base + 1;
    case 2:
      return base - 1;
    default:
      return g_rand_int_range (rand, -3600, 3 * 3600);
    }
}

static void
fill_random (Fixture *f, GRand *rand, guint n)
{
  static const char *regions[] = { "华东", "华南", "华北", "西南", "", NULL };
  static const char *offsets[] = { "+08:00", "Z", "-05:00", "-04:00" };
  g_autoptr(GError) error = NULL;
  gint64 from = kl_test_unix_time ("2024-12-20T00:00:00Z"), to = kl_test_unix_time ("2027-01-10T00:00:00Z");
  struct { guint customer; const char *from, *to; int dg, lg; } agreements[] = {
    { 0, "2025-01-01", "2025-12-31", 10, 30 },
    { 0, "2026-01-01", NULL, 20, 0 },
    { 1, "2025-06-15", "2026-06-14", 5, 120 },
    { 3, "2025-03-01", "2025-03-31", 60, 60 },
    { 3, "2025-04-02", NULL, 0, 15 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (agreements); i++)
    {
      g_autoptr(KlAgreement) a = agreement_new (f, agreements[i].customer, agreements[i].from,
                                                agreements[i].to, agreements[i].dg, agreements[i].lg);
      save_agreement (f, a);
    }

  g_assert_true (kl_database_begin (f->db, &error));
  for (guint i = 0; i < n; i++)
    {
      gint64 planned;
      g_autoptr(KlShipment) s = NULL;

      if (g_rand_int_range (rand, 0, 5) == 0)
        {
          /* On or next to a month boundary in one of several zones. */
          int month = kl_month_add (202501, g_rand_int_range (rand, 0, 24));
          g_autofree char *iso = g_strdup_printf ("%04d-%02d-01T00:00:00%s", month / 100, month % 100,
                                                  offsets[g_rand_int_range (rand, 0, G_N_ELEMENTS (offsets))]);
          planned = kl_test_unix_time (iso) + g_rand_int_range (rand, -1, 2);
        }
      else
        planned = from + (gint64) (g_rand_double (rand) * (double) (to - from));

      s = shipment_new (f, g_rand_int_range (rand, 0, N_CUSTOMERS), planned);
      s->status = g_rand_int_range (rand, 0, KL_N_SHIPMENT_STATUSES);
      s->pieces = g_rand_int_range (rand, 0, 40);
      s->weight_g = g_rand_boolean (rand) ? g_rand_int_range (rand, 0, 5000000) : -1;
      s->volume_cm3 = g_rand_boolean (rand) ? g_rand_int_range (rand, 0, 9000000) : -1;
      s->origin_region = g_strdup (regions[g_rand_int_range (rand, 0, G_N_ELEMENTS (regions))]);
      s->dest_region = g_strdup (regions[g_rand_int_range (rand, 0, G_N_ELEMENTS (regions))]);
      if (g_rand_int_range (rand, 0, 10) < 8)
        s->picked_up_at = planned + random_offset (rand);
      s->planned_delivery_at = planned + g_rand_int_range (rand, 3600, 5 * 86400);
      if (g_rand_int_range (rand, 0, 10) < 6)
        s->delivered_at = s->planned_delivery_at + random_offset (rand);
      s->documents_ok = g_rand_int_range (rand, -1, 2);
      s->order_accurate = g_rand_int_range (rand, -1, 2);
      if (s->pieces > 0 && g_rand_int_range (rand, 0, 8) == 0)
        s->damaged_pieces = g_rand_int_range (rand, 1, s->pieces + 1);
      if (s->pieces > 0 && g_rand_int_range (rand, 0, 8) == 0)
        s->short_pieces = g_rand_int_range (rand, 1, s->pieces + 1);
      s->incident = g_rand_int_range (rand, 0, 30) == 0;
      save (f, s);
    }
  g_assert_true (kl_database_commit (f->db, &error));
  g_assert_no_error (error);
}

static void
cross_check_all (Fixture *f)
{
  GPtrArray *periods = g_ptr_array_new_with_free_func ((GDestroyNotify) kl_period_free);

  for (int year = 2025; year <= 2026; year++)
    {
      g_ptr_array_add (periods, kl_period_new_year (year));
      for (int q = 1; q <= 4; q++)
        g_ptr_array_add (periods, kl_period_new_quarter (year, q));
      for (int m = 1; m <= 12; m++)
        g_ptr_array_add (periods, kl_period_new_month (year, m));
    }
  for (guint p = 0; p < periods->len; p++)
    {
      const KlPeriod *period = g_ptr_array_index (periods, p);

      cross_check_one (f, NULL, NULL, period);
      for (guint c = 0; c < N_CUSTOMERS; c++)
        {
          g_autofree char *code = g_strdup_printf ("C%03u", c + 1);
          cross_check_one (f, code, f->customer_id[c], period);
        }
    }
  g_ptr_array_unref (periods);
}

static void
test_cross_check (Fixture *f, gconstpointer data)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (20261001);
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) all = NULL;
  const Reference *r;

  fill_random (f, rand, 3000);

  reference_prepare (f->db, "Asia/Shanghai");
  /* The data exercise what they should: shipments in the checked years,
   * some late, some on the dot of their grace. */
  all = reference_compute (f->db, NULL, "2025-01-01", "2026-12-31", GROUP_TOTAL);
  r = g_hash_table_lookup (all, "");
  g_assert_nonnull (r);
  g_assert_cmpint (r->shipments, >, 2000);
  g_assert_cmpint (r->dispatched_on_time, <, r->dispatched);
  g_assert_cmpint (r->dispatched_on_time, >, 0);
  g_assert_cmpint (r->otif, >, 0);
  cross_check_all (f);

  /* A zone with summer time: every rollup is rebuilt, and must agree again. */
  g_assert_true (kl_rollup_set_timezone (f->db, "America/New_York", &error));
  g_assert_no_error (error);
  reference_prepare (f->db, "America/New_York");
  cross_check_all (f);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/report/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("timezone-boundary", test_timezone_boundary);
  ADD ("cancelled", test_cancelled);
  ADD ("grace", test_grace);
  ADD ("zero-denominators", test_zero_denominators);
  ADD ("leap-day", test_leap_day);
  ADD ("boundaries", test_boundaries);
  ADD ("targets", test_targets);
  ADD ("regions", test_regions);
  ADD ("seasons", test_seasons);
  ADD ("portfolio-and-errors", test_portfolio_and_errors);
  ADD ("json", test_json);
  ADD ("csv", test_csv);
  ADD ("notes-in-exports", test_notes_in_exports);
  ADD ("cross-check", test_cross_check);
#undef ADD
  return g_test_run ();
}
