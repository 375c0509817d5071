/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A case's history as data: appending an entry to its hash chain, reading
 * it, wording it for the reader, and checking every chain. */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "kl-database-private.h"
#include "kl-claim-store-private.h"
#include "kl-records.h"

static const char * const change_tokens[] = {
  "created", "moved", "field", "document", "note",
};
G_STATIC_ASSERT (G_N_ELEMENTS (change_tokens) == KL_N_CLAIM_CHANGES);

const char *
kl_claim_change_to_string (KlClaimChange change)
{
  g_return_val_if_fail ((int) change >= 0 && change < KL_N_CLAIM_CHANGES, NULL);
  return change_tokens[change];
}

static gboolean
kl_claim_change_from_string (const char    *text,
                             KlClaimChange *out_change)
{
  for (guint i = 0; i < KL_N_CLAIM_CHANGES; i++)
    if (g_strcmp0 (text, change_tokens[i]) == 0)
      {
        if (out_change != NULL)
          *out_change = (KlClaimChange) i;
        return TRUE;
      }
  return FALSE;
}

void
kl_claim_history_entry_free (KlClaimHistoryEntry *self)
{
  if (self == NULL)
    return;
  g_free (self->by);
  g_free (self->field);
  g_free (self->old_value);
  g_free (self->new_value);
  g_free (self->currency);
  g_free (self->reason);
  g_free (self->corrective_action);
  g_free (self->rma_number);
  g_free (self->return_destination);
  g_free (self->label_carrier);
  g_free (self->label_number);
  g_free (self->return_tracking);
  g_free (self->outcome);
  g_free (self->note);
  g_free (self->legacy_text);
  g_free (self->prev_hash);
  g_free (self->hash);
  g_free (self);
}

/* The hash chain */

/* Each value is written with its length, so no choice of texts makes two
 * different entries read alike; NULL differs from "". */
static void
hash_text (GChecksum  *sum,
           const char *text)
{
  g_autofree char *head = NULL;

  if (text == NULL)
    {
      g_checksum_update (sum, (const guchar *) "N;", 2);
      return;
    }
  head = g_strdup_printf ("S%" G_GSIZE_FORMAT ":", strlen (text));
  g_checksum_update (sum, (const guchar *) head, -1);
  g_checksum_update (sum, (const guchar *) text, -1);
}

static void
hash_int (GChecksum *sum,
          gboolean   set,
          gint64     value)
{
  g_autofree char *text = set ? g_strdup_printf ("%" G_GINT64_FORMAT, value) : NULL;

  hash_text (sum, text);
}

/* SHA-256 of the previous hash and everything the entry says, seq left
 * out: the chain, not the row number, orders a case's entries. */
static char *
entry_hash (const char                *prev_hash,
            const char                *claim_id,
            const KlClaimHistoryDraft *d)
{
  g_autoptr(GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);

  hash_text (sum, "keyline claim history 1");
  hash_text (sum, prev_hash);
  hash_text (sum, claim_id);
  hash_int (sum, TRUE, d->at);
  hash_text (sum, d->by);
  hash_text (sum, kl_claim_change_to_string (d->change));
  hash_text (sum, d->field);
  hash_text (sum, d->old_value);
  hash_text (sum, d->new_value);
  hash_int (sum, d->amount_set, d->amount);
  hash_text (sum, d->currency);
  hash_text (sum, d->reason);
  hash_text (sum, d->corrective_action);
  hash_text (sum, d->rma_number);
  hash_text (sum, d->return_destination);
  hash_text (sum, d->label_carrier);
  hash_text (sum, d->label_number);
  hash_text (sum, d->return_tracking);
  hash_text (sum, d->outcome);
  hash_text (sum, d->note);
  hash_text (sum, d->legacy_text);
  return g_strdup (g_checksum_get_string (sum));
}

static void
draft_from_entry (const KlClaimHistoryEntry *e,
                  KlClaimHistoryDraft       *d)
{
  *d = (KlClaimHistoryDraft) {
    .at = e->at, .by = e->by, .change = e->change, .field = e->field,
    .old_value = e->old_value, .new_value = e->new_value,
    .amount_set = e->amount_set, .amount = e->amount, .currency = e->currency,
    .reason = e->reason, .corrective_action = e->corrective_action,
    .rma_number = e->rma_number, .return_destination = e->return_destination,
    .label_carrier = e->label_carrier, .label_number = e->label_number,
    .return_tracking = e->return_tracking, .outcome = e->outcome,
    .note = e->note, .legacy_text = e->legacy_text,
  };
}

