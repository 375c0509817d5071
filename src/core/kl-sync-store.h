/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The sync layer's state in the workspace (docs/sync.md): cursors, the
 * server's copy of each synced customer and claim (the base of a merge),
 * conflicts and refused pushes, the outbox as the
 * pusher reads it, and writes of server records that add nothing to the
 * outbox. Every function runs in the caller's transaction when there is
 * one. Records are opaque JSON text here: core knows no JSON. */
#pragma once

#include <glib.h>
#include "kl-database.h"
#include "kl-records.h"

G_BEGIN_DECLS

/* Settings keys the sync layer keeps in the workspace (never the token). */
#define KL_SYNC_SETTING_SERVER       "sync.server"
#define KL_SYNC_SETTING_USER         "sync.user"
#define KL_SYNC_SETTING_LAST_SUCCESS "sync.last_success"

/* The cursor of a collection, or NULL when it was never pulled. */
char      *kl_sync_store_get_cursor      (KlDatabase *db, const char *collection);
/* Saves (cursor NULL: forgets) a collection's cursor. */
gboolean   kl_sync_store_set_cursor      (KlDatabase  *db,
                                          const char  *collection,
                                          const char  *cursor,
                                          GError     **error);
/* When the collection's cursor was saved (Unix seconds), or 0. */
gint64     kl_sync_store_cursor_time     (KlDatabase *db, const char *collection);

/* A local record's server side. */
typedef struct {
  char   *collection;
  char   *local_id;
  char   *server_id;
  gint64  revision;
  char   *base;        /* the server's record as last seen, JSON */
} KlSyncRecord;

void          kl_sync_record_free           (KlSyncRecord *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KlSyncRecord, kl_sync_record_free)

/* NULL (and no error) when the record has no server side. */
KlSyncRecord *kl_sync_store_record_by_local  (KlDatabase  *db,
                                              const char  *collection,
                                              const char  *local_id,
                                              GError     **error);
KlSyncRecord *kl_sync_store_record_by_server (KlDatabase  *db,
                                              const char  *collection,
                                              const char  *server_id,
                                              GError     **error);
gboolean      kl_sync_store_record_set       (KlDatabase  *db,
                                              const char  *collection,
                                              const char  *local_id,
                                              const char  *server_id,
                                              gint64       revision,
                                              const char  *base,
                                              GError     **error);
gboolean      kl_sync_store_record_remove    (KlDatabase  *db,
                                              const char  *collection,
                                              const char  *local_id,
                                              GError     **error);

/* The outbox as the pusher reads it. */
typedef struct {
  gint64  seq;
  char   *collection;
  char   *record_id;
  char   *op;               /* create, update, delete */
  char   *fields;
  gint64  base_revision;
  char   *idempotency_key;
} KlOutboxEntry;

void       kl_outbox_entry_free          (KlOutboxEntry *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KlOutboxEntry, kl_outbox_entry_free)

/* Every entry in order (GPtrArray of KlOutboxEntry). */
GPtrArray *kl_sync_store_outbox_list     (KlDatabase *db, GError **error);
/* The newest seq in the outbox (0 when it was always empty). */
gint64     kl_sync_store_outbox_last     (KlDatabase *db, GError **error);
/* Removes a record's entries up to seq (G_MAXINT64: all); returns how many
 * went, or -1 on error. */
gint64     kl_sync_store_outbox_remove   (KlDatabase  *db,
                                          const char  *collection,
                                          const char  *record_id,
                                          gint64       up_to_seq,
                                          GError     **error);
/* Removes entries newer than after_seq, of one record or (record_id NULL)
 * all: what a server write made the stores add in this transaction. */
gboolean   kl_sync_store_outbox_drop_after (KlDatabase  *db,
                                            const char  *record_id,
                                            gint64       after_seq,
                                            GError     **error);
/* Outbox entries removed as ones the API cannot carry (shipments, other
 * collections); returns how many, or -1 on error. */
gint64     kl_sync_store_outbox_drop_uncarried (KlDatabase *db, GError **error);
/* TRUE when the record has unpushed changes. */
gboolean   kl_sync_store_outbox_pending  (KlDatabase *db, const char *collection, const char *record_id);
/* The first create entry's key of a record, kept until the create succeeds;
 * NULL when there is none. */
char      *kl_sync_store_outbox_create_key (KlDatabase *db, const char *collection, const char *record_id);
/* Turns a record's entries into one create with a fresh key (a record the
 * user keeps after the server removed it). */
gboolean   kl_sync_store_outbox_recreate (KlDatabase  *db,
                                          const char  *collection,
                                          const char  *record_id,
                                          GError     **error);

/* A conflict or refused push waiting for the user. */
typedef struct {
  char   *collection;
  char   *local_id;
  char   *reason;       /* conflict, gone, refused */
  char   *detail;
  char   *server;       /* the server's current record (JSON) or NULL */
  char   *fields;       /* JSON [{"field","local","server"}] */
  gint64  created_at;
} KlSyncConflict;

