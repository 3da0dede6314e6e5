"""Time to a final response (Kaplan–Meier): the endpoint against curves worked out by hand,
and against lifelines on random requests, on both backends."""

from datetime import timedelta
from fractions import Fraction as F

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lifelines import KaplanMeierFitter
from lifelines.utils import qth_survival_time

from registry.blueprints.mla import services, stats
from tests.mla.helpers import TODAY, make_request

S0 = TODAY - timedelta(days=400)
DAY = timedelta(days=1)


def steps(actor, req, *changes):
    """Record each (status, days after sending) in turn."""
    for status, days in changes:
        ground = "other" if status == "refused" else None
        services.record_status(
            actor, req, status, req.date_sent + days * DAY, ground=ground, today=TODAY
        )


def khm_tha(admin):
    """KHM→THA, all sent on S0: answered on days 10, 10 (received first), 20 (refused) and
    40 (partially); withdrawn on day 20, lapsed on day 30, one still pending (day 400)."""
    made = [make_request(admin, sent=S0) for _ in range(7)]
    steps(admin, made[0], ("executed", 10))
    steps(admin, made[1], ("received", 2), ("acknowledged", 5), ("executed", 10))
    steps(admin, made[2], ("refused", 20))
    steps(admin, made[3], ("in_execution", 8), ("withdrawn", 20))
    steps(admin, made[4], ("lapsed", 30))
    steps(admin, made[5], ("received", 1), ("in_execution", 25), ("partially_executed", 40))
    return made


@pytest.fixture
def known(users):
    admin = users["admin"]
    made = khm_tha(admin)
    # Not in the KHM→THA rows: another pair, a draft, a request sent after the period.
    make_request(
        admin, sent=S0, final=S0 + 50 * DAY, requesting_country="IDN", requested_country="MYS"
    )
    make_request(admin)
    make_request(admin, sent=TODAY - 10 * DAY)
    return made


def row_of(rows, **keys):
    matches = [r for r in rows if all(r[k] == v for k, v in keys.items())]
    assert len(matches) == 1, rows
    return matches[0]


def test_known_data_with_censored_withdrawn_lapsed_and_ties(known, users):
    cohort = stats.Cohort(as_of=TODAY, sent_from=S0, sent_to=S0)
    rows = stats.survival(users["unodc"], "pair", cohort)
    row = row_of(rows, requesting_country="KHM", requested_country="THA")
    # Observations (days, answered): (10,y) (10,y) (20,y) (20,n) (30,n) (40,y) (400,n).
    # Day 10: 2 of 7 -> 5/7; day 20: 1 of 5 (the withdrawal on day 20 still at risk) -> 4/7;
    # day 40: 1 of 2 -> 2/7. Survival first <= 1/2 on day 40; never <= 1/4.
    assert (row["n"], row["events"], row["censored"], row["longest_days"]) == (7, 4, 3, 400)
    expected = [(0, F(1)), (10, F(5, 7)), (20, F(4, 7)), (40, F(2, 7))]
    assert row["curve"] == [[d, round(float(s), 4)] for d, s in expected]
    assert (row["km_median_days"], row["km_p75_days"]) == (40, None)
    assert row["naive_median_days"] == (10 + 20) / 2  # answered only: 10, 10, 20, 40
    assert {(r["requesting_country"], r["requested_country"]) for r in rows} == {
        ("KHM", "THA"),
        ("IDN", "MYS"),
    }


def test_as_of_in_the_past_reads_the_status_history(known, users):
    as_of = S0 + 15 * DAY
    rows = stats.survival(users["unodc"], "pair", stats.Cohort(as_of=as_of))
    row = row_of(rows, requesting_country="KHM", requested_country="THA")
    # On day 15 only the two answers of day 10 had come; the other five were pending then
    # (whatever happened to them later), censored on day 15. Later requests were not sent yet.
    assert (row["n"], row["events"], row["censored"]) == (7, 2, 5)
    assert row["curve"] == [[0, 1.0], [10, round(5 / 7, 4)]]
    assert row["km_median_days"] is None
    other = row_of(rows, requesting_country="IDN")
    assert (other["n"], other["events"], other["censored"]) == (1, 0, 1)
    # A change dated on as_of itself counts; a request sent on as_of is followed from day 0.
    on_day_10 = stats.survival(users["unodc"], "pair", stats.Cohort(as_of=S0 + 10 * DAY))
    assert row_of(on_day_10, requesting_country="KHM")["events"] == 2
    (sent_that_day,) = [
        r
        for r in stats.survival(users["unodc"], "pair", stats.Cohort(as_of=S0))
        if r["requesting_country"] == "KHM"
    ]
    assert (sent_that_day["n"], sent_that_day["events"], sent_that_day["curve"]) == (
        7,
        0,
        [[0, 1.0]],
    )


def test_issue_example_naive_median_hides_the_pending(users):
    admin = users["admin"]
    for days in (20, 25, 40, 60, 100, 150, 200):
        make_request(admin, sent=TODAY - 700 * DAY, final=TODAY - (700 - days) * DAY)
    for _ in range(5):
        make_request(admin, sent=TODAY - 600 * DAY)
    (row,) = stats.survival(users["unodc"], "requested_country", stats.Cohort(as_of=TODAY))
    assert (row["requested_country"], row["n"], row["events"], row["censored"]) == ("THA", 12, 7, 5)
    assert row["naive_median_days"] == 60
    assert row["km_median_days"] == 150  # 6 of 12 still waiting after the 6th answer
    assert row["km_p75_days"] is None


