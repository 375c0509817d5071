/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The Excel writer's own rules: sheet names Excel accepts, and a workbook
 * that appears whole or not at all. The figures are compared with the JSON
 * export by tests/xlsx/check-xlsx.py (the cli-xlsx test). */
#include "config.h"

#include <glib/gstdio.h>

#include "kl-xlsx-export.h"
#include "kl-test-util.h"

static void
test_sheet_names (void)
{
  const struct { const char *in; const char *out; } cases[] = {
    { "Figures", "Figures" },
    { "Q3/Q4 [draft]: a*b?c\\d", "Q3_Q4 _draft__ a_b_c_d" },
    { "'quoted'", "quoted" },
    { "", "Sheet" },
    { "'''", "Sheet" },
    { "目的地区域", "目的地区域" },
    /* 31 characters at most, counted in characters, not bytes. */
    { "一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三",
      "一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一" },
    { "A name that is much longer than thirty-one characters", "A name that is much longer than" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *name = kl_xlsx_sheet_name (cases[i].in);

      g_assert_cmpstr (name, ==, cases[i].out);
      g_assert_cmpuint (g_utf8_strlen (name, -1), <=, 31);
    }
}

static void
test_write_failure (void)
{
  g_autofree char *dir = kl_test_make_tmp_dir ("keyline-xlsx-XXXXXX");
  g_autofree char *missing = g_build_filename (dir, "no-such-folder", "claims.xlsx", NULL);
  g_autofree char *path = g_build_filename (dir, "claims.xlsx", NULL);
  g_autoptr(GPtrArray) claims = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) d = NULL;
  const char *entry;
  guint n = 0;

  g_assert_false (kl_xlsx_write_claims (claims, NULL, "en", missing, &error));
  g_assert_error (error, KL_XLSX_ERROR, KL_XLSX_ERROR_WRITE);
  g_assert_nonnull (strstr (error->message, "claims.xlsx"));
  g_clear_error (&error);

  /* An empty list still makes a workbook with its header, and only it. */
  g_assert_true (kl_xlsx_write_claims (claims, NULL, "zh_CN", path, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
  d = g_dir_open (dir, 0, NULL);
  while ((entry = g_dir_read_name (d)) != NULL)
    {
      g_assert_cmpstr (entry, ==, "claims.xlsx");
      n++;
    }
  g_assert_cmpuint (n, ==, 1);
  g_unlink (path);
  g_rmdir (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/xlsx/sheet-names", test_sheet_names);
  g_test_add_func ("/xlsx/write-failure", test_write_failure);
  return g_test_run ();
}
