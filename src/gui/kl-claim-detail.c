/* SPDX-License-Identifier: GPL-3.0-or-later */
/* One case, read and changed through the KlWorker: the header with its
 * status and the moves allowed from it, deadlines, amounts, the documents
 * checklist, the linked shipment's facts, return fields, handling fields,
 * notes and the history timeline. Every write reloads the whole case from
 * the database, so what is shown is what is stored; a refused write says
 * why in a dialog, in the store's words. */
#include "config.h"

#include <glib/gi18n.h>

#include "kl-gui-util.h"
#include "kl-claim-detail-private.h"
#include "kl-claim-history-row.h"
#include "kl-claim-move-dialog.h"
#include "kl-claim-note-row.h"
#include "kl-claim-row.h"
#include "kl-sync-engine.h"
#include "kl-sync-store.h"

G_DEFINE_FINAL_TYPE (KlClaimDetail, kl_claim_detail, ADW_TYPE_BIN)

enum { CASE_CHANGED, N_SIGNALS };
static guint signals[N_SIGNALS];

enum { PROP_0, PROP_CLAIM_ID, N_PROPS };
static GParamSpec *properties[N_PROPS];

void
_kl_claim_detail_emit_case_changed (KlClaimDetail *self,
                                    const char    *id)
{
  g_signal_emit (self, signals[CASE_CHANGED], 0, id);
}


/* Small helpers */

static void
set_value (GtkLabel   *label,
           const char *text)
{
  gtk_label_set_text (label, text != NULL && *text != '\0' ? text : "—");
}

void
_kl_claim_detail_set_entry (AdwEntryRow *row,
           const char  *text)
{
  /* Set from the case, not typed: the apply button stays hidden. */
  adw_entry_row_set_show_apply_button (row, FALSE);
  gtk_editable_set_text (GTK_EDITABLE (row), text ? text : "");
  adw_entry_row_set_show_apply_button (row, TRUE);
}

/* Sets a field from the case unless the user is typing in it: a reload
 * after some other change must not throw away an edit not applied yet. */
static void
refresh_entry (KlClaimDetail *self,
               AdwEntryRow   *row,
               const char    *text)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (row));
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;
  const char *shown = gtk_editable_get_text (GTK_EDITABLE (row));

  if (self->keep_edits && focus != NULL && gtk_widget_is_ancestor (focus, GTK_WIDGET (row)) &&
      g_strcmp0 (shown, text ? text : "") != 0)
    return;
  _kl_claim_detail_set_entry (row, text);
}

char *
_kl_claim_detail_entry_text (AdwEntryRow *row)
{
  g_autofree char *text = g_strdup (gtk_editable_get_text (GTK_EDITABLE (row)));

  g_strstrip (text);
  return *text != '\0' ? g_steal_pointer (&text) : NULL;
}

void
_kl_claim_detail_add_toast (KlClaimDetail *self,
           const char    *message)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);
  g_autofree char *escaped = g_markup_escape_text (message, -1);
  AdwToast *toast;

  if (overlay == NULL)
    return;
  toast = adw_toast_new (escaped);
  adw_toast_set_timeout (toast, 4);
  adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), toast);
}

/* A refusal is explained in a dialog: its text is often long (the missing
 * documents, the moves allowed) and must not vanish like a toast. */
void
_kl_claim_detail_show_refusal (KlClaimDetail *self,
              const char    *heading,
              const char    *message)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                              heading, message);

  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_OK"));
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "close");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "close");
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
clear_list (GtkListBox *list)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (list))) != NULL)
    gtk_list_box_remove (list, child);
}

static void
clear_box (GtkWidget *box)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (box)) != NULL)
    gtk_box_remove (GTK_BOX (box), child);
}

/* Loading */

typedef struct {
  KlClaim    *claim;
  GPtrArray  *history;
  GPtrArray  *notes;
  KlShipment *shipment;
  GTimeZone  *tz;
  gint64      now;
  gboolean    unpushed;
} LoadResult;

static void
load_result_free (LoadResult *r)
{
  g_clear_pointer (&r->claim, kl_claim_free);
  g_clear_pointer (&r->history, g_ptr_array_unref);
  g_clear_pointer (&r->notes, g_ptr_array_unref);
  g_clear_pointer (&r->shipment, kl_shipment_free);
  g_clear_pointer (&r->tz, g_time_zone_unref);
  g_free (r);
}

