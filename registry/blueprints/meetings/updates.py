"""Country updates for a meeting: each participating country writes its own; UNODC may enter
one on a country's behalf, with a reason; a submitted update is locked until reopened."""

import sqlalchemy as sa

from registry.blueprints.meetings.models import (
    MISSING,
    UPDATE_FIELDS,
    UPDATE_MAX_LENGTH,
    UPDATE_STATUSES,
    CountryUpdate,
)
from registry.blueprints.meetings.services import can_view
from registry.core import audit
from registry.core.columns import utcnow
from registry.core.errors import Conflict, Forbidden, ValidationFailed
from registry.core.permissions import country_scope
from registry.core.roles import ADMIN, FOCAL_POINT, UNODC
from registry.core.validate import Checker
from registry.extensions import db

WRITERS = (ADMIN, UNODC, FOCAL_POINT)
# Fields a submitted update must have filled in.
REQUIRED_ON_SUBMIT = ("successes", "challenges", "next_steps")


def of_meeting(meeting):
    """{country: update} for the meeting's updates."""
    return {
        u.country_code: u
        for u in db.session.scalars(
            sa.select(CountryUpdate).where(CountryUpdate.meeting_id == meeting.id)
        )
    }


def tracker(user, meeting):
    """One row per participating country: its status (`missing` when nothing is written), and
    the update itself where the user's scope covers that country."""
    updates = of_meeting(meeting)
    scope = country_scope(user)
    rows = []
    for participation in meeting.participations:
        code = participation.country_code
        update = updates.get(code)
        rows.append(
            {
                "meeting_id": meeting.id,
                "country": code,
                "country_name": participation.country.name,
                "status": update.status if update else MISSING,
                "update": update if update and (scope is None or code in scope) else None,
            }
        )
    return rows


def submitted(user, meeting, countries):
    """The submitted updates of `countries` the user may read (drafts never leave)."""
    scope = country_scope(user)
    shown = [c for c in countries if scope is None or c in scope]
    return {
        u.country_code: u
        for u in db.session.scalars(
            sa.select(CountryUpdate).where(
                CountryUpdate.meeting_id == meeting.id,
                CountryUpdate.status == "submitted",
                CountryUpdate.country_code.in_(shown),
            )
        )
    }


def _country(actor, meeting, data, check):
    """Whose update this is: a focal point's own country; UNODC names it and says why."""
    code = (data.get("country") or "").strip().upper() or None
    if actor.role == FOCAL_POINT:
        if code not in (None, actor.country_code):
            raise Forbidden("A focal point writes only their own country's update.")
        code = actor.country_code
        if code not in meeting.countries:
            raise Forbidden("Your country does not take part in this meeting.")
        return code, None
    if code is None:
        check.fail("country", "Name the country whose update you enter.")
    elif code not in meeting.countries:
        check.fail("country", "Choose a country that takes part in the meeting.")
    reason = check.text("on_behalf_reason", 500, label="why you enter it on the country's behalf")
    return code, reason


def save(actor, meeting, data):
    """Create or change the update of the actor's country (or, for UNODC, the named one)."""
    if actor.role not in WRITERS or not can_view(actor, meeting):
        raise Forbidden("You cannot write updates for this meeting.")
    check = Checker(data)
    code, reason = _country(actor, meeting, data, check)
    values = {
        f: check.text(f, UPDATE_MAX_LENGTH, required=False, label=label.lower())
        for f, label in UPDATE_FIELDS.items()
    }
    status = check.code("status", UPDATE_STATUSES, default="draft")
    if status == "submitted":
        for field in REQUIRED_ON_SUBMIT:
            if not values[field] and field not in check.errors:
                check.fail(field, f"Write the {UPDATE_FIELDS[field].lower()} before submitting.")
    check.raise_if_any("The update was not saved.")
    update = of_meeting(meeting).get(code)
    if update is not None and update.status == "submitted":
        raise Conflict(
            "This update was submitted and is locked; reopen it (with a reason) to change it.",
            {"status": ["submitted"]},
        )
    if update is not None:
        update.check_version(data.get("version"))
    audit.act_as(actor, reason)
    if update is None:
        update = CountryUpdate(meeting_id=meeting.id, country_code=code)
        db.session.add(update)
    for key, value in values.items():
        setattr(update, key, value)
    update.status = status
    update.on_behalf_reason = reason
    update.submitted_at = utcnow() if status == "submitted" else None
    update.stamp(actor)
    db.session.flush()
    return update


def reopen(actor, meeting, country, reason):
    """Return a submitted update to draft; the reason is kept in the audit log."""
    update = of_meeting(meeting).get(country)
    if update is None or not can_view(actor, meeting):
        raise ValidationFailed("No update to reopen.", {"country": ["This country has none."]})
    if actor.role not in (ADMIN, UNODC) and not (
        actor.role == FOCAL_POINT and actor.country_code == country
    ):
        raise Forbidden("You may reopen your own country's update only.")
    if update.status != "submitted":
        raise ValidationFailed("Only a submitted update is reopened.", {"status": ["draft"]})
    if not (reason or "").strip():
        raise ValidationFailed("The update was not reopened.", {"reason": ["Say why."]})
    audit.act_as(actor, reason.strip()[:500])
    update.status, update.submitted_at = "draft", None
    update.stamp(actor)
    db.session.flush()
    return update
