/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Reminders, at-risk reasons, stage history and lost customers from the
 * workspace (docs/analysis.md). */

#include "config.h"

#include <glib/gi18n-lib.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <libical/ical.h>

#include "kl-claim-store.h"
#include "kl-database-private.h"
#include "kl-health-data.h"
#include "kl-rollup-query.h"
#include "kl-rollup.h"

void
kl_reminder_free (KlReminder *r)
{
  if (r == NULL)
    return;
  g_free (r->date);
  g_free (r->customer_id);
  g_free (r->customer_code);
  g_free (r->customer_name);
  g_free (r->record_kind);
  g_free (r->record_id);
  g_free (r->subject);
  g_free (r);
}

void
kl_stage_change_free (KlStageChange *c)
{
  if (c == NULL)
    return;
  g_free (c->field);
  g_free (c->old_value);
  g_free (c->new_value);
  g_free (c->reason);
  g_free (c);
}

static void
lost_customer_free (gpointer p)
{
  KlLostCustomer *c = p;
  if (c == NULL)
    return;
  g_free (c->code);
  g_free (c->name);
  g_free (c->account_manager);
  g_free (c->date);
  g_free (c->reason);
  g_free (c);
}

void
kl_lost_analysis_free (KlLostAnalysis *a)
{
  if (a == NULL)
    return;
  g_clear_pointer (&a->customers, g_ptr_array_unref);
  g_free (a);
}

static GDate
local_date (KlDatabase *db, gint64 t)
{
  g_autoptr (GDateTime) utc = g_date_time_new_from_unix_utc (t);
  g_autoptr (GDateTime) local = g_date_time_to_timezone (utc, kl_database_get_timezone (db));
  GDate d;

  g_date_clear (&d, 1);
  g_date_set_dmy (&d, g_date_time_get_day_of_month (local), g_date_time_get_month (local),
                  g_date_time_get_year (local));
  return d;
}

static char *
date_text (const GDate *d)
{
  return g_strdup_printf ("%04d-%02d-%02d", g_date_get_year (d), g_date_get_month (d), g_date_get_day (d));
}

/* The last second of the local day of t. */
static gint64
end_of_day (KlDatabase *db, gint64 t)
{
  g_autoptr (GDateTime) utc = g_date_time_new_from_unix_utc (t);
  g_autoptr (GDateTime) local = g_date_time_to_timezone (utc, kl_database_get_timezone (db));
  g_autoptr (GDateTime) midnight = g_date_time_new (kl_database_get_timezone (db),
                                                     g_date_time_get_year (local),
                                                     g_date_time_get_month (local),
                                                     g_date_time_get_day_of_month (local), 0, 0, 0);
  g_autoptr (GDateTime) next = g_date_time_add_days (midnight, 1);
  return g_date_time_to_unix (next) - 1;
}

static KlReminder *
reminder_new (KlReminderKind kind, const GDate *date, const GDate *today,
              sqlite3_stmt *stmt, int customer_col, const char *record_kind,
              const char *record_id, const char *subject)
{
  KlReminder *r = g_new0 (KlReminder, 1);
  r->kind = kind;
  r->date = date_text (date);
  r->days = g_date_days_between (today, date);
  r->customer_id = kl_column_dup_text (stmt, customer_col);
  r->customer_code = kl_column_dup_text (stmt, customer_col + 1);
  r->customer_name = kl_column_dup_text (stmt, customer_col + 2);
  r->record_kind = g_strdup (record_kind);
  r->record_id = g_strdup (record_id);
  r->subject = g_strdup (subject);
  return r;
}

static int
compare_reminders (gconstpointer pa, gconstpointer pb)
{
  const KlReminder *a = *(KlReminder **) pa, *b = *(KlReminder **) pb;
  int c = strcmp (a->date, b->date);
  if (c != 0)
    return c;
  if (a->kind != b->kind)
    return (int) a->kind - (int) b->kind;
  c = g_strcmp0 (a->customer_code, b->customer_code);
  if (c != 0)
    return c;
  return g_strcmp0 (a->record_id, b->record_id);
}

