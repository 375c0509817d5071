/* SPDX-License-Identifier: GPL-3.0-or-later */
/* keyline-bench --window: the window on a large workspace, measured from
 * inside the process as a person would use it.
 *
 * - first content: from activating the application until the frame that
 *   shows the Customers page with its count and first rows has been painted;
 * - a frame-clock probe: while the list scrolls, a search is typed and the
 *   pages are switched, the longest frame (the clock's phases from
 *   before-paint to after-paint) and the longest time between two frames
 *   (which also counts whatever else held the main thread);
 * - resident memory;
 * - idle CPU: 5 seconds of an idle window, with its main-loop wake-ups and
 *   frames.
 * Nothing here passes or fails on a clock. */
#include "config.h"

#include <malloc.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include <adwaita.h>
#include <glib/gstdio.h>

#include "kl-application.h"
#include "kl-bench-window.h"
#include "kl-customer-list-model.h"
#include "kl-customer-store.h"
#include "kl-customers-page.h"
#include "kl-database.h"
#include "kl-customer-item.h"
#include "kl-portfolio-page.h"
#include "kl-window.h"

#define WAIT_SECONDS    120
#define IDLE_SECONDS    5
#define SCROLL_FRAMES   300
#define JUMP_FRAMES     160
#define JUMP_EVERY      4

static void
figure (const char *name,
        double      value,
        int         decimals,
        const char *unit)
{
  printf ("%s %.*f %s\n", name, decimals, value, unit);
  fflush (stdout);
}

static void
note (const char *format, ...) G_GNUC_PRINTF (1, 2);

static void
note (const char *format, ...)
{
  va_list args;

  va_start (args, format);
  fputs ("# ", stderr);
  vfprintf (stderr, format, args);
  fputc ('\n', stderr);
  va_end (args);
}

/* CPU time of the whole process (every thread) in milliseconds. */
static double
process_cpu_ms (void)
{
  struct timespec ts;

  if (clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &ts) != 0)
    return 0;
  return ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6;
}

/* CPU time of this (the main) thread in milliseconds. */
static double
thread_cpu_ms (void)
{
  struct timespec ts;

  if (clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts) != 0)
    return 0;
  return ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6;
}

/* A line of /proc/self/status in MB, e.g. "VmRSS:". */
static double
status_mb (const char *key)
{
  g_autofree char *text = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &text, NULL, NULL))
    return 0;
  line = strstr (text, key);
  if (line == NULL)
    return 0;
  return g_ascii_strtod (line + strlen (key), NULL) / 1024.0;
}

/* Notes where the resident memory is: /proc/self/smaps summed by mapping
 * (a file, or anonymous memory: malloc's heaps, thread stacks). */
static void
note_resident_by_mapping (void)
{
  g_autofree char *text = NULL;
  g_autoptr(GHashTable) sizes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_auto(GStrv) lines = NULL;
  g_autoptr(GList) keys = NULL;
  const char *current = "[anonymous]";
  g_autofree char *current_owned = NULL;

  if (!g_file_get_contents ("/proc/self/smaps", &text, NULL, NULL))
    return;
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *line = lines[i];

      if (g_ascii_isxdigit (line[0]) && strchr (line, '-') != NULL && strchr (line, '-') < strchr (line, ' '))
        {
          /* "start-end perms offset dev inode   path" */
          const char *path = line;

          for (int field = 0; field < 5 && path != NULL; field++)
            {
              path = strchr (path, ' ');
              while (path != NULL && *path == ' ')
                path++;
            }
          g_free (current_owned);
          current_owned = g_strdup (path != NULL && *path != '\0' ? path : "[anonymous]");
          /* Group shared libraries and fonts by kind, the rest by name. */
          if (strstr (current_owned, ".so") != NULL)
            current = "shared libraries";
          else if (strstr (current_owned, "/fonts/") != NULL)
            current = "fonts";
          else
            current = current_owned;
        }
      else if (g_str_has_prefix (line, "Rss:"))
        {
          double *kb = g_hash_table_lookup (sizes, current);

          if (kb == NULL)
            {
              kb = g_new0 (double, 1);
              g_hash_table_insert (sizes, g_strdup (current), kb);
            }
          *kb += g_ascii_strtod (line + 4, NULL);
        }
    }
  keys = g_hash_table_get_keys (sizes);
  for (GList *l = keys; l != NULL; l = l->next)
    {
      double kb = *(double *) g_hash_table_lookup (sizes, l->data);

      if (kb >= 4096)
        note ("window: resident %.0f MB in %s", kb / 1024, (const char *) l->data);
    }
}

