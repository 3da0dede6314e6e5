"""Each kind of bad input the security review found answering 500, now a 4xx with a message
and nothing saved."""

import json

import sqlalchemy as sa

from registry.blueprints.jits.models import Jit
from registry.blueprints.mla.models import MlaRequest
from registry.core.input_guard import MAX_ID, MAX_JSON_DEPTH
from tests.jits.helpers import jit_data


def test_ids_beyond_a_database_integer_are_not_found(login_session, users, api):
    browser = login_session(users["unodc"])
    assert browser.get(f"/mla/{MAX_ID + 1}").status_code == 404
    assert browser.get(f"/mla/{MAX_ID}").status_code == 404  # the largest id: looked up
    caller = api(users["unodc"])
    response = caller.get("/api/v1/mla-requests/99999999999")
    assert response.status_code == 404 and response.get_json()["message"]


def test_unknown_codes_in_list_filters_are_refused_with_the_choices(login_session, users):
    admin, unodc = login_session(users["admin"]), login_session(users["unodc"])
    for caller, url, name in (
        (unodc, "/mla/?status=all", "status"),
        (unodc, "/jits/?type=x", "type"),
        (unodc, "/training/?modality=x", "modality"),
        (unodc, "/prosecutions/?stage=x", "stage"),
        (admin, "/admin/users?role=x", "role"),
        (admin, "/admin/audit?since=2026-02-30", "since"),
    ):
        response = caller.get(url)
        assert response.status_code == 422, url
        assert name in response.get_data(as_text=True), url
    assert unodc.get("/jits/?type=judicial").status_code == 200


def test_huge_page_numbers_are_refused(login_session, users, api):
    assert login_session(users["unodc"]).get("/jits/?page=99999999999999999999").status_code == 422
    response = api(users["unodc"]).get("/api/v1/jits?page=99999999999999999999")
    assert response.status_code == 422 and "page" in response.get_json()["errors"]


def test_nul_characters_in_the_query_or_a_form_are_a_bad_request(login_session, users, api):
    browser = login_session(users["unodc"])
    assert browser.get("/mla/?q=a%00b").status_code == 400
    assert browser.get("/jits/?country=KH%00M").status_code == 400
    response = api(users["unodc"]).get("/api/v1/mla-requests?requesting=KH%00M")
    assert response.status_code == 400 and "NUL" in response.get_json()["message"]


def test_absurdly_nested_or_broken_json_is_a_bad_request(api, users, session):
    caller = api(users["focal_point"])
    for depth in (MAX_JSON_DEPTH + 1, 50_000):
        body = "[" * depth + "]" * depth
        response = caller.post(
            "/api/v1/jits", data=body, headers={"Content-Type": "application/json"}
        )
        assert response.status_code == 400, depth
        assert "nested" in response.get_json()["message"]
    for body in ('{"name": ', '{"arrests": ' + "9" * 5000 + "}"):  # broken; too many digits
        response = caller.post(
            "/api/v1/jits", data=body, headers={"Content-Type": "application/json"}
        )
        assert response.status_code == 400
        assert response.get_json()["message"] == "The body is not valid JSON."
    assert session.scalar(sa.select(sa.func.count(Jit.id))) == 0


def test_lone_surrogates_in_json_are_refused_naming_the_field(api, users, session):
    caller = api(users["focal_point"])
    body = json.dumps({"reference": "MLA/\ud800/1", "requesting_country": "KHM"})
    response = caller.post(
        "/api/v1/mla-requests", data=body, headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 422
    assert response.get_json()["errors"] == {
        "reference": ["Contains a character that is not allowed."]
    }
    assert session.scalar(sa.select(sa.func.count(MlaRequest.id))) == 0


def test_ids_in_json_bodies_beyond_a_database_integer_are_refused(api, users, session):
    caller = api(users["focal_point"])
    meeting = {
        "type": "national_forum",
        "title": "Forum",
        "date": "2026-01-05",
        "host_country": "KHM",
        "countries": ["KHM"],
    }
    for path, body, field in (
        ("/api/v1/meetings", {**meeting, "agency_ids": [MAX_ID + 1]}, "agency_ids"),
        ("/api/v1/meetings", {**meeting, "agency_ids": [10**30]}, "agency_ids"),
        ("/api/v1/jits", {**jit_data(), "mla_request_ids": [10**30]}, "mla_request_ids"),
    ):
        response = caller.post(path, json=body)
        assert response.status_code == 422, (path, body)
        assert field in response.get_json()["errors"], response.get_json()
    assert session.scalar(sa.select(sa.func.count(Jit.id))) == 0
