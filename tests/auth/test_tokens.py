"""Personal API tokens: CLI, hashing, expiry, revocation, deactivated owners."""

from datetime import timedelta

import sqlalchemy as sa

from registry.blueprints.auth.models import ApiToken
from registry.core.columns import utcnow
from tests.factories import UserFactory


def test_cli_prints_only_the_token_and_stores_only_its_hash(app, session):
    user = UserFactory(email="cli@registry.example.org")
    result = app.test_cli_runner().invoke(args=["tokens", "create", "--email", user.email])
    assert result.exit_code == 0, result.output
    token = result.output.strip()
    assert "\n" not in token and token.startswith("cr_") and len(token) > 40
    stored = session.scalars(sa.select(ApiToken).where(ApiToken.user_id == user.id)).one()
    assert token not in (stored.token_hash, stored.prefix)
    me = app.test_client().get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert me.status_code == 200 and me.get_json()["email"] == user.email


def test_cli_refuses_unknown_account(app, session):
    result = app.test_cli_runner().invoke(args=["tokens", "create", "--email", "no@x.org"])
    assert result.exit_code != 0 and "no active account" in result.output


def test_revoked_token_is_refused(api, users, login, session):
    caller = api(users["unodc"])
    assert caller.get("/api/v1/me").status_code == 200
    token = session.scalars(sa.select(ApiToken).where(ApiToken.user_id == users["unodc"].id)).one()
    page = login(users["unodc"]).post(f"/auth/tokens/{token.id}/revoke")
    assert page.status_code == 302
    refused = caller.get("/api/v1/me")
    assert refused.status_code == 401
    assert refused.get_json()["message"].startswith("Authentication required")


def test_expired_token_is_refused(api, users, session):
    caller = api(users["unodc"])
    token = session.scalars(sa.select(ApiToken).where(ApiToken.user_id == users["unodc"].id)).one()
    token.expires_at = utcnow() - timedelta(seconds=1)
    session.flush()
    assert caller.get("/api/v1/me").status_code == 401


def test_token_of_deactivated_user_is_refused(api, users, login, session):
    caller = api(users["unodc"])
    login(users["admin"]).post(
        f"/admin/users/{users['unodc'].id}/active",
        data={"activate": "0", "active-reason": "left post"},
    )
    assert caller.get("/api/v1/me").status_code == 401


def test_malformed_authorization_headers_are_refused(client, session):
    for header in ("Bearer", "Bearer nonsense", "Basic dXNlcjpwYXNz", "cr_nothing"):
        response = client.get("/api/v1/me", headers={"Authorization": header})
        assert response.status_code == 401


def test_user_cannot_revoke_someone_elses_token(api, users, login, session):
    api(users["unodc"])
    token = session.scalars(sa.select(ApiToken).where(ApiToken.user_id == users["unodc"].id)).one()
    response = login(users["auditor"]).post(f"/auth/tokens/{token.id}/revoke")
    assert response.status_code == 404
    session.expire_all()
    assert session.get(ApiToken, token.id).revoked_at is None


def test_token_page_creates_a_token_shown_once(login, users, session):
    browser = login(users["official"])
    page = browser.post("/auth/tokens", data={"name": "briefing laptop", "days": 30})
    text = page.get_data(as_text=True)
    assert "Copy this token now" in text
    shown = text.split('id="new-token">')[1].split("<")[0]
    assert browser.get("/auth/tokens").get_data(as_text=True).count(shown) == 0


def test_token_page_refuses_bad_lifetime(login, users, session):
    page = login(users["official"]).post("/auth/tokens", data={"name": "x", "days": 9999})
    assert "Between 1 and 366." in page.get_data(as_text=True)
    assert session.scalar(sa.select(sa.func.count()).select_from(ApiToken)) == 0
