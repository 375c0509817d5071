/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The Import dialog. The file is read asynchronously, checked with a dry run
 * on the worker, then imported in one transaction on the worker; cancelling
 * rolls that transaction back. */
#include "config.h"

#include <glib/gi18n.h>
#include "kl-gui-util.h"
#include "kl-import-dialog.h"
#include "kl-import-mapping.h"
#include "kl-enums.h"
#include "kl-import-profile-store.h"
#include "kl-csv.h"
#include "kl-database.h"

#define MAX_ERRORS_SHOWN 200
#define MAX_UNKNOWN_NAMED 20
#define HEAD_BYTES (64 * 1024)
#define MAX_SAMPLE_ROWS 50

struct _KlImportDialog {
  AdwWindow      parent_instance;

  KlWorker      *worker;
  GCancellable  *cancellable;
  /* The running import's own: Cancel stops it, and when it had already
   * written its rows, its result still comes back and is shown (the job's
   * cancellable would throw a finished job's result away). */
  GCancellable  *stop;
  GFile         *file;         /* read as a stream by each run, never whole */
  GBytes        *contents;     /* the file's first bytes, to guess its kind */
  char          *display_name;
  KlImportKind   kind;
  char          *summary;
  const char    *state;
  guint          generation;
  KlImportProfile *profile;    /* the file is read through it; NULL: as the contract writes it */
  char         **header;       /* the file's header, from its first bytes */
  GPtrArray     *samples;      /* GStrv: the first rows */

  /* template */
  AdwWindowTitle *window_title;
  GtkStack      *stack;
  AdwComboRow   *kind_row;
  AdwActionRow  *summary_row;
  AdwComboRow   *profile_row;
  GPtrArray     *saved;        /* KlImportProfile: the saved ones, the file's own first */
  KlImportMapping *mapping;
  AdwActionRow  *encoding_row;
  AdwActionRow  *unknown_row;
  AdwPreferencesGroup *errors_group;
  GtkListBox    *errors_list;
  GtkSwitch     *skip_switch;
  GtkProgressBar *progress_bar;
  AdwStatusPage *done_page;
  AdwStatusPage *error_page;
  AdwToastOverlay *toast_overlay;
  AdwToast        *run_toast;  /* what the last run ended with, while shown */
  GtkWidget     *import_button;
  GtkWidget     *cancel_button;
};

G_DEFINE_FINAL_TYPE (KlImportDialog, kl_import_dialog, ADW_TYPE_WINDOW)

enum {
  IMPORTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

typedef struct {
  KlImportKind     kind;
  char            *display_name;
  GFile           *file;
  KlImportFlags    flags;
  KlImportProfile *profile;
  GCancellable    *stop;      /* the run's; NULL for a check */
} ImportJob;

static void
import_job_free (ImportJob *job)
{
  g_free (job->display_name);
  g_object_unref (job->file);
  kl_import_profile_free (job->profile);
  g_clear_object (&job->stop);
  g_free (job);
}

static void
job_progress (double   fraction,
              gpointer job)
{
  kl_worker_job_progress (job, fraction, NULL);
}

static gpointer
import_job (KlDatabase   *db,
            gpointer      data,
            KlWorkerJob  *job,
            GError      **error)
{
  ImportJob *import = data;
  gpointer result;

  /* An import touches every month's rollup rows over and over. */
  kl_database_set_cache_size (db, KL_GUI_DB_BULK_CACHE_KIB, NULL);
  result = kl_import_run_file_with_profile (db, import->kind, import->file, import->display_name,
                                            import->profile, import->flags, job_progress, job,
                                            import->stop != NULL ? import->stop : kl_worker_job_get_cancellable (job),
                                            error);
  kl_database_set_cache_size (db, KL_GUI_DB_CACHE_KIB, NULL);
  return result;
}

static void
set_state (KlImportDialog *self,
           const char     *state)
{
  gboolean can_import;

  self->state = state;
  /* A file that cannot be read as the chosen kind stays on the preview, so
   * another kind can be chosen. */
  gtk_stack_set_visible_child_name (self->stack, g_str_equal (state, "invalid") ? "preview" : state);
  can_import = g_str_equal (state, "preview");
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "import.run", can_import);
  /* In the mapping step the same button saves the profile and checks the
   * file through it. */
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "import.save-mapping", g_str_equal (state, "mapping"));
  gtk_button_set_label (GTK_BUTTON (self->import_button),
                        g_str_equal (state, "mapping") ? _("_Save and Check") : _("_Import"));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->import_button),
                                  g_str_equal (state, "mapping") ? "import.save-mapping" : "import.run");
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "import.cancel",
                                 !g_str_equal (state, "done"));
  /* Once done, only the page's Close button is left. */
  gtk_widget_set_visible (self->import_button, !g_str_equal (state, "done"));
  gtk_widget_set_visible (self->cancel_button, !g_str_equal (state, "done"));
}

