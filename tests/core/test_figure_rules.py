"""The rules that print figures, at their edges and on random data, computed a second way."""

import statistics

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from registry.core.export import suppress
from registry.core.sql import grouped_percentiles


@pytest.mark.parametrize(
    "count, printed", [(None, "—"), (0, 0), (1, "<5"), (2, "<5"), (4, "<5"), (5, 5), (6, 6)]
)
def test_small_victim_counts_print_as_under_five_and_no_other(count, printed):
    assert suppress(count) == printed


def percentile(values, pct):
    """Linear interpolation between closest ranks (numpy's default, PostgreSQL percentile_cont)."""
    if len(values) == 1:
        return float(values[0])
    cuts = statistics.quantiles(values, n=100, method="inclusive")
    return cuts[pct - 1]


groups = st.dictionaries(
    st.sampled_from(["KHM", "THA", "VNM", "LAO"]),
    st.lists(st.integers(min_value=0, max_value=2000), min_size=1, max_size=25),
    min_size=1,
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=groups)
def test_grouped_percentiles_match_an_independent_computation(session, data):
    rows = [(key, value) for key, values in data.items() for value in values]
    values = sa.union_all(
        *(sa.select(sa.literal(k).label("g"), sa.literal(v).label("v")) for k, v in rows)
    ).subquery("vals")
    query = grouped_percentiles(values, ("g",), "v", {"median": 50, "p75": 75, "p90": 90})
    got = {row.g: row for row in session.execute(query)}
    assert set(got) == set(data)
    for key, values in data.items():
        row = got[key]
        assert row.count == len(values)
        assert row.median == pytest.approx(statistics.median(values))
        assert row.p75 == pytest.approx(percentile(values, 75))
        assert row.p90 == pytest.approx(percentile(values, 90))
