/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the window tests share; see kl-test-gui-util.h. */
#include "config.h"

#include "kl-test-gui-util.h"

/* Finding widgets */

GtkWidget *
kl_test_find_by_id (GtkWidget  *root,
                    const char *id)
{
  const char *own = GTK_IS_BUILDABLE (root) ? gtk_buildable_get_buildable_id (GTK_BUILDABLE (root)) : NULL;

  if (g_strcmp0 (own, id) == 0)
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = kl_test_find_by_id (child, id);

      if (found != NULL)
        return found;
    }
  return NULL;
}

GtkWidget *
kl_test_must_find (GtkWidget  *root,
                   const char *id)
{
  GtkWidget *w = kl_test_find_by_id (root, id);

  if (w == NULL)
    g_error ("No widget with id %s under %s", id, G_OBJECT_TYPE_NAME (root));
  return w;
}

GtkWidget *
kl_test_find_first_of_type (GtkWidget *root,
                            GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type))
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = kl_test_find_first_of_type (child, type);

      if (found != NULL)
        return found;
    }
  return NULL;
}

guint
kl_test_count_rows (GtkWidget *list,
                    gboolean   visible_only)
{
  guint n = 0;

  for (GtkWidget *child = gtk_widget_get_first_child (list); child; child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_LIST_BOX_ROW (child) && (!visible_only || gtk_widget_get_visible (child)))
      n++;
  return n;
}

/* Windows */

GtkWindow *
kl_test_find_toplevel (GType type)
{
  g_autoptr(GList) windows = gtk_window_list_toplevels ();

  for (GList *l = windows; l; l = l->next)
    if (G_TYPE_CHECK_INSTANCE_TYPE (l->data, type) && gtk_widget_get_visible (l->data))
      return l->data;
  return NULL;
}

gboolean
kl_test_toplevel_open (gpointer      fixture,
                       gconstpointer type)
{
  return kl_test_find_toplevel (GPOINTER_TO_SIZE (type)) != NULL;
}

gboolean
kl_test_toplevel_closed (gpointer      fixture,
                         gconstpointer type)
{
  return kl_test_find_toplevel (GPOINTER_TO_SIZE (type)) == NULL;
}

void
kl_test_destroy_toplevels (void)
{
  g_autoptr(GList) windows = gtk_window_list_toplevels ();

  for (GList *l = windows; l; l = l->next)
    gtk_window_destroy (l->data);
  kl_test_iterate_pending ();
}

void
kl_test_close_workspace (KlWorker **worker,
                         char     **dir)
{
  kl_test_destroy_toplevels ();
  kl_worker_shutdown (*worker);
  g_clear_object (worker);
  g_assert_true (kl_test_remove_tree (*dir));
  g_clear_pointer (dir, g_free);
}

/* Drawing */

typedef struct {
  guint n;          /* frames to wait for */
  guint painted;    /* frames painted since the wait began */
} FrameWait;

static void
frame_painted (GdkFrameClock *clock,
               gpointer       data)
{
  ((FrameWait *) data)->painted++;
}

static gboolean
frames_painted (gpointer      fixture,
                gconstpointer data)
{
  const FrameWait *wait = data;

  return wait->painted >= wait->n;
}

static gboolean
widget_realized (gpointer      fixture,
                 gconstpointer widget)
{
  return gtk_widget_get_frame_clock (GTK_WIDGET (widget)) != NULL;
}

void
kl_test_wait_for_frames (GtkWidget *widget,
                         guint      n)
{
  g_autofree char *realized = g_strdup_printf ("%s to be realized", G_OBJECT_TYPE_NAME (widget));
  g_autofree char *what = g_strdup_printf ("%u frames of %s's window", n, G_OBJECT_TYPE_NAME (widget));
  g_autoptr(GdkFrameClock) clock = NULL;
  FrameWait wait = { n, 0 };
  gulong handler;

  kl_test_wait_for (NULL, widget_realized, widget, realized, KL_TEST_FRAME_SECONDS);
  clock = g_object_ref (gtk_widget_get_frame_clock (widget));
  handler = g_signal_connect (clock, "after-paint", G_CALLBACK (frame_painted), &wait);
  /* A frame clock paints only when asked to: ask for every frame until
   * the wait is over. */
  gdk_frame_clock_begin_updating (clock);
  gtk_widget_queue_draw (widget);
  kl_test_wait_for (NULL, frames_painted, &wait, what, KL_TEST_FRAME_SECONDS);
  gdk_frame_clock_end_updating (clock);
  g_signal_handler_disconnect (clock, handler);
}

/* Screenshots */

gboolean
kl_test_screenshots_begin (const KlTestScreenshots *shots)
{
  if (g_getenv (shots->dir_variable) == NULL)
    return FALSE;
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
  return TRUE;
}

void
kl_test_save_screenshot (const KlTestScreenshots *shots,
                         GtkWidget               *widget,
                         const char              *name)
{
  const char *dir = g_getenv (shots->dir_variable);
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *path = NULL;
  gboolean written;

  if (dir == NULL)
    return;

  kl_test_wait_for_frames (widget, KL_TEST_SCREENSHOT_FRAMES);
  texture = kl_test_render_widget (widget);
  if (shots->must_write)
    g_assert_nonnull (texture);
  if (texture == NULL)
    return;
  path = g_build_filename (dir, name, NULL);
  written = gdk_texture_save_to_png (texture, path);
  if (shots->must_write)
    g_assert_true (written);
  g_test_message ("Screenshot: %s (%d × %d)", path,
                  gdk_texture_get_width (texture), gdk_texture_get_height (texture));
}

GdkTexture *
kl_test_render_widget (GtkWidget *widget)
{
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GtkSnapshot) snapshot = NULL;
  g_autoptr(GskRenderNode) node = NULL;

  if (width <= 0 || height <= 0)
    return NULL;
  paintable = gtk_widget_paintable_new (widget);
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  if (node == NULL)
    return NULL;
  return gsk_renderer_render_texture (gtk_native_get_renderer (gtk_widget_get_native (widget)),
                                      node, &GRAPHENE_RECT_INIT (0, 0, width, height));
}
