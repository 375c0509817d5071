/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Decoders for the objects of api.yaml: see kl-sync-decode.h. */

#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "kl-sync-client.h"
#include "kl-sync-decode.h"

typedef enum {
  T_STRING,
  T_STRING_NULL,
  T_UUID,
  T_INT,
  T_BOOL,
  T_BOOL_NULL,
  T_NUMBER_NULL,
  T_DATETIME,
  T_DATETIME_NULL,
  T_DATE,
  T_DATE_NULL,
  T_ENUM,
  T_ENUM_NULL,
  T_MONEY,
  T_MONEY_NULL,
  T_STRINGS,       /* array of strings */
  T_ARRAY,         /* array of objects */
  T_OBJECT,
  T_OBJECT_NULL,
  T_ANY,
} FieldType;

typedef struct {
  const char        *name;
  FieldType          type;
  gboolean           required;
  const char *const *values;
} FieldSpec;

static const char *const customer_kinds[] = { "enterprise", "individual", "public", NULL };
static const char *const channels[] = { "end_customer", "distributor", NULL };
static const char *const relationships[] = { "basic", "passive", "responsible", "proactive", "partner", NULL };
static const char *const customer_statuses[] = { "prospect", "active", "at_risk", "lost", NULL };
static const char *const contact_roles[] = { "purchasing", "logistics", "finance", "quality", "executive", "other", NULL };
static const char *const shipment_statuses[] = { "booked", "in_transit", "delivered", "cancelled", NULL };
static const char *const modes[] = { "road_ftl", "road_ltl", "rail", "air", "sea", "express", NULL };
static const char *const claim_kinds[] = { "damage", "shortage", "delay", "loss", "return", "complaint", NULL };
static const char *const outcomes[] = { "restocked", "refunded", "replaced", "repaired", "disposed", NULL };
static const char *const visibilities[] = { "internal", "client", NULL };
static const char *const changes[] = { "created", "moved", "field", "document", "note", NULL };

static const FieldSpec record_fields[] = {
  { "id", T_UUID, TRUE, NULL },
  { "revision", T_INT, TRUE, NULL },
  { "updated_at", T_DATETIME, TRUE, NULL },
  { "deleted", T_BOOL, TRUE, NULL },
  { NULL }
};

static const FieldSpec customer_fields[] = {
  { "code", T_STRING, TRUE, NULL },
  { "name", T_STRING, TRUE, NULL },
  { "legal_name", T_STRING_NULL, FALSE, NULL },
  { "kind", T_ENUM, TRUE, customer_kinds },
  { "channel", T_ENUM, TRUE, channels },
  { "industry", T_STRING_NULL, FALSE, NULL },
  { "region", T_STRING_NULL, FALSE, NULL },
  { "account_manager", T_STRING_NULL, FALSE, NULL },
  { "relationship", T_ENUM, TRUE, relationships },
  { "status", T_ENUM, TRUE, customer_statuses },
  { "tags", T_STRINGS, FALSE, NULL },
  { "notes", T_STRING_NULL, FALSE, NULL },
  { "contacts", T_ARRAY, FALSE, NULL },
  { "agreement", T_OBJECT_NULL, FALSE, NULL },
  { NULL }
};

static const FieldSpec contact_fields[] = {
  { "name", T_STRING, FALSE, NULL },
  { "role", T_ENUM, FALSE, contact_roles },
  { "phone", T_STRING_NULL, FALSE, NULL },
  { "email", T_STRING_NULL, FALSE, NULL },
  { "primary", T_BOOL, FALSE, NULL },
  { NULL }
};

static const FieldSpec agreement_fields[] = {
  { "effective_from", T_DATE, FALSE, NULL },
  { "effective_to", T_DATE_NULL, FALSE, NULL },
  { "targets", T_OBJECT, FALSE, NULL },
  { "dispatch_grace_min", T_INT, FALSE, NULL },
  { "delivery_grace_min", T_INT, FALSE, NULL },
  { "claim_ack_days", T_INT, FALSE, NULL },
  { "claim_resolve_days", T_INT, FALSE, NULL },
  { NULL }
};

static const FieldSpec shipment_fields[] = {
  { "waybill", T_STRING, TRUE, NULL },
  { "customer_id", T_UUID, TRUE, NULL },
  { "status", T_ENUM, TRUE, shipment_statuses },
  { "mode", T_ENUM_NULL, FALSE, modes },
  { "origin_city", T_STRING_NULL, FALSE, NULL },
  { "origin_region", T_STRING_NULL, FALSE, NULL },
  { "dest_city", T_STRING_NULL, FALSE, NULL },
  { "dest_region", T_STRING_NULL, FALSE, NULL },
  { "pieces", T_INT, TRUE, NULL },
  { "weight_kg", T_NUMBER_NULL, FALSE, NULL },
  { "volume_m3", T_NUMBER_NULL, FALSE, NULL },
  /* the times are read (and checked) by kl_sync_decode_shipment () */
  { "planned_pickup_at", T_STRING, TRUE, NULL },
  { "picked_up_at", T_STRING_NULL, FALSE, NULL },
  { "planned_delivery_at", T_STRING, TRUE, NULL },
  { "delivered_at", T_STRING_NULL, FALSE, NULL },
  { "documents_ok", T_BOOL_NULL, FALSE, NULL },
  { "order_accurate", T_BOOL_NULL, FALSE, NULL },
  { "damaged_pieces", T_INT, FALSE, NULL },
  { "short_pieces", T_INT, FALSE, NULL },
  { "incident", T_BOOL, FALSE, NULL },
  { "revenue", T_MONEY_NULL, FALSE, NULL },
  { NULL }
};

static const FieldSpec claim_fields[] = {
  { "customer_id", T_UUID, TRUE, NULL },
  { "kind", T_ENUM, TRUE, claim_kinds },
  { "number", T_STRING, TRUE, NULL },
  { "status", T_STRING, TRUE, NULL },
  { "filed_at", T_DATETIME, TRUE, NULL },
  { "waybill", T_STRING_NULL, FALSE, NULL },
  { "incident_date", T_DATE_NULL, FALSE, NULL },
  { "claimed", T_MONEY_NULL, FALSE, NULL },
  { "salvage", T_MONEY_NULL, FALSE, NULL },
  { "approved", T_MONEY_NULL, FALSE, NULL },
  { "paid", T_MONEY_NULL, FALSE, NULL },
  { "description", T_STRING_NULL, FALSE, NULL },
  { "owner", T_STRING_NULL, FALSE, NULL },
  { "root_cause", T_STRING_NULL, FALSE, NULL },
  { "corrective_action", T_STRING_NULL, FALSE, NULL },
  { "documents", T_OBJECT, FALSE, NULL },
  { "acknowledged_at", T_DATETIME_NULL, FALSE, NULL },
  { "closed_at", T_DATETIME_NULL, FALSE, NULL },
  { "return_destination", T_STRING_NULL, FALSE, NULL },
  { "return_carrier", T_STRING_NULL, FALSE, NULL },
  { "return_label", T_STRING_NULL, FALSE, NULL },
  { "return_tracking", T_STRING_NULL, FALSE, NULL },
  { "outcome", T_ENUM_NULL, FALSE, outcomes },
  { "notes", T_ARRAY, FALSE, NULL },
  { "history", T_ARRAY, FALSE, NULL },
  { NULL }
};

