"""A bounded schemathesis run over /api/v1/openapi.json as every role: no 5xx, no response
that breaks the documented schema."""

import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from registry.core.roles import ROLES

EXAMPLES_PER_OPERATION = 25


def test_api_answers_within_its_contract(app, users, api, monkeypatch):
    monkeypatch.setitem(
        app.config, "API_RATE_LIMIT", "100000 per minute"
    )  # fuzz the API, not the limiter
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    tokens = [api(users[role]).token for role in ROLES]
    checked, calls = [], []
    for result in schema.get_all_operations():
        operation = result.ok()

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            database=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
        )
        def fuzz(case):
            calls.append(case.operation.label)
            for token in tokens:
                case.call_and_validate(
                    headers={"Authorization": f"Bearer {token}"},
                    checks=[not_a_server_error, response_schema_conformance],
                )

        fuzz()
        checked.append(operation.label)
    assert len(checked) >= 30 and len(calls) >= 3 * len(
        checked
    )  # every operation, several examples each
