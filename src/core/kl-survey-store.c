/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Surveys in the workspace (docs/analysis.md, docs/storage.md). */

#include "config.h"

#include <glib/gi18n-lib.h>

#include <string.h>

#include "kl-customer-store.h"
#include "kl-database-private.h"
#include "kl-record-store-private.h"
#include "kl-records.h"
#include "kl-survey-store.h"

static const KlSurveyDefaultAttribute default_attributes[] = {
  { "on_time_pickup", "On-time pickup", "准时提货" },
  { "on_time_delivery", "On-time delivery", "准时送达" },
  { "damage_free", "Damage-free handling", "无货损操作" },
  { "delay_notice", "Early notice of delays", "延误提前通知" },
  { "document_accuracy", "Document accuracy", "单证准确" },
  { "claims_speed", "Claims handling speed", "理赔处理速度" },
  { "billing_accuracy", "Billing accuracy", "账单准确" },
  { "team_responsiveness", "Account team responsiveness", "客户团队响应速度" },
  { "tracking_visibility", "Shipment tracking visibility", "货物跟踪可视性" },
  { "price", "Price", "价格" },
};

const KlSurveyDefaultAttribute *
kl_survey_default_attributes (guint *n)
{
  *n = G_N_ELEMENTS (default_attributes);
  return default_attributes;
}

gboolean
kl_survey_company_is_ours (const char *name)
{
  g_autofree char *t = NULL;

  if (name == NULL)
    return FALSE;
  t = g_strstrip (g_strdup (name));
  return g_ascii_strcasecmp (t, "ours") == 0 || strcmp (t, "我方") == 0;
}

static void
attribute_free (gpointer p)
{
  KlSurveyAttribute *a = p;
  g_free (a->code);
  g_free (a->name_en);
  g_free (a->name_zh);
  g_free (a);
}

static void
company_free (gpointer p)
{
  KlSurveyCompany *c = p;
  g_free (c->name);
  g_free (c);
}

static void
respondent_free (gpointer p)
{
  KlSurveyRespondent *r = p;
  g_free (r->name);
  g_free (r->customer_code);
  g_free (r);
}

void
kl_survey_free (KlSurvey *s)
{
  if (s == NULL)
    return;
  g_free (s->id);
  g_free (s->name);
  g_free (s->held_on);
  g_clear_pointer (&s->customer_codes, g_ptr_array_unref);
  g_clear_pointer (&s->attributes, g_ptr_array_unref);
  g_clear_pointer (&s->companies, g_ptr_array_unref);
  g_clear_pointer (&s->respondents, g_ptr_array_unref);
  g_free (s->importance);
  g_free (s->performance);
  g_free (s);
}

guint
kl_survey_n_attributes (const KlSurvey *s)
{
  return s->attributes->len;
}

guint
kl_survey_n_companies (const KlSurvey *s)
{
  return s->companies->len;
}

guint
kl_survey_n_respondents (const KlSurvey *s)
{
  return s->respondents->len;
}

int
kl_survey_main_index (const KlSurvey *s)
{
  for (guint i = 0; i < s->companies->len; i++)
    if (((KlSurveyCompany *) g_ptr_array_index (s->companies, i))->main)
      return (int) i;
  return -1;
}

const char *
kl_survey_attribute_name (const KlSurveyAttribute *a, const char *language)
{
  const char *name = g_str_has_prefix (language ? language : "", "zh") ? a->name_zh : a->name_en;
  return name != NULL && *name != '\0' ? name : a->code;
}

void
kl_survey_info_free (KlSurveyInfo *info)
{
  if (info == NULL)
    return;
  g_free (info->id);
  g_free (info->name);
  g_free (info->held_on);
  g_free (info->customers);
  g_free (info->main_competitor);
  g_free (info);
}

static gint64
now_seconds (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

static gboolean
fail_with (KlDatabase *db, GError **error, const char *what)
{
  return kl_database_set_error (db, error, what);
}

/* One row's integer, or -1 when none; an SQL failure sets error. */
static gint64
select_id (KlDatabase   *db,
           sqlite3_stmt *stmt,
           GError      **error)
{
  int rc = sqlite3_step (stmt);
  gint64 id = -1;

  if (rc == SQLITE_ROW)
    id = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      fail_with (db, error, _("Reading a survey"));
      return -2;
    }
  return id;
}

