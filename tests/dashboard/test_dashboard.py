"""Dashboards: figures computed a second way on known records, scope, corridor."""

from datetime import date, timedelta

from registry.blueprints.dashboard import figures
from registry.blueprints.jits import services as jits
from tests.fixtures.clock import TODAY
from tests.mla.helpers import make_request


def test_regional_table_on_known_records(users):
    admin = users["admin"]
    make_request(admin, sent=TODAY - timedelta(days=200))  # KHM->THA pending, overdue
    make_request(
        admin, sent=TODAY - timedelta(days=10), requesting_country="THA", requested_country="KHM"
    )
    make_request(
        admin, sent=TODAY - timedelta(days=10), requesting_country="IDN", requested_country="MYS"
    )
    jits.create_jit(
        admin,
        {
            "name": "J",
            "type": "mixed",
            "member_countries": ["KHM", "LAO"],
            "lead_country": "KHM",
            "legal_basis": "actip",
            "agreement_signed": TODAY - timedelta(days=3),
        },
    )
    table = figures.regional(users["unodc"], ["KHM", "THA", "IDN", "LAO"], TODAY)
    assert (table["KHM"]["pending"], table["KHM"]["overdue"]) == (2, 1)
    assert (table["THA"]["pending"], table["IDN"]["pending"], table["LAO"]["pending"]) == (2, 1, 0)
    assert table["KHM"]["active_jits"] == 0  # established, not yet active


def test_focal_point_dashboard_counts_only_own_country(login, users):
    admin = users["admin"]
    make_request(admin, sent=TODAY - timedelta(days=5))
    make_request(
        admin, sent=TODAY - timedelta(days=5), requesting_country="IDN", requested_country="MYS"
    )
    snapshot = figures.snapshot(users["focal_point"], "KHM", TODAY)
    assert snapshot["ages"]["pending"] == 1
    page = login(users["focal_point"]).get("/dashboard/").get_data(as_text=True)
    assert "Cambodia at a glance" in page and "Regional overview" not in page


def test_official_sees_aggregates_and_brief_entry(login, users):
    page = login(users["official"]).get("/dashboard/").get_data(as_text=True)
    assert "Prepare a brief" in page and "Regional overview" in page and "/mla/?" not in page


def test_corridor_both_ways(login, users):
    admin = users["admin"]
    make_request(admin, sent=date(2025, 1, 1), final=date(2025, 1, 31))
    make_request(
        admin,
        sent=date(2025, 1, 1),
        final=date(2025, 3, 2),
        requesting_country="THA",
        requested_country="KHM",
    )
    data = figures.corridor(users["unodc"], "KHM", "THA", TODAY)
    assert data["directions"][("KHM", "THA")]["answered"]["median_days"] == 30.0
    assert data["directions"][("THA", "KHM")]["answered"]["median_days"] == 60.0
    assert login(users["focal_point"]).get("/dashboard/corridor?a=IDN&b=MYS").status_code == 404
    assert login(users["unodc"]).get("/dashboard/corridor?a=KHM&b=KHM").status_code == 400
