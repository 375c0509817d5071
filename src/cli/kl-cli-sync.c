/* SPDX-License-Identifier: GPL-3.0-or-later */
/* keyline-cli sync, sync login, sync status, sync conflicts, sync resolve
 * (docs/cli.md, docs/sync.md). */

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "kl-cli.h"
#include "kl-sync-engine.h"
#include "kl-sync-store.h"
#include "kl-sync-token.h"

static int
sync_status_for_error (const GError *error,
                       KlDatabase   *db)
{
  if (error->domain == KL_SYNC_ERROR)
    switch ((KlSyncError) error->code)
      {
      case KL_SYNC_ERROR_UNAVAILABLE: return KL_EXIT_UNAVAILABLE;
      case KL_SYNC_ERROR_BUSY:        return KL_EXIT_TEMPFAIL;
      case KL_SYNC_ERROR_AUTH:
      case KL_SYNC_ERROR_NO_TOKEN:    return KL_EXIT_NOPERM;
      case KL_SYNC_ERROR_DATA:
      case KL_SYNC_ERROR_REFUSED:     return KL_EXIT_DATAERR;
      case KL_SYNC_ERROR_URL:
      case KL_SYNC_ERROR_NO_SERVER:   return KL_EXIT_USAGE;
      case KL_SYNC_ERROR_CANCELLED:   return KL_EXIT_TEMPFAIL;
      }
  return kl_cli_status_for_error (error, db, FALSE);
}

static int
sync_fail (const GError *error,
           KlDatabase   *db)
{
  int status = sync_status_for_error (error, db);

  if (error->domain == KL_SYNC_ERROR)
    {
      kl_cli_error ("%s", error->message);
      return status;
    }
  return kl_cli_fail (error, db, FALSE);
}

/* The server: --server, else the stored one, else KEYLINE_SERVER. */
static char *
server_url (KlDatabase *db,
            const char *option)
{
  char *stored;

  if (option != NULL && *option != '\0')
    return g_strdup (option);
  stored = db ? kl_database_get_setting (db, KL_SYNC_SETTING_SERVER) : NULL;
  if (stored != NULL && *stored != '\0')
    return stored;
  g_free (stored);
  return g_strdup (g_getenv ("KEYLINE_SERVER"));
}

static char *
read_token_from_stdin (void)
{
  g_autoptr(GString) s = g_string_new (NULL);
  char buf[512];
  size_t n;

  while ((n = fread (buf, 1, sizeof buf, stdin)) > 0 && s->len < 65536)
    g_string_append_len (s, buf, (gssize) n);
  g_strstrip (s->str);
  s->len = strlen (s->str);
  if (strchr (s->str, '\n') != NULL)
    *strchr (s->str, '\n') = '\0';
  return g_string_free (g_steal_pointer (&s), FALSE);
}

