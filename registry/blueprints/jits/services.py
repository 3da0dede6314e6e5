"""Joint investigation teams: access rules, validation, lifecycle, extensions, links."""

from datetime import date

import sqlalchemy as sa

from registry.blueprints.jits.models import (
    EVALUATION_FIELDS,
    JIT_TYPES,
    OUTCOME_FIELDS,
    STATUS_LABELS,
    TRANSITIONS,
    Jit,
    JitExtension,
    JitMember,
)
from registry.blueprints.mla import services as mla_services
from registry.blueprints.mla.models import MlaRequest
from registry.blueprints.reference.models import LegalBasis
from registry.core import audit, params
from registry.core.errors import Forbidden, ValidationFailed
from registry.core.linking import visible_links
from registry.core.permissions import country_scope, scoped
from registry.core.roles import ADMIN, AUDITOR, CASE_READERS, FOCAL_POINT, UNODC
from registry.core.validate import Checker
from registry.extensions import db

READERS = (ADMIN, FOCAL_POINT, UNODC, AUDITOR)
EDITORS = (ADMIN, FOCAL_POINT)
FIELDS = (
    "name",
    "type",
    "lead_country",
    "legal_basis",
    "agreement_signed",
    "planned_end",
    "actual_end",
)


def can_view(user, jit):
    if user.role not in CASE_READERS:
        return False
    return country_scope(user) is None or user.country_code in jit.member_countries


def can_edit(user, jit):
    return user.role == ADMIN or (
        user.role == FOCAL_POINT and user.country_code in jit.member_countries
    )


def _clean(data, today):
    check = Checker(data)
    values = {
        "name": check.text("name", 200, label="the team's name"),
        "type": check.code("type", JIT_TYPES),
        "lead_country": check.country("lead_country"),
        "agreement_signed": check.day("agreement_signed", not_after=today),
        "planned_end": check.day("planned_end"),
        "actual_end": check.day("actual_end", not_after=today),
    }
    basis = data.get("legal_basis")
    if not basis or db.session.get(LegalBasis, basis) is None:
        check.fail("legal_basis", "Choose a legal basis from the list.")
    values["legal_basis"] = basis
    members = check.countries(
        "member_countries",
        minimum=2,
        too_few="A joint investigation team has two or more member countries.",
    )
    if values["lead_country"] and members and values["lead_country"] not in members:
        check.fail("lead_country", "The lead country must be one of the members.")
    signed = values["agreement_signed"]
    for end in ("planned_end", "actual_end"):
        if signed and values[end] and values[end] < signed:
            check.fail(end, "The end cannot be before the agreement was signed.")
    for field in OUTCOME_FIELDS:
        values[field] = check.count(field)
    values["assets_value"] = check.amount("assets_value")
    currency = (data.get("assets_currency") or "").strip().upper() or None
    if currency and (len(currency) != 3 or not currency.isalpha()):
        check.fail("assets_currency", "Use a three-letter ISO 4217 code such as USD or THB.")
    if values["assets_value"] is not None and not currency:
        check.fail("assets_currency", "Give the currency of the assets' value.")
    values["assets_currency"] = currency
    for field in EVALUATION_FIELDS:
        values[field] = (data.get(field) or "").strip()
    return check, values, members


def _may_join(actor, members):
    return actor.role != FOCAL_POINT or actor.country_code in members


def _check_membership(actor, members):
    if not _may_join(actor, members):
        raise Forbidden("Your country must be a member of the team.")


def _check_name(actor, check, name, members, exclude_id=None):
    """Names are unique (case-insensitive) across the registry. A team the actor could not
    create is refused before any name is looked for; a clash with a team the actor cannot see
    gets a message that does not say such a team exists (docs/architecture.md §4)."""
    if not name or not _may_join(actor, members):
        return
    stmt = sa.select(Jit).where(sa.func.lower(Jit.name) == name.lower())
    if exclude_id:
        stmt = stmt.where(Jit.id != exclude_id)
    clash = db.session.scalars(stmt).first()
    if clash is None:
        return
    if can_view(actor, clash):
        check.fail("name", "Another team already has this name.")
    else:
        check.fail(
            "name",
            "This name cannot be used; choose a more specific name "
            "(add the year or the lead country).",
        )


def linked_mla(user, jit):
    """The team's MLA requests this user may see; the others are not named to them."""
    return [r for r in jit.mla_requests if mla_services.can_view(user, r)]


def _kept_links(actor, jit, chosen):
    """Links chosen by the editor plus those the editor cannot see (and so could not unlink)."""
    return chosen + [r for r in jit.mla_requests if not mla_services.can_view(actor, r)]


def _mla_links(actor, ids, check):
    return visible_links(
        actor, MlaRequest, ids, check, "mla_request_ids", "Link only MLA requests you can see."
    )


def create_jit(actor, data, today=None):
    """Create a team (status proposed, or established if the agreement is signed)."""
    if actor.role not in EDITORS:
        raise Forbidden("Your role cannot create joint investigation teams.")
    today = today or date.today()
    check, values, members = _clean(data, today)
    links = _mla_links(actor, data.get("mla_request_ids"), check)
    _check_name(actor, check, values["name"], members)
    check.raise_if_any("The joint investigation team was not saved.")
    _check_membership(actor, members)
    audit.act_as(actor)
    jit = Jit(**values, status="established" if values["agreement_signed"] else "proposed")
    jit.members = [JitMember(country_code=c) for c in members]
    jit.mla_requests = links
    jit.stamp(actor)
    db.session.add(jit)
    db.session.flush()
    return jit


