/* SPDX-License-Identifier: GPL-3.0-or-later */
/* keyline-cli customers list|show: customers as a table for people, CSV
 * with a header, or JSON following the Customer object of docs/api.yaml
 * (plus "shipments": on record, cancelled left out). */

#include "config.h"

#include <math.h>
#include <json-glib/json-glib.h>
#include <glib/gi18n.h>

#include "kl-cli.h"
#include "kl-customer-store.h"
#include "kl-contact-store.h"
#include "kl-agreement-store.h"

typedef enum {
  FORMAT_TABLE,
  FORMAT_CSV,
  FORMAT_JSON,
} Format;

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
  else
    return FALSE;
  return TRUE;
}

static char *
today (KlDatabase *db)
{
  g_autoptr(GDateTime) now = g_date_time_new_now (kl_database_get_timezone (db));

  return g_date_time_format (now, "%Y-%m-%d");
}

static char *
format_instant (KlDatabase *db,
                gint64      t)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (t);
  g_autoptr(GDateTime) local = NULL;

  if (utc == NULL)
    return NULL;
  local = g_date_time_to_timezone (utc, kl_database_get_timezone (db));
  return g_date_time_format (local, "%Y-%m-%dT%H:%M:%S%:z");
}

static char *
format_percent (double fraction)
{
  return g_strdup_printf ("%.1f %%", round (fraction * 1000.0) / 10.0);
}

/* Everything shown about one customer, read in one place. */
typedef struct {
  KlCustomer  *customer;
  GPtrArray   *contacts;
  KlAgreement *agreement;   /* in force today, or NULL */
  gint64       shipments;
} CustomerView;

static void
customer_view_free (CustomerView *view)
{
  g_clear_pointer (&view->customer, kl_customer_free);
  g_clear_pointer (&view->contacts, g_ptr_array_unref);
  g_clear_pointer (&view->agreement, kl_agreement_free);
  g_free (view);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CustomerView, customer_view_free)

static CustomerView *
customer_view_load (KlDatabase  *db,
                    KlCustomer  *customer,   /* taken */
                    const char  *date,
                    gboolean     with_contacts,
                    GError     **error)
{
  g_autoptr(CustomerView) view = g_new0 (CustomerView, 1);
  g_autoptr(GError) local_error = NULL;

  view->customer = customer;
  if (with_contacts)
    {
      view->contacts = kl_contact_store_list (db, customer->id, error);
      if (view->contacts == NULL)
        return NULL;
      view->agreement = kl_agreement_store_in_force (db, customer->id, date, &local_error);
      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
    }
  view->shipments = kl_customer_store_shipment_count (db, customer->id, error);
  if (view->shipments < 0)
    return NULL;
  return g_steal_pointer (&view);
}

static void
add_string_or_null (JsonBuilder *b,
                    const char  *name,
                    const char  *value)
{
  json_builder_set_member_name (b, name);
  if (value != NULL)
    json_builder_add_string_value (b, value);
  else
    json_builder_add_null_value (b);
}