def test_sent_period_is_inclusive_and_scope_applies(known, users):
    make_request(users["admin"], sent=S0 - DAY, final=S0 + DAY)
    make_request(users["admin"], sent=S0 + DAY)
    make_request(users["admin"], sent=S0 + 2 * DAY)
    cohort = stats.Cohort(as_of=TODAY, sent_from=S0, sent_to=S0 + DAY)
    khm = stats.survival(users["focal_point"], "pair", cohort)
    assert [(r["requesting_country"], r["requested_country"], r["n"]) for r in khm] == [
        ("KHM", "THA", 7 + 1)  # sent on the first and on the last day of the period
    ]
    everyone = stats.survival(users["unodc"], "pair", stats.Cohort(as_of=TODAY))
    assert row_of(everyone, requesting_country="KHM")["n"] == 7 + 4  # + before, after, recent


def test_assistance_type_counts_a_request_once_per_type(users):
    admin = users["admin"]
    make_request(admin, sent=S0, final=S0 + 10 * DAY, assistance_types=["evidence", "bank_records"])
    make_request(admin, sent=S0, assistance_types=["evidence"], urgency="urgent")
    rows = stats.survival(users["unodc"], "assistance_type", stats.Cohort(as_of=TODAY))
    assert [(r["assistance_type"], r["n"], r["events"]) for r in rows] == [
        ("bank_records", 1, 1),
        ("evidence", 2, 1),
    ]
    by_urgency = stats.survival(users["unodc"], "urgency", stats.Cohort(as_of=TODAY))
    assert [(r["urgency"], r["n"], r["events"]) for r in by_urgency] == [
        ("routine", 1, 1),
        ("urgent", 1, 0),
    ]


def test_api_answers_rows_with_labels_in_scope(known, api, users):
    body = (
        api(users["focal_point"])
        .get(f"/api/v1/mla-requests/survival?group_by=legal_basis&labels=true&sent_from={S0}")
        .get_json()
    )
    assert body["as_of"] == TODAY.isoformat()
    (row,) = body["rows"]
    assert row["legal_basis"] == "asean_mlat"
    assert row["labels"] == {"legal_basis": "ASEAN MLAT (2004)"}
    assert (row["n"], row["events"], row["km_median_days"]) == (8, 4, 40)  # + the recent one
    pair = api(users["unodc"]).get("/api/v1/mla-requests/survival?labels=1").get_json()["rows"]
    assert row_of(pair, requesting_country="IDN")["labels"] == {
        "requesting_country": "Indonesia",
        "requested_country": "Malaysia",
    }
    assert (
        "labels"
        not in api(users["unodc"]).get("/api/v1/mla-requests/survival").get_json()["rows"][0]
    )


@pytest.mark.parametrize(
    "query, field",
    [
        ("group_by=country", "group_by"),
        ("sent_from=2025-13-01", "sent_from"),
        ("as_of=yesterday", "as_of"),
        ("sent_from=2025-06-02&sent_to=2025-06-01", "sent_to"),
        (f"as_of={TODAY + DAY}", "as_of"),
        ("country=KH", "country"),
    ],
)
def test_bad_parameters_answer_422_naming_the_field(api, users, query, field):
    response = api(users["unodc"]).get(f"/api/v1/mla-requests/survival?{query}")
    assert response.status_code == 422
    assert field in response.get_json()["errors"]


outcomes = st.lists(
    st.tuples(
        st.integers(min_value=1, max_value=700),  # days before TODAY it was sent
        st.sampled_from(["executed", "partially_executed", "refused", "withdrawn", "lapsed", None]),
        st.integers(min_value=0, max_value=700),  # days after sending it closed
    ),
    min_size=1,
    max_size=12,
)


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=outcomes)
def test_matches_lifelines_on_random_requests(session, users, data):
    admin = users["admin"]
    durations, observed = [], []
    with session.begin_nested() as savepoint:
        for ago, status, after in data:
            sent = TODAY - ago * DAY
            closed = min(after, ago)  # not after today
            make_request(
                admin,
                sent=sent,
                final=sent + closed * DAY if status else None,
                final_status=status or "executed",
            )
            durations.append(closed if status else ago)
            observed.append(status in ("executed", "partially_executed", "refused"))
        (row,) = stats.survival(users["unodc"], "pair", stats.Cohort(as_of=TODAY))
        savepoint.rollback()
    fitter = KaplanMeierFitter().fit(durations, event_observed=observed)
    expected = fitter.survival_function_["KM_estimate"]
    assert (row["n"], row["events"]) == (len(data), sum(observed))
    for day, survival in row["curve"][1:]:
        assert survival == pytest.approx(expected.loc[day], abs=1e-4)
    for q, key in ((0.5, "km_median_days"), (0.25, "km_p75_days")):
        if any(abs(s - q) < 1e-3 for _d, s in row["curve"]):
            continue  # a step on the threshold itself: floating point may fall either side
        theirs = qth_survival_time(q, expected)
        assert row[key] == (None if theirs == float("inf") else theirs)
