/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The workspace schema as an ordered list of forward-only steps. Step N takes
 * a database at user_version N-1 to N; each runs in its own transaction. */

#include "kl-claim-store-private.h"
#include "kl-migrations.h"
#include "kl-shipment-store-private.h"

static const char migration_1[] =
  "CREATE TABLE settings ("
  "  key   TEXT PRIMARY KEY,"
  "  value TEXT NOT NULL"
  ");"
  "CREATE TABLE customers ("
  "  id              TEXT PRIMARY KEY,"
  "  code            TEXT NOT NULL UNIQUE,"
  "  name            TEXT NOT NULL,"
  "  legal_name      TEXT,"
  "  kind            TEXT NOT NULL DEFAULT 'enterprise',"
  "  channel         TEXT NOT NULL DEFAULT 'end_customer',"
  "  industry        TEXT,"
  "  region          TEXT,"
  "  address         TEXT,"
  "  account_manager TEXT,"
  "  relationship    TEXT NOT NULL DEFAULT 'basic',"
  "  status          TEXT NOT NULL DEFAULT 'active',"
  "  lost_reason     TEXT,"
  "  lost_date       TEXT,"
  "  abc_class       TEXT,"
  "  abc_override    TEXT,"
  "  tags            TEXT NOT NULL DEFAULT '',"   /* ';'-separated */
  "  notes           TEXT,"
  "  report_language TEXT NOT NULL DEFAULT 'zh_CN',"
  "  revision        INTEGER NOT NULL DEFAULT 0,"
  "  updated_at      INTEGER NOT NULL,"
  "  deleted         INTEGER NOT NULL DEFAULT 0"
  ");"
  "CREATE INDEX customers_name ON customers(name, code);"
  "CREATE VIRTUAL TABLE customer_search USING fts5("
  "  code, name, legal_name, contacts, tags, tokenize = 'trigram'"
  ");"
  "CREATE TABLE contacts ("
  "  id          TEXT PRIMARY KEY,"
  "  customer_id TEXT NOT NULL REFERENCES customers(id) ON DELETE CASCADE,"
  "  name        TEXT NOT NULL,"
  "  role        TEXT NOT NULL DEFAULT 'other',"
  "  phone       TEXT,"
  "  email       TEXT,"
  "  is_primary  INTEGER NOT NULL DEFAULT 0,"
  "  birthday    TEXT,"
  "  notes       TEXT"
  ");"
  "CREATE INDEX contacts_customer ON contacts(customer_id);"
  "CREATE TABLE agreements ("
  "  id                 TEXT PRIMARY KEY,"
  "  customer_id        TEXT NOT NULL REFERENCES customers(id) ON DELETE CASCADE,"
  "  effective_from     TEXT NOT NULL,"
  "  effective_to       TEXT,"
  "  target_dispatch_on_time   REAL,"
  "  target_arrival_on_time    REAL,"
  "  target_document_accuracy  REAL,"
  "  target_order_accuracy     REAL,"
  "  target_damage             REAL,"
  "  target_shortage           REAL,"
  "  target_incident           REAL,"
  "  target_otif               REAL,"
  "  dispatch_grace_min INTEGER NOT NULL DEFAULT 0,"
  "  delivery_grace_min INTEGER NOT NULL DEFAULT 0,"
  "  claim_ack_days     INTEGER NOT NULL DEFAULT 30,"
  "  claim_resolve_days INTEGER NOT NULL DEFAULT 120"
  ");"
  "CREATE INDEX agreements_customer ON agreements(customer_id, effective_from);"
  "CREATE TABLE shipments ("
  "  id                  TEXT NOT NULL UNIQUE,"
  "  waybill             TEXT NOT NULL UNIQUE,"
  "  customer_id         TEXT NOT NULL REFERENCES customers(id),"
  "  status              TEXT NOT NULL,"
  "  mode                TEXT,"
  "  origin_city         TEXT,"
  "  origin_region       TEXT,"
  "  dest_city           TEXT,"
  "  dest_region         TEXT,"
  "  pieces              INTEGER NOT NULL,"
  "  weight_g            INTEGER,"
  "  volume_cm3          INTEGER,"
  "  planned_pickup_at   INTEGER NOT NULL,"
  "  picked_up_at        INTEGER,"
  "  planned_delivery_at INTEGER NOT NULL,"
  "  delivered_at        INTEGER,"
  "  documents_ok        INTEGER,"
  "  order_accurate      INTEGER,"
  "  damaged_pieces      INTEGER NOT NULL DEFAULT 0,"
  "  short_pieces        INTEGER NOT NULL DEFAULT 0,"
  "  incident            INTEGER NOT NULL DEFAULT 0,"
  "  revision            INTEGER NOT NULL DEFAULT 0,"
  "  updated_at          INTEGER NOT NULL"
  ");"
  "CREATE INDEX shipments_customer ON shipments(customer_id, planned_pickup_at);"
