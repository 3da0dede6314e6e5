"""Joint investigation teams: country rules, lifecycle, extensions, pages, API, scope, locking."""

from datetime import date

import pytest
import sqlalchemy as sa

from registry.blueprints.jits import services
from registry.blueprints.jits.models import Jit
from registry.core.audit import AuditEvent
from registry.core.errors import Forbidden, ValidationFailed
from tests.jits.helpers import jit_data, make_jit
from tests.mla.helpers import make_request


def count(session):
    return session.scalar(sa.select(sa.func.count(Jit.id)))


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"member_countries": ["KHM"]}, "member_countries"),
        ({"member_countries": []}, "member_countries"),
        ({"lead_country": "IDN"}, "lead_country"),
        ({"type": "secret"}, "type"),
        ({"member_countries": ["KHM", "XXX"]}, "member_countries"),
        ({"agreement_signed": date(2026, 1, 1), "planned_end": date(2025, 1, 1)}, "planned_end"),
        ({"arrests": -1}, "arrests"),
        ({"assets_value": "12.5"}, "assets_currency"),
    ],
)
def test_bad_teams_are_refused_with_the_field_named(users, overrides, field):
    with pytest.raises(ValidationFailed) as caught:
        services.create_jit(users["admin"], jit_data(**overrides))
    assert field in caught.value.errors


def test_one_member_message_is_clear(users):
    with pytest.raises(ValidationFailed) as caught:
        services.create_jit(users["admin"], jit_data(member_countries=["KHM", "KHM"]))
    assert "two or more member countries" in caught.value.errors["member_countries"][0]


def test_focal_point_must_be_a_member(users):
    with pytest.raises(Forbidden):
        services.create_jit(
            users["focal_point"], jit_data(member_countries=["IDN", "MYS"], lead_country="IDN")
        )
    jit = services.create_jit(
        users["focal_point"], jit_data(member_countries=["THA", "KHM", "LAO"], lead_country="THA")
    )
    assert jit.member_countries == ["KHM", "LAO", "THA"]


def test_signed_team_is_established_and_lifecycle_is_enforced(users):
    admin = users["admin"]
    jit = make_jit(admin, agreement_signed=date(2026, 2, 1), planned_end=date(2027, 2, 1))
    assert jit.status == "established"
    services.change_status(admin, jit, "active")
    with pytest.raises(ValidationFailed):
        services.change_status(admin, jit, "proposed")
    services.change_status(admin, jit, "suspended")
    services.change_status(admin, jit, "active")
    services.change_status(admin, jit, "concluded")
    with pytest.raises(ValidationFailed, match="not changed"):
        services.change_status(admin, jit, "active")


def test_established_needs_agreement_date(users):
    jit = make_jit(users["admin"])
    assert jit.status == "proposed"
    with pytest.raises(ValidationFailed) as caught:
        services.change_status(users["admin"], jit, "established")
    assert "agreement was signed" in caught.value.errors["status"][0]


def test_extension_rules(users):
    admin = users["admin"]
    jit = make_jit(admin, agreement_signed=date(2026, 1, 1), planned_end=date(2026, 12, 31))
    with pytest.raises(ValidationFailed) as caught:
        services.add_extension(admin, jit, {"date": date(2026, 6, 1), "new_end": date(2026, 12, 1)})
    assert "after the current end" in caught.value.errors["new_end"][0]
    with pytest.raises(ValidationFailed):
        services.add_extension(admin, jit, {"date": date(2025, 6, 1), "new_end": date(2027, 6, 1)})
    services.add_extension(admin, jit, {"date": date(2026, 11, 1), "new_end": date(2027, 6, 30)})
    assert jit.current_end == date(2027, 6, 30)


def test_page_create_scope_and_audit(login, users, session):
    browser = login(users["focal_point"])
    response = browser.post(
        "/jits/new",
        data={
            "name": "Operation Mekong",
            "type": "mixed",
            "member_countries": ["KHM", "THA"],
            "lead_country": "THA",
            "legal_basis": "actip",
            "agreement_signed": "2026-03-01",
        },
    )
    assert response.status_code == 302
    jit = session.scalars(sa.select(Jit)).one()
    assert jit.status == "established" and jit.member_countries == ["KHM", "THA"]
    event = session.scalars(
        sa.select(AuditEvent).where(AuditEvent.object_type == "Jit", AuditEvent.action == "create")
    ).one()
    assert event.changes["name"] == [None, "Operation Mekong"]
    other = make_jit(
        users["admin"], member_countries=["IDN", "MYS"], lead_country="IDN", name="Operation Hidden"
    )
    assert browser.get(f"/jits/{other.id}").status_code == 404
    assert browser.get(f"/jits/{other.id}/edit").status_code == 404
    listing = browser.get("/jits/").get_data(as_text=True)
    assert "Operation Mekong" in listing and "Operation Hidden" not in listing


