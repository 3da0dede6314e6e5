"""The main pages load under their Content-Security-Policy without a single violation, and
their scripts still work: the MLA form's "what the country needs" box, the confirmation
before revoking a token."""

from tests.e2e.conftest import screenshot
from tests.e2e.test_mla_journey import sign_in

PAGES = (
    "/dashboard/",
    "/dashboard/corridor",
    "/mla/",
    "/mla/new",
    "/mla/analytics",
    "/jits/",
    "/meetings/",
    "/training/",
    "/prosecutions/",
    "/indicators/",
    "/briefs/",
    "/imports/",
    "/directory/",
    "/reference/agencies",
    "/admin/users",
    "/admin/audit",
    "/auth/tokens",
    "/api/v1/docs",
)


def watch_violations(page):
    """Collect what the browser refused under the policy (it reports each on the console)."""
    refused = []
    page.on(
        "console",
        lambda msg: (
            refused.append(f"{page.url}: {msg.text}")
            if "Content Security Policy" in msg.text
            else None
        ),
    )
    return refused


def test_main_pages_load_without_csp_violations(live_server, page):
    refused = watch_violations(page)
    sign_in(page, live_server, "admin@registry.example.org")
    for path in PAGES:
        response = page.goto(live_server + path)
        assert response.status == 200, path
        assert "frame-ancestors 'none'" in response.headers["content-security-policy"], path
        page.wait_for_load_state("networkidle")
    screenshot(page, "csp-api-docs")
    page.goto(live_server + "/dashboard/")
    page.wait_for_load_state("networkidle")
    screenshot(page, "csp-dashboard-charts")
    assert refused == []


def test_scripts_still_work_under_the_policy(live_server, page):
    refused = watch_violations(page)
    sign_in(page, live_server, "focal.khm@registry.example.org")
    page.goto(live_server + "/mla/new")
    assert page.get_by_role("button", name="Show what the requested country needs").is_hidden()
    page.get_by_label("Requested country").select_option("THA")
    page.get_by_label("Bank or financial records").check()
    page.locator("#needs").get_by_text("Bank or financial records").first.wait_for()
    screenshot(page, "csp-mla-needs")

    page.goto(live_server + "/auth/tokens")
    page.get_by_label("Name").fill("CSP check")
    page.get_by_role("button", name="Create token").click()
    asked = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    page.get_by_role("button", name="Revoke").first.click()
    assert asked and "Revoke this token?" in asked[0]
    assert page.get_by_role("button", name="Revoke").count() >= 1  # dismissed: nothing revoked
    assert refused == []
