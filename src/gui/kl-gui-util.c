/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Small things the window's widgets share. */

#include "config.h"

#include <adwaita.h>
#include <math.h>
#include <glib/gi18n.h>
#include "kl-format.h"
#include "kl-gui-util.h"

void
kl_gui_add_style_sheet (GtkWidget  *widget,
                        const char *resource_path)
{
  GdkDisplay *display;
  g_autoptr(GtkCssProvider) provider = NULL;
  g_autofree char *key = NULL;

  g_return_if_fail (GTK_IS_WIDGET (widget));
  g_return_if_fail (resource_path != NULL);

  display = gtk_widget_get_display (widget);
  if (display == NULL)
    return;
  /* The provider lives as long as the display, under a key per sheet. */
  key = g_strconcat ("kl-style-sheet:", resource_path, NULL);
  if (g_object_get_data (G_OBJECT (display), key) != NULL)
    return;
  provider = gtk_css_provider_new ();
  gtk_css_provider_load_from_resource (provider, resource_path);
  gtk_style_context_add_provider_for_display (display, GTK_STYLE_PROVIDER (provider),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  g_object_set_data_full (G_OBJECT (display), key, g_steal_pointer (&provider), g_object_unref);
}

static void
spinner_mapped (GtkWidget *spinner,
                gpointer   user_data)
{
  gtk_spinner_start (GTK_SPINNER (spinner));
}

static void
spinner_unmapped (GtkWidget *spinner,
                  gpointer   user_data)
{
  gtk_spinner_stop (GTK_SPINNER (spinner));
}

void
kl_gui_spin_only_when_shown (GtkWidget *widget)
{
  g_return_if_fail (GTK_IS_WIDGET (widget));

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    kl_gui_spin_only_when_shown (child);

  if (GTK_IS_SPINNER (widget) && gtk_spinner_get_spinning (GTK_SPINNER (widget)))
    {
      gtk_spinner_set_spinning (GTK_SPINNER (widget), gtk_widget_get_mapped (widget));
      g_signal_connect (widget, "map", G_CALLBACK (spinner_mapped), NULL);
      g_signal_connect (widget, "unmap", G_CALLBACK (spinner_unmapped), NULL);
    }
}

/* Accessible names. GTK 4.8 names a button with a mnemonic label after
 * both its raw label and its label child ("_Cancel Cancel"), and leaves
 * the toggles inside drop-downs and menu buttons, which are what keyboard
 * focus and screen readers land on, without a name. Every widget is looked
 * at as it is mapped, so dialogs and message dialogs are covered too. */

static char *
strip_mnemonic (const char *label)
{
  GString *text = g_string_new (NULL);

  for (const char *p = label; *p != '\0'; p++)
    {
      /* "取消(_C)": the letter in brackets is only there for the
       * keyboard; a screen reader says "取消". */
      if (p[0] == '(' && p[1] == '_' && p[2] != '\0' && p[2] != '_' && p[3] == ')')
        {
          p += 3;
          continue;
        }
      if (*p == '_')
        {
          /* "__" is a literal underscore; "_x" marks x. */
          if (p[1] == '_')
            {
              g_string_append_c (text, '_');
              p++;
            }
          continue;
        }
      g_string_append_c (text, *p);
    }
  return g_string_free (text, FALSE);
}

static void
name_button_from_label (GtkWidget *button)
{
  const char *label = gtk_button_get_label (GTK_BUTTON (button));
  g_autofree char *text = NULL;

  if (label == NULL || !gtk_button_get_use_underline (GTK_BUTTON (button)))
    return;
  text = strip_mnemonic (label);
  gtk_accessible_reset_relation (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_RELATION_LABELLED_BY);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, text, -1);
}

