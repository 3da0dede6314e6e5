"""Shared fixtures: one app per database backend, one rolled-back transaction per test."""

import contextlib
import re
from datetime import timedelta

import flask_migrate
import pytest
import redis
import sqlalchemy as sa
import time_machine
from flask.testing import FlaskClient
from flask_sqlalchemy.session import _app_ctx_id
from sqlalchemy import orm

from registry import create_app
from registry.core import audit
from registry.extensions import db
from tests.fixtures.clock import NOW
from tests.fixtures.services import require_postgres

BACKENDS = ("sqlite", "postgresql")


def reset_postgres_schema(url):
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.execute(sa.text("DROP SCHEMA IF EXISTS public CASCADE"))
        conn.execute(sa.text("CREATE SCHEMA public"))
    engine.dispose()


CSRF_FIELD = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
WRITES = ("POST", "PUT", "PATCH", "DELETE")


class IsolatedClient(FlaskClient):
    """Run each request in its own app context, as in production, and post forms as a browser.

    Without its own context Flask reuses the test's, sharing g (the signed-in user) and the
    database session between requests made as different users. CSRF protection is on, as in
    production: a form post to a page carries the token a page of this session gives, unless
    the test says `csrf=False` (to prove such a post is refused). The API takes no token.
    """

    def open(self, *args, csrf=True, **kwargs):
        method = kwargs.get("method", "GET").upper()
        path = args[0] if args and isinstance(args[0], str) else ""
        data = kwargs.get("data")
        if csrf and method in WRITES and not path.startswith("/api/") and "json" not in kwargs:
            data = {} if data is None else data
            if isinstance(data, dict) and "csrf_token" not in data:
                kwargs["data"] = {**data, "csrf_token": self.csrf_token()}
        with self.application.app_context():
            return super().open(*args, **kwargs)

    def csrf_token(self):
        """The token a page of this session's carries in its forms (the sign-in form, or the
        sign-out form of the page a signed-in user lands on)."""
        page = self.get("/auth/login", follow_redirects=True).get_data(as_text=True)
        match = CSRF_FIELD.search(page)
        assert match, "no form with a CSRF token on the page a browser would load"
        return match.group(1)


def make_app(url, **overrides):
    application = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": url,
            "REDIS_URL": "",
            "SECRET_KEY": "test-secret",
            **overrides,
        }
    )
    application.test_client_class = IsolatedClient
    return application


def migrate(app):
    """Build the schema and its reference data through the migrations, as production does."""
    with app.app_context():
        flask_migrate.upgrade(revision="heads")
        db.session.remove()


@pytest.fixture(scope="session", params=BACKENDS)
def app(request, tmp_path_factory):
    if request.param == "postgresql":
        url = require_postgres()
        reset_postgres_schema(url)
    else:
        url = "sqlite:///" + str(tmp_path_factory.mktemp("sqlite") / "test.db")
    application = make_app(url)
    with time_machine.travel(NOW, tick=True):  # the one clock, for the migrations' events too
        migrate(application)
    yield application
    with application.app_context():
        db.engine.dispose()


@pytest.fixture(autouse=True)
def clock(request):
    """Move the clock to the suite's TODAY (it ticks on from there); journeys that run real
    processes (e2e) keep the real clock, which those processes share."""
    if request.node.get_closest_marker("e2e"):
        yield None
        return
    with time_machine.travel(NOW, tick=True) as traveller:
        yield traveller


def pytest_collection_modifyitems(items):
    for item in items:
        if "/tests/e2e/" in str(item.path):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    """Each test starts with no sign-in attempts counted, as it starts with no rows: the clock
    goes back to the same instant for every test, so counts would otherwise add up across
    tests inside one rate-limit window. The one limiter counts in the storage of the app built
    last (one app per process in production; several here): that storage, and the memory
    it falls back to while a Redis is down, start empty."""
    from registry.extensions import limiter

    for storage in (
        getattr(limiter, "_storage", None),
        getattr(limiter, "_fallback_storage", None),
    ):
        # The Redis of tests/core/test_redis_down.py is down on purpose.
        with contextlib.suppress(redis.exceptions.ConnectionError):
            if storage is not None:
                storage.reset()
    yield


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
def login(app, session, clock):
    """Return a test client signed in as the given user through the sign-in form, as a browser
    signs in: load the page, post the email, the password and the form's own CSRF token; an
    account with a second factor (every factory user of a role that must use one) then gives
    the code its authenticator app shows; land on the dashboard. Every factory user has the
    password tests.factories.PASSWORD."""
    from tests.factories import PASSWORD

    def sign_in(user, password=PASSWORD):
        browser = app.test_client()
        response = post_form(browser, "/auth/login", {"email": user.email, "password": password})
        assert response.status_code == 302, (
            f"{user.email} could not sign in: " + (response.get_data(as_text=True)[:300])
        )
        if response.headers["Location"] == "/auth/2fa":
            response = give_second_factor(browser, user, clock)
        assert response.headers["Location"] == "/dashboard/"
        return browser

    return sign_in


def post_form(browser, path, data):
    """Load the page, then post its form with the CSRF token the form itself carries."""
    page = browser.get(path)
    assert page.status_code == 200, page.get_data(as_text=True)[:300]
    token = CSRF_FIELD.search(page.get_data(as_text=True))
    assert token, f"the form of {path} carries no CSRF token"
    return browser.post(
        path,
        data={**data, "csrf_token": token.group(1)},
        csrf=False,  # the token is the one the form gave, not one the client fetched
    )


def give_second_factor(browser, user, clock):
    """The second step of signing in: the code the user's authenticator app shows now. A code
    works once, so a test signing the same person in again and again within one 30-second
    step waits, as the person would, for the app's next code (the clock moves on 30 s)."""
    from tests.factories import totp_code

    code = totp_code(user)
    if code is None:
        clock.shift(timedelta(seconds=30))
        code = totp_code(user)
    response = post_form(browser, "/auth/2fa", {"code": code})
    assert response.status_code == 302, (
        f"{user.email} could not give the second factor: " + response.get_data(as_text=True)[:300]
    )
    return response


@pytest.fixture
def login_session(app, session):
    """Return a test client whose session says the given user is signed in, without the form.

    Only for tests where the sign-in itself is not under test and its cost adds up, such as the
    route × role walker that signs in for thousands of requests (each form sign-in verifies an
    argon2 hash on purpose slowly). Every other page test signs in with `login`.
    """

    from registry.blueprints.auth import sessions

    def sign_in(user):
        test_client = app.test_client()
        sid = sessions.start(user, verified=True)  # the server-side session, fully signed in
        with test_client.session_transaction() as flask_session:
            flask_session["sid"] = sid
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
