/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The sync engine: see kl-sync-engine.h and docs/sync.md. */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "kl-agreement-store.h"
#include "kl-claim-lifecycle.h"
#include "kl-claim-store.h"
#include "kl-contact-store.h"
#include "kl-customer-store.h"
#include "kl-shipment-bulk.h"
#include "kl-shipment-store.h"
#include "kl-sync-decode.h"
#include "kl-sync-engine.h"
#include "kl-sync-store.h"

/* The writable fields of a customer, as api.yaml names them. */
static const char *const customer_fields[] = {
  "code", "name", "legal_name", "kind", "channel", "industry", "region", "account_manager",
  "relationship", "status", "tags", "notes", "contacts", "agreement", NULL
};

typedef struct {
  KlDatabase          *db;
  KlSyncClient        *client;
  const KlSyncOptions *options;
  KlSyncProgressFunc   progress;
  gpointer             progress_data;
  KlSyncStats         *stats;
  GCancellable        *cancellable;
  GHashTable          *customer_ids;   /* server id → local id, for shipments */
} Run;

static gboolean
cancelled (Run *run, GError **error)
{
  if (g_cancellable_is_cancelled (run->cancellable))
    {
      g_set_error (error, KL_SYNC_ERROR, KL_SYNC_ERROR_CANCELLED, _("The sync was cancelled"));
      return TRUE;
    }
  return FALSE;
}

/* JSON helpers */

static void
set_text (JsonObject *o, const char *name, const char *value)
{
  if (value != NULL)
    json_object_set_string_member (o, name, value);
  else
    json_object_set_null_member (o, name);
}

static gboolean
node_equal (JsonNode *a, JsonNode *b)
{
  g_autofree char *sa = NULL, *sb = NULL;

  if (a == NULL || b == NULL)
    return a == b || (a == NULL && JSON_NODE_HOLDS_NULL (b)) || (b == NULL && JSON_NODE_HOLDS_NULL (a));
  if (json_node_equal (a, b))
    return TRUE;
  /* 1 and 1.0, and objects whose members come in another order */
  if (JSON_NODE_HOLDS_VALUE (a) && JSON_NODE_HOLDS_VALUE (b))
    {
      GType ta = json_node_get_value_type (a), tb = json_node_get_value_type (b);

      if ((ta == G_TYPE_INT64 || ta == G_TYPE_DOUBLE) && (tb == G_TYPE_INT64 || tb == G_TYPE_DOUBLE))
        return fabs (json_node_get_double (a) - json_node_get_double (b)) < 1e-9;
    }
  return FALSE;
}

static JsonNode *
member (JsonObject *o, const char *name)
{
  return o != NULL ? json_object_get_member (o, name) : NULL;
}

static JsonNode *
parse_json (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();

  if (text == NULL || !json_parser_load_from_data (parser, text, -1, NULL) || json_parser_get_root (parser) == NULL)
    return NULL;
  return json_node_ref (json_parser_get_root (parser));
}

static char *
node_text (JsonNode *node)
{
  if (node == NULL)
    return g_strdup ("null");
  return json_to_string (node, FALSE);
}

static char *
object_text (JsonObject *o)
{
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), o);

  return json_to_string (node, FALSE);
}

/* Customers as the API sees them */

static JsonObject *
agreement_to_api (const KlAgreement *a)
{
  JsonObject *o = json_object_new ();
  JsonObject *targets = json_object_new ();

  json_object_set_string_member (o, "effective_from", a->effective_from);
  set_text (o, "effective_to", a->effective_to);
  for (int r = 0; r < KL_N_RATES; r++)
    if (!isnan (a->targets[r]))
      json_object_set_double_member (targets, kl_rate_to_key ((KlRate) r), a->targets[r]);
  json_object_set_object_member (o, "targets", targets);
  json_object_set_int_member (o, "dispatch_grace_min", a->dispatch_grace_min);
  json_object_set_int_member (o, "delivery_grace_min", a->delivery_grace_min);
  json_object_set_int_member (o, "claim_ack_days", a->claim_ack_days);
  json_object_set_int_member (o, "claim_resolve_days", a->claim_resolve_days);
  return o;
}

/* The newest agreement of a customer (the one in force or to come). */
static KlAgreement *
newest_agreement (KlDatabase *db, const char *customer_id, GError **error)
{
  g_autoptr(GPtrArray) list = kl_agreement_store_list (db, customer_id, error);
  KlAgreement *best = NULL;

  if (list == NULL)
    return NULL;
  for (guint i = 0; i < list->len; i++)
    {
      KlAgreement *a = g_ptr_array_index (list, i);

      if (best == NULL || g_strcmp0 (a->effective_from, best->effective_from) > 0)
        best = a;
    }
  return best ? kl_agreement_copy (best) : NULL;
}

/* The local customer as an api.yaml Customer's writable fields (and
 * deleted), or NULL when there is none. */
