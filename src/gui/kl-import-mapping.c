/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The mapping step of the Import dialog (kl-import-mapping.h). Rows are
 * made in code from the file's header and samples; every change makes a
 * new profile, and a dry run of it on the worker counts good and bad rows. */
#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "kl-customer-store.h"
#include "kl-csv.h"
#include "kl-import-mapping.h"
#include "kl-records.h"

#define MAX_COLUMNS 32
#define MAX_SAMPLES_SHOWN 3
#define MAX_PROBLEMS_SHOWN 5
#define COUNT_DELAY_MS 250

/* Forms tried on the samples, in the order offered. */
static const char * const date_forms[] = {
  "%d/%m/%Y %H:%M", "%d/%m/%Y %H:%M:%S", "%m/%d/%Y %H:%M", "%d.%m.%Y %H:%M", "%d-%m-%Y %H:%M",
  "%Y%m%d%H%M", "%Y%m%d%H%M%S", "%Y年%m月%d日 %H:%M", "%Y.%m.%d %H:%M",
  "%d/%m/%Y", "%m/%d/%Y", "%d.%m.%Y", "%Y%m%d", "%Y年%m月%d日", NULL
};

typedef struct {
  char       *column;
  char       *word;
  GtkWidget  *row;       /* AdwComboRow (words), AdwEntryRow (customer codes) */
  char      **choices;   /* the combo's values, "" first for "as written" */
} WordRow;

static void
word_row_free (WordRow *row)
{
  g_free (row->column);
  g_free (row->word);
  g_strfreev (row->choices);
  g_free (row);
}

struct _KlImportMapping {
  GtkBox                parent_instance;

  KlWorker             *worker;
  GFile                *file;
  char                 *display_name;
  KlImportKind          kind;
  char                **header;
  guint                 n_header;
  GPtrArray            *samples;            /* GStrv per row */
  GPtrArray            *customers;          /* KlCustomer */
  GHashTable           *chosen_words;       /* "column\x1fword" → value the user chose */
  char                 *start_name;

  const KlImportContractColumn *columns;
  guint                 n_columns;
  AdwComboRow          *column_row[MAX_COLUMNS];
  GPtrArray            *word_rows;          /* WordRow */
  GPtrArray            *form_widgets;       /* rows in forms_group */
  AdwComboRow          *date_row;
  AdwActionRow         *reading_row;        /* how the first date reads with the form chosen */
  char                **date_choices;       /* the forms offered; the last choice (NULL): the contract's */
  char                 *date_sample;        /* the file's first date the contract's forms do not read */
  guint                 n_date_samples;
  AdwComboRow          *weight_row;
  gboolean              building;

  GCancellable         *count_cancellable;
  guint                 count_source;
  guint                 generation;
  gboolean              counted;
  guint                 n_rows;
  guint                 n_bad;

  /* template */
  AdwEntryRow          *name_row;
  AdwComboRow          *kind_row;
  GtkSwitch            *update_switch;
  AdwActionRow         *count_row;
  GtkSpinner           *count_spinner;
  AdwPreferencesGroup  *columns_group;
  AdwPreferencesGroup  *words_group;
  AdwPreferencesGroup  *forms_group;
  AdwPreferencesGroup  *problems_group;
  GtkListBox           *problems_list;
};

G_DEFINE_FINAL_TYPE (KlImportMapping, kl_import_mapping, GTK_TYPE_BOX)

static void schedule_count (KlImportMapping *self);
static void rebuild_for_kind (KlImportMapping *self, const KlImportProfile *profile);
static void rebuild_words (KlImportMapping *self);
static void rebuild_forms (KlImportMapping *self);

/* The file's column index chosen for contract column f, or -1. */
static int
source_of (KlImportMapping *self,
           guint            f)
{
  guint selected = adw_combo_row_get_selected (self->column_row[f]);

  return selected == 0 || selected == GTK_INVALID_LIST_POSITION || selected > self->n_header
         ? -1 : (int) selected - 1;
}

static int
column_index (KlImportMapping *self,
              const char      *column)
{
  for (guint f = 0; f < self->n_columns; f++)
    if (g_strcmp0 (self->columns[f].name, column) == 0)
      return f;
  return -1;
}

static char *
trimmed (const char *text)
{
  return g_strstrip (g_strdup (text != NULL ? text : ""));
}

/* The distinct non-blank values of the file's column col in the samples. */
static GPtrArray *
distinct_values (KlImportMapping *self,
                 int              col)
{
  GPtrArray *values = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < self->samples->len; i++)
    {
      char **row = g_ptr_array_index (self->samples, i);
      g_autofree char *value = NULL;
      gboolean seen = FALSE;

      if ((guint) col >= g_strv_length (row))
        continue;
      value = trimmed (row[col]);
      if (*value == '\0')
        continue;
      for (guint j = 0; j < values->len && !seen; j++)
        seen = g_str_equal (g_ptr_array_index (values, j), value);
      if (!seen)
        g_ptr_array_add (values, g_steal_pointer (&value));
    }
  return values;
}

static char *
sample_text (KlImportMapping *self,
             int              col)
{
  g_autoptr(GPtrArray) values = distinct_values (self, col);
  g_autoptr(GString) out = g_string_new (NULL);

  for (guint i = 0; i < values->len && i < MAX_SAMPLES_SHOWN; i++)
    {
      g_autofree char *shown = kl_csv_escape (g_ptr_array_index (values, i), 24);

      g_string_append_printf (out, "%s%s", i > 0 ? " · " : "", shown);
    }
  if (values->len == 0)
    g_string_append (out, _("empty in the first rows"));
  return g_markup_escape_text (out->str, -1);
}

