/* SPDX-License-Identifier: GPL-3.0-or-later */
/* CSV import of shipments and customers, exactly as contracts/import.md
 * says. The same code serves keyline-cli and the window's Import dialog. */
#pragma once

#include <gio/gio.h>
#include "kl-database.h"

G_BEGIN_DECLS

#define KL_IMPORT_ERROR (kl_import_error_quark ())

typedef enum {
  KL_IMPORT_ERROR_ENCODING,      /* neither UTF-8 nor GB18030 */
  KL_IMPORT_ERROR_EMPTY,         /* no header line */
  KL_IMPORT_ERROR_HEADER,        /* a required column is missing, or one is doubled */
  KL_IMPORT_ERROR_SYNTAX,        /* an unterminated quote, say */
  KL_IMPORT_ERROR_BAD_ROWS,      /* rows were bad and nothing was written */
  KL_IMPORT_ERROR_CANCELLED,
} KlImportError;

typedef enum {
  KL_IMPORT_SHIPMENTS,
  KL_IMPORT_CUSTOMERS,
} KlImportKind;

typedef enum {
  KL_IMPORT_FLAGS_NONE     = 0,
  KL_IMPORT_FLAGS_DRY_RUN  = 1 << 0, /* check only, write nothing */
  KL_IMPORT_FLAGS_SKIP_BAD = 1 << 1, /* write the good rows, list the bad */
} KlImportFlags;

typedef struct {
  guint      n_new;
  guint      n_updated;
  guint      n_unchanged;
  guint      n_bad;
  guint      n_rows;
  GPtrArray *errors;          /* char*: "FILE:LINE: column NAME: what (got \"V\")" */
  GPtrArray *unknown_columns; /* char*: header names that were ignored */
  char      *encoding;        /* "UTF-8" or "GB18030" */
  char       delimiter;       /* ',' ';' or '\t' */
  gboolean   written;         /* TRUE when rows were written */
} KlImportResult;

typedef void (*KlImportProgressFunc) (double fraction, gpointer user_data);

GQuark          kl_import_error_quark  (void);
void            kl_import_result_free  (KlImportResult *result);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KlImportResult, kl_import_result_free)

/* "new N, updated N, unchanged N, bad N" */
char           *kl_import_result_summary (const KlImportResult *result);

/* Imports contents (the file's bytes; display_name is used in messages).
 * Returns a result unless the file as a whole cannot be read (encoding,
 * header, syntax) or the import was cancelled. Without SKIP_BAD, a file with
 * a bad row writes nothing: the result comes back with written = FALSE and
 * n_bad > 0 (and no GError). Writes in one transaction (nested inside the
 * caller's when there is one). */
KlImportResult *kl_import_run          (KlDatabase            *db,
                                        KlImportKind           kind,
                                        const char            *display_name,
                                        GBytes                *contents,
                                        KlImportFlags          flags,
                                        KlImportProgressFunc   progress,
                                        gpointer               progress_data,
                                        GCancellable          *cancellable,
                                        GError               **error);

G_END_DECLS
