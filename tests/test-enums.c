/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The vocabularies: tokens, Chinese aliases, case and spaces. */

#include "kl-claim-lifecycle.h"
#include "kl-enums.h"

static void
test_roundtrip (void)
{
  for (int i = 0; i < KL_N_SHIPMENT_STATUSES; i++)
    {
      KlShipmentStatus s;
      g_assert_true (kl_shipment_status_from_string (kl_shipment_status_to_string (i), &s));
      g_assert_cmpint (s, ==, i);
    }
  for (int i = 1; i < KL_N_MODES; i++)
    {
      KlShipmentMode m;
      g_assert_true (kl_shipment_mode_from_string (kl_shipment_mode_to_string (i), &m));
      g_assert_cmpint (m, ==, i);
    }
  for (int i = 0; i < KL_N_RATES; i++)
    {
      KlRate r;
      g_assert_true (kl_rate_from_key (kl_rate_to_key (i), &r));
      g_assert_cmpint (r, ==, i);
    }
}

static void
test_aliases (void)
{
  KlShipmentStatus s;
  KlShipmentMode m;
  KlRelationship r;
  KlCustomerKind k;
  KlChannel c;

  g_assert_true (kl_shipment_status_from_string ("已签收", &s));
  g_assert_cmpint (s, ==, KL_SHIPMENT_STATUS_DELIVERED);
  g_assert_true (kl_shipment_status_from_string ("  In_Transit ", &s));
  g_assert_cmpint (s, ==, KL_SHIPMENT_STATUS_IN_TRANSIT);
  g_assert_true (kl_shipment_mode_from_string ("零担", &m));
  g_assert_cmpint (m, ==, KL_MODE_ROAD_LTL);
  g_assert_true (kl_relationship_from_string ("伙伴型", &r));
  g_assert_cmpint (r, ==, KL_RELATIONSHIP_PARTNER);
  g_assert_true (kl_customer_kind_from_string ("公益", &k));
  g_assert_cmpint (k, ==, KL_CUSTOMER_KIND_PUBLIC);
  g_assert_true (kl_channel_from_string ("经销商", &c));
  g_assert_cmpint (c, ==, KL_CHANNEL_DISTRIBUTOR);

  g_assert_false (kl_shipment_status_from_string ("lost", &s));
  g_assert_false (kl_shipment_status_from_string ("", &s));
  g_assert_false (kl_shipment_status_from_string (NULL, &s));
  g_assert_false (kl_shipment_mode_from_string ("", &m));   /* "not given" has no token */
}

static void
test_describe (void)
{
  g_autofree char *text = kl_shipment_status_describe ();

  g_assert_cmpstr (text, ==, "booked (已下单), in_transit (在途), delivered (已签收), cancelled (已取消)");
  g_assert_true (kl_rate_higher_is_better (KL_RATE_OTIF));
  g_assert_false (kl_rate_higher_is_better (KL_RATE_DAMAGE));
}

/* The customer and shipment words and the claim words share one lookup:
 * they had drifted (the claim copy did not skip values without a token,
 * and neither trimmed a full-width space typed after a Chinese word). */
static void
test_one_vocabulary (void)
{
  KlShipmentStatus shipment;
  KlClaimKind kind;
  KlClaimStatus status;
  KlShipmentMode mode;
  g_autofree char *kinds = kl_claim_kind_describe ();
  g_autofree char *modes = kl_shipment_mode_describe ();

  /* the same trimming for both: ASCII, tabs and the ideographic space */
  g_assert_true (kl_shipment_status_from_string ("\u3000在途\u3000", &shipment));
  g_assert_cmpint (shipment, ==, KL_SHIPMENT_STATUS_IN_TRANSIT);
  g_assert_true (kl_claim_kind_from_string ("\u3000货损 ", &kind));
  g_assert_cmpint (kind, ==, KL_CLAIM_KIND_DAMAGE);
  g_assert_true (kl_claim_status_from_string ("\tIn_Transit ", &status));
  g_assert_cmpint (status, ==, KL_CLAIM_STATUS_IN_TRANSIT);
  g_assert_true (kl_shipment_status_from_string ("\tIn_Transit ", &shipment));
  /* aliases match exactly; no empty or invalid text matches anything */
  g_assert_false (kl_claim_kind_from_string ("", &kind));
  g_assert_false (kl_shipment_mode_from_string ("", &mode));
  g_assert_false (kl_claim_kind_from_string ("\xff", &kind));
  g_assert_false (kl_claim_kind_from_string (NULL, &kind));
  /* describe: "token (alias)", values without a token left out */
  g_assert_true (g_str_has_prefix (kinds, "damage (货损), shortage (短少)"));
  g_assert_true (g_str_has_prefix (modes, "road_ftl (整车)"));
}

static void
test_text_is_blank (void)
{
  g_assert_true (kl_text_is_blank (NULL));
  g_assert_true (kl_text_is_blank (""));
  g_assert_true (kl_text_is_blank (" \t\n"));
  g_assert_true (kl_text_is_blank ("\u3000\u00a0"));
  g_assert_false (kl_text_is_blank (" x "));
  g_assert_false (kl_text_is_blank ("\u3000原因"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/enums/roundtrip", test_roundtrip);
  g_test_add_func ("/enums/aliases", test_aliases);
  g_test_add_func ("/enums/describe", test_describe);
  g_test_add_func ("/enums/one-vocabulary", test_one_vocabulary);
  g_test_add_func ("/enums/text-is-blank", test_text_is_blank);
  return g_test_run ();
}
