/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Preferences → Back Office: see kl-sync-preferences.h. */

#include "config.h"

#include <glib/gi18n.h>

#include "kl-sync-engine.h"
#include "kl-sync-preferences.h"
#include "kl-sync-store.h"
#include "kl-sync-token.h"

typedef struct {
  GtkWidget      *page;     /* not owned: it owns this */
  KlWorker       *worker;
  AdwEntryRow    *url_row;
  AdwEntryRow    *token_row;
  AdwActionRow   *status_row;
  GtkButton      *sign_in;
  GtkButton      *sign_out;
  AdwComboRow    *interval_row;
  GSettings      *settings;
  GArray         *minutes;  /* guint per choice of interval_row */
  gboolean        filling;
} Page;

static void
page_free (Page *p)
{
  if (p->settings != NULL)
    g_signal_handlers_disconnect_by_data (p->settings, p);
  g_clear_object (&p->settings);
  g_clear_pointer (&p->minutes, g_array_unref);
  g_clear_object (&p->worker);
  g_free (p);
}

/* The automatic sync's interval: Off, or every N minutes (the
 * "sync-interval" setting, which the header bar's sync button follows). */
static char *
interval_label (guint minutes)
{
  if (minutes == 0)
    return g_strdup (_("Off (only when asked)"));
  if (minutes % 60 == 0)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Every hour", "Every %u hours", minutes / 60), minutes / 60);
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Every %u minute", "Every %u minutes", minutes), minutes);
}

static void
interval_fill (Page *p)
{
  static const guint choices[] = { 0, 5, 15, 30, 60 };
  guint current = g_settings_get_uint (p->settings, "sync-interval");
  g_autoptr(GtkStringList) list = gtk_string_list_new (NULL);
  guint selected = 0;
  gboolean found = FALSE;

  g_array_set_size (p->minutes, 0);
  for (guint i = 0; i < G_N_ELEMENTS (choices); i++)
    {
      if (!found && current < choices[i])
        {
          /* a value set elsewhere (gsettings) shows as it is */
          g_array_append_val (p->minutes, current);
          found = TRUE;
        }
      if (choices[i] == current)
        found = TRUE;
      g_array_append_val (p->minutes, choices[i]);
    }
  if (!found)
    g_array_append_val (p->minutes, current);
  for (guint i = 0; i < p->minutes->len; i++)
    {
      g_autofree char *label = interval_label (g_array_index (p->minutes, guint, i));

      gtk_string_list_append (list, label);
      if (g_array_index (p->minutes, guint, i) == current)
        selected = i;
    }
  p->filling = TRUE;
  adw_combo_row_set_model (p->interval_row, G_LIST_MODEL (list));
  adw_combo_row_set_selected (p->interval_row, selected);
  p->filling = FALSE;
}

static void
on_interval_selected (AdwComboRow *row, GParamSpec *pspec, Page *p)
{
  guint i = adw_combo_row_get_selected (row);

  if (p->filling || i >= p->minutes->len)
    return;
  g_settings_set_uint (p->settings, "sync-interval", g_array_index (p->minutes, guint, i));
}

static void
on_interval_changed (GSettings *settings, const char *key, Page *p)
{
  guint i = adw_combo_row_get_selected (p->interval_row);

  if (i < p->minutes->len && g_array_index (p->minutes, guint, i) == g_settings_get_uint (settings, key))
    return;
  interval_fill (p);
}

typedef struct {
  char   *url;
  char   *token;
  char   *user;
  char   *name;
  gint64  offset;
  gboolean stored;
  char   *store_error;
} SignIn;

static void
sign_in_free (SignIn *s)
{
  g_free (s->url);
  g_free (s->token);
  g_free (s->user);
  g_free (s->name);
  g_free (s->store_error);
  g_free (s);
}

