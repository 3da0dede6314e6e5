"""Work-plan tracker: timeline years, dated status history, PATCH needs the version, roles,
bad input, pages, export that imports back."""

import io
from datetime import date, timedelta

import openpyxl
import pytest
import sqlalchemy as sa

from registry.blueprints.workplan import services
from registry.blueprints.workplan.models import WorkPlanItem
from tests.fixtures.clock import TODAY

ITEM = {
    "work_plan": "SOMTC Work Plan on TIP 2023-2027",
    "title": "Regional workshop on online scam compounds",
    "lead": "Thailand",
    "supporting": "ASEAN Secretariat, UNODC",
    "timeline": "2025-2026",
    "indicative_budget": "USD 50,000",
    "status": "planned",
}


@pytest.mark.parametrize(
    "timeline, years",
    [
        ("2025-2026", (2025, 2026)),
        ("2025 – 2027", (2025, 2027)),
        ("Annual", (None, None)),
        ("From 2024", (2024, 2024)),
        ("", (None, None)),
    ],
)
def test_timeline_years_are_read_from_the_text_as_written(timeline, years):
    assert services.timeline_years(timeline) == years


def test_create_list_and_status_history(api, users, session):
    caller = api(users["unodc"])
    created = caller.post("/api/v1/work-plan-items", json={**ITEM, "status_date": "2025-03-01"})
    assert created.status_code == 201
    body = created.get_json()
    assert (body["year_from"], body["year_to"], body["timeline"]) == (2025, 2026, "2025-2026")
    path = f"/api/v1/work-plan-items/{body['id']}"
    started = caller.patch(
        path,
        json={
            "status": "on_going",
            "status_date": "2025-09-15",
            "status_note": "first workshop held",
            "version": body["version"],
            "reason": "SOMTC-WG report",
        },
    )
    assert started.status_code == 200
    history = caller.get(path).get_json()["history"]
    assert [(h["date"], h["status"]) for h in history] == [
        ("2025-03-01", "planned"),
        ("2025-09-15", "on_going"),
    ]
    assert history[1]["note"] == "first workshop held"
    listing = api(users["official"]).get("/api/v1/work-plan-items?status=on_going").get_json()
    assert listing["total"] == 1 and listing["items"][0]["lead"] == "Thailand"


def test_patch_needs_the_current_version(api, users, session):
    item = services.create(users["unodc"], ITEM)
    session.commit()
    caller = api(users["unodc"])
    path = f"/api/v1/work-plan-items/{item.id}"
    missing = caller.patch(path, json={"lead": "Viet Nam", "reason": "x"})
    assert missing.status_code == 428 and "version" in missing.get_json()["message"]
    stale = caller.patch(path, json={"lead": "Viet Nam", "reason": "x", "version": 7})
    assert stale.status_code == 409
    session.expire_all()
    assert session.get(WorkPlanItem, item.id).lead == "Thailand"


def test_bad_input_is_a_clear_422_and_saves_nothing(api, users, session):
    caller = api(users["unodc"])
    assert (
        caller.post("/api/v1/work-plan-items", json={**ITEM, "status": "done"}).status_code == 422
    )
    no_lead = caller.post("/api/v1/work-plan-items", json={**ITEM, "lead": ""})
    assert no_lead.status_code == 422 and "lead" in no_lead.get_json()["errors"]
    assert session.scalar(sa.select(sa.func.count(WorkPlanItem.id))) == 0
    item = services.create(users["unodc"], {**ITEM, "status_date": TODAY})
    session.commit()
    backwards = caller.patch(
        f"/api/v1/work-plan-items/{item.id}",
        json={
            "status": "completed",
            "status_date": (TODAY - timedelta(days=1)).isoformat(),
            "version": item.version,
            "reason": "x",
        },
    )
    assert backwards.status_code == 422 and "status_date" in backwards.get_json()["errors"]
    session.expire_all()
    assert [h.status for h in session.get(WorkPlanItem, item.id).history] == ["planned"]


def test_only_the_secretariat_keeps_the_work_plan(api, users, session):
    for role in ("focal_point", "official", "auditor"):
        assert api(users[role]).post("/api/v1/work-plan-items", json=ITEM).status_code == 403
    assert session.scalar(sa.select(sa.func.count(WorkPlanItem.id))) == 0
    assert api(users["focal_point"]).get("/api/v1/work-plan-items").status_code == 200


def test_pages_and_export_that_imports_back(login, users, session):
    item = services.create(users["unodc"], {**ITEM, "status_date": date(2025, 3, 1)})
    session.commit()
    browser = login(users["unodc"])
    listing = browser.get("/work-plan/").get_data(as_text=True)
    assert "Regional workshop on online scam compounds" in listing and "since 2025-03-01" in listing
    edit = browser.post(
        f"/work-plan/{item.id}/edit",
        data={
            **ITEM,
            "status": "completed",
            "status_date": "2026-02-01",
            "version": item.version,
            "reason": "report",
        },
    )
    assert edit.status_code == 302
    detail = browser.get(f"/work-plan/{item.id}").get_data(as_text=True)
    assert detail.index("2026-02-01") < detail.index("2025-03-01")
    exported = browser.get("/work-plan/export.xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(exported.data)).active
    rows = list(sheet.iter_rows(values_only=True))
    header = list(rows[0])
    assert rows[1][header.index("status")] == "completed"
    assert rows[1][header.index("timeline")] == "2025-2026"
