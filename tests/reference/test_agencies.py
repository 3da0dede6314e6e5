"""Agency pages: create, validation, scope, optimistic locking, audit."""

import sqlalchemy as sa

from registry.blueprints.reference.models import Agency
from registry.core.audit import AuditEvent
from tests.factories import AgencyFactory


def count(session):
    return session.scalar(sa.select(sa.func.count()).select_from(Agency))


def test_focal_point_creates_agency_of_own_country(login, users, session):
    response = login(users["focal_point"]).post(
        "/reference/agencies/new",
        data={"name": "Provincial Police, Siem Reap", "country": "KHM", "type": "police"},
    )
    assert response.status_code == 302
    agency = session.scalars(
        sa.select(Agency).where(Agency.name == "Provincial Police, Siem Reap")
    ).one()
    assert agency.country_code == "KHM"


def test_focal_point_form_offers_only_own_country(login, users, session):
    response = login(users["focal_point"]).post(
        "/reference/agencies/new", data={"name": "Thai unit", "country": "THA", "type": "police"}
    )
    assert "Not a valid choice" in response.get_data(as_text=True)
    assert count(session) == 0


def test_missing_name_is_shown_next_to_field_and_nothing_saved(login, users, session):
    response = login(users["unodc"]).post(
        "/reference/agencies/new", data={"name": "", "country": "THA", "type": "police"}
    )
    text = response.get_data(as_text=True)
    assert response.status_code == 200 and "Enter the agency&#39;s name." in text
    assert 'aria-invalid="true"' in text
    assert count(session) == 0


def test_duplicate_name_in_same_country_is_refused(login, users, session):
    AgencyFactory(country_code="THA", name="Immigration Bureau")
    response = login(users["unodc"]).post(
        "/reference/agencies/new",
        data={"name": "Immigration Bureau", "country": "THA", "type": "immigration"},
    )
    assert "already has an agency with this name" in response.get_data(as_text=True)
    assert count(session) == 1


def test_focal_point_cannot_open_another_countrys_agency_for_edit(login, users, session):
    thai = AgencyFactory(country_code="THA")
    assert login(users["focal_point"]).get(f"/reference/agencies/{thai.id}/edit").status_code == 404


def test_second_save_of_same_version_is_refused_without_overwriting(login, users, session):
    agency = AgencyFactory(country_code="KHM", name="Original")
    first, second = login(users["unodc"]), login(users["focal_point"])
    form = {"country": "KHM", "type": "police", "version": agency.version}
    assert (
        first.post(
            f"/reference/agencies/{agency.id}/edit", data={**form, "name": "First edit"}
        ).status_code
        == 302
    )
    refused = second.post(
        f"/reference/agencies/{agency.id}/edit", data={**form, "name": "Second edit"}
    )
    text = refused.get_data(as_text=True)
    assert f"changed by {users['unodc'].email}" in text and "Reload" in text
    session.expire_all()
    assert session.get(Agency, agency.id).name == "First edit"


def test_edit_writes_before_and_after_to_audit(login, users, session):
    agency = AgencyFactory(country_code="KHM", name="Old name")
    login(users["focal_point"]).post(
        f"/reference/agencies/{agency.id}/edit",
        data={"name": "New name", "country": "KHM", "type": "police", "version": agency.version},
    )
    event = session.scalars(
        sa.select(AuditEvent).where(
            AuditEvent.object_type == "Agency",
            AuditEvent.object_id == str(agency.id),
            AuditEvent.action == "update",
        )
    ).one()
    assert event.changes["name"] == ["Old name", "New name"]
    assert event.actor_label == users["focal_point"].email


def test_list_filters_and_shows_empty_state(login, users, session):
    AgencyFactory(country_code="THA", name="กองบังคับการปราบปรามการค้ามนุษย์", type="ctu")
    AgencyFactory(country_code="LAO", name="Lao unit", type="police")
    browser = login(users["official"])
    text = browser.get("/reference/agencies?country=THA").get_data(as_text=True)
    assert "กองบังคับการปราบปรามการค้ามนุษย์" in text and "Lao unit" not in text
    assert "No agencies match" in browser.get("/reference/agencies?q=zzzz").get_data(as_text=True)
