/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Shared by the record stores (customers, contacts, agreements, activities);
 * not for use outside src/core. */
#pragma once

#include "kl-database.h"

G_BEGIN_DECLS

/* Sets a KL_DATABASE_ERROR_INVALID error. Always returns FALSE. */
gboolean _kl_record_invalid                (GError     **error,
                                            const char  *format,
                                            ...) G_GNUC_PRINTF (2, 3);
/* TRUE for a real calendar date written "YYYY-MM-DD". */
gboolean _kl_record_date_valid             (const char *text);

/* Rewrites the customer's search entry (names, code, tags, contacts). */
gboolean _kl_customer_store_refresh_search (KlDatabase  *db,
                                            const char  *customer_id,
                                            GError     **error);
/* Marks the customer changed (updated_at and an outbox entry naming field),
 * for edits to what hangs off it. */
gboolean _kl_customer_store_touch          (KlDatabase  *db,
                                            const char  *customer_id,
                                            const char  *field,
                                            GError     **error);

G_END_DECLS
