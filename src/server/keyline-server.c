/* SPDX-License-Identifier: GPL-3.0-or-later */
/* keyline-server: the back office Keyline syncs with (docs/server.md).
 *
 *   keyline-server [serve] [--database URL] [--listen ADDR:PORT] …
 *   keyline-server user add NAME --role kam|lead [--display-name TEXT]
 *   keyline-server user list
 *   keyline-server token create USER | token revoke ID | token list [USER]
 *   keyline-server demo [--seed N]
 *   keyline-server import customers|shipments FILE [--profile PATH] …
 *
 * Exit codes are sysexits, as keyline-cli's. */
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "kl-server-fill.h"
#include "kl-server.h"

#define EX_OK          0
#define EX_USAGE       64
#define EX_DATAERR     65
#define EX_NOINPUT     66
#define EX_NOUSER      67
#define EX_UNAVAILABLE 69
#define EX_SOFTWARE    70
#define EX_CANTCREAT   73
#define EX_IOERR       74
#define EX_CONFIG      78

static char    *opt_database;
static char    *opt_listen;
static char    *opt_tls_cert;
static char    *opt_tls_key;
static gboolean opt_insecure_listen;
static int      opt_retention = KL_SERVER_MIN_RETENTION_DAYS;
static int      opt_body_limit = KL_SERVER_DEFAULT_BODY_LIMIT;
static int      opt_rate_limit = KL_SERVER_DEFAULT_RATE_LIMIT;
static int      opt_rate_burst = KL_SERVER_DEFAULT_RATE_BURST;
static int      opt_threads = KL_SERVER_DEFAULT_THREADS;
static char    *opt_role;
static char    *opt_display_name;
static int      opt_seed = 1;
static int      opt_customers = 40;
static char    *opt_profile;
static gboolean opt_skip_bad;
static gboolean opt_dry_run;
static char    *opt_encoding;

static const GOptionEntry entries[] = {
  { "database", 'd', 0, G_OPTION_ARG_STRING, &opt_database,
    "The store: sqlite:PATH (default sqlite:keyline-server.db, or $KEYLINE_SERVER_DATABASE) "
    "or postgresql://…", "URL" },
  { "listen", 'l', 0, G_OPTION_ARG_STRING, &opt_listen,
    "Address and port to serve on (default " KL_SERVER_DEFAULT_LISTEN "; port 0: any free one)",
    "ADDR:PORT" },
  { "tls-cert", 0, 0, G_OPTION_ARG_FILENAME, &opt_tls_cert, "TLS certificate (PEM)", "FILE" },
  { "tls-key", 0, 0, G_OPTION_ARG_FILENAME, &opt_tls_key, "TLS private key (PEM)", "FILE" },
  { "insecure-listen", 0, 0, G_OPTION_ARG_NONE, &opt_insecure_listen,
    "Allow plain HTTP on a non-loopback address (behind a TLS proxy)", NULL },
  { "cursor-retention", 0, 0, G_OPTION_ARG_INT, &opt_retention,
    "Days a pull cursor stays valid (at least 30; default 30)", "DAYS" },
  { "body-limit", 0, 0, G_OPTION_ARG_INT, &opt_body_limit,
    "Largest request body in bytes (default 1 MiB)", "BYTES" },
  { "rate-limit", 0, 0, G_OPTION_ARG_INT, &opt_rate_limit,
    "Requests per minute per token (0: no limit; default 1200)", "N" },
  { "rate-burst", 0, 0, G_OPTION_ARG_INT, &opt_rate_burst,
    "Requests a token may make at once before the rate applies (default 200)", "N" },
  { "threads", 0, 0, G_OPTION_ARG_INT, &opt_threads,
    "Worker threads, each with its own database connection (default 4)", "N" },
  { "role", 0, 0, G_OPTION_ARG_STRING, &opt_role, "user add: kam or lead", "ROLE" },
  { "display-name", 0, 0, G_OPTION_ARG_STRING, &opt_display_name,
    "user add: the name for people (default NAME); accounts whose account_manager is "
    "NAME or this are the user's", "TEXT" },
  { "seed", 0, 0, G_OPTION_ARG_INT, &opt_seed, "demo: the seed (default 1, as the app)", "N" },
  { "customers", 0, 0, G_OPTION_ARG_INT, &opt_customers, "demo: how many customers (default 40)", "N" },
  { "profile", 0, 0, G_OPTION_ARG_FILENAME, &opt_profile, "import: an import profile (JSON file)", "PATH" },
  { "skip-bad", 0, 0, G_OPTION_ARG_NONE, &opt_skip_bad, "import: write the good rows, list the bad", NULL },
  { "dry-run", 0, 0, G_OPTION_ARG_NONE, &opt_dry_run, "import: check only, write nothing", NULL },
  { "encoding", 0, 0, G_OPTION_ARG_STRING, &opt_encoding, "import: utf-8 or gb18030", "ENC" },
  { NULL }
};

