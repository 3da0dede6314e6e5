"""Meetings and action items: country rules, 2.6.1 default, action items page, API, scope."""

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from registry.blueprints.meetings import services
from registry.blueprints.meetings.models import Meeting
from registry.core.audit import AuditEvent
from registry.core.errors import Forbidden, ValidationFailed
from tests.fixtures.clock import TODAY

_n = iter(range(1, 10**6))


def meeting_data(**overrides):
    return {
        "type": "police_to_police",
        "title": f"Meeting {next(_n)}",
        "date": date(2026, 5, 1),
        "countries": ["KHM", "THA"],
        "participants_female": 5,
        "participants_male": 9,
        **overrides,
    }


def make_meeting(actor, **overrides):
    return services.create_meeting(actor, meeting_data(**overrides))


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"countries": ["KHM"]}, "countries"),
        ({"countries": ["KHM", "THA", "LAO"]}, "countries"),
        ({"type": "national_forum", "countries": ["KHM", "THA"]}, "countries"),
        ({"host_country": "IDN"}, "host_country"),
        ({"participants_female": -3}, "participants_female"),
        ({"title": ""}, "title"),
        ({"date": None}, "date"),
    ],
)
def test_meeting_rules(users, overrides, field):
    with pytest.raises(ValidationFailed) as caught:
        services.create_meeting(users["unodc"], meeting_data(**overrides))
    assert field in caught.value.errors


def test_police_to_police_message(users):
    with pytest.raises(ValidationFailed) as caught:
        services.create_meeting(users["unodc"], meeting_data(countries=["KHM"]))
    assert "exactly two countries" in caught.value.errors["countries"][0]


def test_counts_toward_2_6_1_defaults_by_type_and_can_change(users):
    assert make_meeting(users["unodc"]).counts_toward_2_6_1 is True
    assert (
        make_meeting(users["unodc"], type="national_forum", countries=["KHM"]).counts_toward_2_6_1
        is False
    )
    assert make_meeting(users["unodc"], counts_toward_2_6_1=False).counts_toward_2_6_1 is False


def test_participants_total_is_the_sum(users):
    meeting = make_meeting(users["unodc"], participants_other=2)
    assert meeting.participants_total == 16


def test_focal_point_must_take_part(users):
    with pytest.raises(Forbidden):
        make_meeting(users["focal_point"], countries=["IDN", "MYS"])


def test_action_item_owner_must_take_part(users):
    meeting = make_meeting(users["unodc"])
    with pytest.raises(ValidationFailed) as caught:
        services.add_action_item(
            users["unodc"], meeting, {"owner_country": "IDN", "description": "x"}
        )
    assert "owner_country" in caught.value.errors
    item = services.add_action_item(
        users["unodc"], meeting, {"owner_country": "THA", "description": "Share data"}
    )
    assert item.status == "open"


def test_action_items_page_orders_overdue_first_and_applies_scope(login, users):
    today = TODAY
    mine = make_meeting(users["unodc"], title="Own meeting")
    other = make_meeting(users["unodc"], countries=["IDN", "MYS"], title="Other meeting")
    services.add_action_item(
        users["unodc"],
        mine,
        {
            "owner_country": "KHM",
            "description": "Later task",
            "due_date": today + timedelta(days=30),
        },
    )
    services.add_action_item(
        users["unodc"],
        mine,
        {"owner_country": "THA", "description": "Late task", "due_date": today - timedelta(days=3)},
    )
    services.add_action_item(
        users["unodc"], other, {"owner_country": "IDN", "description": "Hidden task"}
    )
    page = login(users["focal_point"]).get("/meetings/action-items").get_data(as_text=True)
    assert page.index("Late task") < page.index("Later task")
    assert page.count("badge overdue") == 1 and "Hidden task" not in page
    owned = (
        login(users["focal_point"]).get("/meetings/action-items?owner=KHM").get_data(as_text=True)
    )
    assert "Later task" in owned and "Late task" not in owned


def test_page_create_and_other_country_404(login, users, session):
    browser = login(users["focal_point"])
    response = browser.post(
        "/meetings/new",
        data={
            "type": "police_to_police",
            "title": "KH-TH bilateral",
            "date": "2026-06-01",
            "countries": ["KHM", "THA"],
            "participants_female": 4,
            "participants_male": 6,
            "counts_toward_2_6_1": "default",
        },
    )
    assert response.status_code == 302
    assert session.scalars(sa.select(Meeting)).one().counts_toward_2_6_1 is True
    bad = browser.post(
        "/meetings/new",
        data={
            "type": "police_to_police",
            "title": "x",
            "date": "2026-06-01",
            "countries": ["KHM"],
            "counts_toward_2_6_1": "default",
        },
    )
    assert "exactly two countries" in bad.get_data(as_text=True)
    assert session.scalar(sa.select(sa.func.count(Meeting.id))) == 1
    other = make_meeting(users["unodc"], countries=["IDN", "MYS"])
    assert browser.get(f"/meetings/{other.id}").status_code == 404


def test_edit_conflict_and_audit(login, users, session):
    meeting = make_meeting(users["unodc"], title="Original")
    form = {
        "type": "police_to_police",
        "title": "Original",
        "date": "2026-05-01",
        "countries": ["KHM", "THA"],
        "counts_toward_2_6_1": "yes",
        "version": meeting.version,
    }
    assert (
        login(users["focal_point"])
        .post(
            f"/meetings/{meeting.id}/edit",
            data={**form, "outcomes": "Agreed SOP", "reason": "minutes"},
        )
        .status_code
        == 302
    )
    refused = login(users["unodc"]).post(
        f"/meetings/{meeting.id}/edit", data={**form, "outcomes": "Other", "reason": "x"}
    )
    assert "changed by" in refused.get_data(as_text=True)
    session.expire_all()
    assert session.get(Meeting, meeting.id).outcomes == "Agreed SOP"
    event = session.scalars(
        sa.select(AuditEvent).where(
            AuditEvent.object_type == "Meeting", AuditEvent.action == "update"
        )
    ).one()
    assert event.reason == "minutes"


def test_api_meetings_and_items(api, users, session):
    caller = api(users["focal_point"])
    created = caller.post(
        "/api/v1/meetings",
        json={
            "type": "ctu_heads",
            "title": "Heads of CTU",
            "date": "2026-07-01",
            "countries": ["KHM", "LAO", "THA"],
        },
    )
    assert created.status_code == 201 and created.get_json()["counts_toward_2_6_1"] is True
    meeting_id = created.get_json()["id"]
    bad = caller.post(
        "/api/v1/meetings",
        json={"type": "police_to_police", "title": "x", "date": "2026-07-01", "countries": ["KHM"]},
    )
    assert bad.status_code == 422 and "countries" in bad.get_json()["errors"]
    item = caller.post(
        f"/api/v1/meetings/{meeting_id}/action-items",
        json={"owner_country": "LAO", "description": "Send list"},
    )
    assert item.status_code == 201
    done = caller.patch(
        f"/api/v1/action-items/{item.get_json()['id']}",
        json={"status": "done", "reason": "sent", "version": item.get_json()["version"]},
    )
    assert done.status_code == 200 and done.get_json()["status"] == "done"
    other = make_meeting(users["unodc"], countries=["IDN", "MYS"])
    assert caller.get(f"/api/v1/meetings/{other.id}").status_code == 404
    assert caller.get("/api/v1/meetings").get_json()["total"] == 1
    assert api(users["auditor"]).post("/api/v1/meetings", json={}).status_code == 403
