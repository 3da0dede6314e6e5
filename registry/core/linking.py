"""Links from one record to others (a case's MLA requests, a team's): only records the actor sees."""

import sqlalchemy as sa

from registry.core.input_guard import MAX_ID
from registry.core.permissions import scoped
from registry.extensions import db


def visible_links(actor, model, ids, check, field, message):
    """The records of `model` with these ids, in the actor's scope; if any id names no record
    they may see (ids beyond what the database stores name none), fail `field` with `message`."""
    wanted = sorted({int(i) for i in ids or []})
    stored = [i for i in wanted if 0 < i <= MAX_ID]
    found = (
        db.session.scalars(scoped(sa.select(model), actor, model).where(model.id.in_(stored))).all()
        if stored
        else []
    )
    if len(found) != len(wanted):
        check.fail(field, message)
    return found