/* Suggestions */

typedef struct {
  const char *value;
  const char *hints;   /* '|'-separated pieces of words that mean value */
} Synonym;

static const Synonym status_synonyms[] = {
  { "delivered",  "妥投|签收|送达|到达|完成|delivered|pod" },
  { "in_transit", "运输|在途|途中|发运|已发|transit|shipped" },
  { "booked",     "下单|待|预约|受理|booked|open" },
  { "cancelled",  "作废|取消|撤|cancel|void" },
};

static const Synonym mode_synonyms[] = {
  { "road_ftl", "整车|ftl" }, { "road_ltl", "零担|ltl" }, { "rail", "铁|rail" },
  { "air", "空|航|air" }, { "sea", "海|船|sea|ocean" }, { "express", "快|express|courier" },
};

static const Synonym bool_synonyms[] = {
  { "true",  "有|齐|全|是|对|合格|yes|ok" },
  { "false", "无|缺|否|不|没|no|missing" },
};

static const char *
suggest_from (const Synonym *synonyms,
              guint          n,
              const char    *word)
{
  g_autofree char *folded = g_utf8_casefold (word, -1);

  for (guint i = 0; i < n; i++)
    {
      g_auto(GStrv) hints = g_strsplit (synonyms[i].hints, "|", -1);

      for (guint j = 0; hints[j] != NULL; j++)
        if (strstr (folded, hints[j]) != NULL)
          return synonyms[i].value;
    }
  return NULL;
}

static const char *
suggest_word (KlImportMapping              *self,
              const KlImportContractColumn *column,
              const char                   *word)
{
  if (column->type == KL_IMPORT_VALUE_BOOL)
    return suggest_from (bool_synonyms, G_N_ELEMENTS (bool_synonyms), word);
  if (self->kind == KL_IMPORT_SHIPMENTS && g_str_equal (column->name, "status"))
    return suggest_from (status_synonyms, G_N_ELEMENTS (status_synonyms), word);
  if (self->kind == KL_IMPORT_SHIPMENTS && g_str_equal (column->name, "mode"))
    return suggest_from (mode_synonyms, G_N_ELEMENTS (mode_synonyms), word);
  return NULL;
}

/* A customer whose name is the word, or holds it, or is held in it. */
static const KlCustomer *
suggest_customer (KlImportMapping *self,
                  const char      *word)
{
  const KlCustomer *close = NULL;

  for (guint i = 0; self->customers != NULL && i < self->customers->len; i++)
    {
      const KlCustomer *c = g_ptr_array_index (self->customers, i);

      if (g_strcmp0 (c->name, word) == 0 || g_strcmp0 (c->legal_name, word) == 0)
        return c;
      if (close == NULL && c->name != NULL && *c->name != '\0' &&
          (strstr (word, c->name) != NULL || strstr (c->name, word) != NULL))
        close = c;
    }
  return close;
}

static gboolean
is_customer_code (KlImportMapping *self,
                  const char      *word)
{
  for (guint i = 0; self->customers != NULL && i < self->customers->len; i++)
    if (g_strcmp0 (((KlCustomer *) g_ptr_array_index (self->customers, i))->code, word) == 0)
      return TRUE;
  return FALSE;
}

/* Rows */

static void
changed (KlImportMapping *self)
{
  if (!self->building)
    schedule_count (self);
}

static char *
word_key (const char *column,
          const char *word)
{
  return g_strdup_printf ("%s\x1f%s", column, word);
}

static void
word_changed (KlImportMapping *self)
{
  if (self->building)
    return;
  for (guint i = 0; i < self->word_rows->len; i++)
    {
      WordRow *row = g_ptr_array_index (self->word_rows, i);
      const char *value;

      if (ADW_IS_COMBO_ROW (row->row))
        value = row->choices[adw_combo_row_get_selected (ADW_COMBO_ROW (row->row))];
      else
        value = gtk_editable_get_text (GTK_EDITABLE (row->row));
      g_hash_table_insert (self->chosen_words, word_key (row->column, row->word), g_strdup (value));
    }
  schedule_count (self);
}

static void
column_changed (KlImportMapping *self)
{
  for (guint f = 0; f < self->n_columns; f++)
    {
      int col = source_of (self, f);
      g_autofree char *samples = col >= 0 ? sample_text (self, col) : NULL;

      adw_action_row_set_subtitle (ADW_ACTION_ROW (self->column_row[f]),
                                   samples != NULL ? samples : self->columns[f].alias);
    }
  if (self->building)
    return;
  self->building = TRUE;
  rebuild_words (self);
  rebuild_forms (self);
  self->building = FALSE;
  schedule_count (self);
}

static void
clear_group (AdwPreferencesGroup *group,
             GPtrArray           *widgets)
{
  for (guint i = 0; i < widgets->len; i++)
    adw_preferences_group_remove (group, g_ptr_array_index (widgets, i));
  g_ptr_array_set_size (widgets, 0);
}

