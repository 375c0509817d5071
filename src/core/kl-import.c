/* SPDX-License-Identifier: GPL-3.0-or-later */
/* CSV import of shipments and customers (docs/import.md). Shipments are
 * read and checked once and written as they come through the bulk writer
 * (kl-shipment-bulk.h) in one transaction, which a bad row (without
 * --skip-bad), a dry run, a failure or a cancellation rolls back: the
 * outcome is as if every row had been checked first. Customers, and
 * shipments imported inside a caller's transaction (which a rollback would
 * doom), are checked in a first reading of the file and written in a
 * second; the file is read twice rather than held as records, so a file of
 * ten million rows costs little more memory than its text. */

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "kl-csv.h"
#include "kl-customer-store.h"
#include "kl-database-private.h"
#include "kl-import.h"
#include "kl-import-profile.h"
#include "kl-import-reader.h"
#include "kl-claim-money.h"
#include "kl-records.h"
#include "kl-shipment-bulk.h"
#include "kl-shipment-store.h"

G_DEFINE_QUARK (kl-import-error-quark, kl_import_error)

typedef struct {
  const char *name;      /* as in the contract */
  const char *alias;     /* the Chinese name */
  gboolean    required;
} KlImportColumn;

enum {
  SHIP_WAYBILL,
  SHIP_CUSTOMER_CODE,
  SHIP_STATUS,
  SHIP_MODE,
  SHIP_ORIGIN_CITY,
  SHIP_ORIGIN_REGION,
  SHIP_DEST_CITY,
  SHIP_DEST_REGION,
  SHIP_PIECES,
  SHIP_WEIGHT,
  SHIP_VOLUME,
  SHIP_PLANNED_PICKUP,
  SHIP_PICKED_UP,
  SHIP_PLANNED_DELIVERY,
  SHIP_DELIVERED,
  SHIP_DOCUMENTS_OK,
  SHIP_ORDER_ACCURATE,
  SHIP_DAMAGED,
  SHIP_SHORT,
  SHIP_INCIDENT,
  SHIP_REVENUE,
  SHIP_CURRENCY,
  N_SHIP_FIELDS
};

static const KlImportColumn shipment_columns[] = {
  [SHIP_WAYBILL]          = { "waybill",             "运单号",       TRUE },
  [SHIP_CUSTOMER_CODE]    = { "customer_code",       "客户编码",     TRUE },
  [SHIP_STATUS]           = { "status",              "状态",         TRUE },
  [SHIP_MODE]             = { "mode",                "运输方式",     FALSE },
  [SHIP_ORIGIN_CITY]      = { "origin_city",         "始发城市",     FALSE },
  [SHIP_ORIGIN_REGION]    = { "origin_region",       "始发区域",     FALSE },
  [SHIP_DEST_CITY]        = { "dest_city",           "目的城市",     FALSE },
  [SHIP_DEST_REGION]      = { "dest_region",         "目的区域",     FALSE },
  [SHIP_PIECES]           = { "pieces",              "件数",         TRUE },
  [SHIP_WEIGHT]           = { "weight_kg",           "重量",         FALSE },
  [SHIP_VOLUME]           = { "volume_m3",           "体积",         FALSE },
  [SHIP_PLANNED_PICKUP]   = { "planned_pickup_at",   "计划提货时间", TRUE },
  [SHIP_PICKED_UP]        = { "picked_up_at",        "实际提货时间", FALSE },
  [SHIP_PLANNED_DELIVERY] = { "planned_delivery_at", "计划送达时间", TRUE },
  [SHIP_DELIVERED]        = { "delivered_at",        "实际送达时间", FALSE },
  [SHIP_DOCUMENTS_OK]     = { "documents_ok",        "单证准确",     FALSE },
  [SHIP_ORDER_ACCURATE]   = { "order_accurate",      "发货准确",     FALSE },
  [SHIP_DAMAGED]          = { "damaged_pieces",      "货损件数",     FALSE },
  [SHIP_SHORT]            = { "short_pieces",        "货差件数",     FALSE },
  [SHIP_INCIDENT]         = { "incident",            "事故",         FALSE },
  [SHIP_REVENUE]          = { "revenue",             "运费收入",     FALSE },
  [SHIP_CURRENCY]         = { "currency",            "币种",         FALSE },
};
G_STATIC_ASSERT (G_N_ELEMENTS (shipment_columns) == N_SHIP_FIELDS);

enum {
  CUST_CODE,
  CUST_NAME,
  CUST_LEGAL_NAME,
  CUST_KIND,
  CUST_CHANNEL,
  CUST_INDUSTRY,
  CUST_REGION,
  CUST_ACCOUNT_MANAGER,
  CUST_RELATIONSHIP,
  CUST_STATUS,
  CUST_TAGS,
  CUST_NOTES,
  N_CUST_FIELDS
};

/* The contract names no Chinese header for channel and status; 渠道 and
 * 状态 are what Chinese CRM exports call them. */
static const KlImportColumn customer_columns[] = {
  [CUST_CODE]            = { "code",            "客户编码", TRUE },
  [CUST_NAME]            = { "name",            "客户名称", TRUE },
  [CUST_LEGAL_NAME]      = { "legal_name",      "法定名称", FALSE },
  [CUST_KIND]            = { "kind",            "客户类型", FALSE },
  [CUST_CHANNEL]         = { "channel",         "渠道",     FALSE },
  [CUST_INDUSTRY]        = { "industry",        "行业",     FALSE },
  [CUST_REGION]          = { "region",          "区域",     FALSE },
  [CUST_ACCOUNT_MANAGER] = { "account_manager", "客户经理", FALSE },
  [CUST_RELATIONSHIP]    = { "relationship",    "关系类型", FALSE },
  [CUST_STATUS]          = { "status",          "状态",     FALSE },
  [CUST_TAGS]            = { "tags",            "标签",     FALSE },
  [CUST_NOTES]           = { "notes",           "备注",     FALSE },
};
G_STATIC_ASSERT (G_N_ELEMENTS (customer_columns) == N_CUST_FIELDS);

#define MAX_FIELDS N_SHIP_FIELDS
G_STATIC_ASSERT ((int) N_CUST_FIELDS <= (int) MAX_FIELDS);

/* The vocabularies of kl-enums.h that columns use. */
typedef enum {
  WORDS_SHIPMENT_STATUS,
  WORDS_MODE,
  WORDS_CUSTOMER_KIND,
  WORDS_CHANNEL,
  WORDS_RELATIONSHIP,
  WORDS_CUSTOMER_STATUS,
  N_WORDS
} Words;

/* Share of the progress bar for checking; writing takes the rest. */
#define CHECK_SHARE 0.3

typedef struct {
  KlDatabase            *db;
  KlImportKind           kind;
  char                  *display_name;            /* escaped for messages */
  char                  *raw_name;                /* as given, for the CSV reader */
  KlImportFlags          flags;
  GTimeZone             *tz;
  KlCsvZone             *zone;                    /* tz, with its offsets cached */
  char                  *currency;                /* the workspace's */
  const KlImportColumn  *columns;
  guint                  n_columns;
  KlCsvReader           *reader;
  KlImportResult        *result;
  KlShipmentBulk        *bulk;                    /* writing or classifying shipments */

  guint                  n_header;
  char                 **header_names;            /* trimmed, per header field */
  int                    column_of[MAX_FIELDS];   /* header index, -1 when absent */

  GHashTable            *customer_ids;            /* code → id, NULL value: unknown */
  gboolean               customer_ids_complete;   /* every customer is in it: a miss is unknown */
  KlImportCustomerLookup lookup;                  /* a reader's, else db's */
  gpointer               lookup_data;
  GStringChunk          *key_text;
  GHashTable            *first_line_of_key;       /* set of waybills or codes, in key_text */
  GString               *key_scratch;
  GArray                *bad_records;             /* guint ordinals, ascending */
  char                  *vocabulary[N_WORDS];     /* _describe() texts, made when needed */
  struct {
    char text[32];
    int  value;
  }                      word_memo[N_WORDS][8];   /* words read before, exactly as written */
  guint                  n_word_memo[N_WORDS];

  KlImportProgressFunc   progress;
  gpointer               progress_data;
  double                 reported;
  GCancellable          *cancellable;

  const KlCsvRecord     *record;                  /* the row at hand */
  gboolean               row_bad;
  gboolean               report;                  /* checking: list what is wrong */

  /* With a profile (docs/import.md, "Import profiles"); all NULL without. */
  const KlImportProfile *profile;
  gboolean               update_only;
  KlImportProfileField  *profile_field[MAX_FIELDS]; /* NULL: the column is read as written */
  GString               *profile_text[MAX_FIELDS];  /* a field's text as the profile made it */
  const char            *source_text[MAX_FIELDS];   /* the row's own text, for messages */
  KlShipment            *stored;                  /* update-only: the shipment the row changes */
} KlImport;

static void
kl_import_clear (KlImport *self)
{
  g_clear_pointer (&self->bulk, kl_shipment_bulk_free);
  g_clear_pointer (&self->reader, kl_csv_reader_free);
  g_clear_pointer (&self->display_name, g_free);
  g_clear_pointer (&self->raw_name, g_free);
  g_clear_pointer (&self->header_names, g_strfreev);
  g_clear_pointer (&self->customer_ids, g_hash_table_unref);
  g_clear_pointer (&self->first_line_of_key, g_hash_table_unref);
  g_clear_pointer (&self->key_text, g_string_chunk_free);
  if (self->key_scratch != NULL)
    g_string_free (self->key_scratch, TRUE);
  self->key_scratch = NULL;
  g_clear_pointer (&self->bad_records, g_array_unref);
  for (guint i = 0; i < N_WORDS; i++)
    g_clear_pointer (&self->vocabulary[i], g_free);
  if (self->tz != NULL)
    g_time_zone_unref (self->tz);
  self->tz = NULL;
  g_clear_pointer (&self->currency, g_free);
  for (guint i = 0; i < MAX_FIELDS; i++)
    {
      g_clear_pointer (&self->profile_field[i], kl_import_profile_field_free);
      if (self->profile_text[i] != NULL)
        g_string_free (self->profile_text[i], TRUE);
      self->profile_text[i] = NULL;
    }
  g_clear_pointer (&self->stored, kl_shipment_free);
  g_clear_pointer (&self->zone, kl_csv_zone_free);
}

/* Words */

