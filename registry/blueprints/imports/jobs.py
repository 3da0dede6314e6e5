"""The import job: a large file checked and saved by a worker, its progress kept on the rq job.

The rows are saved in one transaction with the job's report, so the registry never holds half
an import: either the job is done with its report, or it failed and nothing of the file is saved.
Progress goes to the rq job's meta in Redis, not to the database, because the database
transaction that saves the rows stays open until the end."""

import logging

from flask import current_app
from rq import get_current_job

from registry.blueprints.imports.models import ImportJob
from registry.blueprints.imports.registry import IMPORTERS
from registry.core import audit
from registry.core import importer as engine
from registry.core.columns import utcnow
from registry.core.errors import DomainError
from registry.core.jobs import job, record_worker_failure
from registry.core.spreadsheet import read_table
from registry.extensions import db

log = logging.getLogger(__name__)


def _report_progress(done, total):
    current = get_current_job()
    if current is not None:
        current.meta.update(done=done, total=total)
        current.save_meta()


def _fail(job_id, reason):
    db.session.rollback()
    audit.act_as(audit.SYSTEM, "import failed")
    import_job = db.session.get(ImportJob, job_id)
    import_job.mark_failed(reason[:2000])
    db.session.commit()


@job
def run_import(job_id):
    """Run a queued import; running it again for a finished one does nothing."""
    import_job = db.session.get(ImportJob, job_id)
    if import_job is None or import_job.status in ("done", "failed"):
        return
    audit.act_as(audit.SYSTEM, "import started")
    import_job.status, import_job.started_at, import_job.error = "running", utcnow(), None
    db.session.commit()
    actor = import_job.requested_by
    if not actor.active:
        _fail(job_id, "The account that asked for this import was deactivated; nothing was saved.")
        return
    try:
        table = read_table(
            import_job.filename, import_job.content, current_app.config["IMPORT_MAX_BYTES"]
        )
        report = engine.run(
            actor,
            IMPORTERS[import_job.kind],
            table,
            save=import_job.save,
            all_or_nothing=import_job.all_or_nothing,
            progress=_report_progress,
        )
    except DomainError as exc:
        _fail(job_id, " ".join(sum(exc.errors.values(), [])) or exc.message)
        return
    except Exception as exc:  # a failed import must say why, whatever went wrong
        log.exception("import %s failed", job_id)
        _fail(job_id, f"The import failed: {type(exc).__name__}: {exc}")
        return
    audit.record(
        actor,
        "import",
        IMPORTERS[import_job.kind].object_type,
        None,
        {"file": import_job.filename, "job": import_job.id, **report.summary()},
    )
    audit.act_as(audit.SYSTEM, "import finished")
    import_job.report = {
        "summary": report.summary(),
        "refused": [row.as_dict() for row in report.refused],
    }
    import_job.status, import_job.finished_at, import_job.content = "done", utcnow(), None
    db.session.commit()


def on_failure(rq_job, connection, exc_type, exc_value, traceback):
    """rq calls this when the job itself died (e.g. timeout): nothing was saved; say so."""
    record_worker_failure(
        rq_job,
        ImportJob,
        f"The worker stopped the import ({exc_type.__name__}); nothing was saved. "
        "Split the file or try again.",
    )
