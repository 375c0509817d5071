/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the claim detail writes: moves (asking through KlClaimMoveDialog
 * when a move needs more), field changes, documents and notes, each run on
 * the worker and followed by a reload of the whole case. */
#include "config.h"

#include <glib/gi18n.h>

#include "kl-claim-detail-private.h"
#include "kl-claim-move-dialog.h"
#include "kl-claim-row.h"

/* Writing */

typedef enum {
  WRITE_MOVE,
  WRITE_UPDATE,
  WRITE_NOTE,
} WriteKind;

/* Everything a write carries, owned, so the job does not depend on widgets. */
typedef struct {
  WriteKind        kind;
  char            *claim_id;
  char            *number;
  KlClaimStatus    from;
  /* move */
  KlClaimStatus    to;
  gboolean         amount_set;
  gint64           amount;
  char            *reason;
  char            *corrective_action;
  char            *destination;
  char            *carrier;
  char            *label_number;
  char            *tracking;
  gboolean         outcome_set;
  KlReturnOutcome  outcome;
  /* update */
  gboolean         owner_set;
  char            *owner;
  gboolean         root_cause_set;
  char            *root_cause;
  gboolean         corrective_set;
  KlClaimDocuments documents_add;
  KlClaimDocuments documents_remove;
  gboolean         claimed_set;
  gint64           claimed;
  gboolean         salvage_set;
  gint64           salvage;
  char            *currency;
  /* note */
  KlClaimNoteVisibility visibility;
  char            *text;
  /* a toast on success, NULL for none */
  char            *done_message;
} Write;

static void
write_free (Write *w)
{
  g_free (w->claim_id);
  g_free (w->number);
  g_free (w->reason);
  g_free (w->corrective_action);
  g_free (w->destination);
  g_free (w->carrier);
  g_free (w->label_number);
  g_free (w->tracking);
  g_free (w->owner);
  g_free (w->root_cause);
  g_free (w->currency);
  g_free (w->text);
  g_free (w->done_message);
  g_free (w);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Write, write_free)

static Write *
write_new (KlClaimDetail *self,
           WriteKind      kind)
{
  Write *w = g_new0 (Write, 1);

  g_assert (self->claim != NULL);
  w->kind = kind;
  w->claim_id = g_strdup (self->claim->id);
  w->number = g_strdup (self->claim->number);
  w->from = self->claim->status;
  return w;
}

static gpointer
write_job (KlDatabase   *db,
           gpointer      data,
           KlWorkerJob  *job,
           GError      **error)
{
  Write *w = data;
  gboolean ok = FALSE;

  switch (w->kind)
    {
    case WRITE_MOVE:
      {
        KlClaimMove m = KL_CLAIM_MOVE_INIT;

        m.to = w->to;
        m.amount_set = w->amount_set;
        m.amount = w->amount;
        m.reason = w->reason;
        m.corrective_action = w->corrective_action;
        m.return_destination = w->destination;
        m.label_carrier = w->carrier;
        m.label_number = w->label_number;
        m.return_tracking = w->tracking;
        m.outcome_set = w->outcome_set;
        m.outcome = w->outcome;
        ok = kl_claim_store_move (db, w->claim_id, &m, error);
      }
      break;
    case WRITE_UPDATE:
      {
        KlClaimUpdate u = KL_CLAIM_UPDATE_INIT;

        u.owner_set = w->owner_set;
        u.owner = w->owner;
        u.root_cause_set = w->root_cause_set;
        u.root_cause = w->root_cause;
        u.corrective_action_set = w->corrective_set;
        u.corrective_action = w->corrective_action;
        u.documents_add = w->documents_add;
        u.documents_remove = w->documents_remove;
        u.claimed_set = w->claimed_set;
        u.claimed = w->claimed;
        u.salvage_set = w->salvage_set;
        u.salvage = w->salvage;
        u.currency = w->currency;
        ok = kl_claim_store_update (db, w->claim_id, &u, error);
      }
      break;
    case WRITE_NOTE:
      ok = kl_claim_store_add_note (db, w->claim_id, w->visibility, w->text, NULL, KL_NO_TIME, error);
      break;
    default:
      g_assert_not_reached ();
    }
  /* Any non-NULL result means success. */
  return ok ? GINT_TO_POINTER (1) : NULL;
}

typedef struct {
  KlClaimDetail *self;
  Write         *write;
} WriteCall;

