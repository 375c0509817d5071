/* SPDX-License-Identifier: GPL-3.0-or-later */
/* keyline-cli claims: the claims, returns and complaints tracker from a
 * shell. JSON follows the Claim object of docs/api.yaml, history
 * included. */

#include "config.h"

#include <stdio.h>
#include <string.h>
#include <json-glib/json-glib.h>
#include <glib/gi18n.h>

#include "kl-cli.h"
#include "kl-cli-claims.h"
#include "kl-claim-store.h"
#include "kl-customer-store.h"
#include "kl-report-language.h"
#include "kl-xlsx-export.h"
#include "kl-cli-xlsx.h"

typedef enum {
  FORMAT_TABLE,
  FORMAT_CSV,
  FORMAT_JSON,
  FORMAT_XLSX,
} Format;

/* Errors */

/* Refused data and unknown cases or customers are bad input (65); the rest
 * as every command maps them. */
static int
fail (const GError *error,
      KlDatabase   *db)
{
  if (error->domain == KL_CLAIM_ERROR ||
      g_error_matches (error, KL_DATABASE_ERROR, KL_DATABASE_ERROR_NOT_FOUND))
    {
      kl_cli_error ("%s", error->message);
      return KL_EXIT_DATAERR;
    }
  return kl_cli_fail (error, db, FALSE);
}

static gboolean
parse_format (const char *text,
              gboolean    csv_allowed,
              Format     *out)
{
  if (text == NULL || g_strcmp0 (text, "table") == 0)
    *out = FORMAT_TABLE;
  else if (g_strcmp0 (text, "json") == 0)
    *out = FORMAT_JSON;
  else if (csv_allowed && g_strcmp0 (text, "csv") == 0)
    *out = FORMAT_CSV;
  else if (csv_allowed && g_strcmp0 (text, "xlsx") == 0)
    *out = FORMAT_XLSX;
  else
    return FALSE;
  return TRUE;
}

/* The workspace is opened only once the options are read, so --help and
 * usage errors never need one. --workspace after the subcommand wins over
 * one before it. */
static KlDatabase *
open_workspace (KlCli *outer,
                KlCli *cli,
                int   *out_status)
{
  if (cli->workspace != NULL)
    {
      g_free (outer->workspace);
      outer->workspace = g_strdup (cli->workspace);
    }
  return kl_cli_open_workspace (outer, FALSE, out_status);
}

