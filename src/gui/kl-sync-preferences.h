/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Preferences → Back Office: the server's address, Sign In with a token
 * (checked with /v1/me, which shows who is signed in and how far the
 * server's clock is from this computer's) and Sign Out. The address and
 * the user go into the workspace, the token into the desktop keyring. */
#pragma once

#include <adwaita.h>
#include "kl-worker.h"

G_BEGIN_DECLS

AdwPreferencesPage *kl_sync_preferences_page_new (KlWorker *worker);

G_END_DECLS