static JsonObject *
customer_to_api (KlDatabase  *db,
                 const char  *local_id,
                 GError     **error)
{
  g_autoptr(KlCustomer) c = kl_customer_store_get (db, local_id, NULL);
  g_autoptr(GPtrArray) contacts = NULL;
  g_autoptr(KlAgreement) agreement = NULL;
  g_autoptr(GError) local_error = NULL;
  JsonObject *o;
  JsonArray *tags, *list;

  if (c == NULL)
    return NULL;
  contacts = kl_contact_store_list (db, local_id, error);
  if (contacts == NULL)
    return NULL;
  agreement = newest_agreement (db, local_id, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  o = json_object_new ();
  json_object_set_string_member (o, "code", c->code);
  json_object_set_string_member (o, "name", c->name);
  set_text (o, "legal_name", c->legal_name);
  json_object_set_string_member (o, "kind", kl_customer_kind_to_string (c->kind));
  json_object_set_string_member (o, "channel", kl_channel_to_string (c->channel));
  set_text (o, "industry", c->industry);
  set_text (o, "region", c->region);
  set_text (o, "account_manager", c->account_manager);
  json_object_set_string_member (o, "relationship", kl_relationship_to_string (c->relationship));
  json_object_set_string_member (o, "status", kl_customer_status_to_string (c->status));
  tags = json_array_new ();
  for (guint i = 0; c->tags != NULL && c->tags[i] != NULL; i++)
    json_array_add_string_element (tags, c->tags[i]);
  json_object_set_array_member (o, "tags", tags);
  set_text (o, "notes", c->notes);
  list = json_array_new ();
  for (guint i = 0; i < contacts->len; i++)
    {
      KlContact *k = g_ptr_array_index (contacts, i);
      JsonObject *ko = json_object_new ();

      json_object_set_string_member (ko, "name", k->name);
      json_object_set_string_member (ko, "role", kl_contact_role_to_string (k->role));
      set_text (ko, "phone", k->phone);
      set_text (ko, "email", k->email);
      json_object_set_boolean_member (ko, "primary", k->primary);
      json_array_add_object_element (list, ko);
    }
  json_object_set_array_member (o, "contacts", list);
  if (agreement != NULL)
    json_object_set_object_member (o, "agreement", agreement_to_api (agreement));
  else
    json_object_set_null_member (o, "agreement");
  json_object_set_boolean_member (o, "deleted", c->deleted);
  return o;
}

static char *
opt_text (JsonObject *o, const char *name)
{
  JsonNode *n = member (o, name);

  return n != NULL && JSON_NODE_HOLDS_VALUE (n) ? g_strdup (json_node_get_string (n)) : NULL;
}

static gboolean
contacts_equal (JsonNode *a, JsonNode *b)
{
  JsonArray *x, *y;

  if (a == NULL || b == NULL || !JSON_NODE_HOLDS_ARRAY (a) || !JSON_NODE_HOLDS_ARRAY (b))
    return (a == NULL || !JSON_NODE_HOLDS_ARRAY (a) || json_array_get_length (json_node_get_array (a)) == 0) &&
           (b == NULL || !JSON_NODE_HOLDS_ARRAY (b) || json_array_get_length (json_node_get_array (b)) == 0);
  x = json_node_get_array (a);
  y = json_node_get_array (b);
  if (json_array_get_length (x) != json_array_get_length (y))
    return FALSE;
  for (guint i = 0; i < json_array_get_length (x); i++)
    {
      JsonObject *p = json_array_get_object_element (x, i), *q = json_array_get_object_element (y, i);
      const char *keys[] = { "name", "role", "phone", "email", "primary" };

      for (guint k = 0; k < G_N_ELEMENTS (keys); k++)
        if (!node_equal (member (p, keys[k]), member (q, keys[k])) &&
            !(g_str_equal (keys[k], "primary") && member (p, "primary") == NULL && member (q, "primary") != NULL &&
              !json_object_get_boolean_member (q, "primary")) &&
            !(g_str_equal (keys[k], "primary") && member (q, "primary") == NULL && member (p, "primary") != NULL &&
              !json_object_get_boolean_member (p, "primary")))
          return FALSE;
    }
  return TRUE;
}

static gboolean
field_equal (const char *field, JsonNode *a, JsonNode *b)
{
  if (g_str_equal (field, "contacts"))
    return contacts_equal (a, b);
  if (g_str_equal (field, "tags"))
    {
      gboolean ea = a == NULL || JSON_NODE_HOLDS_NULL (a) ||
                    (JSON_NODE_HOLDS_ARRAY (a) && json_array_get_length (json_node_get_array (a)) == 0);
      gboolean eb = b == NULL || JSON_NODE_HOLDS_NULL (b) ||
                    (JSON_NODE_HOLDS_ARRAY (b) && json_array_get_length (json_node_get_array (b)) == 0);

      if (ea || eb)
        return ea && eb;
    }
  if (g_str_equal (field, "agreement") && a != NULL && b != NULL &&
      JSON_NODE_HOLDS_OBJECT (a) && JSON_NODE_HOLDS_OBJECT (b))
    {
      JsonObject *x = json_node_get_object (a), *y = json_node_get_object (b);
      const char *keys[] = { "effective_from", "effective_to", "dispatch_grace_min", "delivery_grace_min",
                             "claim_ack_days", "claim_resolve_days" };
      JsonObject *tx, *ty;

      for (guint k = 0; k < G_N_ELEMENTS (keys); k++)
        if (!node_equal (member (x, keys[k]), member (y, keys[k])))
          return FALSE;
      tx = member (x, "targets") && JSON_NODE_HOLDS_OBJECT (member (x, "targets")) ? json_object_get_object_member (x, "targets") : NULL;
      ty = member (y, "targets") && JSON_NODE_HOLDS_OBJECT (member (y, "targets")) ? json_object_get_object_member (y, "targets") : NULL;
      for (int r = 0; r < KL_N_RATES; r++)
        if (!node_equal (member (tx, kl_rate_to_key ((KlRate) r)), member (ty, kl_rate_to_key ((KlRate) r))))
          return FALSE;
      return TRUE;
    }
  return node_equal (a, b);
}

/* Writes the API values of merged into the local customer local_id
 * (created with that id when missing), as the server's: nothing is queued.
 * *out_changed says whether the local copy changed. */
static gboolean
customer_write (KlDatabase  *db,
                const char  *local_id,
                JsonObject  *merged,
                gint64       revision,
                gboolean    *out_changed,
                GError     **error)
{
  g_autoptr(KlCustomer) c = kl_customer_store_get (db, local_id, NULL);
  g_autoptr(JsonObject) before = NULL;
  KlUpsertResult result = KL_UPSERT_UNCHANGED;
  gint64 mark = kl_sync_store_outbox_last (db, error);
  JsonNode *n;
  gboolean changed = FALSE;

  if (mark < 0)
    return FALSE;
  if (c != NULL)
    before = customer_to_api (db, local_id, NULL);
  else
    {
      c = kl_customer_new ();
      c->id = g_strdup (local_id);
    }

  g_free (c->code), c->code = opt_text (merged, "code");
  g_free (c->name), c->name = opt_text (merged, "name");
  g_free (c->legal_name), c->legal_name = opt_text (merged, "legal_name");
  g_free (c->industry), c->industry = opt_text (merged, "industry");
  g_free (c->region), c->region = opt_text (merged, "region");
  g_free (c->account_manager), c->account_manager = opt_text (merged, "account_manager");
  g_free (c->notes), c->notes = opt_text (merged, "notes");
  {
    g_autofree char *kind = opt_text (merged, "kind"), *channel = opt_text (merged, "channel");
    g_autofree char *rel = opt_text (merged, "relationship"), *status = opt_text (merged, "status");

    if (kind) kl_customer_kind_from_string (kind, &c->kind);
    if (channel) kl_channel_from_string (channel, &c->channel);
    if (rel) kl_relationship_from_string (rel, &c->relationship);
    if (status) kl_customer_status_from_string (status, &c->status);
  }
  g_strfreev (c->tags);
  c->tags = NULL;
  n = member (merged, "tags");
  if (n != NULL && JSON_NODE_HOLDS_ARRAY (n))
    {
      JsonArray *a = json_node_get_array (n);
      g_autoptr(GStrvBuilder) b = g_strv_builder_new ();

      for (guint i = 0; i < json_array_get_length (a); i++)
        g_strv_builder_add (b, json_array_get_string_element (a, i));
      c->tags = g_strv_builder_end (b);
    }
  c->deleted = json_object_get_boolean_member_with_default (merged, "deleted", FALSE);
  c->revision = revision;
  if (!kl_customer_store_save (db, c, KL_ORIGIN_SERVER, &result, error))
    return FALSE;
  changed = result != KL_UPSERT_UNCHANGED;

  /* contacts: replaced as a list when they differ */
  n = member (merged, "contacts");
  if (!contacts_equal (n, member (before, "contacts")) && !(before == NULL && (n == NULL ||
      json_array_get_length (json_node_get_array (n)) == 0)))
    {
      g_autoptr(GPtrArray) old = kl_contact_store_list (db, local_id, error);

      if (old == NULL)
        return FALSE;
      for (guint i = 0; i < old->len; i++)
        if (!kl_contact_store_delete (db, ((KlContact *) g_ptr_array_index (old, i))->id, error))
          return FALSE;
      for (guint i = 0; n != NULL && JSON_NODE_HOLDS_ARRAY (n) && i < json_array_get_length (json_node_get_array (n)); i++)
        {
          JsonObject *ko = json_array_get_object_element (json_node_get_array (n), i);
          g_autoptr(KlContact) k = kl_contact_new ();
          g_autofree char *role = opt_text (ko, "role");

          k->customer_id = g_strdup (local_id);
          k->name = opt_text (ko, "name");
          if (k->name == NULL)
            k->name = g_strdup ("?");
          k->role = KL_CONTACT_ROLE_OTHER;
          if (role)
            kl_contact_role_from_string (role, &k->role);
          k->phone = opt_text (ko, "phone");
          k->email = opt_text (ko, "email");
          k->primary = json_object_get_boolean_member_with_default (ko, "primary", FALSE);
          if (!kl_contact_store_save (db, k, error))
            return FALSE;
        }
      changed = TRUE;
    }

  /* the agreement in force: saved over the local one from the same date */
  n = member (merged, "agreement");
  if (n != NULL && JSON_NODE_HOLDS_OBJECT (n) && !field_equal ("agreement", n, member (before, "agreement")))
    {
      JsonObject *ao = json_node_get_object (n);
      g_autoptr(GPtrArray) list = kl_agreement_store_list (db, local_id, error);
      g_autoptr(KlAgreement) a = NULL;
      g_autofree char *from = opt_text (ao, "effective_from");
      JsonObject *targets = member (ao, "targets") && JSON_NODE_HOLDS_OBJECT (member (ao, "targets"))
                            ? json_object_get_object_member (ao, "targets") : NULL;

      if (list == NULL)
        return FALSE;
      for (guint i = 0; i < list->len && a == NULL; i++)
        if (g_strcmp0 (((KlAgreement *) g_ptr_array_index (list, i))->effective_from, from) == 0)
          a = kl_agreement_copy (g_ptr_array_index (list, i));
      if (a == NULL)
        {
          a = kl_agreement_new ();
          a->customer_id = g_strdup (local_id);
          a->effective_from = g_strdup (from);
        }
      g_free (a->effective_to);
      a->effective_to = opt_text (ao, "effective_to");
      for (int r = 0; r < KL_N_RATES; r++)
        {
          JsonNode *t = member (targets, kl_rate_to_key ((KlRate) r));

          a->targets[r] = t != NULL && JSON_NODE_HOLDS_VALUE (t) ? json_node_get_double (t) : NAN;
        }
      a->dispatch_grace_min = (int) json_object_get_int_member_with_default (ao, "dispatch_grace_min", 0);
      a->delivery_grace_min = (int) json_object_get_int_member_with_default (ao, "delivery_grace_min", 0);
      a->claim_ack_days = (int) json_object_get_int_member_with_default (ao, "claim_ack_days", 30);
      a->claim_resolve_days = (int) json_object_get_int_member_with_default (ao, "claim_resolve_days", 120);
      if (!kl_agreement_store_save (db, a, error))
        return FALSE;
      changed = TRUE;
    }

  /* The stores queue what they write; what the server sent is not ours to
   * push back. */
  if (!kl_sync_store_outbox_drop_after (db, NULL, mark, error))
    return FALSE;
  if (out_changed)
    *out_changed = changed;
  return TRUE;
}

/* A three-way merge of one record: local (our copy), base (the server's
 * version we edited, or NULL: matched by code, no common past) and server
 * (its version now). Fills merged (what the local copy should show) and
 * conflicts (a JSON array of {field, local, server}); *out_pending says
 * whether local values remain that the server does not have. */
static void
merge_customer (JsonObject  *local,
                JsonObject  *base,
                JsonObject  *server,
                GHashTable  *open_fields,
                JsonObject  *merged,
                JsonArray   *conflicts,
                gboolean    *out_pending)
{
  *out_pending = FALSE;
  for (guint i = 0; customer_fields[i]; i++)
    {
      const char *f = customer_fields[i];
      JsonNode *l = member (local, f), *s = member (server, f), *b = member (base, f);
      gboolean local_changed = base != NULL ? !field_equal (f, l, b) : !field_equal (f, l, s);

      if (!local_changed || field_equal (f, l, s))
        {
          if (s != NULL)
            json_object_set_member (merged, f, json_node_copy (s));
          else
            json_object_set_null_member (merged, f);
          continue;
        }
      json_object_set_member (merged, f, l ? json_node_copy (l) : json_node_new (JSON_NODE_NULL));
      *out_pending = TRUE;
      /* Only we changed it: it is re-sent. A field already in conflict
       * stays so until the user decides, or both sides agree. */
      if (base != NULL && field_equal (f, s, b) &&
          (open_fields == NULL || !g_hash_table_contains (open_fields, f)))
        continue;
      {
        JsonObject *c = json_object_new ();

        json_object_set_string_member (c, "field", f);
        json_object_set_member (c, "local", l ? json_node_copy (l) : json_node_new (JSON_NODE_NULL));
        json_object_set_member (c, "server", s ? json_node_copy (s) : json_node_new (JSON_NODE_NULL));
        json_array_add_object_element (conflicts, c);
      }
    }
  json_object_set_boolean_member (merged, "deleted",
                                  json_object_get_boolean_member_with_default (local, "deleted", FALSE) &&
                                  !json_object_get_boolean_member_with_default (server, "deleted", FALSE)
                                  ? TRUE : json_object_get_boolean_member_with_default (server, "deleted", FALSE));
  if (json_object_get_boolean_member_with_default (local, "deleted", FALSE) !=
      json_object_get_boolean_member_with_default (server, "deleted", FALSE) &&
      json_object_get_boolean_member_with_default (local, "deleted", FALSE))
    *out_pending = TRUE;
}

/* After a field merge: records the fields changed on both sides as the record's
 * conflict, or, when none are left, removes a field conflict kept from before. */
static gboolean
field_conflicts_store (KlDatabase  *db,
                       const char  *collection,
                       const char  *local_id,
                       const char  *server_text,
                       JsonArray   *conflicts,
                       GError     **error)
{
  g_autoptr(KlSyncConflict) open = NULL;

  if (json_array_get_length (conflicts) > 0)
    {
      g_autoptr(JsonNode) node = json_node_init_array (json_node_alloc (), conflicts);
      g_autofree char *fields = json_to_string (node, FALSE);
      KlSyncConflict c = { (char *) collection, (char *) local_id, (char *) "conflict",
                           _("Changed here and on the server"), (char *) server_text, fields, 0 };

      return kl_sync_store_conflict_set (db, &c, error);
    }
  open = kl_sync_store_conflict_get (db, collection, local_id, NULL);
  if (open != NULL && g_str_equal (open->reason, "conflict"))
    return kl_sync_store_conflict_remove (db, collection, local_id, error);
  return TRUE;
}

/* After a field merge, or a field-by-field resolution: the record's queue
 * follows what is left to push. Local values the server lacks (pending)
 * keep one update queued, over the server's revision; nothing pending and
 * no conflict empties the record's queue. Customers and claims alike. */
static gboolean
merge_queue (KlDatabase  *db,
             const char  *collection,
             const char  *local_id,
             gboolean     pending,
             guint        n_conflicts,
             gint64       revision,
             GError     **error)
{
  if (!pending && n_conflicts == 0 &&
      kl_sync_store_outbox_remove (db, collection, local_id, G_MAXINT64, error) < 0)
    return FALSE;
  if (pending && !kl_sync_store_outbox_pending (db, collection, local_id) &&
      !kl_database_outbox_add (db, collection, local_id, "update", NULL, revision, error))
    return FALSE;
  return TRUE;
}

/* In a field-by-field resolution: whether field keeps the local value, as
 * choices (field → "local"/"server", may be NULL) names it, else as
 * keep_local says. */
static gboolean
choice_is_local (GHashTable *choices,
                 const char *field,
                 gboolean    keep_local)
{
  const char *choice = choices ? g_hash_table_lookup (choices, field) : NULL;

  return choice ? g_str_equal (choice, "local") : keep_local;
}

/* Takes a server customer into a local one that has unpushed changes (or
 * none), keeping local values and recording true conflicts. */
static gboolean
customer_merge_in (Run         *run,
                   const char  *local_id,
                   JsonObject  *base,
                   JsonObject  *server,
                   gboolean    *out_changed,
                   gboolean    *out_pending,
                   GError     **error)
{
  KlDatabase *db = run->db;
  g_autoptr(JsonObject) local = customer_to_api (db, local_id, error);
  g_autoptr(JsonObject) merged = json_object_new ();
  g_autoptr(JsonArray) conflicts = json_array_new ();
  const char *sid = json_object_get_string_member (server, "id");
  gint64 revision = json_object_get_int_member (server, "revision");
  g_autofree char *server_text = object_text (server);
  g_autoptr(GHashTable) open_fields = NULL;
  gboolean pending = FALSE;

  if (local == NULL)
    return FALSE;
  {
    g_autoptr(KlSyncConflict) open = kl_sync_store_conflict_get (db, "customers", local_id, NULL);
    g_autoptr(JsonNode) fields = open ? parse_json (open->fields) : NULL;

    if (fields != NULL && JSON_NODE_HOLDS_ARRAY (fields))
      {
        JsonArray *a = json_node_get_array (fields);

        open_fields = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
        for (guint i = 0; i < json_array_get_length (a); i++)
          g_hash_table_add (open_fields,
                            g_strdup (json_object_get_string_member_with_default (json_array_get_object_element (a, i),
                                                                                  "field", "")));
      }
  }
  merge_customer (local, base, server, open_fields, merged, conflicts, &pending);
  if (!customer_write (db, local_id, merged, revision, out_changed, error) ||
      !kl_sync_store_record_set (db, "customers", local_id, sid, revision, server_text, error))
    return FALSE;
  if (!field_conflicts_store (db, "customers", local_id, server_text, conflicts, error) ||
      !merge_queue (db, "customers", local_id, pending, json_array_get_length (conflicts), revision, error))
    return FALSE;
  if (out_pending)
    *out_pending = pending;
  return TRUE;
}

/* Pull */

static gboolean
customer_tombstone (Run         *run,
                    JsonObject  *item,
                    GError     **error)
{
  const char *sid = json_object_get_string_member (item, "id");
  g_autoptr(KlSyncRecord) rec = kl_sync_store_record_by_server (run->db, "customers", sid, error);
  g_autofree char *local_id = NULL;
  g_autoptr(KlCustomer) c = NULL;

  if (rec == NULL)
    {
      if (error && *error)
        return FALSE;
      c = kl_customer_store_get (run->db, sid, NULL);
      if (c == NULL)
        return TRUE;   /* never had it */
      local_id = g_strdup (sid);
    }
  else
    local_id = g_strdup (rec->local_id);
  if (c == NULL)
    c = kl_customer_store_get (run->db, local_id, NULL);

  if (kl_sync_store_outbox_pending (run->db, "customers", local_id))
    {
      /* Edited here, removed there: the user decides. */
      KlSyncConflict k = { (char *) "customers", local_id, (char *) "gone",
                           _("Removed on the server while changed here"), NULL, NULL, 0 };

      return kl_sync_store_conflict_set (run->db, &k, error);
    }
  if (c != NULL && !c->deleted)
    {
      if (!kl_sync_store_customer_remove (run->db, local_id, error))
        return FALSE;
      run->stats->pulled++;
    }
  return kl_sync_store_record_remove (run->db, "customers", local_id, error);
}

static gboolean
customer_pulled (Run         *run,
                 JsonObject  *item,
                 GError     **error)
{
  KlDatabase *db = run->db;
  const char *sid = json_object_get_string_member (item, "id");
  gint64 revision = json_object_get_int_member (item, "revision");
  g_autoptr(KlSyncRecord) rec = NULL;
  g_autoptr(KlCustomer) by_id = NULL;
  g_autofree char *local_id = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GError) local_error = NULL;
  gboolean changed = FALSE;

  rec = kl_sync_store_record_by_server (db, "customers", sid, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (rec != NULL)
    local_id = g_strdup (rec->local_id);
  else if ((by_id = kl_customer_store_get (db, sid, NULL)) != NULL)
    local_id = g_strdup (sid);
  else
    {
      local_id = kl_sync_store_customer_by_code (db, json_object_get_string_member (item, "code"), &local_error);
      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
    }

  /* Another local record may hold the code (renamed on the server). */
  {
    g_autofree char *holder = kl_sync_store_customer_by_code (db, json_object_get_string_member (item, "code"), NULL);

    if (holder != NULL && local_id != NULL && g_strcmp0 (holder, local_id) != 0)
      {
        g_set_error (error, KL_SYNC_ERROR, KL_SYNC_ERROR_DATA,
                     _("The server sent customers record %s with the code “%s”, which another local customer holds; "
                       "rename one of them and sync again"),
                     sid, json_object_get_string_member (item, "code"));
        return FALSE;
      }
  }

  if (local_id == NULL)
    {
      local_id = g_strdup (sid);
      if (!customer_write (db, local_id, item, revision, &changed, error))
        return FALSE;
      text = object_text (item);
      if (!kl_sync_store_record_set (db, "customers", local_id, sid, revision, text, error))
        return FALSE;
      run->stats->pulled++;
    }
  else
    {
      g_autoptr(JsonNode) base = rec ? parse_json (rec->base) : NULL;
      g_autoptr(KlSyncConflict) open = kl_sync_store_conflict_get (db, "customers", local_id, NULL);
      gboolean pending = kl_sync_store_outbox_pending (db, "customers", local_id) || open != NULL;

      if (pending)
        {
          if (!customer_merge_in (run, local_id, base && JSON_NODE_HOLDS_OBJECT (base) ? json_node_get_object (base) : NULL,
                                  item, &changed, NULL, error))
            return FALSE;
        }
      else
        {
          if (!customer_write (db, local_id, item, revision, &changed, error))
            return FALSE;
          text = object_text (item);
          if (!kl_sync_store_record_set (db, "customers", local_id, sid, revision, text, error))
            return FALSE;
        }
      if (changed)
        run->stats->pulled++;
    }
  g_hash_table_replace (run->customer_ids, g_strdup (sid), g_strdup (local_id));
  return TRUE;
}

static const char *local_customer_id (Run *run, const char *server_id, GError **error);

static char *
value_text (JsonNode *n, gboolean document)
{
  if (n == NULL || JSON_NODE_HOLDS_NULL (n))
    return NULL;
  if (JSON_NODE_HOLDS_VALUE (n) && json_node_get_value_type (n) == G_TYPE_STRING)
    return g_strdup (json_node_get_string (n));
  if (document && JSON_NODE_HOLDS_VALUE (n) && json_node_get_value_type (n) == G_TYPE_BOOLEAN)
    return g_strdup (json_node_get_boolean (n) ? "yes" : "no");
  return json_to_string (n, FALSE);
}

static gboolean
money (JsonObject *o, const char *name, gint64 *out, const char **currency)
{
  JsonNode *n = member (o, name);

  if (n == NULL || !JSON_NODE_HOLDS_OBJECT (n))
    return FALSE;
  *out = json_object_get_int_member (json_node_get_object (n), "amount_minor");
  if (*currency == NULL)
    *currency = json_object_get_string_member (json_node_get_object (n), "currency");
  return TRUE;
}

static gint64
opt_time (JsonObject *o, const char *name)
{
  JsonNode *n = member (o, name);
  gint64 t;

  if (n != NULL && JSON_NODE_HOLDS_VALUE (n) && kl_sync_parse_time (json_node_get_string (n), &t))
    return t;
  return KL_NO_TIME;
}

static const char *
opt_string (JsonObject *o, const char *name)
{
  JsonNode *n = member (o, name);

  return n != NULL && JSON_NODE_HOLDS_VALUE (n) && json_node_get_value_type (n) == G_TYPE_STRING
         ? json_node_get_string (n) : NULL;
}

static void
entry_free (KlSyncClaimEntry *e)
{
  g_free ((char *) e->field);
  g_free ((char *) e->old_value);
  g_free ((char *) e->new_value);
  g_free (e);
}

/* A Claim's history (api.yaml) as the workspace keeps it: a document's
 * field "document:NAME" with "yes"/"no", an entry without a time at the
 * filing's. A GPtrArray of KlSyncClaimEntry. */
static GPtrArray *
history_entries (JsonObject *o)
{
  GPtrArray *history = g_ptr_array_new_with_free_func ((GDestroyNotify) entry_free);
  JsonNode *n = member (o, "history");
  gint64 filed_at = opt_time (o, "filed_at");

  for (guint i = 0; n != NULL && JSON_NODE_HOLDS_ARRAY (n) && i < json_array_get_length (json_node_get_array (n)); i++)
    {
      JsonObject *h = json_array_get_object_element (json_node_get_array (n), i);
      KlSyncClaimEntry *e = g_new0 (KlSyncClaimEntry, 1);
      const char *field = opt_string (h, "field");
      gboolean document = g_strcmp0 (opt_string (h, "change"), "document") == 0;

      e->at = opt_time (h, "at");
      e->by = opt_string (h, "by");
      e->change = opt_string (h, "change");
      e->field = document && field != NULL && !g_str_has_prefix (field, "document:")
                 ? g_strconcat ("document:", field, NULL) : g_strdup (field);
      e->old_value = value_text (member (h, "from"), document);
      e->new_value = value_text (member (h, "to"), document);
      e->text = opt_string (h, "note");
      if (e->at == KL_NO_TIME)
        e->at = filed_at;
      g_ptr_array_add (history, e);
    }
  return history;
}

/* Claims: what the client may change (api.yaml's ClaimPatch, less reason
 * and note, which are not fields of the case). */
static const char *const claim_patch_fields[] = {
  "status", "approved", "paid", "owner", "root_cause", "corrective_action", "documents",
  "return_destination", "return_carrier", "return_label", "return_tracking", "outcome", NULL
};

static JsonObject *claim_to_api      (KlDatabase *db, const char *local_id, KlClaim **out_claim);
static gboolean    claim_field_equal (const char *f, JsonNode *a, JsonNode *b);

/* Notes: api.yaml lists the server's in a claim's `notes` and takes one
 * new note per patch (`note`). A local note is unpushed when no note of
 * the server's with its visibility and text is left to match it. */
static char *
note_key (const char *visibility, const char *text)
{
  return g_strdup_printf ("%s\x1f%s", g_strcmp0 (visibility, "client") == 0 ? "client" : "internal",
                          text ? text : "");
}

static GHashTable *
server_note_counts (JsonObject *server)
{
  GHashTable *counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  JsonNode *n = member (server, "notes");
  JsonArray *a = n != NULL && JSON_NODE_HOLDS_ARRAY (n) ? json_node_get_array (n) : NULL;

  for (guint i = 0; a != NULL && i < json_array_get_length (a); i++)
    {
      JsonNode *e = json_array_get_element (a, i);
      JsonObject *o = JSON_NODE_HOLDS_OBJECT (e) ? json_node_get_object (e) : NULL;
      char *key;

      if (o == NULL)
        continue;
      key = note_key (json_object_get_string_member_with_default (o, "visibility", "internal"),
                      json_object_get_string_member_with_default (o, "text", ""));
      g_hash_table_insert (counts, key, GINT_TO_POINTER (GPOINTER_TO_INT (g_hash_table_lookup (counts, key)) + 1));
    }
  return counts;
}

/* The local notes (oldest first) that server (a Claim, may be NULL) does
 * not hold; a GPtrArray of KlClaimNote. */
static GPtrArray *
unpushed_notes (KlDatabase *db, const char *local_id, JsonObject *server)
{
  g_autoptr(GPtrArray) notes = kl_claim_store_notes (db, local_id, FALSE, NULL);
  g_autoptr(GHashTable) counts = server_note_counts (server);
  GPtrArray *out = g_ptr_array_new_with_free_func ((GDestroyNotify) kl_claim_note_free);

  for (guint i = 0; notes != NULL && i < notes->len; i++)
    {
      KlClaimNote *n = g_ptr_array_index (notes, i);
      g_autofree char *key = note_key (n->visibility == KL_CLAIM_NOTE_CLIENT ? "client" : "internal", n->text);
      int have = GPOINTER_TO_INT (g_hash_table_lookup (counts, key));

      if (have > 0)
        g_hash_table_insert (counts, g_steal_pointer (&key), GINT_TO_POINTER (have - 1));
      else
        g_ptr_array_add (out, g_steal_pointer (&g_ptr_array_index (notes, i)));
    }
  return out;
}

static gboolean
has_unpushed_notes (KlDatabase *db, const char *local_id, JsonObject *server)
{
  g_autoptr(GPtrArray) left = unpushed_notes (db, local_id, server);

  return left->len > 0;
}

/* A three-way merge of a claim's writable fields, as merge_customer does
 * for customers: returns the server's record with the local values of
 * the fields changed only here (and of those changed on both sides, which
 * go into conflicts); *out_pending says whether local values remain that
 * the server does not have. A field choices names (field → "local" or
 * "server", the user's choice in a resolution) takes the value chosen. */
static JsonObject *
claim_merge (JsonObject  *local,
             JsonObject  *base,
             JsonObject  *server,
             GHashTable  *open_fields,
             GHashTable  *choices,
             JsonArray   *conflicts,
             gboolean    *out_pending)
{
  JsonObject *merged = json_object_new ();
  JsonObjectIter iter;
  const char *name;
  JsonNode *value;

  json_object_iter_init (&iter, server);
  while (json_object_iter_next (&iter, &name, &value))
    json_object_set_member (merged, name, json_node_copy (value));
  *out_pending = FALSE;
  for (guint i = 0; claim_patch_fields[i]; i++)
    {
      const char *f = claim_patch_fields[i];
      JsonNode *l = member (local, f), *s = member (server, f), *b = member (base, f);
      gboolean local_changed = base != NULL ? !claim_field_equal (f, l, b) : !claim_field_equal (f, l, s);

      if (choices != NULL && g_hash_table_contains (choices, f))
        {
          /* the user's choice (a field-by-field resolution): never a conflict */
          if (choice_is_local (choices, f, FALSE) && !claim_field_equal (f, l, s))
            {
              json_object_set_member (merged, f, l ? json_node_copy (l) : json_node_new (JSON_NODE_NULL));
              *out_pending = TRUE;
            }
          continue;
        }
      if (!local_changed || claim_field_equal (f, l, s))
        continue;   /* the server's value */
      json_object_set_member (merged, f, l ? json_node_copy (l) : json_node_new (JSON_NODE_NULL));
      *out_pending = TRUE;
      /* Only we changed it: it is pushed. A field in conflict stays so
       * until the user decides, or both sides agree. */
      if (base != NULL && claim_field_equal (f, s, b) &&
          (open_fields == NULL || !g_hash_table_contains (open_fields, f)))
        continue;
      {
        JsonObject *c = json_object_new ();

        json_object_set_string_member (c, "field", f);
        json_object_set_member (c, "local", l ? json_node_copy (l) : json_node_new (JSON_NODE_NULL));
        json_object_set_member (c, "server", s ? json_node_copy (s) : json_node_new (JSON_NODE_NULL));
        json_array_add_object_element (conflicts, c);
      }
    }
  return merged;
}

static GHashTable *
open_conflict_fields (KlDatabase *db, const char *collection, const char *local_id, gboolean *out_open)
{
  g_autoptr(KlSyncConflict) open = kl_sync_store_conflict_get (db, collection, local_id, NULL);
  g_autoptr(JsonNode) fields = open ? parse_json (open->fields) : NULL;
  GHashTable *set = NULL;

  *out_open = open != NULL;
  if (fields != NULL && JSON_NODE_HOLDS_ARRAY (fields))
    {
      JsonArray *a = json_node_get_array (fields);

      set = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      for (guint i = 0; i < json_array_get_length (a); i++)
        g_hash_table_add (set, g_strdup (json_object_get_string_member_with_default (json_array_get_object_element (a, i),
                                                                                       "field", "")));
    }
  return set;
}

/* A pulled claim: written as the server has it, or, when it has changes
 * here not yet pushed (or choices, the user's field by field), merged by
 * field with them. */
static gboolean
claim_take (Run         *run,
            JsonObject  *o,
            GHashTable  *choices,
            GError     **error)
{
  KlDatabase *db = run->db;
  const char *sid = json_object_get_string_member (o, "id");
  g_autoptr(KlSyncRecord) rec = kl_sync_store_record_by_server (db, "claims", sid, NULL);
  const char *local_id = rec ? rec->local_id : sid;
  g_autoptr(GPtrArray) history = NULL, seen = NULL;
  g_autoptr(JsonNode) seen_node = NULL;
  g_autoptr(GPtrArray) notes = g_ptr_array_new_with_free_func ((GDestroyNotify) entry_free);
  g_autofree char *text = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GHashTable) open_fields = NULL;
  g_autoptr(JsonObject) merged = NULL;
  g_autoptr(JsonArray) conflicts = NULL;
  JsonObject *server = o;
  KlSyncClaim c = { 0 };
  JsonNode *n;
  gboolean changed = FALSE, pending = FALSE;

  if (json_object_get_boolean_member (o, "deleted"))
    {
      if (rec == NULL)
        return TRUE;
      if (kl_sync_store_outbox_pending (db, "claims", local_id))
        {
          /* Changed here, removed there: the user decides. */
          KlSyncConflict k = { (char *) "claims", (char *) local_id, (char *) "gone",
                               _("Removed on the server while changed here"), NULL, NULL, 0 };

          return kl_sync_store_conflict_set (db, &k, error);
        }
      if (!kl_sync_store_claim_remove (db, local_id, error))
        return FALSE;
      run->stats->pulled++;
      return kl_sync_store_record_remove (db, "claims", local_id, error);
    }
  {
    gboolean open = FALSE;

    open_fields = open_conflict_fields (db, "claims", local_id, &open);
    if (open || choices != NULL || kl_sync_store_outbox_pending (db, "claims", local_id))
      {
        /* Changes here not yet pushed: merged by field (api.yaml), the
         * local values kept where only we changed them, and a conflict
         * only where both sides changed the same field. */
        g_autoptr(JsonNode) base_node = rec ? parse_json (rec->base) : NULL;
        g_autoptr(JsonObject) local = NULL;

        if (rec == NULL)
          return TRUE;   /* opened here, its create not yet accepted */
        local = claim_to_api (db, local_id, NULL);
        if (local == NULL)
          return TRUE;
        conflicts = json_array_new ();
        merged = claim_merge (local,
                              base_node && JSON_NODE_HOLDS_OBJECT (base_node) ? json_node_get_object (base_node) : NULL,
                              o, open_fields, choices, conflicts, &pending);
        o = merged;
      }
  }

  c.id = local_id;
  c.number = opt_string (o, "number");
  c.customer_id = local_customer_id (run, json_object_get_string_member (o, "customer_id"), &local_error);
  if (c.customer_id == NULL)
    {
      if (local_error != NULL)
        g_propagate_error (error, g_steal_pointer (&local_error));
      else
        g_set_error (error, KL_SYNC_ERROR, KL_SYNC_ERROR_DATA,
                     _("The server sent claims record %s with a field “customer_id” that breaks the API: "
                       "no customer %s came before it; nothing of that page was applied"),
                     sid, json_object_get_string_member (o, "customer_id"));
      return FALSE;
    }
  c.kind = opt_string (o, "kind");
  c.status = opt_string (o, "status");
  c.waybill = opt_string (o, "waybill");
  c.incident_date = opt_string (o, "incident_date");
  c.description = opt_string (o, "description");
  c.claimed_set = money (o, "claimed", &c.claimed, &c.currency);
  c.approved_set = money (o, "approved", &c.approved, &c.currency);
  c.paid_set = money (o, "paid", &c.paid, &c.currency);
  c.salvage_set = money (o, "salvage", &c.salvage, &c.currency);
  c.owner = opt_string (o, "owner");
  c.root_cause = opt_string (o, "root_cause");
  c.corrective_action = opt_string (o, "corrective_action");
  n = member (o, "documents");
  if (n != NULL && JSON_NODE_HOLDS_OBJECT (n))
    {
      JsonObjectIter iter;
      const char *k;
      JsonNode *v;

      json_object_iter_init (&iter, json_node_get_object (n));
      while (json_object_iter_next (&iter, &k, &v))
        {
          KlClaimDocument doc;

          if (json_node_get_boolean (v) && kl_claim_document_from_string (k, &doc))
            c.documents |= KL_CLAIM_DOCUMENT_BIT (doc);
        }
    }
  c.filed_at = opt_time (o, "filed_at");
  c.acknowledged_at = opt_time (o, "acknowledged_at");
  c.closed_at = opt_time (o, "closed_at");
  c.updated_at = opt_time (o, "updated_at");
  c.revision = json_object_get_int_member (o, "revision");
  c.return_destination = opt_string (o, "return_destination");
  c.label_carrier = opt_string (o, "return_carrier");
  c.label_number = opt_string (o, "return_label");
  c.return_tracking = opt_string (o, "return_tracking");
  c.outcome = opt_string (o, "outcome");

  history = history_entries (o);
  if (rec != NULL)
    {
      seen_node = parse_json (rec->base);
      if (seen_node != NULL && JSON_NODE_HOLDS_OBJECT (seen_node))
        seen = history_entries (json_node_get_object (seen_node));
    }
  n = member (o, "notes");
  for (guint i = 0; n != NULL && JSON_NODE_HOLDS_ARRAY (n) && i < json_array_get_length (json_node_get_array (n)); i++)
    {
      JsonObject *h = json_array_get_object_element (json_node_get_array (n), i);
      KlSyncClaimEntry *e = g_new0 (KlSyncClaimEntry, 1);

      e->at = opt_time (h, "at");
      e->by = opt_string (h, "by");
      e->text = opt_string (h, "text");
      e->visibility = opt_string (h, "visibility");
      if (e->at == KL_NO_TIME)
        e->at = c.filed_at;
      g_ptr_array_add (notes, e);
    }
  if (!kl_sync_store_claim_apply (db, &c, seen, history, notes, &changed, error))
    return FALSE;
  text = object_text (server);
  if (!kl_sync_store_record_set (db, "claims", local_id, sid, c.revision, text, error))
    return FALSE;
  if (merged != NULL)
    {
      /* The server's record is the base now: what still differs goes in
       * the next push, over its revision. */
      if (!field_conflicts_store (db, "claims", local_id, text, conflicts, error))
        return FALSE;
      if (has_unpushed_notes (db, local_id, server))
        pending = TRUE;
      if (!merge_queue (db, "claims", local_id, pending, json_array_get_length (conflicts), c.revision, error))
        return FALSE;
    }
  if (changed)
    run->stats->pulled++;
  return TRUE;
}

