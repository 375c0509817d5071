/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Import profiles without a workspace: reading, every error with its
 * message, writing back, what a profile does to a field, header
 * fingerprints, and the saved profiles' folder. */

#include "config.h"

#include <string.h>
#include <glib/gstdio.h>

#include "kl-import-profile.h"
#include "kl-import-profile-store.h"
#include "kl-import-reader.h"
#include "kl-records.h"
#include "kl-test-util.h"

static const char contract_example[] =
  "{\n"
  "  \"name\": \"华东 TMS\",\n"
  "  \"kind\": \"shipments\",\n"
  "  \"columns\": {\"waybill\": \"运单编号\", \"customer_code\": \"货主\", \"planned_pickup_at\": \"计划发车\"},\n"
  "  \"values\": {\"status\": {\"已妥投\": \"delivered\", \"运输中\": \"in_transit\"}, \"customer_code\": {\"华新电子有限公司\": \"HX001\"}},\n"
  "  \"timestamp_formats\": [\"%d/%m/%Y %H:%M\", \"%Y%m%d%H%M\"],\n"
  "  \"time_zone\": \"Asia/Shanghai\",\n"
  "  \"scale\": {\"weight_kg\": 1000},\n"
  "  \"update_only\": false\n"
  "}\n";

static KlImportProfile *
load (const char *json,
      GError    **error)
{
  return kl_import_profile_load_data (json, -1, "p.json", error);
}

static void
test_contract_example (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KlImportProfile) profile = load (contract_example, &error);
  g_autoptr(KlImportProfile) again = NULL;
  g_autofree char *json = NULL;
  g_autofree char *json_again = NULL;
  g_autofree const char **values = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (kl_import_profile_get_name (profile), ==, "华东 TMS");
  g_assert_cmpint (kl_import_profile_get_kind (profile), ==, KL_IMPORT_SHIPMENTS);
  g_assert_cmpstr (kl_import_profile_get_column (profile, "waybill"), ==, "运单编号");
  g_assert_cmpstr (kl_import_profile_get_column (profile, "planned_pickup_at"), ==, "计划发车");
  g_assert_null (kl_import_profile_get_column (profile, "status"));
  g_assert_cmpstr (kl_import_profile_get_value (profile, "status", " 已妥投 "), ==, "delivered");
  g_assert_cmpstr (kl_import_profile_get_value (profile, "customer_code", "华新电子有限公司"), ==, "HX001");
  g_assert_null (kl_import_profile_get_value (profile, "status", "取消"));
  values = kl_import_profile_get_values (profile, "status");
  g_assert_cmpstr (values[0], ==, "已妥投");
  g_assert_cmpstr (values[1], ==, "delivered");
  g_assert_cmpstr (values[2], ==, "运输中");
  g_assert_null (values[4]);
  g_assert_cmpstr (kl_import_profile_get_timestamp_formats (profile)[1], ==, "%Y%m%d%H%M");
  g_assert_cmpstr (kl_import_profile_get_time_zone (profile), ==, "Asia/Shanghai");
  g_assert_cmpstr (kl_import_profile_get_scale (profile, "weight_kg"), ==, "1000");
  g_assert_false (kl_import_profile_get_update_only (profile));

  /* Written and read back, the same profile. */
  json = kl_import_profile_to_json (profile);
  again = load (json, &error);
  g_assert_no_error (error);
  json_again = kl_import_profile_to_json (again);
  g_assert_cmpstr (json, ==, json_again);
  g_assert_nonnull (strstr (json, "\"weight_kg\" : 1000"));
}

typedef struct {
  const char *json;
  int         code;
  const char *message;
} ErrorCase;

