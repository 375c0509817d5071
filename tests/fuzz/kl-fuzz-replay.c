/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Runs a fuzz target over its corpus without libFuzzer: every file named on
 * the command line, and every regular file below every directory named
 * there, in name order. This is how the `fuzz` test suite keeps what the
 * fuzzer once found fixed, with any compiler. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <glib.h>

#include "kl-fuzz.h"

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

static void
collect (const char *path,
         GPtrArray  *files)
{
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GPtrArray) names = NULL;
  const char *name;

  if (!g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_ptr_array_add (files, g_strdup (path));
      return;
    }
  dir = g_dir_open (path, 0, NULL);
  if (dir == NULL)
    {
      fprintf (stderr, "kl-fuzz-replay: cannot read the directory %s\n", path);
      exit (1);
    }
  names = g_ptr_array_new_with_free_func (g_free);
  while ((name = g_dir_read_name (dir)) != NULL)
    if (name[0] != '.')
      g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);
  for (guint i = 0; i < names->len; i++)
    {
      g_autofree char *child = g_build_filename (path, g_ptr_array_index (names, i), NULL);
      collect (child, files);
    }
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_free);

  if (argc < 2)
    {
      fprintf (stderr, "Usage: %s CORPUS-DIR-OR-FILE…\n", argv[0]);
      return 2;
    }
  for (int i = 1; i < argc; i++)
    collect (argv[i], files);
  if (files->len == 0)
    {
      fprintf (stderr, "kl-fuzz-replay: no inputs below %s\n", argv[1]);
      return 1;
    }

  for (guint i = 0; i < files->len; i++)
    {
      const char *path = g_ptr_array_index (files, i);
      g_autofree char *contents = NULL;
      gsize length = 0;
      g_autoptr(GError) error = NULL;

      if (!g_file_get_contents (path, &contents, &length, &error))
        {
          fprintf (stderr, "kl-fuzz-replay: %s\n", error->message);
          return 1;
        }
      /* Named first, so a crash says which input it was. */
      fprintf (stderr, "%s\n", path);
      LLVMFuzzerTestOneInput ((const uint8_t *) contents, length);
    }
  printf ("%u inputs replayed\n", files->len);
  return 0;
}
