"""Marshmallow pieces shared by every domain's API schemas."""

import marshmallow as ma

from registry.core.errors import VersionMissing
from registry.core.input_guard import MAX_ID


class VersionedPatch(ma.Schema):
    """The body of a PATCH of a versioned record: it must name the version it changes.

    Without `version` the answer is 428 (Precondition Required) before any other check; a version
    other than the stored one is a 409 from the record's `check_version`.
    """

    version = ma.fields.Integer(
        required=True,
        validate=ma.validate.Range(min=1, max=MAX_ID),
        metadata={
            "description": "The version you loaded. Missing: 428; stale: 409 (load it again)."
        },
    )

    @ma.pre_load
    def _require_version(self, data, **_kwargs):
        if isinstance(data, dict) and data.get("version") is None:
            raise VersionMissing()
        return data
