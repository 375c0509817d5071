/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Text in the chart font with its ASCII runs in a Latin face of their own.
 *
 * Noto Sans CJK holds Han and Latin glyphs in one CID-keyed CFF font. When a
 * PDF uses both from the one face, cairo (1.16) subsets them together, and
 * certain runs of Latin capitals make its CFF subsetter give up subsetting the
 * subroutines: it then writes every subroutine of the Han glyphs, about
 * 0.8 MB per face, so a report grew from 160 KB to 1.7 MB because of a
 * letterhead such as "Keyline Bench Logistics". Every regional face of Noto
 * Sans CJK carries the same ASCII glyphs with the same advances, so drawing
 * the ASCII runs from another region's face changes no width or line break
 * (the layout is as before) while cairo subsets the two faces apart: the Han
 * subset keeps its subroutines small and the Latin one is small anyway. */
#include "config.h"

#include <string.h>

#include "kl-chart.h"

#define KL_CHART_CJK_FAMILY "Noto Sans CJK SC"

static gboolean
uses_chart_font (PangoLayout *layout)
{
  const PangoFontDescription *font = pango_layout_get_font_description (layout);
  const char *family = font != NULL ? pango_font_description_get_family (font) : NULL;

  gsize n = strlen (KL_CHART_CJK_FAMILY);

  /* Pango may have respaced the list: compare its first family. */
  if (family == NULL)
    return FALSE;
  while (g_ascii_isspace (*family))
    family++;
  if (g_ascii_strncasecmp (family, KL_CHART_CJK_FAMILY, n) != 0)
    return FALSE;
  family += n;
  while (g_ascii_isspace (*family))
    family++;
  return *family == ',' || *family == '\0';
}

/* Adds a family attribute over each run of ASCII in text to attrs. */
static void
add_latin_runs (PangoAttrList *attrs,
                const char    *text,
                gsize          length)
{
  gsize i = 0;

  while (i < length)
    {
      gsize start;

      while (i < length && (guchar) text[i] >= 0x80)
        i++;
      start = i;
      while (i < length && (guchar) text[i] < 0x80)
        i++;
      if (i > start)
        {
          PangoAttribute *attr = pango_attr_family_new (KL_CHART_LATIN_FONT_FAMILY);

          attr->start_index = (guint) start;
          attr->end_index = (guint) i;
          pango_attr_list_insert (attrs, attr);
        }
    }
}

void
kl_chart_layout_set_text (PangoLayout *layout,
                          const char  *text)
{
  PangoAttrList *attrs;

  g_return_if_fail (PANGO_IS_LAYOUT (layout));

  if (text == NULL)
    text = "";
  pango_layout_set_text (layout, text, -1);
  if (!uses_chart_font (layout))
    {
      pango_layout_set_attributes (layout, NULL);
      return;
    }
  attrs = pango_attr_list_new ();
  add_latin_runs (attrs, text, strlen (text));
  pango_layout_set_attributes (layout, attrs);
  pango_attr_list_unref (attrs);
}