static gboolean
words_from_string (Words       words,
                   const char *text,
                   int        *out_value)
{
  gboolean ok = FALSE;

#define WORDS_CASE(id, Type, prefix)             \
  case id:                                       \
    {                                            \
      Type v;                                    \
      ok = prefix##_from_string (text, &v);      \
      if (ok)                                    \
        *out_value = (int) v;                    \
    }                                            \
    break;

  switch (words)
    {
    WORDS_CASE (WORDS_SHIPMENT_STATUS, KlShipmentStatus, kl_shipment_status)
    WORDS_CASE (WORDS_MODE,            KlShipmentMode,   kl_shipment_mode)
    WORDS_CASE (WORDS_CUSTOMER_KIND,   KlCustomerKind,   kl_customer_kind)
    WORDS_CASE (WORDS_CHANNEL,         KlChannel,        kl_channel)
    WORDS_CASE (WORDS_RELATIONSHIP,    KlRelationship,   kl_relationship)
    WORDS_CASE (WORDS_CUSTOMER_STATUS, KlCustomerStatus, kl_customer_status)
    case N_WORDS:
    default:
      g_assert_not_reached ();
    }
#undef WORDS_CASE

  return ok;
}

static const char *
words_describe (KlImport *self,
                Words     words)
{
  if (self->vocabulary[words] == NULL)
    {
      switch (words)
        {
        case WORDS_SHIPMENT_STATUS: self->vocabulary[words] = kl_shipment_status_describe (); break;
        case WORDS_MODE:            self->vocabulary[words] = kl_shipment_mode_describe (); break;
        case WORDS_CUSTOMER_KIND:   self->vocabulary[words] = kl_customer_kind_describe (); break;
        case WORDS_CHANNEL:         self->vocabulary[words] = kl_channel_describe (); break;
        case WORDS_RELATIONSHIP:    self->vocabulary[words] = kl_relationship_describe (); break;
        case WORDS_CUSTOMER_STATUS: self->vocabulary[words] = kl_customer_status_describe (); break;
        case N_WORDS:
        default:
          g_assert_not_reached ();
        }
    }
  return self->vocabulary[words];
}

/* Fields of the row at hand */

static gboolean
field_present (KlImport *self,
               int       field)
{
  return self->column_of[field] >= 0;
}

/* The text as written, "" when the column or the field is missing. */
static const char *
field_text (KlImport *self,
            int       field)
{
  int col = self->column_of[field];

  if (col < 0 || (guint) col >= self->record->n_fields)
    return "";
  return self->record->fields[col];
}

static gboolean
field_quoted (KlImport *self,
              int       field)
{
  int col = self->column_of[field];

  return col >= 0 && (guint) col < self->record->n_fields && self->record->quoted[col];
}

/* Values and names from the file are shown on one line: escaped, and cut
 * to this many characters. */
#define MAX_SHOWN_CHARS 60

static void
add_row_error (KlImport   *self,
               const char *column,
               const char *what,
               const char *value)
{
  g_autofree char *shown_column = NULL;
  g_autofree char *shown_value = NULL;

  self->row_bad = TRUE;
  if (!self->report)
    return;
  shown_column = kl_csv_escape (column, MAX_SHOWN_CHARS);
  shown_value = kl_csv_escape (value, MAX_SHOWN_CHARS);
  g_ptr_array_add (self->result->errors,
                   /* Translators: file name, line, column name, what is wrong, the value.
                    * Scripts read these lines: keep the colons and the ASCII quotes. */
                   g_strdup_printf (_("%s:%u: column %s: %s (got \"%s\")"),
                                    self->display_name, self->record->line, shown_column, what,
                                    shown_value));
}

static void
bad_value (KlImport   *self,
           int         field,
           const char *what)
{
  add_row_error (self, self->header_names[self->column_of[field]], what,
                 self->source_text[field] != NULL ? self->source_text[field] : field_text (self, field));
}

/* g_strstrip () with one pass over the text: a field seldom has leading
 * white space, so the text is moved only when it has. */
static inline char *
strip_in_place (char *text)
{
  char *start = text, *end;

  while (g_ascii_isspace (*start))
    start++;
  end = start + strlen (start);
  while (end > start && g_ascii_isspace (end[-1]))
    end--;
  *end = '\0';
  if (start != text)
    memmove (text, start, (gsize) (end - start) + 1);
  return text;
}

/* The text trimmed (in the reader's buffer), NULL when empty or absent. */
static char *
field_string (KlImport *self,
              int       field)
{
  int col = self->column_of[field];
  char *text;

  if (col < 0 || (guint) col >= self->record->n_fields)
    return NULL;
  text = strip_in_place (self->record->fields[col]);
  return *text != '\0' ? text : NULL;
}

static char *
required_string (KlImport *self,
                 int       field)
{
  char *text = field_string (self, field);

  if (text == NULL)
    bad_value (self, field, _("a value is required"));
  return text;
}

static void
number_problem (KlImport         *self,
                int               field,
                KlCsvValueStatus  status,
                gboolean          whole)
{
  const char *what = NULL;

  switch (status)
    {
    case KL_CSV_VALUE_EMPTY:
      what = _("a value is required");
      break;
    case KL_CSV_VALUE_BAD:
      what = whole ? _("not a whole number like 12")
                   : _("not a number; write it like 1234.5, with . as the decimal point");
      break;
    case KL_CSV_VALUE_COMMA_UNQUOTED:
      what = _("a comma may only group thousands, and only in a quoted field; "
               "write the number with . as the decimal point");
      break;
    case KL_CSV_VALUE_NEGATIVE:
      what = _("must not be negative");
      break;
    case KL_CSV_VALUE_NOT_WHOLE:
      what = _("not a whole number");
      break;
    case KL_CSV_VALUE_TOO_LARGE:
      what = _("too large");
      break;
    case KL_CSV_VALUE_OK:
    default:
      g_assert_not_reached ();
    }
  bad_value (self, field, what);
}

/* A value beyond the contract's bound; max is in the column's own unit. */
static void
too_large (KlImport *self,
           int       field,
           gint64    max)
{
  g_autofree char *max_text = g_strdup_printf ("%" G_GINT64_FORMAT, max);
  g_autofree char *what = NULL;

  /* Translators: %s is the largest value allowed, 10000000 */
  what = g_strdup_printf (_("too large; at most %s is accepted"), max_text);
  bad_value (self, field, what);
}

/* A whole number from 0 to max; empty gives default_value unless required. */
static void
get_count (KlImport *self,
           int       field,
           gboolean  required,
           gint64    default_value,
           gint64    max,
           gint64   *out_value)
{
  KlCsvValueStatus status;

  *out_value = default_value;
  if (!field_present (self, field))
    return;
  status = kl_csv_parse_count (field_text (self, field), field_quoted (self, field), out_value);
  if (status == KL_CSV_VALUE_EMPTY && !required)
    *out_value = default_value;
  else if (status == KL_CSV_VALUE_TOO_LARGE || (status == KL_CSV_VALUE_OK && *out_value > max))
    {
      too_large (self, field, max);
      *out_value = default_value;
    }
  else if (status != KL_CSV_VALUE_OK)
    number_problem (self, field, status, TRUE);
}

/* A decimal from 0 to max in units of 10^-scale, -1 when empty; max is in
 * whole units. */
static void
get_decimal (KlImport *self,
             int       field,
             guint     scale,
             gint64    max,
             gint64   *out_value)
{
  KlCsvValueStatus status;
  gint64 limit = max;

  for (guint i = 0; i < scale; i++)
    limit *= 10;
  *out_value = -1;
  if (!field_present (self, field))
    return;
  status = kl_csv_parse_decimal (field_text (self, field), field_quoted (self, field), scale, out_value);
  if (status == KL_CSV_VALUE_EMPTY)
    *out_value = -1;
  else if (status == KL_CSV_VALUE_TOO_LARGE || (status == KL_CSV_VALUE_OK && *out_value > limit))
    {
      too_large (self, field, max);
      *out_value = -1;
    }
  else if (status != KL_CSV_VALUE_OK)
    number_problem (self, field, status, FALSE);
}

static void
get_time (KlImport *self,
          int       field,
          gboolean  required,
          gint64   *out_value)
{
  KlCsvValueStatus status;

  *out_value = KL_NO_TIME;
  if (!field_present (self, field))
    return;
  status = kl_csv_parse_time_in (field_text (self, field), self->zone, out_value);
  if (status == KL_CSV_VALUE_EMPTY && !required)
    *out_value = KL_NO_TIME;
  else if (status == KL_CSV_VALUE_EMPTY)
    bad_value (self, field, _("a value is required"));
  else if (status != KL_CSV_VALUE_OK)
    bad_value (self, field, _("not a time; write it like 2026-10-03 08:30 or 2026-10-03T08:30:00+08:00"));
  else if (*out_value < KL_IMPORT_MIN_TIME || *out_value > KL_IMPORT_MAX_TIME)
    {
      bad_value (self, field, _("out of range; a time must lie between 2000-01-01 and 2099-12-31 (UTC)"));
      *out_value = KL_NO_TIME;
    }
}

/* The currency (upper-cased in the row's buffer), NULL when empty: the
 * workspace's; then the revenue in its minor units, -1 when empty. */
static void
get_revenue (KlImport  *self,
             char     **out_currency,
             gint64    *out_minor)
{
  char *code = field_string (self, SHIP_CURRENCY);
  int decimals;
  gint64 value, limit = KL_IMPORT_MAX_REVENUE;
  KlCsvValueStatus status;
  guint extra = 3;   /* digits read beyond the currency's, to refuse them */

  *out_currency = NULL;
  *out_minor = -1;
  if (code != NULL)
    {
      for (char *p = code; *p; p++)
        *p = g_ascii_toupper (*p);
      if (!kl_currency_is_valid (code))
        {
          bad_value (self, SHIP_CURRENCY, _("not an ISO 4217 currency code; write one such as CNY, USD or EUR"));
          code = NULL;
        }
      else
        *out_currency = code;
    }
  if (!field_present (self, SHIP_REVENUE))
    return;
  decimals = kl_currency_decimals (code != NULL ? code : self->currency);
  for (int i = 0; i < decimals + (int) extra; i++)
    limit *= 10;
  status = kl_csv_parse_decimal (field_text (self, SHIP_REVENUE), field_quoted (self, SHIP_REVENUE),
                                 decimals + extra, &value);
  if (status == KL_CSV_VALUE_EMPTY)
    return;
  if (status == KL_CSV_VALUE_TOO_LARGE || (status == KL_CSV_VALUE_OK && value > limit))
    {
      too_large (self, SHIP_REVENUE, KL_IMPORT_MAX_REVENUE);
      return;
    }
  if (status != KL_CSV_VALUE_OK)
    {
      number_problem (self, SHIP_REVENUE, status, FALSE);
      return;
    }
  if (value % 1000 != 0)
    {
      g_autofree char *what = NULL;

      /* Translators: %s is a currency code, %d the digits its minor unit has */
      what = g_strdup_printf (_("more decimals than %s has (%d)"),
                              code != NULL ? code : self->currency, decimals);
      bad_value (self, SHIP_REVENUE, what);
      return;
    }
  *out_minor = value / 1000;
}

