/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Forward declarations and small shared values of the core layer. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _KlDatabase  KlDatabase;
typedef struct _KlWorker    KlWorker;
typedef struct _KlWorkerJob KlWorkerJob;
typedef struct _KlCustomer  KlCustomer;
typedef struct _KlContact   KlContact;
typedef struct _KlAgreement KlAgreement;
typedef struct _KlShipment  KlShipment;
typedef struct _KlActivity  KlActivity;

/* An instant that is not known (a shipment not yet picked up, say). */
#define KL_NO_TIME G_MININT64

/* A yes/no fact that may be unknown (documents_ok, order_accurate). */
typedef enum {
  KL_TRI_UNKNOWN = -1,
  KL_TRI_FALSE   = 0,
  KL_TRI_TRUE    = 1,
} KlTri;

typedef enum {
  KL_UPSERT_NEW,
  KL_UPSERT_UPDATED,
  KL_UPSERT_UNCHANGED,
} KlUpsertResult;

/* Who made a change: local edits go to the sync outbox, server records do not. */
typedef enum {
  KL_ORIGIN_LOCAL,
  KL_ORIGIN_SERVER,
  KL_ORIGIN_IMPORT,
} KlOrigin;

G_END_DECLS
