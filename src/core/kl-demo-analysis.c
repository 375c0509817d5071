/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the demo adds for docs/analysis.md, after its customers, shipments
 * (with their freight revenue), activities and cases: a history of
 * relationship stages, a class set by hand, birthdays and agreements coming
 * up, and two survey rounds for three customers, so that every analysis
 * view shows something real on first run. Deterministic for a seed. */

#include "config.h"

#include <glib/gi18n-lib.h>

#include <string.h>

#include "kl-analysis-data.h"
#include "kl-database-private.h"
#include "kl-demo-analysis.h"
#include "kl-rollup.h"
#include "kl-survey-store.h"

static int
rand_int (GRand *r, int lo, int hi)
{
  return g_rand_int_range (r, lo, hi + 1);
}

static int
clamp_scale (int v)
{
  return CLAMP (v, 1, 7);
}

static char *
date_from_unix (GTimeZone *tz, gint64 t, int add_days)
{
  g_autoptr (GDateTime) utc = g_date_time_new_from_unix_utc (t);
  g_autoptr (GDateTime) local = g_date_time_to_timezone (utc, tz);
  g_autoptr (GDateTime) moved = g_date_time_add_days (local, add_days);
  return g_date_time_format (moved, "%Y-%m-%d");
}

static gboolean
add_stage_history (KlDatabase *db, GRand *r, GTimeZone *tz, gint64 first, gint64 cutoff, GError **error)
{
  static const char *const stages[] = { "basic", "passive", "responsible", "proactive", "partner" };
  g_autoptr (GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) rels = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) statuses = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) lost = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) reasons = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt;
  int rc;

  stmt = kl_database_prepare (db, "SELECT id, relationship, status, lost_date, lost_reason FROM customers ORDER BY code", error);
  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_ptr_array_add (ids, kl_column_dup_text (stmt, 0));
      g_ptr_array_add (rels, kl_column_dup_text (stmt, 1));
      g_ptr_array_add (statuses, kl_column_dup_text (stmt, 2));
      g_ptr_array_add (lost, kl_column_dup_text (stmt, 3));
      g_ptr_array_add (reasons, kl_column_dup_text (stmt, 4));
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return kl_database_set_error (db, error, _("Reading the customers"));
  if (!kl_database_exec (db, "DELETE FROM customer_stage_history", error))
    return FALSE;

  stmt = kl_database_prepare (db,
                              "INSERT INTO customer_stage_history (customer_id, at, field, old_value, new_value, reason) "
                              "VALUES (?, ?, ?, ?, ?, ?)",
                              error);
  if (stmt == NULL)
    return FALSE;
  for (guint i = 0; i < ids->len; i++)
    {
      const char *rel = g_ptr_array_index (rels, i);
      int target = 0, steps;
      gint64 at = first + (gint64) rand_int (r, 0, 60) * 86400;
      const char *prev = NULL;

      for (int s = 0; s < (int) G_N_ELEMENTS (stages); s++)
        if (g_strcmp0 (rel, stages[s]) == 0)
          target = s;
      steps = target + 1;
      for (int s = 0; s < steps; s++)
        {
          sqlite3_reset (stmt);
          kl_bind_text (stmt, 1, g_ptr_array_index (ids, i));
          sqlite3_bind_int64 (stmt, 2, at);
          kl_bind_text (stmt, 3, "relationship");
          kl_bind_text (stmt, 4, prev);
          kl_bind_text (stmt, 5, stages[s]);
          sqlite3_bind_null (stmt, 6);
          if (!kl_database_step_done (db, stmt, error))
            return FALSE;
          prev = stages[s];
          at += (gint64) (cutoff - at) / (steps - s + 1) * rand_int (r, 60, 100) / 100;
        }
      /* the status: active from the start, then lost when it was */
      sqlite3_reset (stmt);
      kl_bind_text (stmt, 1, g_ptr_array_index (ids, i));
      sqlite3_bind_int64 (stmt, 2, first);
      kl_bind_text (stmt, 3, "status");
      sqlite3_bind_null (stmt, 4);
      kl_bind_text (stmt, 5, g_strcmp0 (g_ptr_array_index (statuses, i), "prospect") == 0 ? "prospect" : "active");
      sqlite3_bind_null (stmt, 6);
      if (!kl_database_step_done (db, stmt, error))
        return FALSE;
      if (g_strcmp0 (g_ptr_array_index (statuses, i), "active") != 0
          && g_strcmp0 (g_ptr_array_index (statuses, i), "prospect") != 0)
        {
          g_autoptr (GDateTime) when = NULL;
          const char *date = g_ptr_array_index (lost, i);
          gint64 t = cutoff - 86400 * 20;

          if (date != NULL)
            {
              g_autofree char *iso = g_strdup_printf ("%sT12:00:00", date);
              when = g_date_time_new_from_iso8601 (iso, tz);
              if (when != NULL)
                t = g_date_time_to_unix (when);
            }
          sqlite3_reset (stmt);
          kl_bind_text (stmt, 1, g_ptr_array_index (ids, i));
          sqlite3_bind_int64 (stmt, 2, t);
          kl_bind_text (stmt, 3, "status");
          kl_bind_text (stmt, 4, "active");
          kl_bind_text (stmt, 5, g_ptr_array_index (statuses, i));
          kl_bind_text (stmt, 6, g_strcmp0 (g_ptr_array_index (statuses, i), "lost") == 0
                                   ? g_ptr_array_index (reasons, i) : NULL);
          if (!kl_database_step_done (db, stmt, error))
            return FALSE;
        }
    }
  return TRUE;
}

