/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Saved import profiles as files: NAME.json per profile (the name made safe
 * for a file name; the name inside the file is the one that counts) and
 * headers.ini, fingerprint → profile name. */

#include "config.h"

#include <errno.h>
#include <string.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "kl-csv.h"
#include "kl-enums.h"
#include "kl-import-profile-store.h"

#define INDEX_FILE "headers.ini"
#define INDEX_GROUP "fingerprints"

char *
kl_import_profile_store_default_dir (void)
{
  return g_build_filename (g_get_user_data_dir (), "keyline", "import-profiles", NULL);
}

static char *
dir_or_default (const char *dir)
{
  return dir != NULL ? g_strdup (dir) : kl_import_profile_store_default_dir ();
}

/* A file name for a profile name: characters a file system may refuse, and
 * a leading dot, become '_'. */
static char *
file_name_for (const char *name)
{
  g_autoptr(GString) out = g_string_new (NULL);

  for (const char *p = name; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c < 0x20 || c == 0x7f || strchr ("/\\:*?\"<>|", (int) c) != NULL ||
          (out->len == 0 && c == '.'))
        g_string_append_c (out, '_');
      else
        g_string_append_unichar (out, c);
    }
  g_string_append (out, ".json");
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static int
compare_profiles (gconstpointer a,
                  gconstpointer b)
{
  const KlImportProfile *pa = *(KlImportProfile * const *) a;
  const KlImportProfile *pb = *(KlImportProfile * const *) b;

  return g_utf8_collate (kl_import_profile_get_name (pa), kl_import_profile_get_name (pb));
}

/* Each profile with the path it was read from (in paths, same order). */
static GPtrArray *
list_with_paths (const char  *dir,
                 GPtrArray  **out_paths,
                 GError     **error)
{
  g_autoptr(GDir) folder = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GPtrArray) profiles = g_ptr_array_new_with_free_func ((GDestroyNotify) kl_import_profile_free);
  g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);
  const char *entry;

  folder = g_dir_open (dir, 0, &local_error);
  if (folder == NULL)
    {
      if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        {
          if (out_paths != NULL)
            *out_paths = g_steal_pointer (&paths);
          return g_steal_pointer (&profiles);
        }
      g_set_error (error, KL_IMPORT_PROFILE_ERROR, KL_IMPORT_PROFILE_ERROR_IO,
                   _("The profiles folder %s cannot be read: %s"), dir, local_error->message);
      return NULL;
    }
  while ((entry = g_dir_read_name (folder)) != NULL)
    {
      g_autofree char *path = NULL;
      g_autoptr(GError) load_error = NULL;
      KlImportProfile *profile;

      if (!g_str_has_suffix (entry, ".json") || entry[0] == '.')
        continue;
      path = g_build_filename (dir, entry, NULL);
      profile = kl_import_profile_load_file (path, &load_error);
      if (profile == NULL)
        {
          g_warning ("Skipping %s: %s", path, load_error->message);
          continue;
        }
      g_ptr_array_add (profiles, profile);
      g_ptr_array_add (paths, g_steal_pointer (&path));
    }
  if (out_paths != NULL)
    *out_paths = g_steal_pointer (&paths);
  return g_steal_pointer (&profiles);
}

GPtrArray *
kl_import_profile_store_list (const char  *dir,
                              GError     **error)
{
  g_autofree char *folder = dir_or_default (dir);
  GPtrArray *profiles;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  profiles = list_with_paths (folder, NULL, error);
  if (profiles != NULL)
    g_ptr_array_sort (profiles, compare_profiles);
  return profiles;
}

/* The path of the profile saved as name, or NULL. */
static char *
find_path (const char  *dir,
           const char  *name,
           GError     **error)
{
  g_autoptr(GPtrArray) paths = NULL;
  g_autoptr(GPtrArray) profiles = list_with_paths (dir, &paths, error);

  if (profiles == NULL)
    return NULL;
  for (guint i = 0; i < profiles->len; i++)
    if (g_strcmp0 (kl_import_profile_get_name (g_ptr_array_index (profiles, i)), name) == 0)
      return g_strdup (g_ptr_array_index (paths, i));
  return NULL;
}

