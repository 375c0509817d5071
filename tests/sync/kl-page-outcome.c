/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A shipments page's outcome by each reader: see kl-page-outcome.h. */
#include "config.h"

#include "kl-page-outcome.h"
#include "kl-sync-client.h"
#include "kl-sync-decode.h"

static char *
shipment_describe (const KlSyncShipment *item)
{
  const KlShipment *s = item->shipment;

  return g_strdup_printf ("deleted=%d id=%s waybill=%s customer=%s status=%d mode=%d origin=%s/%s dest=%s/%s "
                          "pieces=%" G_GINT64_FORMAT " weight=%" G_GINT64_FORMAT " volume=%" G_GINT64_FORMAT
                          " times=%" G_GINT64_FORMAT ",%" G_GINT64_FORMAT ",%" G_GINT64_FORMAT ",%" G_GINT64_FORMAT
                          " docs=%d accurate=%d damaged=%" G_GINT64_FORMAT " short=%" G_GINT64_FORMAT
                          " incident=%d revenue=%" G_GINT64_FORMAT " %s revision=%" G_GINT64_FORMAT
                          " updated=%" G_GINT64_FORMAT,
                          item->deleted, s->id, s->waybill, s->customer_id, s->status, s->mode,
                          s->origin_city, s->origin_region, s->dest_city, s->dest_region, s->pieces, s->weight_g,
                          s->volume_cm3, s->planned_pickup_at, s->picked_up_at, s->planned_delivery_at,
                          s->delivered_at, s->documents_ok, s->order_accurate, s->damaged_pieces, s->short_pieces,
                          s->incident, s->revenue_minor, s->currency, s->revision, s->updated_at);
}

static char *
page_describe (const KlSyncPage *page)
{
  GString *out = g_string_new (NULL);

  g_string_append_printf (out, "n=%u next=%s more=%d\n", page->n_items, page->next_cursor, page->has_more);
  for (guint i = 0; i < page->shipments->len; i++)
    {
      g_autofree char *line = shipment_describe (&g_array_index (page->shipments, KlSyncShipment, i));

      g_string_append_printf (out, "%s\n", line);
    }
  return g_string_free (out, FALSE);
}

char *
kl_page_outcome_tree (const char *text,
                      gsize       size)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(KlSyncPage) page = NULL;
  g_autoptr(GError) error = NULL;

  if (!json_parser_load_from_data (parser, text, (gssize) size, NULL) || json_parser_get_root (parser) == NULL ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return g_strdup ("syntax");
  page = kl_sync_decode_page (json_parser_get_root (parser), "shipments", &error);
  if (page != NULL && !kl_sync_page_decode_shipments (page, &error))
    g_clear_pointer (&page, kl_sync_page_free);
  if (page == NULL)
    return g_strdup_printf ("refused: %s", error->message);
  return page_describe (page);
}

char *
kl_page_outcome_read (const char *text,
                      gsize       size)
{
  KlSyncPageRead read = { NULL, NULL };
  g_autoptr(GError) syntax = NULL;
  char *outcome;

  if (!kl_sync_page_read_shipments (text, size, &read, &syntax))
    {
      g_assert (syntax != NULL && syntax->domain == KL_SYNC_ERROR);
      g_assert (read.page == NULL && read.error == NULL);
      return g_strdup ("syntax");
    }
  g_assert ((read.page == NULL) != (read.error == NULL));
  if (read.page == NULL)
    outcome = g_strdup_printf ("refused: %s", read.error->message);
  else
    outcome = page_describe (read.page);
  kl_sync_page_read_clear (&read);
  return outcome;
}
