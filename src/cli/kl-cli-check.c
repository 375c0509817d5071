/* SPDX-License-Identifier: GPL-3.0-or-later */
/* keyline-cli check: prints what kl_workspace_check () finds and exits 0
 * only when it finds nothing; --repair rebuilds the monthly figures. */

#include "config.h"

#include <glib/gi18n.h>

#include "kl-cli.h"
#include "kl-rollup.h"
#include "kl-workspace-check.h"

int
kl_cli_check (KlCli  *cli,
              int     argc,
              char  **argv)
{
  gboolean repair = FALSE;
  const GOptionEntry entries[] = {
    { "repair", 0, 0, G_OPTION_ARG_NONE, &repair,
      N_("Rebuild the monthly figures from the shipments when they disagree"), NULL },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(KlDatabase) db = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) findings = NULL;
  g_autoptr(GString) out = g_string_new (NULL);
  guint n_damaged, n_figures, n_other;
  int status = KL_EXIT_OK;

  context = kl_cli_option_context (cli, NULL,
                                   _("Check the workspace: SQLite’s integrity check, the references between records, "
                                     "and the monthly figures rebuilt from the shipments and compared with the stored ones. "
                                     "Exits 0 when all agree."),
                                   entries);
  if (!kl_cli_parse (cli, context, &argc, &argv))
    return KL_EXIT_USAGE;
  if (argc > 1)
    return kl_cli_usage_error (cli, _("Unexpected argument “%s”"), argv[1]);

  db = kl_cli_open_workspace (cli, FALSE, &status);
  if (db == NULL)
    return status;

  findings = kl_workspace_check (db, &error);
  if (findings == NULL)
    return kl_cli_fail (error, db, FALSE);

  for (guint i = 0; i < findings->len; i++)
    {
      KlWorkspaceFinding *f = g_ptr_array_index (findings, i);

      if (f->kind == KL_WORKSPACE_FINDING_FIGURES)
        g_string_append_printf (out, _("Figures: %s\n"), f->message);
      else
        g_string_append_printf (out, "%s\n", f->message);
    }
  kl_cli_print (out->str);

  n_damaged = kl_workspace_findings_count (findings, KL_WORKSPACE_FINDING_DAMAGED);
  n_figures = kl_workspace_findings_count (findings, KL_WORKSPACE_FINDING_FIGURES);
  n_other = findings->len - n_damaged - n_figures;

  if (n_damaged > 0)
    {
      kl_cli_error (g_dngettext (GETTEXT_PACKAGE,
                                 "The workspace “%s” is damaged (%u problem above): restore it from the backup beside it",
                                 "The workspace “%s” is damaged (%u problems above): restore it from the backup beside it",
                                 n_damaged),
                    kl_database_get_path (db), n_damaged);
      return KL_EXIT_DATAERR;
    }
  if (n_figures > 0 && repair)
    {
      if (!kl_rollup_rebuild (db, NULL, &error))
        return kl_cli_fail (error, db, FALSE);
      kl_cli_printf (_("The monthly figures were rebuilt from the shipments.\n"));
      n_figures = 0;
    }
  if (n_other > 0)
    {
      kl_cli_error (g_dngettext (GETTEXT_PACKAGE,
                                 "The workspace “%s” has %u inconsistency listed above; it cannot be repaired automatically",
                                 "The workspace “%s” has %u inconsistencies listed above; they cannot be repaired automatically",
                                 n_other),
                    kl_database_get_path (db), n_other);
      return KL_EXIT_DATAERR;
    }
  if (n_figures > 0)
    {
      kl_cli_error (g_dngettext (GETTEXT_PACKAGE,
                                 "%u monthly figure disagrees with the shipments; run “keyline-cli check --repair” to rebuild the figures",
                                 "%u monthly figures disagree with the shipments; run “keyline-cli check --repair” to rebuild the figures",
                                 n_figures),
                    n_figures);
      return KL_EXIT_DATAERR;
    }
  if (!repair || findings->len == 0)
    kl_cli_print (_("The workspace is sound: integrity, references and monthly figures agree.\n"));
  return KL_EXIT_OK;
}
