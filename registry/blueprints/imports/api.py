"""API: /api/v1/imports — send a spreadsheet (202), follow the import, read its row report;
/api/v1/exports — the records in the same columns, so that an export imports back unchanged.

Every file sent through the API is an import job, whatever its size, so clients follow one
path: POST, then GET /api/v1/imports/<id> until the status is done or failed."""

import marshmallow as ma
from flask import abort, current_app
from flask_login import current_user
from flask_smorest.fields import Upload

from registry.blueprints.api.common import bp
from registry.blueprints.imports import services
from registry.blueprints.imports.models import ImportJob
from registry.blueprints.imports.registry import IMPORTERS
from registry.core.importer import export_response
from registry.core.permissions import roles_required, visible_or_404
from registry.extensions import db


class ImportArgs(ma.Schema):
    kind = ma.fields.String(required=True, validate=ma.validate.OneOf(sorted(IMPORTERS)))
    save = ma.fields.Boolean(
        load_default=False, metadata={"description": "false (default): a dry run"}
    )
    all_or_nothing = ma.fields.Boolean(
        load_default=False, metadata={"description": "Save nothing if any row is refused."}
    )


class ExportArgs(ma.Schema):
    kind = ma.fields.String(required=True, validate=ma.validate.OneOf(sorted(IMPORTERS)))
    format = ma.fields.String(load_default="csv", validate=ma.validate.OneOf(["csv", "xlsx"]))
    country = ma.fields.String(
        validate=ma.validate.Length(equal=3), metadata={"description": "ISO alpha-3"}
    )
    year = ma.fields.Integer(validate=ma.validate.Range(min=1900, max=2100))


class ImportFile(ma.Schema):
    file = Upload(required=True, metadata={"description": "A .csv (UTF-8) or .xlsx file"})


class RowReport(ma.Schema):
    line = ma.fields.Integer()
    key = ma.fields.String()
    errors = ma.fields.List(
        ma.fields.List(ma.fields.String()),
        metadata={"description": "[field, message] pairs"},
    )


class Summary(ma.Schema):
    rows = ma.fields.Integer()
    saved = ma.fields.Boolean()
    created = ma.fields.Integer()
    updated = ma.fields.Integer()
    unchanged = ma.fields.Integer()
    refused = ma.fields.Integer()


class ImportJobSchema(ma.Schema):
    id = ma.fields.Integer()
    kind = ma.fields.String()
    filename = ma.fields.String()
    save = ma.fields.Boolean()
    all_or_nothing = ma.fields.Boolean()
    rows_total = ma.fields.Integer()
    status = ma.fields.String(metadata={"description": "queued, running, done or failed"})
    progress = ma.fields.Method("_progress", metadata={"description": "percent"})
    error = ma.fields.String(allow_none=True)
    summary = ma.fields.Method("_summary", allow_none=True)
    refused = ma.fields.Method("_refused", metadata={"description": "the refused rows"})
    created_at = ma.fields.DateTime()
    finished_at = ma.fields.DateTime(allow_none=True)

    def _progress(self, import_job):
        return services.progress(import_job)[0]

    def _summary(self, import_job):
        return Summary().dump(import_job.report["summary"]) if import_job.report else None

    def _refused(self, import_job):
        return RowReport(many=True).dump(import_job.report["refused"] if import_job.report else [])


@bp.route("/imports", methods=["POST"])
@roles_required(*services.IMPORTERS_ROLES)
@bp.arguments(ImportArgs, location="query")
@bp.arguments(ImportFile, location="files")
@bp.response(202, ImportJobSchema)
def import_create(args, files):
    """Import a spreadsheet with your rights and scope; follow it at GET /api/v1/imports/<id>.

    Rows are checked by the same rules as the pages; the report lists every refused row with
    its line, field and message. Download the columns from the import page's templates."""
    upload = files["file"]
    filename = upload.filename or "upload.csv"
    with upload.stream:  # a large upload is spooled to a temporary file; release it
        content = upload.read(current_app.config["IMPORT_MAX_BYTES"] + 1)
    _table, rows = services.read(args["kind"], filename, content)
    import_job = services.start_job(
        current_user, args["kind"], filename, content, rows, args["save"], args["all_or_nothing"]
    )
    return import_job


@bp.route("/imports/<int:job_id>", methods=["GET"])
@roles_required(*services.IMPORTERS_ROLES)
@bp.response(200, ImportJobSchema)
def import_get(job_id):
    """An import's status, progress and, once done, its report."""
    import_job = visible_or_404(ImportJob, job_id, services.can_view, "import")
    if import_job.status in ("queued", "running") and services.fail_stale_jobs():
        db.session.commit()
    return import_job


@bp.route("/exports", methods=["GET"])
@roles_required(*services.EXPORTERS_ROLES)
@bp.arguments(ExportArgs, location="query")
@bp.response(200, description="A .csv (UTF-8 with BOM) or .xlsx file in the import columns")
@bp.alt_response(403, description="Your role cannot read this kind of record")
def export(args):
    """The records you may see (optionally of a country and a year) in the import columns."""
    importer = IMPORTERS[args.pop("kind")]
    if current_user.role not in importer.readers:
        abort(403, description="Your role cannot read these records.")
    fmt = args.pop("format")
    return export_response(current_user, importer, fmt, {k: str(v) for k, v in args.items()})
