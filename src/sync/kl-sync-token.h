/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The API token: in the desktop keyring (Secret Service through libsecret;
 * the Flatpak reaches it through the secret portal), one secret per server
 * URL. KEYLINE_TOKEN in the environment overrides it (cron jobs, tests).
 * A token is never written to the workspace, GSettings, a log or an error. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* The token for url: $KEYLINE_TOKEN when set, else the keyring's; NULL
 * (and no error) when there is none. */
char     *kl_sync_token_lookup (const char    *url,
                                GCancellable  *cancellable,
                                GError       **error);
gboolean  kl_sync_token_store  (const char    *url,
                                const char    *token,
                                GCancellable  *cancellable,
                                GError       **error);
gboolean  kl_sync_token_clear  (const char    *url,
                                GCancellable  *cancellable,
                                GError       **error);

G_END_DECLS
