/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The claim record: copying it, reading it from its row, its deadlines
 * against the agreement in force, and the lists of cases. */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "kl-database-private.h"
#include "kl-claim-store-private.h"
#include "kl-customer-store.h"
#include "kl-records.h"

#define CLAIM_COLUMNS \
  "c.id, c.number, c.customer_id, cu.name, cu.code, c.kind, c.status, c.waybill, c.shipment_known, " \
  "c.incident_date, c.description, c.currency, c.claimed_minor, c.approved_minor, c.paid_minor, " \
  "c.salvage_minor, c.owner, c.root_cause, c.corrective_action, c.documents, c.filed_at, " \
  "c.acknowledged_at, c.paid_at, c.closed_at, c.last_update_at, c.rma_number, c.return_destination, " \
  "c.label_carrier, c.label_number, c.return_tracking, c.outcome, c.concealed_damage, c.warnings, " \
  "c.created_at, c.revision, c.updated_at, c.deleted, c.delivered_at, c.shipment_air"

#define CLAIM_FROM "FROM claims c JOIN customers cu ON cu.id = c.customer_id"

gint64
_kl_claim_now (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

const char *
_kl_claim_who (const char *by)
{
  return kl_text_is_blank (by) ? g_get_user_name () : by;
}

static char *
local_date (KlDatabase *db,
            gint64      t)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (t);
  g_autoptr(GDateTime) local = NULL;

  if (utc == NULL)
    return NULL;
  local = g_date_time_to_timezone (utc, kl_database_get_timezone (db));
  return g_date_time_format (local, "%Y-%m-%d");
}

/* Records */

static KlClaim *
kl_claim_new (void)
{
  KlClaim *self = g_new0 (KlClaim, 1);

  self->filed_at = KL_NO_TIME;
  self->acknowledged_at = KL_NO_TIME;
  self->paid_at = KL_NO_TIME;
  self->closed_at = KL_NO_TIME;
  self->last_update_at = KL_NO_TIME;
  self->created_at = KL_NO_TIME;
  self->updated_at = KL_NO_TIME;
  self->next_due = KL_NO_TIME;
  self->delivered_at = KL_NO_TIME;
  self->warnings = g_new0 (char *, 1);
  return self;
}

KlClaim *
kl_claim_copy (const KlClaim *self)
{
  KlClaim *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = g_memdup2 (self, sizeof *self);
  copy->id = g_strdup (self->id);
  copy->number = g_strdup (self->number);
  copy->customer_id = g_strdup (self->customer_id);
  copy->customer_name = g_strdup (self->customer_name);
  copy->customer_code = g_strdup (self->customer_code);
  copy->waybill = g_strdup (self->waybill);
  copy->incident_date = g_strdup (self->incident_date);
  copy->description = g_strdup (self->description);
  copy->currency = g_strdup (self->currency);
  copy->owner = g_strdup (self->owner);
  copy->root_cause = g_strdup (self->root_cause);
  copy->corrective_action = g_strdup (self->corrective_action);
  copy->rma_number = g_strdup (self->rma_number);
  copy->return_destination = g_strdup (self->return_destination);
  copy->label_carrier = g_strdup (self->label_carrier);
  copy->label_number = g_strdup (self->label_number);
  copy->return_tracking = g_strdup (self->return_tracking);
  copy->warnings = g_strdupv (self->warnings);
  return copy;
}

void
kl_claim_free (KlClaim *self)
{
  if (self == NULL)
    return;
  g_free (self->id);
  g_free (self->number);
  g_free (self->customer_id);
  g_free (self->customer_name);
  g_free (self->customer_code);
  g_free (self->waybill);
  g_free (self->incident_date);
  g_free (self->description);
  g_free (self->currency);
  g_free (self->owner);
  g_free (self->root_cause);
  g_free (self->corrective_action);
  g_free (self->rma_number);
  g_free (self->return_destination);
  g_free (self->label_carrier);
  g_free (self->label_number);
  g_free (self->return_tracking);
  g_strfreev (self->warnings);
  g_free (self);
}

G_DEFINE_BOXED_TYPE (KlClaim, kl_claim, kl_claim_copy, kl_claim_free)

void
kl_claim_note_free (KlClaimNote *self)
{
  if (self == NULL)
    return;
  g_free (self->text);
  g_free (self->by);
  g_free (self);
}

