/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A customer list row. It follows its item, so a placeholder row fills in
 * when the item's page arrives. */
#include "config.h"

#include <glib/gi18n.h>
#include "kl-customer-row.h"
#include "kl-gui-util.h"
#include "kl-records.h"
#include "kl-customer-store.h"
#include "kl-table-cell.h"

struct _KlCustomerRow {
  GtkWidget       parent_instance;

  KlCustomerItem *item;
  gulong          notify_id;
  guint           pending_tick;  /* the row waits for a later frame */

  KlTableCell    *text_cell;
  GtkLabel       *abc_label;
  GtkLabel       *status_label;
};

G_DEFINE_FINAL_TYPE (KlCustomerRow, kl_customer_row, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_ITEM,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char *abc_classes[] = { "abc-a", "abc-b", "abc-c" };
static const char *status_classes[] = { "status-prospect", "status-active",
                                        "status-at-risk", "status-lost" };

/* Gives widget the one class of classes at wanted (none for -1), leaving
 * a class it already has alone: taking it off and putting it back made
 * every rebound row's labels restyle. */
static void
set_one_class (GtkWidget          *widget,
               const char * const *classes,
               guint               n_classes,
               int                 wanted)
{
  for (guint i = 0; i < n_classes; i++)
    if ((int) i != wanted)
      gtk_widget_remove_css_class (widget, classes[i]);
  if (wanted >= 0 && (guint) wanted < n_classes)
    gtk_widget_add_css_class (widget, classes[wanted]);
}

/* Rows filled in per frame. A jump in the list rebinds every one of GTK
 * 4.8's up to 200 row widgets, and a page of 100 customers arrives at once;
 * laying out four labels of each in one frame took 40-140 ms of CPU on
 * the 10 M bench workspace. Rows past the budget are blank for a frame or two and fill in
 * on the next frames, the first asked first. A row cost about 0.8 ms of
 * layout there: 25 a frame made the search's frames 17-24 ms; at 15 the
 * typing frames still reached 20-28 ms, at 10 they stay under 16 but for
 * the frames that make or drop row widgets (bench/README.md). */
#define UPDATES_PER_FRAME 10

static gint64 budget_frame = -1;
static guint  budget_used;

static gboolean
take_budget (GtkWidget *widget)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (widget);
  gint64 frame;

  /* Not on screen (or in a test without a window): at once. */
  if (clock == NULL)
    return TRUE;
  frame = gdk_frame_clock_get_frame_counter (clock);
  if (frame != budget_frame)
    {
      budget_frame = frame;
      budget_used = 0;
    }
  return budget_used++ < UPDATES_PER_FRAME;
}

static void render (KlCustomerRow    *self,
                    const KlCustomer *c);

static gboolean
pending_tick_cb (GtkWidget     *widget,
                 GdkFrameClock *clock,
                 gpointer       data)
{
  KlCustomerRow *self = KL_CUSTOMER_ROW (widget);

  if (!take_budget (widget))
    return G_SOURCE_CONTINUE;
  self->pending_tick = 0;
  render (self, self->item ? kl_customer_item_get_customer (self->item) : NULL);
  return G_SOURCE_REMOVE;
}

static void
cancel_pending (KlCustomerRow *self)
{
  if (self->pending_tick != 0)
    gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->pending_tick);
  self->pending_tick = 0;
}

static void
update (KlCustomerRow *self)
{
  const KlCustomer *c = self->item ? kl_customer_item_get_customer (self->item) : NULL;

  if (c == NULL || take_budget (GTK_WIDGET (self)))
    {
      cancel_pending (self);
      render (self, c);
      return;
    }
  /* The customer on a later frame; until then the row is blank. Its
   * labels keep their old text, which needs no new layout (a placeholder
   * text would, and rendering each row twice cost more than it spread). */
  gtk_widget_set_opacity (GTK_WIDGET (self), 0.0);
  if (self->pending_tick == 0)
    self->pending_tick = gtk_widget_add_tick_callback (GTK_WIDGET (self), pending_tick_cb, NULL, NULL);
}