static void
build_customer (JsonBuilder  *b,
                KlDatabase   *db,
                CustomerView *view)
{
  KlCustomer *c = view->customer;
  g_autofree char *updated_at = format_instant (db, c->updated_at);

  json_builder_begin_object (b);
  add_string_or_null (b, "id", c->id);
  json_builder_set_member_name (b, "revision");
  json_builder_add_int_value (b, c->revision);
  add_string_or_null (b, "updated_at", updated_at);
  json_builder_set_member_name (b, "deleted");
  json_builder_add_boolean_value (b, c->deleted);
  add_string_or_null (b, "code", c->code);
  add_string_or_null (b, "name", c->name);
  add_string_or_null (b, "legal_name", c->legal_name);
  add_string_or_null (b, "kind", kl_customer_kind_to_string (c->kind));
  add_string_or_null (b, "channel", kl_channel_to_string (c->channel));
  add_string_or_null (b, "industry", c->industry);
  add_string_or_null (b, "region", c->region);
  add_string_or_null (b, "account_manager", c->account_manager);
  add_string_or_null (b, "relationship", kl_relationship_to_string (c->relationship));
  add_string_or_null (b, "status", kl_customer_status_to_string (c->status));
  json_builder_set_member_name (b, "tags");
  json_builder_begin_array (b);
  for (guint i = 0; c->tags != NULL && c->tags[i] != NULL; i++)
    json_builder_add_string_value (b, c->tags[i]);
  json_builder_end_array (b);
  add_string_or_null (b, "notes", c->notes);

  json_builder_set_member_name (b, "contacts");
  json_builder_begin_array (b);
  for (guint i = 0; view->contacts != NULL && i < view->contacts->len; i++)
    {
      KlContact *ct = g_ptr_array_index (view->contacts, i);

      json_builder_begin_object (b);
      add_string_or_null (b, "name", ct->name);
      add_string_or_null (b, "role", kl_contact_role_to_string (ct->role));
      add_string_or_null (b, "phone", ct->phone);
      add_string_or_null (b, "email", ct->email);
      json_builder_set_member_name (b, "primary");
      json_builder_add_boolean_value (b, ct->primary);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);

  json_builder_set_member_name (b, "agreement");
  if (view->agreement == NULL)
    json_builder_add_null_value (b);
  else
    {
      KlAgreement *ag = view->agreement;

      json_builder_begin_object (b);
      add_string_or_null (b, "effective_from", ag->effective_from);
      add_string_or_null (b, "effective_to", ag->effective_to);
      json_builder_set_member_name (b, "targets");
      json_builder_begin_object (b);
      for (guint r = 0; r < KL_N_RATES; r++)
        if (!isnan (ag->targets[r]))
          {
            json_builder_set_member_name (b, kl_rate_to_key (r));
            json_builder_add_double_value (b, ag->targets[r]);
          }
      json_builder_end_object (b);
      json_builder_set_member_name (b, "dispatch_grace_min");
      json_builder_add_int_value (b, ag->dispatch_grace_min);
      json_builder_set_member_name (b, "delivery_grace_min");
      json_builder_add_int_value (b, ag->delivery_grace_min);
      json_builder_set_member_name (b, "claim_ack_days");
      json_builder_add_int_value (b, ag->claim_ack_days);
      json_builder_set_member_name (b, "claim_resolve_days");
      json_builder_add_int_value (b, ag->claim_resolve_days);
      json_builder_end_object (b);
    }

  json_builder_set_member_name (b, "shipments");
  json_builder_add_int_value (b, view->shipments);
  json_builder_end_object (b);
}

static void
print_json (JsonBuilder *b)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = json_builder_get_root (b);
  g_autofree char *text = NULL;

  json_generator_set_pretty (generator, TRUE);
  json_generator_set_indent (generator, 2);
  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, NULL);
  kl_cli_printf ("%s\n", text);
}

static const char *
abc_text (const KlCustomer *c)
{
  KlAbcClass abc = kl_customer_effective_abc (c);

  return abc == KL_ABC_NONE ? "—" : kl_abc_class_to_string (abc);
}

