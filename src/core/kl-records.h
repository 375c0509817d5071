/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Plain value records of the domain. Strings are owned (g_free); an unknown
 * text field is NULL. Times are Unix seconds (UTC) or KL_NO_TIME; dates are
 * "YYYY-MM-DD" strings or NULL. */
#pragma once

#include <glib-object.h>
#include "kl-core-types.h"
#include "kl-enums.h"

G_BEGIN_DECLS

struct _KlCustomer {
  char            *id;              /* UUID */
  char            *code;
  char            *name;
  char            *legal_name;
  KlCustomerKind   kind;
  KlChannel        channel;
  char            *industry;
  char            *region;
  char            *address;
  char            *account_manager;
  KlRelationship   relationship;
  KlCustomerStatus status;
  char            *lost_reason;
  char            *lost_date;
  KlAbcClass       abc_class;       /* computed over the trailing twelve months */
  KlAbcClass       abc_override;    /* KL_ABC_NONE when not overridden */
  char           **tags;            /* NULL-terminated, may be NULL */
  char            *notes;
  char            *report_language; /* "zh_CN" or "en" */
  gint64           revision;        /* the server's revision; 0 before the first sync */
  gint64           updated_at;
  gboolean         deleted;
};

struct _KlContact {
  char          *id;
  char          *customer_id;
  char          *name;
  KlContactRole  role;
  char          *phone;
  char          *email;
  gboolean       primary;
  char          *birthday;
  char          *notes;
};

struct _KlAgreement {
  char    *id;
  char    *customer_id;
  char    *effective_from;          /* required */
  char    *effective_to;            /* NULL: open-ended */
  double   targets[KL_N_RATES];     /* fractions; NAN where no target is set */
  int      dispatch_grace_min;
  int      delivery_grace_min;
  int      claim_ack_days;          /* default 30 */
  int      claim_resolve_days;      /* default 120 */
};

struct _KlShipment {
  /* The back office's id (a UUID) for a shipment that came from sync;
   * NULL for one imported from a file. Inside a workspace shipments are
   * keyed by an integer (key) and by waybill. */
  char             *id;
  gint64            key;            /* the workspace's row id; 0 when not stored */
  char             *waybill;
  char             *customer_id;
  KlShipmentStatus  status;
  KlShipmentMode    mode;
  char             *origin_city;
  char             *origin_region;
  char             *dest_city;
  char             *dest_region;
  gint64            pieces;
  gint64            weight_g;       /* grams; -1 when unknown */
  gint64            volume_cm3;     /* cubic centimetres; -1 when unknown */
  gint64            planned_pickup_at;
  gint64            picked_up_at;   /* KL_NO_TIME when not picked up */
  gint64            planned_delivery_at;
  gint64            delivered_at;   /* KL_NO_TIME when not delivered */
  KlTri             documents_ok;
  KlTri             order_accurate;
  gint64            damaged_pieces;
  gint64            short_pieces;
  gboolean          incident;
  gint64            revision;
  gint64            updated_at;
  gint64            revenue_minor;  /* freight revenue in minor units of currency; -1 when unknown */
  char             *currency;       /* ISO 4217; NULL = the workspace currency */
};

struct _KlActivity {
  char           *id;
  char           *customer_id;
  KlActivityKind  kind;
  char           *subject;
  char           *notes;
  char           *contact_id;       /* may be NULL */
  gint64          at;               /* when it happened or is planned */
  gint64          due_at;           /* follow-up due; KL_NO_TIME when none */
  gboolean        done;
  gint64          created_at;
};

#define KL_TYPE_CUSTOMER  (kl_customer_get_type ())
#define KL_TYPE_CONTACT   (kl_contact_get_type ())
#define KL_TYPE_AGREEMENT (kl_agreement_get_type ())
#define KL_TYPE_SHIPMENT  (kl_shipment_get_type ())
#define KL_TYPE_ACTIVITY  (kl_activity_get_type ())

GType        kl_customer_get_type  (void) G_GNUC_CONST;
KlCustomer  *kl_customer_new       (void);
KlCustomer  *kl_customer_copy      (const KlCustomer *self);
void         kl_customer_free      (KlCustomer *self);
/* TRUE when every stored field is equal (id, revision and updated_at aside). */
gboolean     kl_customer_equal_content (const KlCustomer *a, const KlCustomer *b);

GType        kl_contact_get_type   (void) G_GNUC_CONST;
KlContact   *kl_contact_new        (void);
KlContact   *kl_contact_copy       (const KlContact *self);
void         kl_contact_free       (KlContact *self);

GType        kl_agreement_get_type (void) G_GNUC_CONST;
KlAgreement *kl_agreement_new      (void);
KlAgreement *kl_agreement_copy     (const KlAgreement *self);
void         kl_agreement_free     (KlAgreement *self);

GType        kl_shipment_get_type  (void) G_GNUC_CONST;
KlShipment  *kl_shipment_new       (void);
KlShipment  *kl_shipment_copy      (const KlShipment *self);
void         kl_shipment_free      (KlShipment *self);
gboolean     kl_shipment_equal_content (const KlShipment *a, const KlShipment *b);

GType        kl_activity_get_type  (void) G_GNUC_CONST;
KlActivity  *kl_activity_new       (void);
KlActivity  *kl_activity_copy      (const KlActivity *self);
void         kl_activity_free      (KlActivity *self);

/* A fresh time-ordered (version 7, RFC 9562) UUID string: 48 bits of
 * Unix milliseconds, then random bits, so ids made one after another sort
 * (and land in an index) together. */
char        *kl_uuid_new           (void);
/* The same into out (37 bytes with the NUL), without allocating. */
void         kl_uuid_v7_format     (char out[37]);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KlCustomer, kl_customer_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KlContact, kl_contact_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KlAgreement, kl_agreement_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KlShipment, kl_shipment_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KlActivity, kl_activity_free)

G_END_DECLS