static gint64
now_seconds (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

static char *
format_instant (KlDatabase *db,
                gint64      t)
{
  g_autoptr(GDateTime) utc = NULL;
  g_autoptr(GDateTime) local = NULL;

  if (t == KL_NO_TIME)
    return NULL;
  utc = g_date_time_new_from_unix_utc (t);
  if (utc == NULL)
    return NULL;
  local = g_date_time_to_timezone (utc, kl_database_get_timezone (db));
  return g_date_time_format (local, "%Y-%m-%dT%H:%M:%S%:z");
}

static char *
format_day (KlDatabase *db,
            gint64      t)
{
  g_autoptr(GDateTime) utc = NULL;
  g_autoptr(GDateTime) local = NULL;

  if (t == KL_NO_TIME)
    return g_strdup ("");
  utc = g_date_time_new_from_unix_utc (t);
  local = g_date_time_to_timezone (utc, kl_database_get_timezone (db));
  return g_date_time_format (local, "%Y-%m-%d");
}

/* "2026-10-05" (the start of that day in the workspace time zone) or a full
 * RFC 3339 time. */
static gboolean
parse_instant (KlDatabase  *db,
               const char  *text,
               gint64      *out)
{
  g_autoptr(GDateTime) dt = NULL;
  int y, m, d;
  char tail;

  if (sscanf (text, "%4d-%2d-%2d%c", &y, &m, &d, &tail) == 3)
    dt = g_date_time_new (kl_database_get_timezone (db), y, m, d, 0, 0, 0);
  else
    dt = g_date_time_new_from_iso8601 (text, kl_database_get_timezone (db));
  if (dt == NULL)
    return FALSE;
  *out = g_date_time_to_unix (dt);
  return TRUE;
}

/* A case's number as printed: a provisional one (a case opened in a
 * workspace that syncs, not yet accepted by the server) says so. */
static char *
number_text (const char *number)
{
  if (kl_claim_number_is_provisional (number))
    /* Translators: %s: a case's provisional number, until the server gives its own */
    return g_strdup_printf (_("%s (provisional)"), number);
  return g_strdup (number);
}

static char *
money_text (gboolean set, gint64 minor, const char *currency)
{
  g_autofree char *number = NULL;

  if (!set)
    return g_strdup ("");
  number = kl_money_format (minor, currency);
  return g_strdup_printf ("%s %s", number, currency != NULL ? currency : "");
}

static char *
allowed_tokens (KlClaimKind kind, KlClaimStatus from)
{
  g_autoptr(GArray) moves = kl_claim_allowed_moves (kind, from);
  g_autoptr(GString) out = g_string_new (NULL);

  for (guint i = 0; i < moves->len; i++)
    {
      if (i > 0)
        g_string_append (out, ", ");
      g_string_append (out, kl_claim_status_to_string (g_array_index (moves, KlClaimStatus, i)));
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* JSON */

static void
add_string (JsonBuilder *b, const char *name, const char *value)
{
  json_builder_set_member_name (b, name);
  if (value != NULL)
    json_builder_add_string_value (b, value);
  else
    json_builder_add_null_value (b);
}

static void
add_instant (JsonBuilder *b, KlDatabase *db, const char *name, gint64 t)
{
  g_autofree char *text = format_instant (db, t);

  add_string (b, name, text);
}

static void
add_money (JsonBuilder *b, const char *name, gboolean set, gint64 minor, const char *currency)
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
  json_builder_add_string_value (b, currency);
  json_builder_end_object (b);
}

static void
add_bool (JsonBuilder *b, const char *name, gboolean value)
{
  json_builder_set_member_name (b, name);
  json_builder_add_boolean_value (b, value);
}

static void
claim_to_json (JsonBuilder *b,
               KlDatabase  *db,
               KlClaim     *c,
               GPtrArray   *history,
               GPtrArray   *notes)
{
  json_builder_begin_object (b);
  add_string (b, "id", c->id);
  json_builder_set_member_name (b, "revision");
  json_builder_add_int_value (b, c->revision);
  add_instant (b, db, "updated_at", c->updated_at);
  add_bool (b, "deleted", c->deleted);
  add_string (b, "customer_id", c->customer_id);
  add_string (b, "customer_code", c->customer_code);
  add_string (b, "kind", kl_claim_kind_to_string (c->kind));
  add_string (b, "waybill", c->waybill);
  add_bool (b, "shipment_known", c->shipment_known);
  add_string (b, "incident_date", c->incident_date);
  add_money (b, "claimed", c->claimed_set, c->claimed, c->currency);
  add_string (b, "description", c->description);
  add_string (b, "number", c->number);
  add_string (b, "status", kl_claim_status_to_string (c->status));
  add_instant (b, db, "filed_at", c->filed_at);
  add_instant (b, db, "acknowledged_at", c->acknowledged_at);
  add_instant (b, db, "closed_at", c->closed_at);
  add_money (b, "approved", c->approved_set, c->approved, c->currency);
  add_money (b, "paid", c->paid_set, c->paid, c->currency);
  add_money (b, "salvage", c->salvage_set, c->salvage, c->currency);
  add_string (b, "owner", c->owner);
  add_string (b, "root_cause", c->root_cause);
  add_string (b, "corrective_action", c->corrective_action);

  json_builder_set_member_name (b, "documents");
  json_builder_begin_object (b);
  for (int d = 0; d < KL_N_CLAIM_DOCUMENTS; d++)
    add_bool (b, kl_claim_document_to_string (d), (c->documents & KL_CLAIM_DOCUMENT_BIT (d)) != 0);
  json_builder_end_object (b);

  if (c->kind == KL_CLAIM_KIND_RETURN)
    {
      add_string (b, "rma_number", c->rma_number);
      add_string (b, "return_destination", c->return_destination);
      add_string (b, "label_carrier", c->label_carrier);
      add_string (b, "label_number", c->label_number);
      add_string (b, "return_tracking", c->return_tracking);
      add_string (b, "outcome", c->outcome_set ? kl_return_outcome_to_string (c->outcome) : NULL);
    }
  add_bool (b, "concealed_damage", c->concealed_damage);
  json_builder_set_member_name (b, "warnings");
  json_builder_begin_array (b);
  for (guint i = 0; c->warnings[i] != NULL; i++)
    json_builder_add_string_value (b, c->warnings[i]);
  json_builder_end_array (b);

  json_builder_set_member_name (b, "deadlines");
  json_builder_begin_object (b);
  add_instant (b, db, "acknowledge_by", c->filed_at != KL_NO_TIME ? c->deadlines.acknowledge_by : KL_NO_TIME);
  add_instant (b, db, "resolve_by", c->filed_at != KL_NO_TIME ? c->deadlines.resolve_by : KL_NO_TIME);
  add_instant (b, db, "update_due_by", c->deadlines.update_due_by);
  add_bool (b, "acknowledge_pending", c->deadlines.acknowledge_pending);
  add_bool (b, "resolve_pending", c->deadlines.resolve_pending);
  json_builder_end_object (b);
  add_bool (b, "overdue", c->overdue);

  json_builder_set_member_name (b, "allowed_moves");
  json_builder_begin_array (b);
  {
    g_autoptr(GArray) moves = kl_claim_allowed_moves (c->kind, c->status);
    for (guint i = 0; i < moves->len; i++)
      json_builder_add_string_value (b, kl_claim_status_to_string (g_array_index (moves, KlClaimStatus, i)));
  }
  json_builder_end_array (b);

  json_builder_set_member_name (b, "history");
  json_builder_begin_array (b);
  for (guint i = 0; history != NULL && i < history->len; i++)
    {
      KlClaimHistoryEntry *e = g_ptr_array_index (history, i);

      json_builder_begin_object (b);
      add_instant (b, db, "at", e->at);
      add_string (b, "by", e->by);
      g_autofree char *what = kl_claim_history_entry_describe (e);

      add_string (b, "change", kl_claim_change_to_string (e->change));
      add_string (b, "what", what);
      add_string (b, "field", e->field);
      /* from/to are the api.yaml Claim history's names; old_value and
       * new_value stay for scripts written against earlier builds. */
      add_string (b, "from", e->old_value);
      add_string (b, "to", e->new_value);
      add_string (b, "old_value", e->old_value);
      add_string (b, "new_value", e->new_value);
      if (e->amount_set)
        add_money (b, "amount", TRUE, e->amount, e->currency);
      add_string (b, "reason", e->reason);
      add_string (b, "note", e->note);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);

  if (notes != NULL)
    {
      json_builder_set_member_name (b, "notes");
      json_builder_begin_array (b);
      for (guint i = 0; i < notes->len; i++)
        {
          KlClaimNote *n = g_ptr_array_index (notes, i);

          json_builder_begin_object (b);
          add_string (b, "visibility", n->visibility == KL_CLAIM_NOTE_CLIENT ? "client" : "internal");
          add_string (b, "text", n->text);
          add_instant (b, db, "at", n->at);
          add_string (b, "by", n->by);
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
    }
  json_builder_end_object (b);
}

static char *
json_text (JsonBuilder *b)
{
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(JsonNode) root = json_builder_get_root (b);
  g_autofree char *text = NULL;

  json_generator_set_pretty (gen, TRUE);
  json_generator_set_root (gen, root);
  text = json_generator_to_data (gen, NULL);
  return g_strconcat (text, "\n", NULL);
}

static void
print_json (JsonBuilder *b)
{
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(JsonNode) root = json_builder_get_root (b);
  g_autofree char *text = NULL;

  json_generator_set_pretty (gen, TRUE);
  json_generator_set_root (gen, root);
  text = json_generator_to_data (gen, NULL);
  kl_cli_printf ("%s\n", text);
}

/* claims list */

typedef struct {
  GPtrArray  *claims;
  KlDatabase *db;
} ClaimsXlsx;

/* The list in the language keyline-cli speaks, times in the workspace's zone. */
static gboolean
write_claims_xlsx (const char  *path,
                   gpointer     data,
                   GError     **error)
{
  const ClaimsXlsx *request = data;

  return kl_xlsx_write_claims (request->claims, kl_database_get_timezone (request->db),
                               kl_report_language_of_interface (), path, error);
}

static int
claims_list (KlCli      *outer,
             int         argc,
             char      **argv)
{
  g_autofree char *customer = NULL, *status_text = NULL, *format_text = NULL, *kind_text = NULL;
  g_autofree char *output = NULL;
  g_autofree char *text = NULL;
  gboolean overdue = FALSE;
  const GOptionEntry entries[] = {
    { "customer", 0, 0, G_OPTION_ARG_STRING, &customer, N_("Only this customer’s cases"), N_("CODE") },
    { "kind", 0, 0, G_OPTION_ARG_STRING, &kind_text, N_("Only cases of this kind"), N_("KIND") },
    { "status", 0, 0, G_OPTION_ARG_STRING, &status_text, N_("Only cases in this status"), N_("STATUS") },
    { "overdue", 0, 0, G_OPTION_ARG_NONE, &overdue, N_("Only overdue cases"), NULL },
    { "format", 0, 0, G_OPTION_ARG_STRING, &format_text, N_("table, csv, json or xlsx (an Excel workbook, with -o)"), N_("FORMAT") },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, N_("Write to FILE instead of stdout"), N_("FILE") },
    G_OPTION_ENTRY_NULL
  };
  KlCli cli = { NULL, (char *) "claims list" };
  g_autoptr(KlDatabase) db = NULL;
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) claims = NULL;
  g_autofree char *customer_id = NULL;
  KlClaimFilter filter = KL_CLAIM_FILTER_INIT;
  KlClaimStatus status;
  KlClaimKind kind;
  Format format;
  gint64 now = now_seconds ();
  int rc;

  context = kl_cli_option_context (&cli, NULL, _("List claims, returns and complaints, overdue and due first."), entries);
  if (!kl_cli_parse (&cli, context, &argc, &argv))
    return KL_EXIT_USAGE;
  if ((db = open_workspace (outer, &cli, &rc)) == NULL)
    goto out;
  if (argc > 1)
    {
      rc = kl_cli_usage_error (&cli, _("Unexpected argument “%s”"), argv[1]);
      goto out;
    }
  if (!parse_format (format_text, TRUE, &format))
    {
      rc = kl_cli_usage_error (&cli, _("Unknown format “%s”; use table, csv, json or xlsx"), format_text);
      goto out;
    }
  if (format == FORMAT_XLSX && !kl_cli_xlsx_check_output (&cli, output))
    {
      rc = KL_EXIT_USAGE;
      goto out;
    }
  if (status_text != NULL)
    {
      if (!kl_claim_status_from_string (status_text, &status))
        {
          g_autofree char *words = kl_claim_status_describe ();
          rc = kl_cli_usage_error (&cli, _("Unknown status “%s”; use one of %s"), status_text, words);
          goto out;
        }
      filter.status = status;
    }
  if (kind_text != NULL)
    {
      if (!kl_claim_kind_from_string (kind_text, &kind))
        {
          g_autofree char *words = kl_claim_kind_describe ();
          rc = kl_cli_usage_error (&cli, _("Unknown kind “%s”; use one of %s"), kind_text, words);
          goto out;
        }
      filter.kind = kind;
    }
  if (customer != NULL)
    {
      customer_id = kl_customer_store_lookup_code (db, customer, &error);
      if (error != NULL)
        {
          rc = fail (error, db);
          goto out;
        }
      if (customer_id == NULL)
        {
          kl_cli_error (_("There is no customer with code “%s”; see “keyline-cli customers list”"), customer);
          rc = KL_EXIT_DATAERR;
          goto out;
        }
      filter.customer_id = customer_id;
    }
  filter.overdue_only = overdue;

  claims = kl_claim_store_list (db, &filter, now, &error);
  if (claims == NULL)
    {
      rc = fail (error, db);
      goto out;
    }

  if (format == FORMAT_XLSX)
    {
      ClaimsXlsx request = { claims, db };

      if (!kl_cli_xlsx_write (output, write_claims_xlsx, &request, &error))
        {
          kl_cli_error ("%s", error->message);
          rc = KL_EXIT_CANTCREAT;
          goto out;
        }
    }
  else if (format == FORMAT_JSON)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      json_builder_begin_array (b);
      for (guint i = 0; i < claims->len; i++)
        {
          KlClaim *c = g_ptr_array_index (claims, i);
          g_autoptr(GPtrArray) history = kl_claim_store_history (db, c->id, &error);

          if (history == NULL)
            {
              rc = fail (error, db);
              goto out;
            }
          claim_to_json (b, db, c, history, NULL);
        }
      json_builder_end_array (b);
      text = json_text (b);
    }
  else if (format == FORMAT_CSV)
    {
      g_autoptr(GString) out = g_string_new ("id,number,customer_code,kind,status,waybill,currency,"
                                             "claimed_minor,approved_minor,paid_minor,filed_at,"
                                             "acknowledge_by,resolve_by,overdue,owner\n");

      for (guint i = 0; i < claims->len; i++)
        {
          KlClaim *c = g_ptr_array_index (claims, i);
          g_autofree char *claimed = c->claimed_set ? g_strdup_printf ("%" G_GINT64_FORMAT, c->claimed) : NULL;
          g_autofree char *approved = c->approved_set ? g_strdup_printf ("%" G_GINT64_FORMAT, c->approved) : NULL;
          g_autofree char *paid = c->paid_set ? g_strdup_printf ("%" G_GINT64_FORMAT, c->paid) : NULL;
          g_autofree char *filed = format_instant (db, c->filed_at);
          g_autofree char *ack = c->deadlines.acknowledge_pending ? format_instant (db, c->deadlines.acknowledge_by) : NULL;
          g_autofree char *resolve = c->deadlines.resolve_pending ? format_instant (db, c->deadlines.resolve_by) : NULL;
          const char *fields[] = {
            c->id, c->number, c->customer_code, kl_claim_kind_to_string (c->kind),
            kl_claim_status_to_string (c->status), c->waybill, c->currency, claimed, approved, paid,
            filed, ack, resolve, c->overdue ? "true" : "false", c->owner,
          };

          for (guint f = 0; f < G_N_ELEMENTS (fields); f++)
            {
              if (f > 0)
                g_string_append_c (out, ',');
              kl_cli_append_csv_field (out, fields[f] != NULL ? fields[f] : "");
            }
          g_string_append_c (out, '\n');
        }
      text = g_strdup (out->str);
    }
  else
    {
      g_autoptr(GString) out = g_string_new (NULL);
      const char *headers[] = { _("Number"), _("Kind"), _("Status"), _("Customer"), _("Waybill"),
                                _("Claimed"), _("Due"), "" };
      const guint widths[] = { 16, 10, 14, 12, 16, 16, 11, 0 };

      for (guint h = 0; h < G_N_ELEMENTS (headers); h++)
        kl_cli_append_padded (out, headers[h], widths[h]);
      g_string_append_c (out, '\n');
      for (guint i = 0; i < claims->len; i++)
        {
          KlClaim *c = g_ptr_array_index (claims, i);
          g_autofree char *claimed = money_text (c->claimed_set, c->claimed, c->currency);
          g_autofree char *due = format_day (db, c->next_due);
          g_autofree char *number = number_text (c->number);
          const char *cells[] = {
            number, kl_claim_kind_to_label (c->kind), kl_claim_status_to_label (c->status),
            c->customer_code, c->waybill != NULL ? c->waybill : "", claimed, due,
            c->overdue ? _("OVERDUE") : "",
          };

          for (guint f = 0; f < G_N_ELEMENTS (cells); f++)
            kl_cli_append_padded (out, cells[f], widths[f]);
          g_string_append_c (out, '\n');
        }
      text = g_strdup (out->str);
    }
  if (text != NULL)
    {
      if (output == NULL || g_strcmp0 (output, "-") == 0)
        kl_cli_print (text);
      else if (!g_file_set_contents (output, text, -1, &error))
        {
          kl_cli_error (_("Cannot write “%s”: %s"), output, error->message);
          rc = KL_EXIT_CANTCREAT;
          goto out;
        }
    }
  rc = KL_EXIT_OK;

out:
  g_free (cli.workspace);
  return rc;
}

