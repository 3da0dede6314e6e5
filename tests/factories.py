"""factory_boy factories writing through the test's session."""

from datetime import UTC, datetime

import factory
import pyotp
from factory.alchemy import SQLAlchemyModelFactory

from registry.blueprints.auth import second_factor
from registry.blueprints.auth.models import User
from registry.blueprints.auth.services import hash_password
from registry.blueprints.reference.models import Agency
from registry.core.columns import utcnow
from registry.extensions import db

PASSWORD = "correct horse battery staple"
_HASH = {}


def password_hash():
    # Hash once per run: argon2 is slow on purpose.
    if PASSWORD not in _HASH:
        _HASH[PASSWORD] = hash_password(PASSWORD)
    return _HASH[PASSWORD]


class Base(SQLAlchemyModelFactory):
    class Meta:
        abstract = True
        sqlalchemy_session_factory = lambda: db.session  # noqa: E731
        sqlalchemy_session_persistence = "flush"


class UserFactory(Base):
    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"user{n}@registry.example.org")
    name = factory.Faker("name")
    role = "unodc"
    country_code = None
    password_hash = factory.LazyFunction(password_hash)
    # Accounts of the roles that must use a second factor come enrolled, as in real use.
    totp_secret = factory.LazyAttribute(
        lambda o: (
            second_factor.encrypt(pyotp.random_base32())
            if o.role in second_factor.required_roles()
            else None
        )
    )
    totp_enrolled_at = factory.LazyAttribute(lambda o: utcnow() if o.totp_secret else None)


def totp_code(user):
    """The code the user's authenticator app shows: the current step's, or the next one's
    (within the drift allowed) when the current one was already used; None when those are
    used too."""
    db.session.refresh(user)
    totp = pyotp.TOTP(second_factor.secret_of(user))
    now = totp.timecode(datetime.now(UTC))
    step = max(now, (user.totp_last_step or 0) + 1)
    return totp.generate_otp(step) if step <= now + second_factor.DRIFT_STEPS else None


class AgencyFactory(Base):
    class Meta:
        model = Agency

    country_code = "KHM"
    name = factory.Sequence(lambda n: f"Agency {n}")
    type = "police"