static void open_mapping (KlImportDialog *self, const KlImportProfile *profile);
static void show_profile_choices (KlImportDialog *self);
static gboolean header_fits (char **header, KlImportKind kind);

static void
show_error (KlImportDialog *self,
            const char     *message)
{
  g_autofree char *escaped = g_markup_escape_text (message, -1);

  adw_status_page_set_description (self->error_page, escaped);
  set_state (self, "error");
}

static AdwToast *
add_toast (KlImportDialog *self,
           const char     *message)
{
  g_autofree char *escaped = g_markup_escape_text (message, -1);
  AdwToast *toast = adw_toast_new (escaped);

  adw_toast_overlay_add_toast (self->toast_overlay, toast);
  return toast;
}

/* The counts for people, in the interface's language (the summary line
 * kl_import_result_summary () makes is for scripts and stays English). */
static char *
summary_text (const KlImportResult *result)
{
  /* Translators: the counts of an import's rows */
  return g_strdup_printf (_("%u new, %u updated, %u unchanged, %u bad"),
                          result->n_new, result->n_updated, result->n_unchanged, result->n_bad);
}

static void
clear_errors (KlImportDialog *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->errors_list))) != NULL)
    gtk_list_box_remove (self->errors_list, child);
}

static void
add_error_row (KlImportDialog *self,
               const char     *text,
               gboolean        dim)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  gtk_widget_add_css_class (label, dim ? "dim-label" : "import-error");
  gtk_widget_set_margin_top (label, 6);
  gtk_widget_set_margin_bottom (label, 6);
  gtk_widget_set_margin_start (label, 12);
  gtk_widget_set_margin_end (label, 12);
  gtk_list_box_append (self->errors_list, label);
}

static void
show_preview (KlImportDialog       *self,
              const KlImportResult *result)
{
  g_autofree char *rows = NULL;
  g_autofree char *encoding = NULL;
  const char *delimiter;

  g_autofree char *counts = summary_text (result);

  g_free (self->summary);
  self->summary = kl_import_result_summary (result);

  gtk_widget_set_visible (GTK_WIDGET (self->profile_row), self->profile != NULL);
  if (self->profile != NULL)
    show_profile_choices (self);

  rows = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u row checked", "%u rows checked",
                                       result->n_rows), result->n_rows);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->summary_row), rows);
  adw_action_row_set_subtitle (self->summary_row, counts);

  switch (result->delimiter)
    {
    case ';':
      delimiter = _("semicolons");
      break;
    case '\t':
      delimiter = _("tabs");
      break;
    default:
      delimiter = _("commas");
      break;
    }
  /* Translators: "UTF-8, separated by commas" */
  encoding = g_strdup_printf (_("%s, separated by %s"),
                              result->encoding ? result->encoding : "UTF-8", delimiter);
  adw_action_row_set_subtitle (self->encoding_row, encoding);
  gtk_widget_set_visible (GTK_WIDGET (self->encoding_row), TRUE);
  gtk_widget_remove_css_class (GTK_WIDGET (self->summary_row), "error");

  if (result->unknown_columns != NULL && result->unknown_columns->len > 0)
    {
      g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
      g_auto(GStrv) names = NULL;
      g_autofree char *joined = NULL;
      g_autofree char *escaped = NULL;

      guint n = result->unknown_columns->len;
      guint named = MIN (n, MAX_UNKNOWN_NAMED);

      /* A long list names the first few and counts the rest. */
      for (guint i = 0; i < named; i++)
        g_strv_builder_add (builder, g_ptr_array_index (result->unknown_columns, i));
      if (n > named)
        {
          g_autofree char *more = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "and %u more", "and %u more",
                                                                n - named), n - named);

          g_strv_builder_add (builder, more);
        }
      names = g_strv_builder_end (builder);
      joined = g_strjoinv (", ", names);
      /* Row subtitles are markup; these names come from the file. */
      escaped = g_markup_escape_text (joined, -1);
      adw_action_row_set_subtitle (self->unknown_row, escaped);
      gtk_widget_set_visible (GTK_WIDGET (self->unknown_row), TRUE);
    }
  else
    gtk_widget_set_visible (GTK_WIDGET (self->unknown_row), FALSE);

  clear_errors (self);
  if (result->errors != NULL)
    {
      guint shown = MIN (result->errors->len, MAX_ERRORS_SHOWN);

      for (guint i = 0; i < shown; i++)
        add_error_row (self, g_ptr_array_index (result->errors, i), FALSE);
      if (result->errors->len > shown)
        {
          g_autofree char *more = NULL;
          guint rest = result->errors->len - shown;

          more = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "and %u more bad row",
                                               "and %u more bad rows", rest), rest);
          add_error_row (self, more, TRUE);
        }
    }
  gtk_widget_set_visible (GTK_WIDGET (self->errors_group), result->n_bad > 0);

  set_state (self, "preview");
}