static gboolean
claim_pulled (Run         *run,
              JsonObject  *o,
              GError     **error)
{
  return claim_take (run, o, NULL, error);
}

static const char *
local_customer_id (Run         *run,
                   const char  *server_id,
                   GError     **error)
{
  const char *id = g_hash_table_lookup (run->customer_ids, server_id);
  g_autoptr(KlSyncRecord) rec = NULL;

  if (id != NULL)
    return id;
  rec = kl_sync_store_record_by_server (run->db, "customers", server_id, error);
  if (rec == NULL)
    return NULL;
  g_hash_table_replace (run->customer_ids, g_strdup (server_id), g_strdup (rec->local_id));
  return g_hash_table_lookup (run->customer_ids, server_id);
}

/* A page of shipments, checked whole and decoded on the thread that
 * fetched it (kl_sync_page_decode_shipments ()). */
static gboolean
shipments_apply (Run         *run,
                 GArray      *items,
                 GError     **error)
{
  KlDatabase *db = run->db;
  g_autoptr(KlShipmentBulk) bulk = kl_shipment_bulk_new (db, FALSE, error);

  if (bulk == NULL)
    return FALSE;
  for (guint i = 0; i < items->len; i++)
    {
      KlSyncShipment *item = &g_array_index (items, KlSyncShipment, i);
      const char *sid = item->shipment->id;

      if (item->deleted)
        {
          gboolean removed = FALSE;

          if (!kl_shipment_bulk_remove_by_uuid (bulk, sid, &removed, error))
            return FALSE;
          if (removed)
            run->stats->pulled++;
          continue;
        }
      {
        KlShipment *s = item->shipment;
        g_autoptr(GError) local_error = NULL;
        const char *customer;
        KlUpsertResult result;

        customer = local_customer_id (run, s->customer_id, &local_error);
        if (customer == NULL)
          {
            if (local_error != NULL)
              g_propagate_error (error, g_steal_pointer (&local_error));
            else
              g_set_error (error, KL_SYNC_ERROR, KL_SYNC_ERROR_DATA,
                           _("The server sent shipments record %s with a field “customer_id” that breaks the API: "
                             "no customer %s came before it; nothing of that page was applied"),
                           sid, s->customer_id);
            return FALSE;
          }
        {
          /* The local id, borrowed: the bulk writer keeps none of it. */
          KlShipment local = *s;

          local.customer_id = (char *) customer;
          if (!kl_shipment_bulk_add_synced (bulk, &local, &result, error))
            return FALSE;
        }
        if (result != KL_UPSERT_UNCHANGED)
          run->stats->pulled++;
        if (run->options->full && !kl_sync_store_seen_add (db, "shipments", sid, error))
          return FALSE;
      }
    }
  return kl_shipment_bulk_finish (bulk, error);
}

