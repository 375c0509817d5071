/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Import profiles: the JSON of docs/import.md read, checked and written,
 * and what a profile does to one field's text. No workspace is needed. */

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "kl-claim-money.h"
#include "kl-csv.h"
#include "kl-enums.h"
#include "kl-import-profile.h"

G_DEFINE_QUARK (kl-import-profile-error-quark, kl_import_profile_error)

/* The contract's columns (docs/import.md) */

static const KlImportContractColumn shipment_columns[] = {
  { "waybill",             "运单号",       KL_IMPORT_VALUE_KEY,      TRUE },
  { "customer_code",       "客户编码",     KL_IMPORT_VALUE_KEY,      TRUE },
  { "status",              "状态",         KL_IMPORT_VALUE_WORD,     TRUE },
  { "mode",                "运输方式",     KL_IMPORT_VALUE_WORD,     FALSE },
  { "origin_city",         "始发城市",     KL_IMPORT_VALUE_TEXT,     FALSE },
  { "origin_region",       "始发区域",     KL_IMPORT_VALUE_TEXT,     FALSE },
  { "dest_city",           "目的城市",     KL_IMPORT_VALUE_TEXT,     FALSE },
  { "dest_region",         "目的区域",     KL_IMPORT_VALUE_TEXT,     FALSE },
  { "pieces",              "件数",         KL_IMPORT_VALUE_COUNT,    TRUE },
  { "weight_kg",           "重量",         KL_IMPORT_VALUE_DECIMAL,  FALSE },
  { "volume_m3",           "体积",         KL_IMPORT_VALUE_DECIMAL,  FALSE },
  { "planned_pickup_at",   "计划提货时间", KL_IMPORT_VALUE_TIME,     TRUE },
  { "picked_up_at",        "实际提货时间", KL_IMPORT_VALUE_TIME,     FALSE },
  { "planned_delivery_at", "计划送达时间", KL_IMPORT_VALUE_TIME,     TRUE },
  { "delivered_at",        "实际送达时间", KL_IMPORT_VALUE_TIME,     FALSE },
  { "documents_ok",        "单证准确",     KL_IMPORT_VALUE_BOOL,     FALSE },
  { "order_accurate",      "发货准确",     KL_IMPORT_VALUE_BOOL,     FALSE },
  { "damaged_pieces",      "货损件数",     KL_IMPORT_VALUE_COUNT,    FALSE },
  { "short_pieces",        "货差件数",     KL_IMPORT_VALUE_COUNT,    FALSE },
  { "incident",            "事故",         KL_IMPORT_VALUE_BOOL,     FALSE },
  { "revenue",             "运费收入",     KL_IMPORT_VALUE_DECIMAL,  FALSE },
  { "currency",            "币种",         KL_IMPORT_VALUE_CURRENCY, FALSE },
};

static const KlImportContractColumn customer_columns[] = {
  { "code",            "客户编码", KL_IMPORT_VALUE_KEY,  TRUE },
  { "name",            "客户名称", KL_IMPORT_VALUE_TEXT, TRUE },
  { "legal_name",      "法定名称", KL_IMPORT_VALUE_TEXT, FALSE },
  { "kind",            "客户类型", KL_IMPORT_VALUE_WORD, FALSE },
  { "channel",         "渠道",     KL_IMPORT_VALUE_WORD, FALSE },
  { "industry",        "行业",     KL_IMPORT_VALUE_TEXT, FALSE },
  { "region",          "区域",     KL_IMPORT_VALUE_TEXT, FALSE },
  { "account_manager", "客户经理", KL_IMPORT_VALUE_TEXT, FALSE },
  { "relationship",    "关系类型", KL_IMPORT_VALUE_WORD, FALSE },
  { "status",          "状态",     KL_IMPORT_VALUE_WORD, FALSE },
  { "tags",            "标签",     KL_IMPORT_VALUE_TEXT, FALSE },
  { "notes",           "备注",     KL_IMPORT_VALUE_TEXT, FALSE },
};

#define MAX_COLUMNS G_N_ELEMENTS (shipment_columns)
G_STATIC_ASSERT (G_N_ELEMENTS (customer_columns) <= MAX_COLUMNS);

const KlImportContractColumn *
kl_import_contract_columns (KlImportKind  kind,
                            guint        *out_n)
{
  if (kind == KL_IMPORT_SHIPMENTS)
    {
      *out_n = G_N_ELEMENTS (shipment_columns);
      return shipment_columns;
    }
  *out_n = G_N_ELEMENTS (customer_columns);
  return customer_columns;
}

static int
column_index (KlImportKind  kind,
              const char   *name)
{
  guint n;
  const KlImportContractColumn *columns = kl_import_contract_columns (kind, &n);

  if (name == NULL)
    return -1;
  for (guint i = 0; i < n; i++)
    if (g_ascii_strcasecmp (columns[i].name, name) == 0)
      return i;
  return -1;
}

const KlImportContractColumn *
kl_import_contract_column (KlImportKind  kind,
                           const char   *name)
{
  guint n;
  const KlImportContractColumn *columns = kl_import_contract_columns (kind, &n);
  int i = column_index (kind, name);

  return i >= 0 ? &columns[i] : NULL;
}

const char *
kl_import_kind_to_string (KlImportKind kind)
{
  return kind == KL_IMPORT_SHIPMENTS ? "shipments" : "customers";
}

gboolean
kl_import_kind_from_string (const char   *text,
                            KlImportKind *out_kind)
{
  if (g_strcmp0 (text, "shipments") == 0)
    *out_kind = KL_IMPORT_SHIPMENTS;
  else if (g_strcmp0 (text, "customers") == 0)
    *out_kind = KL_IMPORT_CUSTOMERS;
  else
    return FALSE;
  return TRUE;
}

