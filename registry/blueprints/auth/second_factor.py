"""The TOTP second factor (RFC 6238 via pyotp: 30 s steps, 6 digits, one step of clock drift
either way) and its ten one-time recovery codes.

The secret is stored encrypted with Fernet under a key derived from SECRET_KEY (HKDF), so a
database dump alone does not give it out; changing SECRET_KEY therefore means enrolling again.
A code is accepted once: the step it belongs to is kept, and a code of that step or an earlier
one is refused (no replay). Recovery codes are stored as argon2 hashes, each usable once.
"""

import base64
import hmac
import io
import secrets
from datetime import UTC, datetime

import pyotp
import segno
from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import current_app

from registry.blueprints.auth import sessions
from registry.blueprints.auth.models import RecoveryCode
from registry.blueprints.auth.passwords import hash_password, password_matches
from registry.core import audit
from registry.core.columns import utcnow
from registry.extensions import db

ISSUER = "Cooperation Registry"
RECOVERY_CODES = 10
DRIFT_STEPS = 1


def required_roles():
    """The roles that must use a second factor (REGISTRY_REQUIRE_2FA_ROLES)."""
    value = current_app.config["REQUIRE_2FA_ROLES"] or ""
    items = value if isinstance(value, list | tuple) else str(value).split(",")
    return frozenset(item.strip() for item in items if item.strip())


def is_required(user):
    return user.role in required_roles()


def asks_for_code(user):
    """Whether signing in takes a code: the role must use one, or the person enrolled."""
    return user.has_second_factor or is_required(user)


def _fernet():
    key = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=b"registry totp secret"
    ).derive(current_app.config["SECRET_KEY"].encode())
    return Fernet(base64.urlsafe_b64encode(key))


def encrypt(secret):
    return _fernet().encrypt(secret.encode()).decode()


def secret_of(user):
    """The user's plain TOTP secret, or None (none set, or sealed under another key)."""
    if not user.totp_secret:
        return None
    try:
        return _fernet().decrypt(user.totp_secret.encode()).decode()
    except InvalidToken:
        return None


def pending_secret(user):
    """The secret being enrolled: the one set when enrolment started, else a new one (the QR
    code stays the same when the page is loaded again)."""
    secret = secret_of(user)
    if secret is None:
        secret = pyotp.random_base32()
        user.totp_secret = encrypt(secret)
        db.session.flush()
    return secret


def provisioning_uri(user, secret):
    return pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=ISSUER)


def qr_svg(uri):
    """The QR code as inline SVG, drawn here (no external service, no script)."""
    out = io.BytesIO()
    segno.make(uri, error="m").save(
        out, kind="svg", scale=5, border=2, xmldecl=False, svgns=True, title="QR code to scan"
    )
    return out.getvalue().decode()


def _matching_step(secret, code, after_step):
    """The time step whose code this is (within the allowed drift), later than after_step."""
    totp = pyotp.TOTP(secret)
    now = totp.timecode(datetime.now(UTC))
    for step in range(now - DRIFT_STEPS, now + DRIFT_STEPS + 1):
        if after_step is not None and step <= after_step:
            continue
        if hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def _clean(code):
    return "".join((code or "").split()).replace("-", "").lower()


def check_code(user, code):
    """Accept a current TOTP code or an unused recovery code; return which ("totp",
    "recovery_code") or None. An accepted code cannot be used again."""
    code = _clean(code)
    secret = secret_of(user)
    if secret and code.isdigit() and len(code) == 6:
        step = _matching_step(secret, code, user.totp_last_step)
        if step is None:
            return None
        user.totp_last_step = step
        db.session.flush()
        return "totp"
    if user.has_second_factor and code:
        return "recovery_code" if _use_recovery_code(user, code) else None
    return None


def _use_recovery_code(user, code):
    unused = db.session.scalars(
        db.select(RecoveryCode).where(
            RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None)
        )
    ).all()
    for row in unused:
        if password_matches(row.code_hash, code):
            row.used_at = utcnow()
            db.session.flush()
            return True
    return False


def _new_recovery_codes(user):
    db.session.execute(db.delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = [secrets.token_hex(5) for _ in range(RECOVERY_CODES)]
    db.session.add_all(RecoveryCode(user_id=user.id, code_hash=hash_password(c)) for c in codes)
    db.session.flush()
    return [f"{c[:5]}-{c[5:]}" for c in codes]


def confirm_enrolment(user, code):
    """Turn the second factor on when the first code from the app is right; return the ten
    recovery codes (shown once), or None for a wrong code."""
    secret = secret_of(user)
    if secret is None or user.has_second_factor:
        return None
    code = _clean(code)
    step = _matching_step(secret, code, None) if code.isdigit() and len(code) == 6 else None
    if step is None:
        return None
    user.totp_last_step = step
    user.totp_enrolled_at = utcnow()
    codes = _new_recovery_codes(user)
    audit.record(user, "2fa_enrol", "User", user.id)
    return codes


def reset(actor, user, reason):
    """An administrator turns the user's second factor off (they enrol again at next sign-in
    if their role requires one); their sessions end."""
    user.totp_secret = None
    user.totp_enrolled_at = None
    user.totp_last_step = None
    db.session.execute(db.delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    audit.act_as(actor, reason)
    sessions.end_others(user)
    audit.record(actor, "2fa_reset", "User", user.id, reason=reason)
