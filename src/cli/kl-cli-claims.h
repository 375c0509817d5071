/* SPDX-License-Identifier: GPL-3.0-or-later */
/* keyline-cli claims list|show|new|update|move. */
#pragma once

#include "kl-cli.h"

G_BEGIN_DECLS

/* Runs a claims command; argv[0] is the subcommand and argv[-1] "claims".
 * The workspace is opened only after the options are read, so --help and
 * usage errors never need one. Returns the exit status (sysexits.h). */
int kl_cli_claims (KlCli  *cli,
                   int     argc,
                   char  **argv);

G_END_DECLS