/* The workspace for scrolling: customers only. */

static gboolean
make_customers_workspace (const char  *path,
                          int          n_customers,
                          GError     **error)
{
  static const char * const regions[] = { "华东", "华北", "华南", "西南", "华中", "东北", "西北" };
  g_autoptr(KlDatabase) db = kl_database_open (path, KL_DATABASE_OPEN_CREATE, error);
  gint64 begun = g_get_monotonic_time ();

  if (db == NULL)
    return FALSE;
  note ("window: making %s with %d customers and no shipments", path, n_customers);
  if (!kl_database_begin (db, error))
    return FALSE;
  for (int i = 0; i < n_customers; i++)
    {
      g_autoptr(KlCustomer) c = kl_customer_new ();

      c->code = g_strdup_printf ("W%06d", i + 1);
      c->name = i % 2 == 0 ? g_strdup_printf ("基准客户 %d 物流有限公司", i + 1)
                           : g_strdup_printf ("Bench Customer %d Trading Co.", i + 1);
      c->region = g_strdup (regions[i % G_N_ELEMENTS (regions)]);
      c->account_manager = g_strdup (i % 3 == 0 ? "张伟" : "Emily Chen");
      if (!kl_customer_store_save (db, c, KL_ORIGIN_IMPORT, NULL, error))
        {
          kl_database_rollback (db);
          return FALSE;
        }
    }
  if (!kl_database_commit (db, error))
    return FALSE;
  note ("window: %d customers in %.1f s", n_customers, (g_get_monotonic_time () - begun) / 1e6);
  return TRUE;
}

/* Waiting on the main loop. */

typedef gboolean (*Condition) (gpointer data);

/* Runs the main loop until condition holds; FALSE after WAIT_SECONDS. */
static gboolean
spin_until (Condition   condition,
            gpointer    data,
            const char *what)
{
  gint64 end = g_get_monotonic_time () + WAIT_SECONDS * G_USEC_PER_SEC;

  while (!condition (data))
    {
      if (g_get_monotonic_time () > end)
        {
          note ("window: gave up waiting for %s", what);
          return FALSE;
        }
      g_main_context_iteration (NULL, TRUE);
    }
  return TRUE;
}

/* A timer that only wakes the main loop. */
static gboolean
wake (gpointer data)
{
  return G_SOURCE_REMOVE;
}

/* Runs the main loop until the monotonic clock reaches end; returns how
 * many times it woke. Each wait has a timer that fires at end or after it
 * (a whole-second timer may fire early, and an idle window has nothing else
 * to wake the loop: the bench hung there now and then). */
static guint
iterate_until (gint64 end)
{
  guint wakeups = 0;
  gint64 now;

  while ((now = g_get_monotonic_time ()) < end)
    {
      GSource *timer = g_timeout_source_new ((guint) ((end - now) / 1000) + 1);

      g_source_set_callback (timer, wake, NULL, NULL);
      g_source_attach (timer, NULL);
      g_main_context_iteration (NULL, TRUE);
      wakeups++;
      if (!g_source_is_destroyed (timer))
        g_source_destroy (timer);
      g_source_unref (timer);
    }
  return wakeups;
}

static void
spin_for (double seconds)
{
  iterate_until (g_get_monotonic_time () + (gint64) (seconds * G_USEC_PER_SEC));
}

/* The probe. */

