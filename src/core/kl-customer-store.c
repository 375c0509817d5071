/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Customers in the workspace: their records, search index, ABC classes and
 * the validation helpers the other record stores share. */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <stdio.h>

#include "kl-database-private.h"
#include "kl-customer-store.h"
#include "kl-record-store-private.h"
#include "kl-rollup.h"

#define CUSTOMER_COLUMNS \
  "c.id, c.code, c.name, c.legal_name, c.kind, c.channel, c.industry, c.region, c.address, " \
  "c.account_manager, c.relationship, c.status, c.lost_reason, c.lost_date, c.abc_class, " \
  "c.abc_override, c.tags, c.notes, c.report_language, c.revision, c.updated_at, c.deleted"

gboolean
_kl_record_invalid (GError     **error,
                    const char  *format,
                    ...)
{
  va_list args;
  char *message;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error_literal (error, KL_DATABASE_ERROR, KL_DATABASE_ERROR_INVALID, message);
  g_free (message);
  return FALSE;
}

gboolean
_kl_record_date_valid (const char *text)
{
  int y, m, d;
  char tail;

  if (text == NULL || strlen (text) != 10)
    return FALSE;
  if (sscanf (text, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3)
    return FALSE;
  return g_date_valid_dmy (d, m, y);
}

static gint64
now_seconds (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

static char *
tags_join (char **tags)
{
  return tags ? g_strjoinv (";", tags) : g_strdup ("");
}

static char **
tags_split (const char *text)
{
  g_auto(GStrv) parts = NULL;
  GPtrArray *tags = g_ptr_array_new ();

  if (text != NULL && *text != '\0')
    {
      parts = g_strsplit (text, ";", -1);
      for (guint i = 0; parts[i]; i++)
        if (*parts[i] != '\0')
          g_ptr_array_add (tags, g_strdup (parts[i]));
    }
  g_ptr_array_add (tags, NULL);
  return (char **) g_ptr_array_free (tags, FALSE);
}

static KlAbcClass
abc_from_column (sqlite3_stmt *stmt,
                 int           col)
{
  const char *text = (const char *) sqlite3_column_text (stmt, col);
  KlAbcClass abc = KL_ABC_NONE;

  if (text != NULL)
    kl_abc_class_from_string (text, &abc);
  return abc;
}

static KlCustomer *
customer_from_row (sqlite3_stmt *stmt)
{
  KlCustomer *c = kl_customer_new ();

  g_free (c->report_language);
  c->id = kl_column_dup_text (stmt, 0);
  c->code = kl_column_dup_text (stmt, 1);
  c->name = kl_column_dup_text (stmt, 2);
  c->legal_name = kl_column_dup_text (stmt, 3);
  kl_customer_kind_from_string ((const char *) sqlite3_column_text (stmt, 4), &c->kind);
  kl_channel_from_string ((const char *) sqlite3_column_text (stmt, 5), &c->channel);
  c->industry = kl_column_dup_text (stmt, 6);
  c->region = kl_column_dup_text (stmt, 7);
  c->address = kl_column_dup_text (stmt, 8);
  c->account_manager = kl_column_dup_text (stmt, 9);
  kl_relationship_from_string ((const char *) sqlite3_column_text (stmt, 10), &c->relationship);
  kl_customer_status_from_string ((const char *) sqlite3_column_text (stmt, 11), &c->status);
  c->lost_reason = kl_column_dup_text (stmt, 12);
  c->lost_date = kl_column_dup_text (stmt, 13);
  c->abc_class = abc_from_column (stmt, 14);
  c->abc_override = abc_from_column (stmt, 15);
  c->tags = tags_split ((const char *) sqlite3_column_text (stmt, 16));
  c->notes = kl_column_dup_text (stmt, 17);
  c->report_language = kl_column_dup_text (stmt, 18);
  c->revision = sqlite3_column_int64 (stmt, 19);
  c->updated_at = sqlite3_column_int64 (stmt, 20);
  c->deleted = sqlite3_column_int (stmt, 21) != 0;
  return c;
}

KlAbcClass
kl_customer_effective_abc (const KlCustomer *customer)
{
  g_return_val_if_fail (customer != NULL, KL_ABC_NONE);
  return customer->abc_override != KL_ABC_NONE ? customer->abc_override : customer->abc_class;
}

static KlCustomer *
get_one (KlDatabase  *db,
         const char  *sql,
         const char  *key,
         GError     **error)
{
  sqlite3_stmt *stmt = kl_database_prepare (db, sql, error);
  KlCustomer *c = NULL;
  int rc;

  if (stmt == NULL)
    return NULL;
  kl_bind_text (stmt, 1, key);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    c = customer_from_row (stmt);
  else if (rc == SQLITE_DONE)
    g_set_error (error, KL_DATABASE_ERROR, KL_DATABASE_ERROR_NOT_FOUND,
                 _("There is no customer “%s” in this workspace"), key);
  else
    kl_database_set_error (db, error, _("Reading a customer"));
  sqlite3_reset (stmt);
  return c;
}

KlCustomer *
kl_customer_store_get (KlDatabase  *db,
                       const char  *id,
                       GError     **error)
{
  g_return_val_if_fail (KL_IS_DATABASE (db), NULL);
  return get_one (db, "SELECT " CUSTOMER_COLUMNS " FROM customers c WHERE c.id = ?", id, error);
}

KlCustomer *
kl_customer_store_get_by_code (KlDatabase  *db,
                               const char  *code,
                               GError     **error)
{
  g_return_val_if_fail (KL_IS_DATABASE (db), NULL);
  return get_one (db, "SELECT " CUSTOMER_COLUMNS " FROM customers c WHERE c.code = ?", code, error);
}

char *
kl_customer_store_lookup_code (KlDatabase  *db,
                               const char  *code,
                               GError     **error)
{
  sqlite3_stmt *stmt;
  char *id = NULL;
  int rc;

  stmt = kl_database_prepare (db, "SELECT id FROM customers WHERE code = ? AND deleted = 0", error);
  if (stmt == NULL)
    return NULL;
  kl_bind_text (stmt, 1, code);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    id = kl_column_dup_text (stmt, 0);
  else if (rc != SQLITE_DONE)
    kl_database_set_error (db, error, _("Reading a customer"));
  sqlite3_reset (stmt);
  return id;
}

/* The search index holds each customer's names, code, tags and contacts. */
static gboolean
refresh_search (KlDatabase  *db,
                const char  *customer_id,
                GError     **error)
{
  sqlite3_stmt *stmt;

  stmt = kl_database_prepare (db,
                              "DELETE FROM customer_search WHERE rowid = (SELECT rowid FROM customers WHERE id = ?)",
                              error);
  if (stmt == NULL)
    return FALSE;
  kl_bind_text (stmt, 1, customer_id);
  if (!kl_database_step_done (db, stmt, error))
    return FALSE;

  stmt = kl_database_prepare (db,
                              "INSERT INTO customer_search (rowid, code, name, legal_name, contacts, tags) "
                              "SELECT c.rowid, c.code, c.name, coalesce(c.legal_name, ''), "
                              "  coalesce((SELECT group_concat(name || ' ' || coalesce(phone, '') || ' ' || coalesce(email, ''), ' ') "
                              "            FROM contacts WHERE customer_id = c.id), ''), "
                              "  replace(c.tags, ';', ' ') "
                              "FROM customers c WHERE c.id = ?",
                              error);
  if (stmt == NULL)
    return FALSE;
  kl_bind_text (stmt, 1, customer_id);
  return kl_database_step_done (db, stmt, error);
}

gboolean
_kl_customer_store_refresh_search (KlDatabase  *db,
                                   const char  *customer_id,
                                   GError     **error)
{
  return refresh_search (db, customer_id, error);
}

static void
bind_customer (sqlite3_stmt     *stmt,
               const KlCustomer *c)
{
  g_autofree char *tags = tags_join (c->tags);
  int i = 1;

  kl_bind_text (stmt, i++, c->code);
  kl_bind_text (stmt, i++, c->name);
  kl_bind_text (stmt, i++, c->legal_name);
  kl_bind_text (stmt, i++, kl_customer_kind_to_string (c->kind));
  kl_bind_text (stmt, i++, kl_channel_to_string (c->channel));
  kl_bind_text (stmt, i++, c->industry);
  kl_bind_text (stmt, i++, c->region);
  kl_bind_text (stmt, i++, c->address);
  kl_bind_text (stmt, i++, c->account_manager);
  kl_bind_text (stmt, i++, kl_relationship_to_string (c->relationship));
  kl_bind_text (stmt, i++, kl_customer_status_to_string (c->status));
  kl_bind_text (stmt, i++, c->lost_reason);
  kl_bind_text (stmt, i++, c->lost_date);
  kl_bind_text (stmt, i++, c->abc_class != KL_ABC_NONE ? kl_abc_class_to_string (c->abc_class) : NULL);
  kl_bind_text (stmt, i++, c->abc_override != KL_ABC_NONE ? kl_abc_class_to_string (c->abc_override) : NULL);
  kl_bind_text (stmt, i++, tags);
  kl_bind_text (stmt, i++, c->notes);
  kl_bind_text (stmt, i++, c->report_language ? c->report_language : "zh_CN");
  sqlite3_bind_int64 (stmt, i++, c->revision);
  sqlite3_bind_int64 (stmt, i++, c->updated_at);
  sqlite3_bind_int (stmt, i++, c->deleted ? 1 : 0);
  kl_bind_text (stmt, i++, c->id);
}

static char *
changed_fields (const KlCustomer *a,
                const KlCustomer *b)
{
  GString *s = g_string_new (NULL);

#define FIELD_IF(cond, name) if (cond) g_string_append_printf (s, "%s%s", s->len ? "," : "", name)
  FIELD_IF (g_strcmp0 (a->code, b->code), "code");
  FIELD_IF (g_strcmp0 (a->name, b->name), "name");
  FIELD_IF (g_strcmp0 (a->legal_name, b->legal_name), "legal_name");
  FIELD_IF (a->kind != b->kind, "kind");
  FIELD_IF (a->channel != b->channel, "channel");
  FIELD_IF (g_strcmp0 (a->industry, b->industry), "industry");
  FIELD_IF (g_strcmp0 (a->region, b->region), "region");
  FIELD_IF (g_strcmp0 (a->address, b->address), "address");
  FIELD_IF (g_strcmp0 (a->account_manager, b->account_manager), "account_manager");
  FIELD_IF (a->relationship != b->relationship, "relationship");
  FIELD_IF (a->status != b->status || g_strcmp0 (a->lost_reason, b->lost_reason) || g_strcmp0 (a->lost_date, b->lost_date), "status");
  FIELD_IF (a->abc_override != b->abc_override, "abc_override");
  FIELD_IF (!g_strv_equal ((const char * const *) (a->tags ? a->tags : (char *[]) { NULL }),
                           (const char * const *) (b->tags ? b->tags : (char *[]) { NULL })), "tags");
  FIELD_IF (g_strcmp0 (a->notes, b->notes), "notes");
  FIELD_IF (g_strcmp0 (a->report_language, b->report_language), "report_language");
  FIELD_IF (a->deleted != b->deleted, "deleted");
#undef FIELD_IF
  return g_string_free (s, FALSE);
}

static gboolean
validate_customer (KlCustomer  *c,
                   GError     **error)
{
  if (kl_text_is_blank (c->code))
    return _kl_record_invalid (error, _("A customer needs a code"));
  if (kl_text_is_blank (c->name))
    return _kl_record_invalid (error, _("Customer “%s” needs a name"), c->code);
  g_strstrip (c->code);
  if (c->tags != NULL)
    for (guint i = 0; c->tags[i]; i++)
      if (strchr (c->tags[i], ';') != NULL)
        return _kl_record_invalid (error, _("The tag “%s” of customer “%s” contains “;”, which separates tags"),
                                   c->tags[i], c->code);
  if (c->lost_date != NULL && !_kl_record_date_valid (c->lost_date))
    return _kl_record_invalid (error, _("The lost date “%s” of customer “%s” is not a date like 2026-10-31"),
                               c->lost_date, c->code);
  if (c->report_language != NULL &&
      g_strcmp0 (c->report_language, "zh_CN") != 0 && g_strcmp0 (c->report_language, "en") != 0)
    return _kl_record_invalid (error, _("The report language of customer “%s” must be zh_CN or en, not “%s”"),
                               c->code, c->report_language);
  return TRUE;
}

gboolean
kl_customer_store_save (KlDatabase      *db,
                        KlCustomer      *c,
                        KlOrigin         origin,
                        KlUpsertResult  *out_result,
                        GError         **error)
{
  g_autoptr(KlCustomer) old = NULL;
  g_autoptr(KlCustomer) same_code = NULL;
  g_autofree char *fields = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (KL_IS_DATABASE (db), FALSE);
  g_return_val_if_fail (c != NULL, FALSE);

  if (!validate_customer (c, error))
    return FALSE;

  if (c->id != NULL)
    old = kl_customer_store_get (db, c->id, NULL);
  same_code = kl_customer_store_get_by_code (db, c->code, NULL);
  if (old == NULL && same_code != NULL)
    old = g_steal_pointer (&same_code);
  else if (old != NULL && same_code != NULL && g_strcmp0 (same_code->id, old->id) != 0)
    {
      g_set_error (error, KL_DATABASE_ERROR, KL_DATABASE_ERROR_CONSTRAINT,
                   _("The code “%s” is already used by customer “%s”"), c->code, same_code->name);
      return FALSE;
    }

  if (old != NULL)
    {
      g_free (c->id);
      c->id = g_strdup (old->id);
      if (origin != KL_ORIGIN_SERVER)
        {
          c->revision = old->revision;
          c->abc_class = old->abc_class;
        }
      if (kl_customer_equal_content (old, c) && (origin != KL_ORIGIN_SERVER || old->revision == c->revision))
        {
          c->updated_at = old->updated_at;
          if (out_result)
            *out_result = KL_UPSERT_UNCHANGED;
          return TRUE;
        }
    }
  else if (c->id == NULL)
    c->id = kl_uuid_new ();

  if (!kl_database_begin (db, error))
    return FALSE;

  if (origin != KL_ORIGIN_SERVER || c->updated_at <= 0)
    c->updated_at = now_seconds ();

  stmt = kl_database_prepare (db,
                              old != NULL
                                ? "UPDATE customers SET code = ?1, name = ?2, legal_name = ?3, kind = ?4, channel = ?5, "
                                  "industry = ?6, region = ?7, address = ?8, account_manager = ?9, relationship = ?10, "
                                  "status = ?11, lost_reason = ?12, lost_date = ?13, abc_class = ?14, abc_override = ?15, "
                                  "tags = ?16, notes = ?17, report_language = ?18, revision = ?19, updated_at = ?20, "
                                  "deleted = ?21 WHERE id = ?22"
                                : "INSERT INTO customers (code, name, legal_name, kind, channel, industry, region, address, "
                                  "account_manager, relationship, status, lost_reason, lost_date, abc_class, abc_override, "
                                  "tags, notes, report_language, revision, updated_at, deleted, id) "
                                  "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, "
                                  "?19, ?20, ?21, ?22)",
                              error);
  if (stmt == NULL)
    goto fail;
  bind_customer (stmt, c);
  if (!kl_database_step_done (db, stmt, error))
    goto fail;
  if (!refresh_search (db, c->id, error))
    goto fail;

  if (origin != KL_ORIGIN_SERVER)
    {
      fields = old != NULL ? changed_fields (old, c) : g_strdup ("*");
      if (!kl_database_outbox_add (db, "customers", c->id, old != NULL ? "update" : "create",
                                   fields, c->revision, error))
        goto fail;
    }

  if (!kl_database_commit (db, error))
    return FALSE;
  if (out_result)
    *out_result = old != NULL ? KL_UPSERT_UPDATED : KL_UPSERT_NEW;
  return TRUE;

fail:
  kl_database_rollback (db);
  return FALSE;
}

static gboolean
set_deleted (KlDatabase  *db,
             const char  *id,
             gboolean     deleted,
             GError     **error)
{
  g_autoptr(KlCustomer) c = kl_customer_store_get (db, id, error);

  if (c == NULL)
    return FALSE;
  if (c->deleted == deleted)
    return TRUE;
  c->deleted = deleted;
  return kl_customer_store_save (db, c, KL_ORIGIN_LOCAL, NULL, error);
}

gboolean
kl_customer_store_delete (KlDatabase  *db,
                          const char  *id,
                          GError     **error)
{
  return set_deleted (db, id, TRUE, error);
}

gboolean
kl_customer_store_restore (KlDatabase  *db,
                           const char  *id,
                           GError     **error)
{
  return set_deleted (db, id, FALSE, error);
}

/* Escapes LIKE wildcards; the pattern uses '\' as its escape. */
static char *
like_pattern (const char *text)
{
  GString *s = g_string_new ("%");

  for (const char *p = text; *p; p++)
    {
      if (*p == '%' || *p == '_' || *p == '\\')
        g_string_append_c (s, '\\');
      g_string_append_c (s, *p);
    }
  g_string_append_c (s, '%');
  return g_string_free (s, FALSE);
}

/* An FTS5 phrase: the text in double quotes, inner quotes doubled. */
static char *
fts_phrase (const char *text)
{
  GString *s = g_string_new ("\"");

  for (const char *p = text; *p; p++)
    {
      if (*p == '"')
        g_string_append_c (s, '"');
      g_string_append_c (s, *p);
    }
  g_string_append_c (s, '"');
  return g_string_free (s, FALSE);
}

typedef struct {
  GString *sql;
  char    *search_value;
  gboolean has_search;
} FilterSql;

/* Appends the WHERE clause for filter to sql. Only fixed fragments are
 * added; every value is bound by bind_filter in the same order. */
static void
filter_where (const KlCustomerFilter *filter,
              GString                *sql,
              char                  **out_search)
{
  g_autofree char *trimmed = NULL;

  g_string_append (sql, " WHERE 1");
  *out_search = NULL;
  if (!filter->include_deleted)
    g_string_append (sql, " AND c.deleted = 0");
  if (filter->search != NULL)
    {
      trimmed = g_strstrip (g_strdup (filter->search));
      if (*trimmed != '\0')
        {
          if (g_utf8_strlen (trimmed, -1) >= 3)
            {
              g_string_append (sql, " AND c.rowid IN (SELECT rowid FROM customer_search WHERE customer_search MATCH ?)");
              *out_search = fts_phrase (trimmed);
            }
          else
            {
              /* Trigrams need three characters; shorter words scan the index text. */
              g_string_append (sql, " AND c.rowid IN (SELECT rowid FROM customer_search WHERE "
                                    "code LIKE ?1 ESCAPE '\\' OR name LIKE ?1 ESCAPE '\\' OR legal_name LIKE ?1 ESCAPE '\\' "
                                    "OR contacts LIKE ?1 ESCAPE '\\' OR tags LIKE ?1 ESCAPE '\\')");
              *out_search = like_pattern (trimmed);
            }
        }
    }
  if (filter->status >= 0)
    g_string_append (sql, " AND c.status = ?");
  if (filter->abc_class >= 0)
    g_string_append (sql, " AND coalesce(c.abc_override, c.abc_class, '') = ?");
  if (filter->relationship >= 0)
    g_string_append (sql, " AND c.relationship = ?");
  if (filter->region != NULL)
    g_string_append (sql, " AND c.region = ?");
}

static int
bind_filter (sqlite3_stmt           *stmt,
             const KlCustomerFilter *filter,
             const char             *search)
{
  int i = 1;

  if (search != NULL)
    kl_bind_text (stmt, i++, search);
  if (filter->status >= 0)
    kl_bind_text (stmt, i++, kl_customer_status_to_string (filter->status));
  if (filter->abc_class >= 0)
    kl_bind_text (stmt, i++, filter->abc_class == KL_ABC_NONE ? "" : kl_abc_class_to_string (filter->abc_class));
  if (filter->relationship >= 0)
    kl_bind_text (stmt, i++, kl_relationship_to_string (filter->relationship));
  if (filter->region != NULL)
    kl_bind_text (stmt, i++, filter->region);
  return i;
}

GPtrArray *
kl_customer_store_list (KlDatabase             *db,
                        const KlCustomerFilter *filter,
                        int                     offset,
                        int                     limit,
                        GError                **error)
{
  static const KlCustomerFilter all = KL_CUSTOMER_FILTER_INIT;
  g_autoptr(GString) sql = g_string_new ("SELECT " CUSTOMER_COLUMNS " FROM customers c");
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify) kl_customer_free);
  g_autofree char *search = NULL;
  sqlite3_stmt *stmt;
  int i, rc;

  g_return_val_if_fail (KL_IS_DATABASE (db), NULL);

  if (filter == NULL)
    filter = &all;
  filter_where (filter, sql, &search);
  g_string_append (sql, " ORDER BY c.name COLLATE kl_locale, c.code LIMIT ? OFFSET ?");

  stmt = kl_database_prepare (db, sql->str, error);
  if (stmt == NULL)
    return NULL;
  i = bind_filter (stmt, filter, search);
  sqlite3_bind_int (stmt, i++, limit);
  sqlite3_bind_int (stmt, i++, offset);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (list, customer_from_row (stmt));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      kl_database_set_error (db, error, _("Listing customers"));
      return NULL;
    }
  return g_steal_pointer (&list);
}

