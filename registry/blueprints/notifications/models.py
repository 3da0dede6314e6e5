"""Notifications: the reminders each person was given, in the registry and by mail."""

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from registry.core import limits
from registry.core.columns import choice, utcnow
from registry.extensions import db

# What a reminder says, by rule (blueprints/notifications/rules.py).
KINDS = {
    "mla_unacknowledged": "MLA request not acknowledged",
    "mla_unanswered": "MLA request unanswered",
    "jit_ending": "JIT end approaching",
    "jit_past_end": "JIT past its planned end",
    "action_item_due": "Action item due soon",
    "action_item_overdue": "Action item overdue",
    "training_post_test": "Post-test scores missing",
    "country_update_missing": "Country update not submitted",
}
# pending: to be mailed at the next digest; sent: mailed (on `mailed_on`); in_app: never
# mailed (no mail server, the person chose no mail, or the record is out of their sight).
MAIL_STATES = ("pending", "sent", "in_app")


class Notification(db.Model):
    """One reminder for one person. Created once per rule, record, person and deadline (the
    unique key), so running the reminders again adds nothing; not audited: it is derived from
    audited records, and its text holds only their reference, countries and dates."""

    __tablename__ = "notification"

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient_id: Mapped[int] = mapped_column(sa.ForeignKey("app_user.id"))
    kind: Mapped[str] = mapped_column(choice(tuple(KINDS), "notification_kind"))
    # The record the rule is about (request, team, action item, training) ...
    subject_id: Mapped[int]
    # ... and the record whose page the notification links to (an action item's meeting).
    target_id: Mapped[int]
    due_on: Mapped[date]
    text: Mapped[str] = mapped_column(sa.Text, info=limits.bounded(limits.SYSTEM_TEXT))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    read_at: Mapped[datetime | None]
    mail_state: Mapped[str] = mapped_column(
        choice(MAIL_STATES, "notification_mail_state"), default="pending", index=True
    )
    mailed_on: Mapped[date | None]

    __table_args__ = (
        sa.UniqueConstraint(
            "kind", "subject_id", "recipient_id", "due_on", name="notification_once"
        ),
        sa.Index("ix_notification_recipient_created", "recipient_id", "created_at"),
    )

    @property
    def kind_label(self):
        return KINDS[self.kind]
