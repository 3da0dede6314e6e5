"""Imports: who may import, reading a file, running it now or handing a large one to a worker."""

import sqlalchemy as sa
from flask import current_app
from redis.exceptions import RedisError
from rq.exceptions import NoSuchJobError
from rq.job import Job

from registry.blueprints.imports import jobs
from registry.blueprints.imports.models import ImportJob
from registry.blueprints.imports.registry import IMPORTERS
from registry.core import audit
from registry.core import importer as engine
from registry.core.jobs import QueueUnavailable, enqueue, fail_stale, redis_connection
from registry.core.roles import ADMIN, FOCAL_POINT, UNODC
from registry.core.spreadsheet import read_table
from registry.extensions import db

IMPORTERS_ROLES = (ADMIN, UNODC, FOCAL_POINT)
# Every role that reads some kind of record (officials: the work plan); each kind narrows it.
EXPORTERS_ROLES = tuple(sorted({role for kind in IMPORTERS.values() for role in kind.readers}))


def can_view(user, import_job):
    return import_job.requested_by_id == user.id or user.role == ADMIN


def read(kind, filename, content):
    """The file's table and its number of data rows; refuses what is not a readable .csv/.xlsx
    within the size limit, an empty file, and unexpected columns."""
    table = read_table(filename, content, current_app.config["IMPORT_MAX_BYTES"])
    return table, len(engine.check_header(IMPORTERS[kind], table)[1])


def import_now(actor, kind, filename, table, save, all_or_nothing, progress=None):
    """Check (and, when saving, save) a file in this request; return its report."""
    report = engine.run(actor, IMPORTERS[kind], table, save, all_or_nothing, progress)
    audit.record(
        actor, "import", IMPORTERS[kind].object_type, None, {"file": filename, **report.summary()}
    )
    db.session.commit()
    return report


def start_job(actor, kind, filename, content, rows, save, all_or_nothing):
    """Keep the file with what was asked, commit, then hand it to a worker (inline without
    Redis). Returns the job; when the queue is unreachable it is failed with that reason."""
    audit.act_as(actor)
    import_job = ImportJob(
        requested_by_id=actor.id,
        kind=kind,
        filename=filename[:255],
        content=content,
        rows_total=rows,
        save=save,
        all_or_nothing=all_or_nothing,
    )
    db.session.add(import_job)
    db.session.commit()
    try:
        queued = enqueue(jobs.run_import, import_job.id, on_failure=jobs.on_failure)
    except QueueUnavailable as exc:
        audit.act_as(audit.SYSTEM, "job queue unreachable")
        import_job.mark_failed(str(exc))
        db.session.commit()
        return import_job
    if queued is not None:
        import_job.rq_id = queued.id
        db.session.commit()
    return db.session.get(ImportJob, import_job.id)


def fail_stale_jobs():
    return fail_stale(
        ImportJob,
        "The import did not finish in time (the worker stopped); nothing was saved. "
        "Split the file or try again.",
    )


def progress(import_job):
    """(percent, words) for the page: rows checked so far, read from the worker's rq job."""
    total = import_job.rows_total or 1
    if import_job.status in ("done", "failed"):
        return 100, "Finished" if import_job.status == "done" else "Failed"
    if import_job.status == "queued":
        return 0, "Waiting for a worker"
    done = 0
    if import_job.rq_id and (connection := redis_connection()) is not None:
        try:
            done = Job.fetch(import_job.rq_id, connection=connection).meta.get("done", 0)
        except (NoSuchJobError, RedisError):
            done = 0
    return min(99, done * 100 // total), f"Checked {done:,} of {import_job.rows_total:,} rows"


def my_jobs(user, limit=10):
    return db.session.scalars(
        sa.select(ImportJob)
        .where(ImportJob.requested_by_id == user.id)
        .order_by(ImportJob.created_at.desc(), ImportJob.id.desc())
        .limit(limit)
    ).all()