def test_page_refuses_single_member_and_saves_nothing(login, users, session):
    response = login(users["focal_point"]).post(
        "/jits/new",
        data={
            "name": "Solo",
            "type": "mixed",
            "member_countries": ["KHM"],
            "lead_country": "KHM",
            "legal_basis": "actip",
        },
    )
    assert "two or more member countries" in response.get_data(as_text=True)
    assert count(session) == 0


def test_edit_conflict(login, users, session):
    jit = make_jit(users["admin"], name="Operation Locked")
    form = {
        "name": "Operation Locked",
        "type": "mixed",
        "member_countries": ["KHM", "THA"],
        "lead_country": "KHM",
        "legal_basis": "actip",
        "version": jit.version,
    }
    assert (
        login(users["focal_point"])
        .post(f"/jits/{jit.id}/edit", data={**form, "arrests": 3, "reason": "update"})
        .status_code
        == 302
    )
    refused = login(users["admin"]).post(
        f"/jits/{jit.id}/edit", data={**form, "arrests": 9, "reason": "late"}
    )
    assert f"changed by {users['focal_point'].email}" in refused.get_data(as_text=True)
    session.expire_all()
    assert session.get(Jit, jit.id).arrests == 3


def test_links_to_mla_requests_only_within_scope(users):
    mine = make_request(users["admin"], sent=date(2026, 1, 5))
    theirs = make_request(
        users["admin"], sent=date(2026, 1, 5), requesting_country="IDN", requested_country="MYS"
    )
    with pytest.raises(ValidationFailed) as caught:
        services.create_jit(users["focal_point"], jit_data(mla_request_ids=[theirs.id]))
    assert "mla_request_ids" in caught.value.errors
    jit = services.create_jit(users["focal_point"], jit_data(mla_request_ids=[mine.id]))
    assert [r.id for r in jit.mla_requests] == [mine.id]


def test_mla_detail_lists_the_teams_that_cite_it(users, login):
    request = make_request(users["admin"], sent=date(2026, 1, 5))
    services.create_jit(
        users["admin"], jit_data(name="Operation Citing", mla_request_ids=[request.id])
    )
    assert "Operation Citing" in login(users["unodc"]).get(f"/mla/{request.id}").get_data(
        as_text=True
    )


def test_api_create_list_and_scope(api, users, session):
    caller = api(users["focal_point"])
    created = caller.post("/api/v1/jits", json={**jit_data(), "agreement_signed": "2026-04-01"})
    assert created.status_code == 201 and created.get_json()["status"] == "established"
    bad = caller.post("/api/v1/jits", json=jit_data(member_countries=["KHM"]))
    assert bad.status_code == 422 and "member_countries" in bad.get_json()["errors"]
    other = make_jit(users["admin"], member_countries=["IDN", "MYS"], lead_country="IDN")
    assert caller.get(f"/api/v1/jits/{other.id}").status_code == 404
    assert (
        caller.patch(f"/api/v1/jits/{other.id}", json={"arrests": 1, "reason": "x"}).status_code
        == 404
    )
    assert caller.get("/api/v1/jits").get_json()["total"] == 1
    assert api(users["unodc"]).post("/api/v1/jits", json=jit_data()).status_code == 403
    assert api(users["official"]).get("/api/v1/jits").status_code == 403
    assert count(session) == 2


def test_api_patch_moves_status_with_reason(api, users):
    jit = make_jit(users["admin"], agreement_signed=date(2026, 1, 1))
    caller = api(users["focal_point"])
    response = caller.patch(
        f"/api/v1/jits/{jit.id}",
        json={"status": "active", "reason": "operations began", "version": jit.version},
    )
    assert response.status_code == 200 and response.get_json()["status"] == "active"
    stale = caller.patch(f"/api/v1/jits/{jit.id}", json={"arrests": 2, "reason": "x", "version": 1})
    assert stale.status_code == 409