gboolean
kl_import_contract_value_ok (KlImportKind                  kind,
                             const KlImportContractColumn *column,
                             const char                   *value)
{
  gint64 number;
  gboolean yes;

  g_return_val_if_fail (column != NULL, FALSE);

  if (value == NULL || kl_text_is_blank (value))
    return FALSE;
  switch (column->type)
    {
    case KL_IMPORT_VALUE_WORD:
      if (kind == KL_IMPORT_SHIPMENTS && g_str_equal (column->name, "status"))
        return kl_shipment_status_from_string (value, &(KlShipmentStatus) { 0 });
      if (kind == KL_IMPORT_SHIPMENTS && g_str_equal (column->name, "mode"))
        return kl_shipment_mode_from_string (value, &(KlShipmentMode) { 0 });
      if (g_str_equal (column->name, "kind"))
        return kl_customer_kind_from_string (value, &(KlCustomerKind) { 0 });
      if (g_str_equal (column->name, "channel"))
        return kl_channel_from_string (value, &(KlChannel) { 0 });
      if (g_str_equal (column->name, "relationship"))
        return kl_relationship_from_string (value, &(KlRelationship) { 0 });
      if (g_str_equal (column->name, "status"))
        return kl_customer_status_from_string (value, &(KlCustomerStatus) { 0 });
      return FALSE;
    case KL_IMPORT_VALUE_BOOL:
      return kl_csv_parse_bool (value, &yes) == KL_CSV_VALUE_OK;
    case KL_IMPORT_VALUE_COUNT:
      return kl_csv_parse_count (value, FALSE, &number) == KL_CSV_VALUE_OK;
    case KL_IMPORT_VALUE_DECIMAL:
      return kl_csv_parse_decimal (value, FALSE, 3, &number) == KL_CSV_VALUE_OK;
    case KL_IMPORT_VALUE_TIME:
      {
        g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();

        return kl_csv_parse_time (value, utc, &number) == KL_CSV_VALUE_OK;
      }
    case KL_IMPORT_VALUE_CURRENCY:
      {
        g_autofree char *up = g_ascii_strup (value, -1);

        return kl_currency_is_valid (g_strstrip (up));
      }
    case KL_IMPORT_VALUE_TEXT:
    case KL_IMPORT_VALUE_KEY:
    default:
      return TRUE;
    }
}

char *
kl_import_contract_describe (KlImportKind                  kind,
                             const KlImportContractColumn *column)
{
  g_return_val_if_fail (column != NULL, NULL);

  if (column->type == KL_IMPORT_VALUE_BOOL)
    return g_strdup ("true/false, 1/0, yes/no, y/n, 是/否");
  if (column->type != KL_IMPORT_VALUE_WORD)
    return NULL;
  if (kind == KL_IMPORT_SHIPMENTS && g_str_equal (column->name, "status"))
    return kl_shipment_status_describe ();
  if (kind == KL_IMPORT_SHIPMENTS && g_str_equal (column->name, "mode"))
    return kl_shipment_mode_describe ();
  if (g_str_equal (column->name, "kind"))
    return kl_customer_kind_describe ();
  if (g_str_equal (column->name, "channel"))
    return kl_channel_describe ();
  if (g_str_equal (column->name, "relationship"))
    return kl_relationship_describe ();
  if (g_str_equal (column->name, "status"))
    return kl_customer_status_describe ();
  return NULL;
}

char **
kl_import_contract_words (KlImportKind                  kind,
                          const KlImportContractColumn *column)
{
  g_autofree char *described = NULL;
  g_auto(GStrv) parts = NULL;
  GStrvBuilder *builder;
  char **words;

  g_return_val_if_fail (column != NULL, NULL);

  if (column->type == KL_IMPORT_VALUE_BOOL)
    return g_strdupv ((char *[]) { (char *) "true", (char *) "false", NULL });
  described = kl_import_contract_describe (kind, column);
  if (described == NULL)
    return NULL;
  /* "booked (已下单), in_transit (在途), …": the token before each " (". */
  parts = g_strsplit (described, ", ", -1);
  builder = g_strv_builder_new ();
  for (guint i = 0; parts[i] != NULL; i++)
    {
      char *paren = strstr (parts[i], " (");

      if (paren != NULL)
        *paren = '\0';
      if (*g_strstrip (parts[i]) != '\0')
        g_strv_builder_add (builder, parts[i]);
    }
  words = g_strv_builder_end (builder);
  g_strv_builder_unref (builder);
  return words;
}

/* The profile */

struct _KlImportProfile {
  char         *name;
  KlImportKind  kind;
  char         *source[MAX_COLUMNS];   /* renames, per contract column */
  GPtrArray    *values[MAX_COLUMNS];   /* char*: word, value, word, value… */
  char         *scale[MAX_COLUMNS];    /* the factor as written */
  GPtrArray    *timestamp_formats;     /* char*, NULL-terminated */
  char         *time_zone;
  gboolean      update_only;
};

static const char * const profile_keys[] = {
  "name", "kind", "columns", "values", "timestamp_formats", "time_zone", "scale", "update_only", NULL
};

KlImportProfile *
kl_import_profile_new (const char   *name,
                       KlImportKind  kind)
{
  KlImportProfile *self = g_new0 (KlImportProfile, 1);

  g_return_val_if_fail (kind == KL_IMPORT_SHIPMENTS || kind == KL_IMPORT_CUSTOMERS, NULL);

  self->name = g_strdup (name != NULL ? name : "");
  self->kind = kind;
  self->timestamp_formats = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (self->timestamp_formats, NULL);
  return self;
}

void
kl_import_profile_free (KlImportProfile *self)
{
  if (self == NULL)
    return;
  g_free (self->name);
  for (guint i = 0; i < MAX_COLUMNS; i++)
    {
      g_free (self->source[i]);
      g_free (self->scale[i]);
      if (self->values[i] != NULL)
        g_ptr_array_unref (self->values[i]);
    }
  g_ptr_array_unref (self->timestamp_formats);
  g_free (self->time_zone);
  g_free (self);
}

KlImportProfile *
kl_import_profile_copy (const KlImportProfile *self)
{
  KlImportProfile *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = kl_import_profile_new (self->name, self->kind);
  for (guint i = 0; i < MAX_COLUMNS; i++)
    {
      copy->source[i] = g_strdup (self->source[i]);
      copy->scale[i] = g_strdup (self->scale[i]);
      if (self->values[i] != NULL)
        {
          copy->values[i] = g_ptr_array_new_with_free_func (g_free);
          for (guint j = 0; j < self->values[i]->len; j++)
            g_ptr_array_add (copy->values[i], g_strdup (g_ptr_array_index (self->values[i], j)));
        }
    }
  kl_import_profile_set_timestamp_formats (copy, kl_import_profile_get_timestamp_formats (self));
  copy->time_zone = g_strdup (self->time_zone);
  copy->update_only = self->update_only;
  return copy;
}

