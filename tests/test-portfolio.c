/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The portfolio ranking against the report engine on a demo workspace: every
 * row's figures and targets equal kl_report_build's for the same customer
 * and month, the orders are total and as documented, and accounts without
 * an agreement or without shipments show no targets and null rates. */

#include <math.h>

#include "kl-claim-store.h"
#include "kl-customer-store.h"
#include "kl-database.h"
#include "kl-portfolio.h"
#include "kl-report-model.h"
#include "kl-shipment-store.h"
#include "kl-test-util.h"

#define LAST_MONTH 202610
#define N_DEMO     40

typedef struct {
  char       *dir;
  KlDatabase *db;
  char       *bare_id;      /* no agreement; shipments in 2026-08 only */
  char       *idle_id;      /* an agreement, no shipments at all */
} Fixture;

static void
add_shipment (KlDatabase *db, const char *customer_id, const char *waybill, const char *planned)
{
  g_autoptr(KlShipment) s = kl_shipment_new ();
  g_autoptr(GDateTime) dt = g_date_time_new_from_iso8601 (planned, NULL);
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (dt);
  s->waybill = g_strdup (waybill);
  s->customer_id = g_strdup (customer_id);
  s->status = KL_SHIPMENT_STATUS_DELIVERED;
  s->pieces = 4;
  s->weight_g = -1;
  s->volume_cm3 = -1;
  s->planned_pickup_at = g_date_time_to_unix (dt);
  s->picked_up_at = s->planned_pickup_at;
  s->planned_delivery_at = s->planned_pickup_at + 86400;
  s->delivered_at = s->planned_delivery_at - 60;
  s->documents_ok = KL_TRI_TRUE;
  s->order_accurate = KL_TRI_TRUE;
  g_assert_true (kl_shipment_store_save (db, s, NULL, &error));
  g_assert_no_error (error);
}

/* The demo fill takes a while: it is made once and each test gets a copy. */
static char *template_dir;
static char *template_path;

static void
make_template (void)
{
  g_autoptr(KlAgreement) agreement = kl_agreement_new ();
  g_autoptr(KlDatabase) db = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *bare_id = NULL;
  g_autofree char *idle_id = NULL;

  template_dir = kl_test_make_tmp_dir ("keyline-portfolio-template-XXXXXX");
  template_path = g_build_filename (template_dir, "workspace.db", NULL);
  db = kl_test_create_demo_workspace (template_path, N_DEMO, 2, LAST_MONTH);

  bare_id = kl_test_add_customer (db, "ZZ-BARE", "Bare Account");
  add_shipment (db, bare_id, "BARE-1", "2026-08-10T08:00:00Z");
  add_shipment (db, bare_id, "BARE-2", "2026-08-11T08:00:00Z");

  idle_id = kl_test_add_customer (db, "ZZ-IDLE", "Idle Account");
  agreement->customer_id = g_strdup (idle_id);
  agreement->effective_from = g_strdup ("2025-01-01");
  agreement->targets[KL_RATE_DISPATCH_ON_TIME] = 0.95;
  agreement->targets[KL_RATE_DAMAGE] = 0.001;
  g_assert_true (kl_agreement_store_save (db, agreement, &error));
  g_assert_no_error (error);
  /* Closing checkpoints the WAL, so the file alone is the workspace. */
}

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  f->dir = kl_test_make_tmp_dir ("keyline-portfolio-XXXXXX");
  f->db = kl_test_open_workspace_copy (template_path, f->dir);

  f->bare_id = kl_customer_store_lookup_code (f->db, "ZZ-BARE", &error);
  g_assert_no_error (error);
  f->idle_id = kl_customer_store_lookup_code (f->db, "ZZ-IDLE", &error);
  g_assert_no_error (error);
  g_assert_nonnull (f->bare_id);
  g_assert_nonnull (f->idle_id);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  g_clear_object (&f->db);
  g_assert_true (kl_test_remove_tree (f->dir));
  g_free (f->dir);
  g_free (f->bare_id);
  g_free (f->idle_id);
}