#define KL_ROLLUP_COLUMNS \
  "  shipments          INTEGER NOT NULL DEFAULT 0," \
  "  pieces             INTEGER NOT NULL DEFAULT 0," \
  "  weight_g           INTEGER NOT NULL DEFAULT 0," \
  "  volume_cm3         INTEGER NOT NULL DEFAULT 0," \
  "  dispatched         INTEGER NOT NULL DEFAULT 0," \
  "  dispatched_on_time INTEGER NOT NULL DEFAULT 0," \
  "  delivered          INTEGER NOT NULL DEFAULT 0," \
  "  delivered_on_time  INTEGER NOT NULL DEFAULT 0," \
  "  delivered_pieces   INTEGER NOT NULL DEFAULT 0," \
  "  damaged_pieces     INTEGER NOT NULL DEFAULT 0," \
  "  short_pieces       INTEGER NOT NULL DEFAULT 0," \
  "  damage_incidents   INTEGER NOT NULL DEFAULT 0," \
  "  shortage_incidents INTEGER NOT NULL DEFAULT 0," \
  "  incidents          INTEGER NOT NULL DEFAULT 0," \
  "  docs_known         INTEGER NOT NULL DEFAULT 0," \
  "  docs_ok            INTEGER NOT NULL DEFAULT 0," \
  "  order_known        INTEGER NOT NULL DEFAULT 0," \
  "  order_ok           INTEGER NOT NULL DEFAULT 0," \
  "  otif               INTEGER NOT NULL DEFAULT 0,"
  "CREATE TABLE rollup_month ("
  "  customer_id TEXT NOT NULL REFERENCES customers(id),"
  "  month       INTEGER NOT NULL,"
  KL_ROLLUP_COLUMNS
  "  PRIMARY KEY (customer_id, month)"
  ") WITHOUT ROWID;"
  "CREATE INDEX rollup_month_month ON rollup_month(month);"
  "CREATE TABLE rollup_month_region ("
  "  customer_id TEXT NOT NULL REFERENCES customers(id),"
  "  month       INTEGER NOT NULL,"
  "  side        TEXT NOT NULL CHECK (side IN ('origin', 'dest')),"
  "  region      TEXT NOT NULL,"   /* '' when the shipment names none */
  KL_ROLLUP_COLUMNS
  "  PRIMARY KEY (customer_id, month, side, region)"
  ") WITHOUT ROWID;"
  "CREATE INDEX rollup_month_region_month ON rollup_month_region(month, side);"
  "CREATE TABLE activities ("
  "  id          TEXT PRIMARY KEY,"
  "  customer_id TEXT NOT NULL REFERENCES customers(id) ON DELETE CASCADE,"
  "  kind        TEXT NOT NULL,"
  "  subject     TEXT NOT NULL,"
  "  notes       TEXT,"
  "  contact_id  TEXT REFERENCES contacts(id) ON DELETE SET NULL,"
  "  at          INTEGER NOT NULL,"
  "  due_at      INTEGER,"
  "  done        INTEGER NOT NULL DEFAULT 0,"
  "  created_at  INTEGER NOT NULL"
  ");"
  "CREATE INDEX activities_customer ON activities(customer_id, at);"
  "CREATE INDEX activities_due ON activities(done, due_at);"
  "CREATE TABLE outbox ("
  "  seq             INTEGER PRIMARY KEY AUTOINCREMENT,"
  "  collection      TEXT NOT NULL,"
  "  record_id       TEXT NOT NULL,"
  "  op              TEXT NOT NULL CHECK (op IN ('create', 'update', 'delete')),"
  "  fields          TEXT,"
  "  base_revision   INTEGER NOT NULL DEFAULT 0,"
  "  idempotency_key TEXT NOT NULL,"
  "  created_at      INTEGER NOT NULL"
  ");"
  "CREATE TABLE sync_cursors ("
  "  collection TEXT PRIMARY KEY,"
  "  cursor     TEXT NOT NULL,"
  "  synced_at  INTEGER NOT NULL"
  ");";
#undef KL_ROLLUP_COLUMNS

/* The KAM's client-visible comments and next-period goals for a report,
 * kept per customer and period ("2026-10", "2026-Q3", "2026"). */
static const char migration_2[] =
  "CREATE TABLE report_notes ("
  "  customer_id TEXT NOT NULL REFERENCES customers(id) ON DELETE CASCADE,"
  "  period      TEXT NOT NULL,"
  "  comments    TEXT NOT NULL DEFAULT '',"
  "  goals       TEXT NOT NULL DEFAULT '',"
  "  updated_at  INTEGER NOT NULL,"
  "  PRIMARY KEY (customer_id, period)"
  ");";

/* Claims, returns and complaints (docs/claims.md): the cases, their
 * append-only history, notes and the yearly sequences of human numbers. */