static gboolean
remove_unseen (Run         *run,
               const char  *collection,
               GError     **error)
{
  g_autoptr(GPtrArray) unseen = kl_sync_store_unseen (run->db, collection, error);

  if (unseen == NULL)
    return FALSE;
  for (guint i = 0; i < unseen->len; i++)
    {
      const char *id = g_ptr_array_index (unseen, i);

      if (g_str_equal (collection, "shipments"))
        {
          g_autoptr(KlShipment) old = kl_shipment_store_get (run->db, id, NULL);

          if (old != NULL && !kl_shipment_store_delete (run->db, id, error))
            return FALSE;
          if (old != NULL)
            run->stats->pulled++;
        }
      else if (g_str_equal (collection, "claims"))
        {
          if (!kl_sync_store_claim_remove (run->db, id, error) ||
              !kl_sync_store_record_remove (run->db, "claims", id, error))
            return FALSE;
          run->stats->pulled++;
        }
      else if (g_str_equal (collection, "customers"))
        {
          if (!kl_sync_store_customer_remove (run->db, id, error) ||
              !kl_sync_store_record_remove (run->db, "customers", id, error))
            return FALSE;
          run->stats->pulled++;
        }
    }
  return kl_sync_store_seen_clear (run->db, collection, error);
}

static char *
full_key (const char *collection)
{
  return g_strdup_printf ("sync.full.%s", collection);
}

/* One page's request, made (and checked) on the calling thread or on a
 * thread of its own beside the writes of the page before. */
typedef struct {
  KlSyncClient *client;
  GCancellable *cancellable;
  char         *collection;
  char         *path;
  KlSyncReply  *reply;
  KlSyncPage   *page;
  GError       *error;
} Fetch;

