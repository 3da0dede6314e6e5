"""MLA requests: validation, access rules, creation, edits and status transitions."""

import operator
from datetime import date, timedelta

import sqlalchemy as sa

from registry.blueprints.mla.models import (
    ASSISTANCE_TYPES,
    CHANNELS,
    CLOSED,
    CRIME_TYPES,
    ENDED,
    FINAL_RESPONSES,
    PENDING,
    REFUSAL_GROUNDS,
    STATUS_LABELS,
    STATUSES,
    URGENCIES,
    MlaAssistance,
    MlaRequest,
    MlaStatusChange,
)
from registry.core import audit
from registry.core.audit import SYSTEM
from registry.core.errors import Forbidden, ValidationFailed
from registry.core.lookups import FROM_DATABASE
from registry.core.permissions import country_scope, scoped
from registry.core.roles import ADMIN, AUDITOR, CASE_READERS, FOCAL_POINT, UNODC
from registry.extensions import db

# Who may reach the pages and endpoints; object rules (can_*) narrow it further.
READERS = (ADMIN, FOCAL_POINT, UNODC, AUDITOR)
CREATORS = (ADMIN, FOCAL_POINT)
STATUS_RECORDERS = (ADMIN, FOCAL_POINT, UNODC)

# Forward order of the lifecycle; a transition moves forward, except a reopening.
ORDER = {status: position for position, status in enumerate(STATUSES)}
EDITABLE = (
    "reference",
    "requesting_country",
    "requesting_authority_id",
    "requested_country",
    "requested_authority_id",
    "crime_type",
    "legal_basis",
    "channel",
    "urgency",
    "summary",
)


def is_party(user, req):
    return user.country_code in (req.requesting_country, req.requested_country)


def can_view(user, req):
    if user.role not in CASE_READERS:
        return False
    return country_scope(user) is None or is_party(user, req)


def can_edit(user, req):
    return user.role == ADMIN or (user.role == FOCAL_POINT and is_party(user, req))


def can_record_status(user, req):
    return can_edit(user, req) or user.role == UNODC


def can_create(user):
    return user.role in (ADMIN, FOCAL_POINT)


def _clean(data, errors, lookups=FROM_DATABASE):
    """Check the descriptive fields; return the cleaned values."""
    values = {}
    reference = (data.get("reference") or "").strip()
    if not reference:
        errors["reference"] = ["Enter the request's reference (never a victim's name)."]
    elif len(reference) > 60:
        errors["reference"] = ["At most 60 characters."]
    values["reference"] = reference
    for side in ("requesting_country", "requested_country"):
        code = (data.get(side) or "").strip().upper()
        if not lookups.is_country(code):
            errors[side] = [
                f"Choose a known country (ISO alpha-3), not {code!r}."
                if code
                else "Choose a country."
            ]
        values[side] = code
    if (
        values["requesting_country"]
        and values["requesting_country"] == values["requested_country"]
        and "requested_country" not in errors
    ):
        errors["requested_country"] = ["The requested country must differ from the requesting one."]
    for field, allowed in (
        ("crime_type", CRIME_TYPES),
        ("channel", CHANNELS),
        ("urgency", URGENCIES),
    ):
        value = data.get(field) or ("routine" if field == "urgency" else None)
        if value not in allowed:
            errors[field] = [f"Choose one of: {', '.join(allowed)}."]
        values[field] = value
    basis = data.get("legal_basis")
    if not lookups.is_legal_basis(basis):
        errors["legal_basis"] = ["Choose a legal basis from the list."]
    values["legal_basis"] = basis
    for side, country_field in (
        ("requesting_authority_id", "requesting_country"),
        ("requested_authority_id", "requested_country"),
    ):
        values[side] = _authority(data.get(side), values[country_field], side, errors, lookups)
    values["summary"] = (data.get("summary") or "").strip()
    return values


def _authority(raw, country, field, errors, lookups):
    if raw in (None, "", 0, "0"):
        return None
    try:
        agency_id = int(raw)
    except (TypeError, ValueError):
        agency_id = None
    if agency_id is None or lookups.agency_country(agency_id) != country:
        errors[field] = ["Choose an agency of the same country, or leave it empty."]
        return None
    return agency_id