typedef struct {
  GtkWidget     *window;
  GdkFrameClock *clock;
  gint64         frame_begun;
  double         frame_cpu_begun;
  double         frame_cpu_max_ms;
  gint64         last_frame;
  gint64         layout_done;  /* this frame's layout phase ended */
  double         layout_ms_of_max;  /* the longest frame's update + layout */
  const char    *max_label;         /* what the script did then */
  gint64         max_begun;         /* when it began */
  /* the current phase's figures */
  double         frame_max_ms;
  double         gap_max_ms;
  guint          frames;
  guint          frames_over_16;
  guint          gaps_over_33;
  gboolean       measuring;
  const char    *label;       /* what the script is doing */
  const char    *gap_label;   /* what it did during the longest gap */
  double         cpu_begun;
  /* first content */
  gboolean       first_page;
  gboolean       painted_after_content;
  guint          frames_total;
  /* scripted input, one step per frame */
  GtkAdjustment *vadjustment;
  guint          step;
  guint          n_steps;
  GRand         *rand;
  /* KL_BENCH_LOG_FRAMES set: a note for every frame over 16 ms, or over
   * KL_BENCH_LOG_FRAMES_MS when that is set */
  gboolean       log_frames;
  double         log_frames_ms;
} Probe;

static void
before_paint (GdkFrameClock *clock,
              Probe         *probe)
{
  gint64 now = g_get_monotonic_time ();

  probe->frame_begun = now;
  probe->layout_done = now;
  probe->frame_cpu_begun = thread_cpu_ms ();
  if (probe->measuring && probe->last_frame > 0)
    {
      double gap = (now - probe->last_frame) / 1000.0;

      if (gap > probe->gap_max_ms)
        probe->gap_label = probe->label;
      probe->gap_max_ms = MAX (probe->gap_max_ms, gap);
      if (gap > 33.4)
        probe->gaps_over_33++;
    }
  probe->last_frame = now;
}

static void
after_paint (GdkFrameClock *clock,
             Probe         *probe)
{
  double ms = (g_get_monotonic_time () - probe->frame_begun) / 1000.0;

  probe->frames_total++;
  if (probe->first_page)
    probe->painted_after_content = TRUE;
  if (!probe->measuring)
    return;
  probe->frames++;
  if (ms > probe->frame_max_ms)
    {
      probe->layout_ms_of_max = (probe->layout_done - probe->frame_begun) / 1000.0;
      probe->max_label = probe->label;
      probe->max_begun = probe->frame_begun;
    }
  probe->frame_max_ms = MAX (probe->frame_max_ms, ms);
  probe->frame_cpu_max_ms = MAX (probe->frame_cpu_max_ms, thread_cpu_ms () - probe->frame_cpu_begun);
  if (ms > 16.0)
    probe->frames_over_16++;
  if (ms > probe->log_frames_ms && probe->log_frames)
    note ("window: frame at %.3f s while %s: %.1f ms (%.1f ms CPU), %.1f ms in update and layout",
          probe->frame_begun / 1e6, probe->label ? probe->label : "-", ms,
          thread_cpu_ms () - probe->frame_cpu_begun, (probe->layout_done - probe->frame_begun) / 1000.0);
}

/* Connected after GDK's own handler: the end of update and layout. */
static void
layout_phase (GdkFrameClock *clock,
              Probe         *probe)
{
  probe->layout_done = g_get_monotonic_time ();
}

static void
probe_begin (Probe *probe)
{
  probe->frame_max_ms = 0;
  probe->frame_cpu_max_ms = 0;
  probe->gap_max_ms = 0;
  probe->frames = 0;
  probe->frames_over_16 = 0;
  probe->gaps_over_33 = 0;
  probe->last_frame = 0;
  probe->gap_label = NULL;
  probe->layout_ms_of_max = 0;
  probe->max_label = NULL;
  probe->cpu_begun = thread_cpu_ms ();
  probe->measuring = TRUE;
  /* For matching a profile (perf record -k CLOCK_MONOTONIC) to the phases. */
  note ("window: phase begins at %.3f s (monotonic)", g_get_monotonic_time () / 1e6);
}

