/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Import profiles (docs/import.md, "Import profiles"): how one source's
 * export maps onto the import's columns — column renames, value maps,
 * timestamp forms and zone, scale factors and update-only mode — read from
 * and written to JSON. Needs no workspace: keyline-server loads a profile
 * from a path. What the import does with a profile is in kl-import.c. */
#pragma once

#include <glib.h>
#include "kl-import.h"

G_BEGIN_DECLS

#define KL_IMPORT_PROFILE_ERROR (kl_import_profile_error_quark ())

typedef enum {
  KL_IMPORT_PROFILE_ERROR_JSON,       /* the text is not JSON, or not an object */
  KL_IMPORT_PROFILE_ERROR_INVALID,    /* a key or a value breaks the contract */
  KL_IMPORT_PROFILE_ERROR_NOT_FOUND,  /* no saved profile of that name */
  KL_IMPORT_PROFILE_ERROR_EXISTS,     /* a saved profile has that name already */
  KL_IMPORT_PROFILE_ERROR_IO,         /* the file or folder cannot be read or written */
} KlImportProfileError;

/* What a contract column holds, which decides what a profile may do with it. */
typedef enum {
  KL_IMPORT_VALUE_TEXT,      /* free text */
  KL_IMPORT_VALUE_KEY,       /* waybill, customer code */
  KL_IMPORT_VALUE_WORD,      /* one word of a vocabulary (status, mode, …) */
  KL_IMPORT_VALUE_BOOL,
  KL_IMPORT_VALUE_COUNT,     /* whole number */
  KL_IMPORT_VALUE_DECIMAL,
  KL_IMPORT_VALUE_TIME,
  KL_IMPORT_VALUE_CURRENCY,
} KlImportValueType;

typedef struct {
  const char        *name;      /* as in the contract: "planned_pickup_at" */
  const char        *alias;     /* the Chinese name: "计划提货时间" */
  KlImportValueType  type;
  gboolean           required;
} KlImportContractColumn;

/* The contract's columns of a kind, in the contract's order. */
const KlImportContractColumn *kl_import_contract_columns (KlImportKind  kind,
                                                          guint        *out_n);
/* The column of kind named name (the English name, any case), or NULL. */
const KlImportContractColumn *kl_import_contract_column  (KlImportKind  kind,
                                                          const char   *name);
/* TRUE when value is a value the column accepts as written: a word of its
 * vocabulary, a yes/no word, a number, a time, a currency code; any
 * non-blank text for text and key columns. */
gboolean     kl_import_contract_value_ok    (KlImportKind                  kind,
                                             const KlImportContractColumn *column,
                                             const char                   *value);
/* The words a word or boolean column accepts, for messages and menus
 * ("booked (已下单), in_transit (在途), …"); NULL for other columns. */
char        *kl_import_contract_describe    (KlImportKind                  kind,
                                             const KlImportContractColumn *column);
/* The canonical words of a word column ("booked", "in_transit", …), or
 * "true", "false" for a boolean one; NULL for other columns. Free with
 * g_strfreev. */
char       **kl_import_contract_words       (KlImportKind                  kind,
                                             const KlImportContractColumn *column);
const char  *kl_import_kind_to_string       (KlImportKind kind);   /* "shipments", "customers" */
gboolean     kl_import_kind_from_string     (const char   *text,
                                             KlImportKind *out_kind);


GQuark            kl_import_profile_error_quark (void);

KlImportProfile  *kl_import_profile_new        (const char       *name,
                                                KlImportKind      kind);
KlImportProfile  *kl_import_profile_copy       (const KlImportProfile *self);
void              kl_import_profile_free       (KlImportProfile  *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KlImportProfile, kl_import_profile_free)

/* Reads and checks a profile. display_name (a file name) prefixes every
 * message, which names the key, the contract column and the value at
 * fault and says what would be right. */
KlImportProfile  *kl_import_profile_load_data  (const char       *data,
                                                gssize            length,
                                                const char       *display_name,
                                                GError          **error);
/* The same from a file; display_name is the path. */
KlImportProfile  *kl_import_profile_load_file  (const char       *path,
                                                GError          **error);
