/* SPDX-License-Identifier: GPL-3.0-or-later */
/* keyline-cli: the workbench's commands from a shell, on the same workspace
 * and libraries as the window (docs/cli.md). */

#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <string.h>
#include <glib/gi18n.h>

#include "kl-cli.h"
#include "kl-cli-claims.h"
#include "kl-cli-analysis.h"

typedef struct {
  const char *group;     /* first word of a two-word command, or NULL */
  const char *name;
  int       (*run) (KlCli *cli, int argc, char **argv);
  const char *summary;
} KlCliCommand;

static const KlCliCommand commands[] = {
  { NULL, "demo", kl_cli_demo,
    N_("Fill a new (or, with --force, emptied) workspace with demo data") },
  { "import", "shipments", kl_cli_import, N_("Import shipments from a CSV file") },
  { "import", "customers", kl_cli_import, N_("Import customers from a CSV file") },
  { "profiles", "list", kl_cli_profiles, N_("List the saved import profiles") },
  { "profiles", "show", kl_cli_profiles, N_("Show a saved import profile as JSON") },
  { "profiles", "export", kl_cli_profiles, N_("Write a saved import profile to a file") },
  { "profiles", "import", kl_cli_profiles, N_("Save an import profile from a file") },
  { "customers", "list", kl_cli_customers_list, N_("List the customers") },
  { "customers", "show", kl_cli_customers_show, N_("Show one customer with contacts and agreement") },
  { NULL, "report", kl_cli_report,
    N_("Write a customer’s or the portfolio’s service report as PDF, JSON, CSV, Excel, PNG or SVG, or email it") },
  { NULL, "portfolio", kl_cli_portfolio,
    N_("Every account’s month ranked by need of attention, as a table, JSON or Excel") },
  { "claims", "list", kl_cli_claims, N_("List claims, returns and complaints") },
  { "claims", "show", kl_cli_claims, N_("Show one case with its history") },
  { "claims", "new", kl_cli_claims, N_("Open a new case") },
  { "claims", "update", kl_cli_claims, N_("Change a case’s documents, owner or notes") },
  { "claims", "move", kl_cli_claims, N_("Move a case to its next status") },
  { "analysis", "classes", kl_cli_analysis, N_("A–D account and I–V service-line classes over twelve months") },
  { "analysis", "standards", kl_cli_analysis, N_("Each account × service line against its service standard") },
  { "analysis", "lost", kl_cli_analysis, N_("Customers lost in a period, with totals by reason and manager") },
  { "survey", "new", kl_cli_survey, N_("Create a survey round: attributes, competitors, respondents") },
  { "survey", "import", kl_cli_survey, N_("Import survey responses from a CSV file") },
  { "survey", "list", kl_cli_survey, N_("List the importance–performance surveys") },
  { "survey", "report", kl_cli_survey, N_("A survey’s results per attribute, as a table or JSON") },
  { "survey", "compare", kl_cli_survey, N_("One attribute across the survey rounds") },
  { NULL, "reminders", kl_cli_reminders,
    N_("Birthdays, expiring agreements, idle A accounts, follow-ups and claim deadlines") },
  { NULL, "sync", kl_cli_sync,
    N_("Sync with the back office: sync [--full], sync login, status, conflicts, resolve") },
  { NULL, "check", kl_cli_check,
    N_("Check the workspace: SQLite integrity, references, and figures against shipments") },
};

static void
print_help (const char *group)
{
  g_autoptr(GString) out = g_string_new (NULL);

  if (group == NULL)
    {
      g_string_append_printf (out, "%s\n  keyline-cli [--workspace %s] %s [%s]\n\n%s\n",
                              _("Usage:"), _("PATH"), _("COMMAND"), _("OPTION…"), _("Commands:"));
    }
  else
    {
      g_string_append_printf (out, "%s\n  keyline-cli [--workspace %s] %s %s [%s]\n\n%s\n",
                              _("Usage:"), _("PATH"), group, _("COMMAND"), _("OPTION…"), _("Commands:"));
    }
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      g_autofree char *words = NULL;

      if (group != NULL && g_strcmp0 (commands[i].group, group) != 0)
        continue;
      words = commands[i].group ? g_strdup_printf ("%s %s", commands[i].group, commands[i].name)
                                : g_strdup (commands[i].name);
      g_string_append (out, "  ");
      kl_cli_append_padded (out, words, 20);
      g_string_append_printf (out, "%s\n", _(commands[i].summary));
    }
  g_string_append_printf (out, "\n%s\n", _("Options:"));
  g_string_append (out, "  ");
  kl_cli_append_padded (out, "--workspace PATH", 20);
  g_string_append_printf (out, "%s\n",
                          _("The workspace file (default: $KEYLINE_WORKSPACE, else $XDG_DATA_HOME/keyline/workspace.db)"));
  if (group == NULL)
    {
      g_string_append (out, "  ");
      kl_cli_append_padded (out, "--version", 20);
      g_string_append_printf (out, "%s\n", _("Print the version and exit"));
    }
  g_string_append (out, "  ");
  kl_cli_append_padded (out, "-h, --help", 20);
  g_string_append_printf (out, "%s\n\n", _("Show this help and exit"));
  if (group != NULL)
    g_string_append_printf (out, _("Run “keyline-cli %s %s --help” for the options of a command.\n"),
                            group, _("COMMAND"));
  else
    g_string_append_printf (out, _("Run “keyline-cli %s --help” for the options of a command.\n"), _("COMMAND"));
  kl_cli_print (out->str);
}