static const char migration_3[] =
  "CREATE TABLE claims ("
  "  id                 TEXT PRIMARY KEY,"
  "  number             TEXT NOT NULL UNIQUE,"
  "  customer_id        TEXT NOT NULL REFERENCES customers(id),"
  "  kind               TEXT NOT NULL,"
  "  status             TEXT NOT NULL,"
  "  waybill            TEXT,"
  "  shipment_known     INTEGER NOT NULL DEFAULT 0,"   /* 0 for an unknown waybill */
  "  incident_date      TEXT,"
  "  description        TEXT,"
  "  currency           TEXT,"
  "  claimed_minor      INTEGER,"
  "  approved_minor     INTEGER,"
  "  paid_minor         INTEGER,"
  "  salvage_minor      INTEGER,"
  "  owner              TEXT,"
  "  root_cause         TEXT,"
  "  corrective_action  TEXT,"
  "  documents          INTEGER NOT NULL DEFAULT 0,"   /* KlClaimDocuments bits */
  "  filed_at           INTEGER,"                      /* NULL for a draft */
  "  acknowledged_at    INTEGER,"
  "  paid_at            INTEGER,"
  "  closed_at          INTEGER,"
  "  last_update_at     INTEGER,"
  "  rma_number         TEXT,"
  "  return_destination TEXT,"
  "  label_carrier      TEXT,"
  "  label_number       TEXT,"
  "  return_tracking    TEXT,"
  "  outcome            TEXT,"
  "  concealed_damage   INTEGER NOT NULL DEFAULT 0,"
  "  warnings           TEXT,"                         /* one warning a line */
  "  created_at         INTEGER NOT NULL,"
  "  revision           INTEGER NOT NULL DEFAULT 0,"
  "  updated_at         INTEGER NOT NULL,"
  "  deleted            INTEGER NOT NULL DEFAULT 0"
  ");"
  "CREATE INDEX claims_customer ON claims(customer_id, filed_at);"
  "CREATE INDEX claims_status ON claims(status);"
  "CREATE INDEX claims_waybill ON claims(waybill);"
  "CREATE TABLE claim_history ("
  "  seq       INTEGER PRIMARY KEY AUTOINCREMENT,"
  "  claim_id  TEXT NOT NULL REFERENCES claims(id),"
  "  at        INTEGER NOT NULL,"
  "  by        TEXT NOT NULL,"
  "  what      TEXT NOT NULL,"
  "  field     TEXT,"
  "  old_value TEXT,"
  "  new_value TEXT,"
  "  note      TEXT"
  ");"
  "CREATE INDEX claim_history_claim ON claim_history(claim_id, at);"
  "CREATE TRIGGER claim_history_no_update BEFORE UPDATE ON claim_history "
  "BEGIN SELECT RAISE(ABORT, 'claim history is append-only'); END;"
  "CREATE TRIGGER claim_history_no_delete BEFORE DELETE ON claim_history "
  "BEGIN SELECT RAISE(ABORT, 'claim history is append-only'); END;"
  "CREATE TABLE claim_notes ("
  "  seq        INTEGER PRIMARY KEY AUTOINCREMENT,"
  "  claim_id   TEXT NOT NULL REFERENCES claims(id),"
  "  visibility TEXT NOT NULL CHECK (visibility IN ('internal', 'client')),"
  "  text       TEXT NOT NULL,"
  "  at         INTEGER NOT NULL,"
  "  by         TEXT NOT NULL"
  ");"
  "CREATE INDEX claim_notes_claim ON claim_notes(claim_id, at);"
  "CREATE TABLE claim_sequences ("
  "  prefix TEXT NOT NULL,"
  "  year   INTEGER NOT NULL,"
  "  last   INTEGER NOT NULL,"
  "  PRIMARY KEY (prefix, year)"
  ") WITHOUT ROWID;";


/* Regional rollups keyed side and month first: a portfolio report reads one
 * contiguous range instead of seeking every customer's rows through an
 * index; a customer's report goes through rollup_month_region_customer. */
static const char migration_4[] =
  "CREATE TABLE rollup_month_region_v4 ("
  "  customer_id TEXT NOT NULL REFERENCES customers(id),"
  "  month       INTEGER NOT NULL,"
  "  side        TEXT NOT NULL CHECK (side IN ('origin', 'dest')),"
  "  region      TEXT NOT NULL,"
  "  shipments          INTEGER NOT NULL DEFAULT 0,"
  "  pieces             INTEGER NOT NULL DEFAULT 0,"
  "  weight_g           INTEGER NOT NULL DEFAULT 0,"
  "  volume_cm3         INTEGER NOT NULL DEFAULT 0,"
  "  dispatched         INTEGER NOT NULL DEFAULT 0,"
  "  dispatched_on_time INTEGER NOT NULL DEFAULT 0,"
  "  delivered          INTEGER NOT NULL DEFAULT 0,"
  "  delivered_on_time  INTEGER NOT NULL DEFAULT 0,"
  "  delivered_pieces   INTEGER NOT NULL DEFAULT 0,"
  "  damaged_pieces     INTEGER NOT NULL DEFAULT 0,"
  "  short_pieces       INTEGER NOT NULL DEFAULT 0,"
  "  damage_incidents   INTEGER NOT NULL DEFAULT 0,"
  "  shortage_incidents INTEGER NOT NULL DEFAULT 0,"
  "  incidents          INTEGER NOT NULL DEFAULT 0,"
  "  docs_known         INTEGER NOT NULL DEFAULT 0,"
  "  docs_ok            INTEGER NOT NULL DEFAULT 0,"
  "  order_known        INTEGER NOT NULL DEFAULT 0,"
  "  order_ok           INTEGER NOT NULL DEFAULT 0,"
  "  otif               INTEGER NOT NULL DEFAULT 0,"
  "  PRIMARY KEY (side, month, region, customer_id)"
  ") WITHOUT ROWID;"
  "INSERT INTO rollup_month_region_v4 (customer_id, month, side, region, shipments, pieces, weight_g, volume_cm3, dispatched, dispatched_on_time, delivered, delivered_on_time, delivered_pieces, damaged_pieces, short_pieces, damage_incidents, shortage_incidents, incidents, docs_known, docs_ok, order_known, order_ok, otif) "
  "  SELECT customer_id, month, side, region, shipments, pieces, weight_g, volume_cm3, dispatched, dispatched_on_time, delivered, delivered_on_time, delivered_pieces, damaged_pieces, short_pieces, damage_incidents, shortage_incidents, incidents, docs_known, docs_ok, order_known, order_ok, otif FROM rollup_month_region;"
  "DROP TABLE rollup_month_region;"
  "ALTER TABLE rollup_month_region_v4 RENAME TO rollup_month_region;"
  "CREATE INDEX rollup_month_region_customer ON rollup_month_region(customer_id, side, month);";

