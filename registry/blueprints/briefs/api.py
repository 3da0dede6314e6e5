"""API: /api/v1/briefs — ask for a brief (202), follow it, download the PDF."""

import marshmallow as ma
from flask import abort, url_for
from flask_login import current_user

from registry.blueprints.api.common import bp
from registry.blueprints.briefs import services
from registry.blueprints.briefs.models import MEETING_TYPES, SECTIONS, Brief
from registry.blueprints.briefs.views import download, start
from registry.core.input_guard import ID_RANGE
from registry.core.permissions import roles_required, visible_or_404
from registry.extensions import db


class BriefCreate(ma.Schema):
    meeting_id = ma.fields.Integer(
        load_default=None,
        allow_none=True,
        validate=ID_RANGE,
        metadata={"description": "Brief this recorded meeting: its type, title and date."},
    )
    meeting_type = ma.fields.String(validate=ma.validate.OneOf(list(MEETING_TYPES)))
    title = ma.fields.String(load_default="", validate=ma.validate.Length(max=300))
    meeting_date = ma.fields.Date(load_default=None, allow_none=True)
    countries = ma.fields.Raw(
        required=True,
        metadata={"description": 'A list of ISO3 codes, or "all" for every ASEAN member.'},
    )
    period_from = ma.fields.Date(required=True)
    period_to = ma.fields.Date(required=True)
    sections = ma.fields.List(
        ma.fields.String(validate=ma.validate.OneOf(list(SECTIONS))), load_default=None
    )

    @ma.validates("countries")
    def _countries(self, value, **_kwargs):
        if value != "all" and not (
            isinstance(value, list) and all(isinstance(v, str) for v in value)
        ):
            raise ma.ValidationError('Give a list of ISO3 codes or "all".')


class BriefSchema(ma.Schema):
    id = ma.fields.Integer()
    status = ma.fields.String()
    progress = ma.fields.Integer()
    stage = ma.fields.String()
    error = ma.fields.String(allow_none=True)
    title = ma.fields.String()
    version = ma.fields.Integer()
    meeting_type = ma.fields.String()
    countries = ma.fields.List(ma.fields.String())
    period_from = ma.fields.Date()
    period_to = ma.fields.Date()
    sections = ma.fields.List(ma.fields.String())
    data_as_of = ma.fields.DateTime(allow_none=True)
    size = ma.fields.Integer(allow_none=True)
    sha256 = ma.fields.String(allow_none=True)
    meeting_id = ma.fields.Integer(allow_none=True)
    docx_sha256 = ma.fields.String(allow_none=True)
    pdf_url = ma.fields.Method("_pdf_url")
    docx_url = ma.fields.Method("_docx_url")

    def _pdf_url(self, brief):
        return url_for("api.brief_pdf", brief_id=brief.id) if brief.status == "done" else None

    def _docx_url(self, brief):
        return url_for("api.brief_docx", brief_id=brief.id) if brief.status == "done" else None


def _load(brief_id):
    return visible_or_404(Brief, brief_id, services.visible_to, "brief")


@bp.route("/briefs", methods=["POST"])
@roles_required(*services.REQUESTERS)
@bp.arguments(BriefCreate)
@bp.response(202, BriefSchema)
def brief_create(data):
    """Ask for a brief built with your scope; follow it at GET /api/v1/briefs/<id>."""
    brief = services.request_brief(current_user, data)
    start(brief)
    return db.session.get(Brief, brief.id)


@bp.route("/briefs/<int:brief_id>", methods=["GET"])
@roles_required(*services.REQUESTERS)
@bp.response(200, BriefSchema)
def brief_get(brief_id):
    """A brief's status and progress."""
    brief = _load(brief_id)
    if brief.status in ("queued", "running") and services.fail_stale():
        db.session.commit()
    return brief


@bp.route("/briefs/<int:brief_id>/pdf", methods=["GET"])
@roles_required(*services.REQUESTERS)
@bp.response(200, description="The PDF")
@bp.alt_response(404, description="No such brief, or not finished")
def brief_pdf(brief_id):
    """The finished PDF."""
    return _file(brief_id, "pdf")


@bp.route("/briefs/<int:brief_id>/docx", methods=["GET"])
@roles_required(*services.REQUESTERS)
@bp.response(200, description="The editable .docx copy, made by the same job")
@bp.alt_response(404, description="No such brief, or not finished")
def brief_docx(brief_id):
    """The finished brief's editable .docx copy."""
    return _file(brief_id, "docx")


def _file(brief_id, kind):
    brief = _load(brief_id)
    if brief.status != "done":
        abort(404, description=f"The brief is {brief.status}.")
    return download(brief, kind)
