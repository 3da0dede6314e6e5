"""Accounts: creation, sign-in with lockout, passwords, API tokens."""

import hashlib
import secrets
from datetime import timedelta

import sqlalchemy as sa
from email_validator import EmailNotValidError, validate_email
from flask import current_app, request

from registry.blueprints.auth import second_factor, sessions
from registry.blueprints.auth.models import REMINDER_MAIL, ApiToken, CalendarFeed, User
from registry.blueprints.auth.passwords import (
    DUMMY_HASH,
    hash_password,
    needs_rehash,
    password_matches,
    password_problems,
)
from registry.blueprints.reference.models import Country
from registry.core import audit
from registry.core.columns import utcnow
from registry.core.errors import Forbidden, ValidationFailed
from registry.core.roles import ADMIN, FOCAL_POINT, OFFICIAL, ROLES
from registry.extensions import db

TOKEN_PREFIX = "cr_"
FEED_PREFIX = "crf_"


# One answer for an unknown email, a wrong password and a locked account, so that the sign-in
# page tells nobody which accounts exist or are locked.
REFUSED = (
    "Wrong email or password, or the account is locked for a while after repeated failed "
    "attempts. Try again later, or reset your password."
)


class LoginRefused(Exception):
    """Sign-in failed; the message is safe to show."""


def normalise_email(email):
    return (email or "").strip().lower()


def find_user(email):
    return db.session.scalar(sa.select(User).where(User.email == normalise_email(email)))


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
    if problems := password_problems(password, (email, name)):
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
        sessions.end_others(user)  # a new scope starts a new session
    user.role, user.country_code, user.name = role, country_code, (name or "").strip()
    db.session.flush()
    return user


def set_active(actor, user, active, reason=None):
    """Activate or deactivate an account; deactivation ends its sessions and token use."""
    if user.id == actor.id and not active:
        raise Forbidden("You cannot deactivate your own account.")
    audit.act_as(actor, reason)
    user.active = active
    sessions.end_others(user)


def _remote():
    return {"ip": request.remote_addr} if request else {}


def authenticate(email, password):
    """Return the user for these credentials, applying the failed-attempt lockout. Unknown
    email, wrong password and locked account get the same answer after the same work."""
    user = find_user(email)
    audit.act_as(user or audit.SYSTEM)
    if user is None:
        password_matches(DUMMY_HASH, password or "")
        audit.record(
            audit.SYSTEM,
            "sign_in_failed",
            "User",
            None,
            {"email": normalise_email(email)[:254], **_remote()},
        )
        raise LoginRefused(REFUSED)
    right = password_matches(user.password_hash, password or "")
    if is_locked(user):
        # A right password during the lock fails too, and counts no further.
        audit.record(
            user,
            "sign_in_failed",
            "User",
            user.id,
            {"email": user.email, "locked": True, **_remote()},
        )
        raise LoginRefused(REFUSED)
    if not right:
        register_failure(user)
        raise LoginRefused(REFUSED)
    if not user.active:
        raise LoginRefused("This account is deactivated. Ask an administrator.")
    user.failed_logins = 0
    user.locked_until = None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    db.session.flush()
    return user


def register_failure(user, step="password"):
    """Count a failed password or second-factor code; lock the account at the limit."""
    cfg = current_app.config
    user.failed_logins += 1
    audit.record(
        user,
        "sign_in_failed" if step == "password" else "2fa_failed",
        "User",
        user.id,
        {"email": user.email, **_remote()},
    )
    if user.failed_logins >= cfg["LOGIN_MAX_FAILURES"]:
        user.failed_logins = 0
        user.locked_until = utcnow() + timedelta(minutes=cfg["LOGIN_LOCK_MINUTES"])
        audit.record(
            user,
            "lockout",
            "User",
            user.id,
            {"locked_until": user.locked_until.isoformat(), **_remote()},
        )
    db.session.flush()


def is_locked(user):
    return bool(user.locked_until and user.locked_until > utcnow())


def signed_in(user, method=None):
    """The sign-in is complete (password, and the second factor when one is asked for)."""
    user.last_login_at = utcnow()
    audit.record(user, "sign_in", "User", user.id, {"second_factor": method, **_remote()})
    db.session.flush()


def signed_out(user):
    audit.record(user, "sign_out", "User", user.id, _remote())
    db.session.flush()


def change_password(actor, user, current, new, keep_session=None):
    """Change the user's own password after checking the current one; the user's other
    sessions end."""
    errors = {}
    if not password_matches(user.password_hash, current or ""):
        errors["current_password"] = ["The current password is wrong."]
    if problems := password_problems(new, (user.email, user.name)):
        errors["new_password"] = problems
    elif current == new:
        errors["new_password"] = ["Choose a password different from the current one."]
    if errors:
        raise ValidationFailed("The password was not changed.", errors)
    set_password(actor, user, new, must_change=False, keep_session=keep_session)


def reset_password(actor, user, new, reason=None):
    """Set a temporary password that the user must change at next sign-in."""
    if problems := password_problems(new, (user.email, user.name)):
        raise ValidationFailed("The password was not reset.", {"password": problems})
    set_password(actor, user, new, must_change=True, reason=reason)
    user.locked_until = None
    user.failed_logins = 0
    db.session.flush()


def set_password(actor, user, new, must_change, reason=None, keep_session=None):
    audit.act_as(actor, reason)
    user.password_hash = hash_password(new)
    user.must_change_password = must_change
    sessions.end_others(user, keep=keep_session)


def _digest(token):
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(actor, user, name="API token", days=None):
    """Create a personal API token; return (record, the token shown once). An account that
    must use a second factor gets none before it has enrolled one."""
    if second_factor.is_required(user) and not user.has_second_factor:
        raise Forbidden(
            "Set up your second factor (an authenticator app) before creating API tokens."
        )
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
