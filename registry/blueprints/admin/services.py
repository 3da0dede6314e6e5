"""Administration: accounts listing, adjustable settings, the audit log."""

from datetime import datetime, time, timedelta

import sqlalchemy as sa

from registry.blueprints.auth.models import AUTH_EVENTS, User
from registry.core import audit
from registry.core.audit import AuditEvent
from registry.core.errors import ValidationFailed
from registry.core.settings import ADJUSTABLE, Setting
from registry.extensions import db

AUDIT_ACTIONS = ("create", "update", "delete", "read", "export", *AUTH_EVENTS)


def users_query(role=None, country=None, active=None, q=None):
    stmt = sa.select(User).order_by(User.email)
    if role:
        stmt = stmt.where(User.role == role)
    if country:
        stmt = stmt.where(User.country_code == country)
    if active is not None:
        stmt = stmt.where(User.active.is_(active))
    if q:
        like = f"%{q.strip().lower()}%"
        stmt = stmt.where(sa.or_(User.email.like(like), sa.func.lower(User.name).like(like)))
    return stmt


def save_settings(actor, values, reason):
    """Store new values for the adjustable thresholds, within their allowed ranges."""
    errors = {}
    for key, (_label, low, high) in ADJUSTABLE.items():
        value = values.get(key)
        if not isinstance(value, int) or not low <= value <= high:
            errors[key] = [f"A whole number from {low} to {high}."]
    if not (reason or "").strip():
        errors["reason"] = ["Say why the threshold changes."]
    if errors:
        raise ValidationFailed("The settings were not saved.", errors)
    audit.act_as(actor, reason.strip())
    for key in ADJUSTABLE:
        row = db.session.get(Setting, key)
        if row is None:
            db.session.add(Setting(key=key, value=values[key]))
        else:
            row.value = values[key]
    db.session.flush()


def audit_query(actor=None, object_type=None, object_id=None, action=None, since=None, until=None):
    stmt = sa.select(AuditEvent).order_by(AuditEvent.occurred_at.desc(), AuditEvent.id.desc())
    if actor:
        stmt = stmt.where(AuditEvent.actor_label.ilike(f"%{actor.strip()}%"))
    if object_type:
        stmt = stmt.where(AuditEvent.object_type == object_type.strip())
    if object_id:
        stmt = stmt.where(AuditEvent.object_id == object_id.strip())
    if action:
        stmt = stmt.where(AuditEvent.action == action)
    if since:
        stmt = stmt.where(AuditEvent.occurred_at >= datetime.combine(since, time.min))
    if until:
        stmt = stmt.where(
            AuditEvent.occurred_at < datetime.combine(until + timedelta(days=1), time.min)
        )
    return stmt


def object_types():
    return db.session.scalars(
        sa.select(AuditEvent.object_type).distinct().order_by(AuditEvent.object_type)
    ).all()
