"""Shared fixtures: one app per database backend, one rolled-back transaction per test."""

import os

import flask_migrate
import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient
from flask_sqlalchemy.session import _app_ctx_id
from sqlalchemy import orm

from registry import create_app
from registry.blueprints.reference.services import seed_reference
from registry.core import audit
from registry.extensions import db
from tests.fixtures.services import require_postgres

BACKENDS = ("sqlite", "postgresql")


def reset_postgres_schema(url):
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.execute(sa.text("DROP SCHEMA IF EXISTS public CASCADE"))
        conn.execute(sa.text("CREATE SCHEMA public"))
    engine.dispose()


class IsolatedClient(FlaskClient):
    """Run each request in its own app context, as in production.

    Otherwise Flask reuses the test's app context, sharing g (the signed-in user) and the
    database session between requests made as different users.
    """

    def open(self, *args, **kwargs):
        with self.application.app_context():
            return super().open(*args, **kwargs)


def make_app(url, **overrides):
    application = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": url,
            "REDIS_URL": "",
            "SECRET_KEY": "test-secret",
            "WTF_CSRF_ENABLED": False,
            **overrides,
        }
    )
    application.test_client_class = IsolatedClient
    return application


def migrate_and_seed(app):
    """Build the schema through the migrations (as production does) and seed reference data.

    REGISTRY_TEST_SCHEMA=create_all builds it from the models instead: only for developing a
    model before its migration exists; CI always runs the migrations.
    """
    with app.app_context():
        if os.environ.get("REGISTRY_TEST_SCHEMA") == "create_all":
            db.create_all()
        else:
            flask_migrate.upgrade(revision="heads")
        audit.act_as(audit.SYSTEM)
        seed_reference()
        db.session.commit()
        db.session.remove()


@pytest.fixture(scope="session", params=BACKENDS)
def app(request, tmp_path_factory):
    if request.param == "postgresql":
        url = require_postgres()
        reset_postgres_schema(url)
    else:
        url = "sqlite:///" + str(tmp_path_factory.mktemp("sqlite") / "test.db")
    application = make_app(url)
    migrate_and_seed(application)
    yield application
    with application.app_context():
        db.engine.dispose()


@pytest.fixture
def backend(app):
    with app.app_context():
        return db.engine.dialect.name


@pytest.fixture
def session(app):
    """A session whose work, and every request's, is rolled back after the test."""
    with app.app_context():
        connection = db.engine.connect()
        outer = connection.begin()
        original = db.session
        # A plain SQLAlchemy session honours bind=connection; one per app context, as in the app.
        db.session = orm.scoped_session(
            orm.sessionmaker(bind=connection, join_transaction_mode="create_savepoint"),
            scopefunc=_app_ctx_id,
        )
        audit.act_as(audit.SYSTEM, "test set-up")
        try:
            yield db.session
        finally:
            db.session.remove()
            db.session = original
            outer.rollback()
            connection.close()


@pytest.fixture
def client(app, session):
    return app.test_client()


@pytest.fixture
def login(app, session):
    """Return a test client signed in as the given user."""

    def sign_in(user):
        test_client = app.test_client()
        with test_client.session_transaction() as flask_session:
            flask_session["_user_id"] = user.get_id()
            flask_session["_fresh"] = True
        return test_client

    return sign_in


@pytest.fixture
def users(session):
    """One account per role; focal point of Cambodia, official of Thailand."""
    from tests.factories import UserFactory

    return {
        "admin": UserFactory(role="admin"),
        "focal_point": UserFactory(role="focal_point", country_code="KHM"),
        "unodc": UserFactory(role="unodc"),
        "official": UserFactory(role="official", country_code="THA"),
        "auditor": UserFactory(role="auditor"),
    }


@pytest.fixture
def api(app, session):
    """Return a function that calls the API with a fresh token for the given user."""
    from registry.blueprints.auth.services import create_token

    class Caller:
        def __init__(self, user):
            _token, self.token = create_token(audit.SYSTEM, user, "test")
            session.flush()
            self.client = app.test_client()

        def __getattr__(self, method):
            def call(path, **kwargs):
                headers = {"Authorization": f"Bearer {self.token}", **kwargs.pop("headers", {})}
                return getattr(self.client, method)(path, headers=headers, **kwargs)

            return call

    return Caller
