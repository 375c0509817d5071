/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Writing claims, returns and complaints (docs/claims.md): each
 * accepted change in one transaction with its history entries and its
 * outbox entry. */

#include "config.h"

#include <stdio.h>
#include <string.h>
#include <glib/gi18n-lib.h>

#include "kl-database-private.h"
#include "kl-claim-store-private.h"
#include "kl-customer-store.h"
#include "kl-records.h"
#include "kl-shipment-store.h"
#include "kl-sync-store.h"

/* Small helpers */

static char *
dup_nonblank (const char *text)
{
  return kl_text_is_blank (text) ? NULL : g_strstrip (g_strdup (text));
}

/* "YYYY-MM-DD" naming a real day. */
static gboolean
date_is_valid (const char *text)
{
  int y, m, d;
  char tail;

  if (strlen (text) != 10 || sscanf (text, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3)
    return FALSE;
  return g_date_valid_dmy ((GDateDay) d, (GDateMonth) m, (GDateYear) y);
}

static int
local_year (KlDatabase *db,
            gint64      t)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (t);
  g_autoptr(GDateTime) local = NULL;

  local = g_date_time_to_timezone (utc, kl_database_get_timezone (db));
  return g_date_time_get_year (local);
}

static void
bind_amount (sqlite3_stmt *stmt, int idx, gboolean set, gint64 value)
{
  if (set)
    sqlite3_bind_int64 (stmt, idx, value);
  else
    sqlite3_bind_null (stmt, idx);
}

static char *
amount_text (gboolean set, gint64 value)
{
  return set ? g_strdup_printf ("%" G_GINT64_FORMAT, value) : NULL;
}

GPtrArray *
kl_claim_store_notes (KlDatabase  *db,
                      const char  *id,
                      gboolean     client_only,
                      GError     **error)
{
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func ((GDestroyNotify) kl_claim_note_free);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (KL_IS_DATABASE (db), NULL);

  /* The visibility is filtered in SQL so internal text never leaves the
   * database for a client report. */
  stmt = kl_database_prepare (db,
                              "SELECT seq, visibility, text, at, by FROM claim_notes "
                              "WHERE claim_id = ? AND (? = 0 OR visibility = 'client') ORDER BY at, seq",
                              error);
  if (stmt == NULL)
    return NULL;
  kl_bind_text (stmt, 1, id);
  sqlite3_bind_int (stmt, 2, client_only ? 1 : 0);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      KlClaimNote *n = g_new0 (KlClaimNote, 1);

      n->seq = sqlite3_column_int64 (stmt, 0);
      n->visibility = g_strcmp0 ((const char *) sqlite3_column_text (stmt, 1), "client") == 0
                      ? KL_CLAIM_NOTE_CLIENT : KL_CLAIM_NOTE_INTERNAL;
      n->text = kl_column_dup_text (stmt, 2);
      n->at = kl_column_time (stmt, 3);
      n->by = kl_column_dup_text (stmt, 4);
      g_ptr_array_add (out, n);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      kl_database_set_error (db, error, _("Reading a claim’s notes"));
      return NULL;
    }
  return g_steal_pointer (&out);
}

GPtrArray *
kl_claim_store_client_notes_between (KlDatabase  *db,
                                     const char  *customer_id,
                                     gint64       start,
                                     gint64       end,
                                     GError     **error)
{
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (KL_IS_DATABASE (db), NULL);

  stmt = kl_database_prepare (db,
                              "SELECT c.number, n.text FROM claim_notes n JOIN claims c ON c.id = n.claim_id "
                              "WHERE n.visibility = 'client' AND c.deleted = 0 "
                              "AND (?1 IS NULL OR c.customer_id = ?1) AND n.at >= ?2 AND n.at < ?3 "
                              "ORDER BY n.at, n.seq",
                              error);
  if (stmt == NULL)
    return NULL;
  kl_bind_text (stmt, 1, customer_id);
  sqlite3_bind_int64 (stmt, 2, start);
  sqlite3_bind_int64 (stmt, 3, end);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (out, g_strdup_printf ("%s: %s",
                                           (const char *) sqlite3_column_text (stmt, 0),
                                           (const char *) sqlite3_column_text (stmt, 1)));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      kl_database_set_error (db, error, _("Reading the client notes of the cases"));
      return NULL;
    }
  return g_steal_pointer (&out);
}

/* Writing */

