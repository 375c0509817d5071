/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Report-language translations read straight from the compiled catalogue.
 *
 * gettext proper follows the process (or thread) locale and lets $LANGUAGE
 * override it, and switching a thread to zh_CN with newlocale() needs that
 * locale to be installed, which minimal systems and the Flatpak runtime often
 * lack. A report must come out in its customer's language whatever the
 * session runs in, so this file looks messages up in the .mo file itself:
 * the GNU catalogue format is a sorted table of original strings and a
 * parallel table of translations. */
#include "config.h"

#include <libintl.h>
#include <string.h>
#include <glib/gi18n-lib.h>

#include "kl-report-language.h"

#define MO_MAGIC         0x950412deU
#define MO_MAGIC_SWAPPED 0xde120495U

typedef struct {
  GMappedFile *file;       /* NULL: no catalogue for this language */
  const guint8 *data;
  gsize         size;
  gboolean      swapped;
  guint32       n_strings;
  guint32       originals;
  guint32       translations;
} KlCatalogue;

G_LOCK_DEFINE_STATIC (catalogues);
static GHashTable *catalogues;  /* "dir\nlanguage" → KlCatalogue or NULL; kept for good */

const char *
kl_report_language_normalize (const char *language)
{
  if (language != NULL && g_ascii_strncasecmp (language, "zh", 2) == 0 &&
      (language[2] == '\0' || language[2] == '_' || language[2] == '-' || language[2] == '.'))
    return "zh_CN";
  return "en";
}

static guint32
read_u32 (const KlCatalogue *cat,
          gsize              offset)
{
  guint32 v;

  if (offset > cat->size || cat->size - offset < 4)
    return 0;
  memcpy (&v, cat->data + offset, 4);
  return cat->swapped ? GUINT32_SWAP_LE_BE (v) : v;
}

/* The string at a table slot, or NULL when the slot points outside the file
 * or the string is not NUL-terminated where the table says. */
static const char *
table_string (const KlCatalogue *cat,
              guint32            table,
              guint32            index,
              guint32           *out_len)
{
  gsize slot = (gsize) table + (gsize) index * 8;
  guint32 len = read_u32 (cat, slot);
  guint32 off = read_u32 (cat, slot + 4);

  if ((gsize) off + len >= cat->size || cat->data[off + len] != '\0')
    return NULL;
  if (out_len != NULL)
    *out_len = len;
  return (const char *) cat->data + off;
}

static void
catalogue_open (KlCatalogue *cat,
                const char  *path)
{
  guint32 magic;

  cat->file = g_mapped_file_new (path, FALSE, NULL);
  if (cat->file == NULL)
    return;
  cat->data = (const guint8 *) g_mapped_file_get_contents (cat->file);
  cat->size = g_mapped_file_get_length (cat->file);
  if (cat->size < 28)
    goto bad;
  memcpy (&magic, cat->data, 4);
  if (magic == MO_MAGIC_SWAPPED)
    cat->swapped = TRUE;
  else if (magic != MO_MAGIC)
    goto bad;
  cat->n_strings = read_u32 (cat, 8);
  cat->originals = read_u32 (cat, 12);
  cat->translations = read_u32 (cat, 16);
  if ((gsize) cat->originals + (gsize) cat->n_strings * 8 > cat->size ||
      (gsize) cat->translations + (gsize) cat->n_strings * 8 > cat->size)
    goto bad;
  return;

bad:
  g_debug ("“%s” is not a message catalogue; reports stay untranslated", path);
  g_clear_pointer (&cat->file, g_mapped_file_unref);
  cat->data = NULL;
  cat->size = 0;
}

/* The catalogue of language from dir (zh_CN, then plain zh, as gettext
 * falls back); NULL when there is none. */
static KlCatalogue *
catalogue_load (const char *dir,
                const char *language)
{
  g_autofree char *lang_only = g_strndup (language, strcspn (language, "_"));
  const char *tries[] = { language, lang_only };
  KlCatalogue *cat = g_new0 (KlCatalogue, 1);

  for (gsize i = 0; i < G_N_ELEMENTS (tries) && cat->file == NULL; i++)
    {
      g_autofree char *path = g_build_filename (dir, tries[i], "LC_MESSAGES",
                                                GETTEXT_PACKAGE ".mo", NULL);
      catalogue_open (cat, path);
    }
  if (cat->file == NULL)
    g_clear_pointer (&cat, g_free);
  return cat;
}

static const KlCatalogue *
catalogue_for (const char *language)
{
  /* The directory bindtextdomain() set (the program's, or a test's), then
   * the one this build installs to. */
  const char *bound = bindtextdomain (GETTEXT_PACKAGE, NULL);
  g_autofree char *key = g_strconcat (bound != NULL ? bound : "", "\n", language, NULL);
  static const KlCatalogue none = { NULL };
  KlCatalogue *cat;

  G_LOCK (catalogues);
  if (catalogues == NULL)
    catalogues = g_hash_table_new (g_str_hash, g_str_equal);
  if (!g_hash_table_lookup_extended (catalogues, key, NULL, (gpointer *) &cat))
    {
      cat = bound != NULL ? catalogue_load (bound, language) : NULL;
      if (cat == NULL && g_strcmp0 (bound, LOCALEDIR) != 0)
        cat = catalogue_load (LOCALEDIR, language);
      g_hash_table_insert (catalogues, g_steal_pointer (&key), cat);
    }
  G_UNLOCK (catalogues);
  return cat != NULL ? cat : &none;
}