/* Every error a profile can have, with its whole message. */
static const ErrorCase error_cases[] = {
  { "{", KL_IMPORT_PROFILE_ERROR_JSON, NULL },
  { "[1]", KL_IMPORT_PROFILE_ERROR_JSON,
    "p.json: not a profile: a profile is one JSON object, {\"name\": …, \"kind\": …}" },
  { "{\"name\": \"x\", \"kind\": \"shipments\", \"scales\": {}}", KL_IMPORT_PROFILE_ERROR_INVALID,
    "p.json: “scales” is not a profile key; the keys are name, kind, columns, values, timestamp_formats, time_zone, scale and update_only" },
  { "{\"name\": \"x\"}", KL_IMPORT_PROFILE_ERROR_INVALID,
    "p.json: kind: missing; give \"shipments\" or \"customers\"" },
  { "{\"name\": \"x\", \"kind\": \"orders\"}", KL_IMPORT_PROFILE_ERROR_INVALID,
    "p.json: kind: “orders” is not a kind of import; give \"shipments\" or \"customers\"" },
  { "{\"name\": \"x\", \"kind\": 1}", KL_IMPORT_PROFILE_ERROR_INVALID,
    "p.json: kind: must be a text in quotes" },
  { "{\"kind\": \"shipments\"}", KL_IMPORT_PROFILE_ERROR_INVALID,
    "p.json: name: a profile needs a name, such as \"华东 TMS\"" },
  { "{\"name\": \" \", \"kind\": \"shipments\"}", KL_IMPORT_PROFILE_ERROR_INVALID,
    "p.json: name: a profile needs a name, such as \"华东 TMS\"" },
  { "{\"name\": \"x\", \"kind\": \"shipments\", \"columns\": []}", KL_IMPORT_PROFILE_ERROR_INVALID,
    "p.json: columns: must be an object of names, {\"…\": …}" },
  { "{\"name\": \"x\", \"kind\": \"customers\", \"columns\": {\"waybill\": \"单号\"}}", KL_IMPORT_PROFILE_ERROR_INVALID,
    "p.json: columns: “waybill” is not a column of customers imports; the columns are code, name, legal_name, kind, channel, industry, region, account_manager, relationship, status, tags, notes" },
  { "{\"name\": \"x\", \"kind\": \"shipments\", \"columns\": {\"waybill\": 7}}", KL_IMPORT_PROFILE_ERROR_INVALID,
    "p.json: columns: waybill: must be a text in quotes" },
  { "{\"name\": \"x\", \"kind\": \"shipments\", \"columns\": {\"waybill\": \"  \"}}", KL_IMPORT_PROFILE_ERROR_INVALID,
    "p.json: columns: waybill: the source’s header is blank; give the header as the file writes it" },
  { "{\"name\": \"x\", \"kind\": \"shipments\", \"columns\": {\"waybill\": \"单号\", \"customer_code\": \"单号 \"}}",
    KL_IMPORT_PROFILE_ERROR_INVALID,
    "p.json: columns: waybill and customer_code both read the column “单号”; a column of the file can stand for one column only" },
  { "{\"name\": \"x\", \"kind\": \"shipments\", \"values\": {\"status\": [\"a\"]}}", KL_IMPORT_PROFILE_ERROR_INVALID,
    "p.json: values: status: must be an object of names, {\"…\": …}" },
  { "{\"name\": \"x\", \"kind\": \"shipments\", \"values\": {\"state\": {}}}", KL_IMPORT_PROFILE_ERROR_INVALID,
    "p.json: values: “state” is not a column of shipments imports; the columns are waybill, customer_code, status, mode, origin_city, origin_region, dest_city, dest_region, pieces, weight_kg, volume_m3, planned_pickup_at, picked_up_at, planned_delivery_at, delivered_at, documents_ok, order_accurate, damaged_pieces, short_pieces, incident, revenue, currency" },
  { "{\"name\": \"x\", \"kind\": \"shipments\", \"values\": {\"status\": {\"已妥投\": \"done\"}}}", KL_IMPORT_PROFILE_ERROR_INVALID,
    "p.json: values: status: “已妥投” → “done”: the value must be one of booked (已下单), in_transit (在途), delivered (已签收), cancelled (已取消)" },
  { "{\"name\": \"x\", \"kind\": \"shipments\", \"values\": {\"incident\": {\"有\": \"perhaps\"}}}", KL_IMPORT_PROFILE_ERROR_INVALID,
    "p.json: values: incident: “有” → “perhaps”: the value must be one of true/false, 1/0, yes/no, y/n, 是/否" },
  { "{\"name\": \"x\", \"kind\": \"shipments\", \"values\": {\"pieces\": {\"一\": \"one\"}}}", KL_IMPORT_PROFILE_ERROR_INVALID,
    "p.json: values: pieces: “一” → “one”: not a value this column accepts" },
  { "{\"name\": \"x\", \"kind\": \"shipments\", \"values\": {\"status\": {\"a\": 1}}}", KL_IMPORT_PROFILE_ERROR_INVALID,
    "p.json: values: status: a: must be a text in quotes" },
  { "{\"name\": \"x\", \"kind\": \"shipments\", \"values\": {\"status\": {\"Done\": \"delivered\", \"DONE\": \"delivered\"}}}",
    KL_IMPORT_PROFILE_ERROR_INVALID,
    "p.json: values: status: “DONE” is given twice (words match in any case); keep one" },
  { "{\"name\": \"x\", \"kind\": \"shipments\", \"values\": {\"status\": {\" \": \"delivered\"}}}", KL_IMPORT_PROFILE_ERROR_INVALID,
    "p.json: values: status: a blank word cannot be mapped; an empty field is read as unknown" },
  { "{\"name\": \"x\", \"kind\": \"shipments\", \"timestamp_formats\": \"%d/%m/%Y\"}", KL_IMPORT_PROFILE_ERROR_INVALID,
    "p.json: timestamp_formats: must be a list of forms, [\"%d/%m/%Y %H:%M\", …]" },
  { "{\"name\": \"x\", \"kind\": \"shipments\", \"timestamp_formats\": [3]}", KL_IMPORT_PROFILE_ERROR_INVALID,
    "p.json: timestamp_formats: must be a text in quotes" },
  { "{\"name\": \"x\", \"kind\": \"shipments\", \"timestamp_formats\": [\"%d.%m.%Y %I:%M\"]}", KL_IMPORT_PROFILE_ERROR_INVALID,
    "p.json: timestamp_formats: “%d.%m.%Y %I:%M”: “%I” is not a part this import reads; use %Y %y %m %d %e %H %M %S %z %T %F or %%" },
  { "{\"name\": \"x\", \"kind\": \"shipments\", \"timestamp_formats\": [\"%H:%M\"]}", KL_IMPORT_PROFILE_ERROR_INVALID,
    "p.json: timestamp_formats: “%H:%M”: a form must give the year (%Y or %y), the month (%m) and the day (%d)" },
  { "{\"name\": \"x\", \"kind\": \"shipments\", \"timestamp_formats\": [\"\"]}", KL_IMPORT_PROFILE_ERROR_INVALID,
    "p.json: timestamp_formats: “”: the form is empty" },
  { "{\"name\": \"x\", \"kind\": \"shipments\", \"time_zone\": \"Mars/Olympus\"}", KL_IMPORT_PROFILE_ERROR_INVALID,
    "p.json: time_zone: “Mars/Olympus” is not a time zone; give one such as Asia/Shanghai or UTC" },
  { "{\"name\": \"x\", \"kind\": \"shipments\", \"time_zone\": 8}", KL_IMPORT_PROFILE_ERROR_INVALID,
    "p.json: time_zone: must be a text in quotes" },
  { "{\"name\": \"x\", \"kind\": \"shipments\", \"scale\": {\"status\": 2}}", KL_IMPORT_PROFILE_ERROR_INVALID,
    "p.json: scale: status is not a number column; only numbers (pieces, weight_kg, volume_m3, revenue…) can be scaled" },
  { "{\"name\": \"x\", \"kind\": \"shipments\", \"scale\": {\"weight_kg\": -1000}}", KL_IMPORT_PROFILE_ERROR_INVALID,
    "p.json: scale: weight_kg: “-1000” is not a factor; give a number above 0 with at most 12 digits, such as 1000 or 0.001" },
  { "{\"name\": \"x\", \"kind\": \"shipments\", \"scale\": {\"weight_kg\": 0}}", KL_IMPORT_PROFILE_ERROR_INVALID,
    "p.json: scale: weight_kg: “0” is not a factor; give a number above 0 with at most 12 digits, such as 1000 or 0.001" },
  { "{\"name\": \"x\", \"kind\": \"shipments\", \"scale\": {\"weight_kg\": true}}", KL_IMPORT_PROFILE_ERROR_INVALID,
    "p.json: scale: weight_kg: must be a number, such as 1000" },
  { "{\"name\": \"x\", \"kind\": \"shipments\", \"scale\": {\"weight\": 1000}}", KL_IMPORT_PROFILE_ERROR_INVALID, NULL },
  { "{\"name\": \"x\", \"kind\": \"shipments\", \"update_only\": \"yes\"}", KL_IMPORT_PROFILE_ERROR_INVALID,
    "p.json: update_only: must be true or false, without quotes" },
};

