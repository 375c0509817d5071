/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The first half of an import, without a workspace: reading a CSV file of
 * docs/import.md and checking each row into a record, with the same errors
 * as kl_import_run () ("FILE:LINE: column NAME: what (got "VALUE")").
 *
 * An import is  reader → checked record → sink.  kl_import_run () is the
 * reader with the workspace sink: shipments go to the bulk writer
 * (kl-shipment-bulk.h), customers to the customer store. Another store
 * (keyline-server's) drives a reader and writes the records itself:
 *
 *   KlImportReaderOptions opt = { .tz = tz, .currency = "CNY",
 *                                 .lookup = my_lookup, .lookup_data = store };
 *   g_autoptr(KlImportReader) r = kl_import_reader_new (KL_IMPORT_SHIPMENTS, "f.csv", stream,
 *                                                       KL_IMPORT_FLAGS_NONE, &opt, NULL, &error);
 *   KlImportRow row;
 *   gconstpointer record;
 *   while (kl_import_reader_next (r, &row, &record, &error) && row != KL_IMPORT_ROW_END)
 *     if (row == KL_IMPORT_ROW_GOOD)
 *       my_store_put (store, (const KlShipment *) record);
 *   // kl_import_reader_get_result (r): rows, bad rows and their error lines
 *
 * The file is read once, as a stream (it need not be seekable). A waybill
 * (or customer code) met again in the file makes that row bad, naming the
 * line it was first on. */
#pragma once

#include <gio/gio.h>
#include "kl-import.h"
#include "kl-records.h"

G_BEGIN_DECLS

typedef struct _KlImportReader KlImportReader;

/* The id of the customer with code, or NULL when none has it (the row is
 * then bad: "no customer in this workspace has this code"). The text
 * returned must stay valid while the reader lives. NULL with error when
 * the look-up itself fails (the reader stops with that error). */
typedef const char *(*KlImportCustomerLookup) (const char  *code,
                                               gpointer     user_data,
                                               GError     **error);

typedef struct {
  GTimeZone              *tz;          /* timestamps without an offset; NULL: UTC */
  const char             *currency;    /* the workspace currency (minor units of an
                                        * empty currency); NULL: CNY */
  KlImportCustomerLookup  lookup;      /* NULL: a shipment's customer_id is its
                                        * customer code, every code known */
  gpointer                lookup_data;
} KlImportReaderOptions;

typedef enum {
  KL_IMPORT_ROW_GOOD,   /* the record is checked */
  KL_IMPORT_ROW_BAD,    /* its errors were added to the result's */
  KL_IMPORT_ROW_END,    /* no more rows */
} KlImportRow;

/* Opens stream and reads the header. flags: only the encoding flags
 * (KL_IMPORT_FLAGS_UTF8, _GB18030) matter here. Fails as kl_import_run ()
 * does on an encoding, an empty file, a header lacking a required column
 * or naming one twice. options NULL: all defaults. */
KlImportReader       *kl_import_reader_new          (KlImportKind                  kind,
                                                     const char                   *display_name,
                                                     GInputStream                 *stream,
                                                     KlImportFlags                 flags,
                                                     const KlImportReaderOptions  *options,
                                                     GCancellable                 *cancellable,
                                                     GError                      **error);
/* The next non-blank row, checked. For GOOD, *out_record is a
 * const KlShipment * (shipments) or a const KlCustomer * (customers: the
 * row's values over kl_customer_new ()'s defaults), borrowed until the
 * next call; its line is kl_import_reader_get_line (). FALSE with error
 * when the file cannot be read on (syntax, encoding, read error,
 * cancelled) or the look-up fails. */
gboolean              kl_import_reader_next         (KlImportReader  *self,
                                                     KlImportRow     *out_row,
                                                     gconstpointer   *out_record,
                                                     GError         **error);
/* The line the current row starts on. */
guint                 kl_import_reader_get_line     (KlImportReader  *self);
/* Customers: puts the current (good) row's columns onto customer, which
 * keeps the values of fields the file has no column for (how an import
 * updates a stored customer). */
void                  kl_import_reader_apply_customer (KlImportReader *self,
                                                       KlCustomer     *customer);
/* n_rows, n_bad, errors, unknown_columns, encoding and delimiter so far;
 * the sink fills n_new, n_updated, n_unchanged and written. */
KlImportResult       *kl_import_reader_get_result   (KlImportReader  *self);
/* The share of the stream read, 0..1 (0 when its size is unknown). */
double                kl_import_reader_get_fraction (KlImportReader  *self);
void                  kl_import_reader_free         (KlImportReader  *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KlImportReader, kl_import_reader_free)

G_END_DECLS
