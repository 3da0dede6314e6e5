"""API: /api/v1/indicators and their values computed from the records."""

import marshmallow as ma
from flask import abort
from flask_login import current_user

from registry.blueprints.api.common import bp
from registry.blueprints.indicators import services
from registry.blueprints.indicators.models import Indicator
from registry.core.permissions import signed_in
from registry.extensions import db


class TargetSchema(ma.Schema):
    year = ma.fields.Integer()
    value = ma.fields.Integer()


class IndicatorSchema(ma.Schema):
    code = ma.fields.String()
    result = ma.fields.String()
    text = ma.fields.String()
    unit = ma.fields.String()
    disaggregation = ma.fields.String()
    source = ma.fields.String()
    definition = ma.fields.String()
    baseline_value = ma.fields.Integer(
        allow_none=True, metadata={"description": "null: to be defined at inception"}
    )
    baseline_year = ma.fields.Integer(allow_none=True)
    targets = ma.fields.List(ma.fields.Nested(TargetSchema))


class ValuesArgs(ma.Schema):
    date_from = ma.fields.Date(data_key="from", load_default=None)
    date_to = ma.fields.Date(data_key="to", load_default=None)
    country = ma.fields.String(load_default=None, validate=ma.validate.Length(equal=3))

    @ma.validates_schema
    def _ordered(self, data, **_kwargs):
        if data["date_from"] and data["date_to"] and data["date_to"] < data["date_from"]:
            raise ma.ValidationError("The period ends before it starts.", "to")


class ValueRow(ma.Schema):
    country = ma.fields.String()
    sex = ma.fields.String(allow_none=True)
    value = ma.fields.Integer()
    crime_type = ma.fields.String()


class ValuesSchema(ma.Schema):
    code = ma.fields.String()
    rows = ma.fields.List(ma.fields.Nested(ValueRow))
    total = ma.fields.Integer()


@bp.route("/indicators", methods=["GET"])
@signed_in
@bp.response(200, IndicatorSchema(many=True))
def indicator_list():
    """The programme's criminal-justice indicators with baselines and targets."""
    return services.indicators()


@bp.route("/indicators/<code>/values", methods=["GET"])
@signed_in
@bp.arguments(ValuesArgs, location="query")
@bp.response(200, ValuesSchema)
def indicator_values(args, code):
    """Values computed from the records for the period (default: this year), within your scope."""
    if db.session.get(Indicator, code) is None:
        abort(404, description="No such indicator.")
    start, end = services.period_of(
        {
            "from": args["date_from"] and args["date_from"].isoformat(),
            "to": args["date_to"] and args["date_to"].isoformat(),
        }
    )
    return {"code": code, **services.values(current_user, code, start, end, args["country"])}
