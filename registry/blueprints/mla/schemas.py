"""JSON shapes of MLA requests (docs/architecture.md §6)."""

from datetime import date

import marshmallow as ma

from registry.blueprints.mla.models import (
    ASSISTANCE_TYPES,
    CHANNELS,
    CRIME_TYPES,
    REFUSAL_GROUNDS,
    STATUSES,
    URGENCIES,
)
from registry.blueprints.mla.services import STATUS_GROUPS
from registry.blueprints.mla.stats import GROUPINGS, SURVIVAL_GROUPINGS
from registry.core.input_guard import ID_RANGE
from registry.core.pagination import MAX_PAGE
from registry.core.schemas import VersionedPatch

ISO3 = ma.validate.Length(equal=3)


class StatusChangeSchema(ma.Schema):
    status = ma.fields.String()
    date = ma.fields.Date()
    note = ma.fields.String()
    ground = ma.fields.String(allow_none=True)


class MlaRequestSchema(ma.Schema):
    id = ma.fields.Integer()
    reference = ma.fields.String()
    requesting_country = ma.fields.String()
    requesting_authority_id = ma.fields.Integer(allow_none=True)
    requested_country = ma.fields.String()
    requested_authority_id = ma.fields.Integer(allow_none=True)
    crime_type = ma.fields.String()
    legal_basis = ma.fields.String()
    assistance_types = ma.fields.List(ma.fields.String())
    channel = ma.fields.String()
    urgency = ma.fields.String()
    summary = ma.fields.String()
    date_sent = ma.fields.Date(allow_none=True)
    status = ma.fields.String()
    final_date = ma.fields.Date(allow_none=True)
    turnaround_days = ma.fields.Integer(allow_none=True)
    version = ma.fields.Integer()
    history = ma.fields.List(ma.fields.Nested(StatusChangeSchema))


class MlaRequestCreate(ma.Schema):
    reference = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=60))
    requesting_country = ma.fields.String(required=True, validate=ISO3)
    requested_country = ma.fields.String(required=True, validate=ISO3)
    requesting_authority_id = ma.fields.Integer(allow_none=True, validate=ID_RANGE)
    requested_authority_id = ma.fields.Integer(allow_none=True, validate=ID_RANGE)
    crime_type = ma.fields.String(required=True, validate=ma.validate.OneOf(list(CRIME_TYPES)))
    legal_basis = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=40))
    assistance_types = ma.fields.List(
        ma.fields.String(validate=ma.validate.OneOf(list(ASSISTANCE_TYPES))),
        required=True,
        validate=ma.validate.Length(min=1),
    )
    channel = ma.fields.String(
        load_default="central_authority", validate=ma.validate.OneOf(list(CHANNELS))
    )
    urgency = ma.fields.String(load_default="routine", validate=ma.validate.OneOf(list(URGENCIES)))
    summary = ma.fields.String(load_default="", validate=ma.validate.Length(max=4000))
    date_sent = ma.fields.Date(
        allow_none=True,
        load_default=None,
        metadata={"description": "With a date the request is recorded as sent."},
    )


class MlaRequestPatch(VersionedPatch):
    reference = ma.fields.String(validate=ma.validate.Length(min=1, max=60))
    requesting_country = ma.fields.String(validate=ISO3)
    requested_country = ma.fields.String(validate=ISO3)
    requesting_authority_id = ma.fields.Integer(allow_none=True, validate=ID_RANGE)
    requested_authority_id = ma.fields.Integer(allow_none=True, validate=ID_RANGE)
    crime_type = ma.fields.String(validate=ma.validate.OneOf(list(CRIME_TYPES)))
    legal_basis = ma.fields.String(validate=ma.validate.Length(min=1, max=40))
    assistance_types = ma.fields.List(
        ma.fields.String(validate=ma.validate.OneOf(list(ASSISTANCE_TYPES))),
        validate=ma.validate.Length(min=1),
    )
    channel = ma.fields.String(validate=ma.validate.OneOf(list(CHANNELS)))
    urgency = ma.fields.String(validate=ma.validate.OneOf(list(URGENCIES)))
    summary = ma.fields.String(validate=ma.validate.Length(max=4000))
    reason = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=500))


class TransitionSchema(ma.Schema):
    status = ma.fields.String(required=True, validate=ma.validate.OneOf(list(STATUSES)))
    date = ma.fields.Date(required=True)
    note = ma.fields.String(load_default="", validate=ma.validate.Length(max=2000))
    ground = ma.fields.String(
        allow_none=True, load_default=None, validate=ma.validate.OneOf(list(REFUSAL_GROUNDS))
    )
    reason = ma.fields.String(
        load_default=None,
        allow_none=True,
        metadata={"description": "Needed to reopen a closed request."},
    )


