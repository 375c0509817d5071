/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tokens, demo and import for keyline-server (kl-server-fill.h). */
#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "kl-agreement-store.h"
#include "kl-claim-history.h"
#include "kl-claim-store.h"
#include "kl-contact-store.h"
#include "kl-csv.h"
#include "kl-customer-store.h"
#include "kl-database.h"
#include "kl-demo.h"
#include "kl-import.h"
#include "kl-import-profile.h"
#include "kl-records.h"
#include "kl-server-fill.h"
#include "kl-server-records.h"
#include "kl-shipment-store.h"

static char *
random_hex (guint n_bytes)
{
  GString *s = g_string_sized_new (n_bytes * 2);
  guint8 buf[64];
  g_autoptr(GInputStream) in = NULL;
  gboolean got = FALSE;
  FILE *f = fopen ("/dev/urandom", "rb");
  g_assert (n_bytes <= sizeof buf);
  if (f != NULL)
    {
      got = fread (buf, 1, n_bytes, f) == n_bytes;
      fclose (f);
    }
  if (!got)
    g_error ("cannot read /dev/urandom for a token");
  for (guint i = 0; i < n_bytes; i++)
    g_string_append_printf (s, "%02x", buf[i]);
  return g_string_free (s, FALSE);
}

char *
kl_server_fill_create_token (KlServerStore *store, const char *user, GError **error)
{
  g_autofree char *id = random_hex (6);
  g_autofree char *secret = random_hex (32);
  g_autofree char *token = g_strdup_printf ("klt_%s_%s", id, secret);
  g_autofree char *hash = kl_server_token_hash (token);
  if (!store->vtable->token_add (store, id, user, hash, g_get_real_time (), error))
    return NULL;
  return g_steal_pointer (&token);
}

char *
kl_server_fill_token_id (const char *id_or_token)
{
  if (g_str_has_prefix (id_or_token, "klt_"))
    {
      const char *start = id_or_token + 4;
      const char *end = strchr (start, '_');
      if (end != NULL)
        return g_strndup (start, (gsize) (end - start));
    }
  return g_strdup (id_or_token);
}

/* ---- workspace records → API bodies ---- */

static void
set_text (JsonBuilder *b, const char *name, const char *value)
{
  json_builder_set_member_name (b, name);
  if (value != NULL)
    json_builder_add_string_value (b, value);
  else
    json_builder_add_null_value (b);
}

static void
set_time (JsonBuilder *b, const char *name, gint64 unix_s)
{
  g_autofree char *t = unix_s == KL_NO_TIME ? NULL : kl_server_format_time (unix_s * G_USEC_PER_SEC);
  set_text (b, name, t);
}

static void
set_money (JsonBuilder *b, const char *name, gboolean set, gint64 minor, const char *currency)
{
  json_builder_set_member_name (b, name);
  if (!set)
    {
      json_builder_add_null_value (b);
      return;
    }
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "amount_minor");
  json_builder_add_int_value (b, minor);
  json_builder_set_member_name (b, "currency");
  json_builder_add_string_value (b, currency ? currency : "CNY");
  json_builder_end_object (b);
}

static char *
builder_text (JsonBuilder *b)
{
  g_autoptr(JsonNode) root = json_builder_get_root (b);
  return json_to_string (root, FALSE);
}