static gpointer
load_job (KlDatabase   *db,
          gpointer      data,
          KlWorkerJob  *job,
          GError      **error)
{
  LoadResult *r = g_new0 (LoadResult, 1);

  r->now = g_get_real_time () / G_USEC_PER_SEC;
  r->tz = g_time_zone_ref (kl_database_get_timezone (db));
  r->claim = kl_claim_store_get (db, data, r->now, error);
  if (r->claim == NULL)
    goto fail;
  r->history = kl_claim_store_history (db, r->claim->id, error);
  if (r->history == NULL)
    goto fail;
  r->notes = kl_claim_store_notes (db, r->claim->id, FALSE, error);
  if (r->notes == NULL)
    goto fail;
  {
    g_autofree char *server = kl_database_get_setting (db, KL_SYNC_SETTING_SERVER);

    r->unpushed = server != NULL && *server != '\0' && kl_sync_record_unpushed (db, "claims", r->claim->id);
  }
  if (r->claim->waybill != NULL && r->claim->shipment_known)
    {
      g_autoptr(GError) local_error = NULL;

      r->shipment = kl_shipment_store_get (db, r->claim->waybill, &local_error);
      /* Deleted since the case was opened: shown as not on record. */
      if (r->shipment == NULL &&
          !g_error_matches (local_error, KL_DATABASE_ERROR, KL_DATABASE_ERROR_NOT_FOUND))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          goto fail;
        }
    }
  return r;

fail:
  load_result_free (r);
  return NULL;
}

/* Showing: the header */

static void
show_header (KlClaimDetail *self)
{
  const KlClaim *c = self->claim;
  g_autofree char *customer = NULL;
  g_autofree char *subtitle = NULL;
  g_autofree char *deadline = NULL;
  const char *kind_label = kl_claim_kind_to_label (c->kind);

  gtk_image_set_from_icon_name (self->kind_icon, kl_claim_row_kind_icon_name (c->kind));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->kind_icon), kind_label);
  if (c->overdue)
    gtk_widget_add_css_class (GTK_WIDGET (self->kind_icon), "overdue");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->kind_icon), "overdue");

  gtk_label_set_text (self->number_label, c->number);
  kl_claim_row_style_badge (GTK_WIDGET (self->status_label), c->status);

  /* Translators: a case's customer, "Acme Logistics (ACME-01)" */
  customer = g_strdup_printf (_("%s (%s)"), c->customer_name ? c->customer_name : "",
                              c->customer_code ? c->customer_code : "");
  gtk_label_set_text (self->customer_label, customer);
  if (c->waybill != NULL)
    /* Translators: a case's kind and waybill, "Damage claim · waybill SF123" */
    subtitle = g_strdup_printf (_("%s · waybill %s"), kind_label, c->waybill);
  else
    subtitle = g_strdup (kind_label);
  if (kl_claim_row_unsynced_text (c, self->unpushed) != NULL)
    {
      g_autofree char *marked = kl_claim_number_is_provisional (c->number)
        /* Translators: a case's kind and waybill, then that its number is provisional until the back office gives its own */
        ? g_strdup_printf (_("%s · Provisional number, not yet synced"), subtitle)
        /* Translators: a case's kind and waybill, then that it waits for the back office */
        : g_strdup_printf (_("%s · Not yet synced"), subtitle);

      g_free (subtitle);
      subtitle = g_steal_pointer (&marked);
    }
  gtk_label_set_text (self->subtitle_label, subtitle);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->subtitle_label), kl_claim_row_unsynced_text (c, self->unpushed));

  deadline = kl_claim_row_deadline_text (c, self->now, self->tz, FALSE);
  gtk_label_set_text (self->deadline_label, deadline ? deadline : "");
  gtk_widget_set_visible (GTK_WIDGET (self->deadline_label), deadline != NULL);
  if (c->overdue)
    gtk_widget_add_css_class (GTK_WIDGET (self->deadline_label), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->deadline_label), "error");
}

static void
show_moves (KlClaimDetail *self)
{
  const KlClaim *c = self->claim;
  g_autoptr(GArray) moves = kl_claim_allowed_moves (c->kind, c->status);
  gboolean first_forward = TRUE;

  clear_box (self->moves_box);
  for (guint i = 0; i < moves->len; i++)
    {
      KlClaimStatus to = g_array_index (moves, KlClaimStatus, i);
      g_autofree char *label = kl_claim_move_dialog_button_label (c, to);
      GtkWidget *button = gtk_button_new_with_label (label);

      gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "claim.move");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", kl_claim_status_to_string (to));
      if (first_forward && !kl_claim_move_dialog_is_destructive (to) &&
          !kl_claim_move_is_reopen (c->kind, c->status, to))
        {
          /* The usual next step stands out. */
          gtk_widget_add_css_class (button, "suggested-action");
          first_forward = FALSE;
        }
      gtk_widget_add_css_class (button, "pill");
      gtk_box_append (GTK_BOX (self->moves_box), button);
    }
  gtk_widget_set_visible (self->moves_box, moves->len > 0);
  gtk_widget_set_visible (GTK_WIDGET (self->final_label), moves->len == 0);
  if (moves->len == 0)
    {
      g_autofree char *text =
        /* Translators: under a case that allows no more moves, "Withdrawn is final." */
        g_strdup_printf (_("“%s” is final: the case takes no more moves."), kl_claim_status_to_label (c->status));

      gtk_label_set_text (self->final_label, text);
    }
}

