"""API: /api/v1/mla-requests, transitions and stats."""

from datetime import date, timedelta

import sqlalchemy as sa

from registry.blueprints.mla.models import MlaRequest
from tests.mla.helpers import make_request

BODY = {
    "reference": "TH-MLA-API-1",
    "requesting_country": "THA",
    "requested_country": "KHM",
    "crime_type": "thb",
    "legal_basis": "asean_mlat",
    "assistance_types": ["digital_evidence"],
}


def count(session):
    return session.scalar(sa.select(sa.func.count(MlaRequest.id)))


def test_create_with_date_sent_is_sent(api, users, session):
    response = api(users["focal_point"]).post(
        "/api/v1/mla-requests", json={**BODY, "date_sent": "2026-10-01"}
    )
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert (body["status"], body["date_sent"], body["id"] > 0) == ("sent", "2026-10-01", True)
    assert body["history"] == [
        {"status": "sent", "date": "2026-10-01", "note": "Created as sent.", "ground": None}
    ]


def test_create_without_date_is_draft(api, users):
    body = api(users["admin"]).post("/api/v1/mla-requests", json=BODY).get_json()
    assert body["status"] == "draft" and body["date_sent"] is None


def test_bad_input_names_fields_and_saves_nothing(api, users, session):
    caller = api(users["focal_point"])
    schema_error = caller.post(
        "/api/v1/mla-requests", json={**BODY, "assistance_types": ["x"], "date_sent": "01/10/2026"}
    )
    assert schema_error.status_code == 422
    assert {"assistance_types", "date_sent"} <= set(schema_error.get_json()["errors"])
    rule_error = caller.post("/api/v1/mla-requests", json={**BODY, "requested_country": "THA"})
    assert rule_error.status_code == 422
    assert rule_error.get_json()["errors"]["requested_country"] == [
        "The requested country must differ from the requesting one."
    ]
    assert count(session) == 0


def test_focal_point_cannot_reach_other_countries_requests(api, users, session):
    other = make_request(
        users["admin"], sent=date(2026, 5, 1), requesting_country="IDN", requested_country="MYS"
    )
    make_request(users["admin"], sent=date(2026, 5, 1))
    caller = api(users["focal_point"])
    assert caller.get(f"/api/v1/mla-requests/{other.id}").status_code == 404
    assert (
        caller.patch(
            f"/api/v1/mla-requests/{other.id}", json={"summary": "x", "reason": "y"}
        ).status_code
        == 404
    )
    assert (
        caller.post(
            f"/api/v1/mla-requests/{other.id}/transitions",
            json={"status": "received", "date": "2026-05-02"},
        ).status_code
        == 404
    )
    listing = caller.get("/api/v1/mla-requests").get_json()
    assert listing["total"] == 1 and all(
        "KHM" in (i["requesting_country"], i["requested_country"]) for i in listing["items"]
    )
    rows = caller.get("/api/v1/mla-requests/stats?group_by=pair").get_json()["rows"]
    assert all("KHM" in (r["requesting_country"], r["requested_country"]) for r in rows)


def test_transition_and_refusal(api, users, session):
    req = make_request(users["admin"], sent=date(2026, 5, 1))
    caller = api(users["unodc"])
    ok = caller.post(
        f"/api/v1/mla-requests/{req.id}/transitions",
        json={"status": "refused", "date": "2026-06-01", "ground": "dual_criminality"},
    )
    assert ok.status_code == 201 and ok.get_json()["turnaround_days"] == 31
    again = caller.post(
        f"/api/v1/mla-requests/{req.id}/transitions",
        json={"status": "executed", "date": "2026-06-02"},
    )
    assert again.status_code == 422 and "status" in again.get_json()["errors"]


def test_patch_with_stale_version_is_409(api, users, session):
    req = make_request(users["admin"], sent=date(2026, 5, 1))
    caller = api(users["focal_point"])
    first = caller.patch(
        f"/api/v1/mla-requests/{req.id}",
        json={"summary": "one", "reason": "r", "version": req.version},
    )
    assert first.status_code == 200
    stale = caller.patch(
        f"/api/v1/mla-requests/{req.id}",
        json={"summary": "two", "reason": "r", "version": req.version},
    )
    assert stale.status_code == 409 and "changed by" in stale.get_json()["message"]
    missing_reason = caller.patch(f"/api/v1/mla-requests/{req.id}", json={"summary": "three"})
    assert missing_reason.status_code == 422 and "reason" in missing_reason.get_json()["errors"]


def test_stats_endpoint_equals_page_figures(api, login, users, session):
    admin = users["admin"]
    for days in (12, 40, 41, 100, 130):
        make_request(admin, sent=date(2025, 2, 1), final=date(2025, 2, 1) + timedelta(days=days))
    rows = (
        api(users["unodc"])
        .get("/api/v1/mla-requests/stats?group_by=year&from=2025-01-01&to=2025-12-31")
        .get_json()["rows"]
    )
    # 12, 40, 41, 100, 130: median 41; p90 at position 3.6 -> 100 + 0.6 x 30 = 118
    assert rows == [{"year": 2025, "count": 5, "median_days": 41.0, "p90_days": 118.0}]
    page = (
        login(users["unodc"])
        .get("/mla/analytics?from=2025-01-01&to=2025-12-31")
        .get_data(as_text=True)
    )
    year = page.split('id="turnaround-year"')[1]
    assert "<td>2025</td>" in year and '<td class="num">41.0</td><td class="num">118.0</td>' in year


def test_stats_refuses_unknown_grouping(api, users):
    response = api(users["unodc"]).get("/api/v1/mla-requests/stats?group_by=colour")
    assert response.status_code == 422 and "group_by" in response.get_json()["errors"]


def test_official_and_auditor_rights(api, users, session):
    req = make_request(users["admin"], sent=date(2026, 5, 1))
    assert api(users["official"]).get("/api/v1/mla-requests").status_code == 403
    auditor = api(users["auditor"])
    assert auditor.get(f"/api/v1/mla-requests/{req.id}").status_code == 200
    assert auditor.post("/api/v1/mla-requests", json=BODY).status_code == 403


def test_a_request_is_found_by_its_requesting_country_and_reference(api, users):
    """A reference is unique per requesting country: the two filters name one request."""
    admin = users["admin"]
    ours = make_request(admin, reference="MLA/7", requesting_country="KHM")
    theirs = make_request(
        admin, reference="MLA/7", requesting_country="THA", requested_country="KHM"
    )
    make_request(admin, reference="MLA/77", requesting_country="KHM")
    caller = api(users["focal_point"])
    for requesting, wanted in (("KHM", ours), ("THA", theirs)):
        found = caller.get(
            f"/api/v1/mla-requests?requesting={requesting}&reference=MLA/7"
        ).get_json()
        assert [item["id"] for item in found["items"]] == [wanted.id]
    both = caller.get("/api/v1/mla-requests?reference=MLA/7").get_json()["items"]
    assert sorted(item["id"] for item in both) == sorted([ours.id, theirs.id])
    refused = caller.get("/api/v1/mla-requests?requesting=KHMX")
    assert refused.status_code == 422