def _clean_assistance(types, errors):
    types = sorted(set(types or []))
    unknown = [t for t in types if t not in ASSISTANCE_TYPES]
    if not types:
        errors["assistance_types"] = ["Tick at least one type of assistance."]
    elif unknown:
        errors["assistance_types"] = [f"Unknown types: {', '.join(unknown)}."]
    return types


def reference_taken(actor, values, exclude_id=None):
    """The error for a reference the requesting country already uses, or None. A reference is
    unique per requesting country; a clash with a request the actor cannot see gets a message
    that does not say such a request exists (docs/architecture.md §4)."""
    stmt = sa.select(MlaRequest).where(
        MlaRequest.requesting_country == values["requesting_country"],
        MlaRequest.reference == values["reference"],
    )
    if exclude_id:
        stmt = stmt.where(MlaRequest.id != exclude_id)
    clash = db.session.scalars(stmt).first()
    if clash is None:
        return None
    country = values["requesting_country"]
    if can_view(actor, clash):
        return f"Another request from {country} already has this reference."
    return f"This reference cannot be used for a request from {country}; check it with {country}."


def _check_party(actor, values):
    if actor.role == FOCAL_POINT and actor.country_code not in (
        values["requesting_country"],
        values["requested_country"],
    ):
        raise Forbidden("Your country must be the requesting or the requested country.")


def check_new(actor, data, today, lookups=FROM_DATABASE):
    """Validate a new request without writing anything; return (values, types, date sent).

    The reference is not checked against the registry here: the callers do (one query for a
    page, one query per file for an import); the actor's party is checked first, so a request
    outside the actor's scope is refused before any other request is looked for.
    """
    if not can_create(actor):
        raise Forbidden("Your role cannot create MLA requests.")
    errors = {}
    values = _clean(data, errors, lookups)
    types = _clean_assistance(data.get("assistance_types"), errors)
    sent = data.get("date_sent")
    if sent is not None and not isinstance(sent, date):
        errors["date_sent"] = ["Give the date as YYYY-MM-DD."]
    elif sent and sent > today:
        errors["date_sent"] = ["The sending date cannot be in the future."]
    if not errors:
        _check_party(actor, values)
    if errors:
        raise ValidationFailed("The MLA request was not saved.", errors)
    return values, types, sent or None


def create_request(actor, data, today=None):
    """Create a request; with date_sent it is recorded as sent that day, else it is a draft."""
    today = today or date.today()
    values, types, sent = check_new(actor, data, today)
    if taken := reference_taken(actor, values):
        raise ValidationFailed("The MLA request was not saved.", {"reference": [taken]})
    audit.act_as(actor)
    req = MlaRequest(**values, status="sent" if sent else "draft", date_sent=sent)
    req.stamp(actor)
    req.assistance = [MlaAssistance(type=t) for t in types]
    req.history = [
        MlaStatusChange(
            status=req.status,
            date=sent or today,
            note="Created as sent." if sent else "Created as a draft.",
            actor_id=_actor_id(actor),
        )
    ]
    db.session.add(req)
    db.session.flush()
    return req


def update_request(actor, req, data, expected_version=None, reason=None):
    """Change the descriptive fields of a request (not its status, see record_status)."""
    if not can_edit(actor, req):
        raise Forbidden("You can edit requests of your own country only.")
    merged = {field: getattr(req, field) for field in EDITABLE}
    merged.update({k: v for k, v in data.items() if k in EDITABLE and v is not None})
    errors = {}
    values = _clean(merged, errors)
    types = req.assistance_types
    if data.get("assistance_types") is not None:
        types = _clean_assistance(data["assistance_types"], errors)
    if not (reason or "").strip():
        errors["reason"] = ["Say why you change this request."]
    if not errors:
        _check_party(actor, values)
        if taken := reference_taken(actor, values, req.id):
            errors["reference"] = [taken]
    if errors:
        raise ValidationFailed("The MLA request was not saved.", errors)
    req.check_version(expected_version)
    audit.act_as(actor, reason.strip())
    for field, value in values.items():
        setattr(req, field, value)
    if types != req.assistance_types:
        current = {row.type: row for row in req.assistance}
        req.assistance = [current.get(t) or MlaAssistance(type=t) for t in types]
    req.stamp(actor)
    db.session.flush()
    return req