static GtkWidget *
notice_new (const char *text)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  GtkWidget *icon = gtk_image_new_from_icon_name ("dialog-warning-symbolic");
  GtkWidget *label = gtk_label_new (text);

  gtk_widget_add_css_class (box, "notice");
  gtk_widget_set_valign (icon, GTK_ALIGN_START);
  gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Warning"), -1);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_set_hexpand (label, TRUE);
  gtk_box_append (GTK_BOX (box), icon);
  gtk_box_append (GTK_BOX (box), label);
  return box;
}

static void
show_notices (KlClaimDetail *self)
{
  const KlClaim *c = self->claim;
  gboolean any = FALSE;

  clear_box (self->notices_box);
  /* The filing warnings include the concealed-damage one (the lifecycle
   * words it once); c->concealed_damage only flags the case for lists. */
  for (guint i = 0; c->warnings[i] != NULL; i++)
    {
      gtk_box_append (GTK_BOX (self->notices_box), notice_new (c->warnings[i]));
      any = TRUE;
    }
  gtk_widget_set_visible (self->notices_box, any);
}

/* Showing: deadlines and amounts */

/* A deadline's day, with how it stands: overdue (error colour), still
 * ahead, or no longer due with what happened instead (dimmed). */
static void
show_deadline (GtkLabel   *label,
               gint64      due,
               gboolean    pending,
               gboolean    overdue,
               GTimeZone  *tz,
               const char *done_text)
{
  g_autofree char *day = kl_claim_row_format_day (due, tz);
  g_autofree char *text = NULL;

  gtk_widget_remove_css_class (GTK_WIDGET (label), "error");
  gtk_widget_remove_css_class (GTK_WIDGET (label), "dim-label");
  if (day == NULL)
    {
      set_value (label, NULL);
      return;
    }
  if (overdue)
    {
      /* Translators: a deadline that has passed, "2026-10-31 · overdue" */
      text = g_strdup_printf (_("%s · overdue"), day);
      gtk_widget_add_css_class (GTK_WIDGET (label), "error");
    }
  else if (!pending)
    {
      /* Translators: a deadline and what became of it, "2026-10-31 · acknowledged 2026-10-02" */
      text = g_strdup_printf (_("%s · %s"), day, done_text);
      gtk_widget_add_css_class (GTK_WIDGET (label), "dim-label");
    }
  else
    text = g_strdup (day);
  set_value (label, text);
}

static void
show_deadlines (KlClaimDetail *self)
{
  const KlClaim *c = self->claim;
  const KlClaimDeadlines *d = &c->deadlines;
  g_autofree char *filed = kl_claim_row_format_time (c->filed_at, self->tz);
  g_autofree char *acknowledged = kl_claim_row_format_day (c->acknowledged_at, self->tz);
  g_autofree char *ack_done = NULL;
  gboolean filed_known = c->filed_at != KL_NO_TIME;

  set_value (self->filed_value, filed ? filed : _("Not filed yet"));
  /* Returns start as requested, never filed or open: nothing to acknowledge. */
  gtk_widget_set_visible (self->ack_row, filed_known && c->kind != KL_CLAIM_KIND_RETURN);
  gtk_widget_set_visible (self->resolve_row, filed_known);
  if (filed_known)
    {
      if (acknowledged != NULL)
        /* Translators: when a case was acknowledged, "acknowledged 2026-10-02" */
        ack_done = g_strdup_printf (_("acknowledged %s"), acknowledged);
      show_deadline (self->ack_value, d->acknowledge_by, d->acknowledge_pending, d->acknowledge_overdue,
                     self->tz, ack_done ? ack_done : _("no longer due"));
      show_deadline (self->resolve_value, d->resolve_by, d->resolve_pending, d->resolve_overdue,
                     self->tz, _("no longer due"));
    }
  gtk_widget_set_visible (self->update_row, d->update_due_by != KL_NO_TIME);
  if (d->update_due_by != KL_NO_TIME)
    show_deadline (self->update_value, d->update_due_by, TRUE, d->update_overdue, self->tz, NULL);
}