/* claims show */

static void
print_row (GString *out, const char *label, const char *value)
{
  if (value == NULL || *value == '\0')
    return;
  kl_cli_append_padded (out, label, 22);
  g_string_append_printf (out, "%s\n", value);
}

static int
claims_show (KlCli      *outer,
             int         argc,
             char      **argv)
{
  g_autofree char *format_text = NULL;
  const GOptionEntry entries[] = {
    { "format", 0, 0, G_OPTION_ARG_STRING, &format_text, N_("table or json"), N_("FORMAT") },
    G_OPTION_ENTRY_NULL
  };
  KlCli cli = { NULL, (char *) "claims show" };
  g_autoptr(KlDatabase) db = NULL;
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(KlClaim) c = NULL;
  g_autoptr(GPtrArray) history = NULL, notes = NULL;
  Format format;
  int rc;

  context = kl_cli_option_context (&cli, _("ID"), _("Show one case with its history; ID is its id or its number."), entries);
  if (!kl_cli_parse (&cli, context, &argc, &argv))
    return KL_EXIT_USAGE;
  if ((db = open_workspace (outer, &cli, &rc)) == NULL)
    goto out;
  if (argc != 2)
    {
      rc = kl_cli_usage_error (&cli, _("Give one case id or number"));
      goto out;
    }
  if (!parse_format (format_text, FALSE, &format))
    {
      rc = kl_cli_usage_error (&cli, _("Unknown format “%s”; use table or json"), format_text);
      goto out;
    }
  c = kl_claim_store_get (db, argv[1], now_seconds (), &error);
  if (c != NULL)
    history = kl_claim_store_history (db, c->id, &error);
  if (history != NULL)
    notes = kl_claim_store_notes (db, c->id, FALSE, &error);
  if (notes == NULL)
    {
      rc = fail (error, db);
      goto out;
    }

  if (format == FORMAT_JSON)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      claim_to_json (b, db, c, history, notes);
      print_json (b);
    }
  else
    {
      g_autoptr(GString) out = g_string_new (NULL);
      g_autoptr(GString) docs = g_string_new (NULL);
      g_autofree char *claimed = money_text (c->claimed_set, c->claimed, c->currency);
      g_autofree char *approved = money_text (c->approved_set, c->approved, c->currency);
      g_autofree char *paid = money_text (c->paid_set, c->paid, c->currency);
      g_autofree char *salvage = money_text (c->salvage_set, c->salvage, c->currency);
      g_autofree char *filed = format_instant (db, c->filed_at);
      g_autofree char *acknowledged = format_instant (db, c->acknowledged_at);
      g_autofree char *closed = format_instant (db, c->closed_at);
      g_autofree char *ack_by = c->deadlines.acknowledge_pending ? format_instant (db, c->deadlines.acknowledge_by) : NULL;
      g_autofree char *resolve_by = c->deadlines.resolve_pending ? format_instant (db, c->deadlines.resolve_by) : NULL;
      g_autofree char *update_by = format_instant (db, c->deadlines.update_due_by);
      g_autofree char *allowed = allowed_tokens (c->kind, c->status);
      g_autofree char *customer = g_strdup_printf ("%s (%s)", c->customer_name, c->customer_code);
      g_autofree char *number = number_text (c->number);
      g_autofree char *waybill = c->waybill != NULL && !c->shipment_known
                                 ? g_strdup_printf (_("%s (not on record)"), c->waybill) : g_strdup (c->waybill);

      for (int d = 0; d < KL_N_CLAIM_DOCUMENTS; d++)
        g_string_append_printf (docs, "%s%s %s", d > 0 ? ", " : "",
                                (c->documents & KL_CLAIM_DOCUMENT_BIT (d)) ? "[x]" : "[ ]",
                                kl_claim_document_to_label (d));

      print_row (out, _("Number"), number);
      print_row (out, _("Id"), c->id);
      print_row (out, _("Kind"), kl_claim_kind_to_label (c->kind));
      print_row (out, _("Status"), kl_claim_status_to_label (c->status));
      print_row (out, _("Customer"), customer);
      print_row (out, _("Waybill"), waybill);
      print_row (out, _("Description"), c->description);
      print_row (out, _("Claimed"), claimed);
      print_row (out, _("Approved"), approved);
      print_row (out, _("Paid"), paid);
      print_row (out, _("Salvage"), salvage);
      print_row (out, _("Owner"), c->owner);
      print_row (out, _("Root cause"), c->root_cause);
      print_row (out, _("Corrective action"), c->corrective_action);
      print_row (out, _("Filed"), filed);
      print_row (out, _("Acknowledged"), acknowledged);
      print_row (out, _("Closed"), closed);
      print_row (out, _("Acknowledge by"), ack_by);
      print_row (out, _("Resolve by"), resolve_by);
      print_row (out, _("Next update due"), update_by);
      print_row (out, _("Overdue"), c->overdue ? _("yes") : NULL);
      print_row (out, _("RMA"), c->rma_number);
      print_row (out, _("Return to"), c->return_destination);
      print_row (out, _("Return label"), c->label_number);
      print_row (out, _("Return tracking"), c->return_tracking);
      print_row (out, _("Outcome"), c->outcome_set ? kl_return_outcome_to_label (c->outcome) : NULL);
      print_row (out, _("Documents"), docs->str);
      for (guint i = 0; c->warnings[i] != NULL; i++)
        print_row (out, _("Warning"), c->warnings[i]);
      print_row (out, _("Moves allowed"), *allowed != '\0' ? allowed : _("none"));

      g_string_append_printf (out, "\n%s\n", _("History"));
      for (guint i = 0; i < history->len; i++)
        {
          KlClaimHistoryEntry *e = g_ptr_array_index (history, i);
          g_autofree char *at = format_instant (db, e->at);
          g_autofree char *what = kl_claim_history_entry_describe (e);

          g_string_append_printf (out, "  %s  %s  %s", at, e->by, what);
          if (e->note != NULL)
            g_string_append_printf (out, " — %s", e->note);
          g_string_append_c (out, '\n');
        }
      if (notes->len > 0)
        g_string_append_printf (out, "\n%s\n", _("Notes"));
      for (guint i = 0; i < notes->len; i++)
        {
          KlClaimNote *n = g_ptr_array_index (notes, i);
          g_autofree char *at = format_instant (db, n->at);

          g_string_append_printf (out, "  %s  %s  [%s]  %s\n", at, n->by,
                                  n->visibility == KL_CLAIM_NOTE_CLIENT ? _("client") : _("internal"),
                                  n->text);
        }
      kl_cli_print (out->str);
    }
  rc = KL_EXIT_OK;

