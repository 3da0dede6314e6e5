"""Turnaround, median and 90th percentile against figures worked out by hand."""

import statistics
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from registry.blueprints.mla import stats
from registry.blueprints.mla.models import MlaRequest
from tests.mla.helpers import TODAY, make_request

D0 = date(2025, 1, 1)


def answered(actor, days, **kw):
    return make_request(actor, sent=D0, final=D0 + timedelta(days=days), **kw)


@pytest.fixture
def fixed_set(users):
    """KHM→THA: 10, 20, 20, 40 days (even count, a tie); THA→KHM: 7 days; IDN→MYS: 30, 50, 90."""
    admin = users["admin"]
    for d in (10, 20, 20, 40):
        answered(admin, d)
    answered(admin, 7, requesting_country="THA", requested_country="KHM", final_status="refused")
    for d in (30, 50, 90):
        answered(admin, d, requesting_country="IDN", requested_country="MYS", legal_basis="untoc")
    # Not answered: no turnaround, whatever their age.
    make_request(admin, sent=date(2024, 1, 1))
    make_request(admin, sent=D0, final=D0 + timedelta(days=3), final_status="withdrawn")
    make_request(admin)  # a draft


def by_pair(rows):
    return {(r["requesting_country"], r["requested_country"]): r for r in rows}


def test_pair_figures_match_hand_computation(fixed_set, users):
    rows = by_pair(stats.turnaround(users["unodc"], "pair", stats.Filters()))
    # 10,20,20,40: median (20+20)/2 = 20; p90 position 0.9*3 = 2.7 -> 20 + 0.7*(40-20) = 34
    assert (
        rows[("KHM", "THA")]["count"],
        rows[("KHM", "THA")]["median_days"],
        rows[("KHM", "THA")]["p90_days"],
    ) == (4, 20.0, 34.0)
    # one value: both percentiles are that value
    assert (
        rows[("THA", "KHM")]["count"],
        rows[("THA", "KHM")]["median_days"],
        rows[("THA", "KHM")]["p90_days"],
    ) == (1, 7.0, 7.0)
    # 30,50,90: median 50; p90 position 1.8 -> 50 + 0.8*40 = 82
    assert (rows[("IDN", "MYS")]["median_days"], rows[("IDN", "MYS")]["p90_days"]) == (50.0, 82.0)
    assert set(rows) == {("KHM", "THA"), ("THA", "KHM"), ("IDN", "MYS")}


def test_figures_agree_with_python_quantiles_computed_independently(fixed_set, users, session):
    # The stored dates, subtracted in Python: no registry helper between the data and the check.
    answered_dates = session.execute(
        sa.select(MlaRequest.date_sent, MlaRequest.final_date).where(
            MlaRequest.status.in_(["executed", "partially_executed", "refused"])
        )
    ).all()
    all_days = sorted((final - sent).days for sent, final in answered_dates)
    assert all_days == [7, 10, 20, 20, 30, 40, 50, 90]  # what fixed_set recorded
    deciles = statistics.quantiles(all_days, n=10, method="inclusive")
    rows = stats.turnaround(users["unodc"], "year", stats.Filters())
    assert rows == [
        {
            "year": 2025,
            "count": 8,
            "median_days": round(statistics.median(all_days), 1),
            "p90_days": round(deciles[8], 1),
        }
    ]


def test_postgresql_percentile_cont_agrees(fixed_set, users, session, backend):
    if backend != "postgresql":
        pytest.skip("percentile_cont exists on PostgreSQL only")
    days = MlaRequest.final_date - MlaRequest.date_sent  # PostgreSQL: date - date is whole days
    median, p90 = session.execute(
        sa.select(
            sa.func.percentile_cont(0.5).within_group(days),
            sa.func.percentile_cont(0.9).within_group(days),
        ).where(MlaRequest.legal_basis == "untoc")
    ).one()
    row = stats.turnaround(users["unodc"], "legal_basis", stats.Filters())
    untoc = next(r for r in row if r["legal_basis"] == "untoc")
    assert (untoc["median_days"], untoc["p90_days"]) == (round(median, 1), round(p90, 1))


