"""A team past its planned end (no extension beyond today, no actual end) is flagged and no longer
counts as active: API, pages, dashboards, briefs, each against a count by hand."""

import re

import pytest

from registry.blueprints.briefs import services as briefs
from registry.blueprints.briefs.content import gather
from registry.blueprints.dashboard import figures
from registry.blueprints.jits import services
from registry.blueprints.reference.data import ASEAN_MEMBERS
from tests.fixtures.clock import TODAY
from tests.notifications.helpers import active_team, days


@pytest.fixture
def teams(users):
    """Teams of Cambodia and Thailand (and one of Indonesia and Malaysia), each with whether
    it counts as active today, by the definition (docs/architecture.md §5)."""
    admin = users["admin"]
    running = active_team(admin, TODAY + days(10))
    expired = active_team(admin, TODAY - days(1))
    extended = active_team(admin, TODAY - days(30))
    services.add_extension(admin, extended, {"date": TODAY - days(40), "new_end": TODAY})
    closed = active_team(admin, TODAY - days(30))
    services.update_jit(
        admin, closed, {"actual_end": TODAY - days(30)}, closed.version, reason="ended"
    )
    open_ended = active_team(admin, None)
    waiting = services.create_jit(  # established, never active
        admin,
        {
            "name": "Operation Waiting",
            "type": "mixed",
            "member_countries": ["KHM", "THA"],
            "lead_country": "KHM",
            "legal_basis": "actip",
            "agreement_signed": TODAY - days(200),
            "planned_end": TODAY - days(5),
        },
    )
    indonesian = active_team(admin, TODAY - days(3), members=("IDN", "MYS"))
    return {
        running: True,
        expired: False,
        extended: True,  # extended to today: not passed yet
        closed: True,  # an actual end is recorded: not "past planned end" (status is the team's)
        open_ended: True,
        waiting: False,
        indonesian: False,
    }


def active_by_hand(teams, country):
    return sum(counts for jit, counts in teams.items() if country in jit.member_countries)


def test_the_flag_follows_the_definition(teams):
    flagged = {jit.name for jit in teams if jit.past_planned_end}
    by_hand = {
        jit.name
        for jit in teams
        if jit.status != "concluded" and jit.actual_end is None and jit.current_end
        if jit.current_end < TODAY
    }
    assert flagged == by_hand and len(flagged) == 3  # expired, waiting, indonesian


def test_api_says_past_planned_end(teams, users, api):
    caller = api(users["unodc"])
    for jit in teams:
        body = caller.get(f"/api/v1/jits/{jit.id}").get_json()
        assert body["past_planned_end"] is jit.past_planned_end, jit.name
    listed = caller.get("/api/v1/jits?past_planned_end=true").get_json()["items"]
    assert {item["id"] for item in listed} == {jit.id for jit in teams if jit.past_planned_end}


def test_list_and_detail_pages_show_it(teams, users, login):
    browser = login(users["focal_point"])
    expired = next(jit for jit in teams if jit.name and jit.past_planned_end)
    page = browser.get("/jits/").get_data(as_text=True)
    row = re.search(rf"<tr>\s*<td><a href=\"/jits/{expired.id}\">.*?</tr>", page, re.S).group(0)
    assert "past planned end" in row
    assert page.count('class="badge overdue">past planned end') == 2  # not Indonesia's
    detail = browser.get(f"/jits/{expired.id}").get_data(as_text=True)
    assert "no longer counts as active" in detail


def test_dashboards_count_active_teams_by_the_definition(teams, users, login):
    assert active_by_hand(teams, "KHM") == 4 and active_by_hand(teams, "IDN") == 0
    assert figures.snapshot(users["focal_point"], "KHM", TODAY)["active_jits"] == 4
    table = figures.regional(users["unodc"], ["KHM", "THA", "IDN", "MYS"], TODAY)
    assert {c: row["active_jits"] for c, row in table.items()} == {
        c: active_by_hand(teams, c) for c in ("KHM", "THA", "IDN", "MYS")
    }
    browser = login(users["focal_point"])
    page = browser.get("/dashboard/").get_data(as_text=True)
    link = re.search(
        r'href="([^"]+)"><span class="value">(\d+)</span><span class="label">active JITs', page
    )
    assert link.group(2) == "4"
    listed = browser.get(link.group(1).replace("&amp;", "&")).get_data(as_text=True)
    assert listed.count('<tr>\n      <td><a href="/jits/') == 4


def test_briefs_count_active_teams_by_the_definition(teams, users):
    official = users["official"]  # Thailand
    brief = briefs.request_brief(
        official,
        {
            "meeting_type": "somtc",
            "title": "Active teams",
            "countries": ["THA"],
            "period_from": TODAY - days(365),
            "period_to": TODAY,
            "sections": ["jits"],
        },
    )
    assert gather(official, brief, TODAY).sections["jits"]["active"] == active_by_hand(teams, "THA")
    regional = users["unodc"]
    brief = briefs.request_brief(
        regional,
        {
            "meeting_type": "somtc",
            "title": "Active teams, region",
            "countries": list(ASEAN_MEMBERS),
            "period_from": TODAY - days(365),
            "period_to": TODAY,
            "sections": ["jits"],
        },
    )
    assert gather(regional, brief, TODAY).sections["jits"]["active"] == sum(teams.values()) == 4