static void
write_done (GObject      *source,
            GAsyncResult *res,
            gpointer      user_data)
{
  WriteCall *call = user_data;
  g_autoptr(KlClaimDetail) self = call->self;
  g_autoptr(Write) w = call->write;
  g_autoptr(GError) error = NULL;

  g_free (call);
  kl_worker_run_finish (self->worker, res, &error);
  if (_kl_claim_detail_is_cancelled (error))
    return;

  if (error != NULL)
    {
      if (error->domain == KL_CLAIM_ERROR && w->kind == WRITE_MOVE)
        {
          /* Translators: heading of a refused move, "Cannot Move CLM-2026-000123" */
          g_autofree char *heading = g_strdup_printf (_("Cannot Move %s"), w->number);

          _kl_claim_detail_show_refusal (self, heading, error->message);
        }
      else if (error->domain == KL_CLAIM_ERROR)
        {
          /* Translators: heading of a refused change, "CLM-2026-000123 Not Changed" */
          g_autofree char *heading = g_strdup_printf (_("%s Not Changed"), w->number);

          _kl_claim_detail_show_refusal (self, heading, error->message);
        }
      else
        _kl_claim_detail_add_toast (self, error->message);
      /* Show what is stored, not what was asked for (a check box put back). */
      _kl_claim_detail_reload (self);
      return;
    }

  if (w->kind == WRITE_NOTE && g_strcmp0 (self->claim_id, w->claim_id) == 0)
    _kl_claim_detail_set_entry (self->note_entry, NULL);
  if (w->done_message != NULL)
    _kl_claim_detail_add_toast (self, w->done_message);
  if (g_strcmp0 (self->claim != NULL ? self->claim->id : NULL, w->claim_id) == 0)
    _kl_claim_detail_reload (self);
  _kl_claim_detail_emit_case_changed (self, w->claim_id);
}

static void
run_write (KlClaimDetail *self,
           Write         *w)
{
  WriteCall *call = g_new0 (WriteCall, 1);

  call->self = g_object_ref (self);
  call->write = w;
  kl_worker_run (self->worker, KL_WORKER_WRITE, write_job, w, NULL, NULL,
                 NULL, NULL, self->cancellable, write_done, call);
}

/* Moves */

static void
run_move (KlClaimDetail     *self,
          const KlClaimMove *m)
{
  Write *w = write_new (self, WRITE_MOVE);

  w->to = m->to;
  w->amount_set = m->amount_set;
  w->amount = m->amount;
  w->reason = g_strdup (m->reason);
  w->corrective_action = g_strdup (m->corrective_action);
  w->destination = g_strdup (m->return_destination);
  w->carrier = g_strdup (m->label_carrier);
  w->label_number = g_strdup (m->label_number);
  w->tracking = g_strdup (m->return_tracking);
  w->outcome_set = m->outcome_set;
  w->outcome = m->outcome;
  /* Translators: after a move, "CLM-2026-000123 is now Acknowledged" */
  w->done_message = g_strdup_printf (_("%s is now %s"), self->claim->number, kl_claim_status_to_label (m->to));
  run_write (self, w);
}

static void
on_move_confirmed (KlClaimMoveDialog *dialog,
                   KlClaimDetail     *self)
{
  KlClaimMove m;

  if (self->claim == NULL)
    return;
  kl_claim_move_dialog_get_move (dialog, &m);
  run_move (self, &m);
}

static void
move_activate (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  KlClaimDetail *self = KL_CLAIM_DETAIL (widget);
  const char *token = g_variant_get_string (parameter, NULL);
  KlClaimStatus to;

  if (self->claim == NULL || !kl_claim_status_from_string (token, &to))
    return;

  if (!kl_claim_move_is_allowed (self->claim->kind, self->claim->status, to))
    {
      KlClaimMoveCheck check = { 0 };
      g_autoptr(GError) error = NULL;
      g_autofree char *heading = g_strdup_printf (_("Cannot Move %s"), self->claim->number);

      check.kind = self->claim->kind;
      check.from = self->claim->status;
      check.to = to;
      kl_claim_check_move (&check, &error);
      _kl_claim_detail_show_refusal (self, heading, error != NULL ? error->message : "");
      return;
    }

  if (kl_claim_move_dialog_is_needed (self->claim, to))
    {
      GtkRoot *root = gtk_widget_get_root (widget);
      GtkWidget *dialog = kl_claim_move_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                                    self->claim, to);

      g_signal_connect_object (dialog, "confirmed", G_CALLBACK (on_move_confirmed), self, 0);
      gtk_window_present (GTK_WINDOW (dialog));
      return;
    }

  {
    KlClaimMove m = KL_CLAIM_MOVE_INIT;

    m.to = to;
    run_move (self, &m);
  }
}

/* Field changes */

void
_kl_claim_detail_on_document_toggled (GtkCheckButton *check,
                     KlClaimDetail  *self)
{
  guint d = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (check), DOCUMENT_KEY));
  gboolean active = gtk_check_button_get_active (check);
  Write *w;

  if (self->filling || self->claim == NULL)
    return;
  if (active == ((self->claim->documents & KL_CLAIM_DOCUMENT_BIT (d)) != 0))
    return;
  w = write_new (self, WRITE_UPDATE);
  if (active)
    w->documents_add = KL_CLAIM_DOCUMENT_BIT (d);
  else
    w->documents_remove = KL_CLAIM_DOCUMENT_BIT (d);
  run_write (self, w);
}

