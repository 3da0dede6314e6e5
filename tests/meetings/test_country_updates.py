"""Country updates for a meeting: one row per participating country, own country only, lock on
submit, reopening with a reason, UNODC on a country's behalf, drafts never leave."""

from datetime import date

import sqlalchemy as sa

from registry.blueprints.meetings import updates
from registry.blueprints.meetings.models import CountryUpdate
from registry.core.audit import AuditEvent
from tests.factories import UserFactory
from tests.meetings.test_meetings import make_meeting

TEXT = {
    "successes": "Two networks dismantled",
    "challenges": "Digital evidence",
    "next_steps": "SOP",
}


def somtc(users):
    return make_meeting(
        users["unodc"],
        type="somtc",
        title="SOMTC 26",
        date=date(2026, 12, 1),
        countries=["KHM", "LAO", "THA"],
    )


def count(session):
    return session.scalar(sa.select(sa.func.count(CountryUpdate.id)))


def test_tracker_has_a_row_per_country_missing_until_written(api, users, session):
    meeting = somtc(users)
    session.commit()
    caller = api(users["focal_point"])
    rows = caller.get(f"/api/v1/meetings/{meeting.id}/country-updates").get_json()
    assert [(r["country"], r["status"]) for r in rows] == [
        ("KHM", "missing"),
        ("LAO", "missing"),
        ("THA", "missing"),
    ]
    saved = caller.post(f"/api/v1/meetings/{meeting.id}/country-updates", json=TEXT)
    assert saved.status_code == 200 and saved.get_json()["status"] == "draft"
    rows = caller.get(f"/api/v1/meetings/{meeting.id}/country-updates").get_json()
    assert [r["status"] for r in rows] == ["draft", "missing", "missing"]
    assert rows[0]["update"]["successes"] == "Two networks dismantled"


def test_focal_point_writes_only_own_country(api, users, session):
    meeting = somtc(users)
    session.commit()
    refused = api(users["focal_point"]).post(
        f"/api/v1/meetings/{meeting.id}/country-updates", json={**TEXT, "country": "THA"}
    )
    assert refused.status_code == 403 and count(session) == 0
    outside = make_meeting(users["unodc"], countries=["IDN", "MYS"])
    session.commit()
    assert (
        api(users["focal_point"])
        .post(f"/api/v1/meetings/{outside.id}/country-updates", json=TEXT)
        .status_code
        == 404
    )
    assert (
        api(users["auditor"])
        .post(f"/api/v1/meetings/{meeting.id}/country-updates", json=TEXT)
        .status_code
        == 403
    )


def test_other_countrys_text_is_outside_a_focal_points_scope(api, users, session):
    meeting = somtc(users)
    thai = UserFactory(role="focal_point", country_code="THA")
    updates.save(thai, meeting, {**TEXT, "successes": "Thai text", "status": "submitted"})
    session.commit()
    rows = api(users["focal_point"]).get(f"/api/v1/meetings/{meeting.id}/country-updates")
    thai_row = rows.get_json()[2]
    assert thai_row["status"] == "submitted" and thai_row["update"] is None
    assert "Thai text" not in rows.get_data(as_text=True)
    regional = api(users["unodc"]).get(f"/api/v1/meetings/{meeting.id}/country-updates")
    assert regional.get_json()[2]["update"]["successes"] == "Thai text"


def test_bad_input_is_a_clear_422_and_saves_nothing(api, users, session):
    meeting = somtc(users)
    session.commit()
    caller = api(users["focal_point"])
    path = f"/api/v1/meetings/{meeting.id}/country-updates"
    too_long = caller.post(path, json={**TEXT, "successes": "x" * 4001})
    assert too_long.status_code == 422 and "successes" in too_long.get_json()["errors"]
    empty = caller.post(path, json={"status": "submitted", "successes": "Only this"})
    assert empty.status_code == 422
    assert set(empty.get_json()["errors"]) == {"challenges", "next_steps"}
    assert caller.post(path, json={**TEXT, "status": "final"}).status_code == 422
    assert count(session) == 0


