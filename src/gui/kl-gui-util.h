/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Small things the window's widgets share. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Adds the style sheet at resource_path (a GResource path) to widget's
 * display, once per display whoever asks. */
void kl_gui_add_style_sheet (GtkWidget  *widget,
                             const char *resource_path);

G_END_DECLS
