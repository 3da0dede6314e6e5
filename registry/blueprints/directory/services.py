"""Central-authority directory: who may change a country's entries, reading and saving them."""

import sqlalchemy as sa

from registry.blueprints.directory.models import (
    ASSISTANCE_TYPES,
    CHANNELS,
    LANGUAGES,
    ROLES,
    Authority,
    Requirement,
)
from registry.blueprints.reference.models import Country
from registry.core import audit
from registry.core.errors import Forbidden, ValidationFailed
from registry.core.roles import ADMIN, FOCAL_POINT, UNODC
from registry.core.validate import Checker
from registry.extensions import db

EDITORS = (ADMIN, UNODC, FOCAL_POINT)
AUTHORITY_FIELDS = (
    "role",
    "name",
    "name_en",
    "address",
    "channel",
    "languages",
    "contact",
    "notes",
)
REQUIREMENT_FIELDS = ("must_contain", "translation", "typical_days", "notes")


def can_edit(user, country_code):
    """Administrators and UNODC edit every country's entries; a focal point their own."""
    if user.role in (ADMIN, UNODC):
        return True
    return user.role == FOCAL_POINT and user.country_code == country_code


def countries():
    """ASEAN members and every other country with an entry, each with its central authority."""
    listed = sa.select(Authority.country_code).union(sa.select(Requirement.country_code))
    rows = db.session.scalars(
        sa.select(Country)
        .where(sa.or_(Country.asean_member.is_(True), Country.iso3.in_(listed)))
        .order_by(Country.name)
    ).all()
    central = {
        a.country_code: a
        for a in db.session.scalars(
            sa.select(Authority).where(Authority.role == "central_authority").order_by(Authority.id)
        )
    }
    counts = dict(
        db.session.execute(
            sa.select(Requirement.country_code, sa.func.count()).group_by(Requirement.country_code)
        ).all()
    )
    return [(c, central.get(c.iso3), counts.get(c.iso3, 0)) for c in rows]


def authorities(country_code=None):
    """Authorities, central authorities first."""
    stmt = sa.select(Authority).order_by(
        Authority.country_code, Authority.role, Authority.name_en, Authority.id
    )
    if country_code:
        stmt = stmt.where(Authority.country_code == country_code)
    return db.session.scalars(stmt).all()


def requirements(country_code=None, types=None):
    """Requirements, in the order of the assistance types."""
    stmt = sa.select(Requirement)
    if country_code:
        stmt = stmt.where(Requirement.country_code == country_code)
    if types:
        stmt = stmt.where(Requirement.assistance_type.in_(types))
    order = list(ASSISTANCE_TYPES)
    return sorted(
        db.session.scalars(stmt), key=lambda r: (r.country_code, order.index(r.assistance_type))
    )


def needs(country, types):
    """The template context of "what this country needs" for the assistance types asked."""
    types = [t for t in dict.fromkeys(types) if t in ASSISTANCE_TYPES]
    return {
        "country": country,
        "types": types,
        "authorities": authorities(country.iso3),
        "needs": {r.assistance_type: r for r in requirements(country.iso3, types)},
    }


def requirement(country_code, assistance_type):
    return db.session.scalar(
        sa.select(Requirement).where(
            Requirement.country_code == country_code,
            Requirement.assistance_type == assistance_type,
        )
    )


def _check_editor(actor, country_code):
    if not can_edit(actor, country_code):
        raise Forbidden("You can change the directory entries of your own country only.")


def _clean_authority(data):
    check = Checker(data)
    values = {
        "role": check.code("role", ROLES),
        "name": check.text("name", 300, label="the authority's name (any script)"),
        "name_en": check.text("name_en", 300, required=False),
        "address": check.text("address", 1000, required=False),
        "channel": check.code("channel", CHANNELS),
        "contact": check.text("contact", 1000, required=False),
        "notes": check.text("notes", 2000, required=False),
    }
    languages = data.get("languages") or []
    if isinstance(languages, str):
        languages = [code.strip() for code in languages.split(",")]
    languages = [code for code in dict.fromkeys(languages) if code]
    if unknown := [code for code in languages if code not in LANGUAGES]:
        check.fail("languages", f"Unknown language codes: {', '.join(unknown)}.")
    elif not languages:
        check.fail("languages", "Choose at least one language the authority accepts.")
    values["languages"] = ",".join(languages)
    check.raise_if_any("The authority was not saved.")
    return values


def create_authority(actor, country_code, data):
    """Add an authority to a country's entry."""
    _check_editor(actor, country_code)
    if db.session.get(Country, country_code) is None:
        raise ValidationFailed("The authority was not saved.", {"country": ["Unknown country."]})
    values = _clean_authority(data)
    audit.act_as(actor)
    authority = Authority(country_code=country_code, **values)
    authority.stamp(actor)
    db.session.add(authority)
    db.session.flush()
    return authority


def update_authority(actor, authority, data, expected_version=None, reason=None):
    """Change an authority, refusing a save based on a stale version."""
    _check_editor(actor, authority.country_code)
    merged = {f: getattr(authority, f) for f in AUTHORITY_FIELDS}
    merged.update({k: v for k, v in data.items() if k in AUTHORITY_FIELDS and v is not None})
    values = _clean_authority(merged)
    authority.check_version(expected_version)
    audit.act_as(actor, reason)
    for field, value in values.items():
        setattr(authority, field, value)
    authority.stamp(actor)
    db.session.flush()
    return authority


def save_requirement(
    actor, country_code, assistance_type, data, expected_version=None, reason=None
):
    """Write what a request of one assistance type to a country must contain (create or update)."""
    _check_editor(actor, country_code)
    check = Checker(data)
    check.code("assistance_type", ASSISTANCE_TYPES, default=assistance_type)
    if db.session.get(Country, country_code) is None:
        check.fail("country", "Unknown country.")
    values = {
        "must_contain": check.text("must_contain", 4000, label="what the request must contain"),
        "translation": check.text("translation", 1000, required=False),
        "typical_days": check.count("typical_days", default=None, maximum=3650) or None,
        "notes": check.text("notes", 2000, required=False),
    }
    check.raise_if_any("The requirements were not saved.")
    row = requirement(country_code, assistance_type)
    audit.act_as(actor, reason)
    if row is None:
        row = Requirement(country_code=country_code, assistance_type=assistance_type)
        db.session.add(row)
    else:
        row.check_version(expected_version)
    for field, value in values.items():
        setattr(row, field, value)
    row.stamp(actor)
    db.session.flush()
    return row