static void
set_not_found (GError     **error,
               const char  *name)
{
  g_autofree char *shown = kl_csv_escape (name, 60);

  g_set_error (error, KL_IMPORT_PROFILE_ERROR, KL_IMPORT_PROFILE_ERROR_NOT_FOUND,
               _("No import profile is called “%s”; `keyline-cli profiles list` lists them, or give the path of a profile file"),
               shown);
}

KlImportProfile *
kl_import_profile_store_get (const char  *dir,
                             const char  *name,
                             GError     **error)
{
  g_autofree char *folder = dir_or_default (dir);
  g_autofree char *path = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (name != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  path = find_path (folder, name, &local_error);
  if (path == NULL)
    {
      if (local_error != NULL)
        g_propagate_error (error, g_steal_pointer (&local_error));
      else
        set_not_found (error, name);
      return NULL;
    }
  return kl_import_profile_load_file (path, error);
}

static GKeyFile *
load_index (const char *dir)
{
  g_autofree char *path = g_build_filename (dir, INDEX_FILE, NULL);
  GKeyFile *index = g_key_file_new ();

  /* A missing or broken index only loses the header recognition. */
  g_key_file_load_from_file (index, path, G_KEY_FILE_NONE, NULL);
  return index;
}

static gboolean
save_index (const char  *dir,
            GKeyFile    *index,
            GError     **error)
{
  g_autofree char *path = g_build_filename (dir, INDEX_FILE, NULL);
  g_autoptr(GError) local_error = NULL;

  if (!g_key_file_save_to_file (index, path, &local_error))
    {
      g_set_error (error, KL_IMPORT_PROFILE_ERROR, KL_IMPORT_PROFILE_ERROR_IO,
                   _("%s cannot be written: %s"), path, local_error->message);
      return FALSE;
    }
  return TRUE;
}

/* Points the index's entries for old_name at new_name (NULL: removes them). */
static gboolean
index_rename (const char  *dir,
              const char  *old_name,
              const char  *new_name,
              GError     **error)
{
  g_autoptr(GKeyFile) index = load_index (dir);
  g_auto(GStrv) keys = g_key_file_get_keys (index, INDEX_GROUP, NULL, NULL);
  gboolean changed = FALSE;

  for (guint i = 0; keys != NULL && keys[i] != NULL; i++)
    {
      g_autofree char *name = g_key_file_get_string (index, INDEX_GROUP, keys[i], NULL);

      if (g_strcmp0 (name, old_name) != 0)
        continue;
      if (new_name != NULL)
        g_key_file_set_string (index, INDEX_GROUP, keys[i], new_name);
      else
        g_key_file_remove_key (index, INDEX_GROUP, keys[i], NULL);
      changed = TRUE;
    }
  return !changed || save_index (dir, index, error);
}

static gboolean
make_dir (const char  *dir,
          GError     **error)
{
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved = errno;

      g_set_error (error, KL_IMPORT_PROFILE_ERROR, KL_IMPORT_PROFILE_ERROR_IO,
                   _("The profiles folder %s cannot be made: %s"), dir, g_strerror (saved));
      return FALSE;
    }
  return TRUE;
}

/* A path for a new file of name that no other file holds. */
static char *
free_path (const char *dir,
           const char *name)
{
  g_autofree char *base = file_name_for (name);
  char *path = g_build_filename (dir, base, NULL);

  for (guint n = 2; g_file_test (path, G_FILE_TEST_EXISTS); n++)
    {
      g_autofree char *stem = g_strndup (base, strlen (base) - strlen (".json"));
      g_autofree char *numbered = g_strdup_printf ("%s-%u.json", stem, n);

      g_free (path);
      path = g_build_filename (dir, numbered, NULL);
    }
  return path;
}

