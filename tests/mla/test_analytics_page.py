"""The analytics page: stage durations, small numbers, drill-down links and labels, each
figure worked out a second way from the dates the test chose."""

import re
from html import unescape

import pytest

from registry.blueprints.mla import services, stats
from tests.mla.helpers import TODAY, make_request
from tests.mla.test_survival import DAY, S0, khm_tha


def test_stage_durations_by_hand(users):
    admin = users["admin"]
    khm_tha(admin)
    # A reopened request: sent, executed on day 6, reopened as received on day 9. The step
    # after its first final response is left out, so it counts sent -> final = 6 only.
    reopened = make_request(admin, sent=S0, final=S0 + 6 * DAY)
    services.record_status(
        admin, reopened, "received", S0 + 9 * DAY, reason="new facts", today=TODAY
    )
    # Received and answered on the same day: a stage of 0 days.
    same_day = make_request(admin, sent=S0)
    for status in ("received", "executed"):
        services.record_status(admin, same_day, status, S0 + 3 * DAY, today=TODAY)
    # Followed to day 40, the day of the last answer (a change on the as-of day counts).
    rows = stats.stage_durations(users["focal_point"], stats.Cohort(as_of=S0 + 40 * DAY))
    # From khm_tha's histories: sent -> next step: 10, 2, 20, 8, 1 (lapsed and pending move on
    # from nowhere), 6 and 3; received -> next: 3, 24 and 0; acknowledged -> final: 5;
    # in execution -> final: 15 (the withdrawn one never reached a next step).
    assert rows == [
        {"step": "sent", "requests": 7, "median_days": 6},
        {"step": "received", "requests": 3, "median_days": 3},
        {"step": "acknowledged", "requests": 1, "median_days": 5},
        {"step": "in_execution", "requests": 1, "median_days": 15},
    ]


def cells(page, anchor):
    """The rows of the section `anchor` as lists of cell texts."""
    section = page.split(f'id="{anchor}"')[1].split("</section>")[0]
    body = section.split("<tbody>")[-1].split("</tbody>")[0]  # the table after any chart
    return [
        [
            unescape(re.sub(r"<[^>]+>", "", c)).strip()
            for c in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row, re.S)
        ]
        for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)
    ]


@pytest.fixture
def two_pairs(users):
    """KHM→THA: 6 answered (10..60 days), 2 pending since S0; VNM→KHM: 2 answered."""
    admin = users["admin"]
    for days in (10, 20, 30, 40, 50, 60):
        make_request(admin, sent=S0, final=S0 + days * DAY, legal_basis="untoc")
    for _ in range(2):
        make_request(admin, sent=S0, assistance_types=["bank_records"])
    for days in (5, 9):
        make_request(
            admin, sent=S0, final=S0 + days * DAY, requesting_country="VNM", requested_country="KHM"
        )


def test_naive_and_km_medians_side_by_side_and_small_numbers_flagged(two_pairs, login, users):
    page = login(users["unodc"]).get("/mla/analytics").get_data(as_text=True)
    rows = {(r[0], r[1]): r[2:] for r in cells(page, "time-to-answer")}
    # KHM→THA: 8 sent, 6 answered, 2 waiting. Naive: median of 10..60 = 35. KM: 8 at risk, one
    # answer a day: survival 7/8, 6/8, 5/8, 4/8 on day 40 -> median 40; 2/8 on day 60 -> 60.
    assert rows[("Cambodia", "Thailand")] == ["8", "6", "2", "35.0", "40", "60"]
    assert rows[("Viet Nam", "Cambodia")] == [
        "2",
        "2",
        "0",
        "fewer than 5 answered: too few to judge",
    ]
    assert "Kaplan–Meier</strong> counts the pending" in page


