/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The Import dialog's mapping step: for a file from another system, each
 * contract column beside a choice of the file's columns (with sample
 * values), rows for the file's unknown words (with suggestions), the date
 * form detected from the samples, the weight unit, and a live count of good
 * and bad rows, computed by a dry run on the worker. What the user chose is
 * an import profile (kl-import-profile.h). */
#pragma once

#include <adwaita.h>
#include "kl-worker.h"
#include "kl-import-profile.h"

G_BEGIN_DECLS

#define KL_TYPE_IMPORT_MAPPING (kl_import_mapping_get_type ())
G_DECLARE_FINAL_TYPE (KlImportMapping, kl_import_mapping, KL, IMPORT_MAPPING, GtkBox)

GtkWidget       *kl_import_mapping_new          (void);
/* Shows the mapping of file (header and sample rows, each a GStrv) as kind,
 * starting from profile when given, else from the header's names. Reads
 * the workspace's customers and counts rows on worker. */
void             kl_import_mapping_set_file     (KlImportMapping        *self,
                                                 KlWorker               *worker,
                                                 GFile                  *file,
                                                 const char             *display_name,
                                                 KlImportKind            kind,
                                                 const char * const     *header,
                                                 GPtrArray              *samples,
                                                 const KlImportProfile  *profile);
/* The profile the choices make (a new one). */
KlImportProfile *kl_import_mapping_get_profile  (KlImportMapping *self);

/* The file's column chosen for contract column ("" for none). */
void             kl_import_mapping_set_column   (KlImportMapping *self,
                                                 const char      *column,
                                                 const char      *source);
const char      *kl_import_mapping_get_column   (KlImportMapping *self,
                                                 const char      *column);
/* What the file's word in column means; NULL when there is no row for it. */
const char      *kl_import_mapping_get_word     (KlImportMapping *self,
                                                 const char      *column,
                                                 const char      *word);
void             kl_import_mapping_set_word     (KlImportMapping *self,
                                                 const char      *column,
                                                 const char      *word,
                                                 const char      *value);
/* The date form chosen (NULL: the contract's forms). */
const char      *kl_import_mapping_get_date_form (KlImportMapping *self);
void             kl_import_mapping_set_name     (KlImportMapping *self,
                                                 const char      *name);
/* The live count: FALSE while counting; *n_rows and *n_bad once counted. */
gboolean         kl_import_mapping_get_count    (KlImportMapping *self,
                                                 guint           *n_rows,
                                                 guint           *n_bad);

G_END_DECLS