const char *
kl_import_profile_get_name (const KlImportProfile *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->name;
}

void
kl_import_profile_set_name (KlImportProfile *self,
                            const char      *name)
{
  g_return_if_fail (self != NULL);
  g_free (self->name);
  self->name = g_strdup (name != NULL ? name : "");
}

KlImportKind
kl_import_profile_get_kind (const KlImportProfile *self)
{
  g_return_val_if_fail (self != NULL, KL_IMPORT_SHIPMENTS);
  return self->kind;
}

const char *
kl_import_profile_get_column (const KlImportProfile *self,
                              const char            *column)
{
  int i;

  g_return_val_if_fail (self != NULL, NULL);
  i = column_index (self->kind, column);
  return i >= 0 ? self->source[i] : NULL;
}

void
kl_import_profile_set_column (KlImportProfile *self,
                              const char      *column,
                              const char      *source)
{
  int i;

  g_return_if_fail (self != NULL);
  i = column_index (self->kind, column);
  g_return_if_fail (i >= 0);
  g_free (self->source[i]);
  self->source[i] = source != NULL && *source != '\0' ? g_strdup (source) : NULL;
}

/* Words compare trimmed and case-folded. */
static char *
word_key (const char *word)
{
  g_autofree char *trimmed = g_strstrip (g_strdup (word));

  return g_utf8_casefold (trimmed, -1);
}

static int
find_word (GPtrArray  *values,
           const char *word)
{
  g_autofree char *key = NULL;

  if (values == NULL)
    return -1;
  key = word_key (word);
  for (guint j = 0; j < values->len; j += 2)
    {
      g_autofree char *other = word_key (g_ptr_array_index (values, j));

      if (g_str_equal (key, other))
        return j;
    }
  return -1;
}

const char *
kl_import_profile_get_value (const KlImportProfile *self,
                             const char            *column,
                             const char            *word)
{
  int i, j;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (word != NULL, NULL);
  i = column_index (self->kind, column);
  if (i < 0)
    return NULL;
  j = find_word (self->values[i], word);
  return j >= 0 ? g_ptr_array_index (self->values[i], j + 1) : NULL;
}

void
kl_import_profile_set_value (KlImportProfile *self,
                             const char      *column,
                             const char      *word,
                             const char      *value)
{
  int i, j;

  g_return_if_fail (self != NULL);
  g_return_if_fail (word != NULL);
  i = column_index (self->kind, column);
  g_return_if_fail (i >= 0);

  j = find_word (self->values[i], word);
  if (value == NULL)
    {
      if (j >= 0)
        g_ptr_array_remove_range (self->values[i], j, 2);
      return;
    }
  if (j >= 0)
    {
      g_free (self->values[i]->pdata[j + 1]);
      self->values[i]->pdata[j + 1] = g_strdup (value);
      return;
    }
  if (self->values[i] == NULL)
    self->values[i] = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (self->values[i], g_strdup (word));
  g_ptr_array_add (self->values[i], g_strdup (value));
}

const char **
kl_import_profile_get_values (const KlImportProfile *self,
                              const char            *column)
{
  int i;
  const char **out;

  g_return_val_if_fail (self != NULL, NULL);
  i = column_index (self->kind, column);
  if (i < 0 || self->values[i] == NULL || self->values[i]->len == 0)
    return NULL;
  out = g_new0 (const char *, self->values[i]->len + 1);
  for (guint j = 0; j < self->values[i]->len; j++)
    out[j] = g_ptr_array_index (self->values[i], j);
  return out;
}

const char * const *
kl_import_profile_get_timestamp_formats (const KlImportProfile *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return (const char * const *) self->timestamp_formats->pdata;
}

void
kl_import_profile_set_timestamp_formats (KlImportProfile    *self,
                                         const char * const *formats)
{
  g_return_if_fail (self != NULL);
  g_ptr_array_set_size (self->timestamp_formats, 0);
  for (guint i = 0; formats != NULL && formats[i] != NULL; i++)
    g_ptr_array_add (self->timestamp_formats, g_strdup (formats[i]));
  g_ptr_array_add (self->timestamp_formats, NULL);
}

const char *
kl_import_profile_get_time_zone (const KlImportProfile *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->time_zone;
}

void
kl_import_profile_set_time_zone (KlImportProfile *self,
                                 const char      *zone)
{
  g_return_if_fail (self != NULL);
  g_free (self->time_zone);
  self->time_zone = zone != NULL && *zone != '\0' ? g_strdup (zone) : NULL;
}

const char *
kl_import_profile_get_scale (const KlImportProfile *self,
                             const char            *column)
{
  int i;

  g_return_val_if_fail (self != NULL, NULL);
  i = column_index (self->kind, column);
  return i >= 0 ? self->scale[i] : NULL;
}

void
kl_import_profile_set_scale (KlImportProfile *self,
                             const char      *column,
                             const char      *factor)
{
  int i;

  g_return_if_fail (self != NULL);
  i = column_index (self->kind, column);
  g_return_if_fail (i >= 0);
  g_free (self->scale[i]);
  self->scale[i] = factor != NULL && *factor != '\0' && g_strcmp0 (factor, "1") != 0
                   ? g_strdup (factor) : NULL;
}

gboolean
kl_import_profile_get_update_only (const KlImportProfile *self)
{
  g_return_val_if_fail (self != NULL, FALSE);
  return self->update_only;
}

void
kl_import_profile_set_update_only (KlImportProfile *self,
                                   gboolean         update_only)
{
  g_return_if_fail (self != NULL);
  self->update_only = update_only;
}

/* Scale factors: a decimal > 0 held exactly as mantissa · 10^-exponent. */

#define SCALE_MAX_DIGITS 12

