/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "kl-fuzz.h"

#include <stdio.h>
#include <stdlib.h>

void
kl_fuzz_init (void)
{
  static gboolean done;

  if (done)
    return;
  done = TRUE;
  g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
}

gboolean
kl_fuzz_ignores (const char *check)
{
  static char **ignored;

  if (ignored == NULL)
    ignored = g_strsplit (g_getenv ("KL_FUZZ_IGNORE") ? g_getenv ("KL_FUZZ_IGNORE") : "", ",", -1);
  return g_strv_contains ((const char * const *) ignored, check);
}

void
kl_fuzz_fail (const char *file,
              int         line,
              const char *what)
{
  fprintf (stderr, "%s:%d: fuzz invariant broken: %s\n", file, line, what);
  fflush (stderr);
  abort ();
}
