"""JSON shapes of joint investigation teams (docs/architecture.md §6)."""

import marshmallow as ma
from flask_login import current_user

from registry.blueprints.jits import services
from registry.blueprints.jits.models import JIT_TYPES, STATUS_LABELS, Jit, JitExtension
from registry.core.input_guard import ID_RANGE
from registry.core.limits import length_of
from registry.core.pagination import MAX_PAGE
from registry.core.schemas import VersionedPatch

ISO3 = ma.validate.Length(equal=3)
COUNT = ma.validate.Range(min=0)


class ExtensionSchema(ma.Schema):
    date = ma.fields.Date()
    new_end = ma.fields.Date()
    note = ma.fields.String(validate=length_of(JitExtension.note))


class JitFields(ma.Schema):
    name = ma.fields.String(validate=ma.validate.Length(min=1, max=200))
    type = ma.fields.String(validate=ma.validate.OneOf(list(JIT_TYPES)))
    member_countries = ma.fields.List(
        ma.fields.String(validate=ISO3), validate=ma.validate.Length(min=2)
    )
    lead_country = ma.fields.String(validate=ISO3)
    legal_basis = ma.fields.String(validate=ma.validate.Length(min=1, max=40))
    agreement_signed = ma.fields.Date(allow_none=True)
    planned_end = ma.fields.Date(allow_none=True)
    actual_end = ma.fields.Date(allow_none=True)
    arrests = ma.fields.Integer(validate=COUNT)
    victims_female_adult = ma.fields.Integer(validate=COUNT)
    victims_female_child = ma.fields.Integer(validate=COUNT)
    victims_male_adult = ma.fields.Integer(validate=COUNT)
    victims_male_child = ma.fields.Integer(validate=COUNT)
    victims_other_adult = ma.fields.Integer(validate=COUNT)
    victims_other_child = ma.fields.Integer(validate=COUNT)
    # No Range here: apispec would document its bound as a string; the service refuses negatives.
    assets_value = ma.fields.Decimal(allow_none=True, as_string=True)
    assets_currency = ma.fields.String(allow_none=True, validate=ma.validate.Length(equal=3))
    prosecutions_opened = ma.fields.Integer(validate=COUNT)
    mla_request_ids = ma.fields.List(ma.fields.Integer(validate=ID_RANGE))
    results_achieved = ma.fields.String(validate=length_of(Jit.results_achieved))
    legal_issues = ma.fields.String(validate=length_of(Jit.legal_issues))
    practical_difficulties = ma.fields.String(validate=length_of(Jit.practical_difficulties))
    lessons_learned = ma.fields.String(validate=length_of(Jit.lessons_learned))


class JitSchema(JitFields):
    id = ma.fields.Integer()
    status = ma.fields.String(validate=ma.validate.OneOf(list(STATUS_LABELS)))
    version = ma.fields.Integer()
    extensions = ma.fields.List(ma.fields.Nested(ExtensionSchema))
    mla_request_ids = ma.fields.Method("_mla_ids")
    # True when the (extended) planned end has passed without an actual end: not counted as
    # active, whatever its status says.
    past_planned_end = ma.fields.Boolean(dump_only=True)

    def _mla_ids(self, jit):
        # Dumped for the signed-in caller: requests outside their scope are not named.
        return [r.id for r in services.linked_mla(current_user, jit)]


class JitCreate(JitFields):
    name = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=200))
    type = ma.fields.String(required=True, validate=ma.validate.OneOf(list(JIT_TYPES)))
    member_countries = ma.fields.List(
        ma.fields.String(validate=ISO3), required=True, validate=ma.validate.Length(min=2)
    )
    lead_country = ma.fields.String(required=True, validate=ISO3)
    legal_basis = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=40))


class JitPatch(VersionedPatch, JitFields):
    reason = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=500))
    status = ma.fields.String(validate=ma.validate.OneOf(list(STATUS_LABELS)))


class JitListArgs(ma.Schema):
    page = ma.fields.Integer(load_default=1, validate=ma.validate.Range(min=1, max=MAX_PAGE))
    per_page = ma.fields.Integer(load_default=50, validate=ma.validate.Range(min=1, max=100))
    country = ma.fields.String(validate=ISO3)
    status = ma.fields.String(validate=ma.validate.OneOf(list(STATUS_LABELS)))
    type = ma.fields.String(validate=ma.validate.OneOf(list(JIT_TYPES)))
    past_planned_end = ma.fields.Boolean()
    year = ma.fields.Integer(validate=ma.validate.Range(min=1900, max=2100))
    q = ma.fields.String(validate=ma.validate.Length(max=100))
    sort = ma.fields.String(validate=ma.validate.OneOf(["name", "signed", "status"]))