static gboolean
parse_factor (const char *text,
              gint64     *out_mantissa,
              guint      *out_exponent)
{
  gint64 mantissa = 0;
  guint exponent = 0, digits = 0;
  gboolean point = FALSE;
  const char *p = text;

  if (text == NULL || *p == '\0')
    return FALSE;
  for (; *p != '\0'; p++)
    {
      if (*p == '.' && !point)
        point = TRUE;
      else if (g_ascii_isdigit (*p))
        {
          if (mantissa > 0 || *p != '0')
            digits++;
          if (digits > SCALE_MAX_DIGITS)
            return FALSE;
          mantissa = mantissa * 10 + (*p - '0');
          if (point)
            exponent++;
        }
      else
        return FALSE;
    }
  if (mantissa == 0 || exponent > SCALE_MAX_DIGITS)
    return FALSE;
  *out_mantissa = mantissa;
  *out_exponent = exponent;
  return TRUE;
}

/* Timestamp forms: a subset of strftime that reads back exactly. */

static const char format_directives[] = "YymdeHMSzTF%";

char *
kl_import_profile_check_format (const char *format)
{
  gboolean year = FALSE, month = FALSE, day = FALSE;

  if (format == NULL || *format == '\0')
    return g_strdup (_("the form is empty"));
  for (const char *p = format; *p != '\0'; p++)
    {
      if (*p != '%')
        continue;
      p++;
      if (*p == '\0' || strchr (format_directives, *p) == NULL)
        {
          g_autofree char *directive = g_strndup (p - 1, *p == '\0' ? 1 : 2);

          /* Translators: %s is a strftime directive like %Q; the list is not translated */
          return g_strdup_printf (_("“%s” is not a part this import reads; use %%Y %%y %%m %%d %%e %%H %%M %%S %%z %%T %%F or %%%%"),
                                  directive);
        }
      switch (*p)
        {
        case 'Y': case 'y': year = TRUE; break;
        case 'm': month = TRUE; break;
        case 'd': case 'e': day = TRUE; break;
        case 'F': year = month = day = TRUE; break;
        default: break;
        }
    }
  if (!year || !month || !day)
    return g_strdup (_("a form must give the year (%Y or %y), the month (%m) and the day (%d)"));
  return NULL;
}

/* Up to max digits (at least one); the next character is not a digit when
 * max digits were read for a fixed width. */
static gboolean
read_number (const char **p,
             guint        min,
             guint        max,
             int         *out)
{
  int value = 0;
  guint n = 0;

  while (n < max && g_ascii_isdigit (**p))
    {
      value = value * 10 + (**p - '0');
      (*p)++;
      n++;
    }
  if (n < min)
    return FALSE;
  *out = value;
  return TRUE;
}

gboolean
kl_import_profile_parse_time (const char *format,
                              const char *text,
                              GTimeZone  *tz,
                              gint64     *out_unix)
{
  int year = -1, month = -1, day = -1, hour = 0, minute = 0, second = 0;
  gboolean has_offset = FALSE;
  int offset = 0;
  const char *p = text;
  g_autoptr(GDateTime) dt = NULL;
  g_autofree char *fmt = NULL;

  g_return_val_if_fail (format != NULL && text != NULL, FALSE);

  /* %T and %F spelt out. */
  {
    g_autoptr(GString) expanded = g_string_new (NULL);

    for (const char *f = format; *f != '\0'; f++)
      {
        if (f[0] == '%' && f[1] == 'T')
          g_string_append (expanded, "%H:%M:%S"), f++;
        else if (f[0] == '%' && f[1] == 'F')
          g_string_append (expanded, "%Y-%m-%d"), f++;
        else if (f[0] == '%' && f[1] != '\0')
          g_string_append_len (expanded, f, 2), f++;
        else
          g_string_append_c (expanded, *f);
      }
    fmt = g_string_free (g_steal_pointer (&expanded), FALSE);
  }

  while (*p == ' ' || *p == '\t')
    p++;
  for (const char *f = fmt; *f != '\0'; f++)
    {
      if (*f == ' ')
        {
          /* A space in the form matches any run of spaces. */
          if (*p != ' ' && *p != '\t')
            return FALSE;
          while (*p == ' ' || *p == '\t')
            p++;
          continue;
        }
      if (*f != '%')
        {
          if (*p != *f)
            return FALSE;
          p++;
          continue;
        }
      f++;
      switch (*f)
        {
        case 'Y':
          if (!read_number (&p, 4, 4, &year))
            return FALSE;
          break;
        case 'y':
          if (!read_number (&p, 2, 2, &year))
            return FALSE;
          year += 2000;
          break;
        case 'm':
          if (!read_number (&p, 1, 2, &month))
            return FALSE;
          break;
        case 'd':
        case 'e':
          while (*f == 'e' && *p == ' ')
            p++;
          if (!read_number (&p, 1, 2, &day))
            return FALSE;
          break;
        case 'H':
          if (!read_number (&p, 1, 2, &hour))
            return FALSE;
          break;
        case 'M':
          if (!read_number (&p, 1, 2, &minute))
            return FALSE;
          break;
        case 'S':
          if (!read_number (&p, 1, 2, &second))
            return FALSE;
          break;
        case 'z':
          {
            int sign, hh, mm = 0;

            if (*p == 'Z')
              {
                p++;
                has_offset = TRUE;
                offset = 0;
                break;
              }
            if (*p != '+' && *p != '-')
              return FALSE;
            sign = *p == '-' ? -1 : 1;
            p++;
            if (!read_number (&p, 2, 2, &hh))
              return FALSE;
            if (*p == ':')
              p++;
            if (g_ascii_isdigit (*p) && !read_number (&p, 2, 2, &mm))
              return FALSE;
            if (hh > 23 || mm > 59)
              return FALSE;
            has_offset = TRUE;
            offset = sign * (hh * 3600 + mm * 60);
          }
          break;
        case '%':
          if (*p != '%')
            return FALSE;
          p++;
          break;
        default:
          return FALSE;
        }
    }
  while (*p == ' ' || *p == '\t')
    p++;
  if (*p != '\0' || year < 0 || month < 1 || month > 12 || day < 1 || day > 31 ||
      hour > 23 || minute > 59 || second > 59)
    return FALSE;
  if (day > g_date_get_days_in_month (month, year))
    return FALSE;

  if (has_offset)
    {
      g_autoptr(GDateTime) utc = g_date_time_new_utc (year, month, day, hour, minute, second);

      if (utc == NULL)
        return FALSE;
      *out_unix = g_date_time_to_unix (utc) - offset;
      return TRUE;
    }
  dt = g_date_time_new (tz, year, month, day, hour, minute, second);
  if (dt == NULL)
    return FALSE;
  *out_unix = g_date_time_to_unix (dt);
  return TRUE;
}

