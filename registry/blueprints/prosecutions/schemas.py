"""JSON shapes of prosecution cases and annual statistics (docs/architecture.md §6)."""

import marshmallow as ma
from flask_login import current_user

from registry.blueprints.prosecutions import services
from registry.blueprints.prosecutions.models import (
    AGE_GROUPS,
    CRIME_TYPES,
    EXPLOITATION_FORMS,
    METRICS,
    OUTCOMES,
    SEXES,
    STAGES,
)
from registry.core.input_guard import ID_RANGE
from registry.core.pagination import MAX_PAGE
from registry.core.schemas import VersionedPatch

ISO3 = ma.validate.Length(equal=3)
PAGE = {
    "page": ma.fields.Integer(load_default=1, validate=ma.validate.Range(min=1, max=MAX_PAGE)),
    "per_page": ma.fields.Integer(load_default=50, validate=ma.validate.Range(min=1, max=100)),
}


class CaseFields(ma.Schema):
    country = ma.fields.String(validate=ISO3)
    reference = ma.fields.String(validate=ma.validate.Length(min=1, max=60))
    crime_type = ma.fields.String(validate=ma.validate.OneOf(list(CRIME_TYPES)))
    exploitation_forms = ma.fields.List(
        ma.fields.String(validate=ma.validate.OneOf(list(EXPLOITATION_FORMS)))
    )
    sector = ma.fields.String(validate=ma.validate.Length(max=60))
    transnational = ma.fields.Boolean()
    cyber_enabled = ma.fields.Boolean()
    corruption_link = ma.fields.Boolean()
    non_punishment_applied = ma.fields.Boolean()
    mla_request_ids = ma.fields.List(ma.fields.Integer(validate=ID_RANGE))
    jit_ids = ma.fields.List(ma.fields.Integer(validate=ID_RANGE))
    notes = ma.fields.String(validate=ma.validate.Length(max=4000))


class CaseSchema(CaseFields):
    id = ma.fields.Integer()
    stage = ma.fields.String()
    investigation_started = ma.fields.Date(allow_none=True)
    prosecution_started = ma.fields.Date(allow_none=True)
    verdict_date = ma.fields.Date(allow_none=True)
    defendants = ma.fields.Method("_defendants")
    victims_total = ma.fields.Integer()
    version = ma.fields.Integer()
    mla_request_ids = ma.fields.Method("_mla")
    jit_ids = ma.fields.Method("_jits")

    victims = ma.fields.Method("_victims")

    def _victims(self, case):
        return [
            {"sex": v.sex, "age_group": v.age_group, "nationality": v.nationality, "count": v.count}
            for v in sorted(case.victims, key=lambda v: (v.nationality, v.sex, v.age_group))
        ]

    def _defendants(self, case):
        return [
            {
                "id": d.id,
                "sex": d.sex,
                "nationality": d.nationality,
                "outcome": d.outcome,
                "sentence_months": d.sentence_months,
            }
            for d in case.defendants
        ]

    # Dumped for the signed-in caller: linked records outside their scope are not named.
    def _mla(self, case):
        return [r.id for r in services.linked(current_user, case)[0]]

    def _jits(self, case):
        return [j.id for j in services.linked(current_user, case)[1]]


class CaseCreate(CaseFields):
    country = ma.fields.String(required=True, validate=ISO3)
    reference = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=60))
    crime_type = ma.fields.String(required=True, validate=ma.validate.OneOf(list(CRIME_TYPES)))
    stage = ma.fields.String(load_default="investigation", validate=ma.validate.OneOf(list(STAGES)))
    stage_date = ma.fields.Date(
        required=True, metadata={"description": "When the case reached its current stage."}
    )
    investigation_started = ma.fields.Date(
        allow_none=True,
        metadata={"description": "For a case entered at a later stage; omit when not known."},
    )
    prosecution_started = ma.fields.Date(
        allow_none=True,
        metadata={"description": "For a case entered after prosecution; omit when not known."},
    )


