"""Briefs: generated through a real rq worker, figures checked independently, scope, failures."""

import re
import statistics
import subprocess
from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from redis import Redis
from rq import SimpleWorker

from registry.blueprints.briefs import jobs, services
from registry.blueprints.briefs.models import Brief
from registry.blueprints.jits import services as jit_services
from registry.blueprints.prosecutions import services as case_services
from registry.core import audit
from registry.core import jobs as core_jobs
from registry.core.columns import utcnow
from tests.briefs.helpers import MEMBERS, text_of
from tests.fixtures.clock import TODAY
from tests.fixtures.services import require_redis
from tests.mla.helpers import make_request

PERIOD = {"period_from": date(2025, 1, 1), "period_to": date(2025, 12, 31)}


@pytest.fixture
def world(users):
    """Known records; returns them as plain data, so tests can count them by hand."""
    admin = users["admin"]
    days = [12, 30, 31, 45, 90]
    mla = [("KHM", "THA", date(2025, 2, 1), date(2025, 2, 1) + timedelta(days=d)) for d in days]
    mla.append(("IDN", "MYS", date(2025, 3, 1), date(2025, 5, 1)))
    for requesting, requested, sent, final in mla:
        make_request(
            admin,
            sent=sent,
            final=final,
            requesting_country=requesting,
            requested_country=requested,
            **({"reference": "ID-SECRET-REF"} if requesting == "IDN" else {}),
        )
    jits = [(date(2025, 4, 1), ["KHM", "THA", "LAO"]), (date(2025, 6, 1), ["IDN", "MYS"])]
    for signed, members in jits:
        jit_services.create_jit(
            admin,
            {
                "name": f"JIT {signed}",
                "type": "mixed",
                "member_countries": members,
                "lead_country": members[0],
                "legal_basis": "actip",
                "agreement_signed": signed,
            },
        )
    cases = [("KHM", "thb", date(2025, 3, 1), 3)]  # country, crime, prosecution from, victims
    for country, crime, started, victims in cases:
        case = case_services.create_case(
            admin,
            {
                "country": country,
                "reference": "KH-BRIEF-1",
                "crime_type": crime,
                "stage": "prosecution",
                "stage_date": started,
            },
            TODAY,
        )
        case_services.set_victim_count(
            admin,
            case,
            {"sex": "female", "age_group": "child", "nationality": country, "count": victims},
        )
    return {"days": days, "mla": mla, "jits": jits, "cases": cases}


def ask(user, **overrides):
    brief = services.request_brief(
        user, {"meeting_type": "somtc", "countries": "all", **PERIOD, **overrides}
    )
    return brief


def test_brief_through_a_real_rq_worker_holds_independently_computed_figures(
    app, users, world, login, session
):
    url = require_redis()
    app.config["REDIS_URL"] = url
    app.extensions["registry_redis"] = None
    try:
        browser = login(users["unodc"])
        response = browser.post(
            "/briefs/new",
            data={
                "meeting_type": "somtc",
                "title": "SOMTC 2026",
                "scope": "all",
                "period_from": "2025-01-01",
                "period_to": "2025-12-31",
                "sections": ["summary", "mla", "jits", "prosecutions", "indicators", "methodology"],
            },
        )
        brief_id = int(response.headers["Location"].rsplit("/", 1)[1])
        assert browser.get(f"/briefs/{brief_id}/status").get_json()["status"] == "queued"
        SimpleWorker([core_jobs.queue()], connection=core_jobs.redis_connection()).work(burst=True)
        status = browser.get(f"/briefs/{brief_id}/status").get_json()
        assert status["status"] == "done" and status["progress"] == 100
        pdf = browser.get(status["pdf"]).data
    finally:
        Redis.from_url(url).flushdb()
        app.config["REDIS_URL"] = ""
        app.extensions["registry_redis"] = None
    text = text_of(pdf)
    kh_days = world["days"]
    all_days = [*kh_days, 61]  # plus the Indonesia → Malaysia request
    median, p90 = (
        statistics.median(all_days),
        statistics.quantiles(all_days, n=10, method="inclusive")[8],
    )
    assert f"median turnaround {median:.1f} days, 90th percentile {p90:.1f} days" in text
    kh_median = statistics.median(kh_days)
    assert re.search(rf"Cambodia 5 0 5 {kh_median:.1f}", text) and re.search(
        rf"Thailand 0 5 5 {kh_median:.1f}", text
    )
    assert "Joint investigation teams established (agreement signed) in the period: 2" in text
    assert re.search(r"Cambodia 0 \(0 / 0\) 0 \(0 / 0\) <5", text)  # 3 victims print as <5
    assert "RESTRICTED" in text and "Definitions" in text and re.search(r"page \d+ of \d+", text)
    brief = session.get(Brief, brief_id)
    assert len(brief.sha256) == 64 and brief.size == len(pdf)