/* Claim history as data (field, old and new value, what a move carried)
 * instead of a sentence in the writer's language (and the filing warnings
 * as the facts they come from), chained by SHA-256 so
 * `check` tells an edited, removed or replaced entry. A schema-4 sentence
 * is kept as legacy_text where it says more than the data: an opening that
 * names the amount claimed, a move with "; approved …", "; reason: …" and
 * the like (in English or Chinese, the languages it was written in). The C step chains the kept entries
 * and puts the append-only guards back (kl-claim-history.c). */
static const char migration_5[] =
  "CREATE TABLE claim_history_v5 ("
  "  seq                INTEGER PRIMARY KEY AUTOINCREMENT,"
  "  claim_id           TEXT NOT NULL REFERENCES claims(id),"
  "  at                 INTEGER NOT NULL,"
  "  by                 TEXT NOT NULL,"
  "  change             TEXT NOT NULL CHECK (change IN ('created', 'moved', 'field', 'document', 'note')),"
  "  field              TEXT,"
  "  old_value          TEXT,"
  "  new_value          TEXT,"
  "  amount_minor       INTEGER,"
  "  currency           TEXT,"
  "  reason             TEXT,"
  "  corrective_action  TEXT,"
  "  rma_number         TEXT,"
  "  return_destination TEXT,"
  "  label_carrier      TEXT,"
  "  label_number       TEXT,"
  "  return_tracking    TEXT,"
  "  outcome            TEXT,"
  "  note               TEXT,"
  "  legacy_text        TEXT,"
  "  prev_hash          TEXT NOT NULL DEFAULT '',"
  "  hash               TEXT NOT NULL DEFAULT ''"
  ");"
  "INSERT INTO claim_history_v5 (seq, claim_id, at, by, change, field, old_value, new_value, "
  "                              currency, note, legacy_text) "
  "  SELECT h.seq, h.claim_id, h.at, h.by,"
  "         CASE WHEN h.field = 'status' AND h.old_value IS NULL THEN 'created'"
  "              WHEN h.field = 'status' THEN 'moved'"
  "              WHEN h.field LIKE 'document:%' THEN 'document'"
  "              WHEN h.field IS NULL THEN 'note'"
  "              ELSE 'field' END,"
  "         h.field, h.old_value, h.new_value,"
  "         CASE WHEN h.field IN ('claimed', 'salvage') THEN c.currency END,"
  "         h.note,"
  "         CASE WHEN h.field = 'status' AND h.old_value IS NULL"
  "                   AND (instr(h.what, 'claiming') > 0 OR instr(h.what, '索赔') > 0) THEN h.what"
  "              WHEN h.field = 'status' AND h.old_value IS NOT NULL"
  "                   AND (instr(h.what, ';') > 0 OR instr(h.what, '；') > 0) THEN h.what END"
  "  FROM claim_history h LEFT JOIN claims c ON c.id = h.claim_id ORDER BY h.seq;"
  "DROP TABLE claim_history;"
  "ALTER TABLE claim_history_v5 RENAME TO claim_history;"
  "CREATE INDEX claim_history_claim ON claim_history(claim_id, seq);"
  /* The filing warnings likewise: the shipment facts they are worked out
   * from, instead of sentences; those whose shipment is gone stay. */
  "ALTER TABLE claims ADD COLUMN delivered_at INTEGER;"
  "ALTER TABLE claims ADD COLUMN shipment_air INTEGER NOT NULL DEFAULT 0;"
  "UPDATE claims SET"
  "  delivered_at = (SELECT s.delivered_at FROM shipments s WHERE s.waybill = claims.waybill),"
  "  shipment_air = coalesce((SELECT s.mode = 'air' FROM shipments s WHERE s.waybill = claims.waybill), 0)"
  "  WHERE waybill IN (SELECT waybill FROM shipments);"
  "UPDATE claims SET warnings = NULL WHERE waybill IN (SELECT waybill FROM shipments);";


/* Integer keys, revenue, and the rollup per mode (docs/storage.md):
 *  - shipments are keyed by an INTEGER PRIMARY KEY inside the workspace;
 *    the UUID becomes uuid, the back office's id of a shipment that came
 *    from sync (NULL for a file's), unique where set; a shipment names its
 *    customer by customers.ref, a small integer, instead of the UUID text;
 *  - shipments carry revenue_minor and currency (NULL = the workspace's);
 *  - rollup_month and rollup_month_region gain revenue_minor;
 *  - rollup_month_mode per customer, month and mode (kl-rollup-mode.h);
 *  - rollup_portfolio_month and _region: the portfolio's sums.
 * The C step rebuilds every rollup (kl_rollup_rebuild ()). */
