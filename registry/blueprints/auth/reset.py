"""Password reset links: asked for by mail (/auth/forgot) or issued by an administrator.

A link works once, for PASSWORD_RESET_MINUTES; only the token's digest is stored. Using it
sets the new password, clears the lock and ends every session of the account. Asking for a
link answers the same whether or not the account exists.
"""

import hashlib
import logging
import secrets
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app, render_template

from registry.blueprints.auth.models import PasswordReset
from registry.blueprints.auth.services import find_user, password_problems, set_password
from registry.core import audit, mail
from registry.core.columns import utcnow
from registry.core.errors import ValidationFailed
from registry.extensions import db

log = logging.getLogger(__name__)
TOKEN_PREFIX = "crr_"


def _digest(plain):
    return hashlib.sha256(plain.encode()).hexdigest()


def _issue(user, issued_by=None):
    """A new link for the user (earlier unused ones stop working); return its token."""
    now = utcnow()
    db.session.execute(
        sa.update(PasswordReset)
        .where(PasswordReset.user_id == user.id, PasswordReset.used_at.is_(None))
        .values(used_at=now)
    )
    plain = TOKEN_PREFIX + secrets.token_urlsafe(32)
    minutes = current_app.config["PASSWORD_RESET_MINUTES"]
    db.session.add(
        PasswordReset(
            user_id=user.id,
            token_hash=_digest(plain),
            created_at=now,
            expires_at=now + timedelta(minutes=minutes),
            issued_by_id=issued_by.id if issued_by else None,
        )
    )
    db.session.flush()
    return plain


def request_by_mail(email):
    """Mail a reset link to an active account with this email, if there is one and mail is
    set up; the caller answers the same in every case."""
    if not (mail.configured() and current_app.config["BASE_URL"]):
        log.warning("password reset asked for, but mail or REGISTRY_BASE_URL is not set up")
        return
    user = find_user(email)
    if user is None or not user.active:
        return
    plain = _issue(user)
    link = mail.external_url("auth.reset_password", token=plain)
    audit.record(user, "reset_requested", "User", user.id, {"by": "mail"})
    minutes = current_app.config["PASSWORD_RESET_MINUTES"]
    message = mail.build(
        user.email,
        "Reset your Cooperation Registry password",
        render_template("mail/password_reset.txt", user=user, link=link, minutes=minutes),
    )
    try:
        mail.send(message)
    except mail.MailNotSent as exc:
        log.warning("password reset mail not sent: %s", exc)


def issue_by_admin(actor, user, reason):
    """An administrator gets a link to hand to the user (when the registry sends no mail)."""
    plain = _issue(user, issued_by=actor)
    audit.record(actor, "reset_requested", "User", user.id, {"by": "administrator"}, reason)
    return plain


def usable(plain):
    """The reset record for a link that still works, or None."""
    if not plain or not plain.startswith(TOKEN_PREFIX):
        return None
    row = db.session.scalar(
        sa.select(PasswordReset).where(PasswordReset.token_hash == _digest(plain))
    )
    if row is None or row.used_at is not None or row.expires_at <= utcnow() or not row.user.active:
        return None
    return row


def use(row, new_password):
    """Set the new password through the link; the link, the lock and every session end."""
    user = row.user
    if problems := password_problems(new_password, (user.email, user.name)):
        raise ValidationFailed("The password was not changed.", {"new_password": problems})
    row.used_at = utcnow()
    user.failed_logins = 0
    user.locked_until = None
    set_password(user, user, new_password, must_change=False)
    audit.record(user, "reset_used", "User", user.id)