static const FieldSpec note_fields[] = {
  { "at", T_DATETIME, FALSE, NULL },
  { "by", T_STRING, FALSE, NULL },
  { "text", T_STRING, FALSE, NULL },
  { "visibility", T_ENUM, FALSE, visibilities },
  { NULL }
};

static const FieldSpec history_fields[] = {
  { "at", T_DATETIME, FALSE, NULL },
  { "by", T_STRING, FALSE, NULL },
  { "change", T_ENUM, FALSE, changes },
  { "field", T_STRING_NULL, FALSE, NULL },
  { "note", T_STRING_NULL, FALSE, NULL },
  { NULL }
};

void
kl_sync_page_free (KlSyncPage *self)
{
  if (self == NULL)
    return;
  if (self->root)
    json_node_unref (self->root);
  if (self->shipments != NULL)
    g_array_unref (self->shipments);
  g_free (self->next_cursor);
  g_free (self);
}

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian). */
static gint64
days_from_civil (gint64 y, unsigned m, unsigned d)
{
  gint64 era;
  unsigned yoe, doy, doe;

  y -= m <= 2;
  era = (y >= 0 ? y : y - 399) / 400;
  yoe = (unsigned) (y - era * 400);
  doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + (gint64) doe - 719468;
}

static gboolean
digits (const char *s, int n, int *out)
{
  int v = 0;

  for (int i = 0; i < n; i++)
    {
      if (!g_ascii_isdigit (s[i]))
        return FALSE;
      v = v * 10 + (s[i] - '0');
    }
  *out = v;
  return TRUE;
}

static gboolean
date_valid (int y, int m, int d)
{
  return m >= 1 && m <= 12 && d >= 1 && d <= g_date_get_days_in_month ((GDateMonth) m, (GDateYear) y) && y >= 1;
}

static gboolean
parse_date (const char *s)
{
  int y, m, d;

  return strlen (s) == 10 && digits (s, 4, &y) && s[4] == '-' && digits (s + 5, 2, &m) && s[7] == '-' &&
         digits (s + 8, 2, &d) && date_valid (y, m, d);
}

gboolean
kl_sync_parse_time (const char *s,
                    gint64     *out)
{
  int y, mo, d, h, mi, sec, oh = 0, om = 0;
  const char *p;
  int sign = 0;

  if (s == NULL || strlen (s) < 20)
    return FALSE;
  if (!digits (s, 4, &y) || s[4] != '-' || !digits (s + 5, 2, &mo) || s[7] != '-' || !digits (s + 8, 2, &d) ||
      (s[10] != 'T' && s[10] != 't' && s[10] != ' ') || !digits (s + 11, 2, &h) || s[13] != ':' ||
      !digits (s + 14, 2, &mi) || s[16] != ':' || !digits (s + 17, 2, &sec))
    return FALSE;
  if (!date_valid (y, mo, d) || h > 23 || mi > 59 || sec > 60)
    return FALSE;
  p = s + 19;
  if (*p == '.')
    {
      p++;
      if (!g_ascii_isdigit (*p))
        return FALSE;
      while (g_ascii_isdigit (*p))
        p++;
    }
  if (*p == 'Z' || *p == 'z')
    p++;
  else if (*p == '+' || *p == '-')
    {
      sign = *p == '-' ? -1 : 1;
      if (!digits (p + 1, 2, &oh) || p[3] != ':' || !digits (p + 4, 2, &om) || oh > 23 || om > 59)
        return FALSE;
      p += 6;
    }
  else
    return FALSE;
  if (*p != '\0')
    return FALSE;
  *out = days_from_civil (y, (unsigned) mo, (unsigned) d) * 86400 + h * 3600 + mi * 60 + MIN (sec, 59) -
         sign * (oh * 3600 + om * 60);
  return TRUE;
}

char *
kl_sync_format_time (gint64 t)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (t);

  return dt ? g_date_time_format (dt, "%Y-%m-%dT%H:%M:%SZ") : g_strdup ("1970-01-01T00:00:00Z");
}

static gboolean
uuid_like (const char *s)
{
  return g_uuid_string_is_valid (s);
}

static gboolean
refuse (GError     **error,
        const char  *collection,
        const char  *id,
        const char  *field,
        const char  *what)
{
  g_set_error (error, KL_SYNC_ERROR, KL_SYNC_ERROR_DATA,
               /* Translators: the server sent data breaking the API: collection, record id, field, what was wrong */
               _("The server sent %s record %s with a field “%s” that breaks the API: %s; nothing of that page was applied"),
               collection, id ? id : "?", field, what);
  return FALSE;
}

static gboolean check_fields (JsonObject *o, const FieldSpec *specs, const char *collection, const char *id,
                              const char *prefix, GError **error);

static gboolean
check_money (JsonNode *node)
{
  JsonObject *o;
  JsonNode *amount, *currency;
  const char *c;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return FALSE;
  o = json_node_get_object (node);
  amount = json_object_get_member (o, "amount_minor");
  currency = json_object_get_member (o, "currency");
  if (amount == NULL || currency == NULL || !JSON_NODE_HOLDS_VALUE (amount) ||
      json_node_get_value_type (amount) != G_TYPE_INT64 ||
      !JSON_NODE_HOLDS_VALUE (currency) || json_node_get_value_type (currency) != G_TYPE_STRING)
    return FALSE;
  c = json_node_get_string (currency);
  return strlen (c) == 3 && g_ascii_isupper (c[0]) && g_ascii_isupper (c[1]) && g_ascii_isupper (c[2]);
}

static gboolean
is_type (JsonNode *node, GType type)
{
  return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == type;
}

