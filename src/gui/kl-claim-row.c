/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A case row of the Claims & Returns list and of a customer's cases, the
 * item behind it, and the presentation rules (badges, deadlines, money)
 * the claims widgets share. */
#include "config.h"

#include <glib/gi18n.h>
#include "kl-claim-row.h"
#include "kl-gui-util.h"

/* The item */

struct _KlClaimItem {
  GObject    parent_instance;

  KlClaim   *claim;
  gint64     now;
  GTimeZone *tz;
  gboolean   unpushed;
};

G_DEFINE_FINAL_TYPE (KlClaimItem, kl_claim_item, G_TYPE_OBJECT)

static void
kl_claim_item_finalize (GObject *object)
{
  KlClaimItem *self = KL_CLAIM_ITEM (object);

  g_clear_pointer (&self->claim, kl_claim_free);
  g_clear_pointer (&self->tz, g_time_zone_unref);
  G_OBJECT_CLASS (kl_claim_item_parent_class)->finalize (object);
}

static void
kl_claim_item_class_init (KlClaimItemClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = kl_claim_item_finalize;
}

static void
kl_claim_item_init (KlClaimItem *self)
{
}

KlClaimItem *
kl_claim_item_new (KlClaim   *claim,
                   gint64     now,
                   GTimeZone *tz)
{
  KlClaimItem *self;

  g_return_val_if_fail (claim != NULL, NULL);

  self = g_object_new (KL_TYPE_CLAIM_ITEM, NULL);
  self->claim = claim;
  self->now = now;
  self->tz = tz != NULL ? g_time_zone_ref (tz) : NULL;
  return self;
}

const KlClaim *
kl_claim_item_get_claim (KlClaimItem *self)
{
  g_return_val_if_fail (KL_IS_CLAIM_ITEM (self), NULL);
  return self->claim;
}

const char *
kl_claim_item_get_id (KlClaimItem *self)
{
  g_return_val_if_fail (KL_IS_CLAIM_ITEM (self), NULL);
  return self->claim->id;
}

gint64
kl_claim_item_get_now (KlClaimItem *self)
{
  g_return_val_if_fail (KL_IS_CLAIM_ITEM (self), 0);
  return self->now;
}

GTimeZone *
kl_claim_item_get_tz (KlClaimItem *self)
{
  g_return_val_if_fail (KL_IS_CLAIM_ITEM (self), NULL);
  return self->tz;
}

void
kl_claim_item_set_unpushed (KlClaimItem *self,
                            gboolean     unpushed)
{
  g_return_if_fail (KL_IS_CLAIM_ITEM (self));
  self->unpushed = unpushed;
}

gboolean
kl_claim_item_get_unpushed (KlClaimItem *self)
{
  g_return_val_if_fail (KL_IS_CLAIM_ITEM (self), FALSE);
  return self->unpushed;
}

/* Presentation rules */

const char *
kl_claim_row_unsynced_text (const KlClaim *c,
                            gboolean       unpushed)
{
  g_return_val_if_fail (c != NULL, NULL);

  if (kl_claim_number_is_provisional (c->number))
    return _("Not yet synced: the number is provisional until the back office gives the case its own");
  if (unpushed)
    return _("Not yet synced: changed here, sent to the back office at the next sync");
  return NULL;
}

const char *
kl_claim_row_kind_icon_name (KlClaimKind kind)
{
  static const char *const icons[] = {
    [KL_CLAIM_KIND_DAMAGE]    = "dialog-warning-symbolic",
    [KL_CLAIM_KIND_SHORTAGE]  = "list-remove-symbolic",
    [KL_CLAIM_KIND_DELAY]     = "alarm-symbolic",
    [KL_CLAIM_KIND_LOSS]      = "edit-find-symbolic",
    [KL_CLAIM_KIND_RETURN]    = "mail-replied-symbolic",
    [KL_CLAIM_KIND_COMPLAINT] = "mail-mark-important-symbolic",
  };
  G_STATIC_ASSERT (G_N_ELEMENTS (icons) == KL_N_CLAIM_KINDS);

  g_return_val_if_fail ((int) kind >= 0 && kind < KL_N_CLAIM_KINDS, "package-x-generic-symbolic");
  return icons[kind];
}

/* "status-new", "status-active", "status-settled", "status-refused" or
 * "status-done": the badge colour of a status. */
