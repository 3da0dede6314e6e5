"""The brief's MLA section: the Kaplan–Meier median next to the naive one, in the asker's
scope, worked out by hand; the methodology annex explains both."""

import re
from datetime import date, timedelta
from html import unescape

from registry.blueprints.briefs import jobs, services
from registry.core.columns import utcnow
from tests.mla.helpers import make_request

SENT = date(2025, 2, 1)


def text(html):
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


def brief_text(user):
    brief = services.request_brief(
        user,
        {
            "meeting_type": "somtc",
            "countries": "all",
            "period_from": date(2025, 1, 1),
            "period_to": date(2025, 12, 31),
        },
    )
    return text(jobs.brief_html(brief, utcnow()))


def test_km_median_next_to_naive_in_the_askers_scope(users, session):
    admin = users["admin"]
    for days in (10, 20, 30, 40, 50):
        make_request(admin, sent=SENT, final=SENT + timedelta(days=days))
    for _ in range(3):
        make_request(admin, sent=SENT)  # still waiting at the end of the period
    # Answered after the period: waiting on 2025-12-31, so censored there.
    make_request(admin, sent=date(2025, 12, 1), final=date(2026, 1, 15))
    # Not in a Cambodian focal point's scope: 5 quick answers between Indonesia and Malaysia.
    for days in (1, 2, 3, 4, 5):
        make_request(
            admin,
            sent=SENT,
            final=SENT + timedelta(days=days),
            requesting_country="IDN",
            requested_country="MYS",
        )
    # Cambodia's 9: one answer a day on days 10..50 from 9 at risk: 8/9, 7/9, 6/9, 5/9, 4/9
    # -> the first day at most one half is day 50; the naive median of 10..50 is 30.
    khm = brief_text(users["focal_point"])
    assert "Requests sent in the period: 9, of which 5 answered by 2025-12-31." in khm
    assert "Median time to a final response: 50 days (Kaplan–Meier" in khm
    assert "against 30.0 days over the answered requests only" in khm
    # Everyone: 14 sent, 10 answered; days 1..5 then 10..50: 13/14 ... after the 7th answer
    # (day 20) 7/14 = 1/2 -> 20. Naive: median of 1..5, 10..50 = (5 + 10) / 2.
    everyone = brief_text(users["unodc"])
    assert "Requests sent in the period: 14, of which 10 answered by 2025-12-31." in everyone
    assert "Median time to a final response: 20 days" in everyone
    assert "against 7.5 days over the answered requests only" in everyone
    assert "Kaplan–Meier median is the first day" in everyone
    assert "naive median is the median over the answered requests only" in everyone


def test_too_few_answered_is_said_not_printed(users, session):
    make_request(users["admin"], sent=SENT, final=SENT + timedelta(days=9))
    assert "Fewer than 5 answered: too few to judge the time to a final response." in brief_text(
        users["unodc"]
    )