static gboolean
check_field (JsonNode         *node,
             const FieldSpec  *spec,
             const char       *collection,
             const char       *id,
             const char       *field,
             GError          **error)
{
  gboolean is_null = JSON_NODE_HOLDS_NULL (node);
  gint64 t;

  switch (spec->type)
    {
    case T_STRING:
      return is_type (node, G_TYPE_STRING) || refuse (error, collection, id, field, _("expected text"));
    case T_STRING_NULL:
      return is_null || is_type (node, G_TYPE_STRING) || refuse (error, collection, id, field, _("expected text or null"));
    case T_UUID:
      return (is_type (node, G_TYPE_STRING) && uuid_like (json_node_get_string (node))) ||
             refuse (error, collection, id, field, _("expected a UUID"));
    case T_INT:
      return is_type (node, G_TYPE_INT64) || refuse (error, collection, id, field, _("expected an integer"));
    case T_BOOL:
      return is_type (node, G_TYPE_BOOLEAN) || refuse (error, collection, id, field, _("expected true or false"));
    case T_BOOL_NULL:
      return is_null || is_type (node, G_TYPE_BOOLEAN) ||
             refuse (error, collection, id, field, _("expected true, false or null"));
    case T_NUMBER_NULL:
      return is_null || is_type (node, G_TYPE_INT64) || is_type (node, G_TYPE_DOUBLE) ||
             refuse (error, collection, id, field, _("expected a number or null"));
    case T_DATETIME_NULL:
      if (is_null)
        return TRUE;
      G_GNUC_FALLTHROUGH;
    case T_DATETIME:
      return (is_type (node, G_TYPE_STRING) && kl_sync_parse_time (json_node_get_string (node), &t)) ||
             refuse (error, collection, id, field, _("expected a time like 2026-10-01T08:00:00+08:00"));
    case T_DATE_NULL:
      if (is_null)
        return TRUE;
      G_GNUC_FALLTHROUGH;
    case T_DATE:
      return (is_type (node, G_TYPE_STRING) && parse_date (json_node_get_string (node))) ||
             refuse (error, collection, id, field, _("expected a date like 2026-10-01"));
    case T_ENUM_NULL:
      if (is_null)
        return TRUE;
      G_GNUC_FALLTHROUGH;
    case T_ENUM:
      if (is_type (node, G_TYPE_STRING) && g_strv_contains (spec->values, json_node_get_string (node)))
        return TRUE;
      {
        g_autofree char *list = g_strjoinv (", ", (char **) spec->values);
        g_autofree char *what = g_strdup_printf (_("expected one of %s"), list);

        return refuse (error, collection, id, field, what);
      }
    case T_MONEY_NULL:
      if (is_null)
        return TRUE;
      G_GNUC_FALLTHROUGH;
    case T_MONEY:
      return check_money (node) ||
             refuse (error, collection, id, field, _("expected {\"amount_minor\": integer, \"currency\": \"CNY\"}"));
    case T_STRINGS:
      if (!JSON_NODE_HOLDS_ARRAY (node))
        return refuse (error, collection, id, field, _("expected a list of texts"));
      for (guint i = 0; i < json_array_get_length (json_node_get_array (node)); i++)
        if (!is_type (json_array_get_element (json_node_get_array (node), i), G_TYPE_STRING))
          return refuse (error, collection, id, field, _("expected a list of texts"));
      return TRUE;
    case T_ARRAY:
      if (!JSON_NODE_HOLDS_ARRAY (node))
        return refuse (error, collection, id, field, _("expected a list"));
      {
        JsonArray *a = json_node_get_array (node);
        const FieldSpec *items = g_str_equal (spec->name, "contacts") ? contact_fields
                               : g_str_equal (spec->name, "notes") ? note_fields
                               : g_str_equal (spec->name, "history") ? history_fields : NULL;

        for (guint i = 0; i < json_array_get_length (a); i++)
          {
            JsonNode *e = json_array_get_element (a, i);
            g_autofree char *prefix = g_strdup_printf ("%s[%u]", field, i);

            if (!JSON_NODE_HOLDS_OBJECT (e))
              return refuse (error, collection, id, prefix, _("expected an object"));
            if (items != NULL && !check_fields (json_node_get_object (e), items, collection, id, prefix, error))
              return FALSE;
          }
      }
      return TRUE;
    case T_OBJECT_NULL:
      if (is_null)
        return TRUE;
      G_GNUC_FALLTHROUGH;
    case T_OBJECT:
      if (!JSON_NODE_HOLDS_OBJECT (node))
        return refuse (error, collection, id, field, _("expected an object"));
      if (g_str_equal (spec->name, "agreement"))
        return check_fields (json_node_get_object (node), agreement_fields, collection, id, field, error);
      if (g_str_equal (spec->name, "targets") || g_str_equal (spec->name, "documents"))
        {
          JsonObjectIter iter;
          const char *key;
          JsonNode *value;
          GType want = g_str_equal (spec->name, "documents") ? G_TYPE_BOOLEAN : G_TYPE_DOUBLE;

          json_object_iter_init (&iter, json_node_get_object (node));
          while (json_object_iter_next (&iter, &key, &value))
            if (!is_type (value, want) && !(want == G_TYPE_DOUBLE && is_type (value, G_TYPE_INT64)))
              {
                g_autofree char *name = g_strdup_printf ("%s.%s", field, key);

                return refuse (error, collection, id, name,
                               want == G_TYPE_BOOLEAN ? _("expected true or false") : _("expected a number"));
              }
        }
      return TRUE;
    case T_ANY:
      return TRUE;
    }
  return TRUE;
}

static gboolean
check_fields (JsonObject       *o,
              const FieldSpec  *specs,
              const char       *collection,
              const char       *id,
              const char       *prefix,
              GError          **error)
{
  for (const FieldSpec *spec = specs; spec->name != NULL; spec++)
    {
      JsonNode *node = json_object_get_member (o, spec->name);
      g_autofree char *field = prefix ? g_strdup_printf ("%s.%s", prefix, spec->name) : NULL;

      if (node == NULL)
        {
          if (spec->required)
            return refuse (error, collection, id, field ? field : spec->name, _("the field is missing"));
          continue;
        }
      if (!check_field (node, spec, collection, id, field ? field : spec->name, error))
        return FALSE;
    }
  return TRUE;
}

gboolean
kl_sync_check_record (JsonObject  *o,
                      const char  *collection,
                      GError     **error)
{
  JsonNode *id_node = json_object_get_member (o, "id");
  const char *id = id_node && is_type (id_node, G_TYPE_STRING) ? json_node_get_string (id_node) : NULL;
  const FieldSpec *specs;

  if (!check_fields (o, record_fields, collection, id, NULL, error))
    return FALSE;
  if (json_object_get_boolean_member (o, "deleted"))
    return TRUE;   /* a tombstone carries only the Record fields */
  specs = g_str_equal (collection, "customers") ? customer_fields
        : g_str_equal (collection, "shipments") ? shipment_fields : claim_fields;
  return check_fields (o, specs, collection, id, NULL, error);
}

KlSyncPage *
kl_sync_decode_page (JsonNode    *root,
                     const char  *collection,
                     GError     **error)
{
  g_autoptr(KlSyncPage) page = g_new0 (KlSyncPage, 1);
  gboolean shipments = g_str_equal (collection, "shipments");
  JsonObject *o;
  JsonNode *items, *next, *more;

  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, KL_SYNC_ERROR, KL_SYNC_ERROR_DATA,
                   _("The server sent a %s page that is not a JSON object; nothing of it was applied"), collection);
      return NULL;
    }
  o = json_node_get_object (root);
  items = json_object_get_member (o, "items");
  next = json_object_get_member (o, "next_cursor");
  more = json_object_get_member (o, "has_more");
  if (items == NULL || !JSON_NODE_HOLDS_ARRAY (items) || next == NULL || !is_type (next, G_TYPE_STRING) ||
      more == NULL || !is_type (more, G_TYPE_BOOLEAN))
    {
      g_set_error (error, KL_SYNC_ERROR, KL_SYNC_ERROR_DATA,
                   _("The server sent a %s page without items, next_cursor (text) and has_more (true or false); "
                     "nothing of it was applied"), collection);
      return NULL;
    }
  page->root = json_node_ref (root);
  page->items = json_node_get_array (items);
  page->n_items = json_array_get_length (page->items);
  page->next_cursor = g_strdup (json_node_get_string (next));
  page->has_more = json_node_get_boolean (more);
  for (guint i = 0; i < json_array_get_length (page->items); i++)
    {
      JsonNode *item = json_array_get_element (page->items, i);

      if (!JSON_NODE_HOLDS_OBJECT (item))
        {
          g_set_error (error, KL_SYNC_ERROR, KL_SYNC_ERROR_DATA,
                       _("The server sent a %s page whose item %u is not an object; nothing of it was applied"),
                       collection, i);
          return NULL;
        }
      /* A shipment is checked as it is decoded, in one pass over its
       * fields (kl_sync_page_decode_shipments ()). */
      if (!shipments && !kl_sync_check_record (json_node_get_object (item), collection, error))
        return NULL;
    }
  return g_steal_pointer (&page);
}

