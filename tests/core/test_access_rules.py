"""Who may see and change a record: the can_* rules and what a user is shown of a person.

A country code alone never grants a right: only a focal point's country does, and an official
(aggregates only) reads no case-level record even of their own country.
"""

import pytest

from registry.blueprints.jits import services as jits
from registry.blueprints.meetings import services as meetings
from registry.blueprints.mla import services as mla
from registry.blueprints.training import services as training
from tests.factories import AgencyFactory, UserFactory
from tests.jits.helpers import make_jit
from tests.mla.helpers import TODAY, make_request
from tests.training.helpers import make_person

_n = iter(range(1, 10**6))


def make_meeting(actor, countries):
    return meetings.create_meeting(
        actor,
        {
            "type": "police_to_police",
            "title": f"Access meeting {next(_n)}",
            "date": TODAY,
            "countries": countries,
        },
    )


# Officials read aggregates only, even for their own country.


def test_an_official_cannot_open_an_mla_request_of_their_own_country(users):
    req = make_request(users["admin"], sent=TODAY)  # KHM → THA; the official is of THA
    assert not mla.can_view(users["official"], req)
    assert mla.can_view(users["focal_point"], req)
    assert mla.can_view(users["auditor"], req)


def test_an_official_cannot_open_a_meeting_or_a_jit_of_their_own_country(users):
    meeting = make_meeting(users["unodc"], ["KHM", "THA"])
    jit = make_jit(users["admin"], member_countries=["KHM", "THA"])
    assert not meetings.can_view(users["official"], meeting)
    assert not jits.can_view(users["official"], jit)
    assert meetings.can_view(users["focal_point"], meeting)
    assert jits.can_view(users["focal_point"], jit)


# Editing: administrators (and UNODC for meetings) everywhere, a focal point for their country.


def test_only_a_focal_point_of_a_member_country_edits_a_meeting_besides_unodc_and_admins(users):
    meeting = make_meeting(users["unodc"], ["THA", "LAO"])
    assert not meetings.can_edit(users["official"], meeting)  # of THA, but an official
    assert not meetings.can_edit(users["focal_point"], meeting)  # a focal point, of KHM
    assert meetings.can_edit(UserFactory(role="focal_point", country_code="THA"), meeting)
    assert meetings.can_edit(users["unodc"], meeting)
    assert meetings.can_edit(users["admin"], meeting)
    assert not meetings.can_edit(users["auditor"], meeting)


def test_only_a_focal_point_of_a_member_country_edits_a_jit_besides_admins(users):
    jit = make_jit(users["admin"], member_countries=["THA", "LAO"], lead_country="THA")
    assert not jits.can_edit(users["official"], jit)  # of THA, but an official
    assert not jits.can_edit(users["focal_point"], jit)  # a focal point, of KHM
    assert not jits.can_edit(UserFactory(role="auditor", country_code="THA"), jit)
    assert jits.can_edit(UserFactory(role="focal_point", country_code="LAO"), jit)
    assert jits.can_edit(users["admin"], jit)
    assert not jits.can_edit(users["unodc"], jit)


# Personal data of practitioners.


@pytest.mark.parametrize(
    "role, country_code, allowed",
    [
        ("focal_point", "THA", True),
        ("focal_point", "KHM", False),  # a focal point, of another country
        ("official", "THA", False),  # of the country, but not a focal point
        ("auditor", "THA", False),
        ("unodc", None, True),
        ("unodc", "KHM", True),
        ("admin", None, True),
    ],
)
def test_names_of_a_countrys_practitioners_are_for_its_focal_point_unodc_and_admins(
    session, role, country_code, allowed
):
    user = UserFactory(role=role, country_code=country_code)
    assert training.can_see_names(user, "THA") is allowed


def test_a_focal_point_sees_their_countrys_practitioner_and_agency_by_name(users):
    agency = AgencyFactory(country_code="KHM", name="Phnom Penh Anti-Trafficking Police")
    person = make_person(users["unodc"], name="Dara Sok", agency_id=agency.id)
    assert training.shown_person(users["focal_point"], person) == {
        "name": "Dara Sok",
        "agency": "Phnom Penh Anti-Trafficking Police",
    }


def test_a_practitioner_without_an_agency_is_shown_with_an_empty_agency(users):
    person = make_person(users["unodc"], name="Dara Sok")
    assert training.shown_person(users["focal_point"], person) == {"name": "Dara Sok", "agency": ""}
    assert training.shown_person(users["official"], person) == {
        "name": training.RESTRICTED,
        "agency": "",
    }


def test_others_see_restricted_and_the_agency_type_only(users):
    agency = AgencyFactory(country_code="THA", name="Royal Thai Police DSI", type="police")
    person = make_person(users["unodc"], name="Somchai", country="THA", agency_id=agency.id)
    shown = training.shown_person(users["official"], person)  # the official is of THA
    assert shown == {"name": "restricted", "agency": agency.type_label}
    assert shown["agency"] and shown["agency"] != agency.name
    assert training.shown_person(users["focal_point"], person)["name"] == "restricted"