static void
probe_end (Probe      *probe,
           const char *phase)
{
  g_autofree char *a = g_strdup_printf ("window_%s_frame_max_ms", phase);
  g_autofree char *b = g_strdup_printf ("window_%s_frame_gap_max_ms", phase);
  g_autofree char *c = g_strdup_printf ("window_%s_frames", phase);
  g_autofree char *d = g_strdup_printf ("window_%s_frames_over_16ms", phase);
  g_autofree char *e = g_strdup_printf ("window_%s_gaps_over_33ms", phase);
  g_autofree char *g = g_strdup_printf ("window_%s_main_thread_cpu_ms", phase);
  g_autofree char *h = g_strdup_printf ("window_%s_frame_cpu_max_ms", phase);

  probe->measuring = FALSE;
  note ("window: %s ends at %.3f s (monotonic); its longest frame began at %.3f s while %s and spent %.1f ms in update and layout, the rest painting",
        phase, g_get_monotonic_time () / 1e6, probe->max_begun / 1e6, probe->max_label ? probe->max_label : "-", probe->layout_ms_of_max);
  figure (g, thread_cpu_ms () - probe->cpu_begun, 0, "ms");
  if (probe->gap_label != NULL)
    note ("window: %s: the longest gap between frames came while %s", phase, probe->gap_label);
  figure (a, probe->frame_max_ms, 1, "ms");
  /* The same frame's work as main-thread CPU time: on a busy machine the
   * wall clock also counts waiting for a core. */
  figure (h, probe->frame_cpu_max_ms, 1, "ms");
  figure (b, probe->gap_max_ms, 1, "ms");
  figure (c, probe->frames, 0, "count");
  figure (d, probe->frames_over_16, 0, "count");
  figure (e, probe->gaps_over_33, 0, "count");
}

/* Keeps frames coming (as an animation would) so gaps show stalls. */
static gboolean
keep_ticking (GtkWidget     *widget,
              GdkFrameClock *clock,
              gpointer       data)
{
  return G_SOURCE_CONTINUE;
}

/* One scroll step per frame: a screenful at a time, then jumps. */
static gboolean
scroll_tick (GtkWidget     *widget,
             GdkFrameClock *clock,
             gpointer       data)
{
  Probe *probe = data;
  GtkAdjustment *adj = probe->vadjustment;
  double upper = gtk_adjustment_get_upper (adj) - gtk_adjustment_get_page_size (adj);

  if (probe->step >= probe->n_steps)
    return G_SOURCE_REMOVE;
  if (probe->step < SCROLL_FRAMES)
    gtk_adjustment_set_value (adj, MIN (upper, gtk_adjustment_get_value (adj) +
                                        gtk_adjustment_get_page_size (adj)));
  else if ((probe->step - SCROLL_FRAMES) % JUMP_EVERY == 0)
    gtk_adjustment_set_value (adj, g_rand_double_range (probe->rand, 0, MAX (upper, 0)));
  probe->step++;
  return G_SOURCE_CONTINUE;
}

static gboolean
scroll_done (gpointer data)
{
  Probe *probe = data;

  return probe->step >= probe->n_steps;
}

/* Conditions. */

typedef struct {
  KlApplication       *app;
  KlWindow            *window;
  KlCustomerListModel *model;
  Probe               *probe;
  GtkWidget           *portfolio;
} State;

static gboolean
window_open (gpointer data)
{
  State *s = data;
  GList *windows = gtk_application_get_windows (GTK_APPLICATION (s->app));

  return windows != NULL && KL_IS_WINDOW (windows->data);
}

static gboolean
first_content (gpointer data)
{
  State *s = data;

  return s->probe->painted_after_content;
}

static gboolean
list_settled (gpointer data)
{
  State *s = data;

  return !kl_customer_list_model_get_loading (s->model);
}

static gboolean
portfolio_settled (gpointer data)
{
  State *s = data;
  gboolean loading = TRUE;

  g_object_get (s->portfolio, "loading", &loading, NULL);
  return !loading;
}

static void
page_loaded (KlCustomerListModel *model,
             guint                offset,
             guint                n,
             Probe               *probe)
{
  if (offset == 0 && g_list_model_get_n_items (G_LIST_MODEL (model)) > 0)
    probe->first_page = TRUE;
}

