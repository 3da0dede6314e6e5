"""API resources of the training domain, attached to the shared /api/v1 blueprint."""

from registry.blueprints.api.common import bp  # noqa: F401
