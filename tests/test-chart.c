/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Chart layer: axis ticks, number and percent labels, palettes, and every renderer drawn
 * onto image surfaces with pixel checks. Set KEYLINE_CHART_LOOK_DIR to keep the PNGs of
 * the sample charts (light, dark and print) there for a look by eye. */
#include "config.h"

#include <float.h>
#include <locale.h>
#include <math.h>

#include "kl-chart.h"
#include "kl-test-util.h"

/* ---- helpers ---------------------------------------------------------------------- */

typedef struct {
  char *dir;
  gboolean keep;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  const char *look = g_getenv ("KEYLINE_CHART_LOOK_DIR");

  if (look != NULL && *look != '\0')
    {
      g_mkdir_with_parents (look, 0755);
      f->dir = g_strdup (look);
      f->keep = TRUE;
      return;
    }
  f->dir = kl_test_make_tmp_dir ("keyline-chart-XXXXXX");
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  if (!f->keep)
    kl_test_remove_tree (f->dir);
  g_free (f->dir);
}

static KlChartColor
rgb (double r,
     double g,
     double b)
{
  return (KlChartColor) { r, g, b, 1.0 };
}

/* A light palette with pure, unmistakable colours for pixel counting. */
static KlChartPalette
probe_palette (void)
{
  KlChartPalette p = kl_chart_palette_light ();

  p.series[0] = rgb (0, 0, 1);
  p.series[1] = rgb (0, 0.8, 0);
  p.target = rgb (1, 0, 1);
  p.foreground = rgb (0.2, 0.1, 0);
  p.muted = rgb (0.5, 0.5, 0.5);
  p.grid = rgb (0.9, 0.9, 0.9);
  return p;
}

typedef void (*DrawFunc) (cairo_t *cr, double w, double h, gconstpointer spec,
                          const KlChartPalette *palette);

static cairo_surface_t *
render (DrawFunc              draw,
        gconstpointer         spec,
        const KlChartPalette *palette,
        int                   width,
        int                   height,
        double                scale,
        gboolean              background)
{
  cairo_surface_t *surface;
  cairo_t *cr;

  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32,
                                        MAX ((int) ceil (width * scale), 1),
                                        MAX ((int) ceil (height * scale), 1));
  cairo_surface_set_device_scale (surface, scale, scale);
  cr = cairo_create (surface);
  if (background)
    kl_chart_fill_background (cr, width, height, palette);
  draw (cr, width, height, spec, palette);
  g_assert_cmpint (cairo_status (cr), ==, CAIRO_STATUS_SUCCESS);
  cairo_destroy (cr);
  cairo_surface_flush (surface);
  g_assert_cmpint (cairo_surface_status (surface), ==, CAIRO_STATUS_SUCCESS);
  return surface;
}

static void
pixel (cairo_surface_t *surface,
       int              x,
       int              y,
       double          *r,
       double          *g,
       double          *b,
       double          *a)
{
  const guint8 *data = cairo_image_surface_get_data (surface);
  int stride = cairo_image_surface_get_stride (surface);
  guint32 p = *(const guint32 *) (data + y * stride + x * 4);
  double alpha = ((p >> 24) & 0xff) / 255.0;

  *a = alpha;
  /* Unpremultiply; a transparent pixel reads as black. */
  *r = alpha > 0 ? ((p >> 16) & 0xff) / 255.0 / alpha : 0;
  *g = alpha > 0 ? ((p >> 8) & 0xff) / 255.0 / alpha : 0;
  *b = alpha > 0 ? (p & 0xff) / 255.0 / alpha : 0;
}

static gboolean
pixel_is (cairo_surface_t *surface,
          int              x,
          int              y,
          KlChartColor     c)
{
  double r, g, b, a;

  pixel (surface, x, y, &r, &g, &b, &a);
  return a > 0.9 && fabs (r - c.red) < 0.1 && fabs (g - c.green) < 0.1 && fabs (b - c.blue) < 0.1;
}

/* Pixels of colour c in the rectangle [x0, x1) × [y0, y1) of the surface's pixels. */
static guint
count_color_in (cairo_surface_t *surface,
                KlChartColor     c,
                int              x0,
                int              y0,
                int              x1,
                int              y1)
{
  guint n = 0;

  x1 = MIN (x1, cairo_image_surface_get_width (surface));
  y1 = MIN (y1, cairo_image_surface_get_height (surface));
  for (int y = MAX (y0, 0); y < y1; y++)
    for (int x = MAX (x0, 0); x < x1; x++)
      n += pixel_is (surface, x, y, c);
  return n;
}

static guint
count_color (cairo_surface_t *surface,
             KlChartColor     c)
{
  return count_color_in (surface, c, 0, 0, G_MAXINT, G_MAXINT);
}

static void
save_png (Fixture         *f,
          cairo_surface_t *surface,
          const char      *name)
{
  g_autofree char *path = g_build_filename (f->dir, name, NULL);

  g_assert_cmpint (cairo_surface_write_to_png (surface, path), ==, CAIRO_STATUS_SUCCESS);
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
}

/* Every renderer must survive every size, including degenerate ones, without a cairo
 * error; a non-finite coordinate would raise a (fatal in tests) critical. */
static void
draw_at_many_sizes (DrawFunc      draw,
                    gconstpointer spec)
{
  static const int sizes[][2] = {
    { 1, 1 }, { 2, 3 }, { 5, 5 }, { 12, 8 }, { 40, 16 }, { 80, 24 }, { 120, 60 },
    { 200, 120 }, { 320, 200 }, { 640, 400 }, { 1200, 300 }, { 300, 900 },
  };
  KlChartPalette palettes[] = {
    kl_chart_palette_light (), kl_chart_palette_dark (), kl_chart_palette_print (),
  };

  for (guint p = 0; p < G_N_ELEMENTS (palettes); p++)
    for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
      for (double scale = 1; scale <= 2; scale++)
        {
          cairo_surface_t *s = render (draw, spec, &palettes[p], sizes[i][0], sizes[i][1],
                                       scale, TRUE);
          cairo_surface_destroy (s);
        }

  /* Sizes a caller should never pass still draw nothing and leave the cairo_t healthy. */
  {
    cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 4, 4);
    cairo_t *cr = cairo_create (surface);
    const double bad[] = { 0, -10, NAN, INFINITY };
    KlChartPalette light = kl_chart_palette_light ();

    for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
      {
        draw (cr, bad[i], 10, spec, &light);
        draw (cr, 10, bad[i], spec, &light);
      }
    g_assert_cmpint (cairo_status (cr), ==, CAIRO_STATUS_SUCCESS);
    cairo_destroy (cr);
    cairo_surface_destroy (surface);
  }
}

