"""Pages: a person's notifications (the bell), marking them read; the calendar feed."""

from datetime import date

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy.exc import SQLAlchemyError

from registry.blueprints.auth import services as accounts
from registry.blueprints.notifications import calendar, services
from registry.blueprints.notifications.targets import link
from registry.core.pagination import paginate
from registry.core.permissions import public, signed_in
from registry.extensions import db

bp = Blueprint("notifications", __name__, url_prefix="/notifications")


@bp.app_context_processor
def _bell():
    return {"unread_notifications": _unread}


def _unread():
    """The signed-in user's unread count for the header's bell (None if it cannot be had)."""
    if not current_user.is_authenticated:
        return None
    try:
        return services.unread_count(current_user)
    except SQLAlchemyError:
        # Error pages must render even when the database is the problem.
        db.session.rollback()
        return None


@bp.route("/")
@signed_in
def index():
    unread_only = request.args.get("unread") == "1"
    page = paginate(
        services.list_query(current_user, unread_only), request.args.get("page", 1, type=int), 25
    )
    return render_template(
        "notifications/index.html", page=page, unread_only=unread_only, link=link
    )


@bp.route("/<int:notification_id>/read", methods=["POST"])
@signed_in
def mark_read(notification_id):
    notification = services.own(current_user, notification_id)
    if notification is None:
        abort(404, description="No such notification.")
    services.mark_read(notification)
    db.session.commit()
    return redirect(url_for("notifications.index"))


@bp.route("/read-all", methods=["POST"])
@signed_in
def mark_all_read():
    count = services.mark_all_read(current_user)
    db.session.commit()
    flash(f"{count} notification{'s' if count != 1 else ''} marked read.", "success")
    return redirect(url_for("notifications.index"))


@bp.route("/feed/<token>.ics")
@public
def feed(token):
    """The calendar of a feed token's owner: the token is the credential (no session)."""
    user = accounts.user_for_feed(token)
    if user is None:
        abort(404, description="No such calendar.")
    body = calendar.ical(
        user,
        date.today(),
        lambda endpoint, values: url_for(endpoint, _external=True, **values),
    )
    return Response(
        body,
        mimetype="text/calendar",
        headers={
            "Content-Disposition": 'inline; filename="registry-deadlines.ics"',
            "Cache-Control": "private, no-store",
        },
    )