/* Checking */

static void
set_invalid (GError     **error,
             const char  *display_name,
             const char  *what)
{
  g_set_error (error, KL_IMPORT_PROFILE_ERROR, KL_IMPORT_PROFILE_ERROR_INVALID,
               "%s: %s", display_name, what);
}

static char *
column_list (KlImportKind kind)
{
  guint n;
  const KlImportContractColumn *columns = kl_import_contract_columns (kind, &n);
  g_autoptr(GString) out = g_string_new (NULL);

  for (guint i = 0; i < n; i++)
    g_string_append_printf (out, "%s%s", i > 0 ? ", " : "", columns[i].name);
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static gboolean
validate (const KlImportProfile  *self,
          const char             *display_name,
          GError                **error)
{
  guint n;
  const KlImportContractColumn *columns = kl_import_contract_columns (self->kind, &n);
  g_autofree char *shown = kl_csv_escape (display_name, 0);

  if (kl_text_is_blank (self->name))
    {
      set_invalid (error, shown, _("name: a profile needs a name, such as \"华东 TMS\""));
      return FALSE;
    }
  for (guint i = 0; i < n; i++)
    {
      if (self->source[i] != NULL)
        {
          if (kl_text_is_blank (self->source[i]))
            {
              g_autofree char *what = g_strdup_printf (_("columns: %s: the source’s header is blank; give the header as the file writes it"),
                                                       columns[i].name);
              set_invalid (error, shown, what);
              return FALSE;
            }
          for (guint j = 0; j < i; j++)
            if (self->source[j] != NULL)
              {
                g_autofree char *a = g_strstrip (g_strdup (self->source[i]));
                g_autofree char *b = g_strstrip (g_strdup (self->source[j]));

                if (g_ascii_strcasecmp (a, b) == 0)
                  {
                    g_autofree char *column = kl_csv_escape (a, 60);
                    /* Translators: two contract column names, then a source header */
                    g_autofree char *what = g_strdup_printf (_("columns: %s and %s both read the column “%s”; a column of the file can stand for one column only"),
                                                             columns[j].name, columns[i].name, column);
                    set_invalid (error, shown, what);
                    return FALSE;
                  }
              }
        }
      if (self->values[i] != NULL)
        for (guint j = 0; j < self->values[i]->len; j += 2)
          {
            const char *word = g_ptr_array_index (self->values[i], j);
            const char *value = g_ptr_array_index (self->values[i], j + 1);

            if (kl_text_is_blank (word))
              {
                g_autofree char *what = g_strdup_printf (_("values: %s: a blank word cannot be mapped; an empty field is read as unknown"),
                                                         columns[i].name);
                set_invalid (error, shown, what);
                return FALSE;
              }
            if (!kl_import_contract_value_ok (self->kind, &columns[i], value))
              {
                g_autofree char *described = kl_import_contract_describe (self->kind, &columns[i]);
                g_autofree char *word_shown = kl_csv_escape (word, 60);
                g_autofree char *value_shown = kl_csv_escape (value, 60);
                g_autofree char *what = NULL;

                if (described != NULL)
                  /* Translators: column, source word, contract value, the accepted words */
                  what = g_strdup_printf (_("values: %s: “%s” → “%s”: the value must be one of %s"),
                                          columns[i].name, word_shown, value_shown, described);
                else
                  /* Translators: column, source word, contract value */
                  what = g_strdup_printf (_("values: %s: “%s” → “%s”: not a value this column accepts"),
                                          columns[i].name, word_shown, value_shown);
                set_invalid (error, shown, what);
                return FALSE;
              }
          }
      if (self->scale[i] != NULL)
        {
          gint64 mantissa;
          guint exponent;

          if (columns[i].type != KL_IMPORT_VALUE_COUNT && columns[i].type != KL_IMPORT_VALUE_DECIMAL)
            {
              g_autofree char *what = g_strdup_printf (_("scale: %s is not a number column; only numbers (pieces, weight_kg, volume_m3, revenue…) can be scaled"),
                                                       columns[i].name);
              set_invalid (error, shown, what);
              return FALSE;
            }
          if (!parse_factor (self->scale[i], &mantissa, &exponent))
            {
              g_autofree char *factor = kl_csv_escape (self->scale[i], 60);
              g_autofree char *what = g_strdup_printf (_("scale: %s: “%s” is not a factor; give a number above 0 with at most 12 digits, such as 1000 or 0.001"),
                                                       columns[i].name, factor);
              set_invalid (error, shown, what);
              return FALSE;
            }
        }
    }
  for (guint i = 0; i + 1 < self->timestamp_formats->len; i++)
    {
      const char *format = g_ptr_array_index (self->timestamp_formats, i);
      g_autofree char *problem = kl_import_profile_check_format (format);

      if (problem != NULL)
        {
          g_autofree char *format_shown = kl_csv_escape (format, 60);
          /* Translators: the form, then what is wrong with it */
          g_autofree char *what = g_strdup_printf (_("timestamp_formats: “%s”: %s"), format_shown, problem);

          set_invalid (error, shown, what);
          return FALSE;
        }
    }
  if (self->time_zone != NULL)
    {
      g_autoptr(GTimeZone) tz = g_time_zone_new_identifier (self->time_zone);

      if (tz == NULL)
        {
          g_autofree char *zone = kl_csv_escape (self->time_zone, 60);
          g_autofree char *what = g_strdup_printf (_("time_zone: “%s” is not a time zone; give one such as Asia/Shanghai or UTC"),
                                                   zone);
          set_invalid (error, shown, what);
          return FALSE;
        }
    }
  return TRUE;
}

gboolean
kl_import_profile_validate (const KlImportProfile  *self,
                            GError                **error)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);
  return validate (self, self->name != NULL && *self->name != '\0' ? self->name : _("profile"), error);
}

/* Reading JSON */

static gboolean
require_object (JsonNode    *node,
                const char  *shown,
                const char  *key,
                GError     **error)
{
  if (JSON_NODE_HOLDS_OBJECT (node))
    return TRUE;
  {
    g_autofree char *what = g_strdup_printf (_("%s: must be an object of names, {\"…\": …}"), key);

    set_invalid (error, shown, what);
  }
  return FALSE;
}