def update_jit(actor, jit, data, expected_version=None, reason=None, today=None):
    """Change a team's details, members, outcomes or evaluation."""
    if not can_edit(actor, jit):
        raise Forbidden("You can edit teams your country is a member of only.")
    today = today or date.today()
    merged = {f: getattr(jit, f) for f in (*FIELDS, *OUTCOME_FIELDS, *EVALUATION_FIELDS)}
    merged.update(assets_value=jit.assets_value, assets_currency=jit.assets_currency)
    merged["member_countries"] = jit.member_countries
    merged["mla_request_ids"] = [r.id for r in linked_mla(actor, jit)]
    merged.update({k: v for k, v in data.items() if v is not None})
    check, values, members = _clean(merged, today)
    links = _kept_links(actor, jit, _mla_links(actor, merged["mla_request_ids"], check))
    _check_name(actor, check, values["name"], members, jit.id)
    if values["agreement_signed"] is None and jit.status not in ("proposed", "agreement_drafting"):
        check.fail("agreement_signed", "An established team keeps its agreement date.")
    if not (reason or "").strip():
        check.fail("reason", "Say why you change this team.")
    check.raise_if_any("The joint investigation team was not saved.")
    _check_membership(actor, members)
    jit.check_version(expected_version)
    audit.act_as(actor, reason.strip())
    for key, value in values.items():
        setattr(jit, key, value)
    if members != jit.member_countries:
        current = {m.country_code: m for m in jit.members}
        jit.members = [current.get(c) or JitMember(country_code=c) for c in members]
    jit.mla_requests = links
    jit.stamp(actor)
    db.session.flush()
    return jit


def change_status(actor, jit, status, reason=None):
    """Move a team along its lifecycle."""
    if not can_edit(actor, jit):
        raise Forbidden("You can change teams your country is a member of only.")
    allowed = TRANSITIONS[jit.status]
    if status not in STATUS_LABELS:
        raise ValidationFailed("The status was not changed.", {"status": ["Unknown status."]})
    if status not in allowed:
        names = ", ".join(STATUS_LABELS[s].lower() for s in allowed) or "nothing (it is concluded)"
        raise ValidationFailed(
            "The status was not changed.",
            {"status": [f"A team that is {jit.status_label.lower()} can move to: {names}."]},
        )
    if status == "established" and jit.agreement_signed is None:
        raise ValidationFailed(
            "The status was not changed.",
            {"status": ["Record the date the agreement was signed before marking it established."]},
        )
    audit.act_as(actor, (reason or "").strip() or None)
    jit.status = status
    jit.stamp(actor)
    db.session.flush()
    return jit


def add_extension(actor, jit, data, reason=None):
    """Extend a team's term: the new end must be later than the current end."""
    if not can_edit(actor, jit):
        raise Forbidden("You can extend teams your country is a member of only.")
    check = Checker(data)
    on = check.day("date", required=True)
    new_end = check.day("new_end", required=True)
    if on and jit.agreement_signed and on < jit.agreement_signed:
        check.fail("date", "An extension cannot be dated before the agreement was signed.")
    if new_end and jit.current_end and new_end <= jit.current_end:
        check.fail(
            "new_end", f"The new end must be after the current end ({jit.current_end.isoformat()})."
        )
    if jit.status in ("proposed", "agreement_drafting", "concluded"):
        check.fail("date", "Only an established, active or suspended team can be extended.")
    check.raise_if_any("The extension was not recorded.")
    audit.act_as(actor, (reason or "").strip() or None)
    jit.extensions.append(
        JitExtension(date=on, new_end=new_end, note=(data.get("note") or "").strip())
    )
    jit.stamp(actor)
    db.session.flush()
    return jit


SORTS = {
    "name": (Jit.name,),
    "signed": (Jit.agreement_signed.desc().nulls_last(), Jit.name),
    "status": (Jit.status, Jit.name),
}


def list_query(user, args):
    """Teams the user may see, filtered by `args` (strings), sorted."""
    stmt = scoped(sa.select(Jit), user, Jit)
    if country := args.get("country"):
        stmt = stmt.where(Jit.in_countries([country]))
    if status := params.code(args, "status", Jit.status):
        stmt = stmt.where(Jit.status == status)
    if kind := params.code(args, "type", Jit.type):
        stmt = stmt.where(Jit.type == kind)
    past_end = str(args.get("past_planned_end", "")).lower()
    if past_end in ("yes", "true"):
        stmt = stmt.where(Jit.past_planned_end_clause(date.today()))
    elif past_end in ("no", "false"):
        stmt = stmt.where(sa.not_(Jit.past_planned_end_clause(date.today())))
    year = args.get("year")
    if year and str(year).isdigit() and 1900 <= int(year) <= 2100:
        stmt = stmt.where(
            Jit.agreement_signed.between(date(int(year), 1, 1), date(int(year), 12, 31))
        )
    if q := (args.get("q") or "").strip():
        stmt = stmt.where(Jit.name.ilike(f"%{q}%"))
    return stmt.order_by(*SORTS.get(args.get("sort"), SORTS["signed"]), Jit.id)


def linkable_mla(user):
    """MLA requests the user may link to a team (newest first)."""
    stmt = scoped(sa.select(MlaRequest.id, MlaRequest.reference), user, MlaRequest)
    return db.session.execute(
        stmt.order_by(MlaRequest.date_sent.desc().nulls_last()).limit(500)
    ).all()
