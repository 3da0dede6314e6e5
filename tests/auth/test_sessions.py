"""Sessions end: sign-out on the server, idle timeout, absolute lifetime, other sessions."""

from datetime import timedelta

import sqlalchemy as sa

from registry.blueprints.auth.models import UserSession
from tests.factories import UserFactory


def cookie_of(browser):
    return browser.get_cookie("session").value


def test_a_cookie_kept_from_before_sign_out_opens_nothing(app, login, session):
    user = UserFactory(role="focal_point", country_code="KHM")
    browser = login(user)
    kept = cookie_of(browser)
    assert browser.post("/auth/logout").status_code == 302
    thief = app.test_client()
    thief.set_cookie("session", kept)
    response = thief.get("/dashboard/")
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]
    row = session.scalar(sa.select(UserSession).where(UserSession.user_id == user.id))
    assert row.revoked_at is not None


def test_session_ends_after_idle_minutes(app, login, clock, session):
    browser = login(UserFactory(role="focal_point", country_code="KHM"))
    idle = app.config["SESSION_IDLE_MINUTES"]
    clock.shift(timedelta(minutes=idle - 1))
    assert browser.get("/dashboard/").status_code == 200  # a request keeps it alive
    clock.shift(timedelta(minutes=idle - 1))
    assert browser.get("/dashboard/").status_code == 200
    clock.shift(timedelta(minutes=idle + 1))
    response = browser.get("/dashboard/")
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]


def test_session_ends_after_its_lifetime_however_busy(app, login, clock, session):
    browser = login(UserFactory(role="focal_point", country_code="KHM"))
    step = timedelta(minutes=app.config["SESSION_IDLE_MINUTES"] - 5)
    lifetime = timedelta(hours=app.config["SESSION_MAX_HOURS"])
    spent = timedelta()
    while spent + step < lifetime:
        clock.shift(step)
        spent += step
        assert browser.get("/dashboard/").status_code == 200
    clock.shift(lifetime - spent + timedelta(minutes=1))
    assert browser.get("/dashboard/").status_code == 302


def test_last_seen_is_written_at_most_once_a_minute(login, clock, session):
    user = UserFactory(role="focal_point", country_code="KHM")
    browser = login(user)

    def last_seen():
        session.expire_all()
        return session.scalar(
            sa.select(UserSession.last_seen_at).where(UserSession.user_id == user.id)
        )

    first = last_seen()
    browser.get("/dashboard/")
    assert last_seen() == first
    clock.shift(timedelta(seconds=61))
    browser.get("/dashboard/")
    assert last_seen() > first
