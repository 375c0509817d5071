/* SPDX-License-Identifier: GPL-3.0-or-later */
/* keyline-cli demo: a workspace full of realistic, repeatable demo data. */

#include "config.h"

#include <stdlib.h>
#include <glib/gi18n.h>

#include "kl-cli.h"
#include "kl-customer-store.h"
#include "kl-demo.h"
#include "kl-rollup.h"

/* "2026-10" or "202610" → 202610; 0 when it is neither. */
static int
parse_month (const char *text)
{
  int year = 0, month = 0;
  char *end = NULL;

  if (text == NULL)
    return 0;
  year = (int) g_ascii_strtoll (text, &end, 10);
  if (end == text + 6 && *end == '\0')
    {
      month = year % 100;
      year /= 100;
    }
  else if (end == text + 4 && *end == '-')
    {
      const char *m = end + 1;

      month = (int) g_ascii_strtoll (m, &end, 10);
      if (end != m + 2 || *end != '\0')
        return 0;
    }
  else
    return 0;
  if (year < 1970 || year > 9000 || month < 1 || month > 12)
    return 0;
  return kl_month_make (year, month);
}

static int
month_add (int yyyymm,
           int months)
{
  int index = (yyyymm / 100) * 12 + (yyyymm % 100 - 1) + months;

  return kl_month_make (index / 12, index % 12 + 1);
}

int
kl_cli_demo (KlCli  *cli,
             int     argc,
             char  **argv)
{
  int n_customers = 40, years = 3;
  gint64 seed = 1;
  gboolean force = FALSE;
  g_autofree char *last_month_text = NULL;
  const GOptionEntry entries[] = {
    { "customers", 0, 0, G_OPTION_ARG_INT, &n_customers, N_("How many customers (default 40)"), N_("N") },
    { "years", 0, 0, G_OPTION_ARG_INT, &years, N_("How many years of shipments (default 3)"), N_("N") },
    { "seed", 0, 0, G_OPTION_ARG_INT64, &seed, N_("The random seed; the same seed gives the same data (default 1)"), N_("N") },
    { "last-month", 0, 0, G_OPTION_ARG_STRING, &last_month_text,
      N_("The last month of data, like 2026-10 (default: last month)"), N_("YYYY-MM") },
    { "force", 0, 0, G_OPTION_ARG_NONE, &force, N_("Empty a workspace that holds data first"), NULL },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(KlDatabase) db = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(KlCliProgress) progress = NULL;
  KlDemoOptions options = KL_DEMO_OPTIONS_INIT;
  KlCustomerFilter all = KL_CUSTOMER_FILTER_INIT;
  KlRollupCounts totals = { { 0 } };
  gint64 existing, n_saved;
  int status = KL_EXIT_OK, first_month;

  context = kl_cli_option_context (cli, NULL,
                                   _("Fill a new workspace (or, with --force, an emptied one) with realistic demo data: "
                                     "customers, contacts, agreements, shipments ending last month, and activities. "
                                     "The same seed gives the same data."),
                                   entries);
  if (!kl_cli_parse (cli, context, &argc, &argv))
    return KL_EXIT_USAGE;
  if (argc > 1)
    return kl_cli_usage_error (cli, _("Unexpected argument “%s”"), argv[1]);
  if (n_customers < 1 || n_customers > 100000)
    return kl_cli_usage_error (cli, _("--customers must be from 1 to 100000, not %d"), n_customers);
  if (years < 1 || years > 30)
    return kl_cli_usage_error (cli, _("--years must be from 1 to 30, not %d"), years);
  if (seed < 0 || seed > G_MAXUINT32)
    return kl_cli_usage_error (cli, _("--seed must be from 0 to %u"), G_MAXUINT32);
  options.n_customers = (guint) n_customers;
  options.years = (guint) years;
  options.seed = (guint32) seed;
  if (last_month_text != NULL)
    {
      options.last_month = parse_month (last_month_text);
      if (options.last_month == 0)
        return kl_cli_usage_error (cli, _("--last-month must be a month like 2026-10, not “%s”"), last_month_text);
    }

  db = kl_cli_open_workspace (cli, TRUE, &status);
  if (db == NULL)
    return status;

  all.include_deleted = TRUE;
  existing = kl_customer_store_count (db, &all, &error);
  if (existing < 0)
    return kl_cli_fail (error, db, TRUE);
  if (existing > 0 && !force)
    {
      kl_cli_error (g_dngettext (GETTEXT_PACKAGE,
                                 "The workspace “%s” already holds %d customer; run “keyline-cli demo --force” to replace everything in it with demo data, or give another workspace with --workspace",
                                 "The workspace “%s” already holds %d customers; run “keyline-cli demo --force” to replace everything in it with demo data, or give another workspace with --workspace",
                                 (gulong) existing),
                    kl_database_get_path (db), (int) existing);
      return KL_EXIT_CANTCREAT;
    }

  progress = kl_cli_progress_new (_("Creating demo data…"));
  /* Emptying and filling are one transaction: a failure keeps the old data. */
  if (!kl_database_begin (db, &error) ||
      (force && !kl_demo_clear (db, &error)) ||
      !kl_demo_fill (db, &options, kl_cli_progress_update, progress, NULL, &error) ||
      !kl_database_commit (db, &error))
    {
      g_clear_pointer (&progress, kl_cli_progress_free);
      if (kl_database_in_transaction (db))
        kl_database_rollback (db);
      status = kl_cli_fail (error, db, TRUE);
      if (kl_database_is_new (db))
        kl_cli_discard_workspace (g_steal_pointer (&db));
      return status;
    }
  g_clear_pointer (&progress, kl_cli_progress_free);

  if (options.last_month == 0)
    {
      g_autoptr(GDateTime) now = g_date_time_new_now (kl_database_get_timezone (db));

      options.last_month = month_add (kl_month_make (g_date_time_get_year (now), g_date_time_get_month (now)), -1);
    }
  first_month = month_add (options.last_month, 1 - 12 * years);
  n_saved = kl_customer_store_count (db, &all, &error);
  if (n_saved < 0 || !kl_rollup_read_total (db, NULL, first_month, options.last_month, &totals, &error))
    return kl_cli_fail (error, db, FALSE);

  kl_cli_printf (_("Demo data in “%s”: %d customers, %d shipments from %04d-%02d to %04d-%02d (seed %u)\n"),
                 kl_database_get_path (db), (int) n_saved, (int) totals.v[KL_RC_SHIPMENTS],
                 first_month / 100, first_month % 100, options.last_month / 100, options.last_month % 100,
                 options.seed);
  return KL_EXIT_OK;
}
