/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copy, free and compare for the domain's value records. */

#include "config.h"

#include <math.h>

#include "kl-records.h"

void
kl_uuid_v7_format (char out[37])
{
  static const char hex[] = "0123456789abcdef";
  guint64 ms = (guint64) (g_get_real_time () / 1000);
  guint8 bytes[16];
  int o = 0;

  for (guint i = 0; i < 6; i++)
    bytes[i] = (guint8) (ms >> (40 - 8 * i));
  for (guint i = 6; i < 16; i += 2)
    {
      guint32 r = g_random_int ();

      bytes[i] = (guint8) r;
      bytes[i + 1] = (guint8) (r >> 8);
    }
  bytes[6] = (bytes[6] & 0x0f) | 0x70;   /* version 7 */
  bytes[8] = (bytes[8] & 0x3f) | 0x80;   /* RFC 9562 variant */
  for (guint i = 0; i < 16; i++)
    {
      if (i == 4 || i == 6 || i == 8 || i == 10)
        out[o++] = '-';
      out[o++] = hex[bytes[i] >> 4];
      out[o++] = hex[bytes[i] & 0x0f];
    }
  out[o] = '\0';
}

char *
kl_uuid_new (void)
{
  char text[37];

  kl_uuid_v7_format (text);
  return g_strdup (text);
}


KlCustomer *
kl_customer_new (void)
{
  KlCustomer *self = g_new0 (KlCustomer, 1);

  self->kind = KL_CUSTOMER_KIND_ENTERPRISE;
  self->channel = KL_CHANNEL_END_CUSTOMER;
  self->relationship = KL_RELATIONSHIP_BASIC;
  self->status = KL_CUSTOMER_STATUS_ACTIVE;
  self->report_language = g_strdup ("zh_CN");
  return self;
}

KlCustomer *
kl_customer_copy (const KlCustomer *self)
{
  KlCustomer *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = g_memdup2 (self, sizeof *self);
  copy->id = g_strdup (self->id);
  copy->code = g_strdup (self->code);
  copy->name = g_strdup (self->name);
  copy->legal_name = g_strdup (self->legal_name);
  copy->industry = g_strdup (self->industry);
  copy->region = g_strdup (self->region);
  copy->address = g_strdup (self->address);
  copy->account_manager = g_strdup (self->account_manager);
  copy->lost_reason = g_strdup (self->lost_reason);
  copy->lost_date = g_strdup (self->lost_date);
  copy->tags = g_strdupv (self->tags);
  copy->notes = g_strdup (self->notes);
  copy->report_language = g_strdup (self->report_language);
  return copy;
}

void
kl_customer_free (KlCustomer *self)
{
  if (self == NULL)
    return;
  g_free (self->id);
  g_free (self->code);
  g_free (self->name);
  g_free (self->legal_name);
  g_free (self->industry);
  g_free (self->region);
  g_free (self->address);
  g_free (self->account_manager);
  g_free (self->lost_reason);
  g_free (self->lost_date);
  g_strfreev (self->tags);
  g_free (self->notes);
  g_free (self->report_language);
  g_free (self);
}

static gboolean
strv_equal0 (char **a,
             char **b)
{
  guint na = a ? g_strv_length (a) : 0;
  guint nb = b ? g_strv_length (b) : 0;

  if (na != nb)
    return FALSE;
  for (guint i = 0; i < na; i++)
    if (g_strcmp0 (a[i], b[i]) != 0)
      return FALSE;
  return TRUE;
}

gboolean
kl_customer_equal_content (const KlCustomer *a,
                           const KlCustomer *b)
{
  return g_strcmp0 (a->code, b->code) == 0 &&
         g_strcmp0 (a->name, b->name) == 0 &&
         g_strcmp0 (a->legal_name, b->legal_name) == 0 &&
         a->kind == b->kind &&
         a->channel == b->channel &&
         g_strcmp0 (a->industry, b->industry) == 0 &&
         g_strcmp0 (a->region, b->region) == 0 &&
         g_strcmp0 (a->address, b->address) == 0 &&
         g_strcmp0 (a->account_manager, b->account_manager) == 0 &&
         a->relationship == b->relationship &&
         a->status == b->status &&
         g_strcmp0 (a->lost_reason, b->lost_reason) == 0 &&
         g_strcmp0 (a->lost_date, b->lost_date) == 0 &&
         a->abc_override == b->abc_override &&
         strv_equal0 (a->tags, b->tags) &&
         g_strcmp0 (a->notes, b->notes) == 0 &&
         g_strcmp0 (a->report_language, b->report_language) == 0 &&
         a->deleted == b->deleted;
}

G_DEFINE_BOXED_TYPE (KlCustomer, kl_customer, kl_customer_copy, kl_customer_free)

KlContact *
kl_contact_new (void)
{
  KlContact *self = g_new0 (KlContact, 1);

  self->role = KL_CONTACT_ROLE_OTHER;
  return self;
}

KlContact *
kl_contact_copy (const KlContact *self)
{
  KlContact *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = g_memdup2 (self, sizeof *self);
  copy->id = g_strdup (self->id);
  copy->customer_id = g_strdup (self->customer_id);
  copy->name = g_strdup (self->name);
  copy->phone = g_strdup (self->phone);
  copy->email = g_strdup (self->email);
  copy->birthday = g_strdup (self->birthday);
  copy->notes = g_strdup (self->notes);
  return copy;
}

void
kl_contact_free (KlContact *self)
{
  if (self == NULL)
    return;
  g_free (self->id);
  g_free (self->customer_id);
  g_free (self->name);
  g_free (self->phone);
  g_free (self->email);
  g_free (self->birthday);
  g_free (self->notes);
  g_free (self);
}