gint64
kl_survey_store_ensure_attribute (KlDatabase  *db,
                                  const char  *survey_id,
                                  const char  *code,
                                  const char  *name_en,
                                  const char  *name_zh,
                                  GError     **error)
{
  sqlite3_stmt *stmt;
  gint64 id;

  stmt = kl_database_prepare (db, "SELECT id FROM survey_attributes WHERE survey_id = ? AND code = ?", error);
  if (stmt == NULL)
    return -1;
  kl_bind_text (stmt, 1, survey_id);
  kl_bind_text (stmt, 2, code);
  id = select_id (db, stmt, error);
  if (id >= 0 || id == -2)
    return id == -2 ? -1 : id;

  stmt = kl_database_prepare (db,
                              "INSERT INTO survey_attributes (survey_id, position, code, name_en, name_zh) "
                              "VALUES (?1, (SELECT coalesce(max(position) + 1, 0) FROM survey_attributes WHERE survey_id = ?1), ?2, ?3, ?4)",
                              error);
  if (stmt == NULL)
    return -1;
  kl_bind_text (stmt, 1, survey_id);
  kl_bind_text (stmt, 2, code);
  kl_bind_text (stmt, 3, name_en ? name_en : code);
  kl_bind_text (stmt, 4, name_zh ? name_zh : code);
  if (!kl_database_step_done (db, stmt, error))
    return -1;
  return sqlite3_last_insert_rowid (kl_database_get_handle (db));
}

gboolean
kl_survey_store_set_main_competitor (KlDatabase  *db,
                                     const char  *survey_id,
                                     gint64       company_id,
                                     GError     **error)
{
  sqlite3_stmt *stmt = kl_database_prepare (db,
                                            "UPDATE survey_companies SET is_main = (id = ?2 AND NOT is_ours) WHERE survey_id = ?1",
                                            error);
  if (stmt == NULL)
    return FALSE;
  kl_bind_text (stmt, 1, survey_id);
  sqlite3_bind_int64 (stmt, 2, company_id);
  return kl_database_step_done (db, stmt, error);
}

gint64
kl_survey_store_ensure_company (KlDatabase  *db,
                                const char  *survey_id,
                                const char  *name,
                                gboolean     main,
                                GError     **error)
{
  g_autofree char *trimmed = g_strstrip (g_strdup (name));
  gboolean ours = kl_survey_company_is_ours (trimmed);
  const char *stored = ours ? "ours" : trimmed;
  sqlite3_stmt *stmt;
  gint64 id;

  if (ours)
    stmt = kl_database_prepare (db, "SELECT id FROM survey_companies WHERE survey_id = ? AND is_ours", error);
  else
    stmt = kl_database_prepare (db, "SELECT id FROM survey_companies WHERE survey_id = ? AND name = ? AND NOT is_ours", error);
  if (stmt == NULL)
    return -1;
  kl_bind_text (stmt, 1, survey_id);
  if (!ours)
    kl_bind_text (stmt, 2, stored);
  id = select_id (db, stmt, error);
  if (id == -2)
    return -1;
  if (id < 0)
    {
      stmt = kl_database_prepare (db,
                                  "INSERT INTO survey_companies (survey_id, position, name, is_ours, is_main) "
                                  "VALUES (?1, CASE WHEN ?3 THEN 0 ELSE (SELECT coalesce(max(position) + 1, 1) FROM survey_companies WHERE survey_id = ?1) END, ?2, ?3, 0)",
                                  error);
      if (stmt == NULL)
        return -1;
      kl_bind_text (stmt, 1, survey_id);
      kl_bind_text (stmt, 2, stored);
      sqlite3_bind_int (stmt, 3, ours);
      if (!kl_database_step_done (db, stmt, error))
        return -1;
      id = sqlite3_last_insert_rowid (kl_database_get_handle (db));
    }
  if (main && !ours && !kl_survey_store_set_main_competitor (db, survey_id, id, error))
    return -1;
  return id;
}

