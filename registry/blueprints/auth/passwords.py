"""Password hashing (argon2id) and strength (a minimum length plus the zxcvbn estimate)."""

import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from zxcvbn import zxcvbn

_hasher = PasswordHasher()  # argon2id with the library's recommended parameters
# Verified against when the email is unknown, so both paths take the same time.
DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))
# zxcvbn scores 0 (too guessable) to 4; 3 is "safely unguessable" against online attacks and
# resists offline ones on a slow hash such as argon2.
MIN_SCORE = 3
# The estimate's cost grows with the length; a longer password is judged by its start.
ESTIMATE_CHARS = 100


def hash_password(password):
    return _hasher.hash(password)


def password_matches(password_hash, password):
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash):
    return _hasher.check_needs_rehash(password_hash)


def password_problems(password, user_inputs=()):
    """What is wrong with a new password, as messages for the person choosing it ([] if fine).
    user_inputs (email, name) count as guessable."""
    minimum = current_app.config["PASSWORD_MIN_LENGTH"]
    password = password or ""
    if len(password) < minimum:
        return [f"Use at least {minimum} characters."]
    inputs = [part for value in user_inputs if value for part in _words(value)]
    result = zxcvbn(password[:ESTIMATE_CHARS], user_inputs=inputs)
    if result["score"] >= MIN_SCORE:
        return []
    feedback = result["feedback"]
    warning = feedback.get("warning") or "This password is too easy to guess."
    return [f"Too easy to guess: {warning}", *feedback.get("suggestions", [])]


def _words(value):
    value = str(value).lower()
    return [value, *value.replace("@", " ").replace(".", " ").split()]