/* FALSE when empty or absent (and *out_value is untouched). */
static gboolean
get_bool (KlImport *self,
          int       field,
          gboolean *out_value)
{
  KlCsvValueStatus status;
  gboolean value;

  if (!field_present (self, field))
    return FALSE;
  status = kl_csv_parse_bool (field_text (self, field), &value);
  if (status == KL_CSV_VALUE_OK)
    {
      *out_value = value;
      return TRUE;
    }
  if (status != KL_CSV_VALUE_EMPTY)
    bad_value (self, field, _("not a yes/no value; write true/false, 1/0, yes/no, y/n or 是/否"));
  return FALSE;
}

static KlTri
get_tri (KlImport *self,
         int       field)
{
  gboolean value;

  if (!get_bool (self, field, &value))
    return KL_TRI_UNKNOWN;
  return value ? KL_TRI_TRUE : KL_TRI_FALSE;
}

/* FALSE when empty or absent (an error too when required) or not a word of
 * the vocabulary. */
static gboolean
get_word (KlImport *self,
          int       field,
          Words     words,
          gboolean  required,
          int      *out_value)
{
  const char *text = field_text (self, field);
  g_autofree char *what = NULL;
  const char *p = text;

  if (!field_present (self, field))
    return FALSE;
  while (*p == ' ' || *p == '\t')
    p++;
  if (*p == '\0')
    {
      if (required)
        bad_value (self, field, _("a value is required"));
      return FALSE;
    }
  for (guint i = 0; i < self->n_word_memo[words]; i++)
    if (strcmp (self->word_memo[words][i].text, text) == 0)
      {
        *out_value = self->word_memo[words][i].value;
        return TRUE;
      }
  if (words_from_string (words, text, out_value))
    {
      guint n = self->n_word_memo[words];

      if (n < G_N_ELEMENTS (self->word_memo[words]) && strlen (text) < sizeof self->word_memo[words][n].text)
        {
          strcpy (self->word_memo[words][n].text, text);
          self->word_memo[words][n].value = *out_value;
          self->n_word_memo[words] = n + 1;
        }
      return TRUE;
    }

  /* Translators: %s lists the accepted words, "booked (已下单), in_transit (在途), …" */
  what = g_strdup_printf (_("not one of %s"), words_describe (self, words));
  bad_value (self, field, what);
  return FALSE;
}

/* Keys (waybills, customer codes) hashed eight bytes a step, where
 * g_str_hash () takes one: this and the look-ups it serves are done for
 * every row. */
static guint
key_hash (gconstpointer key)
{
  const char *text = key;
  gsize len = strlen (text), i;
  guint64 h = (len + 1) * G_GUINT64_CONSTANT (0x9e3779b97f4a7c15), word;

  for (i = 0; i + 8 <= len; i += 8)
    {
      memcpy (&word, text + i, 8);
      h = (h ^ word) * G_GUINT64_CONSTANT (0xff51afd7ed558ccd);
      h ^= h >> 32;
    }
  if (i < len)
    {
      word = 0;
      memcpy (&word, text + i, len - i);
      h = (h ^ word) * G_GUINT64_CONSTANT (0xff51afd7ed558ccd);
      h ^= h >> 32;
    }
  h *= G_GUINT64_CONSTANT (0xc4ceb9fe1a85ec53);
  return (guint) (h >> 32);
}

/* Remembers a key (waybill or customer code) of this file; returns the line
 * it was first on when it was seen before, else 0. Each key is stored once,
 * behind its line number, and the table is a set (no values array): ten
 * million waybills should cost well under a gigabyte. */
static guint
earlier_line_of_key (KlImport   *self,
                     const char *key)
{
  const char *stored = g_hash_table_lookup (self->first_line_of_key, key);
  guint line = self->record->line;

  if (stored != NULL)
    {
      memcpy (&line, stored - sizeof line, sizeof line);
      return line;
    }
  {
    gsize len = strlen (key);
    char buffer[128];
    char *whole = buffer;

    /* The line, then the key, in one piece. */
    if (sizeof line + len > sizeof buffer)
      {
        g_string_set_size (self->key_scratch, sizeof line + len);
        whole = self->key_scratch->str;
      }
    memcpy (whole, &line, sizeof line);
    memcpy (whole + sizeof line, key, len);
    stored = g_string_chunk_insert_len (self->key_text, whole, sizeof line + len);
  }
  g_hash_table_add (self->first_line_of_key, (char *) stored + sizeof line);
  return 0;
}

/* Fields beyond the header's are an error unless empty. */
static void
check_extra_fields (KlImport *self)
{
  for (guint i = self->n_header; i < self->record->n_fields; i++)
    {
      const char *p = self->record->fields[i];
      g_autofree char *column = NULL;

      while (*p == ' ' || *p == '\t')
        p++;
      if (*p == '\0')
        continue;
      column = g_strdup_printf ("%u", i + 1);
      add_row_error (self, column, _("the line has more fields than the header names"),
                     self->record->fields[i]);
    }
}

