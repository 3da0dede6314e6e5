"""Background jobs: rq on Redis when configured, otherwise run inline in the caller.

A worker that dies (killed, out of memory, machine lost) is noticed within a minute: while a
job runs, the worker renews the job's lease every `JOB_HEARTBEAT_SECONDS / 4` seconds for
`JOB_HEARTBEAT_SECONDS`; every worker looks for expired leases as often (rq's abandoned-job
check). Each job is tried once more (`Retry(max=1)`); the second death marks its record failed.
"""

import threading
from datetime import timedelta
from functools import wraps

import sqlalchemy as sa
from flask import current_app, has_app_context
from redis import Redis
from redis.exceptions import RedisError
from rq import Callback, Queue, Retry, SimpleWorker

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
            retry=Retry(max=1),
        )
    except RedisError as exc:
        raise QueueUnavailable("The job queue is unreachable; try again in a few minutes.") from exc


class RegistryWorker(SimpleWorker):
    """Run jobs in this process, inside the worker's app context, each with a fresh session.

    No fork: database connections are never shared between processes. A thread renews the
    running job's lease (rq's heartbeat) for `heartbeat` seconds at a time, so the lease of a
    job whose worker died runs out that soon, and the idle loop wakes as often to look for them.
    """

    def __init__(self, queues, *, heartbeat, **kwargs):
        self.lease = heartbeat
        super().__init__(
            queues,
            worker_ttl=heartbeat + 15,  # rq blocks on the queue for worker_ttl - 15 seconds
            maintenance_interval=heartbeat,
            job_monitoring_interval=heartbeat,
            **kwargs,
        )

    def get_heartbeat_ttl(self, job, working_time=0.0):
        return self.lease

    def perform_job(self, job, queue, execution):
        done = threading.Event()
        renew = threading.Thread(
            target=self._renew_lease, args=(job, execution, done), name="lease", daemon=True
        )
        renew.start()
        try:
            return super().perform_job(job, queue, execution)
        finally:
            done.set()
            renew.join()
            db.session.remove()

    def _renew_lease(self, job, execution, done):
        while not done.wait(self.lease / 4):
            try:
                self.maintain_heartbeats(job, execution)
            except RedisError:  # a missed renewal only shortens the lease
                self.log.warning("could not renew the lease of job %s", job.id)


def worker():
    """The registry's rq worker on the registry queue, with the configured lease."""
    return RegistryWorker(
        [queue()],
        connection=redis_connection(),
        heartbeat=current_app.config["JOB_HEARTBEAT_SECONDS"],
    )


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


RETRYING = "The worker stopped while running this; it is being tried once more."


def record_worker_failure(rq_job, model, reason):
    """Called from rq's on_failure when the job itself died (timeout, or its worker was lost and
    another worker found the lease expired): queue the record again while the job has a retry
    left (rq then requeues it), else mark it failed with `reason`."""
    from registry import create_app
    from registry.core import audit

    with create_app().app_context():
        audit.act_as(audit.SYSTEM, "job failed in the worker")
        record = db.session.get(model, rq_job.args[0])
        if record is not None and record.status != "done":
            if rq_job.retries_left:
                record.mark_requeued(RETRYING)
            else:
                record.mark_failed(reason)
            db.session.commit()
        db.session.remove()