static gboolean
next_number (KlDatabase   *db,
             KlClaimKind   kind,
             int           year,
             char        **out_number,
             GError      **error)
{
  g_autofree char *sample = kl_claim_format_number (kind, year, 0);
  g_autofree char *server = kl_database_get_setting (db, KL_SYNC_SETTING_SERVER);
  /* A workspace that syncs numbers its new cases provisionally (their own
   * sequence, "CLM-P"): the server gives the final number when it accepts
   * the create, and the numbers it gives are pulled beside these. */
  gboolean provisional = server != NULL && *server != '\0';
  g_autofree char *prefix = provisional ? g_strdup_printf ("%.3s-P", sample) : g_strndup (sample, 3);
  sqlite3_stmt *stmt;
  gint64 seq = 0;
  int rc;

  stmt = kl_database_prepare (db,
                              "INSERT INTO claim_sequences (prefix, year, last) VALUES (?, ?, 1) "
                              "ON CONFLICT (prefix, year) DO UPDATE SET last = last + 1 RETURNING last",
                              error);
  if (stmt == NULL)
    return FALSE;
  kl_bind_text (stmt, 1, prefix);
  sqlite3_bind_int (stmt, 2, year);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    seq = sqlite3_column_int64 (stmt, 0);
  if (rc == SQLITE_ROW)
    rc = sqlite3_step (stmt);
  if (rc != SQLITE_DONE)
    {
      kl_database_set_error (db, error, _("Numbering a claim"));
      sqlite3_reset (stmt);
      return FALSE;
    }
  sqlite3_reset (stmt);
  *out_number = provisional ? kl_claim_format_provisional_number (kind, year, seq)
                            : kl_claim_format_number (kind, year, seq);
  return TRUE;
}

static gboolean
customer_exists (KlDatabase  *db,
                 const char  *customer_id,
                 GError     **error)
{
  sqlite3_stmt *stmt;
  int rc;

  stmt = kl_database_prepare (db, "SELECT 1 FROM customers WHERE id = ?", error);
  if (stmt == NULL)
    return FALSE;
  kl_bind_text (stmt, 1, customer_id);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc == SQLITE_ROW)
    return TRUE;
  if (rc != SQLITE_DONE)
    return kl_database_set_error (db, error, _("Reading a customer"));
  g_set_error (error, KL_DATABASE_ERROR, KL_DATABASE_ERROR_NOT_FOUND,
               _("There is no customer with id “%s”"), customer_id);
  return FALSE;
}

/* What a case's filing warnings are worked out from, as it stood when the
 * case was filed: the warnings are worded on reading, in the reader's
 * language (kl-claim.c). */
typedef struct {
  gboolean known;          /* the waybill is on record */
  gint64   delivered_at;   /* KL_NO_TIME: unknown or not delivered */
  gboolean air;
  gboolean concealed;
} FilingFacts;

