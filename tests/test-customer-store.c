/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Customers, contacts, agreements and activities in the workspace. */

#include <math.h>
#include <string.h>

#include "kl-customer-store.h"
#include "kl-contact-store.h"
#include "kl-agreement-store.h"
#include "kl-agreement-store-private.h"
#include "kl-activity-store.h"
#include "kl-rollup-series.h"
#include "kl-database.h"
#include "kl-shipment-store.h"
#include "kl-report-note-store.h"
#include "kl-test-util.h"

typedef struct {
  char       *dir;
  KlDatabase *db;
} Fixture;

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  g_autofree char *path = NULL;

  f->dir = kl_test_make_tmp_dir ("keyline-test-XXXXXX");
  path = g_build_filename (f->dir, "workspace.db", NULL);
  f->db = kl_test_create_workspace (path);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  g_clear_object (&f->db);
  g_assert_true (kl_test_remove_tree (f->dir));
  g_free (f->dir);
}

static char *
add_customer (Fixture *f, const char *code, const char *name, KlCustomerStatus status, const char *region)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KlCustomer) c = kl_customer_new ();
  KlUpsertResult result;

  c->code = g_strdup (code);
  c->name = g_strdup (name);
  c->status = status;
  c->region = g_strdup (region);
  g_assert_true (kl_customer_store_save (f->db, c, KL_ORIGIN_LOCAL, &result, &error));
  g_assert_no_error (error);
  g_assert_cmpint (result, ==, KL_UPSERT_NEW);
  return g_strdup (c->id);
}

static void
test_save_and_get (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = add_customer (f, "ACME", "ACME Industrial", KL_CUSTOMER_STATUS_ACTIVE, "华东");
  g_autoptr(KlCustomer) c = kl_customer_store_get_by_code (f->db, "ACME", &error);
  g_autoptr(KlCustomer) other = kl_customer_new ();
  KlUpsertResult result;
  gint64 outbox_before;

  g_assert_no_error (error);
  g_assert_cmpstr (c->id, ==, id);
  g_assert_cmpstr (c->region, ==, "华东");
  g_assert_cmpstr (c->report_language, ==, "zh_CN");

  /* Saving the same content is "unchanged" and queues nothing for sync. */
  outbox_before = kl_database_outbox_count (f->db);
  g_assert_true (kl_customer_store_save (f->db, c, KL_ORIGIN_LOCAL, &result, &error));
  g_assert_cmpint (result, ==, KL_UPSERT_UNCHANGED);
  g_assert_cmpint (kl_database_outbox_count (f->db), ==, outbox_before);

  /* A change is an update and goes to the outbox. */
  g_free (c->name);
  c->name = g_strdup ("ACME 工业");
  g_strfreev (c->tags);
  c->tags = g_strsplit ("电子;重点", ";", -1);
  g_assert_true (kl_customer_store_save (f->db, c, KL_ORIGIN_LOCAL, &result, &error));
  g_assert_cmpint (result, ==, KL_UPSERT_UPDATED);
  g_assert_cmpint (kl_database_outbox_count (f->db), ==, outbox_before + 1);
  g_clear_pointer (&c, kl_customer_free);
  c = kl_customer_store_get (f->db, id, &error);
  g_assert_cmpstr (c->name, ==, "ACME 工业");
  g_assert_cmpuint (g_strv_length (c->tags), ==, 2);
  g_assert_cmpstr (c->tags[1], ==, "重点");

  /* Another customer may not take the code. */
  other->code = g_strdup ("OTHER");
  other->name = g_strdup ("Other");
  g_assert_true (kl_customer_store_save (f->db, other, KL_ORIGIN_LOCAL, NULL, &error));
  g_free (other->code);
  other->code = g_strdup ("ACME");
  g_assert_false (kl_customer_store_save (f->db, other, KL_ORIGIN_LOCAL, NULL, &error));
  g_assert_error (error, KL_DATABASE_ERROR, KL_DATABASE_ERROR_CONSTRAINT);
  g_clear_error (&error);

  /* Validation. */
  g_free (other->code);
  other->code = g_strdup ("  ");
  g_assert_false (kl_customer_store_save (f->db, other, KL_ORIGIN_LOCAL, NULL, &error));
  g_assert_error (error, KL_DATABASE_ERROR, KL_DATABASE_ERROR_INVALID);
  g_clear_error (&error);
  g_free (other->code);
  other->code = g_strdup ("X1");
  g_free (other->lost_date);
  other->lost_date = g_strdup ("2026-02-30");
  g_assert_false (kl_customer_store_save (f->db, other, KL_ORIGIN_LOCAL, NULL, &error));
  g_assert_error (error, KL_DATABASE_ERROR, KL_DATABASE_ERROR_INVALID);
}

