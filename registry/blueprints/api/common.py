"""Pieces every API resource uses: the blueprint, pagination and list envelopes."""

import hashlib

import marshmallow as ma
from flask import current_app, request
from flask_limiter.util import get_remote_address
from flask_smorest import Blueprint

from registry.extensions import limiter

bp = Blueprint(
    "api",
    __name__,
    url_prefix="/api/v1",
    description="Cooperation Registry API. Authenticate with Authorization: Bearer <token>.",
)


def _token_key():
    """Count requests per token (a token never gets more than its own allowance)."""
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() == "bearer" and token:
        return "token:" + hashlib.sha256(token.strip().encode()).hexdigest()[:32]
    return "ip:" + get_remote_address()


limiter.limit(lambda: current_app.config["API_RATE_LIMIT"], key_func=_token_key)(bp)


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
