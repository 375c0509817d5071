/* SPDX-License-Identifier: GPL-3.0-or-later */
/* An activity row: kind icon, subject, when it happened, its follow-up (in
 * the error colour when overdue) and a check box that marks it done. */
#include "config.h"

#include <glib/gi18n.h>
#include "kl-activity-row.h"
#include "kl-gui-util.h"

struct _KlActivityRow {
  AdwActionRow  parent_instance;

  KlActivity   *activity;

  GtkImage     *kind_icon;
  GtkLabel     *due_label;
  GtkCheckButton *done_check;
  GtkWidget    *edit_button;
  GtkWidget    *delete_button;
};

G_DEFINE_FINAL_TYPE (KlActivityRow, kl_activity_row, ADW_TYPE_ACTION_ROW)

static const char *
kl_activity_kind_icon_name (KlActivityKind kind)
{
  static const char *const icons[] = {
    [KL_ACTIVITY_VISIT]   = "mark-location-symbolic",
    [KL_ACTIVITY_CALL]    = "call-start-symbolic",
    [KL_ACTIVITY_EMAIL]   = "mail-unread-symbolic",
    [KL_ACTIVITY_MEETING] = "system-users-symbolic",
    [KL_ACTIVITY_SURVEY]  = "x-office-document-symbolic",
    [KL_ACTIVITY_LETTER]  = "mail-send-symbolic",
    [KL_ACTIVITY_TASK]    = "task-due-symbolic",
  };
  G_STATIC_ASSERT (G_N_ELEMENTS (icons) == KL_N_ACTIVITY_KINDS);

  g_return_val_if_fail ((int) kind >= 0 && kind < KL_N_ACTIVITY_KINDS, "task-due-symbolic");
  return icons[kind];
}

static void
on_activated (KlActivityRow *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "activity.edit", "s", self->activity->id);
}

static void
on_done_toggled (KlActivityRow *self)
{
  /* The detail saves the flip and rebuilds the list from the database. */
  if (gtk_check_button_get_active (self->done_check) != self->activity->done)
    gtk_widget_activate_action (GTK_WIDGET (self), "activity.toggle-done", "s", self->activity->id);
}

static void
kl_activity_row_finalize (GObject *object)
{
  KlActivityRow *self = KL_ACTIVITY_ROW (object);

  g_clear_pointer (&self->activity, kl_activity_free);
  G_OBJECT_CLASS (kl_activity_row_parent_class)->finalize (object);
}

static void
kl_activity_row_class_init (KlActivityRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = kl_activity_row_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/keyline/Keyline/kl-activity-row.ui");
  gtk_widget_class_bind_template_child (widget_class, KlActivityRow, kind_icon);
  gtk_widget_class_bind_template_child (widget_class, KlActivityRow, due_label);
  gtk_widget_class_bind_template_child (widget_class, KlActivityRow, done_check);
  gtk_widget_class_bind_template_child (widget_class, KlActivityRow, edit_button);
  gtk_widget_class_bind_template_child (widget_class, KlActivityRow, delete_button);
  gtk_widget_class_bind_template_callback (widget_class, on_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_done_toggled);
}

static void
kl_activity_row_init (KlActivityRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  /* Keep the theme's node name (row) so its styling applies. */
  gtk_widget_add_css_class (GTK_WIDGET (self), "activity-row");
}

static char *
format_time (gint64 t)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_local (t);

  /* Translators: a day and time as lists show them, in g_date_time_format()
   * codes; give your locale's usual form ("%Y年%-m月%-d日 %H:%M") */
  return dt ? g_date_time_format (dt, C_("date format", "%Y-%m-%d %H:%M")) : g_strdup ("");
}

GtkWidget *
kl_activity_row_new (const KlActivity *activity,
                     gint64            now)
{
  KlActivityRow *self;
  g_autofree char *when = NULL;
  g_autofree char *subtitle = NULL;
  g_autofree char *escaped = NULL;
  const char *kind_label;

  g_return_val_if_fail (activity != NULL && activity->id != NULL, NULL);

  self = g_object_new (KL_TYPE_ACTIVITY_ROW, NULL);
  self->activity = kl_activity_copy (activity);

  kind_label = kl_activity_kind_to_label (activity->kind);
  gtk_image_set_from_icon_name (self->kind_icon, kl_activity_kind_icon_name (activity->kind));
  kl_gui_set_tooltip (GTK_WIDGET (self->kind_icon), kind_label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->kind_icon),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, kind_label, -1);

  escaped = g_markup_escape_text (activity->subject ? activity->subject : "", -1);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self), escaped);
  g_clear_pointer (&escaped, g_free);

  when = format_time (activity->at);
  /* Translators: an activity's kind and when it happened, "Call · 2026-10-31 14:00" */
  subtitle = g_strdup_printf (_("%s · %s"), kind_label, when);
  escaped = g_markup_escape_text (subtitle, -1);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self), escaped);

  if (activity->due_at != KL_NO_TIME)
    {
      g_autofree char *due = format_time (activity->due_at);
      g_autofree char *text = NULL;
      gboolean overdue = !activity->done && activity->due_at < now;

      if (activity->done)
        /* Translators: a follow-up that was done, with when it was due */
        text = g_strdup_printf (_("Done, due %s"), due);
      else if (overdue)
        text = g_strdup_printf (_("Overdue since %s"), due);
      else
        text = g_strdup_printf (_("Follow up by %s"), due);
      gtk_label_set_text (self->due_label, text);
      gtk_widget_set_visible (GTK_WIDGET (self->due_label), TRUE);
      if (overdue)
        {
          gtk_widget_add_css_class (GTK_WIDGET (self->due_label), "error");
          gtk_widget_add_css_class (GTK_WIDGET (self), "overdue");
        }
      else
        gtk_widget_add_css_class (GTK_WIDGET (self->due_label), "dim-label");
    }

  gtk_check_button_set_active (self->done_check, activity->done);
  gtk_actionable_set_action_target (GTK_ACTIONABLE (self->edit_button), "s", activity->id);
  gtk_actionable_set_action_target (GTK_ACTIONABLE (self->delete_button), "s", activity->id);
  return GTK_WIDGET (self);
}
