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


def new_session_token():
    return secrets.token_urlsafe(24)


class User(Audited, TimestampMixin, UserMixin, db.Model):
    __tablename__ = "app_user"
    __audit_ignore__ = (
        *Audited.__audit_ignore__,
        "failed_logins",
        "last_login_at",
        "session_token",
    )
    __audit_redact__ = ("password_hash",)

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