def allowed_next(status):
    """Statuses a request in `status` may move to now (a reopening needs a reason)."""
    if status == "draft":
        return ["sent", "withdrawn"]
    if status in CLOSED:
        return list(PENDING[1:])
    return [s for s in STATUSES if ORDER[s] > ORDER[status]]


def last_event_date(history):
    """The date of the latest change between the countries (a draft's date is only typing)."""
    return max((c.date for c in history if c.status != "draft"), default=None)


def transition_errors(current, date_sent, last, change, today):
    """What is wrong with moving a request from `current` by `change` (a dict with status,
    on, ground and reason); `last` is the date of its latest change. Writes nothing."""
    errors = {}
    status, on, ground = change["status"], change["on"], change.get("ground")
    label = STATUS_LABELS.get(current, current).lower()
    if status not in STATUSES:
        errors["status"] = [f"Choose one of: {', '.join(STATUSES)}."]
    elif status == current:
        errors["status"] = [f"The request is already {label}."]
    elif status not in allowed_next(current):
        errors["status"] = [
            f"A request that is {label} can move to: " + ", ".join(allowed_next(current)) + "."
        ]
    if not isinstance(on, date):
        errors["date"] = ["Give the date as YYYY-MM-DD."]
    elif on > today:
        errors["date"] = ["The date cannot be in the future."]
    elif last and on < last:
        errors["date"] = [f"The date cannot be before the previous change ({last.isoformat()})."]
    elif date_sent and on < date_sent:
        errors["date"] = [
            f"The date cannot be before the request was sent ({date_sent.isoformat()})."
        ]
    if status == "refused" and ground not in REFUSAL_GROUNDS:
        errors["ground"] = ["Give the ground of refusal."]
    if status != "refused" and ground:
        errors["ground"] = ["A ground applies to a refusal only."]
    if current in CLOSED and not (change.get("reason") or "").strip():
        errors["reason"] = ["Reopening a closed request needs a reason."]
    return errors


def record_status(actor, req, status, on, note="", ground=None, reason=None, today=None):
    """Record a status change dated `on`; refuse moves the lifecycle does not allow."""
    if not can_record_status(actor, req):
        raise Forbidden("You cannot record status changes of this request.")
    change = {"status": status, "on": on, "ground": ground, "reason": reason}
    errors = transition_errors(
        req.status, req.date_sent, last_event_date(req.history), change, today or date.today()
    )
    if errors:
        raise ValidationFailed("The status change was not recorded.", errors)
    audit.act_as(actor, (reason or "").strip() or None)
    req.history.append(
        MlaStatusChange(
            status=status,
            date=on,
            note=(note or "").strip(),
            ground=ground if status == "refused" else None,
            actor_id=_actor_id(actor),
        )
    )
    req.status = status
    if status == "sent":
        req.date_sent = on
    req.final_date = on if status in FINAL_RESPONSES else None
    req.stamp(actor)
    db.session.flush()
    return req


SORTS = {
    "age": (
        sa.case((MlaRequest.status.in_(PENDING), 0), else_=1),
        MlaRequest.date_sent.asc().nulls_last(),
    ),
    "reference": (MlaRequest.reference,),
    "sent": (MlaRequest.date_sent.desc().nulls_last(),),
    "status": (MlaRequest.status, MlaRequest.date_sent.asc().nulls_last()),
}


# Status filters of the list beyond single statuses (drill-downs from the analytics page).
STATUS_GROUPS = {
    "pending": PENDING,
    "answered": FINAL_RESPONSES,
    "unanswered": (*PENDING, *ENDED),
}
LIST_DATES = ("sent_from", "sent_to", "final_from", "final_to")


