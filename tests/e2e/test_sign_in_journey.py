"""A person signs in, sees their home page and scope, and signs out (real Chromium)."""

from registry.blueprints.auth.demo import DEMO_PASSWORD
from tests.e2e.conftest import screenshot


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
    assert page.get_by_role("alert").inner_text() == "Wrong email or password."