out:
  g_free (cli.workspace);
  return rc;
}

/* claims new */

static int
claims_new (KlCli      *outer,
            int         argc,
            char      **argv)
{
  g_autofree char *customer = NULL, *kind_text = NULL, *waybill = NULL, *amount = NULL;
  g_autofree char *currency = NULL, *filed_text = NULL, *note = NULL, *incident = NULL;
  const GOptionEntry entries[] = {
    { "customer", 0, 0, G_OPTION_ARG_STRING, &customer, N_("The customer’s code (required)"), N_("CODE") },
    { "kind", 0, 0, G_OPTION_ARG_STRING, &kind_text,
      N_("damage, shortage, delay, loss, return or complaint (required)"), N_("KIND") },
    { "waybill", 0, 0, G_OPTION_ARG_STRING, &waybill, N_("The shipment concerned"), N_("W") },
    { "amount", 0, 0, G_OPTION_ARG_STRING, &amount, N_("The amount claimed, like 123.45"), N_("AMOUNT") },
    { "currency", 0, 0, G_OPTION_ARG_STRING, &currency, N_("Its currency, like CNY"), N_("CODE") },
    { "filed-at", 0, 0, G_OPTION_ARG_STRING, &filed_text,
      N_("When it was filed (YYYY-MM-DD or an RFC 3339 time); default now"), N_("DATE") },
    { "incident-date", 0, 0, G_OPTION_ARG_STRING, &incident, N_("The day it happened (YYYY-MM-DD)"), N_("DATE") },
    { "note", 0, 0, G_OPTION_ARG_STRING, &note, N_("What happened, in the client’s words"), N_("TEXT") },
    G_OPTION_ENTRY_NULL
  };
  KlCli cli = { NULL, (char *) "claims new" };
  g_autoptr(KlDatabase) db = NULL;
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *customer_id = NULL, *id = NULL;
  g_autoptr(KlClaim) c = NULL;
  KlClaimNew in = KL_CLAIM_NEW_INIT;
  gint64 now = now_seconds ();
  int rc;

  context = kl_cli_option_context (&cli, NULL,
                                   _("Open a claim, return or complaint and print its id. Freight claims start "
                                     "as filed, returns as requested, complaints as open."), entries);
  if (!kl_cli_parse (&cli, context, &argc, &argv))
    return KL_EXIT_USAGE;
  if ((db = open_workspace (outer, &cli, &rc)) == NULL)
    goto out;
  if (argc > 1)
    {
      rc = kl_cli_usage_error (&cli, _("Unexpected argument “%s”"), argv[1]);
      goto out;
    }
  if (customer == NULL || kind_text == NULL)
    {
      rc = kl_cli_usage_error (&cli, _("Give --customer and --kind"));
      goto out;
    }
  if (!kl_claim_kind_from_string (kind_text, &in.kind))
    {
      g_autofree char *words = kl_claim_kind_describe ();
      rc = kl_cli_usage_error (&cli, _("Unknown kind “%s”; use one of %s"), kind_text, words);
      goto out;
    }
  if ((amount != NULL) != (currency != NULL))
    {
      rc = kl_cli_usage_error (&cli, _("Give --amount and --currency together"));
      goto out;
    }
  if (currency != NULL)
    {
      g_autofree char *upper = g_ascii_strup (currency, -1);

      g_free (currency);
      currency = g_steal_pointer (&upper);
      if (!kl_currency_check (currency, &error))
        {
          rc = fail (error, db);
          goto out;
        }
      if (!kl_money_parse (amount, currency, &in.claimed, &error))
        {
          rc = fail (error, db);
          goto out;
        }
      in.claimed_set = TRUE;
      in.currency = currency;
    }
  if (filed_text != NULL)
    {
      if (!parse_instant (db, filed_text, &in.filed_at))
        {
          kl_cli_error (_("“%s” is not a date; write it like 2026-10-05"), filed_text);
          rc = KL_EXIT_DATAERR;
          goto out;
        }
      if (in.filed_at > now)
        {
          kl_cli_error (_("The filing date %s is in the future; give the day the case was filed"), filed_text);
          rc = KL_EXIT_DATAERR;
          goto out;
        }
    }
  customer_id = kl_customer_store_lookup_code (db, customer, &error);
  if (error != NULL)
    {
      rc = fail (error, db);
      goto out;
    }
  if (customer_id == NULL)
    {
      kl_cli_error (_("There is no customer with code “%s”; see “keyline-cli customers list”"), customer);
      rc = KL_EXIT_DATAERR;
      goto out;
    }
  in.customer_id = customer_id;
  in.waybill = waybill;
  in.incident_date = incident;
  in.description = note;

  id = kl_claim_store_create (db, &in, &error);
  if (id != NULL)
    c = kl_claim_store_get (db, id, now, &error);
  if (c == NULL)
    {
      rc = fail (error, db);
      goto out;
    }
  if (c->waybill != NULL && !c->shipment_known)
    kl_cli_error (_("warning: waybill %s is not on record; %s is flagged until it is imported"),
                  c->waybill, c->number);
  for (guint i = 0; c->warnings[i] != NULL; i++)
    kl_cli_error (_("warning: %s"), c->warnings[i]);
  kl_cli_printf ("%s\n", id);
  rc = KL_EXIT_OK;

out:
  g_free (cli.workspace);
  return rc;
}

