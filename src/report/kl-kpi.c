/* SPDX-License-Identifier: GPL-3.0-or-later */
/* KPI figures from rollup counts, exactly per docs/kpi.md. */

#include "config.h"

#include <math.h>
#include <glib/gi18n-lib.h>

#include "kl-kpi.h"

static const struct {
  const char *key;
} counts[] = {
  [KL_COUNT_SHIPMENTS]          = { "shipments" },
  [KL_COUNT_PIECES]             = { "pieces" },
  [KL_COUNT_WEIGHT_KG]          = { "weight_kg" },
  [KL_COUNT_VOLUME_M3]          = { "volume_m3" },
  [KL_COUNT_DISPATCHED]         = { "dispatched" },
  [KL_COUNT_DELIVERED]          = { "delivered" },
  [KL_COUNT_DAMAGED_PIECES]     = { "damaged_pieces" },
  [KL_COUNT_SHORT_PIECES]       = { "short_pieces" },
  [KL_COUNT_DAMAGE_INCIDENTS]   = { "damage_incidents" },
  [KL_COUNT_SHORTAGE_INCIDENTS] = { "shortage_incidents" },
  [KL_COUNT_INCIDENTS]          = { "incidents" },
};
G_STATIC_ASSERT (G_N_ELEMENTS (counts) == KL_N_COUNTS);

const char *
kl_kpi_count_to_key (KlKpiCount count)
{
  g_return_val_if_fail ((int) count >= 0 && count < KL_N_COUNTS, NULL);
  return counts[count].key;
}

gboolean
kl_kpi_count_is_integer (KlKpiCount count)
{
  return count != KL_COUNT_WEIGHT_KG && count != KL_COUNT_VOLUME_M3;
}

void
kl_kpi_figures_init (KlKpiFigures *f)
{
  g_return_if_fail (f != NULL);

  memset (f, 0, sizeof *f);
  for (guint i = 0; i < KL_N_RATES; i++)
    f->rates[i] = NAN;
}

/* null (NAN) when the denominator is 0: never 0, never 1. */
static double
ratio (gint64 numerator, gint64 denominator)
{
  if (denominator == 0)
    return NAN;
  return (double) numerator / (double) denominator;
}

void
kl_kpi_figures_compute (KlKpiFigures         *f,
                        const KlRollupCounts *c)
{
  const gint64 *v;

  g_return_if_fail (f != NULL && c != NULL);

  v = c->v;
  kl_kpi_figures_init (f);
  f->shipments = v[KL_RC_SHIPMENTS];
  f->pieces = v[KL_RC_PIECES];
  f->weight_g = v[KL_RC_WEIGHT_G];
  f->volume_cm3 = v[KL_RC_VOLUME_CM3];
  f->weight_kg = (double) f->weight_g / 1000.0;
  f->volume_m3 = (double) f->volume_cm3 / 1e6;
  f->dispatched = v[KL_RC_DISPATCHED];
  f->delivered = v[KL_RC_DELIVERED];
  f->damaged_pieces = v[KL_RC_DAMAGED_PIECES];
  f->short_pieces = v[KL_RC_SHORT_PIECES];
  f->damage_incidents = v[KL_RC_DAMAGE_INCIDENTS];
  f->shortage_incidents = v[KL_RC_SHORTAGE_INCIDENTS];
  f->incidents = v[KL_RC_INCIDENTS];

  f->rates[KL_RATE_DISPATCH_ON_TIME] = ratio (v[KL_RC_DISPATCHED_ON_TIME], v[KL_RC_DISPATCHED]);
  f->rates[KL_RATE_ARRIVAL_ON_TIME] = ratio (v[KL_RC_DELIVERED_ON_TIME], v[KL_RC_DELIVERED]);
  f->rates[KL_RATE_DOCUMENT_ACCURACY] = ratio (v[KL_RC_DOCS_OK], v[KL_RC_DOCS_KNOWN]);
  f->rates[KL_RATE_ORDER_ACCURACY] = ratio (v[KL_RC_ORDER_OK], v[KL_RC_ORDER_KNOWN]);
  f->rates[KL_RATE_DAMAGE] = ratio (v[KL_RC_DAMAGED_PIECES], v[KL_RC_DELIVERED_PIECES]);
  f->rates[KL_RATE_SHORTAGE] = ratio (v[KL_RC_SHORT_PIECES], v[KL_RC_DELIVERED_PIECES]);
  f->rates[KL_RATE_INCIDENT] = ratio (v[KL_RC_INCIDENTS], v[KL_RC_SHIPMENTS]);
  f->rates[KL_RATE_OTIF] = ratio (v[KL_RC_OTIF], v[KL_RC_DELIVERED]);
}

