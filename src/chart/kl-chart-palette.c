/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Chart palettes: light and dark screen colours, print colours, and a palette derived
 * from a widget's style colours. */
#include "config.h"

#include <string.h>

#include "kl-chart.h"

static KlChartColor
hex (guint32 rgb)
{
  return (KlChartColor) {
    ((rgb >> 16) & 0xff) / 255.0,
    ((rgb >> 8) & 0xff) / 255.0,
    (rgb & 0xff) / 255.0,
    1.0,
  };
}

static KlChartColor
mix (KlChartColor a,
     KlChartColor b,
     double       t)
{
  return (KlChartColor) {
    a.red + (b.red - a.red) * t,
    a.green + (b.green - a.green) * t,
    a.blue + (b.blue - a.blue) * t,
    a.alpha + (b.alpha - a.alpha) * t,
  };
}

static double
luminance (KlChartColor c)
{
  return 0.2126 * c.red + 0.7152 * c.green + 0.0722 * c.blue;
}

static void
set_series (KlChartPalette *p,
            const guint32   rgb[KL_CHART_N_SERIES_COLORS])
{
  for (guint i = 0; i < KL_CHART_N_SERIES_COLORS; i++)
    p->series[i] = hex (rgb[i]);
}

KlChartPalette
kl_chart_palette_light (void)
{
  static const guint32 series[KL_CHART_N_SERIES_COLORS] = {
    0x1c71d8, 0xe66100, 0x26a269, 0x813d9c, 0xc88800, 0x2190a4, 0xc061cb, 0x77767b,
  };
  KlChartPalette p = { 0 };

  p.foreground = hex (0x241f31);
  p.background = hex (0xffffff);
  p.grid = hex (0xdeddda);
  p.muted = hex (0x5e5c64);
  set_series (&p, series);
  p.good = hex (0x33b36b);
  p.warn = hex (0xf5c211);
  p.bad = hex (0xe01b24);
  p.target = hex (0xa51d2d);
  p.heat_low = hex (0xeef4fc);
  p.heat_high = hex (0x0d3a7a);
  p.font_family = KL_CHART_FONT_FAMILY;
  p.font_size = 11.0;
  return p;
}

KlChartPalette
kl_chart_palette_dark (void)
{
  static const guint32 series[KL_CHART_N_SERIES_COLORS] = {
    0x62a0ea, 0xffa348, 0x57e389, 0xc083dc, 0xf8e45c, 0x5bc8e0, 0xf09ae8, 0xc0bfbc,
  };
  KlChartPalette p = { 0 };

  p.foreground = hex (0xf6f5f4);
  p.background = hex (0x242424);
  p.grid = hex (0x464646);
  p.muted = hex (0xb0afac);
  set_series (&p, series);
  p.good = hex (0x2ec27e);
  p.warn = hex (0xe5a50a);
  p.bad = hex (0xe62d42);
  p.target = hex (0xff7b63);
  p.heat_low = hex (0x2c3440);
  p.heat_high = hex (0x8cc0ff);
  p.font_family = KL_CHART_FONT_FAMILY;
  p.font_size = 11.0;
  return p;
}

KlChartPalette
kl_chart_palette_print (void)
{
  /* Dark and light colours alternate so neighbouring series stay apart in greyscale. */
  static const guint32 series[KL_CHART_N_SERIES_COLORS] = {
    0x08306b, 0xf28e2b, 0x2e7d32, 0x9ecae1, 0x6a3d9a, 0xfdbf6f, 0x4d4d4d, 0xb2b2b2,
  };
  KlChartPalette p = { 0 };

  p.foreground = hex (0x000000);
  p.background = hex (0xffffff);
  p.grid = hex (0xc8c8c8);
  p.muted = hex (0x404040);
  set_series (&p, series);
  p.good = hex (0x4caf50);
  p.warn = hex (0xffc107);
  p.bad = hex (0xd32f2f);
  p.target = hex (0x000000);
  p.heat_low = hex (0xf4f4f4);
  p.heat_high = hex (0x08306b);
  p.font_family = KL_CHART_FONT_FAMILY;
  p.font_size = 9.0;
  return p;
}

KlChartPalette
kl_chart_palette_from_colors (const KlChartColor *foreground,
                              const KlChartColor *background,
                              const KlChartColor *accent)
{
  KlChartPalette p;
  gboolean dark;

  g_return_val_if_fail (foreground != NULL, kl_chart_palette_light ());
  g_return_val_if_fail (background != NULL, kl_chart_palette_light ());
  g_return_val_if_fail (accent != NULL, kl_chart_palette_light ());

  dark = luminance (*background) < 0.5;
  p = dark ? kl_chart_palette_dark () : kl_chart_palette_light ();

  p.foreground = *foreground;
  p.background = *background;
  /* Mix opaque versions so a translucent style colour (GTK's label colour is often
   * drawn at 80% alpha) still gives solid, readable lines. */
  p.foreground.alpha = MAX (p.foreground.alpha, 0.85);
  p.background.alpha = 1.0;
  p.muted = mix (p.foreground, p.background, 0.3);
  p.muted.alpha = 1.0;
  p.grid = mix (p.foreground, p.background, 0.82);
  p.grid.alpha = 1.0;
  p.series[0] = *accent;
  p.series[0].alpha = 1.0;
  p.heat_low = mix (p.series[0], p.background, 0.88);
  p.heat_high = dark ? mix (p.series[0], p.foreground, 0.35) : mix (p.series[0], hex (0x000000), 0.45);
  return p;
}

KlChartColor
kl_chart_palette_series_color (const KlChartPalette *palette,
                               gsize                 i)
{
  g_return_val_if_fail (palette != NULL, hex (0));

  return palette->series[i % KL_CHART_N_SERIES_COLORS];
}

void
kl_chart_fill_background (cairo_t              *cr,
                          double                width,
                          double                height,
                          const KlChartPalette *palette)
{
  g_return_if_fail (cr != NULL);
  g_return_if_fail (palette != NULL);

  if (!(width > 0 && height > 0 && width < G_MAXINT && height < G_MAXINT))
    return;
  cairo_save (cr);
  cairo_set_source_rgba (cr, palette->background.red, palette->background.green,
                         palette->background.blue, palette->background.alpha);
  cairo_rectangle (cr, 0, 0, width, height);
  cairo_fill (cr);
  cairo_restore (cr);
}