static gboolean
parse_date (const char *text, GDate *out)
{
  int y, m, d;
  char tail;

  if (text == NULL || strlen (text) != 10 || sscanf (text, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3
      || !g_date_valid_dmy (d, m, y))
    return FALSE;
  g_date_clear (out, 1);
  g_date_set_dmy (out, d, m, y);
  return TRUE;
}

GPtrArray *
kl_health_reminders (KlDatabase  *db,
                     gint64       now,
                     int          birthday_days,
                     GError     **error)
{
  g_autoptr (GPtrArray) out = g_ptr_array_new_with_free_func ((GDestroyNotify) kl_reminder_free);
  g_autoptr (GPtrArray) claims = NULL;
  g_autoptr (KlClassAnalysis) classes = NULL;
  GDate today = local_date (db, now), last_month;
  gint64 today_end = end_of_day (db, now);
  KlClaimFilter filter = KL_CLAIM_FILTER_INIT;
  sqlite3_stmt *stmt;
  int rc;

  if (birthday_days < 0)
    birthday_days = KL_REMINDER_BIRTHDAY_DAYS;
  if (!kl_database_begin_read (db, error))
    return NULL;

  /* birthdays */
  stmt = kl_database_prepare (db,
                              "SELECT k.id, k.name, k.birthday, c.id, c.code, c.name FROM contacts k "
                              "JOIN customers c ON c.id = k.customer_id "
                              "WHERE c.deleted = 0 AND k.birthday IS NOT NULL AND c.status <> 'lost'",
                              error);
  if (stmt == NULL)
    goto fail;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      GDate next;
      if (kl_health_birthday_due ((const char *) sqlite3_column_text (stmt, 2), &today, birthday_days, &next))
        g_ptr_array_add (out, reminder_new (KL_REMINDER_BIRTHDAY, &next, &today, stmt, 3, "contact",
                                            (const char *) sqlite3_column_text (stmt, 0),
                                            (const char *) sqlite3_column_text (stmt, 1)));
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    goto sql_fail;

  /* agreements ending within 60 days, unless a later one follows */
  stmt = kl_database_prepare (db,
                              "SELECT a.id, a.effective_to, c.id, c.code, c.name FROM agreements a "
                              "JOIN customers c ON c.id = a.customer_id "
                              "WHERE c.deleted = 0 AND c.status <> 'lost' AND a.effective_to IS NOT NULL "
                              "AND NOT EXISTS (SELECT 1 FROM agreements b WHERE b.customer_id = a.customer_id "
                              "                AND b.effective_from > a.effective_to)",
                              error);
  if (stmt == NULL)
    goto fail;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *to = (const char *) sqlite3_column_text (stmt, 1);
      GDate end;
      if (kl_health_agreement_expiring (to, &today, KL_REMINDER_AGREEMENT_DAYS, NULL) && parse_date (to, &end))
        g_ptr_array_add (out, reminder_new (KL_REMINDER_AGREEMENT_EXPIRING, &end, &today, stmt, 2, "agreement",
                                            (const char *) sqlite3_column_text (stmt, 0), to));
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    goto sql_fail;

  /* follow-ups due or overdue */
  stmt = kl_database_prepare (db,
                              "SELECT a.id, a.subject, a.due_at, c.id, c.code, c.name FROM activities a "
                              "JOIN customers c ON c.id = a.customer_id "
                              "WHERE c.deleted = 0 AND a.done = 0 AND a.due_at IS NOT NULL AND a.due_at <= ?",
                              error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, today_end);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      GDate due = local_date (db, sqlite3_column_int64 (stmt, 2));
      if (kl_health_follow_up_due (sqlite3_column_int64 (stmt, 2), FALSE, today_end))
        g_ptr_array_add (out, reminder_new (KL_REMINDER_FOLLOW_UP, &due, &today, stmt, 3, "activity",
                                            (const char *) sqlite3_column_text (stmt, 0),
                                            (const char *) sqlite3_column_text (stmt, 1)));
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    goto sql_fail;

  /* A accounts without an activity done in 30 days: the classes of the
   * twelve months to last month */
  last_month = today;
  g_date_set_day (&last_month, 1);
  g_date_subtract_months (&last_month, 1);
  classes = kl_analysis_load (db, g_date_get_year (&last_month), g_date_get_month (&last_month), NULL, error);
  if (classes == NULL)
    goto fail;
  stmt = kl_database_prepare (db, "SELECT max(at) FROM activities WHERE customer_id = ? AND done = 1", error);
  if (stmt == NULL)
    goto fail;
  for (guint i = 0; i < classes->n_accounts; i++)
    {
      const KlClassAccount *acc = &classes->accounts[i];
      const KlAnalysisCustomer *c = acc->user_data;
      GDate last, *lastp = NULL;

      if (acc->klass != KL_ACCOUNT_CLASS_A || c->status == KL_CUSTOMER_STATUS_LOST)
        continue;
      kl_bind_text (stmt, 1, c->id);
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW && sqlite3_column_type (stmt, 0) != SQLITE_NULL)
        {
          last = local_date (db, sqlite3_column_int64 (stmt, 0));
          lastp = &last;
        }
      sqlite3_reset (stmt);
      if (rc != SQLITE_ROW)
        goto sql_fail;
      if (kl_health_account_idle (lastp, &today, KL_REMINDER_IDLE_DAYS))
        {
          KlReminder *r = g_new0 (KlReminder, 1);
          r->kind = KL_REMINDER_ACCOUNT_IDLE;
          r->date = date_text (&today);
          r->days = 0;
          r->customer_id = g_strdup (c->id);
          r->customer_code = g_strdup (c->code);
          r->customer_name = g_strdup (c->name);
          r->record_kind = g_strdup ("customer");
          r->record_id = g_strdup (c->id);
          r->subject = lastp ? date_text (lastp) : g_strdup ("");
          g_ptr_array_add (out, r);
        }
    }

  /* claim deadlines within 3 days (or passed) */
  claims = kl_claim_store_list (db, &filter, now, error);
  if (claims == NULL)
    goto fail;
  for (guint i = 0; i < claims->len; i++)
    {
      const KlClaim *claim = g_ptr_array_index (claims, i);
      gint64 deadline = KL_NO_TIME;

      if (claim->deadlines.acknowledge_pending)
        deadline = claim->deadlines.acknowledge_by;
      else if (claim->deadlines.resolve_pending)
        deadline = claim->deadlines.update_due_by != KL_NO_TIME ? claim->deadlines.update_due_by
                                                               : claim->deadlines.resolve_by;
      if (kl_health_claim_deadline_soon (deadline, now, KL_REMINDER_CLAIM_DAYS))
        {
          KlReminder *r = g_new0 (KlReminder, 1);
          GDate d = local_date (db, deadline);
          r->kind = KL_REMINDER_CLAIM_DEADLINE;
          r->date = date_text (&d);
          r->days = g_date_days_between (&today, &d);
          r->customer_id = g_strdup (claim->customer_id);
          r->customer_code = g_strdup (claim->customer_code);
          r->customer_name = g_strdup (claim->customer_name);
          r->record_kind = g_strdup ("claim");
          r->record_id = g_strdup (claim->id);
          r->subject = g_strdup (claim->number);
          g_ptr_array_add (out, r);
        }
    }

  if (!kl_database_commit (db, error))
    return NULL;
  g_ptr_array_sort (out, compare_reminders);
  return g_steal_pointer (&out);

sql_fail:
  kl_database_set_error (db, error, _("Reading the reminders"));
fail:
  kl_database_rollback (db);
  return NULL;
}