static GPtrArray *
rank (Fixture *f, int month)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *rows = kl_portfolio_rank (f->db, month, &error);

  g_assert_no_error (error);
  g_assert_nonnull (rows);
  return rows;
}

static const KlPortfolioRow *
find_row (GPtrArray *rows, const char *id)
{
  for (guint i = 0; i < rows->len; i++)
    {
      const KlPortfolioRow *row = g_ptr_array_index (rows, i);

      if (g_str_equal (row->customer_id, id))
        return row;
    }
  g_error ("No portfolio row for customer %s", id);
  return NULL;
}

static gboolean
same_double (double a, double b)
{
  return (isnan (a) && isnan (b)) || a == b;
}

static void
assert_matches_report (Fixture *f, const KlPortfolioRow *row, int month)
{
  g_autoptr(KlPeriod) period = kl_period_new_for_month (month);
  g_autoptr(KlReportModel) model = NULL;
  g_autoptr(GError) error = NULL;

  model = kl_report_build (f->db, row->code, period, &error);
  g_assert_no_error (error);

  g_assert_cmpstr (row->customer_id, ==, model->customer_id);
  g_assert_cmpstr (row->name, ==, model->customer_name);
  g_assert_cmpint (row->abc_class, ==, model->abc_class);
  g_assert_cmpint (row->month, ==, month);
  g_assert_true (kl_kpi_figures_equal (&row->figures, &model->figures));
  g_assert_cmpint (row->has_agreement, ==, model->has_agreement);
  for (guint r = 0; r < KL_N_RATES; r++)
    {
      const KlKpiTarget *a = &row->targets[r], *b = &model->targets[r];

      g_assert_cmpint (a->has_target, ==, b->has_target);
      g_assert_true (same_double (a->target, b->target));
      g_assert_true (same_double (a->actual, b->actual));
      g_assert_cmpint (a->met, ==, b->met);
      g_assert_true (same_double (a->variance_pp, b->variance_pp));
    }
  for (guint i = 0; i < KL_PORTFOLIO_N_MONTHS; i++)
    {
      g_assert_cmpint (row->months[i], ==, model->trailing_months[i]);
      g_assert_cmpint (row->monthly_shipments[i], ==, model->trailing_shipments[i]);
    }
}

static void
test_matches_report (Fixture *f, gconstpointer data)
{
  static const int months[] = { LAST_MONTH, 202603, 202512 };

  for (guint m = 0; m < G_N_ELEMENTS (months); m++)
    {
      g_autoptr(GPtrArray) rows = rank (f, months[m]);
      guint n_checked = 0, n_with_targets = 0, n_missing = 0;

      g_assert_cmpuint (rows->len, ==, N_DEMO + 2);
      for (guint i = 0; i < rows->len; i++)
        {
          const KlPortfolioRow *row = g_ptr_array_index (rows, i);
          guint misses = 0, measured = 0;

          /* The full check for every third account; all of them in the last month. */
          if (months[m] == LAST_MONTH || i % 3 == 0)
            {
              assert_matches_report (f, row, months[m]);
              n_checked++;
            }
          for (guint r = 0; r < KL_N_RATES; r++)
            if (row->targets[r].met != KL_TRI_UNKNOWN)
              {
                measured++;
                misses += row->targets[r].met == KL_TRI_FALSE;
              }
          g_assert_cmpuint (row->sla_misses, ==, misses);
          g_assert_cmpuint (row->sla_targets, ==, measured);
          n_with_targets += measured > 0;
          n_missing += misses > 0;
        }
      g_test_message ("%d: %u checked, %u measured against targets, %u missing some",
                      months[m], n_checked, n_with_targets, n_missing);
      /* The demo has agreements, and accounts that miss their targets. */
      g_assert_cmpuint (n_with_targets, >, N_DEMO / 2);
      g_assert_cmpuint (n_missing, >, 0);
    }
}

