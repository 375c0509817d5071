/* SPDX-License-Identifier: GPL-3.0-or-later */
/* keyline-cli reminders and analysis lost (docs/analysis.md). */

#include "config.h"

#include <json-glib/json-glib.h>
#include <glib/gi18n.h>

#include "kl-cli.h"
#include "kl-cli-analysis.h"
#include "kl-health-data.h"
#include "kl-period.h"

static char *
to_json (JsonBuilder *b)
{
  g_autoptr (JsonGenerator) gen = json_generator_new ();
  g_autoptr (JsonNode) root = json_builder_get_root (b);

  json_generator_set_pretty (gen, TRUE);
  json_generator_set_root (gen, root);
  return json_generator_to_data (gen, NULL);
}

static void
add_string (JsonBuilder *b, const char *name, const char *value)
{
  json_builder_set_member_name (b, name);
  if (value)
    json_builder_add_string_value (b, value);
  else
    json_builder_add_null_value (b);
}

int
kl_cli_reminders (KlCli *cli, int argc, char **argv)
{
  g_autofree char *format_text = NULL;
  int days = KL_REMINDER_BIRTHDAY_DAYS;
  const GOptionEntry entries[] = {
    { "days", 0, 0, G_OPTION_ARG_INT, &days, N_("Birthdays in the next N days (default 14)"), N_("N") },
    { "format", 0, 0, G_OPTION_ARG_STRING, &format_text, N_("table (default), json or ics (iCalendar)"), N_("FORMAT") },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr (GOptionContext) context = NULL;
  g_autoptr (KlDatabase) db = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) reminders = NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  const char *now_env = g_getenv ("KEYLINE_NOW");
  int status = KL_EXIT_OK;

  context = kl_cli_option_context (cli, NULL,
                                   _("Contacts’ birthdays in the next N days, agreements ending within 60 days, "
                                     "A accounts with no activity done in 30 days, follow-ups due or overdue, and "
                                     "claim deadlines within 3 days. JSON: [{\"kind\", \"date\", \"days\", "
                                     "\"customer\", \"record\": {\"kind\", \"id\"}, \"subject\"}], kind one of "
                                     "birthday, agreement_expiring, account_idle, follow_up, claim_deadline."),
                                   entries);
  if (!kl_cli_parse (cli, context, &argc, &argv))
    return KL_EXIT_USAGE;
  if (argc > 1)
    return kl_cli_usage_error (cli, _("Unexpected argument “%s”"), argv[1]);
  if (days < 0 || days > 366)
    return kl_cli_usage_error (cli, _("--days must be from 0 to 366 (got %d)"), days);
  if (format_text != NULL && g_strcmp0 (format_text, "table") != 0 && g_strcmp0 (format_text, "json") != 0
      && g_strcmp0 (format_text, "ics") != 0)
    return kl_cli_usage_error (cli, _("--format must be table, json or ics, not “%s”"), format_text);
  /* a fixed "now" for tests and reproducible exports (Unix seconds) */
  if (now_env != NULL)
    now = g_ascii_strtoll (now_env, NULL, 10);

  db = kl_cli_open_workspace (cli, FALSE, &status);
  if (db == NULL)
    return status;
  reminders = kl_health_reminders (db, now, days, &error);
  if (reminders == NULL)
    return kl_cli_fail (error, db, FALSE);

  if (g_strcmp0 (format_text, "ics") == 0)
    {
      g_autofree char *text = kl_health_reminders_to_ical (reminders, now);
      kl_cli_print (text);
    }
  else if (g_strcmp0 (format_text, "json") == 0)
    {
      g_autoptr (JsonBuilder) b = json_builder_new ();
      g_autofree char *text = NULL;

      json_builder_begin_array (b);
      for (guint i = 0; i < reminders->len; i++)
        {
          const KlReminder *r = g_ptr_array_index (reminders, i);
          json_builder_begin_object (b);
          add_string (b, "kind", kl_reminder_kind_to_string (r->kind));
          add_string (b, "date", r->date);
          json_builder_set_member_name (b, "days");
          json_builder_add_int_value (b, r->days);
          add_string (b, "customer", r->customer_code);
          json_builder_set_member_name (b, "record");
          json_builder_begin_object (b);
          add_string (b, "kind", r->record_kind);
          add_string (b, "id", r->record_id);
          json_builder_end_object (b);
          add_string (b, "subject", r->subject);
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
      text = to_json (b);
      kl_cli_printf ("%s\n", text);
    }
  else
    {
      g_autoptr (GString) out = g_string_new (NULL);
      for (guint i = 0; i < reminders->len; i++)
        {
          const KlReminder *r = g_ptr_array_index (reminders, i);
          kl_cli_append_padded (out, r->date, 12);
          kl_cli_append_padded (out, kl_reminder_kind_to_label (r->kind), 30);
          kl_cli_append_padded (out, r->customer_code ? r->customer_code : "", 12);
          g_string_append_printf (out, "%s\n", r->subject ? r->subject : "");
        }
      if (reminders->len == 0)
        g_string_append_printf (out, "%s\n", _("No reminders."));
      kl_cli_print (out->str);
    }
  return KL_EXIT_OK;
}

typedef struct {
  guint  count;
  gint64 contribution;
} Total;

static void
add_total (GHashTable *totals, const char *key, gint64 contribution)
{
  Total *t = g_hash_table_lookup (totals, key);
  if (t == NULL)
    {
      t = g_new0 (Total, 1);
      g_hash_table_insert (totals, g_strdup (key), t);
    }
  t->count++;
  t->contribution += contribution;
}

static void
build_totals (JsonBuilder *b, const char *member, const char *key_name, GHashTable *totals)
{
  g_autoptr (GList) keys = g_list_sort (g_hash_table_get_keys (totals), (GCompareFunc) g_strcmp0);

  json_builder_set_member_name (b, member);
  json_builder_begin_array (b);
  for (GList *l = keys; l != NULL; l = l->next)
    {
      const Total *t = g_hash_table_lookup (totals, l->data);
      json_builder_begin_object (b);
      add_string (b, key_name, l->data);
      json_builder_set_member_name (b, "customers");
      json_builder_add_int_value (b, t->count);
      json_builder_set_member_name (b, "contribution");
      json_builder_add_int_value (b, t->contribution);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
}

int
kl_cli_analysis_lost (KlCli *cli, int argc, char **argv)
{
  g_autofree char *period_text = NULL;
  g_autofree char *format_text = NULL;
  g_autofree char *basis_text = NULL;
  const GOptionEntry entries[] = {
    { "period", 0, 0, G_OPTION_ARG_STRING, &period_text, N_("2026-10, 2026-Q3 or 2026"), N_("PERIOD") },
    { "basis", 0, 0, G_OPTION_ARG_STRING, &basis_text, N_("revenue, shipments or weight"), N_("BASIS") },
    { "format", 0, 0, G_OPTION_ARG_STRING, &format_text, N_("table (default) or json"), N_("FORMAT") },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr (GOptionContext) context = NULL;
  g_autoptr (KlDatabase) db = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (KlPeriod) period = NULL;
  g_autoptr (KlLostAnalysis) lost = NULL;
  g_autoptr (GHashTable) by_reason = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr (GHashTable) by_manager = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autofree char *first = NULL;
  g_autofree char *last = NULL;
  g_autofree char *label = NULL;
  KlAnalysisBasis basis;
  int status = KL_EXIT_OK;

  context = kl_cli_option_context (cli, NULL,
                                   _("Customers whose status became lost in --period, with the date, the reason, "
                                     "the class before and the contribution of their last twelve months before the "
                                     "loss; totals by reason and by account manager. JSON: {\"period\", \"basis\", "
                                     "\"customers\": [{\"code\", \"name\", \"date\", \"reason\", "
                                     "\"account_manager\", \"class_before\", \"contribution\"}], \"by_reason\": "
                                     "[{\"reason\", \"customers\", \"contribution\"}], \"by_account_manager\": "
                                     "[{\"account_manager\", \"customers\", \"contribution\"}]}."),
                                   entries);
  if (!kl_cli_parse (cli, context, &argc, &argv))
    return KL_EXIT_USAGE;
  if (argc > 1)
    return kl_cli_usage_error (cli, _("Unexpected argument “%s”"), argv[1]);
  if (period_text == NULL)
    return kl_cli_usage_error (cli, _("--period is required (2026-10, 2026-Q3 or 2026)"));
  period = kl_period_parse (period_text, &error);
  if (period == NULL)
    return kl_cli_usage_error (cli, "%s", error->message);
  if (basis_text != NULL && !kl_analysis_basis_parse (basis_text, &basis))
    return kl_cli_usage_error (cli, _("--basis must be revenue, shipments or weight, not “%s”"), basis_text);
  if (format_text != NULL && g_strcmp0 (format_text, "table") != 0 && g_strcmp0 (format_text, "json") != 0)
    return kl_cli_usage_error (cli, _("--format must be table or json, not “%s”"), format_text);

  db = kl_cli_open_workspace (cli, FALSE, &status);
  if (db == NULL)
    return status;
  first = kl_period_start_date (period);
  last = kl_period_end_date (period);
  label = kl_period_to_label (period);
  lost = kl_health_lost (db, first, last, basis_text ? &basis : NULL, &error);
  if (lost == NULL)
    return kl_cli_fail (error, db, FALSE);
  for (guint i = 0; i < lost->customers->len; i++)
    {
      const KlLostCustomer *c = g_ptr_array_index (lost->customers, i);
      add_total (by_reason, c->reason, c->contribution);
      add_total (by_manager, c->account_manager, c->contribution);
    }

  if (g_strcmp0 (format_text, "json") == 0)
    {
      g_autoptr (JsonBuilder) b = json_builder_new ();
      g_autofree char *text = NULL;

      json_builder_begin_object (b);
      add_string (b, "period", label);
      add_string (b, "basis", kl_analysis_basis_to_string (lost->basis));
      json_builder_set_member_name (b, "customers");
      json_builder_begin_array (b);
      for (guint i = 0; i < lost->customers->len; i++)
        {
          const KlLostCustomer *c = g_ptr_array_index (lost->customers, i);
          json_builder_begin_object (b);
          add_string (b, "code", c->code);
          add_string (b, "name", c->name);
          add_string (b, "date", c->date);
          add_string (b, "reason", c->reason);
          add_string (b, "account_manager", c->account_manager);
          add_string (b, "class_before", c->class_before ? kl_account_class_to_string (c->class_before) : NULL);
          json_builder_set_member_name (b, "contribution");
          json_builder_add_int_value (b, c->contribution);
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
      build_totals (b, "by_reason", "reason", by_reason);
      build_totals (b, "by_account_manager", "account_manager", by_manager);
      json_builder_end_object (b);
      text = to_json (b);
      kl_cli_printf ("%s\n", text);
    }
  else
    {
      g_autoptr (GString) out = g_string_new (NULL);
      g_autoptr (GList) reasons = g_list_sort (g_hash_table_get_keys (by_reason), (GCompareFunc) g_strcmp0);
      g_autoptr (GList) managers = g_list_sort (g_hash_table_get_keys (by_manager), (GCompareFunc) g_strcmp0);

      g_string_append_printf (out, _("Lost customers in %s (basis: %s)\n\n"), label,
                              kl_analysis_basis_to_string (lost->basis));
      for (guint i = 0; i < lost->customers->len; i++)
        {
          const KlLostCustomer *c = g_ptr_array_index (lost->customers, i);
          g_autofree char *contribution = g_strdup_printf ("%" G_GINT64_FORMAT, c->contribution);
          kl_cli_append_padded (out, c->date, 12);
          kl_cli_append_padded (out, c->code, 12);
          kl_cli_append_padded (out, c->class_before ? kl_account_class_to_string (c->class_before) : "—", 4);
          kl_cli_append_padded (out, contribution, 14);
          kl_cli_append_padded (out, c->account_manager, 12);
          g_string_append_printf (out, "%s\n", c->reason);
        }
      g_string_append_printf (out, "\n%s\n", _("By reason:"));
      for (GList *l = reasons; l != NULL; l = l->next)
        {
          const Total *t = g_hash_table_lookup (by_reason, l->data);
          g_string_append_printf (out, "  %s: %u, %" G_GINT64_FORMAT "\n",
                                  *(char *) l->data ? (char *) l->data : _("(no reason)"), t->count, t->contribution);
        }
      g_string_append_printf (out, "%s\n", _("By account manager:"));
      for (GList *l = managers; l != NULL; l = l->next)
        {
          const Total *t = g_hash_table_lookup (by_manager, l->data);
          g_string_append_printf (out, "  %s: %u, %" G_GINT64_FORMAT "\n",
                                  *(char *) l->data ? (char *) l->data : _("(none)"), t->count, t->contribution);
        }
      kl_cli_print (out->str);
    }
  return KL_EXIT_OK;
}