/* The file cannot be read as the chosen kind (a missing column, say). */
static void
show_invalid (KlImportDialog *self,
              const char     *message)
{
  g_autofree char *escaped = g_markup_escape_text (message, -1);

  g_clear_pointer (&self->summary, g_free);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->summary_row),
                                 _("This file cannot be imported as chosen"));
  adw_action_row_set_subtitle (self->summary_row, escaped);
  gtk_widget_set_visible (GTK_WIDGET (self->encoding_row), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->unknown_row), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->errors_group), FALSE);
  gtk_widget_add_css_class (GTK_WIDGET (self->summary_row), "error");
  set_state (self, "invalid");
}

/* A request holds the dialog weakly: a job that finishes after the dialog
 * was closed must not keep it alive past its transient parent. */
typedef struct {
  GWeakRef        self_ref;
  KlImportDialog *self;        /* set while the callback runs */
  KlWorker       *worker;
  guint           generation;
} Request;

static Request *
request_new (KlImportDialog *self)
{
  Request *request = g_new0 (Request, 1);

  g_weak_ref_init (&request->self_ref, self);
  request->worker = g_object_ref (self->worker);
  request->generation = self->generation;
  return request;
}

static void
request_free (Request *request)
{
  g_clear_object (&request->self);
  g_weak_ref_clear (&request->self_ref);
  g_object_unref (request->worker);
  g_free (request);
}

/* Takes a strong reference for the callback; FALSE when the dialog is gone
 * or has moved on to another request. */
static gboolean
request_is_current (Request *request)
{
  request->self = g_weak_ref_get (&request->self_ref);
  return request->self != NULL && request->generation == request->self->generation;
}

static gboolean
is_cancelled (const GError *error)
{
  return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
         g_error_matches (error, KL_IMPORT_ERROR, KL_IMPORT_ERROR_CANCELLED) ||
         g_error_matches (error, KL_DATABASE_ERROR, KL_DATABASE_ERROR_CANCELLED);
}

static void
check_done (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  Request *request = user_data;
  KlImportDialog *self;
  g_autoptr(GError) error = NULL;
  g_autoptr(KlImportResult) import_result = NULL;

  import_result = kl_worker_run_finish (request->worker, result, &error);
  if (!request_is_current (request))
    goto out;
  self = request->self;
  if (import_result == NULL)
    {
      /* A file from another system goes to the mapping step; one of the
       * contract's other kind stays on the preview, which says why. */
      if (g_error_matches (error, KL_IMPORT_ERROR, KL_IMPORT_ERROR_HEADER) && self->header != NULL &&
          (self->profile != NULL ||
           (!header_fits (self->header, KL_IMPORT_SHIPMENTS) && !header_fits (self->header, KL_IMPORT_CUSTOMERS))))
        open_mapping (self, self->profile);
      else if (error != NULL && error->domain == KL_IMPORT_ERROR)
        show_invalid (self, error->message);
      else if (error != NULL && !is_cancelled (error))
        show_error (self, error->message);
      goto out;
    }
  show_preview (self, import_result);

out:
  request_free (request);
}

static void
check (KlImportDialog *self)
{
  ImportJob *job;

  g_return_if_fail (self->contents != NULL);

  self->generation++;
  g_clear_pointer (&self->summary, g_free);
  set_state (self, "loading");
  /* A cancelled import leaves its cancellable cancelled. */
  if (g_cancellable_is_cancelled (self->cancellable))
    {
      g_clear_object (&self->cancellable);
      self->cancellable = g_cancellable_new ();
    }

  job = g_new0 (ImportJob, 1);
  job->kind = self->kind;
  job->display_name = g_strdup (self->display_name);
  job->file = g_object_ref (self->file);
  job->flags = KL_IMPORT_FLAGS_DRY_RUN;
  job->profile = self->profile != NULL ? kl_import_profile_copy (self->profile) : NULL;
  kl_worker_run (self->worker, KL_WORKER_READ, import_job,
                 job, (GDestroyNotify) import_job_free,
                 (GDestroyNotify) kl_import_result_free,
                 NULL, NULL, self->cancellable,
                 check_done, request_new (self));
}

KlImportKind
kl_import_guess_kind (GBytes *contents)
{
  gsize size = 0;
  const char *data = g_bytes_get_data (contents, &size);
  const char *end;
  g_autofree char *header = NULL;
  g_autofree char *lower = NULL;

  if (data == NULL)
    return KL_IMPORT_CUSTOMERS;

  end = memchr (data, '\n', size);
  header = g_strndup (data, end ? (gsize) (end - data) : MIN (size, 4096));
  if (!g_utf8_validate (header, -1, NULL))
    {
      char *converted = g_convert (header, -1, "UTF-8", "GB18030", NULL, NULL, NULL);

      if (converted == NULL)
        return KL_IMPORT_CUSTOMERS;
      g_free (header);
      header = converted;
    }
  lower = g_utf8_strdown (header, -1);
  if (strstr (lower, "waybill") != NULL || strstr (lower, "运单号") != NULL)
    return KL_IMPORT_SHIPMENTS;
  return KL_IMPORT_CUSTOMERS;
}