static void
test_trend (Fixture *f, gconstpointer data)
{
  g_autoptr(GPtrArray) rows = rank (f, LAST_MONTH);
  guint n_falling = 0;

  for (guint i = 0; i < rows->len; i++)
    {
      const KlPortfolioRow *row = g_ptr_array_index (rows, i);
      gint64 recent = 0, earlier = 0;

      for (guint k = 0; k < 3; k++)
        {
          recent += row->monthly_shipments[11 - k];
          earlier += row->monthly_shipments[8 - k];
        }
      g_assert_cmpint (row->recent_shipments, ==, recent);
      g_assert_cmpint (row->earlier_shipments, ==, earlier);
      g_assert_cmpint (row->monthly_shipments[11], ==, row->figures.shipments);
      if (earlier == 0)
        g_assert_true (isnan (row->volume_trend));
      else
        g_assert_cmpfloat_with_epsilon (row->volume_trend, (double) (recent - earlier) / earlier, 1e-12);
      n_falling += row->volume_trend < -0.2;
    }
  /* The demo has accounts whose volume falls away. */
  g_assert_cmpuint (n_falling, >, 0);
}

static void
test_no_agreement_no_shipments (Fixture *f, gconstpointer data)
{
  g_autoptr(GPtrArray) rows = rank (f, LAST_MONTH);
  const KlPortfolioRow *bare = find_row (rows, f->bare_id);
  const KlPortfolioRow *idle = find_row (rows, f->idle_id);

  /* No agreement: no targets, whatever the figures. */
  g_assert_false (bare->has_agreement);
  for (guint r = 0; r < KL_N_RATES; r++)
    {
      g_assert_false (bare->targets[r].has_target);
      g_assert_cmpint (bare->targets[r].met, ==, KL_TRI_UNKNOWN);
      g_assert_cmpint (kl_portfolio_level (r, &bare->targets[r]), ==, KL_PORTFOLIO_LEVEL_NONE);
    }
  g_assert_cmpuint (bare->sla_targets, ==, 0);
  g_assert_cmpuint (bare->sla_misses, ==, 0);
  /* Nothing in October: zero counts and null rates, never 0 or 1. */
  g_assert_cmpint (bare->figures.shipments, ==, 0);
  for (guint r = 0; r < KL_N_RATES; r++)
    g_assert_true (isnan (bare->figures.rates[r]));
  /* August is in the twelve months and in the recent three. */
  g_assert_cmpint (bare->months[9], ==, 202608);
  g_assert_cmpint (bare->monthly_shipments[9], ==, 2);
  g_assert_cmpint (bare->recent_shipments, ==, 2);
  g_assert_cmpint (bare->earlier_shipments, ==, 0);
  g_assert_true (isnan (bare->volume_trend));

  /* In August the same account has figures but still no targets. */
  {
    g_autoptr(GPtrArray) august = rank (f, 202608);
    const KlPortfolioRow *row = find_row (august, f->bare_id);

    g_assert_cmpint (row->figures.shipments, ==, 2);
    g_assert_cmpfloat (row->figures.rates[KL_RATE_DISPATCH_ON_TIME], ==, 1.0);
    g_assert_false (row->targets[KL_RATE_DISPATCH_ON_TIME].has_target);
    assert_matches_report (f, row, 202608);
  }

  /* An agreement but no shipments: targets without a measured value. */
  g_assert_true (idle->has_agreement);
  g_assert_true (idle->targets[KL_RATE_DISPATCH_ON_TIME].has_target);
  g_assert_cmpfloat (idle->targets[KL_RATE_DISPATCH_ON_TIME].target, ==, 0.95);
  g_assert_true (isnan (idle->targets[KL_RATE_DISPATCH_ON_TIME].actual));
  g_assert_cmpint (idle->targets[KL_RATE_DISPATCH_ON_TIME].met, ==, KL_TRI_UNKNOWN);
  g_assert_false (idle->targets[KL_RATE_ORDER_ACCURACY].has_target);
  g_assert_cmpuint (idle->sla_targets, ==, 0);
  g_assert_cmpuint (idle->sla_misses, ==, 0);
  for (guint i = 0; i < KL_PORTFOLIO_N_MONTHS; i++)
    g_assert_cmpint (idle->monthly_shipments[i], ==, 0);
  assert_matches_report (f, bare, LAST_MONTH);
  assert_matches_report (f, idle, LAST_MONTH);
}