static void
print_table (GPtrArray *views)
{
  const char *headers[] = {
    _("Code"), _("Name"), _("Region"), _("Status"), _("ABC"), _("Account manager"), _("Shipments"),
  };
  guint widths[G_N_ELEMENTS (headers)];
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  g_autoptr(GString) out = g_string_new (NULL);

  for (guint i = 0; i < views->len; i++)
    {
      CustomerView *view = g_ptr_array_index (views, i);
      KlCustomer *c = view->customer;
      char **row = g_new0 (char *, G_N_ELEMENTS (headers) + 1);

      row[0] = g_strdup (c->code);
      row[1] = g_strdup (c->name);
      row[2] = g_strdup (c->region ? c->region : "—");
      row[3] = g_strdup (kl_customer_status_to_label (c->status));
      row[4] = g_strdup (abc_text (c));
      row[5] = g_strdup (c->account_manager ? c->account_manager : "—");
      row[6] = g_strdup_printf ("%" G_GINT64_FORMAT, view->shipments);
      g_ptr_array_add (rows, row);
    }

  for (guint col = 0; col < G_N_ELEMENTS (headers); col++)
    {
      widths[col] = kl_cli_text_width (headers[col]);
      for (guint i = 0; i < rows->len; i++)
        widths[col] = MAX (widths[col], kl_cli_text_width (((char **) g_ptr_array_index (rows, i))[col]));
    }

  for (guint col = 0; col < G_N_ELEMENTS (headers); col++)
    {
      if (col + 1 < G_N_ELEMENTS (headers))
        {
          kl_cli_append_padded (out, headers[col], widths[col] + 2);
        }
      else
        g_string_append (out, headers[col]);
    }
  g_string_append_c (out, '\n');
  for (guint i = 0; i < rows->len; i++)
    {
      char **row = g_ptr_array_index (rows, i);

      for (guint col = 0; col < G_N_ELEMENTS (headers); col++)
        {
          if (col + 1 < G_N_ELEMENTS (headers))
            kl_cli_append_padded (out, row[col], widths[col] + 2);
          else
            g_string_append (out, row[col]);
        }
      g_string_append_c (out, '\n');
    }
  kl_cli_print (out->str);
}

static void
print_csv (GPtrArray *views)
{
  g_autoptr(GString) out = g_string_new ("code,name,legal_name,kind,channel,industry,region,account_manager,"
                                         "relationship,status,tags,notes,abc_class,shipments\n");

  for (guint i = 0; i < views->len; i++)
    {
      CustomerView *view = g_ptr_array_index (views, i);
      KlCustomer *c = view->customer;
      KlAbcClass abc = kl_customer_effective_abc (c);
      g_autofree char *tags = c->tags ? g_strjoinv (";", c->tags) : NULL;
      const char *fields[] = {
        c->code, c->name, c->legal_name, kl_customer_kind_to_string (c->kind),
        kl_channel_to_string (c->channel), c->industry, c->region, c->account_manager,
        kl_relationship_to_string (c->relationship), kl_customer_status_to_string (c->status),
        tags, c->notes, abc == KL_ABC_NONE ? NULL : kl_abc_class_to_string (abc),
      };

      for (guint f = 0; f < G_N_ELEMENTS (fields); f++)
        {
          kl_cli_append_csv_field (out, fields[f]);
          g_string_append_c (out, ',');
        }
      g_string_append_printf (out, "%" G_GINT64_FORMAT "\n", view->shipments);
    }
  kl_cli_print (out->str);
}

