"""A year of a country's records goes out and comes back identically through the pages, the
API and the command line: the three exports are the same file, an empty registry that imports
it exports the same file again, and importing it once more changes nothing."""

import io
from datetime import date

import pytest
import sqlalchemy as sa

from registry.blueprints.jits import services as jits
from registry.blueprints.jits.models import Jit
from registry.blueprints.meetings.models import Meeting
from registry.blueprints.mla.models import MlaRequest
from registry.blueprints.prosecutions import services as prosecutions
from registry.blueprints.prosecutions.models import AnnualStatistic, ProsecutionCase
from tests.meetings.test_meetings import make_meeting
from tests.mla.helpers import make_request

YEAR = {"country": "KHM", "year": "2025"}
KINDS = {
    "mla": ("/mla/export", MlaRequest),
    "jits": ("/jits/export", Jit),
    "meetings": ("/meetings/export", Meeting),
    "cases": ("/prosecutions/cases", ProsecutionCase),
    "statistics": ("/prosecutions/statistics", AnnualStatistic),
}


@pytest.fixture
def year_of_records(users):
    """Cambodia's 2025 records of every kind, and one record of another year or country each;
    two of the requests, from different countries, share a reference."""
    admin = users["admin"]
    make_request(admin, sent=date(2025, 2, 3), final=date(2025, 5, 4), summary="Bank records")
    make_request(admin, sent=date(2025, 3, 1), requested_country="VNM")
    make_request(admin, sent=date(2025, 4, 1), final=date(2025, 6, 1), final_status="refused")
    make_request(admin, sent=date(2024, 4, 1))
    # A reference is the requesting country's own: two countries' requests may share one.
    for requesting, requested in (("KHM", "LAO"), ("THA", "KHM")):
        make_request(
            admin,
            sent=date(2025, 8, 1),
            reference="MLA/2025/7",
            requesting_country=requesting,
            requested_country=requested,
        )
    for name, signed, victims in (("Mekong", date(2025, 3, 1), 0), ("Delta", date(2025, 7, 1), 12)):
        jits.create_jit(
            admin,
            {
                "name": f"Operation {name}",
                "type": "mixed",
                "member_countries": ["KHM", "THA"],
                "lead_country": "KHM",
                "legal_basis": "actip",
                "agreement_signed": signed,
                "victims_female_adult": victims,
                "arrests": 4,
            },
        )
    make_meeting(admin, title="Border liaison", date=date(2025, 5, 1), host_country="KHM")
    make_meeting(
        admin, type="ctu_heads", title="Heads", date=date(2025, 9, 9), countries=["KHM", "LAO"]
    )
    make_meeting(admin, title="Earlier", date=date(2024, 5, 1))
    for reference, stage, on, prosecuted in (
        ("KH-2025-1", "prosecution", date(2025, 2, 1), None),
        ("KH-2025-2", "verdict", date(2025, 8, 1), date(2025, 3, 1)),
        ("KH-2025-3", "trial", date(2025, 10, 1), date(2025, 4, 1)),
    ):
        prosecutions.create_case(
            admin,
            {
                "country": "KHM",
                "reference": reference,
                "crime_type": "thb",
                "stage": stage,
                "stage_date": on,
                "prosecution_started": prosecuted,
                "exploitation_forms": ["forced_criminality"],
                "cyber_enabled": True,
            },
        )
    for metric, source, total in (
        ("persons_prosecuted", "Police", 40),
        ("persons_prosecuted", "Courts", 37),
        ("persons_convicted", "Courts", 21),
    ):
        prosecutions.save_statistic(
            admin,
            {"country": "KHM", "year": 2025, "metric": metric, "source": source, "total": total},
        )
    prosecutions.save_statistic(
        admin,
        {"country": "THA", "year": 2025, "metric": "persons_prosecuted", "source": "P", "total": 9},
    )


def three_exports(kind, focal, login, api, app, tmp_path):
    url, _model = KINDS[kind]
    query = "&".join(f"{k}={v}" for k, v in YEAR.items())
    page = login(focal).get(f"{url}.csv?{query}").data
    through_api = api(focal).get(f"/api/v1/exports?kind={kind}&{query}").data
    path = tmp_path / f"{kind}.csv"
    filters = [arg for k, v in YEAR.items() for arg in ("--filter", f"{k}={v}")]
    result = app.test_cli_runner().invoke(
        args=["export", kind, str(path), "--as", focal.email, *filters]
    )
    assert result.exit_code == 0, result.output
    return page, through_api, path.read_bytes()


@pytest.mark.parametrize("kind", list(KINDS))
def test_a_year_goes_out_and_comes_back_identically(
    kind, year_of_records, users, login, api, app, session, tmp_path
):
    focal = users["focal_point"]
    page, through_api, cli = three_exports(kind, focal, login, api, app, tmp_path)
    assert page == through_api == cli
    lines = page.decode("utf-8-sig").splitlines()
    assert len(lines) - 1 == {"mla": 5, "jits": 2, "meetings": 2, "cases": 3, "statistics": 3}[kind]
    session.execute(sa.delete(KINDS[kind][1].__table__))  # an empty registry receives the file
    imported = api(focal).post(
        f"/api/v1/imports?kind={kind}&save=true",
        data={"file": (io.BytesIO(page), f"{kind}.csv")},
        content_type="multipart/form-data",
    )
    summary = imported.get_json()["summary"]
    assert (summary["created"], summary["refused"]) == (len(lines) - 1, 0), imported.get_json()
    session.expire_all()
    assert three_exports(kind, focal, login, api, app, tmp_path) == (page, page, page)
    again = app.test_cli_runner().invoke(
        args=["import", kind, str(tmp_path / f"{kind}.csv"), "--as", focal.email, "--save"]
    )
    assert f"unchanged {len(lines) - 1}, refused 0" in again.output


def test_exports_refuse_roles_that_cannot_read_the_records(users, api, app, tmp_path):
    assert api(users["official"]).get("/api/v1/exports?kind=mla").status_code == 403
    result = app.test_cli_runner().invoke(
        args=["export", "cases", str(tmp_path / "c.csv"), "--as", users["official"].email]
    )
    assert result.exit_code != 0 and "cannot read" in result.output
    assert api(users["auditor"]).get("/api/v1/exports?kind=statistics").status_code == 200
    assert api(users["unodc"]).get("/api/v1/exports?kind=mla&year=1700").status_code == 422
