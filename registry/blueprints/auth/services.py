"""Accounts: creation, sign-in with lockout, passwords, API tokens."""

import hashlib
import secrets
from datetime import timedelta

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from email_validator import EmailNotValidError, validate_email
from flask import current_app

from registry.blueprints.auth.models import (
    REMINDER_MAIL,
    ApiToken,
    CalendarFeed,
    User,
    new_session_token,
)
from registry.blueprints.reference.models import Country
from registry.core import audit
from registry.core.columns import utcnow
from registry.core.errors import Forbidden, ValidationFailed
from registry.core.roles import ADMIN, FOCAL_POINT, OFFICIAL, ROLES
from registry.extensions import db

_hasher = PasswordHasher()  # argon2id with the library's recommended parameters
# Verified against when the email is unknown, so both paths take the same time.
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))
TOKEN_PREFIX = "cr_"
FEED_PREFIX = "crf_"


class LoginRefused(Exception):
    """Sign-in failed; the message is safe to show."""


def hash_password(password):
    return _hasher.hash(password)


def _password_matches(password_hash, password):
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def normalise_email(email):
    return (email or "").strip().lower()


def find_user(email):
    return db.session.scalar(sa.select(User).where(User.email == normalise_email(email)))


def password_problems(password):
    minimum = current_app.config["PASSWORD_MIN_LENGTH"]
    if len(password or "") < minimum:
        return [f"Use at least {minimum} characters."]
    return []


def _check_role_country(role, country_code, errors):
    if role not in ROLES:
        errors["role"] = [f"Choose one of: {', '.join(ROLES)}."]
        return
    if role == FOCAL_POINT and not country_code:
        errors["country"] = ["A focal point must be bound to one country."]
    elif role not in (FOCAL_POINT, OFFICIAL) and country_code:
        errors["country"] = ["Only focal points and officials are bound to a country."]
    if country_code and db.session.get(Country, country_code) is None:
        errors["country"] = [f"Unknown country code {country_code!r}."]


def create_user(
    actor, *, email, password, role, country_code=None, name="", must_change_password=False
):
    """Create an account; raise ValidationFailed naming each bad field."""
    errors = {}
    email = normalise_email(email)
    try:
        validate_email(email, check_deliverability=False)
    except EmailNotValidError as exc:
        errors["email"] = [str(exc)]
    else:
        if find_user(email) is not None:
            errors["email"] = ["An account with this email already exists."]
    country_code = (country_code or "").strip().upper() or None
    _check_role_country(role, country_code, errors)
    if problems := password_problems(password):
        errors["password"] = problems
    if errors:
        raise ValidationFailed("The account was not created.", errors)
    audit.act_as(actor)
    user = User(
        email=email,
        name=(name or "").strip(),
        password_hash=hash_password(password),
        role=role,
        country_code=country_code,
        must_change_password=must_change_password,
    )
    db.session.add(user)
    db.session.flush()
    return user


def update_user(actor, user, *, role, country_code, name):
    """Change an account's role, country or name."""
    errors = {}
    country_code = (country_code or "").strip().upper() or None
    _check_role_country(role, country_code, errors)
    if user.id == actor.id and role != ADMIN:
        errors["role"] = ["You cannot remove your own administrator role."]
    if errors:
        raise ValidationFailed("The account was not changed.", errors)
    audit.act_as(actor)
    if (user.role, user.country_code) != (role, country_code):
        user.session_token = new_session_token()  # a new scope starts a new session
    user.role, user.country_code, user.name = role, country_code, (name or "").strip()
    db.session.flush()
    return user


def set_active(actor, user, active, reason=None):
    """Activate or deactivate an account; deactivation ends its sessions and token use."""
    if user.id == actor.id and not active:
        raise Forbidden("You cannot deactivate your own account.")
    audit.act_as(actor, reason)
    user.active = active
    user.session_token = new_session_token()
    db.session.flush()


