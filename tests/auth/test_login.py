"""Signing in and out, lockout, deactivation, password change, CSRF."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from registry.blueprints.auth.models import User
from registry.blueprints.auth.services import REFUSED
from registry.core.audit import AuditEvent
from registry.core.columns import utcnow
from tests.factories import PASSWORD, UserFactory


def sign_in(client, email, password):
    return client.post("/auth/login", data={"email": email, "password": password})


def focal_point(**values):
    """An account whose role needs no second factor, so that one step signs in."""
    return UserFactory(role="focal_point", country_code="KHM", **values)


def test_sign_in_shows_home_with_scope_and_sign_out_ends_session(client, session):
    user = UserFactory(role="focal_point", country_code="KHM", name="Sokha Chan")
    response = sign_in(client, user.email, PASSWORD)
    assert response.status_code == 302
    home = client.get("/dashboard/", follow_redirects=True).get_data(as_text=True)
    assert "Sokha Chan" in home and "Cambodia" in home and "CTU focal point" in home
    client.post("/auth/logout")
    assert client.get("/dashboard/").status_code == 302


def test_wrong_password_is_refused_with_clear_message(client, session):
    user = UserFactory()
    response = sign_in(client, user.email, "not the password")
    assert response.status_code == 401
    assert REFUSED in response.get_data(as_text=True)
    assert client.get("/dashboard/").status_code == 302


def test_unknown_email_gets_the_same_message(client, session):
    response = sign_in(client, "nobody@registry.example.org", "whatever")
    assert response.status_code == 401
    assert REFUSED in response.get_data(as_text=True)


def test_account_locks_after_repeated_failures_even_for_right_password(app, client, session):
    user = focal_point()
    limit = app.config["LOGIN_MAX_FAILURES"]
    for _ in range(limit):
        assert REFUSED in sign_in(client, user.email, "bad").get_data(True)
    again = sign_in(client, user.email, PASSWORD)
    assert again.status_code == 401
    assert REFUSED in again.get_data(as_text=True)
    session.expire_all()
    assert session.get(User, user.id).locked_until > utcnow()


def test_lock_expires(client, session):
    user = focal_point(locked_until=utcnow() - timedelta(minutes=1))
    assert sign_in(client, user.email, PASSWORD).headers["Location"] == "/dashboard/"


def test_deactivated_user_cannot_sign_in(client, session):
    user = focal_point(active=False)
    response = sign_in(client, user.email, PASSWORD)
    assert response.status_code == 401
    assert "deactivated" in response.get_data(as_text=True)


def test_deactivation_ends_an_open_session(login, users, session):
    focal = users["focal_point"]
    browser = login(focal)
    assert browser.get("/dashboard/").status_code == 200
    admin = login(users["admin"])
    response = admin.post(
        f"/admin/users/{focal.id}/active", data={"activate": "0", "active-reason": "left"}
    )
    assert response.status_code == 302
    assert browser.get("/dashboard/").status_code == 302


def test_password_change_requires_current_password_and_rotates_sessions(app, client, session):
    user = focal_point()
    sign_in(client, user.email, PASSWORD)
    other_device = app.test_client()
    sign_in(other_device, user.email, PASSWORD)
    old_hash = user.password_hash

    wrong = client.post(
        "/auth/password",
        data={
            "current_password": "nope",
            "new_password": "a much longer secret",
            "confirm": "a much longer secret",
        },
    )
    assert "The current password is wrong." in wrong.get_data(as_text=True)
    session.expire_all()
    assert session.get(User, user.id).password_hash == old_hash

    short = client.post(
        "/auth/password",
        data={"current_password": PASSWORD, "new_password": "short", "confirm": "short"},
    )
    assert "Use at least 12 characters." in short.get_data(as_text=True)

    ok = client.post(
        "/auth/password",
        data={
            "current_password": PASSWORD,
            "new_password": "a much longer secret",
            "confirm": "a much longer secret",
        },
    )
    assert ok.status_code == 302
    assert client.get("/dashboard/").status_code == 200  # this session continues
    assert other_device.get("/dashboard/").status_code == 302  # the other one is signed out
    client.post("/auth/logout")
    assert sign_in(client, user.email, "a much longer secret").status_code == 302


def test_temporary_password_must_be_changed_first(client, session):
    user = focal_point(must_change_password=True)
    response = sign_in(client, user.email, PASSWORD)
    assert response.headers["Location"].endswith("/auth/password")
    assert client.get("/reference/agencies").headers["Location"].endswith("/auth/password")


@pytest.mark.parametrize(
    "target",
    [
        "/%09/evil.example/path",  # a browser drops the tab: //evil.example/path
        "//evil.example.com/x",
        "/%5Cevil.example/x",  # a browser reads the backslash as a slash
        "%5C%5Cevil.example/x",
        "/%2F/evil.example/x",
        "https://evil.example/x",
        "javascript:alert(1)",
        "/%0D%0A/evil.example",
        "%20//evil.example",
    ],
)
def test_next_parameter_cannot_send_user_to_another_site(client, session, target):
    user = focal_point()
    response = client.post(
        f"/auth/login?next={target}", data={"email": user.email, "password": PASSWORD}
    )
    assert response.headers["Location"] == "/dashboard/"


def test_next_parameter_keeps_a_local_page(client, session):
    user = focal_point()
    response = client.post(
        "/auth/login?next=/mla/%3Fstatus%3Dsent", data={"email": user.email, "password": PASSWORD}
    )
    assert response.headers["Location"] == "/mla/?status=sent"


def user_count(session):
    return session.scalar(sa.select(sa.func.count()).select_from(User))


@pytest.mark.parametrize("token", [None, "forged-token"], ids=["no token", "wrong token"])
def test_page_forms_without_a_valid_csrf_token_are_refused(login, users, session, token):
    admin = login(users["admin"])
    before = user_count(session)
    data = {"email": "new@registry.example.org", "role": "unodc", "password": "long enough pass"}
    if token:
        data["csrf_token"] = token
    response = admin.post("/admin/users/new", data=data, csrf=False)
    assert response.status_code == 400
    assert "CSRF" in response.get_data(as_text=True)
    assert user_count(session) == before


def test_sign_in_form_with_its_csrf_token_works(client, session):
    user = focal_point()
    page = client.get("/auth/login").get_data(as_text=True)
    token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    response = client.post(
        "/auth/login",
        data={"email": user.email, "password": PASSWORD, "csrf_token": token},
        csrf=False,
    )
    assert response.status_code == 302 and response.headers["Location"] == "/dashboard/"


def test_api_writes_take_a_bearer_token_and_no_csrf_token(api, login, users, session):
    body = {
        "reference": "KH-CSRF-1",
        "requesting_country": "KHM",
        "requested_country": "THA",
        "crime_type": "thb",
        "legal_basis": "asean_mlat",
        "assistance_types": ["evidence"],
    }
    created = api(users["focal_point"]).post("/api/v1/mla-requests", json=body)
    assert created.status_code == 201, created.get_json()
    # A browser session is no way into the API, so the exemption opens nothing to a forged form.
    browser = login(users["focal_point"])
    refused = browser.post("/api/v1/mla-requests", json={**body, "reference": "KH-CSRF-2"})
    assert refused.status_code == 401


def test_the_lockout_is_written_to_the_audit_trail(app, client, session):
    """Each failure and the lock are events of the account, by the account itself."""
    user = UserFactory()
    for _ in range(app.config["LOGIN_MAX_FAILURES"]):
        sign_in(client, user.email, "bad")
    session.expire_all()
    locked_until = session.get(User, user.id).locked_until
    minutes = app.config["LOGIN_LOCK_MINUTES"]
    assert timedelta(minutes=minutes - 1) < locked_until - utcnow() <= timedelta(minutes=minutes)
    events = session.scalars(
        sa.select(AuditEvent)
        .where(AuditEvent.object_type == "User", AuditEvent.object_id == str(user.id))
        .order_by(AuditEvent.seq)
    ).all()
    limit = app.config["LOGIN_MAX_FAILURES"]
    assert [e.action for e in events] == ["create", *["sign_in_failed"] * limit, "lockout"]
    lock = events[-1]
    assert (lock.actor_id, lock.actor_label) == (user.id, user.email)
    assert lock.changes["locked_until"] == locked_until.isoformat()
    assert all("bad" not in str(e.changes) for e in events)  # never the password tried
