/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The customer drop-downs (New Case, Reports) search as the Customers page
 * does: any part of the name, the code, a contact, a tag, through the
 * workspace's full-text index, and say "No match" when nothing does. */
#pragma once

#include <gtk/gtk.h>
#include "kl-worker.h"

G_BEGIN_DECLS

typedef struct {
  /* The customer an item of the drop-down's model stands for, or NULL for
   * an entry that is not one ("Whole portfolio"). */
  const char *(*item_id)   (gpointer item);
  /* What typing matches at once, while the index is asked: any part of
   * it, ignoring case. Owned by the caller of this. */
  char       *(*item_text) (gpointer item);
} KlCustomerSearchItems;

/* Turns search on in dropdown (which must not have a factory that relies on
 * its expression: set the factories first) with items describing its
 * model's items. The full-text search runs on worker once one is set. */
void kl_customer_search_attach     (GtkDropDown                 *dropdown,
                                    const KlCustomerSearchItems *items);
void kl_customer_search_set_worker (GtkDropDown *dropdown,
                                    KlWorker    *worker);
/* Types text into the drop-down's search, as a person would with its
 * popup open (tests). */
void kl_customer_search_type       (GtkDropDown *dropdown,
                                    const char  *text);
/* How many items the popup lists for the current search. */
guint kl_customer_search_n_shown   (GtkDropDown *dropdown);
/* Whether the popup says "No match". */
gboolean kl_customer_search_says_no_match (GtkDropDown *dropdown);
/* Whether the full-text answer for the current search is in. */
gboolean kl_customer_search_settled (GtkDropDown *dropdown);

G_END_DECLS
