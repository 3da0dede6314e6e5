"""Self-service password reset by a mailed, single-use, expiring link; admin-issued links."""

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from registry.blueprints.auth.models import PasswordReset
from registry.core.audit import AuditEvent
from tests.factories import PASSWORD, UserFactory
from tests.fixtures.smtp import smtp_server  # noqa: F401 (fixture)

NEW = "quiet lanterns over the mekong"
SAME_ANSWER = "If an account exists for this email, a link to reset its password is on its way."
LINK = re.compile(r"https://registry\.example\.org/auth/reset/(\S+)")


@pytest.fixture
def mail_with_links(app, smtp_server, monkeypatch):  # noqa: F811
    monkeypatch.setitem(app.config, "BASE_URL", "https://registry.example.org")
    return smtp_server


def ask(client, email):
    return client.post("/auth/forgot", data={"email": email}, follow_redirects=True)


def mailed_token(mailbox, email):
    (message,) = mailbox.to(email)
    return LINK.search(message.get_content()).group(1)


def choose(client, token, password=NEW, confirm=None):
    return client.post(
        f"/auth/reset/{token}", data={"new_password": password, "confirm": confirm or password}
    )


def test_forgot_answers_the_same_for_known_unknown_and_deactivated(
    client, mail_with_links, session
):
    known = UserFactory(role="focal_point", country_code="KHM")
    gone = UserFactory(role="focal_point", country_code="KHM", active=False)
    pages = [ask(client, email) for email in (known.email, "nobody@example.org", gone.email)]
    assert all(p.status_code == 200 and SAME_ANSWER in p.get_data(True) for p in pages)
    assert len(mail_with_links.to(known.email)) == 1
    assert mail_with_links.to("nobody@example.org") == mail_with_links.to(gone.email) == []


def test_the_mailed_link_changes_the_password_once_and_ends_sessions(
    app, client, login, mail_with_links, session
):
    user = UserFactory(role="focal_point", country_code="KHM", failed_logins=3)
    open_elsewhere = login(user)
    ask(client, user.email.upper())
    token = mailed_token(mail_with_links, user.email)
    stored = session.scalar(
        sa.select(PasswordReset.token_hash).where(PasswordReset.user_id == user.id)
    )
    assert token not in stored  # only the digest is kept
    page = client.get(f"/auth/reset/{token}")
    assert page.status_code == 200 and "Choose a new password" in page.get_data(True)
    weak = choose(client, token, "123456789012")
    assert weak.status_code == 422 and "Too easy to guess" in weak.get_data(True)
    differ = choose(client, token, NEW, "something else entirely")
    assert differ.status_code == 422 and "The two entries differ." in differ.get_data(True)
    done = choose(client, token)
    assert done.headers["Location"] == "/auth/login"
    assert open_elsewhere.get("/dashboard/").status_code == 302
    again = client.get(f"/auth/reset/{token}")
    assert again.status_code == 404 and "This link does not work" in again.get_data(True)
    assert choose(client, token, "yet another fine passphrase").status_code == 404
    signed = client.post("/auth/login", data={"email": user.email, "password": NEW})
    assert signed.headers["Location"] == "/dashboard/"
    actions = session.scalars(
        sa.select(AuditEvent.action).where(
            AuditEvent.object_id == str(user.id), AuditEvent.action.like("reset_%")
        )
    ).all()
    assert sorted(actions) == ["reset_requested", "reset_used"]


def test_a_reset_link_clears_the_lock(app, client, mail_with_links, session):
    user = UserFactory(role="focal_point", country_code="KHM")
    for _ in range(app.config["LOGIN_MAX_FAILURES"]):
        client.post("/auth/login", data={"email": user.email, "password": "bad"})
    ask(client, user.email)
    choose(client, mailed_token(mail_with_links, user.email))
    signed = client.post("/auth/login", data={"email": user.email, "password": NEW})
    assert signed.headers["Location"] == "/dashboard/"


def test_a_reset_link_expires(app, client, clock, mail_with_links, session):
    user = UserFactory(role="focal_point", country_code="KHM")
    ask(client, user.email)
    token = mailed_token(mail_with_links, user.email)
    clock.shift(timedelta(minutes=app.config["PASSWORD_RESET_MINUTES"] + 1))
    assert client.get(f"/auth/reset/{token}").status_code == 404
    assert choose(client, token).status_code == 404
    old = client.post("/auth/login", data={"email": user.email, "password": PASSWORD})
    assert old.headers["Location"] == "/dashboard/"  # the password did not change


def test_a_new_link_replaces_the_earlier_one(client, mail_with_links, session):
    user = UserFactory(role="focal_point", country_code="KHM")
    ask(client, user.email)
    ask(client, user.email)
    first, second = (LINK.search(m.get_content()).group(1) for m in mail_with_links.to(user.email))
    assert client.get(f"/auth/reset/{first}").status_code == 404
    assert client.get(f"/auth/reset/{second}").status_code == 200


def test_without_mail_the_page_says_to_ask_an_administrator(client, session):
    page = client.get("/auth/forgot").get_data(as_text=True)
    assert "Ask your registry administrator for a password reset link." in page


def test_bad_input_is_refused_and_saves_nothing(client, mail_with_links, session):
    response = client.post("/auth/forgot", data={"email": ""})
    assert response.status_code == 422 and "Enter your email." in response.get_data(True)
    assert client.get("/auth/reset/not-a-token").status_code == 404
    assert session.scalar(sa.select(sa.func.count()).select_from(PasswordReset)) == 0


def test_admin_issues_a_reset_link_with_a_reason(app, login, users, session):
    target = users["focal_point"]
    admin = login(users["admin"])
    url = f"/admin/users/{target.id}/reset-link"
    refused = admin.post(url, data={"link-reason": ""})
    assert refused.status_code == 422
    assert session.scalar(sa.select(sa.func.count()).select_from(PasswordReset)) == 0
    page = admin.post(url, data={"link-reason": "no mail server, asked by phone"})
    assert page.status_code == 200
    token = re.search(r'/auth/reset/([^"]+)"', page.get_data(as_text=True)).group(1)
    event = session.scalar(
        sa.select(AuditEvent).where(
            AuditEvent.action == "reset_requested", AuditEvent.object_id == str(target.id)
        )
    )
    assert (event.actor_id, event.reason) == (users["admin"].id, "no mail server, asked by phone")
    anonymous = app.test_client()
    assert choose(anonymous, token).headers["Location"] == "/auth/login"
    assert (
        anonymous.post("/auth/login", data={"email": target.email, "password": NEW}).headers[
            "Location"
        ]
        == "/dashboard/"
    )
    assert anonymous.post("/auth/logout").status_code == 302
    assert (
        anonymous.post(
            "/auth/login", data={"email": target.email, "password": PASSWORD}
        ).status_code
        == 401
    )


@pytest.mark.parametrize("role", ["unodc", "focal_point", "auditor", "official"])
def test_only_an_admin_issues_reset_links(login, users, session, role):
    target = users["official"]
    response = login(users[role]).post(
        f"/admin/users/{target.id}/reset-link", data={"link-reason": "because"}
    )
    assert response.status_code == 403
    assert session.scalar(sa.select(sa.func.count()).select_from(PasswordReset)) == 0
