"""A live server on a seeded SQLite file, and Debian's Chromium driven by Playwright."""

import os
import shutil
import threading

import pytest
from werkzeug.serving import make_server

from registry.extensions import db
from tests.conftest import make_app, migrate_and_seed

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = os.path.join(os.path.dirname(__file__), "..", "..", "test-artifacts")


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    app = make_app(f"sqlite:///{tmp_path_factory.mktemp('e2e') / 'e2e.db'}", WTF_CSRF_ENABLED=True)
    migrate_and_seed(app)
    app.test_cli_runner().invoke(args=["seed-demo"])
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)
    with app.app_context():
        db.engine.dispose()


@pytest.fixture(scope="session")
def browser():
    if not shutil.which("chromium") and not os.path.exists(CHROMIUM):
        message = "Debian's chromium is not installed (make system-deps installs it)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=["--no-sandbox", "--disable-background-networking", "--disable-gpu"],
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    yield tab
    context.close()


def screenshot(page, name):
    """Save a screenshot under test-artifacts/ for a person to look at."""
    os.makedirs(ARTIFACTS, exist_ok=True)
    page.screenshot(path=os.path.join(ARTIFACTS, f"{name}.png"), full_page=True)
