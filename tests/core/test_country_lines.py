"""Nothing crosses a country's line on the ways out the scope walker does not reach by itself:
names in a training's participants, participant uploads, a brief's prosecutions section,
victim counts in statistics exports, linked records; and link changes are audited."""

import csv
import io
from datetime import timedelta

import pytest
import sqlalchemy as sa
from pypdf import PdfReader

from registry.blueprints.briefs import content as brief_content
from registry.blueprints.briefs import services as brief_services
from registry.blueprints.jits.models import Jit
from registry.blueprints.prosecutions import services as case_services
from registry.blueprints.training import services as training_services
from registry.core.audit import AuditEvent
from registry.core.columns import utcnow
from tests.factories import AgencyFactory, UserFactory
from tests.fixtures.clock import TODAY
from tests.jits.helpers import make_jit
from tests.mla.helpers import make_request
from tests.training.helpers import csv_bytes, make_person, make_training


@pytest.fixture
def regional_course(users):
    """A course held in Viet Nam with a Vietnamese and a Cambodian participant."""
    unodc = users["unodc"]
    training = make_training(unodc, country="VNM", title="Regional course")
    vn_agency = AgencyFactory(country_code="VNM", name="VN Police Dept C03")
    kh_agency = AgencyFactory(country_code="KHM", name="KH Anti-Trafficking Police")
    people = {
        "VNM": make_person(unodc, name="Nguyen Thi Lan", country="VNM", agency_id=vn_agency.id),
        "KHM": make_person(unodc, name="Sok Dara", country="KHM", agency_id=kh_agency.id),
    }
    for person in people.values():
        training_services.add_participation(
            unodc, training, person, {"pre_score": 40, "post_score": 70, "completed": True}
        )
    return training, people


def focal(country):
    return UserFactory(role="focal_point", country_code=country)


@pytest.mark.parametrize(
    "viewer, named, hidden",
    [
        ("VNM", ["Nguyen Thi Lan", "VN Police Dept C03"], ["Sok Dara", "KH Anti-Trafficking"]),
        ("KHM", ["Sok Dara", "KH Anti-Trafficking Police"], ["Nguyen Thi Lan", "VN Police Dept"]),
        ("unodc", ["Sok Dara", "Nguyen Thi Lan"], []),
        ("auditor", [], ["Sok Dara", "Nguyen Thi Lan", "VN Police Dept", "KH Anti-Trafficking"]),
    ],
)
def test_names_follow_the_practitioners_country_not_the_trainings(
    login, users, regional_course, viewer, named, hidden
):
    training, _people = regional_course
    user = users[viewer] if viewer in users else focal(viewer)
    browser = login(user)
    page = browser.get(f"/training/{training.id}")
    if viewer == "KHM":  # a Cambodian focal point does not see Viet Nam's training at all
        assert page.status_code == 404
        return
    exported = browser.get(f"/training/{training.id}/participants.csv").get_data(as_text=True)
    rows = list(csv.DictReader(io.StringIO(exported)))
    for text in (page.get_data(as_text=True), exported):
        for value in named:
            assert value in text
        for value in hidden:
            assert value not in text
    assert sorted(r["name"] for r in rows if r["name"] != "restricted") == sorted(
        n for n in named if n in ("Sok Dara", "Nguyen Thi Lan")
    )
    restricted = [r for r in rows if r["name"] == "restricted"]
    assert all(r["agency"] == "Police unit" for r in restricted)  # the agency's type only


def test_restricted_person_gets_no_certificate_link_or_certificate(login, regional_course):
    training, people = regional_course
    browser = login(focal("VNM"))
    page = browser.get(f"/training/{training.id}").get_data(as_text=True)
    participation = {p.practitioner_id: p.id for p in training_services.participants(training)}
    assert f"/participations/{participation[people['VNM'].id]}/certificate.pdf" in page
    assert f"/participations/{participation[people['KHM'].id]}/certificate.pdf" not in page
    denied = browser.get(
        f"/training/participations/{participation[people['KHM'].id]}/certificate.pdf"
    )
    assert denied.status_code == 403


def _participation_of(training, person):
    return next(
        p for p in training_services.participants(training) if p.practitioner_id == person.id
    )


