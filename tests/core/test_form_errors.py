"""Long forms report every problem on the first submit, summarised at the top with links to
the fields; a section holding an error is open; a save says what it saved."""

import re
from datetime import date

import sqlalchemy as sa

from registry.blueprints.jits.models import Jit
from registry.blueprints.prosecutions import services as cases
from registry.blueprints.prosecutions.models import Defendant
from tests.fixtures.clock import TODAY


def summary_links(html):
    block = re.search(r'<div class="error-summary".*?</div>', html, re.S)
    assert block, "no error summary at the top"
    return re.findall(r'<a href="#([\w-]+)">', block.group(0))


def test_jit_form_reports_the_forms_and_the_services_problems_at_once(login, users, session):
    response = login(users["focal_point"]).post(
        "/jits/new",
        data={
            "name": "Solo",
            "type": "mixed",
            "member_countries": ["KHM"],  # the service's rule: two or more
            "lead_country": "KHM",
            "legal_basis": "actip",
            "arrests": "-3",  # the form's rule
        },
    )
    html = response.get_data(as_text=True)
    assert "Cannot be negative." in html and "two or more member countries" in html
    links = summary_links(html)
    assert "arrests" in links and "member_countries" in links
    assert all(f'id="{anchor}"' in html for anchor in links)
    assert session.scalar(sa.select(sa.func.count(Jit.id))) == 0


def test_case_form_shows_every_problem_and_a_summary(login, users, session):
    response = login(users["focal_point"]).post(
        "/prosecutions/new",
        data={
            "country": "KHM",
            "reference": "",
            "crime_type": "thb",
            "stage": "trial",
            "stage_date": "2025-03-01",
            "prosecution_started": "2025-04-01",  # after the trial: the service refuses it
        },
    )
    html = response.get_data(as_text=True)
    assert "Enter the case reference." in html and "after the trial date" in html
    assert {"reference", "prosecution_started"} <= set(summary_links(html))


def test_defendant_error_opens_its_section_and_a_save_says_what(login, users, session):
    case = cases.create_case(
        users["unodc"],
        {
            "country": "KHM",
            "reference": "KH-FORM-1",
            "crime_type": "thb",
            "stage": "prosecution",
            "stage_date": date(2025, 2, 1),
        },
        TODAY,
    )
    session.commit()
    browser = login(users["focal_point"])
    bad = browser.post(
        f"/prosecutions/{case.id}/defendants",
        data={"sex": "male", "outcome": "convicted", "sentence_months": "-5", "nationality": ""},
    )
    html = bad.get_data(as_text=True)
    assert bad.status_code == 422
    assert re.search(r"<details open><summary>Add a defendant", html)
    assert "sentence_months" in summary_links(html)
    assert session.scalar(sa.select(sa.func.count(Defendant.id))) == 0
    good = browser.post(
        f"/prosecutions/{case.id}/defendants",
        data={"sex": "male", "outcome": "convicted", "sentence_months": "30", "nationality": ""},
        follow_redirects=True,
    )
    assert "Defendant added (male, convicted)." in good.get_data(as_text=True)
    assert "<details open>" not in good.get_data(as_text=True)
