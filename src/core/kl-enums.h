/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The closed vocabularies of the domain: API tokens, Chinese aliases used in
 * imported files, and translated labels for the window and reports. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  KL_CUSTOMER_KIND_ENTERPRISE,
  KL_CUSTOMER_KIND_INDIVIDUAL,
  KL_CUSTOMER_KIND_PUBLIC,
  KL_N_CUSTOMER_KINDS
} KlCustomerKind;

typedef enum {
  KL_CHANNEL_END_CUSTOMER,
  KL_CHANNEL_DISTRIBUTOR,
  KL_N_CHANNELS
} KlChannel;

typedef enum {
  KL_RELATIONSHIP_BASIC,
  KL_RELATIONSHIP_PASSIVE,
  KL_RELATIONSHIP_RESPONSIBLE,
  KL_RELATIONSHIP_PROACTIVE,
  KL_RELATIONSHIP_PARTNER,
  KL_N_RELATIONSHIPS
} KlRelationship;

typedef enum {
  KL_CUSTOMER_STATUS_PROSPECT,
  KL_CUSTOMER_STATUS_ACTIVE,
  KL_CUSTOMER_STATUS_AT_RISK,
  KL_CUSTOMER_STATUS_LOST,
  KL_N_CUSTOMER_STATUSES
} KlCustomerStatus;

typedef enum {
  KL_CONTACT_ROLE_PURCHASING,
  KL_CONTACT_ROLE_LOGISTICS,
  KL_CONTACT_ROLE_FINANCE,
  KL_CONTACT_ROLE_QUALITY,
  KL_CONTACT_ROLE_EXECUTIVE,
  KL_CONTACT_ROLE_OTHER,
  KL_N_CONTACT_ROLES
} KlContactRole;

typedef enum {
  KL_SHIPMENT_STATUS_BOOKED,
  KL_SHIPMENT_STATUS_IN_TRANSIT,
  KL_SHIPMENT_STATUS_DELIVERED,
  KL_SHIPMENT_STATUS_CANCELLED,
  KL_N_SHIPMENT_STATUSES
} KlShipmentStatus;

typedef enum {
  KL_MODE_NONE,            /* not given */
  KL_MODE_ROAD_FTL,
  KL_MODE_ROAD_LTL,
  KL_MODE_RAIL,
  KL_MODE_AIR,
  KL_MODE_SEA,
  KL_MODE_EXPRESS,
  KL_N_MODES
} KlShipmentMode;

typedef enum {
  KL_ACTIVITY_VISIT,
  KL_ACTIVITY_CALL,
  KL_ACTIVITY_EMAIL,
  KL_ACTIVITY_MEETING,
  KL_ACTIVITY_SURVEY,
  KL_ACTIVITY_LETTER,
  KL_ACTIVITY_TASK,
  KL_N_ACTIVITY_KINDS
} KlActivityKind;

typedef enum {
  KL_ABC_NONE,
  KL_ABC_A,
  KL_ABC_B,
  KL_ABC_C,
  KL_N_ABC
} KlAbcClass;

/* The rates of docs/kpi.md that an agreement can set a target for. */
typedef enum {
  KL_RATE_DISPATCH_ON_TIME,
  KL_RATE_ARRIVAL_ON_TIME,
  KL_RATE_DOCUMENT_ACCURACY,
  KL_RATE_ORDER_ACCURACY,
  KL_RATE_DAMAGE,
  KL_RATE_SHORTAGE,
  KL_RATE_INCIDENT,
  KL_RATE_OTIF,
  KL_N_RATES
} KlRate;

/* Each vocabulary has: _to_string (the API/CSV token), _from_string (accepts
 * the token or its Chinese alias, any case, surrounding spaces trimmed;
 * returns FALSE when neither matches), _to_label (translated, for people)
 * and _describe (the accepted words, "booked (已下单), in_transit (在途), …",
 * for error messages; free it). */
#define KL_DECLARE_VOCABULARY(Type, prefix)                                  \
  const char *prefix##_to_string (Type value);                               \
  gboolean    prefix##_from_string (const char *text, Type *out_value);      \
  const char *prefix##_to_label (Type value);                                \
  char       *prefix##_describe (void);

KL_DECLARE_VOCABULARY (KlCustomerKind,   kl_customer_kind)
KL_DECLARE_VOCABULARY (KlChannel,        kl_channel)
KL_DECLARE_VOCABULARY (KlRelationship,   kl_relationship)
KL_DECLARE_VOCABULARY (KlCustomerStatus, kl_customer_status)
KL_DECLARE_VOCABULARY (KlContactRole,    kl_contact_role)
KL_DECLARE_VOCABULARY (KlShipmentStatus, kl_shipment_status)
KL_DECLARE_VOCABULARY (KlShipmentMode,   kl_shipment_mode)
KL_DECLARE_VOCABULARY (KlActivityKind,   kl_activity_kind)
KL_DECLARE_VOCABULARY (KlAbcClass,       kl_abc_class)

/* TRUE for NULL, "" and text of only white space (Unicode spaces such as
 * the full-width U+3000 included): the one test of "nothing was given" for
 * names, reasons, notes and search texts across the domain. */
gboolean    kl_text_is_blank (const char *text);

/* Rate keys as in docs/kpi.md ("dispatch_on_time_rate", …). */
const char *kl_rate_to_key (KlRate rate);
gboolean    kl_rate_from_key (const char *key, KlRate *out_rate);
const char *kl_rate_to_label (KlRate rate);
/* TRUE when a higher value is better (on-time, accuracy, OTIF). */
gboolean    kl_rate_higher_is_better (KlRate rate);


G_END_DECLS