static void
test_rank_order (Fixture *f, gconstpointer data)
{
  g_autoptr(GPtrArray) rows = rank (f, LAST_MONTH);

  for (guint i = 0; i < rows->len; i++)
    {
      const KlPortfolioRow *row = g_ptr_array_index (rows, i);

      g_assert_cmpuint (row->rank, ==, i + 1);
      if (i == 0)
        continue;
      {
        const KlPortfolioRow *prev = g_ptr_array_index (rows, i - 1);

        /* Most misses first; among equals, most overdue claims, then most open claims. */
        g_assert_cmpuint (prev->sla_misses, >=, row->sla_misses);
        if (prev->sla_misses == row->sla_misses)
          {
            g_assert_cmpuint (prev->overdue_claims, >=, row->overdue_claims);
            if (prev->overdue_claims == row->overdue_claims)
              {
                g_assert_cmpuint (prev->open_claims, >=, row->open_claims);
                if (prev->open_claims == row->open_claims && !isnan (row->volume_trend))
                  {
                    /* Then the steepest fall, unknown trends last. */
                    g_assert_false (isnan (prev->volume_trend));
                    g_assert_cmpfloat (prev->volume_trend, <=, row->volume_trend);
                  }
              }
          }
        g_assert_cmpint (kl_portfolio_row_compare (prev, row, KL_PORTFOLIO_SORT_RANK, 0), <, 0);
      }
    }
  /* The accounts missing most come first. */
  g_assert_cmpuint (((KlPortfolioRow *) g_ptr_array_index (rows, 0))->sla_misses, >, 0);
}

typedef struct {
  KlPortfolioSortKey key;
  KlRate             rate;
} SortSpec;

static int
compare_with_spec (gconstpointer a, gconstpointer b, gpointer data)
{
  const SortSpec *spec = data;

  return kl_portfolio_row_compare (*(KlPortfolioRow * const *) a, *(KlPortfolioRow * const *) b,
                                   spec->key, spec->rate);
}

