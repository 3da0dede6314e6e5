"""Trainings, scores, improvement, duplicates and merge, personal data, certificate."""

import io

import pytest
import sqlalchemy as sa
from pypdf import PdfReader

from registry.blueprints.training import services
from registry.blueprints.training.models import Participation, Practitioner
from registry.core import audit
from registry.core.audit import AuditEvent
from registry.core.errors import Forbidden, ValidationFailed
from registry.core.settings import Setting
from tests.training.helpers import make_person, make_training


@pytest.mark.parametrize(
    "pre, post, field", [(-1, 50, "pre_score"), (50, 101, "post_score"), ("abc", 50, "pre_score")]
)
def test_scores_must_be_0_to_100(users, pre, post, field):
    training, person = make_training(users["unodc"]), make_person(users["unodc"])
    with pytest.raises(ValidationFailed) as caught:
        services.add_participation(
            users["unodc"], training, person, {"pre_score": pre, "post_score": post}
        )
    assert field in caught.value.errors


def test_lower_post_score_is_allowed_and_not_improved(users):
    p = services.add_participation(
        users["unodc"],
        make_training(users["unodc"]),
        make_person(users["unodc"]),
        {"pre_score": 60, "post_score": 55},
    )
    assert p.gain == -5 and not p.improved(10)


def test_improvement_at_exactly_the_threshold_counts(users, session):
    training = make_training(users["unodc"])
    at = services.add_participation(
        users["unodc"],
        training,
        make_person(users["unodc"], name="A"),
        {"pre_score": 40, "post_score": 50},
    )
    below = services.add_participation(
        users["unodc"],
        training,
        make_person(users["unodc"], name="B"),
        {"pre_score": 40, "post_score": 49},
    )
    assert at.improved(10) and not below.improved(10)
    improved_ids = set(
        session.scalars(sa.select(Participation.id).where(Participation.improved_clause(10)))
    )
    assert improved_ids == {at.id}
    audit.act_as(audit.SYSTEM)
    session.add(Setting(key="IMPROVEMENT_THRESHOLD", value=11))
    session.flush()
    from registry.core import settings

    assert settings.get("IMPROVEMENT_THRESHOLD") == 11 and not at.improved(
        settings.get("IMPROVEMENT_THRESHOLD")
    )


def test_training_rules(users):
    with pytest.raises(ValidationFailed) as caught:
        make_training(users["unodc"], topics=[], end_date=None)
    assert {"topics", "end_date"} <= set(caught.value.errors)
    with pytest.raises(Forbidden):
        make_training(users["focal_point"], country="THA")


def test_duplicate_is_flagged_and_merge_keeps_participations(users, session):
    unodc = users["unodc"]
    first = make_person(unodc, name="Sokha  Chan")
    second, duplicates = services.create_practitioner(
        unodc, {"name": "sokha chan", "sex": "female", "country": "KHM", "role_type": "police"}
    )
    assert [d.id for d in duplicates] == [first.id]
    t1, t2 = make_training(unodc), make_training(unodc, title="OSINT")
    services.add_participation(unodc, t1, first, {"pre_score": 40})
    services.add_participation(
        unodc, t1, second, {"pre_score": 40, "post_score": 70, "completed": True}
    )
    services.add_participation(unodc, t2, second, {"pre_score": 30, "post_score": 45})
    with pytest.raises(Forbidden):
        services.merge(users["focal_point"], first, second, "same person")
    services.merge(unodc, first, second, "same person, two spellings")
    rows = session.scalars(
        sa.select(Participation)
        .where(Participation.practitioner_id == first.id)
        .order_by(Participation.training_id)
    ).all()
    assert [(r.training_id, r.post_score) for r in rows] == [(t1.id, 70), (t2.id, 45)]
    assert session.get(Practitioner, second.id) is None
    assert list(services.duplicate_groups(unodc)) == []
    event = session.scalars(
        sa.select(AuditEvent).where(
            AuditEvent.object_type == "Practitioner", AuditEvent.action == "delete"
        )
    ).one()
    assert (
        event.reason == "same person, two spellings" and event.changes["name"][0] == audit.NOT_SHOWN
    )