/* claims update */

static int
claims_update (KlCli      *outer,
               int         argc,
               char      **argv)
{
  g_auto(GStrv) docs = NULL;
  g_autofree char *owner = NULL, *root_cause = NULL, *corrective = NULL, *note = NULL;
  g_autofree char *claimed = NULL, *salvage = NULL;
  gboolean client = FALSE;
  const GOptionEntry entries[] = {
    { "doc", 0, 0, G_OPTION_ARG_STRING_ARRAY, &docs,
      N_("A document received (NAME or NAME=yes) or withdrawn (NAME=no); repeatable"), N_("NAME[=yes|no]") },
    { "owner", 0, 0, G_OPTION_ARG_STRING, &owner, N_("Who handles the case (empty to clear)"), N_("NAME") },
    { "root-cause", 0, 0, G_OPTION_ARG_STRING, &root_cause, N_("Why it happened"), N_("TEXT") },
    { "corrective-action", 0, 0, G_OPTION_ARG_STRING, &corrective,
      N_("What will stop it happening again"), N_("TEXT") },
    { "claimed", 0, 0, G_OPTION_ARG_STRING, &claimed, N_("A new claimed amount, in the case’s currency"), N_("AMOUNT") },
    { "salvage", 0, 0, G_OPTION_ARG_STRING, &salvage, N_("The salvage value, in the case’s currency"), N_("AMOUNT") },
    { "note", 0, 0, G_OPTION_ARG_STRING, &note, N_("Add a note (internal unless --client)"), N_("TEXT") },
    { "client", 0, 0, G_OPTION_ARG_NONE, &client, N_("The note may be shown to the client"), NULL },
    G_OPTION_ENTRY_NULL
  };
  KlCli cli = { NULL, (char *) "claims update" };
  g_autoptr(KlDatabase) db = NULL;
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(KlClaim) c = NULL;
  KlClaimUpdate u = KL_CLAIM_UPDATE_INIT;
  const char *currency;
  int rc;

  context = kl_cli_option_context (&cli, _("ID"), _("Change a case’s documents, owner, root cause, corrective "
                                                    "action or amounts, or add a note."), entries);
  if (!kl_cli_parse (&cli, context, &argc, &argv))
    return KL_EXIT_USAGE;
  if ((db = open_workspace (outer, &cli, &rc)) == NULL)
    goto out;
  if (argc != 2)
    {
      rc = kl_cli_usage_error (&cli, _("Give one case id or number"));
      goto out;
    }
  if (client && note == NULL)
    {
      rc = kl_cli_usage_error (&cli, _("--client goes with --note"));
      goto out;
    }
  for (guint i = 0; docs != NULL && docs[i] != NULL; i++)
    {
      g_auto(GStrv) parts = g_strsplit (docs[i], "=", 2);
      KlClaimDocument d;
      gboolean present = TRUE;

      if (!kl_claim_document_from_string (parts[0], &d))
        {
          g_autofree char *words = kl_claim_document_describe ();
          rc = kl_cli_usage_error (&cli, _("Unknown document “%s”; use one of %s"), parts[0], words);
          goto out;
        }
      if (parts[1] != NULL)
        {
          if (g_ascii_strcasecmp (parts[1], "yes") == 0)
            present = TRUE;
          else if (g_ascii_strcasecmp (parts[1], "no") == 0)
            present = FALSE;
          else
            {
              rc = kl_cli_usage_error (&cli, _("Write --doc %s=yes or --doc %s=no, not “%s”"),
                                       parts[0], parts[0], docs[i]);
              goto out;
            }
        }
      if (present)
        u.documents_add |= KL_CLAIM_DOCUMENT_BIT (d);
      else
        u.documents_remove |= KL_CLAIM_DOCUMENT_BIT (d);
    }

  c = kl_claim_store_get (db, argv[1], now_seconds (), &error);
  if (c == NULL)
    {
      rc = fail (error, db);
      goto out;
    }
  currency = c->currency != NULL ? c->currency : "CNY";
  if (claimed != NULL)
    {
      if (!kl_money_parse (claimed, currency, &u.claimed, &error))
        {
          rc = fail (error, db);
          goto out;
        }
      u.claimed_set = TRUE;
      u.currency = currency;
    }
  if (salvage != NULL)
    {
      if (!kl_money_parse (salvage, currency, &u.salvage, &error))
        {
          rc = fail (error, db);
          goto out;
        }
      u.salvage_set = TRUE;
      u.currency = currency;
    }
  u.owner_set = owner != NULL;
  u.owner = owner;
  u.root_cause_set = root_cause != NULL;
  u.root_cause = root_cause;
  u.corrective_action_set = corrective != NULL;
  u.corrective_action = corrective;

  /* The changes and the note stand or fall together. */
  if (!kl_database_begin (db, &error) ||
      !kl_claim_store_update (db, c->id, &u, &error) ||
      (note != NULL &&
       !kl_claim_store_add_note (db, c->id, client ? KL_CLAIM_NOTE_CLIENT : KL_CLAIM_NOTE_INTERNAL,
                                 note, NULL, KL_NO_TIME, &error)) ||
      !kl_database_commit (db, &error))
    {
      if (kl_database_in_transaction (db))
        kl_database_rollback (db);
      rc = fail (error, db);
      goto out;
    }
  rc = KL_EXIT_OK;

out:
  g_free (cli.workspace);
  return rc;
}