static void
show_amounts (KlClaimDetail *self)
{
  const KlClaim *c = self->claim;
  const char *currency = c->currency ? c->currency : "CNY";
  g_autofree char *claimed_title = NULL;
  g_autofree char *salvage_title = NULL;
  g_autofree char *claimed = NULL;
  g_autofree char *salvage = NULL;
  g_autofree char *approved = NULL;
  g_autofree char *paid = NULL;

  gtk_widget_set_visible (self->amounts_group, kl_claim_kind_is_freight (c->kind));
  if (!kl_claim_kind_is_freight (c->kind))
    return;

  /* Translators: an amount's title with its currency, "Claimed (CNY)" */
  claimed_title = g_strdup_printf (_("Claimed (%s)"), currency);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->claimed_row), claimed_title);
  /* Translators: an amount's title with its currency, "Salvage value (CNY)" */
  salvage_title = g_strdup_printf (_("Salvage value (%s)"), currency);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->salvage_row), salvage_title);

  claimed = c->claimed_set ? kl_money_format (c->claimed, currency) : NULL;
  refresh_entry (self, self->claimed_row, claimed);
  salvage = c->salvage_set ? kl_money_format (c->salvage, currency) : NULL;
  refresh_entry (self, self->salvage_row, salvage);
  approved = kl_claim_row_money_text (c->approved_set, c->approved, currency);
  set_value (self->approved_value, approved);
  paid = kl_claim_row_money_text (c->paid_set, c->paid, currency);
  set_value (self->paid_value, paid);
}

/* Showing: documents */

static void
build_document_rows (KlClaimDetail *self)
{
  for (guint d = 0; d < KL_N_CLAIM_DOCUMENTS; d++)
    {
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *check = gtk_check_button_new ();
      const char *label = kl_claim_document_to_label (d);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), label);
      gtk_widget_set_valign (check, GTK_ALIGN_CENTER);
      g_object_set_data (G_OBJECT (check), DOCUMENT_KEY, GUINT_TO_POINTER (d));
      g_signal_connect_object (check, "toggled", G_CALLBACK (_kl_claim_detail_on_document_toggled), self, 0);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), check);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), check);
      gtk_widget_set_name (row, kl_claim_document_to_string (d));
      adw_preferences_group_add (self->documents_group, row);
      self->doc_checks[d] = check;
      self->doc_rows[d] = row;
    }
}

static void
show_documents (KlClaimDetail *self)
{
  const KlClaim *c = self->claim;
  KlClaimDocuments required = kl_claim_documents_required (c->kind);
  KlClaimDocuments missing = kl_claim_missing_documents (c->kind, c->documents);
  guint n_present = 0;
  gboolean approval_ahead;
  g_autofree char *description = NULL;

  for (guint d = 0; d < KL_N_CLAIM_DOCUMENTS; d++)
    {
      gboolean present = (c->documents & KL_CLAIM_DOCUMENT_BIT (d)) != 0;
      const char *subtitle = NULL;

      gtk_check_button_set_active (GTK_CHECK_BUTTON (self->doc_checks[d]), present);
      n_present += present ? 1 : 0;
      if ((required & KL_CLAIM_DOCUMENT_BIT (d)) != 0)
        subtitle = present ? _("Needed for approval · received") : _("Needed for approval");
      else if (c->kind == KL_CLAIM_KIND_DAMAGE &&
               (d == KL_CLAIM_DOCUMENT_PHOTOS || d == KL_CLAIM_DOCUMENT_INSPECTION_REPORT))
        subtitle = (missing & KL_CLAIM_DOCUMENT_BIT (d)) != 0
                   ? _("Photos or an inspection report is needed for approval")
                   : (present ? _("Needed for approval · received") : _("Optional: the other one was received"));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (self->doc_rows[d]), subtitle ? subtitle : "");
    }

  /* Approval is only ahead of a freight claim not yet past investigation. */
  approval_ahead = kl_claim_kind_is_freight (c->kind) &&
                   (c->status == KL_CLAIM_STATUS_DRAFT || c->status == KL_CLAIM_STATUS_FILED ||
                    c->status == KL_CLAIM_STATUS_ACKNOWLEDGED || c->status == KL_CLAIM_STATUS_INVESTIGATING);
  if (approval_ahead && missing != 0)
    /* Translators: %u counts documents; the group's description */
    description = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                "%u received; approval still needs more.",
                                                "%u received; approval still needs more.", n_present),
                                   n_present);
  else if (approval_ahead)
    description = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                "%u received; everything approval needs is here.",
                                                "%u received; everything approval needs is here.", n_present),
                                   n_present);
  else
    description = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u received.", "%u received.", n_present),
                                   n_present);
  adw_preferences_group_set_description (self->documents_group, description);
}

/* Showing: shipment, return and handling */

