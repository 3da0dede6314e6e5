"""UNODC uploads a participant list for a training and sees the participants with their gains."""

from tests.e2e.conftest import screenshot
from tests.e2e.test_mla_journey import sign_in
from tests.training.helpers import csv_bytes

ROWS = [
    ["ចាន់ សុភា", "female", "", "prosecutor", "KHM", "40", "72"],
    ["Dara Heng", "M", "", "police", "KHM", "55", "58"],
    ["", "F", "", "police", "KHM", "50", "50"],
]


def test_unodc_uploads_participants_and_sees_gains(live_server, page, tmp_path):
    sign_in(page, live_server, "unodc@registry.example.org")
    page.goto(f"{live_server}/training/new")
    page.get_by_label("Title").fill("Gender-sensitive prosecution workshop")
    page.get_by_label("Country").select_option("KHM")
    page.get_by_label("Start", exact=True).fill("2026-10-05")
    page.get_by_label("End", exact=True).fill("2026-10-07")
    page.get_by_label("Gender-sensitive prosecution").check()
    page.get_by_role("button", name="Save").click()
    assert "saved" in page.content()
    listing = tmp_path / "participants.csv"
    listing.write_bytes(csv_bytes(ROWS))
    page.get_by_label("Participant list (.xlsx or .csv)").set_input_files(str(listing))
    page.get_by_role("button", name="Check the file").click()
    assert "2 valid" in page.content() and "The name is missing." in page.content()
    screenshot(page, "training-upload-preview")
    page.get_by_role("button", name="Import the 2 valid rows").click()
    assert "2 new participants imported" in page.content()
    row = page.get_by_role("row", name="ចាន់ សុភា")
    assert "+32" in row.inner_text() and "yes" in row.inner_text()
    screenshot(page, "training-participants")