/* claims move */

static int
claims_move (KlCli      *outer,
             int         argc,
             char      **argv)
{
  g_autofree char *amount = NULL, *reason = NULL, *note = NULL, *corrective = NULL;
  g_autofree char *destination = NULL, *carrier = NULL, *label = NULL, *tracking = NULL, *outcome = NULL;
  const GOptionEntry entries[] = {
    { "amount", 0, 0, G_OPTION_ARG_STRING, &amount,
      N_("The approved amount (to approved) or the paid amount (to paid)"), N_("AMOUNT") },
    { "reason", 0, 0, G_OPTION_ARG_STRING, &reason,
      N_("Why (required to decline, reject or reopen)"), N_("TEXT") },
    { "note", 0, 0, G_OPTION_ARG_STRING, &note, N_("A note kept with the move in the history"), N_("TEXT") },
    { "corrective-action", 0, 0, G_OPTION_ARG_STRING, &corrective,
      N_("What will stop it happening again (a complaint to resolved)"), N_("TEXT") },
    { "destination", 0, 0, G_OPTION_ARG_STRING, &destination,
      N_("Where the goods go back to (a return to authorized)"), N_("PLACE") },
    { "carrier", 0, 0, G_OPTION_ARG_STRING, &carrier, N_("The return label’s carrier (to authorized)"), N_("NAME") },
    { "label", 0, 0, G_OPTION_ARG_STRING, &label, N_("The return label’s number (to authorized)"), N_("NUMBER") },
    { "tracking", 0, 0, G_OPTION_ARG_STRING, &tracking, N_("The return tracking number (to in_transit)"), N_("NUMBER") },
    { "outcome", 0, 0, G_OPTION_ARG_STRING, &outcome,
      N_("restocked, refunded, replaced, repaired or disposed (a return to resolved)"), N_("OUTCOME") },
    G_OPTION_ENTRY_NULL
  };
  KlCli cli = { NULL, (char *) "claims move" };
  g_autoptr(KlDatabase) db = NULL;
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(KlClaim) c = NULL;
  KlClaimMove m = KL_CLAIM_MOVE_INIT;
  int rc;

  context = kl_cli_option_context (&cli, _("ID STATUS"), _("Move a case to another status of its lifecycle."), entries);
  if (!kl_cli_parse (&cli, context, &argc, &argv))
    return KL_EXIT_USAGE;
  if ((db = open_workspace (outer, &cli, &rc)) == NULL)
    goto out;
  if (argc != 3)
    {
      rc = kl_cli_usage_error (&cli, _("Give a case id or number and the status to move it to"));
      goto out;
    }
  if (!kl_claim_status_from_string (argv[2], &m.to))
    {
      g_autofree char *words = kl_claim_status_describe ();
      rc = kl_cli_usage_error (&cli, _("Unknown status “%s”; use one of %s"), argv[2], words);
      goto out;
    }
  if (outcome != NULL)
    {
      if (!kl_return_outcome_from_string (outcome, &m.outcome))
        {
          g_autofree char *words = kl_return_outcome_describe ();
          rc = kl_cli_usage_error (&cli, _("Unknown outcome “%s”; use one of %s"), outcome, words);
          goto out;
        }
      m.outcome_set = TRUE;
    }

  c = kl_claim_store_get (db, argv[1], now_seconds (), &error);
  if (c == NULL)
    {
      rc = fail (error, db);
      goto out;
    }
  if (amount != NULL)
    {
      if (c->currency == NULL)
        {
          kl_cli_error (_("%s has no claimed amount, so it has no currency; set one with “claims update %s --claimed AMOUNT”"),
                        c->number, c->number);
          rc = KL_EXIT_DATAERR;
          goto out;
        }
      if (!kl_money_parse (amount, c->currency, &m.amount, &error))
        {
          rc = fail (error, db);
          goto out;
        }
      m.amount_set = TRUE;
    }
  m.reason = reason;
  m.note = note;
  m.corrective_action = corrective;
  m.return_destination = destination;
  m.label_carrier = carrier;
  m.label_number = label;
  m.return_tracking = tracking;

  if (!kl_claim_store_move (db, c->id, &m, &error))
    {
      if (error->domain == KL_CLAIM_ERROR)
        {
          g_autofree char *allowed = allowed_tokens (c->kind, c->status);

          /* Translators: %s: why the move was refused; %s: the number; %s: a status; %s: status tokens */
          kl_cli_error (_("%s (%s is %s; moves allowed: %s)"), error->message, c->number,
                        kl_claim_status_to_string (c->status), *allowed != '\0' ? allowed : _("none"));
          rc = KL_EXIT_DATAERR;
        }
      else
        rc = fail (error, db);
      goto out;
    }
  rc = KL_EXIT_OK;

out:
  g_free (cli.workspace);
  return rc;
}

