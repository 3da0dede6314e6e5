"""Meetings and action items: access rules, country rules, edits."""

from datetime import date

import sqlalchemy as sa

from registry.blueprints.meetings.models import (
    COUNTS_BY_DEFAULT,
    ITEM_STATUSES,
    MEETING_TYPES,
    ActionItem,
    Meeting,
    MeetingCountry,
)
from registry.blueprints.reference.models import Agency
from registry.core import audit, params
from registry.core.errors import Forbidden
from registry.core.permissions import country_scope, scoped
from registry.core.roles import ADMIN, AUDITOR, CASE_READERS, FOCAL_POINT, UNODC
from registry.core.validate import Checker
from registry.extensions import db

READERS = (ADMIN, FOCAL_POINT, UNODC, AUDITOR)
EDITORS = (ADMIN, FOCAL_POINT, UNODC)
FIELDS = (
    "type",
    "title",
    "date",
    "venue",
    "host_country",
    "participants_female",
    "participants_male",
    "participants_other",
    "topics",
    "outcomes",
    "counts_toward_2_6_1",
)
# How many countries each type of meeting has: (minimum, maximum).
COUNTRY_RULES = {"police_to_police": (2, 2), "national_forum": (1, 1)}


def can_view(user, meeting):
    if user.role not in CASE_READERS:
        return False
    return country_scope(user) is None or user.country_code in meeting.countries


def can_edit(user, meeting):
    return user.role in (ADMIN, UNODC) or (
        user.role == FOCAL_POINT and user.country_code in meeting.countries
    )


def default_counts(meeting_type):
    """Whether a meeting of this type counts toward indicator 2.6.1 unless said otherwise."""
    return meeting_type in COUNTS_BY_DEFAULT


def _clean(data, today):
    check = Checker(data)
    kind = check.code("type", MEETING_TYPES)
    values = {
        "type": kind,
        "title": check.text("title", 300, label="the meeting's title"),
        "date": check.day("date", required=True),
        "venue": check.text("venue", 200, required=False),
        "host_country": check.country("host_country", required=False),
        "participants_female": check.count("participants_female", maximum=100_000),
        "participants_male": check.count("participants_male", maximum=100_000),
        "participants_other": check.count("participants_other", maximum=100_000),
        "topics": (data.get("topics") or "").strip(),
        "outcomes": (data.get("outcomes") or "").strip(),
    }
    counts = data.get("counts_toward_2_6_1")
    values["counts_toward_2_6_1"] = default_counts(kind) if counts is None else bool(counts)
    countries = check.countries("countries", minimum=1)
    low, high = COUNTRY_RULES.get(kind, (1, None))
    if "countries" not in check.errors and not (low <= len(countries) <= (high or len(countries))):
        label = MEETING_TYPES.get(kind, "This meeting")
        exact = "exactly two countries" if low == high == 2 else "exactly one country"
        check.fail("countries", f"A {label.lower()} meeting has {exact}.")
    if values["host_country"] and countries and values["host_country"] not in countries:
        check.fail("host_country", "The host must be one of the participating countries.")
    agency_ids = sorted({int(a) for a in data.get("agency_ids") or []})
    agencies = db.session.scalars(sa.select(Agency).where(Agency.id.in_(agency_ids))).all()
    if len(agencies) != len(agency_ids):
        check.fail("agency_ids", "Unknown agencies.")
    elif any(a.country_code not in countries for a in agencies):
        check.fail("agency_ids", "Agencies present must belong to participating countries.")
    return check, values, countries, agencies


def _check_party(actor, countries):
    if actor.role == FOCAL_POINT and actor.country_code not in countries:
        raise Forbidden("Your country must take part in the meeting.")


def create_meeting(actor, data, today=None):
    """Record a meeting."""
    if actor.role not in EDITORS:
        raise Forbidden("Your role cannot record meetings.")
    check, values, countries, agencies = _clean(data, today or date.today())
    check.raise_if_any("The meeting was not saved.")
    _check_party(actor, countries)
    audit.act_as(actor)
    meeting = Meeting(**values)
    meeting.participations = [MeetingCountry(country_code=c) for c in countries]
    meeting.agencies = list(agencies)
    meeting.stamp(actor)
    db.session.add(meeting)
    db.session.flush()
    return meeting


