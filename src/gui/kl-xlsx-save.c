/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Saving an Excel workbook from the window (kl-xlsx-save.h). */
#include "config.h"

#include <glib/gi18n.h>

#include "kl-xlsx-save.h"

#define XLSX_MIME_TYPE "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

static GFile *next_file;

void
kl_xlsx_save_set_next_file (GFile *file)
{
  g_set_object (&next_file, file);
}

GFile *
kl_xlsx_save_take_next_file (void)
{
  return g_steal_pointer (&next_file);
}

GFile *
kl_xlsx_save_with_extension (GFile *file)
{
  g_autofree char *name = g_file_get_basename (file);
  g_autoptr(GFile) parent = g_file_get_parent (file);
  g_autofree char *full = NULL;

  if (name == NULL || parent == NULL || g_str_has_suffix (name, ".xlsx") || g_str_has_suffix (name, ".XLSX"))
    return g_object_ref (file);
  full = g_strdup_printf ("%s.xlsx", name);
  return g_file_get_child (parent, full);
}

typedef struct {
  KlXlsxSaveFunc  func;
  gpointer        data;
  GDestroyNotify  destroy;
  char           *path;
} Request;

static void
request_free (Request *request)
{
  if (request->destroy != NULL)
    request->destroy (request->data);
  g_free (request->path);
  g_free (request);
}

static void
write_thread (GTask        *task,
              gpointer      source,
              gpointer      task_data,
              GCancellable *cancellable)
{
  Request *request = task_data;
  GError *error = NULL;

  if (!request->func (request->path, request->data, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

void
kl_xlsx_save_to (GtkWidget           *widget,
                 GFile               *file,
                 KlXlsxSaveFunc       func,
                 gpointer             data,
                 GDestroyNotify       destroy,
                 GAsyncReadyCallback  callback,
                 gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (widget, NULL, callback, user_data);
  Request *request = g_new0 (Request, 1);

  request->func = func;
  request->data = data;
  request->destroy = destroy;
  request->path = g_file_get_path (file);
  g_task_set_source_tag (task, kl_xlsx_save_to);
  g_task_set_task_data (task, request, (GDestroyNotify) request_free);
  if (request->path == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                               _("Choose a folder on this computer for the workbook"));
      return;
    }
  g_task_run_in_thread (task, write_thread);
}

gboolean
kl_xlsx_save_finish (GAsyncResult  *result,
                     GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
add_toast (GtkWidget  *widget,
           const char *message)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (widget, ADW_TYPE_TOAST_OVERLAY);
  g_autofree char *escaped = g_markup_escape_text (message, -1);

  if (overlay != NULL)
    adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), adw_toast_new (escaped));
  else
    g_message ("%s", message);
}

static void
saved (GObject      *source,
       GAsyncResult *result,
       gpointer      user_data)
{
  g_autoptr(GFile) file = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = g_file_get_basename (file);
  g_autofree char *message = NULL;

  if (!kl_xlsx_save_finish (result, &error))
    {
      add_toast (GTK_WIDGET (source), error->message);
      return;
    }
  /* Translators: %s is a file name */
  message = g_strdup_printf (_("Saved “%s”"), name);
  add_toast (GTK_WIDGET (source), message);
}

typedef struct {
  GtkWidget      *widget;
  KlXlsxSaveFunc  func;
  gpointer        data;
  GDestroyNotify  destroy;
} Ask;

static void
ask_free (Ask *ask)
{
  if (ask->destroy != NULL && ask->data != NULL)
    ask->destroy (ask->data);
  g_object_unref (ask->widget);
  g_free (ask);
}

static void
save_chosen (Ask   *ask,
             GFile *chosen)
{
  GFile *file = kl_xlsx_save_with_extension (chosen);

  kl_xlsx_save_to (ask->widget, file, ask->func, g_steal_pointer (&ask->data), ask->destroy, saved, file);
}

static void
file_chosen (GtkNativeDialog *dialog,
             int              response,
             gpointer         user_data)
{
  Ask *ask = user_data;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) chosen = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));

      if (chosen != NULL)
        save_chosen (ask, chosen);
    }
  ask_free (ask);
  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
}

void
kl_xlsx_save_ask (GtkWidget      *widget,
                  const char     *title,
                  const char     *default_name,
                  KlXlsxSaveFunc  func,
                  gpointer        data,
                  GDestroyNotify  destroy)
{
  Ask *ask = g_new0 (Ask, 1);
  g_autoptr(GFile) preset = kl_xlsx_save_take_next_file ();
  g_autoptr(GtkFileFilter) filter = NULL;
  GtkFileChooserNative *native;
  GtkRoot *root;

  ask->widget = g_object_ref (widget);
  ask->func = func;
  ask->data = data;
  ask->destroy = destroy;

  if (preset != NULL)
    {
      save_chosen (ask, preset);
      ask_free (ask);
      return;
    }

  root = gtk_widget_get_root (widget);
  native = gtk_file_chooser_native_new (title, GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                        GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (native), TRUE);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (native), default_name);
  filter = gtk_file_filter_new ();
  gtk_file_filter_set_name (filter, _("Excel workbooks"));
  gtk_file_filter_add_mime_type (filter, XLSX_MIME_TYPE);
  gtk_file_filter_add_suffix (filter, "xlsx");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (native), filter);
  g_signal_connect (native, "response", G_CALLBACK (file_chosen), ask);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (native));
}