static Fetch *
fetch_new (Run        *run,
           const char *collection,
           const char *cursor)
{
  Fetch *f = g_new0 (Fetch, 1);
  GString *path = g_string_new ("/v1/");

  g_string_append (path, collection);
  g_string_append_printf (path, "?limit=%u", run->options->page_limit ? run->options->page_limit : 1000);
  if (cursor != NULL)
    {
      g_autofree char *escaped = g_uri_escape_string (cursor, NULL, FALSE);

      g_string_append_printf (path, "&cursor=%s", escaped);
    }
  f->client = run->client;
  f->cancellable = run->cancellable ? g_object_ref (run->cancellable) : NULL;
  f->collection = g_strdup (collection);
  f->path = g_string_free (path, FALSE);
  return f;
}

static void
fetch_free (Fetch *f)
{
  g_clear_object (&f->cancellable);
  g_free (f->collection);
  g_free (f->path);
  g_clear_pointer (&f->reply, kl_sync_reply_free);
  g_clear_pointer (&f->page, kl_sync_page_free);
  g_clear_error (&f->error);
  g_free (f);
}

static gpointer
fetch_page (gpointer data)
{
  Fetch *f = data;

  if (g_str_equal (f->collection, "shipments"))
    {
      /* A shipments page is read as it is scanned, checked whole and
       * decoded here, with no JSON tree (the tree cost most of a pull);
       * the applying thread only writes. */
      KlSyncPageRead read = { NULL, NULL };

      f->reply = kl_sync_client_get_with_reader (f->client, f->path, kl_sync_page_read_shipments, &read,
                                                 f->cancellable, &f->error);
      if (f->reply != NULL && f->reply->status == 200)
        {
          f->page = g_steal_pointer (&read.page);
          if (f->page == NULL)
            f->error = g_steal_pointer (&read.error);
        }
      kl_sync_page_read_clear (&read);
      return f;
    }
  f->reply = kl_sync_client_request (f->client, "GET", f->path, NULL, NULL, NULL, NULL, f->cancellable, &f->error);
  if (f->reply != NULL && f->reply->status == 200)
    f->page = kl_sync_decode_page (f->reply->json, f->collection, &f->error);
  return f;
}

static gboolean
pull_collection (Run         *run,
                 const char  *collection,
                 GError     **error)
{
  KlDatabase *db = run->db;
  g_autofree char *key = full_key (collection);
  g_autofree char *cursor = NULL;
  g_autofree char *in_full = kl_database_get_setting (db, key);
  gboolean full = run->options->full || (in_full != NULL && g_str_equal (in_full, "1"));
  gboolean restarted = FALSE;
  gint64 done = 0;
  KlSyncOptions opts = *run->options;
  const KlSyncOptions *saved = run->options;
  GThread *pending = NULL;

  if (run->options->full)
    {
      /* From scratch: forget the cursor and what an earlier full pull saw. */
      if (!kl_database_begin (db, error))
        return FALSE;
      if (!kl_sync_store_set_cursor (db, collection, NULL, error) ||
          !kl_sync_store_seen_clear (db, collection, error) ||
          !kl_database_set_setting (db, key, "1", error) ||
          !kl_database_commit (db, error))
        {
          kl_database_rollback (db);
          return FALSE;
        }
    }
  opts.full = full;
  run->options = &opts;
  cursor = kl_sync_store_get_cursor (db, collection);

  for (;;)
    {
      g_autoptr(KlSyncReply) reply = NULL;
      g_autoptr(KlSyncPage) page = NULL;
      Fetch *fetched;
      gboolean ok;

      if (cancelled (run, error))
        goto fail;
      /* The page asked for while the last one was applied, or this one now. */
      if (pending != NULL)
        fetched = g_thread_join (g_steal_pointer (&pending));
      else
        fetched = fetch_page (fetch_new (run, collection, cursor));
      reply = g_steal_pointer (&fetched->reply);
      page = g_steal_pointer (&fetched->page);
      if (fetched->error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&fetched->error));
          fetch_free (fetched);
          goto fail;
        }
      fetch_free (fetched);
      if (reply->status == 410 && !restarted)
        {
          /* The cursor expired: the whole collection again, keeping every
           * unpushed local edit. */
          g_debug ("%s: cursor expired, pulling from scratch", collection);
          restarted = TRUE;
          if (!kl_database_begin (db, error))
            goto fail;
          if (!kl_sync_store_set_cursor (db, collection, NULL, error) ||
              !kl_sync_store_seen_clear (db, collection, error) ||
              !kl_database_set_setting (db, key, "1", error) ||
              !kl_database_commit (db, error))
            {
              kl_database_rollback (db);
              goto fail;
            }
          g_clear_pointer (&cursor, g_free);
          opts.full = TRUE;
          continue;
        }
      if (reply->status != 200)
        {
          g_autofree char *problem = kl_sync_problem_text (reply->json);

          g_set_error (error, KL_SYNC_ERROR, reply->status == 410 ? KL_SYNC_ERROR_DATA : KL_SYNC_ERROR_REFUSED,
                       _("The server answered %u to a pull of %s%s%s"), reply->status, collection,
                       *problem ? ": " : "", problem);
          goto fail;
        }
      g_debug ("%s: reply parsed", collection);
      g_debug ("%s: page checked", collection);
      /* The next page is fetched and checked beside this one's writes. */
      if (page->has_more)
        pending = g_thread_new ("kl-sync-fetch", fetch_page, fetch_new (run, collection, page->next_cursor));

      /* The page and its cursor: one transaction. */
      if (!kl_database_begin (db, error))
        goto fail;
      ok = TRUE;
      if (g_str_equal (collection, "shipments"))
        ok = shipments_apply (run, page->shipments, error);
      else
        for (guint i = 0; ok && i < json_array_get_length (page->items); i++)
          {
            JsonObject *item = json_array_get_object_element (page->items, i);

            if (g_str_equal (collection, "claims"))
              {
                ok = claim_pulled (run, item, error);
                if (ok && run->options->full && !json_object_get_boolean_member (item, "deleted"))
                  ok = kl_sync_store_seen_add (db, collection, json_object_get_string_member (item, "id"), error);
              }
            else if (json_object_get_boolean_member (item, "deleted"))
              ok = customer_tombstone (run, item, error);
            else
              {
                ok = customer_pulled (run, item, error);
                if (ok && run->options->full)
                  ok = kl_sync_store_seen_add (db, collection, json_object_get_string_member (item, "id"), error);
              }
          }
      ok = ok && kl_sync_store_set_cursor (db, collection, page->next_cursor, error);
      if (ok && !page->has_more && run->options->full)
        ok = remove_unseen (run, collection, error) && kl_database_set_setting (db, key, "0", error);
      if (!ok || !kl_database_commit (db, error))
        {
          kl_database_rollback (db);
          goto fail;
        }
      g_debug ("%s: page applied", collection);
      done += page->n_items;
      if (run->progress)
        run->progress (collection, done, run->progress_data);
      g_free (cursor);
      cursor = g_strdup (page->next_cursor);
      if (!page->has_more)
        break;
    }
  run->options = saved;
  return TRUE;

fail:
  if (pending != NULL)
    fetch_free (g_thread_join (pending));
  run->options = saved;
  return FALSE;
}

/* Push */

static gboolean
record_refused (Run         *run,
                const char  *collection,
                const char  *local_id,
                const char  *reason,
                KlSyncReply *reply,
                GError     **error)
{
  g_autofree char *problem = kl_sync_problem_text (reply->json);
  g_autofree char *detail = g_strdup_printf ("%u%s%s", reply->status, *problem ? ": " : "", problem);
  KlSyncConflict c = { (char *) collection, (char *) local_id, (char *) reason, detail, NULL, NULL, 0 };
  gboolean ok;

  if (!kl_database_begin (run->db, error))
    return FALSE;
  ok = kl_sync_store_conflict_set (run->db, &c, error) && kl_database_commit (run->db, error);
  if (!ok)
    kl_database_rollback (run->db);
  return ok;
}

/* Applies an accepted create or patch: the server's record becomes the
 * base, its values the local copy's where we have nothing newer, and the
 * entries up to max_seq are done. */
static gboolean
accepted (Run         *run,
          const char  *local_id,
          JsonObject  *server,
          JsonObject  *sent,
          gint64       max_seq,
          GError     **error)
{
  KlDatabase *db = run->db;
  g_autofree char *text = object_text (server);
  gint64 n;

  if (!kl_database_begin (db, error))
    return FALSE;
  if (!kl_sync_store_record_set (db, "customers", local_id, json_object_get_string_member (server, "id"),
                                 json_object_get_int_member (server, "revision"), text, error))
    goto fail;
  n = kl_sync_store_outbox_remove (db, "customers", local_id, max_seq, error);
  if (n < 0)
    goto fail;
  /* Edits made after the snapshot we sent stay queued; otherwise the local
   * copy takes the server's revision (and anything it filled in). */
  if (!kl_sync_store_outbox_pending (db, "customers", local_id))
    {
      g_autoptr(JsonObject) local = customer_to_api (db, local_id, NULL);
      gboolean changed;

      if (local != NULL && sent != NULL)
        {
          for (guint i = 0; customer_fields[i]; i++)
            if (json_object_has_member (sent, customer_fields[i]) &&
                !field_equal (customer_fields[i], member (local, customer_fields[i]), member (sent, customer_fields[i])))
              {
                /* changed meanwhile: queue it again */
                if (!kl_database_outbox_add (db, "customers", local_id, "update", NULL,
                                             json_object_get_int_member (server, "revision"), error))
                  goto fail;
                break;
              }
        }
      if (!kl_sync_store_outbox_pending (db, "customers", local_id) &&
          !customer_write (db, local_id, server, json_object_get_int_member (server, "revision"), &changed, error))
        goto fail;
    }
  if (!kl_database_commit (db, error))
    return FALSE;
  run->stats->pushed += n;
  return TRUE;

fail:
  kl_database_rollback (db);
  return FALSE;
}

static JsonNode *
object_node (JsonObject *o)
{
  /* json_node_init_object() takes its own reference: o's is given up. */
  JsonNode *node = json_node_init_object (json_node_alloc (), o);

  json_object_unref (o);
  return node;
}