static void
show_shipment (KlClaimDetail *self)
{
  const KlClaim *c = self->claim;
  const KlShipment *s = self->shipment;
  GtkWidget *fact_rows[] = {
    self->route_row, self->mode_row, self->shipment_status_row, self->pickup_row,
    self->delivery_row, self->pieces_row, self->exceptions_row,
  };

  set_value (self->waybill_value, c->waybill ? c->waybill : _("None given"));
  gtk_widget_set_visible (self->unknown_row, c->waybill != NULL && s == NULL);
  for (guint i = 0; i < G_N_ELEMENTS (fact_rows); i++)
    gtk_widget_set_visible (fact_rows[i], s != NULL);
  if (s == NULL)
    return;

  {
    g_autoptr(GString) route = g_string_new (NULL);

    g_string_append (route, s->origin_city ? s->origin_city : "?");
    if (s->origin_region)
      g_string_append_printf (route, " (%s)", s->origin_region);
    g_string_append (route, " → ");
    g_string_append (route, s->dest_city ? s->dest_city : "?");
    if (s->dest_region)
      g_string_append_printf (route, " (%s)", s->dest_region);
    set_value (self->route_value, route->str);
  }
  set_value (self->mode_value, kl_shipment_mode_to_label (s->mode));
  set_value (self->shipment_status_value, kl_shipment_status_to_label (s->status));
  {
    g_autofree char *actual = kl_claim_row_format_time (s->picked_up_at, self->tz);
    g_autofree char *planned = kl_claim_row_format_time (s->planned_pickup_at, self->tz);
    g_autofree char *text = NULL;

    if (actual != NULL && planned != NULL)
      /* Translators: an actual time and the planned one, "2026-10-31 14:00 (planned 2026-10-31 12:00)" */
      text = g_strdup_printf (_("%s (planned %s)"), actual, planned);
    else if (planned != NULL)
      text = g_strdup_printf (_("Not yet (planned %s)"), planned);
    set_value (self->pickup_value, text ? text : actual);
  }
  {
    g_autofree char *actual = kl_claim_row_format_time (s->delivered_at, self->tz);
    g_autofree char *planned = kl_claim_row_format_time (s->planned_delivery_at, self->tz);
    g_autofree char *text = NULL;

    if (actual != NULL && planned != NULL)
      text = g_strdup_printf (_("%s (planned %s)"), actual, planned);
    else if (planned != NULL)
      text = g_strdup_printf (_("Not yet (planned %s)"), planned);
    set_value (self->delivery_value, text ? text : actual);
  }
  {
    g_autoptr(GString) pieces = g_string_new (NULL);

    /* Literal %lld rather than G_GINT64_FORMAT: xgettext cannot expand macros. */
    g_string_append_printf (pieces, g_dngettext (GETTEXT_PACKAGE, "%lld piece", "%lld pieces",
                                                 (unsigned long) s->pieces),
                            (long long) s->pieces);
    if (s->weight_g >= 0)
      /* Translators: a shipment's weight in kilograms, " · 340.5 kg" */
      g_string_append_printf (pieces, _(" · %.1f kg"), s->weight_g / 1000.0);
    set_value (self->pieces_value, pieces->str);
  }
  {
    g_autoptr(GString) exceptions = g_string_new (NULL);

    if (s->damaged_pieces > 0)
      g_string_append_printf (exceptions, g_dngettext (GETTEXT_PACKAGE, "%lld damaged", "%lld damaged",
                                                       (unsigned long) s->damaged_pieces),
                              (long long) s->damaged_pieces);
    if (s->short_pieces > 0)
      {
        if (exceptions->len > 0)
          g_string_append (exceptions, _(", "));
        g_string_append_printf (exceptions, g_dngettext (GETTEXT_PACKAGE, "%lld short", "%lld short",
                                                         (unsigned long) s->short_pieces),
                                (long long) s->short_pieces);
      }
    if (s->incident)
      {
        if (exceptions->len > 0)
          g_string_append (exceptions, _(", "));
        g_string_append (exceptions, _("incident reported"));
      }
    set_value (self->exceptions_value, exceptions->len > 0 ? exceptions->str : _("None recorded"));
  }
}

static void
show_return (KlClaimDetail *self)
{
  const KlClaim *c = self->claim;
  g_autofree char *label = NULL;

  gtk_widget_set_visible (self->return_group, c->kind == KL_CLAIM_KIND_RETURN);
  if (c->kind != KL_CLAIM_KIND_RETURN)
    return;
  set_value (self->rma_value, c->rma_number ? c->rma_number : _("Assigned when authorized"));
  set_value (self->destination_value, c->return_destination);
  if (c->label_carrier != NULL || c->label_number != NULL)
    /* Translators: a return label's carrier and number, "SF Express 123456" */
    label = g_strdup_printf (_("%s %s"), c->label_carrier ? c->label_carrier : "",
                             c->label_number ? c->label_number : "");
  set_value (self->label_value, label);
  set_value (self->tracking_value, c->return_tracking);
  set_value (self->outcome_value, c->outcome_set ? kl_return_outcome_to_label (c->outcome) : NULL);
}