gint64
kl_survey_store_ensure_respondent (KlDatabase  *db,
                                   const char  *survey_id,
                                   const char  *name,
                                   const char  *customer_id,
                                   GError     **error)
{
  sqlite3_stmt *stmt;
  gint64 id;

  stmt = kl_database_prepare (db, "SELECT id FROM survey_respondents WHERE survey_id = ? AND name = ?", error);
  if (stmt == NULL)
    return -1;
  kl_bind_text (stmt, 1, survey_id);
  kl_bind_text (stmt, 2, name);
  id = select_id (db, stmt, error);
  if (id == -2)
    return -1;
  if (id >= 0)
    {
      stmt = kl_database_prepare (db, "UPDATE survey_respondents SET customer_id = ? WHERE id = ?", error);
      if (stmt == NULL)
        return -1;
      kl_bind_text (stmt, 1, customer_id);
      sqlite3_bind_int64 (stmt, 2, id);
      if (!kl_database_step_done (db, stmt, error))
        return -1;
    }
  else
    {
      stmt = kl_database_prepare (db, "INSERT INTO survey_respondents (survey_id, name, customer_id) VALUES (?, ?, ?)", error);
      if (stmt == NULL)
        return -1;
      kl_bind_text (stmt, 1, survey_id);
      kl_bind_text (stmt, 2, name);
      kl_bind_text (stmt, 3, customer_id);
      if (!kl_database_step_done (db, stmt, error))
        return -1;
      id = sqlite3_last_insert_rowid (kl_database_get_handle (db));
    }
  stmt = kl_database_prepare (db, "INSERT OR IGNORE INTO survey_customers (survey_id, customer_id) VALUES (?, ?)", error);
  if (stmt == NULL)
    return -1;
  kl_bind_text (stmt, 1, survey_id);
  kl_bind_text (stmt, 2, customer_id);
  if (!kl_database_step_done (db, stmt, error))
    return -1;
  return id;
}

gboolean
kl_survey_store_set_importance (KlDatabase  *db,
                                gint64       respondent_id,
                                gint64       attribute_id,
                                int          importance,
                                GError     **error)
{
  sqlite3_stmt *stmt;

  if (importance < 0 || importance > 7)
    {
      g_set_error (error, KL_DATABASE_ERROR, KL_DATABASE_ERROR_INVALID,
                   _("Importance must be a whole number from 1 to 7 (got %d)"), importance);
      return FALSE;
    }
  stmt = kl_database_prepare (db,
                              "INSERT INTO survey_responses (respondent_id, attribute_id, importance) VALUES (?1, ?2, ?3) "
                              "ON CONFLICT (respondent_id, attribute_id) DO UPDATE SET importance = excluded.importance",
                              error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, respondent_id);
  sqlite3_bind_int64 (stmt, 2, attribute_id);
  if (importance > 0)
    sqlite3_bind_int (stmt, 3, importance);
  else
    sqlite3_bind_null (stmt, 3);
  return kl_database_step_done (db, stmt, error);
}

gboolean
kl_survey_store_set_performance (KlDatabase  *db,
                                 gint64       respondent_id,
                                 gint64       attribute_id,
                                 gint64       company_id,
                                 int          performance,
                                 GError     **error)
{
  sqlite3_stmt *stmt;

  if (performance < 0 || performance > 7)
    {
      g_set_error (error, KL_DATABASE_ERROR, KL_DATABASE_ERROR_INVALID,
                   _("Performance must be a whole number from 1 to 7, or empty for not rated (got %d)"),
                   performance);
      return FALSE;
    }
  if (performance == 0)
    stmt = kl_database_prepare (db,
                                "DELETE FROM survey_ratings WHERE respondent_id = ?1 AND attribute_id = ?2 AND company_id = ?3",
                                error);
  else
    stmt = kl_database_prepare (db,
                                "INSERT INTO survey_ratings (respondent_id, attribute_id, company_id, performance) "
                                "VALUES (?1, ?2, ?3, ?4) ON CONFLICT (respondent_id, attribute_id, company_id) "
                                "DO UPDATE SET performance = excluded.performance",
                                error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, respondent_id);
  sqlite3_bind_int64 (stmt, 2, attribute_id);
  sqlite3_bind_int64 (stmt, 3, company_id);
  if (performance > 0)
    sqlite3_bind_int (stmt, 4, performance);
  return kl_database_step_done (db, stmt, error);
}