/* Pushes one customer's queued changes. */
static gboolean
push_customer (Run         *run,
               const char  *local_id,
               gint64       max_seq,
               GError     **error)
{
  KlDatabase *db = run->db;

  for (int round = 0; round < 4; round++)
    {
      g_autoptr(KlSyncRecord) rec = kl_sync_store_record_by_local (db, "customers", local_id, error);
      g_autoptr(JsonObject) local = NULL;
      g_autoptr(KlSyncReply) reply = NULL;
      g_autoptr(GError) local_error = NULL;

      if (rec == NULL && error != NULL && *error != NULL)
        return FALSE;
      local = customer_to_api (db, local_id, &local_error);
      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }

      if (rec == NULL)
        {
          g_autofree char *key = NULL;
          g_autoptr(JsonObject) body = NULL;

          if (local == NULL || json_object_get_boolean_member (local, "deleted"))
            {
              /* Made and removed here before it ever reached the server. */
              if (!kl_database_begin (db, error))
                return FALSE;
              if (kl_sync_store_outbox_remove (db, "customers", local_id, max_seq, error) < 0 ||
                  !kl_database_commit (db, error))
                {
                  kl_database_rollback (db);
                  return FALSE;
                }
              return TRUE;
            }
          key = kl_sync_store_outbox_create_key (db, "customers", local_id);
          if (key == NULL)
            {
              /* Only updates queued for a record the server never had
               * (imported before the first sync): the first one's key
               * serves the create and stays with it until it succeeds. */
              if (!kl_database_begin (db, error))
                return FALSE;
              if (!kl_sync_store_outbox_recreate (db, "customers", local_id, error) ||
                  !kl_database_commit (db, error))
                {
                  kl_database_rollback (db);
                  return FALSE;
                }
              key = kl_sync_store_outbox_create_key (db, "customers", local_id);
              max_seq = kl_sync_store_outbox_last (db, NULL);
            }
          body = json_object_ref (local);
          json_object_remove_member (body, "deleted");
          {
            g_autoptr(JsonNode) node = object_node (json_object_ref (body));

            reply = kl_sync_client_request (run->client, "POST", "/v1/customers", "application/json", node, key,
                                            NULL, run->cancellable, error);
          }
          if (reply == NULL)
            return FALSE;
          if (reply->status == 201 || reply->status == 200)
            {
              JsonObject *server;

              if (reply->json == NULL || !kl_sync_check_record (json_node_get_object (reply->json), "customers", error))
                return FALSE;
              server = json_node_get_object (reply->json);
              return accepted (run, local_id, server, body, max_seq, error);
            }
          if (reply->status == 409)
            {
              JsonNode *cur = reply->json ? member (json_node_get_object (reply->json), "current") : NULL;
              gboolean changed, pending, ok;
              gint64 n;

              if (cur == NULL || !JSON_NODE_HOLDS_OBJECT (cur))
                return record_refused (run, "customers", local_id, "refused", reply, error);
              if (!kl_sync_check_record (json_node_get_object (cur), "customers", error))
                return FALSE;
              /* The code exists on the server: ours becomes that record;
               * where the values differ, the user decides. */
              if (!kl_database_begin (db, error))
                return FALSE;
              ok = (n = kl_sync_store_outbox_remove (db, "customers", local_id, max_seq, error)) >= 0 &&
                   customer_merge_in (run, local_id, NULL, json_node_get_object (cur), &changed, &pending, error) &&
                   kl_database_commit (db, error);
              if (!ok)
                {
                  kl_database_rollback (db);
                  return FALSE;
                }
              run->stats->pushed += n;
              return TRUE;
            }
          return record_refused (run, "customers", local_id, reply->status == 404 ? "gone" : "refused", reply, error);
        }
      else
        {
          g_autoptr(JsonNode) base_node = parse_json (rec->base);
          JsonObject *base = base_node && JSON_NODE_HOLDS_OBJECT (base_node) ? json_node_get_object (base_node) : NULL;
          g_autoptr(JsonObject) patch = json_object_new ();
          g_autofree char *path = NULL, *if_match = NULL;

          if (local == NULL)
            {
              if (!kl_database_begin (db, error))
                return FALSE;
              if (kl_sync_store_outbox_remove (db, "customers", local_id, max_seq, error) < 0 ||
                  !kl_database_commit (db, error))
                {
                  kl_database_rollback (db);
                  return FALSE;
                }
              return TRUE;
            }
          if (json_object_get_boolean_member (local, "deleted"))
            {
              if (base == NULL || !json_object_get_boolean_member_with_default (base, "deleted", FALSE))
                json_object_set_boolean_member (patch, "deleted", TRUE);
            }
          else
            for (guint i = 0; customer_fields[i]; i++)
              if (!field_equal (customer_fields[i], member (local, customer_fields[i]), member (base, customer_fields[i])))
                json_object_set_member (patch, customer_fields[i],
                                        json_node_copy (member (local, customer_fields[i])));
          if (json_object_get_size (patch) == 0)
            {
              /* Nothing the API carries (a local-only field such as the
               * address or the report language): done. */
              if (!kl_database_begin (db, error))
                return FALSE;
              if (kl_sync_store_outbox_remove (db, "customers", local_id, max_seq, error) < 0 ||
                  !kl_database_commit (db, error))
                {
                  kl_database_rollback (db);
                  return FALSE;
                }
              return TRUE;
            }
          path = g_strdup_printf ("/v1/customers/%s", rec->server_id);
          if_match = g_strdup_printf ("\"%" G_GINT64_FORMAT "\"", rec->revision);
          {
            g_autoptr(JsonNode) node = object_node (json_object_ref (patch));

            reply = kl_sync_client_request (run->client, "PATCH", path, "application/merge-patch+json", node, NULL,
                                            if_match, run->cancellable, error);
          }
          if (reply == NULL)
            return FALSE;
          if (reply->status == 200)
            {
              if (reply->json == NULL || !kl_sync_check_record (json_node_get_object (reply->json), "customers", error))
                return FALSE;
              return accepted (run, local_id, json_node_get_object (reply->json), patch, max_seq, error);
            }
          if (reply->status == 412)
            {
              JsonNode *cur = reply->json ? member (json_node_get_object (reply->json), "current") : NULL;
              JsonObject *server;
              gboolean all_there = TRUE, changed, pending, ok;

              if (cur == NULL || !JSON_NODE_HOLDS_OBJECT (cur))
                return record_refused (run, "customers", local_id, "refused", reply, error);
              server = json_node_get_object (cur);
              if (!kl_sync_check_record (server, "customers", error))
                return FALSE;
              if (json_object_get_boolean_member (server, "deleted"))
                return record_refused (run, "customers", local_id, "gone", reply, error);
              {
                JsonObjectIter iter;
                const char *f;
                JsonNode *v;

                json_object_iter_init (&iter, patch);
                while (json_object_iter_next (&iter, &f, &v))
                  if (!field_equal (f, v, member (server, f)))
                    all_there = FALSE;
              }
              if (all_there)
                /* A retry after a lost reply: it went through. */
                return accepted (run, local_id, server, patch, max_seq, error);
              if (!kl_database_begin (db, error))
                return FALSE;
              ok = customer_merge_in (run, local_id, base, server, &changed, &pending, error) &&
                   kl_database_commit (db, error);
              if (!ok)
                {
                  kl_database_rollback (db);
                  return FALSE;
                }
              {
                g_autoptr(KlSyncConflict) open = kl_sync_store_conflict_get (db, "customers", local_id, NULL);

                if (open != NULL || !pending)
                  return TRUE;   /* kept for the user, or nothing left to send */
              }
              max_seq = kl_sync_store_outbox_last (db, NULL);
              continue;          /* the other fields again, on the new revision */
            }
          return record_refused (run, "customers", local_id, reply->status == 404 ? "gone" : "refused", reply, error);
        }
    }
  return TRUE;
}

/* Claims as the API sees them */

static void
set_money (JsonObject *o, const char *name, gboolean set, gint64 amount, const char *currency)
{
  if (set && currency != NULL)
    {
      JsonObject *m = json_object_new ();

      json_object_set_int_member (m, "amount_minor", amount);
      json_object_set_string_member (m, "currency", currency);
      json_object_set_object_member (o, name, m);
    }
  else
    json_object_set_null_member (o, name);
}

/* The local case as an api.yaml Claim's writable fields; NULL (no error)
 * when it or its customer's server id is not there. */
static JsonObject *
claim_to_api (KlDatabase  *db,
              const char  *local_id,
              KlClaim    **out_claim)
{
  g_autoptr(KlClaim) c = kl_claim_store_get (db, local_id, g_get_real_time () / G_USEC_PER_SEC, NULL);
  g_autoptr(KlSyncRecord) customer = NULL;
  JsonObject *o, *docs;

  if (c == NULL)
    return NULL;
  customer = kl_sync_store_record_by_local (db, "customers", c->customer_id, NULL);
  if (customer == NULL)
    return NULL;
  o = json_object_new ();
  json_object_set_string_member (o, "customer_id", customer->server_id);
  json_object_set_string_member (o, "kind", kl_claim_kind_to_string (c->kind));
  json_object_set_string_member (o, "status", kl_claim_status_to_string (c->status));
  set_text (o, "waybill", c->waybill);
  set_text (o, "incident_date", c->incident_date);
  if (c->filed_at != KL_NO_TIME)
    {
      g_autofree char *t = kl_sync_format_time (c->filed_at);

      json_object_set_string_member (o, "filed_at", t);
    }
  else
    json_object_set_null_member (o, "filed_at");
  set_money (o, "claimed", c->claimed_set, c->claimed, c->currency);
  set_money (o, "salvage", c->salvage_set, c->salvage, c->currency);
  set_money (o, "approved", c->approved_set, c->approved, c->currency);
  set_money (o, "paid", c->paid_set, c->paid, c->currency);
  set_text (o, "description", c->description);
  set_text (o, "owner", c->owner);
  set_text (o, "root_cause", c->root_cause);
  set_text (o, "corrective_action", c->corrective_action);
  docs = json_object_new ();
  for (int d = 0; d < KL_N_CLAIM_DOCUMENTS; d++)
    if (c->documents & KL_CLAIM_DOCUMENT_BIT (d))
      json_object_set_boolean_member (docs, kl_claim_document_to_string ((KlClaimDocument) d), TRUE);
  json_object_set_object_member (o, "documents", docs);
  set_text (o, "return_destination", c->return_destination);
  set_text (o, "return_carrier", c->label_carrier);
  set_text (o, "return_label", c->label_number);
  set_text (o, "return_tracking", c->return_tracking);
  if (c->outcome_set)
    json_object_set_string_member (o, "outcome", kl_return_outcome_to_string (c->outcome));
  else
    json_object_set_null_member (o, "outcome");
  if (out_claim)
    *out_claim = g_steal_pointer (&c);
  return o;
}

static gboolean
documents_equal (JsonNode *a, JsonNode *b)
{
  /* absent and false are the same */
  for (int d = 0; d < KL_N_CLAIM_DOCUMENTS; d++)
    {
      const char *k = kl_claim_document_to_string ((KlClaimDocument) d);
      JsonObject *x = a && JSON_NODE_HOLDS_OBJECT (a) ? json_node_get_object (a) : NULL;
      JsonObject *y = b && JSON_NODE_HOLDS_OBJECT (b) ? json_node_get_object (b) : NULL;
      gboolean vx = x && json_object_has_member (x, k) && json_object_get_boolean_member (x, k);
      gboolean vy = y && json_object_has_member (y, k) && json_object_get_boolean_member (y, k);

      if (vx != vy)
        return FALSE;
    }
  return TRUE;
}

static gboolean
claim_field_equal (const char *f, JsonNode *a, JsonNode *b)
{
  if (g_str_equal (f, "documents"))
    return documents_equal (a, b);
  return node_equal (a, b);
}

/* The reason the last move carried (declined, rejected, reopened). */
static char *
last_move_reason (KlDatabase *db, const char *local_id)
{
  g_autoptr(GPtrArray) history = kl_claim_store_history (db, local_id, NULL);

  for (guint i = history ? history->len : 0; i > 0; i--)
    {
      KlClaimHistoryEntry *e = g_ptr_array_index (history, i - 1);

      if (e->change == KL_CLAIM_CHANGE_MOVED)
        return g_strdup (e->reason);
    }
  return NULL;
}

/* Before the server's record becomes a claim's base: the entries of its
 * history not in the base's taken in (appended, or standing for the
 * changes made here that they record). */
static gboolean
claim_history_take (KlDatabase  *db,
                    const char  *local_id,
                    JsonObject  *server,
                    GError     **error)
{
  g_autoptr(KlSyncRecord) rec = kl_sync_store_record_by_local (db, "claims", local_id, NULL);
  g_autoptr(JsonNode) base = rec ? parse_json (rec->base) : NULL;
  g_autoptr(GPtrArray) seen = base && JSON_NODE_HOLDS_OBJECT (base) ? history_entries (json_node_get_object (base)) : NULL;
  g_autoptr(GPtrArray) history = history_entries (server);

  return kl_sync_store_claim_history_apply (db, local_id, seen, history, NULL, error);
}

static gboolean
claim_done (Run *run, const char *local_id, JsonObject *server, gint64 max_seq, gboolean created, GError **error)
{
  KlDatabase *db = run->db;
  g_autofree char *text = object_text (server);
  gboolean requeued = FALSE;   /* an entry for what is left: not one the server took */
  gint64 n;

  if (!kl_database_begin (db, error))
    return FALSE;
  if (!claim_history_take (db, local_id, server, error) ||
      !kl_sync_store_record_set (db, "claims", local_id, json_object_get_string_member (server, "id"),
                                 json_object_get_int_member (server, "revision"), text, error) ||
      !kl_sync_store_claim_accepted (db, local_id, created ? opt_string (server, "number") : NULL,
                                     json_object_get_int_member (server, "revision"), error) ||
      (n = kl_sync_store_outbox_remove (db, "claims", local_id, max_seq, error)) < 0)
    {
      kl_database_rollback (db);
      return FALSE;
    }
  /* notes written here that the server does not hold yet go one by one */
  if (!kl_sync_store_outbox_pending (db, "claims", local_id) && has_unpushed_notes (db, local_id, server))
    {
      if (!kl_database_outbox_add (db, "claims", local_id, "update", NULL,
                                   json_object_get_int_member (server, "revision"), error))
        {
          kl_database_rollback (db);
          return FALSE;
        }
      requeued = TRUE;
    }
  /* what still differs from the server (moves made offline after the
   * opening) goes as a patch */
  if (created)
    {
      g_autoptr(JsonObject) local = claim_to_api (db, local_id, NULL);

      for (guint i = 0; local != NULL && claim_patch_fields[i]; i++)
        if (!claim_field_equal (claim_patch_fields[i], member (local, claim_patch_fields[i]),
                                member (server, claim_patch_fields[i])))
          {
            if (!kl_sync_store_outbox_pending (db, "claims", local_id))
              {
                if (!kl_database_outbox_add (db, "claims", local_id, "update", NULL,
                                             json_object_get_int_member (server, "revision"), error))
                  {
                    kl_database_rollback (db);
                    return FALSE;
                  }
                requeued = TRUE;
              }
            break;
          }
    }
  if (!kl_database_commit (db, error))
    return FALSE;
  /* pushed counts the entries the server took: the one queued again for
   * what is left is counted when that goes */
  run->stats->pushed += MAX (n - (requeued ? 1 : 0), 0);
  return TRUE;
}

