"""A bounded schemathesis run over /api/v1/openapi.json as a focal point and as UNODC, with
valid data (no 5xx, every response as documented) and with invalid data (no 5xx: a refusal is
a 4xx). The run prints how many cases it tried (`pytest -s`)."""

import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from registry.core.roles import FOCAL_POINT, UNODC

EXAMPLES_PER_OPERATION = 25
FUZZ_ROLES = (FOCAL_POINT, UNODC)
CHECKS = {
    GenerationMode.POSITIVE: [not_a_server_error, response_schema_conformance],
    GenerationMode.NEGATIVE: [not_a_server_error],
}


def fuzzer(operation, mode, tokens, calls):
    """A Hypothesis test of one operation in one generation mode, as each token."""

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=EXAMPLES_PER_OPERATION,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    def fuzz(case):
        for token in tokens:
            calls.append(case.operation.label)
            case.call_and_validate(
                headers={"Authorization": f"Bearer {token}"}, checks=CHECKS[mode]
            )

    return fuzz


def test_api_answers_within_its_contract(app, users, api, monkeypatch):
    monkeypatch.setitem(
        app.config, "API_RATE_LIMIT", "100000 per minute"
    )  # fuzz the API, not the limiter
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    tokens = [api(users[role]).token for role in FUZZ_ROLES]
    checked, calls = [], []
    for result in schema.get_all_operations():
        operation = result.ok()
        for mode in CHECKS:
            fuzzer(operation, mode, tokens, calls)()
        checked.append(operation.label)
    print(f"schemathesis: {len(calls)} calls over {len(checked)} operations, 0 server errors")
    assert len(checked) >= 30 and len(calls) >= 3 * len(
        checked
    )  # every operation, several examples each
