/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The sync pull's speed: a loopback back office serves shipments in pages of
 * 1000 and a fresh workspace pulls them. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Pulls n shipments into a new workspace in dir; *out_rows_per_s is the
 * rate over the whole pull (HTTP, JSON, checks and writes), and
 * *out_rows_per_cpu_s the same per second of the process's CPU time
 * (the loopback server's thread included; it only sends prepared text). */
gboolean kl_bench_sync_pull (const char  *dir,
                             gint64       n,
                             double      *out_rows_per_s,
                             double      *out_rows_per_cpu_s,
                             GError     **error);

G_END_DECLS
