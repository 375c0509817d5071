/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The report preview: pages of a KlReportDocument drawn at a zoom, scrolled
 * by a GtkScrolledWindow through GtkScrollable. Each visible page is drawn
 * once per zoom into a texture, so scrolling does not lay text out again. */
#include "config.h"

#include <math.h>
#include <glib/gi18n.h>

#include "kl-report-preview.h"

/* Space around the pages and between them, in logical pixels. */
#define MARGIN 24.0
#define GAP    16.0
/* Longest side of a page texture in pixels; beyond it the page is scaled up. */
#define MAX_TEXTURE_SIDE 4096.0

static const double zoom_steps[] = { 0.25, 0.33, 0.5, 0.67, 0.75, 0.85, 1.0, 1.25, 1.5, 1.75, 2.0, 2.5, 3.0, 4.0 };

/* Prepared reports */

struct _KlPreparedReport {
  KlReportModel    *model;
  KlReportDocument *document;
  /* A document is drawn by one thread at a time: the preview draws its
   * pages on a thread of their own, the printer on the main thread. */
  GMutex            draw_lock;
};

G_DEFINE_BOXED_TYPE (KlPreparedReport, kl_prepared_report,
                     kl_prepared_report_ref, kl_prepared_report_unref)

KlPreparedReport *
kl_prepared_report_new (KlReportModel    *model,
                        KlReportDocument *document)
{
  KlPreparedReport *self;

  g_return_val_if_fail (model != NULL, NULL);
  g_return_val_if_fail (document != NULL, NULL);

  self = g_atomic_rc_box_new0 (KlPreparedReport);
  self->model = model;
  self->document = document;
  g_mutex_init (&self->draw_lock);
  return self;
}

KlPreparedReport *
kl_prepared_report_ref (KlPreparedReport *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return g_atomic_rc_box_acquire (self);
}

static void
prepared_report_clear (gpointer data)
{
  KlPreparedReport *self = data;

  g_clear_pointer (&self->document, kl_report_document_free);
  g_clear_pointer (&self->model, kl_report_model_free);
  g_mutex_clear (&self->draw_lock);
}

void
kl_prepared_report_unref (KlPreparedReport *self)
{
  g_return_if_fail (self != NULL);
  g_atomic_rc_box_release_full (self, prepared_report_clear);
}

const KlReportModel *
kl_prepared_report_get_model (KlPreparedReport *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->model;
}

KlReportDocument *
kl_prepared_report_get_document (KlPreparedReport *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->document;
}

/* Draws a page of the document on cr, from any thread; use this rather
 * than kl_report_document_draw_page () while a preview shows the report. */
void
kl_prepared_report_draw_page (KlPreparedReport *self,
                              cairo_t          *cr,
                              int               page)
{
  g_return_if_fail (self != NULL);

  g_mutex_lock (&self->draw_lock);
  kl_report_document_draw_page (self->document, cr, page);
  g_mutex_unlock (&self->draw_lock);
}

/* The widget */

struct _KlReportPreview {
  GtkWidget         parent_instance;

  KlPreparedReport *report;
  int               n_pages;
  double            page_width;    /* points */
  double            page_height;

  GtkAdjustment    *hadjustment;
  GtkAdjustment    *vadjustment;
  guint             hscroll_policy : 1;
  guint             vscroll_policy : 1;

  double            zoom;          /* asked for; the effective one while fitting */
  gboolean          fit_width;
  int               page;
  int               wanted_page;   /* to scroll to at the next allocation, or -1 */
  gboolean          scrolling;     /* set_page moves the view: keep its page */

  GPtrArray        *textures;      /* GdkTexture or NULL, one per page */
  GPtrArray        *stale;         /* at another zoom: shown scaled until the new one is drawn */
  GArray           *rendering;     /* guint per page: the render_serial being drawn, 0 for none */
  guint             render_serial; /* moves on when the textures no longer fit */
  double            texture_zoom;
  int               texture_scale;
};