/* Read from claim_history AS h. */
#define ENTRY_COLUMNS \
  "h.seq, h.at, h.by, h.change, h.field, h.old_value, h.new_value, h.amount_minor, h.currency, " \
  "h.reason, h.corrective_action, h.rma_number, h.return_destination, h.label_carrier, " \
  "h.label_number, h.return_tracking, h.outcome, h.note, h.legacy_text, h.prev_hash, h.hash"

static KlClaimHistoryEntry *
entry_from_row (sqlite3_stmt *stmt,
                int           i)
{
  KlClaimHistoryEntry *e = g_new0 (KlClaimHistoryEntry, 1);
  const char *change;

  e->seq = sqlite3_column_int64 (stmt, i++);
  e->at = kl_column_time (stmt, i++);
  e->by = kl_column_dup_text (stmt, i++);
  change = (const char *) sqlite3_column_text (stmt, i++);
  if (!kl_claim_change_from_string (change, &e->change))
    e->change = KL_CLAIM_CHANGE_NOTE;
  e->field = kl_column_dup_text (stmt, i++);
  e->old_value = kl_column_dup_text (stmt, i++);
  e->new_value = kl_column_dup_text (stmt, i++);
  e->amount_set = sqlite3_column_type (stmt, i) != SQLITE_NULL;
  e->amount = sqlite3_column_int64 (stmt, i++);
  e->currency = kl_column_dup_text (stmt, i++);
  e->reason = kl_column_dup_text (stmt, i++);
  e->corrective_action = kl_column_dup_text (stmt, i++);
  e->rma_number = kl_column_dup_text (stmt, i++);
  e->return_destination = kl_column_dup_text (stmt, i++);
  e->label_carrier = kl_column_dup_text (stmt, i++);
  e->label_number = kl_column_dup_text (stmt, i++);
  e->return_tracking = kl_column_dup_text (stmt, i++);
  e->outcome = kl_column_dup_text (stmt, i++);
  e->note = kl_column_dup_text (stmt, i++);
  e->legacy_text = kl_column_dup_text (stmt, i++);
  e->prev_hash = kl_column_dup_text (stmt, i++);
  e->hash = kl_column_dup_text (stmt, i++);
  if (e->prev_hash == NULL)
    e->prev_hash = g_strdup ("");
  return e;
}

/* The hash of the case's newest entry, "" when it has none. */
static gboolean
last_hash (KlDatabase  *db,
           const char  *claim_id,
           char       **out_hash,
           GError     **error)
{
  sqlite3_stmt *stmt;
  int rc;

  stmt = kl_database_prepare (db,
                              "SELECT hash FROM claim_history WHERE claim_id = ? ORDER BY seq DESC LIMIT 1",
                              error);
  if (stmt == NULL)
    return FALSE;
  kl_bind_text (stmt, 1, claim_id);
  rc = sqlite3_step (stmt);
  *out_hash = rc == SQLITE_ROW ? kl_column_dup_text (stmt, 0) : NULL;
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return kl_database_set_error (db, error, _("Reading a claim’s history"));
  if (*out_hash == NULL)
    *out_hash = g_strdup ("");
  return TRUE;
}