static void
test_sorting (Fixture *f, gconstpointer data)
{
  g_autoptr(GPtrArray) rows = rank (f, LAST_MONTH);
  static const SortSpec specs[] = {
    { KL_PORTFOLIO_SORT_CUSTOMER, 0 },
    { KL_PORTFOLIO_SORT_REGION, 0 },
    { KL_PORTFOLIO_SORT_ABC, 0 },
    { KL_PORTFOLIO_SORT_SHIPMENTS, 0 },
    { KL_PORTFOLIO_SORT_TREND, 0 },
    { KL_PORTFOLIO_SORT_SLA_MISSES, 0 },
    { KL_PORTFOLIO_SORT_CLAIMS, 0 },
    { KL_PORTFOLIO_SORT_RATE, KL_RATE_DISPATCH_ON_TIME },
    { KL_PORTFOLIO_SORT_RATE, KL_RATE_DAMAGE },
  };

  for (guint s = 0; s < G_N_ELEMENTS (specs); s++)
    {
      g_autoptr(GPtrArray) sorted = g_ptr_array_sized_new (rows->len);
      const SortSpec *spec = &specs[s];

      /* Borrowed rows: the copy must not free them. */
      for (guint i = 0; i < rows->len; i++)
        g_ptr_array_add (sorted, g_ptr_array_index (rows, i));

      g_ptr_array_sort_with_data (sorted, compare_with_spec, (gpointer) spec);
      for (guint i = 1; i < sorted->len; i++)
        {
          const KlPortfolioRow *a = g_ptr_array_index (sorted, i - 1);
          const KlPortfolioRow *b = g_ptr_array_index (sorted, i);

          /* Total: no two rows compare equal, and the order is antisymmetric. */
          g_assert_cmpint (kl_portfolio_row_compare (a, b, spec->key, spec->rate), <, 0);
          g_assert_cmpint (kl_portfolio_row_compare (b, a, spec->key, spec->rate), >, 0);

          switch (spec->key)
            {
            case KL_PORTFOLIO_SORT_SHIPMENTS:
              g_assert_cmpint (a->figures.shipments, <=, b->figures.shipments);
              break;
            case KL_PORTFOLIO_SORT_TREND:
              g_assert_true (isnan (b->volume_trend) || a->volume_trend <= b->volume_trend);
              break;
            case KL_PORTFOLIO_SORT_SLA_MISSES:
              g_assert_cmpuint (a->sla_misses, <=, b->sla_misses);
              break;
            case KL_PORTFOLIO_SORT_CLAIMS:
              g_assert_cmpuint (a->overdue_claims, <=, b->overdue_claims);
              break;
            case KL_PORTFOLIO_SORT_RATE:
              g_assert_true (isnan (b->figures.rates[spec->rate]) ||
                             a->figures.rates[spec->rate] <= b->figures.rates[spec->rate]);
              break;
            case KL_PORTFOLIO_SORT_ABC:
              g_assert_true (b->abc_class == KL_ABC_NONE ||
                             (a->abc_class != KL_ABC_NONE && a->abc_class <= b->abc_class));
              break;
            case KL_PORTFOLIO_SORT_REGION:
              g_assert_true (b->region == NULL || (a->region != NULL && g_utf8_collate (a->region, b->region) <= 0));
              break;
            case KL_PORTFOLIO_SORT_CUSTOMER:
              g_assert_cmpint (g_utf8_collate (a->name, b->name), <=, 0);
              break;
            case KL_PORTFOLIO_SORT_RANK:
            default:
              g_assert_not_reached ();
            }
        }
    }
}

static void
test_claims (Fixture *f, gconstpointer data)
{
  g_autoptr(GPtrArray) rows = rank (f, LAST_MONTH);
  g_autoptr(GError) error = NULL;
  guint total_open = 0, total_overdue = 0;

  for (guint i = 0; i < rows->len; i++)
    {
      const KlPortfolioRow *row = g_ptr_array_index (rows, i);
      KlClaimFilter filter = KL_CLAIM_FILTER_INIT;
      g_autoptr(GPtrArray) claims = NULL;
      guint open = 0, overdue = 0;

      filter.customer_id = row->customer_id;
      claims = kl_claim_store_list (f->db, &filter, g_get_real_time () / G_USEC_PER_SEC, &error);
      g_assert_no_error (error);
      for (guint k = 0; k < claims->len; k++)
        {
          const KlClaim *c = g_ptr_array_index (claims, k);

          if (c->filed_at == KL_NO_TIME || c->status == KL_CLAIM_STATUS_CLOSED ||
              c->status == KL_CLAIM_STATUS_WITHDRAWN || c->status == KL_CLAIM_STATUS_REJECTED ||
              c->status == KL_CLAIM_STATUS_CANCELLED)
            continue;
          open++;
          overdue += c->overdue;
        }
      g_assert_cmpuint (row->open_claims, ==, open);
      g_assert_cmpuint (row->overdue_claims, ==, overdue);
      total_open += open;
      total_overdue += overdue;
    }
  g_test_message ("%u open claims, %u overdue", total_open, total_overdue);
}

static void
test_deleted (Fixture *f, gconstpointer data)
{
  g_autoptr(GPtrArray) before = rank (f, LAST_MONTH);
  g_autoptr(GPtrArray) after = NULL;
  g_autoptr(GError) error = NULL;
  const KlPortfolioRow *first = g_ptr_array_index (before, 0);
  g_autofree char *id = g_strdup (first->customer_id);

  g_assert_true (kl_customer_store_delete (f->db, id, &error));
  g_assert_no_error (error);
  after = rank (f, LAST_MONTH);
  g_assert_cmpuint (after->len, ==, before->len - 1);
  for (guint i = 0; i < after->len; i++)
    g_assert_cmpstr (((KlPortfolioRow *) g_ptr_array_index (after, i))->customer_id, !=, id);
}

