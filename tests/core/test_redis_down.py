"""Redis configured but down: the API, pages and health check keep answering, jobs say why."""

import re

import pytest

from registry.blueprints.auth.services import create_token, create_user
from registry.core import audit
from registry.extensions import db
from tests.conftest import make_app, migrate

PASSWORD = "a long test password 2026"


@pytest.fixture
def down(tmp_path):
    """An app on its own database whose Redis (a closed loopback port) does not answer."""
    app = make_app(f"sqlite:///{tmp_path / 'redis-down.db'}", REDIS_URL="redis://127.0.0.1:1/0")
    migrate(app)
    with app.app_context():
        user = create_user(
            audit.SYSTEM,
            email="focal@ctu.example.gov.kh",
            password=PASSWORD,
            role="focal_point",
            country_code="KHM",
        )
        _token, plain = create_token(audit.SYSTEM, user, "test")
        db.session.commit()
    yield app, {"Authorization": f"Bearer {plain}"}
    with app.app_context():
        db.engine.dispose()


def test_api_reads_and_writes_with_rate_limits_counted_in_memory(down):
    app, headers = down
    client = app.test_client()
    listing = client.get("/api/v1/mla-requests", headers=headers)
    assert listing.status_code == 200 and listing.get_json()["total"] == 0
    assert listing.headers["X-RateLimit-Limit"] == "600"
    created = client.post(
        "/api/v1/mla-requests",
        headers=headers,
        json={
            "reference": "KH-REDIS-DOWN",
            "requesting_country": "KHM",
            "requested_country": "THA",
            "crime_type": "thb",
            "legal_basis": "asean_mlat",
            "assistance_types": ["evidence"],
        },
    )
    assert created.status_code == 201, created.get_json()
    again = client.get("/api/v1/mla-requests", headers=headers)
    assert again.get_json()["total"] == 1
    assert int(again.headers["X-RateLimit-Remaining"]) < int(
        listing.headers["X-RateLimit-Remaining"]
    )


def test_a_brief_asked_for_through_the_api_says_the_queue_is_unavailable(down):
    app, headers = down
    client = app.test_client()
    asked = client.post(
        "/api/v1/briefs",
        headers=headers,
        json={
            "meeting_type": "somtc",
            "countries": ["KHM"],
            "period_from": "2025-01-01",
            "period_to": "2025-12-31",
        },
    )
    assert asked.status_code == 202
    body = asked.get_json()
    assert body["status"] == "failed" and "job queue is unreachable" in body["error"]
    assert client.get(f"/api/v1/briefs/{body['id']}", headers=headers).get_json() == body


def test_health_is_honest_and_people_still_sign_in(down):
    app, _headers = down
    client = app.test_client()
    health = client.get("/healthz")
    assert health.status_code == 503
    assert health.get_json() == {"database": "ok", "redis": "down"}
    form = client.get("/auth/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', form).group(1)
    signed_in = client.post(
        "/auth/login",
        data={"email": "focal@ctu.example.gov.kh", "password": PASSWORD, "csrf_token": token},
    )
    assert signed_in.headers["Location"] == "/dashboard/"
    assert client.get("/dashboard/").status_code == 200
