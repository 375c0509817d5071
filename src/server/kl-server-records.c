/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Customers, shipments and claims as docs/api.yaml shows them. The server
 * keeps each record's fields as a JSON object; this file checks requests
 * against the schema (422 naming the field for a wrong, unknown or
 * read-only field), applies merge patches, and runs claim moves through
 * src/core's lifecycle (kl_claim_move_check_init + kl_claim_check_move),
 * the same code the window and the CLI use. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "kl-claim-store.h"
#include "kl-enums.h"
#include "kl-records.h"
#include "kl-server-records.h"

void
kl_problem_clear (KlProblem *problem)
{
  g_clear_pointer (&problem->type, g_free);
  g_clear_pointer (&problem->detail, g_free);
  g_clear_pointer (&problem->field, g_free);
  g_clear_pointer (&problem->current, json_node_unref);
  problem->status = 0;
}

gboolean
kl_problem_set (KlProblem *problem, guint status, const char *type, const char *field,
                const char *format, ...)
{
  va_list args;
  kl_problem_clear (problem);
  problem->status = status;
  problem->type = g_strdup (type);
  problem->field = g_strdup (field);
  va_start (args, format);
  problem->detail = g_strdup_vprintf (format, args);
  va_end (args);
  return FALSE;
}

#define INVALID(p, field, ...) kl_problem_set ((p), 422, "invalid-field", (field), __VA_ARGS__)

char *
kl_server_format_time (gint64 usec)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (usec / G_USEC_PER_SEC);
  return g_date_time_format (dt, "%Y-%m-%dT%H:%M:%S+00:00");
}

gboolean
kl_server_valid_uuid (const char *text)
{
  return text != NULL && g_uuid_string_is_valid (text);
}

JsonNode *
kl_server_record_to_json (const KlServerRecord *record)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autofree char *updated = kl_server_format_time (record->updated_at);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "id");
  json_builder_add_string_value (b, record->id);
  json_builder_set_member_name (b, "revision");
  json_builder_add_int_value (b, record->revision);
  json_builder_set_member_name (b, "updated_at");
  json_builder_add_string_value (b, updated);
  json_builder_set_member_name (b, "deleted");
  json_builder_add_boolean_value (b, record->deleted);
  if (!record->deleted && record->body != NULL)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      if (json_parser_load_from_data (parser, record->body, -1, NULL) &&
          JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
        {
          JsonObject *body = json_node_get_object (json_parser_get_root (parser));
          g_autoptr(GList) members = json_object_get_members (body);
          for (GList *l = members; l; l = l->next)
            {
              json_builder_set_member_name (b, l->data);
              json_builder_add_value (b, json_node_copy (json_object_get_member (body, l->data)));
            }
        }
    }
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

void
kl_server_json_append_string (GString *out, const char *text)
{
  const char *run = text;

  g_string_append_c (out, '"');
  for (const char *c = text; *c; c++)
    {
      guchar u = (guchar) *c;

      if (u >= 0x20 && u != '"' && u != '\\')
        continue;
      g_string_append_len (out, run, c - run);
      run = c + 1;
      switch (u)
        {
        case '"':  g_string_append (out, "\\\""); break;
        case '\\': g_string_append (out, "\\\\"); break;
        case '\n': g_string_append (out, "\\n"); break;
        case '\r': g_string_append (out, "\\r"); break;
        case '\t': g_string_append (out, "\\t"); break;
        default:   g_string_append_printf (out, "\\u%04x", u); break;
        }
    }
  g_string_append (out, run);
  g_string_append_c (out, '"');
}

/* The UTC time as kl_server_format_time () writes it, without a GDateTime. */
static void
append_time (GString *out, gint64 usec)
{
  gint64 secs = usec / G_USEC_PER_SEC, days, rem;
  gint64 y, era;
  unsigned doe, yoe, doy, mp, d, m;

  days = secs >= 0 ? secs / 86400 : (secs - 86399) / 86400;
  rem = secs - days * 86400;
  /* civil_from_days (Howard Hinnant) */
  days += 719468;
  era = (days >= 0 ? days : days - 146096) / 146097;
  doe = (unsigned) (days - era * 146097);
  yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  y = (gint64) yoe + era * 400;
  doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  y += m <= 2;
  g_string_append_printf (out, "\"%04" G_GINT64_FORMAT "-%02u-%02uT%02u:%02u:%02u+00:00\"", y, m, d,
                          (unsigned) (rem / 3600), (unsigned) (rem / 60 % 60), (unsigned) (rem % 60));
}

void
kl_server_record_append_json (GString *out, const KlServerRecord *record)
{
  g_string_append (out, "{\"id\":");
  kl_server_json_append_string (out, record->id ? record->id : "");
  g_string_append_printf (out, ",\"revision\":%" G_GINT64_FORMAT ",\"updated_at\":", record->revision);
  append_time (out, record->updated_at);
  g_string_append (out, record->deleted ? ",\"deleted\":true" : ",\"deleted\":false");
  if (!record->deleted && record->body != NULL)
    {
      /* The body is this server's own JSON object text (written by
       * json-glib when the record was stored, never by a client as it
       * came): its members follow the Record fields as they are, without
       * parsing and writing them again. */
      const char *start = record->body, *end = record->body + strlen (record->body);

      while (g_ascii_isspace (*start))
        start++;
      while (end > start && g_ascii_isspace (end[-1]))
        end--;
      if (end - start >= 2 && *start == '{' && end[-1] == '}')
        {
          start++, end--;
          while (start < end && g_ascii_isspace (*start))
            start++;
          if (start < end)
            {
              g_string_append_c (out, ',');
              g_string_append_len (out, start, end - start);
            }
        }
    }
  g_string_append_c (out, '}');
}

char *
kl_server_record_to_string (const KlServerRecord *record)
{
  GString *out = g_string_sized_new (record->body ? strlen (record->body) + 128 : 128);

  kl_server_record_append_json (out, record);
  return g_string_free (out, FALSE);
}

static char *
object_to_string (JsonObject *object)
{
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), object);
  return json_to_string (node, FALSE);
}