static void
test_errors (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (error_cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(KlImportProfile) profile = load (error_cases[i].json, &error);

      g_test_message ("case %u: %s", i, error_cases[i].json);
      g_assert_null (profile);
      g_assert_error (error, KL_IMPORT_PROFILE_ERROR, error_cases[i].code);
      if (error_cases[i].message != NULL)
        g_assert_cmpstr (error->message, ==, error_cases[i].message);
      else
        g_assert_true (g_str_has_prefix (error->message, "p.json: "));
    }
}

static void
test_load_file_missing (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KlImportProfile) profile = kl_import_profile_load_file ("/nonexistent/p.json", &error);

  g_assert_null (profile);
  g_assert_error (error, KL_IMPORT_PROFILE_ERROR, KL_IMPORT_PROFILE_ERROR_NOT_FOUND);
  g_assert_true (g_str_has_prefix (error->message, "/nonexistent/p.json cannot be read: "));
}

static void
test_setters_validate (void)
{
  g_autoptr(KlImportProfile) profile = kl_import_profile_new ("POD", KL_IMPORT_SHIPMENTS);
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;

  kl_import_profile_set_column (profile, "delivered_at", "签收时间");
  kl_import_profile_set_value (profile, "status", "签收", "delivered");
  kl_import_profile_set_value (profile, "status", "签收", NULL);
  kl_import_profile_set_scale (profile, "revenue", "0.01");
  kl_import_profile_set_update_only (profile, TRUE);
  g_assert_true (kl_import_profile_validate (profile, &error));
  g_assert_no_error (error);
  json = kl_import_profile_to_json (profile);
  g_assert_null (strstr (json, "\"values\""));
  g_assert_nonnull (strstr (json, "\"revenue\" : \"0.01\""));
  g_assert_nonnull (strstr (json, "\"update_only\" : true"));

  kl_import_profile_set_value (profile, "mode", "汽运", "lorry");
  g_assert_false (kl_import_profile_validate (profile, &error));
  g_assert_error (error, KL_IMPORT_PROFILE_ERROR, KL_IMPORT_PROFILE_ERROR_INVALID);
  g_assert_true (g_str_has_prefix (error->message, "POD: values: mode: “汽运” → “lorry”: the value must be one of road_ftl"));
}

