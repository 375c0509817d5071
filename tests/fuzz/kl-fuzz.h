/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the fuzz targets share. Each target defines LLVMFuzzerTestOneInput ();
 * it is linked either with libFuzzer (-Dfuzzing=true, clang) or with
 * kl-fuzz-replay.c, which runs it over a corpus as a test. A target reports a
 * defect by aborting: a crash, a sanitizer report, a GLib warning or
 * critical (made fatal by kl_fuzz_init ()), or a broken invariant
 * (KL_FUZZ_CHECK). */
#pragma once

#include <stddef.h>
#include <stdint.h>
#include <glib.h>

G_BEGIN_DECLS

int  LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

/* Makes GLib warnings and criticals fatal and keeps GLib quiet otherwise.
 * Cheap; targets call it at the top of each input. */
void kl_fuzz_init           (void);

/* TRUE when $KL_FUZZ_IGNORE, a comma-separated list, names check: a way to
 * fuzz on past a known defect that another change fixes (build-aux/fuzz.sh
 * passes the variable through). The test suite never sets it. */
gboolean kl_fuzz_ignores    (const char *check);

/* Aborts, naming the broken invariant, when expr does not hold. Unlike
 * g_assert () it is never compiled out. */
#define KL_FUZZ_CHECK(expr) \
  G_STMT_START { \
    if (G_UNLIKELY (!(expr))) \
      kl_fuzz_fail (__FILE__, __LINE__, #expr); \
  } G_STMT_END

G_NORETURN void kl_fuzz_fail (const char *file, int line, const char *what);

G_END_DECLS