static char *
customer_body (KlDatabase *db, const KlCustomer *c, const char *manager, GError **error)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(GPtrArray) contacts = kl_contact_store_list (db, c->id, error);
  g_autoptr(GDateTime) today = g_date_time_new_now_utc ();
  g_autofree char *date = g_date_time_format (today, "%Y-%m-%d");
  g_autoptr(KlAgreement) agreement = NULL;

  if (contacts == NULL)
    return NULL;
  agreement = kl_agreement_store_in_force (db, c->id, date, NULL);
  json_builder_begin_object (b);
  set_text (b, "code", c->code);
  set_text (b, "name", c->name);
  set_text (b, "legal_name", c->legal_name);
  set_text (b, "kind", kl_customer_kind_to_string (c->kind));
  set_text (b, "channel", kl_channel_to_string (c->channel));
  set_text (b, "industry", c->industry);
  set_text (b, "region", c->region);
  set_text (b, "account_manager", manager);
  set_text (b, "relationship", kl_relationship_to_string (c->relationship));
  set_text (b, "status", kl_customer_status_to_string (c->status));
  json_builder_set_member_name (b, "tags");
  json_builder_begin_array (b);
  for (guint i = 0; c->tags && c->tags[i]; i++)
    json_builder_add_string_value (b, c->tags[i]);
  json_builder_end_array (b);
  set_text (b, "notes", c->notes);
  json_builder_set_member_name (b, "contacts");
  json_builder_begin_array (b);
  for (guint i = 0; i < contacts->len; i++)
    {
      KlContact *k = g_ptr_array_index (contacts, i);
      json_builder_begin_object (b);
      set_text (b, "name", k->name);
      set_text (b, "role", kl_contact_role_to_string (k->role));
      set_text (b, "phone", k->phone);
      set_text (b, "email", k->email);
      json_builder_set_member_name (b, "primary");
      json_builder_add_boolean_value (b, k->primary);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_set_member_name (b, "agreement");
  if (agreement == NULL)
    json_builder_add_null_value (b);
  else
    {
      json_builder_begin_object (b);
      set_text (b, "effective_from", agreement->effective_from);
      set_text (b, "effective_to", agreement->effective_to);
      json_builder_set_member_name (b, "targets");
      json_builder_begin_object (b);
      for (int r = 0; r < KL_N_RATES; r++)
        if (!isnan (agreement->targets[r]))
          {
            json_builder_set_member_name (b, kl_rate_to_key ((KlRate) r));
            json_builder_add_double_value (b, agreement->targets[r]);
          }
      json_builder_end_object (b);
      json_builder_set_member_name (b, "dispatch_grace_min");
      json_builder_add_int_value (b, agreement->dispatch_grace_min);
      json_builder_set_member_name (b, "delivery_grace_min");
      json_builder_add_int_value (b, agreement->delivery_grace_min);
      json_builder_set_member_name (b, "claim_ack_days");
      json_builder_add_int_value (b, agreement->claim_ack_days);
      json_builder_set_member_name (b, "claim_resolve_days");
      json_builder_add_int_value (b, agreement->claim_resolve_days);
      json_builder_end_object (b);
    }
  json_builder_end_object (b);
  return builder_text (b);
}

static void
set_tri (JsonBuilder *b, const char *name, KlTri v)
{
  json_builder_set_member_name (b, name);
  if (v == KL_TRI_UNKNOWN)
    json_builder_add_null_value (b);
  else
    json_builder_add_boolean_value (b, v == KL_TRI_TRUE);
}

static char *
shipment_body (const KlShipment *s, const char *workspace_currency)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  json_builder_begin_object (b);
  set_text (b, "waybill", s->waybill);
  set_text (b, "customer_id", s->customer_id);
  set_text (b, "status", kl_shipment_status_to_string (s->status));
  set_text (b, "mode", s->mode == KL_MODE_NONE ? NULL : kl_shipment_mode_to_string (s->mode));
  set_text (b, "origin_city", s->origin_city);
  set_text (b, "origin_region", s->origin_region);
  set_text (b, "dest_city", s->dest_city);
  set_text (b, "dest_region", s->dest_region);
  json_builder_set_member_name (b, "pieces");
  json_builder_add_int_value (b, s->pieces);
  json_builder_set_member_name (b, "weight_kg");
  if (s->weight_g < 0)
    json_builder_add_null_value (b);
  else
    json_builder_add_double_value (b, s->weight_g / 1000.0);
  json_builder_set_member_name (b, "volume_m3");
  if (s->volume_cm3 < 0)
    json_builder_add_null_value (b);
  else
    json_builder_add_double_value (b, s->volume_cm3 / 1e6);
  set_time (b, "planned_pickup_at", s->planned_pickup_at);
  set_time (b, "picked_up_at", s->picked_up_at);
  set_time (b, "planned_delivery_at", s->planned_delivery_at);
  set_time (b, "delivered_at", s->delivered_at);
  set_tri (b, "documents_ok", s->documents_ok);
  set_tri (b, "order_accurate", s->order_accurate);
  json_builder_set_member_name (b, "damaged_pieces");
  json_builder_add_int_value (b, s->damaged_pieces);
  json_builder_set_member_name (b, "short_pieces");
  json_builder_add_int_value (b, s->short_pieces);
  json_builder_set_member_name (b, "incident");
  json_builder_add_boolean_value (b, s->incident);
  /* Money of api.yaml; a shipment without a currency of its own is in
   * the workspace's. */
  json_builder_set_member_name (b, "revenue");
  if (s->revenue_minor < 0)
    json_builder_add_null_value (b);
  else
    {
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "amount_minor");
      json_builder_add_int_value (b, s->revenue_minor);
      set_text (b, "currency", s->currency != NULL ? s->currency : workspace_currency);
      json_builder_end_object (b);
    }
  json_builder_end_object (b);
  return builder_text (b);
}

