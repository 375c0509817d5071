/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the commands of keyline-cli share: exit statuses, the workspace,
 * messages, option parsing and progress on a terminal. */
#pragma once

#include <gio/gio.h>
#include "kl-database.h"

G_BEGIN_DECLS

/* Exit statuses as in sysexits.h. */
typedef enum {
  KL_EXIT_OK          = 0,
  KL_EXIT_USAGE       = 64,
  KL_EXIT_DATAERR     = 65,
  KL_EXIT_NOINPUT     = 66,
  KL_EXIT_UNAVAILABLE = 69,
  KL_EXIT_SOFTWARE    = 70,
  KL_EXIT_CANTCREAT   = 73,
  KL_EXIT_TEMPFAIL    = 75,
  KL_EXIT_NOPERM      = 77,
} KlExit;

typedef struct {
  char *workspace;     /* --workspace, or NULL for the default */
  char *command;       /* "demo", "import shipments", … for messages */
} KlCli;

/* One line on stderr: "keyline-cli: …". */
void         kl_cli_error             (const char *format, ...) G_GNUC_PRINTF (1, 2);
/* Text on stdout exactly as given (UTF-8 whatever the locale). */
void         kl_cli_print             (const char *text);
void         kl_cli_printf            (const char *format, ...) G_GNUC_PRINTF (1, 2);

/* Opens the workspace; on failure prints why and sets *out_status. Without
 * create, a missing workspace is an error and nothing is created. */
KlDatabase  *kl_cli_open_workspace    (KlCli       *cli,
                                       gboolean     create,
                                       int         *out_status);
/* Closes a workspace this command created, and removes its files unless
 * another program has written to it meanwhile. */
void         kl_cli_discard_workspace (KlDatabase *db);

/* The exit status for an error (creating: the command writes the workspace). */
int          kl_cli_status_for_error  (const GError *error,
                                       KlDatabase   *db,
                                       gboolean      creating);
/* Prints error and returns its exit status. */
int          kl_cli_fail              (const GError *error,
                                       KlDatabase   *db,
                                       gboolean      creating);

/* An option context for a command, with --workspace added. parameter is
 * the positional part of the usage line ("FILE"), summary one sentence. */
GOptionContext *kl_cli_option_context (KlCli              *cli,
                                       const char         *parameter,
                                       const char         *summary,
                                       const GOptionEntry *entries);
/* Parses; on a usage error prints it and returns FALSE. */
gboolean     kl_cli_parse             (KlCli          *cli,
                                       GOptionContext *context,
                                       int            *argc,
                                       char         ***argv);
/* Prints a usage error naming the command's --help and returns KL_EXIT_USAGE. */
int          kl_cli_usage_error       (KlCli      *cli,
                                       const char *format,
                                       ...) G_GNUC_PRINTF (2, 3);

/* Progress on stderr, only when stderr is a terminal. */
typedef struct _KlCliProgress KlCliProgress;
KlCliProgress *kl_cli_progress_new    (const char *label);
void         kl_cli_progress_update   (double fraction, gpointer progress);
void         kl_cli_progress_free     (KlCliProgress *progress);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KlCliProgress, kl_cli_progress_free)

/* Display width of UTF-8 text on a terminal (CJK counts two). */
guint        kl_cli_text_width        (const char *text);
/* Appends text padded with spaces to width columns. */
void         kl_cli_append_padded     (GString *out, const char *text, guint width);
/* Appends one CSV field (quoted when needed). */
void         kl_cli_append_csv_field  (GString *out, const char *text);

/* The commands. argv[0] is the command's last word. */
int          kl_cli_demo              (KlCli *cli, int argc, char **argv);
int          kl_cli_import            (KlCli *cli, int argc, char **argv);
int          kl_cli_profiles          (KlCli *cli, int argc, char **argv);
int          kl_cli_customers_list    (KlCli *cli, int argc, char **argv);
int          kl_cli_customers_show    (KlCli *cli, int argc, char **argv);
int          kl_cli_check             (KlCli *cli, int argc, char **argv);
int          kl_cli_report            (KlCli *cli, int argc, char **argv);
int          kl_cli_sync              (KlCli *cli, int argc, char **argv);
int          kl_cli_portfolio         (KlCli *cli, int argc, char **argv);

G_END_DECLS