gboolean
kl_sync_decode_me (JsonNode    *root,
                   char       **out_user,
                   char       **out_display_name,
                   gint64      *out_server_time,
                   GError     **error)
{
  JsonObject *o;
  JsonNode *user, *name, *time;
  gint64 t;

  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    goto bad;
  o = json_node_get_object (root);
  user = json_object_get_member (o, "user");
  name = json_object_get_member (o, "display_name");
  time = json_object_get_member (o, "server_time");
  if (user == NULL || !is_type (user, G_TYPE_STRING) || name == NULL || !is_type (name, G_TYPE_STRING) ||
      time == NULL || !is_type (time, G_TYPE_STRING) || !kl_sync_parse_time (json_node_get_string (time), &t))
    goto bad;
  *out_user = g_strdup (json_node_get_string (user));
  *out_display_name = g_strdup (json_node_get_string (name));
  *out_server_time = t;
  return TRUE;

bad:
  g_set_error (error, KL_SYNC_ERROR, KL_SYNC_ERROR_DATA,
               _("The server's answer to /v1/me lacks user, display_name or server_time; is it a Keyline back office?"));
  return FALSE;
}

char *
kl_sync_problem_text (JsonNode *root)
{
  JsonObject *o;
  const char *title = NULL, *detail = NULL;

  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return g_strdup ("");
  o = json_node_get_object (root);
  if (json_object_has_member (o, "title") && is_type (json_object_get_member (o, "title"), G_TYPE_STRING))
    title = json_object_get_string_member (o, "title");
  if (json_object_has_member (o, "detail") && is_type (json_object_get_member (o, "detail"), G_TYPE_STRING))
    detail = json_object_get_string_member (o, "detail");
  if (title && detail)
    return g_strdup_printf ("%s: %s", title, detail);
  return g_strdup (detail ? detail : title ? title : "");
}

static char *
dup_or_null (JsonObject *o, const char *name)
{
  JsonNode *n = json_object_get_member (o, name);

  return n != NULL && is_type (n, G_TYPE_STRING) ? g_strdup (json_node_get_string (n)) : NULL;
}

static gboolean
time_field (JsonObject  *o,
            const char  *name,
            gint64      *out,
            const char  *id,
            GError     **error)
{
  JsonNode *n = json_object_get_member (o, name);

  *out = KL_NO_TIME;
  if (n == NULL || JSON_NODE_HOLDS_NULL (n))
    return TRUE;
  if (!kl_sync_parse_time (json_node_get_string (n), out))
    return refuse (error, "shipments", id, name, _("expected a time like 2026-10-01T08:00:00+08:00"));
  return TRUE;
}

static KlTri
tri_field (JsonObject *o, const char *name)
{
  JsonNode *n = json_object_get_member (o, name);

  if (n == NULL || JSON_NODE_HOLDS_NULL (n))
    return KL_TRI_UNKNOWN;
  return json_node_get_boolean (n) ? KL_TRI_TRUE : KL_TRI_FALSE;
}

static gint64
measure (JsonObject *o, const char *name, double scale)
{
  JsonNode *n = json_object_get_member (o, name);

  if (n == NULL || JSON_NODE_HOLDS_NULL (n))
    return -1;
  return llround (json_node_get_double (n) * scale);
}

gboolean
kl_sync_decode_shipment (JsonObject  *o,
                         KlShipment  *s,
                         GError     **error)
{
  const char *id = json_object_get_string_member (o, "id");
  const char *mode = json_object_get_member (o, "mode") ? json_object_get_string_member_with_default (o, "mode", NULL)
                                                        : NULL;

  s->id = g_strdup (id);
  s->waybill = dup_or_null (o, "waybill");
  s->customer_id = dup_or_null (o, "customer_id");
  kl_shipment_status_from_string (json_object_get_string_member (o, "status"), &s->status);
  s->mode = KL_MODE_NONE;
  if (mode != NULL)
    kl_shipment_mode_from_string (mode, &s->mode);
  s->origin_city = dup_or_null (o, "origin_city");
  s->origin_region = dup_or_null (o, "origin_region");
  s->dest_city = dup_or_null (o, "dest_city");
  s->dest_region = dup_or_null (o, "dest_region");
  s->pieces = json_object_get_int_member (o, "pieces");
  s->weight_g = measure (o, "weight_kg", 1000.0);
  s->volume_cm3 = measure (o, "volume_m3", 1000000.0);
  if (!time_field (o, "planned_pickup_at", &s->planned_pickup_at, id, error) ||
      !time_field (o, "picked_up_at", &s->picked_up_at, id, error) ||
      !time_field (o, "planned_delivery_at", &s->planned_delivery_at, id, error) ||
      !time_field (o, "delivered_at", &s->delivered_at, id, error))
    return FALSE;
  if (s->planned_pickup_at == KL_NO_TIME)
    return refuse (error, "shipments", id, "planned_pickup_at", _("the field is missing"));
  if (s->planned_delivery_at == KL_NO_TIME)
    return refuse (error, "shipments", id, "planned_delivery_at", _("the field is missing"));
  s->documents_ok = tri_field (o, "documents_ok");
  s->order_accurate = tri_field (o, "order_accurate");
  s->damaged_pieces = json_object_get_int_member_with_default (o, "damaged_pieces", 0);
  s->short_pieces = json_object_get_int_member_with_default (o, "short_pieces", 0);
  s->incident = json_object_get_boolean_member_with_default (o, "incident", FALSE);
  {
    JsonNode *revenue = json_object_get_member (o, "revenue");

    s->revenue_minor = -1;
    if (revenue != NULL && JSON_NODE_HOLDS_OBJECT (revenue))
      {
        s->revenue_minor = json_object_get_int_member (json_node_get_object (revenue), "amount_minor");
        s->currency = g_strdup (json_object_get_string_member (json_node_get_object (revenue), "currency"));
      }
  }
  s->revision = json_object_get_int_member (o, "revision");
  s->updated_at = 0;
  {
    gint64 t;

    if (kl_sync_parse_time (json_object_get_string_member (o, "updated_at"), &t))
      s->updated_at = t;
  }
  return TRUE;
}

static void
sync_shipment_clear (gpointer data)
{
  KlSyncShipment *item = data;

  g_clear_pointer (&item->shipment, kl_shipment_free);
}

/* The fields of a shipment in shipment_fields' order. */
enum {
  F_WAYBILL, F_CUSTOMER_ID, F_STATUS, F_MODE, F_ORIGIN_CITY, F_ORIGIN_REGION, F_DEST_CITY,
  F_DEST_REGION, F_PIECES, F_WEIGHT, F_VOLUME, F_PLANNED_PICKUP, F_PICKED_UP, F_PLANNED_DELIVERY,
  F_DELIVERED, F_DOCUMENTS_OK, F_ORDER_ACCURATE, F_DAMAGED, F_SHORT, F_INCIDENT, F_REVENUE, N_SHIPMENT_FIELDS
};
G_STATIC_ASSERT (G_N_ELEMENTS (shipment_fields) == N_SHIPMENT_FIELDS + 1);
G_STATIC_ASSERT (G_N_ELEMENTS (record_fields) == 4 + 1);