static void
test_delete_restore (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = add_customer (f, "DEL", "To delete", KL_CUSTOMER_STATUS_ACTIVE, NULL);

  g_assert_cmpint (kl_customer_store_count (f->db, NULL, &error), ==, 1);
  g_assert_true (kl_customer_store_delete (f->db, id, &error));
  g_assert_cmpint (kl_customer_store_count (f->db, NULL, &error), ==, 0);
  g_assert_null (kl_customer_store_lookup_code (f->db, "DEL", &error));
  g_assert_true (kl_customer_store_restore (f->db, id, &error));
  g_assert_cmpint (kl_customer_store_count (f->db, NULL, &error), ==, 1);
}

static guint
count_search (Fixture *f, const char *text)
{
  g_autoptr(GError) error = NULL;
  KlCustomerFilter filter = KL_CUSTOMER_FILTER_INIT;
  g_autoptr(GPtrArray) list = NULL;
  gint64 n;

  filter.search = text;
  list = kl_customer_store_list (f->db, &filter, 0, -1, &error);
  g_assert_no_error (error);
  n = kl_customer_store_count (f->db, &filter, &error);
  g_assert_no_error (error);
  g_assert_cmpint (n, ==, list->len);
  return list->len;
}

static void
test_search_and_filters (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *a = add_customer (f, "C001", "上海华联电子有限公司", KL_CUSTOMER_STATUS_ACTIVE, "华东");
  g_autofree char *b = add_customer (f, "C002", "广州美达快消品有限公司", KL_CUSTOMER_STATUS_AT_RISK, "华南");
  g_autofree char *c = add_customer (f, "C003", "ACME Industrial Supplies", KL_CUSTOMER_STATUS_ACTIVE, "华东");
  g_autoptr(KlContact) contact = kl_contact_new ();
  KlCustomerFilter filter = KL_CUSTOMER_FILTER_INIT;
  g_auto(GStrv) regions = NULL;

  g_assert_cmpuint (count_search (f, "华联电子"), ==, 1);   /* Chinese, trigram */
  g_assert_cmpuint (count_search (f, "华联"), ==, 1);       /* two characters */
  g_assert_cmpuint (count_search (f, "华"), ==, 1);         /* one character */
  g_assert_cmpuint (count_search (f, "有限公司"), ==, 2);
  g_assert_cmpuint (count_search (f, "acme"), ==, 1);       /* case-insensitive */
  g_assert_cmpuint (count_search (f, "c00"), ==, 3);        /* codes */
  g_assert_cmpuint (count_search (f, "\"quoted%_"), ==, 0); /* odd input is just text */
  g_assert_cmpuint (count_search (f, "  "), ==, 3);

  /* Contacts are searchable through their customer. */
  contact->customer_id = g_strdup (b);
  contact->name = g_strdup ("王晓明");
  contact->email = g_strdup ("wang@meida.example.com");
  g_assert_true (kl_contact_store_save (f->db, contact, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count_search (f, "王晓明"), ==, 1);
  g_assert_cmpuint (count_search (f, "meida"), ==, 1);

  filter.status = KL_CUSTOMER_STATUS_AT_RISK;
  g_assert_cmpint (kl_customer_store_count (f->db, &filter, &error), ==, 1);
  filter.status = -1;
  filter.region = "华东";
  g_assert_cmpint (kl_customer_store_count (f->db, &filter, &error), ==, 2);
  filter.search = "ACME";
  g_assert_cmpint (kl_customer_store_count (f->db, &filter, &error), ==, 1);

  regions = kl_customer_store_regions (f->db, &error);
  g_assert_cmpuint (g_strv_length (regions), ==, 2);

  /* Paging. */
  {
    g_autoptr(GPtrArray) page = kl_customer_store_list (f->db, NULL, 1, 1, &error);
    g_assert_cmpuint (page->len, ==, 1);
  }
}

static void
test_contacts (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = add_customer (f, "K1", "Kontakt", KL_CUSTOMER_STATUS_ACTIVE, NULL);
  g_autoptr(KlContact) one = kl_contact_new ();
  g_autoptr(KlContact) two = kl_contact_new ();
  g_autoptr(GPtrArray) list = NULL;

  one->customer_id = g_strdup (id);
  one->name = g_strdup ("李娜");
  one->primary = TRUE;
  g_assert_true (kl_contact_store_save (f->db, one, &error));
  two->customer_id = g_strdup (id);
  two->name = g_strdup ("Tom");
  two->primary = TRUE;
  g_assert_true (kl_contact_store_save (f->db, two, &error));

  list = kl_contact_store_list (f->db, id, &error);
  g_assert_cmpuint (list->len, ==, 2);
  /* Only one primary contact at a time: the last one marked. */
  g_assert_cmpstr (((KlContact *) list->pdata[0])->name, ==, "Tom");
  g_assert_true (((KlContact *) list->pdata[0])->primary);
  g_assert_false (((KlContact *) list->pdata[1])->primary);

  g_free (two->email);
  two->email = g_strdup ("not-an-email");
  g_assert_false (kl_contact_store_save (f->db, two, &error));
  g_assert_error (error, KL_DATABASE_ERROR, KL_DATABASE_ERROR_INVALID);
  g_clear_error (&error);

  g_assert_true (kl_contact_store_delete (f->db, one->id, &error));
  g_clear_pointer (&list, g_ptr_array_unref);
  list = kl_contact_store_list (f->db, id, &error);
  g_assert_cmpuint (list->len, ==, 1);
  g_assert_false (kl_contact_store_delete (f->db, one->id, &error));
  g_assert_error (error, KL_DATABASE_ERROR, KL_DATABASE_ERROR_NOT_FOUND);
}

static void
test_agreements (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = add_customer (f, "A1", "Agreement", KL_CUSTOMER_STATUS_ACTIVE, NULL);
  g_autoptr(KlAgreement) old = kl_agreement_new ();
  g_autoptr(KlAgreement) current = kl_agreement_new ();
  g_autoptr(KlAgreement) found = NULL;

  old->customer_id = g_strdup (id);
  old->effective_from = g_strdup ("2025-01-01");
  old->effective_to = g_strdup ("2025-12-31");
  old->targets[KL_RATE_DISPATCH_ON_TIME] = 0.9;
  g_assert_true (kl_agreement_store_save (f->db, old, &error));
  g_assert_no_error (error);

  current->customer_id = g_strdup (id);
  current->effective_from = g_strdup ("2025-12-01");
  current->targets[KL_RATE_DISPATCH_ON_TIME] = 0.95;
  g_assert_false (kl_agreement_store_save (f->db, current, &error));   /* overlaps */
  g_assert_error (error, KL_DATABASE_ERROR, KL_DATABASE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_null (current->id);

  g_free (current->effective_from);
  current->effective_from = g_strdup ("2026-01-01");
  current->targets[KL_RATE_DAMAGE] = 1.5;
  g_assert_false (kl_agreement_store_save (f->db, current, &error));   /* target above 100 % */
  g_clear_error (&error);
  current->targets[KL_RATE_DAMAGE] = 0.001;
  g_assert_true (kl_agreement_store_save (f->db, current, &error));
  g_assert_no_error (error);

  found = kl_agreement_store_in_force (f->db, id, "2025-06-30", &error);
  g_assert_nonnull (found);
  g_assert_cmpfloat (found->targets[KL_RATE_DISPATCH_ON_TIME], ==, 0.9);
  g_assert_true (isnan (found->targets[KL_RATE_DAMAGE]));
  g_clear_pointer (&found, kl_agreement_free);
  found = kl_agreement_store_in_force (f->db, id, "2026-11-01", &error);
  g_assert_cmpfloat (found->targets[KL_RATE_DAMAGE], ==, 0.001);
  g_clear_pointer (&found, kl_agreement_free);
  found = kl_agreement_store_in_force (f->db, id, "2024-12-31", &error);
  g_assert_null (found);
  g_assert_no_error (error);

  g_assert_true (kl_agreement_store_delete (f->db, old->id, &error));
  {
    g_autoptr(GPtrArray) list = kl_agreement_store_list (f->db, id, &error);
    g_assert_cmpuint (list->len, ==, 1);
  }
}

static void
test_activities (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = add_customer (f, "ACT", "Activity", KL_CUSTOMER_STATUS_ACTIVE, NULL);
  g_autoptr(KlActivity) call = kl_activity_new ();
  g_autoptr(KlActivity) task = kl_activity_new ();
  g_autoptr(GPtrArray) due = NULL;
  g_autoptr(GPtrArray) list = NULL;

  call->customer_id = g_strdup (id);
  call->kind = KL_ACTIVITY_CALL;
  call->subject = g_strdup ("与物流经理通话");
  call->at = 1000;
  g_assert_true (kl_activity_store_save (f->db, call, &error));
  task->customer_id = g_strdup (id);
  task->kind = KL_ACTIVITY_LETTER;
  task->subject = g_strdup ("Send the thank-you letter");
  task->at = 2000;
  task->due_at = 5000;
  g_assert_true (kl_activity_store_save (f->db, task, &error));

  list = kl_activity_store_list (f->db, id, &error);
  g_assert_cmpuint (list->len, ==, 2);
  g_assert_cmpstr (((KlActivity *) list->pdata[0])->id, ==, task->id);   /* newest first */

  due = kl_activity_store_due (f->db, 6000, &error);
  g_assert_cmpuint (due->len, ==, 1);
  g_clear_pointer (&due, g_ptr_array_unref);
  due = kl_activity_store_due (f->db, 4000, &error);
  g_assert_cmpuint (due->len, ==, 0);
  g_clear_pointer (&due, g_ptr_array_unref);

  task->done = TRUE;
  g_assert_true (kl_activity_store_save (f->db, task, &error));
  due = kl_activity_store_due (f->db, KL_NO_TIME, &error);
  g_assert_cmpuint (due->len, ==, 0);

  g_free (call->subject);
  call->subject = g_strdup ("");
  g_assert_false (kl_activity_store_save (f->db, call, &error));
  g_assert_error (error, KL_DATABASE_ERROR, KL_DATABASE_ERROR_INVALID);
  g_clear_error (&error);

  g_assert_true (kl_activity_store_delete (f->db, task->id, &error));
  g_assert_false (kl_activity_store_delete (f->db, task->id, &error));
}

static void
add_volume (Fixture *f, const char *customer_id, const char *prefix, guint n)
{
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(KlShipment) s = kl_shipment_new ();

      s->waybill = g_strdup_printf ("%s-%u", prefix, i);
      s->customer_id = g_strdup (customer_id);
      s->pieces = 1;
      s->planned_pickup_at = 1781000000 + i * 3600;   /* 2026-06 */
      s->planned_delivery_at = s->planned_pickup_at + 3600;
      g_assert_true (kl_shipment_store_save (f->db, s, NULL, &error));
      g_assert_no_error (error);
    }
}

static void
test_abc (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  /* 70, 15, 10, 5 shipments: A (0 % before), A (70 % before), B (85 %), C (95 %). */
  g_autofree char *a = add_customer (f, "K-A", "A", KL_CUSTOMER_STATUS_ACTIVE, NULL);
  g_autofree char *b = add_customer (f, "K-B", "B", KL_CUSTOMER_STATUS_ACTIVE, NULL);
  g_autofree char *c = add_customer (f, "K-C", "C", KL_CUSTOMER_STATUS_ACTIVE, NULL);
  g_autofree char *d = add_customer (f, "K-D", "D", KL_CUSTOMER_STATUS_ACTIVE, NULL);
  const char *ids[] = { a, b, c, d };
  const KlAbcClass expected[] = { KL_ABC_A, KL_ABC_A, KL_ABC_B, KL_ABC_C };

  add_volume (f, a, "a", 70);
  add_volume (f, b, "b", 15);
  add_volume (f, c, "c", 10);
  add_volume (f, d, "d", 5);
  g_assert_true (kl_customer_store_update_abc (f->db, 202606, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      g_autoptr(KlCustomer) cust = kl_customer_store_get (f->db, ids[i], &error);
      g_assert_cmpint (cust->abc_class, ==, expected[i]);
      g_assert_cmpint (kl_customer_effective_abc (cust), ==, expected[i]);
    }
  /* Shipments outside the trailing twelve months do not count. */
  g_assert_true (kl_customer_store_update_abc (f->db, 202507, &error));
  {
    g_autoptr(KlCustomer) cust = kl_customer_store_get (f->db, a, &error);
    g_assert_cmpint (cust->abc_class, ==, KL_ABC_NONE);
  }
  g_assert_cmpint (kl_customer_store_shipment_count (f->db, a, &error), ==, 70);

  /* The count spans every month and leaves a cancelled shipment out, also
   * one that was counted before it was cancelled. */
  {
    g_autoptr(KlShipment) s = kl_shipment_new ();

    s->waybill = g_strdup ("a-later");
    s->customer_id = g_strdup (a);
    s->pieces = 1;
    s->planned_pickup_at = 1790000000;   /* 2026-09 */
    s->planned_delivery_at = s->planned_pickup_at + 3600;
    g_assert_true (kl_shipment_store_save (f->db, s, NULL, &error));
    g_assert_cmpint (kl_customer_store_shipment_count (f->db, a, &error), ==, 71);
    s->status = KL_SHIPMENT_STATUS_CANCELLED;
    g_assert_true (kl_shipment_store_save (f->db, s, NULL, &error));
    g_assert_no_error (error);
    g_assert_cmpint (kl_customer_store_shipment_count (f->db, a, &error), ==, 70);
    g_assert_cmpint (kl_customer_store_shipment_count (f->db, d, &error), ==, 5);
  }
}

static void
test_report_notes (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = add_customer (f, "RN", "Notes", KL_CUSTOMER_STATUS_ACTIVE, NULL);
  g_autofree char *comments = NULL;
  g_autofree char *goals = NULL;

  g_assert_true (kl_report_note_get (f->db, id, "2026-10", &comments, &goals, &error));
  g_assert_cmpstr (comments, ==, "");
  g_clear_pointer (&comments, g_free);
  g_clear_pointer (&goals, g_free);
  g_assert_true (kl_report_note_set (f->db, id, "2026-10", "十月准时率回升", "Q4: 98 % on time", &error));
  g_assert_true (kl_report_note_set (f->db, id, "2026-Q3", "other period", "", &error));
  g_assert_true (kl_report_note_get (f->db, id, "2026-10", &comments, &goals, &error));
  g_assert_cmpstr (comments, ==, "十月准时率回升");
  g_assert_cmpstr (goals, ==, "Q4: 98 % on time");
}

/* A shipment picked up minutes late on 2026-10-10 (Shanghai). */
static KlShipment *
late_shipment (const char *waybill,
               const char *customer_id,
               int         minutes_late)
{
  KlShipment *s = kl_shipment_new ();

  s->waybill = g_strdup (waybill);
  s->customer_id = g_strdup (customer_id);
  s->status = KL_SHIPMENT_STATUS_DELIVERED;
  s->pieces = 1;
  s->planned_pickup_at = kl_test_unix_time ("2026-10-10T09:00:00+08:00");
  s->picked_up_at = s->planned_pickup_at + minutes_late * 60;
  s->planned_delivery_at = s->planned_pickup_at + 86400;
  return s;
}

static gint64
dispatched_on_time (KlDatabase *db, const char *customer_id)
{
  g_autoptr(GError) error = NULL;
  KlRollupCounts total;

  g_assert_true (kl_rollup_read_total (db, customer_id, 202610, 202610, &total, &error));
  g_assert_no_error (error);
  return total.v[KL_RC_DISPATCHED_ON_TIME];
}

static void
import_late (KlDatabase *db, const char *waybill, const char *customer_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KlShipment) s = late_shipment (waybill, customer_id, 20);

  g_assert_true (kl_shipment_store_save (db, s, NULL, &error));
  g_assert_no_error (error);
}

/* The grace minutes the shipment store uses follow every change to the
 * agreements, whoever makes it, with nobody clearing a cache by hand. */
static void
test_agreement_grace_cache (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = add_customer (f, "ACME", "ACME", KL_CUSTOMER_STATUS_ACTIVE, NULL);
  g_autoptr(KlAgreement) a = kl_agreement_new ();
  g_autoptr(KlDatabase) other = NULL;
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) list = NULL;

  a->customer_id = g_strdup (id);
  a->effective_from = g_strdup ("2026-01-01");
  g_assert_true (kl_agreement_store_save (f->db, a, &error));
  g_assert_no_error (error);

  /* No grace: 20 minutes late is late, and the periods are now cached. */
  import_late (f->db, "G1", id);
  g_assert_cmpint (dispatched_on_time (f->db, id), ==, 0);
  g_assert_cmpuint (_kl_agreement_store_grace_cached (f->db), ==, 1);

  /* Saving 30 minutes rebuilds the rollups, and the next import uses them. */
  a->dispatch_grace_min = 30;
  g_assert_true (kl_agreement_store_save (f->db, a, &error));
  g_assert_cmpint (dispatched_on_time (f->db, id), ==, 1);
  import_late (f->db, "G2", id);
  g_assert_cmpint (dispatched_on_time (f->db, id), ==, 2);

  /* A change rolled back is forgotten with the transaction. */
  g_assert_true (kl_database_begin (f->db, &error));
  a->dispatch_grace_min = 10;
  g_assert_true (kl_agreement_store_save (f->db, a, &error));
  import_late (f->db, "G3", id);
  g_assert_cmpint (dispatched_on_time (f->db, id), ==, 0);
  kl_database_rollback (f->db);
  import_late (f->db, "G4", id);
  g_assert_cmpint (dispatched_on_time (f->db, id), ==, 3);

  /* Another process (here another connection) shortens the grace: this one
   * sees it at its next import. */
  other = kl_database_open (kl_database_get_path (f->db), 0, &error);
  g_assert_no_error (error);
  list = kl_agreement_store_list (other, id, &error);
  g_assert_cmpuint (list->len, ==, 1);
  ((KlAgreement *) g_ptr_array_index (list, 0))->dispatch_grace_min = 5;
  g_assert_true (kl_agreement_store_save (other, g_ptr_array_index (list, 0), &error));
  g_assert_no_error (error);
  g_clear_object (&other);
  import_late (f->db, "G5", id);
  g_assert_cmpint (dispatched_on_time (f->db, id), ==, 0);

  /* Deleting the agreement leaves no grace at all. */
  g_assert_true (kl_agreement_store_delete (f->db, a->id, &error));
  g_assert_no_error (error);
  import_late (f->db, "G6", id);
  g_assert_cmpint (dispatched_on_time (f->db, id), ==, 0);

  g_assert_true (kl_rollup_check (f->db, problems, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (problems->len, ==, 0);
}

/* Deleting a contact unlinks its activities; undo links them back. */
static void
test_activities_relink_contact (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = add_customer (f, "ACME", "ACME", KL_CUSTOMER_STATUS_ACTIVE, NULL);
  g_autoptr(KlContact) c = kl_contact_new ();
  g_autoptr(KlActivity) named = kl_activity_new ();
  g_autoptr(KlActivity) other = kl_activity_new ();
  g_autoptr(KlActivity) got = NULL;
  g_auto(GStrv) linked = NULL;
  g_auto(GStrv) none = NULL;

  c->customer_id = g_strdup (id);
  c->name = g_strdup ("王芳");
  g_assert_true (kl_contact_store_save (f->db, c, &error));
  named->customer_id = g_strdup (id);
  named->subject = g_strdup ("Call");
  named->contact_id = g_strdup (c->id);
  g_assert_true (kl_activity_store_save (f->db, named, &error));
  other->customer_id = g_strdup (id);
  other->subject = g_strdup ("Visit");
  g_assert_true (kl_activity_store_save (f->db, other, &error));
  g_assert_no_error (error);

  linked = kl_activity_store_naming_contact (f->db, c->id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (linked), ==, 1);
  g_assert_cmpstr (linked[0], ==, named->id);

  g_assert_true (kl_contact_store_delete (f->db, c->id, &error));
  got = kl_activity_store_get (f->db, named->id, &error);
  g_assert_null (got->contact_id);
  none = kl_activity_store_naming_contact (f->db, c->id, &error);
  g_assert_nonnull (none);
  g_assert_cmpuint (g_strv_length (none), ==, 0);

  g_assert_true (kl_contact_store_save (f->db, c, &error));
  g_assert_true (kl_activity_store_relink_contact (f->db, c->id, (const char * const *) linked, &error));
  g_assert_no_error (error);
  g_clear_pointer (&got, kl_activity_free);
  got = kl_activity_store_get (f->db, named->id, &error);
  g_assert_cmpstr (got->contact_id, ==, c->id);
  g_clear_pointer (&got, kl_activity_free);
  got = kl_activity_store_get (f->db, other->id, &error);
  g_assert_null (got->contact_id);
}

static void
test_rollup_series_shipments (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = add_customer (f, "ACME", "ACME", KL_CUSTOMER_STATUS_ACTIVE, NULL);
  const char *pickups[] = { "2026-09-03T09:00:00+08:00", "2026-11-03T09:00:00+08:00",
                            "2026-11-20T09:00:00+08:00", "2027-02-01T09:00:00+08:00" };
  gint64 series[4];

  g_assert_cmpint (kl_rollup_series_month (202611, 3), ==, 202702);
  g_assert_cmpint (kl_rollup_series_month (202601, -1), ==, 202512);
  g_assert_cmpint (kl_rollup_series_month (202612, 0), ==, 202612);

  for (guint i = 0; i < G_N_ELEMENTS (pickups); i++)
    {
      g_autofree char *waybill = g_strdup_printf ("S%u", i);
      g_autoptr(KlShipment) s = late_shipment (waybill, id, 0);

      s->planned_pickup_at = kl_test_unix_time (pickups[i]);
      s->planned_delivery_at = s->planned_pickup_at + 86400;
      g_assert_true (kl_shipment_store_save (f->db, s, NULL, &error));
      g_assert_no_error (error);
    }

  /* 2026-10 … 2027-01: the September and February shipments fall outside. */
  memset (series, 0xff, sizeof series);
  g_assert_true (kl_rollup_series_shipments (f->db, id, 202610, G_N_ELEMENTS (series), series, &error));
  g_assert_no_error (error);
  g_assert_cmpint (series[0], ==, 0);
  g_assert_cmpint (series[1], ==, 2);
  g_assert_cmpint (series[2], ==, 0);
  g_assert_cmpint (series[3], ==, 0);
}

/* Blank is blank in any script: an ideographic space is no name. */
static void
test_text_is_blank (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = add_customer (f, "ACME", "ACME", KL_CUSTOMER_STATUS_ACTIVE, NULL);
  g_autoptr(KlContact) c = kl_contact_new ();
  g_autoptr(KlActivity) a = kl_activity_new ();

  g_assert_true (kl_text_is_blank (NULL));
  g_assert_true (kl_text_is_blank (""));
  g_assert_true (kl_text_is_blank (" \t\n"));
  g_assert_true (kl_text_is_blank ("\xe3\x80\x80 "));          /* U+3000 */
  g_assert_false (kl_text_is_blank (" 王 "));
  g_assert_false (kl_text_is_blank ("\xff"));                    /* not UTF-8, not blank */

  c->customer_id = g_strdup (id);
  c->name = g_strdup ("\xe3\x80\x80");
  g_assert_false (kl_contact_store_save (f->db, c, &error));
  g_assert_error (error, KL_DATABASE_ERROR, KL_DATABASE_ERROR_INVALID);
  g_clear_error (&error);

  a->customer_id = g_strdup (id);
  a->subject = g_strdup ("\xe3\x80\x80\xe3\x80\x80");
  g_assert_false (kl_activity_store_save (f->db, a, &error));
  g_assert_error (error, KL_DATABASE_ERROR, KL_DATABASE_ERROR_INVALID);
}

int
main (int argc, char **argv)
{
  g_setenv ("TZ", "UTC", TRUE);
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/customer-store/save-get", test_save_and_get);
  ADD ("/customer-store/delete-restore", test_delete_restore);
  ADD ("/customer-store/search-filters", test_search_and_filters);
  ADD ("/customer-store/contacts", test_contacts);
  ADD ("/customer-store/agreements", test_agreements);
  ADD ("/customer-store/agreement-grace-cache", test_agreement_grace_cache);
  ADD ("/customer-store/activities", test_activities);
  ADD ("/customer-store/activities-relink-contact", test_activities_relink_contact);
  ADD ("/customer-store/rollup-series", test_rollup_series_shipments);
  ADD ("/customer-store/abc", test_abc);
  ADD ("/customer-store/text-is-blank", test_text_is_blank);
  ADD ("/customer-store/report-notes", test_report_notes);
#undef ADD
  return g_test_run ();
}
