"""JSON shapes of meetings and action items (docs/architecture.md §6)."""

import marshmallow as ma

from registry.blueprints.meetings.models import (
    ITEM_STATUSES,
    MEETING_TYPES,
    UPDATE_MAX_LENGTH,
    UPDATE_STATUSES,
    Meeting,
)
from registry.core.input_guard import ID_RANGE
from registry.core.limits import length_of
from registry.core.pagination import MAX_PAGE
from registry.core.schemas import VersionedPatch

ISO3 = ma.validate.Length(equal=3)
COUNT = ma.validate.Range(min=0, max=100_000)


class MeetingFields(ma.Schema):
    type = ma.fields.String(validate=ma.validate.OneOf(list(MEETING_TYPES)))
    title = ma.fields.String(validate=ma.validate.Length(min=1, max=300))
    date = ma.fields.Date()
    venue = ma.fields.String(validate=ma.validate.Length(max=200))
    host_country = ma.fields.String(allow_none=True, validate=ISO3)
    countries = ma.fields.List(ma.fields.String(validate=ISO3), validate=ma.validate.Length(min=1))
    participants_female = ma.fields.Integer(validate=COUNT)
    participants_male = ma.fields.Integer(validate=COUNT)
    participants_other = ma.fields.Integer(validate=COUNT)
    agency_ids = ma.fields.List(ma.fields.Integer(validate=ID_RANGE))
    topics = ma.fields.String(validate=length_of(Meeting.topics))
    outcomes = ma.fields.String(validate=length_of(Meeting.outcomes))
    counts_toward_2_6_1 = ma.fields.Boolean(allow_none=True)


class MeetingSchema(MeetingFields):
    id = ma.fields.Integer()
    participants_total = ma.fields.Integer()
    version = ma.fields.Integer()
    agency_ids = ma.fields.Method("_agency_ids")

    def _agency_ids(self, meeting):
        return [a.id for a in meeting.agencies]


class MeetingCreate(MeetingFields):
    type = ma.fields.String(required=True, validate=ma.validate.OneOf(list(MEETING_TYPES)))
    title = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=300))
    date = ma.fields.Date(required=True)
    countries = ma.fields.List(
        ma.fields.String(validate=ISO3), required=True, validate=ma.validate.Length(min=1)
    )


class MeetingPatch(VersionedPatch, MeetingFields):
    reason = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=500))


class MeetingListArgs(ma.Schema):
    page = ma.fields.Integer(load_default=1, validate=ma.validate.Range(min=1, max=MAX_PAGE))
    per_page = ma.fields.Integer(load_default=50, validate=ma.validate.Range(min=1, max=100))
    country = ma.fields.String(validate=ISO3)
    type = ma.fields.String(validate=ma.validate.OneOf(list(MEETING_TYPES)))
    year = ma.fields.Integer(validate=ma.validate.Range(min=1900, max=2100))
    q = ma.fields.String(validate=ma.validate.Length(max=100))


class ActionItemSchema(ma.Schema):
    id = ma.fields.Integer(dump_only=True)
    meeting_id = ma.fields.Integer(dump_only=True)
    owner_country = ma.fields.String(required=True, validate=ISO3)
    description = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=2000))
    due_date = ma.fields.Date(allow_none=True)
    status = ma.fields.String(load_default="open", validate=ma.validate.OneOf(list(ITEM_STATUSES)))
    version = ma.fields.Integer(dump_only=True)


class ActionItemPatch(VersionedPatch):
    owner_country = ma.fields.String(validate=ISO3)
    description = ma.fields.String(validate=ma.validate.Length(min=1, max=2000))
    due_date = ma.fields.Date(allow_none=True)
    status = ma.fields.String(validate=ma.validate.OneOf(list(ITEM_STATUSES)))
    reason = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=500))


TEXT = ma.validate.Length(max=UPDATE_MAX_LENGTH)


class CountryUpdateWrite(ma.Schema):
    country = ma.fields.String(
        validate=ISO3,
        metadata={"description": "Whose update; a focal point's own country when left out."},
    )
    successes = ma.fields.String(load_default="", validate=TEXT)
    challenges = ma.fields.String(load_default="", validate=TEXT)
    next_steps = ma.fields.String(load_default="", validate=TEXT)
    proposed_actions = ma.fields.String(load_default="", validate=TEXT)
    status = ma.fields.String(
        load_default="draft", validate=ma.validate.OneOf(list(UPDATE_STATUSES))
    )
    on_behalf_reason = ma.fields.String(
        validate=ma.validate.Length(max=500),
        metadata={"description": "Required when UNODC enters the update for a country."},
    )
    version = ma.fields.Integer(metadata={"description": "The version you loaded, to change it."})


class CountryUpdateSchema(ma.Schema):
    id = ma.fields.Integer()
    successes = ma.fields.String()
    challenges = ma.fields.String()
    next_steps = ma.fields.String()
    proposed_actions = ma.fields.String()
    status = ma.fields.String()
    submitted_at = ma.fields.DateTime(allow_none=True)
    on_behalf_reason = ma.fields.String(allow_none=True)
    version = ma.fields.Integer()


class CountryUpdateRow(ma.Schema):
    meeting_id = ma.fields.Integer()
    country = ma.fields.String()
    country_name = ma.fields.String()
    status = ma.fields.String(metadata={"description": "draft, submitted or missing"})
    update = ma.fields.Nested(CountryUpdateSchema, allow_none=True)


class CountryUpdateReopen(ma.Schema):
    country = ma.fields.String(required=True, validate=ISO3)
    reason = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=500))