/* Looks up the shipment a case concerns. */
static gboolean
filing_facts (KlDatabase   *db,
              KlClaimKind   kind,
              const char   *waybill,
              gint64        filed_at,
              FilingFacts  *out,
              GError      **error)
{
  g_autoptr(KlShipment) shipment = NULL;
  g_autoptr(GError) local_error = NULL;
  g_auto(GStrv) warnings = NULL;

  *out = (FilingFacts) { FALSE, KL_NO_TIME, FALSE, FALSE };
  if (waybill == NULL)
    return TRUE;
  shipment = kl_shipment_store_get (db, waybill, &local_error);
  if (shipment == NULL)
    {
      if (g_error_matches (local_error, KL_DATABASE_ERROR, KL_DATABASE_ERROR_NOT_FOUND))
        return TRUE;
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  out->known = TRUE;
  out->delivered_at = shipment->delivered_at;
  out->air = shipment->mode == KL_MODE_AIR;
  if (filed_at == KL_NO_TIME)
    return TRUE;
  /* Only the flag is kept; lists show it without wording anything. */
  warnings = kl_claim_filing_warnings (kind, out->air, out->delivered_at, filed_at,
                                       kl_database_get_timezone (db), &out->concealed);
  return TRUE;
}

static gboolean
store_filing_facts (KlDatabase         *db,
                    const char         *id,
                    const FilingFacts  *facts,
                    GError            **error)
{
  sqlite3_stmt *stmt;

  stmt = kl_database_prepare (db,
                              "UPDATE claims SET shipment_known = ?, concealed_damage = ?, warnings = NULL, "
                              "delivered_at = ?, shipment_air = ? WHERE id = ?",
                              error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int (stmt, 1, facts->known ? 1 : 0);
  sqlite3_bind_int (stmt, 2, facts->concealed ? 1 : 0);
  kl_bind_time (stmt, 3, facts->delivered_at);
  sqlite3_bind_int (stmt, 4, facts->air ? 1 : 0);
  kl_bind_text (stmt, 5, id);
  return kl_database_step_done (db, stmt, error);
}

char *
kl_claim_store_create (KlDatabase        *db,
                       const KlClaimNew  *input,
                       GError           **error)
{
  g_autofree char *id = kl_uuid_new ();
  g_autofree char *number = NULL;
  g_autofree char *waybill = NULL;
  FilingFacts facts;
  KlClaimHistoryDraft opening = { 0 };
  KlClaimStatus status;
  gint64 created_at = _kl_claim_now ();
  gint64 filed_at;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (KL_IS_DATABASE (db), NULL);
  g_return_val_if_fail (input != NULL, NULL);
  g_return_val_if_fail (input->kind >= 0 && input->kind < KL_N_CLAIM_KINDS, NULL);

  if (kl_text_is_blank (input->customer_id))
    {
      g_set_error (error, KL_CLAIM_ERROR, KL_CLAIM_ERROR_MISSING_FIELD,
                   _("A case needs the customer it concerns"));
      return NULL;
    }
  if (input->draft && !kl_claim_kind_is_freight (input->kind))
    {
      g_set_error (error, KL_CLAIM_ERROR, KL_CLAIM_ERROR_BAD_MOVE,
                   _("Only freight claims can start as drafts; open the %s directly"),
                   kl_claim_kind_to_label (input->kind));
      return NULL;
    }
  if (input->claimed_set)
    {
      if (!kl_claim_kind_is_freight (input->kind))
        {
          g_set_error (error, KL_CLAIM_ERROR, KL_CLAIM_ERROR_AMOUNT,
                       _("Only freight claims carry a claimed amount; leave it out for a %s"),
                       kl_claim_kind_to_label (input->kind));
          return NULL;
        }
      if (input->claimed < 0)
        {
          g_set_error (error, KL_CLAIM_ERROR, KL_CLAIM_ERROR_AMOUNT,
                       _("The claimed amount may not be negative"));
          return NULL;
        }
      if (!kl_currency_check (input->currency, error))
        return NULL;
    }

  if (input->incident_date != NULL && !date_is_valid (input->incident_date))
    {
      g_set_error (error, KL_CLAIM_ERROR, KL_CLAIM_ERROR_MISSING_FIELD,
                   _("The incident date “%s” is not a date; write it like 2026-10-05"), input->incident_date);
      return NULL;
    }

  status = input->draft ? KL_CLAIM_STATUS_DRAFT : kl_claim_kind_initial_status (input->kind);
  filed_at = input->draft ? KL_NO_TIME : (input->filed_at != KL_NO_TIME ? input->filed_at : created_at);
  if (filed_at != KL_NO_TIME && filed_at < created_at)
    created_at = filed_at;
  else if (input->draft && input->filed_at != KL_NO_TIME)
    created_at = input->filed_at;
  waybill = dup_nonblank (input->waybill);

  if (!kl_database_begin (db, error))
    return NULL;
  if (!customer_exists (db, input->customer_id, error) ||
      !next_number (db, input->kind, local_year (db, filed_at != KL_NO_TIME ? filed_at : created_at),
                    &number, error) ||
      !filing_facts (db, input->kind, waybill, filed_at, &facts, error))
    goto fail;

  stmt = kl_database_prepare (db,
                              "INSERT INTO claims (id, number, customer_id, kind, status, waybill, incident_date, "
                              "description, currency, claimed_minor, filed_at, last_update_at, created_at, "
                              "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                              error);
  if (stmt == NULL)
    goto fail;
  kl_bind_text (stmt, 1, id);
  kl_bind_text (stmt, 2, number);
  kl_bind_text (stmt, 3, input->customer_id);
  kl_bind_text (stmt, 4, kl_claim_kind_to_string (input->kind));
  kl_bind_text (stmt, 5, kl_claim_status_to_string (status));
  kl_bind_text (stmt, 6, waybill);
  kl_bind_text (stmt, 7, input->incident_date);
  kl_bind_text (stmt, 8, kl_text_is_blank (input->description) ? NULL : input->description);
  kl_bind_text (stmt, 9, input->claimed_set ? input->currency : NULL);
  bind_amount (stmt, 10, input->claimed_set, input->claimed);
  kl_bind_time (stmt, 11, filed_at);
  kl_bind_time (stmt, 12, KL_NO_TIME);
  sqlite3_bind_int64 (stmt, 13, created_at);
  sqlite3_bind_int64 (stmt, 14, filed_at != KL_NO_TIME ? filed_at : created_at);
  if (!kl_database_step_done (db, stmt, error) ||
      !store_filing_facts (db, id, &facts, error))
    goto fail;

  /* The opening is one entry: the status the case starts in and the
   * amount claimed. */
  opening.at = filed_at != KL_NO_TIME ? filed_at : created_at;
  opening.by = input->by;
  opening.change = KL_CLAIM_CHANGE_CREATED;
  opening.field = "status";
  opening.new_value = kl_claim_status_to_string (status);
  opening.amount_set = input->claimed_set;
  opening.amount = input->claimed;
  opening.currency = input->claimed_set ? input->currency : NULL;
  opening.note = input->note;
  if (!_kl_claim_history_append (db, id, &opening, error) ||
      !kl_database_outbox_add (db, "claims", id, "create", NULL, 0, error) ||
      !kl_database_commit (db, error))
    goto fail;
  return g_steal_pointer (&id);

fail:
  kl_database_rollback (db);
  return NULL;
}

/* The SET part of an UPDATE built from fixed column names; values are bound. */
typedef struct {
  GString   *sql;
  GPtrArray *values;   /* GValue* */
  GPtrArray *fields;   /* API field names for the outbox */
} Changes;

static void
value_free (GValue *v)
{
  g_value_unset (v);
  g_free (v);
}

static void
changes_init (Changes *ch)
{
  ch->sql = g_string_new ("UPDATE claims SET updated_at = ?");
  ch->values = g_ptr_array_new_with_free_func ((GDestroyNotify) value_free);
  ch->fields = g_ptr_array_new_with_free_func (g_free);
}

static void
changes_clear (Changes *ch)
{
  g_string_free (ch->sql, TRUE);
  g_ptr_array_unref (ch->values);
  g_ptr_array_unref (ch->fields);
}

static void
changes_add_field (Changes *ch, const char *field)
{
  for (guint i = 0; i < ch->fields->len; i++)
    if (g_strcmp0 (g_ptr_array_index (ch->fields, i), field) == 0)
      return;
  g_ptr_array_add (ch->fields, g_strdup (field));
}

static void
changes_text (Changes *ch, const char *column, const char *field, const char *value)
{
  GValue *v = g_new0 (GValue, 1);

  g_value_init (v, G_TYPE_STRING);
  g_value_set_string (v, value);
  g_string_append_printf (ch->sql, ", %s = ?", column);
  g_ptr_array_add (ch->values, v);
  if (field != NULL)
    changes_add_field (ch, field);
}

/* KL_NO_TIME (times) or !set (amounts) store NULL. */
static void
changes_int (Changes *ch, const char *column, const char *field, gboolean set, gint64 value)
{
  GValue *v = g_new0 (GValue, 1);

  if (set)
    {
      g_value_init (v, G_TYPE_INT64);
      g_value_set_int64 (v, value);
    }
  else
    g_value_init (v, G_TYPE_POINTER);
  g_string_append_printf (ch->sql, ", %s = ?", column);
  g_ptr_array_add (ch->values, v);
  if (field != NULL)
    changes_add_field (ch, field);
}

static gboolean
changes_apply (KlDatabase  *db,
               Changes     *ch,
               const char  *id,
               gint64       at,
               GError     **error)
{
  sqlite3_stmt *stmt;
  int idx = 1;

  g_string_append (ch->sql, " WHERE id = ?");
  stmt = kl_database_prepare (db, ch->sql->str, error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, idx++, at);
  for (guint i = 0; i < ch->values->len; i++, idx++)
    {
      GValue *v = g_ptr_array_index (ch->values, i);

      if (G_VALUE_HOLDS_STRING (v))
        kl_bind_text (stmt, idx, g_value_get_string (v));
      else if (G_VALUE_HOLDS_INT64 (v))
        sqlite3_bind_int64 (stmt, idx, g_value_get_int64 (v));
      else
        sqlite3_bind_null (stmt, idx);
    }
  kl_bind_text (stmt, idx, id);
  return kl_database_step_done (db, stmt, error);
}

static gboolean
outbox_update (KlDatabase  *db,
               Changes     *ch,
               const KlClaim *c,
               GError     **error)
{
  g_autofree char *fields = NULL;

  g_ptr_array_add (ch->fields, NULL);
  fields = g_strjoinv (",", (char **) ch->fields->pdata);
  g_ptr_array_set_size (ch->fields, ch->fields->len - 1);
  return kl_database_outbox_add (db, "claims", c->id, "update", fields, c->revision, error);
}

/* Moves */

gboolean
kl_claim_store_move (KlDatabase         *db,
                     const char         *id,
                     const KlClaimMove  *move,
                     GError            **error)
{
  g_autoptr(KlClaim) c = NULL;
  g_autofree char *rma = NULL;
  FilingFacts facts;
  KlClaimMoveCheck check;
  KlClaimHistoryDraft entry = { 0 };
  Changes ch;
  gint64 at;
  gboolean ok = FALSE;

  g_return_val_if_fail (KL_IS_DATABASE (db), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);
  g_return_val_if_fail (move != NULL, FALSE);
  g_return_val_if_fail (move->to >= 0 && move->to < KL_N_CLAIM_STATUSES, FALSE);

  at = move->at != KL_NO_TIME ? move->at : _kl_claim_now ();

  if (!kl_database_begin (db, error))
    return FALSE;
  c = _kl_claim_read (db, id, error);
  if (c == NULL)
    {
      kl_database_rollback (db);
      return FALSE;
    }

  kl_claim_move_check_init (&check, c, move);

  if (!kl_claim_check_move (&check, error))
    {
      /* The lifecycle's error goes back as it is; nothing was written. */
      kl_database_rollback (db);
      return FALSE;
    }

  changes_init (&ch);
  entry.at = at;
  entry.by = move->by;
  entry.change = KL_CLAIM_CHANGE_MOVED;
  entry.field = "status";
  entry.old_value = kl_claim_status_to_string (c->status);
  entry.new_value = kl_claim_status_to_string (move->to);
  entry.note = move->note;
  changes_text (&ch, "status", "status", kl_claim_status_to_string (move->to));
  changes_int (&ch, "last_update_at", NULL, TRUE, at);

  if (c->status == KL_CLAIM_STATUS_DRAFT && move->to == KL_CLAIM_STATUS_FILED)
    {
      /* Filing a draft: the clock starts now, and the warnings are those of
       * this filing date. */
      changes_int (&ch, "filed_at", "filed_at", TRUE, at);
      if (!filing_facts (db, c->kind, c->waybill, at, &facts, error))
        goto out;
      changes_int (&ch, "shipment_known", NULL, TRUE, facts.known);
      changes_int (&ch, "concealed_damage", NULL, TRUE, facts.concealed);
      changes_text (&ch, "warnings", NULL, NULL);
      changes_int (&ch, "delivered_at", NULL, facts.delivered_at != KL_NO_TIME, facts.delivered_at);
      changes_int (&ch, "shipment_air", NULL, TRUE, facts.air);
    }
  if ((c->status == KL_CLAIM_STATUS_FILED || c->status == KL_CLAIM_STATUS_OPEN) &&
      c->acknowledged_at == KL_NO_TIME)
    changes_int (&ch, "acknowledged_at", "acknowledged_at", TRUE, at);
  if (move->to == KL_CLAIM_STATUS_CLOSED)
    changes_int (&ch, "closed_at", "closed_at", TRUE, at);
  else if (c->closed_at != KL_NO_TIME)
    changes_int (&ch, "closed_at", "closed_at", FALSE, 0);

  if (move->to == KL_CLAIM_STATUS_APPROVED && move->amount_set)
    {
      changes_int (&ch, "approved_minor", "approved", TRUE, move->amount);
      entry.amount_set = TRUE;
      entry.amount = move->amount;
      entry.currency = c->currency;
    }
  if (move->to == KL_CLAIM_STATUS_PAID)
    {
      gint64 paid = move->amount_set ? move->amount : c->paid;

      if (move->amount_set)
        {
          changes_int (&ch, "paid_minor", "paid", TRUE, paid);
          entry.amount_set = TRUE;
          entry.amount = paid;
          entry.currency = c->currency;
        }
      changes_int (&ch, "paid_at", NULL, TRUE, at);
    }

  if (c->kind == KL_CLAIM_KIND_RETURN && move->to == KL_CLAIM_STATUS_AUTHORIZED)
    {
      /* The case number is the RMA the goods travel back under; it is
       * issued to the client when the return is authorized. */
      rma = g_strdup (c->number);
      changes_text (&ch, "rma_number", "rma_number", rma);
      changes_text (&ch, "return_destination", "return_destination", check.return_destination);
      changes_text (&ch, "label_carrier", "label_carrier", check.label_carrier);
      changes_text (&ch, "label_number", "label_number", check.label_number);
      entry.rma_number = rma;
      entry.return_destination = check.return_destination;
      entry.label_carrier = check.label_carrier;
      entry.label_number = check.label_number;
    }
  if (c->kind == KL_CLAIM_KIND_RETURN && move->to == KL_CLAIM_STATUS_IN_TRANSIT)
    {
      changes_text (&ch, "return_tracking", "return_tracking", check.return_tracking);
      entry.return_tracking = check.return_tracking;
    }
  if (c->kind == KL_CLAIM_KIND_RETURN && move->to == KL_CLAIM_STATUS_RESOLVED)
    {
      changes_text (&ch, "outcome", "outcome", kl_return_outcome_to_string (check.outcome));
      entry.outcome = kl_return_outcome_to_string (check.outcome);
    }
  if (!kl_text_is_blank (move->corrective_action) &&
      g_strcmp0 (move->corrective_action, c->corrective_action) != 0)
    {
      changes_text (&ch, "corrective_action", "corrective_action", move->corrective_action);
      entry.corrective_action = move->corrective_action;
    }
  if (!kl_text_is_blank (move->reason))
    entry.reason = move->reason;

  if (changes_apply (db, &ch, c->id, at, error) &&
      _kl_claim_history_append (db, c->id, &entry, error) &&
      outbox_update (db, &ch, c, error) &&
      kl_database_commit (db, error))
    ok = TRUE;

out:
  changes_clear (&ch);
  if (!ok)
    kl_database_rollback (db);
  return ok;
}

/* Field updates */

/* An entry of an update; the update's note goes on its first entry. */
static gboolean
add_change (KlDatabase           *db,
            const KlClaim        *c,
            const KlClaimUpdate  *u,
            gint64                at,
            KlClaimChange         change,
            const char           *field,
            const char           *old_value,
            const char           *new_value,
            const char           *currency,
            const char          **note,
            GError              **error)
{
  KlClaimHistoryDraft entry = { 0 };

  entry.at = at;
  entry.by = u->by;
  entry.change = change;
  entry.field = field;
  entry.old_value = old_value;
  entry.new_value = new_value;
  entry.currency = currency;
  entry.note = *note;
  if (!_kl_claim_history_append (db, c->id, &entry, error))
    return FALSE;
  *note = NULL;
  return TRUE;
}

static gboolean
text_change (Changes             *ch,
             KlDatabase          *db,
             const KlClaim       *c,
             const char          *column,
             const char          *field,
             const char          *old_value,
             const char          *given,
             const KlClaimUpdate *u,
             gint64               at,
             const char         **note,
             GError             **error)
{
  g_autofree char *value = dup_nonblank (given);

  if (g_strcmp0 (value, old_value) == 0)
    return TRUE;
  changes_text (ch, column, field, value);
  return add_change (db, c, u, at, KL_CLAIM_CHANGE_FIELD, field, old_value, value, NULL, note, error);
}

gboolean
kl_claim_store_update (KlDatabase           *db,
                       const char           *id,
                       const KlClaimUpdate  *u,
                       GError              **error)
{
  g_autoptr(KlClaim) c = NULL;
  g_autofree char *currency = NULL;
  const char *note;
  Changes ch;
  gint64 at;
  gboolean ok = FALSE;
  KlClaimDocuments documents;

  g_return_val_if_fail (KL_IS_DATABASE (db), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);
  g_return_val_if_fail (u != NULL, FALSE);

  at = u->at != KL_NO_TIME ? u->at : _kl_claim_now ();
  note = kl_text_is_blank (u->note) ? NULL : u->note;

  if (u->documents_add & u->documents_remove)
    {
      g_set_error (error, KL_CLAIM_ERROR, KL_CLAIM_ERROR_MISSING_FIELD,
                   _("A document cannot be both added and removed in one change"));
      return FALSE;
    }

  if (!kl_database_begin (db, error))
    return FALSE;
  c = _kl_claim_read (db, id, error);
  if (c == NULL)
    {
      kl_database_rollback (db);
      return FALSE;
    }

  /* Amount bounds first, so a refused change writes nothing. */
  currency = g_strdup (c->currency);
  if (u->claimed_set || u->salvage_set)
    {
      gint64 claimed = u->claimed_set ? u->claimed : c->claimed;
      gboolean claimed_set = u->claimed_set || c->claimed_set;

      if (!kl_claim_kind_is_freight (c->kind))
        {
          g_set_error (error, KL_CLAIM_ERROR, KL_CLAIM_ERROR_AMOUNT,
                       _("Only freight claims carry amounts; %s is a %s"),
                       c->number, kl_claim_kind_to_label (c->kind));
          goto fail;
        }
      if (u->currency != NULL && currency != NULL && g_strcmp0 (u->currency, currency) != 0)
        {
          g_set_error (error, KL_CLAIM_ERROR, KL_CLAIM_ERROR_AMOUNT,
                       _("%s is kept in %s; give the amount in %s, not %s"),
                       c->number, currency, currency, u->currency);
          goto fail;
        }
      if (currency == NULL)
        {
          if (!kl_currency_check (u->currency, error))
            goto fail;
          currency = g_strdup (u->currency);
        }
      if ((u->claimed_set && u->claimed < 0) || (u->salvage_set && u->salvage < 0))
        {
          g_set_error (error, KL_CLAIM_ERROR, KL_CLAIM_ERROR_AMOUNT,
                       _("Amounts may not be negative"));
          goto fail;
        }
      if (u->claimed_set && c->approved_set && u->claimed < c->approved)
        {
          g_autofree char *label = _kl_claim_amount_label (TRUE, c->approved, currency);

          g_set_error (error, KL_CLAIM_ERROR, KL_CLAIM_ERROR_AMOUNT,
                       _("The claimed amount may not be less than the %s already approved"), label);
          goto fail;
        }
      if (u->salvage_set && (!claimed_set || u->salvage > claimed))
        {
          g_set_error (error, KL_CLAIM_ERROR, KL_CLAIM_ERROR_AMOUNT,
                       _("The salvage value may not exceed the claimed amount; set the claimed amount first"));
          goto fail;
        }
      if (!u->salvage_set && u->claimed_set && c->salvage_set && c->salvage > u->claimed)
        {
          g_set_error (error, KL_CLAIM_ERROR, KL_CLAIM_ERROR_AMOUNT,
                       _("The claimed amount may not be less than the recorded salvage value"));
          goto fail;
        }
    }

  changes_init (&ch);

  if ((u->owner_set &&
       !text_change (&ch, db, c, "owner", "owner", c->owner, u->owner, u, at, &note, error)) ||
      (u->root_cause_set &&
       !text_change (&ch, db, c, "root_cause", "root_cause", c->root_cause,
                     u->root_cause, u, at, &note, error)) ||
      (u->corrective_action_set &&
       !text_change (&ch, db, c, "corrective_action", "corrective_action",
                     c->corrective_action, u->corrective_action, u, at, &note, error)))
    goto out;

  documents = c->documents;
  for (int d = 0; d < KL_N_CLAIM_DOCUMENTS; d++)
    {
      guint bit = KL_CLAIM_DOCUMENT_BIT (d);
      gboolean had = (c->documents & bit) != 0;
      g_autofree char *field = NULL;

      if ((u->documents_add & bit) && !had)
        documents |= bit;
      else if ((u->documents_remove & bit) && had)
        documents &= ~bit;
      else
        continue;
      field = g_strdup_printf ("document:%s", kl_claim_document_to_string (d));
      if (!add_change (db, c, u, at, KL_CLAIM_CHANGE_DOCUMENT, field, had ? "yes" : "no",
                       had ? "no" : "yes", NULL, &note, error))
        goto out;
    }
  if (documents != c->documents)
    changes_int (&ch, "documents", "documents", TRUE, documents);

  if (u->claimed_set && (!c->claimed_set || u->claimed != c->claimed))
    {
      g_autofree char *old_text = amount_text (c->claimed_set, c->claimed);
      g_autofree char *new_text = amount_text (TRUE, u->claimed);

      changes_int (&ch, "claimed_minor", "claimed", TRUE, u->claimed);
      if (c->currency == NULL)
        changes_text (&ch, "currency", "currency", currency);
      if (!add_change (db, c, u, at, KL_CLAIM_CHANGE_FIELD, "claimed", old_text, new_text, currency,
                       &note, error))
        goto out;
    }
  if (u->salvage_set && (!c->salvage_set || u->salvage != c->salvage))
    {
      g_autofree char *old_text = amount_text (c->salvage_set, c->salvage);
      g_autofree char *new_text = amount_text (TRUE, u->salvage);

      changes_int (&ch, "salvage_minor", "salvage", TRUE, u->salvage);
      if (!add_change (db, c, u, at, KL_CLAIM_CHANGE_FIELD, "salvage", old_text, new_text, currency,
                       &note, error))
        goto out;
    }

  if (ch.fields->len == 0 && note == NULL)
    {
      /* Nothing changed: nothing to write. */
      ok = kl_database_commit (db, error);
      goto out;
    }
  if (ch.fields->len == 0)
    {
      if (!add_change (db, c, u, at, KL_CLAIM_CHANGE_NOTE, NULL, NULL, NULL, NULL, &note, error))
        goto out;
      changes_add_field (&ch, "history");
    }
  if (changes_apply (db, &ch, c->id, at, error) &&
      outbox_update (db, &ch, c, error) &&
      kl_database_commit (db, error))
    ok = TRUE;

out:
  changes_clear (&ch);
  if (!ok)
    kl_database_rollback (db);
  return ok;

fail:
  kl_database_rollback (db);
  return FALSE;
}

gboolean
kl_claim_store_add_note (KlDatabase            *db,
                         const char            *id,
                         KlClaimNoteVisibility  visibility,
                         const char            *text,
                         const char            *by,
                         gint64                 at,
                         GError               **error)
{
  g_autoptr(KlClaim) c = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (KL_IS_DATABASE (db), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);

  if (kl_text_is_blank (text))
    {
      g_set_error (error, KL_CLAIM_ERROR, KL_CLAIM_ERROR_MISSING_FIELD, _("A note needs some text"));
      return FALSE;
    }
  if (at == KL_NO_TIME)
    at = _kl_claim_now ();

  if (!kl_database_begin (db, error))
    return FALSE;
  c = _kl_claim_read (db, id, error);
  if (c == NULL)
    goto fail;
  stmt = kl_database_prepare (db,
                              "INSERT INTO claim_notes (claim_id, visibility, text, at, by) VALUES (?, ?, ?, ?, ?)",
                              error);
  if (stmt == NULL)
    goto fail;
  kl_bind_text (stmt, 1, c->id);
  kl_bind_text (stmt, 2, visibility == KL_CLAIM_NOTE_CLIENT ? "client" : "internal");
  kl_bind_text (stmt, 3, text);
  sqlite3_bind_int64 (stmt, 4, at);
  kl_bind_text (stmt, 5, _kl_claim_who (by));
  if (!kl_database_step_done (db, stmt, error) ||
      /* the sync pushes it as the patch's note (docs/sync.md) */
      !kl_database_outbox_add (db, "claims", c->id, "update", "note", c->revision, error))
    goto fail;
  if (visibility == KL_CLAIM_NOTE_CLIENT && (c->last_update_at == KL_NO_TIME || at > c->last_update_at))
    {
      stmt = kl_database_prepare (db, "UPDATE claims SET last_update_at = ? WHERE id = ?", error);
      if (stmt == NULL)
        goto fail;
      sqlite3_bind_int64 (stmt, 1, at);
      kl_bind_text (stmt, 2, c->id);
      if (!kl_database_step_done (db, stmt, error))
        goto fail;
    }
  if (!kl_database_commit (db, error))
    goto fail;
  return TRUE;

fail:
  kl_database_rollback (db);
  return FALSE;
}

gboolean
kl_claim_store_clear_all (KlDatabase  *db,
                          GError     **error)
{
  g_return_val_if_fail (KL_IS_DATABASE (db), FALSE);

  if (!kl_database_begin (db, error))
    return FALSE;
  /* The guards of the history are dropped and put back inside one
   * transaction, so no other writer ever sees the table unguarded. */
  if (!kl_database_exec (db,
                         "DROP TRIGGER claim_history_no_delete;"
                         "DELETE FROM claim_history;"
                         "DELETE FROM claim_notes;"
                         "DELETE FROM claims;"
                         "DELETE FROM claim_sequences;",
                         error) ||
      !kl_database_exec (db, "DROP TRIGGER claim_history_no_update;"
                             "DROP TRIGGER claim_history_no_replace;"
                             "DROP TRIGGER claim_history_append_last;", error) ||
      !kl_database_exec (db, _kl_claim_history_guards, error) ||
      !kl_database_commit (db, error))
    {
      kl_database_rollback (db);
      return FALSE;
    }
  return TRUE;
}
