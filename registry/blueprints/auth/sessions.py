"""Browser sessions kept on the server: the cookie carries a random id, the table its digest.

A session opens pages only while it is not revoked, has seen a request within
SESSION_IDLE_MINUTES, and began less than SESSION_MAX_HOURS ago. Its last request time is
written at most once a minute, so a page view is not a database write.
"""

import hashlib
import secrets
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app, request

from registry.blueprints.auth.models import UserSession, new_session_token
from registry.core.columns import utcnow
from registry.extensions import db

TOUCH_EVERY = timedelta(minutes=1)


def _digest(plain):
    return hashlib.sha256(plain.encode()).hexdigest()


def start(user, verified):
    """Open a session for the user; return its id, for the cookie only (the table keeps its
    digest). `verified`: the second factor is given, or the account needs none."""
    plain = secrets.token_urlsafe(32)
    now = utcnow()
    db.session.add(
        UserSession(
            id_hash=_digest(plain),
            user_id=user.id,
            created_at=now,
            last_seen_at=now,
            verified_at=now if verified else None,
            ip=(request.remote_addr or "")[:64] if request else "",
            user_agent=(request.user_agent.string or "")[:300] if request else "",
        )
    )
    db.session.flush()
    return plain


def find(plain):
    """The session with this cookie id if it still opens pages, else None (and a session
    found idle or too old is revoked on the way)."""
    if not plain:
        return None
    row = db.session.scalar(sa.select(UserSession).where(UserSession.id_hash == _digest(plain)))
    if row is None or row.revoked_at is not None:
        return None
    cfg = current_app.config
    now = utcnow()
    idle = now - row.last_seen_at > timedelta(minutes=cfg["SESSION_IDLE_MINUTES"])
    old = now - row.created_at > timedelta(hours=cfg["SESSION_MAX_HOURS"])
    if idle or old:
        row.revoked_at = now
        db.session.commit()
        return None
    if now - row.last_seen_at >= TOUCH_EVERY:
        row.last_seen_at = now
        db.session.commit()
    return row


def verify(row):
    """The second factor was given: the session is fully signed in."""
    row.verified_at = utcnow()
    db.session.flush()


def revoke(row):
    row.revoked_at = utcnow()
    db.session.flush()


def end_others(user, keep=None):
    """Sign the user out everywhere but in `keep` (a session row, or None for everywhere)."""
    user.session_token = new_session_token()
    stmt = sa.update(UserSession).where(
        UserSession.user_id == user.id, UserSession.revoked_at.is_(None)
    )
    if keep is not None:
        stmt = stmt.where(UserSession.id != keep.id)
    db.session.execute(stmt.values(revoked_at=utcnow()))
    db.session.flush()