def update_meeting(actor, meeting, data, expected_version=None, reason=None, today=None):
    """Change a meeting's details, countries or agencies."""
    if not can_edit(actor, meeting):
        raise Forbidden("You can edit meetings your country took part in only.")
    merged = {f: getattr(meeting, f) for f in FIELDS}
    merged["countries"] = meeting.countries
    merged["agency_ids"] = [a.id for a in meeting.agencies]
    merged.update({k: v for k, v in data.items() if v is not None})
    check, values, countries, agencies = _clean(merged, today or date.today())
    owners = {item.owner_country for item in meeting.action_items}
    if missing := sorted(owners - set(countries)):
        check.fail(
            "countries",
            f"Action items are owned by {', '.join(missing)}; keep them among the countries.",
        )
    if not (reason or "").strip():
        check.fail("reason", "Say why you change this meeting.")
    check.raise_if_any("The meeting was not saved.")
    _check_party(actor, countries)
    meeting.check_version(expected_version)
    audit.act_as(actor, reason.strip())
    for key, value in values.items():
        setattr(meeting, key, value)
    if countries != meeting.countries:
        current = {p.country_code: p for p in meeting.participations}
        meeting.participations = [
            current.get(c) or MeetingCountry(country_code=c) for c in countries
        ]
    meeting.agencies = list(agencies)
    meeting.stamp(actor)
    db.session.flush()
    return meeting


def _clean_item(meeting, data):
    check = Checker(data)
    values = {
        "owner_country": check.country("owner_country"),
        "description": check.text("description", 2000, label="what is to be done"),
        "due_date": check.day("due_date"),
        "status": check.code("status", ITEM_STATUSES, default="open"),
    }
    if values["owner_country"] and values["owner_country"] not in meeting.countries:
        check.fail("owner_country", "The owner must be a country that took part in the meeting.")
    return check, values


def add_action_item(actor, meeting, data):
    """Add an action item owned by one of the meeting's countries."""
    if not can_edit(actor, meeting):
        raise Forbidden("You can add items to meetings your country took part in only.")
    check, values = _clean_item(meeting, data)
    check.raise_if_any("The action item was not saved.")
    audit.act_as(actor)
    item = ActionItem(**values)
    item.stamp(actor)
    meeting.action_items.append(item)
    db.session.flush()
    return item


def update_action_item(actor, item, data, expected_version=None, reason=None):
    """Change an action item (its status, most often)."""
    if not can_edit(actor, item.meeting):
        raise Forbidden("You can change items of meetings your country took part in only.")
    merged = {f: getattr(item, f) for f in ("owner_country", "description", "due_date", "status")}
    merged.update({k: v for k, v in data.items() if v is not None})
    check, values = _clean_item(item.meeting, merged)
    if not (reason or "").strip():
        check.fail("reason", "Say why you change this item.")
    check.raise_if_any("The action item was not saved.")
    item.check_version(expected_version)
    audit.act_as(actor, reason.strip())
    for key, value in values.items():
        setattr(item, key, value)
    item.stamp(actor)
    db.session.flush()
    return item


SORTS = {"date": (Meeting.date.desc(),), "title": (Meeting.title,)}


def list_query(user, args):
    """Meetings the user may see, filtered by `args` (strings), newest first."""
    stmt = scoped(sa.select(Meeting), user, Meeting)
    if country := args.get("country"):
        stmt = stmt.where(Meeting.in_countries([country]))
    if kind := params.code(args, "type", Meeting.type):
        stmt = stmt.where(Meeting.type == kind)
    year = args.get("year")
    if year and str(year).isdigit() and 1900 <= int(year) <= 2100:
        stmt = stmt.where(Meeting.date.between(date(int(year), 1, 1), date(int(year), 12, 31)))
    counts = args.get("counts_toward_2_6_1")
    if counts in ("yes", "no", "true", "false"):
        stmt = stmt.where(Meeting.counts_toward_2_6_1.is_(counts in ("yes", "true")))
    if q := (args.get("q") or "").strip():
        stmt = stmt.where(Meeting.title.ilike(f"%{q}%"))
    return stmt.order_by(*SORTS.get(args.get("sort"), SORTS["date"]), Meeting.id)


def action_items_query(user, args, today):
    """Action items of meetings the user may see; overdue first, then by due date."""
    stmt = scoped(sa.select(ActionItem), user, ActionItem)
    status = args.get("status", "open")
    if status in ITEM_STATUSES:
        stmt = stmt.where(ActionItem.status == status)
    if owner := args.get("owner"):
        stmt = stmt.where(ActionItem.owner_country == owner)
    if due_before := params.day(args, "due_before"):
        stmt = stmt.where(ActionItem.due_date < due_before)
    overdue_first = sa.case(
        ((ActionItem.status == "open") & (ActionItem.due_date < today), 0), else_=1
    )
    return stmt.order_by(overdue_first, ActionItem.due_date.asc().nulls_last(), ActionItem.id)