def test_focal_point_brief_holds_only_what_they_may_see(users, world, session):
    brief = ask(users["focal_point"], sections=["mla", "jits"])
    jobs.generate(brief.id)
    session.expire_all()
    brief = session.get(Brief, brief.id)
    assert brief.status == "done", brief.error
    text = text_of(brief.pdf)
    assert "ID-SECRET-REF" not in text
    assert re.search(r"Indonesia 0 0 0", text) and re.search(r"Malaysia 0 0 0", text)
    assert "in the period: 1" in text  # only the JIT Cambodia takes part in


def test_names_in_asean_scripts_render_as_text_with_embedded_fonts(users, world, session, tmp_path):
    brief = ask(
        users["unodc"],
        title="ការប្រជុំ ស្តីពី ការជួញដូរមនុស្ស · Hội nghị Việt Nam · การประชุม",
        sections=["summary"],
    )
    jobs.generate(brief.id)
    session.expire_all()
    pdf = session.get(Brief, brief.id).pdf
    text = text_of(pdf)
    assert "ការប្រជុំ ស្តីពី ការជួញដូរមនុស្ស" in text and "Hội nghị" in text
    path = tmp_path / "brief.pdf"
    path.write_bytes(pdf)
    fonts = subprocess.run(
        ["pdffonts", str(path)], capture_output=True, text=True, check=True
    ).stdout
    assert "NotoSansKhmer" in fonts.replace("-", "") and "NotoSansThai" in fonts.replace("-", "")


def in_period(day):
    return PERIOD["period_from"] <= day <= PERIOD["period_to"]


def one_decimal(value):
    return "—" if value is None else f"{value:.1f}"


def median_and_p90(values):
    """Median and 90th percentile with linear interpolation (as percentile_cont), or None."""
    if not values:
        return None, None
    if len(values) == 1:
        return values[0], values[0]
    return statistics.median(values), statistics.quantiles(values, n=10, method="inclusive")[8]