char *
kl_health_reminders_to_ical (GPtrArray *reminders,
                             gint64     now)
{
  icalcomponent *cal = icalcomponent_new_vcalendar ();
  struct icaltimetype stamp = icaltime_from_timet_with_zone ((time_t) now, 0, icaltimezone_get_utc_timezone ());
  char *text, *copy;

  icalcomponent_add_property (cal, icalproperty_new_version ("2.0"));
  icalcomponent_add_property (cal, icalproperty_new_prodid ("-//Keyline//Reminders//EN"));
  for (guint i = 0; i < reminders->len; i++)
    {
      const KlReminder *r = g_ptr_array_index (reminders, i);
      icalcomponent *event = icalcomponent_new_vevent ();
      struct icaltimetype day = icaltime_from_string (r->date);
      struct icaltimetype next;
      g_autofree char *uid = g_strdup_printf ("%s-%s-%s@keyline", kl_reminder_kind_to_string (r->kind),
                                              r->record_id ? r->record_id : "", r->date);
      g_autofree char *summary = g_strdup_printf ("%s: %s%s%s", kl_reminder_kind_to_label (r->kind),
                                                  r->customer_name ? r->customer_name : "",
                                                  r->subject && *r->subject ? " — " : "",
                                                  r->subject ? r->subject : "");
      g_autofree char *description = g_strdup_printf ("%s %s", r->record_kind, r->record_id ? r->record_id : "");

      day.is_date = 1;
      next = day;
      icaltime_adjust (&next, 1, 0, 0, 0);
      icalcomponent_add_property (event, icalproperty_new_uid (uid));
      icalcomponent_add_property (event, icalproperty_new_dtstamp (stamp));
      icalcomponent_add_property (event, icalproperty_new_dtstart (day));
      icalcomponent_add_property (event, icalproperty_new_dtend (next));
      icalcomponent_add_property (event, icalproperty_new_summary (summary));
      icalcomponent_add_property (event, icalproperty_new_description (description));
      icalcomponent_add_property (event, icalproperty_new_categories (kl_reminder_kind_to_string (r->kind)));
      icalcomponent_add_component (cal, event);
    }
  text = icalcomponent_as_ical_string_r (cal);
  copy = g_strdup (text);
  free (text);
  icalcomponent_free (cal);
  return copy;
}