static char *
node_dup (JsonNode *n)
{
  return n != NULL && !JSON_NODE_HOLDS_NULL (n) ? g_strdup (json_node_get_string (n)) : NULL;
}

static KlTri
node_tri (JsonNode *n)
{
  if (n == NULL || JSON_NODE_HOLDS_NULL (n))
    return KL_TRI_UNKNOWN;
  return json_node_get_boolean (n) ? KL_TRI_TRUE : KL_TRI_FALSE;
}

static gint64
node_measure (JsonNode *n, double scale)
{
  if (n == NULL || JSON_NODE_HOLDS_NULL (n))
    return -1;
  return llround (json_node_get_double (n) * scale);
}

static gboolean
node_time (JsonNode *n, gint64 *out, const char *id, const char *name, GError **error)
{
  *out = KL_NO_TIME;
  if (n == NULL || JSON_NODE_HOLDS_NULL (n))
    return TRUE;
  if (!kl_sync_parse_time (json_node_get_string (n), out))
    return refuse (error, "shipments", id, name, _("expected a time like 2026-10-01T08:00:00+08:00"));
  return TRUE;
}

/* One item of a shipments page checked as kl_sync_check_record () checks it
 * (the same fields in the same order, the same messages) and decoded as
 * kl_sync_decode_shipment () decodes it, each field looked up once. */
static gboolean
decode_shipment_item (JsonObject      *o,
                      KlSyncShipment  *item,
                      GError         **error)
{
  JsonNode *record[4], *f[N_SHIPMENT_FIELDS];
  const char *id;
  KlShipment *s = item->shipment;
  gint64 t;

  record[0] = json_object_get_member (o, "id");
  id = record[0] != NULL && is_type (record[0], G_TYPE_STRING) ? json_node_get_string (record[0]) : NULL;
  for (guint i = 0; i < 4; i++)
    {
      const FieldSpec *spec = &record_fields[i];

      if (i > 0)
        record[i] = json_object_get_member (o, spec->name);
      if (record[i] == NULL)
        return refuse (error, "shipments", id, spec->name, _("the field is missing"));
      if (!check_field (record[i], spec, "shipments", id, spec->name, error))
        return FALSE;
    }
  item->deleted = json_node_get_boolean (record[3]);
  s->id = g_strdup (id);
  if (item->deleted)
    return TRUE;   /* a tombstone carries only the Record fields */

  for (guint i = 0; i < N_SHIPMENT_FIELDS; i++)
    {
      const FieldSpec *spec = &shipment_fields[i];

      f[i] = json_object_get_member (o, spec->name);
      if (f[i] == NULL)
        {
          if (spec->required)
            return refuse (error, "shipments", id, spec->name, _("the field is missing"));
          continue;
        }
      if (!check_field (f[i], spec, "shipments", id, spec->name, error))
        return FALSE;
    }

  s->waybill = node_dup (f[F_WAYBILL]);
  s->customer_id = node_dup (f[F_CUSTOMER_ID]);
  kl_shipment_status_from_string (json_node_get_string (f[F_STATUS]), &s->status);
  s->mode = KL_MODE_NONE;
  if (f[F_MODE] != NULL && !JSON_NODE_HOLDS_NULL (f[F_MODE]))
    kl_shipment_mode_from_string (json_node_get_string (f[F_MODE]), &s->mode);
  s->origin_city = node_dup (f[F_ORIGIN_CITY]);
  s->origin_region = node_dup (f[F_ORIGIN_REGION]);
  s->dest_city = node_dup (f[F_DEST_CITY]);
  s->dest_region = node_dup (f[F_DEST_REGION]);
  s->pieces = json_node_get_int (f[F_PIECES]);
  s->weight_g = node_measure (f[F_WEIGHT], 1000.0);
  s->volume_cm3 = node_measure (f[F_VOLUME], 1000000.0);
  if (!node_time (f[F_PLANNED_PICKUP], &s->planned_pickup_at, id, "planned_pickup_at", error) ||
      !node_time (f[F_PICKED_UP], &s->picked_up_at, id, "picked_up_at", error) ||
      !node_time (f[F_PLANNED_DELIVERY], &s->planned_delivery_at, id, "planned_delivery_at", error) ||
      !node_time (f[F_DELIVERED], &s->delivered_at, id, "delivered_at", error))
    return FALSE;
  s->documents_ok = node_tri (f[F_DOCUMENTS_OK]);
  s->order_accurate = node_tri (f[F_ORDER_ACCURATE]);
  s->damaged_pieces = f[F_DAMAGED] != NULL ? json_node_get_int (f[F_DAMAGED]) : 0;
  s->short_pieces = f[F_SHORT] != NULL ? json_node_get_int (f[F_SHORT]) : 0;
  s->incident = f[F_INCIDENT] != NULL ? json_node_get_boolean (f[F_INCIDENT]) : FALSE;
  s->revenue_minor = -1;
  if (f[F_REVENUE] != NULL && JSON_NODE_HOLDS_OBJECT (f[F_REVENUE]))
    {
      JsonObject *revenue = json_node_get_object (f[F_REVENUE]);

      s->revenue_minor = json_object_get_int_member (revenue, "amount_minor");
      s->currency = g_strdup (json_object_get_string_member (revenue, "currency"));
    }
  s->revision = json_node_get_int (record[1]);
  s->updated_at = kl_sync_parse_time (json_node_get_string (record[2]), &t) ? t : 0;
  return TRUE;
}

gboolean
kl_sync_page_decode_shipments (KlSyncPage  *page,
                               GError     **error)
{
  g_autoptr(GArray) shipments = NULL;

  g_return_val_if_fail (page != NULL && page->items != NULL, FALSE);

  shipments = g_array_sized_new (FALSE, TRUE, sizeof (KlSyncShipment), page->n_items);
  g_array_set_clear_func (shipments, sync_shipment_clear);
  for (guint i = 0; i < page->n_items; i++)
    {
      KlSyncShipment item = { kl_shipment_new (), FALSE };

      g_array_append_val (shipments, item);
      if (!decode_shipment_item (json_array_get_object_element (page->items, i),
                                 &g_array_index (shipments, KlSyncShipment, i), error))
        return FALSE;
    }
  page->shipments = g_steal_pointer (&shipments);
  page->items = NULL;
  g_clear_pointer (&page->root, json_node_unref);
  return TRUE;
}

/* ---- A shipments page read as it is scanned ----
 *
 * json-glib builds a tree of the whole page first, and that tree costs
 * most of a pull (bench/README.md). Here yajl's event parser hands over
 * each token; a shipment's fields are kept in slots as they come, and
 * when its object ends it is checked and decoded exactly as
 * decode_shipment_item () does with the tree (the same order, the same
 * messages; test-sync compares the two on every kind of break). The
 * page's own checks come first, then an item that is not an object, then
 * the first refused shipment, as kl_sync_decode_page () and
 * kl_sync_page_decode_shipments () order them. */

#include <yajl/yajl_parse.h>

