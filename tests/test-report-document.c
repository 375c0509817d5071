/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The printed report: PDF, SVG and PNG output of monthly, quarterly and
 * annual reports in English and Chinese on A4 and Letter, page numbering,
 * tables split across pages with repeated headers, text kept inside the
 * page, and a logo that is missing or broken. */
#include "config.h"

#include <math.h>
#include <string.h>

#include <cairo.h>
#include <libintl.h>
#include <locale.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <pango/pangocairo.h>

#include "kl-chart.h"
#include "kl-customer-store.h"
#include "kl-database.h"
#include "kl-report-chart.h"
#include "kl-report-document.h"
#include "kl-report-job.h"
#include "kl-report-language.h"
#include "kl-format.h"
#include "kl-report-model.h"
#include "kl-shipment-store.h"
#include "kl-test-util.h"

typedef struct {
  char       *dir;
  KlDatabase *db;
} Fixture;

static const char *regions[] = { "华东", "华南", "华北", "西南", "East", "West" };

static gint64
local_time (int year, int month, int day, int hour)
{
  g_autoptr(GTimeZone) tz = g_time_zone_new_identifier ("Asia/Shanghai");
  g_autoptr(GDateTime) dt = g_date_time_new (tz, year, month, day, hour, 0, 0);

  return g_date_time_to_unix (dt);
}

static char *
add_customer (KlDatabase *db,
              const char *code,
              const char *name,
              const char *language)
{
  g_autoptr(KlCustomer) c = kl_customer_new ();
  g_autoptr(GError) error = NULL;

  c->code = g_strdup (code);
  c->name = g_strdup (name);
  g_free (c->report_language);
  c->report_language = g_strdup (language);
  g_assert_true (kl_customer_store_save (db, c, KL_ORIGIN_LOCAL, NULL, &error));
  g_assert_no_error (error);
  return g_strdup (c->id);
}

static void
add_shipment (KlDatabase *db,
              const char *customer_id,
              const char *waybill,
              const char *dest_region,
              const char *origin_region,
              gint64      planned,
              GRand      *rand)
{
  g_autoptr(KlShipment) s = kl_shipment_new ();
  g_autoptr(GError) error = NULL;
  int late = g_rand_int_range (rand, 0, 10) == 0 ? 7200 : -600;

  s->waybill = g_strdup (waybill);
  s->customer_id = g_strdup (customer_id);
  s->status = KL_SHIPMENT_STATUS_DELIVERED;
  s->mode = KL_MODE_ROAD_LTL;
  s->origin_city = g_strdup ("Shanghai");
  s->origin_region = g_strdup (origin_region);
  s->dest_city = g_strdup ("City");
  s->dest_region = g_strdup (dest_region);
  s->pieces = g_rand_int_range (rand, 1, 40);
  s->weight_g = g_rand_int_range (rand, 1000, 900000);
  s->volume_cm3 = g_rand_int_range (rand, 10000, 9000000);
  s->planned_pickup_at = planned;
  s->picked_up_at = planned + late;
  s->planned_delivery_at = planned + 2 * 86400;
  s->delivered_at = planned + 2 * 86400 + (g_rand_int_range (rand, 0, 8) == 0 ? 3600 : -3600);
  s->documents_ok = g_rand_int_range (rand, 0, 30) == 0 ? KL_TRI_FALSE : KL_TRI_TRUE;
  s->order_accurate = g_rand_int_range (rand, 0, 40) == 0 ? KL_TRI_FALSE : KL_TRI_TRUE;
  s->damaged_pieces = g_rand_int_range (rand, 0, 60) == 0 ? 1 : 0;
  s->incident = g_rand_int_range (rand, 0, 150) == 0;
  g_assert_true (kl_shipment_store_save (db, s, NULL, &error));
  g_assert_no_error (error);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *acme = NULL;
  g_autofree char *hdjm = NULL;
  g_autofree char *many = NULL;
  g_autoptr(KlAgreement) agreement = kl_agreement_new ();
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  int n = 0;

  f->dir = kl_test_make_tmp_dir ("keyline-report-doc-XXXXXX");
  path = g_build_filename (f->dir, "workspace.db", NULL);
  f->db = kl_test_create_workspace (path);
  g_assert_true (kl_rollup_set_timezone (f->db, "Asia/Shanghai", &error));
  g_assert_no_error (error);

  g_assert_true (kl_database_begin (f->db, &error));
  acme = add_customer (f->db, "ACME", "ACME Trading Company", "en");
  hdjm = add_customer (f->db, "HDJM", "华东精密制造有限公司", "zh_CN");
  many = add_customer (f->db, "MANY", "Many Regions Logistics", "en");

  agreement->customer_id = g_strdup (acme);
  agreement->effective_from = g_strdup ("2024-01-01");
  for (int r = 0; r < KL_N_RATES; r++)
    agreement->targets[r] = NAN;
  agreement->targets[KL_RATE_DISPATCH_ON_TIME] = 0.9;
  agreement->targets[KL_RATE_ARRIVAL_ON_TIME] = 0.95;
  agreement->targets[KL_RATE_DOCUMENT_ACCURACY] = 0.98;
  agreement->targets[KL_RATE_ORDER_ACCURACY] = 0.97;
  agreement->targets[KL_RATE_DAMAGE] = 0.002;
  agreement->targets[KL_RATE_INCIDENT] = 0.01;
  agreement->targets[KL_RATE_OTIF] = 0.85;
  agreement->dispatch_grace_min = 30;
  agreement->delivery_grace_min = 30;
  g_assert_true (kl_agreement_store_save (f->db, agreement, &error));
  g_assert_no_error (error);

  /* Fourteen months, 2025-09 to 2026-10, a seasonal number a month. */
  for (int m = 0; m < 14; m++)
    {
      int year = 2025 + (8 + m) / 12, month = (8 + m) % 12 + 1;
      int count = 14 + (month >= 9 && month <= 11 ? 12 : 0) - (month == 2 ? 6 : 0);

      for (int i = 0; i < count; i++)
        {
          g_autofree char *wb1 = g_strdup_printf ("A%06d", n);
          g_autofree char *wb2 = g_strdup_printf ("H%06d", n++);
          gint64 planned = local_time (year, month, 1 + i % 27, 9 + i % 8);

          add_shipment (f->db, acme, wb1, regions[i % G_N_ELEMENTS (regions)],
                        regions[(i / 3) % G_N_ELEMENTS (regions)], planned, rand);
          add_shipment (f->db, hdjm, wb2, regions[(i + 1) % G_N_ELEMENTS (regions)],
                        regions[0], planned, rand);
        }
    }
  /* Forty destination regions in one month. */
  for (int i = 0; i < 80; i++)
    {
      g_autofree char *wb = g_strdup_printf ("M%06d", i);
      g_autofree char *region = g_strdup_printf ("Region %02d", i % 40);

      add_shipment (f->db, many, wb, region, "East",
                    local_time (2026, 10, 1 + i % 28, 10), rand);
    }
  g_assert_true (kl_database_commit (f->db, &error));
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->db);
  /* KEYLINE_TEST_KEEP=1 keeps the files to look at (pdftoppm -png -r 60). */
  if (g_getenv ("KEYLINE_TEST_KEEP") != NULL)
    g_printerr ("kept %s\n", f->dir);
  else
    kl_test_remove_tree (f->dir);
  g_free (f->dir);
}

