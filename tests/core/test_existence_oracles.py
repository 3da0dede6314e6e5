"""A key another country uses is no oracle: creating an MLA request, a JIT or an annual
statistic, or importing a row, as the focal point of Cambodia tells nothing about a record of
Thailand and Viet Nam, and saves nothing (docs/architecture.md §4, "Keys of other countries")."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from registry.blueprints.imports.registry import IMPORTERS
from registry.blueprints.jits.models import Jit
from registry.blueprints.meetings.models import Meeting
from registry.blueprints.mla.models import MlaRequest
from registry.blueprints.prosecutions import services as prosecutions
from registry.blueprints.prosecutions.models import AnnualStatistic, ProsecutionCase
from registry.core import importer
from tests.fixtures.clock import TODAY
from tests.jits.helpers import jit_data, make_jit
from tests.meetings.test_meetings import make_meeting
from tests.mla.helpers import make_request, request_data

SENT = TODAY - timedelta(days=30)
LAST_YEAR = TODAY.year - 1
# Words that would say another record exists.
TELLING = ("another", "already", "exists", "outside your scope", "belongs")
NEUTRAL_REFERENCE = "This reference cannot be used for a request from THA; check it with THA."
NEUTRAL_NAME = (
    "This name cannot be used; choose a more specific name (add the year or the lead country)."
)


def count(session, model):
    return session.scalar(sa.select(sa.func.count()).select_from(model))


def assert_neutral(text):
    assert not any(word in text.lower() for word in TELLING), text


@pytest.fixture
def thai_request(users):
    return make_request(
        users["admin"],
        sent=SENT,
        reference="TH/2025/1",
        requesting_country="THA",
        requested_country="VNM",
    )


def test_mla_reference_is_the_requesting_countrys_own(users, api, thai_request, session):
    """Cambodia may use Thailand's number for its own request; recording a Thai request with a
    number Thailand uses elsewhere gets a message that names no request; a number Cambodia
    already uses is named as such."""
    caller = api(users["focal_point"])
    before = count(session, MlaRequest)
    ours = caller.post(
        "/api/v1/mla-requests", json=request_data(reference="TH/2025/1", date_sent=None)
    )
    assert ours.status_code == 201, ours.get_json()
    theirs = caller.post(
        "/api/v1/mla-requests",
        json=request_data(reference="TH/2025/1", requesting_country="THA", requested_country="KHM"),
    )
    assert theirs.status_code == 422
    assert theirs.get_json()["errors"] == {"reference": [NEUTRAL_REFERENCE]}
    assert_neutral(NEUTRAL_REFERENCE)
    again = caller.post(
        "/api/v1/mla-requests",
        json=request_data(reference="TH/2025/1", requested_country="LAO"),
    )
    assert again.get_json()["errors"] == {
        "reference": ["Another request from KHM already has this reference."]
    }
    assert count(session, MlaRequest) == before + 1


def test_mla_form_shows_the_neutral_message_and_saves_nothing(users, login, thai_request, session):
    before = count(session, MlaRequest)
    page = login(users["focal_point"]).post(
        "/mla/new",
        data={
            **request_data(reference="TH/2025/1", requesting_country="THA"),
            "requested_country": "KHM",
            "requesting_authority_id": "",
            "requested_authority_id": "",
        },
    )
    assert page.status_code == 200
    assert NEUTRAL_REFERENCE in page.get_data(as_text=True)
    assert count(session, MlaRequest) == before


def test_mla_reference_rename_into_an_unseen_request_is_neutral(users, api, thai_request):
    ours = make_request(users["focal_point"], requesting_country="THA", requested_country="KHM")
    answer = api(users["focal_point"]).patch(
        f"/api/v1/mla-requests/{ours.id}",
        json={"version": ours.version, "reference": "TH/2025/1", "reason": "typo"},
    )
    assert answer.status_code == 422
    assert answer.get_json()["errors"] == {"reference": [NEUTRAL_REFERENCE]}


@pytest.fixture
def thai_team(users):
    return make_jit(
        users["admin"],
        name="Operation Mekong",
        member_countries=["THA", "VNM"],
        lead_country="THA",
    )


def test_jit_name_of_an_unseen_team_gets_a_neutral_message(users, api, login, thai_team, session):
    caller = api(users["focal_point"])
    before = count(session, Jit)
    clash = caller.post("/api/v1/jits", json=jit_data(name="operation MEKONG"))
    assert clash.status_code == 422
    assert clash.get_json()["errors"] == {"name": [NEUTRAL_NAME]}
    assert_neutral(NEUTRAL_NAME)
    page = login(users["focal_point"]).post(
        "/jits/new",
        data={
            **jit_data(name="Operation Mekong"),
            "member_countries": ["KHM", "THA"],
        },
    )
    assert NEUTRAL_NAME in page.get_data(as_text=True)
    # A team Cambodia is not a member of is refused before any name is looked for: the same
    # answer whether the name is taken or not.
    outside = {"member_countries": ["THA", "VNM"], "lead_country": "THA"}
    taken = caller.post("/api/v1/jits", json=jit_data(name="Operation Mekong", **outside))
    free = caller.post("/api/v1/jits", json=jit_data(name="Operation Nowhere", **outside))
    assert taken.status_code == free.status_code == 403
    assert taken.get_json() == free.get_json()
    assert count(session, Jit) == before


def test_jit_name_of_a_team_in_sight_keeps_the_plain_message(users, api, session):
    make_jit(users["admin"], name="Operation Tonle")
    answer = api(users["focal_point"]).post("/api/v1/jits", json=jit_data(name="Operation Tonle"))
    assert answer.get_json()["errors"] == {"name": ["Another team already has this name."]}


def _statistic(country, source="Police"):
    return {
        "country": country,
        "year": LAST_YEAR,
        "metric": "persons_prosecuted",
        "source": source,
        "total": 12,
    }


def test_statistic_of_another_country_is_refused_before_duplicates_are_looked_for(
    users, api, session
):
    prosecutions.save_statistic(users["admin"], _statistic("THA"))
    caller = api(users["focal_point"])
    before = count(session, AnnualStatistic)
    taken = caller.post("/api/v1/annual-statistics", json=_statistic("THA"))
    free = caller.post("/api/v1/annual-statistics", json=_statistic("THA", source="Courts"))
    assert taken.status_code == free.status_code == 403
    assert taken.get_json() == free.get_json()
    assert_neutral(taken.get_json()["message"])
    assert count(session, AnnualStatistic) == before


# Import dry runs: a record of Thailand and Viet Nam (made by an administrator) and, for each
# kind, a file of Cambodia's focal point with that record's row as exported, and the same row
# under a key nobody uses. Both must get the same answer.
def _thai_records(admin):
    make_request(
        admin, sent=SENT, reference="TH/2025/1", requesting_country="THA", requested_country="VNM"
    )
    make_jit(admin, name="Operation Mekong", member_countries=["THA", "VNM"], lead_country="THA")
    make_meeting(
        admin, title="Bangkok liaison", date=SENT, countries=["THA", "VNM"], host_country="THA"
    )
    prosecutions.create_case(
        admin,
        {
            "country": "THA",
            "reference": "TH-C-1",
            "crime_type": "thb",
            "stage": "investigation",
            "stage_date": SENT,
        },
        TODAY,
    )
    prosecutions.save_statistic(admin, _statistic("THA"))


# kind: (model, the column that makes a fresh key, the fresh value)
FRESH = {
    "mla": (MlaRequest, "reference", "TH/2025/99"),
    "jits": (Jit, "name", "Operation Nowhere"),
    "meetings": (Meeting, "title", "Hanoi liaison"),
    "cases": (ProsecutionCase, "reference", "TH-C-99"),
    "statistics": (AnnualStatistic, "source", "Courts"),
}


def _cells(row, columns):
    return ["" if row.get(c) is None else str(row[c]) for c in columns]


@pytest.mark.parametrize("kind", sorted(FRESH))
@pytest.mark.parametrize("save", [False, True], ids=["dry run", "save"])
def test_import_row_of_an_unseen_record_reads_as_any_row_outside_scope(kind, save, users, session):
    _thai_records(users["admin"])
    model, column, fresh = FRESH[kind]
    kind_importer = IMPORTERS[kind]
    existing = session.scalars(sa.select(model)).one()
    row = kind_importer.row(existing)
    columns = list(kind_importer.columns)
    table = [columns, _cells(row, columns), _cells({**row, column: fresh}, columns)]
    before = count(session, model)
    report = importer.run(users["focal_point"], kind_importer, table, save=save)
    seen, unseen = report.rows
    assert seen.action == unseen.action == "refused"
    assert seen.errors == unseen.errors
    for _field, message in seen.errors:
        assert_neutral(message)
    assert count(session, model) == before


@pytest.mark.parametrize(
    "kind, change, message",
    [
        ("mla", {"requested_country": "KHM"}, ("reference", NEUTRAL_REFERENCE)),
        ("jits", {"member_countries": "KHM;THA"}, ("name", NEUTRAL_NAME)),
    ],
)
def test_import_row_in_scope_under_an_unseen_key_gets_the_neutral_message(
    kind, change, message, users, session
):
    """Cambodia's own row whose key another country's record holds: the same message as the
    form, and nothing saved."""
    _thai_records(users["admin"])
    model = FRESH[kind][0]
    kind_importer = IMPORTERS[kind]
    row = kind_importer.row(session.scalars(sa.select(model)).one()) | change
    columns = list(kind_importer.columns)
    before = count(session, model)
    report = importer.run(
        users["focal_point"], kind_importer, [columns, _cells(row, columns)], save=True
    )
    assert [(r.action, r.errors) for r in report.rows] == [("refused", [message])]
    assert count(session, model) == before


def test_meeting_of_the_same_date_and_title_is_another_meeting(users, session):
    """Meetings have no unique key: Cambodia's own meeting under a date and title that a
    meeting of other countries uses is simply created, and the other one is left alone."""
    _thai_records(users["admin"])
    theirs = session.scalars(sa.select(Meeting)).one()
    meetings = IMPORTERS["meetings"]
    row = meetings.row(theirs) | {"countries": "KHM;THA", "host_country": "KHM"}
    columns = list(meetings.columns)
    report = importer.run(users["focal_point"], meetings, [columns, _cells(row, columns)], True)
    assert [r.action for r in report.rows] == ["created"]
    session.refresh(theirs)
    assert theirs.countries == ["THA", "VNM"] and count(session, Meeting) == 2
