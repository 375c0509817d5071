/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Demo cases: a scripted set that reaches every status of every lifecycle,
 * played through the claim store with past timestamps. */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "kl-database-private.h"
#include "kl-claim-store.h"
#include "kl-customer-store.h"
#include "kl-demo-claims.h"
#include "kl-records.h"
#include "kl-shipment-store-private.h"

#define DAY ((gint64) 86400)

/* One case: its kind, the statuses it moves through after opening (API
 * tokens, space-separated) and how long ago it was opened. */
typedef struct {
  KlClaimKind  kind;
  gboolean     draft;
  const char  *path;
  int          age_days;
  gboolean     overdue;    /* meant to be overdue; the others are kept in time */
} Plan;

/* Ages assume the default deadlines; a case not meant to be overdue is made
 * younger when its customer's agreement is stricter. */
static const Plan plans[] = {
  /* every freight status, on damage claims */
  { KL_CLAIM_KIND_DAMAGE, TRUE,  "", 3 },
  { KL_CLAIM_KIND_DAMAGE, TRUE,  "filed acknowledged", 26 },
  { KL_CLAIM_KIND_DAMAGE, FALSE, "", 6 },
  { KL_CLAIM_KIND_DAMAGE, FALSE, "", 48, TRUE },
  { KL_CLAIM_KIND_DAMAGE, FALSE, "acknowledged", 20 },
  { KL_CLAIM_KIND_DAMAGE, FALSE, "acknowledged investigating", 40 },
  { KL_CLAIM_KIND_DAMAGE, FALSE, "acknowledged investigating", 165, TRUE }, /* resolution */
  { KL_CLAIM_KIND_DAMAGE, FALSE, "acknowledged investigating approved", 70 },
  { KL_CLAIM_KIND_DAMAGE, FALSE, "acknowledged investigating declined", 90 },
  { KL_CLAIM_KIND_DAMAGE, FALSE, "acknowledged investigating approved paid", 100 },
  { KL_CLAIM_KIND_DAMAGE, FALSE, "acknowledged investigating approved paid closed", 150 },
  { KL_CLAIM_KIND_DAMAGE, FALSE, "acknowledged investigating declined closed", 200 },
  { KL_CLAIM_KIND_DAMAGE, FALSE, "acknowledged withdrawn", 60 },
  { KL_CLAIM_KIND_DAMAGE, FALSE, "acknowledged investigating declined closed investigating", 185 },
  /* the other freight kinds along the way */
  { KL_CLAIM_KIND_SHORTAGE, FALSE, "", 9 },
  { KL_CLAIM_KIND_SHORTAGE, FALSE, "acknowledged investigating approved paid closed", 120 },
  { KL_CLAIM_KIND_SHORTAGE, FALSE, "withdrawn", 33 },
  { KL_CLAIM_KIND_DELAY, FALSE, "acknowledged", 15 },
  { KL_CLAIM_KIND_DELAY, FALSE, "acknowledged investigating approved", 50 },
  { KL_CLAIM_KIND_DELAY, FALSE, "acknowledged investigating approved paid closed", 75 },
  { KL_CLAIM_KIND_LOSS, FALSE, "acknowledged investigating", 35 },
  { KL_CLAIM_KIND_LOSS, FALSE, "acknowledged investigating declined", 130 },
  { KL_CLAIM_KIND_LOSS, FALSE, "acknowledged investigating approved paid", 95 },
  /* returns */
  { KL_CLAIM_KIND_RETURN, FALSE, "", 5 },
  { KL_CLAIM_KIND_RETURN, FALSE, "", 45, TRUE },
  { KL_CLAIM_KIND_RETURN, FALSE, "authorized", 12 },
  { KL_CLAIM_KIND_RETURN, FALSE, "authorized in_transit", 18 },
  { KL_CLAIM_KIND_RETURN, FALSE, "authorized in_transit received", 25 },
  { KL_CLAIM_KIND_RETURN, FALSE, "authorized in_transit received inspected", 30 },
  { KL_CLAIM_KIND_RETURN, FALSE, "authorized in_transit received inspected resolved", 40 },
  { KL_CLAIM_KIND_RETURN, FALSE, "authorized in_transit received inspected resolved closed", 80 },
  { KL_CLAIM_KIND_RETURN, FALSE, "rejected", 20 },
  { KL_CLAIM_KIND_RETURN, FALSE, "cancelled", 9 },
  { KL_CLAIM_KIND_RETURN, FALSE, "authorized cancelled", 22 },
  /* complaints */
  { KL_CLAIM_KIND_COMPLAINT, FALSE, "", 4 },
  { KL_CLAIM_KIND_COMPLAINT, FALSE, "", 40, TRUE },
  { KL_CLAIM_KIND_COMPLAINT, FALSE, "acknowledged", 10 },
  { KL_CLAIM_KIND_COMPLAINT, FALSE, "acknowledged investigating", 30 },
  { KL_CLAIM_KIND_COMPLAINT, FALSE, "acknowledged investigating resolved", 50 },
  { KL_CLAIM_KIND_COMPLAINT, FALSE, "acknowledged investigating resolved closed", 90 },
  { KL_CLAIM_KIND_COMPLAINT, FALSE, "acknowledged investigating resolved closed investigating", 140 },
};

