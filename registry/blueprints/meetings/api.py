"""API: /api/v1/meetings and their action items."""

from flask_login import current_user

from registry.blueprints.api.common import bp, envelope, page_body
from registry.blueprints.meetings import services, updates
from registry.blueprints.meetings.models import ActionItem, Meeting
from registry.blueprints.meetings.schemas import (
    ActionItemPatch,
    ActionItemSchema,
    CountryUpdateReopen,
    CountryUpdateRow,
    CountryUpdateSchema,
    CountryUpdateWrite,
    MeetingCreate,
    MeetingListArgs,
    MeetingPatch,
    MeetingSchema,
)
from registry.core.pagination import paginate
from registry.core.permissions import roles_required, visible_or_404
from registry.extensions import db

MeetingPage = envelope(MeetingSchema, "MeetingPage")


def _load(meeting_id):
    return visible_or_404(Meeting, meeting_id, services.can_view, "meeting")


@bp.route("/meetings", methods=["GET"])
@roles_required(*services.READERS)
@bp.arguments(MeetingListArgs, location="query")
@bp.response(200, MeetingPage)
def meeting_list(args):
    """List the meetings you may see, newest first."""
    filters = {k: str(v) for k, v in args.items() if k not in ("page", "per_page")}
    return page_body(
        paginate(services.list_query(current_user, filters), args["page"], args["per_page"])
    )


@bp.route("/meetings", methods=["POST"])
@roles_required(*services.EDITORS)
@bp.arguments(MeetingCreate)
@bp.response(201, MeetingSchema)
def meeting_create(data):
    """Record a meeting; police_to_police has exactly two countries."""
    meeting = services.create_meeting(current_user, data)
    db.session.commit()
    return meeting


@bp.route("/meetings/<int:meeting_id>", methods=["GET"])
@roles_required(*services.READERS)
@bp.response(200, MeetingSchema)
def meeting_get(meeting_id):
    """One meeting."""
    return _load(meeting_id)


@bp.route("/meetings/<int:meeting_id>", methods=["PATCH"])
@roles_required(*services.EDITORS)
@bp.arguments(MeetingPatch)
@bp.response(200, MeetingSchema)
def meeting_patch(data, meeting_id):
    """Change fields; send the version you loaded and a reason."""
    meeting = _load(meeting_id)
    version, reason = data.pop("version", None), data.pop("reason")
    services.update_meeting(current_user, meeting, data, version, reason)
    db.session.commit()
    return meeting


@bp.route("/meetings/<int:meeting_id>/action-items", methods=["GET"])
@roles_required(*services.READERS)
@bp.response(200, ActionItemSchema(many=True))
def action_item_list(meeting_id):
    """The meeting's action items."""
    return _load(meeting_id).action_items


@bp.route("/meetings/<int:meeting_id>/action-items", methods=["POST"])
@roles_required(*services.EDITORS)
@bp.arguments(ActionItemSchema)
@bp.response(201, ActionItemSchema)
def action_item_create(data, meeting_id):
    """Add an action item owned by one of the meeting's countries."""
    item = services.add_action_item(current_user, _load(meeting_id), data)
    db.session.commit()
    return item


@bp.route("/action-items/<int:item_id>", methods=["PATCH"])
@roles_required(*services.EDITORS)
@bp.arguments(ActionItemPatch)
@bp.response(200, ActionItemSchema)
def action_item_patch(data, item_id):
    """Change an action item; send the version you loaded and a reason."""
    item = visible_or_404(
        ActionItem, item_id, lambda user, i: services.can_view(user, i.meeting), "action item"
    )
    version, reason = data.pop("version", None), data.pop("reason")
    services.update_action_item(current_user, item, data, version, reason)
    db.session.commit()
    return item


@bp.route("/meetings/<int:meeting_id>/country-updates", methods=["GET"])
@roles_required(*services.READERS)
@bp.response(200, CountryUpdateRow(many=True))
def country_update_list(meeting_id):
    """One row per participating country, `missing` where it has written nothing; the text
    of the countries your scope covers."""
    return updates.tracker(current_user, _load(meeting_id))


@bp.route("/meetings/<int:meeting_id>/country-updates", methods=["POST"])
@roles_required(*updates.WRITERS)
@bp.arguments(CountryUpdateWrite)
@bp.response(200, CountryUpdateSchema)
def country_update_save(data, meeting_id):
    """Create or change your country's update (UNODC: name the country and give
    `on_behalf_reason`); `status: submitted` locks it. Send `version` to change one."""
    update = updates.save(current_user, _load(meeting_id), data)
    db.session.commit()
    return update


@bp.route("/meetings/<int:meeting_id>/country-updates/reopen", methods=["POST"])
@roles_required(*updates.WRITERS)
@bp.arguments(CountryUpdateReopen)
@bp.response(200, CountryUpdateSchema)
def country_update_reopen(data, meeting_id):
    """Return a country's submitted update to draft, with a reason."""
    update = updates.reopen(current_user, _load(meeting_id), data["country"], data["reason"])
    db.session.commit()
    return update
