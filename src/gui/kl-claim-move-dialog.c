/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A status move's question. Every field the move does not need stays
 * hidden; what is typed is checked as it is typed against the same rules
 * the store applies (kl_claim_check_move), and the move button is enabled
 * only when the store would accept the move. */
#include "config.h"

#include <glib/gi18n.h>
#include "kl-claim-move-dialog.h"
#include "kl-claim-row.h"

struct _KlClaimMoveDialog {
  AdwMessageDialog parent_instance;

  KlClaim       *claim;
  KlClaimStatus  to;
  gboolean       touched;       /* the user has typed or chosen something */

  /* The move as last validated. */
  gboolean       amount_set;
  gint64         amount;
  char          *reason;
  char          *corrective_action;
  char          *destination;
  char          *carrier;
  char          *label_number;
  char          *tracking;
  gboolean       outcome_set;
  KlReturnOutcome outcome;

  /* template */
  GtkWidget     *docs_notice;
  GtkLabel      *docs_label;
  GtkWidget     *fields_list;
  AdwEntryRow   *amount_row;
  AdwEntryRow   *reason_row;
  AdwEntryRow   *corrective_row;
  AdwEntryRow   *destination_row;
  AdwEntryRow   *carrier_row;
  AdwEntryRow   *label_row;
  AdwEntryRow   *tracking_row;
  AdwComboRow   *outcome_row;
  GtkLabel      *message_label;
};

G_DEFINE_FINAL_TYPE (KlClaimMoveDialog, kl_claim_move_dialog, ADW_TYPE_MESSAGE_DIALOG)

enum { CONFIRMED, N_SIGNALS };
static guint signals[N_SIGNALS];

/* What a move asks: the lifecycle's needs (kl_claim_move_needs), the
 * corrective action only when the case has none recorded yet. */

static gboolean
needs (const KlClaim *c, KlClaimStatus to, KlClaimMoveNeeds what)
{
  return (kl_claim_move_needs (c->kind, c->status, to) & what) != 0;
}

static gboolean
asks_amount (const KlClaim *c, KlClaimStatus to)
{
  return needs (c, to, KL_CLAIM_MOVE_NEEDS_AMOUNT);
}

static gboolean
asks_reason (const KlClaim *c, KlClaimStatus to)
{
  return needs (c, to, KL_CLAIM_MOVE_NEEDS_REASON);
}

static gboolean
asks_corrective_action (const KlClaim *c, KlClaimStatus to)
{
  return needs (c, to, KL_CLAIM_MOVE_NEEDS_CORRECTIVE_ACTION) && kl_text_is_blank (c->corrective_action);
}

static gboolean
asks_return_label (const KlClaim *c, KlClaimStatus to)
{
  return needs (c, to, KL_CLAIM_MOVE_NEEDS_RETURN_LABEL);
}

static gboolean
asks_tracking (const KlClaim *c, KlClaimStatus to)
{
  return needs (c, to, KL_CLAIM_MOVE_NEEDS_RETURN_TRACKING);
}

static gboolean
asks_outcome (const KlClaim *c, KlClaimStatus to)
{
  return needs (c, to, KL_CLAIM_MOVE_NEEDS_OUTCOME);
}

gboolean
kl_claim_move_dialog_is_destructive (KlClaimStatus to)
{
  return to == KL_CLAIM_STATUS_DECLINED || to == KL_CLAIM_STATUS_WITHDRAWN ||
         to == KL_CLAIM_STATUS_REJECTED || to == KL_CLAIM_STATUS_CANCELLED;
}

gboolean
kl_claim_move_dialog_is_needed (const KlClaim *claim,
                                KlClaimStatus  to)
{
  g_return_val_if_fail (claim != NULL, FALSE);

  return asks_amount (claim, to) || asks_reason (claim, to) ||
         asks_corrective_action (claim, to) || asks_return_label (claim, to) ||
         asks_tracking (claim, to) || asks_outcome (claim, to) ||
         kl_claim_move_dialog_is_destructive (to);
}

