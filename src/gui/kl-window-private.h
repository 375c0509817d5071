/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the window shares with its tests. */
#pragma once

#include "kl-window.h"

G_BEGIN_DECLS

/* Opens the Import dialog on file, as if it had been chosen in the file
 * chooser (which a test cannot drive). Returns the dialog. */
GtkWidget *_kl_window_import_file (KlWindow *self,
                                   GFile    *file);

G_END_DECLS
