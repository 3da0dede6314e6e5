"""API: /api/v1/jits."""

from flask_login import current_user

from registry.blueprints.api.common import bp, envelope, page_body
from registry.blueprints.jits import services
from registry.blueprints.jits.models import Jit
from registry.blueprints.jits.schemas import JitCreate, JitListArgs, JitPatch, JitSchema
from registry.core.pagination import paginate
from registry.core.permissions import roles_required, visible_or_404
from registry.extensions import db

JitPage = envelope(JitSchema, "JitPage")


def _load(jit_id):
    return visible_or_404(Jit, jit_id, services.can_view, "joint investigation team")


@bp.route("/jits", methods=["GET"])
@roles_required(*services.READERS)
@bp.arguments(JitListArgs, location="query")
@bp.response(200, JitPage)
def jit_list(args):
    """List the teams you may see."""
    filters = {k: str(v) for k, v in args.items() if k not in ("page", "per_page")}
    return page_body(
        paginate(services.list_query(current_user, filters), args["page"], args["per_page"])
    )


@bp.route("/jits", methods=["POST"])
@roles_required(*services.EDITORS)
@bp.arguments(JitCreate)
@bp.response(201, JitSchema)
def jit_create(data):
    """Create a team of two or more member countries, one of them the lead."""
    jit = services.create_jit(current_user, data)
    db.session.commit()
    return jit


@bp.route("/jits/<int:jit_id>", methods=["GET"])
@roles_required(*services.READERS)
@bp.response(200, JitSchema)
def jit_get(jit_id):
    """One team."""
    return _load(jit_id)


@bp.route("/jits/<int:jit_id>", methods=["PATCH"])
@roles_required(*services.EDITORS)
@bp.arguments(JitPatch)
@bp.response(200, JitSchema)
def jit_patch(data, jit_id):
    """Change fields (send the version you loaded and a reason); `status` moves the lifecycle."""
    jit = _load(jit_id)
    version, reason, status = (
        data.pop("version", None),
        data.pop("reason"),
        data.pop("status", None),
    )
    if data:
        services.update_jit(current_user, jit, data, version, reason)
    if status and status != jit.status:
        services.change_status(current_user, jit, status, reason)
    db.session.commit()
    return jit
