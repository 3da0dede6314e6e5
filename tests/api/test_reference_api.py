"""API: /me, /countries, /agencies, error format and the OpenAPI document."""

import sqlalchemy as sa

from registry.blueprints.reference.models import Agency
from registry.core.audit import AuditEvent
from tests.factories import AgencyFactory


def count(session, model):
    return session.scalar(sa.select(sa.func.count()).select_from(model))


def test_me_describes_role_and_scope(api, users):
    focal = api(users["focal_point"]).get("/api/v1/me").get_json()
    assert (focal["role"], focal["country"], focal["scope"]) == ("focal_point", "KHM", ["KHM"])
    assert api(users["unodc"]).get("/api/v1/me").get_json()["scope"] is None


def test_countries_lists_the_eleven_asean_members_by_asean_names(api, users):
    rows = api(users["official"]).get("/api/v1/countries?asean=true").get_json()
    names = {row["iso3"]: row["name"] for row in rows}
    assert len(names) == 11
    assert names["LAO"] == "Lao PDR" and names["VNM"] == "Viet Nam" and "TLS" in names
    assert {r["iso3"] for r in rows if r["priority"]} == {"KHM", "IDN", "MYS", "THA"}


def test_agency_list_paginates_and_filters(api, users, session):
    for n in range(7):
        AgencyFactory(country_code="THA", name=f"Thai unit {n}")
    AgencyFactory(country_code="KHM", name="Khmer unit")
    body = api(users["auditor"]).get("/api/v1/agencies?country=THA&per_page=5&page=2").get_json()
    assert (body["total"], body["page"], body["per_page"]) == (7, 2, 5)
    assert len(body["items"]) == 2 and all(a["country"] == "THA" for a in body["items"])


def test_per_page_above_limit_is_a_field_error(api, users):
    response = api(users["auditor"]).get("/api/v1/agencies?per_page=500")
    assert response.status_code == 422
    assert "per_page" in response.get_json()["errors"]


def test_create_agency_in_local_script_answers_201_and_is_audited(api, users, session):
    name = "នាយកដ្ឋានប្រឆាំងការជួញដូរមនុស្ស"
    response = api(users["focal_point"]).post(
        "/api/v1/agencies", json={"name": name, "country": "KHM", "type": "ctu"}
    )
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["name"] == name and body["id"]
    event = session.scalars(
        sa.select(AuditEvent).where(
            AuditEvent.object_type == "Agency", AuditEvent.object_id == str(body["id"])
        )
    ).one()
    assert event.action == "create" and event.actor_label == users["focal_point"].email
    assert event.changes["name"] == [None, name]


def test_bad_agency_input_names_the_fields_and_saves_nothing(api, users, session):
    before = count(session, Agency)
    response = api(users["unodc"]).post("/api/v1/agencies", json={"name": "", "type": "spies"})
    assert response.status_code == 422
    body = response.get_json()
    assert set(body["errors"]) >= {"name", "type", "country"} and body["message"]
    unknown = api(users["unodc"]).post(
        "/api/v1/agencies", json={"name": "X", "country": "ZZZ", "type": "ctu"}
    )
    assert unknown.status_code == 422 and "country" in unknown.get_json()["errors"]
    assert count(session, Agency) == before


def test_focal_point_cannot_create_agency_of_another_country(api, users, session):
    before = count(session, Agency)
    response = api(users["focal_point"]).post(
        "/api/v1/agencies", json={"name": "Thai unit", "country": "THA", "type": "police"}
    )
    assert response.status_code == 403
    assert response.get_json()["message"] == "You can add agencies of your own country only."
    assert count(session, Agency) == before


def test_not_json_body_is_a_clear_error(api, users):
    response = api(users["unodc"]).post(
        "/api/v1/agencies", data="name=x", content_type="text/plain"
    )
    assert response.status_code in (400, 415, 422)
    assert response.get_json()["message"]


def test_unknown_api_path_is_json_404(api, users):
    response = api(users["unodc"]).get("/api/v1/nothing-here")
    assert response.status_code == 404 and response.get_json()["message"]


def test_openapi_document_describes_the_resources(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    assert spec["openapi"].startswith("3.")
    for path in ("/api/v1/countries", "/api/v1/agencies", "/api/v1/me"):
        assert path in spec["paths"]
    assert "post" in spec["paths"]["/api/v1/agencies"]
    assert spec["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"
    docs = client.get("/api/v1/docs").get_data(as_text=True)
    assert "/api/v1/agencies" in docs and "Authorization: Bearer" in docs


def test_api_tokens_are_rate_limited_each_on_its_own(app, api, users, monkeypatch):
    monkeypatch.setitem(app.config, "API_RATE_LIMIT", "3 per minute")
    first, second = api(users["unodc"]), api(users["auditor"])
    assert [first.get("/api/v1/me").status_code for _ in range(3)] == [200, 200, 200]
    refused = first.get("/api/v1/me")
    assert refused.status_code == 429 and refused.get_json()["message"]
    assert second.get("/api/v1/me").status_code == 200  # another token has its own allowance
