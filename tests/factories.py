"""factory_boy factories writing through the test's session."""

import factory
from factory.alchemy import SQLAlchemyModelFactory

from registry.blueprints.auth.models import User
from registry.blueprints.auth.services import hash_password
from registry.blueprints.reference.models import Agency
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


class AgencyFactory(Base):
    class Meta:
        model = Agency

    country_code = "KHM"
    name = factory.Sequence(lambda n: f"Agency {n}")
    type = "police"