/* What the file's first bytes tell, worked out off the main thread: the
 * header, the first rows, and a saved profile made for such a header. */
typedef struct {
  GBytes          *head;
  char           **header;
  GPtrArray       *samples;
  KlImportProfile *profile;
  GPtrArray       *saved;
} Head;

static void
head_free (Head *head)
{
  g_clear_pointer (&head->head, g_bytes_unref);
  g_strfreev (head->header);
  g_clear_pointer (&head->samples, g_ptr_array_unref);
  kl_import_profile_free (head->profile);
  g_clear_pointer (&head->saved, g_ptr_array_unref);
  g_free (head);
}

static void
read_rows (Head       *head,
           const char *name)
{
  g_autoptr(KlCsvReader) reader = kl_csv_reader_new (head->head, name, NULL);
  const KlCsvRecord *record;
  gboolean cut = g_bytes_get_size (head->head) >= HEAD_BYTES;

  head->samples = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  if (reader == NULL)
    return;
  while (head->samples->len <= MAX_SAMPLE_ROWS && kl_csv_reader_read (reader, &record, NULL))
    {
      char **fields;

      if (kl_csv_record_is_blank (record))
        continue;
      fields = g_new0 (char *, record->n_fields + 1);
      for (guint i = 0; i < record->n_fields; i++)
        fields[i] = g_strdup (record->fields[i]);
      if (head->header == NULL)
        head->header = fields;
      else
        g_ptr_array_add (head->samples, fields);
    }
  /* The last row of a cut head may be cut too. */
  if (cut && head->samples->len > 0)
    g_ptr_array_remove_index (head->samples, head->samples->len - 1);
}

/* TRUE when the header names every required column of kind as the
 * contract writes them. */
static gboolean
header_fits (char         **header,
             KlImportKind   kind)
{
  guint n;
  const KlImportContractColumn *columns = kl_import_contract_columns (kind, &n);

  for (guint f = 0; f < n; f++)
    {
      gboolean found = FALSE;

      if (!columns[f].required)
        continue;
      for (guint i = 0; header != NULL && header[i] != NULL && !found; i++)
        {
          g_autofree char *name = g_strstrip (g_strdup (header[i]));

          found = g_ascii_strcasecmp (name, columns[f].name) == 0 || g_str_equal (name, columns[f].alias);
        }
      if (!found)
        return FALSE;
    }
  return TRUE;
}

static void
open_mapping (KlImportDialog        *self,
              const KlImportProfile *profile)
{
  KlImportKind kind = self->kind;

  /* A file that fits neither contract is most often a transport system's. */
  if (profile == NULL && !header_fits (self->header, KL_IMPORT_CUSTOMERS))
    kind = KL_IMPORT_SHIPMENTS;
  kl_import_mapping_set_file (self->mapping, self->worker, self->file, self->display_name, kind,
                              (const char * const *) self->header, self->samples, profile);
  set_state (self, "mapping");
}

static void
file_loaded (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  Request *request = user_data;
  KlImportDialog *self;
  g_autoptr(GError) error = NULL;
  Head *head;

  head = g_task_propagate_pointer (G_TASK (result), &error);
  if (!request_is_current (request))
    goto out;
  self = request->self;
  if (head == NULL)
    {
      if (!is_cancelled (error))
        show_error (self, error->message);
      goto out;
    }

  g_clear_pointer (&self->contents, g_bytes_unref);
  self->contents = g_steal_pointer (&head->head);
  g_strfreev (self->header);
  self->header = g_steal_pointer (&head->header);
  g_clear_pointer (&self->samples, g_ptr_array_unref);
  self->samples = g_steal_pointer (&head->samples);
  g_clear_pointer (&self->profile, kl_import_profile_free);
  g_clear_pointer (&self->saved, g_ptr_array_unref);
  self->saved = g_steal_pointer (&head->saved);
  g_set_object (&self->file, G_FILE (source));
  self->kind = kl_import_guess_kind (self->contents);
  /* A profile saved for this header is offered first. */
  if (head->profile != NULL && !header_fits (self->header, self->kind))
    {
      self->profile = g_steal_pointer (&head->profile);
      self->kind = kl_import_profile_get_kind (self->profile);
    }
  /* Setting the row re-checks through notify::selected; block that and check once. */
  g_signal_handlers_block_matched (self->kind_row, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL, self);
  adw_combo_row_set_selected (self->kind_row, self->kind == KL_IMPORT_SHIPMENTS ? 0 : 1);
  g_signal_handlers_unblock_matched (self->kind_row, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL, self);
  if (self->profile == NULL && self->header != NULL &&
      !header_fits (self->header, KL_IMPORT_SHIPMENTS) && !header_fits (self->header, KL_IMPORT_CUSTOMERS))
    open_mapping (self, NULL);
  else
    check (self);
  head_free (head);

out:
  request_free (request);
}

