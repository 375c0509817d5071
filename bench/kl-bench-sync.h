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

typedef struct {
  gint64 records;                 /* pulled: shipments, customers and claims */
  double rows_per_s;              /* records over the pull's wall time */
  double rows_per_cpu_s;          /* records per second of this process's CPU */
  double client_cpu_us_per_row;   /* this process's CPU per record */
  double server_cpu_us_per_row;   /* keyline-server's CPU per record */
} KlBenchSyncServer;

/* The same from keyline-server (server_path) on a loopback port: its
 * SQLite store in dir filled by `keyline-server demo --customers
 * customers` (40 customers: 125 537 records), pulled in pages of 1000
 * by its lead into a new workspace. The server runs on the same cores. */
gboolean kl_bench_sync_pull_server (const char         *dir,
                                    const char         *server_path,
                                    guint               customers,
                                    KlBenchSyncServer  *out,
                                    GError            **error);

G_END_DECLS