def test_personal_data_hidden_from_roles_that_may_not_see_it(login, api, users, session):
    person = make_person(users["unodc"], name="ចាន់ សុភា")
    training = make_training(users["unodc"])
    services.add_participation(
        users["unodc"], training, person, {"pre_score": 40, "post_score": 60, "completed": True}
    )
    from tests.factories import UserFactory

    thai_focal = UserFactory(role="focal_point", country_code="THA")
    for who, sees in (
        (users["unodc"], True),
        (users["focal_point"], True),
        (users["auditor"], False),
    ):
        page = login(who).get("/training/practitioners").get_data(as_text=True)
        assert ("ចាន់ សុភា" in page) is sees
        assert (
            "ចាន់ សុភា" in login(who).get(f"/training/{training.id}").get_data(as_text=True)
        ) is sees
        body = api(who).get(f"/api/v1/practitioners/{person.id}").get_json()
        assert ("name" in body) is sees
        export = login(who).get("/training/practitioners.csv").get_data(as_text=True)
        assert ("ចាន់ សុភា" in export) is sees
    assert login(thai_focal).get(f"/training/practitioners/{person.id}").status_code == 404
    assert login(users["official"]).get("/training/practitioners").status_code == 403
    reads = session.scalars(
        sa.select(AuditEvent).where(
            AuditEvent.action == "read", AuditEvent.object_type == "Practitioner"
        )
    ).all()
    assert {e.actor_label for e in reads} >= {users["unodc"].email, users["focal_point"].email}
    assert users["auditor"].email not in {e.actor_label for e in reads}


def test_exports_neutralise_formulas(login, users):
    make_person(users["unodc"], name='=HYPERLINK("http://x","y")')
    text = login(users["unodc"]).get("/training/practitioners.csv").get_data(as_text=True)
    assert "'=HYPERLINK" in text


def test_certificate_holds_the_khmer_name_exactly(login, users):
    person = make_person(users["unodc"], name="សុខ ចាន់ធី")
    training = make_training(users["unodc"], title="Digital evidence")
    p = services.add_participation(
        users["unodc"], training, person, {"pre_score": 40, "post_score": 70, "completed": True}
    )
    response = login(users["focal_point"]).get(f"/training/participations/{p.id}/certificate.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = PdfReader(io.BytesIO(response.data)).pages[0].extract_text()
    assert "សុខ ចាន់ធី" in text and "Digital evidence" in text
    assert (
        login(users["auditor"]).get(f"/training/participations/{p.id}/certificate.pdf").status_code
        == 403
    )


def test_training_page_conflict_and_scope(login, users, session):
    training = make_training(users["unodc"], title="Original title")
    form = {
        "title": "Original title",
        "country": "KHM",
        "start_date": "2026-03-02",
        "end_date": "2026-03-04",
        "modality": "in_person",
        "hours": 21,
        "topics": ["thb_vs_som"],
        "version": training.version,
    }
    assert (
        login(users["focal_point"])
        .post(f"/training/{training.id}/edit", data={**form, "hours": 14, "reason": "shortened"})
        .status_code
        == 302
    )
    refused = login(users["unodc"]).post(
        f"/training/{training.id}/edit", data={**form, "hours": 30, "reason": "x"}
    )
    assert "changed by" in refused.get_data(as_text=True)
    thai = make_training(users["unodc"], country="THA", title="Thai training")
    assert login(users["focal_point"]).get(f"/training/{thai.id}").status_code == 404
    listing = login(users["focal_point"]).get("/training/").get_data(as_text=True)
    assert "Original title" in listing and "Thai training" not in listing


def test_api_training_and_participation(api, users, session):
    caller = api(users["focal_point"])
    created = caller.post(
        "/api/v1/trainings",
        json={
            "title": "OSINT",
            "country": "KHM",
            "start_date": "2026-04-01",
            "end_date": "2026-04-02",
            "modality": "online",
            "topics": ["osint"],
        },
    )
    assert created.status_code == 201
    bad = caller.post(
        "/api/v1/trainings",
        json={
            "title": "",
            "country": "KHM",
            "start_date": "2026-04-02",
            "end_date": "2026-04-01",
            "modality": "x",
            "topics": [],
        },
    )
    assert bad.status_code == 422 and {"title", "modality", "topics"} <= set(
        bad.get_json()["errors"]
    )
    person = caller.post(
        "/api/v1/practitioners",
        json={"name": "Dara Heng", "sex": "male", "country": "KHM", "role_type": "police"},
    ).get_json()
    part = caller.post(
        "/api/v1/participations",
        json={
            "training_id": created.get_json()["id"],
            "practitioner_id": person["id"],
            "pre_score": 40,
            "post_score": 101,
        },
    )
    assert part.status_code == 422 and "post_score" in part.get_json()["errors"]
    ok = caller.post(
        "/api/v1/participations",
        json={
            "training_id": created.get_json()["id"],
            "practitioner_id": person["id"],
            "pre_score": 40,
            "post_score": 60,
        },
    )
    assert ok.status_code == 201 and ok.get_json()["gain"] == 20
    assert session.scalar(sa.select(sa.func.count(Participation.id))) == 1