static void
rebuild_words (KlImportMapping *self)
{
  gboolean any = FALSE;

  for (guint i = 0; i < self->word_rows->len; i++)
    adw_preferences_group_remove (self->words_group, ((WordRow *) g_ptr_array_index (self->word_rows, i))->row);
  g_ptr_array_set_size (self->word_rows, 0);

  for (guint f = 0; f < self->n_columns; f++)
    {
      const KlImportContractColumn *column = &self->columns[f];
      gboolean customer_code = self->kind == KL_IMPORT_SHIPMENTS && g_str_equal (column->name, "customer_code");
      g_autoptr(GPtrArray) values = NULL;
      g_auto(GStrv) words = NULL;
      int col = source_of (self, f);

      if (col < 0 || (!customer_code && column->type != KL_IMPORT_VALUE_WORD && column->type != KL_IMPORT_VALUE_BOOL))
        continue;
      if (!customer_code)
        words = kl_import_contract_words (self->kind, column);
      values = distinct_values (self, col);
      for (guint v = 0; v < values->len; v++)
        {
          const char *word = g_ptr_array_index (values, v);
          g_autofree char *key = word_key (column->name, word);
          const char *chosen = g_hash_table_lookup (self->chosen_words, key);
          g_autofree char *title = NULL;
          WordRow *row;

          if (customer_code ? is_customer_code (self, word) : kl_import_contract_value_ok (self->kind, column, word))
            continue;
          row = g_new0 (WordRow, 1);
          row->column = g_strdup (column->name);
          row->word = g_strdup (word);
          /* Translators: a word from the file, then the column it is in: "已妥投 in status" */
          title = g_strdup_printf (_("“%s” in %s"), word, column->name);
          if (customer_code)
            {
              const KlCustomer *suggested = chosen == NULL ? suggest_customer (self, word) : NULL;

              row->row = adw_entry_row_new ();
              adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row->row), title);
              adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row->row), FALSE);
              gtk_editable_set_text (GTK_EDITABLE (row->row),
                                     chosen != NULL ? chosen : suggested != NULL ? suggested->code : "");
              g_signal_connect_swapped (row->row, "changed", G_CALLBACK (word_changed), self);
            }
          else
            {
              g_autoptr(GtkStringList) model = gtk_string_list_new (NULL);
              const char *suggested = chosen != NULL ? chosen : suggest_word (self, column, word);
              guint n = g_strv_length (words);
              guint selected = 0;

              row->choices = g_new0 (char *, n + 2);
              row->choices[0] = g_strdup ("");
              gtk_string_list_append (model, _("Leave as written (a bad row)"));
              for (guint w = 0; w < n; w++)
                {
                  row->choices[w + 1] = g_strdup (words[w]);
                  gtk_string_list_append (model, words[w]);
                  if (g_strcmp0 (suggested, words[w]) == 0)
                    selected = w + 1;
                }
              row->row = adw_combo_row_new ();
              adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row->row), title);
              adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row->row), FALSE);
              adw_combo_row_set_model (ADW_COMBO_ROW (row->row), G_LIST_MODEL (model));
              adw_combo_row_set_selected (ADW_COMBO_ROW (row->row), selected);
              if (chosen == NULL && selected > 0)
                adw_action_row_set_subtitle (ADW_ACTION_ROW (row->row), _("Suggested; check it"));
              g_signal_connect_swapped (row->row, "notify::selected", G_CALLBACK (word_changed), self);
            }
          adw_preferences_group_add (self->words_group, row->row);
          g_ptr_array_add (self->word_rows, row);
          any = TRUE;
        }
    }
  gtk_widget_set_visible (GTK_WIDGET (self->words_group), any);
}

/* The forms that read every sample of the time columns the contract's
 * forms do not read; NULL when the contract's forms read them all. */
static GPtrArray *
fitting_forms (KlImportMapping  *self,
               guint            *out_n_samples,
               char            **out_first)
{
  g_autoptr(GPtrArray) unread = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  GPtrArray *forms;

  for (guint f = 0; f < self->n_columns; f++)
    {
      g_autoptr(GPtrArray) values = NULL;
      int col = source_of (self, f);

      if (col < 0 || self->columns[f].type != KL_IMPORT_VALUE_TIME)
        continue;
      values = distinct_values (self, col);
      for (guint v = 0; v < values->len; v++)
        {
          gint64 when;

          if (kl_csv_parse_time (g_ptr_array_index (values, v), utc, &when) != KL_CSV_VALUE_OK)
            g_ptr_array_add (unread, g_strdup (g_ptr_array_index (values, v)));
        }
    }
  *out_n_samples = unread->len;
  *out_first = unread->len > 0 ? g_strdup (g_ptr_array_index (unread, 0)) : NULL;
  if (unread->len == 0)
    return NULL;
  forms = g_ptr_array_new ();
  for (guint i = 0; date_forms[i] != NULL; i++)
    {
      gboolean all = TRUE;

      for (guint v = 0; v < unread->len && all; v++)
        {
          gint64 when;

          all = kl_import_profile_parse_time (date_forms[i], g_ptr_array_index (unread, v), utc, &when);
        }
      if (all)
        g_ptr_array_add (forms, (gpointer) date_forms[i]);
    }
  return forms;
}

/* Says how the first date of the file reads with the form chosen, so the
 * user can confirm it: "“03/10/2026 08:30” reads as 2026-10-03 08:30". */