static const char *
string_member (JsonNode    *node,
               const char  *shown,
               const char  *where,
               GError     **error)
{
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    return json_node_get_string (node);
  {
    /* Translators: %s is where in the profile, "columns: waybill" */
    g_autofree char *what = g_strdup_printf (_("%s: must be a text in quotes"), where);

    set_invalid (error, shown, what);
  }
  return NULL;
}

static int
known_column (KlImportKind  kind,
              const char   *name,
              const char   *shown,
              const char   *key,
              GError      **error)
{
  int i = column_index (kind, name);

  if (i < 0)
    {
      g_autofree char *list = column_list (kind);
      g_autofree char *name_shown = kl_csv_escape (name, 60);
      /* Translators: key, a name, "shipments" or "customers", the list of columns */
      g_autofree char *what = g_strdup_printf (_("%s: “%s” is not a column of %s imports; the columns are %s"),
                                               key, name_shown, kl_import_kind_to_string (kind), list);

      set_invalid (error, shown, what);
    }
  return i;
}

static char *
factor_text (JsonNode *node)
{
  if (!JSON_NODE_HOLDS_VALUE (node))
    return NULL;
  switch (json_node_get_value_type (node))
    {
    case G_TYPE_INT64:
      return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
    case G_TYPE_DOUBLE:
      {
        char buffer[G_ASCII_DTOSTR_BUF_SIZE];
        char *text = g_strdup (g_ascii_formatd (buffer, sizeof buffer, "%.12g", json_node_get_double (node)));

        return text;
      }
    case G_TYPE_STRING:
      return g_strdup (json_node_get_string (node));
    default:
      return NULL;
    }
}

KlImportProfile *
kl_import_profile_load_data (const char  *data,
                             gssize       length,
                             const char  *display_name,
                             GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) local_error = NULL;
  g_autoptr(KlImportProfile) self = NULL;
  g_autofree char *shown = NULL;
  JsonObject *object;
  JsonNode *node;
  const char *name;
  const char *kind_text;
  KlImportKind kind;
  g_autoptr(GList) members = NULL;

  g_return_val_if_fail (data != NULL, NULL);
  g_return_val_if_fail (display_name != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  shown = kl_csv_escape (display_name, 0);
  if (!json_parser_load_from_data (parser, data, length, &local_error))
    {
      /* Translators: a file name, then the JSON parser's message */
      g_set_error (error, KL_IMPORT_PROFILE_ERROR, KL_IMPORT_PROFILE_ERROR_JSON,
                   _("%s: not a profile: the JSON cannot be read (%s)"), shown, local_error->message);
      return NULL;
    }
  node = json_parser_get_root (parser);
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, KL_IMPORT_PROFILE_ERROR, KL_IMPORT_PROFILE_ERROR_JSON,
                   _("%s: not a profile: a profile is one JSON object, {\"name\": …, \"kind\": …}"), shown);
      return NULL;
    }
  object = json_node_get_object (node);

  members = json_object_get_members (object);
  for (GList *l = members; l != NULL; l = l->next)
    if (!g_strv_contains (profile_keys, l->data))
      {
        g_autofree char *key = kl_csv_escape (l->data, 60);
        g_autofree char *what = g_strdup_printf (_("“%s” is not a profile key; the keys are name, kind, columns, values, timestamp_formats, time_zone, scale and update_only"),
                                                 key);
        set_invalid (error, shown, what);
        return NULL;
      }

  node = json_object_get_member (object, "kind");
  if (node == NULL)
    {
      set_invalid (error, shown, _("kind: missing; give \"shipments\" or \"customers\""));
      return NULL;
    }
  if ((kind_text = string_member (node, shown, "kind", error)) == NULL)
    return NULL;
  if (!kl_import_kind_from_string (kind_text, &kind))
    {
      g_autofree char *kind_shown = kl_csv_escape (kind_text, 60);
      g_autofree char *what = g_strdup_printf (_("kind: “%s” is not a kind of import; give \"shipments\" or \"customers\""),
                                               kind_shown);
      set_invalid (error, shown, what);
      return NULL;
    }
  node = json_object_get_member (object, "name");
  if (node == NULL)
    name = "";
  else if ((name = string_member (node, shown, "name", error)) == NULL)
    return NULL;
  self = kl_import_profile_new (name, kind);

  if ((node = json_object_get_member (object, "columns")) != NULL)
    {
      g_autoptr(GList) columns = NULL;

      if (!require_object (node, shown, "columns", error))
        return NULL;
      columns = json_object_get_members (json_node_get_object (node));
      for (GList *l = columns; l != NULL; l = l->next)
        {
          int i = known_column (kind, l->data, shown, "columns", error);
          g_autofree char *where = NULL;
          const char *source;

          if (i < 0)
            return NULL;
          where = g_strdup_printf ("columns: %s", (const char *) l->data);
          source = string_member (json_object_get_member (json_node_get_object (node), l->data), shown, where, error);
          if (source == NULL)
            return NULL;
          g_free (self->source[i]);
          self->source[i] = g_strdup (source);
        }
    }

  if ((node = json_object_get_member (object, "values")) != NULL)
    {
      g_autoptr(GList) columns = NULL;

      if (!require_object (node, shown, "values", error))
        return NULL;
      columns = json_object_get_members (json_node_get_object (node));
      for (GList *l = columns; l != NULL; l = l->next)
        {
          int i = known_column (kind, l->data, shown, "values", error);
          JsonNode *map;
          g_autoptr(GList) words = NULL;
          g_autofree char *where = NULL;

          if (i < 0)
            return NULL;
          where = g_strdup_printf ("values: %s", (const char *) l->data);
          map = json_object_get_member (json_node_get_object (node), l->data);
          if (!require_object (map, shown, where, error))
            return NULL;
          words = json_object_get_members (json_node_get_object (map));
          for (GList *w = words; w != NULL; w = w->next)
            {
              g_autofree char *word_where = g_strdup_printf ("%s: %s", where, (const char *) w->data);
              const char *value = string_member (json_object_get_member (json_node_get_object (map), w->data),
                                                 shown, word_where, error);

              if (value == NULL)
                return NULL;
              if (find_word (self->values[i], w->data) >= 0)
                {
                  g_autofree char *word_shown = kl_csv_escape (w->data, 60);
                  g_autofree char *what = g_strdup_printf (_("values: %s: “%s” is given twice (words match in any case); keep one"),
                                                           (const char *) l->data, word_shown);
                  set_invalid (error, shown, what);
                  return NULL;
                }
              kl_import_profile_set_value (self, l->data, w->data, value);
            }
        }
    }

  if ((node = json_object_get_member (object, "timestamp_formats")) != NULL)
    {
      JsonArray *array;

      if (!JSON_NODE_HOLDS_ARRAY (node))
        {
          set_invalid (error, shown, _("timestamp_formats: must be a list of forms, [\"%d/%m/%Y %H:%M\", …]"));
          return NULL;
        }
      array = json_node_get_array (node);
      g_ptr_array_set_size (self->timestamp_formats, 0);
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          const char *format = string_member (json_array_get_element (array, i), shown, "timestamp_formats", error);

          if (format == NULL)
            return NULL;
          g_ptr_array_add (self->timestamp_formats, g_strdup (format));
        }
      g_ptr_array_add (self->timestamp_formats, NULL);
    }

  if ((node = json_object_get_member (object, "time_zone")) != NULL && !JSON_NODE_HOLDS_NULL (node))
    {
      const char *zone = string_member (node, shown, "time_zone", error);

      if (zone == NULL)
        return NULL;
      self->time_zone = g_strdup (zone);
    }

  if ((node = json_object_get_member (object, "scale")) != NULL)
    {
      g_autoptr(GList) columns = NULL;

      if (!require_object (node, shown, "scale", error))
        return NULL;
      columns = json_object_get_members (json_node_get_object (node));
      for (GList *l = columns; l != NULL; l = l->next)
        {
          int i = known_column (kind, l->data, shown, "scale", error);
          g_autofree char *factor = NULL;

          if (i < 0)
            return NULL;
          factor = factor_text (json_object_get_member (json_node_get_object (node), l->data));
          if (factor == NULL)
            {
              g_autofree char *what = g_strdup_printf (_("scale: %s: must be a number, such as 1000"),
                                                       (const char *) l->data);
              set_invalid (error, shown, what);
              return NULL;
            }
          g_free (self->scale[i]);
          self->scale[i] = g_steal_pointer (&factor);
        }
    }

  if ((node = json_object_get_member (object, "update_only")) != NULL)
    {
      if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
        {
          set_invalid (error, shown, _("update_only: must be true or false, without quotes"));
          return NULL;
        }
      self->update_only = json_node_get_boolean (node);
    }

  if (!validate (self, display_name, error))
    return NULL;
  return g_steal_pointer (&self);
}