static void
history_value (JsonBuilder *b, const char *name, const KlClaimHistoryEntry *e, const char *v)
{
  json_builder_set_member_name (b, name);
  if (v == NULL)
    json_builder_add_null_value (b);
  else if (e->currency != NULL && e->change == KL_CLAIM_CHANGE_FIELD &&
           g_ascii_string_to_signed (v, 10, 0, G_MAXINT64, NULL, NULL))
    {
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "amount_minor");
      json_builder_add_int_value (b, g_ascii_strtoll (v, NULL, 10));
      json_builder_set_member_name (b, "currency");
      json_builder_add_string_value (b, e->currency);
      json_builder_end_object (b);
    }
  else if (e->change == KL_CLAIM_CHANGE_DOCUMENT)
    json_builder_add_boolean_value (b, g_str_equal (v, "yes"));
  else
    json_builder_add_string_value (b, v);
}

static char *
claim_body (KlDatabase *db, const KlClaim *c, const char *number, GError **error)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(GPtrArray) history = kl_claim_store_history (db, c->id, error);
  g_autoptr(GPtrArray) notes = NULL;

  if (history == NULL)
    return NULL;
  notes = kl_claim_store_notes (db, c->id, FALSE, error);
  if (notes == NULL)
    return NULL;
  json_builder_begin_object (b);
  set_text (b, "customer_id", c->customer_id);
  set_text (b, "kind", kl_claim_kind_to_string (c->kind));
  set_text (b, "number", number);
  set_text (b, "status", kl_claim_status_to_string (c->status));
  set_text (b, "waybill", c->waybill);
  set_text (b, "incident_date", c->incident_date);
  set_money (b, "claimed", c->claimed_set, c->claimed, c->currency);
  set_money (b, "salvage", c->salvage_set, c->salvage, c->currency);
  set_text (b, "description", c->description);
  set_time (b, "filed_at", c->filed_at != KL_NO_TIME ? c->filed_at : c->created_at);
  set_time (b, "acknowledged_at", c->acknowledged_at);
  set_time (b, "closed_at", c->closed_at);
  set_money (b, "approved", c->approved_set, c->approved, c->currency);
  set_money (b, "paid", c->paid_set, c->paid, c->currency);
  set_text (b, "owner", c->owner);
  set_text (b, "root_cause", c->root_cause);
  set_text (b, "corrective_action", c->corrective_action);
  json_builder_set_member_name (b, "documents");
  json_builder_begin_object (b);
  for (guint d = 0; d < KL_N_CLAIM_DOCUMENTS; d++)
    if (c->documents & KL_CLAIM_DOCUMENT_BIT (d))
      {
        json_builder_set_member_name (b, kl_claim_document_to_string ((KlClaimDocument) d));
        json_builder_add_boolean_value (b, TRUE);
      }
  json_builder_end_object (b);
  set_text (b, "return_destination", c->return_destination);
  set_text (b, "return_carrier", c->label_carrier);
  set_text (b, "return_label", c->label_number);
  set_text (b, "return_tracking", c->return_tracking);
  set_text (b, "outcome", c->outcome_set ? kl_return_outcome_to_string (c->outcome) : NULL);
  json_builder_set_member_name (b, "notes");
  json_builder_begin_array (b);
  for (guint i = 0; i < notes->len; i++)
    {
      KlClaimNote *n = g_ptr_array_index (notes, i);
      json_builder_begin_object (b);
      set_time (b, "at", n->at);
      set_text (b, "by", n->by ? n->by : "demo");
      set_text (b, "text", n->text);
      set_text (b, "visibility", n->visibility == KL_CLAIM_NOTE_CLIENT ? "client" : "internal");
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_set_member_name (b, "history");
  json_builder_begin_array (b);
  for (guint i = 0; i < history->len; i++)
    {
      KlClaimHistoryEntry *e = g_ptr_array_index (history, i);
      const char *field = e->field;
      if (field && g_str_has_prefix (field, "document:"))
        field += strlen ("document:");
      json_builder_begin_object (b);
      set_time (b, "at", e->at);
      set_text (b, "by", e->by ? e->by : "demo");
      set_text (b, "change", kl_claim_change_to_string (e->change));
      set_text (b, "field", field);
      history_value (b, "from", e, e->old_value);
      history_value (b, "to", e, e->new_value);
      set_text (b, "note", e->reason ? e->reason : e->note);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  return builder_text (b);
}

/* ---- a temporary workspace ---- */

typedef struct {
  char       *dir;
  KlDatabase *db;
} TempWorkspace;

static void
temp_workspace_free (TempWorkspace *tw)
{
  g_autofree char *path = NULL;
  if (tw == NULL)
    return;
  g_clear_object (&tw->db);
  if (tw->dir)
    {
      g_autoptr(GDir) d = g_dir_open (tw->dir, 0, NULL);
      const char *name;
      while (d && (name = g_dir_read_name (d)) != NULL)
        {
          g_autofree char *p = g_build_filename (tw->dir, name, NULL);
          g_unlink (p);
        }
      g_rmdir (tw->dir);
      g_free (tw->dir);
    }
  g_free (tw);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TempWorkspace, temp_workspace_free)

static TempWorkspace *
temp_workspace_new (GError **error)
{
  g_autoptr(TempWorkspace) tw = g_new0 (TempWorkspace, 1);
  g_autofree char *path = NULL;
  tw->dir = g_dir_make_tmp ("keyline-server-XXXXXX", error);
  if (tw->dir == NULL)
    return NULL;
  path = g_build_filename (tw->dir, "workspace.db", NULL);
  tw->db = kl_database_open (path, KL_DATABASE_OPEN_CREATE, error);
  if (tw->db == NULL)
    return NULL;
  return g_steal_pointer (&tw);
}

static gboolean
put_record (KlServerStore *store, KlServerCollection collection, const char *id,
            const char *key, const char *account_id, const char *manager, char *body,
            gint64 expected_revision, GError **error)
{
  g_autoptr(KlServerRecord) r = kl_server_record_new ();
  r->collection = collection;
  r->id = g_strdup (id);
  r->updated_at = g_get_real_time ();
  r->key = g_strdup (key);
  r->account_id = g_strdup (account_id);
  r->account_manager = g_strdup (manager);
  r->body = body;
  return store->vtable->record_put (store, r, expected_revision, error);
}

static int
compare_claim_numbers (gconstpointer a, gconstpointer b)
{
  const KlClaim *ca = *(KlClaim * const *) a;
  const KlClaim *cb = *(KlClaim * const *) b;
  return g_strcmp0 (ca->number, cb->number);
}

/* The demo's account managers onto the demo users: 张伟 is kam1, 李娜 is
 * kam2, and Emily Chen's accounts go to kam2 so the two split them. */
static const char *
demo_manager (const char *manager)
{
  if (g_strcmp0 (manager, "张伟") == 0)
    return "张伟";
  return "李娜";
}

gboolean
kl_server_fill_demo (KlServerStore *store, guint32 seed, guint n_customers, GError **error)
{
  g_autoptr(TempWorkspace) tw = NULL;
  g_autoptr(GHashTable) existing = NULL;
  g_autoptr(GPtrArray) customers = NULL;
  g_autoptr(GPtrArray) claims = NULL;
  g_autofree char *currency = NULL;
  KlDemoOptions options = KL_DEMO_OPTIONS_INIT;
  KlCustomerFilter filter = KL_CUSTOMER_FILTER_INIT;
  KlClaimFilter claim_filter = KL_CLAIM_FILTER_INIT;
  static const struct { const char *name, *display; KlServerRole role; } users[] = {
    { "kam1", "张伟", KL_SERVER_ROLE_KAM },
    { "kam2", "李娜", KL_SERVER_ROLE_KAM },
    { "lead", "Team lead", KL_SERVER_ROLE_LEAD },
  };
  g_autoptr(GPtrArray) tokens = g_ptr_array_new_with_free_func (g_free);
  guint n_shipments = 0;

  existing = store->vtable->key_index (store, KL_SERVER_COLLECTION_CUSTOMERS, error);
  if (existing == NULL)
    return FALSE;
  if (g_hash_table_size (existing) > 0)
    {
      g_set_error (error, KL_SERVER_STORE_ERROR, KL_SERVER_STORE_ERROR_EXISTS,
                   "%s holds customers already; demo fills an empty database "
                   "(give another --database)", store->url);
      return FALSE;
    }
  options.seed = seed;
  options.n_customers = n_customers;
  tw = temp_workspace_new (error);
  if (tw == NULL || !kl_demo_fill (tw->db, &options, NULL, NULL, NULL, error))
    return FALSE;
  customers = kl_customer_store_list (tw->db, &filter, 0, -1, error);
  if (customers == NULL)
    return FALSE;
  claims = kl_claim_store_list (tw->db, &claim_filter, g_get_real_time () / G_USEC_PER_SEC, error);
  if (claims == NULL)
    return FALSE;
  g_ptr_array_sort (claims, compare_claim_numbers);
  currency = kl_database_get_currency (tw->db);

  if (!kl_server_store_begin (store, error))
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (users); i++)
    {
      KlServerUser u = { (char *) users[i].name, (char *) users[i].display, users[i].role,
                         g_get_real_time () };
      g_autoptr(KlServerUser) have = store->vtable->user_get (store, u.name, NULL);
      char *token;
      if (have == NULL && !store->vtable->user_add (store, &u, error))
        goto fail;
      token = kl_server_fill_create_token (store, u.name, error);
      if (token == NULL)
        goto fail;
      g_ptr_array_add (tokens, token);
    }
  for (guint i = 0; i < customers->len; i++)
    {
      KlCustomer *c = g_ptr_array_index (customers, i);
      const char *manager = demo_manager (c->account_manager);
      g_autoptr(GPtrArray) shipments = NULL;
      char *body = customer_body (tw->db, c, manager, error);
      if (body == NULL ||
          !put_record (store, KL_SERVER_COLLECTION_CUSTOMERS, c->id, c->code, c->id, manager,
                       body, 0, error))
        goto fail;
      shipments = kl_shipment_store_list (tw->db, c->id, G_MININT64, G_MAXINT64, -1, error);
      if (shipments == NULL)
        goto fail;
      for (guint j = 0; j < shipments->len; j++)
        {
          KlShipment *s = g_ptr_array_index (shipments, j);
          /* The temporary workspace's shipments came from CSV and so have
           * no back-office id yet: the server gives each one here. */
          g_autofree char *id = s->id != NULL ? g_strdup (s->id) : kl_uuid_new ();
          if (!put_record (store, KL_SERVER_COLLECTION_SHIPMENTS, id, s->waybill, c->id, NULL,
                           shipment_body (s, currency), 0, error))
            goto fail;
        }
      n_shipments += shipments->len;
    }
  for (guint i = 0; i < claims->len; i++)
    {
      KlClaim *c = g_ptr_array_index (claims, i);
      /* Numbered by the server's counters, in the workspace's order, so
       * the next case opened gets the next number. */
      g_autofree char *sample = kl_claim_format_number (c->kind, 2000, 0);
      g_autofree char *prefix = g_strndup (c->number, strlen (c->number) - 7);
      g_autofree char *number = NULL;
      gint64 n = store->vtable->next_number (store, prefix, error);
      char *body;
      (void) sample;
      if (n <= 0)
        goto fail;
      number = g_strdup_printf ("%s-%06" G_GINT64_FORMAT, prefix, n);
      body = claim_body (tw->db, c, number, error);
      if (body == NULL ||
          !put_record (store, KL_SERVER_COLLECTION_CLAIMS, c->id, number, c->customer_id, NULL,
                       body, 0, error))
        goto fail;
    }
  if (!kl_server_store_commit (store, error))
    return FALSE;

  g_print ("demo: %u customers, %u shipments, %u cases (seed %u)\n",
           customers->len, n_shipments, claims->len, seed);
  for (guint i = 0; i < G_N_ELEMENTS (users); i++)
    g_print ("%s\t%s\t%s\n", users[i].name, kl_server_role_to_string (users[i].role),
             (char *) g_ptr_array_index (tokens, i));
  return TRUE;

fail:
  kl_server_store_rollback (store);
  return FALSE;
}

