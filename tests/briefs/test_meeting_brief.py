"""A brief of a recorded SOMTC meeting: its header, the submitted country updates (never a
draft), the work plan with status, national statistics as stored; the .docx copy holds the
same text as the PDF; the asker's scope in both."""

import io
from datetime import date

import docx
import pytest

from registry.blueprints.briefs import jobs, services
from registry.blueprints.briefs.models import Brief
from registry.blueprints.meetings import services as meetings
from registry.blueprints.meetings import updates
from registry.blueprints.prosecutions import services as prosecutions
from registry.blueprints.workplan import services as work_plan
from registry.extensions import db
from tests.briefs.helpers import text_of
from tests.factories import UserFactory

KHM = {"successes": "Dismantled two scam compounds", "challenges": "Crypto evidence"}
KHM |= {"next_steps": "Joint SOP with Thailand", "status": "submitted"}
THA = {"successes": "Thai success story", "challenges": "Thai challenge"}
THA |= {"next_steps": "Thai next step", "status": "submitted"}
DRAFT = {"successes": "Lao draft never printed", "challenges": "x", "next_steps": "y"}


def docx_text(content):
    document = docx.Document(io.BytesIO(content))
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def flat(text):
    return " ".join(text.split())


@pytest.fixture
def somtc(users, session):
    meeting = meetings.create_meeting(
        users["unodc"],
        {
            "type": "somtc",
            "title": "26th SOMTC",
            "date": date(2026, 6, 10),
            "countries": ["KHM", "LAO", "THA"],
            "host_country": "LAO",
            "venue": "Vientiane",
            "topics": "Online scam compounds and trafficking for forced criminality",
        },
    )
    updates.save(users["focal_point"], meeting, KHM)
    updates.save(UserFactory(role="focal_point", country_code="THA"), meeting, THA)
    updates.save(UserFactory(role="focal_point", country_code="LAO"), meeting, DRAFT)
    work_plan.create(
        users["unodc"],
        {
            "work_plan": "SOMTC Work Plan on TIP",
            "title": "Regional guidelines on victim identification",
            "lead": "Philippines",
            "timeline": "2025-2026",
            "status": "on_going",
            "status_date": date(2025, 8, 1),
        },
    )
    for metric, source, total in (
        ("persons_convicted", "National Police", 1234),
        ("victims_identified", "Ministry of Social Affairs", 3),
    ):
        prosecutions.save_statistic(
            users["unodc"],
            {"country": "KHM", "year": 2025, "metric": metric, "source": source, "total": total},
        )
    session.commit()
    return meeting


def test_cli_brief_of_a_meeting_prints_the_updates_work_plan_and_statistics(
    app, users, somtc, tmp_path
):
    out = tmp_path / "somtc.pdf"
    result = app.test_cli_runner().invoke(
        args=["briefs", "generate", "--as", users["unodc"].email, "--meeting", str(somtc.id)]
        + ["--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    pdf, copy = (
        flat(text_of(out.read_bytes())),
        flat(docx_text((tmp_path / "somtc.docx").read_bytes())),
    )
    for text in (pdf, copy):
        assert "26th SOMTC" in text and "2026-06-10" in text and "Lao PDR, Vientiane" in text
        assert "Online scam compounds" in text
        assert "Dismantled two scam compounds" in text and "Thai success story" in text
        assert "Lao draft never printed" not in text
        assert "Regional guidelines on victim identification" in text and "On-going" in text
        # Reported as stored, no case records: computed 0, difference = reported (by hand).
        assert "1,234" in text and "+1,234" in text
        assert "<5" in text and "Ministry of Social Affairs" in text
    brief = db.session.query(Brief).one()
    assert brief.meeting_id == somtc.id and brief.countries == ["KHM", "LAO", "THA"]
    assert (brief.period_from, brief.period_to) == (date(2025, 6, 10), date(2026, 6, 9))
    assert brief.docx_sha256 and len(brief.docx_sha256) == 64


def test_focal_points_brief_holds_only_their_countrys_update_and_statistics(users, somtc):
    brief = services.request_brief(
        users["focal_point"],
        {"meeting_id": somtc.id, "countries": "all", "period_from": date(2025, 1, 1)}
        | {"period_to": date(2025, 12, 31)},
    )
    db.session.commit()
    jobs.generate(brief.id)
    brief = db.session.get(Brief, brief.id)
    for text in (flat(text_of(brief.pdf)), flat(docx_text(brief.docx))):
        assert "Dismantled two scam compounds" in text
        assert "Thai success story" not in text and "Lao draft never printed" not in text
        assert "1,234" in text


def test_api_brief_with_a_meeting_and_its_docx(users, api, somtc):
    caller = api(users["unodc"])
    asked = caller.post(
        "/api/v1/briefs",
        json={
            "meeting_id": somtc.id,
            "countries": ["KHM", "THA"],
            "period_from": "2025-01-01",
            "period_to": "2025-12-31",
            "sections": ["updates", "workplan", "statistics"],
        },
    )
    assert asked.status_code == 202, asked.get_json()
    brief_id = asked.get_json()["id"]
    jobs.generate(brief_id)
    body = caller.get(f"/api/v1/briefs/{brief_id}").get_json()
    assert body["meeting_id"] == somtc.id and body["docx_url"]
    copy = caller.get(body["docx_url"])
    assert copy.status_code == 200 and "Thai success story" in docx_text(copy.data)
    assert api(users["focal_point"]).get(body["docx_url"]).status_code == 404
    unknown = caller.post(
        "/api/v1/briefs",
        json={"meeting_id": 999999, "countries": ["KHM"], "period_from": "2025-01-01"}
        | {"period_to": "2025-12-31"},
    )
    assert unknown.status_code == 422 and "meeting_id" in unknown.get_json()["errors"]
