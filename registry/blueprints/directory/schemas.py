"""JSON shapes of the central-authority directory."""

import marshmallow as ma

from registry.blueprints.directory.models import ASSISTANCE_TYPES, CHANNELS, LANGUAGES, ROLES
from registry.core.schemas import VersionedPatch

ISO3 = ma.validate.Length(equal=3)


class Stamped(ma.Schema):
    version = ma.fields.Integer(
        metadata={"description": "Send the version you loaded; a stale one is refused (409)."}
    )
    updated_at = ma.fields.DateTime(dump_only=True)
    updated_by = ma.fields.Function(
        lambda row: row.updated_by.email if row.updated_by else None, dump_only=True
    )


class AuthoritySchema(Stamped):
    id = ma.fields.Integer(dump_only=True)
    country = ma.fields.String(attribute="country_code", required=True, validate=ISO3)
    role = ma.fields.String(required=True, validate=ma.validate.OneOf(list(ROLES)))
    name = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=300))
    name_en = ma.fields.String(load_default="", validate=ma.validate.Length(max=300))
    address = ma.fields.String(load_default="", validate=ma.validate.Length(max=1000))
    channel = ma.fields.String(required=True, validate=ma.validate.OneOf(list(CHANNELS)))
    languages = ma.fields.List(
        ma.fields.String(validate=ma.validate.OneOf(list(LANGUAGES))),
        attribute="language_codes",
        required=True,
        validate=ma.validate.Length(min=1),
    )
    contact = ma.fields.String(load_default="", validate=ma.validate.Length(max=1000))
    notes = ma.fields.String(load_default="", validate=ma.validate.Length(max=2000))


class AuthorityPatch(VersionedPatch):
    role = ma.fields.String(validate=ma.validate.OneOf(list(ROLES)))
    name = ma.fields.String(validate=ma.validate.Length(min=1, max=300))
    name_en = ma.fields.String(validate=ma.validate.Length(max=300))
    address = ma.fields.String(validate=ma.validate.Length(max=1000))
    channel = ma.fields.String(validate=ma.validate.OneOf(list(CHANNELS)))
    languages = ma.fields.List(
        ma.fields.String(validate=ma.validate.OneOf(list(LANGUAGES))),
        validate=ma.validate.Length(min=1),
    )
    contact = ma.fields.String(validate=ma.validate.Length(max=1000))
    notes = ma.fields.String(validate=ma.validate.Length(max=2000))
    reason = ma.fields.String(load_default=None, validate=ma.validate.Length(max=500))


class RequirementSchema(Stamped):
    id = ma.fields.Integer(dump_only=True)
    country = ma.fields.String(attribute="country_code", required=True, validate=ISO3)
    assistance_type = ma.fields.String(
        required=True, validate=ma.validate.OneOf(list(ASSISTANCE_TYPES))
    )
    must_contain = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=4000))
    translation = ma.fields.String(load_default="", validate=ma.validate.Length(max=1000))
    typical_days = ma.fields.Integer(
        load_default=None, allow_none=True, validate=ma.validate.Range(min=1, max=3650)
    )
    notes = ma.fields.String(load_default="", validate=ma.validate.Length(max=2000))
    reason = ma.fields.String(
        load_default=None, load_only=True, validate=ma.validate.Length(max=500)
    )


class DirectoryArgs(ma.Schema):
    country = ma.fields.String(load_default=None, validate=ISO3)
    assistance_type = ma.fields.String(
        load_default=None, validate=ma.validate.OneOf(list(ASSISTANCE_TYPES))
    )


class CountryDirectorySchema(ma.Schema):
    code = ma.fields.String(metadata={"description": "The country's ISO alpha-3 code."})
    name = ma.fields.String()
    authorities = ma.fields.List(ma.fields.Nested(AuthoritySchema))
    requirements = ma.fields.List(ma.fields.Nested(RequirementSchema))