def test_own_practitioner_in_another_countrys_course_opens_with_certificate(
    api, login, regional_course, session
):
    """Cambodia's focal point: the Cambodian's participation in Viet Nam's course is in scope
    through the practitioner, so it opens with its certificate; the scores are Viet Nam's to
    record; the Vietnamese's participation stays out of sight."""
    training, people = regional_course
    khm = focal("KHM")
    ours = _participation_of(training, people["KHM"])
    theirs = _participation_of(training, people["VNM"])
    caller = api(khm)
    opened = caller.get(f"/api/v1/participations/{ours.id}")
    assert opened.status_code == 200
    assert opened.get_json()["practitioner_id"] == people["KHM"].id
    listed = [p["id"] for p in caller.get("/api/v1/participations").get_json()["items"]]
    assert listed == [ours.id]
    assert caller.get(f"/api/v1/participations/{theirs.id}").status_code == 404
    version = ours.version
    refused = caller.patch(
        f"/api/v1/participations/{ours.id}",
        json={"version": version, "post_score": 90, "reason": "recount"},
    )
    assert refused.status_code == 403
    session.expire_all()
    assert (ours.post_score, ours.version) == (70, version)
    certificate = login(khm).get(f"/training/participations/{ours.id}/certificate.pdf")
    assert certificate.status_code == 200
    assert "Sok Dara" in PdfReader(io.BytesIO(certificate.data)).pages[0].extract_text()
    assert (
        login(khm).get(f"/training/participations/{theirs.id}/certificate.pdf").status_code == 404
    )


def test_course_country_opens_a_foreign_participation_without_the_person(
    api, login, regional_course, session
):
    """Viet Nam's focal point: the Cambodian's participation in Viet Nam's course opens and its
    scores can be changed, but the person stays restricted: no name in the answer, no person
    record, no certificate (it prints the name)."""
    training, people = regional_course
    vnm = focal("VNM")
    ours = _participation_of(training, people["KHM"])
    caller = api(vnm)
    opened = caller.get(f"/api/v1/participations/{ours.id}")
    assert opened.status_code == 200
    assert "Sok Dara" not in opened.get_data(as_text=True)
    assert caller.get(f"/api/v1/practitioners/{people['KHM'].id}").status_code == 404
    changed = caller.patch(
        f"/api/v1/participations/{ours.id}",
        json={"version": ours.version, "post_score": 90, "reason": "recount"},
    )
    assert changed.status_code == 200
    assert changed.get_json()["post_score"] == 90
    page = login(vnm).get(f"/training/{training.id}").get_data(as_text=True)
    assert "Sok Dara" not in page and "restricted" in page
    denied = login(vnm).get(f"/training/participations/{ours.id}/certificate.pdf")
    assert denied.status_code == 403
    assert b"Sok Dara" not in denied.data


def test_upload_refuses_other_countries_people_alike_whether_they_exist_or_not(
    login, regional_course, session
):
    training, people = regional_course
    browser = login(focal("VNM"))
    rows = [
        ["Sok Dara", "male", "", "investigator", "KHM", "40", "70"],  # exists in Cambodia
        ["Invented Person", "male", "", "investigator", "KHM", "40", "70"],  # does not
    ]
    before = session.scalar(sa.select(sa.func.max(AuditEvent.seq)))
    preview = browser.post(
        f"/training/{training.id}/upload",
        data={"file": (io.BytesIO(csv_bytes(rows)), "list.csv")},
        content_type="multipart/form-data",
    ).get_data(as_text=True)
    message = "You can add practitioners of your own country only"
    assert preview.count(message) == 2
    assert "Sok Dara" in preview  # the uploader's own file, shown back to them
    pending = session.scalars(
        sa.text("SELECT id FROM participant_upload ORDER BY id DESC LIMIT 1")
    ).first()
    browser.post(f"/training/{training.id}/upload/{pending}/confirm")
    session.expire_all()
    assert len(training_services.participants(training)) == 2  # nobody attached
    created = session.scalars(
        sa.select(AuditEvent.object_type).where(
            AuditEvent.seq > before, AuditEvent.action == "create"
        )
    ).all()
    assert "Participation" not in created and "Practitioner" not in created


@pytest.fixture
def cases_in_two_countries(users):
    """A case investigated and prosecuted in each of Cambodia and Thailand inside the period, and
    one in Thailand prosecuted the year before: persons by sex, victims 3 and 7."""
    admin = users["admin"]
    inside = TODAY - timedelta(days=60)
    made = {}
    for country, reference, started, victims in (
        ("KHM", "KH-1", inside, 3),
        ("THA", "TH-1", inside, 7),
        ("THA", "TH-OLD", inside - timedelta(days=400), 9),
    ):
        case = case_services.create_case(
            admin,
            {
                "country": country,
                "reference": reference,
                "crime_type": "thb",
                "stage": "prosecution",
                "stage_date": started,
                "investigation_started": started - timedelta(days=20),
            },
            TODAY,
        )
        for sex in ("female", "male", "male"):
            case_services.add_defendant(admin, case, {"sex": sex})
        case_services.set_victim_count(
            admin,
            case,
            {"sex": "female", "age_group": "adult", "nationality": country, "count": victims},
        )
        made[reference] = case
    return made