gboolean
kl_import_profile_store_save (const char             *dir,
                              const KlImportProfile  *profile,
                              const char * const     *header,
                              guint                   n_header,
                              gboolean                replace,
                              GError                **error)
{
  g_autofree char *folder = dir_or_default (dir);
  g_autofree char *path = NULL;
  g_autofree char *json = NULL;
  g_autoptr(GError) local_error = NULL;
  const char *name;

  g_return_val_if_fail (profile != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!kl_import_profile_validate (profile, error) || !make_dir (folder, error))
    return FALSE;
  name = kl_import_profile_get_name (profile);
  path = find_path (folder, name, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (path != NULL && !replace)
    {
      g_autofree char *shown = kl_csv_escape (name, 60);

      g_set_error (error, KL_IMPORT_PROFILE_ERROR, KL_IMPORT_PROFILE_ERROR_EXISTS,
                   _("An import profile called “%s” exists already; choose another name or replace it"), shown);
      return FALSE;
    }
  if (path == NULL)
    path = free_path (folder, name);

  json = kl_import_profile_to_json (profile);
  if (!g_file_set_contents_full (path, json, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0600, &local_error))
    {
      g_set_error (error, KL_IMPORT_PROFILE_ERROR, KL_IMPORT_PROFILE_ERROR_IO,
                   _("%s cannot be written: %s"), path, local_error->message);
      return FALSE;
    }
  if (header != NULL && n_header > 0)
    {
      g_autoptr(GKeyFile) index = load_index (folder);
      g_autofree char *fingerprint = kl_import_header_fingerprint (header, n_header);

      g_key_file_set_string (index, INDEX_GROUP, fingerprint, name);
      if (!save_index (folder, index, error))
        return FALSE;
    }
  return TRUE;
}

gboolean
kl_import_profile_store_rename (const char  *dir,
                                const char  *name,
                                const char  *new_name,
                                GError     **error)
{
  g_autofree char *folder = dir_or_default (dir);
  g_autoptr(KlImportProfile) profile = NULL;
  g_autoptr(KlImportProfile) other = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *old_path = NULL;
  g_autofree char *new_path = NULL;
  g_autofree char *json = NULL;

  g_return_val_if_fail (name != NULL && new_name != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (g_strcmp0 (name, new_name) == 0)
    return TRUE;
  if (kl_text_is_blank (new_name))
    {
      g_set_error_literal (error, KL_IMPORT_PROFILE_ERROR, KL_IMPORT_PROFILE_ERROR_INVALID,
                           _("A profile needs a name; give one that is not blank"));
      return FALSE;
    }
  old_path = find_path (folder, name, &local_error);
  if (old_path == NULL)
    {
      if (local_error != NULL)
        g_propagate_error (error, g_steal_pointer (&local_error));
      else
        set_not_found (error, name);
      return FALSE;
    }
  other = kl_import_profile_store_get (folder, new_name, NULL);
  if (other != NULL)
    {
      g_autofree char *shown = kl_csv_escape (new_name, 60);

      g_set_error (error, KL_IMPORT_PROFILE_ERROR, KL_IMPORT_PROFILE_ERROR_EXISTS,
                   _("An import profile called “%s” exists already; choose another name or replace it"), shown);
      return FALSE;
    }
  profile = kl_import_profile_load_file (old_path, error);
  if (profile == NULL)
    return FALSE;
  kl_import_profile_set_name (profile, new_name);
  json = kl_import_profile_to_json (profile);
  new_path = free_path (folder, new_name);
  if (!g_file_set_contents_full (new_path, json, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0600, &local_error))
    {
      g_set_error (error, KL_IMPORT_PROFILE_ERROR, KL_IMPORT_PROFILE_ERROR_IO,
                   _("%s cannot be written: %s"), new_path, local_error->message);
      return FALSE;
    }
  if (g_unlink (old_path) != 0)
    {
      int saved = errno;

      g_unlink (new_path);
      g_set_error (error, KL_IMPORT_PROFILE_ERROR, KL_IMPORT_PROFILE_ERROR_IO,
                   _("%s cannot be removed: %s"), old_path, g_strerror (saved));
      return FALSE;
    }
  return index_rename (folder, name, new_name, error);
}

gboolean
kl_import_profile_store_delete (const char  *dir,
                                const char  *name,
                                GError     **error)
{
  g_autofree char *folder = dir_or_default (dir);
  g_autofree char *path = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (name != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  path = find_path (folder, name, &local_error);
  if (path == NULL)
    {
      if (local_error != NULL)
        g_propagate_error (error, g_steal_pointer (&local_error));
      else
        set_not_found (error, name);
      return FALSE;
    }
  if (g_unlink (path) != 0)
    {
      int saved = errno;

      g_set_error (error, KL_IMPORT_PROFILE_ERROR, KL_IMPORT_PROFILE_ERROR_IO,
                   _("%s cannot be removed: %s"), path, g_strerror (saved));
      return FALSE;
    }
  return index_rename (folder, name, NULL, error);
}

static gboolean
header_has (const char * const *header,
            guint               n_header,
            const char         *name)
{
  g_autofree char *wanted = g_strstrip (g_strdup (name));

  for (guint i = 0; i < n_header; i++)
    {
      g_autofree char *have = g_strstrip (g_strdup (header[i] != NULL ? header[i] : ""));

      if (g_ascii_strcasecmp (have, wanted) == 0)
        return TRUE;
    }
  return FALSE;
}

KlImportProfile *
kl_import_profile_store_find_for_header (const char          *dir,
                                         KlImportKind         kind,
                                         const char * const  *header,
                                         guint                n_header,
                                         GError             **error)
{
  g_autofree char *folder = dir_or_default (dir);
  g_autoptr(GPtrArray) profiles = NULL;
  g_autoptr(GKeyFile) index = NULL;
  g_autofree char *fingerprint = NULL;
  g_autofree char *saved_for = NULL;
  KlImportProfile *best = NULL;
  guint best_renamed = 0;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  profiles = list_with_paths (folder, NULL, error);
  if (profiles == NULL)
    return NULL;
  index = load_index (folder);
  fingerprint = kl_import_header_fingerprint (header, n_header);
  saved_for = g_key_file_get_string (index, INDEX_GROUP, fingerprint, NULL);

  for (guint i = 0; i < profiles->len; i++)
    {
      KlImportProfile *profile = g_ptr_array_index (profiles, i);
      guint n, renamed = 0;
      const KlImportContractColumn *columns;
      gboolean fits = TRUE;

      if (kl_import_profile_get_kind (profile) != kind)
        continue;
      if (saved_for != NULL && g_strcmp0 (kl_import_profile_get_name (profile), saved_for) == 0)
        return kl_import_profile_copy (profile);
      columns = kl_import_contract_columns (kind, &n);
      for (guint c = 0; c < n && fits; c++)
        {
          const char *source = kl_import_profile_get_column (profile, columns[c].name);

          if (source == NULL)
            continue;
          renamed++;
          fits = header_has (header, n_header, source);
        }
      if (fits && renamed > best_renamed)
        {
          best = profile;
          best_renamed = renamed;
        }
    }
  return best != NULL ? kl_import_profile_copy (best) : NULL;
}

KlImportProfile *
kl_import_profile_resolve (const char  *dir,
                           const char  *name_or_path,
                           GError     **error)
{
  g_return_val_if_fail (name_or_path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (strchr (name_or_path, '/') != NULL || g_str_has_suffix (name_or_path, ".json"))
    return kl_import_profile_load_file (name_or_path, error);
  return kl_import_profile_store_get (dir, name_or_path, error);
}