const char *
kl_claim_move_dialog_verb (const KlClaim *claim,
                           KlClaimStatus  to)
{
  g_return_val_if_fail (claim != NULL, "");

  /* The verbs have a context of their own: "Close" a case is not "Close"
   * a window in every language. */
  if (kl_claim_move_is_reopen (claim->kind, claim->status, to))
    return C_("move", "Reopen");
  switch (to)
    {
    case KL_CLAIM_STATUS_FILED:
      return C_("move", "File");
    case KL_CLAIM_STATUS_ACKNOWLEDGED:
      return C_("move", "Acknowledge");
    case KL_CLAIM_STATUS_INVESTIGATING:
      return C_("move", "Investigate");
    case KL_CLAIM_STATUS_APPROVED:
      return C_("move", "Approve");
    case KL_CLAIM_STATUS_DECLINED:
      return C_("move", "Decline");
    case KL_CLAIM_STATUS_PAID:
      return C_("move", "Mark Paid");
    case KL_CLAIM_STATUS_CLOSED:
      return C_("move", "Close");
    case KL_CLAIM_STATUS_WITHDRAWN:
      return C_("move", "Withdraw");
    case KL_CLAIM_STATUS_AUTHORIZED:
      return C_("move", "Authorize");
    case KL_CLAIM_STATUS_IN_TRANSIT:
      return C_("move", "Mark In Transit");
    case KL_CLAIM_STATUS_RECEIVED:
      return C_("move", "Mark Received");
    case KL_CLAIM_STATUS_INSPECTED:
      return C_("move", "Mark Inspected");
    case KL_CLAIM_STATUS_RESOLVED:
      return C_("move", "Resolve");
    case KL_CLAIM_STATUS_REJECTED:
      return C_("move", "Reject");
    case KL_CLAIM_STATUS_CANCELLED:
      return C_("move", "Cancel Return");
    case KL_CLAIM_STATUS_DRAFT:
    case KL_CLAIM_STATUS_REQUESTED:
    case KL_CLAIM_STATUS_OPEN:
    case KL_N_CLAIM_STATUSES:
    default:
      return kl_claim_status_to_label (to);
    }
}

char *
kl_claim_move_dialog_button_label (const KlClaim *claim,
                                   KlClaimStatus  to)
{
  const char *verb = kl_claim_move_dialog_verb (claim, to);

  if (kl_claim_move_dialog_is_needed (claim, to))
    /* Translators: a button that asks something before it acts, "Approve…" */
    return g_strdup_printf (_("%s…"), verb);
  return g_strdup (verb);
}