@pytest.mark.parametrize(
    "asker, countries",
    [("official", {"THA"}), ("focal_point", {"KHM"}), ("unodc", None)],
)
def test_brief_prosecutions_in_the_askers_scope_and_the_briefs_period(
    users, cases_in_two_countries, asker, countries
):
    user = users[asker]
    period = {"period_from": TODAY - timedelta(days=180), "period_to": TODAY}
    brief = brief_services.request_brief(
        user, {"meeting_type": "somtc", "countries": "all", "sections": ["prosecutions"], **period}
    )
    section = brief_content.gather(user, brief, TODAY).sections["prosecutions"]
    if countries is None:  # regional: every member, and only Cambodia and Thailand had cases
        assert len(section["countries"]) == 11 and section["left_out"] == 0
        countries = {"KHM", "THA"}
    else:
        assert set(section["countries"]) == countries
        assert section["left_out"] == 11 - len(countries)
    # By hand: each in-period case has 3 defendants (1 woman, 2 men) and its victims; TH-OLD
    # is before the period and counts nowhere.
    victims = {"KHM": 3, "THA": 7}
    expected = {
        (c, metric): {"total": 3, "female": 1, "male": 2}
        for c in countries
        # each in-period case's investigation started 20 days before its prosecution
        for metric in ("persons_investigated", "persons_prosecuted")
    } | {
        (c, "victims_identified"): {"total": victims[c], "female": victims[c], "male": 0}
        for c in countries
    }
    assert section["totals"] == expected


def test_small_victim_counts_leave_no_export_of_statistics(login, api, users):
    admin = users["admin"]
    year = TODAY.year - 1
    for metric, total, female, male in (
        ("victims_identified", 3, 2, 1),
        ("persons_prosecuted", 3, 2, 1),
    ):
        case_services.save_statistic(
            admin,
            {
                "country": "KHM",
                "year": year,
                "metric": metric,
                "source": "police",
                "total": total,
                "female": female,
                "male": male,
            },
        )
    exports = {
        "csv": login(users["unodc"]).get("/prosecutions/statistics.csv").get_data(as_text=True),
        "api": api(users["auditor"])
        .get("/api/v1/exports?kind=statistics&format=csv")
        .get_data(as_text=True),
    }
    for text in exports.values():
        rows = {r["metric"]: r for r in csv.DictReader(io.StringIO(text))}
        victims, people = rows["victims_identified"], rows["persons_prosecuted"]
        assert (victims["total"], victims["female"], victims["male"]) == ("<5", "<5", "<5")
        assert (people["total"], people["female"], people["male"]) == ("3", "2", "1")


def test_linked_requests_outside_scope_are_not_named_and_survive_an_edit(
    login, api, users, session
):
    admin, khm = users["admin"], users["focal_point"]
    theirs = make_request(admin, requesting_country="VNM", requested_country="THA")
    ours = make_request(admin, requesting_country="KHM", requested_country="THA")
    jit = make_jit(admin, mla_request_ids=[theirs.id, ours.id])
    page = login(khm).get(f"/jits/{jit.id}").get_data(as_text=True)
    assert ours.reference in page and theirs.reference not in page
    assert api(khm).get(f"/api/v1/jits/{jit.id}").get_json()["mla_request_ids"] == [ours.id]
    version = jit.version
    saved = api(khm).patch(
        f"/api/v1/jits/{jit.id}",
        json={"version": version, "mla_request_ids": [], "reason": "wrong link"},
    )
    assert saved.status_code == 200, saved.get_json()
    session.expire_all()
    kept = session.get(Jit, jit.id)
    assert [r.id for r in kept.mla_requests] == [theirs.id]  # only what the editor could see went
    assert kept.version == version + 1
    event = session.scalars(
        sa.select(AuditEvent)
        .where(AuditEvent.object_type == "Jit", AuditEvent.object_id == str(jit.id))
        .order_by(AuditEvent.seq.desc())
    ).first()
    assert event.changes["mla_requests"] == [sorted([theirs.id, ours.id]), [theirs.id]]
    assert event.occurred_at <= utcnow()
