#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
# The Excel exports of keyline-cli, read back with openpyxl and compared with
# the JSON exports of the same data: the report (a month, a quarter, the
# portfolio, a Chinese customer's), the Portfolio list, the claims list and a
# survey. Numbers must be equal, formats right (0.0% for rates, #,##0 for
# counts, the currency's decimals for money), the header row bold and frozen.
# Usage: check-xlsx.py KEYLINE-CLI
import json
import math
import os
import pty
import shutil
import subprocess
import sys
import tempfile

try:
    import openpyxl
except ImportError:
    print("python3-openpyxl is not installed", file=sys.stderr)
    sys.exit(77)

cli = sys.argv[1]
tmp = tempfile.mkdtemp(prefix="keyline-xlsx-")
workspace = os.path.join(tmp, "workspace.db")
env = dict(os.environ, KEYLINE_WORKSPACE=workspace)
failures = []

RATES = ["dispatch_on_time_rate", "arrival_on_time_rate", "document_accuracy_rate",
         "order_accuracy_rate", "damage_rate", "shortage_rate", "incident_rate", "otif_rate"]
COUNTS = ["shipments", "pieces", "weight_kg", "volume_m3", "dispatched", "delivered",
          "damaged_pieces", "short_pieces", "damage_incidents", "shortage_incidents", "incidents"]
INTEGER_COUNTS = [c for c in COUNTS if c not in ("weight_kg", "volume_m3")]


def fail(what):
    failures.append(what)
    print("FAIL: " + what, file=sys.stderr)