static char *
body_text (const KlClaim *c,
           KlClaimStatus  to)
{
  if (kl_claim_move_is_reopen (c->kind, c->status, to))
    return g_strdup (_("Say why the case is reopened. It goes back to investigation and its deadlines count again."));
  switch (to)
    {
    case KL_CLAIM_STATUS_APPROVED:
      {
        g_autofree char *claimed = kl_claim_row_money_text (c->claimed_set, c->claimed, c->currency);

        if (claimed == NULL)
          return g_strdup (_("Enter the amount approved."));
        /* Translators: %s is the claimed amount, "1,200.00 CNY" */
        return g_strdup_printf (_("Enter the amount approved; it may not exceed the %s claimed."), claimed);
      }
    case KL_CLAIM_STATUS_PAID:
      {
        g_autofree char *approved = kl_claim_row_money_text (c->approved_set, c->approved, c->currency);

        if (approved == NULL)
          return g_strdup (_("Enter the amount paid."));
        /* Translators: %s is the approved amount, "1,200.00 CNY" */
        return g_strdup_printf (_("Enter the amount paid; it may not exceed the %s approved."), approved);
      }
    case KL_CLAIM_STATUS_DECLINED:
      return g_strdup (_("Say why the claim is declined. It can be reopened later with a reason."));
    case KL_CLAIM_STATUS_WITHDRAWN:
      return g_strdup (_("The client no longer pursues the claim. A withdrawn claim cannot be reopened."));
    case KL_CLAIM_STATUS_AUTHORIZED:
      /* Translators: %s is the case number, which becomes the RMA number */
      return g_strdup_printf (_("Give where the goods go back to and the return label they travel under. "
                                "%s becomes the RMA number."), c->number);
    case KL_CLAIM_STATUS_IN_TRANSIT:
      return g_strdup (_("Enter the tracking number the goods travel back under."));
    case KL_CLAIM_STATUS_RESOLVED:
      if (c->kind == KL_CLAIM_KIND_RETURN)
        return g_strdup (_("Choose what became of the returned goods."));
      return g_strdup (_("Record the corrective action: what will stop this happening again."));
    case KL_CLAIM_STATUS_REJECTED:
      return g_strdup (_("Say why the return is rejected. A rejected return cannot be reopened."));
    case KL_CLAIM_STATUS_CANCELLED:
      return g_strdup (_("Cancel the return when its label was not used. A cancelled return cannot be reopened."));
    case KL_CLAIM_STATUS_DRAFT:
    case KL_CLAIM_STATUS_FILED:
    case KL_CLAIM_STATUS_ACKNOWLEDGED:
    case KL_CLAIM_STATUS_INVESTIGATING:
    case KL_CLAIM_STATUS_CLOSED:
    case KL_CLAIM_STATUS_REQUESTED:
    case KL_CLAIM_STATUS_RECEIVED:
    case KL_CLAIM_STATUS_INSPECTED:
    case KL_CLAIM_STATUS_OPEN:
    case KL_N_CLAIM_STATUSES:
    default:
      return NULL;
    }
}

/* Validation */

static char *
row_text (AdwEntryRow *row)
{
  g_autofree char *text = g_strdup (gtk_editable_get_text (GTK_EDITABLE (row)));

  g_strstrip (text);
  return *text != '\0' ? g_steal_pointer (&text) : NULL;
}

static void
set_row_error (GtkWidget *row,
               gboolean   bad)
{
  if (bad)
    {
      gtk_widget_add_css_class (row, "error");
      gtk_accessible_update_state (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_STATE_INVALID,
                                   GTK_ACCESSIBLE_INVALID_TRUE, -1);
    }
  else
    {
      gtk_widget_remove_css_class (row, "error");
      gtk_accessible_reset_state (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_STATE_INVALID);
    }
}

static void
show_message (KlClaimMoveDialog *self,
              const char        *message)
{
  gtk_label_set_text (self->message_label, message ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->message_label), message != NULL);
}

