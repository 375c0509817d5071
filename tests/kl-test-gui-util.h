/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the window tests share: finding widgets and windows, conditions to
 * wait for them, waiting for frames, closing every window, and screenshots
 * to look at. */
#pragma once

#include <gtk/gtk.h>

#include "kl-test-util.h"

G_BEGIN_DECLS

/* Finding widgets */

/* The widget under root (root included) whose buildable id is id. */
GtkWidget *kl_test_find_by_id         (GtkWidget  *root,
                                       const char *id);
/* The same; fails the test when there is none. */
GtkWidget *kl_test_must_find          (GtkWidget  *root,
                                       const char *id);
/* The first widget of type under root (root included), depth first. */
GtkWidget *kl_test_find_first_of_type (GtkWidget *root,
                                       GType      type);
/* The rows of a GtkListBox; only the visible ones when visible_only. */
guint      kl_test_count_rows         (GtkWidget *list,
                                       gboolean   visible_only);

/* Windows */

/* A visible toplevel of type, or NULL. */
GtkWindow *kl_test_find_toplevel      (GType type);
/* Conditions for kl_test_wait_for (): a visible toplevel of the type in
 * data (GSIZE_TO_POINTER) is open, or none is. */
gboolean   kl_test_toplevel_open      (gpointer      fixture,
                                       gconstpointer type);
gboolean   kl_test_toplevel_closed    (gpointer      fixture,
                                       gconstpointer type);
/* Destroys every toplevel, then lets what that queued run. */
void       kl_test_destroy_toplevels  (void);
/* The end of a test of widgets on a worker's workspace in dir: destroys
 * every toplevel, shuts the worker down and drops it, then removes dir
 * (failing the test if anything stays) and frees it. */
void       kl_test_close_workspace    (KlWorker **worker,
                                       char     **dir);

/* Drawing */

/* Waits until the frame clock of widget's window has painted n more frames
 * (the widget realized first): what was queued before the call, a resize or
 * a draw, has been laid out and drawn. Fails the test, naming widget, when
 * that takes longer than KL_TEST_FRAME_SECONDS (a window that is never
 * mapped paints no frames). */
#define KL_TEST_FRAME_SECONDS 30
void       kl_test_wait_for_frames    (GtkWidget *widget,
                                       guint      n);

/* Renders widget as it would paint now, width × height at its current
 * size; NULL when it draws nothing (not laid out yet). */
GdkTexture *kl_test_render_widget     (GtkWidget *widget);

/* Screenshots */

/* Where and how a test keeps screenshots. */
typedef struct {
  const char *dir_variable;   /* the environment variable naming the directory */
  gboolean    must_write;     /* fail the test when one cannot be written */
} KlTestScreenshots;

/* TRUE when shots->dir_variable names a directory (screenshots are wanted);
 * then turns GTK's animations off, so that each picture shows where a
 * transition ends, not a moment of it. Call once, after gtk_init (). */
gboolean   kl_test_screenshots_begin  (const KlTestScreenshots *shots);
/* Renders widget as it is on screen, once its window has laid it out and
 * painted it (KL_TEST_SCREENSHOT_FRAMES frames), to a PNG called name in
 * the directory that shots->dir_variable names; does nothing when that is
 * not set. */
#define KL_TEST_SCREENSHOT_FRAMES 3
void       kl_test_save_screenshot    (const KlTestScreenshots *shots,
                                       GtkWidget               *widget,
                                       const char              *name);

G_END_DECLS
