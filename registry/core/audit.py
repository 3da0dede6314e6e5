"""Append-only audit trail, written automatically for every change to an audited model."""

from datetime import date, datetime
from decimal import Decimal
from enum import Enum

import sqlalchemy as sa
from sqlalchemy import event, inspect
from sqlalchemy.orm import Mapped, Session, mapped_column

from registry.core import audit_chain, bulk, limits
from registry.core.columns import SYSTEM, utcnow
from registry.extensions import db

NOT_SHOWN = "(changed, value not shown)"


class AuditActorMissing(RuntimeError):
    """A change was flushed without saying who made it."""


class AppendOnly(RuntimeError):
    """Audit events are never edited or deleted."""


class AuditEvent(db.Model):
    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    occurred_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(index=True)
    actor_label: Mapped[str] = mapped_column(sa.String(254))
    object_type: Mapped[str] = mapped_column(sa.String(60), index=True)
    object_id: Mapped[str | None] = mapped_column(sa.String(60))
    action: Mapped[str] = mapped_column(sa.String(30), index=True)
    changes: Mapped[dict | None] = mapped_column(sa.JSON)
    reason: Mapped[str | None] = mapped_column(sa.Text, info=limits.bounded(limits.NOTE))
    # The event's place in the chain and its seal (core/audit_chain.py).
    seq: Mapped[int] = mapped_column(unique=True)
    prev_hash: Mapped[str] = mapped_column(sa.String(64))
    hash: Mapped[str] = mapped_column(sa.String(64))


class Audited:
    """Mixin: inserts, updates and deletes of this model write audit events in the same flush."""

    # Columns whose changes alone are bookkeeping, not worth an event.
    __audit_ignore__: tuple[str, ...] = ("version", "created_at", "updated_at")
    # Columns whose values must never be copied into the log.
    __audit_redact__: tuple[str, ...] = ()
    # Many-to-many links (relationship names): a change logs the linked ids before and after,
    # and bumps the record's version like a change of its own columns.
    __audit_links__: tuple[str, ...] = ()


def act_as(actor, reason=None):
    """Name who is making the changes flushed from now on in this session, and why."""
    db.session.info["audit_actor"] = actor
    db.session.info["audit_reason"] = reason or None


def record(actor, action, object_type, object_id=None, details=None, reason=None):
    """Write an audit event for something that is not a row change (a read, an export, a login)."""
    actor_id, label = _actor_fields(actor)
    _append(
        db.session.connection(),
        [
            {
                "actor_id": actor_id,
                "actor_label": label,
                "object_type": object_type,
                "object_id": None if object_id is None else str(object_id),
                "action": action,
                "changes": details,
                "reason": reason or None,
            }
        ],
    )


def _append(connection, events, insert=None):
    """Seal the events at the end of the chain and insert them."""
    table = AuditEvent.__table__
    sealed = audit_chain.seal_all(connection, table, events)
    if insert is None:
        connection.execute(table.insert(), sealed)
    else:
        insert(AuditEvent, sealed)


def record_created(actor, model, items, reason):
    """Audit records written by multi-row inserts, which no flush sees: one "create" event per
    record with its values. `items` are (id, {field: value}) pairs."""
    actor_id, label = _actor_fields(actor)
    events = [
        {
            "actor_id": actor_id,
            "actor_label": label,
            "object_type": model.__name__,
            "object_id": str(object_id),
            "action": "create",
            "changes": {
                key: [None, NOT_SHOWN if key in model.__audit_redact__ else _jsonable(value)]
                for key, value in values.items()
                if key not in model.__audit_ignore__
            },
            "reason": reason,
        }
        for object_id, values in items
    ]
    _append(db.session.connection(), events, insert=bulk.insert)


def _actor_fields(actor):
    if actor is None:
        raise AuditActorMissing("audited change without an actor: call audit.act_as() first")
    if actor == SYSTEM:
        return None, SYSTEM
    return actor.id, actor.email


def _jsonable(value):
    if isinstance(value, list | tuple):
        return [_jsonable(item) for item in value]
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Enum):
        return value.value
    return value


def _column_keys(obj):
    return [attr.key for attr in inspect(obj).mapper.column_attrs]


def _values(obj, cls, old):
    out = {}
    for key in _column_keys(obj):
        if key in cls.__audit_ignore__:
            continue
        value = getattr(obj, key)
        shown = NOT_SHOWN if key in cls.__audit_redact__ else _jsonable(value)
        out[key] = [shown, None] if old else [None, shown]
    return out


def _diff(obj, cls):
    state = inspect(obj)
    out = {}
    for key in _column_keys(obj):
        if key in cls.__audit_ignore__:
            continue
        history = state.attrs[key].history
        if not history.has_changes():
            continue
        before = history.deleted[0] if history.deleted else None
        after = history.added[0] if history.added else None
        if before == after:
            continue
        if key in cls.__audit_redact__:
            out[key] = [NOT_SHOWN, NOT_SHOWN]
        else:
            out[key] = [_jsonable(before), _jsonable(after)]
    return out


def _link_changes(obj, cls):
    state = inspect(obj)
    out = {}
    for key in cls.__audit_links__:
        history = state.attrs[key].history
        if not (history.added or history.deleted):
            continue
        kept = list(history.unchanged or ())
        before = sorted(o.id for o in [*kept, *(history.deleted or ())])
        after = sorted(o.id for o in [*kept, *(history.added or ())])
        if before != after:
            out[key] = [before, after]
    return out


@event.listens_for(Session, "before_flush")
def _touch_relinked(session, _flush_context, _instances):
    """A record whose links alone changed is still updated, so that its version moves on."""
    for obj in session.dirty:
        linked = isinstance(obj, Audited) and hasattr(obj, "updated_at")
        if linked and _link_changes(obj, type(obj)):
            obj.updated_at = utcnow()


def _object_id(obj):
    # The identity key is not set yet for rows inserted by this flush; the key columns are.
    key = inspect(obj).mapper.primary_key_from_instance(obj)
    return ",".join(str(part) for part in key)


@event.listens_for(Session, "after_flush")
def _write_audit(session, _flush_context):
    rows = []
    for action, objects in (
        ("create", session.new),
        ("update", session.dirty),
        ("delete", session.deleted),
    ):
        for obj in objects:
            if not isinstance(obj, Audited):
                continue
            cls = type(obj)
            if action == "update":
                changes = _diff(obj, cls) | _link_changes(obj, cls)
                if not changes:
                    continue
            elif action == "create":
                changes = _values(obj, cls, old=False) | _link_changes(obj, cls)
            else:
                changes = _values(obj, cls, old=True)
            rows.append((obj, action, changes))
    if not rows:
        return
    actor_id, label = _actor_fields(session.info.get("audit_actor"))
    reason = session.info.get("audit_reason")
    _append(
        session.connection(),
        [
            {
                "actor_id": actor_id,
                "actor_label": label,
                "object_type": type(obj).__name__,
                "object_id": _object_id(obj),
                "action": action,
                "changes": changes,
                "reason": reason,
            }
            for obj, action, changes in rows
        ],
    )


@event.listens_for(AuditEvent, "before_update")
@event.listens_for(AuditEvent, "before_delete")
def _refuse_change(_mapper, _connection, _target):
    raise AppendOnly("audit events are append-only")
