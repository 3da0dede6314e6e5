"""An official asks for a brief, watches the progress bar, downloads the PDF (real Chromium)."""

import io

from pypdf import PdfReader

from tests.e2e.conftest import screenshot
from tests.e2e.test_mla_journey import sign_in


def test_official_prepares_and_downloads_a_brief(live_server, page):
    sign_in(page, live_server, "official@registry.example.org")
    page.get_by_role("link", name="Prepare a brief").click()
    page.get_by_label("Meeting", exact=True).select_option("somtc_wg_tip")
    page.get_by_label("Title (optional)").fill("SOMTC Working Group on TIP — regional brief")
    page.get_by_label("Period from").fill("2025-01-01")
    page.get_by_label("Period to").fill("2026-10-31")
    page.get_by_role("button", name="Generate brief").click()
    page.wait_for_url(f"{live_server}/briefs/*")
    # A real worker makes the brief: the page follows it without reloading.
    page.locator("#job-progress progress").wait_for(state="visible")
    screenshot(page, "brief-progress")
    page.get_by_role("link", name="Download the PDF").wait_for(state="visible", timeout=60_000)
    screenshot(page, "brief-ready")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download the PDF").click()
    pdf = download_info.value.path().read_bytes()
    reader = PdfReader(io.BytesIO(pdf))
    first = reader.pages[0].extract_text()
    assert "SOMTC Working Group on TIP" in first and "RESTRICTED" in first
    assert len(reader.pages) > 5
    page.get_by_role("link", name="My briefs").click()
    assert "SOMTC Working Group on TIP" in page.content()