gint64
kl_kpi_figures_get_count_int (const KlKpiFigures *f, KlKpiCount count)
{
  g_return_val_if_fail (f != NULL, 0);

  switch (count)
    {
    case KL_COUNT_SHIPMENTS:          return f->shipments;
    case KL_COUNT_PIECES:             return f->pieces;
    case KL_COUNT_WEIGHT_KG:          return f->weight_g;
    case KL_COUNT_VOLUME_M3:          return f->volume_cm3;
    case KL_COUNT_DISPATCHED:         return f->dispatched;
    case KL_COUNT_DELIVERED:          return f->delivered;
    case KL_COUNT_DAMAGED_PIECES:     return f->damaged_pieces;
    case KL_COUNT_SHORT_PIECES:       return f->short_pieces;
    case KL_COUNT_DAMAGE_INCIDENTS:   return f->damage_incidents;
    case KL_COUNT_SHORTAGE_INCIDENTS: return f->shortage_incidents;
    case KL_COUNT_INCIDENTS:          return f->incidents;
    case KL_N_COUNTS:
    default:
      g_return_val_if_reached (0);
    }
}

double
kl_kpi_figures_get_count (const KlKpiFigures *f, KlKpiCount count)
{
  g_return_val_if_fail (f != NULL, 0);

  if (count == KL_COUNT_WEIGHT_KG)
    return f->weight_kg;
  if (count == KL_COUNT_VOLUME_M3)
    return f->volume_m3;
  return (double) kl_kpi_figures_get_count_int (f, count);
}

gboolean
kl_kpi_figures_equal (const KlKpiFigures *a, const KlKpiFigures *b)
{
  g_return_val_if_fail (a != NULL && b != NULL, FALSE);

  for (guint i = 0; i < KL_N_COUNTS; i++)
    if (kl_kpi_figures_get_count_int (a, i) != kl_kpi_figures_get_count_int (b, i) ||
        kl_kpi_figures_get_count (a, i) != kl_kpi_figures_get_count (b, i))
      return FALSE;
  for (guint i = 0; i < KL_N_RATES; i++)
    {
      if (isnan (a->rates[i]) != isnan (b->rates[i]))
        return FALSE;
      if (!isnan (a->rates[i]) && a->rates[i] != b->rates[i])
        return FALSE;
    }
  return TRUE;
}

void
kl_kpi_targets_evaluate (const KlKpiFigures *f,
                         const KlAgreement  *agreement,
                         KlKpiTarget         targets[KL_N_RATES])
{
  g_return_if_fail (f != NULL && targets != NULL);

  for (guint i = 0; i < KL_N_RATES; i++)
    {
      KlKpiTarget *t = &targets[i];
      double actual = f->rates[i];

      t->actual = actual;
      t->target = agreement != NULL ? agreement->targets[i] : NAN;
      t->has_target = !isnan (t->target);
      if (!t->has_target || isnan (actual))
        {
          t->met = KL_TRI_UNKNOWN;
          t->variance_pp = NAN;
          continue;
        }
      if (kl_rate_higher_is_better (i))
        t->met = actual >= t->target ? KL_TRI_TRUE : KL_TRI_FALSE;
      else
        t->met = actual <= t->target ? KL_TRI_TRUE : KL_TRI_FALSE;
      t->variance_pp = (actual - t->target) * 100.0;
    }
}

void
kl_kpi_deltas_compute (const KlKpiFigures *current,
                       const KlKpiFigures *base,
                       KlKpiDeltas        *d)
{
  g_return_if_fail (current != NULL && base != NULL && d != NULL);

  for (guint i = 0; i < KL_N_COUNTS; i++)
    {
      gint64 was = kl_kpi_figures_get_count_int (base, i);
      gint64 now = kl_kpi_figures_get_count_int (current, i);

      /* From the exact integers (grams, cm³) so weight and volume deltas
       * do not pick up the rounding of their kg and m³ doubles. */
      d->counts_pct[i] = was == 0 ? NAN : (double) (now - was) * 100.0 / (double) was;
    }
  for (guint i = 0; i < KL_N_RATES; i++)
    {
      if (isnan (current->rates[i]) || isnan (base->rates[i]))
        d->rates_pp[i] = NAN;
      else
        d->rates_pp[i] = (current->rates[i] - base->rates[i]) * 100.0;
    }
}