static void kl_report_preview_scrollable_init (GtkScrollableInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (KlReportPreview, kl_report_preview, GTK_TYPE_WIDGET,
                               G_IMPLEMENT_INTERFACE (GTK_TYPE_SCROLLABLE,
                                                      kl_report_preview_scrollable_init))

enum {
  PROP_0,
  PROP_REPORT,
  PROP_N_PAGES,
  PROP_PAGE,
  PROP_ZOOM,
  PROP_FIT_WIDTH,
  N_PROPS,
  PROP_HADJUSTMENT = N_PROPS,
  PROP_VADJUSTMENT,
  PROP_HSCROLL_POLICY,
  PROP_VSCROLL_POLICY,
};

static GParamSpec *properties[N_PROPS];

static void
kl_report_preview_scrollable_init (GtkScrollableInterface *iface)
{
}

/* Geometry */

static double
page_step (KlReportPreview *self)
{
  return self->page_height * self->zoom + GAP;
}

static double
content_width (KlReportPreview *self)
{
  return self->n_pages > 0 ? self->page_width * self->zoom + 2 * MARGIN : 0;
}

static double
content_height (KlReportPreview *self)
{
  return self->n_pages > 0 ? self->n_pages * page_step (self) - GAP + 2 * MARGIN : 0;
}

static double
page_top (KlReportPreview *self,
          int              page)
{
  return MARGIN + page * page_step (self);
}

static double
fitting_zoom (KlReportPreview *self,
              int              width)
{
  if (self->page_width <= 0 || width <= 0)
    return self->zoom;
  return CLAMP ((width - 2 * MARGIN) / self->page_width,
                KL_REPORT_PREVIEW_MIN_ZOOM, KL_REPORT_PREVIEW_MAX_ZOOM);
}

static void
texture_free (gpointer texture)
{
  if (texture != NULL)
    g_object_unref (texture);
}

/* The textures no longer fit (another zoom or scale): kept as stale ones
 * to show until their pages are drawn again, unless the report changed. */
static void
clear_textures (KlReportPreview *self,
                gboolean         keep_stale)
{
  for (guint i = 0; i < self->textures->len; i++)
    {
      if (keep_stale && self->textures->pdata[i] != NULL)
        {
          g_clear_object (&self->stale->pdata[i]);
          self->stale->pdata[i] = g_steal_pointer (&self->textures->pdata[i]);
        }
      else if (!keep_stale)
        g_clear_object (&self->stale->pdata[i]);
      g_clear_object (&self->textures->pdata[i]);
    }
  self->render_serial++;
  if (self->render_serial == 0)
    self->render_serial++;
}

static void
update_accessible (KlReportPreview *self)
{
  g_autofree char *description = NULL;

  if (self->n_pages > 0)
    /* Translators: the preview's description for screen readers */
    description = g_strdup_printf (_("Page %d of %d"), self->page + 1, self->n_pages);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, description != NULL ? description : "",
                                  -1);
}

static void
set_current_page (KlReportPreview *self,
                  int              page)
{
  if (self->page == page)
    return;
  self->page = page;
  update_accessible (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PAGE]);
}

/* The page across the middle of the view. */
static void
track_page (KlReportPreview *self)
{
  double middle;
  int page;

  if (self->n_pages == 0 || self->vadjustment == NULL || self->scrolling)
    return;
  middle = gtk_adjustment_get_value (self->vadjustment) + gtk_adjustment_get_page_size (self->vadjustment) / 2;
  page = (int) floor ((middle - MARGIN + GAP / 2) / page_step (self));
  set_current_page (self, CLAMP (page, 0, self->n_pages - 1));
}