static void
sign_in_thread (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  SignIn *s = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(KlSyncClient) client = kl_sync_client_new (s->url, s->token, &error);
  gint64 server_time;

  if (client == NULL || !kl_sync_check_me (client, &s->user, &s->name, &server_time, cancellable, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  s->offset = server_time - g_get_real_time () / G_USEC_PER_SEC;
  g_free (s->url);
  s->url = g_strdup (kl_sync_client_get_url (client));
  if (g_getenv ("KEYLINE_TOKEN") != NULL && *g_getenv ("KEYLINE_TOKEN") != '\0')
    {
      /* KEYLINE_TOKEN overrides the keyring: nothing is stored there. */
      s->stored = FALSE;
      s->store_error = g_strdup (_("KEYLINE_TOKEN is set, so the keyring was left alone"));
    }
  else
    {
      s->stored = kl_sync_token_store (s->url, s->token, cancellable, &error);
      if (!s->stored)
        s->store_error = g_strdup (error->message);
    }
  g_task_return_boolean (task, TRUE);
}

static gpointer
save_settings_job (KlDatabase *db, gpointer data, KlWorkerJob *job, GError **error)
{
  char **kv = data;

  if (!kl_database_set_setting (db, KL_SYNC_SETTING_SERVER, kv[0], error) ||
      !kl_database_set_setting (db, KL_SYNC_SETTING_USER, kv[1], error))
    return NULL;
  return NULL;
}

static void
settings_saved (GObject *source, GAsyncResult *res, gpointer data)
{
  g_autoptr(GError) error = NULL;

  kl_worker_run_finish (KL_WORKER (source), res, &error);
  if (error != NULL)
    g_warning ("Saving the back office: %s", error->message);
}

static void
signed_in (GObject *source, GAsyncResult *res, gpointer data)
{
  Page *p = data;
  SignIn *s = g_task_get_task_data (G_TASK (res));
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  gtk_widget_set_sensitive (GTK_WIDGET (p->sign_in), TRUE);
  if (!g_task_propagate_boolean (G_TASK (res), &error))
    {
      adw_action_row_set_subtitle (p->status_row, error->message);
      return;
    }
  /* Translators: the display name, the user name, and the server's clock minus this computer's, in seconds */
  text = g_strdup_printf (_("Signed in as %s (%s); the server’s clock is %+lld s from this computer’s"),
                          s->name, s->user, (long long) s->offset);
  if (!s->stored)
    {
      g_autofree char *more = g_strdup_printf ("%s. %s", text, s->store_error);

      adw_action_row_set_subtitle (p->status_row, more);
    }
  else
    adw_action_row_set_subtitle (p->status_row, text);
  gtk_editable_set_text (GTK_EDITABLE (p->token_row), "");
  gtk_widget_set_sensitive (GTK_WIDGET (p->sign_out), TRUE);
  if (p->worker != NULL)
    {
      char **kv = g_new0 (char *, 3);

      kv[0] = g_strdup (s->url);
      kv[1] = g_strdup (s->user);
      kl_worker_run (p->worker, KL_WORKER_WRITE, save_settings_job, kv, (GDestroyNotify) g_strfreev, NULL,
                     NULL, NULL, NULL, settings_saved, NULL);
    }
}

static void
on_sign_in (GtkButton *button, Page *p)
{
  SignIn *s = g_new0 (SignIn, 1);
  g_autoptr(GTask) task = NULL;

  s->url = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (p->url_row))));
  s->token = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (p->token_row))));
  gtk_widget_set_sensitive (GTK_WIDGET (p->sign_in), FALSE);
  adw_action_row_set_subtitle (p->status_row, _("Checking the token…"));
  task = g_task_new (p->page, NULL, signed_in, p);
  g_task_set_task_data (task, s, (GDestroyNotify) sign_in_free);
  g_task_run_in_thread (task, sign_in_thread);
}

static void
sign_out_thread (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  g_autoptr(GError) error = NULL;

  if (!kl_sync_token_clear (data, cancellable, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

static void
signed_out (GObject *source, GAsyncResult *res, gpointer data)
{
  Page *p = data;
  g_autoptr(GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (res), &error))
    adw_action_row_set_subtitle (p->status_row, error->message);
  else
    {
      adw_action_row_set_subtitle (p->status_row, _("Signed out; the token was removed from the keyring"));
      gtk_widget_set_sensitive (GTK_WIDGET (p->sign_out), FALSE);
    }
}

static void
on_sign_out (GtkButton *button, Page *p)
{
  g_autoptr(GTask) task = g_task_new (p->page, NULL, signed_out, p);

  g_task_set_task_data (task, g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (p->url_row)))), g_free);
  g_task_run_in_thread (task, sign_out_thread);
}

static void
weak_ref_free (GWeakRef *ref)
{
  g_weak_ref_clear (ref);
  g_free (ref);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GWeakRef, weak_ref_free)

static gpointer
read_settings_job (KlDatabase *db, gpointer data, KlWorkerJob *job, GError **error)
{
  char **kv = g_new0 (char *, 3);

  kv[0] = kl_database_get_setting (db, KL_SYNC_SETTING_SERVER);
  kv[1] = kl_database_get_setting (db, KL_SYNC_SETTING_USER);
  return kv;
}

static void
settings_read (GObject *source, GAsyncResult *res, gpointer data)
{
  g_autoptr(GWeakRef) ref = data;
  g_autoptr(AdwPreferencesPage) page = g_weak_ref_get (ref);
  g_auto(GStrv) kv = kl_worker_run_finish (KL_WORKER (source), res, NULL);
  Page *p;

  if (page == NULL || kv == NULL)
    return;
  p = g_object_get_data (G_OBJECT (page), "kl-sync-page");
  if (kv[0] != NULL)
    gtk_editable_set_text (GTK_EDITABLE (p->url_row), kv[0]);
  if (kv[1] != NULL)
    {
      /* Translators: %s is a user name */
      g_autofree char *text = g_strdup_printf (_("Signed in as %s"), kv[1]);

      adw_action_row_set_subtitle (p->status_row, text);
      gtk_widget_set_sensitive (GTK_WIDGET (p->sign_out), TRUE);
    }
  else if (g_getenv ("KEYLINE_TOKEN") != NULL && *g_getenv ("KEYLINE_TOKEN") != '\0')
    /* the environment's token stands in for the keyring's, as for the CLI */
    adw_action_row_set_subtitle (p->status_row, _("Signed in with KEYLINE_TOKEN"));
}