def run(*args, check=True):
    p = subprocess.run([cli, *args], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if check and p.returncode != 0:
        raise SystemExit(f"keyline-cli {' '.join(args)} exited {p.returncode}: {p.stderr.decode()}")
    return p


def run_json(*args):
    return json.loads(run(*args, "--format", "json").stdout)


def export(name, *args):
    path = os.path.join(tmp, name)
    run(*args, "--format", "xlsx", "-o", path)
    if not os.path.exists(path):
        fail(f"{name}: no file written")
    return openpyxl.load_workbook(path)


def same_number(where, cell, expected, number_format=None):
    """A number cell holding expected (None: an empty cell)."""
    if expected is None:
        if cell.value is not None:
            fail(f"{where}: {cell.value!r} where the JSON has null")
        return
    if not isinstance(cell.value, (int, float)) or isinstance(cell.value, bool):
        fail(f"{where}: {cell.value!r} is not a number (JSON: {expected!r})")
        return
    if not math.isclose(cell.value, expected, rel_tol=1e-12, abs_tol=1e-12):
        fail(f"{where}: {cell.value!r} != {expected!r}")
    if number_format is not None and cell.number_format != number_format:
        fail(f"{where}: format {cell.number_format!r}, not {number_format!r}")


def check_sheet_basics(name, ws):
    if ws.freeze_panes != "A2":
        fail(f"{name}/{ws.title}: header not frozen (freeze_panes {ws.freeze_panes!r})")
    for cell in ws[1]:
        if cell.value is not None and not cell.font.bold:
            fail(f"{name}/{ws.title}: header {cell.value!r} is not bold")
    if len(ws.title) > 31 or any(c in ws.title for c in "[]:*?/\\"):
        fail(f"{name}: sheet name {ws.title!r} is not valid in Excel")
    widths = [ws.column_dimensions[openpyxl.utils.get_column_letter(i + 1)].width for i in range(ws.max_column)]
    if any(w is None or w < 5 for w in widths):
        fail(f"{name}/{ws.title}: column widths not set: {widths}")


def count_format(key):
    return {"weight_kg": "#,##0.0", "volume_m3": "#,##0.000"}.get(key, "#,##0")


def check_figures_row(where, cells, figures):
    for i, key in enumerate(COUNTS):
        same_number(f"{where} {key}", cells[i], figures[key], count_format(key))
    for i, key in enumerate(RATES):
        same_number(f"{where} {key}", cells[len(COUNTS) + i], figures[key], "0.0%")


def check_report(name, args, chinese=False):
    data = run_json("report", *args)
    wb = export(name, "report", *args)
    titles = wb.sheetnames
    for ws in wb.worksheets:
        check_sheet_basics(name, ws)
    expected = 6 + (1 if data["by_month"] else 0)
    if len(titles) != expected:
        fail(f"{name}: {len(titles)} sheets {titles}, expected {expected}")
        return
    if chinese and not any(ord(ch) > 0x3000 for t in titles for ch in t):
        fail(f"{name}: sheet names are not in Chinese: {titles}")
    if not chinese and titles[0] != "Report":
        fail(f"{name}: the first sheet is {titles[0]!r}, not Report")

    report = wb.worksheets[0]
    values = [row[1].value for row in report.iter_rows(min_row=2)]
    if data["customer"] is not None:
        if values[0] != data["customer"]["code"] or values[1] != data["customer"]["name"]:
            fail(f"{name}: customer {values[:2]} != {data['customer']}")
    if data["period"]["label"] not in values or data["period"]["start"] not in values \
            or data["period"]["end"] not in values or data["timezone"] not in values:
        fail(f"{name}: the Report sheet lacks the period or time zone: {values}")

    figures = wb.worksheets[1]
    rows = list(figures.iter_rows(min_row=2))
    if len(rows) != len(COUNTS) + len(RATES):
        fail(f"{name}: Figures has {len(rows)} rows")
        return
    for i, key in enumerate(COUNTS + RATES):
        fmt = "0.0%" if key in RATES else count_format(key)
        same_number(f"{name} figures {key}", rows[i][1], data["figures"][key], fmt)
        same_number(f"{name} previous {key}", rows[i][2], data["previous"][key], fmt)
        same_number(f"{name} year ago {key}", rows[i][3], data["year_ago"][key], fmt)
    for i, key in enumerate(RATES):
        row = rows[len(COUNTS) + i]
        target = data["targets"].get(key)
        same_number(f"{name} target {key}", row[6], target["target"] if target else None, "0.0%")
        same_number(f"{name} variance {key}", row[8], target["variance_pp"] if target else None)

    sheet = 2
    for section in (["by_month"] if data["by_month"] else []) + ["by_destination_region", "by_origin_region"]:
        ws = wb.worksheets[sheet]
        sheet += 1
        rows = list(ws.iter_rows(min_row=2))
        if len(rows) != len(data[section]):
            fail(f"{name}: {ws.title} has {len(rows)} rows, JSON {section} {len(data[section])}")
            continue
        for row, expected_row in zip(rows, data[section]):
            key = expected_row.get("month", expected_row.get("region"))
            if key and row[0].value != key:
                fail(f"{name}: {ws.title} row {row[0].value!r} != {key!r}")
            check_figures_row(f"{name} {section} {key}", row[1:], expected_row)

    seasons = wb.worksheets[sheet]
    peaks = [r[0].value for r in seasons.iter_rows(min_row=2) if r[2].value is not None and r[2].value in ("Peak", "旺季")]
    if sorted(peaks) != sorted(data["peak_months"]):
        fail(f"{name}: peak months {peaks} != {data['peak_months']}")
    claims = wb.worksheets[sheet + 1]
    rows = list(claims.iter_rows(min_row=2))
    for i, key in enumerate(["opened", "closed", "open_at_end", "overdue_at_end"]):
        same_number(f"{name} claims {key}", rows[i][1], data["claims"][key], "#,##0")
    same_number(f"{name} claims mean days", rows[4][1], data["claims"]["mean_days_to_close"])
    money = {r[0].value: r[1] for r in rows[5:]}
    for kind in ("claimed", "settled"):
        for currency, minor in data["claims"][kind].items():
            matches = [cell for label, cell in money.items() if label.endswith(f"({currency})")]
            if not matches:
                fail(f"{name}: no {kind} {currency} row")
    return data


run("demo", "--customers", "8", "--years", "2", "--last-month", "2026-10")

check_report("month.xlsx", ["--customer", "C0001", "--period", "2026-10"])
check_report("quarter.xlsx", ["--customer", "C0002", "--period", "2026-Q3"])
check_report("portfolio.xlsx", ["--portfolio", "--period", "2026", "--language", "en"])
# A Chinese customer's report: Chinese sheet names and text.
customers = run_json("customers", "list")
chinese = [c for c in customers if any(ord(ch) > 0x3000 for ch in c["name"])]
if chinese:
    check_report("chinese.xlsx", ["--customer", chinese[0]["code"], "--period", "2026-10",
                                  "--language", "zh_CN"], chinese=True)
else:
    fail("the demo workspace has no customer with a Chinese name")

# The Portfolio list.
portfolio = run_json("portfolio", "--month", "2026-10")
wb = export("list.xlsx", "portfolio", "--month", "2026-10")
ws = wb.worksheets[0]
check_sheet_basics("list.xlsx", ws)
rows = list(ws.iter_rows(min_row=2))
if len(rows) != len(portfolio) or not portfolio:
    fail(f"list.xlsx: {len(rows)} rows, JSON {len(portfolio)}")
for row, account in zip(rows, portfolio):
    where = f"list.xlsx {account['code']}"
    same_number(where + " rank", row[0], account["rank"], "#,##0")
    if row[1].value != account["code"] or row[2].value != account["name"]:
        fail(f"{where}: {row[1].value!r} {row[2].value!r}")
    same_number(where + " shipments", row[7], account["shipments"], "#,##0")
    same_number(where + " trend", row[8], account["volume_trend"], "0.0%")
    same_number(where + " misses", row[9], account["sla_misses"], "#,##0")
    for i, key in enumerate(RATES):
        same_number(f"{where} {key}", row[11 + i], account["rates"][key], "0.0%")
    same_number(where + " open", row[11 + len(RATES)], account["open_claims"], "#,##0")
    same_number(where + " overdue", row[12 + len(RATES)], account["overdue_claims"], "#,##0")

# The claims list.
claims = run_json("claims", "list")
wb = export("claims.xlsx", "claims", "list")
ws = wb.worksheets[0]
check_sheet_basics("claims.xlsx", ws)
rows = list(ws.iter_rows(min_row=2))
if len(rows) != len(claims) or not claims:
    fail(f"claims.xlsx: {len(rows)} rows, JSON {len(claims)}")
money_seen = 0
for row, claim in zip(rows, claims):
    where = f"claims.xlsx {claim['number']}"
    if row[0].value != claim["number"] or row[1].value != claim["customer_code"]:
        fail(f"{where}: {row[0].value!r} {row[1].value!r}")
    for col, key in ((7, "claimed"), (8, "approved"), (9, "paid")):
        amount = claim[key]
        if amount is None:
            same_number(f"{where} {key}", row[col], None)
            continue
        decimals = 0 if amount["currency"] in ("JPY", "KRW") else 2
        fmt = "#,##0" if decimals == 0 else "#,##0." + "0" * decimals
        same_number(f"{where} {key}", row[col], amount["amount_minor"] / 10 ** decimals, fmt)
        money_seen += 1
    if claim["filed_at"] is not None:
        filed = row[10].value
        if filed is None or filed.strftime("%Y-%m-%dT%H:%M") != claim["filed_at"][:16]:
            fail(f"{where}: filed {filed!r} != {claim['filed_at']}")
if money_seen == 0:
    fail("claims.xlsx: no amounts compared")

# A survey.
surveys = run_json("survey", "list")
if not surveys:
    fail("the demo workspace has no survey")
else:
    name = surveys[-1]["survey"]
    data = json.loads(run("survey", "report", name, "--format", "json").stdout)
    wb = export("survey.xlsx", "survey", "report", name, "--language", "en")
    for ws in wb.worksheets:
        check_sheet_basics("survey.xlsx", ws)
    results = list(wb.worksheets[0].iter_rows(min_row=2))
    companies = data["companies"]
    if len(results) != len(data["attributes"]):
        fail(f"survey.xlsx: {len(results)} results, JSON {len(data['attributes'])}")
    for row, attribute in zip(results, data["attributes"]):
        where = f"survey.xlsx {attribute['attribute']}"
        if row[0].value != attribute["attribute"] or row[1].value != attribute["name"]["en"]:
            fail(f"{where}: {row[0].value!r} {row[1].value!r}")
        same_number(where + " n", row[2], attribute["n"], "#,##0")
        same_number(where + " importance", row[3], attribute["importance"]["mean"], "0.00")
        same_number(where + " importance sd", row[4], attribute["importance"]["sd"], "0.00")
        for c, company in enumerate(companies):
            perf = attribute["performance"][company]
            same_number(f"{where} {company} mean", row[5 + 3 * c], perf["mean"], "0.00")
            same_number(f"{where} {company} sd", row[6 + 3 * c], perf["sd"], "0.00")
            same_number(f"{where} {company} n", row[7 + 3 * c], perf["n"], "#,##0")
        col = 5 + 3 * len(companies)
        same_number(where + " relative", row[col], attribute["relative"], "0.00")
        same_number(where + " p", row[col + 1], attribute["p"], "0.0000")
    responses = list(wb.worksheets[1].iter_rows(min_row=2))
    total = sum(a["n"] for a in data["attributes"])
    given = sum(1 for r in responses if r[3].value is not None)
    if given != total:
        fail(f"survey.xlsx: {given} importance ratings in Responses, the results count {total}")

# Not to a terminal; to stdout when it is a file.
primary, secondary = pty.openpty()
p = subprocess.run([cli, "claims", "list", "--format", "xlsx"], env=env, stdout=secondary,
                   stderr=subprocess.PIPE)
os.close(primary)
os.close(secondary)
if p.returncode != 64 or b"-o FILE" not in p.stderr:
    fail(f"xlsx to a terminal: exit {p.returncode}, {p.stderr!r}")
with open(os.path.join(tmp, "piped.xlsx"), "wb") as out:
    p = subprocess.run([cli, "report", "--customer", "C0001", "--period", "2026-10", "--format", "xlsx"],
                       env=env, stdout=out, stderr=subprocess.PIPE)
if p.returncode != 0:
    fail(f"xlsx to a file on stdout: exit {p.returncode}, {p.stderr!r}")
else:
    wb = openpyxl.load_workbook(os.path.join(tmp, "piped.xlsx"))
    if wb.sheetnames[0] != "Report":
        fail(f"piped.xlsx: sheets {wb.sheetnames}")
# A folder that is not there: exit 73, nothing left behind.
p = run("report", "--customer", "C0001", "--period", "2026-10", "--format", "xlsx",
        "-o", os.path.join(tmp, "missing", "r.xlsx"), check=False)
lines = p.stderr.decode().splitlines()
if p.returncode != 73 or len(lines) != 1 or not lines[0].startswith("keyline-cli: ") or "r.xlsx" not in lines[0]:
    fail(f"xlsx into a missing folder: exit {p.returncode}, not one line of error: {p.stderr!r}")
if os.path.exists(os.path.join(tmp, "missing")):
    fail("xlsx into a missing folder made the folder")

if failures:
    print(f"{len(failures)} failures; files kept in {tmp}", file=sys.stderr)
    sys.exit(1)
shutil.rmtree(tmp)
print("all Excel exports match their JSON")