char *
kl_survey_store_create (KlDatabase         *db,
                        const char         *name,
                        const char         *held_on,
                        const char * const *competitors,
                        const char         *main_competitor,
                        gboolean            with_defaults,
                        GError            **error)
{
  g_autofree char *id = kl_uuid_new ();
  sqlite3_stmt *stmt;

  g_return_val_if_fail (KL_IS_DATABASE (db), NULL);

  if (kl_text_is_blank (name))
    {
      g_set_error (error, KL_DATABASE_ERROR, KL_DATABASE_ERROR_INVALID,
                   _("A survey needs a name"));
      return NULL;
    }
  if (!kl_database_begin (db, error))
    return NULL;
  stmt = kl_database_prepare (db, "SELECT 1 FROM surveys WHERE name = ?", error);
  if (stmt == NULL)
    goto fail;
  kl_bind_text (stmt, 1, name);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      sqlite3_reset (stmt);
      g_set_error (error, KL_DATABASE_ERROR, KL_DATABASE_ERROR_CONSTRAINT,
                   _("A survey named “%s” exists already; choose another name"), name);
      goto fail;
    }
  sqlite3_reset (stmt);
  stmt = kl_database_prepare (db, "INSERT INTO surveys (id, name, held_on, created_at) VALUES (?, ?, ?, ?)", error);
  if (stmt == NULL)
    goto fail;
  kl_bind_text (stmt, 1, id);
  kl_bind_text (stmt, 2, name);
  kl_bind_text (stmt, 3, held_on);
  sqlite3_bind_int64 (stmt, 4, now_seconds ());
  if (!kl_database_step_done (db, stmt, error))
    goto fail;
  if (kl_survey_store_ensure_company (db, id, "ours", FALSE, error) < 0)
    goto fail;
  for (guint i = 0; competitors != NULL && competitors[i] != NULL; i++)
    {
      gboolean main = main_competitor != NULL ? g_strcmp0 (main_competitor, competitors[i]) == 0 : i == 0;
      if (kl_survey_store_ensure_company (db, id, competitors[i], main, error) < 0)
        goto fail;
    }
  if (with_defaults)
    for (guint i = 0; i < G_N_ELEMENTS (default_attributes); i++)
      if (kl_survey_store_ensure_attribute (db, id, default_attributes[i].code,
                                            default_attributes[i].name_en,
                                            default_attributes[i].name_zh, error) < 0)
        goto fail;
  if (!kl_database_commit (db, error))
    return NULL;
  return g_steal_pointer (&id);

fail:
  kl_database_rollback (db);
  return NULL;
}

gboolean
kl_survey_store_delete (KlDatabase  *db,
                        const char  *survey_id,
                        GError     **error)
{
  sqlite3_stmt *stmt = kl_database_prepare (db, "DELETE FROM surveys WHERE id = ?", error);
  if (stmt == NULL)
    return FALSE;
  kl_bind_text (stmt, 1, survey_id);
  return kl_database_step_done (db, stmt, error);
}

static int
index_of_id (GPtrArray *array, gsize id_offset, gint64 id)
{
  for (guint i = 0; i < array->len; i++)
    if (G_STRUCT_MEMBER (gint64, g_ptr_array_index (array, i), id_offset) == id)
      return (int) i;
  return -1;
}

