"""Bulk import pages: templates, a dry run that saves nothing, then the real run."""

import io

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    url_for,
)
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from openpyxl import Workbook
from wtforms import SelectField

from registry.blueprints.imports import services
from registry.blueprints.imports.models import ImportJob
from registry.blueprints.imports.registry import IMPORTERS
from registry.blueprints.imports.services import IMPORTERS_ROLES
from registry.core.errors import ValidationFailed
from registry.core.permissions import roles_required, visible_or_404
from registry.extensions import db

bp = Blueprint("imports", __name__, url_prefix="/imports")


class ImportForm(FlaskForm):
    file = FileField(
        "Spreadsheet (.xlsx or .csv, UTF-8)", validators=[FileRequired(message="Choose a file.")]
    )
    mode = SelectField(
        "What to do",
        choices={"dry_run": "Check only (dry run: nothing is saved)", "save": "Import"},
    )
    policy = SelectField(
        "If some rows have errors",
        choices={"valid_only": "Save the valid rows", "all_or_nothing": "Save nothing"},
    )


def _importer(kind):
    return IMPORTERS.get(kind) or abort(404)


@bp.route("/")
@roles_required(*IMPORTERS_ROLES)
def index():
    if services.fail_stale_jobs():
        db.session.commit()
    return render_template(
        "imports/index.html",
        importers=IMPORTERS,
        form=ImportForm(),
        jobs=services.my_jobs(current_user),
        job_rows=current_app.config["IMPORT_JOB_ROWS"],
    )


@bp.route("/<kind>/template.<any(csv, xlsx):ext>")
@roles_required(*IMPORTERS_ROLES)
def template(kind, ext):
    importer = _importer(kind)
    header = list(importer.columns)
    if ext == "csv":
        return Response(
            "\ufeff" + ",".join(header) + "\n",
            mimetype="text/csv",
            headers={"Content-Disposition": f'attachment; filename="{kind}-template.csv"'},
        )
    book = Workbook()
    book.active.title = importer.label[:31]
    book.active.append(header)
    notes = book.create_sheet("Columns")
    for name, help_text in importer.columns.items():
        notes.append([name, "required" if name in importer.required else "optional", help_text])
    out = io.BytesIO()
    book.save(out)
    return Response(
        out.getvalue(),
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"Content-Disposition": f'attachment; filename="{kind}-template.xlsx"'},
    )


@bp.route("/<kind>", methods=["POST"])
@roles_required(*IMPORTERS_ROLES)
def run(kind):
    """Small files are checked in this request; larger ones go to a worker with a progress page."""
    importer = _importer(kind)
    form = ImportForm()
    if not form.validate_on_submit():
        flash("Choose a .xlsx or .csv file.", "error")
        return redirect(url_for("imports.index"))
    limit = current_app.config["IMPORT_MAX_BYTES"]
    with form.file.data.stream:
        content = form.file.data.read(limit + 1)
    filename = form.file.data.filename or "upload"
    save, all_or_nothing = form.mode.data == "save", form.policy.data == "all_or_nothing"
    try:
        table, rows = services.read(kind, filename, content)
        if rows > current_app.config["IMPORT_JOB_ROWS"]:
            import_job = services.start_job(
                current_user, kind, filename, content, rows, save, all_or_nothing
            )
            return redirect(url_for("imports.job", job_id=import_job.id))
        report = services.import_now(current_user, kind, filename, table, save, all_or_nothing)
    except ValidationFailed as exc:
        db.session.rollback()
        flash(" ".join(sum(exc.errors.values(), [])) or exc.message, "error")
        return redirect(url_for("imports.index"))
    return render_template(
        "imports/report.html",
        importer=importer,
        summary=report.summary(),
        refused=report.refused,
        dry_run=not save,
    )


def _job_or_404(job_id):
    return visible_or_404(ImportJob, job_id, services.can_view, "import")


@bp.route("/jobs/<int:job_id>")
@roles_required(*IMPORTERS_ROLES)
def job(job_id):
    import_job = _job_or_404(job_id)
    if import_job.status in ("queued", "running") and services.fail_stale_jobs():
        db.session.commit()
    percent, words = services.progress(import_job)
    return render_template(
        "imports/job.html",
        job=import_job,
        importer=IMPORTERS[import_job.kind],
        percent=percent,
        words=words,
    )


@bp.route("/jobs/<int:job_id>/status")
@roles_required(*IMPORTERS_ROLES)
def job_status(job_id):
    import_job = _job_or_404(job_id)
    if import_job.status in ("queued", "running") and services.fail_stale_jobs():
        db.session.commit()
    percent, words = services.progress(import_job)
    return jsonify(
        {
            "id": import_job.id,
            "status": import_job.status,
            "progress": percent,
            "stage": words,
            "error": import_job.error,
        }
    )
