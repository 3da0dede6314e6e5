"""MLA statistics rules at their edges: inclusive periods, drafts, countries, empty results.

Every expected figure is worked out in plain Python from the dates the test itself chose.
"""

import statistics
from datetime import timedelta

from registry.blueprints.mla import stats
from tests.mla.helpers import TODAY, make_request

# A period well in the past, whatever TODAY is.
P0 = TODAY - timedelta(days=200)
P1 = TODAY - timedelta(days=100)
DAY = timedelta(days=1)


def percentile(values, pct):
    """Linear interpolation between closest ranks (PostgreSQL percentile_cont), by hand."""
    ordered = sorted(values)
    position = pct / 100 * (len(ordered) - 1)
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (position - low) * (ordered[high] - ordered[low])


# status_counts: by date sent; drafts (no date sent) always count.


def sent_around_the_period(admin):
    """Requests sent just before, on the first day, on the last day and just after the
    period, and a draft; returns (date sent, status) of each as recorded."""
    made = [
        make_request(admin, sent=P0 - DAY),  # stays "sent"
        make_request(admin, sent=P0, final=P0 + 5 * DAY),  # executed
        make_request(admin, sent=P1, final=P1 + 3 * DAY, final_status="refused"),
        make_request(admin, sent=P1 + DAY, final=P1 + 4 * DAY, final_status="partially_executed"),
        make_request(admin),  # a draft
    ]
    return [(r.date_sent, r.status) for r in made]


def count_by_hand(recorded, date_from=None, date_to=None):
    counts = {}
    for sent, status in recorded:
        if sent is not None and ((date_from and sent < date_from) or (date_to and sent > date_to)):
            continue
        counts[status] = counts.get(status, 0) + 1
    return counts


def test_status_counts_include_requests_sent_on_the_first_and_last_day_of_the_period(users):
    recorded = sent_around_the_period(users["admin"])
    counts = stats.status_counts(users["unodc"], stats.Filters(date_from=P0, date_to=P1))
    assert counts == count_by_hand(recorded, P0, P1)
    assert counts == {"executed": 1, "refused": 1, "draft": 1}


def test_status_counts_from_a_date_leave_out_earlier_requests_but_keep_drafts(users):
    recorded = sent_around_the_period(users["admin"])
    counts = stats.status_counts(users["unodc"], stats.Filters(date_from=P0))
    assert counts == count_by_hand(recorded, date_from=P0)
    assert counts == {"executed": 1, "refused": 1, "partially_executed": 1, "draft": 1}


def test_status_counts_up_to_a_date_leave_out_later_requests_but_keep_drafts(users):
    recorded = sent_around_the_period(users["admin"])
    counts = stats.status_counts(users["unodc"], stats.Filters(date_to=P1))
    assert counts == count_by_hand(recorded, date_to=P1)
    assert counts == {"sent": 1, "executed": 1, "refused": 1, "draft": 1}


def test_status_counts_without_a_period_count_every_request(users):
    recorded = sent_around_the_period(users["admin"])
    counts = stats.status_counts(users["unodc"], stats.Filters())
    assert counts == count_by_hand(recorded)
    assert sum(counts.values()) == 5


# turnaround: by date of the final response.


def answered_around_the_period(admin):
    """Answered requests whose final response falls just before, on the edges of, inside and
    just after the period; returns the turnaround days of those answered within it."""
    cases = [
        (P0 - DAY, 9),  # answered the day before the period
        (P0, 12),  # first day
        (P0 + 40 * DAY, 25),
        (P1, 60),  # last day
        (P1 + DAY, 3),  # the day after
    ]
    inside = []
    for final, days in cases:
        make_request(admin, sent=final - timedelta(days=days), final=final)
        if P0 <= final <= P1:
            inside.append(days)
    make_request(admin, sent=P0 + DAY)  # pending: never part of a turnaround
    return inside