/* The first widget of type under root, depth first; with mapped_only, the
 * first one on screen (a drop-down's popover holds a list view too). */
static GtkWidget *
find_of_type (GtkWidget *root,
              GType      type,
              gboolean   mapped_only)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type) && (!mapped_only || gtk_widget_get_mapped (root)))
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_of_type (child, type, mapped_only);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* Notes every spinner spinning under root, named by the types of its
 * ancestors: its CSS animation keeps the window's style machinery ticking
 * a frame at a time, on screen or not. */
static void
note_spinning (GtkWidget *root)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    note_spinning (child);
  if (GTK_IS_SPINNER (root) && gtk_spinner_get_spinning (GTK_SPINNER (root)))
    {
      g_autoptr(GString) path = g_string_new (NULL);

      for (GtkWidget *w = root; w != NULL; w = gtk_widget_get_parent (w))
        if (g_str_has_prefix (G_OBJECT_TYPE_NAME (w), "Kl"))
          g_string_prepend (path, G_OBJECT_TYPE_NAME (w)), g_string_prepend_c (path, '/');
      note ("window: a spinner spins in %s (%s)", path->str,
            gtk_widget_get_mapped (root) ? "on screen" : "not on screen");
    }
}

/* Idle: the main loop left alone on page for IDLE_SECONDS. */
static void
measure_idle (State      *s,
              const char *suffix)
{
  g_autofree char *a = g_strdup_printf ("idle_cpu_percent%s", suffix);
  g_autofree char *b = g_strdup_printf ("idle_wakeups%s", suffix);
  g_autofree char *c = g_strdup_printf ("idle_frames%s", suffix);
  gint64 begun, end;
  double cpu_begun;
  guint frames_begun = s->probe->frames_total, wakeups = 0;

  note_spinning (GTK_WIDGET (s->window));
  begun = g_get_monotonic_time ();
  end = begun + IDLE_SECONDS * G_USEC_PER_SEC;
  cpu_begun = process_cpu_ms ();
  wakeups = iterate_until (end);
  figure (a, (process_cpu_ms () - cpu_begun) / ((g_get_monotonic_time () - begun) / 1000.0) * 100.0,
          2, "%");
  /* The wake-up that ends the sample is ours. */
  figure (b, wakeups > 0 ? wakeups - 1 : 0, 0, "count");
  figure (c, s->probe->frames_total - frames_begun, 0, "count");
}

static void
show_page (State      *s,
           const char *name)
{
  note ("window: resident %.0f MB before showing %s", status_mb ("VmRSS:"), name);
  s->probe->label = g_intern_string (name);
  g_object_set (s->window, "visible-page", name, NULL);
}

