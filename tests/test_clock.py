"""The suite's one clock: the code under test and the test agree on today."""

from datetime import date

from registry.core.columns import utcnow
from tests.fixtures.clock import TODAY


def test_code_and_tests_share_todays_date():
    assert date.today() == TODAY
    assert utcnow().date() == TODAY
