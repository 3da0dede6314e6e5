"""Defendants and victim counts through the API: the page's rules and messages, the case's
version required (428 without, 409 stale), the caller's country scope."""

from datetime import date

import pytest
import sqlalchemy as sa

from registry.blueprints.prosecutions import services
from registry.blueprints.prosecutions.models import CaseVictimCount, Defendant, ProsecutionCase
from tests.fixtures.clock import TODAY


def make_case(actor, country="KHM", reference="KH-API-1"):
    return services.create_case(
        actor,
        {
            "country": country,
            "reference": reference,
            "crime_type": "thb",
            "stage": "prosecution",
            "stage_date": date(2025, 2, 1),
        },
        TODAY,
    )


def count(session, model):
    return session.scalar(sa.select(sa.func.count()).select_from(model))


@pytest.fixture
def case(users, session):
    made = make_case(users["unodc"])
    session.commit()
    return made


def test_api_creates_a_case_with_the_earlier_dates_it_knows(api, users):
    created = api(users["focal_point"]).post(
        "/api/v1/prosecutions",
        json={
            "country": "KHM",
            "reference": "KH-API-TRIAL",
            "crime_type": "thb",
            "stage": "trial",
            "stage_date": "2025-06-01",
            "investigation_started": "2024-11-02",
        },
    )
    assert created.status_code == 201, created.get_json()
    body = created.get_json()
    assert (body["investigation_started"], body["prosecution_started"]) == ("2024-11-02", None)


def test_a_defendant_needs_the_case_version_and_a_fresh_one(api, users, case, session):
    caller = api(users["focal_point"])
    path = f"/api/v1/prosecutions/{case.id}/defendants"
    without = caller.post(path, json={"sex": "male"})
    assert without.status_code == 428 and "version" in without.get_json()["errors"]
    stale = caller.post(path, json={"sex": "male", "version": case.version + 5})
    assert stale.status_code == 409
    assert count(session, Defendant) == 0
    added = caller.post(
        path,
        json={
            "sex": "male",
            "outcome": "convicted",
            "sentence_months": 30,
            "version": case.version,
        },
    )
    assert added.status_code == 201, added.get_json()
    body = added.get_json()
    assert body["defendants"][0]["sentence_months"] == 30 and body["version"] == case.version + 1
    again = caller.post(path, json={"sex": "female", "version": case.version})
    assert again.status_code == 409  # the first add made a new version of the case


def test_a_bad_defendant_gets_the_pages_message_and_saves_nothing(api, login, users, case, session):
    answer = api(users["focal_point"]).post(
        f"/api/v1/prosecutions/{case.id}/defendants",
        json={
            "sex": "male",
            "outcome": "convicted",
            "sentence_months": -5,
            "version": case.version,
        },
    )
    assert answer.status_code == 422
    assert answer.get_json()["errors"]["sentence_months"] == ["Cannot be negative."]
    page = login(users["focal_point"]).post(
        f"/prosecutions/{case.id}/defendants",
        data={"sex": "male", "outcome": "convicted", "sentence_months": "-5", "nationality": ""},
    )
    assert page.status_code == 422 and "Cannot be negative." in page.get_data(as_text=True)
    assert count(session, Defendant) == 0


def test_patch_and_delete_a_defendant(api, users, case, session):
    caller = api(users["focal_point"])
    base = f"/api/v1/prosecutions/{case.id}/defendants"
    body = caller.post(base, json={"sex": "male", "version": 1}).get_json()
    defendant_id, version = body["defendants"][0]["id"], body["version"]
    refused = caller.patch(
        f"{base}/{defendant_id}",
        json={"outcome": "acquitted", "sentence_months": 12, "version": version},
    )
    assert refused.status_code == 422
    assert refused.get_json()["errors"]["sentence_months"] == [
        "Only a convicted defendant has a sentence."
    ]
    changed = caller.patch(
        f"{base}/{defendant_id}",
        json={"outcome": "convicted", "sentence_months": 12, "version": version},
    )
    assert changed.status_code == 200
    assert changed.get_json()["defendants"][0]["outcome"] == "convicted"
    assert caller.delete(f"{base}/{defendant_id}").status_code == 428
    assert caller.delete(f"{base}/{defendant_id}?version={version}").status_code == 409
    gone = caller.delete(f"{base}/{defendant_id}?version={changed.get_json()['version']}")
    assert gone.status_code == 200 and gone.get_json()["defendants"] == []
    assert count(session, Defendant) == 0
    assert caller.delete(f"{base}/{defendant_id}?version=9").status_code == 404


def test_victim_counts_through_the_api(api, users, case, session):
    caller = api(users["focal_point"])
    path = f"/api/v1/prosecutions/{case.id}/victims"
    row = {"sex": "female", "age_group": "child", "nationality": "KHM"}
    assert caller.post(path, json={**row, "count": 3}).status_code == 428
    bad = caller.post(path, json={**row, "count": -2, "version": case.version})
    assert bad.status_code == 422 and bad.get_json()["errors"]["count"] == ["Cannot be negative."]
    unknown = caller.post(path, json={**row, "nationality": "XXX", "count": 2, "version": 1})
    assert unknown.status_code == 422 and "nationality" in unknown.get_json()["errors"]
    assert count(session, CaseVictimCount) == 0
    set_ = caller.post(path, json={**row, "count": 3, "version": case.version})
    assert set_.status_code == 200
    assert set_.get_json()["victims"] == [{**row, "count": 3}]
    assert set_.get_json()["victims_total"] == 3
    removed = caller.post(path, json={**row, "count": 0, "version": set_.get_json()["version"]})
    assert removed.get_json()["victims"] == [] and count(session, CaseVictimCount) == 0


BODIES = {
    "defendants": {"sex": "male", "version": 1},
    "victims": {
        "sex": "male",
        "age_group": "adult",
        "nationality": "THA",
        "count": 1,
        "version": 1,
    },
}


@pytest.mark.parametrize(
    ("method", "suffix"),
    [
        ("post", "defendants"),
        ("post", "victims"),
        ("patch", "defendants/1"),
        ("delete", "defendants/1"),
    ],
)
def test_another_countrys_case_is_not_theirs_to_change(api, users, session, method, suffix):
    thai = make_case(users["unodc"], country="THA", reference="TH-API-1")
    session.commit()
    answer = getattr(api(users["focal_point"]), method)(
        f"/api/v1/prosecutions/{thai.id}/{suffix}?version=1",
        json=None if method == "delete" else BODIES[suffix.split("/")[0]],
    )
    assert answer.status_code == 404  # a case outside their scope is not named to them
    official = api(users["official"]).post(
        f"/api/v1/prosecutions/{thai.id}/defendants", json={"sex": "male", "version": 1}
    )
    assert official.status_code == 403
    assert count(session, Defendant) == 0
    assert session.get(ProsecutionCase, thai.id).version == 1
