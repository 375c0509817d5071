/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tokens, Chinese aliases and labels of the domain's vocabularies. */

#include "config.h"

#include <glib/gi18n-lib.h>

#include <string.h>

#include "kl-enums-private.h"

/* Both halves of a word are matched after trimming white space, Unicode
 * included: a full-width space (U+3000) typed after a Chinese alias is as
 * blank as an ASCII one. */
static char *
strip_unicode_space (const char *text)
{
  const char *start = text;
  const char *end;

  while (*start != '\0' && g_unichar_isspace (g_utf8_get_char (start)))
    start = g_utf8_next_char (start);
  end = start + strlen (start);
  while (end > start)
    {
      const char *prev = g_utf8_find_prev_char (start, end);

      if (prev == NULL || !g_unichar_isspace (g_utf8_get_char (prev)))
        break;
      end = prev;
    }
  return g_strndup (start, (gsize) (end - start));
}

gboolean
_kl_words_lookup (const KlWord *words,
                  guint         n,
                  const char   *text,
                  int          *out_index)
{
  g_autofree char *trimmed = NULL;

  if (text == NULL || !g_utf8_validate (text, -1, NULL))
    return FALSE;

  trimmed = strip_unicode_space (text);
  for (guint i = 0; i < n; i++)
    {
      if ((words[i].token != NULL && g_ascii_strcasecmp (trimmed, words[i].token) == 0) ||
          (words[i].alias != NULL && g_strcmp0 (trimmed, words[i].alias) == 0))
        {
          *out_index = (int) i;
          return TRUE;
        }
    }
  return FALSE;
}

char *
_kl_words_describe (const KlWord *words,
                    guint         n)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < n; i++)
    {
      if (words[i].token == NULL)
        continue;
      if (s->len > 0)
        g_string_append (s, ", ");
      g_string_append (s, words[i].token);
      if (words[i].alias != NULL)
        g_string_append_printf (s, " (%s)", words[i].alias);
    }
  return g_string_free (s, FALSE);
}


gboolean
kl_text_is_blank (const char *text)
{
  if (text == NULL)
    return TRUE;
  /* Invalid UTF-8 is not blank; stepping through it could run past the end. */
  if (!g_utf8_validate (text, -1, NULL))
    return FALSE;
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    if (!g_unichar_isspace (g_utf8_get_char (p)))
      return FALSE;
  return TRUE;
}

static const KlWord customer_kinds[] = {
  { "enterprise", "企业", N_("Enterprise") },
  { "individual", "个人", N_("Individual") },
  { "public",     "公益", N_("Public body") },
};
G_STATIC_ASSERT (G_N_ELEMENTS (customer_kinds) == KL_N_CUSTOMER_KINDS);
KL_DEFINE_VOCABULARY (KlCustomerKind, kl_customer_kind, customer_kinds, KL_N_CUSTOMER_KINDS)

static const KlWord channels[] = {
  { "end_customer", "终端客户", N_("End customer") },
  { "distributor",  "经销商",   N_("Distributor") },
};
G_STATIC_ASSERT (G_N_ELEMENTS (channels) == KL_N_CHANNELS);
KL_DEFINE_VOCABULARY (KlChannel, kl_channel, channels, KL_N_CHANNELS)

static const KlWord relationships[] = {
  { "basic",       "基本型", N_("Basic") },
  { "passive",     "被动型", N_("Passive") },
  { "responsible", "负责型", N_("Responsible") },
  { "proactive",   "主动型", N_("Proactive") },
  { "partner",     "伙伴型", N_("Partner") },
};
G_STATIC_ASSERT (G_N_ELEMENTS (relationships) == KL_N_RELATIONSHIPS);
KL_DEFINE_VOCABULARY (KlRelationship, kl_relationship, relationships, KL_N_RELATIONSHIPS)

static const KlWord customer_statuses[] = {
  { "prospect", "潜在", N_("Prospect") },
  { "active",   "活跃", N_("Active") },
  { "at_risk",  "有风险", N_("At risk") },
  { "lost",     "流失", N_("Lost") },
};
G_STATIC_ASSERT (G_N_ELEMENTS (customer_statuses) == KL_N_CUSTOMER_STATUSES);
KL_DEFINE_VOCABULARY (KlCustomerStatus, kl_customer_status, customer_statuses, KL_N_CUSTOMER_STATUSES)

