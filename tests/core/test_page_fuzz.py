"""Every GET route, with hostile query strings, as a focal point and as UNODC (the
administrator for the routes neither may use): never a server error.

Which query parameters a route reads is found by asking it: one plain request records every
name the view looks up in the query string. Each name is then given each hostile value on its
own, and all of them at once, so that one parameter's refusal does not hide another's crash.
"""

import itertools
from urllib.parse import quote

from flask import Request
from werkzeug.datastructures import ImmutableMultiDict

from registry.core.roles import ADMIN, FOCAL_POINT, UNODC
from tests.core.test_route_scope import ALIASES, arguments
from tests.fixtures.records import OWN, Records
from tests.policy import POLICY, PUBLIC

FUZZ_ROLES = (FOCAL_POINT, UNODC)
HOSTILE = (
    "all",
    "x",
    "",
    "-1",
    "0",
    "2147483648",
    "99999999999999999999999",
    "1e9",
    "0x10",
    "2026-02-30",
    "99999-01-01",
    "\x00",
    "a\x00b",
    "%ED%A0%80",  # a lone surrogate, once percent-encoded (sent as raw bytes below)
    "\u0e01\u0e32\u0e23\U0001f600",
    "<script>alert(1)</script>",
    "A" * 10_000,
)
RAW_SURROGATE = "%ED%A0%80"
# Each parameter alone gets the values that break a code list, a number or a date; every value
# goes to all the parameters at once.
ALONE = ("all", "-1", "2147483648", "99999999999999999999999", "2026-02-30", RAW_SURROGATE)
READ = []


class Recording(ImmutableMultiDict):
    """Query arguments that note which names the view asks for."""

    def __getitem__(self, key):
        READ.append(key)
        return super().__getitem__(key)

    def get(self, key, default=None, type=None):  # noqa: A002  (werkzeug's signature)
        READ.append(key)
        return super().get(key, default, type)

    def getlist(self, key, type=None):  # noqa: A002
        READ.append(key)
        return super().getlist(key, type)

    def __contains__(self, key):
        READ.append(key)
        return super().__contains__(key)


class RecordingRequest(Request):
    parameter_storage_class = Recording


def _routes(app):
    rules = sorted(app.url_map.iter_rules(), key=lambda r: (r.rule, r.endpoint))
    return [rule for rule in rules if "GET" in rule.methods and rule.endpoint != "static"]


def _roles(endpoint):
    access = POLICY[endpoint]
    if access == PUBLIC:
        return [None]
    return [role for role in FUZZ_ROLES if role in access] or [ADMIN]


def _query(pairs):
    # Values are percent-encoded as UTF-8, except the raw surrogate bytes, sent as they are.
    return "&".join(
        f"{quote(k)}={v if v == RAW_SURROGATE else quote(v, safe='')}" for k, v in pairs
    )


def _status(caller, url):
    """The answer's status; an exception (the suite propagates them) counts as a 500."""
    try:
        response = caller.get(url)
    except Exception as exc:  # noqa: BLE001  (any crash is the finding)
        return f"500 {type(exc).__name__}: {str(exc)[:120]}"
    response.close()
    return response.status_code


def _cases(names):
    for value in HOSTILE:
        yield [(name, value) for name in names]
    for value in ALONE:
        for name in names:
            yield [(name, value)]
    for name in names:
        yield [(name, "1"), (name, "all")]  # a repeated parameter


def test_no_get_route_answers_a_server_error(app, users, login_session, client, monkeypatch):
    records = Records(users)
    failures, tried = [], 0
    for rule in _routes(app):
        for role in _roles(rule.endpoint):
            caller = client if role is None else login_session(users[role])
            values = records.url_values(arguments(rule), OWN, role, ALIASES.get(rule.endpoint))
            path = rule.build(values, append_unknown=False)[1]
            monkeypatch.setattr(app, "request_class", RecordingRequest)
            READ.clear()
            _status(caller, path)
            names = sorted(set(READ) | {"page", "q"})
            monkeypatch.setattr(app, "request_class", Request)
            for pairs in itertools.chain([[("page", "1")]], _cases(names)):
                url = f"{path}?{_query(pairs)}"
                status = _status(caller, url)
                tried += 1
                if str(status) >= "500":
                    failures.append(f"{role} {url[:150]} -> {status}")
    print("\n".join(failures))
    print(f"page fuzz: {tried} requests, {len(failures)} server errors")
    assert not failures, f"{len(failures)} server errors"