def list_filter_errors(args):
    """What is wrong with the list filters in `args` (a mapping of strings); {} when nothing."""
    errors = {}
    for name in ("country", "requesting", "requested"):
        value = args.get(name)
        if value and not (len(value) == 3 and value.isalpha()):
            errors[name] = ["Give an ISO alpha-3 country code."]
    for name, allowed in (
        ("status", (*STATUS_GROUPS, *STATUSES)),
        ("crime_type", CRIME_TYPES),
        ("assistance_type", ASSISTANCE_TYPES),
        ("urgency", URGENCIES),
        ("sort", SORTS),
    ):
        if args.get(name) and args[name] not in allowed:
            errors[name] = [f"Choose one of: {', '.join(allowed)}."]
    for name in LIST_DATES:
        if args.get(name) and _day(args[name]) is None:
            errors[name] = ["Give the date as YYYY-MM-DD."]
    return errors


def list_query(user, args, overdue_days, today):
    """Requests the user may see, filtered by `args` (a mapping of strings), sorted."""
    stmt = scoped(sa.select(MlaRequest), user, MlaRequest)
    if country := args.get("country"):
        stmt = stmt.where(MlaRequest.in_countries([country]))
    if requesting := args.get("requesting"):
        stmt = stmt.where(MlaRequest.requesting_country == requesting)
    if requested := args.get("requested"):
        stmt = stmt.where(MlaRequest.requested_country == requested)
    # With the requesting country, a reference names one request (unique per requesting country).
    if reference := args.get("reference"):
        stmt = stmt.where(MlaRequest.reference == reference)
    if status := args.get("status"):
        stmt = stmt.where(MlaRequest.status.in_(STATUS_GROUPS.get(status, (status,))))
    if crime := args.get("crime_type"):
        stmt = stmt.where(MlaRequest.crime_type == crime)
    if basis := args.get("legal_basis"):
        stmt = stmt.where(MlaRequest.legal_basis == basis)
    if kind := args.get("assistance_type"):
        stmt = stmt.where(
            MlaRequest.id.in_(
                sa.select(MlaAssistance.mla_request_id).where(MlaAssistance.type == kind)
            )
        )
    if urgency := args.get("urgency"):
        stmt = stmt.where(MlaRequest.urgency == urgency)
    if (year := _int(args.get("year"))) is not None and 1900 <= year <= 2100:
        stmt = stmt.where(MlaRequest.date_sent.between(date(year, 1, 1), date(year, 12, 31)))
    for name, column, compare in (
        ("sent_from", MlaRequest.date_sent, operator.ge),
        ("sent_to", MlaRequest.date_sent, operator.le),
        ("final_from", MlaRequest.final_date, operator.ge),
        ("final_to", MlaRequest.final_date, operator.le),
    ):
        if (day := _day(args.get(name))) is not None:
            stmt = stmt.where(compare(column, day))
    if args.get("overdue"):
        stmt = stmt.where(
            MlaRequest.status.in_(PENDING),
            MlaRequest.date_sent < today - timedelta(days=overdue_days),
        )
    if q := (args.get("q") or "").strip():
        stmt = stmt.where(MlaRequest.reference.ilike(f"%{q}%"))
    return stmt.order_by(*SORTS.get(args.get("sort"), SORTS["age"]), MlaRequest.id)


def _day(value):
    try:
        return date.fromisoformat(str(value))
    except (TypeError, ValueError):
        return None


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _actor_id(actor):
    return None if actor == SYSTEM else actor.id


def linked_records(user, req):
    """JITs and prosecution cases that cite the request, among those the user may see."""
    from registry.blueprints.jits.models import Jit, jit_mla_request
    from registry.blueprints.prosecutions.models import ProsecutionCase, prosecution_mla

    jits = db.session.scalars(
        scoped(sa.select(Jit), user, Jit)
        .join(jit_mla_request, jit_mla_request.c.jit_id == Jit.id)
        .where(jit_mla_request.c.mla_request_id == req.id)
    ).all()
    cases = db.session.scalars(
        scoped(sa.select(ProsecutionCase), user, ProsecutionCase)
        .join(prosecution_mla, prosecution_mla.c.case_id == ProsecutionCase.id)
        .where(prosecution_mla.c.mla_request_id == req.id)
    ).all()
    return {"jits": jits, "cases": cases}
