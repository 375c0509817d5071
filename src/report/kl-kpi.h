/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The figures of docs/kpi.md computed from month rollups, their targets
 * against a service agreement, and the deltas between two periods. */
#pragma once

#include <glib-object.h>
#include "kl-report-types.h"
#include "kl-rollup.h"
#include "kl-records.h"

G_BEGIN_DECLS

/* The counts and sums of the contract's first table, in its order. */
typedef enum {
  KL_COUNT_SHIPMENTS,
  KL_COUNT_PIECES,
  KL_COUNT_WEIGHT_KG,
  KL_COUNT_VOLUME_M3,
  KL_COUNT_DISPATCHED,
  KL_COUNT_DELIVERED,
  KL_COUNT_DAMAGED_PIECES,
  KL_COUNT_SHORT_PIECES,
  KL_COUNT_DAMAGE_INCIDENTS,
  KL_COUNT_SHORTAGE_INCIDENTS,
  KL_COUNT_INCIDENTS,
  KL_N_COUNTS
} KlKpiCount;

struct _KlKpiFigures {
  gint64  shipments;
  gint64  pieces;
  double  weight_kg;            /* weight_g / 1000 */
  double  volume_m3;            /* volume_cm3 / 1e6 */
  gint64  weight_g;             /* the exact sums behind the two above */
  gint64  volume_cm3;
  gint64  dispatched;
  gint64  delivered;
  gint64  damaged_pieces;
  gint64  short_pieces;
  gint64  damage_incidents;
  gint64  shortage_incidents;
  gint64  incidents;
  /* Indexed by KlRate (rates[KL_RATE_OTIF] is otif_rate); fractions 0–1,
   * NAN where the denominator is 0 (null in JSON, "—" when printed). */
  double  rates[KL_N_RATES];
};

/* One rate against the agreement. */
struct _KlKpiTarget {
  gboolean has_target;          /* FALSE: the agreement sets none (or no agreement) */
  double   target;
  double   actual;              /* NAN when null */
  KlTri    met;                 /* KL_TRI_UNKNOWN when actual is null */
  double   variance_pp;         /* (actual - target) * 100; NAN when actual is null */
};

/* Changes from a base period: counts in percent, rates in percentage points;
 * NAN where not computable (base count 0, or either rate null). */
struct _KlKpiDeltas {
  double counts_pct[KL_N_COUNTS];
  double rates_pp[KL_N_RATES];
};

/* The JSON key ("shipments", "weight_kg", …). */
const char *kl_kpi_count_to_key   (KlKpiCount count);
/* FALSE for weight_kg and volume_m3, which are not whole numbers. */
gboolean    kl_kpi_count_is_integer (KlKpiCount count);

void        kl_kpi_figures_init    (KlKpiFigures *figures);   /* zero counts, null rates */
void        kl_kpi_figures_compute (KlKpiFigures         *figures,
                                    const KlRollupCounts *counts);
/* A count as a double (weight_kg and volume_m3 included). */
double      kl_kpi_figures_get_count (const KlKpiFigures *figures, KlKpiCount count);
/* An integer count; for weight_kg and volume_m3 the grams and cm³. */
gint64      kl_kpi_figures_get_count_int (const KlKpiFigures *figures, KlKpiCount count);
/* TRUE when every count and rate is identical (NAN equals NAN). */
gboolean    kl_kpi_figures_equal   (const KlKpiFigures *a, const KlKpiFigures *b);

/* The rates of figures against agreement (NULL: no agreement, no targets). */
void        kl_kpi_targets_evaluate (const KlKpiFigures *figures,
                                     const KlAgreement  *agreement,
                                     KlKpiTarget         targets[KL_N_RATES]);

void        kl_kpi_deltas_compute  (const KlKpiFigures *current,
                                    const KlKpiFigures *base,
                                    KlKpiDeltas        *deltas);

G_END_DECLS