static void
adjustment_changed (KlReportPreview *self)
{
  track_page (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
set_adjustment (KlReportPreview  *self,
                GtkAdjustment   **slot,
                GtkAdjustment    *adjustment)
{
  if (adjustment != NULL && *slot == adjustment)
    return;
  if (*slot != NULL)
    g_signal_handlers_disconnect_by_func (*slot, adjustment_changed, self);
  g_clear_object (slot);
  if (adjustment == NULL)
    adjustment = gtk_adjustment_new (0, 0, 0, 0, 0, 0);
  *slot = g_object_ref_sink (adjustment);
  g_signal_connect_swapped (adjustment, "value-changed", G_CALLBACK (adjustment_changed), self);
  gtk_widget_queue_allocate (GTK_WIDGET (self));
}

/* Sizes */

static void
kl_report_preview_measure (GtkWidget      *widget,
                           GtkOrientation  orientation,
                           int             for_size,
                           int            *minimum,
                           int            *natural,
                           int            *minimum_baseline,
                           int            *natural_baseline)
{
  KlReportPreview *self = KL_REPORT_PREVIEW (widget);
  double zoom = self->fit_width ? 1.0 : self->zoom;

  *minimum = 0;
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    *natural = self->n_pages > 0 ? (int) ceil (self->page_width * zoom + 2 * MARGIN) : 0;
  else
    *natural = self->n_pages > 0 ? (int) ceil (self->n_pages * (self->page_height * zoom + GAP) - GAP + 2 * MARGIN) : 0;
}

static void
configure (GtkAdjustment *adjustment,
           double         value,
           double         upper,
           double         size)
{
  upper = MAX (upper, size);
  gtk_adjustment_configure (adjustment, CLAMP (value, 0, upper - size), 0, upper,
                            size * 0.1, size * 0.9, size);
}

static void
kl_report_preview_size_allocate (GtkWidget *widget,
                                 int        width,
                                 int        height,
                                 int        baseline)
{
  KlReportPreview *self = KL_REPORT_PREVIEW (widget);
  double old_height = content_height (self);
  double old_zoom = self->zoom;
  double value = gtk_adjustment_get_value (self->vadjustment);
  double old_page = gtk_adjustment_get_page_size (self->vadjustment);

  if (self->fit_width)
    self->zoom = fitting_zoom (self, width);

  /* Keep what is in the middle of the view in the middle; a view at the
   * top of the first page (as a report opens) stays at the top. */
  if (self->zoom != old_zoom && old_height > 0 && value <= 0)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ZOOM]);
  else if (self->zoom != old_zoom && old_height > 0)
    {
      double anchor = (value + old_page / 2) / old_height;

      value = anchor * content_height (self) - height / 2.0;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ZOOM]);
    }
  if (self->wanted_page >= 0 && self->n_pages > 0)
    {
      value = page_top (self, MIN (self->wanted_page, self->n_pages - 1)) - MARGIN;
      self->wanted_page = -1;
    }

  g_signal_handlers_block_by_func (self->hadjustment, adjustment_changed, self);
  g_signal_handlers_block_by_func (self->vadjustment, adjustment_changed, self);
  configure (self->hadjustment, gtk_adjustment_get_value (self->hadjustment), content_width (self), width);
  configure (self->vadjustment, value, content_height (self), height);
  g_signal_handlers_unblock_by_func (self->hadjustment, adjustment_changed, self);
  g_signal_handlers_unblock_by_func (self->vadjustment, adjustment_changed, self);

  self->scrolling = FALSE;
  track_page (self);
}

/* Drawing */

/* Pages are drawn into textures on a thread of their own: a report page
 * took up to 20 ms to draw, in the frame that first showed it. */

typedef struct {
  KlPreparedReport *report;
  int               page;
  guint             serial;
  int               pixel_width;
  int               pixel_height;
  double            page_width;    /* points */
  double            page_height;
} PageRender;

static void
page_render_free (PageRender *render)
{
  kl_prepared_report_unref (render->report);
  g_free (render);
}

static void
render_page_thread (GTask        *task,
                    gpointer      source,
                    gpointer      data,
                    GCancellable *cancellable)
{
  PageRender *render = data;
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, render->pixel_width,
                                                         render->pixel_height);
  cairo_t *cr = cairo_create (surface);

  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  cairo_scale (cr, render->pixel_width / render->page_width, render->pixel_height / render->page_height);
  kl_prepared_report_draw_page (render->report, cr, render->page);
  cairo_destroy (cr);
  cairo_surface_flush (surface);
  g_task_return_pointer (task, surface, (GDestroyNotify) cairo_surface_destroy);
}

