/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Messages, data on stdout, progress on a terminal, and the text layout of
 * tables and CSV. */

#include "config.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "kl-cli.h"

void
kl_cli_error (const char *format,
              ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  /* One line per error, whatever the message holds. */
  g_strdelimit (message, "\r\n", ' ');
  g_printerr ("keyline-cli: %s\n", message);
}

void
kl_cli_print (const char *text)
{
  /* Data is UTF-8 on every locale: no conversion as g_print would do. */
  fputs (text, stdout);
}

void
kl_cli_printf (const char *format,
               ...)
{
  g_autofree char *text = NULL;
  va_list args;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);
  kl_cli_print (text);
}

struct _KlCliProgress {
  char     *label;
  gboolean  terminal;
  int       last_percent;
  gboolean  shown;
};

KlCliProgress *
kl_cli_progress_new (const char *label)
{
  KlCliProgress *self = g_new0 (KlCliProgress, 1);

  self->label = g_strdup (label);
  self->terminal = isatty (STDERR_FILENO);
  self->last_percent = -1;
  return self;
}

void
kl_cli_progress_update (double   fraction,
                        gpointer data)
{
  KlCliProgress *self = data;
  int percent = (int) (CLAMP (fraction, 0.0, 1.0) * 100.0);

  if (!self->terminal || percent == self->last_percent)
    return;
  self->last_percent = percent;
  self->shown = TRUE;
  g_printerr ("\r%s %3d %%", self->label, percent);
  fflush (stderr);
}

void
kl_cli_progress_free (KlCliProgress *self)
{
  if (self == NULL)
    return;
  if (self->shown)
    g_printerr ("\n");
  g_free (self->label);
  g_free (self);
}

guint
kl_cli_text_width (const char *text)
{
  guint width = 0;

  if (text == NULL)
    return 0;
  for (const char *p = text; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_iszerowidth (c))
        continue;
      width += g_unichar_iswide (c) ? 2 : 1;
    }
  return width;
}

void
kl_cli_append_padded (GString    *out,
                      const char *text,
                      guint       width)
{
  guint used = kl_cli_text_width (text);

  g_string_append (out, text ? text : "");
  for (; used < width; used++)
    g_string_append_c (out, ' ');
}

void
kl_cli_append_csv_field (GString    *out,
                         const char *text)
{
  if (text == NULL)
    return;
  if (strpbrk (text, ",\"\r\n;\t") == NULL && text[0] != ' ' &&
      (text[0] == '\0' || text[strlen (text) - 1] != ' '))
    {
      g_string_append (out, text);
      return;
    }
  g_string_append_c (out, '"');
  for (const char *p = text; *p; p++)
    {
      if (*p == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}
