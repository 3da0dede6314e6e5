"""Every export of the registry, as every role that may take it, prints victim counts 1 to 4 as
"<5", and 0 and 5 as themselves (docs/architecture.md §4).

The exports are found, not listed: every page route whose path ends in .csv or .xlsx (the
app's URL map; a blank import template excepted), /api/v1/exports and `flask export` for every
importable kind (the importer registry). A new export is walked without editing this file.
Each file is read back (csv or openpyxl) and every victim cell checked: a column named
"victims..." or, in a row about identified victims, its total, female and male."""

import csv
import io
import re
from datetime import timedelta

import openpyxl
import pytest

from registry import create_app
from registry.blueprints.imports.registry import IMPORTERS
from registry.blueprints.jits import services as jits
from registry.blueprints.prosecutions import services as prosecutions
from registry.core.roles import ROLES
from tests.fixtures.clock import TODAY
from tests.fixtures.records import OWN, Records
from tests.policy import POLICY, PUBLIC

FORMATS = ("csv", "xlsx")
FORMAT_ARGUMENT = re.compile(r"<any\(([^)]*)\):(\w+)>")


def _page_exports():
    """(endpoint, rule, {format argument: format} or {}) for each page download of records."""
    app = create_app({"DATABASE_URL": "sqlite://", "TESTING": True})
    found = []
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if "GET" not in rule.methods or rule.rule.startswith("/api/"):
            continue
        if rule.endpoint.endswith(".template"):  # the column names of an import, no record
            continue
        choice = FORMAT_ARGUMENT.search(rule.rule)
        if choice:
            for fmt in (f.strip() for f in choice.group(1).split(",")):
                found.append((rule.endpoint, rule, {choice.group(2): fmt}))
        elif rule.rule.endswith(tuple(f".{f}" for f in FORMATS)):
            found.append((rule.endpoint, rule, {}))
    return found


PAGE_EXPORTS = _page_exports()

# A cell naming one of the test's records -> how its victim cells must print.
JIT_NAME = "Operation Victim Walk"
MARKERS = {
    JIT_NAME: {
        "victims_female_adult": "<5",  # 1
        "victims_male_adult": "<5",  # 4
        "victims_female_child": "5",
        "victims_male_child": "0",
    },
    "WALK-1": {"victims_identified": "<5"},
    "WALK-4": {"victims_identified": "<5"},
    "WALK-5": {"victims_identified": "5"},
    "WALK-0": {"victims_identified": "0"},
    "Walk survey 5": {"total": "5", "female": "<5", "male": "<5"},  # 5 = 4 women + 1 man
    "Walk survey 0": {"total": "0", "female": "0", "male": "0"},
}
# The columns that say an export holds a kind of victim count, and that kind's markers.
FAMILIES = {
    "jits": ({"name", "victims_female_adult"}, [JIT_NAME]),
    "cases": ({"reference", "victims_identified"}, ["WALK-1", "WALK-4", "WALK-5", "WALK-0"]),
    "statistics": ({"metric", "source", "total"}, ["Walk survey 5", "Walk survey 0"]),
}
SMALL = {"1", "2", "3", "4"}


@pytest.fixture
def victim_records(users):
    """Cambodian records holding victim counts 1, 4, 5 and 0 (so every reader role sees them)."""
    admin = users["admin"]
    jits.create_jit(
        admin,
        {
            "name": JIT_NAME,
            "type": "mixed",
            "member_countries": ["KHM", "THA"],
            "lead_country": "KHM",
            "legal_basis": "actip",
            "victims_female_adult": 1,
            "victims_male_adult": 4,
            "victims_female_child": 5,
            "victims_male_child": 0,
        },
    )
    for victims in (1, 4, 5, 0):
        case = prosecutions.create_case(
            admin,
            {
                "country": "KHM",
                "reference": f"WALK-{victims}",
                "crime_type": "thb",
                "stage": "investigation",
                "stage_date": TODAY - timedelta(days=10),
            },
            TODAY,
        )
        prosecutions.set_victim_count(
            admin,
            case,
            {"sex": "female", "age_group": "child", "nationality": "KHM", "count": victims},
        )
    for source, total, female, male in (("Walk survey 5", 5, 4, 1), ("Walk survey 0", 0, 0, 0)):
        prosecutions.save_statistic(
            admin,
            {
                "country": "KHM",
                "year": TODAY.year - 1,
                "metric": "victims_identified",
                "source": source,
                "total": total,
                "female": female,
                "male": male,
            },
        )


