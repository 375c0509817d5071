/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Filling the server from outside: tokens, the app's demo data and CSV
 * imports. Demo and import run src/core's own code (kl-demo, kl-import)
 * into a temporary Keyline workspace and copy the records it made into the
 * store, so the rules, errors and summary line are the app's. */
#pragma once

#include "kl-server-store.h"

G_BEGIN_DECLS

/* A new token for @user ("klt_<id>_<secret>"), its hash stored; inside the
 * caller's transaction. Print it once: it cannot be read back. */
char    *kl_server_fill_create_token (KlServerStore *store,
                                      const char    *user,
                                      GError       **error);
/* The id of a token given as its id or as the whole token. */
char    *kl_server_fill_token_id     (const char    *id_or_token);

/* The app's demo data (kl_demo_fill with @seed and @n_customers), with
 * users kam1, kam2 and lead and one token each, printed. The store must
 * hold no customers. */
gboolean kl_server_fill_demo         (KlServerStore *store,
                                      guint32        seed,
                                      guint          n_customers,
                                      GError       **error);

typedef struct {
  gboolean    shipments;   /* else customers */
  const char *path;
  const char *profile;
  gboolean    skip_bad;
  gboolean    dry_run;
  const char *encoding;
} KlServerImportOptions;

/* docs/import.md: bad rows on stderr, the summary line last on stdout;
 * returns the exit code (0, 64, 65, 66, 69). */
int      kl_server_fill_import       (KlServerStore               *store,
                                      const KlServerImportOptions *options);

G_END_DECLS
