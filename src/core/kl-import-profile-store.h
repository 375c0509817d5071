/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Saved import profiles: one JSON file each (the contract's form, as
 * exported) in the user's profiles folder, and an index of the headers each
 * was made for, so a file with the same header picks its profile again.
 * Plain file work: call it off the GTK main thread. dir NULL means the
 * default folder, $XDG_DATA_HOME/keyline/import-profiles. */
#pragma once

#include "kl-import-profile.h"

G_BEGIN_DECLS

/* The default folder (it may not exist yet). */
char             *kl_import_profile_store_default_dir (void);

/* Every saved profile, sorted by name (as people read it). A file in the
 * folder that is not a profile is left out, with a warning logged. */
GPtrArray        *kl_import_profile_store_list      (const char             *dir,
                                                     GError                **error);
/* The profile saved as name; KL_IMPORT_PROFILE_ERROR_NOT_FOUND when none. */
KlImportProfile  *kl_import_profile_store_get       (const char             *dir,
                                                     const char             *name,
                                                     GError                **error);
/* Saves profile under its name (checked first). Without replace, a profile
 * of that name already saved is KL_IMPORT_PROFILE_ERROR_EXISTS. header and
 * n_header, when given, are the header it was made for: a file with the
 * same header picks it first. */
gboolean          kl_import_profile_store_save      (const char             *dir,
                                                     const KlImportProfile  *profile,
                                                     const char * const     *header,
                                                     guint                   n_header,
                                                     gboolean                replace,
                                                     GError                **error);
gboolean          kl_import_profile_store_rename    (const char             *dir,
                                                     const char             *name,
                                                     const char             *new_name,
                                                     GError                **error);
gboolean          kl_import_profile_store_delete    (const char             *dir,
                                                     const char             *name,
                                                     GError                **error);
/* The saved profile of kind best fit for a file with this header: the one
 * saved for the same header (its fingerprint), else the one whose renamed
 * columns are all in the header and that renames most; NULL (no error)
 * when none fits. */
KlImportProfile  *kl_import_profile_store_find_for_header (const char          *dir,
                                                           KlImportKind         kind,
                                                           const char * const  *header,
                                                           guint                n_header,
                                                           GError             **error);
/* A profile by name, or by path when name_or_path names a file (it holds a
 * '/' or ends in ".json"): what --profile NAME|PATH takes. */
KlImportProfile  *kl_import_profile_resolve         (const char             *dir,
                                                     const char             *name_or_path,
                                                     GError                **error);

G_END_DECLS