/* A few birthdays and agreement ends in the coming weeks. */
static gboolean
add_coming_dates (KlDatabase *db, GTimeZone *tz, gint64 now, GError **error)
{
  static const int birthday_in[] = { 2, 6, 11 };
  static const int agreement_in[] = { 25, 48 };
  sqlite3_stmt *stmt;

  for (guint i = 0; i < G_N_ELEMENTS (birthday_in); i++)
    {
      g_autofree char *date = date_from_unix (tz, now, birthday_in[i]);
      g_autofree char *birthday = g_strdup_printf ("%d%s", 1972 + (int) i * 7, date + 4);

      stmt = kl_database_prepare (db,
                                  "UPDATE contacts SET birthday = ? WHERE id = (SELECT k.id FROM contacts k "
                                  "JOIN customers c ON c.id = k.customer_id WHERE c.status = 'active' "
                                  "ORDER BY c.code, k.name LIMIT 1 OFFSET ?)",
                                  error);
      if (stmt == NULL)
        return FALSE;
      kl_bind_text (stmt, 1, birthday);
      sqlite3_bind_int (stmt, 2, (int) i * 5 + 1);
      if (!kl_database_step_done (db, stmt, error))
        return FALSE;
    }
  for (guint i = 0; i < G_N_ELEMENTS (agreement_in); i++)
    {
      g_autofree char *date = date_from_unix (tz, now, agreement_in[i]);

      /* the latest agreement of an active customer ends then */
      stmt = kl_database_prepare (db,
                                  "UPDATE agreements SET effective_to = ?1 WHERE id = (SELECT a.id FROM agreements a "
                                  "JOIN customers c ON c.id = a.customer_id WHERE c.status = 'active' "
                                  "AND a.effective_from < ?1 AND NOT EXISTS (SELECT 1 FROM agreements b "
                                  "  WHERE b.customer_id = a.customer_id AND b.effective_from > a.effective_from) "
                                  "ORDER BY c.code LIMIT 1 OFFSET ?2)",
                                  error);
      if (stmt == NULL)
        return FALSE;
      kl_bind_text (stmt, 1, date);
      sqlite3_bind_int (stmt, 2, (int) i * 7 + 2);
      if (!kl_database_step_done (db, stmt, error))
        return FALSE;
    }
  return TRUE;
}

/* How our and the main competitor's service compare per attribute, the
 * default set's order: importance, ours, theirs (tenths). Price and claims
 * handling lose, billing and tracking win. */
static const int profile[10][3] = {
  { 62, 56, 54 },   /* on-time pickup */
  { 66, 55, 57 },   /* on-time delivery */
  { 58, 52, 50 },   /* damage-free handling */
  { 47, 40, 51 },   /* early notice of delays */
  { 43, 55, 48 },   /* document accuracy */
  { 52, 38, 49 },   /* claims handling speed */
  { 45, 60, 47 },   /* billing accuracy */
  { 39, 58, 52 },   /* account team responsiveness */
  { 35, 57, 45 },   /* tracking visibility */
  { 64, 41, 53 },   /* price */
};

static int
rating (GRand *r, int tenths, int shift)
{
  int v = (tenths + shift + rand_int (r, -15, 15)) / 10;
  return clamp_scale (v + (rand_int (r, 0, 9) < (tenths % 10) ? 1 : 0));
}

