"""The multi-row path for new records gives the same records, refusals and audit as the
services one row at a time."""

from datetime import date

import sqlalchemy as sa

from registry.blueprints.imports.registry import IMPORTERS
from registry.blueprints.mla import services
from registry.blueprints.mla.models import MlaRequest
from registry.core import importer
from registry.core.audit import AuditEvent
from tests.imports.test_imports import BAD, GOOD, MLA_HEADER

ROWS = [MLA_HEADER, *GOOD]
DRAFT = ["KH-IMP-6", "KHM", "THA", "thb", "asean_mlat", "evidence", "", "", "", "", ""]
BACKWARDS = ["KH-IMP-7", "KHM", "THA", "thb", "asean_mlat", "evidence", "2025-03-01"]
BACKWARDS += ["2025-02-01", "", "", ""]


def snapshot(session, reference):
    req = session.scalars(sa.select(MlaRequest).where(MlaRequest.reference == reference)).one()
    return {
        "columns": {
            c: getattr(req, c)
            for c in (
                "requesting_country",
                "requested_country",
                "crime_type",
                "legal_basis",
                "channel",
                "urgency",
                "summary",
                "status",
                "date_sent",
                "final_date",
            )
        },
        "assistance": req.assistance_types,
        "history": [(c.status, c.date, c.ground) for c in req.history],
        "turnaround": req.turnaround_days,
    }


def one_at_a_time(actor, rows, monkeypatch):
    """The same rows through the services alone (the importer without its multi-row path)."""
    mla = IMPORTERS["mla"]
    monkeypatch.setattr(type(mla), "plan", None)
    return importer.run(actor, mla, rows, save=True)


def test_bulk_rows_equal_the_services_rows(users, session, monkeypatch):
    admin = users["admin"]
    report = importer.run(admin, IMPORTERS["mla"], [*ROWS, DRAFT], save=True)
    assert report.count("created") == 3
    bulk = {ref: snapshot(session, ref) for ref in ("KH-IMP-1", "KH-IMP-2", "KH-IMP-6")}
    session.execute(sa.delete(MlaRequest.__table__))
    session.expire_all()
    assert one_at_a_time(admin, [*ROWS, DRAFT], monkeypatch).count("created") == 3
    assert {ref: snapshot(session, ref) for ref in bulk} == bulk
    assert bulk["KH-IMP-1"]["history"] == [
        ("sent", date(2025, 1, 10), None),
        ("received", date(2025, 1, 20), None),
        ("executed", date(2025, 4, 1), None),
    ]
    assert bulk["KH-IMP-2"]["history"][-1] == ("refused", date(2025, 3, 1), "dual_criminality")


def test_bulk_refusals_use_the_services_messages(users, session, monkeypatch):
    focal = users["focal_point"]
    rows = [MLA_HEADER, *BAD, BACKWARDS]
    bulk = importer.run(focal, IMPORTERS["mla"], rows)
    services_only = one_at_a_time(focal, rows, monkeypatch)
    assert [(r.line, r.errors) for r in bulk.refused] == [
        (r.line, r.errors) for r in services_only.refused
    ]
    messages = [m for r in bulk.refused for _, m in r.errors]
    assert "The date cannot be before the previous change (2025-03-01)." in messages
    assert len(bulk.refused) == 4


def test_every_created_request_is_audited_with_its_values(users, session):
    importer.run(users["focal_point"], IMPORTERS["mla"], ROWS, save=True)
    events = session.scalars(
        sa.select(AuditEvent).where(
            AuditEvent.object_type == "MlaRequest", AuditEvent.action == "create"
        )
    ).all()
    ids = set(session.scalars(sa.select(MlaRequest.id)))
    assert {int(e.object_id) for e in events} == ids and len(events) == 2
    event = next(e for e in events if e.changes["reference"][1] == "KH-IMP-1")
    assert event.actor_label == users["focal_point"].email and event.reason == "bulk import"
    assert event.changes["history"] == [
        None,
        [["sent", "2025-01-10"], ["received", "2025-01-20"], ["executed", "2025-04-01"]],
    ]


def test_a_reference_twice_in_a_file_is_refused_on_the_second_line(users, session):
    report = importer.run(users["admin"], IMPORTERS["mla"], [*ROWS, GOOD[0]], save=True)
    assert report.refused[0].line == 4
    assert report.refused[0].errors == [
        ("", "The same record is on line 2: keep one row per record.")
    ]
    assert session.scalar(sa.select(sa.func.count()).select_from(MlaRequest)) == 2


