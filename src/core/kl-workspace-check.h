/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Checking a whole workspace: the file, the references between records,
 * the monthly figures, the sync outbox and the claims' histories. */
#pragma once

#include <glib.h>
#include "kl-core-types.h"

G_BEGIN_DECLS

typedef enum {
  KL_WORKSPACE_FINDING_DAMAGED,        /* SQLite's integrity check failed */
  KL_WORKSPACE_FINDING_REFERENCE,      /* a row refers to a missing row */
  KL_WORKSPACE_FINDING_APPLICATION_ID, /* the file is not marked as a workspace */
  KL_WORKSPACE_FINDING_FIGURES,        /* a monthly figure is not what the shipments give */
  KL_WORKSPACE_FINDING_OUTBOX,         /* a pending change names no record */
  KL_WORKSPACE_FINDING_CLAIM_HISTORY,  /* a claim's history was rewritten, or its status is not its history's last */
} KlWorkspaceFindingKind;

typedef struct {
  KlWorkspaceFindingKind  kind;
  char                   *message;   /* one line, translated */
} KlWorkspaceFinding;

void        kl_workspace_finding_free (KlWorkspaceFinding *finding);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KlWorkspaceFinding, kl_workspace_finding_free)

/* Checks db in one read transaction and returns what is wrong, an empty
 * array when nothing is, NULL with error set when the check itself could
 * not run. A damaged file gives its DAMAGED findings only: the other checks
 * would read damaged pages. */
GPtrArray  *kl_workspace_check        (KlDatabase  *db,
                                       GError     **error);

/* How many findings of kind there are. */
guint       kl_workspace_findings_count (GPtrArray              *findings,
                                         KlWorkspaceFindingKind  kind);

G_END_DECLS
