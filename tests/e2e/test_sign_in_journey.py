"""A person signs in, sees their home page and scope, and signs out (real Chromium)."""

from registry.blueprints.auth.demo import DEMO_PASSWORD
from registry.blueprints.auth.services import REFUSED
from tests.e2e.conftest import screenshot
from tests.e2e.test_mla_journey import AUTHENTICATORS, next_code, sign_in


def test_focal_point_signs_in_sees_scope_and_signs_out(live_server, page):
    page.goto(f"{live_server}/dashboard/")
    assert "/auth/login" in page.url
    page.get_by_label("Email").fill("focal.khm@registry.example.org")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    screenshot(page, "login")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server}/dashboard/")
    scope = page.locator("section.scope")
    assert "CTU focal point" in scope.inner_text() and "Cambodia" in scope.inner_text()
    assert page.get_by_role("link", name="Users").count() == 0  # admin-only navigation hidden
    screenshot(page, "home-focal-point")
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(f"{live_server}/auth/login")
    assert "You are signed out." in page.content()
    page.goto(f"{live_server}/dashboard/")
    assert "/auth/login" in page.url


def test_wrong_password_shows_message_next_to_form(live_server, page):
    page.goto(f"{live_server}/auth/login")
    page.get_by_label("Email").fill("unodc@registry.example.org")
    page.get_by_label("Password").fill("wrong password")
    page.get_by_role("button", name="Sign in").click()
    assert page.get_by_role("alert").inner_text() == REFUSED


def test_auditor_enrols_an_authenticator_app_then_signs_in_with_it(live_server, page):
    # The auditor: no other journey signs in as one, so the account is not yet enrolled.
    email = "auditor@registry.example.org"
    page.goto(f"{live_server}/auth/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server}/auth/2fa")
    assert page.locator("figure.qr svg").is_visible()
    assert page.get_by_role("link", name="Audit log").count() == 0  # nothing opens before the code
    screenshot(page, "second-factor-enrol")
    page.goto(f"{live_server}/admin/audit")
    assert page.url == f"{live_server}/auth/2fa"
    AUTHENTICATORS[email] = [page.locator("#totp-secret").inner_text(), None]
    page.get_by_label("Code from your authenticator app").fill(next_code(email))
    page.get_by_role("button", name="Turn on the second factor").click()
    assert page.locator(".recovery-codes li").count() == 10
    screenshot(page, "second-factor-recovery-codes")
    page.get_by_role("link", name="I have kept them: continue").click()
    page.wait_for_url(f"{live_server}/dashboard/")
    page.get_by_role("button", name="Sign out").click()
    sign_in(page, live_server, email)  # now the code step, without enrolling
    assert page.get_by_role("link", name="Audit log").count() == 1
