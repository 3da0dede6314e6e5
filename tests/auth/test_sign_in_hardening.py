"""Sign-in tells nobody which accounts exist, throttles each address, refuses weak passwords
and writes its events to the audit trail."""

import time

import pytest
import sqlalchemy as sa

from registry.blueprints.auth.models import User
from registry.blueprints.auth.services import REFUSED
from registry.core.audit import AuditEvent
from tests.factories import PASSWORD, UserFactory


def sign_in(client, email, password):
    return client.post("/auth/login", data={"email": email, "password": password})


def timed(call):
    start = time.perf_counter()
    response = call()
    return response, time.perf_counter() - start


def test_unknown_known_and_locked_accounts_get_one_answer_in_about_the_same_time(
    app, client, session
):
    known = UserFactory(role="focal_point", country_code="KHM")
    locked = UserFactory(role="focal_point", country_code="KHM")
    for _ in range(app.config["LOGIN_MAX_FAILURES"]):
        sign_in(client, locked.email, "bad")
    answers = {
        "unknown": timed(lambda: sign_in(client, "nobody@registry.example.org", "bad guess")),
        "wrong password": timed(lambda: sign_in(client, known.email, "bad guess")),
        "locked, wrong password": timed(lambda: sign_in(client, locked.email, "bad guess")),
        "locked, right password": timed(lambda: sign_in(client, locked.email, PASSWORD)),
    }
    bodies = set()
    for name, (response, _seconds) in answers.items():
        assert response.status_code == 401, name
        body = response.get_data(as_text=True)
        assert REFUSED in body, name
        bodies.add(body.split('<main id="main"')[1].split('name="csrf_token"')[0])
    assert len(bodies) == 1  # the same page, word for word
    seconds = [s for _r, s in answers.values()]
    assert max(seconds) < 3 * min(seconds)  # each verified one argon2 hash


def test_sign_in_attempts_from_one_address_are_throttled(app, session):
    limit = int(app.config["LOGIN_RATE_LIMIT"].split()[0])
    user = UserFactory(role="focal_point", country_code="KHM")
    client = app.test_client()
    for attempt in range(limit):  # one guess on each of many accounts
        response = sign_in(client, f"someone{attempt}@registry.example.org", "bad guess")
        assert response.status_code == 401, attempt
    throttled = sign_in(client, user.email, PASSWORD)
    assert throttled.status_code == 429
    assert "Too many sign-in attempts" in throttled.get_data(as_text=True)
    assert client.get("/auth/login").status_code == 200  # the page itself still opens
    other_address = app.test_client()
    response = other_address.post(
        "/auth/login",
        data={"email": user.email, "password": PASSWORD},
        environ_base={"REMOTE_ADDR": "192.0.2.7"},
    )
    assert response.headers["Location"] == "/dashboard/"


WEAK = ["aaaaaaaaaaaa", "123456789012", "password1234", "qwertyuiopas"]


@pytest.mark.parametrize("weak", WEAK)
def test_weak_passwords_are_refused_by_the_admin_form(login, users, session, weak):
    before = session.scalar(sa.select(sa.func.count()).select_from(User))
    response = login(users["admin"]).post(
        "/admin/users/new",
        data={
            "email": "new@registry.example.org",
            "role": "official",
            "country": "",
            "password": weak,
        },
    )
    assert response.status_code == 200
    assert "Too easy to guess" in response.get_data(as_text=True)
    assert session.scalar(sa.select(sa.func.count()).select_from(User)) == before


@pytest.mark.parametrize("weak", WEAK)
def test_weak_passwords_are_refused_on_change(login, session, weak):
    user = UserFactory(role="focal_point", country_code="KHM")
    old_hash = user.password_hash
    response = login(user).post(
        "/auth/password",
        data={"current_password": PASSWORD, "new_password": weak, "confirm": weak},
    )
    assert "Too easy to guess" in response.get_data(as_text=True)
    session.expire_all()
    assert session.get(User, user.id).password_hash == old_hash


def test_admin_reset_refuses_a_weak_temporary_password(login, users, session):
    target = users["official"]
    old_hash = target.password_hash
    response = login(users["admin"]).post(
        f"/admin/users/{target.id}/reset-password",
        data={"reset-password": "aaaaaaaaaaaa", "reset-reason": "forgot"},
        follow_redirects=True,
    )
    assert "Too easy to guess" in response.get_data(as_text=True)
    session.expire_all()
    assert session.get(User, target.id).password_hash == old_hash


def test_sign_in_events_are_in_the_audit_log_and_filterable(app, client, login, users, session):
    user = UserFactory(role="unodc")
    sign_in(client, "nobody@registry.example.org", "a secret tried")
    sign_in(client, user.email, "a secret tried")
    signed = login(user)
    signed.post("/auth/logout")
    rows = session.scalars(
        sa.select(AuditEvent).where(
            AuditEvent.action.in_(("sign_in", "sign_in_failed", "sign_out"))
        )
    ).all()
    seen = [(e.action, e.actor_label, (e.changes or {}).get("email")) for e in rows]
    assert ("sign_in_failed", "system", "nobody@registry.example.org") in seen
    assert ("sign_in_failed", user.email, user.email) in seen
    assert ("sign_in", user.email, None) in seen and ("sign_out", user.email, None) in seen
    assert all("a secret tried" not in str(e.changes) for e in rows)
    signed_in = [e for e in rows if e.action == "sign_in" and e.actor_id == user.id]
    assert signed_in[0].changes["second_factor"] == "totp"
    page = login(users["auditor"]).get("/admin/audit?action=sign_in_failed").get_data(True)
    assert "nobody@registry.example.org" in page and "sign_in_failed" in page
    assert '<option value="2fa_reset">' in page
