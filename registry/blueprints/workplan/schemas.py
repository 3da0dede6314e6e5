"""JSON shapes of work-plan items."""

import marshmallow as ma

from registry.blueprints.workplan.models import STATUSES
from registry.core.pagination import MAX_PAGE
from registry.core.schemas import VersionedPatch

STATUS = ma.validate.OneOf(list(STATUSES))


class WorkPlanItemFields(ma.Schema):
    work_plan = ma.fields.String(validate=ma.validate.Length(min=1, max=200))
    title = ma.fields.String(validate=ma.validate.Length(min=1, max=500))
    lead = ma.fields.String(
        validate=ma.validate.Length(min=1, max=200),
        metadata={"description": "The lead country or body, as the plan writes it."},
    )
    supporting = ma.fields.String(validate=ma.validate.Length(max=500))
    timeline = ma.fields.String(
        validate=ma.validate.Length(max=100),
        metadata={"description": 'As written, e.g. "2025-2026" or "Annual".'},
    )
    indicative_budget = ma.fields.String(validate=ma.validate.Length(max=100))
    narrative = ma.fields.String(validate=ma.validate.Length(max=8000))
    status = ma.fields.String(validate=STATUS)
    status_date = ma.fields.Date()
    status_note = ma.fields.String(load_only=True, validate=ma.validate.Length(max=1000))


class WorkPlanStatusSchema(ma.Schema):
    status = ma.fields.String()
    date = ma.fields.Date()
    note = ma.fields.String()


class WorkPlanItemSchema(WorkPlanItemFields):
    id = ma.fields.Integer()
    year_from = ma.fields.Integer(allow_none=True)
    year_to = ma.fields.Integer(allow_none=True)
    version = ma.fields.Integer()
    history = ma.fields.List(ma.fields.Nested(WorkPlanStatusSchema))


class WorkPlanItemCreate(WorkPlanItemFields):
    work_plan = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=200))
    title = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=500))
    lead = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=200))
    status = ma.fields.String(required=True, validate=STATUS)


class WorkPlanItemPatch(VersionedPatch, WorkPlanItemFields):
    reason = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=500))


class WorkPlanListArgs(ma.Schema):
    page = ma.fields.Integer(load_default=1, validate=ma.validate.Range(min=1, max=MAX_PAGE))
    per_page = ma.fields.Integer(load_default=50, validate=ma.validate.Range(min=1, max=100))
    status = ma.fields.String(validate=STATUS)
    work_plan = ma.fields.String(validate=ma.validate.Length(max=200))
    q = ma.fields.String(validate=ma.validate.Length(max=100))