static const KlWord contact_roles[] = {
  { "purchasing", "采购", N_("Purchasing") },
  { "logistics",  "物流", N_("Logistics") },
  { "finance",    "财务", N_("Finance") },
  { "quality",    "质量", N_("Quality") },
  { "executive",  "高管", N_("Executive") },
  { "other",      "其他", N_("Other") },
};
G_STATIC_ASSERT (G_N_ELEMENTS (contact_roles) == KL_N_CONTACT_ROLES);
KL_DEFINE_VOCABULARY (KlContactRole, kl_contact_role, contact_roles, KL_N_CONTACT_ROLES)

static const KlWord shipment_statuses[] = {
  { "booked",     "已下单", N_("Booked") },
  { "in_transit", "在途",   N_("In transit") },
  { "delivered",  "已签收", N_("Delivered") },
  { "cancelled",  "已取消", N_("Cancelled") },
};
G_STATIC_ASSERT (G_N_ELEMENTS (shipment_statuses) == KL_N_SHIPMENT_STATUSES);
KL_DEFINE_VOCABULARY (KlShipmentStatus, kl_shipment_status, shipment_statuses, KL_N_SHIPMENT_STATUSES)

static const KlWord modes[] = {
  { NULL,       NULL,   N_("Not given") },
  { "road_ftl", "整车", N_("Road, full truckload") },
  { "road_ltl", "零担", N_("Road, less than truckload") },
  { "rail",     "铁路", N_("Rail") },
  { "air",      "空运", N_("Air") },
  { "sea",      "海运", N_("Sea") },
  { "express",  "快递", N_("Express") },
};
G_STATIC_ASSERT (G_N_ELEMENTS (modes) == KL_N_MODES);
KL_DEFINE_VOCABULARY (KlShipmentMode, kl_shipment_mode, modes, KL_N_MODES)

static const KlWord activity_kinds[] = {
  { "visit",   "拜访", N_("Visit") },
  { "call",    "电话", N_("Call") },
  { "email",   "邮件", N_("Email") },
  { "meeting", "会议", N_("Meeting") },
  { "survey",  "调研", N_("Survey") },
  { "letter",  "信函", N_("Letter") },
  { "task",    "任务", N_("Task") },
};
G_STATIC_ASSERT (G_N_ELEMENTS (activity_kinds) == KL_N_ACTIVITY_KINDS);
KL_DEFINE_VOCABULARY (KlActivityKind, kl_activity_kind, activity_kinds, KL_N_ACTIVITY_KINDS)

static const KlWord abc_classes[] = {
  { NULL, NULL, N_("None") },
  { "A",  NULL, N_("A") },
  { "B",  NULL, N_("B") },
  { "C",  NULL, N_("C") },
};
G_STATIC_ASSERT (G_N_ELEMENTS (abc_classes) == KL_N_ABC);
KL_DEFINE_VOCABULARY (KlAbcClass, kl_abc_class, abc_classes, KL_N_ABC)

static const struct {
  const char *key;
  const char *label;
  gboolean    higher_is_better;
} rates[] = {
  { "dispatch_on_time_rate",  N_("Dispatch on time"),  TRUE },
  { "arrival_on_time_rate",   N_("Arrival on time"),   TRUE },
  { "document_accuracy_rate", N_("Document accuracy"), TRUE },
  { "order_accuracy_rate",    N_("Order accuracy"),    TRUE },
  { "damage_rate",            N_("Damage rate"),       FALSE },
  { "shortage_rate",          N_("Shortage rate"),     FALSE },
  { "incident_rate",          N_("Incident rate"),     FALSE },
  { "otif_rate",              N_("On time in full"),   TRUE },
};
G_STATIC_ASSERT (G_N_ELEMENTS (rates) == KL_N_RATES);

const char *
kl_rate_to_key (KlRate rate)
{
  g_return_val_if_fail ((int) rate >= 0 && rate < KL_N_RATES, NULL);
  return rates[rate].key;
}

gboolean
kl_rate_from_key (const char *key,
                  KlRate     *out_rate)
{
  for (guint i = 0; i < KL_N_RATES; i++)
    if (g_strcmp0 (key, rates[i].key) == 0)
      {
        if (out_rate != NULL)
          *out_rate = (KlRate) i;
        return TRUE;
      }
  return FALSE;
}

const char *
kl_rate_to_label (KlRate rate)
{
  g_return_val_if_fail ((int) rate >= 0 && rate < KL_N_RATES, "");
  return _(rates[rate].label);
}

gboolean
kl_rate_higher_is_better (KlRate rate)
{
  g_return_val_if_fail ((int) rate >= 0 && rate < KL_N_RATES, TRUE);
  return rates[rate].higher_is_better;
}