static JsonObject *
parse_body (const char *body)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  if (body == NULL || !json_parser_load_from_data (parser, body, -1, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return json_object_new ();
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

/* ---- value checks ---- */

static const char * const read_only_fields[] = {
  "id", "revision", "updated_at", "number", "history", NULL
};

static gboolean
is_read_only (const char *name)
{
  return g_strv_contains (read_only_fields, name);
}

static gboolean
node_is_null (JsonNode *node)
{
  return node == NULL || JSON_NODE_HOLDS_NULL (node);
}

static gboolean
node_is_string (JsonNode *node)
{
  return node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
         json_node_get_value_type (node) == G_TYPE_STRING;
}

static gboolean
node_is_int (JsonNode *node)
{
  return node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
         json_node_get_value_type (node) == G_TYPE_INT64;
}

static gboolean
node_is_number (JsonNode *node)
{
  return node_is_int (node) ||
         (node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
          json_node_get_value_type (node) == G_TYPE_DOUBLE);
}

static gboolean
node_is_bool (JsonNode *node)
{
  return node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
         json_node_get_value_type (node) == G_TYPE_BOOLEAN;
}

static gboolean
check_text (JsonNode *node, const char *field, gboolean nullable, gboolean required_text,
            KlProblem *p)
{
  if (node_is_null (node))
    {
      if (nullable)
        return TRUE;
      return INVALID (p, field, "%s is required and may not be null; give a text", field);
    }
  if (!node_is_string (node))
    return INVALID (p, field, "%s must be a string%s", field, nullable ? " or null" : "");
  if (required_text && kl_text_is_blank (json_node_get_string (node)))
    return INVALID (p, field, "%s may not be empty", field);
  return TRUE;
}

static gboolean
check_enum (JsonNode *node, const char *field, const char * const *values, gboolean nullable,
            KlProblem *p)
{
  g_autofree char *list = g_strjoinv (", ", (char **) values);
  if (node_is_null (node) && nullable)
    return TRUE;
  if (!node_is_string (node) || !g_strv_contains (values, json_node_get_string (node)))
    return INVALID (p, field, "%s must be one of %s%s", field, list, nullable ? " or null" : "");
  return TRUE;
}

static gboolean
check_date (JsonNode *node, const char *field, gboolean nullable, KlProblem *p)
{
  const char *s;
  int y, m, d;
  char tail;
  if (node_is_null (node) && nullable)
    return TRUE;
  s = node_is_string (node) ? json_node_get_string (node) : NULL;
  if (s == NULL || strlen (s) != 10 || sscanf (s, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3 ||
      !g_date_valid_dmy ((GDateDay) d, (GDateMonth) m, (GDateYear) y))
    return INVALID (p, field, "%s must be a date YYYY-MM-DD%s", field, nullable ? " or null" : "");
  return TRUE;
}

static gint64
parse_time (const char *s)
{
  g_autoptr(GDateTime) dt = NULL;
  if (s == NULL || strlen (s) < 20 || s[10] != 'T')
    return KL_NO_TIME;
  dt = g_date_time_new_from_iso8601 (s, NULL);
  if (dt == NULL)
    return KL_NO_TIME;
  return g_date_time_to_unix (dt) * G_USEC_PER_SEC + g_date_time_get_microsecond (dt);
}

static gboolean
check_time (JsonNode *node, const char *field, gboolean nullable, KlProblem *p)
{
  if (node_is_null (node) && nullable)
    return TRUE;
  if (!node_is_string (node) || parse_time (json_node_get_string (node)) == KL_NO_TIME)
    return INVALID (p, field, "%s must be an RFC 3339 time with an offset "
                    "(2026-10-03T08:30:00+08:00)%s", field, nullable ? " or null" : "");
  return TRUE;
}

static gboolean
check_money (JsonNode *node, const char *field, gboolean nullable, KlProblem *p)
{
  JsonObject *o;
  JsonNode *amount, *currency;
  const char *c;
  if (node_is_null (node) && nullable)
    return TRUE;
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return INVALID (p, field, "%s must be money: {\"amount_minor\": 12345, \"currency\": \"CNY\"}%s",
                    field, nullable ? " or null" : "");
  o = json_node_get_object (node);
  amount = json_object_get_member (o, "amount_minor");
  currency = json_object_get_member (o, "currency");
  if (json_object_get_size (o) != 2 || !node_is_int (amount) || !node_is_string (currency))
    return INVALID (p, field, "%s must be money with exactly amount_minor (an integer) and currency",
                    field);
  if (json_node_get_int (amount) < 0)
    return INVALID (p, field, "%s.amount_minor may not be negative", field);
  c = json_node_get_string (currency);
  if (strlen (c) != 3 || !g_ascii_isupper (c[0]) || !g_ascii_isupper (c[1]) || !g_ascii_isupper (c[2]))
    return INVALID (p, field, "%s.currency must be an ISO 4217 code of three capital letters (CNY)",
                    field);
  return TRUE;
}

/* ---- merge patch (RFC 7396) ---- */

/* json_node_copy shares objects and arrays; this copies them. */
static JsonNode *
deep_copy (JsonNode *node)
{
  g_autofree char *text = json_to_string (node, FALSE);
  return json_from_string (text, NULL);
}

static JsonNode *
merge_patch (JsonNode *target, JsonNode *patch)
{
  JsonObject *out;
  JsonObject *po;
  g_autoptr(GList) members = NULL;

  if (patch == NULL || !JSON_NODE_HOLDS_OBJECT (patch))
    return json_node_copy (patch);
  if (target != NULL && JSON_NODE_HOLDS_OBJECT (target))
    {
      JsonNode *copy = deep_copy (target);
      out = json_node_get_object (copy);
      po = json_node_get_object (patch);
      members = json_object_get_members (po);
      for (GList *l = members; l; l = l->next)
        {
          JsonNode *v = json_object_get_member (po, l->data);
          if (JSON_NODE_HOLDS_NULL (v))
            json_object_remove_member (out, l->data);
          else
            json_object_set_member (out, l->data,
                                    merge_patch (json_object_get_member (out, l->data), v));
        }
      return copy;
    }
  {
    g_autoptr(JsonObject) object = json_object_new ();
    JsonNode *empty = json_node_init_object (json_node_alloc (), object);   /* takes its own reference */
    JsonNode *result = merge_patch (empty, patch);
    json_node_unref (empty);
    return result;
  }
}

/* ---- customers ---- */

static const char * const customer_fields[] = {
  "code", "name", "legal_name", "kind", "channel", "industry", "region", "account_manager",
  "relationship", "status", "tags", "notes", "contacts", "agreement", NULL
};
static const char * const customer_kinds[] = { "enterprise", "individual", "public", NULL };
static const char * const customer_channels[] = { "end_customer", "distributor", NULL };
static const char * const customer_relationships[] = {
  "basic", "passive", "responsible", "proactive", "partner", NULL
};
static const char * const customer_statuses[] = { "prospect", "active", "at_risk", "lost", NULL };
static const char * const contact_roles[] = {
  "purchasing", "logistics", "finance", "quality", "executive", "other", NULL
};

static gboolean
check_contacts (JsonNode *node, KlProblem *p)
{
  JsonArray *a;
  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return INVALID (p, "contacts", "contacts must be an array of contacts");
  a = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (a); i++)
    {
      JsonNode *cn = json_array_get_element (a, i);
      JsonObject *c;
      g_autoptr(GList) members = NULL;
      g_autofree char *prefix = g_strdup_printf ("contacts[%u]", i);
      if (!JSON_NODE_HOLDS_OBJECT (cn))
        return INVALID (p, prefix, "%s must be an object", prefix);
      c = json_node_get_object (cn);
      members = json_object_get_members (c);
      for (GList *l = members; l; l = l->next)
        {
          const char *m = l->data;
          JsonNode *v = json_object_get_member (c, m);
          g_autofree char *f = g_strdup_printf ("%s.%s", prefix, m);
          if (g_str_equal (m, "name"))
            {
              if (!check_text (v, f, FALSE, TRUE, p))
                return FALSE;
            }
          else if (g_str_equal (m, "role"))
            {
              if (!check_enum (v, f, contact_roles, FALSE, p))
                return FALSE;
            }
          else if (g_str_equal (m, "phone") || g_str_equal (m, "email"))
            {
              if (!check_text (v, f, TRUE, FALSE, p))
                return FALSE;
            }
          else if (g_str_equal (m, "primary"))
            {
              if (!node_is_bool (v))
                return INVALID (p, f, "%s must be true or false", f);
            }
          else
            return INVALID (p, f, "%s is not a field of a contact; remove it", f);
        }
      if (!json_object_has_member (c, "name"))
        return INVALID (p, prefix, "%s has no name; every contact needs one", prefix);
    }
  return TRUE;
}

static gboolean
check_agreement (JsonNode *node, KlProblem *p)
{
  JsonObject *o;
  g_autoptr(GList) members = NULL;
  if (node_is_null (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return INVALID (p, "agreement", "agreement must be an object or null");
  o = json_node_get_object (node);
  members = json_object_get_members (o);
  for (GList *l = members; l; l = l->next)
    {
      const char *m = l->data;
      JsonNode *v = json_object_get_member (o, m);
      g_autofree char *f = g_strdup_printf ("agreement.%s", m);
      if (g_str_equal (m, "effective_from"))
        {
          if (!check_date (v, f, FALSE, p))
            return FALSE;
        }
      else if (g_str_equal (m, "effective_to"))
        {
          if (!check_date (v, f, TRUE, p))
            return FALSE;
        }
      else if (g_str_equal (m, "targets"))
        {
          JsonObject *t;
          g_autoptr(GList) keys = NULL;
          if (!JSON_NODE_HOLDS_OBJECT (v))
            return INVALID (p, f, "%s must be an object of rate → fraction", f);
          t = json_node_get_object (v);
          keys = json_object_get_members (t);
          for (GList *k = keys; k; k = k->next)
            {
              KlRate rate;
              JsonNode *tv = json_object_get_member (t, k->data);
              g_autofree char *tf = g_strdup_printf ("agreement.targets.%s", (char *) k->data);
              if (!kl_rate_from_key (k->data, &rate))
                return INVALID (p, tf, "%s is not a rate of docs/kpi.md", tf);
              if (!node_is_number (tv) || json_node_get_double (tv) < 0 ||
                  json_node_get_double (tv) > 1)
                return INVALID (p, tf, "%s must be a fraction from 0 to 1 (0.95 = 95 %%)", tf);
            }
        }
      else if (g_str_equal (m, "dispatch_grace_min") || g_str_equal (m, "delivery_grace_min") ||
               g_str_equal (m, "claim_ack_days") || g_str_equal (m, "claim_resolve_days"))
        {
          if (!node_is_int (v) || json_node_get_int (v) < 0 || json_node_get_int (v) > 100000)
            return INVALID (p, f, "%s must be a whole number from 0 to 100000", f);
        }
      else
        return INVALID (p, f, "%s is not a field of an agreement; remove it", f);
    }
  if (!json_object_has_member (o, "effective_from"))
    return INVALID (p, "agreement.effective_from", "agreement.effective_from is required");
  return TRUE;
}

/* Checks the request's member names: read-only and unknown ones are 422. */
static gboolean
check_members (JsonObject *request, const char * const *allowed, KlProblem *p)
{
  g_autoptr(GList) members = json_object_get_members (request);
  for (GList *l = members; l; l = l->next)
    {
      const char *m = l->data;
      if (g_strv_contains (allowed, m))
        continue;
      if (is_read_only (m) || g_str_equal (m, "deleted"))
        return INVALID (p, m, "%s is read-only: the server sets it; leave it out of the request", m);
      return INVALID (p, m, "%s is not a field of this request; remove it (docs/api.yaml lists them)", m);
    }
  return TRUE;
}

/* Checks a whole customer body (all fields, after defaults or a patch). */
static gboolean
check_customer (JsonObject *c, KlProblem *p)
{
  if (!check_text (json_object_get_member (c, "code"), "code", FALSE, TRUE, p) ||
      !check_text (json_object_get_member (c, "name"), "name", FALSE, TRUE, p) ||
      !check_enum (json_object_get_member (c, "kind"), "kind", customer_kinds, FALSE, p) ||
      !check_enum (json_object_get_member (c, "channel"), "channel", customer_channels, FALSE, p) ||
      !check_enum (json_object_get_member (c, "relationship"), "relationship",
                   customer_relationships, FALSE, p) ||
      !check_enum (json_object_get_member (c, "status"), "status", customer_statuses, FALSE, p))
    return FALSE;
  for (const char * const *f = (const char * const[]) { "legal_name", "industry", "region",
                                                        "account_manager", "notes", NULL };
       *f; f++)
    if (!check_text (json_object_get_member (c, *f), *f, TRUE, FALSE, p))
      return FALSE;
  {
    JsonNode *tags = json_object_get_member (c, "tags");
    if (tags == NULL || !JSON_NODE_HOLDS_ARRAY (tags))
      return INVALID (p, "tags", "tags must be an array of strings");
    for (guint i = 0; i < json_array_get_length (json_node_get_array (tags)); i++)
      if (!node_is_string (json_array_get_element (json_node_get_array (tags), i)))
        return INVALID (p, "tags", "tags must be an array of strings; item %u is not one", i);
  }
  if (!check_contacts (json_object_get_member (c, "contacts"), p) ||
      !check_agreement (json_object_get_member (c, "agreement"), p))
    return FALSE;
  return TRUE;
}

static void
fill_customer_defaults (JsonObject *c)
{
  static const struct { const char *name; const char *value; } defaults[] = {
    { "kind", "enterprise" }, { "channel", "end_customer" },
    { "relationship", "basic" }, { "status", "prospect" },
  };
  for (guint i = 0; i < G_N_ELEMENTS (defaults); i++)
    if (!json_object_has_member (c, defaults[i].name))
      json_object_set_string_member (c, defaults[i].name, defaults[i].value);
  for (const char * const *f = (const char * const[]) { "legal_name", "industry", "region",
                                                        "account_manager", "notes", "agreement",
                                                        NULL };
       *f; f++)
    if (!json_object_has_member (c, *f))
      json_object_set_null_member (c, *f);
  if (!json_object_has_member (c, "tags") || node_is_null (json_object_get_member (c, "tags")))
    json_object_set_array_member (c, "tags", json_array_new ());
  if (!json_object_has_member (c, "contacts") || node_is_null (json_object_get_member (c, "contacts")))
    json_object_set_array_member (c, "contacts", json_array_new ());
}

/* A KAM's names: a customer is theirs when account_manager is one of them. */
static gboolean
user_manages (const KlServerUser *user, const char *manager)
{
  return manager != NULL &&
         (g_strcmp0 (manager, user->name) == 0 || g_strcmp0 (manager, user->display_name) == 0);
}

static const char *
get_string_or_null (JsonObject *o, const char *name)
{
  JsonNode *n = json_object_get_member (o, name);
  return node_is_string (n) ? json_node_get_string (n) : NULL;
}

static void
customer_columns (KlServerRecord *r, JsonObject *body)
{
  g_free (r->key);
  r->key = g_strdup (get_string_or_null (body, "code"));
  g_free (r->account_manager);
  r->account_manager = g_strdup (get_string_or_null (body, "account_manager"));
  g_free (r->account_id);
  r->account_id = g_strdup (r->id);
  g_free (r->body);
  r->body = object_to_string (body);
}

KlServerRecord *
kl_server_customer_new (JsonObject *request, const KlServerUser *user, gint64 now, KlProblem *p)
{
  g_autoptr(JsonNode) copy = NULL;
  JsonObject *body;
  KlServerRecord *r;

  if (!check_members (request, customer_fields, p))
    return NULL;
  if (!json_object_has_member (request, "code"))
    return (INVALID (p, "code", "code is required: the customer's unique code"), NULL);
  if (!json_object_has_member (request, "name"))
    return (INVALID (p, "name", "name is required"), NULL);
  {
    g_autoptr(JsonNode) wrapped = json_node_init_object (json_node_alloc (), request);
    copy = deep_copy (wrapped);
  }
  body = json_node_get_object (copy);
  fill_customer_defaults (body);
  if (user->role == KL_SERVER_ROLE_KAM)
    {
      const char *manager = get_string_or_null (body, "account_manager");
      if (manager == NULL)
        json_object_set_string_member (body, "account_manager", user->display_name);
      else if (!user_manages (user, manager))
        return (INVALID (p, "account_manager",
                         "account_manager “%s” is not you: a KAM opens accounts they manage "
                         "(leave it out, or give “%s”)", manager, user->display_name), NULL);
    }
  if (!check_customer (body, p))
    return NULL;
  r = kl_server_record_new ();
  r->collection = KL_SERVER_COLLECTION_CUSTOMERS;
  r->id = g_uuid_string_random ();
  r->updated_at = now;
  customer_columns (r, body);
  return r;
}

static const char * const customer_patch_fields[] = {
  "code", "name", "legal_name", "kind", "channel", "industry", "region", "account_manager",
  "relationship", "status", "tags", "notes", "contacts", "agreement", "deleted", NULL
};

gboolean
kl_server_customer_patch (KlServerRecord *r, JsonObject *patch, const KlServerUser *user,
                          gint64 now, gboolean *out_changed, KlProblem *p)
{
  g_autoptr(JsonObject) body = parse_body (r->body);
  g_autoptr(JsonNode) body_node = NULL;
  g_autoptr(JsonNode) patch_node = NULL;
  g_autoptr(JsonNode) merged = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  JsonNode *deleted;
  gboolean delete = FALSE;

  *out_changed = FALSE;
  if (!check_members (patch, customer_patch_fields, p))
    return FALSE;
  deleted = json_object_get_member (patch, "deleted");
  if (deleted != NULL)
    {
      if (!node_is_bool (deleted))
        return INVALID (p, "deleted", "deleted must be true (to remove the customer) or false");
      delete = json_node_get_boolean (deleted);
    }
  body_node = json_node_init_object (json_node_alloc (), body);
  {
    g_autoptr(JsonNode) wrapped = json_node_init_object (json_node_alloc (), patch);
    patch_node = deep_copy (wrapped);
  }
  json_object_remove_member (json_node_get_object (patch_node), "deleted");
  merged = merge_patch (body_node, patch_node);
  /* Null on a list means empty; on a nullable text, null. */
  fill_customer_defaults (json_node_get_object (merged));
  for (const char * const *f = (const char * const[]) { "code", "name", "kind", "channel",
                                                        "relationship", "status", NULL };
       *f; f++)
    if (!json_object_has_member (json_node_get_object (merged), *f))
      return INVALID (p, *f, "%s is required and may not be null", *f);
  if (!check_customer (json_node_get_object (merged), p))
    return FALSE;
  (void) user;
  before = json_to_string (body_node, FALSE);
  after = json_to_string (merged, FALSE);
  if (g_strcmp0 (before, after) == 0 && delete == r->deleted)
    return TRUE;
  *out_changed = TRUE;
  r->deleted = delete;
  r->updated_at = now;
  customer_columns (r, json_node_get_object (merged));
  return TRUE;
}

/* ---- claims ---- */

static const char * const claim_new_fields[] = {
  "customer_id", "kind", "waybill", "incident_date", "filed_at", "claimed", "salvage",
  "description", "note", NULL
};
static const char * const claim_patch_fields[] = {
  "status", "approved", "paid", "owner", "root_cause", "corrective_action", "documents",
  "reason", "note", "return_destination", "return_carrier", "return_label", "return_tracking",
  "outcome", NULL
};
static const char * const claim_server_fields[] = {
  "deleted", "notes", "status", "acknowledged_at", "closed_at", "approved", "paid", "owner",
  "root_cause", "corrective_action", "documents", "return_destination", "return_carrier",
  "return_label", "return_tracking", "outcome", NULL
};
static const char * const claim_kinds[] = {
  "damage", "shortage", "delay", "loss", "return", "complaint", NULL
};

static gboolean
check_note (JsonNode *node, KlProblem *p)
{
  JsonObject *o;
  g_autoptr(GList) members = NULL;
  if (node_is_null (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return INVALID (p, "note", "note must be {\"text\": …, \"visibility\": \"internal\"|\"client\"} or null");
  o = json_node_get_object (node);
  members = json_object_get_members (o);
  for (GList *l = members; l; l = l->next)
    if (!g_str_equal (l->data, "text") && !g_str_equal (l->data, "visibility"))
      return INVALID (p, "note", "note.%s is not a field of a note; give text and visibility",
                      (char *) l->data);
  if (!check_text (json_object_get_member (o, "text"), "note.text", FALSE, TRUE, p))
    return FALSE;
  if (json_object_has_member (o, "visibility") &&
      !check_enum (json_object_get_member (o, "visibility"), "note.visibility",
                   (const char * const[]) { "internal", "client", NULL }, FALSE, p))
    return FALSE;
  return TRUE;
}

static gboolean
claim_kind_from_node (JsonNode *node, KlClaimKind *kind)
{
  return node_is_string (node) && kl_claim_kind_from_string (json_node_get_string (node), kind) &&
         g_str_equal (kl_claim_kind_to_string (*kind), json_node_get_string (node));
}

static const char *
money_currency (JsonNode *node)
{
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  return get_string_or_null (json_node_get_object (node), "currency");
}

static gint64
money_amount (JsonNode *node)
{
  return json_object_get_int_member (json_node_get_object (node), "amount_minor");
}

gboolean
kl_server_claim_check_new (JsonObject *request, KlProblem *p)
{
  g_autoptr(GList) members = json_object_get_members (request);
  KlClaimKind kind;
  JsonNode *claimed, *salvage;

  for (GList *l = members; l; l = l->next)
    {
      const char *m = l->data;
      if (g_strv_contains (claim_new_fields, m))
        continue;
      if (is_read_only (m) || g_strv_contains (claim_server_fields, m))
        return INVALID (p, m, "%s is read-only when a case is opened: the server sets it "
                        "(change it later with PATCH where the API allows)", m);
      return INVALID (p, m, "%s is not a field of a new case; remove it (docs/api.yaml lists them)", m);
    }
  if (!json_object_has_member (request, "customer_id"))
    return INVALID (p, "customer_id", "customer_id is required: the id of the customer the case is for");
  if (!node_is_string (json_object_get_member (request, "customer_id")) ||
      !kl_server_valid_uuid (json_object_get_string_member (request, "customer_id")))
    return INVALID (p, "customer_id", "customer_id must be a customer's id (a UUID)");
  if (!json_object_has_member (request, "kind"))
    return INVALID (p, "kind", "kind is required: one of damage, shortage, delay, loss, return, complaint");
  if (!check_enum (json_object_get_member (request, "kind"), "kind", claim_kinds, FALSE, p))
    return FALSE;
  claim_kind_from_node (json_object_get_member (request, "kind"), &kind);
  if (!check_text (json_object_get_member (request, "waybill"), "waybill", TRUE, FALSE, p) ||
      !check_text (json_object_get_member (request, "description"), "description", TRUE, FALSE, p) ||
      !check_date (json_object_get_member (request, "incident_date"), "incident_date", TRUE, p) ||
      !check_time (json_object_get_member (request, "filed_at"), "filed_at", TRUE, p) ||
      !check_money (json_object_get_member (request, "claimed"), "claimed", TRUE, p) ||
      !check_money (json_object_get_member (request, "salvage"), "salvage", TRUE, p) ||
      !check_note (json_object_get_member (request, "note"), p))
    return FALSE;
  claimed = json_object_get_member (request, "claimed");
  salvage = json_object_get_member (request, "salvage");
  if (!kl_claim_kind_is_freight (kind))
    {
      if (!node_is_null (claimed))
        return INVALID (p, "claimed", "a %s carries no claimed amount; only freight claims do",
                        kl_claim_kind_to_string (kind));
      if (!node_is_null (salvage))
        return INVALID (p, "salvage", "a %s carries no salvage; only freight claims do",
                        kl_claim_kind_to_string (kind));
    }
  if (!node_is_null (salvage))
    {
      if (node_is_null (claimed))
        return INVALID (p, "salvage", "salvage needs a claimed amount to be set first");
      if (g_strcmp0 (money_currency (salvage), money_currency (claimed)) != 0)
        return INVALID (p, "salvage", "salvage is in %s but claimed in %s; a case has one currency",
                        money_currency (salvage), money_currency (claimed));
      if (money_amount (salvage) > money_amount (claimed))
        return INVALID (p, "salvage", "salvage may not exceed the claimed amount");
    }
  return TRUE;
}

static int
year_of (gint64 usec)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (usec / G_USEC_PER_SEC);
  return g_date_time_get_year (dt);
}

static gint64
claim_filed_at (JsonObject *request, gint64 now)
{
  const char *filed = get_string_or_null (request, "filed_at");
  gint64 t = filed ? parse_time (filed) : KL_NO_TIME;
  return t == KL_NO_TIME ? now : t;
}

char *
kl_server_claim_counter (JsonObject *request, gint64 now)
{
  KlClaimKind kind = KL_CLAIM_KIND_DAMAGE;
  g_autofree char *sample = NULL;
  claim_kind_from_node (json_object_get_member (request, "kind"), &kind);
  /* "CLM-2026-000000" → "CLM-2026": the prefix comes from the core's format. */
  sample = kl_claim_format_number (kind, year_of (claim_filed_at (request, now)), 0);
  return g_strndup (sample, (gsize) (strrchr (sample, '-') - sample));
}

static void
history_add (JsonObject *body, gint64 now, const KlServerUser *user, const char *change,
             const char *field, JsonNode *from, JsonNode *to, const char *note)
{
  JsonArray *history = json_object_get_array_member (body, "history");
  JsonObject *e = json_object_new ();
  g_autofree char *at = kl_server_format_time (now);
  json_object_set_string_member (e, "at", at);
  json_object_set_string_member (e, "by", user->name);
  json_object_set_string_member (e, "change", change);
  if (field)
    json_object_set_string_member (e, "field", field);
  else
    json_object_set_null_member (e, "field");
  json_object_set_member (e, "from", from ? json_node_copy (from) : json_node_new (JSON_NODE_NULL));
  json_object_set_member (e, "to", to ? json_node_copy (to) : json_node_new (JSON_NODE_NULL));
  if (note)
    json_object_set_string_member (e, "note", note);
  else
    json_object_set_null_member (e, "note");
  json_array_add_object_element (history, e);
}

static void
notes_add (JsonObject *body, JsonNode *note, gint64 now, const KlServerUser *user)
{
  JsonObject *in = json_node_get_object (note);
  JsonObject *n = json_object_new ();
  g_autofree char *at = kl_server_format_time (now);
  const char *visibility = get_string_or_null (in, "visibility");
  json_object_set_string_member (n, "at", at);
  json_object_set_string_member (n, "by", user->name);
  json_object_set_string_member (n, "text", json_object_get_string_member (in, "text"));
  json_object_set_string_member (n, "visibility", visibility ? visibility : "internal");
  json_array_add_object_element (json_object_get_array_member (body, "notes"), n);
}

KlServerRecord *
kl_server_claim_new (JsonObject *request, const char *number, const KlServerUser *user, gint64 now)
{
  g_autoptr(JsonObject) body = json_object_new ();
  g_autofree char *filed = NULL;
  KlClaimKind kind = KL_CLAIM_KIND_DAMAGE;
  KlClaimStatus status;
  KlServerRecord *r;
  JsonNode *note = json_object_get_member (request, "note");
  g_autoptr(JsonNode) status_node = NULL;

  claim_kind_from_node (json_object_get_member (request, "kind"), &kind);
  status = kl_claim_kind_initial_status (kind);
  filed = kl_server_format_time (claim_filed_at (request, now));

  json_object_set_string_member (body, "customer_id", json_object_get_string_member (request, "customer_id"));
  json_object_set_string_member (body, "kind", kl_claim_kind_to_string (kind));
  json_object_set_string_member (body, "number", number);
  json_object_set_string_member (body, "status", kl_claim_status_to_string (status));
  for (const char * const *f = (const char * const[]) { "waybill", "incident_date", "claimed",
                                                        "salvage", "description", NULL };
       *f; f++)
    {
      JsonNode *v = json_object_get_member (request, *f);
      json_object_set_member (body, *f, v ? json_node_copy (v) : json_node_new (JSON_NODE_NULL));
    }
  json_object_set_string_member (body, "filed_at", filed);
  for (const char * const *f = (const char * const[]) { "acknowledged_at", "closed_at", "approved",
                                                        "paid", "owner", "root_cause",
                                                        "corrective_action", "return_destination",
                                                        "return_carrier", "return_label",
                                                        "return_tracking", "outcome", NULL };
       *f; f++)
    json_object_set_null_member (body, *f);
  json_object_set_object_member (body, "documents", json_object_new ());
  json_object_set_array_member (body, "notes", json_array_new ());
  json_object_set_array_member (body, "history", json_array_new ());
  if (!node_is_null (note))
    notes_add (body, note, now, user);
  status_node = json_node_new (JSON_NODE_VALUE);
  json_node_set_string (status_node, kl_claim_status_to_string (status));
  history_add (body, now, user, "created", "status", NULL, status_node,
               node_is_null (note) ? NULL : json_object_get_string_member (json_node_get_object (note), "text"));

  r = kl_server_record_new ();
  r->collection = KL_SERVER_COLLECTION_CLAIMS;
  r->id = g_uuid_string_random ();
  r->updated_at = now;
  r->key = g_strdup (number);
  r->account_id = g_strdup (json_object_get_string_member (request, "customer_id"));
  r->body = object_to_string (body);
  return r;
}

/* The case as src/core's KlClaim, for the lifecycle's checks. Strings are
 * borrowed from body. */
static void
claim_from_body (JsonObject *body, KlClaim *c)
{
  JsonNode *n;
  JsonObject *docs;
  memset (c, 0, sizeof *c);
  claim_kind_from_node (json_object_get_member (body, "kind"), &c->kind);
  kl_claim_status_from_string (get_string_or_null (body, "status"), &c->status);
  n = json_object_get_member (body, "claimed");
  if ((c->claimed_set = !node_is_null (n)))
    c->claimed = money_amount (n);
  n = json_object_get_member (body, "approved");
  if ((c->approved_set = !node_is_null (n)))
    c->approved = money_amount (n);
  n = json_object_get_member (body, "paid");
  if ((c->paid_set = !node_is_null (n)))
    c->paid = money_amount (n);
  n = json_object_get_member (body, "salvage");
  if ((c->salvage_set = !node_is_null (n)))
    c->salvage = money_amount (n);
  c->owner = (char *) get_string_or_null (body, "owner");
  c->root_cause = (char *) get_string_or_null (body, "root_cause");
  c->corrective_action = (char *) get_string_or_null (body, "corrective_action");
  c->return_destination = (char *) get_string_or_null (body, "return_destination");
  c->label_carrier = (char *) get_string_or_null (body, "return_carrier");
  c->label_number = (char *) get_string_or_null (body, "return_label");
  c->return_tracking = (char *) get_string_or_null (body, "return_tracking");
  c->outcome_set = get_string_or_null (body, "outcome") != NULL &&
                   kl_return_outcome_from_string (get_string_or_null (body, "outcome"), &c->outcome);
  c->filed_at = KL_NO_TIME;
  c->acknowledged_at = KL_NO_TIME;
  c->closed_at = KL_NO_TIME;
  docs = json_object_get_object_member (body, "documents");
  for (guint d = 0; d < KL_N_CLAIM_DOCUMENTS; d++)
    {
      const char *name = kl_claim_document_to_string ((KlClaimDocument) d);
      if (docs && json_object_has_member (docs, name) &&
          node_is_bool (json_object_get_member (docs, name)) &&
          json_object_get_boolean_member (docs, name))
        c->documents |= KL_CLAIM_DOCUMENT_BIT (d);
    }
}

static gboolean
nodes_equal (JsonNode *a, JsonNode *b)
{
  if (node_is_null (a) && node_is_null (b))
    return TRUE;
  if (node_is_null (a) || node_is_null (b))
    return FALSE;
  return json_node_equal (a, b);
}

/* Sets body.field = value, appending a history entry when it changes. */
static void
set_field (JsonObject *body, const char *field, JsonNode *value, gint64 now,
           const KlServerUser *user, gboolean *changed)
{
  JsonNode *old = json_object_get_member (body, field);
  g_autoptr(JsonNode) old_copy = old ? json_node_copy (old) : json_node_new (JSON_NODE_NULL);
  if (nodes_equal (old, value))
    return;
  history_add (body, now, user, "field", field, old_copy, value, NULL);
  json_object_set_member (body, field, json_node_copy (value));
  *changed = TRUE;
}

gboolean
kl_server_claim_patch (KlServerRecord *r, JsonObject *patch, const KlServerUser *user,
                       gint64 now, gboolean *out_changed, KlProblem *p)
{
  g_autoptr(JsonObject) body = parse_body (r->body);
  g_autoptr(GList) members = json_object_get_members (patch);
  KlClaim before, after;
  KlClaimKind kind;
  KlClaimStatus from, to;
  gboolean moving = FALSE;
  const char *currency;
  JsonNode *status_node = json_object_get_member (patch, "status");
  JsonNode *approved = json_object_get_member (patch, "approved");
  JsonNode *paid = json_object_get_member (patch, "paid");
  JsonNode *reason = json_object_get_member (patch, "reason");
  JsonNode *note = json_object_get_member (patch, "note");
  JsonNode *documents = json_object_get_member (patch, "documents");
  gboolean changed = FALSE;

  *out_changed = FALSE;
  for (GList *l = members; l; l = l->next)
    {
      const char *m = l->data;
      if (g_strv_contains (claim_patch_fields, m))
        continue;
      if (is_read_only (m) || g_strv_contains (claim_new_fields, m) ||
          g_strv_contains (claim_server_fields, m))
        return INVALID (p, m, "%s cannot be changed on a case; leave it out of the patch", m);
      return INVALID (p, m, "%s is not a field of a case patch; remove it (docs/api.yaml lists them)", m);
    }

  claim_from_body (body, &before);
  kind = before.kind;
  from = before.status;
  currency = money_currency (json_object_get_member (body, "claimed"));

  /* Each value's shape. */
  for (const char * const *f = (const char * const[]) { "owner", "root_cause", "corrective_action",
                                                        "return_destination", "return_carrier",
                                                        "return_label", "return_tracking", "reason",
                                                        NULL };
       *f; f++)
    if (json_object_has_member (patch, *f) &&
        !check_text (json_object_get_member (patch, *f), *f, TRUE, FALSE, p))
      return FALSE;
  if (json_object_has_member (patch, "outcome") &&
      !check_enum (json_object_get_member (patch, "outcome"), "outcome",
                   (const char * const[]) { "restocked", "refunded", "replaced", "repaired",
                                            "disposed", NULL }, TRUE, p))
    return FALSE;
  if (approved && !check_money (approved, "approved", FALSE, p))
    return FALSE;
  if (paid && !check_money (paid, "paid", FALSE, p))
    return FALSE;
  if (!check_note (note, p))
    return FALSE;
  for (JsonNode *m = approved; m; m = (m == approved ? paid : NULL))
    {
      const char *name = m == approved ? "approved" : "paid";
      if (m == NULL)
        continue;
      if (!kl_claim_kind_is_freight (kind))
        return INVALID (p, name, "a %s carries no amounts; only freight claims do",
                        kl_claim_kind_to_string (kind));
      if (currency != NULL && g_strcmp0 (money_currency (m), currency) != 0)
        return INVALID (p, name, "%s is in %s but the case is in %s; a case has one currency",
                        name, money_currency (m), currency);
    }
  if (documents)
    {
      JsonObject *d;
      g_autoptr(GList) names = NULL;
      if (!JSON_NODE_HOLDS_OBJECT (documents))
        return INVALID (p, "documents", "documents must be an object of document → true/false");
      d = json_node_get_object (documents);
      names = json_object_get_members (d);
      for (GList *l = names; l; l = l->next)
        {
          KlClaimDocument doc;
          g_autofree char *f = g_strdup_printf ("documents.%s", (char *) l->data);
          if (!kl_claim_document_from_string (l->data, &doc) ||
              !g_str_equal (kl_claim_document_to_string (doc), l->data))
            return INVALID (p, f, "%s is not a document of the checklist (docs/claims.md)", f);
          if (!node_is_bool (json_object_get_member (d, l->data)))
            return INVALID (p, f, "%s must be true or false", f);
        }
    }
  to = from;
  if (status_node != NULL)
    {
      if (!node_is_string (status_node) ||
          !kl_claim_status_from_string (json_node_get_string (status_node), &to) ||
          !g_str_equal (kl_claim_status_to_string (to), json_node_get_string (status_node)))
        return INVALID (p, "status", "status must be a status of docs/claims.md");
      moving = to != from;
    }
  if (!node_is_null (reason) && !moving)
    return INVALID (p, "reason", "reason goes with a status move (declined, rejected or a reopen); "
                    "give status with it, or send the text as a note");
  if (approved && !(moving && to == KL_CLAIM_STATUS_APPROVED) &&
      !nodes_equal (approved, json_object_get_member (body, "approved")))
    return INVALID (p, "approved", "approved is set with the move to approved; give "
                    "\"status\": \"approved\" with it");
  if (paid && !(moving && to == KL_CLAIM_STATUS_PAID) &&
      !nodes_equal (paid, json_object_get_member (body, "paid")))
    return INVALID (p, "paid", "paid is set with the move to paid; give \"status\": \"paid\" with it");

  /* Field changes first, each with its history entry. */
  for (const char * const *f = (const char * const[]) { "owner", "root_cause", "corrective_action",
                                                        "return_destination", "return_carrier",
                                                        "return_label", "return_tracking",
                                                        "outcome", NULL };
       *f; f++)
    if (json_object_has_member (patch, *f))
      set_field (body, *f, json_object_get_member (patch, *f), now, user, &changed);
  if (documents)
    {
      JsonObject *have = json_object_get_object_member (body, "documents");
      JsonObject *d = json_node_get_object (documents);
      g_autoptr(GList) names = json_object_get_members (d);
      for (GList *l = names; l; l = l->next)
        {
          gboolean was = json_object_has_member (have, l->data) &&
                         json_object_get_boolean_member (have, l->data);
          gboolean now_set = json_object_get_boolean_member (d, l->data);
          g_autoptr(JsonNode) from_node = json_node_init_boolean (json_node_alloc (), was);
          g_autoptr(JsonNode) to_node = json_node_init_boolean (json_node_alloc (), now_set);
          if (was == now_set)
            continue;
          history_add (body, now, user, "document", l->data, from_node, to_node, NULL);
          json_object_set_boolean_member (have, l->data, now_set);
          changed = TRUE;
        }
    }

  if (moving)
    {
      KlClaimMove move = KL_CLAIM_MOVE_INIT;
      KlClaimMoveCheck check;
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) from_node = json_node_new (JSON_NODE_VALUE);
      g_autoptr(JsonNode) to_node = json_node_new (JSON_NODE_VALUE);
      JsonNode *amount = to == KL_CLAIM_STATUS_APPROVED ? approved :
                         to == KL_CLAIM_STATUS_PAID ? paid : NULL;

      /* The case as it stands after the field changes; the amount given
       * with the move is the move's, as kl_claim_move_check_init wants. */
      claim_from_body (body, &after);
      move.to = to;
      if (amount)
        {
          move.amount_set = TRUE;
          move.amount = money_amount (amount);
        }
      move.reason = node_is_null (reason) ? NULL : json_node_get_string (reason);
      move.corrective_action = after.corrective_action;
      move.return_destination = after.return_destination;
      move.label_carrier = after.label_carrier;
      move.label_number = after.label_number;
      move.return_tracking = after.return_tracking;
      move.outcome_set = after.outcome_set;
      move.outcome = after.outcome;
      kl_claim_move_check_init (&check, &after, &move);
      if (!kl_claim_check_move (&check, &error))
        return kl_problem_set (p, 422, "lifecycle", "status", "%s", error->message);

      json_node_set_string (from_node, kl_claim_status_to_string (from));
      json_node_set_string (to_node, kl_claim_status_to_string (to));
      history_add (body, now, user, "moved", "status", from_node, to_node, move.reason);
      json_object_set_string_member (body, "status", kl_claim_status_to_string (to));
      if (amount)
        set_field (body, to == KL_CLAIM_STATUS_APPROVED ? "approved" : "paid", amount, now, user,
                   &changed);
      if ((from == KL_CLAIM_STATUS_FILED || from == KL_CLAIM_STATUS_OPEN) &&
          node_is_null (json_object_get_member (body, "acknowledged_at")))
        {
          g_autofree char *at = kl_server_format_time (now);
          json_object_set_string_member (body, "acknowledged_at", at);
        }
      if (from == KL_CLAIM_STATUS_DRAFT && to == KL_CLAIM_STATUS_FILED)
        {
          g_autofree char *at = kl_server_format_time (now);
          json_object_set_string_member (body, "filed_at", at);
        }
      if (to == KL_CLAIM_STATUS_CLOSED)
        {
          g_autofree char *at = kl_server_format_time (now);
          json_object_set_string_member (body, "closed_at", at);
        }
      else
        json_object_set_null_member (body, "closed_at");
      changed = TRUE;
    }
  if (!node_is_null (note))
    {
      history_add (body, now, user, "note", NULL, NULL, NULL,
                   json_object_get_string_member (json_node_get_object (note), "text"));
      notes_add (body, note, now, user);
      changed = TRUE;
    }
  if (!changed)
    return TRUE;
  *out_changed = TRUE;
  r->updated_at = now;
  g_free (r->body);
  r->body = object_to_string (body);
  return TRUE;
}