def authenticate(email, password):
    """Return the user for these credentials, applying the failed-attempt lockout."""
    cfg = current_app.config
    now = utcnow()
    user = find_user(email)
    audit.act_as(user or audit.SYSTEM)
    if user is None:
        _password_matches(_DUMMY_HASH, password or "")
        raise LoginRefused("Wrong email or password.")
    if user.locked_until and user.locked_until > now:
        minutes = max(1, int((user.locked_until - now).total_seconds() // 60) + 1)
        raise LoginRefused(
            "This account is locked for a while after too many failed sign-in attempts. "
            f"Try again in {minutes} minute{'s' if minutes != 1 else ''}, "
            "or ask an administrator to reset your password."
        )
    if not _password_matches(user.password_hash, password or ""):
        user.failed_logins += 1
        if user.failed_logins >= cfg["LOGIN_MAX_FAILURES"]:
            user.failed_logins = 0
            user.locked_until = now + timedelta(minutes=cfg["LOGIN_LOCK_MINUTES"])
            db.session.flush()
            raise LoginRefused(
                f"Too many failed attempts: the account is locked for "
                f"{cfg['LOGIN_LOCK_MINUTES']} minutes."
            )
        db.session.flush()
        raise LoginRefused("Wrong email or password.")
    if not user.active:
        raise LoginRefused("This account is deactivated. Ask an administrator.")
    user.failed_logins = 0
    user.locked_until = None
    user.last_login_at = now
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    db.session.flush()
    return user


def change_password(actor, user, current, new):
    """Change the user's own password after checking the current one."""
    errors = {}
    if not _password_matches(user.password_hash, current or ""):
        errors["current_password"] = ["The current password is wrong."]
    if problems := password_problems(new):
        errors["new_password"] = problems
    elif current == new:
        errors["new_password"] = ["Choose a password different from the current one."]
    if errors:
        raise ValidationFailed("The password was not changed.", errors)
    _set_password(actor, user, new, must_change=False)


def reset_password(actor, user, new, reason=None):
    """Set a temporary password that the user must change at next sign-in."""
    if problems := password_problems(new):
        raise ValidationFailed("The password was not reset.", {"password": problems})
    _set_password(actor, user, new, must_change=True, reason=reason)
    user.locked_until = None
    user.failed_logins = 0
    db.session.flush()


def _set_password(actor, user, new, must_change, reason=None):
    audit.act_as(actor, reason)
    user.password_hash = hash_password(new)
    user.must_change_password = must_change
    user.session_token = new_session_token()
    db.session.flush()


def _digest(token):
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(actor, user, name="API token", days=None):
    """Create a personal API token; return (record, the token shown once)."""
    days = days or current_app.config["API_TOKEN_DAYS"]
    if not 1 <= int(days) <= 366:
        raise ValidationFailed("The token was not created.", {"days": ["Between 1 and 366."]})
    if not (name or "").strip():
        raise ValidationFailed("The token was not created.", {"name": ["Give the token a name."]})
    plain = TOKEN_PREFIX + secrets.token_urlsafe(32)
    now = utcnow()
    audit.act_as(actor)
    token = ApiToken(
        user_id=user.id,
        name=name.strip()[:100],
        prefix=plain[:10],
        token_hash=_digest(plain),
        created_at=now,
        expires_at=now + timedelta(days=int(days)),
    )
    db.session.add(token)
    db.session.flush()
    return token, plain


def revoke_token(actor, token):
    audit.act_as(actor)
    token.revoked_at = utcnow()
    db.session.flush()


def user_for_token(plain):
    """Return the active user owning a usable token, or None."""
    if not plain or not plain.startswith(TOKEN_PREFIX):
        return None
    token = db.session.scalar(sa.select(ApiToken).where(ApiToken.token_hash == _digest(plain)))
    if token is None or not token.is_usable(utcnow()):
        return None
    return token.user


def tokens_of(user):
    return db.session.scalars(
        sa.select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.created_at.desc())
    ).all()


def set_reminder_mail(actor, user, choice):
    """Say how the user gets reminders by mail: immediate, daily digest or off."""
    if choice not in REMINDER_MAIL:
        raise ValidationFailed(
            "Your choice was not saved.", {"reminder_mail": ["Choose one of the options."]}
        )
    audit.act_as(actor)
    user.reminder_mail = choice
    db.session.flush()


def feed_of(user):
    """The user's usable calendar feed, or None."""
    return db.session.scalar(
        sa.select(CalendarFeed).where(
            CalendarFeed.user_id == user.id, CalendarFeed.revoked_at.is_(None)
        )
    )


def revoke_feed(actor, user):
    """Stop the user's calendar address from working; return whether there was one."""
    feed = feed_of(user)
    if feed is None:
        return False
    audit.act_as(actor)
    feed.revoked_at = utcnow()
    db.session.flush()
    return True


def create_feed(actor, user):
    """Give the user a new secret calendar address (the old one stops); return its token,
    shown once: only its hash is kept."""
    revoke_feed(actor, user)
    plain = FEED_PREFIX + secrets.token_urlsafe(32)
    audit.act_as(actor)
    db.session.add(
        CalendarFeed(
            user_id=user.id, prefix=plain[:10], token_hash=_digest(plain), created_at=utcnow()
        )
    )
    db.session.flush()
    return plain


def user_for_feed(plain):
    """The active owner of a usable calendar token, or None."""
    if not plain or not plain.startswith(FEED_PREFIX):
        return None
    feed = db.session.scalar(
        sa.select(CalendarFeed).where(
            CalendarFeed.token_hash == _digest(plain), CalendarFeed.revoked_at.is_(None)
        )
    )
    if feed is None or not feed.user.active:
        return None
    return feed.user
