"""The central-authority directory: who may change it, what it keeps, pages, API, demo."""

import random
import re

import pytest
import sqlalchemy as sa

from registry.blueprints.directory import demo, services
from registry.blueprints.directory.models import Authority, Requirement
from registry.blueprints.reference.data import ASEAN_MEMBERS
from registry.core.audit import AuditEvent
from registry.core.errors import Conflict, Forbidden, ValidationFailed
from tests.factories import UserFactory

AUTHORITY = {
    "role": "central_authority",
    "name": "ក្រសួងយុត្តិធម៌",
    "name_en": "Ministry of Justice",
    "address": "1 Example Street",
    "channel": "diplomatic",
    "languages": ["km", "en"],
    "contact": "ca@example.gov.kh",
}
BANK = {
    "must_contain": "Account numbers and the period.",
    "translation": "Khmer",
    "typical_days": 60,
}


def count(session, model):
    return session.scalar(sa.select(sa.func.count()).select_from(model))


@pytest.mark.parametrize(
    "role, country, code, allowed",
    [
        ("admin", None, "THA", True),
        ("unodc", None, "THA", True),
        ("focal_point", "KHM", "KHM", True),
        ("focal_point", "KHM", "THA", False),
        ("official", "THA", "THA", False),
        ("official", None, "THA", False),
        ("auditor", None, "KHM", False),
    ],
)
def test_who_may_change_a_countrys_entry(session, role, country, code, allowed):
    user = UserFactory(role=role, country_code=country)
    assert services.can_edit(user, code) is allowed


def test_focal_point_adds_an_authority_audited_with_who_and_when(users, login, session):
    browser = login(users["focal_point"])
    response = browser.post("/directory/KHM/authorities/new", data=AUTHORITY)
    assert response.status_code == 302
    authority = session.scalars(sa.select(Authority)).one()
    assert (authority.country_code, authority.languages, authority.updated_by_id) == (
        "KHM",
        "km,en",
        users["focal_point"].id,
    )
    event = session.scalars(
        sa.select(AuditEvent).where(AuditEvent.object_type == "Authority")
    ).one()
    assert (event.action, event.actor_id) == ("create", users["focal_point"].id)
    page = login(users["official"]).get("/directory/KHM").get_data(as_text=True)
    assert "ក្រសួងយុត្តិធម៌" in page and "Ministry of Justice" in page
    assert "ca@example.gov.kh" in page and f"by {users['focal_point'].email}" in page
    assert "Khmer, English" in page and "Diplomatic channel" in page


def test_bad_authority_input_is_refused_and_saves_nothing(users, login, api, session):
    browser = login(users["unodc"])
    no_name = browser.post("/directory/KHM/authorities/new", data={**AUTHORITY, "name": ""})
    assert no_name.status_code == 200 and "Enter the authority" in no_name.get_data(as_text=True)
    no_language = browser.post(
        "/directory/KHM/authorities/new", data={**AUTHORITY, "languages": []}
    )
    assert "Choose at least one language" in no_language.get_data(as_text=True)
    caller = api(users["unodc"])
    bad = caller.post(
        "/api/v1/authorities",
        json={**AUTHORITY, "country": "KHM", "channel": "fax", "languages": ["xx"]},
    )
    assert bad.status_code == 422 and {"channel", "languages"} <= set(bad.get_json()["errors"])
    assert (
        caller.post("/api/v1/authorities", json={**AUTHORITY, "country": "ZZZ"}).status_code == 422
    )
    assert count(session, Authority) == 0


def test_focal_point_cannot_write_another_countrys_entry(users, login, api, session):
    caller = api(users["focal_point"])
    response = caller.post("/api/v1/authorities", json={**AUTHORITY, "country": "THA"})
    assert response.status_code == 403
    response = caller.post(
        "/api/v1/requirements", json={**BANK, "country": "THA", "assistance_type": "bank_records"}
    )
    assert response.status_code == 403
    browser = login(users["focal_point"])
    assert browser.post("/directory/THA/authorities/new", data=AUTHORITY).status_code == 404
    assert count(session, Authority) + count(session, Requirement) == 0
    with pytest.raises(Forbidden):
        services.save_requirement(users["focal_point"], "THA", "bank_records", BANK)


def test_requirement_is_written_once_per_type_and_stale_saves_are_refused(users, api, session):
    caller = api(users["focal_point"])
    body = {**BANK, "country": "KHM", "assistance_type": "bank_records"}
    first = caller.post("/api/v1/requirements", json=body)
    assert first.status_code == 200, first.get_json()
    created = first.get_json()
    assert (created["version"], created["updated_by"]) == (1, users["focal_point"].email)
    second = caller.post(
        "/api/v1/requirements",
        json={**body, "typical_days": 45, "version": 1, "reason": "new circular"},
    )
    assert second.get_json()["typical_days"] == 45 and second.get_json()["version"] == 2
    stale = caller.post("/api/v1/requirements", json={**body, "typical_days": 10, "version": 1})
    assert stale.status_code == 409
    assert session.scalars(sa.select(Requirement)).one().typical_days == 45
    reasons = session.scalars(
        sa.select(AuditEvent.reason).where(AuditEvent.object_type == "Requirement")
    ).all()
    assert reasons == [None, "new circular"]
    bad = caller.post("/api/v1/requirements", json={**body, "must_contain": "", "typical_days": 0})
    assert bad.status_code == 422 and {"must_contain", "typical_days"} <= set(
        bad.get_json()["errors"]
    )
    with pytest.raises(ValidationFailed):
        services.save_requirement(users["admin"], "KHM", "bank_records", {"must_contain": " "})