static int
exit_code_for (GError *error)
{
  if (error->domain == KL_SERVER_STORE_ERROR)
    switch (error->code)
      {
      case KL_SERVER_STORE_ERROR_URL: return EX_CONFIG;
      case KL_SERVER_STORE_ERROR_NOT_FOUND: return EX_NOUSER;
      case KL_SERVER_STORE_ERROR_EXISTS: return EX_DATAERR;
      case KL_SERVER_STORE_ERROR_SCHEMA: return EX_CONFIG;
      default: return EX_UNAVAILABLE;
      }
  if (error->domain == G_IO_ERROR && error->code == G_IO_ERROR_INVALID_ARGUMENT)
    return EX_USAGE;
  if (error->domain == G_IO_ERROR)
    return EX_UNAVAILABLE;
  return EX_SOFTWARE;
}

static int
fail (GError *error)
{
  g_printerr ("keyline-server: %s\n", error->message);
  return exit_code_for (error);
}

static int
usage (const char *message)
{
  g_printerr ("keyline-server: %s\n(keyline-server --help lists the commands and options)\n", message);
  return EX_USAGE;
}

static KlServerStore *
open_store (GError **error)
{
  return kl_server_store_open (opt_database, error);
}

static int
cmd_user (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KlServerStore) store = NULL;

  if (argc >= 2 && g_str_equal (argv[1], "list") && argc == 2)
    {
      g_autoptr(GPtrArray) users = NULL;
      if ((store = open_store (&error)) == NULL ||
          (users = store->vtable->user_list (store, &error)) == NULL)
        return fail (error);
      for (guint i = 0; i < users->len; i++)
        {
          KlServerUser *u = g_ptr_array_index (users, i);
          g_print ("%s\t%s\t%s\n", u->name, kl_server_role_to_string (u->role), u->display_name);
        }
      return EX_OK;
    }
  if (argc == 3 && g_str_equal (argv[1], "add"))
    {
      KlServerUser user = { 0 };
      if (opt_role == NULL || !kl_server_role_from_string (opt_role, &user.role))
        return usage ("user add needs --role kam or --role lead");
      if (!g_regex_match_simple ("^[A-Za-z0-9._@-]{1,64}$", argv[2], 0, 0))
        return usage ("a user name is 1 to 64 letters, digits, dots, dashes, underscores or @");
      user.name = argv[2];
      user.display_name = opt_display_name ? opt_display_name : argv[2];
      user.created_at = g_get_real_time ();
      if ((store = open_store (&error)) == NULL ||
          !kl_server_store_begin (store, &error) ||
          !store->vtable->user_add (store, &user, &error) ||
          !kl_server_store_commit (store, &error))
        return fail (error);
      g_print ("added %s (%s)\n", user.name, kl_server_role_to_string (user.role));
      return EX_OK;
    }
  return usage ("user add NAME --role kam|lead, or user list");
}

static int
cmd_token (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KlServerStore) store = NULL;

  if (argc == 3 && g_str_equal (argv[1], "create"))
    {
      g_autofree char *token = NULL;
      g_autoptr(KlServerUser) user = NULL;
      if ((store = open_store (&error)) == NULL)
        return fail (error);
      if (!kl_server_store_begin (store, &error) ||
          (user = store->vtable->user_get (store, argv[2], &error)) == NULL ||
          (token = kl_server_fill_create_token (store, argv[2], &error)) == NULL ||
          !kl_server_store_commit (store, &error))
        return fail (error);
      /* Printed once; only its hash is kept. */
      g_print ("%s\n", token);
      return EX_OK;
    }
  if (argc == 3 && g_str_equal (argv[1], "revoke"))
    {
      g_autofree char *id = kl_server_fill_token_id (argv[2]);
      if ((store = open_store (&error)) == NULL ||
          !kl_server_store_begin (store, &error) ||
          !store->vtable->token_revoke (store, id, g_get_real_time (), &error) ||
          !kl_server_store_commit (store, &error))
        return fail (error);
      g_print ("revoked %s\n", id);
      return EX_OK;
    }
  if ((argc == 2 || argc == 3) && g_str_equal (argv[1], "list"))
    {
      g_autoptr(GPtrArray) tokens = NULL;
      if ((store = open_store (&error)) == NULL ||
          (tokens = store->vtable->token_list (store, argc == 3 ? argv[2] : NULL, &error)) == NULL)
        return fail (error);
      for (guint i = 0; i < tokens->len; i++)
        {
          KlServerToken *t = g_ptr_array_index (tokens, i);
          g_autofree char *created = NULL;
          g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (t->created_at / G_USEC_PER_SEC);
          created = g_date_time_format (dt, "%Y-%m-%d %H:%M");
          g_print ("%s\t%s\t%s\t%s\n", t->id, t->user, created, t->revoked_at ? "revoked" : "valid");
        }
      return EX_OK;
    }
  return usage ("token create USER, token revoke ID|TOKEN, or token list [USER]");
}

