/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The sync engine (docs/sync.md): pushes the outbox in order, then pulls
 * customers, claims and shipments page by page, each page applied with its
 * cursor in one transaction. Runs on the calling thread over a KlDatabase
 * that thread owns. */
#pragma once

#include <gio/gio.h>
#include "kl-database.h"
#include "kl-sync-client.h"

G_BEGIN_DECLS

typedef struct {
  gboolean full;        /* pull every collection from scratch */
  gboolean pull_only;   /* leave the outbox alone */
  guint    page_limit;  /* items per page asked for; 0: 1000, the most api.yaml allows */
} KlSyncOptions;

typedef struct {
  gint64 pulled;        /* records of pull pages that changed the local copy */
  gint64 pushed;        /* outbox entries the server accepted */
  gint64 conflicts;     /* open conflicts and refused pushes, after the run */
} KlSyncStats;

/* what: "push", "customers", "claims", "shipments"; done: records so far. */
typedef void (*KlSyncProgressFunc) (const char *what,
                                    gint64      done,
                                    gpointer    user_data);

/* One sync. On failure what was applied before stays (every page is its
 * own transaction) and stats says how far it got. */
gboolean   kl_sync_run              (KlDatabase          *db,
                                     KlSyncClient        *client,
                                     const KlSyncOptions *options,
                                     KlSyncProgressFunc   progress,
                                     gpointer             progress_data,
                                     KlSyncStats         *out_stats,
                                     GCancellable        *cancellable,
                                     GError             **error);

/* GET /v1/me: who the token belongs to and the server's clock. */
gboolean   kl_sync_check_me         (KlSyncClient  *client,
                                     char         **out_user,
                                     char         **out_display_name,
                                     gint64        *out_server_time,
                                     GCancellable  *cancellable,
                                     GError       **error);

/* A conflict or refused push as the user sees it. */
typedef struct {
  char      *kind;            /* "customer" or "claim" */
  char      *id;              /* local id */
  char      *code_or_number;
  char      *reason;          /* conflict, gone, refused */
  char      *detail;
  GPtrArray *fields;          /* of KlSyncConflictField */
} KlSyncConflictInfo;

typedef struct {
  char *field;
  char *local;                /* JSON text of each value */
  char *server;
} KlSyncConflictField;

void       kl_sync_conflict_info_free (KlSyncConflictInfo *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KlSyncConflictInfo, kl_sync_conflict_info_free)

/* Every open conflict and refused push, oldest first. */
GPtrArray *kl_sync_conflicts        (KlDatabase  *db,
                                     GError     **error);

/* Resolves the conflict of a record (its id, customer code or claim
 * number): keep_local re-pushes the local version over the server's
 * current revision at the next sync; otherwise the server's version is
 * taken and the local edit dropped. field_choices (may be NULL) maps
 * field names to "local" or "server" for a field-by-field merge of a
 * customer or a claim; fields it does not name follow keep_local. What
 * stays local is queued and pushed over the server's revision at the
 * next sync. */
gboolean   kl_sync_resolve          (KlDatabase  *db,
                                     const char  *id,
                                     gboolean     keep_local,
                                     GHashTable  *field_choices,
                                     GError     **error);

/* TRUE when the record has changes not yet pushed, or a conflict. */
gboolean   kl_sync_record_unpushed  (KlDatabase  *db,
                                     const char  *collection,
                                     const char  *local_id);

G_END_DECLS