static gboolean
push_claim (Run         *run,
            const char  *local_id,
            gint64       max_seq,
            GError     **error)
{
  KlDatabase *db = run->db;
  g_autoptr(GPtrArray) all_notes = kl_claim_store_notes (db, local_id, FALSE, NULL);
  /* one round per note (the API takes one per patch), and a few for 412s */
  guint rounds = 3 + (all_notes != NULL ? all_notes->len : 0);

  for (guint round = 0; round < rounds; round++)
    {
      g_autoptr(KlSyncRecord) rec = kl_sync_store_record_by_local (db, "claims", local_id, NULL);
      g_autoptr(KlClaim) claim = NULL;
      g_autoptr(JsonObject) local = claim_to_api (db, local_id, &claim);
      g_autoptr(KlSyncReply) reply = NULL;

      if (local == NULL)
        return TRUE;   /* its customer is not on the server yet: it waits */
      if (rec == NULL)
        {
          g_autofree char *key = kl_sync_store_outbox_create_key (db, "claims", local_id);
          g_autoptr(JsonObject) body = json_object_new ();
          const char *const new_fields[] = { "customer_id", "kind", "waybill", "incident_date", "filed_at",
                                             "claimed", "salvage", "description" };

          if (key == NULL)
            return TRUE;   /* never created here nor pulled: nothing to send */
          for (guint i = 0; i < G_N_ELEMENTS (new_fields); i++)
            if (member (local, new_fields[i]) != NULL && !JSON_NODE_HOLDS_NULL (member (local, new_fields[i])))
              json_object_set_member (body, new_fields[i], json_node_copy (member (local, new_fields[i])));
          {
            /* the opening's note (claims new --note) is ClaimNew's note */
            g_autoptr(GPtrArray) history = kl_claim_store_history (db, local_id, NULL);
            KlClaimHistoryEntry *first = history != NULL && history->len > 0 ? g_ptr_array_index (history, 0) : NULL;

            if (first != NULL && first->change == KL_CLAIM_CHANGE_CREATED && first->note != NULL && *first->note)
              {
                JsonObject *no = json_object_new ();

                json_object_set_string_member (no, "text", first->note);
                json_object_set_string_member (no, "visibility", "internal");
                json_object_set_object_member (body, "note", no);
              }
          }
          {
            g_autoptr(JsonNode) node = object_node (json_object_ref (body));

            reply = kl_sync_client_request (run->client, "POST", "/v1/claims", "application/json", node, key, NULL,
                                            run->cancellable, error);
          }
          if (reply == NULL)
            return FALSE;
          if (reply->status == 201 || reply->status == 200)
            {
              if (reply->json == NULL || !kl_sync_check_record (json_node_get_object (reply->json), "claims", error))
                return FALSE;
              if (!claim_done (run, local_id, json_node_get_object (reply->json), max_seq, TRUE, error))
                return FALSE;
              max_seq = kl_sync_store_outbox_last (db, NULL);
              continue;   /* a move made offline after the opening follows */
            }
          return record_refused (run, "claims", local_id, reply->status == 404 ? "gone" : "refused", reply, error);
        }
      else
        {
          g_autoptr(JsonNode) base_node = parse_json (rec->base);
          JsonObject *base = base_node && JSON_NODE_HOLDS_OBJECT (base_node) ? json_node_get_object (base_node) : NULL;
          g_autoptr(JsonObject) patch = json_object_new ();
          g_autofree char *path = NULL, *if_match = NULL;
          gint64 sent_note = 0;

          if (!kl_sync_store_outbox_pending (db, "claims", local_id))
            return TRUE;
          for (guint i = 0; claim_patch_fields[i]; i++)
            if (!claim_field_equal (claim_patch_fields[i], member (local, claim_patch_fields[i]),
                                    member (base, claim_patch_fields[i])))
              json_object_set_member (patch, claim_patch_fields[i],
                                      json_node_copy (member (local, claim_patch_fields[i])));
          if (json_object_has_member (patch, "status"))
            {
              g_autofree char *reason = last_move_reason (db, local_id);

              if (reason != NULL)
                json_object_set_string_member (patch, "reason", reason);
            }
          {
            g_autoptr(GPtrArray) left = unpushed_notes (db, local_id, base);

            if (left->len > 0)
              {
                KlClaimNote *note = g_ptr_array_index (left, 0);
                JsonObject *no = json_object_new ();

                json_object_set_string_member (no, "text", note->text);
                json_object_set_string_member (no, "visibility",
                                               note->visibility == KL_CLAIM_NOTE_CLIENT ? "client" : "internal");
                json_object_set_object_member (patch, "note", no);
                sent_note = note->seq;
              }
          }
          if (json_object_get_size (patch) == 0)
            {
              if (!kl_database_begin (db, error))
                return FALSE;
              if (kl_sync_store_outbox_remove (db, "claims", local_id, max_seq, error) < 0 ||
                  !kl_database_commit (db, error))
                {
                  kl_database_rollback (db);
                  return FALSE;
                }
              return TRUE;
            }
          path = g_strdup_printf ("/v1/claims/%s", rec->server_id);
          if_match = g_strdup_printf ("\"%" G_GINT64_FORMAT "\"", rec->revision);
          {
            g_autoptr(JsonNode) node = object_node (json_object_ref (patch));

            reply = kl_sync_client_request (run->client, "PATCH", path, "application/merge-patch+json", node, NULL,
                                            if_match, run->cancellable, error);
          }
          if (reply == NULL)
            return FALSE;
          if (reply->status == 200)
            {
              if (reply->json == NULL || !kl_sync_check_record (json_node_get_object (reply->json), "claims", error))
                return FALSE;
              if (!claim_done (run, local_id, json_node_get_object (reply->json), max_seq, FALSE, error))
                return FALSE;
              max_seq = kl_sync_store_outbox_last (db, NULL);
              continue;   /* the next note, if any */
            }
          if (reply->status == 412)
            {
              JsonNode *cur = reply->json ? member (json_node_get_object (reply->json), "current") : NULL;
              JsonObject *server;
              gboolean all_there = TRUE;
              JsonObjectIter iter;
              const char *f;
              JsonNode *v;

              if (cur == NULL || !JSON_NODE_HOLDS_OBJECT (cur))
                return record_refused (run, "claims", local_id, "refused", reply, error);
              server = json_node_get_object (cur);
              if (!kl_sync_check_record (server, "claims", error))
                return FALSE;
              if (json_object_get_boolean_member (server, "deleted"))
                return record_refused (run, "claims", local_id, "gone", reply, error);
              json_object_iter_init (&iter, patch);
              while (json_object_iter_next (&iter, &f, &v))
                {
                  if (g_str_equal (f, "note"))
                    {
                      /* notes only add up: never a conflict; there when
                       * the server holds it (a lost reply) */
                      g_autoptr(GPtrArray) left = unpushed_notes (db, local_id, server);

                      if (left->len > 0 && ((KlClaimNote *) g_ptr_array_index (left, 0))->seq == sent_note)
                        all_there = FALSE;
                      continue;
                    }
                  if (g_str_equal (f, "reason") || claim_field_equal (f, v, member (server, f)))
                    continue;
                  all_there = FALSE;
                }
              if (all_there)
                {
                  if (!claim_done (run, local_id, server, max_seq, FALSE, error))
                    return FALSE;
                  max_seq = kl_sync_store_outbox_last (db, NULL);
                  continue;
                }
              /* Merged by field as a pull merges (and as a customer is on
               * 412): the server's values taken where only it changed,
               * ours kept where only we did, a conflict kept where both
               * did; its history taken in. Without a conflict, what is
               * ours goes again over the new revision. */
              {
                gint64 pulled = run->stats->pulled;
                g_autoptr(KlSyncConflict) open = NULL;
                gboolean ok;

                if (!kl_database_begin (db, error))
                  return FALSE;
                ok = claim_take (run, server, NULL, error) && kl_database_commit (db, error);
                run->stats->pulled = pulled;   /* a push's merge, not a pull */
                if (!ok)
                  {
                    kl_database_rollback (db);
                    return FALSE;
                  }
                open = kl_sync_store_conflict_get (db, "claims", local_id, NULL);
                if (open != NULL)
                  return TRUE;
              }
              continue;
            }
          return record_refused (run, "claims", local_id, reply->status == 404 ? "gone" : "refused", reply, error);
        }
    }
  return TRUE;
}

static gboolean
push_outbox (Run     *run,
             GError **error)
{
  KlDatabase *db = run->db;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GHashTable) done = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  gint64 dropped;

  /* Shipments are read-only for the client: nothing of theirs waits. */
  if (!kl_database_begin (db, error))
    return FALSE;
  dropped = kl_sync_store_outbox_drop_uncarried (db, error);
  if (dropped < 0 || !kl_database_commit (db, error))
    {
      kl_database_rollback (db);
      return FALSE;
    }

  entries = kl_sync_store_outbox_list (db, error);
  if (entries == NULL)
    return FALSE;
  for (guint i = 0; i < entries->len; i++)
    {
      KlOutboxEntry *e = g_ptr_array_index (entries, i);
      g_autofree char *key = g_strdup_printf ("%s/%s", e->collection, e->record_id);
      g_autoptr(KlSyncConflict) open = NULL;
      gint64 max_seq = e->seq;

      if (g_hash_table_contains (done, key))
        continue;
      g_hash_table_add (done, g_strdup (key));
      if (cancelled (run, error))
        return FALSE;
      open = kl_sync_store_conflict_get (db, e->collection, e->record_id, NULL);
      if (open != NULL)
        continue;   /* held until the user resolves it */
      for (guint j = i + 1; j < entries->len; j++)
        {
          KlOutboxEntry *f = g_ptr_array_index (entries, j);

          if (g_str_equal (f->collection, e->collection) && g_str_equal (f->record_id, e->record_id))
            max_seq = f->seq;
        }
      if (g_str_equal (e->collection, "customers") ? !push_customer (run, e->record_id, max_seq, error)
                                                   : !push_claim (run, e->record_id, max_seq, error))
        return FALSE;
      if (run->progress)
        run->progress ("push", run->stats->pushed, run->progress_data);
    }
  return TRUE;
}

gboolean
kl_sync_run (KlDatabase          *db,
             KlSyncClient        *client,
             const KlSyncOptions *options,
             KlSyncProgressFunc   progress,
             gpointer             progress_data,
             KlSyncStats         *out_stats,
             GCancellable        *cancellable,
             GError             **error)
{
  KlSyncOptions defaults = { FALSE, FALSE, 0 };
  KlSyncStats local_stats = { 0, 0, 0 };
  g_autoptr(GHashTable) ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  Run run = { db, client, options ? options : &defaults, progress, progress_data,
              out_stats ? out_stats : &local_stats, cancellable, ids };
  static const char *const collections[] = { "customers", "claims", "shipments" };
  gboolean ok = TRUE;

  memset (run.stats, 0, sizeof *run.stats);
  if (!run.options->pull_only)
    ok = push_outbox (&run, error);
  for (guint i = 0; ok && i < G_N_ELEMENTS (collections); i++)
    ok = pull_collection (&run, collections[i], error);
  if (ok)
    {
      g_autofree char *now = g_strdup_printf ("%" G_GINT64_FORMAT, g_get_real_time () / G_USEC_PER_SEC);

      ok = kl_database_set_setting (db, KL_SYNC_SETTING_LAST_SUCCESS, now, error);
    }
  run.stats->conflicts = kl_sync_store_conflict_count (db);
  return ok;
}

