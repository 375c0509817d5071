/* SPDX-License-Identifier: GPL-3.0-or-later */
/* One shipments import: a fixed header line (every column of
 * contracts/import.md), then the input as its row or rows, imported into a
 * workspace that knows the customers ACME and HXW — first checked only
 * (dry run), then for real with bad rows skipped, inside a transaction
 * rolled back afterwards so every input meets the same workspace. Checked:
 * both runs agree on the rows, each error is one line "FILE:LINE: …", and
 * after the real run the stored monthly figures equal those rebuilt from
 * the shipments. */
#include <stdlib.h>
#include <string.h>
#include <glib/gstdio.h>

#include "kl-database.h"
#include "kl-customer-store.h"
#include "kl-import.h"
#include "kl-rollup.h"
#include "kl-shipment-store.h"
#include "kl-fuzz.h"

#define HEADER \
  "waybill,customer_code,status,mode,origin_city,origin_region,dest_city,dest_region," \
  "pieces,weight_kg,volume_m3,planned_pickup_at,picked_up_at,planned_delivery_at,delivered_at," \
  "documents_ok,order_accurate,damaged_pieces,short_pieces,incident,revenue,currency\n"

static char *workspace_dir;
static KlDatabase *workspace;

static void
remove_workspace (void)
{
  static const char * const suffixes[] = { "", "-wal", "-shm", "-journal" };

  g_clear_object (&workspace);
  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *path = g_strdup_printf ("%s/workspace.db%s", workspace_dir, suffixes[i]);

      g_unlink (path);
    }
  g_rmdir (workspace_dir);
  g_clear_pointer (&workspace_dir, g_free);
}

static void
add_customer (const char *code,
              const char *name)
{
  g_autoptr(KlCustomer) customer = kl_customer_new ();
  g_autoptr(GError) error = NULL;

  customer->code = g_strdup (code);
  customer->name = g_strdup (name);
  if (!kl_customer_store_save (workspace, customer, KL_ORIGIN_LOCAL, NULL, &error))
    g_error ("Cannot save the customer %s: %s", code, error->message);
}

static void
open_workspace (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  workspace_dir = g_dir_make_tmp ("keyline-fuzz-import-XXXXXX", &error);
  if (workspace_dir == NULL)
    g_error ("Cannot make a directory for the workspace: %s", error->message);
  path = g_build_filename (workspace_dir, "workspace.db", NULL);
  workspace = kl_database_open (path, KL_DATABASE_OPEN_CREATE, &error);
  if (workspace == NULL)
    g_error ("Cannot create the workspace %s: %s", path, error->message);
  add_customer ("ACME", "ACME Industrial");
  add_customer ("HXW", "华星电子");
  atexit (remove_workspace);
}

static void
check_result (const KlImportResult *result)
{
  KL_FUZZ_CHECK (result->errors != NULL);
  KL_FUZZ_CHECK (result->n_bad <= result->n_rows);
  KL_FUZZ_CHECK (result->n_new + result->n_updated + result->n_unchanged + result->n_bad <= result->n_rows);
  KL_FUZZ_CHECK (result->n_bad == 0 || result->errors->len > 0);
  for (guint i = 0; i < result->errors->len; i++)
    {
      const char *line = g_ptr_array_index (result->errors, i);

      KL_FUZZ_CHECK (g_str_has_prefix (line, "fuzz.csv:"));
      KL_FUZZ_CHECK (g_utf8_validate (line, -1, NULL));
      /* One line, with nothing a terminal would act on. */
      if (!kl_fuzz_ignores ("error-lines"))
        for (const char *p = line; *p != '\0'; p++)
          KL_FUZZ_CHECK ((guchar) *p >= 0x20 && *p != 0x7f);
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GByteArray) file = g_byte_array_new ();
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(KlImportResult) checked = NULL;
  g_autoptr(KlImportResult) written = NULL;
  g_autoptr(GError) check_error = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);

  kl_fuzz_init ();
  if (workspace == NULL)
    open_workspace ();

  g_byte_array_append (file, (const guint8 *) HEADER, strlen (HEADER));
  g_byte_array_append (file, data, size);
  bytes = g_byte_array_free_to_bytes (g_steal_pointer (&file));

  checked = kl_import_run (workspace, KL_IMPORT_SHIPMENTS, "fuzz.csv", bytes,
                           KL_IMPORT_FLAGS_DRY_RUN, NULL, NULL, NULL, &check_error);
  if (checked == NULL)
    KL_FUZZ_CHECK (check_error != NULL && check_error->domain == KL_IMPORT_ERROR);
  else
    {
      check_result (checked);
      KL_FUZZ_CHECK (!checked->written);
    }

  if (!kl_database_begin (workspace, &error))
    g_error ("Cannot begin: %s", error->message);
  written = kl_import_run (workspace, KL_IMPORT_SHIPMENTS, "fuzz.csv", bytes,
                           KL_IMPORT_FLAGS_SKIP_BAD, NULL, NULL, NULL, &error);
  KL_FUZZ_CHECK ((checked == NULL) == (written == NULL));
  if (written != NULL)
    {
      check_result (written);
      KL_FUZZ_CHECK (written->n_rows == checked->n_rows);
      KL_FUZZ_CHECK (written->n_bad == checked->n_bad);
      KL_FUZZ_CHECK (written->n_new == checked->n_new);
      if (!kl_rollup_check (workspace, problems, &error))
        g_error ("Cannot check the figures: %s", error->message);
      KL_FUZZ_CHECK (problems->len == 0);
    }
  else
    {
      KL_FUZZ_CHECK (error != NULL && error->domain == KL_IMPORT_ERROR);
      KL_FUZZ_CHECK (error->code == check_error->code);
    }
  kl_database_rollback (workspace);
  return 0;
}