void       kl_sync_conflict_free         (KlSyncConflict *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KlSyncConflict, kl_sync_conflict_free)

gboolean   kl_sync_store_conflict_set    (KlDatabase           *db,
                                          const KlSyncConflict *conflict,
                                          GError              **error);
KlSyncConflict *kl_sync_store_conflict_get (KlDatabase  *db,
                                            const char  *collection,
                                            const char  *local_id,
                                            GError     **error);
gboolean   kl_sync_store_conflict_remove (KlDatabase  *db,
                                          const char  *collection,
                                          const char  *local_id,
                                          GError     **error);
/* GPtrArray of KlSyncConflict, oldest first. */
GPtrArray *kl_sync_store_conflict_list   (KlDatabase *db, GError **error);
gint64     kl_sync_store_conflict_count  (KlDatabase *db);

/* A full pull: ids returned so far, and the local records it did not return. */
gboolean   kl_sync_store_seen_add        (KlDatabase  *db,
                                          const char  *collection,
                                          const char  *server_id,
                                          GError     **error);
gboolean   kl_sync_store_seen_clear      (KlDatabase  *db,
                                          const char  *collection,
                                          GError     **error);
/* Local ids of a collection's records ("customers", "claims") not seen by
 * the full pull and without unpushed changes; for "shipments", the
 * waybills of synced shipments not seen. */
GPtrArray *kl_sync_store_unseen          (KlDatabase  *db,
                                          const char  *collection,
                                          GError     **error);

/* A customer the server removed: marked deleted, nothing queued. */
gboolean   kl_sync_store_customer_remove (KlDatabase  *db,
                                          const char  *local_id,
                                          GError     **error);
/* The local id of a customer with this code, or NULL. */
char      *kl_sync_store_customer_by_code (KlDatabase *db, const char *code, GError **error);

/* A claim as the server has it, for kl_sync_store_claim_apply (); strings
 * borrowed, NULL for none. */
typedef struct {
  const char *id;                 /* the local id */
  const char *number;
  const char *customer_id;        /* local */
  const char *kind;
  const char *status;
  const char *waybill;
  const char *incident_date;
  const char *description;
  const char *currency;
  gboolean    claimed_set, approved_set, paid_set, salvage_set;
  gint64      claimed, approved, paid, salvage;
  const char *owner;
  const char *root_cause;
  const char *corrective_action;
  guint       documents;          /* KlClaimDocuments */
  gint64      filed_at, acknowledged_at, closed_at, updated_at, revision;
  const char *return_destination;
  const char *label_carrier;
  const char *label_number;
  const char *return_tracking;
  const char *outcome;
} KlSyncClaim;

/* One entry of a claim's history or notes as the server has it. */
typedef struct {
  gint64      at;
  const char *by;
  const char *change;             /* history: created, moved, field, document, note */
  const char *field;
  const char *old_value;
  const char *new_value;
  const char *text;               /* notes: the text; history: the note */
  const char *visibility;         /* notes */
} KlSyncClaimEntry;

/* Takes a claim's history as the server has it (history, an array of
 * KlSyncClaimEntry) into the workspace's: the entries not in seen (the
 * history of the server's record last seen, may be NULL), matched entry by
 * entry, never by count, are appended, except those that are the server's
 * record of a change made here (the same change to the same value), which
 * the local entry stands for. Re-pulling, a lost reply, or entries added
 * on both sides neither duplicate nor lose one. *out_changed is set TRUE
 * when an entry was appended. */
gboolean   kl_sync_store_claim_history_apply (KlDatabase       *db,
                                              const char       *claim_id,
                                              const GPtrArray  *seen,
                                              const GPtrArray  *history,
                                              gboolean         *out_changed,
                                              GError          **error);
/* Writes a pulled claim (inserted or updated by id), takes its history as
 * kl_sync_store_claim_history_apply () does (seen_history: the history of
 * the record last seen) and adds the notes no local note matches (by
 * visibility and text); nothing is queued. */
gboolean   kl_sync_store_claim_apply     (KlDatabase          *db,
                                          const KlSyncClaim   *claim,
                                          const GPtrArray     *seen_history,
                                          const GPtrArray     *history,
                                          const GPtrArray     *notes,
                                          gboolean            *out_changed,
                                          GError             **error);
/* A case opened here and accepted by the server: the server's number
 * replaces the provisional one and its revision is kept. */
gboolean   kl_sync_store_claim_accepted  (KlDatabase  *db,
                                          const char  *local_id,
                                          const char  *number,
                                          gint64       revision,
                                          GError     **error);
/* A claim the server removed: marked deleted. */
gboolean   kl_sync_store_claim_remove    (KlDatabase  *db,
                                          const char  *local_id,
                                          GError     **error);

G_END_DECLS