/* Only the file's start is read here, to guess its kind and show its
 * columns; the runs read it as a stream. A directory, a device or a FIFO
 * is refused before it is opened. */
static void
read_head (GTask        *task,
           gpointer      source,
           gpointer      task_data,
           GCancellable *cancellable)
{
  GFile *file = source;
  g_autofree char *name = g_file_get_basename (file);
  g_autoptr(GFileInputStream) stream = NULL;
  g_autoptr(GError) error = NULL;
  Head *head;
  GBytes *bytes;

  if (!kl_import_check_file (file, name, &error) ||
      (stream = g_file_read (file, cancellable, &error)) == NULL ||
      (bytes = g_input_stream_read_bytes (G_INPUT_STREAM (stream), HEAD_BYTES, cancellable, &error)) == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  head = g_new0 (Head, 1);
  head->head = bytes;
  read_rows (head, name);
  if (head->header != NULL)
    {
      guint n = g_strv_length (head->header);
      g_autoptr(GError) profile_error = NULL;

      head->profile = kl_import_profile_store_find_for_header (NULL, KL_IMPORT_SHIPMENTS,
                                                               (const char * const *) head->header, n, &profile_error);
      if (head->profile == NULL && profile_error == NULL)
        head->profile = kl_import_profile_store_find_for_header (NULL, KL_IMPORT_CUSTOMERS,
                                                                 (const char * const *) head->header, n, &profile_error);
      if (profile_error != NULL)
        g_warning ("%s", profile_error->message);
      head->saved = kl_import_profile_store_list (NULL, NULL);
    }
  g_task_return_pointer (task, head, (GDestroyNotify) head_free);
}

/* Saving the mapping's profile, off the main thread. */
typedef struct {
  KlImportProfile *profile;
  char           **header;
} SaveJob;

static void
save_job_free (SaveJob *job)
{
  kl_import_profile_free (job->profile);
  g_strfreev (job->header);
  g_free (job);
}

static void
save_profile_thread (GTask        *task,
                     gpointer      source,
                     gpointer      task_data,
                     GCancellable *cancellable)
{
  SaveJob *job = task_data;
  GError *error = NULL;

  if (!kl_import_profile_store_save (NULL, job->profile, (const char * const *) job->header,
                                     job->header != NULL ? g_strv_length (job->header) : 0, TRUE, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
profile_saved (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  Request *request = user_data;
  KlImportDialog *self;
  g_autoptr(GError) error = NULL;
  SaveJob *job = g_task_get_task_data (G_TASK (result));

  if (!g_task_propagate_boolean (G_TASK (result), &error) && is_cancelled (error))
    goto out;
  if (!request_is_current (request))
    goto out;
  self = request->self;
  if (error != NULL)
    {
      set_state (self, "mapping");
      add_toast (self, error->message);
      goto out;
    }
  g_clear_pointer (&self->profile, kl_import_profile_free);
  self->profile = kl_import_profile_copy (job->profile);
  self->kind = kl_import_profile_get_kind (self->profile);
  g_signal_handlers_block_matched (self->kind_row, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL, self);
  adw_combo_row_set_selected (self->kind_row, self->kind == KL_IMPORT_SHIPMENTS ? 0 : 1);
  g_signal_handlers_unblock_matched (self->kind_row, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL, self);
  check (self);

out:
  request_free (request);
}

static void
save_mapping_activated (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  KlImportDialog *self = KL_IMPORT_DIALOG (widget);
  g_autoptr(KlImportProfile) profile = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GTask) task = NULL;
  SaveJob *job;

  if (!g_str_equal (self->state, "mapping"))
    return;
  profile = kl_import_mapping_get_profile (self->mapping);
  if (!kl_import_profile_validate (profile, &error))
    {
      add_toast (self, kl_text_is_blank (kl_import_profile_get_name (profile))
                       ? _("Give the profile a name, such as the system the file comes from")
                       : error->message);
      return;
    }
  self->generation++;
  set_state (self, "loading");
  job = g_new0 (SaveJob, 1);
  job->profile = g_steal_pointer (&profile);
  job->header = g_strdupv (self->header);
  task = g_task_new (NULL, self->cancellable, profile_saved, request_new (self));
  g_task_set_source_tag (task, save_mapping_activated);
  g_task_set_task_data (task, job, (GDestroyNotify) save_job_free);
  g_task_run_in_thread (task, save_profile_thread);
}

/* The saved profiles offered in the preview: the one in use first, then
 * the others, then none (Keyline's own columns). */
static void
show_profile_choices (KlImportDialog *self)
{
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  const char *current = self->profile != NULL ? kl_import_profile_get_name (self->profile) : NULL;

  g_signal_handlers_block_matched (self->profile_row, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL, self);
  if (current != NULL)
    gtk_string_list_append (names, current);
  for (guint i = 0; self->saved != NULL && i < self->saved->len; i++)
    {
      const char *name = kl_import_profile_get_name (g_ptr_array_index (self->saved, i));

      if (g_strcmp0 (name, current) != 0)
        gtk_string_list_append (names, name);
    }
  gtk_string_list_append (names, _("None: Keyline’s own columns"));
  adw_combo_row_set_model (self->profile_row, G_LIST_MODEL (names));
  adw_combo_row_set_selected (self->profile_row, 0);
  g_signal_handlers_unblock_matched (self->profile_row, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL, self);
}

static void
profile_chosen (KlImportDialog *self)
{
  GListModel *names = adw_combo_row_get_model (self->profile_row);
  guint selected = adw_combo_row_get_selected (self->profile_row);
  const char *name;

  if (names == NULL || selected == GTK_INVALID_LIST_POSITION || selected == 0)
    return;
  g_clear_pointer (&self->profile, kl_import_profile_free);
  name = gtk_string_list_get_string (GTK_STRING_LIST (names), selected);
  for (guint i = 0; selected + 1 < g_list_model_get_n_items (names) && self->saved != NULL && i < self->saved->len; i++)
    if (g_strcmp0 (kl_import_profile_get_name (g_ptr_array_index (self->saved, i)), name) == 0)
      {
        self->profile = kl_import_profile_copy (g_ptr_array_index (self->saved, i));
        break;
      }
  if (self->profile != NULL)
    {
      self->kind = kl_import_profile_get_kind (self->profile);
      g_signal_handlers_block_matched (self->kind_row, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL, self);
      adw_combo_row_set_selected (self->kind_row, self->kind == KL_IMPORT_SHIPMENTS ? 0 : 1);
      g_signal_handlers_unblock_matched (self->kind_row, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL, self);
    }
  /* Without a profile a file from another system goes to the mapping step. */
  check (self);
}

void
kl_import_dialog_choose_profile (KlImportDialog *self,
                                 const char     *name)
{
  GListModel *names;

  g_return_if_fail (KL_IS_IMPORT_DIALOG (self));
  names = adw_combo_row_get_model (self->profile_row);
  for (guint i = 0; names != NULL && i < g_list_model_get_n_items (names); i++)
    if ((name == NULL && i + 1 == g_list_model_get_n_items (names)) ||
        (name != NULL && i + 1 < g_list_model_get_n_items (names) &&
         g_strcmp0 (gtk_string_list_get_string (GTK_STRING_LIST (names), i), name) == 0))
      {
        adw_combo_row_set_selected (self->profile_row, i);
        return;
      }
}

static void
edit_mapping_activated (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  KlImportDialog *self = KL_IMPORT_DIALOG (widget);

  if (self->header == NULL || g_str_equal (self->state, "running"))
    return;
  self->generation++;
  open_mapping (self, self->profile);
}

void
kl_import_dialog_load_file (KlImportDialog *self,
                            GFile          *file)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (KL_IS_IMPORT_DIALOG (self));
  g_return_if_fail (G_IS_FILE (file));

  g_free (self->display_name);
  self->display_name = g_file_get_basename (file);
  adw_window_title_set_subtitle (self->window_title, self->display_name);

  self->generation++;
  set_state (self, "loading");
  task = g_task_new (file, self->cancellable, file_loaded, request_new (self));
  g_task_set_source_tag (task, kl_import_dialog_load_file);
  g_task_run_in_thread (task, read_head);
}

static void
kind_changed (KlImportDialog *self)
{
  KlImportKind kind = adw_combo_row_get_selected (self->kind_row) == 0
                      ? KL_IMPORT_SHIPMENTS : KL_IMPORT_CUSTOMERS;

  if (kind == self->kind || self->contents == NULL)
    return;
  self->kind = kind;
  check (self);
}

/* progress_data is the run's request: the worker stops calling once the
 * run has finished (and freed it), and the dialog may be gone before. */
static void
run_progress (double      fraction,
              const char *text,
              gpointer    user_data)
{
  Request *request = user_data;
  g_autoptr(KlImportDialog) self = g_weak_ref_get (&request->self_ref);

  if (self != NULL)
    gtk_progress_bar_set_fraction (self->progress_bar, fraction);
}

static void
run_done (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  Request *request = user_data;
  KlImportDialog *self;
  g_autoptr(GError) error = NULL;
  g_autoptr(KlImportResult) import_result = NULL;

  import_result = kl_worker_run_finish (request->worker, result, &error);
  if (!request_is_current (request))
    goto out;
  self = request->self;
  if (import_result == NULL)
    {
      if (error != NULL && is_cancelled (error))
        {
          set_state (self, "preview");
          g_set_weak_pointer (&self->run_toast, add_toast (self, _("Import cancelled. Nothing was written.")));
        }
      else
        show_error (self, error ? error->message : _("The import failed."));
      goto out;
    }
  if (!import_result->written)
    {
      g_autofree char *message = NULL;

      show_preview (self, import_result);
      message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                              "Nothing imported: %u bad row",
                                              "Nothing imported: %u bad rows",
                                              import_result->n_bad),
                                 import_result->n_bad);
      g_set_weak_pointer (&self->run_toast, add_toast (self, message));
      goto out;
    }

  g_free (self->summary);
  self->summary = kl_import_result_summary (import_result);
  {
    g_autofree char *counts = summary_text (import_result);
    g_autofree char *escaped = g_markup_escape_text (counts, -1);

    adw_status_page_set_description (self->done_page, escaped);
    set_state (self, "done");
    g_signal_emit (self, signals[IMPORTED], 0, counts);
  }

out:
  request_free (request);
}

