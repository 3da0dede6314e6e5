"""API: /api/v1/notifications (the caller's own)."""

from flask_login import current_user

from registry.blueprints.api.common import bp, envelope, page_body
from registry.blueprints.notifications import services
from registry.blueprints.notifications.schemas import NotificationListArgs, NotificationSchema
from registry.core.pagination import paginate
from registry.core.permissions import signed_in

NotificationPage = envelope(NotificationSchema, "NotificationPage")


@bp.route("/notifications", methods=["GET"])
@signed_in
@bp.arguments(NotificationListArgs, location="query")
@bp.response(200, NotificationPage)
def notification_list(args):
    """Your notifications about records you may see, newest first (`unread=true`: unread only)."""
    stmt = services.list_query(current_user, args["unread"])
    return page_body(paginate(stmt, args["page"], args["per_page"]))
