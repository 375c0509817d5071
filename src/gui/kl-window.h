/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The main window: opens a workspace off the main thread, then shows the
 * sidebar pages (Portfolio, Customers, Reports, Claims & Returns). */
#pragma once

#include <adwaita.h>
#include "kl-application.h"
#include "kl-worker.h"

G_BEGIN_DECLS

#define KL_TYPE_WINDOW (kl_window_get_type ())
G_DECLARE_FINAL_TYPE (KlWindow, kl_window, KL, WINDOW, AdwApplicationWindow)

/* Starts opening the workspace at path at once. */
KlWindow   *kl_window_new              (KlApplication *application,
                                        const char    *workspace_path);
KlWindow   *kl_window_new_full         (KlApplication *application,
                                        const char    *workspace_path,
                                        gboolean       demo);
/* NULL until the workspace is open (and, when new, filled with demo data). */
KlWorker   *kl_window_get_worker       (KlWindow *self);
/* "portfolio", "customers", "reports" or "claims". */
const char *kl_window_get_visible_page (KlWindow *self);
/* "loading", "error" (the workspace could not be opened) or "workspace". */
const char *kl_window_get_state        (KlWindow *self);
/* The Customers page, for tests and the actions. */
GtkWidget  *kl_window_get_customers_page (KlWindow *self);

G_END_DECLS
