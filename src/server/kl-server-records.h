/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The records of the API (docs/api.yaml) as the server keeps them: checking
 * a request's fields, building and changing a record's JSON body, and the
 * claim lifecycle through src/core's kl-claim-lifecycle. No HTTP here. */
#pragma once

#include <json-glib/json-glib.h>

#include "kl-server-store.h"

G_BEGIN_DECLS

/* What went wrong with a request, as a problem details object: status,
 * a short type slug, a detail naming the thing and what would fix it, the
 * field (422) and the current record (409, 412). */
typedef struct {
  guint     status;
  char     *type;
  char     *detail;
  char     *field;
  JsonNode *current;
} KlProblem;

void     kl_problem_clear (KlProblem *problem);
gboolean kl_problem_set   (KlProblem  *problem,
                           guint       status,
                           const char *type,
                           const char *field,
                           const char *format,
                           ...) G_GNUC_PRINTF (5, 6);

/* RFC 3339 with an offset, in UTC: 2026-10-03T08:30:00+00:00. */
char       *kl_server_format_time (gint64 usec);
/* The record as the API shows it: Record fields, then the body's fields
 * (a tombstone: the Record fields only). */
JsonNode   *kl_server_record_to_json (const KlServerRecord *record);
char       *kl_server_record_to_string (const KlServerRecord *record);
/* The same written straight onto @out, without a JSON tree (a pull page's
 * items): the body, the server's own JSON text, goes in as it is. */
void        kl_server_record_append_json (GString              *out,
                                          const KlServerRecord *record);
/* @text as a JSON string, quotes included. */
void        kl_server_json_append_string (GString    *out,
                                          const char *text);

/* Customers. new: checks a CustomerNew object and builds a record (id
 * made here, revision 0) for @user. patch: applies a merge patch to
 * @record (its body, key, account_manager, deleted); *out_changed is FALSE
 * when nothing differs. */
KlServerRecord *kl_server_customer_new   (JsonObject         *request,
                                          const KlServerUser *user,
                                          gint64              now,
                                          KlProblem          *problem);
gboolean        kl_server_customer_patch (KlServerRecord     *record,
                                          JsonObject         *patch,
                                          const KlServerUser *user,
                                          gint64              now,
                                          gboolean           *out_changed,
                                          KlProblem          *problem);

/* Claims. check_new checks a ClaimNew object without the store; new builds
 * the record once the customer is known and a number was drawn (@number).
 * The counter name for a kind and year ("CLM-2026"): counter_for. */
gboolean        kl_server_claim_check_new (JsonObject  *request,
                                           KlProblem   *problem);
char           *kl_server_claim_counter   (JsonObject  *request,
                                           gint64       now);
KlServerRecord *kl_server_claim_new       (JsonObject         *request,
                                           const char         *number,
                                           const KlServerUser *user,
                                           gint64              now);
/* Applies a ClaimPatch: a status move goes through the lifecycle's
 * kl_claim_check_move (422 with its message when refused); every accepted
 * move and field change appends to history with @user and @now. */
gboolean        kl_server_claim_patch     (KlServerRecord     *record,
                                           JsonObject         *patch,
                                           const KlServerUser *user,
                                           gint64              now,
                                           gboolean           *out_changed,
                                           KlProblem          *problem);

/* Shipments come from import and demo only: a body from its fields. */
gboolean        kl_server_valid_uuid      (const char *text);

G_END_DECLS
