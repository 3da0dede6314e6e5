"""Prosecution cases, stages, defendants, victims, statistics, reconciliation, country profile."""

from datetime import date

import pytest
import sqlalchemy as sa

from registry.blueprints.prosecutions import figures, services
from registry.blueprints.prosecutions.models import AnnualStatistic, ProsecutionCase
from registry.core.errors import Forbidden, ValidationFailed
from registry.extensions import db
from tests.fixtures.clock import TODAY

_n = iter(range(1, 10**6))


def make_case(actor, stage="investigation", on=date(2024, 2, 1), **overrides):
    data = {
        "country": "KHM",
        "reference": f"KH-CASE-{next(_n)}",
        "crime_type": "thb",
        "stage": stage,
        "stage_date": on,
        "exploitation_forms": ["forced_criminality"],
        **overrides,
    }
    return services.create_case(actor, data, TODAY)


def test_thb_and_som_are_kept_apart(users):
    with pytest.raises(ValidationFailed) as caught:
        make_case(users["unodc"], crime_type="related")
    assert "crime_type" in caught.value.errors


def test_stage_order_and_dates(users):
    unodc = users["unodc"]
    case = make_case(unodc)
    services.record_stage(unodc, case, "prosecution", date(2024, 5, 1), TODAY)
    assert case.prosecution_started == date(2024, 5, 1)
    with pytest.raises(ValidationFailed) as caught:
        services.record_stage(unodc, case, "investigation", date(2024, 6, 1), TODAY)
    assert "forward" in caught.value.errors["stage"][0]
    with pytest.raises(ValidationFailed) as caught:
        services.record_stage(unodc, case, "trial", date(2024, 4, 1), TODAY)
    assert "before the previous stage" in caught.value.errors["date"][0]
    services.record_stage(unodc, case, "closed", date(2024, 7, 1), TODAY)
    with pytest.raises(ValidationFailed):
        services.record_stage(unodc, case, "closed", date(2024, 8, 1), TODAY)


def test_case_opened_at_trial_invents_no_earlier_dates(users):
    case = make_case(users["unodc"], stage="trial", on=date(2025, 3, 3))
    assert (case.investigation_started, case.prosecution_started) == (None, None)
    assert [(s.stage, s.date) for s in case.stages] == [("trial", date(2025, 3, 3))]


def test_case_opened_at_trial_keeps_the_earlier_dates_it_is_given(users):
    case = make_case(
        users["unodc"],
        stage="trial",
        on=date(2025, 3, 3),
        investigation_started=date(2024, 1, 10),
        prosecution_started=date(2024, 9, 1),
    )
    assert (case.investigation_started, case.prosecution_started) == (
        date(2024, 1, 10),
        date(2024, 9, 1),
    )
    assert [s.stage for s in case.stages] == ["investigation", "prosecution", "trial"]


@pytest.mark.parametrize(
    ("stage", "earlier", "field", "words"),
    [
        ("trial", {"prosecution_started": date(2025, 4, 1)}, "prosecution_started", "after"),
        (
            "prosecution",
            {"prosecution_started": date(2025, 1, 1)},
            "prosecution_started",
            "no such",
        ),
        (
            "trial",
            {"investigation_started": date(2024, 9, 2), "prosecution_started": date(2024, 9, 1)},
            "prosecution_started",
            "before the investigation",
        ),
        ("trial", {"investigation_started": date(2099, 1, 1)}, "investigation_started", "future"),
    ],
)
def test_earlier_dates_that_cannot_be_are_refused(users, stage, earlier, field, words):
    with pytest.raises(ValidationFailed) as caught:
        make_case(users["unodc"], stage=stage, on=date(2025, 3, 3), **earlier)
    assert words in caught.value.errors[field][0]
    assert db.session.scalar(sa.select(sa.func.count(ProsecutionCase.id))) == 0


def test_skipping_the_prosecution_stage_leaves_its_start_unknown(users):
    unodc = users["unodc"]
    case = make_case(unodc, on=date(2024, 2, 1))
    services.record_stage(unodc, case, "trial", date(2024, 5, 1), TODAY)
    assert (case.investigation_started, case.prosecution_started) == (date(2024, 2, 1), None)


