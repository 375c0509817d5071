/* SPDX-License-Identifier: GPL-3.0-or-later */
/* CSV import of shipments and customers, exactly as docs/import.md
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
  KL_IMPORT_ERROR_NOT_A_FILE,    /* a directory, a device, a FIFO: not a regular file */
  KL_IMPORT_ERROR_READ,          /* the file could not be read (to its end, or again) */
} KlImportError;

typedef enum {
  KL_IMPORT_SHIPMENTS,
  KL_IMPORT_CUSTOMERS,
} KlImportKind;

typedef enum {
  KL_IMPORT_FLAGS_NONE     = 0,
  KL_IMPORT_FLAGS_DRY_RUN  = 1 << 0, /* check only, write nothing */
  KL_IMPORT_FLAGS_SKIP_BAD = 1 << 1, /* write the good rows, list the bad */
  KL_IMPORT_FLAGS_UTF8     = 1 << 2, /* read the file as UTF-8, whatever it looks like */
  KL_IMPORT_FLAGS_GB18030  = 1 << 3, /* read the file as GB18030 */
} KlImportFlags;

/* The bounds of docs/import.md: a value beyond them makes a bad row. */
#define KL_IMPORT_MAX_PIECES     G_GINT64_CONSTANT (10000000)
#define KL_IMPORT_MAX_WEIGHT_KG  G_GINT64_CONSTANT (100000000)
#define KL_IMPORT_MAX_VOLUME_M3  G_GINT64_CONSTANT (10000000)
#define KL_IMPORT_MAX_REVENUE    G_GINT64_CONSTANT (1000000000)  /* whole units of its currency */
#define KL_IMPORT_MIN_TIME       G_GINT64_CONSTANT (946684800)   /* 2000-01-01T00:00:00Z */
#define KL_IMPORT_MAX_TIME       G_GINT64_CONSTANT (4102444799)  /* 2099-12-31T23:59:59Z */

typedef struct {
  guint      n_new;
  guint      n_updated;
  guint      n_unchanged;
  guint      n_bad;
  guint      n_rows;
  GPtrArray *errors;          /* char*: "FILE:LINE: column NAME: what (got \"V\")" */
  GPtrArray *unknown_columns; /* char*: header names that were ignored, each once, in the
                               * header's order; escaped and cut as kl_csv_escape (name, 60) */
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

/* Imports contents (the file's bytes; display_name is used in messages,
 * escaped). The bytes are read through a memory stream, as a file is.
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

/* As kl_import_run, reading stream, which must be seekable: it is read
 * twice (checking, then writing). Progress is the share of its bytes read
 * when its size can be known. */
KlImportResult *kl_import_run_stream   (KlDatabase            *db,
                                        KlImportKind           kind,
                                        const char            *display_name,
                                        GInputStream          *stream,
                                        KlImportFlags          flags,
                                        KlImportProgressFunc   progress,
                                        gpointer               progress_data,
                                        GCancellable          *cancellable,
                                        GError               **error);

/* FALSE with KL_IMPORT_ERROR_NOT_A_FILE when file is not a regular file (a
 * directory, a device such as /dev/zero, a FIFO), or with a G_IO_ERROR when
 * it cannot be found or read. Opens nothing, so a FIFO does not block. */
gboolean        kl_import_check_file   (GFile                 *file,
                                        const char            *display_name,
                                        GError               **error);

/* As kl_import_run, reading file as a stream (twice: checking, then
 * writing) instead of holding it in memory; its size is bounded only by the
 * disk. Only a regular file is accepted (see kl_import_check_file). Progress
 * is the share of the file's bytes read. display_name NULL: the file's path. */
KlImportResult *kl_import_run_file     (KlDatabase            *db,
                                        KlImportKind           kind,
                                        GFile                 *file,
                                        const char            *display_name,
                                        KlImportFlags          flags,
                                        KlImportProgressFunc   progress,
                                        gpointer               progress_data,
                                        GCancellable          *cancellable,
                                        GError               **error);

G_END_DECLS