static void
run_activated (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  KlImportDialog *self = KL_IMPORT_DIALOG (widget);
  ImportJob *job;
  Request *request;

  if (self->contents == NULL || !g_str_equal (self->state, "preview"))
    return;

  self->generation++;
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  g_clear_object (&self->stop);
  self->stop = g_cancellable_new ();
  /* A new run: what the last one said no longer holds. */
  if (self->run_toast != NULL)
    adw_toast_dismiss (self->run_toast);
  gtk_progress_bar_set_fraction (self->progress_bar, 0);
  set_state (self, "running");

  job = g_new0 (ImportJob, 1);
  job->kind = self->kind;
  job->display_name = g_strdup (self->display_name);
  job->file = g_object_ref (self->file);
  job->flags = gtk_switch_get_active (self->skip_switch)
               ? KL_IMPORT_FLAGS_SKIP_BAD : KL_IMPORT_FLAGS_NONE;
  job->profile = self->profile != NULL ? kl_import_profile_copy (self->profile) : NULL;
  job->stop = g_object_ref (self->stop);
  request = request_new (self);
  kl_worker_run (self->worker, KL_WORKER_WRITE, import_job,
                 job, (GDestroyNotify) import_job_free,
                 (GDestroyNotify) kl_import_result_free,
                 run_progress, request, self->cancellable,
                 run_done, request);
}