gboolean
_kl_claim_history_append (KlDatabase                 *db,
                          const char                 *claim_id,
                          const KlClaimHistoryDraft  *draft,
                          GError                    **error)
{
  KlClaimHistoryDraft d = *draft;
  g_autofree char *prev = NULL;
  g_autofree char *hash = NULL;
  sqlite3_stmt *stmt;
  int i = 1;

  d.by = _kl_claim_who (draft->by);
  if (kl_text_is_blank (d.note))
    d.note = NULL;
  if (!last_hash (db, claim_id, &prev, error))
    return FALSE;
  hash = entry_hash (prev, claim_id, &d);

  stmt = kl_database_prepare (db,
                              "INSERT INTO claim_history (claim_id, at, by, change, field, old_value, new_value, "
                              "amount_minor, currency, reason, corrective_action, rma_number, return_destination, "
                              "label_carrier, label_number, return_tracking, outcome, note, legacy_text, "
                              "prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                              error);
  if (stmt == NULL)
    return FALSE;
  kl_bind_text (stmt, i++, claim_id);
  sqlite3_bind_int64 (stmt, i++, d.at);
  kl_bind_text (stmt, i++, d.by);
  kl_bind_text (stmt, i++, kl_claim_change_to_string (d.change));
  kl_bind_text (stmt, i++, d.field);
  kl_bind_text (stmt, i++, d.old_value);
  kl_bind_text (stmt, i++, d.new_value);
  if (d.amount_set)
    sqlite3_bind_int64 (stmt, i++, d.amount);
  else
    sqlite3_bind_null (stmt, i++);
  kl_bind_text (stmt, i++, d.currency);
  kl_bind_text (stmt, i++, d.reason);
  kl_bind_text (stmt, i++, d.corrective_action);
  kl_bind_text (stmt, i++, d.rma_number);
  kl_bind_text (stmt, i++, d.return_destination);
  kl_bind_text (stmt, i++, d.label_carrier);
  kl_bind_text (stmt, i++, d.label_number);
  kl_bind_text (stmt, i++, d.return_tracking);
  kl_bind_text (stmt, i++, d.outcome);
  kl_bind_text (stmt, i++, d.note);
  kl_bind_text (stmt, i++, d.legacy_text);
  kl_bind_text (stmt, i++, prev);
  kl_bind_text (stmt, i++, hash);
  return kl_database_step_done (db, stmt, error);
}

GPtrArray *
kl_claim_store_history (KlDatabase  *db,
                        const char  *id,
                        GError     **error)
{
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func ((GDestroyNotify) kl_claim_history_entry_free);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (KL_IS_DATABASE (db), NULL);

  stmt = kl_database_prepare (db,
                              "SELECT " ENTRY_COLUMNS " FROM claim_history h WHERE h.claim_id = ? ORDER BY h.at, h.seq",
                              error);
  if (stmt == NULL)
    return NULL;
  kl_bind_text (stmt, 1, id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (out, entry_from_row (stmt, 0));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      kl_database_set_error (db, error, _("Reading a claim’s history"));
      return NULL;
    }
  return g_steal_pointer (&out);
}

/* Wording */

static const char *
status_label (const char *token)
{
  KlClaimStatus status;

  if (token != NULL && kl_claim_status_from_string (token, &status))
    return kl_claim_status_to_label (status);
  return token != NULL ? token : "";
}

static const char *
field_label (const char *field)
{
  if (g_strcmp0 (field, "owner") == 0)
    return _("owner");
  if (g_strcmp0 (field, "root_cause") == 0)
    return _("root cause");
  if (g_strcmp0 (field, "corrective_action") == 0)
    return _("corrective action");
  return field != NULL ? field : "";
}

static char *
value_amount_label (const char *minor_text,
                    const char *currency)
{
  gint64 minor;
  char *end = NULL;

  if (minor_text == NULL)
    return _kl_claim_amount_label (FALSE, 0, currency);
  minor = g_ascii_strtoll (minor_text, &end, 10);
  if (end == minor_text || *end != '\0')
    return g_strdup (minor_text);
  return _kl_claim_amount_label (TRUE, minor, currency);
}

static void
describe_move (const KlClaimHistoryEntry *e,
               GString                   *s)
{
  KlClaimStatus to = KL_CLAIM_STATUS_DRAFT;

  kl_claim_status_from_string (e->new_value, &to);
  g_string_printf (s, _("Moved from %s to %s"), status_label (e->old_value), status_label (e->new_value));
  if (e->amount_set && to == KL_CLAIM_STATUS_APPROVED)
    {
      g_autofree char *label = _kl_claim_amount_label (TRUE, e->amount, e->currency);
      g_string_append_printf (s, _("; approved %s"), label);
    }
  if (e->amount_set && to == KL_CLAIM_STATUS_PAID)
    {
      g_autofree char *label = _kl_claim_amount_label (TRUE, e->amount, e->currency);
      g_string_append_printf (s, _("; paid %s"), label);
    }
  if (e->rma_number != NULL)
    g_string_append_printf (s, _("; RMA %s, back to %s with %s label %s"), e->rma_number,
                            e->return_destination ? e->return_destination : "",
                            e->label_carrier ? e->label_carrier : "",
                            e->label_number ? e->label_number : "");
  if (e->return_tracking != NULL)
    g_string_append_printf (s, _("; return tracking %s"), e->return_tracking);
  if (e->outcome != NULL)
    {
      KlReturnOutcome outcome;

      g_string_append_printf (s, _("; outcome %s"),
                              kl_return_outcome_from_string (e->outcome, &outcome)
                              ? kl_return_outcome_to_label (outcome) : e->outcome);
    }
  if (e->corrective_action != NULL)
    g_string_append_printf (s, _("; corrective action: %s"), e->corrective_action);
  if (e->reason != NULL)
    g_string_append_printf (s, _("; reason: %s"), e->reason);
}

char *
kl_claim_history_entry_describe (const KlClaimHistoryEntry *e)
{
  g_autoptr(GString) s = g_string_new (NULL);

  g_return_val_if_fail (e != NULL, NULL);

  switch (e->change)
    {
    case KL_CLAIM_CHANGE_CREATED:
      if (e->amount_set)
        {
          g_autofree char *label = _kl_claim_amount_label (TRUE, e->amount, e->currency);

          /* Translators: %s: a status, %s: amount and currency */
          g_string_printf (s, _("Opened as %s, claiming %s"), status_label (e->new_value), label);
        }
      else
        /* Translators: %s: the status a case was opened in */
        g_string_printf (s, _("Opened as %s"), status_label (e->new_value));
      break;

    case KL_CLAIM_CHANGE_MOVED:
      describe_move (e, s);
      break;

    case KL_CLAIM_CHANGE_FIELD:
      if (g_strcmp0 (e->field, "claimed") == 0 || g_strcmp0 (e->field, "salvage") == 0)
        {
          g_autofree char *old_label = value_amount_label (e->old_value, e->currency);
          g_autofree char *new_label = value_amount_label (e->new_value, e->currency);

          if (g_strcmp0 (e->field, "claimed") == 0)
            g_string_printf (s, _("Changed the claimed amount from %s to %s"), old_label, new_label);
          else
            g_string_printf (s, _("Changed the salvage value from %s to %s"), old_label, new_label);
        }
      else if (e->new_value == NULL)
        /* Translators: %s: a field such as “owner” */
        g_string_printf (s, _("Cleared the %s (was “%s”)"), field_label (e->field),
                         e->old_value ? e->old_value : "");
      else if (e->old_value == NULL)
        g_string_printf (s, _("Set the %s to “%s”"), field_label (e->field), e->new_value);
      else
        g_string_printf (s, _("Changed the %s from “%s” to “%s”"), field_label (e->field),
                         e->old_value, e->new_value);
      break;

    case KL_CLAIM_CHANGE_DOCUMENT:
      {
        const char *name = e->field != NULL && g_str_has_prefix (e->field, "document:")
                           ? e->field + strlen ("document:") : e->field;
        KlClaimDocument doc;
        const char *label = name != NULL && kl_claim_document_from_string (name, &doc)
                            ? kl_claim_document_to_label (doc) : (name ? name : "");

        if (g_strcmp0 (e->new_value, "yes") == 0)
          g_string_printf (s, _("Received the %s"), label);
        else
          g_string_printf (s, _("Removed the %s from the documents"), label);
      }
      break;

    case KL_CLAIM_CHANGE_NOTE:
    case KL_N_CLAIM_CHANGES:
    default:
      g_string_assign (s, _("Added a note"));
      break;
    }

  /* Entries from before schema 5 were kept as sentences; what they said
   * beyond the data (amounts, reasons) is only in that text. */
  if (e->legacy_text != NULL && g_strcmp0 (e->legacy_text, s->str) != 0)
    /* Translators: %s: an old history sentence, in the language it was written in */
    g_string_append_printf (s, _(" (recorded as “%s”)"), e->legacy_text);
  return g_string_free (g_steal_pointer (&s), FALSE);
}

/* Checking */

static void
add_finding (GPtrArray  *findings,
             const char *format,
             ...) G_GNUC_PRINTF (2, 3);

static void
add_finding (GPtrArray  *findings,
             const char *format,
             ...)
{
  va_list args;

  va_start (args, format);
  g_ptr_array_add (findings, g_strdup_vprintf (format, args));
  va_end (args);
}

typedef struct {
  char    *claim_id;
  char    *number;
  char    *claim_status;    /* NULL when the case does not exist */
  char    *prev_hash;       /* the hash the next entry must follow */
  char    *last_status;     /* the status the history last moved to */
  guint    n_entries;
} Chain;

static void
chain_finish (Chain     *chain,
              GPtrArray *findings)
{
  if (chain->claim_id == NULL)
    return;
  if (chain->claim_status == NULL)
    add_finding (findings,
                 _("Claim history: entries belong to a case “%s” that does not exist; restore the workspace from its backup."),
                 chain->claim_id);
  else if (g_strcmp0 (chain->claim_status, chain->last_status) != 0)
    add_finding (findings,
                 _("Claim %s: its status is “%s” but its history last moved it to “%s”: the status was changed without a history entry. Restore the workspace from its backup."),
                 chain->number, chain->claim_status, chain->last_status ? chain->last_status : "");
  g_clear_pointer (&chain->claim_id, g_free);
  g_clear_pointer (&chain->number, g_free);
  g_clear_pointer (&chain->claim_status, g_free);
  g_clear_pointer (&chain->prev_hash, g_free);
  g_clear_pointer (&chain->last_status, g_free);
  chain->n_entries = 0;
}

gboolean
kl_claim_history_verify (KlDatabase  *db,
                         GPtrArray   *findings_out,
                         GError     **error)
{
  Chain chain = { 0 };
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (KL_IS_DATABASE (db), FALSE);
  g_return_val_if_fail (findings_out != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  stmt = kl_database_prepare (db,
                              "SELECT h.claim_id, c.number, c.status, " ENTRY_COLUMNS " "
                              "FROM claim_history h LEFT JOIN claims c ON c.id = h.claim_id "
                              "ORDER BY h.claim_id, h.seq",
                              error);
  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *claim_id = (const char *) sqlite3_column_text (stmt, 0);
      g_autoptr(KlClaimHistoryEntry) e = entry_from_row (stmt, 3);
      g_autofree char *seq = g_strdup_printf ("%" G_GINT64_FORMAT, e->seq);
      KlClaimHistoryDraft d;
      g_autofree char *expected = NULL;

      if (g_strcmp0 (claim_id, chain.claim_id) != 0)
        {
          chain_finish (&chain, findings_out);
          chain.claim_id = g_strdup (claim_id);
          chain.number = kl_column_dup_text (stmt, 1);
          chain.claim_status = kl_column_dup_text (stmt, 2);
          chain.prev_hash = g_strdup ("");
          if (chain.number == NULL)
            chain.number = g_strdup (claim_id);
          if (e->change != KL_CLAIM_CHANGE_CREATED && chain.claim_status != NULL)
            add_finding (findings_out,
                         _("Claim %s: its history does not start with its opening (entry %s comes first): entries were removed. Restore the workspace from its backup."),
                         chain.number, seq);
        }
      chain.n_entries++;

      if (g_strcmp0 (e->prev_hash, chain.prev_hash) != 0)
        add_finding (findings_out,
                     _("Claim %s: history entry %s does not follow the entry before it: an entry was removed, replaced or slipped in. Restore the workspace from its backup."),
                     chain.number, seq);
      draft_from_entry (e, &d);
      expected = entry_hash (e->prev_hash, claim_id, &d);
      if (g_strcmp0 (expected, e->hash) != 0)
        add_finding (findings_out,
                     _("Claim %s: history entry %s was changed after it was written (its hash does not match). Restore the workspace from its backup."),
                     chain.number, seq);

      g_free (chain.prev_hash);
      chain.prev_hash = g_strdup (e->hash ? e->hash : "");
      if (e->change == KL_CLAIM_CHANGE_CREATED || e->change == KL_CLAIM_CHANGE_MOVED)
        {
          g_free (chain.last_status);
          chain.last_status = g_strdup (e->new_value);
        }
    }
  sqlite3_reset (stmt);
  chain_finish (&chain, findings_out);
  if (rc != SQLITE_DONE)
    return kl_database_set_error (db, error, _("Checking the claims’ history"));

  /* Cases with no history at all. */
  stmt = kl_database_prepare (db,
                              "SELECT number FROM claims c WHERE NOT EXISTS "
                              "(SELECT 1 FROM claim_history h WHERE h.claim_id = c.id) ORDER BY number",
                              error);
  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    add_finding (findings_out,
                 _("Claim %s has no history: its opening entry is missing. Restore the workspace from its backup."),
                 (const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return kl_database_set_error (db, error, _("Checking the claims’ history"));
  return TRUE;
}

/* Schema 5 */

const char _kl_claim_history_guards[] =
  "CREATE TRIGGER claim_history_no_update BEFORE UPDATE ON claim_history "
  "BEGIN SELECT RAISE(ABORT, 'claim history is append-only'); END;"
  "CREATE TRIGGER claim_history_no_delete BEFORE DELETE ON claim_history "
  "BEGIN SELECT RAISE(ABORT, 'claim history is append-only'); END;"
  /* INSERT OR REPLACE deletes the row it replaces without firing delete
   * triggers (unless recursive_triggers is on), so an insert may not name
   * a seq already used: -1 is what SQLite shows for a seq it will choose. */
  "CREATE TRIGGER claim_history_no_replace BEFORE INSERT ON claim_history "
  "WHEN NEW.seq <> -1 AND NEW.seq <= (SELECT coalesce(max(seq), 0) FROM claim_history) "
  "BEGIN SELECT RAISE(ABORT, 'claim history is append-only: an entry cannot replace or precede another'); END;"
  /* …and the row it wrote must be the newest (catches an explicit -1). */
  "CREATE TRIGGER claim_history_append_last AFTER INSERT ON claim_history "
  "WHEN NEW.seq <= 0 OR NEW.seq < (SELECT max(seq) FROM claim_history) "
  "BEGIN SELECT RAISE(ABORT, 'claim history is append-only: an entry cannot replace or precede another'); END;";

gboolean
_kl_claim_history_migrate_5 (KlDatabase  *db,
                             GError     **error)
{
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func ((GDestroyNotify) kl_claim_history_entry_free);
  g_autoptr(GPtrArray) claim_ids = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *prev = NULL;
  const char *current = NULL;
  sqlite3_stmt *stmt;
  int rc;

  /* Read every entry first: the chain is written by UPDATE while no
   * statement is reading the table. */
  stmt = kl_database_prepare (db,
                              "SELECT h.claim_id, " ENTRY_COLUMNS " FROM claim_history h ORDER BY h.claim_id, h.seq",
                              error);
  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_ptr_array_add (claim_ids, kl_column_dup_text (stmt, 0));
      g_ptr_array_add (entries, entry_from_row (stmt, 1));
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return kl_database_set_error (db, error, _("Reading the claims’ history"));

  stmt = kl_database_prepare (db, "UPDATE claim_history SET prev_hash = ?, hash = ? WHERE seq = ?", error);
  if (stmt == NULL)
    return FALSE;
  for (guint i = 0; i < entries->len; i++)
    {
      KlClaimHistoryEntry *e = g_ptr_array_index (entries, i);
      const char *claim_id = g_ptr_array_index (claim_ids, i);
      KlClaimHistoryDraft d;
      g_autofree char *hash = NULL;

      if (g_strcmp0 (claim_id, current) != 0)
        {
          current = claim_id;
          g_free (prev);
          prev = g_strdup ("");
        }
      draft_from_entry (e, &d);
      hash = entry_hash (prev, claim_id, &d);
      kl_bind_text (stmt, 1, prev);
      kl_bind_text (stmt, 2, hash);
      sqlite3_bind_int64 (stmt, 3, e->seq);
      if (!kl_database_step_done (db, stmt, error))
        return FALSE;
      g_free (prev);
      prev = g_steal_pointer (&hash);
    }
  return kl_database_exec (db, _kl_claim_history_guards, error);
}