static int
sync_login (KlCli  *cli,
            int     argc,
            char  **argv)
{
  g_autofree char *server = NULL;
  const GOptionEntry entries[] = {
    { "server", 0, 0, G_OPTION_ARG_STRING, &server, N_("The back office’s address, https://…"), N_("URL") },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(KlDatabase) db = NULL;
  g_autoptr(KlSyncClient) client = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL, *user = NULL, *name = NULL;
  gint64 server_time;
  int status = KL_EXIT_OK;

  context = kl_cli_option_context (cli, NULL,
                                   _("Read an API token from standard input, check it with the server, store the "
                                     "server’s address in the workspace and the token in the desktop keyring."),
                                   entries);
  if (!kl_cli_parse (cli, context, &argc, &argv))
    return KL_EXIT_USAGE;
  if (argc > 1)
    return kl_cli_usage_error (cli, _("Unexpected argument “%s”"), argv[1]);
  if (server == NULL)
    return kl_cli_usage_error (cli, _("“sync login” needs --server URL"));

  token = read_token_from_stdin ();
  if (*token == '\0')
    {
      kl_cli_error (_("No token on standard input; pipe the API token the back office gave you into “sync login”"));
      return KL_EXIT_USAGE;
    }
  client = kl_sync_client_new (server, token, &error);
  if (client == NULL || !kl_sync_check_me (client, &user, &name, &server_time, NULL, &error))
    return sync_fail (error, NULL);

  db = kl_cli_open_workspace (cli, TRUE, &status);
  if (db == NULL)
    return status;
  if (!kl_sync_token_store (kl_sync_client_get_url (client), token, NULL, &error))
    {
      kl_cli_error ("%s", error->message);
      return KL_EXIT_CANTCREAT;
    }
  if (!kl_database_set_setting (db, KL_SYNC_SETTING_SERVER, kl_sync_client_get_url (client), &error) ||
      !kl_database_set_setting (db, KL_SYNC_SETTING_USER, user, &error))
    return kl_cli_fail (error, db, TRUE);
  kl_cli_printf (_("Signed in to %s as %s (%s); the server’s clock is %+lld s from this computer’s.\n"),
                 kl_sync_client_get_url (client), name, user,
                 (long long) (server_time - g_get_real_time () / G_USEC_PER_SEC));
  return KL_EXIT_OK;
}

typedef struct {
  gboolean terminal;
  gboolean shown;
} Progress;

static void
on_progress (const char *what,
             gint64      done,
             gpointer    data)
{
  Progress *p = data;

  if (!p->terminal)
    return;
  p->shown = TRUE;
  if (g_str_equal (what, "push"))
    g_printerr ("\r\033[K%s %lld", _("Pushed"), (long long) done);
  else
    /* Translators: %s: a collection (customers, shipments), %lld: records so far */
    {
      g_printerr ("\r\033[K");
      g_printerr (_("Pulling %s: %lld"), what, (long long) done);
    }
  fflush (stderr);
}

static int
sync_run (KlCli  *cli,
          int     argc,
          char  **argv)
{
  gboolean full = FALSE, pull_only = FALSE;
  g_autofree char *server = NULL;
  g_autofree char *saved_server = NULL;
  int limit = 0;
  const GOptionEntry entries[] = {
    { "full", 0, 0, G_OPTION_ARG_NONE, &full, N_("Pull every collection from scratch (unpushed local edits are kept)"), NULL },
    { "pull-only", 0, 0, G_OPTION_ARG_NONE, &pull_only, N_("Pull only; leave local changes waiting"), NULL },
    { "server", 0, 0, G_OPTION_ARG_STRING, &server, N_("The back office’s address (default: the one signed in to)"), N_("URL") },
    { "page-size", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_INT, &limit, NULL, NULL },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(KlDatabase) db = NULL;
  g_autoptr(KlSyncClient) client = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL, *token = NULL;
  KlSyncOptions options = { FALSE, FALSE, 0 };
  KlSyncStats stats = { 0, 0, 0 };
  Progress progress = { isatty (STDERR_FILENO), FALSE };
  gboolean ok;
  int status = KL_EXIT_OK;

  context = kl_cli_option_context (cli, NULL,
                                   _("Push the local changes, then pull customers and shipments from the back "
                                     "office until up to date. The last line is “pulled N, pushed N, conflicts N”."),
                                   entries);
  if (!kl_cli_parse (cli, context, &argc, &argv))
    return KL_EXIT_USAGE;
  if (argc > 1)
    return kl_cli_usage_error (cli, _("Unexpected argument “%s”"), argv[1]);
  if (limit < 0 || limit > 1000)
    return kl_cli_usage_error (cli, _("--page-size must be between 1 and 1000"));

  db = kl_cli_open_workspace (cli, TRUE, &status);
  if (db == NULL)
    return status;
  url = server_url (db, server);
  if (!kl_sync_url_check (url, &error))
    {
      int s = sync_fail (error, db);

      kl_cli_discard_workspace (g_steal_pointer (&db));
      return s;
    }
  token = kl_sync_token_lookup (url, NULL, &error);
  if (token == NULL)
    {
      if (error == NULL)
        kl_cli_error (_("No API token for %s; sign in with “keyline-cli sync login --server %s” or set KEYLINE_TOKEN"),
                      url, url);
      else
        kl_cli_error ("%s", error->message);
      return KL_EXIT_NOPERM;
    }
  client = kl_sync_client_new (url, token, &error);
  if (client == NULL)
    return sync_fail (error, db);

  options.full = full;
  options.pull_only = pull_only;
  options.page_limit = (guint) limit;
  ok = kl_sync_run (db, client, &options, on_progress, &progress, &stats, NULL, &error);
  if (progress.shown)
    g_printerr ("\r\033[K");
  if (ok)
    saved_server = kl_database_get_setting (db, KL_SYNC_SETTING_SERVER);
  if (ok && saved_server == NULL)
    kl_database_set_setting (db, KL_SYNC_SETTING_SERVER, kl_sync_client_get_url (client), NULL);
  if (!ok)
    status = sync_fail (error, db);
  kl_cli_printf ("pulled %" G_GINT64_FORMAT ", pushed %" G_GINT64_FORMAT ", conflicts %" G_GINT64_FORMAT "\n",
                 stats.pulled, stats.pushed, kl_sync_store_conflict_count (db));
  return status;
}

static gboolean
parse_format (KlCli *cli, const char *format, gboolean *out_json, int *out_status)
{
  if (format == NULL || g_str_equal (format, "table"))
    *out_json = FALSE;
  else if (g_str_equal (format, "json"))
    *out_json = TRUE;
  else
    {
      *out_status = kl_cli_usage_error (cli, _("--format must be table or json, not “%s”"), format);
      return FALSE;
    }
  return TRUE;
}

static void
print_json (JsonBuilder *b)
{
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(JsonNode) root = json_builder_get_root (b);
  g_autofree char *text = NULL;

  json_generator_set_root (gen, root);
  json_generator_set_pretty (gen, TRUE);
  text = json_generator_to_data (gen, NULL);
  kl_cli_printf ("%s\n", text);
}

static int
sync_status (KlCli  *cli,
             int     argc,
             char  **argv)
{
  g_autofree char *format = NULL;
  const GOptionEntry entries[] = {
    { "format", 0, 0, G_OPTION_ARG_STRING, &format, N_("table or json"), N_("FORMAT") },
    G_OPTION_ENTRY_NULL
  };
  static const char *const collections[] = { "customers", "claims", "shipments" };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(KlDatabase) db = NULL;
  g_autofree char *server = NULL, *user = NULL, *last = NULL;
  gboolean json = FALSE;
  int status = KL_EXIT_OK;
  gint64 outbox, conflicts;
  const char *env_token = g_getenv ("KEYLINE_TOKEN");
  /* KEYLINE_TOKEN stands in for the keyring (cli.md): with it, the
   * workspace is signed in even when "sync login" never ran. */
  gboolean from_env = env_token != NULL && *env_token != '\0';
  gboolean signed_in;

  context = kl_cli_option_context (cli, NULL, _("Show the server, the user, the last successful sync, each "
                                                "collection’s cursor, the changes waiting and the conflicts."), entries);
  if (!kl_cli_parse (cli, context, &argc, &argv))
    return KL_EXIT_USAGE;
  if (argc > 1)
    return kl_cli_usage_error (cli, _("Unexpected argument “%s”"), argv[1]);
  if (!parse_format (cli, format, &json, &status))
    return status;
  db = kl_cli_open_workspace (cli, FALSE, &status);
  if (db == NULL)
    return status;
  server = server_url (db, NULL);
  user = kl_database_get_setting (db, KL_SYNC_SETTING_USER);
  last = kl_database_get_setting (db, KL_SYNC_SETTING_LAST_SUCCESS);
  outbox = kl_database_outbox_count (db);
  conflicts = kl_sync_store_conflict_count (db);
  signed_in = from_env || user != NULL;

  if (json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "server");
      server ? (void) json_builder_add_string_value (b, server) : (void) json_builder_add_null_value (b);
      json_builder_set_member_name (b, "user");
      user ? (void) json_builder_add_string_value (b, user) : (void) json_builder_add_null_value (b);
      json_builder_set_member_name (b, "signed_in");
      json_builder_add_boolean_value (b, signed_in);
      json_builder_set_member_name (b, "token");
      if (from_env)
        json_builder_add_string_value (b, "KEYLINE_TOKEN");
      else if (user != NULL)
        json_builder_add_string_value (b, "keyring");
      else
        json_builder_add_null_value (b);
      json_builder_set_member_name (b, "last_success");
      if (last != NULL)
        {
          g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (g_ascii_strtoll (last, NULL, 10));
          g_autofree char *iso = g_date_time_format_iso8601 (dt);

          json_builder_add_string_value (b, iso);
        }
      else
        json_builder_add_null_value (b);
      json_builder_set_member_name (b, "cursors");
      json_builder_begin_object (b);
      for (guint i = 0; i < G_N_ELEMENTS (collections); i++)
        {
          g_autofree char *cursor = kl_sync_store_get_cursor (db, collections[i]);

          json_builder_set_member_name (b, collections[i]);
          cursor ? (void) json_builder_add_string_value (b, cursor) : (void) json_builder_add_null_value (b);
        }
      json_builder_end_object (b);
      json_builder_set_member_name (b, "outbox");
      json_builder_add_int_value (b, outbox);
      json_builder_set_member_name (b, "conflicts");
      json_builder_add_int_value (b, conflicts);
      json_builder_end_object (b);
      print_json (b);
      return KL_EXIT_OK;
    }

  {
    g_autoptr(GString) out = g_string_new (NULL);
    g_autofree char *when = NULL;

    if (last != NULL)
      {
        g_autoptr(GDateTime) dt = g_date_time_new_from_unix_local (g_ascii_strtoll (last, NULL, 10));

        when = g_date_time_format (dt, "%Y-%m-%d %H:%M:%S");
      }
    g_string_append_printf (out, "%s %s\n", _("Server:"), server ? server : _("(none)"));
    if (user != NULL)
      g_string_append_printf (out, "%s %s\n", _("User:"), user);
    else
      g_string_append_printf (out, "%s %s\n", _("User:"),
                              from_env ? _("signed in with KEYLINE_TOKEN") : _("(not signed in)"));
    if (from_env)
      g_string_append_printf (out, "%s %s\n", _("Token:"), _("from KEYLINE_TOKEN"));
    g_string_append_printf (out, "%s %s\n", _("Last successful sync:"), when ? when : _("never"));
    for (guint i = 0; i < G_N_ELEMENTS (collections); i++)
      {
        g_autofree char *cursor = kl_sync_store_get_cursor (db, collections[i]);

        g_string_append_printf (out, _("Cursor of %s: %s\n"), collections[i], cursor ? cursor : _("(none)"));
      }
    g_string_append_printf (out, _("Changes waiting to be pushed: %lld\n"), (long long) outbox);
    g_string_append_printf (out, _("Conflicts and refused changes: %lld\n"), (long long) conflicts);
    kl_cli_print (out->str);
  }
  return KL_EXIT_OK;
}

static void
add_json_value (JsonBuilder *b, const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();

  if (json_parser_load_from_data (parser, text, -1, NULL) && json_parser_get_root (parser) != NULL)
    json_builder_add_value (b, json_node_copy (json_parser_get_root (parser)));
  else
    json_builder_add_string_value (b, text);
}

static int
sync_conflicts (KlCli  *cli,
                int     argc,
                char  **argv)
{
  g_autofree char *format = NULL;
  const GOptionEntry entries[] = {
    { "format", 0, 0, G_OPTION_ARG_STRING, &format, N_("table or json"), N_("FORMAT") },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(KlDatabase) db = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GError) error = NULL;
  gboolean json = FALSE;
  int status = KL_EXIT_OK;

  context = kl_cli_option_context (cli, NULL, _("List the conflicts and refused changes waiting for you: the record, "
                                                "the fields that differ, the local and the server’s values."), entries);
  if (!kl_cli_parse (cli, context, &argc, &argv))
    return KL_EXIT_USAGE;
  if (argc > 1)
    return kl_cli_usage_error (cli, _("Unexpected argument “%s”"), argv[1]);
  if (!parse_format (cli, format, &json, &status))
    return status;
  db = kl_cli_open_workspace (cli, FALSE, &status);
  if (db == NULL)
    return status;
  list = kl_sync_conflicts (db, &error);
  if (list == NULL)
    return kl_cli_fail (error, db, FALSE);

  if (json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      json_builder_begin_array (b);
      for (guint i = 0; i < list->len; i++)
        {
          KlSyncConflictInfo *c = g_ptr_array_index (list, i);

          json_builder_begin_object (b);
          json_builder_set_member_name (b, "kind");
          json_builder_add_string_value (b, c->kind);
          json_builder_set_member_name (b, "id");
          json_builder_add_string_value (b, c->id);
          json_builder_set_member_name (b, "code_or_number");
          json_builder_add_string_value (b, c->code_or_number);
          json_builder_set_member_name (b, "reason");
          json_builder_add_string_value (b, c->reason);
          json_builder_set_member_name (b, "detail");
          json_builder_add_string_value (b, c->detail);
          json_builder_set_member_name (b, "fields");
          json_builder_begin_array (b);
          for (guint j = 0; j < c->fields->len; j++)
            {
              KlSyncConflictField *f = g_ptr_array_index (c->fields, j);

              json_builder_begin_object (b);
              json_builder_set_member_name (b, "field");
              json_builder_add_string_value (b, f->field);
              json_builder_set_member_name (b, "local");
              add_json_value (b, f->local);
              json_builder_set_member_name (b, "server");
              add_json_value (b, f->server);
              json_builder_end_object (b);
            }
          json_builder_end_array (b);
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
      print_json (b);
      return KL_EXIT_OK;
    }

  {
    g_autoptr(GString) out = g_string_new (NULL);

    if (list->len == 0)
      g_string_append_printf (out, "%s\n", _("No conflicts."));
    for (guint i = 0; i < list->len; i++)
      {
        KlSyncConflictInfo *c = g_ptr_array_index (list, i);
        const char *reason = g_str_equal (c->reason, "conflict") ? _("changed here and on the server")
                           : g_str_equal (c->reason, "gone") ? _("removed on the server")
                           : _("refused by the server");

        g_string_append_printf (out, "%s %s (%s): %s", g_str_equal (c->kind, "customer") ? _("Customer") : _("Case"),
                                c->code_or_number, c->id, reason);
        if (c->detail != NULL && *c->detail && !g_str_equal (c->reason, "conflict"))
          g_string_append_printf (out, " — %s", c->detail);
        g_string_append_c (out, '\n');
        for (guint j = 0; j < c->fields->len; j++)
          {
            KlSyncConflictField *f = g_ptr_array_index (c->fields, j);

            g_string_append (out, "  ");
            kl_cli_append_padded (out, f->field, 18);
            g_string_append_printf (out, _("local %s, server %s\n"), f->local, f->server);
          }
      }
    kl_cli_print (out->str);
  }
  return KL_EXIT_OK;
}

static int
sync_resolve (KlCli  *cli,
              int     argc,
              char  **argv)
{
  g_autofree char *keep = NULL;
  const GOptionEntry entries[] = {
    { "keep", 0, 0, G_OPTION_ARG_STRING, &keep, N_("local: push your version; server: take the server’s"), N_("SIDE") },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(KlDatabase) db = NULL;
  g_autoptr(GError) error = NULL;
  gboolean keep_local;
  int status = KL_EXIT_OK;

  context = kl_cli_option_context (cli, _("ID"), _("Resolve the conflict of a record (its id, customer code or claim "
                                                   "number): keep the local version, pushed at the next sync, or the "
                                                   "server’s, dropping the local edit."), entries);
  if (!kl_cli_parse (cli, context, &argc, &argv))
    return KL_EXIT_USAGE;
  if (argc != 2)
    return kl_cli_usage_error (cli, _("“sync resolve” needs one record: its id, customer code or claim number"));
  if (keep == NULL || (!g_str_equal (keep, "local") && !g_str_equal (keep, "server")))
    return kl_cli_usage_error (cli, _("“sync resolve” needs --keep local or --keep server"));
  keep_local = g_str_equal (keep, "local");
  db = kl_cli_open_workspace (cli, FALSE, &status);
  if (db == NULL)
    return status;
  if (!kl_sync_resolve (db, argv[1], keep_local, NULL, &error))
    return sync_fail (error, db);
  kl_cli_printf (keep_local ? _("Kept the local version of %s; it is pushed at the next sync.\n")
                            : _("Took the server’s version of %s.\n"), argv[1]);
  return KL_EXIT_OK;
}

int
kl_cli_sync (KlCli  *cli,
             int     argc,
             char  **argv)
{
  static const struct {
    const char *name;
    int (*run) (KlCli *, int, char **);
  } subcommands[] = {
    { "login", sync_login },
    { "status", sync_status },
    { "conflicts", sync_conflicts },
    { "resolve", sync_resolve },
  };

  if (argc > 1 && argv[1][0] != '-')
    for (guint i = 0; i < G_N_ELEMENTS (subcommands); i++)
      if (g_str_equal (argv[1], subcommands[i].name))
        {
          g_autofree char *prgname = g_strdup_printf ("keyline-cli sync %s", subcommands[i].name);

          g_free (cli->command);
          cli->command = g_strdup_printf ("sync %s", subcommands[i].name);
          g_set_prgname (prgname);
          return subcommands[i].run (cli, argc - 1, argv + 1);
        }
  if (argc > 1 && argv[1][0] != '-')
    return kl_cli_usage_error (cli, _("“sync %s” is not a command; “sync” takes login, status, conflicts or resolve"),
                               argv[1]);
  return sync_run (cli, argc, argv);
}
