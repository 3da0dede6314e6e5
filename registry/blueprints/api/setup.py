"""Bind the /api/v1 resources and their OpenAPI document to an app."""

import importlib

from flask import render_template
from flask_smorest import Api

from registry.core.permissions import public
from registry.extensions import csrf

# Modules whose routes attach to the shared /api/v1 blueprint (api.common.bp).
RESOURCE_MODULES = (
    "registry.blueprints.api.reference",
    "registry.blueprints.mla.api",
    "registry.blueprints.jits.api",
    "registry.blueprints.meetings.api",
    "registry.blueprints.training.api",
    "registry.blueprints.prosecutions.api",
    "registry.blueprints.indicators.api",
    "registry.blueprints.briefs.api",
    "registry.blueprints.imports.api",
    "registry.blueprints.directory.api",
    "registry.blueprints.notifications.api",
    "registry.blueprints.workplan.api",
)


class RegistryApi(Api):
    """flask-smorest Api whose errors follow the registry's own JSON format (core.errors)."""

    def _register_error_handlers(self):
        """Leave error handling to registry.core.errors (HTML for pages, JSON for the API)."""


def register(app):
    """Register the API blueprint and the OpenAPI document at /api/v1/openapi.json."""
    from registry.blueprints.api.common import bp

    for module in RESOURCE_MODULES:
        importlib.import_module(module)

    app.config.update(
        API_TITLE="Cooperation Registry API",
        API_VERSION="v1",
        OPENAPI_VERSION="3.0.3",
        OPENAPI_URL_PREFIX="/api/v1",
        OPENAPI_JSON_PATH="openapi.json",
    )
    api = RegistryApi(
        app,
        spec_kwargs={
            "components": {"securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer"}}},
            "security": [{"bearerAuth": []}],
        },
    )
    # Tokens only, never the session cookie (auth.views), so a CSRF token would guard nothing.
    csrf.exempt(bp)
    api.register_blueprint(bp)
    app.extensions["registry_api"] = api
    app.add_url_rule("/api/v1/docs", "api_docs", public(_docs_page(api)))


def _docs_page(api):
    def docs():
        """Human-readable API reference rendered from the OpenAPI document."""
        return render_template("api/docs.html", spec=api.spec.to_dict())

    return docs
