/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The one implementation behind every vocabulary of the domain: kl-enums.c
 * uses it for customers and shipments, kl-claim-lifecycle.c for cases. */
#pragma once

#include <glib/gi18n-lib.h>

#include "kl-enums.h"

G_BEGIN_DECLS

typedef struct {
  const char *token;   /* the API/CSV token; NULL for a value with none */
  const char *alias;   /* the Chinese word used in imported files */
  const char *label;   /* N_() marked; translated on use */
} KlWord;

/* Matches the token (ASCII case ignored) or the alias, after trimming
 * white space (Unicode included). */
gboolean _kl_words_lookup   (const KlWord *words,
                             guint         n,
                             const char   *text,
                             int          *out_index);
/* "token (alias), …"; values without a token are left out. */
char    *_kl_words_describe (const KlWord *words,
                             guint         n);

#define KL_DEFINE_VOCABULARY(Type, prefix, table, n_values)                    \
  const char *                                                                 \
  prefix##_to_string (Type value)                                              \
  {                                                                            \
    g_return_val_if_fail ((int) value >= 0 && (int) value < (int) (n_values), NULL); \
    return table[value].token;                                                 \
  }                                                                            \
  gboolean                                                                     \
  prefix##_from_string (const char *text, Type *out_value)                     \
  {                                                                            \
    int idx;                                                                   \
    if (!_kl_words_lookup (table, n_values, text, &idx))                       \
      return FALSE;                                                            \
    if (out_value != NULL)                                                     \
      *out_value = (Type) idx;                                                 \
    return TRUE;                                                               \
  }                                                                            \
  const char *                                                                 \
  prefix##_to_label (Type value)                                               \
  {                                                                            \
    g_return_val_if_fail ((int) value >= 0 && (int) value < (int) (n_values), ""); \
    return _(table[value].label);                                              \
  }                                                                            \
  char *                                                                       \
  prefix##_describe (void)                                                     \
  {                                                                            \
    return _kl_words_describe (table, n_values);                               \
  }

G_END_DECLS
