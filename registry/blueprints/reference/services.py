"""Countries, agencies and legal bases."""

import pycountry
import sqlalchemy as sa

from registry.blueprints.reference.models import AGENCY_TYPES, Agency, Country, LegalBasis
from registry.core import audit
from registry.core.errors import Forbidden, ValidationFailed
from registry.core.roles import ADMIN, FOCAL_POINT, UNODC
from registry.extensions import db


def countries(asean_only=False):
    stmt = sa.select(Country).order_by(Country.asean_member.desc(), Country.name)
    if asean_only:
        stmt = stmt.where(Country.asean_member.is_(True))
    return db.session.scalars(stmt).all()


def country_choices(asean_only=False):
    """Countries as {iso3: name}, the shape form selects take."""
    return {c.iso3: c.name for c in countries(asean_only)}


def addable_countries():
    """ISO 3166 countries not yet in the registry, for the add-country form."""
    present = set(db.session.scalars(sa.select(Country.iso3)))
    pairs = (
        (c.alpha_3, getattr(c, "common_name", c.name))
        for c in pycountry.countries
        if c.alpha_3 not in present
    )
    return dict(sorted(pairs, key=lambda pair: pair[1]))


def add_country(actor, iso3):
    """Add a non-ASEAN country by its ISO 3166 alpha-3 code, named as ISO names it."""
    iso3 = (iso3 or "").strip().upper()
    record = pycountry.countries.get(alpha_3=iso3) if len(iso3) == 3 else None
    if record is None:
        raise ValidationFailed(
            "Country not added.", {"iso3": [f"{iso3!r} is not an ISO 3166 code."]}
        )
    if db.session.get(Country, iso3) is not None:
        raise ValidationFailed("Country not added.", {"iso3": ["This country is already listed."]})
    audit.act_as(actor)
    country = Country(
        iso3=iso3, iso2=record.alpha_2, name=getattr(record, "common_name", record.name)
    )
    db.session.add(country)
    db.session.flush()
    return country


def can_edit_agency(user, agency_country):
    if user.role in (ADMIN, UNODC):
        return True
    return user.role == FOCAL_POINT and user.country_code == agency_country


def _clean_agency(data):
    errors = {}
    name = (data.get("name") or "").strip()
    if not name:
        errors["name"] = ["Enter the agency's name (any script)."]
    elif len(name) > 300:
        errors["name"] = ["At most 300 characters."]
    country = (data.get("country") or "").strip().upper()
    if db.session.get(Country, country) is None:
        errors["country"] = [f"Unknown country code {country!r}."]
    kind = data.get("type")
    if kind not in AGENCY_TYPES:
        errors["type"] = [f"Choose one of: {', '.join(AGENCY_TYPES)}."]
    name_en = (data.get("name_en") or "").strip()[:300]
    return errors, {"name": name, "country_code": country, "type": kind, "name_en": name_en}


def _duplicate_name(country, name, exclude_id=None):
    stmt = sa.select(Agency.id).where(Agency.country_code == country, Agency.name == name)
    if exclude_id:
        stmt = stmt.where(Agency.id != exclude_id)
    return db.session.scalar(stmt) is not None


def create_agency(actor, data):
    """Create an agency from plain data: name, country (ISO3), type, optional name_en."""
    errors, values = _clean_agency(data)
    if not errors and not can_edit_agency(actor, values["country_code"]):
        raise Forbidden("You can add agencies of your own country only.")
    if not errors and _duplicate_name(values["country_code"], values["name"]):
        errors["name"] = ["This country already has an agency with this name."]
    if errors:
        raise ValidationFailed("The agency was not saved.", errors)
    audit.act_as(actor)
    agency = Agency(**values)
    agency.stamp(actor)
    db.session.add(agency)
    db.session.flush()
    return agency


def update_agency(actor, agency, data, expected_version=None, reason=None):
    """Change an agency, refusing a save based on a stale version."""
    merged = {
        "name": agency.name,
        "country": agency.country_code,
        "type": agency.type,
        "name_en": agency.name_en,
        **{k: v for k, v in data.items() if v is not None},
    }
    errors, values = _clean_agency(merged)
    if not errors and not (
        can_edit_agency(actor, agency.country_code)
        and can_edit_agency(actor, values["country_code"])
    ):
        raise Forbidden("You can edit agencies of your own country only.")
    if not errors and _duplicate_name(values["country_code"], values["name"], agency.id):
        errors["name"] = ["This country already has an agency with this name."]
    if errors:
        raise ValidationFailed("The agency was not saved.", errors)
    agency.check_version(expected_version)
    audit.act_as(actor, reason)
    for key, value in values.items():
        setattr(agency, key, value)
    agency.stamp(actor)
    db.session.flush()
    return agency


def agencies_query(country=None, kind=None, q=None):
    stmt = sa.select(Agency).order_by(Agency.country_code, Agency.name)
    if country:
        stmt = stmt.where(Agency.country_code == country)
    if kind:
        stmt = stmt.where(Agency.type == kind)
    if q:
        like = f"%{q.strip()}%"
        stmt = stmt.where(sa.or_(Agency.name.ilike(like), Agency.name_en.ilike(like)))
    return stmt


def legal_bases(include_inactive=False):
    stmt = sa.select(LegalBasis).order_by(LegalBasis.position, LegalBasis.name)
    if not include_inactive:
        stmt = stmt.where(LegalBasis.active.is_(True))
    return db.session.scalars(stmt).all()


def save_legal_basis(actor, code, name, active=True):
    """Create or rename a legal basis; codes are lower-case identifiers and never change."""
    code = (code or "").strip().lower()
    errors = {}
    if not code.replace("_", "").isalnum() or not code.isascii():
        errors["code"] = ["Use lower-case letters, digits and underscores."]
    if not (name or "").strip():
        errors["name"] = ["Enter a name."]
    if errors:
        raise ValidationFailed("The legal basis was not saved.", errors)
    audit.act_as(actor)
    basis = db.session.get(LegalBasis, code)
    if basis is None:
        basis = LegalBasis(code=code, name=name.strip(), active=active)
        db.session.add(basis)
    else:
        basis.name, basis.active = name.strip(), active
    db.session.flush()
    return basis
