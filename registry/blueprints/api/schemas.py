"""JSON shapes of the foundation resources (docs/architecture.md §6)."""

import marshmallow as ma

from registry.blueprints.reference.models import AGENCY_TYPES
from registry.core.pagination import MAX_PAGE
from registry.core.roles import ROLES


class CountrySchema(ma.Schema):
    iso3 = ma.fields.String(dump_only=True)
    iso2 = ma.fields.String(dump_only=True)
    name = ma.fields.String(dump_only=True)
    asean_member = ma.fields.Boolean(dump_only=True)
    priority = ma.fields.Boolean(dump_only=True)


class CountryArgs(ma.Schema):
    asean = ma.fields.Boolean(load_default=False, metadata={"description": "ASEAN members only"})


class AgencySchema(ma.Schema):
    id = ma.fields.Integer(dump_only=True)
    name = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=300))
    name_en = ma.fields.String(load_default="", validate=ma.validate.Length(max=300))
    country = ma.fields.String(
        required=True, attribute="country_code", validate=ma.validate.Length(equal=3)
    )
    type = ma.fields.String(required=True, validate=ma.validate.OneOf(list(AGENCY_TYPES)))
    version = ma.fields.Integer(dump_only=True)


class AgencyListArgs(ma.Schema):
    page = ma.fields.Integer(load_default=1, validate=ma.validate.Range(min=1, max=MAX_PAGE))
    per_page = ma.fields.Integer(load_default=50, validate=ma.validate.Range(min=1, max=100))
    country = ma.fields.String(validate=ma.validate.Length(equal=3))
    type = ma.fields.String(validate=ma.validate.OneOf(list(AGENCY_TYPES)))
    q = ma.fields.String(validate=ma.validate.Length(max=100))


class MeSchema(ma.Schema):
    id = ma.fields.Integer()
    email = ma.fields.String()
    name = ma.fields.String()
    role = ma.fields.String(validate=ma.validate.OneOf(ROLES))
    country = ma.fields.String(attribute="country_code", allow_none=True)
    scope = ma.fields.List(
        ma.fields.String(),
        allow_none=True,
        metadata={"description": "Countries whose records you may see; null means all."},
    )
