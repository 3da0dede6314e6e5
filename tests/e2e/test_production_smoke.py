"""The README's production recipe, run for real: deploy/registry on a fresh PostgreSQL database,
gunicorn with 2 workers, one rq worker on Redis; a focal point works through the API and in
Chromium. Nothing here seeds data the recipe does not."""

import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
from datetime import date, timedelta
from io import BytesIO
from pathlib import Path

import pytest
import requests
import sqlalchemy as sa
from pypdf import PdfReader
from redis import Redis

from tests.e2e.conftest import ROOT, screenshot
from tests.fixtures.services import recreate_database, require_redis

SCRIPT = os.path.join(ROOT, "deploy", "registry")
# Another name lets two checkouts run the suite side by side on one PostgreSQL.
DATABASE = os.environ.get("REGISTRY_TEST_SMOKE_DATABASE", "registry_smoke")
EMAIL, PASSWORD = "focal.point@ctu.example.gov.kh", "Mekong-river-ledger-2026"
# The steps this test runs; the README's "Production shape" block must show each of them.
STEPS = ("migrate", "flask users create", "flask tokens create", "web", "worker")


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Deployment:
    """deploy/registry with the production environment; processes it starts are stopped after."""

    def __init__(self, env):
        self.env = env
        self.processes = []

    def run(self, *args):
        done = subprocess.run(
            [SCRIPT, *args], env=self.env, capture_output=True, text=True, timeout=120
        )
        return done

    def must(self, *args):
        done = self.run(*args)
        assert done.returncode == 0, f"deploy/registry {' '.join(args)}: {done.stderr}"
        return done.stdout

    def start(self, *args, **extra_env):
        process = subprocess.Popen(
            [SCRIPT, *args],
            env={**self.env, **extra_env},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        self.processes.append(process)
        return process

    def stop(self):
        for process in self.processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)


@pytest.fixture(scope="module")
def deployment():
    redis_url = require_redis().rsplit("/", 1)[0] + "/12"
    Redis.from_url(redis_url).flushdb()
    env = {
        **os.environ,
        "REGISTRY_VENV": sys.prefix,
        "REGISTRY_ENV": "production",
        "REGISTRY_SECRET_KEY": secrets.token_urlsafe(48),
        "REGISTRY_DATABASE_URL": recreate_database(DATABASE),
        "REGISTRY_REDIS_URL": redis_url,
    }
    deploy = Deployment(env)
    try:
        yield deploy
    finally:
        deploy.stop()
        Redis.from_url(redis_url).flushdb()
        recreate_database(DATABASE, create=False)


def wait_for(url, seconds=30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if requests.get(url, timeout=2).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.2)
    raise AssertionError(f"{url} did not answer within {seconds} s")


def test_readme_shows_the_steps_this_test_runs():
    readme = Path(ROOT, "README.md").read_text(encoding="utf-8")
    block = readme.split("## Production shape", 1)[1].split("```sh", 1)[1].split("```", 1)[0]
    shown = re.findall(
        r"^(?:REGISTRY_\w+=\S+ )*deploy/registry ([a-z]+(?: [a-z]+ [a-z]+)?)", block, re.M
    )
    assert [step for step in STEPS if step not in shown] == []