static void
show_handling (KlClaimDetail *self)
{
  const KlClaim *c = self->claim;

  g_autofree char *description = g_markup_escape_text (c->description ? c->description : "—", -1);

  /* The subtitle is markup. */
  adw_action_row_set_subtitle (self->description_row, description);
  gtk_widget_set_visible (self->incident_row, c->incident_date != NULL);
  set_value (self->incident_value, c->incident_date);
  refresh_entry (self, self->owner_row, c->owner);
  refresh_entry (self, self->root_cause_row, c->root_cause);
  refresh_entry (self, self->corrective_row, c->corrective_action);
}

/* Showing: notes and history */

static void
show_notes (KlClaimDetail *self)
{
  clear_list (self->notes_list);
  for (guint i = self->notes->len; i > 0; i--)
    gtk_list_box_append (self->notes_list, kl_claim_note_row_new (g_ptr_array_index (self->notes, i - 1), self->tz));
  gtk_widget_set_visible (GTK_WIDGET (self->notes_list), self->notes->len > 0);
}

static void
show_history (KlClaimDetail *self)
{
  guint n = self->history->len;

  clear_list (self->history_list);
  for (guint i = n; i > 0; i--)
    gtk_list_box_append (self->history_list,
                         kl_claim_history_row_new (g_ptr_array_index (self->history, i - 1), i == n, i == 1, self->tz));
}

static void
update_actions (KlClaimDetail *self)
{
  gboolean live = self->claim != NULL && !self->claim->deleted;
  static const char *const actions[] = {
    "claim.move", "claim.add-note",
  };

  for (guint i = 0; i < G_N_ELEMENTS (actions); i++)
    gtk_widget_action_set_enabled (GTK_WIDGET (self), actions[i], live);
}

static void
show_case (KlClaimDetail *self)
{
  self->filling = TRUE;
  show_header (self);
  show_moves (self);
  show_notices (self);
  show_deadlines (self);
  show_amounts (self);
  show_documents (self);
  show_shipment (self);
  show_return (self);
  show_handling (self);
  show_notes (self);
  show_history (self);
  self->filling = FALSE;
}

static void
clear_records (KlClaimDetail *self)
{
  g_clear_pointer (&self->claim, kl_claim_free);
  g_clear_pointer (&self->history, g_ptr_array_unref);
  g_clear_pointer (&self->notes, g_ptr_array_unref);
  g_clear_pointer (&self->shipment, kl_shipment_free);
  g_clear_pointer (&self->tz, g_time_zone_unref);
}

gboolean
_kl_claim_detail_is_cancelled (const GError *error)
{
  return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
         g_error_matches (error, KL_DATABASE_ERROR, KL_DATABASE_ERROR_CANCELLED);
}

static void
load_done (GObject      *source,
           GAsyncResult *res,
           gpointer      user_data)
{
  g_autoptr(KlClaimDetail) self = user_data;
  g_autoptr(GError) error = NULL;
  LoadResult *r = kl_worker_run_finish (self->worker, res, &error);
  gboolean same;

  if (_kl_claim_detail_is_cancelled (error))
    return;

  same = r != NULL && self->claim != NULL && g_strcmp0 (self->claim->id, r->claim->id) == 0;
  clear_records (self);
  if (r == NULL)
    {
      g_autofree char *escaped = error ? g_markup_escape_text (error->message, -1) : NULL;

      adw_status_page_set_description (self->error_page, escaped);
      gtk_stack_set_visible_child_name (self->main_stack, "error");
      update_actions (self);
      return;
    }

  self->claim = g_steal_pointer (&r->claim);
  self->history = g_steal_pointer (&r->history);
  self->notes = g_steal_pointer (&r->notes);
  self->shipment = g_steal_pointer (&r->shipment);
  self->tz = g_steal_pointer (&r->tz);
  self->now = r->now;
  self->unpushed = r->unpushed;
  load_result_free (r);

  self->keep_edits = same;
  show_case (self);
  self->keep_edits = FALSE;
  gtk_stack_set_visible_child_name (self->main_stack, "case");
  if (!same)
    gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (self->scroller), 0);
  update_actions (self);
}

void
_kl_claim_detail_reload (KlClaimDetail *self)
{
  g_cancellable_cancel (self->load_cancellable);
  g_clear_object (&self->load_cancellable);

  if (self->claim_id == NULL || self->worker == NULL)
    {
      clear_records (self);
      gtk_stack_set_visible_child_name (self->main_stack, "empty");
      update_actions (self);
      return;
    }

  /* Another case: do not leave the previous one on screen. */
  if (self->claim == NULL ||
      (g_strcmp0 (self->claim->id, self->claim_id) != 0 && g_strcmp0 (self->claim->number, self->claim_id) != 0))
    {
      clear_records (self);
      update_actions (self);
      gtk_stack_set_visible_child_name (self->main_stack, "loading");
    }

  self->load_cancellable = g_cancellable_new ();
  kl_worker_run (self->worker, KL_WORKER_READ, load_job, g_strdup (self->claim_id), g_free,
                 (GDestroyNotify) load_result_free, NULL, NULL, self->load_cancellable,
                 load_done, g_object_ref (self));
}