def test_a_request_created_meanwhile_is_reported_not_lost(users, session, monkeypatch):
    """Another user saves the same reference between the file's check and its writing: the
    database refuses the batch, and the rows are then applied one by one to say which."""
    admin = users["admin"]
    mla = IMPORTERS["mla"]
    services.create_request(
        admin,
        {
            "reference": "KH-IMP-1",
            "requesting_country": "KHM",
            "requested_country": "THA",
            "crime_type": "thb",
            "legal_basis": "asean_mlat",
            "channel": "central_authority",
            "assistance_types": ["evidence"],
        },
    )
    monkeypatch.setattr(type(mla), "load", lambda self, user, keys: {})
    report = importer.run(admin, mla, ROWS, save=True)
    assert report.count("created") == 1
    assert report.refused[0].errors == [
        ("reference", "Another request from KHM already has this reference.")
    ]
    assert session.scalar(sa.select(sa.func.count()).select_from(MlaRequest)) == 2


CASE_HEADER = ["country", "reference", "crime_type", "stage", "stage_date", "exploitation_forms"]
CASE_HEADER += ["cyber_enabled", "investigation_started", "prosecution_started"]
CASES = [
    ["KHM", "KH-B-1", "thb", "investigation", "2025-01-05", "forced_criminality", "yes", "", ""],
    ["khm", "KH-B-2", "som", "verdict", "2025-03-05", "", "no", "2024-06-01", ""],
    [*["KHM", "KH-B-3", "thb", "prosecution", "2025-02-05"], "forced_labour;sexual_exploitation"]
    + ["", "", ""],
    ["THA", "TH-B-4", "thb", "investigation", "2025-01-05", "", "", "", ""],
    ["KHM", "KH-B-5", "related", "investigation", "2099-01-05", "", "maybe", "", ""],
]


def case_snapshot(session):
    from registry.blueprints.prosecutions.models import ProsecutionCase

    return {
        (c.country, c.reference): (
            c.crime_type,
            c.stage,
            c.investigation_started,
            c.prosecution_started,
            c.verdict_date,
            c.cyber_enabled,
            c.exploitation_forms,
            [(s.stage, s.date) for s in c.stages],
        )
        for c in session.scalars(sa.select(ProsecutionCase))
    }


def test_bulk_cases_equal_the_services_cases(users, session, monkeypatch):
    from registry.blueprints.prosecutions.models import ProsecutionCase

    focal, cases = users["focal_point"], IMPORTERS["cases"]
    bulk = importer.run(focal, cases, [CASE_HEADER, *CASES], save=True)
    saved = case_snapshot(session)
    # Entered at its verdict: the investigation date given is kept, the prosecution's
    # unknown start stays unknown rather than being taken from the verdict.
    assert saved[("KHM", "KH-B-2")][1:5] == ("verdict", date(2024, 6, 1), None, date(2025, 3, 5))
    session.execute(sa.delete(ProsecutionCase.__table__))
    session.expire_all()
    monkeypatch.setattr(type(cases), "plan", None)
    services_only = importer.run(focal, cases, [CASE_HEADER, *CASES], save=True)
    assert case_snapshot(session) == saved and len(saved) == 3
    assert [(r.line, r.errors) for r in bulk.refused] == [
        (r.line, r.errors) for r in services_only.refused
    ]
    assert [m for r in bulk.refused for _, m in r.errors] == [
        "You can record cases of your own country only.",
        "Write yes or no.",
    ]


def test_reimporting_cases_in_any_form_order_changes_nothing(users, session):
    cases = IMPORTERS["cases"]
    importer.run(users["focal_point"], cases, [CASE_HEADER, *CASES[:3]], save=True)
    again = importer.run(users["focal_point"], cases, [CASE_HEADER, *CASES[:3]], save=True)
    assert again.count("unchanged") == 3


def test_rows_missing_their_key_are_refused_for_that_not_as_duplicates(users, session):
    header = ["country", "year", "metric", "source", "total"]
    rows = [["KHM", "2025", "persons_prosecuted", "", "4"]] * 2
    report = importer.run(users["unodc"], IMPORTERS["statistics"], [header, *rows])
    assert [r.errors[0][0] for r in report.refused] == ["source", "source"]
    cases = [["KHM", "", "thb", "investigation", "2025-01-05", "", ""]] * 2
    report = importer.run(users["unodc"], IMPORTERS["cases"], [CASE_HEADER, *cases])
    assert [r.errors[0][0] for r in report.refused] == ["reference", "reference"]