static gboolean
read_amount (sqlite3_stmt *stmt, int col, gint64 *out)
{
  if (sqlite3_column_type (stmt, col) == SQLITE_NULL)
    {
      *out = 0;
      return FALSE;
    }
  *out = sqlite3_column_int64 (stmt, col);
  return TRUE;
}

static KlClaim *
claim_from_row (sqlite3_stmt *stmt)
{
  KlClaim *c = kl_claim_new ();
  g_autofree char *kind = NULL, *status = NULL, *outcome = NULL, *warnings = NULL;
  int i = 0;

  c->id = kl_column_dup_text (stmt, i++);
  c->number = kl_column_dup_text (stmt, i++);
  c->customer_id = kl_column_dup_text (stmt, i++);
  c->customer_name = kl_column_dup_text (stmt, i++);
  c->customer_code = kl_column_dup_text (stmt, i++);
  kind = kl_column_dup_text (stmt, i++);
  status = kl_column_dup_text (stmt, i++);
  if (!kl_claim_kind_from_string (kind, &c->kind))
    g_warning ("Claim %s has an unknown kind “%s”", c->id, kind);
  if (!kl_claim_status_from_string (status, &c->status))
    g_warning ("Claim %s has an unknown status “%s”", c->id, status);
  c->waybill = kl_column_dup_text (stmt, i++);
  c->shipment_known = sqlite3_column_int (stmt, i++) != 0;
  c->incident_date = kl_column_dup_text (stmt, i++);
  c->description = kl_column_dup_text (stmt, i++);
  c->currency = kl_column_dup_text (stmt, i++);
  c->claimed_set = read_amount (stmt, i++, &c->claimed);
  c->approved_set = read_amount (stmt, i++, &c->approved);
  c->paid_set = read_amount (stmt, i++, &c->paid);
  c->salvage_set = read_amount (stmt, i++, &c->salvage);
  c->owner = kl_column_dup_text (stmt, i++);
  c->root_cause = kl_column_dup_text (stmt, i++);
  c->corrective_action = kl_column_dup_text (stmt, i++);
  c->documents = (KlClaimDocuments) sqlite3_column_int64 (stmt, i++) & KL_CLAIM_DOCUMENTS_ALL;
  c->filed_at = kl_column_time (stmt, i++);
  c->acknowledged_at = kl_column_time (stmt, i++);
  c->paid_at = kl_column_time (stmt, i++);
  c->closed_at = kl_column_time (stmt, i++);
  c->last_update_at = kl_column_time (stmt, i++);
  c->rma_number = kl_column_dup_text (stmt, i++);
  c->return_destination = kl_column_dup_text (stmt, i++);
  c->label_carrier = kl_column_dup_text (stmt, i++);
  c->label_number = kl_column_dup_text (stmt, i++);
  c->return_tracking = kl_column_dup_text (stmt, i++);
  outcome = kl_column_dup_text (stmt, i++);
  c->outcome_set = outcome != NULL && kl_return_outcome_from_string (outcome, &c->outcome);
  c->concealed_damage = sqlite3_column_int (stmt, i++) != 0;
  warnings = kl_column_dup_text (stmt, i++);
  if (warnings != NULL && *warnings != '\0')
    {
      g_strfreev (c->warnings);
      c->warnings = g_strsplit (warnings, "\n", -1);
    }
  c->created_at = kl_column_time (stmt, i++);
  c->revision = sqlite3_column_int64 (stmt, i++);
  c->updated_at = kl_column_time (stmt, i++);
  c->deleted = sqlite3_column_int (stmt, i++) != 0;
  c->delivered_at = kl_column_time (stmt, i++);
  c->shipment_air = sqlite3_column_int (stmt, i++) != 0;
  return c;
}

/* Deadlines */

void
_kl_claim_deadline_input (const KlClaim        *c,
                KlClaimStatus         status,
                gint64                last_update_at,
                KlClaimDeadlineInput *in)
{
  in->kind = c->kind;
  in->status = status;
  in->filed_at = c->filed_at;
  in->ack_days = c->ack_days;
  in->resolve_days = c->resolve_days;
  in->last_update_at = last_update_at;
}