static KlReportModel *
build_model (Fixture    *f,
             const char *code,
             const char *period_text)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KlPeriod) period = kl_period_parse (period_text, &error);
  KlReportModel *model;

  g_assert_no_error (error);
  model = kl_report_build (f->db, code, period, &error);
  g_assert_no_error (error);
  g_assert_nonnull (model);
  return model;
}

/* The text of a PDF, or NULL when pdftotext is not installed. */
static char *
pdf_text (const char *pdf)
{
  g_autofree char *tool = g_find_program_in_path ("pdftotext");
  g_autofree char *out = NULL;
  g_autoptr(GError) error = NULL;
  int status = 0;
  const char *argv[] = { tool, "-layout", pdf, "-", NULL };

  if (tool == NULL)
    {
      g_test_message ("pdftotext not found; text checks skipped");
      return NULL;
    }
  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL,
                               &out, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  return g_steal_pointer (&out);
}

/* PDF files hold NUL bytes: strstr would stop at the first. */
static gboolean
file_contains (const char *path,
               const char *needle)
{
  g_autofree char *data = NULL;
  gsize len = 0;

  g_assert_true (g_file_get_contents (path, &data, &len, NULL));
  gsize n = strlen (needle);

  for (gsize i = 0; i + n <= len; i++)
    if (memcmp (data + i, needle, n) == 0)
      return TRUE;
  return FALSE;
}

static guint
count_substrings (const char *text,
                  const char *needle)
{
  guint n = 0;

  for (const char *p = strstr (text, needle); p != NULL; p = strstr (p + strlen (needle), needle))
    n++;
  return n;
}

/* Pages of a PDF: cairo writes each page as an object "/Type /Page". */
static guint
pdf_page_count (const char *path)
{
  g_autofree char *data = NULL;
  gsize len = 0;
  guint n = 0;

  g_assert_true (g_file_get_contents (path, &data, &len, NULL));
  g_assert_cmpuint (len, >, 4);
  g_assert_true (memcmp (data, "%PDF", 4) == 0);
  for (gsize i = 0; i + 11 < len; i++)
    if (memcmp (data + i, "/Type /Page", 11) == 0 && data[i + 11] != 's')
      n++;
  return n;
}