def test_brief_figures_are_the_records_counted_by_hand_and_repeat(users, world, session):
    first, second = ask(users["unodc"]), ask(users["unodc"])
    for brief in (first, second):
        jobs.generate(brief.id)
    session.expire_all()
    text = text_of(session.get(Brief, first.id).pdf)

    answered = [
        (a, b, (final - sent).days) for a, b, sent, final in world["mla"] if in_period(final)
    ]
    median, p90 = median_and_p90([d for *_, d in answered])
    assert (
        f"Requests answered in the period: {len(answered)}; median turnaround "
        f"{one_decimal(median)} days, 90th percentile {one_decimal(p90)} days" in text
    )
    established = [members for signed, members in world["jits"] if in_period(signed)]
    assert f"established (agreement signed) in the period: {len(established)}" in text
    prosecuted = [case for case in world["cases"] if in_period(case[2])]
    assert f"cases whose prosecution stage started in the period: {len(prosecuted)}" in text

    country_pages = text.split("\nCountry pages\n")[1]
    for code, name in MEMBERS.items():
        sent = sum(1 for a, _b, day, _f in world["mla"] if a == code and in_period(day))
        received = sum(1 for _a, b, day, _f in world["mla"] if b == code and in_period(day))
        days = sorted(d for a, b, d in answered if code in (a, b))
        c_median, c_p90 = median_and_p90(days)
        row = (
            f"\n{name} {sent} {received} {len(days)} {one_decimal(c_median)} {one_decimal(c_p90)}\n"
        )
        assert row in text, row
        jits = sum(1 for members in established if code in members)
        thb, som = (
            sum(1 for case in prosecuted if case[:2] == (code, crime)) for crime in ("thb", "som")
        )
        assert f"\n{name} {thb + som} 0 0 0 0 {jits}\n" in text, name  # 2.3 … 2.6.2 by country
        victims = sum(case[3] for case in world["cases"] if case[0] == code)
        shown = "<5" if 1 <= victims <= 4 else str(victims)
        wrapped = r"\s+".join(map(re.escape, name.split()))  # long names wrap in this table
        prosecutions = rf"\n{wrapped}\s+0 \(0 / 0\) 0 \(0 / 0\) {re.escape(shown)}\n"
        assert re.search(prosecutions, text), name
        page = country_pages.split(f"\n{name}\n", 1)[1].split("RESTRICTED")[0]
        assert f"MLA requests sent / received in the period {sent} / {received}\n" in page
        assert f"MLA requests answered; median days {len(days)}; {one_decimal(c_median)}\n" in page
        assert f"Cases prosecuted (2.3): THB / SOM {thb} / {som}\n" in page
        assert f"JITs established (2.6.2) {jits}\n" in page

    def figures_only(brief):
        return re.sub(
            r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}|Version\s*\d+",
            "",
            text_of(session.get(Brief, brief.id).pdf),
        )

    assert figures_only(first) == figures_only(second)  # the same records, the same brief


def test_failed_job_says_why_and_serves_no_file(users, login, session):
    brief = ask(users["unodc"])
    brief.sections = ["summary", "no_such_section"]  # a template that does not exist
    session.flush()
    jobs.generate(brief.id)
    session.expire_all()
    brief = session.get(Brief, brief.id)
    assert (
        brief.status == "failed" and "could not be generated" in brief.error and brief.pdf is None
    )
    assert login(users["unodc"]).get(f"/briefs/{brief.id}/pdf").status_code == 404


def test_worker_that_died_leaves_no_brief_running_forever(app, users, session):
    brief = ask(users["unodc"])
    audit.act_as(audit.SYSTEM)
    brief.status, brief.started_at = (
        "running",
        utcnow() - timedelta(seconds=app.config["JOB_TIMEOUT_SECONDS"] + 120),
    )
    session.flush()
    assert services.fail_stale() == 1
    assert brief.status == "failed" and "not finished in time" in brief.error


def test_redis_down_gives_a_clear_message_and_pages_keep_working(app, users, login, session):
    app.config["REDIS_URL"] = "redis://127.0.0.1:1/0"
    app.extensions["registry_redis"] = None
    try:
        browser = login(users["official"])
        response = browser.post(
            "/briefs/new",
            data={
                "meeting_type": "somtc",
                "scope": "all",
                "period_from": "2025-01-01",
                "period_to": "2025-12-31",
                "sections": ["summary"],
            },
            follow_redirects=True,
        )
        assert "job queue is unreachable" in response.get_data(as_text=True)
        assert browser.get("/dashboard/").status_code == 200
    finally:
        app.config["REDIS_URL"] = ""
        app.extensions["registry_redis"] = None
    assert session.scalars(sa.select(Brief)).one().status == "failed"