/* The label below root whose mnemonic widget is target, if any. */
static GtkWidget *
find_mnemonic_label (GtkWidget *root,
                     GtkWidget *target,
                     guint      depth)
{
  if (GTK_IS_LABEL (root) && gtk_label_get_mnemonic_widget (GTK_LABEL (root)) == target)
    return root;
  if (depth == 0 || root == target)
    return NULL;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_mnemonic_label (child, target, depth - 1);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The inner toggle of a drop-down or menu button takes its name from the
 * label that names the outer widget, or else from the outer widget's own
 * label. A widget named by a mnemonic label and by a label property of
 * its own ("Customer Customer") keeps the mnemonic label's. */
static void
name_inner_toggle (GtkWidget *outer)
{
  GtkWidget *label = NULL;
  GtkWidget *ancestor = outer;

  for (guint up = 0; up < 3 && label == NULL && gtk_widget_get_parent (ancestor) != NULL; up++)
    {
      ancestor = gtk_widget_get_parent (ancestor);
      label = find_mnemonic_label (ancestor, outer, 4);
    }
  if (label != NULL)
    gtk_accessible_reset_property (GTK_ACCESSIBLE (outer), GTK_ACCESSIBLE_PROPERTY_LABEL);
  else
    {
      /* In a row that names it (an activatable widget): the row's title. */
      GtkWidget *row = gtk_widget_get_ancestor (outer, ADW_TYPE_ACTION_ROW);

      if (row != NULL && adw_action_row_get_activatable_widget (ADW_ACTION_ROW (row)) == outer)
        {
          const char *title = adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row));

          gtk_accessible_reset_property (GTK_ACCESSIBLE (outer), GTK_ACCESSIBLE_PROPERTY_LABEL);
          for (GtkWidget *child = gtk_widget_get_first_child (outer); child != NULL;
               child = gtk_widget_get_next_sibling (child))
            if (GTK_IS_TOGGLE_BUTTON (child))
              gtk_accessible_update_property (GTK_ACCESSIBLE (child), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                              title, -1);
          return;
        }
    }

  for (GtkWidget *child = gtk_widget_get_first_child (outer); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_TOGGLE_BUTTON (child))
      {
        gtk_accessible_update_relation (GTK_ACCESSIBLE (child),
                                        GTK_ACCESSIBLE_RELATION_LABELLED_BY,
                                        label != NULL ? label : outer, NULL, -1);
        return;
      }
}

static void
name_menu_button (GtkWidget *button)
{
  const char *label = gtk_menu_button_get_label (GTK_MENU_BUTTON (button));
  const char *tooltip = gtk_widget_get_tooltip_text (button);

  if (label != NULL)
    {
      g_autofree char *text = strip_mnemonic (label);

      gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, text, -1);
    }
  else if (tooltip != NULL)
    /* An icon-only menu button (a split button's arrow) says what its
     * tooltip says. */
    gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, tooltip, -1);
  name_inner_toggle (button);
}

/* A toggle says whether it is pressed. */
static void
toggle_state (GtkToggleButton *toggle)
{
  gtk_accessible_update_state (GTK_ACCESSIBLE (toggle), GTK_ACCESSIBLE_STATE_PRESSED,
                               gtk_toggle_button_get_active (toggle)
                               ? GTK_ACCESSIBLE_TRISTATE_TRUE : GTK_ACCESSIBLE_TRISTATE_FALSE,
                               -1);
}

static void
name_widget (GtkWidget *widget)
{
  if (g_object_get_data (G_OBJECT (widget), "kl-accessible-named") != NULL)
    return;
  if (GTK_IS_TOGGLE_BUTTON (widget) && !GTK_IS_CHECK_BUTTON (widget))
    {
      toggle_state (GTK_TOGGLE_BUTTON (widget));
      g_signal_connect (widget, "notify::active", G_CALLBACK (toggle_state), NULL);
      g_object_set_data (G_OBJECT (widget), "kl-accessible-named", GINT_TO_POINTER (1));
      return;
    }
  /* Windows keep the names GTK gives them: setting a window's label
   * property makes GTK 4.8 drop the application from the accessibility
   * bus as the window opens. */
  if (GTK_IS_BUTTON (widget) && !GTK_IS_TOGGLE_BUTTON (widget))
    {
      name_button_from_label (widget);
      /* A button whose label changes (Cancel becomes Stop) is named again. */
      g_signal_connect (widget, "notify::label", G_CALLBACK (name_button_from_label), NULL);
    }
  else if (GTK_IS_MENU_BUTTON (widget))
    name_menu_button (widget);
  else if (GTK_IS_DROP_DOWN (widget))
    name_inner_toggle (widget);
  else
    return;
  g_object_set_data (G_OBJECT (widget), "kl-accessible-named", GINT_TO_POINTER (1));
}

