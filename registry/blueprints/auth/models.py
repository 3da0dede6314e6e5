"""Accounts and personal API tokens."""

import secrets
from datetime import datetime

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship

from registry.core.audit import Audited
from registry.core.columns import TimestampMixin, choice
from registry.core.roles import ROLE_LABELS, ROLES
from registry.extensions import db

# How a person wants the reminders by mail (the registry's own notifications come regardless).
REMINDER_MAIL = {
    "immediate": "As soon as something falls due (one mail per reminder run)",
    "daily": "One digest a day",
    "off": "No mail: notifications in the registry only",
}

# Audit events of signing in and out, second factor and password reset (action names).
AUTH_EVENTS = (
    "sign_in",
    "sign_in_failed",
    "lockout",
    "sign_out",
    "2fa_enrol",
    "2fa_failed",
    "2fa_reset",
    "reset_requested",
    "reset_used",
)


def new_session_token():
    return secrets.token_urlsafe(24)


class User(Audited, TimestampMixin, UserMixin, db.Model):
    __tablename__ = "app_user"
    __audit_ignore__ = (
        *Audited.__audit_ignore__,
        "failed_logins",
        "last_login_at",
        "locked_until",
        "session_token",
        # The second factor is audited by its own events (2fa_enrol, 2fa_reset: services).
        "totp_secret",
        "totp_enrolled_at",
        "totp_last_step",
    )
    __audit_redact__ = ("password_hash", "totp_secret")

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    name: Mapped[str] = mapped_column(sa.String(200), default="")
    password_hash: Mapped[str] = mapped_column(sa.String(255))
    role: Mapped[str] = mapped_column(choice(ROLES, "role"))
    country_code: Mapped[str | None] = mapped_column(sa.ForeignKey("country.iso3"), index=True)
    active: Mapped[bool] = mapped_column(default=True)
    must_change_password: Mapped[bool] = mapped_column(default=False)
    failed_logins: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[datetime | None]
    last_login_at: Mapped[datetime | None]
    # Part of the login cookie; rotating it signs the user out everywhere.
    session_token: Mapped[str] = mapped_column(sa.String(64), default=new_session_token)
    # The TOTP secret, encrypted (auth/second_factor.py); set when enrolment starts, in use
    # once totp_enrolled_at is set. The last time step a code was accepted for refuses replays.
    totp_secret: Mapped[str | None] = mapped_column(sa.String(255))
    totp_enrolled_at: Mapped[datetime | None]
    totp_last_step: Mapped[int | None] = mapped_column(sa.BigInteger)
    reminder_mail: Mapped[str] = mapped_column(
        choice(tuple(REMINDER_MAIL), "reminder_mail"), default="daily", server_default="daily"
    )

    country = relationship("Country", lazy="joined")

    __table_args__ = (
        sa.CheckConstraint(
            "role <> 'focal_point' OR country_code IS NOT NULL", name="focal_point_has_country"
        ),
    )

    def get_id(self):
        return f"{self.id}:{self.session_token}"

    @property
    def is_active(self):
        return self.active

    @property
    def has_second_factor(self):
        return self.totp_enrolled_at is not None

    @property
    def role_label(self):
        return ROLE_LABELS[self.role]

    @property
    def scope_label(self):
        if self.country is not None:
            return self.country.name
        return "All countries (regional)"


class ApiToken(Audited, db.Model):
    __tablename__ = "api_token"
    __audit_redact__ = ("token_hash",)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("app_user.id"), index=True)
    name: Mapped[str] = mapped_column(sa.String(100))
    prefix: Mapped[str] = mapped_column(sa.String(12))
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]

    user = relationship("User", lazy="joined")

    def is_usable(self, now):
        return self.revoked_at is None and self.expires_at > now and self.user.active


class CalendarFeed(Audited, db.Model):
    """A secret calendar (iCal) address of a person's deadlines; one usable at a time."""

    __tablename__ = "calendar_feed"
    __audit_redact__ = ("token_hash",)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("app_user.id"), index=True)
    prefix: Mapped[str] = mapped_column(sa.String(12))
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]

    user = relationship("User", lazy="joined")


class UserSession(db.Model):
    """A signed-in browser session, kept on the server: the cookie carries only its random id,
    and the table keeps the id's digest. Revoked, idle or too old sessions open nothing."""

    __tablename__ = "user_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    id_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("app_user.id"), index=True)
    created_at: Mapped[datetime]
    last_seen_at: Mapped[datetime]
    # Set when the second factor was given, or at sign-in for an account that uses none.
    verified_at: Mapped[datetime | None]
    ip: Mapped[str] = mapped_column(sa.String(64), default="")
    user_agent: Mapped[str] = mapped_column(sa.String(300), default="")
    revoked_at: Mapped[datetime | None]

    user = relationship("User", lazy="joined")


class RecoveryCode(db.Model):
    """A one-time code that stands in for the authenticator app; stored hashed (argon2)."""

    __tablename__ = "recovery_code"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("app_user.id"), index=True)
    code_hash: Mapped[str] = mapped_column(sa.String(255))
    used_at: Mapped[datetime | None]


class PasswordReset(db.Model):
    """A single-use, expiring password reset link; only the token's digest is kept."""

    __tablename__ = "password_reset"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("app_user.id"), index=True)
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
    # The administrator who issued it, or None when the person asked for it by mail.
    issued_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("app_user.id"))

    user = relationship("User", foreign_keys=[user_id], lazy="joined")