def test_authority_edit_keeps_versions(users, api, session):
    authority = services.create_authority(users["admin"], "KHM", AUTHORITY)
    caller = api(users["focal_point"])
    ok = caller.patch(
        f"/api/v1/authorities/{authority.id}", json={"address": "2 Example Street", "version": 1}
    )
    assert ok.status_code == 200 and ok.get_json()["address"] == "2 Example Street"
    stale = caller.patch(f"/api/v1/authorities/{authority.id}", json={"address": "x", "version": 1})
    assert stale.status_code == 409
    session.refresh(authority)
    with pytest.raises(Conflict):
        services.update_authority(users["admin"], authority, {"notes": "y"}, expected_version=1)


def test_every_role_reads_the_directory_and_signed_out_sees_nothing(
    users, api, login, client, session
):
    services.create_authority(users["admin"], "THA", {**AUTHORITY, "contact": "ca@example.gov.th"})
    services.save_requirement(users["admin"], "THA", "witness_statement", BANK)
    for role in ("admin", "unodc", "focal_point", "official", "auditor"):
        body = api(users[role]).get("/api/v1/directory/THA").get_json()
        assert body["code"] == "THA" and body["authorities"][0]["contact"] == "ca@example.gov.th"
        assert [r["assistance_type"] for r in body["requirements"]] == ["witness_statement"]
        assert login(users[role]).get("/directory/").status_code == 200
    assert client.get("/directory/THA").status_code == 302  # to the sign-in page
    assert client.get("/api/v1/authorities").status_code == 401
    assert api(users["official"]).get("/api/v1/directory/ZZZ").status_code == 404


def test_page_forms_for_requirements(users, login, session):
    browser = login(users["focal_point"])
    form = browser.get("/directory/KHM/requirements?type=bank_records").get_data(as_text=True)
    assert "not described yet" in form
    saved = browser.post(
        "/directory/KHM/requirements",
        data={"assistance_type": "bank_records", "must_contain": "Accounts", "typical_days": "30"},
    )
    assert saved.status_code == 302
    refused = browser.post(
        "/directory/KHM/requirements",
        data={"assistance_type": "bank_records", "must_contain": "", "typical_days": "0"},
    )
    assert "Say what the request must contain" in refused.get_data(as_text=True)
    assert browser.get("/directory/KHM/requirements?type=spying").status_code == 400
    assert session.scalars(sa.select(Requirement)).one().must_contain == "Accounts"


def test_demo_answers_where_and_what_for_every_asean_member(users, login, session):
    demo.seed(random.Random(3), "small")
    assert demo.seed(random.Random(3), "small") == {"directory authorities": 0}
    central = session.execute(
        sa.select(Authority.country_code, Authority.contact).where(
            Authority.role == "central_authority"
        )
    ).all()
    assert sorted(code for code, _ in central) == sorted(ASEAN_MEMBERS)
    assert all(re.search(r"@example\.gov\.[a-z]{2}\b", contact) for _, contact in central)
    described = dict(
        session.execute(
            sa.select(Requirement.country_code, sa.func.count()).group_by(Requirement.country_code)
        ).all()
    )
    assert set(described) == set(ASEAN_MEMBERS) and min(described.values()) >= 3
    browser = login(users["official"])
    for code in ASEAN_MEMBERS:
        page = browser.get(f"/directory/{code}").get_data(as_text=True)
        assert "Where to send it" in page and "Must contain" in page, code


def test_mla_form_shows_the_requested_countrys_needs_without_script(users, login, session):
    services.create_authority(users["admin"], "THA", {**AUTHORITY, "name_en": "Thai OAG"})
    services.save_requirement(users["admin"], "THA", "bank_records", BANK)
    browser = login(users["focal_point"])
    page = browser.post(
        "/mla/new",
        data={
            "reference": "KH-NEEDS-1",
            "requesting_country": "KHM",
            "requested_country": "THA",
            "assistance_types": ["bank_records", "witness_statement"],
            "show_needs": "1",
        },
    )
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "What Thailand needs for this request" in text
    assert "Account numbers and the period." in text and "Thai OAG" in text
    assert "Not described in the directory yet." in text  # witness statements
    assert session.scalar(sa.select(sa.func.count()).select_from(Authority)) == 1
    assert "KH-NEEDS-1" not in str(
        session.execute(sa.text("SELECT reference FROM mla_request")).all()
    )
    # The script asks the same fragment; the page itself carries no inline script.
    fragment = browser.get("/directory/THA/needs?type=bank_records").get_data(as_text=True)
    assert "Account numbers and the period." in fragment
    assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", text) == []
    assert 'src="/static/mla-needs.js"' in text