def read_table(data, fmt):
    """The file's rows as lists of strings (a number as its digits, an empty cell as "")."""
    if fmt == "csv":
        return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    sheet = openpyxl.load_workbook(io.BytesIO(data), read_only=True).active
    return [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]


def victim_cells(header, row):
    """{column: cell} of a row's victim counts."""
    cells = dict(zip(header, row, strict=False))
    victims = {c: v for c, v in cells.items() if c.startswith("victims")}
    if "victims_identified" in row:  # an annual statistic of identified victims
        victims |= {c: cells[c] for c in ("total", "female", "male") if c in cells}
    return victims


def check_export(name, data, fmt):
    """Check every victim cell of one file; return the families of victim counts it holds."""
    table = read_table(data, fmt)
    assert table, f"{name}: empty file"
    header, rows = table[0], table[1:]
    for row in rows:
        cells = victim_cells(header, row)
        assert not SMALL & set(cells.values()), f"{name}: {row}"
        for marker in set(row) & set(MARKERS):
            assert {c: cells.get(c) for c in MARKERS[marker]} == MARKERS[marker], (name, row)
    held = []
    for family, (columns, markers) in FAMILIES.items():
        if columns <= set(header):
            shown = {cell for row in rows for cell in row}
            assert set(markers) <= shown, f"{name}: the test's records are missing"
            held.append(family)
    return held


def roles_for(endpoint):
    access = POLICY[endpoint]
    return ROLES if access == PUBLIC else sorted(access)


@pytest.mark.parametrize("role", ROLES)
def test_every_export_prints_small_victim_counts_as_under_five(
    role, users, victim_records, login, api, app, tmp_path
):
    user = users[role]
    records = Records(users)
    held = {}
    browser = login(user)
    for endpoint, rule, fmt_argument in PAGE_EXPORTS:
        if role not in roles_for(endpoint):
            continue
        others = [a for a in rule.arguments if a not in fmt_argument]
        values = records.url_values(others, OWN, role) | fmt_argument
        path = rule.build(values, append_unknown=False)[1]
        fmt = path.rsplit(".", 1)[1]
        response = browser.get(path)
        assert response.status_code == 200, (path, response.status_code)
        held[f"page {path}"] = check_export(path, response.data, fmt)
    caller = api(user)
    runner = app.test_cli_runner()
    for kind, importer in sorted(IMPORTERS.items()):
        for fmt in FORMATS:
            through_api = caller.get(f"/api/v1/exports?kind={kind}&format={fmt}")
            out = tmp_path / f"{kind}-{role}.{fmt}"
            cli = runner.invoke(args=["export", kind, str(out), "--as", user.email])
            if role not in importer.readers:
                assert through_api.status_code == 403 and cli.exit_code != 0
                continue
            assert through_api.status_code == 200 and cli.exit_code == 0, cli.output
            held[f"api {kind}.{fmt}"] = check_export(kind, through_api.data, fmt)
            held[f"cli {kind}.{fmt}"] = check_export(kind, out.read_bytes(), fmt)
    if role == "official":  # aggregates only: no export of records holds a victim count
        assert not any(held.values()) and held, held
        return
    # Not vacuous: each kind of victim count was met on a page, in the API and on the CLI.
    for family in FAMILIES:
        ways = {way.split(" ")[0] for way, families in held.items() if family in families}
        assert ways == {"page", "api", "cli"}, (family, ways)
