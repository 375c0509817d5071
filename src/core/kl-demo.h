/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Realistic demo workspaces, the same for the same seed. */
#pragma once

#include <gio/gio.h>
#include "kl-database.h"

G_BEGIN_DECLS

typedef struct {
  guint   n_customers;   /* default 40 */
  guint   years;         /* default 3 */
  guint32 seed;          /* default 1 */
  int     last_month;    /* yyyymm; 0 for the month before today */
} KlDemoOptions;

#define KL_DEMO_OPTIONS_INIT { 40, 3, 1, 0 }

typedef void (*KlDemoProgressFunc) (double fraction, gpointer user_data);

/* Fills db (which must hold no customers) in one transaction. */
gboolean kl_demo_fill (KlDatabase          *db,
                       const KlDemoOptions *options,
                       KlDemoProgressFunc   progress,
                       gpointer             progress_data,
                       GCancellable        *cancellable,
                       GError             **error);

/* Removes every record (for `demo --force`), keeping settings. */
gboolean kl_demo_clear (KlDatabase *db, GError **error);

G_END_DECLS