/* The customer id for a code: NULL and *out_known FALSE when there is none. */
static const char *
customer_id_for_code (KlImport    *self,
                      const char  *code,
                      gboolean    *out_known,
                      GError     **error)
{
  gpointer id;
  g_autoptr(GError) local_error = NULL;
  char *new_id;

  if (g_hash_table_lookup_extended (self->customer_ids, code, NULL, &id))
    {
      *out_known = id != NULL;
      return id;
    }
  if (self->customer_ids_complete)
    new_id = NULL;
  else if (self->lookup != NULL)
    {
      const char *found = self->lookup (code, self->lookup_data, &local_error);

      new_id = g_strdup (found);
    }
  else if (self->db == NULL)
    new_id = g_strdup (code);   /* a reader without a look-up: the code stands for the customer */
  else
    new_id = kl_customer_store_lookup_code (self->db, code, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  g_hash_table_insert (self->customer_ids, g_strdup (code), new_id);
  *out_known = new_id != NULL;
  return new_id;
}

/* Profiles (docs/import.md, "Import profiles"). Without a profile none of
 * this runs: an import pays one pointer test per row. */

static void
apply_profile (KlImport *self)
{
  for (guint f = 0; f < self->n_columns; f++)
    {
      int col = self->column_of[f];
      const char *text;
      const char *applied;

      self->source_text[f] = NULL;
      if (self->profile_field[f] == NULL || col < 0 || (guint) col >= self->record->n_fields)
        continue;
      text = self->record->fields[col];
      applied = kl_import_profile_field_apply (self->profile_field[f], text, self->record->quoted[col],
                                               self->profile_text[f]);
      if (applied != text)
        {
          /* Messages show the row's own text. */
          self->source_text[f] = text;
          self->record->fields[col] = (char *) applied;
        }
    }
}

/* Update-only: an empty or missing field keeps what is stored. */
static gboolean
keeps_stored (KlImport *self,
              int       field)
{
  return field_string (self, field) == NULL;
}

/* Update-only: s, read from the row, takes the stored shipment's values
 * for every column the row leaves empty or the file does not have; a
 * waybill not on record makes the row bad. s borrows from self->stored. */
static gboolean
update_stored_shipment (KlImport    *self,
                        KlShipment  *s,
                        GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  KlShipment *stored;

  g_clear_pointer (&self->stored, kl_shipment_free);
  if (s->waybill == NULL)
    return TRUE;
  stored = kl_shipment_store_get (self->db, s->waybill, &local_error);
  if (stored == NULL)
    {
      if (!g_error_matches (local_error, KL_DATABASE_ERROR, KL_DATABASE_ERROR_NOT_FOUND))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      bad_value (self, SHIP_WAYBILL,
                 _("no shipment in this workspace has this waybill; this profile only updates shipments on record"));
      return TRUE;
    }
  self->stored = stored;
  if (keeps_stored (self, SHIP_CUSTOMER_CODE))
    s->customer_id = stored->customer_id;
  if (keeps_stored (self, SHIP_STATUS))
    s->status = stored->status;
  if (keeps_stored (self, SHIP_MODE))
    s->mode = stored->mode;
  if (keeps_stored (self, SHIP_ORIGIN_CITY))
    s->origin_city = stored->origin_city;
  if (keeps_stored (self, SHIP_ORIGIN_REGION))
    s->origin_region = stored->origin_region;
  if (keeps_stored (self, SHIP_DEST_CITY))
    s->dest_city = stored->dest_city;
  if (keeps_stored (self, SHIP_DEST_REGION))
    s->dest_region = stored->dest_region;
  if (keeps_stored (self, SHIP_PIECES))
    s->pieces = stored->pieces;
  if (keeps_stored (self, SHIP_WEIGHT))
    s->weight_g = stored->weight_g;
  if (keeps_stored (self, SHIP_VOLUME))
    s->volume_cm3 = stored->volume_cm3;
  if (keeps_stored (self, SHIP_PLANNED_PICKUP))
    s->planned_pickup_at = stored->planned_pickup_at;
  if (keeps_stored (self, SHIP_PICKED_UP))
    s->picked_up_at = stored->picked_up_at;
  if (keeps_stored (self, SHIP_PLANNED_DELIVERY))
    s->planned_delivery_at = stored->planned_delivery_at;
  if (keeps_stored (self, SHIP_DELIVERED))
    s->delivered_at = stored->delivered_at;
  if (keeps_stored (self, SHIP_DOCUMENTS_OK))
    s->documents_ok = stored->documents_ok;
  if (keeps_stored (self, SHIP_ORDER_ACCURATE))
    s->order_accurate = stored->order_accurate;
  if (keeps_stored (self, SHIP_DAMAGED))
    s->damaged_pieces = stored->damaged_pieces;
  if (keeps_stored (self, SHIP_SHORT))
    s->short_pieces = stored->short_pieces;
  if (keeps_stored (self, SHIP_INCIDENT))
    s->incident = stored->incident;
  if (keeps_stored (self, SHIP_REVENUE) && keeps_stored (self, SHIP_CURRENCY))
    {
      s->revenue_minor = stored->revenue_minor;
      s->currency = stored->currency;
    }
  return TRUE;
}

static gboolean
customer_exists (KlImport   *self,
                 const char *code)
{
  g_autofree char *id = kl_customer_store_lookup_code (self->db, code, NULL);

  return id != NULL;
}

static gboolean
profile_renames (KlImport *self,
                 guint     field)
{
  return self->profile != NULL && kl_import_profile_get_column (self->profile, self->columns[field].name) != NULL;
}

/* The column a header name stands for by the profile's renames, or -1. */
static int
profile_column (KlImport   *self,
                const char *name)
{
  for (guint f = 0; f < self->n_columns; f++)
    {
      const char *source = kl_import_profile_get_column (self->profile, self->columns[f].name);
      g_autofree char *trimmed = source != NULL ? g_strstrip (g_strdup (source)) : NULL;

      if (trimmed != NULL && g_ascii_strcasecmp (name, trimmed) == 0)
        return f;
    }
  return -1;
}

static gboolean
setup_profile (KlImport               *self,
               const KlImportProfile  *profile,
               GError                **error)
{
  const char *zone = kl_import_profile_get_time_zone (profile);

  if (kl_import_profile_get_kind (profile) != self->kind)
    {
      g_autofree char *name = kl_csv_escape (kl_import_profile_get_name (profile), 60);

      g_set_error (error, KL_IMPORT_ERROR, KL_IMPORT_ERROR_HEADER,
                   self->kind == KL_IMPORT_SHIPMENTS
                     ? _("%s: the profile “%s” is for customers, not shipments; choose a profile for shipments")
                     : _("%s: the profile “%s” is for shipments, not customers; choose a profile for customers"),
                   self->display_name, name);
      return FALSE;
    }
  if (kl_import_profile_get_update_only (profile) && self->db == NULL)
    {
      g_autofree char *name = kl_csv_escape (kl_import_profile_get_name (profile), 60);

      g_set_error (error, KL_IMPORT_ERROR, KL_IMPORT_ERROR_HEADER,
                   _("%s: the profile “%s” is update-only: it changes records already stored, which this import cannot see; import the file into a workspace"),
                   self->display_name, name);
      return FALSE;
    }
  self->profile = profile;
  self->update_only = kl_import_profile_get_update_only (profile);
  if (zone != NULL)
    {
      GTimeZone *tz = g_time_zone_new_identifier (zone);

      if (tz != NULL)
        {
          g_time_zone_unref (self->tz);
          self->tz = tz;
          g_clear_pointer (&self->zone, kl_csv_zone_free);
          self->zone = kl_csv_zone_new (self->tz);
        }
    }
  for (guint f = 0; f < self->n_columns; f++)
    {
      self->profile_field[f] = kl_import_profile_field_new (profile, self->columns[f].name, self->tz);
      if (self->profile_field[f] != NULL)
        self->profile_text[f] = g_string_new (NULL);
    }
  return TRUE;
}

/* After the header: each column read, from which header, and what the
 * profile does to it ("weight_kg ← 重量(吨) × 1000"); renamed columns are
 * named in messages as "重量(吨) (weight_kg)". */
static void
describe_mapping (KlImport *self)
{
  for (guint f = 0; f < self->n_columns; f++)
    {
      int col = self->column_of[f];
      g_autoptr(GString) line = NULL;
      const char *scale;
      g_autofree const char **values = NULL;

      if (col < 0)
        continue;
      line = g_string_new (NULL);
      g_string_append_printf (line, "%s ← %s", self->columns[f].name, self->header_names[col]);
      if (self->profile != NULL)
        {
          values = kl_import_profile_get_values (self->profile, self->columns[f].name);
          scale = kl_import_profile_get_scale (self->profile, self->columns[f].name);
          if (values != NULL)
            {
              guint n = g_strv_length ((char **) values) / 2;

              g_string_append (line, ", ");
              /* Translators: how many of the file's words a profile maps to the contract's */
              g_string_append_printf (line, g_dngettext (GETTEXT_PACKAGE, "%u word mapped", "%u words mapped", n), n);
            }
          if (scale != NULL)
            g_string_append_printf (line, " × %s", scale);
          if (self->profile_field[f] != NULL && kl_import_profile_get_timestamp_formats (self->profile)[0] != NULL &&
              scale == NULL && values == NULL)
            {
              g_autofree char *forms = g_strjoinv (" | ", (char **) kl_import_profile_get_timestamp_formats (self->profile));

              g_string_append_printf (line, ", %s", forms);
            }
          if (profile_renames (self, f))
            {
              char *label = g_strdup_printf ("%s (%s)", self->header_names[col], self->columns[f].name);

              g_free (self->header_names[col]);
              self->header_names[col] = label;
            }
        }
      g_ptr_array_add (self->result->mapping, kl_csv_escape (line->str, 0));
    }
}

/* Shipments */

/* Fills s from the row, its strings borrowed from the row and the customer
 * cache (s must not be freed). FALSE only when the database fails. */
static gboolean
read_shipment (KlImport    *self,
               KlShipment  *s,
               GError     **error)
{
  const char *code;
  int word;

  memset (s, 0, sizeof *s);
  s->status = KL_SHIPMENT_STATUS_BOOKED;
  s->mode = KL_MODE_NONE;

  s->waybill = required_string (self, SHIP_WAYBILL);
  code = self->update_only ? field_string (self, SHIP_CUSTOMER_CODE) : required_string (self, SHIP_CUSTOMER_CODE);
  if (code != NULL)
    {
      gboolean known = FALSE;
      g_autoptr(GError) local_error = NULL;

      s->customer_id = (char *) customer_id_for_code (self, code, &known, &local_error);
      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      if (!known)
        bad_value (self, SHIP_CUSTOMER_CODE,
                   _("no customer in this workspace has this code; import or add the customer first"));
    }
  if (get_word (self, SHIP_STATUS, WORDS_SHIPMENT_STATUS, !self->update_only, &word))
    s->status = word;
  if (get_word (self, SHIP_MODE, WORDS_MODE, FALSE, &word))
    s->mode = word;
  s->origin_city = field_string (self, SHIP_ORIGIN_CITY);
  s->origin_region = field_string (self, SHIP_ORIGIN_REGION);
  s->dest_city = field_string (self, SHIP_DEST_CITY);
  s->dest_region = field_string (self, SHIP_DEST_REGION);
  get_count (self, SHIP_PIECES, !self->update_only, 0, KL_IMPORT_MAX_PIECES, &s->pieces);
  get_decimal (self, SHIP_WEIGHT, 3, KL_IMPORT_MAX_WEIGHT_KG, &s->weight_g);
  get_decimal (self, SHIP_VOLUME, 6, KL_IMPORT_MAX_VOLUME_M3, &s->volume_cm3);
  get_time (self, SHIP_PLANNED_PICKUP, !self->update_only, &s->planned_pickup_at);
  get_time (self, SHIP_PICKED_UP, FALSE, &s->picked_up_at);
  get_time (self, SHIP_PLANNED_DELIVERY, !self->update_only, &s->planned_delivery_at);
  get_time (self, SHIP_DELIVERED, FALSE, &s->delivered_at);
  s->documents_ok = get_tri (self, SHIP_DOCUMENTS_OK);
  s->order_accurate = get_tri (self, SHIP_ORDER_ACCURATE);
  get_count (self, SHIP_DAMAGED, FALSE, 0, KL_IMPORT_MAX_PIECES, &s->damaged_pieces);
  get_count (self, SHIP_SHORT, FALSE, 0, KL_IMPORT_MAX_PIECES, &s->short_pieces);
  s->incident = FALSE;
  get_bool (self, SHIP_INCIDENT, &s->incident);
  get_revenue (self, &s->currency, &s->revenue_minor);
  if (self->update_only)
    return update_stored_shipment (self, s, error);
  return TRUE;
}

/* Reads the row into *s (as read_shipment ()) and checks it, a waybill
 * seen before in the file included. */
static gboolean
check_shipment (KlImport    *self,
                KlShipment  *s,
                GError     **error)
{
  if (!read_shipment (self, s, error))
    return FALSE;
  if (s->waybill != NULL)
    {
      guint line = earlier_line_of_key (self, s->waybill);

      if (line > 0)
        {
          /* Translators: %u is a line number */
          g_autofree char *what = g_strdup_printf (_("the same waybill is on line %u; a file may list each waybill once"),
                                                   line);
          bad_value (self, SHIP_WAYBILL, what);
        }
    }
  return TRUE;
}

/* Writes (or, dry, classifies) a good row through self->bulk. */
static gboolean
write_shipment (KlImport        *self,
                KlUpsertResult  *out_result,
                GError         **error)
{
  KlShipment s;

  if (!read_shipment (self, &s, error))
    return FALSE;
  g_assert (!self->row_bad);
  return kl_shipment_bulk_add (self->bulk, &s, out_result, error);
}

/* Customers */

static void
replace_string (char       **slot,
                const char  *value)
{
  g_free (*slot);
  *slot = g_strdup (value);
}

static char **
split_tags (const char *text)
{
  g_auto(GStrv) parts = NULL;
  GPtrArray *tags;

  if (text == NULL)
    return NULL;
  parts = g_strsplit (text, ";", -1);
  tags = g_ptr_array_new ();
  for (guint i = 0; parts[i] != NULL; i++)
    {
      char *tag = g_strstrip (parts[i]);

      if (*tag != '\0')
        g_ptr_array_add (tags, g_strdup (tag));
    }
  if (tags->len == 0)
    {
      g_ptr_array_free (tags, TRUE);
      return NULL;
    }
  g_ptr_array_add (tags, NULL);
  return (char **) g_ptr_array_free (tags, FALSE);
}

/* Puts the row's columns onto c; fields the file has no column for keep
 * their values, and so do the vocabularies when the field is empty. */
static void
read_customer (KlImport   *self,
               KlCustomer *c)
{
  const char *code = required_string (self, CUST_CODE);
  int word;

  replace_string (&c->code, code);
  /* An update-only file may leave the name out. */
  if (field_present (self, CUST_NAME))
    replace_string (&c->name, required_string (self, CUST_NAME));
  /* A deleted customer named by the file comes back (docs/import.md). */
  c->deleted = FALSE;
  if (field_present (self, CUST_LEGAL_NAME))
    replace_string (&c->legal_name, field_string (self, CUST_LEGAL_NAME));
  if (get_word (self, CUST_KIND, WORDS_CUSTOMER_KIND, FALSE, &word))
    c->kind = word;
  if (get_word (self, CUST_CHANNEL, WORDS_CHANNEL, FALSE, &word))
    c->channel = word;
  if (field_present (self, CUST_INDUSTRY))
    replace_string (&c->industry, field_string (self, CUST_INDUSTRY));
  if (field_present (self, CUST_REGION))
    replace_string (&c->region, field_string (self, CUST_REGION));
  if (field_present (self, CUST_ACCOUNT_MANAGER))
    replace_string (&c->account_manager, field_string (self, CUST_ACCOUNT_MANAGER));
  if (get_word (self, CUST_RELATIONSHIP, WORDS_RELATIONSHIP, FALSE, &word))
    c->relationship = word;
  if (get_word (self, CUST_STATUS, WORDS_CUSTOMER_STATUS, FALSE, &word))
    c->status = word;
  if (field_present (self, CUST_TAGS))
    {
      g_strfreev (c->tags);
      c->tags = split_tags (field_string (self, CUST_TAGS));
    }
  if (field_present (self, CUST_NOTES))
    replace_string (&c->notes, field_string (self, CUST_NOTES));
}

static void
check_customer (KlImport *self)
{
  g_autoptr(KlCustomer) c = kl_customer_new ();

  read_customer (self, c);
  if (c->code != NULL && self->update_only && !customer_exists (self, c->code))
    bad_value (self, CUST_CODE,
               _("no customer in this workspace has this code; this profile only updates customers on record"));
  if (c->code != NULL)
    {
      guint line = earlier_line_of_key (self, c->code);

      if (line > 0)
        {
          /* Translators: %u is a line number */
          g_autofree char *what = g_strdup_printf (_("the same code is on line %u; a file may list each customer once"),
                                                   line);
          bad_value (self, CUST_CODE, what);
        }
    }
}

static gboolean
write_customer (KlImport        *self,
                gboolean         dry_run,
                KlUpsertResult  *out_result,
                GError         **error)
{
  g_autoptr(KlCustomer) old = NULL;
  g_autoptr(KlCustomer) c = NULL;
  g_autoptr(GError) local_error = NULL;
  const char *code = field_string (self, CUST_CODE);

  g_assert (code != NULL);
  old = kl_customer_store_get_by_code (self->db, code, &local_error);
  if (old == NULL && !g_error_matches (local_error, KL_DATABASE_ERROR, KL_DATABASE_ERROR_NOT_FOUND))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  c = old != NULL ? kl_customer_copy (old) : kl_customer_new ();
  read_customer (self, c);
  g_assert (!self->row_bad);

  if (dry_run)
    {
      if (old == NULL)
        *out_result = KL_UPSERT_NEW;
      else
        *out_result = kl_customer_equal_content (old, c) ? KL_UPSERT_UNCHANGED : KL_UPSERT_UPDATED;
      return TRUE;
    }
  return kl_customer_store_save (self->db, c, KL_ORIGIN_IMPORT, out_result, error);
}

/* The run */

/* Reports progress and notices cancellation; base and share place the
 * reader's position within the whole import. */
static gboolean
tick (KlImport  *self,
      double     base,
      double     share,
      GError   **error)
{
  if (g_cancellable_is_cancelled (self->cancellable))
    {
      g_set_error (error, KL_IMPORT_ERROR, KL_IMPORT_ERROR_CANCELLED,
                   _("%s: the import was cancelled; nothing was written"), self->display_name);
      return FALSE;
    }
  if (self->progress != NULL)
    {
      double fraction = base + share * kl_csv_reader_get_fraction (self->reader);

      if (fraction - self->reported >= 0.01)
        {
          self->reported = fraction;
          self->progress (fraction, self->progress_data);
        }
    }
  return TRUE;
}

/* tick () for the writer of import_shipments_piped (): fraction is the
 * reader thread's. */
static gboolean
tick_at (KlImport  *self,
         double     fraction,
         GError   **error)
{
  if (g_cancellable_is_cancelled (self->cancellable))
    {
      g_set_error (error, KL_IMPORT_ERROR, KL_IMPORT_ERROR_CANCELLED,
                   _("%s: the import was cancelled; nothing was written"), self->display_name);
      return FALSE;
    }
  if (self->progress != NULL && fraction - self->reported >= 0.01)
    {
      self->reported = fraction;
      self->progress (fraction, self->progress_data);
    }
  return TRUE;
}

static void
set_reader_error (KlImport *self,
                  GError   *csv_error,
                  GError  **error)
{
  KlImportError code;

  switch ((KlCsvError) (csv_error->domain == KL_CSV_ERROR ? csv_error->code : KL_CSV_ERROR_READ))
    {
    case KL_CSV_ERROR_ENCODING:
      code = KL_IMPORT_ERROR_ENCODING;
      break;
    case KL_CSV_ERROR_SYNTAX:
      code = KL_IMPORT_ERROR_SYNTAX;
      break;
    case KL_CSV_ERROR_CANCELLED:
      g_set_error (error, KL_IMPORT_ERROR, KL_IMPORT_ERROR_CANCELLED,
                   _("%s: the import was cancelled; nothing was written"), self->display_name);
      return;
    case KL_CSV_ERROR_READ:
    default:
      code = KL_IMPORT_ERROR_READ;
      break;
    }
  g_set_error_literal (error, KL_IMPORT_ERROR, code, csv_error->message);
}

/* Reads up to the header (the first non-blank line). */
static const KlCsvRecord *
next_header (KlImport  *self,
             GError   **error)
{
  const KlCsvRecord *record;
  g_autoptr(GError) local_error = NULL;

  while (kl_csv_reader_read (self->reader, &record, &local_error))
    if (!kl_csv_record_is_blank (record))
      return record;
  if (local_error != NULL)
    set_reader_error (self, local_error, error);
  else
    g_set_error (error, KL_IMPORT_ERROR, KL_IMPORT_ERROR_EMPTY,
                 _("%s: the file is empty; its first line must name the columns"), self->display_name);
  return NULL;
}

static gboolean
read_header (KlImport  *self,
             GError   **error)
{
  const KlCsvRecord *record = next_header (self, error);
  g_autoptr(GString) missing = NULL;
  g_autoptr(GHashTable) unknown = NULL;
  guint n_missing = 0;

  if (record == NULL)
    return FALSE;

  for (guint f = 0; f < MAX_FIELDS; f++)
    self->column_of[f] = -1;
  self->n_header = record->n_fields;
  self->header_names = g_new0 (char *, record->n_fields + 1);
  /* Unknown names seen: a set, so a header of any width is read in linear time. */
  unknown = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < record->n_fields; i++)
    {
      char *name = g_strstrip (g_strdup (record->fields[i]));
      int match = -1;

      self->header_names[i] = name;
      if (i % 1024 == 1023 && g_cancellable_is_cancelled (self->cancellable))
        {
          g_set_error (error, KL_IMPORT_ERROR, KL_IMPORT_ERROR_CANCELLED,
                       _("%s: the import was cancelled; nothing was written"), self->display_name);
          return FALSE;
        }
      if (*name == '\0')
        continue;
      if (self->profile != NULL)
        match = profile_column (self, name);
      /* A column the profile renames is known by that name only. */
      for (guint f = 0; f < self->n_columns && match < 0; f++)
        if ((g_ascii_strcasecmp (name, self->columns[f].name) == 0 ||
             g_strcmp0 (name, self->columns[f].alias) == 0) && !profile_renames (self, f))
          match = f;

      if (match < 0)
        {
          if (g_hash_table_add (unknown, name))
            g_ptr_array_add (self->result->unknown_columns, kl_csv_escape (name, MAX_SHOWN_CHARS));
        }
      else if (self->column_of[match] >= 0)
        {
          g_autofree char *first = kl_csv_escape (self->header_names[self->column_of[match]], MAX_SHOWN_CHARS);
          g_autofree char *second = kl_csv_escape (name, MAX_SHOWN_CHARS);

          g_set_error (error, KL_IMPORT_ERROR, KL_IMPORT_ERROR_HEADER,
                       /* Translators: file, line, two column names, the column's English name */
                       _("%s:%u: the columns “%s” and “%s” are both %s; remove one of them"),
                       self->display_name, record->line, first, second, self->columns[match].name);
          return FALSE;
        }
      else
        self->column_of[match] = i;
    }

  missing = g_string_new (NULL);
  for (guint f = 0; f < self->n_columns; f++)
    /* Update-only rows need only their key, the first column. */
    if (self->columns[f].required && self->column_of[f] < 0 && (!self->update_only || f == 0))
      {
        /* A renamed column is named as the profile has the file call it. */
        const char *source = self->profile != NULL
                             ? kl_import_profile_get_column (self->profile, self->columns[f].name) : NULL;
        g_autofree char *shown = source != NULL ? kl_csv_escape (source, MAX_SHOWN_CHARS) : NULL;

        g_string_append_printf (missing, "%s%s (%s)", missing->len > 0 ? ", " : "",
                                shown != NULL ? shown : self->columns[f].name,
                                shown != NULL ? self->columns[f].name : self->columns[f].alias);
        n_missing++;
      }
  if (n_missing > 0)
    {
      g_set_error (error, KL_IMPORT_ERROR, KL_IMPORT_ERROR_HEADER,
                   g_dngettext (GETTEXT_PACKAGE,
                                "%s:%u: the header lacks the required column %s",
                                "%s:%u: the header lacks the required columns %s",
                                n_missing),
                   self->display_name, record->line, missing->str);
      return FALSE;
    }
  describe_mapping (self);
  return TRUE;
}