static int
cmd_serve (void)
{
  g_autoptr(GError) error = NULL;
  KlServerOptions options = {
    .database = opt_database,
    .listen = opt_listen ? opt_listen : KL_SERVER_DEFAULT_LISTEN,
    .tls_cert = opt_tls_cert,
    .tls_key = opt_tls_key,
    .insecure_listen = opt_insecure_listen,
    .cursor_retention_days = (guint) opt_retention,
    .body_limit = (gsize) opt_body_limit,
    .rate_limit = (guint) opt_rate_limit,
    .rate_burst = (guint) opt_rate_burst,
    .threads = (guint) opt_threads,
  };
  if (opt_retention < KL_SERVER_MIN_RETENTION_DAYS)
    return usage ("--cursor-retention is at least 30 days (the API promises that)");
  if (opt_body_limit < 1024)
    return usage ("--body-limit is at least 1024 bytes");
  if (opt_threads < 1 || opt_threads > 256)
    return usage ("--threads is from 1 to 256");
  if (opt_rate_limit < 0 || opt_rate_burst < 1)
    return usage ("--rate-limit is 0 or more and --rate-burst at least 1");
  if (!kl_server_run (&options, &error))
    return fail (error);
  return EX_OK;
}

static int
cmd_demo (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KlServerStore) store = NULL;
  if (argc != 1)
    return usage ("demo takes no arguments");
  if (opt_seed < 0 || opt_customers < 1 || opt_customers > 10000)
    return usage ("--seed is 0 or more and --customers from 1 to 10000");
  if ((store = open_store (&error)) == NULL ||
      !kl_server_fill_demo (store, (guint32) opt_seed, (guint) opt_customers, &error))
    return fail (error);
  return EX_OK;
}

static int
cmd_import (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KlServerStore) store = NULL;
  KlServerImportOptions io = { 0 };
  if (argc != 3 || (!g_str_equal (argv[1], "customers") && !g_str_equal (argv[1], "shipments")))
    return usage ("import customers FILE or import shipments FILE");
  io.shipments = g_str_equal (argv[1], "shipments");
  io.path = argv[2];
  io.profile = opt_profile;
  io.skip_bad = opt_skip_bad;
  io.dry_run = opt_dry_run;
  io.encoding = opt_encoding;
  if ((store = open_store (&error)) == NULL)
    return fail (error);
  return kl_server_fill_import (store, &io);
}

int
main (int argc, char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) args = NULL;
  int n;

  setlocale (LC_ALL, "");
  context = g_option_context_new ("[serve | user … | token … | demo | import …]");
  g_option_context_set_summary (context,
      "The back office Keyline syncs with (docs/server.md).\n\n"
      "  keyline-server [serve]                       serve the API\n"
      "  keyline-server user add NAME --role kam|lead  add a user\n"
      "  keyline-server user list\n"
      "  keyline-server token create USER             print a new token (once)\n"
      "  keyline-server token revoke ID|TOKEN\n"
      "  keyline-server token list [USER]\n"
      "  keyline-server demo                          the app's demo data, users kam1 kam2 lead\n"
      "  keyline-server import customers|shipments FILE [--profile PATH]");
  g_option_context_add_main_entries (context, entries, NULL);
  args = g_strdupv (argv);
  if (!g_option_context_parse_strv (context, &args, &error))
    return usage (error->message);
  if (opt_database == NULL)
    opt_database = g_strdup (g_getenv ("KEYLINE_SERVER_DATABASE"));
  if (opt_database == NULL)
    opt_database = g_strdup ("sqlite:keyline-server.db");

  n = (int) g_strv_length (args);
  if (n <= 1 || g_str_equal (args[1], "serve"))
    {
      if (n > 2)
        return usage ("serve takes no arguments");
      return cmd_serve ();
    }
  if (g_str_equal (args[1], "user"))
    return cmd_user (n - 1, args + 1);
  if (g_str_equal (args[1], "token"))
    return cmd_token (n - 1, args + 1);
  if (g_str_equal (args[1], "demo"))
    return cmd_demo (n - 1, args + 1);
  if (g_str_equal (args[1], "import"))
    return cmd_import (n - 1, args + 1);
  return usage ("unknown command; give serve, user, token, demo or import");
}