static const char *
apply (KlImportProfileField *field,
       const char           *text,
       GString              *scratch)
{
  return kl_import_profile_field_apply (field, text, FALSE, scratch);
}

static void
test_fields (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KlImportProfile) profile = load (contract_example, &error);
  g_autoptr(GTimeZone) shanghai = g_time_zone_new_identifier ("Asia/Shanghai");
  g_autoptr(GString) scratch = g_string_new (NULL);
  KlImportProfileField *field;

  g_assert_no_error (error);
  /* Nothing to do: no field, so no cost per row. */
  g_assert_null (kl_import_profile_field_new (profile, "waybill", shanghai));
  g_assert_null (kl_import_profile_field_new (profile, "pieces", shanghai));

  field = kl_import_profile_field_new (profile, "status", shanghai);
  g_assert_cmpstr (apply (field, "已妥投", scratch), ==, "delivered");
  g_assert_cmpstr (apply (field, "booked", scratch), ==, "booked");
  kl_import_profile_field_free (field);

  field = kl_import_profile_field_new (profile, "weight_kg", shanghai);
  g_assert_cmpstr (apply (field, "12.5", scratch), ==, "12500.000000000");
  g_assert_cmpstr (apply (field, "0.0012345678", scratch), ==, "1.234568000");
  g_assert_cmpstr (apply (field, "-1", scratch), ==, "-1");
  g_assert_cmpstr (apply (field, "abc", scratch), ==, "abc");
  g_assert_cmpstr (kl_import_profile_field_apply (field, "1,250.5", TRUE, scratch), ==, "1250500.000000000");
  kl_import_profile_field_free (field);

  field = kl_import_profile_field_new (profile, "planned_pickup_at", shanghai);
  g_assert_cmpstr (apply (field, "03/10/2026 08:30", scratch), ==, "2026-10-03T00:30:00Z");
  g_assert_cmpstr (apply (field, "202610030830", scratch), ==, "2026-10-03T00:30:00Z");
  /* Not of the profile's forms: left to the usual reading. */
  g_assert_cmpstr (apply (field, "2026-10-03 08:30", scratch), ==, "2026-10-03 08:30");
  g_assert_cmpstr (apply (field, "31/02/2026 08:30", scratch), ==, "31/02/2026 08:30");
  kl_import_profile_field_free (field);

  kl_import_profile_set_scale (profile, "revenue", "0.01");
  field = kl_import_profile_field_new (profile, "revenue", shanghai);
  g_assert_cmpstr (apply (field, "123456", scratch), ==, "1234.56000000000");
  /* Fen beyond what nine decimals hold are read with fewer. */
  g_assert_cmpstr (apply (field, "99999999999", scratch), ==, "999999999.99000000");
  kl_import_profile_field_free (field);
}