static const char *
kl_claim_row_status_class (KlClaimStatus status)
{
  switch (status)
    {
    case KL_CLAIM_STATUS_DRAFT:
    case KL_CLAIM_STATUS_FILED:
    case KL_CLAIM_STATUS_REQUESTED:
    case KL_CLAIM_STATUS_OPEN:
      return "status-new";
    case KL_CLAIM_STATUS_ACKNOWLEDGED:
    case KL_CLAIM_STATUS_INVESTIGATING:
    case KL_CLAIM_STATUS_AUTHORIZED:
    case KL_CLAIM_STATUS_IN_TRANSIT:
    case KL_CLAIM_STATUS_RECEIVED:
    case KL_CLAIM_STATUS_INSPECTED:
      return "status-active";
    case KL_CLAIM_STATUS_APPROVED:
    case KL_CLAIM_STATUS_PAID:
    case KL_CLAIM_STATUS_RESOLVED:
      return "status-settled";
    case KL_CLAIM_STATUS_DECLINED:
    case KL_CLAIM_STATUS_REJECTED:
      return "status-refused";
    case KL_CLAIM_STATUS_CLOSED:
    case KL_CLAIM_STATUS_WITHDRAWN:
    case KL_CLAIM_STATUS_CANCELLED:
    case KL_N_CLAIM_STATUSES:
    default:
      return "status-done";
    }
}

void
kl_claim_row_style_badge (GtkWidget     *label,
                          KlClaimStatus  status)
{
  static const char *const classes[] = {
    "status-new", "status-active", "status-settled", "status-refused", "status-done",
  };

  g_return_if_fail (GTK_IS_LABEL (label));

  for (guint i = 0; i < G_N_ELEMENTS (classes); i++)
    gtk_widget_remove_css_class (label, classes[i]);
  gtk_widget_add_css_class (label, "claim-status");
  gtk_widget_add_css_class (label, kl_claim_row_status_class (status));
  gtk_label_set_text (GTK_LABEL (label), kl_claim_status_to_label (status));
}

static GDateTime *
date_time_in (gint64     t,
              GTimeZone *tz)
{
  g_autoptr(GDateTime) utc = NULL;

  if (t == KL_NO_TIME)
    return NULL;
  utc = g_date_time_new_from_unix_utc (t);
  if (utc == NULL)
    return NULL;
  return tz != NULL ? g_date_time_to_timezone (utc, tz) : g_date_time_to_local (utc);
}

char *
kl_claim_row_format_day (gint64     t,
                         GTimeZone *tz)
{
  g_autoptr(GDateTime) dt = date_time_in (t, tz);

  /* Translators: a day as lists show it, in g_date_time_format() codes;
   * give your locale's usual form ("%Y年%-m月%-d日") */
  return dt != NULL ? g_date_time_format (dt, C_("date format", "%Y-%m-%d")) : NULL;
}

char *
kl_claim_row_format_time (gint64     t,
                          GTimeZone *tz)
{
  g_autoptr(GDateTime) dt = date_time_in (t, tz);

  /* Translators: a day and time as lists show them, in g_date_time_format()
   * codes; give your locale's usual form ("%Y年%-m月%-d日 %H:%M") */
  return dt != NULL ? g_date_time_format (dt, C_("date format", "%Y-%m-%d %H:%M")) : NULL;
}

/* Whole local days between the day of now and the day of due, so a deadline
 * at 23:59:59 tonight is "today", not "in 1 day". */
static int
days_between (gint64     now,
              gint64     due,
              GTimeZone *tz)
{
  g_autoptr(GDateTime) a = date_time_in (now, tz);
  g_autoptr(GDateTime) b = date_time_in (due, tz);
  g_autoptr(GDateTime) a0 = NULL;
  g_autoptr(GDateTime) b0 = NULL;

  if (a == NULL || b == NULL)
    return 0;
  a0 = g_date_time_new (g_date_time_get_timezone (a), g_date_time_get_year (a),
                        g_date_time_get_month (a), g_date_time_get_day_of_month (a), 12, 0, 0);
  b0 = g_date_time_new (g_date_time_get_timezone (b), g_date_time_get_year (b),
                        g_date_time_get_month (b), g_date_time_get_day_of_month (b), 12, 0, 0);
  return (int) (g_date_time_difference (b0, a0) / G_TIME_SPAN_DAY);
}

