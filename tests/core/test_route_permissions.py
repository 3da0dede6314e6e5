"""Every route, every role: anonymous is sent to sign in, a role without the right gets 403."""

import pytest
from werkzeug.routing import AnyConverter, IntegerConverter

from registry import create_app
from registry.core.roles import ROLES

# Routes that flask and flask-smorest add themselves; they serve no registry data.
FRAMEWORK_PUBLIC = {"static", "api-docs.openapi_json"}

# The audience of routes where docs/architecture.md §4 is specific; a change here is a change of policy.
EXPECTED_ROLES = {
    "admin.users": {"admin"},
    "admin.user_new": {"admin"},
    "admin.user_edit": {"admin"},
    "admin.user_active": {"admin"},
    "admin.user_reset_password": {"admin"},
    "admin.settings_page": {"admin"},
    "admin.audit_log": {"admin", "auditor"},
    "reference.agency_new": {"admin", "unodc", "focal_point"},
    "reference.agency_edit": {"admin", "unodc", "focal_point"},
    "api.agency_create": {"admin", "unodc", "focal_point"},
    "dashboard.home": set(ROLES),
}


def _routes():
    app = create_app({"DATABASE_URL": "sqlite://", "TESTING": True})
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: (r.rule, r.endpoint)):
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield rule, method


ROUTES = list(_routes())


def _sample(converter):
    if isinstance(converter, IntegerConverter):
        return 1
    if isinstance(converter, AnyConverter):
        return sorted(converter.items)[0]
    return "registry.css"


def _url(rule):
    values = {arg: _sample(rule._converters[arg]) for arg in rule.arguments}
    return rule.build(values)[1] if values else rule.rule


def _access(app, endpoint):
    view = app.view_functions[endpoint]
    if endpoint in FRAMEWORK_PUBLIC or getattr(view, "public", False):
        return "public"
    return getattr(view, "allowed_roles", None)


def test_every_route_declares_who_may_use_it(app):
    undeclared = [rule.endpoint for rule, _ in ROUTES if _access(app, rule.endpoint) is None]
    assert undeclared == []


@pytest.mark.parametrize("endpoint, roles", sorted(EXPECTED_ROLES.items()))
def test_sensitive_routes_have_the_intended_audience(app, endpoint, roles):
    assert _access(app, endpoint) == frozenset(roles)


@pytest.mark.parametrize("rule, method", ROUTES, ids=[f"{m} {r.rule}" for r, m in ROUTES])
@pytest.mark.parametrize("role", [None, *ROLES], ids=["anonymous", *ROLES])
def test_route_refuses_whoever_may_not_use_it(app, users, login, client, rule, method, role):
    access = _access(app, rule.endpoint)
    caller = client if role is None else login(users[role])
    response = caller.open(_url(rule), method=method)
    response.close()  # static files are streamed
    api = rule.rule.startswith("/api/")
    assert response.status_code < 500, response.get_data(as_text=True)[:500]
    if access == "public":
        assert response.status_code not in (401, 403)
    elif role is None:
        if api:
            assert response.status_code == 401
            assert "message" in response.get_json()
        else:
            assert response.status_code == 302
            assert "/auth/login" in response.headers["Location"]
    elif api:
        # The API never accepts a browser session: without a token it is always 401.
        assert response.status_code == 401
    elif role in access:
        assert response.status_code not in (401, 403)
    else:
        assert response.status_code == 403


@pytest.mark.parametrize(
    "rule, method",
    [(r, m) for r, m in ROUTES if r.rule.startswith("/api/")],
    ids=[f"{m} {r.rule}" for r, m in ROUTES if r.rule.startswith("/api/")],
)
@pytest.mark.parametrize("role", ROLES)
def test_api_route_refuses_token_of_role_without_right(app, users, api, rule, method, role):
    access = _access(app, rule.endpoint)
    response = api(users[role]).open(_url(rule), method=method, json={})
    assert response.status_code < 500
    if access == "public" or role in access:
        assert response.status_code not in (401, 403)
    else:
        assert response.status_code == 403
        assert response.get_json()["message"]