static const char migration_6[] =
  "ALTER TABLE customers ADD COLUMN ref INTEGER;"
  "UPDATE customers SET ref = rowid;"
  "CREATE UNIQUE INDEX customers_ref ON customers(ref);"
  "CREATE TRIGGER customers_ref_new AFTER INSERT ON customers WHEN NEW.ref IS NULL "
  "BEGIN UPDATE customers SET ref = (SELECT coalesce(max(ref), 0) + 1 FROM customers) WHERE rowid = NEW.rowid; END;"
  "CREATE TABLE shipments_v6 ("
  "  id                  INTEGER PRIMARY KEY,"
  "  uuid                TEXT,"
  "  waybill             TEXT NOT NULL UNIQUE,"
  "  customer_ref        INTEGER NOT NULL REFERENCES customers(ref),"
  "  status              TEXT NOT NULL,"
  "  mode                TEXT,"
  "  origin_city         TEXT,"
  "  origin_region       TEXT,"
  "  dest_city           TEXT,"
  "  dest_region         TEXT,"
  "  pieces              INTEGER NOT NULL,"
  "  weight_g            INTEGER,"
  "  volume_cm3          INTEGER,"
  "  planned_pickup_at   INTEGER NOT NULL,"
  "  picked_up_at        INTEGER,"
  "  planned_delivery_at INTEGER NOT NULL,"
  "  delivered_at        INTEGER,"
  "  documents_ok        INTEGER,"
  "  order_accurate      INTEGER,"
  "  damaged_pieces      INTEGER NOT NULL DEFAULT 0,"
  "  short_pieces        INTEGER NOT NULL DEFAULT 0,"
  "  incident            INTEGER NOT NULL DEFAULT 0,"
  "  revision            INTEGER NOT NULL DEFAULT 0,"
  "  updated_at          INTEGER NOT NULL,"
  "  revenue_minor       INTEGER,"
  "  currency            TEXT"
  ");"
  "INSERT INTO shipments_v6 (uuid, waybill, customer_ref, status, mode, origin_city, origin_region, dest_city, dest_region, "
  "  pieces, weight_g, volume_cm3, planned_pickup_at, picked_up_at, planned_delivery_at, delivered_at, documents_ok, "
  "  order_accurate, damaged_pieces, short_pieces, incident, revision, updated_at) "
  "  SELECT s.id, s.waybill, c.ref, s.status, s.mode, s.origin_city, s.origin_region, s.dest_city, s.dest_region, "
  "  s.pieces, s.weight_g, s.volume_cm3, s.planned_pickup_at, s.picked_up_at, s.planned_delivery_at, s.delivered_at, s.documents_ok, "
  "  s.order_accurate, s.damaged_pieces, s.short_pieces, s.incident, s.revision, s.updated_at "
  "  FROM shipments s JOIN customers c ON c.id = s.customer_id ORDER BY s.rowid;"
  "DROP TABLE shipments;"
  "ALTER TABLE shipments_v6 RENAME TO shipments;"
  "CREATE UNIQUE INDEX shipments_uuid ON shipments(uuid) WHERE uuid IS NOT NULL;"
  "CREATE INDEX shipments_customer ON shipments(customer_ref, planned_pickup_at);"
  "ALTER TABLE rollup_month ADD COLUMN revenue_minor INTEGER NOT NULL DEFAULT 0;"
  "ALTER TABLE rollup_month_region ADD COLUMN revenue_minor INTEGER NOT NULL DEFAULT 0;"
  "CREATE TABLE rollup_month_mode ("
  "  month              INTEGER NOT NULL,"
  "  customer_id        TEXT NOT NULL REFERENCES customers(id),"
  "  mode               TEXT NOT NULL,"   /* '' when the shipment names none */
  "  shipments          INTEGER NOT NULL DEFAULT 0,"
  "  weight_g           INTEGER NOT NULL DEFAULT 0,"
  "  revenue_minor      INTEGER NOT NULL DEFAULT 0,"
  "  revenue_shipments  INTEGER NOT NULL DEFAULT 0,"
  "  other_currency     INTEGER NOT NULL DEFAULT 0,"
  "  delivered          INTEGER NOT NULL DEFAULT 0,"
  "  delivered_on_time  INTEGER NOT NULL DEFAULT 0,"
  "  transit_0 INTEGER NOT NULL DEFAULT 0," "  transit_1 INTEGER NOT NULL DEFAULT 0," "  transit_2 INTEGER NOT NULL DEFAULT 0," "  transit_3 INTEGER NOT NULL DEFAULT 0," "  transit_4 INTEGER NOT NULL DEFAULT 0," "  transit_5 INTEGER NOT NULL DEFAULT 0," "  transit_6 INTEGER NOT NULL DEFAULT 0," "  transit_7 INTEGER NOT NULL DEFAULT 0," "  transit_8 INTEGER NOT NULL DEFAULT 0," "  transit_9 INTEGER NOT NULL DEFAULT 0," "  transit_10 INTEGER NOT NULL DEFAULT 0," "  transit_11 INTEGER NOT NULL DEFAULT 0," "  transit_12 INTEGER NOT NULL DEFAULT 0," "  transit_13 INTEGER NOT NULL DEFAULT 0," "  transit_14 INTEGER NOT NULL DEFAULT 0," "  transit_15 INTEGER NOT NULL DEFAULT 0," "  transit_16 INTEGER NOT NULL DEFAULT 0," "  transit_17 INTEGER NOT NULL DEFAULT 0," "  transit_18 INTEGER NOT NULL DEFAULT 0," "  transit_19 INTEGER NOT NULL DEFAULT 0," "  transit_20 INTEGER NOT NULL DEFAULT 0," "  transit_21 INTEGER NOT NULL DEFAULT 0," "  transit_22 INTEGER NOT NULL DEFAULT 0," "  transit_23 INTEGER NOT NULL DEFAULT 0," "  transit_24 INTEGER NOT NULL DEFAULT 0," "  transit_25 INTEGER NOT NULL DEFAULT 0," "  transit_26 INTEGER NOT NULL DEFAULT 0," "  transit_27 INTEGER NOT NULL DEFAULT 0," "  transit_28 INTEGER NOT NULL DEFAULT 0," "  transit_29 INTEGER NOT NULL DEFAULT 0," "  transit_30 INTEGER NOT NULL DEFAULT 0," "  transit_31 INTEGER NOT NULL DEFAULT 0,"
  "  PRIMARY KEY (month, customer_id, mode)"
  ") WITHOUT ROWID;"
  "CREATE INDEX rollup_month_mode_customer ON rollup_month_mode(customer_id, month);"
  /* The portfolio's sums of rollup_month and rollup_month_region (every
   * customer; customer_id is always ''), so a portfolio report reads a
   * row a month instead of one per customer. */
  "CREATE TABLE rollup_portfolio_month ("
  "  customer_id TEXT NOT NULL DEFAULT '',"
  "  month       INTEGER NOT NULL,"
  "  shipments INTEGER NOT NULL DEFAULT 0,"
  "  pieces INTEGER NOT NULL DEFAULT 0,"
  "  weight_g INTEGER NOT NULL DEFAULT 0,"
  "  volume_cm3 INTEGER NOT NULL DEFAULT 0,"
  "  dispatched INTEGER NOT NULL DEFAULT 0,"
  "  dispatched_on_time INTEGER NOT NULL DEFAULT 0,"
  "  delivered INTEGER NOT NULL DEFAULT 0,"
  "  delivered_on_time INTEGER NOT NULL DEFAULT 0,"
  "  delivered_pieces INTEGER NOT NULL DEFAULT 0,"
  "  damaged_pieces INTEGER NOT NULL DEFAULT 0,"
  "  short_pieces INTEGER NOT NULL DEFAULT 0,"
  "  damage_incidents INTEGER NOT NULL DEFAULT 0,"
  "  shortage_incidents INTEGER NOT NULL DEFAULT 0,"
  "  incidents INTEGER NOT NULL DEFAULT 0,"
  "  docs_known INTEGER NOT NULL DEFAULT 0,"
  "  docs_ok INTEGER NOT NULL DEFAULT 0,"
  "  order_known INTEGER NOT NULL DEFAULT 0,"
  "  order_ok INTEGER NOT NULL DEFAULT 0,"
  "  otif INTEGER NOT NULL DEFAULT 0,"
  "  revenue_minor INTEGER NOT NULL DEFAULT 0,"
  "  PRIMARY KEY (customer_id, month)"
  ") WITHOUT ROWID;"
  "CREATE TABLE rollup_portfolio_region ("
  "  customer_id TEXT NOT NULL DEFAULT '',"
  "  month       INTEGER NOT NULL,"
  "  side        TEXT NOT NULL CHECK (side IN ('origin', 'dest')),"
  "  region      TEXT NOT NULL,"
  "  shipments INTEGER NOT NULL DEFAULT 0,"
  "  pieces INTEGER NOT NULL DEFAULT 0,"
  "  weight_g INTEGER NOT NULL DEFAULT 0,"
  "  volume_cm3 INTEGER NOT NULL DEFAULT 0,"
  "  dispatched INTEGER NOT NULL DEFAULT 0,"
  "  dispatched_on_time INTEGER NOT NULL DEFAULT 0,"
  "  delivered INTEGER NOT NULL DEFAULT 0,"
  "  delivered_on_time INTEGER NOT NULL DEFAULT 0,"
  "  delivered_pieces INTEGER NOT NULL DEFAULT 0,"
  "  damaged_pieces INTEGER NOT NULL DEFAULT 0,"
  "  short_pieces INTEGER NOT NULL DEFAULT 0,"
  "  damage_incidents INTEGER NOT NULL DEFAULT 0,"
  "  shortage_incidents INTEGER NOT NULL DEFAULT 0,"
  "  incidents INTEGER NOT NULL DEFAULT 0,"
  "  docs_known INTEGER NOT NULL DEFAULT 0,"
  "  docs_ok INTEGER NOT NULL DEFAULT 0,"
  "  order_known INTEGER NOT NULL DEFAULT 0,"
  "  order_ok INTEGER NOT NULL DEFAULT 0,"
  "  otif INTEGER NOT NULL DEFAULT 0,"
  "  revenue_minor INTEGER NOT NULL DEFAULT 0,"
  "  PRIMARY KEY (customer_id, side, month, region)"
  ") WITHOUT ROWID;";
