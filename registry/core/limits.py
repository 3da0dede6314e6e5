"""How long a text may be, defined once: on the model's column.

A `String(n)` column holds at most n characters; a `Text` column says its bound with
`info=bounded(N)`. Every save of every model is checked against these bounds before anything
is written (`refuse_overlong`, a `before_flush` hook): an over-long value is a 422 naming the
field ("At most N characters."), whether it came from a page, the API or an import, and
nothing is stored, not even an audit event. API schemas and forms take the same bound from
the column (`length_of`) so that they refuse it before the service runs.
"""

import marshmallow as ma
import sqlalchemy as sa
from sqlalchemy import event, inspect
from sqlalchemy.orm import Session

from registry.core.errors import ValidationFailed

MAX_LENGTH = "max_length"  # the key of a Text column's bound in its `info`

REASON = 500  # why a record was changed
SHORT_NOTE = 1000  # an address, a contact, what needs translating
NOTE = 2000  # a note, a description of an action
LONG_TEXT = 4000  # summaries, outcomes, evaluations of a team's work
# Text the registry writes itself (error reports, notifications, the audit chain's verdicts):
# bounded so that nothing is unbounded, far above anything it writes.
SYSTEM_TEXT = 100_000


def bounded(limit):
    """The `info` of a Text column holding at most `limit` characters."""
    return {MAX_LENGTH: limit}


def limit_of(column):
    """The most characters a String or Text column holds (None: not a text column)."""
    if isinstance(column.type, sa.Text):
        return column.info.get(MAX_LENGTH)
    if isinstance(column.type, sa.String):
        return column.type.length
    return None


def length_of(attribute, minimum=None):
    """A marshmallow Length validator with the bound of a model attribute's column."""
    return ma.validate.Length(min=minimum, max=limit_of(attribute.property.columns[0]))


def text_columns(mapper):
    """The mapped columns of a model that hold text: {attribute name: column}."""
    return {
        attr.key: attr.columns[0]
        for attr in mapper.column_attrs
        if isinstance(attr.columns[0].type, sa.String)
    }


def overlong(obj):
    """{field: [message]} for each text of `obj` longer than its column holds."""
    errors = {}
    for name, column in text_columns(inspect(obj).mapper).items():
        value, limit = getattr(obj, name, None), limit_of(column)
        if isinstance(value, str) and limit is not None and len(value) > limit:
            errors[name] = [f"At most {limit:,} characters (this one has {len(value):,})."]
    return errors


@event.listens_for(Session, "before_flush", insert=True)
def refuse_overlong(session, _flush_context, _instances):
    """Refuse the whole save when any new or changed record holds an over-long text."""
    errors = {}
    for obj in list(session.new) + [o for o in session.dirty if session.is_modified(o)]:
        errors |= overlong(obj)
    if errors:
        raise ValidationFailed(
            "A text is longer than the registry keeps; nothing was saved.", errors
        )