static void
show_date_reading (KlImportMapping *self)
{
  const char *form = kl_import_mapping_get_date_form (self);
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  g_autofree char *reading = NULL;
  g_autofree char *subtitle = NULL;
  g_autofree char *escaped = NULL;
  gint64 when;

  if (self->date_row == NULL || self->reading_row == NULL || self->date_sample == NULL)
    return;
  if (form != NULL && kl_import_profile_parse_time (form, self->date_sample, utc, &when))
    {
      g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (when);

      reading = g_date_time_format (dt, "%Y-%m-%d %H:%M");
    }
  if (reading != NULL)
    /* Translators: a date from the file, then the same date as Keyline reads it */
    subtitle = g_strdup_printf (_("“%s” reads as %s"), self->date_sample, reading);
  else
    /* Translators: a date from the file */
    subtitle = g_strdup_printf (_("“%s” is not read as a date; its rows will be bad"), self->date_sample);
  escaped = g_markup_escape_text (subtitle, -1);
  adw_action_row_set_subtitle (self->reading_row, escaped);
}

static void
date_form_changed (KlImportMapping *self)
{
  show_date_reading (self);
  changed (self);
}

static void
rebuild_forms (KlImportMapping *self)
{
  g_autoptr(GPtrArray) forms = NULL;
  g_autoptr(GtkStringList) model = NULL;
  const char *previous = kl_import_mapping_get_date_form (self);
  g_autofree char *keep = g_strdup (previous);
  guint n_unread = 0;
  guint selected = 0;
  int weight = column_index (self, "weight_kg");

  clear_group (self->forms_group, self->form_widgets);
  self->date_row = NULL;
  self->reading_row = NULL;
  self->weight_row = NULL;
  g_clear_pointer (&self->date_choices, g_strfreev);

  g_clear_pointer (&self->date_sample, g_free);
  forms = fitting_forms (self, &n_unread, &self->date_sample);
  self->n_date_samples = n_unread;
  if (forms != NULL)
    {
      g_autofree char *subtitle = NULL;

      model = gtk_string_list_new (NULL);
      self->date_choices = g_new0 (char *, forms->len + 2);
      for (guint i = 0; i < forms->len; i++)
        {
          self->date_choices[i] = g_strdup (g_ptr_array_index (forms, i));
          gtk_string_list_append (model, self->date_choices[i]);
          if (g_strcmp0 (keep, self->date_choices[i]) == 0)
            selected = i;
        }
      self->date_choices[forms->len] = NULL;
      gtk_string_list_append (model, _("Keyline’s forms"));
      self->date_row = ADW_COMBO_ROW (adw_combo_row_new ());
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->date_row), _("Date form"));
      if (forms->len == 0)
        subtitle = g_strdup (_("No known form reads the file’s dates; their rows will be bad"));
      else
        /* Translators: how many of the file's dates the form was found from */
        subtitle = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Found from %u date; check day and month",
                                                 "Found from %u dates; check day and month", n_unread), n_unread);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (self->date_row), subtitle);
      adw_combo_row_set_model (self->date_row, G_LIST_MODEL (model));
      adw_combo_row_set_selected (self->date_row, forms->len == 0 ? 0 : selected);
      g_signal_connect_swapped (self->date_row, "notify::selected", G_CALLBACK (date_form_changed), self);
      adw_preferences_group_add (self->forms_group, GTK_WIDGET (self->date_row));
      g_ptr_array_add (self->form_widgets, self->date_row);
      self->reading_row = ADW_ACTION_ROW (adw_action_row_new ());
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->reading_row), _("The file’s first date"));
      adw_action_row_set_subtitle_lines (self->reading_row, 2);
      adw_preferences_group_add (self->forms_group, GTK_WIDGET (self->reading_row));
      g_ptr_array_add (self->form_widgets, self->reading_row);
      show_date_reading (self);
    }

  if (weight >= 0 && source_of (self, weight) >= 0)
    {
      g_autoptr(GtkStringList) units = gtk_string_list_new ((const char *[]) {
        _("Kilograms"), _("Tonnes (× 1000)"), _("Grams (× 0.001)"), NULL });
      g_autofree char *header = g_utf8_casefold (self->header[source_of (self, weight)], -1);

      self->weight_row = ADW_COMBO_ROW (adw_combo_row_new ());
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->weight_row), _("Weight unit"));
      adw_combo_row_set_model (self->weight_row, G_LIST_MODEL (units));
      /* A header that names its unit says it. */
      if (strstr (header, "吨") != NULL || strstr (header, "(t)") != NULL || strstr (header, "tonne") != NULL)
        adw_combo_row_set_selected (self->weight_row, 1);
      g_signal_connect_swapped (self->weight_row, "notify::selected", G_CALLBACK (changed), self);
      adw_preferences_group_add (self->forms_group, GTK_WIDGET (self->weight_row));
      g_ptr_array_add (self->form_widgets, self->weight_row);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->forms_group), self->form_widgets->len > 0);
}

/* The header column that looks like contract column f, or -1. */
static int
guess_source (KlImportMapping *self,
              guint            f,
              const gboolean  *used)
{
  const KlImportContractColumn *column = &self->columns[f];

  for (guint pass = 0; pass < 2; pass++)
    for (guint i = 0; i < self->n_header; i++)
      {
        g_autofree char *name = trimmed (self->header[i]);

        if (used[i] || *name == '\0')
          continue;
        if (pass == 0 && (g_ascii_strcasecmp (name, column->name) == 0 || g_str_equal (name, column->alias)))
          return i;
        /* A header holding the Chinese name: "重量(吨)" is the weight. */
        if (pass == 1 && g_utf8_strlen (column->alias, -1) >= 2 && strstr (name, column->alias) != NULL)
          return i;
      }
  return -1;
}