static const char * const people[] = { "王丽", "李强", "张敏", "陈杰", "刘洋" };

static const char * const descriptions[] = {
  [KL_CLAIM_KIND_DAMAGE]    = "收货时发现 3 箱外包装压损，内件破碎",
  [KL_CLAIM_KIND_SHORTAGE]  = "签收件数少 2 件，托盘缠绕膜有破口",
  [KL_CLAIM_KIND_DELAY]     = "延误 2 天送达，导致客户产线停线",
  [KL_CLAIM_KIND_LOSS]      = "整票货物在中转站丢失，至今未找到",
  [KL_CLAIM_KIND_RETURN]    = "客户拒收，要求退回上海仓",
  [KL_CLAIM_KIND_COMPLAINT] = "司机未按预约时间到达，且态度不佳",
};

static const char * const root_causes[] = {
  "装车时堆叠过高，未使用护角",
  "中转站分拣错误",
  "干线车辆故障，未及时调度备用车",
  "包装不符合运输要求",
};

static const char * const corrective_actions[] = {
  "对司机进行预约送达培训，并纳入月度考核",
  "中转站增加出库复核扫描",
  "重新制定易碎品装载作业指导书",
};

static const char * const client_notes[] = {
  "已收到您的反馈，我们正在调查，会尽快回复。",
  "照片和签收单已收到，理赔材料齐全。",
  "承运商已确认责任，赔付流程处理中。",
};

static const char * const internal_notes[] = {
  "承运商推卸责任，需要升级到区域经理。",
  "此客户本季度已是第三次投诉，注意续约风险。",
  "理赔金额偏高，先核实货值发票。",
};

typedef struct {
  KlDatabase *db;
  GRand      *rand;
  gint64      now;
  GPtrArray  *customers;  /* ids */
} Run;

static const char *
pick (Run *run, const char * const *list, guint n)
{
  return list[g_rand_int_range (run->rand, 0, (gint32) n)];
}

#define PICK(run, array) pick ((run), (array), G_N_ELEMENTS (array))

static gboolean
read_customers (Run *run, GError **error)
{
  sqlite3_stmt *stmt;
  int rc;

  stmt = kl_database_prepare (run->db, "SELECT id FROM customers WHERE deleted = 0 ORDER BY code", error);
  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (run->customers, kl_column_dup_text (stmt, 0));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return kl_database_set_error (run->db, error, _("Reading customers"));
  return TRUE;
}

/* A delivered shipment of the customer from the weeks before filed_at, or
 * NULL when it has none. */