static gboolean
add_survey_round (KlDatabase *db, GRand *r, const char *name, const char *held_on,
                  const char *const *codes, const guint *respondents, int improvement, GError **error)
{
  static const char *const competitors[] = { "顺达物流", "恒通供应链", NULL };
  static const char *const given[] = { "王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴" };
  g_autofree char *id = kl_survey_store_create (db, name, held_on, competitors, NULL, TRUE, error);
  g_autoptr (KlSurvey) s = NULL;

  if (id == NULL)
    return FALSE;
  s = kl_survey_store_load (db, id, error);
  if (s == NULL)
    return FALSE;
  for (guint c = 0; codes[c] != NULL; c++)
    {
      g_autofree char *customer_id = NULL;
      sqlite3_stmt *stmt = kl_database_prepare (db, "SELECT id FROM customers WHERE code = ?", error);

      if (stmt == NULL)
        return FALSE;
      kl_bind_text (stmt, 1, codes[c]);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        customer_id = kl_column_dup_text (stmt, 0);
      sqlite3_reset (stmt);
      if (customer_id == NULL)
        continue;
      for (guint k = 0; k < respondents[c]; k++)
        {
          g_autofree char *who = g_strdup_printf ("%s %s%u", codes[c], given[(k + c) % G_N_ELEMENTS (given)], k + 1);
          gint64 rid = kl_survey_store_ensure_respondent (db, id, who, customer_id, error);

          if (rid < 0)
            return FALSE;
          for (guint a = 0; a < s->attributes->len && a < G_N_ELEMENTS (profile); a++)
            {
              const KlSurveyAttribute *attr = g_ptr_array_index (s->attributes, a);
              /* the second round shows the claims and delay-notice work paying off */
              int lift = (a == 3 || a == 5) ? improvement : 0;

              if (!kl_survey_store_set_importance (db, rid, attr->id, rating (r, profile[a][0], 0), error))
                return FALSE;
              for (guint co = 0; co < s->companies->len; co++)
                {
                  const KlSurveyCompany *company = g_ptr_array_index (s->companies, co);
                  int perf;

                  if (!company->ours && rand_int (r, 0, 9) == 0)
                    continue;   /* not rated */
                  perf = company->ours ? rating (r, profile[a][1], lift)
                       : company->main ? rating (r, profile[a][2], 0)
                       : rating (r, 48, 0);
                  if (!kl_survey_store_set_performance (db, rid, attr->id, company->id, perf, error))
                    return FALSE;
                }
            }
        }
    }
  return TRUE;
}

gboolean
kl_demo_add_analysis (KlDatabase  *db,
                      GRand       *rand,
                      gint64       first,
                      gint64       cutoff,
                      int          last_month,
                      GError     **error)
{
  GTimeZone *tz = kl_database_get_timezone (db);
  static const char *const codes[] = { "C0001", "C0002", "C0003", NULL };
  static const guint first_round[] = { 12, 8, 6 };
  static const guint second_round[] = { 40, 10, 8 };
  g_autofree char *round1 = NULL;
  g_autofree char *round2 = NULL;
  g_autofree char *held1 = NULL;
  g_autofree char *held2 = NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  int year = last_month / 100, month = last_month % 100;

  /* the demo's shipments carry their freight revenue already (kl-demo.c) */
  if (!add_stage_history (db, rand, tz, first, cutoff, error))
    return FALSE;
  if (!add_coming_dates (db, tz, MAX (now, cutoff), error))
    return FALSE;
  /* a strategic account the KAM keeps in A by hand */
  if (!kl_database_exec (db, "UPDATE customers SET class_override = 'A' WHERE code = 'C0012' AND status = 'active'", error))
    return FALSE;

  held1 = g_strdup_printf ("%04d-%02d-15", month > 6 ? year : year - 1, month > 6 ? month - 6 : month + 6);
  held2 = g_strdup_printf ("%04d-%02d-15", year, month);
  /* demo data is Chinese whatever the locale, like the rest of it */
  round1 = g_strdup_printf ("客户调查 %.7s", held1);
  round2 = g_strdup_printf ("客户调查 %.7s", held2);
  if (!add_survey_round (db, rand, round1, held1, codes, first_round, 0, error)
      || !add_survey_round (db, rand, round2, held2, codes, second_round, 12, error))
    return FALSE;
  return TRUE;
}