static void
on_owner_apply (KlClaimDetail *self)
{
  g_autofree char *text = _kl_claim_detail_entry_text (self->owner_row);
  Write *w;

  if (self->claim == NULL || g_strcmp0 (text, self->claim->owner) == 0)
    return;
  w = write_new (self, WRITE_UPDATE);
  w->owner_set = TRUE;
  w->owner = g_steal_pointer (&text);
  /* Translators: after a change, "Owner of CLM-2026-000123 saved" */
  w->done_message = g_strdup_printf (_("Owner of %s saved"), self->claim->number);
  run_write (self, w);
}

static void
on_root_cause_apply (KlClaimDetail *self)
{
  g_autofree char *text = _kl_claim_detail_entry_text (self->root_cause_row);
  Write *w;

  if (self->claim == NULL || g_strcmp0 (text, self->claim->root_cause) == 0)
    return;
  w = write_new (self, WRITE_UPDATE);
  w->root_cause_set = TRUE;
  w->root_cause = g_steal_pointer (&text);
  w->done_message = g_strdup_printf (_("Root cause of %s saved"), self->claim->number);
  run_write (self, w);
}

static void
on_corrective_apply (KlClaimDetail *self)
{
  g_autofree char *text = _kl_claim_detail_entry_text (self->corrective_row);
  Write *w;

  if (self->claim == NULL || g_strcmp0 (text, self->claim->corrective_action) == 0)
    return;
  w = write_new (self, WRITE_UPDATE);
  w->corrective_set = TRUE;
  w->corrective_action = g_steal_pointer (&text);
  w->done_message = g_strdup_printf (_("Corrective action of %s saved"), self->claim->number);
  run_write (self, w);
}

static void
apply_amount (KlClaimDetail *self,
              AdwEntryRow   *row,
              gboolean       salvage)
{
  g_autofree char *text = _kl_claim_detail_entry_text (row);
  g_autoptr(GError) error = NULL;
  const char *currency;
  gint64 minor = 0;
  Write *w;

  if (self->claim == NULL)
    return;
  currency = self->claim->currency ? self->claim->currency : "CNY";
  gtk_widget_remove_css_class (GTK_WIDGET (row), "error");
  if (text == NULL || !kl_money_parse (text, currency, &minor, &error))
    {
      gtk_widget_add_css_class (GTK_WIDGET (row), "error");
      gtk_widget_grab_focus (GTK_WIDGET (row));
      _kl_claim_detail_show_refusal (self, salvage ? _("Salvage Value Not Changed") : _("Claimed Amount Not Changed"),
                    error != NULL ? error->message : _("Enter an amount like 1234.50."));
      return;
    }
  w = write_new (self, WRITE_UPDATE);
  w->currency = g_strdup (currency);
  if (salvage)
    {
      w->salvage_set = TRUE;
      w->salvage = minor;
    }
  else
    {
      w->claimed_set = TRUE;
      w->claimed = minor;
    }
  run_write (self, w);
}

static void
on_claimed_apply (KlClaimDetail *self)
{
  apply_amount (self, self->claimed_row, FALSE);
}

static void
on_salvage_apply (KlClaimDetail *self)
{
  apply_amount (self, self->salvage_row, TRUE);
}

static void
add_note_activate (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  KlClaimDetail *self = KL_CLAIM_DETAIL (widget);
  g_autofree char *text = _kl_claim_detail_entry_text (self->note_entry);
  Write *w;

  if (self->claim == NULL || text == NULL)
    return;
  w = write_new (self, WRITE_NOTE);
  w->visibility = gtk_toggle_button_get_active (self->client_toggle) ? KL_CLAIM_NOTE_CLIENT
                                                                      : KL_CLAIM_NOTE_INTERNAL;
  w->text = g_steal_pointer (&text);
  w->done_message = g_strdup (w->visibility == KL_CLAIM_NOTE_CLIENT ? _("Client note added")
                                                                    : _("Internal note added"));
  run_write (self, w);
}

static void
on_note_apply (KlClaimDetail *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "claim.add-note", NULL);
}

void
_kl_claim_detail_class_init_actions (GtkWidgetClass *widget_class)
{
  gtk_widget_class_bind_template_callback (widget_class, on_owner_apply);
  gtk_widget_class_bind_template_callback (widget_class, on_root_cause_apply);
  gtk_widget_class_bind_template_callback (widget_class, on_corrective_apply);
  gtk_widget_class_bind_template_callback (widget_class, on_claimed_apply);
  gtk_widget_class_bind_template_callback (widget_class, on_salvage_apply);
  gtk_widget_class_bind_template_callback (widget_class, on_note_apply);

  gtk_widget_class_install_action (widget_class, "claim.move", "s", move_activate);
  gtk_widget_class_install_action (widget_class, "claim.add-note", NULL, add_note_activate);
}