def test_defendant_and_victim_validation(users):
    case = make_case(users["unodc"])
    with pytest.raises(ValidationFailed) as caught:
        services.add_defendant(
            users["unodc"], case, {"sex": "male", "outcome": "acquitted", "sentence_months": 12}
        )
    assert "sentence_months" in caught.value.errors
    with pytest.raises(ValidationFailed) as caught:
        services.set_victim_count(
            users["unodc"],
            case,
            {"sex": "female", "age_group": "child", "nationality": "KHM", "count": -2},
        )
    assert "count" in caught.value.errors
    services.set_victim_count(
        users["unodc"],
        case,
        {"sex": "female", "age_group": "child", "nationality": "KHM", "count": 3},
    )
    services.set_victim_count(
        users["unodc"],
        case,
        {"sex": "female", "age_group": "child", "nationality": "KHM", "count": 5},
    )
    assert case.victims_total == 5


def test_statistics_rules(users):
    base = {
        "country": "KHM",
        "year": 2025,
        "metric": "persons_prosecuted",
        "source": "Police report",
        "total": 10,
    }
    with pytest.raises(ValidationFailed) as caught:
        services.save_statistic(users["unodc"], {**base, "female": 6, "male": 6})
    assert "total" in caught.value.errors
    services.save_statistic(users["unodc"], base)
    with pytest.raises(ValidationFailed) as caught:
        services.save_statistic(users["unodc"], base)
    assert "source" in caught.value.errors
    services.save_statistic(users["unodc"], {**base, "source": "Prosecutor report", "total": 14})
    with pytest.raises(Forbidden):
        services.save_statistic(users["focal_point"], {**base, "country": "THA"})


def test_reconciliation_on_known_numbers(users):
    unodc = users["unodc"]
    a = make_case(unodc, stage="prosecution", on=date(2025, 2, 1))
    b = make_case(unodc, stage="prosecution", on=date(2025, 6, 1))
    make_case(unodc, stage="prosecution", on=date(2024, 6, 1))
    for case, sexes in ((a, ["female", "male"]), (b, ["male"])):
        for sex in sexes:
            services.add_defendant(unodc, case, {"sex": sex})
    services.save_statistic(
        unodc,
        {
            "country": "KHM",
            "year": 2025,
            "metric": "persons_prosecuted",
            "source": "Police",
            "total": 5,
        },
    )
    services.save_statistic(
        unodc,
        {
            "country": "KHM",
            "year": 2025,
            "metric": "persons_prosecuted",
            "source": "Courts",
            "total": 2,
        },
    )
    rows = [
        r for r in figures.reconciliation("KHM", 2025, 2025) if r["metric"] == "persons_prosecuted"
    ]
    assert rows[0]["cases"] == {"total": 3, "female": 1, "male": 2}
    assert [(s["source"], s["total"], s["difference"]) for s in rows[0]["reported"]] == [
        ("Courts", 2, -1),
        ("Police", 5, 2),
    ]


def test_country_profile_median_sentence_even_count(users):
    unodc = users["unodc"]
    last_year = TODAY.year - 1  # the profile covers the five years up to today's
    for months in (24, 36, 60, 120):
        case = make_case(unodc, stage="verdict", on=date(last_year, 9, 1))
        services.add_defendant(
            unodc, case, {"sex": "male", "outcome": "convicted", "sentence_months": months}
        )
    data = figures.profile("KHM", today=TODAY)
    assert data["median_sentence"] == 48.0 and data["convicted_with_sentence"] == 4
    assert data["people"][("KHM", last_year, "persons_convicted")] == {
        "total": 4,
        "female": 0,
        "male": 4,
    }
    assert data["cases"][last_year]["thb"]["verdict"] == 4


