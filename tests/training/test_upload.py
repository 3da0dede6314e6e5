"""Participant list upload: preview with row errors, confirm, cancel, bad files."""

import io

import sqlalchemy as sa

from registry.blueprints.training.models import Participation, Practitioner
from tests.training.helpers import csv_bytes, make_training, xlsx_bytes

GOOD = [
    ["សុខ ចាន់ធី", "F", "", "investigator", "KHM", "45", "70"],
    ["Dara Heng", "male", "", "Police officer", "Cambodia", "50", "55"],
]
BAD = [
    ["", "F", "", "police", "KHM", "45", "70"],
    ["Vuthy Sok", "q", "Nowhere Agency", "wizard", "KHM", "150", "x"],
    ["Kim Sok", "F", "", "police", "XYZ", "", ""],
]


def upload(browser, training, filename, content):
    return browser.post(
        f"/training/{training.id}/upload",
        data={"file": (io.BytesIO(content), filename)},
        content_type="multipart/form-data",
    )


def counts(session):
    return (
        session.scalar(sa.select(sa.func.count(Participation.id))),
        session.scalar(sa.select(sa.func.count(Practitioner.id))),
    )


def test_valid_xlsx_previews_then_imports(login, users, session):
    training = make_training(users["unodc"])
    browser = login(users["unodc"])
    preview = upload(browser, training, "list.xlsx", xlsx_bytes(GOOD))
    assert "2 valid" in preview.get_data(as_text=True) and counts(session) == (0, 0)
    upload_id = preview.get_data(as_text=True).split("/upload/")[1].split("/")[0]
    done = browser.post(f"/training/{training.id}/upload/{upload_id}/confirm")
    assert done.status_code == 302 and counts(session) == (2, 2)
    page = browser.get(f"/training/{training.id}").get_data(as_text=True)
    assert "សុខ ចាន់ធី" in page and "+25" in page


def test_mixed_csv_reports_each_row_and_imports_only_valid(login, users, session):
    training = make_training(users["unodc"])
    browser = login(users["unodc"])
    preview = upload(browser, training, "list.csv", csv_bytes(GOOD[:1] + BAD)).get_data(
        as_text=True
    )
    assert "1 valid" in preview and "3 with errors" in preview
    for message in (
        "The name is missing.",
        "is not a sex",
        "is not a known role",
        "is not a country",
        "not a whole score",
        "No agency",
    ):
        assert message in preview
    upload_id = preview.split("/upload/")[1].split("/")[0]
    browser.post(f"/training/{training.id}/upload/{upload_id}/confirm")
    assert counts(session) == (1, 1)


def test_cancel_saves_nothing(login, users, session):
    training = make_training(users["unodc"])
    browser = login(users["unodc"])
    preview = upload(browser, training, "list.csv", csv_bytes(GOOD)).get_data(as_text=True)
    upload_id = preview.split("/upload/")[1].split("/")[0]
    browser.post(f"/training/{training.id}/upload/{upload_id}/cancel")
    assert counts(session) == (0, 0)
    assert browser.post(f"/training/{training.id}/upload/{upload_id}/confirm").status_code == 404


def test_bad_files_get_clear_messages(login, users, session, app, monkeypatch):
    training = make_training(users["unodc"])
    browser = login(users["unodc"])
    cases = [
        ("wrong.csv", csv_bytes(GOOD, header=["nom", "sexe"]), "Missing columns"),
        ("empty.csv", b"", "The file is empty."),
        ("header.csv", csv_bytes([]), "no participants"),
        ("image.xlsx", b"\x89PNG\r\n\x1a\n" + b"0" * 100, "not a readable .xlsx"),
        ("notes.txt", b"hello", "Upload a .xlsx or .csv file."),
        ("big.csv", b"x" * 1001, "larger than 1000 bytes"),
    ]
    # A small limit keeps the test quick; the default (2 MB) is the same code path.
    monkeypatch.setitem(app.config, "UPLOAD_MAX_BYTES", 1000)
    for filename, content, message in cases:
        response = upload(browser, training, filename, content)
        assert message in browser.get(response.headers["Location"]).get_data(as_text=True), filename
    assert counts(session) == (0, 0)


def test_templates_download(login, users):
    browser = login(users["unodc"])
    assert (
        browser.get("/training/template.csv")
        .get_data(as_text=True)
        .startswith("\ufeffname,sex,agency,role,country,pre,post")
    )
    assert browser.get("/training/template.xlsx").data[:2] == b"PK"


def test_focal_point_cannot_upload_to_other_country(login, users):
    thai = make_training(users["unodc"], country="THA")
    assert upload(login(users["focal_point"]), thai, "list.csv", csv_bytes(GOOD)).status_code == 404


def confirm(browser, training, preview):
    upload_id = preview.get_data(as_text=True).split("/upload/")[1].split("/")[0]
    return browser.post(
        f"/training/{training.id}/upload/{upload_id}/confirm", follow_redirects=True
    ).get_data(as_text=True)


def test_uploading_the_same_list_again_updates_and_never_adds_twice(login, users, session):
    training = make_training(users["unodc"])
    browser = login(users["unodc"])
    confirm(browser, training, upload(browser, training, "list.csv", csv_bytes(GOOD)))
    assert counts(session) == (2, 2)
    changed = [GOOD[0][:6] + ["90"], GOOD[1], ["Mealea Chan", "F", "", "judge", "KHM", "", ""]]
    preview = upload(browser, training, "list.csv", csv_bytes(changed))
    text = preview.get_data(as_text=True)
    assert "1 new, 1 updated, 1 unchanged" in text
    assert "already in the training: scores updated" in text and "new participant" in text
    done = confirm(browser, training, preview)
    assert "1 new participants imported, 1 already in the training updated" in done
    assert counts(session) == (3, 3)
    scores = session.scalars(
        sa.select(Participation.post_score)
        .join(Practitioner)
        .where(Practitioner.name == GOOD[0][0])
    ).all()
    assert scores == [90]


def test_the_templates_example_row_is_valid_against_the_demo_data(login, users, session):
    from registry.blueprints.reference.demo import seed_agencies
    from registry.blueprints.training import upload as participant_upload

    seed_agencies()
    training = make_training(users["unodc"])
    browser = login(users["unodc"])
    for kind in ("csv", "xlsx"):
        content = participant_upload.template(kind)
        rows = participant_upload.parse(f"t.{kind}", content, 10**6, users["unodc"])
        assert [r.errors for r in rows] == [[]], kind
        preview = upload(browser, training, f"template.{kind}", content).get_data(as_text=True)
        assert "1 valid" in preview and "0 with errors" in preview
