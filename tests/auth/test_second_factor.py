"""The TOTP second factor: required roles, enrolment, codes, replay, recovery codes, reset."""

import re
from datetime import UTC, datetime, timedelta

import pyotp
import pytest
import sqlalchemy as sa

from registry.blueprints.auth import second_factor
from registry.blueprints.auth.models import RecoveryCode, User
from registry.core.audit import AuditEvent
from registry.extensions import db
from tests.conftest import CSRF_FIELD
from tests.factories import PASSWORD, UserFactory, totp_code

RECOVERY_CODE = re.compile(r"<li><code>([0-9a-f]{5}-[0-9a-f]{5})</code></li>")


def password_step(client, user):
    response = client.post("/auth/login", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 302
    return response


def code_step(client, code):
    return client.post("/auth/2fa", data={"code": code})


def events(session, user, action):
    return session.scalars(
        sa.select(AuditEvent).where(
            AuditEvent.object_type == "User",
            AuditEvent.object_id == str(user.id),
            AuditEvent.action == action,
        )
    ).all()


@pytest.mark.parametrize("role", ["admin", "unodc", "auditor"])
def test_after_the_password_every_page_waits_for_the_code(client, session, role):
    user = UserFactory(role=role)
    assert password_step(client, user).headers["Location"] == "/auth/2fa"
    for path in ("/dashboard/", "/mla/", "/admin/audit", "/auth/tokens", "/auth/account"):
        response = client.get(path)
        assert response.status_code == 302 and response.headers["Location"] == "/auth/2fa", path
    assert client.get("/healthz").status_code in (200, 503)
    static = client.get("/static/registry.css")
    static.close()  # files are streamed
    assert static.status_code == 200
    page = client.get("/auth/2fa").get_data(as_text=True)
    assert "Enter the 6-digit code" in page and 'href="/mla/"' not in page  # no navigation
    assert code_step(client, totp_code(user)).headers["Location"] == "/dashboard/"
    assert client.get("/dashboard/").status_code == 200


def test_the_code_step_keeps_where_the_user_was_going(client, session):
    user = UserFactory(role="unodc")
    client.post("/auth/login?next=/mla/", data={"email": user.email, "password": PASSWORD})
    assert code_step(client, totp_code(user)).headers["Location"] == "/mla/"


def test_roles_that_need_none_sign_in_with_the_password(client, session):
    user = UserFactory(role="official", country_code="THA")
    assert password_step(client, user).headers["Location"] == "/dashboard/"


def test_sign_out_works_before_the_code(client, session):
    user = UserFactory(role="admin")
    password_step(client, user)
    assert client.post("/auth/logout").headers["Location"] == "/auth/login"
    assert client.get("/dashboard/").headers["Location"].startswith("/auth/login")


def test_wrong_code_is_refused_and_audited(client, session):
    user = UserFactory(role="admin")
    password_step(client, user)
    right = totp_code(user)
    wrong = f"{(int(right) + 1) % 1000000:06d}"
    response = code_step(client, wrong)
    assert response.status_code == 422
    assert "That code is wrong or was already used." in response.get_data(as_text=True)
    assert client.get("/dashboard/").headers["Location"] == "/auth/2fa"
    assert len(events(session, user, "2fa_failed")) == 1
    assert not events(session, user, "sign_in")
    empty = code_step(client, "")
    assert empty.status_code == 422 and "Enter the code." in empty.get_data(as_text=True)


def test_a_code_is_refused_the_second_time(app, client, session):
    user = UserFactory(role="unodc")
    password_step(client, user)
    code = totp_code(user)
    assert code_step(client, code).status_code == 302
    other = app.test_client()
    password_step(other, user)
    replay = code_step(other, code)
    assert replay.status_code == 422
    assert other.get("/dashboard/").headers["Location"] == "/auth/2fa"


def test_a_code_of_one_step_either_side_is_accepted_but_no_older(client, session):
    user = UserFactory(role="unodc")
    totp = pyotp.TOTP(second_factor.secret_of(user))
    now = totp.timecode(datetime.now(UTC))
    password_step(client, user)
    assert code_step(client, totp.generate_otp(now - 2)).status_code == 422
    assert code_step(client, totp.generate_otp(now - 1)).status_code == 302


def test_repeated_wrong_codes_lock_the_account_and_end_the_session(app, client, session):
    user = UserFactory(role="admin")
    password_step(client, user)
    for _ in range(app.config["LOGIN_MAX_FAILURES"] - 1):
        assert code_step(client, "000000").status_code == 422
    locked = code_step(client, "000000")
    assert locked.headers["Location"] == "/auth/login"
    assert client.get("/dashboard/").headers["Location"].startswith("/auth/login")
    assert len(events(session, user, "lockout")) == 1


def test_a_recovery_code_works_once(app, client, session):
    user = UserFactory(role="admin")
    codes = enrol_anew(app, user)
    password_step(client, user)
    assert code_step(client, codes[0]).headers["Location"] == "/dashboard/"
    client.post("/auth/logout")
    password_step(client, user)
    assert code_step(client, codes[0]).status_code == 422
    assert code_step(client, codes[1].upper().replace("-", " ")).status_code == 302
    used = session.scalar(
        sa.select(sa.func.count())
        .select_from(RecoveryCode)
        .where(RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_not(None))
    )
    assert used == 2
    assert events(session, user, "sign_in")[-1].changes["second_factor"] == "recovery_code"


def enrol_anew(app, user):
    """Enrol the user through the pages; return the recovery codes the page shows."""
    user.totp_secret = user.totp_enrolled_at = None
    db.session.flush()
    browser = app.test_client()
    password_step(browser, user)
    page = browser.get("/auth/2fa").get_data(as_text=True)
    secret = page.split('id="totp-secret">')[1].split("<")[0]
    shown = browser.post("/auth/2fa", data={"code": pyotp.TOTP(secret).now()})
    assert shown.status_code == 200
    return RECOVERY_CODE.findall(shown.get_data(as_text=True))


def test_enrolment_shows_a_qr_code_and_key_then_ten_recovery_codes(client, session):
    user = UserFactory(role="unodc", totp_secret=None)
    assert password_step(client, user).headers["Location"] == "/auth/2fa"
    page = client.get("/auth/2fa").get_data(as_text=True)
    assert "<svg" in page and "Set up your second factor" in page
    secret = page.split('id="totp-secret">')[1].split("<")[0]
    again = client.get("/auth/2fa").get_data(as_text=True)
    assert secret in again  # reloading the page keeps the key the app may have scanned
    session.expire_all()
    stored = session.get(User, user.id).totp_secret
    assert secret not in stored  # encrypted at rest
    wrong = client.post("/auth/2fa", data={"code": "123"})
    assert wrong.status_code == 422 and "That code is not right." in wrong.get_data(True)
    shown = client.post("/auth/2fa", data={"code": pyotp.TOTP(secret).now()})
    assert shown.status_code == 200
    assert len(set(RECOVERY_CODE.findall(shown.get_data(as_text=True)))) == 10
    assert client.get("/dashboard/").status_code == 200
    hashes = session.scalars(
        sa.select(RecoveryCode.code_hash).where(RecoveryCode.user_id == user.id)
    )
    assert all(h.startswith("$argon2id$") for h in hashes)
    assert len(events(session, user, "2fa_enrol")) == 1


def test_enrolling_ends_the_other_sessions(app, client, login, session):
    user = UserFactory(role="focal_point", country_code="KHM")
    other_device = login(user)
    this_device = login(user)
    page = this_device.get("/auth/2fa").get_data(as_text=True)
    secret = page.split('id="totp-secret">')[1].split("<")[0]
    assert this_device.post("/auth/2fa", data={"code": pyotp.TOTP(secret).now()}).status_code == 200
    assert this_device.get("/dashboard/").status_code == 200
    assert other_device.get("/dashboard/").status_code == 302
    # From now on this optional account is asked for its code too.
    this_device.post("/auth/logout")
    assert password_step(this_device, user).headers["Location"] == "/auth/2fa"


def test_an_account_that_must_enrol_gets_no_api_token_until_it_has(session):
    from registry.blueprints.auth.services import create_token
    from registry.core import audit
    from registry.core.errors import Forbidden

    user = UserFactory(role="admin", totp_secret=None)
    with pytest.raises(Forbidden):
        create_token(audit.SYSTEM, user, "script")


def test_admin_resets_a_second_factor_with_a_reason(app, login, users, session):
    target = users["unodc"]
    their_browser = login(target)
    admin = login(users["admin"])
    url = f"/admin/users/{target.id}/reset-2fa"
    refused = admin.post(url, data={"factor-reason": ""})
    assert refused.status_code == 422 and "Give a reason" in refused.get_data(as_text=True)
    session.expire_all()
    assert session.get(User, target.id).has_second_factor
    done = admin.post(url, data={"factor-reason": "lost phone, ticket 42"})
    assert done.status_code == 302
    session.expire_all()
    assert not session.get(User, target.id).has_second_factor
    assert their_browser.get("/dashboard/").status_code == 302  # signed out
    (event,) = events(session, target, "2fa_reset")
    assert (event.actor_id, event.reason) == (users["admin"].id, "lost phone, ticket 42")
    # At the next sign-in they set up a new one.
    fresh = app.test_client()
    password_step(fresh, target)
    assert "Set up your second factor" in fresh.get("/auth/2fa").get_data(as_text=True)


@pytest.mark.parametrize("role", ["unodc", "focal_point", "auditor", "official"])
def test_only_an_admin_resets_a_second_factor(login, users, session, role):
    target = users["unodc"]
    response = login(users[role]).post(
        f"/admin/users/{target.id}/reset-2fa", data={"factor-reason": "because"}
    )
    assert response.status_code == 403
    session.expire_all()
    assert session.get(User, target.id).has_second_factor


def test_demo_configuration_turns_the_second_factor_off(app, client, session, monkeypatch):
    monkeypatch.setitem(app.config, "REQUIRE_2FA_ROLES", "")
    assert "Demo: the second factor is off" in client.get("/auth/login").get_data(True)
    user = UserFactory(role="admin", totp_secret=None)
    assert password_step(client, user).headers["Location"] == "/dashboard/"


def test_production_default_says_nothing_of_a_demo(client, session):
    page = client.get("/auth/login").get_data(as_text=True)
    assert "second factor is off" not in page
    assert CSRF_FIELD.search(page)


def test_code_of_another_time_window_is_refused(clock, client, session):
    user = UserFactory(role="unodc")
    password_step(client, user)
    stale = totp_code(user)
    clock.shift(timedelta(minutes=2))
    assert code_step(client, stale).status_code == 422