/* ---- import ---- */

static KlCustomer *
customer_from_body (const KlServerRecord *r)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *o;
  JsonArray *tags;
  KlCustomer *c;
  const char *s;

  if (!json_parser_load_from_data (parser, r->body, -1, NULL))
    return NULL;
  o = json_node_get_object (json_parser_get_root (parser));
  c = kl_customer_new ();
  g_free (c->id);
  c->id = g_strdup (r->id);
#define TEXT(field) (json_object_has_member (o, field) && \
                     !json_object_get_null_member (o, field) ? \
                     g_strdup (json_object_get_string_member (o, field)) : NULL)
  c->code = TEXT ("code");
  c->name = TEXT ("name");
  c->legal_name = TEXT ("legal_name");
  c->industry = TEXT ("industry");
  c->region = TEXT ("region");
  c->account_manager = TEXT ("account_manager");
  c->notes = TEXT ("notes");
#undef TEXT
  if ((s = json_object_get_string_member_with_default (o, "kind", NULL)))
    kl_customer_kind_from_string (s, &c->kind);
  if ((s = json_object_get_string_member_with_default (o, "channel", NULL)))
    kl_channel_from_string (s, &c->channel);
  if ((s = json_object_get_string_member_with_default (o, "relationship", NULL)))
    kl_relationship_from_string (s, &c->relationship);
  if ((s = json_object_get_string_member_with_default (o, "status", NULL)))
    kl_customer_status_from_string (s, &c->status);
  tags = json_object_has_member (o, "tags") ? json_object_get_array_member (o, "tags") : NULL;
  if (tags != NULL && json_array_get_length (tags) > 0)
    {
      c->tags = g_new0 (char *, json_array_get_length (tags) + 1);
      for (guint i = 0; i < json_array_get_length (tags); i++)
        c->tags[i] = g_strdup (json_array_get_string_element (tags, i));
    }
  return c;
}

