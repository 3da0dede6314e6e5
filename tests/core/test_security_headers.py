"""Every response carries the security headers; HSTS only in production."""

import re

from tests.conftest import make_app
from tests.core.test_route_permissions import ROUTES, _url

EXPECTED = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "strict-origin-when-cross-origin",
}


def assert_secured(response, where):
    for name, value in EXPECTED.items():
        assert response.headers.get(name) == value, (where, name)
    csp = response.headers.get("Content-Security-Policy", "")
    for directive in ("script-src 'self'", "frame-ancestors 'none'", "object-src 'none'"):
        assert directive in csp, (where, directive)
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp


def test_every_route_answers_with_the_headers(login_session, users, client):
    browser = login_session(users["unodc"])
    for rule, method in ROUTES:
        for caller in (client, browser):
            response = caller.open(_url(rule), method=method)
            response.close()
            assert_secured(response, f"{method} {rule.rule} -> {response.status_code}")
    assert "Strict-Transport-Security" not in response.headers


def test_only_a_page_with_charts_allows_their_styles_by_nonce(login_session, users):
    browser = login_session(users["unodc"])
    dashboard = browser.get("/dashboard/")
    nonce = re.search(
        r"style-src 'self' 'nonce-([\w-]+)'", dashboard.headers["Content-Security-Policy"]
    )
    styles = re.findall(r"<style[^>]*>", dashboard.get_data(as_text=True))
    assert nonce and styles and all(f'nonce="{nonce.group(1)}"' in tag for tag in styles)
    assert 'style="' not in dashboard.get_data(as_text=True)
    again = browser.get("/dashboard/").headers["Content-Security-Policy"]
    assert nonce.group(0) not in again  # a new nonce for every response
    plain = browser.get("/mla/").headers["Content-Security-Policy"]
    assert "nonce-" not in plain and "style-src 'self';" in plain + ";"


def test_error_pages_carry_them_too(client):
    assert_secured(client.get("/no-such-page"), "404")


def test_production_adds_hsts(tmp_path):
    app = make_app("sqlite:///" + str(tmp_path / "p.db"), ENV="production", SECRET_KEY="x" * 40)
    response = app.test_client().get("/auth/login")
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    assert_secured(response, "production")
