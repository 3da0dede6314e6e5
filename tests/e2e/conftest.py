"""A live server on a seeded SQLite file, and Debian's Chromium driven by Playwright."""

import os
import shutil
import subprocess
import sys
import threading

import pytest
from redis import Redis
from werkzeug.serving import make_server

from registry.extensions import db
from tests.conftest import make_app, migrate
from tests.fixtures.services import require_redis

CHROMIUM = "/usr/bin/chromium"
ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
ARTIFACTS = os.path.join(ROOT, "test-artifacts")


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    """The app on a seeded SQLite file, with its jobs run by a real rq worker process on Redis."""
    database = f"sqlite:///{tmp_path_factory.mktemp('e2e') / 'e2e.db'}"
    redis_url = require_redis().rsplit("/", 1)[0] + "/13"
    Redis.from_url(redis_url).flushdb()
    app = make_app(database, REDIS_URL=redis_url)
    migrate(app)
    app.test_cli_runner().invoke(args=["seed-demo"])
    env = {**os.environ, "REGISTRY_DATABASE_URL": database, "REGISTRY_REDIS_URL": redis_url}
    worker = subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "wsgi", "worker"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)
    worker.terminate()
    worker.wait(timeout=10)
    Redis.from_url(redis_url).flushdb()
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