/* Merges the server's own fields (contacts, agreement) that a CSV row
 * never carries into a body made from the workspace. */
static char *
keep_server_fields (const char *made, const char *server_body)
{
  g_autoptr(JsonParser) a = json_parser_new ();
  g_autoptr(JsonParser) b = json_parser_new ();
  JsonObject *made_o, *server_o;
  g_autoptr(JsonNode) root = NULL;
  if (server_body == NULL || !json_parser_load_from_data (a, made, -1, NULL) ||
      !json_parser_load_from_data (b, server_body, -1, NULL))
    return g_strdup (made);
  made_o = json_node_get_object (json_parser_get_root (a));
  server_o = json_node_get_object (json_parser_get_root (b));
  for (const char * const *f = (const char * const[]) { "contacts", "agreement", NULL }; *f; f++)
    if (json_object_has_member (server_o, *f))
      json_object_set_member (made_o, *f, json_node_copy (json_object_get_member (server_o, *f)));
  root = json_node_init_object (json_node_alloc (), made_o);
  return json_to_string (root, FALSE);
}

static gboolean
bodies_equal (const char *a, const char *b)
{
  g_autoptr(JsonNode) na = json_from_string (a, NULL);
  g_autoptr(JsonNode) nb = json_from_string (b, NULL);
  return na != NULL && nb != NULL && json_node_equal (na, nb);
}

