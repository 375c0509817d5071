/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The analysis charts draw on any surface, draw nothing at a size they
 * cannot use, and put the points where their values say. */

#include <math.h>

#include "kl-chart.h"
#include "kl-chart-analysis.h"

static guint
count_painted (cairo_surface_t *surface)
{
  int w = cairo_image_surface_get_width (surface), h = cairo_image_surface_get_height (surface);
  int stride = cairo_image_surface_get_stride (surface);
  const guint8 *data;
  guint n = 0;

  cairo_surface_flush (surface);
  data = cairo_image_surface_get_data (surface);
  for (int y = 0; y < h; y++)
    for (int x = 0; x < w; x++)
      if (((const guint32 *) (data + y * stride))[x] != 0)
        n++;
  return n;
}

/* A point's colour at (x, y) of the chart, not the background. */
static gboolean
painted_at (cairo_surface_t *surface, int x, int y)
{
  const guint8 *data;
  cairo_surface_flush (surface);
  data = cairo_image_surface_get_data (surface);
  return ((const guint32 *) (data + y * cairo_image_surface_get_stride (surface)))[x] != 0;
}

static void
test_draw (void)
{
  KlChartPalette palette = kl_chart_palette_print ();
  const double values[] = { 50, 30, 15, 5 };
  const char *codes[] = { "A1", "B2", "C3", "D4" };
  const double marks[] = { 0.7, 0.9, 0.98 };
  const KlChartPoint points[] = { { "price**", 6.0, -1.5 }, { "team", 3.0, 0.5 }, { "nan", NAN, 1.0 } };
  KlChartPareto pareto = { "Pareto", values, codes, 4, marks, NULL, 3 };
  KlChartPositionMatrix position = { .x_label = "Importance", .y_label = "Relative",
                                     .band_labels = { "Disadvantage", "Parity", "Advantage" },
                                     .important_label = "Important", .points = points, .n_points = 3 };
  KlChartEvaluationMatrix evaluation = { .x_label = "Ours", .y_label = "Importance",
                                         .band_labels = { "Low", "Medium", "High" },
                                         .points = points, .n_points = 3 };
  cairo_surface_t *surface;
  cairo_t *cr;

  for (int which = 0; which < 3; which++)
    {
      surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 400, 300);
      cr = cairo_create (surface);
      /* nothing at a size that cannot be used */
      if (which == 0)
        kl_chart_draw_pareto (cr, 0, 300, &palette, &pareto);
      else if (which == 1)
        kl_chart_draw_position_matrix (cr, 400, 0, &palette, &position);
      else
        kl_chart_draw_evaluation_matrix (cr, -5, 300, &palette, &evaluation);
      g_assert_cmpuint (count_painted (surface), ==, 0);
      if (which == 0)
        kl_chart_draw_pareto (cr, 400, 300, &palette, &pareto);
      else if (which == 1)
        kl_chart_draw_position_matrix (cr, 400, 300, &palette, &position);
      else
        kl_chart_draw_evaluation_matrix (cr, 400, 300, &palette, &evaluation);
      g_assert_cmpuint (count_painted (surface), >, 2000);
      g_assert_cmpint (cairo_status (cr), ==, CAIRO_STATUS_SUCCESS);
      cairo_destroy (cr);
      cairo_surface_destroy (surface);
    }

  /* an empty Pareto draws nothing */
  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 400, 300);
  cr = cairo_create (surface);
  pareto.n_values = 0;
  kl_chart_draw_pareto (cr, 400, 300, &palette, &pareto);
  g_assert_cmpuint (count_painted (surface), ==, 0);
  cairo_destroy (cr);
  cairo_surface_destroy (surface);
  (void) painted_at;
}

/* A portfolio of more accounts than the chart has pixels draws a column
 * per pixel, as tall as its largest account: a first half of accounts
 * twice the size of the second shows as tall bars, then half as tall. */
static void
test_pareto_many (void)
{
  KlChartPalette palette = kl_chart_palette_print ();
  const gsize n = 100000;
  g_autofree double *values = g_new (double, n);
  KlChartPareto pareto = { NULL, values, NULL, n, NULL, NULL, 0 };
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 400, 300);
  cairo_t *cr = cairo_create (surface);
  int left = 0, right = 0, left_low = 0, right_low = 0;

  for (gsize i = 0; i < n; i++)
    values[i] = i < n / 2 ? 2.0 : 1.0;
  kl_chart_draw_pareto (cr, 400, 300, &palette, &pareto);
  g_assert_cmpint (cairo_status (cr), ==, CAIRO_STATUS_SUCCESS);
  /* Painted pixels in two rows, three quarters and a quarter of the way up
   * the plot, across its left and right thirds (the line aside). */
  for (int x = 60; x < 120; x++)
    {
      left += painted_at (surface, x, 90);
      left_low += painted_at (surface, x, 230);
    }
  for (int x = 230; x < 290; x++)
    {
      right += painted_at (surface, x, 90);
      right_low += painted_at (surface, x, 230);
    }
  g_assert_cmpint (left, >, 50);
  g_assert_cmpint (left_low, >, 50);
  g_assert_cmpint (right, <, 10);
  g_assert_cmpint (right_low, >, 50);
  cairo_destroy (cr);
  cairo_surface_destroy (surface);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/chart-analysis/draw", test_draw);
  g_test_add_func ("/chart-analysis/pareto-many", test_pareto_many);
  return g_test_run ();
}
