"""Bulk import: dry run, valid rows only or all-or-nothing, re-import, round trip, refusals."""

import io
from datetime import date

import sqlalchemy as sa

from registry.blueprints.mla.models import MlaRequest
from registry.blueprints.prosecutions.models import AnnualStatistic
from tests.mla.helpers import make_request
from tests.training.helpers import csv_bytes

MLA_HEADER = [
    "reference",
    "requesting_country",
    "requested_country",
    "crime_type",
    "legal_basis",
    "assistance_types",
    "date_sent",
    "date_received",
    "final_status",
    "final_date",
    "refusal_ground",
]
GOOD = [
    [
        "KH-IMP-1",
        "KHM",
        "THA",
        "thb",
        "asean_mlat",
        "evidence;bank_records",
        "2025-01-10",
        "2025-01-20",
        "executed",
        "2025-04-01",
        "",
    ],
    [
        "KH-IMP-2",
        "THA",
        "KHM",
        "som",
        "untoc",
        "witness_statement",
        "2025-02-01",
        "",
        "refused",
        "2025-03-01",
        "dual_criminality",
    ],
]
BAD = [
    ["KH-IMP-3", "KHM", "KHM", "thb", "asean_mlat", "evidence", "2025-01-10", "", "", "", ""],
    ["ID-IMP-4", "IDN", "MYS", "thb", "asean_mlat", "evidence", "2025-01-10", "", "", "", ""],
    ["KH-IMP-5", "KHM", "THA", "thb", "asean_mlat", "evidence", "10/01/2025", "", "", "", ""],
]


def post(browser, kind, content, filename="data.csv", mode="dry_run", policy="valid_only"):
    return browser.post(
        f"/imports/{kind}",
        data={"file": (io.BytesIO(content), filename), "mode": mode, "policy": policy},
        content_type="multipart/form-data",
        follow_redirects=True,
    )


def count(session, model=MlaRequest):
    return session.scalar(sa.select(sa.func.count()).select_from(model))


def test_dry_run_reports_every_problem_and_saves_nothing(login, users, session):
    text = post(login(users["focal_point"]), "mla", csv_bytes(GOOD + BAD, MLA_HEADER)).get_data(
        as_text=True
    )
    assert (
        "Dry run: nothing was saved." in text
        and "2 would be created" in text
        and "3 refused" in text
    )
    for message in (
        "must differ from the requesting one",
        "Your country must be the requesting or the requested country",
        "is not a date (YYYY-MM-DD)",
    ):
        assert message in text
    assert count(session) == 0


def test_save_valid_rows_then_reimport_changes_nothing(login, users, session):
    browser = login(users["focal_point"])
    text = post(browser, "mla", csv_bytes(GOOD + BAD, MLA_HEADER), mode="save").get_data(
        as_text=True
    )
    assert "Saved." in text and count(session) == 2
    one = session.scalars(sa.select(MlaRequest).where(MlaRequest.reference == "KH-IMP-1")).one()
    assert (one.status, one.turnaround_days, [c.status for c in one.history]) == (
        "executed",
        81,
        ["sent", "received", "executed"],
    )
    again = post(browser, "mla", csv_bytes(GOOD, MLA_HEADER), mode="save").get_data(as_text=True)
    assert "2 unchanged" in again and count(session) == 2


def test_all_or_nothing_saves_nothing_when_a_row_fails(login, users, session):
    text = post(
        login(users["focal_point"]),
        "mla",
        csv_bytes(GOOD + BAD, MLA_HEADER),
        mode="save",
        policy="all_or_nothing",
    )
    assert "Nothing was saved because some rows have errors." in text.get_data(as_text=True)
    assert count(session) == 0