static gboolean
read_agreement_days (KlDatabase  *db,
                     KlClaim     *c,
                     GError     **error)
{
  g_autoptr(KlAgreement) agreement = NULL;
  g_autofree char *date = NULL;
  g_autoptr(GError) local_error = NULL;

  c->ack_days = KL_CLAIM_DEFAULT_ACK_DAYS;
  c->resolve_days = KL_CLAIM_DEFAULT_RESOLVE_DAYS;
  date = local_date (db, c->filed_at != KL_NO_TIME ? c->filed_at : c->created_at);
  if (date == NULL)
    return TRUE;
  agreement = kl_agreement_store_in_force (db, c->customer_id, date, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (agreement != NULL)
    {
      if (agreement->claim_ack_days > 0)
        c->ack_days = agreement->claim_ack_days;
      if (agreement->claim_resolve_days > 0)
        c->resolve_days = agreement->claim_resolve_days;
    }
  return TRUE;
}

static void
compute_deadlines (KlDatabase *db,
                   KlClaim    *c,
                   gint64      now)
{
  KlClaimDeadlineInput in;
  KlClaimDeadlines *d = &c->deadlines;

  _kl_claim_deadline_input (c, c->status, c->last_update_at, &in);
  kl_claim_compute_deadlines (&in, kl_database_get_timezone (db), now, d);
  c->overdue = kl_claim_is_overdue (&in, kl_database_get_timezone (db), now);
  c->next_due = KL_NO_TIME;
  if (c->filed_at == KL_NO_TIME)
    return;
  if (d->acknowledge_pending)
    c->next_due = d->acknowledge_by;
  if (d->resolve_pending)
    {
      gint64 due = d->update_due_by != KL_NO_TIME ? d->update_due_by : d->resolve_by;

      if (c->next_due == KL_NO_TIME || due < c->next_due)
        c->next_due = due;
    }
}

/* Reads the agreement's deadlines and computes them at now. */
static gboolean
_kl_claim_finish (KlDatabase  *db,
                  KlClaim     *c,
                  gint64       now,
                  GError     **error)
{
  if (!read_agreement_days (db, c, error))
    return FALSE;
  compute_deadlines (db, c, now);
  /* Worded now, in the reader's language; a case kept from schema 4
   * whose shipment was not found keeps the sentences it was stored with. */
  if (c->warnings[0] == NULL && c->delivered_at != KL_NO_TIME && c->filed_at != KL_NO_TIME)
    {
      g_strfreev (c->warnings);
      c->warnings = kl_claim_filing_warnings (c->kind, c->shipment_air, c->delivered_at, c->filed_at,
                                              kl_database_get_timezone (db), NULL);
      if (c->warnings == NULL)
        c->warnings = g_new0 (char *, 1);
    }
  return TRUE;
}

/* Reading */

KlClaim *
_kl_claim_read (KlDatabase  *db,
            const char  *id_or_number,
            GError     **error)
{
  sqlite3_stmt *stmt;
  KlClaim *c = NULL;
  int rc;

  stmt = kl_database_prepare (db, "SELECT " CLAIM_COLUMNS " " CLAIM_FROM
                                  " WHERE c.id = ?1 OR c.number = upper(?1) LIMIT 1", error);
  if (stmt == NULL)
    return NULL;
  kl_bind_text (stmt, 1, id_or_number);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    c = claim_from_row (stmt);
  else if (rc != SQLITE_DONE)
    kl_database_set_error (db, error, _("Reading a claim"));
  else
    g_set_error (error, KL_DATABASE_ERROR, KL_DATABASE_ERROR_NOT_FOUND,
                 _("There is no claim, return or complaint “%s”; give its id or its number like CLM-2026-000123"),
                 id_or_number);
  sqlite3_reset (stmt);
  return c;
}

KlClaim *
kl_claim_store_get (KlDatabase  *db,
                    const char  *id_or_number,
                    gint64       now,
                    GError     **error)
{
  g_autoptr(KlClaim) c = NULL;

  g_return_val_if_fail (KL_IS_DATABASE (db), NULL);
  g_return_val_if_fail (id_or_number != NULL, NULL);

  c = _kl_claim_read (db, id_or_number, error);
  if (c == NULL || !_kl_claim_finish (db, c, now, error))
    return NULL;
  return g_steal_pointer (&c);
}

static int
compare_claims (gconstpointer a,
                gconstpointer b)
{
  const KlClaim *x = *(KlClaim * const *) a;
  const KlClaim *y = *(KlClaim * const *) b;
  gint64 dx, dy, fx, fy;

  if (x->overdue != y->overdue)
    return x->overdue ? -1 : 1;
  dx = x->next_due == KL_NO_TIME ? G_MAXINT64 : x->next_due;
  dy = y->next_due == KL_NO_TIME ? G_MAXINT64 : y->next_due;
  if (dx != dy)
    return dx < dy ? -1 : 1;
  fx = x->filed_at != KL_NO_TIME ? x->filed_at : x->created_at;
  fy = y->filed_at != KL_NO_TIME ? y->filed_at : y->created_at;
  if (fx != fy)
    return fx > fy ? -1 : 1;
  return g_strcmp0 (y->number, x->number);
}

GPtrArray *
kl_claim_store_list (KlDatabase          *db,
                     const KlClaimFilter *filter,
                     gint64               now,
                     GError             **error)
{
  static const KlClaimFilter any = KL_CLAIM_FILTER_INIT;
  g_autoptr(GPtrArray) all = g_ptr_array_new_with_free_func ((GDestroyNotify) kl_claim_free);
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func ((GDestroyNotify) kl_claim_free);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (KL_IS_DATABASE (db), NULL);

  if (filter == NULL)
    filter = &any;

  stmt = kl_database_prepare (db,
                              "SELECT " CLAIM_COLUMNS " " CLAIM_FROM " WHERE "
                              "(?1 IS NULL OR c.customer_id = ?1) AND "
                              "(?2 IS NULL OR c.kind = ?2) AND "
                              "(?3 IS NULL OR c.status = ?3) AND "
                              "(?4 IS NULL OR c.owner = ?4) AND "
                              "(?5 OR c.deleted = 0) AND "
                              "(?6 IS NULL OR instr(lower(c.number), lower(?6)) > 0 "
                              " OR instr(lower(coalesce(c.waybill, '')), lower(?6)) > 0 "
                              " OR instr(lower(coalesce(c.description, '')), lower(?6)) > 0 "
                              " OR instr(lower(cu.name), lower(?6)) > 0 "
                              " OR instr(lower(cu.code), lower(?6)) > 0)",
                              error);
  if (stmt == NULL)
    return NULL;
  kl_bind_text (stmt, 1, filter->customer_id);
  kl_bind_text (stmt, 2, filter->kind >= 0 ? kl_claim_kind_to_string (filter->kind) : NULL);
  kl_bind_text (stmt, 3, filter->status >= 0 ? kl_claim_status_to_string (filter->status) : NULL);
  kl_bind_text (stmt, 4, filter->owner);
  sqlite3_bind_int (stmt, 5, filter->include_deleted ? 1 : 0);
  kl_bind_text (stmt, 6, kl_text_is_blank (filter->search) ? NULL : filter->search);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (all, claim_from_row (stmt));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      kl_database_set_error (db, error, _("Listing claims"));
      return NULL;
    }

  for (guint i = 0; i < all->len; i++)
    {
      KlClaim *c = g_ptr_array_index (all, i);

      if (!_kl_claim_finish (db, c, now, error))
        return NULL;
      if (filter->overdue_only && !c->overdue)
        continue;
      g_ptr_array_add (out, g_ptr_array_steal_index_fast (all, i));
      i--;
    }
  g_ptr_array_sort (out, compare_claims);
  return g_steal_pointer (&out);
}