gint64
kl_customer_store_count (KlDatabase             *db,
                         const KlCustomerFilter *filter,
                         GError                **error)
{
  static const KlCustomerFilter all = KL_CUSTOMER_FILTER_INIT;
  g_autoptr(GString) sql = g_string_new ("SELECT count(*) FROM customers c");
  g_autofree char *search = NULL;
  sqlite3_stmt *stmt;
  gint64 n = -1;

  g_return_val_if_fail (KL_IS_DATABASE (db), -1);

  if (filter == NULL)
    filter = &all;
  filter_where (filter, sql, &search);
  stmt = kl_database_prepare (db, sql->str, error);
  if (stmt == NULL)
    return -1;
  bind_filter (stmt, filter, search);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    n = sqlite3_column_int64 (stmt, 0);
  else
    kl_database_set_error (db, error, _("Counting customers"));
  sqlite3_reset (stmt);
  return n;
}

GStrv
kl_customer_store_regions (KlDatabase  *db,
                           GError     **error)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  sqlite3_stmt *stmt;
  int rc;

  stmt = kl_database_prepare (db,
                              "SELECT DISTINCT region FROM customers WHERE region IS NOT NULL AND region != '' "
                              "AND deleted = 0 ORDER BY region COLLATE kl_locale",
                              error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_strv_builder_add (builder, (const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      kl_database_set_error (db, error, _("Listing regions"));
      return NULL;
    }
  return g_strv_builder_end (builder);
}

gint64
kl_customer_store_shipment_count (KlDatabase  *db,
                                  const char  *customer_id,
                                  GError     **error)
{
  sqlite3_stmt *stmt;
  gint64 n = -1;

  /* The rollup counts every shipment but a cancelled one in its month
   * (kl-rollup.c), exactly (keyline-cli check): a row a month instead of
   * reading every shipment, which took half a minute for the list of a
   * 10 M workspace's customers. */
  stmt = kl_database_prepare (db, "SELECT coalesce(sum(shipments), 0) FROM rollup_month WHERE customer_id = ?", error);
  if (stmt == NULL)
    return -1;
  kl_bind_text (stmt, 1, customer_id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    n = sqlite3_column_int64 (stmt, 0);
  else
    kl_database_set_error (db, error, _("Counting shipments"));
  sqlite3_reset (stmt);
  return n;
}

gboolean
kl_customer_store_update_abc (KlDatabase  *db,
                              int          last_month,
                              GError     **error)
{
  int year = last_month / 100, month = last_month % 100;
  int first_month;
  sqlite3_stmt *stmt;
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) volumes = g_array_new (FALSE, FALSE, sizeof (gint64));
  gint64 total = 0, before = 0;
  int rc;

  /* The twelve months ending with last_month. */
  month -= 11;
  while (month < 1)
    {
      month += 12;
      year--;
    }
  first_month = kl_month_make (year, month);

  stmt = kl_database_prepare (db,
                              "SELECT c.id, coalesce((SELECT sum(r.shipments) FROM rollup_month r "
                              "  WHERE r.customer_id = c.id AND r.month BETWEEN ? AND ?), 0) AS n "
                              "FROM customers c WHERE c.deleted = 0 ORDER BY n DESC, c.code",
                              error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int (stmt, 1, first_month);
  sqlite3_bind_int (stmt, 2, last_month);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 n = sqlite3_column_int64 (stmt, 1);

      g_ptr_array_add (ids, kl_column_dup_text (stmt, 0));
      g_array_append_val (volumes, n);
      total += n;
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return kl_database_set_error (db, error, _("Ranking customers"));

  if (!kl_database_begin (db, error))
    return FALSE;
  for (guint i = 0; i < ids->len; i++)
    {
      const char *abc;

      if (total == 0)
        abc = NULL;
      else if (before * 100 < total * 80)
        abc = "A";
      else if (before * 100 < total * 95)
        abc = "B";
      else
        abc = "C";
      before += g_array_index (volumes, gint64, i);

      stmt = kl_database_prepare (db, "UPDATE customers SET abc_class = ? WHERE id = ?", error);
      if (stmt == NULL)
        goto fail;
      kl_bind_text (stmt, 1, abc);
      kl_bind_text (stmt, 2, g_ptr_array_index (ids, i));
      if (!kl_database_step_done (db, stmt, error))
        goto fail;
    }
  return kl_database_commit (db, error);

fail:
  kl_database_rollback (db);
  return FALSE;
}

gboolean
_kl_customer_store_touch (KlDatabase  *db,
                          const char  *customer_id,
                          const char  *field,
                          GError     **error)
{
  sqlite3_stmt *stmt;
  g_autoptr(KlCustomer) c = kl_customer_store_get (db, customer_id, error);

  if (c == NULL)
    return FALSE;
  stmt = kl_database_prepare (db, "UPDATE customers SET updated_at = ? WHERE id = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, now_seconds ());
  kl_bind_text (stmt, 2, customer_id);
  if (!kl_database_step_done (db, stmt, error))
    return FALSE;
  return kl_database_outbox_add (db, "customers", customer_id, "update", field, c->revision, error);
}
