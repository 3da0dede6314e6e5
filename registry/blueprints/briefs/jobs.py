"""The brief job: gather, draw, render; progress is committed so the page can show it."""

import hashlib
import logging

from flask import current_app, render_template

from registry.blueprints.briefs import content as brief_content
from registry.blueprints.briefs.models import SECTIONS, Brief
from registry.core import audit
from registry.core.columns import utcnow
from registry.core.docx import html_to_docx
from registry.core.export import suppress
from registry.core.jobs import job, record_worker_failure
from registry.core.pdf import html_to_pdf
from registry.extensions import db

log = logging.getLogger(__name__)


def _step(brief, progress, stage):
    brief.progress, brief.stage = progress, stage
    db.session.commit()


def brief_html(brief, as_of, step=lambda progress, stage: None):
    """Gather the data with the requester's scope, draw the charts and fill the template."""
    gathered = brief_content.gather(brief.requested_by, brief, as_of.date())
    step(45, "Drawing charts")
    brief_content.draw(gathered)
    step(70, "Rendering the PDF")
    return render_template(
        "pdf/brief.html",
        brief=brief,
        content=gathered,
        sections=SECTIONS,
        as_of=as_of,
        suppress=suppress,
        classification=current_app.config["CLASSIFICATION"],
    )


@job
def generate(brief_id):
    """Generate a queued brief; running it again for a finished brief does nothing."""
    audit.act_as(audit.SYSTEM, "brief generation")
    brief = db.session.get(Brief, brief_id)
    if brief is None or brief.status in ("done", "failed"):
        return
    brief.status, brief.started_at, brief.error = "running", utcnow(), None
    _step(brief, 5, "Gathering data")
    try:
        as_of = utcnow()
        brief.data_as_of = as_of
        html = brief_html(brief, as_of, lambda progress, stage: _step(brief, progress, stage))
        pdf = html_to_pdf(html)
        _step(brief, 90, "Writing the editable copy")
        docx = html_to_docx(html)
    except Exception as exc:  # a failed brief must say why, whatever went wrong
        log.exception("brief %s failed", brief_id)
        db.session.rollback()
        audit.act_as(audit.SYSTEM, "brief generation failed")
        brief = db.session.get(Brief, brief_id)
        brief.mark_failed(f"The brief could not be generated: {type(exc).__name__}: {exc}"[:2000])
        db.session.commit()
        return
    brief.pdf, brief.size = pdf, len(pdf)
    brief.sha256 = hashlib.sha256(pdf).hexdigest()
    brief.docx, brief.docx_sha256 = docx, hashlib.sha256(docx).hexdigest()
    brief.status, brief.progress, brief.stage = "done", 100, "Done"
    brief.finished_at = utcnow()
    db.session.commit()


def on_failure(rq_job, connection, exc_type, exc_value, traceback):
    """rq calls this when the job itself died (e.g. timeout): record it on the brief."""
    record_worker_failure(
        rq_job,
        Brief,
        f"The worker stopped the job: {exc_type.__name__}. Generate it again.",
    )
