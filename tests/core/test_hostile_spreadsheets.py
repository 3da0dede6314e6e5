"""Small hostile spreadsheets are refused quickly, with a message, in bounded memory, through
every door a file comes in: the import API, the Import page and the participant upload.

Read by the reader before the inspection, the dimension bomb ran out of memory after 7.7 s
at the 1.3 GB address-space limit it was given, and the zip bomb was still parsing when it was
stopped after 40 s. Pages answer a refused file as they answer any other (back to the
form with the message); the API answers 422.
"""

import io
import threading
import time

import pytest
import sqlalchemy as sa
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from registry.blueprints.mla.models import MlaRequest
from registry.blueprints.training.models import Participation
from tests.fixtures.hostile_xlsx import dimension_bomb, lying_rows, zip_bomb
from tests.fixtures.records import MLA_IMPORT_HEADER
from tests.imports.test_api import send
from tests.training.helpers import csv_bytes, make_training

PARTICIPANT_HEADER = ["name", "sex", "agency", "role", "country", "pre", "post"]
PAGE_SIZE = 4096
SECONDS = 2
MEMORY_BYTES = 100 * 1024 * 1024


@pytest.fixture(scope="module")
def bombs():
    """(name, file, message) for each hostile file, built once."""
    return {
        header_name: [
            ("dimension", dimension_bomb(header), "more than 200,000 rows"),
            ("zip", zip_bomb(header), "expands to more than 50 MB"),
            ("rows", lying_rows(header, 201_000), "more than 200,000 rows"),
        ]
        for header_name, header in (("mla", MLA_IMPORT_HEADER), ("people", PARTICIPANT_HEADER))
    }


def post_file(caller, url, content, **fields):
    """Post `content` as bomb.xlsx. The body is encoded in memory: the test client would spool
    a large one to a temporary file it never closes."""
    upload = FileStorage(io.BytesIO(content), "bomb.xlsx", content_type="application/zip")
    boundary, body = encode_multipart({**fields, "file": upload})
    return caller.post(url, data=body, content_type=f"multipart/form-data; boundary={boundary}")


def _rss():
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * PAGE_SIZE


def measured(call):
    """Run `call`, returning its result, the seconds it took and the most memory it added."""
    start, peak, done = _rss(), [0], threading.Event()

    def sample():
        while not done.is_set():
            peak[0] = max(peak[0], _rss() - start)
            time.sleep(0.005)

    sampler = threading.Thread(target=sample)
    sampler.start()
    began = time.monotonic()
    try:
        result = call()
    finally:
        elapsed = time.monotonic() - began
        done.set()
        sampler.join()
    return result, elapsed, peak[0]


def assert_quick_and_small(name, elapsed, grown):
    assert elapsed < SECONDS, f"{name}: {elapsed:.1f} s"
    assert grown < MEMORY_BYTES, f"{name}: {grown // 1024 // 1024} MB"


def test_the_import_api_refuses_hostile_spreadsheets(api, users, session, bombs):
    caller = api(users["focal_point"])
    caller.client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {caller.token}"
    for name, content, message in bombs["mla"]:
        response, elapsed, grown = measured(
            lambda c=content: post_file(caller.client, "/api/v1/imports?kind=mla", c)
        )
        assert response.status_code == 422, name
        assert message in str(response.get_json()["errors"]["file"]), name
        assert_quick_and_small(name, elapsed, grown)
    assert session.scalar(sa.select(sa.func.count(MlaRequest.id))) == 0
    assert caller.get("/api/v1/me").status_code == 200  # and the worker keeps serving


def test_the_import_page_refuses_hostile_spreadsheets(login, users, session, bombs):
    browser = login(users["focal_point"])
    token = browser.csrf_token()
    for name, content, message in bombs["mla"]:
        response, elapsed, grown = measured(
            lambda c=content: post_file(
                browser, "/imports/mla", c, mode="save", policy="valid_only", csrf_token=token
            )
        )
        assert response.status_code == 302, name
        assert message in browser.get(response.headers["Location"]).get_data(as_text=True), name
        assert_quick_and_small(name, elapsed, grown)
    assert session.scalar(sa.select(sa.func.count(MlaRequest.id))) == 0


def test_the_participant_upload_refuses_hostile_spreadsheets(login, users, session, bombs):
    training = make_training(users["unodc"])
    browser = login(users["unodc"])
    token = browser.csrf_token()
    for name, content, message in bombs["people"]:
        response, elapsed, grown = measured(
            lambda c=content: post_file(
                browser, f"/training/{training.id}/upload", c, csrf_token=token
            )
        )
        assert response.status_code == 302, name
        assert message in browser.get(response.headers["Location"]).get_data(as_text=True), name
        assert_quick_and_small(name, elapsed, grown)
    assert session.scalar(sa.select(sa.func.count(Participation.id))) == 0


def test_a_csv_is_bounded_too(api, users, app, monkeypatch):
    monkeypatch.setitem(app.config, "IMPORT_MAX_ROWS", 3)
    monkeypatch.setitem(app.config, "IMPORT_MAX_COLUMNS", len(MLA_IMPORT_HEADER))
    caller = api(users["focal_point"])
    rows = [["x"] * len(MLA_IMPORT_HEADER)] * 3
    too_long = send(caller, csv_bytes(rows, MLA_IMPORT_HEADER))
    assert too_long.status_code == 422
    assert too_long.get_json()["errors"]["file"] == [
        "The file has more than 3 rows; split it into smaller files."
    ]
    too_wide = send(caller, csv_bytes([["x"] * 40], MLA_IMPORT_HEADER))
    assert too_wide.status_code == 422
    assert "more than" in too_wide.get_json()["errors"]["file"][0]
    nul = send(caller, b"reference\r\nMLA/\x00/1\r\n")
    assert nul.status_code == 422 and "NUL" in nul.get_json()["errors"]["file"][0]