static gboolean
check_rows (KlImport  *self,
            GError   **error)
{
  const KlCsvRecord *record;
  g_autoptr(GError) local_error = NULL;
  guint ordinal = 0;

  self->report = TRUE;
  while (kl_csv_reader_read (self->reader, &record, &local_error))
    {
      if (kl_csv_record_is_blank (record))
        continue;

      self->record = record;
      if (self->profile != NULL)
        apply_profile (self);
      self->row_bad = FALSE;
      check_extra_fields (self);
      if (self->kind == KL_IMPORT_SHIPMENTS)
        {
          KlShipment s;

          if (!check_shipment (self, &s, error))
            return FALSE;
        }
      else
        check_customer (self);

      self->result->n_rows++;
      if (self->row_bad)
        {
          self->result->n_bad++;
          g_array_append_val (self->bad_records, ordinal);
        }
      ordinal++;
      if (!tick (self, 0.0, CHECK_SHARE, error))
        return FALSE;
    }
  if (local_error != NULL)
    {
      set_reader_error (self, local_error, error);
      return FALSE;
    }
  return TRUE;
}

/* Reads the file again and writes (or, dry, classifies) the good rows. */
static gboolean
write_rows (KlImport  *self,
            gboolean   dry_run,
            GError   **error)
{
  const KlCsvRecord *record;
  g_autoptr(GError) local_error = NULL;
  guint ordinal = 0;
  guint next_bad = 0;

  kl_csv_reader_rewind (self->reader);
  if (next_header (self, error) == NULL)
    return FALSE;

  self->report = FALSE;
  while (kl_csv_reader_read (self->reader, &record, &local_error))
    {
      KlUpsertResult upsert = KL_UPSERT_UNCHANGED;
      gboolean ok;

      if (kl_csv_record_is_blank (record))
        continue;
      if (next_bad < self->bad_records->len &&
          g_array_index (self->bad_records, guint, next_bad) == ordinal)
        {
          next_bad++;
          ordinal++;
          continue;
        }
      ordinal++;

      self->record = record;
      if (self->profile != NULL)
        apply_profile (self);
      self->row_bad = FALSE;
      if (self->kind == KL_IMPORT_SHIPMENTS)
        ok = write_shipment (self, &upsert, error);
      else
        ok = write_customer (self, dry_run, &upsert, error);
      if (!ok)
        return FALSE;

      switch (upsert)
        {
        case KL_UPSERT_NEW:       self->result->n_new++;       break;
        case KL_UPSERT_UPDATED:   self->result->n_updated++;   break;
        case KL_UPSERT_UNCHANGED: self->result->n_unchanged++; break;
        default: g_assert_not_reached ();
        }
      if (!tick (self, CHECK_SHARE, 1.0 - CHECK_SHARE, error))
        return FALSE;
    }
  if (local_error != NULL)
    {
      set_reader_error (self, local_error, error);
      return FALSE;
    }
  return TRUE;
}