static void
test_parse_time (void)
{
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  gint64 when = 0;

  g_assert_true (kl_import_profile_parse_time ("%d/%m/%Y", "3/10/2026", utc, &when));
  g_assert_cmpint (when, ==, kl_test_unix_time ("2026-10-03T00:00:00Z"));
  g_assert_true (kl_import_profile_parse_time ("%F %T %z", "2026-10-03 08:30:05 +08:00", utc, &when));
  g_assert_cmpint (when, ==, kl_test_unix_time ("2026-10-03T00:30:05Z"));
  g_assert_true (kl_import_profile_parse_time ("%y%m%d %H%M", "261003  0830", utc, &when));
  g_assert_cmpint (when, ==, kl_test_unix_time ("2026-10-03T08:30:00Z"));
  g_assert_false (kl_import_profile_parse_time ("%d/%m/%Y", "3/10/2026 08:00", utc, &when));
  g_assert_false (kl_import_profile_parse_time ("%d/%m/%Y", "3/13/2026", utc, &when));
  g_assert_false (kl_import_profile_parse_time ("%Y%m%d", "20261", utc, &when));
}

static void
test_fingerprint (void)
{
  const char *a[] = { "运单编号", " Status ", "", "货主" };
  const char *b[] = { "货主", "status", "运单编号" };
  const char *c[] = { "货主", "status" };
  g_autofree char *fa = kl_import_header_fingerprint (a, G_N_ELEMENTS (a));
  g_autofree char *fb = kl_import_header_fingerprint (b, G_N_ELEMENTS (b));
  g_autofree char *fc = kl_import_header_fingerprint (c, G_N_ELEMENTS (c));

  g_assert_cmpstr (fa, ==, fb);
  g_assert_cmpstr (fa, !=, fc);
  g_assert_cmpuint (strlen (fa), ==, 64);
}

