"""Marshmallow pieces shared by every domain's API schemas."""

import marshmallow as ma

from registry.core.input_guard import MAX_ID


class VersionedPatch(ma.Schema):
    """The body of a PATCH of a versioned record: it must name the version it changes.

    Loaded as None when missing, so that the caller's rights and the other fields are checked
    first (a record the caller may not see stays a 404); the record's `check_version` then
    answers 428 (Precondition Required) for none and 409 for a stale one.
    """

    version = ma.fields.Integer(
        load_default=None,
        validate=ma.validate.Range(min=1, max=MAX_ID),
        metadata={
            "description": "Required: the version you loaded. Missing: 428; stale: 409 "
            "(load the record again)."
        },
    )
