/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Small things the window's widgets share. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* The page cache of the window's workspace connection, in KiB: the window
 * reads a page of rows at a time, and SQLite's 64 MiB default for imports
 * was most of the window's memory after every page had been shown. An
 * import on the window's worker gets the bulk size for its run. */
#define KL_GUI_DB_CACHE_KIB      8192
#define KL_GUI_DB_BULK_CACHE_KIB 65536

/* Adds the style sheet at resource_path (a GResource path) to widget's
 * display, once per display whoever asks. */
void kl_gui_add_style_sheet (GtkWidget  *widget,
                             const char *resource_path);

/* Makes every spinner below widget that a template set spinning turn only
 * while it is on screen. A spinner left spinning on a hidden stack page
 * keeps the frame clock running, and the window busy, for nothing. Call
 * after gtk_widget_init_template (). */
void kl_gui_spin_only_when_shown (GtkWidget *widget);

/* From now on, names buttons with mnemonic labels once ("Cancel", not
 * "_Cancel Cancel") and names the toggles inside drop-downs and menu
 * buttons after them, for every widget as it is mapped. Call once, after
 * gtk_init (); the application does. */
void kl_gui_fix_accessible_names (void);
/* The same, at once, for a tree added after its window was mapped and not
 * shown yet (assistive technology sees hidden pages too). */
void kl_gui_name_accessibles     (GtkWidget *widget);

/* Sets widget's tooltip and accessible description to text (NULL or ""
 * for none), as gtk_widget_set_tooltip_text () does, but without what that
 * costs in GTK 4.8 on every call: it asks the display server where the
 * pointer is (a round trip) and looks up the widget under it. For cells and
 * rows bound by the hundred as a list scrolls or fills. The tooltip text is
 * kept here, not in the tooltip-text property. */
void kl_gui_set_tooltip (GtkWidget  *widget,
                         const char *text);

/* A rate against its target never reads as on it when it missed: one
 * decimal, or two or three where one would round the miss (variance_pp,
 * in percentage points) away ("98.96%", "−0.04 pp", not "99.0%",
 * "0.0 pp"). */
int   kl_gui_rate_decimals   (double variance_pp);
/* kl_format_percent () and kl_format_pp_delta () with decimals places. */
char *kl_gui_format_percent  (double rate,
                              int    decimals);
char *kl_gui_format_pp_delta (double pp,
                              int    decimals);

G_END_DECLS