/* Adapters with one signature for the table-driven helpers. */
static void
draw_trend (cairo_t *cr, double w, double h, gconstpointer spec, const KlChartPalette *p)
{
  kl_chart_draw_trend (cr, w, h, spec, p);
}

static void
draw_bars (cairo_t *cr, double w, double h, gconstpointer spec, const KlChartPalette *p)
{
  kl_chart_draw_bars (cr, w, h, spec, p);
}

static void
draw_bullet (cairo_t *cr, double w, double h, gconstpointer spec, const KlChartPalette *p)
{
  kl_chart_draw_bullet (cr, w, h, spec, p);
}

static void
draw_heatmap (cairo_t *cr, double w, double h, gconstpointer spec, const KlChartPalette *p)
{
  kl_chart_draw_heatmap (cr, w, h, spec, p);
}

static void
draw_sparkline (cairo_t *cr, double w, double h, gconstpointer spec, const KlChartPalette *p)
{
  kl_chart_draw_sparkline (cr, w, h, spec, p);
}

/* ---- ticks ------------------------------------------------------------------------- */

static gboolean
is_nice_step (double step)
{
  double e = floor (log10 (step));
  double m = step / pow (10, e);

  return fabs (m - 1) < 1e-6 || fabs (m - 2) < 1e-6 || fabs (m - 5) < 1e-6 || fabs (m - 10) < 1e-6;
}

static void
assert_ticks_sane (const KlChartTicks *t,
                   double              lo,
                   double              hi,
                   guint               max_ticks)
{
  g_assert_cmpuint (t->n_ticks, >=, 2);
  g_assert_cmpuint (t->n_ticks, <=, MAX (max_ticks, 2));
  g_assert_true (t->step > 0 && isfinite (t->step));
  g_assert_true (is_nice_step (t->step));
  g_assert_cmpfloat (t->min, ==, t->ticks[0]);
  g_assert_cmpfloat (t->max, ==, t->ticks[t->n_ticks - 1]);
  for (guint i = 0; i < t->n_ticks; i++)
    {
      g_assert_true (isfinite (t->ticks[i]));
      if (i > 0)
        g_assert_cmpfloat_with_epsilon (t->ticks[i] - t->ticks[i - 1], t->step, t->step * 1e-6);
    }
  if (isfinite (lo))
    g_assert_cmpfloat (t->min, <=, lo + t->step * 1e-9);
  if (isfinite (hi))
    g_assert_cmpfloat (t->max, >=, hi - t->step * 1e-9);
}