static char *
pick_waybill (Run        *run,
              const char *customer_id,
              gint64      filed_at,
              GError    **error)
{
  g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt;
  int rc;

  stmt = kl_database_prepare (run->db,
                              SHIPMENT_CUSTOMER_SPAN_SQL " AND s.status = 'delivered' "
                              "AND s.delivered_at < ?4 ORDER BY s.delivered_at DESC, s.waybill LIMIT 12",
                              error);
  if (stmt == NULL)
    return NULL;
  kl_bind_text (stmt, 1, customer_id);
  sqlite3_bind_int64 (stmt, 2, G_MININT64);
  sqlite3_bind_int64 (stmt, 3, G_MAXINT64);
  sqlite3_bind_int64 (stmt, 4, filed_at - DAY);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (found, kl_column_dup_text (stmt, 1));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      kl_database_set_error (run->db, error, _("Reading shipments"));
      return NULL;
    }
  if (found->len == 0)
    return g_strdup ("");
  return g_strdup (g_ptr_array_index (found, g_rand_int_range (run->rand, 0, (gint32) found->len)));
}

static gboolean
add_documents (Run         *run,
               const char  *id,
               KlClaimKind  kind,
               const char  *by,
               gint64       at,
               gboolean     all_needed,
               GError     **error)
{
  KlClaimUpdate u = KL_CLAIM_UPDATE_INIT;

  u.documents_add = KL_CLAIM_DOCUMENT_BIT (KL_CLAIM_DOCUMENT_PROOF_OF_DELIVERY);
  if (all_needed)
    {
      u.documents_add |= kl_claim_documents_required (kind);
      if (kind == KL_CLAIM_KIND_DAMAGE)
        u.documents_add |= KL_CLAIM_DOCUMENT_BIT (KL_CLAIM_DOCUMENT_PHOTOS);
    }
  else if (kind == KL_CLAIM_KIND_DAMAGE)
    u.documents_add |= KL_CLAIM_DOCUMENT_BIT (KL_CLAIM_DOCUMENT_PHOTOS);
  if (g_rand_boolean (run->rand))
    u.documents_add |= KL_CLAIM_DOCUMENT_BIT (KL_CLAIM_DOCUMENT_CARRIER_RESPONSE);
  u.by = by;
  u.at = at;
  return kl_claim_store_update (run->db, id, &u, error);
}

/* The plan's age, shortened (not below a few days for cases that move)
 * until the case would not be overdue under the customer's agreement. */
static int
age_in_time (Run        *run,
             const Plan *plan,
             const char *customer_id,
             guint       n_steps)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (run->now);
  g_autoptr(GDateTime) local = g_date_time_to_timezone (utc, kl_database_get_timezone (run->db));
  g_autofree char *today = g_date_time_format (local, "%Y-%m-%d");
  g_autoptr(KlAgreement) agreement = kl_agreement_store_in_force (run->db, customer_id, today, NULL);
  g_auto(GStrv) steps = g_strsplit (plan->path, " ", -1);
  KlClaimDeadlineInput in = { 0 };
  int age = plan->age_days;
  int min_age = n_steps > 0 ? 5 : 1;

  if (plan->overdue || plan->draft)
    return age;
  in.kind = plan->kind;
  in.status = kl_claim_kind_initial_status (plan->kind);
  for (guint i = 0; steps[i] != NULL; i++)
    if (*steps[i] != '\0' && !kl_claim_status_from_string (steps[i], &in.status))
      g_error ("demo claims: unknown status %s", steps[i]);
  in.ack_days = agreement != NULL ? agreement->claim_ack_days : 0;
  in.resolve_days = agreement != NULL ? agreement->claim_resolve_days : 0;
  in.last_update_at = KL_NO_TIME;
  for (; age > min_age; age--)
    {
      in.filed_at = run->now - age * DAY - 8 * 3600;
      in.last_update_at = n_steps > 0 ? run->now - 2 * DAY : KL_NO_TIME;
      if (!kl_claim_is_overdue (&in, kl_database_get_timezone (run->db), run->now))
        break;
    }
  return age;
}

