/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Storage of claims, returns and complaints (contracts/claims.md): each
 * accepted change in one transaction with its history entries and its
 * outbox entry. */

#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <glib/gi18n-lib.h>

#include "kl-claim-store.h"
#include "kl-customer-store.h"
#include "kl-records.h"
#include "kl-shipment-store.h"

#define CLAIM_COLUMNS \
  "c.id, c.number, c.customer_id, cu.name, cu.code, c.kind, c.status, c.waybill, c.shipment_known, " \
  "c.incident_date, c.description, c.currency, c.claimed_minor, c.approved_minor, c.paid_minor, " \
  "c.salvage_minor, c.owner, c.root_cause, c.corrective_action, c.documents, c.filed_at, " \
  "c.acknowledged_at, c.paid_at, c.closed_at, c.last_update_at, c.rma_number, c.return_destination, " \
  "c.label_carrier, c.label_number, c.return_tracking, c.outcome, c.concealed_damage, c.warnings, " \
  "c.created_at, c.revision, c.updated_at, c.deleted"

#define CLAIM_FROM "FROM claims c JOIN customers cu ON cu.id = c.customer_id"

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
kl_claim_history_entry_free (KlClaimHistoryEntry *self)
{
  if (self == NULL)
    return;
  g_free (self->by);
  g_free (self->what);
  g_free (self->field);
  g_free (self->old_value);
  g_free (self->new_value);
  g_free (self->note);
  g_free (self);
}

void
kl_claim_note_free (KlClaimNote *self)
{
  if (self == NULL)
    return;
  g_free (self->text);
  g_free (self->by);
  g_free (self);
}

void
kl_claim_period_summary_free (KlClaimPeriodSummary *self)
{
  if (self == NULL)
    return;
  g_clear_pointer (&self->claimed, g_array_unref);
  g_clear_pointer (&self->settled, g_array_unref);
  g_free (self);
}

/* Money */

int
kl_currency_decimals (const char *currency)
{
  if (g_strcmp0 (currency, "JPY") == 0 || g_strcmp0 (currency, "KRW") == 0)
    return 0;
  return 2;
}

static gboolean
currency_is_valid (const char *currency)
{
  if (currency == NULL || strlen (currency) != 3)
    return FALSE;
  for (int i = 0; i < 3; i++)
    if (currency[i] < 'A' || currency[i] > 'Z')
      return FALSE;
  return TRUE;
}

gboolean
kl_money_parse (const char  *text,
                const char  *currency,
                gint64      *out_minor,
                GError     **error)
{
  int decimals = kl_currency_decimals (currency);
  const char *p;
  gint64 whole = 0, frac = 0;
  int n_whole = 0, n_frac = 0;

  g_return_val_if_fail (out_minor != NULL, FALSE);

  p = text != NULL ? text : "";
  while (g_ascii_isspace (*p))
    p++;
  for (; g_ascii_isdigit (*p); p++, n_whole++)
    {
      if (whole > (G_MAXINT64 / 1000 - 9) / 10)
        goto bad;
      whole = whole * 10 + (*p - '0');
    }
  if (*p == '.')
    {
      for (p++; g_ascii_isdigit (*p); p++, n_frac++)
        {
          if (n_frac >= decimals)
            {
              g_set_error (error, KL_CLAIM_ERROR, KL_CLAIM_ERROR_AMOUNT,
                           _("The amount “%s” has more decimals than %s has (%d); round it to %d"),
                           text, currency, decimals, decimals);
              return FALSE;
            }
          frac = frac * 10 + (*p - '0');
        }
      if (n_frac == 0)
        goto bad;
    }
  while (g_ascii_isspace (*p))
    p++;
  if (*p != '\0' || n_whole == 0)
    goto bad;
  for (int i = n_frac; i < decimals; i++)
    frac *= 10;
  *out_minor = whole;
  for (int i = 0; i < decimals; i++)
    *out_minor *= 10;
  *out_minor += frac;
  return TRUE;

bad:
  g_set_error (error, KL_CLAIM_ERROR, KL_CLAIM_ERROR_AMOUNT,
               _("“%s” is not an amount; write it like 1234.50, without signs or separators"),
               text != NULL ? text : "");
  return FALSE;
}

