"""Least-privilege defaults: nothing powerful or arbitrary is preselected."""

import re
from datetime import date

import sqlalchemy as sa

from registry.blueprints.auth.models import User
from registry.blueprints.prosecutions import services as cases
from tests.fixtures.clock import TODAY


def selected(html, name):
    """The value the browser would send for a <select name=...> left as it is."""
    block = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', html, re.S).group(1)
    chosen = re.search(
        r'<option[^>]*selected[^>]*value="([^"]*)"|<option[^>]*value="([^"]*)"[^>]*selected', block
    )
    first = re.search(r'<option[^>]*value="([^"]*)"', block)
    return next(g for g in chosen.groups() if g is not None) if chosen else first.group(1)


def test_new_account_has_no_role_until_one_is_chosen(login, users, session):
    browser = login(users["admin"])
    assert selected(browser.get("/admin/users/new").get_data(as_text=True), "role") == ""
    before = session.scalar(sa.select(sa.func.count(User.id)))
    refused = browser.post(
        "/admin/users/new",
        data={"email": "new@registry.example.org", "role": "", "password": "a long pass phrase 42"},
    )
    assert "Choose the account&#39;s role." in refused.get_data(as_text=True) or (
        "Choose the account's role." in refused.get_data(as_text=True)
    )
    assert session.scalar(sa.select(sa.func.count(User.id))) == before


def test_no_country_is_preselected_for_the_requested_side_or_victims(login, users, session):
    browser = login(users["focal_point"])
    assert selected(browser.get("/mla/new").get_data(as_text=True), "requested_country") == ""
    case = cases.create_case(
        users["unodc"],
        {
            "country": "KHM",
            "reference": "KH-DEFAULTS-1",
            "crime_type": "thb",
            "stage": "investigation",
            "stage_date": date(2025, 2, 1),
        },
        TODAY,
    )
    session.commit()
    page = browser.get(f"/prosecutions/{case.id}").get_data(as_text=True)
    victims = page[page.index("/victims") :]
    assert selected(victims, "nationality") == ""


def test_reconciliation_opens_on_the_users_country_or_asks(login, users):
    own = login(users["focal_point"]).get("/prosecutions/reconciliation").get_data(as_text=True)
    assert selected(own, "country") == "KHM" or 'value="KHM" selected' in own
    assert "Cambodia" in own and "choose-country" not in own
    regional = login(users["unodc"]).get("/prosecutions/reconciliation").get_data(as_text=True)
    assert "choose-country" in regional and "nothing reported" not in regional
