/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Service agreements: targets, grace minutes and claim deadlines per
 * customer and period, and the grace-minutes cache the rollups read. */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>

#include "kl-database-private.h"
#include "kl-agreement-store.h"
#include "kl-agreement-store-private.h"
#include "kl-record-store-private.h"
#include "kl-shipment-store.h"

#define AGREEMENT_COLUMNS \
  "id, customer_id, effective_from, effective_to, target_dispatch_on_time, target_arrival_on_time, " \
  "target_document_accuracy, target_order_accuracy, target_damage, target_shortage, target_incident, " \
  "target_otif, dispatch_grace_min, delivery_grace_min, claim_ack_days, claim_resolve_days"

static KlAgreement *
agreement_from_row (sqlite3_stmt *stmt)
{
  KlAgreement *a = kl_agreement_new ();

  a->id = kl_column_dup_text (stmt, 0);
  a->customer_id = kl_column_dup_text (stmt, 1);
  a->effective_from = kl_column_dup_text (stmt, 2);
  a->effective_to = kl_column_dup_text (stmt, 3);
  for (guint r = 0; r < KL_N_RATES; r++)
    a->targets[r] = sqlite3_column_type (stmt, 4 + r) == SQLITE_NULL ? NAN : sqlite3_column_double (stmt, 4 + r);
  a->dispatch_grace_min = sqlite3_column_int (stmt, 12);
  a->delivery_grace_min = sqlite3_column_int (stmt, 13);
  a->claim_ack_days = sqlite3_column_int (stmt, 14);
  a->claim_resolve_days = sqlite3_column_int (stmt, 15);
  return a;
}

static GPtrArray *
agreements_query (KlDatabase  *db,
                  const char  *sql,
                  const char  *a1,
                  const char  *a2,
                  GError     **error)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify) kl_agreement_free);
  sqlite3_stmt *stmt;
  int rc;

  stmt = kl_database_prepare (db, sql, error);
  if (stmt == NULL)
    return NULL;
  kl_bind_text (stmt, 1, a1);
  if (a2 != NULL)
    kl_bind_text (stmt, 2, a2);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (list, agreement_from_row (stmt));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      kl_database_set_error (db, error, _("Reading service agreements"));
      return NULL;
    }
  return g_steal_pointer (&list);
}

GPtrArray *
kl_agreement_store_list (KlDatabase  *db,
                         const char  *customer_id,
                         GError     **error)
{
  return agreements_query (db, "SELECT " AGREEMENT_COLUMNS " FROM agreements WHERE customer_id = ? "
                               "ORDER BY effective_from DESC", customer_id, NULL, error);
}

static KlAgreement *
kl_agreement_store_get (KlDatabase  *db,
                        const char  *id,
                        GError     **error)
{
  g_autoptr(GPtrArray) list = agreements_query (db, "SELECT " AGREEMENT_COLUMNS " FROM agreements WHERE id = ?",
                                                id, NULL, error);

  if (list == NULL)
    return NULL;
  if (list->len == 0)
    {
      g_set_error (error, KL_DATABASE_ERROR, KL_DATABASE_ERROR_NOT_FOUND, _("The service agreement no longer exists"));
      return NULL;
    }
  return g_ptr_array_steal_index (list, 0);
}

KlAgreement *
kl_agreement_store_in_force (KlDatabase  *db,
                             const char  *customer_id,
                             const char  *date,
                             GError     **error)
{
  g_autoptr(GPtrArray) list = NULL;
  sqlite3_stmt *stmt;
  KlAgreement *a = NULL;
  int rc;

  (void) list;
  stmt = kl_database_prepare (db, "SELECT " AGREEMENT_COLUMNS " FROM agreements WHERE customer_id = ? "
                                  "AND effective_from <= ?2 AND (effective_to IS NULL OR effective_to >= ?2) "
                                  "ORDER BY effective_from DESC LIMIT 1", error);
  if (stmt == NULL)
    return NULL;
  kl_bind_text (stmt, 1, customer_id);
  kl_bind_text (stmt, 2, date);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    a = agreement_from_row (stmt);
  else if (rc != SQLITE_DONE)
    kl_database_set_error (db, error, _("Reading service agreements"));
  sqlite3_reset (stmt);
  return a;
}

