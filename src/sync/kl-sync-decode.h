/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Decoders for the objects of api.yaml. Each refuses what breaks the schema
 * with a KL_SYNC_ERROR_DATA that names the collection, the record id and
 * the field. A page is checked whole before anything of it is used. */
#pragma once

#include <json-glib/json-glib.h>
#include "kl-records.h"

G_BEGIN_DECLS

typedef struct {
  JsonNode  *root;         /* keeps the items alive */
  JsonArray *items;        /* each one checked against its schema */
  char      *next_cursor;
  gboolean   has_more;
} KlSyncPage;

void        kl_sync_page_free        (KlSyncPage *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KlSyncPage, kl_sync_page_free)

/* A page of customers, claims or shipments. */
KlSyncPage *kl_sync_decode_page      (JsonNode    *root,
                                      const char  *collection,
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