static void
render (KlCustomerRow    *self,
        const KlCustomer *c)
{
  g_autofree char *detail = NULL;
  KlAbcClass abc;

  gtk_widget_set_opacity (GTK_WIDGET (self), 1.0);

  if (c == NULL)
    {
      set_one_class (GTK_WIDGET (self->abc_label), abc_classes, G_N_ELEMENTS (abc_classes), -1);
      set_one_class (GTK_WIDGET (self->status_label), status_classes, G_N_ELEMENTS (status_classes), -1);
      gtk_widget_add_css_class (GTK_WIDGET (self), "placeholder");
      kl_table_cell_set_title (self->text_cell, _("Loading…"), KL_TABLE_CELL_TONE_DIM);
      /* An empty line keeps the row's height. */
      kl_table_cell_set_caption (self->text_cell, "", KL_TABLE_CELL_TONE_DIM);
      gtk_widget_set_visible (GTK_WIDGET (self->abc_label), FALSE);
      gtk_label_set_label (self->status_label, "");
      return;
    }

  gtk_widget_remove_css_class (GTK_WIDGET (self), "placeholder");
  kl_table_cell_set_title (self->text_cell, c->name, KL_TABLE_CELL_TONE_NORMAL);

  if (c->region != NULL && *c->region != '\0')
    /* Translators: a customer's code and region in the list, "C0012 · 华东" */
    detail = g_strdup_printf (_("%s · %s"), c->code, c->region);
  else
    detail = g_strdup (c->code);
  if (g_object_get_data (G_OBJECT (self->item), "kl-sync-unpushed") != NULL)
    {
      /* Translators: appended to a customer's code in the list when it was changed here and not yet synced */
      g_autofree char *marked = g_strdup_printf (_("%s · not synced yet"), detail);

      g_free (detail);
      detail = g_steal_pointer (&marked);
    }
  kl_table_cell_set_caption (self->text_cell, detail, KL_TABLE_CELL_TONE_DIM);

  abc = kl_customer_effective_abc (c);
  gtk_widget_set_visible (GTK_WIDGET (self->abc_label), abc != KL_ABC_NONE);
  set_one_class (GTK_WIDGET (self->abc_label), abc_classes, G_N_ELEMENTS (abc_classes),
                 abc != KL_ABC_NONE ? (int) (abc - KL_ABC_A) : -1);
  if (abc != KL_ABC_NONE)
    gtk_label_set_label (self->abc_label, kl_abc_class_to_label (abc));

  gtk_label_set_label (self->status_label, kl_customer_status_to_label (c->status));
  set_one_class (GTK_WIDGET (self->status_label), status_classes, G_N_ELEMENTS (status_classes),
                 (guint) c->status < G_N_ELEMENTS (status_classes) ? (int) c->status : -1);
}

static void
item_notify_cb (KlCustomerRow *self)
{
  update (self);
}

static void
kl_customer_row_set_item (KlCustomerRow  *self,
                          KlCustomerItem *item)
{
  g_return_if_fail (KL_IS_CUSTOMER_ROW (self));
  g_return_if_fail (item == NULL || KL_IS_CUSTOMER_ITEM (item));

  if (self->item == item)
    return;

  if (self->item != NULL)
    {
      g_clear_signal_handler (&self->notify_id, self->item);
      kl_customer_item_set_shown (self->item, FALSE);
    }
  g_set_object (&self->item, item);
  if (item != NULL)
    kl_customer_item_set_shown (item, TRUE);
  if (item != NULL)
    self->notify_id = g_signal_connect_swapped (item, "notify::loaded",
                                                G_CALLBACK (item_notify_cb), self);
  update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ITEM]);
}

KlCustomerItem *
kl_customer_row_get_item (KlCustomerRow *self)
{
  g_return_val_if_fail (KL_IS_CUSTOMER_ROW (self), NULL);
  return self->item;
}

static void
kl_customer_row_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  KlCustomerRow *self = KL_CUSTOMER_ROW (object);

  switch (prop_id)
    {
    case PROP_ITEM:
      g_value_set_object (value, self->item);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kl_customer_row_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  KlCustomerRow *self = KL_CUSTOMER_ROW (object);

  switch (prop_id)
    {
    case PROP_ITEM:
      kl_customer_row_set_item (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kl_customer_row_dispose (GObject *object)
{
  KlCustomerRow *self = KL_CUSTOMER_ROW (object);
  GtkWidget *child;

  cancel_pending (self);
  if (self->item != NULL)
    {
      g_clear_signal_handler (&self->notify_id, self->item);
      kl_customer_item_set_shown (self->item, FALSE);
    }
  g_clear_object (&self->item);
  gtk_widget_dispose_template (GTK_WIDGET (self), KL_TYPE_CUSTOMER_ROW);
  /* The unnamed boxes of the template are still our children. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  G_OBJECT_CLASS (kl_customer_row_parent_class)->dispose (object);
}

static void
kl_customer_row_class_init (KlCustomerRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = kl_customer_row_get_property;
  object_class->set_property = kl_customer_row_set_property;
  object_class->dispose = kl_customer_row_dispose;

  properties[PROP_ITEM] =
    g_param_spec_object ("item", NULL, NULL, KL_TYPE_CUSTOMER_ITEM,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY |
                         G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/keyline/Keyline/kl-customer-row.ui");
  gtk_widget_class_bind_template_child (widget_class, KlCustomerRow, text_cell);
  gtk_widget_class_bind_template_child (widget_class, KlCustomerRow, abc_label);
  gtk_widget_class_bind_template_child (widget_class, KlCustomerRow, status_label);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "customerrow");
}

static void
kl_customer_row_init (KlCustomerRow *self)
{
  g_type_ensure (KL_TYPE_TABLE_CELL);
  gtk_widget_init_template (GTK_WIDGET (self));
  /* Long names are ellipsized rather than widening the list. */
  kl_table_cell_set_max_width_chars (self->text_cell, 18);
  /* Not in the template: a tooltip set there asks the display where the
   * pointer is, for each of the list's rows. */
  kl_gui_set_tooltip (GTK_WIDGET (self->abc_label), _("Volume ABC class"));
  update (self);
}
