"""The product-limit estimator against curves worked out by hand and against lifelines."""

from fractions import Fraction as F

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lifelines import KaplanMeierFitter
from lifelines.utils import qth_survival_time

from registry.core.survival import product_limit, quantile_day


def test_censored_requests_stay_at_risk_on_their_day_and_events_come_first():
    # 7 requests: answered on days 10, 10, 20 and 40; censored on days 20, 30 and 50.
    data = [(10, True), (10, True), (20, True), (20, False), (30, False), (40, True), (50, False)]
    curve = product_limit(data)
    # Day 10: 7 at risk, 2 answered -> 5/7. Day 20: 5 at risk (the one censored on day 20
    # included), 1 answered -> 5/7 x 4/5 = 4/7. Day 30: censored, 3 left. Day 40: 2 at risk,
    # 1 answered -> 4/7 x 1/2 = 2/7. Censorings make no step of their own.
    assert curve == [(0, 1), (10, F(5, 7)), (20, F(4, 7)), (40, F(2, 7))]
    assert quantile_day(curve, F(1, 2)) == 40  # 4/7 > 1/2 on day 20
    assert quantile_day(curve, F(1, 4)) is None  # never as low as 1/4: not reached


def test_the_issue_example_seven_answered_five_pending_after_600_days():
    answered = [20, 25, 40, 60, 100, 150, 200]
    data = [(d, True) for d in answered] + [(600, False)] * 5
    curve = product_limit(data)
    # No censoring before day 200: after the k-th answer, (12 - k) of 12 remain.
    assert curve == [(0, 1), *((d, F(12 - k, 12)) for k, d in enumerate(answered, start=1))]
    assert sorted(answered)[len(answered) // 2] == 60  # the naive median, answered only
    assert quantile_day(curve, F(1, 2)) == 150  # 6/12 remain after the 6th answer
    assert quantile_day(curve, F(1, 4)) is None  # 5 of 12 never answered


def test_survival_exactly_at_the_threshold_counts_as_reached():
    curve = product_limit([(5, True), (9, False)])
    assert curve == [(0, 1), (5, F(1, 2))]
    assert quantile_day(curve, F(1, 2)) == 5


def test_no_answer_at_all_leaves_the_curve_flat():
    curve = product_limit([(3, False), (8, False)])
    assert curve == [(0, 1)]
    assert quantile_day(curve, F(1, 2)) is None


def test_everyone_answered_ends_at_zero():
    curve = product_limit([(4, True), (4, True), (7, True)])
    assert curve == [(0, 1), (4, F(1, 3)), (7, 0)]
    assert (quantile_day(curve, F(1, 2)), quantile_day(curve, F(1, 4))) == (4, 7)


observations = st.lists(
    st.tuples(st.integers(min_value=0, max_value=400), st.booleans()), min_size=1, max_size=40
)


def lifelines_fit(data):
    fitter = KaplanMeierFitter()
    fitter.fit([d for d, _ in data], event_observed=[e for _, e in data])
    return fitter


def near(curve, q):
    """True when a step lands on q exactly: lifelines' floating point may fall either side."""
    return any(abs(float(s) - q) < 1e-9 for _day, s in curve)


@settings(max_examples=200, deadline=None)
@given(data=observations)
def test_curve_and_quantiles_match_lifelines(data):
    curve = product_limit(data)
    fitter = lifelines_fit(data)
    expected = fitter.survival_function_["KM_estimate"]
    for day, survival in curve[1:]:
        assert float(survival) == pytest.approx(expected.loc[day], abs=1e-9)
    event_days = sorted({d for d, e in data if e})
    assert [day for day, _ in curve[1:]] == event_days
    for q in (0.5, 0.25):
        if near(curve, q):
            continue
        theirs = qth_survival_time(q, expected)
        ours = quantile_day(curve, F(q))
        assert ours == (None if theirs == float("inf") else theirs)