def test_five_answered_are_judged_four_are_not(users, login):
    admin = users["admin"]
    for country, answered in (("LAO", 4), ("MMR", 5)):
        for days in range(1, answered + 1):
            make_request(
                admin,
                sent=S0,
                final=S0 + days * DAY,
                requesting_country=country,
                requested_country="KHM",
            )
    page = login(users["unodc"]).get("/mla/analytics").get_data(as_text=True)
    rows = {r[0]: r[2:] for r in cells(page, "time-to-answer")}
    assert rows["Lao PDR"] == ["4", "4", "0", "fewer than 5 answered: too few to judge"]
    # 1..5 days, all answered: naive median 3; survival 2/5 on day 3 -> 3; 1/5 on day 4 -> 4.
    assert rows["Myanmar"] == ["5", "5", "0", "3.0", "3", "4"]
    turnaround = {r[0]: r[2:] for r in cells(page, "turnaround-pair")}
    assert turnaround["Lao PDR"] == ["4", "fewer than 5 answered: too few to judge"]
    assert turnaround["Myanmar"] == ["5", "3.0", "4.6"]  # p90 at 3.6: 4 + 0.6 x 1


def test_labels_not_codes(two_pairs, login, users):
    page = login(users["unodc"]).get("/mla/analytics").get_data(as_text=True)
    assert [r[0] for r in cells(page, "turnaround-legal_basis")] == [
        "ASEAN MLAT (2004)",
        "UNTOC (2000), art. 18",
    ]
    assert "asean mlat" not in page and "untoc</td>" not in page


def test_every_count_leads_to_the_requests_behind_it(two_pairs, login, users):
    browser = login(users["unodc"])
    page = browser.get("/mla/analytics").get_data(as_text=True)
    section = page.split('id="time-to-answer"')[1].split("</section>")[0]
    links = re.findall(r'<a href="(/mla/\?[^"]+)">(\d+)</a>', section)
    assert len(links) == 6  # sent, answered, not answered for each of the two pairs
    for href, shown in links:
        listing = browser.get(unescape(href))
        assert listing.status_code == 200, href
        expected = "No MLA requests match" if shown == "0" else f"{shown} in all"
        assert expected in listing.get_data(as_text=True), href


def test_country_table_counts_both_sides(two_pairs, login, users):
    page = login(users["unodc"]).get("/mla/analytics").get_data(as_text=True)
    rows = {r[0]: r[1:] for r in cells(page, "countries")}
    too_few = "fewer than 5 answered: too few to judge"
    # Cambodia: requesting 8 (6 answered, KM 40); requested 2 (2 answered).
    assert rows["Cambodia"] == ["8", "6", "40", "2", "2", too_few]
    assert rows["Thailand"] == ["0", "0", "—", "8", "6", "40"]
    assert rows["Viet Nam"] == ["2", "2", too_few, "0", "0", "—"]


def test_list_filters_are_checked(login, users):
    browser = login(users["unodc"])
    for query, field in (
        ("sent_from=2025-02-30", "sent_from"),
        ("final_to=soon", "final_to"),
        ("assistance_type=spying", "assistance_type"),
        ("status=lost", "status"),
        ("requested=Thailand", "requested"),
        ("sort=colour", "sort"),
    ):
        response = browser.get(f"/mla/?{query}")
        assert response.status_code == 422, query
        assert field in response.get_data(as_text=True)
        assert browser.get(f"/mla/export.csv?{query}").status_code == 422
    assert browser.get("/mla/analytics?sent_from=yesterday").status_code == 422


def test_api_list_takes_the_same_filters(two_pairs, api, users):
    caller = api(users["unodc"])
    body = caller.get(
        f"/api/v1/mla-requests?requesting=KHM&requested=THA&status=unanswered&sent_from={S0}"
        "&assistance_type=bank_records"
    ).get_json()
    assert body["total"] == 2
    bad = caller.get("/api/v1/mla-requests?urgency=asap&final_from=x")
    assert bad.status_code == 422 and {"urgency", "final_from"} <= set(bad.get_json()["errors"])


def test_stage_chart_and_trend_have_data_tables(two_pairs, login, users):
    page = login(users["unodc"]).get("/mla/analytics").get_data(as_text=True)
    assert "Data table: Median days from each step to the next" in page
    assert "Data table: Median days to a final response, by year sent" in page
    # 10 sent, 8 answered (5, 9, 10, 20, 30, 40, 50, 60), 2 waiting. Naive: (20 + 30) / 2.
    # KM: one answer a day from 10 at risk: 5/10 on day 30 (median), 2/10 on day 60 (p75).
    assert cells(page, "trend") == [[str(S0.year), "10", "8", "2", "25.0", "30", "60"]]