/* Moves */

/* The text a move leaves on the case: the one given with the move, else
 * the recorded one. */
static const char *
merged (const char *given,
        const char *recorded)
{
  return !kl_text_is_blank (given) ? given : recorded;
}

void
kl_claim_move_check_init (KlClaimMoveCheck  *out,
                          const KlClaim     *c,
                          const KlClaimMove *move)
{
  g_return_if_fail (out != NULL);
  g_return_if_fail (c != NULL);
  g_return_if_fail (move != NULL);

  *out = (KlClaimMoveCheck) { 0 };
  out->kind = c->kind;
  out->from = c->status;
  out->to = move->to;
  out->documents = c->documents;
  out->claimed_set = c->claimed_set;
  out->claimed = c->claimed;
  out->approved_set = c->approved_set;
  out->approved = c->approved;
  out->paid_set = c->paid_set;
  out->paid = c->paid;
  out->amount_set = move->amount_set;
  out->amount = move->amount;
  out->reason = move->reason;
  out->corrective_action = merged (move->corrective_action, c->corrective_action);
  out->rma_number = c->rma_number;
  out->return_destination = merged (move->return_destination, c->return_destination);
  out->label_carrier = merged (move->label_carrier, c->label_carrier);
  out->label_number = merged (move->label_number, c->label_number);
  out->return_tracking = merged (move->return_tracking, c->return_tracking);
  out->outcome_set = move->outcome_set || c->outcome_set;
  out->outcome = move->outcome_set ? move->outcome : c->outcome;
}