/* The translation of key (NUL-terminated; for plurals the singular), or
 * NULL. The catalogue's originals are sorted by strcmp. */
static const char *
catalogue_lookup (const KlCatalogue *cat,
                  const char        *key)
{
  guint32 lo = 0, hi;

  if (cat->file == NULL || *key == '\0')
    return NULL;
  hi = cat->n_strings;
  while (lo < hi)
    {
      guint32 mid = lo + (hi - lo) / 2;
      const char *orig = table_string (cat, cat->originals, mid, NULL);
      int cmp;

      if (orig == NULL)
        return NULL;
      cmp = strcmp (key, orig);
      if (cmp == 0)
        {
          guint32 len = 0;
          const char *tr = table_string (cat, cat->translations, mid, &len);

          return tr != NULL && len > 0 && *tr != '\0' ? tr : NULL;
        }
      if (cmp < 0)
        hi = mid;
      else
        lo = mid + 1;
    }
  return NULL;
}

const char *
kl_report_gettext (const char *language,
                   const char *msgid)
{
  const char *lang;
  const char *tr;

  g_return_val_if_fail (msgid != NULL, NULL);

  lang = kl_report_language_normalize (language);
  if (g_str_equal (lang, "en"))
    return msgid;
  tr = catalogue_lookup (catalogue_for (lang), msgid);
  return tr != NULL ? tr : msgid;
}

const char *
kl_report_pgettext (const char *language,
                    const char *context,
                    const char *msgid)
{
  g_autofree char *key = NULL;
  const char *lang;
  const char *tr;

  g_return_val_if_fail (context != NULL, NULL);
  g_return_val_if_fail (msgid != NULL, NULL);

  lang = kl_report_language_normalize (language);
  if (g_str_equal (lang, "en"))
    return msgid;
  key = g_strconcat (context, "\004", msgid, NULL);
  tr = catalogue_lookup (catalogue_for (lang), key);
  return tr != NULL ? tr : msgid;
}

/* Words of the report */

static const char * const rate_labels[KL_N_RATES] = {
  [KL_RATE_DISPATCH_ON_TIME]  = N_("Dispatch on time"),
  [KL_RATE_ARRIVAL_ON_TIME]   = N_("Arrival on time"),
  [KL_RATE_DOCUMENT_ACCURACY] = N_("Document accuracy"),
  [KL_RATE_ORDER_ACCURACY]    = N_("Order accuracy"),
  [KL_RATE_DAMAGE]            = N_("Damage rate"),
  [KL_RATE_SHORTAGE]          = N_("Shortage rate"),
  [KL_RATE_INCIDENT]          = N_("Incident rate"),
  [KL_RATE_OTIF]              = N_("On time in full"),
};

static const char * const month_names[12] = {
  N_("January"), N_("February"), N_("March"), N_("April"), N_("May"), N_("June"),
  N_("July"), N_("August"), N_("September"), N_("October"), N_("November"), N_("December"),
};

static const char * const month_abbrevs[12] = {
  NC_("month abbreviation", "Jan"), NC_("month abbreviation", "Feb"),
  NC_("month abbreviation", "Mar"), NC_("month abbreviation", "Apr"),
  NC_("month abbreviation", "May"), NC_("month abbreviation", "Jun"),
  NC_("month abbreviation", "Jul"), NC_("month abbreviation", "Aug"),
  NC_("month abbreviation", "Sep"), NC_("month abbreviation", "Oct"),
  NC_("month abbreviation", "Nov"), NC_("month abbreviation", "Dec"),
};

char *
kl_report_period_display (const KlPeriod *period,
                          const char     *language)
{
  g_return_val_if_fail (period != NULL, NULL);

  switch (period->kind)
    {
    case KL_PERIOD_MONTH:
      /* Translators: a report month, "October 2026"; %1$s is the month name, %2$d the year. */
      return g_strdup_printf (kl_report_gettext (language, N_("%1$s %2$d")),
                              kl_report_gettext (language, month_names[period->index - 1]),
                              period->year);
    case KL_PERIOD_QUARTER:
      /* Translators: a report quarter, "Q3 2026"; %1$d is the quarter, %2$d the year. */
      return g_strdup_printf (kl_report_gettext (language, N_("Q%1$d %2$d")), period->index, period->year);
    case KL_PERIOD_YEAR:
    default:
      return g_strdup_printf ("%d", period->year);
    }
}

const char *
kl_report_month_abbrev (int         month,
                        const char *language)
{
  return kl_report_pgettext (language, "month abbreviation", month_abbrevs[(month % 100 - 1 + 12) % 12]);
}

const char *
kl_report_rate_label (KlRate      rate,
                      const char *language)
{
  g_return_val_if_fail ((int) rate >= 0 && rate < KL_N_RATES, "");
  return kl_report_gettext (language, rate_labels[rate]);
}

const char *
kl_report_language_of_interface (void)
{
  /* LANGUAGE, LC_ALL, LC_MESSAGES, LANG, in gettext's order. */
  return kl_report_language_normalize (g_get_language_names ()[0]);
}
