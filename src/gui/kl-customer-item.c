/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A list row's customer. Placeholders exist so the list can be as long as
 * the workspace at once while rows load a page at a time. */
#include "config.h"

#include "kl-customer-item.h"
#include "kl-customer-store.h"

struct _KlCustomerItem {
  GObject     parent_instance;
  KlCustomer *customer;
  guint       shown;     /* rows showing the item */
};

G_DEFINE_FINAL_TYPE (KlCustomerItem, kl_customer_item, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_LOADED,
  PROP_ID,
  PROP_CODE,
  PROP_NAME,
  PROP_REGION,
  PROP_STATUS_LABEL,
  PROP_ABC_LABEL,
  PROP_RELATIONSHIP_LABEL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char *
status_label (KlCustomerItem *self)
{
  return self->customer ? kl_customer_status_to_label (self->customer->status) : NULL;
}

static const char *
abc_label (KlCustomerItem *self)
{
  KlAbcClass abc;

  if (self->customer == NULL)
    return NULL;
  abc = kl_customer_effective_abc (self->customer);
  return abc == KL_ABC_NONE ? "" : kl_abc_class_to_string (abc);
}

static void
kl_customer_item_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  KlCustomerItem *self = KL_CUSTOMER_ITEM (object);
  KlCustomer *c = self->customer;

  switch (prop_id)
    {
    case PROP_LOADED:
      g_value_set_boolean (value, c != NULL);
      break;
    case PROP_ID:
      g_value_set_string (value, c ? c->id : NULL);
      break;
    case PROP_CODE:
      g_value_set_string (value, c ? c->code : NULL);
      break;
    case PROP_NAME:
      g_value_set_string (value, c ? c->name : NULL);
      break;
    case PROP_REGION:
      g_value_set_string (value, c ? c->region : NULL);
      break;
    case PROP_STATUS_LABEL:
      g_value_set_string (value, status_label (self));
      break;
    case PROP_ABC_LABEL:
      g_value_set_string (value, abc_label (self));
      break;
    case PROP_RELATIONSHIP_LABEL:
      g_value_set_string (value, c ? kl_relationship_to_label (c->relationship) : NULL);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kl_customer_item_finalize (GObject *object)
{
  KlCustomerItem *self = KL_CUSTOMER_ITEM (object);

  g_clear_pointer (&self->customer, kl_customer_free);
  G_OBJECT_CLASS (kl_customer_item_parent_class)->finalize (object);
}

static void
kl_customer_item_class_init (KlCustomerItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = kl_customer_item_get_property;
  object_class->finalize = kl_customer_item_finalize;

  properties[PROP_LOADED] =
    g_param_spec_boolean ("loaded", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_ID] =
    g_param_spec_string ("id", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_CODE] =
    g_param_spec_string ("code", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_REGION] =
    g_param_spec_string ("region", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATUS_LABEL] =
    g_param_spec_string ("status-label", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_ABC_LABEL] =
    g_param_spec_string ("abc-label", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_RELATIONSHIP_LABEL] =
    g_param_spec_string ("relationship-label", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
kl_customer_item_init (KlCustomerItem *self)
{
}

KlCustomerItem *
kl_customer_item_new (const KlCustomer *customer)
{
  KlCustomerItem *self = g_object_new (KL_TYPE_CUSTOMER_ITEM, NULL);

  if (customer != NULL)
    self->customer = kl_customer_copy (customer);
  return self;
}

static void
notify_all (KlCustomerItem *self)
{
  g_object_freeze_notify (G_OBJECT (self));
  for (guint i = PROP_0 + 1; i < N_PROPS; i++)
    g_object_notify_by_pspec (G_OBJECT (self), properties[i]);
  g_object_thaw_notify (G_OBJECT (self));
}

void
kl_customer_item_set_customer (KlCustomerItem   *self,
                               const KlCustomer *customer)
{
  g_return_if_fail (KL_IS_CUSTOMER_ITEM (self));
  g_return_if_fail (customer != NULL);

  g_clear_pointer (&self->customer, kl_customer_free);
  self->customer = kl_customer_copy (customer);

  notify_all (self);
}

/* Empties the item, as it was before its page loaded: the list keeps the
 * item, and so the row that shows it, for the customer a new filter puts
 * there. */
void
kl_customer_item_clear (KlCustomerItem *self)
{
  g_return_if_fail (KL_IS_CUSTOMER_ITEM (self));

  if (self->customer == NULL)
    return;
  g_clear_pointer (&self->customer, kl_customer_free);
  g_object_set_data (G_OBJECT (self), "kl-sync-unpushed", NULL);

  notify_all (self);
}

/* A row shows the item (TRUE) or no longer does (FALSE): the list fills in
 * the items on rows first (kl-customer-list-model.c). */
void
kl_customer_item_set_shown (KlCustomerItem *self,
                            gboolean        shown)
{
  g_return_if_fail (KL_IS_CUSTOMER_ITEM (self));
  g_return_if_fail (shown || self->shown > 0);

  if (shown)
    self->shown++;
  else
    self->shown--;
}

gboolean
kl_customer_item_get_shown (KlCustomerItem *self)
{
  g_return_val_if_fail (KL_IS_CUSTOMER_ITEM (self), FALSE);
  return self->shown > 0;
}

const KlCustomer *
kl_customer_item_get_customer (KlCustomerItem *self)
{
  g_return_val_if_fail (KL_IS_CUSTOMER_ITEM (self), NULL);
  return self->customer;
}

gboolean
kl_customer_item_get_loaded (KlCustomerItem *self)
{
  g_return_val_if_fail (KL_IS_CUSTOMER_ITEM (self), FALSE);
  return self->customer != NULL;
}

const char *
kl_customer_item_get_id (KlCustomerItem *self)
{
  g_return_val_if_fail (KL_IS_CUSTOMER_ITEM (self), NULL);
  return self->customer ? self->customer->id : NULL;
}

const char *
kl_customer_item_get_name (KlCustomerItem *self)
{
  g_return_val_if_fail (KL_IS_CUSTOMER_ITEM (self), NULL);
  return self->customer ? self->customer->name : NULL;
}

const char *
kl_customer_item_get_code (KlCustomerItem *self)
{
  g_return_val_if_fail (KL_IS_CUSTOMER_ITEM (self), NULL);
  return self->customer ? self->customer->code : NULL;
}
