"""Every route, every role, against the access policy in tests/policy.py (not the views' own
decorators): anonymous is sent to sign in, a role the policy leaves out gets 403, a role it lists
gets past the gate."""

import pytest
from werkzeug.routing import AnyConverter, IntegerConverter

from registry import create_app
from registry.core.roles import ROLES
from tests.policy import POLICY, PUBLIC


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


def _declared(app, endpoint):
    """What the view itself declares: "public", its roles, or None."""
    view = app.view_functions[endpoint]
    if getattr(view, "public", False) or endpoint in FRAMEWORK_PUBLIC:
        return PUBLIC
    return getattr(view, "allowed_roles", None)


# Routes that flask and flask-smorest add themselves, without the registry's decorators.
FRAMEWORK_PUBLIC = {"static", "api-docs.openapi_json"}


def _access(endpoint):
    access = POLICY[endpoint]
    return access if access == PUBLIC else frozenset(access)


def test_every_route_is_in_the_policy_and_every_entry_is_a_route():
    endpoints = {rule.endpoint for rule, _ in ROUTES}
    assert sorted(endpoints - set(POLICY)) == [], "new route: add it to tests/policy.py"
    assert sorted(set(POLICY) - endpoints) == [], "route gone: remove it from tests/policy.py"


def test_every_view_declares_what_the_policy_says(app):
    differ = {
        endpoint: (_declared(app, endpoint), _access(endpoint))
        for endpoint in {rule.endpoint for rule, _ in ROUTES}
        if _declared(app, endpoint) != _access(endpoint)
    }
    assert differ == {}


@pytest.mark.parametrize("rule, method", ROUTES, ids=[f"{m} {r.rule}" for r, m in ROUTES])
@pytest.mark.parametrize("role", [None, *ROLES], ids=["anonymous", *ROLES])
def test_route_refuses_whoever_may_not_use_it(
    app, users, login_session, client, rule, method, role
):
    access = _access(rule.endpoint)
    caller = client if role is None else login_session(users[role])
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
    access = _access(rule.endpoint)
    response = api(users[role]).open(_url(rule), method=method, json={})
    assert response.status_code < 500
    if access == "public" or role in access:
        assert response.status_code not in (401, 403)
    else:
        assert response.status_code == 403
        assert response.get_json()["message"]