int
kl_bench_window_run (const char *workspace,
                     int         n_customers)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KlApplication) app = NULL;
  Probe probe = { 0 };

  probe.log_frames = g_getenv ("KL_BENCH_LOG_FRAMES") != NULL;
  probe.log_frames_ms = g_getenv ("KL_BENCH_LOG_FRAMES_MS") ? g_ascii_strtod (g_getenv ("KL_BENCH_LOG_FRAMES_MS"), NULL) : 0;
  if (probe.log_frames_ms <= 0)
    probe.log_frames_ms = 16.0;
  State s = { 0 };
  GtkWidget *list_view, *scrolled, *search;
  gint64 begun, activated;
  double cpu_begun;
  guint tick;

  if (workspace == NULL)
    {
      g_printerr ("keyline-bench: --window needs --workspace PATH\n");
      return 64;
    }
  if (!g_file_test (workspace, G_FILE_TEST_EXISTS) &&
      !make_customers_workspace (workspace, n_customers > 0 ? n_customers : 100000, &error))
    {
      g_printerr ("keyline-bench: %s\n", error->message);
      return 1;
    }

  /* The build's schema, and settings that leave the user's alone. */
  g_setenv ("GSETTINGS_SCHEMA_DIR", KL_BENCH_SCHEMADIR, FALSE);
  g_setenv ("GSETTINGS_BACKEND", "memory", FALSE);

  begun = g_get_monotonic_time ();
  cpu_begun = process_cpu_ms ();
  if (!gtk_init_check ())
    {
      g_printerr ("keyline-bench: --window needs a display (try xvfb-run -a)\n");
      return 69;
    }
  adw_init ();
  app = kl_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  if (!g_application_register (G_APPLICATION (app), NULL, &error))
    {
      g_printerr ("keyline-bench: %s\n", error->message);
      return 1;
    }
  /* The window reopens on the page last used: measure the Customers page,
   * whose list and count are the first job on any workspace. */
  {
    g_autoptr(GSettings) settings = g_settings_new ("io.github.keyline.Keyline");

    g_settings_set_string (settings, "sidebar-page", "customers");
  }
  kl_application_set_workspace_path (app, workspace);

  s.app = app;
  s.probe = &probe;
  probe.rand = g_rand_new_with_seed (11);
  activated = g_get_monotonic_time ();
  g_application_activate (G_APPLICATION (app));
  if (!spin_until (window_open, &s, "the window"))
    return 1;
  s.window = KL_WINDOW (gtk_application_get_windows (GTK_APPLICATION (app))->data);
  probe.window = GTK_WIDGET (s.window);
  s.model = kl_customers_page_get_model (KL_CUSTOMERS_PAGE (kl_window_get_customers_page (s.window)));
  g_signal_connect (s.model, "page-loaded", G_CALLBACK (page_loaded), &probe);
  gtk_widget_realize (probe.window);
  probe.clock = gtk_widget_get_frame_clock (probe.window);
  g_signal_connect (probe.clock, "before-paint", G_CALLBACK (before_paint), &probe);
  g_signal_connect (probe.clock, "after-paint", G_CALLBACK (after_paint), &probe);
  g_signal_connect (probe.clock, "layout", G_CALLBACK (layout_phase), &probe);

  if (!spin_until (first_content, &s, "the first page of customers"))
    return 1;
  note ("window: %s, renderer %s, workspace %s", kl_window_get_visible_page (s.window),
        G_OBJECT_TYPE_NAME (gtk_native_get_renderer (GTK_NATIVE (s.window))), workspace);
  note ("window: first content at %.3f s (monotonic)", g_get_monotonic_time () / 1e6);
  figure ("window_first_content_ms", (g_get_monotonic_time () - activated) / 1000.0, 1, "ms");
  figure ("window_startup_ms", (g_get_monotonic_time () - begun) / 1000.0, 1, "ms");
  figure ("window_startup_cpu_ms", process_cpu_ms () - cpu_begun, 1, "ms");
  figure ("window_customers", g_list_model_get_n_items (G_LIST_MODEL (s.model)), 0, "count");
  figure ("window_first_content_rss_mb", status_mb ("VmRSS:"), 0, "MB");
  note_resident_by_mapping ();
  if (g_strcmp0 (kl_window_get_visible_page (s.window), "customers") != 0)
    note ("window: opened on %s, not on Customers", kl_window_get_visible_page (s.window));

  s.portfolio = find_of_type (GTK_WIDGET (s.window), KL_TYPE_PORTFOLIO_PAGE, FALSE);
  list_view = find_of_type (kl_window_get_customers_page (s.window), GTK_TYPE_LIST_VIEW, TRUE);
  scrolled = list_view != NULL ? gtk_widget_get_ancestor (list_view, GTK_TYPE_SCROLLED_WINDOW) : NULL;
  search = GTK_WIDGET (kl_customers_page_get_search_entry (KL_CUSTOMERS_PAGE (kl_window_get_customers_page (s.window))));
  spin_for (1.0);

  /* Scrolling: a screenful a frame, then jumps anywhere in the list. */
  if (scrolled != NULL)
    {
      double thread_begun = thread_cpu_ms ();
      gint64 scroll_begun = g_get_monotonic_time ();

      probe.vadjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scrolled));
      probe.step = 0;
      probe.label = "scrolling";
      probe.n_steps = SCROLL_FRAMES + JUMP_FRAMES;
      probe_begin (&probe);
      tick = gtk_widget_add_tick_callback (list_view, scroll_tick, &probe, NULL);
      spin_until (scroll_done, &probe, "scrolling");
      probe_end (&probe, "scroll");
      (void) tick;
      note ("window: scrolled to row %.0f of %u (%.1f s, main thread CPU %.0f ms)",
            gtk_adjustment_get_value (probe.vadjustment) /
              MAX (1.0, gtk_adjustment_get_upper (probe.vadjustment)) *
              g_list_model_get_n_items (G_LIST_MODEL (s.model)),
            g_list_model_get_n_items (G_LIST_MODEL (s.model)),
            (g_get_monotonic_time () - scroll_begun) / 1e6, thread_cpu_ms () - thread_begun);
      gtk_adjustment_set_value (probe.vadjustment, 0);
    }
  else
    note ("window: no customer list found to scroll");

  /* Searching: typed a key at a time, then cleared. */
  {
    const char *typed[] = { "B", "Be", "Ben", "Benc", "Bench", "Bench C", "", "基", "基准", "" };

    tick = gtk_widget_add_tick_callback (probe.window, keep_ticking, NULL, NULL);
    probe_begin (&probe);
    for (guint i = 0; i < G_N_ELEMENTS (typed); i++)
      {
        g_autofree char *label = g_strdup_printf ("typing \"%s\"", typed[i]);

        probe.label = g_intern_string (label);
        gtk_editable_set_text (GTK_EDITABLE (search), typed[i]);
        spin_for (0.15);
      }
    spin_for (0.5);
    spin_until (list_settled, &s, "the search");
    spin_for (0.3);
    probe_end (&probe, "search");
    /* The list back to every customer: how many of its first 20 items
     * have their customer (a row without one shows "Loading…"). */
    {
      guint loaded = 0, n = MIN (20, g_list_model_get_n_items (G_LIST_MODEL (s.model)));

      for (guint i = 0; i < n; i++)
        {
          g_autoptr(KlCustomerItem) item = g_list_model_get_item (G_LIST_MODEL (s.model), i);

          loaded += kl_customer_item_get_loaded (item);
        }
      figure ("window_search_first_rows_loaded", loaded, 0, "of 20");
    }

    /* Switching pages, each shown for a moment; the Portfolio until ready. */
    probe_begin (&probe);
    show_page (&s, "portfolio");
    spin_for (0.3);
    if (s.portfolio != NULL)
      spin_until (portfolio_settled, &s, "the portfolio");
    spin_for (0.3);
    show_page (&s, "claims");
    spin_for (0.6);
    show_page (&s, "reports");
    spin_for (1.5);
    show_page (&s, "customers");
    spin_for (0.6);
    show_page (&s, "portfolio");
    spin_for (0.6);
    show_page (&s, "customers");
    spin_for (0.6);
    probe_end (&probe, "pages");
    gtk_widget_remove_tick_callback (probe.window, tick);
  }

  /* Idle, on the page it opens on and on the Portfolio. */
  spin_for (2.0);
  measure_idle (&s, "");
  show_page (&s, "portfolio");
  spin_for (2.0);
  measure_idle (&s, "_portfolio");
  show_page (&s, "customers");
  spin_for (1.0);

  note_resident_by_mapping ();
  figure ("window_rss_mb", status_mb ("VmRSS:"), 0, "MB");
  figure ("window_peak_rss_mb", status_mb ("VmHWM:"), 0, "MB");
  /* What of that is heap freed but kept by malloc (in the worker's arena
   * too), against what is in use. */
  malloc_trim (0);
  figure ("window_rss_after_trim_mb", status_mb ("VmRSS:"), 0, "MB");

  g_signal_handlers_disconnect_by_data (probe.clock, &probe);
  g_signal_handlers_disconnect_by_data (s.model, &probe);
  gtk_window_destroy (GTK_WINDOW (s.window));
  spin_for (0.5);
  g_rand_free (probe.rand);
  return 0;
}
