"""The audit trail is checked on a schedule by the worker; admins and auditors see the verdict."""

from datetime import timedelta

from flask import current_app

from registry.core import jobs
from registry.core.audit import AuditEvent
from registry.core.audit_chain import verify_and_record


@jobs.job
def scheduled_verify():
    """Check the chain, keep the verdict as a checkpoint, and come back later."""
    try:
        return verify_and_record(AuditEvent.__table__).ok
    finally:
        _schedule(current_app.config["AUDIT_VERIFY_SECONDS"])


def ensure_scheduled():
    """At a worker's start: check now unless a check is already waiting (queued or scheduled)."""
    queue = jobs.queue()
    waiting = [*queue.get_jobs(), *_scheduled_jobs(queue)]
    if not any(job.func_name == _name() for job in waiting):
        queue.enqueue(scheduled_verify, job_timeout=current_app.config["JOB_TIMEOUT_SECONDS"])


def _scheduled_jobs(queue):
    registry = queue.scheduled_job_registry
    return [job for job in (queue.fetch_job(i) for i in registry.get_job_ids()) if job]


def _name():
    return f"{scheduled_verify.__module__}.{scheduled_verify.__qualname__}"


def _schedule(seconds):
    if jobs.redis_connection() is None:
        return  # no worker: checks run from `flask audit verify` (e.g. cron) only
    jobs.queue().enqueue_in(
        timedelta(seconds=seconds),
        scheduled_verify,
        job_timeout=current_app.config["JOB_TIMEOUT_SECONDS"],
    )
