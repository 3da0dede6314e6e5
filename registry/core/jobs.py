"""Background jobs: rq on Redis when configured, otherwise run inline in the caller."""

from datetime import timedelta
from functools import wraps

import sqlalchemy as sa
from flask import current_app, has_app_context
from redis import Redis
from redis.exceptions import RedisError
from rq import Callback, Queue, SimpleWorker

from registry.extensions import db


class QueueUnavailable(RuntimeError):
    """Redis is configured but cannot be reached."""


def init_app(app):
    app.extensions["registry_redis"] = None


def redis_connection():
    """Return the app's Redis connection, or None when jobs run inline."""
    url = current_app.config["REDIS_URL"]
    if not url:
        return None
    conn = current_app.extensions.get("registry_redis")
    if conn is None:
        conn = Redis.from_url(url, socket_connect_timeout=2, socket_timeout=5)
        current_app.extensions["registry_redis"] = conn
    return conn


def redis_status():
    """Return "ok", "down" or "not configured" for the health check."""
    conn = redis_connection()
    if conn is None:
        return "not configured"
    try:
        conn.ping()
    except RedisError:
        return "down"
    return "ok"


def queue():
    return Queue(current_app.config["QUEUE_NAME"], connection=redis_connection())


def enqueue(func, *args, on_failure=None):
    """Run func(*args) on a worker, or inline when no Redis is configured.

    Call it only after the transaction that created the job's records is committed.
    `on_failure(job, connection, type, value, traceback)` runs in the worker if the job
    dies there (e.g. it ran past the timeout). Returns the rq job, or None when it ran inline.
    """
    if redis_connection() is None:
        func(*args)
        return None
    try:
        return queue().enqueue(
            func,
            args=args,
            job_timeout=current_app.config["JOB_TIMEOUT_SECONDS"],
            on_failure=Callback(on_failure) if on_failure else None,
        )
    except RedisError as exc:
        raise QueueUnavailable("The job queue is unreachable; try again in a few minutes.") from exc


class RegistryWorker(SimpleWorker):
    """Run jobs in this process, inside the worker's app context, each with a fresh session.

    No fork: database connections are never shared between processes.
    """

    def perform_job(self, *args, **kwargs):
        try:
            return super().perform_job(*args, **kwargs)
        finally:
            db.session.remove()


def job(func):
    """Give a job an app context (a worker has none) and a fresh database session."""

    @wraps(func)
    def run(*args, **kwargs):
        if has_app_context():
            return func(*args, **kwargs)
        from registry import create_app

        with create_app().app_context():
            try:
                return func(*args, **kwargs)
            finally:
                db.session.remove()

    return run


def fail_stale(model, reason, now=None):
    """Mark as failed the jobs of `model` (a table of jobs with status, created_at, started_at
    and mark_failed) whose worker died: queued or running far longer than a job may run."""
    from registry.core import audit
    from registry.core.columns import utcnow

    limit = (now or utcnow()) - timedelta(seconds=current_app.config["JOB_TIMEOUT_SECONDS"] + 60)
    stale = db.session.scalars(
        sa.select(model).where(
            model.status.in_(("queued", "running")),
            sa.func.coalesce(model.started_at, model.created_at) < limit,
        )
    ).all()
    if stale:
        audit.act_as(audit.SYSTEM, "job did not finish in time")
        for record in stale:
            record.mark_failed(reason)
        db.session.flush()
    return len(stale)


def record_worker_failure(model, record_id, reason):
    """Called from rq's on_failure (the job itself died, e.g. timeout): mark the record failed."""
    from registry import create_app
    from registry.core import audit

    with create_app().app_context():
        audit.act_as(audit.SYSTEM, "job failed in the worker")
        record = db.session.get(model, record_id)
        if record is not None and record.status != "done":
            record.mark_failed(reason)
            db.session.commit()
        db.session.remove()