static void
name_tree (GtkWidget *widget)
{
  name_widget (widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    name_tree (child);
}

/* A window, as it is mapped, has its whole tree named, the pages it does
 * not show yet included (assistive technology sees those too); anything
 * mapped later is named as it is. */
static gboolean
widget_mapped_hook (GSignalInvocationHint *hint,
                    guint                  n_values,
                    const GValue          *values,
                    gpointer               user_data)
{
  GtkWidget *widget = g_value_get_object (&values[0]);

  if (GTK_IS_WINDOW (widget))
    name_tree (widget);
  else
    name_widget (widget);
  return TRUE;
}

void
kl_gui_name_accessibles (GtkWidget *widget)
{
  g_return_if_fail (GTK_IS_WIDGET (widget));
  name_tree (widget);
}

void
kl_gui_fix_accessible_names (void)
{
  static gsize once = 0;

  if (g_once_init_enter (&once))
    {
      /* The class must exist for its signals to. */
      gpointer klass = g_type_class_ref (GTK_TYPE_WIDGET);
      guint map = g_signal_lookup ("map", GTK_TYPE_WIDGET);

      g_type_class_unref (klass);

      g_signal_add_emission_hook (map, 0, widget_mapped_hook, NULL, NULL);
      g_once_init_leave (&once, 1);
    }
}

/* Tooltips set without asking where the pointer is. */

static GQuark
tooltip_quark (void)
{
  static GQuark quark = 0;

  if (G_UNLIKELY (quark == 0))
    quark = g_quark_from_static_string ("kl-gui-tooltip");
  return quark;
}

static gboolean
query_tooltip (GtkWidget  *widget,
               int         x,
               int         y,
               gboolean    keyboard_tip,
               GtkTooltip *tooltip,
               gpointer    user_data)
{
  const char *text = g_object_get_qdata (G_OBJECT (widget), tooltip_quark ());

  if (text == NULL)
    return FALSE;
  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

void
kl_gui_set_tooltip (GtkWidget  *widget,
                    const char *text)
{
  const char *old;

  g_return_if_fail (GTK_IS_WIDGET (widget));

  if (text != NULL && *text == '\0')
    text = NULL;
  old = g_object_get_qdata (G_OBJECT (widget), tooltip_quark ());
  if (g_strcmp0 (old, text) == 0)
    return;
  if (g_object_get_data (G_OBJECT (widget), "kl-gui-tooltip-handler") == NULL)
    {
      g_signal_connect (widget, "query-tooltip", G_CALLBACK (query_tooltip), NULL);
      g_object_set_data (G_OBJECT (widget), "kl-gui-tooltip-handler", GINT_TO_POINTER (1));
    }
  g_object_set_qdata_full (G_OBJECT (widget), tooltip_quark (), g_strdup (text), g_free);
  if (text != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, text, -1);
  else
    gtk_accessible_reset_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
  gtk_widget_set_has_tooltip (widget, text != NULL);
}

/* Rates against targets. */

int
kl_gui_rate_decimals (double variance_pp)
{
  double miss = fabs (variance_pp);

  if (isnan (variance_pp) || miss == 0 || miss >= 0.05)
    return 1;
  return miss >= 0.005 ? 2 : 3;
}

char *
kl_gui_format_percent (double rate,
                       int    decimals)
{
  g_autofree char *number = NULL;

  if (decimals <= 1 || isnan (rate))
    return kl_format_percent (rate);
  number = kl_format_decimal (rate * 100.0, decimals);
  /* Translators: a percentage, "95.4%"; %s is the number. */
  return g_strdup_printf (_("%s%%"), number);
}

char *
kl_gui_format_pp_delta (double pp,
                        int    decimals)
{
  g_autofree char *number = NULL;
  g_autofree char *digits = NULL;

  if (decimals <= 1 || isnan (pp))
    return kl_format_pp_delta (pp);
  digits = kl_format_decimal (fabs (pp), decimals);
  number = g_strconcat (pp > 0 ? "+" : "\u2212", digits, NULL);
  /* Translators: a difference in percentage points, "+1.2 pp"; %s is the signed number. */
  return g_strdup_printf (_("%s pp"), number);
}
