/* SPDX-License-Identifier: GPL-3.0-or-later */
/* keyline-server writes a pull page's records as text
 * (kl_server_record_append_json ()): the same JSON, member for member and
 * in the same order, as the record built as a json-glib tree
 * (kl_server_record_to_json ()), for records with and without a body,
 * tombstones, bodies with escapes, non-ASCII text and white space. */

#include "config.h"

#include <json-glib/json-glib.h>
#include <string.h>

#include "kl-server-records.h"

static void
assert_same_json (const char *text, JsonNode *want)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *a, *b;
  g_autoptr(GList) ma = NULL, mb = NULL;
  GList *la, *lb;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  g_assert_true (json_node_equal (json_parser_get_root (parser), want));
  /* and the members in the same order */
  a = json_node_get_object (json_parser_get_root (parser));
  b = json_node_get_object (want);
  ma = json_object_get_members (a);
  mb = json_object_get_members (b);
  for (la = ma, lb = mb; la && lb; la = la->next, lb = lb->next)
    g_assert_cmpstr (la->data, ==, lb->data);
  g_assert_true (la == NULL && lb == NULL);
}

static void
test_page_text (void)
{
  static const char *bodies[] = {
    NULL,
    "{}",
    "  { }  ",
    "{\"waybill\":\"SF1\",\"pieces\":4,\"weight_kg\":10626.477999999999,\"volume_m3\":null,"
    "\"origin_city\":\"上海\",\"revenue\":{\"amount_minor\":12000,\"currency\":\"CNY\"}}",
    "{\"name\":\"A \\\"quoted\\\" name\\nwith a line\\tand \\\\ \\u0001\",\"tags\":[\"冷链\",\"VIP\"],"
    "\"agreement\":{\"targets\":{\"otif_rate\":0.95}}}",
    "\n{ \"code\" : \"C1\" ,\n  \"contacts\" : [ { \"primary\" : true } ] }\n",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bodies); i++)
    for (guint deleted = 0; deleted < 2; deleted++)
      {
        KlServerRecord record = {
          .collection = KL_SERVER_COLLECTION_SHIPMENTS,
          .id = (char *) "0b5c3a52-6a43-4c1e-9d7e-2f6c1f1d2a99",
          .revision = 7,
          .updated_at = G_GINT64_CONSTANT (1796380245123456) + i * G_GINT64_CONSTANT (86400000000) * 400,
          .deleted = deleted,
          .body = (char *) bodies[i],
        };
        g_autoptr(JsonNode) tree = kl_server_record_to_json (&record);
        g_autoptr(GString) page = g_string_new ("");
        g_autofree char *text = kl_server_record_to_string (&record);

        kl_server_record_append_json (page, &record);
        assert_same_json (page->str, tree);
        g_assert_cmpstr (text, ==, page->str);
      }
}

static void
test_string (void)
{
  g_autoptr(GString) out = g_string_new ("");
  g_autoptr(JsonParser) parser = json_parser_new ();
  const char *text = "a\"b\\c\nd\re\tf\001g 中 h/";

  kl_server_json_append_string (out, text);
  g_assert_true (json_parser_load_from_data (parser, out->str, -1, NULL));
  g_assert_cmpstr (json_node_get_string (json_parser_get_root (parser)), ==, text);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/server/records/page-text", test_page_text);
  g_test_add_func ("/server/records/string", test_string);
  return g_test_run ();
}