/* Dispatch */

static const struct {
  const char *name;
  int (*run) (KlCli *outer, int argc, char **argv);
  const char *summary;
} subcommands[] = {
  { "list",   claims_list,   N_("List cases, overdue and due first") },
  { "show",   claims_show,   N_("Show one case with its history") },
  { "new",    claims_new,    N_("Open a claim, return or complaint") },
  { "update", claims_update, N_("Change documents, owner, root cause, corrective action; add a note") },
  { "move",   claims_move,   N_("Move a case along its lifecycle") },
};

static void
print_help (void)
{
  g_autoptr(GString) out = g_string_new (_("Usage: keyline-cli claims COMMAND [OPTIONS]\n\nCommands:\n"));

  for (guint i = 0; i < G_N_ELEMENTS (subcommands); i++)
    {
      g_string_append (out, "  ");
      kl_cli_append_padded (out, subcommands[i].name, 10);
      g_string_append_printf (out, "%s\n", _(subcommands[i].summary));
    }
  g_string_append (out, _("\n“keyline-cli claims COMMAND --help” tells more.\n"));
  kl_cli_print (out->str);
}

static int
claims_main (KlCli  *cli,
             int     argc,
             char  **argv)
{
  if (argc < 2)
    {
      kl_cli_error (_("Give a claims command: list, show, new, update or move (see “keyline-cli claims --help”)"));
      return KL_EXIT_USAGE;
    }
  if (g_strcmp0 (argv[1], "--help") == 0 || g_strcmp0 (argv[1], "-h") == 0)
    {
      print_help ();
      return KL_EXIT_OK;
    }
  for (guint i = 0; i < G_N_ELEMENTS (subcommands); i++)
    if (g_strcmp0 (argv[1], subcommands[i].name) == 0)
      {
        g_autofree char *prgname = g_strdup_printf ("keyline-cli claims %s", subcommands[i].name);

        /* The usage line of --help names the whole command. */
        g_set_prgname (prgname);
        return subcommands[i].run (cli, argc - 1, argv + 1);
      }

  kl_cli_error (_("Unknown claims command “%s”; use list, show, new, update or move (see “keyline-cli claims --help”)"),
                argv[1]);
  return KL_EXIT_USAGE;
}

int
kl_cli_claims (KlCli  *cli,
               int     argc,
               char  **argv)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();

  g_return_val_if_fail (cli != NULL, KL_EXIT_SOFTWARE);

  /* --workspace may also follow the command, as with every other one. */
  g_ptr_array_add (args, argv[-1]);
  for (int i = 0; i < argc; i++)
    {
      if (g_strcmp0 (argv[i], "--workspace") == 0)
        {
          if (i + 1 >= argc)
            return kl_cli_usage_error (cli, _("--workspace needs the path of a workspace file"));
          g_free (cli->workspace);
          cli->workspace = g_strdup (argv[++i]);
        }
      else if (g_str_has_prefix (argv[i], "--workspace="))
        {
          g_free (cli->workspace);
          cli->workspace = g_strdup (argv[i] + strlen ("--workspace="));
        }
      else
        g_ptr_array_add (args, argv[i]);
    }
  g_ptr_array_add (args, NULL);

  return claims_main (cli, (int) args->len - 1, (char **) args->pdata);
}
