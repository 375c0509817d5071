/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Saving an Excel workbook from the window: a save dialog with its title
 * and a default name ending .xlsx, the writing in a GIO thread (never on
 * the main thread), and a toast naming the file or saying what went wrong.
 * Used by the Portfolio and Claims pages; the Reports page uses its own
 * export chooser but the same test hook. */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/* Writes the workbook to path; runs in a thread, so data must be the
 * caller's own copy. */
typedef gboolean (*KlXlsxSaveFunc) (const char  *path,
                                    gpointer     data,
                                    GError     **error);

/* Asks where to save (title, default name) over widget's window, then
 * writes with func and shows a toast on widget's nearest toast overlay.
 * Takes data (freed with destroy) whatever happens. */
void     kl_xlsx_save_ask           (GtkWidget      *widget,
                                     const char     *title,
                                     const char     *default_name,
                                     KlXlsxSaveFunc  func,
                                     gpointer        data,
                                     GDestroyNotify  destroy);

/* The writing alone, for a file already chosen: callback gets
 * kl_xlsx_save_finish(). */
void     kl_xlsx_save_to            (GtkWidget           *widget,
                                     GFile               *file,
                                     KlXlsxSaveFunc       func,
                                     gpointer             data,
                                     GDestroyNotify       destroy,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data);
gboolean kl_xlsx_save_finish        (GAsyncResult  *result,
                                     GError       **error);

/* For tests: the next save dialog (of these pages or the Reports page's
 * Excel export) is not shown and file is chosen as if the user had. */
void     kl_xlsx_save_set_next_file (GFile *file);
/* The file set above, once (NULL when none); transfer full. */
GFile   *kl_xlsx_save_take_next_file (void);

/* "file.xlsx" for name, with .xlsx added when name lacks it. */
GFile   *kl_xlsx_save_with_extension (GFile *file);

G_END_DECLS
