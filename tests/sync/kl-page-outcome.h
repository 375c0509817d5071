/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the sync makes of a shipments page, by each of its two readers, as
 * text to compare: "syntax" when the client would ask again, "refused:
 * MESSAGE", or the page's fields and each shipment described a line. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* json-glib's tree: the client's parse, kl_sync_decode_page () and
 * kl_sync_page_decode_shipments (). */
char *kl_page_outcome_tree (const char *text, gsize size);
/* kl_sync_page_read_shipments (), as the pull reads a page. */
char *kl_page_outcome_read (const char *text, gsize size);

G_END_DECLS
