"""A focal point logs a new MLA request, records that it was sent, and finds it in the list."""

import re
from datetime import UTC, date, datetime, timedelta

import pyotp

from registry.blueprints.auth.demo import DEMO_PASSWORD
from tests.e2e.conftest import screenshot

# The authenticator app of each demo account that enrolled during the journeys: its secret,
# and the last time step whose code it gave (a code works once).
AUTHENTICATORS = {}


def sign_in(page, base, email):
    """Sign in as a person does: the password, then, for an account that must use a second
    factor, the authenticator app's code (enrolling it the first time, from the key the page
    shows, and keeping the recovery codes)."""
    page.goto(f"{base}/auth/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(f"{re.escape(base)}/(dashboard|auth/2fa)"))
    if page.url.endswith("/auth/2fa"):
        enrolling = email not in AUTHENTICATORS
        if enrolling:
            AUTHENTICATORS[email] = [page.locator("#totp-secret").inner_text(), None]
        page.get_by_label("Code from your authenticator app").fill(next_code(email))
        page.get_by_role(
            "button", name="Turn on the second factor" if enrolling else "Continue"
        ).click()
        if enrolling:
            page.get_by_role("link", name="I have kept them: continue").click()
    page.wait_for_url(f"{base}/dashboard/")


def next_code(email):
    secret, last = AUTHENTICATORS[email]
    totp = pyotp.TOTP(secret)
    step = max(totp.timecode(datetime.now(UTC)), (last or 0) + 1)
    AUTHENTICATORS[email][1] = step
    return totp.generate_otp(step)


def test_focal_point_logs_sends_and_finds_request(live_server, page):
    sign_in(page, live_server, "focal.khm@registry.example.org")
    page.get_by_role("link", name="MLA requests", exact=True).click()
    page.get_by_role("link", name="New MLA request").click()
    page.get_by_label("Reference").fill("KH-E2E-2026-001")
    page.get_by_label("Requested country").select_option("THA")
    page.get_by_label("Digital evidence").check()
    page.get_by_label("Bank or financial records").check()
    page.get_by_role("button", name="Save").click()
    assert "saved as draft" in page.content()

    sent_on = (date.today() - timedelta(days=3)).isoformat()
    page.get_by_label("New status").select_option("sent")
    page.get_by_label("Date", exact=True).fill(sent_on)
    page.get_by_label("Note (optional)").fill("Sent through the central authority")
    page.get_by_role("button", name="Record").click()
    assert f"Recorded: sent on {sent_on}" in page.content()
    screenshot(page, "mla-detail-after-sending")

    page.get_by_role("link", name="MLA requests", exact=True).click()
    page.get_by_label("Reference contains").fill("E2E")
    page.get_by_role("button", name="Apply").click()
    row = page.get_by_role("row", name="KH-E2E-2026-001")
    assert "Sent" in row.inner_text() and "3 pending" in row.inner_text()
    screenshot(page, "mla-list")
