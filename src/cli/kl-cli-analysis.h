/* SPDX-License-Identifier: GPL-3.0-or-later */
/* keyline-cli analysis …, survey … and reminders (docs/analysis.md). */
#pragma once

#include "kl-cli.h"

G_BEGIN_DECLS

int kl_cli_analysis      (KlCli *cli, int argc, char **argv);
int kl_cli_analysis_lost (KlCli *cli, int argc, char **argv);
int kl_cli_survey        (KlCli *cli, int argc, char **argv);
int kl_cli_reminders     (KlCli *cli, int argc, char **argv);

G_END_DECLS
