/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A shipments page as the sync pull reads it (kl_sync_page_read_shipments (),
 * yajl's event parser), against the same bytes through json-glib's tree and
 * the tree's decoders. Checked: the reader never crashes or reads past the
 * page, and whenever it takes the bytes for JSON it comes to exactly what
 * the tree path comes to (the same shipments, or the same refusal). */
#include <string.h>

#include "kl-fuzz.h"
#include "kl-page-outcome.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *text = NULL;
  g_autofree char *read = NULL;
  g_autofree char *tree = NULL;

  kl_fuzz_init ();
  /* An exact-length copy, so ASan sees any read past the end. */
  text = g_malloc (size + 1);
  memcpy (text, data, size);
  read = kl_page_outcome_read (text, size);
  if (g_str_equal (read, "syntax"))
    return 0;
  /* json-glib wants the text NUL-terminated at its length. */
  text[size] = '\0';
  tree = kl_page_outcome_tree (text, size);
  if (g_strcmp0 (read, tree) != 0)
    {
      g_printerr ("the page reader and json-glib's tree disagree:\nreader: %s\ntree:   %s\n", read, tree);
      abort ();
    }
  return 0;
}