typedef struct {
  GHashTable *months;     /* customer id → gint64[4 + 3 * 2]: shipments m−3..m, delivered, on time m−2..m */
  int         first;
} RiskCollect;

static int
month_shift (int yyyymm, int delta)
{
  int index = (yyyymm / 100) * 12 + (yyyymm % 100 - 1) + delta;
  return (index / 12) * 100 + index % 12 + 1;
}

static void
collect_month (const char *customer_id, int month, const KlRollupCounts *counts, gpointer data)
{
  RiskCollect *rc = data;
  gint64 *v = g_hash_table_lookup (rc->months, customer_id);
  int i;

  if (v == NULL)
    {
      v = g_new0 (gint64, 10);
      g_hash_table_insert (rc->months, g_strdup (customer_id), v);
    }
  for (i = 0; i < 4 && month_shift (rc->first, i) != month; i++)
    ;
  if (i == 4)
    return;
  v[i] = counts->v[KL_RC_SHIPMENTS];
  if (i >= 1)
    {
      v[4 + (i - 1) * 2] = counts->v[KL_RC_DELIVERED];
      v[5 + (i - 1) * 2] = counts->v[KL_RC_DELIVERED_ON_TIME];
    }
}

typedef struct {
  GHashTable *targets;   /* customer id → double[3] */
  int         index;
} TargetCollect;

static void
collect_target (const KlAgreement *agreement, gpointer data)
{
  TargetCollect *tc = data;
  double *t = g_hash_table_lookup (tc->targets, agreement->customer_id);

  if (t == NULL)
    {
      t = g_new (double, 3);
      t[0] = t[1] = t[2] = NAN;
      g_hash_table_insert (tc->targets, g_strdup (agreement->customer_id), t);
    }
  t[tc->index] = agreement->targets[KL_RATE_ARRIVAL_ON_TIME];
}

