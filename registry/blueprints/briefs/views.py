"""Pages to ask for a brief, watch it being made, and download it."""

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user

from registry.blueprints.briefs import jobs, services
from registry.blueprints.briefs.forms import BriefForm
from registry.blueprints.briefs.models import Brief
from registry.blueprints.reference.services import country_choices
from registry.core import audit
from registry.core.errors import ValidationFailed
from registry.core.forms import apply_errors
from registry.core.jobs import QueueUnavailable, enqueue
from registry.core.pagination import paginate
from registry.core.permissions import roles_required, visible_or_404
from registry.extensions import db

bp = Blueprint("briefs", __name__, url_prefix="/briefs")
REQUESTERS = services.REQUESTERS


def _brief_or_404(brief_id):
    return visible_or_404(Brief, brief_id, services.visible_to)


def start(brief):
    """Commit the request, then hand it to a worker (inline without Redis)."""
    db.session.commit()
    try:
        enqueue(jobs.generate, brief.id, on_failure=jobs.on_failure)
    except QueueUnavailable as exc:
        audit.act_as(audit.SYSTEM, "job queue unreachable")
        brief.mark_failed(str(exc))
        db.session.commit()
        flash(str(exc), "error")


@bp.route("/")
@roles_required(*REQUESTERS)
def index():
    if services.fail_stale():
        db.session.commit()
    page = paginate(services.my_briefs(current_user), request.args.get("page", 1, type=int), 20)
    return render_template("briefs/index.html", page=page)


@bp.route("/new", methods=["GET", "POST"])
@roles_required(*REQUESTERS)
def new():
    form = BriefForm()
    form.countries.choices = country_choices(asean_only=True)
    form.meeting_id.choices = {
        "": "— none: choose the type below —",
        **services.meeting_choices(current_user),
    }
    if form.validate_on_submit():
        data = {
            **form.data,
            "countries": "all" if form.scope.data == "all" else form.countries.data,
        }
        try:
            brief = services.request_brief(current_user, data)
        except ValidationFailed as exc:
            apply_errors(form, exc)
        else:
            start(brief)
            return redirect(url_for("briefs.detail", brief_id=brief.id))
    return render_template("briefs/new.html", form=form)


@bp.route("/<int:brief_id>")
@roles_required(*REQUESTERS)
def detail(brief_id):
    return render_template("briefs/detail.html", brief=_brief_or_404(brief_id))


@bp.route("/<int:brief_id>/status")
@roles_required(*REQUESTERS)
def status(brief_id):
    brief = _brief_or_404(brief_id)
    if brief.status in ("queued", "running") and services.fail_stale():
        db.session.commit()
    return jsonify(
        {
            "id": brief.id,
            "status": brief.status,
            "progress": brief.progress,
            "stage": brief.stage,
            "error": brief.error,
            "pdf": url_for("briefs.pdf", brief_id=brief.id) if brief.status == "done" else None,
        }
    )


DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def download(brief, kind):
    """The finished brief's PDF or its .docx copy, the download audited."""
    if brief.status != "done":
        abort(404)
    content, digest, mimetype = {
        "pdf": (brief.pdf, brief.sha256, "application/pdf"),
        "docx": (brief.docx, brief.docx_sha256, DOCX),
    }[kind]
    if content is None:
        abort(404)  # a brief made before the .docx copy existed
    audit.record(current_user, "export", "Brief", brief.id, {"sha256": digest, "format": kind})
    db.session.commit()
    name = f"brief-{brief.id}-v{brief.version}.{kind}"
    return Response(
        content,
        mimetype=mimetype,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@bp.route("/<int:brief_id>/pdf")
@roles_required(*REQUESTERS)
def pdf(brief_id):
    return download(_brief_or_404(brief_id), "pdf")


@bp.route("/<int:brief_id>/docx")
@roles_required(*REQUESTERS)
def docx(brief_id):
    """The editable copy of the same brief."""
    return download(_brief_or_404(brief_id), "docx")


@bp.route("/<int:brief_id>/regenerate", methods=["POST"])
@roles_required(*REQUESTERS)
def regenerate(brief_id):
    brief = services.regenerate(current_user, _brief_or_404(brief_id))
    start(brief)
    return redirect(url_for("briefs.detail", brief_id=brief.id))
