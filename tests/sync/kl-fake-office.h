/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A back office for tests: api.yaml's customers and shipments on a
 * SoupServer at 127.0.0.1, on a thread of its own, with scripted faults
 * (statuses with Retry-After, connection resets, truncated JSON, replies
 * lost after the work was done, requests held unanswered). */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define KL_FAKE_TOKEN "test-token-7c1f"

typedef struct _KlFakeOffice KlFakeOffice;

typedef enum {
  KL_FAULT_STATUS,     /* answer status (Retry-After when retry_after >= 0) */
  KL_FAULT_RESET,      /* close the connection without an answer */
  KL_FAULT_TRUNCATE,   /* the normal answer, its body cut in half */
  KL_FAULT_LOST,       /* do the work, then close without an answer */
  KL_FAULT_HOLD,       /* never answer (until the office is freed) */
  KL_FAULT_BREAK,      /* the normal answer with the first item's field broken */
} KlFaultKind;

KlFakeOffice *kl_fake_office_new        (void);
void          kl_fake_office_free       (KlFakeOffice *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KlFakeOffice, kl_fake_office_free)
const char   *kl_fake_office_url        (KlFakeOffice *self);

/* Data (ids returned newly allocated). */
char         *kl_fake_office_add_customer (KlFakeOffice *self, const char *code, const char *name);
void          kl_fake_office_add_shipments (KlFakeOffice *self, const char *customer_id, guint n,
                                            const char *prefix);
/* A damage claim, acknowledged, with its history and a client note. */
char         *kl_fake_office_add_claim  (KlFakeOffice *self, const char *customer_id, const char *number);
/* Sets a field (value JSON text), as a change on the server. */
void          kl_fake_office_set        (KlFakeOffice *self, const char *collection, const char *id,
                                         const char *field, const char *json_value);
/* Appends an element (JSON text) to an array field, as a change on the
 * server (a history entry written by someone else). */
void          kl_fake_office_append     (KlFakeOffice *self, const char *collection, const char *id,
                                         const char *field, const char *json_value);
void          kl_fake_office_delete     (KlFakeOffice *self, const char *collection, const char *id);
/* Removes a record without a tombstone (only a full pull can notice). */
void          kl_fake_office_purge      (KlFakeOffice *self, const char *collection, const char *id);
/* A copy of a record's field as JSON text, or NULL. */
char         *kl_fake_office_get        (KlFakeOffice *self, const char *collection, const char *id,
                                         const char *field);
char         *kl_fake_office_find_number (KlFakeOffice *self, const char *number);
char         *kl_fake_office_find_code  (KlFakeOffice *self, const char *code);
/* Every shipment as an import CSV (docs/import.md), all of one customer. */
GBytes       *kl_fake_office_shipments_csv (KlFakeOffice *self, const char *customer_code);
guint         kl_fake_office_count      (KlFakeOffice *self, const char *collection, gboolean with_deleted);
/* Every cursor given from now on is answered 410 until a pull from scratch. */
void          kl_fake_office_expire_cursors (KlFakeOffice *self);

/* The next count requests whose method and path start so (path without the
 * query) get the fault; field names the field KL_FAULT_BREAK breaks. */
void          kl_fake_office_fault      (KlFakeOffice *self, const char *method, const char *path,
                                         KlFaultKind kind, guint status, int retry_after, guint count);
/* The fault once, after skip matching requests went through. */
void          kl_fake_office_fault_after (KlFakeOffice *self, const char *method, const char *path,
                                          KlFaultKind kind, guint skip);
/* No more scripted faults from now on. */
void          kl_fake_office_clear_faults (KlFakeOffice *self);
void          kl_fake_office_break_field (KlFakeOffice *self, const char *field, const char *json_value);
/* How many requests came whose method and path start so. */
guint         kl_fake_office_requests   (KlFakeOffice *self, const char *method, const char *path);
/* The body of the last request whose method and path start so (NULL for
 * none), and its If-Match. */
char         *kl_fake_office_last_body  (KlFakeOffice *self, const char *method, const char *path,
                                         char **out_if_match);
/* The User-Agent of the last request. */
char         *kl_fake_office_user_agent (KlFakeOffice *self);

G_END_DECLS