KlImportProfile *
kl_import_profile_load_file (const char  *path,
                             GError     **error)
{
  g_autofree char *data = NULL;
  gsize length = 0;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!g_file_get_contents (path, &data, &length, &local_error))
    {
      g_autofree char *shown = kl_csv_escape (path, 0);

      /* Translators: a file name, then why it cannot be read */
      g_set_error (error, KL_IMPORT_PROFILE_ERROR,
                   g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT)
                     ? KL_IMPORT_PROFILE_ERROR_NOT_FOUND : KL_IMPORT_PROFILE_ERROR_IO,
                   _("%s cannot be read: %s"), shown, local_error->message);
      return NULL;
    }
  return kl_import_profile_load_data (data, length, path, error);
}

/* Writing JSON */

char *
kl_import_profile_to_json (const KlImportProfile *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  guint n;
  const KlImportContractColumn *columns;
  gboolean any;

  g_return_val_if_fail (self != NULL, NULL);

  columns = kl_import_contract_columns (self->kind, &n);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, self->name);
  json_builder_set_member_name (builder, "kind");
  json_builder_add_string_value (builder, kl_import_kind_to_string (self->kind));

  any = FALSE;
  for (guint i = 0; i < n; i++)
    if (self->source[i] != NULL)
      {
        if (!any)
          {
            json_builder_set_member_name (builder, "columns");
            json_builder_begin_object (builder);
            any = TRUE;
          }
        json_builder_set_member_name (builder, columns[i].name);
        json_builder_add_string_value (builder, self->source[i]);
      }
  if (any)
    json_builder_end_object (builder);

  any = FALSE;
  for (guint i = 0; i < n; i++)
    if (self->values[i] != NULL && self->values[i]->len > 0)
      {
        if (!any)
          {
            json_builder_set_member_name (builder, "values");
            json_builder_begin_object (builder);
            any = TRUE;
          }
        json_builder_set_member_name (builder, columns[i].name);
        json_builder_begin_object (builder);
        for (guint j = 0; j < self->values[i]->len; j += 2)
          {
            json_builder_set_member_name (builder, g_ptr_array_index (self->values[i], j));
            json_builder_add_string_value (builder, g_ptr_array_index (self->values[i], j + 1));
          }
        json_builder_end_object (builder);
      }
  if (any)
    json_builder_end_object (builder);

  if (self->timestamp_formats->len > 1)
    {
      json_builder_set_member_name (builder, "timestamp_formats");
      json_builder_begin_array (builder);
      for (guint i = 0; i + 1 < self->timestamp_formats->len; i++)
        json_builder_add_string_value (builder, g_ptr_array_index (self->timestamp_formats, i));
      json_builder_end_array (builder);
    }
  if (self->time_zone != NULL)
    {
      json_builder_set_member_name (builder, "time_zone");
      json_builder_add_string_value (builder, self->time_zone);
    }

  any = FALSE;
  for (guint i = 0; i < n; i++)
    if (self->scale[i] != NULL)
      {
        gint64 mantissa;
        guint exponent;

        if (!any)
          {
            json_builder_set_member_name (builder, "scale");
            json_builder_begin_object (builder);
            any = TRUE;
          }
        json_builder_set_member_name (builder, columns[i].name);
        /* A whole factor as a JSON integer, as the contract writes it; a
         * fraction as text, so it is kept exactly. */
        if (parse_factor (self->scale[i], &mantissa, &exponent) && exponent == 0)
          json_builder_add_int_value (builder, mantissa);
        else
          json_builder_add_string_value (builder, self->scale[i]);
      }
  if (any)
    json_builder_end_object (builder);

  json_builder_set_member_name (builder, "update_only");
  json_builder_add_boolean_value (builder, self->update_only);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  json_generator_set_indent (generator, 2);
  return json_generator_to_data (generator, NULL);
}