KlSurvey *
kl_survey_store_load (KlDatabase  *db,
                      const char  *name_or_id,
                      GError     **error)
{
  g_autoptr (KlSurvey) s = g_new0 (KlSurvey, 1);
  sqlite3_stmt *stmt;
  guint na, nc;
  int rc;

  g_return_val_if_fail (KL_IS_DATABASE (db), NULL);

  if (!kl_database_begin_read (db, error))
    return NULL;
  stmt = kl_database_prepare (db, "SELECT id, name, held_on FROM surveys WHERE name = ?1 OR id = ?1", error);
  if (stmt == NULL)
    goto fail;
  kl_bind_text (stmt, 1, name_or_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      s->id = kl_column_dup_text (stmt, 0);
      s->name = kl_column_dup_text (stmt, 1);
      s->held_on = kl_column_dup_text (stmt, 2);
    }
  sqlite3_reset (stmt);
  if (rc == SQLITE_DONE)
    {
      /* not a failure of the caller's transaction */
      if (!kl_database_commit (db, error))
        return NULL;
      g_set_error (error, KL_DATABASE_ERROR, KL_DATABASE_ERROR_NOT_FOUND,
                   _("No survey is named “%s”; `keyline-cli survey list` shows the surveys"), name_or_id);
      return NULL;
    }
  if (rc != SQLITE_ROW)
    goto sql_fail;

  s->customer_codes = g_ptr_array_new_with_free_func (g_free);
  s->attributes = g_ptr_array_new_with_free_func (attribute_free);
  s->companies = g_ptr_array_new_with_free_func (company_free);
  s->respondents = g_ptr_array_new_with_free_func (respondent_free);

  stmt = kl_database_prepare (db,
                              "SELECT c.code FROM survey_customers sc JOIN customers c ON c.id = sc.customer_id "
                              "WHERE sc.survey_id = ? ORDER BY c.code",
                              error);
  if (stmt == NULL)
    goto fail;
  kl_bind_text (stmt, 1, s->id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (s->customer_codes, kl_column_dup_text (stmt, 0));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    goto sql_fail;

  stmt = kl_database_prepare (db,
                              "SELECT id, code, name_en, name_zh FROM survey_attributes WHERE survey_id = ? ORDER BY position, id",
                              error);
  if (stmt == NULL)
    goto fail;
  kl_bind_text (stmt, 1, s->id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      KlSurveyAttribute *a = g_new0 (KlSurveyAttribute, 1);
      a->id = sqlite3_column_int64 (stmt, 0);
      a->code = kl_column_dup_text (stmt, 1);
      a->name_en = kl_column_dup_text (stmt, 2);
      a->name_zh = kl_column_dup_text (stmt, 3);
      g_ptr_array_add (s->attributes, a);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    goto sql_fail;

  stmt = kl_database_prepare (db,
                              "SELECT id, name, is_ours, is_main FROM survey_companies WHERE survey_id = ? "
                              "ORDER BY is_ours DESC, position, id",
                              error);
  if (stmt == NULL)
    goto fail;
  kl_bind_text (stmt, 1, s->id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      KlSurveyCompany *c = g_new0 (KlSurveyCompany, 1);
      c->id = sqlite3_column_int64 (stmt, 0);
      c->name = kl_column_dup_text (stmt, 1);
      c->ours = sqlite3_column_int (stmt, 2) != 0;
      c->main = sqlite3_column_int (stmt, 3) != 0;
      g_ptr_array_add (s->companies, c);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    goto sql_fail;

  stmt = kl_database_prepare (db,
                              "SELECT r.id, r.name, c.code FROM survey_respondents r JOIN customers c ON c.id = r.customer_id "
                              "WHERE r.survey_id = ? ORDER BY r.id",
                              error);
  if (stmt == NULL)
    goto fail;
  kl_bind_text (stmt, 1, s->id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      KlSurveyRespondent *r = g_new0 (KlSurveyRespondent, 1);
      r->id = sqlite3_column_int64 (stmt, 0);
      r->name = kl_column_dup_text (stmt, 1);
      r->customer_code = kl_column_dup_text (stmt, 2);
      g_ptr_array_add (s->respondents, r);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    goto sql_fail;

  na = s->attributes->len;
  nc = s->companies->len;
  s->importance = g_new0 (int, MAX (1, s->respondents->len * na));
  s->performance = g_new0 (int, MAX (1, s->respondents->len * na * nc));

  stmt = kl_database_prepare (db,
                              "SELECT x.respondent_id, x.attribute_id, x.importance FROM survey_responses x "
                              "JOIN survey_respondents r ON r.id = x.respondent_id WHERE r.survey_id = ? AND x.importance IS NOT NULL",
                              error);
  if (stmt == NULL)
    goto fail;
  kl_bind_text (stmt, 1, s->id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      int ri = index_of_id (s->respondents, G_STRUCT_OFFSET (KlSurveyRespondent, id), sqlite3_column_int64 (stmt, 0));
      int ai = index_of_id (s->attributes, G_STRUCT_OFFSET (KlSurveyAttribute, id), sqlite3_column_int64 (stmt, 1));
      if (ri >= 0 && ai >= 0)
        s->importance[ri * na + ai] = sqlite3_column_int (stmt, 2);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    goto sql_fail;

  stmt = kl_database_prepare (db,
                              "SELECT x.respondent_id, x.attribute_id, x.company_id, x.performance FROM survey_ratings x "
                              "JOIN survey_respondents r ON r.id = x.respondent_id WHERE r.survey_id = ?",
                              error);
  if (stmt == NULL)
    goto fail;
  kl_bind_text (stmt, 1, s->id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      int ri = index_of_id (s->respondents, G_STRUCT_OFFSET (KlSurveyRespondent, id), sqlite3_column_int64 (stmt, 0));
      int ai = index_of_id (s->attributes, G_STRUCT_OFFSET (KlSurveyAttribute, id), sqlite3_column_int64 (stmt, 1));
      int ci = index_of_id (s->companies, G_STRUCT_OFFSET (KlSurveyCompany, id), sqlite3_column_int64 (stmt, 2));
      if (ri >= 0 && ai >= 0 && ci >= 0)
        s->performance[(ri * na + ai) * nc + ci] = sqlite3_column_int (stmt, 3);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    goto sql_fail;

  if (!kl_database_commit (db, error))
    return NULL;
  return g_steal_pointer (&s);

sql_fail:
  fail_with (db, error, _("Reading a survey"));
fail:
  kl_database_rollback (db);
  return NULL;
}

GPtrArray *
kl_survey_store_list (KlDatabase  *db,
                      GError     **error)
{
  g_autoptr (GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify) kl_survey_info_free);
  sqlite3_stmt *stmt;
  int rc;

  stmt = kl_database_prepare (db,
                              "SELECT s.id, s.name, s.held_on,"
                              " (SELECT group_concat(code, ', ') FROM (SELECT c.code FROM survey_customers sc JOIN customers c ON c.id = sc.customer_id WHERE sc.survey_id = s.id ORDER BY c.code)),"
                              " (SELECT name FROM survey_companies WHERE survey_id = s.id AND is_main),"
                              " (SELECT count(*) FROM survey_attributes WHERE survey_id = s.id),"
                              " (SELECT count(*) FROM survey_companies WHERE survey_id = s.id),"
                              " (SELECT count(*) FROM survey_respondents WHERE survey_id = s.id) "
                              "FROM surveys s ORDER BY s.held_on, s.name",
                              error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      KlSurveyInfo *info = g_new0 (KlSurveyInfo, 1);
      info->id = kl_column_dup_text (stmt, 0);
      info->name = kl_column_dup_text (stmt, 1);
      info->held_on = kl_column_dup_text (stmt, 2);
      info->customers = kl_column_dup_text (stmt, 3);
      if (info->customers == NULL)
        info->customers = g_strdup ("");
      info->main_competitor = kl_column_dup_text (stmt, 4);
      info->n_attributes = sqlite3_column_int (stmt, 5);
      info->n_companies = sqlite3_column_int (stmt, 6);
      info->n_respondents = sqlite3_column_int (stmt, 7);
      g_ptr_array_add (list, info);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      fail_with (db, error, _("Reading the surveys"));
      return NULL;
    }
  return g_steal_pointer (&list);
}

/* A new survey as typed: checked whole, written all or nothing. */

KlSurveyDraft *
kl_survey_draft_new (const char *name,
                     const char *held_on)
{
  KlSurveyDraft *d = g_new0 (KlSurveyDraft, 1);

  d->name = g_strstrip (g_strdup (name ? name : ""));
  d->held_on = g_strstrip (g_strdup (held_on ? held_on : ""));
  d->attributes = g_ptr_array_new_with_free_func (attribute_free);
  d->competitors = g_ptr_array_new_with_free_func (g_free);
  d->customer_codes = g_ptr_array_new_with_free_func (g_free);
  d->respondents = g_ptr_array_new_with_free_func (respondent_free);
  return d;
}

void
kl_survey_draft_free (KlSurveyDraft *d)
{
  if (d == NULL)
    return;
  g_free (d->name);
  g_free (d->held_on);
  g_free (d->main_competitor);
  g_clear_pointer (&d->attributes, g_ptr_array_unref);
  g_clear_pointer (&d->competitors, g_ptr_array_unref);
  g_clear_pointer (&d->customer_codes, g_ptr_array_unref);
  g_clear_pointer (&d->respondents, g_ptr_array_unref);
  g_free (d);
}

void
kl_survey_draft_add_attribute (KlSurveyDraft *d,
                               const char    *code,
                               const char    *name_en,
                               const char    *name_zh)
{
  KlSurveyAttribute *a = g_new0 (KlSurveyAttribute, 1);

  a->code = g_strstrip (g_strdup (code ? code : ""));
  a->name_en = g_strdup (name_en ? name_en : a->code);
  a->name_zh = g_strdup (name_zh ? name_zh : a->code);
  g_ptr_array_add (d->attributes, a);
}

gboolean
kl_survey_draft_add_default (KlSurveyDraft *d,
                             const char    *code)
{
  for (guint i = 0; i < G_N_ELEMENTS (default_attributes); i++)
    if (g_strcmp0 (default_attributes[i].code, code) == 0)
      {
        kl_survey_draft_add_attribute (d, code, default_attributes[i].name_en, default_attributes[i].name_zh);
        return TRUE;
      }
  return FALSE;
}

void
kl_survey_draft_add_competitor (KlSurveyDraft *d,
                                const char    *name)
{
  g_ptr_array_add (d->competitors, g_strstrip (g_strdup (name ? name : "")));
}

void
kl_survey_draft_add_respondent (KlSurveyDraft *d,
                                const char    *name,
                                const char    *customer_code)
{
  KlSurveyRespondent *r = g_new0 (KlSurveyRespondent, 1);

  r->name = g_strstrip (g_strdup (name ? name : ""));
  r->customer_code = g_strstrip (g_strdup (customer_code ? customer_code : ""));
  g_ptr_array_add (d->respondents, r);
}

static gboolean
seen_before (GPtrArray *array, guint upto, gsize offset, const char *text)
{
  for (guint i = 0; i < upto; i++)
    {
      gpointer item = g_ptr_array_index (array, i);
      const char *other = offset == G_MAXSIZE ? item : G_STRUCT_MEMBER (const char *, item, offset);
      if (g_strcmp0 (other, text) == 0)
        return TRUE;
    }
  return FALSE;
}

gboolean
kl_survey_draft_check (const KlSurveyDraft *d,
                       GError             **error)
{
  gboolean main_found = d->main_competitor == NULL;

  g_return_val_if_fail (d != NULL, FALSE);

  if (kl_text_is_blank (d->name))
    return _kl_record_invalid (error, _("A survey needs a name, for example “Client survey 2026”"));
  if (!_kl_record_date_valid (d->held_on))
    return _kl_record_invalid (error, _("The survey’s date “%s” is not a date; write it as YYYY-MM-DD, for example 2026-11-30"),
                               d->held_on);
  if (d->attributes->len == 0)
    return _kl_record_invalid (error, _("A survey needs at least one attribute for clients to rate; pick one"));
  for (guint i = 0; i < d->attributes->len; i++)
    {
      const KlSurveyAttribute *a = g_ptr_array_index (d->attributes, i);
      if (kl_text_is_blank (a->code))
        return _kl_record_invalid (error, _("Attribute %u has no code; give it one, for example “price”"), i + 1);
      if (seen_before (d->attributes, i, G_STRUCT_OFFSET (KlSurveyAttribute, code), a->code))
        return _kl_record_invalid (error, _("The attribute code “%s” is given twice; each attribute needs its own code"),
                                   a->code);
    }
  if (d->competitors->len == 0)
    return _kl_record_invalid (error, _("A survey needs at least one competitor to compare us with; name the main competitor"));
  if (d->competitors->len > 3)
    return _kl_record_invalid (error, _("A survey has at most three competitors, not %u; leave the others out"),
                               d->competitors->len);
  for (guint i = 0; i < d->competitors->len; i++)
    {
      const char *c = g_ptr_array_index (d->competitors, i);
      if (kl_text_is_blank (c))
        return _kl_record_invalid (error, _("Competitor %u has no name; name it or leave it out"), i + 1);
      if (kl_survey_company_is_ours (c))
        return _kl_record_invalid (error, _("“%s” stands for our own company, which every survey has; name the competitor instead"), c);
      if (seen_before (d->competitors, i, G_MAXSIZE, c))
        return _kl_record_invalid (error, _("The competitor “%s” is named twice; name each competitor once"), c);
      if (d->main_competitor != NULL && strcmp (d->main_competitor, c) == 0)
        main_found = TRUE;
    }
  if (!main_found)
    return _kl_record_invalid (error, _("The main competitor “%s” is not one of the survey’s competitors"), d->main_competitor);
  for (guint i = 0; i < d->respondents->len; i++)
    {
      const KlSurveyRespondent *r = g_ptr_array_index (d->respondents, i);
      if (kl_text_is_blank (r->name))
        return _kl_record_invalid (error, _("Respondent %u has no name; write the person’s name before the customer code"), i + 1);
      if (kl_text_is_blank (r->customer_code))
        return _kl_record_invalid (error, _("Respondent “%s” has no customer code; write the code of the customer they speak for"),
                                   r->name);
      if (seen_before (d->respondents, i, G_STRUCT_OFFSET (KlSurveyRespondent, name), r->name))
        return _kl_record_invalid (error, _("The respondent “%s” is listed twice; list each person once"), r->name);
    }
  return TRUE;
}

static gboolean
add_survey_customer (KlDatabase *db, const char *survey_id, const char *customer_id, GError **error)
{
  sqlite3_stmt *stmt = kl_database_prepare (db, "INSERT OR IGNORE INTO survey_customers (survey_id, customer_id) VALUES (?, ?)",
                                            error);
  if (stmt == NULL)
    return FALSE;
  kl_bind_text (stmt, 1, survey_id);
  kl_bind_text (stmt, 2, customer_id);
  return kl_database_step_done (db, stmt, error);
}

char *
kl_survey_store_create_draft (KlDatabase          *db,
                              const KlSurveyDraft *d,
                              GError             **error)
{
  g_autofree char *id = NULL;

  g_return_val_if_fail (KL_IS_DATABASE (db), NULL);
  g_return_val_if_fail (d != NULL, NULL);

  if (!kl_survey_draft_check (d, error))
    return NULL;
  if (!kl_database_begin (db, error))
    return NULL;
  {
    g_autofree const char **competitors = g_new0 (const char *, d->competitors->len + 1);
    for (guint i = 0; i < d->competitors->len; i++)
      competitors[i] = g_ptr_array_index (d->competitors, i);
    id = kl_survey_store_create (db, d->name, d->held_on, competitors, d->main_competitor, FALSE, error);
  }
  if (id == NULL)
    goto fail;
  for (guint i = 0; i < d->attributes->len; i++)
    {
      const KlSurveyAttribute *a = g_ptr_array_index (d->attributes, i);
      if (kl_survey_store_ensure_attribute (db, id, a->code, a->name_en, a->name_zh, error) < 0)
        goto fail;
    }
  for (guint i = 0; i < d->customer_codes->len; i++)
    {
      const char *code = g_ptr_array_index (d->customer_codes, i);
      g_autoptr(KlCustomer) c = kl_customer_store_get_by_code (db, code, error);
      if (c == NULL || !add_survey_customer (db, id, c->id, error))
        goto fail;
    }
  for (guint i = 0; i < d->respondents->len; i++)
    {
      const KlSurveyRespondent *r = g_ptr_array_index (d->respondents, i);
      g_autoptr(GError) local = NULL;
      g_autoptr(KlCustomer) c = kl_customer_store_get_by_code (db, r->customer_code, &local);

      if (c == NULL)
        {
          if (g_error_matches (local, KL_DATABASE_ERROR, KL_DATABASE_ERROR_NOT_FOUND))
            g_set_error (error, KL_DATABASE_ERROR, KL_DATABASE_ERROR_NOT_FOUND,
                         _("Respondent “%s”: no customer has the code “%s”; the Customers page lists the codes"),
                         r->name, r->customer_code);
          else
            g_propagate_error (error, g_steal_pointer (&local));
          goto fail;
        }
      if (kl_survey_store_ensure_respondent (db, id, r->name, c->id, error) < 0)
        goto fail;
    }
  if (!kl_database_commit (db, error))
    return NULL;
  return g_steal_pointer (&id);

fail:
  kl_database_rollback (db);
  return NULL;
}