static void
cancel_activated (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  KlImportDialog *self = KL_IMPORT_DIALOG (widget);

  /* While running, cancelling stops the import (the worker rolls its
   * transaction back); otherwise it closes the dialog. */
  if (g_str_equal (self->state, "running"))
    {
      g_cancellable_cancel (self->stop);
      return;
    }
  gtk_window_close (GTK_WINDOW (self));
}

static gboolean
kl_import_dialog_close_request (GtkWindow *window)
{
  KlImportDialog *self = KL_IMPORT_DIALOG (window);

  g_cancellable_cancel (self->stop);
  g_cancellable_cancel (self->cancellable);
  return GTK_WINDOW_CLASS (kl_import_dialog_parent_class)->close_request (window);
}

static void
kl_import_dialog_dispose (GObject *object)
{
  KlImportDialog *self = KL_IMPORT_DIALOG (object);

  g_cancellable_cancel (self->stop);
  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), KL_TYPE_IMPORT_DIALOG);
  g_clear_object (&self->stop);
  g_clear_object (&self->cancellable);
  g_clear_weak_pointer (&self->run_toast);
  g_clear_object (&self->worker);
  g_clear_pointer (&self->contents, g_bytes_unref);
  g_clear_object (&self->file);
  g_clear_pointer (&self->profile, kl_import_profile_free);
  g_clear_pointer (&self->samples, g_ptr_array_unref);
  g_clear_pointer (&self->saved, g_ptr_array_unref);
  G_OBJECT_CLASS (kl_import_dialog_parent_class)->dispose (object);
}

static void
kl_import_dialog_finalize (GObject *object)
{
  KlImportDialog *self = KL_IMPORT_DIALOG (object);

  g_free (self->display_name);
  g_free (self->summary);
  g_strfreev (self->header);
  G_OBJECT_CLASS (kl_import_dialog_parent_class)->finalize (object);
}