GHashTable *
kl_health_risks (KlDatabase  *db,
                 gint64       now,
                 GError     **error)
{
  g_autoptr (GHashTable) months = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr (GHashTable) targets = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr (GHashTable) out = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr (GPtrArray) overdue = NULL;
  GDate today = local_date (db, now), month_end;
  KlClaimFilter filter = KL_CLAIM_FILTER_INIT;
  RiskCollect rc;
  int last;
  GHashTableIter iter;
  gpointer key, value;

  last = month_shift (g_date_get_year (&today) * 100 + g_date_get_month (&today), -1);
  rc.months = months;
  rc.first = month_shift (last, -3);
  if (!kl_rollup_query_customer_months (db, rc.first, last, collect_month, &rc, error))
    return NULL;
  for (int i = 0; i < 3; i++)
    {
      int m = month_shift (last, i - 2);
      TargetCollect tc = { targets, i };
      g_autofree char *date = NULL;

      g_date_clear (&month_end, 1);
      g_date_set_dmy (&month_end, 1, m % 100, m / 100);
      g_date_add_months (&month_end, 1);
      g_date_subtract_days (&month_end, 1);
      date = date_text (&month_end);
      if (!kl_rollup_query_agreements_in_force (db, date, collect_target, &tc, error))
        return NULL;
    }
  filter.overdue_only = TRUE;
  overdue = kl_claim_store_list (db, &filter, now, error);
  if (overdue == NULL)
    return NULL;

  g_hash_table_iter_init (&iter, months);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      gint64 *v = value;
      double *t = g_hash_table_lookup (targets, key);
      KlRiskInput in = { { v[0], v[1], v[2], v[3] }, { NAN, NAN, NAN }, { NAN, NAN, NAN }, FALSE };
      KlRiskReasons reasons;

      for (int i = 0; i < 3; i++)
        {
          if (v[4 + i * 2] > 0)
            in.on_time[i] = (double) v[5 + i * 2] / (double) v[4 + i * 2];
          if (t != NULL)
            in.target[i] = t[i];
        }
      reasons = kl_health_risk_reasons (&in);
      if (reasons != KL_RISK_NONE)
        g_hash_table_insert (out, g_strdup (key), GUINT_TO_POINTER (reasons));
    }
  for (guint i = 0; i < overdue->len; i++)
    {
      const KlClaim *claim = g_ptr_array_index (overdue, i);
      guint reasons = GPOINTER_TO_UINT (g_hash_table_lookup (out, claim->customer_id));
      g_hash_table_insert (out, g_strdup (claim->customer_id), GUINT_TO_POINTER (reasons | KL_RISK_CLAIM_OVERDUE));
    }
  return g_steal_pointer (&out);
}

GPtrArray *
kl_health_stage_history (KlDatabase  *db,
                         const char  *customer_id,
                         GError     **error)
{
  g_autoptr (GPtrArray) out = g_ptr_array_new_with_free_func ((GDestroyNotify) kl_stage_change_free);
  sqlite3_stmt *stmt;
  int rc;

  stmt = kl_database_prepare (db,
                              "SELECT at, field, old_value, new_value, reason FROM customer_stage_history "
                              "WHERE customer_id = ? ORDER BY at, seq",
                              error);
  if (stmt == NULL)
    return NULL;
  kl_bind_text (stmt, 1, customer_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      KlStageChange *c = g_new0 (KlStageChange, 1);
      c->at = sqlite3_column_int64 (stmt, 0);
      c->field = kl_column_dup_text (stmt, 1);
      c->old_value = kl_column_dup_text (stmt, 2);
      c->new_value = kl_column_dup_text (stmt, 3);
      c->reason = kl_column_dup_text (stmt, 4);
      g_ptr_array_add (out, c);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      kl_database_set_error (db, error, _("Reading the stage history"));
      return NULL;
    }
  return g_steal_pointer (&out);
}

static int
compare_lost (gconstpointer pa, gconstpointer pb)
{
  const KlLostCustomer *a = *(KlLostCustomer **) pa, *b = *(KlLostCustomer **) pb;
  int c = strcmp (a->date, b->date);
  return c != 0 ? c : strcmp (a->code, b->code);
}