char *
kl_claim_row_deadline_text (const KlClaim *c,
                            gint64         now,
                            GTimeZone     *tz,
                            gboolean       compact)
{
  const KlClaimDeadlines *d;
  g_autofree char *day = NULL;
  g_autofree char *what = NULL;
  g_autofree char *when = NULL;
  gint64 due;
  int days;

  g_return_val_if_fail (c != NULL, NULL);

  d = &c->deadlines;
  if (c->status == KL_CLAIM_STATUS_CLOSED && c->closed_at != KL_NO_TIME)
    {
      day = kl_claim_row_format_day (c->closed_at, tz);
      /* Translators: when a case was closed, "Closed 2026-10-31" */
      return g_strdup_printf (_("Closed %s"), day);
    }
  if (c->filed_at == KL_NO_TIME)
    return c->status == KL_CLAIM_STATUS_DRAFT ? g_strdup (_("Draft, not filed yet")) : NULL;

  if (d->acknowledge_pending)
    {
      due = d->acknowledge_by;
      day = kl_claim_row_format_day (due, tz);
      /* Translators: a deadline, "Acknowledge by 2026-10-31" */
      what = g_strdup_printf (_("Acknowledge by %s"), day);
    }
  else if (d->update_due_by != KL_NO_TIME && (d->update_overdue || !d->resolve_overdue))
    {
      due = d->update_due_by;
      day = kl_claim_row_format_day (due, tz);
      /* Translators: a deadline, "Status update due by 2026-10-31" */
      what = g_strdup_printf (_("Status update due by %s"), day);
    }
  else if (d->resolve_pending)
    {
      due = d->resolve_by;
      day = kl_claim_row_format_day (due, tz);
      /* Translators: a deadline, "Resolve by 2026-10-31" */
      what = g_strdup_printf (_("Resolve by %s"), day);
    }
  else
    return NULL;

  days = days_between (now, due, tz);
  if (now > due)
    {
      int late = MAX (1, -days);

      /* Translators: how late a deadline is */
      when = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d day late", "%d days late", late), late);
      if (compact)
        return g_strdup_printf (_("%s · %s"), what, when);
      /* Translators: an overdue case, "Overdue · Acknowledge by 2026-10-31 · 3 days late" */
      return g_strdup_printf (_("Overdue · %s · %s"), what, when);
    }
  if (days <= 0)
    when = g_strdup (_("today"));
  else
    /* Translators: how soon a deadline comes, "in 3 days" */
    when = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "in %d day", "in %d days", days), days);
  /* Translators: a deadline and how soon it comes, "Acknowledge by 2026-10-31 · in 3 days" */
  return g_strdup_printf (_("%s · %s"), what, when);
}

char *
kl_claim_row_money_text (gboolean    set,
                         gint64      minor,
                         const char *currency)
{
  int decimals;
  guint64 abs_minor, scale = 1;

  if (!set)
    return NULL;
  decimals = kl_currency_decimals (currency);
  for (int i = 0; i < decimals; i++)
    scale *= 10;
  abs_minor = minor < 0 ? (guint64) (-(minor + 1)) + 1 : (guint64) minor;
  /* Grouped the way the locale groups thousands. */
  if (decimals == 0)
    return g_strdup_printf ("%s%'" G_GUINT64_FORMAT " %s", minor < 0 ? "-" : "",
                            abs_minor, currency != NULL ? currency : "");
  return g_strdup_printf ("%s%'" G_GUINT64_FORMAT ".%0*" G_GUINT64_FORMAT " %s", minor < 0 ? "-" : "",
                          abs_minor / scale, decimals, abs_minor % scale,
                          currency != NULL ? currency : "");
}

void
kl_claim_row_ensure_style (GtkWidget *widget)
{
  kl_gui_add_style_sheet (widget, "/io/github/keyline/Keyline/kl-claims.css");
}

/* The row */

struct _KlClaimRow {
  GtkWidget    parent_instance;

  KlClaimItem *item;

  GtkImage    *kind_icon;
  GtkLabel    *number_label;
  GtkImage    *sync_mark;
  GtkLabel    *status_label;
  GtkLabel    *subtitle_label;
  GtkLabel    *deadline_label;
};

G_DEFINE_FINAL_TYPE (KlClaimRow, kl_claim_row, GTK_TYPE_WIDGET)

