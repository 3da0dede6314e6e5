"""MLA pages: create, list scope, detail scope, edit conflict, status form, analytics, CSV."""

import re
from datetime import date, timedelta

import sqlalchemy as sa

from registry.blueprints.mla.models import MlaRequest
from registry.core.audit import AuditEvent
from tests.mla.helpers import TODAY, make_request

FORM = {
    "reference": "KH-MLA-2026-900",
    "requesting_country": "KHM",
    "requested_country": "THA",
    "crime_type": "thb",
    "assistance_types": ["evidence", "bank_records"],
    "legal_basis": "asean_mlat",
    "channel": "central_authority",
    "urgency": "routine",
    "requesting_authority_id": "",
    "requested_authority_id": "",
    "summary": "",
}


def count(session):
    return session.scalar(sa.select(sa.func.count(MlaRequest.id)))


def test_focal_point_logs_request_and_sees_it_in_list(login, users, session):
    browser = login(users["focal_point"])
    response = browser.post("/mla/new", data={**FORM, "date_sent": "2026-11-01"})
    assert response.status_code == 302
    req = session.scalars(sa.select(MlaRequest)).one()
    assert (req.status, req.date_sent, req.assistance_types) == (
        "sent",
        date(2026, 11, 1),
        ["bank_records", "evidence"],
    )
    assert "KH-MLA-2026-900" in browser.get("/mla/").get_data(as_text=True)
    event = session.scalars(
        sa.select(AuditEvent).where(AuditEvent.object_type == "MlaRequest")
    ).one()
    assert event.actor_label == users["focal_point"].email and event.changes["reference"] == [
        None,
        "KH-MLA-2026-900",
    ]


def test_bad_form_shows_errors_and_saves_nothing(login, users, session):
    response = login(users["focal_point"]).post(
        "/mla/new", data={**FORM, "requested_country": "KHM", "assistance_types": []}
    )
    text = response.get_data(as_text=True)
    assert "must differ from the requesting one" in text and "Tick at least one type" in text
    assert count(session) == 0


def test_focal_point_of_other_countries_gets_refusal(login, users, session):
    response = login(users["focal_point"]).post(
        "/mla/new", data={**FORM, "requesting_country": "IDN", "requested_country": "MYS"}
    )
    assert "Your country must be the requesting or the requested country." in response.get_data(
        as_text=True
    )
    assert count(session) == 0


def test_other_countrys_request_is_invisible_to_focal_point(login, users, session):
    # Both answered, so the analytics tables below have a row for each request in scope.
    other = make_request(
        users["admin"],
        sent=date(2026, 5, 1),
        final=date(2026, 6, 1),
        requesting_country="IDN",
        requested_country="MYS",
        reference="ID-SECRET-1",
    )
    own = make_request(
        users["admin"], sent=date(2026, 5, 1), final=date(2026, 6, 1), reference="KH-OWN-1"
    )
    browser = login(users["focal_point"])
    for path in (f"/mla/{other.id}", f"/mla/{other.id}/edit"):
        assert browser.get(path).status_code == 404
    assert (
        browser.post(
            f"/mla/{other.id}/status", data={"status": "received", "date": "2026-05-02"}
        ).status_code
        == 404
    )
    listing = browser.get("/mla/").get_data(as_text=True)
    assert "KH-OWN-1" in listing and "ID-SECRET-1" not in listing and "1 in all" in listing
    analytics = browser.get("/mla/analytics").get_data(as_text=True)
    pairs = analytics.split('id="turnaround-pair"')[1].split("</section>")[0]
    assert "<td>Cambodia</td><td>Thailand</td>" in pairs
    assert "Indonesia" not in pairs and "Malaysia" not in pairs
    # The 404s above are the scope at work, not broken pages: the own request opens.
    for path in (f"/mla/{own.id}", f"/mla/{own.id}/edit"):
        page = browser.get(path)
        assert page.status_code == 200 and "KH-OWN-1" in page.get_data(as_text=True)


def test_edit_conflict_refuses_second_save(login, users, session):
    req = make_request(users["admin"], sent=date(2026, 5, 1), reference="KH-EDIT-1")
    base = {**FORM, "reference": "KH-EDIT-1", "version": req.version}
    first = login(users["focal_point"]).post(
        f"/mla/{req.id}/edit", data={**base, "summary": "first", "reason": "add summary"}
    )
    assert first.status_code == 302
    second = login(users["admin"]).post(
        f"/mla/{req.id}/edit", data={**base, "summary": "second", "reason": "other"}
    )
    assert f"changed by {users['focal_point'].email}" in second.get_data(as_text=True)
    session.expire_all()
    assert session.get(MlaRequest, req.id).summary == "first"


