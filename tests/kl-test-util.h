/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the test programs share, GLib and core only: temporary directories,
 * workspaces (empty, filled with the demo, or copied from a template),
 * waiting on the main context, reads through the worker, the message
 * catalogues, JSON, and keyline-cli run as a child process. The widget
 * helpers are in kl-test-gui-util.h. */
#pragma once

#include <json-glib/json-glib.h>

#include "kl-database.h"
#include "kl-worker.h"

G_BEGIN_DECLS

/* Files */

/* A new directory from g_dir_make_tmp (); fails the test if there is none. */
char       *kl_test_make_tmp_dir          (const char *tmpl);
/* Removes path and, for a directory, all below it (links are removed, not
 * followed). TRUE when nothing is left at path, as `rm -rf` succeeding. */
gboolean    kl_test_remove_tree           (const char *path);

/* Workspaces */

/* The first column of the first row of sql (a count, mostly); fails the
 * test when there is no row. */
gint64      kl_test_query_int             (KlDatabase *db,
                                           const char *sql);
/* Creates the workspace at path; fails the test if it cannot. */
KlDatabase *kl_test_create_workspace      (const char *path);
/* The same, filled with the demo's n_customers over years ending with
 * last_month (yyyymm; 0 for the month before today), default seed. */
KlDatabase *kl_test_create_demo_workspace (const char *path,
                                           guint       n_customers,
                                           guint       years,
                                           int         last_month);
/* Copies the workspace file template_path to dir/workspace.db and opens the
 * copy (a template made once saves each test the demo fill). */
KlDatabase *kl_test_open_workspace_copy   (const char *template_path,
                                           const char *dir);
/* Saves a local customer with only code and name; returns its id. */
char       *kl_test_add_customer          (KlDatabase *db,
                                           const char *code,
                                           const char *name);
/* Saves n such customers, C001 "客户 1", C002 "客户 2"…; ids[i] takes the
 * id of the (i + 1)th. */
void        kl_test_add_numbered_customers (KlDatabase  *db,
                                            char       **ids,
                                            guint        n);

/* Times */

/* The Unix time of an ISO 8601 date and time; fails the test if it is not
 * one. */
gint64      kl_test_unix_time             (const char *iso8601);

/* Waiting on the main context */

/* Holds when the wait is over; fixture and data are those given to
 * kl_test_wait_for (). */
typedef gboolean (*KlTestCondition) (gpointer      fixture,
                                     gconstpointer data);

/* A condition that takes a test's own fixture type in place of gpointer,
 * cast as G_CALLBACK () casts signal handlers. */
#define KL_TEST_CONDITION(f) ((KlTestCondition) (void (*) (void)) (f))

/* Runs the default main context until condition holds; fails the test,
 * naming what it waited for, after timeout_seconds. */
void        kl_test_wait_for              (gpointer         fixture,
                                           KlTestCondition  condition,
                                           gconstpointer    data,
                                           const char      *what,
                                           guint            timeout_seconds);
/* Dispatches what the default main context has ready, without waiting. */
void        kl_test_iterate_pending       (void);

/* The worker */

/* Runs func as a read job on worker and waits for it; fails the test if the
 * job fails or takes longer than timeout_seconds. Returns the result. */
gpointer    kl_test_worker_read           (KlWorker       *worker,
                                           KlWorkerFunc    func,
                                           gpointer        data,
                                           GDestroyNotify  data_free,
                                           GDestroyNotify  result_free,
                                           guint           timeout_seconds);

/* Translations */

/* When the environment variable dir_variable names a directory, takes
 * Keyline's message catalogues from there (the build tree's, for
 * screenshots in another language), first setting the locale from the
 * environment when set_locale. */
void        kl_test_bind_text_domain      (const char *dir_variable,
                                           gboolean    set_locale);

/* JSON */

/* The parsed document; fails the test if text is not JSON. */
JsonNode   *kl_test_parse_json            (const char *text);

/* keyline-cli as a child process ($KEYLINE_CLI) */

/* What one run left: its exit status, standard output and error. */
typedef struct {
  int   status;
  char *out;
  char *err;
} KlTestRun;

void        kl_test_run_clear             (KlTestRun *run);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (KlTestRun, kl_test_run_clear)

/* Where keyline-cli runs: a private directory (its working directory), the
 * environment, and the workspace given as --workspace (none when NULL; set
 * it after kl_test_cli_init (), kl_test_cli_clear () frees it). */
typedef struct {
  char  *dir;
  char  *workspace;
  char **env;
} KlTestCli;

/* Makes the directory from tmpl and an environment from this process's
 * with XDG_DATA_HOME at data_home below the directory (the directory itself
 * when NULL), TZ set to tz (unless NULL), LC_ALL=C.UTF-8 and no
 * KEYLINE_WORKSPACE. */
void        kl_test_cli_init              (KlTestCli  *cli,
                                           const char *tmpl,
                                           const char *data_home,
                                           const char *tz);
/* Removes the directory and frees what cli holds. */
void        kl_test_cli_clear             (KlTestCli *cli);
/* Runs keyline-cli with the arguments of a NULL-terminated array; fails the
 * test if it cannot start or does not exit. */
KlTestRun   kl_test_cli_runv              (const KlTestCli    *cli,
                                           const char * const *args);
/* The same with NULL-terminated arguments. */
KlTestRun   kl_test_cli_run               (const KlTestCli *cli,
                                           const char      *first,
                                           ...) G_GNUC_NULL_TERMINATED;
/* The run exited with status and wrote one line "keyline-cli: …". */
void        kl_test_assert_one_error_line (const KlTestRun *run,
                                           int              status);
/* Skips the test (TRUE) when $KEYLINE_CLI is not set. */
gboolean    kl_test_skip_without_cli      (void);

/* A job that holds a worker until released, so that what is queued behind
 * it starts only then. */
typedef struct {
  GMutex   lock;
  GCond    cond;
  gboolean started;
  gboolean released;
} KlTestWorkerHold;

/* Queues the holding job and returns once it runs. */
void        kl_test_worker_hold           (KlWorker         *worker,
                                           KlTestWorkerHold *hold);
/* Lets it end. */
void        kl_test_worker_release        (KlTestWorkerHold *hold);

G_END_DECLS