static void
validate (KlClaimMoveDialog *self)
{
  const KlClaim *c = self->claim;
  KlClaimMoveCheck check;
  KlClaimMove move;
  g_autoptr(GError) error = NULL;
  g_autofree char *amount_text = NULL;
  gboolean amount_bad = FALSE;
  gboolean ok;
  guint outcome;

  g_clear_pointer (&self->reason, g_free);
  g_clear_pointer (&self->corrective_action, g_free);
  g_clear_pointer (&self->destination, g_free);
  g_clear_pointer (&self->carrier, g_free);
  g_clear_pointer (&self->label_number, g_free);
  g_clear_pointer (&self->tracking, g_free);
  self->amount_set = FALSE;
  self->outcome_set = FALSE;

  if (asks_amount (c, self->to))
    {
      amount_text = row_text (self->amount_row);
      if (amount_text != NULL && c->currency != NULL &&
          !kl_money_parse (amount_text, c->currency, &self->amount, &error))
        amount_bad = TRUE;
      else
        self->amount_set = amount_text != NULL && c->currency != NULL;
    }
  if (asks_reason (c, self->to))
    self->reason = row_text (self->reason_row);
  if (asks_corrective_action (c, self->to))
    self->corrective_action = row_text (self->corrective_row);
  if (asks_return_label (c, self->to))
    {
      self->destination = row_text (self->destination_row);
      self->carrier = row_text (self->carrier_row);
      self->label_number = row_text (self->label_row);
    }
  if (asks_tracking (c, self->to))
    self->tracking = row_text (self->tracking_row);
  if (asks_outcome (c, self->to))
    {
      /* Position 0 asks the user to choose. */
      outcome = adw_combo_row_get_selected (self->outcome_row);
      if (outcome != GTK_INVALID_LIST_POSITION && outcome > 0)
        {
          self->outcome_set = TRUE;
          self->outcome = (KlReturnOutcome) (outcome - 1);
        }
    }

  set_row_error (GTK_WIDGET (self->amount_row), amount_bad);
  if (amount_bad)
    {
      adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (self), "move", FALSE);
      show_message (self, error->message);
      return;
    }

  /* The same check the store makes, on the move as it stands. */
  kl_claim_move_dialog_get_move (self, &move);
  kl_claim_move_check_init (&check, c, &move);

  ok = kl_claim_check_move (&check, &error);
  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (self), "move", ok);
  if (ok)
    show_message (self, NULL);
  else if (error->code == KL_CLAIM_ERROR_MISSING_DOCUMENTS)
    /* Shown in the notice above the fields instead. */
    show_message (self, NULL);
  else if (!self->touched &&
           (error->code == KL_CLAIM_ERROR_MISSING_FIELD ||
            (error->code == KL_CLAIM_ERROR_AMOUNT && amount_text == NULL)))
    /* Nothing typed yet: the disabled button says enough. */
    show_message (self, NULL);
  else
    show_message (self, error->message);
}

static void
on_field_changed (KlClaimMoveDialog *self)
{
  /* Filling the outcome list in init notifies before there is a case. */
  if (self->claim == NULL)
    return;
  self->touched = TRUE;
  validate (self);
}

static void
show_missing_documents (KlClaimMoveDialog *self)
{
  const KlClaim *c = self->claim;
  KlClaimDocuments missing;
  g_autofree char *list = NULL;
  g_autofree char *text = NULL;

  if (!needs (c, self->to, KL_CLAIM_MOVE_NEEDS_DOCUMENTS))
    return;
  missing = kl_claim_missing_documents (c->kind, c->documents);
  if (missing == 0)
    return;

  list = kl_claim_documents_describe (c->kind, missing);
  /* Translators: %s lists documents, "“Proof of delivery”, “Photos” or “Inspection report”" */
  text = g_strdup_printf (_("Approval needs these documents first: %s. Tick them on the checklist when they arrive."),
                          list);
  gtk_label_set_text (self->docs_label, text);
  gtk_widget_set_visible (self->docs_notice, TRUE);
}

/* GObject */

static void
kl_claim_move_dialog_response (AdwMessageDialog *dialog,
                               const char       *response)
{
  KlClaimMoveDialog *self = KL_CLAIM_MOVE_DIALOG (dialog);

  if (g_strcmp0 (response, "move") == 0)
    {
      validate (self);
      if (adw_message_dialog_get_response_enabled (dialog, "move"))
        g_signal_emit (self, signals[CONFIRMED], 0);
    }
  /* AdwMessageDialog has no default handler to chain up to in 1.2. */
  if (ADW_MESSAGE_DIALOG_CLASS (kl_claim_move_dialog_parent_class)->response != NULL)
    ADW_MESSAGE_DIALOG_CLASS (kl_claim_move_dialog_parent_class)->response (dialog, response);
}