/* Applying a profile to a field */

struct _KlImportProfileField {
  KlImportValueType  type;
  GHashTable        *values;       /* case-folded word → value; NULL when none */
  gboolean           has_scale;
  gint64             mantissa;
  guint              exponent;
  char             **formats;      /* NULL when none */
  GTimeZone         *tz;
};

KlImportProfileField *
kl_import_profile_field_new (const KlImportProfile *self,
                             const char            *column,
                             GTimeZone             *tz)
{
  guint n;
  const KlImportContractColumn *columns;
  KlImportProfileField *field;
  int i;

  g_return_val_if_fail (self != NULL, NULL);
  columns = kl_import_contract_columns (self->kind, &n);
  i = column_index (self->kind, column);
  if (i < 0)
    return NULL;

  field = g_new0 (KlImportProfileField, 1);
  field->type = columns[i].type;
  if (self->values[i] != NULL && self->values[i]->len > 0)
    {
      field->values = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
      for (guint j = 0; j < self->values[i]->len; j += 2)
        g_hash_table_insert (field->values, word_key (g_ptr_array_index (self->values[i], j)),
                             g_strdup (g_ptr_array_index (self->values[i], j + 1)));
    }
  if (self->scale[i] != NULL && parse_factor (self->scale[i], &field->mantissa, &field->exponent))
    field->has_scale = TRUE;
  if (columns[i].type == KL_IMPORT_VALUE_TIME && self->timestamp_formats->len > 1)
    {
      field->formats = g_strdupv ((char **) self->timestamp_formats->pdata);
      field->tz = tz != NULL ? g_time_zone_ref (tz) : g_time_zone_new_utc ();
    }
  if (field->values == NULL && !field->has_scale && field->formats == NULL)
    {
      kl_import_profile_field_free (field);
      return NULL;
    }
  return field;
}

void
kl_import_profile_field_free (KlImportProfileField *field)
{
  if (field == NULL)
    return;
  g_clear_pointer (&field->values, g_hash_table_unref);
  g_strfreev (field->formats);
  if (field->tz != NULL)
    g_time_zone_unref (field->tz);
  g_free (field);
}

/* The text's digits at 10^-9, exactly, multiplied by the factor (128 bits
 * hold the product), written out as a decimal. */
#define SCALE_READ_DIGITS 9

static const char *
apply_scale (KlImportProfileField *field,
             const char           *text,
             gboolean              quoted,
             GString              *scratch)
{
  gint64 value = 0;
  unsigned __int128 product;
  guint point = 0;
  char digits[64];
  int n = 0;
  gboolean read = FALSE;

  /* A large value is read with fewer decimals (revenue in fen, say). */
  for (int s = SCALE_READ_DIGITS; s >= 0 && !read; s -= 3)
    {
      KlCsvValueStatus status = kl_csv_parse_decimal (text, quoted, s, &value);

      if (status == KL_CSV_VALUE_OK)
        {
          point = s + field->exponent;
          read = TRUE;
        }
      else if (status != KL_CSV_VALUE_TOO_LARGE)
        return text;   /* the usual reading names what is wrong */
    }
  if (!read)
    {
      /* Beyond any bound: the usual reading says it is too large. */
      g_string_assign (scratch, "99999999999999999999999999");
      return scratch->str;
    }
  product = (unsigned __int128) value * (unsigned __int128) field->mantissa;
  do
    {
      digits[n++] = '0' + (int) (product % 10);
      product /= 10;
    }
  while (product > 0 && n < (int) sizeof digits);
  while (n <= (int) point)
    digits[n++] = '0';
  g_string_truncate (scratch, 0);
  for (int i = n - 1; i >= 0; i--)
    {
      g_string_append_c (scratch, digits[i]);
      if (i == (int) point && point > 0)
        g_string_append_c (scratch, '.');
    }
  return scratch->str;
}

static const char *
apply_formats (KlImportProfileField *field,
               const char           *text,
               GString              *scratch)
{
  for (guint i = 0; field->formats[i] != NULL; i++)
    {
      gint64 when;

      if (kl_import_profile_parse_time (field->formats[i], text, field->tz, &when))
        {
          g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (when);
          g_autofree char *iso = dt != NULL ? g_date_time_format (dt, "%Y-%m-%dT%H:%M:%SZ") : NULL;

          if (iso == NULL)
            return text;
          g_string_assign (scratch, iso);
          return scratch->str;
        }
    }
  return text;
}

const char *
kl_import_profile_field_apply (KlImportProfileField *field,
                               const char           *text,
                               gboolean              quoted,
                               GString              *scratch)
{
  g_assert (field != NULL && text != NULL && scratch != NULL);

  if (field->values != NULL && *text != '\0')
    {
      g_autofree char *key = word_key (text);
      const char *value = g_hash_table_lookup (field->values, key);

      if (value != NULL)
        {
          /* A mapped value is read as the contract writes it. */
          g_string_assign (scratch, value);
          text = scratch->str;
          quoted = FALSE;
        }
    }
  if (field->has_scale)
    return apply_scale (field, text, quoted, scratch);
  if (field->formats != NULL)
    return apply_formats (field, text, scratch);
  return text;
}

/* Fingerprints */

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

char *
kl_import_header_fingerprint (const char * const *names,
                              guint               n_names)
{
  g_autoptr(GPtrArray) keys = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);

  for (guint i = 0; i < n_names; i++)
    {
      g_autofree char *trimmed = g_strstrip (g_strdup (names[i] != NULL ? names[i] : ""));

      if (*trimmed != '\0')
        g_ptr_array_add (keys, g_utf8_casefold (trimmed, -1));
    }
  g_ptr_array_sort (keys, compare_strings);
  for (guint i = 0; i < keys->len; i++)
    {
      const char *key = g_ptr_array_index (keys, i);

      g_checksum_update (checksum, (const guchar *) key, strlen (key) + 1);
    }
  return g_strdup (g_checksum_get_string (checksum));
}