/* The profile as JSON, as the contract shows it (keys left out when they
 * say nothing: no columns, no values…). */
char             *kl_import_profile_to_json    (const KlImportProfile *self);
/* Checks what the setters allowed through (the same checks as loading);
 * the dialog calls it before saving. */
gboolean          kl_import_profile_validate   (const KlImportProfile *self,
                                                GError          **error);

const char       *kl_import_profile_get_name   (const KlImportProfile *self);
void              kl_import_profile_set_name   (KlImportProfile  *self,
                                                const char       *name);
KlImportKind      kl_import_profile_get_kind   (const KlImportProfile *self);
/* The source's header read as the contract column column, or NULL when
 * the profile does not rename it. */
const char       *kl_import_profile_get_column (const KlImportProfile *self,
                                                const char       *column);
/* source NULL or "": the column keeps its usual names. */
void              kl_import_profile_set_column (KlImportProfile  *self,
                                                const char       *column,
                                                const char       *source);
/* The contract value the source's word stands for in column, or NULL.
 * Words match after trimming spaces, in any case. */
const char       *kl_import_profile_get_value  (const KlImportProfile *self,
                                                const char       *column,
                                                const char       *word);
/* value NULL removes the word. */
void              kl_import_profile_set_value  (KlImportProfile  *self,
                                                const char       *column,
                                                const char       *word,
                                                const char       *value);
/* The words mapped for column, in the order given: word, value, word,
 * value…, NULL-terminated; NULL when none. Free the array (not the
 * strings) with g_free. */
const char      **kl_import_profile_get_values (const KlImportProfile *self,
                                                const char       *column);
const char * const *kl_import_profile_get_timestamp_formats (const KlImportProfile *self);
void              kl_import_profile_set_timestamp_formats   (KlImportProfile     *self,
                                                             const char * const  *formats);
/* NULL: the workspace's zone. */
const char       *kl_import_profile_get_time_zone (const KlImportProfile *self);
void              kl_import_profile_set_time_zone (KlImportProfile  *self,
                                                   const char       *zone);
/* The factor as written ("1000", "0.001"), NULL when the column is not scaled. */
const char       *kl_import_profile_get_scale  (const KlImportProfile *self,
                                                const char       *column);
/* factor NULL, "" or "1" removes the scale. */
void              kl_import_profile_set_scale  (KlImportProfile  *self,
                                                const char       *column,
                                                const char       *factor);
gboolean          kl_import_profile_get_update_only (const KlImportProfile *self);
void              kl_import_profile_set_update_only (KlImportProfile *self,
                                                     gboolean         update_only);

/* How a profile turns one contract column's text into the text the import
 * reads, made once per import (kl-import.c). NULL when the profile leaves
 * the column as it is, so an import pays nothing per row for it. */
typedef struct _KlImportProfileField KlImportProfileField;

KlImportProfileField *kl_import_profile_field_new  (const KlImportProfile *self,
                                                    const char            *column,
                                                    GTimeZone             *tz);
void              kl_import_profile_field_free     (KlImportProfileField *field);
/* The text to read in place of text: the mapped word, the scaled number,
 * the time in RFC 3339; text itself when nothing applies (or when text is
 * not a number to scale or a time of the profile's forms: the usual reading
 * then says what is wrong). The result may live in scratch. */
const char       *kl_import_profile_field_apply    (KlImportProfileField *field,
                                                    const char           *text,
                                                    gboolean              quoted,
                                                    GString              *scratch);

/* Reads text with strftime form format (the subset kl-import-profile.c
 * lists), in tz unless the form gives an offset. FALSE when it does not
 * fit. */
gboolean          kl_import_profile_parse_time     (const char  *format,
                                                    const char  *text,
                                                    GTimeZone   *tz,
                                                    gint64      *out_unix);
/* NULL when format is a form kl_import_profile_parse_time () reads;
 * otherwise what is wrong with it. */
char             *kl_import_profile_check_format   (const char *format);

/* The fingerprint of a header: its names trimmed and case-folded, in any
 * order, blanks left out, hashed (SHA-256, hex). */
char             *kl_import_header_fingerprint     (const char * const *names,
                                                    guint               n_names);

G_END_DECLS