class MlaListArgs(ma.Schema):
    page = ma.fields.Integer(load_default=1, validate=ma.validate.Range(min=1, max=MAX_PAGE))
    per_page = ma.fields.Integer(load_default=50, validate=ma.validate.Range(min=1, max=100))
    country = ma.fields.String(validate=ISO3)
    requesting = ma.fields.String(validate=ISO3)
    requested = ma.fields.String(validate=ISO3)
    reference = ma.fields.String(
        validate=ma.validate.Length(max=60),
        metadata={"description": "Exact; with requesting it names one request."},
    )
    status = ma.fields.String(validate=ma.validate.OneOf([*STATUSES, *STATUS_GROUPS]))
    crime_type = ma.fields.String(validate=ma.validate.OneOf(list(CRIME_TYPES)))
    legal_basis = ma.fields.String(validate=ma.validate.Length(max=40))
    assistance_type = ma.fields.String(validate=ma.validate.OneOf(list(ASSISTANCE_TYPES)))
    urgency = ma.fields.String(validate=ma.validate.OneOf(list(URGENCIES)))
    sent_from = ma.fields.Date()
    sent_to = ma.fields.Date()
    final_from = ma.fields.Date()
    final_to = ma.fields.Date()
    year = ma.fields.Integer(validate=ma.validate.Range(min=1900, max=2100))
    overdue = ma.fields.Boolean()
    q = ma.fields.String(validate=ma.validate.Length(max=60))
    sort = ma.fields.String(validate=ma.validate.OneOf(["age", "reference", "sent", "status"]))


class StatsArgs(ma.Schema):
    group_by = ma.fields.String(load_default="pair", validate=ma.validate.OneOf(list(GROUPINGS)))
    date_from = ma.fields.Date(data_key="from", load_default=None)
    date_to = ma.fields.Date(data_key="to", load_default=None)
    country = ma.fields.String(validate=ISO3, load_default=None)


class StatsRow(ma.Schema):
    requesting_country = ma.fields.String()
    requested_country = ma.fields.String()
    legal_basis = ma.fields.String()
    assistance_type = ma.fields.String()
    year = ma.fields.Integer()
    count = ma.fields.Integer()
    median_days = ma.fields.Float()
    p90_days = ma.fields.Float()


class StatsSchema(ma.Schema):
    rows = ma.fields.List(ma.fields.Nested(StatsRow))


class SurvivalArgs(ma.Schema):
    group_by = ma.fields.String(
        load_default="pair", validate=ma.validate.OneOf(list(SURVIVAL_GROUPINGS))
    )
    sent_from = ma.fields.Date(load_default=None)
    sent_to = ma.fields.Date(load_default=None)
    as_of = ma.fields.Date(
        load_default=None, metadata={"description": "Follow-up date (default today)."}
    )
    country = ma.fields.String(validate=ISO3, load_default=None)
    labels = ma.fields.Boolean(
        load_default=False, metadata={"description": "Add the words for each group's codes."}
    )

    @ma.validates_schema
    def _period(self, data, **_kwargs):
        if data["sent_from"] and data["sent_to"] and data["sent_from"] > data["sent_to"]:
            raise ma.ValidationError("The period ends before it starts.", "sent_to")
        if data["as_of"] and data["as_of"] > date.today():
            raise ma.ValidationError("The follow-up date cannot be in the future.", "as_of")


class SurvivalRow(ma.Schema):
    requesting_country = ma.fields.String()
    requested_country = ma.fields.String()
    legal_basis = ma.fields.String()
    assistance_type = ma.fields.String()
    urgency = ma.fields.String()
    year = ma.fields.Integer()
    n = ma.fields.Integer()
    events = ma.fields.Integer(metadata={"description": "Requests with a final response."})
    censored = ma.fields.Integer(metadata={"description": "Pending at as_of, withdrawn or lapsed."})
    longest_days = ma.fields.Integer(
        metadata={"description": "The longest follow-up in the group."}
    )
    naive_median_days = ma.fields.Float(
        allow_none=True, metadata={"description": "Median over the answered requests only."}
    )
    km_median_days = ma.fields.Integer(
        allow_none=True,
        metadata={"description": "First day the Kaplan–Meier survival is ≤ 0.5 (null: not yet)."},
    )
    km_p75_days = ma.fields.Integer(
        allow_none=True,
        metadata={"description": "First day the survival is ≤ 0.25: 75 % answered."},
    )
    curve = ma.fields.List(
        ma.fields.Tuple((ma.fields.Integer(), ma.fields.Float())),
        metadata={"description": "[day, share still unanswered] at 0 and at each answer day."},
    )
    labels = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.String())


class SurvivalSchema(ma.Schema):
    as_of = ma.fields.Date()
    rows = ma.fields.List(ma.fields.Nested(SurvivalRow))