static void
build_columns (KlImportMapping       *self,
               const KlImportProfile *profile)
{
  g_autoptr(GtkStringList) model = gtk_string_list_new (NULL);
  gboolean used[256] = { FALSE };
  int chosen[MAX_COLUMNS];

  gtk_string_list_append (model, _("Not in the file"));
  for (guint i = 0; i < self->n_header; i++)
    gtk_string_list_append (model, self->header[i]);

  /* The profile's renames first, then the names themselves, then names
   * that hold a column's Chinese name. */
  for (guint f = 0; f < self->n_columns; f++)
    {
      const char *source = profile != NULL ? kl_import_profile_get_column (profile, self->columns[f].name) : NULL;

      chosen[f] = -1;
      for (guint i = 0; source != NULL && i < self->n_header && i < G_N_ELEMENTS (used); i++)
        {
          g_autofree char *name = trimmed (self->header[i]);

          if (g_ascii_strcasecmp (name, source) == 0)
            {
              chosen[f] = i;
              used[i] = TRUE;
              break;
            }
        }
    }
  for (guint f = 0; f < self->n_columns; f++)
    if (chosen[f] < 0 && (profile == NULL || kl_import_profile_get_column (profile, self->columns[f].name) == NULL))
      {
        chosen[f] = self->n_header <= G_N_ELEMENTS (used) ? guess_source (self, f, used) : -1;
        if (chosen[f] >= 0)
          used[chosen[f]] = TRUE;
      }

  for (guint f = 0; f < self->n_columns; f++)
    {
      AdwComboRow *row = ADW_COMBO_ROW (adw_combo_row_new ());
      g_autofree char *title = self->columns[f].required
                               /* Translators: a required column: "waybill (required)" */
                               ? g_strdup_printf (_("%s (required)"), self->columns[f].name)
                               : g_strdup (self->columns[f].name);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_combo_row_set_model (row, G_LIST_MODEL (model));
      adw_combo_row_set_selected (row, chosen[f] >= 0 ? (guint) chosen[f] + 1 : 0);
      gtk_widget_set_name (GTK_WIDGET (row), self->columns[f].name);
      g_signal_connect_swapped (row, "notify::selected", G_CALLBACK (column_changed), self);
      adw_preferences_group_add (self->columns_group, GTK_WIDGET (row));
      self->column_row[f] = row;
    }
}

/* Counting */

typedef struct {
  KlImportKind     kind;
  GFile           *file;
  char            *display_name;
  KlImportProfile *profile;
} CountJob;

static void
count_job_free (CountJob *job)
{
  g_object_unref (job->file);
  g_free (job->display_name);
  kl_import_profile_free (job->profile);
  g_free (job);
}

static gpointer
count_job (KlDatabase   *db,
           gpointer      data,
           KlWorkerJob  *job,
           GError      **error)
{
  CountJob *count = data;

  return kl_import_run_file_with_profile (db, count->kind, count->file, count->display_name, count->profile,
                                          KL_IMPORT_FLAGS_DRY_RUN, NULL, NULL,
                                          kl_worker_job_get_cancellable (job), error);
}

typedef struct {
  GWeakRef  self_ref;
  KlWorker *worker;
  guint     generation;
} CountRequest;

static void
show_problems (KlImportMapping *self,
               GPtrArray       *errors)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->problems_list))) != NULL)
    gtk_list_box_remove (self->problems_list, child);
  for (guint i = 0; errors != NULL && i < errors->len && i < MAX_PROBLEMS_SHOWN; i++)
    {
      GtkWidget *label = gtk_label_new (g_ptr_array_index (errors, i));

      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
      gtk_label_set_selectable (GTK_LABEL (label), TRUE);
      gtk_widget_add_css_class (label, "import-error");
      gtk_widget_set_margin_top (label, 6);
      gtk_widget_set_margin_bottom (label, 6);
      gtk_widget_set_margin_start (label, 12);
      gtk_widget_set_margin_end (label, 12);
      gtk_list_box_append (self->problems_list, label);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->problems_group), errors != NULL && errors->len > 0);
}

static void
count_done (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  CountRequest *request = user_data;
  g_autoptr(KlImportMapping) self = g_weak_ref_get (&request->self_ref);
  g_autoptr(GError) error = NULL;
  g_autoptr(KlImportResult) import_result = kl_worker_run_finish (request->worker, result, &error);

  if (self == NULL || request->generation != self->generation)
    goto out;
  gtk_spinner_set_spinning (self->count_spinner, FALSE);
  if (import_result == NULL)
    {
      g_autofree char *escaped = error != NULL ? g_markup_escape_text (error->message, -1) : NULL;

      if (g_error_matches (error, KL_IMPORT_ERROR, KL_IMPORT_ERROR_CANCELLED) ||
          g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        goto out;
      self->counted = TRUE;
      self->n_rows = 0;
      self->n_bad = 0;
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->count_row), _("The file cannot be read this way"));
      adw_action_row_set_subtitle (self->count_row, escaped != NULL ? escaped : "");
      show_problems (self, NULL);
      goto out;
    }
  self->counted = TRUE;
  self->n_rows = import_result->n_rows;
  self->n_bad = import_result->n_bad;
  {
    guint good = import_result->n_rows - import_result->n_bad;
    g_autofree char *good_text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u good row", "%u good rows", good), good);
    g_autofree char *bad_text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u bad row", "%u bad rows",
                                                              import_result->n_bad), import_result->n_bad);
    /* Translators: "58 good rows, 2 bad rows" */
    g_autofree char *title = g_strdup_printf (_("%s, %s"), good_text, bad_text);

    adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->count_row), title);
    adw_action_row_set_subtitle (self->count_row, _("Counted over the whole file as mapped now"));
  }
  show_problems (self, import_result->errors);