static void
count_upsert (KlImport       *self,
              KlUpsertResult  upsert)
{
  switch (upsert)
    {
    case KL_UPSERT_NEW:       self->result->n_new++;       break;
    case KL_UPSERT_UPDATED:   self->result->n_updated++;   break;
    case KL_UPSERT_UNCHANGED: self->result->n_unchanged++; break;
    default: g_assert_not_reached ();
    }
}

/* Checks the record at hand (self->record) into *s (shipments) or a
 * customer, counting it; self->row_bad tells a bad one. */
static gboolean
check_record (KlImport    *self,
              KlShipment  *s,
              GError     **error)
{
  self->row_bad = FALSE;
  check_extra_fields (self);
  if (self->kind == KL_IMPORT_SHIPMENTS)
    {
      if (!check_shipment (self, s, error))
        return FALSE;
    }
  else
    check_customer (self);
  self->result->n_rows++;
  if (self->row_bad)
    self->result->n_bad++;
  return TRUE;
}

/* Shipments in one pass: each row is read and checked once and, when good,
 * written at once (or, dry, classified) through self->bulk, inside the
 * transaction the caller began. Once a bad row is met without skip_bad,
 * rows are only checked, and *out_write is FALSE: the caller rolls back
 * what was written, and the counts of written rows are cleared. */
static gboolean
import_shipments_once (KlImport  *self,
                       gboolean   skip_bad,
                       gboolean  *out_write,
                       GError   **error)
{
  const KlCsvRecord *record;
  g_autoptr(GError) local_error = NULL;
  gboolean writing = TRUE;

  self->report = TRUE;
  while (kl_csv_reader_read (self->reader, &record, &local_error))
    {
      KlShipment s;
      KlUpsertResult upsert;

      if (kl_csv_record_is_blank (record))
        continue;

      self->record = record;
      if (self->profile != NULL)
        apply_profile (self);
      if (!check_record (self, &s, error))
        return FALSE;
      if (self->row_bad)
        {
          if (!skip_bad)
            writing = FALSE;
        }
      else if (writing)
        {
          if (!kl_shipment_bulk_add (self->bulk, &s, &upsert, error))
            return FALSE;
          count_upsert (self, upsert);
        }
      if (!tick (self, 0.0, 1.0, error))
        return FALSE;
    }
  if (local_error != NULL)
    {
      set_reader_error (self, local_error, error);
      return FALSE;
    }
  if (!writing)
    {
      self->result->n_new = 0;
      self->result->n_updated = 0;
      self->result->n_unchanged = 0;
    }
  *out_write = writing;
  return TRUE;
}

/* Around a shipment import's own write transaction (kl_import_run ()):
 * no foreign-key look-ups, statement journals in memory; then back. */
#define BULK_PRAGMAS        "PRAGMA foreign_keys = OFF; PRAGMA temp_store = MEMORY;"
#define BULK_PRAGMAS_UNDONE "PRAGMA foreign_keys = ON; PRAGMA temp_store = DEFAULT;"

/* Shipments in two threads (import_shipments_piped ()): a reader thread
 * reads and checks the rows, as import_shipments_once () does, and hands
 * the good ones over in batches, their texts copied; this thread writes
 * them. The reader thread never touches the workspace: the customers'
 * codes are read before it starts. A fixed number of batches goes round,
 * so memory stays bounded whatever the file's size. The rollup sums are
 * added up on a third thread (kl_shipment_bulk_sum_aside ()), which reads
 * a batch's rows after this one wrote them: a batch goes round again once
 * the next is written and the sums are past it. */

#define PIPE_BATCH_ROWS 512
#define PIPE_BATCHES    4

typedef struct {
  KlShipment  rows[PIPE_BATCH_ROWS];
  double      row_fraction[PIPE_BATCH_ROWS];  /* of the file read after each row */
  guint       n_rows;
  GString    *text;        /* the rows' texts; offsets until handed over */
  double      fraction;    /* of the file read when handed over */
  gboolean    end;         /* the last batch */
} PipeBatch;

typedef struct {
  KlImport    *self;
  GAsyncQueue *full;       /* PipeBatch, in file order */
  GAsyncQueue *empty;      /* PipeBatch to fill */
  gboolean     skip_bad;
  gboolean     writing;    /* the reader's: no bad row stopped the writing */
  gint         stop;       /* the writer failed or was cancelled: stop reading */
  GError      *error;      /* the reader's */
} Pipe;

/* text into batch's buffer, as an offset + 1 (NULL stays NULL). */
static char *
pipe_put_text (PipeBatch  *batch,
               const char *text)
{
  gsize at;

  gsize size;

  if (text == NULL)
    return NULL;
  at = batch->text->len;
  size = strlen (text) + 1;
  /* g_string_set_size () grows the buffer (and writes a NUL we overwrite):
   * cheaper than g_string_append_len ()'s general insertion. */
  g_string_set_size (batch->text, at + size);
  memcpy (batch->text->str + at, text, size);
  return GSIZE_TO_POINTER (at + 1);
}

static inline void
pipe_fix_text (PipeBatch  *batch,
               char      **slot)
{
  if (*slot != NULL)
    *slot = batch->text->str + (GPOINTER_TO_SIZE (*slot) - 1);
}

static void
pipe_hand_over (Pipe      *pipe,
                PipeBatch *batch,
                gboolean   end)
{
  for (guint i = 0; i < batch->n_rows; i++)
    {
      KlShipment *s = &batch->rows[i];

      pipe_fix_text (batch, &s->waybill);
      pipe_fix_text (batch, &s->origin_city);
      pipe_fix_text (batch, &s->origin_region);
      pipe_fix_text (batch, &s->dest_city);
      pipe_fix_text (batch, &s->dest_region);
      pipe_fix_text (batch, &s->currency);
    }
  batch->fraction = kl_csv_reader_get_fraction (pipe->self->reader);
  batch->end = end;
  g_async_queue_push (pipe->full, batch);
}

static PipeBatch *
pipe_take_empty (Pipe *pipe)
{
  PipeBatch *batch = g_async_queue_pop (pipe->empty);

  batch->n_rows = 0;
  g_string_truncate (batch->text, 0);
  return batch;
}

static gpointer
pipe_read (gpointer data)
{
  Pipe *pipe = data;
  KlImport *self = pipe->self;
  const KlCsvRecord *record;
  g_autoptr(GError) local_error = NULL;
  PipeBatch *batch = pipe_take_empty (pipe);
  guint since = 0;

  while (!g_atomic_int_get (&pipe->stop) && kl_csv_reader_read (self->reader, &record, &local_error))
    {
      KlShipment s;

      if (kl_csv_record_is_blank (record))
        continue;

      self->record = record;
      if (self->profile != NULL)
        apply_profile (self);
      if (!check_record (self, &s, &pipe->error))
        break;
      if (self->row_bad)
        {
          if (!pipe->skip_bad)
            pipe->writing = FALSE;
        }
      else if (pipe->writing)
        {
          KlShipment *copy = &batch->rows[batch->n_rows++];

          *copy = s;
          copy->id = NULL;
          copy->waybill = pipe_put_text (batch, s.waybill);
          copy->origin_city = pipe_put_text (batch, s.origin_city);
          copy->origin_region = pipe_put_text (batch, s.origin_region);
          copy->dest_city = pipe_put_text (batch, s.dest_city);
          copy->dest_region = pipe_put_text (batch, s.dest_region);
          copy->currency = pipe_put_text (batch, s.currency);
          if (self->progress != NULL)
            batch->row_fraction[batch->n_rows - 1] = kl_csv_reader_get_fraction (self->reader);
        }
      /* Also every so many rows without any to write: the writer reports
       * progress and notices a cancellation. */
      if (batch->n_rows == PIPE_BATCH_ROWS || ++since == PIPE_BATCH_ROWS)
        {
          pipe_hand_over (pipe, batch, FALSE);
          batch = pipe_take_empty (pipe);
          since = 0;
        }
    }
  if (local_error != NULL && pipe->error == NULL)
    set_reader_error (self, local_error, &pipe->error);
  pipe_hand_over (pipe, batch, TRUE);
  return NULL;
}

/* The codes of every customer, so that the reader thread finds them
 * without the workspace. */
