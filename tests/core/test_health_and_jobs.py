"""GET /healthz and background jobs (inline and through a real rq worker on Redis)."""

import pytest
import sqlalchemy as sa
from redis import Redis
from rq import SimpleWorker

from registry.core import audit, jobs
from registry.core.audit import AuditEvent
from registry.extensions import db
from tests.fixtures.services import require_redis


@jobs.job
def record_export(object_id):
    """A job that writes to the database, as real jobs do."""
    audit.record(audit.SYSTEM, "export", "JobProbe", object_id)
    db.session.commit()


def probes(session):
    return session.scalars(
        sa.select(AuditEvent.object_id).where(AuditEvent.object_type == "JobProbe")
    ).all()


@pytest.fixture
def redis_url(app):
    url = require_redis()
    app.config["REDIS_URL"] = url
    app.extensions["registry_redis"] = None
    yield url
    Redis.from_url(url).flushdb()
    app.config["REDIS_URL"] = ""
    app.extensions["registry_redis"] = None


def test_health_without_redis(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"database": "ok", "redis": "not configured"}


def test_health_with_redis(redis_url, client):
    assert client.get("/healthz").get_json() == {"database": "ok", "redis": "ok"}


def test_health_reports_redis_down(app, client):
    app.config["REDIS_URL"] = "redis://127.0.0.1:1/0"
    app.extensions["registry_redis"] = None
    try:
        response = client.get("/healthz")
    finally:
        app.config["REDIS_URL"] = ""
        app.extensions["registry_redis"] = None
    assert response.status_code == 503
    assert response.get_json() == {"database": "ok", "redis": "down"}


def test_without_redis_jobs_run_inline(session):
    assert jobs.enqueue(record_export, "inline-1") is None
    assert probes(session) == ["inline-1"]


def test_job_runs_on_a_real_rq_worker(redis_url, session):
    job = jobs.enqueue(record_export, "worker-1")
    assert job is not None and probes(session) == []
    SimpleWorker([jobs.queue()], connection=jobs.redis_connection()).work(burst=True)
    job.refresh()
    assert job.get_status() == "finished"
    assert probes(session) == ["worker-1"]


def test_enqueue_with_redis_down_raises_a_clear_error(app, session):
    app.config["REDIS_URL"] = "redis://127.0.0.1:1/0"
    app.extensions["registry_redis"] = None
    try:
        with pytest.raises(jobs.QueueUnavailable, match="unreachable"):
            jobs.enqueue(record_export, "never")
    finally:
        app.config["REDIS_URL"] = ""
        app.extensions["registry_redis"] = None