static void
kl_claim_move_dialog_finalize (GObject *object)
{
  KlClaimMoveDialog *self = KL_CLAIM_MOVE_DIALOG (object);

  g_clear_pointer (&self->claim, kl_claim_free);
  g_free (self->reason);
  g_free (self->corrective_action);
  g_free (self->destination);
  g_free (self->carrier);
  g_free (self->label_number);
  g_free (self->tracking);
  G_OBJECT_CLASS (kl_claim_move_dialog_parent_class)->finalize (object);
}

static void
kl_claim_move_dialog_class_init (KlClaimMoveDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  AdwMessageDialogClass *dialog_class = ADW_MESSAGE_DIALOG_CLASS (klass);

  object_class->finalize = kl_claim_move_dialog_finalize;
  dialog_class->response = kl_claim_move_dialog_response;

  /**
   * KlClaimMoveDialog::confirmed:
   *
   * The user made the move; kl_claim_move_dialog_get_move() tells what
   * it carries. The dialog closes after this.
   */
  signals[CONFIRMED] =
    g_signal_new ("confirmed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/keyline/Keyline/kl-claim-move-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, KlClaimMoveDialog, docs_notice);
  gtk_widget_class_bind_template_child (widget_class, KlClaimMoveDialog, docs_label);
  gtk_widget_class_bind_template_child (widget_class, KlClaimMoveDialog, fields_list);
  gtk_widget_class_bind_template_child (widget_class, KlClaimMoveDialog, amount_row);
  gtk_widget_class_bind_template_child (widget_class, KlClaimMoveDialog, reason_row);
  gtk_widget_class_bind_template_child (widget_class, KlClaimMoveDialog, corrective_row);
  gtk_widget_class_bind_template_child (widget_class, KlClaimMoveDialog, destination_row);
  gtk_widget_class_bind_template_child (widget_class, KlClaimMoveDialog, carrier_row);
  gtk_widget_class_bind_template_child (widget_class, KlClaimMoveDialog, label_row);
  gtk_widget_class_bind_template_child (widget_class, KlClaimMoveDialog, tracking_row);
  gtk_widget_class_bind_template_child (widget_class, KlClaimMoveDialog, outcome_row);
  gtk_widget_class_bind_template_child (widget_class, KlClaimMoveDialog, message_label);
  gtk_widget_class_bind_template_callback (widget_class, on_field_changed);
}

static void
kl_claim_move_dialog_init (KlClaimMoveDialog *self)
{
  g_autoptr(GtkStringList) outcomes = gtk_string_list_new (NULL);

  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_add_css_class (GTK_WIDGET (self), "claim-move-dialog");
  kl_claim_row_ensure_style (GTK_WIDGET (self));

  gtk_string_list_append (outcomes, _("Choose…"));
  for (guint o = 0; o < KL_N_RETURN_OUTCOMES; o++)
    gtk_string_list_append (outcomes, kl_return_outcome_to_label (o));
  adw_combo_row_set_model (self->outcome_row, G_LIST_MODEL (outcomes));
  adw_combo_row_set_selected (self->outcome_row, 0);
}

GtkWidget *
kl_claim_move_dialog_new (GtkWindow     *parent,
                          const KlClaim *claim,
                          KlClaimStatus  to)
{
  KlClaimMoveDialog *self;
  AdwMessageDialog *dialog;
  g_autofree char *heading = NULL;
  g_autofree char *body = NULL;
  const char *verb;
  gboolean any_field;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (claim != NULL, NULL);

  self = g_object_new (KL_TYPE_CLAIM_MOVE_DIALOG,
                       "transient-for", parent,
                       "modal", TRUE,
                       "destroy-with-parent", TRUE,
                       NULL);
  dialog = ADW_MESSAGE_DIALOG (self);
  self->claim = kl_claim_copy (claim);
  self->to = to;
  verb = kl_claim_move_dialog_verb (claim, to);

  /* Translators: a move dialog's heading: the verb and the case number,
   * "Approve CLM-2026-000123?" */
  heading = g_strdup_printf (_("%s %s?"), verb, claim->number);
  adw_message_dialog_set_heading (dialog, heading);
  body = body_text (claim, to);
  adw_message_dialog_set_body (dialog, body ? body : "");

  adw_message_dialog_add_response (dialog, "cancel", _("_Cancel"));
  adw_message_dialog_add_response (dialog, "move", verb);
  adw_message_dialog_set_response_appearance (dialog, "move",
                                              kl_claim_move_dialog_is_destructive (to)
                                              ? ADW_RESPONSE_DESTRUCTIVE : ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, "move");
  adw_message_dialog_set_close_response (dialog, "cancel");

  gtk_widget_set_visible (GTK_WIDGET (self->amount_row), asks_amount (claim, to));
  gtk_widget_set_visible (GTK_WIDGET (self->reason_row), asks_reason (claim, to));
  gtk_widget_set_visible (GTK_WIDGET (self->corrective_row), asks_corrective_action (claim, to));
  gtk_widget_set_visible (GTK_WIDGET (self->destination_row), asks_return_label (claim, to));
  gtk_widget_set_visible (GTK_WIDGET (self->carrier_row), asks_return_label (claim, to));
  gtk_widget_set_visible (GTK_WIDGET (self->label_row), asks_return_label (claim, to));
  gtk_widget_set_visible (GTK_WIDGET (self->tracking_row), asks_tracking (claim, to));
  gtk_widget_set_visible (GTK_WIDGET (self->outcome_row), asks_outcome (claim, to));
  any_field = asks_amount (claim, to) || asks_reason (claim, to) || asks_corrective_action (claim, to) ||
              asks_return_label (claim, to) || asks_tracking (claim, to) || asks_outcome (claim, to);
  gtk_widget_set_visible (self->fields_list, any_field);

  if (asks_amount (claim, to))
    {
      g_autofree char *title = NULL;
      g_autofree char *prefill = NULL;
      const char *currency = claim->currency ? claim->currency : "";

      if (to == KL_CLAIM_STATUS_APPROVED)
        {
          /* Translators: %s is a currency code, "Approved amount (CNY)" */
          title = g_strdup_printf (_("Approved amount (%s)"), currency);
          /* Most claims are approved in full; the user changes it when not. */
          if (claim->claimed_set)
            prefill = kl_money_format (claim->claimed, claim->currency);
        }
      else
        {
          /* Translators: %s is a currency code, "Paid amount (CNY)" */
          title = g_strdup_printf (_("Paid amount (%s)"), currency);
          if (claim->approved_set)
            prefill = kl_money_format (claim->approved, claim->currency);
        }
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->amount_row), title);
      if (prefill != NULL)
        gtk_editable_set_text (GTK_EDITABLE (self->amount_row), prefill);
    }
  if (asks_return_label (claim, to))
    gtk_editable_set_text (GTK_EDITABLE (self->destination_row),
                           claim->return_destination ? claim->return_destination : "");
  /* The prefilled values are not the user's typing. */
  self->touched = FALSE;

  show_missing_documents (self);
  validate (self);
  return GTK_WIDGET (self);
}

void
kl_claim_move_dialog_get_move (KlClaimMoveDialog *self,
                               KlClaimMove       *out)
{
  KlClaimMove init = KL_CLAIM_MOVE_INIT;

  g_return_if_fail (KL_IS_CLAIM_MOVE_DIALOG (self));
  g_return_if_fail (out != NULL);

  *out = init;
  out->to = self->to;
  out->amount_set = self->amount_set;
  out->amount = self->amount;
  out->reason = self->reason;
  out->corrective_action = self->corrective_action;
  out->return_destination = self->destination;
  out->label_carrier = self->carrier;
  out->label_number = self->label_number;
  out->return_tracking = self->tracking;
  out->outcome_set = self->outcome_set;
  out->outcome = self->outcome;
}