int
kl_cli_customers_list (KlCli  *cli,
                       int     argc,
                       char  **argv)
{
  g_autofree char *format_text = NULL;
  const GOptionEntry entries[] = {
    { "format", 0, 0, G_OPTION_ARG_STRING, &format_text, N_("table (default), csv or json"), N_("FORMAT") },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(KlDatabase) db = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) customers = NULL;
  g_autoptr(GPtrArray) views = g_ptr_array_new_with_free_func ((GDestroyNotify) customer_view_free);
  g_autofree char *date = NULL;
  KlCustomerFilter filter = KL_CUSTOMER_FILTER_INIT;
  Format format;
  int status = KL_EXIT_OK;

  context = kl_cli_option_context (cli, NULL,
                                   _("List the customers, ordered by name, with the shipments each has on record "
                                     "(cancelled left out)."),
                                   entries);
  if (!kl_cli_parse (cli, context, &argc, &argv))
    return KL_EXIT_USAGE;
  if (argc > 1)
    return kl_cli_usage_error (cli, _("Unexpected argument “%s”"), argv[1]);
  if (!parse_format (format_text, TRUE, &format))
    return kl_cli_usage_error (cli, _("--format must be table, csv or json, not “%s”"), format_text);

  db = kl_cli_open_workspace (cli, FALSE, &status);
  if (db == NULL)
    return status;

  customers = kl_customer_store_list (db, &filter, 0, -1, &error);
  if (customers == NULL)
    return kl_cli_fail (error, db, FALSE);
  date = today (db);
  for (guint i = 0; i < customers->len; i++)
    {
      KlCustomer *c = g_ptr_array_index (customers, i);
      CustomerView *view;

      customers->pdata[i] = NULL;
      view = customer_view_load (db, c, date, format == FORMAT_JSON, &error);
      if (view == NULL)
        return kl_cli_fail (error, db, FALSE);
      g_ptr_array_add (views, view);
    }

  switch (format)
    {
    case FORMAT_JSON:
      {
        g_autoptr(JsonBuilder) b = json_builder_new ();

        json_builder_begin_array (b);
        for (guint i = 0; i < views->len; i++)
          build_customer (b, db, g_ptr_array_index (views, i));
        json_builder_end_array (b);
        print_json (b);
      }
      break;
    case FORMAT_CSV:
      print_csv (views);
      break;
    case FORMAT_TABLE:
    default:
      print_table (views);
      break;
    }
  return KL_EXIT_OK;
}

static void
append_field (GString    *out,
              const char *label,
              const char *value)
{
  if (value == NULL || *value == '\0')
    return;
  g_string_append (out, "  ");
  kl_cli_append_padded (out, label, 20);
  g_string_append_printf (out, "%s\n", value);
}

static void
print_customer_table (CustomerView *view)
{
  KlCustomer *c = view->customer;
  g_autoptr(GString) out = g_string_new (NULL);
  g_autofree char *tags = c->tags ? g_strjoinv (", ", c->tags) : NULL;
  g_autofree char *shipments = g_strdup_printf ("%" G_GINT64_FORMAT, view->shipments);
  g_autofree char *lost = NULL;

  g_string_append_printf (out, "%s  %s%s\n", c->code, c->name, c->deleted ? _(" (deleted)") : "");
  append_field (out, _("Legal name"), c->legal_name);
  append_field (out, _("Kind"), kl_customer_kind_to_label (c->kind));
  append_field (out, _("Channel"), kl_channel_to_label (c->channel));
  append_field (out, _("Industry"), c->industry);
  append_field (out, _("Region"), c->region);
  append_field (out, _("Address"), c->address);
  append_field (out, _("Account manager"), c->account_manager);
  append_field (out, _("Relationship"), kl_relationship_to_label (c->relationship));
  append_field (out, _("Status"), kl_customer_status_to_label (c->status));
  if (c->status == KL_CUSTOMER_STATUS_LOST)
    {
      /* Translators: when a customer was lost and why: "2026-05-12: price" */
      lost = g_strdup_printf (_("%s: %s"), c->lost_date ? c->lost_date : "—", c->lost_reason ? c->lost_reason : "—");
      append_field (out, _("Lost"), lost);
    }
  append_field (out, _("ABC class"), abc_text (c));
  append_field (out, _("Tags"), tags);
  append_field (out, _("Report language"), c->report_language);
  append_field (out, _("Shipments"), shipments);
  append_field (out, _("Notes"), c->notes);

  g_string_append_printf (out, "\n%s\n", _("Contacts"));
  if (view->contacts == NULL || view->contacts->len == 0)
    g_string_append_printf (out, "  %s\n", _("None"));
  for (guint i = 0; view->contacts != NULL && i < view->contacts->len; i++)
    {
      KlContact *ct = g_ptr_array_index (view->contacts, i);
      g_autofree char *role = ct->primary
        ? g_strdup_printf (_("%s, primary"), kl_contact_role_to_label (ct->role))
        : g_strdup (kl_contact_role_to_label (ct->role));

      g_string_append (out, "  ");
      kl_cli_append_padded (out, ct->name, 16);
      kl_cli_append_padded (out, role, 20);
      kl_cli_append_padded (out, ct->phone ? ct->phone : "—", 16);
      g_string_append_printf (out, "%s\n", ct->email ? ct->email : "—");
    }

  if (view->agreement == NULL)
    g_string_append_printf (out, "\n%s\n  %s\n", _("Service agreement"), _("None in force today"));
  else
    {
      KlAgreement *ag = view->agreement;
      g_autofree char *graces = NULL, *claims = NULL, *period = NULL;

      g_string_append_printf (out, "\n%s\n", _("Service agreement in force"));
      period = ag->effective_to
        /* Translators: an agreement's period, "2024-01-01 to 2026-12-31" */
        ? g_strdup_printf (_("%s to %s"), ag->effective_from, ag->effective_to)
        : g_strdup_printf (_("from %s, open-ended"), ag->effective_from);
      append_field (out, _("Period"), period);
      for (guint r = 0; r < KL_N_RATES; r++)
        {
          g_autofree char *percent = NULL, *target = NULL;

          if (isnan (ag->targets[r]))
            continue;
          percent = format_percent (ag->targets[r]);
          target = g_strdup_printf ("%s %s", kl_rate_higher_is_better (r) ? "≥" : "≤", percent);
          append_field (out, kl_rate_to_label (r), target);
        }
      graces = g_strdup_printf (_("dispatch %d min, delivery %d min"), ag->dispatch_grace_min, ag->delivery_grace_min);
      append_field (out, _("Grace"), graces);
      claims = g_strdup_printf (_("acknowledge within %d days, resolve within %d days"),
                                ag->claim_ack_days, ag->claim_resolve_days);
      append_field (out, _("Claims"), claims);
    }
  kl_cli_print (out->str);
}