static char *
write_pdf (Fixture          *f,
           KlReportDocument *doc,
           const char       *name)
{
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (f->dir, name, NULL);

  g_assert_true (kl_report_document_write_pdf (doc, path, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (pdf_page_count (path), ==, (guint) kl_report_document_get_n_pages (doc));
  return path;
}

/* Everything drawn on every page stays inside the page, clear of its edge. */
static void
assert_pages_inside (KlReportDocument *doc)
{
  double w, h;

  kl_report_document_get_page_size (doc, &w, &h);
  for (int p = 0; p < kl_report_document_get_n_pages (doc); p++)
    {
      cairo_surface_t *rec = cairo_recording_surface_create (CAIRO_CONTENT_COLOR_ALPHA, NULL);
      cairo_t *cr = cairo_create (rec);
      double x0, y0, iw, ih;

      kl_report_document_draw_page (doc, cr, p);
      cairo_destroy (cr);
      cairo_recording_surface_ink_extents (rec, &x0, &y0, &iw, &ih);
      cairo_surface_destroy (rec);
      g_assert_cmpfloat (iw, >, 0);
      g_assert_cmpfloat (x0, >=, 24);
      g_assert_cmpfloat (y0, >=, 24);
      g_assert_cmpfloat (x0 + iw, <=, w - 24);
      g_assert_cmpfloat (y0 + ih, <=, h - 24);
    }
}

static void
test_month_en (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(KlReportModel) model = build_model (f, "ACME", "2026-10");
  KlReportDocumentOptions options = KL_REPORT_DOCUMENT_OPTIONS_INIT;
  g_autoptr(KlReportDocument) doc = NULL;
  g_autofree char *pdf = NULL;
  g_autofree char *text = NULL;
  g_autofree char *footer = NULL;
  double w, h;
  int n;

  options.company_name = "Swift Freight Ltd.";
  options.generated_date = "2026-11-02";
  doc = kl_report_document_new (model, &options);
  g_assert_cmpstr (kl_report_document_get_language (doc), ==, "en");
  kl_report_document_get_page_size (doc, &w, &h);
  g_assert_cmpfloat (w, ==, 595);
  g_assert_cmpfloat (h, ==, 842);
  n = kl_report_document_get_n_pages (doc);
  g_assert_cmpint (n, >, 0);
  g_assert_cmpint (n, <, 6);
  assert_pages_inside (doc);

  pdf = write_pdf (f, doc, "acme-2026-10.pdf");
  text = pdf_text (pdf);
  if (text == NULL)
    return;
  footer = g_strdup_printf ("Page 1 of %d", n);
  g_assert_nonnull (strstr (text, "Monthly service report"));
  g_assert_nonnull (strstr (text, "ACME Trading Company (ACME)"));
  g_assert_nonnull (strstr (text, "October 2026"));
  g_assert_nonnull (strstr (text, "2026-11-02"));
  g_assert_nonnull (strstr (text, "Swift Freight Ltd."));
  g_assert_nonnull (strstr (text, footer));
  g_assert_nonnull (strstr (text, "targets met"));
  g_assert_nonnull (strstr (text, "Dispatch on time"));
  g_assert_nonnull (strstr (text, "Claims summary"));
  /* Status in words, not colour alone. */
  g_assert_true (strstr (text, "Met") != NULL || strstr (text, "Missed") != NULL);
}

static void
test_letter (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(KlReportModel) model = build_model (f, "ACME", "2026");
  KlReportDocumentOptions options = KL_REPORT_DOCUMENT_OPTIONS_INIT;
  g_autoptr(KlReportDocument) a4 = NULL;
  g_autoptr(KlReportDocument) letter = NULL;
  g_autofree char *pdf = NULL;
  g_autofree char *text = NULL;
  double w, h;

  options.paper = KL_PAPER_LETTER;
  letter = kl_report_document_new (model, &options);
  kl_report_document_get_page_size (letter, &w, &h);
  g_assert_cmpfloat (w, ==, 612);
  g_assert_cmpfloat (h, ==, 792);
  assert_pages_inside (letter);
  pdf = write_pdf (f, letter, "acme-2026-letter.pdf");
  g_assert_true (file_contains (pdf, "/MediaBox [ 0 0 612 792 ]"));

  options.paper = KL_PAPER_A4;
  a4 = kl_report_document_new (model, &options);
  assert_pages_inside (a4);
  g_free (write_pdf (f, a4, "acme-2026-a4.pdf"));

  text = pdf_text (pdf);
  if (text == NULL)
    return;
  g_assert_nonnull (strstr (text, "Annual business review"));
  g_assert_nonnull (strstr (text, "Month by month"));
  g_assert_nonnull (strstr (text, "October 2026"));
  g_assert_nonnull (strstr (text, "By origin region"));
}

/* Writes a catalogue (.mo) with the given pairs, sorted as msgfmt sorts. */
static void
write_catalogue (const char         *path,
                 const char * const *pairs,
                 guint               n)
{
  g_autoptr(GByteArray) out = g_byte_array_new ();
  guint32 header[7];
  guint32 offset;
  g_autofree guint *order = g_new (guint, n);

  for (guint i = 0; i < n; i++)
    order[i] = i;
  for (guint i = 0; i < n; i++)         /* few entries: a simple sort */
    for (guint j = i + 1; j < n; j++)
      if (strcmp (pairs[2 * order[j]], pairs[2 * order[i]]) < 0)
        {
          guint t = order[i];

          order[i] = order[j];
          order[j] = t;
        }

  header[0] = 0x950412de;
  header[1] = 0;
  header[2] = n;
  header[3] = 28;
  header[4] = 28 + 8 * n;
  header[5] = 0;
  header[6] = 28 + 16 * n;
  g_byte_array_append (out, (guint8 *) header, sizeof header);
  offset = 28 + 16 * n;
  for (guint k = 0; k < 2; k++)
    for (guint i = 0; i < n; i++)
      {
        guint32 entry[2];

        entry[0] = (guint32) strlen (pairs[2 * order[i] + k]);
        entry[1] = offset;
        offset += entry[0] + 1;
        g_byte_array_append (out, (guint8 *) entry, sizeof entry);
      }
  for (guint k = 0; k < 2; k++)
    for (guint i = 0; i < n; i++)
      g_byte_array_append (out, (guint8 *) pairs[2 * order[i] + k],
                           (guint) strlen (pairs[2 * order[i] + k]) + 1);
  g_assert_true (g_file_set_contents (path, (char *) out->data, (gssize) out->len, NULL));
}

/* A Chinese catalogue in the fixture's directory, bound for GETTEXT_PACKAGE. */
static void
bind_chinese (Fixture *f)
{
  static const char * const pairs[] = {
    "Page %1$d of %2$d", "第 %1$d 页，共 %2$d 页",
    "Quarterly business review", "季度业务回顾",
    "Monthly service report", "月度服务报告",
    "Annual business review", "年度业务回顾",
    "Q%1$d %2$d", "%2$d 年第 %1$d 季度",
    "%1$s %2$d", "%2$d年%1$s",
    "October", "10月",
    "month abbreviation\004Oct", "10月",
    "Regional breakdown", "区域明细",
    "Destination region", "目的区域",
    "Comments", "备注",
    "%s pp", "%s 个百分点",
  };
  g_autofree char *dir = g_build_filename (f->dir, "locale", "zh_CN", "LC_MESSAGES", NULL);
  g_autofree char *mo = g_build_filename (dir, GETTEXT_PACKAGE ".mo", NULL);
  g_autofree char *root = g_build_filename (f->dir, "locale", NULL);

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  write_catalogue (mo, pairs, G_N_ELEMENTS (pairs) / 2);
  bindtextdomain (GETTEXT_PACKAGE, root);
}

static void
test_language (Fixture       *f,
               gconstpointer  data)
{
  bind_chinese (f);
  /* The process runs in C.UTF-8 and zh_CN need not be installed. */
  g_assert_cmpstr (kl_report_gettext ("zh_CN", "Monthly service report"), ==, "月度服务报告");
  g_assert_cmpstr (kl_report_gettext ("zh_CN.UTF-8", "Monthly service report"), ==, "月度服务报告");
  g_assert_cmpstr (kl_report_gettext ("en", "Monthly service report"), ==, "Monthly service report");
  g_assert_cmpstr (kl_report_gettext ("zh_CN", "Not in the catalogue"), ==, "Not in the catalogue");
  g_assert_cmpstr (kl_report_pgettext ("zh_CN", "month abbreviation", "Oct"), ==, "10月");
  g_assert_cmpstr (kl_report_pgettext ("en", "month abbreviation", "Oct"), ==, "Oct");
  g_assert_cmpstr (kl_report_language_normalize ("zh-Hans"), ==, "zh_CN");
  g_assert_cmpstr (kl_report_language_normalize (NULL), ==, "en");
  g_assert_cmpstr (kl_report_language_normalize ("zhx"), ==, "en");

  /* Percentage points follow the report's language, not the UI's. */
  {
    g_autofree char *zh = kl_format_pp_delta_in ("zh_CN", 1.25);
    g_autofree char *en = kl_format_pp_delta_in ("en", -0.5);

    g_assert_cmpstr (zh, ==, "+1.3 个百分点");
    g_assert_cmpstr (en, ==, "\u22120.5 pp");
  }
}

static void
test_quarter_zh (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(KlReportModel) model = NULL;
  g_autoptr(KlReportModel) en_model = NULL;
  KlReportDocumentOptions options = KL_REPORT_DOCUMENT_OPTIONS_INIT;
  g_autoptr(KlReportDocument) doc = NULL;
  g_autoptr(KlReportDocument) en_doc = NULL;
  g_autofree char *pdf = NULL;
  g_autofree char *text = NULL;
  g_autofree char *footer = NULL;
  g_autofree char *en_pdf = NULL;
  g_autofree char *en_text = NULL;

  bind_chinese (f);
  model = build_model (f, "HDJM", "2026-Q3");
  options.company_name = "迅捷物流有限公司";
  g_free (model->comments);
  model->comments = g_strdup ("本季度准时率稳步提升。");
  doc = kl_report_document_new (model, &options);
  g_assert_cmpstr (kl_report_document_get_language (doc), ==, "zh_CN");
  g_assert_cmpstr (kl_report_document_get_title (doc), ==, "季度业务回顾");
  assert_pages_inside (doc);
  pdf = write_pdf (f, doc, "hdjm-2026-Q3.pdf");

  /* The same customer's report in English when asked, whatever its setting. */
  options.language = "en";
  en_doc = kl_report_document_new (model, &options);
  g_assert_cmpstr (kl_report_document_get_title (en_doc), ==, "Quarterly business review");
  en_pdf = write_pdf (f, en_doc, "hdjm-2026-Q3-en.pdf");
  /* The fonts travel with the file. */
  g_assert_true (file_contains (pdf, "/FontFile"));

  text = pdf_text (pdf);
  if (text == NULL)
    return;
  footer = g_strdup_printf ("第 1 页，共 %d 页", kl_report_document_get_n_pages (doc));
  g_assert_nonnull (strstr (text, "季度业务回顾"));
  g_assert_nonnull (strstr (text, "华东精密制造有限公司"));
  g_assert_nonnull (strstr (text, "2026 年第 3 季度"));
  g_assert_nonnull (strstr (text, footer));
  g_assert_nonnull (strstr (text, "迅捷物流有限公司"));
  g_assert_nonnull (strstr (text, "本季度准时率稳步提升"));
  g_assert_null (strstr (text, "Quarterly business review"));

  en_text = pdf_text (en_pdf);
  g_assert_nonnull (strstr (en_text, "Quarterly business review"));
  g_assert_nonnull (strstr (en_text, "Q3 2026"));
  g_assert_nonnull (strstr (en_text, "华东精密制造有限公司"));
  g_assert_null (strstr (en_text, "季度业务回顾"));

}

static void
test_long_comments (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(KlReportModel) model = build_model (f, "ACME", "2026-10");
  KlReportDocumentOptions options = KL_REPORT_DOCUMENT_OPTIONS_INIT;
  g_autoptr(KlReportDocument) plain = NULL;
  g_autoptr(KlReportDocument) doc = NULL;
  g_autoptr(GString) comments = g_string_new (NULL);
  g_autofree char *pdf = NULL;
  g_autofree char *text = NULL;

  while (comments->len < 5000)
    {
      g_string_append (comments, "Volumes grew in the east while arrival punctuality held above "
                                 "target; the west lagged because of road works. ");
      if (comments->len % 7 == 0)
        g_string_append (comments, "\n");
    }
  /* One unbreakable word longer than a line must wrap, not run off the page. */
  g_string_append (comments, "\nPO-REFERENCE-");
  for (int i = 0; i < 40; i++)
    g_string_append (comments, "0123456789");

  plain = kl_report_document_new (model, &options);
  /* The comments and goals come with the model. */
  g_free (model->comments);
  model->comments = g_strdup (comments->str);
  g_free (model->goals);
  model->goals = g_strdup ("Raise arrival on time to 97 %.\nCut damage to under 0.1 %.");
  doc = kl_report_document_new (model, &options);
  g_assert_cmpint (kl_report_document_get_n_pages (doc), >, kl_report_document_get_n_pages (plain));
  assert_pages_inside (doc);
  pdf = write_pdf (f, doc, "long.pdf");
  text = pdf_text (pdf);
  if (text == NULL)
    return;
  g_assert_nonnull (strstr (text, "Comments"));
  g_assert_nonnull (strstr (text, "Goals for next month"));
  g_assert_nonnull (strstr (text, "road works"));
  g_assert_nonnull (strstr (text, "Cut damage"));
}

static void
test_split_table (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(KlReportModel) model = build_model (f, "MANY", "2026-10");
  g_autoptr(KlReportDocument) doc = NULL;
  g_autofree char *pdf = NULL;
  g_autofree char *text = NULL;

  g_assert_cmpuint (model->by_destination_region->len, ==, 40);
  doc = kl_report_document_new (model, NULL);
  g_assert_cmpint (kl_report_document_get_n_pages (doc), >=, 2);
  assert_pages_inside (doc);
  pdf = write_pdf (f, doc, "many.pdf");
  text = pdf_text (pdf);
  if (text == NULL)
    return;
  /* The header repeats on the page the table continues on. */
  g_assert_cmpuint (count_substrings (text, "Destination region"), >=, 2);
  g_assert_nonnull (strstr (text, "Region 00"));
  g_assert_nonnull (strstr (text, "Region 39"));
}

static void
test_portfolio (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(KlReportModel) model = build_model (f, NULL, "2026");
  g_autoptr(KlReportDocument) doc = kl_report_document_new (model, NULL);
  g_autofree char *pdf = NULL;
  g_autofree char *text = NULL;

  g_assert_cmpstr (kl_report_document_get_language (doc), ==, "en");
  assert_pages_inside (doc);
  pdf = write_pdf (f, doc, "portfolio.pdf");
  text = pdf_text (pdf);
  if (text == NULL)
    return;
  g_assert_nonnull (strstr (text, "All accounts (portfolio)"));
  g_assert_nonnull (strstr (text, "Annual business review"));
}

static void
test_logo (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(KlReportModel) model = build_model (f, "ACME", "2026-10");
  KlReportDocumentOptions options = KL_REPORT_DOCUMENT_OPTIONS_INIT;
  g_autofree char *missing = g_build_filename (f->dir, "no-such-logo.png", NULL);
  g_autofree char *broken = g_build_filename (f->dir, "broken.png", NULL);
  g_autofree char *good = g_build_filename (f->dir, "logo.png", NULL);
  const char *logos[] = { missing, broken, good };
  cairo_surface_t *image = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 120, 40);
  cairo_t *cr = cairo_create (image);

  cairo_set_source_rgb (cr, 0.1, 0.3, 0.6);
  cairo_paint (cr);
  cairo_destroy (cr);
  g_assert_cmpint (cairo_surface_write_to_png (image, good), ==, CAIRO_STATUS_SUCCESS);
  cairo_surface_destroy (image);
  g_assert_true (g_file_set_contents (broken, "not a png", -1, NULL));

  options.company_name = "Swift Freight Ltd.";
  for (gsize i = 0; i < G_N_ELEMENTS (logos); i++)
    {
      g_autoptr(KlReportDocument) doc = NULL;
      g_autofree char *name = g_strdup_printf ("logo-%zu.pdf", i);
      g_autofree char *pdf = NULL;
      options.logo_path = logos[i];
      doc = kl_report_document_new (model, &options);
      pdf = write_pdf (f, doc, name);
      /* Only the readable logo puts an image into the file. */
      g_assert_true (file_contains (pdf, "/Subtype /Image") == (i == 2));
    }
}

static void
test_svg_png (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(KlReportModel) model = build_model (f, "ACME", "2026-Q3");
  g_autoptr(KlReportDocument) doc = kl_report_document_new (model, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *svg = g_build_filename (f->dir, "page.svg", NULL);
  g_autofree char *png = g_build_filename (f->dir, "page.png", NULL);
  g_autofree char *nowhere = g_build_filename (f->dir, "missing-dir", "x.pdf", NULL);
  g_autofree char *svg_data = NULL;
  cairo_surface_t *image;
  int n = kl_report_document_get_n_pages (doc);

  g_assert_true (kl_report_document_write_svg (doc, svg, n - 1, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (svg, &svg_data, NULL, NULL));
  g_assert_nonnull (strstr (svg_data, "<svg"));
  g_assert_nonnull (strstr (svg_data, "595pt"));

  g_assert_true (kl_report_document_write_png (doc, png, 0, 60, &error));
  g_assert_no_error (error);
  image = cairo_image_surface_create_from_png (png);
  g_assert_cmpint (cairo_surface_status (image), ==, CAIRO_STATUS_SUCCESS);
  g_assert_cmpint (cairo_image_surface_get_width (image), ==, 496);   /* 595 pt at 60 dpi */
  g_assert_cmpint (cairo_image_surface_get_height (image), ==, 702);
  cairo_surface_destroy (image);

  g_assert_false (kl_report_document_write_png (doc, png, n, 60, &error));
  g_assert_error (error, KL_REPORT_DOCUMENT_ERROR, KL_REPORT_DOCUMENT_ERROR_PAGE);
  g_clear_error (&error);
  g_assert_false (kl_report_document_write_pdf (doc, nowhere, &error));
  g_assert_error (error, KL_REPORT_DOCUMENT_ERROR, KL_REPORT_DOCUMENT_ERROR_WRITE);
}

static gpointer
build_in_thread (gpointer data)
{
  return kl_report_document_new (data, NULL);
}

/* Laid out on a worker thread, drawn on this one (as the window does). */
static void
test_thread (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(KlReportModel) model = build_model (f, "ACME", "2026-Q3");
  GThread *thread = g_thread_new ("layout", build_in_thread, model);
  g_autoptr(KlReportDocument) doc = g_thread_join (thread);
  g_autoptr(KlReportDocument) here = kl_report_document_new (model, NULL);
  g_autofree char *pdf = NULL;

  g_assert_cmpint (kl_report_document_get_n_pages (doc), ==, kl_report_document_get_n_pages (here));
  assert_pages_inside (doc);
  pdf = write_pdf (f, doc, "thread.pdf");
}

static void
test_page_path (void)
{
  g_autofree char *one = kl_report_document_page_path ("out/acme.svg", 0, 1);
  g_autofree char *two = kl_report_document_page_path ("out/acme.svg", 1, 3);
  g_autofree char *bare = kl_report_document_page_path ("acme", 0, 2);

  g_assert_cmpstr (one, ==, "out/acme.svg");
  g_assert_cmpstr (two, ==, "out/acme-2.svg");
  g_assert_cmpstr (bare, ==, "acme-1");
}

/* A chart is in its report's language, not the process's: an English
 * report's chart under a Chinese session and a Chinese report's under an
 * English one (the Reports page exports these very charts). */
static void
test_chart_language (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(KlReportModel) en_model = build_model (f, "ACME", "2026-10");
  g_autoptr(KlReportModel) zh_model = build_model (f, "HDJM", "2026-10");
  g_autoptr(KlReportChart) en_trend = NULL;
  g_autoptr(KlReportChart) zh_trend = NULL;
  g_autoptr(KlReportChart) en_regions = NULL;
  g_autoptr(KlReportChart) zh_rates = NULL;
  g_autoptr(KlReportChart) zh_review_rates = NULL;
  g_autoptr(KlReportModel) zh_review = NULL;
  g_autofree char *old_messages = g_strdup (setlocale (LC_MESSAGES, NULL));
  gboolean chinese_session;

  bind_chinese (f);
  chinese_session = setlocale (LC_MESSAGES, "zh_CN.UTF-8") != NULL;
  if (chinese_session)
    g_assert_cmpstr (dgettext (GETTEXT_PACKAGE, "October"), ==, "10月");

  en_trend = kl_report_chart_new (en_model, KL_REPORT_CHART_VOLUME_TREND,
                                  kl_report_options_get_language (NULL, en_model));
  g_assert_cmpint (en_trend->kind, ==, KL_REPORT_CHART_TREND);
  g_assert_cmpstr (en_trend->language, ==, "en");
  g_assert_cmpuint (en_trend->trend.n_categories, ==, 12);
  g_assert_cmpstr (en_trend->trend.categories[11], ==, "Oct");
  g_assert_cmpstr (en_trend->trend.series[0].name, ==, "Shipments");
  g_assert_nonnull (strstr (en_trend->trend.title, "October 2026"));
  g_assert_null (strstr (en_trend->trend.title, "10月"));
  en_regions = kl_report_chart_new (en_model, KL_REPORT_CHART_DESTINATION_REGIONS, "en");
  g_assert_nonnull (en_regions);
  g_assert_cmpint (en_regions->kind, ==, KL_REPORT_CHART_BARS);
  g_assert_cmpstr (en_regions->bars.series[0].name, ==, "Shipments");
  /* A month report has no month-by-month rates. */
  zh_rates = kl_report_chart_new (zh_model, KL_REPORT_CHART_ON_TIME_RATES, "zh_CN");
  g_assert_null (zh_rates);

  setlocale (LC_MESSAGES, "C.UTF-8");
  zh_trend = kl_report_chart_new (zh_model, KL_REPORT_CHART_VOLUME_TREND,
                                  kl_report_options_get_language (NULL, zh_model));
  g_assert_cmpstr (zh_trend->language, ==, "zh_CN");
  g_assert_cmpstr (zh_trend->trend.categories[11], ==, "10月");
  g_assert_nonnull (strstr (zh_trend->trend.title, "2026年10月"));
  g_assert_null (strstr (zh_trend->trend.title, "October"));
  zh_review = build_model (f, "HDJM", "2026");
  zh_review_rates = kl_report_chart_new (zh_review, KL_REPORT_CHART_ON_TIME_RATES, "zh_CN");
  g_assert_nonnull (zh_review_rates);
  g_assert_cmpuint (zh_review_rates->trend.n_categories, ==, 12);
  g_assert_cmpstr (zh_review_rates->trend.categories[9], ==, "10月");

  setlocale (LC_MESSAGES, old_messages);
  if (!chinese_session)
    g_test_incomplete ("zh_CN.UTF-8 is not installed: the English report was charted in an English session");
}

/* Reports take their paper, letterhead and languages from the options the
 * caller passes, never from Preferences (GSettings) behind its back. */
static void
test_options_not_settings (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(KlReportModel) portfolio = build_model (f, NULL, "2026-10");
  g_autoptr(KlReportModel) acme = build_model (f, "ACME", "2026-10");
  g_autoptr(KlReportDocument) plain = NULL;
  g_autoptr(KlReportDocument) chosen = NULL;
  g_autoptr(KlReportDocument) customer = NULL;
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;
  KlReportOptions options = KL_REPORT_OPTIONS_INIT;
  KlReportOptions copy = KL_REPORT_OPTIONS_INIT;
  double w, h;

  /* Preferences say Letter and Chinese, with a letterhead (the tests'
   * memory backend, when the schema is there). */
  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, "io.github.keyline.Keyline", TRUE);
  if (schema != NULL)
    {
      g_autoptr(GSettings) settings = g_settings_new ("io.github.keyline.Keyline");

      g_assert_true (g_settings_set_enum (settings, "report-paper-size", 1));
      g_assert_true (g_settings_set_enum (settings, "report-language", 0));
      g_assert_true (g_settings_set_string (settings, "company-name", "Preferences Logistics"));
    }

  plain = kl_report_make_document (portfolio, NULL, "2026-11-02");
  kl_report_document_get_page_size (plain, &w, &h);
  g_assert_cmpfloat (w, ==, 595);
  g_assert_cmpfloat (h, ==, 842);
  g_assert_cmpstr (kl_report_document_get_language (plain), ==, "en");
  g_assert_cmpstr (kl_report_options_get_language (NULL, portfolio), ==, "en");

  options.paper = KL_PAPER_LETTER;
  options.portfolio_language = g_strdup ("zh_CN");
  options.company_name = g_strdup ("Options Logistics");
  kl_report_options_copy_into (&copy, &options);
  kl_report_options_clear (&options);
  chosen = kl_report_make_document (portfolio, &copy, "2026-11-02");
  kl_report_document_get_page_size (chosen, &w, &h);
  g_assert_cmpfloat (w, ==, 612);
  g_assert_cmpstr (kl_report_document_get_language (chosen), ==, "zh_CN");
  /* A customer speaks its own language unless one is chosen. */
  g_assert_cmpstr (kl_report_options_get_language (&copy, acme), ==, "en");
  copy.language = g_strdup ("zh_CN");
  customer = kl_report_make_document (acme, &copy, "2026-11-02");
  g_assert_cmpstr (kl_report_document_get_language (customer), ==, "zh_CN");
  kl_report_options_clear (&copy);
}

/* Every font a PDF uses is embedded: pdffonts says "yes" in its emb column
 * for each. FALSE without pdffonts. */
static gboolean
pdf_fonts_embedded (const char *pdf,
                    guint      *n_fonts)
{
  g_autofree char *tool = g_find_program_in_path ("pdffonts");
  g_autofree char *out = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GError) error = NULL;
  const char *argv[] = { NULL, pdf, NULL };
  int status = 0;

  *n_fonts = 0;
  if (tool == NULL)
    return FALSE;
  argv[0] = tool;
  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL,
                               &out, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  lines = g_strsplit (out, "\n", -1);
  /* Two header lines, then name, type words, encoding, emb, sub, uni, id. */
  for (guint i = 2; lines[i] != NULL; i++)
    {
      g_auto(GStrv) words = g_strsplit_set (g_strstrip (lines[i]), " ", -1);
      g_autoptr(GPtrArray) fields = g_ptr_array_new ();

      if (*lines[i] == '\0')
        continue;
      for (guint w = 0; words[w] != NULL; w++)
        if (*words[w] != '\0')
          g_ptr_array_add (fields, words[w]);
      g_assert_cmpuint (fields->len, >=, 7);
      /* From the end: object id, generation, uni, sub, emb. */
      g_assert_cmpstr (g_ptr_array_index (fields, fields->len - 5), ==, "yes");
      (*n_fonts)++;
    }
  return TRUE;
}

static gint64
file_size (const char *path)
{
  GStatBuf st;

  g_assert_cmpint (g_stat (path, &st), ==, 0);
  return st.st_size;
}

/* Latin text beside Chinese (a letterhead such as "KEYLINE BENCH LOGISTICS")
 * once made cairo write the Han glyphs' every CFF subroutine: a 1.7 MB
 * report. ASCII now comes from a face of its own with the same advances, so
 * the file stays small in either language, every font is embedded, and no
 * width changes. */
static void
test_latin_size (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(KlReportModel) model = NULL;
  KlReportDocumentOptions options = KL_REPORT_DOCUMENT_OPTIONS_INIT;
  const char *languages[] = { "zh_CN", "en" };
  const char *text = "基准物流 KEYLINE BENCH LOGISTICS 12,345.6 % Keyline Bench Logistics";
  PangoFontMap *map = pango_cairo_font_map_get_default ();
  PangoContext *context = pango_font_map_create_context (map);
  g_autoptr(PangoLayout) plain = pango_layout_new (context);
  g_autoptr(PangoLayout) split = pango_layout_new (context);
  PangoFontDescription *font = pango_font_description_from_string (KL_CHART_FONT_FAMILY " 10");
  PangoRectangle a, b;

  /* The Latin face changes no width. */
  pango_layout_set_font_description (plain, font);
  pango_layout_set_font_description (split, font);
  pango_font_description_free (font);
  pango_layout_set_text (plain, text, -1);
  kl_chart_layout_set_text (split, text);
  g_assert_nonnull (pango_layout_get_attributes (split));
  pango_layout_get_extents (plain, NULL, &a);
  pango_layout_get_extents (split, NULL, &b);
  g_assert_cmpint (a.width, ==, b.width);
  g_assert_cmpint (a.height, ==, b.height);
  g_object_unref (context);

  bind_chinese (f);
  model = build_model (f, "HDJM", "2026-10");
  g_free (model->comments);
  model->comments = g_strdup ("KEYLINE BENCH LOGISTICS: 准时率稳步提升 (ON-TIME RATE UP).");
  options.company_name = "KEYLINE BENCH LOGISTICS 基准物流";
  for (guint i = 0; i < G_N_ELEMENTS (languages); i++)
    {
      g_autoptr(KlReportDocument) doc = NULL;
      g_autofree char *name = g_strdup_printf ("latin-%s.pdf", languages[i]);
      g_autofree char *pdf = NULL;
      guint n_fonts = 0;

      options.language = languages[i];
      doc = kl_report_document_new (model, &options);
      pdf = write_pdf (f, doc, name);
      g_test_message ("%s: %" G_GINT64_FORMAT " bytes", name, file_size (pdf));
      g_assert_cmpint (file_size (pdf), <=, 300 * 1024);
      g_assert_true (file_contains (pdf, "/FontFile"));
      if (pdf_fonts_embedded (pdf, &n_fonts))
        g_assert_cmpuint (n_fonts, >, 0);
      else
        g_test_message ("pdffonts not found; font checks skipped");
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/report-document/page-path", test_page_path);
#define ADD(path, func) \
  g_test_add ("/report-document/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("month-en", test_month_en);
  ADD ("letter", test_letter);
  ADD ("language", test_language);
  ADD ("quarter-zh", test_quarter_zh);
  ADD ("long-comments", test_long_comments);
  ADD ("split-table", test_split_table);
  ADD ("portfolio", test_portfolio);
  ADD ("logo", test_logo);
  ADD ("svg-png", test_svg_png);
  ADD ("thread", test_thread);
  ADD ("chart-language", test_chart_language);
  ADD ("options-not-settings", test_options_not_settings);
  ADD ("latin-size", test_latin_size);
#undef ADD
  return g_test_run ();
}