def test_edit_needs_reason_and_audits_before_after(login, users, session):
    req = make_request(users["admin"], sent=date(2026, 5, 1), reference="KH-EDIT-2")
    browser = login(users["focal_point"])
    data = {**FORM, "reference": "KH-EDIT-2", "version": req.version, "urgency": "urgent"}
    assert "Say why" in browser.post(f"/mla/{req.id}/edit", data=data).get_data(as_text=True)
    browser.post(f"/mla/{req.id}/edit", data={**data, "reason": "court date moved"})
    event = session.scalars(
        sa.select(AuditEvent).where(
            AuditEvent.object_type == "MlaRequest", AuditEvent.action == "update"
        )
    ).one()
    assert event.changes["urgency"] == ["routine", "urgent"] and event.reason == "court date moved"


def test_status_form_records_and_refuses(login, users, session):
    req = make_request(users["admin"], sent=date(2026, 5, 1))
    browser = login(users["unodc"])
    bad = browser.post(f"/mla/{req.id}/status", data={"status": "received", "date": "2026-04-01"})
    assert bad.status_code == 422 and "The date cannot be before" in bad.get_data(as_text=True)
    ok = browser.post(
        f"/mla/{req.id}/status",
        data={"status": "received", "date": "2026-05-03", "note": "by courier"},
    )
    assert ok.status_code == 302
    page = browser.get(f"/mla/{req.id}").get_data(as_text=True)
    assert "2026-05-03" in page and "by courier" in page


def test_overdue_badge_and_filter(login, users, session, app):
    make_request(users["admin"], sent=TODAY - timedelta(days=120), reference="KH-OLD")
    make_request(users["admin"], sent=TODAY - timedelta(days=10), reference="KH-NEW")
    browser = login(users["unodc"])
    listing = browser.get("/mla/").get_data(as_text=True)
    assert listing.index("KH-OLD") < listing.index("KH-NEW")  # oldest pending first
    assert listing.count("badge overdue") == 1
    overdue = browser.get("/mla/?overdue=1").get_data(as_text=True)
    assert "KH-OLD" in overdue and "KH-NEW" not in overdue


def test_csv_export_matches_page_and_is_audited(login, users, session):
    admin = users["admin"]
    for days in (10, 20, 30):
        make_request(admin, sent=date(2025, 1, 1), final=date(2025, 1, 1) + timedelta(days=days))
    browser = login(users["unodc"])
    csv_text = browser.get("/mla/analytics.csv?group_by=pair").get_data(as_text=True)
    # The columns it always had, then the words for the codes.
    assert csv_text.splitlines() == [
        "requesting_country,requested_country,count,median_days,p90_days,"
        "requesting_country_label,requested_country_label",
        "KHM,THA,3,20.0,28.0,Cambodia,Thailand",
    ]
    assert (
        session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "export"))
        .one()
        .actor_label
        == users["unodc"].email
    )
    assert browser.get("/mla/analytics.csv?group_by=nonsense").status_code == 400


def test_official_sees_no_case_level_pages(login, users, session):
    req = make_request(
        users["admin"],
        sent=date(2026, 5, 1),
        requesting_country="THA",
        requested_country="KHM",
        reference="TH-CASE-LEVEL-1",
    )
    browser = login(users["official"])  # an official of Thailand, a party to the request
    for path in (
        "/mla/",
        f"/mla/{req.id}",
        "/mla/export.csv",
        "/mla/export.xlsx",
        "/mla/analytics",
        "/mla/analytics.csv",
    ):
        assert browser.get(path).status_code == 403, path
    home = browser.get("/dashboard/")
    assert home.status_code == 200 and "TH-CASE-LEVEL-1" not in home.get_data(as_text=True)


def test_list_exports_follow_filters_and_scope(login, users, session):
    make_request(users["admin"], sent=date(2026, 5, 1), reference="KH-EXPORT")
    make_request(
        users["admin"],
        sent=date(2026, 5, 1),
        requesting_country="IDN",
        requested_country="MYS",
        reference="ID-EXPORT",
    )
    browser = login(users["focal_point"])
    text = browser.get("/mla/export.csv").get_data(as_text=True)
    assert "KH-EXPORT" in text and "ID-EXPORT" not in text
    assert browser.get("/mla/export.xlsx").data[:2] == b"PK"
    unodc = login(users["unodc"]).get("/mla/export.csv?country=IDN").get_data(as_text=True)
    assert "ID-EXPORT" in unodc and "KH-EXPORT" not in unodc
    assert (
        session.scalar(
            sa.select(sa.func.count()).select_from(AuditEvent).where(AuditEvent.action == "export")
        )
        == 3
    )


def test_timeline_lists_the_changes_by_date(login, users, session):
    from datetime import timedelta

    from registry.blueprints.mla import services as mla_services
    from tests.mla.helpers import TODAY, make_request

    req = make_request(users["admin"])  # a draft, typed today
    sent = TODAY - timedelta(days=11)  # sent on a day before the draft was typed
    mla_services.record_status(users["admin"], req, "sent", sent, today=TODAY)
    session.commit()
    html = login(users["admin"]).get(f"/mla/{req.id}").get_data(as_text=True)
    timeline = html[html.index('<ol class="timeline">') :]
    days = re.findall(r"<strong>(\d{4}-\d\d-\d\d)</strong>", timeline)
    assert days == sorted(days) and days[0] == sent.isoformat()