/* Where service effort goes (docs/analysis.md). Reserved as step 8 (6 and
 * 7 belong to other work and come before it when merged): the account
 * class set by hand (A–D), the history of relationship stage and status
 * changes kept by triggers so every writer records them, and
 * importance–performance surveys. */
static const char migration_analysis[] =
  "ALTER TABLE customers ADD COLUMN class_override TEXT"
  "  CHECK (class_override IS NULL OR class_override IN ('A', 'B', 'C', 'D'));"
  "CREATE TABLE customer_stage_history ("
  "  seq         INTEGER PRIMARY KEY AUTOINCREMENT,"
  "  customer_id TEXT NOT NULL REFERENCES customers(id) ON DELETE CASCADE,"
  "  at          INTEGER NOT NULL,"
  "  field       TEXT NOT NULL CHECK (field IN ('relationship', 'status')),"
  "  old_value   TEXT,"
  "  new_value   TEXT NOT NULL,"
  "  reason      TEXT"
  ");"
  "CREATE INDEX customer_stage_history_customer ON customer_stage_history(customer_id, at);"
  "CREATE INDEX customer_stage_history_at ON customer_stage_history(field, new_value, at);"
  /* what is known today: each customer's stage and status as of its last change */
  "INSERT INTO customer_stage_history (customer_id, at, field, old_value, new_value, reason) "
  "  SELECT id, updated_at, 'relationship', NULL, relationship, NULL FROM customers;"
  "INSERT INTO customer_stage_history (customer_id, at, field, old_value, new_value, reason) "
  "  SELECT id, CASE WHEN status = 'lost' AND lost_date IS NOT NULL"
  "                  THEN CAST(strftime('%s', lost_date) AS INTEGER) ELSE updated_at END,"
  "         'status', NULL, status, CASE WHEN status = 'lost' THEN lost_reason END FROM customers;"
  "CREATE TRIGGER customer_stage_insert AFTER INSERT ON customers BEGIN"
  "  INSERT INTO customer_stage_history (customer_id, at, field, old_value, new_value)"
  "    VALUES (new.id, new.updated_at, 'relationship', NULL, new.relationship);"
  "  INSERT INTO customer_stage_history (customer_id, at, field, old_value, new_value, reason)"
  "    VALUES (new.id, new.updated_at, 'status', NULL, new.status,"
  "            CASE WHEN new.status = 'lost' THEN new.lost_reason END);"
  "END;"
  "CREATE TRIGGER customer_stage_relationship AFTER UPDATE OF relationship ON customers"
  "  WHEN old.relationship IS NOT new.relationship BEGIN"
  "  INSERT INTO customer_stage_history (customer_id, at, field, old_value, new_value)"
  "    VALUES (new.id, max(new.updated_at, old.updated_at), 'relationship', old.relationship, new.relationship);"
  "END;"
  "CREATE TRIGGER customer_stage_status AFTER UPDATE OF status ON customers"
  "  WHEN old.status IS NOT new.status BEGIN"
  "  INSERT INTO customer_stage_history (customer_id, at, field, old_value, new_value, reason)"
  "    VALUES (new.id, max(new.updated_at, old.updated_at), 'status', old.status, new.status,"
  "            CASE WHEN new.status = 'lost' THEN new.lost_reason END);"
  "END;"
  "CREATE TABLE surveys ("
  "  id          TEXT PRIMARY KEY,"
  "  name        TEXT NOT NULL UNIQUE,"
  "  held_on     TEXT NOT NULL,"
  "  created_at  INTEGER NOT NULL"
  ");"
  "CREATE TABLE survey_customers ("
  "  survey_id   TEXT NOT NULL REFERENCES surveys(id) ON DELETE CASCADE,"
  "  customer_id TEXT NOT NULL REFERENCES customers(id) ON DELETE CASCADE,"
  "  PRIMARY KEY (survey_id, customer_id)"
  ") WITHOUT ROWID;"
  "CREATE TABLE survey_attributes ("
  "  id          INTEGER PRIMARY KEY,"
  "  survey_id   TEXT NOT NULL REFERENCES surveys(id) ON DELETE CASCADE,"
  "  position    INTEGER NOT NULL,"
  "  code        TEXT NOT NULL,"
  "  name_en     TEXT NOT NULL,"
  "  name_zh     TEXT NOT NULL,"
  "  UNIQUE (survey_id, code)"
  ");"
  "CREATE TABLE survey_companies ("
  "  id          INTEGER PRIMARY KEY,"
  "  survey_id   TEXT NOT NULL REFERENCES surveys(id) ON DELETE CASCADE,"
  "  position    INTEGER NOT NULL,"             /* 0 is ours */
  "  name        TEXT NOT NULL,"
  "  is_ours     INTEGER NOT NULL DEFAULT 0,"
  "  is_main     INTEGER NOT NULL DEFAULT 0,"
  "  UNIQUE (survey_id, name)"
  ");"
  "CREATE TABLE survey_respondents ("
  "  id          INTEGER PRIMARY KEY,"
  "  survey_id   TEXT NOT NULL REFERENCES surveys(id) ON DELETE CASCADE,"
  "  name        TEXT NOT NULL,"
  "  customer_id TEXT NOT NULL REFERENCES customers(id),"
  "  UNIQUE (survey_id, name)"
  ");"
  "CREATE TABLE survey_responses ("
  "  respondent_id INTEGER NOT NULL REFERENCES survey_respondents(id) ON DELETE CASCADE,"
  "  attribute_id  INTEGER NOT NULL REFERENCES survey_attributes(id) ON DELETE CASCADE,"
  "  importance    INTEGER CHECK (importance IS NULL OR importance BETWEEN 1 AND 7),"
  "  PRIMARY KEY (respondent_id, attribute_id)"
  ") WITHOUT ROWID;"
  "CREATE TABLE survey_ratings ("
  "  respondent_id INTEGER NOT NULL REFERENCES survey_respondents(id) ON DELETE CASCADE,"
  "  attribute_id  INTEGER NOT NULL REFERENCES survey_attributes(id) ON DELETE CASCADE,"
  "  company_id    INTEGER NOT NULL REFERENCES survey_companies(id) ON DELETE CASCADE,"
  "  performance   INTEGER NOT NULL CHECK (performance BETWEEN 1 AND 7),"
  "  PRIMARY KEY (respondent_id, attribute_id, company_id)"
  ") WITHOUT ROWID;";
