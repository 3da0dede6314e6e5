"""Asking for a brief, following its job, and the rules on who sees which brief."""

from datetime import date

import sqlalchemy as sa

from registry.blueprints.briefs.models import MEETING_TYPES, SECTIONS, Brief
from registry.blueprints.meetings.models import Meeting
from registry.blueprints.reference.data import ASEAN_MEMBERS
from registry.blueprints.reference.models import Country
from registry.core import audit, jobs
from registry.core.errors import ValidationFailed
from registry.core.permissions import scoped
from registry.core.roles import ADMIN, CASE_READERS, FOCAL_POINT, OFFICIAL, UNODC
from registry.extensions import db

# Focal points may brief their own meetings too; every brief is built with its requester's scope.
REQUESTERS = (ADMIN, UNODC, OFFICIAL, FOCAL_POINT)
MAX_PERIOD_DAYS = 10 * 366


def parse_countries(value):
    """Accept a list of ISO3 codes, or "all" for every ASEAN member."""
    if value in ("all", ["all"]):
        return sorted(ASEAN_MEMBERS)
    if isinstance(value, str):
        value = value.split(",")
    return sorted({code.strip().upper() for code in value or [] if code.strip()})


def meeting_choices(user):
    """Recent and coming meetings the user may see, to brief a recorded meeting."""
    if user.role not in CASE_READERS:
        return {}
    stmt = scoped(sa.select(Meeting), user, Meeting).where(Meeting.type.in_(MEETING_TYPES))
    meetings = db.session.scalars(stmt.order_by(Meeting.date.desc()).limit(100)).all()
    return {str(m.id): f"{m.date} · {m.title}" for m in meetings}


def _from_meeting(actor, data):
    """Take the type, title and date of a recorded meeting the actor may see."""
    if not data.get("meeting_id"):
        return {**data, "meeting_id": None}
    meeting = (
        db.session.get(Meeting, int(data["meeting_id"]))
        if str(data["meeting_id"]).isdigit()
        else None
    )
    if meeting is None or str(meeting.id) not in meeting_choices(actor):
        raise ValidationFailed(
            "The brief was not requested.", {"meeting_id": ["Choose a meeting you can see."]}
        )
    return {
        **data,
        "meeting_id": meeting.id,
        "meeting_type": meeting.type,
        "title": data.get("title") or meeting.title,
        "meeting_date": meeting.date,
    }


def request_brief(actor, data, series_of=None):
    """Queue a brief for the actor; the caller commits, then enqueues generate()."""
    data = _from_meeting(actor, data)
    errors = {}
    meeting_type = data.get("meeting_type")
    if meeting_type not in MEETING_TYPES:
        errors["meeting_type"] = [f"Choose one of: {', '.join(MEETING_TYPES)}."]
    title = (data.get("title") or "").strip() or MEETING_TYPES.get(meeting_type, "")
    countries = parse_countries(data.get("countries"))
    known = set(db.session.scalars(sa.select(Country.iso3).where(Country.iso3.in_(countries))))
    if not countries:
        errors["countries"] = ["Choose at least one country, or all ASEAN members."]
    elif unknown := sorted(set(countries) - known):
        errors["countries"] = [f"Unknown country codes: {', '.join(unknown)}."]
    start, end = data.get("period_from"), data.get("period_to")
    if not isinstance(start, date):
        errors["period_from"] = ["Give the first day of the period (YYYY-MM-DD)."]
    if not isinstance(end, date):
        errors["period_to"] = ["Give the last day of the period (YYYY-MM-DD)."]
    if isinstance(start, date) and isinstance(end, date):
        if end < start:
            errors["period_to"] = ["The period ends before it starts."]
        elif (end - start).days > MAX_PERIOD_DAYS:
            errors["period_to"] = ["A brief covers at most ten years."]
    sections = [s for s in SECTIONS if s in (data.get("sections") or list(SECTIONS))]
    if data.get("sections") and set(data["sections"]) - set(SECTIONS):
        errors["sections"] = [f"Unknown sections; choose from: {', '.join(SECTIONS)}."]
    elif not sections:
        errors["sections"] = ["Choose at least one section."]
    if errors:
        raise ValidationFailed("The brief was not requested.", errors)
    audit.act_as(actor)
    brief = Brief(
        requested_by_id=actor.id,
        meeting_id=data.get("meeting_id"),
        meeting_type=meeting_type,
        title=title[:300],
        meeting_date=data.get("meeting_date"),
        countries=countries,
        period_from=start,
        period_to=end,
        sections=sections,
    )
    if series_of is not None:
        brief.series_id = series_of.series_id or series_of.id
        brief.version = _next_version(brief.series_id)
    db.session.add(brief)
    db.session.flush()
    return brief


def regenerate(actor, brief):
    """Ask again for the same brief; the new version is generated from today's data."""
    return request_brief(
        actor,
        {
            "meeting_type": brief.meeting_type,
            "title": brief.title,
            "meeting_id": brief.meeting_id,
            "meeting_date": brief.meeting_date,
            "countries": brief.countries,
            "period_from": brief.period_from,
            "period_to": brief.period_to,
            "sections": brief.sections,
        },
        series_of=brief,
    )


def _next_version(series_id):
    latest = db.session.scalar(
        sa.select(sa.func.max(Brief.version)).where(
            sa.or_(Brief.series_id == series_id, Brief.id == series_id)
        )
    )
    return (latest or 1) + 1


def visible_to(user, brief):
    """Briefs are private to the person who asked for them (admins see all)."""
    return brief is not None and (brief.requested_by_id == user.id or user.role == ADMIN)


def my_briefs(user):
    return (
        sa.select(Brief)
        .where(Brief.requested_by_id == user.id)
        .order_by(Brief.created_at.desc(), Brief.id.desc())
    )


def fail_stale(now=None):
    """Mark as failed the briefs whose worker died: running far longer than a job may run."""
    return jobs.fail_stale(
        Brief, "The brief was not finished in time (the worker stopped). Generate it again.", now
    )