int
kl_cli_customers_show (KlCli  *cli,
                       int     argc,
                       char  **argv)
{
  g_autofree char *format_text = NULL;
  const GOptionEntry entries[] = {
    { "format", 0, 0, G_OPTION_ARG_STRING, &format_text, N_("table (default) or json"), N_("FORMAT") },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(KlDatabase) db = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CustomerView) view = NULL;
  g_autofree char *date = NULL;
  g_autofree char *id = NULL;
  KlCustomer *customer;
  Format format;
  int status = KL_EXIT_OK;

  context = kl_cli_option_context (cli, _("CODE"),
                                   _("Show one customer with contacts, the service agreement in force today "
                                     "and the shipments on record."),
                                   entries);
  if (!kl_cli_parse (cli, context, &argc, &argv))
    return KL_EXIT_USAGE;
  if (argc < 2)
    return kl_cli_usage_error (cli, _("Give the code of the customer to show"));
  if (argc > 2)
    return kl_cli_usage_error (cli, _("Unexpected argument “%s”"), argv[2]);
  if (!parse_format (format_text, FALSE, &format))
    return kl_cli_usage_error (cli, _("--format must be table or json, not “%s”"), format_text);

  db = kl_cli_open_workspace (cli, FALSE, &status);
  if (db == NULL)
    return status;

  id = kl_customer_store_lookup_code (db, argv[1], &error);
  if (id == NULL && error != NULL)
    return kl_cli_fail (error, db, FALSE);
  if (id == NULL)
    {
      kl_cli_error (_("There is no customer with the code “%s”; “keyline-cli customers list” shows the codes"), argv[1]);
      return KL_EXIT_DATAERR;
    }
  customer = kl_customer_store_get (db, id, &error);
  if (customer == NULL)
    return kl_cli_fail (error, db, FALSE);
  date = today (db);
  view = customer_view_load (db, customer, date, TRUE, &error);
  if (view == NULL)
    return kl_cli_fail (error, db, FALSE);

  if (format == FORMAT_JSON)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      build_customer (b, db, view);
      print_json (b);
    }
  else
    print_customer_table (view);
  return KL_EXIT_OK;
}