static gboolean
play (Run         *run,
      const Plan  *plan,
      GError     **error)
{
  g_auto(GStrv) steps = g_strsplit (plan->path, " ", -1);
  const char *customer = g_ptr_array_index (run->customers,
                                            g_rand_int_range (run->rand, 0, (gint32) run->customers->len));
  const char *by = PICK (run, people);
  g_autofree char *waybill = NULL;
  g_autofree char *id = NULL;
  KlClaimNew in = KL_CLAIM_NEW_INIT;
  KlClaimStatus previous;
  gint64 filed_at, at, span, claimed = 0, approved = 0;
  guint n_steps = 0;
  int age;
  gboolean freight = kl_claim_kind_is_freight (plan->kind);
  gboolean docs_done = FALSE;

  for (guint i = 0; steps[i] != NULL; i++)
    if (*steps[i] != '\0')
      n_steps++;

  age = age_in_time (run, plan, customer, n_steps);
  filed_at = run->now - age * DAY - g_rand_int_range (run->rand, 0, 8 * 3600);
  waybill = pick_waybill (run, customer, filed_at, error);
  if (waybill == NULL)
    return FALSE;

  in.customer_id = customer;
  in.kind = plan->kind;
  in.draft = plan->draft;
  in.waybill = *waybill != '\0' ? waybill : NULL;
  in.filed_at = filed_at;
  in.description = descriptions[plan->kind];
  in.by = by;
  if (freight)
    {
      claimed = (gint64) g_rand_int_range (run->rand, 800, 60000) * 100;
      in.claimed_set = TRUE;
      in.claimed = claimed;
      in.currency = "CNY";
    }
  id = kl_claim_store_create (run->db, &in, error);
  if (id == NULL)
    return FALSE;

  /* The first answer comes within days, the rest spread over the case's
   * age, all before now. */
  at = filed_at + DAY / 2 + g_rand_int_range (run->rand, 0, (gint32) (3 * DAY));
  span = run->now - DAY - at;
  previous = plan->draft ? KL_CLAIM_STATUS_DRAFT : kl_claim_kind_initial_status (plan->kind);
  for (guint i = 0, done = 0; steps[i] != NULL; i++)
    {
      KlClaimMove m = KL_CLAIM_MOVE_INIT;
      gint64 step_at;

      if (*steps[i] == '\0')
        continue;
      if (!kl_claim_status_from_string (steps[i], &m.to))
        g_error ("demo claims: unknown status %s", steps[i]);
      step_at = done == 0 ? at : at + span * (gint64) done / (gint64) n_steps;
      if (previous == KL_CLAIM_STATUS_DRAFT)
        step_at = filed_at + DAY;
      done++;
      m.by = by;
      m.at = step_at;

      if (m.to == KL_CLAIM_STATUS_ACKNOWLEDGED || m.to == KL_CLAIM_STATUS_AUTHORIZED)
        {
          KlClaimUpdate u = KL_CLAIM_UPDATE_INIT;

          u.owner_set = TRUE;
          u.owner = PICK (run, people);
          u.by = by;
          u.at = step_at - 600;
          if (!kl_claim_store_update (run->db, id, &u, error))
            return FALSE;
        }
      if (freight && m.to == KL_CLAIM_STATUS_INVESTIGATING && !docs_done)
        {
          if (!add_documents (run, id, plan->kind, by, step_at + 3600, FALSE, error))
            return FALSE;
          docs_done = TRUE;
        }
      if (m.to == KL_CLAIM_STATUS_APPROVED)
        {
          if (!add_documents (run, id, plan->kind, by, step_at - 3600, TRUE, error))
            return FALSE;
          approved = claimed * g_rand_int_range (run->rand, 60, 101) / 100 / 100 * 100;
          m.amount_set = TRUE;
          m.amount = approved;
        }
      if (m.to == KL_CLAIM_STATUS_PAID)
        {
          m.amount_set = TRUE;
          m.amount = approved;
          m.note = "银行转账已完成";
        }
      if (m.to == KL_CLAIM_STATUS_DECLINED)
        m.reason = "承运商免责：包装不符合运输要求";
      if (m.to == KL_CLAIM_STATUS_REJECTED)
        m.reason = "超出 30 天退货期限";
      if (m.to == KL_CLAIM_STATUS_WITHDRAWN)
        m.note = "客户与收货方自行协商解决，撤回索赔";
      if (m.to == KL_CLAIM_STATUS_CANCELLED)
        m.note = "客户决定不退货，退货面单未使用";
      if (kl_claim_move_is_reopen (plan->kind, previous, m.to))
        m.reason = "客户补充了新的损坏证据，重新调查";
      if (m.to == KL_CLAIM_STATUS_INVESTIGATING && previous != KL_CLAIM_STATUS_DECLINED &&
          previous != KL_CLAIM_STATUS_CLOSED && previous != KL_CLAIM_STATUS_RESOLVED)
        {
          KlClaimUpdate u = KL_CLAIM_UPDATE_INIT;

          u.root_cause_set = TRUE;
          u.root_cause = PICK (run, root_causes);
          u.by = by;
          u.at = step_at + 2 * 3600;
          if (!kl_claim_store_update (run->db, id, &u, error))
            return FALSE;
        }
      if (plan->kind == KL_CLAIM_KIND_COMPLAINT && m.to == KL_CLAIM_STATUS_RESOLVED)
        m.corrective_action = PICK (run, corrective_actions);
      if (m.to == KL_CLAIM_STATUS_AUTHORIZED)
        {
          m.return_destination = "上海青浦仓";
          m.label_carrier = "顺丰速运";
          m.label_number = "SF1000000000";
        }
      if (m.to == KL_CLAIM_STATUS_IN_TRANSIT)
        m.return_tracking = "SF2000000000";
      if (m.to == KL_CLAIM_STATUS_RESOLVED && plan->kind == KL_CLAIM_KIND_RETURN)
        {
          m.outcome_set = TRUE;
          m.outcome = (KlReturnOutcome) g_rand_int_range (run->rand, 0, KL_N_RETURN_OUTCOMES);
        }
      if (!kl_claim_store_move (run->db, id, &m, error))
        return FALSE;

      if (done == 1 && previous != KL_CLAIM_STATUS_DRAFT &&
          !kl_claim_store_add_note (run->db, id, KL_CLAIM_NOTE_CLIENT, PICK (run, client_notes),
                                    by, step_at + 1800, error))
        return FALSE;
      previous = m.to;
    }

  if (g_rand_int_range (run->rand, 0, 3) == 0 &&
      !kl_claim_store_add_note (run->db, id, KL_CLAIM_NOTE_INTERNAL, PICK (run, internal_notes),
                                by, filed_at + 3 * 3600, error))
    return FALSE;
  return TRUE;
}