def test_focal_point_cannot_reach_other_countries_cases(login, api, users, session):
    thai = make_case(users["unodc"], country="THA", reference="TH-HIDDEN")
    make_case(users["unodc"], reference="KH-VISIBLE")
    browser = login(users["focal_point"])
    assert browser.get(f"/prosecutions/{thai.id}").status_code == 404
    assert api(users["focal_point"]).get(f"/api/v1/prosecutions/{thai.id}").status_code == 404
    listing = browser.get("/prosecutions/").get_data(as_text=True)
    assert "KH-VISIBLE" in listing and "TH-HIDDEN" not in listing
    export = browser.get("/prosecutions/cases.csv").get_data(as_text=True)
    assert "KH-VISIBLE" in export and "TH-HIDDEN" not in export
    assert browser.get("/prosecutions/countries/THA").status_code == 404
    assert login(users["official"]).get("/prosecutions/countries/THA").status_code == 200
    assert login(users["official"]).get("/prosecutions/").status_code == 403


def test_export_neutralises_formulas_and_suppresses_small_victim_counts(login, users):
    case = make_case(users["unodc"], reference="=cmd|' /C calc'!A0")
    services.set_victim_count(
        users["unodc"],
        case,
        {"sex": "female", "age_group": "adult", "nationality": "KHM", "count": 3},
    )
    text = login(users["unodc"]).get("/prosecutions/cases.csv").get_data(as_text=True)
    assert "'=cmd" in text and ",<5\r\n" in text


def test_pages_create_conflict_and_audit(login, users, session):
    browser = login(users["focal_point"])
    response = browser.post(
        "/prosecutions/new",
        data={
            "country": "KHM",
            "reference": "KH-2026-1",
            "crime_type": "som",
            "stage": "investigation",
            "stage_date": "2026-01-10",
        },
    )
    assert response.status_code == 302
    bad = browser.post(
        "/prosecutions/new",
        data={"country": "KHM", "reference": "", "crime_type": "som", "stage": "investigation"},
    )
    assert "Enter the case reference" in bad.get_data(as_text=True)
    assert session.scalar(sa.select(sa.func.count(ProsecutionCase.id))) == 1
    case = session.scalars(sa.select(ProsecutionCase)).one()
    form = {
        "country": "KHM",
        "reference": "KH-2026-1",
        "crime_type": "som",
        "version": case.version,
    }
    assert (
        browser.post(
            f"/prosecutions/{case.id}/edit",
            data={**form, "cyber_enabled": "y", "reason": "new evidence"},
        ).status_code
        == 302
    )
    refused = login(users["unodc"]).post(
        f"/prosecutions/{case.id}/edit", data={**form, "reason": "x"}
    )
    assert "changed by" in refused.get_data(as_text=True)


def test_api_cases_and_statistics(api, users, session):
    caller = api(users["focal_point"])
    created = caller.post(
        "/api/v1/prosecutions",
        json={
            "country": "KHM",
            "reference": "KH-API-1",
            "crime_type": "thb",
            "stage_date": "2026-02-01",
            "exploitation_forms": ["forced_labour"],
        },
    )
    assert created.status_code == 201 and created.get_json()["stage"] == "investigation"
    moved = caller.patch(
        f"/api/v1/prosecutions/{created.get_json()['id']}",
        json={
            "stage": "prosecution",
            "stage_date": "2026-03-01",
            "reason": "charged",
            "version": created.get_json()["version"],
        },
    )
    assert moved.status_code == 200 and moved.get_json()["prosecution_started"] == "2026-03-01"
    bad = caller.post(
        "/api/v1/annual-statistics",
        json={"country": "KHM", "year": 2025, "metric": "x", "total": -1, "source": ""},
    )
    assert bad.status_code == 422 and {"metric", "total", "source"} <= set(bad.get_json()["errors"])
    ok = caller.post(
        "/api/v1/annual-statistics",
        json={
            "country": "KHM",
            "year": 2025,
            "metric": "persons_convicted",
            "total": 9,
            "source": "Courts",
        },
    )
    assert ok.status_code == 201
    assert session.scalar(sa.select(sa.func.count(AnnualStatistic.id))) == 1