/* Step 7, sync state: the server's copy of each synced customer and claim as last seen
 * (the base of a field-by-field merge) with its server id and revision;
 * conflicts and refused pushes waiting for the user;
 * the ids a full pull has returned so far. The outbox and cursors are
 * step 1's; shipments keep their server id in step 6's uuid. */
static const char migration_sync[] =
  "CREATE TABLE sync_records ("
  "  collection TEXT NOT NULL CHECK (collection IN ('customers', 'claims')),"
  "  local_id   TEXT NOT NULL,"
  "  server_id  TEXT NOT NULL,"
  "  revision   INTEGER NOT NULL,"
  "  base       TEXT NOT NULL,"
  "  PRIMARY KEY (collection, local_id)"
  ") WITHOUT ROWID;"
  "CREATE UNIQUE INDEX sync_records_server ON sync_records(collection, server_id);"
  "CREATE TABLE sync_conflicts ("
  "  collection TEXT NOT NULL,"
  "  local_id   TEXT NOT NULL,"
  "  reason     TEXT NOT NULL CHECK (reason IN ('conflict', 'gone', 'refused')),"
  "  detail     TEXT,"
  "  server     TEXT,"
  "  fields     TEXT NOT NULL DEFAULT '[]',"
  "  created_at INTEGER NOT NULL,"
  "  PRIMARY KEY (collection, local_id)"
  ") WITHOUT ROWID;"
  "CREATE TABLE sync_full_seen ("
  "  collection TEXT NOT NULL,"
  "  server_id  TEXT NOT NULL,"
  "  PRIMARY KEY (collection, server_id)"
  ") WITHOUT ROWID;";

