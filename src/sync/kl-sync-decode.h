/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Decoders for the objects of api.yaml. Each refuses what breaks the schema
 * with a KL_SYNC_ERROR_DATA that names the collection, the record id and
 * the field. A page is checked whole before anything of it is used. */
#pragma once

#include <json-glib/json-glib.h>
#include "kl-records.h"

G_BEGIN_DECLS

/* A shipment of a page, decoded: a tombstone (deleted) carries only
 * shipment->id. */
typedef struct {
  KlShipment *shipment;
  gboolean    deleted;
} KlSyncShipment;

typedef struct {
  JsonNode  *root;         /* keeps the items alive; NULL once decoded */
  JsonArray *items;        /* each one checked against its schema; NULL once decoded */
  guint      n_items;
  GArray    *shipments;    /* KlSyncShipment, after kl_sync_page_decode_shipments () */
  char      *next_cursor;
  gboolean   has_more;
} KlSyncPage;

void        kl_sync_page_free        (KlSyncPage *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KlSyncPage, kl_sync_page_free)

/* A page of customers, claims or shipments: the page's own fields, and
 * each item of customers and claims checked against its schema. The
 * items of a shipments page are checked by
 * kl_sync_page_decode_shipments (), which must follow. */
KlSyncPage *kl_sync_decode_page      (JsonNode    *root,
                                      const char  *collection,
                                      GError     **error);
/* A page of shipments checked (as kl_sync_check_record () checks each
 * item) and decoded into page->shipments (in order) in one pass over each
 * item's fields, and its JSON let go (on the calling thread: the thread
 * that parsed it frees it cheapest). Fails as kl_sync_check_record () or
 * kl_sync_decode_shipment () does, naming the record and the field; then
 * nothing of the page is applied. */
gboolean    kl_sync_page_decode_shipments (KlSyncPage  *page,
                                           GError     **error);
/* A shipments page read straight from its text, for
 * kl_sync_client_get_with_reader (): the page, checked and decoded as
 * kl_sync_decode_page () and kl_sync_page_decode_shipments () would, or
 * why it was refused (the same messages). */
typedef struct {
  KlSyncPage *page;
  GError     *error;
} KlSyncPageRead;

void        kl_sync_page_read_clear  (KlSyncPageRead *read);
/* A KlSyncBodyReader; user_data is a KlSyncPageRead. FALSE (with error)
 * when data is not one whole JSON object. */
gboolean    kl_sync_page_read_shipments (const char  *data,
                                         gsize        size,
                                         gpointer     user_data,
                                         GError     **error);
/* One record (a create's or patch's answer, a conflict's `current`). */
gboolean    kl_sync_check_record     (JsonObject  *object,
                                      const char  *collection,
                                      GError     **error);
/* GET /v1/me. */
gboolean    kl_sync_decode_me        (JsonNode    *root,
                                      char       **out_user,
                                      char       **out_display_name,
                                      gint64      *out_server_time,
                                      GError     **error);
/* A problem's title and detail, for messages ("" when absent). */
char       *kl_sync_problem_text     (JsonNode    *root);

/* RFC 3339 with an offset ("2026-10-01T08:00:00+08:00", fractions
 * allowed) to Unix seconds. */
gboolean    kl_sync_parse_time       (const char *text, gint64 *out);
/* Unix seconds as RFC 3339 UTC. */
char       *kl_sync_format_time      (gint64 t);

/* A checked shipment record (not a tombstone) as a KlShipment; customer_id
 * stays the server's id for the caller to map. */
gboolean    kl_sync_decode_shipment  (JsonObject  *object,
                                      KlShipment  *out,
                                      GError     **error);

G_END_DECLS
