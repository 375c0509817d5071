/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Names sort by the locale's collation, in SQL too: pinyin order under
 * zh_CN.UTF-8 (北京 before 东莞 before 广州), code points under C. */
#include "config.h"

#include <locale.h>
#include "kl-database.h"
#include "kl-customer-store.h"
#include "kl-contact-store.h"
#include "kl-test-util.h"

static void
add_customer (KlDatabase *db,
              const char *code,
              const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KlCustomer) c = kl_customer_new ();

  c->code = g_strdup (code);
  c->name = g_strdup (name);
  c->region = g_strdup (name);
  g_assert_true (kl_customer_store_save (db, c, KL_ORIGIN_LOCAL, NULL, &error));
  g_assert_no_error (error);
}

static char *
listed_names (KlDatabase *db,
              int         offset,
              int         limit)
{
  g_autoptr(GError) error = NULL;
  KlCustomerFilter all = KL_CUSTOMER_FILTER_INIT;
  g_autoptr(GPtrArray) list = kl_customer_store_list (db, &all, offset, limit, &error);
  GString *names = g_string_new (NULL);

  g_assert_no_error (error);
  for (guint i = 0; i < list->len; i++)
    g_string_append_printf (names, "%s%s", i ? " " : "",
                            ((KlCustomer *) g_ptr_array_index (list, i))->name);
  return g_string_free (names, FALSE);
}

static void
test_pinyin (void)
{
  g_autofree char *dir = kl_test_make_tmp_dir ("keyline-collation-XXXXXX");
  g_autofree char *path = g_build_filename (dir, "workspace.db", NULL);
  g_autoptr(KlDatabase) db = kl_test_create_workspace (path);
  g_autoptr(GError) error = NULL;
  g_autofree char *all = NULL;
  g_autofree char *second_page = NULL;
  g_auto(GStrv) regions = NULL;

  if (setlocale (LC_COLLATE, "zh_CN.UTF-8") == NULL)
    {
      g_test_skip ("the zh_CN.UTF-8 locale is not installed");
      kl_test_remove_tree (dir);
      return;
    }
  /* Inserted in code-point order, which is not pinyin order. */
  add_customer (db, "C1", "东莞电子");
  add_customer (db, "C2", "北京物流");
  add_customer (db, "C3", "广州贸易");
  add_customer (db, "C4", "长沙汽配");

  all = listed_names (db, 0, -1);
  g_assert_cmpstr (all, ==, "北京物流 长沙汽配 东莞电子 广州贸易");
  /* Paged in SQL, the pages follow the same order. */
  second_page = listed_names (db, 2, 2);
  g_assert_cmpstr (second_page, ==, "东莞电子 广州贸易");

  regions = kl_customer_store_regions (db, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (regions), ==, 4);
  g_assert_cmpstr (regions[0], ==, "北京物流");
  g_assert_cmpstr (regions[1], ==, "长沙汽配");

  setlocale (LC_COLLATE, "C.UTF-8");
  g_clear_pointer (&all, g_free);
  all = listed_names (db, 0, -1);
  /* 东 U+4E1C < 北 U+5317 < 广 U+5E7F < 长 U+957F */
  g_assert_cmpstr (all, ==, "东莞电子 北京物流 广州贸易 长沙汽配");

  g_clear_object (&db);
  g_assert_true (kl_test_remove_tree (dir));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/collation/pinyin", test_pinyin);
  return g_test_run ();
}
