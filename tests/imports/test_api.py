"""/api/v1/imports: the same checks, scope and report as the page, as a job to follow."""

import io

from tests.imports.test_imports import BAD, GOOD, MLA_HEADER, count
from tests.training.helpers import csv_bytes, xlsx_bytes


def send(caller, content, filename="rows.csv", **query):
    query = {"kind": "mla", **query}
    return caller.post(
        "/api/v1/imports?" + "&".join(f"{k}={v}" for k, v in query.items()),
        data={"file": (io.BytesIO(content), filename)},
        content_type="multipart/form-data",
    )


def test_api_import_dry_run_then_save_with_row_report(api, users, session):
    caller = api(users["focal_point"])
    dry = send(caller, csv_bytes(GOOD + BAD, MLA_HEADER))
    assert dry.status_code == 202
    body = dry.get_json()
    assert (body["status"], body["progress"]) == ("done", 100)
    assert body["summary"] == {
        "rows": 5,
        "saved": False,
        "created": 2,
        "updated": 0,
        "unchanged": 0,
        "refused": 3,
    }
    assert body["refused"][0]["line"] == 4 and body["refused"][0]["errors"] == [
        ["requested_country", "The requested country must differ from the requesting one."]
    ]
    assert count(session) == 0
    saved = send(caller, xlsx_bytes(GOOD, MLA_HEADER), "rows.xlsx", save="true").get_json()
    assert saved["summary"]["saved"] and count(session) == 2
    assert caller.get(f"/api/v1/imports/{saved['id']}").get_json()["summary"]["created"] == 2


def test_api_import_refuses_bad_requests_and_saves_nothing(api, users, session):
    caller = api(users["unodc"])
    wrong = send(caller, csv_bytes(GOOD, ["ref", "from"]), save="true")
    assert wrong.status_code == 422 and "Missing columns" in str(wrong.get_json())
    assert send(caller, csv_bytes(GOOD, MLA_HEADER), kind="victims").status_code == 422
    no_file = caller.post("/api/v1/imports?kind=mla", data={}, content_type="multipart/form-data")
    assert no_file.status_code == 422
    assert send(caller, b"\xff\xfe broken", save="true").status_code == 422
    assert count(session) == 0


def test_api_import_roles_and_privacy(api, users, session):
    assert send(api(users["auditor"]), csv_bytes(GOOD, MLA_HEADER)).status_code == 403
    assert send(api(users["official"]), csv_bytes(GOOD, MLA_HEADER)).status_code == 403
    job = send(api(users["focal_point"]), csv_bytes(GOOD, MLA_HEADER)).get_json()
    assert api(users["unodc"]).get(f"/api/v1/imports/{job['id']}").status_code == 404
    assert api(users["admin"]).get(f"/api/v1/imports/{job['id']}").status_code == 200