def test_period_filters_on_final_response_date(fixed_set, users):
    rows = stats.turnaround(
        users["unodc"],
        "pair",
        stats.Filters(date_from=D0 + timedelta(days=20), date_to=D0 + timedelta(days=45)),
    )
    pairs = by_pair(rows)
    assert pairs[("KHM", "THA")]["count"] == 3  # 20, 20, 40
    assert pairs[("IDN", "MYS")]["count"] == 1  # 30


def test_assistance_type_counts_a_request_once_per_type(users):
    admin = users["admin"]
    answered(admin, 10, assistance_types=["evidence", "bank_records"])
    answered(admin, 30, assistance_types=["evidence"])
    rows = {
        r["assistance_type"]: r
        for r in stats.turnaround(users["unodc"], "assistance_type", stats.Filters())
    }
    assert (rows["evidence"]["count"], rows["evidence"]["median_days"]) == (2, 20.0)
    assert (rows["bank_records"]["count"], rows["bank_records"]["median_days"]) == (1, 10.0)


def test_focal_point_sees_only_pairs_involving_their_country(fixed_set, users):
    rows = by_pair(stats.turnaround(users["focal_point"], "pair", stats.Filters()))
    assert set(rows) == {("KHM", "THA"), ("THA", "KHM")}


def test_pending_age_bands_and_overdue(users):
    admin = users["admin"]
    for age in (0, 30, 31, 90, 91, 180, 181, 400):
        make_request(admin, sent=TODAY - timedelta(days=age))
    make_request(admin, sent=TODAY - timedelta(days=500), final=TODAY - timedelta(days=100))
    result = stats.pending_by_age(users["unodc"], stats.Filters(), TODAY, overdue_days=90)
    assert result["bands"] == [
        ("0–30 days", 2),
        ("31–90 days", 2),
        ("91–180 days", 2),
        ("over 180 days", 2),
    ]
    assert result["pending"] == 8 and result["overdue"] == 4  # older than 90 days


def test_status_counts(fixed_set, users):
    counts = stats.status_counts(users["unodc"], stats.Filters())
    assert counts == {"executed": 7, "refused": 1, "sent": 1, "withdrawn": 1, "draft": 1}


def test_per_country_median_and_p90_count_both_sides_of_a_request(fixed_set, users):
    # A country's answered requests as requesting or requested side, worked out by hand.
    taking_part = {"KHM": [10, 20, 20, 40, 7], "THA": [10, 20, 20, 40, 7], "MYS": [30, 50, 90]}
    summary = stats.country_summary(
        users["unodc"], ["KHM", "THA", "MYS", "LAO"], D0, D0 + timedelta(days=365)
    )
    for country, days in taking_part.items():
        ordered = sorted(days)
        position = 0.9 * (len(ordered) - 1)
        low = int(position)
        p90 = ordered[low] + (position - low) * (
            ordered[min(low + 1, len(ordered) - 1)] - ordered[low]
        )
        assert summary[country]["answered"] == len(days)
        assert summary[country]["median_days"] == statistics.median(days)
        assert summary[country]["p90_days"] == pytest.approx(p90, abs=0.05)
    assert summary["KHM"]["p90_days"] == 32.0  # 20 + 0.6 × (40 − 20)
    assert summary["LAO"] == {
        "sent": 0,
        "received": 0,
        "answered": 0,
        "median_days": None,
        "p90_days": None,
    }


def test_pending_on_an_earlier_day_counts_requests_answered_since(users):
    """A brief's period that ended before today: a request answered after that day was still
    pending on it, with its age then; one answered before it, or sent after it, was not."""
    admin = users["admin"]
    end = TODAY - timedelta(days=60)
    make_request(admin, sent=end - timedelta(days=100), final=end + timedelta(days=10))
    make_request(admin, sent=end - timedelta(days=20), final=end - timedelta(days=1))
    make_request(admin, sent=end - timedelta(days=5))  # still pending today
    make_request(admin, sent=end + timedelta(days=1))  # sent after that day
    result = stats.pending_by_age(users["unodc"], stats.Filters(), end, overdue_days=90)
    assert result["bands"] == [
        ("0–30 days", 1),
        ("31–90 days", 0),
        ("91–180 days", 1),
        ("over 180 days", 0),
    ]
    assert result["pending"] == 2 and result["overdue"] == 1
    today = stats.pending_by_age(users["unodc"], stats.Filters(), TODAY, overdue_days=90)
    assert today["pending"] == 2  # the one still pending and the one sent later
