"""Domain errors and the error pages/JSON bodies they become."""

from flask import jsonify, render_template, request
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import HTTPException


class DomainError(Exception):
    """A rule of the registry was broken by the caller."""

    status = 422

    def __init__(self, message, errors=None):
        super().__init__(message)
        self.message = message
        self.errors = errors or {}


class ValidationFailed(DomainError):
    """Input was refused; errors name the fields."""


class Forbidden(DomainError):
    status = 403


class NotFound(DomainError):
    status = 404


class Conflict(DomainError):
    """The record changed since the caller loaded it."""

    status = 409


class VersionRequired(DomainError):
    """A change of a versioned record came without the version it was based on."""

    status = 428


def require_version(version):
    """Refuse a change that does not say which version of the record it is based on."""
    if version in (None, ""):
        raise VersionRequired(
            "Send the version of the record you change (its `version` field).",
            {"version": ["Required: the version you read."]},
        )


def wants_json():
    return request.path.startswith("/api/") or request.path == "/healthz"


def json_error(status, message, errors=None):
    body = {"message": message}
    if errors:
        body["errors"] = errors
    response = jsonify(body)
    response.status_code = status
    return response


def _flatten_webargs(messages):
    # webargs nests errors by location ({"json": {"field": [...]}}); the API promises {"field": [...]}.
    flat = {}
    for location, fields in (messages or {}).items():
        if isinstance(fields, dict):
            for field, msgs in fields.items():
                flat[field] = msgs if isinstance(msgs, list | dict) else [msgs]
        else:
            flat[location] = fields
    return flat


def _handle_http(error: HTTPException):
    if wants_json():
        data = getattr(error, "data", None) or {}
        errors = data.get("errors") or _flatten_webargs(data.get("messages"))
        message = data.get("message") or error.description
        if error.code == 422 and errors:
            message = "The request has invalid fields: " + ", ".join(sorted(errors))
        response = json_error(error.code, message, errors)
        for key, value in (data.get("headers") or {}).items():
            response.headers[key] = value
        return response
    template = f"errors/{error.code}.html" if error.code in (400, 403, 404, 405, 413, 429) else None
    return render_template(template or "errors/generic.html", error=error), error.code


def _handle_domain(error: DomainError):
    if wants_json():
        return json_error(error.status, error.message, error.errors)
    template = {403: "errors/403.html", 404: "errors/404.html"}.get(error.status)
    return render_template(template or "errors/generic.html", error=error), error.status


def _handle_stale(_error):
    # Two saves raced past the version check; the database refused the second.
    return _handle_domain(
        Conflict(
            "This record was changed by someone else while you were saving. "
            "Reload the page to see the current values, then make your change again.",
            {"version": ["stale version"]},
        )
    )


def _handle_500(error):
    if wants_json():
        return json_error(500, "Internal error; it has been logged.")
    return render_template("errors/500.html"), 500


def init_app(app):
    app.register_error_handler(HTTPException, _handle_http)
    app.register_error_handler(DomainError, _handle_domain)
    app.register_error_handler(StaleDataError, _handle_stale)
    app.register_error_handler(500, _handle_500)