static void
kl_import_dialog_class_init (KlImportDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = kl_import_dialog_dispose;
  object_class->finalize = kl_import_dialog_finalize;
  window_class->close_request = kl_import_dialog_close_request;

  /**
   * KlImportDialog::imported:
   * @summary: "new N, updated N, unchanged N, bad N"
   */
  signals[IMPORTED] =
    g_signal_new ("imported", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/keyline/Keyline/kl-import-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, KlImportDialog, window_title);
  gtk_widget_class_bind_template_child (widget_class, KlImportDialog, stack);
  gtk_widget_class_bind_template_child (widget_class, KlImportDialog, kind_row);
  gtk_widget_class_bind_template_child (widget_class, KlImportDialog, summary_row);
  gtk_widget_class_bind_template_child (widget_class, KlImportDialog, profile_row);
  gtk_widget_class_bind_template_child (widget_class, KlImportDialog, mapping);
  gtk_widget_class_bind_template_child (widget_class, KlImportDialog, encoding_row);
  gtk_widget_class_bind_template_child (widget_class, KlImportDialog, unknown_row);
  gtk_widget_class_bind_template_child (widget_class, KlImportDialog, errors_group);
  gtk_widget_class_bind_template_child (widget_class, KlImportDialog, errors_list);
  gtk_widget_class_bind_template_child (widget_class, KlImportDialog, skip_switch);
  gtk_widget_class_bind_template_child (widget_class, KlImportDialog, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, KlImportDialog, done_page);
  gtk_widget_class_bind_template_child (widget_class, KlImportDialog, error_page);
  gtk_widget_class_bind_template_child (widget_class, KlImportDialog, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, KlImportDialog, import_button);
  gtk_widget_class_bind_template_child (widget_class, KlImportDialog, cancel_button);

  gtk_widget_class_install_action (widget_class, "import.run", NULL, run_activated);
  gtk_widget_class_install_action (widget_class, "import.save-mapping", NULL, save_mapping_activated);
  gtk_widget_class_install_action (widget_class, "import.edit-mapping", NULL, edit_mapping_activated);
  gtk_widget_class_install_action (widget_class, "import.cancel", NULL, cancel_activated);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "import.cancel", NULL);
}

static void
kl_import_dialog_init (KlImportDialog *self)
{
  g_autoptr(GtkStringList) kinds = NULL;

  /* Closed with the window it belongs to, while that window still exists:
   * a load finishing later must not be the one to free it. */
  gtk_window_set_destroy_with_parent (GTK_WINDOW (self), TRUE);
  g_type_ensure (KL_TYPE_IMPORT_MAPPING);
  gtk_widget_init_template (GTK_WIDGET (self));
  kl_gui_spin_only_when_shown (GTK_WIDGET (self));
  /* A toplevel keeps the "window" node name the theme styles; a class
   * names it instead of a CSS name. */
  gtk_widget_add_css_class (GTK_WIDGET (self), "importdialog");

  self->cancellable = g_cancellable_new ();
  self->kind = KL_IMPORT_SHIPMENTS;
  kinds = gtk_string_list_new ((const char *[]) { _("Shipments"), _("Customers"), NULL });
  adw_combo_row_set_model (self->kind_row, G_LIST_MODEL (kinds));
  g_signal_connect_swapped (self->kind_row, "notify::selected", G_CALLBACK (kind_changed), self);
  g_signal_connect_swapped (self->profile_row, "notify::selected", G_CALLBACK (profile_chosen), self);
  set_state (self, "loading");
}

GtkWidget *
kl_import_dialog_new (KlWorker *worker)
{
  KlImportDialog *self;

  g_return_val_if_fail (KL_IS_WORKER (worker), NULL);

  self = g_object_new (KL_TYPE_IMPORT_DIALOG, NULL);
  self->worker = g_object_ref (worker);
  return GTK_WIDGET (self);
}

KlImportKind
kl_import_dialog_get_kind (KlImportDialog *self)
{
  g_return_val_if_fail (KL_IS_IMPORT_DIALOG (self), KL_IMPORT_SHIPMENTS);
  return self->kind;
}

void
kl_import_dialog_set_kind (KlImportDialog *self,
                           KlImportKind    kind)
{
  g_return_if_fail (KL_IS_IMPORT_DIALOG (self));
  adw_combo_row_set_selected (self->kind_row, kind == KL_IMPORT_SHIPMENTS ? 0 : 1);
}

const char *
kl_import_dialog_get_state (KlImportDialog *self)
{
  g_return_val_if_fail (KL_IS_IMPORT_DIALOG (self), NULL);
  return self->state;
}

const char *
kl_import_dialog_get_summary (KlImportDialog *self)
{
  g_return_val_if_fail (KL_IS_IMPORT_DIALOG (self), NULL);
  return self->summary;
}

void
kl_import_dialog_set_skip_bad (KlImportDialog *self,
                               gboolean        skip_bad)
{
  g_return_if_fail (KL_IS_IMPORT_DIALOG (self));
  gtk_switch_set_active (self->skip_switch, skip_bad);
}

const char *
kl_import_dialog_get_profile_name (KlImportDialog *self)
{
  g_return_val_if_fail (KL_IS_IMPORT_DIALOG (self), NULL);
  return self->profile != NULL ? kl_import_profile_get_name (self->profile) : NULL;
}

KlImportMapping *
kl_import_dialog_get_mapping (KlImportDialog *self)
{
  g_return_val_if_fail (KL_IS_IMPORT_DIALOG (self), NULL);
  return self->mapping;
}