/* Step 9, a re-import's comparison in one column: each shipment's
 * content hash (_kl_shipment_content_hash ()), written with the row by
 * every writer of the shipment store. A row from before (NULL) is compared
 * column by column. An UPDATE that leaves the hash as it was (a writer
 * that does not know it, such as the sqlite3 shell) clears it, so a stale
 * hash never passes a changed row for an unchanged one. */
static const char migration_content_hash[] =
  "ALTER TABLE shipments ADD COLUMN content_hash INTEGER;"
  "CREATE TRIGGER shipments_content_hash AFTER UPDATE ON shipments "
  "WHEN NEW.content_hash IS NOT NULL AND NEW.content_hash IS OLD.content_hash "
  "BEGIN UPDATE shipments SET content_hash = NULL WHERE id = NEW.id; END;";

/* Step 10, the customer index led by a bucket of the planned pickup time
 * (planned_pickup_at >> 21: 2^21 seconds, about 24 days): new shipments,
 * later than the stored ones, go into the newest buckets near the index's
 * end instead of to each customer's tail somewhere in it. A customer's
 * shipments are read bucket by bucket (SHIPMENT_CUSTOMER_SPAN_SQL in
 * kl-shipment-store-private.h). A workspace that lost the old index (dropped
 * by hand) gets the new one all the same. */
static const char migration_customer_buckets[] =
  "DROP INDEX IF EXISTS shipments_customer;"
  "CREATE INDEX shipments_customer ON shipments((planned_pickup_at >> 21), customer_ref, planned_pickup_at);";

static const struct {
  const char       *sql;
  KlMigrationFunc   func;
} migrations[] = {
  { migration_1, NULL },
  { migration_2, NULL },
  { migration_3, NULL },
  { migration_4, NULL },
  { migration_5, _kl_claim_history_migrate_5 },
  { migration_6, _kl_rollup_migrate_6 },
  { migration_sync, NULL },
  { migration_analysis, NULL },
  { migration_content_hash, NULL },
  { migration_customer_buckets, NULL },
};

int
kl_migrations_count (void)
{
  return G_N_ELEMENTS (migrations);
}

const char *
kl_migrations_get (int version)
{
  g_return_val_if_fail (version >= 1 && version <= (int) G_N_ELEMENTS (migrations), NULL);
  return migrations[version - 1].sql;
}

KlMigrationFunc
kl_migrations_get_func (int version)
{
  g_return_val_if_fail (version >= 1 && version <= (int) G_N_ELEMENTS (migrations), NULL);
  return migrations[version - 1].func;
}