out:
  g_weak_ref_clear (&request->self_ref);
  g_object_unref (request->worker);
  g_free (request);
}

static gboolean
run_count (gpointer user_data)
{
  KlImportMapping *self = user_data;
  CountJob *job;
  CountRequest *request;

  self->count_source = 0;
  if (self->worker == NULL)
    return G_SOURCE_REMOVE;
  g_cancellable_cancel (self->count_cancellable);
  g_clear_object (&self->count_cancellable);
  self->count_cancellable = g_cancellable_new ();

  job = g_new0 (CountJob, 1);
  job->kind = self->kind;
  job->file = g_object_ref (self->file);
  job->display_name = g_strdup (self->display_name);
  job->profile = kl_import_mapping_get_profile (self);
  request = g_new0 (CountRequest, 1);
  g_weak_ref_init (&request->self_ref, self);
  request->worker = g_object_ref (self->worker);
  request->generation = self->generation;
  kl_worker_run (self->worker, KL_WORKER_READ, count_job, job, (GDestroyNotify) count_job_free,
                 (GDestroyNotify) kl_import_result_free, NULL, NULL, self->count_cancellable,
                 count_done, request);
  return G_SOURCE_REMOVE;
}

static void
schedule_count (KlImportMapping *self)
{
  self->generation++;
  self->counted = FALSE;
  gtk_spinner_set_spinning (self->count_spinner, TRUE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->count_row), _("Counting good and bad rows…"));
  adw_action_row_set_subtitle (self->count_row, "");
  /* A burst of changes (typing a code) starts one count. */
  g_clear_handle_id (&self->count_source, g_source_remove);
  self->count_source = g_timeout_add (COUNT_DELAY_MS, run_count, self);
}

/* Customers, for the codes of customers named instead of coded */

static gpointer
customers_job (KlDatabase   *db,
               gpointer      data,
               KlWorkerJob  *job,
               GError      **error)
{
  KlCustomerFilter filter = KL_CUSTOMER_FILTER_INIT;

  return kl_customer_store_list (db, &filter, 0, -1, error);
}

static void
customers_done (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  CountRequest *request = user_data;
  g_autoptr(KlImportMapping) self = g_weak_ref_get (&request->self_ref);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) customers = kl_worker_run_finish (request->worker, result, &error);

  if (self != NULL && customers != NULL)
    {
      g_clear_pointer (&self->customers, g_ptr_array_unref);
      self->customers = g_steal_pointer (&customers);
      self->building = TRUE;
      rebuild_words (self);
      self->building = FALSE;
      schedule_count (self);
    }
  else if (error != NULL)
    g_warning ("The customers could not be read for the mapping: %s", error->message);
  g_weak_ref_clear (&request->self_ref);
  g_object_unref (request->worker);
  g_free (request);
}

/* Public */

void
kl_import_mapping_set_file (KlImportMapping        *self,
                            KlWorker               *worker,
                            GFile                  *file,
                            const char             *display_name,
                            KlImportKind            kind,
                            const char * const     *header,
                            GPtrArray              *samples,
                            const KlImportProfile  *profile)
{
  CountRequest *request;

  g_return_if_fail (KL_IS_IMPORT_MAPPING (self));
  g_return_if_fail (KL_IS_WORKER (worker));
  g_return_if_fail (G_IS_FILE (file));

  g_set_object (&self->worker, worker);
  g_set_object (&self->file, file);
  g_free (self->display_name);
  self->display_name = g_strdup (display_name);
  self->kind = profile != NULL ? kl_import_profile_get_kind (profile) : kind;
  g_strfreev (self->header);
  self->header = g_strdupv ((char **) header);
  self->n_header = g_strv_length (self->header);
  g_clear_pointer (&self->samples, g_ptr_array_unref);
  self->samples = g_ptr_array_ref (samples);
  g_hash_table_remove_all (self->chosen_words);

  self->building = TRUE;
  adw_combo_row_set_selected (self->kind_row, self->kind == KL_IMPORT_SHIPMENTS ? 0 : 1);
  rebuild_for_kind (self, profile);
  self->building = FALSE;
  schedule_count (self);

  request = g_new0 (CountRequest, 1);
  g_weak_ref_init (&request->self_ref, self);
  request->worker = g_object_ref (worker);
  kl_worker_run (worker, KL_WORKER_READ, customers_job, NULL, NULL, (GDestroyNotify) g_ptr_array_unref,
                 NULL, NULL, NULL, customers_done, request);
}

