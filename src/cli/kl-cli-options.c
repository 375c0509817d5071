/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Option parsing for a command: one GOptionContext each, every one also
 * taking --workspace, and usage errors that point at --help. */

#include "config.h"

#include <glib/gi18n.h>

#include "kl-cli.h"

static char *command_workspace;

GOptionContext *
kl_cli_option_context (KlCli              *cli,
                       const char         *parameter,
                       const char         *summary,
                       const GOptionEntry *entries)
{
  const GOptionEntry workspace_entries[] = {
    { "workspace", 0, 0, G_OPTION_ARG_FILENAME, &command_workspace,
      N_("The workspace file (default: $KEYLINE_WORKSPACE, else $XDG_DATA_HOME/keyline/workspace.db)"),
      N_("PATH") },
    G_OPTION_ENTRY_NULL
  };
  GOptionContext *context = g_option_context_new (parameter);

  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_set_summary (context, summary);
  if (entries != NULL)
    g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, workspace_entries, GETTEXT_PACKAGE);
  return context;
}

gboolean
kl_cli_parse (KlCli            *cli,
              GOptionContext   *context,
              int              *argc,
              char           ***argv)
{
  g_autoptr(GError) error = NULL;

  if (!g_option_context_parse (context, argc, argv, &error))
    {
      kl_cli_usage_error (cli, "%s", error->message);
      return FALSE;
    }
  /* --workspace after the command wins over one before it. */
  if (command_workspace != NULL)
    {
      g_free (cli->workspace);
      cli->workspace = g_steal_pointer (&command_workspace);
    }
  return TRUE;
}

int
kl_cli_usage_error (KlCli      *cli,
                    const char *format,
                    ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  if (cli->command == NULL)
    kl_cli_error (_("%s; see “keyline-cli --help”"), message);
  else
    /* Translators: the first %s is what was wrong, the second a command such as "import shipments" */
    kl_cli_error (_("%s; see “keyline-cli %s --help”"), message, cli->command);
  return KL_EXIT_USAGE;
}