def test_export_then_import_is_a_round_trip(login, users, session):
    admin = users["admin"]
    make_request(
        admin,
        sent=date(2025, 5, 1),
        final=date(2025, 6, 1),
        reference="KH-RT-1",
        assistance_types=["evidence", "locate_persons"],
    )
    make_request(
        admin,
        sent=date(2025, 5, 1),
        final=date(2025, 7, 1),
        final_status="refused",
        reference="KH-RT-2",
    )
    make_request(admin, reference="KH-RT-3")
    browser = login(admin)
    exported = browser.get("/mla/export.xlsx").data
    text = post(browser, "mla", exported, filename="export.xlsx", mode="save").get_data(
        as_text=True
    )
    assert "3 unchanged" in text and count(session) == 3
    session.execute(sa.delete(MlaRequest.__table__))  # a fresh registry receiving the same file
    text = post(browser, "mla", exported, filename="export.xlsx", mode="save").get_data(
        as_text=True
    )
    assert "3 created" in text
    again = browser.get("/mla/export.csv").get_data(as_text=True)
    original = [line.split(",")[:16] for line in exported_csv_lines(browser)]
    assert sorted(line.split(",")[:16] for line in again.splitlines()[1:]) == sorted(original)


def exported_csv_lines(browser):
    return browser.get("/mla/export.csv").get_data(as_text=True).splitlines()[1:]


def test_statistics_round_trip_and_update_by_key(login, users, session):
    browser = login(users["unodc"])
    header = ["country", "year", "metric", "source", "total", "female", "male"]
    rows = [
        ["KHM", "2025", "persons_prosecuted", "Police", "40", "10", "30"],
        ["THA", "2025", "persons_convicted", "Courts", "22", "", ""],
    ]
    assert "2 created" in post(
        browser, "statistics", csv_bytes(rows, header), mode="save"
    ).get_data(as_text=True)
    exported = browser.get("/prosecutions/statistics.csv").data
    assert "2 unchanged" in post(browser, "statistics", exported, mode="save").get_data(
        as_text=True
    )
    rows[0][4] = "41"
    assert "1 updated" in post(
        browser, "statistics", csv_bytes(rows, header), mode="save"
    ).get_data(as_text=True)
    assert count(session, AnnualStatistic) == 2


def test_wrong_columns_oversized_and_broken_files_are_refused(
    app, login, users, session, monkeypatch
):
    browser = login(users["unodc"])
    assert "Missing columns" in post(
        browser, "mla", csv_bytes(GOOD, ["ref", "from", "to"])
    ).get_data(as_text=True)
    assert "Save the CSV file as UTF-8" in post(
        browser, "mla", "reference,crime\nKH-é,thb".encode("latin-1")
    ).get_data(as_text=True)
    monkeypatch.setitem(app.config, "IMPORT_MAX_BYTES", 100)
    assert "larger than 100 bytes" in post(browser, "mla", csv_bytes(GOOD, MLA_HEADER)).get_data(
        as_text=True
    )
    assert count(session) == 0
    assert login(users["auditor"]).get("/imports/").status_code == 403


def test_cli_dry_run_then_save(app, users, session, tmp_path):
    path = tmp_path / "mla.csv"
    path.write_bytes(csv_bytes(GOOD + BAD[:1], MLA_HEADER))
    runner = app.test_cli_runner()
    dry = runner.invoke(args=["import", "mla", str(path), "--as", users["admin"].email])
    assert (
        dry.exit_code == 0
        and "3 rows, not saved: created 2" in dry.output
        and "line 4 KHM KH-IMP-3" in dry.output
    )
    assert count(session) == 0
    saved = runner.invoke(args=["import", "mla", str(path), "--as", users["admin"].email, "--save"])
    assert "saved: created 2" in saved.output and count(session) == 2