static void
test_row_copy (Fixture *f, gconstpointer data)
{
  g_autoptr(GPtrArray) rows = rank (f, LAST_MONTH);
  const KlPortfolioRow *row = g_ptr_array_index (rows, 0);
  g_autoptr(KlPortfolioRow) copy = kl_portfolio_row_copy (row);

  g_assert_true (copy->name != row->name);
  g_assert_cmpstr (copy->name, ==, row->name);
  g_assert_cmpstr (copy->name_key, ==, row->name_key);
  g_assert_true (kl_kpi_figures_equal (&copy->figures, &row->figures));
  g_assert_cmpint (copy->rank, ==, row->rank);
}

static void
test_level (void)
{
  KlKpiFigures figures;
  KlKpiTarget targets[KL_N_RATES];
  g_autoptr(KlAgreement) agreement = kl_agreement_new ();
  static const struct {
    KlRate           rate;
    double           target;
    double           actual;
    KlPortfolioLevel level;
  } cases[] = {
    { KL_RATE_DISPATCH_ON_TIME, 0.95, 0.96, KL_PORTFOLIO_LEVEL_GOOD },
    { KL_RATE_DISPATCH_ON_TIME, 0.95, 0.95, KL_PORTFOLIO_LEVEL_GOOD },
    { KL_RATE_DISPATCH_ON_TIME, 0.95, 0.91, KL_PORTFOLIO_LEVEL_WARNING },   /* within 5 pp */
    { KL_RATE_DISPATCH_ON_TIME, 0.95, 0.89, KL_PORTFOLIO_LEVEL_BAD },
    { KL_RATE_ORDER_ACCURACY,   0.995, 0.986, KL_PORTFOLIO_LEVEL_WARNING }, /* within 1 pp */
    { KL_RATE_ORDER_ACCURACY,   0.995, 0.984, KL_PORTFOLIO_LEVEL_BAD },
    { KL_RATE_DAMAGE,           0.001, 0.0005, KL_PORTFOLIO_LEVEL_GOOD },
    { KL_RATE_DAMAGE,           0.001, 0.0015, KL_PORTFOLIO_LEVEL_WARNING }, /* within twice */
    { KL_RATE_DAMAGE,           0.001, 0.0025, KL_PORTFOLIO_LEVEL_BAD },
    { KL_RATE_DAMAGE,           0.001, NAN,    KL_PORTFOLIO_LEVEL_NONE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      kl_kpi_figures_init (&figures);
      figures.rates[cases[i].rate] = cases[i].actual;
      agreement->targets[cases[i].rate] = cases[i].target;
      kl_kpi_targets_evaluate (&figures, agreement, targets);
      g_assert_cmpint (kl_portfolio_level (cases[i].rate, &targets[cases[i].rate]), ==, cases[i].level);
    }
  kl_kpi_targets_evaluate (&figures, NULL, targets);
  g_assert_cmpint (kl_portfolio_level (KL_RATE_DAMAGE, &targets[KL_RATE_DAMAGE]), ==, KL_PORTFOLIO_LEVEL_NONE);
}

int
main (int argc, char *argv[])
{
  int status;

  g_setenv ("TZ", "UTC", TRUE);
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/portfolio/matches-report", test_matches_report);
  ADD ("/portfolio/trend", test_trend);
  ADD ("/portfolio/no-agreement-no-shipments", test_no_agreement_no_shipments);
  ADD ("/portfolio/rank-order", test_rank_order);
  ADD ("/portfolio/sorting", test_sorting);
  ADD ("/portfolio/claims", test_claims);
  ADD ("/portfolio/deleted", test_deleted);
  ADD ("/portfolio/row-copy", test_row_copy);
#undef ADD
  g_test_add_func ("/portfolio/level", test_level);

  make_template ();
  status = g_test_run ();
  g_assert_true (kl_test_remove_tree (template_dir));
  g_free (template_dir);
  g_free (template_path);
  return status;
}