typedef enum {
  V_ABSENT,
  V_NULL,
  V_BOOL,
  V_INT,
  V_DOUBLE,
  V_STRING,
  V_OBJECT,
  V_ARRAY,
} VKind;

typedef struct {
  VKind   kind;
  gboolean b;
  gint64  i;
  double  d;
  gsize   off;    /* V_STRING: in Reader.text */
} SValue;

/* Slots: the four Record fields, then shipment_fields. */
#define N_SLOTS (4 + N_SHIPMENT_FIELDS)

enum { TOP_OTHER, TOP_ITEMS, TOP_NEXT, TOP_MORE };

typedef struct {
  int          depth;        /* 1 the page, 2 its items, 3 a shipment, 4 its revenue */
  int          skip;         /* > 0 inside a value that is not read */
  gboolean     top_object;
  int          top_key;
  int          slot;         /* the shipment's current member, -1 for one not read */
  int          revenue_key;  /* 0 amount_minor, 1 currency, -1 another */
  SValue       items, next, more;
  char        *next_cursor;
  guint        n_items;
  int          not_object;   /* the first item that is not an object, or -1 */
  SValue       v[N_SLOTS];
  SValue       amount, currency;
  GString     *text;
  GArray      *shipments;
  GError      *refused;      /* the first shipment refused */
  yajl_handle  handle;
  gsize        top_end;      /* the offset after the page's closing brace */
  gboolean     out_of_range; /* a number too large for its type */
} Reader;

static const char *
slot_name (int slot)
{
  return slot < 4 ? record_fields[slot].name : shipment_fields[slot - 4].name;
}

static gboolean
slot_is (int slot, const char *key, gsize len)
{
  static gsize lengths[N_SLOTS];

  if (g_once_init_enter (&lengths[N_SLOTS - 1]))
    {
      for (int i = 0; i < N_SLOTS - 1; i++)
        lengths[i] = strlen (slot_name (i));
      g_once_init_leave (&lengths[N_SLOTS - 1], strlen (slot_name (N_SLOTS - 1)));
    }
  return lengths[slot] == len && memcmp (slot_name (slot), key, len) == 0;
}

static int
slot_find (const Reader *r, const char *key, gsize len)
{
  /* Servers write the members in the schema's order: try the next one
   * first. */
  int guess = r->slot + 1;

  if (guess >= 0 && guess < N_SLOTS && slot_is (guess, key, len))
    return guess;
  for (int i = 0; i < N_SLOTS; i++)
    if (slot_is (i, key, len))
      return i;
  return -1;
}

static void
svalue_string (Reader *r, SValue *v, const unsigned char *s, gsize len)
{
  v->kind = V_STRING;
  v->off = r->text->len;
  g_string_append_len (r->text, (const char *) s, (gssize) len);
  g_string_append_c (r->text, '\0');
}

static const char *
svalue_str (const Reader *r, const SValue *v)
{
  return v->kind == V_STRING ? r->text->str + v->off : NULL;
}

/* Where a value (a scalar, or the start of an object or array) goes.
 * NULL when it is not read. */
static SValue *
value_slot (Reader *r)
{
  if (r->skip > 0)
    return NULL;
  switch (r->depth)
    {
    case 0:
      return NULL;
    case 1:
      return r->top_key == TOP_ITEMS ? &r->items : r->top_key == TOP_NEXT ? &r->next
           : r->top_key == TOP_MORE ? &r->more : NULL;
    case 3:
      return r->slot >= 0 ? &r->v[r->slot] : NULL;
    case 4:
      return r->revenue_key == 0 ? &r->amount : r->revenue_key == 1 ? &r->currency : NULL;
    default:
      return NULL;
    }
}

/* An item of the page that is not an object. */
static void
item_scalar (Reader *r)
{
  if (r->skip == 0 && r->depth == 2)
    {
      if (r->not_object < 0)
        r->not_object = (int) r->n_items;
      r->n_items++;
    }
}

static int
on_null (void *data)
{
  Reader *r = data;
  SValue *v = value_slot (r);

  item_scalar (r);
  if (v != NULL)
    v->kind = V_NULL;
  return 1;
}

static int
on_boolean (void *data, int b)
{
  Reader *r = data;
  SValue *v = value_slot (r);

  item_scalar (r);
  if (v != NULL)
    v->kind = V_BOOL, v->b = b != 0;
  return 1;
}

static int
on_number (void *data, const char *s, size_t len)
{
  Reader *r = data;
  SValue *v = value_slot (r);
  char buf[64];
  gboolean integer = TRUE;

  item_scalar (r);
  if (v == NULL)
    return 1;
  /* As json-glib types them: an integer unless it has a fraction or an
   * exponent. */
  len = MIN (len, sizeof buf - 1);
  for (gsize i = 0; i < len; i++)
    {
      buf[i] = s[i];
      if (s[i] == '.' || s[i] == 'e' || s[i] == 'E')
        integer = FALSE;
    }
  buf[len] = '\0';
  errno = 0;
  if (integer)
    v->kind = V_INT, v->i = g_ascii_strtoll (buf, NULL, 10);
  else
    v->kind = V_DOUBLE, v->d = g_ascii_strtod (buf, NULL);
  /* json-glib wraps an integer beyond 64 bits round and takes 1e400 for
   * infinity; neither is a shipment's figure. The page is refused whole,
   * as one that is not JSON. */
  if (integer ? errno == ERANGE : !isfinite (v->d))
    {
      r->out_of_range = TRUE;
      return 0;
    }
  return 1;
}

static int
on_string (void *data, const unsigned char *s, size_t len)
{
  Reader *r = data;
  SValue *v = value_slot (r);

  item_scalar (r);
  if (v == NULL)
    return 1;
  if (v == &r->next)
    {
      v->kind = V_STRING;
      g_free (r->next_cursor);
      r->next_cursor = g_strndup ((const char *) s, len);
    }
  else
    svalue_string (r, v, s, len);
  return 1;
}

static void
record_reset (Reader *r)
{
  for (int i = 0; i < N_SLOTS; i++)
    r->v[i].kind = V_ABSENT;
  r->amount.kind = r->currency.kind = V_ABSENT;
  g_string_truncate (r->text, 0);
  r->slot = -1;
}

static void
items_reset (Reader *r)
{
  g_array_set_size (r->shipments, 0);
  g_clear_error (&r->refused);
  r->n_items = 0;
  r->not_object = -1;
}

static int
on_start_map (void *data)
{
  Reader *r = data;
  SValue *v;

  if (r->skip > 0)
    {
      r->skip++;
      return 1;
    }
  switch (r->depth)
    {
    case 0:
      r->top_object = TRUE;
      r->depth = 1;
      return 1;
    case 2:
      record_reset (r);
      r->depth = 3;
      return 1;
    case 3:
      v = value_slot (r);
      if (v != NULL)
        v->kind = V_OBJECT;
      if (r->slot == 4 + F_REVENUE)
        {
          r->amount.kind = r->currency.kind = V_ABSENT;
          r->revenue_key = -1;
          r->depth = 4;
          return 1;
        }
      break;
    default:
      v = value_slot (r);
      if (v != NULL)
        v->kind = V_OBJECT;
      break;
    }
  r->skip = 1;
  return 1;
}

