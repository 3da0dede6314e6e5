"""Reminders by mail: one digest per person of the reminders waiting for them."""

import sqlalchemy as sa
from flask import current_app, render_template

from registry.blueprints.auth.models import User
from registry.blueprints.notifications.models import Notification
from registry.blueprints.notifications.targets import endpoint_of, visible_clause
from registry.core import mail
from registry.extensions import db


def send_due(today):
    """Mail each person whose digest is due the reminders waiting for them, in one message
    each; return (mails sent, mails that failed and stay pending for the next run)."""
    waiting = sa.select(Notification.recipient_id).where(Notification.mail_state == "pending")
    people = db.session.scalars(sa.select(User).where(User.id.in_(waiting)).order_by(User.id))
    sent = failed = 0
    for user in people.all():
        outcome = _send_to(user, today)
        sent += outcome is True
        failed += outcome is False
    return sent, failed


def _pending(user):
    return sa.select(Notification).where(
        Notification.recipient_id == user.id, Notification.mail_state == "pending"
    )


def _keep_in_app(stmt):
    ids = [n.id for n in db.session.scalars(stmt)]
    db.session.execute(
        sa.update(Notification).where(Notification.id.in_(ids)).values(mail_state="in_app")
    )


def _send_to(user, today):
    """Mail the user's digest: True when sent, False when the mail server failed (the
    reminders stay pending), None when nothing is to be mailed now."""
    if not mail.configured() or not user.active or user.reminder_mail == "off":
        _keep_in_app(_pending(user))
        db.session.commit()
        return None
    # A record the person may no longer see is not named to them, not even by mail.
    _keep_in_app(_pending(user).where(sa.not_(visible_clause(user))))
    db.session.commit()
    if user.reminder_mail == "daily" and _mailed_on(user, today):
        return None  # today's digest went out: the rest waits for tomorrow's
    items = db.session.scalars(_pending(user).order_by(Notification.due_on, Notification.id)).all()
    if not items:
        return None
    # Claim them first: a second run at the same time finds them taken and sends nothing.
    claimed = db.session.execute(
        sa.update(Notification)
        .where(Notification.id.in_([n.id for n in items]), Notification.mail_state == "pending")
        .values(mail_state="sent", mailed_on=today)
    ).rowcount
    if claimed != len(items):
        db.session.rollback()
        return None
    try:
        mail.send(message(user, items))
    except mail.MailNotSent as exc:
        db.session.rollback()
        current_app.logger.warning("reminders for %s not mailed: %s", user.email, exc)
        return False
    db.session.commit()
    return True


def _mailed_on(user, today):
    return db.session.scalar(
        sa.select(sa.func.count()).where(
            Notification.recipient_id == user.id,
            Notification.mail_state == "sent",
            Notification.mailed_on == today,
        )
    )


def _url(notification):
    endpoint, values = endpoint_of(notification)
    return mail.external_url(endpoint, **values)


def message(user, items):
    """The digest: each reminder's text (reference, countries, dates) and link, plain and HTML."""
    context = {
        "user": user,
        "items": [(n, _url(n)) for n in items],
        "notifications_url": mail.external_url("notifications.index"),
        "account_url": mail.external_url("auth.account"),
        "classification": current_app.config["CLASSIFICATION"],
    }
    count = len(items)
    subject = f"Cooperation Registry: {count} reminder{'s' if count != 1 else ''}"
    return mail.build(
        user.email,
        subject,
        render_template("mail/reminders.txt", **context),
        render_template("mail/reminders.html", **context),
    )
