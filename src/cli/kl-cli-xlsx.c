/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Excel workbooks from keyline-cli (kl-cli-xlsx.h). */

#include "config.h"

#include <stdio.h>
#include <unistd.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "kl-cli-xlsx.h"

static gboolean
to_stdout (const char *output)
{
  return output == NULL || g_strcmp0 (output, "-") == 0;
}

gboolean
kl_cli_xlsx_check_output (KlCli      *cli,
                          const char *output)
{
  if (to_stdout (output) && isatty (STDOUT_FILENO))
    {
      kl_cli_usage_error (cli, _("An Excel workbook is not for a terminal: give the file to write with "
                                 "-o FILE.xlsx, or redirect the output to a file"));
      return FALSE;
    }
  return TRUE;
}

gboolean
kl_cli_xlsx_write (const char     *output,
                   KlCliXlsxWrite  write,
                   gpointer        data,
                   GError        **error)
{
  g_autofree char *tmp = NULL;
  g_autofree char *bytes = NULL;
  gsize length = 0;
  gboolean ok;
  int fd;

  if (!to_stdout (output))
    return write (output, data, error);

  fd = g_file_open_tmp ("keyline-XXXXXX.xlsx", &tmp, error);
  if (fd < 0)
    return FALSE;
  g_close (fd, NULL);
  ok = write (tmp, data, error) && g_file_get_contents (tmp, &bytes, &length, error);
  g_unlink (tmp);
  if (ok && (fwrite (bytes, 1, length, stdout) != length || fflush (stdout) != 0))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   _("Could not write the output: the disk may be full or the pipe closed"));
      ok = FALSE;
    }
  return ok;
}