KlLostAnalysis *
kl_health_lost (KlDatabase            *db,
                const char            *first_date,
                const char            *last_date,
                const KlAnalysisBasis *basis,
                GError               **error)
{
  g_autoptr (KlLostAnalysis) a = g_new0 (KlLostAnalysis, 1);
  g_autoptr (GHashTable) analyses = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL,
                                                           (GDestroyNotify) kl_class_analysis_free);
  g_autoptr (GPtrArray) candidates = g_ptr_array_new_with_free_func (lost_customer_free);
  g_autoptr (GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt;
  GDate last;
  int rc;

  if (!parse_date (last_date, &last))
    {
      g_set_error (error, KL_DATABASE_ERROR, KL_DATABASE_ERROR_INVALID,
                   _("“%s” is not a date (YYYY-MM-DD)"), last_date);
      return NULL;
    }
  if (basis != NULL)
    a->basis = *basis;
  else
    {
      g_autoptr (KlClassAnalysis) end = kl_analysis_load (db, g_date_get_year (&last), g_date_get_month (&last),
                                                          NULL, error);
      if (end == NULL)
        return NULL;
      a->basis = end->basis;
    }
  a->customers = g_ptr_array_new_with_free_func (lost_customer_free);

  stmt = kl_database_prepare (db,
                              "SELECT c.id, c.code, c.name, coalesce(c.account_manager, ''), coalesce(c.lost_reason, ''),"
                              " coalesce(c.lost_date, (SELECT max(h.at) FROM customer_stage_history h"
                              "   WHERE h.customer_id = c.id AND h.field = 'status' AND h.new_value = 'lost')) "
                              "FROM customers c WHERE c.deleted = 0 AND c.status = 'lost'",
                              error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      KlLostCustomer *c;
      GDate d;

      if (sqlite3_column_type (stmt, 5) == SQLITE_TEXT)
        {
          if (!parse_date ((const char *) sqlite3_column_text (stmt, 5), &d))
            continue;
        }
      else if (sqlite3_column_type (stmt, 5) == SQLITE_INTEGER)
        d = local_date (db, sqlite3_column_int64 (stmt, 5));
      else
        continue;
      c = g_new0 (KlLostCustomer, 1);
      c->code = kl_column_dup_text (stmt, 1);
      c->name = kl_column_dup_text (stmt, 2);
      c->account_manager = kl_column_dup_text (stmt, 3);
      c->reason = kl_column_dup_text (stmt, 4);
      c->date = date_text (&d);
      if (strcmp (c->date, first_date) < 0 || strcmp (c->date, last_date) > 0)
        {
          lost_customer_free (c);
          continue;
        }
      g_ptr_array_add (candidates, c);
      g_ptr_array_add (ids, kl_column_dup_text (stmt, 0));
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      kl_database_set_error (db, error, _("Reading the lost customers"));
      return NULL;
    }

  for (guint i = 0; i < candidates->len; i++)
    {
      KlLostCustomer *c = g_ptr_array_index (candidates, i);
      GDate d;
      int key;
      KlClassAnalysis *before;
      const KlClassAccount *acc;

      parse_date (c->date, &d);
      g_date_set_day (&d, 1);
      g_date_subtract_months (&d, 1);
      key = g_date_get_year (&d) * 100 + g_date_get_month (&d);
      before = g_hash_table_lookup (analyses, GINT_TO_POINTER (key));
      if (before == NULL)
        {
          before = kl_analysis_load (db, g_date_get_year (&d), g_date_get_month (&d), &a->basis, error);
          if (before == NULL)
            return NULL;
          g_hash_table_insert (analyses, GINT_TO_POINTER (key), before);
        }
      acc = kl_class_analysis_account (before, g_ptr_array_index (ids, i));
      if (acc != NULL)
        {
          /* the class it had then, a class set by hand winning */
          c->class_before = acc->klass;
          c->contribution = acc->contribution > 0 ? acc->contribution : 0;
        }
      candidates->pdata[i] = NULL;
      g_ptr_array_add (a->customers, c);
    }
  g_ptr_array_sort (a->customers, compare_lost);
  return g_steal_pointer (&a);
}
