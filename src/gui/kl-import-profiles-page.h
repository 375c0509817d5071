/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The Preferences page of saved import profiles: each can be renamed,
 * deleted (after asking), exported to a file to share it, and a profile
 * file can be imported. The folder is read and written off the main
 * thread. */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define KL_TYPE_IMPORT_PROFILES_PAGE (kl_import_profiles_page_get_type ())
G_DECLARE_FINAL_TYPE (KlImportProfilesPage, kl_import_profiles_page, KL, IMPORT_PROFILES_PAGE, AdwPreferencesPage)

GtkWidget  *kl_import_profiles_page_new      (void);
/* The names listed, in order; NULL-terminated, owned by the page. */
const char * const *kl_import_profiles_page_get_names (KlImportProfilesPage *self);
/* TRUE while the folder is being read or written. */
gboolean    kl_import_profiles_page_is_busy  (KlImportProfilesPage *self);
/* What the rows' buttons do once the user has answered: each runs off the
 * main thread, then lists the profiles again (errors show as a toast on
 * the page's window when it has a toast overlay, and in the log). */
void        kl_import_profiles_page_rename   (KlImportProfilesPage *self,
                                              const char           *name,
                                              const char           *new_name);
void        kl_import_profiles_page_delete   (KlImportProfilesPage *self,
                                              const char           *name);
void        kl_import_profiles_page_export   (KlImportProfilesPage *self,
                                              const char           *name,
                                              GFile                *file);
void        kl_import_profiles_page_import   (KlImportProfilesPage *self,
                                              GFile                *file);
/* The last error, or NULL. */
const char *kl_import_profiles_page_get_error (KlImportProfilesPage *self);

G_END_DECLS