static gboolean
validate_agreement (KlDatabase   *db,
                    KlAgreement  *a,
                    GError      **error)
{
  g_autoptr(GPtrArray) others = NULL;

  if (!_kl_record_date_valid (a->effective_from))
    return _kl_record_invalid (error, _("The start date “%s” is not a date like 2026-01-01"),
                    a->effective_from ? a->effective_from : "");
  if (a->effective_to != NULL && *a->effective_to == '\0')
    g_clear_pointer (&a->effective_to, g_free);
  if (a->effective_to != NULL && !_kl_record_date_valid (a->effective_to))
    return _kl_record_invalid (error, _("The end date “%s” is not a date like 2026-12-31"), a->effective_to);
  if (a->effective_to != NULL && strcmp (a->effective_to, a->effective_from) < 0)
    return _kl_record_invalid (error, _("The agreement ends (%s) before it starts (%s)"), a->effective_to, a->effective_from);
  for (guint r = 0; r < KL_N_RATES; r++)
    if (!isnan (a->targets[r]) && (a->targets[r] < 0.0 || a->targets[r] > 1.0))
      return _kl_record_invalid (error, _("The target for “%s” must be between 0 %% and 100 %%"), kl_rate_to_label (r));
  if (a->dispatch_grace_min < 0 || a->delivery_grace_min < 0)
    return _kl_record_invalid (error, _("Grace minutes cannot be negative"));
  if (a->claim_ack_days <= 0 || a->claim_resolve_days <= 0)
    return _kl_record_invalid (error, _("Claim deadlines must be at least one day"));

  others = kl_agreement_store_list (db, a->customer_id, error);
  if (others == NULL)
    return FALSE;
  for (guint i = 0; i < others->len; i++)
    {
      KlAgreement *o = g_ptr_array_index (others, i);
      const char *a_to = a->effective_to ? a->effective_to : "9999-12-31";
      const char *o_to = o->effective_to ? o->effective_to : "9999-12-31";

      if (g_strcmp0 (o->id, a->id) == 0)
        continue;
      if (strcmp (a->effective_from, o_to) <= 0 && strcmp (o->effective_from, a_to) <= 0)
        return _kl_record_invalid (error, _("The agreement overlaps the one in force from %s to %s"),
                        o->effective_from, o->effective_to ? o->effective_to : _("open end"));
    }
  return TRUE;
}

gboolean
kl_agreement_store_save (KlDatabase   *db,
                         KlAgreement  *a,
                         GError      **error)
{
  sqlite3_stmt *stmt;
  gboolean is_new;

  g_return_val_if_fail (KL_IS_DATABASE (db), FALSE);
  g_return_val_if_fail (a != NULL && a->customer_id != NULL, FALSE);

  if (!validate_agreement (db, a, error))
    return FALSE;

  is_new = a->id == NULL;
  if (is_new)
    a->id = kl_uuid_new ();

  if (!kl_database_begin (db, error))
    return FALSE;
  stmt = kl_database_prepare (db,
                              "INSERT INTO agreements (" AGREEMENT_COLUMNS ") VALUES "
                              "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                              "ON CONFLICT (id) DO UPDATE SET effective_from = excluded.effective_from, "
                              "effective_to = excluded.effective_to, "
                              "target_dispatch_on_time = excluded.target_dispatch_on_time, "
                              "target_arrival_on_time = excluded.target_arrival_on_time, "
                              "target_document_accuracy = excluded.target_document_accuracy, "
                              "target_order_accuracy = excluded.target_order_accuracy, "
                              "target_damage = excluded.target_damage, target_shortage = excluded.target_shortage, "
                              "target_incident = excluded.target_incident, target_otif = excluded.target_otif, "
                              "dispatch_grace_min = excluded.dispatch_grace_min, "
                              "delivery_grace_min = excluded.delivery_grace_min, "
                              "claim_ack_days = excluded.claim_ack_days, claim_resolve_days = excluded.claim_resolve_days",
                              error);
  if (stmt == NULL)
    goto fail;
  kl_bind_text (stmt, 1, a->id);
  kl_bind_text (stmt, 2, a->customer_id);
  kl_bind_text (stmt, 3, a->effective_from);
  kl_bind_text (stmt, 4, a->effective_to);
  for (guint r = 0; r < KL_N_RATES; r++)
    {
      if (isnan (a->targets[r]))
        sqlite3_bind_null (stmt, 5 + r);
      else
        sqlite3_bind_double (stmt, 5 + r, a->targets[r]);
    }
  sqlite3_bind_int (stmt, 13, a->dispatch_grace_min);
  sqlite3_bind_int (stmt, 14, a->delivery_grace_min);
  sqlite3_bind_int (stmt, 15, a->claim_ack_days);
  sqlite3_bind_int (stmt, 16, a->claim_resolve_days);
  if (!kl_database_step_done (db, stmt, error))
    goto fail;
  if (!kl_rollup_rebuild (db, a->customer_id, error) ||
      !_kl_customer_store_touch (db, a->customer_id, "agreement", error))
    goto fail;
  return kl_database_commit (db, error);

fail:
  kl_database_rollback (db);
  if (is_new)
    g_clear_pointer (&a->id, g_free);
  return FALSE;
}

