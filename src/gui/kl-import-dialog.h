/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The Import dialog: checks a CSV file of shipments or customers (a dry
 * run), shows its bad rows and summary, then imports it with progress and
 * can be cancelled, leaving nothing half-written. */
#pragma once

#include <adwaita.h>
#include "kl-worker.h"
#include "kl-import.h"

G_BEGIN_DECLS

#define KL_TYPE_IMPORT_DIALOG (kl_import_dialog_get_type ())
G_DECLARE_FINAL_TYPE (KlImportDialog, kl_import_dialog, KL, IMPORT_DIALOG, AdwWindow)

/* Emits "imported" (the counts, in the interface's language) after rows were written. */
GtkWidget    *kl_import_dialog_new         (KlWorker *worker);
/* Reads file and checks it; the kind is guessed from its header. */
void          kl_import_dialog_load_file   (KlImportDialog *self,
                                            GFile          *file);
KlImportKind  kl_import_dialog_get_kind    (KlImportDialog *self);
/* Checks the file again as this kind. */
void          kl_import_dialog_set_kind    (KlImportDialog *self,
                                            KlImportKind    kind);
/* The "Skip bad rows" switch: write the good rows of a file with bad ones. */
void          kl_import_dialog_set_skip_bad (KlImportDialog *self,
                                             gboolean        skip_bad);
/* "loading", "mapping" (the header does not match: map its columns),
 * "preview", "invalid" (cannot be read as the chosen kind; the
 * preview shows why), "running", "done" or "error" (cannot be read). */
const char   *kl_import_dialog_get_state   (KlImportDialog *self);
/* The check's summary line ("new N, updated N, unchanged N, bad N") once
 * the preview is shown, then the import's once done; NULL before. */
const char   *kl_import_dialog_get_summary (KlImportDialog *self);

/* The import profile the file is read through (a saved one made for its
 * header, or the one the mapping step saved), or NULL. */
const char   *kl_import_dialog_get_profile_name (KlImportDialog *self);
/* Reads the file through the saved profile name offered in the preview
 * (NULL: none, Keyline's own columns), and checks it again. */
void          kl_import_dialog_choose_profile (KlImportDialog *self,
                                               const char     *name);
/* The mapping step (state "mapping"): a file from another system. */
typedef struct _KlImportMapping KlImportMapping;
KlImportMapping *kl_import_dialog_get_mapping   (KlImportDialog *self);

/* The kind a file's header names: a waybill (运单号) column means shipments. */
KlImportKind  kl_import_guess_kind         (GBytes *contents);

G_END_DECLS
