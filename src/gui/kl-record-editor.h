/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The base of the record editors (the customer detail's customer, contact,
 * agreement and activity editors, and the new-case editor): one save flow
 * for all of them. Saving checks the fields (problems shown at their
 * fields), runs the store's save on the worker, and then either emits
 * "saved" and closes, or shows what the store refused in the dialog.
 * editor.save (Ctrl+S) and editor.cancel (Escape) are installed here. */
#pragma once

#include <adwaita.h>
#include "kl-worker.h"

G_BEGIN_DECLS

#define KL_TYPE_RECORD_EDITOR (kl_record_editor_get_type ())
G_DECLARE_DERIVABLE_TYPE (KlRecordEditor, kl_record_editor, KL, RECORD_EDITOR, AdwWindow)

/* Runs on the worker thread, in the write transaction: saves record and
 * returns its id (newly allocated), or NULL with error set. */
typedef char *(*KlRecordEditorSaveFunc) (KlDatabase  *db,
                                         gpointer     record,
                                         GError     **error);

struct _KlRecordEditorClass
{
  AdwWindowClass parent_class;

  /* Hides the problems shown at the fields. */
  void      (*clear_errors)    (KlRecordEditor *self);
  /* The record read from the fields, or NULL after showing each problem at
   * its field and focusing the first. */
  gpointer  (*collect)         (KlRecordEditor *self);
  /* Optional: shows a save the store refused at the field it concerns and
   * returns TRUE; FALSE (or no function) shows it in the dialog. */
  gboolean  (*show_save_error) (KlRecordEditor *self,
                                const GError   *error);

  /* Saves what collect returned, and frees it. */
  KlRecordEditorSaveFunc save;
  GDestroyNotify         record_free;

  gpointer padding[8];
};

/* The worker the editor saves with (its "worker" property), for the
 * subclass's own jobs. */
KlWorker     *kl_record_editor_get_worker        (KlRecordEditor *self);
/* Cancelled when the editor is disposed. A job run with it need not hold a
 * reference to the editor if its callback leaves a cancelled job alone. */
GCancellable *kl_record_editor_get_cancellable   (KlRecordEditor *self);
/* The label where problems that belong to no field are shown; a subclass
 * passes the one from its template, at init. */
void          kl_record_editor_set_message_label (KlRecordEditor *self,
                                                  GtkLabel       *label);
/* Shows message in that label; NULL hides it. */
void          kl_record_editor_show_message      (KlRecordEditor *self,
                                                  const char     *message);
/* Whether there is a record to save (an editor that loads its record first
 * is not ready until it is there). editor.save is enabled when ready and no
 * save is running. New editors are ready. */
void          kl_record_editor_set_ready         (KlRecordEditor *self,
                                                  gboolean        ready);

/* Small pieces the editors share; not for use outside them. */

/* Shows message at a field: the row gets the "error" style and is marked
 * invalid for assistive technologies; message_row (an AdwPreferencesRow
 * holding a GtkLabel, placed under the field) shows the text. NULL clears. */
void      _kl_editor_set_field_error  (GtkWidget  *row,
                                       GtkWidget  *message_row,
                                       const char *message);
/* The row's text with surrounding spaces removed; NULL when it is blank
 * (kl_text_is_blank ()). */
char     *_kl_editor_dup_text         (AdwEntryRow *row);
void      _kl_editor_set_text         (AdwEntryRow *row,
                                       const char  *text);
gboolean  _kl_editor_date_valid       (const char *text);
gboolean  _kl_editor_email_valid      (const char *text);
/* "YYYY-MM-DD HH:MM" (or just the date, meaning midnight) in local time. */
gboolean  _kl_editor_parse_time       (const char *text,
                                       gint64     *out_time);
char     *_kl_editor_format_time      (gint64 time);
/* Appends each label to a new GtkStringList and sets it as the model. */
void      _kl_editor_set_combo_labels (AdwComboRow       *row,
                                       const char *const *labels,
                                       guint              n_labels);

G_END_DECLS