AdwPreferencesPage *
kl_sync_preferences_page_new (KlWorker *worker)
{
  AdwPreferencesPage *page = ADW_PREFERENCES_PAGE (adw_preferences_page_new ());
  AdwPreferencesGroup *group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  GtkWidget *buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  Page *p = g_new0 (Page, 1);

  p->page = GTK_WIDGET (page);
  p->worker = worker ? g_object_ref (worker) : NULL;
  adw_preferences_page_set_title (page, _("Back Office"));
  /* The welcome page's Connect to a Back Office opens Preferences here. */
  adw_preferences_page_set_name (page, "back-office");
  adw_preferences_page_set_icon_name (page, "network-server-symbolic");
  adw_preferences_page_set_name (page, "back-office");
  adw_preferences_group_set_title (group, _("Back Office"));
  adw_preferences_group_set_description (group, _("Customers, claims and shipments are synced with the "
                                                  "company’s back office. The token is kept in the desktop keyring."));
  p->url_row = ADW_ENTRY_ROW (adw_entry_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (p->url_row), _("Server Address"));
  gtk_widget_set_name (GTK_WIDGET (p->url_row), "server-url");
  p->token_row = ADW_ENTRY_ROW (adw_password_entry_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (p->token_row), _("API Token"));
  gtk_widget_set_name (GTK_WIDGET (p->token_row), "token");
  p->status_row = ADW_ACTION_ROW (adw_action_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (p->status_row), _("Status"));
  adw_action_row_set_subtitle (p->status_row, _("Not signed in"));
  gtk_widget_set_name (GTK_WIDGET (p->status_row), "sign-in-status");
  p->sign_in = GTK_BUTTON (gtk_button_new_with_mnemonic (_("_Sign In")));
  gtk_widget_add_css_class (GTK_WIDGET (p->sign_in), "suggested-action");
  gtk_widget_set_name (GTK_WIDGET (p->sign_in), "sign-in");
  p->sign_out = GTK_BUTTON (gtk_button_new_with_mnemonic (_("Sign _Out")));
  gtk_widget_set_sensitive (GTK_WIDGET (p->sign_out), FALSE);
  gtk_widget_set_name (GTK_WIDGET (p->sign_out), "sign-out");
  gtk_widget_set_halign (buttons, GTK_ALIGN_END);
  gtk_widget_set_margin_top (buttons, 12);
  gtk_box_append (GTK_BOX (buttons), GTK_WIDGET (p->sign_out));
  gtk_box_append (GTK_BOX (buttons), GTK_WIDGET (p->sign_in));
  adw_preferences_group_add (group, GTK_WIDGET (p->url_row));
  adw_preferences_group_add (group, GTK_WIDGET (p->token_row));
  adw_preferences_group_add (group, GTK_WIDGET (p->status_row));
  adw_preferences_group_add (group, buttons);
  adw_preferences_page_add (page, group);

  group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  adw_preferences_group_set_title (group, _("Automatic Sync"));
  p->interval_row = ADW_COMBO_ROW (adw_combo_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (p->interval_row), _("Sync Automatically"));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (p->interval_row),
                               _("Changes are also synced when the network comes back, and Sync Now works at any time"));
  gtk_widget_set_name (GTK_WIDGET (p->interval_row), "sync-interval");
  p->settings = g_settings_new ("io.github.keyline.Keyline");
  p->minutes = g_array_new (FALSE, FALSE, sizeof (guint));
  interval_fill (p);
  g_signal_connect (p->interval_row, "notify::selected", G_CALLBACK (on_interval_selected), p);
  g_signal_connect (p->settings, "changed::sync-interval", G_CALLBACK (on_interval_changed), p);
  adw_preferences_group_add (group, GTK_WIDGET (p->interval_row));
  adw_preferences_page_add (page, group);

  g_signal_connect (p->sign_in, "clicked", G_CALLBACK (on_sign_in), p);
  g_signal_connect (p->sign_out, "clicked", G_CALLBACK (on_sign_out), p);
  g_object_set_data_full (G_OBJECT (page), "kl-sync-page", p, (GDestroyNotify) page_free);
  if (worker != NULL)
    {
      GWeakRef *ref = g_new0 (GWeakRef, 1);

      g_weak_ref_init (ref, page);
      kl_worker_run (worker, KL_WORKER_READ, read_settings_job, NULL, NULL, (GDestroyNotify) g_strfreev,
                     NULL, NULL, NULL, settings_read, ref);
    }
  return page;
}
