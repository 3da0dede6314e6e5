"""JSON shapes of trainings, practitioners and participations (docs/architecture.md §6)."""

import marshmallow as ma

from registry.blueprints.training.models import MODALITIES, ROLE_TYPES, SEXES, TOPICS
from registry.core.input_guard import ID_RANGE
from registry.core.pagination import MAX_PAGE
from registry.core.schemas import VersionedPatch

ISO3 = ma.validate.Length(equal=3)
SCORE = ma.validate.Range(min=0, max=100)
PAGE = {
    "page": ma.fields.Integer(load_default=1, validate=ma.validate.Range(min=1, max=MAX_PAGE)),
    "per_page": ma.fields.Integer(load_default=50, validate=ma.validate.Range(min=1, max=100)),
}


class TrainingFields(ma.Schema):
    title = ma.fields.String(validate=ma.validate.Length(min=1, max=300))
    activity_code = ma.fields.String(validate=ma.validate.Length(max=20))
    country = ma.fields.String(validate=ISO3)
    start_date = ma.fields.Date()
    end_date = ma.fields.Date()
    modality = ma.fields.String(validate=ma.validate.OneOf(list(MODALITIES)))
    hours = ma.fields.Integer(validate=ma.validate.Range(min=0, max=1000))
    organiser = ma.fields.String(validate=ma.validate.Length(max=200))
    topics = ma.fields.List(
        ma.fields.String(validate=ma.validate.OneOf(list(TOPICS))),
        validate=ma.validate.Length(min=1),
    )


class TrainingSchema(TrainingFields):
    id = ma.fields.Integer()
    version = ma.fields.Integer()


class TrainingCreate(TrainingFields):
    title = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=300))
    country = ma.fields.String(required=True, validate=ISO3)
    start_date = ma.fields.Date(required=True)
    end_date = ma.fields.Date(required=True)
    modality = ma.fields.String(required=True, validate=ma.validate.OneOf(list(MODALITIES)))
    topics = ma.fields.List(
        ma.fields.String(validate=ma.validate.OneOf(list(TOPICS))),
        required=True,
        validate=ma.validate.Length(min=1),
    )


class PractitionerFields(ma.Schema):
    name = ma.fields.String(validate=ma.validate.Length(min=1, max=200))
    sex = ma.fields.String(validate=ma.validate.OneOf(list(SEXES)))
    country = ma.fields.String(validate=ISO3)
    role_type = ma.fields.String(validate=ma.validate.OneOf(list(ROLE_TYPES)))
    agency_id = ma.fields.Integer(allow_none=True, validate=ID_RANGE)


class PractitionerSchema(PractitionerFields):
    id = ma.fields.Integer()
    version = ma.fields.Integer()
    name = ma.fields.String(
        metadata={"description": "Present only for roles allowed to see personal data."}
    )


class PractitionerCreate(PractitionerFields):
    name = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=200))
    sex = ma.fields.String(required=True, validate=ma.validate.OneOf(list(SEXES)))
    country = ma.fields.String(required=True, validate=ISO3)
    role_type = ma.fields.String(required=True, validate=ma.validate.OneOf(list(ROLE_TYPES)))


class ParticipationSchema(ma.Schema):
    id = ma.fields.Integer(dump_only=True)
    practitioner_id = ma.fields.Integer(required=True, validate=ID_RANGE)
    training_id = ma.fields.Integer(required=True, validate=ID_RANGE)
    pre_score = ma.fields.Integer(allow_none=True, validate=SCORE)
    post_score = ma.fields.Integer(allow_none=True, validate=SCORE)
    completed = ma.fields.Boolean(load_default=False)
    gain = ma.fields.Integer(dump_only=True, allow_none=True)
    version = ma.fields.Integer(dump_only=True)


class Patch(VersionedPatch):
    reason = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=500))


class TrainingPatch(Patch, TrainingFields):
    """A change of a training: its fields, the version it changes and a reason."""


class PractitionerPatch(Patch, PractitionerFields):
    """A change of a practitioner: their fields, the version it changes and a reason."""


class ParticipationPatch(Patch):
    pre_score = ma.fields.Integer(allow_none=True, validate=SCORE)
    post_score = ma.fields.Integer(allow_none=True, validate=SCORE)
    completed = ma.fields.Boolean()


TrainingListArgs = ma.Schema.from_dict(
    PAGE
    | {
        "country": ma.fields.String(validate=ISO3),
        "year": ma.fields.Integer(validate=ma.validate.Range(min=1900, max=2100)),
        "topic": ma.fields.String(validate=ma.validate.OneOf(list(TOPICS))),
        "q": ma.fields.String(validate=ma.validate.Length(max=100)),
    },
    name="TrainingListArgs",
)
PractitionerListArgs = ma.Schema.from_dict(
    PAGE
    | {
        "country": ma.fields.String(validate=ISO3),
        "role_type": ma.fields.String(validate=ma.validate.OneOf(list(ROLE_TYPES))),
        "sex": ma.fields.String(validate=ma.validate.OneOf(list(SEXES))),
    },
    name="PractitionerListArgs",
)
ParticipationListArgs = ma.Schema.from_dict(
    PAGE
    | {
        "training_id": ma.fields.Integer(validate=ID_RANGE),
        "practitioner_id": ma.fields.Integer(validate=ID_RANGE),
    },
    name="ParticipationListArgs",
)