def test_jit_round_trip_keeps_suppressed_victim_counts(login, users, session):
    from registry.blueprints.jits import services as jits
    from registry.blueprints.jits.models import Jit

    jits.create_jit(
        users["admin"],
        {
            "name": "Operation Round Trip",
            "type": "mixed",
            "member_countries": ["KHM", "THA"],
            "lead_country": "KHM",
            "legal_basis": "actip",
            "agreement_signed": date(2025, 3, 1),
            "victims_female_child": 3,
            "arrests": 7,
        },
    )
    browser = login(users["focal_point"])
    exported = browser.get("/jits/export.csv").get_data(as_text=True)
    assert ",<5," in exported and ",7," in exported
    report = post(browser, "jits", exported.encode(), mode="save").get_data(as_text=True)
    assert "1 unchanged" in report
    edited = exported.replace(",7,", ",9,")
    assert "1 updated" in post(browser, "jits", edited.encode(), mode="save").get_data(as_text=True)
    session.expire_all()
    jit = session.scalars(sa.select(Jit)).one()
    assert (jit.arrests, jit.victims_female_child) == (9, 3)
    new = exported.replace("Operation Round Trip", "Operation New").replace("KHM;THA", "KHM")
    assert "two or more member countries" in post(browser, "jits", new.encode()).get_data(
        as_text=True
    )


def test_cases_import_moves_stage_forward_and_round_trips(login, users, session):
    from registry.blueprints.prosecutions.models import ProsecutionCase

    browser = login(users["focal_point"])
    header = [
        "country",
        "reference",
        "crime_type",
        "stage",
        "stage_date",
        "exploitation_forms",
        "cyber_enabled",
    ]
    rows = [
        ["KHM", "KH-C-1", "thb", "investigation", "2025-01-05", "forced_criminality", "yes"],
        ["THA", "TH-C-2", "thb", "investigation", "2025-01-05", "", "no"],
        ["KHM", "KH-C-3", "related", "investigation", "2025-01-05", "", "maybe"],
    ]
    text = post(browser, "cases", csv_bytes(rows, header), mode="save").get_data(as_text=True)
    assert "1 created" in text and "own country only" in text and "Write yes or no." in text
    rows[0][3:5] = ["prosecution", "2025-04-01"]
    assert "1 updated" in post(browser, "cases", csv_bytes(rows[:1], header), mode="save").get_data(
        as_text=True
    )
    case = session.scalars(sa.select(ProsecutionCase)).one()
    assert (case.stage, case.prosecution_started, case.cyber_enabled) == (
        "prosecution",
        date(2025, 4, 1),
        True,
    )
    exported = browser.get("/prosecutions/cases.xlsx").data
    assert "1 unchanged" in post(
        browser, "cases", exported, filename="cases.xlsx", mode="save"
    ).get_data(as_text=True)


def test_meetings_round_trip_update_by_date_and_title_and_scope(login, users, session):
    from registry.blueprints.meetings.models import Meeting
    from tests.meetings.test_meetings import make_meeting

    make_meeting(users["admin"], title="Border liaison", host_country="KHM", topics="Routes")
    make_meeting(users["admin"], type="ctu_heads", countries=["KHM", "LAO", "VNM"], title="Heads")
    browser = login(users["focal_point"])
    exported = browser.get("/meetings/export.csv").get_data(as_text=True)
    assert exported.splitlines()[0].lstrip("\ufeff").startswith("date,title,type,countries")
    assert "2 unchanged" in post(browser, "meetings", exported.encode(), mode="save").get_data(
        as_text=True
    )
    session.execute(sa.delete(Meeting.__table__))
    assert "2 created" in post(browser, "meetings", exported.encode(), mode="save").get_data(
        as_text=True
    )
    assert browser.get("/meetings/export.csv").get_data(as_text=True) == exported
    edited = exported.replace(",Routes,", ",Routes and hubs,")
    assert "1 updated" in post(browser, "meetings", edited.encode(), mode="save").get_data(
        as_text=True
    )
    header = ["date", "title", "type", "countries", "counts_toward_2_6_1"]
    rows = [
        ["2026-03-01", "Other pair", "police_to_police", "IDN;MYS", ""],
        ["2026-03-02", "Bad flag", "police_to_police", "KHM;THA", "perhaps"],
        ["2026-03-03", "Three for a pair", "police_to_police", "KHM;THA;LAO", ""],
    ]
    text = post(browser, "meetings", csv_bytes(rows, header), mode="save").get_data(as_text=True)
    for message in (
        "Your country must take part in the meeting.",
        "Write yes or no.",
        "meeting has exactly two countries.",
    ):
        assert message in text
    assert count(session, Meeting) == 2