G_DEFINE_BOXED_TYPE (KlContact, kl_contact, kl_contact_copy, kl_contact_free)

KlAgreement *
kl_agreement_new (void)
{
  KlAgreement *self = g_new0 (KlAgreement, 1);

  for (guint i = 0; i < KL_N_RATES; i++)
    self->targets[i] = NAN;
  self->claim_ack_days = 30;
  self->claim_resolve_days = 120;
  return self;
}

KlAgreement *
kl_agreement_copy (const KlAgreement *self)
{
  KlAgreement *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = g_memdup2 (self, sizeof *self);
  copy->id = g_strdup (self->id);
  copy->customer_id = g_strdup (self->customer_id);
  copy->effective_from = g_strdup (self->effective_from);
  copy->effective_to = g_strdup (self->effective_to);
  return copy;
}

void
kl_agreement_free (KlAgreement *self)
{
  if (self == NULL)
    return;
  g_free (self->id);
  g_free (self->customer_id);
  g_free (self->effective_from);
  g_free (self->effective_to);
  g_free (self);
}

G_DEFINE_BOXED_TYPE (KlAgreement, kl_agreement, kl_agreement_copy, kl_agreement_free)

KlShipment *
kl_shipment_new (void)
{
  KlShipment *self = g_new0 (KlShipment, 1);

  self->status = KL_SHIPMENT_STATUS_BOOKED;
  self->mode = KL_MODE_NONE;
  self->weight_g = -1;
  self->volume_cm3 = -1;
  self->planned_pickup_at = KL_NO_TIME;
  self->picked_up_at = KL_NO_TIME;
  self->planned_delivery_at = KL_NO_TIME;
  self->delivered_at = KL_NO_TIME;
  self->documents_ok = KL_TRI_UNKNOWN;
  self->order_accurate = KL_TRI_UNKNOWN;
  self->revenue_minor = -1;
  return self;
}

KlShipment *
kl_shipment_copy (const KlShipment *self)
{
  KlShipment *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = g_memdup2 (self, sizeof *self);
  copy->id = g_strdup (self->id);
  copy->waybill = g_strdup (self->waybill);
  copy->customer_id = g_strdup (self->customer_id);
  copy->origin_city = g_strdup (self->origin_city);
  copy->origin_region = g_strdup (self->origin_region);
  copy->dest_city = g_strdup (self->dest_city);
  copy->dest_region = g_strdup (self->dest_region);
  copy->currency = g_strdup (self->currency);
  return copy;
}

void
kl_shipment_free (KlShipment *self)
{
  if (self == NULL)
    return;
  g_free (self->id);
  g_free (self->waybill);
  g_free (self->customer_id);
  g_free (self->origin_city);
  g_free (self->origin_region);
  g_free (self->dest_city);
  g_free (self->dest_region);
  g_free (self->currency);
  g_free (self);
}

gboolean
kl_shipment_equal_content (const KlShipment *a,
                           const KlShipment *b)
{
  return g_strcmp0 (a->waybill, b->waybill) == 0 &&
         g_strcmp0 (a->customer_id, b->customer_id) == 0 &&
         a->status == b->status &&
         a->mode == b->mode &&
         g_strcmp0 (a->origin_city, b->origin_city) == 0 &&
         g_strcmp0 (a->origin_region, b->origin_region) == 0 &&
         g_strcmp0 (a->dest_city, b->dest_city) == 0 &&
         g_strcmp0 (a->dest_region, b->dest_region) == 0 &&
         a->pieces == b->pieces &&
         a->weight_g == b->weight_g &&
         a->volume_cm3 == b->volume_cm3 &&
         a->planned_pickup_at == b->planned_pickup_at &&
         a->picked_up_at == b->picked_up_at &&
         a->planned_delivery_at == b->planned_delivery_at &&
         a->delivered_at == b->delivered_at &&
         a->documents_ok == b->documents_ok &&
         a->order_accurate == b->order_accurate &&
         a->damaged_pieces == b->damaged_pieces &&
         a->short_pieces == b->short_pieces &&
         (!!a->incident) == (!!b->incident) &&
         a->revenue_minor == b->revenue_minor &&
         g_strcmp0 (a->currency, b->currency) == 0;
}

G_DEFINE_BOXED_TYPE (KlShipment, kl_shipment, kl_shipment_copy, kl_shipment_free)

KlActivity *
kl_activity_new (void)
{
  KlActivity *self = g_new0 (KlActivity, 1);

  self->kind = KL_ACTIVITY_CALL;
  self->at = KL_NO_TIME;
  self->due_at = KL_NO_TIME;
  self->created_at = KL_NO_TIME;
  return self;
}

KlActivity *
kl_activity_copy (const KlActivity *self)
{
  KlActivity *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = g_memdup2 (self, sizeof *self);
  copy->id = g_strdup (self->id);
  copy->customer_id = g_strdup (self->customer_id);
  copy->subject = g_strdup (self->subject);
  copy->notes = g_strdup (self->notes);
  copy->contact_id = g_strdup (self->contact_id);
  return copy;
}

void
kl_activity_free (KlActivity *self)
{
  if (self == NULL)
    return;
  g_free (self->id);
  g_free (self->customer_id);
  g_free (self->subject);
  g_free (self->notes);
  g_free (self->contact_id);
  g_free (self);
}

G_DEFINE_BOXED_TYPE (KlActivity, kl_activity, kl_activity_copy, kl_activity_free)
