"""Pieces every API resource uses: the blueprint, pagination and list envelopes."""

import marshmallow as ma
from flask_smorest import Blueprint

bp = Blueprint(
    "api",
    __name__,
    url_prefix="/api/v1",
    description="Cooperation Registry API. Authenticate with Authorization: Bearer <token>.",
)


class PageArgs(ma.Schema):
    page = ma.fields.Integer(load_default=1, validate=ma.validate.Range(min=1))
    per_page = ma.fields.Integer(load_default=50, validate=ma.validate.Range(min=1, max=100))


def envelope(item_schema, name):
    """A list response schema: {"items": [...], "total", "page", "per_page"}."""
    return ma.Schema.from_dict(
        {
            "items": ma.fields.List(ma.fields.Nested(item_schema)),
            "total": ma.fields.Integer(),
            "page": ma.fields.Integer(),
            "per_page": ma.fields.Integer(),
        },
        name=name,
    )


def page_body(page):
    return {"items": page.items, "total": page.total, "page": page.page, "per_page": page.per_page}
