/* SPDX-License-Identifier: GPL-3.0-or-later */
/* keyline-cli claims list|show|new|update|move. */
#pragma once

#include "kl-database.h"

G_BEGIN_DECLS

/* Runs a claims command on an open workspace; argv[0] is "claims",
 * argv[1] the subcommand. Returns the exit status (sysexits.h). */
int kl_cli_claims_main (KlDatabase *db,
                        int         argc,
                        char      **argv);

G_END_DECLS