def test_production_recipe_gives_a_usable_registry_with_no_demo_data(deployment, browser):
    deployment.must("migrate")
    refused = deployment.run("flask", "seed-demo")
    assert refused.returncode != 0 and "refuses to run when REGISTRY_ENV=production" in (
        refused.stderr
    )
    created = deployment.must(
        *("flask", "users", "create", "--email", EMAIL, "--password", PASSWORD),
        *("--role", "focal_point", "--country", "KHM"),
    )
    assert "focal_point, KHM" in created
    token = deployment.must("flask", "tokens", "create", "--email", EMAIL).strip()
    assert re.fullmatch(r"\S{20,}", token)

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    deployment.start("web", REGISTRY_WEB_WORKERS="2", REGISTRY_BIND=f"127.0.0.1:{port}")
    deployment.start("worker")
    wait_for(base + "/healthz")
    assert requests.get(base + "/healthz").json() == {"database": "ok", "redis": "ok"}

    api = requests.Session()
    api.headers["Authorization"] = f"Bearer {token}"
    # Reference data came with the schema; records only from what this test adds.
    countries = api.get(base + "/api/v1/countries").json()
    assert len([c for c in countries if c["asean_member"]]) == 11
    assert len(api.get(base + "/api/v1/indicators").json()) == 6
    assert api.get(base + "/api/v1/mla-requests").json()["total"] == 0

    sent = date.today() - timedelta(days=40)
    created = api.post(
        base + "/api/v1/mla-requests",
        json={
            "reference": "KH-SMOKE-001",
            "requesting_country": "KHM",
            "requested_country": "THA",
            "crime_type": "thb",
            "legal_basis": "asean_mlat",
            "assistance_types": ["bank_records"],
            "date_sent": sent.isoformat(),
        },
    )
    assert created.status_code == 201, created.text
    request_id = created.json()["id"]
    for status, days in (("received", 35), ("acknowledged", 30), ("in_execution", 20)):
        moved = api.post(
            f"{base}/api/v1/mla-requests/{request_id}/transitions",
            json={"status": status, "date": (sent + timedelta(days=40 - days)).isoformat()},
        )
        assert moved.status_code == 201, moved.text
    assert api.get(f"{base}/api/v1/mla-requests/{request_id}").json()["status"] == "in_execution"

    jit = api.post(
        base + "/api/v1/jits",
        json={
            "name": "Mekong online scam compounds",
            "type": "law_enforcement",
            "member_countries": ["KHM", "THA"],
            "lead_country": "KHM",
            "legal_basis": "actip",
            "agreement_signed": (date.today() - timedelta(days=10)).isoformat(),
        },
    )
    assert jit.status_code == 201, jit.text

    asked = api.post(
        base + "/api/v1/briefs",
        json={
            "meeting_type": "police_to_police",
            "countries": ["KHM", "THA"],
            "period_from": (date.today() - timedelta(days=365)).isoformat(),
            "period_to": date.today().isoformat(),
        },
    )
    assert asked.status_code == 202, asked.text
    brief_url = f"{base}/api/v1/briefs/{asked.json()['id']}"
    deadline = time.monotonic() + 90
    while (brief := api.get(brief_url).json())["status"] in ("queued", "running"):
        assert time.monotonic() < deadline, f"brief still {brief['status']}: {brief['stage']}"
        time.sleep(0.5)
    assert brief["status"] == "done", brief["error"]
    pdf = api.get(base + brief["pdf_url"])
    assert pdf.headers["Content-Type"] == "application/pdf"
    text = " ".join(page.extract_text() for page in PdfReader(BytesIO(pdf.content)).pages)
    assert "Cambodia" in text and "Thailand" in text

    # A person signs in through the form (CSRF on, production cookies) and finds the request.
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        page.goto(base + "/auth/login")
        page.get_by_label("Email").fill(EMAIL)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(base + "/dashboard/")
        assert "synthetic" not in page.content().lower()
        page.goto(base + "/mla/")
        row = page.get_by_role("row", name="KH-SMOKE-001")
        assert "In execution" in row.inner_text()
        screenshot(page, "production-smoke-mla-list")
    finally:
        context.close()
    # Nothing but what the recipe and this test made: one account, no demo marker.
    engine = sa.create_engine(deployment.env["REGISTRY_DATABASE_URL"])
    with engine.connect() as conn:
        assert conn.scalar(sa.text("SELECT count(*) FROM app_user")) == 1
        assert (
            conn.scalar(sa.text("SELECT count(*) FROM setting WHERE key = 'DEMO_DATA_SEED'")) == 0
        )
    engine.dispose()
