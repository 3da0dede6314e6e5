"""Refuse malformed input before any view sees it, so that no input can become a 500.

- Integer URL parts are bounded to what the database stores (`BoundedInt`, registered as the
  default `int` converter): `/mla/2147483648` is a 404 like any other id that does not exist.
- Query strings, form fields and URL parts may not hold NUL characters (PostgreSQL stores no
  NUL in text): 400.
- JSON bodies are parsed once up front: a body that is not JSON, nesting deeper than
  `MAX_JSON_DEPTH` or too deep for the parser is a 400; a string holding a lone UTF-16
  surrogate (`"\\ud800"`, which no database can store) or NUL is a 422 naming the field.
"""

import json
import re

import marshmallow as ma
from flask import request
from werkzeug.exceptions import BadRequest, UnprocessableEntity
from werkzeug.routing import IntegerConverter

MAX_ID = 2**31 - 1
MAX_JSON_DEPTH = 64
# For API fields that name a record: larger ids exist nowhere and PostgreSQL refuses them.
ID_RANGE = ma.validate.Range(min=1, max=MAX_ID)
SURROGATE = re.compile("[\ud800-\udfff]")


class BoundedInt(IntegerConverter):
    """`<int:...>` limited to a PostgreSQL integer; larger numbers match no route (404)."""

    def __init__(self, url_map, fixed_digits=0, min=None, max=None, signed=False):
        super().__init__(url_map, fixed_digits, min, MAX_ID if max is None else max, signed)


def has_nul(value):
    return isinstance(value, str) and "\x00" in value


def has_surrogate(value):
    return isinstance(value, str) and SURROGATE.search(value) is not None


def _check_text():
    fields = [*request.args.items(multi=True), *(request.view_args or {}).items()]
    if request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
        fields += request.form.items(multi=True)
    for name, value in fields:
        if has_nul(name) or has_nul(value):
            raise BadRequest(f"The field {name.replace(chr(0), '')!r} holds a NUL character.")


def _walk(document):
    """Yield (depth, path, value) for every node, without recursion."""
    stack = [(1, "", document)]
    while stack:
        depth, path, value = stack.pop()
        yield depth, path, value
        if isinstance(value, dict):
            stack.extend((depth + 1, f"{path}.{k}" if path else k, v) for k, v in value.items())
            stack.extend((depth, path, k) for k in value)
        elif isinstance(value, list):
            stack.extend((depth + 1, f"{path}[{i}]", v) for i, v in enumerate(value))


def _check_json():
    if not request.is_json or not request.content_length:
        return
    try:
        document = json.loads(request.get_data(cache=True))
    except RecursionError as exc:
        raise BadRequest("The JSON body is nested too deeply.") from exc
    except ValueError as exc:  # also a number of more than 4,300 digits, which parsers refuse
        raise BadRequest("The body is not valid JSON.") from exc
    for depth, path, value in _walk(document):
        if depth > MAX_JSON_DEPTH:
            raise BadRequest(f"The JSON body is nested deeper than {MAX_JSON_DEPTH} levels.")
        if has_surrogate(value) or has_nul(value):
            error = UnprocessableEntity("The request has invalid fields: " + (path or "body"))
            error.data = {"errors": {path or "body": ["Contains a character that is not allowed."]}}
            raise error


def init_app(app):
    app.url_map.converters["int"] = BoundedInt

    @app.before_request
    def refuse_malformed_input():
        _check_text()
        _check_json()
