"""Reminders: record what is due as notifications, mail the digests; list and mark them."""

from collections import defaultdict
from dataclasses import dataclass

import sqlalchemy as sa

from registry.blueprints.auth.models import User
from registry.blueprints.notifications import digest, rules
from registry.blueprints.notifications.models import Notification
from registry.blueprints.notifications.targets import target_of, visible_clause
from registry.core import bulk
from registry.core.audit import AuditEvent
from registry.core.columns import utcnow
from registry.core.roles import FOCAL_POINT
from registry.extensions import db


@dataclass
class RunResult:
    today: object
    notifications: int  # new notifications
    mails_sent: int
    mails_failed: int  # people whose digest stays pending until the next run

    def summary(self):
        failed = (
            f", {self.mails_failed} failed (kept for the next run)" if self.mails_failed else ""
        )
        return (
            f"reminders for {self.today.isoformat()}: {self.notifications} new notifications, "
            f"{self.mails_sent} mails sent{failed}"
        )


def run(today):
    """Record the reminders due on `today` and mail the digests due; running it again the same
    day adds and sends nothing more."""
    created = record_due(today)
    db.session.commit()
    sent, failed = digest.send_due(today)
    return RunResult(today, created, sent, failed)


class People:
    """Who is told: active focal points by country, and the accounts that created records."""

    def __init__(self):
        self._focal = defaultdict(list)
        for user in db.session.scalars(
            sa.select(User).where(User.active.is_(True), User.role == FOCAL_POINT)
        ):
            self._focal[user.country_code].append(user)

    def told_of(self, kind, deadline):
        """The people a reminder concerns who may see its record (by the record's own rule)."""
        people = {u.id: u for c in deadline.countries for u in self._focal[c]}
        creator = deadline.creator_of and _creator(*deadline.creator_of)
        if creator is not None and creator.active:
            people[creator.id] = creator
        can_view = target_of(kind).can_view
        return [user for user in people.values() if can_view(user, deadline.record)]


def _creator(object_type, object_id):
    actor_id = db.session.scalar(
        sa.select(AuditEvent.actor_id)
        .where(
            AuditEvent.object_type == object_type,
            AuditEvent.object_id == str(object_id),
            AuditEvent.action == "create",
        )
        .order_by(AuditEvent.id)
        .limit(1)
    )
    return db.session.get(User, actor_id) if actor_id is not None else None


def record_due(today):
    """Add a notification for each reminder due on `today` and each person it concerns, unless
    it was given already (same rule, record, person and deadline); return how many are new."""
    people = People()
    now = utcnow()
    rows = [
        {
            "recipient_id": user.id,
            "kind": kind,
            "subject_id": deadline.subject_id,
            "target_id": deadline.target_id,
            "due_on": deadline.on,
            "text": rules.text(kind, deadline),
            "created_at": now,
            "mail_state": "pending",
        }
        for rule in rules.RULES
        for kind, deadline in rule.due(today)
        for user in people.told_of(kind, deadline)
    ]
    return bulk.insert_new(Notification, rows)


def list_query(user, unread_only=False):
    """The user's own notifications about records they may still see, newest first."""
    stmt = sa.select(Notification).where(Notification.recipient_id == user.id, visible_clause(user))
    if unread_only:
        stmt = stmt.where(Notification.read_at.is_(None))
    # Those of one run share their time: the latest deadline first among them.
    return stmt.order_by(
        Notification.created_at.desc(), Notification.due_on.desc(), Notification.id.desc()
    )


def unread_count(user):
    stmt = list_query(user, unread_only=True).order_by(None)
    return db.session.scalar(sa.select(sa.func.count()).select_from(stmt.subquery()))


def own(user, notification_id):
    """The user's notification with this id, or None (never someone else's)."""
    return db.session.scalar(
        list_query(user).where(Notification.id == notification_id).order_by(None)
    )


def mark_read(notification):
    if notification.read_at is None:
        notification.read_at = utcnow()
    db.session.flush()


def mark_all_read(user):
    """Mark every unread notification of the user read; return how many."""
    ids = db.session.scalars(list_query(user, unread_only=True).with_only_columns(Notification.id))
    result = db.session.execute(
        sa.update(Notification).where(Notification.id.in_(list(ids))).values(read_at=utcnow())
    )
    return result.rowcount
