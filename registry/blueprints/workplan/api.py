"""API: /api/v1/work-plan-items."""

from flask_login import current_user

from registry.blueprints.api.common import bp, envelope, page_body
from registry.blueprints.workplan import services
from registry.blueprints.workplan.models import WorkPlanItem
from registry.blueprints.workplan.schemas import (
    WorkPlanItemCreate,
    WorkPlanItemPatch,
    WorkPlanItemSchema,
    WorkPlanListArgs,
)
from registry.core.pagination import paginate
from registry.core.permissions import roles_required, visible_or_404
from registry.extensions import db

ItemPage = envelope(WorkPlanItemSchema, "WorkPlanItemPage")


@bp.route("/work-plan-items", methods=["GET"])
@roles_required(*services.READERS)
@bp.arguments(WorkPlanListArgs, location="query")
@bp.response(200, ItemPage)
def work_plan_list(args):
    """The work-plan items, by plan."""
    filters = {k: str(v) for k, v in args.items() if k not in ("page", "per_page")}
    return page_body(paginate(services.list_query(filters), args["page"], args["per_page"]))


@bp.route("/work-plan-items", methods=["POST"])
@roles_required(*services.EDITORS)
@bp.arguments(WorkPlanItemCreate)
@bp.response(201, WorkPlanItemSchema)
def work_plan_create(data):
    """Add an item; its first status opens the history (dated today unless `status_date`)."""
    item = services.create(current_user, data)
    db.session.commit()
    return item


@bp.route("/work-plan-items/<int:work_plan_item_id>", methods=["GET"])
@roles_required(*services.READERS)
@bp.response(200, WorkPlanItemSchema)
def work_plan_get(work_plan_item_id):
    """One item with its dated status history."""
    return visible_or_404(WorkPlanItem, work_plan_item_id, services.can_view, "work-plan item")


@bp.route("/work-plan-items/<int:work_plan_item_id>", methods=["PATCH"])
@roles_required(*services.EDITORS)
@bp.arguments(WorkPlanItemPatch)
@bp.response(200, WorkPlanItemSchema)
@bp.alt_response(428, description="No version sent")
@bp.alt_response(409, description="The version sent is not the current one")
def work_plan_patch(data, work_plan_item_id):
    """Change fields (a new `status` with its `status_date` adds to the history); send the
    `version` you loaded and a `reason`."""
    item = visible_or_404(WorkPlanItem, work_plan_item_id, services.can_view, "work-plan item")
    version, reason = data.pop("version"), data.pop("reason")
    services.update(current_user, item, data, version, reason)
    db.session.commit()
    return item