static void
render_page_done (GObject      *source,
                  GAsyncResult *result,
                  gpointer      data)
{
  KlReportPreview *self = KL_REPORT_PREVIEW (source);
  PageRender *render = g_task_get_task_data (G_TASK (result));
  cairo_surface_t *surface = g_task_propagate_pointer (G_TASK (result), NULL);
  g_autoptr(GBytes) bytes = NULL;
  int page = render->page;

  if ((guint) page < self->rendering->len && g_array_index (self->rendering, guint, page) == render->serial)
    g_array_index (self->rendering, guint, page) = 0;
  /* Drawn for a zoom, a scale or a report no longer shown. */
  if (surface == NULL || render->serial != self->render_serial || (guint) page >= self->textures->len)
    {
      g_clear_pointer (&surface, cairo_surface_destroy);
      return;
    }
  /* Cairo's ARGB32 is GDK's default memory format. */
  bytes = g_bytes_new_with_free_func (cairo_image_surface_get_data (surface),
                                      (gsize) cairo_image_surface_get_stride (surface) * render->pixel_height,
                                      (GDestroyNotify) cairo_surface_destroy, surface);
  g_clear_object (&self->textures->pdata[page]);
  self->textures->pdata[page] = gdk_memory_texture_new (render->pixel_width, render->pixel_height,
                                                        GDK_MEMORY_DEFAULT, bytes,
                                                        cairo_image_surface_get_stride (surface));
  g_clear_object (&self->stale->pdata[page]);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* Starts drawing a page at width × height logical pixels, unless it is
 * being drawn for them already. */
static void
render_page (KlReportPreview *self,
             int              page,
             double           width,
             double           height)
{
  int scale = gtk_widget_get_scale_factor (GTK_WIDGET (self));
  double factor = MIN (1.0, MAX_TEXTURE_SIDE / (MAX (width, height) * scale));
  PageRender *render;
  g_autoptr(GTask) task = NULL;

  if (g_array_index (self->rendering, guint, page) == self->render_serial)
    return;
  g_array_index (self->rendering, guint, page) = self->render_serial;
  render = g_new0 (PageRender, 1);
  render->report = kl_prepared_report_ref (self->report);
  render->page = page;
  render->serial = self->render_serial;
  render->pixel_width = MAX (1, (int) ceil (width * scale * factor));
  render->pixel_height = MAX (1, (int) ceil (height * scale * factor));
  render->page_width = self->page_width;
  render->page_height = self->page_height;
  task = g_task_new (self, NULL, render_page_done, NULL);
  g_task_set_source_tag (task, render_page);
  g_task_set_task_data (task, render, (GDestroyNotify) page_render_free);
  g_task_run_in_thread (task, render_page_thread);
}

static void
kl_report_preview_snapshot (GtkWidget   *widget,
                            GtkSnapshot *snapshot)
{
  KlReportPreview *self = KL_REPORT_PREVIEW (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  int scale = gtk_widget_get_scale_factor (widget);
  double page_width = round (self->page_width * self->zoom);
  double page_height = round (self->page_height * self->zoom);
  double x, scroll;
  int first = -1, last = -1;
  const GdkRGBA shadow = { 0, 0, 0, 0.22 };
  const GdkRGBA edge = { 0, 0, 0, 0.08 };

  if (self->report == NULL || self->n_pages == 0)
    return;

  if (self->texture_zoom != self->zoom || self->texture_scale != scale)
    {
      clear_textures (self, TRUE);
      self->texture_zoom = self->zoom;
      self->texture_scale = scale;
    }

  if (content_width (self) <= width)
    x = round ((width - page_width) / 2);
  else
    x = round (MARGIN - gtk_adjustment_get_value (self->hadjustment));
  scroll = gtk_adjustment_get_value (self->vadjustment);

  for (int page = 0; page < self->n_pages; page++)
    {
      double top = round (page_top (self, page) - scroll);
      graphene_rect_t bounds;
      GskRoundedRect outline;

      if (top > height)
        break;
      if (top + page_height < 0)
        continue;
      if (first < 0)
        first = page;
      last = page;

      graphene_rect_init (&bounds, x, top, page_width, page_height);
      gsk_rounded_rect_init_from_rect (&outline, &bounds, 0);
      gtk_snapshot_append_outset_shadow (snapshot, &outline, &edge, 0, 0, 1, 0);
      gtk_snapshot_append_outset_shadow (snapshot, &outline, &shadow, 0, 2, 0, 8);

      if (self->textures->pdata[page] != NULL)
        gtk_snapshot_append_texture (snapshot, self->textures->pdata[page], &bounds);
      else
        {
          /* Until the page is drawn: the page at its old zoom, or paper. */
          render_page (self, page, page_width, page_height);
          if (self->stale->pdata[page] != NULL)
            gtk_snapshot_append_texture (snapshot, self->stale->pdata[page], &bounds);
          else
            gtk_snapshot_append_color (snapshot, &(GdkRGBA) { 1, 1, 1, 1 }, &bounds);
        }
    }

  /* Keep the pages next to the view; drop the rest. */
  for (int page = 0; page < self->n_pages; page++)
    if (page < first - 1 || page > last + 1)
      {
        g_clear_object (&self->textures->pdata[page]);
        g_clear_object (&self->stale->pdata[page]);
      }
}

/* Zoom with Ctrl and the wheel. */
static gboolean
on_scroll (GtkEventControllerScroll *controller,
           double                    dx,
           double                    dy,
           KlReportPreview          *self)
{
  GdkModifierType state = gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (controller));

  if ((state & GDK_CONTROL_MASK) == 0 || self->n_pages == 0)
    return FALSE;
  if (dy < 0)
    kl_report_preview_zoom_in (self);
  else if (dy > 0)
    kl_report_preview_zoom_out (self);
  return TRUE;
}

static void
scale_changed (KlReportPreview *self)
{
  clear_textures (self, TRUE);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* GObject */

static void
kl_report_preview_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  KlReportPreview *self = KL_REPORT_PREVIEW (object);

  switch (prop_id)
    {
    case PROP_REPORT:
      g_value_set_boxed (value, self->report);
      break;
    case PROP_N_PAGES:
      g_value_set_int (value, self->n_pages);
      break;
    case PROP_PAGE:
      g_value_set_int (value, self->page);
      break;
    case PROP_ZOOM:
      g_value_set_double (value, self->zoom);
      break;
    case PROP_FIT_WIDTH:
      g_value_set_boolean (value, self->fit_width);
      break;
    case PROP_HADJUSTMENT:
      g_value_set_object (value, self->hadjustment);
      break;
    case PROP_VADJUSTMENT:
      g_value_set_object (value, self->vadjustment);
      break;
    case PROP_HSCROLL_POLICY:
      g_value_set_enum (value, self->hscroll_policy);
      break;
    case PROP_VSCROLL_POLICY:
      g_value_set_enum (value, self->vscroll_policy);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kl_report_preview_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  KlReportPreview *self = KL_REPORT_PREVIEW (object);

  switch (prop_id)
    {
    case PROP_REPORT:
      kl_report_preview_set_report (self, g_value_get_boxed (value));
      break;
    case PROP_PAGE:
      kl_report_preview_set_page (self, g_value_get_int (value));
      break;
    case PROP_ZOOM:
      kl_report_preview_set_zoom (self, g_value_get_double (value));
      break;
    case PROP_FIT_WIDTH:
      kl_report_preview_set_fit_width (self, g_value_get_boolean (value));
      break;
    case PROP_HADJUSTMENT:
      set_adjustment (self, &self->hadjustment, g_value_get_object (value));
      break;
    case PROP_VADJUSTMENT:
      set_adjustment (self, &self->vadjustment, g_value_get_object (value));
      break;
    case PROP_HSCROLL_POLICY:
      if (self->hscroll_policy != (guint) g_value_get_enum (value))
        {
          self->hscroll_policy = g_value_get_enum (value);
          gtk_widget_queue_resize (GTK_WIDGET (self));
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    case PROP_VSCROLL_POLICY:
      if (self->vscroll_policy != (guint) g_value_get_enum (value))
        {
          self->vscroll_policy = g_value_get_enum (value);
          gtk_widget_queue_resize (GTK_WIDGET (self));
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kl_report_preview_dispose (GObject *object)
{
  KlReportPreview *self = KL_REPORT_PREVIEW (object);

  if (self->hadjustment != NULL)
    g_signal_handlers_disconnect_by_func (self->hadjustment, adjustment_changed, self);
  if (self->vadjustment != NULL)
    g_signal_handlers_disconnect_by_func (self->vadjustment, adjustment_changed, self);
  g_clear_object (&self->hadjustment);
  g_clear_object (&self->vadjustment);
  g_clear_pointer (&self->report, kl_prepared_report_unref);
  G_OBJECT_CLASS (kl_report_preview_parent_class)->dispose (object);
}

static void
kl_report_preview_finalize (GObject *object)
{
  KlReportPreview *self = KL_REPORT_PREVIEW (object);

  g_ptr_array_unref (self->textures);
  g_ptr_array_unref (self->stale);
  g_array_unref (self->rendering);
  G_OBJECT_CLASS (kl_report_preview_parent_class)->finalize (object);
}

static void
kl_report_preview_class_init (KlReportPreviewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = kl_report_preview_get_property;
  object_class->set_property = kl_report_preview_set_property;
  object_class->dispose = kl_report_preview_dispose;
  object_class->finalize = kl_report_preview_finalize;

  widget_class->measure = kl_report_preview_measure;
  widget_class->size_allocate = kl_report_preview_size_allocate;
  widget_class->snapshot = kl_report_preview_snapshot;

  properties[PROP_REPORT] =
    g_param_spec_boxed ("report", NULL, NULL, KL_TYPE_PREPARED_REPORT,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_PAGES] =
    g_param_spec_int ("n-pages", NULL, NULL, 0, G_MAXINT, 0,
                      G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_PAGE] =
    g_param_spec_int ("page", NULL, NULL, 0, G_MAXINT, 0,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ZOOM] =
    g_param_spec_double ("zoom", NULL, NULL, KL_REPORT_PREVIEW_MIN_ZOOM, KL_REPORT_PREVIEW_MAX_ZOOM, 1.0,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_FIT_WIDTH] =
    g_param_spec_boolean ("fit-width", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_object_class_override_property (object_class, PROP_HADJUSTMENT, "hadjustment");
  g_object_class_override_property (object_class, PROP_VADJUSTMENT, "vadjustment");
  g_object_class_override_property (object_class, PROP_HSCROLL_POLICY, "hscroll-policy");
  g_object_class_override_property (object_class, PROP_VSCROLL_POLICY, "vscroll-policy");

  gtk_widget_class_set_css_name (widget_class, "reportpreview");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
kl_report_preview_init (KlReportPreview *self)
{
  GtkEventController *scroll;

  self->zoom = 1.0;
  self->fit_width = TRUE;
  self->wanted_page = -1;
  self->textures = g_ptr_array_new_with_free_func (texture_free);
  self->stale = g_ptr_array_new_with_free_func (texture_free);
  self->rendering = g_array_new (FALSE, TRUE, sizeof (guint));
  set_adjustment (self, &self->hadjustment, NULL);
  set_adjustment (self, &self->vadjustment, NULL);

  gtk_widget_set_overflow (GTK_WIDGET (self), GTK_OVERFLOW_HIDDEN);
  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Report preview"),
                                  -1);

  scroll = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_VERTICAL);
  g_signal_connect (scroll, "scroll", G_CALLBACK (on_scroll), self);
  gtk_widget_add_controller (GTK_WIDGET (self), scroll);

  g_signal_connect (self, "notify::scale-factor", G_CALLBACK (scale_changed), NULL);
}

GtkWidget *
kl_report_preview_new (void)
{
  return g_object_new (KL_TYPE_REPORT_PREVIEW, NULL);
}

void
kl_report_preview_set_report (KlReportPreview  *self,
                              KlPreparedReport *report)
{
  int n_pages = 0;

  g_return_if_fail (KL_IS_REPORT_PREVIEW (self));

  if (self->report == report)
    return;
  if (report != NULL)
    kl_prepared_report_ref (report);
  /* The first report opens at the top of its first page; later ones (a
   * rebuild after an edit) keep the reader's place. */
  if (self->report == NULL && report != NULL)
    self->wanted_page = 0;
  g_clear_pointer (&self->report, kl_prepared_report_unref);
  self->report = report;

  clear_textures (self, FALSE);
  if (report != NULL)
    {
      KlReportDocument *document = kl_prepared_report_get_document (report);

      n_pages = kl_report_document_get_n_pages (document);
      kl_report_document_get_page_size (document, &self->page_width, &self->page_height);
    }
  g_ptr_array_set_size (self->textures, n_pages);
  g_ptr_array_set_size (self->stale, n_pages);
  g_array_set_size (self->rendering, n_pages);

  if (self->n_pages != n_pages)
    {
      self->n_pages = n_pages;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_PAGES]);
    }
  if (self->page >= MAX (n_pages, 1))
    set_current_page (self, MAX (n_pages - 1, 0));
  update_accessible (self);
  gtk_widget_queue_resize (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REPORT]);
}

KlPreparedReport *
kl_report_preview_get_report (KlReportPreview *self)
{
  g_return_val_if_fail (KL_IS_REPORT_PREVIEW (self), NULL);
  return self->report;
}

int
kl_report_preview_get_n_pages (KlReportPreview *self)
{
  g_return_val_if_fail (KL_IS_REPORT_PREVIEW (self), 0);
  return self->n_pages;
}

int
kl_report_preview_get_page (KlReportPreview *self)
{
  g_return_val_if_fail (KL_IS_REPORT_PREVIEW (self), 0);
  return self->page;
}

void
kl_report_preview_set_page (KlReportPreview *self,
                            int              page)
{
  g_return_if_fail (KL_IS_REPORT_PREVIEW (self));

  page = CLAMP (page, 0, MAX (self->n_pages - 1, 0));
  self->wanted_page = page;
  self->scrolling = TRUE;
  set_current_page (self, page);
  gtk_widget_queue_allocate (GTK_WIDGET (self));
}

double
kl_report_preview_get_zoom (KlReportPreview *self)
{
  g_return_val_if_fail (KL_IS_REPORT_PREVIEW (self), 1.0);
  return self->zoom;
}

void
kl_report_preview_set_zoom (KlReportPreview *self,
                            double           zoom)
{
  g_return_if_fail (KL_IS_REPORT_PREVIEW (self));

  zoom = CLAMP (zoom, KL_REPORT_PREVIEW_MIN_ZOOM, KL_REPORT_PREVIEW_MAX_ZOOM);
  g_object_freeze_notify (G_OBJECT (self));
  kl_report_preview_set_fit_width (self, FALSE);
  if (self->zoom != zoom)
    {
      double old_height = content_height (self);
      double page_size = gtk_adjustment_get_page_size (self->vadjustment);
      double middle = gtk_adjustment_get_value (self->vadjustment) + page_size / 2;

      self->zoom = zoom;
      /* Allocation keeps the middle in place; with the old zoom gone, do it here. */
      if (old_height > 0)
        {
          double value = middle / old_height * content_height (self) - page_size / 2;

          g_signal_handlers_block_by_func (self->vadjustment, adjustment_changed, self);
          configure (self->vadjustment, value, content_height (self), page_size);
          g_signal_handlers_unblock_by_func (self->vadjustment, adjustment_changed, self);
        }
      gtk_widget_queue_resize (GTK_WIDGET (self));
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ZOOM]);
    }
  g_object_thaw_notify (G_OBJECT (self));
}

void
kl_report_preview_zoom_in (KlReportPreview *self)
{
  g_return_if_fail (KL_IS_REPORT_PREVIEW (self));

  for (guint i = 0; i < G_N_ELEMENTS (zoom_steps); i++)
    if (zoom_steps[i] > self->zoom + 0.001)
      {
        kl_report_preview_set_zoom (self, zoom_steps[i]);
        return;
      }
  kl_report_preview_set_zoom (self, KL_REPORT_PREVIEW_MAX_ZOOM);
}

void
kl_report_preview_zoom_out (KlReportPreview *self)
{
  g_return_if_fail (KL_IS_REPORT_PREVIEW (self));

  for (guint i = G_N_ELEMENTS (zoom_steps); i > 0; i--)
    if (zoom_steps[i - 1] < self->zoom - 0.001)
      {
        kl_report_preview_set_zoom (self, zoom_steps[i - 1]);
        return;
      }
  kl_report_preview_set_zoom (self, KL_REPORT_PREVIEW_MIN_ZOOM);
}

gboolean
kl_report_preview_get_fit_width (KlReportPreview *self)
{
  g_return_val_if_fail (KL_IS_REPORT_PREVIEW (self), FALSE);
  return self->fit_width;
}

void
kl_report_preview_set_fit_width (KlReportPreview *self,
                                 gboolean         fit_width)
{
  g_return_if_fail (KL_IS_REPORT_PREVIEW (self));

  fit_width = !!fit_width;
  if (self->fit_width == fit_width)
    return;
  self->fit_width = fit_width;
  gtk_widget_queue_resize (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FIT_WIDTH]);
}
