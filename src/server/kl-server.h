/* SPDX-License-Identifier: GPL-3.0-or-later */
/* keyline-server's HTTP side: docs/api.yaml over libsoup 3 on the GLib main
 * loop, with the store of kl-server-store.h behind it. */
#pragma once

#include <gio/gio.h>

#include "kl-server-store.h"

G_BEGIN_DECLS

typedef struct {
  const char *database;           /* store URL */
  const char *listen;             /* ADDR:PORT; port 0: the system picks one */
  const char *tls_cert;           /* PEM files; both or neither */
  const char *tls_key;
  gboolean    insecure_listen;    /* allow plain HTTP on a non-loopback address */
  guint       cursor_retention_days; /* >= 30 */
  gsize       body_limit;         /* bytes */
  guint       rate_limit;         /* requests per minute per token; 0: none */
  guint       rate_burst;         /* requests a token may make at once */
  guint       threads;            /* worker threads, each with its own store connection */
} KlServerOptions;

#define KL_SERVER_DEFAULT_LISTEN      "127.0.0.1:8765"
#define KL_SERVER_MIN_RETENTION_DAYS  30
#define KL_SERVER_DEFAULT_BODY_LIMIT  (1024 * 1024)
#define KL_SERVER_DEFAULT_RATE_LIMIT  1200
#define KL_SERVER_DEFAULT_RATE_BURST  200
#define KL_SERVER_DEFAULT_THREADS     4

/* Serves until SIGTERM or SIGINT, then finishes the requests in flight and
 * returns TRUE. Prints "listening on URL" on stdout once it listens, and
 * one line per request on stderr. FALSE with an error when it cannot start. */
gboolean kl_server_run (const KlServerOptions *options, GError **error);

/* Cursors: "opaque" to clients, but not secret (a forged cursor only
 * misleads its own pull; scope is applied on every pull). */
char    *kl_server_cursor_encode (KlServerCollection collection,
                                  gint64             seq,
                                  gint64             issued_usec);
gboolean kl_server_cursor_decode (const char         *cursor,
                                  KlServerCollection *out_collection,
                                  gint64             *out_seq,
                                  gint64             *out_issued_usec);

G_END_DECLS