char *
kl_money_format (gint64      minor,
                 const char *currency)
{
  int decimals = kl_currency_decimals (currency);
  gint64 scale = decimals == 0 ? 1 : 100;
  guint64 abs_minor = minor < 0 ? (guint64) (-(minor + 1)) + 1 : (guint64) minor;

  if (decimals == 0)
    return g_strdup_printf ("%s%" G_GUINT64_FORMAT, minor < 0 ? "-" : "", abs_minor);
  return g_strdup_printf ("%s%" G_GUINT64_FORMAT ".%02" G_GUINT64_FORMAT, minor < 0 ? "-" : "",
                          abs_minor / (guint64) scale, abs_minor % (guint64) scale);
}

/* Small helpers */

static gboolean
text_is_blank (const char *text)
{
  if (text == NULL)
    return TRUE;
  for (; *text != '\0'; text++)
    if (!g_ascii_isspace (*text))
      return FALSE;
  return TRUE;
}

static char *
dup_nonblank (const char *text)
{
  return text_is_blank (text) ? NULL : g_strstrip (g_strdup (text));
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

static gint64
now_seconds (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

static const char *
who (const char *by)
{
  return text_is_blank (by) ? g_get_user_name () : by;
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

static char *
amount_label (gboolean set, gint64 value, const char *currency)
{
  g_autofree char *number = NULL;

  if (!set)
    return g_strdup (_("none"));
  number = kl_money_format (value, currency);
  return g_strdup_printf ("%s %s", number, currency != NULL ? currency : "");
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
  return c;
}

/* Deadlines */

static void
deadline_input (const KlClaim        *c,
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

  deadline_input (c, c->status, c->last_update_at, &in);
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

static gboolean
finish_claim (KlDatabase  *db,
              KlClaim     *c,
              gint64       now,
              GError     **error)
{
  if (!read_agreement_days (db, c, error))
    return FALSE;
  compute_deadlines (db, c, now);
  return TRUE;
}

/* Reading */

static KlClaim *
read_claim (KlDatabase  *db,
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

  c = read_claim (db, id_or_number, error);
  if (c == NULL || !finish_claim (db, c, now, error))
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
  kl_bind_text (stmt, 6, text_is_blank (filter->search) ? NULL : filter->search);
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

      if (!finish_claim (db, c, now, error))
        return NULL;
      if (filter->overdue_only && !c->overdue)
        continue;
      g_ptr_array_add (out, g_ptr_array_steal_index_fast (all, i));
      i--;
    }
  g_ptr_array_sort (out, compare_claims);
  return g_steal_pointer (&out);
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
                              "SELECT seq, at, by, what, field, old_value, new_value, note "
                              "FROM claim_history WHERE claim_id = ? ORDER BY at, seq", error);
  if (stmt == NULL)
    return NULL;
  kl_bind_text (stmt, 1, id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      KlClaimHistoryEntry *e = g_new0 (KlClaimHistoryEntry, 1);

      e->seq = sqlite3_column_int64 (stmt, 0);
      e->at = kl_column_time (stmt, 1);
      e->by = kl_column_dup_text (stmt, 2);
      e->what = kl_column_dup_text (stmt, 3);
      e->field = kl_column_dup_text (stmt, 4);
      e->old_value = kl_column_dup_text (stmt, 5);
      e->new_value = kl_column_dup_text (stmt, 6);
      e->note = kl_column_dup_text (stmt, 7);
      g_ptr_array_add (out, e);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      kl_database_set_error (db, error, _("Reading a claim’s history"));
      return NULL;
    }
  return g_steal_pointer (&out);
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
add_history (KlDatabase  *db,
             const char  *claim_id,
             gint64       at,
             const char  *by,
             const char  *what,
             const char  *field,
             const char  *old_value,
             const char  *new_value,
             const char  *note,
             GError     **error)
{
  sqlite3_stmt *stmt;

  stmt = kl_database_prepare (db,
                              "INSERT INTO claim_history (claim_id, at, by, what, field, old_value, new_value, note) "
                              "VALUES (?, ?, ?, ?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    return FALSE;
  kl_bind_text (stmt, 1, claim_id);
  sqlite3_bind_int64 (stmt, 2, at);
  kl_bind_text (stmt, 3, who (by));
  kl_bind_text (stmt, 4, what);
  kl_bind_text (stmt, 5, field);
  kl_bind_text (stmt, 6, old_value);
  kl_bind_text (stmt, 7, new_value);
  kl_bind_text (stmt, 8, text_is_blank (note) ? NULL : note);
  return kl_database_step_done (db, stmt, error);
}

static gboolean
next_number (KlDatabase   *db,
             KlClaimKind   kind,
             int           year,
             char        **out_number,
             GError      **error)
{
  g_autofree char *sample = kl_claim_format_number (kind, year, 0);
  g_autofree char *prefix = g_strndup (sample, 3);
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
  *out_number = kl_claim_format_number (kind, year, seq);
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

/* Looks up the shipment a case concerns and works out the filing warnings. */
static gboolean
filing_facts (KlDatabase   *db,
              KlClaimKind   kind,
              const char   *waybill,
              gint64        filed_at,
              gboolean     *out_known,
              gboolean     *out_concealed,
              char        **out_warnings,
              GError      **error)
{
  g_autoptr(KlShipment) shipment = NULL;
  g_autoptr(GError) local_error = NULL;
  g_auto(GStrv) warnings = NULL;

  *out_known = FALSE;
  *out_concealed = FALSE;
  *out_warnings = NULL;
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
  *out_known = TRUE;
  if (filed_at == KL_NO_TIME)
    return TRUE;
  warnings = kl_claim_filing_warnings (kind, shipment->mode == KL_MODE_AIR,
                                       shipment->delivered_at, filed_at,
                                       kl_database_get_timezone (db), out_concealed);
  if (warnings != NULL && warnings[0] != NULL)
    *out_warnings = g_strjoinv ("\n", warnings);
  return TRUE;
}

static gboolean
store_filing_facts (KlDatabase  *db,
                    const char  *id,
                    gboolean     known,
                    gboolean     concealed,
                    const char  *warnings,
                    GError     **error)
{
  sqlite3_stmt *stmt;

  stmt = kl_database_prepare (db,
                              "UPDATE claims SET shipment_known = ?, concealed_damage = ?, warnings = ? WHERE id = ?",
                              error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int (stmt, 1, known ? 1 : 0);
  sqlite3_bind_int (stmt, 2, concealed ? 1 : 0);
  kl_bind_text (stmt, 3, warnings);
  kl_bind_text (stmt, 4, id);
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
  g_autofree char *warnings = NULL;
  g_autofree char *what = NULL;
  g_autofree char *claimed_label = NULL;
  KlClaimStatus status;
  gint64 created_at = now_seconds ();
  gint64 filed_at;
  gboolean known = FALSE, concealed = FALSE;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (KL_IS_DATABASE (db), NULL);
  g_return_val_if_fail (input != NULL, NULL);
  g_return_val_if_fail (input->kind >= 0 && input->kind < KL_N_CLAIM_KINDS, NULL);

  if (text_is_blank (input->customer_id))
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
      if (!currency_is_valid (input->currency))
        {
          g_set_error (error, KL_CLAIM_ERROR, KL_CLAIM_ERROR_AMOUNT,
                       _("The claimed amount needs a currency code such as CNY, not “%s”"),
                       input->currency != NULL ? input->currency : "");
          return NULL;
        }
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
      !filing_facts (db, input->kind, waybill, filed_at, &known, &concealed, &warnings, error))
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
  kl_bind_text (stmt, 8, text_is_blank (input->description) ? NULL : input->description);
  kl_bind_text (stmt, 9, input->claimed_set ? input->currency : NULL);
  bind_amount (stmt, 10, input->claimed_set, input->claimed);
  kl_bind_time (stmt, 11, filed_at);
  kl_bind_time (stmt, 12, KL_NO_TIME);
  sqlite3_bind_int64 (stmt, 13, created_at);
  sqlite3_bind_int64 (stmt, 14, filed_at != KL_NO_TIME ? filed_at : created_at);
  if (!kl_database_step_done (db, stmt, error) ||
      !store_filing_facts (db, id, known, concealed, warnings, error))
    goto fail;

  /* The opening is one entry: the status the case starts in, with what it
   * was opened with in the sentence. */
  claimed_label = amount_label (input->claimed_set, input->claimed, input->currency);
  if (input->claimed_set)
    /* Translators: %s: the case number, %s: status, %s: amount and currency */
    what = g_strdup_printf (_("Opened %s as %s, claiming %s"), number,
                            kl_claim_status_to_label (status), claimed_label);
  else
    what = g_strdup_printf (_("Opened %s as %s"), number, kl_claim_status_to_label (status));
  if (!add_history (db, id, filed_at != KL_NO_TIME ? filed_at : created_at, input->by, what,
                    "status", NULL, kl_claim_status_to_string (status), input->note, error) ||
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

/* The texts a move would leave on the case: the one given with the move, else
 * the recorded one. */
static const char *
merged (const char *given, const char *recorded)
{
  return !text_is_blank (given) ? given : recorded;
}

static gboolean
is_terminal_for_report (KlClaimStatus status)
{
  return status == KL_CLAIM_STATUS_CLOSED || status == KL_CLAIM_STATUS_WITHDRAWN ||
         status == KL_CLAIM_STATUS_REJECTED || status == KL_CLAIM_STATUS_CANCELLED;
}

gboolean
kl_claim_store_move (KlDatabase         *db,
                     const char         *id,
                     const KlClaimMove  *move,
                     GError            **error)
{
  g_autoptr(KlClaim) c = NULL;
  g_autoptr(GString) what = NULL;
  g_autofree char *rma = NULL;
  g_autofree char *warnings = NULL;
  KlClaimMoveCheck check = { 0 };
  Changes ch;
  gint64 at;
  gboolean ok = FALSE;
  gboolean known = FALSE, concealed = FALSE;

  g_return_val_if_fail (KL_IS_DATABASE (db), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);
  g_return_val_if_fail (move != NULL, FALSE);
  g_return_val_if_fail (move->to >= 0 && move->to < KL_N_CLAIM_STATUSES, FALSE);

  at = move->at != KL_NO_TIME ? move->at : now_seconds ();

  if (!kl_database_begin (db, error))
    return FALSE;
  c = read_claim (db, id, error);
  if (c == NULL)
    {
      kl_database_rollback (db);
      return FALSE;
    }

  check.kind = c->kind;
  check.from = c->status;
  check.to = move->to;
  check.documents = c->documents;
  check.claimed_set = c->claimed_set;
  check.claimed = c->claimed;
  check.approved_set = c->approved_set;
  check.approved = c->approved;
  check.paid_set = c->paid_set;
  check.paid = c->paid;
  check.amount_set = move->amount_set;
  check.amount = move->amount;
  check.reason = move->reason;
  check.corrective_action = merged (move->corrective_action, c->corrective_action);
  check.rma_number = c->rma_number;
  check.return_destination = merged (move->return_destination, c->return_destination);
  check.label_carrier = merged (move->label_carrier, c->label_carrier);
  check.label_number = merged (move->label_number, c->label_number);
  check.return_tracking = merged (move->return_tracking, c->return_tracking);
  check.outcome_set = move->outcome_set || c->outcome_set;
  check.outcome = move->outcome_set ? move->outcome : c->outcome;

  if (!kl_claim_check_move (&check, error))
    {
      /* The lifecycle's error goes back as it is; nothing was written. */
      kl_database_rollback (db);
      return FALSE;
    }

  changes_init (&ch);
  what = g_string_new (NULL);
  g_string_printf (what, _("Moved from %s to %s"),
                   kl_claim_status_to_label (c->status), kl_claim_status_to_label (move->to));
  changes_text (&ch, "status", "status", kl_claim_status_to_string (move->to));
  changes_int (&ch, "last_update_at", NULL, TRUE, at);

  if (c->status == KL_CLAIM_STATUS_DRAFT && move->to == KL_CLAIM_STATUS_FILED)
    {
      /* Filing a draft: the clock starts now, and the warnings are those of
       * this filing date. */
      changes_int (&ch, "filed_at", "filed_at", TRUE, at);
      if (!filing_facts (db, c->kind, c->waybill, at, &known, &concealed, &warnings, error))
        goto out;
      changes_int (&ch, "shipment_known", NULL, TRUE, known);
      changes_int (&ch, "concealed_damage", NULL, TRUE, concealed);
      changes_text (&ch, "warnings", NULL, warnings);
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
      g_autofree char *label = amount_label (TRUE, move->amount, c->currency);

      changes_int (&ch, "approved_minor", "approved", TRUE, move->amount);
      g_string_append_printf (what, _("; approved %s"), label);
    }
  if (move->to == KL_CLAIM_STATUS_PAID)
    {
      gint64 paid = move->amount_set ? move->amount : c->paid;

      if (move->amount_set)
        {
          g_autofree char *label = amount_label (TRUE, paid, c->currency);

          changes_int (&ch, "paid_minor", "paid", TRUE, paid);
          g_string_append_printf (what, _("; paid %s"), label);
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
      g_string_append_printf (what, _("; RMA %s, back to %s with %s label %s"), rma,
                              check.return_destination, check.label_carrier, check.label_number);
    }
  if (c->kind == KL_CLAIM_KIND_RETURN && move->to == KL_CLAIM_STATUS_IN_TRANSIT)
    {
      changes_text (&ch, "return_tracking", "return_tracking", check.return_tracking);
      g_string_append_printf (what, _("; return tracking %s"), check.return_tracking);
    }
  if (c->kind == KL_CLAIM_KIND_RETURN && move->to == KL_CLAIM_STATUS_RESOLVED)
    {
      changes_text (&ch, "outcome", "outcome", kl_return_outcome_to_string (check.outcome));
      g_string_append_printf (what, _("; outcome %s"), kl_return_outcome_to_label (check.outcome));
    }
  if (!text_is_blank (move->corrective_action) &&
      g_strcmp0 (move->corrective_action, c->corrective_action) != 0)
    {
      changes_text (&ch, "corrective_action", "corrective_action", move->corrective_action);
      g_string_append_printf (what, _("; corrective action: %s"), move->corrective_action);
    }
  if (!text_is_blank (move->reason))
    g_string_append_printf (what, _("; reason: %s"), move->reason);

  if (changes_apply (db, &ch, c->id, at, error) &&
      add_history (db, c->id, at, move->by, what->str, "status",
                   kl_claim_status_to_string (c->status), kl_claim_status_to_string (move->to),
                   move->note, error) &&
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

static gboolean
text_change (Changes      *ch,
             KlDatabase   *db,
             const KlClaim *c,
             const char   *column,
             const char   *field,
             const char   *label,
             const char   *old_value,
             const char   *given,
             const KlClaimUpdate *u,
             gint64        at,
             const char  **note,
             GError      **error)
{
  g_autofree char *value = dup_nonblank (given);
  g_autofree char *what = NULL;

  if (g_strcmp0 (value, old_value) == 0)
    return TRUE;
  changes_text (ch, column, field, value);
  if (value == NULL)
    /* Translators: %s: a field such as “owner” */
    what = g_strdup_printf (_("Cleared the %s (was “%s”)"), label, old_value);
  else if (old_value == NULL)
    what = g_strdup_printf (_("Set the %s to “%s”"), label, value);
  else
    what = g_strdup_printf (_("Changed the %s from “%s” to “%s”"), label, old_value, value);
  if (!add_history (db, c->id, at, u->by, what, field, old_value, value, *note, error))
    return FALSE;
  *note = NULL;
  return TRUE;
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

  at = u->at != KL_NO_TIME ? u->at : now_seconds ();
  note = text_is_blank (u->note) ? NULL : u->note;

  if (u->documents_add & u->documents_remove)
    {
      g_set_error (error, KL_CLAIM_ERROR, KL_CLAIM_ERROR_MISSING_FIELD,
                   _("A document cannot be both added and removed in one change"));
      return FALSE;
    }

  if (!kl_database_begin (db, error))
    return FALSE;
  c = read_claim (db, id, error);
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
          if (!currency_is_valid (u->currency))
            {
              g_set_error (error, KL_CLAIM_ERROR, KL_CLAIM_ERROR_AMOUNT,
                           _("An amount needs a currency code such as CNY"));
              goto fail;
            }
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
          g_autofree char *label = amount_label (TRUE, c->approved, currency);

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
       !text_change (&ch, db, c, "owner", "owner", _("owner"), c->owner, u->owner, u, at, &note, error)) ||
      (u->root_cause_set &&
       !text_change (&ch, db, c, "root_cause", "root_cause", _("root cause"), c->root_cause,
                     u->root_cause, u, at, &note, error)) ||
      (u->corrective_action_set &&
       !text_change (&ch, db, c, "corrective_action", "corrective_action", _("corrective action"),
                     c->corrective_action, u->corrective_action, u, at, &note, error)))
    goto out;

  documents = c->documents;
  for (int d = 0; d < KL_N_CLAIM_DOCUMENTS; d++)
    {
      guint bit = KL_CLAIM_DOCUMENT_BIT (d);
      gboolean had = (c->documents & bit) != 0;
      g_autofree char *field = NULL, *what = NULL;

      if ((u->documents_add & bit) && !had)
        {
          documents |= bit;
          what = g_strdup_printf (_("Received the %s"), kl_claim_document_to_label (d));
        }
      else if ((u->documents_remove & bit) && had)
        {
          documents &= ~bit;
          what = g_strdup_printf (_("Removed the %s from the documents"), kl_claim_document_to_label (d));
        }
      else
        continue;
      field = g_strdup_printf ("document:%s", kl_claim_document_to_string (d));
      if (!add_history (db, c->id, at, u->by, what, field, had ? "yes" : "no", had ? "no" : "yes",
                        note, error))
        goto out;
      note = NULL;
    }
  if (documents != c->documents)
    changes_int (&ch, "documents", "documents", TRUE, documents);

  if (u->claimed_set && (!c->claimed_set || u->claimed != c->claimed))
    {
      g_autofree char *old_label = amount_label (c->claimed_set, c->claimed, currency);
      g_autofree char *new_label = amount_label (TRUE, u->claimed, currency);
      g_autofree char *what = g_strdup_printf (_("Changed the claimed amount from %s to %s"),
                                               old_label, new_label);
      g_autofree char *old_text = amount_text (c->claimed_set, c->claimed);
      g_autofree char *new_text = amount_text (TRUE, u->claimed);

      changes_int (&ch, "claimed_minor", "claimed", TRUE, u->claimed);
      if (c->currency == NULL)
        changes_text (&ch, "currency", "currency", currency);
      if (!add_history (db, c->id, at, u->by, what, "claimed", old_text, new_text, note, error))
        goto out;
      note = NULL;
    }
  if (u->salvage_set && (!c->salvage_set || u->salvage != c->salvage))
    {
      g_autofree char *old_label = amount_label (c->salvage_set, c->salvage, currency);
      g_autofree char *new_label = amount_label (TRUE, u->salvage, currency);
      g_autofree char *what = g_strdup_printf (_("Changed the salvage value from %s to %s"),
                                               old_label, new_label);
      g_autofree char *old_text = amount_text (c->salvage_set, c->salvage);
      g_autofree char *new_text = amount_text (TRUE, u->salvage);

      changes_int (&ch, "salvage_minor", "salvage", TRUE, u->salvage);
      if (!add_history (db, c->id, at, u->by, what, "salvage", old_text, new_text, note, error))
        goto out;
      note = NULL;
    }

  if (ch.fields->len == 0 && note == NULL)
    {
      /* Nothing changed: nothing to write. */
      ok = kl_database_commit (db, error);
      goto out;
    }
  if (ch.fields->len == 0)
    {
      if (!add_history (db, c->id, at, u->by, _("Added a note"), NULL, NULL, NULL, note, error))
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

  if (text_is_blank (text))
    {
      g_set_error (error, KL_CLAIM_ERROR, KL_CLAIM_ERROR_MISSING_FIELD, _("A note needs some text"));
      return FALSE;
    }
  if (at == KL_NO_TIME)
    at = now_seconds ();

  if (!kl_database_begin (db, error))
    return FALSE;
  c = read_claim (db, id, error);
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
  kl_bind_text (stmt, 5, who (by));
  if (!kl_database_step_done (db, stmt, error))
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

/* Period summary */

static void
money_add (GArray     *sums,
           const char *currency,
           gint64      amount)
{
  KlClaimMoney m = { { 0 }, 0 };

  if (currency == NULL)
    return;
  for (guint i = 0; i < sums->len; i++)
    {
      KlClaimMoney *s = &g_array_index (sums, KlClaimMoney, i);

      if (strcmp (s->currency, currency) == 0)
        {
          s->amount_minor += amount;
          return;
        }
    }
  g_strlcpy (m.currency, currency, sizeof m.currency);
  m.amount_minor = amount;
  g_array_append_val (sums, m);
}

static int
compare_money (gconstpointer a, gconstpointer b)
{
  return strcmp (((const KlClaimMoney *) a)->currency, ((const KlClaimMoney *) b)->currency);
}

/* The status of a case and its last client update as they stood just before
 * `end`, from history and notes. */
static gboolean
state_at (KlDatabase     *db,
          const KlClaim  *c,
          gint64          end,
          KlClaimStatus  *out_status,
          gint64         *out_last_update,
          GError        **error)
{
  sqlite3_stmt *stmt;
  g_autofree char *status = NULL;
  gint64 last_move = KL_NO_TIME;
  int rc;

  stmt = kl_database_prepare (db,
                              "SELECT new_value, at, (SELECT count(*) FROM claim_history h2 "
                              "  WHERE h2.claim_id = ?1 AND h2.field = 'status' AND h2.at < ?2 AND h2.old_value IS NOT NULL) "
                              "FROM claim_history WHERE claim_id = ?1 AND field = 'status' AND at < ?2 "
                              "ORDER BY at DESC, seq DESC LIMIT 1", error);
  if (stmt == NULL)
    return FALSE;
  kl_bind_text (stmt, 1, c->id);
  sqlite3_bind_int64 (stmt, 2, end);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      status = kl_column_dup_text (stmt, 0);
      if (sqlite3_column_int64 (stmt, 2) > 0)
        last_move = sqlite3_column_int64 (stmt, 1);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return kl_database_set_error (db, error, _("Reading a claim’s history"));
  if (status == NULL || !kl_claim_status_from_string (status, out_status))
    *out_status = c->status;

  stmt = kl_database_prepare (db,
                              "SELECT max(at) FROM claim_notes WHERE claim_id = ? AND visibility = 'client' AND at < ?",
                              error);
  if (stmt == NULL)
    return FALSE;
  kl_bind_text (stmt, 1, c->id);
  sqlite3_bind_int64 (stmt, 2, end);
  rc = sqlite3_step (stmt);
  *out_last_update = last_move;
  if (rc == SQLITE_ROW && sqlite3_column_type (stmt, 0) != SQLITE_NULL)
    {
      gint64 note_at = sqlite3_column_int64 (stmt, 0);

      if (last_move == KL_NO_TIME || note_at > last_move)
        *out_last_update = note_at;
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW)
    return kl_database_set_error (db, error, _("Reading a claim’s notes"));
  return TRUE;
}

/* The last move to closed in [start, end), or KL_NO_TIME. */
static gboolean
closed_in (KlDatabase  *db,
           const char  *id,
           gint64       start,
           gint64       end,
           gint64      *out_at,
           GError     **error)
{
  sqlite3_stmt *stmt;
  int rc;

  stmt = kl_database_prepare (db,
                              "SELECT max(at) FROM claim_history WHERE claim_id = ? AND field = 'status' "
                              "AND new_value = ? AND at >= ? AND at < ?", error);
  if (stmt == NULL)
    return FALSE;
  kl_bind_text (stmt, 1, id);
  kl_bind_text (stmt, 2, kl_claim_status_to_string (KL_CLAIM_STATUS_CLOSED));
  sqlite3_bind_int64 (stmt, 3, start);
  sqlite3_bind_int64 (stmt, 4, end);
  rc = sqlite3_step (stmt);
  *out_at = rc == SQLITE_ROW ? kl_column_time (stmt, 0) : KL_NO_TIME;
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW)
    return kl_database_set_error (db, error, _("Reading a claim’s history"));
  return TRUE;
}

KlClaimPeriodSummary *
kl_claim_store_period_summary (KlDatabase  *db,
                               const char  *customer_id,
                               gint64       start,
                               gint64       end,
                               GError     **error)
{
  g_autoptr(KlClaimPeriodSummary) s = g_new0 (KlClaimPeriodSummary, 1);
  g_autoptr(GPtrArray) claims = NULL;
  KlClaimFilter filter = KL_CLAIM_FILTER_INIT;
  double days_sum = 0;

  g_return_val_if_fail (KL_IS_DATABASE (db), NULL);

  s->claimed = g_array_new (FALSE, TRUE, sizeof (KlClaimMoney));
  s->settled = g_array_new (FALSE, TRUE, sizeof (KlClaimMoney));
  s->mean_days_to_close = NAN;

  filter.customer_id = customer_id;
  claims = kl_claim_store_list (db, &filter, end, error);
  if (claims == NULL)
    return NULL;

  for (guint i = 0; i < claims->len; i++)
    {
      KlClaim *c = g_ptr_array_index (claims, i);
      KlClaimStatus status;
      gint64 last_update = KL_NO_TIME, closed_at = KL_NO_TIME;

      if (c->filed_at == KL_NO_TIME || c->filed_at >= end)
        continue;
      if (c->filed_at >= start)
        {
          s->opened++;
          if (c->claimed_set)
            money_add (s->claimed, c->currency, c->claimed);
        }
      if (c->paid_set && c->paid_at != KL_NO_TIME && c->paid_at >= start && c->paid_at < end)
        money_add (s->settled, c->currency, c->paid);

      if (!closed_in (db, c->id, start, end, &closed_at, error))
        return NULL;
      if (closed_at != KL_NO_TIME)
        {
          s->closed++;
          days_sum += (double) (closed_at - c->filed_at) / 86400.0;
        }

      if (!state_at (db, c, end, &status, &last_update, error))
        return NULL;
      if (status != KL_CLAIM_STATUS_DRAFT && !is_terminal_for_report (status))
        {
          KlClaimDeadlineInput in;

          s->open_at_end++;
          deadline_input (c, status, last_update, &in);
          if (kl_claim_is_overdue (&in, kl_database_get_timezone (db), end))
            s->overdue_at_end++;
        }
    }
  if (s->closed > 0)
    s->mean_days_to_close = days_sum / s->closed;
  g_array_sort (s->claimed, compare_money);
  g_array_sort (s->settled, compare_money);
  return g_steal_pointer (&s);
}

gboolean
kl_claim_store_clear_all (KlDatabase  *db,
                          GError     **error)
{
  g_return_val_if_fail (KL_IS_DATABASE (db), FALSE);

  if (!kl_database_begin (db, error))
    return FALSE;
  /* The guard against deleting history is dropped and put back inside one
   * transaction, so no other writer ever sees the table unguarded. */
  if (!kl_database_exec (db,
                         "DROP TRIGGER claim_history_no_delete;"
                         "DELETE FROM claim_history;"
                         "DELETE FROM claim_notes;"
                         "DELETE FROM claims;"
                         "DELETE FROM claim_sequences;"
                         "CREATE TRIGGER claim_history_no_delete BEFORE DELETE ON claim_history "
                         "BEGIN SELECT RAISE(ABORT, 'claim history is append-only'); END;",
                         error) ||
      !kl_database_commit (db, error))
    {
      kl_database_rollback (db);
      return FALSE;
    }
  return TRUE;
}