static void
kl_claim_row_dispose (GObject *object)
{
  KlClaimRow *self = KL_CLAIM_ROW (object);
  GtkWidget *child;

  /* The template's unnamed children too; the named ones are then dropped
   * by dispose_template. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  gtk_widget_dispose_template (GTK_WIDGET (self), KL_TYPE_CLAIM_ROW);
  g_clear_object (&self->item);
  G_OBJECT_CLASS (kl_claim_row_parent_class)->dispose (object);
}

static void
kl_claim_row_class_init (KlClaimRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = kl_claim_row_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/keyline/Keyline/kl-claim-row.ui");
  gtk_widget_class_bind_template_child (widget_class, KlClaimRow, kind_icon);
  gtk_widget_class_bind_template_child (widget_class, KlClaimRow, number_label);
  gtk_widget_class_bind_template_child (widget_class, KlClaimRow, sync_mark);
  gtk_widget_class_bind_template_child (widget_class, KlClaimRow, status_label);
  gtk_widget_class_bind_template_child (widget_class, KlClaimRow, subtitle_label);
  gtk_widget_class_bind_template_child (widget_class, KlClaimRow, deadline_label);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "claimrow");
}

static void
kl_claim_row_init (KlClaimRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  kl_claim_row_ensure_style (GTK_WIDGET (self));
}

GtkWidget *
kl_claim_row_new (void)
{
  return g_object_new (KL_TYPE_CLAIM_ROW, NULL);
}

void
kl_claim_row_set_item (KlClaimRow  *self,
                       KlClaimItem *item,
                       gboolean     show_customer)
{
  const KlClaim *c;
  g_autofree char *subtitle = NULL;
  g_autofree char *deadline = NULL;
  g_autofree char *accessible = NULL;
  const char *kind_label;
  const char *unsynced;

  g_return_if_fail (KL_IS_CLAIM_ROW (self));
  g_return_if_fail (item == NULL || KL_IS_CLAIM_ITEM (item));

  g_set_object (&self->item, item);
  gtk_widget_remove_css_class (GTK_WIDGET (self), "overdue");
  gtk_widget_remove_css_class (GTK_WIDGET (self->deadline_label), "error");
  if (item == NULL)
    {
      gtk_label_set_text (self->number_label, "");
      gtk_label_set_text (self->subtitle_label, "");
      gtk_label_set_text (self->deadline_label, "");
      gtk_widget_set_visible (GTK_WIDGET (self->sync_mark), FALSE);
      return;
    }

  c = item->claim;
  kind_label = kl_claim_kind_to_label (c->kind);
  gtk_image_set_from_icon_name (self->kind_icon, kl_claim_row_kind_icon_name (c->kind));
  kl_gui_set_tooltip (GTK_WIDGET (self->kind_icon), kind_label);
  gtk_label_set_text (self->number_label, c->number);
  kl_claim_row_style_badge (GTK_WIDGET (self->status_label), c->status);
  /* Not in step with the back office: a small dimmed mark, as the
   * customer list's "not synced yet". */
  unsynced = kl_claim_row_unsynced_text (c, item->unpushed);
  gtk_widget_set_visible (GTK_WIDGET (self->sync_mark), unsynced != NULL);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->sync_mark), unsynced);
  if (unsynced != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (self->sync_mark),
                                    GTK_ACCESSIBLE_PROPERTY_LABEL, _("Not yet synced"),
                                    GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, unsynced,
                                    -1);

  if (show_customer)
    /* Translators: a case's customer and kind, "Acme Logistics · Damage" */
    subtitle = g_strdup_printf (_("%s · %s"), c->customer_name ? c->customer_name : "", kind_label);
  else if (c->waybill != NULL)
    /* Translators: a case's kind and waybill, "Damage · SF123" */
    subtitle = g_strdup_printf (_("%s · %s"), kind_label, c->waybill);
  else
    subtitle = g_strdup (kind_label);
  gtk_label_set_text (self->subtitle_label, subtitle);

  deadline = kl_claim_row_deadline_text (c, item->now, item->tz, TRUE);
  gtk_label_set_text (self->deadline_label, deadline ? deadline : "");
  gtk_widget_set_visible (GTK_WIDGET (self->deadline_label), deadline != NULL);
  if (c->overdue)
    {
      gtk_widget_add_css_class (GTK_WIDGET (self), "overdue");
      gtk_widget_add_css_class (GTK_WIDGET (self->deadline_label), "error");
    }

  /* Translators: how a screen reader reads a case row:
   * number, status, subtitle, deadline */
  accessible = g_strdup_printf (_("%s, %s, %s. %s"), c->number, kl_claim_status_to_label (c->status),
                                subtitle, deadline ? deadline : "");
  if (unsynced != NULL)
    {
      g_autofree char *more = g_strdup_printf ("%s %s", accessible, unsynced);

      g_free (accessible);
      accessible = g_steal_pointer (&more);
    }
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, accessible, -1);
}