def test_bad_requests_are_refused(users, api, session):
    with pytest.raises(Exception) as caught:
        ask(users["unodc"], countries=["XXX"], period_to=date(2024, 1, 1))
    assert {"countries", "period_to"} <= set(caught.value.errors)
    response = api(users["official"]).post(
        "/api/v1/briefs", json={"meeting_type": "tea_party", "countries": "all"}
    )
    assert response.status_code == 422 and {"meeting_type", "period_from"} <= set(
        response.get_json()["errors"]
    )
    assert session.scalar(sa.select(sa.func.count(Brief.id))) == 0
    assert api(users["auditor"]).post("/api/v1/briefs", json={}).status_code == 403


def test_api_brief_lifecycle_and_privacy(users, api, world):
    caller = api(users["official"])
    created = caller.post(
        "/api/v1/briefs",
        json={
            "meeting_type": "regional_dialogue",
            "countries": ["KHM", "THA"],
            "period_from": "2025-01-01",
            "period_to": "2025-12-31",
            "sections": ["summary", "mla"],
        },
    )
    assert created.status_code == 202
    body = caller.get(f"/api/v1/briefs/{created.get_json()['id']}").get_json()
    assert body["status"] == "done" and body["pdf_url"]  # no Redis configured: it ran inline
    assert caller.get(body["pdf_url"]).data[:4] == b"%PDF"
    assert api(users["unodc"]).get(f"/api/v1/briefs/{body['id']}").status_code == 404


def test_regenerating_makes_a_new_version_and_keeps_the_old(users, login, session):
    brief = ask(users["official"], sections=["summary"])
    jobs.generate(brief.id)
    response = login(users["official"]).post(f"/briefs/{brief.id}/regenerate")
    new_id = int(response.headers["Location"].rsplit("/", 1)[1])
    session.expire_all()
    assert session.get(Brief, new_id).version == 2 and session.get(Brief, brief.id).status == "done"


def test_cli_generates_synchronously(app, users, world, tmp_path):
    out = tmp_path / "brief.pdf"
    result = app.test_cli_runner().invoke(
        args=[
            "briefs",
            "generate",
            "--as",
            users["official"].email,
            "--meeting-type",
            "somtc",
            "--countries",
            "KHM,THA",
            "--from",
            "2025-01-01",
            "--to",
            "2025-12-31",
            "--out",
            str(out),
        ]
    )
    assert result.exit_code == 0, result.output
    assert out.read_bytes()[:4] == b"%PDF" and "sha256" in result.output
    bad = app.test_cli_runner().invoke(
        args=[
            "briefs",
            "generate",
            "--as",
            users["auditor"].email,
            "--meeting-type",
            "somtc",
            "--countries",
            "all",
            "--from",
            "2025-01-01",
            "--to",
            "2025-12-31",
            "--out",
            str(out),
        ]
    )
    assert bad.exit_code != 0


def test_brief_of_a_recorded_meeting_takes_its_type_title_and_date(users, session):
    from registry.blueprints.meetings import services as meeting_services

    meeting = meeting_services.create_meeting(
        users["unodc"],
        {
            "type": "ctu_heads",
            "title": "Heads of CTU, Vientiane",
            "date": date(2026, 3, 3),
            "countries": ["LAO", "THA"],
        },
    )
    brief = ask(users["unodc"], meeting_id=str(meeting.id), meeting_type="somtc")
    assert (brief.meeting_type, brief.title, brief.meeting_date) == (
        "ctu_heads",
        "Heads of CTU, Vientiane",
        date(2026, 3, 3),
    )
    with pytest.raises(Exception) as caught:
        ask(users["focal_point"], meeting_id=str(meeting.id))
    assert "meeting_id" in caught.value.errors


def test_brief_page_with_no_meeting_chosen_is_saved_without_one(users, login, session):
    response = login(users["official"]).post(
        "/briefs/new",
        data={
            "meeting_id": "",
            "meeting_type": "regional_dialogue",
            "scope": "all",
            "period_from": "2025-01-01",
            "period_to": "2025-12-31",
            "sections": ["summary"],
        },
    )
    assert response.status_code == 302
    brief = session.scalars(sa.select(Brief)).one()
    assert (brief.meeting_id, brief.meeting_type) == (None, "regional_dialogue")