static void
test_store (void)
{
  g_autofree char *dir = kl_test_make_tmp_dir ("profiles-XXXXXX");
  g_autoptr(GError) error = NULL;
  g_autoptr(KlImportProfile) tms = load (contract_example, &error);
  g_autoptr(KlImportProfile) pod = kl_import_profile_new ("承运商/签收", KL_IMPORT_SHIPMENTS);
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(KlImportProfile) got = NULL;
  g_autoptr(KlImportProfile) found = NULL;
  const char *header[] = { "运单编号", "货主", "计划发车", "状态" };
  const char *pod_header[] = { "运单", "签收时间" };
  const char *other_header[] = { "运单编号", "货主", "计划发车", "备注" };
  const char *unrelated[] = { "a", "b" };

  g_assert_no_error (error);
  kl_import_profile_set_column (pod, "waybill", "运单");
  kl_import_profile_set_column (pod, "delivered_at", "签收时间");
  kl_import_profile_set_update_only (pod, TRUE);

  g_assert_true (kl_import_profile_store_save (dir, tms, header, G_N_ELEMENTS (header), FALSE, &error));
  g_assert_no_error (error);
  g_assert_true (kl_import_profile_store_save (dir, pod, pod_header, G_N_ELEMENTS (pod_header), FALSE, &error));
  g_assert_no_error (error);
  /* Saved again without replace: refused. */
  g_assert_false (kl_import_profile_store_save (dir, pod, NULL, 0, FALSE, &error));
  g_assert_error (error, KL_IMPORT_PROFILE_ERROR, KL_IMPORT_PROFILE_ERROR_EXISTS);
  g_assert_cmpstr (error->message, ==, "An import profile called “承运商/签收” exists already; choose another name or replace it");
  g_clear_error (&error);
  g_assert_true (kl_import_profile_store_save (dir, pod, NULL, 0, TRUE, &error));

  list = kl_import_profile_store_list (dir, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 2);

  got = kl_import_profile_store_get (dir, "承运商/签收", &error);
  g_assert_no_error (error);
  g_assert_true (kl_import_profile_get_update_only (got));
  g_clear_pointer (&got, kl_import_profile_free);

  /* Picked again by its header, in another order, or by its renames. */
  found = kl_import_profile_store_find_for_header (dir, KL_IMPORT_SHIPMENTS, (const char * const[]) { "状态", "货主", "运单编号", "计划发车" }, 4, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (kl_import_profile_get_name (found), ==, "华东 TMS");
  g_clear_pointer (&found, kl_import_profile_free);
  found = kl_import_profile_store_find_for_header (dir, KL_IMPORT_SHIPMENTS, other_header, G_N_ELEMENTS (other_header), &error);
  g_assert_cmpstr (kl_import_profile_get_name (found), ==, "华东 TMS");
  g_clear_pointer (&found, kl_import_profile_free);
  found = kl_import_profile_store_find_for_header (dir, KL_IMPORT_SHIPMENTS, pod_header, G_N_ELEMENTS (pod_header), &error);
  g_assert_cmpstr (kl_import_profile_get_name (found), ==, "承运商/签收");
  g_clear_pointer (&found, kl_import_profile_free);
  found = kl_import_profile_store_find_for_header (dir, KL_IMPORT_SHIPMENTS, unrelated, 2, &error);
  g_assert_no_error (error);
  g_assert_null (found);
  found = kl_import_profile_store_find_for_header (dir, KL_IMPORT_CUSTOMERS, header, G_N_ELEMENTS (header), &error);
  g_assert_null (found);

  /* Renamed: the header still finds it, under its new name. */
  g_assert_true (kl_import_profile_store_rename (dir, "承运商/签收", "顺丰 POD", &error));
  g_assert_no_error (error);
  got = kl_import_profile_store_get (dir, "承运商/签收", &error);
  g_assert_null (got);
  g_assert_error (error, KL_IMPORT_PROFILE_ERROR, KL_IMPORT_PROFILE_ERROR_NOT_FOUND);
  g_assert_cmpstr (error->message, ==, "No import profile is called “承运商/签收”; `keyline-cli profiles list` lists them, or give the path of a profile file");
  g_clear_error (&error);
  found = kl_import_profile_store_find_for_header (dir, KL_IMPORT_SHIPMENTS, pod_header, G_N_ELEMENTS (pod_header), &error);
  g_assert_cmpstr (kl_import_profile_get_name (found), ==, "顺丰 POD");
  g_clear_pointer (&found, kl_import_profile_free);
  g_assert_false (kl_import_profile_store_rename (dir, "顺丰 POD", "华东 TMS", &error));
  g_assert_error (error, KL_IMPORT_PROFILE_ERROR, KL_IMPORT_PROFILE_ERROR_EXISTS);
  g_clear_error (&error);

  g_assert_true (kl_import_profile_store_delete (dir, "顺丰 POD", &error));
  g_assert_no_error (error);
  g_assert_false (kl_import_profile_store_delete (dir, "顺丰 POD", &error));
  g_assert_error (error, KL_IMPORT_PROFILE_ERROR, KL_IMPORT_PROFILE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_clear_pointer (&list, g_ptr_array_unref);
  list = kl_import_profile_store_list (dir, &error);
  g_assert_cmpuint (list->len, ==, 1);

  /* --profile takes a name or a path. */
  {
    g_autofree char *path = g_build_filename (dir, "shared.json", NULL);
    g_autoptr(KlImportProfile) by_path = NULL;

    g_assert_true (g_file_set_contents (path, contract_example, -1, NULL));
    by_path = kl_import_profile_resolve (dir, path, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (kl_import_profile_get_name (by_path), ==, "华东 TMS");
    got = kl_import_profile_resolve (dir, "华东 TMS", &error);
    g_assert_no_error (error);
    g_assert_nonnull (got);
  }
  g_assert_true (kl_test_remove_tree (dir));
}


/* The reader keyline-server drives, with a profile: no workspace. */
static void
test_reader_with_profile (void)
{
  static const char csv[] =
    "运单编号,货主,运输状态,件数,重量(吨),计划发车,要求到达\n"
    "SF1,华新电子有限公司,已妥投,3,1.25,03/10/2026 08:30,04/10/2026 08:30\n"
    "SF2,HX001,运输中,1,x,03/10/2026 08:30,04/10/2026 08:30\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(KlImportProfile) profile = load (contract_example, &error);
  g_autoptr(GInputStream) stream = g_memory_input_stream_new_from_data (csv, -1, NULL);
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr(KlImportReader) reader = NULL;
  KlImportReaderOptions options = { .tz = utc };
  KlImportRow row;
  gconstpointer record;
  const KlShipment *s;
  KlImportResult *result;

  g_assert_no_error (error);
  kl_import_profile_set_column (profile, "status", "运输状态");
  kl_import_profile_set_column (profile, "weight_kg", "重量(吨)");
  kl_import_profile_set_column (profile, "planned_delivery_at", "要求到达");
  options.profile = profile;
  reader = kl_import_reader_new (KL_IMPORT_SHIPMENTS, "tms.csv", stream, KL_IMPORT_FLAGS_NONE, &options, NULL, &error);
  g_assert_no_error (error);

  g_assert_true (kl_import_reader_next (reader, &row, &record, &error));
  g_assert_cmpint (row, ==, KL_IMPORT_ROW_GOOD);
  s = record;
  g_assert_cmpstr (s->waybill, ==, "SF1");
  g_assert_cmpstr (s->customer_id, ==, "HX001");   /* no look-up: the code */
  g_assert_cmpint (s->status, ==, KL_SHIPMENT_STATUS_DELIVERED);
  g_assert_cmpint (s->weight_g, ==, 1250000);
  /* The profile's zone, not the reader's. */
  g_assert_cmpint (s->planned_pickup_at, ==, kl_test_unix_time ("2026-10-03T08:30:00+08:00"));

  g_assert_true (kl_import_reader_next (reader, &row, &record, &error));
  g_assert_cmpint (row, ==, KL_IMPORT_ROW_BAD);
  g_assert_true (kl_import_reader_next (reader, &row, &record, &error));
  g_assert_cmpint (row, ==, KL_IMPORT_ROW_END);
  result = kl_import_reader_get_result (reader);
  g_assert_cmpuint (result->errors->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (result->errors, 0), ==,
                   "tms.csv:3: column 重量(吨) (weight_kg): not a number; write it like 1234.5, with . as the decimal point (got \"x\")");

  /* Update-only needs the stored records: refused without a workspace. */
  kl_import_profile_set_update_only (profile, TRUE);
  g_clear_pointer (&reader, kl_import_reader_free);
  g_clear_object (&stream);
  stream = g_memory_input_stream_new_from_data (csv, -1, NULL);
  reader = kl_import_reader_new (KL_IMPORT_SHIPMENTS, "tms.csv", stream, KL_IMPORT_FLAGS_NONE, &options, NULL, &error);
  g_assert_null (reader);
  g_assert_error (error, KL_IMPORT_ERROR, KL_IMPORT_ERROR_HEADER);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/import-profile/contract-example", test_contract_example);
  g_test_add_func ("/import-profile/errors", test_errors);
  g_test_add_func ("/import-profile/load-file-missing", test_load_file_missing);
  g_test_add_func ("/import-profile/setters-validate", test_setters_validate);
  g_test_add_func ("/import-profile/fields", test_fields);
  g_test_add_func ("/import-profile/parse-time", test_parse_time);
  g_test_add_func ("/import-profile/fingerprint", test_fingerprint);
  g_test_add_func ("/import-profile/store", test_store);
  g_test_add_func ("/import-profile/reader", test_reader_with_profile);
  return g_test_run ();
}