def test_turnaround_counts_responses_given_on_the_first_and_last_day_of_the_period(users):
    inside = answered_around_the_period(users["admin"])
    rows = stats.turnaround(users["unodc"], "pair", stats.Filters(date_from=P0, date_to=P1))
    assert inside == [12, 25, 60]
    assert rows == [
        {
            "requesting_country": "KHM",
            "requested_country": "THA",
            "count": len(inside),
            "median_days": float(statistics.median(inside)),
            "p90_days": round(percentile(inside, 90), 1),
        }
    ]


def test_turnaround_by_year_reports_the_year_sent_as_a_whole_number(users):
    admin = users["admin"]
    sent = P0
    make_request(admin, sent=sent, final=sent + 10 * DAY)
    make_request(admin, sent=sent, final=sent + 20 * DAY)
    rows = stats.turnaround(users["unodc"], "year", stats.Filters())
    assert rows == [{"year": sent.year, "count": 2, "median_days": 15.0, "p90_days": 19.0}]
    assert type(rows[0]["year"]) is int  # noqa: E721 - an int, not a Decimal or a float


def test_turnaround_by_assistance_type_counts_each_request_under_its_own_types(users):
    admin = users["admin"]
    make_request(admin, sent=P0, final=P0 + 10 * DAY, assistance_types=["evidence"])
    make_request(admin, sent=P0, final=P0 + 30 * DAY, assistance_types=["bank_records"])
    make_request(admin, sent=P0, final=P0 + 50 * DAY, assistance_types=["evidence", "bank_records"])
    by_type = {}
    for days, types in (
        (10, ["evidence"]),
        (30, ["bank_records"]),
        (50, ["evidence", "bank_records"]),
    ):
        for t in types:
            by_type.setdefault(t, []).append(days)
    rows = stats.turnaround(users["unodc"], "assistance_type", stats.Filters())
    assert {r["assistance_type"]: (r["count"], r["median_days"]) for r in rows} == {
        t: (len(d), float(statistics.median(d))) for t, d in by_type.items()
    }


# overall: answered in the period with one of the countries a party.


def test_overall_counts_answers_on_the_period_edges_for_the_countries_taking_part(users):
    admin = users["admin"]
    inside = answered_around_the_period(admin)  # KHM→THA
    make_request(
        admin,
        sent=P0,
        final=P0 + 30 * DAY,
        requesting_country="IDN",
        requested_country="MYS",
    )  # answered in the period, but neither KHM nor LAO takes part
    make_request(
        admin,
        sent=P0,
        final=P0 + 10 * DAY,
        requesting_country="LAO",
        requested_country="VNM",
    )
    make_request(admin, sent=P0, final=P0 + 2 * DAY, final_status="withdrawn")
    taking_part = [*inside, 10]
    result = stats.overall(users["unodc"], ["KHM", "LAO"], P0, P1)
    assert result == {
        "answered": len(taking_part),
        "median_days": float(statistics.median(taking_part)),
        "p90_days": round(percentile(taking_part, 90), 1),
    }


def test_overall_with_nothing_answered_in_the_period_reports_zero_and_no_figures(users):
    admin = users["admin"]
    make_request(admin, sent=P0 - 30 * DAY, final=P0 - DAY)  # answered before the period
    make_request(admin, sent=P0)  # still pending
    assert stats.overall(users["unodc"], ["KHM"], P0, P1) == {
        "answered": 0,
        "median_days": None,
        "p90_days": None,
    }


def test_overall_for_a_focal_point_counts_only_requests_of_their_country(users):
    admin = users["admin"]
    make_request(admin, sent=P0, final=P0 + 8 * DAY)  # KHM→THA
    make_request(
        admin, sent=P0, final=P0 + 40 * DAY, requesting_country="THA", requested_country="LAO"
    )
    assert stats.overall(users["focal_point"], ["KHM", "THA"], P0, P1) == {
        "answered": 1,
        "median_days": 8.0,
        "p90_days": 8.0,
    }
