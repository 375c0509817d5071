/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The Keyline application: options, app-wide actions, About and
 * Preferences. */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define KL_TYPE_APPLICATION (kl_application_get_type ())
G_DECLARE_FINAL_TYPE (KlApplication, kl_application, KL, APPLICATION, AdwApplication)

KlApplication *kl_application_new                (void);
/* The workspace the next window opens; NULL for the default one. */
void           kl_application_set_workspace_path (KlApplication *self,
                                                  const char    *path);

G_END_DECLS