def test_unodc_enters_on_behalf_with_a_reason(api, users, session):
    meeting = somtc(users)
    session.commit()
    caller = api(users["unodc"])
    path = f"/api/v1/meetings/{meeting.id}/country-updates"
    no_reason = caller.post(path, json={**TEXT, "country": "LAO"})
    assert no_reason.status_code == 422 and "on_behalf_reason" in no_reason.get_json()["errors"]
    not_there = caller.post(path, json={**TEXT, "country": "IDN", "on_behalf_reason": "mail"})
    assert not_there.status_code == 422 and "country" in not_there.get_json()["errors"]
    assert count(session) == 0
    saved = caller.post(path, json={**TEXT, "country": "LAO", "on_behalf_reason": "sent by mail"})
    assert saved.status_code == 200 and saved.get_json()["on_behalf_reason"] == "sent by mail"
    event = session.scalars(
        sa.select(AuditEvent).where(AuditEvent.object_type == "CountryUpdate")
    ).one()
    assert event.action == "create" and event.reason == "sent by mail"


def test_submitted_is_locked_audited_and_reopened_with_a_reason(api, users, session):
    meeting = somtc(users)
    session.commit()
    caller = api(users["focal_point"])
    path = f"/api/v1/meetings/{meeting.id}/country-updates"
    submitted = caller.post(path, json={**TEXT, "status": "submitted"}).get_json()
    assert submitted["status"] == "submitted" and submitted["submitted_at"]
    locked = caller.post(path, json={**TEXT, "successes": "Changed", "version": 1})
    assert locked.status_code == 409
    no_reason = caller.post(f"{path}/reopen", json={"country": "KHM", "reason": ""})
    assert no_reason.status_code == 422
    reopened = caller.post(f"{path}/reopen", json={"country": "KHM", "reason": "figure wrong"})
    assert reopened.status_code == 200 and reopened.get_json()["status"] == "draft"
    stale = caller.post(path, json={**TEXT, "version": submitted["version"]})
    assert stale.status_code == 409
    changed = caller.post(
        path,
        json={**TEXT, "successes": "Three networks", "version": reopened.get_json()["version"]},
    )
    assert changed.status_code == 200 and changed.get_json()["successes"] == "Three networks"
    reasons = session.scalars(
        sa.select(AuditEvent.reason).where(
            AuditEvent.object_type == "CountryUpdate", AuditEvent.action == "update"
        )
    ).all()
    assert "figure wrong" in reasons


def test_only_submitted_updates_leave_for_briefs(users, session):
    meeting = somtc(users)
    updates.save(users["focal_point"], meeting, {**TEXT, "status": "draft"})
    thai = UserFactory(role="focal_point", country_code="THA")
    updates.save(thai, meeting, {**TEXT, "status": "submitted"})
    assert list(updates.submitted(users["unodc"], meeting, ["KHM", "LAO", "THA"])) == ["THA"]
    assert list(updates.submitted(users["focal_point"], meeting, ["KHM", "LAO", "THA"])) == []


def test_tracker_page_and_form(login, users, session):
    meeting = somtc(users)
    session.commit()
    browser = login(users["focal_point"])
    page = browser.get(f"/meetings/{meeting.id}/updates").get_data(as_text=True)
    assert page.count("status-missing") == 3
    bad = browser.post(f"/meetings/{meeting.id}/updates", data={"status": "submitted"})
    assert bad.status_code == 422 and "before submitting" in bad.get_data(as_text=True)
    assert count(session) == 0
    done = browser.post(f"/meetings/{meeting.id}/updates", data={**TEXT, "status": "submitted"})
    assert done.status_code == 302
    page = browser.get(f"/meetings/{meeting.id}/updates").get_data(as_text=True)
    assert "status-submitted" in page and "Reopen" in page and "Two networks dismantled" in page
    assert (
        login(users["auditor"]).post(f"/meetings/{meeting.id}/updates", data=TEXT).status_code
        == 403
    )