class CasePatch(VersionedPatch, CaseFields):
    reason = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=500))
    stage = ma.fields.String(validate=ma.validate.OneOf(list(STAGES)))
    stage_date = ma.fields.Date()


CASE_VERSION = ma.fields.Integer(
    metadata={"description": "The case's version you read; required (428 without, 409 stale)."}
)
# Amounts are strings in JSON ("1250.50"); the service refuses negative ones, naming the field.
MONEY = {"as_string": True, "allow_none": True}


class DefendantFields(ma.Schema):
    """Checked again by the same service as the case page, with the same messages."""

    sex = ma.fields.String(validate=ma.validate.OneOf(list(SEXES)))
    nationality = ma.fields.String(allow_none=True, validate=ISO3)
    outcome = ma.fields.String(validate=ma.validate.OneOf(list(OUTCOMES)))
    sentence_months = ma.fields.Integer(allow_none=True)
    fine = ma.fields.Decimal(**MONEY)
    asset_confiscation = ma.fields.Decimal(**MONEY)
    restitution = ma.fields.Decimal(**MONEY)
    version = CASE_VERSION


class DefendantCreate(DefendantFields):
    sex = ma.fields.String(required=True, validate=ma.validate.OneOf(list(SEXES)))


class VictimCountSet(ma.Schema):
    sex = ma.fields.String(required=True, validate=ma.validate.OneOf(list(SEXES)))
    age_group = ma.fields.String(required=True, validate=ma.validate.OneOf(list(AGE_GROUPS)))
    nationality = ma.fields.String(required=True, validate=ISO3)
    count = ma.fields.Integer(
        required=True, metadata={"description": "How many victims; 0 removes the row."}
    )
    version = CASE_VERSION


VersionArgs = ma.Schema.from_dict({"version": CASE_VERSION}, name="VersionArgs")


class StatisticSchema(ma.Schema):
    id = ma.fields.Integer(dump_only=True)
    country = ma.fields.String(required=True, validate=ISO3)
    year = ma.fields.Integer(required=True, validate=ma.validate.Range(min=1990, max=2100))
    metric = ma.fields.String(required=True, validate=ma.validate.OneOf(list(METRICS)))
    total = ma.fields.Integer(required=True, validate=ma.validate.Range(min=0))
    female = ma.fields.Integer(allow_none=True, validate=ma.validate.Range(min=0))
    male = ma.fields.Integer(allow_none=True, validate=ma.validate.Range(min=0))
    source = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=200))
    version = ma.fields.Integer(dump_only=True)


class StatisticPatch(VersionedPatch):
    total = ma.fields.Integer(validate=ma.validate.Range(min=0))
    female = ma.fields.Integer(allow_none=True, validate=ma.validate.Range(min=0))
    male = ma.fields.Integer(allow_none=True, validate=ma.validate.Range(min=0))
    source = ma.fields.String(validate=ma.validate.Length(min=1, max=200))
    reason = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=500))


CaseListArgs = ma.Schema.from_dict(
    PAGE
    | {
        "country": ma.fields.String(validate=ISO3),
        "crime_type": ma.fields.String(validate=ma.validate.OneOf(list(CRIME_TYPES))),
        "stage": ma.fields.String(validate=ma.validate.OneOf(list(STAGES))),
        "year": ma.fields.Integer(validate=ma.validate.Range(min=1900, max=2100)),
        "q": ma.fields.String(validate=ma.validate.Length(max=60)),
    },
    name="CaseListArgs",
)
StatisticListArgs = ma.Schema.from_dict(
    PAGE
    | {
        "country": ma.fields.String(validate=ISO3),
        "metric": ma.fields.String(validate=ma.validate.OneOf(list(METRICS))),
        "year": ma.fields.Integer(validate=ma.validate.Range(min=1900, max=2100)),
    },
    name="StatisticListArgs",
)