gboolean
kl_agreement_store_delete (KlDatabase  *db,
                           const char  *id,
                           GError     **error)
{
  g_autoptr(KlAgreement) a = kl_agreement_store_get (db, id, error);
  sqlite3_stmt *stmt;

  if (a == NULL)
    return FALSE;
  if (!kl_database_begin (db, error))
    return FALSE;
  stmt = kl_database_prepare (db, "DELETE FROM agreements WHERE id = ?", error);
  if (stmt == NULL)
    goto fail;
  kl_bind_text (stmt, 1, id);
  if (!kl_database_step_done (db, stmt, error))
    goto fail;
  if (!kl_rollup_rebuild (db, a->customer_id, error) ||
      !_kl_customer_store_touch (db, a->customer_id, "agreement", error))
    goto fail;
  return kl_database_commit (db, error);

fail:
  kl_database_rollback (db);
  return FALSE;
}

/* The grace-minutes cache.
 *
 * Importing shipments asks for the grace minutes of the same few customers
 * thousands of times in a row, so the periods are kept per connection. The
 * cache follows the agreements table by itself, whoever writes it:
 *  - a temporary trigger on the connection calls back into the cache on
 *    every insert, update or delete of an agreement (this store's saves,
 *    the demo clearing a workspace, anything else on this connection);
 *  - a rollback drops everything, since rows read inside the transaction
 *    may be gone;
 *  - PRAGMA data_version tells about commits by other processes.
 * So no caller has to clear it by hand. */

typedef struct {
  char *from;   /* YYYY-MM-DD */
  char *to;     /* NULL: open-ended */
  int   dispatch_grace;
  int   delivery_grace;
} GracePeriod;

typedef struct {
  sqlite3    *handle;        /* the connection the hooks are set on */
  GHashTable *periods;       /* customer id → GArray of GracePeriod, newest first */
  gboolean    armed;         /* the temporary triggers exist */
  gboolean    have_version;
  gint64      data_version;
} KlGraceCache;

/* One cache per open workspace connection, dropped with the KlDatabase. */
static GMutex      grace_caches_lock;
static GHashTable *grace_caches;   /* KlDatabase* → KlGraceCache* */

static void
grace_period_clear (gpointer data)
{
  GracePeriod *p = data;

  g_free (p->from);
  g_free (p->to);
}

static void
grace_cache_invalidate (KlGraceCache *cache)
{
  g_hash_table_remove_all (cache->periods);
}

static void
grace_cache_on_rollback (void *data)
{
  KlGraceCache *cache = data;

  /* The triggers may have been created in the rolled-back transaction. */
  cache->armed = FALSE;
  grace_cache_invalidate (cache);
}

static void
grace_cache_on_change (sqlite3_context  *context,
                       int               argc,
                       sqlite3_value   **argv)
{
  (void) argc;
  (void) argv;
  grace_cache_invalidate (sqlite3_user_data (context));
  sqlite3_result_null (context);
}

static void
grace_cache_free (KlGraceCache *cache)
{
  sqlite3_rollback_hook (cache->handle, NULL, NULL);
  sqlite3_create_function_v2 (cache->handle, "kl_agreements_changed", 0, SQLITE_UTF8, NULL,
                              NULL, NULL, NULL, NULL);
  g_hash_table_unref (cache->periods);
  g_free (cache);
}

static void
grace_cache_drop (gpointer  data,
                  GObject  *where_the_db_was)
{
  KlGraceCache *cache;

  (void) data;
  g_mutex_lock (&grace_caches_lock);
  cache = g_hash_table_lookup (grace_caches, where_the_db_was);
  g_hash_table_remove (grace_caches, where_the_db_was);
  g_mutex_unlock (&grace_caches_lock);
  if (cache != NULL)
    grace_cache_free (cache);
}

static KlGraceCache *
grace_cache_get (KlDatabase *db)
{
  KlGraceCache *cache;

  g_mutex_lock (&grace_caches_lock);
  if (grace_caches == NULL)
    grace_caches = g_hash_table_new (NULL, NULL);
  cache = g_hash_table_lookup (grace_caches, db);
  if (cache == NULL)
    {
      cache = g_new0 (KlGraceCache, 1);
      cache->handle = kl_database_get_handle (db);
      cache->periods = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                              (GDestroyNotify) g_array_unref);
      sqlite3_rollback_hook (cache->handle, grace_cache_on_rollback, cache);
      /* SQLite refuses a new function while any statement of the
       * connection is running, so this happens when the workspace opens
       * (see _kl_agreement_store_watch ()), not at the first look-up. */
      if (sqlite3_create_function_v2 (cache->handle, "kl_agreements_changed", 0,
                                      SQLITE_UTF8, cache,
                                      grace_cache_on_change, NULL, NULL, NULL) != SQLITE_OK)
        g_warning ("Cannot watch service agreements: %s", sqlite3_errmsg (cache->handle));
      g_hash_table_insert (grace_caches, db, cache);
      g_object_weak_ref (G_OBJECT (db), grace_cache_drop, NULL);
    }
  g_mutex_unlock (&grace_caches_lock);
  return cache;
}