gboolean
kl_demo_add_claims (KlDatabase  *db,
                    GRand       *rand,
                    gint64       now,
                    GError     **error)
{
  g_autoptr(GPtrArray) customers = g_ptr_array_new_with_free_func (g_free);
  Run run = { db, rand, now, customers };
  sqlite3_stmt *stmt;
  gint64 outbox_before = 0;
  int rc;

  g_return_val_if_fail (KL_IS_DATABASE (db), FALSE);
  g_return_val_if_fail (rand != NULL, FALSE);

  if (!kl_database_begin (db, error))
    return FALSE;
  if (!read_customers (&run, error))
    goto fail;
  if (customers->len == 0)
    return kl_database_commit (db, error);

  stmt = kl_database_prepare (db, "SELECT coalesce(max(seq), 0) FROM outbox", error);
  if (stmt == NULL)
    goto fail;
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    outbox_before = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW)
    {
      kl_database_set_error (db, error, _("Reading the sync outbox"));
      goto fail;
    }

  for (guint i = 0; i < G_N_ELEMENTS (plans); i++)
    if (!play (&run, &plans[i], error))
      goto fail;

  /* Demo cases are not the user's edits: nothing to push. */
  stmt = kl_database_prepare (db, "DELETE FROM outbox WHERE seq > ? AND collection = 'claims'", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, outbox_before);
  if (!kl_database_step_done (db, stmt, error) ||
      !kl_database_commit (db, error))
    goto fail;
  return TRUE;

fail:
  kl_database_rollback (db);
  return FALSE;
}
