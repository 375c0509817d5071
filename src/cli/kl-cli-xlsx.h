/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Excel workbooks from keyline-cli: to -o FILE, or to stdout when stdout is
 * a file or a pipe (never a terminal, where a workbook is only noise). */
#pragma once

#include "kl-cli.h"

G_BEGIN_DECLS

typedef gboolean (*KlCliXlsxWrite) (const char  *path,
                                    gpointer     data,
                                    GError     **error);

/* TRUE when a workbook can go to output (NULL or "-": stdout); else prints
 * a usage error for cli and returns FALSE (exit 64). */
gboolean kl_cli_xlsx_check_output (KlCli       *cli,
                                   const char  *output);

/* Calls write with output's path, or with a temporary file whose bytes
 * then go to stdout (output NULL or "-"). */
gboolean kl_cli_xlsx_write        (const char     *output,
                                   KlCliXlsxWrite  write,
                                   gpointer        data,
                                   GError        **error);

G_END_DECLS