static int
on_map_key (void *data, const unsigned char *key, size_t len)
{
  Reader *r = data;

  if (r->skip > 0)
    return 1;
  switch (r->depth)
    {
    case 1:
      r->top_key = len == 5 && memcmp (key, "items", 5) == 0 ? TOP_ITEMS
                 : len == 11 && memcmp (key, "next_cursor", 11) == 0 ? TOP_NEXT
                 : len == 8 && memcmp (key, "has_more", 8) == 0 ? TOP_MORE : TOP_OTHER;
      break;
    case 3:
      r->slot = slot_find (r, (const char *) key, len);
      break;
    case 4:
      r->revenue_key = len == 12 && memcmp (key, "amount_minor", 12) == 0 ? 0
                     : len == 8 && memcmp (key, "currency", 8) == 0 ? 1 : -1;
      break;
    default:
      break;
    }
  return 1;
}

static gboolean read_shipment (Reader *r, KlSyncShipment *item, GError **error);

static int
on_end_map (void *data)
{
  Reader *r = data;

  if (r->skip > 0)
    {
      r->skip--;
      return 1;
    }
  if (r->depth == 3)
    {
      /* A shipment's object ended: check and decode it, unless the page
       * is refused already. */
      r->depth = 2;
      if (r->not_object < 0 && r->refused == NULL)
        {
          KlSyncShipment item = { kl_shipment_new (), FALSE };

          g_array_append_val (r->shipments, item);
          read_shipment (r, &g_array_index (r->shipments, KlSyncShipment, r->shipments->len - 1), &r->refused);
        }
      r->n_items++;
      return 1;
    }
  if (r->depth == 1)
    r->top_end = yajl_get_bytes_consumed (r->handle);
  r->depth--;
  return 1;
}

static int
on_start_array (void *data)
{
  Reader *r = data;
  SValue *v;

  if (r->skip > 0)
    {
      r->skip++;
      return 1;
    }
  item_scalar (r);
  v = value_slot (r);
  if (v != NULL)
    v->kind = V_ARRAY;
  if (r->depth == 1 && r->top_key == TOP_ITEMS)
    {
      /* As json-glib keeps the last of a repeated member. */
      items_reset (r);
      r->depth = 2;
      return 1;
    }
  r->skip = 1;
  return 1;
}

static int
on_end_array (void *data)
{
  Reader *r = data;

  if (r->skip > 0)
    {
      r->skip--;
      return 1;
    }
  r->depth--;
  return 1;
}

static const yajl_callbacks reader_callbacks = {
  on_null, on_boolean, NULL, NULL, on_number, on_string,
  on_start_map, on_map_key, on_end_map, on_start_array, on_end_array,
};

/* check_field () for a slot. */
static gboolean
check_svalue (const Reader     *r,
              const SValue     *v,
              const FieldSpec  *spec,
              const char       *id,
              GError          **error)
{
  const char *field = spec->name;
  const char *s = svalue_str (r, v);
  gboolean is_null = v->kind == V_NULL;
  gint64 t;

  switch (spec->type)
    {
    case T_STRING:
      return s != NULL || refuse (error, "shipments", id, field, _("expected text"));
    case T_STRING_NULL:
      return is_null || s != NULL || refuse (error, "shipments", id, field, _("expected text or null"));
    case T_UUID:
      return (s != NULL && uuid_like (s)) || refuse (error, "shipments", id, field, _("expected a UUID"));
    case T_INT:
      return v->kind == V_INT || refuse (error, "shipments", id, field, _("expected an integer"));
    case T_BOOL:
      return v->kind == V_BOOL || refuse (error, "shipments", id, field, _("expected true or false"));
    case T_BOOL_NULL:
      return is_null || v->kind == V_BOOL || refuse (error, "shipments", id, field, _("expected true, false or null"));
    case T_NUMBER_NULL:
      return is_null || v->kind == V_INT || v->kind == V_DOUBLE ||
             refuse (error, "shipments", id, field, _("expected a number or null"));
    case T_DATETIME:
      return (s != NULL && kl_sync_parse_time (s, &t)) ||
             refuse (error, "shipments", id, field, _("expected a time like 2026-10-01T08:00:00+08:00"));
    case T_ENUM_NULL:
      if (is_null)
        return TRUE;
      G_GNUC_FALLTHROUGH;
    case T_ENUM:
      if (s != NULL && g_strv_contains (spec->values, s))
        return TRUE;
      {
        g_autofree char *list = g_strjoinv (", ", (char **) spec->values);
        g_autofree char *what = g_strdup_printf (_("expected one of %s"), list);

        return refuse (error, "shipments", id, field, what);
      }
    case T_MONEY_NULL:
      if (is_null)
        return TRUE;
      if (v->kind == V_OBJECT && r->amount.kind == V_INT && r->currency.kind == V_STRING)
        {
          const char *c = svalue_str (r, &r->currency);

          if (strlen (c) == 3 && g_ascii_isupper (c[0]) && g_ascii_isupper (c[1]) && g_ascii_isupper (c[2]))
            return TRUE;
        }
      return refuse (error, "shipments", id, field, _("expected {\"amount_minor\": integer, \"currency\": \"CNY\"}"));
    default:
      g_assert_not_reached ();
    }
  return TRUE;
}

static char *
svalue_dup (const Reader *r, const SValue *v)
{
  return g_strdup (svalue_str (r, v));
}

static KlTri
svalue_tri (const SValue *v)
{
  return v->kind == V_BOOL ? (v->b ? KL_TRI_TRUE : KL_TRI_FALSE) : KL_TRI_UNKNOWN;
}

static gint64
svalue_measure (const SValue *v, double scale)
{
  if (v->kind == V_INT)
    return llround ((double) v->i * scale);
  if (v->kind == V_DOUBLE)
    return llround (v->d * scale);
  return -1;
}

static gboolean
svalue_time (const Reader *r, const SValue *v, gint64 *out, const char *id, const char *name, GError **error)
{
  *out = KL_NO_TIME;
  if (v->kind != V_STRING)
    return TRUE;
  if (!kl_sync_parse_time (svalue_str (r, v), out))
    return refuse (error, "shipments", id, name, _("expected a time like 2026-10-01T08:00:00+08:00"));
  return TRUE;
}