void
_kl_agreement_store_watch (KlDatabase *db)
{
  g_assert (KL_IS_DATABASE (db));
  grace_cache_get (db);
}

/* Installs the triggers (once per connection, again after a rollback) and
 * drops what another process may have changed. */
static gboolean
grace_cache_validate (KlDatabase    *db,
                      KlGraceCache  *cache,
                      GError       **error)
{
  sqlite3_stmt *stmt;
  gint64 version;

  if (!cache->armed)
    {
      grace_cache_invalidate (cache);
      if (!kl_database_exec (db,
                             "CREATE TEMP TRIGGER IF NOT EXISTS kl_agreements_inserted AFTER INSERT ON main.agreements "
                             "BEGIN SELECT kl_agreements_changed (); END; "
                             "CREATE TEMP TRIGGER IF NOT EXISTS kl_agreements_updated AFTER UPDATE ON main.agreements "
                             "BEGIN SELECT kl_agreements_changed (); END; "
                             "CREATE TEMP TRIGGER IF NOT EXISTS kl_agreements_deleted AFTER DELETE ON main.agreements "
                             "BEGIN SELECT kl_agreements_changed (); END;",
                             error))
        return FALSE;
      cache->armed = TRUE;
    }

  stmt = kl_database_prepare (db, "PRAGMA data_version", error);
  if (stmt == NULL)
    return FALSE;
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      sqlite3_reset (stmt);
      return kl_database_set_error (db, error, _("Reading service agreements"));
    }
  version = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  if (!cache->have_version || version != cache->data_version)
    grace_cache_invalidate (cache);
  cache->data_version = version;
  cache->have_version = TRUE;
  return TRUE;
}

static GArray *
grace_periods_load (KlDatabase  *db,
                    const char  *customer_id,
                    GError     **error)
{
  sqlite3_stmt *stmt;
  g_autoptr(GArray) periods = NULL;
  int rc;

  stmt = kl_database_prepare (db,
                              "SELECT effective_from, effective_to, dispatch_grace_min, delivery_grace_min "
                              "FROM agreements WHERE customer_id = ? ORDER BY effective_from DESC",
                              error);
  if (stmt == NULL)
    return NULL;
  kl_bind_text (stmt, 1, customer_id);

  periods = g_array_new (FALSE, TRUE, sizeof (GracePeriod));
  g_array_set_clear_func (periods, grace_period_clear);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      GracePeriod p = {
        kl_column_dup_text (stmt, 0),
        kl_column_dup_text (stmt, 1),
        sqlite3_column_int (stmt, 2),
        sqlite3_column_int (stmt, 3),
      };
      g_array_append_val (periods, p);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      kl_database_set_error (db, error, _("Reading service agreements"));
      return NULL;
    }
  return g_steal_pointer (&periods);
}

gboolean
_kl_agreement_store_grace (KlDatabase  *db,
                           const char  *customer_id,
                           const char  *date,
                           int         *out_dispatch,
                           int         *out_delivery,
                           GError     **error)
{
  KlGraceCache *cache;
  GArray *periods;

  g_assert (KL_IS_DATABASE (db));
  g_assert (customer_id != NULL && date != NULL);

  *out_dispatch = 0;
  *out_delivery = 0;

  cache = grace_cache_get (db);
  if (!grace_cache_validate (db, cache, error))
    return FALSE;
  periods = g_hash_table_lookup (cache->periods, customer_id);
  if (periods == NULL)
    {
      periods = grace_periods_load (db, customer_id, error);
      if (periods == NULL)
        return FALSE;
      g_hash_table_insert (cache->periods, g_strdup (customer_id), periods);
    }

  for (guint i = 0; i < periods->len; i++)
    {
      GracePeriod *p = &g_array_index (periods, GracePeriod, i);

      if (strcmp (p->from, date) <= 0 && (p->to == NULL || strcmp (date, p->to) <= 0))
        {
          *out_dispatch = p->dispatch_grace;
          *out_delivery = p->delivery_grace;
          break;
        }
    }
  return TRUE;
}

guint
_kl_agreement_store_grace_cached (KlDatabase *db)
{
  KlGraceCache *cache;

  g_mutex_lock (&grace_caches_lock);
  cache = grace_caches != NULL ? g_hash_table_lookup (grace_caches, db) : NULL;
  g_mutex_unlock (&grace_caches_lock);
  return cache != NULL ? g_hash_table_size (cache->periods) : 0;
}