static void
test_ticks_ranges (void)
{
  static const struct {
    double lo, hi;
    guint max_ticks;
    gboolean zero;
  } cases[] = {
    { 0, 100, 6, TRUE }, { 0, 95, 6, TRUE }, { 3, 97, 11, FALSE }, { 1, 9, 5, TRUE },
    { 0.931, 0.934, 6, FALSE }, { 0.5, 1.0, 6, FALSE }, { 0, 1, 11, TRUE },
    { -37, -2, 6, FALSE }, { -37, -2, 6, TRUE }, { -5, 12, 8, TRUE }, { -1e6, 3e6, 5, TRUE },
    { 1e9, 1e9 + 1, 5, FALSE }, { 123456, 987654, 7, TRUE }, { 1e-7, 3e-7, 5, FALSE },
    { 0.001, 0.0013, 4, FALSE }, { 42, 7, 6, TRUE }, { 0, 1e15, 6, TRUE },
    { 17, 17, 6, FALSE }, { -3, -3, 6, FALSE }, { 2, 3, 2, FALSE }, { 0, 7, 100, TRUE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      KlChartTicks t;
      double lo = MIN (cases[i].lo, cases[i].hi), hi = MAX (cases[i].lo, cases[i].hi);

      g_assert_true (kl_chart_ticks_compute (cases[i].lo, cases[i].hi, cases[i].max_ticks,
                                             cases[i].zero, &t));
      assert_ticks_sane (&t, lo, hi, MIN (cases[i].max_ticks, KL_CHART_MAX_TICKS));
      if (cases[i].zero)
        g_assert_cmpfloat (t.min, <=, 0);
      /* Equal bounds still give an axis with the value strictly inside or on it. */
      g_assert_cmpfloat (t.max, >, t.min);
    }
}

static void
test_ticks_exact (void)
{
  KlChartTicks t;
  g_autofree char *third = NULL;

  kl_chart_ticks_compute (0, 100, 6, TRUE, &t);
  g_assert_cmpuint (t.n_ticks, ==, 6);
  g_assert_cmpfloat (t.step, ==, 20);
  g_assert_cmpfloat (t.ticks[5], ==, 100);
  g_assert_cmpint (t.decimals, ==, 0);

  /* Zero always lands on a tick when the range crosses it. */
  kl_chart_ticks_compute (-5, 12, 8, TRUE, &t);
  {
    gboolean has_zero = FALSE;
    for (guint i = 0; i < t.n_ticks; i++)
      has_zero |= t.ticks[i] == 0;
    g_assert_true (has_zero);
    g_assert_cmpfloat (t.ticks[0], ==, -5);
  }

  /* A tiny range of rates: step 0.001, labels need three decimals (0.1 for percent). */
  kl_chart_ticks_compute (0.931, 0.934, 6, FALSE, &t);
  g_assert_cmpfloat_with_epsilon (t.step, 0.001, 1e-12);
  g_assert_cmpint (t.decimals, ==, 3);
  g_assert_cmpfloat_with_epsilon (t.min, 0.931, 1e-12);
  third = kl_chart_format_tick (t.ticks[1], KL_CHART_FORMAT_PERCENT, &t);
  g_assert_cmpstr (third, ==, "93.2%");

  /* Tick values print cleanly (0.3, not 0.30000000000000004). */
  kl_chart_ticks_compute (0, 1, 11, TRUE, &t);
  g_assert_cmpuint (t.n_ticks, ==, 11);
  g_assert_cmpfloat (t.ticks[3], ==, 0.3);
  g_assert_cmpint (t.decimals, ==, 1);

  /* All-equal values: with zero the axis runs 0 … value; without, around the value. */
  kl_chart_ticks_compute (5, 5, 6, TRUE, &t);
  g_assert_cmpfloat (t.min, ==, 0);
  g_assert_cmpfloat (t.max, >=, 5);
  kl_chart_ticks_compute (17, 17, 6, FALSE, &t);
  g_assert_cmpfloat (t.min, <, 17);
  g_assert_cmpfloat (t.max, >, 17);
  kl_chart_ticks_compute (0, 0, 6, FALSE, &t);
  g_assert_cmpfloat (t.min, ==, 0);
  g_assert_cmpfloat (t.max, ==, 1);

  /* Negative-only data without zero stays negative. */
  kl_chart_ticks_compute (-37, -2, 6, FALSE, &t);
  g_assert_cmpfloat (t.max, <=, 0);
  g_assert_cmpfloat (t.min, <=, -37);
  g_assert_cmpfloat (t.min, >, -60);

  /* max_ticks is clamped to 2 … KL_CHART_MAX_TICKS. */
  kl_chart_ticks_compute (0, 1000, 0, TRUE, &t);
  g_assert_cmpuint (t.n_ticks, ==, 2);
  kl_chart_ticks_compute (0, 1000, 1000, TRUE, &t);
  g_assert_cmpuint (t.n_ticks, <=, KL_CHART_MAX_TICKS);
}

static void
test_ticks_missing (void)
{
  KlChartTicks t;

  /* Nothing finite: FALSE and a 0 … 1 axis. */
  g_assert_false (kl_chart_ticks_compute (NAN, NAN, 6, TRUE, &t));
  g_assert_cmpfloat (t.min, ==, 0);
  g_assert_cmpfloat (t.max, ==, 1);
  assert_ticks_sane (&t, 0, 1, 6);
  g_assert_false (kl_chart_ticks_compute (-INFINITY, INFINITY, 6, FALSE, &t));
  assert_ticks_sane (&t, 0, 1, 6);

  /* One finite bound: the axis is built around it. */
  g_assert_true (kl_chart_ticks_compute (NAN, 40, 6, TRUE, &t));
  assert_ticks_sane (&t, 0, 40, 6);
  g_assert_true (kl_chart_ticks_compute (0.8, NAN, 6, FALSE, &t));
  assert_ticks_sane (&t, 0.8, 0.8, 6);

  /* Extremes stay finite. */
  g_assert_true (kl_chart_ticks_compute (-DBL_MAX, DBL_MAX, 6, FALSE, &t));
  for (guint i = 0; i < t.n_ticks; i++)
    g_assert_true (isfinite (t.ticks[i]));
  g_assert_true (kl_chart_ticks_compute (1e-310, 2e-310, 6, FALSE, &t));
  assert_ticks_sane (&t, NAN, NAN, 6);
}

/* ---- numbers ----------------------------------------------------------------------- */

static void
test_format_number (void)
{
  static const struct {
    double value;
    int decimals;
    const char *grouping, *sep, *point, *expected;
  } cases[] = {
    { 1234567.891, 2, "\3", ",", ".", "1,234,567.89" },
    { -1234.5, 0, "\3", ",", ".", "-1,235" },         /* half away from zero */
    { 0.5, 0, "\3", ",", ".", "1" },
    { -0.5, 0, "\3", ",", ".", "-1" },
    { 2.5, 0, NULL, NULL, NULL, "3" },
    { 2.25, 1, NULL, NULL, NULL, "2.3" },
    { 1.005, 2, NULL, NULL, NULL, "1.01" },            /* decimal half stored below it */
    { -0.04, 1, NULL, NULL, NULL, "0.0" },             /* no "-0.0" */
    { 999, 0, "\3", ",", ".", "999" },
    { 1000, 0, "\3", ",", ".", "1,000" },
    { 100000, 0, "\3", ",", ".", "100,000" },
    { 123456789, 0, "\3\2", ",", ".", "12,34,56,789" }, /* lakh grouping */
    { 123456789, 0, "\3\177", ",", ".", "123456,789" }, /* CHAR_MAX: stop grouping */
    { 1234.5, 1, "\3", ".", ",", "1.234,5" },
    { 1234567, 0, "\3", "\xe2\x80\xaf", ",", "1\xe2\x80\xaf" "234\xe2\x80\xaf" "567" },
    { 1234567, 0, "", ",", ".", "1234567" },
    { 1234567, 0, NULL, ",", ".", "1234567" },
    { 0, 3, NULL, NULL, NULL, "0.000" },
    { NAN, 1, "\3", ",", ".", "—" },
    { INFINITY, 0, NULL, NULL, NULL, "—" },
    { -INFINITY, 0, NULL, NULL, NULL, "—" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *s = kl_chart_format_number_full (cases[i].value, cases[i].decimals,
                                                         cases[i].grouping, cases[i].sep,
                                                         cases[i].point);
      g_assert_cmpstr (s, ==, cases[i].expected);
    }
}

static void
test_format_percent (void)
{
  static const struct {
    double fraction;
    const char *expected;
  } cases[] = {
    { 0.9995, "100.0%" }, { 0.99949, "99.9%" }, { 0.12345, "12.3%" }, { 0.12355, "12.4%" },
    { 0.0005, "0.1%" }, { 0.00049, "0.0%" }, { -0.0005, "-0.1%" }, { -0.0004, "0.0%" },
    { 0, "0.0%" }, { 1, "100.0%" }, { 0.5, "50.0%" }, { 12.5, "1250.0%" },
    { NAN, "—" }, { INFINITY, "—" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *s = kl_chart_format_percent_full (cases[i].fraction, 1);
      g_assert_cmpstr (s, ==, cases[i].expected);
    }

  {
    g_autofree char *whole = kl_chart_format_percent_full (0.955, 0);
    g_autofree char *two = kl_chart_format_percent_full (0.12345, 2);
    g_assert_cmpstr (whole, ==, "96%");
    g_assert_cmpstr (two, ==, "12.35%");
  }
}

static void
test_format_value (void)
{
  KlChartTicks t;
  g_autofree char *count = kl_chart_format_value (1234567.4, KL_CHART_FORMAT_COUNT);
  g_autofree char *dec = kl_chart_format_value (2.25, KL_CHART_FORMAT_DECIMAL);
  g_autofree char *pct = kl_chart_format_value (0.9995, KL_CHART_FORMAT_PERCENT);
  g_autofree char *missing = kl_chart_format_value (NAN, KL_CHART_FORMAT_COUNT);
  g_autofree char *tick_count = NULL, *tick_pct = NULL;

  /* Tests run in C.UTF-8: no grouping, "." as the decimal point. */
  g_assert_cmpstr (count, ==, "1234567");
  g_assert_cmpstr (dec, ==, "2.3");
  g_assert_cmpstr (pct, ==, "100.0%");
  g_assert_cmpstr (missing, ==, "—");

  kl_chart_ticks_compute (0, 2, 5, TRUE, &t); /* step 0.5 */
  tick_count = kl_chart_format_tick (1.5, KL_CHART_FORMAT_COUNT, &t);
  g_assert_cmpstr (tick_count, ==, "1.5");
  kl_chart_ticks_compute (0, 1, 6, TRUE, &t); /* step 0.2: whole percents */
  tick_pct = kl_chart_format_tick (0.4, KL_CHART_FORMAT_PERCENT, &t);
  g_assert_cmpstr (tick_pct, ==, "40%");
}

static void
test_format_locale (void)
{
  static const char *const grouped[] = { "en_US.UTF-8", "en_GB.UTF-8", "de_DE.UTF-8" };
  g_autofree char *saved = g_strdup (setlocale (LC_NUMERIC, NULL));
  const char *found = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (grouped) && found == NULL; i++)
    if (setlocale (LC_NUMERIC, grouped[i]) != NULL)
      found = grouped[i];

  if (found == NULL)
    {
      setlocale (LC_NUMERIC, saved);
      g_test_skip ("no locale with digit grouping installed");
      return;
    }

  {
    g_autofree char *ours = kl_chart_format_number (1234567, 0);
    g_autofree char *libc = g_strdup_printf ("%'d", 1234567);
    /* The same grouping glibc applies. */
    g_assert_cmpstr (ours, ==, libc);
    g_assert_cmpstr (ours, !=, "1234567");
  }
  setlocale (LC_NUMERIC, saved);
}

/* The overview's months carry the year where it starts or changes. */
static void
test_month_axis_labels (void)
{
  g_auto(GStrv) labels = kl_chart_month_axis_labels (202601, 12);
  g_auto(GStrv) across = kl_chart_month_axis_labels (202512, 12);

  g_assert_cmpuint (g_strv_length (labels), ==, 12);
  g_assert_cmpstr (labels[0], ==, "Jan\n2026");
  g_assert_cmpstr (labels[1], ==, "Feb");
  g_assert_cmpstr (labels[11], ==, "Dec");
  g_assert_cmpstr (across[0], ==, "Dec\n2025");
  g_assert_cmpstr (across[1], ==, "Jan\n2026");
  g_assert_cmpstr (across[2], ==, "Feb");
  g_assert_cmpstr (across[11], ==, "Nov");
}

static void
test_month_labels (void)
{
  g_assert_cmpstr (kl_chart_month_label (1), ==, "Jan");
  g_assert_cmpstr (kl_chart_month_label (12), ==, "Dec");
}

/* ---- palettes ---------------------------------------------------------------------- */

static double
lum (KlChartColor c)
{
  return 0.2126 * c.red + 0.7152 * c.green + 0.0722 * c.blue;
}

static void
test_palettes (void)
{
  KlChartPalette light = kl_chart_palette_light ();
  KlChartPalette dark = kl_chart_palette_dark ();
  KlChartPalette print = kl_chart_palette_print ();
  KlChartColor fg = { 1.0, 1.0, 1.0, 1.0 };
  KlChartColor bg = { 0x1e / 255.0, 0x1e / 255.0, 0x1e / 255.0, 1.0 };
  KlChartColor accent = { 0x35 / 255.0, 0x84 / 255.0, 0xe4 / 255.0, 0x80 / 255.0 };
  KlChartPalette derived;

  /* Text contrasts with the background in all three. */
  g_assert_cmpfloat (lum (light.background) - lum (light.foreground), >, 0.7);
  g_assert_cmpfloat (lum (dark.foreground) - lum (dark.background), >, 0.7);
  g_assert_cmpfloat (lum (print.background) - lum (print.foreground), >, 0.9);
  /* Light palettes heat towards dark, the dark palette towards light. */
  g_assert_cmpfloat (lum (light.heat_high), <, lum (light.heat_low));
  g_assert_cmpfloat (lum (print.heat_high), <, lum (print.heat_low));
  g_assert_cmpfloat (lum (dark.heat_high), >, lum (dark.heat_low));
  g_assert_nonnull (strstr (light.font_family, "Noto Sans CJK SC"));

  derived = kl_chart_palette_from_colors (&fg, &bg, &accent);
  g_assert_cmpfloat (derived.series[0].blue, ==, accent.blue);
  g_assert_cmpfloat (derived.series[0].alpha, ==, 1.0);
  g_assert_cmpfloat (derived.foreground.red, ==, 1.0);
  g_assert_cmpfloat (derived.background.red, ==, bg.red);
  /* Muted and grid lie between text and background, grid nearer the background. */
  g_assert_cmpfloat (lum (derived.muted), <, lum (fg));
  g_assert_cmpfloat (lum (derived.muted), >, lum (derived.grid));
  g_assert_cmpfloat (lum (derived.grid), >, lum (bg));
  /* A dark background gets dark-mode band and series colours. */
  g_assert_cmpfloat (derived.series[1].red, ==, dark.series[1].red);

  g_assert_cmpfloat (kl_chart_palette_series_color (&light, KL_CHART_N_SERIES_COLORS + 1).red,
                     ==, light.series[1].red);
}

/* ---- sample data (Chinese labels as the users have them) --------------------------- */

static const char *const months_zh[] = {
  "2025年11月", "12月", "2026年1月", "2月", "3月", "4月", "5月", "6月", "7月", "8月", "9月", "10月",
};
static const double on_time[] = {
  0.962, 0.948, 0.931, NAN, 0.957, 0.971, 0.9995, 0.968, 0.944, 0.951, 0.973, 0.981,
};
static const double arrival[] = {
  0.941, 0.935, 0.902, 0.911, 0.93, NAN, 0.96, 0.955, 0.921, 0.94, 0.95, 0.962,
};
static const char *const on_time_notes[] = {
  NULL, NULL, "春运", NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, "最高",
};
static const char *const regions_zh[] = { "华东", "华南", "华北", "西南", "华中", "东北" };
static const double vol_2025[] = { 12840, 9310, 7120, 3410, 2980, 1250 };
static const double vol_2026[] = { 14210, 8760, 7985, 4020, NAN, 1630 };

static void
sample_trend (KlChartTrend  *spec,
              KlChartSeries  series[2])
{
  series[0] = (KlChartSeries) { "发车准时率", on_time, G_N_ELEMENTS (on_time), on_time_notes };
  series[1] = (KlChartSeries) { "到达准时率", arrival, G_N_ELEMENTS (arrival), NULL };
  *spec = (KlChartTrend) {
    .title = "准时率趋势（近 12 个月）",
    .categories = months_zh,
    .n_categories = G_N_ELEMENTS (months_zh),
    .series = series,
    .n_series = 2,
    .style = KL_CHART_TREND_LINE,
    .format = KL_CHART_FORMAT_PERCENT,
    .has_target = TRUE,
    .target = 0.95,
    .target_label = "目标 95.0%",
    .show_legend = TRUE,
    .show_points = TRUE,
  };
}

static void
sample_bars (KlChartBars   *spec,
             KlChartSeries  series[2],
             KlChartBarsMode mode)
{
  series[0] = (KlChartSeries) { "2025 年", vol_2025, G_N_ELEMENTS (vol_2025), NULL };
  series[1] = (KlChartSeries) { "2026 年", vol_2026, G_N_ELEMENTS (vol_2026), NULL };
  *spec = (KlChartBars) {
    .title = mode == KL_CHART_BARS_GROUPED ? "各区域发货量" : "各区域发货量（累计）",
    .categories = regions_zh,
    .n_categories = G_N_ELEMENTS (regions_zh),
    .series = series,
    .n_series = 2,
    .mode = mode,
    .format = KL_CHART_FORMAT_COUNT,
    .show_values = TRUE,
    .show_legend = TRUE,
  };
}

static const KlChartBulletItem bullet_items[] = {
  { "发车准时率", 0.962, 0.95, 0.90, 0.95, TRUE, NAN, NAN, KL_CHART_FORMAT_PERCENT },
  { "到达准时率", 0.912, 0.95, 0.90, 0.95, TRUE, 0.8, 1.0, KL_CHART_FORMAT_PERCENT },
  { "单据准确率", NAN, 0.99, 0.97, 0.99, TRUE, 0.9, 1.0, KL_CHART_FORMAT_PERCENT },
  { "货损率", 0.0042, 0.003, 0.003, 0.006, FALSE, 0, 0.01, KL_CHART_FORMAT_PERCENT },
  { "事故数", 3, 2, 2, 4, FALSE, NAN, NAN, KL_CHART_FORMAT_COUNT },
};

static const int heat_years[] = { 2024, 2025, 2026 };
static const double heat_values[] = {
  8120, 6230, 9050, 9410, 9880, 10230, 10940, 11870, 12010, 13450, 15820, 14210,
  8840, 5910, 9630, 10100, 10420, 11050, 11300, 12440, 12800, 14020, 17210, 15130,
  9210, 6420, 10030, 10650, 11090, 11740, 12150, 12960, 13300, 14480, NAN, NAN,
};

static const double spark_values[] = {
  0.95, 0.96, 0.94, 0.97, NAN, 0.96, 0.98, 0.975, 0.99, 0.985,
};

/* ---- renderers --------------------------------------------------------------------- */

static void
look (Fixture         *f,
      DrawFunc         draw,
      gconstpointer    spec,
      const char      *name,
      int              width,
      int              height)
{
  const struct {
    const char *suffix;
    KlChartPalette palette;
    double scale;
  } looks[] = {
    { "light", kl_chart_palette_light (), 1 },
    { "dark", kl_chart_palette_dark (), 1 },
    { "print", kl_chart_palette_print (), 1 },
    { "light-2x", kl_chart_palette_light (), 2 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (looks); i++)
    {
      g_autofree char *file = g_strdup_printf ("%s-%s.png", name, looks[i].suffix);
      cairo_surface_t *s = render (draw, spec, &looks[i].palette, width, height,
                                   looks[i].scale, TRUE);

      /* Something beyond the background was drawn. */
      g_assert_cmpuint (count_color (s, looks[i].palette.background), <,
                        (guint) (width * height * looks[i].scale * looks[i].scale));
      save_png (f, s, file);
      cairo_surface_destroy (s);
    }
}

static void
test_trend_draws (Fixture       *f,
                  gconstpointer  data)
{
  KlChartTrend spec;
  KlChartSeries series[2];
  const double nothing[] = { NAN, NAN, NAN };
  const double one[] = { 42 };

  sample_trend (&spec, series);
  draw_at_many_sizes (draw_trend, &spec);
  look (f, draw_trend, &spec, "trend-line", 640, 320);
  spec.style = KL_CHART_TREND_AREA;
  spec.n_series = 1;
  spec.show_points = FALSE;
  draw_at_many_sizes (draw_trend, &spec);
  look (f, draw_trend, &spec, "trend-area", 480, 240);

  /* Degenerate data: NAN only, one point, no series, no categories. */
  series[0] = (KlChartSeries) { "空", nothing, G_N_ELEMENTS (nothing), NULL };
  draw_at_many_sizes (draw_trend, &spec);
  series[0] = (KlChartSeries) { NULL, one, 1, NULL };
  spec.categories = NULL;
  spec.format = KL_CHART_FORMAT_COUNT;
  draw_at_many_sizes (draw_trend, &spec);
  spec.n_series = 0;
  draw_at_many_sizes (draw_trend, &spec);
}

static void
test_trend_target_and_gaps (void)
{
  KlChartPalette p = probe_palette ();
  const double values[] = { 10, 20, NAN, 20, 10 };
  KlChartSeries series = { "量", values, G_N_ELEMENTS (values), NULL };
  KlChartTrend spec = {
    .series = &series, .n_series = 1, .format = KL_CHART_FORMAT_COUNT,
    .has_target = TRUE, .target = 15,
  };
  cairo_surface_t *s;
  int min_x = G_MAXINT, max_x = -1, w, h;
  guint in_gap;

  s = render (draw_trend, &spec, &p, 400, 200, 1, TRUE);
  /* The dashed target line: about half of a plot-wide line is target colour. */
  g_assert_cmpuint (count_color (s, p.target), >, 100);
  /* The series is drawn, and not across the missing point. */
  w = cairo_image_surface_get_width (s);
  h = cairo_image_surface_get_height (s);
  for (int y = 0; y < h; y++)
    for (int x = 0; x < w; x++)
      if (pixel_is (s, x, y, p.series[0]))
        {
          min_x = MIN (min_x, x);
          max_x = MAX (max_x, x);
        }
  g_assert_cmpint (max_x - min_x, >, 250);
  in_gap = count_color_in (s, p.series[0], min_x + (max_x - min_x) * 35 / 100, 0,
                           min_x + (max_x - min_x) * 65 / 100, h);
  g_assert_cmpuint (in_gap, ==, 0);
  cairo_surface_destroy (s);

  spec.has_target = FALSE;
  s = render (draw_trend, &spec, &p, 400, 200, 1, TRUE);
  g_assert_cmpuint (count_color (s, p.target), ==, 0);
  cairo_surface_destroy (s);

  /* HiDPI: twice the pixels in each direction, about four times the target pixels. */
  spec.has_target = TRUE;
  {
    cairo_surface_t *s1 = render (draw_trend, &spec, &p, 400, 200, 1, TRUE);
    cairo_surface_t *s2 = render (draw_trend, &spec, &p, 400, 200, 2, TRUE);

    g_assert_cmpint (cairo_image_surface_get_width (s2), ==, 800);
    g_assert_cmpuint (count_color (s2, p.target), >, 2 * count_color (s1, p.target));
    cairo_surface_destroy (s1);
    cairo_surface_destroy (s2);
  }
}

static void
test_trend_leaves_state (void)
{
  KlChartPalette p = probe_palette ();
  KlChartTrend spec;
  KlChartSeries series[2];
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 100, 100);
  cairo_t *cr = cairo_create (surface);
  double x1, y1, x2, y2;

  sample_trend (&spec, series);
  cairo_set_line_width (cr, 7);
  cairo_translate (cr, 10, 10);
  kl_chart_draw_trend (cr, 80, 80, &spec, &p);
  g_assert_cmpfloat (cairo_get_line_width (cr), ==, 7);
  cairo_clip_extents (cr, &x1, &y1, &x2, &y2);
  /* No clip left behind: the clip is still the whole surface. */
  g_assert_cmpfloat (x1, ==, -10);
  g_assert_cmpfloat (x2, ==, 90);
  cairo_destroy (cr);
  cairo_surface_destroy (surface);
}

static void
test_bars_draws (Fixture       *f,
                 gconstpointer  data)
{
  KlChartBars spec;
  KlChartSeries series[2];
  const double negatives[] = { -40, 25, NAN, -5, 60, -12 };

  sample_bars (&spec, series, KL_CHART_BARS_GROUPED);
  draw_at_many_sizes (draw_bars, &spec);
  look (f, draw_bars, &spec, "bars-grouped", 640, 320);
  sample_bars (&spec, series, KL_CHART_BARS_STACKED);
  draw_at_many_sizes (draw_bars, &spec);
  look (f, draw_bars, &spec, "bars-stacked", 480, 300);

  series[1] = (KlChartSeries) { "变化", negatives, G_N_ELEMENTS (negatives), NULL };
  spec.n_series = 2;
  draw_at_many_sizes (draw_bars, &spec);
  spec.mode = KL_CHART_BARS_GROUPED;
  draw_at_many_sizes (draw_bars, &spec);
  look (f, draw_bars, &spec, "bars-negative", 480, 300);
  spec.n_series = 0;
  draw_at_many_sizes (draw_bars, &spec);
}

static void
test_bars_pixels (void)
{
  KlChartPalette p = probe_palette ();
  const double values[] = { 10, 40 };
  const char *const cats[] = { "小", "大" };
  KlChartSeries series = { "量", values, 2, NULL };
  KlChartBars spec = {
    .categories = cats, .n_categories = 2, .series = &series, .n_series = 1,
    .mode = KL_CHART_BARS_GROUPED, .format = KL_CHART_FORMAT_COUNT,
  };
  const double a[] = { 30, 10 };
  const double b[] = { 6, 50 };
  KlChartSeries stacked[2] = { { "甲", a, 2, NULL }, { "乙", b, 2, NULL } };
  cairo_surface_t *s;
  guint left, right;

  s = render (draw_bars, &spec, &p, 300, 200, 1, TRUE);
  left = count_color_in (s, p.series[0], 0, 0, 150, 200);
  right = count_color_in (s, p.series[0], 150, 0, 300, 200);
  g_assert_cmpuint (left, >, 100);
  /* 40 against 10: about four times the area. */
  g_assert_cmpuint (right, >, 3 * left);
  g_assert_cmpuint (right, <, 5 * left);
  cairo_surface_destroy (s);

  spec.series = stacked;
  spec.n_series = 2;
  spec.mode = KL_CHART_BARS_STACKED;
  s = render (draw_bars, &spec, &p, 300, 200, 1, TRUE);
  /* Same first series in both stacks; the second series is five times bigger on the right. */
  left = count_color_in (s, p.series[0], 0, 0, 150, 200);
  right = count_color_in (s, p.series[0], 150, 0, 300, 200);
  g_assert_cmpuint (left, >, 2 * right);
  left = count_color_in (s, p.series[1], 0, 0, 150, 200);
  right = count_color_in (s, p.series[1], 150, 0, 300, 200);
  g_assert_cmpuint (right, >, 4 * left);
  cairo_surface_destroy (s);
}

static void
test_bullet_draws (Fixture       *f,
                   gconstpointer  data)
{
  KlChartBullet spec = { "服务水平（2026 年 10 月）", bullet_items, G_N_ELEMENTS (bullet_items) };
  KlChartBulletItem odd[] = {
    { NULL, NAN, NAN, NAN, NAN, TRUE, NAN, NAN, KL_CHART_FORMAT_PERCENT },
    { "反向", 5, 3, 4, 2, FALSE, 10, 0, KL_CHART_FORMAT_DECIMAL },
    { "负值", -3, NAN, NAN, NAN, TRUE, NAN, NAN, KL_CHART_FORMAT_COUNT },
  };
  KlChartBullet odd_spec = { NULL, odd, G_N_ELEMENTS (odd) };
  KlChartBullet empty = { "空", NULL, 0 };

  draw_at_many_sizes (draw_bullet, &spec);
  look (f, draw_bullet, &spec, "bullet", 560, 260);
  draw_at_many_sizes (draw_bullet, &odd_spec);
  draw_at_many_sizes (draw_bullet, &empty);
}

static void
test_bullet_pixels (void)
{
  KlChartPalette p = probe_palette ();
  KlChartBulletItem item = {
    NULL, 0.9, 0.95, 0.8, 0.9, TRUE, 0, 1, KL_CHART_FORMAT_PERCENT,
  };
  KlChartBullet spec = { NULL, &item, 1 };
  KlChartColor good_tint = {
    (p.good.red + p.background.red) / 2, (p.good.green + p.background.green) / 2,
    (p.good.blue + p.background.blue) / 2, 1,
  };
  cairo_surface_t *big, *small;
  guint big_n, small_n;

  big = render (draw_bullet, &spec, &p, 500, 60, 1, TRUE);
  item.value = 0.5;
  small = render (draw_bullet, &spec, &p, 500, 60, 1, TRUE);
  big_n = count_color (big, p.foreground);
  small_n = count_color (small, p.foreground);
  /* The bar for 90% is longer than the one for 50%. */
  g_assert_cmpuint (big_n, >, small_n + 500);
  /* Target marker and the green band are there. */
  g_assert_cmpuint (count_color (big, p.target), >, 20);
  g_assert_cmpuint (count_color_in (big, good_tint, 0, 0, 500, 60), >, 100);
  cairo_surface_destroy (big);
  cairo_surface_destroy (small);

  /* A missing value draws no bar at all. */
  item.value = NAN;
  item.target = NAN;
  small = render (draw_bullet, &spec, &p, 500, 60, 1, TRUE);
  g_assert_cmpuint (count_color (small, p.target), ==, 0);
  g_assert_cmpuint (count_color (small, p.foreground), <, 50);
  cairo_surface_destroy (small);
}

static void
test_heatmap_draws (Fixture       *f,
                    gconstpointer  data)
{
  KlChartHeatmap spec = {
    "季节性：月发货量", heat_years, G_N_ELEMENTS (heat_years), heat_values,
    KL_CHART_FORMAT_COUNT, TRUE,
  };
  const double flat[12] = { 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5 };
  const double none[12] = { NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN };
  const int one_year[] = { 2026 };

  draw_at_many_sizes (draw_heatmap, &spec);
  look (f, draw_heatmap, &spec, "heatmap", 720, 220);
  spec.values = flat;
  spec.years = one_year;
  spec.n_years = 1;
  draw_at_many_sizes (draw_heatmap, &spec);
  spec.values = none;
  draw_at_many_sizes (draw_heatmap, &spec);
  spec.n_years = 0;
  draw_at_many_sizes (draw_heatmap, &spec);
}

static void
test_heatmap_pixels (void)
{
  KlChartPalette p = kl_chart_palette_light ();
  KlChartHeatmap spec = {
    NULL, heat_years, G_N_ELEMENTS (heat_years), heat_values, KL_CHART_FORMAT_COUNT, TRUE,
  };
  const int w = 720, h = 240;
  cairo_surface_t *s = render (draw_heatmap, &spec, &p, w, h, 1, TRUE);

  /* The full colour of the scale's hot end fills the hottest cell, November 2025 (the
   * eleventh column), and appears nowhere left of it. */
  g_assert_cmpuint (count_color_in (s, p.heat_high, w * 10 / 12 - 10, 0, w * 11 / 12 + 10, h),
                    >, 500);
  g_assert_cmpuint (count_color_in (s, p.heat_high, 0, 0, w * 10 / 12 - 10, h), ==, 0);
  cairo_surface_destroy (s);

  /* Small enough to have no text: the grid fills the area, cells are exactly known.
   * Cell luminance must fall as values rise, and missing cells stay unfilled. */
  {
    const int sw = 96, sh = 48;
    double prev_value = -1, prev_lum = 2;
    guint order[36];
    guint n = 0;

    s = render (draw_heatmap, &spec, &p, sw, sh, 1, FALSE);
    for (guint i = 0; i < 36; i++)
      if (isfinite (heat_values[i]))
        order[n++] = i;
    /* Sort cell indices by value. */
    for (guint i = 1; i < n; i++)
      for (guint j = i; j > 0 && heat_values[order[j]] < heat_values[order[j - 1]]; j--)
        {
          guint t = order[j];
          order[j] = order[j - 1];
          order[j - 1] = t;
        }
    for (guint i = 0; i < n; i++)
      {
        int row = order[i] / 12, col = order[i] % 12;
        int x = (int) ((col + 0.5) * sw / 12.0), y = (int) ((row + 0.5) * sh / 3.0);
        double r, g, b, a, l;

        pixel (s, x, y, &r, &g, &b, &a);
        g_assert_cmpfloat (a, >, 0.99);
        l = 0.2126 * r + 0.7152 * g + 0.0722 * b;
        if (heat_values[order[i]] > prev_value)
          g_assert_cmpfloat (l, <=, prev_lum + 1e-9);
        prev_value = heat_values[order[i]];
        prev_lum = l;
        if (i == n - 1)
          {
            /* The hottest cell (2025-11) is the darkest and has the high heat colour. */
            g_assert_cmpint (row, ==, 1);
            g_assert_cmpint (col, ==, 10);
            g_assert_true (pixel_is (s, x, y, p.heat_high));
          }
        if (i == 0)
          g_assert_true (pixel_is (s, x, y, p.heat_low));
      }
    {
      double r, g, b, a;

      /* 2026-12 is missing: its centre is not filled. */
      pixel (s, (int) (11.5 * sw / 12.0), (int) (2.5 * sh / 3.0), &r, &g, &b, &a);
      g_assert_cmpfloat (a, <, 0.01);
    }
    cairo_surface_destroy (s);
  }
}

static void
test_sparkline (Fixture       *f,
                gconstpointer  data)
{
  KlChartPalette p = probe_palette ();
  KlChartSparkline spec = {
    spark_values, G_N_ELEMENTS (spark_values), TRUE, 0.96, TRUE, TRUE,
  };
  const double single[] = { 3 };
  const double nothing[] = { NAN, NAN };
  cairo_surface_t *s;

  draw_at_many_sizes (draw_sparkline, &spec);
  look (f, draw_sparkline, &spec, "sparkline", 120, 28);

  s = render (draw_sparkline, &spec, &p, 120, 28, 1, TRUE);
  g_assert_cmpuint (count_color (s, p.series[0]), >, 60);
  g_assert_cmpuint (count_color (s, p.target), >, 20);
  cairo_surface_destroy (s);
  spec.has_target = FALSE;
  s = render (draw_sparkline, &spec, &p, 120, 28, 1, TRUE);
  g_assert_cmpuint (count_color (s, p.target), ==, 0);
  cairo_surface_destroy (s);

  /* A lone value still shows as a dot; nothing at all draws nothing. */
  spec.values = single;
  spec.n_values = 1;
  spec.fill = FALSE;
  spec.show_last = FALSE;
  s = render (draw_sparkline, &spec, &p, 60, 20, 1, TRUE);
  g_assert_cmpuint (count_color (s, p.series[0]), >, 0);
  cairo_surface_destroy (s);
  spec.values = nothing;
  spec.n_values = 2;
  s = render (draw_sparkline, &spec, &p, 60, 20, 1, TRUE);
  g_assert_cmpuint (count_color (s, p.series[0]), ==, 0);
  cairo_surface_destroy (s);
  draw_at_many_sizes (draw_sparkline, &spec);
}

/* Huge, tiny and infinite numbers must neither crash nor reach cairo as non-finite. */
static void
test_extreme_values (void)
{
  const double wild[] = { DBL_MAX, -DBL_MAX, INFINITY, -INFINITY, 1e-310, -0.0, 1e308, NAN };
  const char *const cats[] = { "a", "b", "c", "d", "e", "f", "g", "h" };
  KlChartSeries series[2] = {
    { "甲", wild, G_N_ELEMENTS (wild), NULL }, { "乙", wild, G_N_ELEMENTS (wild), cats },
  };
  KlChartTrend trend = {
    .categories = cats, .n_categories = G_N_ELEMENTS (cats), .series = series, .n_series = 2,
    .has_target = TRUE, .target = DBL_MAX, .target_label = "x", .show_points = TRUE,
    .style = KL_CHART_TREND_AREA, .show_legend = TRUE,
  };
  KlChartBars bars = {
    .categories = cats, .n_categories = G_N_ELEMENTS (cats), .series = series, .n_series = 2,
    .mode = KL_CHART_BARS_STACKED, .show_values = TRUE, .show_legend = TRUE,
  };
  KlChartBulletItem items[] = {
    { "x", DBL_MAX, -DBL_MAX, INFINITY, 1e-310, TRUE, NAN, NAN, KL_CHART_FORMAT_COUNT },
    { "y", 1e308, 1e308, 1e308, 1e308, FALSE, -INFINITY, INFINITY, KL_CHART_FORMAT_DECIMAL },
    { "z", 0.5, 0.5, 0.5, 0.5, TRUE, 0.5, 0.5, KL_CHART_FORMAT_PERCENT },
    { "w", DBL_MAX, -DBL_MAX, 0, 1, TRUE, -DBL_MAX, DBL_MAX, KL_CHART_FORMAT_COUNT },
  };
  KlChartBullet bullet = { NULL, items, G_N_ELEMENTS (items) };
  double heat[24];
  const int years[] = { 1, 2 };
  KlChartHeatmap heatmap = { "x", years, 2, heat, KL_CHART_FORMAT_DECIMAL, TRUE };
  KlChartSparkline spark = { wild, G_N_ELEMENTS (wild), TRUE, -DBL_MAX, TRUE, TRUE };

  for (guint i = 0; i < 24; i++)
    heat[i] = wild[i % G_N_ELEMENTS (wild)];

  for (int mode = 0; mode < 2; mode++)
    {
      trend.format = bars.format = mode == 0 ? KL_CHART_FORMAT_COUNT : KL_CHART_FORMAT_PERCENT;
      draw_at_many_sizes (draw_trend, &trend);
      draw_at_many_sizes (draw_bars, &bars);
      bars.mode = KL_CHART_BARS_GROUPED;
      draw_at_many_sizes (draw_bars, &bars);
    }
  draw_at_many_sizes (draw_bullet, &bullet);
  draw_at_many_sizes (draw_heatmap, &heatmap);
  draw_at_many_sizes (draw_sparkline, &spark);
}

static void
test_background_untouched (void)
{
  KlChartPalette p = kl_chart_palette_dark ();
  KlChartTrend spec;
  KlChartSeries series[2];
  cairo_surface_t *s;
  double r, g, b, a;

  sample_trend (&spec, series);
  spec.title = NULL;
  s = render (draw_trend, &spec, &p, 200, 100, 1, FALSE);
  /* Renderers leave the background to the caller (a widget keeps its own). */
  pixel (s, 199, 99, &r, &g, &b, &a);
  g_assert_cmpfloat (a, ==, 0);
  cairo_surface_destroy (s);
}

static void
test_pdf_surface (void)
{
  /* The report draws on vector surfaces too; a recording surface stands in for PDF. */
  KlChartPalette p = kl_chart_palette_print ();
  KlChartTrend trend;
  KlChartSeries series[2];
  KlChartBullet bullet = { NULL, bullet_items, G_N_ELEMENTS (bullet_items) };
  cairo_rectangle_t extents = { 0, 0, 400, 300 };
  cairo_surface_t *surface = cairo_recording_surface_create (CAIRO_CONTENT_COLOR_ALPHA, &extents);
  cairo_t *cr = cairo_create (surface);
  double x, y, w, h;

  sample_trend (&trend, series);
  kl_chart_draw_trend (cr, 400, 150, &trend, &p);
  cairo_translate (cr, 0, 150);
  kl_chart_draw_bullet (cr, 400, 150, &bullet, &p);
  g_assert_cmpint (cairo_status (cr), ==, CAIRO_STATUS_SUCCESS);
  cairo_destroy (cr);
  cairo_recording_surface_ink_extents (surface, &x, &y, &w, &h);
  /* Ink covers most of the page and nothing falls outside it. */
  g_assert_cmpfloat (x, >=, 0);
  g_assert_cmpfloat (y, >=, 0);
  g_assert_cmpfloat (x + w, <=, 400);
  g_assert_cmpfloat (y + h, <=, 300);
  g_assert_cmpfloat (w, >, 300);
  g_assert_cmpfloat (h, >, 250);
  cairo_surface_destroy (surface);
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/chart/ticks/ranges", test_ticks_ranges);
  g_test_add_func ("/chart/format/month-axis-labels", test_month_axis_labels);
  g_test_add_func ("/chart/ticks/exact", test_ticks_exact);
  g_test_add_func ("/chart/ticks/missing", test_ticks_missing);
  g_test_add_func ("/chart/format/number", test_format_number);
  g_test_add_func ("/chart/format/percent", test_format_percent);
  g_test_add_func ("/chart/format/value", test_format_value);
  g_test_add_func ("/chart/format/locale", test_format_locale);
  g_test_add_func ("/chart/format/months", test_month_labels);
  g_test_add_func ("/chart/palette", test_palettes);
  g_test_add ("/chart/trend/draws", Fixture, NULL, fixture_set_up, test_trend_draws,
              fixture_tear_down);
  g_test_add_func ("/chart/trend/target-and-gaps", test_trend_target_and_gaps);
  g_test_add_func ("/chart/trend/leaves-state", test_trend_leaves_state);
  g_test_add ("/chart/bars/draws", Fixture, NULL, fixture_set_up, test_bars_draws,
              fixture_tear_down);
  g_test_add_func ("/chart/bars/pixels", test_bars_pixels);
  g_test_add ("/chart/bullet/draws", Fixture, NULL, fixture_set_up, test_bullet_draws,
              fixture_tear_down);
  g_test_add_func ("/chart/bullet/pixels", test_bullet_pixels);
  g_test_add ("/chart/heatmap/draws", Fixture, NULL, fixture_set_up, test_heatmap_draws,
              fixture_tear_down);
  g_test_add_func ("/chart/heatmap/pixels", test_heatmap_pixels);
  g_test_add ("/chart/sparkline", Fixture, NULL, fixture_set_up, test_sparkline,
              fixture_tear_down);
  g_test_add_func ("/chart/extreme-values", test_extreme_values);
  g_test_add_func ("/chart/background-untouched", test_background_untouched);
  g_test_add_func ("/chart/vector-surface", test_pdf_surface);

  return g_test_run ();
}
