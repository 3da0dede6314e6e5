"""A focal point imports a year of MLA requests: a large file goes to the real worker, the page
follows it and shows the row report; the requests are then in the registry."""

from tests.e2e.conftest import screenshot
from tests.e2e.test_mla_journey import sign_in
from tests.imports.test_imports import MLA_HEADER
from tests.training.helpers import csv_bytes

ROWS = 6000


def test_focal_point_imports_a_large_file_through_the_worker(live_server, page, tmp_path):
    rows = [
        [f"KH-E2E-{n:05d}", "KHM", "THA", "thb", "asean_mlat", "evidence", "2025-02-01"]
        + ["2025-02-10", "executed", "2025-05-01", ""]
        for n in range(ROWS)
    ]
    rows.append(
        ["ID-E2E-1", "IDN", "MYS", "thb", "asean_mlat", "evidence", "2025-02-01"] + [""] * 4
    )
    path = tmp_path / "mla-2025.csv"
    path.write_bytes(csv_bytes(rows, MLA_HEADER))
    sign_in(page, live_server, "focal.khm@registry.example.org")
    page.goto(f"{live_server}/imports/")
    page.get_by_label("Spreadsheet for MLA requests").set_input_files(str(path))
    page.locator("#mode-mla").select_option("save")
    page.locator("#mode-mla").locator("xpath=ancestor::form").get_by_role(
        "button", name="Run"
    ).click()
    page.wait_for_url(f"{live_server}/imports/jobs/*")
    screenshot(page, "import-job")
    page.get_by_text("Saved.").wait_for(timeout=120_000)
    report = page.content()
    assert f"{ROWS + 1:,} rows: {ROWS:,} created, 0 updated, 0 unchanged, 1 refused." in report
    assert "Your country must be the requesting or the requested country" in report
    screenshot(page, "import-report")
    page.goto(f"{live_server}/mla/?q=KH-E2E-00042")
    assert "KH-E2E-00042" in page.content()
    page.goto(f"{live_server}/imports/")
    assert page.get_by_role("link", name="mla-2025.csv").is_visible()
    screenshot(page, "import-index")