/* Every row again, for self->kind, starting from profile when given. */
static void
rebuild_for_kind (KlImportMapping       *self,
                  const KlImportProfile *profile)
{
  for (guint f = 0; f < self->n_columns; f++)
    adw_preferences_group_remove (self->columns_group, GTK_WIDGET (self->column_row[f]));
  self->columns = kl_import_contract_columns (self->kind, &self->n_columns);
  g_assert (self->n_columns <= MAX_COLUMNS);

  gtk_editable_set_text (GTK_EDITABLE (self->name_row), profile != NULL ? kl_import_profile_get_name (profile) : "");
  gtk_switch_set_active (self->update_switch, profile != NULL && kl_import_profile_get_update_only (profile));
  if (profile != NULL)
    for (guint f = 0; f < self->n_columns; f++)
      {
        g_autofree const char **values = kl_import_profile_get_values (profile, self->columns[f].name);

        for (guint j = 0; values != NULL && values[j] != NULL; j += 2)
          g_hash_table_insert (self->chosen_words, word_key (self->columns[f].name, values[j]),
                               g_strdup (values[j + 1]));
      }
  build_columns (self, profile);
  rebuild_words (self);
  rebuild_forms (self);
  if (profile != NULL && self->date_row != NULL && self->date_choices != NULL)
    {
      const char * const *formats = kl_import_profile_get_timestamp_formats (profile);

      for (guint i = 0; formats[0] != NULL && self->date_choices[i] != NULL; i++)
        if (g_str_equal (self->date_choices[i], formats[0]))
          adw_combo_row_set_selected (self->date_row, i);
    }
  if (profile != NULL && self->weight_row != NULL)
    {
      const char *scale = kl_import_profile_get_scale (profile, "weight_kg");

      adw_combo_row_set_selected (self->weight_row,
                                  g_strcmp0 (scale, "1000") == 0 ? 1 : g_strcmp0 (scale, "0.001") == 0 ? 2 : 0);
    }
  column_changed (self);
}

static void
kind_changed (KlImportMapping *self)
{
  KlImportKind kind = adw_combo_row_get_selected (self->kind_row) == 0 ? KL_IMPORT_SHIPMENTS : KL_IMPORT_CUSTOMERS;

  if (self->building || kind == self->kind || self->header == NULL)
    return;
  self->kind = kind;
  self->building = TRUE;
  rebuild_for_kind (self, NULL);
  self->building = FALSE;
  schedule_count (self);
}

KlImportProfile *
kl_import_mapping_get_profile (KlImportMapping *self)
{
  KlImportProfile *profile;
  g_autofree char *name = NULL;

  g_return_val_if_fail (KL_IS_IMPORT_MAPPING (self), NULL);

  name = trimmed (gtk_editable_get_text (GTK_EDITABLE (self->name_row)));
  profile = kl_import_profile_new (name, self->kind);
  for (guint f = 0; f < self->n_columns; f++)
    {
      int col = source_of (self, f);
      g_autofree char *source = col >= 0 ? trimmed (self->header[col]) : NULL;

      if (source != NULL &&
          g_ascii_strcasecmp (source, self->columns[f].name) != 0 && !g_str_equal (source, self->columns[f].alias))
        kl_import_profile_set_column (profile, self->columns[f].name, source);
    }
  for (guint i = 0; i < self->word_rows->len; i++)
    {
      WordRow *row = g_ptr_array_index (self->word_rows, i);
      g_autofree char *value = NULL;

      if (ADW_IS_COMBO_ROW (row->row))
        value = g_strdup (row->choices[adw_combo_row_get_selected (ADW_COMBO_ROW (row->row))]);
      else
        value = trimmed (gtk_editable_get_text (GTK_EDITABLE (row->row)));
      if (*value != '\0')
        kl_import_profile_set_value (profile, row->column, row->word, value);
    }
  if (kl_import_mapping_get_date_form (self) != NULL)
    kl_import_profile_set_timestamp_formats (profile, (const char *[]) { kl_import_mapping_get_date_form (self), NULL });
  if (self->weight_row != NULL)
    {
      guint unit = adw_combo_row_get_selected (self->weight_row);

      kl_import_profile_set_scale (profile, "weight_kg", unit == 1 ? "1000" : unit == 2 ? "0.001" : NULL);
    }
  kl_import_profile_set_update_only (profile, gtk_switch_get_active (self->update_switch));
  return profile;
}

void
kl_import_mapping_set_column (KlImportMapping *self,
                              const char      *column,
                              const char      *source)
{
  int f;

  g_return_if_fail (KL_IS_IMPORT_MAPPING (self));
  f = column_index (self, column);
  g_return_if_fail (f >= 0);
  for (guint i = 0; i < self->n_header; i++)
    if (g_strcmp0 (self->header[i], source) == 0)
      {
        adw_combo_row_set_selected (self->column_row[f], i + 1);
        return;
      }
  adw_combo_row_set_selected (self->column_row[f], 0);
}

const char *
kl_import_mapping_get_column (KlImportMapping *self,
                              const char      *column)
{
  int f;

  g_return_val_if_fail (KL_IS_IMPORT_MAPPING (self), NULL);
  f = column_index (self, column);
  g_return_val_if_fail (f >= 0, NULL);
  return source_of (self, f) >= 0 ? self->header[source_of (self, f)] : "";
}

static WordRow *
find_word_row (KlImportMapping *self,
               const char      *column,
               const char      *word)
{
  for (guint i = 0; i < self->word_rows->len; i++)
    {
      WordRow *row = g_ptr_array_index (self->word_rows, i);

      if (g_str_equal (row->column, column) && g_str_equal (row->word, word))
        return row;
    }
  return NULL;
}

