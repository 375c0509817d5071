/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Writing many shipments in one transaction: the path of the CSV import,
 * the benchmark's fill and the demo, and of the sync pull
 * (kl_shipment_bulk_add_synced (), kl_shipment_bulk_remove_by_uuid ()).
 * Each shipment is inserted as it comes (one prepared INSERT … ON CONFLICT
 * (waybill) DO NOTHING); only a waybill already stored is read, compared
 * (in place) and updated. The rollup changes are added up in memory per
 * customer and month, per customer, month, side and region, per customer,
 * month and mode, and for the portfolio, and each rollup row is written
 * once by kl_shipment_bulk_finish (). Those sums may go on a thread of
 * their own (kl_shipment_bulk_sum_aside ()). Another store
 * (keyline-server's) reads files through kl-import-reader.h instead. */
#pragma once

#include <glib.h>
#include "kl-database.h"
#include "kl-records.h"

G_BEGIN_DECLS

typedef struct _KlShipmentBulk KlShipmentBulk;

/* The caller holds a write transaction on db from before the first
 * kl_shipment_bulk_add () until after kl_shipment_bulk_finish (), and rolls
 * it back when any call fails or finish is never called: until finish the
 * rollups lag the shipments. With dry_run nothing is written; add only
 * classifies (a read transaction is enough). */
KlShipmentBulk *kl_shipment_bulk_new    (KlDatabase       *db,
                                         gboolean          dry_run,
                                         GError          **error);
/* Inserts or updates shipment by waybill, as kl_shipment_store_save ()
 * does (same checks; its id is ignored: a new shipment gets none, an
 * updated one keeps its back-office id; revision 0 keeps the stored one;
 * updated_at 0 is now; a currency equal to the workspace's is stored as
 * NULL) and says which it was. customer_id must name a customer. A file
 * must not hold a waybill twice: the caller checks that. */
gboolean        kl_shipment_bulk_add    (KlShipmentBulk    *self,
                                         const KlShipment  *shipment,
                                         KlUpsertResult    *out_result,
                                         GError           **error);
/* For the sync pull: shipment->id is the back office's id (a UUID,
 * required). The stored shipment with that id is updated (its waybill too,
 * when the back office changed it); else the one with its waybill, which
 * adopts the id; else it is inserted with it. Unchanged only when content,
 * id and (a non-zero) revision are the stored ones; revision 0 keeps the
 * stored one. Rollups as for kl_shipment_bulk_add (). */
gboolean        kl_shipment_bulk_add_synced (KlShipmentBulk    *self,
                                             const KlShipment  *shipment,
                                             KlUpsertResult    *out_result,
                                             GError           **error);
/* For a tombstone of the sync pull: removes the shipment whose back-office
 * id is uuid, taking away what it added to the rollups. No such shipment
 * is no error (*out_removed FALSE). */
gboolean        kl_shipment_bulk_remove_by_uuid (KlShipmentBulk  *self,
                                                 const char      *uuid,
                                                 gboolean        *out_removed,
                                                 GError         **error);
/* From now on the rollup sums are added up on a thread of their own
 * while the caller goes on writing (the CSV import's). Then each shipment
 * passed to kl_shipment_bulk_add () or _add_synced () is read again later:
 * its texts must stay as they are until kl_shipment_bulk_sums_wait ()
 * returns for a mark taken after the call. A failed sum (a total too
 * large) fails the next kl_shipment_bulk_add () or the finish. Nothing
 * happens for a dry run. */
void            kl_shipment_bulk_sum_aside  (KlShipmentBulk    *self);
/* A mark of everything added so far (0 without a summing thread). */
guint64         kl_shipment_bulk_sums_mark  (KlShipmentBulk    *self);
/* Waits until everything before mark is summed. */
void            kl_shipment_bulk_sums_wait  (KlShipmentBulk    *self,
                                             guint64            mark);

/* Writes every rollup row touched, once each. Fails (and the caller rolls
 * back) when a total would exceed what a workspace stores. */
gboolean        kl_shipment_bulk_finish (KlShipmentBulk    *self,
                                         GError           **error);
void            kl_shipment_bulk_free   (KlShipmentBulk    *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KlShipmentBulk, kl_shipment_bulk_free)

G_END_DECLS