static gboolean
load_customer_codes (KlImport  *self,
                     GError   **error)
{
  sqlite3_stmt *stmt = kl_database_prepare (self->db, "SELECT code, id FROM customers WHERE deleted = 0", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_hash_table_insert (self->customer_ids, kl_column_dup_text (stmt, 0), kl_column_dup_text (stmt, 1));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return kl_database_set_error (self->db, error, _("Reading a customer"));
  self->customer_ids_complete = TRUE;
  return TRUE;
}

/* import_shipments_once () in two threads: the same rows checked, the same
 * counts and errors, the same rows written in the same order. */
static gboolean
import_shipments_piped (KlImport  *self,
                        gboolean   skip_bad,
                        gboolean  *out_write,
                        GError   **error)
{
  Pipe pipe = { 0 };
  PipeBatch batches[PIPE_BATCHES];
  PipeBatch *held = NULL;   /* written, its sums maybe not yet done */
  guint64 held_mark = 0;
  GThread *thread;
  g_autoptr(GError) write_error = NULL;
  gboolean ok = TRUE;

  if (!load_customer_codes (self, error))
    return FALSE;
  pipe.self = self;
  pipe.full = g_async_queue_new ();
  pipe.empty = g_async_queue_new ();
  pipe.skip_bad = skip_bad;
  pipe.writing = TRUE;
  for (guint i = 0; i < PIPE_BATCHES; i++)
    {
      batches[i].text = g_string_sized_new (PIPE_BATCH_ROWS * 96);
      g_async_queue_push (pipe.empty, &batches[i]);
    }
  self->report = TRUE;
  kl_shipment_bulk_sum_aside (self->bulk);

  thread = g_thread_new ("kl-import-read", pipe_read, &pipe);
  for (;;)
    {
      PipeBatch *batch = g_async_queue_pop (pipe.full);
      gboolean end = batch->end;

      for (guint i = 0; ok && i < batch->n_rows; i++)
        {
          KlUpsertResult upsert;

          ok = kl_shipment_bulk_add (self->bulk, &batch->rows[i], &upsert, &write_error) &&
               tick_at (self, self->progress != NULL ? batch->row_fraction[i] : 0.0, &write_error);
          if (ok)
            count_upsert (self, upsert);
        }
      if (ok)
        ok = tick_at (self, batch->fraction, &write_error);
      if (!ok)
        g_atomic_int_set (&pipe.stop, TRUE);
      if (held != NULL)
        {
          kl_shipment_bulk_sums_wait (self->bulk, held_mark);
          g_async_queue_push (pipe.empty, held);
        }
      held = batch;
      held_mark = kl_shipment_bulk_sums_mark (self->bulk);
      if (end)
        break;
    }
  g_thread_join (thread);
  /* No sums read the batches' rows any more. */
  kl_shipment_bulk_sums_wait (self->bulk, kl_shipment_bulk_sums_mark (self->bulk));
  for (guint i = 0; i < PIPE_BATCHES; i++)
    g_string_free (batches[i].text, TRUE);
  g_async_queue_unref (pipe.full);
  g_async_queue_unref (pipe.empty);

  if (write_error != NULL)
    {
      g_clear_error (&pipe.error);
      g_propagate_error (error, g_steal_pointer (&write_error));
      return FALSE;
    }
  if (pipe.error != NULL)
    {
      g_propagate_error (error, pipe.error);
      return FALSE;
    }
  if (!pipe.writing)
    {
      self->result->n_new = 0;
      self->result->n_updated = 0;
      self->result->n_unchanged = 0;
    }
  *out_write = pipe.writing;
  return TRUE;
}

static KlImportResult *
import_result_new (void)
{
  KlImportResult *result = g_new0 (KlImportResult, 1);

  result->errors = g_ptr_array_new_with_free_func (g_free);
  result->unknown_columns = g_ptr_array_new_with_free_func (g_free);
  result->mapping = g_ptr_array_new_with_free_func (g_free);
  return result;
}

/* Everything but the workspace, the stream and progress. */
static void
import_init (KlImport       *self,
             KlImportKind    kind,
             const char     *display_name,
             KlImportFlags   flags,
             GTimeZone      *tz,
             const char     *currency,
             KlImportResult *result,
             GCancellable   *cancellable)
{
  self->kind = kind;
  self->display_name = kl_csv_escape (display_name, 0);
  self->raw_name = g_strdup (display_name);
  self->flags = flags;
  self->tz = tz != NULL ? g_time_zone_ref (tz) : g_time_zone_new_utc ();
  self->zone = kl_csv_zone_new (self->tz);
  self->currency = g_strdup (currency != NULL ? currency : "CNY");
  self->columns = kind == KL_IMPORT_SHIPMENTS ? shipment_columns : customer_columns;
  self->n_columns = kind == KL_IMPORT_SHIPMENTS ? N_SHIP_FIELDS : N_CUST_FIELDS;
  self->result = result;
  self->customer_ids = g_hash_table_new_full (key_hash, g_str_equal, g_free, g_free);
  self->key_text = g_string_chunk_new (64 * 1024);
  self->first_line_of_key = g_hash_table_new (key_hash, g_str_equal);
  self->key_scratch = g_string_new (NULL);
  self->bad_records = g_array_new (FALSE, FALSE, sizeof (guint));
  self->cancellable = cancellable;
}

/* Opens the CSV reader on stream and reads the header. */
static gboolean
import_open (KlImport      *self,
             GInputStream  *stream,
             GError       **error)
{
  g_autoptr(GError) csv_error = NULL;
  KlCsvEncoding encoding = KL_CSV_ENCODING_AUTO;

  if (self->flags & KL_IMPORT_FLAGS_UTF8)
    encoding = KL_CSV_ENCODING_UTF8;
  else if (self->flags & KL_IMPORT_FLAGS_GB18030)
    encoding = KL_CSV_ENCODING_GB18030;

  self->reader = kl_csv_reader_new_for_stream (stream, encoding, self->raw_name, self->cancellable, &csv_error);
  if (self->reader == NULL)
    {
      set_reader_error (self, csv_error, error);
      return FALSE;
    }
  self->result->encoding = g_strdup (kl_csv_reader_get_encoding (self->reader));
  self->result->delimiter = kl_csv_reader_get_delimiter (self->reader);
  return read_header (self, error);
}

static KlImportResult *
import_stream (KlDatabase            *db,
               KlImportKind           kind,
               const char            *display_name,
               GInputStream          *stream,
               const KlImportProfile *profile,
               KlImportFlags          flags,
               KlImportProgressFunc   progress,
               gpointer               progress_data,
               GCancellable          *cancellable,
               GError               **error)
{
  g_autoptr(KlImportResult) result = NULL;
  g_autofree char *currency = NULL;
  KlImport self = { 0 };
  GTimeZone *tz;
  gboolean dry_run = (flags & KL_IMPORT_FLAGS_DRY_RUN) != 0;
  gboolean skip_bad = (flags & KL_IMPORT_FLAGS_SKIP_BAD) != 0;
  gboolean ok = FALSE;

  result = import_result_new ();
  tz = kl_database_get_timezone (db);
  currency = kl_database_get_currency (db);
  import_init (&self, kind, display_name, flags, tz, currency, result, cancellable);
  self.db = db;
  self.progress = progress;
  self.progress_data = progress_data;
  if (profile != NULL && !setup_profile (&self, profile, error))
    goto out;
  if (!import_open (&self, stream, error))
    goto out;

  if (kind == KL_IMPORT_SHIPMENTS && !kl_database_in_transaction (db))
    {
      /* One pass in a transaction of our own: a dry run or a file with a
       * bad row (without --skip-bad) is rolled back. */
      gboolean write = FALSE;
      gboolean committed;

      /* The bulk writer finds every row's customer itself (a row naming
       * none is bad and never written), and nothing else writes in this
       * transaction: SQLite's foreign-key look-up and the statement
       * journal it needs per INSERT would only repeat that. Statement
       * journals in memory (temp_store): when kl_shipment_bulk_finish ()
       * wrote its rollup rows many to a statement, each kept the pages it
       * changed and past SQLite's 64 KiB they went to a temporary file,
       * 1.4 GB for 1 000 000 new rows into the 10 M bench workspace; one
       * row a statement keeps none, and an update's trigger keeps little,
       * in memory. Both pragmas take effect outside a transaction only,
       * hence here. */
      if (!dry_run && !kl_database_exec (db, BULK_PRAGMAS, error))
        goto out;
      if (!_kl_database_begin_mode (db, !dry_run, error))
        {
          if (!dry_run)
            kl_database_exec (db, BULK_PRAGMAS_UNDONE, NULL);
          goto out;
        }
      self.bulk = kl_shipment_bulk_new (db, dry_run, error);
      if (self.bulk == NULL ||
          !(self.update_only ? import_shipments_once (&self, skip_bad || dry_run, &write, error)
                             : import_shipments_piped (&self, skip_bad || dry_run, &write, error)) ||
          (write && !dry_run && !kl_shipment_bulk_finish (self.bulk, error)))
        {
          kl_database_rollback (db);
          if (!dry_run)
            kl_database_exec (db, BULK_PRAGMAS_UNDONE, NULL);
          goto out;
        }
      if (dry_run || !write)
        {
          kl_database_rollback (db);
          committed = TRUE;
        }
      else
        committed = kl_database_commit (db, error);
      if (!dry_run && !kl_database_exec (db, BULK_PRAGMAS_UNDONE, committed ? error : NULL))
        committed = FALSE;
      if (!committed)
        goto out;
      if (!dry_run && write)
        result->written = result->n_new + result->n_updated + result->n_unchanged > 0;
      if (progress != NULL && self.reported < 1.0)
        progress (1.0, progress_data);
      ok = TRUE;
      goto out;
    }

  if (!check_rows (&self, error))
    goto out;

  /* The keys are only needed while checking. */
  g_clear_pointer (&self.first_line_of_key, g_hash_table_unref);
  g_clear_pointer (&self.key_text, g_string_chunk_free);

  if (dry_run)
    {
      /* One read transaction, so SQLite takes its lock once rather than
       * per look-up. A caller's transaction is left alone: rolling back
       * inside it would undo the caller's work. */
      gboolean own = !kl_database_in_transaction (db);
      gboolean classified;

      if (own && !_kl_database_begin_mode (db, FALSE, error))
        goto out;
      if (kind == KL_IMPORT_SHIPMENTS)
        self.bulk = kl_shipment_bulk_new (db, TRUE, error);
      classified = (kind != KL_IMPORT_SHIPMENTS || self.bulk != NULL) && write_rows (&self, TRUE, error);
      if (own)
        kl_database_rollback (db);
      if (!classified)
        goto out;
    }
  else if (result->n_bad == 0 || skip_bad)
    {
      if (!kl_database_begin (db, error))
        goto out;
      if (kind == KL_IMPORT_SHIPMENTS)
        self.bulk = kl_shipment_bulk_new (db, FALSE, error);
      if ((kind == KL_IMPORT_SHIPMENTS && self.bulk == NULL) ||
          !write_rows (&self, FALSE, error) ||
          (self.bulk != NULL && !kl_shipment_bulk_finish (self.bulk, error)))
        {
          kl_database_rollback (db);
          goto out;
        }
      if (!kl_database_commit (db, error))
        goto out;
      result->written = result->n_new + result->n_updated + result->n_unchanged > 0;
    }

  if (progress != NULL && self.reported < 1.0)
    progress (1.0, progress_data);
  ok = TRUE;

out:
  kl_import_clear (&self);
  return ok ? g_steal_pointer (&result) : NULL;
}

#define IMPORT_FLAGS_VALID(flags) \
  (((flags) & (KL_IMPORT_FLAGS_UTF8 | KL_IMPORT_FLAGS_GB18030)) != \
   (KL_IMPORT_FLAGS_UTF8 | KL_IMPORT_FLAGS_GB18030))

KlImportResult *
kl_import_run (KlDatabase            *db,
               KlImportKind           kind,
               const char            *display_name,
               GBytes                *contents,
               KlImportFlags          flags,
               KlImportProgressFunc   progress,
               gpointer               progress_data,
               GCancellable          *cancellable,
               GError               **error)
{
  g_autoptr(GInputStream) stream = NULL;

  g_return_val_if_fail (KL_IS_DATABASE (db), NULL);
  g_return_val_if_fail (kind == KL_IMPORT_SHIPMENTS || kind == KL_IMPORT_CUSTOMERS, NULL);
  g_return_val_if_fail (display_name != NULL, NULL);
  g_return_val_if_fail (contents != NULL, NULL);
  g_return_val_if_fail (IMPORT_FLAGS_VALID (flags), NULL);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  stream = g_memory_input_stream_new_from_bytes (contents);
  return import_stream (db, kind, display_name, stream, NULL, flags, progress, progress_data, cancellable, error);
}

KlImportResult *
kl_import_run_stream (KlDatabase            *db,
                      KlImportKind           kind,
                      const char            *display_name,
                      GInputStream          *stream,
                      KlImportFlags          flags,
                      KlImportProgressFunc   progress,
                      gpointer               progress_data,
                      GCancellable          *cancellable,
                      GError               **error)
{
  g_return_val_if_fail (KL_IS_DATABASE (db), NULL);
  g_return_val_if_fail (kind == KL_IMPORT_SHIPMENTS || kind == KL_IMPORT_CUSTOMERS, NULL);
  g_return_val_if_fail (display_name != NULL, NULL);
  g_return_val_if_fail (G_IS_INPUT_STREAM (stream), NULL);
  g_return_val_if_fail (IMPORT_FLAGS_VALID (flags), NULL);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return kl_import_run_stream_with_profile (db, kind, display_name, stream, NULL, flags, progress, progress_data,
                                            cancellable, error);
}

KlImportResult *
kl_import_run_stream_with_profile (KlDatabase             *db,
                                   KlImportKind            kind,
                                   const char             *display_name,
                                   GInputStream           *stream,
                                   const KlImportProfile  *profile,
                                   KlImportFlags           flags,
                                   KlImportProgressFunc    progress,
                                   gpointer                progress_data,
                                   GCancellable           *cancellable,
                                   GError                **error)
{
  g_return_val_if_fail (KL_IS_DATABASE (db), NULL);
  g_return_val_if_fail (kind == KL_IMPORT_SHIPMENTS || kind == KL_IMPORT_CUSTOMERS, NULL);
  g_return_val_if_fail (display_name != NULL, NULL);
  g_return_val_if_fail (G_IS_INPUT_STREAM (stream), NULL);
  g_return_val_if_fail (IMPORT_FLAGS_VALID (flags), NULL);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return import_stream (db, kind, display_name, stream, profile, flags, progress, progress_data, cancellable, error);
}

static gboolean
check_file_type (GFileType    type,
                 const char  *display_name,
                 GError     **error)
{
  g_autofree char *shown = NULL;

  if (type == G_FILE_TYPE_REGULAR)
    return TRUE;
  shown = kl_csv_escape (display_name, 0);
  if (type == G_FILE_TYPE_DIRECTORY)
    g_set_error (error, KL_IMPORT_ERROR, KL_IMPORT_ERROR_NOT_A_FILE,
                 _("%s is a folder, not a file; give the path of a CSV file"), shown);
  else if (type == G_FILE_TYPE_SPECIAL)
    g_set_error (error, KL_IMPORT_ERROR, KL_IMPORT_ERROR_NOT_A_FILE,
                 _("%s is a device, a pipe or a socket, not a file; save the data to a CSV file and import that"),
                 shown);
  else
    g_set_error (error, KL_IMPORT_ERROR, KL_IMPORT_ERROR_NOT_A_FILE,
                 _("%s is not a regular file; give the path of a CSV file"), shown);
  return FALSE;
}

gboolean
kl_import_check_file (GFile       *file,
                      const char  *display_name,
                      GError     **error)
{
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *path = NULL;

  g_return_val_if_fail (G_IS_FILE (file), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  path = display_name ? g_strdup (display_name) : g_file_get_parse_name (file);
  info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_TYPE, G_FILE_QUERY_INFO_NONE, NULL, &local_error);
  if (info == NULL)
    {
      g_autofree char *shown = kl_csv_escape (path, 0);

      /* Translators: a file name, then why it cannot be read */
      g_set_error (error, local_error->domain, local_error->code, _("%s cannot be read: %s"),
                   shown, local_error->message);
      return FALSE;
    }
  return check_file_type (g_file_info_get_file_type (info), path, error);
}

KlImportResult *
kl_import_run_file (KlDatabase            *db,
                    KlImportKind           kind,
                    GFile                 *file,
                    const char            *display_name,
                    KlImportFlags          flags,
                    KlImportProgressFunc   progress,
                    gpointer               progress_data,
                    GCancellable          *cancellable,
                    GError               **error)
{
  return kl_import_run_file_with_profile (db, kind, file, display_name, NULL, flags, progress, progress_data,
                                          cancellable, error);
}

KlImportResult *
kl_import_run_file_with_profile (KlDatabase             *db,
                                 KlImportKind            kind,
                                 GFile                  *file,
                                 const char             *display_name,
                                 const KlImportProfile  *profile,
                                 KlImportFlags           flags,
                                 KlImportProgressFunc    progress,
                                 gpointer                progress_data,
                                 GCancellable           *cancellable,
                                 GError                **error)
{
  g_autoptr(GFileInputStream) stream = NULL;
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *path = NULL;

  g_return_val_if_fail (KL_IS_DATABASE (db), NULL);
  g_return_val_if_fail (kind == KL_IMPORT_SHIPMENTS || kind == KL_IMPORT_CUSTOMERS, NULL);
  g_return_val_if_fail (G_IS_FILE (file), NULL);
  g_return_val_if_fail (IMPORT_FLAGS_VALID (flags), NULL);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  path = display_name ? g_strdup (display_name) : g_file_get_parse_name (file);
  /* Before opening: opening a FIFO would wait for a writer. */
  if (!kl_import_check_file (file, path, error))
    return NULL;
  stream = g_file_read (file, cancellable, &local_error);
  if (stream != NULL)
    info = g_file_input_stream_query_info (stream, G_FILE_ATTRIBUTE_STANDARD_TYPE, cancellable, &local_error);
  if (info == NULL)
    {
      g_autofree char *shown = kl_csv_escape (path, 0);

      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_set_error (error, KL_IMPORT_ERROR, KL_IMPORT_ERROR_CANCELLED,
                     _("%s: the import was cancelled; nothing was written"), shown);
      else
        g_set_error (error, local_error->domain, local_error->code, _("%s cannot be read: %s"),
                     shown, local_error->message);
      return NULL;
    }
  /* Again on what was opened, in case the name now leads elsewhere. */
  if (g_file_info_has_attribute (info, G_FILE_ATTRIBUTE_STANDARD_TYPE) &&
      !check_file_type (g_file_info_get_file_type (info), path, error))
    return NULL;

  return import_stream (db, kind, path, G_INPUT_STREAM (stream), profile, flags, progress, progress_data,
                        cancellable, error);
}

void
kl_import_result_free (KlImportResult *result)
{
  if (result == NULL)
    return;
  g_clear_pointer (&result->errors, g_ptr_array_unref);
  g_clear_pointer (&result->unknown_columns, g_ptr_array_unref);
  g_clear_pointer (&result->mapping, g_ptr_array_unref);
  g_free (result->encoding);
  g_free (result);
}

char *
kl_import_result_summary (const KlImportResult *result)
{
  g_return_val_if_fail (result != NULL, NULL);

  /* Not translated: scripts read this line. */
  return g_strdup_printf ("new %u, updated %u, unchanged %u, bad %u",
                          result->n_new, result->n_updated, result->n_unchanged, result->n_bad);
}

/* The reader (kl-import-reader.h): a KlImport without a workspace. */

struct _KlImportReader {
  KlImport    import;
  KlShipment  shipment;   /* strings borrowed from the row */
  KlCustomer *customer;
};

KlImportReader *
kl_import_reader_new (KlImportKind                  kind,
                      const char                   *display_name,
                      GInputStream                 *stream,
                      KlImportFlags                 flags,
                      const KlImportReaderOptions  *options,
                      GCancellable                 *cancellable,
                      GError                      **error)
{
  g_autoptr(KlImportReader) self = NULL;

  g_return_val_if_fail (kind == KL_IMPORT_SHIPMENTS || kind == KL_IMPORT_CUSTOMERS, NULL);
  g_return_val_if_fail (display_name != NULL, NULL);
  g_return_val_if_fail (G_IS_INPUT_STREAM (stream), NULL);
  g_return_val_if_fail (IMPORT_FLAGS_VALID (flags), NULL);

  self = g_new0 (KlImportReader, 1);
  import_init (&self->import, kind, display_name, flags,
               options != NULL ? options->tz : NULL, options != NULL ? options->currency : NULL,
               import_result_new (), cancellable);
  if (options != NULL)
    {
      self->import.lookup = options->lookup;
      self->import.lookup_data = options->lookup_data;
    }
  if (options != NULL && options->profile != NULL &&
      !setup_profile (&self->import, options->profile, error))
    return NULL;
  if (!import_open (&self->import, stream, error))
    return NULL;
  self->import.report = TRUE;
  return g_steal_pointer (&self);
}

gboolean
kl_import_reader_next (KlImportReader  *self,
                       KlImportRow     *out_row,
                       gconstpointer   *out_record,
                       GError         **error)
{
  KlImport *import;
  const KlCsvRecord *record;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (out_row != NULL, FALSE);

  import = &self->import;
  if (out_record != NULL)
    *out_record = NULL;
  g_clear_pointer (&self->customer, kl_customer_free);
  while (kl_csv_reader_read (import->reader, &record, &local_error))
    {
      if (kl_csv_record_is_blank (record))
        continue;
      if (g_cancellable_is_cancelled (import->cancellable))
        {
          g_set_error (error, KL_IMPORT_ERROR, KL_IMPORT_ERROR_CANCELLED,
                       _("%s: the import was cancelled; nothing was written"), import->display_name);
          return FALSE;
        }
      import->record = record;
      if (import->profile != NULL)
        apply_profile (import);
      if (!check_record (import, &self->shipment, error))
        return FALSE;
      *out_row = import->row_bad ? KL_IMPORT_ROW_BAD : KL_IMPORT_ROW_GOOD;
      if (import->kind == KL_IMPORT_CUSTOMERS && !import->row_bad)
        {
          self->customer = kl_customer_new ();
          import->report = FALSE;
          read_customer (import, self->customer);
          import->report = TRUE;
        }
      if (out_record != NULL && !import->row_bad)
        *out_record = import->kind == KL_IMPORT_SHIPMENTS ? (gconstpointer) &self->shipment
                                                          : (gconstpointer) self->customer;
      return TRUE;
    }
  import->record = NULL;
  if (local_error != NULL)
    {
      set_reader_error (import, local_error, error);
      return FALSE;
    }
  *out_row = KL_IMPORT_ROW_END;
  return TRUE;
}

guint
kl_import_reader_get_line (KlImportReader *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->import.record != NULL ? self->import.record->line : 0;
}

void
kl_import_reader_apply_customer (KlImportReader *self,
                                 KlCustomer     *customer)
{
  g_return_if_fail (self != NULL && customer != NULL);
  g_return_if_fail (self->import.kind == KL_IMPORT_CUSTOMERS && self->import.record != NULL);

  self->import.report = FALSE;
  read_customer (&self->import, customer);
  self->import.report = TRUE;
}

KlImportResult *
kl_import_reader_get_result (KlImportReader *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->import.result;
}

double
kl_import_reader_get_fraction (KlImportReader *self)
{
  g_return_val_if_fail (self != NULL, 0.0);
  return kl_csv_reader_get_fraction (self->import.reader);
}

void
kl_import_reader_free (KlImportReader *self)
{
  KlImportResult *result;

  if (self == NULL)
    return;
  result = self->import.result;
  g_clear_pointer (&self->customer, kl_customer_free);
  kl_import_clear (&self->import);
  kl_import_result_free (result);
  g_free (self);
}
