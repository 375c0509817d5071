/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A modal window that creates or edits one customer, and the small pieces
 * every editor of the customer detail shares. */
#pragma once

#include <adwaita.h>
#include "kl-worker.h"

G_BEGIN_DECLS

#define KL_TYPE_CUSTOMER_EDITOR (kl_customer_editor_get_type ())
G_DECLARE_FINAL_TYPE (KlCustomerEditor, kl_customer_editor, KL, CUSTOMER_EDITOR, AdwWindow)

/* customer_id NULL: a new customer. Emits "saved" (id) after it saved. */
GtkWidget *kl_customer_editor_new (KlWorker   *worker,
                                   const char *customer_id);

/* Shared by kl-contact-editor.c, kl-agreement-editor.c and
 * kl-activity-editor.c; not for use outside the customer detail. */

/* Installs editor.save (save_activate), editor.cancel (closes the window)
 * and their keys: Escape cancels, Ctrl+S saves. */
void      _kl_editor_class_install    (GtkWidgetClass              *widget_class,
                                       GtkWidgetActionActivateFunc  save_activate);
/* Shows message at a field: the row gets the "error" style and is marked
 * invalid for assistive technologies; message_row (an AdwPreferencesRow
 * holding a GtkLabel, placed under the field) shows the text. NULL clears. */
void      _kl_editor_set_field_error  (GtkWidget  *row,
                                       GtkWidget  *message_row,
                                       const char *message);
/* The row's text with surrounding spaces removed, NULL when nothing is left. */
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