gboolean
kl_sync_check_me (KlSyncClient  *client,
                  char         **out_user,
                  char         **out_display_name,
                  gint64        *out_server_time,
                  GCancellable  *cancellable,
                  GError       **error)
{
  g_autoptr(KlSyncReply) reply = kl_sync_client_request (client, "GET", "/v1/me", NULL, NULL, NULL, NULL,
                                                         cancellable, error);

  if (reply == NULL)
    return FALSE;
  if (reply->status != 200)
    {
      g_autofree char *problem = kl_sync_problem_text (reply->json);

      g_set_error (error, KL_SYNC_ERROR, KL_SYNC_ERROR_REFUSED, _("The server answered %u to /v1/me%s%s"),
                   reply->status, *problem ? ": " : "", problem);
      return FALSE;
    }
  return kl_sync_decode_me (reply->json, out_user, out_display_name, out_server_time, error);
}

/* Conflicts for the user */

void
kl_sync_conflict_info_free (KlSyncConflictInfo *self)
{
  if (self == NULL)
    return;
  g_free (self->kind);
  g_free (self->id);
  g_free (self->code_or_number);
  g_free (self->reason);
  g_free (self->detail);
  g_clear_pointer (&self->fields, g_ptr_array_unref);
  g_free (self);
}

static void
conflict_field_free (KlSyncConflictField *f)
{
  g_free (f->field);
  g_free (f->local);
  g_free (f->server);
  g_free (f);
}

GPtrArray *
kl_sync_conflicts (KlDatabase  *db,
                   GError     **error)
{
  g_autoptr(GPtrArray) stored = kl_sync_store_conflict_list (db, error);
  g_autoptr(GPtrArray) list = NULL;

  if (stored == NULL)
    return NULL;
  list = g_ptr_array_new_with_free_func ((GDestroyNotify) kl_sync_conflict_info_free);
  for (guint i = 0; i < stored->len; i++)
    {
      KlSyncConflict *c = g_ptr_array_index (stored, i);
      KlSyncConflictInfo *info = g_new0 (KlSyncConflictInfo, 1);
      g_autoptr(JsonNode) fields = parse_json (c->fields);
      g_autoptr(KlCustomer) customer = NULL;

      info->kind = g_strdup (g_str_equal (c->collection, "customers") ? "customer" : "claim");
      info->id = g_strdup (c->local_id);
      g_autoptr(KlClaim) claim = NULL;

      if (g_str_equal (c->collection, "customers") &&
          (customer = kl_customer_store_get (db, c->local_id, NULL)) != NULL)
        info->code_or_number = g_strdup (customer->code);
      else if (g_str_equal (c->collection, "claims") &&
               (claim = kl_claim_store_get (db, c->local_id, 0, NULL)) != NULL)
        info->code_or_number = g_strdup (claim->number);
      else
        info->code_or_number = g_strdup (c->local_id);
      info->reason = g_strdup (c->reason);
      info->detail = g_strdup (c->detail ? c->detail : "");
      info->fields = g_ptr_array_new_with_free_func ((GDestroyNotify) conflict_field_free);
      if (fields != NULL && JSON_NODE_HOLDS_ARRAY (fields))
        for (guint j = 0; j < json_array_get_length (json_node_get_array (fields)); j++)
          {
            JsonObject *fo = json_array_get_object_element (json_node_get_array (fields), j);
            KlSyncConflictField *f = g_new0 (KlSyncConflictField, 1);

            f->field = g_strdup (json_object_get_string_member_with_default (fo, "field", ""));
            f->local = node_text (member (fo, "local"));
            f->server = node_text (member (fo, "server"));
            g_ptr_array_add (info->fields, f);
          }
      g_ptr_array_add (list, info);
    }
  return g_steal_pointer (&list);
}

gboolean
kl_sync_record_unpushed (KlDatabase *db,
                         const char *collection,
                         const char *local_id)
{
  g_autoptr(KlSyncConflict) c = NULL;

  if (kl_sync_store_outbox_pending (db, collection, local_id))
    return TRUE;
  c = kl_sync_store_conflict_get (db, collection, local_id, NULL);
  return c != NULL;
}

gboolean
kl_sync_resolve (KlDatabase  *db,
                 const char  *id,
                 gboolean     keep_local,
                 GHashTable  *field_choices,
                 GError     **error)
{
  g_autoptr(KlSyncConflict) c = NULL;
  g_autoptr(KlSyncRecord) rec = NULL;
  g_autofree char *local_id = NULL;
  g_autoptr(GError) local_error = NULL;

  c = kl_sync_store_conflict_get (db, "customers", id, &local_error);
  if (c == NULL && local_error == NULL)
    {
      local_id = kl_sync_store_customer_by_code (db, id, &local_error);
      if (local_id != NULL)
        c = kl_sync_store_conflict_get (db, "customers", local_id, &local_error);
    }
  if (c == NULL && local_error == NULL)
    c = kl_sync_store_conflict_get (db, "claims", id, &local_error);
  if (c == NULL && local_error == NULL)
    {
      /* a claim by its number */
      g_autoptr(KlClaim) claim = kl_claim_store_get (db, id, 0, NULL);

      if (claim != NULL)
        c = kl_sync_store_conflict_get (db, "claims", claim->id, &local_error);
    }
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (c == NULL)
    {
      g_set_error (error, KL_DATABASE_ERROR, KL_DATABASE_ERROR_NOT_FOUND,
                   _("No conflict waits for “%s”; “sync conflicts” lists them"), id);
      return FALSE;
    }
  if (!kl_database_begin (db, error))
    return FALSE;
  rec = kl_sync_store_record_by_local (db, c->collection, c->local_id, NULL);

  if (g_str_equal (c->reason, "conflict") && g_str_equal (c->collection, "customers"))
    {
      g_autoptr(JsonNode) server = parse_json (c->server);
      g_autoptr(JsonObject) local = customer_to_api (db, c->local_id, error);
      g_autoptr(JsonObject) merged = json_object_new ();
      gboolean pending = FALSE, changed;

      if (server == NULL || !JSON_NODE_HOLDS_OBJECT (server) || local == NULL)
        goto fail;
      for (guint i = 0; customer_fields[i]; i++)
        {
          const char *f = customer_fields[i];
          gboolean take_local = choice_is_local (field_choices, f, keep_local);
          JsonNode *v = take_local ? member (local, f) : member (json_node_get_object (server), f);

          json_object_set_member (merged, f, v ? json_node_copy (v) : json_node_new (JSON_NODE_NULL));
          if (take_local && !field_equal (f, member (local, f), member (json_node_get_object (server), f)))
            pending = TRUE;
        }
      json_object_set_boolean_member (merged, "deleted", json_object_get_boolean_member (local, "deleted"));
      /* The server's version becomes the base: what stays different from
       * it is pushed over its current revision at the next sync. */
      if (!customer_write (db, c->local_id, merged, json_object_get_int_member (json_node_get_object (server), "revision"),
                           &changed, error) ||
          !kl_sync_store_record_set (db, "customers", c->local_id,
                                     json_object_get_string_member (json_node_get_object (server), "id"),
                                     json_object_get_int_member (json_node_get_object (server), "revision"),
                                     c->server, error) ||
          kl_sync_store_outbox_remove (db, "customers", c->local_id, G_MAXINT64, error) < 0 ||
          !merge_queue (db, "customers", c->local_id, pending, 0,
                        json_object_get_int_member (json_node_get_object (server), "revision"), error))
        goto fail;
    }
  else if (g_str_equal (c->reason, "conflict") && g_str_equal (c->collection, "claims"))
    {
      g_autoptr(JsonNode) server = parse_json (c->server);
      JsonObject *so;

      if (server == NULL || !JSON_NODE_HOLDS_OBJECT (server))
        goto fail;
      so = json_node_get_object (server);
      if (keep_local || field_choices != NULL)
        {
          /* Field by field, as for a customer: each field in conflict
           * takes the value chosen (those not named follow keep_local),
           * the others merge as a pull does, the server's record becomes
           * the base, and what stays ours is queued over its revision. */
          g_autoptr(GHashTable) choices = g_hash_table_new (g_str_hash, g_str_equal);
          g_autoptr(JsonNode) fields = parse_json (c->fields);
          KlSyncStats stats = { 0, 0, 0 };
          g_autoptr(GHashTable) ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
          KlSyncOptions options = { FALSE, FALSE, 0 };
          Run run = { db, NULL, &options, NULL, NULL, &stats, NULL, ids };

          for (guint i = 0; fields != NULL && JSON_NODE_HOLDS_ARRAY (fields) &&
                            i < json_array_get_length (json_node_get_array (fields)); i++)
            {
              const char *f = json_object_get_string_member_with_default (
                json_array_get_object_element (json_node_get_array (fields), i), "field", "");

              g_hash_table_insert (choices, (gpointer) f,
                                   choice_is_local (field_choices, f, keep_local) ? "local" : "server");
            }
          if (!kl_sync_store_conflict_remove (db, "claims", c->local_id, error) ||
              kl_sync_store_outbox_remove (db, "claims", c->local_id, G_MAXINT64, error) < 0 ||
              /* the pull may have written this revision already: write it again */
              !kl_sync_store_claim_accepted (db, c->local_id, NULL, -1, error) ||
              !claim_take (&run, so, choices, error))
            goto fail;
        }
      else
        {
          KlSyncStats stats = { 0, 0, 0 };
          g_autoptr(GHashTable) ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
          KlSyncOptions options = { FALSE, FALSE, 0 };
          Run run = { db, NULL, &options, NULL, NULL, &stats, NULL, ids };

          if (kl_sync_store_outbox_remove (db, "claims", c->local_id, G_MAXINT64, error) < 0 ||
              !kl_sync_store_conflict_remove (db, "claims", c->local_id, error) ||
              /* the pull may have written this revision merged with the
               * local values: forget it, so the server's is written whole */
              !kl_sync_store_claim_accepted (db, c->local_id, NULL, -1, error) ||
              !claim_pulled (&run, so, error))
            goto fail;
          /* notes are not fields: those written here still go */
          if (has_unpushed_notes (db, c->local_id, so) &&
              !kl_database_outbox_add (db, "claims", c->local_id, "update", NULL,
                                       json_object_get_int_member (so, "revision"), error))
            goto fail;
        }
    }
  else if (g_str_equal (c->reason, "gone"))
    {
      if (keep_local)
        {
          /* Made again on the server, as a new record. */
          if (!kl_sync_store_record_remove (db, c->collection, c->local_id, error) ||
              !kl_sync_store_outbox_recreate (db, c->collection, c->local_id, error))
            goto fail;
        }
      else
        {
          if (kl_sync_store_outbox_remove (db, c->collection, c->local_id, G_MAXINT64, error) < 0 ||
              !kl_sync_store_record_remove (db, c->collection, c->local_id, error) ||
              (g_str_equal (c->collection, "customers") && !kl_sync_store_customer_remove (db, c->local_id, error)))
            goto fail;
        }
    }
  else if (!keep_local)
    {
      /* refused: back to the server's version as last seen */
      if (kl_sync_store_outbox_remove (db, c->collection, c->local_id, G_MAXINT64, error) < 0)
        goto fail;
      if (rec != NULL && g_str_equal (c->collection, "customers"))
        {
          g_autoptr(JsonNode) base = parse_json (rec->base);
          gboolean changed;

          if (base != NULL && JSON_NODE_HOLDS_OBJECT (base) &&
              !customer_write (db, c->local_id, json_node_get_object (base), rec->revision, &changed, error))
            goto fail;
        }
      else if (rec == NULL && g_str_equal (c->collection, "customers") &&
               !kl_sync_store_customer_remove (db, c->local_id, error))
        goto fail;
    }
  if (!kl_sync_store_conflict_remove (db, c->collection, c->local_id, error) || !kl_database_commit (db, error))
    goto fail;
  return TRUE;

fail:
  kl_database_rollback (db);
  if (error && *error == NULL)
    g_set_error (error, KL_SYNC_ERROR, KL_SYNC_ERROR_DATA, _("The conflict of “%s” could not be read"), id);
  return FALSE;
}