/* GObject */

static void
kl_claim_detail_dispose (GObject *object)
{
  KlClaimDetail *self = KL_CLAIM_DETAIL (object);

  if (self->load_cancellable != NULL)
    g_cancellable_cancel (self->load_cancellable);
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  /* The stack is both AdwBin's child and a template child: let the bin
   * drop it first so neither unparents it twice. */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), KL_TYPE_CLAIM_DETAIL);
  G_OBJECT_CLASS (kl_claim_detail_parent_class)->dispose (object);
}

static void
kl_claim_detail_finalize (GObject *object)
{
  KlClaimDetail *self = KL_CLAIM_DETAIL (object);

  clear_records (self);
  g_clear_object (&self->load_cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->worker);
  g_clear_pointer (&self->claim_id, g_free);
  G_OBJECT_CLASS (kl_claim_detail_parent_class)->finalize (object);
}

static void
kl_claim_detail_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  KlClaimDetail *self = KL_CLAIM_DETAIL (object);

  switch (prop_id)
    {
    case PROP_CLAIM_ID:
      g_value_set_string (value, self->claim_id);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kl_claim_detail_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  KlClaimDetail *self = KL_CLAIM_DETAIL (object);

  switch (prop_id)
    {
    case PROP_CLAIM_ID:
      kl_claim_detail_set_claim_id (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kl_claim_detail_class_init (KlClaimDetailClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = kl_claim_detail_dispose;
  object_class->finalize = kl_claim_detail_finalize;
  object_class->get_property = kl_claim_detail_get_property;
  object_class->set_property = kl_claim_detail_set_property;

  /**
   * KlClaimDetail:claim-id:
   *
   * The case shown (an id or a number), or %NULL for the empty state.
   */
  properties[PROP_CLAIM_ID] =
    g_param_spec_string ("claim-id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * KlClaimDetail::case-changed:
   * @id: the case's id
   *
   * Emitted after the detail moved or changed a case or added a note, so
   * lists showing it can refresh.
   */
  signals[CASE_CHANGED] =
    g_signal_new ("case-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/keyline/Keyline/kl-claim-detail.ui");
  gtk_widget_class_bind_template_child (widget_class, KlClaimDetail, main_stack);
  gtk_widget_class_bind_template_child (widget_class, KlClaimDetail, error_page);
  gtk_widget_class_bind_template_child (widget_class, KlClaimDetail, scroller);
  gtk_widget_class_bind_template_child (widget_class, KlClaimDetail, kind_icon);
  gtk_widget_class_bind_template_child (widget_class, KlClaimDetail, number_label);
  gtk_widget_class_bind_template_child (widget_class, KlClaimDetail, status_label);
  gtk_widget_class_bind_template_child (widget_class, KlClaimDetail, customer_label);
  gtk_widget_class_bind_template_child (widget_class, KlClaimDetail, subtitle_label);
  gtk_widget_class_bind_template_child (widget_class, KlClaimDetail, deadline_label);
  gtk_widget_class_bind_template_child (widget_class, KlClaimDetail, moves_box);
  gtk_widget_class_bind_template_child (widget_class, KlClaimDetail, final_label);
  gtk_widget_class_bind_template_child (widget_class, KlClaimDetail, notices_box);
  gtk_widget_class_bind_template_child (widget_class, KlClaimDetail, deadlines_group);
  gtk_widget_class_bind_template_child (widget_class, KlClaimDetail, filed_value);
  gtk_widget_class_bind_template_child (widget_class, KlClaimDetail, ack_row);
  gtk_widget_class_bind_template_child (widget_class, KlClaimDetail, ack_value);
  gtk_widget_class_bind_template_child (widget_class, KlClaimDetail, resolve_row);
  gtk_widget_class_bind_template_child (widget_class, KlClaimDetail, resolve_value);
  gtk_widget_class_bind_template_child (widget_class, KlClaimDetail, update_row);
  gtk_widget_class_bind_template_child (widget_class, KlClaimDetail, update_value);
  gtk_widget_class_bind_template_child (widget_class, KlClaimDetail, amounts_group);
  gtk_widget_class_bind_template_child (widget_class, KlClaimDetail, claimed_row);
  gtk_widget_class_bind_template_child (widget_class, KlClaimDetail, approved_value);
  gtk_widget_class_bind_template_child (widget_class, KlClaimDetail, paid_value);
  gtk_widget_class_bind_template_child (widget_class, KlClaimDetail, salvage_row);
  gtk_widget_class_bind_template_child (widget_class, KlClaimDetail, documents_group);
  gtk_widget_class_bind_template_child (widget_class, KlClaimDetail, shipment_group);
  gtk_widget_class_bind_template_child (widget_class, KlClaimDetail, waybill_row);
  gtk_widget_class_bind_template_child (widget_class, KlClaimDetail, waybill_value);
  gtk_widget_class_bind_template_child (widget_class, KlClaimDetail, unknown_row);
  gtk_widget_class_bind_template_child (widget_class, KlClaimDetail, route_row);
  gtk_widget_class_bind_template_child (widget_class, KlClaimDetail, route_value);
  gtk_widget_class_bind_template_child (widget_class, KlClaimDetail, mode_row);
  gtk_widget_class_bind_template_child (widget_class, KlClaimDetail, mode_value);
  gtk_widget_class_bind_template_child (widget_class, KlClaimDetail, shipment_status_row);
  gtk_widget_class_bind_template_child (widget_class, KlClaimDetail, shipment_status_value);
  gtk_widget_class_bind_template_child (widget_class, KlClaimDetail, pickup_row);
  gtk_widget_class_bind_template_child (widget_class, KlClaimDetail, pickup_value);
  gtk_widget_class_bind_template_child (widget_class, KlClaimDetail, delivery_row);
  gtk_widget_class_bind_template_child (widget_class, KlClaimDetail, delivery_value);
  gtk_widget_class_bind_template_child (widget_class, KlClaimDetail, pieces_row);
  gtk_widget_class_bind_template_child (widget_class, KlClaimDetail, pieces_value);
  gtk_widget_class_bind_template_child (widget_class, KlClaimDetail, exceptions_row);
  gtk_widget_class_bind_template_child (widget_class, KlClaimDetail, exceptions_value);
  gtk_widget_class_bind_template_child (widget_class, KlClaimDetail, return_group);
  gtk_widget_class_bind_template_child (widget_class, KlClaimDetail, rma_value);
  gtk_widget_class_bind_template_child (widget_class, KlClaimDetail, destination_value);
  gtk_widget_class_bind_template_child (widget_class, KlClaimDetail, label_value);
  gtk_widget_class_bind_template_child (widget_class, KlClaimDetail, tracking_value);
  gtk_widget_class_bind_template_child (widget_class, KlClaimDetail, outcome_value);
  gtk_widget_class_bind_template_child (widget_class, KlClaimDetail, description_row);
  gtk_widget_class_bind_template_child (widget_class, KlClaimDetail, incident_row);
  gtk_widget_class_bind_template_child (widget_class, KlClaimDetail, incident_value);
  gtk_widget_class_bind_template_child (widget_class, KlClaimDetail, owner_row);
  gtk_widget_class_bind_template_child (widget_class, KlClaimDetail, root_cause_row);
  gtk_widget_class_bind_template_child (widget_class, KlClaimDetail, corrective_row);
  gtk_widget_class_bind_template_child (widget_class, KlClaimDetail, note_entry);
  gtk_widget_class_bind_template_child (widget_class, KlClaimDetail, client_toggle);
  gtk_widget_class_bind_template_child (widget_class, KlClaimDetail, notes_list);
  gtk_widget_class_bind_template_child (widget_class, KlClaimDetail, history_list);
  _kl_claim_detail_class_init_actions (widget_class);

  gtk_widget_class_set_css_name (widget_class, "claimdetail");
}

static void
kl_claim_detail_init (KlClaimDetail *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  kl_gui_spin_only_when_shown (GTK_WIDGET (self));
  kl_claim_row_ensure_style (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  build_document_rows (self);
  update_actions (self);
}

GtkWidget *
kl_claim_detail_new (void)
{
  return g_object_new (KL_TYPE_CLAIM_DETAIL, NULL);
}

void
kl_claim_detail_set_worker (KlClaimDetail *self,
                            KlWorker      *worker)
{
  g_return_if_fail (KL_IS_CLAIM_DETAIL (self));
  g_return_if_fail (worker == NULL || KL_IS_WORKER (worker));

  if (g_set_object (&self->worker, worker))
    _kl_claim_detail_reload (self);
}

void
kl_claim_detail_set_claim_id (KlClaimDetail *self,
                              const char    *claim_id)
{
  g_return_if_fail (KL_IS_CLAIM_DETAIL (self));

  if (g_strcmp0 (self->claim_id, claim_id) == 0)
    return;
  g_free (self->claim_id);
  self->claim_id = g_strdup (claim_id);
  _kl_claim_detail_reload (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLAIM_ID]);
}

void
kl_claim_detail_refresh (KlClaimDetail *self)
{
  g_return_if_fail (KL_IS_CLAIM_DETAIL (self));

  if (self->claim_id != NULL && self->worker != NULL)
    _kl_claim_detail_reload (self);
}

const KlClaim *
kl_claim_detail_get_claim (KlClaimDetail *self)
{
  g_return_val_if_fail (KL_IS_CLAIM_DETAIL (self), NULL);
  return self->claim;
}
