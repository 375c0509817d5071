/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The backend-neutral part of the store: values, the URL dispatcher. */
#include "config.h"

#include <string.h>

#include "kl-server-store.h"

G_DEFINE_QUARK (kl-server-store-error-quark, kl_server_store_error)

static const char * const collection_names[] = { "customers", "shipments", "claims" };

const char *
kl_server_collection_to_string (KlServerCollection collection)
{
  g_return_val_if_fail (collection < KL_SERVER_N_COLLECTIONS, NULL);
  return collection_names[collection];
}

gboolean
kl_server_collection_from_string (const char *name, KlServerCollection *out)
{
  for (guint i = 0; i < KL_SERVER_N_COLLECTIONS; i++)
    if (g_strcmp0 (name, collection_names[i]) == 0)
      {
        *out = (KlServerCollection) i;
        return TRUE;
      }
  return FALSE;
}

const char *
kl_server_role_to_string (KlServerRole role)
{
  return role == KL_SERVER_ROLE_LEAD ? "lead" : "kam";
}

gboolean
kl_server_role_from_string (const char *name, KlServerRole *out)
{
  if (g_strcmp0 (name, "kam") == 0)
    *out = KL_SERVER_ROLE_KAM;
  else if (g_strcmp0 (name, "lead") == 0)
    *out = KL_SERVER_ROLE_LEAD;
  else
    return FALSE;
  return TRUE;
}

KlServerUser *
kl_server_user_copy (const KlServerUser *user)
{
  KlServerUser *copy = g_new0 (KlServerUser, 1);
  copy->name = g_strdup (user->name);
  copy->display_name = g_strdup (user->display_name);
  copy->role = user->role;
  copy->created_at = user->created_at;
  return copy;
}

void
kl_server_user_free (KlServerUser *user)
{
  if (user == NULL)
    return;
  g_free (user->name);
  g_free (user->display_name);
  g_free (user);
}

void
kl_server_token_free (KlServerToken *token)
{
  if (token == NULL)
    return;
  g_free (token->id);
  g_free (token->user);
  g_free (token);
}

KlServerRecord *
kl_server_record_new (void)
{
  return g_new0 (KlServerRecord, 1);
}

KlServerRecord *
kl_server_record_copy (const KlServerRecord *record)
{
  KlServerRecord *copy = g_new0 (KlServerRecord, 1);
  *copy = *record;
  copy->id = g_strdup (record->id);
  copy->key = g_strdup (record->key);
  copy->account_id = g_strdup (record->account_id);
  copy->account_manager = g_strdup (record->account_manager);
  copy->body = g_strdup (record->body);
  return copy;
}

void
kl_server_record_free (KlServerRecord *record)
{
  if (record == NULL)
    return;
  g_free (record->id);
  g_free (record->key);
  g_free (record->account_id);
  g_free (record->account_manager);
  g_free (record->body);
  g_free (record);
}

void
kl_server_idempotency_free (KlServerIdempotency *idem)
{
  if (idem == NULL)
    return;
  g_free (idem->key);
  g_free (idem->user);
  g_free (idem->request);
  g_free (idem->request_hash);
  g_free (idem->response);
  g_free (idem);
}

KlServerStore *
kl_server_store_open (const char *url, GError **error)
{
  g_return_val_if_fail (url != NULL, NULL);

  if (g_str_has_prefix (url, "sqlite:"))
    {
      const char *path = url + strlen ("sqlite:");
      /* sqlite:///abs/path and sqlite://rel are accepted too. */
      if (g_str_has_prefix (path, "//"))
        path += 2;
      if (*path == '\0')
        {
          g_set_error (error, KL_SERVER_STORE_ERROR, KL_SERVER_STORE_ERROR_URL,
                       "--database %s names no file; give sqlite:PATH", url);
          return NULL;
        }
      return kl_server_store_sqlite_open (path, error);
    }
  if (g_str_has_prefix (url, "postgresql://") || g_str_has_prefix (url, "postgres://"))
    {
#ifdef KL_SERVER_HAVE_PG
      return kl_server_store_pg_open (url, error);
#else
      g_set_error (error, KL_SERVER_STORE_ERROR, KL_SERVER_STORE_ERROR_URL,
                   "--database %s: this keyline-server was built without PostgreSQL "
                   "(libpq); rebuild with libpq installed or use sqlite:PATH", "postgresql://…");
      return NULL;
#endif
    }
  g_set_error (error, KL_SERVER_STORE_ERROR, KL_SERVER_STORE_ERROR_URL,
               "--database %s is not understood; give sqlite:PATH or postgresql://HOST/DB", url);
  return NULL;
}

void
kl_server_store_close (KlServerStore *store)
{
  if (store == NULL)
    return;
  store->vtable->close (store);
}

gboolean
kl_server_store_begin (KlServerStore *store, GError **error)
{
  return store->vtable->begin (store, error);
}

gboolean
kl_server_store_commit (KlServerStore *store, GError **error)
{
  return store->vtable->commit (store, error);
}

void
kl_server_store_rollback (KlServerStore *store)
{
  store->vtable->rollback (store);
}

char *
kl_server_token_hash (const char *secret)
{
  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, secret, -1);
}
