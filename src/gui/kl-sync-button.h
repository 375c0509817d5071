/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The header bar's sync button (docs/sync.md): shows the state (signed
 * out, up to date with the time, syncing with progress, offline, error,
 * N conflicts), syncs on a click and cancels on another, syncs every few
 * minutes and when the network comes back, and opens the conflicts. Each
 * sync runs on a thread of its own over a connection of its own to the
 * workspace, so the window never waits for it. */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define KL_TYPE_SYNC_BUTTON (kl_sync_button_get_type ())
G_DECLARE_FINAL_TYPE (KlSyncButton, kl_sync_button, KL, SYNC_BUTTON, GtkBox)

GtkWidget  *kl_sync_button_new          (const char *workspace_path);
/* Starts a sync now (nothing when one runs or no server is set). */
void        kl_sync_button_sync_now     (KlSyncButton *self);
/* Opens the conflicts, one after the other, with Keep Mine / Take Theirs. */
void        kl_sync_button_show_conflicts (KlSyncButton *self);
/* The text the button shows now (for tests). */
const char *kl_sync_button_get_status   (KlSyncButton *self);
gboolean    kl_sync_button_is_syncing   (KlSyncButton *self);
gint64      kl_sync_button_get_conflicts (KlSyncButton *self);
/* The automatic sync's interval in minutes (the "sync-interval" setting,
 * followed live), 0 when no timer runs. */
guint       kl_sync_button_get_interval (KlSyncButton *self);

G_END_DECLS