const char *
kl_import_mapping_get_word (KlImportMapping *self,
                            const char      *column,
                            const char      *word)
{
  WordRow *row;

  g_return_val_if_fail (KL_IS_IMPORT_MAPPING (self), NULL);
  row = find_word_row (self, column, word);
  if (row == NULL)
    return NULL;
  if (ADW_IS_COMBO_ROW (row->row))
    return row->choices[adw_combo_row_get_selected (ADW_COMBO_ROW (row->row))];
  return gtk_editable_get_text (GTK_EDITABLE (row->row));
}

void
kl_import_mapping_set_word (KlImportMapping *self,
                            const char      *column,
                            const char      *word,
                            const char      *value)
{
  WordRow *row;

  g_return_if_fail (KL_IS_IMPORT_MAPPING (self));
  row = find_word_row (self, column, word);
  g_return_if_fail (row != NULL);
  if (ADW_IS_COMBO_ROW (row->row))
    {
      for (guint i = 0; row->choices[i] != NULL; i++)
        if (g_strcmp0 (row->choices[i], value) == 0)
          adw_combo_row_set_selected (ADW_COMBO_ROW (row->row), i);
    }
  else
    gtk_editable_set_text (GTK_EDITABLE (row->row), value);
}

const char *
kl_import_mapping_get_date_form (KlImportMapping *self)
{
  guint selected;

  g_return_val_if_fail (KL_IS_IMPORT_MAPPING (self), NULL);
  if (self->date_row == NULL || self->date_choices == NULL)
    return NULL;
  selected = adw_combo_row_get_selected (self->date_row);
  if (selected >= g_strv_length (self->date_choices))
    return NULL;
  return self->date_choices[selected];
}

void
kl_import_mapping_set_name (KlImportMapping *self,
                            const char      *name)
{
  g_return_if_fail (KL_IS_IMPORT_MAPPING (self));
  gtk_editable_set_text (GTK_EDITABLE (self->name_row), name);
}

gboolean
kl_import_mapping_get_count (KlImportMapping *self,
                             guint           *n_rows,
                             guint           *n_bad)
{
  g_return_val_if_fail (KL_IS_IMPORT_MAPPING (self), FALSE);
  if (!self->counted)
    return FALSE;
  *n_rows = self->n_rows;
  *n_bad = self->n_bad;
  return TRUE;
}

static void
kl_import_mapping_dispose (GObject *object)
{
  KlImportMapping *self = KL_IMPORT_MAPPING (object);

  g_clear_handle_id (&self->count_source, g_source_remove);
  g_cancellable_cancel (self->count_cancellable);
  g_clear_object (&self->count_cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), KL_TYPE_IMPORT_MAPPING);
  g_clear_object (&self->worker);
  g_clear_object (&self->file);
  G_OBJECT_CLASS (kl_import_mapping_parent_class)->dispose (object);
}

static void
kl_import_mapping_finalize (GObject *object)
{
  KlImportMapping *self = KL_IMPORT_MAPPING (object);

  g_free (self->display_name);
  g_strfreev (self->header);
  g_clear_pointer (&self->samples, g_ptr_array_unref);
  g_clear_pointer (&self->customers, g_ptr_array_unref);
  g_hash_table_unref (self->chosen_words);
  g_ptr_array_unref (self->word_rows);
  g_ptr_array_unref (self->form_widgets);
  g_strfreev (self->date_choices);
  g_free (self->date_sample);
  g_free (self->start_name);
  G_OBJECT_CLASS (kl_import_mapping_parent_class)->finalize (object);
}

static void
kl_import_mapping_class_init (KlImportMappingClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = kl_import_mapping_dispose;
  object_class->finalize = kl_import_mapping_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/keyline/Keyline/kl-import-mapping.ui");
  gtk_widget_class_bind_template_child (widget_class, KlImportMapping, name_row);
  gtk_widget_class_bind_template_child (widget_class, KlImportMapping, kind_row);
  gtk_widget_class_bind_template_child (widget_class, KlImportMapping, update_switch);
  gtk_widget_class_bind_template_child (widget_class, KlImportMapping, count_row);
  gtk_widget_class_bind_template_child (widget_class, KlImportMapping, count_spinner);
  gtk_widget_class_bind_template_child (widget_class, KlImportMapping, columns_group);
  gtk_widget_class_bind_template_child (widget_class, KlImportMapping, words_group);
  gtk_widget_class_bind_template_child (widget_class, KlImportMapping, forms_group);
  gtk_widget_class_bind_template_child (widget_class, KlImportMapping, problems_group);
  gtk_widget_class_bind_template_child (widget_class, KlImportMapping, problems_list);
  gtk_widget_class_set_css_name (widget_class, "importmapping");
}

static void
kl_import_mapping_init (KlImportMapping *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->chosen_words = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->word_rows = g_ptr_array_new_with_free_func ((GDestroyNotify) word_row_free);
  self->form_widgets = g_ptr_array_new ();
  g_signal_connect_swapped (self->update_switch, "notify::active", G_CALLBACK (changed), self);
  {
    g_autoptr(GtkStringList) kinds = gtk_string_list_new ((const char *[]) { _("Shipments"), _("Customers"), NULL });

    adw_combo_row_set_model (self->kind_row, G_LIST_MODEL (kinds));
    g_signal_connect_swapped (self->kind_row, "notify::selected", G_CALLBACK (kind_changed), self);
  }
  gtk_widget_set_visible (GTK_WIDGET (self->problems_group), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->words_group), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->forms_group), FALSE);
}

GtkWidget *
kl_import_mapping_new (void)
{
  return g_object_new (KL_TYPE_IMPORT_MAPPING, NULL);
}