/* decode_shipment_item () on the slots. */
static gboolean
read_shipment (Reader          *r,
               KlSyncShipment  *item,
               GError         **error)
{
  const SValue *rec = r->v, *f = r->v + 4;
  const char *id = svalue_str (r, &rec[0]);
  KlShipment *s = item->shipment;
  gint64 t;

  for (guint i = 0; i < 4; i++)
    {
      if (rec[i].kind == V_ABSENT)
        return refuse (error, "shipments", id, record_fields[i].name, _("the field is missing"));
      if (!check_svalue (r, &rec[i], &record_fields[i], id, error))
        return FALSE;
    }
  item->deleted = rec[3].b;
  s->id = g_strdup (id);
  if (item->deleted)
    return TRUE;   /* a tombstone carries only the Record fields */

  for (guint i = 0; i < N_SHIPMENT_FIELDS; i++)
    {
      if (f[i].kind == V_ABSENT)
        {
          if (shipment_fields[i].required)
            return refuse (error, "shipments", id, shipment_fields[i].name, _("the field is missing"));
          continue;
        }
      if (!check_svalue (r, &f[i], &shipment_fields[i], id, error))
        return FALSE;
    }

  s->waybill = svalue_dup (r, &f[F_WAYBILL]);
  s->customer_id = svalue_dup (r, &f[F_CUSTOMER_ID]);
  kl_shipment_status_from_string (svalue_str (r, &f[F_STATUS]), &s->status);
  s->mode = KL_MODE_NONE;
  if (f[F_MODE].kind == V_STRING)
    kl_shipment_mode_from_string (svalue_str (r, &f[F_MODE]), &s->mode);
  s->origin_city = svalue_dup (r, &f[F_ORIGIN_CITY]);
  s->origin_region = svalue_dup (r, &f[F_ORIGIN_REGION]);
  s->dest_city = svalue_dup (r, &f[F_DEST_CITY]);
  s->dest_region = svalue_dup (r, &f[F_DEST_REGION]);
  s->pieces = f[F_PIECES].i;
  s->weight_g = svalue_measure (&f[F_WEIGHT], 1000.0);
  s->volume_cm3 = svalue_measure (&f[F_VOLUME], 1000000.0);
  if (!svalue_time (r, &f[F_PLANNED_PICKUP], &s->planned_pickup_at, id, "planned_pickup_at", error) ||
      !svalue_time (r, &f[F_PICKED_UP], &s->picked_up_at, id, "picked_up_at", error) ||
      !svalue_time (r, &f[F_PLANNED_DELIVERY], &s->planned_delivery_at, id, "planned_delivery_at", error) ||
      !svalue_time (r, &f[F_DELIVERED], &s->delivered_at, id, "delivered_at", error))
    return FALSE;
  s->documents_ok = svalue_tri (&f[F_DOCUMENTS_OK]);
  s->order_accurate = svalue_tri (&f[F_ORDER_ACCURATE]);
  s->damaged_pieces = f[F_DAMAGED].kind == V_INT ? f[F_DAMAGED].i : 0;
  s->short_pieces = f[F_SHORT].kind == V_INT ? f[F_SHORT].i : 0;
  s->incident = f[F_INCIDENT].kind == V_BOOL ? f[F_INCIDENT].b : FALSE;
  s->revenue_minor = -1;
  if (f[F_REVENUE].kind == V_OBJECT)
    {
      s->revenue_minor = r->amount.i;
      s->currency = svalue_dup (r, &r->currency);
    }
  s->revision = rec[1].i;
  s->updated_at = kl_sync_parse_time (svalue_str (r, &rec[2]), &t) ? t : 0;
  return TRUE;
}

static gboolean
only_space (const char *text,
            gsize       size)
{
  for (gsize i = 0; i < size; i++)
    if (text[i] != ' ' && text[i] != '\t' && text[i] != '\n' && text[i] != '\r')
      return FALSE;
  return TRUE;
}

void
kl_sync_page_read_clear (KlSyncPageRead *read)
{
  g_clear_pointer (&read->page, kl_sync_page_free);
  g_clear_error (&read->error);
}

gboolean
kl_sync_page_read_shipments (const char  *data,
                             gsize        size,
                             gpointer     user_data,
                             GError     **error)
{
  KlSyncPageRead *read = user_data;
  Reader r = { 0 };
  yajl_handle handle;
  yajl_status status;
  gboolean ok = TRUE;

  kl_sync_page_read_clear (read);
  r.slot = -1;
  r.revenue_key = -1;
  r.not_object = -1;
  r.text = g_string_sized_new (1024);
  r.shipments = g_array_new (FALSE, TRUE, sizeof (KlSyncShipment));
  g_array_set_clear_func (r.shipments, sync_shipment_clear);

  /* What json-glib refuses and yajl lets through: text that is not UTF-8
   * (checked here once, for the whole page, instead of by yajl string by
   * string), and a vertical tab or form feed, which yajl takes for space
   * (JSON allows neither anywhere: in a string they must be escaped). */
  if (!g_utf8_validate_len (data, size, NULL))
    {
      g_set_error_literal (error, KL_SYNC_ERROR, KL_SYNC_ERROR_DATA, _("the page is not UTF-8 text"));
      ok = FALSE;
      goto out;
    }
  if (memchr (data, '\v', size) != NULL || memchr (data, '\f', size) != NULL)
    {
      g_set_error_literal (error, KL_SYNC_ERROR, KL_SYNC_ERROR_DATA,
                           _("the page has a vertical tab or form feed outside a string"));
      ok = FALSE;
      goto out;
    }

  handle = r.handle = yajl_alloc (&reader_callbacks, NULL, &r);
  yajl_config (handle, yajl_dont_validate_strings, 1);
  status = yajl_parse (handle, (const unsigned char *) data, size);
  if (status == yajl_status_ok)
    status = yajl_complete_parse (handle);
  /* yajl lets an unfinished token after the page pass ("}\"x"): only
   * JSON's white space may follow the closing brace. */
  if (status == yajl_status_ok && r.top_object && !only_space (data + r.top_end, size - r.top_end))
    {
      g_set_error_literal (error, KL_SYNC_ERROR, KL_SYNC_ERROR_DATA, _("the page has more after its end"));
      ok = FALSE;
    }
  else if (r.out_of_range)
    {
      g_set_error_literal (error, KL_SYNC_ERROR, KL_SYNC_ERROR_DATA, _("the page has a number out of range"));
      ok = FALSE;
    }
  else if (status != yajl_status_ok || !r.top_object)
    {
      /* Cut short, or not JSON: the client asks again. */
      if (status != yajl_status_ok)
        {
          unsigned char *text = yajl_get_error (handle, 0, (const unsigned char *) data, size);

          g_set_error (error, KL_SYNC_ERROR, KL_SYNC_ERROR_DATA, "%s", g_strstrip ((char *) text));
          yajl_free_error (handle, text);
        }
      else
        g_set_error_literal (error, KL_SYNC_ERROR, KL_SYNC_ERROR_DATA, _("not an object"));
      ok = FALSE;
    }
  else if (r.items.kind != V_ARRAY || r.next.kind != V_STRING || r.more.kind != V_BOOL)
    g_set_error (&read->error, KL_SYNC_ERROR, KL_SYNC_ERROR_DATA,
                 _("The server sent a %s page without items, next_cursor (text) and has_more (true or false); "
                   "nothing of it was applied"), "shipments");
  else if (r.not_object >= 0)
    g_set_error (&read->error, KL_SYNC_ERROR, KL_SYNC_ERROR_DATA,
                 _("The server sent a %s page whose item %u is not an object; nothing of it was applied"),
                 "shipments", (guint) r.not_object);
  else if (r.refused != NULL)
    read->error = g_steal_pointer (&r.refused);
  else
    {
      read->page = g_new0 (KlSyncPage, 1);
      read->page->n_items = r.n_items;
      read->page->shipments = g_steal_pointer (&r.shipments);
      read->page->next_cursor = g_steal_pointer (&r.next_cursor);
      read->page->has_more = r.more.b;
    }
  yajl_free (handle);
out:
  g_clear_error (&r.refused);
  g_clear_pointer (&r.shipments, g_array_unref);
  g_free (r.next_cursor);
  g_string_free (r.text, TRUE);
  return ok;
}