static gboolean
is_help (const char *arg)
{
  return g_strcmp0 (arg, "--help") == 0 || g_strcmp0 (arg, "-h") == 0 || g_strcmp0 (arg, "-?") == 0;
}

static gboolean
is_group (const char *word)
{
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    if (g_strcmp0 (commands[i].group, word) == 0)
      return TRUE;
  return FALSE;
}

static const KlCliCommand *
find_command (const char *group,
              const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    if (g_strcmp0 (commands[i].group, group) == 0 && g_strcmp0 (commands[i].name, name) == 0)
      return &commands[i];
  return NULL;
}

static char *
subcommand_names (const char *group)
{
  g_autoptr(GString) names = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    if (g_strcmp0 (commands[i].group, group) == 0)
      g_string_append_printf (names, "%s%s", names->len ? ", " : "", commands[i].name);
  return g_string_free (g_steal_pointer (&names), FALSE);
}

static int
run (KlCli  *cli,
     int     argc,
     char  **argv)
{
  const KlCliCommand *command;
  int i;

  for (i = 1; i < argc; i++)
    {
      const char *arg = argv[i];

      if (g_strcmp0 (arg, "--workspace") == 0)
        {
          if (i + 1 >= argc)
            return kl_cli_usage_error (cli, _("--workspace needs the path of a workspace file"));
          g_free (cli->workspace);
          cli->workspace = g_strdup (argv[++i]);
        }
      else if (g_str_has_prefix (arg, "--workspace="))
        {
          g_free (cli->workspace);
          cli->workspace = g_strdup (arg + strlen ("--workspace="));
        }
      else if (g_strcmp0 (arg, "--version") == 0)
        {
          kl_cli_printf ("keyline-cli %s\n", PACKAGE_VERSION);
          return KL_EXIT_OK;
        }
      else if (is_help (arg))
        {
          print_help (NULL);
          return KL_EXIT_OK;
        }
      else if (arg[0] == '-')
        return kl_cli_usage_error (cli, _("Unknown option %s"), arg);
      else
        break;
    }

  if (i >= argc)
    return kl_cli_usage_error (cli, _("No command given"));

  if (is_group (argv[i]))
    {
      const char *group = argv[i];
      const char *name = i + 1 < argc ? argv[i + 1] : NULL;
      g_autofree char *names = subcommand_names (group);

      cli->command = g_strdup (group);

      if (name == NULL || is_help (name))
        {
          if (name != NULL)
            {
              print_help (group);
              return KL_EXIT_OK;
            }
          /* Translators: "%s needs one of: %s" as in "import needs one of: shipments, customers" */
          return kl_cli_usage_error (cli, _("“%s” needs one of: %s"), group, names);
        }
      command = find_command (group, name);
      if (command == NULL)
        return kl_cli_usage_error (cli, _("“%s %s” is not a command; “%s” takes one of: %s"),
                                   group, name, group, names);
      g_free (cli->command);
      cli->command = g_strdup_printf ("%s %s", group, name);
      i++;
    }
  else
    {
      command = find_command (NULL, argv[i]);
      if (command == NULL)
        return kl_cli_usage_error (cli, _("“%s” is not a command"), argv[i]);
      cli->command = g_strdup (argv[i]);
    }

  {
    g_autofree char *prgname = g_strdup_printf ("keyline-cli %s", cli->command);

    g_set_prgname (prgname);
  }
  return command->run (cli, argc - i, argv + i);
}

int
main (int    argc,
      char **argv)
{
  KlCli cli = { NULL, NULL };
  int status;

  setlocale (LC_ALL, "");
  /* KEYLINE_LOCALEDIR: the build tree's catalogues, for running uninstalled. */
  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("KEYLINE_LOCALEDIR") ? g_getenv ("KEYLINE_LOCALEDIR") : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  status = run (&cli, argc, argv);
  fflush (stdout);
  if (ferror (stdout))
    {
      kl_cli_error (_("Could not write the output: the disk may be full or the pipe closed"));
      status = KL_EXIT_CANTCREAT;
    }

  g_free (cli.workspace);
  g_free (cli.command);
  return status;
}