int
kl_server_fill_import (KlServerStore *store, const KlServerImportOptions *o)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TempWorkspace) tw = NULL;
  g_autoptr(GFile) file = g_file_new_for_commandline_arg (o->path);
  g_autoptr(KlImportResult) result = NULL;
  g_autoptr(GHashTable) codes = NULL;
  g_autoptr(GPtrArray) customers = NULL;
  g_autofree char *summary = NULL;
  g_autofree char *shown = kl_csv_escape (o->path, 0);
  g_autoptr(KlImportProfile) profile = NULL;
  g_autofree char *currency = NULL;
  KlCustomerFilter filter = KL_CUSTOMER_FILTER_INIT;
  KlImportFlags flags = KL_IMPORT_FLAGS_NONE;
  GHashTableIter iter;
  gpointer key, value;
  guint n_new = 0, n_updated = 0, n_unchanged = 0, n_good;

  if (o->profile != NULL)
    {
      /* The same profiles as keyline-cli import --profile (docs/import-profiles.md). */
      profile = kl_import_profile_load_file (o->profile, &error);
      if (profile == NULL)
        {
          g_printerr ("keyline-server: %s\n", error->message);
          return g_error_matches (error, G_FILE_ERROR, G_FILE_ERROR_NOENT) ? 66 : 65;
        }
      if (kl_import_profile_get_kind (profile) !=
          (o->shipments ? KL_IMPORT_SHIPMENTS : KL_IMPORT_CUSTOMERS))
        {
          g_printerr ("keyline-server: the profile %s reads %s, not %s; give a profile made for "
                      "this kind of file\n", o->profile,
                      o->shipments ? "customers" : "shipments",
                      o->shipments ? "shipments" : "customers");
          return 65;
        }
      if (kl_import_profile_get_update_only (profile))
        {
          g_printerr ("keyline-server: the profile %s is update-only (a proof-of-delivery file); "
                      "the server imports whole records only: import that file in Keyline, or "
                      "use a profile without \"update_only\"\n", o->profile);
          return 65;
        }
    }
  if (o->encoding != NULL)
    {
      if (g_ascii_strcasecmp (o->encoding, "utf-8") == 0 || g_ascii_strcasecmp (o->encoding, "utf8") == 0)
        flags |= KL_IMPORT_FLAGS_UTF8;
      else if (g_ascii_strcasecmp (o->encoding, "gb18030") == 0)
        flags |= KL_IMPORT_FLAGS_GB18030;
      else
        {
          g_printerr ("keyline-server: “%s” is not an encoding this import reads; give "
                      "--encoding utf-8 or --encoding gb18030\n", o->encoding);
          return 64;
        }
    }
  if (o->skip_bad)
    flags |= KL_IMPORT_FLAGS_SKIP_BAD;
  if (!kl_import_check_file (file, o->path, &error))
    {
      g_printerr ("keyline-server: %s. Check the file’s name and that you may read it.\n",
                  error->message);
      return 66;
    }

  /* The server's customers go into a temporary workspace first, so rows
   * find their customer codes and customer rows update what is there. */
  tw = temp_workspace_new (&error);
  if (tw == NULL)
    goto fail;
  codes = store->vtable->key_index (store, KL_SERVER_COLLECTION_CUSTOMERS, &error);
  if (codes == NULL || !kl_database_begin (tw->db, &error))
    goto fail;
  g_hash_table_iter_init (&iter, codes);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      g_autoptr(KlServerRecord) r = store->vtable->record_get (store, KL_SERVER_COLLECTION_CUSTOMERS,
                                                               value, &error);
      g_autoptr(KlCustomer) c = NULL;
      if (r == NULL)
        goto fail;
      c = customer_from_body (r);
      if (c == NULL || !kl_customer_store_save (tw->db, c, KL_ORIGIN_SERVER, NULL, &error))
        goto fail;
    }
  if (!kl_database_commit (tw->db, &error))
    goto fail;
  currency = kl_database_get_currency (tw->db);

  result = kl_import_run_file_with_profile (tw->db,
                                            o->shipments ? KL_IMPORT_SHIPMENTS : KL_IMPORT_CUSTOMERS,
                                            file, o->path, profile, flags, NULL, NULL, NULL, &error);
  if (result == NULL)
    {
      g_printerr ("keyline-server: %s\n", error->message);
      return error->domain == KL_IMPORT_ERROR &&
             (error->code == KL_IMPORT_ERROR_READ || error->code == KL_IMPORT_ERROR_NOT_A_FILE)
             ? 66 : 65;
    }
  for (guint i = 0; result->errors != NULL && i < result->errors->len; i++)
    g_printerr ("%s\n", (const char *) g_ptr_array_index (result->errors, i));
  if (result->unknown_columns != NULL && result->unknown_columns->len > 0)
    {
      g_autoptr(GString) names = g_string_new (NULL);
      for (guint i = 0; i < result->unknown_columns->len; i++)
        g_string_append_printf (names, "%s“%s”", i ? ", " : "",
                                (const char *) g_ptr_array_index (result->unknown_columns, i));
      g_print ("Ignored unknown columns: %s\n", names->str);
    }
  g_print ("Read as %s.\n", result->encoding);

  /* What the rows made, against what the server holds: new, updated or
   * unchanged by key; written in one store transaction. */
  if (result->written)
    {
      if (!o->dry_run && !kl_server_store_begin (store, &error))
        goto fail;
      if (!o->shipments)
        {
          customers = kl_customer_store_list (tw->db, &filter, 0, -1, &error);
          if (customers == NULL)
            goto fail_rollback;
          for (guint i = 0; i < customers->len; i++)
            {
              KlCustomer *c = g_ptr_array_index (customers, i);
              g_autoptr(KlServerRecord) have = store->vtable->record_get_by_key (
                  store, KL_SERVER_COLLECTION_CUSTOMERS, c->code, &error);
              g_autofree char *made = NULL;
              g_autofree char *body = NULL;
              if (have == NULL && error)
                goto fail_rollback;
              made = customer_body (tw->db, c, c->account_manager, &error);
              if (made == NULL)
                goto fail_rollback;
              body = keep_server_fields (made, have ? have->body : NULL);
              if (have != NULL && bodies_equal (have->body, body))
                {
                  n_unchanged++;
                  continue;
                }
              if (have) n_updated++; else n_new++;
              if (!o->dry_run &&
                  !put_record (store, KL_SERVER_COLLECTION_CUSTOMERS, have ? have->id : c->id,
                               c->code, have ? have->id : c->id, c->account_manager,
                               g_steal_pointer (&body), have ? have->revision : 0, &error))
                goto fail_rollback;
              /* Changed hands: its shipments and cases go to the new manager's feed. */
              if (!o->dry_run && have != NULL &&
                  g_strcmp0 (have->account_manager, c->account_manager) != 0 &&
                  store->vtable->touch_account != NULL &&
                  !store->vtable->touch_account (store, have->id, &error))
                goto fail_rollback;
            }
        }
      else
        {
          g_hash_table_iter_init (&iter, codes);
          while (g_hash_table_iter_next (&iter, &key, &value))
            {
              g_autoptr(GPtrArray) shipments = kl_shipment_store_list (tw->db, value, G_MININT64,
                                                                       G_MAXINT64, -1, &error);
              if (shipments == NULL)
                goto fail_rollback;
              for (guint j = 0; j < shipments->len; j++)
                {
                  KlShipment *s = g_ptr_array_index (shipments, j);
                  g_autoptr(KlServerRecord) have = store->vtable->record_get_by_key (
                      store, KL_SERVER_COLLECTION_SHIPMENTS, s->waybill, &error);
                  g_autofree char *body = shipment_body (s, currency);
                  g_autofree char *new_id = s->id != NULL ? g_strdup (s->id) : kl_uuid_new ();
                  if (have == NULL && error)
                    goto fail_rollback;
                  if (have != NULL && bodies_equal (have->body, body))
                    {
                      n_unchanged++;
                      continue;
                    }
                  if (have) n_updated++; else n_new++;
                  if (!o->dry_run &&
                      !put_record (store, KL_SERVER_COLLECTION_SHIPMENTS, have ? have->id : new_id,
                                   s->waybill, value, NULL, g_steal_pointer (&body),
                                   have ? have->revision : 0, &error))
                    goto fail_rollback;
                }
            }
        }
      if (!o->dry_run && !kl_server_store_commit (store, &error))
        goto fail;
      result->n_new = n_new;
      result->n_updated = n_updated;
      result->n_unchanged = n_unchanged;
    }
  if (o->dry_run)
    g_print ("Dry run: nothing was written.\n");
  summary = kl_import_result_summary (result);
  n_good = result->n_new + result->n_updated + result->n_unchanged;
  if (result->n_bad > 0 && !o->skip_bad)
    {
      g_printerr ("keyline-server: %u row(s) of “%s” are bad, so nothing was written. Correct "
                  "them and import again, or add --skip-bad to write the good rows.\n",
                  result->n_bad, shown);
      g_print ("%s\n", summary);
      return 65;
    }
  if (result->n_bad > 0 && n_good == 0)
    {
      g_printerr ("keyline-server: no row of “%s” is good, so nothing was written.\n", shown);
      g_print ("%s\n", summary);
      return 65;
    }
  g_print ("%s\n", summary);
  return 0;

fail_rollback:
  if (!o->dry_run)
    kl_server_store_rollback (store);
fail:
  g_printerr ("keyline-server: %s\n", error ? error->message : "import failed");
  return 69;
}
